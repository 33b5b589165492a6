"""Generic reading: any table file (.xlsx/.xlsm/.xls/.csv) or folder → canonical text frame,
with the header row found by alias matching, and exact row accounting.

Nothing here knows what a student is: a dataset is described by a ``DatasetSpec`` (its alias
table, the columns that make a header recognisable, and a ``finish`` function that parses
the text columns into the canonical frame). ``load_dataset(paths, spec)`` does the rest:

1. ``discover`` the files (folders recursively; lock files ``~$…`` and hidden files skipped
   silently; other non-table files listed as ``skipped`` in ``files``);
2. ``read_sheets``: every sheet as a grid of text, nothing guessed (``pandas.read_excel``
   with ``engine="calamine"``, ``header=None``, ``dtype=str``; CSV decoded as UTF-8 (with or
   without BOM), else cp874);
3. ``locate_header`` in the first ``HEADER_SCAN_ROWS`` rows: the row matching most known
   aliases, with at least ``spec.min_columns`` canonical columns including one of
   ``spec.key_any``;
4. the data rows under it, blank rows counted (never loaded, never silently lost), each row
   tagged with ``source_file``, ``source_row`` (the row number a person sees in Excel; the
   line number for CSV), ``source_sheet`` and ``layout``;
5. ``spec.finish`` on the concatenation of all files (parsing is vectorised once over
   everything, not file by file).

A file or sheet that cannot be read becomes a ``file-unreadable`` finding; it never raises.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from obec_audit.ids import school as school_ids
from obec_audit.io import aliases as A
from obec_audit.schema import AbsentColumns, empty_findings
from obec_audit.text import THAI_DIGITS, normalize_header

try:  # the engine pandas.read_excel(engine="calamine") uses
    import python_calamine as _calamine
except ImportError:  # pragma: no cover
    _calamine = None

__all__ = [
    "LoadResult",
    "DatasetSpec",
    "Sheet",
    "ReadError",
    "TABLE_SUFFIXES",
    "HEADER_SCAN_ROWS",
    "FILES_COLUMNS",
    "discover",
    "read_sheets",
    "header_key",
    "build_lookup",
    "locate_header",
    "detect_layout",
    "load_dataset",
    "school_code_series",
    "school_code_from_name",
    "text_column",
    "clean_columns",
]

#: the file types read; anything else in a folder is skipped
TABLE_SUFFIXES: frozenset[str] = frozenset({".xlsx", ".xlsm", ".xls", ".csv"})
#: how many rows from the top are searched for the header
HEADER_SCAN_ROWS = 20
#: columns of ``LoadResult.files``
FILES_COLUMNS: list[str] = [
    "path", "source_file", "source_sheet", "dataset", "layout", "header_row", "rows_read",
    "rows_loaded", "rows_blank", "rows_skipped", "encoding", "status", "message_th",
]

Progress = Callable[[int, int, str], None]


@dataclass
class LoadResult:
    """What every loader returns.

    - ``frame``: canonical rows, input order (file order, then sheet, then row order);
    - ``findings``: ``file-unreadable`` findings (``schema.FINDING_COLUMNS``);
    - ``files``: one row per file/sheet (``FILES_COLUMNS``): ``rows_read == rows_loaded +
      rows_blank + rows_skipped`` (``rows_skipped``: subtotal rows of class counts, else 0);
      ``status`` is ``ok``, ``unreadable``, ``no-header``, ``empty`` or ``skipped``.
    """

    frame: pd.DataFrame
    findings: pd.DataFrame
    files: pd.DataFrame

    @property
    def ok(self) -> bool:
        """True when at least one row was loaded."""
        return len(self.frame) > 0


@dataclass
class DatasetSpec:
    """How to read one dataset."""

    name: str  # students / staff / mobec / bobec / discharges / class_counts
    aliases: dict[str, list[str]]
    #: a header must contain at least one of these canonical columns
    key_any: tuple[str, ...]
    #: canonical output columns, in order
    columns: list[str]
    #: text frame (canonical names, string dtype, plus source_* and layout) → canonical frame
    finish: Callable[[pd.DataFrame], pd.DataFrame]
    #: columns listed in ``attrs['absent_columns']`` when a file lacks them
    required: list[str] = field(default_factory=list)
    min_columns: int = 3
    #: decide 'A' / 'B' / 'other' (students only)
    detect_layouts: bool = False
    #: take the school code from an 8-digit number in the file name when the column is absent
    school_from_name: bool = True
    #: optional: rows of the text frame not to load (e.g. subtotals), counted ``rows_skipped``
    skip_rows: Callable[[pd.DataFrame], pd.Series] | None = None
    #: Thai words for the message when no header is found
    header_hint_th: str = "หัวตาราง"


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


class ReadError(Exception):
    """A file that cannot be read; ``message_th`` says why and what to do."""

    def __init__(self, reason: str, message_th: str):
        super().__init__(reason)
        self.reason = reason
        self.message_th = message_th


# --------------------------------------------------------------------------------------
# Discovering files
# --------------------------------------------------------------------------------------
def _is_hidden_or_lock(p: Path) -> bool:
    return p.name.startswith(("~$", ".", "._")) or p.name in {"Thumbs.db", "desktop.ini"}


def discover(paths) -> tuple[list[Path], list[Path]]:
    """Table files to read, in order, and other files found in folders (to list as skipped).

    ``paths``: a path, a str, or an iterable of them. Folders are searched recursively
    (sorted); lock files (``~$…``) and hidden files are ignored silently. A file named
    explicitly is always returned for reading, whatever its suffix.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    tables: list[Path] = []
    others: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or any(_is_hidden_or_lock(Path(part)) for part in f.relative_to(p).parts):
                    continue
                if f.suffix.lower() in TABLE_SUFFIXES:
                    if f not in seen:
                        seen.add(f)
                        tables.append(f)
                else:
                    others.append(f)
        elif p not in seen:
            seen.add(p)
            tables.append(p)
    return tables, others


# --------------------------------------------------------------------------------------
# Reading a file into sheets of text
# --------------------------------------------------------------------------------------
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"

_DOWNLOAD_AGAIN = "ให้ดาวน์โหลดจาก DMC ใหม่ หรือเปิดใน Excel แล้วบันทึกเป็น .xlsx แล้วตรวจอีกครั้ง"


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of a file as text. Raises ``ReadError`` (never anything else)."""
    path = Path(path)
    name = path.name
    try:
        if not path.exists():
            raise ReadError("missing", f"ไม่พบแฟ้ม {name} ให้ตรวจชื่อแฟ้มและโฟลเดอร์")
        size = path.stat().st_size
        if size == 0:
            raise ReadError("empty", f"เปิดแฟ้ม {name} ไม่ได้: แฟ้มว่างเปล่า (0 ไบต์) {_DOWNLOAD_AGAIN}")
        suffix = path.suffix.lower()
        if suffix == ".csv":
            return [_read_text_table(path)]
        if suffix in (".xlsx", ".xlsm", ".xls"):
            return _read_excel(path)
        raise ReadError(
            "suffix",
            f"แฟ้ม {name} ไม่ใช่แฟ้มตาราง (.xlsx .xls .csv) จึงไม่ได้อ่าน "
            "ให้ส่งแฟ้มที่ดาวน์โหลดจาก DMC",
        )
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the load
        raise ReadError(
            f"error: {type(exc).__name__}: {exc}",
            f"เปิดแฟ้ม {name} ไม่ได้ ({type(exc).__name__}) {_DOWNLOAD_AGAIN}",
        ) from exc


def _read_excel(path: Path) -> list[Sheet]:
    name = path.name
    with path.open("rb") as fh:
        head = fh.read(8)
    try:
        book = _read_workbook(path)
    except Exception as exc:  # noqa: BLE001
        if head.startswith(_OLE_MAGIC) and path.suffix.lower() in (".xlsx", ".xlsm"):
            if _is_encrypted_ole(path):
                raise ReadError(
                    "password",
                    f"เปิดแฟ้ม {name} ไม่ได้: แฟ้มถูกตั้งรหัสผ่านไว้ ให้เปิดใน Excel เอารหัสผ่านออก "
                    "(แฟ้ม > ข้อมูล > ป้องกันเอกสาร) แล้วบันทึกใหม่ หรือดาวน์โหลดจาก DMC ใหม่",
                ) from exc
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if stripped[:1] == b"<":
            raise ReadError(
                "html",
                f"เปิดแฟ้ม {name} ไม่ได้: แฟ้มเป็นหน้าเว็บ (HTML) ที่ตั้งชื่อเป็น Excel "
                "ให้เปิดใน Excel แล้วบันทึกเป็น .xlsx แล้วตรวจอีกครั้ง",
            ) from exc
        if not head.startswith((_OLE_MAGIC, _ZIP_MAGIC)) and _looks_like_text(path):
            # a "xls" that is really CSV/TSV text (some systems export so)
            return [_read_text_table(path)]
        if head.startswith(_ZIP_MAGIC) and not _is_ooxml(path):
            why = "แฟ้มเป็น zip ที่ไม่ใช่ Excel"
        elif head.startswith((_OLE_MAGIC, _ZIP_MAGIC)):
            why = "แฟ้มเสียหาย"
        else:
            why = "แฟ้มเสียหายหรือไม่ใช่แฟ้ม Excel"
        raise ReadError(
            f"excel: {type(exc).__name__}: {exc}",
            f"เปิดแฟ้ม {name} ไม่ได้: {why} {_DOWNLOAD_AGAIN}",
        ) from exc
    return [Sheet(path, name, cells, np.arange(1, len(cells) + 1 if cells is not None else 1))
            for name, cells in book]


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


def _grid(rows: list[list]) -> np.ndarray:
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
        return _grid([[_cell_text(c) for c in row] for row in rows])
    arr = np.empty((len(rows), widths.pop()), dtype=object)
    arr[:] = rows
    if arr.size:
        nonstr = _TYPE_OF(arr) != str
        if nonstr.any():
            arr[nonstr] = [_cell_text(v) for v in arr[nonstr]]
        arr[arr == ""] = None
    return arr


def _read_workbook(path: Path) -> list[tuple[str, np.ndarray]]:
    """Every sheet as an object grid of text. The calamine engine, as
    ``pandas.read_excel(engine="calamine", header=None, dtype=str)`` uses it, without the
    pandas parser's overhead (three times faster on DMC exports); pandas is the fallback."""
    if _calamine is None:
        book = pd.read_excel(path, sheet_name=None, header=None, dtype=str, engine="calamine")
        out = []
        for name, df in book.items():
            arr = df.to_numpy(dtype=object)
            arr[pd.isna(arr)] = None
            out.append((str(name), arr))
        return out
    wb = _calamine.CalamineWorkbook.from_path(str(path))
    out = []
    try:
        for name in wb.sheet_names:
            try:
                rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception:  # noqa: BLE001 - a chart sheet or a broken sheet: skip it alone
                out.append((str(name), None))
                continue
            out.append((str(name), _text_grid(rows)))
        if out and all(cells is None for _, cells in out):
            raise ValueError("no sheet could be read")
    finally:
        close = getattr(wb, "close", None)
        if close is not None:
            close()
    return out


def _is_encrypted_ole(path: Path) -> bool:
    """An OOXML file saved with a password is an OLE container holding EncryptedPackage."""
    try:
        data = path.read_bytes()[: 1 << 20]
    except OSError:
        return False
    return "EncryptedPackage".encode("utf-16-le") in data or b"EncryptedPackage" in data


def _is_ooxml(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return "[Content_Types].xml" in z.namelist()
    except Exception:  # noqa: BLE001
        return False


def _looks_like_text(path: Path) -> bool:
    data = path.read_bytes()[:4096]
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        pass
    # cp874 text: mostly ASCII and Thai (0xA1-0xFB) bytes
    return sum(b < 0x80 or 0xA1 <= b <= 0xFB for b in data) > 0.95 * len(data)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (BOM or not) strictly, else cp874 (Thai Windows).

    >>> decode_text('ชื่อ'.encode('utf-8-sig'))
    ('ชื่อ', 'utf-8-sig')
    >>> decode_text('ชื่อ'.encode('cp874'))
    ('ชื่อ', 'cp874')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874"), "cp874"
    except UnicodeDecodeError:
        return data.decode("cp874", errors="replace"), "cp874 (บางอักขระอ่านไม่ได้)"


def _sniff_delimiter(text: str) -> str:
    sample = text[:20000].splitlines()[:HEADER_SCAN_ROWS]
    best, best_n = ",", 0
    for d in (",", "\t", ";", "|"):
        n = max((line.count(d) for line in sample), default=0)
        if n > best_n:
            best, best_n = d, n
    return best


def _read_text_table(path: Path) -> Sheet:
    name = path.name
    data = path.read_bytes()
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ReadError("empty", f"เปิดแฟ้ม {name} ไม่ได้: แฟ้มว่างเปล่า ไม่มีข้อมูล {_DOWNLOAD_AGAIN}")
    if b"\x00" in data[:65536]:
        raise ReadError(
            "binary",
            f"เปิดแฟ้ม {name} ไม่ได้: แฟ้มไม่ใช่ข้อความ CSV (อาจเสียหายหรือเป็นแฟ้มชนิดอื่น) "
            f"{_DOWNLOAD_AGAIN}",
        )
    text, encoding = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    rows: list[list[str]] = []
    lines: list[int] = []
    prev = 0
    try:
        for rec in reader:  # the parser's own loop (C); one append per record
            rows.append(rec)
            lines.append(prev + 1)
            prev = reader.line_num
    except csv.Error as exc:
        raise ReadError(
            f"csv: {exc}", f"อ่านแฟ้ม {name} ไม่ได้ที่บรรทัด {prev + 1}: รูปแบบ CSV ผิด {_DOWNLOAD_AGAIN}"
        ) from exc
    cells = _grid(rows)
    cells[cells == ""] = None
    return Sheet(path, "", cells, np.asarray(lines, dtype="int64"), encoding)


# --------------------------------------------------------------------------------------
# Header
# --------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=65536)
def _header_key_str(header: str) -> str:
    return normalize_header(header).casefold()


def header_key(header) -> str:
    """The key a header is looked up with: ``normalize_header`` + casefold.

    >>> header_key(' ชื่อ (อังกฤษ) ')
    'ชื่อ(อังกฤษ)'
    >>> header_key('GPAX')
    'gpax'
    """
    if isinstance(header, str):
        return _header_key_str(header) if len(header) < 200 else normalize_header(header).casefold()
    return normalize_header(header).casefold()


def build_lookup(aliases: dict[str, list[str]]) -> dict[str, str]:
    """header key → canonical column (the first table entry wins on a clash)."""
    lookup: dict[str, str] = {}
    for canon, spellings in aliases.items():
        for sp in [canon, *spellings]:
            lookup.setdefault(header_key(sp), canon)
    return lookup


_SUFFIX_RE = re.compile(r"^(.*)\.(\d+)$")


def _canon_of(key: str, lookup: dict[str, str]) -> tuple[str | None, bool]:
    """(canonical, is_pandas_duplicate) for a header key; ``จำนวนพี่ชาย.1`` → a duplicate."""
    if key in lookup:
        return lookup[key], False
    m = _SUFFIX_RE.match(key)
    if m and m.group(1) in lookup:
        return lookup[m.group(1)], True
    return None, False


def map_header(keys: list[str], lookup: dict[str, str]) -> dict[str, int]:
    """canonical → position of its column; duplicated headers keep the first."""
    mapping: dict[str, int] = {}
    for j, key in enumerate(keys):
        canon, _dup = _canon_of(key, lookup)
        if canon is not None and canon not in mapping:
            mapping[canon] = j
    return mapping


def locate_header(cells, spec: DatasetSpec, lookup: dict[str, str]):
    """(row index, header keys, mapping) of the best header row among the first
    ``HEADER_SCAN_ROWS`` rows, or None when no row has ``spec.min_columns`` known columns
    including one of ``spec.key_any``."""
    arr = cells.to_numpy(dtype=object) if isinstance(cells, pd.DataFrame) else np.asarray(cells, dtype=object)
    return _locate_header_arr(arr[:HEADER_SCAN_ROWS], spec, lookup)


_LAYOUT_A_KEYS = frozenset(header_key(h) for h in A.LAYOUT_A_HEADERS)
_LAYOUT_B_KEYS = frozenset(header_key(h) for h in A.LAYOUT_B_HEADERS)


def detect_layout(keys: Iterable[str]) -> str:
    """'A' when ≥ 80 of layout A's distinct headers are there, 'B' when ≥ 35 of layout B's
    39 are (and it is not A), else 'other'.

    >>> detect_layout(header_key(h) for h in A.LAYOUT_A_HEADERS)
    'A'
    >>> detect_layout(header_key(h) for h in A.LAYOUT_B_HEADERS)
    'B'
    >>> detect_layout(['ชื่อ', 'นามสกุล'])
    'other'
    """
    ks = {_SUFFIX_RE.sub(r"\1", k) for k in keys if k}
    if len(ks & _LAYOUT_A_KEYS) >= 80:
        return "A"
    if len(ks & _LAYOUT_B_KEYS) >= 35:
        return "B"
    return "other"


# --------------------------------------------------------------------------------------
# Helpers for finish functions
# --------------------------------------------------------------------------------------
_SCHOOL_IN_NAME_RE = re.compile(r"(?<!\d)(\d{8})(?!\d)")


def school_code_from_name(path: Path | str) -> str | None:
    """An 8-digit school code in the file name (Thai digits allowed), else None.

    >>> school_code_from_name('mobec_57010012_2568.xlsx')
    '57010012'
    >>> school_code_from_name('staff.xlsx') is None
    True
    """
    m = _SCHOOL_IN_NAME_RE.search(Path(str(path)).stem.translate(THAI_DIGITS))
    return m.group(1) if m else None


def school_code_series(values: pd.Series) -> pd.Series:
    """``obec_audit.ids.school.compact`` over a column (on its distinct values), '' → <NA>."""
    s = values.astype("string")
    uniq = s.dropna().unique()
    mapping = {u: school_ids.compact(u) for u in uniq}
    out = s.map(mapping).astype("string")
    return out.mask(out.eq("") | out.isna())


def clean_columns(t: pd.DataFrame, columns: list[str]) -> dict[str, pd.Series]:
    """``clean_text`` of several text columns at once: their distinct values are cleaned in
    one pass (names, places and code labels repeat across columns and rows)."""
    from obec_audit.text import clean_text

    cols = {c: text_column(t, c) for c in columns}
    present = [s for s in cols.values() if s.notna().any()]
    if not present:
        return {c: s for c, s in cols.items()}
    uniq = pd.concat([pd.Series(s.dropna().unique(), dtype="string") for s in present],
                     ignore_index=True).drop_duplicates()
    cleaned = clean_text(uniq.reset_index(drop=True))
    mapping = pd.Series(cleaned.to_numpy(dtype=object), index=uniq.to_numpy(dtype=object))
    out = {}
    for c, s in cols.items():
        if s.notna().any():
            out[c] = s.map(mapping).astype("string")
        else:
            out[c] = s
    return out


def text_column(t: pd.DataFrame, name: str) -> pd.Series:
    """The text column ``name`` of a text frame, or an all-<NA> column when absent."""
    if name in t.columns:
        return t[name].astype("string")
    return pd.Series(pd.NA, index=t.index, dtype="string")


def as_schema(df: pd.DataFrame, columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    """Columns in ``columns`` order (plus any extras after them), missing ones all-<NA>,
    strings as ``string`` dtype, the others as ``dtypes`` says."""
    out = {}
    n = len(df)
    for c in columns + [c for c in df.columns if c not in columns]:
        dt = dtypes.get(c, "string")
        if c in df.columns:
            col = df[c]
        else:
            col = pd.Series([pd.NA] * n if dt in ("string", "Int64") else [np.nan] * n, index=df.index)
        if dt == "datetime64[ns]":
            col = pd.to_datetime(col, errors="coerce").astype("datetime64[ns]")
        else:
            col = col.astype(dt)
        out[c] = col
    return pd.DataFrame(out, index=df.index)


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------
def _finding(spec: DatasetSpec, path: Path, sheet: str, message: str, value: str = "") -> dict:
    return {
        "check": "file-unreadable",
        "severity": "error",
        "school_code": school_code_from_name(path),
        "source_file": path.name,
        "source_row": pd.NA,
        "national_id": pd.NA,
        "field": pd.NA,
        "value": value or (sheet if sheet else path.name),
        "group": pd.NA,
        "message": message,
        "dataset": spec.name,
        "student_name": pd.NA,
    }


def _file_row(path: Path, sheet: str, spec: DatasetSpec, status: str, message: str = "", **kw) -> dict:
    row = {
        "path": str(path),
        "source_file": path.name,
        "source_sheet": sheet,
        "dataset": spec.name,
        "layout": pd.NA,
        "header_row": pd.NA,
        "rows_read": 0,
        "rows_loaded": 0,
        "rows_blank": 0,
        "rows_skipped": 0,
        "encoding": "",
        "status": status,
        "message_th": message,
    }
    row.update(kw)
    return row


def _nonblank_rows(arr: np.ndarray) -> np.ndarray:
    """True for rows holding at least one cell that is not empty or whitespace. Only the
    first filled cell of each row is looked at, unless it is whitespace (rare)."""
    if arr.size == 0:
        return np.zeros(arr.shape[0], dtype=bool)
    notna = arr != None  # noqa: E711 - elementwise
    has = notna.any(axis=1)
    rows = np.flatnonzero(has)
    if len(rows) == 0:
        return has
    first = arr[rows, notna[rows].argmax(axis=1)]
    ws = np.fromiter((not str(v).strip() for v in first), dtype=bool, count=len(first))
    for i in rows[ws]:  # rows whose first filled cell is whitespace: look at the whole row
        has[i] = any(str(v).strip() for v in arr[i] if v is not None)
    return has


def _header_keys(row: np.ndarray) -> list[str]:
    return [header_key(v) if isinstance(v, str) else "" for v in row.tolist()]


def _locate_header_arr(arr: np.ndarray, spec: DatasetSpec, lookup: dict[str, str]):
    best, best_score = None, 0
    since_good = 0
    for i in range(min(HEADER_SCAN_ROWS, arr.shape[0])):
        keys = _header_keys(arr[i])
        mapping = map_header(keys, lookup)
        if len(mapping) > best_score:
            best, best_score = (i, keys, mapping), len(mapping)
            since_good = 0
        elif best_score >= spec.min_columns:
            since_good += 1
            if since_good >= 3:  # three rows of data under a good header: stop looking
                break
    if best is None or best_score < spec.min_columns or not any(k in best[2] for k in spec.key_any):
        return None
    return best


def _sheet_to_text(sheet: Sheet, spec: DatasetSpec, lookup: dict[str, str]):
    """(columns or None, files row, finding or None) for one sheet. Numpy only: the text
    columns stay object arrays (dict name → array) until everything is concatenated."""
    path = sheet.path
    arr = sheet.cells
    where = f"แฟ้ม {path.name}" + (f" แผ่นงาน '{sheet.name}'" if sheet.name else "")
    if arr is None:  # a sheet calamine could not read (chart sheet …): not data
        return None, _file_row(path, sheet.name, spec, "skipped",
                               f"{where}: ไม่ใช่ตารางข้อมูล (เช่น แผนภูมิ) ไม่ได้อ่าน"), None
    nonblank_all = _nonblank_rows(arr)
    if not nonblank_all.any():
        return None, _file_row(path, sheet.name, spec, "empty", f"{where}: ไม่มีข้อมูล",
                               encoding=sheet.encoding), None
    found = _locate_header_arr(arr, spec, lookup)
    if found is None:
        msg = (
            f"{where}: ไม่พบแถว{spec.header_hint_th} ใน {HEADER_SCAN_ROWS} แถวแรก จึงอ่านข้อมูลไม่ได้ "
            "ให้ตรวจว่าเป็นแฟ้มที่ดาวน์โหลดจาก DMC และไม่ได้ลบหรือแก้ชื่อหัวคอลัมน์ แล้วส่งใหม่"
        )
        return (
            None,
            _file_row(path, sheet.name, spec, "no-header", msg, encoding=sheet.encoding),
            _finding(spec, path, sheet.name, msg),
        )
    hrow, keys, mapping = found
    block = arr[hrow + 1 :]
    rows_read = len(block)
    nonblank = nonblank_all[hrow + 1 :]
    n = int(nonblank.sum())
    data: dict[str, np.ndarray] = {
        "source_file": np.full(n, path.name, dtype=object),
        "source_row": sheet.row_numbers[hrow + 1 :][nonblank],
        "source_sheet": np.full(n, sheet.name, dtype=object),
    }
    layout = detect_layout(keys) if spec.detect_layouts else "other"
    data["layout"] = np.full(n, layout, dtype=object)
    data["_path"] = np.full(n, str(path), dtype=object)
    for canon, j in mapping.items():
        data[canon] = block[nonblank, j]
    if spec.school_from_name and "school_code" not in mapping:
        data["school_code"] = np.full(n, school_code_from_name(path), dtype=object)
    skipped = 0
    if spec.skip_rows is not None and n:
        small = pd.DataFrame({k: v for k, v in data.items() if k not in ("source_row",)}, dtype=object)
        skip = spec.skip_rows(small).fillna(False).astype(bool).to_numpy()
        skipped = int(skip.sum())
        data = {k: v[~skip] for k, v in data.items()}
        n -= skipped
    absent = [c for c in spec.required if c not in mapping]
    row = _file_row(
        path,
        sheet.name,
        spec,
        "ok",
        layout=layout,
        header_row=int(sheet.row_numbers[hrow]),
        rows_read=rows_read,
        rows_loaded=n,
        rows_blank=int((~nonblank).sum()),
        rows_skipped=skipped,
        encoding=sheet.encoding,
        absent=absent,
    )
    return data, row, None


def _concat_pieces(pieces: list[dict[str, np.ndarray]], canon: list[str]) -> pd.DataFrame:
    """One text frame from the sheets' column arrays: ``source_row`` int64, everything else
    ``string`` (whitespace-only cells → <NA>); canonical columns no sheet had are all-<NA>."""
    n = sum(len(p["source_row"]) for p in pieces)
    names = ["source_file", "source_row", "source_sheet", "layout", "_path"]
    for p in pieces:
        names += [k for k in p if k not in names]
    names += [c for c in canon if c not in names]
    cols: dict[str, pd.Series] = {}
    for name in names:
        if name == "source_row":
            arr = (np.concatenate([p["source_row"] for p in pieces]) if pieces
                   else np.empty(0, dtype="int64"))
            cols[name] = pd.Series(arr.astype("int64"))
            continue
        parts = [p[name] if name in p else np.full(len(p["source_row"]), None, dtype=object)
                 for p in pieces]
        arr = np.concatenate(parts) if parts else np.empty(0, dtype=object)
        col = pd.Series(arr, dtype="string") if n else pd.Series([], dtype="string")
        if name in canon:
            col = col.mask(col.str.strip().eq(""))  # whitespace-only cells are empty
        cols[name] = col
    return pd.DataFrame(cols)


def load_dataset(paths, spec: DatasetSpec, progress: Progress | None = None,
                 dtypes: dict[str, str] | None = None) -> LoadResult:
    """Read every table file under ``paths`` as dataset ``spec``. Never raises on a bad file."""
    lookup = build_lookup(spec.aliases)
    tables, others = discover(paths)
    pieces: list[dict[str, np.ndarray]] = []
    file_rows: list[dict] = []
    findings: list[dict] = []
    absent: dict[str, list[str]] = {}
    total = len(tables)
    for k, path in enumerate(tables, start=1):
        try:
            sheets = read_sheets(path)
        except ReadError as err:
            file_rows.append(_file_row(path, "", spec, "unreadable", err.message_th))
            findings.append(_finding(spec, path, "", err.message_th, value=path.name))
        else:
            rows_here: list[dict] = []
            for sheet in sheets:
                t, row, finding = _sheet_to_text(sheet, spec, lookup)
                rows_here.append(row)
                if finding is not None:
                    findings.append(finding)
                if t is not None:
                    pieces.append(t)
                    prev = absent.setdefault(path.name, [])
                    for c in row.pop("absent", []):
                        if c not in prev:
                            prev.append(c)
            if rows_here and all(r["status"] in ("empty", "skipped") for r in rows_here):
                msg = f"เปิดแฟ้ม {path.name} ได้ แต่ไม่มีข้อมูลเลย (ทุกแผ่นงานว่าง) {_DOWNLOAD_AGAIN}"
                findings.append(_finding(spec, path, "", msg, value=path.name))
                for r in rows_here:
                    r["status"] = "unreadable"
            file_rows.extend(rows_here)
        if progress is not None:
            try:
                progress(k, total, path.name)
            except Exception:  # noqa: BLE001 - a broken progress bar must not stop a load
                pass
    for p in others:
        file_rows.append(_file_row(p, "", spec, "skipped", f"แฟ้ม {p.name} ไม่ใช่แฟ้มตาราง ไม่ได้อ่าน"))
    for r in file_rows:
        r.pop("absent", None)

    text = _concat_pieces(pieces, list(spec.aliases))
    frame = spec.finish(text)
    frame = frame[[c for c in frame.columns if not str(c).startswith("_")]]
    frame = as_schema(frame, spec.columns, {"source_row": "Int64", **(dtypes or {})})
    frame = frame.reset_index(drop=True)
    frame.attrs["absent_columns"] = AbsentColumns(absent)

    fnd = empty_findings()
    if findings:
        fnd = pd.concat([fnd, pd.DataFrame(findings)], ignore_index=True)
        fnd = fnd[list(empty_findings().columns)]
        fnd = fnd.astype({c: "string" for c in fnd.columns if c != "source_row"})
        fnd["source_row"] = fnd["source_row"].astype("Int64")
    files = pd.DataFrame(file_rows, columns=FILES_COLUMNS)
    files = files.astype(
        {
            "header_row": "Int64", "rows_read": "Int64", "rows_loaded": "Int64",
            "rows_blank": "Int64", "rows_skipped": "Int64",
            **{c: "string" for c in ("path", "source_file", "source_sheet", "dataset", "layout",
                                     "encoding", "status", "message_th")},
        }
    )
    return LoadResult(frame=frame, findings=fnd, files=files)


def person_columns(t: pd.DataFrame) -> dict[str, pd.Series]:
    """The columns every person list shares (students, staff, discharges): school code,
    the normalised ID with its type and reason, and the canonical title."""
    from obec_audit.ids import classify_series
    from obec_audit.text import canon_title

    ids = classify_series(text_column(t, "national_id"))
    return {
        "school_code": school_code_series(text_column(t, "school_code")),
        "national_id": ids["national_id"].mask(ids["national_id"].eq("")),
        "id_type": ids["id_type"],
        "id_reason": ids["id_reason"],
        "title": canon_title(text_column(t, "title")),
    }
