"""What the browser tests share: Debian's chromium (``.ci/run`` installs it), a skip where it
or Playwright is missing (a failure in CI), a free local port."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"


def require_browser() -> None:
    why = None
    if not Path(CHROMIUM).exists():
        why = f"{CHROMIUM} is missing (apt-get install chromium fonts-thai-tlwg)"
    else:
        try:
            import playwright.sync_api  # noqa: F401  (only whether it is installed)
        except ImportError:
            why = "the playwright Python package is missing"
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"browser test cannot run in CI: {why}")
        pytest.skip(why)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
