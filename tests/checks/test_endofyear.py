import datetime as dt

import pandas as pd

from obec_audit.checks import endofyear as eoy
from obec_audit.checks.registry import REGISTRY, CheckInput, select, run_checks
from _builders_other import class_counts, make_pin, students  # tests/checks is on pytest's pythonpath


AS_OF = dt.date(2027, 3, 31)
REG = pd.DataFrame({
    "smis8": ["57010001", "57010003", "57010005", "57010006"],
    "school_name": ["ก", "ข", "ค", "ง"],
    "level_type": ["อนุบาล-ประถมศึกษา", "อนุบาล-มัธยมศึกษาตอนต้น", "อนุบาล", "มัธยมศึกษาตอนต้น-มัธยมศึกษาตอนปลาย"],
})
_n = iter(range(1000, 9000))


def kids(school, grade, n, room="1"):
    return [dict(school_code=school, national_id=make_pin(next(_n)), first_name="ก", last_name="ข",
                 birth_date="2015-01-01", grade=grade, room=room) for _ in range(n)]


def run(cur, prev=None, cc=None, schools=REG, codes=("top-grade-empty", "class-no-students")):
    data = CheckInput(students=cur, previous=prev, class_counts=cc, schools=schools, as_of=AS_OF)
    return run_checks(data, "endyear", codes=list(codes))


def test_registered_for_endyear_only():
    codes = {k.code for k in select("endyear")}
    assert {"top-grade-empty", "class-no-students"} <= codes
    assert "top-grade-empty" not in {k.code for k in select("round1")}


def test_top_grade_empty_with_previous():
    prev = students(kids("57010001", "ป.6", 3) + kids("57010003", "ม.3", 2) + kids("57010006", "ม.6", 2)
                    + kids("57010003", "ป.6", 2))
    cur = students(kids("57010001", "ป.5", 3)            # ป.6 gone: flagged
                   + kids("57010003", "ม.3", 2)          # top present: fine
                   + kids("57010003", "ป.6", 0)
                   + kids("57010006", "ม.5", 1)          # ม.6 gone: flagged
                   + kids("57010005", "อ.3", 4))         # kindergarten only: never
    f = run(cur, prev, codes=["top-grade-empty"])
    assert sorted(f["school_code"]) == ["57010001", "57010006"]
    assert f["source_row"].isna().all()
    assert set(f["field"]) == {"grade"}
    assert f.set_index("school_code").loc["57010001", "value"].startswith("ป.6")


def test_top_grade_empty_previous_also_empty_not_flagged():
    prev = students(kids("57010001", "ป.5", 3))
    cur = students(kids("57010001", "ป.5", 3))
    assert len(run(cur, prev, codes=["top-grade-empty"])) == 0


def test_top_grade_empty_without_previous_and_unknown_school():
    cur = students(kids("57010001", "ป.5", 3) + kids("57010003", "ม.3", 1) + kids("99999999", "ป.1", 2))
    f = run(cur, None, codes=["top-grade-empty"])
    assert f["school_code"].tolist() == ["57010001"]


def test_top_grade_uses_shipped_registry_when_none():
    cur = students(kids("57010001", "ป.5", 3))  # 57010001 is อนุบาล-ประถมศึกษา in the registry
    f = run(cur, None, schools=None, codes=["top-grade-empty"])
    assert f["school_code"].tolist() == ["57010001"]


def test_class_no_students():
    cur = students(kids("57010001", "ป.1", 5) + kids("57010001", "ป.2", 4))
    cc = class_counts([
        dict(school_code="57010001", grade="ป.1", male=3, female=2, total=5, rooms=1),   # row 2 fine
        dict(school_code="57010001", grade="ป.2", male=2, female=2, total=4, rooms=1),   # row 3 fine
        dict(school_code="57010001", grade="ป.3", male=5, female=5, total=10, rooms=1),  # row 4: none in list
        dict(school_code="57010001", grade="ป.4", male=0, female=0, total=0, rooms=0),   # row 5: no rooms
        dict(school_code="57010001", grade=None, male=10, female=9, total=19, rooms=2),  # row 6 subtotal
        dict(school_code="57010009", grade="ป.1", male=0, female=0, total=0, rooms=1),   # row 7: total 0
        dict(school_code="57010009", grade="ป.2", male=1, female=0, total=1, rooms=1),   # row 8: school not in list
    ])
    f = run(cur, cc=cc, codes=["class-no-students"])
    assert sorted(f["source_row"].tolist()) == [4, 7]
    assert set(f["field"]) == {"grade"}


def test_class_no_students_skipped_without_counts():
    cur = students(kids("57010001", "ป.1", 5))
    assert len(REGISTRY["class-no-students"].run(CheckInput(students=cur))) == 0
    assert "class-no-students" not in {k.code for k in select("endyear", {"students"})}
