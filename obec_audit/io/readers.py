"""Generic reading: any table file or folder → canonical text frame, with the header row
found by alias matching, and exact row accounting.

Nothing here knows what a student is: a dataset is described by a ``DatasetSpec`` (its alias
table, the columns that make a header recognisable, and a ``finish`` function that parses
the text columns into the canonical frame). ``load_dataset(paths, spec)`` does the rest:

1. ``gather`` (``walk`` + ``sources``): every path met under the inputs (folders, symlinked
   folders once, ``.zip`` members) is read by what its bytes are (``sniff``), or listed in
   ``files`` with why not, and a finding (``file-unreadable`` / ``file-skipped``);
2. every sheet as a grid of text, nothing guessed (python-calamine for workbooks, ``markup``
   for HTML tables, ``csvtext`` for delimited text with its damage reported);
3. ``locate_header`` in the first ``HEADER_SCAN_ROWS`` rows: the row matching most known
   aliases, with at least ``spec.min_columns`` canonical columns including one of
   ``spec.key_any``;
4. the data rows under it, blank rows and non-student rows (``rowkinds``: repeated headers,
   footer totals, signature lines) counted (never loaded, never silently lost), each row
   tagged with ``source_file``, ``source_row`` (the row number a person sees in Excel; the
   line number for CSV), ``source_sheet`` and ``layout``;
5. ``spec.finish`` on the concatenation of all files (parsing is vectorised once over
   everything, not file by file).

A file or sheet that cannot be read becomes a ``file-unreadable`` finding; it never raises.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from obec_audit.ids import school as school_ids
from obec_audit.io import aliases as A
from obec_audit.io.csvtext import decode_text, sniff_delimiter  # noqa: F401 - decode_text: public here
from obec_audit.io.gather import FILES_COLUMNS, file_row, finding_row, gather
from obec_audit.io.rowkinds import classify_rows
from obec_audit.io.sources import DOWNLOAD_AGAIN, ReadError, Sheet, read_sheets
from obec_audit.io.walk import walk
from obec_audit.schema import AbsentColumns, empty_findings
from obec_audit.text import THAI_DIGITS, clean_text, from_arrow, normalize_header, to_arrow

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
    "decode_text",
    "header_key",
    "build_lookup",
    "locate_header",
    "detect_layout",
    "load_dataset",
    "school_code_series",
    "school_code_from_name",
    "text_column",
    "clean_columns",
    "id_columns",
    "person_columns",
]

#: names of table files (``discover``); ``load_dataset`` reads any file by its content
TABLE_SUFFIXES: frozenset[str] = frozenset({".xlsx", ".xlsm", ".xls", ".csv", ".ods", ".tsv", ".txt",
                                            ".htm", ".html", ".xml", ".zip"})
#: how many rows from the top are searched for the header
HEADER_SCAN_ROWS = 20

Progress = Callable[[int, int, str], None]


@dataclass
class LoadResult:
    """What every loader returns.

    - ``frame``: canonical rows, input order (file order, then sheet, then row order);
    - ``findings``: ``file-unreadable`` findings (``schema.FINDING_COLUMNS``);
    - ``files``: one row per path met and per sheet (``FILES_COLUMNS``): ``rows_total ==
      rows_loaded + rows_blank + rows_skipped + rows_header + rows_non_student`` (every
      record of the sheet); ``rows_read`` (records under the header) ``== rows_loaded +
      rows_blank + rows_skipped + rows_non_student`` where ``rows_non_student`` counts
      repeated headers, footer totals, signature and title lines (``non_student_rows`` says
      which rows) and ``rows_skipped`` subtotal rows of class counts; ``status`` is ``ok``,
      ``unreadable``, ``no-header``, ``not-student``, ``empty``, ``skipped``, ``duplicate``,
      ``ignored``, ``folder``, ``archive`` or ``loop``.
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
    #: tell repeated headers, footer totals and signature lines from data rows (``rowkinds``)
    row_kinds: bool = False


def discover(paths) -> tuple[list[Path], list[Path]]:
    """Files to read, in order, and other paths met (kept for callers that list files
    themselves; ``load_dataset`` uses ``walk``, which accounts for every path)."""
    tables: list[Path] = []
    others: list[Path] = []
    for e in walk(paths):
        if e.kind == "dir" or e.status == "ignored":
            continue
        if e.explicit or e.suffix in TABLE_SUFFIXES:
            tables.append(e.path)
        else:
            others.append(e.path)
    return tables, others


_sniff_delimiter = sniff_delimiter
_DOWNLOAD_AGAIN = DOWNLOAD_AGAIN


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
    cols = {c: text_column(t, c) for c in columns}
    present = [s for s in cols.values() if s.notna().any()]
    if not present:
        return {c: s for c, s in cols.items()}
    import pyarrow.compute as pc

    uniq = pd.concat([pd.Series(s.dropna().unique(), dtype="string") for s in present],
                     ignore_index=True).drop_duplicates().reset_index(drop=True)
    cleaned = to_arrow(clean_text(uniq).astype("string"))
    known = to_arrow(uniq)  # each value found by pyarrow's hash lookup (a map on object
    # strings hashed the table again for each column: 0.4 s of an area's 20,000 students)
    out = {}
    for c, s in cols.items():
        if s.notna().any():
            pos = pc.index_in(to_arrow(s), value_set=known)
            out[c] = from_arrow(cleaned.take(pos), s.index)
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
def _finding(spec: DatasetSpec, path: Path, sheet: str, message: str, value: str = "",
             code: str = "file-unreadable", row=pd.NA, name: str | None = None) -> dict:
    return finding_row(spec.name, name or Path(path).name, sheet, message, value, code, row)


def _file_row(path: Path, sheet: str, spec: DatasetSpec, status: str, message: str = "", **kw) -> dict:
    name = kw.pop("name", None) or Path(path).name
    return file_row(path, name, sheet, spec.name, status, message, **kw)



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


def _sheet_to_text(sheet: Sheet, spec: DatasetSpec, lookup: dict[str, str], name: str):
    """(columns or None, files row, findings) for one sheet. Numpy only: the text columns
    stay object arrays (dict name → array) until everything is concatenated."""
    path = sheet.path
    arr = sheet.cells
    where = f"แฟ้ม {name}" + (f" แผ่นงาน '{sheet.name}'" if sheet.name else "")
    kw = dict(name=name, kind=sheet.kind, encoding=sheet.encoding)
    found_list: list[dict] = []
    for iss in sheet.issues:
        msg = (f"{where} บรรทัด {iss.line}" + (f"–{iss.last_line}" if iss.last_line > iss.line else "")
               + f": {iss.what_th} ให้ตรวจแถวนี้กับต้นฉบับและแก้ในแฟ้มของโรงเรียน")
        found_list.append(_finding(spec, path, sheet.name, msg, iss.value, iss.code, iss.line, name))
    if arr is None:  # a sheet calamine could not read (chart sheet …): not data
        return None, _file_row(path, sheet.name, spec, "skipped",
                               f"{where}: ไม่ใช่ตารางข้อมูล (เช่น แผนภูมิ) ไม่ได้อ่าน", **kw), found_list
    nonblank_all = _nonblank_rows(arr)
    total = int(arr.shape[0])
    if not nonblank_all.any():
        return None, _file_row(path, sheet.name, spec, "empty", f"{where}: ไม่มีข้อมูล",
                               rows_total=total, rows_blank=total, **kw), found_list
    found = _locate_header_arr(arr, spec, lookup)
    if found is None:
        msg = (
            f"{where}: ไม่พบแถว{spec.header_hint_th} ใน {HEADER_SCAN_ROWS} แถวแรก จึงอ่านข้อมูลไม่ได้ "
            "ให้ตรวจว่าเป็นแฟ้มที่ดาวน์โหลดจาก DMC และไม่ได้ลบหรือแก้ชื่อหัวคอลัมน์ แล้วส่งใหม่"
        )
        nb = int(nonblank_all.sum())
        return (None, _file_row(path, sheet.name, spec, "no-header", msg, rows_total=total,
                                rows_blank=total - nb, rows_non_student=nb, reason_en="no header", **kw),
                found_list)
    hrow, keys, mapping = found
    block = arr[hrow + 1 :]
    rows_read = len(block)
    nonblank = nonblank_all[hrow + 1 :].copy()
    rows_blank = int((~nonblank).sum())
    non_student = 0
    listed = ""
    if spec.row_kinds and rows_read:
        kinds = classify_rows(block, arr[hrow], sorted(mapping.values()))
        other = nonblank & (kinds != "data")
        non_student = int(other.sum())
        if non_student:
            idx = np.flatnonzero(other)
            nums = sheet.row_numbers[hrow + 1 :][idx]
            listed = " ".join(f"{int(r)}:{kinds[i]}" for r, i in zip(nums[:50], idx[:50]))
            listed += " …" if len(idx) > 50 else ""
            nonblank &= ~other
    n = int(nonblank.sum())
    data: dict[str, np.ndarray] = {
        "source_file": np.full(n, name, dtype=object),
        "source_row": sheet.row_numbers[hrow + 1 :][nonblank],
        "source_sheet": np.full(n, sheet.name, dtype=object),
    }
    layout = detect_layout(keys) if spec.detect_layouts else "other"
    data["layout"] = np.full(n, layout, dtype=object)
    data["_path"] = np.full(n, str(path), dtype=object)
    for canon, j in mapping.items():
        data[canon] = block[nonblank, j]
    if spec.school_from_name and "school_code" not in mapping:
        data["school_code"] = np.full(n, school_code_from_name(name.rsplit(":", 1)[-1]), dtype=object)
    skipped = 0
    if spec.skip_rows is not None and n:
        small = pd.DataFrame({k: v for k, v in data.items() if k not in ("source_row",)}, dtype=object)
        skip = spec.skip_rows(small).fillna(False).astype(bool).to_numpy()
        skipped = int(skip.sum())
        data = {k: v[~skip] for k, v in data.items()}
        n -= skipped
    absent = [c for c in spec.required if c not in mapping]
    row = _file_row(
        path, sheet.name, spec, "ok", layout=layout, header_row=int(sheet.row_numbers[hrow]),
        rows_total=total, rows_read=rows_read, rows_loaded=n, rows_blank=rows_blank,
        rows_skipped=skipped, rows_header=hrow + 1, rows_non_student=non_student,
        non_student_rows=listed, absent=absent, **kw,
    )
    return data, row, found_list


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


_LOOKUP: dict[str, tuple[dict, dict]] = {}  # spec name → (its aliases, build_lookup of them)


def _sheets_to_text(spec: DatasetSpec, sheets: list[Sheet], name: str) -> list[tuple]:
    """``_sheet_to_text`` of each of a file's sheets (in the worker that parsed the file)."""
    got = _LOOKUP.get(spec.name)
    if got is None or got[0] != spec.aliases:
        got = _LOOKUP[spec.name] = (spec.aliases, build_lookup(spec.aliases))
    return [_sheet_to_text(sheet, spec, got[1], name) for sheet in sheets]


def load_dataset(paths, spec: DatasetSpec, progress: Progress | None = None,
                 dtypes: dict[str, str] | None = None) -> LoadResult:
    """Read every file under ``paths`` as dataset ``spec``. Never raises on a bad file."""
    pieces: list[dict[str, np.ndarray]] = []
    file_rows: list[dict] = []
    findings: list[dict] = []
    absent: dict[str, list[str]] = {}
    # each file's sheets are turned into columns where they are parsed (a worker, or here)
    for event in gather(paths, spec.name, progress, convert=functools.partial(_sheets_to_text, spec)):
        if event[0] == "row":
            file_rows.append(event[1])
            if event[2] is not None:
                findings.append(event[2])
            continue
        _, entry, texts = event
        rows_here: list[dict] = []
        here: list[dict] = []
        for t, row, found in texts:
            rows_here.append(row)
            here.extend(found)
            if t is not None:
                pieces.append(t)
                prev = absent.setdefault(entry.name, [])
                for c in row.pop("absent", []):
                    if c not in prev:
                        prev.append(c)
        findings.extend(here)
        _file_verdict(entry, rows_here, findings, spec)
        file_rows.extend(rows_here)
    for r in file_rows:
        r.pop("absent", None)
    # files first (in input order), then the folders met
    file_rows = [r for r in file_rows if r["kind"] != "dir"] + [r for r in file_rows if r["kind"] == "dir"]

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
        fnd = _school_of_file(fnd, frame)
    files = pd.DataFrame(file_rows, columns=FILES_COLUMNS)
    files = files.astype({
        **{c: "Int64" for c in FILES_COLUMNS if c.startswith("rows_") or c == "header_row"},
        **{c: "string" for c in FILES_COLUMNS if not c.startswith("rows_") and c != "header_row"},
    })
    return LoadResult(frame=frame, findings=fnd, files=files)


def _school_of_file(fnd: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Findings about a file whose name holds no school code take the school its rows name
    (the first one), so a damaged row reaches that school's pack."""
    miss = fnd["school_code"].isna()
    if not miss.any() or "school_code" not in frame or not len(frame):
        return fnd
    first = frame.dropna(subset=["school_code"]).drop_duplicates("source_file")
    by_file = pd.Series(first["school_code"].to_numpy(), index=first["source_file"].to_numpy())
    fnd.loc[miss, "school_code"] = fnd.loc[miss, "source_file"].map(by_file).astype("string")
    return fnd


def _file_verdict(entry, rows_here: list[dict], findings: list[dict], spec: DatasetSpec) -> None:
    """One finding for a file none of whose sheets is a list of this dataset: an error when
    the file's name promises a table (or it was named explicitly), else a note; sheets without
    a header beside readable ones are notes (instructions, hand-made summaries)."""
    from obec_audit.io.walk import DATA_SUFFIXES

    name = entry.name
    ok = any(r["status"] == "ok" for r in rows_here)
    no_header = [r for r in rows_here if r["status"] == "no-header"]
    if ok:
        for r in no_header:
            r["status"] = "not-student"
            msg = (f"แฟ้ม {name} แผ่นงาน '{r['source_sheet']}' ไม่ใช่รายชื่อนักเรียน (ไม่มีหัวตาราง เช่น "
                   "คำชี้แจงหรือสรุปที่ทำเอง) จึงไม่ได้อ่าน แผ่นงานอื่นอ่านแล้ว")
            r["message_th"] = msg
            findings.append(_finding(spec, entry.path, r["source_sheet"], msg, code="file-skipped", name=name))
        return
    promised = entry.explicit or entry.suffix in DATA_SUFFIXES
    if all(r["status"] in ("empty", "skipped") for r in rows_here):
        msg = f"เปิดแฟ้ม {name} ได้ แต่ไม่มีข้อมูลเลย (ทุกแผ่นงานว่าง) {_DOWNLOAD_AGAIN}"
        code = "file-unreadable"
    elif promised:
        sheets = [r["source_sheet"] for r in no_header if r["source_sheet"]]
        msg = (f"แฟ้ม {name}" + (f" (แผ่นงาน {', '.join(sheets[:5])})" if sheets else "")
               + f": ไม่พบแถว{spec.header_hint_th} ใน {HEADER_SCAN_ROWS} แถวแรก จึงอ่านข้อมูลไม่ได้ "
               "ให้ตรวจว่าเป็นแฟ้มที่ดาวน์โหลดจาก DMC และไม่ได้ลบหรือแก้ชื่อหัวคอลัมน์ แล้วส่งใหม่")
        code = "file-unreadable"
    else:
        msg = f"แฟ้ม {name} ไม่ใช่รายชื่อ (ไม่พบแถว{spec.header_hint_th}) จึงไม่ได้อ่าน"
        code = "file-skipped"
    for r in rows_here:
        r["status"] = "unreadable" if code == "file-unreadable" else "not-student"
        r["message_th"] = msg
    findings.append(_finding(spec, entry.path, "", msg, value=name, code=code, name=name))



def id_columns(values: pd.Series) -> dict[str, pd.Series]:
    """``national_id`` (normalised, <NA> when empty), ``id_type`` and ``id_reason`` of a
    column of IDs as read (``obec_audit.ids.classify_series``)."""
    from obec_audit.ids import classify_series

    ids = classify_series(values)
    return {
        "national_id": ids["national_id"].mask(ids["national_id"].eq("")),
        "id_type": ids["id_type"],
        "id_reason": ids["id_reason"],
    }


def person_columns(t: pd.DataFrame) -> dict[str, pd.Series]:
    """The columns every person list shares (students, staff, discharges): school code,
    the normalised ID with its type and reason, and the canonical title."""
    from obec_audit.text import canon_title

    return {
        "school_code": school_code_series(text_column(t, "school_code")),
        **id_columns(text_column(t, "national_id")),
        "title": canon_title(text_column(t, "title")),
    }
