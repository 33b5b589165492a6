"""The checks: pure functions from canonical frames to tidy findings, registered with their
stable codes in ``registry``; one module per dataset (``students``, ``duplicates``,
``reconcile``, ``endofyear``, ``staff``, ``mobec``, ``bobec``); ``compare`` compares two
rounds' findings (not a check). Which checks run is ``registry.select(phase, inputs)``.
"""

from obec_audit.checks.registry import CheckInput, check_info, findings, register, run_checks, select

__all__ = ["CheckInput", "check_info", "findings", "register", "run_checks", "select"]
