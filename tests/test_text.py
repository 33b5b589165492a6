"""obec_audit.text: the parsing helpers (beyond their doctests)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from obec_audit.schema import GRADES
from obec_audit.text import (
    canon_title,
    clean_text,
    normalize_header,
    parse_be_date,
    parse_grade,
    parse_number,
    parse_sex,
    thai_digits_to_ascii,
)


def _d(x):
    return None if pd.isna(x) else x.date().isoformat()


@pytest.mark.parametrize(
    "raw, want",
    [
        ("10/06/2567", "2024-06-10"),  # never 6 October
        ("01/02/2555", "2012-02-01"),
        ("1/2/2555", "2012-02-01"),
        ("1-2-2555", "2012-02-01"),
        ("1.2.2555", "2012-02-01"),
        ("๑๐/๐๖/๒๕๖๗", "2024-06-10"),
        ("10/06/2024", "2024-06-10"),  # a C.E. year stays C.E.
        ("2555-06-10", "2012-06-10"),
        ("2012-06-10", "2012-06-10"),
        ("2555-06-10 00:00:00", "2012-06-10"),
        ("10/06/2567 00:00:00", "2024-06-10"),
        ("29/02/2555", "2012-02-29"),  # 2012 is a leap year
        ("29/02/2556", None),
        ("06/13/2567", None),  # month-first is never tried
        ("31/04/2567", None),
        ("10/06/2300", None),  # neither era: never guessed
        ("2567", None),
        ("", None),
        ("-", None),
        ("ไม่ทราบ", None),
    ],
)
def test_parse_be_date_text(raw, want):
    assert _d(parse_be_date(pd.Series([raw])).iloc[0]) == want


def test_parse_be_date_cells_and_serials():
    s = pd.Series([dt.datetime(2555, 6, 10), dt.date(2549, 1, 31), dt.datetime(2012, 6, 10, 13, 5),
                   pd.Timestamp("2012-06-10"), None, np.nan, 41070, "41070", 239396.0, 12.5])
    out = [_d(x) for x in parse_be_date(s)]
    assert out == ["2012-06-10", "2006-01-31", "2012-06-10", "2012-06-10", None, None,
                   "2012-06-10", "2012-06-10", "2012-06-10", None]


def test_parse_be_date_keeps_index_and_dtype():
    s = pd.Series(["10/06/2567", None], index=[5, 9])
    out = parse_be_date(s)
    assert out.index.tolist() == [5, 9] and str(out.dtype) == "datetime64[ns]"
    big = pd.Series(["10/06/2567", "x"] * 500, index=range(1000, 2000))
    assert parse_be_date(big).index.equals(big.index)
    assert parse_be_date(big).iloc[::2].eq(pd.Timestamp("2024-06-10")).all()


def test_parse_sex():
    s = pd.Series(["ชาย", "หญิง", "ช", "ญ", "ช.", "ญ.", "M", "f", "Male", "FEMALE", "", None, "x"])
    assert parse_sex(s).fillna("?").tolist() == ["M", "F", "M", "F", "M", "F", "M", "F", "M", "F", "?", "?", "?"]


def test_parse_grade_all_canonical_labels_round_trip():
    assert parse_grade(pd.Series(GRADES)).tolist() == GRADES


@pytest.mark.parametrize(
    "raw, want",
    [("ป.3", "ป.3"), ("ป. 3", "ป.3"), ("ป3", "ป.3"), ("ประถมศึกษาปีที่ 3", "ป.3"), ("ป.๓", "ป.3"),
     ("อ.2", "อ.2"), ("อบ.2", "อ.2"), ("อนุบาล 2", "อ.2"), ("อนุบาลปีที่ 2", "อ.2"), ("อ.1", "อ.1"),
     ("ม.1", "ม.1"), ("มัธยมศึกษาปีที่ 1", "ม.1"), ("ม.6", "ม.6"), ("ปวช.1", "ปวช.1"), ("ปวช. 3", "ปวช.3"),
     ("ป.3/2", "ป.3"), ("อ.3 ขวบ", None), ("เตรียมอนุบาล", None), ("ป.7", None), ("ม.0", None),
     ("รวม อบ.", None), ("", None)])
def test_parse_grade(raw, want):
    got = parse_grade(pd.Series([raw])).iloc[0]
    assert (None if pd.isna(got) else got) == want


def test_parse_number():
    s = pd.Series(["0", "-", "ไม่มี", "", None, "๓๕", "1,234", "35.5", " 12 ", "-3", "2.5", "abc", "35 กก.", "1.2.3"])
    out = parse_number(s).tolist()
    assert out[0] == 0.0
    assert all(np.isnan(x) for x in out[1:5])
    assert out[5:11] == [35.0, 1234.0, 35.5, 12.0, -3.0, 2.5]
    assert np.isnan(out[11]) and out[12] == 35.0 and np.isnan(out[13])
    assert str(parse_number(s).dtype) == "float64"


def test_clean_text_and_headers():
    assert clean_text(pd.Series(["  ก  ข ", "\u200bค", "ไม่มี", "-", "NaN"])).fillna("?").tolist() == [
        "ก ข", "ค", "?", "?", "?"]
    assert normalize_header("ชื่อ (อังกฤษ)") == normalize_header("ชื่อ(อังกฤษ)") == "ชื่อ(อังกฤษ)"
    assert normalize_header("\ufeffรหัส\u00a0โรงเรียน ") == "รหัสโรงเรียน"
    # NFKC must not leave SARA AM decomposed
    assert normalize_header("น้ำหนัก") == "น้ำหนัก"
    assert clean_text(pd.Series(["น้ํา"])).iloc[0] == "น้ำ"  # NIKHAHIT+SARA AA typed apart
    assert thai_digits_to_ascii("๐๑๒๓๔๕๖๗๘๙") == "0123456789"


def test_canon_title():
    s = pd.Series(["ด.ช.", "ดช.", "ด.ญ.", "น.ส.", "นส.", "ส.ณ.", "เด็กชาย", "นาง", "", None, "Mr."])
    assert canon_title(s).fillna("?").tolist() == [
        "เด็กชาย", "เด็กชาย", "เด็กหญิง", "นางสาว", "นางสาว", "สามเณร", "เด็กชาย", "นาง", "?", "?", "นาย"]


# ---------------------------------------------------------------- normalize_text's fast path
_THAI = "".join(chr(c) for c in range(0x0E00, 0x0E80))
_ODD = " \t\u00a0\u3000\u200b\u200c\ufeff\u00ad\uff21\uff41\u2460ｶ"  # spaces, zero-width, compatibility forms


def _both(values: list):
    import pyarrow as pa

    from obec_audit.text import _normalize_all, _normalize_arrow

    arr = pa.array(values, type=pa.large_string())
    return _normalize_arrow(arr).to_pylist(), _normalize_all(arr).to_pylist()


def test_normalize_text_fast_path_equals_the_five_passes_on_thai_text():
    """Every value the stable pattern lets through unchanged is one the five passes keep:
    mark pairs in both orders, SARA AM next to tone marks, NIKHAHIT + SARA AA, spaces."""
    rng = np.random.default_rng(8)
    alphabet = list(_THAI + _ODD + "ab -.")
    values = ["".join(rng.choice(alphabet, size=int(rng.integers(0, 7)))) for _ in range(20_000)]
    values += ["น้ำ", "นํ้า", "น้ํา", "กุ่", "กุ่", "ก่ำ", "กำ่", "ำ", "ก ข", " ก", "ก ", "ก  ข", None] * 10
    fast, slow = _both(values)
    assert fast == slow


hyp = pytest.importorskip("hypothesis")
from hypothesis import given, strategies as st  # noqa: E402


@given(st.lists(st.text(alphabet=st.sampled_from(list(_THAI + _ODD + "aZ0 -")), max_size=8) | st.none(),
                min_size=64, max_size=120))
def test_normalize_text_fast_path_property(values):
    fast, slow = _both(values)
    assert fast == slow
