"""The school report pack (obec_audit.reports.pack and its forms), read back with openpyxl."""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

from obec_audit import reports
from reports_frames import (  # noqa: E402  (tests/reports is on the path: conftest.py)
    AS_OF, ROWS, SCHOOL, cells, make_findings, make_students, table, texts,
)


@pytest.fixture()
def pack(tmp_path):
    path = reports.write_school_pack(
        tmp_path / f"{SCHOOL}.xlsx", school_code=SCHOOL, school_name="บ้านทดสอบ",
        students=make_students(), findings=make_findings(), as_of=AS_OF,
        boarding_schools={"57010002"},
    )
    return openpyxl.load_workbook(path)


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
        "เด็กหญิงชูใจ แสงทอง": "Excel ทำเลขเสีย",  # 11017E+12: Excel's scientific notation
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
    assert "ไม่มีนักเรียนพิการ" in t  # says what there is none of
    assert "ชื่อ-นามสกุล" not in t  # no empty table
    assert "ขอรับรองว่าข้อมูลถูกต้อง" in t  # the seed asks for all five reports, signed
    assert wb["4-พิการ"].max_row <= 12  # compact: title, one line, the signature
    assert "ไม่พบข้อผิดพลาด" in texts(wb["ข้อผิดพลาด"])


def test_findings_sorted_most_serious_first(pack):
    rows = table(pack["ข้อผิดพลาด"])
    assert len(rows) == len(make_findings())
    levels = [r["ระดับ"] for r in rows]
    order = {"ข้อผิดพลาด": 0, "ควรตรวจสอบ": 1, "แจ้งเพื่อทราบ": 2}
    assert levels == sorted(levels, key=order.get)
    assert levels[0] == "ข้อผิดพลาด" and levels[-1] == "แจ้งเพื่อทราบ"
    r = next(r for r in rows if r["รหัสตรวจ (อ้างอิง)"] == "field-missing")
    assert r["ช่อง"] == "น้ำหนัก" and r["แถว"] == "2"
    assert r["สิ่งที่ต้องแก้ไข"] == "ไม่ได้บันทึกน้ำหนัก"
    assert r["เรื่อง"] == "ข้อมูลที่ต้องกรอกว่าง"  # the registry's Thai title
    # the one file is named once above the table, not on every row
    assert "แฟ้มที่ตรวจ: students.xlsx" in texts(pack["ข้อผิดพลาด"])


def test_print_setup(pack):
    for ws in pack.worksheets:
        assert int(ws.page_setup.paperSize) == 9
        assert int(ws.page_setup.fitToWidth) == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # no rows repeated by the printer: the sheet lays out its own pages
        assert not ws.print_title_rows, ws.title
        assert "&P" in (ws.oddFooter.center.text or "") and "&N" in ws.oddFooter.center.text
        # every page: the school, its code and the census date in the page header
        head = ws.oddHeader.center.text
        assert "บ้านทดสอบ" in head and SCHOOL in head and "10 มิถุนายน 2569" in head
        expected = "landscape" if ws.title == "ข้อผิดพลาด" else "portrait"
        assert ws.page_setup.orientation == expected
    # the errors sheet's code column is for officers on screen, not printed
    assert pack["ข้อผิดพลาด"].print_area.endswith("$A$1:$I$" + str(pack["ข้อผิดพลาด"].max_row))


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
        assert any("ข้อมูล ณ วันที่ 10 มิถุนายน 2569" in x for x in t), ws.title
        assert any("บ้านทดสอบ" in x and SCHOOL in x for x in t)
        assert any("สพป.เชียงราย เขต 1" in x for x in t)
        assert "ขอรับรองว่าข้อมูลถูกต้อง" in t
        assert any(x.startswith("ลงชื่อ") for x in t)
        assert "ผู้อำนวยการโรงเรียนบ้านทดสอบ" in t
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


# ------------------------------------------------------------------------------ rendering
@pytest.mark.skipif(reports.find_soffice() is None, reason="LibreOffice not installed")
def test_pack_renders_to_pdf(tmp_path):
    path = reports.write_school_pack(
        tmp_path / "p.xlsx", school_code=SCHOOL, school_name="บ้านทดสอบ",
        students=make_students(), findings=make_findings(), as_of=AS_OF)
    pdf, = reports.to_pdf([path])
    assert pdf == tmp_path / "p.pdf" and pdf.stat().st_size > 10_000
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        assert pages == 6  # one page per report for a small school


# ------------------------------------------------------------------------------ issue 12
def test_a_room_without_a_grade_is_no_classroom_and_duplicate_rows_are_noted(tmp_path):
    st = make_students()
    st.loc[7, "grade"] = pd.NA  # ม.1 room 1: now a student without a grade
    dup = st.iloc[[0]].copy()  # the same child twice in the school
    st = pd.concat([st, dup], ignore_index=True)
    path = reports.write_school_pack(tmp_path / "p.xlsx", school_code=SCHOOL, school_name="x",
                                     students=st, findings=None, as_of=AS_OF)
    ws = openpyxl.load_workbook(path)["1-จำนวนนักเรียน"]
    rows = list(ws.iter_rows(values_only=True))
    total = next(r for r in rows if r[0] == "รวมทั้งหมด")
    assert total[3] == len(st)  # every row counted, as in students.csv …
    # … rooms: อ.1/1, อ.2/1, ป.1/1, ป.1/2, ป.6/1 (the room of the grade-less row is none)
    assert total[4] == 5
    t = " ".join(texts(ws))
    assert "จำนวนห้องเรียน 5 ห้อง" in t
    assert "ไม่ระบุชั้น 1 คน" in t
    assert "เลขประจำตัวซ้ำกันในโรงเรียน 1 แถว" in t


def test_duplicate_sets_are_numbered_for_people(tmp_path):
    f = make_findings().iloc[:2].copy()
    f["check"] = "dup-id-area"
    f["group"] = ["DA-95c6581d0f", "DA-0a1b2c3d4e"]
    f["message"] = [f"เลขนี้ปรากฏในหลายโรงเรียน (กลุ่ม {g}): ตรวจสอบ" for g in f["group"]]
    path = reports.write_school_pack(tmp_path / "p.xlsx", school_code=SCHOOL, school_name="x",
                                     students=make_students(), findings=f, as_of=AS_OF)
    t = texts(openpyxl.load_workbook(path)["ข้อผิดพลาด"])
    assert not any("DA-" in x for x in t)
    assert any("ชุดที่ 1" in x for x in t) and any("ชุดที่ 2" in x for x in t)


def test_ids_excel_damaged_are_one_row_for_the_file(tmp_path):
    f = pd.concat([make_findings().iloc[[1]]] * 6, ignore_index=True)
    f["check"], f["severity"], f["field"] = "id-format", "error", "national_id"
    f["value"] = f["national_id"] = "1.5702E+12"
    f["source_row"] = pd.array([2, 3, 4, 5, 9, 10], dtype="Int64")
    f = pd.concat([f, make_findings().iloc[[0]]], ignore_index=True)
    masked = reports.write_school_pack(tmp_path / "m.xlsx", school_code=SCHOOL, school_name="x",
                                       students=make_students(), findings=f, as_of=AS_OF,
                                       show_full_ids=False)
    assert len(table(openpyxl.load_workbook(masked)["ข้อผิดพลาด"])) == 2  # masked alike
    path = reports.write_school_pack(tmp_path / "p.xlsx", school_code=SCHOOL, school_name="x",
                                     students=make_students(), findings=f, as_of=AS_OF)
    rows = table(openpyxl.load_workbook(path)["ข้อผิดพลาด"])
    assert len(rows) == 2
    r = next(r for r in rows if r["รหัสตรวจ (อ้างอิง)"] == "id-format")
    assert r["แถว"] == "2–5, 9–10" and r["ชื่อ-นามสกุล"] == "6 คน" and r["เลขประจำตัว"] == "-"
    assert "ดาวน์โหลดรายชื่อนักเรียนจาก DMC ใหม่" in r["สิ่งที่ต้องแก้ไข"]


def test_a_school_with_nothing_read_gets_a_notice_not_a_pack_to_sign(tmp_path):
    f = make_findings().iloc[[0]].copy()
    f["check"], f["severity"], f["source_row"] = "file-unreadable", "error", pd.NA
    f["source_file"] = "student_list_57010001.csv"
    f["message"] = "เปิดแฟ้มไม่ได้: แฟ้มว่างเปล่า ให้ดาวน์โหลดจาก DMC ใหม่"
    path = reports.write_school_pack(tmp_path / "p.xlsx", school_code=SCHOOL, school_name="x",
                                     students=make_students().iloc[0:0], findings=f, as_of=AS_OF)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["แจ้งส่งข้อมูลใหม่"]
    t = " ".join(texts(wb.worksheets[0]))
    assert "student_list_57010001.csv" in t and "แฟ้มว่างเปล่า" in t
    assert "ลงชื่อ" not in t and "ขอรับรอง" not in t


@pytest.mark.parametrize("shared", [False, True])
@pytest.mark.parametrize("processes", [1, None])
def test_write_packs_meanwhile_and_the_rounds_pool(tmp_path, monkeypatch, processes, shared):
    from obec_audit import workers

    monkeypatch.setattr(reports.pack, "PARALLEL_MIN_PACKS", 2)
    monkeypatch.setattr(workers, "cpus", lambda: 2)
    calls = []
    with workers.shared() if shared else contextlib.nullcontext():
        pool = workers.pool()
        written = reports.write_packs(_pack_args(tmp_path, 3), processes=processes,
                                      meanwhile=lambda: calls.append(len(calls)))
        assert (pool is not None) == shared
    assert calls == [0] and [p.name for p in written] == [f"5701{i:04d}.xlsx" for i in range(3)]

    def boom():
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):  # raised after the packs are written
        reports.write_packs(_pack_args(tmp_path / "x", 3), processes=processes, meanwhile=boom)
    assert len(list((tmp_path / "x").glob("*.xlsx"))) == 3
