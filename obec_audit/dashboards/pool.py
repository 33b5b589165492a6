"""The kernel pool's refill policy (Voila's ``multi_kernel_manager_class``, ``voila.json``).

Voila refills its pool of preheated kernels ``fill_delay`` s after each page takes one, all
refills at once: after ten supervisors open a dashboard together, ten kernels start and build
their page (≈ 2–3 s of CPU each) while the ten pages are still being drawn, on 2 cores.
``PacedKernelManager`` (Voila subclasses it with its pool) paces refills instead:

- a refill waits until no page has taken a kernel for ``refill_quiet`` s (a meeting's rush is
  over: the pool, sized for the meeting, covers it), at most ``refill_max_wait`` s;
- refills build one at a time (the next starts when the previous kernel has built its page,
  ``<name>.<kernel id>.ready`` in ``$OBEC_AUDIT_PREHEAT_DIR``, or after ``build_timeout`` s),
  so a core stays free for the pages being used;
- but when a page request has taken a refill that has not started yet (the pool had no
  built kernel left), someone is waiting for it: refills start at once (still one build at a
  time). Voila runs each refill as an asyncio task kept in its pool until a page takes it,
  so "taken" is "no longer in the pool".

The first fill at server start is Voila's (every kernel at once): nobody is waiting yet.
Only preheated kernels are paced; a kernel started for a page directly is not.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float

READY_ENV = "OBEC_AUDIT_PREHEAT_DIR"  # = server.READY_ENV (not imported: the server stays light)


class PacedKernelManager(AsyncMappingKernelManager):
    """Voila's kernel manager with paced pool refills (see the module's docstring)."""

    refill_quiet = Float(8.0, config=True,
                         help="seconds without a page taking a kernel before a refill starts")
    refill_max_wait = Float(30.0, config=True, help="a refill waits at most this long")
    build_timeout = Float(30.0, config=True,
                          help="seconds a refill may take to build its page before the next starts")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._gate: asyncio.Lock | None = None
        self._initial_left: int | None = None  # the first fill's kernels, not paced
        self._waiting: set = set()  # refill tasks waiting for their turn
        self._last_take = float("-inf")
        self.refills = 0  # paced refills started (tests, logs)

    # ------------------------------------------------------------------ policy
    def _pools_state(self) -> dict[str, tuple[int, int]]:
        """Per dashboard: (kernels in the pool, of which started) — Voila's ``_pools``."""
        out = {}
        for name, pool in getattr(self, "_pools", {}).items():
            out[name] = (len(pool), sum(1 for t in pool if t.done()))
        return out

    def _urgent(self) -> bool:
        """A page waits for a refill: one of the waiting refills was taken out of its pool."""
        pooled = {id(t) for pool in getattr(self, "_pools", {}).values() for t in pool}
        return any(id(t) not in pooled for t in self._waiting)

    async def _refill_turn(self) -> None:
        """Wait for this refill's turn (quiet or urgent), holding the gate on return."""
        now = time.monotonic()
        # Voila asks for the refill ``fill_delay`` s after the page took its kernel
        self._last_take = max(self._last_take, now - float(getattr(self, "fill_delay", 0.0)))
        if self._gate is None:
            self._gate = asyncio.Lock()
        me = asyncio.current_task()
        self._waiting.add(me)
        try:
            await self._gate.acquire()
        except BaseException:
            self._waiting.discard(me)
            raise
        try:
            while True:
                t = time.monotonic()
                quiet = t - self._last_take
                if quiet >= self.refill_quiet or t - now >= self.refill_max_wait or self._urgent():
                    self._waiting.discard(me)
                    return
                await asyncio.sleep(min(0.25, self.refill_quiet - quiet))
        except BaseException:
            self._waiting.discard(me)
            self._gate.release()
            raise

    async def _release_when_built(self, kernel_id: str) -> None:
        ready = os.environ.get(READY_ENV, "")
        t0 = time.monotonic()
        try:
            while time.monotonic() - t0 < self.build_timeout:
                if ready and any(Path(ready).glob(f"*.{kernel_id}.ready")):
                    return
                if not ready and time.monotonic() - t0 >= 3.0:  # no report: a usual build
                    return
                await asyncio.sleep(0.1)
        finally:
            self._gate.release()

    async def start_kernel(self, *args, **kwargs):
        env = kwargs.get("env") or {}
        if env.get("VOILA_PREHEAT") != "True":
            return await super().start_kernel(*args, **kwargs)
        if self._initial_left is None:  # all the first fill's tasks exist by now
            self._initial_left = sum(n for n, _ in self._pools_state().values())
        if self._initial_left > 0:
            self._initial_left -= 1
            return await super().start_kernel(*args, **kwargs)
        await self._refill_turn()
        try:
            kernel_id = await super().start_kernel(*args, **kwargs)
        except BaseException:
            self._gate.release()
            raise
        self.refills += 1
        asyncio.get_running_loop().create_task(self._release_when_built(kernel_id))
        return kernel_id
