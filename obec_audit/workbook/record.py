"""The round's record and self-check. A mixin of :class:`obec_audit.workbook.core.Workbook`.

- Every table, figure, box and widget a Workbook method returns is remembered in order
  (``_shown``). :meth:`RecordMixin.save_record` writes them as one offline HTML page (inline
  SVG figures, widgets as their last state, no script, no CDN): the record of the round.
- :meth:`RecordMixin.self_check` counts the round's key figures a second way, from the files
  written (read back with pandas), and shows one Thai pass/fail line per figure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from obec_audit.privacy import mask_text
from obec_audit.thaidate import thai_date
from obec_audit.workbook.display import box

__all__ = ["RecordMixin", "SelfCheck", "widget_html"]

_PAGE_CSS = (
    "body{font-family:'TH Sarabun New',Sarabun,Loma,Garuda,Tahoma,'Noto Sans Thai',sans-serif;"
    "max-width:1200px;margin:1rem auto;padding:0 1rem;color:#222}"
    "section{margin:1.2rem 0;border-top:1px solid #ddd;padding-top:.6rem}"
    ".obec-widget{border:1px dashed #9bb;padding:6px 10px;background:#fbfdfe}"
    ".obec-widget .label{color:#555}"
)


#: the heading of each kind of block in the record (the Workbook method that showed it)
SECTION_TH = {
    "intro": "เปิดงาน", "calendar": "ปฏิทินทั้งปี", "load": "แฟ้มที่อ่าน", "files_table": "แฟ้มที่อ่าน",
    "files_summary": "การอ่านแฟ้ม", "missing_schools": "โรงเรียนที่ยังไม่มีข้อมูล",
    "check": "ข้อค้นพบตามรายการตรวจ", "counts_by_check": "ข้อค้นพบตามรายการตรวจ",
    "headline": "สรุปผลการตรวจ", "findings_of": "ข้อค้นพบ", "dataset_findings": "ข้อค้นพบ",
    "school_findings": "ข้อค้นพบของโรงเรียน", "duplicate_sets": "ชุดนักเรียนซ้ำซ้อน",
    "duplicate_members": "สมาชิกของชุดซ้ำ", "duplicates_widget": "พิจารณานักเรียนซ้ำ (สถานะล่าสุด)",
    "decisions_table": "ผลการพิจารณาที่บันทึกไว้", "summary_by_school": "สรุปรายโรงเรียน",
    "findings_chart": "กราฟข้อค้นพบรายโรงเรียน", "findings_widget": "เครื่องมือกรองข้อค้นพบ (สถานะล่าสุด)",
    "completeness_chart": "กราฟความครบถ้วน", "completeness_table": "ความครบถ้วนรายโรงเรียน",
    "grade_sex_chart": "นักเรียนแยกชั้นและเพศ", "write_reports": "รายงานรายโรงเรียน",
    "report_files": "แฟ้มรายงาน", "certification_widget": "บันทึกการรับเอกสาร (สถานะล่าสุด)",
    "certification_status": "ทะเบียนการรับรอง", "certification_chart": "กราฟการรับรอง",
    "compare_with": "เทียบกับรอบก่อน", "compare_chart": "เทียบกับรอบก่อน",
    "compare_detail": "เทียบกับรอบก่อน (รายข้อ)", "compare_widget": "เทียบกับรอบก่อน (สถานะล่าสุด)",
    "movements": "การเปลี่ยนแปลงรายโรงเรียน", "movements_summary": "การเปลี่ยนแปลงของนักเรียน",
    "movements_chart": "กราฟการเปลี่ยนแปลง", "movement_list": "รายชื่อตามการเปลี่ยนแปลง",
    "staff_summary": "บุคลากรรายโรงเรียน", "mobec_summary": "ครุภัณฑ์รายโรงเรียน",
    "bobec_summary": "อาคารรายโรงเรียน", "self_check": "ตรวจทานตัวเลข",
}


def widget_html(w) -> str:
    """The current state of an ipywidgets widget (or a workbook widget class) as plain HTML:
    labels and values of the controls, the HTML and tables it shows."""
    w = getattr(w, "widget", w)
    kids = getattr(w, "children", None)
    if kids is not None:
        return "".join(widget_html(k) for k in kids)
    name = type(w).__name__
    desc = html.escape(str(getattr(w, "description", "") or ""))
    if name in ("HTML", "HTMLMath", "Label"):
        return f"<div>{w.value}</div>" if name != "Label" else f"<div>{html.escape(str(w.value))}</div>"
    if name == "Output":
        parts = []
        for o in w.outputs:
            data = o.get("data", {})
            parts.append(data.get("text/html") or f"<pre>{html.escape(data.get('text/plain', o.get('text', '')))}</pre>")
        return "".join(parts)
    if name == "Button":
        return ""
    value = getattr(w, "value", None)
    if name in ("Dropdown", "ToggleButtons", "RadioButtons", "Select"):
        shown = getattr(w, "label", None) or ""
    elif name == "SelectMultiple":
        shown = ", ".join(getattr(w, "label", ()) or ()) or "ทั้งหมด"
    elif name == "Checkbox":
        shown = "✓" if value else "✗"
    elif isinstance(value, dt.date):
        shown = thai_date(value)
    else:
        shown = "" if value is None else str(value)
    return f'<div><span class="label">{desc}</span> {html.escape(str(shown))}</div>'


@dataclass
class SelfCheck:
    """One line per figure checked: (what, passed, count from the files, count shown)."""

    title: str
    lines: list[tuple[str, bool, object, object]]

    @property
    def ok(self) -> bool:
        return all(ok for _, ok, _, _ in self.lines)

    def text_lines(self) -> list[str]:
        return [f"{'✓ ผ่าน' if ok else '✗ ไม่ผ่าน'}: {what} — จากแฟ้ม {a} · ในสมุดงาน {b}"
                for what, ok, a, b in self.lines]

    def __repr__(self) -> str:
        head = f"{self.title}: {'ผ่านทุกข้อ' if self.ok else 'มีข้อที่ไม่ผ่าน'}"
        return "\n".join([head, *self.text_lines()])

    def _repr_html_(self) -> str:
        items = "".join(
            f'<li style="color:{"#1a7f37" if ok else "#b30000"}">{html.escape(t)}</li>'
            for (_, ok, _, _), t in zip(self.lines, self.text_lines()))
        colour = "#1a9850" if self.ok else "#b30000"
        return (f'<div style="border-left:6px solid {colour};padding:6px 12px;background:#f7fbfc">'
                f"<b>{html.escape(self.title)}: {'ผ่านทุกข้อ' if self.ok else 'มีข้อที่ไม่ผ่าน'}</b>"
                f'<ul style="margin:4px 0">{items}</ul></div>')


def _read(path: Path) -> pd.DataFrame | None:
    if not path.exists():
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


class RecordMixin:
    # ---------------------------------------------------------------- record
    def _shown(self, obj):
        """Remember ``obj`` (in call order) for :meth:`save_record`; returns it."""
        rec = self._cache.setdefault("record", {})
        frame = sys._getframe(1)  # the public Workbook method that showed it (not a helper)
        while frame.f_back is not None and frame.f_code.co_name.startswith("_"):
            frame = frame.f_back
        caller = frame.f_code.co_name
        if hasattr(obj, "_repr_html_"):
            key = (caller, hashlib.sha1(obj._repr_html_().encode("utf-8")).hexdigest())
        else:  # a widget: its last state is what counts
            key = (caller, "widget")
        rec.pop(key, None)
        rec[key] = obj
        return obj

    def record_html(self, title: str | None = None) -> str:
        """The offline HTML page of everything shown so far."""
        title = title or f"บันทึกผลการตรวจ: {self.phase} ข้อมูล ณ {thai_date(self.as_of)}"
        parts = []
        for (caller, _), obj in self._cache.get("record", {}).items():
            if hasattr(obj, "_repr_html_"):
                body = obj._repr_html_()
            else:
                snap = widget_html(obj)
                body = f'<div class="obec-widget">{snap if self.show_ids else mask_text(snap)}</div>'
            head = html.escape(SECTION_TH.get(caller, ""))
            parts.append(f'<section data-call="{html.escape(caller)}">'
                         + (f"<h2>{head}</h2>" if head else "") + f"{body}</section>")
        page = (f'<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
                f"<style>{_PAGE_CSS}</style></head><body><h1>{html.escape(title)}</h1>"
                f"<p>{html.escape(self.area_name or '')} ({html.escape(self.area)}) · บันทึกเมื่อ "
                f"{thai_date(dt.date.today())}{' · เขตตัวอย่าง (ข้อมูลสังเคราะห์)' if self.demo else ''}</p>"
                + "".join(parts) + "</body></html>")
        return page  # every part was masked when it was built

    def save_record(self, path=None):
        """Write the offline HTML record of this round (every table, figure and widget shown,
        widgets as their last state) to ``<out_dir>/record.html`` (or ``path``)."""
        p = Path(path) if path is not None else self.out_dir / "record.html"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(self.record_html(), encoding="utf-8")
        n = len(self._cache.get("record", {}))
        return box("บันทึกผลการตรวจเป็นหน้าเว็บแล้ว",
                   [f"{n:,} ตาราง/กราฟ/เครื่องมือ ที่ <code>{html.escape(str(p))}</code>",
                    "เปิดด้วยเว็บเบราว์เซอร์ได้โดยไม่ต้องใช้อินเทอร์เน็ต"], "#1a9850")

    # ---------------------------------------------------------------- self-check
    def self_check(self) -> SelfCheck:
        """Count the key figures again from the files written (``findings.csv``,
        ``students.csv`` …, read back with pandas) and compare with what the workbook showed."""
        r = self._need()
        out = self.out_dir
        lines: list[tuple[str, bool, object, object]] = []

        def add(what, a, b):
            lines.append((what, a == b, a, b))

        found = _read(out / "findings.csv")
        if found is None:
            lines.append(("แฟ้ม findings.csv (สั่ง check() ก่อน)", False, "ไม่มี", "-"))
            return SelfCheck("ตรวจทานตัวเลข", lines)
        table = self.summary_by_school(raw=True)
        add("โรงเรียนที่ยังมีข้อผิดพลาด",
            found.loc[found["severity"].eq("error"), "school_code"].replace("", pd.NA).dropna().nunique(),
            int((table["errors"] > 0).sum()))
        add("ข้อค้นพบทั้งหมด", len(found), int(table[["errors", "warnings", "infos"]].to_numpy().sum())
            + int(r.findings["school_code"].isna().sum()))
        students = _read(out / "students.csv")
        files = _read(out / "files.csv")
        if students is not None and files is not None:
            ds = files["dataset"] if "dataset" in files else pd.Series("students", index=files.index)
            mine = files[ds.replace("", "students").eq("students")]
            add("แถวนักเรียนที่นำเข้า", len(students), int(pd.to_numeric(mine["rows_loaded"]).sum()))
        dup = found[found["check"].isin(("dup-id-school", "dup-id-area", "dup-person")) & found["group"].ne("")]
        add("ชุดนักเรียนซ้ำซ้อน", dup["group"].nunique(), len(self.duplicate_sets()))
        comp = _read(out / "completeness.csv")
        if comp is not None and len(comp):
            per = comp.assign(m=pd.to_numeric(comp["missing"])).groupby("school_code")["m"].sum()
            add("โรงเรียนที่ข้อมูลยังไม่ครบ", int((per > 0).sum()), self.incomplete_schools())
        for prefix, what in (("staff-", "บุคลากร"), ("mobec-", "ครุภัณฑ์"), ("bobec-", "อาคาร")):
            if self.inputs.get(prefix[:-1]) is not None:
                mine = found[found["check"].str.startswith(prefix)]
                add(f"ข้อค้นพบ{what}", len(mine), int(self._findings_count(prefix).sum()))
        if self.inputs.get("mobec") is not None:
            t = self.mobec_summary(raw=True)
            add("โรงเรียนที่บันทึกครุภัณฑ์ไม่ครบ 76 รายการ",
                found.loc[found["check"].eq("mobec-missing-item"), "school_code"].nunique(),
                int((t["รายการที่บันทึก (จาก 76)"] < 76).sum()))
        top = found[found["check"].eq("top-grade-empty")]
        if len(top) and students is not None:
            grade = top["value"].str.split(":").str[0].str.strip()  # "ป.6: 0 (รอบก่อน 12 คน)"
            there = pd.Series(list(zip(students["school_code"], students["grade"]))).isin(
                set(zip(top["school_code"], grade)))
            add("ชั้นสูงสุดที่เป็น 0 ไม่มีนักเรียนใน students.csv จริง", 0, int(there.sum()))
        mv = _read(out / "movements.csv")
        if mv is not None and len(mv):
            t = self.movements(raw=True)
            left = mv[mv["status"].eq("left")]
            for reason, col, what in (("died", "left_died", "เสียชีวิต"), ("dropout", "left_dropout", "ออกกลางคัน"),
                                      ("unexplained", "left_unexplained", "หายไปโดยไม่มีหลักฐาน")):
                add(f"นักเรียน{what}", int(left["left_reason"].eq(reason).sum()), int(t[col].sum()))
            add("นักเรียนรอบนี้ (ผลรวมรายโรงเรียน)", len(students) if students is not None else -1, int(t["cur"].sum()))
        packs = sorted((out / "reports").glob("*.xlsx"))
        if packs:
            with_data = set(r.students["school_code"].dropna()) | set(r.findings["school_code"].dropna())
            add("แฟ้มรายงานรายโรงเรียน (โรงเรียนที่มีข้อมูลหรือข้อค้นพบ)", len(packs), len(with_data))
        led = _read(self.ledger().folder / "certification.csv")
        if led is not None and len(led):
            led.columns = [c.split("(")[-1].rstrip(")") for c in led.columns]  # "ไทย (english)"
            got = led[led["round"].eq(self.ledger_round) & led["academic_year"].eq(str(self.academic_year))]
            received = got.drop_duplicates("school_code", keep="last")
            received = received[received["action"].eq("received")]
            st = self.certification_status(raw=True)
            add("โรงเรียนที่ส่งเอกสารรับรองแล้ว (certification.csv)", len(received),
                int(st["status"].isin(["certified", "late"]).sum()))
        for key, (before, after) in self._cache.get("compared_totals", {}).items():
            add("ข้อค้นพบรอบก่อน = แก้ไขแล้ว + ยังไม่แก้ไข", before[0], before[1])
            add("ข้อค้นพบรอบนี้ = ยังไม่แก้ไข + พบใหม่", after[0], after[1])
        return self._shown(SelfCheck("ตรวจทานตัวเลข", lines))
