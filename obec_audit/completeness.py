"""How complete each school's student data is ("every field, every column", DOMAIN.md §6.3).

``completeness(students)``: one row per school × required field (``schema.REQUIRED_FIELDS``
and ``national_id``): ``school_code, field, field_th, rows, missing, percent_complete``.
``school_completeness(students)``: one row per school: ``school_code, students, cells,
missing_cells, percent_complete, fields_complete``.

"Empty" is decided here once, and the ``field-missing`` check uses the same rule
(``field_empty``/``field_applicable``):

- text fields: ``<NA>``, blank or ``-``;
- ``weight``/``height``: ``NaN`` or ``0`` (DMC exports 0 when nothing was entered);
- ``sex``/``grade``/``birth_date``: nothing was read (``<field>_raw`` blank). A value that was
  read but could not be parsed is *not* missing: it is ``field-code`` (sex, grade) or
  ``birthdate-invalid``;
- ``national_id``: ``id_type == 'missing'``.

A field the source file does not have at all (``df.attrs['absent_columns']``) is not
applicable to that file's rows: they are left out of ``rows`` for that field, never counted
as missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from obec_audit.schema import FIELD_LABEL_TH, REQUIRED_FIELDS

__all__ = [
    "COMPLETENESS_FIELDS",
    "field_empty",
    "field_applicable",
    "field_masks",
    "completeness",
    "school_completeness",
    "per_unique",
]

#: the fields counted: national_id first, then the contract's required fields
COMPLETENESS_FIELDS: list[str] = ["national_id", *REQUIRED_FIELDS]
#: text that means "nothing entered"
EMPTY_TOKENS: frozenset[str] = frozenset({"", "-"})
#: fields whose raw text decides emptiness (a non-empty unparseable value is another check's)
_PARSED_FIELDS = ("sex", "grade", "birth_date")


def per_unique(values: pd.Series, func, na_value) -> np.ndarray:
    """``func`` (Series of distinct non-missing values → array) applied once per distinct
    value and spread back as a numpy array aligned on ``values``; ``na_value`` where missing.
    Coded and free-text columns hold few distinct values, so this avoids building
    million-row string arrays."""
    codes, uniques = factorize_text(values)
    res = np.asarray(func(uniques))
    res = np.append(res, np.asarray([na_value], dtype=res.dtype if len(res) else object))
    return res[codes]


def factorize_text(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """``pd.factorize(values)`` of a text column: (codes, -1 where missing; the distinct values
    in order of appearance as a string Series). A pyarrow-backed column is dictionary-encoded
    by pyarrow directly (pandas' factorize does the same, then converts more)."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        enc = pc.dictionary_encode(pa.array(values))
        if isinstance(enc, pa.ChunkedArray):
            enc = enc.unify_dictionaries()
            dictionary = enc.chunk(0).dictionary if enc.num_chunks else pa.array([], pa.string())
            idx = pa.chunked_array([c.indices for c in enc.chunks], type=pa.int32())
        else:
            dictionary, idx = enc.dictionary, enc.indices
        codes = pc.fill_null(idx, -1).to_numpy(zero_copy_only=False)
        return codes, pd.Series(pd.arrays.ArrowStringArray(dictionary.cast(pa.large_string())), dtype="string")
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, pd.Series(uniques, dtype="string")


def _blank_unique(u: pd.Series) -> np.ndarray:
    s = u.str.strip()
    return (s.isna() | s.isin(EMPTY_TOKENS)).fillna(True).to_numpy(bool)


def first_bytes(values: pd.Series, k: int = 1) -> list[np.ndarray]:
    """For a pyarrow-backed string Series: its values' first ``k`` UTF-8 bytes (a uint8
    array each; 0 past a value's end, and for missing or empty values), read from the
    buffers without building a string."""
    import pyarrow as pa

    a = pa.array(values)
    chunks = [c for c in (a.chunks if isinstance(a, pa.ChunkedArray) else [a]) if len(c)]
    if not chunks:
        return [np.zeros(0, dtype=np.uint8) for _ in range(k)]
    parts = [_first_bytes_chunk(c, k) for c in chunks]
    return [np.concatenate([p[i] for p in parts]) for i in range(k)]


def _first_bytes_chunk(chunk, k: int) -> list[np.ndarray]:
    import pyarrow as pa

    n = len(chunk)
    offsets, data = chunk.buffers()[1:3]
    if data is None or data.size == 0:
        return [np.zeros(n, dtype=np.uint8) for _ in range(k)]
    large = pa.types.is_large_string(chunk.type)
    off = np.frombuffer(offsets, dtype=np.int64 if large else np.int32)[chunk.offset: chunk.offset + n + 1]
    start, end = off[:-1], off[1:]
    b = np.frombuffer(data, dtype=np.uint8)
    null = chunk.is_null().to_numpy(zero_copy_only=False) if chunk.null_count else None
    out = []
    for i in range(k):
        at = start + i if i else start
        v = np.take(b, at, mode="clip")  # a position past the data: a value's end, zeroed below
        v[np.less_equal(end, at)] = 0
        if null is not None:
            v[null] = 0
        out.append(v)
    return out


def _maybe_blank(values: pd.Series) -> np.ndarray:
    """False where the value certainly is not blank (its first character is printable ASCII
    other than '-', or a Thai letter: stripping cannot remove it), True where it might be
    (missing, empty, a space, a control or other character)."""
    b0, b1 = first_bytes(values, 2)  # (a lead byte E0 implies a 3-byte character)
    sure = (b0 > 0x20) & (b0 < 0x7F) & (b0 != ord("-"))
    sure |= (b0 == 0xE0) & ((b1 & 0xFE) == 0xB8)  # U+0E00–U+0E7F
    return ~sure


def _blank(values: pd.Series) -> pd.Series:
    """True where a text value is missing, blank or '-'."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        # the first byte settles nearly every value; pyarrow strips and compares the rest
        maybe = _maybe_blank(values)
        out = np.zeros(len(values), dtype=bool)
        at = np.flatnonzero(maybe)
        if len(at):
            out[at] = _blank_unique(values.iloc[at])
        return pd.Series(out, index=values.index)
    return pd.Series(per_unique(values, _blank_unique, True).astype(bool), index=values.index)


def field_empty(students: pd.DataFrame, field: str) -> pd.Series:
    """Boolean Series: the field is empty on this row (see the module's docstring)."""
    df = students
    idx = df.index
    if field not in df.columns:
        return pd.Series(False, index=idx)
    if field == "national_id":
        if "id_type" in df.columns:
            return df["id_type"].astype("string").eq("missing").fillna(False).astype(bool)
        return _blank(df["national_id"])
    if field in ("weight", "height"):
        v = pd.to_numeric(df[field], errors="coerce")
        return (v.isna() | v.eq(0)).astype(bool)
    if field in _PARSED_FIELDS:
        parsed_missing = df[field].isna().astype(bool)
        raw = f"{field}_raw"
        if raw in df.columns:
            return parsed_missing & _blank(df[raw])
        return parsed_missing
    return _blank(df[field])


def field_applicable(students: pd.DataFrame, field: str) -> pd.Series:
    """Boolean Series: the row's source file has the column (``attrs['absent_columns']``)."""
    df = students
    if field not in df.columns:
        return pd.Series(False, index=df.index)
    absent = df.attrs.get("absent_columns") or {}
    files = [f for f, cols in absent.items() if field in set(cols or ())]
    if not files or "source_file" not in df.columns:
        return pd.Series(True, index=df.index)
    return ~df["source_file"].astype("string").isin(files).fillna(False).astype(bool)


def _percent(complete: pd.Series, rows: pd.Series) -> pd.Series:
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100.0 * complete.astype(float) / rows.astype(float).replace(0, np.nan)
    return pct.round(1)


def _school_key(students: pd.DataFrame) -> pd.Series:
    if "school_code" in students.columns:
        return students["school_code"].astype("string").fillna("")
    return pd.Series("", index=students.index, dtype="string")


def field_masks(students: pd.DataFrame, fields: list[str] | None = None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each field: (applies, missing) boolean arrays aligned on the rows, ``missing``
    only where the field applies. Computed once per round and shared by ``completeness`` and
    the ``field-missing`` check, so both always agree."""
    out = {}
    for f in fields or COMPLETENESS_FIELDS:
        app = field_applicable(students, f).to_numpy(bool)
        out[f] = (app, field_empty(students, f).to_numpy(bool) & app)
    return out


def completeness(
    students: pd.DataFrame,
    fields: list[str] | None = None,
    masks: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
) -> pd.DataFrame:
    """One row per school × field: rows (where the field applies), missing, percent complete
    (0–100, one decimal; empty when the field applies to no row of the school).
    ``masks``: ``field_masks(students)`` when the caller already has them."""
    fields = list(fields or COMPLETENESS_FIELDS)
    cols = ["school_code", "field", "field_th", "rows", "missing", "percent_complete"]
    if students is None or len(students) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    codes, schools = pd.factorize(_school_key(students), sort=True)
    n = len(schools)
    masks = masks or {}
    rows = np.empty((n, len(fields)), dtype=np.int64)
    missing = np.empty((n, len(fields)), dtype=np.int64)
    for j, f in enumerate(fields):
        app, emp = masks[f] if f in masks else field_masks(students, [f])[f]
        rows[:, j] = np.bincount(codes[app], minlength=n)
        missing[:, j] = np.bincount(codes[emp], minlength=n)
    long = pd.DataFrame(
        {
            "school_code": pd.array(np.repeat(np.asarray(schools, dtype=object), len(fields)), dtype="string"),
            "field": np.tile(np.asarray(fields, dtype=object), n),
            "rows": rows.ravel(),
            "missing": missing.ravel(),
        }
    )
    long["field_th"] = long["field"].map(FIELD_LABEL_TH).fillna(long["field"])
    long["percent_complete"] = _percent(long["rows"] - long["missing"], long["rows"])
    return long[cols]


def school_completeness(
    students: pd.DataFrame,
    fields: list[str] | None = None,
    per: pd.DataFrame | None = None,
    masks: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
) -> pd.DataFrame:
    """One row per school: students, cells (applicable field × row), missing_cells,
    percent_complete, fields_complete (fields at 100 % among those that apply).
    ``per``: ``completeness(students, fields)`` when the caller already has it."""
    cols = ["school_code", "students", "cells", "missing_cells", "percent_complete",
            "fields_complete"]
    if students is None or len(students) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    per = completeness(students, fields, masks) if per is None else per
    per = per.assign(_full=(per["rows"] > 0) & per["missing"].eq(0))
    g = per.groupby("school_code", sort=True)
    out = pd.DataFrame(
        {
            "cells": g["rows"].sum(),
            "missing_cells": g["missing"].sum(),
            "fields_complete": g["_full"].sum().astype("int64"),
        }
    )
    out["students"] = _school_key(students).value_counts().reindex(out.index).fillna(0).astype("int64")
    out["percent_complete"] = _percent(out["cells"] - out["missing_cells"], out["cells"])
    out = out.reset_index()
    out["school_code"] = out["school_code"].astype("string")
    return out[cols]
