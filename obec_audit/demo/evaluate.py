"""Measure the checks against the demo area's ground truth: recall per code and false alarms.

``evaluate(demo)`` runs every round of the demo area (the four student censuses, M-OBEC and
B-OBEC) through ``obec_audit.round.run_round`` and compares the findings with
``ground_truth/errors.csv``:

- **recall** of a code: seeded findings reported / seeded findings. A seeded finding with a
  row is matched on (file, row, code) — and the field for ``field-missing`` / ``field-code``;
  a school-level one on (school, code).
- **false alarms** of a code: its error/warning findings that match no seeded finding (on a
  clean row, or a code the row was not seeded with), as a share of the clean rows (rows of
  that round with no seeded finding) — stricter than counting clean rows only.

``loader_accuracy(demo)`` compares the canonical values the loaders produce for every student
row with ``ground_truth/students_truth.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from obec_audit.io import load_students
from obec_audit.round import run_round

FIELD_CODES = {"field-missing", "field-code"}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@dataclass
class RunSpec:
    phase: str
    round: str  # the 'round' column of errors.csv
    previous: str  # '' or the previous census folder
    kwargs: dict


def run_specs(demo: Path) -> list[RunSpec]:
    """One run per (phase, round, previous) of the ground truth."""
    demo = Path(demo)
    gt = _read(demo / "ground_truth" / "errors.csv")
    cens = _read(demo / "ground_truth" / "censuses.csv").set_index("census")
    boarding = demo / "boarding_schools.csv"
    specs = []
    student_runs = (
        gt[gt["dataset"].isin(["students", "reconcile", "files", "staff", "class_counts", "discharges"])]
        [["phase", "round", "previous"]].drop_duplicates()
    )
    # every census is run even without a seeded finding of some dataset
    for census, row in cens.iterrows():
        base_prev = row.get("previous", "")
        runs = student_runs[student_runs["round"].eq(census)]
        prevs = sorted(set(runs["previous"]) | ({base_prev} if base_prev else {""}))
        if base_prev:
            prevs = [p for p in prevs if p]  # a reconciling round always has a previous census
        for prev in prevs:
            kw: dict = dict(
                inputs=demo / "students" / census,
                as_of=row["as_of"],
                phase=row["phase"],
                boarding_schools=boarding,
            )
            if prev:
                kw["previous"] = demo / "students" / prev
            for name in ("discharges", "class_counts"):
                p = demo / name / census
                if p.exists():
                    kw[name] = p
            if row["phase"] == "round1" and (demo / "staff" / census).exists():
                kw["staff"] = demo / "staff" / census
            specs.append(RunSpec(row["phase"], census, prev, kw))
    # equipment and buildings: the latest year, with last year's M-OBEC
    first = cens.index[0]
    for ds in ("mobec", "bobec"):
        years = sorted(p.name for p in (demo / ds).iterdir() if p.is_dir()) if (demo / ds).exists() else []
        if not years:
            continue
        kw = dict(inputs=demo / "students" / first, as_of=cens.loc[first, "as_of"], phase=ds,
                  boarding_schools=boarding)
        kw[ds] = demo / ds / years[-1]
        if ds == "mobec" and len(years) > 1:
            kw["mobec_previous"] = demo / ds / years[-2]
        specs.append(RunSpec(ds, years[-1], "", kw))
    return specs


def _finding_keys(f: pd.DataFrame) -> pd.DataFrame:
    f = f.copy()
    f["source_row"] = f["source_row"].astype("string").fillna("")
    f["field"] = f["field"].astype("string").fillna("")
    f = f.fillna("")
    return f


def evaluate(demo: Path, progress=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(table, details): the table has one row per seeded code: seeded, found, recall,
    false_alarms, clean_rows, false_alarm_rate; details lists every missed seeded finding
    and every false alarm."""
    demo = Path(demo)
    gt = _read(demo / "ground_truth" / "errors.csv")
    gt = gt[gt["dataset"] != ""].copy()
    matched = pd.Series(False, index=gt.index)
    fa_rows: list[pd.DataFrame] = []
    clean_counts: dict[str, int] = {}
    files_gt = _read(demo / "ground_truth" / "files.csv")
    for spec in run_specs(demo):
        if progress:
            progress(f"{spec.phase} {spec.round} {spec.previous}")
        res = run_round(out=None, reports=False, progress=False, **spec.kwargs)
        f = _finding_keys(res.findings)
        if spec.phase in ("mobec", "bobec"):
            f = f[f["dataset"].eq(spec.phase)]
        else:
            # the reconciliation codes are judged in the runs that hold them
            f = f[~f["dataset"].isin(["mobec", "bobec"])]
        if spec.previous:
            # the previous census's unreadable files were that round's findings
            prev_files = set(files_gt.loc[files_gt["census"].eq(spec.previous), "source_file"])
            f = f[~(f["check"].eq("file-unreadable") & f["source_file"].isin(prev_files))]
        g = gt[(gt["phase"] == spec.phase) & (gt["round"] == spec.round)]
        if spec.previous:
            g = g[g["previous"].isin(["", spec.previous])]
        else:
            g = g[g["previous"].eq("")]
        # ---- recall
        with_row = g["source_row"].ne("")
        key_f = f["source_file"] + "#" + f["source_row"] + "#" + f["check"]
        key_ff = key_f + "#" + f["field"]
        key_s = f["school_code"] + "#" + f["check"]
        gk = g["source_file"] + "#" + g["source_row"] + "#" + g["check"]
        gkf = gk + "#" + g["field"]
        is_field = g["check"].isin(FIELD_CODES)
        hit = pd.Series(False, index=g.index)
        hit[with_row & ~is_field] = gk[with_row & ~is_field].isin(set(key_f))
        hit[with_row & is_field] = gkf[with_row & is_field].isin(set(key_ff))
        gks = g["school_code"] + "#" + g["check"]
        hit[~with_row] = gks[~with_row].isin(set(key_s))
        matched[hit[hit].index] = True
        # ---- false alarms: error/warning findings that match no seeded finding (a finding
        # of another code on a seeded row counts too: the stricter measure)
        seeded_rows = set(g["source_file"] + "#" + g["source_row"])
        seeded_keys = set(gk[with_row & ~is_field]) | set(gkf[with_row & is_field])
        seeded_schools = set(gks[~with_row])
        serious = f[f["severity"].isin(["error", "warning"])]
        row_level = serious["source_row"].ne("")
        s_is_field = serious["check"].isin(FIELD_CODES)
        skey = serious["source_file"] + "#" + serious["source_row"] + "#" + serious["check"]
        skey = skey.where(~s_is_field, skey + "#" + serious["field"])
        bad_row = row_level & ~skey.isin(seeded_keys)
        bad_school = ~row_level & ~(serious["school_code"] + "#" + serious["check"]).isin(seeded_schools)
        bad = serious[bad_row | bad_school].assign(phase=spec.phase, round=spec.round,
                                                  previous=spec.previous)
        fa_rows.append(bad)
        # clean rows of this run, per dataset
        n_rows = {
            "students": len(res.students) - len({k for k in seeded_rows if not k.endswith("#")}),
        }
        clean_counts[f"{spec.phase}|{spec.round}|{spec.previous}"] = max(n_rows["students"], 1)
    fa = pd.concat(fa_rows, ignore_index=True) if fa_rows else pd.DataFrame()
    total_clean = sum(clean_counts.values())
    seeded = gt.groupby("check").size().rename("seeded")
    found = gt[matched].groupby("check").size().rename("found")
    fa_n = (fa.groupby("check").size() if len(fa) else pd.Series(dtype=int)).rename("false_alarms")
    table = pd.concat([seeded, found, fa_n], axis=1).fillna(0).astype(int)
    table["recall"] = (table["found"] / table["seeded"].where(table["seeded"] > 0)).round(4)
    table["clean_rows"] = total_clean
    table["false_alarm_rate"] = (table["false_alarms"] / total_clean).round(5)
    table = table.reset_index().rename(columns={"index": "check"})
    missed = gt[~matched].assign(kind="missed")
    details = pd.concat([missed, fa.assign(kind="false-alarm")], ignore_index=True)
    return table, details


def loader_accuracy(demo: Path) -> pd.DataFrame:
    """Per census: truth rows, loaded rows, and mismatches of national_id, birth_date, sex,
    grade between the loaders' canonical rows and students_truth.csv."""
    demo = Path(demo)
    truth = _read(demo / "ground_truth" / "students_truth.csv")
    out = []
    for census, t in truth.groupby("census", sort=True):
        res = load_students(demo / "students" / census)
        fr = res.frame.copy()
        got = pd.DataFrame({
            "source_file": fr["source_file"].astype(str),
            "source_row": fr["source_row"].astype("Int64").astype(str),
            "national_id": fr["national_id"].fillna("").astype(str),
            "birth_date": pd.to_datetime(fr["birth_date"]).dt.strftime("%Y-%m-%d").fillna(""),
            "sex": fr["sex"].fillna("").astype(str),
            "grade": fr["grade"].fillna("").astype(str),
        })
        m = t.merge(got, on=["source_file", "source_row"], how="outer", suffixes=("_truth", "_got"),
                    indicator=True)
        row = {"census": census, "truth_rows": len(t), "loaded_rows": len(fr),
               "unmatched": int((m["_merge"] != "both").sum())}
        both = m[m["_merge"] == "both"]
        for c in ("national_id", "birth_date", "sex", "grade"):
            row[f"{c}_mismatch"] = int((both[f"{c}_truth"] != both[f"{c}_got"]).sum())
        out.append(row)
    return pd.DataFrame(out)
