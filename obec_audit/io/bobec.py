"""B-OBEC building lists: one row per building or construction.

Numbers (rooms, year built, budget) are parsed to float and the rooms / year / photos are
kept as read in ``*_raw``. ``year_built`` stays a B.E. year as written (a C.E. year such as
1990 is kept as is: ``bobec-year`` reports it). ``photos`` is the number of photos: a number
as written, ``มี`` (has photos) → 1, ``ไม่มี`` → 0.
"""

from __future__ import annotations

import pandas as pd

from obec_audit.io.aliases import BOBEC_ALIASES
from obec_audit.io.readers import (
    DatasetSpec,
    LoadResult,
    Progress,
    load_dataset,
    school_code_series,
    text_column,
)
from obec_audit.io.school_id import identify_schools
from obec_audit.schema import BOBEC_COLUMNS
from obec_audit.thaidate import THAI_DIGITS
from obec_audit.text import clean_text, normalize_text, parse_number

__all__ = ["load_bobec", "BOBEC_SPEC", "finish_bobec", "parse_photos"]

BOBEC_DTYPES = {
    "source_row": "Int64",
    **{c: "float64" for c in ("design_rooms", "actual_rooms", "special_rooms", "year_built",
                              "budget", "photos")},
}
_HAS = {"มี", "มีรูป", "มีรูปถ่าย", "มีภาพ", "yes", "y", "✓", "/"}
_HAS_NOT = {"ไม่มี", "ไม่มีรูป", "ไม่มีรูปถ่าย", "ไม่มีภาพ", "no", "n", "0"}


def parse_photos(values: pd.Series) -> pd.Series:
    """Number of photos: a number as written, มี → 1, ไม่มี → 0, blank → NaN.

    >>> parse_photos(pd.Series(['3', 'มี', 'ไม่มี', '', None, '๒'])).tolist()
    [3.0, 1.0, 0.0, nan, nan, 2.0]
    """
    s = normalize_text(values).str.casefold().str.replace(" ", "", regex=False)
    n = parse_number(values)
    n = n.mask(s.isin(_HAS).fillna(False).astype(bool), 1.0)
    n = n.mask(s.isin(_HAS_NOT).fillna(False).astype(bool), 0.0)
    return n.astype("float64")


def finish_bobec(t: pd.DataFrame) -> pd.DataFrame:
    out: dict[str, pd.Series] = {}
    for c in ("source_file", "source_row", "source_sheet"):
        out[c] = t[c]
    out["school_code"] = school_code_series(text_column(t, "school_code"))
    out["school_name"] = clean_text(text_column(t, "school_name"))
    out["building_no"] = clean_text(text_column(t, "building_no")).str.replace(
        r"^(\d+)\.0+$", r"\1", regex=True
    ).str.translate(THAI_DIGITS)
    out["category"] = clean_text(text_column(t, "category"))
    out["design"] = clean_text(text_column(t, "design"))
    for c in ("design_rooms", "actual_rooms", "special_rooms", "year_built", "budget"):
        out[c] = parse_number(text_column(t, c))
    out["budget_source"] = clean_text(text_column(t, "budget_source"))
    out["condition"] = clean_text(text_column(t, "condition")).str.replace(" ", "", regex=False)
    out["photos"] = parse_photos(text_column(t, "photos"))
    for c in ("design_rooms", "actual_rooms", "year_built", "photos"):
        out[f"{c}_raw"] = text_column(t, c)
    return pd.DataFrame(out, index=t.index)


BOBEC_SPEC = DatasetSpec(
    name="bobec",
    aliases=BOBEC_ALIASES,
    key_any=("category", "design", "year_built"),
    columns=BOBEC_COLUMNS,
    finish=finish_bobec,
    required=["category", "design", "year_built", "condition", "design_rooms", "actual_rooms",
              "photos"],
    header_hint_th="หัวตาราง (เช่น ประเภท แบบ ปีที่สร้าง สภาพ)",
)


def load_bobec(paths, progress: Progress | None = None) -> LoadResult:
    """Load B-OBEC building lists (``schema.BOBEC_COLUMNS``); the school from a column, a
    title row or the file name (``io.school_id``)."""
    res = load_dataset(paths, BOBEC_SPEC, progress, dtypes=BOBEC_DTYPES)
    return LoadResult(frame=identify_schools(res.frame, res.files), findings=res.findings,
                      files=res.files)
