"""tests/reports: its helper modules (reports_frames, reports_printed) importable."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
