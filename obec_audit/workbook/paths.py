"""Where a notebook's data live: found from the notebook's own project, not from where the
package is installed.

A notebook runs with its folder (``notebooks/``) as the working directory. The project is the
nearest folder at or above it holding ``pyproject.toml`` or ``data/``; its ``data/`` holds the
demo area (``data/demo``), the officers' rounds (``data/rounds``) and ledgers
(``data/ledger``). Two clones of the project never write into each other's ``data/``.
Outside any project (an installed package run from a home folder) the project is
``~/obec_audit``.
"""

from __future__ import annotations

import os
from pathlib import Path

from obec_audit.demo import ensure_demo
from obec_audit.demo.layout import round_inputs

__all__ = [
    "project_root", "data_root", "demo_dir", "demo_inputs", "repo_root",
    "ROUND_PHASES", "PHASE_NOTEBOOK", "LEDGER_ROUND", "SIMULATED_LEDGER",
]

#: phases whose outputs are verification rounds (the dashboards list them)
ROUND_PHASES = ("round1", "round2", "semester2", "endyear")
#: the notebook of each phase
PHASE_NOTEBOOK = {
    "start": "01_start_of_year.ipynb",
    "round1": "02_round1.ipynb",
    "round2": "03_round2.ipynb",
    "mobec": "04_mobec.ipynb",
    "bobec": "05_bobec.ipynb",
    "semester2": "06_semester2.ipynb",
    "endyear": "07_end_of_year.ipynb",
}
#: certification ledger round for each phase (the ledger knows every phase but ``start``)
LEDGER_ROUND = {"start": "round1", "round1": "round1", "round2": "round2", "mobec": "mobec",
                "bobec": "bobec", "semester2": "semester2", "endyear": "endyear"}
#: the demo area's folder of simulated certification receipts (kept apart from ``ledger/``)
SIMULATED_LEDGER = "ledger-simulated"


def project_root(start: str | os.PathLike | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the working directory) holding
    ``pyproject.toml`` or ``data/``; ``~/obec_audit`` when there is none.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     (Path(d) / "pyproject.toml").write_text("", encoding="utf-8")
    ...     (Path(d) / "notebooks").mkdir()
    ...     project_root(Path(d) / "notebooks") == Path(d).resolve()
    0
    True
    """
    here = Path(start if start is not None else Path.cwd()).resolve()
    for p in (here, *here.parents):
        if (p / "pyproject.toml").is_file() or (p / "data").is_dir():
            return p
    return Path.home() / "obec_audit"


#: the name older code and tests use for the project folder
repo_root = project_root


def data_root(start: str | os.PathLike | None = None) -> Path:
    """``<project>/data``: the officers' working folders (git-ignored)."""
    return project_root(start) / "data"


def demo_dir(start: str | os.PathLike | None = None) -> Path:
    """The project's demo area ``<project>/data/demo``, generated once (seed
    ``obec_audit.demo.DEFAULT_SEED``: the same area for the tour, notebooks and dashboards)."""
    return Path(ensure_demo(data_root(start) / "demo"))


def demo_inputs(demo: Path, phase: str) -> dict:
    """``run_round`` keyword arguments for one phase of the demo area (``demo.layout``)."""
    return round_inputs(demo, phase)
