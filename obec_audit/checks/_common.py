"""Small helpers the check modules share."""

from __future__ import annotations

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
