"""tests/reports: its helper modules (reports_frames, reports_printed) importable; the demo census."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def demo_census():
    """The demo area's round-1 census folder, the area generated on first use (a fresh clone
    has none until a test or the workbook asks for it)."""
    from obec_audit.demo import ensure_demo

    return Path(ensure_demo()) / "students" / "2026-06-10"
