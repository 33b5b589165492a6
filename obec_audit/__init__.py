"""obec_audit: the audit workbook of a Thai primary educational service area office (สพป.).

Loaders turn DMC exports into canonical frames (``obec_audit.io``), checks are registered
with their stable codes (``obec_audit.checks``), a round runs a phase's checks and writes the
contract's files (``obec_audit.round``).
"""

__version__ = "0.1.0"
