"""Are a refactor's outputs identical? ``python benchmarks/compare_outputs.py --save DIR`` before,
``python benchmarks/compare_outputs.py --against DIR`` after.

Runs round 1 (``--phase``: another round) of the demo area (``data/demo``, read only) into a scratch folder and keeps:
the findings, students and completeness frames (as read back from the CSV files, and the
in-memory frames), every cell of ``summary.xlsx`` and of a few school packs (values, and
their styles and print setup: ``reports.xlsx.describe``), and the
dashboards' aggregates of that round. ``--against`` compares each with the saved copy and
exits 1 on any difference (the first differences are printed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pickle
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PACKS = 5  # the first school packs (by file name) whose cells are compared


def _round_inputs(demo: Path, phase: str) -> dict:
    try:  # the demo's folder layout (after issue 15)
        from obec_audit.demo.layout import round_inputs
    except ImportError:  # before: the round module held it
        from obec_audit.demo.layout import round_inputs
    return round_inputs(demo, phase)


def _cells(path: Path) -> dict:
    """{sheet: [[value, …] per row]} of an .xlsx (values only, as openpyxl reads them)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def _dashboard(out: Path) -> dict:
    from obec_audit import dashboard_data as dd
    from obec_audit.thaidate import thai_date

    rd = dd.load_round(out)
    day = dt.date(2026, 6, 20)
    table = dd.school_table(rd, dd.certification_status(rd, day))
    summary, chase = dd.certification(rd, day, table)
    return {
        "headline": dd.headline(rd),
        "field_completeness": dd.field_completeness(rd),
        "errors_by_check": dd.errors_by_check(rd),
        "school_table": table,
        "certification": summary,
        "chase": chase,
        "grade_sex": dd.grade_sex(rd),
        "check_labels": {c: dd.check_label(c) for c in sorted(set(rd.findings["check"]))},
        # the dashboards' short date, and the long one (``thai_date(abbr=False)`` before issue 15)
        "thai_date": [dd.thai_date(dt.date(2026, 6, 10)), thai_date(dt.date(2026, 6, 10))],
    }


def snapshot(demo: Path, work: Path, phase: str = "round1") -> dict:
    from obec_audit.round import run_round

    kw = _round_inputs(demo, phase)
    out = work / phase
    res = run_round(out=out, reports=True, **kw)
    snap: dict = {
        "findings": res.findings.reset_index(drop=True),
        "students": res.students.reset_index(drop=True),
        "completeness": res.completeness.reset_index(drop=True),
        "school_completeness": res.school_completeness.reset_index(drop=True),
    }
    if res.movements is not None:
        snap["movements"] = res.movements.reset_index(drop=True)
    for name in ("findings", "students", "completeness"):
        snap[f"{name}.csv"] = (out / f"{name}.csv").read_bytes()
    snap["summary.xlsx"] = _cells(out / "summary.xlsx")
    packs = sorted((out / "reports").glob("*.xlsx"))
    snap["packs"] = {p.name: _cells(p) for p in packs[:PACKS]}
    snap["n_packs"] = len(packs)
    try:  # how they look and print: styles, merges, widths, heights, page setup, breaks
        from obec_audit.reports.xlsx import describe
    except ImportError:  # a tree before the fast xlsx writer
        describe = None
    if describe is not None:
        snap["formats"] = {p.name: describe(p) for p in [out / "summary.xlsx", *packs[:PACKS]]}
    snap["dashboard"] = _dashboard(out)
    return snap


def _same(a, b) -> bool:
    if isinstance(a, (pd.DataFrame, pd.Series)):
        if type(a) is not type(b):
            return False
        try:
            if isinstance(a, pd.DataFrame):
                pd.testing.assert_frame_equal(a, b, check_exact=True)
            else:
                pd.testing.assert_series_equal(a, b, check_exact=True)
        except AssertionError as exc:
            print(str(exc)[:600])
            return False
        return True
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def compare(saved: dict, now: dict) -> list[str]:
    differ = []
    for key in sorted(set(saved) | set(now)):
        if key not in saved or key not in now:
            differ.append(f"{key}: only in {'saved' if key in saved else 'this run'}")
        elif isinstance(saved[key], dict) and isinstance(now[key], dict):
            differ += [f"{key}.{k}" for k in compare(saved[key], now[key])]
        elif not _same(saved[key], now[key]):
            differ.append(key)
    return differ


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--save", type=Path, help="folder to save the snapshot in")
    g.add_argument("--against", type=Path, help="folder of a saved snapshot to compare with")
    ap.add_argument("--demo", type=Path, default=ROOT / "data" / "demo")
    ap.add_argument("--phase", default="round1",
                    help="the demo round to run (semester2 / endyear: with reconciliation)")
    ap.add_argument("--ignore", action="append", default=[], metavar="PREFIX",
                    help="differences expected by the change (e.g. dashboard.check_labels): "
                         "listed, but not counted")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="compare-outputs-") as tmp:
        os.environ["OBEC_AUDIT_LEDGER_DIR"] = str(Path(tmp) / "ledger")  # an empty ledger
        snap = snapshot(args.demo, Path(tmp), args.phase)
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        with open(args.save / "snapshot.pkl", "wb") as fh:
            pickle.dump(snap, fh)
        print(f"saved {len(snap)} items ({len(snap['findings'])} findings, "
              f"{len(snap['students'])} students, {snap['n_packs']} packs) to {args.save}")
        return 0
    with open(args.against / "snapshot.pkl", "rb") as fh:
        saved = pickle.load(fh)
    differ = compare(saved, snap)
    expected = [d for d in differ if any(d.startswith(p) for p in args.ignore)]
    differ = [d for d in differ if d not in expected]
    if expected:
        print(f"expected differences ({len(expected)}):", ", ".join(expected))
    if differ:
        print("DIFFERENT:", ", ".join(differ))
        return 1
    print(f"identical: {len(snap)} items ({len(snap['findings'])} findings, "
          f"{len(snap['students'])} students, {snap['n_packs']} packs, summary.xlsx cells)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
