"""School codes: SMIS 8 digits (รหัสโรงเรียน in DMC exports), the 10-digit ministry code
(``10`` + province + OBEC-6) and OBEC-6 (Percode).

>>> compact('5701 0001')
'57010001'
>>> compact('5701001.0')
'5701001'
>>> is_valid_smis('57010001')
True
>>> is_valid_smis('5701001')
False
>>> obec6_from_id10('1057120702')
'120702'
"""

from __future__ import annotations

import re

from obec_audit.thaidate import THAI_DIGITS


def compact(code: str) -> str:
    s = str(code).translate(THAI_DIGITS).strip().strip("'\"=\"")
    if re.fullmatch(r"\d+\.0+", s):
        s = s.split(".")[0]
    return re.sub(r"[\s\-./]", "", s)


def is_valid_smis(code: str) -> bool:
    return bool(re.fullmatch(r"\d{8}", compact(code)))


def obec6_from_id10(code: str) -> str:
    c = compact(code)
    return c[-6:]
