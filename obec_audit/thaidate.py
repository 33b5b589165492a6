"""Thai digits, Buddhist Era (พ.ศ.) dates and the academic year: the one home of these ideas.

พ.ศ. = ค.ศ. + 543. Dates inside ``obec_audit`` are C.E. (``datetime.date`` / ``datetime64``);
this module parses what people type (``10/06/2569``, ``2026-06-10``, Thai digits) into dates
with a clear bilingual error, formats dates for Thai readers, and says which academic year a
date belongs to (it starts on 16 May). Vectorised parsing of whole columns as schools type them
lives in ``obec_audit.text`` (built on these constants). It gives the same text as ``pythainlp.util.thai_strftime``
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
import re

import pandas as pd

__all__ = [
    "BE_OFFSET",
    "THAI_DIGITS",
    "arabic_digits",
    "DateError",
    "parse_date",
    "date_era",
    "academic_year",
    "academic_year_ce",
    "academic_year_start",
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

#: ``str.translate`` table: Thai digits ๐–๙ → 0–9
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

#: a 4-digit year at or above this is B.E.; below it, C.E.
BE_YEAR_MIN = 2400

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


# ------------------------------------------------------------------------------ parsing
def arabic_digits(text) -> str:
    """Thai digits turned into 0–9.

    >>> arabic_digits('๑๐/๐๖/๒๕๖๙')
    '10/06/2569'
    """
    return str(text).translate(THAI_DIGITS)


class DateError(ValueError):
    """A date a person typed that is not a date. ``code``: ``date-format`` (not a date at
    all) or ``date-invalid`` (a day the month does not have); the message is Thai + English
    and says what was typed and the accepted forms."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T].*)?")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?")
_FORMS = "ใช้ วว/ดด/ปปปป พ.ศ. เช่น 10/06/2569 หรือ 2026-06-10 / use DD/MM/YYYY (B.E.) or YYYY-MM-DD"


def _parts(s: str) -> tuple[int, int, int] | None:
    m = _YMD.fullmatch(s)
    if m:
        return int(m[1]), int(m[2]), int(m[3])
    m = _DMY.fullmatch(s)
    if m:
        return int(m[3]), int(m[2]), int(m[1])
    return None


def date_era(value) -> str | None:
    """Which calendar a typed date's year is in: ``'BE'`` (2400 and later), ``'CE'``, or
    ``None`` for a date object or text that is not a date.

    >>> date_era('10/06/2569'), date_era('10/06/2026'), date_era('2026-06-10'), date_era('x')
    ('BE', 'CE', 'CE', None)
    """
    if value is None or isinstance(value, dt.date):
        return None
    p = _parts(arabic_digits(value).strip())
    if p is None:
        return None
    return "BE" if p[0] >= BE_YEAR_MIN else "CE"


def parse_date(value) -> dt.date | None:
    """A C.E. ``datetime.date`` from what a person typed or a date object.

    Text: ``D/M/YYYY`` (also ``.`` or ``-`` between) or ``YYYY-MM-DD``, Thai digits allowed;
    a year of 2400 or more is B.E. (minus 543), below it C.E. ``None`` for empty values;
    :class:`DateError` for text that is not a date or a day the month does not have.

    >>> parse_date('10/06/2556'), parse_date('2013-06-10'), parse_date('๑๐/๖/๒๕๕๖')
    (datetime.date(2013, 6, 10), datetime.date(2013, 6, 10), datetime.date(2013, 6, 10))
    >>> parse_date('10/06/2013'), parse_date('') is None
    (datetime.date(2013, 6, 10), True)
    >>> parse_date('31/02/2569')
    Traceback (most recent call last):
    ...
    obec_audit.thaidate.DateError: วันที่ไม่มีจริง: '31/02/2569' (กุมภาพันธ์ 2569 มี 28 วัน) / no such day: February 2026 has 28 days
    """
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        try:
            if pd.isna(value):
                return None
        except (TypeError, ValueError):
            pass
        if hasattr(value, "year"):
            return to_date(value)
    s = arabic_digits(value).strip()
    if not s:
        return None
    p = _parts(s)
    if p is None:
        raise DateError("date-format", f"ไม่ใช่วันที่: {value!r} ({_FORMS}) / not a date: {value!r}")
    y, mo, d = p
    if y >= BE_YEAR_MIN:
        y -= BE_OFFSET
    if not 1 <= mo <= 12:
        raise DateError("date-invalid",
                        f"เดือนไม่ถูกต้อง: {value!r} (เดือนต้องเป็น 1–12) / month must be 1–12: {value!r}")
    try:
        return dt.date(y, mo, d)
    except ValueError:
        import calendar as _cal  # stdlib; only for the message

        last = _cal.monthrange(y, mo)[1] if 1 <= y <= 9999 else 31
        raise DateError(
            "date-invalid",
            f"วันที่ไม่มีจริง: {value!r} ({THAI_MONTHS[mo - 1]} {y + BE_OFFSET} มี {last} วัน) / "
            f"no such day: {dt.date(2000, mo, 1):%B} {y} has {last} days",
        ) from None


# ------------------------------------------------------------------------ academic year
def academic_year_ce(value) -> int | None:
    """The C.E. year in which the academic year of a date started (it starts on 16 May).

    >>> academic_year_ce(dt.date(2027, 3, 31)), academic_year_ce(dt.date(2026, 5, 16))
    (2026, 2026)
    """
    d = parse_date(value)
    if d is None:
        return None
    return d.year if (d.month, d.day) >= (5, 16) else d.year - 1


def academic_year(value) -> int | None:
    """The B.E. academic year (ปีการศึกษา) of a date; it starts on 16 May.

    >>> academic_year(dt.date(2014, 5, 5)), academic_year(dt.date(2026, 6, 10))
    (2556, 2569)
    """
    y = academic_year_ce(value)
    return None if y is None else y + BE_OFFSET


def academic_year_start(year) -> dt.date:
    """16 May of an academic year given in B.E. (``2569``) or C.E. (``2026``).

    >>> academic_year_start(2569)
    datetime.date(2026, 5, 16)
    """
    y = int(year)
    return dt.date(y - BE_OFFSET if y >= BE_YEAR_MIN else y, 5, 16)
