"""Identifier families, one module each in the style of ``python-stdnum``:

- ``obec_audit.ids.pin``: the 13-digit personal ID (type 0 accepted on its check digit);
- ``obec_audit.ids.gcode``: the G-code of a learner without a 13-digit ID;
- ``obec_audit.ids.school``: SMIS-8, ministry-10 and OBEC-6 school codes.

``classify`` answers for one value, ``classify_series`` for a whole column (vectorised).

>>> classify('1-1017-00230-70-8')
('1101700230708', 'pin', '')
>>> classify('0000000000019')
('0000000000019', 'pin-0', '')
>>> classify('G644200000001')
('G644200000001', 'gcode', '')
>>> classify('1101700230709')
('1101700230709', 'invalid', 'checksum')
>>> classify('101700230708')
('101700230708', 'invalid', 'length')
>>> classify('1.57013E+12')  # Excel's scientific notation: the digits are gone, kept as read
('1.57013E+12', 'invalid', 'format')
>>> classify('9101700230705')
('9101700230705', 'invalid', 'type')
>>> classify('  ')
('', 'missing', 'missing')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from obec_audit.ids import gcode, pin, school
from obec_audit.text import WHITESPACE, from_arrow, to_arrow
from obec_audit.thaidate import THAI_DIGITS

__all__ = ["pin", "gcode", "school", "classify", "classify_series", "ID_TYPES"]

#: the contract's id_type values
ID_TYPES = ("pin", "pin-0", "gcode", "invalid", "missing")
#: reasons: '' (valid), missing, format, length, type, checksum
MISSING_TOKENS = frozenset({"", "-", "ไม่มี", "NAN", "NONE", "NULL", "N/A", "NA", "0"})


def classify(value) -> tuple[str, str, str]:
    """(normalised, id_type, reason) for one value."""
    s = pd.Series([value], dtype="object")
    out = classify_series(s)
    return tuple(out.iloc[0].tolist())  # type: ignore[return-value]


_TRIM = f"^[{WHITESPACE}]+|[{WHITESPACE}]+$"
_GUARD = f'^=[{WHITESPACE}]*"(.*)"$'
_SEPARATORS = f"[{WHITESPACE}\\-‐‑–—_/.,'\u200b\u200c\u200d\ufeff]"


def classify_series(values: pd.Series) -> pd.DataFrame:
    """Vectorised classification of a column of IDs as read.

    Returns a frame aligned on ``values.index`` with ``national_id`` (normalised: NFKC
    (full-width digits), separators, guards, Thai digits and ``.0`` removed; nothing added),
    ``id_type`` and ``id_reason``. Every step runs in pyarrow (the patterns avoid what RE2
    reads differently from Python: white-space and digit classes, unicode escapes).

    >>> classify_series(pd.Series(['๑-๑๐๑๗-๐๐๒๓๐-๗๐-๘', '１１０１７００２３０７０８', '="G644200000001"'])).to_dict("list")
    {'national_id': ['1101700230708', '1101700230708', 'G644200000001'], 'id_type': ['pin', 'pin', 'gcode'], 'id_reason': ['', '', '']}
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(values)
    a = to_arrow(values.astype("string"))
    a = a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a
    if n == 0:
        return _classify_text(values)
    # IDs already in their normal form (nearly all of them) are decided from their digits;
    # the rest go through every normalisation step
    d13 = pc.fill_null(pc.and_(pc.equal(pc.binary_length(a), 13), pc.ascii_is_decimal(a)), False)
    g12 = pc.fill_null(pc.match_substring_regex(a, "^G[0-9]{12}$"), False)
    is13 = d13.to_numpy(zero_copy_only=False)
    isg = g12.to_numpy(zero_copy_only=False)
    slow = ~(is13 | isg)
    if slow.all():
        return _classify_text(values)
    typ = np.full(n, _TYPE_CODE["gcode"], dtype=np.int8)
    why = np.zeros(n, dtype=np.int8)  # ''
    if is13.any():
        digits = _digits13(a.filter(d13))
        total = (digits[:, :12].astype(np.float32) @ _PIN_WEIGHTS_F).astype(np.int64)  # ≤ 810: exact
        ok = (11 - total % 11) % 10 == digits[:, 12]
        first = digits[:, 0]
        t13 = np.where(first == 0, _TYPE_CODE["pin-0"], _TYPE_CODE["pin"]).astype(np.int8)
        w13 = np.zeros(len(first), dtype=np.int8)
        bad = (first == 9) | ~ok
        t13[bad] = _TYPE_CODE["invalid"]
        w13[~ok] = _REASON_CODE["checksum"]
        w13[first == 9] = _REASON_CODE["type"]
        typ[is13], why[is13] = t13, w13
    norm = a.cast(pa.large_string())
    if slow.any():
        rest = _classify_text(values[slow])
        typ[slow] = pd.Categorical(rest["id_type"], categories=ID_TYPES).codes
        why[slow] = pd.Categorical(rest["id_reason"], categories=_REASONS).codes
        fixed = to_arrow(rest["national_id"])
        fixed = fixed.combine_chunks() if isinstance(fixed, pa.ChunkedArray) else fixed
        norm = pc.replace_with_mask(norm, pa.array(slow), fixed.cast(pa.large_string()))
    labels = pa.array(ID_TYPES, type=pa.large_string())
    reasons = pa.array(_REASONS, type=pa.large_string())
    return pd.DataFrame(
        {
            "national_id": from_arrow(norm, values.index),
            "id_type": from_arrow(labels.take(pa.array(typ)), values.index),
            "id_reason": from_arrow(reasons.take(pa.array(why)), values.index),
        },
        index=values.index,
    )


_REASONS = ("", "missing", "format", "length", "type", "checksum")
_TYPE_CODE = {t: i for i, t in enumerate(ID_TYPES)}
_REASON_CODE = {r: i for i, r in enumerate(_REASONS)}
_PIN_WEIGHTS = np.arange(13, 1, -1)
_PIN_WEIGHTS_F = _PIN_WEIGHTS.astype(np.float32)  # a float product is BLAS; an integer one is not


def _digits13(arr) -> np.ndarray:
    """(n, 13) uint8 digits of an Arrow string array whose values are all 13 ASCII digits."""
    import pyarrow as pa

    arr = arr.cast(pa.large_string()) if arr.type != pa.large_string() else arr
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset: arr.offset + len(arr) + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)[offsets[0]: offsets[-1]]
    return (data.reshape(-1, 13) - 48).astype(np.uint8)


def _classify_text(values: pd.Series) -> pd.DataFrame:
    """``classify_series`` step by step: every normalisation, for any text."""
    import pyarrow.compute as pc

    s = from_arrow(pc.utf8_normalize(to_arrow(values.astype("string")), "NFKC"), values.index)
    if s.str.contains("[๐-๙]", regex=True).fillna(False).any():
        for thai, ascii_ in THAI_DIGITS.items():  # one pyarrow replace per digit
            s = s.str.replace(chr(thai), chr(ascii_), regex=False)
    s = s.str.replace(_TRIM, "", regex=True)
    s = s.str.replace(_GUARD, r"\1", regex=True).str.strip("'\" ")
    s = s.str.replace(r"^([0-9]+)\.0+$", r"\1", regex=True)
    sci = s.str.fullmatch(r"[0-9]+(?:[.,][0-9]+)?[eE][+\-]?[0-9]+").fillna(False).astype(bool)
    s = s.str.replace(_SEPARATORS, "", regex=True).where(~sci, s).str.upper()
    s = s.fillna("")
    missing = s.isin(MISSING_TOKENS)
    is13 = s.str.fullmatch(r"[0-9]{13}").fillna(False).astype(bool)
    isg = s.str.fullmatch(r"G[0-9]{12}").fillna(False).astype(bool)
    alldigits = s.str.fullmatch(r"[0-9]+").fillna(False).astype(bool)
    gdigits = s.str.fullmatch(r"G[0-9]+").fillna(False).astype(bool)
    cd_ok = pin.check_digits_ok(s.where(is13, ""))
    first = s.str[:1]

    id_type = pd.Series("invalid", index=values.index, dtype="object")
    reason = pd.Series("format", index=values.index, dtype="object")
    reason[(alldigits | gdigits) & ~is13 & ~isg] = "length"
    reason[is13 & first.eq("9")] = "type"
    bad_cd = is13 & ~first.eq("9") & ~cd_ok
    reason[bad_cd] = "checksum"
    good = is13 & ~first.eq("9") & cd_ok
    id_type[good & first.ne("0")] = "pin"
    id_type[good & first.eq("0")] = "pin-0"
    reason[good] = ""
    id_type[isg] = "gcode"
    reason[isg] = ""
    id_type[missing] = "missing"
    reason[missing] = "missing"
    s = s.where(~missing, "")
    return pd.DataFrame(
        {
            "national_id": s.astype("string"),
            "id_type": id_type.astype("string"),
            "id_reason": reason.astype("string"),
        },
        index=values.index,
    )
