"""Comparing the findings of two rounds of the same census (round 1 → round 2): which were
fixed, which are still open, which are new; per finding and per school. The workbook's
"what changed since last round" view; not a check (it registers nothing).

A finding keeps its identity across a new export (row numbers shift): check + school + field
+ national ID, else the student's name, else the value for school-level findings, else
file:row (``_finding_keys``).
"""

from __future__ import annotations

import pandas as pd

from obec_audit.checks._common import col_str as _s

__all__ = ["STATUS_TH", "compare_findings", "compare_by_school"]

STATUS_TH = {"fixed": "แก้ไขแล้ว", "open": "ยังไม่แก้ไข", "new": "พบใหม่"}


def _finding_keys(f: pd.DataFrame) -> pd.DataFrame:
    """A key per finding that survives a new export (row numbers shift between rounds):
    check + school + field + (national ID, else the name, else the value for school-level
    findings, else file:row), numbered when the same key occurs more than once."""
    f = f.reset_index(drop=True)
    nid = _s(f, "national_id").fillna("").str.strip()
    name = _s(f, "student_name").fillna("").str.strip()
    value = _s(f, "value").fillna("")
    row = _s(f, "source_row").fillna("")
    ident = ("id:" + nid).where(nid.ne(""), ("name:" + name).where(name.ne("")))
    ident = ident.fillna(("value:" + value).where(row.eq("")))
    ident = ident.fillna("row:" + _s(f, "source_file").fillna("") + ":" + row + ":" + value)
    base = (_s(f, "check").fillna("") + "|" + _s(f, "school_code").fillna("") + "|"
            + _s(f, "field").fillna("") + "|" + ident)
    n = base.groupby(base, sort=False).cumcount().astype(str)
    return f.assign(key=(base + "#" + n).to_numpy())


def compare_findings(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Round-over-round: one row per finding key with ``status`` fixed (in ``before`` only),
    open (in both: still open) or new (in ``after`` only), plus ``status_th``.

    Columns: key, status, status_th, check, severity, school_code, national_id, field,
    value_before, value_after, source_file, source_row (the later round's where open),
    message."""
    cols = ["check", "severity", "school_code", "national_id", "field", "value", "source_file",
            "source_row", "message"]
    b = _finding_keys(before if before is not None else pd.DataFrame(columns=cols))
    a = _finding_keys(after if after is not None else pd.DataFrame(columns=cols))
    # a round read back from findings.csv holds text where a fresh one holds Int64
    b = b.reindex(columns=cols + ["key"]).astype("string")
    a = a.reindex(columns=cols + ["key"]).astype("string")
    m = b.merge(a, on="key", how="outer", suffixes=("_b", "_a"), indicator=True)
    status = m["_merge"].map({"left_only": "fixed", "both": "open", "right_only": "new"}).astype("string")
    out = pd.DataFrame({"key": m["key"].astype("string"), "status": status,
                        "status_th": status.map(STATUS_TH).astype("string")})
    for c in ("check", "severity", "school_code", "national_id", "field", "source_file",
              "source_row", "message"):
        out[c] = m[f"{c}_a"].where(m["_merge"].ne("left_only"), m[f"{c}_b"])
    out["value_before"] = m["value_b"].astype("string")
    out["value_after"] = m["value_a"].astype("string")
    for c in out.columns:
        if c == "source_row":
            out[c] = pd.to_numeric(out[c], errors="coerce").astype("Int64")
        else:
            out[c] = out[c].astype("string")
    order = out["status"].map({"new": 0, "open": 1, "fixed": 2})
    return (out.assign(_o=order).sort_values(["school_code", "_o", "check", "key"], kind="stable")
            .drop(columns="_o").reset_index(drop=True))


def compare_by_school(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Per school: fixed, open, new (counts of ``compare_findings``), before and after
    totals. One row per school that has a finding in either round."""
    cmp = compare_findings(before, after)
    if len(cmp) == 0:
        return pd.DataFrame(columns=["school_code", "fixed", "open", "new", "before", "after"])
    t = pd.crosstab(cmp["school_code"].fillna(""), cmp["status"])
    t = t.reindex(columns=["fixed", "open", "new"], fill_value=0)
    t["before"] = t["fixed"] + t["open"]
    t["after"] = t["open"] + t["new"]
    t = t.reset_index().rename(columns={"index": "school_code"})
    t.columns.name = None
    t["school_code"] = t["school_code"].astype("string")
    return t[["school_code", "fixed", "open", "new", "before", "after"]]
