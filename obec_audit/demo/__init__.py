"""The synthetic demo area (``obec-audit demo --out DIR``): the 104 real schools of area 5701
with about 20,000 synthetic students over four censuses, staff, M-OBEC, B-OBEC, the boarding
project list, and a ground truth naming every seeded error and every precision trap.

``generate(out, seed=5701, year=2569)`` writes it (same seed → same bytes);
``ensure_demo()`` generates it once into ``<repo>/data/demo`` (or ``~/obec_audit_demo`` when
the package is installed outside a checkout) and reuses it while the generator version, seed
and year are unchanged.

Folder names of the censuses are C.E. ISO dates: ``students/2026-06-10`` (round 1, census
10 June 2569), ``students/2026-07-05`` (round 2: the same 10 June census re-exported on 5 July
2569 after the schools fixed about 60 % of round 1's errors), ``students/2026-11-10``
(semester 2) and ``students/2027-03-31`` (end of year). ``ground_truth/censuses.csv`` gives each
folder's phase, census date (as-of) and previous census.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Callable


GENERATOR_VERSION = "1.2"
DEFAULT_SEED = 5701
DEFAULT_YEAR = 2569
STAMP = ".demo_stamp.json"
_MANAGED = ["students", "discharges", "class_counts", "staff", "mobec", "bobec", "ground_truth",
            "README.txt", "boarding_schools.csv", STAMP]

__all__ = ["generate", "ensure_demo", "default_demo_path", "GENERATOR_VERSION", "DEFAULT_SEED"]


def default_demo_path() -> Path:
    """``<repo>/data/demo`` when the package sits in a checkout (pyproject.toml next to it),
    else ``~/obec_audit_demo``."""
    pkg_parent = Path(__file__).resolve().parents[2]
    if (pkg_parent / "pyproject.toml").exists():
        return pkg_parent / "data" / "demo"
    return Path.home() / "obec_audit_demo"


def _stamp_ok(path: Path, seed: int, year: int) -> bool:
    f = path / STAMP
    if not f.exists():
        return False
    try:
        st = json.loads(f.read_text(encoding="utf-8"))
    except Exception:
        return False
    return st.get("version") == GENERATOR_VERSION and st.get("seed") == seed and st.get("year") == year


def ensure_demo(path: str | os.PathLike | None = None, seed: int = DEFAULT_SEED, year: int = DEFAULT_YEAR) -> Path:
    """The demo area, generated only when absent or made by another generator version."""
    path = Path(path) if path is not None else default_demo_path()
    if _stamp_ok(path, seed, year):
        return path
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    generate(tmp, seed=seed, year=year)
    if path.exists():
        if _stamp_ok(path, seed, year):  # someone else finished first
            shutil.rmtree(tmp)
            return path
        old = path.with_name(f"{path.name}.old-{os.getpid()}")
        path.rename(old)
        tmp.rename(path)
        shutil.rmtree(old, ignore_errors=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.rename(path)
    return path


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / STAMP).exists() and any(p.name not in _MANAGED for p in out.iterdir()):
            raise FileExistsError(f"{out} is not empty and is not a demo area: choose an empty folder")
        for name in _MANAGED:
            p = out / name
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
    out.mkdir(parents=True, exist_ok=True)


def generate(out: str | os.PathLike, seed: int = DEFAULT_SEED, year: int = DEFAULT_YEAR,
             progress: Callable | None = None, schools: int | None = None) -> Path:
    """Write the demo area into ``out`` and return its path.

    ``progress(done, total, label)`` is called after each step. ``schools`` limits the area to
    that many schools (for quick tests; counts scale down).
    """
    from obec_audit.demo.build import build_area

    out = Path(out)
    _prepare(out)
    t0 = time.perf_counter()
    build_area(out, seed=seed, year=year, progress=progress, n_schools=schools)
    (out / STAMP).write_text(json.dumps({"version": GENERATOR_VERSION, "seed": seed, "year": year,
                                         "schools": schools}, ensure_ascii=False), encoding="utf-8")
    _ = time.perf_counter() - t0
    return out
