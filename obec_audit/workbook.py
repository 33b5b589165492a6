"""The notebooks' facade: one call per notebook cell.

Every notebook of ``notebooks/`` opens one phase of the calendar (DOMAIN.md §2) with
:func:`open_round` and then calls one method per cell. Each method returns something Jupyter
and Voila display well: a DataFrame with Thai column labels, a small HTML block, a plotly
figure or an ipywidgets widget.

>>> wb = open_round("round1")                     # doctest: +SKIP
>>> wb.load()            # files read, with a progress bar            # doctest: +SKIP
>>> wb.check()           # findings by check; writes findings.csv …  # doctest: +SKIP

Defaults
--------
``data_dir=None`` means the synthetic demo area (``obec_audit.demo.ensure_demo()``, generated
once into ``data/demo/``): the inputs of the phase come from
``obec_audit.round.demo_round_inputs`` (M-OBEC and B-OBEC from the demo's ``mobec/`` and
``bobec/`` folders), the outputs go to ``<demo>/rounds/`` and the ledgers to
``<demo>/ledger/``, so a trainer's clicks never reach an officer's real ledger. Officers give
``data_dir`` (e.g. ``data/real/2569-06-10``): outputs go to ``data/rounds/<phase>-<as_of>/``
and the ledgers to ``data/ledger/`` (both git-ignored).

Phases ``start``, ``mobec`` and ``bobec`` write to ``<rounds>/_phases/<phase>-<as_of>/`` so
the supervisors' dashboards, which list the verification rounds of ``<rounds>/``, are not
mixed up with them.

Privacy (PDPA)
--------------
Every table shown in a notebook masks IDs (``1-1017-xxxxx-xx-8``) and any long digit run in a
value or a message, unless the workbook was opened with ``show_ids=True``. The report packs
written for the school directors keep the full IDs (the school needs them to fix DMC).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from obec_audit import calendar as cal
from obec_audit.schema import FIELD_LABEL_TH, SEVERITY_TH

__all__ = [
    "Workbook",
    "open_round",
    "thai_labels",
    "mask_frame",
    "LABELS_TH",
    "PHASE_NOTEBOOK",
    "repo_root",
    "demo_dir",
]

PathLike = str | os.PathLike

#: phases whose outputs are verification rounds (the dashboards list them)
ROUND_PHASES = ("round1", "round2", "semester2", "endyear")
#: the notebook of each phase
PHASE_NOTEBOOK = {
    "start": "01_start_of_year.ipynb",
    "round1": "02_round1.ipynb",
    "round2": "03_round2.ipynb",
    "mobec": "04_mobec.ipynb",
    "bobec": "05_bobec.ipynb",
    "semester2": "06_semester2.ipynb",
    "endyear": "07_end_of_year.ipynb",
}
#: certification ledger round for each phase (the ledger knows every phase but ``start``)
LEDGER_ROUND = {"start": "round1", "round1": "round1", "round2": "round2", "mobec": "mobec",
                "bobec": "bobec", "semester2": "semester2", "endyear": "endyear"}

DUP_CHECKS = ("dup-id-school", "dup-id-area", "dup-person")

#: Thai labels of the columns the workbook shows (machine name → label)
LABELS_TH: dict[str, str] = {
    **FIELD_LABEL_TH,
    # findings
    "check": "รหัสการตรวจ",
    "check_th": "รายการตรวจ",
    "severity": "ระดับ",
    "severity_th": "ระดับ",
    "source_file": "แฟ้ม",
    "source_row": "แถวที่",
    "source_sheet": "ชีต",
    "field": "ช่องข้อมูล",
    "field_th": "ช่องข้อมูล",
    "value": "ค่าที่พบ",
    "group": "ชุดซ้ำ",
    "message": "สิ่งที่ต้องแก้ไข",
    "dataset": "ชุดข้อมูล",
    "student_name": "ชื่อ-นามสกุล",
    # files
    "path": "ที่อยู่แฟ้ม",
    "layout": "รูปแบบ",
    "header_row": "แถวหัวตาราง",
    "rows_read": "แถวที่อ่าน",
    "rows_loaded": "แถวที่นำเข้า",
    "rows_blank": "แถวว่าง",
    "rows_skipped": "แถวที่ข้าม",
    "encoding": "รหัสอักขระ",
    "status": "สถานะ",
    "status_th": "สถานะ",
    "message_th": "หมายเหตุ",
    # per school
    "students": "นักเรียน",
    "findings": "ข้อค้นพบ",
    "schools": "โรงเรียน",
    "errors": "ข้อผิดพลาด",
    "warnings": "ควรตรวจสอบ",
    "infos": "แจ้งเพื่อทราบ",
    "percent_complete": "ครบถ้วน (%)",
    "fields_complete": "ช่องที่ครบ",
    "cells": "ช่องที่ต้องกรอก",
    "missing_cells": "ช่องที่ว่าง",
    "rows": "แถว",
    "missing": "ว่าง",
    # comparison
    "fixed": "แก้ไขแล้ว",
    "open": "ยังไม่แก้ไข",
    "new": "พบใหม่",
    "before": "รอบก่อน",
    "after": "รอบนี้",
    "value_before": "ค่ารอบก่อน",
    "value_after": "ค่ารอบนี้",
    # certification
    "received_on_be": "วันที่รับเอกสาร",
    "received_by": "ผู้รับ",
    "deadline_be": "กำหนดส่ง",
    "days_late": "ช้า (วัน)",
    "overdue": "เกินกำหนด",
    "note": "หมายเหตุ",
    # duplicate decisions
    "decision_th": "ผลการพิจารณา",
    "reason": "เหตุผล",
    "decided_by": "ผู้พิจารณา",
    "decided_at_be": "วันที่พิจารณา",
    "members": "สมาชิก",
    "in_schools": "โรงเรียนที่เกี่ยวข้อง",
    "decided": "พิจารณาแล้ว",
}


# ---------------------------------------------------------------------------------- paths
def repo_root() -> Path:
    """The checkout this package lives in (``data/`` is under it)."""
    return Path(__file__).resolve().parents[1]


def demo_dir() -> Path:
    """The demo area, generated once (``obec_audit.demo.ensure_demo()``)."""
    from obec_audit.demo import ensure_demo

    return Path(ensure_demo())


def _data_root() -> Path:
    return repo_root() / "data"


# ---------------------------------------------------------------------------------- display
def thai_labels(df: pd.DataFrame, extra: dict[str, str] | None = None) -> pd.DataFrame:
    """Rename known columns to their Thai labels (unknown ones stay)."""
    labels = {**LABELS_TH, **(extra or {})}
    return df.rename(columns={c: labels[c] for c in df.columns if c in labels})


def mask_frame(df: pd.DataFrame, show_ids: bool = False) -> pd.DataFrame:
    """Mask IDs (``national_id`` and friends) and long digit runs in free text, unless
    ``show_ids``."""
    if show_ids or df is None or len(df) == 0:
        return df
    from obec_audit.ids import mask_series
    from obec_audit.reports import mask_text

    out = df.copy()
    for c in out.columns:
        lc = str(c)
        if lc in ("national_id", "prev_national_id", "cur_national_id", "member_ids") or lc.endswith("national_id"):
            out[c] = mask_text(mask_series(out[c].astype("string").fillna(""))).astype(object)
        elif lc in ("value", "message", "value_before", "value_after", "key", "national_id_raw",
                    "group", "member_rows"):
            out[c] = mask_text(out[c].astype("string").fillna("")).astype(object)
    return out


def _html(body: str):
    try:
        from IPython.display import HTML

        return HTML(body)
    except Exception:  # pragma: no cover - IPython is installed with jupyterlab
        return body


def _box(title: str, lines: list[str], colour: str = "#1f6f8b") -> str:
    items = "".join(f"<li>{ln}</li>" for ln in lines)
    return (
        f'<div style="border-left:6px solid {colour};padding:6px 12px;margin:6px 0;'
        f'background:#f7fbfc;font-size:15px"><b>{html.escape(title)}</b><ul style="margin:4px 0">'
        f"{items}</ul></div>"
    )


def _thai_date(d) -> str:
    if d is None or (not isinstance(d, dt.date) and pd.isna(d)):
        return "-"
    try:
        from obec_audit.thaidate import thai_date

        return thai_date(d)
    except Exception:
        return cal.thai_date(d)


def _check_titles() -> dict[str, str]:
    from obec_audit.checks.registry import check_info

    info = check_info()
    return dict(zip(info["code"], info["title_th"]))


# ---------------------------------------------------------------------------------- progress
@contextlib.contextmanager
def _bars_that_stay():
    """tqdm bars that stay on the page when done (``leave=True``): in Voila a notebook bar
    closed with ``leave=False`` leaves "Error displaying widget: model not found" behind."""
    try:
        import tqdm.auto as ta
    except ImportError:  # pragma: no cover
        yield
        return
    orig = ta.tqdm

    def keep(*args, **kwargs):
        kwargs["leave"] = True
        return orig(*args, **kwargs)

    ta.tqdm = keep
    try:
        yield
    finally:
        ta.tqdm = orig


# ---------------------------------------------------------------------------------- inputs
def _subdirs(p: Path) -> list[Path]:
    return sorted(c for c in p.iterdir() if c.is_dir()) if p.is_dir() else []


def _demo_inputs(demo: Path, phase: str) -> dict:
    """``run_round`` keyword arguments for one phase of the demo area."""
    from obec_audit.round import demo_round_inputs

    if phase in ROUND_PHASES:
        return demo_round_inputs(demo, phase)
    if phase == "start":
        kw = demo_round_inputs(demo, "round1")
        kw["phase"] = "start"
        return kw
    # mobec / bobec (10 October): the latest census before October is round 2's export
    kw = demo_round_inputs(demo, "round2")
    kw.pop("staff", None)
    year = cal.academic_year(kw["as_of"])
    kw["phase"] = phase
    kw["as_of"] = cal.deadline_for(phase, year) or dt.date(year - 543, 10, 10)
    folders = {p.name: p for p in _subdirs(demo / phase)}
    cur = folders.get(str(year)) or (folders[sorted(folders)[-1]] if folders else None)
    if cur is not None:
        kw[phase] = cur
    if phase == "mobec" and str(year - 1) in folders:
        kw["mobec_previous"] = folders[str(year - 1)]
    return kw


def _census_folder(p: Path) -> dt.date | None:
    try:
        return dt.date.fromisoformat(p.name)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------- workbook
@dataclass
class Workbook:
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
        return cal.academic_year(self.as_of)

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

    def intro(self):
        """Where we are in the calendar: the phase, its period and deadline, days left, and
        where the data come from and go to."""
        year = self.academic_year
        summ = cal.phase_summary(year)
        row = summ[summ["phase"] == self.phase]
        lines = []
        if len(row):
            r = row.iloc[0]
            lines.append(f"ช่วงงาน: <b>{html.escape(str(r['phase_th']))}</b> ปีการศึกษา {year}")
            lines.append(f"ระยะเวลา: {_thai_date(r['start_ce'])} ถึง {_thai_date(r['end_ce'])}")
            if r["deadline_ce"] is not None:
                left = (r["deadline_ce"] - self.today).days
                when = f"อีก {left} วัน" if left >= 0 else f"เลยกำหนดมาแล้ว {-left} วัน"
                lines.append(f"กำหนดส่ง: <b>{_thai_date(r['deadline_ce'])}</b> ({when}, "
                             f"นับจากวันที่ {_thai_date(self.today)})")
        lines.append(f"ข้อมูล ณ วันที่: <b>{_thai_date(self.as_of)}</b>")
        src = "เขตตัวอย่าง (ข้อมูลสังเคราะห์ ไม่ใช่ข้อมูลจริง)" if self.demo else "ข้อมูลจริงของเขตพื้นที่"
        lines.append(f"แหล่งข้อมูล: {src} — <code>{html.escape(str(self.inputs['inputs']))}</code>")
        lines.append(f"ผลการตรวจจะบันทึกที่: <code>{html.escape(str(self.out_dir))}</code>")
        lines.append(f"ทะเบียนการรับรองและผลพิจารณาเลขซ้ำ: <code>{html.escape(str(self.ledger_dir))}</code>")
        if not self.show_ids:
            lines.append("เลขประจำตัวในตารางถูกปิดบางส่วน (PDPA); ตั้ง SHOW_IDS = True ในเซลล์แรกเพื่อแสดงเต็ม")
        colour = "#b35900" if self.demo else "#1f6f8b"
        return _html(_box(f"{self.area_name or 'สพป.'} ({self.area})", lines, colour))

    def calendar(self) -> pd.DataFrame:
        """The whole year's calendar (Thai labels, B.E. dates)."""
        return cal.calendar_table(self.academic_year)

    # ---------------------------------------------------------------- load and check
    def load(self) -> pd.DataFrame:
        """Read every input file (progress bar) and run the phase's checks in memory.
        Returns the files table: one row per file and sheet."""
        from obec_audit.round import run_round

        kw = dict(self.inputs)
        kw.pop("_previous_round", None)
        with _bars_that_stay():
            self.result = run_round(out=None, reports=False, progress=True, area_code=self.area,
                                    area_name=self.area_name or None, **kw)
        if not self.area_name:
            self.area_name = self.result.meta.get("area_name", "")
        return self.files_table()

    def files_table(self) -> pd.DataFrame:
        r = self._need()
        f = r.files.copy()
        cols = [c for c in ("dataset", "source_file", "source_sheet", "layout", "rows_read",
                            "rows_loaded", "rows_blank", "status", "message_th") if c in f.columns]
        f = f[cols]
        if "dataset" in f:
            f["dataset"] = f["dataset"].fillna("students").replace(
                {"students": "นักเรียน", "staff": "บุคลากร", "mobec": "ครุภัณฑ์",
                 "mobec_previous": "ครุภัณฑ์ปีก่อน", "bobec": "อาคาร", "discharges": "จำหน่าย",
                 "class_counts": "จำนวนห้องเรียน", "previous": "รอบก่อน"})
        if "status" in f:
            f["status"] = f["status"].replace({"ok": "อ่านได้", "unreadable": "อ่านไม่ได้",
                                               "no-header": "ไม่พบหัวตาราง", "empty": "ว่าง",
                                               "skipped": "ข้าม"})
        return thai_labels(f)

    def files_summary(self):
        """Headline of the reading: files, rows read and loaded, files not read."""
        r = self._need()
        f = r.files
        ok = f["status"].eq("ok") if "status" in f else pd.Series(True, index=f.index)
        bad = f.loc[~ok, "source_file"].tolist() if "source_file" in f else []
        lines = [
            f"แฟ้มทั้งหมด {len(f):,} แฟ้ม/ชีต อ่านได้ {int(ok.sum()):,}",
            f"แถวที่อ่าน {int(pd.to_numeric(f.get('rows_read'), errors='coerce').sum()):,} "
            f"นำเข้า {int(pd.to_numeric(f.get('rows_loaded'), errors='coerce').sum()):,}",
            f"นักเรียน {len(r.students):,} คน จาก {r.students['school_code'].nunique():,} โรงเรียน",
        ]
        if bad:
            lines.append("<b>แฟ้มที่อ่านไม่ได้:</b> " + html.escape(", ".join(map(str, bad[:20]))))
        return _html(_box("การอ่านแฟ้ม", lines, "#b30000" if bad else "#1a9850"))

    def missing_schools(self) -> pd.DataFrame:
        """Schools of the area's registry with no student row in the files read."""
        from obec_audit import reference

        r = self._need()
        reg = reference.schools(self.area)
        seen = set(r.students["school_code"].dropna().astype(str))
        miss = reg[~reg["smis8"].isin(seen)][["smis8", "school_name"]]
        return miss.rename(columns={"smis8": "school_code"}).pipe(thai_labels).reset_index(drop=True)

    def check(self) -> pd.DataFrame:
        """Write the round's files (findings.csv, students.csv, completeness.csv …) to
        ``out_dir`` and show the findings by check."""
        from obec_audit.round import write_outputs

        r = self._need()
        r.out_dir = self.out_dir
        write_outputs(r, self.out_dir, reports=False)
        return self.counts_by_check()

    def counts_by_check(self) -> pd.DataFrame:
        r = self._need()
        t = r.counts_by_check()
        titles = _check_titles()
        t.insert(1, "check_th", t["check"].map(titles).fillna(t["check"]))
        t["severity"] = t["severity"].map(SEVERITY_TH).fillna(t["severity"])
        return thai_labels(t)

    def headline(self):
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
        return _html(_box("สรุปผลการตรวจ", lines))

    def schools_with_open_errors(self) -> int:
        return int(self._need().schools_with_open_errors())

    # ---------------------------------------------------------------- per school
    def _school_names(self) -> dict[str, str]:
        if "names" in self._cache:
            return self._cache["names"]
        from obec_audit import reference

        names = dict(zip(reference.schools(None)["smis8"], reference.schools(None)["school_name"]))
        st = self._need().students
        if "school_name" in st:
            s = st.dropna(subset=["school_code"]).drop_duplicates("school_code")
            for c, n in zip(s["school_code"], s["school_name"]):
                if c not in names and isinstance(n, str) and n:
                    names[c] = n
        self._cache["names"] = names
        return names

    def summary_by_school(self, raw: bool = False) -> pd.DataFrame:
        """One row per school: students, errors, warnings, info, percent complete."""
        r = self._need()
        st = r.students
        f = r.findings
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
        return t if raw else thai_labels(t)

    def school_picker(self):
        """A school picker (``obec_audit.widgets.SchoolPicker``) over the area's schools."""
        from obec_audit.widgets import SchoolPicker

        return SchoolPicker(self._area_schools())

    def school_findings(self, school_code: str) -> pd.DataFrame:
        """Every finding of one school, most serious first (IDs masked)."""
        return self._findings_view(self._need().findings, school=school_code)

    def _findings_view(self, f: pd.DataFrame, school=None, check=None, severity=None,
                       limit: int | None = None) -> pd.DataFrame:
        if school:
            f = f[f["school_code"].eq(school)]
        if check:
            f = f[f["check"].eq(check)]
        if severity:
            f = f[f["severity"].eq(severity)]
        titles = _check_titles()
        cols = ["school_code", "check", "severity", "source_file", "source_row", "national_id",
                "student_name", "field", "value", "group", "message"]
        v = f.reindex(columns=cols).copy()
        v.insert(2, "check_th", v["check"].map(titles).fillna(v["check"]))
        v["severity"] = v["severity"].map(SEVERITY_TH).fillna(v["severity"])
        v["field"] = v["field"].map(lambda x: FIELD_LABEL_TH.get(x, x) if isinstance(x, str) else x)
        v = v.drop(columns=["check"])
        if limit is not None:
            v = v.head(limit)
        v = mask_frame(v, self.show_ids)
        for c in v.columns:  # blank, not <NA>, in the tables people read
            if c != "source_row":
                v[c] = v[c].astype(object).where(v[c].notna(), "")
        return thai_labels(v).reset_index(drop=True)

    def findings_widget(self, limit: int = 300):
        """Browse the findings: school, check and severity filters
        (``obec_audit.widgets.FindingsFilter``; IDs masked unless ``show_ids``)."""
        from obec_audit.widgets import FindingsFilter

        return FindingsFilter(self._need().findings, schools=self._area_schools(), max_rows=limit,
                              show_full_ids=self.show_ids)

    # ---------------------------------------------------------------- completeness
    def completeness_table(self, worst: int | None = None) -> pd.DataFrame:
        """Per school: percent complete overall and per required field (worst first)."""
        r = self._need()
        c = r.completeness
        if c is None or len(c) == 0:
            return pd.DataFrame()
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
        return wide.head(worst) if worst else wide

    def incomplete_schools(self) -> int:
        """How many schools are below 100 % complete."""
        sc = self._need().school_completeness
        # by the missing cells, not the percent: 1 empty cell in 3,000 rounds to 100.0 %
        return int((pd.to_numeric(sc["missing_cells"], errors="coerce") > 0).sum())

    def completeness_chart(self):
        """Percent complete by school (traffic light: red < 90 %, amber < 100 %, green)."""
        import plotly.graph_objects as go

        from obec_audit.charts import BAND_COLORS, FONT_FAMILY

        sc = self._need().school_completeness.copy()
        sc["pct"] = pd.to_numeric(sc["percent_complete"], errors="coerce")
        sc = sc.sort_values("pct")
        names = sc["school_code"].map(self._school_names()).fillna("")
        band = pd.cut(sc["pct"], [-1, 89.9999, 99.9999, 101], labels=["red", "amber", "green"]).astype(str)
        band = band.where(~(band.eq("green") & (pd.to_numeric(sc["missing_cells"]) > 0)), "amber")
        fig = go.Figure(go.Bar(
            x=sc["school_code"], y=sc["pct"], marker_color=[BAND_COLORS.get(str(b), "#bdbdbd") for b in band],
            customdata=names, hovertemplate="%{x} %{customdata}<br>ครบถ้วน %{y:.1f}%<extra></extra>"))
        fig.update_layout(title="ความครบถ้วนของข้อมูลนักเรียนรายโรงเรียน (ต่ำสุดอยู่ซ้าย)",
                          font={"family": FONT_FAMILY, "size": 14}, height=380,
                          xaxis={"type": "category", "showticklabels": len(sc) <= 40,
                                 "title": "โรงเรียน"},
                          yaxis={"title": "ครบถ้วน (%)",
                                 "range": [max(0, float(sc["pct"].min() or 0) - 2), 100.5]},
                          margin={"l": 10, "r": 10, "t": 50, "b": 10}, plot_bgcolor="white")
        return fig

    # ---------------------------------------------------------------- charts
    def findings_chart(self, top: int = 30, severity: str = "error"):
        """Findings by school and check (stacked; the ``top`` schools with most)."""
        import plotly.graph_objects as go

        from obec_audit.charts import FONT_FAMILY

        f = self._need().findings
        f = f[f["severity"].eq(severity)] if severity else f
        titles = _check_titles()
        fig = go.Figure()
        if len(f):
            ct = pd.crosstab(f["school_code"], f["check"])
            ct = ct.loc[ct.sum(axis=1).sort_values(ascending=False).index[:top]]
            for chk in ct.sum().sort_values(ascending=False).index:
                fig.add_bar(y=ct.index, x=ct[chk], name=titles.get(chk, chk), orientation="h",
                            hovertemplate="%{y}: %{x}<extra>" + titles.get(chk, chk) + "</extra>")
        label = SEVERITY_TH.get(severity, "ข้อค้นพบ") if severity else "ข้อค้นพบ"
        fig.update_layout(barmode="stack", title=f"{label} แยกตามโรงเรียนและรายการตรวจ ({top} โรงเรียนแรก)",
                          font={"family": FONT_FAMILY, "size": 13},
                          height=max(300, 90 + 18 * min(top, f["school_code"].nunique() if len(f) else 1)),
                          yaxis={"type": "category", "autorange": "reversed"},
                          xaxis={"title": "รายการ", "side": "top"},
                          legend={"orientation": "h", "y": -0.05, "yanchor": "top"},
                          margin={"l": 10, "r": 10, "t": 80, "b": 10}, plot_bgcolor="white")
        return fig

    def grade_sex_table(self) -> pd.DataFrame:
        """Students by grade and sex (and the previous census's total when there is one)."""
        from obec_audit.schema import GRADES

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

    def grade_sex_chart(self):
        """Students by grade and sex (plotly)."""
        from obec_audit.charts import grade_sex_bars

        t = self.grade_sex_table()
        return grade_sex_bars(t, current_label=f"ณ {_thai_date(self.as_of)}", previous_label="รอบก่อน")

    def _previous_students(self):
        prev = self.inputs.get("previous")
        if not prev:
            return None
        if "prev_students" not in self._cache:
            from obec_audit.io import load_students

            self._cache["prev_students"] = load_students(prev).frame
        return self._cache["prev_students"]

    # ---------------------------------------------------------------- duplicates
    def decisions(self):
        from obec_audit.ledger import DuplicateDecisions

        return DuplicateDecisions(self.ledger_dir)

    def duplicate_sets(self) -> pd.DataFrame:
        """One row per duplicate set: check, members, schools, and the decision recorded
        for it (this round or an earlier one)."""
        f = self._need().findings
        d = f[f["check"].isin(DUP_CHECKS) & f["group"].notna()]
        titles = _check_titles()
        if len(d) == 0:
            return thai_labels(pd.DataFrame(columns=["group", "check_th", "members", "in_schools",
                                                     "decision_th", "reason", "decided_by"]))
        g = d.groupby("group", sort=False)
        t = pd.DataFrame({
            "check": g["check"].first(),
            "members": g.size(),
            "in_schools": g["school_code"].agg(lambda s: ", ".join(sorted(set(s.dropna())))),
        }).reset_index()
        t.insert(1, "check_th", t["check"].map(titles))
        dec = self.decisions().for_groups(t["group"])
        for col, empty in (("decision_th", "ยังไม่พิจารณา"), ("reason", ""), ("decided_by", "")):
            m = dec[col].to_dict() if len(dec) and col in dec else {}
            t[col] = [m.get(g, empty) or empty if g in m else empty for g in t["group"]]
        order = {c: i for i, c in enumerate(DUP_CHECKS)}
        t = t.sort_values(["check", "group"], key=lambda s: s.map(order) if s.name == "check" else s)
        return thai_labels(t.drop(columns=["check"]).reset_index(drop=True))

    def duplicate_members(self, group: str) -> pd.DataFrame:
        """The rows of one duplicate set side by side (school, file, row, name, grade, birth
        date …)."""
        r = self._need()
        f = r.findings
        m = f[f["group"].eq(group)]
        st = r.students
        key = st[["source_file", "source_row"]].astype(str).agg("#".join, axis=1)
        mk = m[["source_file", "source_row"]].astype(str).agg("#".join, axis=1)
        rows = st[key.isin(set(mk))]
        cols = ["school_code", "source_file", "source_row", "national_id", "title", "first_name",
                "last_name", "sex", "birth_date", "grade", "room"]
        v = rows.reindex(columns=cols).copy()
        v.insert(1, "school_name", v["school_code"].map(self._school_names()))
        if "birth_date" in v:
            from obec_audit.thaidate import be_short_series

            v["birth_date"] = be_short_series(v["birth_date"])
        v["sex"] = v["sex"].map({"M": "ชาย", "F": "หญิง"})
        return thai_labels(mask_frame(v, self.show_ids)).reset_index(drop=True)

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
        from obec_audit.widgets import DuplicateReview

        r = self._need()
        return DuplicateReview(r.findings, r.students, self.decisions(), decided_by=self.officer,
                               schools=self._area_schools(), round=self.ledger_round,
                               academic_year=self.academic_year, show_full_ids=self.show_ids)

    def decisions_table(self) -> pd.DataFrame:
        """The current decision of every duplicate set recorded so far (IDs masked)."""
        return self.decisions().display(masked=not self.show_ids)

    # ---------------------------------------------------------------- reports
    def write_reports(self):
        """Write the five-report pack of every school (``reports/<code>.xlsx``) and the area's
        ``summary.xlsx`` (progress bar)."""
        from obec_audit import reference
        from obec_audit.round import _read_school_list, write_outputs, write_reports

        r = self._need()
        if not (self.out_dir / "findings.csv").exists():
            write_outputs(r, self.out_dir, reports=False)
        b = self.inputs.get("boarding_schools")
        boarding = _read_school_list(b) if isinstance(b, (str, os.PathLike)) else (
            frozenset(b) if b is not None else None)
        with _bars_that_stay():
            written = write_reports(r, self.out_dir, schools=reference.schools(self.area),
                                    boarding=boarding, show_full_ids=True, progress=True)
        self._cache["reports"] = written
        lines = [
            f"รายงานรายโรงเรียน {len(written):,} แฟ้ม ที่ <code>{html.escape(str(self.out_dir / 'reports'))}</code>",
            "แต่ละแฟ้มมี 5 รายงานให้ผู้อำนวยการลงนาม: 1-จำนวนนักเรียน, 2-ด้อยโอกาส, 3-พักนอน, 4-พิการ, "
            "5-เลขประจำตัวไม่ถูกต้อง และแผ่นงาน ข้อผิดพลาด",
            f"สรุปภาพรวมเขต: <code>{html.escape(str(self.out_dir / 'summary.xlsx'))}</code>",
        ]
        return _html(_box("เขียนรายงานเสร็จแล้ว", lines, "#1a9850"))

    def report_files(self) -> pd.DataFrame:
        """The packs written: school, file, size."""
        files = sorted((self.out_dir / "reports").glob("*.xlsx"))
        t = pd.DataFrame({"school_code": [p.stem for p in files], "แฟ้ม": [p.name for p in files],
                          "ขนาด (KB)": [round(p.stat().st_size / 1024, 1) for p in files]})
        t.insert(1, "school_name", t["school_code"].map(self._school_names()).fillna(""))
        return thai_labels(t)

    # ---------------------------------------------------------------- certification
    def ledger(self):
        from obec_audit.ledger import CertificationLedger

        return CertificationLedger(self.ledger_dir)

    def _area_schools(self) -> pd.DataFrame:
        from obec_audit import reference

        reg = reference.schools(self.area)[["smis8", "school_name"]].rename(columns={"smis8": "school_code"})
        if self.result is not None:
            seen = self.result.students["school_code"].dropna().astype(str).unique()
            extra = pd.DataFrame({"school_code": [c for c in seen if c not in set(reg["school_code"])]})
            extra["school_name"] = extra["school_code"].map(self._school_names()).fillna("")
            reg = pd.concat([reg, extra], ignore_index=True)
        return reg.reset_index(drop=True)

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
        from obec_audit.widgets import ReceiptForm

        return ReceiptForm(self.ledger(), self._area_schools(), round=self.ledger_round,
                           year=self.academic_year, today=self.today, received_by=self.officer)

    def certification_status(self, raw: bool = False) -> pd.DataFrame:
        """Per school of the area: received on time / late / not yet / overdue."""
        st = self.ledger().status(self.ledger_round, self._area_schools(), today=self.today,
                                  year=self.academic_year)
        if raw:
            return st
        cols = ["school_code", "school_name", "status_th", "received_on_be", "received_by",
                "deadline_be", "days_late", "note"]
        return thai_labels(st[cols])

    def certification_counts(self) -> pd.DataFrame:
        st = self.certification_status(raw=True)
        t = st["status_th"].value_counts().rename_axis("สถานะ").reset_index(name="โรงเรียน")
        return t

    def certification_chart(self):
        from obec_audit.charts import certification_donut

        st = self.certification_status(raw=True)
        s = st["status"].astype(str)
        return certification_donut({"n_certified": int(s.eq("certified").sum()),
                                    "n_late": int(s.eq("late").sum()),
                                    "n_not_yet": int(s.eq("not-yet").sum()), "n_unknown": 0})

    def simulate_receipts(self, share: float = 0.6, late_share: float = 0.1, seed: int = 2556):
        """Demo only: record that a share of the schools sent their signed reports (some
        late), so a trainer can show the ledger. Schools already in the ledger are left alone.
        Refuses to run on real data."""
        if not self.demo:
            raise RuntimeError("ใช้ได้เฉพาะเขตตัวอย่าง (simulate_receipts is for the demo area only)")
        import numpy as np

        rng = np.random.default_rng(seed)
        st = self.ledger().status(self.ledger_round, self._area_schools(), today=self.today,
                                  year=self.academic_year)
        todo = st[st["status"].eq("not-yet")]["school_code"].tolist()
        if not todo or len(todo) < len(st):  # already simulated once: nothing to add
            return self.certification_counts()
        pick = [c for c in todo if rng.random() < share]
        dl = self.deadline or self.as_of
        for c in pick:
            late = rng.random() < late_share
            day = dl + dt.timedelta(days=int(rng.integers(1, 3))) if late else dl - dt.timedelta(days=int(rng.integers(0, 6)))
            day = min(day, self.today)
            self.mark_received(c, day, "เจ้าหน้าที่ตัวอย่าง", "ข้อมูลตัวอย่าง")
        return self.certification_counts()

    # ---------------------------------------------------------------- round over round
    def compare_with(self, previous, raw: bool = False) -> pd.DataFrame:
        """Per school: findings fixed since ``previous``, still open, new.

        ``previous``: another Workbook, a RoundResult, a findings frame, or a round folder
        (with ``findings.csv``)."""
        from obec_audit.checks.reconcile import compare_by_school

        t = self._compared(previous, "by_school", compare_by_school)
        t.insert(1, "school_name", t["school_code"].map(self._school_names()).fillna(""))
        t = t.sort_values(["open", "new", "school_code"], ascending=[False, False, True]).reset_index(drop=True)
        return t if raw else thai_labels(t)

    def _compared(self, previous, kind: str, func) -> pd.DataFrame:
        """``func(before, after)``, computed once per previous round (a folder's files are
        read again when they change)."""
        if isinstance(previous, (str, os.PathLike)):
            p = Path(previous)
            f = p / "findings.csv" if p.is_dir() else p
            key = (str(p.resolve()), f.stat().st_mtime_ns if f.exists() else 0)
        else:
            key = ("obj", id(previous))
        key = (kind, key, id(self.result))
        cache = self._cache.setdefault("compare", {})
        if key not in cache:
            cache[key] = func(_findings_of(previous), self._need().findings)
        return cache[key].copy()

    def compare_detail(self, previous, school_code: str | None = None) -> pd.DataFrame:
        """Finding by finding: fixed / still open / new (one school, or all)."""
        from obec_audit.checks.reconcile import compare_findings

        c = self._compared(previous, "detail", compare_findings)
        if school_code:
            c = c[c["school_code"].eq(school_code)]
        titles = _check_titles()
        c.insert(3, "check_th", c["check"].map(titles).fillna(c["check"]))
        c = c.drop(columns=["key", "status", "check", "severity"])
        return thai_labels(mask_frame(c, self.show_ids)).reset_index(drop=True)

    def compare_chart(self, previous):
        import plotly.graph_objects as go

        from obec_audit.charts import FONT_FAMILY

        t = self.compare_with(previous, raw=True)
        tot = t[["fixed", "open", "new"]].sum()
        fig = go.Figure(go.Bar(x=["แก้ไขแล้ว", "ยังไม่แก้ไข", "พบใหม่"], y=tot.values,
                               marker_color=["#1a9850", "#f4a300", "#d73027"],
                               text=[f"{v:,}" for v in tot.values], textposition="auto"))
        fig.update_layout(title="ข้อค้นพบเทียบกับรอบก่อน (ทั้งเขต)", font={"family": FONT_FAMILY, "size": 14},
                          height=320, plot_bgcolor="white", margin={"l": 10, "r": 10, "t": 50, "b": 10})
        return fig

    def previous_round(self, folder: PathLike | None = None, phase: str | None = None) -> Path:
        """The output folder of the round to compare with (round 1 for round 2, …).

        ``folder`` given: that folder (it must hold ``findings.csv``). Otherwise the folder the
        earlier round's notebook writes to on the same data; on the demo area the earlier round
        is run (and written) here when it has not been yet."""
        if folder is not None:
            p = Path(folder)
            if not (p / "findings.csv").exists():
                raise FileNotFoundError(f"ไม่พบ findings.csv ในโฟลเดอร์ {p} (no findings.csv in {p})")
            return p
        phase = phase or PREVIOUS_PHASE.get(self.phase)
        if phase is None:
            raise ValueError(f"ช่วงงาน {self.phase} ไม่มีรอบก่อนให้เทียบ")
        if self.demo:
            args = dict(self._cache.get("open_args", {}))
            prev = open_round(phase, **args)
        else:
            # officers: the same data root, the earlier round's census date
            prev_as_of = self.as_of if phase in ("round1", "start") and self.phase == "round2" else \
                cal.census_date_for(phase, self.academic_year)
            cands = sorted(self.out_dir.parent.glob(f"{phase}-*"))
            exact = self.out_dir.parent / f"{phase}-{prev_as_of.isoformat()}" if prev_as_of else None
            if exact is not None and (exact / "findings.csv").exists():
                return exact
            cands = [c for c in cands if (c / "findings.csv").exists()]
            if cands:
                return cands[-1]
            raise FileNotFoundError(
                f"ไม่พบผลการตรวจ{phase}ใน {self.out_dir.parent}: เปิดสมุดงานของรอบนั้นก่อน "
                f"หรือกำหนดโฟลเดอร์ในเซลล์แรก (no earlier {phase} results found)")
        if not (prev.out_dir / "findings.csv").exists():
            prev.load()
            prev.check()
        return prev.out_dir

    def compare_widget(self, previous):
        """Pick a school: its findings fixed / still open / new since ``previous``."""
        import ipywidgets as W
        from IPython.display import display

        t = self.compare_with(previous, raw=True)
        detail = self.compare_detail(previous)
        opts = [(f"{c} {n} (ค้าง {o}, ใหม่ {w}, แก้แล้ว {f})", c)
                for c, n, o, w, f in zip(t["school_code"], t["school_name"], t["open"], t["new"], t["fixed"])]
        pick = W.Dropdown(options=opts, description="โรงเรียน", style={"description_width": "initial"},
                          layout=W.Layout(width="80%"))
        status = W.ToggleButtons(options=[("ทั้งหมด", ""), ("ยังไม่แก้ไข", "ยังไม่แก้ไข"),
                                          ("พบใหม่", "พบใหม่"), ("แก้ไขแล้ว", "แก้ไขแล้ว")],
                                 description="สถานะ")
        out = W.Output()
        school_col = LABELS_TH["school_code"]

        def refresh(*_):
            v = detail[detail[school_col].eq(pick.value)] if pick.value else detail
            if status.value:
                v = v[v[LABELS_TH["status_th"]].eq(status.value)]
            out.clear_output()
            with out:
                display(v.reset_index(drop=True))

        pick.observe(refresh, names="value")
        status.observe(refresh, names="value")
        refresh()
        box = W.VBox([pick, status, out])
        box._controls = {"school": pick, "status": status}
        return box

    # ---------------------------------------------------------------- movements
    def movements(self, raw: bool = False) -> pd.DataFrame:
        """Per school since the previous census: moved to / from another school of the area,
        left (moved out, dropped out, died, graduated, unexplained), new, G-code converted,
        duplicate rows removed / added. Every previous row is counted once in
        ``prev`` and once in a leaving or staying status; every current row likewise."""
        r = self._need()
        mv = r.movements
        cols = ["prev", "cur", "moved_out_area", "moved_in_area", "left_moved", "left_dropout",
                "left_died", "left_graduated", "left_unexplained", "new", "id_changed",
                "dup_removed", "dup_added"]
        if mv is None or len(mv) == 0:
            return pd.DataFrame(columns=["school_code", *cols])
        s = mv["status"].astype(str)
        lr = mv["left_reason"].astype("string").fillna("")
        parts = {
            "prev": mv.loc[mv["prev_school"].notna(), "prev_school"],
            "cur": mv.loc[mv["cur_school"].notna(), "cur_school"],
            "moved_out_area": mv.loc[s.eq("moved"), "prev_school"],
            "moved_in_area": mv.loc[s.eq("moved"), "cur_school"],
            "left_moved": mv.loc[s.eq("left") & lr.isin(["moved-out", "other"]), "prev_school"],
            "left_dropout": mv.loc[s.eq("left") & lr.eq("dropout"), "prev_school"],
            "left_died": mv.loc[s.eq("left") & lr.eq("died"), "prev_school"],
            "left_graduated": mv.loc[s.eq("left") & lr.eq("graduated"), "prev_school"],
            "left_unexplained": mv.loc[s.eq("left") & lr.eq("unexplained"), "prev_school"],
            "new": mv.loc[s.eq("new"), "cur_school"],
            "id_changed": mv.loc[s.eq("id-changed"), "cur_school"],
            "dup_removed": mv.loc[s.eq("dup-removed"), "prev_school"],
            "dup_added": mv.loc[s.eq("dup-added"), "cur_school"],
        }
        t = pd.DataFrame({k: v.astype(str).value_counts() for k, v in parts.items()}).fillna(0).astype(int)
        t = t.reindex(columns=cols, fill_value=0)
        t.index.name = "school_code"
        t = t.reset_index()
        t.insert(1, "school_name", t["school_code"].map(self._school_names()).fillna(""))
        if raw:
            return t
        return t.rename(columns=MOVEMENT_LABELS_TH).pipe(thai_labels)

    def movements_summary(self) -> pd.DataFrame:
        """The area's totals of :meth:`movements`."""
        t = self.movements(raw=True)
        tot = t.drop(columns=["school_code", "school_name"]).sum()
        return pd.DataFrame({"การเปลี่ยนแปลง": [MOVEMENT_LABELS_TH[k] for k in tot.index],
                             "จำนวน (คน)": tot.values.astype(int)})

    def movements_chart(self):
        import plotly.graph_objects as go

        from obec_audit.charts import FONT_FAMILY

        s = self.movements_summary()
        s = s[~s["การเปลี่ยนแปลง"].isin([MOVEMENT_LABELS_TH["prev"], MOVEMENT_LABELS_TH["cur"]])]
        fig = go.Figure(go.Bar(y=s["การเปลี่ยนแปลง"], x=s["จำนวน (คน)"], orientation="h",
                               marker_color="#3b6fb6", text=s["จำนวน (คน)"], textposition="auto"))
        fig.update_layout(title="การเปลี่ยนแปลงของนักเรียนตั้งแต่รอบก่อน (ทั้งเขต)",
                          font={"family": FONT_FAMILY, "size": 14}, height=380,
                          yaxis={"autorange": "reversed"}, plot_bgcolor="white",
                          margin={"l": 10, "r": 10, "t": 50, "b": 10})
        return fig

    def movement_list(self, status: str = "left", reason: str | None = "unexplained") -> pd.DataFrame:
        """The children of one movement status (e.g. left without explanation)."""
        mv = self._need().movements
        if mv is None:
            return pd.DataFrame()
        m = mv[mv["status"].eq(status)]
        if reason:
            m = m[m["left_reason"].eq(reason)]
        cols = ["national_id", "title", "first_name", "last_name", "prev_school", "cur_school",
                "prev_grade", "cur_grade", "discharge_reason", "prev_file", "prev_row"]
        v = m.reindex(columns=cols)
        return thai_labels(mask_frame(v, self.show_ids), MOVEMENT_LABELS_TH).reset_index(drop=True)

    # ---------------------------------------------------------------- other datasets
    def _dataset(self, name: str, loader: str) -> pd.DataFrame | None:
        paths = self.inputs.get(name)
        if not paths:
            return None
        if name not in self._cache:
            from obec_audit import io as obec_io

            self._cache[name] = getattr(obec_io, loader)(paths).frame
        return self._cache[name]

    def _findings_count(self, dataset_checks_prefix: str) -> pd.Series:
        f = self._need().findings
        f = f[f["check"].astype(str).str.startswith(dataset_checks_prefix)]
        return f.groupby("school_code").size()

    def staff_summary(self, raw: bool = False) -> pd.DataFrame:
        """Per school: staff by position, students per teacher, staff findings."""
        from obec_audit.schema import STAFF_POSITIONS, TEACHING_POSITIONS

        s = self._dataset("staff", "load_staff")
        if s is None or len(s) == 0:
            return pd.DataFrame({"หมายเหตุ": ["ไม่มีแฟ้มข้อมูลบุคลากร (ตั้ง STAFF_DIR ในเซลล์แรก)"]})
        pos = s["position"].astype("string").str.replace(r"^\s*\d+\.\s*", "", regex=True).str.strip()
        t = pd.crosstab(s["school_code"], pos.fillna("ไม่ระบุ"))
        keep = [p for p in STAFF_POSITIONS if p in t.columns] + [c for c in t.columns if c not in STAFF_POSITIONS]
        t = t[keep]
        teachers = t[[c for c in t.columns if c in TEACHING_POSITIONS]].sum(axis=1)
        stu = self._need().students["school_code"].value_counts()
        t.insert(0, "บุคลากรทั้งหมด", t.sum(axis=1))
        t["นักเรียน"] = t.index.map(stu).fillna(0).astype(int)
        t["นักเรียนต่อครู"] = (t["นักเรียน"] / teachers.replace(0, pd.NA)).astype(float).round(1)
        t["ข้อค้นพบ (บุคลากร)"] = t.index.map(self._findings_count("staff-")).fillna(0).astype(int)
        t.index.name = "school_code"
        t = t.reset_index()
        t.insert(1, "school_name", t["school_code"].map(self._school_names()).fillna(""))
        return t if raw else thai_labels(t)

    def mobec_summary(self, raw: bool = False) -> pd.DataFrame:
        """Per school: M-OBEC items recorded (of the 76), usable / awaiting repair / awaiting
        disposal, findings."""
        m = self._dataset("mobec", "load_mobec")
        if m is None or len(m) == 0:
            return pd.DataFrame({"หมายเหตุ": ["ไม่มีแฟ้มครุภัณฑ์ (ตั้ง MOBEC_DIR ในเซลล์แรก)"]})
        num = {c: pd.to_numeric(m[c], errors="coerce") for c in ("usable", "repair", "disposal")}
        g = pd.DataFrame({"school_code": m["school_code"], "item_code": m["item_code"], **num}).groupby("school_code")
        t = pd.DataFrame({
            "รายการที่บันทึก (จาก 76)": g["item_code"].nunique(),
            "ใช้ได้": g["usable"].sum().astype(int),
            "รอซ่อม": g["repair"].sum().astype(int),
            "รอจำหน่าย": g["disposal"].sum().astype(int),
        })
        t["ข้อค้นพบ (ครุภัณฑ์)"] = t.index.map(self._findings_count("mobec-")).fillna(0).astype(int)
        t.index.name = "school_code"
        t = t.reset_index()
        t.insert(1, "school_name", t["school_code"].map(self._school_names()).fillna(""))
        t = t.sort_values(["ข้อค้นพบ (ครุภัณฑ์)", "school_code"], ascending=[False, True]).reset_index(drop=True)
        return t if raw else thai_labels(t)

    def bobec_summary(self, raw: bool = False) -> pd.DataFrame:
        """Per school: buildings, by condition, rooms, findings."""
        b = self._dataset("bobec", "load_bobec")
        if b is None or len(b) == 0:
            return pd.DataFrame({"หมายเหตุ": ["ไม่มีแฟ้มอาคาร (ตั้ง BOBEC_DIR ในเซลล์แรก)"]})
        cond = pd.crosstab(b["school_code"], b["condition"].astype("string").fillna("ไม่ระบุ"))
        t = pd.DataFrame({"อาคาร/สิ่งก่อสร้าง": b.groupby("school_code").size()})
        for c in ("ดี", "พอใช้", "ทรุดโทรม"):
            t[f"สภาพ{c}"] = cond[c] if c in cond else 0
        t["ห้องตามแบบ"] = pd.to_numeric(b["design_rooms"], errors="coerce").groupby(b["school_code"]).sum().astype(int)
        t["ห้องจริง"] = pd.to_numeric(b["actual_rooms"], errors="coerce").groupby(b["school_code"]).sum().astype(int)
        t["ข้อค้นพบ (อาคาร)"] = t.index.map(self._findings_count("bobec-")).fillna(0).astype(int)
        t.index.name = "school_code"
        t = t.reset_index()
        t.insert(1, "school_name", t["school_code"].map(self._school_names()).fillna(""))
        t = t.sort_values(["ข้อค้นพบ (อาคาร)", "school_code"], ascending=[False, True]).reset_index(drop=True)
        return t if raw else thai_labels(t)

    def dataset_findings(self, prefix: str) -> pd.DataFrame:
        """The findings whose check code starts with ``prefix`` (``staff-``, ``mobec-`` …)."""
        f = self._need().findings
        return self._findings_view(f[f["check"].astype(str).str.startswith(prefix)])

    def findings_of(self, *codes: str, limit: int | None = None) -> pd.DataFrame:
        """The findings of the given check codes (IDs masked)."""
        f = self._need().findings
        return self._findings_view(f[f["check"].isin(codes)], limit=limit)


#: the round each phase is compared with
PREVIOUS_PHASE = {"round2": "round1", "semester2": "round1", "endyear": "semester2"}

MOVEMENT_LABELS_TH = {
    "prev": "รอบก่อน (คน)",
    "cur": "รอบนี้ (คน)",
    "moved_out_area": "ย้ายไปโรงเรียนอื่นในเขต",
    "moved_in_area": "ย้ายมาจากโรงเรียนอื่นในเขต",
    "left_moved": "ย้ายออก (มีหลักฐานจำหน่าย)",
    "left_dropout": "ออกกลางคัน",
    "left_died": "เสียชีวิต",
    "left_graduated": "จบการศึกษา",
    "left_unexplained": "หายไปโดยไม่มีหลักฐาน",
    "new": "นักเรียนใหม่",
    "id_changed": "เปลี่ยนรหัส G เป็นเลข 13 หลัก",
    "dup_removed": "ลบแถวซ้ำแล้ว",
    "dup_added": "แถวซ้ำเพิ่มขึ้น",
    "prev_school": "โรงเรียนรอบก่อน",
    "cur_school": "โรงเรียนรอบนี้",
    "prev_grade": "ชั้นรอบก่อน",
    "cur_grade": "ชั้นรอบนี้",
    "discharge_reason": "เหตุจำหน่าย",
    "prev_file": "แฟ้มรอบก่อน",
    "prev_row": "แถวรอบก่อน",
}


def _findings_of(previous) -> pd.DataFrame:
    if isinstance(previous, Workbook):
        return previous._need().findings
    if hasattr(previous, "findings") and isinstance(previous.findings, pd.DataFrame):
        return previous.findings
    if isinstance(previous, pd.DataFrame):
        return previous
    p = Path(previous)
    if p.is_dir():
        p = p / "findings.csv"
    f = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    f = f.replace({"": pd.NA})
    # the dtypes of a findings frame built by the checks (compare_findings mixes both)
    for c in f.columns:
        if c == "source_row":
            f[c] = pd.to_numeric(f[c], errors="coerce").astype("Int64")
        else:
            f[c] = f[c].astype("string")
    return f


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

    ``data_dir=None``: the demo area (every other input defaults to the demo's too; ``today``
    defaults to three days after the phase's deadline, so the certification table shows
    on-time, late and overdue schools). Otherwise ``data_dir`` is the folder of DMC student
    exports and the other folders are given explicitly; ``as_of`` (B.E. ``DD/MM/YYYY`` or
    ISO) defaults to the calendar's census date of the phase in the current academic year.
    ``demo_root``: another folder laid out like the demo area (``obec-audit demo --out X``).
    """
    from obec_audit import reference
    from obec_audit.thaidate import parse_date as parse_as_of

    phase = str(phase).strip().lower()
    if phase not in PHASE_NOTEBOOK:
        raise ValueError(f"ไม่รู้จักช่วงงาน {phase!r}; ใช้ได้: {', '.join(PHASE_NOTEBOOK)}")
    demo = data_dir is None
    if demo:
        root = Path(demo_root) if demo_root is not None else demo_dir()
        kw = _demo_inputs(root, phase)
        if as_of is not None:
            kw["as_of"] = parse_as_of(as_of)
        rounds = root / "rounds"
        led = Path(ledger_dir) if ledger_dir is not None else root / "ledger"
    else:
        d = parse_as_of(as_of) if as_of is not None else None
        if d is None:
            year = cal.academic_year(parse_as_of(today) if today else dt.date.today())
            d = cal.census_date_for(phase, year) or cal.deadline_for(phase, year) or dt.date.today()
        kw = dict(inputs=Path(data_dir), as_of=d, phase=phase)
        rounds = _data_root() / "rounds"
        from obec_audit.ledger import default_ledger_dir

        led = Path(ledger_dir) if ledger_dir is not None else default_ledger_dir()
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
            dl = cal.deadline_for(LEDGER_ROUND[phase], cal.academic_year(as_of_d))
            today_d = (dl or as_of_d) + dt.timedelta(days=3)
        else:
            today_d = dt.date.today()
    else:
        today_d = parse_as_of(today)
    reg = reference.schools(area)
    area_name = str(reg["area_name"].iloc[0]) if len(reg) and "area_name" in reg else ""
    wb = Workbook(phase=phase, inputs=kw, out_dir=out, ledger_dir=led, demo=demo, area=area,
                  area_name=area_name, show_ids=show_ids, today=today_d, officer=officer)
    wb._cache["open_args"] = dict(area=area, ledger_dir=ledger_dir, show_ids=show_ids,
                                  officer=officer, demo_root=demo_root)
    return wb


def previous_round_dir(phase: str, wb: Workbook) -> Path:
    """The output folder of the round before ``wb``'s on the same data root (e.g. round 1's
    for round 2), for :meth:`Workbook.compare_with`."""
    return wb.out_dir.parent / f"{phase}-{wb.as_of.isoformat()}"
