"""The supervisors' read-only dashboards (Voila) and the command that serves them.

``serve(round_dir=None, port=8866, ip="127.0.0.1", open_browser=True, token=None)`` starts
Voila on the ``dashboards/`` folder with the configuration shipped in
``obec_audit/voila/voila.json`` (sources stripped, tracebacks hidden, no static files, idle
kernels culled), whatever the current folder. It listens on 127.0.0.1 unless told
otherwise; listening on another address (e.g. ``0.0.0.0`` for the meeting room) requires a
token: one is generated when none is given, and the URL to hand out is printed.

The dashboards themselves are thin notebooks calling ``completeness_dashboard()``,
``certification_dashboard()`` and ``overview_dashboard()`` below. They only ever see the
aggregates of ``obec_audit.dashboard_data`` (no names, no IDs), draw figures as inline SVG
built in Python (``obec_audit.charts.to_svg``: no plotly.js in the page, which was half of
the browser's time), and every widget callback validates what it receives (a forged value
falls back to the default).
Each page ends with ``<div id="obec-ready">`` once everything is built (the browser test
waits for it); the headline figures carry stable ids (``obec-kpi-*``) and ``data-value``.

Speed (BENCHMARKS.md, "Dashboards"): Voila preheats one kernel per dashboard (``voila.json``)
so a page's HTML is served at once; ``serve`` says "ready" only when every dashboard's page
is built (``wait_preheated``); a preheated page is rebuilt on request only if the rounds,
the ledger or the date changed since (``_after_display``). The "obec" template is Voila's
lab template without its Font Awesome links to a CDN (render-blocking on an office network
that drops outside traffic), and the plotly and pygments extensions are not loaded.
"""

from __future__ import annotations

import base64
import html
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
import warnings
from dataclasses import dataclass
from pathlib import Path

from obec_audit import dashboard_data as dd

__all__ = [
    "serve", "voila_command", "VoilaCommand", "dashboards_dir", "config_dir", "NOTEBOOKS",
    "write_notebooks", "completeness_dashboard", "certification_dashboard",
    "overview_dashboard", "CompletenessApp", "CertificationApp", "OverviewApp",
]

_log = logging.getLogger(__name__)
_log.addHandler(logging.NullHandler())
_log.propagate = False  # nothing from a kernel may reach the page (stderr is shown by Voila)

PACKAGE_DIR = Path(__file__).resolve().parent
#: set by ``voila_command``: the folder where a preheated kernel reports its page is built
READY_ENV = "OBEC_AUDIT_PREHEAT_DIR"

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
    preheat: bool = False  # one executed kernel kept ready per dashboard
    ready_dir: Path | None = None  # where preheated kernels report "built" (``wait_preheated``)

    def cleanup(self) -> None:
        if self.config_dir.exists() and self.config_dir != config_dir():
            shutil.rmtree(self.config_dir, ignore_errors=True)


def voila_command(round_dir=None, port: int = 8866, ip: str = "127.0.0.1", token=None, *,
                  preheat: bool | None = None, notebooks: Path | None = None,
                  ensure_demo: bool = True, today: str | None = None) -> VoilaCommand:
    """Everything ``serve`` runs: the Voila command line, its environment and the URL.

    The package's ``voila.json`` is copied into a private temporary folder (mode 0700) with
    the token and the address added, and Voila reads only that folder
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
        choice = dd.rounds_root(round_dir)
        if choice.path is None:
            raise FileNotFoundError(
                f"ไม่พบผลการตรวจใน {round_dir} (no round folders with findings.csv there)")
    else:
        saved = os.environ.pop(dd.ROUNDS_ENV, None)
        try:
            choice = dd.rounds_root(None, demo=ensure_demo)
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
    vc = conf.get("VoilaConfiguration", {})
    preheating = bool(vc.get("preheat_kernel")) and int(vc.get("default_pool_size", 1)) > 0
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
                        preheating, ready_dir)


def wait_preheated(cmd: VoilaCommand, proc: subprocess.Popen | None = None,
                   timeout: float = 180.0) -> bool:
    """Wait until every dashboard of ``cmd.notebooks`` has a preheated kernel that has built
    its page (each kernel touches ``<name>.ready`` in ``cmd.ready_dir``); True when all did.
    Without preheating there is nothing to wait for."""
    if not cmd.preheat or cmd.ready_dir is None:
        return True
    names = {p.stem for p in Path(cmd.notebooks).glob("*.ipynb")}
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc is not None and proc.poll() is not None:
            return False
        done = {p.stem for p in cmd.ready_dir.glob("*.ready")}
        if names <= done:
            return True
        time.sleep(0.1)
    return False


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
          token=None, *, preheat: bool | None = None) -> int:
    """Serve the dashboards with Voila until Ctrl+C; returns Voila's exit status.

    ``round_dir``: a rounds folder (or one round folder); default: ``$OBEC_AUDIT_ROUNDS``,
    else the officer's ``data/rounds/``, else the demo area's rounds (generated on first use).
    ``ip``: 127.0.0.1 (this PC only) by default; any other address needs a token, generated
    when ``token`` is None. ``preheat``: keep one executed kernel per dashboard ready (the
    page is served at once; ~170 MB of memory per dashboard); default from ``voila.json``
    (on). With preheating, "ready" is printed (and the browser opened) once every dashboard's
    kernel has built its page.
    """
    try:
        if round_dir is None:
            print("เตรียมข้อมูล … / preparing the rounds …", flush=True)
        cmd = voila_command(round_dir, port, ip, token, preheat=preheat)
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
    proc = subprocess.Popen(cmd.argv, env=cmd.env)
    try:
        if _wait_until_up(port, proc):
            if cmd.preheat:
                print("เตรียมแดชบอร์ดล่วงหน้า … / preparing the dashboards …", flush=True)
                wait_preheated(cmd, proc, timeout=180)
            print(f"แดชบอร์ดพร้อมแล้ว / dashboards ready: {cmd.url}", flush=True)
            if not _is_loopback(ip):
                print("ส่งลิงก์นี้ (รวม token) ให้ผู้บริหารในเครือข่ายเดียวกัน; "
                      "ปิดด้วย Ctrl+C / share this link, stop with Ctrl+C", flush=True)
            if open_browser:
                import webbrowser

                webbrowser.open(cmd.local_url)
        return proc.wait()
    except KeyboardInterrupt:
        return stop(proc, timeout=10)
    finally:
        cmd.cleanup()


def stop(proc: subprocess.Popen, cmd: VoilaCommand | None = None, timeout: float = 20.0) -> int:
    """Stop a Voila server process (terminate, then kill after ``timeout`` s) and remove the
    private folder of its ``VoilaCommand``; the process's exit code."""
    try:
        proc.terminate()
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()
    finally:
        if cmd is not None:
            cmd.cleanup()


# ================================================================================ the UI
CSS = """
<style>
.obec-dash { font-family: 'TH Sarabun New', Sarabun, Loma, Garuda, Tahoma, 'Noto Sans Thai',
  sans-serif; font-size: 16px; color: #222; }
.obec-dash h1 { font-size: 28px; margin: 4px 0 2px 0; }
.obec-sub { color: #555; font-size: 15px; }
.obec-badge { display: inline-block; background: #fff3cd; color: #7a5a00; border-radius: 4px;
  padding: 1px 8px; margin-left: 8px; font-size: 14px; }
.obec-kpis { display: flex; flex-wrap: wrap; gap: 12px; margin: 10px 0; }
.obec-kpi { border: 1px solid #ddd; border-radius: 8px; padding: 8px 16px; min-width: 150px;
  background: #fafafa; }
.obec-kpi-label { color: #555; font-size: 14px; }
.obec-kpi-value { font-size: 30px; font-weight: bold; }
.obec-kpi-note { color: #777; font-size: 13px; }
.obec-red { color: #d73027; } .obec-amber { color: #c07f00; } .obec-green { color: #1a9850; }
.obec-table-wrap { max-height: 560px; overflow: auto; border: 1px solid #ddd; }
table.obec-table { border-collapse: collapse; width: 100%; font-size: 15px; }
table.obec-table th { position: sticky; top: 0; background: #f0f0f0; text-align: left;
  padding: 4px 8px; border-bottom: 2px solid #ccc; white-space: nowrap; }
table.obec-table td { padding: 3px 8px; border-bottom: 1px solid #eee; }
table.obec-table td.nowrap { white-space: nowrap; }
table.obec-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.band-red { background: #d73027; color: white; font-weight: bold; text-align: right; }
td.band-amber { background: #f4a300; color: #222; font-weight: bold; text-align: right; }
td.band-green { background: #1a9850; color: white; font-weight: bold; text-align: right; }
td.band-none { background: #eee; color: #555; text-align: right; }
td.st-certified { color: #1a9850; } td.st-late { color: #4d7f1e; }
td.st-overdue { color: #d73027; font-weight: bold; } td.st-not_yet { color: #c07f00; }
td.st-unknown { color: #777; }
.obec-legend span { display: inline-block; padding: 1px 8px; margin-right: 6px; border-radius: 3px; }
.obec-msg { padding: 12px; background: #f6f6f6; border-left: 4px solid #999; }
.obec-phase { display: flex; flex-wrap: wrap; gap: 16px; }
.obec-phase > div { border: 1px solid #ddd; border-radius: 8px; padding: 8px 16px; }
.obec-big { font-size: 34px; font-weight: bold; }
</style>
"""


def _e(x) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _n(x) -> str:
    try:
        return f"{int(x):,}"
    except (TypeError, ValueError):
        return "–"


def _pct(x) -> str:
    try:
        if x is None or x != x:
            return dd.NO_DATA_TH
        return f"{float(x):.1f}%"
    except (TypeError, ValueError):
        return dd.NO_DATA_TH


def kpi(key: str, label: str, value, text: str | None = None, note: str = "",
        cls: str = "") -> str:
    """One headline figure: ``<div id="obec-kpi-<key>" data-value="…">``."""
    v = "" if value is None else value
    return (
        f'<div class="obec-kpi"><div class="obec-kpi-label">{_e(label)}</div>'
        f'<div class="obec-kpi-value {cls}" id="obec-kpi-{_e(key)}" data-value="{_e(v)}">'
        f'{_e(text if text is not None else _n(value))}</div>'
        + (f'<div class="obec-kpi-note">{_e(note)}</div>' if note else "")
        + "</div>"
    )


def valid_choice(value, allowed, default):
    """``value`` if it is one of ``allowed`` (compared as given: no coercion), else
    ``default``. Every widget callback goes through this."""
    try:
        return value if isinstance(value, str) and value in allowed else default
    except TypeError:
        return default


def clean_search(value, limit: int = 60) -> str:
    """Free text from the search box: a string, trimmed, no control characters."""
    if not isinstance(value, str):
        return ""
    s = "".join(ch for ch in value if ch.isprintable())[:limit]
    return s.strip()


def _csv_link(df, filename: str, label: str) -> str:
    dd.assert_aggregate_safe(df, "download")
    data = df.to_csv(index=False).encode("utf-8-sig")
    b64 = base64.b64encode(data).decode("ascii")
    return (f'<a class="obec-download" download="{_e(filename)}" '
            f'href="data:text/csv;charset=utf-8;base64,{b64}">⬇ {_e(label)}</a>')


ALL = "__all__"


class _Base:
    """Shared frame: rounds, round selector, header, error handling, ready marker."""

    name = "base"
    title = ""

    def __init__(self, root=None):
        import ipywidgets as W

        self.W = W
        self.choice = dd.rounds_root(root) if root is not None else dd.rounds_root()
        self.rounds = dd.list_rounds(self.choice.path)
        self.round_keys = [r.key for r in self.rounds]
        self.today = dd.today()
        self.renders = 0
        self.n_figures = 0  # figures on the page now (the ready marker tells the browser)
        self.last_error: str | None = None
        self.header = W.HTML()
        self.round_select = W.Dropdown(
            options=[(r.label, r.key) for r in reversed(self.rounds)] or [("–", "")],
            description="รอบการตรวจ", style={"description_width": "initial"},
            layout=W.Layout(width="520px"),
        )
        if self.rounds:
            self.round_select.value = self.rounds[-1].key
        self.round_select.observe(self._on_round, names="value")
        self.body = W.VBox()
        self.ready = W.HTML()
        self.widget = W.VBox([W.HTML(CSS), self.header, self.round_select, self.body, self.ready],
                             layout=W.Layout(padding="0 12px"))
        self.widget.add_class("obec-dash")

    # ---- round
    @property
    def current(self) -> dd.RoundInfo | None:
        key = valid_choice(self.round_select.value, self.round_keys,
                           self.round_keys[-1] if self.round_keys else None)
        for r in self.rounds:
            if r.key == key:
                return r
        return None

    def previous(self, info: dd.RoundInfo) -> dd.RoundInfo | None:
        i = self.round_keys.index(info.key)
        return self.rounds[i - 1] if i > 0 else None

    def _on_round(self, change):
        self.safe(self.render_round)

    # ---- frame
    def header_html(self, info: dd.RoundInfo | None) -> str:
        area = (info.area_name if info else "") or "เขตพื้นที่การศึกษา"
        badge = ('<span class="obec-badge">ข้อมูลตัวอย่าง (สังเคราะห์)</span>'
                 if self.choice.source == "demo" else "")
        sub = (f"{_e(info.label)} · วันนี้ {_e(dd.thai_date(self.today))}" if info else "")
        return (f'<h1>{_e(self.title)}</h1><div class="obec-sub">{_e(area)}{badge}</div>'
                f'<div class="obec-sub">{sub}</div>')

    def mark_ready(self, figures: int | None = None, empty: bool = False) -> None:
        figures = self.n_figures if figures is None else figures
        self.renders += 1
        self.ready.value = (
            f'<div id="obec-ready" class="obec-ready" data-dashboard="{self.name}" '
            f'data-figures="{int(figures)}" data-render="{self.renders}" '
            f'data-empty="{1 if empty else 0}"></div>')

    def message(self, text: str) -> None:
        self.body.children = [self.W.HTML(f'<div class="obec-msg">{_e(text)}</div>')]

    def safe(self, fn, *a, **kw):
        """Run a render step; on any failure show a Thai message, never a traceback."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return fn(*a, **kw)
        except Exception as exc:  # noqa: BLE001 - the page must stay clean
            self.last_error = f"{type(exc).__name__}: {exc}"
            _log.warning("dashboard %s failed: %s", self.name, self.last_error, exc_info=True)
            self.message("แสดงผลส่วนนี้ไม่ได้ กรุณาแจ้งเจ้าหน้าที่ข้อมูลของเขต")
            self.mark_ready(0, empty=True)
            return None

    def start(self):
        self.safe(self.render_round)
        self.stamp = self.data_stamp()
        return self.widget

    # ---- freshness (a preheated page was built before anyone asked for it)
    def data_stamp(self) -> tuple:
        """What the page depends on, cheaply: today, the round folders with their files'
        modification times, and the certification ledger's files."""
        try:
            rounds = tuple((r.key, dd.round_stamp(r.path))
                           for r in dd.list_rounds(self.choice.path))
            info = self.current
            led = dd.ledger_folder(dd.load_round(info)) if info else dd.ledger_folder(None)
            ledger = ()
            if led is not None and Path(led).is_dir():
                ledger = tuple(sorted((e.name, e.stat().st_mtime_ns)
                                      for e in os.scandir(led) if e.is_file()))
            return (dd.today(), rounds, str(led), ledger)
        except Exception:  # noqa: BLE001 - a failed stamp only means "refresh"
            return (time.monotonic(),)

    def refresh_if_stale(self) -> bool:
        """Rebuild the page if a round, the ledger or the date changed since it was built
        (True when it did). Called when a preheated kernel's page is requested."""
        stamp = self.data_stamp()
        if stamp == getattr(self, "stamp", None):
            return False
        self.today = dd.today()
        self.rounds = dd.list_rounds(self.choice.path)
        self.round_keys = [r.key for r in self.rounds]
        self.round_select.unobserve(self._on_round, names="value")
        try:
            self.round_select.options = ([(r.label, r.key) for r in reversed(self.rounds)]
                                         or [("–", "")])
            self.round_select.value = self.rounds[-1].key if self.rounds else ""
        finally:
            self.round_select.observe(self._on_round, names="value")
        self.render_round()
        self.stamp = self.data_stamp()
        return True

    def render_round(self):
        info = self.current
        self.header.value = self.header_html(info)
        if info is None:
            self.round_select.layout.display = "none"
            self.message(self.choice.message_th or "ยังไม่มีผลการตรวจ")
            self.mark_ready(0, empty=True)
            return
        self.render(dd.load_round(info))

    def render(self, rd: dd.RoundData):  # pragma: no cover - abstract
        raise NotImplementedError

    # ---- helpers
    def figure_out(self, fig, width: str = "100%"):
        """A figure spec as an inline SVG in an HTML widget (no plotly.js in the page)."""
        from obec_audit import charts

        out = self.W.HTML(charts.to_svg(fig, _svg_width(width)),
                          layout=self.W.Layout(width=width))
        self.n_figures += 1
        return out


def _svg_width(width: str) -> int:
    """The drawing width (px) of a figure laid out at ``width`` on a ~1300 px page."""
    if width.endswith("px"):
        return int(float(width[:-2]))
    if width.endswith("%"):
        return int(13 * float(width[:-1]))
    return 1300


# ---------------------------------------------------------------------------- completeness
SORTS = {
    "percent_complete": "ความครบถ้วน",
    "errors": "ข้อผิดพลาด",
    "students": "จำนวนนักเรียน",
    "school_name": "ชื่อโรงเรียน",
    "school_code": "รหัสโรงเรียน",
    "status": "สถานะการรับรอง",
}
TABLE_COLS_TH = {
    "school_code": "รหัส", "school_name": "โรงเรียน", "district": "อำเภอ", "size": "ขนาด",
    "students": "นักเรียน", "percent_complete": "ความครบถ้วน", "fields": "ช่องที่ครบ",
    "errors": "ข้อผิดพลาด", "top": "ประเภทที่พบมาก", "status_th": "การรับรอง",
}


class CompletenessApp(_Base):
    name = "completeness"
    title = "ความครบถ้วนของข้อมูลรายโรงเรียน"

    def __init__(self, root=None):
        super().__init__(root)
        W = self.W
        wide = {"description_width": "initial"}
        self.f_district = W.Dropdown(description="อำเภอ", style=wide, layout=W.Layout(width="230px"))
        self.f_size = W.Dropdown(description="ขนาด", style=wide, layout=W.Layout(width="300px"))
        self.f_level = W.Dropdown(description="ระดับ", style=wide, layout=W.Layout(width="300px"))
        self.f_status = W.Dropdown(description="การรับรอง", style=wide, layout=W.Layout(width="260px"))
        self.f_band = W.Dropdown(description="ความครบถ้วน", style=wide, layout=W.Layout(width="250px"))
        self.f_search = W.Text(description="ค้นหา", placeholder="ชื่อหรือรหัสโรงเรียน",
                               continuous_update=False, style=wide, layout=W.Layout(width="260px"))
        self.f_sort = W.Dropdown(options=[(v, k) for k, v in SORTS.items()],
                                 value="percent_complete", description="เรียงตาม", style=wide,
                                 layout=W.Layout(width="230px"))
        self.f_desc = W.ToggleButtons(options=[("น้อยไปมาก", "asc"), ("มากไปน้อย", "desc")],
                                      value="asc", style={"button_width": "90px"})
        self.school_pick = W.Dropdown(description="ดูรายละเอียดโรงเรียน", style=wide,
                                      layout=W.Layout(width="520px"))
        self.filters = W.VBox([
            W.HBox([self.f_district, self.f_size, self.f_level], layout=W.Layout(flex_flow="row wrap")),
            W.HBox([self.f_status, self.f_band, self.f_search], layout=W.Layout(flex_flow="row wrap")),
            W.HBox([self.f_sort, self.f_desc]),
        ])
        self.kpis = W.HTML()
        self.table = W.HTML()
        self.download = W.HTML()
        self.charts_top = W.HBox()
        self.heatmap = W.HTML()
        self.detail = W.VBox()
        self.t = None
        for w in (self.f_district, self.f_size, self.f_level, self.f_status, self.f_band,
                  self.f_search, self.f_sort, self.f_desc):
            w.observe(self._on_filter, names="value")
        self.school_pick.observe(self._on_school, names="value")
        self._muted = False
        self._detail_figs = 0

    # -- options
    def _set_options(self, t):
        self._muted = True
        try:
            districts = sorted(x for x in t["district"].unique() if x)
            self.f_district.options = [("ทั้งหมด", ALL)] + [(d, d) for d in districts]
            self.f_district.value = ALL
            sizes = [b[0] for b in dd.SIZE_BANDS if b[0] in set(t["size"])]
            self.f_size.options = [("ทั้งหมด", ALL)] + [(s, s) for s in sizes]
            self.f_size.value = ALL
            levels = sorted(x for x in t["level_type"].unique() if x)
            self.f_level.options = [("ทั้งหมด", ALL)] + [(x, x) for x in levels]
            self.f_level.value = ALL
            self.f_status.options = [("ทั้งหมด", ALL)] + [
                (v, k) for k, v in dd.STATUS_TH.items() if k in set(t["status"])]
            self.f_status.value = ALL
            self.f_band.options = [("ทั้งหมด", ALL)] + [(v, k) for k, v in dd.BAND_TH.items()]
            self.f_band.value = ALL
        finally:
            self._muted = False

    def filters_state(self) -> dict:
        """The filters as validated values (a forged value becomes 'all')."""
        t = self.t
        return {
            "district": valid_choice(self.f_district.value, set(t["district"]), ALL),
            "size": valid_choice(self.f_size.value, set(t["size"]), ALL),
            "level": valid_choice(self.f_level.value, set(t["level_type"]), ALL),
            "status": valid_choice(self.f_status.value, set(dd.STATUS_TH), ALL),
            "band": valid_choice(self.f_band.value, set(dd.BAND_TH), ALL),
            "search": clean_search(self.f_search.value),
            "sort": valid_choice(self.f_sort.value, set(SORTS), "percent_complete"),
            "desc": valid_choice(self.f_desc.value, {"asc", "desc"}, "asc") == "desc",
        }

    def filtered(self, state: dict | None = None):
        t = self.t
        s = state or self.filters_state()
        m = t["school_code"].notna()
        if s["district"] != ALL:
            m &= t["district"].eq(s["district"])
        if s["size"] != ALL:
            m &= t["size"].eq(s["size"])
        if s["level"] != ALL:
            m &= t["level_type"].eq(s["level"])
        if s["status"] != ALL:
            m &= t["status"].eq(s["status"])
        if s["band"] != ALL:
            m &= t["band"].eq(s["band"])
        if s["search"]:
            q = s["search"]
            m &= (t["school_name"].str.contains(q, regex=False, case=False)
                  | t["school_code"].str.contains(q, regex=False))
        f = t[m]
        key = s["sort"]
        order = [key, "school_code"] if key != "school_code" else [key]
        return f.sort_values(order, ascending=not s["desc"], na_position="first", kind="stable")

    # -- rendering
    def render(self, rd):
        W = self.W
        from obec_audit import charts

        status = dd.certification_status(rd, self.today)
        self.t = dd.school_table(rd, status)
        h = dd.headline(rd)
        self._set_options(self.t)
        n_cert = int(self.t["status"].isin(["certified", "late"]).sum())
        pc = h["percent_complete"]
        band = dd.completeness_band(pc)
        self.kpis.value = '<div class="obec-kpis">' + "".join([
            kpi("schools", "โรงเรียนทั้งหมด", h["schools"],
                note=f"มีข้อมูล {h['schools_with_data']:,} โรงเรียน"),
            kpi("students", "นักเรียนทั้งหมด", h["students"], note="คน"),
            kpi("complete", "ความครบถ้วนภาพรวม", pc, text=_pct(pc), cls=f"obec-{band}"),
            kpi("schools-with-errors", "โรงเรียนที่ยังมีข้อผิดพลาด", h["schools_with_errors"],
                note=f"ข้อผิดพลาดรวม {h['errors']:,} รายการ",
                cls="obec-red" if h["schools_with_errors"] else "obec-green"),
            kpi("certified", "ส่งรับรองแล้ว", n_cert, text=f"{n_cert:,} / {len(self.t):,}",
                note="โรงเรียน"),
        ]) + "</div>"
        legend = ('<div class="obec-legend">สีความครบถ้วน: '
                  f'<span style="background:{charts.BAND_COLORS["red"]};color:white">ต่ำกว่า 90%</span>'
                  f'<span style="background:{charts.BAND_COLORS["amber"]}">90–99.9%</span>'
                  f'<span style="background:{charts.BAND_COLORS["green"]};color:white">ครบ 100%</span>'
                  '</div>')
        self.n_figures = 0
        self.charts_top.children = [
            self.figure_out(charts.band_summary(self.t, as_dict=True), "45%"),
            self.figure_out(charts.errors_by_check(self.t, as_dict=True), "55%"),
        ]
        self.body.children = [
            self.kpis, self.charts_top, W.HTML("<h3>โรงเรียนทั้งหมดในเขต</h3>" + legend),
            self.filters, self.table, self.download, self.heatmap,
            W.HTML("<h3>รายละเอียดรายโรงเรียน</h3>"), self.school_pick, self.detail,
            W.HTML('<div class="obec-sub">ตัวเลขทั้งหมดเป็นข้อมูลสรุปรายโรงเรียน '
                   'ไม่มีชื่อหรือเลขประจำตัวนักเรียน รายชื่อที่ต้องแก้ไขอยู่ในรายงานของแต่ละโรงเรียน</div>'),
        ]
        self.refresh()
        self.mark_ready(2 + 1 + self._detail_figs)

    def _on_filter(self, change):
        if self._muted or self.t is None:
            return
        self.safe(self.refresh)

    def _on_school(self, change):
        if self._muted or self.t is None:
            return
        self.safe(self.render_detail)

    def refresh(self):
        from obec_audit import charts

        state = self.filters_state()
        f = self.filtered(state)
        self.table.value = self.table_html(f)
        info = self.current
        stamp = info.as_of.isoformat() if info and info.as_of else "round"
        self.download.value = _csv_link(self.export_frame(f), f"completeness_{stamp}.csv",
                                        "ดาวน์โหลดตารางนี้ (CSV สำหรับ Excel)")
        self.heatmap.value = charts.to_svg(charts.field_heatmap(f, as_dict=True), 1300)
        self._muted = True
        try:
            opts = [(f"{n} ({c})", c) for n, c in zip(f["school_name"], f["school_code"])]
            self.school_pick.options = opts or [("–", "")]
            with_data = f.loc[f["students"] > 0, "school_code"]
            self.school_pick.value = (with_data.iloc[0] if len(with_data)
                                      else (opts[0][1] if opts else ""))
        finally:
            self._muted = False
        self.render_detail()
        if self.renders:
            self.mark_ready(2 + 1 + self._detail_figs)

    def render_detail(self):
        from obec_audit import charts

        t = self.t
        code = valid_choice(self.school_pick.value, set(t["school_code"]), None)
        if code is None:
            self._detail_figs = 0
            self.detail.children = [self.W.HTML('<div class="obec-msg">ไม่มีโรงเรียนตามตัวกรอง</div>')]
            return
        row = t[t["school_code"].eq(code)].iloc[0]
        errs = {c[4:]: int(row[c]) for c in t.columns if c.startswith("err_") and row[c] > 0}
        items = "".join(f"<li>{_e(dd.check_label(k))}: {v:,} รายการ</li>"
                        for k, v in sorted(errs.items(), key=lambda kv: -kv[1]))
        info = (f'<div><b>{_e(row["school_name"])}</b> ({_e(code)}) · {_e(row["district"] or "–")} · '
                f'{_e(row["size"])} · นักเรียน {int(row["students"]):,} คน · '
                f'ความครบถ้วน {_e(_pct(row["percent_complete"]))} · '
                f'การรับรอง: {_e(row["status_th"])}</div>'
                f'<div>ข้อผิดพลาดที่ยังเปิดอยู่ {int(row["errors"]):,} รายการ'
                + (f"<ul>{items}</ul>" if items else " ") + "</div>")
        kids = [self.W.HTML(info)]
        self._detail_figs = 0
        if row["students"] > 0:
            kids.append(self.figure_out(charts.school_fields(row, as_dict=True)))
            self._detail_figs = 1
        self.detail.children = kids

    def export_frame(self, f):
        cols = ["school_code", "school_name", "district", "level_type", "size", "students",
                "percent_complete", "fields_complete", "fields_total", "errors", "warnings",
                "status_th"] + [c for c in f.columns if c.startswith("pct_") or c.startswith("err_")]
        out = f[cols].copy()
        ren = {"school_code": "รหัสโรงเรียน", "school_name": "ชื่อโรงเรียน", "district": "อำเภอ",
               "level_type": "ระดับที่เปิดสอน", "size": "ขนาดโรงเรียน", "students": "จำนวนนักเรียน",
               "percent_complete": "ความครบถ้วน (%)", "fields_complete": "ช่องที่ครบ",
               "fields_total": "ช่องทั้งหมด", "errors": "ข้อผิดพลาด", "warnings": "ควรตรวจสอบ",
               "status_th": "การรับรอง"}
        from obec_audit.charts import field_label

        for c in cols:
            if c.startswith("pct_"):
                ren[c] = f"ครบถ้วน: {field_label(c[4:])} (%)"
            elif c.startswith("err_"):
                ren[c] = f"ข้อผิดพลาด: {dd.check_label(c[4:])}"
        return out.rename(columns=ren)

    def table_html(self, f) -> str:
        err_cols = [c for c in f.columns if c.startswith("err_")]
        head = "".join(f"<th>{_e(v)}</th>" for v in ["#", *TABLE_COLS_TH.values()])
        rows = []
        for i, rd in enumerate(f.to_dict("records"), 1):
            top = sorted(((rd[c], c[4:]) for c in err_cols if rd[c] > 0), reverse=True)[:2]
            top_txt = " · ".join(f"{dd.check_label(k)} {v:,}" for v, k in top)
            band = rd["band"]
            rows.append(
                f'<tr data-school="{_e(rd["school_code"])}">'
                f'<td class="num">{i}</td><td>{_e(rd["school_code"])}</td>'
                f'<td>{_e(rd["school_name"])}</td><td>{_e(rd["district"] or "–")}</td>'
                f'<td class="nowrap">{_e(rd["size"].split(" (")[0])}</td>'
                f'<td class="num">{int(rd["students"]):,}</td>'
                f'<td class="band-{band}">{_e(_pct(rd["percent_complete"]))}</td>'
                f'<td class="num">{int(rd["fields_complete"])}/{int(rd["fields_total"])}</td>'
                f'<td class="num">{int(rd["errors"]):,}</td><td>{_e(top_txt)}</td>'
                f'<td class="nowrap st-{_e(rd["status"])}">{_e(rd["status_th"])}</td></tr>'
            )
        body = "".join(rows) or '<tr><td colspan="11">ไม่มีโรงเรียนตามตัวกรอง</td></tr>'
        return (f'<div class="obec-sub">แสดง <span id="obec-table-count" data-value="{len(f)}">'
                f'{len(f):,}</span> จาก {len(self.t):,} โรงเรียน</div>'
                f'<div class="obec-table-wrap"><table class="obec-table" id="obec-school-table">'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


# ---------------------------------------------------------------------------- certification
class CertificationApp(_Base):
    name = "certification"
    title = "ความก้าวหน้าการรับรองข้อมูล"

    def __init__(self, root=None):
        super().__init__(root)
        W = self.W
        wide = {"description_width": "initial"}
        self.f_district = W.Dropdown(description="อำเภอ", style=wide, layout=W.Layout(width="260px"))
        self.f_status = W.Dropdown(description="สถานะ", style=wide, layout=W.Layout(width="300px"))
        self.chase = W.HTML()
        self.download = W.HTML()
        self.chase_frame = None
        self._muted = False
        for w in (self.f_district, self.f_status):
            w.observe(self._on_filter, names="value")

    def render(self, rd):
        from obec_audit import charts

        W = self.W
        summary, chase = dd.certification(rd, self.today)
        self.summary, self.chase_frame = summary, chase
        self.body.children = [
            W.HTML(self.phase_html(summary)),
            W.HTML('<div class="obec-kpis">' + "".join([
                kpi("schools", "โรงเรียนทั้งหมด", summary["n_schools"]),
                kpi("certified", dd.STATUS_TH["certified"], summary["n_certified"], cls="obec-green"),
                kpi("late", dd.STATUS_TH["late"], summary["n_late"]),
                kpi("overdue", dd.STATUS_TH["overdue"], summary["n_overdue"],
                    cls="obec-red" if summary["n_overdue"] else ""),
                kpi("not-yet", dd.STATUS_TH["not_yet"], summary["n_not_yet"], cls="obec-amber"),
                kpi("chase", "โรงเรียนที่ต้องติดตาม", len(chase)),
            ]) + "</div>"),
            self.figure_out(charts.certification_donut(summary, as_dict=True), "520px"),
            W.HTML("<h3>โรงเรียนที่ต้องติดตาม</h3><div class='obec-sub'>เรียงจากเกินกำหนดก่อน "
                   "แล้วตามจำนวนข้อผิดพลาด</div>"),
            W.HBox([self.f_district, self.f_status]),
            self.chase, self.download,
        ]
        self._muted = True
        try:
            d = sorted(x for x in chase["district"].unique() if x)
            self.f_district.options = [("ทั้งหมด", ALL)] + [(x, x) for x in d]
            self.f_district.value = ALL
            self.f_status.options = [("ทั้งหมด", ALL)] + [
                (dd.STATUS_TH[s], s) for s in dd.CHASE_STATUSES if s in set(chase["status"])]
            self.f_status.value = ALL
        finally:
            self._muted = False
        self.refresh()
        self.mark_ready(1)

    def phase_html(self, s: dict) -> str:
        def left(days):
            if days is None:
                return "–", ""
            if days < 0:
                return f"{-days:,}", "วันที่เลยกำหนดมาแล้ว"
            return f"{days:,}", "วันที่เหลือ"

        n1, l1 = left(s["days_left"])
        cal_txt = ""
        if s.get("calendar_phase"):
            st = "กำลังดำเนินการ" if s.get("calendar_status") == "open" else "ช่วงถัดไป"
            n2, l2 = left(s.get("calendar_days_left"))
            cal_txt = (f'<div><div class="obec-sub">ตามปฏิทินวันนี้ ({_e(st)})</div>'
                       f'<div><b>{_e(s["calendar_phase_th"])}</b></div>'
                       f'<div>กำหนดส่ง {_e(s["calendar_deadline_th"] or "–")}</div>'
                       f'<div class="obec-big" id="obec-calendar-days">{_e(n2)}</div>'
                       f'<div class="obec-sub">{_e(l2)}</div></div>')
        cls = "obec-red" if (s["days_left"] or 0) < 0 else ""
        return (
            '<div class="obec-phase">'
            f'<div><div class="obec-sub">รอบที่กำลังรับรอง</div><div><b>{_e(s["phase_th"])}</b></div>'
            f'<div>กำหนดส่งเอกสารรับรอง <span id="obec-deadline">{_e(s["deadline_th"] or "–")}</span></div>'
            f'<div class="obec-big {cls}" id="obec-days-left" data-value="{_e(s["days_left"])}">{_e(n1)}</div>'
            f'<div class="obec-sub">{_e(l1)} (วันนี้ {_e(s["today_th"])})</div></div>'
            f"{cal_txt}</div>"
        )

    def _on_filter(self, change):
        if self._muted or self.chase_frame is None:
            return
        self.safe(self.refresh)

    def refresh(self):
        c = self.chase_frame
        district = valid_choice(self.f_district.value, set(c["district"]), ALL)
        status = valid_choice(self.f_status.value, set(dd.CHASE_STATUSES), ALL)
        f = c
        if district != ALL:
            f = f[f["district"].eq(district)]
        if status != ALL:
            f = f[f["status"].eq(status)]
        head = "".join(f"<th>{h}</th>" for h in ["#", "รหัส", "โรงเรียน", "อำเภอ", "นักเรียน",
                                                  "ความครบถ้วน", "ข้อผิดพลาด", "สถานะ", "เกินกำหนด (วัน)"])
        rows = []
        for i, r in enumerate(f.itertuples(index=False), 1):
            band = dd.completeness_band(r.percent_complete)
            rows.append(
                f'<tr data-school="{_e(r.school_code)}"><td class="num">{i}</td><td>{_e(r.school_code)}</td>'
                f"<td>{_e(r.school_name)}</td><td>{_e(r.district or '–')}</td>"
                f'<td class="num">{int(r.students):,}</td>'
                f'<td class="band-{band}">{_e(_pct(r.percent_complete))}</td>'
                f'<td class="num">{int(r.errors):,}</td>'
                f'<td class="st-{_e(r.status)}">{_e(r.status_th)}</td>'
                f'<td class="num">{int(r.days_late) if r.status == "overdue" else ""}</td></tr>')
        body = "".join(rows) or '<tr><td colspan="9">ส่งรับรองครบทุกโรงเรียนแล้ว</td></tr>'
        self.chase.value = (
            f'<div class="obec-sub">ต้องติดตาม <span id="obec-chase-count" data-value="{len(f)}">'
            f"{len(f):,}</span> โรงเรียน</div><div class='obec-table-wrap'>"
            f'<table class="obec-table" id="obec-chase-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")
        info = self.current
        stamp = info.as_of.isoformat() if info and info.as_of else "round"
        out = f.drop(columns=["status"]).rename(columns={
            "school_code": "รหัสโรงเรียน", "school_name": "ชื่อโรงเรียน", "district": "อำเภอ",
            "students": "จำนวนนักเรียน", "percent_complete": "ความครบถ้วน (%)",
            "errors": "ข้อผิดพลาด", "status_th": "สถานะ", "days_late": "เกินกำหนด (วัน)"})
        self.download.value = _csv_link(out, f"chase_{stamp}.csv", "ดาวน์โหลดรายชื่อโรงเรียนที่ต้องติดตาม (CSV)")
        if self.renders:
            self.mark_ready(1)


# ---------------------------------------------------------------------------- area overview
class OverviewApp(_Base):
    name = "overview"
    title = "ภาพรวมเขตพื้นที่"

    def render(self, rd):
        from obec_audit import charts

        W = self.W
        info = rd.info
        prev_info = self.previous(info)
        prev = dd.load_round(prev_info) if prev_info else None
        cmp_ = dd.grade_sex_compare(rd, prev)
        h = dd.headline(rd)
        upto = self.rounds[: self.round_keys.index(info.key) + 1]
        trend = dd.id_quality_trend(upto)
        cur_row = trend.iloc[-1]
        kp = [
            kpi("schools", "โรงเรียนทั้งหมด", h["schools"]),
            kpi("students", "นักเรียนทั้งหมด", h["students"], note="คน"),
        ]
        if prev is not None:
            change = h["students"] - len(prev.students)
            kp.append(kpi("students-change", "เปลี่ยนแปลงจากรอบก่อน", change,
                          text=f"{change:+,}", note=f"รอบก่อน {len(prev.students):,} คน"))
        kp += [
            kpi("male", "ชาย", int(cmp_["male"].sum())),
            kpi("female", "หญิง", int(cmp_["female"].sum())),
            kpi("duplicates", "นักเรียนในชุดเลขซ้ำ",
                int(cur_row["dup_school"] + cur_row["dup_area"]),
                note=f"อาจเป็นคนเดียวกัน {int(cur_row['dup_person']):,} คน"),
            kpi("invalid-ids", "เลขประจำตัวไม่ถูกต้อง/ไม่มี", int(cur_row["invalid_id"]),
                note=f"ใช้รหัส G {int(cur_row['gcode']):,} คน"),
        ]
        prev_label = dd.thai_date(prev_info.as_of) if prev_info else ""
        figs = [self.figure_out(charts.grade_sex_bars(cmp_, dd.thai_date(info.as_of), prev_label, as_dict=True))]
        children = [W.HTML('<div class="obec-kpis">' + "".join(kp) + "</div>"), figs[0],
                    W.HTML(self.grade_table(cmp_))]
        if len(trend) >= 1:
            figs.append(self.figure_out(charts.id_quality_lines(trend, as_dict=True)))
            children += [figs[-1], W.HTML(self.trend_table(trend))]
        children.append(W.HTML('<div class="obec-sub">นับเป็นจำนวนนักเรียน (แถวข้อมูล) ที่อยู่ในแต่ละกรณี '
                               'ข้อมูลสรุประดับเขต ไม่มีชื่อหรือเลขประจำตัว</div>'))
        self.body.children = children
        self.mark_ready(len(figs))

    def grade_table(self, c) -> str:
        has_prev = "prev_total" in c.columns
        head = ["ชั้น", "ชาย", "หญิง", "รวม"] + (["รวมรอบก่อน", "เปลี่ยนแปลง"] if has_prev else [])
        rows = []
        for r in c.itertuples(index=False):
            cells = [r.grade, f"{r.male:,}", f"{r.female:,}", f"{r.total:,}"]
            if has_prev:
                cells += [f"{r.prev_total:,}", f"{r.change:+,}"]
            rows.append("<tr>" + "".join(
                f'<td class="{"num" if j else ""}">{_e(x)}</td>' for j, x in enumerate(cells)) + "</tr>")
        tot = [("รวม", c["male"].sum(), c["female"].sum(), c["total"].sum())]
        cells = ["รวมทั้งหมด", f"{int(c['male'].sum()):,}", f"{int(c['female'].sum()):,}",
                 f'<span id="obec-grade-total" data-value="{int(c["total"].sum())}">{int(c["total"].sum()):,}</span>']
        if has_prev:
            cells += [f"{int(c['prev_total'].sum()):,}", f"{int(c['change'].sum()):+,}"]
        rows.append("<tr><th>" + "</th><th>".join(cells) + "</th></tr>")
        del tot
        return ('<h3>นักเรียนแยกชั้นและเพศ</h3><table class="obec-table" id="obec-grade-table" style="width:auto">'
                "<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr></thead><tbody>"
                + "".join(rows) + "</tbody></table>")

    def trend_table(self, t) -> str:
        cols = list(dd.ID_TREND_TH)
        head = "".join(f"<th>{_e(x)}</th>" for x in ["ข้อมูล ณ วันที่", "นักเรียน",
                                                     *dd.ID_TREND_TH.values(), "ชุดที่ซ้ำ"])
        rows = "".join(
            "<tr><td>" + _e(r["as_of_th"]) + "</td>" + f'<td class="num">{int(r["students"]):,}</td>'
            + "".join(f'<td class="num">{int(r[c]):,}</td>' for c in cols)
            + f'<td class="num">{int(r["dup_sets"]):,}</td></tr>'
            for _, r in t.iterrows())
        return ('<h3>เลขซ้ำและเลขประจำตัวไม่ถูกต้องตามรอบ (จำนวนนักเรียน)</h3>'
                '<table class="obec-table" id="obec-trend-table" style="width:auto">'
                f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")


# ---------------------------------------------------------------------------- entry points
def _show(app_cls, root=None):
    """Build and display a dashboard; returns the app (``None`` shown: no repr on the page).

    In a kernel Voila preheats (``VOILA_PREHEAT=True``) the page is built before anyone asks
    for it: the kernel then reports "built" (``wait_preheated``), waits for the request
    (``voila.utils.wait_for_request``) and rebuilds only if the rounds, the ledger or the
    date changed meanwhile. The ready marker is part of the displayed widgets either way.
    """
    from IPython.display import display

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            app = app_cls(root)
            widget = app.start()
        except Exception as exc:  # noqa: BLE001 - never a traceback on a supervisor's page
            _log.warning("dashboard failed to start: %s", exc, exc_info=True)
            from IPython.display import HTML

            display(HTML('<div class="obec-msg">แสดงแดชบอร์ดไม่ได้ กรุณาแจ้งเจ้าหน้าที่ข้อมูลของเขต</div>'
                         '<div id="obec-ready" class="obec-ready" data-figures="0" data-empty="1"></div>'))
            app = None
        else:
            display(widget)
        _after_display(app, app_cls.name)
    return app


def _after_display(app, name: str) -> None:
    """Preheated kernels only: report "built", wait for the page's request, refresh if stale."""
    if os.environ.get("VOILA_PREHEAT") != "True":
        return
    ready = os.environ.get(READY_ENV, "")
    if ready:
        try:
            (Path(ready) / f"{name}.ready").touch()
        except OSError:
            pass
    _wait_for_page()
    if app is not None:
        app.safe(app.refresh_if_stale)


def _wait_for_page(connect_timeout: float = 10.0) -> bool:
    """Block until Voila hands this preheated kernel to a page request; False if Voila could
    not be reached (then nothing waits).

    The protocol of ``voila.utils.wait_for_request``: Voila sends the request's details on
    the websocket ``/voila/query/<kernel id>`` when it gives the kernel to a page. Not that
    function itself: importing ``voila.utils`` imports Voila's whole server (3.7 s of CPU
    on an idle machine, 13 s under load), which would run after the request arrives and
    hold the page for that long; tornado is already loaded by the kernel.
    """
    kid = os.environ.get("VOILA_KERNEL_ID", "")
    if not kid:
        return False
    ip = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL") or os.environ.get("VOILA_SERVER_URL", "/")
    proto = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    url = f"{proto}://{ip}:{port}{base}voila/query/{kid}"
    got: dict = {}

    def run():
        import asyncio

        from tornado.websocket import websocket_connect

        async def wait():
            conn = await asyncio.wait_for(websocket_connect(url), connect_timeout)
            try:
                return await conn.read_message()
            finally:
                conn.close()

        loop = asyncio.new_event_loop()
        try:
            got["message"] = loop.run_until_complete(wait())
        except Exception as exc:  # noqa: BLE001 - no server: build as usual, nothing waits
            got["error"] = exc
        finally:
            loop.close()

    import threading

    t = threading.Thread(target=run, name="obec-wait-for-page", daemon=True)
    t.start()
    t.join()
    if "error" in got:
        _log.warning("could not wait for the page request: %s", got["error"])
    return got.get("message") is not None


def completeness_dashboard(root=None) -> None:
    """The main dashboard: every school's completeness, open errors and certification."""
    _show(CompletenessApp, root)


def certification_dashboard(root=None) -> None:
    """Certification progress against the calendar, and who to chase."""
    _show(CertificationApp, root)


def overview_dashboard(root=None) -> None:
    """Students by grade and sex against the last round; duplicates and invalid IDs."""
    _show(OverviewApp, root)
