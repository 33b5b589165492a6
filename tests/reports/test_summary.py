"""The area's summary.xlsx (obec_audit.reports.summary), read back with openpyxl."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd

from obec_audit import reports

from reports_frames import AS_OF, ROWS, cells, make_findings, make_students, table, texts


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
    # per school and check, by Thai title with its count, most serious first
    from obec_audit.checks.registry import title_of

    for code in ("57010001", "57010002"):
        ff = f[f["school_code"] == code]
        listed = by[code]["เรื่องที่พบ (จำนวนรายการ)"].split("; ")
        want = {f"{title_of(c)} {n}" for c, n in ff["check"].value_counts().items()}
        assert set(listed) == want, code
        assert not re.search(r"[a-z]-[a-z]", by[code]["เรื่องที่พบ (จำนวนรายการ)"])
    assert listed[0].startswith(title_of("id-missing"))  # errors before warnings
    assert by["57010001"]["ร้อยละความครบถ้วน"] == 87.5
    assert by["57010002"]["ชื่อโรงเรียน"] == "บ้านสอง"
    allrows = list(ws.iter_rows(values_only=True))
    total = next(r for r in allrows if r[2] == "รวม")
    head = next(r for r in allrows if r[0] == "ลำดับ")
    assert total[head.index("ข้อผิดพลาด")] == int(f["severity"].eq("error").sum())
    assert total[head.index("จำนวนนักเรียน")] == len(st)
    assert ws.freeze_panes
    # no English check code and no rotated heading where the director reads
    assert not any(re.fullmatch(r"[a-z]+(-[a-z]+)+", str(h)) for h in head if h)
    assert all(not c.alignment.textRotation for c in cells(ws))
    # the school count says what the command line says: schools with data read
    assert "โรงเรียนที่อ่านข้อมูลได้ 2 แห่ง" in "".join(texts(ws))
    assert "ไม่มีข้อมูลที่อ่านได้ 1 แห่ง" in "".join(texts(ws))
    assert by["57010003"]["เรื่องที่พบ (จำนวนรายการ)"] == "ไม่มีข้อมูลที่อ่านได้"
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
        assert "10 มิถุนายน 2569" in ws.oddHeader.center.text


def test_summary_without_completeness(tmp_path):
    path = reports.write_summary(tmp_path / "s.xlsx", students=make_students(),
                                 findings=make_findings().iloc[0:0], as_of=AS_OF)
    wb = openpyxl.load_workbook(path)
    assert "ไม่มีข้อมูลความครบถ้วน" in texts(wb["ความครบถ้วน"])
    assert "ไม่พบข้อผิดพลาด" in texts(wb["สรุปตามรายการตรวจ"])


