"""Which students each report lists, and report 1's numbers (plain Python lists: a pack
holds a few hundred rows, where lists are much faster than pandas)."""

from __future__ import annotations

import re

import pandas as pd

from obec_audit.schema import (
    BOARDING_MARK,
    DISABILITY_NONE,
    DISADVANTAGE_NONE,
    GRADE_ORDER,
    GRADES,
)
from obec_audit.privacy import mask_ids


#: report 5's reasons, by ``id_type`` / ``id_reason``
ID_REASON_TH: dict[str, str] = {
    "missing": "ไม่มีเลข",
    "format": "รูปแบบไม่ถูกต้อง",
    "length": "รูปแบบไม่ถูกต้อง",
    "type": "รูปแบบไม่ถูกต้อง",
    "checksum": "เลขตรวจสอบไม่ถูกต้อง",
    "gcode": "รหัส G",
    "excel": "Excel ทำเลขเสีย",
}
ID_REASON_ORDER = ["Excel ทำเลขเสีย", "ไม่มีเลข", "รูปแบบไม่ถูกต้อง", "เลขตรวจสอบไม่ถูกต้อง",
                   "รหัส G"]
ID_REASON_ADVICE: dict[str, str] = {
    "Excel ทำเลขเสีย": ("แฟ้มผ่านการเปิดและบันทึกด้วย Excel จนเลข 13 หลักกลายเป็นรูปแบบ 1.57E+12 "
                        "ตัวเลขหายไปแล้ว แก้ในแฟ้มนี้ไม่ได้: ให้ดาวน์โหลดรายชื่อจาก DMC ใหม่ "
                        "และส่งโดยไม่เปิดแก้ใน Excel"),
    "ไม่มีเลข": "บันทึกเลขประจำตัวประชาชน 13 หลักจากสูติบัตรหรือทะเบียนบ้าน หรือขอรหัส G ถ้าไม่มีเลข",
    "รูปแบบไม่ถูกต้อง": "เลขไม่ครบ 13 หลักหรือมีตัวอักษรปน (เช่น เลข 0 หน้าหายเพราะ Excel) ให้แก้ตามเอกสารจริง",
    "เลขตรวจสอบไม่ถูกต้อง": "หลักสุดท้ายไม่ตรงกับเลขตรวจสอบ โปรดตรวจเลขทุกหลักกับเอกสารจริง",
    "รหัส G": "ตรวจสอบว่านักเรียนมีเลขประจำตัว 13 หลักแล้วหรือไม่ ถ้ามีให้เปลี่ยนจากรหัส G",
}


# ------------------------------------------------------------------------------ values
# A pack holds a few hundred rows: plain Python lists are much faster than pandas here.
def _strs(df: pd.DataFrame, name: str) -> list[str]:
    """A column as a list of stripped strings ('' for missing)."""
    if name not in df.columns:
        return [""] * len(df)
    col = df[name]
    if isinstance(col.dtype, pd.StringDtype):
        return [x.strip() for x in col.array.to_numpy(dtype=object, na_value="").tolist()]
    na, nat = pd.NA, pd.NaT
    return [
        "" if (x is None or x is na or x is nat or (isinstance(x, float) and x != x))
        else str(x).strip()
        for x in col.tolist()
    ]


_DIGITS = re.compile(r"(\d+)")


def _room_key(room: str) -> tuple:
    m = _DIGITS.search(room)
    return (int(m.group(1)) if m else 10**6, room)



# ------------------------------------------------------------------------------ selections
_DISADV_NONE = frozenset(DISADVANTAGE_NONE)
_DISAB_NONE = frozenset(DISABILITY_NONE)


def _is_disadvantaged(v: str) -> bool:
    return bool(v) and v not in _DISADV_NONE


def _is_disabled(v: str) -> bool:
    return bool(v) and v not in _DISAB_NONE


def _is_boarding(v: str) -> bool:
    return BOARDING_MARK in v


#: a number Excel turned into scientific notation (``1.5702E+12``): the ID's digits are lost
EXCEL_DAMAGED = re.compile(r"^\s*[0-9]+(?:[.,][0-9]+)?[eE]\+?[0-9]{1,2}\s*$")
#: what the ID column shows for such a value (never the garbled number as if it were an ID)
DAMAGED_ID_TEXT = "อ่านเลขไม่ได้"


def excel_damaged(value: str) -> bool:
    """Whether ``value`` is a number Excel wrote in scientific notation.

    >>> excel_damaged('1.5702E+12'), excel_damaged('15702E+12'), excel_damaged('1101700230708')
    (True, True, False)
    """
    return bool(value) and EXCEL_DAMAGED.match(value) is not None


def _id_reason(id_type: str, reason: str, nid: str, raw: str = "") -> str:
    if excel_damaged(raw) or excel_damaged(nid):
        return ID_REASON_TH["excel"]
    if id_type == "missing":
        return ID_REASON_TH["missing"]
    if id_type == "gcode":
        return ID_REASON_TH["gcode"]
    if id_type == "invalid":
        if reason in ("format", "length", "type", "checksum"):
            return ID_REASON_TH[reason]
        # without id_reason: 13 digits that are invalid fail the check digit, others the format
        return ID_REASON_TH["checksum" if len(nid) == 13 and nid.isdigit() else "format"]
    return ""


def disadvantaged(students: pd.DataFrame) -> pd.Series:
    """Boolean mask: the student has a disadvantage type (not blank, not ไม่ด้อยโอกาส)."""
    return pd.Series([_is_disadvantaged(v) for v in _strs(students, "disadvantage")],
                     index=students.index, dtype=bool)


def disabled(students: pd.DataFrame) -> pd.Series:
    """Boolean mask: the student has a disability type (not blank, not ไม่พิการ)."""
    return pd.Series([_is_disabled(v) for v in _strs(students, "disability")],
                     index=students.index, dtype=bool)


def boarding(students: pd.DataFrame) -> pd.Series:
    """Boolean mask: the student's การพักนอน value names the boarding project."""
    return pd.Series([_is_boarding(v) for v in _strs(students, "boarding")],
                     index=students.index, dtype=bool)


def invalid_ids(students: pd.DataFrame) -> pd.Series:
    """Report 5's reason per student ('' when the ID is a valid 13-digit number):
    ไม่มีเลข / รูปแบบไม่ถูกต้อง / เลขตรวจสอบไม่ถูกต้อง / รหัส G."""
    return pd.Series(
        [_id_reason(t, r, n, w) for t, r, n, w in zip(_strs(students, "id_type"),
                                                      _strs(students, "id_reason"),
                                                      _strs(students, "national_id"),
                                                      _strs(students, "national_id_raw"))],
        index=students.index, dtype=object)


class _Pupils:
    """The columns of one school's students that the pack shows, as Python lists."""

    def __init__(self, students: pd.DataFrame, show_full_ids: bool):
        df = students
        self.n = len(df)
        grade = _strs(df, "grade")
        grade_raw = _strs(df, "grade_raw")
        self.grade = grade
        self.grade_shown = [g or r for g, r in zip(grade, grade_raw)]
        self.sex = _strs(df, "sex")
        self.room = _strs(df, "room")
        nid = _strs(df, "national_id")
        raw = _strs(df, "national_id_raw")
        self.nid = nid
        self.nid_raw = raw
        self.id_type = _strs(df, "id_type")
        ids = [a or b for a, b in zip(nid, raw)]
        if not show_full_ids:
            ids = _masked(ids)
        self.id_shown = [DAMAGED_ID_TEXT if excel_damaged(r) or excel_damaged(n) else (x or "-")
                         for x, n, r in zip(ids, nid, raw)]
        title, first, last = _strs(df, "title"), _strs(df, "first_name"), _strs(df, "last_name")
        self.name = [f"{t}{f} {la}".strip() for t, f, la in zip(title, first, last)]
        no = _strs(df, "student_no")
        go = GRADE_ORDER
        big = len(GRADES)
        self.key = [(go.get(g, big), _room_key(r), no_, f)
                    for g, r, no_, f in zip(grade, self.room, no, first)]
        self.df = df

    def select(self, mask: list[bool]) -> list[int]:
        """Positions of the selected students, in grade, room, number, name order."""
        pos = [i for i, m in enumerate(mask) if m]
        key = self.key
        pos.sort(key=lambda i: key[i])
        return pos


def report_counts(students: pd.DataFrame) -> pd.DataFrame:
    """Report 1's numbers: one row per grade present (``GRADES`` order, then ``''`` for
    students without a readable grade) with ``male, female, unknown, total, rooms``.
    A classroom is a room of a known grade: students without a readable grade are counted,
    their room is not (it names no classroom)."""
    grade, sex, room = _strs(students, "grade"), _strs(students, "sex"), _strs(students, "room")
    return _counts(grade, sex, room)


def _counts(grade: list[str], sex: list[str], room: list[str]) -> pd.DataFrame:
    acc: dict[str, list] = {}
    for g, s, r in zip(grade, sex, room):
        a = acc.get(g)
        if a is None:
            a = acc[g] = [0, 0, 0, set()]
        if s == "M":
            a[0] += 1
        elif s == "F":
            a[1] += 1
        a[2] += 1
        if r and g:
            a[3].add(r)
    order = {**GRADE_ORDER, "": len(GRADES) + 1}
    keys = sorted(acc, key=lambda x: (order.get(x, len(GRADES)), x))
    rows = [(acc[k][0], acc[k][1], acc[k][2] - acc[k][0] - acc[k][1], acc[k][2], len(acc[k][3]))
            for k in keys]
    return pd.DataFrame(rows, index=pd.Index(keys, name="grade"),
                        columns=["male", "female", "unknown", "total", "rooms"], dtype=int)




def _masked(ids: list[str]) -> list[str]:
    """IDs masked in the one style of :mod:`obec_audit.privacy`."""
    if not ids:
        return []
    return mask_ids(pd.Series(ids, dtype="string")).fillna("").tolist()
