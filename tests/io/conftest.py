"""Fixtures of the io tests (the file writers live in ``_iofiles``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from _iofiles import write_csv, write_xlsx  # noqa: E402

from obec_audit.io.aliases import LAYOUT_A_HEADERS, LAYOUT_B_HEADERS  # noqa: E402


@pytest.fixture
def xlsx():
    return write_xlsx


@pytest.fixture
def csvfile():
    return write_csv


@pytest.fixture
def headers_a():
    return list(LAYOUT_A_HEADERS)


@pytest.fixture
def headers_b():
    return list(LAYOUT_B_HEADERS)
