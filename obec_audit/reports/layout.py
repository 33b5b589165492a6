"""The xlsx layout engine of the reports: sheet layouts kept until saved, then streamed by
openpyxl in write-only mode with a set of NamedStyles (``obec head``, ``obec cell`` …).

The reports fill rows out of order and a write-only sheet takes its rows in order, so a
:class:`_Sheet` keeps cells by row, whole tables as columns, merges, widths, heights and print
setup; :class:`_Book` streams each layout. openpyxl costs about 40 ms of CPU a workbook plus
~45 µs a cell.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
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
    "cw": dict(horizontal="center", vertical="center", wrap_text=True),
    "r": dict(horizontal="right", vertical="center"),
    "rot": dict(horizontal="center", vertical="bottom", text_rotation=90),
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
#: Excel's limit of characters in a cell
_MAX_CELL = 32767

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
    cells and whole tables), merges, column widths, row heights, print setup. openpyxl's
    write-only worksheets need their rows in order; the reports fill them out of order."""

    def __init__(self, title: str):
        self.title = title
        self.cells: dict[int, dict[int, tuple]] = {}  # row -> col -> (value, style)
        self.tables: dict[int, tuple] = {}  # first row -> (n rows, columns, styles)
        self._table_rows: set[int] = set()
        self.merges: list[str] = []
        self.widths: list[float] = []
        self.heights: dict[int, float] = {}
        self.landscape = False
        self.title_rows: int | None = None
        self.footer = ""
        self.freeze: tuple[int, int] | None = None  # (first unfrozen row, first unfrozen col)
        self.autofilter: str | None = None

    def put(self, r: int, c: int, value, style: str) -> None:
        if r in self._table_rows:
            raise ValueError(f"row {r} of {self.title!r} was written as a table row")
        self.cells.setdefault(r, {})[c] = (value, style)

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        self.merges.append(f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}")

    def table(self, r0: int, columns: list, styles: list[str],
              widths: list[float] | None = None) -> int:
        """Write columns (sequences of equal length) as whole rows from row ``r0``; returns
        the next row. With ``widths``, rows whose wrapped text needs more than one line get
        their height."""
        n = len(columns[0]) if columns else 0
        if n == 0:
            return r0
        rows = range(r0, r0 + n)
        if any(r in self.cells or r in self._table_rows for r in rows):
            raise ValueError(f"rows {r0}..{r0 + n - 1} of {self.title!r} are not free")
        columns = [_values(v) for v in columns]
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
        self.tables[r0] = (n, columns, list(styles))
        self._table_rows.update(rows)
        return r0 + n

    @property
    def last_row(self) -> int:
        last = max(self.cells, default=0)
        for r0, (n, _, _) in self.tables.items():
            last = max(last, r0 + n - 1)
        return last


class _Book:
    """An openpyxl write-only workbook of :class:`_Sheet` layouts, with the report styles."""

    def __init__(self):
        self.sheets: list[_Sheet] = []

    def sheet(self, title: str) -> _Sheet:
        ws = _Sheet(title)
        self.sheets.append(ws)
        return ws

    def save(self, path) -> Path:
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
    ws.sheet_format.defaultRowHeight = 21.75
    for j, w in enumerate(layout.widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    for r, h in layout.heights.items():
        ws.row_dimensions[r].height = h

    # merges, filter, print setup and footer (written after the rows)
    for ref in layout.merges:
        ws.merged_cells.add(ref)
    if layout.autofilter:
        ws.auto_filter.ref = layout.autofilter
    if layout.title_rows:
        ws.print_title_rows = f"1:{layout.title_rows}"
    ps = ws.page_setup
    ps.paperSize = Worksheet.PAPERSIZE_A4
    ps.orientation = "landscape" if layout.landscape else "portrait"
    ps.fitToWidth = 1
    ps.fitToHeight = 0  # as many pages down as the list needs
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.75, header=0.3,
                                  footer=0.35)
    font = f"{FONT_NAME},Regular"
    foot = ws.oddFooter
    # '&' starts a code in a footer; Excel allows 255 characters in all
    left = layout.footer[:100].replace("&", "&&")
    for part, text in ((foot.left, left), (foot.center, "หน้า &P จาก &N"), (foot.right, "&A")):
        if text:
            part.text, part.font, part.size = text, font, 12

    # the rows, in order; a table's rows straight from its columns
    last = layout.last_row
    cells, tables = layout.cells, layout.tables
    r = 1
    while r <= last:
        block = tables.get(r)
        if block is not None:
            n, columns, st = block
            arrays = [styles[s] for s in st]
            for values in zip(*columns):
                ws.append([_cell(ws, v, a) for v, a in zip(values, arrays)])
            r += n
            continue
        row = cells.get(r)
        if row:
            out = [None] * max(row)
            for c, (v, s) in row.items():
                out[c - 1] = _cell(ws, _value(v), styles[s])
            ws.append(out)
        else:
            ws.append([])
        r += 1



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



def _setup(ws, widths: list[float], *, landscape=False, title_rows: int | None = None,
           footer_left: str = "") -> None:
    ws.widths = list(widths)
    ws.landscape = landscape
    ws.title_rows = title_rows
    ws.footer = footer_left


