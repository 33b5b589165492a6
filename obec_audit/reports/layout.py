"""The xlsx layout engine of the reports: sheet layouts kept until saved, then written by
:mod:`obec_audit.reports.xlsx` (SpreadsheetML text, ≈ 1 µs a cell) or, on request, streamed
by openpyxl in write-only mode; both give the same workbook with a set of NamedStyles
(``obec head``, ``obec cell`` …).

The reports fill rows out of order and a write-only sheet takes its rows in order, so a
:class:`_Sheet` keeps cells by row, whole tables as columns, merges, widths, heights and print
setup; :class:`_Book` writes each layout. openpyxl costs about 40 ms of CPU a workbook plus
~45 µs a cell.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "TH Sarabun New"

# ------------------------------------------------------------------------------ styles
# A workbook's look is a set of openpyxl NamedStyles ("obec head", "obec cell", …) registered
# once per workbook; a cell takes its style's array, which is what ``cell.style = name``
# gives it, without openpyxl's look-up by name for each of ~100,000 cells.
_GREY, _LIGHT, _SUBTLE = "FFD9D9D9", "FFF2F2F2", "FFF7F7F7"

_ALIGN: dict[str, dict] = {
    "l": dict(horizontal="left", vertical="center", indent=1),
    "lw": dict(horizontal="left", vertical="center", wrap_text=True, indent=1),
    "c": dict(horizontal="center", vertical="center"),
    "cb": dict(horizontal="center", vertical="bottom"),
    "cw": dict(horizontal="center", vertical="center", wrap_text=True),
    "r": dict(horizontal="right", vertical="center"),
}

#: name -> ((size, bold, colour), alignment, border?, fill colour, number format)
_STYLE_SPECS: dict[str, tuple] = {
    "title": ((16, True, None), "c", False, None, "General"),
    "sub": ((15, False, None), "c", False, None, "General"),
    "note": ((14, False, None), "l", False, None, "General"),
    "note_r": ((14, False, None), "r", False, None, "General"),
    "warn": ((14, True, "FFC00000"), "l", False, None, "General"),
    "section": ((15, True, None), "l", False, None, "General"),
    "sign": ((15, False, None), "c", False, None, "General"),
    "sign_b": ((15, False, None), "cb", False, None, "General"),
    "title_w": ((16, True, None), "cw", False, None, "General"),
    "sub_w": ((15, False, None), "cw", False, None, "General"),
    "note_w": ((14, False, None), "lw", False, None, "General"),
    "warn_w": ((14, True, "FFC00000"), "lw", False, None, "General"),
    "section_w": ((15, True, None), "lw", False, None, "General"),
    "sign_w": ((15, False, None), "cw", False, None, "General"),
    "empty_w": ((14, False, None), "cw", True, None, "General"),
    "head": ((14, True, None), "cw", True, _GREY, "General"),
    "cell": ((14, False, None), "l", True, None, "@"),
    "cell_w": ((14, False, None), "lw", True, None, "@"),
    "cell_c": ((14, False, None), "c", True, None, "@"),
    "cell_cw": ((14, False, None), "cw", True, None, "@"),
    "cell_cn": ((14, False, None), "c", True, None, "General"),
    "num": ((14, False, None), "r", True, None, "#,##0"),
    "int": ((14, False, None), "c", True, None, "General"),
    "pct": ((14, False, None), "r", True, None, "0.0"),
    "sub_l": ((14, True, None), "l", True, _SUBTLE, "@"),
    "sub_lw": ((14, True, None), "lw", True, _SUBTLE, "@"),
    "sub_n": ((14, True, None), "r", True, _SUBTLE, "#,##0"),
    "tot_l": ((14, True, None), "c", True, _LIGHT, "@"),
    "tot_lw": ((14, True, None), "cw", True, _LIGHT, "@"),
    "tot_n": ((14, True, None), "r", True, _LIGHT, "#,##0"),
    "tot_p": ((14, True, None), "r", True, _LIGHT, "0.0"),
    "empty": ((14, False, None), "c", True, None, "General"),
}
#: the name a style has in the workbook (Excel's Home > Cell Styles lists them)
_STYLE_PREFIX = "obec "
_THIN = Side(style="thin", color="FF000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_NO_BOX = Border(left=Side(), right=Side(), top=Side(), bottom=Side(), diagonal=Side())


@lru_cache(maxsize=None)
def _style_parts(spec: tuple) -> dict:
    """The font, alignment, border, fill and number format of a style spec, built once per
    process (openpyxl's style objects are immutable values, shared by every workbook)."""
    (size, bold, colour), al, box, fill, fmt = spec
    return dict(
        # family 2 (swiss) and charset 222 (Thai): what Excel writes for a Thai font
        font=Font(name=FONT_NAME, size=size, bold=bold, color=colour, family=2, charset=222),
        alignment=Alignment(**_ALIGN[al]),
        border=_BOX if box else _NO_BOX,
        fill=PatternFill(fill_type="solid", fgColor=fill) if fill else PatternFill(),
        number_format=fmt,
    )


def _thai_normal_font(wb: Workbook) -> None:
    """Make TH Sarabun New 14 the workbook's Normal font (openpyxl fixes it at Calibri 11 and
    has no public setting). It matters beyond empty cells: Excel and LibreOffice measure
    column widths in digits of the Normal font, and the widths here are set for TH Sarabun
    New 14 — under Calibri every column is about a fifth narrower, headers wrap and
    report 1 no longer fits its page. Font 0 of the workbook is the Normal style's font and
    the font of any cell without a style, so replacing it does both. Should a later openpyxl
    lay its styles out otherwise, the workbook keeps Calibri (tests check the font)."""
    font = Font(name=FONT_NAME, size=14, family=2, charset=222)
    try:
        fonts = wb._fonts
        if len(fonts) == 1 and fonts[0].name == "Calibri":
            wb._fonts = type(fonts)([font])
    except (AttributeError, IndexError, TypeError):
        pass


def _register_styles(wb: Workbook) -> dict[str, object]:
    """Register the report styles as NamedStyles of ``wb`` (styles of equal look once) and
    return, per style key of ``_STYLE_SPECS``, the style array its cells take."""
    arrays: dict[str, object] = {}
    by_spec: dict[tuple, object] = {}
    for key, spec in _STYLE_SPECS.items():
        arr = by_spec.get(spec)
        if arr is None:
            ns = NamedStyle(name=_STYLE_PREFIX + key, **_style_parts(spec))
            wb.add_named_style(ns)
            arr = by_spec[spec] = ns.as_tuple()
        arrays[key] = arr
    return arrays


#: XML 1.0 forbids these; openpyxl refuses the first group, lxml the last two
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# ---- how much room text takes when printed (TH Sarabun New 14 pt; measured on LibreOffice's
# PDF of this font's metric twin, Laksaman, and kept on the safe side for Excel on Windows)
#: points per column-width unit: LibreOffice prints 7.45 pt (TH Sarabun New 14 as the Normal
#: font); a little less here, so that text measured to fit does fit
UNIT_PT = 7.2
#: the same unit as the page's fit-to-width scale is reckoned (LibreOffice prints the columns
#: ~7.65 pt a unit wide, so the scale reckoned here is never smaller than the printed one)
SCALE_UNIT_PT = 7.6
#: a cell's indent and borders (points)
PAD_PT = 12.0
#: line pitch of 14 pt text when printed (LibreOffice: 22.7 pt)
LINE_PT = 22.7
#: height of a one-line row
ROW_PT = 21.75
#: Thai and Latin words do not fill a line to the last point: wrapped lines hold this share
WRAP_FILL = 0.9
#: Thai marks that take no horizontal room (above/below vowels, tone marks)
_ZERO_WIDTH = {c: None for c in [0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F),
                                 0x200B, 0x200C, 0x200D]}


def _char_pt(ch: str) -> float:
    if "\u0e00" <= ch <= "\u0e7f":
        return 8.0
    if ch.isdigit():
        return 7.4
    if "a" <= ch <= "z":
        return 7.0
    if "A" <= ch <= "Z":
        return 10.6
    if ch == " ":
        return 3.6
    if ch.isascii():
        return 5.5
    return 9.0


@lru_cache(maxsize=131072)
def text_pt(text: str, size: float = 14) -> float:
    """Printed width of one line of ``text`` in points (at font ``size``)."""
    return sum(_char_pt(ch) for ch in text.translate(_ZERO_WIDTH)) * size / 14


def cell_pt(width_units: float) -> float:
    """The room for text inside a cell ``width_units`` wide (points)."""
    return max(width_units * UNIT_PT - PAD_PT, 6.0)


@lru_cache(maxsize=65536)
def lines_needed(text: str, width_units: float, size: float = 14) -> int:
    """Lines a wrapped cell of ``width_units`` needs to show ``text`` whole."""
    room = cell_pt(width_units)
    cap = room * WRAP_FILL
    total = 0
    for part in text.split("\n"):
        w = text_pt(part, size)
        total += 1 if w <= room else max(2, -(-int(w) // int(cap)))
    return total


def row_pt(lines: int, size: float = 14) -> float:
    """The height of a row showing ``lines`` lines."""
    if lines <= 1 and size <= 14:
        return ROW_PT
    return round(lines * LINE_PT * size / 14 + 4, 2)


#: A4 in points, and the margins below (inches): printable width and height
_A4 = (595.0, 842.0)
_MARGINS = dict(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.25, footer=0.3)
#: a page is filled to this share of what the estimate says fits (the rest is safety)
PAGE_FILL = 0.98


def _clean(s: str) -> str:
    if _ILLEGAL.search(s):
        s = _ILLEGAL.sub("", s)
    return s


def _value(v):
    """A value as a cell takes it: text cleaned, missing (None, NA, NaN, NaT) as None, numbers
    as Python numbers, anything else as its text."""
    t = type(v)
    if t is str:
        return _clean(v)
    if t is int or t is float and v == v:
        return v
    if v is None or t is float:
        return None
    if t is bool:
        return v
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "dtype") and hasattr(v, "item"):  # numpy scalars
        return v.item()
    return _clean(str(v))


_SEP = "\ue000"  # a private-use character joins a column's texts for one-pass cleaning


def _values(values) -> list:
    """:func:`_value` of a whole column; a column of text is cleaned in one pass."""
    if isinstance(values, range):
        return list(values)
    values = list(values)
    if values and all(type(v) is str for v in values):
        joined = _SEP.join(values)
        if not _ILLEGAL.search(joined):
            return values
        if joined.count(_SEP) == len(values) - 1:
            return _ILLEGAL.sub("", joined).split(_SEP)
    return [_value(v) for v in values]


class _Sheet:
    """The layout of one worksheet, kept until the workbook is saved: cells by row (single
    cells and whole tables), merges, column widths, row heights, page breaks, print setup.
    openpyxl's write-only worksheets need their rows in order; the reports fill them out of
    order.

    The sheet lays out its own pages: it knows the printed height of every row (wrapped
    text included, see :func:`lines_needed`) and how far the page is scaled to fit its width,
    so a table with a header starts every page it runs onto with that header (a page break
    and the header row again), and blocks that belong together (a signature, a small summary
    table) are moved whole to the next page instead of being split. No rows are repeated by
    the printer, so nothing is ever printed under a header that is not its own."""

    def __init__(self, title: str):
        self.title = title
        self.cells: dict[int, dict[int, tuple]] = {}  # row -> col -> (value, style)
        self.tables: dict[int, tuple] = {}  # first row -> (n rows, columns, styles)
        self._table_rows: set[int] = set()
        self.merges: list[str] = []
        self.widths: list[float] = []
        self.heights: dict[int, float] = {}
        self.breaks: set[int] = set()  # rows that start a printed page
        self.landscape = False
        self.header = ""  # page header, centre (school, code, census date)
        self.footer = ""  # page footer, left
        self.freeze: tuple[int, int] | None = None  # (first unfrozen row, first unfrozen col)
        self.autofilter: str | None = None
        self.print_cols: int | None = None  # columns printed (None: all)

    def setup(self, widths: list[float], *, landscape: bool = False, header: str = "",
              footer: str = "") -> None:
        self.widths = list(widths)
        self.landscape = landscape
        self.header = header
        self.footer = footer

    def put(self, r: int, c: int, value, style: str) -> None:
        if r in self._table_rows:
            raise ValueError(f"row {r} of {self.title!r} was written as a table row")
        self.cells.setdefault(r, {})[c] = (value, style)

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        self.merges.append(f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}")

    # ---- pages
    def scale(self) -> float:
        """The print scale that fits the columns to the page width (at most 1), reckoned
        with the narrowest column unit so that the page height is never overestimated."""
        w = _A4[1] if self.landscape else _A4[0]
        room = w - 72 * (_MARGINS["left"] + _MARGINS["right"])
        widths = self.widths[:self.print_cols] if self.print_cols else self.widths
        return min(1.0, room / max(sum(widths) * SCALE_UNIT_PT, 1.0))

    def page_pt(self) -> float:
        """The height of sheet rows (points, unscaled) that one printed page holds."""
        h = _A4[0] if self.landscape else _A4[1]
        room = h - 72 * (_MARGINS["top"] + _MARGINS["bottom"])
        return room / self.scale() * PAGE_FILL

    def height(self, r: int) -> float:
        return self.heights.get(r, ROW_PT)

    def used(self, r: int) -> float:
        """The height taken on row ``r``'s page by the rows above it."""
        start = max((b for b in self.breaks if b <= r), default=1)
        return sum(self.height(i) for i in range(start, r))

    def keep(self, r: int, n: int) -> None:
        """Rows ``r`` … ``r + n - 1`` print on one page: when they do not fit under what is
        above them, the page breaks before ``r``."""
        need = sum(self.height(i) for i in range(r, r + n))
        used = self.used(r)
        if used > 0 and used + need > self.page_pt():
            self.breaks.add(r)

    def fits_rest(self, r: int, n: int) -> bool:
        """Whether rows ``r`` … ``r + n - 1`` fit on the page of row ``r``."""
        need = sum(self.height(i) for i in range(r, r + n))
        return self.used(r) + need <= self.page_pt()

    def table(self, r0: int, columns: list, styles: list[str],
              widths: list[float] | None = None, *, header: list[str] | None = None,
              lead: int = 0, first_col: int = 1, last: tuple | None = None) -> int:
        """Write columns (sequences of equal length) as rows from row ``r0``; returns the
        next row. Each row is as high as its wrapped text needs; a text column with a value
        wider than its cell wraps. With ``header``, the header row comes first and again at
        the top of every page the table runs onto; the header, the ``lead`` rows above it
        (a section title) and the first rows are kept on one page. ``last``: a closing row
        (values, styles), e.g. the totals, printed on a page of the table under its header."""
        n = len(columns[0]) if columns else 0
        if n == 0:
            return r0
        widths = list(widths or self.widths[first_col - 1:first_col - 1 + len(columns)])
        columns = [_values(v) for v in columns]
        styles = list(styles)
        hts = [ROW_PT] * n
        for j, (values, w) in enumerate(zip(columns, widths)):
            st = styles[j]
            (size, _, _), al = _STYLE_SPECS[st][0], _STYLE_SPECS[st][1]
            room = cell_pt(w)
            if al not in ("lw", "cw") and st in _WRAPS and any(
                    type(v) is str and text_pt(v, size) > room for v in values):
                st = styles[j] = _WRAPS[st]
                al = _STYLE_SPECS[st][1]
            if al in ("lw", "cw"):
                for i, v in enumerate(values):
                    if type(v) is str and text_pt(v, size) > room:
                        h = row_pt(lines_needed(v, w, size), size)
                        if h > hts[i]:
                            hts[i] = h
        head_h = ROW_PT
        if header:
            for h, w in zip(header, widths):
                head_h = max(head_h, row_pt(lines_needed(str(h), w)))
            top = r0 - lead
            need = sum(self.height(i) for i in range(top, r0)) + head_h + sum(hts[:3])
            used = self.used(top)
            if used > 0 and used + need > self.page_pt():
                self.breaks.add(top)
        page = self.page_pt()
        r, i = r0, 0
        while i < n:
            if header:
                for c, h in enumerate(header, start=first_col):
                    self.put(r, c, h, "head")
                if head_h != ROW_PT:
                    self.heights[r] = head_h
                r += 1
            used = self.used(r)
            j = i
            while j < n and (j == i or used + hts[j] <= page or not header):
                used += hts[j]
                j += 1
            rows = range(r, r + j - i)
            if any(x in self.cells or x in self._table_rows for x in rows):
                raise ValueError(f"rows {r}..{r + j - i - 1} of {self.title!r} are not free")
            self.tables[r] = (j - i, [c[i:j] for c in columns], list(styles), first_col)
            self._table_rows.update(rows)
            for k, x in enumerate(rows):
                if hts[i + k] != ROW_PT:
                    self.heights[x] = hts[i + k]
            r += j - i
            i = j
            if i < n:
                self.breaks.add(r)
        if last is not None:
            values, st = last
            if header and not self.fits_rest(r, 1):
                self.breaks.add(r)
                for c, h in enumerate(header, start=first_col):
                    self.put(r, c, h, "head")
                if head_h != ROW_PT:
                    self.heights[r] = head_h
                r += 1
            for c, (v, s) in enumerate(zip(values, st), start=first_col):
                self.put(r, c, v, s)
            r += 1
        return r

    @property
    def last_row(self) -> int:
        last = max(self.cells, default=0)
        for r0, (n, *_rest) in self.tables.items():
            last = max(last, r0 + n - 1)
        return last

    def rows(self):
        """The sheet's rows in order for a writer: ``(row, "table", (n, columns, styles,
        first col))`` once for a table's first row (its ``n`` rows follow from its columns),
        ``(row, "cells", {col: (value, style)})`` or ``(row, "empty", None)`` for one row."""
        last, cells, tables = self.last_row, self.cells, self.tables
        r = 1
        while r <= last:
            block = tables.get(r)
            if block is not None:
                yield r, "table", block
                r += block[0]
                continue
            row = cells.get(r)
            yield (r, "cells", row) if row else (r, "empty", None)
            r += 1


#: the wrapping twin of a one-line text style
_WRAPS = {"cell": "cell_w", "cell_c": "cell_cw", "sub_l": "sub_lw", "tot_l": "tot_lw"}


class _Book:
    """An openpyxl write-only workbook of :class:`_Sheet` layouts, with the report styles."""

    def __init__(self):
        self.sheets: list[_Sheet] = []

    def sheet(self, title: str) -> _Sheet:
        ws = _Sheet(title)
        self.sheets.append(ws)
        return ws

    def save(self, path, engine: str | None = None) -> Path:
        """Write the workbook: by :mod:`obec_audit.reports.xlsx` (``engine`` "fast", the
        default) or by openpyxl (``engine`` "openpyxl", or ``OBEC_AUDIT_XLSX=openpyxl``)."""
        engine = engine or os.environ.get("OBEC_AUDIT_XLSX") or "fast"
        if engine == "fast":
            from obec_audit.reports.xlsx import write_book

            return write_book(self.sheets, path, header_footer_texts)
        if engine != "openpyxl":
            raise ValueError(f"unknown xlsx engine {engine!r}")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        wb = Workbook(write_only=True)
        wb.properties.creator = "obec_audit"
        _thai_normal_font(wb)
        styles = _register_styles(wb)
        for i, layout in enumerate(self.sheets):
            _render(wb.create_sheet(layout.title), layout, styles, selected=i == 0)
        tmp = path.with_name(path.name + ".tmp")
        try:
            wb.save(tmp)
            tmp.replace(path)
        finally:
            if tmp.exists():
                tmp.unlink()
        return path


#: header and footer text: 12 pt, a third of the printable width each when all three are used
_HF_SIZE = 12


def _fit_text(text: str, room_pt: float, size: float = _HF_SIZE) -> str:
    """``text`` cut (with "…") to what ``room_pt`` points show at ``size``."""
    if text_pt(text, size) <= room_pt:
        return text
    while text and text_pt(text + "…", size) > room_pt:
        text = text[:-1]
    return text.rstrip() + "…"


def header_footer_texts(layout: _Sheet) -> dict:
    """Page header: the school and census date across the page; footer: a short left text,
    "หน้า n จาก N" in the centre, the sheet's name on the right, each within its third.
    Returns the font, size and the texts (``header``, ``left``, ``center``, ``right``)."""
    width = (_A4[1] if layout.landscape else _A4[0]) - 72 * (_MARGINS["left"] + _MARGINS["right"])
    third = width / 3 - 6
    # '&' starts a code in a header or footer; Excel allows 255 characters in all
    return dict(
        font=f"{FONT_NAME},Regular", size=_HF_SIZE,
        header=_fit_text(layout.header, width - 12).replace("&", "&&"),
        left=_fit_text(layout.footer, third).replace("&", "&&"),
        center="หน้า &P จาก &N",
        right="&A" if text_pt(layout.title, _HF_SIZE) <= third else "",
    )


def _header_footer(ws, layout: _Sheet) -> None:
    """The page header and footer of :func:`header_footer_texts` on an openpyxl sheet."""
    t = header_footer_texts(layout)
    if t["header"]:
        h = ws.oddHeader.center
        h.text, h.font, h.size = t["header"], t["font"], t["size"]
    foot = ws.oddFooter
    for part, text in ((foot.left, t["left"]), (foot.center, t["center"]),
                       (foot.right, t["right"])):
        if text:
            part.text, part.font, part.size = text, t["font"], t["size"]


def _cell(ws, value, style) -> Cell:
    """A write-only cell holding ``value`` (already cleaned) in the named style's array."""
    c = Cell(ws, row=1, column=1, value=value, style_array=style)
    if c.data_type in ("f", "e"):  # text like '=…' or '#N/A' is text here, never a formula
        c.data_type = "s"          # or an error value
    return c


def _render(ws, layout: _Sheet, styles: dict, *, selected: bool) -> None:
    """Write one layout into an openpyxl write-only worksheet: view, columns, row heights,
    merges, filter and print setup, then the rows in order."""
    # openpyxl writes the sheet properties, view and columns when the first row is appended
    # and reads row heights row by row: all of it is set before the rows.
    view = ws.sheet_view
    view.showGridLines = False
    view.tabSelected = selected
    if layout.freeze:
        fr, fc = layout.freeze
        ws.freeze_panes = f"{get_column_letter(fc)}{fr}"
    ws.sheet_format.defaultRowHeight = ROW_PT
    ws.sheet_format.customHeight = True  # rows keep the heights laid out (no auto-fit)
    for j, w in enumerate(layout.widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    for r, h in layout.heights.items():
        ws.row_dimensions[r].height = h

    # merges, filter, print setup, header and footer (written after the rows)
    for ref in layout.merges:
        ws.merged_cells.add(ref)
    if layout.autofilter:
        ws.auto_filter.ref = layout.autofilter
    for r in sorted(layout.breaks):
        if r > 1:
            ws.row_breaks.append(Break(id=r - 1))  # a break after row r - 1
    if layout.print_cols and layout.last_row:
        ws.print_area = f"A1:{get_column_letter(layout.print_cols)}{layout.last_row}"
    ps = ws.page_setup
    ps.paperSize = Worksheet.PAPERSIZE_A4
    ps.orientation = "landscape" if layout.landscape else "portrait"
    ps.fitToWidth = 1
    ps.fitToHeight = 0  # as many pages down as the list needs
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(**_MARGINS)
    _header_footer(ws, layout)

    # the rows, in order; a table's rows straight from its columns
    for _r, kind, item in layout.rows():
        if kind == "table":
            _n, columns, st, first_col = item
            arrays = [styles[s] for s in st]
            pad = [None] * (first_col - 1)
            for values in zip(*columns):
                ws.append(pad + [_cell(ws, v, a) for v, a in zip(values, arrays)])
        elif kind == "cells":
            out = [None] * max(item)
            for c, (v, s) in item.items():
                out[c - 1] = _cell(ws, _value(v), styles[s])
            ws.append(out)
        else:
            ws.append([])



def _put_row(book, ws, row, values, styles, first_col=1) -> None:
    for j, (v, s) in enumerate(zip(values, styles)):
        ws.put(row, first_col + j, v, s)


#: the wrapping twin of a one-line style used for lines of text
_LINE_WRAPS = {"title": "title_w", "sub": "sub_w", "note": "note_w", "note_r": "note_w",
               "warn": "warn_w", "section": "section_w", "sign": "sign_w", "empty": "empty_w"}


def _line(book, ws, row, text, style, ncols, first_col=1) -> None:
    """One line of text merged across columns ``first_col``..``ncols``; text longer than the
    merged cell shows wraps, and the row is as high as its lines."""
    if ws.widths and isinstance(text, str) and text:
        w = sum(ws.widths[first_col - 1:ncols])
        size = _STYLE_SPECS[style][0][0]
        if text_pt(text, size) > cell_pt(w) and style in _LINE_WRAPS:
            style = _LINE_WRAPS[style]
            ws.heights[row] = max(ws.heights.get(row, 0), row_pt(lines_needed(text, w, size), size))
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



def _setup(ws, widths: list[float], *, landscape=False, header: str = "",
           footer: str = "") -> None:
    ws.setup(widths, landscape=landscape, header=header, footer=footer)
