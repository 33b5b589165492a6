"""io.csvout: the same bytes as pandas' to_csv (what the round wrote before)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from obec_audit.io.csvout import csv_bytes
from obec_audit.io.csvout import as_text as _as_text


def _pandas(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def test_quotes_breaks_missing_and_numbers_as_pandas():
    df = pd.DataFrame({
        "text": pd.array(["สมชาย", 'a "b"', "1,2", "x\ny", "x\ry", None, "", " ", "'=1"], dtype="string"),
        "n": pd.array([1, None, 3, 4, 5, 6, 7, 8, 9], dtype="Int64"),
        "f": [1.5, None, 1e-05, 100.0, 2.25, 1e16, 0.1, -3.0, 7.0],
        "i": list(range(9)),
        "b": [True, False] * 4 + [True],
    })
    got = csv_bytes(df, _as_text)
    assert got == _pandas(df)
    assert b'"a ""b"""' in got and b'"x\ny"' in got


def test_header_with_a_comma_is_quoted():
    df = pd.DataFrame({"a,b": pd.array(["1"], dtype="string"), "c": pd.array(["2"], dtype="string")})
    assert csv_bytes(df, _as_text) == _pandas(df)


def test_not_covered_gives_none():
    assert csv_bytes(pd.DataFrame({"a": ["x"]}), _as_text) is None  # one column
    assert csv_bytes(pd.DataFrame({"a": pd.array([], dtype="string"),
                                   "b": pd.array([], dtype="string")}), _as_text) is None
    dated = pd.DataFrame({"a": ["x"], "d": pd.to_datetime(["2026-06-10"])})
    assert csv_bytes(dated, _as_text) is None
    mixed = pd.DataFrame({"a": ["x"], "o": pd.Series([object()], dtype=object)})
    assert csv_bytes(mixed, _as_text) is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.text(alphabet=',"\r\n ab=กข-', max_size=6)),
                          st.one_of(st.none(), st.text(alphabet=',"\nx', max_size=3))),
                min_size=1, max_size=12))
def test_any_text_as_pandas(rows):
    df = pd.DataFrame({"a": pd.array([r[0] for r in rows], dtype="string"),
                       "b": pd.array([r[1] for r in rows], dtype="string")})
    assert csv_bytes(df, _as_text) == _pandas(df)
