"""Memory handed back to the system between the stages of a large round (``io.extract``,
``checks.registry.iter_checks``), and the pyarrow pool large extracts are read with."""

from __future__ import annotations

import os
import sys

import pyarrow as pa

__all__ = ["release_memory", "use_lean_pool"]

#: how long jemalloc keeps freed pages before handing them back (``use_lean_pool``)
JEMALLOC_DECAY_MS = 100


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
