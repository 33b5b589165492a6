"""The privacy guard at the dashboards' exit: no identifying column, no 13-digit number or
G-code in anything a supervisor sees."""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["PrivacyError", "FORBIDDEN_COLUMNS", "ID_PATTERN", "assert_aggregate_safe", "safe"]


class PrivacyError(AssertionError):
    """An aggregate about to reach a supervisor holds personal data."""


FORBIDDEN_COLUMNS = frozenset({
    "national_id", "national_id_raw", "student_name", "first_name", "last_name", "title",
    "first_name_en", "last_name_en", "value", "message", "source_row", "birth_date",
    "birth_date_raw", "guardian_first_name", "guardian_last_name", "father_first_name",
    "father_last_name", "mother_first_name", "mother_last_name", "house_no", "student_no",
})
#: 13 digits, possibly with separators (1-1017-00230-70-8), or a G-code
ID_PATTERN = re.compile(r"(?<!\d)\d(?:[ -]?\d){12}(?!\d)|G\d{12}(?!\d)")


def assert_aggregate_safe(df: pd.DataFrame | pd.Series | dict | None, what: str = "") -> None:
    """Raise ``PrivacyError`` if ``df`` has an identifying column or any 13-digit number."""
    if df is None:
        return
    if isinstance(df, dict):
        df = pd.Series({str(k): v for k, v in df.items()}, dtype="object")
    if isinstance(df, pd.Series):
        df = df.to_frame()
    bad = FORBIDDEN_COLUMNS.intersection(map(str, df.columns))
    if bad:
        raise PrivacyError(f"{what}: identifying columns {sorted(bad)}")
    texts = [str(c) for c in df.columns] + [str(i) for i in df.index[:0]]
    for col in df.columns:
        s = df[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            texts.extend(s.dropna().astype(str).tolist())
    blob = "|".join(texts)
    if ID_PATTERN.search(blob):
        raise PrivacyError(f"{what}: a 13-digit number or G-code in the output")


def safe(df, what: str = ""):
    """``df`` after ``assert_aggregate_safe``."""
    assert_aggregate_safe(df, what)
    return df
