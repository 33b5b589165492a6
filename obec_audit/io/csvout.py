r'''The round's CSV files (``round.write_outputs``): written atomically (``atomic_csv``: a
temporary file, then renamed), UTF-8 with a BOM so Excel keeps the Thai, with text Excel
would run as a formula neutralised (``io.csvsafe``); students.csv (``students_for_csv``) also
part by part while an extract is read (``StudentsCsvStream``).

Lists from ``ARROW_CSV_MIN_ROWS`` rows go through pyarrow's CSV writer. Shorter frames get the
bytes ``df.to_csv(index=False, lineterminator="\r\n")`` writes, built by Arrow's string
kernels instead of pandas' per-cell Python loop (``csv_bytes``, ≈ 6x less CPU for the demo's
students.csv): pandas (Python's ``csv``, ``QUOTE_MINIMAL``) writes a missing value as nothing
and quotes a value holding the delimiter, a quote (doubled) or a line break; numbers as
``str`` writes them (``as_text``). Frames ``csv_bytes`` does not cover (other column types,
one column, no rows or columns) give None: ``atomic_csv`` writes them with pandas.

>>> import pandas as pd
>>> df = pd.DataFrame({"a": ["x", 'say "hi"', None, "1,2"], "n": [1.5, None, 3.0, 4.0]})
>>> csv_bytes(df, lambda d: d.astype("string")) == df.to_csv(index=False, lineterminator="\r\n").encode()
True
'''

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

import numpy as np
import pandas as pd

from obec_audit.completeness import first_bytes
from obec_audit.io.csvsafe import DANGEROUS_START, neutralise, neutralise_series

__all__ = ["ARROW_CSV_MIN_ROWS", "STUDENTS_CSV_FIRST", "StudentsCsvStream", "as_text", "atomic_csv",
           "csv_bytes", "formula_free", "neutralised", "students_for_csv"]

_NEEDS_QUOTES = r'[,"\r\n]'
EOL = "\r\n"


def _quoted(text: str) -> str:
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _plain(dtype) -> bool:
    if isinstance(dtype, pd.StringDtype):
        return True
    return (pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype)
            or pd.api.types.is_bool_dtype(dtype)) and not isinstance(dtype, pd.CategoricalDtype)


def csv_bytes(df: pd.DataFrame, as_text: Callable[[pd.DataFrame], pd.DataFrame]) -> bytes | None:
    """``df`` as pandas' CSV text (UTF-8, no BOM, ``\\r\\n``), or None when not covered.
    ``as_text(df)``: the frame as ``string`` columns, each value as pandas would write it."""
    if len(df) == 0 or len(df.columns) < 2 or not all(_plain(t) for t in df.dtypes):
        return None
    if not all(isinstance(c, str) for c in df.columns):
        return None
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return None
    table = pa.Table.from_pandas(as_text(df), preserve_index=False)
    cols = []
    for col in table.columns:
        if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            return None
        col = col.cast(pa.large_string())
        need = pc.fill_null(pc.match_substring_regex(col, _NEEDS_QUOTES), False)
        if pc.any(need).as_py():
            q, nothing = pa.scalar('"', pa.large_string()), pa.scalar("", pa.large_string())
            quoted = pc.binary_join_element_wise(q, pc.replace_substring(col, '"', '""'), q, nothing)
            col = pc.if_else(need, quoted, col)
        cols.append(col)
    comma, eol, nothing = (pa.scalar(x, pa.large_string()) for x in (",", EOL, ""))
    lines = pc.binary_join_element_wise(*cols, comma, null_handling="replace", null_replacement="")
    body = pc.binary_join_element_wise(lines, eol, nothing)
    arr = body.combine_chunks() if isinstance(body, pa.ChunkedArray) else body
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset: arr.offset + len(arr) + 1]
    data = arr.buffers()[2]
    head = ",".join(_quoted(c) for c in df.columns) + EOL
    raw = data.to_pybytes()[int(offsets[0]): int(offsets[-1])] if data is not None else b""
    return head.encode("utf-8") + raw


#: students.csv: the contract's columns first, then the rest of the canonical frame
STUDENTS_CSV_FIRST = [
    "source_file", "source_row", "school_code", "national_id", "id_type", "title",
    "first_name", "last_name", "sex", "birth_date", "grade", "room",
]


#: frames this long are written by pyarrow's CSV writer (``atomic_csv``)
ARROW_CSV_MIN_ROWS = 50_000
#: the byte order mark every CSV file starts with (Excel then reads it as UTF-8)
BOM = "\ufeff".encode("utf-8")


def _arrow_rows(df: pd.DataFrame, fh, header: bool) -> None:
    """``df`` (already neutralised) as pyarrow writes it: its rows, the header when ``header``."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(as_text(df), preserve_index=False)
    pacsv.write_csv(table, fh, pacsv.WriteOptions(quoting_style="needed", include_header=header))


def atomic_csv(df: pd.DataFrame, path: Path) -> None:
    """Write a CSV Excel opens with Thai intact (UTF-8 with BOM), atomically, with text that
    Excel would run as a formula neutralised (``io.csvsafe``). Large frames go through
    pyarrow's CSV writer (about 25x faster than pandas' for 100k+ rows)."""
    tmp = path.with_name(path.name + ".tmp")
    df = neutralised(df)
    if len(df) >= ARROW_CSV_MIN_ROWS:
        try:
            with open(tmp, "wb") as fh:
                fh.write(BOM)
                _arrow_rows(df, fh, header=True)
            os.replace(tmp, path)
            return
        except Exception:  # any pyarrow limitation: pandas below writes the same content
            pass
    data = csv_bytes(df, as_text)  # the same bytes as pandas', by Arrow (None: not covered)
    if data is not None:
        tmp.write_bytes(BOM + data)
    else:
        df.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    os.replace(tmp, path)


#: ``csvsafe.DANGEROUS_START`` as the first UTF-8 byte of a value
_DANGEROUS_BYTES = np.array([ord(c) for c in DANGEROUS_START], dtype=np.uint8)


def _formula_start(s: pd.Series) -> np.ndarray:
    """Per value of a pyarrow-backed string Series: it starts with a formula character (all
    of ``csvsafe.DANGEROUS_START`` are one byte in UTF-8)."""
    return np.isin(first_bytes(s)[0], _DANGEROUS_BYTES)


def formula_free(values) -> bool:
    """True when ``values`` is text (a pandas string Series or a pyarrow string array;
    e.g. a column's distinct values) and none of it starts with a character Excel would read
    as the start of a formula (``csvsafe.DANGEROUS_START``). False for anything else: not
    judged here."""
    import pyarrow as pa

    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
            return False
        values = pd.Series(pd.arrays.ArrowStringArray(values.cast(pa.large_string())))
    elif not isinstance(getattr(values, "dtype", None), pd.StringDtype):
        return False
    return not _formula_start(values).any()


def neutralised(df: pd.DataFrame, safe=frozenset()) -> pd.DataFrame:
    """``csvsafe.neutralise(df)``. On large frames ``neutralise_series`` is given only the
    values that start with a formula character (it changes no other value): most columns of
    a national list have none, and where they have some (a lone ``-``), converting millions
    of values to Python objects and back cost seconds. ``safe``: columns known to hold no
    such value (``formula_free`` of their distinct values), not looked at again."""
    if len(df) < ARROW_CSV_MIN_ROWS:
        return neutralise(df)
    cols, changed = {}, False
    for c in df.columns:
        s = df[c]
        if c in safe:
            cols[c] = s
            continue
        if not (isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow"):
            new = neutralise_series(s)
        else:
            risky = _formula_start(s)
            new = s
            if risky.any():
                sub = s[risky]
                fixed = neutralise_series(sub)
                if fixed is not sub:
                    new = s.copy()
                    new[risky] = fixed.to_numpy()
        cols[c] = new
        changed |= new is not s
    return pd.DataFrame(cols, index=df.index) if changed else df


def by_distinct(s: pd.Series, func) -> pd.Series:
    """``func`` (distinct non-missing values → their text) spread back over ``s``; <NA> where
    missing. Columns like weight or birth date hold few distinct values among millions."""
    import pyarrow as pa

    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    text = pa.array([None if pd.isna(v) else str(v) for v in func(uniques)] + [None], type=pa.large_string())
    codes = np.where(codes < 0, len(text) - 1, codes)  # missing: the None at the end
    return pd.Series(pd.arrays.ArrowStringArray(text.take(pa.array(codes))), index=s.index,
                     dtype="string")


def as_text(df: pd.DataFrame) -> pd.DataFrame:
    """``df.astype("string")``, without converting millions of numbers one by one in Python:
    floats are converted once per distinct value (same text as ``astype``), integers by pyarrow."""
    out = {}
    for c in df.columns:
        s = df[c]
        if isinstance(s.dtype, pd.StringDtype):
            out[c] = s.astype("string")
        elif pd.api.types.is_float_dtype(s.dtype):
            out[c] = by_distinct(s, lambda u: pd.Series(u, dtype=s.dtype).astype("string"))
        else:
            out[c] = s.astype("string")
    return pd.DataFrame(out, index=df.index)


def students_for_csv(students: pd.DataFrame) -> pd.DataFrame:
    df = students.copy()
    if "birth_date" in df:
        bd = pd.to_datetime(df["birth_date"], errors="coerce")
        df["birth_date"] = by_distinct(bd, lambda u: pd.DatetimeIndex(u).strftime("%Y-%m-%d"))
    first = [c for c in STUDENTS_CSV_FIRST if c in df.columns]
    rest = [c for c in df.columns if c not in first]
    return df[first + rest]


def arrow_csv_part(df: pd.DataFrame, fh, header: bool, safe=frozenset()) -> None:
    """``df`` (a part of the student list) in students.csv as ``atomic_csv``'s pyarrow path
    writes the whole list: its rows, and the header when ``header``. ``safe``: as
    ``neutralised``'s."""
    _arrow_rows(neutralised(students_for_csv(df), safe), fh, header)


class StudentsCsvStream:
    """students.csv written part by part while an extract is read (``io.extract.load_extract``'s
    ``sink``), on a thread: the read leaves a core idle while it waits for its first chunk and
    while it finishes its last, and the checks then need not share the cores with it. The
    bytes are those ``atomic_csv`` writes from the whole list (its pyarrow path, which the
    whole list takes from ``ARROW_CSV_MIN_ROWS`` rows): the header once, then each part.

    ``start_file`` / ``add(frame)`` / ``drop_file`` come from the reader in its order (a file
    that falls back to the row-by-row reader has its parts withdrawn: the file is cut back).
    ``finish(students)`` returns a future done when students.csv is in place: the streamed
    file when it holds exactly ``students`` (as many rows, nothing given up on), else written
    from ``students`` then, as before (a short list, a part pyarrow could not convert)."""

    def __init__(self, path: Path):
        import queue
        import threading

        self.path = Path(path)
        self._q: queue.Queue = queue.Queue()
        self._done: Future = Future()
        self._thread = threading.Thread(target=self._run, daemon=True, name="students-csv-stream")
        self._thread.start()

    # the reader's side
    def start_file(self) -> None:
        self._q.put(("mark", None))

    def add(self, frame: pd.DataFrame, safe=frozenset()) -> None:
        """``frame``'s rows next; ``safe``: its columns known to be ``formula_free``."""
        self._q.put(("add", (frame, frozenset(safe))))

    def drop_file(self) -> None:
        self._q.put(("drop", None))

    def finish(self, students: pd.DataFrame) -> Future:
        self._q.put(("end", students))
        return self._done

    def close(self) -> None:
        """Stop without a file (the round failed before ``finish``)."""
        self._q.put(("end", None))
        self._thread.join()

    # the thread
    def _run(self) -> None:
        tmp = self.path.with_name(self.path.name + ".part")
        rows, ok, mark = 0, True, (0, 0)
        try:
            with open(tmp, "wb") as fh:
                fh.write(BOM)
                while True:
                    what, arg = self._q.get()
                    if what == "end":
                        students = arg
                        break
                    if not ok:
                        continue
                    try:
                        if what == "mark":
                            mark = (fh.tell(), rows)
                        elif what == "drop":
                            fh.seek(mark[0])
                            fh.truncate()
                            rows = mark[1]
                        elif rows == 0 and len(arg[0]) < ARROW_CSV_MIN_ROWS:
                            ok = False  # the whole list may be short: written as before
                        elif len(arg[0]):
                            frame, safe = arg
                            arrow_csv_part(frame, fh, fh.tell() == len(BOM), safe)
                            rows += len(frame)
                    except Exception:  # noqa: BLE001 - any pyarrow limit: written as before
                        ok = False
            if students is None:
                tmp.unlink(missing_ok=True)
                return
            if ok and rows == len(students) and rows >= ARROW_CSV_MIN_ROWS:
                os.replace(tmp, self.path)
            else:
                tmp.unlink(missing_ok=True)
                atomic_csv(students_for_csv(students), self.path)
            self._done.set_result(True)
        except BaseException as exc:  # noqa: BLE001 - raised where the round waits for it
            tmp.unlink(missing_ok=True)
            self._done.set_exception(exc)
