"""The demo area's folder layout, in one place: which folders feed which phase's round.

``round_inputs(demo, phase)`` gives the ``obec_audit.round.run_round`` keyword arguments of
one phase on a folder laid out like the demo area (``obec-audit demo --out DIR``); the
workbook, the notebooks, the benchmarks and the dashboards' demo rounds all call it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from obec_audit import calendar as cal

__all__ = ["CENSUS_PHASES", "PHASES", "censuses", "census_as_of", "round_inputs"]

#: the demo's four student censuses, oldest first (``students/<C.E. ISO date>/``)
CENSUS_PHASES: tuple[str, ...] = ("round1", "round2", "semester2", "endyear")
#: every phase the demo area has inputs for
PHASES: tuple[str, ...] = ("start", *CENSUS_PHASES[:2], "mobec", "bobec", *CENSUS_PHASES[2:])


def _subdirs(p: Path) -> list[Path]:
    return sorted(c for c in p.iterdir() if c.is_dir()) if p.is_dir() else []


def censuses(demo: str | os.PathLike) -> dict[str, str]:
    """Phase → census folder name (``students/`` subfolders in date order)."""
    names = [p.name for p in _subdirs(Path(demo) / "students")]
    return dict(zip(CENSUS_PHASES, names))


def census_as_of(folder_name: str) -> dt.date:
    """The census date of a census folder: its name, except round 2's re-export (1–5 July),
    which re-checks the 10 June census.

    >>> census_as_of('2026-07-05'), census_as_of('2026-11-10')
    (datetime.date(2026, 6, 10), datetime.date(2026, 11, 10))
    """
    d = dt.date.fromisoformat(folder_name)
    if d.month == 7 and d.day <= 5:
        return d.replace(month=6, day=10)
    return d


def _census_inputs(demo: Path, phase: str) -> dict:
    by_phase = censuses(demo)
    cur = by_phase[phase]
    kw: dict = dict(inputs=demo / "students" / cur, as_of=census_as_of(cur), phase=phase,
                    boarding_schools=demo / "boarding_schools.csv")
    if phase == "semester2":
        # the June census as certified after round 2
        kw["previous"] = demo / "students" / by_phase["round2"]
    if phase == "endyear":
        kw["previous"] = demo / "students" / by_phase["semester2"]
    for name in ("discharges", "class_counts"):
        p = demo / name / cur
        if p.exists():
            kw[name] = p
    if phase in ("round1", "round2"):
        p = demo / "staff" / by_phase["round1"]
        if p.exists():
            kw["staff"] = p
    return kw


def round_inputs(demo: str | os.PathLike, phase: str) -> dict:
    """The ``run_round`` keyword arguments of ``phase`` on the demo area at ``demo``.

    ``start`` runs on round 1's census; ``mobec`` / ``bobec`` (10 October) on round 2's export
    with the year's ``mobec/<B.E. year>`` (and last year's) or ``bobec/<B.E. year>`` folder.
    """
    demo = Path(demo)
    if phase in CENSUS_PHASES:
        return _census_inputs(demo, phase)
    if phase == "start":
        return {**_census_inputs(demo, "round1"), "phase": "start"}
    if phase not in ("mobec", "bobec"):
        raise ValueError(f"ไม่รู้จักช่วงงาน {phase!r}; ใช้ได้: {', '.join(PHASES)} (unknown phase)")
    kw = _census_inputs(demo, "round2")
    kw.pop("staff", None)
    year = cal.academic_year(kw["as_of"])
    kw["phase"] = phase
    kw["as_of"] = cal.deadline_for(phase, year) or dt.date(year - 543, 10, 10)
    folders = {p.name: p for p in _subdirs(demo / phase)}
    cur = folders.get(str(year)) or (folders[sorted(folders)[-1]] if folders else None)
    if cur is not None:
        kw[phase] = cur
    if phase == "mobec" and str(year - 1) in folders:
        kw["mobec_previous"] = folders[str(year - 1)]
    return kw
