"""round.py helpers: dates, the CSV writer, the default census date."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from obec_audit.io.csvout import atomic_csv as _atomic_csv
from obec_audit.round import default_as_of
from obec_audit.thaidate import parse_date as parse_as_of


def test_large_csv_goes_through_pyarrow_with_the_same_content(tmp_path):
    n = 60_000  # above the pyarrow threshold
    df = pd.DataFrame({
        "a": pd.array([f"ไทย,{i}" if i % 7 == 0 else f"x{i}" for i in range(n)], dtype="string"),
        "b": pd.array([i if i % 5 else None for i in range(n)], dtype="Int64"),
        "c": ['q"uote' if i % 11 == 0 else "" for i in range(n)],
        "d": [float("nan") if i % 13 == 0 else (i % 90) + (0.5 if i % 2 else 0.0) for i in range(n)],
    })
    _atomic_csv(df, tmp_path / "a.csv")
    df.to_csv(tmp_path / "b.csv", index=False, encoding="utf-8-sig")
    assert (tmp_path / "a.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    read = lambda p: pd.read_csv(p, dtype=str, encoding="utf-8-sig", keep_default_na=False)  # noqa: E731
    assert read(tmp_path / "a.csv").equals(read(tmp_path / "b.csv"))
    assert not list(tmp_path.glob("*.tmp"))


def test_small_csv_same_bytes_as_pandas(tmp_path):
    # below the threshold: io.csvout's Arrow path, byte for byte what pandas wrote
    df = pd.DataFrame({
        "a": pd.array(["ไทย,1", '=HYPERLINK("x")', None, "ok", "two\nlines"], dtype="string"),
        "n": pd.array([1, None, 3, 4, 5], dtype="Int64"),
        "f": [1.5, float("nan"), 2.0, 1e-05, 3.25],
    })
    _atomic_csv(df, tmp_path / "a.csv")
    from obec_audit.io.csvsafe import neutralise

    want = "\ufeff".encode("utf-8") + neutralise(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8")
    assert (tmp_path / "a.csv").read_bytes() == want
    assert b"'=HYPERLINK" in want


def test_write_outputs_csv_files_while_packs_are_written(tmp_path, monkeypatch):
    # the CSV files are written as write_reports' ``meanwhile`` (while workers write the packs)
    from obec_audit import round as rnd

    seen = {}

    def fake_reports(result, out, meanwhile=None, **kw):
        seen["before"] = (out / "students.csv").exists()
        meanwhile()
        seen["after"] = sorted(p.name for p in out.glob("*.csv"))
        return []

    monkeypatch.setattr(rnd, "write_reports", fake_reports)
    st = pd.DataFrame({"school_code": pd.array(["57010001"], dtype="string"),
                       "national_id": pd.array(["1101700230708"], dtype="string")})
    res = rnd.RoundResult(phase="round1", as_of=dt.date(2026, 6, 10), out_dir=tmp_path, students=st,
                          findings=pd.DataFrame(), completeness=pd.DataFrame({"a": [1]}),
                          school_completeness=pd.DataFrame({"a": [1]}), files=pd.DataFrame({"a": [1]}))
    rnd.write_outputs(res, tmp_path, reports=True)
    assert seen == {"before": False, "after": ["completeness.csv", "files.csv", "findings.csv",
                                               "school_completeness.csv", "students.csv"]}
    assert (tmp_path / "round.json").exists()


@pytest.mark.parametrize("text", ["10/06/2569", "2026-06-10", "๑๐/๐๖/๒๕๖๙", "10.06.2569"])
def test_as_of_accepts_be_and_iso(text):
    assert parse_as_of(text) == dt.date(2026, 6, 10)


def test_as_of_rejects_month_first_garbage():
    with pytest.raises(ValueError):
        parse_as_of("06/31/2569")


def test_default_as_of_never_a_future_census():
    day, _ = default_as_of(dt.date(2026, 11, 28))  # between semester 2 and the end of year
    assert day == dt.date(2026, 11, 10)
    day, phase = default_as_of(dt.date(2026, 6, 20))
    assert day == dt.date(2026, 6, 10) and phase == "round1"


def test_students_csv_writes_birth_dates_once_per_distinct_day():
    from obec_audit.io.csvout import students_for_csv

    bd = pd.Series(pd.to_datetime(["2015-03-02", None, "2015-03-02", "2016-12-31"]))
    out = students_for_csv(pd.DataFrame({"birth_date": bd, "first_name": ["a", "b", "c", "d"]}))
    assert out["birth_date"].tolist() == ["2015-03-02", pd.NA, "2015-03-02", "2016-12-31"]


def test_large_frames_neutralise_exactly_as_csvsafe(tmp_path):
    """On 50k+ rows only values starting with a formula character go to ``neutralise_series``
    (found from their first byte): the frame and the file equal ``csvsafe.neutralise``'s."""
    import numpy as np

    from obec_audit.io.csvsafe import neutralise
    from obec_audit.io.csvout import neutralised as _neutralised

    rng = np.random.default_rng(3)
    pool = ['=SUM(A1)', "-5", "-", "--", "@x", "\tx", "\rx", "+1.5e3", '="1101700230708"', "สมชาย", "", " -x",
            "a=b", "é", "😀=", None]
    n = 60_000
    df = pd.DataFrame({
        "risky": pd.array(rng.choice(np.array(pool, dtype=object), n), dtype="string"),
        "safe": pd.array(rng.choice(np.array(["ก", "b", None], dtype=object), n), dtype="string"),
        "obj": rng.choice(np.array(pool, dtype=object), n),
        "num": rng.integers(-5, 5, n),
    })
    df.loc[5:10, "risky"] = None
    want, got = neutralise(df), _neutralised(df)
    pd.testing.assert_frame_equal(got, want)
    assert (got["risky"] != df["risky"]).fillna(False).sum() > 1000  # there was something to change
    _atomic_csv(df, tmp_path / "a.csv")
    b = tmp_path / "b.csv"
    want.to_csv(b, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    assert pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False).equals(
        pd.read_csv(b, dtype=str, keep_default_na=False))


def test_guess_area_counts_rows_and_breaks_ties_by_the_smallest():
    from obec_audit.round import _guess_area

    codes = ["57020001"] * 3 + ["57010001", "57010002", "57010002"] + ["5701x", None, "ก"]
    assert _guess_area(pd.DataFrame({"school_code": pd.array(codes, dtype="string")})) == "5701"
    tie = ["57020001", "57010001"]
    assert _guess_area(pd.DataFrame({"school_code": pd.array(tie, dtype="string")})) == "5701"
    assert _guess_area(pd.DataFrame({"school_code": pd.array(["57020001"] * 2 + ["57010001"],
                                                              dtype="string")})) == "5702"
    assert _guess_area(pd.DataFrame({"school_code": pd.array(["x", None], dtype="string")})) is None
    assert _guess_area(pd.DataFrame({"name": ["a"]})) is None


def test_check_modules_import_beside_an_extract_only(tmp_path):
    from obec_audit.io.extract import split_inputs
    from obec_audit.round import _imports_meanwhile

    (tmp_path / "a.parquet").write_bytes(b"")  # an extract by its name
    (tmp_path / "b.xlsx").write_bytes(b"")
    t = _imports_meanwhile(*split_inputs([tmp_path / "a.parquet"]), [])
    assert t is not None
    t.join()
    assert _imports_meanwhile(*split_inputs([tmp_path / "a.parquet", tmp_path / "b.xlsx"]), []) is None  # may fork
    assert _imports_meanwhile(*split_inputs([tmp_path / "a.parquet"]), [("staff", ["s.xlsx"], "load_staff")]) is None
    assert _imports_meanwhile(*split_inputs([tmp_path / "b.xlsx"]), []) is None
