"""Values as schools type them (issue 11, item 5): Thai month names, 2-digit years, Excel
date cells, years of no era, titles and sex in short forms, grades with ชั้น/ห้อง, pre-K."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from obec_audit import text as T
from obec_audit.thaidate import THAI_MONTHS, THAI_MONTHS_ABBR

REF = dt.date(2026, 6, 10)


def _iso(values, ref=REF):
    return [None if pd.isna(x) else x.date().isoformat() for x in T.parse_be_date(pd.Series(values, dtype=object), ref=ref)]


@pytest.mark.parametrize("month", range(1, 13))
def test_every_thai_month_name_full_abbr_and_spoken(month):
    full, abbr = THAI_MONTHS[month - 1], THAI_MONTHS_ABBR[month - 1]
    forms = [f"3 {full} 2560", f"3 {abbr} 2560", f"๓ {abbr.replace('.', '')} ๒๕๖๐", f"3 {full} พ.ศ. 2560",
             f"วันที่ 3 {full} 2560", f"3-{abbr}-2560", f"3 {abbr} 60"]
    want = dt.date(2017, month, 3).isoformat()
    assert _iso(forms) == [want] * len(forms)
    assert T.be_date_problem(pd.Series(forms), ref=REF).eq("").all()


def test_unknown_month_name_is_explained_not_guessed():
    s = pd.Series(["3 มีนาคา 2560"])
    assert _iso(s) == [None]
    assert "มีนาคา" in T.be_date_problem(s, ref=REF).iloc[0]


@pytest.mark.parametrize(
    "raw, want",
    [("10/06/67", "2024-06-10"),  # B.E. 2567: a pupil of 2
     ("10/06/60", "2017-06-10"),  # B.E. 2560
     ("10/06/12", "2012-06-10"),  # C.E. 2012 (B.E. 2512 would be a 57-year-old)
     ("10/06/35", None),  # B.E. 2535 (34 years) or C.E. 2035 (future): neither a pupil
     ("10/06/90", None)],
)
def test_two_digit_years_by_plausible_pupil_age(raw, want):
    assert _iso([raw]) == [want]
    assert (T.be_date_problem(pd.Series([raw]), ref=REF).iloc[0] == "") == (want is not None)


def test_two_digit_year_depends_on_the_reference_date():
    # "10/06/45": B.E. 2545 (2002) is a pupil in 2020, an adult of 44 in 2046 (then C.E. 2045 is a pupil of 1)
    assert _iso(["10/06/45"], ref=dt.date(2020, 1, 1)) == ["2002-06-10"]
    assert _iso(["10/06/45"], ref=dt.date(2047, 1, 1)) == ["2045-06-10"]


def test_two_digit_year_ambiguous_is_kept_as_read_and_said(monkeypatch):
    # with an age band wider than the 43 years between B.E. 25yy and C.E. 20yy, both readings fit
    monkeypatch.setattr(T, "TWO_DIGIT_MAX_AGE", 60)
    assert _iso(["10/06/10"], ref=dt.date(2020, 1, 1)) == [None]
    why = T.be_date_problem(pd.Series(["10/06/10"]), ref=dt.date(2020, 1, 1)).iloc[0]
    assert "2510" in why and "2010" in why


@pytest.mark.parametrize("year", [2101, 2200, 2300, 2399])
def test_years_between_the_eras_are_never_guessed(year):
    s = pd.Series([f"10/06/{year}", f"{year}-06-10", dt.datetime(year, 6, 10)], dtype=object)
    assert _iso(s) == [None, None, None]
    assert T.be_date_problem(s, ref=REF).str.contains(str(year)).all()


def test_era_boundaries():
    assert _iso(["10/06/2100", "10/06/2400", "10/06/2567"]) == ["2100-06-10", "1857-06-10", "2024-06-10"]


def test_gregorian_and_buddhist_excel_date_cells():
    s = pd.Series([dt.datetime(2012, 6, 10), dt.datetime(2555, 6, 10), dt.date(2017, 4, 3),
                   pd.Timestamp("2012-06-10"), "2012-06-10 00:00:00", 41070], dtype=object)
    assert _iso(s) == ["2012-06-10", "2012-06-10", "2017-04-03", "2012-06-10", "2012-06-10", "2012-06-10"]


@pytest.mark.parametrize(
    "raw, needle",
    [("31/02/2567", "กุมภาพันธ์"), ("06/13/2567", "13"), ("2569", "มีแต่ปี"), ("10/06/", "ไม่ครบ"),
     ("ไม่ทราบ", "รูปแบบ")],
)
def test_be_date_problem_says_why(raw, needle):
    s = pd.Series([raw, "10/06/2567", None, ""])
    why = T.be_date_problem(s, ref=REF)
    assert needle in why.iloc[0]
    assert why.iloc[1:].eq("").all()


def test_date_parsing_is_per_distinct_value_and_aligned():
    s = pd.Series(["3 เม.ย. 2560", "x", None] * 400, index=range(7, 1207))
    out = T.parse_be_date(s, ref=REF)
    assert out.index.equals(s.index)
    assert out.iloc[::3].eq(pd.Timestamp("2017-04-03")).all() and out.iloc[1::3].isna().all()


def test_titles_without_dots_spaces_and_english():
    s = pd.Series(["ดช", "ด ญ", "ด.ช", "ด. ช.", "เด็ก ชาย", "นส", "น.ส", "สณ", "นาย.", "Master", "MASTER.",
                   "Mr", "Mr.", "Mrs.", "Miss", "miss.", "Ms", "คุณ"])
    assert T.canon_title(s).tolist() == [
        "เด็กชาย", "เด็กหญิง", "เด็กชาย", "เด็กชาย", "เด็กชาย", "นางสาว", "นางสาว", "สามเณร", "นาย", "เด็กชาย",
        "เด็กชาย", "นาย", "นาย", "นาง", "Miss", "Miss", "Ms.", "คุณ"]
    assert T.TITLE_SEX["Miss"] == "F" and T.TITLE_SEX["เด็กชาย"] == "M"


def test_sex_short_forms_and_dmc_codes():
    s = pd.Series(["ช", "ญ", "ชาย", "หญิง", "M", "F", "m.", "1", "2", 1, 2.0, "1.0", "0", "3", "ชญ", None], dtype=object)
    assert T.parse_sex(s).fillna("?").tolist() == [
        "M", "F", "M", "F", "M", "F", "M", "M", "F", "M", "F", "M", "?", "?", "?", "?"]


@pytest.mark.parametrize(
    "raw, want",
    [("ป.๑/2", "ป.1"), ("ชั้นประถมศึกษาปีที่ 1", "ป.1"), ("ป.1 ห้อง 2", "ป.1"), ("ป.1 ห้องที่ 2", "ป.1"),
     ("ชั้น ม.3/1", "ม.3"), ("ป.3(2)", "ป.3"), ("ชั้นอนุบาลปีที่ 2", "อ.2"), ("ชั้นมัธยมศึกษาปีที่ ๖", "ม.6"),
     ("เตรียมอนุบาล", None), ("ชั้นเตรียมอนุบาล", None), ("อ.3 ขวบ", None), ("อนุบาล 3 ขวบ", None),
     ("ป.7", None)],
)
def test_grades_with_chan_and_hong(raw, want):
    got = T.parse_grade(pd.Series([raw])).iloc[0]
    assert (None if pd.isna(got) else got) == want


def test_pre_kindergarten_is_noted_not_mapped():
    s = pd.Series(["เตรียมอนุบาล", "อ.3 ขวบ", "ป.7", "อ.1", None])
    why = T.grade_problem(s)
    assert why.iloc[0] != "" and why.iloc[1] != ""
    assert why.iloc[2:].eq("").all()
