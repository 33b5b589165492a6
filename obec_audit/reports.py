"""The school's report pack and the area's summary workbook (CONTRACT.md).

``write_school_pack(path, ...)`` writes ``reports/<school_code>.xlsx``: the five reports of
step 4 of the seed, which the director signs, and the list of every finding of the school:

=============================  ==============================================================
sheet                          content
=============================  ==============================================================
``1-จำนวนนักเรียน``              students by grade × sex with rooms, subtotals per level, grand
                               total; then students by grade × room
``2-ด้อยโอกาส``                  disadvantaged students with their type, and a count by type
``3-พักนอน``                     boarding-project students
``4-พิการ``                      disabled students with their type, and a count by type
``5-เลขประจำตัวไม่ถูกต้อง``         IDs missing, malformed, failing the check digit, or G-codes
``ข้อผิดพลาด``                   every finding of the school, most serious first
=============================  ==============================================================

``write_summary(path, ...)`` writes ``summary.xlsx``: per school counts of findings by
severity and check, per check counts, and completeness per school × field.

Every sheet is a printable Thai document: TH Sarabun New, A4 fitted to the page width,
the school and the census date ("ข้อมูล ณ วันที่ …", B.E.) on top, header rows repeated on
every page, "หน้า x จาก y" in the footer and (packs) the director's signature block.

Writing is kept cheap: the styles of a workbook are computed once as openpyxl style arrays
and every cell is created directly with its array (no per-cell Font/Border objects), so a
pack of a few hundred students takes a few milliseconds.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from obec_audit.schema import (
    BOARDING_MARK,
    DISABILITY_NONE,
    DISADVANTAGE_NONE,
    FIELD_LABEL_TH,
    FINDING_COLUMNS,
    GRADE_LEVEL,
    GRADE_ORDER,
    GRADES,
    LEVELS,
    SEVERITY_ORDER,
    SEVERITY_TH,
)
from obec_audit.thaidate import as_of_text, be_short_series

__all__ = [
    "SHEETS",
    "FONT_NAME",
    "EMPTY_LIST_TEXT",
    "write_school_pack",
    "write_summary",
    "report_counts",
    "disadvantaged",
    "boarding",
    "disabled",
    "invalid_ids",
    "mask_text",
]

FONT_NAME = "TH Sarabun New"
DEFAULT_AREA = "สพป.เชียงราย เขต 1"

SHEET_COUNTS = "1-จำนวนนักเรียน"
SHEET_DISADVANTAGE = "2-ด้อยโอกาส"
SHEET_BOARDING = "3-พักนอน"
SHEET_DISABILITY = "4-พิการ"
SHEET_IDS = "5-เลขประจำตัวไม่ถูกต้อง"
SHEET_FINDINGS = "ข้อผิดพลาด"
#: the pack's sheets, in order
SHEETS: tuple[str, ...] = (
    SHEET_COUNTS,
    SHEET_DISADVANTAGE,
    SHEET_BOARDING,
    SHEET_DISABILITY,
    SHEET_IDS,
    SHEET_FINDINGS,
)
SUMMARY_SHEETS: tuple[str, ...] = ("สรุปรายโรงเรียน", "สรุปตามรายการตรวจ", "ความครบถ้วน")

TITLES: dict[str, str] = {
    SHEET_COUNTS: "แบบรายงานที่ 1 จำนวนนักเรียนจำแนกตามชั้น เพศ และห้องเรียน",
    SHEET_DISADVANTAGE: "แบบรายงานที่ 2 รายชื่อนักเรียนด้อยโอกาส",
    SHEET_BOARDING: "แบบรายงานที่ 3 รายชื่อนักเรียนพักนอนประจำ",
    SHEET_DISABILITY: "แบบรายงานที่ 4 รายชื่อนักเรียนพิการ",
    SHEET_IDS: "แบบรายงานที่ 5 รายชื่อนักเรียนที่เลขประจำตัวประชาชนไม่ถูกต้อง (ติด G)",
    SHEET_FINDINGS: "รายการข้อผิดพลาดที่โรงเรียนต้องแก้ไขในระบบ DMC",
}

EMPTY_LIST_TEXT = "ไม่มีนักเรียนในรายการนี้"
NO_FINDINGS_TEXT = "ไม่พบข้อผิดพลาด"
SEX_UNKNOWN = "ไม่ระบุเพศ"
GRADE_UNKNOWN = "ไม่ระบุชั้น"
ROOM_UNKNOWN = "ไม่ระบุ"
GRAND_TOTAL = "รวมทั้งหมด"

#: report 5's reasons, by ``id_type`` / ``id_reason``
ID_REASON_TH: dict[str, str] = {
    "missing": "ไม่มีเลข",
    "format": "รูปแบบไม่ถูกต้อง",
    "length": "รูปแบบไม่ถูกต้อง",
    "type": "รูปแบบไม่ถูกต้อง",
    "checksum": "เลขตรวจสอบไม่ถูกต้อง",
    "gcode": "รหัส G",
}
ID_REASON_ORDER = ["ไม่มีเลข", "รูปแบบไม่ถูกต้อง", "เลขตรวจสอบไม่ถูกต้อง", "รหัส G"]
ID_REASON_ADVICE: dict[str, str] = {
    "ไม่มีเลข": "บันทึกเลขประจำตัวประชาชน 13 หลักจากสูติบัตรหรือทะเบียนบ้าน หรือขอรหัส G ถ้าไม่มีเลข",
    "รูปแบบไม่ถูกต้อง": "เลขไม่ครบ 13 หลักหรือมีตัวอักษรปน (เช่น เลข 0 หน้าหายเพราะ Excel) ให้แก้ตามเอกสารจริง",
    "เลขตรวจสอบไม่ถูกต้อง": "หลักสุดท้ายไม่ตรงกับเลขตรวจสอบ โปรดตรวจเลขทุกหลักกับเอกสารจริง",
    "รหัส G": "ตรวจสอบว่านักเรียนมีเลขประจำตัว 13 หลักแล้วหรือไม่ ถ้ามีให้เปลี่ยนจากรหัส G",
}

# ------------------------------------------------------------------------------ styles
# (font size, bold, colour) / alignment / border / fill / number format of each named style
_AL = {
    "l": '<alignment horizontal="left" vertical="center" indent="1"/>',
    "lw": '<alignment horizontal="left" vertical="center" wrapText="1" indent="1"/>',
    "c": '<alignment horizontal="center" vertical="center"/>',
    "cw": '<alignment horizontal="center" vertical="center" wrapText="1"/>',
    "r": '<alignment horizontal="right" vertical="center"/>',
    "rot": '<alignment horizontal="center" vertical="bottom" textRotation="90"/>',
}
_GREY, _LIGHT, _SUBTLE = "FFD9D9D9", "FFF2F2F2", "FFF7F7F7"
#: built-in number formats (General 0, #,##0 3, @ 49) and our one custom format
_NUMFMT = {"General": 0, "#,##0": 3, "@": 49, "0.0": 164}

#: name -> ((size, bold, colour), alignment, border?, fill colour, number format)
_STYLE_SPECS: dict[str, tuple] = {
    "title": ((16, True, None), "c", False, None, "General"),
    "sub": ((15, False, None), "c", False, None, "General"),
    "note": ((14, False, None), "l", False, None, "General"),
    "note_r": ((14, False, None), "r", False, None, "General"),
    "warn": ((14, True, "FFC00000"), "l", False, None, "General"),
    "section": ((15, True, None), "l", False, None, "General"),
    "sign": ((15, False, None), "c", False, None, "General"),
    "head": ((14, True, None), "cw", True, _GREY, "General"),
    "head_rot": ((13, True, None), "rot", True, _GREY, "General"),
    "cell": ((14, False, None), "l", True, None, "@"),
    "cell_w": ((14, False, None), "lw", True, None, "@"),
    "cell_c": ((14, False, None), "c", True, None, "@"),
    "cell_cn": ((14, False, None), "c", True, None, "General"),
    "num": ((14, False, None), "r", True, None, "#,##0"),
    "int": ((14, False, None), "c", True, None, "General"),
    "pct": ((14, False, None), "r", True, None, "0.0"),
    "sub_l": ((14, True, None), "l", True, _SUBTLE, "@"),
    "sub_n": ((14, True, None), "r", True, _SUBTLE, "#,##0"),
    "tot_l": ((14, True, None), "c", True, _LIGHT, "@"),
    "tot_n": ((14, True, None), "r", True, _LIGHT, "#,##0"),
    "tot_p": ((14, True, None), "r", True, _LIGHT, "0.0"),
    "empty": ((14, False, None), "c", True, None, "General"),
}


def _styles_xml() -> tuple[str, dict[str, int]]:
    """styles.xml for every workbook, and the cellXfs index of each named style."""
    fonts = [(14, False, None)]
    fills = [None]
    for font, _, _, fill, _ in _STYLE_SPECS.values():
        if font not in fonts:
            fonts.append(font)
        if fill not in fills:
            fills.append(fill)

    def font_xml(f):
        size, bold, color = f
        return ("<font>" + ("<b/>" if bold else "") + f'<sz val="{size}"/>'
                + (f'<color rgb="{color}"/>' if color else "")
                + f'<name val="{FONT_NAME}"/><family val="2"/><charset val="222"/></font>')

    fill_xml = ['<fill><patternFill patternType="none"/></fill>',
                '<fill><patternFill patternType="gray125"/></fill>']
    fill_xml += [f'<fill><patternFill patternType="solid"><fgColor rgb="{c}"/>'
                 '<bgColor indexed="64"/></patternFill></fill>' for c in fills[1:]]
    xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
    index: dict[str, int] = {}
    for name, (font, al, box, fill, fmt) in _STYLE_SPECS.items():
        fill_id = 0 if fill is None else fills.index(fill) + 1
        index[name] = len(xfs)
        xfs.append(
            f'<xf numFmtId="{_NUMFMT[fmt]}" fontId="{fonts.index(font)}" fillId="{fill_id}" '
            f'borderId="{1 if box else 0}" xfId="0" applyNumberFormat="1" applyFont="1" '
            f'applyFill="1" applyBorder="1" applyAlignment="1">{_AL[al]}</xf>'
        )
    side = '<{0} style="thin"><color rgb="FF000000"/></{0}>'
    box = ("<border>" + "".join(side.format(x) for x in ("left", "right", "top", "bottom"))
           + "<diagonal/></border>")
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0"/></numFmts>'
        f'<fonts count="{len(fonts)}">{"".join(font_xml(f) for f in fonts)}</fonts>'
        f'<fills count="{len(fill_xml)}">{"".join(fill_xml)}</fills>'
        '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
        f"{box}</borders>"
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )
    return xml, index


_STYLES_XML, _STYLE_INDEX = _styles_xml()
_COLS = [get_column_letter(i) if i else "" for i in range(0, 400)]
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _esc(s: str) -> str:
    if _ILLEGAL.search(s):
        s = _ILLEGAL.sub("", s)
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    return s


def _cell_xml(ref: str, value, s: int) -> str:
    t = type(value)
    if t is str:
        if not value:
            return f'<c r="{ref}" s="{s}"/>'
        x = _esc(value)
        sp = ' xml:space="preserve"' if x[0] == " " or x[-1] == " " or "\n" in x else ""
        return f'<c r="{ref}" s="{s}" t="inlineStr"><is><t{sp}>{x}</t></is></c>'
    if t is int:
        return f'<c r="{ref}" s="{s}"><v>{value}</v></c>'
    if value is None:
        return f'<c r="{ref}" s="{s}"/>'
    if t is bool:
        return f'<c r="{ref}" s="{s}" t="b"><v>{int(value)}</v></c>'
    try:
        if value != value:  # NaN, NA
            return f'<c r="{ref}" s="{s}"/>'
    except (TypeError, ValueError):
        return f'<c r="{ref}" s="{s}"/>'
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        return f'<c r="{ref}" s="{s}"><v>{value!r}</v></c>' if t is float else \
            f'<c r="{ref}" s="{s}"><v>{value}</v></c>'
    return _cell_xml(ref, str(value), s)


#: visible Thai/Latin characters per column-width unit (TH Sarabun New 14 pt), conservative
_CHARS_PER_UNIT = 1.0
#: points per line of 14 pt TH Sarabun New text
_LINE_PT = 19.5
#: Thai marks that take no horizontal room (above/below vowels, tone marks)
_ZERO_WIDTH = {c: None for c in [0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F),
                                 0x200B, 0x200C, 0x200D]}


@lru_cache(maxsize=65536)
def _lines_needed(text: str, cap: float) -> int:
    """Lines a wrapped cell needs: per paragraph, visible length over the line capacity."""
    total = 0
    for part in text.split("\n"):
        vis = len(part.translate(_ZERO_WIDTH))
        total += max(1, -(-int(vis) // int(cap)) if cap >= 1 else vis)
    return total


_SEP = "\ue000"  # a private-use character joins a column's texts for one-pass escaping


def _esc_many(values: list[str]) -> list[str]:
    """:func:`_esc` of many strings at once (one pass over the joined text)."""
    if not values:
        return []
    joined = _SEP.join(values)
    if joined.count(_SEP) != len(values) - 1:  # the separator occurs in the data
        return [_esc(v) for v in values]
    return _esc(joined).split(_SEP)


def _column_cells(letter: str, s: int, rows: range, values) -> list[str]:
    if isinstance(values, range):
        return [f'<c r="{letter}{r}" s="{s}"><v>{v}</v></c>' for r, v in zip(rows, values)]
    values = list(values)
    if all(type(v) is str for v in values):
        return [f'<c r="{letter}{r}" s="{s}" t="inlineStr"><is><t>{v}</t></is></c>' if v
                else f'<c r="{letter}{r}" s="{s}"/>' for r, v in zip(rows, _esc_many(values))]
    return [_cell_xml(f"{letter}{r}", v, s) for r, v in zip(rows, values)]


class _Sheet:
    """A worksheet kept as XML fragments per row: cells, merges, columns, print setup."""

    def __init__(self, title: str):
        self.title = title
        self.rows: dict[int, list[tuple[int, str]]] = {}
        self.merges: list[str] = []
        self.widths: list[float] = []
        self.heights: dict[int, float] = {}
        self.landscape = False
        self.title_rows: int | None = None
        self.footer = ""
        self.freeze: tuple[int, int] | None = None  # (first unfrozen row, first unfrozen col)
        self.autofilter: str | None = None

    def put(self, r: int, c: int, value, style: str) -> None:
        if type(self.rows.get(r)) is str:
            raise ValueError(f"row {r} of {self.title!r} was written as a table row")
        self.rows.setdefault(r, []).append((c, _cell_xml(f"{_COLS[c]}{r}", value,
                                                          _STYLE_INDEX[style])))

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        self.merges.append(f"{_COLS[c1]}{r1}:{_COLS[c2]}{r2}")

    def table(self, r0: int, columns: list, styles: list[str],
              widths: list[float] | None = None) -> int:
        """Write columns (sequences of equal length) as whole rows from row ``r0``; returns
        the next row. Formatted column by column, so a long list costs little. With
        ``widths``, rows whose wrapped text needs more than one line get their height."""
        n = len(columns[0]) if columns else 0
        if n == 0:
            return r0
        rows = range(r0, r0 + n)
        if widths:
            lines = [1] * n
            for values, st, w in zip(columns, styles, widths):
                if _STYLE_SPECS[st][1] not in ("lw", "cw"):
                    continue
                cap = max(w - 2.5, 1.0) * _CHARS_PER_UNIT
                for i, v in enumerate(values):
                    if type(v) is str and len(v) > cap:
                        k = _lines_needed(v, cap)
                        if k > lines[i]:
                            lines[i] = k
            for r, k in zip(rows, lines):
                if k > 1:
                    self.heights[r] = round(k * _LINE_PT + 4, 2)
        cols = [_column_cells(_COLS[j + 1], _STYLE_INDEX[st], rows, values)
                for j, (values, st) in enumerate(zip(columns, styles))]
        target = self.rows
        for r, cells in zip(rows, zip(*cols)):
            target[r] = "".join(cells)
        return r0 + n

    def xml(self, first: bool) -> str:
        out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
               '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>']
        last_r = max(self.rows) if self.rows else 1
        last_c = max((c for cells in self.rows.values() if type(cells) is not str
                      for c, _ in cells), default=1)
        last_c = max(last_c, len(self.widths), 1)
        out.append(f'<dimension ref="A1:{_COLS[last_c]}{last_r}"/>')
        sel = ' tabSelected="1"' if first else ""
        out.append(f'<sheetViews><sheetView showGridLines="0"{sel} workbookViewId="0">')
        if self.freeze:
            fr, fc = self.freeze
            attrs = ""
            if fc > 1:
                attrs += f' xSplit="{fc - 1}"'
            if fr > 1:
                attrs += f' ySplit="{fr - 1}"'
            pane = ("bottomRight" if fc > 1 and fr > 1 else "bottomLeft" if fr > 1
                    else "topRight")
            out.append(f'<pane{attrs} topLeftCell="{_COLS[fc]}{fr}" activePane="{pane}" '
                       f'state="frozen"/><selection pane="{pane}" activeCell="{_COLS[fc]}{fr}" '
                       f'sqref="{_COLS[fc]}{fr}"/>')
        out.append("</sheetView></sheetViews>")
        out.append('<sheetFormatPr defaultRowHeight="21.75"/>')
        if self.widths:
            out.append("<cols>" + "".join(
                f'<col min="{j}" max="{j}" width="{w}" customWidth="1"/>'
                for j, w in enumerate(self.widths, start=1)) + "</cols>")
        out.append("<sheetData>")
        heights = self.heights
        for r in sorted(self.rows):
            cells = self.rows[r]
            if type(cells) is not str:
                cells.sort(key=lambda x: x[0])
                cells = "".join(x for _, x in cells)
            ht = f' ht="{heights[r]}" customHeight="1"' if r in heights else ""
            out.append(f'<row r="{r}"{ht}>{cells}</row>')
        out.append("</sheetData>")
        if self.autofilter:
            out.append(f'<autoFilter ref="{self.autofilter}"/>')
        if self.merges:
            out.append(f'<mergeCells count="{len(self.merges)}">'
                       + "".join(f'<mergeCell ref="{m}"/>' for m in self.merges)
                       + "</mergeCells>")
        out.append('<printOptions horizontalCentered="1"/>'
                   '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.75" header="0.3" '
                   'footer="0.35"/>')
        orient = "landscape" if self.landscape else "portrait"
        out.append(f'<pageSetup paperSize="9" orientation="{orient}" fitToWidth="1" '
                   'fitToHeight="0"/>')
        f = f'&amp;"{FONT_NAME},Regular"&amp;12'
        left = _esc(self.footer.replace("&", "&&"))
        out.append(f"<headerFooter><oddFooter>&amp;L{f}{left}&amp;C{f}หน้า &amp;P จาก &amp;N"
                   f"&amp;R{f}&amp;A</oddFooter></headerFooter>")
        out.append("</worksheet>")
        return "".join(out)


class _Book:
    """A minimal, fast .xlsx writer (inline strings, fixed styles)."""

    def __init__(self):
        self.sheets: list[_Sheet] = []

    def sheet(self, title: str) -> _Sheet:
        ws = _Sheet(title)
        self.sheets.append(ws)
        return ws

    def _workbook_xml(self) -> str:
        sheets = "".join(
            f'<sheet name="{_esc(ws.title)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, ws in enumerate(self.sheets, start=1)
        )
        names = []
        for i, ws in enumerate(self.sheets):
            q = "'" + ws.title.replace("'", "''") + "'"
            if ws.autofilter:
                a, b = ws.autofilter.split(":")
                ra = re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", a)
                rb = re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", b)
                names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" '
                             f'hidden="1">{_esc(q)}!{ra}:{rb}</definedName>')
            if ws.title_rows:
                names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                             f"{_esc(q)}!$1:${ws.title_rows}</definedName>")
        dn = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<bookViews><workbookView activeTab="0"/></bookViews>'
                f"<sheets>{sheets}</sheets>{dn}</workbook>")

    def save(self, path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        n = len(self.sheets)
        ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="rels" '
              'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              '<Default Extension="xml" ContentType="application/xml"/>'
              '<Override PartName="/xl/workbook.xml" ContentType="application/'
              'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
              + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="'
                        'application/vnd.openxmlformats-officedocument.spreadsheetml.'
                        'worksheet+xml"/>' for i in range(1, n + 1))
              + '<Override PartName="/xl/styles.xml" ContentType="application/'
              'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
              '<Override PartName="/docProps/core.xml" '
              'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
              '<Override PartName="/docProps/app.xml" ContentType="application/'
              'vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>')
        rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
                'org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
                'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
                '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/'
                '2006/relationships/extended-properties" Target="docProps/app.xml"/>'
                "</Relationships>")
        wrels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'relationships">'
                 + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/'
                           'officeDocument/2006/relationships/worksheet" '
                           f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
                 + f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/'
                 'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                 "</Relationships>")
        core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                "<dc:creator>obec_audit</dc:creator></cp:coreProperties>")
        app = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
               'extended-properties"><Application>obec_audit</Application></Properties>')
        tmp = path.with_name(path.name + ".tmp")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            z.writestr("[Content_Types].xml", ct)
            z.writestr("_rels/.rels", rels)
            z.writestr("docProps/core.xml", core)
            z.writestr("docProps/app.xml", app)
            z.writestr("xl/workbook.xml", self._workbook_xml())
            z.writestr("xl/_rels/workbook.xml.rels", wrels)
            z.writestr("xl/styles.xml", _STYLES_XML)
            for i, ws in enumerate(self.sheets, start=1):
                z.writestr(f"xl/worksheets/sheet{i}.xml", ws.xml(first=i == 1))
        tmp.replace(path)
        return path


def _put(book, ws: _Sheet, row: int, col: int, value, style: str) -> None:
    ws.put(row, col, value, style)


def _put_row(book, ws, row, values, styles, first_col=1) -> None:
    for j, (v, s) in enumerate(zip(values, styles)):
        ws.put(row, first_col + j, v, s)


def _line(book, ws, row, text, style, ncols, first_col=1) -> None:
    """One line of text merged across columns ``first_col``..``ncols``."""
    ws.put(row, first_col, text, style)
    if ncols > first_col:
        ws.merge(row, first_col, row, ncols)


def _text(values: pd.Series) -> pd.Series:
    """Display text of a column: '' for missing, illegal XML characters removed."""
    s = values.astype("string").fillna("").str.strip()
    if s.str.contains(_ILLEGAL.pattern, regex=True).any():
        s = s.str.replace(_ILLEGAL.pattern, "", regex=True)
    return s.astype(object)


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df.columns:
        return df[name]
    return pd.Series(pd.NA, index=df.index, dtype="string")


# ------------------------------------------------------------------------------ sheets
@dataclass
class _Ctx:
    school_code: str
    school_name: str  # without the leading โรงเรียน
    area_name: str
    as_of: object


def _school_label(ctx: _Ctx) -> str:
    name = f"โรงเรียน{ctx.school_name}" if ctx.school_name else "โรงเรียน"
    return f"{name}  รหัสโรงเรียน {ctx.school_code}".strip()


def _setup(ws, widths: list[float], *, landscape=False, title_rows: int | None = None,
           footer_left: str = "") -> None:
    ws.widths = list(widths)
    ws.landscape = landscape
    ws.title_rows = title_rows
    ws.footer = footer_left


def _header_block(book, ws, ctx: _Ctx, title: str, ncols: int, note: str = "",
                  note_style: str = "note") -> int:
    """Rows 1–5: title, school, area, census date, note. Returns the next row (6)."""
    _line(book, ws, 1, title, "title", ncols)
    _line(book, ws, 2, _school_label(ctx), "sub", ncols)
    _line(book, ws, 3, ctx.area_name or "", "sub", ncols)
    _line(book, ws, 4, as_of_text(ctx.as_of), "sub", ncols)
    if note:
        _line(book, ws, 5, note, note_style, ncols)
    return 6


def _signature(book, ws, ctx: _Ctx, row: int, widths: list[float]) -> int:
    """The director's signature block from ``row`` + 1; returns the row after it."""
    n = len(widths)
    # centre the block over the right part of the page (at least ~60 width units)
    first = n
    while first > 1 and sum(widths[first - 1:]) < 62:
        first -= 1
    name = ctx.school_name or ""
    lines = [
        "ขอรับรองว่าข้อมูลถูกต้อง",
        "",
        f"ลงชื่อ ........................................ ผู้อำนวยการโรงเรียน{name}",
        "(........................................)",
        "วันที่ ......./......./.........",
    ]
    r = row + 1
    for text in lines:
        if text:
            _line(book, ws, r, text, "sign", n, first_col=first)
        r += 1
    return r


def _empty(book, ws, row, ncols, text=EMPTY_LIST_TEXT) -> int:
    _line(book, ws, row, text, "empty", ncols)
    return row + 1


def _footer(ctx: _Ctx) -> str:
    if ctx.school_name:
        return f"โรงเรียน{ctx.school_name} รหัส {ctx.school_code}"
    return f"รหัสโรงเรียน {ctx.school_code}"


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


_LONG_DIGITS = re.compile(r"\d(?:[\s\-]?\d){8,}")


def _mask_one(t: str) -> str:
    return _LONG_DIGITS.sub(lambda m: m.group(0)[0] + re.sub(r"\d", "x", m.group(0)[1:-1])
                            + m.group(0)[-1], t)


def mask_text(values) -> pd.Series:
    """Mask every run of 9 or more digits (separators allowed) inside text, keeping the first
    and last digit: IDs quoted in a value or a message are not disclosed.

    >>> mask_text(pd.Series(['เลข 1101700230708 ซ้ำ', 'G644200000001', 'ห้อง 2'])).tolist()
    ['เลข 1xxxxxxxxxxx8 ซ้ำ', 'G6xxxxxxxxxx1', 'ห้อง 2']
    """
    s = pd.Series(values, dtype="string").fillna("")
    return pd.Series([_mask_one(x) for x in s.tolist()], index=s.index, dtype=object)


def _mask_ids(ids: list[str]) -> list[str]:
    """IDs masked with ``obec_audit.ids.mask_series``; any long digit run left (values as read,
    e.g. a 12-digit number) masked as text."""
    from obec_audit.ids import mask_series

    if not ids:
        return []
    out = mask_series(pd.Series(ids, dtype="string")).fillna("").tolist()
    return [_mask_one(x) for x in out]


# ------------------------------------------------------------------------------ selections
_DISADV_NONE = frozenset(DISADVANTAGE_NONE)
_DISAB_NONE = frozenset(DISABILITY_NONE)


def _is_disadvantaged(v: str) -> bool:
    return bool(v) and v not in _DISADV_NONE


def _is_disabled(v: str) -> bool:
    return bool(v) and v not in _DISAB_NONE


def _is_boarding(v: str) -> bool:
    return BOARDING_MARK in v


def _id_reason(id_type: str, reason: str, nid: str) -> str:
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
        [_id_reason(t, r, n) for t, r, n in zip(_strs(students, "id_type"),
                                                _strs(students, "id_reason"),
                                                _strs(students, "national_id"))],
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
        ids = [a or b for a, b in zip(nid, raw)]
        if not show_full_ids:
            ids = _mask_ids(ids)
        self.id_shown = [x or "-" for x in ids]
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
    students without a readable grade) with ``male, female, unknown, total, rooms``."""
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
        if r:
            a[3].add(r)
    order = {**GRADE_ORDER, "": len(GRADES) + 1}
    keys = sorted(acc, key=lambda x: (order.get(x, len(GRADES)), x))
    rows = [(acc[k][0], acc[k][1], acc[k][2] - acc[k][0] - acc[k][1], acc[k][2], len(acc[k][3]))
            for k in keys]
    return pd.DataFrame(rows, index=pd.Index(keys, name="grade"),
                        columns=["male", "female", "unknown", "total", "rooms"], dtype=int)


# ------------------------------------------------------------------------------ report 1
def _sheet_counts(book, ctx, p: _Pupils) -> None:
    ws = book.sheet(SHEET_COUNTS)
    acc: dict[str, list] = {}
    rooms_acc: dict[tuple, list] = {}
    for g, s, r in zip(p.grade, p.sex, p.room):
        a = acc.get(g)
        if a is None:
            a = acc[g] = [0, 0, 0, 0, set()]
        k = 0 if s == "M" else 1 if s == "F" else 2
        a[k] += 1
        a[3] += 1
        if r:
            a[4].add(r)
        b = rooms_acc.get((g, r))
        if b is None:
            b = rooms_acc[(g, r)] = [0, 0, 0, 0]
        b[k] += 1
        b[3] += 1
    has_unknown_sex = any(a[2] for a in acc.values())
    known = [g for g in acc if g in GRADE_ORDER]
    levels_present = [lv for lv in LEVELS if any(GRADE_LEVEL[g] == lv for g in known)]
    if not levels_present:
        levels_present = ["อนุบาล", "ประถมศึกษา"]
    sex_heads = ["ชาย", "หญิง"] + ([SEX_UNKNOWN] if has_unknown_sex else [])
    ks = [0, 1, 2] if has_unknown_sex else [0, 1]
    widths = [26] + [13] * (len(sex_heads) + 2)
    ncols = len(widths)
    n_rooms = sum(len(a[4]) for a in acc.values())
    note = f"จำนวนนักเรียนทั้งหมด {p.n:,} คน  จำนวนห้องเรียน {n_rooms:,} ห้อง"
    row = _header_block(book, ws, ctx, TITLES[SHEET_COUNTS], ncols, note, "note_r")

    _line(book, ws, row, "ตอนที่ 1 จำนวนนักเรียนจำแนกตามชั้นและเพศ", "section", ncols)
    row += 1
    _put_row(book, ws, row, ["ชั้น"] + sex_heads + ["รวม", "จำนวนห้องเรียน"], ["head"] * ncols)
    row += 1
    line_st = ["cell_c"] + ["num"] * (ncols - 1)

    def vals(a):
        return [a[k] for k in ks] + [a[3], len(a[4]) if isinstance(a[4], set) else a[4]]

    grand = [0, 0, 0, 0, 0]
    for lv in levels_present:
        sub = [0, 0, 0, 0, 0]
        for g in GRADES:
            if GRADE_LEVEL[g] != lv:
                continue
            a = acc.get(g, [0, 0, 0, 0, set()])
            v = [a[0], a[1], a[2], a[3], len(a[4])]
            sub = [x + y for x, y in zip(sub, v)]
            _put_row(book, ws, row, [g] + vals(v), line_st)
            row += 1
        _put_row(book, ws, row, [f"รวม {lv}"] + vals(sub), ["sub_l"] + ["sub_n"] * (ncols - 1))
        grand = [x + y for x, y in zip(grand, sub)]
        row += 1
    # unreadable grades (and, in principle, grades of a level not shown)
    order = {**GRADE_ORDER, "": len(GRADES) + 1}
    for g in sorted((g for g in acc if g not in GRADE_ORDER
                     or GRADE_LEVEL[g] not in levels_present),
                    key=lambda x: (order.get(x, len(GRADES)), x)):
        a = acc[g]
        v = [a[0], a[1], a[2], a[3], len(a[4])]
        _put_row(book, ws, row, [g or GRADE_UNKNOWN] + vals(v), line_st)
        grand = [x + y for x, y in zip(grand, v)]
        row += 1
    _put_row(book, ws, row, [GRAND_TOTAL] + vals(grand), ["tot_l"] + ["tot_n"] * (ncols - 1))
    row += 2

    # part 2: grade × room
    _line(book, ws, row, "ตอนที่ 2 จำนวนนักเรียนจำแนกตามชั้นและห้องเรียน", "section", ncols)
    row += 1
    if p.n == 0:
        row = _empty(book, ws, row, ncols)
    else:
        _put_row(book, ws, row, ["ชั้น", "ห้อง"] + sex_heads + ["รวม"], ["head"] * ncols)
        row += 1
        big = len(GRADES)
        keys = sorted(rooms_acc, key=lambda k: (GRADE_ORDER.get(k[0], big), k[0] == "", k[0],
                                                 k[1] == "", _room_key(k[1])))
        st = ["cell_c", "cell_c"] + ["num"] * (ncols - 2)
        tot = [0, 0, 0, 0]
        for g, r in keys:
            b = rooms_acc[(g, r)]
            tot = [x + y for x, y in zip(tot, b)]
            _put_row(book, ws, row, [g or GRADE_UNKNOWN, r or ROOM_UNKNOWN]
                     + [b[k] for k in ks] + [b[3]], st)
            row += 1
        _put_row(book, ws, row, [GRAND_TOTAL, f"{n_rooms:,} ห้อง"] + [tot[k] for k in ks]
                 + [tot[3]], ["tot_l", "tot_l"] + ["tot_n"] * (ncols - 2))
        row += 1
    _signature(book, ws, ctx, row, widths)
    _setup(ws, widths, title_rows=4, footer_left=_footer(ctx))


# ------------------------------------------------------------------------------ reports 2–5
def _list_sheet(book, ctx, sheet, p: _Pupils, pos: list[int], type_head: str | None,
                types: list[str] | None, *, extra_head: str | None = None,
                extra: list[str] | None = None, note_extra: str = "",
                type_order: list[str] | None = None, legend: dict[str, str] | None = None,
                warn: str = "") -> None:
    """A list of students: ลำดับ, เลขประจำตัวประชาชน, ชื่อ-นามสกุล, ชั้น, ห้อง, [extra], [type];
    then a count by type (ชาย/หญิง/รวม), the legend and the signature."""
    ws = book.sheet(sheet)
    heads = ["ลำดับ", "เลขประจำตัวประชาชน", "ชื่อ-นามสกุล", "ชั้น", "ห้อง"]
    widths = [7, 19, 31, 8, 7]
    styles = ["cell_cn", "cell_c", "cell", "cell_c", "cell_c"]
    if extra_head:
        heads.append(extra_head)
        widths.append(13)
        styles.append("cell_c")
    if type_head:
        heads.append(type_head)
        widths.append(30 if not extra_head else 24)
        styles.append("cell_w")
    ncols = len(heads)
    n = len(pos)
    note = f"จำนวน {n:,} คน" + (f"  {note_extra}" if note_extra else "")
    row = _header_block(book, ws, ctx, TITLES[sheet], ncols, note, "note_r")
    if warn:
        _line(book, ws, row, warn, "warn", ncols)
        row += 1
    header_row = None
    if n == 0:
        row = _empty(book, ws, row, ncols)
    else:
        header_row = row
        _put_row(book, ws, row, heads, ["head"] * ncols)
        row += 1
        cols = [range(1, n + 1), [p.id_shown[i] for i in pos], [p.name[i] for i in pos],
                [p.grade_shown[i] for i in pos], [p.room[i] for i in pos]]
        if extra_head:
            cols.append([extra[i] for i in pos])
        if type_head:
            cols.append([types[i] for i in pos])
        row = ws.table(row, cols, styles, widths)
        if type_head and types is not None:
            row = _type_counts(book, ws, row + 1, [types[i] for i in pos],
                               [p.sex[i] for i in pos], type_head, ncols, type_order)
    if legend:
        row += 1
        for k, text in legend.items():
            _line(book, ws, row, f"{k}: {text}", "note", ncols)
            row += 1
    _signature(book, ws, ctx, row, widths)
    _setup(ws, widths, title_rows=header_row or 4, footer_left=_footer(ctx))


def _type_counts(book, ws, row, types: list[str], sex: list[str], head: str, ncols: int,
                 order: list[str] | None) -> int:
    """A small table under a list: ลำดับ, type (merged over the middle columns), ชาย, หญิง,
    รวม (the last three columns). Returns the next free row."""
    _line(book, ws, row, f"สรุปจำนวนตาม{head}", "section", ncols)
    row += 1
    acc: dict[str, list[int]] = {}
    for t, s in zip(types, sex):
        a = acc.setdefault(t, [0, 0, 0])
        a[0] += s == "M"
        a[1] += s == "F"
        a[2] += 1
    rank = {k: i for i, k in enumerate(order or [])}
    keys = sorted(acc, key=lambda k: (rank.get(k, len(rank)), -acc[k][2], k))
    c_type, c_m = 2, max(3, ncols - 2)
    c_f, c_t = c_m + 1, c_m + 2

    def put_line(r, first, label, nums, lab_style, first_style, num_style):
        ws.put(r, 1, first, first_style)
        ws.put(r, c_type, label, lab_style)
        for c in range(c_type + 1, c_m):
            ws.put(r, c, None, lab_style)
        if c_m - 1 > c_type:
            ws.merge(r, c_type, r, c_m - 1)
        for c, v in zip((c_m, c_f, c_t), nums):
            ws.put(r, c, v, num_style)

    put_line(row, "ลำดับ", head, ["ชาย", "หญิง", "รวม"], "head", "head", "head")
    row += 1
    tot = [0, 0, 0]
    for i, k in enumerate(keys, start=1):
        a = acc[k]
        tot = [x + y for x, y in zip(tot, a)]
        put_line(row, i, k or "ไม่ระบุ", a, "cell", "cell_cn", "num")
        row += 1
    put_line(row, None, "รวม", tot, "tot_l", "tot_l", "tot_n")
    return row + 1


# ------------------------------------------------------------------------------ findings
_FINDING_HEADS = [
    ("ลำดับ", 6, "cell_cn"),
    ("ระดับ", 11, "cell_c"),
    ("รหัสตรวจ", 14, "cell"),
    ("เรื่อง", 18, "cell_w"),
    ("แฟ้ม", 15, "cell_w"),
    ("แถว", 6, "int"),
    ("เลขประจำตัว", 16, "cell_c"),
    ("ชื่อ-นามสกุล", 21, "cell_w"),
    ("ช่อง", 14, "cell_w"),
    ("ค่าที่พบ", 15, "cell_w"),
    ("สิ่งที่ต้องแก้ไข", 44, "cell_w"),
]


def _titles(codes) -> dict[str, str]:
    from obec_audit.checks.registry import title_of

    out = {}
    for c in codes:
        try:
            out[c] = title_of(c)
        except Exception:  # a check module that fails to import must not stop the packs
            out[c] = c
    return out


def _rows_of(values: list) -> list:
    out = []
    for x in values:
        try:
            out.append(int(x) if x is not None and x is not pd.NA and x == x else None)
        except (TypeError, ValueError):
            out.append(None)
    return out


def _sheet_findings(book, ctx, findings: pd.DataFrame, show_full_ids: bool) -> None:
    ws = book.sheet(SHEET_FINDINGS)
    f = findings
    widths = [w for _, w, _ in _FINDING_HEADS]
    ncols = len(widths)
    sev = _strs(f, "severity")
    note = "  ".join(f"{SEVERITY_TH[s]} {sev.count(s):,} รายการ" for s in SEVERITY_TH)
    row = _header_block(book, ws, ctx, TITLES[SHEET_FINDINGS], ncols, note, "note_r")
    header_row = None
    if len(f) == 0:
        row = _empty(book, ws, row, ncols, NO_FINDINGS_TEXT)
    else:
        header_row = row
        _put_row(book, ws, row, [h for h, _, _ in _FINDING_HEADS], ["head"] * ncols)
        row += 1
        check = _strs(f, "check")
        sfile = _strs(f, "source_file")
        srow = _rows_of(f["source_row"].tolist() if "source_row" in f.columns else [None] * len(f))
        order = sorted(range(len(f)), key=lambda i: (SEVERITY_ORDER.get(sev[i], 9), check[i],
                                                     sfile[i], srow[i] is None, srow[i] or 0))
        titles = _titles(set(check))
        ids = _strs(f, "national_id")
        value = _strs(f, "value")
        message = _strs(f, "message")
        if not show_full_ids:
            ids = _mask_ids(ids)
            value = [_mask_one(x) for x in value]
            message = [_mask_one(x) for x in message]
        name = _strs(f, "student_name")
        field = _strs(f, "field")
        fl = FIELD_LABEL_TH
        cols = [
            range(1, len(f) + 1),
            [SEVERITY_TH.get(sev[i], sev[i]) for i in order],
            [check[i] for i in order],
            [titles.get(check[i], check[i]) for i in order],
            [sfile[i] for i in order],
            [srow[i] for i in order],
            [ids[i] for i in order],
            [name[i] for i in order],
            [fl.get(field[i], field[i]) for i in order],
            [value[i] for i in order],
            [message[i] for i in order],
        ]
        row = ws.table(row, cols, [s for _, _, s in _FINDING_HEADS], widths)
    _signature(book, ws, ctx, row, widths)
    _setup(ws, widths, landscape=True, title_rows=header_row or 4, footer_left=_footer(ctx))
    if header_row:
        ws.freeze = (header_row + 1, 1)


# ------------------------------------------------------------------------------ the pack
def _clean_school_name(name) -> str:
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return ""
    s = str(name).strip()
    return re.sub(r"^โรงเรียน\s*", "", s)


def write_school_pack(
    path,
    *,
    school_code: str,
    school_name: str,
    students: pd.DataFrame,
    findings: pd.DataFrame,
    as_of,
    area_name: str = DEFAULT_AREA,
    boarding_schools=None,
    show_full_ids: bool = True,
) -> Path:
    """Write one school's report pack (six sheets, see the module docstring) to ``path``.

    ``students``: the school's canonical students; ``findings``: the school's findings;
    ``as_of``: the census date (C.E. date); ``boarding_schools``: SMIS codes of the
    boarding-project schools (None: unknown), used to warn on report 3;
    ``show_full_ids=False`` masks every ID (and any long digit run in values and messages).
    """
    ctx = _Ctx(str(school_code or ""), _clean_school_name(school_name), area_name or "", as_of)
    if students is None:
        students = pd.DataFrame(columns=["grade", "sex", "room"])
    if findings is None:
        findings = pd.DataFrame(columns=FINDING_COLUMNS)
    book = _Book()
    p = _Pupils(students, show_full_ids)
    _sheet_counts(book, ctx, p)

    # 2 disadvantaged
    kind = _strs(students, "disadvantage")
    _list_sheet(book, ctx, SHEET_DISADVANTAGE, p, p.select([_is_disadvantaged(v) for v in kind]),
                "ประเภทความด้อยโอกาส", kind)

    # 3 boarding
    kind = _strs(students, "boarding")
    pos = p.select([_is_boarding(v) for v in kind])
    warn = note_extra = ""
    if boarding_schools is not None:
        if ctx.school_code in {str(x) for x in boarding_schools}:
            note_extra = "(โรงเรียนอยู่ในโครงการพักนอนประจำ)"
        elif pos:
            warn = ("โรงเรียนไม่อยู่ในโครงการพักนอนประจำ: นักเรียนในรายการนี้ต้องแก้ไขข้อมูล"
                    "การพักนอนในระบบ DMC")
    shown = [v.replace(f"({BOARDING_MARK})", "").strip() or v for v in kind]
    _list_sheet(book, ctx, SHEET_BOARDING, p, pos, "ลักษณะการพักนอน", shown,
                note_extra=note_extra, warn=warn)

    # 4 disabled
    kind = _strs(students, "disability")
    _list_sheet(book, ctx, SHEET_DISABILITY, p, p.select([_is_disabled(v) for v in kind]),
                "ประเภทความพิการ", kind)

    # 5 invalid IDs
    reason = [_id_reason(t, r, n) for t, r, n in zip(_strs(students, "id_type"),
                                                    _strs(students, "id_reason"), p.nid)]
    pos = p.select([bool(r) for r in reason])
    present = {reason[i] for i in pos}
    legend = {k: ID_REASON_ADVICE[k] for k in ID_REASON_ORDER if k in present}
    birth = [""] * p.n
    if pos and "birth_date" in students.columns:
        for i, b in zip(pos, be_short_series(students["birth_date"].iloc[pos]).tolist()):
            birth[i] = b
    _list_sheet(book, ctx, SHEET_IDS, p, pos, "ปัญหา", reason, extra_head="วันเกิด",
                extra=birth, type_order=ID_REASON_ORDER, legend=legend)

    _sheet_findings(book, ctx, findings, show_full_ids)
    return book.save(path)


# ------------------------------------------------------------------------------ summary
def _pct_column(df: pd.DataFrame) -> str | None:
    for c in ("percent_complete", "pct_complete", "percent", "complete_pct", "completeness"):
        if c in df.columns:
            return c
    for c in df.columns:
        if "pct" in str(c) or "percent" in str(c):
            return c
    return None


def _summary_setup(ws, widths, *, landscape, header_row, last_row, ncols, area="") -> None:
    _setup(ws, widths, landscape=landscape, title_rows=header_row, footer_left=area)
    ws.freeze = (header_row + 1, 4 if ncols > 4 else 1)
    if last_row > header_row:
        ws.autofilter = f"A{header_row}:{get_column_letter(ncols)}{last_row}"


def _summary_header(book, ws, title, ncols, as_of, area_name, note="") -> int:
    _line(book, ws, 1, title, "title", ncols)
    _line(book, ws, 2, area_name or "", "sub", ncols)
    _line(book, ws, 3, as_of_text(as_of), "sub", ncols)
    if note:
        _line(book, ws, 4, note, "note_r", ncols)
    return 5


def _school_table(students, findings, schools) -> pd.DataFrame:
    codes: dict[str, str] = {}
    if schools is not None and len(schools):
        code_col = "smis8" if "smis8" in schools.columns else "school_code"
        for c, n in zip(_text(schools[code_col]), _text(_col(schools, "school_name"))):
            if c:
                codes[c] = n
    st_code = _text(_col(students, "school_code"))
    st_name = _text(_col(students, "school_name"))
    first = pd.DataFrame({"c": st_code, "n": st_name})
    first = first[first["n"].ne("")].drop_duplicates("c")
    for c, n in zip(first["c"], first["n"]):
        if c and not codes.get(c):
            codes[c] = n
    for c in st_code.unique():
        if c:
            codes.setdefault(c, "")
    for c in _text(_col(findings, "school_code")).unique():
        if c:
            codes.setdefault(c, "")
    out = pd.DataFrame({"school_code": list(codes), "school_name": list(codes.values())})
    out["school_name"] = out["school_name"].map(_clean_school_name)
    return out.sort_values("school_code", kind="stable").reset_index(drop=True)


def write_summary(
    path,
    *,
    students: pd.DataFrame,
    findings: pd.DataFrame,
    completeness: pd.DataFrame | None = None,
    school_completeness: pd.DataFrame | None = None,
    schools: pd.DataFrame | None = None,
    as_of,
    area_name: str = DEFAULT_AREA,
) -> Path:
    """Write the area's ``summary.xlsx``: ``สรุปรายโรงเรียน`` (one row per school: students,
    findings by severity and by check code, percent complete; a totals row),
    ``สรุปตามรายการตรวจ`` (per check: title, severity, findings, schools affected) and
    ``ความครบถ้วน`` (percent complete per school × field)."""
    if findings is None:
        findings = pd.DataFrame(columns=FINDING_COLUMNS)
    if students is None:
        students = pd.DataFrame(columns=["school_code"])
    book = _Book()
    table = _school_table(students, findings, schools)
    f_code = _text(_col(findings, "school_code"))
    f_sev = _text(_col(findings, "severity"))
    f_check = _text(_col(findings, "check"))
    st_count = _text(_col(students, "school_code")).value_counts()

    sev_ct = pd.crosstab(f_code, f_sev) if len(findings) else pd.DataFrame()
    chk_ct = pd.crosstab(f_code, f_check) if len(findings) else pd.DataFrame()
    sev_rank = {c: SEVERITY_ORDER.get(s, 9) for c, s in zip(f_check, f_sev)}
    check_codes = sorted(chk_ct.columns, key=lambda c: (sev_rank.get(c, 9), c))
    titles = _titles(check_codes)

    pct_by_school: dict[str, float] = {}
    if school_completeness is not None and len(school_completeness):
        pc = _pct_column(school_completeness)
        if pc:
            pct_by_school = dict(zip(_text(school_completeness["school_code"]),
                                     pd.to_numeric(school_completeness[pc], errors="coerce")))
    elif completeness is not None and len(completeness) and {"rows", "missing"} <= set(
            completeness.columns):
        g = completeness.assign(school_code=_text(completeness["school_code"])).groupby(
            "school_code")[["rows", "missing"]].sum()
        pct = 100.0 * (1 - g["missing"] / g["rows"].where(g["rows"] > 0))
        pct_by_school = pct.to_dict()

    # ---- sheet 1: per school
    ws = book.sheet(SUMMARY_SHEETS[0])
    heads = ["ลำดับ", "รหัสโรงเรียน", "ชื่อโรงเรียน", "จำนวนนักเรียน",
             SEVERITY_TH["error"], SEVERITY_TH["warning"], SEVERITY_TH["info"]]
    widths = [6, 12, 30, 11, 11, 12, 12]
    head_styles = ["head"] * len(heads)
    for c in check_codes:
        heads.append(c)
        widths.append(5.5)
        head_styles.append("head_rot")
    heads.append("ร้อยละความครบถ้วน")
    widths.append(11)
    head_styles.append("head")
    ncols = len(heads)
    n_sch = len(table)
    note = (f"โรงเรียน {n_sch:,} แห่ง  นักเรียน {len(students):,} คน  "
            f"ข้อค้นพบ {len(findings):,} รายการ")
    row = _summary_header(book, ws, "สรุปผลการตรวจสอบข้อมูลนักเรียนรายโรงเรียน", ncols, as_of,
                          area_name, note)
    header_row = row
    _put_row(book, ws, row, heads, head_styles)
    if check_codes:
        ws.heights[row] = 110
    row += 1
    first_data = row
    styles = ["cell_c", "cell_c", "cell", "num", "num", "num", "num"] + ["num"] * len(
        check_codes) + ["pct"]
    totals = [0] * (ncols - 4)
    for i, rec in enumerate(table.itertuples(index=False), start=1):
        code = rec.school_code
        vals = [i, code, rec.school_name, int(st_count.get(code, 0))]
        for s in ("error", "warning", "info"):
            vals.append(int(sev_ct.loc[code, s]) if code in sev_ct.index and s in sev_ct.columns
                        else 0)
        for c in check_codes:
            vals.append(int(chk_ct.loc[code, c]) if code in chk_ct.index else 0)
        p = pct_by_school.get(code)
        vals.append(round(float(p), 1) if p is not None and p == p else None)
        for j in range(3, ncols - 1):
            totals[j - 3] += vals[j]
        # zero counts of checks shown as blanks keep the table readable
        vals = vals[:7] + [v if v else None for v in vals[7:ncols - 1]] + [vals[-1]]
        _put_row(book, ws, row, vals, styles)
        row += 1
    last = row - 1
    overall = None
    if school_completeness is not None and len(school_completeness) and {
            "cells", "missing_cells"} <= set(school_completeness.columns):
        cells = pd.to_numeric(school_completeness["cells"], errors="coerce").sum()
        miss = pd.to_numeric(school_completeness["missing_cells"], errors="coerce").sum()
        overall = round(100.0 * (1 - miss / cells), 1) if cells else None
    elif pct_by_school:
        vals_ = [v for v in pct_by_school.values() if v == v]
        overall = round(sum(vals_) / len(vals_), 1) if vals_ else None
    tot_vals = ["", "", "รวม"] + totals + [overall]
    _put_row(book, ws, row, tot_vals, ["tot_l", "tot_l", "tot_l"] + ["tot_n"] * (ncols - 4)
             + ["tot_p"])
    _summary_setup(ws, widths, landscape=True, header_row=header_row, last_row=last,
                   ncols=ncols, area=area_name)
    del first_data

    # ---- sheet 2: per check
    ws = book.sheet(SUMMARY_SHEETS[1])
    heads = ["ลำดับ", "รหัสตรวจ", "เรื่อง", "ระดับ", "จำนวนรายการ", "จำนวนโรงเรียน"]
    widths = [6, 20, 40, 13, 13, 13]
    ncols = len(heads)
    row = _summary_header(book, ws, "สรุปผลการตรวจสอบตามรายการตรวจ", ncols, as_of, area_name)
    header_row = row
    _put_row(book, ws, row, heads, ["head"] * ncols)
    row += 1
    if len(findings):
        per = pd.DataFrame({"check": f_check, "school": f_code, "sev": f_sev})
        g = per.groupby("check").agg(n=("check", "size"),
                                     schools=("school", lambda s: s[s.ne("")].nunique()),
                                     sev=("sev", "first"))
        g = g.loc[sorted(g.index, key=lambda c: (SEVERITY_ORDER.get(g.loc[c, "sev"], 9), c))]
        for i, (code, rec) in enumerate(g.iterrows(), start=1):
            _put_row(book, ws, row, [i, code, titles.get(code, code),
                                     SEVERITY_TH.get(rec["sev"], rec["sev"]), int(rec["n"]),
                                     int(rec["schools"])],
                     ["cell_c", "cell", "cell_w", "cell_c", "num", "num"])
            row += 1
        n_sch_any = int(f_code[f_code.ne("")].nunique())
        _put_row(book, ws, row, ["", "", "รวม", "", len(findings), n_sch_any],
                 ["tot_l"] * 4 + ["tot_n"] * 2)
        last = row - 1
    else:
        row = _empty(book, ws, row, ncols, NO_FINDINGS_TEXT)
        last = header_row
    _summary_setup(ws, widths, landscape=False, header_row=header_row, last_row=last,
                   ncols=ncols, area=area_name)

    # ---- sheet 3: completeness school × field
    ws = book.sheet(SUMMARY_SHEETS[2])
    if completeness is not None and len(completeness) and _pct_column(completeness):
        pc = _pct_column(completeness)
        cp = completeness.assign(school_code=_text(completeness["school_code"]),
                                 field=_text(completeness["field"]))
        piv = cp.pivot_table(index="school_code", columns="field", values=pc, aggfunc="first")
        fields = list(dict.fromkeys(cp["field"]))
        heads = ["ลำดับ", "รหัสโรงเรียน", "ชื่อโรงเรียน"] + [FIELD_LABEL_TH.get(x, x)
                                                               for x in fields] + ["รวม"]
        widths = [6, 12, 28] + [9] * len(fields) + [9]
        ncols = len(heads)
        row = _summary_header(book, ws, "ร้อยละความครบถ้วนของข้อมูลนักเรียนรายโรงเรียน", ncols,
                              as_of, area_name)
        header_row = row
        _put_row(book, ws, row, heads, ["head"] * ncols)
        row += 1
        names = dict(zip(table["school_code"], table["school_name"]))
        styles = ["cell_c", "cell_c", "cell"] + ["pct"] * (len(fields) + 1)
        for i, code in enumerate(piv.index, start=1):
            vals = [i, code, names.get(code, "")]
            for fld in fields:
                v = piv.loc[code, fld] if fld in piv.columns else None
                vals.append(round(float(v), 1) if v is not None and v == v else None)
            p = pct_by_school.get(code)
            vals.append(round(float(p), 1) if p is not None and p == p else None)
            _put_row(book, ws, row, vals, styles)
            row += 1
        last = row - 1
        _summary_setup(ws, widths, landscape=True, header_row=header_row, last_row=last,
                       ncols=ncols, area=area_name)
    else:
        widths = [6, 12, 30, 14]
        ncols = 4
        row = _summary_header(book, ws, "ร้อยละความครบถ้วนของข้อมูลนักเรียนรายโรงเรียน", ncols,
                              as_of, area_name)
        _empty(book, ws, row, ncols, "ไม่มีข้อมูลความครบถ้วน")
        _setup(ws, widths, title_rows=3)
    return book.save(path)
