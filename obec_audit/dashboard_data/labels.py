"""Thai labels and bands of the dashboards. Check titles come from the checks' registry, phase
names from the calendar, dates from ``thaidate``: nothing here is a copy."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd

from obec_audit.calendar import PHASE_TH
from obec_audit.checks import registry
from obec_audit.schema import FIELD_LABEL_TH
from obec_audit.thaidate import thai_date_abbr

__all__ = ["CHECK_TH", "STATUS_TH", "CHASE_STATUSES", "PHASE_TH", "SIZE_BANDS", "NO_DATA_TH",
           "BAND_TH", "ID_TREND_CHECKS", "ID_TREND_TH", "thai_date", "size_band",
           "completeness_band", "check_label", "field_label"]

#: the dashboards write dates as ``10 มิ.ย. 2569`` (``obec_audit.thaidate.thai_date_abbr``)
thai_date = thai_date_abbr


class _CheckTitles(Mapping):
    """Check code → Thai title, read from the registry (``registry.title_of``)."""

    def _codes(self) -> list[str]:
        registry.load_all()
        return [*registry.EXTERNAL_CODES, *registry.REGISTRY]

    def __getitem__(self, code: str) -> str:
        if code not in self._codes():
            raise KeyError(code)
        return registry.title_of(code)

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes())

    def __len__(self) -> int:
        return len(self._codes())


#: check code → Thai title (the registry's; kept as a mapping for ``charts``)
CHECK_TH: Mapping[str, str] = _CheckTitles()

#: certification status of a school for a round (ledger: signed reports received)
STATUS_TH: dict[str, str] = {
    "certified": "ส่งแล้ว (ตรงเวลา)",
    "late": "ส่งแล้ว (ล่าช้า)",
    "overdue": "ยังไม่ส่ง (เกินกำหนด)",
    "not_yet": "ยังไม่ส่ง",
    "unknown": "ไม่มีข้อมูลการรับรอง",
}
#: statuses still to chase
CHASE_STATUSES = ("overdue", "not_yet", "unknown")
#: OBEC's school size classes by number of students
SIZE_BANDS: list[tuple[str, int, float]] = [
    ("ขนาดเล็ก (ไม่เกิน 120 คน)", 0, 120),
    ("ขนาดกลาง (121–600 คน)", 121, 600),
    ("ขนาดใหญ่ (601–1,500 คน)", 601, 1500),
    ("ขนาดใหญ่พิเศษ (1,501 คนขึ้นไป)", 1501, np.inf),
]
NO_DATA_TH = "ไม่มีข้อมูล"
BAND_TH = {"red": "ต่ำกว่า 90%", "amber": "90–99.9%", "green": "ครบ 100%", "none": NO_DATA_TH}

ID_TREND_CHECKS = {
    "dup_school": ["dup-id-school"],
    "dup_area": ["dup-id-area"],
    "dup_person": ["dup-person"],
    "invalid_id": ["id-missing", "id-format", "id-checksum"],
    "gcode": ["id-gcode"],
}
ID_TREND_TH = {
    "dup_school": "เลขซ้ำในโรงเรียน", "dup_area": "เลขซ้ำต่างโรงเรียน",
    "dup_person": "อาจเป็นคนเดียวกัน", "invalid_id": "เลขประจำตัวไม่ถูกต้อง/ไม่มี",
    "gcode": "ใช้รหัส G",
}


def size_band(students) -> str:
    """OBEC size class of a school by its number of students.

    >>> size_band(45), size_band(121), size_band(2000)
    ('ขนาดเล็ก (ไม่เกิน 120 คน)', 'ขนาดกลาง (121–600 คน)', 'ขนาดใหญ่พิเศษ (1,501 คนขึ้นไป)')
    """
    n = 0 if students is None or pd.isna(students) else int(students)
    for label, lo, hi in SIZE_BANDS:
        if lo <= n <= hi:
            return label
    return SIZE_BANDS[0][0]


def completeness_band(pct) -> str:
    """``red`` below 90 %, ``amber`` 90 to under 100, ``green`` at 100, ``none`` without data.

    >>> [completeness_band(x) for x in (89.9, 90, 99.95, 100, None)]
    ['red', 'amber', 'amber', 'green', 'none']
    """
    if pct is None or pd.isna(pct):
        return "none"
    pct = float(pct)
    if pct >= 100:
        return "green"
    return "amber" if pct >= 90 else "red"


def field_label(field_name: str) -> str:
    return FIELD_LABEL_TH.get(field_name, field_name)


def check_label(code: str) -> str:
    """The registry's Thai title of a check code (the code itself when unknown).

    >>> check_label('id-gcode'), check_label('no-such-code')
    ('นักเรียนที่ใช้รหัส G', 'no-such-code')
    """
    return registry.title_of(code)
