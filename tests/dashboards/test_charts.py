"""charts: figures build from aggregates, carry Thai labels and the traffic-light colours."""

from __future__ import annotations

import json
import re

import pytest

from obec_audit import charts
from obec_audit import dashboard_data as dd


@pytest.fixture(scope="module")
def data(rounds_root):
    rounds = dd.list_rounds(rounds_root)
    rd = dd.load_round(rounds[-1])
    return rounds, rd, dd.school_table(rd)


def test_specs_are_json_and_figures_build(data):
    rounds, rd, t = data
    summary, _ = dd.certification(rd)
    makers = [
        lambda a: charts.band_summary(t, as_dict=a),
        lambda a: charts.errors_by_check(t, as_dict=a),
        lambda a: charts.field_heatmap(t, as_dict=a),
        lambda a: charts.school_fields(t[t.students > 0].iloc[0], as_dict=a),
        lambda a: charts.certification_donut(summary, as_dict=a),
        lambda a: charts.grade_sex_bars(dd.grade_sex_compare(rd, dd.load_round(rounds[0])), as_dict=a),
        lambda a: charts.id_quality_lines(dd.id_quality_trend(rounds), as_dict=a),
    ]
    for make in makers:
        spec = make(True)
        json.dumps(spec)  # plain JSON, no numpy
        bundle = charts.mime_bundle(spec)
        assert charts.PLOTLY_MIME in bundle and bundle[charts.PLOTLY_MIME]["data"]
        fig = make(False)  # the same as a plotly Figure for the officers' notebooks
        assert len(fig.data) == len(spec["data"])
        svg = charts.to_svg(spec, 900)  # the same as inline SVG for the dashboards
        assert svg.startswith(f'<svg class="{charts.SVG_CLASS}"') and svg.endswith("</svg>")
        assert "<script" not in svg and "NaN" not in svg
        # coordinates carry one decimal: no long digit runs (8-digit school codes are fine)
        assert not re.search(r"\d{9,}", re.sub(r'data-traces="[^"]*"', "", svg))


def test_svg_carries_the_data_it_draws(data):
    import html
    import re

    _, _, t = data
    spec = charts.band_summary(t, as_dict=True)
    svg = charts.to_svg(spec, 600)
    traces = json.loads(html.unescape(re.search(r'data-traces="([^"]*)"', svg).group(1)))
    assert traces[0]["x"] == spec["data"][0]["x"]
    drawn = [int(v) for v in re.findall(r'<rect[^>]*data-value="(\d+)"', svg)]
    assert drawn == spec["data"][0]["x"]
    # Thai text and school names are escaped, never markup
    evil = t.assign(school_name='<img src=x onerror=alert(1)>')
    assert "<img" not in charts.to_svg(charts.field_heatmap(evil, as_dict=True), 900)


def test_band_summary_counts_and_colours(data):
    _, _, t = data
    spec = charts.band_summary(t, as_dict=True)
    bar = spec["data"][0]
    assert sum(bar["x"]) == len(t)
    assert bar["marker"]["color"] == [charts.BAND_COLORS[b] for b in ("red", "amber", "green", "none")]
    assert "โรงเรียน" in spec["layout"]["title"]["text"]


def test_heatmap_bands(data):
    _, _, t = data
    spec = charts.field_heatmap(t, as_dict=True)
    z = [v for row in spec["data"][0]["z"] for v in row if v is not None]
    assert set(z) <= {0.0, 1.0, 2.0}
    assert len(spec["data"][0]["y"]) == int((t["students"] > 0).sum())


def test_two_rounds_of_one_date_stay_two_points():
    import pandas as pd

    trend = pd.DataFrame({"as_of_th": ["10 มิ.ย. 2569", "10 มิ.ย. 2569", "10 พ.ย. 2569"],
                          "dup_school": [5, 3, 1], "invalid_id": [9, 4, 2]})
    spec = charts.id_quality_lines(trend, as_dict=True)
    x = spec["data"][0]["x"]
    assert len(set(x)) == 3 and x[0] == "10 มิ.ย. 2569"
    svg = charts.to_svg(spec, 900)
    assert len([m for m in svg.split("<circle")[1:] if "data-value" in m]) == 6  # 2 lines × 3
    import re

    # coordinates are written with at most one decimal: no long digit runs in the drawing
    assert not re.search(r"\d{7,}", re.sub(r'data-traces="[^"]*"', "", svg))
