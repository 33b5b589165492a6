"""The supervisors' read-only dashboards (Voila) and the command that serves them.

Two parts: ``server`` (the Voila launcher, ``serve``) and ``apps`` (the three dashboards).
Everything the notebooks, the command line and the tests use is named here.

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

Speed (BENCHMARKS.md, "Dashboards"): Voila preheats kernels per dashboard (``voila.json``:
2; ``serve(pool_size=N)``, ``obec-audit dashboards --pool-size N`` for a meeting) so a page's
HTML is served at once, and ``pool.PacedKernelManager`` refills the pool after a rush, one
kernel at a time; ``serve`` says "ready" only when every dashboard's page
is built (``wait_preheated``); a preheated page is rebuilt on request only if the rounds,
the ledger or the date changed since (``_after_display``). The "obec" template is Voila's
lab template without its Font Awesome links to a CDN (render-blocking on an office network
that drops outside traffic), and the plotly and pygments extensions are not loaded.
"""

# Names are loaded on first use (PEP 562): the Voila server imports only
# ``obec_audit.dashboards.pool`` (its kernel manager) and must not pay for pandas and the
# dashboards (≈ 0.9 s of CPU and ≈ 90 MB per server); kernels and tests see no difference.
_APPS = ["ALL", "CertificationApp", "CompletenessApp", "DashboardApp", "OverviewApp",
         "certification_dashboard", "clean_search", "completeness_dashboard",
         "overview_dashboard", "show", "valid_choice"]
_SERVER = ["MAX_POOL_SIZE", "NOTEBOOKS", "READY_ENV", "VoilaCommand", "_wait_until_up",
           "built_pages", "check_pool_size", "config_dir", "dashboards_dir", "notebook_json",
           "parse_pool_size", "serve", "stop", "template_root", "tree_memory", "voila_command", "wait_preheated",
           "write_notebooks"]
_WHERE = {**{n: "obec_audit.dashboards.apps" for n in _APPS},
          **{n: "obec_audit.dashboards.server" for n in _SERVER},
          "_wait_for_page": "obec_audit.dashboards.apps.base",  # tests
          "_show": "obec_audit.dashboards.apps"}  # the single-module era's name (tests)


def __getattr__(name: str):
    import importlib

    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), "show" if name == "_show" else name)
        globals()[name] = value
        return value
    if name in ("apps", "server", "pool"):
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_WHERE])


__all__ = [
    "serve", "stop", "voila_command", "VoilaCommand", "wait_preheated", "dashboards_dir",
    "config_dir", "template_root", "NOTEBOOKS", "READY_ENV", "notebook_json", "write_notebooks",
    "MAX_POOL_SIZE", "check_pool_size", "parse_pool_size", "built_pages", "tree_memory",
    "completeness_dashboard", "certification_dashboard", "overview_dashboard",
    "CompletenessApp", "CertificationApp", "OverviewApp", "DashboardApp", "ALL",
    "valid_choice", "clean_search", "show",
]
