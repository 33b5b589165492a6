"""What the three dashboards share: the page's frame (round selector, header, ready marker,
errors shown as a Thai message, never a traceback), small HTML helpers, and ``show`` which
builds a dashboard in a (possibly preheated) Voila kernel."""

from __future__ import annotations

import base64
import html
import logging
import os
import time
import warnings
from pathlib import Path

from obec_audit import dashboard_data as dd
from obec_audit.dashboards.server import READY_ENV

_log = logging.getLogger(__name__)
_log.addHandler(logging.NullHandler())
_log.propagate = False  # nothing from a kernel may reach the page (stderr is shown by Voila)

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


def esc(x) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def num(x) -> str:
    try:
        return f"{int(x):,}"
    except (TypeError, ValueError):
        return "–"


def pct(x) -> str:
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
        f'<div class="obec-kpi"><div class="obec-kpi-label">{esc(label)}</div>'
        f'<div class="obec-kpi-value {cls}" id="obec-kpi-{esc(key)}" data-value="{esc(v)}">'
        f'{esc(text if text is not None else num(value))}</div>'
        + (f'<div class="obec-kpi-note">{esc(note)}</div>' if note else "")
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


def csv_link(df, filename: str, label: str) -> str:
    dd.assert_aggregate_safe(df, "download")
    data = df.to_csv(index=False).encode("utf-8-sig")
    b64 = base64.b64encode(data).decode("ascii")
    return (f'<a class="obec-download" download="{esc(filename)}" '
            f'href="data:text/csv;charset=utf-8;base64,{b64}">⬇ {esc(label)}</a>')


ALL = "__all__"


class DashboardApp:
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
        sub = (f"{esc(info.label)} · วันนี้ {esc(dd.thai_date(self.today))}" if info else "")
        return (f'<h1>{esc(self.title)}</h1><div class="obec-sub">{esc(area)}{badge}</div>'
                f'<div class="obec-sub">{sub}</div>')

    def mark_ready(self, figures: int | None = None, empty: bool = False) -> None:
        figures = self.n_figures if figures is None else figures
        self.renders += 1
        self.ready.value = (
            f'<div id="obec-ready" class="obec-ready" data-dashboard="{self.name}" '
            f'data-figures="{int(figures)}" data-render="{self.renders}" '
            f'data-empty="{1 if empty else 0}"></div>')

    def message(self, text: str) -> None:
        self.body.children = [self.W.HTML(f'<div class="obec-msg">{esc(text)}</div>')]

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
        # the stamp is taken before the data are read: a receipt marked (or a round written)
        # while the page builds leaves the page stale, and its request then rebuilds it
        stamp = self.data_stamp()
        self.safe(self.render_round)
        self.stamp = stamp
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
        self.stamp = stamp  # as before the rebuild read the data (see ``start``)
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

        out = self.W.HTML(charts.to_svg(fig, svg_width(width)),
                          layout=self.W.Layout(width=width))
        self.n_figures += 1
        return out


def svg_width(width: str) -> int:
    """The drawing width (px) of a figure laid out at ``width`` on a ~1300 px page."""
    if width.endswith("px"):
        return int(float(width[:-2]))
    if width.endswith("%"):
        return int(13 * float(width[:-1]))
    return 1300



# ---------------------------------------------------------------------------- entry points
def show(app_cls, root=None):
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
    """Preheated kernels only: report "built" (``<name>.<kernel id>.ready``: ``wait_preheated``
    counts the pool, the paced refill waits for it), wait for the page's request, refresh if
    stale."""
    if os.environ.get("VOILA_PREHEAT") != "True":
        return
    ready = os.environ.get(READY_ENV, "")
    if ready:
        try:
            kid = os.environ.get("VOILA_KERNEL_ID", "")
            (Path(ready) / (f"{name}.{kid}.ready" if kid else f"{name}.ready")).touch()
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


