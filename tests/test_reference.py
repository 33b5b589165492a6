"""The reference data shipped in the package: the school registry and the M-OBEC items."""

import pytest

from obec_audit import reference
from obec_audit.schema import GRADES


def test_area_5701_registry():
    s = reference.schools()
    assert len(s) == 104
    assert set(s["area_code"]) == {reference.DEMO_AREA_CODE}
    assert set(s["area_name"]) == {reference.DEMO_AREA_NAME}
    assert s["smis8"].str.fullmatch(r"\d{8}").all() and s["smis8"].is_unique
    assert s["smis8"].str[:4].eq("5701").all()
    assert s["school_name"].str.len().gt(0).all()


def test_province_registry_and_unknown_area():
    every = reference.schools(None)
    assert len(every) == 568 and every["smis8"].is_unique
    assert len(reference.schools("9999")) == 0


def test_results_are_copies():
    s = reference.schools()
    s.loc[0, "school_name"] = "changed"
    assert reference.schools().loc[0, "school_name"] != "changed"
    m = reference.mobec_items()
    m.drop(index=m.index, inplace=True)
    assert len(reference.mobec_items()) == 76


def test_mobec_items():
    m = reference.mobec_items()
    assert len(m) == 76 and m["code"].is_unique
    assert list(m.columns) == ["code", "category", "item"]
    assert m["item"].str.len().gt(0).all()


@pytest.mark.parametrize("level_type, first, top", [
    ("อนุบาล-ประถมศึกษา", "อ.1", "ป.6"),
    ("อนุบาล-มัธยมศึกษาตอนต้น", "อ.1", "ม.3"),
    ("ประถมศึกษา", "ป.1", "ป.6"),
    ("ประถมศึกษา-มัธยมศึกษาตอนต้น", "ป.1", "ม.3"),
    ("มัธยมศึกษาตอนต้น-มัธยมศึกษาตอนปลาย", "ม.1", "ม.6"),
])
def test_grades_offered(level_type, first, top):
    g = reference.grades_offered(level_type)
    assert g[0] == first and g[-1] == top and reference.top_grade(level_type) == top
    # contiguous, in schema order
    i = GRADES.index(first)
    assert g == GRADES[i : i + len(g)]


def test_every_registry_level_type_has_grades():
    for lt in reference.schools(None)["level_type"].unique():
        assert reference.top_grade(lt) in {"ป.6", "ม.3", "ม.6"}, lt


def test_grades_offered_returns_a_fresh_list():
    g = reference.grades_offered("ประถมศึกษา")
    g.append("x")
    assert reference.grades_offered("ประถมศึกษา")[-1] == "ป.6"
