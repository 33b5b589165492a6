"""Round over round: findings fixed / still open / new since an earlier round, and the
children's movements since the previous census. A mixin of
:class:`obec_audit.workbook.core.Workbook`."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from obec_audit import calendar as cal
from obec_audit.checks.reconcile import compare_by_school, compare_findings
from obec_audit.thaidate import be_short
from obec_audit.workbook import figures
from obec_audit.workbook.display import (
    MOVEMENT_LABELS_TH,
    check_titles,
    mask_frame,
    officer_table,
    table_html,
    thai_labels,
)

__all__ = ["CompareMixin", "PREVIOUS_PHASE", "findings_of", "errors_by_round"]

PathLike = str | os.PathLike

#: the round each phase is compared with
PREVIOUS_PHASE = {"round2": "round1", "semester2": "round1", "endyear": "semester2"}


def findings_of(previous) -> pd.DataFrame:
    """The findings of a Workbook, a RoundResult, a findings frame or a round folder."""
    if hasattr(previous, "_need"):
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


#: short column labels of a table with one column per round
PHASE_SHORT_TH = {"start": "ต้นปี", "round1": "รอบที่ 1", "round2": "รอบที่ 2", "mobec": "ครุภัณฑ์",
                  "bobec": "อาคาร", "semester2": "ภาคเรียนที่ 2", "endyear": "สิ้นปี"}


def errors_by_round(*workbooks):
    """Schools with errors in each round, by check (one column per round): why the count
    rises or falls from one round to the next."""
    cols, totals = {}, {}
    for wb in workbooks:
        f = wb._need().findings
        err = f[f["severity"].eq("error") & f["school_code"].notna()]
        label = f"{PHASE_SHORT_TH.get(wb.phase, wb.phase)} ({be_short(wb.as_of)})"
        cols[label] = err.groupby("check")["school_code"].nunique()
        totals[label] = err["school_code"].nunique()
    t = pd.DataFrame(cols).fillna(0).astype(int)
    t = t[(t > 0).any(axis=1)]
    t.insert(0, "รายการตรวจ", [check_titles().get(c, c) for c in t.index])
    total = pd.DataFrame([{"รายการตรวจ": "โรงเรียนที่มีข้อผิดพลาดอย่างน้อยหนึ่งรายการ", **totals}],
                         index=["total"])
    out = pd.concat([total, t]).reset_index(drop=True)
    return officer_table(out, note="จำนวนโรงเรียนที่มีข้อผิดพลาดแต่ละประเภท (หนึ่งโรงเรียนนับได้หลายประเภท)")


class CompareMixin:
    # ---------------------------------------------------------------- round over round
    def compare_with(self, previous, raw: bool = False) -> pd.DataFrame:
        """Per school: findings fixed since ``previous``, still open, new.

        ``previous``: another Workbook, a RoundResult, a findings frame, or a round folder
        (with ``findings.csv``)."""
        t = self._compared(previous, "by_school", compare_by_school)
        n_before, n_after = len(findings_of(previous)), len(self._need().findings)
        totals = self._cache.setdefault("compared_totals", {})
        totals[id(previous) if not isinstance(previous, (str, os.PathLike)) else str(previous)] = (
            (n_before, int(t["fixed"].sum() + t["open"].sum())),
            (n_after, int(t["open"].sum() + t["new"].sum())))
        t.insert(1, "school_name", t["school_code"].map(self._school_names()).fillna(""))
        t = t.sort_values(["open", "new", "school_code"], ascending=[False, False, True]).reset_index(drop=True)
        return t if raw else self._table(t)

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
            cache[key] = func(findings_of(previous), self._need().findings)
        return cache[key].copy()

    def _compare_detail_raw(self, previous, school_code: str | None = None) -> pd.DataFrame:
        c = self._compared(previous, "detail", compare_findings)
        if school_code:
            c = c[c["school_code"].eq(school_code)]
        c.insert(3, "check_th", c["check"].map(check_titles()).fillna(c["check"]))
        return c.drop(columns=["key", "status", "check", "severity"]).reset_index(drop=True)

    def compare_detail(self, previous, school_code: str | None = None):
        """Finding by finding: fixed / still open / new (one school, or all)."""
        return self._table(self._compare_detail_raw(previous, school_code))

    def compare_chart(self, previous) -> figures.Figure:
        tot = self.compare_with(previous, raw=True)[["fixed", "open", "new"]].sum()
        return self._shown(figures.compare_figure(tot["fixed"], tot["open"], tot["new"]))

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
        if not self.demo:
            # officers: the same data root, the earlier round's census date
            prev_as_of = self.as_of if phase in ("round1", "start") and self.phase == "round2" else \
                cal.census_date_for(phase, self.academic_year)
            exact = self.out_dir.parent / f"{phase}-{prev_as_of.isoformat()}" if prev_as_of else None
            if exact is not None and (exact / "findings.csv").exists():
                return exact
            cands = [c for c in sorted(self.out_dir.parent.glob(f"{phase}-*")) if (c / "findings.csv").exists()]
            if cands:
                return cands[-1]
            raise FileNotFoundError(
                f"ไม่พบผลการตรวจ{phase}ใน {self.out_dir.parent}: เปิดสมุดงานของรอบนั้นก่อน "
                f"หรือกำหนดโฟลเดอร์ในเซลล์แรก (no earlier {phase} results found)")
        from obec_audit.workbook.core import open_round  # core imports this module

        prev = open_round(phase, **dict(self._cache.get("open_args", {})))
        if not (prev.out_dir / "findings.csv").exists():
            prev.load()
            prev.check()
        return prev.out_dir

    def compare_widget(self, previous):
        """Pick a school: its findings fixed / still open / new since ``previous``."""
        import ipywidgets as W  # only when a widget is asked for (ipywidgets is slow to import)

        t = self.compare_with(previous, raw=True)
        detail = mask_frame(self._compare_detail_raw(previous), self.show_ids)
        opts = [(f"{c} {n} (ค้าง {o}, ใหม่ {w}, แก้แล้ว {f})", c)
                for c, n, o, w, f in zip(t["school_code"], t["school_name"], t["open"], t["new"], t["fixed"])]
        pick = W.Dropdown(options=opts, description="โรงเรียน", style={"description_width": "initial"},
                          layout=W.Layout(width="80%"))
        status = W.ToggleButtons(options=[("ทั้งหมด", ""), ("ยังไม่แก้ไข", "ยังไม่แก้ไข"),
                                          ("พบใหม่", "พบใหม่"), ("แก้ไขแล้ว", "แก้ไขแล้ว")],
                                 description="สถานะ")
        out = W.HTML()
        status_col = "status_th"

        def refresh(*_):
            v = detail[detail["school_code"].eq(pick.value)] if pick.value else detail
            if status.value and status_col in v:
                v = v[v[status_col].eq(status.value)]
            out.value = table_html(thai_labels(v).reset_index(drop=True))

        pick.observe(refresh, names="value")
        status.observe(refresh, names="value")
        refresh()
        box = W.VBox([pick, status, out])
        box._controls = {"school": pick, "status": status}
        return self._shown(box)

    # ---------------------------------------------------------------- movements
    def movements(self, raw: bool = False) -> pd.DataFrame:
        """Per school since the previous census: moved to / from another school of the area,
        left (moved out, dropped out, died, graduated, unexplained), new, G-code converted,
        duplicate rows removed / added. Every previous row is counted once in
        ``prev`` and once in a leaving or staying status; every current row likewise."""
        mv = self._need().movements
        cols = ["prev", "cur", "moved_out_area", "moved_in_area", "left_moved", "left_dropout",
                "left_died", "left_graduated", "left_unexplained", "new", "id_changed",
                "dup_removed", "dup_added"]
        if mv is None or len(mv) == 0:
            t = pd.DataFrame(columns=["school_code", *cols])
            return t if raw else self._table(t, MOVEMENT_LABELS_TH, empty="ไม่มีข้อมูลรอบก่อนให้เทียบ")
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
        return t if raw else self._table(t, MOVEMENT_LABELS_TH)

    def movements_summary(self):
        """The area's totals of :meth:`movements`."""
        t = self.movements(raw=True)
        tot = t.drop(columns=["school_code", "school_name"]).sum()
        return self._table(pd.DataFrame({"การเปลี่ยนแปลง": [MOVEMENT_LABELS_TH[k] for k in tot.index],
                                         "จำนวน (คน)": tot.values.astype(int)}))

    def movements_chart(self) -> figures.Figure:
        s = self.movements_summary()
        s = s[~s["การเปลี่ยนแปลง"].isin([MOVEMENT_LABELS_TH["prev"], MOVEMENT_LABELS_TH["cur"]])]
        return self._shown(figures.movements_figure(pd.DataFrame(s)))

    def movement_list(self, status: str = "left", reason: str | None = "unexplained"):
        """The children of one movement status (e.g. left without explanation)."""
        mv = self._need().movements
        if mv is None:
            return self._table(pd.DataFrame(), empty="ไม่มีข้อมูลรอบก่อนให้เทียบ")
        m = mv[mv["status"].eq(status)]
        if reason:
            m = m[m["left_reason"].eq(reason)]
        cols = ["national_id", "title", "first_name", "last_name", "prev_school", "cur_school",
                "prev_grade", "cur_grade", "discharge_reason", "prev_file", "prev_row"]
        return self._table(m.reindex(columns=cols), MOVEMENT_LABELS_TH, empty="ไม่มีนักเรียนในรายการนี้")


