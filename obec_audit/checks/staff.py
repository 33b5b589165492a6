"""Checks of the staff pages (DOMAIN.md §3.2), phases start / round1 / round2: the per-person
list (``record`` ``person``) and the EMIS counts page (``record`` ``count``: one row per
position × standing × level with ชาย / หญิง / รวม; ``headcount`` the people a row stands for).
A check judges only what a file holds: rows of a file without the column a check needs are
left out, and ``staff-incomplete`` says once per file what the page lacks.

- ``staff-id`` (error, per-person rows): ID missing, malformed (not 13 digits; a G-code is a learner code and
  is not accepted for staff), or failing its check digit. Type-0 numbers are accepted on
  their check digit, as for students.
- ``staff-dup`` (error): the same 13-digit ID on more than one row (two schools, or twice in
  one); every member row is flagged, one shared group.
- ``staff-no-director`` (warning, per school present in the staff pages): no director counted
  (person rows count 1 each, count rows their รวม; a school with a counts page is counted from
  it, ``headcounts``).
- ``staff-code`` (error): position outside ``STAFF_POSITIONS``; standing outside
  ``ACADEMIC_STANDINGS``; or an impossible combination:

  * ผู้อำนวยการโรงเรียน / รองผู้อำนวยการโรงเรียน / ครู: the level, when given, must be the
    standing's (``STANDING_LEVEL``: - → คศ.1, ชำนาญการ → คศ.2 …);
  * ครูผู้ช่วย: standing ``-`` (or empty), level empty / ``-`` / ``ครูผู้ช่วย``;
  * ลูกจ้างประจำ / พนักงานราชการ / ลูกจ้างชั่วคราว: standing ``-`` (or empty), level empty / ``-``.

  A count row is judged only when it counts someone (รวม > 0).
  Positions are compared after removing EMIS's numbering (``3. ครู``) and spaces; an empty
  standing counts as ``-``; levels are compared without dots and spaces (``ค.ศ. 2`` = คศ.2).
- ``staff-ratio`` (warning, per school; needs the student list): students per teacher
  (``TEACHING_POSITIONS``) for schools with at least 20 students (option
  ``staff_ratio_min_students``). Flagged when the school has no teacher, when the ratio is
  above 60 or below 3 (``staff_ratio_max`` / ``staff_ratio_min``), or when its robust z-score
  on the log scale, ``(log r − median) / (1.4826 · MAD)`` over the area's schools, is beyond
  ±4 (``staff_ratio_z``; only with ≥ 8 schools and MAD > 0). Log scale because ratios are
  skewed; the fixed bounds catch what a small area's spread cannot. Teachers are counted as
  ``headcounts`` does; students from the student list, else from the EMIS class counts
  (รวมทั้งหมด of the school's grades) when those were given.
- ``staff-total`` (error, count rows): ชาย + หญิง ≠ รวม (all three read as numbers).
- ``staff-incomplete`` (warning, one per file × column): the page lacks a column its kind
  needs (``attrs["absent_columns"]``), or its school could not be identified.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from obec_audit.checks._common import option as _opt, col_str as _s, school_file as _school_file
from obec_audit.checks._files import incomplete_notes, lacks
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


def is_count(st: pd.DataFrame) -> pd.Series:
    """True for the rows of an EMIS counts page (``record`` ``count``)."""
    return _s(st, "record").eq("count").fillna(False).astype(bool)


def headcount(st: pd.DataFrame) -> pd.Series:
    """The people each row stands for: 1 for a person, the count row's รวม (else ชาย + หญิง)."""
    if "headcount" in st.columns:
        h = pd.to_numeric(st["headcount"], errors="coerce").astype("float64")
    else:
        h = pd.Series(np.nan, index=st.index)
    return h.fillna(1.0).where(~is_count(st), h.fillna(0.0))


def headcounts(st: pd.DataFrame) -> pd.DataFrame:
    """school × position → people. A school with a counts page is counted from it alone (the
    page is EMIS's own total), else from its per-person rows. Rows of a file without a
    position column are left out; a school left with no row is absent."""
    t = pd.DataFrame({"s": _s(st, "school_code").str.strip(),
                      "p": clean_position(_s(st, "position")).fillna(""),
                      "n": headcount(st), "c": is_count(st)})
    t = t[~lacks(st, "position").to_numpy()].dropna(subset=["s"])
    if len(t) == 0:
        return pd.DataFrame(index=pd.Index([], name="s", dtype="string"))
    from_counts = set(t.loc[t["c"], "s"])
    t = t[t["c"] | ~t["s"].isin(from_counts)]
    return t.pivot_table(index="s", columns="p", values="n", aggfunc="sum", fill_value=0.0,
                         dropna=False).reindex(pd.Index(sorted(set(t["s"])), name="s"), fill_value=0.0)


@register(
    "staff-id", severity="error", dataset="staff", phases=STAFF_PHASES,
    title_th="เลขประจำตัวบุคลากรไม่ถูกต้อง",
    description_th="เลขประจำตัวประชาชนของบุคลากรว่าง รูปแบบไม่ถูกต้อง หรือเลขตรวจสอบหลักสุดท้ายไม่ถูกต้อง",
    title_en="Staff ID missing or invalid",
)
def staff_id(data: CheckInput) -> pd.DataFrame:
    st = data.staff
    st = st[~(is_count(data.staff) | lacks(data.staff, "national_id")).to_numpy()].reset_index(drop=True)
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
    st = st[~(is_count(data.staff) | lacks(data.staff, "national_id")).to_numpy()].reset_index(drop=True)
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
    h = headcounts(st)
    if len(h) == 0:
        return empty_findings()
    directors = h[DIRECTOR] if DIRECTOR in h.columns else pd.Series(0.0, index=h.index)
    g = h.sum(axis=1)[directors.le(0)]
    if len(g) == 0:
        return empty_findings()
    rows = _school_rows(g.index, _school_file(st))
    n = g.round(0).astype("int64").astype(str)
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
    st = st[headcount(data.staff).gt(0).to_numpy()].reset_index(drop=True)  # a count row of 0: no one
    pos = clean_position(_s(st, "position"))
    std = _clean_standing(_s(st, "academic_standing"))
    lvl = _clean_level(_s(st, "level"))
    want_lvl = std.map({k: v.replace(".", "") for k, v in STANDING_LEVEL.items()})

    pos_bad = ~pos.isin(STAFF_POSITIONS).fillna(False) & ~lacks(st, "position")
    std_bad = ~std.isin(ACADEMIC_STANDINGS).fillna(False) & ~lacks(st, "academic_standing")
    civil = pos.isin(CIVIL).fillna(False)
    assistant = pos.eq(ASSISTANT).fillna(False)
    noncivil = pos.isin(NON_CIVIL).fillna(False)
    lvl_given = lvl.ne("") & lvl.ne("-")
    combo_std = (assistant | noncivil) & std.ne("-").fillna(True)
    no_std = lacks(st, "academic_standing")  # no standing on the page: its level is not judged
    combo_lvl = (
        (civil & lvl_given & ~no_std & lvl.ne(want_lvl).fillna(True))
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
    h = headcounts(st)
    t = h[[c for c in h.columns if c in TEACHING_POSITIONS]].sum(axis=1)
    n = census_counts(stu, data.class_counts)
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
    value = ("นักเรียน " + df["students"].astype(str) + " คน / ครู " + df["teachers"].round(0).astype(int).astype(str)
             + " คน = " + r)
    msg = ("อัตราส่วนนักเรียนต่อครู " + r + " : 1 (นักเรียน " + df["students"].astype(str) + " คน ครู "
           + df["teachers"].round(0).astype(int).astype(str) + " คน) ต่างจากโรงเรียนอื่นในเขตมาก: โรงเรียนตรวจสอบว่า"
           "บันทึกข้อมูลบุคลากรครบทุกคนและตำแหน่งถูกต้อง และจำนวนนักเรียนถูกต้อง")
    return findings(rows, "staff-ratio", field="position", value=value, message=msg)


def census_counts(students: pd.DataFrame, class_counts: pd.DataFrame | None = None) -> pd.Series:
    """school → students: rows of the student list; for a school the list lacks, the sum
    of its EMIS class counts (``total`` per grade, subtotals already left out)."""
    n = _s(students, "school_code").str.strip().dropna().value_counts()
    if class_counts is not None and len(class_counts):
        cc = pd.DataFrame({"s": _s(class_counts, "school_code").str.strip(),
                           "n": pd.to_numeric(class_counts.get("total"), errors="coerce")})
        extra = cc.dropna().groupby("s")["n"].sum().round(0).astype("int64")
        n = pd.concat([n, extra[~extra.index.isin(n.index)]])
    return n


@register(
    "staff-total", severity="error", dataset="staff", phases=STAFF_PHASES,
    title_th="ยอดรวมบุคลากรไม่ตรง (ชาย + หญิง ≠ รวม)",
    description_th="หน้าจำนวนบุคลากรของ EMIS: จำนวนชายบวกหญิงไม่เท่ากับจำนวนรวมของแถว",
    title_en="Staff counts: male + female ≠ total",
)
def staff_total(data: CheckInput) -> pd.DataFrame:
    st = data.staff
    st = st[(is_count(st) & ~lacks(st, "male", "female", "total")).to_numpy()].reset_index(drop=True)
    if len(st) == 0:
        return empty_findings()
    num = {c: pd.to_numeric(st[c], errors="coerce").astype("float64") for c in ("male", "female", "total")}
    bad = (num["male"].notna() & num["female"].notna() & num["total"].notna()
           & (num["male"] + num["female"] - num["total"]).abs().gt(1e-9))
    if not bad.any():
        return empty_findings()
    rows = st[bad]
    fmt = {c: num[c][bad].round(0).astype("int64").astype(str) for c in num}
    value = "ชาย " + fmt["male"] + " + หญิง " + fmt["female"] + " ≠ รวม " + fmt["total"]
    what = (_s(rows, "position").fillna("") + " " + _s(rows, "academic_standing").fillna("") + " "
            + _s(rows, "level").fillna("")).str.strip()
    msg = ("จำนวนบุคลากร " + what + ": " + value
           + " — โรงเรียนตรวจจำนวนชายและหญิงในข้อมูลบุคลากรรายคนให้ครบ แล้วให้ยอดรวมตรงกัน")
    return findings(rows, "staff-total", field="total", value=value, message=msg)


#: what each column of a staff page lets the checks judge (for staff-incomplete)
STAFF_LABELS: dict[str, tuple[str, str]] = {
    "national_id": ("เลขประจำตัวประชาชน", "เลขประจำตัวและบุคลากรซ้ำ"),
    "title": ("คำนำหน้าชื่อ", "คำนำหน้าชื่อ"),
    "first_name": ("ชื่อ", "ชื่อบุคลากร"),
    "last_name": ("นามสกุล", "นามสกุลบุคลากร"),
    "sex": ("เพศ", "เพศ"),
    "position": ("ตำแหน่ง", "ตำแหน่ง ผู้อำนวยการ และอัตราส่วนนักเรียนต่อครู"),
    "academic_standing": ("วิทยฐานะ", "วิทยฐานะ"),
    "level": ("ระดับ", "ระดับ (คศ.) ตามวิทยฐานะ"),
    "male": ("ชาย", "ยอดรวมชายหญิง"),
    "female": ("หญิง", "ยอดรวมชายหญิง"),
    "total": ("รวม", "ยอดรวมชายหญิง"),
}


@register(
    "staff-incomplete", severity="warning", dataset="staff", phases=STAFF_PHASES,
    title_th="หน้าข้อมูลบุคลากรไม่ครบคอลัมน์",
    description_th="แฟ้มข้อมูลบุคลากรไม่มีคอลัมน์ที่ต้องใช้ตรวจ หรือไม่ระบุโรงเรียน (แจ้งครั้งเดียวต่อแฟ้ม)",
    title_en="Staff page lacks a column",
)
def staff_incomplete(data: CheckInput) -> pd.DataFrame:
    return incomplete_notes(data.staff, "staff-incomplete", STAFF_LABELS, "ข้อมูลบุคลากร")
