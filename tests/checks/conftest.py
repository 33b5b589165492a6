"""Hand-made canonical student frames for the check tests."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from obec_audit.ids import classify_series, pin
from obec_audit.schema import STUDENT_COLUMNS, STUDENT_DTYPES

_counter = itertools.count(1)


def _make_pin(first12: str) -> str:
    """A valid 13-digit ID from its first 12 digits."""
    return first12 + pin.calc_check_digit(first12)


def fresh_pin() -> str:
    return _make_pin(f"1570{next(_counter):08d}")


#: a clean ป.3 boy at school 57010001, 10 June 2569 B.E. (2026) census, 8 years 4 months old
DEFAULT_ROW: dict = {
    "source_file": "studentInSchoolList.xlsx",
    "source_sheet": "Sheet1",
    "layout": "A",
    "school_code": "57010001",
    "school_name": "โรงเรียนบ้านทดสอบ",
    "title": "เด็กชาย",
    "first_name": "สมชาย",
    "last_name": "ใจดี",
    "sex": "M",
    "birth_date": "2018-02-01",
    "grade": "ป.3",
    "room": "1",
    "student_no": "1001",
    "weight": 26.0,
    "height": 128.0,
    "blood_group": "O",
    "religion": "พุทธ",
    "race": "ไทย",
    "nationality": "ไทย",
    "disadvantage": "ไม่ด้อยโอกาส",
    "disability": "ไม่พิการ",
    "boarding": "อาศัยอยู่กับบิดามารดา",
}


#: distinct default names so that default rows are never dup-person candidates
FIRST_NAMES = ["สมชาย", "ประเสริฐ", "วิชัย", "อนุชา", "ธนากร", "กิตติพัฒน์", "ณัฐวุฒิ", "พงศกร",
               "ศุภชัย", "อภิสิทธิ์", "ชยพล", "ธีรภัทร", "ภานุวัฒน์", "วรเมธ", "สิทธิชัย", "ปฏิภาณ"]
LAST_NAMES = ["ใจดี", "มีสุข", "แสงทอง", "บุญมา", "ศรีวงศ์", "คำแก้ว", "อินทร์แปง", "จันทร์เพ็ญ",
              "ทองคำ", "สายบุญ", "ปัญญาดี", "วงศ์ใหญ่", "นาคสวัสดิ์", "เรือนแก้ว", "ยอดยิ่ง", "พรหมมา"]


def _make_students(rows: list[dict], absent_columns: dict | None = None) -> pd.DataFrame:
    """A canonical student frame: each dict overrides DEFAULT_ROW. ``national_id`` (as read)
    defaults to a fresh valid ID and is classified like the loader does; ``source_row``
    defaults to 2, 3, …; ``*_raw`` default to the value given (B.E. text for birth dates)."""
    recs = []
    for k, r in enumerate(rows):
        rec = {**DEFAULT_ROW, "first_name": FIRST_NAMES[k % 16], "last_name": LAST_NAMES[(k // 16) % 16], **r}
        rec.setdefault("source_row", k + 2)
        if "national_id" not in r:
            rec["national_id"] = fresh_pin()
        rec.setdefault("national_id_raw", rec["national_id"])
        rec.setdefault("sex_raw", {"M": "ชาย", "F": "หญิง"}.get(rec["sex"], rec["sex"]))
        rec.setdefault("grade_raw", rec["grade"])
        bd = rec["birth_date"]
        if "birth_date_raw" not in r:
            ts = pd.to_datetime(bd, errors="coerce") if bd is not None else pd.NaT
            rec["birth_date_raw"] = None if pd.isna(ts) else f"{ts.day:02d}/{ts.month:02d}/{ts.year + 543}"
        rec.setdefault("weight_raw", None if rec["weight"] is None else str(rec["weight"]))
        rec.setdefault("height_raw", None if rec["height"] is None else str(rec["height"]))
        recs.append(rec)
    df = pd.DataFrame(recs)
    for c in STUDENT_COLUMNS:
        if c not in df.columns:
            df[c] = None
    cls = classify_series(df["national_id_raw"])
    df["national_id"] = cls["national_id"]
    df["id_type"] = cls["id_type"]
    df["id_reason"] = cls["id_reason"]
    for c in STUDENT_COLUMNS + ["id_reason"]:
        dtype = STUDENT_DTYPES.get(c, "string")
        if c == "birth_date":
            df[c] = pd.to_datetime(df[c], errors="coerce").astype("datetime64[ns]")
        elif dtype == "float64":
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
        elif dtype == "Int64":
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("Int64")
        else:
            df[c] = df[c].astype("string")
    df = df[STUDENT_COLUMNS + ["id_reason"]]
    if absent_columns:
        df.attrs["absent_columns"] = absent_columns
    return df


def _rows_of(findings: pd.DataFrame, code: str, field: str | None = None) -> list[int]:
    f = findings[findings["check"] == code]
    if field is not None:
        f = f[f["field"] == field]
    return sorted(int(x) for x in f["source_row"].tolist())


@pytest.fixture
def make_students():
    """Factory: ``make_students([{...}, ...], absent_columns=None)`` → canonical frame."""
    return _make_students


@pytest.fixture
def rows_of():
    """``rows_of(findings, code, field=None)`` → sorted source_rows of that check."""
    return _rows_of


@pytest.fixture
def make_pin():
    """``make_pin(first12)`` → a valid 13-digit ID."""
    return _make_pin
