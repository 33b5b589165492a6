"""``body-implausible`` on large inputs: per age, the band of heights / BMIs whose z-score is
certainly within the limit, so the z of most rows need not be computed."""

from __future__ import annotations

import functools

import numpy as np

from obec_audit import growth

#: from this many rows ``body-implausible`` skips the z of values in ``safe_band``
SAFE_BAND_MIN_ROWS = 200_000


@functools.lru_cache(maxsize=8)
def safe_band(indicator: str, zlim: float) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi) per whole year of age k = 2 … 19 (index k − 2; 19 stands for 19 and over): a
    value in [lo, hi] at an age in [k, k + 1] has |z| < ``zlim`` for both sexes, so
    ``body-implausible`` need not compute its z. Found with ``growth.zscore`` itself (z rises
    with the value at a given age) by bisection at every 0.02 year, for |z| = ``zlim`` − 0.25:
    the margin covers the change between two steps (≈ 0.03 SD). lo > hi: no band."""
    target = zlim - 0.25
    years = np.arange(int(growth.MIN_AGE), int(growth.MAX_AGE) + 1)
    if target <= 0:
        return np.full(len(years), np.inf), np.full(len(years), -np.inf)
    grid = [np.unique(np.r_[np.arange(k, k + 1 + 1e-9, 0.02), k, k + 1]) if k < growth.MAX_AGE
            else np.array([float(k)]) for k in years]
    bucket = np.concatenate([np.full(len(g), i) for i, g in enumerate(grid)])
    ages = np.concatenate(grid)
    m = len(ages)
    codes = list(growth.SEX_CODES.values())
    sx = np.repeat(np.array(codes, dtype=np.int8), 2 * m)  # sex × sign × age
    sign = np.tile(np.repeat([-1.0, 1.0], m), len(codes))
    ag, bk = np.tile(ages, 2 * len(codes)), np.tile(bucket, 2 * len(codes))
    a, b = np.full(len(ag), 1e-3), np.full(len(ag), 1e3)  # z(a) < ±target ≤ z(b)
    for _ in range(32):
        mid = np.sqrt(a * b)
        below = growth.zscore(indicator, sx, ag, mid) < sign * target
        a, b = np.where(below, mid, a), np.where(below, b, mid)
    lo = np.full(len(years), -np.inf)
    hi = np.full(len(years), np.inf)
    np.maximum.at(lo, bk[sign < 0], b[sign < 0])  # at or above z = −target everywhere
    np.minimum.at(hi, bk[sign > 0], a[sign > 0])  # below z = +target everywhere
    return lo, hi


def in_safe_band(indicator: str, zlim: float, age: np.ndarray, values: np.ndarray) -> np.ndarray:
    """True where ``safe_band`` proves |z| < ``zlim`` (never below 2 years or without age)."""
    lo, hi = safe_band(indicator, zlim)
    with np.errstate(invalid="ignore"):
        known = age >= growth.MIN_AGE
        k = np.where(known, np.minimum(np.floor(np.nan_to_num(age, nan=0.0)), growth.MAX_AGE) - growth.MIN_AGE, 0)
        k = k.astype(np.int64)
        return known & (values >= lo[k]) & (values <= hi[k])
