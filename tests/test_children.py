"""Stopping a server stops everything it started (process group + the kernels' sessions)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from obec_audit import children

pytestmark = pytest.mark.skipif(sys.platform == "win32" or not Path("/proc").is_dir(),
                                reason="process trees are read from /proc (Linux)")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import fake_servers  # noqa: E402


def wait_pids(path: Path, timeout: float = 60) -> list[int]:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if path.exists() and len(path.read_text(encoding="utf-8").split()) == 3:
            return [int(x) for x in path.read_text(encoding="utf-8").split()]
        time.sleep(0.1)
    raise AssertionError("the fake server did not start")


def all_gone(pids, timeout: float = 30) -> bool:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if not any(children.alive(p) for p in pids):
            return True
        time.sleep(0.1)
    return False


def launch(argv, tmp_path, **kw):
    env = dict(os.environ, OBEC_TEST_PIDS=str(tmp_path / "pids"),
               PYTHONPATH=os.pathsep.join([str(fake_servers.install(tmp_path / "fake")), str(REPO)]))
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, **kw)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_run_stops_the_whole_tree(tmp_path, sig):
    code = ("import sys; from obec_audit import children; "
            "sys.exit(children.run([sys.executable, '-m', 'jupyterlab'], grace=3))")
    parent = launch([sys.executable, "-c", code], tmp_path)
    pids = wait_pids(tmp_path / "pids")
    assert all(children.alive(p) for p in pids)
    parent.send_signal(sig)
    assert parent.wait(timeout=60) == 128 + sig
    assert all_gone(pids), [p for p in pids if children.alive(p)]


def test_descendants_cross_sessions(tmp_path):
    env = dict(os.environ, OBEC_TEST_PIDS=str(tmp_path / "pids"))
    fake_servers.install(tmp_path / "fake")
    proc = children.start([sys.executable, str(tmp_path / "fake" / "voila" / "__main__.py")], env=env)
    try:
        server, kernel, helper = wait_pids(tmp_path / "pids")
        assert server == proc.pid and {kernel, helper} <= set(children.descendants(proc.pid))
    finally:
        children.stop(proc, timeout=3)
    assert all_gone([server, kernel, helper])


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_lab_command_stops_jupyterlab_and_kernels(tmp_path, sig):
    parent = launch([sys.executable, "-m", "obec_audit", "lab", "--no-browser"], tmp_path, cwd=REPO)
    pids = wait_pids(tmp_path / "pids")
    parent.send_signal(sig)
    assert parent.wait(timeout=60) == 128 + sig
    assert all_gone(pids)


def test_stop_a_server_started_without_its_own_group(tmp_path):
    """``dashboards.stop`` is also given plain ``Popen`` processes (the browser test)."""
    env = dict(os.environ, OBEC_TEST_PIDS=str(tmp_path / "pids"))
    fake_servers.install(tmp_path / "fake")
    proc = subprocess.Popen([sys.executable, str(tmp_path / "fake" / "voila" / "__main__.py")],
                            env=env)
    pids = wait_pids(tmp_path / "pids")
    children.stop(proc, timeout=3)
    assert all_gone(pids)
    assert os.getpgid(0) == os.getpgrp()  # the test's own group was left alone
