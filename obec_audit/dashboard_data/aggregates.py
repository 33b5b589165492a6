"""The dashboards' per-school aggregates of one round (or of a series of rounds): counts
and percentages only, each checked by the privacy guard on its way out."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from obec_audit.dashboard_data.certification import certification_status, phase_deadline
from obec_audit.dashboard_data.guard import safe
from obec_audit.dashboard_data.labels import (
    CHASE_STATUSES,
    ID_TREND_CHECKS,
    STATUS_TH,
    completeness_band,
    size_band,
    thai_date,
)
from obec_audit.dashboard_data.rounds import RoundData, RoundInfo, load_round, today
from obec_audit.schema import GRADE_ORDER, GRADES, REQUIRED_FIELDS

__all__ = ["headline", "field_completeness", "errors_by_check", "school_table", "certification",
           "grade_sex", "grade_sex_compare", "id_quality_trend"]


def _error_findings(rd: RoundData) -> pd.DataFrame:
    f = rd.findings
    return f[f["severity"].eq("error")]


def headline(rd: RoundData) -> dict:
    """The area's figures: schools, schools with data, students, schools with open errors,
    errors, warnings, overall percent complete."""
    err = _error_findings(rd)
    sc = rd.school_completeness
    cells, miss = int(sc["cells"].sum()), int(sc["missing_cells"].sum())
    codes = set(rd.schools["school_code"])
    out = {
        "schools": len(codes),
        "schools_with_data": int(rd.students.loc[rd.students["school_code"].ne(""),
                                                 "school_code"].nunique()),
        "students": int(len(rd.students)),
        "schools_with_errors": int(err.loc[err["school_code"].ne(""), "school_code"].nunique()),
        "errors": int(len(err)),
        "warnings": int(rd.findings["severity"].eq("warning").sum()),
        "percent_complete": round(100.0 * (cells - miss) / cells, 1) if cells else None,
    }
    return safe(out, "headline")


def _majority_district(students: pd.DataFrame) -> pd.Series:
    st = students[students["district"].ne("") & students["school_code"].ne("")]
    if st.empty:
        return pd.Series(dtype="object")
    counts = st.groupby(["school_code", "district"]).size().reset_index(name="n")
    counts = counts.sort_values(["school_code", "n", "district"], ascending=[True, False, True])
    return counts.drop_duplicates("school_code").set_index("school_code")["district"]


def field_completeness(rd: RoundData) -> pd.DataFrame:
    """Wide: one row per school, one column ``pct_<field>`` per required field (percent
    complete, NaN when the field applies to no row of the school)."""
    c = rd.completeness
    c = c[c["field"].isin(["national_id", *REQUIRED_FIELDS])]
    if c.empty:
        return safe(pd.DataFrame(index=pd.Index([], name="school_code")), "field_completeness")
    g = c.groupby(["school_code", "field"])[["rows", "missing"]].sum()
    pct = (100.0 * (g["rows"] - g["missing"]) / g["rows"].replace(0, np.nan)).round(1)
    wide = pct.unstack("field")
    order = [f for f in ["national_id", *REQUIRED_FIELDS] if f in wide.columns]
    wide = wide[order]
    wide.columns = [f"pct_{f}" for f in order]
    return safe(wide, "field_completeness")


def errors_by_check(rd: RoundData, severity: str = "error") -> pd.DataFrame:
    """Wide: one row per school, one column per check code: number of findings."""
    f = rd.findings
    f = f[f["severity"].eq(severity) & f["school_code"].ne("")]
    if f.empty:
        return safe(pd.DataFrame(index=pd.Index([], name="school_code")), "errors_by_check")
    wide = f.groupby(["school_code", "check"]).size().unstack("check", fill_value=0)
    return safe(wide.astype("int64"), "errors_by_check")


def school_table(rd: RoundData, status: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per school of the area: the main dashboard's table.

    Columns: school_code, school_name, level_type, district, students, size, percent_complete,
    band, fields_complete, fields_total, errors, warnings, err_<check>…, pct_<field>…, status,
    status_th. ``status``: a frame school_code → status (certified/late/not_yet/unknown);
    default: ``certification_status(rd)``.
    """
    t = rd.schools[["school_code", "school_name", "level_type"]].copy()
    t["district"] = t["school_code"].map(_majority_district(rd.students)).fillna("")
    counts = rd.students.loc[rd.students["school_code"].ne(""), "school_code"].value_counts()
    t["students"] = t["school_code"].map(counts).fillna(0).astype("int64")
    t["size"] = t["students"].map(size_band)
    sc = rd.school_completeness.set_index("school_code")
    cells = t["school_code"].map(sc["cells"]).fillna(0)
    miss = t["school_code"].map(sc["missing_cells"]).fillna(0)
    t["percent_complete"] = (100.0 * (cells - miss) / cells.replace(0, np.nan)).round(1)
    t["band"] = t["percent_complete"].map(completeness_band)
    fc = field_completeness(rd)
    if len(fc.columns):
        full = fc.ge(100).sum(axis=1)
        total = fc.notna().sum(axis=1)
        t["fields_complete"] = t["school_code"].map(full).fillna(0).astype("int64")
        t["fields_total"] = t["school_code"].map(total).fillna(0).astype("int64")
    else:
        t["fields_complete"] = 0
        t["fields_total"] = 0
    eb = errors_by_check(rd)
    t["errors"] = t["school_code"].map(eb.sum(axis=1) if len(eb.columns) else {}).fillna(0).astype("int64")
    warn = rd.findings[rd.findings["severity"].eq("warning")]["school_code"].value_counts()
    t["warnings"] = t["school_code"].map(warn).fillna(0).astype("int64")
    for check in eb.columns:
        t[f"err_{check}"] = t["school_code"].map(eb[check]).fillna(0).astype("int64")
    for f in fc.columns:
        t[f] = t["school_code"].map(fc[f])
    if status is None:
        status = certification_status(rd)
    st = status.set_index("school_code")["status"] if len(status) else pd.Series(dtype=object)
    t["status"] = t["school_code"].map(st).fillna("unknown")
    if "days_late" in status.columns and len(status):
        t["days_late"] = t["school_code"].map(status.set_index("school_code")["days_late"]) \
            .fillna(0).astype("int64")
    else:
        t["days_late"] = 0
    t["status_th"] = t["status"].map(STATUS_TH).fillna(STATUS_TH["unknown"])
    t = t.sort_values(["percent_complete", "school_code"], na_position="first").reset_index(drop=True)
    return safe(t, "school_table")


def certification(rd: RoundData, today_: dt.date | None = None,
                  table: pd.DataFrame | None = None) -> tuple[dict, pd.DataFrame]:
    """(summary, chase list). Summary: phase, deadline, days left, counts by status. The
    chase list: schools not certified (late first, then most errors), aggregates only."""
    today_ = today_ or today()
    t = table if table is not None else school_table(rd, certification_status(rd, today_))
    summary = phase_deadline(rd, today_)
    counts = t["status"].value_counts()
    for s in STATUS_TH:
        summary[f"n_{s}"] = int(counts.get(s, 0))
    summary["n_schools"] = int(len(t))
    chase = t[t["status"].isin(CHASE_STATUSES)].copy()
    chase["_o"] = chase["status"].map({s: i for i, s in enumerate(CHASE_STATUSES)})
    chase = chase.sort_values(["_o", "errors", "percent_complete", "school_code"],
                              ascending=[True, False, True, True])
    cols = ["school_code", "school_name", "district", "students", "percent_complete", "errors",
            "status", "status_th", "days_late"]
    chase = chase[cols].reset_index(drop=True)
    return safe(summary, "certification"), safe(chase, "chase list")


def grade_sex(rd: RoundData) -> pd.DataFrame:
    """Students by grade × sex (long: grade, sex, sex_th, students), grades in order."""
    st = rd.students
    st = st[st["grade"].isin(GRADES)]
    g = st.assign(sex=st["sex"].where(st["sex"].isin(["M", "F"]), "?")).groupby(
        ["grade", "sex"]).size().reset_index(name="students")
    g["sex_th"] = g["sex"].map({"M": "ชาย", "F": "หญิง"}).fillna("ไม่ระบุ")
    g["_o"] = g["grade"].map(GRADE_ORDER)
    g = g.sort_values(["_o", "sex"]).drop(columns="_o").reset_index(drop=True)
    return safe(g, "grade_sex")


def grade_sex_compare(current: RoundData, previous: RoundData | None) -> pd.DataFrame:
    """Wide: one row per grade: male/female/total this round and the previous one, change."""
    def wide(rd):
        if rd is None:
            return pd.DataFrame(columns=["M", "F"])
        g = grade_sex(rd).pivot_table(index="grade", columns="sex", values="students",
                                      aggfunc="sum", fill_value=0)
        return g.reindex(columns=["M", "F"], fill_value=0)

    cur, prev = wide(current), wide(previous)
    grades = sorted(set(cur.index) | set(prev.index), key=lambda g: GRADE_ORDER.get(g, 99))
    out = pd.DataFrame({"grade": grades})
    out["male"] = out["grade"].map(cur["M"]).fillna(0).astype("int64")
    out["female"] = out["grade"].map(cur["F"]).fillna(0).astype("int64")
    out["total"] = out["male"] + out["female"]
    if previous is not None:
        out["prev_male"] = out["grade"].map(prev["M"]).fillna(0).astype("int64")
        out["prev_female"] = out["grade"].map(prev["F"]).fillna(0).astype("int64")
        out["prev_total"] = out["prev_male"] + out["prev_female"]
        out["change"] = out["total"] - out["prev_total"]
    return safe(out, "grade_sex_compare")


def id_quality_trend(rounds: list[RoundInfo]) -> pd.DataFrame:
    """One row per round (oldest first): students involved in duplicates (per kind), invalid
    or missing IDs, G-codes; and the number of duplicate sets."""
    rows = []
    for r in rounds:
        rd = load_round(r)
        f = rd.findings
        row = {"round": r.key, "label": r.label, "as_of_th": thai_date(r.as_of),
               "students": len(rd.students)}
        for k, checks in ID_TREND_CHECKS.items():
            row[k] = int(f["check"].isin(checks).sum())
        dups = f[f["check"].isin(["dup-id-school", "dup-id-area", "dup-person"])]
        row["dup_sets"] = int(dups.loc[dups["group"].ne(""), "group"].nunique())
        rows.append(row)
    cols = ["round", "label", "as_of_th", "students", *ID_TREND_CHECKS, "dup_sets"]
    return safe(pd.DataFrame(rows, columns=cols), "id_quality_trend")
