"""Plotly figures of the workbook (dashboards and officers' notebooks).

Every function takes an **aggregate** frame from ``obec_audit.dashboard_data`` and returns a
plain ``plotly.graph_objects.Figure`` (never a ``FigureWidget``: each of those ships the whole
plotly.js through the widget manager). Dashboards display them as the plotly MIME bundle
(``mime_bundle``), which the ``jupyterlab-plotly`` extension renders with plotly.js loaded
once per page from the local server, so nothing comes from the internet.

Colours are the traffic light a supervisor reads at a glance: red below 90 %, amber 90 to
under 100 %, green at 100 % (``BAND_COLORS``). Labels are Thai; the font list starts with the
TH Sarabun family and falls back on the Thai fonts every Linux/Windows PC has.
"""

from __future__ import annotations

import json

import pandas as pd

from obec_audit.dashboard_data import (
    BAND_TH,
    CHECK_TH,
    ID_TREND_TH,
    STATUS_TH,
)

__all__ = [
    "BAND_COLORS", "STATUS_COLORS", "FONT_FAMILY", "band_summary", "field_heatmap",
    "errors_by_check", "school_fields", "certification_donut", "grade_sex_bars",
    "id_quality_lines", "mime_bundle", "PLOTLY_MIME",
]

BAND_COLORS: dict[str, str] = {
    "red": "#d73027",
    "amber": "#f4a300",
    "green": "#1a9850",
    "none": "#bdbdbd",
}
STATUS_COLORS: dict[str, str] = {
    "certified": "#1a9850",
    "late": "#91cf60",
    "overdue": "#d73027",
    "not_yet": "#f4a300",
    "unknown": "#bdbdbd",
}
SEX_COLORS = {"M": "#3b6fb6", "F": "#d95f9e"}
FONT_FAMILY = "'TH Sarabun New', Sarabun, Loma, Garuda, Tahoma, 'Noto Sans Thai', sans-serif"
PLOTLY_MIME = "application/vnd.plotly.v1+json"

_FIELD_SHORT_TH = {
    "national_id": "เลขประจำตัว", "grade": "ชั้น", "room": "ห้อง", "sex": "เพศ",
    "title": "คำนำหน้า", "first_name": "ชื่อ", "last_name": "นามสกุล", "birth_date": "วันเกิด",
    "weight": "น้ำหนัก", "height": "ส่วนสูง", "religion": "ศาสนา", "nationality": "สัญชาติ",
    "race": "เชื้อชาติ",
}


def _go():
    import plotly.graph_objects as go  # lazily: the data layer does not need plotly

    return go


def _layout(fig, title: str = "", height: int = 360, **kw):
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}} if title else None,
        font={"family": FONT_FAMILY, "size": 14, "color": "#222"},
        height=height,
        margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        paper_bgcolor="white",
        plot_bgcolor="white",
        separators=".,",
        **kw,
    )
    return fig


def field_label(field: str) -> str:
    return _FIELD_SHORT_TH.get(field, field)


# ---------------------------------------------------------------------------- completeness
def band_summary(table: pd.DataFrame):
    """Schools per colour band (red / amber / green / no data), one horizontal bar each."""
    go = _go()
    order = ["red", "amber", "green", "none"]
    counts = table["band"].value_counts().reindex(order, fill_value=0)
    fig = go.Figure(
        go.Bar(
            y=[BAND_TH[b] for b in order],
            x=counts.values,
            orientation="h",
            marker_color=[BAND_COLORS[b] for b in order],
            text=[f"{v:,} โรงเรียน" for v in counts.values],
            textposition="auto",
            hovertemplate="%{y}: %{x} โรงเรียน<extra></extra>",
        )
    )
    _layout(fig, "จำนวนโรงเรียนตามระดับความครบถ้วน", height=230)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="โรงเรียน", gridcolor="#eee")
    return fig


def _band_code(pct: pd.DataFrame) -> pd.DataFrame:
    z = pd.DataFrame(float("nan"), index=pct.index, columns=pct.columns)
    z = z.mask(pct.notna(), 0.0)
    z = z.mask(pct >= 90, 1.0)
    z = z.mask(pct >= 100, 2.0)
    return z


def field_heatmap(table: pd.DataFrame, max_schools: int = 40):
    """Schools (worst first) × required fields, coloured by band, the percent written in."""
    go = _go()
    cols = [c for c in table.columns if c.startswith("pct_")]
    t = table[table["percent_complete"].notna()].sort_values(["percent_complete", "school_code"])
    t = t.head(max_schools)
    pct = t[cols].astype(float)
    z = _band_code(pct)
    fields = [c[4:] for c in cols]
    ylabels = [f"{n} ({c})" for n, c in zip(t["school_name"], t["school_code"])]
    text = pct.map(lambda v: "" if pd.isna(v) else (f"{v:.0f}" if v >= 99.5 or v < 10 else f"{v:.1f}"))
    colorscale = [
        [0.0, BAND_COLORS["red"]], [1 / 3, BAND_COLORS["red"]],
        [1 / 3, BAND_COLORS["amber"]], [2 / 3, BAND_COLORS["amber"]],
        [2 / 3, BAND_COLORS["green"]], [1.0, BAND_COLORS["green"]],
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z.values.tolist(),
            x=[field_label(f) for f in fields],
            y=ylabels,
            text=text.values.tolist(),
            texttemplate="%{text}",
            customdata=pct.round(1).values.tolist(),
            zmin=0, zmax=2, colorscale=colorscale, showscale=False,
            xgap=2, ygap=2,
            hovertemplate="%{y}<br>%{x}: %{customdata}%<extra></extra>",
        )
    )
    n = max(1, len(t))
    _layout(fig, f"ความครบถ้วนรายช่องข้อมูล ({n} โรงเรียนที่ต่ำที่สุดตามตัวกรอง)",
            height=min(2400, 120 + 24 * n))
    fig.update_yaxes(autorange="reversed", tickfont={"size": 12})
    fig.update_xaxes(side="top")
    return fig


def errors_by_check(table: pd.DataFrame):
    """Open errors in the schools of ``table``, by check (Thai labels)."""
    go = _go()
    cols = [c for c in table.columns if c.startswith("err_")]
    sums = table[cols].sum().sort_values(ascending=True) if cols else pd.Series(dtype=int)
    sums = sums[sums > 0]
    labels = [CHECK_TH.get(c[4:], c[4:]) for c in sums.index]
    fig = go.Figure(
        go.Bar(y=labels, x=sums.values, orientation="h", marker_color="#c0504d",
               text=[f"{v:,}" for v in sums.values], textposition="auto",
               hovertemplate="%{y}: %{x} รายการ<extra></extra>")
    )
    _layout(fig, "ข้อผิดพลาดที่ยังเปิดอยู่ แยกตามประเภท", height=max(220, 80 + 30 * len(sums)))
    fig.update_xaxes(title_text="รายการ", gridcolor="#eee")
    return fig


def school_fields(row: pd.Series):
    """One school's percent complete per required field, coloured by band."""
    go = _go()
    cols = [c for c in row.index if c.startswith("pct_")]
    vals = pd.to_numeric(row[cols], errors="coerce")
    from obec_audit.dashboard_data import completeness_band

    colors = [BAND_COLORS[completeness_band(v)] for v in vals]
    fig = go.Figure(
        go.Bar(x=[field_label(c[4:]) for c in cols], y=vals.fillna(0).values, marker_color=colors,
               text=[("" if pd.isna(v) else f"{v:.1f}%") for v in vals], textposition="auto",
               hovertemplate="%{x}: %{y:.1f}%<extra></extra>")
    )
    _layout(fig, "ความครบถ้วนรายช่องข้อมูลของโรงเรียน", height=300)
    lo = float(vals.min()) if vals.notna().any() else 0.0
    fig.update_yaxes(range=[min(80.0, lo - 2), 100.5], ticksuffix="%", gridcolor="#eee")
    return fig


# ---------------------------------------------------------------------------- certification
def certification_donut(summary: dict):
    go = _go()
    order = ["certified", "late", "overdue", "not_yet", "unknown"]
    vals = [int(summary.get(f"n_{s}", 0)) for s in order]
    keep = [i for i, v in enumerate(vals) if v > 0] or [4]
    fig = go.Figure(
        go.Pie(
            labels=[STATUS_TH[order[i]] for i in keep],
            values=[vals[i] for i in keep],
            marker={"colors": [STATUS_COLORS[order[i]] for i in keep]},
            hole=0.55, sort=False, textinfo="value+percent",
            hovertemplate="%{label}: %{value} โรงเรียน<extra></extra>",
        )
    )
    total = sum(vals)
    _layout(fig, "สถานะการรับรองข้อมูล", height=320,
            annotations=[{"text": f"{total:,}<br>โรงเรียน", "showarrow": False,
                          "font": {"size": 18}}])
    return fig


# ---------------------------------------------------------------------------- area overview
def grade_sex_bars(compare: pd.DataFrame, current_label: str = "รอบนี้",
                   previous_label: str = "รอบก่อน"):
    """Students by grade: boys and girls this round (stacked), the previous round's total as
    a marker."""
    go = _go()
    fig = go.Figure()
    fig.add_bar(x=compare["grade"], y=compare["male"], name=f"ชาย ({current_label})",
                marker_color=SEX_COLORS["M"], hovertemplate="%{x} ชาย: %{y:,}<extra></extra>")
    fig.add_bar(x=compare["grade"], y=compare["female"], name=f"หญิง ({current_label})",
                marker_color=SEX_COLORS["F"], hovertemplate="%{x} หญิง: %{y:,}<extra></extra>")
    if "prev_total" in compare.columns:
        fig.add_scatter(x=compare["grade"], y=compare["prev_total"], mode="markers+lines",
                        name=f"รวม ({previous_label})", line={"color": "#333", "dash": "dot"},
                        marker={"symbol": "diamond", "size": 9, "color": "#333"},
                        hovertemplate="%{x} รวมรอบก่อน: %{y:,}<extra></extra>")
    _layout(fig, "นักเรียนแยกชั้นและเพศ เทียบกับรอบก่อน", height=380, barmode="stack",
            legend={"orientation": "h", "y": -0.15})
    fig.update_yaxes(title_text="คน", gridcolor="#eee", separatethousands=True)
    return fig


def id_quality_lines(trend: pd.DataFrame):
    """Duplicates and invalid IDs over the rounds (students involved)."""
    go = _go()
    fig = go.Figure()
    colors = {"dup_school": "#d73027", "dup_area": "#fc8d59", "dup_person": "#fee090",
              "invalid_id": "#4575b4", "gcode": "#91bfdb"}
    x = [f"{lbl}" for lbl in trend["as_of_th"]]
    for k, label in ID_TREND_TH.items():
        if k in trend.columns:
            fig.add_scatter(x=x, y=trend[k], mode="lines+markers+text", name=label,
                            text=trend[k], textposition="top center",
                            line={"color": colors.get(k, "#666"), "width": 3},
                            hovertemplate=f"{label}: " + "%{y:,} คน<extra></extra>")
    _layout(fig, "เลขซ้ำและเลขประจำตัวไม่ถูกต้อง ตามรอบการตรวจ", height=380,
            legend={"orientation": "h", "y": -0.2})
    fig.update_yaxes(title_text="นักเรียน (คน)", gridcolor="#eee", rangemode="tozero")
    fig.update_xaxes(title_text="ข้อมูล ณ วันที่", type="category")
    return fig


# ---------------------------------------------------------------------------- display
def mime_bundle(fig, config: dict | None = None) -> dict:
    """The plotly MIME bundle of ``fig`` (for ``IPython.display.display(..., raw=True)``):
    rendered by the jupyterlab-plotly extension; no plotly.js inlined."""
    cfg = {"displaylogo": False, "responsive": True,
           "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"]}
    cfg.update(config or {})
    spec = json.loads(fig.to_json())
    spec["config"] = cfg
    return {PLOTLY_MIME: spec, "text/plain": "<กราฟ>"}
