"""Columns of a text chunk (``io.extract``): which rows hold anything (``nonblank``), and
each column as distinct values + codes: a rule runs once per distinct value (of a file:
``Known``), and its results are spread back over the rows without copying unchanged text."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["LEFT_IN_PIECES", "STR", "Column", "Known", "filled", "nonblank", "one_piece", "share_empty",
           "source_series", "take_rows", "to_arrow_of"]

STR = _STR = pa.large_string()  # what pandas' ``string`` dtype holds


#: rows per block of a constant column
_BLOCK = 1 << 16


@functools.lru_cache(maxsize=256)
def _constant_block(value) -> pa.Array:
    return pa.repeat(pa.scalar(value, STR), _BLOCK)


def source_series(value, n: int) -> pd.Series:
    """``n`` rows of one text (``source_file``, ``source_sheet``, ``layout``): every chunk is
    the same block of ``_BLOCK`` rows (its buffers are shared), so the national list's
    constant columns cost kilobytes, not hundreds of megabytes; same values, same dtype."""
    block = _constant_block(value)
    full, rest = divmod(n, _BLOCK)
    chunks = [block] * full + ([block.slice(0, rest)] if rest else [])
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=STR)))


def share_empty(out: dict[str, pd.Series], n: int, columns: list[str]) -> None:
    """Text ``columns`` with no value at all (absent from the file, never filled, or not in
    ``out``) become ``source_series(None, n)``: one shared block of nulls instead of 8 bytes
    of offsets per row each (≈ 55 MB a column for the national list)."""
    string = pd.StringDtype("pyarrow")
    for c in columns:
        s = out.get(c)
        arr = None if s is None else getattr(s.array, "_pa_array", None)
        if s is None or (arr is not None and n and arr.null_count == n and s.dtype == string):
            out[c] = source_series(None, n)


def filled(col: pa.ChunkedArray, trim: bool = False) -> np.ndarray:
    """Per row: the cell is not empty (``trim``: nor white space only). Byte lengths come from
    the offsets (no text scanned); a dictionary column is judged on its dictionary."""
    if pa.types.is_dictionary(col.type):
        parts = []
        for ch in col.chunks:
            d = pc.utf8_trim_whitespace(ch.dictionary) if trim else ch.dictionary
            ok = pc.greater(pc.binary_length(d), 0).take(ch.indices)
            parts.append(pc.fill_null(ok, False).to_numpy(zero_copy_only=False))
        return np.concatenate(parts) if parts else np.zeros(len(col), dtype=bool)
    if trim:
        col = pc.utf8_trim_whitespace(col)
    return pc.fill_null(pc.greater(pc.binary_length(col), 0), False).to_numpy(zero_copy_only=False)


def take_rows(table: pa.Table, rows: np.ndarray) -> pa.Table:
    """``table.take(rows)`` (``rows`` ascending) from the record batches holding them: taking
    a few rows of a table read in many blocks, pyarrow joins every column's pieces first (a
    copy of the whole chunk: 0.1 s for 250 rows of 500,000)."""
    batches = table.to_batches()
    if len(batches) < 2:
        return table.take(pa.array(rows))
    ends = np.cumsum([b.num_rows for b in batches])
    which = np.searchsorted(ends, rows, side="right")
    parts = []
    for w in np.unique(which):
        start = int(ends[w]) - batches[w].num_rows
        parts.append(batches[w].take(pa.array(rows[which == w] - start)))
    return pa.Table.from_batches(parts, schema=table.schema).combine_chunks()


def nonblank(table: pa.Table, key: str | None) -> np.ndarray:
    """True for rows with at least one cell that is not empty or whitespace (all columns).
    A row whose key column (the ID) holds a value is settled by that column alone; only the
    others (few) are looked at cell by cell."""
    n = table.num_rows
    if key is not None:
        has = filled(table.column(key), trim=True)
        rest = np.flatnonzero(~has)
    else:
        has, rest = np.zeros(n, dtype=bool), np.arange(n)
    if len(rest):
        sub = take_rows(table, rest) if len(rest) < n else table
        some = np.zeros(len(rest), dtype=bool)
        for col in sub.columns:  # any cell at all, then whitespace-only ones ruled out
            some |= filled(col)
        unsure = np.flatnonzero(some)
        if len(unsure):
            sub = sub.take(pa.array(unsure)) if len(unsure) < len(rest) else sub
            real = np.zeros(len(unsure), dtype=bool)
            for col in sub.columns:
                real |= filled(col, trim=True)
            has[rest[unsure]] = real
    return has


def _blank_to_null(arr: pa.Array) -> pa.Array:
    blank = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(arr), ""), False)
    return pc.if_else(blank, pa.scalar(None, arr.type), arr) if pc.any(blank).as_py() else arr


class Column:
    """One input column of a chunk: its distinct values (whitespace-only → null, then one
    null appended: the empty cell) and each row's position among them."""

    def __init__(self, arr: pa.ChunkedArray | None, n: int, fill=None, distinct: bool = True):
        if arr is None:  # absent: every row holds ``fill``
            self.uniq = pa.array([fill, None], type=_STR)
            self.codes = pa.array(np.zeros(n, dtype=np.int32) if fill is not None
                                  else np.ones(n, dtype=np.int32))
            self._arr, self._changed = None, False
            self._read, self._blanks = None, False
            return
        if pa.types.is_dictionary(arr.type):  # Parquet's own dictionaries: nothing to hash
            arr = arr.unify_dictionaries() if arr.num_chunks > 1 else arr
            if arr.num_chunks:
                uniq = arr.chunk(0).dictionary.cast(_STR)
                self.codes = pc.fill_null(pa.concat_arrays([c.indices for c in arr.chunks]), len(uniq))
                clean = _blank_to_null(uniq)
                self.uniq = pa.concat_arrays([clean, pa.nulls(1, _STR)])
                self._arr, self._changed = arr, True  # the text is built from the dictionary
                self._read, self._blanks = None, True
                return
            arr = arr.cast(_STR)
        arr = arr.cast(_STR) if arr.type != _STR else arr
        if arr.num_chunks == 0:
            arr = pa.chunked_array([arr.combine_chunks()])
        if distinct:  # the chunks share one dictionary: the text itself is never copied
            enc = pc.dictionary_encode(arr)
            uniq = enc.chunk(0).dictionary
            self.codes = pc.fill_null(pa.concat_arrays([c.indices for c in enc.chunks]), len(uniq))
        else:  # nearly every value differs (IDs): the rows are their own distinct values
            uniq, self.codes = arr.combine_chunks(), None
        # every byte of the column is in one of its distinct values: checking them is checking
        # the column (the CSV reader leaves UTF-8 unchecked); bad bytes raise ``ArrowInvalid``
        uniq.validate(full=True)
        clean = _blank_to_null(uniq)
        self.uniq = pa.concat_arrays([clean, pa.nulls(1, _STR)])
        # the column as read (whitespace-only cells are emptied by ``as_read`` if there are any)
        self._arr, self._changed = arr, clean is not uniq
        self._read, self._blanks = arr, clean is not uniq

    @classmethod
    def repeating(cls, arr: pa.ChunkedArray, n: int, base: "Column") -> "Column":
        """``Column(arr, n)`` for a column that mostly repeats ``base`` row for row (the
        parents' surnames and the child's): a row equal to ``base``'s takes its code, and only
        the other rows are hashed. Its distinct values are ``base``'s, then the others' (a
        value may stand twice: every rule maps each value on its own)."""
        arr = arr.cast(_STR) if arr.type != _STR else arr
        read = base._read
        if base.codes is None or read is None or len(read) != len(arr) or not len(arr):
            return cls(arr, n)
        same = pc.fill_null(pc.equal(arr, read), False)
        same_np = same.to_numpy(zero_copy_only=False)
        if same_np.sum() * 2 < len(same_np):  # mostly different: hashed as any column
            return cls(arr, n)
        k = len(base.uniq) - 1  # base's distinct values; k is its empty cell
        rest = arr.filter(pc.invert(same)).combine_chunks()
        enc = pc.dictionary_encode(rest)
        new = enc.dictionary
        new.validate(full=True)
        empty = k + len(new)
        codes = base.codes.to_numpy(zero_copy_only=False).astype(np.int32, copy=True)
        codes[codes == k] = empty
        codes[~same_np] = pc.fill_null(pc.add(enc.indices.cast(pa.int32()), k), empty).to_numpy(
            zero_copy_only=False)
        self = cls.__new__(cls)
        clean = _blank_to_null(new)
        self.uniq = pa.concat_arrays([base.uniq.slice(0, k), clean, pa.nulls(1, _STR)])
        self.codes = pa.array(codes)
        self._arr = self._read = arr
        self._blanks = self._changed = base._blanks or clean is not new
        return self

    def as_read(self) -> pa.Array:
        """The column as read, whitespace-only cells emptied (built once, then shared)."""
        if self._changed:
            self._arr, self._changed = self._take(self.uniq), False
        return self._arr

    def _take(self, values: pa.Array) -> pa.Array:
        return values.slice(0, len(values) - 1) if self.codes is None else values.take(self.codes)

    def gather(self, values: pd.Series) -> pd.Series:
        """``values`` (one per distinct value, in ``uniq`` order) spread over the rows. A
        result equal to the text as read is the column itself (no copy)."""
        arr = getattr(values.array, "_pa_array", None)
        if arr is not None:
            arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
            if self._arr is not None and arr.type == _STR and _same(arr, self.uniq):
                return pd.Series(pd.arrays.ArrowStringArray(self.as_read()))
            return pd.Series(pd.arrays.ArrowStringArray(self._take(arr)))
        v = values.to_numpy()
        v = v[:-1] if self.codes is None else v[self.codes.to_numpy(zero_copy_only=False)]
        return pd.Series(v).astype(values.dtype)


class Known:
    """A rule's results for the distinct values met in the earlier chunks of a file: each
    chunk's rule runs on the values not met before only (a name, a birth date or a grade
    repeats from chunk to chunk). A rule maps each value on its own (``students.COLUMN_RULES``),
    so a value's result does not depend on the chunk it was first met in."""

    def __init__(self):
        self._values: dict[str, pa.Array] = {}
        self._results: dict[str, dict[str, pd.Series]] = {}

    def apply(self, key: str, uniq: pa.Array, rule) -> dict[str, pd.Series]:
        """``rule(values)`` (a dict of Series) for ``uniq`` (distinct values, a null among them
        at most once), one row per value of ``uniq``; ``key`` names the rule's memory."""
        known = self._values.get(key)
        if known is None:
            out = rule(pd.Series(pd.arrays.ArrowStringArray(uniq)))
            self._values[key] = uniq
            self._results[key] = {n: v.reset_index(drop=True) for n, v in out.items()}
            return out
        pos = pc.index_in(uniq, value_set=known, skip_nulls=False)
        new = pc.is_null(pos)
        have = self._results[key]
        at = pos.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        if pc.any(new).as_py():  # the values met for the first time: ruled, then remembered
            fresh = uniq.filter(new)
            got = rule(pd.Series(pd.arrays.ArrowStringArray(fresh)))
            have = self._results[key] = {n: pd.concat([have[n], got[n].reset_index(drop=True)],
                                                      ignore_index=True) for n in have}
            at[new.to_numpy(zero_copy_only=False)] = len(known) + np.arange(len(fresh))
            self._values[key] = pa.concat_arrays([known, fresh])
        return {n: v.take(at).reset_index(drop=True) for n, v in have.items()}


def _same(a: pa.Array, b: pa.Array) -> bool:
    """Equal, value for value, nulls included."""
    if len(a) != len(b) or a.null_count != b.null_count:
        return False
    eq = pc.fill_null(pc.equal(a, b), False)
    both = pc.and_(pc.is_null(a), pc.is_null(b))
    return bool(pc.all(pc.or_(eq, both)).as_py())


def to_arrow_of(s: pd.Series) -> pa.Array:
    arr = s.array._pa_array
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    return arr.cast(_STR) if arr.type != _STR else arr


#: columns of the canonical frame no check reads (households, addresses, English names; a test
#: holds this): ``one_piece`` leaves them in their pieces (≈ 0.2 s at 1 M students)
LEFT_IN_PIECES = frozenset({
    "school_name", "student_no", "layout", "house_no", "moo", "street", "subdistrict", "district",
    "province", "guardian_first_name", "guardian_last_name", "guardian_relation", "father_first_name",
    "father_last_name", "mother_first_name", "mother_last_name", "first_name_en", "last_name_en",
})


def one_piece(frame: pd.DataFrame, skip=LEFT_IN_PIECES) -> pd.DataFrame:
    """Each text column of ``frame`` as one Arrow array instead of one piece per chunk read
    (and per block of the reader). Taking rows from a column in pieces concatenates the whole
    column first (pyarrow), and the checks take rows from columns dozens of times: at 1 M
    students ≈ 3 ms a take against 0.04 ms. Columns are joined one at a time and their pieces
    dropped as they go, so memory grows by one column at most. Columns whose pieces are all
    one shared block (``source_series``, ``share_empty``) stay as they are, as do ``skip``."""
    for c in frame.columns:
        if c in skip:
            continue
        arr = getattr(frame[c].array, "_pa_array", None)
        if not isinstance(arr, pa.ChunkedArray) or arr.num_chunks < 2 or arr.null_count == len(arr):
            continue
        data = {ch.buffers()[2].address if ch.buffers()[2] is not None else None for ch in arr.chunks}
        if len(data) == 1:
            continue  # one block repeated: a constant column
        joined = pa.chunked_array([arr.combine_chunks()])
        del arr
        frame[c] = pd.Series(pd.arrays.ArrowStringArray(joined), index=frame.index, dtype=frame[c].dtype)
        pa.default_memory_pool().release_unused()  # the pieces' pages, before the next column
    return frame
