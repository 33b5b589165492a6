from obec_audit.checks import mobec as mc
from obec_audit.checks.registry import REGISTRY, CheckInput, select, run_checks
from _builders_other import full_mobec, mobec, students  # tests/checks is on pytest's pythonpath


A, B = "57010001", "57010002"
MOBEC_CODES = ["mobec-missing-item", "mobec-count", "mobec-implausible", "mobec-change"]


def run(m, prev=None, stu=None, codes=MOBEC_CODES, **options):
    data = CheckInput(mobec=m, mobec_previous=prev, students=stu, options=options)
    return run_checks(data, "mobec", codes=codes)


def test_registered_for_mobec_phase():
    assert set(MOBEC_CODES) <= {k.code for k in select("mobec")}
    assert not set(MOBEC_CODES) & {k.code for k in select("round1")}


def test_desk_items_from_reference():
    assert mc.desk_items() == {"11001": "ก่อนประถม", "22001": "ประถม", "22002": "มัธยม"}


def test_complete_list_no_findings():
    assert len(run(mobec(full_mobec(A) + full_mobec(B)))) == 0


def test_missing_items():
    rows = [r for r in full_mobec(A) if r["item_code"] not in ("21003", "25002")] + full_mobec(B)
    f = run(mobec(rows), codes=["mobec-missing-item"])
    assert sorted(zip(f["school_code"], f["value"])) == [(A, "21003"), (A, "25002")]
    assert set(f["field"]) == {"item_code"} and f["source_row"].isna().all()


def test_item_code_spellings_count_as_present():
    rows = full_mobec(A)
    rows[0]["item_code"] = "11001.0"
    rows[1]["item_code"] = " ๑๑๐๐๒ "
    assert len(run(mobec(rows), codes=["mobec-missing-item"])) == 0


def test_counts():
    rows = full_mobec(A)[:8]
    raws = [("", "-", "ไม่มี"),        # row 2: DMC's 0s: fine
            ("1,200", "๓", "4.0"),     # row 3: fine
            ("-3", "0", "0"),          # row 4: negative usable
            ("0", "2.5", "0"),         # row 5: fraction
            ("0", "0", "abc"),         # row 6: text
            ("12", "1", "0"),          # row 7: fine
            ("x", "y", "0"),           # row 8: two fields
            ("0", "0", "0")]           # row 9: fine
    for r, (u, p, d) in zip(rows, raws):
        r.update(usable_raw=u, repair_raw=p, disposal_raw=d)
    f = run(mobec(rows), codes=["mobec-count"])
    got = sorted(zip(f["source_row"].astype(int), f["field"], f["value"]))
    assert got == [(4, "usable", "-3"), (5, "repair", "2.5"), (6, "disposal", "abc"),
                   (8, "repair", "y"), (8, "usable", "x")]


def _kids(school, grade, n):
    return [dict(school_code=school, grade=grade, room="1")] * n


def test_implausible_desks():
    rows = full_mobec(A, {"11001": 5, "22001": 100, "22002": 0}) + \
        full_mobec(B, {"11001": 20, "22001": 3000, "22002": 0})
    kids = students(_kids(A, "อ.2", 20) + _kids(A, "ป.3", 150) + _kids(A, "ม.1", 5)
                    + _kids(B, "อ.1", 20) + _kids(B, "ป.1", 120))
    f = run(mobec(rows), stu=kids, codes=["mobec-implausible"])
    got = sorted(zip(f["school_code"], f["source_row"].astype(int)))
    m = mobec(rows)
    pos = {(s, c): r for s, c, r in zip(m["school_code"], m["item_code"], m["source_row"])}
    # A: 5 pre-primary desks for 20 children (< half); 100 for 150 primary is fine; ม.1: 5 < 10
    # B: 3000 primary desks for 120 children (typing slip)
    assert got == sorted([(A, pos[(A, "11001")]), (B, pos[(B, "22001")])])
    assert set(f["field"]) == {"usable"}
    # without the student list: skipped
    assert len(REGISTRY["mobec-implausible"].run(CheckInput(mobec=m))) == 0  # no students: not run


def test_change_from_last_year():
    prev = mobec(full_mobec(A, {"21001": 40, "21002": 4, "21003": 0, "21004": 20, "21006": 100}))
    cur = mobec(full_mobec(A, {"21001": 12, "21002": 12, "21003": 15, "21004": 29, "21006": 160}))
    f = run(cur, prev, codes=["mobec-change"])
    codes = sorted(cur.set_index("source_row").loc[f["source_row"].astype(int), "item_code"])
    # 40 → 12 (-70 %, 28); 0 → 15; 100 → 160 (+60 %); not 4 → 12 (8 units), not 20 → 29 (+45 %)
    assert codes == ["21001", "21003", "21006"]
    assert "40 → 12" in set(f["value"])
    assert len(run(cur, None, codes=["mobec-change"])) == 0


def test_absent_columns_one_note_per_file_no_error_per_row():
    from obec_audit.schema import AbsentColumns

    rows = full_mobec(A, source_file="a.xlsx")
    for r in rows:
        r["disposal"] = None
    rows[0]["repair"] = -1                                  # judged: the page has the column
    no_code = [dict(r, school_code=B, item_code=None, source_file="b.xlsx") for r in full_mobec(B)[:5]]
    m = mobec(rows + no_code)
    m.attrs["absent_columns"] = AbsentColumns({"a.xlsx": ["disposal"], "b.xlsx": ["item_code"]})
    f = run(m, codes=MOBEC_CODES + ["mobec-incomplete"])
    got = sorted(zip(f["check"], f["field"], f["source_file"]))
    assert got == [("mobec-count", "repair", "a.xlsx"),
                   ("mobec-incomplete", "disposal", "a.xlsx"),
                   ("mobec-incomplete", "item_code", "b.xlsx")]  # not 76 missing items for B
