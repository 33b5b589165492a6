"""A file's bytes → its sheets of text, by what the bytes are (``sniff``), not by the name.

Workbooks (.xlsx, .xls, .ods, whatever they are named) through python-calamine; HTML tables
and Excel 2003 XML saved as ".xls" through ``markup``; delimited text (CSV, Excel's UTF-16
"Unicode Text") through ``csvtext``. ``ReadError`` says in Thai what the file is and how to
re-export it.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from obec_audit.io import csvtext, markup
from obec_audit.io.sniff import KIND_TH, sniff

try:  # the engine pandas.read_excel(engine="calamine") uses
    import python_calamine as _calamine
except ImportError:  # pragma: no cover
    _calamine = None

__all__ = ["Sheet", "ReadError", "read_bytes", "read_sheets", "DOWNLOAD_AGAIN", "WORKBOOK_KINDS",
           "grid"]

DOWNLOAD_AGAIN = "ให้ดาวน์โหลดจาก DMC ใหม่ หรือเปิดใน Excel แล้วบันทึกเป็น .xlsx แล้วตรวจอีกครั้ง"
WORKBOOK_KINDS = ("xlsx", "xls", "ods")
_RESAVE = {
    "pdf": "แฟ้ม PDF อ่านข้อมูลไม่ได้ ให้ส่งแฟ้ม Excel (.xlsx) ที่ดาวน์โหลดจาก DMC แทน",
    "image": "รูปภาพอ่านข้อมูลไม่ได้ ให้ส่งแฟ้ม Excel (.xlsx) ที่ดาวน์โหลดจาก DMC แทน",
    "word": "แฟ้ม Word อ่านเป็นตารางไม่ได้ ให้คัดลอกตารางไปวางใน Excel แล้วบันทึกเป็น .xlsx",
    "encrypted": "แฟ้มถูกตั้งรหัสผ่านไว้ ให้เปิดใน Excel เอารหัสผ่านออก (แฟ้ม > ข้อมูล > ป้องกันเอกสาร) "
                 "แล้วบันทึกใหม่ หรือดาวน์โหลดจาก DMC ใหม่",
}


@dataclass
class Sheet:
    """One grid of cells as read: ``cells`` is a 2-D object array of str (text exactly as
    read; numbers as Excel shows them, ``1101700230708`` not ``1.1017E+12``; date cells as
    ``YYYY-MM-DD HH:MM:SS``) or None (empty), no header, row 0 = the file's first row."""

    path: Path
    name: str  # sheet name ('' for CSV)
    cells: np.ndarray
    #: the row number a person sees for each row of ``cells`` (1-based; CSV: line number)
    row_numbers: np.ndarray
    encoding: str = ""
    #: what the file really is (``sniff``)
    kind: str = ""
    #: damage found and recovered (``csvtext.Issue``), text files only
    issues: list = field(default_factory=list)


class ReadError(Exception):
    """A file that cannot be read; ``message_th`` says why and what to do."""

    def __init__(self, reason: str, message_th: str, kind: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.message_th = message_th
        self.kind = kind


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of a file as text. Raises ``ReadError`` (never anything else)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReadError("missing", f"ไม่พบแฟ้ม {path.name} ให้ตรวจชื่อแฟ้มและโฟลเดอร์") from None
    except OSError as exc:
        raise ReadError(f"os: {exc}", f"เปิดแฟ้ม {path.name} ไม่ได้ (ไม่มีสิทธิ์อ่านหรือแฟ้มเสีย): "
                                      f"ให้คัดลอกแฟ้มมาไว้ในเครื่องแล้วตรวจอีกครั้ง") from exc
    return read_bytes(data, path)


def read_bytes(data: bytes, path: Path, name: str | None = None, kind: str | None = None) -> list[Sheet]:
    """The sheets of a file given its bytes. Raises ``ReadError`` (never anything else)."""
    name = name or Path(path).name
    kind = kind or sniff(data)
    try:
        if kind == "empty" or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
            raise ReadError("empty", f"เปิดแฟ้ม {name} ไม่ได้: แฟ้มว่างเปล่า ไม่มีข้อมูล {DOWNLOAD_AGAIN}", "empty")
        if kind in WORKBOOK_KINDS:
            return _read_workbook(data, path, name, kind)
        if kind in ("html", "xml2003"):
            tables = markup.read_tables(data, kind)
            if not tables:
                raise ReadError(kind, f"เปิดแฟ้ม {name} ได้ แต่เป็น{KIND_TH[kind]}ที่ไม่มีตาราง "
                                      f"{DOWNLOAD_AGAIN}", kind)
            return [Sheet(Path(path), t_name if len(tables) > 1 or kind == "xml2003" else "",
                          grid(rows), np.arange(1, len(rows) + 1), "", kind) for t_name, rows in tables]
        if kind == "text":
            t = csvtext.read_text_table(data, name)
            cells = grid(t.rows)
            cells[cells == ""] = None
            return [Sheet(Path(path), "", cells, np.asarray(t.lines, dtype="int64"), t.encoding, "text",
                          t.issues)]
        what = KIND_TH.get(kind, KIND_TH["binary"])
        how = _RESAVE.get(kind, DOWNLOAD_AGAIN)
        raise ReadError(kind, f"เปิดแฟ้ม {name} ไม่ได้: แฟ้มนี้เป็น{what} ไม่ใช่ตารางรายชื่อ {how}", kind)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the load
        what = KIND_TH.get(kind, KIND_TH["binary"])
        raise ReadError(
            f"error: {type(exc).__name__}: {exc}",
            f"เปิดแฟ้ม {name} ไม่ได้: เป็น{what}ที่เสียหาย ({type(exc).__name__}) {DOWNLOAD_AGAIN}",
            kind,
        ) from exc


def _read_workbook(data: bytes, path, name: str, kind: str) -> list[Sheet]:
    try:
        book = _workbook_grids(data)
    except Exception as exc:  # noqa: BLE001
        what = KIND_TH[kind]
        suffix = Path(name).suffix.lower()
        told = "" if suffix in ("", f".{kind}") else f" (ชื่อลงท้าย {suffix} แต่เนื้อแฟ้มเป็น{what})"
        raise ReadError(f"{kind}: {type(exc).__name__}: {exc}",
                        f"เปิดแฟ้ม {name} ไม่ได้: {what}เสียหาย{told} {DOWNLOAD_AGAIN}", kind) from exc
    return [Sheet(Path(path), sname, cells,
                  np.arange(1, (len(cells) if cells is not None else 0) + 1), "", kind)
            for sname, cells in book]


def _cell_text(v):
    """A calamine cell → its text, as ``pandas.read_excel(dtype=str)`` would give it."""
    if v.__class__ is str:
        return v if v else None
    if isinstance(v, float):
        if v != v:  # NaN
            return None
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, dt.datetime):
        return str(v)
    if isinstance(v, dt.date):
        return str(dt.datetime(v.year, v.month, v.day))
    if v is None:
        return None
    return str(v)


def grid(rows: list[list]) -> np.ndarray:
    """Rows of unequal length → a rectangular object grid (None where a row is short)."""
    if not rows:
        return np.empty((0, 0), dtype=object)
    width = max(len(r) for r in rows)
    arr = np.empty((len(rows), width), dtype=object)
    for i, r in enumerate(rows):
        arr[i, : len(r)] = r
    return arr


_TYPE_OF = np.frompyfunc(type, 1, 1)


def _text_grid(rows: list[list]) -> np.ndarray:
    """calamine's rows → object grid of text/None; only non-text cells go through
    ``_cell_text`` (most DMC cells are text already)."""
    widths = {len(r) for r in rows}
    if len(widths) != 1 or not rows:
        return grid([[_cell_text(c) for c in row] for row in rows])
    arr = np.empty((len(rows), widths.pop()), dtype=object)
    arr[:] = rows
    if arr.size:
        nonstr = _TYPE_OF(arr) != str
        if nonstr.any():
            arr[nonstr] = [_cell_text(v) for v in arr[nonstr]]
        arr[arr == ""] = None
    return arr


def _workbook_grids(data: bytes) -> list[tuple[str, np.ndarray | None]]:
    """Every sheet as an object grid of text (None: a sheet calamine cannot read, e.g. a
    chart sheet). calamine finds the format from the bytes (xlsx, xls, ods)."""
    if _calamine is None:  # pragma: no cover
        import pandas as pd

        book = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=str, engine="calamine")
        out = []
        for sname, df in book.items():
            arr = df.to_numpy(dtype=object)
            arr[pd.isna(arr)] = None
            out.append((str(sname), arr))
        return out
    wb = _calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    out: list[tuple[str, np.ndarray | None]] = []
    try:
        for sname in wb.sheet_names:
            try:
                rows = wb.get_sheet_by_name(sname).to_python(skip_empty_area=False)
            except Exception:  # noqa: BLE001 - a chart sheet or a broken sheet: skip it alone
                out.append((str(sname), None))
                continue
            out.append((str(sname), _text_grid(rows)))
        if out and all(cells is None for _, cells in out):
            raise ValueError("no sheet could be read")
    finally:
        close = getattr(wb, "close", None)
        if close is not None:
            close()
    return out
