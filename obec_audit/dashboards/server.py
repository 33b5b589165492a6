"""The Voila launcher: ``serve`` and the command line, config and private folder it uses.

``serve(round_dir=None, port=8866, ip="127.0.0.1", open_browser=True, token=None)`` starts
Voila on the ``dashboards/`` folder with the configuration shipped in
``obec_audit/voila/voila.json`` (sources stripped, tracebacks hidden, no static files, idle
kernels culled), whatever the current folder. It listens on 127.0.0.1 unless told
otherwise; listening on another address (e.g. ``0.0.0.0`` for the meeting room) requires a
token: one is generated when none is given, and the URL to hand out is printed.

Voila runs in a process group of its own (``obec_audit.children``): Ctrl+C, SIGTERM or
SIGHUP to ``obec-audit dashboards`` stop Voila and every kernel it started.

Speed (BENCHMARKS.md, "Dashboards"): Voila preheats ``pool_size`` kernels per dashboard
(``voila.json``: 2; ``--pool-size``) so a page's HTML is served at once; ``serve`` says
"ready" only when every dashboard's page is built (``wait_preheated``), and states the
pool's memory once all its kernels are built (``tree_memory``).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from obec_audit import children
from obec_audit import dashboard_data as dd
from obec_audit.demo.rounds import dashboards_root  # the launcher is an entry point: it may run the demo

_log = logging.getLogger(__name__)
_log.addHandler(logging.NullHandler())
_log.propagate = False  # nothing from a kernel may reach the page (stderr is shown by Voila)

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # obec_audit/
#: set by ``voila_command``: the folder where a preheated kernel reports its page is built
READY_ENV = "OBEC_AUDIT_PREHEAT_DIR"

#: preheated kernels per dashboard: Voila's pool (``--pool-size``); each kernel ≈ 195 MB
#: resident, ≈ 126 MB of it its own (PSS; BENCHMARKS.md, "A meeting room")
MAX_POOL_SIZE = 20

#: the dashboards: file name → (Thai title, function the notebook calls)
NOTEBOOKS: dict[str, tuple[str, str]] = {
    "completeness.ipynb": ("ความครบถ้วนของข้อมูลรายโรงเรียน", "completeness_dashboard"),
    "certification.ipynb": ("ความก้าวหน้าการรับรองข้อมูล", "certification_dashboard"),
    "overview.ipynb": ("ภาพรวมเขตพื้นที่", "overview_dashboard"),
}


# ================================================================================ serving
def config_dir() -> Path:
    """The Voila configuration shipped inside the package (``voila.json``)."""
    return PACKAGE_DIR / "voila"


def template_root() -> Path:
    """The Jupyter data folder holding the "obec" Voila template (``voila/templates/obec``)."""
    return config_dir() / "share"


def dashboards_dir() -> Path:
    """The repository's ``dashboards/`` folder; for an installed package (no checkout next
    to it) the same notebooks are written once into a per-user folder."""
    repo = PACKAGE_DIR.parent / "dashboards"
    if repo.is_dir() and any(repo.glob("*.ipynb")):
        return repo
    base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / ".cache") / "obec_audit"
    target = base / "dashboards"
    write_notebooks(target)
    return target


def notebook_json(title: str, func: str) -> dict:
    """A dashboard notebook: a Thai title and one code cell calling ``func``; no outputs."""
    code = (
        "# แดชบอร์ดสำหรับผู้บริหาร: แสดงเฉพาะข้อมูลสรุปรายโรงเรียน (ไม่มีชื่อหรือเลขประจำตัวนักเรียน)\n"
        "import pathlib, sys\n"
        "_repo = pathlib.Path.cwd().parent  # Voila and nbval run this in dashboards/\n"
        "if (_repo / 'obec_audit' / '__init__.py').is_file() and str(_repo) not in sys.path:\n"
        "    sys.path.insert(0, str(_repo))\n"
        f"from obec_audit.dashboards import {func}\n"
        f"{func}()"
    )
    return {
        "cells": [
            {"cell_type": "code", "execution_count": None, "id": "dashboard", "metadata": {},
             "outputs": [], "source": code.splitlines(keepends=True)},
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "title": title,
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_notebooks(dest: Path) -> list[Path]:
    """Write the dashboard notebooks into ``dest`` (used for an installed package)."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for name, (title, func) in NOTEBOOKS.items():
        p = dest / name
        text = json.dumps(notebook_json(title, func), ensure_ascii=False, indent=1) + "\n"
        if not p.exists() or p.read_text(encoding="utf-8") != text:
            p.write_text(text, encoding="utf-8")
        out.append(p)
    return out


def check_pool_size(n) -> int:
    """A pool size 0…``MAX_POOL_SIZE`` (0: no preheating); ValueError otherwise."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_POOL_SIZE:
        raise ValueError(f"pool size must be an integer 0…{MAX_POOL_SIZE}, not {n!r}")
    return n


def parse_pool_size(text) -> int | dict[str, int]:
    """``--pool-size``: ``N`` for every dashboard, or ``name=N[,name=N]`` for some (the others
    keep ``voila.json``'s); ValueError when a number or a dashboard's name is wrong."""
    text = str(text).strip()
    if "=" not in text:
        try:
            return check_pool_size(int(text))
        except ValueError:
            raise ValueError(f"pool size must be an integer 0…{MAX_POOL_SIZE}, not {text!r}")
    names = {Path(n).stem for n in NOTEBOOKS}
    out: dict[str, int] = {}
    for part in text.split(","):
        name, _, n = part.partition("=")
        name = Path(name.strip()).stem
        if name not in names:
            raise ValueError(f"no dashboard {name!r} (one of {', '.join(sorted(names))})")
        try:
            out[name] = check_pool_size(int(n))
        except ValueError:
            raise ValueError(f"pool size must be an integer 0…{MAX_POOL_SIZE}, not {n!r}")
    return out


def _is_loopback(ip: str) -> bool:
    if ip in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


def _lan_address() -> str:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))  # no packet is sent for UDP connect
            return s.getsockname()[0]
    except OSError:
        return socket.gethostname()


def port_free(port: int, ip: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("" if ip in ("0.0.0.0", "") else ("127.0.0.1" if ip == "localhost" else ip),
                    port))
        except OSError:
            return False
    return True


@dataclass
class VoilaCommand:
    argv: list[str]
    env: dict[str, str]
    url: str  # the URL to open (with the token when there is one)
    local_url: str  # for this machine
    token: str
    rounds_root: Path | None
    notebooks: Path
    config_dir: Path  # the private folder with voila.json (+ the token), removed on exit
    preheat: bool = False  # executed kernels kept ready per dashboard
    ready_dir: Path | None = None  # where preheated kernels report "built" (``wait_preheated``)
    pool_size: int = 0  # preheated kernels kept ready per dashboard (0: no preheating)
    pools: dict[str, int] | None = None  # per dashboard (name without .ipynb), when they differ

    def cleanup(self) -> None:
        if self.config_dir.exists() and self.config_dir != config_dir():
            shutil.rmtree(self.config_dir, ignore_errors=True)


def voila_command(round_dir=None, port: int = 8866, ip: str = "127.0.0.1", token=None, *,
                  preheat: bool | None = None, notebooks: Path | None = None,
                  ensure_demo: bool = True, today: str | None = None,
                  pool_size: int | dict[str, int] | None = None) -> VoilaCommand:
    """Everything ``serve`` runs: the Voila command line, its environment and the URL.

    The package's ``voila.json`` is copied into a private temporary folder (mode 0700) with
    the token, the address and ``pool_size`` (preheated kernels per dashboard, or a dict
    ``{"completeness": 10}`` for some; default ``voila.json``'s ``default_pool_size``) added,
    and Voila reads only that folder
    (``--Voila.config_file_paths``): no ``voila.json`` of the current folder or of the user's
    Jupyter configuration changes how the dashboards are served, and the token is not on
    the command line (visible to other users in the process list).
    """
    ip = (ip or "127.0.0.1").strip()
    if ip == "":
        ip = "0.0.0.0"
    if token is None and not _is_loopback(ip):
        token = secrets.token_urlsafe(24)
    token = token or ""

    if round_dir is not None:
        choice = dashboards_root(round_dir)
        if choice.path is None:
            raise FileNotFoundError(
                f"ไม่พบผลการตรวจใน {round_dir} (no round folders with findings.csv there)")
    else:
        saved = os.environ.pop(dd.ROUNDS_ENV, None)
        try:
            choice = dashboards_root(None, demo=ensure_demo)
        finally:
            if saved is not None:
                os.environ[dd.ROUNDS_ENV] = saved
    nb_dir = Path(notebooks) if notebooks is not None else dashboards_dir()

    conf = json.loads((config_dir() / "voila.json").read_text(encoding="utf-8"))
    conf.setdefault("Voila", {})
    conf["Voila"]["ip"] = ip
    conf["Voila"]["port"] = int(port)
    conf["Voila"]["open_browser"] = False
    conf["Voila"]["token"] = token
    if preheat is not None:
        conf.setdefault("VoilaConfiguration", {})["preheat_kernel"] = bool(preheat)
    vc = conf.setdefault("VoilaConfiguration", {})
    sizes = dict(pool_size) if isinstance(pool_size, dict) else {}
    if pool_size is not None and not isinstance(pool_size, dict):
        vc["default_pool_size"] = check_pool_size(pool_size)
    size = int(vc.get("default_pool_size", 1))
    known = {Path(n).stem for n in NOTEBOOKS}
    for name, n in sizes.items():
        if name not in known:
            raise ValueError(f"no dashboard {name!r}")
        check_pool_size(n)
    pools = {name: sizes.get(name, size) for name in sorted(known)}
    if sizes:  # Voila's per-notebook pools
        conf.setdefault("VoilaKernelManager", {})["kernel_pools_config"] = {
            "default": {"pool_size": size},
            **{f"{name}.ipynb": {"pool_size": n} for name, n in sizes.items()}}
    preheating = bool(vc.get("preheat_kernel")) and any(pools.values())
    private = Path(tempfile.mkdtemp(prefix="obec-voila-"))
    os.chmod(private, 0o700)
    ready_dir = private / "preheated"
    ready_dir.mkdir(mode=0o700)
    cfile = private / "voila.json"
    fd = os.open(cfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(conf, fh, ensure_ascii=False, indent=1)

    argv = [
        sys.executable, "-m", "voila", str(nb_dir),
        f"--Voila.config_file_paths={private}",
        "--no-browser",
    ]
    env = dict(os.environ)
    if choice.path is not None:
        env[dd.ROUNDS_ENV] = str(choice.path)
    # kernels import this very package, installed or not
    env["PYTHONPATH"] = os.pathsep.join(
        [str(PACKAGE_DIR.parent), *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]])
    env.setdefault("PYTHONIOENCODING", "utf-8")
    # the "obec" template (the lab template without CDN links) lives in the package
    env["JUPYTER_PATH"] = os.pathsep.join(
        [str(template_root()), *[p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]])
    env[READY_ENV] = str(ready_dir)
    if ip not in ("0.0.0.0", "::", "localhost") and not _is_loopback(ip):
        # a preheated kernel waits for its page on Voila's own websocket (voila.utils)
        env["VOILA_APP_IP"] = ip
    if today:
        env[dd.TODAY_ENV] = today
    host = "127.0.0.1" if ip in ("0.0.0.0", "::", "localhost") or _is_loopback(ip) else ip
    query = f"?token={token}" if token else ""
    local_url = f"http://{host if _is_loopback(host) else '127.0.0.1'}:{port}/{query}"
    public_host = _lan_address() if ip in ("0.0.0.0", "::") else host
    url = f"http://{public_host}:{port}/{query}"
    return VoilaCommand(argv, env, url, local_url, token, choice.path, nb_dir, private,
                        preheating, ready_dir, size if preheating else 0,
                        pools if preheating else {name: 0 for name in pools})


def built_pages(cmd: VoilaCommand) -> dict[str, int]:
    """Pages built by preheated kernels so far, per dashboard (each kernel touches
    ``<name>.<kernel id>.ready`` in ``cmd.ready_dir``; refills count too)."""
    out: dict[str, int] = {}
    if cmd.ready_dir is not None and cmd.ready_dir.is_dir():
        for p in cmd.ready_dir.glob("*.ready"):
            name = p.name.split(".", 1)[0]
            out[name] = out.get(name, 0) + 1
    return out


def wait_preheated(cmd: VoilaCommand, proc: subprocess.Popen | None = None,
                   timeout: float = 180.0, per_dashboard: int | None = 1) -> bool:
    """Wait until every dashboard of ``cmd.notebooks`` has ``per_dashboard`` preheated
    kernels that have built their page (``built_pages``; ``None``: its whole pool), never
    more than its pool holds; True when all did. Without preheating nothing to wait for."""
    if not cmd.preheat or cmd.ready_dir is None:
        return True
    names = {p.stem for p in Path(cmd.notebooks).glob("*.ipynb")}
    pools = cmd.pools or {}
    need = {n: (pools.get(n, cmd.pool_size) if per_dashboard is None
                else min(per_dashboard, pools.get(n, per_dashboard))) for n in names}
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc is not None and proc.poll() is not None:
            return False
        built = built_pages(cmd)
        if all(built.get(n, 0) >= need[n] for n in names):
            return True
        time.sleep(0.1)
    return False


def tree_memory(pid: int) -> dict:
    """Memory of a server and every process below it (Linux ``/proc``), in MB: ``rss`` and
    ``pss`` (shared pages split between the processes sharing them, so the sum is what
    the tree really costs) of the server itself and of each kernel (``ipykernel``)."""
    from obec_audit import children

    out = {"server_rss": 0.0, "server_pss": 0.0, "kernels_rss": [], "kernels_pss": [],
           "other_rss": 0.0, "other_pss": 0.0}
    for p in [pid, *children.descendants(pid)]:
        try:
            cmdline = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ")
            rss = pss = 0.0
            for line in Path(f"/proc/{p}/status").read_text(encoding="ascii").splitlines():
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
            try:
                for line in Path(f"/proc/{p}/smaps_rollup").read_text(
                        encoding="ascii").splitlines():
                    if line.startswith("Pss:"):
                        pss = int(line.split()[1]) / 1024
            except OSError:
                pss = rss
        except (OSError, ValueError):
            continue  # gone meanwhile
        if p == pid:
            out["server_rss"], out["server_pss"] = rss, pss
        elif b"ipykernel" in cmdline:
            out["kernels_rss"].append(rss)
            out["kernels_pss"].append(pss)
        else:
            out["other_rss"] += rss
            out["other_pss"] += pss
    out["total_rss"] = out["server_rss"] + sum(out["kernels_rss"]) + out["other_rss"]
    out["total_pss"] = out["server_pss"] + sum(out["kernels_pss"]) + out["other_pss"]
    return out


def _wait_until_up(port: int, proc: subprocess.Popen, timeout: float = 60.0) -> bool:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            return False
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.2)
    return False


def serve(round_dir=None, port: int = 8866, ip: str = "127.0.0.1", open_browser: bool = True,
          token=None, *, preheat: bool | None = None,
          pool_size: int | dict[str, int] | None = None) -> int:
    """Serve the dashboards with Voila until Ctrl+C; returns Voila's exit status.

    ``round_dir``: a rounds folder (or one round folder); default: ``$OBEC_AUDIT_ROUNDS``,
    else the officer's ``data/rounds/``, else the demo area's rounds (generated on first use).
    ``ip``: 127.0.0.1 (this PC only) by default; any other address needs a token, generated
    when ``token`` is None. ``preheat``: keep one executed kernel per dashboard ready (the
    page is served at once; ~170 MB of memory per dashboard); default from ``voila.json``
    (on). With preheating, "ready" is printed (and the browser opened) once every dashboard's
    kernel has built its page. ``pool_size``: preheated kernels per dashboard (default
    ``voila.json``: 2); a meeting where everyone opens the same dashboard at once wants one
    per person (``--pool-size 10``, or only that dashboard's: ``{"completeness": 10}``,
    ``--pool-size completeness=10``); the memory the pool costs is printed once it is full.
    """
    try:
        if round_dir is None:
            print("เตรียมข้อมูล … / preparing the rounds …", flush=True)
        cmd = voila_command(round_dir, port, ip, token, preheat=preheat, pool_size=pool_size)
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if not port_free(port, ip):
        print(f"พอร์ต {port} ถูกใช้อยู่ ลองใช้ --port อื่น (port {port} is in use)", file=sys.stderr)
        cmd.cleanup()
        return 2
    if cmd.rounds_root is None:
        print("ยังไม่มีผลการตรวจ: แดชบอร์ดจะแสดงหน้าว่าง (no rounds found)", flush=True)
    else:
        print(f"ข้อมูลจาก / rounds: {cmd.rounds_root}", flush=True)
    proc = children.start(cmd.argv, env=cmd.env)  # its own process group: stopped as a whole
    try:
        with children.stop_signals():  # Ctrl+C, SIGTERM, SIGHUP (closing the terminal)
            if _wait_until_up(port, proc):
                if cmd.preheat:
                    print("เตรียมแดชบอร์ดล่วงหน้า … / preparing the dashboards …", flush=True)
                    wait_preheated(cmd, proc, timeout=180)
                print(f"แดชบอร์ดพร้อมแล้ว / dashboards ready: {cmd.url}", flush=True)
                if not _is_loopback(ip):
                    print("ส่งลิงก์นี้ (รวม token) ให้ผู้บริหารในเครือข่ายเดียวกัน; "
                          "ปิดด้วย Ctrl+C / share this link, stop with Ctrl+C", flush=True)
                else:
                    print("ปิดด้วย Ctrl+C / stop with Ctrl+C", flush=True)
                if open_browser:
                    import webbrowser

                    webbrowser.open(cmd.local_url)
                if max((cmd.pools or {}).values(), default=0) > 1 and wait_preheated(
                        cmd, proc, timeout=600, per_dashboard=None):
                    sizes = ", ".join(f"{k} {v}" for k, v in (cmd.pools or {}).items())
                    mem = tree_memory(proc.pid) if Path("/proc").is_dir() else None
                    if mem and mem["kernels_pss"]:
                        n = len(mem["kernels_pss"])
                        print(f"เตรียมหน้าแดชบอร์ดไว้ครบแล้ว ({sizes}: {n} kernel) ใช้หน่วยความจำ"
                              f" {mem['total_pss']:,.0f} MB / pool full: {n} kernels,"
                              f" {mem['total_pss']:,.0f} MB", flush=True)
                    else:  # no /proc (Windows): the sizes only
                        print(f"เตรียมหน้าแดชบอร์ดไว้ครบแล้ว ({sizes}) / pool full", flush=True)
            return proc.wait()
    except (children.Stopped, KeyboardInterrupt) as exc:
        print("กำลังปิดแดชบอร์ด … / stopping the dashboards …", file=sys.stderr, flush=True)
        stop(proc, timeout=10)
        return 128 + int(getattr(exc, "signum", 2))
    finally:
        if proc.poll() is None:
            stop(proc, timeout=10)
        cmd.cleanup()


def stop(proc: subprocess.Popen, cmd: VoilaCommand | None = None, timeout: float = 20.0) -> int:
    """Stop a Voila server process with its process group and kernels (terminate, then kill
    after ``timeout`` s) and remove the private folder of its ``VoilaCommand``; the
    process's exit code."""
    try:
        return children.stop(proc, timeout=timeout)
    finally:
        if cmd is not None:
            cmd.cleanup()
