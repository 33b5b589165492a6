"""The ledgers' append-only CSV store: tolerant reading, atomic replace, an OS-level lock.

See :mod:`obec_audit.ledger` for the file format. A write takes the folder's lock (an OS file
lock from ``filelock``: released by the operating system when its holder dies), re-reads the
file, and replaces it atomically (temporary file in the same folder, flush + fsync,
``os.replace``). Two writers (threads or processes, also on a shared folder) therefore never
lose each other's records, and a writer killed mid-write neither blocks nor damages the next.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import time
import uuid
import warnings
from pathlib import Path
from typing import Callable, Iterable

import filelock
import pandas as pd

__all__ = ["LedgerError", "LedgerLockError", "LedgerWarning", "LEDGER_DIR_ENV",
           "default_ledger_dir", "clean_text", "now", "Store"]

LEDGER_DIR_ENV = "OBEC_AUDIT_LEDGER_DIR"


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
    repo = Path(__file__).resolve().parents[2]
    if (repo / "pyproject.toml").exists():
        return repo / "data" / "ledger"
    return Path.home() / "obec_audit" / "ledger"


def now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def clean_text(value, limit: int = 2000) -> str:
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




class _ReadReport:
    def __init__(self) -> None:
        self.bad_lines: list[int] = []  # 1-based physical line numbers
        self.reencoded: bool = False  # some line was cp874
        self.header_bad: bool = False
        self.raw: bytes = b""

    @property
    def damaged(self) -> bool:
        return bool(self.bad_lines or self.reencoded or self.header_bad)


class Store:
    """An append-only CSV history file with a lock, atomic replace and tolerant reading."""

    def __init__(
        self,
        path: Path,
        columns: list[str],
        labels_th: dict[str, str],
        key: list[str],
        normalize: Callable[[dict], dict],
        lock_timeout: float = 30.0,
    ) -> None:
        assert columns[0] == "seq" and columns[-1] == "record_id"
        self.path = Path(path)
        self.columns = columns
        self.labels_th = labels_th
        self.key = key
        self.normalize = normalize
        self.lock_timeout = lock_timeout
        # thread_local (filelock's default): each thread holds the OS lock through its own file
        # descriptor, so two threads sharing this store exclude each other as processes do
        self._file_lock = filelock.FileLock(
            self.path.with_name(f".{self.path.name}.lock"), thread_local=True)
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
            stamp = now().strftime("%Y%m%dT%H%M%S%f")
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
        """The folder's OS-level lock (``.<file>.lock``): ``flock`` on POSIX, ``msvcrt.locking`` on
        Windows. The operating system releases it when its holder dies (a killed kernel, a
        laptop losing power), so a crashed writer never blocks the next one."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self._file_lock.acquire(timeout=self.lock_timeout, poll_interval=0.01):
                self._remove_dead_tmp()
                yield
        except filelock.Timeout:
            raise LedgerLockError(
                f"ไฟล์บันทึก {self.path.name} กำลังถูกใช้งานโดยผู้อื่น รอแล้ว {self.lock_timeout:.0f} วินาที "
                f"กรุณาลองใหม่ (lock {self._file_lock.lock_file} held by another writer)"
            ) from None

    def _remove_dead_tmp(self) -> None:
        """Temporary files of a writer killed mid-write (only the lock's holder writes one, and
        we hold it now)."""
        for tmp in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()

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
        with self._lock():
            existing, rep = self._read()  # re-read under the lock: never lose another writer's record
            if rep.damaged:
                self._backup_and_warn(rep, len(existing))
            seqs = [int(r["seq"]) for r in existing if str(r.get("seq", "")).isdigit()]
            nxt = max(seqs, default=0) + 1
            at = now()
            for i, r in enumerate(prepared):
                r["seq"] = str(nxt + i)
                r["recorded_at"] = at.isoformat(timespec="microseconds")
                r["record_id"] = "r" + uuid.uuid4().hex
            existing.sort(key=lambda r: (int(r["seq"]) if r["seq"] else -1, r.get("_line", 0)))
            self._replace(self._serialize(existing + prepared))
        return prepared

