"""io.school_id: the school a page belongs to, from a column, a title row or the file name."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _iofiles import write_csv, write_xlsx  # noqa: E402

from obec_audit.io import load_bobec, load_mobec, load_staff
from obec_audit.io.school_id import code_in_text, resolve_code, resolve_codes

MOBEC_ROWS = [["รหัส", "รายการ", "รายการ(cm.)", "จำนวนที่ใช้ได้", "จำนวนรอซ่อม", "จำนวนรอจำหน่าย"],
              ["11001", "ครุภัณฑ์การศึกษา", "โต๊ะ", 3, 0, 0]]


def test_resolve_through_the_registry():
    # 57013001 เชียงรายปัญญานุกูล: ministry 1057120702, OBEC-6 120702
    assert resolve_code("1057120702") == "57013001"
    assert resolve_code("๑๒๐๗๐๒") == "57013001"
    assert resolve_code("57013001") == "57013001"
    assert resolve_code("1020080035") == "1020080035"  # not listed: kept
    assert resolve_code("  ") is None and resolve_code(None) is None
    s = resolve_codes(pd.Series(["1057120702", None, "5701 0001"], dtype="string"))
    assert s.tolist()[0] == "57013001" and pd.isna(s.iloc[1]) and s.iloc[2] == "57010001"


def test_code_in_text():
    assert code_in_text("staff_57010001_2569-06-10") == "57010001"
    assert code_in_text("mobec_1057120702") == "57013001"
    assert code_in_text("หน้า B-OBEC รหัส 120702") == "57013001"
    assert code_in_text("bobec_123456") is None            # 6 digits the registry does not list
    assert code_in_text("ครุภัณฑ์ 25690610") is None        # a date, not a school
    assert code_in_text("ชุดที่ 3") is None


def test_school_from_title_row_then_name(tmp_path):
    titled = [["ข้อมูลครุภัณฑ์ โรงเรียนเชียงรายปัญญานุกูล รหัสโรงเรียน 1057120702"], *MOBEC_ROWS]
    a = load_mobec(write_xlsx(tmp_path / "mobec_2569.xlsx", titled)).frame
    assert a["school_code"].tolist() == ["57013001"]
    assert a["school_name"].tolist() == ["เชียงรายปัญญานุกูล"]  # from the registry
    b = load_mobec(write_csv(tmp_path / "m_120702.csv", MOBEC_ROWS)).frame
    assert b["school_code"].tolist() == ["57013001"]
    c = load_mobec(write_csv(tmp_path / "mobec.csv", MOBEC_ROWS)).frame
    assert c["school_code"].isna().all()


def test_column_wins_and_ministry_codes_in_a_column_map(tmp_path):
    rows = [["รหัสโรงเรียน", "ประเภท", "แบบ", "ปีที่สร้าง"],
            ["1057120702", "อาคารเรียน", "สปช.105/29", 2540],
            ["57010001", "ส้วม", "สปช.601/26", 2547],
            [None, "รั้ว", "รั้วคอนกรีต", 2550]]
    df = load_bobec(write_csv(tmp_path / "bobec_57010099.csv", rows)).frame
    # the empty cell takes the file's code (from its name)
    assert df["school_code"].tolist() == ["57013001", "57010001", "57010099"]


def test_unidentified_page_said_once(tmp_path):
    from obec_audit.checks.registry import CheckInput, run_checks

    rows = [["ตำแหน่ง", "วิทยฐานะ", "ระดับ", "ชาย", "หญิง", "รวม"],
            ["1. ผู้อำนวยการโรงเรียน", "ชำนาญการ", "คศ.2", 1, 0, 1],
            ["3. ครู", "-", "คศ.1", 2, 3, 5]]
    st = load_staff(write_csv(tmp_path / "staff.csv", rows)).frame
    assert st["school_code"].isna().all()
    f = run_checks(CheckInput(staff=st), "round1")
    assert f[["check", "field", "source_file"]].values.tolist() == [
        ["staff-incomplete", "school_code", "staff.csv"]]
