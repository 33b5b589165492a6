"""M-OBEC equipment checks (DOMAIN.md §3.2, §6.9), phase ``mobec``.

- ``mobec-missing-item`` (error): one finding per school × item code of the 76
  (``reference.mobec_items()``) the school's list lacks; ``value`` is the item code.
- ``mobec-count`` (error): a count (usable / repair / disposal, judged on ``<field>_raw``)
  that is not a non-negative whole number. Empty, ``-`` and ``ไม่มี`` are DMC's default 0 and
  pass; ``1,200``, ``12.0`` and Thai digits pass; ``-3``, ``2.5``, ``abc`` do not.
- ``mobec-implausible`` (warning; needs the student list): for the student desk-and-chair
  items (picked from the item list by name: โต๊ะเก้าอี้นักเรียน + ก่อนประถม / ประถม / มัธยม,
  i.e. 11001, 22001, 22002), the usable count compared with the school's students of that
  level (อ.1–อ.3 / ป.1–ป.6 / ม.1–ม.6): fewer than half of them (only when the level has at least
  10 students, option ``mobec_min_students``), or more than 5 × students + 50 (a typing
  slip such as 1000 for 100; only when the level has students).
- ``mobec-change`` (warning; needs last year's list): an item's total (usable + repair +
  disposal) changed by more than 50 % of last year's total and by at least 10 units
  (options ``mobec_change_ratio``, ``mobec_change_min``); an item that went from 0 to ≥ 10
  counts. Only school × item pairs present in both years are compared.
- ``mobec-incomplete`` (warning, one per file × column): the page lacks a column the checks
  need (รหัส, จำนวนที่ใช้ได้, จำนวนรอซ่อม, จำนวนรอจำหน่าย), or its school could not be
  identified. Every other check leaves out the rows of a file without the column it judges:
  a missing column is one note, never an error per row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from obec_audit.checks._common import option as _opt, col_str as _s, school_file as _school_file
from obec_audit.checks._files import incomplete_notes, lacks
from obec_audit.checks.registry import CheckInput, findings, register
from obec_audit.schema import GRADES, empty_findings
from obec_audit.thaidate import THAI_DIGITS as _THAI_DIGITS

MOBEC_PHASES: tuple[str, ...] = ("mobec",)
COUNT_FIELDS = ("usable", "repair", "disposal")
FIELD_TH = {"usable": "จำนวนที่ใช้ได้", "repair": "จำนวนรอซ่อม", "disposal": "จำนวนรอจำหน่าย"}
ZERO_TOKENS = frozenset({"", "-", "–", "ไม่มี"})
LEVEL_GRADES = {
    "ก่อนประถม": GRADES[0:3],
    "ประถม": GRADES[3:9],
    "มัธยม": GRADES[9:15],
}
LEVEL_TH = {"ก่อนประถม": "ก่อนประถมศึกษา", "ประถม": "ประถมศึกษา", "มัธยม": "มัธยมศึกษา"}


def item_code(values: pd.Series) -> pd.Series:
    """'11001', ' 11001.0', '๑๑๐๐๑' → '11001'."""
    s = values.astype("string").str.translate(_THAI_DIGITS).str.strip()
    return s.str.replace(r"^(\d+)\.0+$", r"\1", regex=True).replace("", pd.NA)


def _raw(df: pd.DataFrame, field: str) -> pd.Series:
    if f"{field}_raw" in df.columns:
        return _s(df, f"{field}_raw")
    return _s(df, field)


def _clean_raw(raw: pd.Series) -> pd.Series:
    return raw.str.translate(_THAI_DIGITS).str.replace(r"[\s,]", "", regex=True).fillna("")


def count_ok(raw: pd.Series) -> pd.Series:
    """Whether each raw count is a non-negative whole number (or empty / - / ไม่มี = 0)."""
    s = _clean_raw(raw)
    return (s.isin(ZERO_TOKENS) | s.str.fullmatch(r"\d+(\.0*)?").fillna(False)).astype(bool)


def counts(df: pd.DataFrame, field: str) -> pd.Series:
    """The numeric count: the parsed column when the loader gave one, else parsed from the
    raw text; empty / unreadable → 0."""
    v = pd.to_numeric(_clean_raw(_raw(df, field)).replace(list(ZERO_TOKENS), "0"), errors="coerce")
    if field in df.columns and pd.api.types.is_numeric_dtype(df[field]):
        v = pd.to_numeric(df[field], errors="coerce").fillna(v)
    return pd.to_numeric(v, errors="coerce").fillna(0).astype("float64")


@register(
    "mobec-missing-item", severity="error", dataset="mobec", phases=MOBEC_PHASES,
    title_th="ครุภัณฑ์ไม่ครบรายการ",
    description_th="รายการครุภัณฑ์ (M-OBEC) ของโรงเรียนไม่ครบ 76 รายการ",
    title_en="M-OBEC list lacks items",
)
def mobec_missing_item(data: CheckInput) -> pd.DataFrame:
    m = data.mobec
    m = m[~lacks(m, "item_code").to_numpy()]
    from obec_audit import reference

    items = reference.mobec_items()
    names = pd.Series(items["item"].to_numpy(), index=items["code"].astype(str).to_numpy())
    school = _s(m, "school_code").str.strip()
    have = pd.DataFrame({"s": school, "c": item_code(_s(m, "item_code"))}).dropna(subset=["s"])
    schools = pd.Index(have["s"].unique(), name="s")
    grid = pd.MultiIndex.from_product([schools, names.index], names=["s", "c"])
    present = pd.MultiIndex.from_frame(have.dropna()[["s", "c"]].drop_duplicates())
    missing = grid.difference(present, sort=False)
    if len(missing) == 0:
        return empty_findings()
    miss = missing.to_frame(index=False)
    files = _school_file(m)
    rows = pd.DataFrame({
        "school_code": miss["s"].astype("string"),
        "source_file": miss["s"].map(files).astype("string"),
        "source_row": pd.array([pd.NA] * len(miss), dtype="Int64"),
    })
    rows = rows.sort_values(["school_code"], kind="stable")
    miss = miss.loc[rows.index]
    item = miss["c"].map(names).astype("string")
    msg = ("ไม่มีรายการครุภัณฑ์รหัส " + miss["c"] + " (" + item
           + "): โรงเรียนบันทึกให้ครบทุกรายการ รายการที่ไม่มีให้ใส่จำนวน 0")
    return findings(rows, "mobec-missing-item", field="item_code", value=miss["c"], message=msg)


@register(
    "mobec-count", severity="error", dataset="mobec", phases=MOBEC_PHASES,
    title_th="จำนวนครุภัณฑ์ไม่ถูกต้อง",
    description_th="จำนวนที่ใช้ได้ / รอซ่อม / รอจำหน่าย ไม่ใช่จำนวนเต็มที่ไม่ติดลบ",
    title_en="Count not a non-negative whole number",
)
def mobec_count(data: CheckInput) -> pd.DataFrame:
    m = data.mobec
    m = m.reset_index(drop=True)
    parts = []
    for f in COUNT_FIELDS:
        if f"{f}_raw" not in m.columns and f not in m.columns:
            continue
        raw = _raw(m, f)
        bad = ~count_ok(raw) & ~lacks(m, f)
        if not bad.any():
            continue
        rows = m[bad]
        msg = (FIELD_TH[f] + " ของครุภัณฑ์รหัส " + item_code(_s(rows, "item_code")).fillna("-")
               + " เป็น '" + raw[bad].fillna("") + "' ซึ่งไม่ใช่จำนวนเต็มที่ไม่ติดลบ: "
               "โรงเรียนแก้เป็นจำนวนนับ (0, 1, 2, …)")
        parts.append(findings(rows, "mobec-count", field=f, value=raw[bad], message=msg))
    if not parts:
        return empty_findings()
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["source_file", "source_row"], kind="stable").reset_index(drop=True)


def desk_items() -> dict[str, str]:
    """Item code → level key (ก่อนประถม / ประถม / มัธยม) of the student desk-and-chair items,
    picked from the reference list by name."""
    items = __import__("obec_audit.reference", fromlist=["mobec_items"]).mobec_items()
    name = items["item"].astype(str).str.replace(r"\s+", "", regex=True)
    desk = name.str.contains("โต๊ะเก้าอี้นักเรียน", regex=False)
    out = {}
    for code, n in zip(items["code"][desk], name[desk]):
        for key in ("ก่อนประถม", "ประถม", "มัธยม"):  # ก่อนประถม before ประถม
            if key in n:
                out[str(code)] = key
                break
    return out


@register(
    "mobec-implausible", severity="warning", dataset="mobec", phases=MOBEC_PHASES,
    title_th="จำนวนครุภัณฑ์ไม่สมเหตุสมผล",
    description_th="จำนวนโต๊ะเก้าอี้นักเรียนที่ใช้ได้ไม่สอดคล้องกับจำนวนนักเรียนของระดับนั้น "
                   "(น้อยกว่าครึ่งหนึ่งของนักเรียน หรือมากเกินจริง)",
    title_en="Implausible for the school's size",
    needs=("mobec", "students"),
)
def mobec_implausible(data: CheckInput) -> pd.DataFrame:
    m, stu = data.mobec, data.students
    min_students = int(_opt(data, "mobec_min_students", 10))
    m = m.reset_index(drop=True)
    desks = desk_items()
    code = item_code(_s(m, "item_code"))
    level = code.map(desks)
    sel = level.notna() & ~lacks(m, "usable")
    if not sel.any():
        return empty_findings()
    grade_level = {g: k for k, gs in LEVEL_GRADES.items() for g in gs}
    st = pd.DataFrame({"s": _s(stu, "school_code").str.strip(),
                       "l": _s(stu, "grade").map(grade_level)}).dropna()
    n = st.groupby(["s", "l"]).size()
    key = pd.MultiIndex.from_arrays([_s(m, "school_code").str.strip().fillna(""), level.fillna("")])
    students = pd.Series(n.reindex(key).fillna(0).astype("int64").to_numpy(), index=m.index)
    usable = counts(m, "usable")
    few = sel & (students >= min_students) & (usable < 0.5 * students)
    many = sel & (students > 0) & (usable > 5 * students + 50)
    bad = few | many
    if not bad.any():
        return empty_findings()
    rows = m[bad]
    u = usable[bad].round(0).astype("int64").astype(str)
    nn = students[bad].astype(str)
    lv = level[bad].map(LEVEL_TH)
    value = u + " (นักเรียน" + lv + " " + nn + " คน)"
    what = pd.Series("น้อยกว่าครึ่งหนึ่งของจำนวนนักเรียน", index=rows.index).where(
        few[bad], "มากกว่าจำนวนนักเรียนหลายเท่า")
    msg = ("โต๊ะเก้าอี้นักเรียน" + lv + "ที่ใช้ได้ " + u + " ชุด " + what + " (" + nn
           + " คน): โรงเรียนตรวจนับและแก้จำนวนให้ตรงกับที่มีจริง")
    return findings(rows, "mobec-implausible", field="usable", value=value, message=msg)


@register(
    "mobec-change", severity="warning", dataset="mobec", phases=MOBEC_PHASES,
    title_th="จำนวนครุภัณฑ์เปลี่ยนจากปีก่อนมาก",
    description_th="จำนวนรวมของครุภัณฑ์รายการหนึ่งเพิ่มหรือลดจากปีก่อนเกินร้อยละ 50 และอย่างน้อย 10 หน่วย",
    title_en="Big change from last year",
    needs=("mobec", "mobec_previous"),
)
def mobec_change(data: CheckInput) -> pd.DataFrame:
    m, p = data.mobec, data.mobec_previous
    ratio = float(_opt(data, "mobec_change_ratio", 0.5))
    min_units = float(_opt(data, "mobec_change_min", 10))
    m = m.reset_index(drop=True)

    def totals(df):
        df = df[~lacks(df, *COUNT_FIELDS).to_numpy()]
        t = pd.DataFrame({
            "s": _s(df, "school_code").str.strip(),
            "c": item_code(_s(df, "item_code")),
            "n": counts(df, "usable") + counts(df, "repair") + counts(df, "disposal"),
        })
        return t.dropna(subset=["s", "c"])

    cur = totals(m)
    cur["pos"] = np.arange(len(m))[cur.index]
    now = cur.groupby(["s", "c"]).agg(n=("n", "sum"), pos=("pos", "first"))
    before = totals(p).groupby(["s", "c"])["n"].sum().rename("before")
    t = now.join(before, how="inner")
    diff = (t["n"] - t["before"]).abs()
    t = t[(diff >= min_units) & (diff > ratio * t["before"])]
    if len(t) == 0:
        return empty_findings()
    rows = m.iloc[t["pos"].to_numpy()]
    rows.index = t.index
    b = t["before"].round(0).astype("int64").astype(str)
    a = t["n"].round(0).astype("int64").astype(str)
    code = pd.Series(t.index.get_level_values("c"), index=t.index).astype(str)
    msg = ("ครุภัณฑ์รหัส " + code + " มีจำนวนรวม " + a + " ต่างจากปีก่อน (" + b
           + ") มาก: โรงเรียนตรวจนับใหม่ หากเปลี่ยนจริง (จัดซื้อ รับบริจาค จำหน่ายออก) ให้ยืนยันข้อมูล")
    return findings(rows, "mobec-change", field="usable", value=b + " → " + a, message=msg)


#: what each column of an M-OBEC page lets the checks judge (for mobec-incomplete)
MOBEC_LABELS: dict[str, tuple[str, str]] = {
    "item_code": ("รหัส", "ความครบของรายการครุภัณฑ์ 76 รายการ"),
    "usable": ("จำนวนที่ใช้ได้", "จำนวนที่ใช้ได้"),
    "repair": ("จำนวนรอซ่อม", "จำนวนรอซ่อม"),
    "disposal": ("จำนวนรอจำหน่าย", "จำนวนรอจำหน่าย"),
}


@register(
    "mobec-incomplete", severity="warning", dataset="mobec", phases=MOBEC_PHASES,
    title_th="หน้าครุภัณฑ์ (M-OBEC) ไม่ครบคอลัมน์",
    description_th="แฟ้มครุภัณฑ์ไม่มีคอลัมน์ที่ต้องใช้ตรวจ หรือไม่ระบุโรงเรียน (แจ้งครั้งเดียวต่อแฟ้ม)",
    title_en="M-OBEC page lacks a column",
)
def mobec_incomplete(data: CheckInput) -> pd.DataFrame:
    return incomplete_notes(data.mobec, "mobec-incomplete", MOBEC_LABELS, "ครุภัณฑ์ (M-OBEC)")
