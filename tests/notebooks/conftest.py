"""Run the officers' notebooks in a temporary copy of the project (never in the checkout's
``data/demo``): ``pyproject.toml`` and ``notebooks/`` copied, ``data/demo`` a folder whose
entries point at the checkout's generated demo area (read only), so everything a notebook
writes (rounds, ledgers, records) lands in the copy."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest

from obec_audit.demo import ensure_demo
from obec_audit.demo import _stamp_ok as demo_is_ready
from obec_audit.demo import DEFAULT_SEED, DEFAULT_YEAR

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
#: the tour first: its simulated receipts must not show in 02 as received
ORDER = [p.name for p in NOTEBOOKS]


def make_project(dest: Path) -> Path:
    """A copy of the project at ``dest`` sharing the checkout's demo inputs read-only."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "pyproject.toml", dest / "pyproject.toml")
    shutil.copytree(REPO / "notebooks", dest / "notebooks", dirs_exist_ok=True)
    demo = dest / "data" / "demo"
    demo.mkdir(parents=True, exist_ok=True)
    src = REPO / "data" / "demo"
    if src.exists() and demo_is_ready(src.resolve(), DEFAULT_SEED, DEFAULT_YEAR):
        for entry in src.resolve().iterdir():
            link = demo / entry.name
            if not link.exists():
                os.symlink(entry, link)
    else:  # no demo in the checkout: generate one in the copy, not in the checkout
        ensure_demo(demo)
    return dest


def settings_off(nb) -> None:
    """Force ``SHOW_IDS = False`` in the settings cell (the first code cell)."""
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "SHOW_IDS" in first.source
    first.source += "\nSHOW_IDS = False  # the privacy test\n"


def execute(path: Path, timeout: int = 1200):
    """Run one notebook of the project copy in place (cwd: its folder); the executed notebook
    with its widget state."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    settings_off(nb)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=False,
                            store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nbformat.write(nb, path.with_name(path.stem + ".executed.ipynb"))
    return nb


@pytest.fixture(scope="session")
def project_factory():
    """``make_project`` for other tests (the browser test serves a copy with Voila)."""
    return make_project


@pytest.fixture(scope="session")
def executed(tmp_path_factory):
    """Every notebook executed once, in order, in one project copy: {name: notebook}."""
    proj = make_project(tmp_path_factory.mktemp("project"))
    done = {}
    for name in ORDER:
        done[name] = execute(proj / "notebooks" / name)
    return proj, done
