"""The kernel pool's fill policy (Voila's ``multi_kernel_manager_class``, ``voila.json``).

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

The first fill at server start is paced too (Voila would start every kernel of every pool at
once: 14 on 2 cores, and under load one never built its page): at most ``first_fill_parallel``
kernels build at once (0: the machine's cores); the next starts when one has built its page
(the same ready file, or ``build_timeout``). They go by rank in their pool (every dashboard's
first kernel, then every second, …: each dashboard is ready early); a first-fill kernel a page
has already taken starts at once, without a slot; once the server stops (Voila's
``shutdown_all`` empties the pools) the waiting ones start none. Refills and first fill have
separate turns.
Only preheated kernels are paced; a kernel started for a page directly is not.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float, Integer

READY_ENV = "OBEC_AUDIT_PREHEAT_DIR"  # = server.READY_ENV (not imported: the server stays light)
#: s after the first fill's first start during which a task still reading its notebook (Voila's
#: renderer) keeps its turn; later only the tasks already waiting count
ARRIVAL_GRACE = 2.0


class PacedKernelManager(AsyncMappingKernelManager):
    """Voila's kernel manager with a paced first fill and paced refills (module docstring)."""

    refill_quiet = Float(8.0, config=True,
                         help="seconds without a page taking a kernel before a refill starts")
    refill_max_wait = Float(30.0, config=True, help="a refill waits at most this long")
    build_timeout = Float(30.0, config=True,
                          help="seconds a pool kernel may build its page before the next starts")
    first_fill_parallel = Integer(
        0, config=True, help="first fill: kernels building at once (0: the machine's cores)")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._gate: asyncio.Lock | None = None
        self._first: dict | None = None  # first-fill task → its turn (rank in its pool, order)
        self._fill_waiting: dict = {}  # first-fill tasks waiting for a slot → their turn
        self._building = 0  # first-fill kernels started and not yet built
        self._planned_at = 0.0
        self._watchers: set = set()  # tasks waiting for a kernel's page to be built
        self._waiting: set = set()  # refill tasks waiting for their turn
        self._last_take = float("-inf")
        self.refills = 0  # paced refills started (tests, logs)
        self.first_fill_urgent = 0  # first-fill kernels started at once for a waiting page

    # ------------------------------------------------------------------ policy
    def _pooled(self) -> set[int]:
        return {id(t) for pool in getattr(self, "_pools", {}).values() for t in pool}

    def _urgent(self) -> bool:
        """A page waits for a refill: one of the waiting refills was taken out of its pool."""
        pooled = self._pooled()
        return any(id(t) not in pooled for t in self._waiting)

    def _first_fill_slots(self) -> int:
        return self.first_fill_parallel if self.first_fill_parallel > 0 else (os.cpu_count() or 1)

    def _plan_first_fill(self, me) -> dict:
        """At the first preheated start every first-fill task exists (Voila creates them in
        its ``__init__``): those not done yet, in turn by rank in their pool."""
        plan: dict = {}
        for pool in getattr(self, "_pools", {}).values():
            for rank, task in enumerate(pool):
                if not task.done():
                    plan[task] = (rank, len(plan))
        plan.setdefault(me, (0, -1))  # not pooled: a page has already taken it
        self._planned_at = time.monotonic()
        self.log.info("first fill: %d kernel(s), %d building at a time",
                      len(plan), self._first_fill_slots())
        return plan

    def _first_turn(self):
        """The turn that goes next: of the tasks waiting and, within ``ARRIVAL_GRACE``, of
        those not arrived yet."""
        turns = list(self._fill_waiting.values())
        if time.monotonic() - self._planned_at < ARRIVAL_GRACE:
            turns += [turn for task, turn in self._first.items() if not task.done()]
        return min(turns)

    async def _first_fill_turn(self, me) -> None:
        """Wait for a free slot and this task's turn, or for a page to take it."""
        self._fill_waiting[me] = turn = self._first.pop(me)
        for task in [t for t in self._first if t.done()]:  # ended before starting a kernel
            del self._first[task]
        try:
            while True:
                if not getattr(self, "_pools", None):  # Voila's shutdown_all emptied them
                    raise RuntimeError("the server is stopping: first-fill kernel not started")
                if id(me) not in self._pooled():  # a page waits for this kernel
                    self.first_fill_urgent += 1
                    break
                if self._building < self._first_fill_slots() and turn == self._first_turn():
                    break
                await asyncio.sleep(0.05)
        finally:
            del self._fill_waiting[me]
        self._building += 1

    def _first_fill_built(self) -> None:
        self._building -= 1

    def _watch(self, kernel_id: str, release) -> None:
        task = asyncio.get_running_loop().create_task(self._release_when_built(kernel_id, release))
        self._watchers.add(task)
        task.add_done_callback(self._watchers.discard)

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

    async def _release_when_built(self, kernel_id: str, release=None) -> None:
        """``release()`` (default: the refills' gate) once the kernel has built its page."""
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
            (release or self._gate.release)()

    async def start_kernel(self, *args, **kwargs):
        env = kwargs.get("env") or {}
        if env.get("VOILA_PREHEAT") != "True":
            return await super().start_kernel(*args, **kwargs)
        me = asyncio.current_task()
        if self._first is None:
            self._first = self._plan_first_fill(me)
        if me in self._first:
            await self._first_fill_turn(me)
            try:
                kernel_id = await super().start_kernel(*args, **kwargs)
            except BaseException:
                self._first_fill_built()
                raise
            self._watch(kernel_id, self._first_fill_built)
            return kernel_id
        await self._refill_turn()
        try:
            kernel_id = await super().start_kernel(*args, **kwargs)
        except BaseException:
            self._gate.release()
            raise
        self.refills += 1
        self._watch(kernel_id, self._gate.release)
        return kernel_id
