"""Notebook 02 in a real browser: Voila (the package's CDN-free ``obec`` template) serving a
copy of the project, Debian's chromium driven by Playwright with every request outside
localhost blocked (the workshop room has no internet). Each widget must be drawn (no
"Loading widget…"), each figure too; screenshots go to ``artifacts/screenshots/notebooks/``.

Skipped when /usr/bin/chromium or Playwright is missing (unless CI is set: then it fails).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from browser import CHROMIUM, free_port, require_browser  # noqa: E402  (tests/browser.py)
from idscan import unmasked  # noqa: E402  (tests/idscan.py)

from obec_audit.dashboards import template_root

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "artifacts" / "screenshots" / "notebooks"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
#: notebook 02 reads 104 schools' files and writes 104 packs before the last cell
TIMEOUT_MS = 600_000
#: each widget by what only it draws: (its container's CSS, a text inside it)
WIDGETS = {
    "duplicates": ".widget-toggle-buttons button:has-text('ย้ายออก')",
    "findings": ".widget-button:has-text('หน้าถัดไป')",
    "certification": ".widget-button:has-text('บันทึกการรับเอกสาร')",
}




@pytest.fixture(scope="module")
def voila(project_factory, tmp_path_factory):
    require_browser()
    proj = project_factory(tmp_path_factory.mktemp("voila-project"))
    port = free_port()
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
            except urllib.error.HTTPError:  # the server answered: it is up
                break
            except OSError:
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
        for name, css in WIDGETS.items():
            loc = page.locator(css).first
            loc.scroll_into_view_if_needed()
            assert loc.is_visible(), name
            box = loc.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][last()]")
            box.screenshot(path=str(SHOTS / f"02-{name}.png"))
        assert page.get_by_text(re.compile(r"^ชุดที่ 1 / \d+")).first.is_visible()
        assert page.locator("input[type=date]").first.is_visible()
        assert page.locator("svg.obec-fig").count() == 4  # findings, completeness, grade×sex, certification
        # the findings filter answers: its next page comes from the kernel
        page.locator(WIDGETS["findings"]).first.click()
        page.get_by_text(re.compile(r"^หน้า 2 / \d+")).first.wait_for(timeout=60_000)
        page.screenshot(path=str(SHOTS / "02-full.png"), full_page=True)
        outputs = page.eval_on_selector_all(".jp-OutputArea-output", "els => els.map(e => e.innerHTML)")
        assert len(outputs) > 20
        leaks = [f for o in outputs for f in unmasked(o)]
        assert leaks == []
        assert "ค่าที่อ่านได้" in page.content()
        browser.close()
