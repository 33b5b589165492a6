"""The three real EMIS pages of school 1020080035 shipped in the reference data (staff counts,
M-OBEC, B-OBEC): what each yields as read and as checked, alone and through a round."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from _iofiles import write_csv  # noqa: E402

from obec_audit.checks import registry
from obec_audit.checks.registry import CheckInput, run_checks
from obec_audit.io import load_bobec, load_class_counts, load_mobec, load_staff

REF = Path(__file__).resolve().parents[2] / "obec_audit" / "data" / "reference"
STAFF = REF / "emis_staff_example_1020080035.csv"
MOBEC = REF / "mobec_example_1020080035.csv"
BOBEC = REF / "bobec_buildings_example_1020080035.csv"
CENSUS = REF / "emis_students_example_1020080035.csv"
SCHOOL = "1020080035"  # outside Chiang Rai: the registry does not list it, the code is kept
AS_OF = dt.date(2026, 10, 10)


def _accounting(files: pd.DataFrame) -> None:
    assert (files["status"] == "ok").all()
    assert (files["rows_read"] == files["rows_loaded"] + files["rows_blank"] + files["rows_skipped"]).all()


# ------------------------------------------------------------------------------------ staff
def test_staff_counts_page_read_as_published():
    res = load_staff(STAFF)
    df = res.frame
    assert res.findings.empty
    _accounting(res.files)
    assert len(df) == 18 and (df["record"] == "count").all()
    assert (df["school_code"] == SCHOOL).all()
    assert df["position"].iloc[0] == "ผู้อำนวยการโรงเรียน"  # "1. " numbering removed
    assert df["level"].tolist()[14] == "ครูผู้ช่วย"
    assert df["total"].sum() == 40 and df["headcount"].sum() == 40
    assert df.loc[df["position"].eq("ครู"), "total"].sum() == 26
    assert df["national_id"].isna().all() and df["id_type"].isna().all()
    assert df.attrs["absent_columns"] == {STAFF.name: ()}


def _codes_of(phase: str, dataset: str) -> list[str]:
    """The phase's checks of one dataset (the stand-in student lists here are not lists to check)."""
    return [c.code for c in registry.select(phase) if c.dataset == dataset]


def test_staff_counts_page_checks():
    st = load_staff(STAFF).frame
    cc = load_class_counts(CENSUS).frame
    assert (cc["school_code"] == SCHOOL).all() and cc["total"].sum() == 677
    data = CheckInput(staff=st, class_counts=cc, students=pd.DataFrame({"school_code": ["57010001"]}),
                      as_of=AS_OF)
    f = run_checks(data, "round1", codes=_codes_of("round1", "staff"))
    assert f.empty  # a director, every standing possible, totals add up, 677 / 29 = 23 : 1
    # the ratio is judged: with a tenth of the teachers it is raised
    few = st.copy()
    few.loc[few["position"].eq("ครู"), ["total", "headcount"]] = 0.0
    few.attrs = st.attrs
    f = run_checks(CheckInput(staff=few, class_counts=cc, students=data.students), "round1",
                   codes=["staff-ratio"])
    assert f["school_code"].tolist() == [SCHOOL]


def test_staff_counts_page_faults_found(tmp_path):
    text = STAFF.read_text(encoding="utf-8").splitlines()
    text[3] = "1. ผู้อำนวยการโรงเรียน,ชำนาญการพิเศษ,คศ.3,0,0,0"        # row 4: the director gone
    text[10] = "3. ครู,-,คศ.1,5,13,17"                                  # row 11: 5 + 13 ≠ 17
    text[18] = "7. ลูกจ้างชั่วคราว,ชำนาญการ,-,0,1,1"                     # row 19: standing impossible
    p = tmp_path / STAFF.name
    p.write_text("\n".join(text) + "\n", encoding="utf-8")
    f = run_checks(CheckInput(staff=load_staff(p).frame), "round1")
    got = sorted(zip(f["check"], f["source_row"].fillna(0).astype(int)))
    assert got == [("staff-code", 19), ("staff-no-director", 0), ("staff-total", 11)]
    assert (f["school_code"] == SCHOOL).all()


def test_staff_counts_page_without_level_column(tmp_path):
    rows = [["ตำแหน่ง", "วิทยฐานะ", "ชาย", "หญิง", "รวม"],
            ["1. ผู้อำนวยการโรงเรียน", "ชำนาญการพิเศษ", 1, 0, 1],
            ["3. ครู", "-", 2, 3, 5]]
    st = load_staff(write_csv(tmp_path / "staff_57010001.csv", rows)).frame
    f = run_checks(CheckInput(staff=st), "round1")
    assert f[["check", "field"]].values.tolist() == [["staff-incomplete", "level"]]
    assert f["school_code"].tolist() == ["57010001"] and f["source_row"].isna().all()


# ------------------------------------------------------------------------------------ M-OBEC
def test_mobec_page():
    res = load_mobec(MOBEC)
    df = res.frame
    assert res.findings.empty
    _accounting(res.files)
    assert len(df) == 76 and (df["school_code"] == SCHOOL).all()
    assert df["item_code"].nunique() == 76
    f = run_checks(CheckInput(mobec=df, as_of=AS_OF), "mobec")
    assert f.empty  # all 76 items, every count a whole number


def test_mobec_page_without_disposal_column(tmp_path):
    lines = MOBEC.read_text(encoding="utf-8").splitlines()
    cut = [ln.rsplit(",", 1)[0] for ln in lines]  # the last column (จำนวนรอจำหน่าย) gone
    cut[5] = cut[5].rsplit(",", 1)[0] + ",-2"     # row 6: a negative repair count
    p = tmp_path / "mobec_example_1020080035.csv"
    p.write_text("\n".join(cut) + "\n", encoding="utf-8")
    f = run_checks(CheckInput(mobec=load_mobec(p).frame, as_of=AS_OF), "mobec")
    got = sorted(zip(f["check"], f["field"], f["source_row"].fillna(0).astype(int)))
    assert got == [("mobec-count", "repair", 6), ("mobec-incomplete", "disposal", 0)]


# ------------------------------------------------------------------------------------ B-OBEC
def test_bobec_page():
    res = load_bobec(BOBEC)
    df = res.frame
    assert res.findings.empty
    _accounting(res.files)
    assert len(df) == 28 and (df["school_code"] == SCHOOL).all()
    kids = pd.DataFrame({"school_code": [SCHOOL] * 40, "grade": ["ป.1"] * 20 + ["ป.2"] * 20,
                         "room": ["1", "2"] * 20})
    f = run_checks(CheckInput(bobec=df, students=kids, as_of=AS_OF), "bobec", codes=_codes_of("bobec", "bobec"))
    # years all readable and in range; condition, rooms and photos are not on the page: one
    # note each, no error per building, no classroom shortage judged without room counts
    assert set(f["check"]) == {"bobec-incomplete"}
    assert sorted(f["field"]) == ["actual_rooms", "condition", "design_rooms", "photos"]
    assert f["source_row"].isna().all() and (f["school_code"] == SCHOOL).all()
    assert (f["severity"] == "warning").all()


def test_bobec_page_bad_year_found(tmp_path):
    lines = BOBEC.read_text(encoding="utf-8").splitlines()
    lines[2] = "อาคารเรียน,ป.1ข,1975"  # row 3: a C.E. year
    p = tmp_path / "bobec_1020080035.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    f = run_checks(CheckInput(bobec=load_bobec(p).frame, as_of=AS_OF), "bobec", codes=["bobec-year"])
    assert f["source_row"].tolist() == [3]


# ------------------------------------------------------------------------------------ round
@pytest.mark.parametrize("phase,kw,codes", [
    ("round1", "staff", set()),
    ("mobec", "mobec", set()),
    ("bobec", "bobec", {"bobec-incomplete"}),
])
def test_real_pages_through_a_round(tmp_path, phase, kw, codes):
    students = write_csv(tmp_path / "students_57010001.csv", [
        ["รหัสโรงเรียน", "เลขประจำตัวประชาชน", "ชั้น", "ห้อง", "เพศ", "คำนำหน้าชื่อ", "ชื่อ", "นามสกุล", "วันเกิด"],
        ["57010001", "1101700230708", "ป.1", "1", "ช", "เด็กชาย", "ก", "ข", "01/02/2562"],
    ])
    page = {"staff": STAFF, "mobec": MOBEC, "bobec": BOBEC}[kw]
    (tmp_path / "in").mkdir()
    shutil.copy(page, tmp_path / "in" / page.name)
    from obec_audit.round import run_round

    res = run_round(students, None, as_of="2026-10-10", phase=phase, reports=False,
                    **{kw: tmp_path / "in"})
    f = res.findings
    f = f[f["dataset"].eq(kw)]
    assert not f["check"].eq("file-unreadable").any()
    assert set(f["check"]) == codes
    assert f["school_code"].eq(SCHOOL).all()
