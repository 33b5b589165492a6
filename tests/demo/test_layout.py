"""The demo area's folder layout (``demo.layout``) and the dashboards' choice of rounds
(``demo.rounds``), on a small hand-made folder tree."""

import datetime as dt

import pytest

from obec_audit.dashboard_data import rounds as dd_rounds
from obec_audit.demo import layout
from obec_audit.demo import rounds as demo_rounds


@pytest.fixture
def area(tmp_path):
    for census in ("2026-06-10", "2026-07-05", "2026-11-10", "2027-03-31"):
        (tmp_path / "students" / census).mkdir(parents=True)
        (tmp_path / "class_counts" / census).mkdir(parents=True)
    for census in ("2026-11-10", "2027-03-31"):
        (tmp_path / "discharges" / census).mkdir(parents=True)
    (tmp_path / "staff" / "2026-06-10").mkdir(parents=True)
    for year in ("2568", "2569"):
        (tmp_path / "mobec" / year).mkdir(parents=True)
    (tmp_path / "bobec" / "2569").mkdir(parents=True)
    return tmp_path


def test_census_rounds(area):
    r1 = layout.round_inputs(area, "round1")
    assert r1["inputs"] == area / "students" / "2026-06-10" and r1["as_of"] == dt.date(2026, 6, 10)
    assert r1["staff"] == area / "staff" / "2026-06-10" and "previous" not in r1
    r2 = layout.round_inputs(area, "round2")
    assert r2["inputs"].name == "2026-07-05" and r2["as_of"] == dt.date(2026, 6, 10)
    s2 = layout.round_inputs(area, "semester2")
    assert s2["previous"] == area / "students" / "2026-07-05"  # June as certified in round 2
    assert s2["discharges"] == area / "discharges" / "2026-11-10" and "staff" not in s2
    ey = layout.round_inputs(area, "endyear")
    assert ey["previous"].name == "2026-11-10" and ey["as_of"] == dt.date(2027, 3, 31)
    assert all(layout.round_inputs(area, p)["phase"] == p for p in layout.PHASES)


def test_other_phases(area):
    st = layout.round_inputs(area, "start")
    assert st["inputs"].name == "2026-06-10"
    mo = layout.round_inputs(area, "mobec")
    assert mo["mobec"].name == "2569" and mo["mobec_previous"].name == "2568"
    assert mo["as_of"] == dt.date(2026, 10, 10) and "staff" not in mo
    bo = layout.round_inputs(area, "bobec")
    assert bo["bobec"].name == "2569" and "mobec" not in bo
    with pytest.raises(ValueError):
        layout.round_inputs(area, "lunch")


def test_a_given_rounds_folder_never_falls_back_on_the_demo(monkeypatch, tmp_path):
    def boom():
        raise AssertionError("the demo must not be built")

    monkeypatch.setattr(demo_rounds, "demo_rounds_choice", boom)
    monkeypatch.setattr(dd_rounds, "_officer_rounds_candidates", lambda: [])
    monkeypatch.setenv(dd_rounds.ROUNDS_ENV, str(tmp_path / "nowhere"))
    assert demo_rounds.dashboards_root().source == "none"
    assert dd_rounds.rounds_root().source == "none"
    monkeypatch.delenv(dd_rounds.ROUNDS_ENV)
    assert demo_rounds.dashboards_root(demo=False) is dd_rounds.NO_ROUNDS
    assert dd_rounds.rounds_root(demo=False) is dd_rounds.NO_ROUNDS
    # nothing given and nothing found: the demo stands in (here: the stub)
    with pytest.raises(AssertionError, match="demo must not"):
        demo_rounds.dashboards_root()
    with pytest.raises(AssertionError, match="demo must not"):
        dd_rounds.rounds_root()
