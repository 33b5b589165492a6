"""Seeded errors (incidents) and the findings computed from the ground truth.

An *incident* is one seeded error: field changes on records (``mods``), extra records
(``adds``: duplicates), and the findings the rows deserve (``tags``). Findings that follow
mechanically from the canonical values (every ID code, same-ID duplicates, the census-to-census
reconciliation, class counts) are computed from the ground truth instead, so an accidental
coincidence can never be missing from ``errors.csv``.

Semantics of the computed findings (documented in the area's README):

- ``id-*``: from ``obec_audit.ids.classify_series`` of the canonical ID: missing → id-missing,
  checksum → id-checksum, other invalid → id-format, G-code → id-gcode.
- ``dup-id-school`` / ``dup-id-area``: among valid IDs (pin, pin-0, G-code) only.
- reconciliation: rows are paired by ID (valid, or any 13 digits), same school first; rows left
  over are paired by first name + last name + birth date (unique both sides). A previous row
  left unpaired and without a discharge record is ``left-unexplained``; a pair in two schools is
  ``moved-school``; a G-code paired by name with a 13-digit ID is ``id-changed``; a lower grade
  is ``grade-down``; an ID in ≥ 2 schools in both censuses is ``dup-persisting``; a school's
  count falling by > 20 % and ≥ 10 is ``count-drop``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from obec_audit.ids import classify_series
from obec_audit.schema import GRADE_ORDER

ERROR_COLUMNS = ["dataset", "phase", "round", "previous", "census", "source_file", "source_row",
                 "school_code", "check", "field", "group", "national_id", "note"]


@dataclass
class Incident:
    kind: str
    mods: list = field(default_factory=list)  # (rid, column, value)
    adds: pd.DataFrame | None = None  # enrolment rows
    tags: list = field(default_factory=list)  # (rid, check, field)
    group: str = ""
    pids: set = field(default_factory=set)
    since: int = 0  # census index it appeared in
    id_related: bool = False


def apply_incidents(frame: pd.DataFrame, incidents: list[Incident]) -> tuple[pd.DataFrame, list]:
    """Apply mods (frame indexed by rid) and collect tags of the incidents whose rows exist."""
    tags = []
    present = set(frame.index)
    cols = {c: frame[c].to_numpy(dtype=object).copy() for c in frame.columns}
    pos = pd.Series(np.arange(len(frame)), index=frame.index)
    for inc in incidents:
        rids = {m[0] for m in inc.mods} | {t[0] for t in inc.tags}
        if not rids <= present:
            continue
        for rid, col, val in inc.mods:
            cols[col][pos[rid]] = val
        for rid, check, fld in inc.tags:
            tags.append((rid, check, fld, inc.group))
    frame = pd.DataFrame({c: v for c, v in cols.items()}, index=frame.index)
    return frame, tags


# ------------------------------------------------------------------------------ computed
def id_findings(truth: pd.DataFrame) -> pd.DataFrame:
    """ID codes and same-ID duplicates from the canonical IDs of one census's rows."""
    out = []
    t = truth
    code = t["id_type"].map({"missing": "id-missing", "gcode": "id-gcode"})
    code = code.where(code.notna(), np.where(t["id_reason"].eq("checksum"), "id-checksum",
                                             np.where(t["id_type"].eq("invalid"), "id-format", None)))
    m = code.notna()
    out.append(t[m].assign(check=code[m], field="national_id", group=""))
    valid = t[t["id_type"].isin(["pin", "pin-0", "gcode"])]
    per = valid.groupby("national_id")["school_code"].agg(["size", "nunique"])
    area_ids = set(per.index[per["nunique"] >= 2])
    sc = valid.groupby(["national_id", "school_code"]).size()
    sch_keys = set(sc.index[sc >= 2])
    key = list(zip(valid["national_id"], valid["school_code"]))
    ms = np.array([k in sch_keys for k in key], dtype=bool)
    out.append(valid[ms].assign(check="dup-id-school", field="national_id",
                                group="dup-id-school:" + valid.loc[ms, "national_id"]))
    ma = valid["national_id"].isin(area_ids)
    out.append(valid[ma].assign(check="dup-id-area", field="national_id",
                                group="dup-id-area:" + valid.loc[ma, "national_id"]))
    return pd.concat(out, ignore_index=True)


def _norm_name(s: pd.Series) -> pd.Series:
    s = s.fillna("").astype(str).str.replace(r"\s+", "", regex=True)
    s = s.str.replace(r"^(ด\.ช\.|ด\.ญ\.|เด็กชาย|เด็กหญิง|นาย|นางสาว|น\.ส\.)", "", regex=True)
    return s.str.replace("\u0e4d\u0e32", "\u0e33", regex=False)


def _pair(P: pd.DataFrame, C: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    P = P.assign(_k=P.groupby(on, sort=False).cumcount())
    C = C.assign(_k=C.groupby(on, sort=False).cumcount())
    return P[on + ["_k", "pos"]].merge(C[on + ["_k", "pos"]], on=on + ["_k"], suffixes=("_p", "_c"))


def reconcile_findings(prev: pd.DataFrame, cur: pd.DataFrame, discharges: pd.DataFrame,
                       as_of: dt.date) -> pd.DataFrame:
    """The reconciliation findings (rows of ``prev`` for left-unexplained, of ``cur`` otherwise,
    school-level rows for count-drop) for two censuses' truth rows."""
    P = prev.reset_index(drop=True).copy()
    C = cur.reset_index(drop=True).copy()
    for df in (P, C):
        ok = df["id_type"].isin(["pin", "pin-0", "gcode"]) | df["national_id"].str.fullmatch(r"\d{13}")
        df["idkey"] = df["national_id"].where(ok & df["national_id"].ne(""))
        df["pos"] = np.arange(len(df))
        df["namekey"] = (_norm_name(df["first_name"]) + "|" + _norm_name(df["last_name"]) + "|"
                         + df["birth_date"].fillna(""))
        bad = df["first_name"].fillna("").eq("") | df["last_name"].fillna("").eq("") | df["birth_date"].fillna("").eq("")
        df.loc[bad, "namekey"] = None
    Pi = P[P["idkey"].notna()].rename(columns={"school_code": "sc"})
    Ci = C[C["idkey"].notna()].rename(columns={"school_code": "sc"})
    m1 = _pair(Pi, Ci, ["idkey", "sc"])
    up = np.zeros(len(P), bool)
    uc = np.zeros(len(C), bool)
    up[m1["pos_p"]] = True
    uc[m1["pos_c"]] = True
    m2 = _pair(Pi[~up[Pi["pos"]]], Ci[~uc[Ci["pos"]]], ["idkey"])
    up[m2["pos_p"]] = True
    uc[m2["pos_c"]] = True
    # dup removed / added: the ID is still present on the other side
    cur_ids = set(Ci["idkey"])
    prev_ids = set(Pi["idkey"])
    up |= P["idkey"].isin(cur_ids).to_numpy() & P["idkey"].notna().to_numpy()
    uc |= C["idkey"].isin(prev_ids).to_numpy() & C["idkey"].notna().to_numpy()
    # name pairs among the rest, unique on both sides
    Pr = P[~up & P["namekey"].notna()]
    Cr = C[~uc & C["namekey"].notna()]
    Pr = Pr[~Pr["namekey"].duplicated(keep=False)]
    Cr = Cr[~Cr["namekey"].duplicated(keep=False)]
    m3 = Pr[["namekey", "pos"]].merge(Cr[["namekey", "pos"]], on="namekey", suffixes=("_p", "_c"))
    up[m3["pos_p"]] = True
    uc[m3["pos_c"]] = True
    pairs = pd.concat([m1[["pos_p", "pos_c"]], m2[["pos_p", "pos_c"]], m3[["pos_p", "pos_c"]]],
                      ignore_index=True)
    pairs["how"] = ["id"] * (len(m1) + len(m2)) + ["name"] * len(m3)
    ps = P.loc[pairs["pos_p"]].reset_index(drop=True)
    cs = C.loc[pairs["pos_c"]].reset_index(drop=True)
    out = []
    moved = ps["school_code"].to_numpy() != cs["school_code"].to_numpy()
    out.append(cs[moved].assign(check="moved-school", field="school_code",
                                group="moved:" + cs.loc[moved, "national_id"]))
    g2p = (pairs["how"].eq("name") & ps["id_type"].eq("gcode") & cs["id_type"].isin(["pin", "pin-0"])).to_numpy()
    out.append(cs[g2p].assign(check="id-changed", field="national_id",
                              group="id-changed:" + cs.loc[g2p, "national_id"]))
    po = ps["grade"].map(GRADE_ORDER)
    co = cs["grade"].map(GRADE_ORDER)
    gd = (co < po).fillna(False).to_numpy()
    out.append(cs[gd].assign(check="grade-down", field="grade", group="grade-down:" + cs.loc[gd, "national_id"]))
    # left: previous rows not paired; discharge records by ID, else by school + name
    left = P[~up]
    dis = discharges
    if len(dis):
        by_id = set(dis["national_id"])
        by_name = set(dis["school_code"] + "|" + _norm_name(dis["first_name"]) + "|" + _norm_name(dis["last_name"]))
    else:
        by_id, by_name = set(), set()
    explained = left["national_id"].isin(by_id) | (
        left["school_code"] + "|" + _norm_name(left["first_name"]) + "|" + _norm_name(left["last_name"])).isin(by_name)
    lu = left[~explained]
    out.append(lu.assign(check="left-unexplained", field="", group="left:" + lu["national_id"]))
    # dead reappears
    if len(dis):
        dd = pd.to_datetime(dis["discharge_date"], errors="coerce")
        died = set(dis.loc[dis["reason"].eq("เสียชีวิต") & (dd.isna() | (dd <= pd.Timestamp(as_of))), "national_id"])
    else:
        died = set()
    dr = C["national_id"].isin(died)
    conv = pd.Series(False, index=C.index)
    conv.loc[cs.loc[ps["national_id"].isin(died).to_numpy() & (ps["national_id"] != cs["national_id"]).to_numpy(), "pos"]] = True
    dr = dr | conv
    out.append(C[dr].assign(check="dead-reappears", field="national_id", group="dead:" + C.loc[dr, "national_id"]))

    # dup-persisting
    def multi(df):
        k = df[df["idkey"].notna()][["idkey", "school_code"]].drop_duplicates()
        n = k.groupby("idkey").size()
        return set(n[n >= 2].index)

    ids = multi(P) & multi(C)
    dp = C["idkey"].isin(ids)
    out.append(C[dp].assign(check="dup-persisting", field="national_id", group="dup-persisting:" + C.loc[dp, "idkey"]))
    res = pd.concat(out, ignore_index=True)
    res["row_of"] = np.where(res["check"].eq("left-unexplained"), "previous", "current")
    # count drop, school level
    before = P["school_code"].value_counts()
    after = C["school_code"].value_counts()
    t = pd.DataFrame({"before": before, "after": after}).fillna(0).astype(int)
    t = t[(t["before"] - t["after"] >= 10) & (t["after"] < 0.8 * t["before"])]
    if len(t):
        cd = pd.DataFrame({"school_code": t.index.astype(str), "check": "count-drop", "field": "",
                           "group": "", "row_of": "school", "census": "", "source_file": "",
                           "source_row": pd.NA, "national_id": ""})
        res = pd.concat([res, cd], ignore_index=True)
    return res
