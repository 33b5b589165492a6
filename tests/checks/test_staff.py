import pandas as pd

from obec_audit.checks import staff as sc
from obec_audit.checks.registry import REGISTRY, CheckInput, select, run_checks
from _builders_other import make_pin, staff, students  # tests/checks is on pytest's pythonpath
from obec_audit.schema import AbsentColumns


A, B = "57010001", "57010002"
_n = iter(range(5000, 99999))


def person(school, position="ครู", standing="-", level="คศ.1", nid=None, **kw):
    return dict(school_code=school, national_id=nid or make_pin(next(_n), "3"), first_name="ครู",
                last_name="ดี", position=position, academic_standing=standing, level=level, **kw)


def director(school, **kw):
    return person(school, "ผู้อำนวยการโรงเรียน", "ชำนาญการพิเศษ", "คศ.3", **kw)


STAFF_CODES = ["staff-id", "staff-dup", "staff-no-director", "staff-code", "staff-ratio"]


def run(st, stu=None, codes=STAFF_CODES, **options):
    data = CheckInput(staff=st, students=stu, options=options)
    return run_checks(data, "round1", codes=codes)


def test_registered_for_staff_phases():
    for ph in ("start", "round1", "round2"):
        assert {"staff-id", "staff-dup", "staff-no-director", "staff-code", "staff-ratio"} <= {
            k.code for k in select(ph)}


def test_staff_id():
    st = staff([
        director(A),                                  # row 2 fine
        person(A, nid="0000000000019"),               # row 3 type 0, valid check digit: fine
        person(A, nid="1101700230709"),               # row 4 checksum
        person(A, nid="110170023070"),                # row 5 length
        person(A, nid=""),                            # row 6 missing (builder gives a PIN for None)
        person(A, nid="G644200000001"),               # row 7 a learner code
    ])
    st.loc[4, ["national_id", "id_type"]] = ["", "missing"]
    f = run(st, codes=["staff-id"])
    assert sorted(f["source_row"].tolist()) == [4, 5, 6, 7]
    assert set(f["dataset"]) == {"staff"} and set(f["field"]) == {"national_id"}


def test_staff_dup():
    same = make_pin(1, "3")
    twice = make_pin(2, "3")
    st = staff([director(A), person(A, nid=same), person(B, nid=same),     # rows 3, 4: two schools
                director(B), person(B, nid=twice), person(B, nid=twice),   # rows 6, 7: twice in one
                person(B)])
    f = run(st, codes=["staff-dup"])
    assert sorted(f["source_row"].tolist()) == [3, 4, 6, 7]
    assert f.groupby("group")["source_row"].apply(sorted).tolist() in ([[3, 4], [6, 7]], [[6, 7], [3, 4]])


def test_staff_no_director():
    st = staff([director(A), person(A),
                person(B, "รองผู้อำนวยการโรงเรียน", "ชำนาญการพิเศษ", "คศ.3"), person(B),
                person("57010003", "1. ผู้อำนวยการโรงเรียน", "ชำนาญการพิเศษ", "คศ.3")])  # EMIS numbering
    f = run(st, codes=["staff-no-director"])
    assert f["school_code"].tolist() == [B]
    assert f["source_row"].isna().all()


def test_staff_code():
    st = staff([
        director(A),                                                      # 2 fine
        person(A, "ครู", "ชำนาญการ", "คศ.2"),                               # 3 fine
        person(A, "ครู", "ชำนาญการ", "ค.ศ. 2"),                             # 4 fine (spelling)
        person(A, "ครูผู้ช่วย", "-", "ครูผู้ช่วย"),                            # 5 fine
        person(A, "พนักงานราชการ", "-", "-"),                               # 6 fine
        person(A, "ลูกจ้างชั่วคราว", None, None),                              # 7 fine (empty standing)
        person(A, "ภารโรง", "-", "-"),                                     # 8 position outside list
        person(A, "ครู", "ชำนาญการมาก", "คศ.2"),                            # 9 standing outside list
        person(A, "ลูกจ้างประจำ", "ชำนาญการ", "-"),                          # 10 employee with standing
        person(A, "ครูผู้ช่วย", "ชำนาญการ", "คศ.2"),                          # 11 assistant with standing
        person(A, "ครู", "ชำนาญการพิเศษ", "คศ.2"),                           # 12 level ≠ standing
        person(A, None, "-", "-"),                                         # 13 no position
    ])
    f = run(st, codes=["staff-code"])
    got = dict(zip(f["source_row"].astype(int), f["field"]))
    assert got == {8: "position", 9: "academic_standing", 10: "academic_standing",
                   11: "academic_standing", 12: "level", 13: "position"}


def _school(code, n_students, n_teachers):
    rows = [director(code)] + [person(code) for _ in range(n_teachers - 1)]
    rows += [person(code, "ลูกจ้างชั่วคราว", "-", "-")] * 3  # not teaching
    kids = [dict(school_code=code, national_id=None, grade="ป.1") for _ in range(n_students)]
    return rows, kids


def test_staff_ratio():
    st_rows, kid_rows = [], []
    spec = {f"570100{i:02d}": (20 * 8, 8) for i in range(10, 20)}   # 20 : 1 norm
    spec["57010020"] = (150, 2)    # 75 : 1 (> 60)
    spec["57010021"] = (30, 12)    # 2.5 : 1 (< 3)
    spec["57010022"] = (10, 5)     # 2 : 1 but fewer than 20 students: skipped
    spec["57010023"] = (90, 1)     # 90 : 1
    spec["57010024"] = (180, 2)    # 90 : 1
    for code, (n, t) in spec.items():
        r, k = _school(code, n, t)
        st_rows += r
        kid_rows += k
    st_rows.append(person("57010025", "ลูกจ้างชั่วคราว", "-", "-"))
    kid_rows += [dict(school_code="57010025", grade="ป.1")] * 25          # no teacher
    f = run(staff(st_rows), students(kid_rows), codes=["staff-ratio"])
    assert sorted(f["school_code"]) == ["57010020", "57010021", "57010023", "57010024", "57010025"]
    assert f["source_row"].isna().all()
    # without students: skipped
    assert len(REGISTRY["staff-ratio"].run(CheckInput(staff=staff(st_rows)))) == 0  # no students: not run


def test_staff_ratio_robust_z():
    st_rows, kid_rows = [], []
    for i in range(12):
        r, k = _school(f"570101{i:02d}", 200 + 5 * i, 10)   # 20-25.5 : 1
        st_rows += r
        kid_rows += k
    r, k = _school("57010199", 500, 10)                      # 50 : 1, inside the fixed bounds
    st_rows += r
    kid_rows += k
    f = run(staff(st_rows), students(kid_rows), codes=["staff-ratio"])
    assert f["school_code"].tolist() == ["57010199"]
    f = run(staff(st_rows), students(kid_rows), codes=["staff-ratio"], staff_ratio_z=1000)
    assert len(f) == 0


def test_clean_staff_list_no_findings():
    st = staff([director(A), person(A, "ครู", "ชำนาญการ", "คศ.2"), person(A, "ครูผู้ช่วย", "-", "ครูผู้ช่วย")])
    kids = students([dict(school_code=A, grade="ป.1")] * 30)
    assert len(run(st, kids)) == 0


# ----------------------------------------------------------------------------- counts page
def count_row(school, position, standing="-", level="คศ.1", male=0, female=0, total=None, **kw):
    total = male + female if total is None else total
    return dict(school_code=school, record="count", position=position, academic_standing=standing,
                level=level, male=male, female=female, total=total, headcount=total,
                national_id=None, id_type=None, **kw)


def counts_frame(rows, absent=None):
    df = staff(rows)
    df["national_id"] = pd.NA
    df["id_type"] = pd.NA
    df.attrs["absent_columns"] = AbsentColumns(absent or {})
    return df


def test_staff_total():
    st = counts_frame([
        count_row(A, "ผู้อำนวยการโรงเรียน", "ชำนาญการพิเศษ", "คศ.3", 0, 1),     # 2 fine
        count_row(A, "ครู", "-", "คศ.1", 5, 13, 17),                          # 3 5 + 13 ≠ 17
        count_row(A, "ครู", "ชำนาญการ", "คศ.2", 0, 0, 0),                       # 4 fine
        count_row(A, "ลูกจ้างชั่วคราว", "-", "-", 2, 0, 3),                      # 5 2 + 0 ≠ 3
    ])
    f = run(st, codes=["staff-total"])
    assert sorted(f["source_row"].tolist()) == [3, 5]
    assert set(f["field"]) == {"total"}
    # a per-person row is never judged by staff-total
    assert len(run(staff([director(A), person(A)]), codes=["staff-total"])) == 0


def test_counts_standing_judged_only_when_someone_is_counted():
    st = counts_frame([
        count_row(A, "ผู้อำนวยการโรงเรียน", "ชำนาญการพิเศษ", "คศ.3", 1, 0),
        count_row(A, "ลูกจ้างชั่วคราว", "ชำนาญการ", "-", 0, 0),           # 3 impossible, but 0 people
        count_row(A, "ลูกจ้างชั่วคราว", "ชำนาญการ", "-", 0, 2),           # 4 impossible, 2 people
        count_row(A, "ครู", "ชำนาญการ", "คศ.3", 1, 0),                    # 5 level ≠ standing
    ])
    f = run(st, codes=STAFF_CODES + ["staff-total", "staff-incomplete"])
    assert sorted(zip(f["check"], f["source_row"].tolist())) == [("staff-code", 4), ("staff-code", 5)]


def test_no_director_from_counts_and_counts_page_preferred():
    st = counts_frame([
        count_row(A, "ผู้อำนวยการโรงเรียน", "ชำนาญการพิเศษ", "คศ.3", 0, 0),   # A: director 0
        count_row(A, "ครู", "-", "คศ.1", 3, 4),
        count_row(B, "ผู้อำนวยการโรงเรียน", "ชำนาญการ", "คศ.2", 1, 0),        # B: 1 on the page
    ])
    per_person = staff([person(B), director(A)])  # B's list lacks the director; A's has one
    both = pd.concat([st, per_person], ignore_index=True)
    both.attrs = st.attrs
    f = run(both, codes=["staff-no-director"])
    assert f["school_code"].tolist() == [A]  # the counts page is the school's count


def test_ratio_from_counts_and_class_counts():
    from _builders_other import class_counts

    rows = []
    for i in range(10):
        s = f"570100{i:02d}"
        rows += [count_row(s, "ผู้อำนวยการโรงเรียน", "ชำนาญการ", "คศ.2", 1, 0),
                 count_row(s, "ครู", "-", "คศ.1", 4, 5)]
    st = counts_frame(rows)
    kids = students([dict(school_code=f"570100{i:02d}", grade="ป.1") for i in range(9) for _ in range(200)])
    cc = class_counts([dict(school_code="57010009", grade="ป.1", total=400, male=200, female=200),
                       dict(school_code="57010009", grade="ป.2", total=400, male=200, female=200)])
    f = run_checks(CheckInput(staff=st, students=kids, class_counts=cc), "round1", codes=["staff-ratio"])
    assert f["school_code"].tolist() == ["57010009"]  # 800 / 10 = 80 : 1 from the class counts
    assert "800" in f["value"].iloc[0]


def test_per_person_page_without_id_column():
    st = staff([director(A, nid=""), person(A, nid="")])
    st["national_id"] = pd.NA
    st.attrs["absent_columns"] = AbsentColumns({"test.xlsx": ["national_id"]})
    f = run(st, codes=STAFF_CODES + ["staff-incomplete"])
    assert f[["check", "field"]].values.tolist() == [["staff-incomplete", "national_id"]]
    assert f["source_row"].isna().all() and f["school_code"].tolist() == [A]


def test_staff_page_without_position_column():
    st = staff([person(A, None, "-", "คศ.1"), person(A, None, "-", "คศ.1")])
    st.attrs["absent_columns"] = AbsentColumns({"test.xlsx": ["position"]})
    f = run(st, codes=STAFF_CODES + ["staff-incomplete"])
    assert f[["check", "field"]].values.tolist() == [["staff-incomplete", "position"]]


def test_staff_page_without_standing_column():
    st = staff([director(A), person(A, "ครู", None, "คศ.2"), person(A, "ลูกจ้างชั่วคราว", None, "คศ.2")])
    st.attrs["absent_columns"] = AbsentColumns({"test.xlsx": ["academic_standing"]})
    f = run(st, codes=STAFF_CODES + ["staff-incomplete"])
    # the levels are not judged against a standing the page does not have; an employee's
    # level still is
    assert sorted(zip(f["check"], f["field"])) == [("staff-code", "level"),
                                                   ("staff-incomplete", "academic_standing")]
    assert f.loc[f["check"].eq("staff-code"), "source_row"].tolist() == [4]
