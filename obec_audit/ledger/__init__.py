"""The area office's ledgers: which schools sent their signed reports (certification), and
what the officer decided about each duplicate set. CSV files an officer can open in Excel.

- :mod:`~obec_audit.ledger.store`: the append-only CSV store (tolerant reading, atomic
  replace, an OS-level lock that dies with its holder);
- :mod:`~obec_audit.ledger.certification`: ``CertificationLedger`` (``certification.csv``);
- :mod:`~obec_audit.ledger.decisions`: ``DuplicateDecisions`` (``duplicate_decisions.csv``).

Files (in one folder; default :func:`default_ledger_dir`, ``data/ledger/`` of the repository,
git-ignored; callers normally pass the folder).

Format
------
UTF-8 with BOM, comma separated, CRLF, one record per physical line (line breaks inside a
value are written as spaces). The header cells are Thai labels followed by the machine key in
parentheses, e.g. ``รหัสโรงเรียน (school_code)``: an officer reads Thai, the code reads the key.
On reading, a header cell may also be the bare key or the bare Thai label (files re-typed by
hand); columns are matched by name, never by position. Dates are stored twice: ISO C.E.
(``received_on``, authoritative) and B.E. ``DD/MM/YYYY`` (``received_on_be``, what people read;
used when Excel has damaged the ISO text). The last column, ``record_id`` (``r`` + 32 hex
digits), doubles as an end-of-record mark: a truncated line fails it.

History, never overwritten
--------------------------
Every write *appends* records; nothing is edited or deleted (``unmark`` is a new record). The
current state is the latest record per key (``seq``, a counter assigned under the lock, then
file order). A write takes the folder's OS-level lock (``.<file>.lock``; the operating system
releases it when the holder dies), re-reads the file, and replaces it atomically.

Damaged files
-------------
Reading is tolerant: each line is decoded on its own (UTF-8, else cp874 as Thai Excel saves
it), parsed, and checked; unreadable lines (garbage, a truncated last line, a record whose key
is empty) are skipped, every good record is kept. A copy of the damaged file is kept as
``<file>.corrupt-<timestamp>`` next to it (once per distinct content) and a Thai warning
(:class:`LedgerWarning`) says how many lines were skipped. The next write stores the good
records back as UTF-8.

>>> import tempfile, datetime as dt
>>> folder = tempfile.mkdtemp()
>>> led = CertificationLedger(folder)
>>> _ = led.mark_received('57010001', 'round1', dt.date(2013, 6, 26), 'นางสาวสมศรี ใจดี',
...                       today=dt.date(2013, 6, 27))
>>> st = led.status('round1', ['57010001', '57010002'], today=dt.date(2013, 6, 27))
>>> st[['school_code', 'status', 'days_late']].values.tolist()
[['57010001', 'late', 1], ['57010002', 'not-yet', 2]]
"""

from obec_audit.ledger.certification import CERT_STATUS_TH, CertificationLedger
from obec_audit.ledger.decisions import DECISION_TH, DECISIONS, DuplicateDecisions, mask_joined
from obec_audit.ledger.store import (
    LEDGER_DIR_ENV,
    LedgerError,
    LedgerLockError,
    LedgerWarning,
    default_ledger_dir,
)
from obec_audit.privacy import mask_text

__all__ = [
    "LedgerError",
    "LedgerLockError",
    "LedgerWarning",
    "CertificationLedger",
    "DuplicateDecisions",
    "DECISIONS",
    "DECISION_TH",
    "CERT_STATUS_TH",
    "default_ledger_dir",
    "mask_text",
    "mask_joined",
    "LEDGER_DIR_ENV",
]
