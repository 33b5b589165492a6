"""Round-over-round comparison of findings (``checks.compare``)."""

import pandas as pd

from obec_audit.checks import reconcile
from obec_audit.checks.compare import compare_by_school, compare_findings

A, B = "57010001", "57010002"
P = ["1101700230708", "1101700230716", "1101700230724", "1101700230732", "1101700230741"]


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
    cmp = compare_findings(before, after)
    st = {(r.check, r.field, r.national_id): r.status for r in cmp.itertuples()}
    assert st[("id-checksum", "national_id", P[1])] == "fixed"
    assert st[("field-missing", "weight", P[2])] == "open"
    assert st[("field-missing", "height", P[2])] == "fixed"
    assert st[("sex-title", "sex", P[4])] == "new"
    assert cmp.loc[cmp["check"].eq("count-drop"), "status"].tolist() == ["open"]
    assert sorted(cmp.loc[cmp["check"].eq("dup-id-school"), "status"]) == ["fixed", "open"]
    assert cmp.loc[cmp["status"].eq("open") & cmp["check"].eq("field-missing"), "source_row"].tolist() == [9]
    by = compare_by_school(before, after).set_index("school_code")
    assert by.loc[A, ["fixed", "open", "new"]].tolist() == [2, 1, 1]
    assert by.loc[B, ["fixed", "open", "new"]].tolist() == [1, 2, 0]
    assert by.loc[A, "before"] == 3 and by.loc[A, "after"] == 2


def test_compare_findings_empty_rounds():
    from obec_audit.schema import empty_findings

    assert len(compare_findings(empty_findings(), empty_findings())) == 0
    assert len(compare_by_school(empty_findings(), empty_findings())) == 0
    after = pd.DataFrame([_finding("id-missing", A, "", 2, "national_id")])
    cmp = compare_findings(empty_findings(), after)
    assert cmp["status"].tolist() == ["new"]


def test_compare_findings_accepts_a_round_read_back_from_csv(tmp_path):
    from obec_audit.schema import FINDING_COLUMNS

    fresh = pd.DataFrame({c: pd.Series(dtype="string") for c in FINDING_COLUMNS})
    row = {"check": "id-missing", "severity": "error", "school_code": "57010001", "source_file": "f.xlsx",
           "source_sheet": "", "source_row": 3, "national_id": pd.NA, "field": "national_id", "value": "",
           "group": pd.NA, "message": "m", "dataset": "students", "student_name": "ด.ช.ก ข"}
    fresh.loc[0] = [row[c] for c in FINDING_COLUMNS]
    fresh["source_row"] = fresh["source_row"].astype("Int64")
    fresh.to_csv(tmp_path / "findings.csv", index=False, encoding="utf-8-sig")
    back = pd.read_csv(tmp_path / "findings.csv", dtype=str, encoding="utf-8-sig")
    out = compare_findings(back, fresh)
    assert out["status"].tolist() == ["open"]


def test_old_import_path_still_works():
    assert reconcile.compare_findings is compare_findings
