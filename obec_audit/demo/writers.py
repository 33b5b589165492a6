"""Deterministic writers for the demo area: a small, fast .xlsx writer (shared strings, real
date cells), .xls through ``xlwt`` when it is installed, and CSV in the encodings Thai offices
meet (UTF-8 with or without BOM, cp874).

Same rows in, same bytes out: zip entries carry a fixed timestamp and the document properties
a fixed date, so a seed always gives identical files. openpyxl is not used for writing: its
write-only mode is about 20 times slower than building the sheet XML directly.

>>> import io, zipfile
>>> b = xlsx_bytes([["a", 1, None], ["ข", 2.5, dt.date(2559, 3, 20)]])
>>> zipfile.ZipFile(io.BytesIO(b)).namelist()[0]
'[Content_Types].xml'
>>> xlsx_bytes([["a"]]) == xlsx_bytes([["a"]])
True
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Iterable, Sequence

#: the fixed timestamp of every zip entry and document property
FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
FIXED_PROP_TIME = "2026-01-01T00:00:00Z"

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


_COLS = [_col_letter(i) for i in range(256)]


def _esc(s: str) -> str:
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    if _BAD_XML.search(s):
        s = _BAD_XML.sub("", s)
    return s


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}"
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:creator>DMC</dc:creator>"
    f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_PROP_TIME}</dcterms:created>'
    f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_PROP_TIME}</dcterms:modified>'
    "</cp:coreProperties>"
)
_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>Microsoft Excel</Application></Properties>"
)
# style 0: general; style 1: dd/mm/yyyy date
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fonts count="1"><font><sz val="14"/><name val="TH SarabunPSK"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def excel_serial(d: dt.date) -> int:
    """Excel's serial day number of a date (any year 1900-9999: a B.E. year is stored as is)."""
    return (d - _EXCEL_EPOCH).days


def _sheet_xml(rows: Iterable[Sequence], strings: dict[str, int]) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>'
    ]
    append = out.append
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            ref = _COLS[c] + str(r)
            t = type(v)
            if t is str:
                idx = strings.get(v)
                if idx is None:
                    idx = strings[v] = len(strings)
                cells.append(f'<c r="{ref}" t="s"><v>{idx}</v></c>')
            elif t is bool:
                cells.append(f'<c r="{ref}" t="b"><v>{int(v)}</v></c>')
            elif t is int:
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            elif t is float:
                cells.append(f'<c r="{ref}"><v>{repr(v)}</v></c>')
            elif isinstance(v, dt.date):
                cells.append(f'<c r="{ref}" s="1"><v>{excel_serial(v)}</v></c>')
            else:  # numpy scalars and the like
                try:
                    fv = float(v)
                    cells.append(f'<c r="{ref}"><v>{int(fv) if fv.is_integer() else repr(fv)}</v></c>')
                except (TypeError, ValueError):
                    s = str(v)
                    idx = strings.get(s)
                    if idx is None:
                        idx = strings[s] = len(strings)
                    cells.append(f'<c r="{ref}" t="s"><v>{idx}</v></c>')
        append(f'<row r="{r}">' + "".join(cells) + "</row>")
    append("</sheetData></worksheet>")
    return "".join(out)


def xlsx_bytes(rows: Iterable[Sequence], sheet_name: str = "Sheet1",
               sheets: list[tuple[str, Iterable[Sequence]]] | None = None) -> bytes:
    """An .xlsx workbook holding ``rows`` (or several ``sheets``: (name, rows) pairs).

    Cell values: ``str`` (shared string), ``int`` / ``float`` (number), ``datetime.date``
    (a real date cell shown dd/mm/yyyy, the year stored as given), ``None`` / ``''`` (empty).
    """
    if sheets is None:
        sheets = [(sheet_name, rows)]
    strings: dict[str, int] = {}
    sheet_xml = [_sheet_xml(r, strings) for _, r in sheets]
    sst = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
           f'uniqueCount="{len(strings)}">']
    sst += ['<si><t xml:space="preserve">' + _esc(s) + "</t></si>" for s in strings]
    sst.append("</sst>")
    wb = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
          + "".join(f'<sheet name="{_esc(n)}" sheetId="{i}" r:id="rId{i}"/>'
                    for i, (n, _) in enumerate(sheets, start=1))
          + "</sheets></workbook>")
    n = len(sheets)
    wb_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                         for i in range(1, n + 1))
               + f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
               + f'<Relationship Id="rId{n + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
               + "</Relationships>")
    ct = _CONTENT_TYPES.format(sheets="".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)))
    parts = [("[Content_Types].xml", ct), ("_rels/.rels", _RELS), ("docProps/core.xml", _CORE),
             ("docProps/app.xml", _APP), ("xl/workbook.xml", wb), ("xl/_rels/workbook.xml.rels", wb_rels),
             ("xl/styles.xml", _STYLES), ("xl/sharedStrings.xml", "".join(sst))]
    parts += [(f"xl/worksheets/sheet{i}.xml", x) for i, x in enumerate(sheet_xml, start=1)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            z.writestr(info, text.encode("utf-8"), compresslevel=6)
    return buf.getvalue()


def write_xlsx(path: Path, rows: Iterable[Sequence], sheet_name: str = "Sheet1") -> None:
    Path(path).write_bytes(xlsx_bytes(rows, sheet_name))


def have_xlwt() -> bool:
    try:
        import xlwt  # noqa: F401
    except Exception:  # pragma: no cover - depends on the machine
        return False
    return True


def xls_bytes(rows: Iterable[Sequence], sheet_name: str = "Sheet1") -> bytes:
    """A BIFF8 .xls (through ``xlwt``); dates are written as text by the caller."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet_name)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write(r, c, float(v) if isinstance(v, float) else int(v))
            else:
                ws.write(r, c, str(v))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: Iterable[Sequence], encoding: str = "utf-8-sig") -> bytes:
    """CSV text (CRLF line ends, as Excel writes) in ``encoding``: ``utf-8-sig``, ``utf-8``
    or ``cp874``."""
    sio = io.StringIO()
    w = csv.writer(sio, lineterminator="\r\n")
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    return sio.getvalue().encode(encoding)
