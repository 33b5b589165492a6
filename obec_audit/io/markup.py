"""Tables in markup that web systems save as "Excel": HTML ``<table>`` and Excel 2003 XML
(SpreadsheetML). Standard library only; cell text as shown (tags dropped, entities decoded,
white space collapsed), ``colspan`` cells padded so columns stay aligned.

>>> read_tables('<table><tr><th>ชื่อ</th><th>x</th></tr><tr><td>ก&amp;ข</td><td colspan=2>1</td></tr></table>'.encode(), 'html')
[('ตาราง 1', [['ชื่อ', 'x'], ['ก&ข', '1', None]])]
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from obec_audit.io.csvtext import decode_text

__all__ = ["read_tables"]

_WS = re.compile(r"\s+")


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list]] = []
        self._stack: list[list[list]] = []
        self._row: list | None = None
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._close_row()
            self._row = []
        elif tag in ("td", "th") and self._stack:
            if self._row is None:
                self._row = []
            self._close_cell()
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if str(span).strip().isdigit() else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_row()
        elif tag == "table" and self._stack:
            self._close_row()
            rows = self._stack.pop()
            if rows:
                self.tables.append(rows)

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def _close_cell(self):
        if self._cell is not None and self._row is not None:
            text = _WS.sub(" ", "".join(self._cell)).strip()
            self._row.append(text or None)
            self._row.extend([None] * (min(self._span, 200) - 1))
        self._cell = None
        self._span = 1

    def _close_row(self):
        self._close_cell()
        if self._row is not None and self._stack:
            self._stack[-1].append(self._row)
        self._row = None


def _html(text: str) -> list[tuple[str, list[list]]]:
    p = _Tables()
    p.feed(text)
    p.close()
    while p._stack:  # unclosed tables
        p.handle_endtag("table")
    return [(f"ตาราง {k}", rows) for k, rows in enumerate(p.tables, start=1)]


_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def _xml2003(text: str) -> list[tuple[str, list[list]]]:
    root = ET.fromstring(text.encode("utf-8"))
    out = []
    for k, ws in enumerate(root.iter(f"{_SS}Worksheet"), start=1):
        name = ws.get(f"{_SS}Name") or f"Sheet{k}"
        rows: list[list] = []
        for table in ws.iter(f"{_SS}Table"):
            for row in table.iter(f"{_SS}Row"):
                idx = row.get(f"{_SS}Index")
                while idx and idx.isdigit() and len(rows) < int(idx) - 1:
                    rows.append([])
                cells: list = []
                for cell in row.iter(f"{_SS}Cell"):
                    ci = cell.get(f"{_SS}Index")
                    if ci and ci.isdigit():
                        cells.extend([None] * (int(ci) - 1 - len(cells)))
                    d = cell.find(f"{_SS}Data")
                    v = "".join(d.itertext()).strip() if d is not None else ""
                    cells.append(v or None)
                rows.append(cells)
        out.append((name, rows))
    return out


def read_tables(data: bytes, kind: str) -> list[tuple[str, list[list]]]:
    """(name, rows of text/None) for every table of an HTML page (``kind='html'``) or every
    worksheet of an Excel 2003 XML file (``kind='xml2003'``)."""
    text, _enc = decode_text(data)
    m = re.search(r"<meta[^>]+charset=[\"']?([\w-]+)", text[:4096], re.IGNORECASE)
    if m and _enc == "cp874" and m.group(1).lower() in ("utf-8", "utf8"):
        text = data.decode("utf-8", errors="replace")
    if kind == "xml2003":
        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text.lstrip("\ufeff"))
        return _xml2003(text)
    return _html(text)
