"""Where the rounds are and reading them (only allow-listed columns: no ID, name or value).

The round root the dashboards read (``rounds_root()``):

1. the environment variable ``OBEC_AUDIT_ROUNDS`` (set by ``obec_audit.dashboards.serve``);
2. else the officer's ``data/rounds/`` (next to the package in a checkout, or under the
   current folder) if it holds at least one round;
3. else (``demo=True``) the demo area's rounds (``obec_audit.demo.rounds``).

A "round folder" holds ``findings.csv`` (and normally ``round.json``); rounds are ordered by
``round.json``'s ``as_of`` then ``generated_at`` (folder name when those are missing).
The folder given may also be one round itself: it is then the only round.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from obec_audit import reference
from obec_audit.dashboard_data.labels import PHASE_TH, thai_date
from obec_audit.thaidate import to_date

__all__ = ["ROUNDS_ENV", "TODAY_ENV", "RoundInfo", "RootChoice", "RoundData", "is_round_dir",
           "rounds_root", "given_rounds_root", "NO_ROUNDS", "list_rounds", "load_round", "round_stamp", "today", "as_date"]

ROUNDS_ENV = "OBEC_AUDIT_ROUNDS"
#: pretend today is this ISO date (demos, tests, training on last year's data)
TODAY_ENV = "OBEC_AUDIT_TODAY"


def as_date(value) -> dt.date | None:
    """``thaidate.to_date``, ``None`` for what is not a date (a damaged ``round.json``).

    >>> as_date('2026-06-10'), as_date('not a date')
    (datetime.date(2026, 6, 10), None)
    """
    try:
        return to_date(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class RoundInfo:
    path: Path
    key: str
    phase: str
    as_of: dt.date | None
    area_code: str
    area_name: str
    generated_at: str

    @property
    def label(self) -> str:
        """Thai label: ``ตรวจสอบและรับรองข้อมูล ครั้งที่ 1 (ข้อมูล ณ 10 มิ.ย. 2569)``."""
        name = PHASE_TH.get(self.phase, self.phase or self.key)
        return f"{name} (ข้อมูล ณ {thai_date(self.as_of)})" if self.as_of else name

    @property
    def sort_key(self):
        return (self.as_of or dt.date.min, self.generated_at, self.key)


@dataclass(frozen=True)
class RootChoice:
    path: Path | None
    source: str  # env / officer / demo / none
    message_th: str = ""


def is_round_dir(p: Path) -> bool:
    return (p / "findings.csv").is_file() or (p / "round.json").is_file()


def _has_rounds(p: Path) -> bool:
    if not p.is_dir():
        return False
    if is_round_dir(p):
        return True
    return any(is_round_dir(c) for c in p.iterdir() if c.is_dir())


def _officer_rounds_candidates() -> list[Path]:
    here = Path(__file__).resolve().parent.parent
    cwd = Path.cwd()
    out = []
    for base in (here, cwd, cwd.parent):
        p = base / "data" / "rounds"
        if p not in out:
            out.append(p)
    return out


#: what ``rounds_root`` says when there is nothing to show
NO_ROUNDS = RootChoice(None, "none", "ยังไม่มีผลการตรวจ")


def given_rounds_root(explicit: str | os.PathLike | None = None) -> RootChoice | None:
    """The rounds folder given (``explicit``, else ``$OBEC_AUDIT_ROUNDS``) or the officer's;
    ``None`` when none was given and the officer has none (the demo area may stand in)."""
    if explicit is not None:
        p = Path(explicit).expanduser()
        if _has_rounds(p):
            return RootChoice(p.resolve(), "explicit")
        return RootChoice(None, "none", f"ไม่พบผลการตรวจในโฟลเดอร์ {p.name}")
    env = os.environ.get(ROUNDS_ENV, "").strip()
    if env:
        p = Path(env).expanduser()
        if _has_rounds(p):
            return RootChoice(p.resolve(), "env")
        return RootChoice(None, "none", f"ไม่พบผลการตรวจในโฟลเดอร์ที่กำหนด ({p.name})")
    for p in _officer_rounds_candidates():
        if _has_rounds(p):
            return RootChoice(p.resolve(), "officer")
    return None


def rounds_root(explicit: str | os.PathLike | None = None, *, demo: bool = True) -> RootChoice:
    """Which rounds folder the dashboards read (module docstring). Never raises."""
    choice = given_rounds_root(explicit)
    if choice is not None:
        return choice
    if demo:
        # running the demo's rounds is obec_audit.demo's job; imported here only when asked
        # for, because dashboards.py relies on this fallback (entry points that call the demo
        # themselves use obec_audit.demo.rounds.dashboards_root, which does the same)
        from obec_audit.demo.rounds import demo_rounds_choice

        return demo_rounds_choice()
    return NO_ROUNDS


def _read_meta(p: Path) -> dict:
    try:
        return json.loads((p / "round.json").read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return {}


def _round_info(p: Path) -> RoundInfo:
    meta = _read_meta(p)
    as_of = as_date(meta.get("as_of"))
    phase = str(meta.get("phase") or "")
    if not phase or as_of is None:  # fall back on the folder name: <phase>-<YYYY-MM-DD>
        m = re.match(r"^([a-z0-9]+)[-_](\d{4}-\d{2}-\d{2})$", p.name)
        if m:
            phase = phase or m.group(1)
            as_of = as_of or as_date(m.group(2))
    return RoundInfo(
        path=p, key=p.name, phase=phase, as_of=as_of,
        area_code=str(meta.get("area_code") or ""), area_name=str(meta.get("area_name") or ""),
        generated_at=str(meta.get("generated_at") or ""),
    )


def list_rounds(root: str | os.PathLike | None) -> list[RoundInfo]:
    """The rounds under ``root`` (or ``root`` itself if it is one), oldest first."""
    if root is None:
        return []
    root = Path(root)
    if not root.is_dir():
        return []
    if is_round_dir(root):
        return [_round_info(root)]
    rounds = [_round_info(c) for c in root.iterdir() if c.is_dir() and is_round_dir(c)]
    return sorted(rounds, key=lambda r: r.sort_key)


# ---------------------------------------------------------------------------- loading
#: the only student columns ever read (no ID, no name, no birth date)
_STUDENT_COLS = ("school_code", "school_name", "id_type", "sex", "grade", "district")
#: the only finding columns ever read (no ID, value, message or name)
_FINDING_COLS = ("check", "severity", "school_code", "field", "group", "dataset")


@dataclass
class RoundData:
    info: RoundInfo
    students: pd.DataFrame  # school_code, school_name, id_type, sex, grade, district
    findings: pd.DataFrame  # check, severity, school_code, field, group, dataset
    completeness: pd.DataFrame  # school_code, field, rows, missing
    school_completeness: pd.DataFrame  # school_code, students, cells, missing_cells
    schools: pd.DataFrame = field(default_factory=pd.DataFrame)  # the area's registry


def _read_csv(path: Path, cols) -> pd.DataFrame:
    if not path.is_file():
        return pd.DataFrame({c: pd.Series(dtype="string") for c in cols})
    wanted = set(cols)
    try:
        df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False,
                         usecols=lambda c: c in wanted, engine="c")
    except (ValueError, pd.errors.EmptyDataError, UnicodeDecodeError):
        return pd.DataFrame({c: pd.Series(dtype="string") for c in cols})
    for c in cols:
        if c not in df.columns:
            df[c] = ""
    return df[list(cols)]


@lru_cache(maxsize=16)
def _load_cached(path: str, stamp: tuple) -> RoundData:
    p = Path(path)
    info = _round_info(p)
    students = _read_csv(p / "students.csv", _STUDENT_COLS)
    findings = _read_csv(p / "findings.csv", _FINDING_COLS)
    comp = _read_csv(p / "completeness.csv", ("school_code", "field", "rows", "missing"))
    for c in ("rows", "missing"):
        comp[c] = pd.to_numeric(comp[c], errors="coerce").fillna(0).astype("int64")
    sc = _read_csv(p / "school_completeness.csv",
                   ("school_code", "students", "cells", "missing_cells"))
    for c in ("students", "cells", "missing_cells"):
        sc[c] = pd.to_numeric(sc[c], errors="coerce").fillna(0).astype("int64")
    schools = _area_schools(info.area_code, students)
    return RoundData(info, students, findings, comp, sc, schools)


_ROUND_FILES = ("round.json", "students.csv", "findings.csv", "completeness.csv",
                "school_completeness.csv")


def round_stamp(path: str | os.PathLike) -> tuple:
    """(file, modification time) of the files a round is read from (0 when absent)."""
    p = Path(path)
    out = []
    for n in _ROUND_FILES:
        try:
            out.append((n, (p / n).stat().st_mtime_ns))
        except OSError:
            out.append((n, 0))
    return tuple(out)


def load_round(r: RoundInfo | str | os.PathLike) -> RoundData:
    """Read one round folder (only the allow-listed columns); cached on the files' mtimes."""
    p = Path(r.path if isinstance(r, RoundInfo) else r).resolve()
    return _load_cached(str(p), round_stamp(p))


def _area_schools(area_code: str, students: pd.DataFrame) -> pd.DataFrame:
    """The area's registry (smis8 → school_name, level_type) plus schools seen in the data."""
    reg = reference.schools(area_code) if area_code else pd.DataFrame()
    reg = reg.reindex(columns=["smis8", "school_name", "level_type"]).rename(
        columns={"smis8": "school_code"})
    if not area_code and len(students):
        # no area in round.json: registry rows for the schools present
        allreg = reference.schools(None).rename(columns={"smis8": "school_code"})
        reg = allreg[allreg["school_code"].isin(students["school_code"].unique())][
            ["school_code", "school_name", "level_type"]]
    seen = students.loc[students["school_code"].ne(""), ["school_code", "school_name"]]
    seen = seen.drop_duplicates("school_code")
    extra = seen[~seen["school_code"].isin(reg["school_code"])]
    out = pd.concat([reg, extra.assign(level_type="")], ignore_index=True)
    out["school_name"] = out["school_name"].fillna("").astype(str)
    out.loc[out["school_name"].eq(""), "school_name"] = "โรงเรียน " + out["school_code"]
    out["level_type"] = out["level_type"].fillna("").astype(str)
    return out.drop_duplicates("school_code").reset_index(drop=True)


def today() -> dt.date:
    """Today, or ``OBEC_AUDIT_TODAY`` (ISO) when set."""
    d = as_date(os.environ.get(TODAY_ENV) or None)
    return d or dt.date.today()
