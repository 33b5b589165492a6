"""Writers of odd and damaged student lists (the battery of ``test_battery``), all synthetic."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from obec_audit.ids import pin

HEADER = ["รหัสโรงเรียน", "เลขประจำตัวประชาชน", "ชั้น", "ห้อง", "เพศ", "คำนำหน้าชื่อ", "ชื่อ", "นามสกุล", "วันเกิด"]
_FIRST = ["สมชาย", "สมหญิง", "มานะ", "มานี", "ปิติ", "ชูใจ", "วีระ", "ดวงใจ", "อนันต์", "กานดา", "ประเสริฐ", "พรทิพย์"]


def pid(k: int) -> str:
    """A valid synthetic 13-digit ID (type 1)."""
    body = f"1{57010000 + k:08d}{k % 1000:03d}"[:12]
    return body + pin.calc_check_digit(body)


def students(n: int = 12, school: str = "57010001", start: int = 0) -> list[list[str]]:
    rows = []
    for i in range(n):
        k = start + i
        sex = "ช" if k % 2 == 0 else "ญ"
        rows.append([school, pid(k + 1), f"ป.{k % 6 + 1}", "1", sex, "ด.ช." if sex == "ช" else "ด.ญ.",
                     _FIRST[k % len(_FIRST)], f"ใจดี{k}", f"{(k % 28) + 1:02d}/05/2560"])
    return rows


def table(n: int = 12, **kw) -> list[list[str]]:
    return [HEADER, *students(n, **kw)]


def csv_text(rows: list[list], delim: str = ",", eol: str = "\r\n") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator=eol)
    w.writerows([["" if v is None else v for v in r] for r in rows])
    return buf.getvalue()


def html_table(rows: list[list], before: str = "") -> str:
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v or ''))}</td>" for v in r) + "</tr>" for r in rows)
    return (f'<html><head><meta charset="utf-8"></head><body>{before}'
            f'<table border="1">{body}</table></body></html>')


def xml2003(rows: list[list], sheet: str = "Sheet1") -> str:
    def cell(v):
        return f'<Cell><Data ss:Type="String">{escape(str(v))}</Data></Cell>' if v not in (None, "") else "<Cell/>"

    body = "".join("<Row>" + "".join(cell(v) for v in r) + "</Row>" for r in rows)
    return ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
            'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
            f'<Worksheet ss:Name="{sheet}"><Table>{body}</Table></Worksheet></Workbook>')


def ods_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A minimal OpenDocument spreadsheet."""
    def cell(v):
        if v in (None, ""):
            return "<table:table-cell/>"
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
        + "</table:table>" for name, rows in sheets.items())
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>'
               '</office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def xls_bytes(rows: list[list], path: Path) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            if v not in (None, ""):
                ws.write(i, j, v)
    wb.save(str(path))
    return path


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()
