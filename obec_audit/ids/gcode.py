"""G-code (รหัส G): the learner code of a child without a 13-digit ID, ``G`` + 12 digits:
B.E. year (2 digits), province code (2 digits), running number (8 digits).

>>> compact(' g-6442-00000001 ')
'G644200000001'
>>> validate('G644200000001')
'G644200000001'
>>> is_valid('G64420000001')
False
>>> info('G644200000001')
{'year_be': 2564, 'province': '42', 'running': '00000001'}
>>> mask('G644200000001')
'Gxxxxxxxxxxx1'
"""

from __future__ import annotations

import re

from stdnum.exceptions import InvalidFormat, InvalidLength

from obec_audit.privacy import mask_text
from obec_audit.thaidate import THAI_DIGITS

_SEPARATORS = re.compile(r"[\s\-‐‑–—_/.\u200b\u200c\u200d\ufeff]")


def compact(number: str) -> str:
    s = str(number).translate(THAI_DIGITS).strip().strip("'\"=\"")
    return _SEPARATORS.sub("", s).upper()


def validate(number: str) -> str:
    number = compact(number)
    if not number.startswith("G") or not number[1:].isdigit():
        raise InvalidFormat()
    if len(number) != 13:
        raise InvalidLength()
    return number


def is_valid(number: str) -> bool:
    try:
        return bool(validate(number))
    except Exception:
        return False


def info(number: str) -> dict:
    n = validate(number)
    return {"year_be": 2500 + int(n[1:3]), "province": n[3:5], "running": n[5:]}


def mask(number: str) -> str:
    """Masked for display (PDPA) in the package's one style (``obec_audit.privacy``)."""
    return mask_text(compact(number))
