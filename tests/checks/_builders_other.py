"""Small canonical frames for the reconcile / end-of-year / staff / M-OBEC / B-OBEC tests.

Each builder takes a list of dicts (only the columns the test cares about) and fills the rest
the way the loaders do: strings as pandas "string", missing <NA>, ``source_row`` Int64 (2, 3,
… unless given), ``birth_date`` datetime64, IDs classified with ``obec_audit.ids``.
"""

from __future__ import annotations

import pandas as pd

from obec_audit.ids import classify_series
from obec_audit.schema import (
    BOBEC_COLUMNS,
    CLASS_COUNT_COLUMNS,
    DISCHARGE_COLUMNS,
    MOBEC_COLUMNS,
    STAFF_COLUMNS,
    STUDENT_COLUMNS,
)

#: valid 13-digit IDs (check digit right), for tests
PINS = [
    "1101700230708",
    "1234567890121",
    "3100600123452",
    "1100800456789",
]


def make_pin(n: int, first: str = "1") -> str:
    """A valid 13-digit ID built from a running number."""
    body = f"{first}{n:011d}"
    total = sum(int(d) * (13 - i) for i, d in enumerate(body))
    return body + str((11 - total % 11) % 10)


_NUMERIC = {"source_row": "Int64", "weight": "float64", "height": "float64",
            "male": "float64", "female": "float64", "total": "float64", "rooms": "float64",
            "usable": "float64", "repair": "float64", "disposal": "float64",
            "design_rooms": "float64", "actual_rooms": "float64", "special_rooms": "float64",
            "year_built": "float64", "photos": "float64"}
_DATES = {"birth_date", "discharge_date"}


def _frame(rows: list[dict], columns: list[str], *, ids: bool = True) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    if "source_row" not in df.columns:
        df["source_row"] = range(2, len(df) + 2)
    if "source_file" not in df.columns:
        df["source_file"] = "test.xlsx"
    if ids and "national_id" in columns:
        raw = df["national_id"] if "national_id" in df.columns else pd.Series([None] * len(df))
        cl = classify_series(pd.Series(raw, dtype="object").reset_index(drop=True))
        df["national_id_raw"] = pd.Series(raw).astype("string").to_numpy()
        df["national_id"] = cl["national_id"].to_numpy()
        if "id_type" not in df.columns:
            df["id_type"] = cl["id_type"].to_numpy()
        df["id_reason"] = cl["id_reason"].to_numpy()
    extra = [c for c in df.columns if c not in columns]
    out = df.reindex(columns=list(columns) + extra)
    for c in out.columns:
        if c in _DATES:
            out[c] = pd.to_datetime(out[c], errors="coerce").astype("datetime64[ns]")
        elif c in _NUMERIC and c not in ("year_built", "photos"):
            out[c] = pd.to_numeric(out[c], errors="coerce").astype(_NUMERIC[c])
        elif c in ("year_built", "photos") and c in out.columns:
            out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
        else:
            out[c] = out[c].astype("string")
    return out.reset_index(drop=True)


def students(rows: list[dict]) -> pd.DataFrame:
    """Student rows: give school_code, national_id, first_name, last_name, birth_date, grade…"""
    return _frame(rows, STUDENT_COLUMNS + ["id_reason"])


def staff(rows: list[dict]) -> pd.DataFrame:
    return _frame(rows, STAFF_COLUMNS)


def discharges(rows: list[dict]) -> pd.DataFrame:
    return _frame(rows, DISCHARGE_COLUMNS)


def mobec(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for c in ("usable", "repair", "disposal"):
        if c in df.columns:
            as_text = df[c].astype("string").str.replace(r"\.0$", "", regex=True)
            df[f"{c}_raw"] = df[f"{c}_raw"].fillna(as_text) if f"{c}_raw" in df.columns else as_text
    return _frame(df.to_dict("records"), MOBEC_COLUMNS, ids=False)


def full_mobec(school: str, counts: dict | None = None, **kw) -> list[dict]:
    """All 76 items for one school (usable 1 each unless ``counts`` says otherwise)."""
    from obec_audit.reference import mobec_items

    items = mobec_items()
    counts = counts or {}
    return [
        dict(school_code=school, item_code=c, item=i, usable=counts.get(c, 1), repair=0,
             disposal=0, **kw)
        for c, i in zip(items["code"], items["item"])
    ]


def bobec(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for c in ("design_rooms", "actual_rooms", "year_built", "photos"):
        if c in df.columns:
            as_text = df[c].astype("string").str.replace(r"\.0$", "", regex=True)
            df[f"{c}_raw"] = df[f"{c}_raw"].fillna(as_text) if f"{c}_raw" in df.columns else as_text
    return _frame(df.to_dict("records"), BOBEC_COLUMNS, ids=False)


def class_counts(rows: list[dict]) -> pd.DataFrame:
    return _frame(rows, CLASS_COUNT_COLUMNS, ids=False)
