"""obec_audit: the audit workbook of a Thai primary educational service area office (สพป.).

Loaders turn DMC exports into canonical frames (``obec_audit.io``), checks are registered
with their stable codes (``obec_audit.checks``), a round runs a phase's checks and writes the
contract's files (``obec_audit.round``). The module map is in DEVELOPERS.md.

The names below are the public API; ``import obec_audit`` stays light (each is loaded from its
module on first use).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: public name → the module that defines it
_HOMES: dict[str, str] = {
    "run_round": "obec_audit.round",
    "RoundResult": "obec_audit.round",
    "load_students": "obec_audit.io",
    "load_students_any": "obec_audit.io",
    "LoadResult": "obec_audit.io",
    "CheckInput": "obec_audit.checks.registry",
    "select": "obec_audit.checks.registry",
    "run_checks": "obec_audit.checks.registry",
    "check_info": "obec_audit.checks.registry",
    "CertificationLedger": "obec_audit.ledger",
    "DuplicateDecisions": "obec_audit.ledger",
    "mask_text": "obec_audit.privacy",
    "mask_ids": "obec_audit.privacy",
    "mask_frame": "obec_audit.privacy",
    "parse_date": "obec_audit.thaidate",
    "thai_date": "obec_audit.thaidate",
    "academic_year": "obec_audit.thaidate",
    "load_calendar": "obec_audit.calendar",
    "phase_on": "obec_audit.calendar",
    "open_round": "obec_audit.workbook",
    "generate": "obec_audit.demo",
    "ensure_demo": "obec_audit.demo",
}

__all__ = ["__version__", *_HOMES]


def __getattr__(name: str):
    # importing on first use keeps `import obec_audit` (and every submodule's import) from
    # loading pandas, the checks and the notebooks' widgets up front
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'obec_audit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
