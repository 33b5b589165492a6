"""Which school a staff / M-OBEC / B-OBEC page belongs to.

A page names its school by the SMIS 8-digit code, the 10-digit ministry code (``10`` +
province + OBEC-6) or the OBEC 6-digit code, in a column, in a title row above the header, or
in the file name. Every code is mapped to the SMIS code through the registry
(``obec_audit.reference.schools(None)``); a code the registry does not list is kept as found
(a 10-digit ministry code stays the ministry code). Rows whose school stays unknown keep
``<NA>``: the checks say so once per file (``*-incomplete``, field ``school_code``).

>>> resolve_code('1057120702'), resolve_code('120702'), resolve_code('1020080035')
('57013001', '57013001', '1020080035')
>>> code_in_text('mobec_example_1020080035')
'1020080035'
>>> code_in_text('ข้อมูลบุคลากร โรงเรียนบ้านป่าแดด รหัส ๕๗๐๑๐๐๐๑') , code_in_text('staff_2569-06-10')
('57010001', None)
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd

from obec_audit.ids import school as school_ids
from obec_audit.thaidate import THAI_DIGITS

__all__ = ["resolve_code", "resolve_codes", "code_in_text", "identify_schools"]

_RUN_RE = re.compile(r"(?<!\d)(\d{6}|\d{8}|\d{10})(?!\d)")
_DATE8_RE = re.compile(r"(19|20|25)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")


@functools.lru_cache(maxsize=1)
def _registry() -> tuple[dict[str, str], dict[str, str], set[str], dict[str, str]]:
    from obec_audit.reference import schools

    reg = schools(None)
    by10 = dict(zip(reg["school_id10"].map(school_ids.compact), reg["smis8"]))
    by6 = dict(zip(reg["obec6"].map(school_ids.compact), reg["smis8"]))
    names = dict(zip(reg["smis8"], reg["school_name"]))
    return by10, by6, set(reg["smis8"]), names


def resolve_code(code) -> str | None:
    """A school code as written → the SMIS code when the registry knows it, else the code
    compacted (a 10-digit ministry code kept); ``None`` for an empty value."""
    if code is None or (isinstance(code, float) and code != code):
        return None
    c = school_ids.compact(str(code))
    if not c:
        return None
    by10, by6, _smis, _ = _registry()
    if len(c) == 10:
        return by10.get(c, c)
    if len(c) == 6:
        return by6.get(c, c)
    return c


def resolve_codes(values: pd.Series) -> pd.Series:
    """``resolve_code`` over a column (on its distinct values); empty → <NA>."""
    s = values.astype("string")
    mapping = {u: resolve_code(u) for u in s.dropna().unique()}
    return s.map(mapping).astype("string")


def code_in_text(text) -> str | None:
    """The school code a file name or title text carries, resolved: a code the registry
    lists first, else an 8-digit SMIS code (not a date such as 25690610), else a 10-digit
    ministry code (``10…``); a 6-digit number counts only when the registry lists it."""
    if text is None:
        return None
    s = str(text).translate(THAI_DIGITS)
    runs = _RUN_RE.findall(s)
    if not runs:
        return None
    by10, by6, smis, _ = _registry()
    for r in runs:  # a code the registry knows
        if r in smis or r in by10 or r in by6:
            return resolve_code(r)
    for r in runs:
        if len(r) == 8 and not _DATE8_RE.fullmatch(r):
            return r
    for r in runs:
        if len(r) == 10 and r.startswith("10"):
            return r
    return None


def school_name(code) -> str | None:
    """The registry's name of an SMIS code, else None."""
    return _registry()[3].get(str(code)) if code is not None else None


def _title_code(path: str, sheet: str, header_row) -> str | None:
    """The code in the rows above the header of one sheet (read again: pages are small)."""
    from obec_audit.io.readers import ReadError, read_sheets

    if header_row is None or pd.isna(header_row) or int(header_row) <= 1:
        return None
    try:
        sheets = read_sheets(Path(path))
    except ReadError:
        return None
    for sh in sheets:
        if (sh.name or "") != (sheet or "") or sh.cells is None:
            continue
        above = sh.cells[np.asarray(sh.row_numbers) < int(header_row)]
        texts = [str(v) for v in above.ravel() if v is not None]
        return code_in_text(" ".join(texts))
    return None


def identify_schools(frame: pd.DataFrame, files: pd.DataFrame) -> pd.DataFrame:
    """The loaded ``frame`` with ``school_code`` resolved to SMIS where the registry lists
    the school, and filled for rows without one from the title rows or the file name of
    their file (``files``: the ``LoadResult.files`` of the load). ``school_name`` is filled
    from the registry where empty. A school still unknown stays <NA>."""
    if len(frame) == 0:
        return frame
    out = frame.copy()
    out.attrs = frame.attrs
    code = resolve_codes(out["school_code"]) if "school_code" in out.columns else pd.Series(
        pd.NA, index=out.index, dtype="string")
    missing = code.isna()
    if missing.any() and len(files):
        ok = files[files["status"].astype("string").eq("ok")]
        keys = out.loc[missing, ["source_file", "source_sheet"]].astype("string").fillna("")
        found: dict[tuple[str, str], str | None] = {}
        for f, sh in keys.drop_duplicates().itertuples(index=False):
            row = ok[ok["source_file"].astype("string").eq(f)
                     & ok["source_sheet"].astype("string").fillna("").eq(sh)]
            c = None
            if len(row):
                r = row.iloc[0]
                c = _title_code(str(r["path"]), sh, r["header_row"])
            found[(f, sh)] = c or code_in_text(Path(f).stem)
        fill = pd.Series([found[k] for k in keys.itertuples(index=False, name=None)],
                         index=keys.index, dtype="string")
        code = code.fillna(fill)
    out["school_code"] = code
    if "school_name" in out.columns:
        names = code.map(_registry()[3]).astype("string")
        out["school_name"] = out["school_name"].astype("string").fillna(names)
    return out
