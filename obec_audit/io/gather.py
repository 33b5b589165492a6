"""From input paths to sheets: every entry ``walk`` meets is read by content or accounted for
(a ``files`` row and, when not read, a finding), same bytes read once, zips opened.

``gather(paths, dataset, progress)`` yields ``("sheets", entry, sheets)`` for each file read and
``("row", files_row, finding_or_None)`` for every entry not read, in input order. Inside a
round (``obec_audit.workers``) the files are parsed ahead in the worker processes, a few at a
time, while the caller turns the sheets already parsed into rows (a file no worker has started
when it is needed is parsed here); what is yielded is the same. With ``convert`` (a picklable
``convert(sheets, name)``), ``("sheets", entry, convert(sheets, entry.name))`` is yielded
instead, converted in the worker that parsed the file (or here).
"""

from __future__ import annotations

import hashlib
from collections import deque
from pathlib import Path

import pandas as pd

from obec_audit.io.sniff import KIND_TH, sniff
from obec_audit.io.sources import ReadError, read_bytes
from obec_audit.io.walk import DATA_SUFFIXES, ZIP_DEPTH, Entry, walk, zip_members

__all__ = ["gather", "finding_row", "file_row", "FILES_COLUMNS", "SEVERITY"]

#: columns of ``LoadResult.files``
FILES_COLUMNS: list[str] = [
    "path", "source_file", "source_sheet", "dataset", "kind", "layout", "header_row",
    "rows_total", "rows_read", "rows_loaded", "rows_blank", "rows_skipped", "rows_header",
    "rows_non_student", "non_student_rows", "encoding", "status", "reason_en", "message_th",
]
SEVERITY = {"file-unreadable": "error", "file-skipped": "info", "rows-merged": "warning",
            "row-damaged": "warning"}


def _school_from(name: str):
    from obec_audit.io.readers import school_code_from_name  # late: readers imports this module

    return school_code_from_name(Path(name.rsplit(":", 1)[-1]))


def finding_row(dataset: str, name: str, sheet: str, message: str, value: str = "",
                code: str = "file-unreadable", row=pd.NA) -> dict:
    """A loader finding (contract columns) about a file, a sheet or one row of it."""
    return {
        "check": code,
        "severity": SEVERITY.get(code, "error"),
        "school_code": _school_from(name),
        "source_file": name,
        "source_sheet": sheet or "",
        "source_row": row,
        "national_id": pd.NA,
        "field": pd.NA,
        "value": value or (sheet if sheet else name),
        "group": pd.NA,
        "message": message,
        "dataset": dataset,
        "student_name": pd.NA,
    }


def file_row(path, name: str, sheet: str, dataset: str, status: str, message: str = "", **kw) -> dict:
    row = {c: 0 for c in FILES_COLUMNS if c.startswith("rows_")}
    row.update({
        "path": str(path), "source_file": name, "source_sheet": sheet, "dataset": dataset,
        "kind": "", "layout": pd.NA, "header_row": pd.NA, "non_student_rows": "",
        "encoding": "", "status": status, "reason_en": "", "message_th": message,
    })
    row.update(kw)
    return row


def _not_read(e: Entry, dataset: str, status: str, code: str | None, reason: str, msg: str, kind: str = ""):
    fr = file_row(e.path, e.name, "", dataset, status, msg, reason_en=reason, kind=kind or e.kind)
    return ("row", fr, finding_row(dataset, e.name, "", msg, code=code) if code else None)


#: fewer files than this are parsed here (sending them to workers costs more)
PARALLEL_MIN_FILES = 8
#: files parsed ahead per worker (bounds the sheets held in memory waiting)
AHEAD_PER_WORKER = 3


def _parse(path: Path, name: str, table_name: bool, convert=None) -> tuple:
    """In a worker: what ``_one`` needs of a file on disk: (digest, kind, sheets (with
    ``convert``: ``convert(sheets, name)``) or the ``ReadError``'s reason and message, or None
    when ``_one`` reads it itself)."""
    try:
        data = path.read_bytes()
    except Exception:  # noqa: BLE001 - ``_one`` reads it again and says why
        return (None, "", None)
    digest = hashlib.sha1(data).digest() if data else b""
    kind = sniff(data)
    if kind == "zip" or (kind in ("pdf", "image", "word", "binary") and not table_name):
        return (digest, kind, None)
    try:
        sheets = read_bytes(data, path, name, kind)
    except ReadError as err:  # (an exception with its own arguments does not pickle)
        return (digest, kind, ("error", err.reason, err.message_th))
    return (digest, kind, sheets if convert is None else convert(sheets, name))


class _Ahead:
    """Files parsed ahead in the round's worker processes, in input order."""

    def __init__(self, entries: list[Entry], convert=None):
        from obec_audit import workers

        self.convert = convert
        plain = [e for e in entries if e.kind == "file" and not e.status]
        self.pool = workers.pool() if len(plain) >= PARALLEL_MIN_FILES else None
        self.todo = deque(plain if self.pool is not None else ())
        self.window = AHEAD_PER_WORKER * (getattr(self.pool, "_max_workers", 2) or 2)
        self.futures: dict[int, object] = {}
        self.here: dict[int, tuple] = {}  # files parsed here while waiting for a worker

    def _top_up(self) -> None:
        while self.todo and len(self.futures) < self.window:
            e = self.todo.popleft()
            try:
                self.futures[id(e)] = self.pool.submit(
                    _parse, e.path, e.name, e.suffix in DATA_SUFFIXES or e.explicit, self.convert)
            except Exception:  # noqa: BLE001 - no workers: the rest are parsed here
                self.todo.clear()

    def take(self, e: Entry):
        """The parse of ``e`` (None: parse it here). While a worker is still parsing ``e``,
        this process parses the last files no worker has been given yet, instead of waiting."""
        if self.pool is None or e.kind != "file":
            return None
        if id(e) in self.here:
            res = self.here.pop(id(e))
            return res if res[0] is not None else None
        self._top_up()
        fut = self.futures.pop(id(e), None)
        self._top_up()
        if fut is None or fut.cancel():  # not started by a worker yet: parsed here
            return None
        while not fut.done() and self.todo:
            last = self.todo.pop()
            self.here[id(last)] = _parse(last.path, last.name,
                                         last.suffix in DATA_SUFFIXES or last.explicit, self.convert)
        try:
            res = fut.result()
        except Exception:  # noqa: BLE001 - a worker died: parse it here
            return None
        return res if res[0] is not None else None


def gather(paths, dataset: str, progress=None, convert=None):
    entries = walk(paths)
    todo = [e for e in entries if e.kind != "dir" and not e.status]  # what progress counts
    total, done = len(todo), 0
    seen: dict[bytes, str] = {}
    queue = list(entries)
    ahead = _Ahead(entries, convert)
    while queue:
        e = queue.pop(0)
        if e.kind == "dir":
            if e.status == "unreadable":
                yield _not_read(e, dataset, "unreadable", "file-unreadable", e.reason_en, e.message_th, "dir")
            elif e.status == "loop":
                yield _not_read(e, dataset, "loop", "file-skipped", e.reason_en, e.message_th, "dir")
            elif e.status == "ignored":
                yield _not_read(e, dataset, "ignored", None, e.reason_en, e.message_th, "dir")
            else:
                yield ("row", file_row(e.path, e.name, "", dataset, "folder", reason_en=e.reason_en,
                                       kind="dir"), None)
            continue
        if e.status == "ignored":
            yield _not_read(e, dataset, "ignored", None, e.reason_en, e.message_th)
            continue
        if e.status == "unreadable":
            yield _not_read(e, dataset, "unreadable", "file-unreadable", e.reason_en, e.message_th)
            continue
        if e.status == "duplicate":
            yield _not_read(e, dataset, "duplicate", "file-skipped", e.reason_en, e.message_th)
            continue
        yield from _one(e, dataset, seen, queue, ahead.take(e), convert)
        if e.kind != "member":
            done += 1
            if progress is not None:
                try:
                    progress(done, total, e.name)
                except Exception:  # noqa: BLE001 - a broken progress bar must not stop a load
                    pass


def _one(e: Entry, dataset: str, seen: dict, queue: list, parsed: tuple | None = None,
         convert=None):
    """Read one entry; ``parsed``: what a worker already made of it (``_parse``)."""
    data, sheets = None, None
    if parsed is not None:
        digest, kind, sheets = parsed
    else:
        try:
            data = e.read()
        except FileNotFoundError:
            msg = f"ไม่พบแฟ้ม {e.name} ให้ตรวจชื่อแฟ้มและโฟลเดอร์"
            yield _not_read(e, dataset, "unreadable", "file-unreadable", "missing", msg)
            return
        except Exception as exc:  # noqa: BLE001 - permissions, a broken zip member
            msg = (f"เปิดแฟ้ม {e.name} ไม่ได้ (ไม่มีสิทธิ์อ่านหรือแฟ้มเสีย: {type(exc).__name__}) "
                   "ให้คัดลอกแฟ้มมาไว้ในเครื่องหรือส่งใหม่ แล้วตรวจอีกครั้ง")
            yield _not_read(e, dataset, "unreadable", "file-unreadable", f"os: {exc}", msg)
            return
        digest = hashlib.sha1(data).digest() if data else b""
        kind = sniff(data)
    if digest and digest in seen:
        msg = f"แฟ้ม {e.name} มีเนื้อหาเหมือนแฟ้ม {seen[digest]} ทุกไบต์ จึงอ่านครั้งเดียว (ไม่นับนักเรียนซ้ำ)"
        yield _not_read(e, dataset, "duplicate", "file-skipped", f"same bytes as {seen[digest]}", msg)
        return
    if digest:
        seen[digest] = e.name
    if kind == "zip":
        if e.depth >= ZIP_DEPTH:
            msg = f"แฟ้มบีบอัด {e.name} ซ้อนอยู่ลึกเกินไป ให้แตกแฟ้มแล้วส่งแฟ้มรายชื่อโดยตรง"
            yield _not_read(e, dataset, "unreadable", "file-unreadable", "zip too deep", msg, "zip")
            return
        try:
            members = zip_members(e, data if data is not None else e.read())
        except Exception as exc:  # noqa: BLE001
            msg = f"เปิดแฟ้มบีบอัด {e.name} ไม่ได้ (แฟ้มเสียหาย) ให้บีบอัดใหม่หรือส่งแฟ้มรายชื่อโดยตรง"
            yield _not_read(e, dataset, "unreadable", "file-unreadable", f"zip: {exc}", msg, "zip")
            return
        yield ("row", file_row(e.path, e.name, "", dataset, "archive", kind="zip",
                               reason_en=f"{len(members)} members"), None)
        queue[0:0] = members
        return
    table_name = e.suffix in DATA_SUFFIXES or e.explicit
    if kind in ("pdf", "image", "word", "binary") and not table_name:
        msg = f"แฟ้ม {e.name} เป็น{KIND_TH[kind]} ไม่ใช่ตารางรายชื่อ จึงไม่ได้อ่าน"
        yield _not_read(e, dataset, "skipped", "file-skipped", f"not a table ({kind})", msg, kind)
        return
    if isinstance(sheets, tuple):  # the worker's ReadError
        yield _not_read(e, dataset, "unreadable", "file-unreadable", sheets[1], sheets[2], kind)
        return
    if sheets is None:
        try:
            sheets = read_bytes(data, e.path, e.name, kind)
        except ReadError as err:
            yield _not_read(e, dataset, "unreadable", "file-unreadable", err.reason, err.message_th, kind)
            return
        if convert is not None:
            sheets = convert(sheets, e.name)
    yield ("sheets", e, sheets)
