"""A round's output folder, replaced as a whole: rounds never mix in one ``--out``.

A round is written into a hidden folder beside ``--out`` (``.<name>.new-<pid>``); when it is
complete, an earlier round's folder is moved aside and the new one moved into place, then the
old one is removed. Entries that are not a round's files (an officer's own notes) are carried
over into the new folder; everything a round writes (:data:`ROUND_ENTRIES`) is replaced, so
a semester-2 run with ``--no-reports`` leaves no ``reports/`` of round 1 behind.
"""

from __future__ import annotations

import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

__all__ = ["ROUND_ENTRIES", "previous_round", "foreign_entries", "replacing"]

#: what ``run_round`` writes into ``--out`` (files and folders)
ROUND_ENTRIES: frozenset[str] = frozenset({
    "findings.csv", "students.csv", "completeness.csv", "school_completeness.csv", "files.csv",
    "movements.csv", "round.json", "reports", "summary.xlsx", "packs", "pdf",
})


def previous_round(out: Path) -> dict | None:
    """What an earlier round left in ``out``: its ``round.json`` (``phase``, ``as_of``, …),
    ``{}`` when only some of a round's files are there, None when there is none."""
    out = Path(out)
    if not out.is_dir():
        return None
    meta = out / "round.json"
    if meta.is_file():
        try:
            return dict(json.loads(meta.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return {}
    if any((out / n).exists() for n in ROUND_ENTRIES):
        return {}
    return None


def foreign_entries(out: Path) -> list[Path]:
    """Entries of ``out`` that are not a round's files (hidden ones ignored)."""
    out = Path(out)
    if not out.is_dir():
        return []
    return sorted(p for p in out.iterdir() if p.name not in ROUND_ENTRIES and not p.name.startswith("."))


@contextmanager
def replacing(out: Path):
    """Yield a fresh hidden folder beside ``out`` to write a round into; on success it becomes
    ``out`` (an earlier round there is replaced as a whole), on failure it is removed."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    new = out.with_name(f".{out.name}.new-{os.getpid()}")
    if new.exists():
        shutil.rmtree(new)
    new.mkdir()
    try:
        yield new
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    if not out.exists():
        os.replace(new, out)
        return
    for p in foreign_entries(out):
        os.replace(p, new / p.name)
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if old.exists():
        shutil.rmtree(old)
    os.replace(out, old)
    try:
        os.replace(new, out)
    except OSError:  # put the earlier round back rather than leave nothing
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
