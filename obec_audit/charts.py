"""Plotly figures of the workbook (dashboards and officers' notebooks).

Every function takes an **aggregate** frame from ``obec_audit.dashboard_data`` and returns a
plain ``plotly.graph_objects.Figure`` for the officers' notebooks (never a ``FigureWidget``:
each of those ships the whole plotly.js through the widget manager), or with
``as_dict=True`` the same figure as a plain dict spec without importing plotly. The
supervisors' dashboards draw those specs as inline SVG (``to_svg``, at the end of this
module): no plotly.js in their pages. ``mime_bundle`` gives the plotly MIME bundle of a spec
for a notebook.

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
    completeness_band,
)

__all__ = [
    "BAND_COLORS", "STATUS_COLORS", "FONT_FAMILY", "band_summary", "field_heatmap",
    "errors_by_check", "school_fields", "certification_donut", "grade_sex_bars",
    "id_quality_lines", "mime_bundle", "PLOTLY_MIME", "to_svg", "SVG_CLASS", "PALETTE",
    "category_colors",
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
#: up to 20 categories (checks, reasons) in colours told apart at a glance, strongest first
#: (after Sasha Trubetskoy's "20 distinct colours"); ``category_colors`` cycles past 20
PALETTE = (
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#ffe119",
    "#9a6324", "#000075", "#469990", "#800000", "#bfef45", "#808000", "#fabed4", "#a9a9a9",
    "#dcbeff", "#aaffc3", "#ffd8b1", "#000000",
)


def category_colors(n: int) -> list[str]:
    """``n`` distinct colours (``PALETTE`` order)."""
    return [PALETTE[i % len(PALETTE)] for i in range(n)]

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
    title = ("นักเรียนแยกชั้นและเพศ เทียบกับรอบก่อน" if "prev_total" in compare.columns
             else f"นักเรียนแยกชั้นและเพศ ({current_label})")
    lay = _layout(title, height=400, barmode="stack",
                  legend={"orientation": "h", "y": -0.15},
                  yaxis=_axis(title={"text": "คน"}, separatethousands=True),
                  xaxis=_axis(type="category"))
    return _finish({"data": data, "layout": lay}, as_dict)


def id_quality_lines(trend: pd.DataFrame, as_dict: bool = False):
    """Duplicates and invalid IDs over the rounds (students involved)."""
    colors = {"dup_school": "#d73027", "dup_area": "#fc8d59", "dup_person": "#e0b000",
              "invalid_id": "#4575b4", "gcode": "#91bfdb"}
    x, seen = [], {}
    for d in trend["as_of_th"]:  # two rounds of one date (a re-check) stay two points
        seen[d] = seen.get(d, 0) + 1
        x.append(d if seen[d] == 1 else f"{d} ({seen[d]})")
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


# ---------------------------------------------------------------------------- SVG (dashboards)
# The supervisors' dashboards draw the same specs as inline SVG, built here in Python: no
# plotly.js in the page. plotly.js (4.8 MB through the jupyterlab-plotly extension) was half
# of a dashboard's browser time, and measured without it a page rendered in 3–4 s instead of
# 6–10 s on a busy 2-core machine (BENCHMARKS.md, "Dashboards"). Hover text is the SVG
# <title> of each mark; the figure's data ride along in ``data-traces`` (JSON) so a test
# can compare what is drawn with the package's computation.
import html as _html  # noqa: E402
import math  # noqa: E402

SVG_CLASS = "obec-fig"
_MUTED = "#555"
_GRID = "#e6e6e6"


def _x(s) -> str:
    return _html.escape("" if s is None else str(s), quote=True)


def _text_w(s: str, size: float) -> float:
    """Rough rendered width of ``s`` (Thai combining marks take no width)."""
    n = sum(1 for ch in str(s) if not ("\u0e31" == ch or "\u0e34" <= ch <= "\u0e3a"
                                       or "\u0e47" <= ch <= "\u0e4e"))
    return 0.56 * size * n


def _fmt(v, suffix: str = "") -> str:
    if v is None:
        return ""
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.1f}{suffix}"
    return f"{int(v):,}{suffix}"


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(1, n)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.ceil(lo / step) * step
    out, v = [], start
    while v <= hi + 1e-9:
        out.append(round(v, 10))
        v += step
    return out


def _title(lay: dict) -> str:
    t = lay.get("title") or {}
    return t.get("text", "") if isinstance(t, dict) else str(t)


def _hover(tpl: str | None, **kw) -> str:
    """A plotly hovertemplate, filled in for one point (``%{x}``, ``%{y:,}``, …)."""
    if not tpl:
        return " ".join(str(v) for v in kw.values() if v is not None)
    out = tpl.split("<extra>")[0].replace("<br>", "\n")
    for k, v in kw.items():
        for fmt in ("", ":,", ":.1f", ":,.0f"):
            key = "%{" + k + fmt + "}"
            if key in out:
                txt = ("" if v is None else (f"{v:.1f}" if fmt == ":.1f" and isinstance(v, (int, float))
                                             else _fmt(v) if isinstance(v, (int, float)) else str(v)))
                out = out.replace(key, txt)
    return out


def to_svg(spec: dict, width: int = 900) -> str:
    """One figure spec of this module (``as_dict=True``) as an inline ``<svg>``."""
    lay = spec.get("layout", {})
    data = spec.get("data", [])
    kinds = {t.get("type") for t in data}
    if "pie" in kinds:
        body, height = _svg_pie(data[0], lay, width)
    elif "heatmap" in kinds:
        body, height = _svg_heatmap(data[0], lay, width)
    else:
        body, height = _svg_cartesian(data, lay, width)
    title = _title(lay)
    head = (f'<text x="4" y="22" font-size="18" font-weight="bold" fill="#222">{_x(title)}</text>'
            if title else "")
    traces = [{k: t.get(k) for k in ("type", "orientation", "name", "x", "y", "labels", "values")
               if k in t} for t in data]
    return (f'<svg class="{SVG_CLASS}" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'viewBox="0,0,{width},{height}" width="100%" style="max-width:{width}px;'
            f'font-family:{_x(FONT_FAMILY)};display:block" '
            f'data-title="{_x(title)}" data-traces="{_x(json.dumps(traces, ensure_ascii=False))}">'
            f'<title>{_x(title)}</title>{head}{body}</svg>')


def _legend(items: list[tuple[str, str, str]], x0: float, y: float, width: float) -> tuple[str, float]:
    """Horizontal legend (name, colour, kind) wrapping at ``width``; returns (svg, height)."""
    out, x, h = [], x0, 0.0
    for name, color, kind in items:
        w = 26 + _text_w(name, 13) + 18
        if x + w > width and x > x0:
            x, y, h = x0, y + 20, h + 20
        if kind == "line":
            out.append(f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 20:.1f}" y2="{y - 4:.1f}" '
                       f'stroke="{color}" stroke-width="3"/>'
                       f'<circle cx="{x + 10:.1f}" cy="{y - 4:.1f}" r="3.5" fill="{color}"/>')
        else:
            out.append(f'<rect x="{x + 3:.1f}" y="{y - 11:.1f}" width="14" height="14" fill="{color}"/>')
        out.append(f'<text x="{x + 24:.1f}" y="{y:.1f}" font-size="13" fill="#333">{_x(name)}</text>')
        x += w
    return "".join(out), h + 20


def _svg_cartesian(data: list[dict], lay: dict, W: int) -> tuple[str, int]:
    H = int(lay.get("height", 360))
    horizontal = any(t.get("orientation") == "h" for t in data)
    xa, ya = lay.get("xaxis", {}) or {}, lay.get("yaxis", {}) or {}
    cat_axis, val_axis = (ya, xa) if horizontal else (xa, ya)
    cats: list = []
    for t in data:
        for c in (t["y"] if horizontal else t["x"]):
            if c not in cats:
                cats.append(c)
    ncat = max(1, len(cats))
    stacked = lay.get("barmode") == "stack"
    bars = [t for t in data if t.get("type") == "bar"]
    lines = [t for t in data if t.get("type") == "scatter"]
    vals_key = "x" if horizontal else "y"
    # value range
    tops = [0.0]
    if stacked and bars:
        for i in range(len(cats)):
            tops.append(sum((b[vals_key][i] or 0) for b in bars))
    else:
        tops += [v or 0 for b in bars for v in b[vals_key]]
    tops += [v or 0 for t in lines for v in t[vals_key]]
    rng = val_axis.get("range")
    lo, hi = (float(rng[0]), float(rng[1])) if rng else (0.0, max(tops) * 1.12 or 1.0)
    suffix = val_axis.get("ticksuffix", "")
    legend_items = [(t.get("name"), (t.get("marker") or {}).get("color") if t.get("type") == "bar"
                     else (t.get("line") or {}).get("color", "#333"),
                     "bar" if t.get("type") == "bar" else "line")
                    for t in data if t.get("name")]
    top = 40 if _title(lay) else 10
    legend_h = 0
    if legend_items:  # every legend row drawn: the figure grows when the legend wraps
        legend_h = max(44, _legend(legend_items, 10, 0, W - 10)[1] + 24)
        H += legend_h - 44
    val_title = (val_axis.get("title") or {}).get("text", "")
    cat_title = (cat_axis.get("title") or {}).get("text", "")
    out = []
    if horizontal:
        left = round(10 + max(_text_w(c, 13) for c in cats) + 8 if cats else 40, 1)
        right, bottom = W - 20, H - 30 - (18 if val_title else 0) - legend_h
        reversed_ = ya.get("autorange") == "reversed"
        band = (bottom - top) / ncat

        def pos(i):  # the category's band top
            return top + (i if reversed_ else ncat - 1 - i) * band

        def sx(v):
            return left + (right - left) * ((v or 0) - lo) / (hi - lo)

        for tk in _nice_ticks(lo, hi):
            out.append(f'<line x1="{sx(tk):.1f}" y1="{top}" x2="{sx(tk):.1f}" y2="{bottom}" stroke="{_GRID}"/>'
                       f'<text x="{sx(tk):.1f}" y="{bottom + 16}" font-size="12" fill="{_MUTED}" '
                       f'text-anchor="middle">{_fmt(tk, suffix)}</text>')
        if val_title:
            out.append(f'<text x="{(left + right) / 2:.1f}" y="{bottom + 34}" font-size="13" '
                       f'fill="{_MUTED}" text-anchor="middle">{_x(val_title)}</text>')
        for i, c in enumerate(cats):
            out.append(f'<text x="{left - 8:.1f}" y="{pos(i) + band / 2 + 5:.1f}" font-size="13" '
                       f'fill="#222" text-anchor="end">{_x(c)}</text>')
        base = [lo] * len(cats)  # stacked: where each category's next bar starts
        for b in bars:
            colors = (b.get("marker") or {}).get("color")
            texts = b.get("text") or []
            for i, (c, v) in enumerate(zip(b["y"], b["x"])):
                j = cats.index(c)
                col = colors[i] if isinstance(colors, list) else (colors or "#4575b4")
                y0, bh = pos(j) + band * 0.15, band * 0.7
                x0 = sx(base[j]) if stacked else left
                x1 = sx(base[j] + (v or 0)) if stacked else sx(v)
                if stacked:
                    base[j] += v or 0
                tip = _hover(b.get("hovertemplate"), x=v, y=c)
                out.append(f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{max(0.0, x1 - x0):.1f}" '
                           f'height="{bh:.1f}" fill="{col}" data-value="{_x(v)}"><title>{_x(tip)}</title></rect>')
                if i < len(texts) and texts[i]:
                    tw = _text_w(texts[i], 13)
                    inside = x1 - x0 > tw + 12
                    tx = x1 - 6 if inside else x1 + 6
                    fill = "white" if inside and col not in (BAND_COLORS["amber"], BAND_COLORS["none"]) else "#222"
                    out.append(f'<text x="{tx:.1f}" y="{y0 + bh / 2 + 5:.1f}" font-size="13" fill="{fill}" '
                               f'text-anchor="{"end" if inside else "start"}">{_x(texts[i])}</text>')
        out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#999"/>')
    else:
        left = round(20 + max(_text_w(_fmt(t, suffix), 12) for t in _nice_ticks(lo, hi))
                     + (22 if val_title else 0), 1)
        right = W - 15
        cat_h = 22 + (18 if cat_title else 0)
        bottom = H - cat_h - legend_h - 6
        band = (right - left) / ncat

        def sy(v):
            v = min(max(v or 0, lo), hi)
            return bottom - (bottom - top) * (v - lo) / (hi - lo)

        for tk in _nice_ticks(lo, hi):
            out.append(f'<line x1="{left}" y1="{sy(tk):.1f}" x2="{right}" y2="{sy(tk):.1f}" stroke="{_GRID}"/>'
                       f'<text x="{left - 6}" y="{sy(tk) + 4:.1f}" font-size="12" fill="{_MUTED}" '
                       f'text-anchor="end">{_fmt(tk, suffix)}</text>')
        if val_title:
            out.append(f'<text transform="translate(14,{(top + bottom) / 2:.1f}) rotate(-90)" font-size="13" '
                       f'fill="{_MUTED}" text-anchor="middle">{_x(val_title)}</text>')
        for i, c in enumerate(cats):
            out.append(f'<text x="{left + band * (i + 0.5):.1f}" y="{bottom + 17}" font-size="13" '
                       f'fill="#222" text-anchor="middle">{_x(c)}</text>')
        if cat_title:
            out.append(f'<text x="{(left + right) / 2:.1f}" y="{bottom + 36}" font-size="13" '
                       f'fill="{_MUTED}" text-anchor="middle">{_x(cat_title)}</text>')
        base = [lo] * len(cats)
        nb = len(bars)
        for k, b in enumerate(bars):
            colors = (b.get("marker") or {}).get("color")
            texts = b.get("text") or []
            for i, (c, v) in enumerate(zip(b["x"], b["y"])):
                j = cats.index(c)
                col = colors[i] if isinstance(colors, list) else (colors or "#4575b4")
                if stacked or nb == 1:
                    bx, bw = left + band * (j + 0.15), band * 0.7
                else:
                    bw = band * 0.7 / nb
                    bx = left + band * (j + 0.15) + k * bw
                y0 = base[j] if stacked else lo
                v0, v1 = sy(y0), sy((y0 if stacked else 0) + (v or 0) if stacked else v)
                if stacked:
                    base[j] = y0 + (v or 0)
                tip = _hover(b.get("hovertemplate"), x=c, y=v)
                out.append(f'<rect x="{bx:.1f}" y="{min(v0, v1):.1f}" width="{bw:.1f}" '
                           f'height="{abs(v0 - v1):.1f}" fill="{col}" data-value="{_x(v)}">'
                           f'<title>{_x(tip)}</title></rect>')
                if i < len(texts) and texts[i] and abs(v0 - v1) > 18:
                    fill = "white" if col not in (BAND_COLORS["amber"], BAND_COLORS["none"]) else "#222"
                    out.append(f'<text x="{bx + bw / 2:.1f}" y="{min(v0, v1) + 15:.1f}" font-size="12" '
                               f'fill="{fill}" text-anchor="middle">{_x(texts[i])}</text>')
        for t in lines:
            color = (t.get("line") or {}).get("color", "#333")
            dash = ' stroke-dasharray="4 4"' if (t.get("line") or {}).get("dash") == "dot" else ""
            pts = [(left + band * (cats.index(c) + 0.5), sy(v), c, v) for c, v in zip(t["x"], t["y"])]
            if len(pts) > 1:
                out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2.5"{dash} points="'
                           + " ".join(f"{px:.1f},{py:.1f}" for px, py, _, _ in pts) + '"/>')
            texts = t.get("text") or []
            for i, (px, py, c, v) in enumerate(pts):
                tip = _hover(t.get("hovertemplate"), x=c, y=v)
                out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4.5" fill="{color}" data-value="{_x(v)}">'
                           f'<title>{_x(tip)}</title></circle>')
                if "text" in (t.get("mode") or "") and i < len(texts):
                    out.append(f'<text x="{px:.1f}" y="{py - 8:.1f}" font-size="12" fill="{color}" '
                               f'text-anchor="middle">{_x(texts[i])}</text>')
        out.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#999"/>')
    if legend_items:
        svg, _ = _legend(legend_items, 10, H - legend_h + 16, W - 10)
        out.append(svg)
    return "".join(out), H


def _svg_heatmap(t: dict, lay: dict, W: int) -> tuple[str, int]:
    H = int(lay.get("height", 360))
    xs, ys, z = t["x"], t["y"], t["z"]
    text = t.get("text") or [[""] * len(xs) for _ in ys]
    custom = t.get("customdata") or z
    scale = t.get("colorscale") or []
    zmin, zmax = t.get("zmin", 0), t.get("zmax", 2)

    def color(v):
        if v is None:
            return "#f2f2f2"
        f = (v - zmin) / ((zmax - zmin) or 1)
        col = scale[0][1] if scale else "#888"
        for stop, c in scale:
            if f >= stop:
                col = c
        return col

    top = 40 + 24
    left = round(10 + (max(_text_w(y, 12) for y in ys) if ys else 40) + 8, 1)
    right = W - 10
    cw = (right - left) / max(1, len(xs))
    ch = (H - top - 10) / max(1, len(ys))
    out = []
    for j, x in enumerate(xs):
        out.append(f'<text x="{left + cw * (j + 0.5):.1f}" y="{top - 8}" font-size="13" fill="#222" '
                   f'text-anchor="middle">{_x(x)}</text>')
    for i, y in enumerate(ys):
        yy = top + ch * i
        out.append(f'<text x="{left - 6:.1f}" y="{yy + ch / 2 + 4:.1f}" font-size="12" fill="#222" '
                   f'text-anchor="end">{_x(y)}</text>')
        for j, x in enumerate(xs):
            col = color(z[i][j])
            tip = _hover(t.get("hovertemplate"), x=x, y=y, customdata=custom[i][j])
            out.append(f'<rect x="{left + cw * j + 1:.1f}" y="{yy + 1:.1f}" width="{cw - 2:.1f}" '
                       f'height="{ch - 2:.1f}" fill="{col}" data-value="{_x(custom[i][j])}">'
                       f'<title>{_x(tip)}</title></rect>')
            if text[i][j]:
                fill = "#222" if col in (BAND_COLORS["amber"], "#f2f2f2") else "white"
                out.append(f'<text x="{left + cw * (j + 0.5):.1f}" y="{yy + ch / 2 + 4:.1f}" '
                           f'font-size="12" fill="{fill}" text-anchor="middle">{_x(text[i][j])}</text>')
    return "".join(out), H


def _svg_pie(t: dict, lay: dict, W: int) -> tuple[str, int]:
    H = int(lay.get("height", 330))
    labels, values = t["labels"], t["values"]
    colors = (t.get("marker") or {}).get("colors") or ["#888"] * len(values)
    total = sum(values) or 1
    top = 40
    r = round(min((H - top - 10) / 2, W * 0.28), 1)
    cx, cy = 10 + r, top + (H - top) / 2
    hole = float(t.get("hole", 0)) * r
    out, a0 = [], -math.pi / 2
    for lab, v, col in zip(labels, values, colors):
        a1 = a0 + 2 * math.pi * v / total
        if v >= total:  # a full ring: two halves (an arc cannot close on itself)
            a1 = a0 + 2 * math.pi - 1e-4
        large = 1 if a1 - a0 > math.pi else 0
        p = (f"M{cx + r * math.cos(a0):.2f},{cy + r * math.sin(a0):.2f} "
             f"A{r:.2f},{r:.2f} 0 {large} 1 {cx + r * math.cos(a1):.2f},{cy + r * math.sin(a1):.2f} "
             f"L{cx + hole * math.cos(a1):.2f},{cy + hole * math.sin(a1):.2f} "
             f"A{hole:.2f},{hole:.2f} 0 {large} 0 {cx + hole * math.cos(a0):.2f},{cy + hole * math.sin(a0):.2f} Z")
        tip = _hover(t.get("hovertemplate"), label=lab, value=v)
        out.append(f'<path d="{p}" fill="{col}" stroke="white" stroke-width="1.5" data-value="{v}">'
                   f'<title>{_x(tip)}</title></path>')
        if v / total >= 0.04:
            am, rm = (a0 + a1) / 2, (r + hole) / 2
            fill = "#222" if col in (BAND_COLORS["amber"], STATUS_COLORS["late"], STATUS_COLORS["unknown"]) else "white"
            out.append(f'<text x="{cx + rm * math.cos(am):.1f}" y="{cy + rm * math.sin(am) - 2:.1f}" '
                       f'font-size="13" fill="{fill}" text-anchor="middle">{v:,}</text>'
                       f'<text x="{cx + rm * math.cos(am):.1f}" y="{cy + rm * math.sin(am) + 13:.1f}" '
                       f'font-size="12" fill="{fill}" text-anchor="middle">{100 * v / total:.1f}%</text>')
        a0 = a1
    for ann in lay.get("annotations") or []:
        lines = str(ann.get("text", "")).split("<br>")
        for k, line in enumerate(lines):
            out.append(f'<text x="{cx:.1f}" y="{cy + 6 + 20 * (k - (len(lines) - 1) / 2):.1f}" '
                       f'font-size="{(ann.get("font") or {}).get("size", 16)}" fill="#222" '
                       f'text-anchor="middle">{_x(line)}</text>')
    lx, ly = cx + r + 24, top + 20
    for lab, v, col in zip(labels, values, colors):
        out.append(f'<rect x="{lx:.1f}" y="{ly - 11}" width="14" height="14" fill="{col}"/>'
                   f'<text x="{lx + 22:.1f}" y="{ly}" font-size="13" fill="#333">{_x(lab)}</text>')
        ly += 22
    return "".join(out), H
