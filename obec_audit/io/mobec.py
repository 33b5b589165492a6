"""M-OBEC equipment lists (ครุภัณฑ์): one row per item (76 items, codes 11001–25002) per
school, with counts usable / waiting for repair / waiting for disposal.

Counts are parsed to float (``NaN`` when empty, ``-``, ``ไม่มี`` or not a number) and kept as
read in ``usable_raw`` / ``repair_raw`` / ``disposal_raw``, so a count like ``2.5``, ``-3`` or
``abc`` survives for ``mobec-count``. ``survey_year`` (B.E., Int64) comes from a column when
there is one, else from a B.E. year (25xx) in the file's folder or name.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from obec_audit.io.aliases import MOBEC_ALIASES
from obec_audit.io.readers import (
    DatasetSpec,
    LoadResult,
    Progress,
    load_dataset,
    school_code_series,
    text_column,
)
from obec_audit.io.school_id import identify_schools
from obec_audit.schema import MOBEC_COLUMNS
from obec_audit.thaidate import THAI_DIGITS
from obec_audit.text import clean_text, parse_number

__all__ = ["load_mobec", "MOBEC_SPEC", "finish_mobec", "be_year_from_path"]

MOBEC_DTYPES = {
    "source_row": "Int64", "usable": "float64", "repair": "float64", "disposal": "float64",
    "survey_year": "Int64",
}
_YEAR_RE = re.compile(r"(?<!\d)(25\d\d)(?!\d)")


def be_year_from_path(path) -> int | None:
    """A B.E. year (25xx) in a path, the nearest to the file first.

    >>> be_year_from_path('mobec/2568/57010001.xlsx')
    2568
    >>> be_year_from_path('mobec/57010001.xlsx') is None
    True
    """
    for part in reversed(Path(str(path)).parts):
        m = _YEAR_RE.findall(Path(part).stem.translate(THAI_DIGITS))
        if m:
            return int(m[-1])
    return None


def _code_text(values: pd.Series) -> pd.Series:
    return clean_text(values).str.replace(r"^(\d+)\.0+$", r"\1", regex=True)


def finish_mobec(t: pd.DataFrame) -> pd.DataFrame:
    out: dict[str, pd.Series] = {}
    for c in ("source_file", "source_row", "source_sheet"):
        out[c] = t[c]
    out["school_code"] = school_code_series(text_column(t, "school_code"))
    out["school_name"] = clean_text(text_column(t, "school_name"))
    out["item_code"] = _code_text(text_column(t, "item_code")).str.translate(THAI_DIGITS)
    out["category"] = clean_text(text_column(t, "category"))
    out["item"] = clean_text(text_column(t, "item"))
    for c in ("usable", "repair", "disposal"):
        raw = text_column(t, c)
        out[c] = parse_number(raw)
        out[f"{c}_raw"] = raw
    year = parse_number(text_column(t, "survey_year"))
    year = year.where(year.between(2400, 2700), year + 543)  # a C.E. year → B.E.
    if "_path" in t.columns and year.isna().any():
        paths = t["_path"].astype("string")
        by_path = {p: be_year_from_path(p) for p in paths.dropna().unique()}
        year = year.fillna(pd.to_numeric(paths.map(by_path), errors="coerce"))
    out["survey_year"] = year.round().astype("Int64")
    return pd.DataFrame(out, index=t.index)


MOBEC_SPEC = DatasetSpec(
    name="mobec",
    aliases=MOBEC_ALIASES,
    key_any=("item_code", "item"),
    columns=MOBEC_COLUMNS,
    finish=finish_mobec,
    required=["item_code", "usable", "repair", "disposal"],
    header_hint_th="หัวตาราง (เช่น รหัส รายการ จำนวนที่ใช้ได้ จำนวนรอซ่อม จำนวนรอจำหน่าย)",
)


def load_mobec(paths, progress: Progress | None = None) -> LoadResult:
    """Load M-OBEC equipment lists (``schema.MOBEC_COLUMNS``); the school from a column, a
    title row or the file name (``io.school_id``)."""
    res = load_dataset(paths, MOBEC_SPEC, progress, dtypes=MOBEC_DTYPES)
    return LoadResult(frame=identify_schools(res.frame, res.files), findings=res.findings,
                      files=res.files)
