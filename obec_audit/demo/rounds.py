"""The demo area's rounds, run once for the dashboards and the trainers' tour."""

from __future__ import annotations

import os
from pathlib import Path

from obec_audit.dashboard_data.rounds import NO_ROUNDS, RootChoice, given_rounds_root, rounds_root
from obec_audit.demo import ensure_demo
from obec_audit.demo.layout import CENSUS_PHASES, round_inputs
from obec_audit.round import run_round

__all__ = ["ensure_demo_rounds", "demo_rounds_choice", "dashboards_root"]


def ensure_demo_rounds(root: str | os.PathLike | None = None, *, reports: bool = False,
                       progress: bool = False) -> Path:
    """Run the demo area's four census rounds once (into ``<demo>/rounds/``, one folder
    ``<phase>-<as-of ISO>`` each) and return that folder."""
    demo = ensure_demo()
    root = Path(root) if root is not None else demo / "rounds"
    for phase in CENSUS_PHASES:
        kw = round_inputs(demo, phase)
        out = root / f"{phase}-{kw['as_of'].isoformat()}"
        if (out / "round.json").exists():
            continue
        run_round(out=out, reports=reports, progress=progress, **kw)
    return root


def demo_rounds_choice() -> RootChoice:
    """The demo area's rounds as the dashboards' root (built on first use). Never raises: the
    dashboards open with a Thai message instead."""
    try:
        p = Path(ensure_demo_rounds())
    except (OSError, ValueError, RuntimeError):  # no disk space or write access, bad inputs
        return RootChoice(None, "none", "สร้างข้อมูลเขตตัวอย่างไม่สำเร็จ")
    choice = rounds_root(p)
    if choice.path is None:
        return RootChoice(None, "none", "ยังไม่มีผลการตรวจ")
    return RootChoice(choice.path, "demo", "ข้อมูลเขตตัวอย่าง (สังเคราะห์) ไม่ใช่ข้อมูลจริง")


def dashboards_root(explicit: str | os.PathLike | None = None, *, demo: bool = True) -> RootChoice:
    """The rounds the dashboards read: the folder given (``explicit``, ``$OBEC_AUDIT_ROUNDS``)
    or the officer's ``data/rounds``, else (``demo``) the demo area's rounds."""
    choice = given_rounds_root(explicit)
    if choice is not None:
        return choice
    return demo_rounds_choice() if demo else NO_ROUNDS
