"""Public reference data shipped inside the package (copied from EMIS / OBEC public pages):
the Chiang Rai school registry (Sep 2022) and the 76 M-OBEC items. Nothing reads
``../shared`` at run time."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pandas as pd

DEMO_AREA_CODE = "5701"
DEMO_AREA_NAME = "สพป.เชียงราย เขต 1"


def _path(name: str):
    return resources.files("obec_audit") / "data" / "reference" / name


@lru_cache(maxsize=None)
def _schools_all() -> pd.DataFrame:
    with _path("chiangrai_schools_emis_2022-09.csv").open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def schools(area_code: str | None = DEMO_AREA_CODE) -> pd.DataFrame:
    """The registry: area_code, area_name, smis8, school_name, level_type, school_id10, obec6.
    ``area_code=None`` gives all 568 schools of the province."""
    df = _schools_all()
    if area_code is not None:
        df = df[df["area_code"] == str(area_code)]
    return df.reset_index(drop=True).copy()


@lru_cache(maxsize=None)
def _mobec_items() -> pd.DataFrame:
    with _path("mobec_items.csv").open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def mobec_items() -> pd.DataFrame:
    """The 76 M-OBEC items: code, category, item."""
    return _mobec_items().copy()


def reference_file(name: str):
    """A Traversable for one of the shipped reference files (e.g. the EMIS examples)."""
    return _path(name)


#: grades each level type teaches (registry's level_type → grades offered)
LEVEL_TYPE_GRADES: dict[str, list[str]] = {}


def _grades_for(level_type: str) -> list[str]:
    from obec_audit.schema import GRADES

    parts = level_type.split("-")
    spans = {
        "อนุบาล": (0, 2),
        "ประถมศึกษา": (3, 8),
        "มัธยมศึกษาตอนต้น": (9, 11),
        "มัธยมศึกษาตอนปลาย": (12, 14),
    }
    lo = spans.get(parts[0], (3, 8))[0]
    hi = spans.get(parts[-1], (3, 8))[1]
    return GRADES[lo : hi + 1]


def grades_offered(level_type: str) -> list[str]:
    """Grades a school of this registry level type teaches.

    >>> grades_offered('อนุบาล-ประถมศึกษา')[0], grades_offered('อนุบาล-ประถมศึกษา')[-1]
    ('อ.1', 'ป.6')
    >>> grades_offered('อนุบาล-มัธยมศึกษาตอนต้น')[-1]
    'ม.3'
    """
    if level_type not in LEVEL_TYPE_GRADES:
        LEVEL_TYPE_GRADES[level_type] = _grades_for(level_type)
    return list(LEVEL_TYPE_GRADES[level_type])


def top_grade(level_type: str) -> str:
    """The top grade (ป.6 / ม.3 / ม.6) of a level type."""
    return grades_offered(level_type)[-1]
