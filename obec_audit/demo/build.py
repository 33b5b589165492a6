"""Assemble the demo area: censuses → files → ground truth (students_truth, errors, traps)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from obec_audit.demo import other, writers
from obec_audit.demo.area import Runner
from obec_audit.demo.errors import ERROR_COLUMNS, id_findings, reconcile_findings
from obec_audit.demo.render import write_census
from obec_audit.demo.readme import README

TRUTH_COLUMNS = ["census", "source_file", "source_sheet", "source_row", "school_code", "national_id", "id_type",
                 "birth_date", "sex", "grade", "title", "first_name", "last_name", "room", "layout", "format"]


def _rows(df: pd.DataFrame, **kw) -> pd.DataFrame:
    d = df.copy()
    for k, v in kw.items():
        d[k] = v
    for c in ERROR_COLUMNS:
        if c not in d.columns:
            d[c] = ""
    return d[ERROR_COLUMNS]


def build_area(out: Path, seed: int, year: int, progress=None, n_schools: int | None = None) -> None:
    total_steps = 12
    step = [0]

    def tick(label):
        step[0] += 1
        if progress:
            progress(min(step[0], total_steps), total_steps, label)

    runner = Runner(seed, year, n_schools=n_schools)
    area = runner.run(progress=lambda k: tick(f"census {k}"))
    rng = np.random.default_rng(seed + 1)
    names = dict(zip(area.schools["smis8"], area.schools["school_name"]))
    cens = area.cens
    phase_of = {c.key: c.phase for c in cens}
    errs = []
    truths = {}
    traps = []
    files_meta = []
    for c in cens:
        T, fm = write_census(area.frames[c.key], c, area.specs, names, out / "students" / c.key, area.unreadable,
                             rng, year)
        truths[c.key] = T
        files_meta += fm
        for f in fm:
            if f["status"] == "unreadable":
                errs.append(pd.DataFrame([{"dataset": "files", "phase": c.phase, "round": c.key, "census": c.key,
                                           "source_file": f["source_file"], "school_code": f["school_code"],
                                           "check": "file-unreadable", "source_row": None}]))
        # ID codes and same-ID duplicates
        errs.append(_rows(id_findings(T), dataset="students", phase=c.phase, round=c.key))
        # tagged incidents
        tg = pd.DataFrame(area.tags[c.key], columns=["rid", "check", "field", "group"])
        m = T[["rid", "census", "source_file", "source_row", "school_code", "national_id"]].merge(tg, on="rid")
        errs.append(_rows(m, dataset="students", phase=c.phase, round=c.key))
        tick(f"files {c.key}")
        # traps
        valid = T["id_type"].isin(["pin", "pin-0", "gcode"])
        for lab, mask in (("pin-0", T["id_type"].eq("pin-0")),
                          ("type-6", valid & T["national_id"].str.startswith("6")),
                          ("type-7", valid & T["national_id"].str.startswith("7")),
                          ("be-date-cell", T["date_cell"].astype(bool))):
            traps.append(T[mask].assign(trap=lab, group=""))
        rep = T[T["id_trap"].notna() & valid]
        traps.append(rep.assign(trap=rep["id_trap"], group=""))
        tw = {p: f"twin:{i}" for i, (a, b) in enumerate(area.twins) for p in (a, b)}
        tt = T[T["pid"].isin(tw)]
        traps.append(tt.assign(trap="twin", group=tt["pid"].map(tw)))
        cn = {p: f"common-name:{i}" for i, (a, b) in enumerate(area.common) for p in (a, b)}
        tc = T[T["pid"].isin(cn)]
        traps.append(tc.assign(trap="common-name", group=tc["pid"].map(cn)))
    # discharges and reconciliation
    dis = {}
    for c in cens:
        d = area.discharges[c.key]
        if c.index >= 2:
            dis[c.key] = other.write_discharges(d, c, out / "discharges" / c.key, names)
    pairs = [(cens[2], cens[1]), (cens[2], cens[0]), (cens[3], cens[2])]
    for cur, prev in pairs:
        R = reconcile_findings(truths[prev.key], truths[cur.key], dis[cur.key], cur.as_of)
        R["round"] = cur.key
        R["previous"] = prev.key
        R.loc[R["row_of"].eq("previous"), "census"] = prev.key
        R.loc[R["row_of"].eq("current"), "census"] = cur.key
        errs.append(_rows(R, dataset="reconcile", phase=cur.phase))
        g = dis[cur.key]
        gd = g[g["reason"].eq("จบการศึกษา")]
        errs.append(_rows(gd.assign(census=cur.key, check="graduate-discharged", field="reason", group=""),
                          dataset="discharges", phase=cur.phase, round=cur.key, previous=prev.key))
    # class counts, top grade
    rooms_prev: dict = {}
    offered = dict(zip(area.schools["smis8"], area.schools["grades"]))
    for c in cens:
        T = truths[c.key]
        R, rooms_prev = other.write_class_counts(T, c, out / "class_counts" / c.key, area.schools,
                                                 area.class_gap, rooms_prev)
        bad = R[(R["rooms"] > 0) & (R["total"] == 0)]
        errs.append(_rows(bad.assign(census=c.key, check="class-no-students", field="grade", group="",
                                     national_id=""), dataset="class_counts", phase=c.phase, round=c.key))
        if c.phase == "endyear":
            prev = truths[cens[2].key]
            for s, gl in offered.items():
                top = gl[-1]
                if top not in ("ป.6", "ม.3", "ม.6"):
                    continue
                now = ((T["school_code"] == s) & (T["grade"] == top)).sum()
                before = ((prev["school_code"] == s) & (prev["grade"] == top)).sum()
                if now == 0 and before > 0 and (T["school_code"] == s).any():
                    errs.append(pd.DataFrame([{"dataset": "students", "phase": c.phase, "round": c.key,
                                               "census": c.key, "school_code": s, "check": "top-grade-empty",
                                               "field": "grade", "source_row": None}]))
    tick("class counts")
    # boarding list
    with open(out / "boarding_schools.csv", "wb") as fh:
        fh.write(writers.csv_bytes([["smis8", "school_name"]] + [[c, names[c]] for c in sorted(area.boarding)]))
    # staff, M-OBEC, B-OBEC
    T1 = truths[cens[1].key]
    counts = T1["school_code"].value_counts()
    other.write_staff(rng, counts, area.schools, out / "staff" / cens[0].key, cens[0].key, set(area.pop.taken_ids),
                      area.pop.names, other_errs := [])
    lvl = T1.assign(l=T1["grade"].str[:1].map({"อ": "k", "ป": "p", "ม": "s"})).groupby(["school_code", "l"]).size()
    by_level = lvl.unstack(fill_value=0).reindex(columns=["k", "p", "s"], fill_value=0)
    other.write_mobec(rng, by_level, area.schools, out / "mobec", year, other_errs)
    classes = T1[T1["grade"].ne("")].groupby("school_code").apply(
        lambda d: d[["grade", "room"]].drop_duplicates().shape[0], include_groups=False)
    classes = classes.combine(truths[cens[0].key][truths[cens[0].key]["grade"].ne("")].groupby("school_code").apply(
        lambda d: d[["grade", "room"]].drop_duplicates().shape[0], include_groups=False), max, fill_value=0)
    other.write_bobec(rng, classes, area.schools, out / "bobec", year, other_errs)
    errs.append(pd.DataFrame(other_errs))
    tick("staff, M-OBEC, B-OBEC")
    # ground truth
    gt = out / "ground_truth"
    gt.mkdir(parents=True, exist_ok=True)
    E = pd.concat([e for e in errs if len(e)], ignore_index=True)
    for ccol in ERROR_COLUMNS:
        if ccol not in E.columns:
            E[ccol] = ""
    E = E[ERROR_COLUMNS].copy()
    E["source_row"] = pd.array(E["source_row"], dtype="Int64")
    E = E.fillna({c: "" for c in ERROR_COLUMNS if c != "source_row"})
    E = E.sort_values(["dataset", "round", "previous", "check", "source_file", "source_row"], kind="stable")
    E.to_csv(gt / "errors.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    S = pd.concat([truths[c.key] for c in cens], ignore_index=True)
    S[TRUTH_COLUMNS].to_csv(gt / "students_truth.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    TR = pd.concat(traps, ignore_index=True)
    TR[["census", "source_file", "source_row", "school_code", "national_id", "trap", "group"]].sort_values(
        ["census", "trap", "source_file", "source_row"], kind="stable").to_csv(
        gt / "traps.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    pd.DataFrame([{"census": c.key, "phase": c.phase, "as_of": c.as_of.isoformat(),
                   "as_of_be": f"{c.as_of.day:02d}/{c.as_of.month:02d}/{c.as_of.year + 543}",
                   "previous": {0: "", 1: "", 2: cens[1].key, 3: cens[2].key}[c.index],
                   "previous_alt": {2: cens[0].key}.get(c.index, "")} for c in cens]).to_csv(
        gt / "censuses.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    FM = pd.DataFrame(files_meta)
    for col in ("title_rows", "header_variant", "rows"):
        if col in FM.columns:
            FM[col] = pd.array(FM[col], dtype="Int64")
    FM.to_csv(gt / "files.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    (out / "README.txt").write_text(README.format(year=year, seed=seed), encoding="utf-8")
    tick("ground truth")
