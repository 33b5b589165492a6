"""The duplicate decisions: what the officer decided about each duplicate set (keep /
move-out / not-duplicate), ``duplicate_decisions.csv`` (format in :mod:`obec_audit.ledger`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from obec_audit import calendar as cal
from obec_audit.ids import school as school_ids
from obec_audit.ledger.certification import normalize_round
from obec_audit.ledger.store import Store, clean_text, default_ledger_dir, now
from obec_audit.privacy import mask_ids, mask_text

__all__ = ["DuplicateDecisions", "DECISIONS", "DECISION_TH", "DEC_COLUMNS", "DEC_LABELS_TH",
           "mask_joined", "mask_text"]

#: duplicate decisions: keep (the child is at this school; identity evidence uploaded),
#: move-out (the school must move the child out in DMC), not-duplicate (different children)
DECISIONS: tuple[str, ...] = ("keep", "move-out", "not-duplicate")
DECISION_TH: dict[str, str] = {"keep": "คงไว้", "move-out": "ย้ายออก", "not-duplicate": "ไม่ซ้ำ"}


def _be_datetime(d: dt.datetime) -> str:
    return f"{cal.to_be(d.date())} {d:%H:%M}"


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
    d = clean_text(value, 40)
    d = _DECISION_FROM_TH.get(d, d.lower())
    if d not in DECISIONS:
        raise ValueError(
            f"ผลการพิจารณาไม่ถูกต้อง: {value!r}; ใช้ได้: คงไว้ / ย้ายออก / ไม่ซ้ำ (decision must be one of {DECISIONS})"
        )
    return d


def _normalize_dec(rec: dict) -> dict:
    rec = {k: clean_text(rec.get(k, ""), 10_000) for k in DEC_COLUMNS} | {
        k: v for k, v in rec.items() if k not in DEC_COLUMNS
    }
    rec["group"] = clean_text(rec["group"], 500)
    if not rec["group"]:
        raise ValueError("ไม่มีรหัสชุดซ้ำ (group is required)")
    rec["decision"] = _decision(rec["decision"])
    rec["decision_th"] = DECISION_TH[rec["decision"]]
    if rec["school_code"]:
        rec["school_code"] = school_ids.compact(rec["school_code"])
    if rec["round"]:
        rec["round"] = normalize_round(rec["round"])
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
        return ["" if pd.isna(v) else clean_text(v, 100).replace(";", ",") for v in df[name]]

    ids = col("national_id")
    schools = col("school_code")
    files, rows = col("source_file"), col("source_row")
    where = [f"{f}#{r}" if (f or r) else "" for f, r in zip(files, rows)]
    join = ";".join
    return join(ids), join(schools) if any(schools) else "", join(where) if any(where) else ""


def mask_joined(text: str) -> str:
    """Mask every ID of a ';'-joined list (for display), in ``privacy``'s one style.

    >>> mask_joined('1101700230708;G644200000001')
    '1xxxxxxxxxxx8;Gxxxxxxxxxxx1'
    """
    if not text:
        return ""
    return ";".join(mask_ids(pd.Series(text.split(";"), dtype="string")).fillna("").tolist())


class DuplicateDecisions:
    """The officer's decision on each duplicate group (keep / move-out / not-duplicate).

    Group ids are the caller's ``group`` strings (the findings' ``group`` column); keep them
    stable across rounds (e.g. derived from the shared ID) so a decision recorded in round 1
    shows up when round 2 finds the same group. The latest record per group is current.
    """

    FILENAME = "duplicate_decisions.csv"
    COLUMNS = DEC_COLUMNS
    LABELS_TH = DEC_LABELS_TH

    def __init__(self, folder=None, lock_timeout: float = 30.0) -> None:
        self.folder = Path(folder) if folder is not None else default_ledger_dir()
        self._store = Store(
            self.folder / self.FILENAME, DEC_COLUMNS, DEC_LABELS_TH, key=["group"],
            normalize=_normalize_dec, lock_timeout=lock_timeout,
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
        g = clean_text(group, 500)
        if not g:
            raise ValueError("ไม่มีรหัสชุดซ้ำ (group is required)")
        dec = _decision(decision)
        why = clean_text(reason, 2000)
        if not why:
            raise ValueError("กรุณาระบุเหตุผล (reason is required)")
        who = clean_text(decided_by, 200)
        if not who:
            raise ValueError("กรุณาระบุชื่อผู้พิจารณา (decided_by is required)")
        when = decided_at if isinstance(decided_at, dt.datetime) else now()
        if isinstance(decided_at, dt.date) and not isinstance(decided_at, dt.datetime):
            when = dt.datetime.combine(decided_at, dt.time()).astimezone()
        if when.tzinfo is None:
            when = when.astimezone()
        ids, schools, rows = _members(members)
        rec = {
            "group": g, "check": clean_text(check, 40), "decision": dec,
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

