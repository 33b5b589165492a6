"""Thai 13-digit personal identification number (เลขประจำตัวประชาชน), as schools hold it.

The check digit is ``python-stdnum``'s (``stdnum.th.pin``). stdnum rejects every number
whose first digit is 0, but type-0 numbers (persons without registration status, many of
them hill-tribe and stateless children in Chiang Rai schools) are legitimate: here they
are judged by the check digit alone. Type 9 is reserved and never valid.

>>> compact(' 1-1017-00230-70-8 ')
'1101700230708'
>>> compact('="๑๑๐๑๗๐๐๒๓๐๗๐๘"')
'1101700230708'
>>> compact('1101700230708.0')
'1101700230708'
>>> validate('1-1017-00230-70-8')
'1101700230708'
>>> is_valid('0000000000019')
True
>>> person_type('0000000000019')
0
>>> validate('1101700230709')
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidChecksum: The number's checksum or check digit is invalid.
>>> validate('110170023070')
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidLength: The number has an invalid length.
>>> validate('9101700230705')
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidComponent: One of the parts of the number are invalid or unknown.
>>> format('1101700230708')
'1-1017-00230-70-8'
>>> mask('1101700230708')
'1xxxxxxxxxxx8'
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.th import pin as _stdnum_pin

from obec_audit.privacy import mask_text
from obec_audit.thaidate import THAI_DIGITS  # Thai digits ๐-๙ to ASCII

_GUARD = re.compile(r'^=\s*"(.*)"$')
_SEPARATORS = re.compile(r"[\s\-‐‑–—_/.,'\u200b\u200c\u200d\ufeff]")


def compact(number: str) -> str:
    """Remove what Excel and people add around an ID: Thai digits, ``="…"`` guards,
    a trailing ``.0``, spaces, dashes and other separators. Never adds digits."""
    s = unicodedata.normalize("NFKC", str(number)).translate(THAI_DIGITS).strip()
    m = _GUARD.match(s)
    if m:
        s = m.group(1).strip()
    s = s.strip("'\"")
    if re.fullmatch(r"[0-9]+\.0+", s):
        s = s.split(".")[0]
    return _SEPARATORS.sub("", s).upper()


def calc_check_digit(number: str) -> str:
    """The check digit of the first 12 digits (stdnum's computation)."""
    return _stdnum_pin.calc_check_digit(number[:12])


def person_type(number: str) -> int:
    """The person type (first digit)."""
    return int(compact(number)[0])


def validate(number: str) -> str:
    """Return the compact number if it is a valid ID of any type 0-8, else raise
    stdnum's ValidationError subclass saying why."""
    number = compact(number)
    if not number.isdigit():
        raise InvalidFormat()
    if len(number) != 13:
        raise InvalidLength()
    if number[0] == "9":
        raise InvalidComponent()
    if number[-1] != calc_check_digit(number):
        raise InvalidChecksum()
    return number


def is_valid(number: str) -> bool:
    try:
        return bool(validate(number))
    except Exception:  # stdnum's ValidationError and anything odd in the input
        return False


def format(number: str) -> str:  # noqa: A001 - stdnum's name
    """The usual printed form X-XXXX-XXXXX-XX-X."""
    n = compact(number)
    return "-".join((n[:1], n[1:5], n[5:10], n[10:12], n[12:]))


def mask(number: str) -> str:
    """Masked for display (PDPA) in the package's one style (``obec_audit.privacy``)."""
    return mask_text(compact(number))


# ---------------------------------------------------------------- vectorised helpers
_WEIGHTS = np.arange(13, 1, -1)


def check_digits_ok(numbers: pd.Series) -> pd.Series:
    """Vectorised: for a Series of 13-digit strings, whether the check digit is right
    (same arithmetic as stdnum; tests assert they agree). Other values give False."""
    s = numbers.astype("string")
    ok_shape = s.str.fullmatch(r"[0-9]{13}").fillna(False).astype(bool)  # ASCII digits only
    out = pd.Series(False, index=numbers.index)
    if not ok_shape.any():
        return out
    good = s[ok_shape].to_numpy(dtype=str)
    digits = np.frombuffer("".join(good).encode("ascii"), dtype=np.uint8).reshape(-1, 13) - 48
    total = digits[:, :12].astype(np.int64) @ _WEIGHTS
    check = (11 - total % 11) % 10
    out.loc[ok_shape] = check == digits[:, 12]
    return out
