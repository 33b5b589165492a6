"""The kernel pool's first fill and refill policy (``PacedKernelManager``), without starting
any kernel."""

from __future__ import annotations

import asyncio
import time
import types

import pytest

from obec_audit.dashboards import pool as P

PREHEAT = {"env": {"VOILA_PREHEAT": "True"}}


@pytest.fixture
def manager(monkeypatch, tmp_path):
    """A PacedKernelManager whose base ``start_kernel`` only records when it was called;
    each started kernel reports its page built ``build`` s later (its ready file), except
    those in ``never``; ``built`` says when each did."""
    monkeypatch.setenv(P.READY_ENV, str(tmp_path))
    starts: list[tuple[str, float]] = []

    async def fake_start(self, *args, **kwargs):
        kid = f"k{len(starts)}"
        starts.append((kid, time.monotonic()))

        def built():
            self.built[kid] = time.monotonic()
            (tmp_path / f"completeness.{kid}.ready").touch()

        if kid not in self.never:
            asyncio.get_running_loop().call_later(self.build, built)
        return kid

    monkeypatch.setattr(P.AsyncMappingKernelManager, "start_kernel", fake_start)
    m = P.PacedKernelManager(refill_quiet=0.6, refill_max_wait=5.0, build_timeout=3.0)
    m.fill_delay = 0.0
    m.build = 0.4
    m.starts = starts
    m.built = {}
    m.never = set()
    return m


def _pool(loop, started: int, pending: int = 0) -> list:
    done = []
    for _ in range(started):
        f = loop.create_future()
        f.set_result({})
        done.append(f)
    return done + [loop.create_future() for _ in range(pending)]


def _refill(manager, pool: list):
    """A preheated kernel as Voila starts it (first fill or refill): a task kept in the
    dashboard's pool until a page takes it."""
    task = asyncio.get_running_loop().create_task(manager.start_kernel(**PREHEAT))
    pool.append(task)
    return task


def test_refills_wait_for_quiet_and_build_one_at_a_time(manager):
    async def scenario():
        pool = []
        manager._pools = {"completeness.ipynb": pool}
        manager.first_fill_parallel = 2
        t0 = time.monotonic()
        # the first fill (two kernels, two slots): at once
        await asyncio.gather(_refill(manager, pool), _refill(manager, pool))
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


def _first_fill(manager, pools: dict, parallel: int, build: float) -> None:
    """Voila's pools (dashboard → its first-fill tasks), with ``parallel`` slots and kernels
    that build their page in ``build`` s."""
    manager._pools = pools
    manager.first_fill_parallel = parallel
    manager.build = build


def _building_at_each_start(manager) -> list[int]:
    """Kernels started and not yet built when each kernel started (itself included)."""
    never = float("inf")
    return [sum(1 for kid, t in manager.starts
                if t <= t_start < manager.built.get(kid, never)) for _, t_start in manager.starts]


def test_first_fill_builds_at_most_n_at_once_in_order(manager):
    async def scenario():
        pool = []
        _first_fill(manager, {"completeness.ipynb": pool}, parallel=2, build=0.3)
        return await asyncio.gather(*[_refill(manager, pool) for _ in range(6)])

    kids = asyncio.run(scenario())
    assert kids == [f"k{i}" for i in range(6)]  # all six started, in pool order
    assert max(_building_at_each_start(manager)) == 2
    assert manager.refills == 0 and manager.first_fill_urgent == 0


def test_first_fill_gives_every_dashboard_its_first_kernel_first(manager):
    async def scenario():
        a, b = [], []
        _first_fill(manager, {"completeness.ipynb": a, "overview.ipynb": b}, parallel=1, build=0.15)
        ta = [_refill(manager, a) for _ in range(3)]
        tb = [_refill(manager, b)]
        return await asyncio.gather(*ta), await asyncio.gather(*tb)

    ka, kb = asyncio.run(scenario())
    assert (ka, kb) == (["k0", "k2", "k3"], ["k1"])
    assert max(_building_at_each_start(manager)) == 1


def test_a_first_kernel_still_reading_its_notebook_keeps_its_turn(manager):
    async def late(delay):
        await asyncio.sleep(delay)  # Voila's renderer reads the notebook first
        return await manager.start_kernel(**PREHEAT)

    async def scenario():
        loop = asyncio.get_running_loop()
        a, b = [], []
        _first_fill(manager, {"completeness.ipynb": a, "overview.ipynb": b}, parallel=1, build=0.1)
        a += [loop.create_task(late(0)) for _ in range(3)]
        b.append(loop.create_task(late(0.4)))
        return await asyncio.gather(*a), await asyncio.gather(*b)

    assert asyncio.run(scenario()) == (["k0", "k2", "k3"], ["k1"])


def test_a_first_fill_kernel_a_page_took_starts_at_once(manager):
    async def scenario():
        pool = []
        _first_fill(manager, {"completeness.ipynb": pool}, parallel=1, build=0.6)
        tasks = [_refill(manager, pool) for _ in range(4)]
        await asyncio.sleep(0.15)
        assert len(manager.starts) == 1  # one slot: the others wait
        t_take = time.monotonic()
        pool.remove(tasks[3])  # a page took the last (not started) kernel: it waits for it
        taken = await tasks[3]
        t_taken = manager.starts[-1][1]
        await asyncio.gather(*tasks)
        return taken, t_taken - t_take

    taken, waited = asyncio.run(scenario())
    assert taken == "k1" and waited < 0.2  # before k0 was built, without a slot
    assert manager.first_fill_urgent == 1
    assert manager.built["k0"] > manager.starts[1][1]  # k0 was still building
    # the others still took turns: k2 after k0 and k1 were built (the taken one holds a slot)
    assert manager.starts[2][1] >= max(manager.built["k0"], manager.built["k1"])


def test_a_kernel_that_never_reports_does_not_block_the_first_fill(manager, monkeypatch):
    monkeypatch.setattr(P.os, "cpu_count", lambda: 1)  # first_fill_parallel 0: the cores

    async def scenario():
        pool = []
        manager._pools = {"completeness.ipynb": pool}
        manager.build_timeout = 0.5
        manager.build = 0.2
        manager.never = {"k0"}
        return await asyncio.gather(*[_refill(manager, pool) for _ in range(3)])

    assert asyncio.run(scenario()) == ["k0", "k1", "k2"]
    (_, s0), (_, s1), (_, s2) = manager.starts
    assert 0.45 <= s1 - s0 < 1.0  # k0 never reported: the next went after build_timeout
    assert s2 >= manager.built["k1"]  # then paced by the reports again


def test_a_server_stopping_during_the_first_fill_starts_no_more_kernels(manager):
    async def scenario():
        pool = []
        manager._pools = {"completeness.ipynb": pool}
        manager.first_fill_parallel = 1
        tasks = [_refill(manager, pool) for _ in range(3)]
        await asyncio.sleep(0.15)
        manager._pools = {}  # Voila's shutdown_all takes the pools, then awaits their tasks
        return await asyncio.gather(*tasks, return_exceptions=True)

    first, *rest = asyncio.run(scenario())
    assert first == "k0" and all(isinstance(r, RuntimeError) for r in rest)
    assert len(manager.starts) == 1


def test_refills_are_still_paced_after_a_paced_first_fill(manager):
    async def scenario():
        pool = []
        _first_fill(manager, {"completeness.ipynb": pool}, parallel=1, build=0.2)
        await asyncio.gather(*[_refill(manager, pool) for _ in range(3)])
        del pool[:2]  # two pages took a kernel
        t1 = time.monotonic()
        await asyncio.gather(_refill(manager, pool), _refill(manager, pool))
        return t1

    t1 = asyncio.run(scenario())
    (_, r1), (_, r2) = manager.starts[3:]
    assert r1 - t1 >= 0.55  # waited for refill_quiet, not a first-fill slot
    assert r2 - r1 >= 0.15  # one build at a time
    assert manager.refills == 2 and manager.first_fill_urgent == 0


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


class _Renderer:
    """What Voila's pool needs of a notebook renderer (no notebook is run)."""

    def __init__(self, path):
        kernelspec = types.SimpleNamespace(name="python3")
        self.notebook = types.SimpleNamespace(metadata=types.SimpleNamespace(kernelspec=kernelspec))
        self.notebook_path, self.template_name, self.theme = path, "", ""
        self.rendered_cache, self.stop_generator = [], False

    async def initialize(self):
        await asyncio.sleep(0.01)

    async def generate_content_hybrid(self, kernel_id, kernel_future):
        return None


def test_voilas_own_pool_is_paced(manager, monkeypatch, tmp_path):
    """Voila's pool code (its factory, as ``voila.json`` configures it) around the manager:
    its first-fill tasks are recognised and paced, a page's refill is a refill."""
    from traitlets.config import Configurable
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    nbs = tmp_path / "nbs"
    nbs.mkdir()
    for name in ("a", "b"):
        (nbs / f"{name}.ipynb").write_text("{}", encoding="utf-8")

    class Parent(Configurable):
        root_dir, notebook_path, base_url, server_url, port = str(nbs), None, "/", "/", 1

    Voila = voila_kernel_manager_factory(P.PacedKernelManager, True, 3)
    monkeypatch.setattr(Voila, "_notebook_renderer_factory", lambda self, p=None: _Renderer(p))
    monkeypatch.setattr(Voila, "get_kernel", lambda self, kernel_id: None, raising=False)

    async def scenario():
        m = Voila(parent=Parent(), first_fill_parallel=1, fill_delay=0.0, refill_quiet=0.3)
        m.build, m.never, m.built = 0.15, set(), {}
        kids = {name: [(await t)["kernel_id"] for t in list(pool)]
                for name, pool in m._pools.items()}
        await m.get_rendered_notebook("a.ipynb")  # a page takes a kernel: Voila refills
        await asyncio.gather(*m._pools["a.ipynb"])
        return m, kids

    m, kids = asyncio.run(scenario())
    assert kids == {"a.ipynb": ["k0", "k2", "k4"], "b.ipynb": ["k1", "k3", "k5"]}
    m.starts = manager.starts
    assert max(_building_at_each_start(m)[:6]) == 1
    assert len(manager.starts) == 7 and m.refills == 1 and m.first_fill_urgent == 0
