"""Every officer's notebook run with ``SHOW_IDS = False`` in a copy of the project, then every
output (text, HTML, SVG, widget state) and every saved record scanned for an identifier
shown in full (``obec_audit.privacy.ID_IN_TEXT``: 13-digit IDs, 12-digit IDs that lost their
leading 0, 11-digit staff IDs, any run of 9+ digits, G-codes)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from nbconvert import HTMLExporter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from idscan import unmasked  # noqa: E402  (tests/idscan.py)

#: the tour first: its simulated receipts must not show in 02 as received
ORDER = sorted(p.name for p in (Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))

pytestmark = pytest.mark.slow

def _strings(x):
    if isinstance(x, dict):
        for v in x.values():
            yield from _strings(v)
    elif isinstance(x, list):
        for v in x:
            yield from _strings(v)
    elif isinstance(x, str) and not x.startswith("IPY_MODEL_"):
        yield x


def shown_texts(nb):
    """(cell index, kind, text) of every output and every string of the widget state."""
    for i, c in enumerate(nb.cells):
        for o in c.get("outputs", []):
            if "text" in o:
                yield i, "stream", o["text"]
            for k, v in o.get("data", {}).items():
                if not k.startswith("image/"):
                    yield i, k, v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
    for s in _strings(nb.metadata.get("widgets", {})):
        yield -1, "widget-state", s


def test_the_scan_finds_what_it_must():
    for raw in ("1101700230708", "570149302491", "31006001234", "1-1017-00230-70-8", "G644200000001",
                "1.57013E+12"):
        assert unmasked(f"<td>{raw}</td>") == [raw], raw
    for fine in ("1xxxxxxxxxxx8", "57010001", "10/06/2569", '<svg viewBox="0 0 900 1946">', "id-8b2a-4e07-9f",
                 'id="5a1c9f3e-2081-4796-8901-0a1b2c3d4e5f"', "59913232-9326-4abc-8def-0123456789ab"):
        assert unmasked(fine) == [], fine


@pytest.mark.parametrize("name", ORDER)
def test_no_identifier_shown_in_full(executed, name):
    _, nbs = executed
    nb = nbs[name]
    hits = [(i, k, h) for i, k, t in shown_texts(nb) for h in unmasked(t)]
    assert hits == [], hits[:10]
    assert any(k == "widget-state" for _, k, _ in shown_texts(nb)) or "widget" not in json.dumps(
        [c.source for c in nb.cells])


@pytest.mark.parametrize("name", ORDER)
def test_tables_and_figures_an_officer_reads(executed, name):
    _, nbs = executed
    html = "\n".join(t for _, k, t in shown_texts(nbs[name]) if k in ("text/html", "widget-state"))
    assert "&lt;NA&gt;" not in html and ">nan<" not in html.lower()
    assert 'class="dataframe' not in html  # no raw pandas table
    assert "rows ×" not in html
    kinds = {k for c in nbs[name].cells for o in c.get("outputs", []) for k in o.get("data", {})}
    assert not any("plotly" in k for k in kinds)  # figures are inline SVG
    errors = [o for c in nbs[name].cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []


@pytest.mark.parametrize("name", [n for n in ORDER if not n.startswith("00")])
def test_self_check_passes_on_the_demo(executed, name):
    _, nbs = executed
    text = "\n".join(t for _, k, t in shown_texts(nbs[name]) if k == "text/plain")
    assert "ตรวจทานตัวเลข: ผ่านทุกข้อ" in text and "ไม่ผ่าน:" not in text


def test_tour_self_checks_every_round_and_says_why_errors_rise(executed):
    _, nbs = executed
    tour = nbs[ORDER[0]]
    text = "\n".join(t for _, k, t in shown_texts(tour) if k == "text/plain")
    assert text.count("ตรวจทานตัวเลข: ผ่านทุกข้อ") == 4 and "ไม่ผ่าน:" not in text
    md = "\n".join(c.source for c in tour.cells if c.cell_type == "markdown")
    assert "เพิ่มขึ้น" in md and "เทียบกับรอบก่อน" in md
    assert any("errors_by_round" in c.source for c in tour.cells if c.cell_type == "code")


def test_round1_chart_not_titled_as_a_comparison(executed):
    _, nbs = executed
    svgs = [t for _, k, t in shown_texts(nbs["02_round1.ipynb"]) if k == "text/html" and "<svg" in t]
    grade = [s for s in svgs if "นักเรียนแยกชั้นและเพศ" in s]
    assert grade and all("เทียบกับรอบก่อน" not in s for s in grade)
    end = [t for _, k, t in shown_texts(nbs["07_end_of_year.ipynb"]) if k == "text/html" and "นักเรียนแยกชั้นและเพศ" in t]
    assert end and "เทียบกับรอบก่อน" in end[0]


def test_simulated_receipts_kept_apart_from_round1(executed):
    proj, nbs = executed
    demo = proj / "data" / "demo"
    sim = (demo / "ledger-simulated" / "certification.csv").read_text(encoding="utf-8-sig")
    assert len(sim.splitlines()) > 20  # the tour recorded its simulated receipts there
    real = demo / "ledger" / "certification.csv"
    assert not real.exists() or len(real.read_text(encoding="utf-8-sig").splitlines()) <= 1
    status = [t for i, k, t in shown_texts(nbs["02_round1.ipynb"])
              if k == "text/html" and "วันที่รับเอกสาร" in t]
    assert status and all("ส่งแล้ว" not in s for s in status)
    tour = "\n".join(t for _, k, t in shown_texts(nbs[ORDER[0]]) if k == "text/html")
    assert "จำลอง" in tour


def test_records_are_offline_masked_and_complete(executed):
    proj, _ = executed
    records = sorted((proj / "data" / "demo" / "rounds").rglob("record.html"))
    assert len(records) == 7  # one per phase notebook
    for r in records:
        page = r.read_text(encoding="utf-8")
        assert unmasked(page) == [], (r, unmasked(page)[:5])
        assert "<script" not in page and "http" not in page.replace("http://www.w3.org/2000/svg", "")
        assert page.count('class="obec-widget"') >= 1  # widgets as their last state
    page02 = next(r for r in records if "round1-" in str(r)).read_text(encoding="utf-8")
    assert page02.count('<svg class="obec-fig"') == 4  # every figure of 02
    assert "ค่าที่อ่านได้" in page02  # the findings filter's table, as last shown


@pytest.mark.parametrize("name", ["00_workshop_tour.ipynb", "02_round1.ipynb"])
def test_exported_html_shows_every_figure(executed, name):
    _, nbs = executed
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nbs[name])
    figures = sum(1 for c in nbs[name].cells for o in c.get("outputs", [])
                  if "<svg class=\"obec-fig\"" in o.get("data", {}).get("text/html", ""))
    assert figures >= 4
    assert body.count('<svg class="obec-fig"') == figures  # inline: no script, no CDN to draw them
