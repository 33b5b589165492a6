"""Loaders: any DMC/EMIS file or folder → canonical frame, with row accounting.

Every loader takes ``paths`` (a path, a str, or a list of them; folders are searched
recursively, symlinked folders once, ``.zip`` archives opened; every file is read by what its
bytes are, not by its name) and an optional ``progress(done, total, name)`` callable, and
returns ``LoadResult(frame, findings, files)`` (see ``readers.LoadResult``). A file that cannot
be read becomes a ``file-unreadable`` finding, one that is not a list a ``file-skipped`` note;
loaders never raise on one.
"""

from obec_audit.io.bobec import load_bobec
from obec_audit.io.extract import is_extract, load_extract, load_students_any
from obec_audit.io.mobec import load_mobec
from obec_audit.io.other import load_class_counts, load_discharges
from obec_audit.io.readers import FILES_COLUMNS, LoadResult
from obec_audit.io.staff import load_staff
from obec_audit.io.students import STUDENT_FRAME_COLUMNS, load_students

__all__ = [
    "LoadResult",
    "FILES_COLUMNS",
    "STUDENT_FRAME_COLUMNS",
    "load_students",
    "load_students_any",
    "load_extract",
    "is_extract",
    "load_staff",
    "load_mobec",
    "load_bobec",
    "load_discharges",
    "load_class_counts",
]
