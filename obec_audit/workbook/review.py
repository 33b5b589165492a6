"""The officer's reviews: duplicate sets (decide, with a reason) and the certification ledger
(signed reports received). A mixin of :class:`obec_audit.workbook.core.Workbook`."""

from __future__ import annotations

import datetime as dt
import html
import os

import numpy as np
import pandas as pd

from obec_audit import reference
from obec_audit.ledger import CertificationLedger, DuplicateDecisions
from obec_audit.round import read_school_list, write_outputs, write_reports
from obec_audit.thaidate import be_short_series
from obec_audit.workbook import figures
from obec_audit.workbook.display import bars_that_stay, box, check_titles, officer_table
from obec_audit.workbook.paths import SIMULATED_LEDGER

__all__ = ["ReviewMixin", "DUP_CHECKS"]

DUP_CHECKS = ("dup-id-school", "dup-id-area", "dup-person")


class ReviewMixin:
    # ---------------------------------------------------------------- duplicates
    def decisions(self) -> DuplicateDecisions:
        return DuplicateDecisions(self.ledger_dir)

    def duplicate_sets(self):
        """One row per duplicate set: check, members, schools, and the decision recorded
        for it (this round or an earlier one)."""
        f = self._need().findings
        d = f[f["check"].isin(DUP_CHECKS) & f["group"].notna()]
        cols = ["group", "check_th", "members", "in_schools", "decision_th", "reason", "decided_by"]
        if len(d) == 0:
            return self._table(pd.DataFrame(columns=cols), empty="ไม่พบนักเรียนซ้ำซ้อน")
        g = d.groupby("group", sort=False)
        t = pd.DataFrame({
            "check": g["check"].first(),
            "members": g.size(),
            "in_schools": g["school_code"].agg(lambda s: ", ".join(sorted(set(s.dropna())))),
        }).reset_index()
        t.insert(1, "check_th", t["check"].map(check_titles()))
        dec = self.decisions().for_groups(t["group"])
        for col, empty in (("decision_th", "ยังไม่พิจารณา"), ("reason", ""), ("decided_by", "")):
            m = dec[col].to_dict() if len(dec) and col in dec else {}
            t[col] = [m.get(g, empty) or empty if g in m else empty for g in t["group"]]
        order = {c: i for i, c in enumerate(DUP_CHECKS)}
        t = t.sort_values(["check", "group"], key=lambda s: s.map(order) if s.name == "check" else s)
        return self._table(t.drop(columns=["check"]))

    def duplicate_members(self, group: str):
        """The rows of one duplicate set side by side (school, file, row, name, grade, birth
        date …)."""
        r = self._need()
        m = r.findings[r.findings["group"].eq(group)]
        st = r.students
        key = st[["source_file", "source_row"]].astype(str).agg("#".join, axis=1)
        mk = m[["source_file", "source_row"]].astype(str).agg("#".join, axis=1)
        rows = st[key.isin(set(mk))]
        cols = ["school_code", "source_file", "source_row", "national_id", "title", "first_name",
                "last_name", "sex", "birth_date", "grade", "room"]
        v = rows.reindex(columns=cols).copy()
        v.insert(1, "school_name", v["school_code"].map(self._school_names()))
        v["birth_date"] = be_short_series(v["birth_date"])
        v["sex"] = v["sex"].map({"M": "ชาย", "F": "หญิง"})
        return self._table(v)

    def record_decision(self, group: str, decision: str, reason: str, decided_by: str | None = None,
                        school_code: str = "") -> dict:
        """Record the officer's decision on one duplicate set (keep / move-out /
        not-duplicate, or คงไว้ / ย้ายออก / ไม่ซ้ำ) with a reason; appended, never overwritten."""
        f = self._need().findings
        m = f[f["group"].eq(group)]
        chk = m["check"].iloc[0] if len(m) else ""
        return self.decisions().record(
            group, decision, reason, decided_by or self.officer or "เจ้าหน้าที่ สพป.",
            members=m, check=chk, school_code=school_code, round=self.ledger_round,
            academic_year=self.academic_year)

    def duplicates_widget(self):
        """Review each duplicate set side by side and record a decision (keep / move out /
        not a duplicate) with a reason (``obec_audit.widgets.DuplicateReview``)."""
        from obec_audit.widgets import DuplicateReview  # widgets import ipywidgets: only when asked

        r = self._need()
        return self._shown(DuplicateReview(
            r.findings, r.students, self.decisions(), decided_by=self.officer,
            schools=self._area_schools(), round=self.ledger_round,
            academic_year=self.academic_year, show_full_ids=self.show_ids, titles=check_titles()))

    def decisions_table(self):
        """The current decision of every duplicate set recorded so far (IDs masked)."""
        return self._table(self.decisions().display(masked=not self.show_ids),
                           empty="ยังไม่มีการบันทึกผลการพิจารณา")

    # ---------------------------------------------------------------- reports
    def write_reports(self):
        """Write the five-report pack of every school (``reports/<code>.xlsx``) and the area's
        ``summary.xlsx`` (progress bar)."""
        r = self._need()
        if not (self.out_dir / "findings.csv").exists():
            write_outputs(r, self.out_dir, reports=False)
        b = self.inputs.get("boarding_schools")
        boarding = read_school_list(b) if isinstance(b, (str, os.PathLike)) else (
            frozenset(b) if b is not None else None)
        with bars_that_stay():
            written = write_reports(r, self.out_dir, schools=reference.schools(self.area),
                                    boarding=boarding, show_full_ids=True, progress=True)
        self._cache["reports"] = written
        lines = [
            f"รายงานรายโรงเรียน {len(written):,} แฟ้ม ที่ <code>{html.escape(str(self.out_dir / 'reports'))}</code>",
            "แต่ละแฟ้มมี 5 รายงานให้ผู้อำนวยการลงนาม: 1-จำนวนนักเรียน, 2-ด้อยโอกาส, 3-พักนอน, 4-พิการ, "
            "5-เลขประจำตัวไม่ถูกต้อง และแผ่นงาน ข้อผิดพลาด",
            f"สรุปภาพรวมเขต: <code>{html.escape(str(self.out_dir / 'summary.xlsx'))}</code>",
        ]
        return self._shown(box("เขียนรายงานเสร็จแล้ว", lines, "#1a9850"))

    def report_files(self):
        """The packs written: school, file, size."""
        files = sorted((self.out_dir / "reports").glob("*.xlsx"))
        t = pd.DataFrame({"school_code": [p.stem for p in files], "แฟ้ม": [p.name for p in files],
                          "ขนาด (KB)": [round(p.stat().st_size / 1024, 1) for p in files]})
        t.insert(1, "school_name", t["school_code"].map(self._school_names()).fillna(""))
        return self._table(t, empty="ยังไม่ได้เขียนรายงาน")

    # ---------------------------------------------------------------- certification
    @property
    def simulated(self) -> bool:
        """True once this demo workbook shows simulated receipts (``simulate_receipts``)."""
        return bool(self._cache.get("simulated"))

    def ledger(self) -> CertificationLedger:
        """The certification ledger (the simulated one, apart, after ``simulate_receipts``)."""
        if self.simulated:
            return CertificationLedger(self.ledger_dir.parent / SIMULATED_LEDGER)
        return CertificationLedger(self.ledger_dir)

    def mark_received(self, school_code: str, received_on, received_by: str | None = None,
                      note: str = "") -> dict:
        """Record that a school's signed reports arrived on ``received_on``."""
        names = self._school_names() if self.result is not None else {}
        return self.ledger().mark_received(
            school_code, self.ledger_round, received_on, received_by or self.officer or "เจ้าหน้าที่ สพป.",
            note, year=self.academic_year, school_name=names.get(str(school_code), ""), today=self.today)

    def certification_widget(self):
        """'Mark received': pick a school, the date its signed reports arrived, who received
        them (``obec_audit.widgets.ReceiptForm``); on time or late against the calendar."""
        from obec_audit.widgets import ReceiptForm  # widgets import ipywidgets: only when asked

        return self._shown(ReceiptForm(self.ledger(), self._area_schools(), round=self.ledger_round,
                                       year=self.academic_year, today=self.today,
                                       received_by=self.officer))

    def certification_status(self, raw: bool = False):
        """Per school of the area: received on time / late / not yet / overdue."""
        st = self.ledger().status(self.ledger_round, self._area_schools(), today=self.today,
                                  year=self.academic_year)
        if raw:
            return st
        cols = ["school_code", "school_name", "status_th", "received_on_be", "received_by",
                "deadline_be", "days_late", "note"]
        note = "ข้อมูลจำลองสำหรับฝึกอบรม ไม่ใช่การรับเอกสารจริง" if self.simulated else ""
        return self._table(st[cols], note=note)

    def certification_counts(self):
        st = self.certification_status(raw=True)
        t = st["status_th"].value_counts().rename_axis("สถานะ").reset_index(name="โรงเรียน")
        return officer_table(t)

    def certification_chart(self) -> figures.Figure:
        st = self.certification_status(raw=True)
        s = st["status"].astype(str)
        overdue = s.eq("not-yet") & st["overdue"].astype(bool) if "overdue" in st else s.eq("overdue")
        return self._shown(figures.certification_figure(
            {"n_certified": int(s.eq("certified").sum()), "n_late": int(s.eq("late").sum()),
             "n_overdue": int(overdue.sum()), "n_not_yet": int((s.eq("not-yet") & ~overdue).sum()),
             "n_unknown": 0}, simulated=self.simulated))

    def simulate_receipts(self, share: float = 0.6, late_share: float = 0.1, seed: int = 5701):
        """Demo only: record that a share of the schools sent their signed reports (some
        late), so a trainer can show the ledger. The receipts go to a ledger of their own
        (``<demo>/ledger-simulated/``), labelled as simulated, never into the ledger the
        phase notebooks read. Refuses to run on real data."""
        if not self.demo:
            raise RuntimeError("ใช้ได้เฉพาะเขตตัวอย่าง (simulate_receipts is for the demo area only)")
        self._cache["simulated"] = True
        rng = np.random.default_rng(seed)
        st = self.ledger().status(self.ledger_round, self._area_schools(), today=self.today,
                                  year=self.academic_year)
        todo = st[st["status"].eq("not-yet")]["school_code"].tolist()
        if todo and len(todo) == len(st):  # not simulated yet
            pick = [c for c in todo if rng.random() < share]
            dl = self.deadline or self.as_of
            for c in pick:
                late = rng.random() < late_share
                day = (dl + dt.timedelta(days=int(rng.integers(1, 3))) if late
                       else dl - dt.timedelta(days=int(rng.integers(0, 6))))
                self.mark_received(c, min(day, self.today), "เจ้าหน้าที่ตัวอย่าง (จำลอง)",
                                   "ข้อมูลจำลองสำหรับฝึกอบรม")
        t = self.certification_counts()
        t.note = f"จำลองการรับเอกสาร (ไม่ใช่ข้อมูลจริง) เก็บแยกที่ {self.ledger().folder}"
        return self._shown(t)
