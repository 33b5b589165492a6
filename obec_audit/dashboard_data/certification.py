"""Certification progress for the dashboards: each school's status for a round from the
certification ledger, and the round's deadline from the calendar (aggregates only)."""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from obec_audit import calendar as cal
from obec_audit.calendar import CalendarError
from obec_audit.dashboard_data.labels import PHASE_TH, STATUS_TH, thai_date
from obec_audit.dashboard_data.rounds import RoundData, as_date, today
from obec_audit.ledger import CertificationLedger, LedgerError, default_ledger_dir

__all__ = ["LEDGER_ENV", "ledger_folder", "certification_status", "phase_deadline"]

LEDGER_ENV = "OBEC_AUDIT_LEDGER_DIR"  # the same variable as obec_audit.ledger


def ledger_folder(rd: RoundData | None = None) -> Path | None:
    """Where the certification ledger is: ``$OBEC_AUDIT_LEDGER_DIR``; else a ``ledger``
    folder beside the rounds folder (the demo area's, or an officer's ``data/ledger``); else
    the ledger's own default (``obec_audit.ledger.default_ledger_dir()``)."""
    env = os.environ.get(LEDGER_ENV, "").strip()
    if env:
        return Path(env)
    if rd is not None:
        root = rd.info.path.parent
        for c in (root.parent / "ledger", root / "ledger"):
            if c.is_dir():
                return c
    return default_ledger_dir()


def certification_status(rd: RoundData, today_: dt.date | None = None) -> pd.DataFrame:
    """school_code → status for the round's phase, from ``obec_audit.ledger``:
    ``certified`` (signed reports received on time), ``late`` (received after the deadline),
    ``overdue`` (not received, deadline passed), ``not_yet`` (not received, still time),
    ``unknown`` (no ledger, or it could not be read). Only the status and days late are kept
    (the ledger also holds who received the papers: not for the dashboards)."""
    codes = rd.schools["school_code"].tolist()
    base = pd.DataFrame({"school_code": codes, "status": "unknown", "days_late": 0})
    if not rd.info.phase or rd.info.as_of is None:
        return base
    try:
        led = CertificationLedger(ledger_folder(rd))
        year = cal.academic_year(rd.info.as_of)
        dl = _deadline(rd.info.phase, year)
        res = led.status(rd.info.phase, codes, today=today_ or today(), year=year,
                         **({"deadline": dl} if dl is not None else {}))
    except (LedgerError, CalendarError, OSError, ValueError):
        # an unreadable ledger or calendar must not take the dashboard down: status unknown
        return base
    if res is None or len(res) == 0 or "status" not in res.columns:
        return base
    st = res["status"].astype(str).str.replace("-", "_")
    if "overdue" in res.columns:
        st = st.where(~(st.eq("not_yet") & res["overdue"].astype(bool)), "overdue")
    st = st.where(st.isin(STATUS_TH.keys()), "unknown")
    m = dict(zip(res["school_code"].astype(str), st))
    days = dict(zip(res["school_code"].astype(str),
                    pd.to_numeric(res.get("days_late", 0), errors="coerce").fillna(0).astype(int)))
    base["status"] = base["school_code"].map(m).fillna("unknown")
    base["days_late"] = base["school_code"].map(days).fillna(0).astype("int64")
    return base


@lru_cache(maxsize=32)
def _deadline(phase: str, year_be: int) -> dt.date | None:
    """The calendar's deadline of a phase (cached: reading the calendar is not free)."""
    return as_date(cal.deadline_for(phase, year_be))


@lru_cache(maxsize=8)
def _current_round(day: dt.date):
    row = cal.current_round(day)
    if row is None:
        return None
    return (str(row.get("phase") or "") or None, as_date(row.get("deadline_ce")),
            str(row.get("status") or "") or None)


def phase_deadline(rd: RoundData, today_: dt.date) -> dict:
    """The round's phase, its deadline and days left (``obec_audit.calendar``), plus the
    calendar's current round on ``today_``."""
    phase, deadline = rd.info.phase, None
    cur_phase = cur_deadline = cur_status = None
    try:
        if rd.info.as_of is not None and phase:
            deadline = _deadline(phase, cal.academic_year(rd.info.as_of))
        row = _current_round(today_)
        if row is not None:
            cur_phase, cur_deadline, cur_status = row
    except (CalendarError, OSError, ValueError):
        pass  # a damaged calendar file: the dashboard shows no deadline rather than failing
    days_left = (deadline - today_).days if deadline else None
    return {
        "phase": phase, "phase_th": PHASE_TH.get(phase, phase), "deadline": deadline,
        "deadline_th": thai_date(deadline), "days_left": days_left,
        "calendar_phase": cur_phase,
        "calendar_phase_th": PHASE_TH.get(cur_phase, cur_phase or ""),
        "calendar_status": cur_status,
        "calendar_deadline": cur_deadline,
        "calendar_deadline_th": thai_date(cur_deadline),
        "calendar_days_left": (cur_deadline - today_).days if cur_deadline else None,
        "today": today_,
        "today_th": thai_date(today_),
    }
