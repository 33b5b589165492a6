import datetime as dt

import pandas as pd
import pytest

from obec_audit.checks import reconcile as rc
from obec_audit.checks.registry import REGISTRY, CheckInput, given_inputs, run_checks, select
from obec_audit.schema import FINDING_COLUMNS
from _builders_other import discharges, make_pin, students  # tests/checks is on pytest's pythonpath


A, B, C = "57010001", "57010002", "57010003"
P = [make_pin(i) for i in range(1, 40)]
RECONCILE_CODES = ["left-unexplained", "moved-school", "id-changed", "dead-reappears", "grade-down",
                   "dup-persisting", "count-drop", "graduate-discharged"]
AS_OF = dt.date(2026, 11, 10)


def kid(school, nid, first, last, bd, grade="ป.3", **kw):
    return dict(school_code=school, national_id=nid, first_name=first, last_name=last,
                birth_date=bd, grade=grade, room="1", **kw)


@pytest.fixture
def censuses():
    prev = students([
        kid(A, P[1], "หนึ่ง", "ก", "2016-01-01"),                        # row 2 stays
        kid(A, P[2], "สอง", "ข", "2016-02-01"),                          # row 3 moves A → B
        kid(A, "G644200000001", "สมชาย", "ใจดี", "2015-01-01", "ป.4"),    # row 4 G-code → PIN
        kid(A, P[4], "สี่", "ง", "2016-04-01"),                          # row 5 died, reappears
        kid(B, P[5], "ห้า", "จ", "2016-05-01"),                          # row 6 left, dropout
        kid(B, P[6], "หก", "ฉ", "2016-06-01"),                           # row 7 left, no record
    ]).assign(source_file="prev.xlsx")
    cur = students([
        kid(A, P[1], "หนึ่ง", "ก", "2016-01-01"),                        # row 2
        kid(B, P[2], "สอง", "ข", "2016-02-01"),                          # row 3
        kid(A, P[3], "ด.ช.สมชาย", "ใจดี", "2015-01-01", "ป.4"),          # row 4
        kid(A, P[4], "สี่", "ง", "2016-04-01"),                          # row 5
        kid(B, P[7], "เจ็ด", "ช", "2016-07-01"),                         # row 6 new
    ]).assign(source_file="cur.xlsx")
    dis = discharges([
        dict(school_code=A, national_id=P[4], first_name="สี่", last_name="ง", reason="เสียชีวิต",
             discharge_date="2026-08-01"),
        dict(school_code=B, national_id=P[5], first_name="ห้า", last_name="จ", reason="ออกกลางคัน",
             discharge_date="2026-08-01"),
    ]).assign(source_file="dis.xlsx")
    return prev, cur, dis


def run(prev, cur, dis=None, as_of=AS_OF, codes=RECONCILE_CODES, **options):
    data = CheckInput(students=cur, previous=prev, discharges=dis, as_of=as_of, options=options)
    return run_checks(data, "semester2", codes=codes)


def test_reconcile_statuses(censuses):
    prev, cur, dis = censuses
    mv = rc.reconcile(prev, cur, dis)
    assert list(mv.columns) == rc.MOVEMENT_COLUMNS
    assert mv["status"].value_counts().to_dict() == {
        "stayed": 2, "moved": 1, "id-changed": 1, "left": 2, "new": 1}
    assert len(mv) == 7  # every child once: 6 previous rows, 5 current rows, 4 pairs
    left = mv[mv["status"].eq("left")].set_index("national_id")
    assert left.loc[P[5], "left_reason"] == "dropout"
    assert left.loc[P[6], "left_reason"] == "unexplained"
    assert left.loc[P[5], "discharge_reason"] == "ออกกลางคัน"
    ch = mv[mv["status"].eq("id-changed")].iloc[0]
    assert (ch["prev_national_id"], ch["cur_national_id"]) == ("G644200000001", P[3])
    assert ch["id_change"] == "gcode-to-pin"
    moved = mv[mv["status"].eq("moved")].iloc[0]
    assert (moved["prev_school"], moved["cur_school"]) == (A, B)
    assert (moved["prev_file"], moved["prev_row"], moved["cur_file"], moved["cur_row"]) == (
        "prev.xlsx", 3, "cur.xlsx", 3)
    # every input row appears exactly once
    assert sorted(mv["prev_pos"].dropna().tolist()) == list(range(len(prev)))
    assert sorted(mv["cur_pos"].dropna().tolist()) == list(range(len(cur)))


def test_reconcile_without_discharges_all_leavers_unexplained(censuses):
    prev, cur, _ = censuses
    mv = rc.reconcile(prev, cur)
    assert mv.loc[mv["status"].eq("left"), "left_reason"].tolist() == ["unexplained"] * 2


def test_discharge_matched_by_school_and_name_when_id_missing(censuses):
    prev, cur, _ = censuses
    dis = discharges([dict(school_code=B, national_id=None, first_name="หก", last_name="ฉ",
                           reason="ย้ายออก", discharge_date="2026-07-01")])
    mv = rc.reconcile(prev, cur, dis)
    left = mv[mv["status"].eq("left")].set_index("national_id")
    assert left.loc[P[6], "left_reason"] == "moved-out"


def test_checks_on_the_pair(censuses):
    prev, cur, dis = censuses
    f = run(prev, cur, dis)
    assert list(f.columns) == FINDING_COLUMNS
    got = sorted(zip(f["check"], f["source_file"], f["source_row"].astype(int)))
    assert got == sorted([
        ("left-unexplained", "prev.xlsx", 7),
        ("moved-school", "cur.xlsx", 3),
        ("id-changed", "cur.xlsx", 4),
        ("dead-reappears", "cur.xlsx", 5),
    ])
    mv = f[f["check"].eq("moved-school")].iloc[0]
    assert mv["value"] == A and mv["school_code"] == B
    lu = f[f["check"].eq("left-unexplained")].iloc[0]
    assert lu["school_code"] == B and lu["national_id"] == P[6]
    assert set(f["dataset"]) == {"reconcile"}
    assert f["message"].str.len().gt(20).all()


def test_dead_after_census_date_not_flagged(censuses):
    prev, cur, dis = censuses
    dis = dis.copy()
    dis.loc[0, "discharge_date"] = pd.Timestamp("2026-12-01")
    f = run(prev, cur, dis, codes=["dead-reappears"])
    assert len(f) == 0


def test_dead_under_gcode_reappears_under_pin(censuses):
    prev, cur, _ = censuses
    dis = discharges([dict(school_code=A, national_id="G644200000001", reason="เสียชีวิต",
                           discharge_date="2026-08-01")])
    f = run(prev, cur, dis, codes=["dead-reappears"])
    assert f["source_row"].tolist() == [4]
    assert f["national_id"].tolist() == [P[3]]


def test_grade_down():
    prev = students([kid(A, P[1], "ก", "ข", "2016-01-01", "ป.4"),
                     kid(A, P[2], "ค", "ง", "2016-01-01", "ป.4"),
                     kid(A, P[3], "จ", "ฉ", "2016-01-01", "ป.4")])
    cur = students([kid(A, P[1], "ก", "ข", "2016-01-01", "ป.3"),   # down
                    kid(B, P[2], "ค", "ง", "2016-01-01", "ป.5"),   # up (moved)
                    kid(A, P[3], "จ", "ฉ", "2016-01-01", "ป.4")])  # same
    f = run(prev, cur, codes=["grade-down"])
    assert f["source_row"].tolist() == [2]
    assert f["value"].tolist() == ["ป.4 → ป.3"]
    assert f["field"].tolist() == ["grade"]


def test_dup_persisting_flags_every_current_member():
    prev = students([kid(A, P[1], "ก", "ข", "2016-01-01"), kid(B, P[1], "ก", "ข", "2016-01-01"),
                     kid(A, P[2], "ค", "ง", "2016-01-01"), kid(B, P[2], "ค", "ง", "2016-01-01")])
    cur = students([kid(A, P[1], "ก", "ข", "2016-01-01"), kid(C, P[1], "ก", "ข", "2016-01-01"),
                    kid(A, P[2], "ค", "ง", "2016-01-01"),                    # P2 resolved
                    kid(A, P[3], "จ", "ฉ", "2016-01-01"), kid(B, P[3], "จ", "ฉ", "2016-01-01")])
    f = run(prev, cur, codes=["dup-persisting"])
    assert sorted(f["source_row"].tolist()) == [2, 3]
    assert f["group"].nunique() == 1
    assert set(f["school_code"]) == {A, C}


def test_duplicate_resolution_statuses():
    prev = students([kid(A, P[1], "ก", "ข", "2016-01-01"), kid(B, P[1], "ก", "ข", "2016-01-01")])
    cur = students([kid(A, P[1], "ก", "ข", "2016-01-01"),
                    kid(A, P[2], "ค", "ง", "2016-01-01"), kid(A, P[2], "ค", "ง", "2016-01-01")])
    prev2 = students([kid(A, P[2], "ค", "ง", "2016-01-01")])
    mv = rc.reconcile(prev, cur)
    assert mv["status"].value_counts().to_dict() == {"stayed": 1, "dup-removed": 1, "new": 2}
    mv2 = rc.reconcile(prev2, cur)
    assert mv2["status"].value_counts().to_dict() == {"stayed": 1, "dup-added": 1, "new": 1}
    f = run(prev, cur, codes=["left-unexplained", "moved-school"])
    assert len(f) == 0  # a duplicate removed is not a child who left


def test_count_drop_per_school():
    prev = students([kid(A, make_pin(100 + i), f"ก{i}", "ข", "2016-01-01") for i in range(50)]
                    + [kid(B, make_pin(200 + i), f"ค{i}", "ง", "2016-01-01") for i in range(12)]
                    + [kid(C, make_pin(300 + i), f"จ{i}", "ฉ", "2016-01-01") for i in range(100)])
    cur = students([kid(A, make_pin(100 + i), f"ก{i}", "ข", "2016-01-01") for i in range(39)]  # -22 %, -11
                   + [kid(B, make_pin(200 + i), f"ค{i}", "ง", "2016-01-01") for i in range(3)]  # -75 %, -9
                   + [kid(C, make_pin(300 + i), f"จ{i}", "ฉ", "2016-01-01") for i in range(85)])  # -15 %
    f = run(prev, cur, codes=["count-drop"])
    assert f["school_code"].tolist() == [A]
    assert f["value"].tolist() == ["50 → 39"]
    assert f["source_row"].isna().all()
    # a school gone altogether counts as 0
    f2 = run(prev, cur[cur["school_code"].ne(C)], codes=["count-drop"])
    assert sorted(f2["school_code"]) == [A, C]


def test_graduate_discharged_window():
    prev = students([kid(A, P[1], "ก", "ข", "2013-01-01", "ป.6")])
    cur = students([kid(A, P[2], "ค", "ง", "2013-01-01", "ป.6")])
    dis = discharges([
        dict(school_code=A, national_id=P[1], grade="ป.6", reason="จบการศึกษา",
             discharge_date="2027-03-20"),                                            # row 2: before census
        dict(school_code=A, national_id=P[3], grade="ป.6", reason="จบการศึกษา",
             discharge_date="2026-04-10"),                                            # row 3: last year's
        dict(school_code=A, national_id=P[4], grade="ป.6", reason="จบการศึกษา",
             discharge_date="2027-04-05"),                                            # row 4: after census
        dict(school_code=A, national_id=P[5], grade="ป.3", reason="ย้ายออก",
             discharge_date="2027-03-20"),                                            # row 5: not graduation
        dict(school_code=A, national_id=P[6], grade="ป.2", reason="จบการศึกษา",
             discharge_date="2026-11-01"),                                            # row 6: mid-year
    ])
    f = run(prev, cur, dis, as_of=dt.date(2027, 3, 31), codes=["graduate-discharged"])
    assert sorted(f["source_row"].tolist()) == [2, 6]
    assert set(f["field"]) == {"reason"}


def test_no_previous_no_findings(censuses):
    _, cur, dis = censuses
    data = CheckInput(students=cur, previous=None, discharges=dis, as_of=AS_OF)
    # without the previous census only the checks of the discharge list run
    ran = {k.code for k in select("semester2", given_inputs(data))} & set(RECONCILE_CODES)
    assert ran == {"dead-reappears", "graduate-discharged"}
    others = [c for c in RECONCILE_CODES if c not in ran]
    assert len(run_checks(data, "semester2", codes=others)) == 0
    for code in RECONCILE_CODES:  # run through the registry without their inputs: nothing
        assert len(REGISTRY[code].run(CheckInput(students=cur, as_of=AS_OF))) == 0


def test_id_changed_needs_unique_name_match():
    prev = students([kid(A, "G644200000001", "แฝด", "ใจดี", "2015-01-01"),
                     kid(A, "G644200000002", "แฝด", "ใจดี", "2015-01-01")])
    cur = students([kid(A, P[1], "แฝด", "ใจดี", "2015-01-01")])
    mv = rc.reconcile(prev, cur)
    assert "id-changed" not in set(mv["status"])
    assert (mv["status"] == "left").sum() == 2


def test_corrected_id_is_not_id_changed():
    prev = students([kid(A, "110170023070", "ก", "ข", "2015-01-01")])  # lost a digit
    cur = students([kid(A, "1101700230708", "ก", "ข", "2015-01-01")])
    mv = rc.reconcile(prev, cur)
    assert mv["status"].tolist() == ["stayed"]
    assert mv["id_change"].tolist() == ["corrected"]
    assert len(run(prev, cur, codes=["id-changed", "left-unexplained"])) == 0


def _finding(check, school, nid="", row=None, field="", value=""):
    return dict(check=check, severity="error", school_code=school, source_file="f.xlsx",
                source_row=row, national_id=nid, field=field, value=value, group="", message="m")


def test_compare_findings_and_by_school():
    before = pd.DataFrame([
        _finding("id-checksum", A, P[1], 2, "national_id"),
        _finding("field-missing", A, P[2], 3, "weight"),
        _finding("field-missing", A, P[2], 3, "height"),
        _finding("count-drop", B, value="50 → 30"),
        _finding("dup-id-school", B, P[3], 4), _finding("dup-id-school", B, P[3], 5),
    ])
    after = pd.DataFrame([
        _finding("field-missing", A, P[2], 9, "weight"),      # still open (row moved)
        _finding("sex-title", A, P[4], 4, "sex"),             # new
        _finding("count-drop", B, value="50 → 30"),           # still open
        _finding("dup-id-school", B, P[3], 4),                # one of the pair left
    ])
    cmp = rc.compare_findings(before, after)
    st = {(r.check, r.field, r.national_id): r.status for r in cmp.itertuples()}
    assert st[("id-checksum", "national_id", P[1])] == "fixed"
    assert st[("field-missing", "weight", P[2])] == "open"
    assert st[("field-missing", "height", P[2])] == "fixed"
    assert st[("sex-title", "sex", P[4])] == "new"
    assert cmp.loc[cmp["check"].eq("count-drop"), "status"].tolist() == ["open"]
    assert sorted(cmp.loc[cmp["check"].eq("dup-id-school"), "status"]) == ["fixed", "open"]
    assert cmp.loc[cmp["status"].eq("open") & cmp["check"].eq("field-missing"), "source_row"].tolist() == [9]
    by = rc.compare_by_school(before, after).set_index("school_code")
    assert by.loc[A, ["fixed", "open", "new"]].tolist() == [2, 1, 1]
    assert by.loc[B, ["fixed", "open", "new"]].tolist() == [1, 2, 0]
    assert by.loc[A, "before"] == 3 and by.loc[A, "after"] == 2


def test_compare_findings_empty_rounds():
    from obec_audit.schema import empty_findings

    assert len(rc.compare_findings(empty_findings(), empty_findings())) == 0
    assert len(rc.compare_by_school(empty_findings(), empty_findings())) == 0
    after = pd.DataFrame([_finding("id-missing", A, "", 2, "national_id")])
    cmp = rc.compare_findings(empty_findings(), after)
    assert cmp["status"].tolist() == ["new"]


def test_compare_findings_accepts_a_round_read_back_from_csv(tmp_path):
    from obec_audit.checks.reconcile import compare_findings
    from obec_audit.schema import FINDING_COLUMNS

    fresh = pd.DataFrame({c: pd.Series(dtype="string") for c in FINDING_COLUMNS})
    fresh.loc[0] = ["id-missing", "error", "57010001", "f.xlsx", "", 3, pd.NA, "national_id", "", pd.NA,
                    "m", "students", "ด.ช.ก ข"]
    fresh["source_row"] = fresh["source_row"].astype("Int64")
    fresh.to_csv(tmp_path / "findings.csv", index=False, encoding="utf-8-sig")
    back = pd.read_csv(tmp_path / "findings.csv", dtype=str, encoding="utf-8-sig")
    out = compare_findings(back, fresh)
    assert out["status"].tolist() == ["open"]
