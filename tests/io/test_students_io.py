"""load_students: layouts A and B, header finding, encodings, damaged IDs, B.E. dates,
row accounting, unreadable files."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from obec_audit.ids.pin import calc_check_digit
from obec_audit.io import STUDENT_FRAME_COLUMNS, LoadResult, load_students
from obec_audit.schema import FINDING_COLUMNS, REQUIRED_FIELDS, STUDENT_DTYPES

sys.path.insert(0, str(Path(__file__).parent))
from _iofiles import layout_row, write_csv, write_xlsx  # noqa: E402


def pin(prefix12: str) -> str:
    return prefix12 + calc_check_digit(prefix12)


ID1 = "1101700230708"
ID2 = pin("110170023071")
ID3 = pin("150990012345")
ID0 = pin("000000000001")  # type 0, legitimate


def _a_values(i: int, nid: str, **over) -> dict:
    v = {
        "รหัสโรงเรียน": "57010001",
        "ชื่อโรงเรียน": "บ้านป่าแดด",
        "เลขประจำตัวประชาชน": nid,
        "ชั้น": "ป.3",
        "ห้อง": "1",
        "รหัสนักเรียน": f"{1000 + i}",
        "เพศ": "ชาย",
        "คำนำหน้าชื่อ": "ด.ช.",
        "ชื่อ": f"สมชาย{i}",
        "นามสกุล": "ใจดี",
        "ชื่อ (อังกฤษ)": "Somchai",
        "นามสกุล (อังกฤษ)": "Jaidee",
        "วันเกิด": "10/06/2558",
        "หมู่โลหิต": "O",
        "เชื้อชาติ": "ไทย",
        "สัญชาติ": "ไทย",
        "ศาสนา": "พุทธ",
        "จำนวนพี่ชาย": "1",
        "ชื่อบิดา": "สมศักดิ์",
        "นามสกุลบิดา": "ใจดี",
        "ชื่อมารดา": "สมศรี",
        "นามสกุลมารดา": "ใจดี",
        "ชื่อผู้ปกครอง": "สมศรี",
        "นามสกุลผู้ปกครอง": "ใจดี",
        "ความเกี่ยวข้องของผู้ปกครองกับนักเรียน": "มารดา",
        "เลขที่บ้าน (ทะเบียนบ้าน)": "12/3",
        "หมู่ (ทะเบียนบ้าน)": "4",
        "ตำบล (ทะเบียนบ้าน)": "ริมกก",
        "อำเภอ (ทะเบียนบ้าน)": "เมืองเชียงราย",
        "จังหวัด (ทะเบียนบ้าน)": "เชียงราย",
        "ตำบล (ที่อยู่ปัจจุบัน)": "บ้านดู่",
        "น้ำหนัก": "25.5",
        "ส่วนสูง": "128",
        "ความด้อยโอกาส": "เด็กยากจน",
        "การพักนอนประจำ": "อาศัยอยู่กับบิดามารดา",
        "ความพิการ": "ไม่พิการ",
    }
    v.update(over)
    return v


# ----------------------------------------------------------------------------------------
# layouts
# ----------------------------------------------------------------------------------------
def test_layout_a_round_trip_xlsx(tmp_path, headers_a):
    assert len(headers_a) == 91
    rows = [headers_a] + [
        layout_row(headers_a, _a_values(i, nid), {"จำนวนพี่ชาย": "9"})
        for i, nid in enumerate([ID1, ID2, ID3])
    ]
    f = write_xlsx(tmp_path / "studentInSchoolList.xlsx", rows)
    res = load_students(f)
    assert isinstance(res, LoadResult)
    assert res.findings.empty
    df = res.frame
    assert list(df.columns) == STUDENT_FRAME_COLUMNS
    assert len(df) == 3
    assert df["layout"].tolist() == ["A"] * 3
    assert df["source_row"].tolist() == [2, 3, 4]
    assert df["source_sheet"].tolist() == ["Sheet1"] * 3
    assert df["source_file"].tolist() == ["studentInSchoolList.xlsx"] * 3
    assert df["national_id"].tolist() == [ID1, ID2, ID3]
    assert df["id_type"].tolist() == ["pin"] * 3
    r = df.iloc[0]
    assert r["school_code"] == "57010001" and r["school_name"] == "บ้านป่าแดด"
    assert r["grade"] == "ป.3" and r["room"] == "1" and r["student_no"] == "1000"
    assert r["sex"] == "M" and r["title"] == "เด็กชาย"
    assert r["first_name"] == "สมชาย0" and r["last_name"] == "ใจดี"
    assert r["first_name_en"] == "Somchai" and r["last_name_en"] == "Jaidee"
    assert r["birth_date"] == pd.Timestamp("2015-06-10")
    assert r["weight"] == 25.5 and r["height"] == 128.0
    assert r["religion"] == "พุทธ" and r["race"] == "ไทย" and r["nationality"] == "ไทย"
    assert r["blood_group"] == "O"
    assert r["disadvantage"] == "เด็กยากจน" and r["disability"] == "ไม่พิการ"
    assert r["boarding"] == "อาศัยอยู่กับบิดามารดา"
    # the registered address (ทะเบียนบ้าน), not the current one
    assert r["subdistrict"] == "ริมกก" and r["house_no"] == "12/3" and r["moo"] == "4"
    assert r["father_first_name"] == "สมศักดิ์" and r["mother_last_name"] == "ใจดี"
    assert r["guardian_relation"] == "มารดา"
    assert res.frame.attrs["absent_columns"] == {"studentInSchoolList.xlsx": ()}
    f_row = res.files.iloc[0]
    assert (f_row["layout"], f_row["header_row"], f_row["rows_read"], f_row["rows_loaded"],
            f_row["rows_blank"], f_row["status"]) == ("A", 1, 3, 3, 0, "ok")


def test_layout_b_round_trip_csv_and_xlsx(tmp_path, headers_b):
    assert len(headers_b) == 39
    vals = {
        "รหัสโรงเรียน": "57010002", "ชื่อโรงเรียน": "บ้านดู่", "เลขประจำตัวประชาชน": ID2,
        "ชั้น": "อ.2", "ห้อง": "1", "เลขประจำตัวนักเรียน": "5", "เพศ": "ญ",
        "คำนำหน้าชื่อ": "ด.ญ.", "ชื่อ": "มานี", "นามสกุล": "มีนา", "วันเกิด": "20/03/2563",
        "น้ำหนัก": "0", "ส่วนสูง": "0", "กลุ่มเลือด": "A", "ศาสนา": "พุทธ", "เชื้อชาติ": "ไทย",
        "สัญชาติ": "ไทย", "บ้านเลขที่": "7", "ตำบล": "ดอยลาน",
    }
    rows = [headers_b, layout_row(headers_b, vals)]
    for f in (write_csv(tmp_path / "b.csv", rows), write_xlsx(tmp_path / "b.xlsx", rows)):
        res = load_students(f)
        assert res.findings.empty
        df = res.frame
        assert df["layout"].tolist() == ["B"]
        r = df.iloc[0]
        assert (r["sex"], r["title"], r["grade"]) == ("F", "เด็กหญิง", "อ.2")
        assert r["birth_date"] == pd.Timestamp("2020-03-20")
        assert r["weight"] == 0.0 and r["height"] == 0.0  # 0 stays 0 (the check treats it as empty)
        assert r["weight_raw"] == "0"
        assert r["blood_group"] == "A" and r["house_no"] == "7" and r["subdistrict"] == "ดอยลาน"
        assert pd.isna(r["disability"]) and pd.isna(r["boarding"])  # B has no such columns
        assert df.attrs["absent_columns"] == {f.name: ()}


def test_hand_made_file_lists_absent_required_columns(tmp_path):
    f = write_csv(tmp_path / "hand.csv", [["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "ชั้น"],
                                         [ID1, "ก", "ข", "ป.1"]])
    res = load_students(f)
    assert res.frame["layout"].tolist() == ["other"]
    absent = res.frame.attrs["absent_columns"]["hand.csv"]
    assert set(absent) == set(REQUIRED_FIELDS) - {"first_name", "last_name", "grade"}
    assert res.frame["religion"].isna().all()


def test_frame_dtypes_follow_schema(tmp_path, headers_b):
    f = write_csv(tmp_path / "b.csv", [headers_b, layout_row(headers_b, {"ชื่อ": "ก"})])
    df = load_students(f).frame
    for c in STUDENT_FRAME_COLUMNS:
        want = STUDENT_DTYPES.get(c, "string")
        assert str(df[c].dtype) == str(pd.Series(dtype=want).dtype), c


# ----------------------------------------------------------------------------------------
# header finding
# ----------------------------------------------------------------------------------------
def test_title_rows_above_header_count_in_source_row(tmp_path):
    rows = [
        ["รายชื่อนักเรียน โรงเรียนบ้านป่าแดด"],
        ["ข้อมูล ณ วันที่ 10 มิถุนายน 2567"],
        ["รหัสโรงเรียน", "เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "ชั้น"],
        ["57010001", ID1, "ก", "ข", "ป.1"],
        ["57010001", ID2, "ค", "ง", "ป.2"],
    ]
    for f in (write_xlsx(tmp_path / "t.xlsx", rows), write_csv(tmp_path / "t.csv", rows)):
        res = load_students(f)
        assert res.frame["source_row"].tolist() == [4, 5]
        assert res.files["header_row"].tolist() == [3]


def test_header_two_rows_down_with_blank_row_and_leading_column(tmp_path):
    rows = [
        [None, "แบบรายงาน"],
        [],
        [None, "เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "เพศ"],
        [None, ID1, "ก", "ข", "ช"],
    ]
    res = load_students(write_xlsx(tmp_path / "t.xlsx", rows))
    assert res.frame["source_row"].tolist() == [4]
    assert res.frame["national_id"].tolist() == [ID1]
    assert res.frame["sex"].tolist() == ["M"]


def test_header_spacing_and_zero_width_variants(tmp_path):
    rows = [["เลข ประจำตัว ประชาชน", "ชื่อ\u200b", " นามสกุล ", "ชื่อ(อังกฤษ)", "อายุ (ปี)"],
            [ID1, "ก", "ข", "Kor", "9"]]
    df = load_students(write_csv(tmp_path / "v.csv", rows)).frame
    assert df.iloc[0][["national_id", "first_name", "last_name", "first_name_en"]].tolist() == [
        ID1, "ก", "ข", "Kor"]


def test_duplicate_headers_first_wins(tmp_path):
    rows = [["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "เพศ", "ชื่อ", "เพศ.1", "ศาสนา", "ศาสนา"],
            [ID1, "แรก", "ข", "ช", "สอง", "ญ", "พุทธ", "อิสลาม"]]
    for f in (write_csv(tmp_path / "d.csv", rows), write_xlsx(tmp_path / "d.xlsx", rows)):
        r = load_students(f).frame.iloc[0]
        assert (r["first_name"], r["sex"], r["religion"]) == ("แรก", "M", "พุทธ")


# ----------------------------------------------------------------------------------------
# encodings
# ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["cp874", "utf-8-sig", "utf-8"])
def test_csv_encodings(tmp_path, encoding):
    rows = [["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "ชั้น"], [ID1, "สมหญิง", "น้ำใจ", "ประถมศึกษาปีที่ ๒"]]
    res = load_students(write_csv(tmp_path / "e.csv", rows, encoding=encoding))
    r = res.frame.iloc[0]
    assert (r["first_name"], r["last_name"], r["grade"]) == ("สมหญิง", "น้ำใจ", "ป.2")
    assert res.files["encoding"].iloc[0] == encoding


# ----------------------------------------------------------------------------------------
# unreadable files
# ----------------------------------------------------------------------------------------
def _only_unreadable(res, n):
    assert list(res.findings.columns) == FINDING_COLUMNS
    assert res.findings["check"].tolist() == ["file-unreadable"] * n
    assert res.findings["severity"].tolist() == ["error"] * n
    assert res.findings["message"].str.len().gt(20).all()


def test_empty_files(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "blank.csv").write_bytes(b"\r\n\r\n")
    res = load_students(tmp_path)
    _only_unreadable(res, 3)
    assert sorted(res.findings["source_file"]) == ["blank.csv", "empty.csv", "empty.xlsx"]
    assert len(res.frame) == 0 and list(res.frame.columns) == STUDENT_FRAME_COLUMNS
    assert set(res.files["status"]) == {"unreadable", "folder"}


def test_random_bytes_named_xlsx_and_xls(tmp_path):
    rng = np.random.default_rng(1)
    (tmp_path / "junk.xlsx").write_bytes(rng.bytes(3000))
    (tmp_path / "junk.xls").write_bytes(rng.bytes(3000))
    (tmp_path / "zip.xlsx").write_bytes(b"PK\x03\x04" + rng.bytes(500))
    res = load_students(tmp_path)
    _only_unreadable(res, 3)


def test_password_protected_like_file(tmp_path):
    # an encrypted OOXML file is an OLE container holding "EncryptedPackage"
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le")
    (tmp_path / "locked.xlsx").write_bytes(body + b"\x00" * 600)
    res = load_students(tmp_path / "locked.xlsx")
    _only_unreadable(res, 1)
    assert "รหัสผ่าน" in res.findings["message"].iloc[0]


def test_sheet_without_header_is_a_note_other_sheets_load(tmp_path):
    good = [["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล"], [ID1, "ก", "ข"]]
    notes = [["หมายเหตุ"], ["ส่งภายในวันที่ 25"]]
    f = write_xlsx(tmp_path / "two.xlsx", good, sheet="นักเรียน", more={"หมายเหตุ": notes, "ว่าง": []})
    res = load_students(f)
    assert res.findings[["check", "severity", "source_sheet"]].values.tolist() == [
        ["file-skipped", "info", "หมายเหตุ"]]
    assert res.findings["source_file"].tolist() == ["two.xlsx"]
    assert "หมายเหตุ" in res.findings["message"].iloc[0]
    assert res.frame["national_id"].tolist() == [ID1]
    st = dict(zip(res.files["source_sheet"], res.files["status"]))
    assert st == {"นักเรียน": "ok", "หมายเหตุ": "not-student", "ว่าง": "empty"}


def test_no_recognisable_header_in_any_sheet(tmp_path):
    f = write_xlsx(tmp_path / "x.xlsx", [["a", "b", "c"], ["1", "2", "3"]])
    res = load_students(f)
    _only_unreadable(res, 1)
    assert len(res.frame) == 0


def test_folder_skips_lock_hidden_and_non_table_files(tmp_path):
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    write_csv(sub / "s2.csv", [["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล"], [ID2, "ค", "ง"]])
    write_csv(tmp_path / "s1.csv", [["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล"], [ID1, "ก", "ข"]])
    (tmp_path / "README.txt").write_text("อ่านก่อน", encoding="utf-8")
    (tmp_path / "~$s1.xlsx").write_bytes(b"lock")
    (tmp_path / ".hidden.csv").write_bytes(b"\x00\x01")
    calls = []
    res = load_students(tmp_path, progress=lambda d, t, n: calls.append((d, t, n)))
    # README.txt is read by content: not a student list, a note (info), never an error
    assert res.findings[["check", "severity", "source_file"]].values.tolist() == [
        ["file-skipped", "info", "README.txt"]]
    assert set(res.frame["national_id"]) == {ID1, ID2}
    assert calls[-1][:2] == (3, 3) and [c[0] for c in calls] == [1, 2, 3]
    st = res.files.set_index("source_file")["status"]
    assert st["README.txt"] == "not-student"
    assert st["~$s1.xlsx"] == "ignored" and st[".hidden.csv"] == "ignored"  # listed, no finding
    assert (res.files["kind"] == "dir").sum() == 3  # tmp_path, a, a/b


def test_list_of_paths_keeps_argument_order(tmp_path):
    a = write_csv(tmp_path / "z.csv", [["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล"], [ID1, "ก", "ข"]])
    b = write_csv(tmp_path / "a.csv", [["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล"], [ID2, "ค", "ง"]])
    res = load_students([str(a), b])
    assert res.frame["source_file"].tolist() == ["z.csv", "a.csv"]


def test_missing_path_is_a_finding(tmp_path):
    res = load_students(tmp_path / "nope.xlsx")
    _only_unreadable(res, 1)


# ----------------------------------------------------------------------------------------
# cells damaged by Excel
# ----------------------------------------------------------------------------------------
def test_ids_damaged_by_excel_xlsx(tmp_path):
    lost_zero = ID0  # '0000000000019'-like: a numeric cell drops the leading zeros
    rows = [
        ["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "รหัสโรงเรียน"],
        [int(ID1), "numeric", "x", 57010001],
        [float(ID2), "float", "x", 57010001.0],
        [int(lost_zero), "lostzero", "x", "57010001"],
        ["1-1017-00230-70-8", "dashes", "x", "5701 0001"],
        ["๑๑๐๑๗๐๐๒๓๐๗๐๘", "thai", "x", "๕๗๐๑๐๐๐๑"],
        ["１１０１７００２３０７０８", "fullwidth", "x", None],  # typed with a wide-digit IME: once crashed the load
        ["１１０１７００２３０７０８\u3000", "fullwidth2", "x", None],
        ["G644200000001", "gcode", "x", None],
        [None, "missing", "x", None],
        [ID0, "pin0", "x", None],
    ]
    df = load_students(write_xlsx(tmp_path / "ids.xlsx", rows)).frame.set_index("first_name")
    assert df.loc["numeric", "national_id"] == ID1 and df.loc["numeric", "id_type"] == "pin"
    assert df.loc["float", "national_id"] == ID2 and df.loc["float", "id_type"] == "pin"
    assert df.loc["lostzero", "id_type"] == "invalid"
    assert df.loc["lostzero", "id_reason"] == "length"
    assert df.loc["lostzero", "national_id_raw"] == str(int(lost_zero))
    for who in ("dashes", "thai", "fullwidth", "fullwidth2"):
        assert df.loc[who, "national_id"] == ID1 and df.loc[who, "id_type"] == "pin", who
    assert df.loc["dashes", "national_id_raw"] == "1-1017-00230-70-8"
    assert df.loc["gcode", "id_type"] == "gcode"
    assert df.loc["missing", "id_type"] == "missing" and pd.isna(df.loc["missing", "national_id"])
    assert df.loc["pin0", "id_type"] == "pin-0"
    assert df["school_code"].iloc[:5].tolist() == ["57010001"] * 5


def test_ids_damaged_in_csv_scientific_and_float_text(tmp_path):
    rows = [["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล"],
            ["1.1017E+12", "sci", "x"], [f"{ID1}.0", "float", "x"], ["'" + ID1, "quote", "x"],
            ['="1101700230708"', "guard", "x"]]
    df = load_students(write_csv(tmp_path / "ids.csv", rows)).frame.set_index("first_name")
    assert df.loc["sci", "id_type"] == "invalid"
    assert df.loc["sci", "national_id_raw"] == "1.1017E+12"  # the digits are gone: kept as read
    assert df.loc["float", "national_id"] == ID1 and df.loc["float", "id_type"] == "pin"
    assert df.loc["quote", "national_id"] == ID1
    assert df.loc["guard", "national_id"] == ID1 and df.loc["guard", "id_type"] == "pin"
    assert df.loc["guard", "national_id_raw"] == '="1101700230708"'


def test_dates_be_text_and_excel_date_cells(tmp_path):
    rows = [
        ["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "วันเกิด"],
        [ID1, "text", "x", "10/06/2567"],
        [ID1, "short", "x", "1/2/2555"],
        [ID1, "thai", "x", "๑๐/๐๖/๒๕๖๗"],
        [ID1, "cell_be", "x", dt.datetime(2555, 6, 10)],
        [ID1, "cell_be_date", "x", dt.date(2555, 3, 20)],
        [ID1, "cell_ce", "x", dt.datetime(2012, 6, 10)],
        [ID1, "iso_be", "x", "2555-06-10"],
        [ID1, "monthfirst", "x", "06/13/2567"],
        [ID1, "junk", "x", "ไม่ทราบ"],
        [ID1, "blank", "x", None],
    ]
    df = load_students(write_xlsx(tmp_path / "d.xlsx", rows)).frame.set_index("first_name")
    bd = df["birth_date"]
    assert bd["text"] == pd.Timestamp("2024-06-10")  # 10 June, never 6 October
    assert bd["short"] == pd.Timestamp("2012-02-01")
    assert bd["thai"] == pd.Timestamp("2024-06-10")
    assert bd["cell_be"] == pd.Timestamp("2012-06-10")
    assert bd["cell_be_date"] == pd.Timestamp("2012-03-20")
    assert bd["cell_ce"] == pd.Timestamp("2012-06-10")
    assert bd["iso_be"] == pd.Timestamp("2012-06-10")
    assert pd.isna(bd["monthfirst"]) and pd.isna(bd["junk"]) and pd.isna(bd["blank"])
    assert df.loc["text", "birth_date_raw"] == "10/06/2567"
    assert df.loc["junk", "birth_date_raw"] == "ไม่ทราบ"
    assert df.loc["cell_be", "birth_date_raw"].startswith("2555-06-10")


def test_numbers_dash_and_none(tmp_path):
    rows = [["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "น้ำหนัก", "ส่วนสูง"],
            [ID1, "zero", "x", "0", 0], [ID1, "dash", "x", "-", "ไม่มี"],
            [ID1, "num", "x", 25.5, "๑๓๐"], [ID1, "blank", "x", None, None]]
    df = load_students(write_xlsx(tmp_path / "n.xlsx", rows)).frame.set_index("first_name")
    assert df.loc["zero", "weight"] == 0.0 and df.loc["zero", "height"] == 0.0
    assert np.isnan(df.loc["dash", "weight"]) and np.isnan(df.loc["dash", "height"])
    assert df.loc["dash", "weight_raw"] == "-" and df.loc["dash", "height_raw"] == "ไม่มี"
    assert df.loc["num", "weight"] == 25.5 and df.loc["num", "height"] == 130.0
    assert np.isnan(df.loc["blank", "weight"]) and pd.isna(df.loc["blank", "weight_raw"])


def test_sex_grade_title_variants(tmp_path):
    rows = [["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "เพศ", "ชั้น", "คำนำหน้าชื่อ"],
            [ID1, "a", "x", "ช.", "อบ.1", "ด.ช."], [ID1, "b", "x", "F", "ม. 1", "น.ส."],
            [ID1, "c", "x", "หญิง", "อ.3 ขวบ", "เด็กหญิง"], [ID1, "d", "x", "?", "ปวช.๒", "นาย"]]
    df = load_students(write_csv(tmp_path / "g.csv", rows)).frame
    assert df["sex"].isna().tolist() == [False, False, False, True]
    assert df["sex"].iloc[:3].tolist() == ["M", "F", "F"]
    assert df["grade"].iloc[[0, 1, 3]].tolist() == ["อ.1", "ม.1", "ปวช.2"]
    assert pd.isna(df["grade"].iloc[2]) and df["grade_raw"].iloc[2] == "อ.3 ขวบ"
    assert df["title"].tolist() == ["เด็กชาย", "นางสาว", "เด็กหญิง", "นาย"]
    assert df["sex_raw"].iloc[3] == "?"


# ----------------------------------------------------------------------------------------
# row accounting
# ----------------------------------------------------------------------------------------
def test_exact_row_accounting_with_blank_rows(tmp_path):
    rows = [["หัวเรื่อง"],
            ["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "ชั้น"],
            [ID1, "ก", "ข", "ป.1"],
            [],
            [None, None, None, "   "],
            [ID2, "ค", "ง", "ป.2"],
            [None, "จ", None, None],  # not blank: one cell
            []]
    for f in (write_xlsx(tmp_path / "r.xlsx", rows), write_csv(tmp_path / "r.csv", rows)):
        res = load_students(f)
        fr = res.files.iloc[0]
        assert fr["rows_loaded"] == len(res.frame) == 3
        assert fr["rows_read"] == fr["rows_loaded"] + fr["rows_blank"] + fr["rows_skipped"] + fr["rows_non_student"]
        # every record: the xlsx stores no trailing empty row, the CSV has its empty line
        assert fr["rows_total"] == fr["rows_read"] + fr["rows_header"] == len(rows) - (f.suffix == ".xlsx")
        assert fr["rows_blank"] >= 2
        assert res.frame["source_row"].tolist() == [3, 6, 7]
        assert res.frame["first_name"].tolist() == ["ก", "ค", "จ"]


def test_many_schools_many_files_input_order(tmp_path):
    hdr = ["รหัสโรงเรียน", "เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล"]
    write_csv(tmp_path / "1.csv", [hdr, ["57010001", ID1, "a", "x"], ["57010002", ID2, "b", "x"]])
    write_xlsx(tmp_path / "2.xlsx", [hdr, ["57010003", ID3, "c", "x"]], more={"S2": [hdr, ["57010004", ID1, "d", "x"]]})
    res = load_students(tmp_path)
    df = res.frame
    assert df["first_name"].tolist() == ["a", "b", "c", "d"]
    assert df["school_code"].tolist() == ["57010001", "57010002", "57010003", "57010004"]
    assert df["source_sheet"].tolist() == ["", "", "Sheet1", "S2"]
    assert res.files["rows_loaded"].sum() == 4
    assert df.index.tolist() == [0, 1, 2, 3]


def test_school_code_from_file_name_when_column_absent(tmp_path):
    f = write_csv(tmp_path / "students_57010012.csv", [["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล"], [ID1, "a", "x"]])
    assert load_students(f).frame["school_code"].tolist() == ["57010012"]


def test_xls_that_is_really_text_or_html(tmp_path):
    hdr = ["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "ชั้น"]
    tsv = "\r\n".join("\t".join(r) for r in [hdr, [ID1, "ก", "ข", "ป.1"]]) + "\r\n"
    (tmp_path / "export.xls").write_bytes(tsv.encode("cp874"))
    (tmp_path / "page.xls").write_text("<html><table><tr><td>x</td></tr></table></html>", encoding="utf-8")
    res = load_students(tmp_path)
    assert res.frame["national_id"].tolist() == [ID1]
    assert res.frame["source_file"].tolist() == ["export.xls"]
    assert res.frame["first_name"].tolist() == ["ก"]
    _only_unreadable(res, 1)
    assert res.findings["source_file"].tolist() == ["page.xls"]


def test_uppercase_suffix(tmp_path):
    rows = [["เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล"], [ID1, "ก", "ข"]]
    write_xlsx(tmp_path / "a.xlsx", rows)
    (tmp_path / "a.xlsx").rename(tmp_path / "A.XLSX")
    res = load_students(tmp_path)
    assert res.frame["source_file"].tolist() == ["A.XLSX"] and res.findings.empty
