"""The notebooks' figures, drawn as inline SVG (``obec_audit.charts.to_svg``): they show in
JupyterLab, in Voila and in an exported HTML file with no internet and no plotly.js.

Each function takes the numbers already computed and returns a :class:`Figure`: a plotly-style
dict spec (``.to_dict()``, what tests read) shown as SVG. Every category gets its label (one
row per school: the chart grows instead of dropping labels); up to 20 categories get distinct
colours (``charts.PALETTE``).
"""

from __future__ import annotations

import pandas as pd

from obec_audit import charts
from obec_audit.charts import BAND_COLORS, category_colors

__all__ = ["Figure", "completeness_figure", "findings_figure", "grade_sex_figure",
           "movements_figure", "compare_figure", "certification_figure", "ROW_PX"]

#: height of one category row in a horizontal bar chart (labels never overlap)
ROW_PX = 18


class Figure:
    """A figure spec shown as inline SVG."""

    def __init__(self, spec: dict, width: int = 900) -> None:
        self.spec, self.width = spec, width

    def to_dict(self) -> dict:
        return self.spec

    @property
    def title(self) -> str:
        t = self.spec.get("layout", {}).get("title") or {}
        return t.get("text", "") if isinstance(t, dict) else str(t)

    def svg(self) -> str:
        return charts.to_svg(self.spec, self.width)

    def _repr_html_(self) -> str:
        return f'<div class="obec-figure">{self.svg()}</div>'

    def __repr__(self) -> str:
        return f"<กราฟ: {self.title}>"


def _layout(title: str, height: int, **kw) -> dict:
    return charts._layout(title, height=height, **kw)


def _rows_height(n: int, extra: int = 110) -> int:
    return int(extra + ROW_PX * max(1, n))


def school_label(code: str, names: dict) -> str:
    name = names.get(code, "") if isinstance(code, str) else ""
    return f"{code} {name}".strip()


def _pct_text(pct, missing) -> str:
    """``99.9%``; never ``100.0%`` while a cell is still empty (rounded up from 99.97)."""
    if pd.isna(pct):
        return ""
    if missing > 0 and pct >= 99.95:
        return "99.9%"
    return f"{pct:.1f}%"


def completeness_figure(sc: pd.DataFrame, names: dict) -> Figure:
    """Percent complete per school, worst at the top, every school labelled (traffic light:
    red < 90 %, amber below 100 % or any empty cell, green)."""
    t = sc.copy()
    t["pct"] = pd.to_numeric(t["percent_complete"], errors="coerce")
    t["missing"] = pd.to_numeric(t["missing_cells"], errors="coerce").fillna(0)
    t = t.sort_values(["pct", "missing", "school_code"], ascending=[True, False, True]).reset_index(drop=True)
    band = pd.cut(t["pct"], [-1, 89.9999, 99.9999, 101], labels=["red", "amber", "green"]).astype(str)
    band = band.where(~(band.eq("green") & (pd.to_numeric(t["missing_cells"]) > 0)), "amber")
    y = [school_label(c, names) for c in t["school_code"]]
    lo = float(t["pct"].min()) if t["pct"].notna().any() else 0.0
    trace = {"type": "bar", "orientation": "h", "y": y, "x": charts._py(t["pct"].round(1)),
             "marker": {"color": [BAND_COLORS.get(b, BAND_COLORS["none"]) for b in band]},
             "text": [_pct_text(v, m) for v, m in zip(t["pct"], t["missing"])],
             "hovertemplate": "%{y}: ครบถ้วน %{x:.1f}%<extra></extra>"}
    lay = _layout("ความครบถ้วนของข้อมูลนักเรียนรายโรงเรียน (ต่ำสุดอยู่บน)", _rows_height(len(t)),
                  yaxis=charts._axis(autorange="reversed"),
                  xaxis=charts._axis(title={"text": "ครบถ้วน (%)"},
                                     range=[max(0.0, min(lo, 100.0) - 2), 100.5], ticksuffix="%"))
    return Figure({"data": [trace], "layout": lay})


def findings_figure(f: pd.DataFrame, titles: dict, names: dict, top: int = 30,
                    severity: str | None = "error", severity_th: str = "ข้อค้นพบ") -> Figure:
    """Findings of the ``top`` schools with most, stacked by check (distinct colours)."""
    f = f[f["severity"].eq(severity)] if severity else f
    f = f[f["school_code"].notna()]
    data = []
    n = 0
    if len(f):
        ct = pd.crosstab(f["school_code"].astype(str), f["check"].astype(str))
        ct = ct.loc[ct.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top]]
        n = len(ct)
        y = [school_label(c, names) for c in ct.index]
        checks = list(ct.sum().sort_values(ascending=False, kind="stable").index)
        for chk, col in zip(checks, category_colors(len(checks))):
            name = titles.get(chk, chk)
            data.append({"type": "bar", "orientation": "h", "y": y, "x": charts._py(ct[chk]),
                         "name": name, "marker": {"color": col},
                         "hovertemplate": "%{y}: %{x} รายการ<extra>" + name + "</extra>"})
    legend_rows = 1 + len(data) // 3
    lay = _layout(f"{severity_th} แยกตามโรงเรียนและรายการตรวจ ({n} โรงเรียนที่มีมากที่สุด)",
                  _rows_height(n, 110 + 20 * legend_rows), barmode="stack",
                  yaxis=charts._axis(autorange="reversed"),
                  xaxis=charts._axis(title={"text": "จำนวนรายการ"}))
    return Figure({"data": data, "layout": lay})


def grade_sex_figure(table: pd.DataFrame, current_label: str) -> Figure:
    """Students by grade and sex; titled "เทียบกับรอบก่อน" only with a previous round."""
    return Figure(charts.grade_sex_bars(table, current_label=current_label,
                                        previous_label="รอบก่อน", as_dict=True))


def movements_figure(summary: pd.DataFrame) -> Figure:
    """The area's movements since the previous census, one bar per kind."""
    trace = {"type": "bar", "orientation": "h", "y": list(summary.iloc[:, 0]),
             "x": charts._py(summary.iloc[:, 1]), "marker": {"color": "#3b6fb6"},
             "text": [f"{v:,}" for v in summary.iloc[:, 1]],
             "hovertemplate": "%{y}: %{x} คน<extra></extra>"}
    lay = _layout("การเปลี่ยนแปลงของนักเรียนตั้งแต่รอบก่อน (ทั้งเขต)", _rows_height(len(summary), 100),
                  yaxis=charts._axis(autorange="reversed"), xaxis=charts._axis(title={"text": "คน"}))
    return Figure({"data": [trace], "layout": lay})


def compare_figure(fixed: int, open_: int, new: int) -> Figure:
    """Findings fixed / still open / new since the previous round (the area)."""
    vals = [int(fixed), int(open_), int(new)]
    trace = {"type": "bar", "x": ["แก้ไขแล้ว", "ยังไม่แก้ไข", "พบใหม่"], "y": vals,
             "marker": {"color": ["#1a9850", "#f4a300", "#d73027"]},
             "text": [f"{v:,}" for v in vals], "hovertemplate": "%{x}: %{y:,}<extra></extra>"}
    lay = _layout("ข้อค้นพบเทียบกับรอบก่อน (ทั้งเขต)", 320, yaxis=charts._axis(title={"text": "รายการ"}),
                  xaxis=charts._axis(type="category"))
    return Figure({"data": [trace], "layout": lay})


def certification_figure(counts: dict, simulated: bool = False) -> Figure:
    """Schools by certification status (a donut); says so when the receipts are simulated."""
    spec = charts.certification_donut(counts, as_dict=True)
    if simulated:
        spec["layout"]["title"]["text"] += " (จำลองสำหรับฝึกอบรม ไม่ใช่การรับจริง)"
    return Figure(spec)
