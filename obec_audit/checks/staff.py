"""Checks of the per-person staff list (DOMAIN.md §3.2), phases start / round1 / round2.

- ``staff-id`` (error): ID missing, malformed (not 13 digits; a G-code is a learner code and
  is not accepted for staff), or failing its check digit. Type-0 numbers are accepted on
  their check digit, as for students.
- ``staff-dup`` (error): the same 13-digit ID on more than one row (two schools, or twice in
  one); every member row is flagged, one shared group.
- ``staff-no-director`` (warning, per school present in the staff list): no row with position
  ผู้อำนวยการโรงเรียน.
- ``staff-code`` (error): position outside ``STAFF_POSITIONS``; standing outside
  ``ACADEMIC_STANDINGS``; or an impossible combination:

  * ผู้อำนวยการโรงเรียน / รองผู้อำนวยการโรงเรียน / ครู: the level, when given, must be the
    standing's (``STANDING_LEVEL``: - → คศ.1, ชำนาญการ → คศ.2 …);
  * ครูผู้ช่วย: standing ``-`` (or empty), level empty / ``-`` / ``ครูผู้ช่วย``;
  * ลูกจ้างประจำ / พนักงานราชการ / ลูกจ้างชั่วคราว: standing ``-`` (or empty), level empty / ``-``.

  Positions are compared after removing EMIS's numbering (``3. ครู``) and spaces; an empty
  standing counts as ``-``; levels are compared without dots and spaces (``ค.ศ. 2`` = คศ.2).
- ``staff-ratio`` (warning, per school; needs the student list): students per teacher
  (``TEACHING_POSITIONS``) for schools with at least 20 students (option
  ``staff_ratio_min_students``). Flagged when the school has no teacher, when the ratio is
  above 60 or below 3 (``staff_ratio_max`` / ``staff_ratio_min``), or when its robust z-score
  on the log scale, ``(log r − median) / (1.4826 · MAD)`` over the area's schools, is beyond
  ±4 (``staff_ratio_z``; only with ≥ 8 schools and MAD > 0). Log scale because ratios are
  skewed; the fixed bounds catch what a small area's spread cannot.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from obec_audit.checks._common import option as _opt, col_str as _s, school_file as _school_file
from obec_audit.checks.registry import CheckInput, findings, register
from obec_audit.ids import classify_series
from obec_audit.schema import (
    ACADEMIC_STANDINGS,
    STAFF_POSITIONS,
    STANDING_LEVEL,
    TEACHING_POSITIONS,
    empty_findings,
)

STAFF_PHASES: tuple[str, ...] = ("start", "round1", "round2")
DIRECTOR = "ผู้อำนวยการโรงเรียน"
CIVIL = frozenset({"ผู้อำนวยการโรงเรียน", "รองผู้อำนวยการโรงเรียน", "ครู"})
ASSISTANT = "ครูผู้ช่วย"
NON_CIVIL = frozenset({"ลูกจ้างประจำ", "พนักงานราชการ", "ลูกจ้างชั่วคราว"})


def _school_rows(index: pd.Index, files: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({
        "school_code": pd.array(index.astype(str), dtype="string"),
        "source_file": files.reindex(index).astype("string").to_numpy(),
        "source_row": pd.array([pd.NA] * len(index), dtype="Int64"),
    }, index=index)


def clean_position(values: pd.Series) -> pd.Series:
    """'3. ครู ' → 'ครู'; spaces inside removed (positions have none)."""
    s = values.astype("string").str.replace(r"^\s*\d+\s*[.)]\s*", "", regex=True)
    return s.str.replace(r"[\s\u200b]+", "", regex=True).replace("", pd.NA)


def _clean_standing(values: pd.Series) -> pd.Series:
    s = values.astype("string").str.strip().str.replace(r"\s+", "", regex=True)
    return s.fillna("-").replace({"": "-", "–": "-", "—": "-", "ไม่มี": "-"})


def _clean_level(values: pd.Series) -> pd.Series:
    s = values.astype("string").str.replace(r"[\s.]", "", regex=True)
    return s.fillna("").replace({"–": "-", "—": "-"})


@register(
    "staff-id", severity="error", dataset="staff", phases=STAFF_PHASES,
    title_th="เลขประจำตัวบุคลากรไม่ถูกต้อง",
    description_th="เลขประจำตัวประชาชนของบุคลากรว่าง รูปแบบไม่ถูกต้อง หรือเลขตรวจสอบหลักสุดท้ายไม่ถูกต้อง",
    title_en="Staff ID missing or invalid",
)
def staff_id(data: CheckInput) -> pd.DataFrame:
    st = data.staff
    st = st.reset_index(drop=True)
    typ = _s(st, "id_type")
    raw = _s(st, "national_id_raw") if "national_id_raw" in st.columns else _s(st, "national_id")
    if typ.isna().any():  # no id_type from the loader: classify what was read
        typ = typ.fillna(classify_series(raw.astype("object"))["id_type"])
    bad = ~typ.isin(["pin", "pin-0"]).fillna(False)
    if not bad.any():
        return empty_findings()
    rows = st[bad]
    reason = classify_series(raw[bad].astype("object"))["id_reason"]
    why = reason.map({
        "missing": "ไม่มีเลขประจำตัวประชาชน",
        "checksum": "เลขตรวจสอบหลักสุดท้ายไม่ถูกต้อง (หากเป็นเลขขึ้นต้นด้วย 0 โปรดตรวจสอบกับบัตรอีกครั้ง)",
        "length": "จำนวนหลักไม่ครบ 13 หลัก (อาจเสียเลข 0 นำหน้าเมื่อเปิดด้วย Excel)",
        "type": "หลักแรกเป็น 9 ซึ่งไม่ใช้เป็นเลขประจำตัว",
        "format": "รูปแบบไม่ใช่ตัวเลข 13 หลัก",
        "": "เป็นรหัส G ซึ่งใช้สำหรับนักเรียนเท่านั้น",
    }).fillna("รูปแบบไม่ถูกต้อง")
    msg = "เลขประจำตัวประชาชนของบุคลากร: " + why + " — โรงเรียนแก้ไขให้ตรงกับบัตรประจำตัวประชาชน"
    return findings(rows, "staff-id", field="national_id", value=raw[bad], message=msg)


@register(
    "staff-dup", severity="error", dataset="staff", phases=STAFF_PHASES,
    title_th="บุคลากรซ้ำซ้อน",
    description_th="เลขประจำตัวประชาชนเดียวกันอยู่ในข้อมูลบุคลากรมากกว่าหนึ่งแถว (ต่างโรงเรียน หรือซ้ำในโรงเรียนเดียว)",
    title_en="Same staff ID twice",
)
def staff_dup(data: CheckInput) -> pd.DataFrame:
    st = data.staff
    st = st.reset_index(drop=True)
    nid = _s(st, "national_id").str.strip()
    key = nid.where(nid.str.fullmatch(r"\d{13}").fillna(False))
    dup = key.notna() & key.duplicated(keep=False)
    if not dup.any():
        return empty_findings()
    rows = st[dup]
    k = key[dup]
    schools = (pd.DataFrame({"id": k, "s": _s(rows, "school_code").fillna("")})
               .groupby("id")["s"].agg(lambda x: ", ".join(sorted(set(x)))))
    nrows = k.map(k.value_counts())
    value = k.map(schools).astype("string")
    msg = ("เลขประจำตัวนี้มีอยู่ " + nrows.astype(str) + " แถว (โรงเรียน " + value
           + "): บุคลากรหนึ่งคนต้องมีเพียงแถวเดียวในโรงเรียนที่ปฏิบัติงานจริง "
           "โรงเรียนที่ไม่ใช่ต้นสังกัดให้ลบออก หรือแก้เลขประจำตัวที่บันทึกผิด")
    return findings(rows, "staff-dup", field="national_id", value=value, message=msg,
                    group="staff-dup:" + k)


@register(
    "staff-no-director", severity="warning", dataset="staff", phases=STAFF_PHASES,
    title_th="ไม่มีผู้อำนวยการโรงเรียน",
    description_th="ข้อมูลบุคลากรของโรงเรียนไม่มีตำแหน่งผู้อำนวยการโรงเรียน",
    title_en="School without a director",
)
def staff_no_director(data: CheckInput) -> pd.DataFrame:
    st = data.staff
    school = _s(st, "school_code").str.strip()
    pos = clean_position(_s(st, "position"))
    t = pd.DataFrame({"s": school, "d": pos.eq(DIRECTOR).fillna(False)}).dropna(subset=["s"])
    g = t.groupby("s")["d"].agg(["any", "size"])
    g = g[~g["any"]]
    if len(g) == 0:
        return empty_findings()
    rows = _school_rows(g.index, _school_file(st))
    n = g["size"].astype(str)
    value = "ผู้อำนวยการ 0 คน (บุคลากร " + n + " คน)"
    msg = ("ข้อมูลบุคลากรของโรงเรียนไม่มีผู้อำนวยการโรงเรียน (บุคลากร " + n + " คน): "
           "บันทึกผู้อำนวยการในระบบ หากตำแหน่งว่างให้ระบุผู้รักษาการและแจ้งเขตพื้นที่")
    return findings(rows, "staff-no-director", field="position", value=value, message=msg)


@register(
    "staff-code", severity="error", dataset="staff", phases=STAFF_PHASES,
    title_th="ตำแหน่ง/วิทยฐานะไม่ถูกต้อง",
    description_th="ตำแหน่งหรือวิทยฐานะไม่อยู่ในรายการรหัส หรือวิทยฐานะ/ระดับไม่สอดคล้องกับตำแหน่ง",
    title_en="Position or standing outside the code list",
)
def staff_code(data: CheckInput) -> pd.DataFrame:
    st = data.staff
    st = st.reset_index(drop=True)
    pos = clean_position(_s(st, "position"))
    std = _clean_standing(_s(st, "academic_standing"))
    lvl = _clean_level(_s(st, "level"))
    want_lvl = std.map({k: v.replace(".", "") for k, v in STANDING_LEVEL.items()})

    pos_bad = ~pos.isin(STAFF_POSITIONS).fillna(False)
    std_bad = ~std.isin(ACADEMIC_STANDINGS).fillna(False)
    civil = pos.isin(CIVIL).fillna(False)
    assistant = pos.eq(ASSISTANT).fillna(False)
    noncivil = pos.isin(NON_CIVIL).fillna(False)
    lvl_given = lvl.ne("") & lvl.ne("-")
    combo_std = (assistant | noncivil) & std.ne("-").fillna(True)
    combo_lvl = (
        (civil & lvl_given & lvl.ne(want_lvl).fillna(True))
        | (assistant & lvl_given & lvl.ne(ASSISTANT))
        | (noncivil & lvl_given)
    )
    bad = pos_bad | std_bad | combo_std | combo_lvl
    if not bad.any():
        return empty_findings()
    field = pd.Series("level", index=st.index, dtype="object")
    field[std_bad | combo_std] = "academic_standing"
    field[pos_bad] = "position"
    pos_raw = _s(st, "position").fillna("")
    std_raw = _s(st, "academic_standing").fillna("")
    lvl_raw = _s(st, "level").fillna("")
    value = pos_raw + " / " + std_raw + " / " + lvl_raw
    why = pd.Series("", index=st.index, dtype="object")
    why[combo_lvl] = "ระดับ (คศ.) ไม่ตรงกับวิทยฐานะหรือตำแหน่ง"
    why[combo_std] = "ตำแหน่งนี้ไม่มีวิทยฐานะ (ต้องเป็น -)"
    why[std_bad] = "วิทยฐานะไม่อยู่ในรายการ (-, ชำนาญการ, ชำนาญการพิเศษ, เชี่ยวชาญ, เชี่ยวชาญพิเศษ)"
    why[pos_bad] = "ตำแหน่งว่างหรือไม่อยู่ในรายการตำแหน่งของ สพฐ."
    msg = why.astype("string") + ": โรงเรียนแก้ตำแหน่ง วิทยฐานะ และระดับให้ตรงกับคำสั่งแต่งตั้งล่าสุด"
    rows = st[bad]
    return findings(rows, "staff-code", field=None, value=value[bad], message=msg[bad]).assign(field=field[bad].to_numpy()).astype({"field": "string"})


@register(
    "staff-ratio", severity="warning", dataset="staff", phases=STAFF_PHASES,
    title_th="อัตราส่วนนักเรียนต่อครูผิดปกติ",
    description_th="จำนวนนักเรียนต่อครูของโรงเรียนต่างจากโรงเรียนอื่นในเขตมาก (หรือไม่มีครูเลย)",
    title_en="Pupil-teacher ratio far from the area's norm",
    needs=("staff", "students"),
)
def staff_ratio(data: CheckInput) -> pd.DataFrame:
    st, stu = data.staff, data.students
    min_students = int(_opt(data, "staff_ratio_min_students", 20))
    hi = float(_opt(data, "staff_ratio_max", 60))
    lo = float(_opt(data, "staff_ratio_min", 3))
    zmax = float(_opt(data, "staff_ratio_z", 4))
    school = _s(st, "school_code").str.strip()
    teaching = clean_position(_s(st, "position")).isin(TEACHING_POSITIONS).fillna(False)
    t = pd.DataFrame({"s": school, "t": teaching}).dropna(subset=["s"]).groupby("s")["t"].sum()
    n = _s(stu, "school_code").str.strip().dropna().value_counts()
    df = pd.DataFrame({"teachers": t}).assign(students=n.reindex(t.index).fillna(0).astype(int))
    df = df[df["students"] >= min_students]
    if len(df) == 0:
        return empty_findings()
    with np.errstate(divide="ignore"):
        ratio = df["students"] / df["teachers"].where(df["teachers"] > 0)
    df["ratio"] = ratio
    flag = df["teachers"].eq(0) | (ratio > hi) | (ratio < lo)
    lr = np.log(ratio.dropna())
    z = pd.Series(np.nan, index=df.index)
    if len(lr) >= 8:
        med = lr.median()
        mad = (lr - med).abs().median() * 1.4826
        if mad > 0:
            z = (np.log(ratio) - med) / mad
            flag |= (z.abs() > zmax).fillna(False)
    df = df[flag.fillna(False)]
    if len(df) == 0:
        return empty_findings()
    rows = _school_rows(df.index, _school_file(st))
    r = df["ratio"].round(1).astype("string").fillna("-")
    value = ("นักเรียน " + df["students"].astype(str) + " คน / ครู " + df["teachers"].astype(int).astype(str)
             + " คน = " + r)
    msg = ("อัตราส่วนนักเรียนต่อครู " + r + " : 1 (นักเรียน " + df["students"].astype(str) + " คน ครู "
           + df["teachers"].astype(int).astype(str) + " คน) ต่างจากโรงเรียนอื่นในเขตมาก: โรงเรียนตรวจสอบว่า"
           "บันทึกข้อมูลบุคลากรครบทุกคนและตำแหน่งถูกต้อง และจำนวนนักเรียนถูกต้อง")
    return findings(rows, "staff-ratio", field="position", value=value, message=msg)
