"""Memory handed back to the system between the stages of a large round (``io.extract``,
``checks.registry.iter_checks``), and the pyarrow pool large extracts are read with."""

from __future__ import annotations

import os
import sys

import pyarrow as pa

__all__ = ["LEAN_POOL_MIN_ROWS", "pool_for", "release_memory", "rows_hint", "use_lean_pool"]

#: how long jemalloc keeps freed pages before handing them back (``use_lean_pool``)
JEMALLOC_DECAY_MS = 100
#: extracts of this many rows or more (or of a size not known ahead: compressed CSV) are read
#: with jemalloc (``use_lean_pool``); smaller ones with mimalloc, the wheels' default, which
#: reuses the pages the chunks free. At 1 M students jemalloc faulted in ≈ 4.5x more pages
#: (≈ 2 s more CPU, ≈ 13 % of the round) for ≈ 13 % less peak memory; those 13 % matter for
#: the national list (8 GB target), not below
LEAN_POOL_MIN_ROWS = 3_000_000
#: the pool ``pool_for`` set (None: it set none; a pool chosen by someone else is kept)
_OURS: list = [None]


def release_memory() -> None:
    """Hand memory freed since the last call back to the operating system: pyarrow's pool
    (``release_unused``) and, on Linux with glibc, ``malloc_trim(0)`` (numpy's arrays).
    Both keep freed pages for reuse otherwise: after the read, ≈ 1.5 GB of the national
    list's chunks and text tables would stay in the process while the checks allocate anew.
    A no-op where neither is available."""
    try:
        pa.default_memory_pool().release_unused()
    except Exception:  # noqa: BLE001 - an older pyarrow or another pool: nothing to release
        pass
    _malloc_trim()


def rows_hint(paths) -> int | None:
    """About how many records the extracts ``paths`` hold, before reading them: Parquet's
    own count; a CSV's size over the mean length of its first lines. None when a file's size
    says nothing of it (compressed CSV). Unreadable files count 0 (the reader reports them)."""
    total = 0
    for p in paths:
        name = str(p).lower()
        try:
            if name.endswith((".parquet", ".pq")):
                import pyarrow.parquet as pq

                total += pq.read_metadata(str(p)).num_rows
            elif name.endswith(".gz"):
                return None
            else:
                with open(p, "rb") as fh:
                    head = fh.read(1 << 20)
                total += os.path.getsize(p) * head.count(b"\n") // max(len(head), 1)
        except (OSError, pa.ArrowException):
            continue
    return total


def pool_for(rows: int | None) -> None:
    """The pyarrow pool for reading about ``rows`` records (``rows_hint``): jemalloc from
    ``LEAN_POOL_MIN_ROWS`` or when not known (``use_lean_pool``), else mimalloc. A pool
    chosen by the environment (``ARROW_DEFAULT_MEMORY_POOL``) or by the caller is kept."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    if rows is None or rows >= LEAN_POOL_MIN_ROWS:
        use_lean_pool()
        return
    try:
        current = pa.default_memory_pool()
        if _OURS[0] is not None and current.backend_name == _OURS[0]:  # ours: back to the fast one
            pa.set_memory_pool(pa.mimalloc_memory_pool())
            _OURS[0] = None
    except (NotImplementedError, AttributeError, pa.ArrowException):  # built without mimalloc
        pass


def use_lean_pool() -> None:
    """Make jemalloc pyarrow's memory pool when pyarrow was built with it and nobody chose a
    pool (``ARROW_DEFAULT_MEMORY_POOL``). mimalloc, the wheels' default, keeps pages of the
    chunks freed while reading, mixed with the kept ones: at 1 M students the read's peak is
    ≈ 11 % higher with it and the check stage's ≈ 15 % (BENCHMARKS.md, "Memory"). Buffers
    made before keep their own pool; only new ones go to jemalloc. Called by ``load_extract``."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    try:
        if pa.default_memory_pool().backend_name != "mimalloc":
            return
        # freed pages go back to the system after 0.1 s, not pyarrow's 1 s: the read frees
        # its chunks' text as it joins the columns (``distinct.one_piece``), and at 1 M
        # students 1 s of freed pages is ≈ 0.3 GB more at the peak; 0 costs ≈ 2 s of faults
        pa.jemalloc_set_decay_ms(JEMALLOC_DECAY_MS)
        pa.set_memory_pool(pa.jemalloc_memory_pool())
        _OURS[0] = "jemalloc"
    except (NotImplementedError, AttributeError, pa.ArrowException):  # built without jemalloc
        pass


def _malloc_trim() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # musl and other C libraries: nothing to call
        pass
