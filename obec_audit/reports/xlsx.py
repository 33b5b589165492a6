"""The reports' fast xlsx writer: a workbook of :class:`~obec_audit.reports.layout._Sheet`
layouts written straight as SpreadsheetML text (≈ 1 µs a cell instead of openpyxl's ≈ 45).

It writes what openpyxl's write-only mode writes for the same layout (the same elements and
attributes, inline strings, no shared strings), so a workbook opens and prints exactly as
before; the styles part (fonts, fills, borders, the ``obec …`` named styles, the Thai Normal
font) and the theme are openpyxl's own, made once per process from a one-row workbook.
``tests/reports/test_xlsx.py`` checks both writers give the same cells, styles and print
setup. ``OBEC_AUDIT_XLSX=openpyxl`` selects openpyxl's writer instead.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path

from openpyxl.utils import get_column_letter

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


@lru_cache(maxsize=None)
def _template() -> tuple[bytes, bytes, dict[str, int]]:
    """(styles.xml, theme1.xml, {style key: cell xf index}) as openpyxl writes them for a
    workbook holding every report style (built once per process)."""
    from xml.etree import ElementTree as ET

    from openpyxl import Workbook

    from obec_audit.reports.layout import _STYLE_SPECS, _cell, _register_styles, _thai_normal_font

    wb = Workbook(write_only=True)
    _thai_normal_font(wb)
    arrays = _register_styles(wb)
    ws = wb.create_sheet("s")
    keys = list(_STYLE_SPECS)
    ws.append([_cell(ws, "x", arrays[k]) for k in keys])
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as z:
        styles = z.read("xl/styles.xml")
        theme = z.read("xl/theme/theme1.xml")
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    cells = sheet.findall(f".//{{{_NS}}}c")
    sid = {k: int(c.get("s")) for k, c in zip(keys, cells)}
    return styles, theme, sid


_ESC = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}
_ESC_ATTR = {**_ESC, ord('"'): "&quot;", ord("\n"): "&#10;", ord("\t"): "&#9;"}


def _esc(s: str) -> str:
    return s.translate(_ESC)


def _num(v) -> str:
    """A number as openpyxl writes it (``%.16g``; NaN and infinity as empty)."""
    if v != v or v in (float("inf"), float("-inf")):
        return ""
    return "%.16g" % v


def _c(ref: str, v, s: int) -> str:
    """One ``<c>`` element: ``v`` is already a cell's value (text cleaned, or a number, a
    bool, None); text is always text (never a formula or an error value)."""
    t = type(v)
    if t is str:
        if v == "":
            return f'<c r="{ref}" s="{s}" t="inlineStr"/>'
        if len(v) > 32767:
            v = v[:32767]
        sp = ' xml:space="preserve"' if v != v.strip() else ""
        return f'<c r="{ref}" s="{s}" t="inlineStr"><is><t{sp}>{v.translate(_ESC)}</t></is></c>'
    if v is None:
        return f'<c r="{ref}" s="{s}" t="n"/>'
    if t is bool:
        return f'<c r="{ref}" s="{s}" t="b"><v>{int(v)}</v></c>'
    return f'<c r="{ref}" s="{s}" t="n"><v>{_num(v)}</v></c>'


def _fmt(x) -> str:
    """A width, height or margin as openpyxl writes it."""
    return repr(float(x)).removesuffix(".0") if float(x) != int(x) else str(int(x))


_HF_CODES = re.compile(r"&\[(Tab|Pages|Date|Path|Page|Time|File|Picture)\]")
_HF_CODE = {"Tab": "&A", "Pages": "&N", "Date": "&D", "Path": "&Z", "Page": "&P", "Time": "&T",
            "File": "&F", "Picture": "&G"}
_HF_CONTROL = re.compile(r"[\001-\031]")


def _hf_part(code: str, text: str, font: str, size: int) -> str:
    """One part of a page header or footer as openpyxl writes it."""
    if not text:
        return ""
    s = _HF_CODES.sub(lambda m: _HF_CODE[m.group(1)], f'&{code}&"{font}"&{size} {text}')
    return _HF_CONTROL.sub(lambda m: "_x{:0>4x}_".format(ord(m.group(0))), s)


def _sheet_xml(layout, sid: dict[str, int], selected: bool, hf: dict) -> str:
    from obec_audit.reports.layout import _MARGINS, ROW_PT, _value

    out = [f'<worksheet xmlns="{_NS}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>'
           '<pageSetUpPr fitToPage="1"/></sheetPr><sheetViews>'
           f'<sheetView showGridLines="0" tabSelected="{int(selected)}" workbookViewId="0">']
    fr, fc = layout.freeze or (1, 1)
    if fr > 1 or fc > 1:
        top = f"{get_column_letter(fc)}{fr}"
        split = (f' xSplit="{fc - 1}"' if fc > 1 else "") + (f' ySplit="{fr - 1}"' if fr > 1 else "")
        pane = "bottomRight" if fr > 1 and fc > 1 else "bottomLeft" if fr > 1 else "topRight"
        out.append(f'<pane{split} topLeftCell="{top}" activePane="{pane}" state="frozen"/>')
        if fr > 1 and fc > 1:
            out.append('<selection pane="topRight"/><selection pane="bottomLeft"/>')
        out.append(f'<selection pane="{pane}" activeCell="A1" sqref="A1"/>')
    else:
        out.append('<selection activeCell="A1" sqref="A1"/>')
    out.append(f'</sheetView></sheetViews><sheetFormatPr baseColWidth="8" '
               f'defaultRowHeight="{_fmt(ROW_PT)}" customHeight="1"/>')
    if layout.widths:
        out.append("<cols>")
        out += [f'<col width="{_fmt(w)}" customWidth="1" min="{j}" max="{j}"/>'
                for j, w in enumerate(layout.widths, start=1)]
        out.append("</cols>")
    out.append("<sheetData>")

    heights = layout.heights
    letters = [get_column_letter(j) for j in range(1, 1 + max(
        [len(layout.widths), *(max(r) for r in layout.cells.values() if r),
         *(fc_ + len(cols) - 1 for _n, cols, _st, fc_ in layout.tables.values())], default=1))]

    def row_open(r: int) -> str:
        h = heights.get(r)
        return f'<row r="{r}">' if h is None else f'<row r="{r}" ht="{_fmt(h)}" customHeight="1">'

    for r, kind, item in layout.rows():
        if kind == "table":
            _n, columns, st, first_col = item
            ids = [sid[s] for s in st]
            refs = letters[first_col - 1:first_col - 1 + len(columns)]
            for values in zip(*columns):
                out.append(row_open(r))
                out += [_c(f"{a}{r}", v, s) for a, v, s in zip(refs, values, ids)]
                out.append("</row>")
                r += 1
        elif kind == "cells":
            out.append(row_open(r))
            out += [_c(f"{letters[c - 1]}{r}", _value(v), sid[s])
                    for c, (v, s) in sorted(item.items())]
            out.append("</row>")
        else:
            h = heights.get(r)
            out.append(f'<row r="{r}"/>' if h is None
                       else f'<row r="{r}" ht="{_fmt(h)}" customHeight="1"/>')
    out.append("</sheetData>")
    if layout.autofilter:
        out.append(f'<autoFilter ref="{layout.autofilter}"/>')
    if layout.merges:
        out.append(f'<mergeCells count="{len(layout.merges)}">')
        out += [f'<mergeCell ref="{m}"/>' for m in layout.merges]
        out.append("</mergeCells>")
    m = _MARGINS
    out.append('<printOptions horizontalCentered="1"/>'
               f'<pageMargins left="{_fmt(m["left"])}" right="{_fmt(m["right"])}" '
               f'top="{_fmt(m["top"])}" bottom="{_fmt(m["bottom"])}" '
               f'header="{_fmt(m["header"])}" footer="{_fmt(m["footer"])}"/>'
               f'<pageSetup orientation="{"landscape" if layout.landscape else "portrait"}" '
               'paperSize="9" fitToHeight="0" fitToWidth="1"/><headerFooter>')
    font, size = hf["font"], hf["size"]
    head = _hf_part("C", hf["header"], font, size)
    foot = "".join(_hf_part(code, text, font, size) for code, text in
                   (("L", hf["left"]), ("C", hf["center"]), ("R", hf["right"])))
    out.append((f"<oddHeader>{_esc(head)}</oddHeader>" if head else "")
               + (f"<oddFooter>{_esc(foot)}</oddFooter>" if foot else "")
               + "<evenHeader></evenHeader><evenFooter></evenFooter><firstHeader></firstHeader>"
               "<firstFooter></firstFooter></headerFooter>")
    breaks = [b for b in sorted(layout.breaks) if b > 1]
    if breaks:
        out.append(f'<rowBreaks count="{len(breaks)}" manualBreakCount="{len(breaks)}">')
        out += [f'<brk id="{b - 1}" min="0" max="16383" man="1"/>' for b in breaks]
        out.append("</rowBreaks>")
    out.append("</worksheet>")
    return "".join(out)


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def write_book(sheets, path: Path, header_footer) -> Path:
    """Write the layouts ``sheets`` as an .xlsx at ``path`` (through a temporary file);
    ``header_footer(layout)`` gives the page header and footer texts of a layout."""
    styles, theme, sid = _template()
    n = len(sheets)
    names = []
    for i, layout in enumerate(sheets):
        if layout.print_cols and layout.last_row:
            ref = f"$A$1:${get_column_letter(layout.print_cols)}${layout.last_row}"
            names.append(f'<definedName name="_xlnm.Print_Area" localSheetId="{i}">'
                         f"{_esc(_quote_sheet(layout.title))}!{ref}</definedName>")
    sheet_els = "".join(
        f'<sheet xmlns:r="{_NS_R}" name="{layout.title.translate(_ESC_ATTR)}" sheetId="{i}" '
        f'state="visible" r:id="rId{i}"/>' for i, layout in enumerate(sheets, start=1))
    workbook = (f'<workbook xmlns="{_NS}"><workbookPr/><workbookProtection/><bookViews>'
                '<workbookView visibility="visible" minimized="0" showHorizontalScroll="1" '
                'showVerticalScroll="1" showSheetTabs="1" tabRatio="600" firstSheet="0" '
                'activeTab="0" autoFilterDateGrouping="1"/></bookViews>'
                f"<sheets>{sheet_els}</sheets>"
                + (f"<definedNames>{''.join(names)}</definedNames>" if names else "")
                + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    wb_rels = (f'<Relationships xmlns="{_NS_PR}">'
               + "".join(f'<Relationship Type="{rel}worksheet" '
                         f'Target="/xl/worksheets/sheet{i}.xml" Id="rId{i}"/>'
                         for i in range(1, n + 1))
               + f'<Relationship Type="{rel}styles" Target="styles.xml" Id="rId{n + 1}"/>'
               f'<Relationship Type="{rel}theme" Target="theme/theme1.xml" Id="rId{n + 2}"/>'
               "</Relationships>")
    ct = "application/vnd.openxmlformats-officedocument."
    types = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/xl/styles.xml" ContentType="{ct}spreadsheetml.styles+xml"/>'
             f'<Override PartName="/xl/theme/theme1.xml" ContentType="{ct}theme+xml"/>'
             '<Override PartName="/docProps/core.xml" ContentType="application/vnd.'
             'openxmlformats-package.core-properties+xml"/>'
             f'<Override PartName="/docProps/app.xml" ContentType="{ct}extended-properties+xml"/>'
             + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                       f'ContentType="{_CT_SHEET}"/>' for i in range(1, n + 1))
             + f'<Override PartName="/xl/workbook.xml" ContentType="{ct}spreadsheetml.'
             'sheet.main+xml"/></Types>')
    rels = (f'<Relationships xmlns="{_NS_PR}"><Relationship Type="{rel}officeDocument" '
            'Target="xl/workbook.xml" Id="rId1"/><Relationship Type="http://schemas.'
            'openxmlformats.org/package/2006/relationships/metadata/core-properties" '
            f'Target="docProps/core.xml" Id="rId2"/><Relationship Type="{rel}'
            'extended-properties" Target="docProps/app.xml" Id="rId3"/></Relationships>')
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    stamp = ('xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/'
             'XMLSchema-instance" xsi:type="dcterms:W3CDTF"')
    core = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties"><dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"obec_audit</dc:creator><dcterms:created {stamp}>{now}</dcterms:created>"
            f"<dcterms:modified {stamp}>{now}</dcterms:modified></cp:coreProperties>")
    app = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           'extended-properties"><Application>Microsoft Excel Compatible / obec_audit'
           "</Application></Properties>")

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            z.writestr("[Content_Types].xml", types)
            z.writestr("_rels/.rels", rels)
            z.writestr("docProps/app.xml", app)
            z.writestr("docProps/core.xml", core)
            z.writestr("xl/workbook.xml", workbook)
            z.writestr("xl/_rels/workbook.xml.rels", wb_rels)
            z.writestr("xl/styles.xml", styles)
            z.writestr("xl/theme/theme1.xml", theme)
            for i, layout in enumerate(sheets, start=1):
                xml = _sheet_xml(layout, sid, i == 1, header_footer(layout))
                z.writestr(f"xl/worksheets/sheet{i}.xml", xml.encode("utf-8"))
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path



def describe(path) -> dict:
    """What a workbook shows and prints, read back by openpyxl: per sheet every cell's value,
    type and look (style name, font, fill, border, alignment, number format), merges, column
    widths, row heights, view, page setup, margins, header and footer, page breaks and print
    area; and the workbook's named styles and Normal font. Two writers are equivalent when
    their workbooks describe alike (tests, ``benchmarks/compare_outputs.py``)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)

    def font(f):
        return (f.name, f.sz, f.b, f.i, f.color.rgb if f.color is not None else None, f.family,
                f.charset)

    def side(s):
        return (s.style, s.color.rgb if s.color is not None else None)

    def look(c):
        a, b, fl = c.alignment, c.border, c.fill
        return (c.style, font(c.font), (fl.fill_type, fl.fgColor.rgb),
                tuple(side(x) for x in (b.left, b.right, b.top, b.bottom)),
                (a.horizontal, a.vertical, a.wrap_text, a.indent), c.number_format)

    def hf(item):
        return tuple((p.text, p.font, p.size) for p in (item.left, item.center, item.right))

    out: dict = {"sheets": wb.sheetnames, "named_styles": list(wb.named_styles),
                 "normal_font": font(wb._fonts[0])}
    for ws in wb.worksheets:
        ps, v = ws.page_setup, ws.sheet_view
        out[ws.title] = {
            "cells": {c.coordinate: (c.value, c.data_type, look(c))
                      for row in ws.iter_rows() for c in row if c.has_style or c.value is not None},
            "merges": sorted(str(r) for r in ws.merged_cells.ranges),
            "widths": {k: (d.width, d.customWidth) for k, d in ws.column_dimensions.items()},
            "heights": {k: (d.height, d.customHeight) for k, d in ws.row_dimensions.items()
                        if d.height is not None},
            "default_height": (ws.sheet_format.defaultRowHeight, ws.sheet_format.customHeight),
            "view": (v.showGridLines, v.tabSelected, ws.freeze_panes,
                     [(s.pane, s.activeCell, s.sqref) for s in v.selection]),
            "page": (ps.paperSize, ps.orientation, ps.fitToWidth, ps.fitToHeight,
                     ws.sheet_properties.pageSetUpPr.fitToPage,
                     ws.print_options.horizontalCentered, ws.print_area, ws.print_title_rows,
                     ws.auto_filter.ref),
            "margins": tuple(getattr(ws.page_margins, k)
                             for k in ("left", "right", "top", "bottom", "header", "footer")),
            "header_footer": (hf(ws.oddHeader), hf(ws.oddFooter)),
            "breaks": [(b.id, b.min, b.max, b.man) for b in ws.row_breaks.brk],
        }
    return out
