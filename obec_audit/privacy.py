"""One home for masking personal identifiers on screen and in shared files (PDPA).

One style everywhere: an identifier keeps its first and last character and every digit between
them becomes ``x``; separators inside it (dashes, spaces) are dropped::

    1101700230708      → 1xxxxxxxxxxx8
    1-1017-00230-70-8  → 1xxxxxxxxxxx8
    G644200000001      → Gxxxxxxxxxxx1
    570149302491       → 5xxxxxxxxxx1   (a 12-digit ID that lost its leading 0)

What counts as an identifier: any run of 9 or more digits (separators allowed between digits),
with or without a leading ``G``, wherever it stands in a text; numbers written in scientific
notation by Excel (``1.57013E+12``) are masked too, since their leading digits are an ID's.
Shorter numbers (rooms, counts, dates, school codes of 8 digits) are left as they are.

``mask_text`` masks free text (values, messages, group keys), ``mask_ids`` an ID column, and
``mask_frame`` every ID-bearing and free-text column of a table about to be shown.

>>> mask_text('เลข 1101700230708 ซ้ำกับ G644200000001 (ห้อง 2)')
'เลข 1xxxxxxxxxxx8 ซ้ำกับ Gxxxxxxxxxxx1 (ห้อง 2)'
>>> mask_text('1-1017-00230-70-8')
'1xxxxxxxxxxx8'
>>> mask_text('570149302491')
'5xxxxxxxxxx1'
>>> mask_text('1.57013E+12')
'1.xxxxxE+12'
>>> mask_text('โรงเรียน 57010001 วันที่ 10/06/2569')
'โรงเรียน 57010001 วันที่ 10/06/2569'
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["ID_IN_TEXT", "mask_text", "mask_ids", "mask_frame", "ID_COLUMNS", "TEXT_COLUMNS"]

#: an identifier inside text: optional G, then 9+ digits (dash/space/dot allowed between digits),
#: or a number in Excel's scientific notation with at least 4 significant digits
ID_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"[0-9๐-๙](?:[.,][0-9๐-๙]+)?[eE]\+?[0-9]{1,2}"  # 1.57013E+12
    r"|[Gg]?[0-9๐-๙](?:[\s\-]?[0-9๐-๙]){8,}"  # 9+ digits, G-codes
    r")(?![0-9A-Za-z])"
)
_DIGIT = re.compile(r"[0-9๐-๙]")


def _mask_match(m: re.Match) -> str:
    s = m.group(0)
    if "e" in s.lower() and s[:1] not in "Gg":
        # Excel's scientific notation (the ID's digits are partly lost): keep the first digit
        # and the exponent so the officer still sees what Excel did, mask the rest
        mant, e, exp = re.split(r"([eE])", s, maxsplit=1)
        if int(exp.lstrip("+") or 0) < 8:
            return s
        return mant[0] + _DIGIT.sub("x", mant[1:]) + e + exp
    compact = re.sub(r"[\s\-]", "", s)
    return compact[0] + _DIGIT.sub("x", compact[1:-1]) + compact[-1]


def mask_text(text):
    """Mask every identifier inside ``text`` (a string, or a Series of strings → a Series).

    Missing values become ``''`` for strings and stay missing in a Series.

    >>> mask_text(pd.Series(['G644200000001', None, 'ห้อง 2'], dtype='string')).tolist()
    ['Gxxxxxxxxxxx1', <NA>, 'ห้อง 2']
    """
    if isinstance(text, pd.Series):
        s = text.astype("string")
        has = s.str.contains(r"[0-9๐-๙]", regex=True).fillna(False)
        if not has.any():
            return s
        out = s.copy()
        sub = s[has]
        # per distinct value: display tables repeat values (groups, messages)
        codes, uniques = pd.factorize(sub)
        masked = pd.array([ID_IN_TEXT.sub(_mask_match, u) for u in uniques], dtype="string")
        out[has] = masked.take(codes) if len(codes) else sub
        return out
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return ID_IN_TEXT.sub(_mask_match, str(text))


def mask_ids(ids: pd.Series) -> pd.Series:
    """Mask an identifier column. Anything that is not an ID-sized number (a short or garbled
    value) is masked as a whole except its first and last character, so nothing typed in an ID
    field is shown in full.

    >>> mask_ids(pd.Series(['1101700230708', 'G644200000001', '12345', '', None])).tolist()
    ['1xxxxxxxxxxx8', 'Gxxxxxxxxxxx1', '1xxx5', '', <NA>]
    """
    s = ids.astype("string")
    out = mask_text(s)
    unchanged = out.eq(s).fillna(False) & s.str.len().gt(2).fillna(False)
    if unchanged.any():
        u = s[unchanged]
        out[unchanged] = u.str[0] + u.str[1:-1].str.replace(r"[^\s]", "x", regex=True) + u.str[-1]
    return out


#: columns that hold an identifier
ID_COLUMNS = ("national_id", "prev_national_id", "cur_national_id", "member_ids", "staff_id",
              "national_id_raw", "id")
#: free-text columns that may quote an identifier
TEXT_COLUMNS = ("value", "message", "value_before", "value_after", "key", "group", "member_rows",
                "ค่าที่อ่านได้", "ข้อความ")


def mask_frame(df: pd.DataFrame, show_ids: bool = False) -> pd.DataFrame:
    """A copy of ``df`` with ID columns masked (``mask_ids``) and identifiers quoted in every
    other text column masked (``mask_text``), unless ``show_ids``.

    >>> df = pd.DataFrame({'national_id': ['1101700230708'], 'value': ['อ่านได้ 570149302491'], 'room': ['2']})
    >>> mask_frame(df).to_dict('records')
    [{'national_id': '1xxxxxxxxxxx8', 'value': 'อ่านได้ 5xxxxxxxxxx1', 'room': '2'}]
    """
    if show_ids or df is None or len(df) == 0:
        return df
    out = df.copy()
    for c in out.columns:
        name = str(c)
        col = out[c]
        if not (pd.api.types.is_string_dtype(col.dtype) or col.dtype == object):
            continue
        if name in ID_COLUMNS or name.endswith("national_id"):
            out[c] = mask_ids(col.astype("string")).astype(object)
        else:
            out[c] = mask_text(col.astype("string")).astype(object)
    return out
