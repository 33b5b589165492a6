"""load_staff, load_mobec, load_bobec, load_discharges, load_class_counts."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _iofiles import write_csv, write_xlsx  # noqa: E402

from obec_audit.io import (
    load_bobec,
    load_class_counts,
    load_discharges,
    load_mobec,
    load_staff,
)
from obec_audit.schema import (
    BOBEC_COLUMNS,
    CLASS_COUNT_COLUMNS,
    DISCHARGE_COLUMNS,
    MOBEC_COLUMNS,
    STAFF_COLUMNS,
)

REF = Path(__file__).resolve().parents[2] / "obec_audit" / "data" / "reference"
ID1 = "1101700230708"


def _accounting_ok(files: pd.DataFrame) -> None:
    ok = files[files["status"].eq("ok")]
    assert (ok["rows_read"] == ok["rows_loaded"] + ok["rows_blank"] + ok["rows_skipped"]).all()


# ----------------------------------------------------------------------------------------
# staff
# ----------------------------------------------------------------------------------------
def test_staff_per_person_list(tmp_path):
    rows = [
        ["บัญชีรายชื่อบุคลากร"],
        ["รหัสโรงเรียน", "ชื่อโรงเรียน", "เลขประจำตัวประชาชน", "คำนำหน้าชื่อ", "ชื่อ", "นามสกุล", "เพศ",
         "ตำแหน่ง", "วิทยฐานะ", "ระดับ", "วันเกิด", "วิชาเอก"],
        ["57010001", "บ้านป่าแดด", ID1, "นาง", "สมศรี", "ใจดี", "หญิง", "1. ผู้อำนวยการโรงเรียน",
         "ชำนาญการพิเศษ", "คศ. 3", "01/04/2515", "การบริหาร"],
        ["57010001", "บ้านป่าแดด", "1-1017-00230-70-8", "นาย", "สมชาย", "ใจดี", "ชาย", "3. ครู", "-",
         "คศ.1", "15/5/2530", "คณิตศาสตร์"],
        [],
        ["57010001", "บ้านป่าแดด", None, "น.ส.", "มาลี", "ดี", "ญ", "ครูผู้ช่วย", None, None, None, None],
    ]
    res = load_staff(write_xlsx(tmp_path / "staff.xlsx", rows))
    df = res.frame
    assert res.findings.empty
    assert list(df.columns[: len(STAFF_COLUMNS)]) == STAFF_COLUMNS
    assert df["source_row"].tolist() == [3, 4, 6]
    assert df["position"].tolist() == ["ผู้อำนวยการโรงเรียน", "ครู", "ครูผู้ช่วย"]
    assert df["academic_standing"].tolist()[:2] == ["ชำนาญการพิเศษ", "-"]
    assert pd.isna(df["academic_standing"].iloc[2])
    assert df["level"].tolist()[:2] == ["คศ.3", "คศ.1"]
    assert df["sex"].tolist() == ["F", "M", "F"]
    assert df["title"].tolist() == ["นาง", "นาย", "นางสาว"]
    assert df["national_id"].tolist()[:2] == [ID1, ID1]
    assert df["id_type"].tolist() == ["pin", "pin", "missing"]
    assert df["birth_date"].iloc[0] == pd.Timestamp("1972-04-01")
    assert df["birth_date"].iloc[1] == pd.Timestamp("1987-05-15")
    assert df["subject"].iloc[1] == "คณิตศาสตร์"
    assert df["position_raw"].iloc[0] == "1. ผู้อำนวยการโรงเรียน"
    assert res.files["rows_blank"].tolist() == [1]
    _accounting_ok(res.files)


def test_staff_school_code_from_file_name(tmp_path):
    rows = [["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "ตำแหน่ง"], [ID1, "ก", "ข", "ครู"]]
    res = load_staff(write_csv(tmp_path / "staff_57010003.csv", rows))
    assert res.frame["school_code"].tolist() == ["57010003"]


def test_staff_unreadable_is_finding(tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"not a workbook at all")
    res = load_staff(tmp_path)
    assert res.findings["check"].tolist() == ["file-unreadable"]
    assert res.findings["dataset"].tolist() == ["staff"]
    assert len(res.frame) == 0


# ----------------------------------------------------------------------------------------
# M-OBEC
# ----------------------------------------------------------------------------------------
def test_mobec_reference_page_with_school_code_from_name(tmp_path):
    year = tmp_path / "mobec" / "2568"
    year.mkdir(parents=True)
    shutil.copy(REF / "mobec_example_1020080035.csv", year / "57010001.csv")
    res = load_mobec(tmp_path / "mobec")
    df = res.frame
    assert list(df.columns) == MOBEC_COLUMNS
    assert len(df) == 76 and res.findings.empty
    assert df["item_code"].iloc[0] == "11001"
    assert df["category"].iloc[0] == "ครุภัณฑ์การศึกษา"
    assert df["item"].iloc[0] == "โต๊ะเก้าอี้นักเรียนก่อนประถมศึกษา"
    assert df[["usable", "repair", "disposal"]].iloc[0].tolist() == [17.0, 0.0, 4.0]
    assert (df["school_code"] == "57010001").all()
    assert (df["survey_year"] == 2568).all()
    _accounting_ok(res.files)


def test_mobec_bad_counts_survive_as_raw(tmp_path):
    rows = [["รหัสโรงเรียน", "ชื่อโรงเรียน", "รหัส", "รายการ", "รายการ(cm.)", "จำนวนที่ใช้ได้", "จำนวนรอซ่อม",
             "จำนวนรอจำหน่าย"],
            ["57010002", "บ้านดู่", 11001, "ครุภัณฑ์การศึกษา", "โต๊ะ", "2.5", "-3", "abc"],
            ["57010002", "บ้านดู่", 11002, "ครุภัณฑ์การศึกษา", "ชุด", 4, "-", "ไม่มี"]]
    df = load_mobec(write_xlsx(tmp_path / "m.xlsx", rows)).frame
    assert df["item_code"].tolist() == ["11001", "11002"]
    assert df["usable"].iloc[0] == 2.5 and df["repair"].iloc[0] == -3.0
    assert np.isnan(df["disposal"].iloc[0]) and df["disposal_raw"].iloc[0] == "abc"
    assert df["usable_raw"].iloc[0] == "2.5" and df["repair_raw"].iloc[0] == "-3"
    assert df["usable"].iloc[1] == 4.0 and np.isnan(df["repair"].iloc[1])
    assert df["school_code"].tolist() == ["57010002"] * 2
    assert df["survey_year"].isna().all()


# ----------------------------------------------------------------------------------------
# B-OBEC
# ----------------------------------------------------------------------------------------
def test_bobec_reference_page(tmp_path):
    shutil.copy(REF / "bobec_buildings_example_1020080035.csv", tmp_path / "bobec_57010001.csv")
    res = load_bobec(tmp_path)
    df = res.frame
    assert list(df.columns) == BOBEC_COLUMNS
    assert len(df) == 28 and res.findings.empty
    assert df["category"].iloc[0] == "อาคารเรียน" and df["design"].iloc[0] == "017"
    assert df["year_built"].iloc[0] == 2506.0 and df["year_built_raw"].iloc[0] == "2506"
    assert df["design"].iloc[12] == "ร.ย.601/43,องค์การ"  # quoted comma
    assert (df["school_code"] == "57010001").all()


def test_bobec_full_columns(tmp_path):
    rows = [["รหัสโรงเรียน", "ลำดับ", "ประเภท", "แบบ", "จำนวนห้องตามแบบ", "จำนวนห้องที่มีจริง", "ห้องพิเศษ",
             "ปีที่สร้าง", "งบประมาณ", "แหล่งงบประมาณ", "สภาพ", "รูปถ่าย"],
            ["57010001", 1, "อาคารเรียน", "สปช.105/29", 4, 5, 1, "๒๕๔๐", "1,250,000", "งบประมาณปกติ", "ทรุดโทรม", "ไม่มี"],
            ["57010001", 2, "ส้วม", "สปช.601/26", "-", "-", None, "2547", None, None, "ดี", "มี"],
            ["57010001", 3, "บ้านพักครู", "องค์การฯ", None, None, None, "ไม่ทราบ", None, None, "พอ ใช้", "3"]]
    df = load_bobec(write_xlsx(tmp_path / "b.xlsx", rows)).frame
    assert df["building_no"].tolist() == ["1", "2", "3"]
    assert df["design_rooms"].iloc[0] == 4.0 and df["actual_rooms"].iloc[0] == 5.0
    assert df["year_built"].iloc[0] == 2540.0 and df["budget"].iloc[0] == 1_250_000.0
    assert np.isnan(df["year_built"].iloc[2]) and df["year_built_raw"].iloc[2] == "ไม่ทราบ"
    assert df["condition"].tolist() == ["ทรุดโทรม", "ดี", "พอใช้"]
    assert df["photos"].tolist() == [0.0, 1.0, 3.0]
    assert df["photos_raw"].tolist() == ["ไม่มี", "มี", "3"]
    assert np.isnan(df["design_rooms"].iloc[1]) and df["design_rooms_raw"].iloc[1] == "-"


# ----------------------------------------------------------------------------------------
# discharges
# ----------------------------------------------------------------------------------------
def test_discharges(tmp_path):
    rows = [["รายชื่อนักเรียนที่จำหน่าย"],
            ["รหัสโรงเรียน", "เลขประจำตัวประชาชน", "คำนำหน้าชื่อ", "ชื่อ", "นามสกุล", "ชั้น", "สาเหตุการจำหน่าย",
             "วันที่จำหน่าย"],
            ["57010001", ID1, "ด.ช.", "ก", "ข", "ป.6", "จบการศึกษา", "31/03/2570"],
            ["57010001", "G644200000001", "ด.ญ.", "ค", "ง", "ป.2", "ย้ายออก", "15/07/2569"],
            ["57010002", "1-1017-00230-70-8", "ด.ช.", "จ", "ฉ", "อ.2", "เสียชีวิต", "01/12/2569"],
            ["57010002", None, "ด.ช.", "ช", "ซ", "ม.1", "ออกกลางคัน", None],
            ["57010002", None, "ด.ช.", "ฌ", "ญ", "ม.1", "อื่น ๆ", "xx"]]
    res = load_discharges(write_csv(tmp_path / "d.csv", rows))
    df = res.frame
    assert list(df.columns[: len(DISCHARGE_COLUMNS)]) == DISCHARGE_COLUMNS
    assert df["source_row"].tolist() == [3, 4, 5, 6, 7]
    assert df["reason"].tolist() == ["จบการศึกษา", "ย้ายออก", "เสียชีวิต", "ออกกลางคัน", "อื่น ๆ"]
    assert df["reason_code"].tolist()[:4] == ["graduated", "moved", "died", "dropout"]
    assert pd.isna(df["reason_code"].iloc[4])
    assert df["id_type"].tolist() == ["pin", "gcode", "pin", "missing", "missing"]
    assert df["grade"].tolist() == ["ป.6", "ป.2", "อ.2", "ม.1", "ม.1"]
    assert df["title"].iloc[0] == "เด็กชาย"
    assert df["discharge_date"].iloc[0] == pd.Timestamp("2027-03-31")
    assert df["discharge_date"].iloc[1] == pd.Timestamp("2026-07-15")
    assert pd.isna(df["discharge_date"].iloc[4]) and df["discharge_date_raw"].iloc[4] == "xx"


# ----------------------------------------------------------------------------------------
# class counts
# ----------------------------------------------------------------------------------------
def test_class_counts_reference_layout_skips_subtotals(tmp_path):
    shutil.copy(REF / "emis_students_example_1020080035.csv", tmp_path / "emis_57010001.csv")
    res = load_class_counts(tmp_path)
    df = res.frame
    assert list(df.columns[: len(CLASS_COUNT_COLUMNS)]) == CLASS_COUNT_COLUMNS
    assert len(df) == 18
    assert df["grade"].tolist()[:4] == ["อ.1", "อ.2", "อ.3", "ป.1"]
    assert df["source_row"].tolist()[:4] == [2, 3, 4, 6]  # row 5 is 'รวม อบ.'
    assert df.loc[df["grade"].eq("ป.1"), ["male", "female", "total", "rooms"]].iloc[0].tolist() == [
        22.0, 16.0, 38.0, 2.0]
    f = res.files.iloc[0]
    assert (f["rows_read"], f["rows_loaded"], f["rows_skipped"]) == (23, 18, 5)
    assert (df["school_code"] == "57010001").all()
    _accounting_ok(res.files)


def test_class_counts_with_school_column_and_title_row(tmp_path):
    rows = [["ข้อมูล ณ วันที่ 10 มิถุนายน 2569"],
            ["รหัสโรงเรียน", "ชั้น", "ชาย", "หญิง", "รวม", "ห้องเรียน"],
            ["57010001", "อบ.2", 3, 4, 7, 1],
            ["57010001", "รวม อบ.", 3, 4, 7, 1],
            ["57010002", "ป.1", 0, 0, 0, 1],
            ["57010002", "รวมทั้งหมด", 3, 4, 7, 2]]
    res = load_class_counts(write_xlsx(tmp_path / "cc.xlsx", rows))
    df = res.frame
    assert df["school_code"].tolist() == ["57010001", "57010002"]
    assert df["grade"].tolist() == ["อ.2", "ป.1"]
    assert df["source_row"].tolist() == [3, 5]
    assert df["rooms"].tolist() == [1.0, 1.0]
    assert res.files["rows_skipped"].tolist() == [2]


def test_staff_counts_page_merged_positions_subtotals_and_title(tmp_path):
    rows = [["ข้อมูลบุคลากร โรงเรียนเชียงรายปัญญานุกูล รหัส 1057120702"],
            ["ตำแหน่ง", "วิทยฐานะ", "ระดับ", "ชาย", "หญิง", "รวม"],
            ["1. ผู้อำนวยการโรงเรียน", "ชำนาญการพิเศษ", "คศ.3", 1, 0, 1],
            ["3. ครู", "-", "คศ. 1", 2, 3, 5],
            [None, "ชำนาญการ", "คศ.2", "๑", "-", 1],       # merged position cell, Thai digit, dash
            ["รวม", None, None, 4, 3, 7],                  # subtotal: skipped
            [],
            ["7. ลูกจ้างชั่วคราว", "-", "-", 0, 2, 2]]
    res = load_staff(write_xlsx(tmp_path / "emis_staff.xlsx", rows))
    df = res.frame
    assert res.findings.empty
    assert df["source_row"].tolist() == [3, 4, 5, 8]
    assert df["position"].tolist() == ["ผู้อำนวยการโรงเรียน", "ครู", "ครู", "ลูกจ้างชั่วคราว"]
    assert df["level"].tolist() == ["คศ.3", "คศ.1", "คศ.2", "-"]
    assert df["male"].tolist()[2] == 1.0 and np.isnan(df["female"].iloc[2])
    assert df["headcount"].tolist() == [1.0, 5.0, 1.0, 2.0]
    assert (df["record"] == "count").all()
    assert (df["school_code"] == "57013001").all()  # the title's ministry code, through the registry
    f = res.files.iloc[0]
    assert (f["rows_read"], f["rows_loaded"], f["rows_blank"], f["rows_skipped"]) == (6, 4, 1, 1)
    _accounting_ok(res.files)


def test_staff_list_and_counts_page_in_one_load(tmp_path):
    person = [["รหัสโรงเรียน", "เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "ตำแหน่ง", "วิทยฐานะ", "ระดับ"],
              ["57010001", ID1, "สมชาย", "ใจดี", "ครู", "-", "คศ.1"]]
    counts = [["ตำแหน่ง", "วิทยฐานะ", "ระดับ", "ชาย", "หญิง", "รวม"], ["3. ครู", "-", "คศ.1", 1, 1, 2]]
    write_xlsx(tmp_path / "a_staff.xlsx", person)
    write_csv(tmp_path / "b_staff_57010002.csv", counts, encoding="cp874")
    res = load_staff(tmp_path)
    df = res.frame
    assert df["record"].tolist() == ["person", "count"]
    assert df["school_code"].tolist() == ["57010001", "57010002"]
    assert df["national_id"].tolist()[0] == ID1 and pd.isna(df["national_id"].iloc[1])
    assert df["headcount"].tolist() == [1.0, 2.0]
    absent = df.attrs["absent_columns"]
    assert absent["a_staff.xlsx"] == ("title", "sex")          # a list's own needs
    assert absent["b_staff_57010002.csv"] == ()                 # a counts page needs no names
