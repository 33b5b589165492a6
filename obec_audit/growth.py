"""Growth reference for ``body-implausible``: WHO height-for-age and BMI-for-age z-scores.

The table ``obec_audit/data/reference/who_growth_reference.csv`` holds L/M/S values per sex at
whole years 2–19 (WHO 2006 standards for 2–4, WHO 2007 reference for 5–19; approximate
values, see the file's header). Between whole years the values are interpolated linearly;
beyond 19 the 19-year values are used; below 2 there is no z-score (``NaN``).

BMI z-scores use WHO's restricted extrapolation beyond ±3 SD (the distance between the 2 and
3 SD lines continues linearly), as WHO's own software does for weight-based indicators, so an
extreme BMI gets a sensible z instead of the LMS curve's long tail.

>>> round(float(zscore('hfa', ['M'], [10.0], [137.8])[0]), 2)
0.0
>>> bool(zscore('hfa', ['F'], [10.0], [90.0])[0] < -5)
True
>>> import math; math.isnan(zscore('bfa', ['M'], [1.0], [16.0])[0])
True
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

__all__ = ["reference", "zscore", "bmi", "sex_codes", "MIN_AGE", "MAX_AGE"]

MIN_AGE = 2.0
MAX_AGE = 19.0
_FILE = "who_growth_reference.csv"


@lru_cache(maxsize=1)
def reference() -> pd.DataFrame:
    """The growth table: indicator, sex, age_years, L, M, S."""
    path = resources.files("obec_audit").joinpath("data", "reference", _FILE)
    with path.open("r", encoding="utf-8") as fh:
        df = pd.read_csv(fh, comment="#")
    return df.sort_values(["indicator", "sex", "age_years"]).reset_index(drop=True)


def bmi(weight_kg, height_cm) -> np.ndarray:
    """Body-mass index, kg/m²."""
    w = np.asarray(weight_kg, dtype=float)
    h = np.asarray(height_cm, dtype=float) / 100.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return w / (h * h)


#: sex codes accepted by ``zscore`` as an integer array
SEX_CODES: dict[str, int] = {"M": 0, "F": 1}


def sex_codes(sex) -> np.ndarray:
    """'M'/'F' (anything else: -1) as ``int8`` codes, computed without a Python string per row
    when given a pandas string Series."""
    if isinstance(sex, np.ndarray) and sex.dtype.kind in "iu":
        return sex.astype(np.int8)
    s = pd.Series(sex).astype("string")
    return np.where(s.eq("M").fillna(False).to_numpy(bool), 0,
                    np.where(s.eq("F").fillna(False).to_numpy(bool), 1, -1)).astype(np.int8)


@lru_cache(maxsize=8)
def _curve(indicator: str, sex: str) -> tuple[np.ndarray, ...] | None:
    """(age_years, L, M, S) of one indicator and sex as arrays (None when the table has none):
    read from ``reference()`` once, not at every z-score (``_band`` asks for thousands)."""
    ref = reference()
    t = ref[(ref["indicator"] == indicator) & (ref["sex"] == sex)]
    if t.empty:
        return None
    return tuple(t[c].to_numpy(float) for c in ("age_years", "L", "M", "S"))


def _lms(indicator: str, sex: np.ndarray, age: np.ndarray):
    n = len(age)
    L = np.full(n, np.nan)
    M = np.full(n, np.nan)
    S = np.full(n, np.nan)
    a = np.clip(age, MIN_AGE, MAX_AGE)
    ok_age = age >= MIN_AGE
    for sx, code in SEX_CODES.items():
        curve = _curve(indicator, sx)
        if curve is None:
            continue
        sel = (sex == code) & ok_age
        if not sel.any():
            continue
        x, lv, mv, sv = curve
        L[sel] = np.interp(a[sel], x, lv)
        M[sel] = np.interp(a[sel], x, mv)
        S[sel] = np.interp(a[sel], x, sv)
    return L, M, S


def _y_at(z, L, M, S):
    """The measurement at z (LMS inverse)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(np.abs(L) < 1e-9, M * np.exp(S * z), M * np.power(1 + L * S * z, 1 / L))


def zscore(indicator: str, sex, age_years, values) -> np.ndarray:
    """Vectorised z-scores: ``indicator`` 'hfa' (height cm) or 'bfa' (BMI); ``sex`` 'M'/'F'
    (anything else gives NaN) or their ``sex_codes``; ``age_years`` decimal age."""
    sex = sex_codes(sex)
    age = np.asarray(age_years, dtype=float)
    y = np.asarray(values, dtype=float)
    L, M, S = _lms(indicator, sex, np.nan_to_num(age, nan=-1.0))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if indicator == "hfa":
            return (y - M) / (M * S)
        z = np.where(np.abs(L) < 1e-9, np.log(y / M) / S, (np.power(y / M, L) - 1) / (L * S))
        sd3p, sd2p = _y_at(3, L, M, S), _y_at(2, L, M, S)
        sd3n, sd2n = _y_at(-3, L, M, S), _y_at(-2, L, M, S)
        z = np.where(z > 3, 3 + (y - sd3p) / (sd3p - sd2p), z)
        z = np.where(z < -3, -3 + (y - sd3n) / (sd2n - sd3n), z)
    return z
