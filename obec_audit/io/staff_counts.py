"""The EMIS staff counts page (DOMAIN.md §3.2, ``reference/emis_staff_example_*.csv``): one row
per position × academic standing × level, with ชาย / หญิง / รวม.

It is read by ``load_staff`` together with per-person lists: a file is a counts page when its
header has ชาย / หญิง / รวม and no ID or name column. Its rows get ``record = "count"`` and the
counts as numbers (``male``, ``female``, ``total``, raw text kept in ``*_raw``); ``headcount``
is ``total`` (else ชาย + หญิง). A per-person row has ``record = "person"`` and headcount 1.
EMIS prints a position once above its standings when cells were merged: a blank position under
a filled one is carried down within the file. Subtotal rows (``รวม…``) are skipped
(``files.rows_skipped``).
"""

from __future__ import annotations

import pandas as pd

from obec_audit.io.aliases import STAFF_ALIASES
from obec_audit.io.readers import text_column
from obec_audit.text import clean_text, normalize_text, parse_number

__all__ = [
    "COUNT_ALIASES", "STAFF_ALL_ALIASES", "COUNT_REQUIRED", "COUNT_FIELDS", "file_kinds",
    "finish_counts", "is_subtotal",
]

#: the count columns of the counts page
COUNT_ALIASES: dict[str, list[str]] = {
    "male": ["ชาย", "จำนวนชาย", "เพศชาย", "male"],
    "female": ["หญิง", "จำนวนหญิง", "เพศหญิง", "female"],
    "total": ["รวม", "จำนวนรวม", "รวมทั้งหมด", "total"],
}
#: per-person list and counts page in one alias table (load_staff reads both)
STAFF_ALL_ALIASES: dict[str, list[str]] = {**STAFF_ALIASES, **COUNT_ALIASES}
COUNT_FIELDS: tuple[str, ...] = ("male", "female", "total")
#: what a counts page must hold for its checks (absent → one staff-incomplete note)
COUNT_REQUIRED: list[str] = ["position", "academic_standing", "level", "male", "female", "total"]
_PERSON_KEYS = ("national_id", "first_name", "last_name")


def is_subtotal(t: pd.DataFrame) -> pd.Series:
    """Rows whose position (or first filled label) says รวม / total: subtotals of a counts page."""
    pos = normalize_text(text_column(t, "position")).str.replace(" ", "", regex=False)
    pos = pos.str.replace(r"^[0-9๐-๙]+[.)]", "", regex=True)
    hit = pos.str.startswith("รวม").fillna(False) | pos.str.casefold().str.startswith("total").fillna(False)
    return hit.astype(bool)


def file_kinds(t: pd.DataFrame) -> pd.Series:
    """Per row: ``"count"`` when its file has a count column with a value and no ID/name
    value, else ``"person"``."""
    if len(t) == 0:
        return pd.Series([], dtype="string")
    key = t["_path"].astype("string").fillna("") + "|" + t["source_sheet"].astype("string").fillna("")
    has_count = pd.concat([text_column(t, c).notna() for c in COUNT_FIELDS], axis=1).any(axis=1)
    has_person = pd.concat([text_column(t, c).notna() for c in _PERSON_KEYS], axis=1).any(axis=1)
    g = pd.DataFrame({"k": key, "c": has_count, "p": has_person}).groupby("k")[["c", "p"]].transform("any")
    kind = pd.Series("person", index=t.index, dtype="string")
    return kind.mask(g["c"] & ~g["p"], "count")


def finish_counts(t: pd.DataFrame, kind: pd.Series) -> dict[str, pd.Series]:
    """The count columns for every row (all-<NA> on person rows) and ``headcount``."""
    is_count = kind.eq("count")
    out: dict[str, pd.Series] = {"record": kind.astype("string")}
    for c in COUNT_FIELDS:
        raw = text_column(t, c).where(is_count)
        out[c] = parse_number(raw).where(is_count)
        out[f"{c}_raw"] = raw
    total = out["total"].fillna(out["male"].fillna(0) + out["female"].fillna(0))
    out["headcount"] = pd.Series(1.0, index=t.index).where(~is_count, total).astype("float64")
    return out


def carry_position(t: pd.DataFrame, position: pd.Series, kind: pd.Series) -> pd.Series:
    """Counts pages: a blank position under a filled one (merged cells) takes the one above."""
    is_count = kind.eq("count")
    if not (is_count & position.isna()).any():
        return position
    key = t["_path"].astype("string").fillna("") + "|" + t["source_sheet"].astype("string").fillna("")
    carried = position.groupby(key).ffill()
    return position.where(~is_count, carried).astype("string")


def clean_standing(values: pd.Series) -> pd.Series:
    """วิทยฐานะ as the package keeps it: ``-`` is a value; list numbering removed."""
    s = clean_text(values, na_tokens={""})
    return s.str.replace(r"^[\d๐-๙]+\s*[.)]\s*", "", regex=True)
