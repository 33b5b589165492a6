"""Row-level checks of the student list: IDs, required fields, code lists, title vs sex,
age vs grade, birth date, body measurements, boarding.

Every check is a vectorised filter on the canonical student frame plus one ``findings()``
call. Thresholds (documented on each check) can be overridden through
``CheckInput.options``:

- ``age_grade_below`` (default 1): flag an age more than this many years *below* the typical
  age of the grade (ป.1 at 4 or younger at 16 May is flagged, at 5 it is not);
- ``age_grade_above`` (default 4): flag an age more than this many years *above* it (ป.1 at
  11 or older, ป.6 at 16, ม.3 at 19; late starters and repeaters of 2-4 years pass);
- ``age_max`` (default 20): anyone older than this is flagged whatever the grade;
- ``kindergarten_min_age`` (default 3): kindergarten children younger than this are flagged;
- ``body_z`` (default 5): |z| beyond which height-for-age or BMI-for-age is implausible;
- ``height_min``/``height_max`` (60/210 cm), ``weight_min``/``weight_max`` (8/150 kg):
  absolute limits whatever the age.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from obec_audit import growth
from obec_audit.text import TITLE_SEX, be_date_problem, canon_title, grade_problem
from obec_audit.thaidate import academic_year_ce, academic_year_start, be_short, be_short_series, thai_date_abbr
from obec_audit.checks import _band
from obec_audit.checks._common import map_codes, num_text as _num, per_value
from obec_audit.checks.registry import STUDENT_PHASES, CheckInput, findings, offending, register
from obec_audit.completeness import field_masks, per_unique
from obec_audit.ids import pin as _pin
from obec_audit.schema import (
    BLOOD_GROUPS,
    BOARDING_MARK,
    BOARDING_VALUES,
    DISABILITY_NONE,
    DISABILITY_TYPES,
    DISADVANTAGE_NONE,
    DISADVANTAGE_TYPES,
    FIELD_LABEL_TH,
    RELIGIONS,
    REQUIRED_FIELDS,
    SEX_TH,
    TITLE_CANON,
    TITLES_FEMALE,
    TITLES_MALE,
    empty_findings,
)

# ----------------------------------------------------------------------------- helpers
_WS = r"[\s\u200b\u200c\u200d\ufeff]+"


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df.columns:
        return df[name]
    return pd.Series(pd.NA, index=df.index, dtype="string")


def norm_code(values: pd.Series) -> pd.Series:
    """Light normalisation for comparing coded text: NFKC, all whitespace removed
    (so 'อื่นๆ' and 'อื่น ๆ' compare equal). <NA> stays <NA>."""
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    u = pd.Series(uniques, dtype="string").str.normalize("NFKC").str.replace(_WS, "", regex=True)
    arr = np.append(u.to_numpy(dtype=object), pd.NA)  # the NA sentinel (-1) → <NA>
    return pd.Series(arr[codes], index=values.index, dtype="string")


def _norm_set(values) -> set[str]:
    return set(norm_code(pd.Series(list(values), dtype="string")).dropna().tolist())


def _nonblank_unique(u: pd.Series) -> np.ndarray:
    t = u.str.strip()
    return (t.notna() & t.ne("")).fillna(False).to_numpy(bool)


def _label(field: str) -> str:
    return FIELD_LABEL_TH.get(field, field)


def _text(s: pd.Series) -> pd.Series:
    return s.astype("string").fillna("")


def _as_of(data: CheckInput) -> dt.date:
    return data.as_of or dt.date.today()


def age_on(birth: pd.Series, on: dt.date) -> pd.Series:
    """Completed years of age on a date (float with NaN where the birth date is NaT)."""
    b = pd.to_datetime(birth, errors="coerce")
    y = b.dt.year
    before_birthday = (b.dt.month > on.month) | ((b.dt.month == on.month) & (b.dt.day > on.day))
    return (on.year - y - before_birthday.astype(float)).astype(float)


# ----------------------------------------------------------------------------- IDs
@register(
    "id-missing",
    severity="error",
    dataset="students",
    phases=STUDENT_PHASES,
    title_th="ไม่มีเลขประจำตัวประชาชน",
    description_th="นักเรียนไม่มีเลขประจำตัวประชาชน 13 หลักหรือรหัส G",
    title_en="ID missing",
)
def id_missing(data: CheckInput) -> pd.DataFrame:
    df = data.students
    rows = offending(df, _col(df, "id_type").astype("string").eq("missing").fillna(False).astype(bool),
                     "national_id")
    return findings(
        rows,
        "id-missing",
        field="national_id",
        message="ไม่มีเลขประจำตัวประชาชน: กรุณากรอกเลขประจำตัวประชาชน 13 หลักตามสูติบัตร/ทะเบียนบ้าน "
        "หรือขอรหัส G หากนักเรียนไม่มีเลข 13 หลัก",
    )


@register(
    "id-format",
    severity="error",
    dataset="students",
    phases=STUDENT_PHASES,
    title_th="รูปแบบเลขประจำตัวไม่ถูกต้อง",
    description_th="เลขประจำตัวไม่ใช่ตัวเลข 13 หลักหรือ G ตามด้วยตัวเลข 12 หลัก (เลข 0 หน้าหายไป, "
    "รูปแบบวิทยาศาสตร์จาก Excel, จำนวนหลักผิด, มีตัวอักษร)",
    title_en="ID malformed",
)
def id_format(data: CheckInput) -> pd.DataFrame:
    df = data.students
    reason = _col(df, "id_reason").astype("string")
    itype = _col(df, "id_type").astype("string")
    bad = (itype.eq("invalid") & reason.isin(["format", "length", "type"])).fillna(False).astype(bool)
    rows = offending(df, bad, "national_id", "id_reason")
    if rows.empty:
        return empty_findings()
    nid = _text(rows["national_id"])
    raw = _text(_col(rows, "national_id_raw"))
    r = _text(rows["id_reason"])
    n = nid.str.len()
    digits = nid.str.fullmatch(r"\d+").fillna(False).astype(bool)
    sci = raw.str.contains(r"\d[.,]?\d*\s*[eE]\s*[+\-]?\d", regex=True).fillna(False) | nid.str.contains(
        "E+", regex=False
    ).fillna(False)
    lost_zero = digits & n.eq(12) & _pin.check_digits_ok("0" + nid)
    msg = pd.Series(
        "เลขประจำตัวมีตัวอักษรหรือสัญลักษณ์ปนอยู่ (" + nid + "): กรุณาแก้เป็นเลข 13 หลักตามหลักฐาน",
        index=rows.index,
        dtype="string",
    )
    is_len = r.eq("length")
    msg = msg.mask(
        is_len,
        "เลขประจำตัวมี " + n.astype(str) + " หลัก ไม่ใช่ 13 หลัก: กรุณาตรวจสอบกับหลักฐานแล้วกรอกให้ครบ 13 หลัก",
    )
    msg = msg.mask(
        is_len & digits & n.eq(12),
        "เลขประจำตัวมี 12 หลัก อาจเป็นเพราะเลข 0 หน้าสุดหายไปเมื่อเปิดไฟล์ด้วย Excel: "
        "กรุณาตรวจสอบกับหลักฐานและกรอกเลข 13 หลักเป็นข้อความ",
    )
    msg = msg.mask(
        lost_zero,
        "เลขประจำตัวมี 12 หลัก เลข 0 หน้าสุดหายไป (Excel ตัดเลข 0 นำหน้า) เลขที่ถูกน่าจะเป็น 0" + nid
        + ": กรุณาตรวจสอบกับหลักฐานและกรอกใหม่เป็นข้อความ",
    )
    msg = msg.mask(
        nid.str.startswith("G") & is_len,
        "รหัส G ต้องเป็น G ตามด้วยตัวเลข 12 หลัก (" + nid + "): กรุณาตรวจสอบรหัส G ที่ได้รับอนุมัติ",
    )
    msg = msg.mask(
        r.eq("type"),
        "เลขประจำตัวขึ้นต้นด้วย 9 ซึ่งไม่มีการใช้งาน: กรุณาตรวจสอบกับบัตรประชาชน/สูติบัตร",
    )
    msg = msg.mask(
        sci,
        "เลขประจำตัวถูกแปลงเป็นรูปแบบวิทยาศาสตร์ (เช่น 1.1017E+12) ตัวเลขสูญหายไปแล้ว: "
        "กรุณากรอกเลข 13 หลักใหม่จากหลักฐาน และบันทึกไฟล์โดยตั้งคอลัมน์เป็นข้อความ",
    )
    return findings(rows, "id-format", field="national_id", message=msg)


@register(
    "id-checksum",
    severity="error",
    dataset="students",
    phases=STUDENT_PHASES,
    title_th="เลขตรวจสอบหลักสุดท้ายไม่ถูกต้อง",
    description_th="เลขประจำตัว 13 หลักแต่หลักที่ 13 (เลขตรวจสอบ) ไม่ตรงกับการคำนวณ",
    title_en="ID check digit wrong",
)
def id_checksum(data: CheckInput) -> pd.DataFrame:
    df = data.students
    bad = _col(df, "id_reason").astype("string").eq("checksum").fillna(False).astype(bool)
    rows = offending(df, bad, "national_id")
    if rows.empty:
        return empty_findings()
    nid = _text(rows["national_id"])
    msg = pd.Series(
        "หลักที่ 13 ของเลขประจำตัวไม่ตรงกับเลขตรวจสอบ อาจพิมพ์ผิด: กรุณาตรวจสอบกับบัตรประชาชน/สูติบัตร/"
        "ทะเบียนบ้านแล้วแก้ไข",
        index=rows.index,
        dtype="string",
    )
    msg = msg.mask(
        nid.str.startswith("0"),
        "เลขประจำตัวประเภท 0 (บุคคลที่ไม่มีสถานะทางทะเบียน) หลักที่ 13 ไม่ตรงกับเลขตรวจสอบ: "
        "กรุณาตรวจสอบกับหลักฐาน (บัตรประจำตัวบุคคลที่ไม่มีสถานะทางทะเบียน) หากเลขถูกต้องตามหลักฐานให้คงไว้",
    )
    return findings(rows, "id-checksum", field="national_id", message=msg)


@register(
    "id-gcode",
    severity="warning",
    dataset="students",
    phases=STUDENT_PHASES,
    title_th="นักเรียนที่ใช้รหัส G",
    description_th="นักเรียนไม่มีเลขประจำตัวประชาชน 13 หลัก ใช้รหัส G (รายงานที่ 5)",
    title_en="G-code instead of a 13-digit ID",
)
def id_gcode(data: CheckInput) -> pd.DataFrame:
    df = data.students
    rows = offending(df, _col(df, "id_type").astype("string").eq("gcode").fillna(False).astype(bool),
                     "national_id")
    return findings(
        rows,
        "id-gcode",
        field="national_id",
        value=_col(rows, "national_id"),
        message="นักเรียนใช้รหัส G (ไม่มีเลขประจำตัวประชาชน 13 หลัก): กรุณาตรวจสอบสูติบัตร/ทะเบียนบ้าน "
        "หากมีเลข 13 หลักแล้วให้เปลี่ยนเป็นเลข 13 หลัก และแสดงในรายงานที่ 5",
    )


# ----------------------------------------------------------------------------- required fields
@register(
    "field-missing",
    severity="error",
    dataset="students",
    phases=STUDENT_PHASES,
    title_th="ข้อมูลที่ต้องกรอกว่าง",
    description_th="ช่องข้อมูลที่ต้องกรอกว่างเปล่า (น้ำหนัก/ส่วนสูงเป็น 0 ถือว่าไม่ได้กรอก)",
    title_en="Required field empty",
    memo=("field_masks",),
)
def field_missing(data: CheckInput) -> pd.DataFrame:
    df = data.students
    masks = data.cached("field_masks", lambda: field_masks(df))
    pos, fields, values, messages = [], [], [], []
    for f in REQUIRED_FIELDS:
        if f not in df.columns:
            continue
        p = np.flatnonzero(masks[f][1])
        if len(p) == 0:
            continue
        raw = f"{f}_raw" if f"{f}_raw" in df.columns else f
        value = df[raw].iloc[p].astype("string")
        if f in ("weight", "height"):
            value = value.fillna(df[f].iloc[p].astype("string"))
            msg = f"ไม่ได้กรอก{_label(f)} (ว่างหรือเป็น 0): กรุณาชั่ง/วัดและกรอก{_label(f)}ของนักเรียน"
        else:
            msg = f"ไม่ได้กรอก{_label(f)}: กรุณากรอก{_label(f)}ให้ครบทุกคน"
        pos.append(p)
        fields.append(np.full(len(p), f, dtype=object))
        values.append(value.to_numpy(dtype=object, na_value=None))
        messages.append(np.full(len(p), msg, dtype=object))
    if not pos:
        return empty_findings()
    # one selection and one findings frame for every field (a row may lack several fields)
    rows = df.take(np.concatenate(pos)).reset_index(drop=True)
    idx = rows.index
    return findings(
        rows,
        "field-missing",
        field=pd.Series(np.concatenate(fields), index=idx, dtype="string"),
        value=pd.Series(np.concatenate(values), index=idx, dtype="string"),
        message=pd.Series(np.concatenate(messages), index=idx, dtype="string"),
    )


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if p is not None and len(p)]
    if not parts:
        return empty_findings()
    return pd.concat(parts, ignore_index=True)


# ----------------------------------------------------------------------------- code lists
_KNOWN_TITLES = TITLES_MALE | TITLES_FEMALE | set(TITLE_CANON) | set(TITLE_CANON.values()) | set(TITLE_SEX)
_MALE = _norm_set({k for k, v in TITLE_SEX.items() if v == "M"})
_FEMALE = _norm_set({k for k, v in TITLE_SEX.items() if v == "F"})


def _title_norm(values: pd.Series) -> pd.Series:
    """Titles compared in their canonical spelling (``ดช``, ``ด ช``, ``Mr`` as typed too)."""
    return norm_code(canon_title(values))

_CODE_LISTS: dict[str, set[str]] = {
    "title": _norm_set(_KNOWN_TITLES),
    "disadvantage": _norm_set(DISADVANTAGE_TYPES + DISADVANTAGE_NONE),
    "disability": _norm_set(DISABILITY_TYPES + DISABILITY_NONE),
    "boarding": _norm_set(BOARDING_VALUES),
    "religion": _norm_set(RELIGIONS),
    "blood_group": _norm_set(BLOOD_GROUPS),
}


def _code_norm(field: str, values: pd.Series) -> pd.Series:
    if field == "title":
        return _title_norm(values)
    s = norm_code(values)
    if field == "religion":
        s = s.str.replace(r"^ศาสนา", "", regex=True)
    elif field == "blood_group":
        s = s.str.upper().str.replace(r"^(?:หมู่|กรุ๊ป|GROUP)", "", regex=True)
        s = s.str.replace(r"^(A|B|AB|O)(?:RH)?[+\-]$", r"\1", regex=True)
    return s


@register(
    "field-code",
    severity="error",
    dataset="students",
    phases=STUDENT_PHASES,
    title_th="ค่าไม่อยู่ในรายการรหัส",
    description_th="ค่าในช่องที่มีรายการรหัส (เพศ ชั้น คำนำหน้าชื่อ ความด้อยโอกาส ความพิการ การพักนอน "
    "ศาสนา หมู่โลหิต) ไม่อยู่ในรายการ",
    title_en="Value outside its code list",
    memo=("unique_values",),
)
def field_code(data: CheckInput) -> pd.DataFrame:
    df = data.students
    parts = []
    # sex and grade: read but not understood by the parser
    for f, hint in (("sex", "ชาย/หญิง"), ("grade", "อ.1–อ.3, ป.1–ป.6, ม.1–ม.6")):
        if f not in df.columns:
            continue
        mask = df[f].isna().to_numpy(bool) & per_value(None, df, f"{f}_raw", _nonblank_unique, False).astype(bool)
        if mask.any():
            rows = offending(df, mask, f)
            why = grade_problem(rows[f"{f}_raw"]) if f == "grade" else pd.Series("", index=rows.index)
            why = ("" + why.where(why.eq(""), " " + why + ";")).astype("string")
            parts.append(
                findings(
                    rows,
                    "field-code",
                    field=f,
                    message="ค่าใน" + _label(f) + " '" + _text(rows[f"{f}_raw"]) + "' ไม่อยู่ในรายการ ("
                    + hint + "):" + why + " กรุณาแก้ไขให้ถูกต้อง",
                )
            )
    for f, allowed in _CODE_LISTS.items():
        if f not in df.columns:
            continue
        def bad(u: pd.Series, f=f, allowed=allowed) -> np.ndarray:
            return _nonblank_unique(u) & ~_code_norm(f, u).isin(allowed).fillna(False).to_numpy(bool)

        # the titles' factorisation is kept for sex-title
        mask = per_value(data if f == "title" else None, df, f, bad, False).astype(bool)
        if not mask.any():
            continue
        rows = offending(df, mask, f)
        parts.append(
            findings(
                rows,
                "field-code",
                field=f,
                value=rows[f],
                message="ค่าใน" + _label(f) + " '" + _text(rows[f]) + "' ไม่อยู่ในรายการรหัสของ DMC: "
                "กรุณาเลือกค่าที่ถูกต้องจากรายการใน DMC",
            )
        )
    return _concat(parts)


@register(
    "sex-title",
    severity="error",
    dataset="students",
    phases=STUDENT_PHASES,
    title_th="คำนำหน้าชื่อไม่ตรงกับเพศ",
    description_th="คำนำหน้าชื่อขัดกับเพศที่บันทึก (เช่น เด็กชาย แต่เพศหญิง)",
    title_en="Title contradicts sex",
    memo=("unique_values",),
)
def sex_title(data: CheckInput) -> pd.DataFrame:
    df = data.students
    if "title" not in df.columns or "sex" not in df.columns:
        return empty_findings()
    sex = df["sex"].astype("string")
    def side(u: pd.Series) -> np.ndarray:  # bit 1: a male title, bit 2: a female one
        t = _title_norm(u)
        return (t.isin(_MALE).fillna(False).to_numpy(np.int8)
                + 2 * t.isin(_FEMALE).fillna(False).to_numpy(np.int8))

    code = per_value(data, df, "title", side, np.int8(0))
    bad = (((code & 1) > 0) & sex.eq("F").fillna(False).to_numpy(bool)) | (
        ((code & 2) > 0) & sex.eq("M").fillna(False).to_numpy(bool))
    rows = offending(df, bad, "title", "sex")
    if rows.empty:
        return empty_findings()
    sex_th = rows["sex"].astype("string").map(SEX_TH).astype("string").fillna("")
    return findings(
        rows,
        "sex-title",
        field="title",
        value=_text(rows["title"]) + " / " + sex_th,
        message="คำนำหน้าชื่อ '" + _text(rows["title"]) + "' ไม่ตรงกับเพศ '" + sex_th
        + "': กรุณาตรวจสอบกับหลักฐานและแก้ไขคำนำหน้าชื่อหรือเพศให้ตรงกัน",
    )


# ----------------------------------------------------------------------------- age and dates
#: typical completed age at 16 May for each grade: อ.1 3, ป.1 6, ม.1 12, ปวช.1 15
TYPICAL_AGE: dict[str, int] = {
    **{f"อ.{i}": 2 + i for i in range(1, 4)},
    **{f"ป.{i}": 5 + i for i in range(1, 7)},
    **{f"ม.{i}": 11 + i for i in range(1, 7)},
    **{f"ปวช.{i}": 14 + i for i in range(1, 4)},
}
MIN_BIRTH = pd.Timestamp("1950-01-01")


def _birth(data: CheckInput) -> tuple[pd.Series, pd.Series]:
    """(birth dates as datetimes, ``_birth_problem``), shared by the checks of one input."""
    df, as_of = data.students, _as_of(data)

    def compute():
        b = pd.to_datetime(_col(df, "birth_date"), errors="coerce")
        return b, _birth_problem(df, as_of, b)

    return data.cached(("birth", as_of), compute)


def _birth_ok(data: CheckInput) -> pd.Series:
    """Boolean Series: the birth date has no ``_birth_problem`` (shared, like ``_birth``)."""
    return data.cached(("birth_ok", _as_of(data)), lambda: _birth(data)[1].eq("").astype(bool))


def _birth_problem(df: pd.DataFrame, as_of: dt.date, b: pd.Series | None = None) -> pd.Series:
    """'' where fine, else unreadable / future / after-census / absurd."""
    if b is None:
        b = pd.to_datetime(_col(df, "birth_date"), errors="coerce")
    raw = _col(df, "birth_date_raw")
    today = pd.Timestamp(dt.date.today())
    census = pd.Timestamp(as_of)
    out = pd.Series("", index=df.index, dtype="object")
    out[b.isna().to_numpy(bool) & per_unique(raw, _nonblank_unique, False).astype(bool)] = "unreadable"
    out[(b < MIN_BIRTH).fillna(False)] = "absurd"
    # born after 16 May of the academic year: the child did not exist when the year began
    # (typically an error of round 1 still there in round 2, when it is no longer "after
    # the census"); ages counted to 16 May would be negative
    year_start = pd.Timestamp(dt.date(academic_year_ce(as_of), 5, 16))
    out[(b > year_start).fillna(False)] = "after-year-start"
    out[(b > census).fillna(False)] = "after-census"
    out[(b > today).fillna(False)] = "future"
    return out


@register(
    "birthdate-invalid",
    severity="error",
    dataset="students",
    phases=STUDENT_PHASES,
    title_th="วันเกิดไม่ถูกต้อง",
    description_th="อ่านวันเกิดไม่ได้ เป็นวันในอนาคต หลังวันที่เก็บข้อมูล หลังวันเริ่มปีการศึกษา (16 พ.ค.) "
    "หรือก่อน พ.ศ. 2493",
    title_en="Birth date invalid",
    memo=("birth",),
)
def birthdate_invalid(data: CheckInput) -> pd.DataFrame:
    df = data.students
    as_of = _as_of(data)
    b, prob = _birth(data)
    rows = offending(df, prob.ne(""), "birth_date")
    if rows.empty:
        return empty_findings()
    p = prob[rows.index]
    be = b[rows.index]
    be_txt = be_short_series(be).astype("string")
    raw = _text(_col(rows, "birth_date_raw"))
    census_be = be_short(as_of)
    msg = pd.Series("", index=rows.index, dtype="string")
    why = be_date_problem(_col(rows, "birth_date_raw"), ref=as_of).fillna("")
    why = why.where(why.eq(""), " (" + why + ")")
    msg = msg.mask(p.eq("unreadable"), "อ่านวันเกิด '" + raw + "' ไม่ได้" + why
                   + ": กรุณากรอกวันเกิดเป็น วว/ดด/ปปปป (พ.ศ. 4 หลัก) ตามสูติบัตร")
    msg = msg.mask(p.eq("future"), "วันเกิด " + be_txt + " (พ.ศ.) เป็นวันในอนาคต: กรุณาตรวจสอบปี พ.ศ. กับสูติบัตรแล้วแก้ไข")
    msg = msg.mask(
        p.eq("after-census"),
        "วันเกิด " + be_txt + " (พ.ศ.) อยู่หลังวันที่เก็บข้อมูล " + census_be + ": กรุณาตรวจสอบกับสูติบัตรแล้วแก้ไข",
    )
    ys_be = be_short(academic_year_start(academic_year_ce(as_of)))
    msg = msg.mask(
        p.eq("after-year-start"),
        "วันเกิด " + be_txt + " (พ.ศ.) อยู่หลังวันเริ่มปีการศึกษา (" + ys_be + ") เด็กยังไม่เกิดเมื่อเปิดภาคเรียน: "
        "กรุณาตรวจสอบปี พ.ศ. กับสูติบัตรแล้วแก้ไข",
    )
    msg = msg.mask(p.eq("absurd"), "วันเกิด " + be_txt + " (พ.ศ.) เก่าเกินจริง: กรุณาตรวจสอบปี พ.ศ. กับสูติบัตรแล้วแก้ไข")
    return findings(rows, "birthdate-invalid", field="birth_date", message=msg)


@register(
    "age-grade",
    severity="warning",
    dataset="students",
    phases=STUDENT_PHASES,
    title_th="อายุไม่เหมาะกับชั้น",
    description_th="อายุนับถึง 16 พฤษภาคมของปีการศึกษา ต่างจากอายุปกติของชั้นมาก (ต่ำกว่าปกติเกิน 1 ปี "
    "หรือสูงกว่าปกติเกิน 4 ปี, อนุบาลอายุต่ำกว่า 3 ปี, อายุเกิน 20 ปี)",
    title_en="Age far outside the grade's band",
    memo=("birth", "birth_ok"),
)
def age_grade(data: CheckInput) -> pd.DataFrame:
    df = data.students
    if "grade" not in df.columns:
        return empty_findings()
    opt = data.options or {}
    below = int(opt.get("age_grade_below", 1))
    above = int(opt.get("age_grade_above", 4))
    age_max = int(opt.get("age_max", 20))
    kg_min = int(opt.get("kindergarten_min_age", 3))
    year = academic_year_ce(_as_of(data))
    ref = dt.date(year, 5, 16)
    age = age_on(_birth(data)[0], ref)
    grade = df["grade"].astype("string")
    typical = pd.Series(map_codes(grade, TYPICAL_AGE), index=df.index)
    kinder = pd.Series(per_unique(grade, lambda u: u.str.startswith("อ.").fillna(False).to_numpy(bool), False)
                       .astype(bool), index=df.index)
    lo = typical - below
    lo = lo.where(~kinder, np.maximum(lo, kg_min))
    hi = typical + above
    ok_birth = _birth_ok(data)
    known = age.notna() & typical.notna() & ok_birth
    too_young = known & (age < lo)
    too_old = known & ((age > hi) | (age > age_max))
    over_max = ok_birth & age.notna() & (age > age_max) & typical.isna()  # grade unknown, still > 20
    bad = (too_young | too_old | over_max).fillna(False).astype(bool)
    rows = offending(df, bad, "grade", "birth_date")
    if rows.empty:
        return empty_findings()
    a = age[rows.index].astype("Int64").astype("string")
    g = _text(rows["grade"])
    t = typical[rows.index].astype("Int64").astype("string").fillna("")
    ref_be = thai_date_abbr(dt.date(year, 5, 16))
    msg = pd.Series(
        "อายุ " + a + " ปี (นับถึง " + ref_be + ") สูงกว่าอายุปกติของชั้น " + g + " (" + t
        + " ปี) มาก: กรุณาตรวจสอบวันเกิดและชั้นกับหลักฐาน",
        index=rows.index,
        dtype="string",
    )
    msg = msg.mask(
        too_young[rows.index],
        "อายุ " + a + " ปี (นับถึง " + ref_be + ") ต่ำกว่าเกณฑ์รับเข้าชั้น " + g + " (อายุปกติ " + t
        + " ปี): กรุณาตรวจสอบวันเกิด (ปี พ.ศ.) และชั้นกับหลักฐาน",
    )
    msg = msg.mask(
        (age[rows.index] > age_max).fillna(False),
        "อายุ " + a + f" ปี (นับถึง {ref_be}) เกิน {age_max} ปี: กรุณาตรวจสอบวันเกิดกับหลักฐาน "
        "(นักเรียนอายุเกิน 20 ปีไม่นับรวมในการจัดสรรงบประมาณ)",
    )
    return findings(rows, "age-grade", field="birth_date", value=_col(rows, "birth_date_raw"), message=msg)


# ----------------------------------------------------------------------------- body
@register(
    "body-implausible",
    severity="warning",
    dataset="students",
    phases=STUDENT_PHASES,
    title_th="น้ำหนัก/ส่วนสูงเป็นไปไม่ได้",
    description_th="น้ำหนักหรือส่วนสูงเป็นไปไม่ได้สำหรับอายุและเพศ (เทียบเกณฑ์การเจริญเติบโตของ WHO: "
    "|z| เกิน 5 หรือ ส่วนสูงต่ำกว่า 60/เกิน 210 ซม., น้ำหนักต่ำกว่า 8/เกิน 150 กก.)",
    title_en="Weight or height impossible for the age",
    memo=("birth", "birth_ok"),
)
def body_implausible(data: CheckInput) -> pd.DataFrame:
    """Height: outside [60, 210] cm, or |height-for-age z| > 5 (WHO). Weight: outside
    [8, 150] kg, or |BMI-for-age z| > 5 when the height itself is plausible. 0/empty are
    ``field-missing``'s, not this check's. Sex unknown: judged against both sexes, flagged
    only when implausible for both. Age at the census date; no z below 2 years."""
    df = data.students
    if "weight" not in df.columns or "height" not in df.columns:
        return empty_findings()
    opt = data.options or {}
    zlim = float(opt.get("body_z", 5))
    hmin, hmax = float(opt.get("height_min", 60)), float(opt.get("height_max", 210))
    wmin, wmax = float(opt.get("weight_min", 8)), float(opt.get("weight_max", 150))
    as_of = _as_of(data)
    w = pd.to_numeric(df["weight"], errors="coerce").to_numpy(float)
    h = pd.to_numeric(df["height"], errors="coerce").to_numpy(float)
    w_ok = np.isfinite(w) & (w > 0)
    h_ok = np.isfinite(h) & (h > 0)
    b = _birth(data)[0]
    age = ((pd.Timestamp(as_of) - b).dt.days / 365.25).to_numpy(float)
    age = np.where(_birth_ok(data).to_numpy(bool) & (age >= 0), age, np.nan)
    sex = growth.sex_codes(_col(df, "sex"))
    unknown = sex < 0

    def worst(indicator: str, values: np.ndarray) -> np.ndarray:
        """z for the recorded sex; for unknown sex the one closer to 0 of both sexes.
        (One pass for the recorded sexes, the second sex only for the rows without one.)
        NaN without computing where no z exists (under 2 years) and, on large inputs, where
        the value lies in ``_band.safe_band`` (|z| < ``zlim`` whatever the sex): most rows."""
        skip = ~(age >= growth.MIN_AGE)  # NaN or under 2: no z
        if len(values) >= _band.SAFE_BAND_MIN_ROWS:
            skip |= _band.in_safe_band(indicator, zlim, age, values)
        todo = np.flatnonzero(~skip)
        z = np.full(len(values), np.nan)
        sx, ag, va, un = sex[todo], age[todo], values[todo], unknown[todo]
        zt = growth.zscore(indicator, np.where(un, growth.SEX_CODES["M"], sx).astype(np.int8), ag, va)
        if un.any():
            zm = zt[un]
            zf = growth.zscore(indicator, np.full(int(un.sum()), growth.SEX_CODES["F"], dtype=np.int8),
                               ag[un], va[un])
            zt[un] = np.where(np.abs(zm) <= np.abs(zf), zm, zf)
        z[todo] = zt
        return z

    hz = worst("hfa", h)
    bz = worst("bfa", growth.bmi(w, h))
    h_abs = h_ok & ((h < hmin) | (h > hmax))
    h_z = h_ok & ~h_abs & (np.abs(np.nan_to_num(hz, nan=0.0)) > zlim)
    h_bad = h_abs | h_z
    w_abs = w_ok & ((w < wmin) | (w > wmax))
    w_z = w_ok & h_ok & ~h_bad & ~w_abs & (np.abs(np.nan_to_num(bz, nan=0.0)) > zlim)
    parts = []
    idx = df.index
    if h_bad.any():
        rows = offending(df, h_bad, "height", "weight")
        hz_s = pd.Series(hz, index=idx)[rows.index]
        msg = pd.Series(
            "ส่วนสูง " + _num(rows["height"]) + " ซม. เป็นไปไม่ได้: กรุณาวัดใหม่และกรอกเป็นเซนติเมตร "
            "(ตรวจว่าไม่ได้สลับช่องน้ำหนัก/ส่วนสูง)",
            index=rows.index,
            dtype="string",
        )
        msg = msg.mask(
            pd.Series(h_z, index=idx)[rows.index],
            "ส่วนสูง " + _num(rows["height"]) + " ซม. เป็นไปไม่ได้สำหรับอายุ (ห่างจากค่ากลาง WHO "
            + hz_s.round(1).astype(str) + " SD): กรุณาวัดใหม่และตรวจสอบวันเกิด",
        )
        parts.append(findings(rows, "body-implausible", field="height", message=msg))
    w_bad = w_abs | w_z
    if w_bad.any():
        rows = offending(df, w_bad, "height", "weight")
        bz_s = pd.Series(bz, index=idx)[rows.index]
        bmi_s = pd.Series(growth.bmi(w, h), index=idx)[rows.index]
        msg = pd.Series(
            "น้ำหนัก " + _num(rows["weight"]) + " กก. เป็นไปไม่ได้: กรุณาชั่งใหม่และกรอกเป็นกิโลกรัม",
            index=rows.index,
            dtype="string",
        )
        msg = msg.mask(
            pd.Series(w_z, index=idx)[rows.index],
            "น้ำหนัก " + _num(rows["weight"]) + " กก. กับส่วนสูง " + _num(rows["height"])
            + " ซม. (ดัชนีมวลกาย " + bmi_s.round(1).astype(str) + ", ห่างจากค่ากลาง WHO "
            + bz_s.round(1).astype(str) + " SD) เป็นไปไม่ได้สำหรับอายุ: กรุณาชั่งและวัดใหม่",
        )
        parts.append(findings(rows, "body-implausible", field="weight", message=msg))
    return _concat(parts)


# ----------------------------------------------------------------------------- boarding
@register(
    "boarding-school",
    severity="error",
    dataset="students",
    phases=STUDENT_PHASES,
    title_th="นักเรียนพักนอนในโรงเรียนที่ไม่อยู่ในโครงการ",
    description_th="นักเรียนบันทึกว่าพักนอน (โครงการพักนอนประจำ) แต่โรงเรียนไม่อยู่ในโครงการพักนอนประจำ",
    title_en="Boarding student outside a boarding-project school",
    needs=("students", "boarding_schools"),
)
def boarding_school(data: CheckInput) -> pd.DataFrame:
    df = data.students
    if "boarding" not in df.columns:
        return empty_findings()
    mark = norm_code(pd.Series([BOARDING_MARK], dtype="string")).iloc[0]
    boarding = pd.Series(
        per_unique(df["boarding"], lambda u: norm_code(u).str.contains(mark, regex=False).fillna(False)
                   .to_numpy(bool), False).astype(bool),
        index=df.index,
    )
    allowed = {str(s).strip() for s in data.boarding_schools}
    school = _col(df, "school_code").astype("string").str.strip()
    bad = boarding & ~school.isin(allowed).fillna(False).astype(bool)
    rows = offending(df, bad, "boarding")
    return findings(
        rows,
        "boarding-school",
        field="boarding",
        message="นักเรียนบันทึกว่าพักนอนในโครงการพักนอนประจำ แต่โรงเรียนไม่อยู่ในโครงการพักนอนประจำ: "
        "กรุณาแก้การพักนอนเป็นค่าที่ถูกต้อง (เช่น อาศัยอยู่กับบิดามารดา)",
    )
