"""The notebooks' facade: one call per notebook cell.

Every notebook of ``notebooks/`` opens one phase of the calendar (DOMAIN.md §2) with
:func:`open_round` and then calls one method per cell. Each method returns something Jupyter,
Voila and an exported HTML page all show: an officer's table (Thai headers, no index, IDs
masked), a small HTML box, an inline-SVG figure or a widget.

>>> wb = open_round("round1")                     # doctest: +SKIP
>>> wb.load()            # files read, with a progress bar            # doctest: +SKIP
>>> wb.check()           # findings by check; writes findings.csv …  # doctest: +SKIP
>>> wb.self_check()      # the key figures counted again from the files  # doctest: +SKIP
>>> wb.save_record()     # <out_dir>/record.html, readable offline     # doctest: +SKIP

The package: ``paths`` (data folders found from the notebook's own project), ``display``
(tables an officer reads), ``figures`` (inline SVG), ``core`` (the Workbook, reading and
checking, per-school tables), ``review`` (duplicate sets, certification), ``compare`` (round
over round, movements), ``record`` (the offline record and the self-check).

Defaults
--------
``data_dir=None`` means the project's demo area (``data/demo``, generated once with
``obec_audit.demo.DEFAULT_SEED``): outputs go to ``<demo>/rounds/``, ledgers to
``<demo>/ledger/`` and a trainer's simulated receipts to ``<demo>/ledger-simulated/``, so a
trainer's clicks never reach an officer's real ledger. Officers give ``data_dir`` (e.g.
``data/real/2569-06-10``): outputs go to ``<project>/data/rounds/<phase>-<as_of>/`` and the
ledgers to ``<project>/data/ledger/`` (both git-ignored).

Privacy (PDPA)
--------------
Every value shown is masked by ``obec_audit.privacy`` (one style, ``1xxxxxxxxxxx8``) unless
the workbook was opened with ``show_ids=True``. The report packs written for the school
directors keep the full IDs (the school needs them to fix DMC).
"""

from obec_audit.workbook.compare import errors_by_round
from obec_audit.workbook.core import Workbook, open_round
from obec_audit.workbook.display import LABELS_TH, OfficerTable, mask_frame, officer_table, thai_labels
from obec_audit.workbook.figures import Figure
from obec_audit.workbook.paths import (
    PHASE_NOTEBOOK,
    data_root,
    demo_dir,
    project_root,
    repo_root,
)
from obec_audit.workbook.record import SelfCheck

__all__ = [
    "Workbook", "open_round", "errors_by_round", "thai_labels", "mask_frame", "officer_table", "OfficerTable",
    "Figure", "SelfCheck", "LABELS_TH", "PHASE_NOTEBOOK", "project_root", "repo_root",
    "data_root", "demo_dir",
]
