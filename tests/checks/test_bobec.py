import datetime as dt

from obec_audit.checks import bobec as bc
from obec_audit.checks.registry import CheckInput, select, run_checks
from _builders_other import bobec, students  # tests/checks is on pytest's pythonpath


A, B = "57010001", "57010002"
BOBEC_CODES = ["bobec-year", "bobec-condition", "bobec-rooms", "bobec-classrooms", "bobec-photo"]
AS_OF = dt.date(2026, 10, 10)  # B.E. 2569


def building(school=A, category="อาคารเรียน", year=2540, condition="ดี", design=6, actual=6,
             photos=2, **kw):
    return dict(school_code=school, category=category, design="สปช.105/29", year_built=year,
                condition=condition, design_rooms=design, actual_rooms=actual, photos=photos, **kw)


def run(b, stu=None, codes=BOBEC_CODES, as_of=AS_OF):
    return run_checks(CheckInput(bobec=b, students=stu, as_of=as_of), "bobec", codes=codes)


def test_registered_for_bobec_phase():
    assert set(BOBEC_CODES) <= {k.code for k in select("bobec")}


def test_clean_buildings_no_findings():
    b = bobec([building(), building(category="ส้วม", design=0, actual=4, photos=0),
               building(condition="ทรุดโทรม", photos=3)])
    assert len(run(b)) == 0


def test_year():
    b = bobec([building(year=2470), building(year=2569),          # rows 2, 3: bounds fine
               building(year=2469), building(year=2570),          # rows 4, 5: outside
               building(year=1997), building(year=None),          # rows 6 (C.E.), 7 (empty)
               building(year=None, year_built_raw="๒๕๔๐"),        # row 8: Thai digits, fine
               building(year=None, year_built_raw="ราวปี 40"),    # row 9: unreadable
               building(year=2540.5)])                            # row 10: not whole
    f = run(b, codes=["bobec-year"])
    assert sorted(f["source_row"].astype(int)) == [4, 5, 6, 7, 9, 10]
    assert set(f["field"]) == {"year_built"}
    # a loader that keeps the year as text only
    f = run(b.drop(columns=["year_built"]), codes=["bobec-year"])
    assert sorted(f["source_row"].astype(int)) == [4, 5, 6, 7, 9, 10]


def test_year_upper_bound_follows_census():
    b = bobec([building(year=2570)])
    assert len(run(b, codes=["bobec-year"], as_of=dt.date(2027, 3, 31))) == 0


def test_condition():
    b = bobec([building(condition="ดี"), building(condition=" พอ ใช้ "), building(condition="ทรุดโทรม"),
               building(condition="เก่า"), building(condition=None)])
    f = run(b, codes=["bobec-condition"])
    assert sorted(f["source_row"].astype(int)) == [5, 6]


def test_rooms():
    b = bobec([building(design=6, actual=6), building(design=6, actual=8), building(design=None, actual=8),
               building(design=0, actual=3), building(design=4, actual=None)])
    f = run(b, codes=["bobec-rooms"])
    assert f["source_row"].tolist() == [3]
    assert f["field"].tolist() == ["actual_rooms"]


def _class(school, grade, room, n=2):
    return [dict(school_code=school, grade=grade, room=room)] * n


def test_classrooms():
    b = bobec([building(A, actual=4), building(A, category="อาคารเรียน", actual=2),
               building(A, category="อาคารอเนกประสงค์/โรงอาหาร/โรงฝึกงาน/หอประชุม", actual=5),
               building(B, actual=3)])
    kids = students(
        # A: ป.1/1 ป.1/2 ป.2/1 ป.3/1 ป.4/01 (= ป.4/1) ป.4/1 ป.5/(none) ป.6/1  → 7 classes > 6 rooms
        _class(A, "ป.1", "1") + _class(A, "ป.1", "2") + _class(A, "ป.2", "1") + _class(A, "ป.3", "1")
        + _class(A, "ป.4", "01") + _class(A, "ป.4", "1") + _class(A, "ป.5", None) + _class(A, "ป.6", "1")
        # B: 3 classes, 3 rooms
        + _class(B, "ป.1", "1") + _class(B, "ป.2", "1") + _class(B, "ป.3", "1")
        # a school without B-OBEC data: not compared
        + _class("57010003", "ป.1", "1"))
    f = run(b, kids, codes=["bobec-classrooms"])
    assert f["school_code"].tolist() == [A]
    assert f["source_row"].isna().all()
    assert len(run(b, None, codes=["bobec-classrooms"])) == 0  # no student list: not run


def test_photo():
    b = bobec([building(condition="ทรุดโทรม", photos=0), building(condition="ทรุดโทรม", photos=None),
               building(condition="ทรุดโทรม", photos=1), building(condition="พอใช้", photos=0),
               building(condition="ทรุดโทรม", photos=None, photos_raw="ไม่มี"),
               building(condition="ทรุดโทรม", photos=None, photos_raw="มี")])
    f = run(b, codes=["bobec-photo"])
    assert sorted(f["source_row"].astype(int)) == [2, 3, 6]


def test_absent_columns_one_note_per_file_no_error_per_row():
    from obec_audit.schema import AbsentColumns

    b = bobec([building(condition=None, photos=None, design=None, actual=None, source_file="test.xlsx"),
               building(category="ส้วม", condition=None, photos=None, design=None, actual=None,
                        source_file="test.xlsx"),
               building(school=B, condition="ชำรุด", source_file="b.xlsx")])
    b.attrs["absent_columns"] = AbsentColumns({"test.xlsx": ["condition", "design_rooms", "actual_rooms",
                                                             "photos"], "b.xlsx": []})
    kids = students([_class(A, "ป.1", "1", 30)[0]])
    f = run(b, kids, codes=BOBEC_CODES + ["bobec-incomplete"])
    got = sorted(zip(f["check"], f["field"], f["source_file"]))
    assert got == [("bobec-condition", "condition", "b.xlsx"),   # B's page has the column: judged
                   ("bobec-incomplete", "actual_rooms", "test.xlsx"),
                   ("bobec-incomplete", "condition", "test.xlsx"),
                   ("bobec-incomplete", "design_rooms", "test.xlsx"),
                   ("bobec-incomplete", "photos", "test.xlsx")]
    assert f.loc[f["check"].eq("bobec-incomplete"), "school_code"].eq(A).all()
