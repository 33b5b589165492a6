"""One pool of worker processes for a whole round: reading the files (``io.gather``) and
writing the school packs (``reports.pack``) share it, so its processes start once.

``run_round`` runs inside :func:`shared` (the :func:`during` decorator); code inside asks
:func:`pool` for the executor, which is started on first use and shut down when the round
ends. Outside a round, or with one CPU, :func:`pool` is None and callers work alone.
"""

from __future__ import annotations

import functools
import os
import tempfile
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["cpus", "shared", "during", "pool", "init_worker"]


def cpus() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def init_worker() -> None:
    """In a worker: no pool of its own (the parent's, copied by fork, is not one), and
    temporary files (openpyxl's, when it writes) on the RAM disk if roomy."""
    _CURRENT.set(None)
    shm = "/dev/shm"
    try:
        st = os.statvfs(shm)
        if os.access(shm, os.W_OK) and st.f_bavail * st.f_frsize >= 256 * 2**20:
            tempfile.tempdir = shm
    except (AttributeError, OSError):
        pass


class _Lazy:
    """A process pool started on first use."""

    def __init__(self, processes: int):
        self.processes = processes
        self.executor = None
        self.failed = False

    def get(self):
        if self.executor is None and not self.failed:
            try:
                from concurrent.futures import ProcessPoolExecutor

                self.executor = ProcessPoolExecutor(max_workers=self.processes,
                                                    initializer=init_worker)
            except (OSError, NotImplementedError, ImportError):
                self.failed = True
        return self.executor

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


_CURRENT: ContextVar[_Lazy | None] = ContextVar("obec_audit_workers", default=None)


@contextmanager
def shared(processes: int | None = None):
    """Within the block, :func:`pool` gives one process pool of ``processes`` workers (None:
    the CPUs); nested blocks use the outer pool."""
    n = processes if processes is not None else cpus()
    if _CURRENT.get() is not None or n < 2:
        yield
        return
    lazy = _Lazy(n)
    token = _CURRENT.set(lazy)
    try:
        yield
    finally:
        _CURRENT.reset(token)
        lazy.close()


def during(func):
    """Decorator: ``func`` runs inside :func:`shared`."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with shared():
            return func(*args, **kwargs)

    return wrapper


def pool():
    """The round's process pool (started now if not yet), or None outside :func:`shared`."""
    lazy = _CURRENT.get()
    return lazy.get() if lazy is not None else None
