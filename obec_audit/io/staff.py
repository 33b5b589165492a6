"""Staff pages (EMIS / DMC): per-person lists (one row per person) and the EMIS counts page
(one row per position × standing × level with ชาย / หญิง / รวม, ``io.staff_counts``), read
together; ``record`` says which a row is.

Positions lose their list numbering (``'3. ครู'`` → ``'ครู'``); วิทยฐานะ keeps ``-`` (it is a
value: no standing); ระดับ is compacted (``'คศ. 1'`` → ``'คศ.1'``). The school comes from a
รหัสโรงเรียน column, a title row or the file name (SMIS, 10-digit ministry or OBEC-6 code,
``io.school_id``). ``attrs["absent_columns"]`` lists, per file, the columns its kind of page
needs and lacks.
"""

from __future__ import annotations

import pandas as pd

from obec_audit.io.readers import (
    person_columns,
    DatasetSpec,
    LoadResult,
    Progress,
    load_dataset,
    text_column,
)
from obec_audit.io.school_id import identify_schools
from obec_audit.io.staff_counts import (
    COUNT_REQUIRED,
    STAFF_ALL_ALIASES,
    carry_position,
    clean_standing,
    file_kinds,
    finish_counts,
    is_subtotal,
)
from obec_audit.schema import STAFF_COLUMNS, STAFF_COUNT_COLUMNS, AbsentColumns
from obec_audit.text import clean_text, parse_be_date, parse_sex, strip_numbering

__all__ = ["load_staff", "STAFF_SPEC", "finish_staff", "STAFF_FRAME_COLUMNS", "STAFF_REQUIRED"]

STAFF_FRAME_COLUMNS: list[str] = (STAFF_COLUMNS + ["id_reason", "position_raw", "academic_standing_raw"]
                                  + STAFF_COUNT_COLUMNS)
STAFF_REQUIRED: list[str] = ["national_id", "title", "first_name", "last_name", "sex", "position",
                             "academic_standing"]
STAFF_DTYPES = {"source_row": "Int64", "birth_date": "datetime64[ns]", "male": "float64",
                "female": "float64", "total": "float64", "headcount": "float64"}


def finish_staff(t: pd.DataFrame) -> pd.DataFrame:
    out: dict[str, pd.Series] = {}
    for c in ("source_file", "source_row", "source_sheet"):
        out[c] = t[c]
    kind = file_kinds(t) if "_path" in t.columns else pd.Series("person", index=t.index, dtype="string")
    out.update(person_columns(t))
    is_count = kind.eq("count")
    for c in ("national_id", "id_type", "id_reason"):
        out[c] = out[c].mask(is_count)
    out["school_name"] = clean_text(text_column(t, "school_name"))
    out["first_name"] = clean_text(text_column(t, "first_name"))
    out["last_name"] = clean_text(text_column(t, "last_name"))
    out["sex"] = parse_sex(text_column(t, "sex"))
    out["position"] = carry_position(t, strip_numbering(text_column(t, "position")), kind)
    out["academic_standing"] = clean_standing(text_column(t, "academic_standing"))
    out["level"] = clean_text(text_column(t, "level"), na_tokens={""}).str.replace(" ", "", regex=False)
    out["birth_date"] = parse_be_date(text_column(t, "birth_date"))
    out["subject"] = clean_text(text_column(t, "subject"))
    out["national_id_raw"] = text_column(t, "national_id")
    out["sex_raw"] = text_column(t, "sex")
    out["birth_date_raw"] = text_column(t, "birth_date")
    out["position_raw"] = text_column(t, "position")
    out["academic_standing_raw"] = text_column(t, "academic_standing")
    out.update(finish_counts(t, kind))
    return pd.DataFrame(out, index=t.index)


STAFF_SPEC = DatasetSpec(
    name="staff",
    aliases=STAFF_ALL_ALIASES,
    key_any=("national_id", "first_name", "last_name", "position"),
    columns=STAFF_FRAME_COLUMNS,
    finish=finish_staff,
    required=list(dict.fromkeys(STAFF_REQUIRED + COUNT_REQUIRED)),
    skip_rows=is_subtotal,
    header_hint_th="หัวตาราง (เช่น เลขประจำตัวประชาชน ชื่อ นามสกุล ตำแหน่ง หรือ ตำแหน่ง วิทยฐานะ ชาย หญิง รวม)",
)


def _absent_by_kind(frame: pd.DataFrame) -> AbsentColumns:
    """Per file, only the columns its kind of page needs (a counts page has no names)."""
    absent = frame.attrs.get("absent_columns") or {}
    kinds = (frame.groupby("source_file")["record"].first().to_dict() if len(frame) else {})
    out = {}
    for f, cols in absent.items():
        need = COUNT_REQUIRED if kinds.get(f) == "count" else STAFF_REQUIRED
        out[f] = [c for c in need if c in cols]
    return AbsentColumns(out)


def load_staff(paths, progress: Progress | None = None) -> LoadResult:
    """Load staff pages, per-person lists and EMIS counts pages (``STAFF_FRAME_COLUMNS``:
    ``schema.STAFF_COLUMNS`` + ``id_reason``, ``position_raw``, ``academic_standing_raw``,
    ``schema.STAFF_COUNT_COLUMNS``)."""
    res = load_dataset(paths, STAFF_SPEC, progress, dtypes=STAFF_DTYPES)
    frame = identify_schools(res.frame, res.files)
    frame.attrs["absent_columns"] = _absent_by_kind(frame)
    return LoadResult(frame=frame, findings=res.findings, files=res.files)
