"""The certification ledger: which school sent its director-signed reports for which round,
when, and to whom (``certification.csv``; format in :mod:`obec_audit.ledger`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
import re

import pandas as pd

from obec_audit import calendar as cal
from obec_audit.ids import school as school_ids
from obec_audit.ledger.store import Store, clean_text, default_ledger_dir

__all__ = ["CertificationLedger", "CERT_COLUMNS", "CERT_LABELS_TH", "CERT_STATUS_TH",
           "normalize_round", "normalize_school_code"]

CERT_STATUS_TH: dict[str, str] = {
    "certified": "ส่งแล้ว (ตรงเวลา)",
    "late": "ส่งแล้ว (ล่าช้า)",
    "not-yet": "ยังไม่ส่ง",
    "overdue": "ยังไม่ส่ง (เกินกำหนด)",
}
_ACTION_TH = {"received": "รับเอกสารแล้ว", "unmarked": "ยกเลิกการรับ"}


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


def normalize_school_code(value) -> str:
    code = school_ids.compact(clean_text(value, 40))
    if not school_ids.is_valid_smis(code):
        raise ValueError(f"รหัสโรงเรียนไม่ถูกต้อง: {value!r} (ต้องเป็นตัวเลข 8 หลัก) (invalid school code)")
    return code


def normalize_round(value) -> str:
    r = clean_text(value, 40).lower()
    if r not in cal.PHASES:
        raise ValueError(f"ไม่รู้จักรอบ {value!r}; ใช้ได้: {', '.join(cal.PHASES)} (unknown round)")
    return r


def _normalize_cert(rec: dict) -> dict:
    rec = {k: clean_text(rec.get(k, "")) for k in CERT_COLUMNS} | {
        k: v for k, v in rec.items() if k not in CERT_COLUMNS
    }
    rec["school_code"] = normalize_school_code(rec["school_code"])
    rec["round"] = normalize_round(rec["round"])
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

    def __init__(self, folder=None, calendar_dir=None, lock_timeout: float = 30.0) -> None:
        self.folder = Path(folder) if folder is not None else default_ledger_dir()
        self.calendar_dir = calendar_dir
        self._store = Store(
            self.folder / self.FILENAME, CERT_COLUMNS, CERT_LABELS_TH,
            key=["academic_year", "round", "school_code"], normalize=_normalize_cert,
            lock_timeout=lock_timeout,
        )

    @property
    def path(self) -> Path:
        return self._store.path

    def deadline(self, round: str, year_be: int) -> dt.date | None:
        """The calendar's deadline of ``round`` in academic year ``year_be``."""
        return cal.deadline_for(normalize_round(round), year_be, calendar_dir=self.calendar_dir)

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
        code = normalize_school_code(school_code)
        rnd = normalize_round(round)
        got = cal.parse_date(received_on)
        if got is None:
            raise ValueError("ไม่ได้ระบุวันที่รับเอกสาร (no received date)")
        now = cal.parse_date(today) if today is not None else dt.date.today()
        if got > now:
            raise ValueError(f"วันที่รับ {cal.to_be(got)} อยู่ในอนาคต (received date in the future)")
        by = clean_text(received_by, 200)
        if not by:
            raise ValueError("กรุณาระบุชื่อผู้รับเอกสาร (received_by is required)")
        yr = self._year(year, got)
        dl = self.deadline(rnd, yr)
        rec = {
            "academic_year": str(yr), "round": rnd, "school_code": code,
            "school_name": clean_text(school_name, 300), "action": "received",
            "received_on": got.isoformat(), "received_by": by,
            "deadline": dl.isoformat() if dl else "", "note": clean_text(note),
        }
        return self._store.append([rec])[0]

    def unmark(self, school_code: str, round: str, by: str, note: str = "", *,
               year: int | None = None, today=None) -> dict:
        """Withdraw a receipt (e.g. recorded for the wrong school) as a new record."""
        code = normalize_school_code(school_code)
        rnd = normalize_round(round)
        now = cal.parse_date(today) if today is not None else dt.date.today()
        who = clean_text(by, 200)
        if not who:
            raise ValueError("กรุณาระบุชื่อผู้ยกเลิก (by is required)")
        yr = self._year(year, now)
        rec = {
            "academic_year": str(yr), "round": rnd, "school_code": code, "action": "unmarked",
            "received_by": who, "note": clean_text(note),
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
        rnd = normalize_round(round)
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


