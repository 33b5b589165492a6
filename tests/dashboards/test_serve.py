"""serve(): the Voila command, config shipped in the package, tokens, notebooks on disk."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from obec_audit import dashboard_data as dd
from obec_audit import dashboards as D

REPO = Path(__file__).resolve().parents[2]


def _conf(cmd):
    return json.loads((cmd.config_dir / "voila.json").read_text(encoding="utf-8"))


def test_shipped_config_is_safe():
    conf = json.loads((D.config_dir() / "voila.json").read_text(encoding="utf-8"))
    vc = conf["VoilaConfiguration"]
    assert vc["show_tracebacks"] is False and vc["strip_sources"] is True
    assert vc["file_allowlist"] == []
    assert conf["Voila"]["ip"] == "127.0.0.1"


def test_loopback_without_token(rounds_root, tmp_path):
    cmd = D.voila_command(rounds_root, port=8899, notebooks=tmp_path)
    try:
        conf = _conf(cmd)
        assert conf["Voila"]["ip"] == "127.0.0.1" and conf["Voila"]["token"] == ""
        assert conf["VoilaConfiguration"]["show_tracebacks"] is False
        assert cmd.argv[3] == str(tmp_path)  # root_dir: only the dashboards folder
        assert any(a.startswith("--Voila.config_file_paths=") for a in cmd.argv)
        assert cmd.env[dd.ROUNDS_ENV] == str(rounds_root.resolve())
        assert "token" not in cmd.url
        assert oct(cmd.config_dir.stat().st_mode & 0o777) == "0o700"
    finally:
        cmd.cleanup()
    assert not cmd.config_dir.exists()


def test_other_machines_need_a_token(rounds_root, tmp_path):
    cmd = D.voila_command(rounds_root, port=8899, ip="0.0.0.0", notebooks=tmp_path)
    try:
        assert len(cmd.token) >= 24 and f"?token={cmd.token}" in cmd.url
        assert _conf(cmd)["Voila"]["token"] == cmd.token
        assert not any(cmd.token in a for a in cmd.argv)  # not visible in the process list
    finally:
        cmd.cleanup()
    cmd = D.voila_command(rounds_root, port=8899, ip="0.0.0.0", token="abc", notebooks=tmp_path)
    cmd.cleanup()
    assert cmd.token == "abc"


def test_missing_round_dir_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        D.voila_command(tmp_path / "nothing", notebooks=tmp_path)
    assert D.serve(tmp_path / "nothing", open_browser=False) == 2


def test_committed_notebooks_match_spec_and_have_no_outputs():
    nb_dir = REPO / "dashboards"
    for name, (title, func) in D.NOTEBOOKS.items():
        nb = json.loads((nb_dir / name).read_text(encoding="utf-8"))
        assert nb == D.notebook_json(title, func), name
        for cell in nb["cells"]:
            assert cell.get("outputs", []) == [] and cell.get("execution_count") is None


def test_write_notebooks(tmp_path):
    paths = D.write_notebooks(tmp_path)
    assert sorted(p.name for p in paths) == sorted(D.NOTEBOOKS)


def test_preheated_serving_and_offline_template(rounds_root, tmp_path):
    conf = json.loads((D.config_dir() / "voila.json").read_text(encoding="utf-8"))
    vc = conf["VoilaConfiguration"]
    assert vc["preheat_kernel"] is True and vc["default_pool_size"] == 2
    assert vc["template"] == "obec" and "jupyterlab-plotly" in vc["extension_denylist"]
    tpl = D.template_root() / "voila" / "templates" / "obec"
    assert json.loads((tpl / "conf.json").read_text(encoding="utf-8"))["base_template"] == "lab"
    assert "cdn." not in (tpl / "index.html.j2").read_text(encoding="utf-8").split("-#}")[-1]
    cmd = D.voila_command(rounds_root, port=8899, notebooks=tmp_path)
    try:
        assert cmd.preheat and cmd.ready_dir.is_dir()
        assert cmd.env["JUPYTER_PATH"].split(os.pathsep)[0] == str(D.template_root())
        assert cmd.env[D.READY_ENV] == str(cmd.ready_dir)
        assert "VOILA_APP_IP" not in cmd.env  # loopback: Voila's default 127.0.0.1
    finally:
        cmd.cleanup()
    cmd = D.voila_command(rounds_root, port=8899, preheat=False, notebooks=tmp_path)
    try:
        assert not cmd.preheat and _conf(cmd)["VoilaConfiguration"]["preheat_kernel"] is False
        assert D.wait_preheated(cmd, timeout=0.1) is True  # nothing to wait for
    finally:
        cmd.cleanup()


def test_wait_preheated(rounds_root, tmp_path):
    D.write_notebooks(tmp_path)
    cmd = D.voila_command(rounds_root, port=8899, notebooks=tmp_path, pool_size=2)
    try:
        assert D.wait_preheated(cmd, timeout=0.3) is False
        for name in D.NOTEBOOKS:
            (cmd.ready_dir / f"{Path(name).stem}.k1.ready").touch()
        assert D.wait_preheated(cmd, timeout=5) is True
        # the whole pool: two kernels per dashboard; one dashboard still has one
        assert D.wait_preheated(cmd, timeout=0.3, per_dashboard=2) is False
        for name in D.NOTEBOOKS:
            (cmd.ready_dir / f"{Path(name).stem}.k2.ready").touch()
        assert D.built_pages(cmd) == {Path(n).stem: 2 for n in D.NOTEBOOKS}
        assert D.wait_preheated(cmd, timeout=5, per_dashboard=2) is True
    finally:
        cmd.cleanup()


@pytest.mark.parametrize("size", [0, 1, 10, D.MAX_POOL_SIZE])
def test_pool_size_reaches_voila(rounds_root, tmp_path, size):
    """``--pool-size N``: Voila's config gets N preheated kernels per dashboard (0: none)."""
    cmd = D.voila_command(rounds_root, port=8899, notebooks=tmp_path, pool_size=size)
    try:
        vc = _conf(cmd)["VoilaConfiguration"]
        assert vc["default_pool_size"] == size and cmd.pool_size == size
        assert cmd.preheat is (size > 0)
    finally:
        cmd.cleanup()
    default = D.voila_command(rounds_root, port=8899, notebooks=tmp_path)
    default.cleanup()
    assert default.pool_size == 2


@pytest.mark.parametrize("size", [-1, D.MAX_POOL_SIZE + 1, 2.5, "3", True])
def test_bad_pool_size_is_refused(rounds_root, tmp_path, size):
    with pytest.raises(ValueError):
        D.voila_command(rounds_root, port=8899, notebooks=tmp_path, pool_size=size)


def test_cli_pool_size(monkeypatch, rounds_root):
    """``obec-audit dashboards --pool-size`` reaches ``serve``; outside 0–20 exit 2 with a code."""
    from obec_audit import cli

    seen = {}
    monkeypatch.setattr(D, "serve", lambda **kw: seen.update(kw) or 0)
    assert cli.main(["dashboards", "--rounds", str(rounds_root), "--no-browser",
                     "--pool-size", "10"]) == 0
    assert seen["pool_size"] == 10
    assert cli.main(["dashboards", "--rounds", str(rounds_root), "--no-browser"]) == 0
    assert seen["pool_size"] is None  # voila.json's default
    assert cli.main(["dashboards", "--rounds", str(rounds_root), "--pool-size", "21"]) == 2
    assert cli.main(["dashboards", "--rounds", str(rounds_root), "--no-browser",
                     "--pool-size", "completeness=10"]) == 0
    assert seen["pool_size"] == {"completeness": 10}
    for bad in ("ten", "nothing=3", "completeness=x", "completeness=21"):
        assert cli.main(["dashboards", "--rounds", str(rounds_root), "--pool-size", bad]) == 2


def test_pool_size_per_dashboard(rounds_root, tmp_path):
    """A meeting's dashboard gets its own pool; the others keep the default; waiting for the
    whole pool counts each dashboard against its own size."""
    D.write_notebooks(tmp_path)
    cmd = D.voila_command(rounds_root, port=8899, notebooks=tmp_path,
                          pool_size=D.parse_pool_size("completeness=3, overview=0"))
    try:
        conf = _conf(cmd)
        pools = conf["VoilaKernelManager"]["kernel_pools_config"]
        assert pools["completeness.ipynb"] == {"pool_size": 3}
        assert pools["overview.ipynb"] == {"pool_size": 0}
        assert pools["default"] == {"pool_size": 2}
        assert cmd.pools == {"completeness": 3, "certification": 2, "overview": 0}
        for name, n in (("completeness", 1), ("certification", 1)):
            for i in range(n):
                (cmd.ready_dir / f"{name}.k{i}.ready").touch()
        assert D.wait_preheated(cmd, timeout=2) is True  # a page each; overview has none
        assert D.wait_preheated(cmd, timeout=0.3, per_dashboard=None) is False
        for name, n in (("completeness", 3), ("certification", 2)):
            for i in range(n):
                (cmd.ready_dir / f"{name}.k{i}.ready").touch()
        assert D.wait_preheated(cmd, timeout=2, per_dashboard=None) is True
    finally:
        cmd.cleanup()
    with pytest.raises(ValueError):
        D.voila_command(rounds_root, port=8899, notebooks=tmp_path, pool_size={"nothing": 2})


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="process trees are read from /proc")
@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_stopping_dashboards_stops_voila_and_its_kernels(tmp_path, sig):
    """`obec-audit dashboards` with a fake Voila (a real process tree): any usual stop signal
    leaves no server and no kernel behind (SIGINT used to do nothing)."""
    import signal
    import socket
    import subprocess
    import sys
    import time

    sys.path.insert(0, str(REPO / "tests"))
    import fake_servers

    from obec_audit import children

    rounds = tmp_path / "rounds" / "round1-2026-06-10"
    rounds.mkdir(parents=True)
    (rounds / "findings.csv").write_text("check\n", encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, OBEC_TEST_PIDS=str(tmp_path / "pids"),
               PYTHONPATH=os.pathsep.join([str(fake_servers.install(tmp_path / "fake")), str(REPO)]))
    proc = subprocess.Popen(
        [sys.executable, "-m", "obec_audit", "dashboards", "--rounds", str(rounds.parent),
         "--no-browser", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    t0 = time.monotonic()
    pids_file = tmp_path / "pids"
    while not (pids_file.exists() and len(pids_file.read_text().split()) == 3):
        assert time.monotonic() - t0 < 60 and proc.poll() is None, proc.stderr.read()
        time.sleep(0.1)
    pids = [int(x) for x in pids_file.read_text().split()]
    ready = proc.stdout.readline().decode("utf-8")  # "ข้อมูลจาก / rounds: …"
    assert "rounds" in ready
    proc.send_signal(getattr(signal, sig))
    assert proc.wait(timeout=60) == 128 + getattr(signal, sig)
    t0 = time.monotonic()
    while any(children.alive(p) for p in pids) and time.monotonic() - t0 < 30:
        time.sleep(0.1)
    assert not any(children.alive(p) for p in pids)
