"""Discharge lists (students จำหน่าย between censuses) and EMIS class counts per grade.

Discharges: ``reason`` is the Thai label (a key of ``schema.DISCHARGE_REASONS``: ย้ายออก,
ออกกลางคัน, เสียชีวิต, จบการศึกษา) when the text names one of them (``ย้ายไปโรงเรียนอื่น`` →
ย้ายออก), else the cleaned text as read; ``reason_code`` is the English code
(``moved``/``dropout``/``died``/``graduated``, ``<NA>`` when not recognised); ``reason_raw``
the text as read.

Class counts: the layout of ``reference/emis_students_example_*.csv`` (ชั้น/เพศ, ชาย, หญิง,
รวม, ห้องเรียน) plus a รหัสโรงเรียน column, else the code of a title row or the file name
(SMIS, 10-digit ministry or OBEC-6 code, ``io.school_id``); subtotal rows
(``รวม อบ.``, ``รวมประถม``, ``รวมทั้งหมด`` …) are not loaded and counted ``rows_skipped``.
"""

from __future__ import annotations

import pandas as pd

from obec_audit.io.aliases import CLASS_COUNT_ALIASES, DISCHARGE_ALIASES
from obec_audit.io.readers import (
    person_columns,
    DatasetSpec,
    LoadResult,
    Progress,
    load_dataset,
    school_code_series,
    text_column,
)
from obec_audit.io.school_id import identify_schools
from obec_audit.schema import CLASS_COUNT_COLUMNS, DISCHARGE_COLUMNS, DISCHARGE_REASONS
from obec_audit.text import clean_text, normalize_text, parse_be_date, parse_grade, parse_number

__all__ = [
    "load_discharges",
    "load_class_counts",
    "parse_discharge_reason",
    "DISCHARGE_SPEC",
    "CLASS_COUNT_SPEC",
]

#: words that identify each reason (checked in this order)
_REASON_WORDS: list[tuple[str, str]] = [
    ("เสียชีวิต", "เสียชีวิต"),
    ("ตาย", "เสียชีวิต"),
    ("ถึงแก่กรรม", "เสียชีวิต"),
    ("ออกกลางคัน", "ออกกลางคัน"),
    ("จบการศึกษา", "จบการศึกษา"),
    ("จบหลักสูตร", "จบการศึกษา"),
    ("สำเร็จการศึกษา", "จบการศึกษา"),
    ("ย้าย", "ย้ายออก"),
]


def parse_discharge_reason(values: pd.Series) -> pd.DataFrame:
    """Reason as written → ``reason`` (Thai label, or the cleaned text when not recognised)
    and ``reason_code`` (``schema.DISCHARGE_REASONS`` value or ``<NA>``).

    >>> r = parse_discharge_reason(pd.Series(['ย้ายออก', 'ย้ายไปโรงเรียนอื่น', ' เสียชีวิต ', 'จบการศึกษา',
    ...                                       'ออกกลางคัน (ยากจน)', 'อื่น ๆ', None]))
    >>> r['reason'].tolist()
    ['ย้ายออก', 'ย้ายออก', 'เสียชีวิต', 'จบการศึกษา', 'ออกกลางคัน', 'อื่น ๆ', <NA>]
    >>> r['reason_code'].tolist()
    ['moved', 'moved', 'died', 'graduated', 'dropout', <NA>, <NA>]
    """
    cleaned = clean_text(values)
    s = cleaned.str.replace(" ", "", regex=False)
    th = pd.Series(pd.NA, index=values.index, dtype="string")
    for word, label in _REASON_WORDS:
        hit = s.str.contains(word, regex=False).fillna(False).astype(bool) & th.isna()
        th = th.mask(hit, label)
    code = th.map(DISCHARGE_REASONS).astype("string")
    return pd.DataFrame({"reason": th.fillna(cleaned).astype("string"), "reason_code": code},
                        index=values.index)


def finish_discharges(t: pd.DataFrame) -> pd.DataFrame:
    out: dict[str, pd.Series] = {}
    for c in ("source_file", "source_row", "source_sheet"):
        out[c] = t[c]
    out.update(person_columns(t))
    out["first_name"] = clean_text(text_column(t, "first_name"))
    out["last_name"] = clean_text(text_column(t, "last_name"))
    out["grade"] = parse_grade(text_column(t, "grade"))
    reason_raw = text_column(t, "reason")
    r = parse_discharge_reason(reason_raw)
    out["reason"] = r["reason"]
    out["reason_code"] = r["reason_code"]
    out["discharge_date"] = parse_be_date(text_column(t, "discharge_date"))
    out["national_id_raw"] = text_column(t, "national_id")
    out["discharge_date_raw"] = text_column(t, "discharge_date")
    out["reason_raw"] = reason_raw
    out["grade_raw"] = text_column(t, "grade")
    return pd.DataFrame(out, index=t.index)


DISCHARGE_FRAME_COLUMNS = DISCHARGE_COLUMNS + ["id_reason", "reason_code", "reason_raw", "grade_raw"]

DISCHARGE_SPEC = DatasetSpec(
    name="discharges",
    aliases=DISCHARGE_ALIASES,
    key_any=("national_id", "first_name", "last_name"),
    columns=DISCHARGE_FRAME_COLUMNS,
    finish=finish_discharges,
    required=["national_id", "first_name", "last_name", "reason", "discharge_date"],
    header_hint_th="หัวตาราง (เช่น เลขประจำตัวประชาชน ชื่อ นามสกุล สาเหตุการจำหน่าย)",
)


def load_discharges(paths, progress: Progress | None = None) -> LoadResult:
    """Load discharge lists (``schema.DISCHARGE_COLUMNS`` + ``id_reason``, ``reason_code``,
    ``reason_raw``, ``grade_raw``)."""
    return load_dataset(
        paths, DISCHARGE_SPEC, progress,
        dtypes={"source_row": "Int64", "discharge_date": "datetime64[ns]"},
    )


def _is_subtotal(t: pd.DataFrame) -> pd.Series:
    g = normalize_text(text_column(t, "grade")).str.replace(" ", "", regex=False)
    return g.str.startswith("รวม").fillna(False).astype(bool) | g.str.casefold().str.startswith(
        "total"
    ).fillna(False).astype(bool)


def finish_class_counts(t: pd.DataFrame) -> pd.DataFrame:
    out: dict[str, pd.Series] = {}
    for c in ("source_file", "source_row", "source_sheet"):
        out[c] = t[c]
    out["school_code"] = school_code_series(text_column(t, "school_code"))
    out["grade"] = parse_grade(text_column(t, "grade"))
    for c in ("male", "female", "total", "rooms"):
        out[c] = parse_number(text_column(t, c))
    out["grade_raw"] = text_column(t, "grade")
    return pd.DataFrame(out, index=t.index)


CLASS_COUNT_SPEC = DatasetSpec(
    name="class_counts",
    aliases=CLASS_COUNT_ALIASES,
    key_any=("grade",),
    columns=CLASS_COUNT_COLUMNS + ["grade_raw"],
    finish=finish_class_counts,
    required=["grade", "male", "female", "total", "rooms"],
    skip_rows=_is_subtotal,
    header_hint_th="หัวตาราง (เช่น ชั้น ชาย หญิง รวม ห้องเรียน)",
)


def load_class_counts(paths, progress: Progress | None = None) -> LoadResult:
    """Load EMIS class counts by grade (``schema.CLASS_COUNT_COLUMNS`` + ``grade_raw``);
    subtotal rows are skipped (``files.rows_skipped``)."""
    res = load_dataset(
        paths, CLASS_COUNT_SPEC, progress,
        dtypes={"source_row": "Int64", **{c: "float64" for c in ("male", "female", "total", "rooms")}},
    )
    return LoadResult(frame=identify_schools(res.frame, res.files), findings=res.findings,
                      files=res.files)
