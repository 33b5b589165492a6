"""Duplicate checks: dup-id-school, dup-id-area, dup-person."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from obec_audit.checks.duplicates import _components, person_pairs
from obec_audit.checks.registry import CheckInput, run_checks

CENSUS = dt.date(2026, 6, 10)


def run(df, *codes):
    return run_checks(CheckInput(students=df, as_of=CENSUS), codes=list(codes))


def groups(out, code):
    f = out[out["check"] == code]
    return {int(r): g for r, g in zip(f["source_row"], f["group"])}


# ----------------------------------------------------------------------------- dup-id-*
def test_dup_id_school(make_students, make_pin, rows_of):
    a, b = make_pin("110170023070"), make_pin("310170023071")
    df = make_students(
        [
            {"national_id": a},
            {"national_id": "1-1017-00230-70-8" if a == "1101700230708" else a},  # same after normalising
            {"national_id": a},
            {"national_id": b},
            {"national_id": b, "school_code": "57010002"},  # other school: area dup, not school dup
            {"national_id": ""},  # missing IDs are never duplicates
            {"national_id": ""},
            {"national_id": "12345"},  # invalid but present: counts
            {"national_id": "12345"},
            {"national_id": "1.1017E+12"},  # scientific notation: digits lost, not compared
            {"national_id": "1.1017E+12"},
        ]
    )
    out = run(df, "dup-id-school")
    assert rows_of(out, "dup-id-school") == [2, 3, 4, 9, 10]
    g = groups(out, "dup-id-school")
    assert g[2] == g[3] == g[4]
    assert g[9] == g[10] != g[2]
    assert (out["severity"] == "error").all()


def test_dup_id_area(make_students, make_pin, rows_of):
    a, b = make_pin("110170023071"), make_pin("310170023072")
    df = make_students(
        [
            {"national_id": a, "school_code": "57010001"},
            {"national_id": a, "school_code": "57010002"},
            {"national_id": a, "school_code": "57010003"},
            {"national_id": b, "school_code": "57010001"},
            {"national_id": b, "school_code": "57010001"},  # twice in one school only
            {"national_id": "", "school_code": "57010001"},
            {"national_id": "", "school_code": "57010002"},
        ]
    )
    out = run(df, "dup-id-area", "dup-id-school")
    assert rows_of(out, "dup-id-area") == [2, 3, 4]
    assert len(set(groups(out, "dup-id-area").values())) == 1
    assert rows_of(out, "dup-id-school") == [5, 6]
    # group strings are stable across runs
    assert groups(run(df, "dup-id-area"), "dup-id-area") == groups(out, "dup-id-area")


# ----------------------------------------------------------------------------- dup-person
def test_same_child_gcode_vs_pin_with_honorific_and_mark_order(make_students, make_pin, rows_of):
    df = make_students(
        [
            {"national_id": "G644200000001", "school_code": "57010001", "title": None,
             "first_name": "ด.ญ.กิ่งแก้ว", "last_name": "ศรีสุข", "sex": "F", "birth_date": "2016-04-03"},
            {"national_id": make_pin("157010000001"), "school_code": "57010002", "title": "เด็กหญิง",
             "first_name": "ก่ิงแก้ว", "last_name": "ศรีสุข ", "sex": "F", "birth_date": "2016-04-03"},
            {"national_id": make_pin("157010000002"), "school_code": "57010002",
             "first_name": "สมชาย", "last_name": "ใจดี", "birth_date": "2016-04-03"},
        ]
    )
    out = run(df, "dup-person")
    assert rows_of(out, "dup-person") == [2, 3]
    g = groups(out, "dup-person")
    assert g[2] == g[3] and g[2]
    assert (out["severity"] == "warning").all()


def test_two_pins_spelling_variant_and_sara_am(make_students, make_pin, rows_of):
    df = make_students(
        [
            {"national_id": make_pin("157010000011"), "first_name": "น้ำฝน", "last_name": "คำแสง",
             "sex": "F", "title": "เด็กหญิง", "birth_date": "2015-09-09", "school_code": "57010001"},
            {"national_id": make_pin("157010000012"), "first_name": "นำ้ฝน", "last_name": "คําแสง",
             "sex": "F", "title": "เด็กหญิง", "birth_date": "2015-09-09", "school_code": "57010005"},
            # a surname typo (one letter) still matches through the first-name block
            {"national_id": make_pin("157010000013"), "first_name": "ประภาพรรณ", "last_name": "วงศ์สวัสดิ์",
             "sex": "F", "title": "เด็กหญิง", "birth_date": "2014-01-20", "school_code": "57010001"},
            {"national_id": "G644200000099", "first_name": "ประภาพรรณ", "last_name": "วงค์สวัสดิ์",
             "sex": "F", "title": "เด็กหญิง", "birth_date": "2014-01-20", "school_code": "57010003"},
        ]
    )
    out = run(df, "dup-person")
    assert rows_of(out, "dup-person") == [2, 3, 4, 5]
    g = groups(out, "dup-person")
    assert g[2] == g[3] != g[4] == g[5]


def test_twins_are_not_duplicates(make_students, make_pin):
    df = make_students(
        [
            {"national_id": make_pin("157010000021"), "first_name": "สมชาย", "last_name": "ใจดี",
             "birth_date": "2016-04-03"},
            {"national_id": make_pin("157010000022"), "first_name": "สมชาญ", "last_name": "ใจดี",
             "birth_date": "2016-04-03"},
            {"national_id": make_pin("157010000023"), "first_name": "ปิยะ", "last_name": "ทองคำ",
             "birth_date": "2017-01-01", "sex": "M"},
            {"national_id": make_pin("157010000024"), "first_name": "ปิยา", "last_name": "ทองคำ",
             "birth_date": "2017-01-01", "sex": "F", "title": "เด็กหญิง"},
        ]
    )
    assert run(df, "dup-person").empty


def test_common_names_different_birthdates_not_duplicates(make_students, make_pin):
    df = make_students(
        [
            {"national_id": make_pin(f"15701000003{k}"), "first_name": "ณัฐวุฒิ", "last_name": "แสงทอง",
             "birth_date": f"2016-0{k + 1}-15", "school_code": f"5701000{k}"}
            for k in range(5)
        ]
    )
    assert run(df, "dup-person").empty


def test_same_id_is_not_dup_person(make_students, make_pin):
    p = make_pin("157010000041")
    df = make_students(
        [
            {"national_id": p, "first_name": "วิชัย", "last_name": "บุญมา", "school_code": "57010001"},
            {"national_id": p, "first_name": "วิชัย", "last_name": "บุญมา", "school_code": "57010002"},
        ]
    )
    out = run(df, "dup-person", "dup-id-area")
    assert set(out["check"]) == {"dup-id-area"}


def test_three_records_one_group(make_students, make_pin, rows_of):
    base = {"first_name": "ธนพล", "last_name": "อินต๊ะ", "birth_date": "2013-07-07"}
    df = make_students(
        [
            {**base, "national_id": "G644200000201", "school_code": "57010001"},
            {**base, "national_id": make_pin("157010000051"), "school_code": "57010002"},
            {**base, "first_name": "นายธนพล", "national_id": make_pin("157010000052"), "school_code": "57010003"},
        ]
    )
    out = run(df, "dup-person")
    assert rows_of(out, "dup-person") == [2, 3, 4]
    assert len(set(groups(out, "dup-person").values())) == 1


def test_missing_names_and_birthdates_do_not_crash(make_students):
    df = make_students(
        [
            {"first_name": None, "last_name": None, "birth_date": None},
            {"first_name": None, "last_name": None, "birth_date": None},
            {"first_name": "อ.", "last_name": "", "birth_date": "2023-01-01", "grade": "อ.1"},
            {"first_name": "สมชาย", "last_name": None, "birth_date": "2023-01-01", "grade": "อ.1"},
            {"first_name": "สมชาย", "last_name": None, "birth_date": "2023-01-01", "grade": "อ.1"},
        ]
    )
    assert run(df, "dup-person").empty
    assert person_pairs(df.iloc[:1]).empty


def test_components():
    u = np.array([5, 7, 1, 9])
    v = np.array([7, 8, 2, 8])
    nodes, lab = _components(u, v)
    comp = dict(zip(nodes.tolist(), lab.tolist()))
    assert comp[5] == comp[7] == comp[8] == comp[9]
    assert comp[1] == comp[2] != comp[5]


def test_dup_person_not_quadratic(make_students):
    """2,000 children born on 10 dates: the soundex blocks keep the candidate pairs tiny, and
    scoring every same-birth-date pair first (``direct``) finds exactly the same pairs."""
    rng = np.random.default_rng(1)
    syll = ["สม", "ชาย", "ศรี", "สุข", "ประ", "เสริฐ", "วิ", "ชัย", "กิต", "ติ", "พง", "ศักดิ์", "นภา", "พร"]
    rows = []
    for k in range(2000):
        f = "".join(rng.choice(syll, 3))
        l = "".join(rng.choice(syll, 4))
        rows.append({"first_name": f, "last_name": l, "birth_date": f"2016-01-{1 + k % 10:02d}"})
    df = make_students(rows)
    pairs = person_pairs(df, direct=False)
    assert len(pairs) < 200
    direct = person_pairs(df, direct=True)
    assert set(zip(direct["i"], direct["j"])) == set(zip(pairs["i"], pairs["j"]))


def test_person_pairs_both_orders_agree_on_real_variants(make_students):
    """Same children typed differently (honorific in the field, mark order, a surname spelt
    alike, a space), twins, same-ID rows and a sex conflict, hidden among 600 others born
    on the same 3 days: both orders of work give the same pairs, and the right ones."""
    rng = np.random.default_rng(3)
    syll = ["สม", "ชาย", "ศรี", "สุข", "ประ", "เสริฐ", "วิ", "ชัย", "กิต", "ติ", "พง", "ศักดิ์", "นภา", "พร",
            "อรุณ", "รัตน์", "ทอง", "คำ", "แก้ว", "มณี"]
    rows = []
    for k in range(600):
        rows.append({"national_id": f"G{k:012d}", "first_name": "".join(rng.choice(syll, 3)),
                     "last_name": "".join(rng.choice(syll, 4)), "birth_date": f"2015-03-{1 + k % 3:02d}",
                     "sex": "M"})
    base = len(rows)
    extra = [
        ({"first_name": "ด.ช.กิ่งแก้ว", "last_name": "ศรีสุขใจ"}, {"first_name": "กิ่งแก้ว", "last_name": "ศรีสุขใจ"}),
        ({"first_name": "ก่ิงแก้ว", "last_name": "ทองมณี"}, {"first_name": "กิ่งแก้ว", "last_name": "ทองมณี"}),
        ({"first_name": "สมปอง", "last_name": "ศรีสุขเสมอใจ"}, {"first_name": "สมปอง", "last_name": "สีสุขเสมอใจ"}),
        ({"first_name": "นภาพร", "last_name": "คำแก้ว"}, {"first_name": "นภา พร", "last_name": "คำแก้ว"}),
        ({"first_name": "วิชัย", "last_name": "อรุณรัตน์"}, {"first_name": "วิชิต", "last_name": "อรุณรัตน์"}),  # twins
        ({"first_name": "ประเสริฐ", "last_name": "พงพร"}, {"first_name": "ประเสริฐ", "last_name": "พงพร",
                                                          "same_id": True}),
        ({"first_name": "ประภาพร", "last_name": "มณีรัตน์"}, {"first_name": "ประภาภร", "last_name": "มณีรัตน์",
                                                          "sex": "F"}),
    ]
    for n, (a, b) in enumerate(extra):
        bd = "2015-03-02"
        ida = f"11017{n:08d}"
        for rec in (a, b):
            rows.append({"national_id": ida if rec.get("same_id") else f"G9{len(rows):011d}",
                         "first_name": rec["first_name"], "last_name": rec["last_name"],
                         "birth_date": bd, "sex": rec.get("sex", "M")})
        if b.get("same_id"):
            rows[-2]["national_id"] = ida
    df = make_students(rows)
    blocked = person_pairs(df, direct=False)
    direct = person_pairs(df, direct=True)
    got = set(zip(direct["i"].tolist(), direct["j"].tolist()))
    assert got == set(zip(blocked["i"].tolist(), blocked["j"].tolist()))
    injected = {(base + 2 * n, base + 2 * n + 1) for n in range(len(extra))}
    # the first four are the same child; twins, the same ID, and a boy and a girl with
    # first names one letter apart are not
    assert {p for p in got if p in injected} == {(base + 2 * n, base + 2 * n + 1) for n in range(4)}


# ----------------------------------------------------------------------------- evidence, not length
def _pair(make_students, make_pin, a: dict, b: dict, ids=("G", "pin"), same_school=False):
    base = {"last_name": "ใจดี", "birth_date": "2016-04-03", "grade": "ป.3", "sex": "M"}
    nid = {"G": lambda k: f"G6442000{k:05d}", "pin": lambda k: make_pin(f"15701{k:07d}")}
    return [
        {**base, **a, "national_id": nid[ids[0]](len(a["first_name"]) * 7 + 1), "school_code": "57010001"},
        {**base, **b, "national_id": nid[ids[1]](len(b["first_name"]) * 7 + 2),
         "school_code": "57010001" if same_school else "57010002"},
    ]


def test_one_character_variants_of_short_names_are_the_same_child(make_students, make_pin, rows_of):
    variants = [("ก้อย", "ก๊อย"), ("ปุ้ม", "ปุม"), ("มนู", "มณู"), ("สุชล", "สูชล"), ("ปิยะ", "ปิยา"), ("เพชร", "เภชร")]
    rows = []
    for k, (a, b) in enumerate(variants):
        for r in _pair(make_students, make_pin, {"first_name": a}, {"first_name": b}):
            rows.append({**r, "birth_date": f"2016-04-{k + 1:02d}"})
    out = run(make_students(rows), "dup-person")
    assert rows_of(out, "dup-person") == list(range(2, 2 + 2 * len(variants)))


def test_twins_with_their_own_ids_one_consonant_apart_stay_apart(make_students, make_pin):
    # short and long first names one audible consonant apart, each twin with a valid 13-digit ID,
    # same surname, birth date, school and grade
    twins = [("มด", "บด"), ("นก", "นป"), ("สมชาย", "สมชาญ"), ("ประภาพรรณ", "ประภาพรรม"),
             ("ธนากร", "ธนากม")]
    rows = []
    for k, (a, b) in enumerate(twins):
        for r in _pair(make_students, make_pin, {"first_name": a}, {"first_name": b}, ids=("pin", "pin"),
                       same_school=True):
            rows.append({**r, "birth_date": f"2016-05-{k + 1:02d}"})
    assert run(make_students(rows), "dup-person").empty


def test_evidence_decides_not_one_threshold(make_students, make_pin, rows_of):
    # the same names and birth date: a G-code and a 13-digit ID in two schools is one child;
    # two valid 13-digit IDs with a sex that disagrees are two children
    rows = _pair(make_students, make_pin, {"first_name": "วิชัย"}, {"first_name": "วิชัย"})
    rows += [{**r, "birth_date": "2016-06-06"} for r in _pair(
        make_students, make_pin, {"first_name": "อรุณ"}, {"first_name": "อรุณ", "sex": "F", "title": "เด็กหญิง"},
        ids=("pin", "pin"))]
    out = run(make_students(rows), "dup-person")
    assert rows_of(out, "dup-person") == [2, 3]


def test_no_pair_without_a_shared_spelling_key_can_reach_the_threshold():
    """What makes blocking on (birth date, one name's key) lose no pair."""
    from obec_audit.checks.duplicates import PERSON_THRESHOLD, PERSON_WEIGHTS as W

    best = (W["birth_date"] + max(W["first_near"], W["first_other"]) + max(W["last_near"], W["last_other"])
            + max(W["pin_and_other"], 0) + max(W["other_school"], 0) + max(W["same_grade"], 0))
    assert best < PERSON_THRESHOLD


def test_dup_person_threshold_option(make_students, make_pin, rows_of):
    rows = _pair(make_students, make_pin, {"first_name": "สมชาย"}, {"first_name": "สมชาญ"}, ids=("G", "G"),
                 same_school=True)
    df = make_students(rows)
    assert run(df, "dup-person").empty
    out = run_checks(CheckInput(students=df, as_of=CENSUS, options={"dup_person_min_score": 6}), codes=["dup-person"])
    assert rows_of(out, "dup-person") == [2, 3]


def test_int_codes_equal_exactly_when_texts_are_equal():
    """Integer codes read from the digits partition the values as factorising the text does
    ('0…' 13 digits vs 12 digits, Thai and full-width digits, blanks, missing)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from obec_audit.checks.duplicates import _int_codes

    digits = st.text(alphabet="0123456789", min_size=11, max_size=14)
    other = st.sampled_from(["", " 1101700230708", "๑๑๐๑๗๐๐๒๓๐๗๐๘", "１１０１７００２３０７０８", "G644200000001",
                             "0101700230708", "101700230708", "1.1017E+12", "-110170023070"])

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.none() | digits | other, min_size=1, max_size=30), st.sampled_from([8, 13]))
    def check(values, width):
        s = pd.Series(values, dtype="string")
        got = _int_codes(s, width)
        blank = s.isna() | s.eq("")
        assert ((got < 0) == blank.to_numpy()).all()
        want = pd.factorize(s[~blank])[0]
        pairs = pd.DataFrame({"got": got[~blank.to_numpy()], "want": want}).drop_duplicates()
        assert pairs["got"].is_unique and pairs["want"].is_unique  # a bijection

    check()
