"""B.E. date formatting (obec_audit.thaidate)."""

from __future__ import annotations

import datetime as dt
import doctest

import numpy as np
import pandas as pd
import pytest

from obec_audit import thaidate
from obec_audit.thaidate import (
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    as_of_text,
    be_short,
    be_short_series,
    be_year,
    thai_date,
    thai_date_abbr,
    thai_date_series,
    thai_month,
    to_date,
)


def test_doctests():
    res = doctest.testmod(thaidate)
    assert res.failed == 0 and res.attempted > 5


def test_census_dates():
    assert thai_date(dt.date(2026, 6, 10)) == "10 มิถุนายน 2569"
    assert be_short(dt.date(2026, 6, 10)) == "10/06/2569"
    assert thai_date(dt.date(2013, 6, 10)) == "10 มิถุนายน 2556"
    assert thai_date(dt.date(2026, 11, 10)) == "10 พฤศจิกายน 2569"
    assert thai_date(dt.date(2027, 3, 31)) == "31 มีนาคม 2570"
    assert as_of_text(dt.date(2026, 6, 10)) == "ข้อมูล ณ วันที่ 10 มิถุนายน 2569"


def test_month_tables():
    assert len(THAI_MONTHS) == 12 and len(THAI_MONTHS_ABBR) == 12
    assert THAI_MONTHS[0] == "มกราคม" and THAI_MONTHS[11] == "ธันวาคม"
    assert thai_month(2) == "กุมภาพันธ์" and thai_month(12, abbr=True) == "ธ.ค."


@pytest.mark.parametrize(
    "value",
    [dt.date(2026, 6, 10), dt.datetime(2026, 6, 10, 23, 59), pd.Timestamp("2026-06-10"),
     np.datetime64("2026-06-10"), "2026-06-10"],
)
def test_accepted_inputs(value):
    assert to_date(value) == dt.date(2026, 6, 10)
    assert thai_date(value) == "10 มิถุนายน 2569"
    assert be_year(value) == 2569


@pytest.mark.parametrize("value", [None, pd.NaT, float("nan"), pd.NA, "", np.datetime64("NaT")])
def test_missing_gives_empty(value):
    assert to_date(value) is None
    assert thai_date(value) == "" and be_short(value) == "" and thai_date_abbr(value) == ""
    assert be_year(value) is None


def test_series_match_scalars():
    days = pd.Series(pd.date_range("2025-12-25", periods=400, freq="D"))
    days[3] = pd.NaT
    s = be_short_series(days)
    t = thai_date_series(days)
    assert s.index.equals(days.index) and t.index.equals(days.index)
    for d, a, b in zip(days, s, t):
        assert a == be_short(d) and b == thai_date(d)
    assert s[3] == "" and t[3] == ""


def test_series_from_text_and_empty():
    assert be_short_series(pd.Series(["2013-06-10", None], dtype="string")).tolist() == [
        "10/06/2556", ""]
    assert be_short_series(pd.Series([], dtype="datetime64[ns]")).tolist() == []


def test_same_as_pythainlp():
    pythainlp_util = pytest.importorskip("pythainlp.util")
    for d in pd.date_range("2024-01-01", periods=366, freq="D"):
        assert thai_date(d) == pythainlp_util.thai_strftime(d.to_pydatetime(), "%-d %B %Y")
        assert be_short(d) == pythainlp_util.thai_strftime(d.to_pydatetime(), "%d/%m/%Y")
        assert thai_date_abbr(d) == pythainlp_util.thai_strftime(d.to_pydatetime(), "%-d %b %Y")
