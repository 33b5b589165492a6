"""What each row under a header is: a data row, or a counted non-student row.

Kinds: ``data``, ``header`` (the header repeated inside the list, e.g. on every printed page),
``footer`` (a total line: "รวมทั้งสิ้น 38 คน"), ``signature`` (ลงชื่อ …, a dotted line, a name in
brackets, a position), ``title`` (a page or class title line: "รายชื่อนักเรียนชั้น ป.2").
Blank rows are counted apart (``readers``).

Only rows with few filled cells are looked at one by one (footers, signatures and titles fill
one to three cells; student rows fill most); repeated headers are found by comparing whole
columns with the header's cells.

>>> import numpy as np
>>> hdr = np.array(['เลขประจำตัวประชาชน', 'ชื่อ', 'นามสกุล', 'ชั้น'], dtype=object)
>>> block = np.array([['1101700230708', 'ก', 'ข', 'ป.1'],
...                   ['เลขประจำตัวประชาชน', 'ชื่อ', 'นามสกุล', 'ชั้น'],
...                   ['รวมทั้งสิ้น 38 คน', None, None, None],
...                   [None, 'ลงชื่อ.............', None, None],
...                   [None, '(นายสมชาย ใจดี)', None, None]], dtype=object)
>>> classify_rows(block, hdr, [0, 1, 2, 3]).tolist()
['data', 'header', 'footer', 'signature', 'signature']
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["classify_rows", "KIND_TH", "NON_STUDENT_KINDS"]

NON_STUDENT_KINDS = ("header", "footer", "signature", "title")
KIND_TH = {"header": "หัวตารางซ้ำ", "footer": "บรรทัดรวมยอด", "signature": "บรรทัดลงชื่อ",
           "title": "บรรทัดชื่อตาราง"}

_D = "0-9๐-๙"
_FOOTER = re.compile(
    rf"^(รวม(ทั้งสิ้น|ทั้งหมด|ทั้งหมด|จำนวน)?|ทั้งหมด|ยอดรวม|total|sum)\s*[:：]?\s*([{_D}]|$|คน|จำนวน|นักเรียน|ชาย|หญิง)"
    rf"|[{_D}]+\s*คน\s*$|^จำนวน(นักเรียน)?(ทั้งหมด|ทั้งสิ้น)?\s*[{_D}]+",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"ลงชื่อ|ลงนาม|ผู้อำนวยการ|ผู้รับรอง|ผู้ตรวจ|ผู้จัดทำ|ผู้บันทึก|ผู้รายงาน|ครูประจำชั้น|ตำแหน่ง|"
    r"นายทะเบียน|รับรองว่า|ถูกต้อง|^\(.*\)$|_{3,}|\.{5,}|…{2,}"
)
_TITLE = re.compile(r"รายชื่อนักเรียน|ข้อมูลนักเรียน|ข้อมูล\s*ณ\s*วันที่|ปีการศึกษา|ภาคเรียนที่|^หน้า\s*[0-9๐-๙]+|^page\s*\d+",
                    re.IGNORECASE)
_ID_LIKE = re.compile(rf"[{_D}](?:[\s\-]?[{_D}]){{8,}}|G[0-9]{{12}}")


def _text(v) -> str:
    return "" if v is None else str(v).strip()


def classify_rows(block: np.ndarray, header: np.ndarray, mapped: list[int]) -> np.ndarray:
    """The kind of every row of ``block`` (object grid under the header). ``header``: the
    header row's cells; ``mapped``: positions of the columns the header mapped. Blank rows get
    ``data`` here (counted apart by the caller)."""
    n = block.shape[0]
    kinds = np.full(n, "data", dtype=object)
    if n == 0 or block.shape[1] == 0:
        return kinds
    filled = (block != None).sum(axis=1)  # noqa: E711 - elementwise; cells are text or None
    # repeated header: the header's own text in at least two mapped columns (or all of one)
    same = np.zeros(n, dtype=np.int64)
    usable = [j for j in mapped if j < block.shape[1] and isinstance(header[j], str) and header[j].strip()]
    for j in usable:
        same += block[:, j] == header[j]
    need = min(2, len(usable)) if usable else 1
    kinds[(same >= need) & (filled > 0)] = "header"
    # short rows: footers, signatures, titles (a data row fills more cells)
    few = max(2, min(4, len(mapped) // 2))
    cand = np.flatnonzero((filled > 0) & (filled <= few) & (kinds == "data"))
    for i in cand:
        cells = [_text(v) for v in block[i] if _text(v)]
        if not cells:  # white space only: a blank row
            continue
        joined = " ".join(cells)
        if _ID_LIKE.search(joined):
            continue
        if _FOOTER.search(cells[0]) or _FOOTER.search(joined):
            kinds[i] = "footer"
        elif any(_SIGNATURE.search(c) for c in cells):
            kinds[i] = "signature"
        elif len(cells) == 1 and _TITLE.search(joined):
            kinds[i] = "title"
    return kinds
