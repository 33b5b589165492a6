"""The area office's ledgers: which schools sent their signed reports (certification), and
what the officer decided about each duplicate set. CSV files an officer can open in Excel.

Files (in one folder; default :func:`default_ledger_dir`, ``data/ledger/`` of the repository,
git-ignored; callers normally pass the folder):

- ``certification.csv``: one record per "received" / "unmarked" event;
- ``duplicate_decisions.csv``: one record per decision on a duplicate group.

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
file order). A write takes the folder's lock (``<file>.lock``, created with
``O_CREAT|O_EXCL``; a lock older than ``stale_after`` seconds is broken), re-reads the file,
and replaces it atomically (temporary file in the same folder, flush + fsync,
``os.replace``). Two writers (threads or processes, also on a shared folder) therefore never
lose each other's records.

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

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import random
import re
import socket
import time
import uuid
import warnings
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from obec_audit import calendar as cal
from obec_audit.ids import mask_series
from obec_audit.ids import school as school_ids

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

LEDGER_DIR_ENV = "OBEC_AUDIT_LEDGER_DIR"

#: duplicate decisions: keep (the child is at this school; identity evidence uploaded),
#: move-out (the school must move the child out in DMC), not-duplicate (different children)
DECISIONS: tuple[str, ...] = ("keep", "move-out", "not-duplicate")
DECISION_TH: dict[str, str] = {"keep": "คงไว้", "move-out": "ย้ายออก", "not-duplicate": "ไม่ซ้ำ"}
CERT_STATUS_TH: dict[str, str] = {
    "certified": "ส่งแล้ว (ตรงเวลา)",
    "late": "ส่งแล้ว (ล่าช้า)",
    "not-yet": "ยังไม่ส่ง",
    "overdue": "ยังไม่ส่ง (เกินกำหนด)",
}
_ACTION_TH = {"received": "รับเอกสารแล้ว", "unmarked": "ยกเลิกการรับ"}


class LedgerError(RuntimeError):
    """A ledger operation that could not be done (the message is Thai, then English)."""


class LedgerLockError(LedgerError):
    """The ledger's lock could not be taken in time."""


class LedgerWarning(UserWarning):
    """Something was wrong with a ledger file but no good record was lost (Thai message)."""


def default_ledger_dir() -> Path:
    """``$OBEC_AUDIT_LEDGER_DIR``, else ``data/ledger`` of the repository this package lives in
    (not the current directory), else ``~/obec_audit/ledger`` for an installed package."""
    env = os.environ.get(LEDGER_DIR_ENV)
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[1]
    if (repo / "pyproject.toml").exists():
        return repo / "data" / "ledger"
    return Path.home() / "obec_audit" / "ledger"


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def _clean_text(value, limit: int = 2000) -> str:
    """One line, no control characters, at most ``limit`` characters."""
    if value is None:
        return ""
    if type(value) is str and value.isprintable():
        return value.strip()[:limit]
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    s = str(value)
    s = re.sub(r"[\r\n\t\v\f\u2028\u2029]+", " ", s)
    s = re.sub(r"[\x00-\x1f\x7f]", "", s)
    return s.strip()[:limit]


def _be_datetime(d: dt.datetime) -> str:
    return f"{cal.to_be(d.date())} {d:%H:%M}"


# --------------------------------------------------------------------------------------
# the append-only CSV store
# --------------------------------------------------------------------------------------
class _ReadReport:
    def __init__(self) -> None:
        self.bad_lines: list[int] = []  # 1-based physical line numbers
        self.reencoded: bool = False  # some line was cp874
        self.header_bad: bool = False
        self.raw: bytes = b""

    @property
    def damaged(self) -> bool:
        return bool(self.bad_lines or self.reencoded or self.header_bad)


class _Store:
    """An append-only CSV history file with a lock, atomic replace and tolerant reading."""

    def __init__(
        self,
        path: Path,
        columns: list[str],
        labels_th: dict[str, str],
        key: list[str],
        normalize: Callable[[dict], dict],
        lock_timeout: float = 30.0,
        stale_after: float = 120.0,
    ) -> None:
        assert columns[0] == "seq" and columns[-1] == "record_id"
        self.path = Path(path)
        self.columns = columns
        self.labels_th = labels_th
        self.key = key
        self.normalize = normalize
        self.lock_timeout = lock_timeout
        self.stale_after = stale_after
        self._th_to_key = {v: k for k, v in labels_th.items()}
        self._cache: dict = {}

    # -- header ------------------------------------------------------------------------
    def header_cells(self) -> list[str]:
        return [f"{self.labels_th[c]} ({c})" for c in self.columns]

    def _map_header(self, cells: list[str]) -> list[str | None]:
        out: list[str | None] = []
        for cell in cells:
            c = cell.replace("\ufeff", "").strip()
            m = re.search(r"\(([a-z_]+)\)\s*$", c)
            if m and m[1] in self.columns:
                out.append(m[1])
            elif c in self.columns:
                out.append(c)
            elif c in self._th_to_key:
                out.append(self._th_to_key[c])
            else:
                out.append(None)
        return out

    # -- reading -----------------------------------------------------------------------
    @staticmethod
    def _decode(bline: bytes) -> tuple[str | None, bool]:
        """(text, was_cp874); text None when the line is neither UTF-8 nor cp874."""
        try:
            return bline.decode("utf-8"), False
        except UnicodeDecodeError:
            try:
                return bline.decode("cp874"), True
            except UnicodeDecodeError:
                return None, False

    def _parse_line(self, bline: bytes, header: tuple) -> tuple[dict | None, bool]:
        """One physical line -> (normalised record or None when unreadable, was_cp874).
        Cached per (header, bytes): a record is parsed once per process, not on every write."""
        key = (header, bline)
        hit = self._cache.get(key)
        if hit is not None:
            rec, re_enc = hit
            return (dict(rec) if rec is not None else None), re_enc
        result = self._parse_line_uncached(bline, header)
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[key] = result
        rec, re_enc = result
        return (dict(rec) if rec is not None else None), re_enc

    def _parse_line_uncached(self, bline: bytes, header: tuple) -> tuple[dict | None, bool]:
        line, re_enc = self._decode(bline)
        if line is None:
            return None, False
        try:
            fields = next(csv.reader([line]))
        except (csv.Error, StopIteration):
            return None, re_enc
        while len(fields) > len(header) and fields[-1].strip() == "":
            fields.pop()  # Excel's trailing empty cells
        if len(fields) != len(header):
            return None, re_enc
        rec = {c: "" for c in self.columns}
        for name, value in zip(header, fields):
            if name is not None:
                rec[name] = value.strip()
        rid = rec["record_id"].lower()
        if not re.fullmatch(r"r[0-9a-f]{32}", rid):
            return None, re_enc
        rec["record_id"] = rid
        try:
            rec = self.normalize(rec)
        except (ValueError, KeyError, TypeError):
            return None, re_enc
        if any(not rec.get(k) for k in self.key):
            return None, re_enc
        try:
            rec["seq"] = str(int(float(rec["seq"])))
        except (TypeError, ValueError):
            rec["seq"] = ""
        return rec, re_enc

    def _read(self) -> tuple[list[dict], _ReadReport]:
        rep = _ReadReport()
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return [], rep
        rep.raw = raw
        records: list[dict] = []
        seen: set[str] = set()
        header: tuple | None = None
        for lineno, bline in enumerate(raw.split(b"\n"), start=1):
            bline = bline.rstrip(b"\r")
            if lineno == 1 and bline.startswith(b"\xef\xbb\xbf"):
                bline = bline[3:]
            if not bline.strip(b" \t\x00,;"):
                continue
            if header is None:
                line, re_enc = self._decode(bline)
                mapped = None
                if line is not None:
                    try:
                        mapped = self._map_header(next(csv.reader([line])))
                    except (csv.Error, StopIteration):
                        mapped = None
                if mapped and "record_id" in mapped and sum(m is not None for m in mapped) >= len(self.key) + 1:
                    header = tuple(mapped)
                    rep.reencoded |= re_enc
                    continue
                # no recognisable header: assume our own column order, try this line as a record
                header = tuple(self.columns)
                rep.header_bad = True
            rec, re_enc = self._parse_line(bline, header)
            rep.reencoded |= re_enc
            if rec is None:
                rep.bad_lines.append(lineno)
                continue
            if rec["record_id"] in seen:
                continue
            rec["_line"] = lineno
            seen.add(rec["record_id"])
            records.append(rec)
        return records, rep

    def _backup_and_warn(self, rep: _ReadReport, n_good: int) -> Path | None:
        if not rep.damaged:
            return None
        backup = None
        # one copy per distinct damaged content
        for old in self.path.parent.glob(self.path.name + ".corrupt-*"):
            try:
                if old.stat().st_size == len(rep.raw) and old.read_bytes() == rep.raw:
                    backup = old
                    break
            except OSError:
                continue
        if backup is None:
            stamp = _now().strftime("%Y%m%dT%H%M%S%f")
            backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
            with open(backup, "wb") as f:
                f.write(rep.raw)
                f.flush()
                os.fsync(f.fileno())
        parts = []
        if rep.bad_lines:
            shown = ", ".join(map(str, rep.bad_lines[:10])) + (" …" if len(rep.bad_lines) > 10 else "")
            parts.append(f"ข้ามบรรทัดที่อ่านไม่ได้ {len(rep.bad_lines)} บรรทัด (บรรทัดที่ {shown})")
        if rep.reencoded:
            parts.append("ไฟล์ถูกบันทึกใหม่ด้วยรหัสอักขระอื่น (cp874 จาก Excel) อ่านได้และจะบันทึกกลับเป็น UTF-8")
        if rep.header_bad:
            parts.append("หัวตารางเสียหาย ใช้ลำดับคอลัมน์มาตรฐานแทน")
        warnings.warn(
            f"ไฟล์บันทึก {self.path.name}: " + "; ".join(parts)
            + f". ระเบียนที่อ่านได้ {n_good} รายการยังอยู่ครบ สำเนาไฟล์เดิมเก็บไว้ที่ {backup.name} "
            f"(ledger file damaged: {len(rep.bad_lines)} bad lines skipped, {n_good} good records "
            f"kept, copy at {backup})",
            LedgerWarning,
            stacklevel=4,
        )
        return backup

    def records(self) -> list[dict]:
        recs, rep = self._read()
        if rep.damaged:
            self._backup_and_warn(rep, len(recs))
        return recs

    def frame(self) -> pd.DataFrame:
        recs = self.records()
        df = pd.DataFrame(recs, columns=self.columns + ["_line"])
        if df.empty:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in self.columns})
        df["_seq"] = pd.to_numeric(df["seq"], errors="coerce")
        df = df.sort_values(["_seq", "_line"], kind="stable", na_position="first")
        return df.drop(columns=["_seq", "_line"]).reset_index(drop=True)

    def latest(self) -> pd.DataFrame:
        """The current state: the latest record per key, in history order."""
        df = self.frame()
        if df.empty:
            return df
        return df.drop_duplicates(self.key, keep="last").reset_index(drop=True)

    # -- writing -----------------------------------------------------------------------
    @contextlib.contextmanager
    def _lock(self):
        lock = self.path.with_name(self.path.name + ".lock")
        token = uuid.uuid4().hex
        give_up = time.monotonic() + self.lock_timeout
        while True:
            try:
                fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                try:
                    age = time.time() - os.stat(lock).st_mtime
                except FileNotFoundError:
                    continue
                if age > self.stale_after:
                    stale = lock.with_name(f"{lock.name}.stale-{token}")
                    with contextlib.suppress(OSError):
                        os.rename(lock, stale)
                        os.remove(stale)
                        warnings.warn(
                            f"ล็อกไฟล์ {lock.name} ค้างนานเกิน {self.stale_after:.0f} วินาที จึงยกเลิกล็อกนั้น "
                            f"(stale lock broken)",
                            LedgerWarning,
                            stacklevel=4,
                        )
                    continue
                if time.monotonic() > give_up:
                    raise LedgerLockError(
                        f"ไฟล์บันทึก {self.path.name} กำลังถูกใช้งานโดยผู้อื่น รอแล้ว {self.lock_timeout:.0f} วินาที "
                        f"กรุณาลองใหม่ (lock {lock} held by another writer)"
                    ) from None
                time.sleep(random.uniform(0.002, 0.02))
                continue
            except FileNotFoundError:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                continue
            try:
                info = f"{token}\n{socket.gethostname()}\n{os.getpid()}\n{_now().isoformat()}\n"
                os.write(fd, info.encode("utf-8"))
            finally:
                os.close(fd)
            break
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                with open(lock, encoding="utf-8") as f:
                    mine = f.readline().strip() == token
                if mine:
                    os.remove(lock)

    def _serialize(self, records: Iterable[dict]) -> bytes:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(self.header_cells())
        for r in records:
            # records are normalised (one line, no control characters) before they get here
            w.writerow([str(r.get(c, "")).replace("\r", " ").replace("\n", " ") for c in self.columns])
        return buf.getvalue().encode("utf-8-sig")

    def _replace(self, data: bytes) -> None:
        tmp = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}.tmp")
        try:
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            for attempt in range(25):
                try:
                    os.replace(tmp, self.path)
                    break
                except PermissionError:  # Windows: the file is open in Excel
                    if attempt == 24:
                        raise LedgerError(
                            f"บันทึกไม่ได้: ไฟล์ {self.path.name} ถูกเปิดอยู่ (เช่นใน Excel) "
                            f"กรุณาปิดไฟล์แล้วลองใหม่ ข้อมูลเดิมยังอยู่ครบ "
                            f"(cannot replace {self.path}: open in another program)"
                        ) from None
                    time.sleep(0.2)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.remove(tmp)
        if hasattr(os, "O_DIRECTORY"):
            with contextlib.suppress(OSError):
                dfd = os.open(self.path.parent, os.O_DIRECTORY)
                try:
                    os.fsync(dfd)
                finally:
                    os.close(dfd)

    def append(self, new: list[dict]) -> list[dict]:
        """Append records (normalised first) under the lock; returns them as written."""
        prepared = [self.normalize(dict(r)) for r in new]
        for r in prepared:
            if any(not r.get(k) for k in self.key):
                raise ValueError(f"ข้อมูลไม่ครบ: ต้องมี {', '.join(self.key)} (missing key fields)")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock():
            existing, rep = self._read()  # re-read under the lock: never lose another writer's record
            if rep.damaged:
                self._backup_and_warn(rep, len(existing))
            seqs = [int(r["seq"]) for r in existing if str(r.get("seq", "")).isdigit()]
            nxt = max(seqs, default=0) + 1
            now = _now()
            for i, r in enumerate(prepared):
                r["seq"] = str(nxt + i)
                r["recorded_at"] = now.isoformat(timespec="microseconds")
                r["record_id"] = "r" + uuid.uuid4().hex
            existing.sort(key=lambda r: (int(r["seq"]) if r["seq"] else -1, r.get("_line", 0)))
            self._replace(self._serialize(existing + prepared))
        return prepared


# --------------------------------------------------------------------------------------
# certification ledger
# --------------------------------------------------------------------------------------
CERT_COLUMNS: list[str] = [
    "seq", "academic_year", "round", "school_code", "school_name", "action",
    "received_on", "received_on_be", "received_by", "deadline", "deadline_be",
    "late", "days_late", "note", "recorded_at", "record_id",
]
CERT_LABELS_TH: dict[str, str] = {
    "seq": "ลำดับ",
    "academic_year": "ปีการศึกษา",
    "round": "รอบ",
    "school_code": "รหัสโรงเรียน",
    "school_name": "ชื่อโรงเรียน",
    "action": "การดำเนินการ",
    "received_on": "วันที่รับ ค.ศ.",
    "received_on_be": "วันที่รับ พ.ศ.",
    "received_by": "ผู้รับเอกสาร",
    "deadline": "กำหนดส่ง ค.ศ.",
    "deadline_be": "กำหนดส่ง พ.ศ.",
    "late": "ล่าช้า",
    "days_late": "จำนวนวันที่ล่าช้า",
    "note": "หมายเหตุ",
    "recorded_at": "เวลาที่บันทึก",
    "record_id": "รหัสรายการ",
}


def _iso_or_be(iso: str, be: str) -> dt.date | None:
    """The date of a stored pair: strict ISO first, then the B.E. text, then ISO leniently."""
    iso, be = (iso or "").strip(), (be or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return dt.date.fromisoformat(iso)
    for v in (be, iso):
        try:
            d = cal.parse_date(v)
        except ValueError:
            continue
        if d is not None:
            return d
    return None


def _school_code(value) -> str:
    code = school_ids.compact(_clean_text(value, 40))
    if not school_ids.is_valid_smis(code):
        raise ValueError(f"รหัสโรงเรียนไม่ถูกต้อง: {value!r} (ต้องเป็นตัวเลข 8 หลัก) (invalid school code)")
    return code


def _round(value) -> str:
    r = _clean_text(value, 40).lower()
    if r not in cal.PHASES:
        raise ValueError(f"ไม่รู้จักรอบ {value!r}; ใช้ได้: {', '.join(cal.PHASES)} (unknown round)")
    return r


def _normalize_cert(rec: dict) -> dict:
    rec = {k: _clean_text(rec.get(k, "")) for k in CERT_COLUMNS} | {
        k: v for k, v in rec.items() if k not in CERT_COLUMNS
    }
    rec["school_code"] = _school_code(rec["school_code"])
    rec["round"] = _round(rec["round"])
    rec["academic_year"] = str(cal._be_year(int(float(rec["academic_year"]))))
    action = rec["action"].lower()
    action = {v: k for k, v in _ACTION_TH.items()}.get(rec["action"], action)
    if action not in _ACTION_TH:
        raise ValueError(f"unknown action {rec['action']!r}")
    rec["action"] = action
    got = _iso_or_be(rec["received_on"], rec["received_on_be"])
    if action == "received" and got is None:
        raise ValueError("received without a date")
    rec["received_on"] = got.isoformat() if got else ""
    rec["received_on_be"] = cal.to_be(got) if got else ""
    dl = _iso_or_be(rec["deadline"], rec["deadline_be"])
    rec["deadline"] = dl.isoformat() if dl else ""
    rec["deadline_be"] = cal.to_be(dl) if dl else ""
    if got and dl:
        late_days = (got - dl).days
        rec["late"] = "yes" if late_days > 0 else "no"
        rec["days_late"] = str(max(late_days, 0))
    else:
        rec["late"], rec["days_late"] = "", ""
    return rec


class CertificationLedger:
    """Which school sent its director-signed reports for which round, when, to whom.

    ``folder``: where ``certification.csv`` lives (created on first write). ``calendar_dir``:
    the user calendar folder used for deadlines (see :mod:`obec_audit.calendar`).
    """

    FILENAME = "certification.csv"
    COLUMNS = CERT_COLUMNS
    LABELS_TH = CERT_LABELS_TH

    def __init__(self, folder=None, calendar_dir=None, lock_timeout: float = 30.0,
                 stale_after: float = 120.0) -> None:
        self.folder = Path(folder) if folder is not None else default_ledger_dir()
        self.calendar_dir = calendar_dir
        self._store = _Store(
            self.folder / self.FILENAME, CERT_COLUMNS, CERT_LABELS_TH,
            key=["academic_year", "round", "school_code"], normalize=_normalize_cert,
            lock_timeout=lock_timeout, stale_after=stale_after,
        )

    @property
    def path(self) -> Path:
        return self._store.path

    def deadline(self, round: str, year_be: int) -> dt.date | None:
        """The calendar's deadline of ``round`` in academic year ``year_be``."""
        return cal.deadline_for(_round(round), year_be, calendar_dir=self.calendar_dir)

    def _year(self, year, when: dt.date) -> int:
        return cal._be_year(year) if year is not None else cal.academic_year(when)

    def mark_received(self, school_code: str, round: str, received_on, received_by: str,
                      note: str = "", *, year: int | None = None, school_name: str = "",
                      today=None) -> dict:
        """Record that ``school_code``'s signed reports for ``round`` arrived on ``received_on``.

        ``year``: the B.E. academic year (default: the academic year of ``received_on``; pass it
        for a round received after 16 May of the next year). ``received_on`` may not be after
        ``today`` (default: the real today). Raises ``ValueError`` (Thai message) on bad input.
        Returns the record written (``late``/``days_late`` against the calendar's deadline).
        """
        code = _school_code(school_code)
        rnd = _round(round)
        got = cal.parse_date(received_on)
        if got is None:
            raise ValueError("ไม่ได้ระบุวันที่รับเอกสาร (no received date)")
        now = cal.parse_date(today) if today is not None else dt.date.today()
        if got > now:
            raise ValueError(f"วันที่รับ {cal.to_be(got)} อยู่ในอนาคต (received date in the future)")
        by = _clean_text(received_by, 200)
        if not by:
            raise ValueError("กรุณาระบุชื่อผู้รับเอกสาร (received_by is required)")
        yr = self._year(year, got)
        dl = self.deadline(rnd, yr)
        rec = {
            "academic_year": str(yr), "round": rnd, "school_code": code,
            "school_name": _clean_text(school_name, 300), "action": "received",
            "received_on": got.isoformat(), "received_by": by,
            "deadline": dl.isoformat() if dl else "", "note": _clean_text(note),
        }
        return self._store.append([rec])[0]

    def unmark(self, school_code: str, round: str, by: str, note: str = "", *,
               year: int | None = None, today=None) -> dict:
        """Withdraw a receipt (e.g. recorded for the wrong school) as a new record."""
        code = _school_code(school_code)
        rnd = _round(round)
        now = cal.parse_date(today) if today is not None else dt.date.today()
        who = _clean_text(by, 200)
        if not who:
            raise ValueError("กรุณาระบุชื่อผู้ยกเลิก (by is required)")
        yr = self._year(year, now)
        rec = {
            "academic_year": str(yr), "round": rnd, "school_code": code, "action": "unmarked",
            "received_by": who, "note": _clean_text(note),
        }
        return self._store.append([rec])[0]

    def history(self) -> pd.DataFrame:
        """Every record ever written, in order (machine column names)."""
        return self._store.frame()

    def current(self) -> pd.DataFrame:
        """The latest record per (academic_year, round, school_code)."""
        return self._store.latest()

    def status(self, round: str, schools=None, today=None, *, year: int | None = None,
               deadline=None) -> pd.DataFrame:
        """Per school: ``status`` (``certified`` on time, ``late``, ``not-yet``), ``status_th``,
        ``received_on`` (date), ``received_on_be``, ``received_by``, ``deadline_be``,
        ``days_late`` (received - deadline, or for ``not-yet`` today - deadline once past; else
        0), ``overdue`` (not yet and past the deadline), ``note``.

        ``schools``: codes (list/Series) or a frame with ``school_code`` [``school_name``];
        default every school in the ledger for that round. ``year`` defaults to the academic
        year of ``today``; ``deadline`` defaults to the calendar's.
        """
        rnd = _round(round)
        now = cal.parse_date(today) if today is not None else dt.date.today()
        yr = self._year(year, now)
        dl = cal.parse_date(deadline) if deadline is not None else self.deadline(rnd, yr)
        cur = self.current()
        if not cur.empty:
            cur = cur[(cur["round"] == rnd) & (cur["academic_year"] == str(yr))]
        if schools is None:
            base = pd.DataFrame({"school_code": cur["school_code"] if not cur.empty else []})
            base["school_name"] = cur["school_name"].values if not cur.empty else []
        elif isinstance(schools, pd.DataFrame):
            base = pd.DataFrame({"school_code": schools["school_code"].astype(str).map(school_ids.compact)})
            base["school_name"] = (
                schools["school_name"].astype(str).values if "school_name" in schools else ""
            )
        else:
            base = pd.DataFrame({"school_code": [school_ids.compact(str(s)) for s in schools]})
            base["school_name"] = ""
        base = base.drop_duplicates("school_code").reset_index(drop=True)
        rec = cur.set_index("school_code") if not cur.empty else pd.DataFrame()
        out = []
        for code, name in zip(base["school_code"], base["school_name"]):
            r = rec.loc[code] if code in rec.index else None
            received = r is not None and r["action"] == "received"
            got = dt.date.fromisoformat(r["received_on"]) if received else None
            if received:
                days = (got - dl).days if dl else 0
                st = "late" if days > 0 else "certified"
                days = max(days, 0)
            else:
                days = max((now - dl).days, 0) if dl else 0
                st = "not-yet"
            overdue = st == "not-yet" and days > 0
            out.append({
                "school_code": code,
                "school_name": name or (r["school_name"] if r is not None else ""),
                "status": st,
                "status_th": CERT_STATUS_TH["overdue" if overdue else st],
                "received_on": got,
                "received_on_be": cal.to_be(got),
                "received_by": r["received_by"] if received else "",
                "deadline_be": cal.to_be(dl),
                "days_late": days,
                "overdue": overdue,
                "note": r["note"] if r is not None else "",
            })
        df = pd.DataFrame(out, columns=[
            "school_code", "school_name", "status", "status_th", "received_on", "received_on_be",
            "received_by", "deadline_be", "days_late", "overdue", "note"])
        df["days_late"] = df["days_late"].astype("Int64")
        df["overdue"] = df["overdue"].astype(bool)
        return df

    def display(self) -> pd.DataFrame:
        """The history with Thai column labels (B.E. dates only), for people."""
        df = self.history()
        if df.empty:
            return pd.DataFrame(columns=[CERT_LABELS_TH[c] for c in _CERT_DISPLAY])
        df = df.copy()
        df["action"] = df["action"].map(_ACTION_TH).fillna(df["action"])
        df["late"] = df["late"].map({"yes": "ใช่", "no": "ไม่"}).fillna("")
        return df[_CERT_DISPLAY].rename(columns=CERT_LABELS_TH)


_CERT_DISPLAY = ["seq", "academic_year", "round", "school_code", "school_name", "action",
                 "received_on_be", "received_by", "deadline_be", "late", "days_late", "note",
                 "recorded_at"]


# --------------------------------------------------------------------------------------
# duplicate decisions
# --------------------------------------------------------------------------------------
DEC_COLUMNS: list[str] = [
    "seq", "group", "check", "decision", "decision_th", "school_code", "reason", "decided_by",
    "decided_at", "decided_at_be", "academic_year", "round", "member_ids", "member_schools",
    "member_rows", "recorded_at", "record_id",
]
DEC_LABELS_TH: dict[str, str] = {
    "seq": "ลำดับ",
    "group": "รหัสชุดซ้ำ",
    "check": "รหัสการตรวจ",
    "decision": "ผลการพิจารณา",
    "decision_th": "ผลการพิจารณา (ไทย)",
    "school_code": "โรงเรียนที่เกี่ยวข้อง",
    "reason": "เหตุผล",
    "decided_by": "ผู้พิจารณา",
    "decided_at": "เวลาที่พิจารณา",
    "decided_at_be": "วันที่พิจารณา พ.ศ.",
    "academic_year": "ปีการศึกษา",
    "round": "รอบ",
    "member_ids": "เลขประจำตัวของสมาชิก",
    "member_schools": "โรงเรียนของสมาชิก",
    "member_rows": "ไฟล์และแถวของสมาชิก",
    "recorded_at": "เวลาที่บันทึก",
    "record_id": "รหัสรายการ",
}
_DECISION_FROM_TH = {v: k for k, v in DECISION_TH.items()}


def _decision(value) -> str:
    d = _clean_text(value, 40)
    d = _DECISION_FROM_TH.get(d, d.lower())
    if d not in DECISIONS:
        raise ValueError(
            f"ผลการพิจารณาไม่ถูกต้อง: {value!r}; ใช้ได้: คงไว้ / ย้ายออก / ไม่ซ้ำ (decision must be one of {DECISIONS})"
        )
    return d


def _normalize_dec(rec: dict) -> dict:
    rec = {k: _clean_text(rec.get(k, ""), 10_000) for k in DEC_COLUMNS} | {
        k: v for k, v in rec.items() if k not in DEC_COLUMNS
    }
    rec["group"] = _clean_text(rec["group"], 500)
    if not rec["group"]:
        raise ValueError("ไม่มีรหัสชุดซ้ำ (group is required)")
    rec["decision"] = _decision(rec["decision"])
    rec["decision_th"] = DECISION_TH[rec["decision"]]
    if rec["school_code"]:
        rec["school_code"] = school_ids.compact(rec["school_code"])
    if rec["round"]:
        rec["round"] = _round(rec["round"])
    return rec


def _members(members) -> tuple[str, str, str]:
    """(ids, schools, rows) as ';'-joined text from a frame, a list of IDs or of dicts."""
    if members is None:
        return "", "", ""
    if isinstance(members, pd.DataFrame):
        df = members
    elif isinstance(members, pd.Series):
        df = pd.DataFrame({"national_id": members.values})
    else:
        items = list(members)
        df = pd.DataFrame(items if items and isinstance(items[0], dict) else {"national_id": items})

    def col(name):
        if name not in df:
            return [""] * len(df)
        return ["" if pd.isna(v) else _clean_text(v, 100).replace(";", ",") for v in df[name]]

    ids = col("national_id")
    schools = col("school_code")
    files, rows = col("source_file"), col("source_row")
    where = [f"{f}#{r}" if (f or r) else "" for f, r in zip(files, rows)]
    join = ";".join
    return join(ids), join(schools) if any(schools) else "", join(where) if any(where) else ""


_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(?:\d{13}|G\d{12})(?![0-9A-Za-z])")


def mask_text(text: str) -> str:
    """Mask every 13-digit ID or G-code inside free text (e.g. a group id built from an ID).

    >>> mask_text('dup-id-area:1101700230708')
    'dup-id-area:1-1017-xxxxx-xx-8'
    """
    if not text:
        return "" if text is None else text
    return _ID_IN_TEXT.sub(lambda m: mask_series(pd.Series([m[0]])).iloc[0], str(text))


def mask_joined(text: str) -> str:
    """Mask every ID of a ';'-joined list (for display)."""
    if not text:
        return ""
    parts = pd.Series(text.split(";"))
    return ";".join(mask_series(parts).tolist())


class DuplicateDecisions:
    """The officer's decision on each duplicate group (keep / move-out / not-duplicate).

    Group ids are the caller's ``group`` strings (the findings' ``group`` column); keep them
    stable across rounds (e.g. derived from the shared ID) so a decision recorded in round 1
    shows up when round 2 finds the same group. The latest record per group is current.
    """

    FILENAME = "duplicate_decisions.csv"
    COLUMNS = DEC_COLUMNS
    LABELS_TH = DEC_LABELS_TH

    def __init__(self, folder=None, lock_timeout: float = 30.0, stale_after: float = 120.0) -> None:
        self.folder = Path(folder) if folder is not None else default_ledger_dir()
        self._store = _Store(
            self.folder / self.FILENAME, DEC_COLUMNS, DEC_LABELS_TH, key=["group"],
            normalize=_normalize_dec, lock_timeout=lock_timeout, stale_after=stale_after,
        )

    @property
    def path(self) -> Path:
        return self._store.path

    def record(self, group: str, decision: str, reason: str, decided_by: str, members=None, *,
               check: str = "", school_code: str = "", round: str = "",
               academic_year: int | None = None, decided_at=None) -> dict:
        """Record a decision. ``decision``: ``keep`` / ``move-out`` / ``not-duplicate`` (or the
        Thai คงไว้ / ย้ายออก / ไม่ซ้ำ); ``reason`` and ``decided_by`` are required. ``members``:
        the group's findings/student rows (frame with ``national_id``, ``school_code``,
        ``source_file``, ``source_row``), a list of IDs or of dicts. ``school_code``: the school
        the decision concerns (e.g. the one that must move the child out). Returns the record.
        """
        g = _clean_text(group, 500)
        if not g:
            raise ValueError("ไม่มีรหัสชุดซ้ำ (group is required)")
        dec = _decision(decision)
        why = _clean_text(reason, 2000)
        if not why:
            raise ValueError("กรุณาระบุเหตุผล (reason is required)")
        who = _clean_text(decided_by, 200)
        if not who:
            raise ValueError("กรุณาระบุชื่อผู้พิจารณา (decided_by is required)")
        when = decided_at if isinstance(decided_at, dt.datetime) else _now()
        if isinstance(decided_at, dt.date) and not isinstance(decided_at, dt.datetime):
            when = dt.datetime.combine(decided_at, dt.time()).astimezone()
        if when.tzinfo is None:
            when = when.astimezone()
        ids, schools, rows = _members(members)
        rec = {
            "group": g, "check": _clean_text(check, 40), "decision": dec,
            "school_code": school_code or "", "reason": why, "decided_by": who,
            "decided_at": when.isoformat(timespec="seconds"), "decided_at_be": _be_datetime(when),
            "academic_year": str(cal._be_year(academic_year)) if academic_year else "",
            "round": round or "", "member_ids": ids, "member_schools": schools, "member_rows": rows,
        }
        return self._store.append([rec])[0]

    def history(self, group: str | None = None) -> pd.DataFrame:
        """Every decision ever recorded (optionally for one group), in order."""
        df = self._store.frame()
        if group is not None and not df.empty:
            df = df[df["group"] == group].reset_index(drop=True)
        return df

    def current(self) -> pd.DataFrame:
        """The latest decision per group."""
        return self._store.latest()

    def for_groups(self, groups) -> pd.DataFrame:
        """The current decisions of the given groups (those with one), indexed by ``group``
        in the order given."""
        cur = self.current()
        wanted = [str(g) for g in groups if g is not None and not pd.isna(g)]
        if cur.empty:
            return cur.set_index(pd.Index([], name="group")) if "group" in cur else cur
        cur = cur.set_index("group")
        return cur.loc[[g for g in dict.fromkeys(wanted) if g in cur.index]]

    def get(self, group: str) -> dict | None:
        """The current decision of one group as a dict, or ``None``."""
        got = self.for_groups([group])
        if got.empty:
            return None
        return {"group": group, **got.iloc[0].to_dict()}

    def display(self, masked: bool = True) -> pd.DataFrame:
        """Current decisions with Thai column labels; member IDs masked unless ``masked=False``."""
        df = self.current()
        cols = ["group", "check", "decision_th", "school_code", "reason", "decided_by",
                "decided_at_be", "member_ids", "member_schools", "member_rows"]
        if df.empty:
            return pd.DataFrame(columns=[DEC_LABELS_TH[c] for c in cols])
        df = df.copy()
        if masked:
            df["member_ids"] = df["member_ids"].map(mask_joined)
            for c in ("group", "reason"):
                df[c] = df[c].map(mask_text)
        return df[cols].rename(columns=DEC_LABELS_TH)
