"""Row-level student checks: codes and rows, not wording."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from obec_audit.thaidate import academic_year_ce
import pytest

from obec_audit.checks.registry import CheckInput, run_checks
from obec_audit.checks import students as S
from obec_audit.schema import FINDING_COLUMNS

CENSUS = dt.date(2026, 6, 10)  # 10 มิ.ย. 2569


def run(df, code, as_of=CENSUS, **kw):
    return run_checks(CheckInput(students=df, as_of=as_of, **kw), codes=[code])


# ----------------------------------------------------------------------------- IDs
def test_clean_rows_give_no_findings(make_students):
    df = make_students([{}, {"sex": "F", "title": "เด็กหญิง", "first_name": "สมศรี"}])
    out = run_checks(CheckInput(students=df, as_of=CENSUS, boarding_schools=frozenset()), phase="round1")
    assert out.empty, out[["check", "field", "message"]]


def test_run_checks_returns_contract_columns(make_students):
    df = make_students([{"national_id": ""}, {}])
    out = run_checks(CheckInput(students=df, as_of=CENSUS), phase="round1")
    assert list(out.columns)[: len(FINDING_COLUMNS)] == FINDING_COLUMNS
    assert out["source_row"].dtype == "Int64"
    assert set(out["severity"]) <= {"error", "warning", "info"}
    assert (out["message"].str.len() > 0).all()


def test_id_missing(make_students, rows_of):
    df = make_students([{"national_id": ""}, {"national_id": None}, {"national_id": "-"}, {}])
    out = run(df, "id-missing")
    assert rows_of(out, "id-missing") == [2, 3, 4]


def test_type0_ids(make_students, make_pin, rows_of):
    good0 = make_pin("057011234567")
    bad0 = good0[:12] + str((int(good0[12]) + 1) % 10)
    df = make_students([{"national_id": good0}, {"national_id": bad0}, {"national_id": "0000000000019"}])
    out = run_checks(CheckInput(students=df, as_of=CENSUS), codes=["id-checksum", "id-format", "id-missing"])
    assert rows_of(out, "id-checksum") == [3]
    assert rows_of(out, "id-format") == []
    assert "กรุณาตรวจสอบกับหลักฐาน" in out.loc[out["check"] == "id-checksum", "message"].iloc[0]


def test_checksum_type1(make_students, make_pin, rows_of):
    good = make_pin("110170023070")
    bad = good[:12] + str((int(good[12]) + 3) % 10)
    df = make_students([{"national_id": good}, {"national_id": bad}, {"national_id": "1-1017-00230-70-8"}])
    assert rows_of(run(df, "id-checksum"), "id-checksum") == [3]


def test_gcode_only_id_gcode(make_students, rows_of):
    df = make_students([{"national_id": "G644200000001"}, {"national_id": "g-6442-0000-0002"}, {}])
    out = run_checks(CheckInput(students=df, as_of=CENSUS), phase="round1")
    assert rows_of(out, "id-gcode") == [2, 3]
    assert set(out["check"]) == {"id-gcode"}
    assert (out["severity"] == "warning").all()


def test_excel_damaged_ids_are_id_format(make_students, make_pin, rows_of):
    t0 = make_pin("057011234567")
    df = make_students(
        [
            {"national_id": t0[1:]},  # type-0 with its leading zero lost: 12 digits
            {"national_id": "101700230708"},  # 12 digits
            {"national_id": "1.1017E+12"},  # scientific notation
            {"national_id": "1101700230708.0"},  # float: fine after normalisation
            {"national_id": "11017002307"},  # 11 digits
            {"national_id": "9101700230705"},  # type 9
            {"national_id": "1101700ABC708"},  # letters
            {"national_id": "G64420000001"},  # short G-code
        ]
    )
    out = run_checks(CheckInput(students=df, as_of=CENSUS), codes=["id-format", "id-checksum", "id-gcode"])
    assert rows_of(out, "id-format") == [2, 3, 4, 6, 7, 8, 9]
    assert rows_of(out, "id-checksum") == []
    msg = out.set_index("source_row")["message"]
    assert "0" + t0[1:] in msg[2]  # suggests the zero back
    assert "E+12" in msg[4]
    assert out.loc[out["source_row"] == 4, "value"].iloc[0] == "1.1017E+12"  # value as read


# ----------------------------------------------------------------------------- field-missing
def test_field_missing_weight_zero_and_blank(make_students, rows_of):
    df = make_students(
        [
            {"weight": 0.0, "weight_raw": "0"},
            {"height": 0.0, "weight": np.nan, "weight_raw": "-"},
            {"room": None, "religion": "  "},
            {},
        ]
    )
    out = run(df, "field-missing")
    assert rows_of(out, "field-missing", "weight") == [2, 3]
    assert rows_of(out, "field-missing", "height") == [3]
    assert rows_of(out, "field-missing", "room") == [4]
    assert rows_of(out, "field-missing", "religion") == [4]
    assert len(out) == 5
    # weight 0 is not body-implausible
    assert run(df, "body-implausible").empty


def test_field_missing_parsed_fields(make_students, rows_of):
    df = make_students(
        [
            {"sex": None, "sex_raw": None},  # empty → field-missing
            {"sex": None, "sex_raw": "x"},  # unparseable → field-code
            {"grade": None, "grade_raw": ""},  # empty
            {"grade": None, "grade_raw": "ป.9"},  # unparseable → field-code
            {"birth_date": None, "birth_date_raw": None},  # empty
            {"birth_date": None, "birth_date_raw": "31/02/2561"},  # unreadable → birthdate-invalid only
        ]
    )
    out = run_checks(CheckInput(students=df, as_of=CENSUS), codes=["field-missing", "field-code", "birthdate-invalid"])
    assert rows_of(out, "field-missing", "sex") == [2]
    assert rows_of(out, "field-code", "sex") == [3]
    assert rows_of(out, "field-missing", "grade") == [4]
    assert rows_of(out, "field-code", "grade") == [5]
    assert rows_of(out, "field-missing", "birth_date") == [6]
    assert rows_of(out, "birthdate-invalid") == [7]
    assert rows_of(out, "field-missing") == [2, 4, 6]


def test_field_missing_skips_absent_columns(make_students, rows_of):
    df = make_students(
        [
            {"source_file": "a.xlsx", "race": None},
            {"source_file": "b.csv", "race": None, "religion": None},
            {"source_file": "b.csv", "race": None, "religion": None},
        ],
        absent_columns={"b.csv": ["race", "religion"]},
    )
    out = run(df, "field-missing")
    assert rows_of(out, "field-missing", "race") == [2]
    assert rows_of(out, "field-missing", "religion") == []


# ----------------------------------------------------------------------------- field-code
def test_field_code_lists(make_students, rows_of):
    df = make_students(
        [
            {"disadvantage": "อื่นๆ"},  # spacing variant of 'อื่น ๆ': fine
            {"disadvantage": "เด็กยากจน "},  # trailing space: fine
            {"disadvantage": "ยากจนมาก"},  # not in list
            {"disadvantage": None, "disability": None, "boarding": None, "blood_group": None},  # blanks fine
            {"disability": "บกพร่องทางร่างกายหรือการเคลื่อนไหวหรือสุขภาพ"},  # spacing variant
            {"disability": "ตาบอด"},
            {"boarding": "(โครงการพักนอนประจำ) บ้านพักครู"},
            {"boarding": "หอพัก"},
            {"religion": "คริสต์"},
            {"religion": "ผี"},
            {"blood_group": "ab"},
            {"blood_group": "Z"},
            {"title": "ด.ช."},
            {"title": "คุณ"},
        ]
    )
    out = run(df, "field-code")
    assert rows_of(out, "field-code") == [4, 7, 9, 11, 13, 15]
    assert dict(zip(out["source_row"].astype(int), out["field"])) == {
        4: "disadvantage", 7: "disability", 9: "boarding", 11: "religion", 13: "blood_group", 15: "title",
    }


# ----------------------------------------------------------------------------- sex-title
def test_sex_title(make_students, rows_of):
    df = make_students(
        [
            {"title": "เด็กชาย", "sex": "F"},
            {"title": "ด.ญ.", "sex": "M"},
            {"title": "นางสาว", "sex": "F"},
            {"title": "สามเณร", "sex": "M"},
            {"title": "เด็กชาย", "sex": None, "sex_raw": None},
            {"title": "นาย", "sex": "F"},
        ]
    )
    assert rows_of(run(df, "sex-title"), "sex-title") == [2, 3, 7]


# ----------------------------------------------------------------------------- age-grade
@pytest.mark.parametrize(
    "grade,birth,flag",
    [
        ("ป.1", "2020-01-10", False),  # 6 at 16 May 2026: typical
        ("ป.1", "2020-12-01", False),  # 5: one year early (born after 16 May): tolerated
        ("ป.1", "2021-06-01", True),  # 4: far too young
        ("ป.1", "2017-03-01", False),  # 9: late starter
        ("ป.1", "2016-03-01", False),  # 10: late starter + repeat
        ("ป.1", "2015-03-01", True),  # 11: far too old
        ("อ.1", "2023-03-01", False),  # 3
        ("อ.1", "2023-06-01", True),  # 2: under 3
        ("อ.2", "2023-01-01", False),  # 3 in อ.2: tolerated
        ("อ.3", "2022-12-01", True),  # 3 in อ.3
        ("ม.3", "2010-05-01", False),  # 16
        ("ม.6", "2005-05-01", True),  # 21: over 20
        ("ป.6", "2011-01-01", False),  # 15: 4 years late
        ("ป.6", "2009-01-01", True),  # 17
    ],
)
def test_age_grade(make_students, grade, birth, flag):
    df = make_students([{"grade": grade, "birth_date": birth}])
    out = run(df, "age-grade")
    assert (len(out) == 1) is flag


def test_age_grade_uses_academic_year_16_may(make_students, rows_of):
    # a ป.1 child born 1 Feb 2020: 6 at 16 May 2026. At the end-of-year census (31 Mar 2027)
    # the academic year is still 2026: not flagged; 15 May 2027 likewise.
    df = make_students([{"grade": "ป.1", "birth_date": "2020-02-01"}, {"grade": "ป.1", "birth_date": "2021-02-01"}])
    for as_of in (dt.date(2026, 6, 10), dt.date(2026, 11, 10), dt.date(2027, 3, 31), dt.date(2027, 5, 15)):
        assert rows_of(run(df, "age-grade", as_of=as_of), "age-grade") == [], as_of
    # one rule for the whole package (obec_audit.thaidate): the year starts on 16 May
    assert academic_year_ce(dt.date(2027, 5, 15)) == 2026
    assert academic_year_ce(dt.date(2027, 5, 16)) == 2027


def test_age_grade_skips_invalid_birthdates(make_students):
    df = make_students([{"grade": "ป.1", "birth_date": "2030-01-01"}, {"grade": "ป.1", "birth_date": None}])
    assert run(df, "age-grade").empty


# ----------------------------------------------------------------------------- birthdate
def test_birthdate_invalid(make_students, rows_of):
    df = make_students(
        [
            {"birth_date": None, "birth_date_raw": "abc"},  # unreadable
            {"birth_date": "2099-01-01"},  # future
            {"birth_date": "2026-06-20"},  # after the census
            {"birth_date": "1940-01-01"},  # absurd
            {"birth_date": "2026-05-10"},  # a baby born before the academic year: age-grade's
            {"birth_date": None, "birth_date_raw": None},  # empty: field-missing, not this
            {"birth_date": "2012-03-20", "birth_date_raw": "20/03/2555"},  # B.E. parsed upstream
        ]
    )
    assert rows_of(run(df, "birthdate-invalid"), "birthdate-invalid") == [2, 3, 4, 5]


def test_birthdate_after_academic_year_start(make_students, rows_of):
    # born 20 June 2026: after the census of 10 June (round 1) and, at the 5 July round-2
    # census, after 16 May 2026, when the academic year began: invalid in both, never age-grade
    df = make_students([{"birth_date": "2026-06-20"}, {"birth_date": "2026-05-10", "grade": "อ.1"}])
    for as_of in (dt.date(2026, 6, 10), dt.date(2026, 7, 5), dt.date(2027, 3, 31)):
        out = run_checks(CheckInput(students=df, as_of=as_of), codes=["birthdate-invalid", "age-grade"])
        assert rows_of(out, "birthdate-invalid") == [2], as_of
        assert rows_of(out, "age-grade") == [3], as_of


# ----------------------------------------------------------------------------- body
def test_body_implausible(make_students, rows_of):
    df = make_students(
        [
            {"weight": 26.0, "height": 128.0},  # typical 8-year-old boy
            {"weight": 0.0, "height": 0.0},  # not entered: field-missing only
            {"weight": 128.0, "height": 26.0},  # swapped columns
            {"weight": 26.0, "height": 1.28},  # metres
            {"weight": 260.0, "height": 128.0},  # absurd weight
            {"weight": 9.0, "height": 128.0},  # BMI 5.5
            {"weight": 26.0, "height": 185.0},  # 185 cm at 8: z > 5
            {"weight": 45.0, "height": 130.0},  # heavy 8-year-old (BMI 26.6): plausible
            {"weight": 20.0, "height": 135.0, "sex": None, "sex_raw": None},  # sex unknown, plausible
            {"weight": 55.0, "height": 165.0, "grade": "ม.6", "birth_date": "2008-03-01"},  # adult-ish
            {"weight": 3.0, "height": 90.0, "grade": "อ.1", "birth_date": "2023-01-01"},  # < 8 kg
        ]
    )
    out = run(df, "body-implausible")
    assert rows_of(out, "body-implausible", "height") == [4, 5, 8]
    # swapped row 4: reported on height (the message says to check for swapped columns)
    assert rows_of(out, "body-implausible", "weight") == [6, 7, 12]
    assert (out["severity"] == "warning").all()


def test_body_implausible_young_child_no_z(make_students):
    # no z-score under 2 years: only absolute limits
    df = make_students([{"weight": 10.0, "height": 75.0, "grade": "อ.1", "birth_date": "2025-01-01"}])
    assert run(df, "body-implausible").empty


def test_safe_band_proves_z_within_the_limit():
    """A value ``_band.in_safe_band`` says is safe has |z| < limit for both sexes at its age (any
    age, 2 to 30 years; ages between the grid's steps included)."""
    from obec_audit import growth
    from obec_audit.checks import _band

    rng = np.random.default_rng(11)
    n = 400_000
    age = rng.uniform(0, 30, n)
    for ind, lo, hi in (("hfa", 40, 230), ("bfa", 5, 70)):
        for zlim in (5.0, 3.0):
            v = rng.uniform(lo, hi, n)
            inb = _band.in_safe_band(ind, zlim, age, v)
            assert 0.05 < inb.mean() < 0.9  # the band is not empty, nor everything
            assert not inb[age < 2].any()
            for sex in ("M", "F"):
                z = growth.zscore(ind, np.full(n, growth.SEX_CODES[sex], dtype=np.int8), age, v)
                assert np.abs(z[inb]).max() < zlim


def test_body_implausible_same_with_the_safe_band(make_students, monkeypatch):
    """The band only skips work: the same findings with it as without (random bodies, ages
    and sexes, some near the limits)."""
    rng = np.random.default_rng(5)
    n = 3000
    rows = [{"weight": float(rng.choice([rng.uniform(5, 90), rng.uniform(8, 12), 0.0])),
             "height": float(rng.choice([rng.uniform(50, 200), rng.uniform(95, 110)])),
             "sex": rng.choice(["M", "F", None]), "sex_raw": None,
             "birth_date": str(dt.date(2006, 1, 1) + dt.timedelta(days=int(rng.integers(0, 7000))))}
            for _ in range(n)]
    df = make_students(rows)
    without = run(df, "body-implausible")
    from obec_audit.checks import _band

    monkeypatch.setattr(_band, "SAFE_BAND_MIN_ROWS", 0)
    pd.testing.assert_frame_equal(run(df, "body-implausible"), without)
    assert len(without) > 50


# ----------------------------------------------------------------------------- boarding
def test_boarding_school(make_students, rows_of):
    df = make_students(
        [
            {"school_code": "57010001", "boarding": "(โครงการพักนอนประจำ)บ้านพักนักเรียน/หอนอน"},
            {"school_code": "57010002", "boarding": "(โครงการพักนอนประจำ)บ้านพักครู"},
            {"school_code": "57010002", "boarding": "อาศัยอยู่กับญาติ"},
            {"school_code": "57010002", "boarding": None},
            {"school_code": "57010003", "boarding": "(โครงการ พักนอนประจำ) พักรวมกับชุมชน/อื่นๆ"},
        ]
    )
    out = run(df, "boarding-school", boarding_schools=frozenset({"57010001"}))
    assert rows_of(out, "boarding-school") == [3, 6]
    # without the list, the check is skipped
    assert run(df, "boarding-school").empty


def test_empty_frame_and_missing_everything(make_students):
    df = make_students([{}]).iloc[0:0]
    assert run_checks(CheckInput(students=df, as_of=CENSUS), phase="round1").empty
    df = make_students(
        [{k: None for k in ["title", "first_name", "last_name", "sex", "birth_date", "grade", "weight",
                            "height", "national_id", "religion", "race", "nationality", "room"]}]
    )
    out = run_checks(CheckInput(students=df, as_of=CENSUS), phase="round1")
    assert "id-missing" in set(out["check"])
    assert (out["check"] == "field-missing").sum() == 12
