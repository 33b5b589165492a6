"""The school's report pack and the area's summary workbook (CONTRACT.md).

``write_school_pack(path, ...)`` writes ``reports/<school_code>.xlsx``: the five reports of
step 4 of the seed, which the director signs, and the list of every finding of the school:

=============================  ==============================================================
sheet                          content
=============================  ==============================================================
``1-จำนวนนักเรียน``              students by grade × sex with rooms, subtotals per level, grand
                               total; then by grade × room when a grade has several rooms
``2-ด้อยโอกาส``                  disadvantaged students with their type, and a count by type
``3-พักนอน``                     boarding-project students
``4-พิการ``                      disabled students with their type, and a count by type
``5-เลขประจำตัวไม่ถูกต้อง``         IDs missing, malformed, failing the check digit, or G-codes
``ข้อผิดพลาด``                   every finding of the school, most serious first, by Thai title
=============================  ==============================================================

A school none of whose rows could be read gets instead one sheet, ``แจ้งส่งข้อมูลใหม่``: what
was wrong with each file and what to send again, with nothing to sign.

``write_summary(path, ...)`` writes ``summary.xlsx``: per school counts of findings by
severity and each check found (Thai titles), per check counts, and completeness per school ×
field.

Every sheet is a printable Thai document: TH Sarabun New, A4 fitted to the page width, the
school, its code and the census date ("ข้อมูล ณ วันที่ …", B.E.) in the page header, each table's
header at the top of every page it runs onto, "หน้า x จาก y" in the footer and (packs) the
director's signature block.

Modules: ``layout`` (the xlsx layout engine: sheet layouts, styles, print setup, how much
text a printed cell shows), ``selections`` (who each report lists), ``forms`` (the five
forms), ``errors`` (the errors sheet), ``pack`` (one school's pack; many in parallel),
``summary`` (``summary.xlsx``), ``writer`` (a round's packs and summary), ``pdf`` (PDF copies
through LibreOffice).
"""

from __future__ import annotations

from obec_audit.privacy import mask_text
from obec_audit.reports.forms import EMPTY_LIST_TEXT, SHEETS, SUMMARY_SHEETS, TITLES
from obec_audit.reports.layout import FONT_NAME
from obec_audit.reports.pack import PARALLEL_MIN_PACKS, write_packs, write_school_pack
from obec_audit.reports.selections import (
    boarding,
    disabled,
    disadvantaged,
    invalid_ids,
    report_counts,
)
from obec_audit.reports.pdf import PdfUnavailable, find_soffice, to_pdf
from obec_audit.reports.summary import write_summary
from obec_audit.reports.writer import write_reports

__all__ = [
    "SHEETS",
    "SUMMARY_SHEETS",
    "TITLES",
    "FONT_NAME",
    "EMPTY_LIST_TEXT",
    "PARALLEL_MIN_PACKS",
    "write_school_pack",
    "write_summary",
    "write_packs",
    "report_counts",
    "disadvantaged",
    "boarding",
    "disabled",
    "invalid_ids",
    "mask_text",
    "write_reports",
    "to_pdf",
    "find_soffice",
    "PdfUnavailable",
]
