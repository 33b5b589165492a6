"""dashboard_data: per-school aggregates, round ordering, privacy of every output."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from obec_audit import dashboard_data as dd
from obec_audit import reference
from obec_audit.schema import GRADE_ORDER

ID13 = re.compile(r"(?<!\d)\d(?:[ -]?\d){12}(?!\d)")


def _all_text(obj) -> str:
    if isinstance(obj, pd.DataFrame):
        return "|".join(map(str, obj.columns)) + "|" + obj.astype(str).to_csv(index=False)
    if isinstance(obj, dict):
        return "|".join(f"{k}={v}" for k, v in obj.items())
    return str(obj)


@pytest.fixture(scope="module")
def rounds(rounds_root):
    return dd.list_rounds(rounds_root)


@pytest.fixture(scope="module")
def rd(rounds):
    return dd.load_round(rounds[-1])


def test_rounds_ordered_by_round_json(rounds):
    assert [r.phase for r in rounds] == ["round1", "round2", "semester2"]
    assert rounds[0].as_of == dt.date(2026, 6, 10)
    assert "10 มิ.ย. 2569" in rounds[0].label


def test_single_round_folder_is_its_own_root(rounds):
    only = dd.list_rounds(rounds[1].path)
    assert [r.key for r in only] == [rounds[1].key]


def test_rounds_root_env_then_missing(monkeypatch, rounds_root, tmp_path):
    monkeypatch.setenv(dd.ROUNDS_ENV, str(rounds_root))
    assert dd.rounds_root().path == rounds_root.resolve()
    assert dd.rounds_root().source == "env"
    monkeypatch.setenv(dd.ROUNDS_ENV, str(tmp_path / "nowhere"))
    choice = dd.rounds_root()
    assert choice.path is None and choice.message_th


def test_headline_matches_raw_files(rd, rounds):
    raw_st = pd.read_csv(rounds[-1].path / "students.csv", dtype=str, encoding="utf-8-sig")
    raw_f = pd.read_csv(rounds[-1].path / "findings.csv", dtype=str, encoding="utf-8-sig")
    h = dd.headline(rd)
    assert h["students"] == len(raw_st)
    err = raw_f[raw_f["severity"] == "error"]
    assert h["errors"] == len(err)
    assert h["schools_with_errors"] == err["school_code"].nunique()
    # every school of the area's registry, also those that sent nothing
    assert h["schools"] == len(reference.schools("5701")) == 104
    assert h["schools_with_data"] == 11  # the fixture's 12 schools, one sent nothing


def test_school_table_every_school_and_bands(rd):
    t = dd.school_table(rd)
    assert t["school_code"].is_unique and len(t) == 104
    empty = t[t["students"] == 0]
    assert len(empty) == 104 - 11 and set(empty["band"]) == {"none"}
    assert set(t["band"]) <= {"red", "amber", "green", "none"}
    assert t["errors"].sum() == dd.headline(rd)["errors"]
    assert {"pct_weight", "pct_height", "err_field-missing"} <= set(t.columns)
    assert (t.loc[t.students > 0, "percent_complete"].between(0, 100)).all()


def test_completeness_band_edges():
    assert dd.completeness_band(89.99) == "red"
    assert dd.completeness_band(90.0) == "amber"
    assert dd.completeness_band(99.99) == "amber"
    assert dd.completeness_band(100.0) == "green"


def test_certification_uses_ledger(tmp_path, rd, monkeypatch):
    ledger = pytest.importorskip("obec_audit.ledger")
    folder = tmp_path / "ledger"
    led = ledger.CertificationLedger(folder)
    codes = rd.schools["school_code"].tolist()
    led.mark_received(codes[0], "semester2", dt.date(2026, 11, 15), "เจ้าหน้าที่", today=dt.date(2026, 11, 28))
    led.mark_received(codes[1], "semester2", dt.date(2026, 11, 25), "เจ้าหน้าที่", today=dt.date(2026, 11, 28))
    monkeypatch.setenv(dd.LEDGER_ENV, str(folder))
    st = dd.certification_status(rd, dt.date(2026, 11, 28)).set_index("school_code")["status"]
    assert st[codes[0]] == "certified" and st[codes[1]] == "late"
    assert (st.drop(codes[:2]) == "overdue").all()
    summary, chase = dd.certification(rd, dt.date(2026, 11, 28))
    assert summary["n_certified"] == 1 and summary["n_late"] == 1
    assert summary["n_overdue"] == len(codes) - 2
    assert summary["deadline"] == dt.date(2026, 11, 20) and summary["days_left"] == -8
    assert set(chase["school_code"]) == set(codes[2:])
    # before the deadline nobody is overdue yet
    st2 = dd.certification_status(rd, dt.date(2026, 11, 12))
    assert "overdue" not in set(st2["status"])


def test_grade_sex_compare_and_trend(rounds):
    cur, prev = dd.load_round(rounds[-1]), dd.load_round(rounds[-2])
    c = dd.grade_sex_compare(cur, prev)
    assert c["total"].sum() == cur.students["sex"].isin(["M", "F"]).sum()
    assert c["prev_total"].sum() == prev.students["sex"].isin(["M", "F"]).sum()
    assert list(c["grade"]) == sorted(c["grade"], key=lambda g: GRADE_ORDER[g])
    t = dd.id_quality_trend(rounds)
    assert list(t["round"]) == [r.key for r in rounds]
    raw = pd.read_csv(rounds[0].path / "findings.csv", dtype=str, encoding="utf-8-sig")
    assert t["invalid_id"].iloc[0] == raw["check"].isin(["id-checksum", "id-format", "id-missing"]).sum()


def test_every_output_is_free_of_ids_and_names(rounds, rd):
    """No identifying column, no 13-digit string, no student name in any aggregate."""
    st = pd.read_csv(rounds[-1].path / "students.csv", dtype=str, encoding="utf-8-sig")
    names = set(st["last_name"]) | set(st["first_name"] + " " + st["last_name"])
    summary, chase = dd.certification(rd, dt.date(2026, 11, 28))
    outputs = [dd.school_table(rd), dd.field_completeness(rd), dd.errors_by_check(rd),
               dd.headline(rd), summary, chase, dd.grade_sex(rd),
               dd.grade_sex_compare(rd, dd.load_round(rounds[0])), dd.id_quality_trend(rounds)]
    for out in outputs:
        if isinstance(out, pd.DataFrame):
            assert not dd.FORBIDDEN_COLUMNS & set(map(str, out.columns))
        text = _all_text(out)
        assert not ID13.search(text), text[:200]
        assert not any(n in text for n in names)
    # the loaded round itself never holds IDs or names
    for frame in (rd.students, rd.findings):
        assert not {"national_id", "first_name", "last_name", "student_name", "value",
                    "message"} & set(frame.columns)


def test_guard_rejects_leaks():
    with pytest.raises(dd.PrivacyError):
        dd.assert_aggregate_safe(pd.DataFrame({"national_id": ["x"]}))
    with pytest.raises(dd.PrivacyError):
        dd.assert_aggregate_safe(pd.DataFrame({"note": ["เลข 1-1017-00230-70-8"]}))
    with pytest.raises(dd.PrivacyError):
        dd.assert_aggregate_safe(pd.DataFrame({"note": ["G644200000001"]}))
    dd.assert_aggregate_safe(pd.DataFrame({"school_code": ["57010001", "57010002"], "n": [1, 2]}))


def test_broken_files_do_not_crash(tmp_path):
    r = tmp_path / "round1-2026-06-10"
    r.mkdir()
    (r / "findings.csv").write_text("garbage\x00,,\n", encoding="utf-8")
    (r / "round.json").write_text("{not json", encoding="utf-8")
    rounds = dd.list_rounds(tmp_path)
    assert rounds[0].phase == "round1" and rounds[0].as_of == dt.date(2026, 6, 10)
    rd = dd.load_round(rounds[0])
    assert dd.headline(rd)["students"] == 0
    dd.school_table(rd)
