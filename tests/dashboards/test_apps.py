"""The dashboard apps without a browser: they build, callbacks validate what they receive,
and no widget state holds a name or an ID."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("ipywidgets")

from obec_audit import dashboard_data as dd  # noqa: E402
from obec_audit import dashboards as D  # noqa: E402

#: a 13-digit ID, plain or printed with dashes, or a G-code, as a whole word (widget model ids
#: are hex strings that may hold 13 digits in a row: they are not IDs)
ID13 = re.compile(r"(?<![\d.])\b\d{13}\b|\b\d-\d{4}-\d{5}-\d{2}-\d\b|\bG\d{12}\b")


@pytest.fixture()
def env(monkeypatch, rounds_root, tmp_path):
    monkeypatch.setenv(dd.ROUNDS_ENV, str(rounds_root))
    monkeypatch.setenv(dd.TODAY_ENV, "2026-11-28")
    monkeypatch.setenv(dd.LEDGER_ENV, str(tmp_path / "ledger"))
    return rounds_root


def _walk(w, seen=None):
    import ipywidgets as W

    seen = seen if seen is not None else set()
    if id(w) in seen:
        return
    seen.add(id(w))
    yield w
    for name in w.keys:
        v = getattr(w, name)
        for x in (v if isinstance(v, (list, tuple)) else [v]):
            if isinstance(x, W.Widget):
                yield from _walk(x, seen)


def _state_text(app) -> str:
    parts = []
    for w in _walk(app.widget):
        st = w.get_state()
        parts.append(repr(st))
    return "\n".join(parts)


def _names(rounds_root) -> set[str]:
    names = set()
    for r in dd.list_rounds(rounds_root):
        st = pd.read_csv(r.path / "students.csv", dtype=str, encoding="utf-8-sig")
        names |= set(st["last_name"]) | set(st["first_name"] + " " + st["last_name"])
    return names


@pytest.mark.parametrize("cls", [D.CompletenessApp, D.CertificationApp, D.OverviewApp])
def test_app_builds_and_state_is_private(env, cls):
    app = cls()
    app.start()
    assert app.last_error is None
    assert 'id="obec-ready"' in app.ready.value
    text = _state_text(app)
    assert not ID13.search(text)
    names = _names(env)
    assert not any(n in text for n in names)
    assert "Traceback" not in text


def test_completeness_kpis_match_package(env):
    app = D.CompletenessApp()
    app.start()
    rd = dd.load_round(dd.list_rounds(env)[-1])
    h = dd.headline(rd)
    for key in ("schools", "students", "schools_with_errors"):
        m = re.search(rf'id="obec-kpi-{key.replace("_", "-")}" data-value="(\d+)"', app.kpis.value)
        assert m and int(m.group(1)) == h[key], key


def test_filters_and_forged_values(env):
    app = D.CompletenessApp()
    app.start()
    n_all = len(app.filtered())
    district = [v for _, v in app.f_district.options if v != D.ALL][0]
    app.f_district.value = district
    assert app.last_error is None
    f = app.filtered()
    assert 0 < len(f) < n_all and set(f["district"]) == {district}
    # a forged value (what a hand-made websocket message could carry) falls back to "all"
    for forged in ["<script>alert(1)</script>", "1101700230708", None, 10**9, ["x"], {"a": 1}]:
        app.f_district._trait_values["value"] = forged  # bypass the trait check, as a bug could
        st = app.filters_state()
        assert st["district"] == D.ALL
        app.refresh()
        assert app.last_error is None
        assert "<script>" not in app.table.value
    # the widget protocol itself refuses a value outside the options
    with pytest.raises(Exception):
        app.f_sort.value = "national_id"
    app.f_search.value = "<b>" * 100
    assert app.last_error is None and "<b>" not in app.table.value
    assert D.clean_search("\x00abc\n") == "abc"
    assert D.valid_choice(5, {"5"}, "d") == "d"


def test_forged_comm_message_does_not_break_app(env):
    app = D.CompletenessApp()
    app.start()
    before = app.table.value
    msg = {"content": {"data": {"method": "update", "state": {"index": 9999}, "buffer_paths": []}}}
    try:
        app.f_status._handle_msg(msg)
    except Exception:
        pass  # ipywidgets rejects it (the kernel logs it); the page must stay as it was
    assert app.table.value == before and app.last_error is None


def test_round_switch(env):
    app = D.OverviewApp()
    app.start()
    first = dd.list_rounds(env)[0].key
    app.round_select.value = first
    assert app.last_error is None
    assert "obec-kpi-students-change" not in app.body.children[0].value  # no previous round


def test_no_rounds_shows_message(monkeypatch, tmp_path):
    monkeypatch.setenv(dd.ROUNDS_ENV, str(tmp_path / "empty"))
    app = D.CompletenessApp()
    app.start()
    assert 'data-empty="1"' in app.ready.value
    assert "ไม่พบผลการตรวจ" in app.body.children[0].value


@pytest.mark.parametrize("cls", [D.CompletenessApp, D.OverviewApp])
def test_preheated_page_is_rebuilt_only_when_stale(env, monkeypatch, cls):
    import os
    import shutil

    app = cls()
    app.start()
    renders = app.renders
    assert app.refresh_if_stale() is False and app.renders == renders
    # the date moves on (a page preheated yesterday)
    monkeypatch.setenv(dd.TODAY_ENV, "2026-11-29")
    assert app.refresh_if_stale() is True and app.renders > renders
    assert app.today.isoformat() == "2026-11-29"
    assert app.refresh_if_stale() is False
    # a new round appears: it becomes the one shown
    last = dd.list_rounds(env)[-1].path
    new = env / "zz-endyear-2027-03-31"
    shutil.copytree(last, new)
    meta = (new / "round.json").read_text(encoding="utf-8")
    (new / "round.json").write_text(meta.replace('"semester2"', '"endyear"')
                                    .replace("2026-11-10", "2027-03-31"), encoding="utf-8")
    try:
        assert app.refresh_if_stale() is True
        assert app.current.key == new.name and app.round_select.value == new.name
        assert app.last_error is None
        # the ledger changes (papers received): rebuilt
        led = os.environ[dd.LEDGER_ENV]
        os.makedirs(led, exist_ok=True)
        (Path(led) / "x.csv").write_text("a\n", encoding="utf-8")
        assert app.refresh_if_stale() is True
        assert app.refresh_if_stale() is False
    finally:
        shutil.rmtree(new)


def test_outside_voila_nothing_waits(env, monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    app = D._show(D.CertificationApp)  # returns at once: no preheated kernel
    assert app is not None and app.last_error is None
    # a preheated kernel whose Voila cannot be reached does not hang either
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_KERNEL_ID", "nokernel")
    monkeypatch.setenv("VOILA_APP_PORT", "9")  # discard: nothing listens
    assert D._wait_for_page(connect_timeout=2) is False


@pytest.mark.parametrize("cls", [D.CompletenessApp, D.CertificationApp])
def test_data_changed_while_the_page_builds_makes_it_stale(env, monkeypatch, cls):
    """A receipt marked while a preheated kernel builds its page (after it read the ledger,
    before the build ended) must still reach the page: its request rebuilds it."""
    import os

    led = Path(os.environ[dd.LEDGER_ENV])
    led.mkdir(parents=True, exist_ok=True)
    app = cls()
    real = app.render_round
    marked = []

    def render_then_receipt():
        real()
        if not marked:  # the receipt lands once, during the first build
            (led / "receipt.csv").write_text("a\n", encoding="utf-8")
            marked.append(True)

    monkeypatch.setattr(app, "render_round", render_then_receipt)
    app.start()
    assert marked
    assert app.refresh_if_stale() is True
    assert app.refresh_if_stale() is False
