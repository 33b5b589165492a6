"""The Workbook: one phase of the calendar on one set of inputs, one call per notebook cell.

Reading and checking, the per-school tables, completeness and the other datasets live here;
duplicates and certification in ``review``, round-over-round in ``compare``, the round's
record and self-check in ``record``. :func:`open_round` builds a Workbook.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from obec_audit.checks import staff as staff_checks

from obec_audit import calendar as cal
from obec_audit import io as obec_io
from obec_audit import reference
from obec_audit.ledger import default_ledger_dir
from obec_audit.round import run_round, write_outputs
from obec_audit.schema import FIELD_LABEL_TH, GRADES, SEVERITY_TH, STAFF_POSITIONS, TEACHING_POSITIONS
from obec_audit.thaidate import academic_year, parse_date
from obec_audit.workbook import figures
from obec_audit.workbook.compare import CompareMixin
from obec_audit.workbook.display import (
    LAYOUT_TH,
    HtmlBlock,
    bars_that_stay,
    OfficerTable,
    box,
    check_titles,
    date_th,
    officer_table,
)
from obec_audit.workbook.paths import (
    LEDGER_ROUND,
    PHASE_NOTEBOOK,
    ROUND_PHASES,
    data_root,
    demo_dir,
    demo_inputs,
)
from obec_audit.workbook.record import RecordMixin
from obec_audit.workbook.review import ReviewMixin

__all__ = ["Workbook", "open_round"]

PathLike = str | os.PathLike

DATASET_TH = {"students": "นักเรียน", "staff": "บุคลากร", "mobec": "ครุภัณฑ์",
              "mobec_previous": "ครุภัณฑ์ปีก่อน", "bobec": "อาคาร", "discharges": "จำหน่าย",
              "class_counts": "จำนวนห้องเรียน", "previous": "รอบก่อน"}
STATUS_TH = {"ok": "อ่านได้", "unreadable": "อ่านไม่ได้", "no-header": "ไม่พบหัวตาราง",
             "empty": "ว่าง", "skipped": "ข้าม (ไม่ใช่รายชื่อนักเรียน)", "not-student": "ไม่ใช่รายชื่อนักเรียน",
             "duplicate": "ซ้ำกับแฟ้มอื่น (อ่านครั้งเดียว)", "ignored": "ไม่ต้องอ่าน (แฟ้มชั่วคราว/ซ่อน)",
             "archive": "แฟ้ม zip (อ่านแฟ้มข้างใน)", "folder": "โฟลเดอร์"}


@dataclass
class Workbook(ReviewMixin, CompareMixin, RecordMixin):
    """One phase of the calendar on one set of inputs (see :func:`open_round`)."""

    phase: str
    inputs: dict
    out_dir: Path
    ledger_dir: Path
    demo: bool = False
    area: str = "5701"
    area_name: str = ""
    show_ids: bool = False
    today: dt.date = field(default_factory=dt.date.today)
    officer: str = ""
    result: Any = None
    _cache: dict = field(default_factory=dict, repr=False)

    # ---------------------------------------------------------------- basics
    @property
    def as_of(self) -> dt.date:
        return self.inputs["as_of"]

    @property
    def academic_year(self) -> int:
        return academic_year(self.as_of)

    @property
    def ledger_round(self) -> str:
        return LEDGER_ROUND[self.phase]

    @property
    def deadline(self) -> dt.date | None:
        return cal.deadline_for(self.ledger_round, self.academic_year)

    def _need(self):
        if self.result is None:
            self.load()
        return self.result

    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        return f"Workbook({self.phase!r}, as_of={self.as_of}, out_dir={str(self.out_dir)!r})"

    def _table(self, df: pd.DataFrame, extra_labels: dict | None = None, **kw) -> OfficerTable:
        return self._shown(officer_table(df, self.show_ids, extra_labels, **kw))

    def intro(self) -> HtmlBlock:
        """Where we are in the calendar: the phase, its period and deadline, days left, and
        where the data come from and go to."""
        year = self.academic_year
        summ = cal.phase_summary(year)
        row = summ[summ["phase"] == self.phase]
        lines = []
        if len(row):
            r = row.iloc[0]
            lines.append(f"ช่วงงาน: <b>{html.escape(str(r['phase_th']))}</b> ปีการศึกษา {year}")
            lines.append(f"ระยะเวลา: {date_th(r['start_ce'])} ถึง {date_th(r['end_ce'])}")
            if r["deadline_ce"] is not None:
                left = (r["deadline_ce"] - self.today).days
                when = f"อีก {left} วัน" if left >= 0 else f"เลยกำหนดมาแล้ว {-left} วัน"
                lines.append(f"กำหนดส่ง: <b>{date_th(r['deadline_ce'])}</b> ({when}, "
                             f"นับจากวันที่ {date_th(self.today)})")
        lines.append(f"ข้อมูล ณ วันที่: <b>{date_th(self.as_of)}</b>")
        src = "เขตตัวอย่าง (ข้อมูลสังเคราะห์ ไม่ใช่ข้อมูลจริง)" if self.demo else "ข้อมูลจริงของเขตพื้นที่"
        lines.append(f"แหล่งข้อมูล: {src} — <code>{html.escape(str(self.inputs['inputs']))}</code>")
        lines.append(f"ผลการตรวจจะบันทึกที่: <code>{html.escape(str(self.out_dir))}</code>")
        lines.append(f"ทะเบียนการรับรองและผลพิจารณาเลขซ้ำ: <code>{html.escape(str(self.ledger_dir))}</code>")
        if not self.show_ids:
            lines.append("เลขประจำตัวในตารางถูกปิดบางส่วน (PDPA); ตั้ง SHOW_IDS = True ในเซลล์แรกเพื่อแสดงเต็ม")
        colour = "#b35900" if self.demo else "#1f6f8b"
        return self._shown(box(f"{self.area_name or 'สพป.'} ({self.area})", lines, colour))

    def calendar(self) -> OfficerTable:
        """The whole year's calendar (Thai labels, B.E. dates)."""
        return self._table(cal.calendar_table(self.academic_year))

    # ---------------------------------------------------------------- load and check
    def load(self) -> OfficerTable:
        """Read every input file (progress bar) and run the phase's checks in memory.
        Returns the files table: one row per file and sheet."""
        kw = dict(self.inputs)
        kw.pop("_previous_round", None)
        with bars_that_stay():
            self.result = run_round(out=None, reports=False, progress=True, area_code=self.area,
                                    area_name=self.area_name or None, **kw)
        if not self.area_name:
            self.area_name = self.result.meta.get("area_name", "")
        return self.files_table()

    def files_table(self) -> OfficerTable:
        f = self._need().files.copy()
        if "status" in f:  # folders are where files were found, not files read
            f = f[~f["status"].isin(["folder"])].reset_index(drop=True)
        cols = [c for c in ("dataset", "source_file", "source_sheet", "layout", "rows_read",
                            "rows_loaded", "rows_blank", "rows_header", "rows_non_student", "status",
                            "message_th") if c in f.columns]
        f = f[cols]
        if "dataset" in f:
            f["dataset"] = f["dataset"].fillna("students").replace(DATASET_TH)
        if "status" in f:
            f["status"] = f["status"].replace(STATUS_TH)
        if "layout" in f:
            f["layout"] = f["layout"].astype("string").fillna("").replace(LAYOUT_TH)
        if "source_sheet" in f:  # a sheet's name only where a workbook holds several
            many = f.groupby("source_file")["source_sheet"].transform("size").gt(1)
            f["source_sheet"] = f["source_sheet"].where(many, "")
            if not many.any():
                f = f.drop(columns="source_sheet")
        return self._table(f)

    def files_summary(self) -> HtmlBlock:
        """Headline of the reading: files, rows read and loaded, files not read."""
        r = self._need()
        f = r.files
        if "status" in f:  # folders and zips hold files; they are not files read themselves
            f = f[~f["status"].isin(["folder", "archive"])]
        ok = f["status"].isin(["ok", "ignored"]) if "status" in f else pd.Series(True, index=f.index)
        bad = f.loc[~ok, "source_file"].tolist() if "source_file" in f else []
        lines = [
            f"แฟ้มทั้งหมด {len(f):,} แฟ้ม/ชีต อ่านได้ {int(ok.sum()):,}",
            f"แถวที่อ่าน {int(pd.to_numeric(f.get('rows_read'), errors='coerce').sum()):,} "
            f"นำเข้า {int(pd.to_numeric(f.get('rows_loaded'), errors='coerce').sum()):,}",
            f"นักเรียน {len(r.students):,} คน จาก {r.students['school_code'].nunique():,} โรงเรียน",
        ]
        if bad:
            lines.append("<b>แฟ้มที่อ่านไม่ได้:</b> " + html.escape(", ".join(map(str, bad[:20]))))
        return self._shown(box("การอ่านแฟ้ม", lines, "#b30000" if bad else "#1a9850"))

    def missing_schools(self) -> OfficerTable:
        """Schools of the area's registry with no student row in the files read."""
        reg = reference.schools(self.area)
        seen = set(self._need().students["school_code"].dropna().astype(str))
        miss = reg[~reg["smis8"].isin(seen)][["smis8", "school_name"]]
        return self._table(miss.rename(columns={"smis8": "school_code"}),
                           empty="ทุกโรงเรียนในทะเบียนของเขตมีข้อมูลในแฟ้มที่อ่านแล้ว")

    def check(self) -> OfficerTable:
        """Write the round's files (findings.csv, students.csv, completeness.csv …) to
        ``out_dir`` and show the findings by check."""
        r = self._need()
        r.out_dir = self.out_dir
        write_outputs(r, self.out_dir, reports=False)
        return self.counts_by_check()

    def counts_by_check(self) -> OfficerTable:
        t = self._need().counts_by_check()
        t.insert(1, "check_th", t["check"].map(check_titles()).fillna(t["check"]))
        t["severity"] = t["severity"].map(SEVERITY_TH).fillna(t["severity"])
        return self._table(t)

    def headline(self) -> HtmlBlock:
        """The round in a few numbers."""
        r = self._need()
        f = r.findings
        err = f[f["severity"].eq("error")]
        lines = [
            f"นักเรียน {len(r.students):,} คน ใน {r.students['school_code'].nunique():,} โรงเรียน",
            f"ข้อผิดพลาด {len(err):,} รายการ ใน <b>{err['school_code'].dropna().nunique():,}</b> โรงเรียน",
            f"ควรตรวจสอบ {int(f['severity'].eq('warning').sum()):,} รายการ; "
            f"แจ้งเพื่อทราบ {int(f['severity'].eq('info').sum()):,} รายการ",
        ]
        return self._shown(box("สรุปผลการตรวจ", lines))

    def schools_with_open_errors(self) -> int:
        return int(self._need().schools_with_open_errors())

    # ---------------------------------------------------------------- per school
    def _school_names(self) -> dict[str, str]:
        if "names" in self._cache:
            return self._cache["names"]
        reg = reference.schools(None)
        names = dict(zip(reg["smis8"], reg["school_name"]))
        st = self._need().students
        if "school_name" in st:
            s = st.dropna(subset=["school_code"]).drop_duplicates("school_code")
            for c, n in zip(s["school_code"], s["school_name"]):
                if c not in names and isinstance(n, str) and n:
                    names[c] = n
        self._cache["names"] = names
        return names

    def _area_schools(self) -> pd.DataFrame:
        reg = reference.schools(self.area)[["smis8", "school_name"]].rename(columns={"smis8": "school_code"})
        if self.result is not None:
            seen = self.result.students["school_code"].dropna().astype(str).unique()
            extra = pd.DataFrame({"school_code": [c for c in seen if c not in set(reg["school_code"])]})
            extra["school_name"] = extra["school_code"].map(self._school_names()).fillna("")
            reg = pd.concat([reg, extra], ignore_index=True)
        return reg.reset_index(drop=True)

    def summary_by_school(self, raw: bool = False) -> pd.DataFrame:
        """One row per school: students, errors, warnings, info, percent complete."""
        r = self._need()
        st, f = r.students, r.findings
        codes = sorted(set(st["school_code"].dropna().astype(str))
                       | set(f["school_code"].dropna().astype(str)))
        t = pd.DataFrame({"school_code": codes})
        t["school_name"] = t["school_code"].map(self._school_names()).fillna("")
        t["students"] = t["school_code"].map(st["school_code"].value_counts()).fillna(0).astype(int)
        sev = pd.crosstab(f["school_code"], f["severity"]) if len(f) else pd.DataFrame()
        for k, col in (("error", "errors"), ("warning", "warnings"), ("info", "infos")):
            t[col] = t["school_code"].map(sev[k] if k in sev else {}).fillna(0).astype(int)
        sc = r.school_completeness
        if sc is not None and len(sc):
            t["percent_complete"] = t["school_code"].map(
                dict(zip(sc["school_code"].astype(str), sc["percent_complete"])))
        t = t.sort_values(["errors", "warnings", "school_code"], ascending=[False, False, True])
        t = t.reset_index(drop=True)
        return t if raw else self._table(t)

    def school_picker(self):
        """A school picker (``obec_audit.widgets.SchoolPicker``) over the area's schools."""
        from obec_audit.widgets import SchoolPicker  # widgets import ipywidgets: only when asked

        return SchoolPicker(self._area_schools())

    def school_findings(self, school_code: str) -> OfficerTable:
        """Every finding of one school, most serious first (IDs masked)."""
        return self._findings_view(self._need().findings, school=school_code)

    def _findings_view(self, f: pd.DataFrame, school=None, check=None, severity=None,
                       limit: int | None = None) -> OfficerTable:
        if school:
            f = f[f["school_code"].eq(school)]
        if check:
            f = f[f["check"].eq(check)]
        if severity:
            f = f[f["severity"].eq(severity)]
        cols = ["school_code", "check", "severity", "message", "source_file", "source_row",
                "student_name", "national_id", "field", "value", "group"]
        v = f.reindex(columns=cols).copy()
        v.insert(2, "check_th", v["check"].map(check_titles()).fillna(v["check"]))
        v["severity"] = v["severity"].map(SEVERITY_TH).fillna(v["severity"])
        v["field"] = v["field"].map(lambda x: FIELD_LABEL_TH.get(x, x) if isinstance(x, str) else x)
        v = v.drop(columns=["check"])
        note = ""
        if limit is not None and len(v) > limit:
            note = f"แสดง {limit:,} รายการแรกจาก {len(v):,} รายการ"
            v = v.head(limit)
        v = v.dropna(axis=1, how="all")  # a column empty for every row says nothing
        return self._table(v, note=note, empty="ไม่พบข้อค้นพบในรายการนี้")

    def findings_widget(self, limit: int = 300):
        """Browse the findings: school, check and severity filters, 300 rows a page
        (``obec_audit.widgets.FindingsFilter``; IDs masked unless ``show_ids``)."""
        from obec_audit.widgets import FindingsFilter  # widgets import ipywidgets: only when asked

        w = FindingsFilter(self._need().findings, schools=self._area_schools(), max_rows=limit,
                           show_full_ids=self.show_ids, titles=check_titles())
        return self._shown(w)

    # ---------------------------------------------------------------- completeness
    def completeness_table(self, worst: int | None = None) -> OfficerTable:
        """Per school: percent complete overall and per required field (worst first)."""
        r = self._need()
        c = r.completeness
        if c is None or len(c) == 0:
            return self._table(pd.DataFrame())
        wide = c.pivot_table(index="school_code", columns="field_th", values="percent_complete",
                             aggfunc="first", sort=False)
        order = [FIELD_LABEL_TH.get(x, x) for x in dict.fromkeys(c["field"])]
        wide = wide.reindex(columns=[o for o in order if o in wide.columns])
        sc = r.school_completeness.set_index("school_code")
        wide.insert(0, "ครบถ้วน (%)", sc["percent_complete"].reindex(wide.index))
        wide.insert(0, "ช่องที่ว่าง", sc["missing_cells"].reindex(wide.index))
        wide.insert(0, "นักเรียน", sc["students"].reindex(wide.index))
        wide.insert(0, "ชื่อโรงเรียน", wide.index.map(self._school_names()).fillna(""))
        wide = wide.sort_values(["ครบถ้วน (%)", "ช่องที่ว่าง"], ascending=[True, False])
        wide.index.name = "รหัสโรงเรียน"
        wide = wide.reset_index()
        return self._table(wide.head(worst) if worst else wide)

    def incomplete_schools(self) -> int:
        """How many schools are below 100 % complete."""
        sc = self._need().school_completeness
        # by the missing cells, not the percent: 1 empty cell in 3,000 rounds to 100.0 %
        return int((pd.to_numeric(sc["missing_cells"], errors="coerce") > 0).sum())

    def completeness_chart(self) -> figures.Figure:
        """Percent complete by school, every school labelled (red < 90 %, amber < 100 %, green)."""
        return self._shown(figures.completeness_figure(self._need().school_completeness,
                                                       self._school_names()))

    # ---------------------------------------------------------------- charts
    def findings_chart(self, top: int = 30, severity: str | None = "error") -> figures.Figure:
        """Findings by school and check (stacked; the ``top`` schools with most)."""
        label = SEVERITY_TH.get(severity, "ข้อค้นพบ") if severity else "ข้อค้นพบ"
        return self._shown(figures.findings_figure(self._need().findings, check_titles(),
                                                   self._school_names(), top, severity, label))

    def grade_sex_table(self) -> pd.DataFrame:
        """Students by grade and sex (and the previous census's total when there is one)."""
        r = self._need()
        st = r.students
        t = pd.crosstab(st["grade"].fillna("ไม่ระบุชั้น"), st["sex"].fillna("?"))
        t = t.reindex(columns=["M", "F"], fill_value=0)
        order = [g for g in GRADES if g in t.index] + [g for g in t.index if g not in GRADES]
        t = t.reindex(order)
        out = pd.DataFrame({"grade": t.index, "male": t["M"].values, "female": t["F"].values})
        out["total"] = out["male"] + out["female"]
        mv = r.movements
        if mv is not None and len(mv):
            # every previous row is one movement row with its grade: no second read
            pt = mv.loc[mv["prev_pos"].notna(), "prev_grade"].fillna("ไม่ระบุชั้น").value_counts()
            out["prev_total"] = out["grade"].map(pt).fillna(0).astype(int)
        elif (prev := self._previous_students()) is not None:
            pt = prev["grade"].fillna("ไม่ระบุชั้น").value_counts()
            out["prev_total"] = out["grade"].map(pt).fillna(0).astype(int)
        return out

    def grade_sex_chart(self) -> figures.Figure:
        """Students by grade and sex (with the previous census's total when there is one)."""
        return self._shown(figures.grade_sex_figure(self.grade_sex_table(), f"ณ {date_th(self.as_of)}"))

    def _previous_students(self):
        prev = self.inputs.get("previous")
        if not prev:
            return None
        if "prev_students" not in self._cache:
            self._cache["prev_students"] = obec_io.load_students(prev).frame
        return self._cache["prev_students"]

    # ---------------------------------------------------------------- other datasets
    def _dataset(self, name: str, loader: str) -> pd.DataFrame | None:
        paths = self.inputs.get(name)
        if not paths:
            return None
        if name not in self._cache:
            self._cache[name] = getattr(obec_io, loader)(paths).frame
        return self._cache[name]

    def _findings_count(self, prefix: str) -> pd.Series:
        f = self._need().findings
        f = f[f["check"].astype(str).str.startswith(prefix)]
        return f.groupby("school_code").size()

    def _per_school(self, t: pd.DataFrame, raw: bool) -> pd.DataFrame:
        t.index.name = "school_code"
        t = t.reset_index()
        t.insert(1, "school_name", t["school_code"].map(self._school_names()).fillna(""))
        return t if raw else self._table(t)

    def staff_summary(self, raw: bool = False) -> pd.DataFrame:
        """Per school: staff by position, students per teacher, staff findings."""
        s = self._dataset("staff", "load_staff")
        if s is None or len(s) == 0:
            return self._table(pd.DataFrame({"หมายเหตุ": ["ไม่มีแฟ้มข้อมูลบุคลากร (ตั้ง STAFF_DIR ในเซลล์แรก)"]}))
        # people per position: a school's EMIS counts page counts its numbers, a per-person
        # list its rows (checks.staff.headcounts, the rule the staff checks use)
        t = staff_checks.headcounts(s).astype(int)
        t = t.rename(columns={"": "ไม่ระบุ"})
        keep = [p for p in STAFF_POSITIONS if p in t.columns] + [c for c in t.columns if c not in STAFF_POSITIONS]
        t = t[keep]
        teachers = t[[c for c in t.columns if c in TEACHING_POSITIONS]].sum(axis=1)
        stu = self._need().students["school_code"].value_counts()
        t.insert(0, "บุคลากรทั้งหมด", t.sum(axis=1))
        t["นักเรียน"] = t.index.map(stu).fillna(0).astype(int)
        t["นักเรียนต่อครู"] = (t["นักเรียน"] / teachers.replace(0, pd.NA)).astype(float).round(1)
        t["ข้อค้นพบ (บุคลากร)"] = t.index.map(self._findings_count("staff-")).fillna(0).astype(int)
        return self._per_school(t, raw)

    def mobec_summary(self, raw: bool = False) -> pd.DataFrame:
        """Per school: M-OBEC items recorded (of the 76), usable / awaiting repair / awaiting
        disposal, findings."""
        m = self._dataset("mobec", "load_mobec")
        if m is None or len(m) == 0:
            return self._table(pd.DataFrame({"หมายเหตุ": ["ไม่มีแฟ้มครุภัณฑ์ (ตั้ง MOBEC_DIR ในเซลล์แรก)"]}))
        num = {c: pd.to_numeric(m[c], errors="coerce") for c in ("usable", "repair", "disposal")}
        g = pd.DataFrame({"school_code": m["school_code"], "item_code": m["item_code"], **num}).groupby("school_code")
        t = pd.DataFrame({
            "รายการที่บันทึก (จาก 76)": g["item_code"].nunique(),
            "ใช้ได้": g["usable"].sum().astype(int),
            "รอซ่อม": g["repair"].sum().astype(int),
            "รอจำหน่าย": g["disposal"].sum().astype(int),
        })
        t["ข้อค้นพบ (ครุภัณฑ์)"] = t.index.map(self._findings_count("mobec-")).fillna(0).astype(int)
        t = t.sort_values(["ข้อค้นพบ (ครุภัณฑ์)"], ascending=False, kind="stable")
        return self._per_school(t, raw)

    def bobec_summary(self, raw: bool = False) -> pd.DataFrame:
        """Per school: buildings, by condition, rooms, findings."""
        b = self._dataset("bobec", "load_bobec")
        if b is None or len(b) == 0:
            return self._table(pd.DataFrame({"หมายเหตุ": ["ไม่มีแฟ้มอาคาร (ตั้ง BOBEC_DIR ในเซลล์แรก)"]}))
        cond = pd.crosstab(b["school_code"], b["condition"].astype("string").fillna("ไม่ระบุ"))
        t = pd.DataFrame({"อาคาร/สิ่งก่อสร้าง": b.groupby("school_code").size()})
        for c in ("ดี", "พอใช้", "ทรุดโทรม"):
            t[f"สภาพ{c}"] = cond[c] if c in cond else 0
        t["ห้องตามแบบ"] = pd.to_numeric(b["design_rooms"], errors="coerce").groupby(b["school_code"]).sum().astype(int)
        t["ห้องจริง"] = pd.to_numeric(b["actual_rooms"], errors="coerce").groupby(b["school_code"]).sum().astype(int)
        t["ข้อค้นพบ (อาคาร)"] = t.index.map(self._findings_count("bobec-")).fillna(0).astype(int)
        t = t.sort_values(["ข้อค้นพบ (อาคาร)"], ascending=False, kind="stable")
        return self._per_school(t, raw)

    def dataset_findings(self, prefix: str) -> OfficerTable:
        """The findings whose check code starts with ``prefix`` (``staff-``, ``mobec-`` …)."""
        f = self._need().findings
        return self._findings_view(f[f["check"].astype(str).str.startswith(prefix)])

    def findings_of(self, *codes: str, limit: int | None = None) -> OfficerTable:
        """The findings of the given check codes (IDs masked)."""
        f = self._need().findings
        return self._findings_view(f[f["check"].isin(codes)], limit=limit)


# ---------------------------------------------------------------------------------- open
def open_round(
    phase: str,
    data_dir: PathLike | None = None,
    as_of=None,
    *,
    area: str = "5701",
    out_dir: PathLike | None = None,
    ledger_dir: PathLike | None = None,
    previous_dir: PathLike | None = None,
    boarding: PathLike | None = None,
    staff_dir: PathLike | None = None,
    discharges_dir: PathLike | None = None,
    class_counts_dir: PathLike | None = None,
    mobec_dir: PathLike | None = None,
    mobec_previous_dir: PathLike | None = None,
    bobec_dir: PathLike | None = None,
    show_ids: bool = False,
    today=None,
    officer: str = "",
    demo_root: PathLike | None = None,
) -> Workbook:
    """Open one phase of the calendar (``start``, ``round1``, ``round2``, ``mobec``, ``bobec``,
    ``semester2``, ``endyear``).

    ``data_dir=None``: the project's demo area ``data/demo`` (every other input defaults to the
    demo's too; outputs go to ``<demo>/rounds/``, ledgers to ``<demo>/ledger/``; ``today``
    defaults to three days after the phase's deadline, so the certification table shows
    on-time, late and overdue schools). Otherwise ``data_dir`` is the folder of DMC student
    exports, outputs go to ``<project>/data/rounds/`` and the other folders are given
    explicitly; ``as_of`` (B.E. ``DD/MM/YYYY`` or ISO) defaults to the calendar's census date
    of the phase in the current academic year. The project is found from the working
    directory (``paths.project_root``). ``demo_root``: another folder laid out like the demo
    area (``obec-audit demo --out X``).
    """
    phase = str(phase).strip().lower()
    if phase not in PHASE_NOTEBOOK:
        raise ValueError(f"ไม่รู้จักช่วงงาน {phase!r}; ใช้ได้: {', '.join(PHASE_NOTEBOOK)}")
    demo = data_dir is None
    if demo:
        root = Path(demo_root) if demo_root is not None else demo_dir()
        kw = demo_inputs(root, phase)
        if as_of is not None:
            kw["as_of"] = parse_date(as_of)
        rounds = root / "rounds"
        led = Path(ledger_dir) if ledger_dir is not None else root / "ledger"
    else:
        d = parse_date(as_of) if as_of is not None else None
        if d is None:
            year = academic_year(parse_date(today) if today else dt.date.today())
            d = cal.census_date_for(phase, year) or cal.deadline_for(phase, year) or dt.date.today()
        kw = dict(inputs=Path(data_dir), as_of=d, phase=phase)
        rounds = data_root() / "rounds"
        if ledger_dir is not None:
            led = Path(ledger_dir)
        elif os.environ.get("OBEC_AUDIT_LEDGER_DIR"):
            led = default_ledger_dir()
        else:
            led = data_root() / "ledger"
    explicit = {
        "previous": previous_dir, "boarding_schools": boarding, "staff": staff_dir,
        "discharges": discharges_dir, "class_counts": class_counts_dir, "mobec": mobec_dir,
        "mobec_previous": mobec_previous_dir, "bobec": bobec_dir,
    }
    for k, v in explicit.items():
        if v is not None:
            kw[k] = Path(v)
    as_of_d = kw["as_of"]
    if out_dir is None:
        name = f"{phase}-{as_of_d.isoformat()}"
        out = rounds / name if phase in ROUND_PHASES else rounds / "_phases" / name
    else:
        out = Path(out_dir)
    if today is None:
        if demo:
            dl = cal.deadline_for(LEDGER_ROUND[phase], academic_year(as_of_d))
            today_d = (dl or as_of_d) + dt.timedelta(days=3)
        else:
            today_d = dt.date.today()
    else:
        today_d = parse_date(today)
    reg = reference.schools(area)
    area_name = str(reg["area_name"].iloc[0]) if len(reg) and "area_name" in reg else ""
    wb = Workbook(phase=phase, inputs=kw, out_dir=out, ledger_dir=led, demo=demo, area=area,
                  area_name=area_name, show_ids=show_ids, today=today_d, officer=officer)
    wb._cache["open_args"] = dict(area=area, ledger_dir=ledger_dir, show_ids=show_ids,
                                  officer=officer, demo_root=demo_root)
    return wb
