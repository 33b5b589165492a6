"""Vectorised parsing of what was read from DMC/EMIS files: Thai digits, headers, free text,
Buddhist-Era dates, sex, grades, numbers and titles.

Every ``parse_*`` / ``clean_*`` function takes a pandas Series (any dtype: text, numbers,
``datetime`` objects, missing values) and returns a Series aligned on the same index. Nothing
is guessed by pandas: dates in particular are always day-first and B.E. aware.

Thai text is normalised with NFKC, after which the vowel SARA AM (``ำ``), which NFKC splits
into NIKHAHIT + SARA AA, is put back together, so ``น้ำหนัก`` stays ``น้ำหนัก``.

>>> import pandas as pd
>>> parse_be_date(pd.Series(['10/06/2567', '๑/๒/๒๕๕๕', '2555-06-10 00:00:00', 'x'])).tolist()
[Timestamp('2024-06-10 00:00:00'), Timestamp('2012-02-01 00:00:00'), Timestamp('2012-06-10 00:00:00'), NaT]
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from obec_audit.schema import GRADES, TITLE_CANON

__all__ = [
    "THAI_DIGITS",
    "NA_TOKENS",
    "thai_digits_to_ascii",
    "normalize_header",
    "normalize_text",
    "clean_text",
    "parse_be_date",
    "parse_sex",
    "parse_grade",
    "parse_number",
    "canon_title",
    "strip_numbering",
    "BE_OFFSET",
]

#: str.translate table: Thai digits ๐–๙ → 0–9
from obec_audit.thaidate import THAI_DIGITS  # noqa: E402  (the one home)
#: B.E. = C.E. + 543
BE_OFFSET = 543
#: a year above this is Buddhist Era
_BE_THRESHOLD = 2400
#: text that means "nothing here" in a cell (compared after cleaning, case-insensitively)
NA_TOKENS: frozenset[str] = frozenset({"", "-", "--", "ไม่มี", "nan", "none", "null", "n/a", "#n/a"})

#: every character Python's ``str.strip()`` and ``\s`` treat as white space, as literal
#: characters: patterns written with them run in pyarrow's RE2, whose ``\s`` is ASCII only
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZW_RE = re.compile(f"[{_ZERO_WIDTH}]")
_WS_ALL_RE = re.compile(rf"[\s{_ZERO_WIDTH}]+")
# NFKC splits SARA AM (U+0E33) into NIKHAHIT (U+0E4D) + SARA AA (U+0E32); put it back
# (also when a tone mark was typed between them).
_SARA_AM_RE = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")


def _recompose_sara_am(s: str) -> str:
    return _SARA_AM_RE.sub("\\1\u0e33", s)


_NA_RESULT: dict = {}


def _by_unique(values: pd.Series, inner, key=None) -> pd.Series:
    """Apply a vectorised ``inner`` to the distinct values only, then spread back (a column
    of 20,000 grades holds a dozen distinct texts). An all-missing column costs nothing."""
    key = inner if key is None else key
    if len(values) == 0 or values.isna().all():
        if key not in _NA_RESULT:
            _NA_RESULT[key] = inner(pd.Series([None], dtype=object))
        na = _NA_RESULT[key]
        return pd.Series(na.iloc[0], index=values.index, dtype=na.dtype)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if len(uniques) * 2 > len(values):
        return inner(values)
    res = inner(pd.Series(uniques, dtype=values.dtype if values.dtype != object else object))
    out = res.take(np.where(codes < 0, 0, codes)) if len(res) else res.reindex(range(len(codes)))
    out = out.reset_index(drop=True)
    if (codes < 0).any():
        out[codes < 0] = inner(pd.Series([None], dtype=object)).iloc[0]
    out.index = values.index
    return out


def thai_digits_to_ascii(values):
    """Thai digits → ASCII digits, for a string or a Series.

    >>> thai_digits_to_ascii('ป.๓ เลขที่ ๑๒')
    'ป.3 เลขที่ 12'
    >>> thai_digits_to_ascii(pd.Series(['๒๕๖๗', None])).tolist()
    ['2567', <NA>]
    """
    if isinstance(values, pd.Series):
        return values.astype("string").str.translate(THAI_DIGITS)
    return str(values).translate(THAI_DIGITS)


def normalize_header(header) -> str:
    """A header as compared with the alias tables: NFKC, no whitespace or zero-width
    characters at all (``ชื่อ (อังกฤษ)`` and ``ชื่อ(อังกฤษ)`` are one header).

    >>> normalize_header(' ชื่อ (อังกฤษ) ')
    'ชื่อ(อังกฤษ)'
    >>> normalize_header('อายุ\\u200b (ปี)')
    'อายุ(ปี)'
    >>> normalize_header('น้ำหนัก') == 'น้ำหนัก'
    True
    >>> normalize_header(None)
    ''
    """
    if header is None or (isinstance(header, float) and np.isnan(header)):
        return ""
    s = unicodedata.normalize("NFKC", str(header))
    s = _WS_ALL_RE.sub("", s)
    return _recompose_sara_am(s)


def normalize_text(values: pd.Series) -> pd.Series:
    """NFKC, zero-width characters removed, SARA AM recomposed, inner whitespace collapsed,
    stripped. Missing stays ``<NA>``; nothing else is changed (``'-'`` stays).

    >>> normalize_text(pd.Series(['  สม\\u200bชาย   ใจดี ', None, '-'])).tolist()
    ['สมชาย ใจดี', <NA>, '-']
    """
    import pyarrow.compute as pc

    s = values.astype("string")
    a = to_arrow(s)
    # in pyarrow's C++ kernels; the white-space class is Python's, written out (RE2's is smaller)
    a = pc.utf8_normalize(a, "NFKC")
    a = pc.replace_substring_regex(a, _ZW_RE.pattern, "")
    a = pc.replace_substring_regex(a, _SARA_AM_RE.pattern, "\\1\u0e33")
    a = pc.replace_substring_regex(a, f"[{WHITESPACE}]+", " ")
    a = pc.replace_substring_regex(a, "^ | $", "")
    return from_arrow(a, s.index)


def to_arrow(s: pd.Series):
    """The pyarrow array behind a string Series."""
    import pyarrow as pa

    arr = getattr(s.array, "_pa_array", None)
    return arr if arr is not None else pa.array(s.astype(object).where(s.notna(), None), type=pa.string())


def from_arrow(a, index) -> pd.Series:
    """A string Series on ``index`` holding the pyarrow (chunked) array ``a``."""
    import pyarrow as pa

    if isinstance(a, pa.ChunkedArray):
        return pd.Series(pd.arrays.ArrowStringArray(a), index=index, dtype="string")
    return pd.Series(pd.array(a, dtype="string"), index=index)


def clean_text(values: pd.Series, na_tokens=NA_TOKENS) -> pd.Series:
    """Free text as the package keeps it: ``normalize_text``, then ``''``, ``'-'``, ``'ไม่มี'``
    (any of ``na_tokens``, case-insensitively) → ``<NA>``. Pass ``na_tokens={''}`` where a
    dash is a real value (e.g. วิทยฐานะ ``-``).

    >>> clean_text(pd.Series([' สมชาย ', '', '-', 'ไม่มี', None, 'บ้าน  เหนือ'])).tolist()
    ['สมชาย', <NA>, <NA>, <NA>, <NA>, 'บ้าน เหนือ']
    >>> clean_text(pd.Series(['-', ' ']), na_tokens={''}).tolist()
    ['-', <NA>]
    """
    tokens = frozenset(t.casefold() for t in na_tokens)
    return _by_unique(values, lambda v: _clean_text(v, tokens), key=("clean_text", tokens))


def _clean_text(values: pd.Series, tokens: frozenset[str]) -> pd.Series:
    import pyarrow.compute as pc

    s = normalize_text(values)
    # lower, not casefold: after NFKC the two agree on every token (ASCII and Thai)
    low = from_arrow(pc.utf8_lower(to_arrow(s)), s.index)
    return s.mask(low.isin(tokens).fillna(False).astype(bool) | s.isna())


def strip_numbering(values: pd.Series) -> pd.Series:
    """Remove list numbering in front of a label: ``'3. ครู'`` → ``'ครู'``.

    >>> strip_numbering(pd.Series(['3. ครู', '1) ผู้อำนวยการโรงเรียน', 'ครู', '-'])).tolist()
    ['ครู', 'ผู้อำนวยการโรงเรียน', 'ครู', <NA>]
    """
    s = clean_text(values)
    s = s.str.translate(THAI_DIGITS).str.replace(r"^\d+\s*[.)]\s*", "", regex=True).str.strip()
    return s.mask(s.eq(""))


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------
_TIME = r"(?:[ T]+\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?)?"
_DMY_RE = rf"^(?P<d>\d{{1,2}})\s*[/\-.]\s*(?P<m>\d{{1,2}})\s*[/\-.]\s*(?P<y>\d{{4}}){_TIME}$"
_YMD_RE = rf"^(?P<y>\d{{4}})\s*[/\-.]\s*(?P<m>\d{{1,2}})\s*[/\-.]\s*(?P<d>\d{{1,2}}){_TIME}$"
_THAI_MONTH_RE = r"^(?P<d>\d{1,2})\s*(?P<m>[ก-ฮ][ก-๙.]*)\s*(?:พ\.?\s*ศ\.?)?\s*(?P<y>\d{4})$"
_SERIAL_RE = r"^(?P<n>\d{5,7})(?:\.0+)?$"

_THAI_MONTHS: dict[str, int] = {}
for _i, (_full, _abbr) in enumerate(
    [
        ("มกราคม", "ม.ค."), ("กุมภาพันธ์", "ก.พ."), ("มีนาคม", "มี.ค."), ("เมษายน", "เม.ย."),
        ("พฤษภาคม", "พ.ค."), ("มิถุนายน", "มิ.ย."), ("กรกฎาคม", "ก.ค."), ("สิงหาคม", "ส.ค."),
        ("กันยายน", "ก.ย."), ("ตุลาคม", "ต.ค."), ("พฤศจิกายน", "พ.ย."), ("ธันวาคม", "ธ.ค."),
    ],
    start=1,
):
    _THAI_MONTHS[_full] = _i
    _THAI_MONTHS[_abbr] = _i
    _THAI_MONTHS[_abbr.replace(".", "")] = _i

#: Excel's day 0 (the 1900 system, with its fictitious 29 Feb 1900 already absorbed)
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
#: serial numbers accepted as dates: 1927-05-18 … 9999-12-31 (5 to 7 digits)
_SERIAL_MIN, _SERIAL_MAX = 10_000, 2_958_465


def parse_be_date(values: pd.Series) -> pd.Series:
    """Dates as read → ``datetime64[ns]`` in C.E. (``NaT`` when unreadable).

    Accepted: ``DD/MM/YYYY`` and ``D/M/YYYY`` (also ``-`` or ``.`` as separators, Thai
    digits, a trailing time) — always **day first**, never month-first; ``YYYY-MM-DD``
    (with an optional time, the text form of an Excel date cell); ``10 มิ.ย. 2567`` with a
    Thai month name; ``datetime``/``date`` objects; Excel serial numbers (5–7 digits, the
    form a date cell takes when Excel was told it is a number). A year above 2400 is B.E.
    and 543 is taken off; anything else is C.E. Two-digit years, impossible dates (31/02),
    month-first dates (06/13/2567) and any other text give ``NaT``.

    >>> s = pd.Series(['10/06/2567', '1/2/2555', '2555-06-10', '2012-06-10 00:00:00',
    ...                '06/13/2567', '31/02/2567', '10/06/67', '', None, '-'])
    >>> [str(d.date()) if pd.notna(d) else None for d in parse_be_date(s)]
    ['2024-06-10', '2012-02-01', '2012-06-10', '2012-06-10', None, None, None, None, None, None]
    >>> import datetime as dt
    >>> parse_be_date(pd.Series([dt.datetime(2555, 6, 10), dt.date(2012, 6, 10)])).dt.date.tolist()
    [datetime.date(2012, 6, 10), datetime.date(2012, 6, 10)]
    >>> parse_be_date(pd.Series(['10 มิถุนายน 2567', '๑๐ มิ.ย. ๒๕๖๗'])).dt.date.tolist()
    [datetime.date(2024, 6, 10), datetime.date(2024, 6, 10)]
    >>> parse_be_date(pd.Series(['41070', '239396.0'])).dt.date.tolist()  # Excel serials
    [datetime.date(2012, 6, 10), datetime.date(2012, 6, 10)]
    """
    return _by_unique(values, _parse_be_date)


def _parse_be_date(values: pd.Series) -> pd.Series:
    index = values.index
    if len(values) == 0:
        return pd.Series(pd.to_datetime([]), index=index, dtype="datetime64[ns]")
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        s = values.dt.strftime("%Y-%m-%d").astype("string")
    elif values.dtype == object:
        # datetime/date objects (calamine gives datetime.datetime for date cells) → ISO text
        s = values.copy()
        isdate = s.map(lambda v: hasattr(v, "year") and hasattr(v, "day")).astype(bool)
        if isdate.any():
            s[isdate] = s[isdate].map(_iso_of)
        s = s.astype("string")
    else:
        s = values.astype("string")
    s = normalize_text(s).str.translate(THAI_DIGITS)

    day = pd.Series(np.nan, index=index)
    month = pd.Series(np.nan, index=index)
    year = pd.Series(np.nan, index=index)
    for pattern in (_DMY_RE, _YMD_RE):
        m = s.str.extract(pattern)
        hit = m["y"].notna() & day.isna()
        day = day.mask(hit, pd.to_numeric(m["d"], errors="coerce"))
        month = month.mask(hit, pd.to_numeric(m["m"], errors="coerce"))
        year = year.mask(hit, pd.to_numeric(m["y"], errors="coerce"))
    # Thai month names
    m = s.str.extract(_THAI_MONTH_RE)
    mon = m["m"].str.replace(" ", "", regex=False).map(_THAI_MONTHS)
    mon = pd.to_numeric(mon, errors="coerce")
    hit = mon.notna() & day.isna()
    day = day.mask(hit, pd.to_numeric(m["d"], errors="coerce"))
    month = month.mask(hit, mon)
    year = year.mask(hit, pd.to_numeric(m["y"], errors="coerce"))
    # Excel serial numbers
    n = pd.to_numeric(s.str.extract(_SERIAL_RE)["n"], errors="coerce")
    hit = n.between(_SERIAL_MIN, _SERIAL_MAX) & day.isna()
    if hit.any():
        days = _EXCEL_EPOCH + n[hit].astype("int64").to_numpy().astype("timedelta64[D]")
        y = days.astype("datetime64[Y]").astype("int64") + 1970
        mo = days.astype("datetime64[M]").astype("int64") % 12 + 1
        d = (days - days.astype("datetime64[M]").astype("datetime64[D]")).astype("int64") + 1
        year[hit] = y
        month[hit] = mo
        day[hit] = d

    year = year.where(year <= _BE_THRESHOLD, year - BE_OFFSET)
    # keep to what datetime64[ns] can hold
    ok = year.between(1678, 2261) & month.between(1, 12) & day.between(1, 31)
    parts = pd.DataFrame(
        {"year": year.where(ok), "month": month.where(ok), "day": day.where(ok)}, index=index
    )
    out = pd.to_datetime(parts, errors="coerce")
    return out.astype("datetime64[ns]")


def _iso_of(v) -> str:
    """ISO text of a date/datetime object (any year, B.E. years included)."""
    return f"{v.year:04d}-{v.month:02d}-{v.day:02d}"


# --------------------------------------------------------------------------------------
# Sex, grade, numbers, titles
# --------------------------------------------------------------------------------------
_SEX_MAP: dict[str, str] = {
    **dict.fromkeys(["ชาย", "ช", "ผู้ชาย", "เพศชาย", "m", "male", "man", "boy"], "M"),
    **dict.fromkeys(["หญิง", "ญ", "ผู้หญิง", "เพศหญิง", "f", "female", "woman", "girl"], "F"),
}


def parse_sex(values: pd.Series) -> pd.Series:
    """Sex as written → ``'M'`` / ``'F'`` / ``<NA>``.

    >>> parse_sex(pd.Series(['ชาย', 'หญิง', 'ช', 'ญ.', ' M ', 'female', 'ช.', '1', '', None])).tolist()
    ['M', 'F', 'M', 'F', 'M', 'F', 'M', <NA>, <NA>, <NA>]
    """
    return _by_unique(values, _parse_sex)


def _parse_sex(values: pd.Series) -> pd.Series:
    s = normalize_text(values).str.casefold().str.replace(r"[\s.]", "", regex=True)
    return s.map(_SEX_MAP).astype("string")


_GRADE_PATTERNS: list[tuple[str, str, int]] = [
    # (regex on the compacted text, canonical prefix, highest number)
    (r"(?:อ|อบ|อนุบาล(?:ปีที่)?|k|kg)\.?(\d)", "อ.", 3),
    (r"(?:ป|ประถม(?:ศึกษา)?(?:ปีที่)?|p)\.?(\d)", "ป.", 6),
    (r"(?:ม|มัธยม(?:ศึกษา)?(?:ปีที่)?|m)\.?(\d)", "ม.", 6),
    (r"ปวช\.?(?:ปีที่)?(\d)", "ปวช.", 3),
]


def parse_grade(values: pd.Series) -> pd.Series:
    """Grade as written → a label of ``schema.GRADES`` or ``<NA>``.

    Accepts ``ป.3``, ``ป. 3``, ``ป3``, ``ประถมศึกษาปีที่ 3``, ``อ.2``, ``อบ.2``, ``อนุบาล 2``,
    ``อนุบาลปีที่ 2``, ``ม.1``, ``มัธยมศึกษาปีที่ 1``, ``ปวช.1``, Thai digits, a room after a
    slash (``ป.3/1``) and ``P3``/``M1``/``K2``. Pre-kindergarten (``อ.3 ขวบ``, ``เตรียมอนุบาล``)
    is not a grade of ``schema.GRADES``: it gives ``<NA>`` (keep the text in ``grade_raw``).

    >>> parse_grade(pd.Series(['ป.3', 'ป. 3', 'ป3', 'ประถมศึกษาปีที่ ๓', 'อ.2', 'อบ.2', 'อนุบาล 2',
    ...                        'อนุบาลปีที่ 2', 'ม.1', 'มัธยมศึกษาปีที่ 1', 'ปวช.1', 'ป.3/1'])).tolist()
    ['ป.3', 'ป.3', 'ป.3', 'ป.3', 'อ.2', 'อ.2', 'อ.2', 'อ.2', 'ม.1', 'ม.1', 'ปวช.1', 'ป.3']
    >>> parse_grade(pd.Series(['อ.3 ขวบ', 'เตรียมอนุบาล', 'ป.7', 'อ.4', 'รวม อบ.', '', None])).tolist()
    [<NA>, <NA>, <NA>, <NA>, <NA>, <NA>, <NA>]
    """
    return _by_unique(values, _parse_grade)


def _parse_grade(values: pd.Series) -> pd.Series:
    s = normalize_text(values).str.translate(THAI_DIGITS).str.casefold()
    s = s.str.replace(r"\s+", "", regex=True).str.replace(r"/\d+$", "", regex=True)
    out = pd.Series(pd.NA, index=values.index, dtype="string")
    for pattern, prefix, top in _GRADE_PATTERNS:
        n = pd.to_numeric(s.str.extract(f"^{pattern}$")[0], errors="coerce")
        hit = n.between(1, top) & out.isna()
        out = out.mask(hit, prefix + n.astype("Int64").astype("string"))
    return out.where(out.isin(GRADES)).astype("string")


_UNIT_RE = r"(?:กก|กิโลกรัม|kg|ซม|เซนติเมตร|cm|ม|เมตร|m|บาท|นาที|ปี|ห้อง|หลัง|เครื่อง|ชุด)\.?"


def parse_number(values: pd.Series) -> pd.Series:
    """Numbers as written → float (``NaN`` when empty, ``-``, ``ไม่มี`` or not a number).
    Thai digits, thousands separators and a trailing unit (``35 กก.``) are accepted; ``0``
    stays ``0.0``; a negative or fractional number is returned as such (checks decide).

    >>> parse_number(pd.Series(['0', '-', 'ไม่มี', '', '๓๕', '1,234.5', '35 กก.', '-3', '2.5', 'abc', None])).tolist()
    [0.0, nan, nan, nan, 35.0, 1234.5, 35.0, -3.0, 2.5, nan, nan]
    >>> parse_number(pd.Series([12, 3.5])).tolist()
    [12.0, 3.5]
    """
    return _by_unique(values, _parse_number)


def _parse_number(values: pd.Series) -> pd.Series:
    s = clean_text(values)
    s = s.str.translate(THAI_DIGITS).str.replace(r"(?<=\d),(?=\d{3})", "", regex=True)
    s = s.str.replace(rf"\s*{_UNIT_RE}$", "", regex=True).str.replace(" ", "", regex=False)
    s = s.where(s.str.fullmatch(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?").fillna(False).astype(bool))
    return pd.to_numeric(s, errors="coerce").astype("float64")


_TITLE_KEYS: dict[str, str] = {k.replace(" ", ""): v for k, v in TITLE_CANON.items()}


def canon_title(values: pd.Series) -> pd.Series:
    """Titles in their canonical spelling (``schema.TITLE_CANON``): ``ด.ช.`` → ``เด็กชาย``;
    spaces inside abbreviations are ignored; other titles are kept cleaned.

    >>> canon_title(pd.Series(['ด.ช.', 'ด. ญ.', 'น.ส.', 'เด็กชาย', ' นาย ', '', None])).tolist()
    ['เด็กชาย', 'เด็กหญิง', 'นางสาว', 'เด็กชาย', 'นาย', <NA>, <NA>]
    """
    return _by_unique(values, _canon_title)


def _canon_title(values: pd.Series) -> pd.Series:
    s = clean_text(values)
    key = s.str.replace(" ", "", regex=False)
    mapped = key.map(_TITLE_KEYS)
    return mapped.fillna(s).astype("string")
