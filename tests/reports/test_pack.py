"""The school report pack and the area summary (obec_audit.reports), read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

from obec_audit import reports
from obec_audit.schema import FINDING_COLUMNS, STUDENT_COLUMNS

AS_OF = dt.date(2026, 6, 10)
SCHOOL = "57010001"

# title, first, last, sex, grade, room, national_id, id_type, id_reason, disadvantage,
# disability, boarding
ROWS = [
    ("เด็กชาย", "สมชาย", "ใจดี", "M", "อ.1", "1", "1101700230708", "pin", "", "เด็กยากจน", "ไม่พิการ",
     "อาศัยอยู่กับบิดามารดา"),
    ("เด็กหญิง", "สมหญิง", "ใจดี", "F", "อ.1", "1", "1234567890121", "pin", "", "ไม่ด้อยโอกาส",
     "ไม่พิการ", "อาศัยอยู่กับบิดามารดา"),
    ("เด็กหญิง", "มานี", "รักเรียน", "F", "อ.2", "1", "", "missing", "missing", "", "ออทิสติก",
     "(โครงการพักนอนประจำ)บ้านพักนักเรียน/หอนอน"),
    ("เด็กชาย", "มานะ", "รักเรียน", "M", "ป.1", "1", "G644200000001", "gcode", "", "ชนกลุ่มน้อย",
     "ไม่พิการ", ""),
    ("เด็กชาย", "ปิติ", "แสงทอง", "M", "ป.1", "2", "1101700230709", "invalid", "checksum",
     "เด็กยากจน", "บกพร่องทางร่างกาย หรือการเคลื่อนไหว หรือสุขภาพ", ""),
    ("เด็กหญิง", "ชูใจ", "แสงทอง", "F", "ป.1", "2", "11017E+12", "invalid", "format", "-", "-",
     "(โครงการพักนอนประจำ)บ้านพักครู"),
    ("เด็กชาย", "วีระ", "ศรีสุข", "M", "ป.6", "1", "0000000000019", "pin-0", "", "เด็กยากจน",
     "ไม่พิการ", "อาศัยอยู่กับญาติ"),
    ("เด็กหญิง", "ดวงใจ", "ศรีสุข", "F", "ม.1", "1", "3101700230701", "pin", "", "กำพร้า", "",
     "อาศัยอยู่กับญาติ"),
]


def make_students(rows=ROWS, school=SCHOOL) -> pd.DataFrame:
    df = pd.DataFrame(
        rows,
        columns=["title", "first_name", "last_name", "sex", "grade", "room", "national_id",
                 "id_type", "id_reason", "disadvantage", "disability", "boarding"],
    )
    df["school_code"] = school
    df["school_name"] = "บ้านทดสอบ"
    df["source_file"] = "students.xlsx"
    df["source_row"] = range(2, len(df) + 2)
    df["national_id_raw"] = df["national_id"]
    df["birth_date"] = pd.to_datetime("2019-05-01") - pd.to_timedelta(range(len(df)), unit="D")
    df = df.reindex(columns=[*STUDENT_COLUMNS, "id_reason"])
    for c in df.columns:
        if c == "source_row":
            df[c] = df[c].astype("Int64")
        elif c == "birth_date":
            df[c] = pd.to_datetime(df[c])
        elif c in ("weight", "height"):
            df[c] = df[c].astype(float)
        else:
            df[c] = df[c].astype("string")
    return df


def make_findings(school=SCHOOL) -> pd.DataFrame:
    rows = [
        ("age-grade", "warning", 3, "1234567890121", "birth_date", "01/05/2562",
         "อายุไม่เหมาะกับชั้น โปรดตรวจสอบวันเกิดและชั้น"),
        ("id-missing", "error", 4, "", "national_id", "", "ไม่มีเลขประจำตัว บันทึกเลข 13 หลัก"),
        ("moved-school", "info", 9, "3101700230701", "", "",
         "ย้ายมาจากโรงเรียนอื่นในเขต เลข 3101700230701"),
        ("id-checksum", "error", 6, "1101700230709", "national_id", "1101700230709",
         "เลขตรวจสอบไม่ถูกต้อง โปรดตรวจเลข 1101700230709 กับเอกสาร"),
        ("id-gcode", "warning", 5, "G644200000001", "national_id", "G644200000001",
         "นักเรียนใช้รหัส G ตรวจสอบว่ามีเลข 13 หลักหรือไม่"),
        ("field-missing", "error", 2, "1101700230708", "weight", "0", "ไม่ได้บันทึกน้ำหนัก"),
    ]
    df = pd.DataFrame(rows, columns=["check", "severity", "source_row", "national_id", "field",
                                     "value", "message"])
    df["school_code"] = school
    df["source_file"] = "students.xlsx"
    df["group"] = ""
    df["dataset"] = "students"
    df["student_name"] = "เด็กชายทดสอบ ระบบ"
    df = df.reindex(columns=FINDING_COLUMNS)
    df["source_row"] = df["source_row"].astype("Int64")
    return df


@pytest.fixture()
def pack(tmp_path):
    path = reports.write_school_pack(
        tmp_path / f"{SCHOOL}.xlsx", school_code=SCHOOL, school_name="บ้านทดสอบ",
        students=make_students(), findings=make_findings(), as_of=AS_OF,
        boarding_schools={"57010002"},
    )
    return openpyxl.load_workbook(path)


def cells(ws):
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


def texts(ws):
    return [str(c.value) for c in cells(ws)]


def table(ws, first_head: str = "ลำดับ"):
    """Rows of the first table whose header row starts with ``first_head``, as dicts."""
    rows = list(ws.iter_rows(values_only=True))
    for i, r in enumerate(rows):
        if r and r[0] == first_head:
            head = r
            out = []
            for r2 in rows[i + 1:]:
                if r2[0] is None or not isinstance(r2[0], int):
                    break
                out.append(dict(zip(head, r2)))
            return out
    return []


def test_sheets_exact(pack):
    assert pack.sheetnames == list(reports.SHEETS)
    assert pack.sheetnames == ["1-จำนวนนักเรียน", "2-ด้อยโอกาส", "3-พักนอน", "4-พิการ",
                               "5-เลขประจำตัวไม่ถูกต้อง", "ข้อผิดพลาด"]


def test_counts_by_grade_and_sex(pack):
    ws = pack["1-จำนวนนักเรียน"]
    rows = list(ws.iter_rows(values_only=True))
    head_i = next(i for i, r in enumerate(rows) if r[0] == "ชั้น")
    head = rows[head_i]
    assert head[:5] == ("ชั้น", "ชาย", "หญิง", "รวม", "จำนวนห้องเรียน")
    by = {}
    for r in rows[head_i + 1:]:
        if r[0] == "รวมทั้งหมด":
            by[r[0]] = r
            break
        by[r[0]] = r
    st = make_students()
    for g, grp in st.groupby("grade"):
        m, f = int(grp["sex"].eq("M").sum()), int(grp["sex"].eq("F").sum())
        assert by[g][1:5] == (m, f, len(grp), grp["room"].nunique()), g
    assert by["ป.2"][1:4] == (0, 0, 0)  # a level shown is shown whole
    assert by["รวม อนุบาล"][1:4] == (1, 2, 3)
    assert by["รวม ประถมศึกษา"][1:4] == (3, 1, 4)
    assert by["รวม มัธยมศึกษาตอนต้น"][1:4] == (0, 1, 1)
    assert "รวม มัธยมศึกษาตอนปลาย" not in by  # no student at that level
    total = by["รวมทั้งหมด"]
    assert total[1:5] == (int(st["sex"].eq("M").sum()), int(st["sex"].eq("F").sum()), len(st), 6)
    # part 2: per grade × room, totals equal the frame
    i2 = next(i for i, r in enumerate(rows) if r[0] == "ชั้น" and r[1] == "ห้อง")
    part2 = []
    for r in rows[i2 + 1:]:
        if r[0] == "รวมทั้งหมด":
            assert r[4] == len(st)
            break
        part2.append(r)
    assert ("ป.1", "2", 1, 1, 2) in part2
    assert sum(r[4] for r in part2) == len(st)


def test_counts_unknown_sex_and_grade(tmp_path):
    st = make_students()
    st.loc[0, "sex"] = pd.NA
    st.loc[1, "grade"] = pd.NA
    st.loc[1, "grade_raw"] = "อนุบาลเล็ก"
    path = reports.write_school_pack(tmp_path / "p.xlsx", school_code=SCHOOL, school_name="x",
                                     students=st, findings=None, as_of=AS_OF)
    ws = openpyxl.load_workbook(path)["1-จำนวนนักเรียน"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(r for r in rows if r[0] == "ชั้น")
    assert "ไม่ระบุเพศ" in head
    unknown = next(r for r in rows if r[0] == "ไม่ระบุชั้น")
    assert unknown[4] == 1
    total = next(r for r in rows if r[0] == "รวมทั้งหมด")
    assert total[4] == len(st) and total[1] + total[2] + total[3] == len(st)


def names_in(ws):
    return {r["ชื่อ-นามสกุล"] for r in table(ws)}


def test_list_reports_select_the_right_students(pack):
    assert names_in(pack["2-ด้อยโอกาส"]) == {
        "เด็กชายสมชาย ใจดี", "เด็กชายมานะ รักเรียน", "เด็กชายปิติ แสงทอง", "เด็กชายวีระ ศรีสุข",
        "เด็กหญิงดวงใจ ศรีสุข"}
    assert names_in(pack["3-พักนอน"]) == {"เด็กหญิงมานี รักเรียน", "เด็กหญิงชูใจ แสงทอง"}
    assert names_in(pack["4-พิการ"]) == {"เด็กหญิงมานี รักเรียน", "เด็กชายปิติ แสงทอง"}
    ids = {r["ชื่อ-นามสกุล"]: r["ปัญหา"] for r in table(pack["5-เลขประจำตัวไม่ถูกต้อง"])}
    assert ids == {
        "เด็กหญิงมานี รักเรียน": "ไม่มีเลข",
        "เด็กชายมานะ รักเรียน": "รหัส G",
        "เด็กชายปิติ แสงทอง": "เลขตรวจสอบไม่ถูกต้อง",
        "เด็กหญิงชูใจ แสงทอง": "รูปแบบไม่ถูกต้อง",
    }
    types = {r["ชื่อ-นามสกุล"]: r["ประเภทความด้อยโอกาส"] for r in table(pack["2-ด้อยโอกาส"])}
    assert types["เด็กหญิงดวงใจ ศรีสุข"] == "กำพร้า"
    # the list is in grade order and numbered from 1
    rows = table(pack["2-ด้อยโอกาส"])
    assert [r["ลำดับ"] for r in rows] == list(range(1, 6))
    assert [r["ชั้น"] for r in rows] == ["อ.1", "ป.1", "ป.1", "ป.6", "ม.1"]


def test_boarding_warning_outside_project(pack):
    assert any("ไม่อยู่ในโครงการพักนอนประจำ" in t for t in texts(pack["3-พักนอน"]))


def test_empty_list_says_so(tmp_path):
    st = make_students()
    st["disability"] = "ไม่พิการ"
    path = reports.write_school_pack(tmp_path / "p.xlsx", school_code=SCHOOL, school_name="x",
                                     students=st, findings=make_findings().iloc[0:0], as_of=AS_OF)
    wb = openpyxl.load_workbook(path)
    t = texts(wb["4-พิการ"])
    assert reports.EMPTY_LIST_TEXT in t
    assert "ชื่อ-นามสกุล" not in t  # no empty table
    assert "ไม่พบข้อผิดพลาด" in texts(wb["ข้อผิดพลาด"])


def test_findings_sorted_most_serious_first(pack):
    rows = table(pack["ข้อผิดพลาด"])
    assert len(rows) == len(make_findings())
    levels = [r["ระดับ"] for r in rows]
    order = {"ข้อผิดพลาด": 0, "ควรตรวจสอบ": 1, "แจ้งเพื่อทราบ": 2}
    assert levels == sorted(levels, key=order.get)
    assert levels[0] == "ข้อผิดพลาด" and levels[-1] == "แจ้งเพื่อทราบ"
    r = next(r for r in rows if r["รหัสตรวจ"] == "field-missing")
    assert r["ช่อง"] == "น้ำหนัก" and r["แถว"] == 2 and r["แฟ้ม"] == "students.xlsx"
    assert r["สิ่งที่ต้องแก้ไข"] == "ไม่ได้บันทึกน้ำหนัก"
    assert r["เรื่อง"]  # registry title (or the code when the check is not registered)


def test_print_setup(pack):
    for ws in pack.worksheets:
        assert int(ws.page_setup.paperSize) == 9
        assert int(ws.page_setup.fitToWidth) == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows, ws.title
        assert "&P" in (ws.oddFooter.center.text or "") and "&N" in ws.oddFooter.center.text
        expected = "landscape" if ws.title == "ข้อผิดพลาด" else "portrait"
        assert ws.page_setup.orientation == expected
    # the list's header row is repeated
    ws = pack["2-ด้อยโอกาส"]
    last = int(re.findall(r"\d+", ws.print_title_rows)[-1])
    assert ws.cell(row=last, column=1).value == "ลำดับ"


def test_font_and_borders(pack):
    for ws in pack.worksheets:
        for c in cells(ws):
            assert c.font.name == "TH Sarabun New", (ws.title, c.coordinate)
            assert 13 <= c.font.sz <= 16
    ws = pack["2-ด้อยโอกาส"]
    c = next(c for c in cells(ws) if c.value == "เด็กชายสมชาย ใจดี")
    assert c.border.left.style == "thin" and c.border.bottom.style == "thin"


def test_header_and_signature(pack):
    for ws in pack.worksheets:
        t = texts(ws)
        assert "ข้อมูล ณ วันที่ 10 มิถุนายน 2569" in t, ws.title
        assert any("บ้านทดสอบ" in x and SCHOOL in x for x in t)
        assert "สพป.เชียงราย เขต 1" in t
        assert "ขอรับรองว่าข้อมูลถูกต้อง" in t
        assert any(x.startswith("ลงชื่อ") and x.endswith("ผู้อำนวยการโรงเรียนบ้านทดสอบ") for x in t)
        assert "วันที่ ......./......./........." in t


def test_full_ids_by_default(pack):
    assert "1101700230709" in texts(pack["5-เลขประจำตัวไม่ถูกต้อง"])


def test_masking_leaves_no_13_digit_number(tmp_path):
    path = reports.write_school_pack(
        tmp_path / "p.xlsx", school_code=SCHOOL, school_name="บ้านทดสอบ",
        students=make_students(), findings=make_findings(), as_of=AS_OF, show_full_ids=False)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for t in texts(ws):
            assert not re.search(r"\d{13}", t), (ws.title, t)
            assert not re.search(r"G\d{12}", t), (ws.title, t)
    assert "1xxxxxxxxxxx8" in texts(wb["2-ด้อยโอกาส"])  # obec_audit.privacy's one style


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    f = make_findings()
    f.loc[0, "value"] = '="1101700230708"'
    path = reports.write_school_pack(tmp_path / "p.xlsx", school_code=SCHOOL, school_name="x",
                                     students=make_students(), findings=f, as_of=AS_OF)
    ws = openpyxl.load_workbook(path)["ข้อผิดพลาด"]
    assert '="1101700230708"' in texts(ws)
    assert all(c.data_type != "f" for c in cells(ws))


def test_school_name_prefix_not_doubled(tmp_path):
    path = reports.write_school_pack(tmp_path / "p.xlsx", school_code=SCHOOL,
                                     school_name="โรงเรียนบ้านทดสอบ", students=make_students(),
                                     findings=make_findings(), as_of=AS_OF)
    t = texts(openpyxl.load_workbook(path)["3-พักนอน"])
    assert not any("โรงเรียนโรงเรียน" in x for x in t)


def test_empty_school(tmp_path):
    st = make_students().iloc[0:0]
    path = reports.write_school_pack(tmp_path / "p.xlsx", school_code=SCHOOL, school_name="x",
                                     students=st, findings=make_findings().iloc[0:0], as_of=AS_OF)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(reports.SHEETS)
    assert reports.EMPTY_LIST_TEXT in texts(wb["1-จำนวนนักเรียน"])


def test_values_stay_text_and_clean(tmp_path):
    f = make_findings()
    f.loc[0, "value"] = "#N/A"  # an Excel error code as read from a file stays text
    f.loc[1, "value"] = "ab\x01c\x1f"  # control characters cannot go into XML
    f.loc[2, "source_row"] = pd.NA
    path = reports.write_school_pack(tmp_path / "p.xlsx", school_code=SCHOOL, school_name="x",
                                     students=make_students(), findings=f, as_of=AS_OF)
    ws = openpyxl.load_workbook(path)["ข้อผิดพลาด"]
    c = next(c for c in cells(ws) if c.value == "#N/A")
    assert c.data_type == "s"
    assert "abc" in texts(ws)
    rows = table(ws)
    assert len(rows) == len(f) and sum(r["แถว"] is None for r in rows) == 1


def test_workbook_layout(pack):
    # the Normal font (empty cells, and the unit of column widths) is the Thai font
    assert pack._fonts[0].name == "TH Sarabun New" and pack._fonts[0].sz == 14
    assert {"obec head", "obec cell", "obec title"} <= set(pack.named_styles)
    ws = pack["2-ด้อยโอกาส"]
    assert "A1:F1" in {str(r) for r in ws.merged_cells.ranges}  # the title spans the table
    assert ws.column_dimensions["C"].width == 31
    assert ws.sheet_view.showGridLines is False
    assert pack["1-จำนวนนักเรียน"].sheet_view.tabSelected
    assert not any(w.sheet_view.tabSelected for w in pack.worksheets[1:])
    head = next(c for c in cells(ws) if c.value == "ลำดับ")
    assert head.font.b and head.fill.fgColor.rgb == "FFD9D9D9"
    ws = pack["ข้อผิดพลาด"]
    assert ws.freeze_panes == "A7"
    assert "&P" in ws.oddFooter.center.text and ws.oddFooter.center.font.startswith("TH Sarabun")


def _pack_args(tmp_path, n):
    out = []
    for i in range(n):
        code = f"5701{i:04d}"
        out.append(dict(path=tmp_path / f"{code}.xlsx", school_code=code,
                        school_name=f"บ้านทดสอบ {i}", students=make_students(ROWS[: i + 2], code),
                        findings=make_findings(code), as_of=AS_OF, show_full_ids=i % 2 == 0))
    return out


def _contents(path):
    wb = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_write_packs_parallel_same_as_serial(tmp_path, monkeypatch):
    monkeypatch.setattr(reports.pack, "PARALLEL_MIN_PACKS", 2)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    serial = reports.write_packs(_pack_args(tmp_path / "a", 4), processes=1)
    seen = []
    parallel = reports.write_packs(_pack_args(tmp_path / "b", 4), processes=2,
                                   on_done=seen.append)
    assert [p.name for p in serial] == [p.name for p in parallel] == [
        f"5701{i:04d}.xlsx" for i in range(4)]
    assert sorted(seen) == sorted(parallel)
    for a, b in zip(serial, parallel):
        assert _contents(a) == _contents(b)
    assert openpyxl.load_workbook(parallel[0]).sheetnames == list(reports.SHEETS)


@pytest.mark.parametrize("processes", [1, 2])
def test_write_packs_failure_names_the_school(tmp_path, monkeypatch, processes):
    monkeypatch.setattr(reports.pack, "PARALLEL_MIN_PACKS", 2)
    packs = _pack_args(tmp_path, 3)
    packs[1]["as_of"] = "not a date"
    with pytest.raises(RuntimeError, match="57010001"):
        reports.write_packs(packs, processes=processes)


def test_write_packs_empty():
    assert reports.write_packs([]) == []


# ------------------------------------------------------------------------------ summary
def test_summary_counts(tmp_path):
    st = pd.concat([make_students(), make_students(ROWS[:3], "57010002")], ignore_index=True)
    f = pd.concat([make_findings(), make_findings("57010002").iloc[:2]], ignore_index=True)
    comp = pd.DataFrame({"school_code": ["57010001", "57010001", "57010002", "57010002"],
                         "field": ["sex", "weight", "sex", "weight"], "rows": [8, 8, 3, 3],
                         "missing": [0, 2, 0, 3], "percent_complete": [100, 75, 100, 0]})
    sc = pd.DataFrame({"school_code": ["57010001", "57010002"], "students": [8, 3],
                       "cells": [16, 6], "missing_cells": [2, 3],
                       "percent_complete": [87.5, 50.0]})
    schools = pd.DataFrame({"smis8": ["57010001", "57010002", "57010003"],
                            "school_name": ["บ้านหนึ่ง", "บ้านสอง", "บ้านสาม"]})
    path = reports.write_summary(tmp_path / "summary.xlsx", students=st, findings=f,
                                 completeness=comp, school_completeness=sc, schools=schools,
                                 as_of=AS_OF)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["สรุปรายโรงเรียน", "สรุปตามรายการตรวจ", "ความครบถ้วน"]
    ws = wb["สรุปรายโรงเรียน"]
    rows = table(ws)
    by = {r["รหัสโรงเรียน"]: r for r in rows}
    assert set(by) == {"57010001", "57010002", "57010003"}  # a school with no data is listed
    assert by["57010003"]["จำนวนนักเรียน"] == 0
    for code in ("57010001", "57010002"):
        ff = f[f["school_code"] == code]
        assert by[code]["จำนวนนักเรียน"] == int((st["school_code"] == code).sum())
        assert by[code]["ข้อผิดพลาด"] == int(ff["severity"].eq("error").sum())
        assert by[code]["ควรตรวจสอบ"] == int(ff["severity"].eq("warning").sum())
        assert by[code]["แจ้งเพื่อทราบ"] == int(ff["severity"].eq("info").sum())
        for check, n in ff["check"].value_counts().items():
            assert by[code][check] == n, (code, check)
    assert by["57010001"]["ร้อยละความครบถ้วน"] == 87.5
    assert by["57010002"]["ชื่อโรงเรียน"] == "บ้านสอง"
    allrows = list(ws.iter_rows(values_only=True))
    total = next(r for r in allrows if r[2] == "รวม")
    head = next(r for r in allrows if r[0] == "ลำดับ")
    assert total[head.index("ข้อผิดพลาด")] == int(f["severity"].eq("error").sum())
    assert total[head.index("จำนวนนักเรียน")] == len(st)
    assert ws.freeze_panes and ws.auto_filter.ref
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    # per check
    per = {r["รหัสตรวจ"]: r for r in table(wb["สรุปตามรายการตรวจ"])}
    assert per["id-missing"]["จำนวนรายการ"] == 2 and per["id-missing"]["จำนวนโรงเรียน"] == 2
    assert per["moved-school"]["จำนวนโรงเรียน"] == 1
    # completeness
    comp_rows = {r["รหัสโรงเรียน"]: r for r in table(wb["ความครบถ้วน"])}
    assert comp_rows["57010001"]["น้ำหนัก"] == 75
    assert comp_rows["57010002"]["เพศ"] == 100
    for ws in wb.worksheets:
        assert all(c.font.name == "TH Sarabun New" for c in cells(ws))
        assert "ข้อมูล ณ วันที่ 10 มิถุนายน 2569" in texts(ws)


def test_summary_without_completeness(tmp_path):
    path = reports.write_summary(tmp_path / "s.xlsx", students=make_students(),
                                 findings=make_findings().iloc[0:0], as_of=AS_OF)
    wb = openpyxl.load_workbook(path)
    assert "ไม่มีข้อมูลความครบถ้วน" in texts(wb["ความครบถ้วน"])
    assert "ไม่พบข้อผิดพลาด" in texts(wb["สรุปตามรายการตรวจ"])


# ------------------------------------------------------------------------------ rendering
@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice not installed")
def test_pack_renders_to_pdf(tmp_path):
    path = reports.write_school_pack(
        tmp_path / "p.xlsx", school_code=SCHOOL, school_name="บ้านทดสอบ",
        students=make_students(), findings=make_findings(), as_of=AS_OF)
    try:
        subprocess.run(["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                       check=True, capture_output=True, timeout=180)
    except subprocess.TimeoutExpired:
        pytest.skip("LibreOffice too slow here")
    pdf = tmp_path / "p.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        assert 6 <= pages <= 8  # one page per report for a small school
