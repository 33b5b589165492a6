"""End-of-year checks on the student list (DOMAIN.md §6.6).

- ``top-grade-empty`` (error, one finding per school): a school whose registry level type
  ends in ป.6, ม.3 or ม.6 has no student of that grade in the current list although the
  previous census had some (when ``previous`` is given; without it: simply none now). Only
  schools present in the current list are looked at (a school missing altogether is
  ``count-drop``'s business); schools not in the registry are skipped (their top grade is
  unknown). The typical cause: graduates discharged by hand before the end-of-year census.
- ``class-no-students`` (warning, one finding per class-count row): EMIS class counts show
  rooms (> 0) for a grade while the count's own total is 0, or — for a school present in the
  student list — the list has no student of that grade.
"""

from __future__ import annotations

import pandas as pd

from obec_audit.checks._common import col_str as _s, school_file as _school_file
from obec_audit.checks.registry import CheckInput, findings, register
from obec_audit.schema import GRADES, empty_findings

TOP_GRADES = ("ป.6", "ม.3", "ม.6")


def registry_frame(data: CheckInput) -> pd.DataFrame:
    """The school registry of the input, else the shipped province registry."""
    if data.schools is not None and len(data.schools):
        return data.schools
    from obec_audit import reference

    return reference.schools(None)


def school_top_grades(schools: pd.DataFrame) -> pd.Series:
    """smis8 → top grade of its registry level type (ป.6/ม.3/ม.6 only; others dropped)."""
    from obec_audit import reference

    if schools is None or len(schools) == 0 or "level_type" not in schools.columns:
        return pd.Series(dtype="string")
    code_col = "smis8" if "smis8" in schools.columns else "school_code"
    lt = schools[[code_col, "level_type"]].dropna().astype(str)
    lt = lt[lt["level_type"].str.strip().ne("")].drop_duplicates(code_col)
    tops = {t: reference.top_grade(t) for t in lt["level_type"].unique()}
    top = lt["level_type"].map(tops)
    out = pd.Series(top.to_numpy(), index=lt[code_col].str.strip().to_numpy(), dtype="string")
    return out[out.isin(TOP_GRADES)]


def _grade_counts(df: pd.DataFrame) -> pd.Series:
    """(school_code, grade) → number of students."""
    k = pd.DataFrame({"s": _s(df, "school_code"), "g": _s(df, "grade")}).dropna()
    return k.groupby(["s", "g"]).size()


@register(
    "top-grade-empty", severity="error", dataset="students", phases=("endyear",),
    title_th="ชั้นสูงสุดไม่มีนักเรียน",
    description_th="โรงเรียนที่เปิดสอนถึง ป.6 / ม.3 / ม.6 ไม่มีนักเรียนชั้นสูงสุดในข้อมูลสิ้นปีการศึกษา "
                   "ทั้งที่รอบก่อนมี (มักเกิดจากจำหน่ายนักเรียนจบการศึกษาด้วยมือก่อนวันนับข้อมูล)",
    title_en="Top grade empty at the end of the year",
)
def top_grade_empty(data: CheckInput) -> pd.DataFrame:
    cur = data.students
    tops = school_top_grades(registry_frame(data))
    schools = pd.Index(_s(cur, "school_code").dropna().unique())
    t = pd.DataFrame({"top": tops.reindex(schools)}, index=schools).dropna()
    if len(t) == 0:
        return empty_findings()
    now = _grade_counts(cur)
    key = pd.MultiIndex.from_arrays([t.index, t["top"].astype(str)])
    t["now"] = now.reindex(key).fillna(0).astype(int).to_numpy()
    if data.previous is not None:
        before = _grade_counts(data.previous)
        t["before"] = before.reindex(key).fillna(0).astype(int).to_numpy()
        t = t[(t["now"] == 0) & (t["before"] > 0)]
    else:
        t["before"] = pd.NA
        t = t[t["now"] == 0]
    if len(t) == 0:
        return empty_findings()
    rows = pd.DataFrame({
        "school_code": pd.array(t.index.astype(str), dtype="string"),
        "source_file": _school_file(cur).reindex(t.index).astype("string").to_numpy(),
        "source_row": pd.array([pd.NA] * len(t), dtype="Int64"),
    }, index=t.index)
    top = t["top"].astype(str)
    if data.previous is not None:
        value = top + ": 0 (รอบก่อน " + t["before"].astype(str) + " คน)"
        why = " ทั้งที่ข้อมูลรอบก่อนมี " + t["before"].astype(str) + " คน"
    else:
        value = top + ": 0"
        why = pd.Series("", index=t.index)
    msg = ("โรงเรียนเปิดสอนถึงชั้น " + top + " แต่ไม่มีนักเรียนชั้น " + top + " ในข้อมูลสิ้นปีการศึกษา" + why
           + ": นักเรียนชั้นสูงสุดต้องมีชื่ออยู่จนถึงวันนับข้อมูลสิ้นปี หากจำหน่ายจบการศึกษาไปก่อน "
           "ให้ยกเลิกการจำหน่ายและนำกลับเข้าระบบ แล้วยืนยันข้อมูลใหม่")
    return findings(rows, "top-grade-empty", field="grade", value=value, message=msg)


@register(
    "class-no-students", severity="warning", dataset="students", phases=("endyear",),
    title_th="เปิดห้องเรียนแต่ไม่มีนักเรียน",
    description_th="ข้อมูลจำนวนนักเรียนรายชั้น (EMIS) มีห้องเรียนของชั้นหนึ่ง แต่ไม่มีนักเรียนชั้นนั้น",
    title_en="Class with rooms but no students",
    needs=("students", "class_counts"),
)
def class_no_students(data: CheckInput) -> pd.DataFrame:
    cc = data.class_counts
    cc = cc.reset_index(drop=True)
    grade = _s(cc, "grade").str.strip()
    school = _s(cc, "school_code").str.strip()
    rooms = pd.to_numeric(cc["rooms"], errors="coerce") if "rooms" in cc.columns else \
        pd.Series(float("nan"), index=cc.index)
    total = pd.to_numeric(cc["total"], errors="coerce") if "total" in cc.columns else \
        pd.Series(float("nan"), index=cc.index)
    real = grade.isin(GRADES).fillna(False) & school.notna()
    open_ = real & (rooms > 0).fillna(False)
    empty = (total == 0).fillna(False)
    n_list = pd.Series(0, index=cc.index, dtype="int64")
    if data.students is not None and len(data.students):
        counts = _grade_counts(data.students)
        present = set(_s(data.students, "school_code").dropna().unique())
        key = pd.MultiIndex.from_arrays([school.fillna(""), grade.fillna("")])
        n_list = pd.Series(counts.reindex(key).fillna(0).astype("int64").to_numpy(), index=cc.index)
        in_list = school.isin(present).fillna(False)
        empty = empty | (in_list & n_list.eq(0))
    sel = open_ & empty
    if not sel.any():
        return empty_findings()
    rows = cc[sel]
    r = rooms[sel].astype("Int64").astype(str)
    tot = total[sel].astype("Int64").astype("string").fillna("-")
    value = grade[sel] + ": " + r + " ห้อง, นักเรียน " + n_list[sel].astype(str) + " คน"
    msg = ("ชั้น " + grade[sel] + " เปิด " + r + " ห้องเรียน (ยอด EMIS " + tot
           + " คน) แต่ไม่มีนักเรียนชั้นนี้ในรายชื่อ: โรงเรียนตรวจสอบว่าบันทึกนักเรียนชั้นนี้ครบ "
           "หรือแก้จำนวนห้องเรียนเป็น 0 หากไม่ได้เปิดสอนชั้นนี้")
    return findings(rows, "class-no-students", field="grade", value=value, message=msg)
