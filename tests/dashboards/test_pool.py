"""The kernel pool's refill policy (``PacedKernelManager``), without starting any kernel."""

from __future__ import annotations

import asyncio
import time

import pytest

from obec_audit.dashboards import pool as P

PREHEAT = {"env": {"VOILA_PREHEAT": "True"}}


@pytest.fixture
def manager(monkeypatch, tmp_path):
    """A PacedKernelManager whose base ``start_kernel`` only records when it was called;
    each started kernel reports its page built ``build`` s later (its ready file)."""
    monkeypatch.setenv(P.READY_ENV, str(tmp_path))
    starts: list[tuple[str, float]] = []

    async def fake_start(self, *args, **kwargs):
        kid = f"k{len(starts)}"
        starts.append((kid, time.monotonic()))
        asyncio.get_running_loop().call_later(
            self.build, lambda: (tmp_path / f"completeness.{kid}.ready").touch())
        return kid

    monkeypatch.setattr(P.AsyncMappingKernelManager, "start_kernel", fake_start)
    m = P.PacedKernelManager(refill_quiet=0.6, refill_max_wait=5.0, build_timeout=3.0)
    m.fill_delay = 0.0
    m.build = 0.4
    m.starts = starts
    return m


def _pool(loop, started: int, pending: int = 0) -> list:
    done = []
    for _ in range(started):
        f = loop.create_future()
        f.set_result({})
        done.append(f)
    return done + [loop.create_future() for _ in range(pending)]


def _refill(manager, pool: list):
    """A refill as Voila runs it: a task kept in the dashboard's pool until a page takes it."""
    task = asyncio.get_running_loop().create_task(manager.start_kernel(**PREHEAT))
    pool.append(task)
    return task


def test_refills_wait_for_quiet_and_build_one_at_a_time(manager):
    async def scenario():
        loop = asyncio.get_running_loop()
        pool = _pool(loop, 2)
        manager._pools = {"completeness.ipynb": pool}
        t0 = time.monotonic()
        # the first fill (two kernels) is Voila's: at once
        await asyncio.gather(*[manager.start_kernel(**PREHEAT) for _ in range(2)])
        assert all(t - t0 < 0.3 for _, t in manager.starts)
        # two pages took a kernel just now; their refills wait in the pool
        del pool[:2]
        t1 = time.monotonic()
        await asyncio.gather(_refill(manager, pool), _refill(manager, pool))
        return t1

    t1 = asyncio.run(scenario())
    (_, r1), (_, r2) = manager.starts[2:]
    assert r1 - t1 >= 0.55  # waited for refill_quiet
    assert r2 - r1 >= 0.35  # the second refill started once the first had built its page
    assert manager.refills == 2


def test_a_refill_a_page_waits_for_starts_at_once(manager):
    async def scenario():
        loop = asyncio.get_running_loop()
        pool = _pool(loop, 1)
        manager._pools = {"completeness.ipynb": pool}
        await manager.start_kernel(**PREHEAT)  # the first fill
        pool.clear()  # a page took it
        t1 = time.monotonic()
        first = _refill(manager, pool)
        second = _refill(manager, pool)
        await asyncio.sleep(0.1)
        assert len(manager.starts) == 1  # both wait for quiet: nobody needs them yet
        pool.remove(second)  # another page came: Voila hands it the second (pending) refill
        await asyncio.gather(first, second)
        return t1

    t1 = asyncio.run(scenario())
    # the first refill held the turn; a page waiting behind it made both go at once
    assert manager.starts[1][1] - t1 < 0.3
    assert manager.starts[2][1] - manager.starts[1][1] < 0.6  # one build (0.4 s) apart


def test_page_kernels_are_not_paced(manager):
    async def scenario():
        loop = asyncio.get_running_loop()
        manager._pools = {"completeness.ipynb": _pool(loop, 1)}
        await manager.start_kernel(**PREHEAT)
        t1 = time.monotonic()
        await manager.start_kernel(env={})  # a page's own kernel (the pool was empty)
        return t1

    t1 = asyncio.run(scenario())
    assert manager.starts[1][1] - t1 < 0.1 and manager.refills == 0


def test_shipped_config_uses_the_paced_pool():
    import json

    from obec_audit import dashboards as D

    conf = json.loads((D.config_dir() / "voila.json").read_text(encoding="utf-8"))
    cls = conf["VoilaConfiguration"]["multi_kernel_manager_class"]
    mod, _, name = cls.rpartition(".")
    assert getattr(__import__(mod, fromlist=[name]), name) is P.PacedKernelManager
    assert conf["VoilaKernelManager"]["fill_delay"] < conf["PacedKernelManager"]["refill_quiet"]
    assert P.READY_ENV == D.READY_ENV  # where kernels report "built" (a copy: the server stays light)
