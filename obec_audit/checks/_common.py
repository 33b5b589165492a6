"""Small helpers the check modules share."""

from __future__ import annotations

import numpy as np
import pandas as pd

from obec_audit.checks.registry import CheckInput


def col_str(df: pd.DataFrame, col: str) -> pd.Series:
    """A string column, all-<NA> when absent."""
    if col in df.columns:
        return df[col].astype("string")
    return pd.Series(pd.NA, index=df.index, dtype="string")


def option(data: CheckInput, name: str, default):
    """A threshold from ``CheckInput.options``, else the check's default."""
    return (data.options or {}).get(name, default)


def school_file(df: pd.DataFrame) -> pd.Series:
    """The most common source_file of each school (for school-level findings)."""
    f = pd.DataFrame({"s": col_str(df, "school_code"), "f": col_str(df, "source_file")}).dropna(subset=["s"])
    if len(f) == 0:
        return pd.Series(dtype="string")
    c = f.value_counts(dropna=False).reset_index(name="n").sort_values(["s", "n"], ascending=[True, False])
    return c.drop_duplicates("s").set_index("s")["f"].astype("string")


def map_codes(values: pd.Series, mapping: dict) -> np.ndarray:
    """``values.map(mapping)`` as floats (NaN when unmapped or missing), looked up once per
    distinct value (``Series.map`` on a million strings builds a Python object per row)."""
    from obec_audit.completeness import per_unique

    def inner(u: pd.Series) -> np.ndarray:
        return np.asarray([mapping.get(v, np.nan) for v in u.tolist()], dtype=float)

    return per_unique(values.astype("string"), inner, np.nan).astype(float)


def unique_values(data: CheckInput | None, df: pd.DataFrame, col: str) -> tuple[np.ndarray, pd.Series]:
    """(codes, distinct values) of a text column (code -1: missing). With ``data``, factorised
    once per input and kept for the other checks that look at the column (only worth it for a
    column several checks read: the codes of a national list take 26 MB per column)."""
    def compute():
        from obec_audit.completeness import factorize_text

        codes, u = factorize_text(col_str(df, col))
        return codes.astype(np.int32 if len(u) < 2**31 - 1 else np.int64), u

    return compute() if data is None else data.cached(("unique_values", col), compute)


def per_value(data: CheckInput | None, df: pd.DataFrame, col: str, func, na_value) -> np.ndarray:
    """``completeness.per_unique`` of a column with its factorisation shared (``unique_values``):
    ``func`` (distinct values → array) spread back over the rows; ``na_value`` where missing."""
    codes, u = unique_values(data, df, col)
    res = np.asarray(func(u))
    res = np.append(res, np.asarray([na_value], dtype=res.dtype if len(res) else object))
    return res[codes]


def num_text(s: pd.Series) -> pd.Series:
    """Numbers as text to one decimal, without a trailing ``.0`` (``26.0`` → ``26``)."""
    v = pd.to_numeric(s, errors="coerce")
    txt = v.round(1).astype(str).str.replace(r"\.0$", "", regex=True)
    return txt.astype("string")
