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


def _layout(title: str = "", height: int = 360, **kw) -> dict:
    lay = {
        "font": {"family": FONT_FAMILY, "size": 14, "color": "#222"},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "separators": ".,",
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
    }
    if title:
        lay["title"] = {"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}}
    for k, v in kw.items():
        if isinstance(v, dict) and isinstance(lay.get(k), dict):
            lay[k] = {**lay[k], **v}
        else:
            lay[k] = v
    return lay


def _axis(**kw) -> dict:
    base = {"automargin": True, "gridcolor": "#eee", "zerolinecolor": "#ccc"}
    base.update(kw)
    return base


def _py(values) -> list:
    """Plain Python values (JSON-ready): numpy scalars → int/float, NaN → None."""
    out = []
    for v in list(values):
        if hasattr(v, "item"):
            v = v.item()
        if isinstance(v, float) and v != v:
            v = None
        out.append(v)
    return out


def _finish(spec: dict, as_dict: bool):
    """Return the spec itself (``as_dict=True``: no plotly import at all, what the
    dashboards use) or a ``plotly.graph_objects.Figure`` for notebooks."""
    if as_dict:
        return spec
    import plotly.graph_objects as go  # lazily: importing plotly costs ~1 s

    return go.Figure(spec)


def field_label(field: str) -> str:
    return _FIELD_SHORT_TH.get(field, field)


# ---------------------------------------------------------------------------- completeness
def band_summary(table: pd.DataFrame, as_dict: bool = False):
    """Schools per colour band (red / amber / green / no data), one horizontal bar each."""
    order = ["red", "amber", "green", "none"]
    counts = _py(table["band"].value_counts().reindex(order, fill_value=0))
    trace = {
        "type": "bar", "orientation": "h",
        "y": [BAND_TH[b] for b in order], "x": counts,
        "marker": {"color": [BAND_COLORS[b] for b in order]},
        "text": [f"{v:,} โรงเรียน" for v in counts], "textposition": "auto",
        "hovertemplate": "%{y}: %{x} โรงเรียน<extra></extra>",
    }
    lay = _layout("จำนวนโรงเรียนตามระดับความครบถ้วน", height=240,
                  yaxis=_axis(autorange="reversed"), xaxis=_axis(title={"text": "โรงเรียน"}))
    return _finish({"data": [trace], "layout": lay}, as_dict)


def _band_code(pct: pd.DataFrame) -> pd.DataFrame:
    z = pd.DataFrame(float("nan"), index=pct.index, columns=pct.columns)
    z = z.mask(pct.notna(), 0.0)
    z = z.mask(pct >= 90, 1.0)
    z = z.mask(pct >= 100, 2.0)
    return z


def field_heatmap(table: pd.DataFrame, max_schools: int = 40, as_dict: bool = False):
    """Schools (worst first) × required fields, coloured by band, the percent written in."""
    cols = [c for c in table.columns if c.startswith("pct_")]
    t = table[table["percent_complete"].notna()].sort_values(["percent_complete", "school_code"])
    t = t.head(max_schools)
    pct = t[cols].astype(float)
    z = _band_code(pct)
    fields = [c[4:] for c in cols]
    ylabels = [f"{n} ({c})" for n, c in zip(t["school_name"], t["school_code"])]
    text = pct.map(lambda v: "" if pd.isna(v) else (f"{v:.0f}" if v >= 99.95 or v < 10 else f"{v:.1f}"))
    colorscale = [
        [0.0, BAND_COLORS["red"]], [1 / 3, BAND_COLORS["red"]],
        [1 / 3, BAND_COLORS["amber"]], [2 / 3, BAND_COLORS["amber"]],
        [2 / 3, BAND_COLORS["green"]], [1.0, BAND_COLORS["green"]],
    ]
    trace = {
        "type": "heatmap",
        "z": [_py(r) for r in z.values], "x": [field_label(f) for f in fields], "y": ylabels,
        "text": [list(r) for r in text.values], "texttemplate": "%{text}",
        "customdata": [_py(r) for r in pct.round(1).values],
        "zmin": 0, "zmax": 2, "colorscale": colorscale, "showscale": False,
        "xgap": 2, "ygap": 2,
        "hovertemplate": "%{y}<br>%{x}: %{customdata}%<extra></extra>",
    }
    n = max(1, len(t))
    lay = _layout(f"ความครบถ้วนรายช่องข้อมูล ({len(t)} โรงเรียนที่ต่ำที่สุดตามตัวกรอง)",
                  height=min(2400, 140 + 24 * n),
                  yaxis=_axis(autorange="reversed", tickfont={"size": 12}),
                  xaxis=_axis(side="top"))
    return _finish({"data": [trace], "layout": lay}, as_dict)


def errors_by_check(table: pd.DataFrame, as_dict: bool = False):
    """Open errors in the schools of ``table``, by check (Thai labels)."""
    cols = [c for c in table.columns if c.startswith("err_")]
    sums = table[cols].sum().sort_values(ascending=True) if cols else pd.Series(dtype=int)
    sums = sums[sums > 0]
    vals = _py(sums.values)
    trace = {
        "type": "bar", "orientation": "h",
        "y": [CHECK_TH.get(c[4:], c[4:]) for c in sums.index], "x": vals,
        "marker": {"color": "#c0504d"}, "text": [f"{v:,}" for v in vals],
        "textposition": "auto", "hovertemplate": "%{y}: %{x} รายการ<extra></extra>",
    }
    lay = _layout("ข้อผิดพลาดที่ยังเปิดอยู่ แยกตามประเภท", height=max(240, 90 + 30 * len(vals)),
                  xaxis=_axis(title={"text": "รายการ"}), yaxis=_axis())
    return _finish({"data": [trace], "layout": lay}, as_dict)


def school_fields(row: pd.Series, as_dict: bool = False):
    """One school's percent complete per required field, coloured by band."""
    from obec_audit.dashboard_data import completeness_band

    cols = [c for c in row.index if c.startswith("pct_")]
    vals = pd.to_numeric(row[cols], errors="coerce")
    trace = {
        "type": "bar", "x": [field_label(c[4:]) for c in cols], "y": _py(vals.fillna(0)),
        "marker": {"color": [BAND_COLORS[completeness_band(v)] for v in vals]},
        "text": [("" if pd.isna(v) else f"{v:.1f}%") for v in vals], "textposition": "auto",
        "hovertemplate": "%{x}: %{y:.1f}%<extra></extra>",
    }
    lo = float(vals.min()) if vals.notna().any() else 0.0
    lay = _layout("ความครบถ้วนรายช่องข้อมูลของโรงเรียน", height=300,
                  yaxis=_axis(range=[min(80.0, lo - 2), 100.5], ticksuffix="%"), xaxis=_axis())
    return _finish({"data": [trace], "layout": lay}, as_dict)


# ---------------------------------------------------------------------------- certification
def certification_donut(summary: dict, as_dict: bool = False):
    order = ["certified", "late", "overdue", "not_yet", "unknown"]
    vals = [int(summary.get(f"n_{s}", 0)) for s in order]
    keep = [i for i, v in enumerate(vals) if v > 0] or [4]
    trace = {
        "type": "pie", "labels": [STATUS_TH[order[i]] for i in keep],
        "values": [vals[i] for i in keep],
        "marker": {"colors": [STATUS_COLORS[order[i]] for i in keep]},
        "hole": 0.55, "sort": False, "textinfo": "value+percent",
        "hovertemplate": "%{label}: %{value} โรงเรียน<extra></extra>",
    }
    lay = _layout("สถานะการส่งเอกสารรับรอง", height=330,
                  annotations=[{"text": f"{sum(vals):,}<br>โรงเรียน", "showarrow": False,
                                "font": {"size": 18}}])
    return _finish({"data": [trace], "layout": lay}, as_dict)


# ---------------------------------------------------------------------------- area overview
def grade_sex_bars(compare: pd.DataFrame, current_label: str = "รอบนี้",
                   previous_label: str = "รอบก่อน", as_dict: bool = False):
    """Students by grade: boys and girls this round (stacked), the previous round's total as
    a marker."""
    x = list(compare["grade"])
    data = [
        {"type": "bar", "x": x, "y": _py(compare["male"]), "name": f"ชาย ({current_label})",
         "marker": {"color": SEX_COLORS["M"]}, "hovertemplate": "%{x} ชาย: %{y:,}<extra></extra>"},
        {"type": "bar", "x": x, "y": _py(compare["female"]), "name": f"หญิง ({current_label})",
         "marker": {"color": SEX_COLORS["F"]}, "hovertemplate": "%{x} หญิง: %{y:,}<extra></extra>"},
    ]
    if "prev_total" in compare.columns:
        data.append({"type": "scatter", "mode": "markers+lines", "x": x,
                     "y": _py(compare["prev_total"]), "name": f"รวม ({previous_label})",
                     "line": {"color": "#333", "dash": "dot"},
                     "marker": {"symbol": "diamond", "size": 9, "color": "#333"},
                     "hovertemplate": "%{x} รวมรอบก่อน: %{y:,}<extra></extra>"})
    lay = _layout("นักเรียนแยกชั้นและเพศ เทียบกับรอบก่อน", height=400, barmode="stack",
                  legend={"orientation": "h", "y": -0.15},
                  yaxis=_axis(title={"text": "คน"}, separatethousands=True),
                  xaxis=_axis(type="category"))
    return _finish({"data": data, "layout": lay}, as_dict)


def id_quality_lines(trend: pd.DataFrame, as_dict: bool = False):
    """Duplicates and invalid IDs over the rounds (students involved)."""
    colors = {"dup_school": "#d73027", "dup_area": "#fc8d59", "dup_person": "#e0b000",
              "invalid_id": "#4575b4", "gcode": "#91bfdb"}
    x = list(trend["as_of_th"])
    data = []
    for k, label in ID_TREND_TH.items():
        if k in trend.columns:
            y = _py(trend[k])
            data.append({"type": "scatter", "mode": "lines+markers+text", "x": x, "y": y,
                         "name": label, "text": [f"{v:,}" for v in y],
                         "textposition": "top center",
                         "line": {"color": colors.get(k, "#666"), "width": 3},
                         "hovertemplate": f"{label}: " + "%{y:,} คน<extra></extra>"})
    lay = _layout("เลขซ้ำและเลขประจำตัวไม่ถูกต้อง ตามรอบการตรวจ", height=400,
                  legend={"orientation": "h", "y": -0.2},
                  yaxis=_axis(title={"text": "นักเรียน (คน)"}, rangemode="tozero"),
                  xaxis=_axis(title={"text": "ข้อมูล ณ วันที่"}, type="category"))
    return _finish({"data": data, "layout": lay}, as_dict)


# ---------------------------------------------------------------------------- display
def mime_bundle(fig, config: dict | None = None) -> dict:
    """The plotly MIME bundle of ``fig`` (a Figure or a dict spec) (for ``IPython.display.display(..., raw=True)``):
    rendered by the jupyterlab-plotly extension; no plotly.js inlined."""
    cfg = {"displaylogo": False,
           "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"]}
    cfg.update(config or {})
    if isinstance(fig, dict):
        spec = json.loads(json.dumps(fig, default=_json_default))
    else:
        spec = json.loads(fig.to_json())
    spec["config"] = cfg
    return {PLOTLY_MIME: spec, "text/plain": "<กราฟ>"}


def _json_default(o):
    if hasattr(o, "tolist"):
        return o.tolist()
    if hasattr(o, "item"):
        return o.item()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")
