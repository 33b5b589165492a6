"""Large student extracts: provincial and national CSV / Parquet files, streamed in chunks.

DMC's per-school Excel downloads go through ``obec_audit.io.load_students`` (every sheet read
whole into memory, exact row accounting for hand-made sheets). An *extract* holds many schools
and areas in one file, up to OBEC's 6.6 million students; reading it that way would hold the
whole file as Python objects. ``load_extract`` reads it in chunks with pyarrow instead and
canonicalises each chunk with the very function the Excel path uses
(``obec_audit.io.students.finish_students``, then ``readers.as_schema``), so a row gives the same
canonical values, and therefore the same findings, whichever path read it.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / 'x.csv').write_text('รหัสโรงเรียน,เลขประจำตัวประชาชน,ชั้น,เพศ,ชื่อ,วันเกิด\\n'
...                              '57010001,1-1017-00230-70-8,ป.3,ช,สมชาย,10/06/2557\\n', encoding='utf-8')
>>> r = load_extract(d / 'x.csv')
>>> r.frame[['school_code', 'national_id', 'grade', 'sex']].iloc[0].tolist()
['57010001', '1101700230708', 'ป.3', 'M']
>>> r.frame['source_row'].tolist()
[2]

Which files are extracts (``is_extract``): every ``.parquet``/``.pq`` file and every
``.csv.gz``; a plain ``.csv`` when it is at least ``EXTRACT_MIN_BYTES`` (50 MB, about 60,000
layout-B students). Smaller CSV files, whatever number of schools they hold, go through the
Excel path, which reads them just as well at that size and keeps exact line numbers even
for quoted fields spanning lines. Deciding by size costs one ``stat``, never a parse.

``load_students_any(paths)`` is the one call for a round: it sends extracts here and
everything else to ``load_students``, and merges the two ``LoadResult``s.

Header naming: the header row is found among the first ``HEADER_SCAN_ROWS`` rows exactly as
for Excel files (alias tables + ``text.normalize_header``), so DMC's Thai headers (layout A
or B) and the canonical English names both work, title rows above the header too. A Parquet
file's column names are its header.

Rows: ``source_file`` is the file name, ``source_row`` the line number in the CSV file (header
on line 1 → first student on line 2; blank lines counted, as a text editor shows them; only a
quoted value spanning several lines would shift the numbers after it) or, for Parquet, the
row index + 2 (as if the header were row 1). Rows whose cells are all empty are counted in
``files.rows_blank`` and not loaded, as in the Excel path. A CSV file pyarrow cannot parse
(ragged rows, a stray quote) is read again through the Excel path rather than rejected.

How a chunk becomes canonical (``_canonical``): each input column is dictionary-encoded
(Parquet's own dictionaries are used as they are read), every rule of ``finish_students``
(``students.COLUMN_RULES``, the plain text columns cleaned together) runs on the distinct
values not met in the file's earlier chunks (``distinct.Known``), and results are gathered
back by the codes. A result equal to the text as read (names, places, grades, the ``*_raw``
columns) is the column as read itself: no copy. IDs are classified from their digits
(``ids.classify_series``); an empty line is a record of empty cells (``distinct.nonblank``).

Memory: only the current chunk is held as text (``chunksize`` rows, default 500,000); every
string column of the result is pandas ``string`` backed by pyarrow (no Python objects per
cell); text columns with no value share one block of nulls (``distinct.share_empty``).
The canonical frame itself is the size it is: about 0.8 kB per student for layout B (≈ 5.3 GB
for the national list). Extracts of 3 M rows or more are read with pyarrow's jemalloc pool
(``io.memory.pool_for``), and what the chunks used is handed back at the end (``io.memory``;
BENCHMARKS.md, "Memory").
"""

from __future__ import annotations

import csv
import gzip
import io
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from obec_audit.io.readers import (
    FILES_COLUMNS,
    HEADER_SCAN_ROWS,
    LoadResult,
    Progress,
    ReadError,
    _file_row,
    _finding,
    as_schema,
    build_lookup,
    decode_text,
    detect_layout,
    discover,
    header_key,
    locate_header,
    map_header,
    school_code_from_name,
)
from obec_audit.io.distinct import STR as _STR, Column, Known, nonblank, one_piece, share_empty, source_series, to_arrow_of
from obec_audit.io.memory import pool_for, release_memory, rows_hint, use_lean_pool
from obec_audit.io.students import STUDENT_FRAME_COLUMNS, STUDENT_SPEC, load_students
from obec_audit.schema import STUDENT_DTYPES, AbsentColumns, empty_findings

__all__ = [
    "EXTRACT_MIN_BYTES",
    "EXTRACT_SUFFIXES",
    "is_extract",
    "split_inputs",
    "load_extract",
    "load_students_any",
    "iter_extract_chunks",
    "release_memory",
    "use_lean_pool",
]

#: a plain .csv at least this big is an extract
EXTRACT_MIN_BYTES = 50 * 1024 * 1024
#: always extracts
EXTRACT_SUFFIXES: tuple[str, ...] = (".parquet", ".pq", ".csv.gz")
#: bytes read from the top of a CSV file to find its encoding, delimiter and header
_HEAD_BYTES = 1 << 20
#: pyarrow's streaming CSV reader parses one block at a time on one thread; 2 MB blocks stay
#: in the CPU's cache (1 M students: 1.9 s against 2.7 s with 16 MB blocks, BENCHMARKS.md)
_CSV_BLOCK = 2 << 20

_DTYPES = {"source_row": "Int64", **STUDENT_DTYPES}
_STRING = pd.StringDtype("pyarrow")
_TEXT_COLUMNS = [c for c in STUDENT_FRAME_COLUMNS if _DTYPES.get(c, "string") == "string"]


# ------------------------------------------------------------------------------ routing
def _lower_name(p: Path) -> str:
    return p.name.lower()


def is_extract(path) -> bool:
    """True for a file ``load_extract`` should read: ``.parquet``/``.pq``/``.csv.gz`` always,
    ``.csv`` when at least ``EXTRACT_MIN_BYTES``. Folders and anything else: False.

    >>> is_extract('national.parquet'), is_extract('area.xlsx'), is_extract('missing.csv')
    (True, False, False)
    """
    p = Path(path)
    name = _lower_name(p)
    if name.endswith(EXTRACT_SUFFIXES):
        return not p.is_dir()
    if name.endswith(".csv"):
        try:
            return p.is_file() and p.stat().st_size >= EXTRACT_MIN_BYTES
        except OSError:
            return False
    return False


def split_inputs(paths) -> tuple[list[Path], list[Path]]:
    """(extract files, everything else) of ``paths``: files and folders (searched
    recursively, hidden and lock files skipped, like ``readers.discover``). The second list
    is what ``load_students`` should be given (files, in order)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    extracts: list[Path] = []
    others: list = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if not f.is_file() or any(part.startswith(("~$", ".", "._")) for part in rel):
                    continue
                if is_extract(f):
                    extracts.append(f)
            tables, rest = discover(p)
            others.extend(t for t in tables if t not in extracts)
            others.extend(r for r in rest if r not in extracts)  # listed as skipped
        elif is_extract(p):
            extracts.append(p)
        else:
            others.append(p)
    return extracts, others


# ------------------------------------------------------------------------------ CSV head
def _open_binary(path: Path):
    return gzip.open(path, "rb") if _lower_name(path).endswith(".gz") else path.open("rb")


def _csv_head(path: Path):
    """(encoding for pyarrow, delimiter, rows of the first HEADER_SCAN_ROWS records, their
    line numbers, encoding label)."""
    with _open_binary(path) as fh:
        data = fh.read(_HEAD_BYTES)
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ReadError("empty", f"เปิดแฟ้ม {path.name} ไม่ได้: แฟ้มว่างเปล่า ไม่มีข้อมูล")
    if b"\x00" in data[:65536]:
        raise ReadError("binary", f"เปิดแฟ้ม {path.name} ไม่ได้: แฟ้มไม่ใช่ข้อความ CSV")
    if len(data) == _HEAD_BYTES:  # cut at a line end so no character is split
        cut = data.rfind(b"\n")
        data = data[: cut + 1] if cut > 0 else data
    text, label = decode_text(data)
    arrow_enc = "utf8" if label.startswith("utf-8") else "cp874"
    from obec_audit.io.readers import _sniff_delimiter

    delim = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    rows, lines = [], []
    try:
        for rec in reader:
            rows.append(rec)
            lines.append(reader.line_num)  # the line the record ends on
            if len(rows) >= HEADER_SCAN_ROWS:
                break
    except csv.Error:
        pass
    return arrow_enc, delim, rows, lines, label


def _grid(rows: list[list[str]]) -> np.ndarray:
    width = max((len(r) for r in rows), default=0)
    arr = np.empty((len(rows), width), dtype=object)
    for i, r in enumerate(rows):
        arr[i, : len(r)] = [v if v != "" else None for v in r]
    return arr


# ------------------------------------------------------------------------------ chunks
def _as_text(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """Any Arrow column → text as the Excel path reads it (integral floats without '.0')."""
    t = col.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return col
    if pa.types.is_dictionary(t) and (pa.types.is_string(t.value_type) or pa.types.is_large_string(t.value_type)):
        return col  # kept encoded: ``_Column`` uses the dictionary as the distinct values
    if pa.types.is_dictionary(t) or pa.types.is_string_view(t):
        return col.cast(pa.string())
    if pa.types.is_floating(t):
        out = []
        for ch in col.chunks:
            integral = pc.and_kleene(pc.is_finite(ch), pc.equal(pc.floor(ch), ch))
            as_int = pc.cast(pc.if_else(integral, ch, 0), pa.int64(), safe=False).cast(pa.string())
            out.append(pc.if_else(integral, as_int, ch.cast(pa.string())))
        return pa.chunked_array(out, type=pa.string())
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return col.cast(pa.string())
    return col.cast(pa.string())


#: threads encoding a chunk's columns (2 cores: the machine this was measured on)
_THREADS = 2
#: inputs whose values nearly all differ: not dictionary-encoded
_UNIQUE_INPUTS = frozenset({"national_id"})
#: inputs that mostly repeat another row for row: the parents' surnames, the child's
_REPEATS = {"father_last_name": "last_name", "mother_last_name": "last_name", "guardian_last_name": "last_name"}


def _canonical(table: pa.Table, mapping: dict[str, str], rows: np.ndarray, path: Path,
               layout: str, known: Known | None = None, safe: set | None = None) -> pd.DataFrame:
    """Text chunk (blank rows already dropped) → canonical frame, with the Excel path's own
    rules (``students.COLUMN_RULES``, ``PLAIN_TEXT``, ``RAW_COLUMNS``: the pieces of
    ``finish_students``) and ``as_schema``.

    Every rule maps each value on its own, so it runs on each column's *distinct* values only
    (Arrow dictionary encoding) and the results are gathered back with the codes; a result
    equal to the text as read is the column itself, not a copy (names and places mostly
    are). The plain text columns are cleaned together (surnames repeat across the parents'
    columns). Whitespace-only cells are empty (the Excel path's rule). ``known``: the
    results for values met in the file's earlier chunks (``distinct.Known``). ``safe`` gets
    the text columns whose distinct values are ``csvout.formula_free`` (students.csv)."""
    from obec_audit.io.csvout import formula_free
    from obec_audit.io.students import COLUMN_RULES, PLAIN_TEXT, RAW_COLUMNS
    from obec_audit.text import clean_text

    n = table.num_rows
    inputs: dict[str, Column] = {}

    def col(canon: str) -> Column:
        if canon not in inputs:
            if canon in mapping:
                inputs[canon] = Column(table.column(mapping[canon]), n,
                                        distinct=canon not in _UNIQUE_INPUTS)
            elif canon == "school_code":
                inputs[canon] = Column(None, n, fill=school_code_from_name(path))
            else:
                inputs[canon] = Column(None, n)
        return inputs[canon]

    # dictionary encoding runs in pyarrow without the GIL: the columns are encoded two at a time;
    # a column that mostly repeats another row for row takes its codes (``Column.repeating``)
    with ThreadPoolExecutor(_THREADS) as pool:
        first = [c for c in mapping if _REPEATS.get(c) not in mapping]
        inputs.update(zip(first, pool.map(
            lambda c: Column(table.column(mapping[c]), n, distinct=c not in _UNIQUE_INPUTS), first)))
        then = [c for c in mapping if c not in inputs]
        inputs.update(zip(then, pool.map(
            lambda c: Column.repeating(table.column(mapping[c]), n, inputs[_REPEATS[c]]), then)))
    out: dict[str, pd.Series] = {
        "source_file": source_series(path.name, n),
        "source_row": pd.Series(rows.astype("int64")),
        "source_sheet": source_series("", n),
        "layout": source_series(layout, n),
    }
    shown = {"source_file": pa.array([path.name]), "source_sheet": pa.array([""]), "layout": pa.array([layout])}
    known = known if known is not None else Known()
    for src, rule in COLUMN_RULES:
        c = col(src)
        # a column not encoded (IDs) has a value per row: nothing to remember between chunks
        results = (known.apply(src, c.uniq, rule) if c.codes is not None
                   else rule(pd.Series(pd.arrays.ArrowStringArray(c.uniq))))
        for name, values in results.items():
            out[name] = c.gather(values)
            shown[name] = values
    plain = [p for p in PLAIN_TEXT if p in mapping]
    if plain:  # one dictionary for all of them: each column's distinct values are a slice
        every = pc.dictionary_encode(pa.concat_arrays([col(p).uniq for p in plain]))
        cleaned = to_arrow_of(known.apply("", every.dictionary, lambda v: {"": clean_text(v)})[""])
        at = 0
        for p in plain:
            c = col(p)
            idx = every.indices.slice(at, len(c.uniq))
            at += len(c.uniq)
            shown[p] = pd.Series(pd.arrays.ArrowStringArray(cleaned.take(idx)))
            out[p] = c.gather(shown[p])
    for p in PLAIN_TEXT:
        if p not in mapping:
            out[p] = pd.Series(pd.NA, index=range(n), dtype=_STRING)
    for r in RAW_COLUMNS:
        out[f"{r}_raw"] = (pd.Series(pd.arrays.ArrowStringArray(col(r).as_read())) if r in mapping
                           else pd.Series(pd.NA, index=range(n), dtype=_STRING))
        shown[f"{r}_raw"] = col(r).uniq
    if safe is not None:  # judged on the distinct values: the rows need not be looked at again
        safe.update(k for k, v in shown.items() if formula_free(v))
    share_empty(out, n, _TEXT_COLUMNS)
    frame = pd.DataFrame(out)
    return as_schema(frame, STUDENT_FRAME_COLUMNS, _DTYPES).reset_index(drop=True)


def _finish(text: pd.DataFrame) -> pd.DataFrame:
    frame = STUDENT_SPEC.finish(text)
    return frame[[c for c in frame.columns if not str(c).startswith("_")]]


def _canonical_whole(table: pa.Table, mapping: dict[str, str], rows: np.ndarray, path: Path,
                     layout: str, known=None, safe=None) -> pd.DataFrame:
    """``finish_students`` on the whole chunk (the reference ``_canonical`` must equal)."""
    n = table.num_rows
    cols: dict[str, pd.Series] = {
        "source_file": pd.Series(pd.array([path.name], dtype=_STRING).repeat(n)),
        "source_row": pd.Series(rows.astype("int64")),
        "source_sheet": pd.Series(pd.array([""], dtype=_STRING).repeat(n)),
        "layout": pd.Series(pd.array([layout], dtype=_STRING).repeat(n)),
    }
    for canon, name in mapping.items():
        s = pd.Series(pd.arrays.ArrowStringArray(table.column(name).cast(_STR)))
        cols[canon] = s.mask(s.str.strip().eq(""))  # whitespace-only cells are empty
    if "school_code" not in mapping:
        code = school_code_from_name(path)
        cols["school_code"] = pd.Series(pd.array([code], dtype=_STRING).repeat(n))
    frame = _finish(pd.DataFrame(cols))
    return as_schema(frame, STUDENT_FRAME_COLUMNS, _DTYPES).reset_index(drop=True)


#: the first part read is ``chunksize // FIRST_PART`` rows: the other core has nothing to do
#: until it is parsed (rules on values met again cost little: ``distinct.Known``)
FIRST_PART = 4


def _rebatch(batches: Iterable[pa.RecordBatch], rows: int, first: int | None = None) -> Iterator[pa.Table]:
    """Tables of ``rows`` rows or more (the first: ``first``) from the reader's batches."""
    buf: list[pa.RecordBatch] = []
    have, want = 0, first or rows
    for b in batches:
        if b.num_rows == 0:
            continue
        buf.append(b)
        have += b.num_rows
        if have >= want:
            yield pa.Table.from_batches(buf)
            buf, have, want = [], 0, rows
    if buf:
        yield pa.Table.from_batches(buf)


def _prefetch(items: Iterable, ahead: int = 1) -> Iterator:
    """``items``, with the next one read on a thread while the caller works on this one
    (pyarrow parses CSV and decodes Parquet without the GIL); an error is raised here."""
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=ahead)
    stop = threading.Event()
    done = object()

    def put(x) -> bool:
        while not stop.is_set():
            try:
                q.put(x, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run():
        try:
            for x in items:
                if not put((x, None)):
                    return
            put((done, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            put((None, exc))

    threading.Thread(target=run, daemon=True, name="extract-prefetch").start()
    try:
        while True:
            x, exc = q.get()
            if exc is not None:
                raise exc
            if x is done:
                return
            yield x
    finally:
        stop.set()


class _NoHeader(Exception):
    pass


def _plan_csv(path: Path, lookup: dict[str, str]):
    enc, delim, rows, lines, label = _csv_head(path)
    found = locate_header(_grid(rows), STUDENT_SPEC, lookup) if rows else None
    if found is None:
        raise _NoHeader(label)
    hrow, keys, mapping = found
    header_line = lines[hrow]
    width = len(rows[hrow])
    return dict(enc=enc, delim=delim, label=label, header_line=header_line, width=width,
                keys=keys, mapping=mapping)


def _csv_tables(path: Path, plan: dict, chunksize: int) -> Iterator[tuple[pa.Table, np.ndarray]]:
    """(text table with columns c0…, record index of each row) per chunk."""
    import pyarrow.csv as pacsv

    names = [f"c{j}" for j in range(plan["width"])]
    reader = pacsv.open_csv(
        str(path),
        read_options=pacsv.ReadOptions(skip_rows=plan["header_line"], column_names=names,
                                       block_size=_CSV_BLOCK, encoding=plan["enc"]),
        # an empty line is a record of empty cells (``ignore_empty_lines=False``): ``nonblank``
        # counts it blank like any other empty record, and record numbers stay line numbers
        parse_options=pacsv.ParseOptions(delimiter=plan["delim"], newlines_in_values=True,
                                         ignore_empty_lines=False),
        # text as pandas holds it (large_string: no cast later); UTF-8 is checked on each
        # column's distinct values (``distinct.Column``), not on every cell while parsing
        convert_options=pacsv.ConvertOptions(column_types={c: _STR for c in names},
                                             null_values=[""], strings_can_be_null=True,
                                             quoted_strings_can_be_null=True, check_utf8=False),
    )
    start = 0
    for t in _rebatch(reader, chunksize, max(chunksize // FIRST_PART, 1)):
        yield t, np.arange(start, start + t.num_rows, dtype=np.int64)
        start += t.num_rows


def _parquet_tables(path: Path, chunksize: int):
    """(column names, ``make(plain)`` → iterator of (text table, record indices)). Text
    columns are read with their Parquet dictionaries kept, except the positions in ``plain``
    (columns whose values nearly all differ)."""
    import pyarrow.parquet as pq

    schema = pq.read_schema(str(path))
    names = list(schema.names)

    def make(plain: set[int]):
        text = [f.name for j, f in enumerate(schema) if j not in plain
                and (pa.types.is_string(f.type) or pa.types.is_large_string(f.type))]
        pf = pq.ParquetFile(str(path), read_dictionary=list(dict.fromkeys(text)))
        start = 0
        for b in pf.iter_batches(batch_size=chunksize):
            t = pa.Table.from_batches([b])
            t = pa.table({f"c{j}": _as_text(t.column(j)) for j in range(t.num_columns)})
            yield t, np.arange(start, start + t.num_rows, dtype=np.int64)
            start += t.num_rows

    return names, make


def iter_extract_chunks(path, chunksize: int = 500_000, lookup: dict | None = None):
    """Yield ``(canonical chunk, info)`` for one extract file; ``info`` (a dict, updated as
    chunks go by) holds the ``files`` row fields. Raises ``ReadError`` / ``_NoHeader``."""
    path = Path(path)
    lookup = lookup or build_lookup(STUDENT_SPEC.aliases)
    name = _lower_name(path)
    info = dict(rows_read=0, rows_loaded=0, rows_blank=0, encoding="", layout="other",
                header_row=1, absent=[])
    if name.endswith((".parquet", ".pq")):
        names, make = _parquet_tables(path, chunksize)
        keys = [header_key(k) for k in names]
        mapping = map_header(keys, lookup)
        if len(mapping) < STUDENT_SPEC.min_columns or not any(k in mapping for k in STUDENT_SPEC.key_any):
            raise _NoHeader("")
        tables = make({mapping[c] for c in _UNIQUE_INPUTS if c in mapping})
        info.update(encoding="parquet", header_row=1)
        first_line = 2  # row index 0 → row 2
    else:
        plan = _plan_csv(path, lookup)
        keys, mapping = plan["keys"], plan["mapping"]
        info.update(encoding=plan["label"], header_row=plan["header_line"])
        tables = _csv_tables(path, plan, chunksize)
        first_line = plan["header_line"] + 1
    layout = detect_layout(keys)
    info["layout"] = layout
    info["absent"] = [c for c in STUDENT_SPEC.required if c not in mapping]
    colmap = {canon: f"c{j}" for canon, j in mapping.items()}
    key = next((colmap[k] for k in STUDENT_SPEC.key_any if k in colmap), None)
    known = Known()  # rules' results for the values met in earlier chunks
    for t, rec in _prefetch(tables):
        info["rows_read"] += t.num_rows
        keep = nonblank(t, key)
        n_keep = int(keep.sum())
        info["rows_blank"] += t.num_rows - n_keep
        if n_keep == 0:
            continue
        rec = rec[keep]
        t = t.filter(pa.array(keep)) if n_keep < t.num_rows else t
        t = t.select(list(dict.fromkeys(colmap.values())))
        lines = first_line + rec  # record r (empty lines are records too) sits on line first_line + r
        info["rows_loaded"] += n_keep
        info["safe"] = set()  # this chunk's columns ``csvout.formula_free``
        yield _canonical(t, colmap, lines, path, layout, known, info["safe"]), info


def _empty_frame() -> pd.DataFrame:
    return as_schema(pd.DataFrame(), STUDENT_FRAME_COLUMNS, _DTYPES)


def _results(frames, findings, file_rows, absent) -> LoadResult:
    frame = pd.concat(frames, ignore_index=True) if frames else _empty_frame()
    if frames:
        frames.clear()  # the chunks' frames: their columns now live in ``frame`` only
        frame = one_piece(frame)
    frame.attrs["absent_columns"] = AbsentColumns(absent)
    fnd = empty_findings()
    if findings:
        fnd = pd.concat([fnd, pd.DataFrame(findings)], ignore_index=True)[list(empty_findings().columns)]
        fnd = fnd.astype({c: "string" for c in fnd.columns if c != "source_row"})
        fnd["source_row"] = fnd["source_row"].astype("Int64")
    files = pd.DataFrame(file_rows, columns=FILES_COLUMNS).astype(
        {
            "header_row": "Int64", "rows_read": "Int64", "rows_loaded": "Int64",
            "rows_blank": "Int64", "rows_skipped": "Int64",
            **{c: "string" for c in ("path", "source_file", "source_sheet", "dataset", "layout",
                                     "encoding", "status", "message_th")},
        }
    )
    return LoadResult(frame=frame, findings=fnd, files=files)


class _NoSink:
    """``load_extract``'s ``sink`` when none is given."""

    def start_file(self) -> None:
        pass

    def add(self, frame, safe=()) -> None:
        pass

    def drop_file(self) -> None:
        pass


def load_extract(paths, progress: Progress | None = None, chunksize: int = 500_000,
                 sink=None) -> LoadResult:
    """Read student extracts (.csv, .csv.gz, .parquet; a path or a list of them) in chunks.

    Returns the same ``LoadResult`` as ``obec_audit.io.load_students``: the canonical frame
    (``STUDENT_FRAME_COLUMNS``, input order), ``file-unreadable`` findings, one ``files`` row
    per file. Never raises on a bad file.

    ``sink`` (e.g. ``io.csvout.StudentsCsvStream``) is told the frame's rows as they are read:
    ``start_file()`` at each file, ``add(part)`` for each part in order, ``drop_file()`` when
    the parts given since ``start_file`` are withdrawn (the file failed, or is read again row
    by row: its rows then follow as one part).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [Path(p) for p in paths]
    sink = sink if sink is not None else _NoSink()
    pool_for(rows_hint(paths))
    lookup = build_lookup(STUDENT_SPEC.aliases)
    spec = STUDENT_SPEC
    frames: list[pd.DataFrame] = []
    findings: list[dict] = []
    file_rows: list[dict] = []
    absent: dict[str, list[str]] = {}
    for k, path in enumerate(paths, start=1):
        mine: list[pd.DataFrame] = []
        info: dict = {}
        try:
            if not path.exists():
                raise ReadError("missing", f"ไม่พบแฟ้ม {path.name} ให้ตรวจชื่อแฟ้มและโฟลเดอร์")
            if path.stat().st_size == 0:
                raise ReadError("empty", f"เปิดแฟ้ม {path.name} ไม่ได้: แฟ้มว่างเปล่า (0 ไบต์)")
            sink.start_file()
            for chunk, info in iter_extract_chunks(path, chunksize, lookup):
                mine.append(chunk)
                sink.add(chunk, info.get("safe", ()))
            chunk = None  # the last chunk's columns are joined with the others (``one_piece``)
        except _NoHeader as exc:
            sink.drop_file()
            msg = (
                f"แฟ้ม {path.name}: ไม่พบแถว{spec.header_hint_th} ใน {HEADER_SCAN_ROWS} แถวแรก จึงอ่านข้อมูลไม่ได้ "
                "ให้ตรวจว่าเป็นแฟ้มที่ดาวน์โหลดจาก DMC และไม่ได้ลบหรือแก้ชื่อหัวคอลัมน์ แล้วส่งใหม่"
            )
            file_rows.append(_file_row(path, "", spec, "no-header", msg, encoding=str(exc.args[0] if exc.args else "")))
            findings.append(_finding(spec, path, "", msg))
        except ReadError as err:
            sink.drop_file()
            file_rows.append(_file_row(path, "", spec, "unreadable", err.message_th))
            findings.append(_finding(spec, path, "", err.message_th, value=path.name))
        except (pa.ArrowException, UnicodeDecodeError, csv.Error, OSError, EOFError, ValueError) as exc:
            mine = []
            sink.drop_file()
            if _lower_name(path).endswith(".csv"):
                # ragged rows, stray quotes …: the Excel path reads such files row by row
                res = load_students([path])
                frames.append(res.frame)
                sink.add(res.frame)
                for name, cols in (res.frame.attrs.get("absent_columns") or {}).items():
                    absent.setdefault(name, list(cols))
                findings.extend(res.findings.to_dict("records"))
                file_rows.extend(res.files.to_dict("records"))
            else:
                msg = (f"เปิดแฟ้ม {path.name} ไม่ได้ ({type(exc).__name__}) ให้ดาวน์โหลดจาก DMC ใหม่ "
                       "หรือบันทึกเป็น .parquet / .csv ใหม่แล้วตรวจอีกครั้ง")
                file_rows.append(_file_row(path, "", spec, "unreadable", msg))
                findings.append(_finding(spec, path, "", msg, value=path.name))
        else:
            frames.extend(mine)
            if info:
                absent[path.name] = list(info.get("absent", []))
                status = "ok" if info["rows_loaded"] else "empty"
                file_rows.append(_file_row(
                    path, "", spec, status, "" if info["rows_loaded"] else f"แฟ้ม {path.name}: ไม่มีข้อมูล",
                    layout=info["layout"], header_row=info["header_row"], rows_read=info["rows_read"],
                    rows_loaded=info["rows_loaded"], rows_blank=info["rows_blank"],
                    encoding=info["encoding"]))
            else:
                file_rows.append(_file_row(path, "", spec, "empty", f"แฟ้ม {path.name}: ไม่มีข้อมูล"))
            if not mine:
                msg = f"เปิดแฟ้ม {path.name} ได้ แต่ไม่มีข้อมูลนักเรียนเลย ให้ดาวน์โหลดจาก DMC ใหม่"
                findings.append(_finding(spec, path, "", msg, value=path.name))
                file_rows[-1]["status"] = "unreadable"
        del mine
        if progress is not None:
            try:
                progress(k, len(paths), path.name)
            except Exception:  # noqa: BLE001
                pass
    res = _results(frames, findings, file_rows, absent)
    del frames  # the chunks: their text is shared with ``res.frame``, their numbers copied
    release_memory()
    return res


def load_students_any(paths, progress: Progress | None = None, chunksize: int = 500_000,
                      sink=None) -> LoadResult:
    """``load_students`` for DMC downloads and ``load_extract`` for extracts (``is_extract``),
    merged into one ``LoadResult`` (DMC downloads first, then the extracts, each in order).
    With no extract among ``paths`` this is exactly ``load_students(paths, progress)``.
    ``sink``: as ``load_extract``'s, told the whole frame's rows (DMC downloads first)."""
    extracts, others = split_inputs(paths)
    if not extracts:
        return load_students(paths, progress=progress)
    parts: list[LoadResult] = []
    if others:
        parts.append(load_students(others, progress=progress))
        if sink is not None and len(parts[0].frame):
            sink.add(parts[0].frame)
    parts.append(load_extract(extracts, progress=progress, chunksize=chunksize, sink=sink))
    if len(parts) == 1:
        return parts[0]
    frames = [p.frame for p in parts if len(p.frame)]
    frame = pd.concat(frames, ignore_index=True) if frames else parts[-1].frame
    absent: dict[str, list[str]] = {}
    for p in parts:
        absent.update(p.frame.attrs.get("absent_columns") or {})
    frame.attrs["absent_columns"] = AbsentColumns(absent)
    fnd = [p.findings for p in parts if len(p.findings)]
    findings = pd.concat(fnd, ignore_index=True) if fnd else parts[-1].findings
    files = pd.concat([p.files for p in parts], ignore_index=True)
    return LoadResult(frame=frame, findings=findings, files=files)
