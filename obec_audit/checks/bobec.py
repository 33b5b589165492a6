"""B-OBEC building checks (DOMAIN.md §3.2, §6.9), phase ``bobec``.

- ``bobec-year`` (error): year built not a whole B.E. year in 2470 … (census year + 543), or
  unreadable / empty. A C.E. year (e.g. 1997) is outside and the message says to add 543.
- ``bobec-condition`` (error): condition not ดี / พอใช้ / ทรุดโทรม (spaces ignored; empty
  counts as outside the list).
- ``bobec-rooms`` (error): actual rooms above rooms by design, when both are numbers and the
  design count is above 0 (0 by design is read as "not applicable", e.g. a fence).
- ``bobec-classrooms`` (warning, per school; needs the student list): the actual rooms of the
  school's buildings of category อาคารเรียน add up to fewer than its classes, a class being a
  distinct (grade, room) of the student list (a grade whose rooms are all empty counts once).
  Special rooms are not subtracted (their relation to actual rooms is not documented), so
  the check errs on the side of silence. Only schools in both lists are compared.
- ``bobec-photo`` (warning): condition ทรุดโทรม and photos empty, 0, ``-`` or ``ไม่มี``.
- ``bobec-incomplete`` (warning, one per file × column): the page lacks a column the checks
  need (ปีที่สร้าง, สภาพ, ห้องตามแบบ, ห้องที่มีจริง, รูปถ่าย; EMIS's public list has only
  ประเภท, แบบ and ปีที่สร้าง), or its school could not be identified. Every other check
  leaves out the rows (``bobec-classrooms``: the schools) of a file without the column it
  judges: a missing column is one note, never an error per row.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from obec_audit.checks._common import col_str as _s, school_file as _school_file
from obec_audit.checks._files import incomplete_notes, lacks
from obec_audit.checks.registry import CheckInput, findings, register
from obec_audit.schema import BOBEC_CONDITIONS, empty_findings
from obec_audit.thaidate import THAI_DIGITS as _THAI_DIGITS

BOBEC_PHASES: tuple[str, ...] = ("bobec",)
MIN_YEAR_BE = 2470
NO_PHOTO = frozenset({"", "0", "-", "–", "ไม่มี", "ไม่มีรูป", "ไม่มีภาพ"})
CLASSROOM_CATEGORY = "อาคารเรียน"


def _raw(df: pd.DataFrame, field: str) -> pd.Series:
    if f"{field}_raw" in df.columns:
        return _s(df, f"{field}_raw")
    return _s(df, field)


def _number(df: pd.DataFrame, field: str) -> pd.Series:
    """The parsed number: the loader's numeric column when there is one, else parsed from
    the raw text (Thai digits, commas, a trailing .0); <NA>/NaN when unreadable."""
    s = _raw(df, field).str.translate(_THAI_DIGITS).str.replace(r"[\s,]", "", regex=True)
    parsed = pd.to_numeric(s, errors="coerce").astype("float64")
    if field in df.columns and pd.api.types.is_numeric_dtype(df[field]):
        return pd.to_numeric(df[field], errors="coerce").astype("float64").fillna(parsed)
    return parsed


def _building(rows: pd.DataFrame) -> pd.Series:
    """'อาคารเรียน สปช.105/29' for messages."""
    return (_s(rows, "category").fillna("อาคาร") + " " + _s(rows, "design").fillna("")).str.strip()


@register(
    "bobec-year", severity="error", dataset="bobec", phases=BOBEC_PHASES,
    title_th="ปีที่สร้างไม่ถูกต้อง",
    description_th="ปีที่สร้างอาคารว่าง อ่านไม่ได้ หรือไม่อยู่ในช่วง พ.ศ. 2470 ถึงปีปัจจุบัน",
    title_en="Year built outside 2470 … this year (B.E.)",
)
def bobec_year(data: CheckInput) -> pd.DataFrame:
    b = data.bobec
    b = b.reset_index(drop=True)
    year = _number(b, "year_built")
    this_year = (data.as_of or dt.date.today()).year + 543
    whole = year.notna() & (year == year.round(0))
    ok = whole & (year >= MIN_YEAR_BE) & (year <= this_year)
    bad = ~ok.fillna(False) & ~lacks(b, "year_built")
    if not bad.any():
        return empty_findings()
    rows = b[bad]
    y = year[bad]
    raw = _raw(b, "year_built")[bad]
    why = pd.Series(f"ปีที่สร้างต้องเป็น พ.ศ. ระหว่าง {MIN_YEAR_BE} ถึง {this_year}", index=rows.index,
                    dtype="object")
    why[y.isna()] = "ไม่มีปีที่สร้างหรืออ่านไม่ได้"
    why[(y >= 1900) & (y <= this_year - 543)] = "ปีที่สร้างดูเป็น ค.ศ. ให้บวก 543 เป็น พ.ศ."
    why[y > this_year] = f"ปีที่สร้างเกินปีปัจจุบัน ({this_year})"
    msg = (_building(rows) + ": " + why.astype("string")
           + " — โรงเรียนแก้ปีที่สร้างให้ถูกต้องตามทะเบียนสิ่งก่อสร้าง")
    return findings(rows, "bobec-year", field="year_built", value=raw, message=msg)


@register(
    "bobec-condition", severity="error", dataset="bobec", phases=BOBEC_PHASES,
    title_th="สภาพอาคารไม่ถูกต้อง",
    description_th="สภาพอาคารไม่ใช่ ดี / พอใช้ / ทรุดโทรม",
    title_en="Condition outside ดี / พอใช้ / ทรุดโทรม",
)
def bobec_condition(data: CheckInput) -> pd.DataFrame:
    b = data.bobec
    b = b.reset_index(drop=True)
    cond = _s(b, "condition").str.replace(r"\s+", "", regex=True)
    bad = ~cond.isin(BOBEC_CONDITIONS).fillna(False) & ~lacks(b, "condition")
    if not bad.any():
        return empty_findings()
    rows = b[bad]
    msg = (_building(rows) + ": สภาพอาคาร '" + _s(rows, "condition").fillna("")
           + "' ไม่อยู่ในรายการ — โรงเรียนเลือกสภาพเป็น ดี พอใช้ หรือ ทรุดโทรม")
    return findings(rows, "bobec-condition", field="condition", value=_s(rows, "condition"),
                    message=msg)


@register(
    "bobec-rooms", severity="error", dataset="bobec", phases=BOBEC_PHASES,
    title_th="จำนวนห้องจริงเกินตามแบบ",
    description_th="จำนวนห้องที่มีจริงมากกว่าจำนวนห้องตามแบบ",
    title_en="Actual rooms above rooms by design",
)
def bobec_rooms(data: CheckInput) -> pd.DataFrame:
    b = data.bobec
    b = b.reset_index(drop=True)
    design = _number(b, "design_rooms")
    actual = _number(b, "actual_rooms")
    bad = (design.notna() & actual.notna() & (design > 0) & (actual > design)).fillna(False)
    if not bad.any():
        return empty_findings()
    rows = b[bad]
    a = actual[bad].round(0).astype("int64").astype(str)
    d = design[bad].round(0).astype("int64").astype(str)
    msg = (_building(rows) + ": ห้องที่มีจริง " + a + " ห้อง มากกว่าห้องตามแบบ " + d
           + " ห้อง — โรงเรียนตรวจสอบแบบอาคารและจำนวนห้อง (ห้องที่กั้นเพิ่มให้บันทึกตามแบบ) แล้วแก้ไข")
    return findings(rows, "bobec-rooms", field="actual_rooms", value=a + " > " + d, message=msg)


def _norm_room(values: pd.Series) -> pd.Series:
    s = values.astype("string").str.translate(_THAI_DIGITS).str.strip()
    s = s.str.replace(r"^0+(?=\d)", "", regex=True).str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
    return s.replace("", pd.NA)


def class_counts_from_students(students: pd.DataFrame) -> pd.Series:
    """school → number of classes: distinct (grade, room); a grade whose rooms are all empty
    counts once."""
    k = pd.DataFrame({"s": _s(students, "school_code").str.strip(),
                      "g": _s(students, "grade"),
                      "r": _norm_room(_s(students, "room"))}).dropna(subset=["s", "g"])
    per_grade = k.groupby(["s", "g"])["r"].nunique().clip(lower=1)
    return per_grade.groupby(level="s").sum()


@register(
    "bobec-classrooms", severity="warning", dataset="bobec", phases=BOBEC_PHASES,
    title_th="ห้องเรียนไม่พอกับจำนวนชั้นเรียน",
    description_th="จำนวนห้องที่มีจริงของอาคารเรียนทุกหลังรวมกัน น้อยกว่าจำนวนห้องเรียน (ชั้น × ห้อง) ในข้อมูลนักเรียน",
    title_en="Fewer classrooms than classes",
    needs=("bobec", "students"),
)
def bobec_classrooms(data: CheckInput) -> pd.DataFrame:
    b, stu = data.bobec, data.students
    school = _s(b, "school_code").str.strip()
    cat = _s(b, "category").str.replace(r"\s+", "", regex=True)
    is_class = cat.str.startswith(CLASSROOM_CATEGORY).fillna(False)
    rooms = _number(b, "actual_rooms").fillna(0).where(is_class, 0)
    have = pd.DataFrame({"s": school, "n": rooms}).dropna(subset=["s"]).groupby("s")["n"].sum()
    unknown = school[lacks(b, "actual_rooms", "category")].dropna().unique()
    have = have[~have.index.isin(unknown)]  # a school whose page has no room counts: not judged
    classes = class_counts_from_students(stu)
    t = pd.DataFrame({"rooms": have}).join(classes.rename("classes"), how="inner")
    t = t[t["rooms"] < t["classes"]]
    if len(t) == 0:
        return empty_findings()
    rows = pd.DataFrame({
        "school_code": pd.array(t.index.astype(str), dtype="string"),
        "source_file": _school_file(b).reindex(t.index).astype("string").to_numpy(),
        "source_row": pd.array([pd.NA] * len(t), dtype="Int64"),
    }, index=t.index)
    r = t["rooms"].round(0).astype("int64").astype(str)
    c = t["classes"].astype("int64").astype(str)
    msg = ("อาคารเรียนมีห้องจริงรวม " + r + " ห้อง แต่ข้อมูลนักเรียนมี " + c
           + " ห้องเรียน: โรงเรียนตรวจสอบจำนวนห้องของอาคารเรียนใน B-OBEC และเลขห้องของนักเรียนใน DMC")
    return findings(rows, "bobec-classrooms", field="actual_rooms",
                    value="ห้องจริง " + r + " / ห้องเรียน " + c, message=msg)


@register(
    "bobec-photo", severity="warning", dataset="bobec", phases=BOBEC_PHASES,
    title_th="อาคารทรุดโทรมไม่มีรูปถ่าย",
    description_th="อาคารที่สภาพทรุดโทรมต้องมีรูปถ่ายปัจจุบันประกอบ",
    title_en="Deteriorated building without photos",
)
def bobec_photo(data: CheckInput) -> pd.DataFrame:
    b = data.bobec
    b = b.reset_index(drop=True)
    cond = _s(b, "condition").str.replace(r"\s+", "", regex=True)
    poor = cond.eq("ทรุดโทรม").fillna(False)
    raw = _raw(b, "photos").str.translate(_THAI_DIGITS).str.strip().fillna("")
    raw = raw.str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
    none = raw.isin(NO_PHOTO)
    if "photos" in b.columns and pd.api.types.is_numeric_dtype(b["photos"]) and "photos_raw" not in b.columns:
        none = b["photos"].isna() | b["photos"].eq(0)
    bad = poor & none.fillna(True) & ~lacks(b, "photos")
    if not bad.any():
        return empty_findings()
    rows = b[bad]
    msg = (_building(rows) + " สภาพทรุดโทรมแต่ไม่มีรูปถ่าย: โรงเรียนถ่ายรูปสภาพปัจจุบันของอาคารและแนบใน B-OBEC "
           "เพื่อใช้ประกอบการของบประมาณซ่อมแซม")
    return findings(rows, "bobec-photo", field="photos", value=_raw(b, "photos")[bad].fillna(""),
                    message=msg)


#: what each column of a B-OBEC page lets the checks judge (for bobec-incomplete)
BOBEC_LABELS: dict[str, tuple[str, str]] = {
    "category": ("ประเภท", "ห้องเรียนเทียบกับจำนวนชั้นเรียน"),
    "year_built": ("ปีที่สร้าง", "ปีที่สร้าง"),
    "condition": ("สภาพ", "สภาพอาคาร (ดี / พอใช้ / ทรุดโทรม) และรูปถ่ายอาคารทรุดโทรม"),
    "design_rooms": ("จำนวนห้องตามแบบ", "จำนวนห้องเทียบกับแบบ"),
    "actual_rooms": ("จำนวนห้องที่มีจริง", "จำนวนห้องเทียบกับแบบและกับจำนวนชั้นเรียน"),
    "photos": ("รูปถ่าย", "รูปถ่ายของอาคารทรุดโทรม"),
}


@register(
    "bobec-incomplete", severity="warning", dataset="bobec", phases=BOBEC_PHASES,
    title_th="หน้าอาคาร (B-OBEC) ไม่ครบคอลัมน์",
    description_th="แฟ้มอาคารสิ่งก่อสร้างไม่มีคอลัมน์ที่ต้องใช้ตรวจ หรือไม่ระบุโรงเรียน (แจ้งครั้งเดียวต่อแฟ้ม)",
    title_en="B-OBEC page lacks a column",
)
def bobec_incomplete(data: CheckInput) -> pd.DataFrame:
    return incomplete_notes(data.bobec, "bobec-incomplete", BOBEC_LABELS, "อาคารสิ่งก่อสร้าง (B-OBEC)")
