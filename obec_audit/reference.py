"""Public reference data shipped inside the package (copied from EMIS / OBEC public pages):
the Chiang Rai school registry (Sep 2022) and the 76 M-OBEC items. Nothing reads
``../shared`` at run time."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pandas as pd

from obec_audit.schema import GRADES

__all__ = ["DEMO_AREA_CODE", "DEMO_AREA_NAME", "schools", "mobec_items", "grades_offered",
           "top_grade"]

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


#: grades of each school level (the parts of the registry's ``level_type``), as positions in
#: ``schema.GRADES``
_LEVEL_SPANS = {
    "อนุบาล": (0, 2),
    "ประถมศึกษา": (3, 8),
    "มัธยมศึกษาตอนต้น": (9, 11),
    "มัธยมศึกษาตอนปลาย": (12, 14),
}


@lru_cache(maxsize=None)
def _grades_for(level_type: str) -> tuple[str, ...]:
    parts = level_type.split("-")
    lo = _LEVEL_SPANS.get(parts[0], _LEVEL_SPANS["ประถมศึกษา"])[0]
    hi = _LEVEL_SPANS.get(parts[-1], _LEVEL_SPANS["ประถมศึกษา"])[1]
    return tuple(GRADES[lo : hi + 1])


def grades_offered(level_type: str) -> list[str]:
    """Grades a school of this registry level type teaches.

    >>> grades_offered('อนุบาล-ประถมศึกษา')[0], grades_offered('อนุบาล-ประถมศึกษา')[-1]
    ('อ.1', 'ป.6')
    >>> grades_offered('อนุบาล-มัธยมศึกษาตอนต้น')[-1]
    'ม.3'
    """
    return list(_grades_for(level_type))


def top_grade(level_type: str) -> str:
    """The top grade (ป.6 / ม.3 / ม.6) of a level type."""
    return grades_offered(level_type)[-1]
