"""io.distinct.Known: a rule runs once per distinct value of a file, not once per chunk."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from obec_audit.io.distinct import STR, Known
from obec_audit.text import parse_be_date, parse_grade


def _rule(seen: list):
    def rule(values: pd.Series) -> dict[str, pd.Series]:
        seen.append([None if pd.isna(v) else v for v in values])
        return {"grade": parse_grade(values), "when": parse_be_date(values)}
    return rule


def test_known_values_are_not_ruled_again_and_results_match_the_rule():
    seen: list = []
    known = Known()
    chunks = [["ป.1", "10/06/2557", None], ["ป.1", "อ.2", None, "ม.3"], ["ม.3", "ป.1"], ["10/06/2557", "x"]]
    rule = _rule(seen)
    for chunk in chunks:
        got = known.apply("g", pa.array(chunk, type=STR), rule)
        want = _rule([])(pd.Series(pd.array(chunk, dtype="string")))
        for name in want:
            pd.testing.assert_series_equal(got[name].reset_index(drop=True), want[name].reset_index(drop=True),
                                           check_names=False)
    # each value (the empty cell too) went through the rule once, in the chunk it was first met
    assert seen == [["ป.1", "10/06/2557", None], ["อ.2", "ม.3"], ["x"]]


def test_known_keeps_rules_apart():
    known = Known()
    a = known.apply("a", pa.array(["1"], type=STR), lambda v: {"a": v + "!"})
    b = known.apply("b", pa.array(["1"], type=STR), lambda v: {"b": v + "?"})
    assert a["a"].tolist() == ["1!"] and b["b"].tolist() == ["1?"]
    assert known.apply("a", pa.array(["1"], type=STR), lambda v: {"a": v + "?"})["a"].tolist() == ["1!"]


def test_take_rows_from_many_batches_equals_take():
    import numpy as np

    from obec_audit.io.distinct import take_rows

    batches = [pa.record_batch({"a": pa.array([f"x{k}" for k in range(i, i + 7)], STR),
                                "b": pa.array(list(range(i, i + 7)))}) for i in range(0, 70, 7)]
    t = pa.Table.from_batches(batches)
    for rows in ([0], [3, 4, 20, 69], list(range(0, 70, 3)), []):
        r = np.asarray(rows, dtype=np.int64)
        assert take_rows(t, r).equals(t.take(pa.array(r, type=pa.int64()))), rows


def test_a_column_repeating_another_has_the_same_rows_as_one_hashed_alone():
    from obec_audit.io.distinct import Column

    child = ["ใจดี", "ใจดี", "มีสุข", None, "  ", "รักไทย", "ใจดี", "สุขใจ"]
    cases = {
        "mostly the same": ["ใจดี", "ใจดี", "มีสุข", "ทองดี", "  ", None, "แสงทอง", "สุขใจ"],
        "whitespace where the child has a name": ["ใจดี", " ", "มีสุข", None, "  ", "รักไทย", "ใจดี", "สุขใจ"],
        "mostly different (hashed alone)": ["ก", "ข", "ค", "ง", "จ", "ฉ", "ใจดี", "ช"],
    }
    base = Column(pa.chunked_array([pa.array(child[:3], STR), pa.array(child[3:], STR)]), len(child))
    for name, parent in cases.items():
        arr = pa.chunked_array([pa.array(parent[:3], STR), pa.array(parent[3:], STR)])
        alone, rep = Column(arr, len(parent)), Column.repeating(arr, len(parent), base)
        assert rep.uniq.take(rep.codes).to_pylist() == alone.uniq.take(alone.codes).to_pylist(), name
        assert rep.as_read().to_pylist() == alone.as_read().to_pylist(), name
        if parent[4] == "  ":
            assert rep.uniq.take(rep.codes).to_pylist()[4] is None  # whitespace-only: empty
