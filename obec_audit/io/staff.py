"""Per-person staff lists (EMIS / DMC): one row per person.

Positions lose their list numbering (``'3. ครู'`` → ``'ครู'``); วิทยฐานะ keeps ``-`` (it is a
value: no standing); ระดับ is compacted (``'คศ. 1'`` → ``'คศ.1'``). Without a รหัสโรงเรียน
column, the school code is taken from an 8-digit number in the file name.
"""

from __future__ import annotations

import pandas as pd

from obec_audit.io.aliases import STAFF_ALIASES
from obec_audit.io.readers import (
    person_columns,
    DatasetSpec,
    LoadResult,
    Progress,
    load_dataset,
    text_column,
)
from obec_audit.schema import STAFF_COLUMNS
from obec_audit.text import clean_text, parse_be_date, parse_sex, strip_numbering

__all__ = ["load_staff", "STAFF_SPEC", "finish_staff", "STAFF_FRAME_COLUMNS", "STAFF_REQUIRED"]

STAFF_FRAME_COLUMNS: list[str] = STAFF_COLUMNS + ["id_reason", "position_raw", "academic_standing_raw"]
STAFF_REQUIRED: list[str] = ["national_id", "title", "first_name", "last_name", "sex", "position",
                             "academic_standing"]
STAFF_DTYPES = {"source_row": "Int64", "birth_date": "datetime64[ns]"}


def finish_staff(t: pd.DataFrame) -> pd.DataFrame:
    out: dict[str, pd.Series] = {}
    for c in ("source_file", "source_row", "source_sheet"):
        out[c] = t[c]
    out.update(person_columns(t))
    out["school_name"] = clean_text(text_column(t, "school_name"))
    out["first_name"] = clean_text(text_column(t, "first_name"))
    out["last_name"] = clean_text(text_column(t, "last_name"))
    out["sex"] = parse_sex(text_column(t, "sex"))
    out["position"] = strip_numbering(text_column(t, "position"))
    standing = clean_text(text_column(t, "academic_standing"), na_tokens={""})
    out["academic_standing"] = standing.str.replace(r"^[\d๐-๙]+\s*[.)]\s*", "", regex=True)
    out["level"] = clean_text(text_column(t, "level"), na_tokens={""}).str.replace(" ", "", regex=False)
    out["birth_date"] = parse_be_date(text_column(t, "birth_date"))
    out["subject"] = clean_text(text_column(t, "subject"))
    out["national_id_raw"] = text_column(t, "national_id")
    out["sex_raw"] = text_column(t, "sex")
    out["birth_date_raw"] = text_column(t, "birth_date")
    out["position_raw"] = text_column(t, "position")
    out["academic_standing_raw"] = text_column(t, "academic_standing")
    return pd.DataFrame(out, index=t.index)


STAFF_SPEC = DatasetSpec(
    name="staff",
    aliases=STAFF_ALIASES,
    key_any=("national_id", "first_name", "last_name"),
    columns=STAFF_FRAME_COLUMNS,
    finish=finish_staff,
    required=STAFF_REQUIRED,
    header_hint_th="หัวตาราง (เช่น เลขประจำตัวประชาชน ชื่อ นามสกุล ตำแหน่ง)",
)


def load_staff(paths, progress: Progress | None = None) -> LoadResult:
    """Load per-person staff lists (``schema.STAFF_COLUMNS`` + ``id_reason``, ``position_raw``,
    ``academic_standing_raw``)."""
    return load_dataset(paths, STAFF_SPEC, progress, dtypes=STAFF_DTYPES)
