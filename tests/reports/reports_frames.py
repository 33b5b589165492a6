"""Small hand-made frames for the report tests (synthetic people only) and readers of the
workbooks written."""

from __future__ import annotations

import datetime as dt

import pandas as pd

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
                if r2 == head:  # the header again at the top of a printed page
                    continue
                if r2[0] is None or not isinstance(r2[0], int):
                    break
                out.append(dict(zip(head, r2)))
            return out
    return []


