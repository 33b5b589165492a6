"""Notebook 02 in a real browser: Voila (the package's CDN-free ``obec`` template) serving a
copy of the project, Debian's chromium driven by Playwright with every request outside
localhost blocked (the workshop room has no internet). Each widget must be drawn (no
"Loading widget…"), each figure too; screenshots go to ``artifacts/screenshots/notebooks/``.

Skipped when /usr/bin/chromium or Playwright is missing (unless CI is set: then it fails).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from obec_audit.dashboards import template_root
from obec_audit.privacy import ID_IN_TEXT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "artifacts" / "screenshots" / "notebooks"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
#: notebook 02 reads 104 schools' files and writes 104 packs before the last cell
TIMEOUT_MS = 600_000
#: what each widget draws (its own controls' labels)
WIDGETS = {
    "duplicates": ["ผลการพิจารณา", "ถัดไป"],
    "findings": ["การตรวจ", "หน้าถัดไป"],
    "certification": ["วันที่รับ", "บันทึกการรับเอกสาร"],
}


def _require_browser():
    why = None
    if not Path(CHROMIUM).exists():
        why = f"{CHROMIUM} is missing (apt-get install chromium fonts-thai-tlwg)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            why = "the playwright Python package is missing"
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"browser test cannot run in CI: {why}")
        pytest.skip(why)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def voila(project_factory, tmp_path_factory):
    _require_browser()
    proj = project_factory(tmp_path_factory.mktemp("voila-project"))
    port = _free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]])
    env["JUPYTER_PATH"] = os.pathsep.join([str(template_root()), *[p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]])
    log = proj / "voila.log"
    argv = [sys.executable, "-m", "voila", "02_round1.ipynb", f"--port={port}", "--no-browser",
            "--template=obec", "--Voila.ip=127.0.0.1", "--VoilaConfiguration.file_allowlist=[]",
            "--MappingKernelManager.cull_idle_timeout=0", "--VoilaExecutor.timeout=900"]
    with open(log, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen(argv, cwd=proj / "notebooks", env=env, stdout=fh, stderr=subprocess.STDOUT)
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2)
                break
            except Exception:
                if proc.poll() is not None:
                    raise AssertionError(log.read_text(encoding="utf-8")[-3000:])
                time.sleep(0.5)
        yield {"url": f"http://127.0.0.1:{port}/", "project": proj, "log": log}
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_notebook_02_draws_every_widget_and_figure_offline(voila):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1")
                   else r.abort())
        page.goto(voila["url"], timeout=TIMEOUT_MS, wait_until="domcontentloaded")
        # the last cell (the record of the round) is drawn once every cell has run
        page.wait_for_selector("text=บันทึกผลการตรวจเป็นหน้าเว็บแล้ว", timeout=TIMEOUT_MS)
        page.wait_for_function("!document.body.innerText.includes('Loading widget')", timeout=60_000)
        time.sleep(2)
        text = page.inner_text("body")
        assert "Error displaying widget" not in text and "Traceback" not in text
        for name, labels in WIDGETS.items():
            for label in labels:
                loc = page.get_by_text(label, exact=True).first
                assert loc.is_visible(), (name, label)
        views = page.locator(".jupyter-widgets.widget-container, .widget-vbox")
        assert views.count() >= 3
        assert page.locator("svg.obec-fig").count() == 4  # findings, completeness, grade×sex, certification
        # the findings filter: choose a severity, the table and its pages change
        page.get_by_text("หน้าถัดไป", exact=True).first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "02-findings-filter.png"))
        page.get_by_text("บันทึกการรับเอกสาร", exact=True).first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "02-certification.png"))
        page.get_by_text("ผลการพิจารณา", exact=True).first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "02-duplicates.png"))
        page.screenshot(path=str(SHOTS / "02-full.png"), full_page=True)
        html = page.content()
        assert [m.group(0) for m in ID_IN_TEXT.finditer(text)] == []
        assert "ค่าที่อ่านได้" in html
        browser.close()
