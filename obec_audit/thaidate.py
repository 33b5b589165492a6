"""Buddhist Era (พ.ศ.) date formatting for reports: พ.ศ. = ค.ศ. + 543.

Dates inside ``obec_audit`` are C.E. (``datetime.date`` / ``datetime64``); this module only
formats them for Thai readers. It gives the same text as ``pythainlp.util.thai_strftime``
(``'%-d %B %Y'`` and ``'%d/%m/%Y'``) without importing pythainlp, and has vectorised
versions for whole columns.

>>> import datetime as dt
>>> thai_date(dt.date(2026, 6, 10))
'10 มิถุนายน 2569'
>>> thai_date_abbr(dt.date(2026, 11, 1))
'1 พ.ย. 2569'
>>> be_short(dt.date(2026, 6, 10))
'10/06/2569'
>>> be_year(dt.date(2013, 6, 10))
2556
>>> as_of_text(dt.date(2013, 6, 10))
'ข้อมูล ณ วันที่ 10 มิถุนายน 2556'
>>> thai_date(None), be_short(float('nan'))
('', '')
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

__all__ = [
    "BE_OFFSET",
    "THAI_MONTHS",
    "THAI_MONTHS_ABBR",
    "to_date",
    "be_year",
    "thai_date",
    "thai_date_abbr",
    "be_short",
    "be_short_series",
    "thai_date_series",
    "as_of_text",
    "thai_month",
]

#: พ.ศ. − ค.ศ.
BE_OFFSET = 543

#: full month names, January first
THAI_MONTHS: tuple[str, ...] = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
#: abbreviated month names, January first
THAI_MONTHS_ABBR: tuple[str, ...] = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)


def to_date(value) -> dt.date | None:
    """A ``datetime.date`` from a date, datetime, ``pd.Timestamp``, ``numpy.datetime64`` or
    ISO text; ``None`` for missing values (None, NaN, NaT, '').

    >>> to_date('2026-06-10')
    datetime.date(2026, 6, 10)
    >>> to_date(pd.Timestamp('2026-06-10 13:00')) == dt.date(2026, 6, 10)
    True
    >>> to_date(pd.NaT) is None
    True
    """
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):  # includes pd.Timestamp (NaT is not a datetime)
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if not value.strip():
            return None
        return dt.date.fromisoformat(value.strip()[:10])
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    ts = pd.Timestamp(value)
    return None if pd.isna(ts) else ts.date()


def be_year(value) -> int | None:
    """The Buddhist Era year of a date (``None`` when missing).

    >>> be_year(dt.date(2026, 1, 1))
    2569
    """
    d = to_date(value)
    return None if d is None else d.year + BE_OFFSET


def thai_month(month: int, abbr: bool = False) -> str:
    """Thai name of month 1–12.

    >>> thai_month(6), thai_month(6, abbr=True)
    ('มิถุนายน', 'มิ.ย.')
    """
    return (THAI_MONTHS_ABBR if abbr else THAI_MONTHS)[int(month) - 1]


def thai_date(value) -> str:
    """'10 มิถุนายน 2569': day, full Thai month, B.E. year ('' when missing)."""
    d = to_date(value)
    if d is None:
        return ""
    return f"{d.day} {THAI_MONTHS[d.month - 1]} {d.year + BE_OFFSET}"


def thai_date_abbr(value) -> str:
    """'10 มิ.ย. 2569': day, abbreviated Thai month, B.E. year ('' when missing)."""
    d = to_date(value)
    if d is None:
        return ""
    return f"{d.day} {THAI_MONTHS_ABBR[d.month - 1]} {d.year + BE_OFFSET}"


def be_short(value) -> str:
    """'10/06/2569': DD/MM/YYYY with the B.E. year, as DMC writes dates ('' when missing)."""
    d = to_date(value)
    if d is None:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{d.year + BE_OFFSET}"


def as_of_text(value) -> str:
    """'ข้อมูล ณ วันที่ 10 มิถุนายน 2569', the census-date line of every report."""
    return f"ข้อมูล ณ วันที่ {thai_date(value)}".rstrip()


def _as_dates(values) -> list:
    """A list of ``datetime.date``-like objects (None where missing) from dates, Timestamps or
    ISO text; plain Python, faster than pandas string arithmetic for report-sized columns."""
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    if not pd.api.types.is_datetime64_any_dtype(s):
        s = pd.to_datetime(s.astype("string"), errors="coerce", format="ISO8601")
    return [None if x is pd.NaT or x is None else x for x in s.tolist()]


def be_short_series(values) -> pd.Series:
    """Vectorised :func:`be_short` for a column of dates ('' where missing).

    >>> be_short_series(pd.Series(pd.to_datetime(['2013-06-10', None]))).tolist()
    ['10/06/2556', '']
    """
    idx = values.index if isinstance(values, pd.Series) else None
    out = [
        "" if d is None else f"{d.day:02d}/{d.month:02d}/{d.year + BE_OFFSET}"
        for d in _as_dates(values)
    ]
    return pd.Series(out, index=idx, dtype=object)


def thai_date_series(values) -> pd.Series:
    """Vectorised :func:`thai_date` ('' where missing).

    >>> thai_date_series(pd.Series(pd.to_datetime(['2013-06-10', None]))).tolist()
    ['10 มิถุนายน 2556', '']
    """
    idx = values.index if isinstance(values, pd.Series) else None
    m = THAI_MONTHS
    out = [
        "" if d is None else f"{d.day} {m[d.month - 1]} {d.year + BE_OFFSET}"
        for d in _as_dates(values)
    ]
    return pd.Series(out, index=idx, dtype=object)
