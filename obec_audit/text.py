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

import datetime as dt
import re
import unicodedata

import numpy as np
import pandas as pd

from obec_audit.schema import GRADES, TITLE_CANON, TITLES_FEMALE, TITLES_MALE

__all__ = [
    "THAI_DIGITS",
    "NA_TOKENS",
    "thai_digits_to_ascii",
    "normalize_header",
    "normalize_text",
    "clean_text",
    "parse_be_date",
    "be_date_problem",
    "CE_YEAR_MAX",
    "TWO_DIGIT_MIN_AGE",
    "TWO_DIGIT_MAX_AGE",
    "parse_sex",
    "parse_grade",
    "grade_problem",
    "SEX_CANON",
    "TITLE_FORMS",
    "TITLE_SEX",
    "parse_number",
    "canon_title",
    "strip_numbering",
    "BE_OFFSET",
]

#: the one home of Thai digits, month names and the era offset (B.E. = C.E. + 543)
from obec_audit.thaidate import (  # noqa: E402
    BE_OFFSET,
    BE_YEAR_MIN,
    THAI_DIGITS,
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
)
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
    s = values.astype("string")
    return from_arrow(_normalize_arrow(to_arrow(s)), s.index)


# Text ``normalize_text`` leaves as it is: printable ASCII and Thai characters NFKC keeps
# (all but NIKHAHIT; SARA AM is split by NFKC and put back whole), words parted by single
# spaces, no space at either end — and no two marks NFKC might reorder side by side.
_STABLE_CHAR = "!-~\u0e01-\u0e37\u0e3b-\u0e47\u0e4c\u0e4e-\u0e5b"
_MARK = "\u0e38-\u0e3a\u0e48-\u0e4b"  # the Thai marks with a combining class
_STABLE_RE = f"^[{_STABLE_CHAR}{_MARK}]+(?: [{_STABLE_CHAR}{_MARK}]+)*$"
_MARK_PAIR_RE = f"[{_MARK}][{_MARK}]"


def _normalize_arrow(a):
    """``normalize_text`` on a pyarrow string array. Most names and places are already in
    normal form (``_STABLE_RE``: two pattern matches find them); the five rewriting passes run
    on the others only (1 M students' surnames: ≈ 4x less work). A test holds the two paths
    equal on any text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    a = a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a
    if len(a) < 64:
        return _normalize_all(a)
    stable = pc.and_not(pc.match_substring_regex(a, _STABLE_RE), pc.match_substring_regex(a, _MARK_PAIR_RE))
    redo = pc.invert(stable.fill_null(True))
    if not pc.any(redo).as_py():
        return a
    return pc.replace_with_mask(a, redo, _normalize_all(a.filter(redo)).cast(a.type))


def _normalize_all(a):
    """``normalize_text``'s five passes, in pyarrow's C++ kernels; the white-space class is
    Python's, written out (RE2's is smaller)."""
    import pyarrow.compute as pc

    a = pc.utf8_normalize(a, "NFKC")
    a = pc.replace_substring_regex(a, _ZW_RE.pattern, "")
    a = pc.replace_substring_regex(a, _SARA_AM_RE.pattern, "\\1\u0e33")
    a = pc.replace_substring_regex(a, f"[{WHITESPACE}]+", " ")
    return pc.replace_substring_regex(a, "^ | $", "")


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
_SEP = r"\s*[/\-.]\s*"
_DMY_RE = rf"^(?P<d>\d{{1,2}}){_SEP}(?P<m>\d{{1,2}}){_SEP}(?P<y>\d{{4}}|\d{{2}}){_TIME}$"
_YMD_RE = rf"^(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}}){_SEP}(?P<d>\d{{1,2}}){_TIME}$"
# a month name: starts with a consonant or a leading vowel (เ of เม.ย.), may be split once by a
# space (``มิ. ย.``); era words and a ``วันที่`` prefix are removed before matching
_MONTH_TOKEN = "[\u0e01-\u0e2e\u0e40-\u0e44][\u0e01-\u0e4e.]*(?: [\u0e01-\u0e2e][\u0e01-\u0e4e.]*)?"
_THAI_MONTH_RE = rf"^(?P<d>\d{{1,2}})[ /\-]*(?P<m>{_MONTH_TOKEN})[ /\-]*(?P<y>\d{{4}}|\d{{2}})$"
_ERA_RE = r"(?:พ\.?\s*ศ\.?|ค\.?\s*ศ\.?)"
_DAY_PREFIX_RE = r"^วัน[\u0e01-\u0e4e]*ที่\s*"
_SERIAL_RE = r"^(?P<n>\d{5,7})(?:\.0+)?$"


def _month_numbers() -> dict[str, int]:
    """Month name (dots and spaces removed) → 1–12, from ``thaidate``'s lists: the full name,
    the abbreviation, and the spoken short form (``มิถุนา``, ``เมษา``, ``กุมภา``)."""
    out: dict[str, int] = {}
    for i, (full, abbr) in enumerate(zip(THAI_MONTHS, THAI_MONTHS_ABBR), start=1):
        out[full] = out[abbr.replace(".", "")] = i
        out[re.sub("(?:คม|ยน|พันธ์)$", "", full)] = i
    return out


_MONTH_NUMBER = _month_numbers()

#: Excel's day 0 (the 1900 system, with its fictitious 29 Feb 1900 already absorbed)
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
#: serial numbers accepted as dates: 1927-05-18 … 9999-12-31 (5 to 7 digits)
_SERIAL_MIN, _SERIAL_MAX = 10_000, 2_958_465
#: a 4-digit year up to this is C.E.; from ``thaidate.BE_YEAR_MIN`` (2400) on, B.E.; a year
#: between the two is neither and is never guessed
CE_YEAR_MAX = 2100
#: a 2-digit year is read as B.E. 25yy or C.E. 20yy only when exactly one of the two gives a
#: pupil's age (in years, at the reference date) within these bounds
TWO_DIGIT_MIN_AGE, TWO_DIGIT_MAX_AGE = 1, 25


def _text_of(values: pd.Series) -> pd.Series:
    """Date cells as text: ``datetime`` objects → ISO, Thai digits → ASCII, cleaned."""
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
    return normalize_text(s).str.translate(THAI_DIGITS)


def _num(values: pd.Series) -> pd.Series:
    """Numbers of a text Series as plain float64 (NaN, never <NA>)."""
    n = pd.to_numeric(values, errors="coerce")
    return pd.Series(np.asarray(n.to_numpy(dtype=float, na_value=np.nan)), index=values.index)


def _date_parts(values: pd.Series, ref: dt.date | None) -> pd.DataFrame:
    """Per value: ``year`` (C.E.), ``month``, ``day`` (NaN when not decided) and ``problem``
    (a code, '' when the parts make a date or the cell is empty)."""
    index = values.index
    s = _text_of(values)
    nan = lambda: pd.Series(np.nan, index=index)  # noqa: E731
    day, month, year, ylen = nan(), nan(), nan(), nan()
    for pattern in (_DMY_RE, _YMD_RE):
        m = s.str.extract(pattern)
        hit = m["y"].notna() & day.isna()
        day = day.mask(hit, _num(m["d"]))
        month = month.mask(hit, _num(m["m"]))
        year = year.mask(hit, _num(m["y"]))
        ylen = ylen.mask(hit, _num(m["y"].str.len()))
    # Thai month names (era words and a "วันที่" prefix dropped first)
    t = s.str.replace(_ERA_RE, " ", regex=True).str.replace(_DAY_PREFIX_RE, "", regex=True)
    t = t.str.replace(r"\s+", " ", regex=True).str.strip()
    m = t.str.extract(_THAI_MONTH_RE)
    named = m["y"].notna() & day.isna()
    mon = _num(m["m"].str.replace(r"[.\s]", "", regex=True).map(_MONTH_NUMBER))
    unknown_month = named & mon.isna()
    day = day.mask(named, _num(m["d"]))
    month = month.mask(named, mon)
    year = year.mask(named, _num(m["y"]))
    ylen = ylen.mask(named, _num(m["y"].str.len()))
    # Excel serial numbers
    n = _num(s.str.extract(_SERIAL_RE)["n"])
    hit = n.between(_SERIAL_MIN, _SERIAL_MAX) & day.isna() & ~named
    if hit.any():
        days = _EXCEL_EPOCH + n[hit].astype("int64").to_numpy().astype("timedelta64[D]")
        year[hit] = days.astype("datetime64[Y]").astype("int64") + 1970
        month[hit] = days.astype("datetime64[M]").astype("int64") % 12 + 1
        day[hit] = (days - days.astype("datetime64[M]").astype("datetime64[D]")).astype("int64") + 1
        ylen[hit] = 4

    prob = pd.Series("", index=index, dtype=object)
    blank = s.isna() | s.str.casefold().isin(NA_TOKENS).fillna(False).astype(bool)
    matched = year.notna()
    prob[~blank & ~matched] = "format"
    prob[~blank & ~matched & s.str.fullmatch(r"\d{4}").fillna(False).astype(bool)] = "year-only"
    incomplete = s.str.fullmatch(r"\d{1,4}(?:\s*[/\-.]\s*\d{0,4}){1,2}\s*[/\-.]?").fillna(False).astype(bool)
    prob[~blank & ~matched & incomplete] = "incomplete"
    prob[unknown_month] = "month-name"

    # the year's era
    ce = pd.Series(np.nan, index=index)
    four = ylen.eq(4)
    ce = ce.mask(four & year.ge(BE_YEAR_MIN), year - BE_OFFSET)
    ce = ce.mask(four & year.le(CE_YEAR_MAX), year)
    prob[four & year.gt(CE_YEAR_MAX) & year.lt(BE_YEAR_MIN)] = "year-no-era"
    two = ylen.eq(2)
    if two.any():
        ref_year = (ref or dt.date.today()).year
        be, ad = 1957 + year, 2000 + year  # B.E. 25yy and C.E. 20yy as C.E. years
        ok_be = (ref_year - be).between(TWO_DIGIT_MIN_AGE, TWO_DIGIT_MAX_AGE)
        ok_ad = (ref_year - ad).between(TWO_DIGIT_MIN_AGE, TWO_DIGIT_MAX_AGE)
        ce = ce.mask(two & ok_be & ~ok_ad, be).mask(two & ok_ad & ~ok_be, ad)
        prob[two & ok_be & ok_ad] = "two-digit-both"
        prob[two & ~ok_be & ~ok_ad] = "two-digit-none"
    ok = ce.between(1678, 2261) & month.between(1, 12) & day.between(1, 31)
    prob[matched & prob.eq("") & ~month.between(1, 12)] = "month"
    prob[matched & prob.eq("") & ~ok] = "range"
    parts = pd.DataFrame({"year": ce.where(ok), "month": month.where(ok), "day": day.where(ok)}, index=index)
    date = pd.to_datetime(parts, errors="coerce")
    prob[ok & date.isna()] = "day"
    return pd.DataFrame({"date": date.astype("datetime64[ns]"), "problem": prob, "day": day,
                         "month": month, "year": year, "ylen": ylen, "month_name": m["m"]}, index=index)


def parse_be_date(values: pd.Series, ref: dt.date | None = None) -> pd.Series:
    """Dates as read → ``datetime64[ns]`` in C.E. (``NaT`` when unreadable).

    Accepted: ``DD/MM/YYYY`` and ``D/M/YYYY`` (also ``-`` or ``.`` as separators, Thai
    digits, a trailing time) — always **day first**, never month-first; ``YYYY-MM-DD``
    (with an optional time, the text form of an Excel date cell); a Thai month name, full,
    abbreviated or spoken (``10 มิ.ย. 2567``, ``10 เมษายน พ.ศ. 2567``, ``10 มิถุนา 67``);
    ``datetime``/``date`` objects (Excel date cells, B.E. or C.E. years); Excel serial numbers
    (5–7 digits). A year from 2400 (``thaidate.BE_YEAR_MIN``) is B.E.; up to ``CE_YEAR_MAX``
    (2100) C.E.; between the two it is neither and gives ``NaT``. A 2-digit year is B.E.
    25yy or C.E. 20yy when exactly one of the two makes a pupil's age at ``ref`` (default
    today) lie within ``TWO_DIGIT_MIN_AGE``–``TWO_DIGIT_MAX_AGE``; otherwise ``NaT``.
    Impossible dates (31/02), month-first dates (06/13/2567) and other text give ``NaT``;
    ``be_date_problem`` says why.

    >>> s = pd.Series(['10/06/2567', '1/2/2555', '2555-06-10', '2012-06-10 00:00:00',
    ...                '06/13/2567', '31/02/2567', '10/06/67', '10/06/2300', None, '-'])
    >>> [str(d.date()) if pd.notna(d) else None for d in parse_be_date(s, ref=dt.date(2026, 6, 10))]
    ['2024-06-10', '2012-02-01', '2012-06-10', '2012-06-10', None, None, '2024-06-10', None, None, None]
    >>> import datetime as dt
    >>> parse_be_date(pd.Series([dt.datetime(2555, 6, 10), dt.date(2012, 6, 10)])).dt.date.tolist()
    [datetime.date(2012, 6, 10), datetime.date(2012, 6, 10)]
    >>> parse_be_date(pd.Series(['10 มิถุนายน 2567', '๑๐ มิ.ย. ๒๕๖๗', '3 เม.ย. 2560'])).dt.date.tolist()
    [datetime.date(2024, 6, 10), datetime.date(2024, 6, 10), datetime.date(2017, 4, 3)]
    >>> parse_be_date(pd.Series(['41070', '239396.0'])).dt.date.tolist()  # Excel serials
    [datetime.date(2012, 6, 10), datetime.date(2012, 6, 10)]
    """
    return _by_unique(values, lambda v: _date_parts(v, ref)["date"], key=("parse_be_date", ref))


def be_date_problem(values: pd.Series, ref: dt.date | None = None) -> pd.Series:
    """Why each date of ``values`` could not be read, in Thai for officers ('' where it was
    read or the cell is empty). ``ref`` as in ``parse_be_date``.

    >>> be_date_problem(pd.Series(['10/06/2567', '31/02/2567', '10/06/2300', '', '10 มีนาคา 2567']),
    ...                 ref=dt.date(2026, 6, 10)).tolist()[:2]
    ['', 'วันที่ 31 ไม่มีในเดือนกุมภาพันธ์']
    """
    return _by_unique(values, lambda v: _problem_text(_date_parts(v, ref)), key=("be_date_problem", ref))


def _problem_text(p: pd.DataFrame) -> pd.Series:
    code = p["problem"]
    num = lambda c: pd.to_numeric(p[c], errors="coerce").astype("Int64").astype("string").fillna("")  # noqa: E731
    d, m, y = num("day"), num("month"), num("year")
    yy = y.str.zfill(2)
    month_th = pd.to_numeric(p["month"], errors="coerce").astype(float).map(
        dict(enumerate(THAI_MONTHS, start=1))).astype("string").fillna("")
    out = pd.Series("", index=p.index, dtype="string")
    texts = {
        "format": pd.Series("ไม่ใช่รูปแบบวันที่ที่รู้จัก เช่น วว/ดด/ปปปป หรือ วันที่ ชื่อเดือน ปี", index=p.index),
        "year-only": pd.Series("มีแต่ปี ไม่มีวันและเดือน", index=p.index),
        "incomplete": pd.Series("วันที่ไม่ครบ ต้องมีวัน เดือน และปี", index=p.index),
        "month-name": "ไม่รู้จักชื่อเดือน '" + p["month_name"].astype("string").fillna("") + "'",
        "year-no-era": "ปี " + y + " ไม่ใช่ปี พ.ศ. ซึ่งเริ่มที่ 2400 และไม่ใช่ปี ค.ศ. ที่เป็นไปได้ จึงไม่เดาว่าเป็นปีใด",
        "two-digit-both": "ปีมีเพียง 2 หลัก (" + yy + ") อ่านได้ทั้ง พ.ศ. 25" + yy + " และ ค.ศ. 20" + yy
        + " จึงไม่เดาว่าเป็นปีใด",
        "two-digit-none": "ปีมีเพียง 2 หลัก (" + yy + ") ทั้ง พ.ศ. 25" + yy + " และ ค.ศ. 20" + yy
        + " ให้อายุที่ไม่ใช่อายุนักเรียน จึงไม่เดาว่าเป็นปีใด",
        "month": "เดือน " + m + " ไม่มีจริง ต้องเป็น 1–12"
        + pd.Series(np.where(p["day"].le(12), " อาจกรอกเดือนไว้หน้าวันแบบ ค.ศ. อเมริกัน", ""), index=p.index),
        "range": "ปี " + y + " เป็นไปไม่ได้",
        "day": "วันที่ " + d + " ไม่มีในเดือน" + month_th,
    }
    for k, text in texts.items():
        out = out.mask(code.eq(k), text)
    return out.astype("string")


def _iso_of(v) -> str:
    """ISO text of a date/datetime object (any year, B.E. years included)."""
    return f"{v.year:04d}-{v.month:02d}-{v.day:02d}"


# --------------------------------------------------------------------------------------
# Sex, grade, numbers, titles
# --------------------------------------------------------------------------------------
#: sex as schools write it (lower case, spaces and dots removed) → ``'M'`` / ``'F'``; ``1`` and
#: ``2`` are DMC's codes (1 male, 2 female)
SEX_CANON: dict[str, str] = {
    **dict.fromkeys(["ชาย", "ช", "ผู้ชาย", "เพศชาย", "m", "male", "man", "boy", "1"], "M"),
    **dict.fromkeys(["หญิง", "ญ", "ผู้หญิง", "เพศหญิง", "f", "female", "woman", "girl", "2"], "F"),
}


def parse_sex(values: pd.Series) -> pd.Series:
    """Sex as written → ``'M'`` / ``'F'`` / ``<NA>`` (``SEX_CANON``; ``1``/``2`` as DMC codes,
    also from a number cell ``1.0``).

    >>> parse_sex(pd.Series(['ชาย', 'หญิง', 'ช', 'ญ.', ' M ', 'female', 'ช.', '1', '2.0', '3', '', None])).tolist()
    ['M', 'F', 'M', 'F', 'M', 'F', 'M', 'M', 'F', <NA>, <NA>, <NA>]
    """
    return _by_unique(values, _parse_sex)


def _parse_sex(values: pd.Series) -> pd.Series:
    s = normalize_text(values).str.casefold().str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
    s = s.str.replace(r"[\s.]", "", regex=True)
    return s.map(SEX_CANON).astype("string")


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
    s = s.str.replace(r"\s+", "", regex=True).str.replace(r"^ชั้น(?:เรียน)?", "", regex=True)
    # a room after the grade: ป.3/1, ป.3 ห้อง 1, ป.3(1)
    s = s.str.replace(r"(?:/|ห้อง(?:ที่)?|\()\.?\d+\)?$", "", regex=True)
    out = pd.Series(pd.NA, index=values.index, dtype="string")
    for pattern, prefix, top in _GRADE_PATTERNS:
        n = pd.to_numeric(s.str.extract(f"^{pattern}$")[0], errors="coerce")
        hit = n.between(1, top) & out.isna()
        out = out.mask(hit, prefix + n.astype("Int64").astype("string"))
    return out.where(out.isin(GRADES)).astype("string")


#: pre-kindergarten as schools write it: not a DMC grade, noted rather than mapped to อ.1–อ.3
_PRE_K_RE = r"เตรียมอนุบาล|ก่อนอนุบาล|ศูนย์เด็กเล็ก|เด็กเล็ก|\dขวบ|pre-?k|nursery"


def grade_problem(values: pd.Series) -> pd.Series:
    """Why a grade was not read, in Thai ('' where it was, or the cell is empty, or no
    specific reason is known): pre-kindergarten is named as such, never mapped to อ.1.

    >>> grade_problem(pd.Series(['ป.1', 'เตรียมอนุบาล', 'อ.3 ขวบ', 'ป.7', None])).tolist()[:3]
    ['', 'ชั้นเตรียมอนุบาล (ก่อน อ.1) ไม่ใช่ชั้นเรียนใน DMC หากเด็กเรียน อ.1–อ.3 ให้แก้ชั้นให้ตรง', 'ชั้นเตรียมอนุบาล (ก่อน อ.1) ไม่ใช่ชั้นเรียนใน DMC หากเด็กเรียน อ.1–อ.3 ให้แก้ชั้นให้ตรง']
    """
    def inner(v: pd.Series) -> pd.Series:
        s = normalize_text(v).str.translate(THAI_DIGITS).str.casefold().str.replace(r"\s+", "", regex=True)
        pre_k = s.str.contains(_PRE_K_RE, regex=True).fillna(False).astype(bool) & _parse_grade(v).isna()
        out = pd.Series("", index=v.index, dtype="string")
        return out.mask(pre_k, "ชั้นเตรียมอนุบาล (ก่อน อ.1) ไม่ใช่ชั้นเรียนใน DMC หากเด็กเรียน อ.1–อ.3 ให้แก้ชั้นให้ตรง")

    return _by_unique(values, inner)


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


def _title_key(text: str) -> str:
    return re.sub(r"[\s.]", "", text).casefold()


#: titles as schools type them, compared without spaces, dots or case (``ดช``, ``ด ญ``,
#: ``เด็ก ชาย``, ``Mr``) → canonical spelling. English forms with one Thai equivalent are
#: translated (Master → เด็กชาย, Mr → นาย, Mrs → นาง); ``Miss``/``Ms`` (เด็กหญิง or นางสาว,
#: by age) are kept as read.
TITLE_FORMS: dict[str, str] = {
    **{_title_key(k): v for k, v in TITLE_CANON.items()},
    **{_title_key(v): v for v in TITLES_MALE | TITLES_FEMALE | set(TITLE_CANON.values())},
    **{_title_key(v): TITLE_CANON.get(v, v) for v in TITLES_MALE | TITLES_FEMALE},
    "master": "เด็กชาย", "mstr": "เด็กชาย", "mr": "นาย", "mrs": "นาง", "miss": "Miss", "ms": "Ms.",
}
#: the sex every canonical title implies (English titles kept as read included)
TITLE_SEX: dict[str, str] = {
    **dict.fromkeys(TITLES_MALE, "M"), **dict.fromkeys(TITLES_FEMALE, "F"),
    **{k: ("M" if v in TITLES_MALE else "F") for k, v in TITLE_CANON.items()},
    "Miss": "F", "Ms.": "F",
}


def canon_title(values: pd.Series) -> pd.Series:
    """Titles in their canonical spelling (``TITLE_FORMS``): ``ด.ช.``, ``ดช``, ``ด ช`` →
    ``เด็กชาย``; unknown titles are kept cleaned.

    >>> canon_title(pd.Series(['ด.ช.', 'ด. ญ.', 'น.ส.', 'เด็กชาย', ' นาย ', 'ดช', 'ด ญ', 'Master',
    ...                        'Mr.', 'miss', 'คุณ', '', None])).tolist()
    ['เด็กชาย', 'เด็กหญิง', 'นางสาว', 'เด็กชาย', 'นาย', 'เด็กชาย', 'เด็กหญิง', 'เด็กชาย', 'นาย', 'Miss', 'คุณ', <NA>, <NA>]
    """
    return _by_unique(values, _canon_title)


def _canon_title(values: pd.Series) -> pd.Series:
    s = clean_text(values)
    key = s.str.replace(r"[\s.]", "", regex=True).str.casefold()
    mapped = key.map(TITLE_FORMS)
    return mapped.fillna(s).astype("string")
