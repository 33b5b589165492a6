"""The benchmark suite: ``python benchmarks/run.py [--scales area,province,national] [--repeat N]``.

Scales (inputs are generated on first use into ``benchmarks/_work/``, git-ignored):

- ``area``: the demo area's round 1 (``obec_audit.demo``, ≈ 20,000 students in DMC .xlsx /
  .xls / .csv downloads, 104 schools) through ``obec_audit.round.run_round(reports=True)``:
  read, check, write (CSV files + one report pack per school + summary.xlsx); plus reading the
  same .xlsx files with pandas ``engine="calamine"`` and ``engine="openpyxl"`` (and with the
  project's own calamine reader);
- ``province``: 120,000 students in one layout-B CSV (Thai headers), reports off;
- ``million``: 1,000,000 students in one layout-B CSV, reports off, and beside it in the same
  run the DuckDB yardstick (``benchmarks/duckdb_baseline.py``: four core checks as one SQL pass
  on the same file) right after each round; the table gives the ratio round / DuckDB (issue
  16's target: ≤ 2) of the medians and the median of the pairs (a slow spell of a shared
  machine then slows both sides of a pair);
- ``national``: 6,626,068 students over 29,449 schools in one Parquet file (canonical names),
  reports off; ``--national-csv`` adds the same as a layout-B CSV (5 GB).

Province, million and national run ``obec_audit.round.run_round(reports=False)`` on the
extract (``io.extract.load_extract`` → the phase's checks, two at a time, and completeness,
with students.csv written meanwhile → the other CSV files): the round's own stage times, and
CPU and peak memory per stage from the sampled timeline; then every check once more, one at a
time, for the per-check tables.
Every run is a fresh child process; its peak memory per stage is sampled from
``/proc/self/statm`` every 20 ms, and ``ru_maxrss`` gives the process's peak. Medians are over
``--repeat`` runs (default 3; national: ``--repeat-national``, default 1).

Results: printed as Markdown, saved to ``benchmarks/_work/results-<time>.json``, and with
``--write-md`` written into BENCHMARKS.md between the ``results`` markers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "_work"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGE = os.sysconf("SC_PAGE_SIZE")
SIZES = {"area": 20_000, "province": 120_000, "million": 1_000_000, "national": 6_626_068}


# ------------------------------------------------------------------------------ memory
class PeakSampler:
    """RSS of this process sampled every ``every`` seconds; ``mark()`` starts a new stage."""

    def __init__(self, every: float = 0.02):
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    @staticmethod
    def rss() -> int:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE

    def _run(self):
        while not self._stop.is_set():
            r = self.rss()
            if r > self.peak:
                self.peak = r
            time.sleep(self.every)

    def mark(self) -> None:
        self.peak = self.rss()

    def stop(self) -> None:
        self._stop.set()


class Stage:
    def __init__(self, sampler: PeakSampler, out: dict, name: str):
        self.s, self.out, self.name = sampler, out, name

    def __enter__(self):
        self.s.mark()
        self.w, self.c = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.out[self.name] = {
            "wall": time.perf_counter() - self.w,
            "cpu": time.process_time() - self.c,
            "peak_mb": max(self.s.peak, self.s.rss()) / 2**20,
        }


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ------------------------------------------------------------------------------ jobs (child)
def _timed_checks(data, phase: str, load_findings, sampler: "PeakSampler | None" = None):
    """Every student check of ``phase`` on ``data``, each timed, then sorting the findings and
    the completeness tables (sharing ``data``'s cache, as ``run_round`` does). With ``sampler``:
    each step's peak RSS too (``peak_mb``, MB)."""
    from obec_audit.checks import registry
    from obec_audit.completeness import completeness, field_masks, school_completeness

    students = data.students
    per_check: dict[str, dict] = {}
    parts = []

    def peak(entry: dict) -> dict:
        if sampler is not None:
            entry["peak_mb"] = max(sampler.peak, sampler.rss()) / 2**20
        return entry

    # as ``registry.run_checks(keep=...)`` in ``run_round``: shared values dropped after their last check
    steps = registry.iter_checks(data, registry.select(phase, {"students"}), keep=("field_masks",), lanes=1)
    while True:
        if sampler is not None:
            sampler.mark()
        c = time.process_time()
        w = time.perf_counter()
        try:
            k, found = next(steps)
        except StopIteration:
            break
        parts.append(found)
        per_check[k.code] = peak({"wall": time.perf_counter() - w, "cpu": time.process_time() - c,
                                  "findings": int(len(parts[-1]))})
    if sampler is not None:
        sampler.mark()
    w, c = time.perf_counter(), time.process_time()
    findings = registry.sort_findings(registry.concat_findings([load_findings, *parts]))
    per_check["(sort findings)"] = peak({"wall": time.perf_counter() - w, "cpu": time.process_time() - c})
    if sampler is not None:
        sampler.mark()
    w, c = time.perf_counter(), time.process_time()
    comp = completeness(students, masks=data.cached("field_masks", lambda: field_masks(students)))
    scomp = school_completeness(students, per=comp)
    per_check["(completeness)"] = peak({"wall": time.perf_counter() - w, "cpu": time.process_time() - c})
    return findings, comp, scomp, per_check


class Timeline(PeakSampler):
    """``PeakSampler`` that also keeps (wall, CPU of the process, RSS) every sample, so the
    stages of a call that times itself (``run_round``'s ``timings``) get their CPU and peak."""

    def __init__(self, every: float = 0.02):
        self.points: list[tuple[float, float, int]] = []
        super().__init__(every)

    def _run(self):
        while not self._stop.is_set():
            r = self.rss()
            self.peak = max(self.peak, r)
            self.points.append((time.perf_counter(), time.process_time(), r))
            time.sleep(self.every)

    def window(self, start: float, end: float) -> dict:
        """CPU seconds and peak RSS (MB) between two ``perf_counter`` times."""
        inside = [p for p in self.points if start <= p[0] <= end]
        before = [p for p in self.points if p[0] < start] or inside[:1]
        if not inside:
            return {"cpu": None, "peak_mb": None}
        return {"cpu": inside[-1][1] - before[-1][1], "peak_mb": max(p[2] for p in inside) / 2**20}


def job_extract(path: str, out: str, as_of: str = "2026-06-10") -> dict:
    """The round an officer runs on an extract: ``run_round(reports=False)`` (read, every
    check of round 1 with its lanes, the CSV outputs with students.csv written while the
    checks run), its own stage timings; CPU and peak per stage from the sampled timeline.
    Then each check once more on its own (one lane, fresh shared values) for the per-check
    table."""
    from obec_audit.round import run_round

    sampler = Timeline()
    t0 = time.perf_counter()
    r = run_round([path], out=out, as_of=as_of, phase="round1", reports=False)
    t_end = time.perf_counter()
    sampler.stop()
    t = r.timings
    bounds = {"read": (t0, t0 + t["read"]),
              "check": (t0 + t["read"], t0 + t["read"] + t["check"]),
              "write": (t0 + t["total"] - t.get("write", 0.0), t0 + t["total"]),
              "total": (t0, t_end)}
    st = {name: {"wall": (end - start), **sampler.window(start, end)} for name, (start, end) in bounds.items()}
    total = st.pop("total")
    total["peak_mb"] = sampler.peak / 2**20
    students, as_of_date, n_findings = r.students, r.as_of, int(len(r.findings))
    counts = r.findings["check"].value_counts().to_dict()
    del r  # the per-check pass below starts from the list alone
    from obec_audit.checks.registry import CheckInput
    from obec_audit.io.memory import release_memory

    release_memory()
    sampler = PeakSampler()
    per_check = _timed_checks(CheckInput(students=students, as_of=as_of_date), "round1", None, sampler)[3]
    sampler.stop()
    return {"stages": st, "total": total, "per_check": per_check, "rows": int(len(students)),
            "schools": int(students["school_code"].nunique()), "findings": n_findings,
            "by_check": {k: int(v) for k, v in counts.items()}, "maxrss_mb": _maxrss_mb()}


def job_round(demo: str, out: str) -> dict:
    from obec_audit.demo.layout import round_inputs as demo_round_inputs
    from obec_audit.round import run_round

    sampler = PeakSampler()
    w, c = time.perf_counter(), time.process_time()
    kw = demo_round_inputs(Path(demo), "round1")
    for k in ("staff", "discharges", "class_counts"):  # the student round only
        kw.pop(k, None)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = run_round(out=out, reports=True, **kw)
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    # and the round's worker processes (reading, packs): ended with the round, so counted here
    kids_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += (kids_after.ru_utime + kids_after.ru_stime) - (kids.ru_utime + kids.ru_stime)
    sampler.stop()
    # the check stage again, each check timed (a fresh input: nothing cached)
    from obec_audit import reference
    from obec_audit.checks.registry import CheckInput
    from obec_audit.round import read_school_list

    data = CheckInput(students=r.students, as_of=r.as_of, schools=reference.schools(r.meta["area_code"]),
                      boarding_schools=read_school_list(kw.get("boarding_schools")))
    per_check = _timed_checks(data, "round1", None)[3]
    t = r.timings
    stages = {s: {"wall": t.get(s, float("nan")), "cpu": None, "peak_mb": None}
              for s in ("read", "check", "write")}
    return {"stages": stages, "total": {"wall": wall, "cpu": cpu, "peak_mb": sampler.peak / 2**20},
            "rows": int(len(r.students)), "schools": int(r.students["school_code"].nunique()),
            "findings": int(len(r.findings)), "maxrss_mb": _maxrss_mb(), "per_check": per_check}


def job_excel(demo: str, engine: str) -> dict:
    import pandas as pd

    files = sorted((Path(demo) / "students").glob("2026-06-10/**/*.xlsx"))
    w, c = time.perf_counter(), time.process_time()
    rows = 0
    failed = []  # the demo seeds broken files (corrupt, HTML, password): each engine fails them
    for f in files:
        try:
            if engine == "project":
                from obec_audit.io.readers import read_sheets

                rows += sum(len(s.cells) for s in read_sheets(f))
            else:
                book = pd.read_excel(f, sheet_name=None, header=None, dtype=str, engine=engine)
                rows += sum(len(df) for df in book.values())
        except Exception:  # noqa: BLE001
            failed.append(f.name)
    return {"wall": time.perf_counter() - w, "cpu": time.process_time() - c,
            "files": len(files) - len(failed), "failed": failed, "rows": rows,
            "maxrss_mb": _maxrss_mb()}


def job_duckdb(path: str) -> dict:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import duckdb_baseline  # benchmarks/duckdb_baseline.py

    return duckdb_baseline.core_checks(path)


JOBS = {"extract": job_extract, "round": job_round, "excel": job_excel, "duckdb": job_duckdb}


def _bytecode() -> bool:
    """Compile the package's bytecode into ``__pycache__``, as Python does at an officer's first
    run and reuses after. Where ``PYTHONDONTWRITEBYTECODE`` is set (this machine), every child
    process (and the round's workers) would otherwise compile ≈ 10,000 lines again: ≈ 0.3 s
    of CPU in the area round."""
    import compileall

    return bool(compileall.compile_dir(str(ROOT / "obec_audit"), quiet=1))


def _child(spec: dict) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_job", json.dumps(spec)]
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=str(ROOT))
    if p.returncode != 0:
        raise RuntimeError(f"job {spec} failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------ inputs
def _gen():
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import gen  # benchmarks/gen.py

    return gen


def prepare(scales: list[str], national_csv: bool, log) -> dict:
    WORK.mkdir(parents=True, exist_ok=True)
    paths: dict = {}
    gen = _gen()
    wanted = []
    if "province" in scales:
        wanted.append(("province", WORK / "province_120k.csv", 120_000, "thai"))
    if "million" in scales:
        wanted.append(("million", WORK / "million_1M.csv", SIZES["million"], "thai"))
    if "national" in scales:
        wanted.append(("national", WORK / "national_6.6M.parquet", SIZES["national"], "canonical"))
        if national_csv:
            wanted.append(("national-csv", WORK / "national_6.6M.csv", SIZES["national"], "thai"))
    for name, path, rows, naming in wanted:
        man = path.with_name(path.name + ".json")
        if not (path.exists() and man.exists() and json.loads(man.read_text())["rows"] == rows):
            log(f"generating {name}: {rows:,} rows → {path.name}")
            m = gen.write_extract(path, rows, seed=1, naming=naming)
        else:
            m = json.loads(man.read_text())
        log(f"  {name}: {m['rows']:,} students, {m['schools']:,} schools, "
            f"{m['bytes'] / 2**20:,.0f} MB, generated in {m['seconds']} s")
        paths[name] = (path, m)
    if "area" in scales:
        from obec_audit.demo import ensure_demo

        t = time.perf_counter()
        demo = ensure_demo()  # data/demo (git-ignored), generated on first use
        log(f"  area: demo area at {demo} ({time.perf_counter() - t:.0f} s)")
        paths["area"] = (demo, {})
    return paths


# ------------------------------------------------------------------------------ report
def _med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def machine() -> dict:
    mem = 0
    with open("/proc/meminfo", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    import numpy
    import pandas
    import pyarrow

    return {"cpus": os.cpu_count(), "mem_gib": round(mem / 2**30, 1), "python": platform.python_version(),
            "pandas": pandas.__version__, "pyarrow": pyarrow.__version__, "numpy": numpy.__version__,
            "platform": platform.platform()}


def _fmt(x, nd=1):
    return "–" if x is None else f"{x:,.{nd}f}"


def markdown(res: dict) -> str:
    m = res["machine"]
    out = [
        f"Run {res['started']} → {res['finished']}; {m['cpus']} cores, {m['mem_gib']} GiB RAM; "
        f"Python {m['python']}, pandas {m['pandas']}, pyarrow {m['pyarrow']}; load average "
        f"(1/5/15 min) at start {res['load_start']}, at end {res['load_end']}."
        + (" The package's bytecode was compiled before the runs, as Python keeps it after an officer's "
           "first run (this machine sets PYTHONDONTWRITEBYTECODE)." if res.get("bytecode") else ""),
        "",
        "| scale | input | students | schools | runs | stage | median wall s | median CPU s | peak RSS MB |",
        "|---|---|---:|---:|---:|---|---:|---:|---:|",
    ]
    for name, r in res["scales"].items():
        if name in ("excel", "duckdb"):
            continue
        for stage in ("read", "check", "write", "total"):
            s = r["stages"].get(stage)
            if s is None:
                continue
            out.append(f"| {name} | {r['input']} | {r['rows']:,} | {r['schools']:,} | {r['runs']} | {stage} | "
                       f"{_fmt(s['wall'])} | {_fmt(s['cpu'])} | {_fmt(s['peak_mb'], 0)} |")
        out.append(f"| {name} | | | | | process peak (ru_maxrss) | | | {_fmt(r['maxrss_mb'], 0)} |")
    if "duckdb" in res["scales"]:
        d, r = res["scales"]["duckdb"], res["scales"]["million"]["stages"]["total"]
        out += ["", f"The same 1 M-student CSV, the round (read + every check + CSV outputs) against the "
                    f"DuckDB yardstick (four core checks, one SQL pass), median of {d['runs']}:", "",
                "| pass | median wall s | median CPU s | peak RSS MB |", "|---|---:|---:|---:|",
                f"| obec_audit round | {_fmt(r['wall'])} | {_fmt(r['cpu'])} | {_fmt(res['scales']['million']['maxrss_mb'], 0)} |",
                f"| DuckDB four checks | {_fmt(d['wall'])} | {_fmt(d['cpu'])} | {_fmt(d['maxrss_mb'], 0)} |",
                f"| ratio round / DuckDB, of the medians (target ≤ 2) | {_fmt(r['wall'] / d['wall'], 2)} | | |"]
        if d.get("pair_ratios"):  # each round followed by a DuckDB run: the machine's drift cancels
            out.append(f"| ratio round / DuckDB, median of the {len(d['pair_ratios'])} pairs (each round, then "
                       f"DuckDB; pairs: {', '.join(f'{x:.2f}' for x in d['pair_ratios'])}) | "
                       f"{_fmt(_med(d['pair_ratios']), 2)} | | |")
    if "excel" in res["scales"]:
        e = res["scales"]["excel"]
        out += ["", f"Excel reading, the demo's round-1 .xlsx files ({e['files']} files, {e['rows']:,} rows "
                    f"incl. headers), median of {e['runs']}:", "",
                "| reader | median wall s | median CPU s |", "|---|---:|---:|"]
        for eng, v in e["engines"].items():
            out.append(f"| {eng} | {_fmt(v['wall'], 2)} | {_fmt(v['cpu'], 2)} |")
    for name, r in res["scales"].items():
        pc = r.get("per_check") if isinstance(r, dict) else None
        if not pc:
            continue
        top = sorted(pc.items(), key=lambda kv: -kv[1]["cpu"])
        out += ["", f"Check stage at {name} scale, per check (median CPU s; findings):", "",
                "| check | CPU s | wall s | findings | peak RSS MB |", "|---|---:|---:|---:|---:|"]
        for code, v in top:
            pk = _fmt(v["peak_mb"], 0) if v.get("peak_mb") else ""
            out.append(f"| {code} | {_fmt(v['cpu'], 2)} | {_fmt(v['wall'], 2)} | {v.get('findings', '')} | {pk} |")
    return "\n".join(out)


def _merge(runs: list[dict]) -> dict:
    stages = {}
    for s in runs[0]["stages"]:
        stages[s] = {k: _med([r["stages"][s][k] for r in runs]) for k in ("wall", "cpu", "peak_mb")}
    if "total" in runs[0]:
        stages["total"] = {k: _med([r["total"][k] for r in runs]) for k in ("wall", "cpu", "peak_mb")}
    else:
        stages["total"] = {"wall": sum(v["wall"] for v in stages.values()),
                           "cpu": sum(v["cpu"] for v in stages.values()),
                           "peak_mb": max(v["peak_mb"] for v in stages.values())}
    out = {"stages": stages, "runs": len(runs), "rows": runs[0]["rows"], "schools": runs[0]["schools"],
           "findings": runs[0]["findings"], "maxrss_mb": max(r["maxrss_mb"] for r in runs),
           "by_check": runs[0].get("by_check")}
    if "per_check" in runs[0]:
        out["per_check"] = {
            k: {"cpu": _med([r["per_check"][k]["cpu"] for r in runs]),
                "wall": _med([r["per_check"][k]["wall"] for r in runs]),
                "findings": runs[0]["per_check"][k].get("findings", ""),
                "peak_mb": max((r["per_check"][k].get("peak_mb") or 0) for r in runs) or None}
            for k in runs[0]["per_check"]}
    return out


def write_md(text: str, path: Path) -> None:
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    doc = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{start}\n{end}\n"
    a, b = doc.index(start) + len(start), doc.index(end)
    path.write_text(doc[:a] + "\n" + text + "\n" + doc[b:], encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="obec_audit benchmark suite")
    ap.add_argument("--scales", default="area,province,national")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--repeat-national", type=int, default=1)
    ap.add_argument("--national-csv", action="store_true", help="also the national list as a 5 GB CSV")
    ap.add_argument("--no-excel", action="store_true", help="skip the calamine/openpyxl comparison")
    ap.add_argument("--write-md", action="store_true", help="write the results into BENCHMARKS.md")
    ap.add_argument("--_job", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._job:
        spec = json.loads(args._job)
        kind = spec.pop("kind")
        print(json.dumps(JOBS[kind](**spec)))
        return 0

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    res = {"started": dt.datetime.now().isoformat(timespec="seconds"), "machine": machine(),
           "load_start": [round(x, 2) for x in os.getloadavg()], "scales": {}}
    log(f"machine: {res['machine']}; load {res['load_start']}")
    res["bytecode"] = _bytecode()
    inputs = prepare(scales, args.national_csv, log)
    for name in scales + (["national-csv"] if args.national_csv and "national" in scales else []):
        path, man = inputs[name]
        runs, dd = [], []
        n = args.repeat_national if name.startswith("national") else args.repeat
        for i in range(n):
            out = WORK / f"out-{name}"
            if name == "area":
                r = _child({"kind": "round", "demo": str(path), "out": str(out)})
            else:
                r = _child({"kind": "extract", "path": str(path), "out": str(out)})
            log(f"{name} run {i + 1}/{n}: " + ", ".join(
                f"{s} {v['wall']:.1f}s" for s, v in r["stages"].items()) + f"; maxrss {r['maxrss_mb']:.0f} MB")
            runs.append(r)
            if name == "million":  # the yardstick right after each round: pairs share the machine's state
                dd.append(_child({"kind": "duckdb", "path": str(path)}))
                log(f"duckdb run {i + 1}/{n}: {dd[-1]['wall']:.1f}s; "
                    f"ratio {r['total']['wall'] / dd[-1]['wall']:.2f}")
        merged = _merge(runs)
        merged["input"] = ("demo round 1 (.xlsx/.xls/.csv)" if name == "area"
                           else f"{path.name} ({man['bytes'] / 2**20:,.0f} MB)")
        res["scales"][name] = merged
        if name == "million":
            pairs = [r["total"]["wall"] / d["wall"] for r, d in zip(runs, dd)]
            res["scales"]["duckdb"] = {"wall": _med([x["wall"] for x in dd]), "cpu": _med([x["cpu"] for x in dd]),
                                       "maxrss_mb": max(x["maxrss_mb"] for x in dd), "runs": n,
                                       "counts": dd[0]["counts"], "pair_ratios": [round(x, 3) for x in pairs]}
            log(f"duckdb: {res['scales']['duckdb']['wall']:.1f}s; ratio of medians "
                f"{merged['stages']['total']['wall'] / res['scales']['duckdb']['wall']:.2f}, "
                f"median of pairs {_med(pairs):.2f}")
        if name == "area" and not args.no_excel:
            engines = {}
            for eng in ("calamine", "openpyxl", "project"):
                rr = [_child({"kind": "excel", "demo": str(path), "engine": eng}) for _ in range(args.repeat)]
                engines[{"project": "obec_audit readers (calamine direct)"}.get(eng, f"pandas engine={eng}")] = {
                    "wall": _med([x["wall"] for x in rr]), "cpu": _med([x["cpu"] for x in rr])}
                log(f"excel {eng}: {engines[list(engines)[-1]]['wall']:.2f}s")
            res["scales"]["excel"] = {"engines": engines, "runs": args.repeat, "files": rr[0]["files"],
                                      "rows": rr[0]["rows"]}
    res["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    res["load_end"] = [round(x, 2) for x in os.getloadavg()]
    stamp = res["started"].replace(":", "")
    (WORK / f"results-{stamp}.json").write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    text = markdown(res)
    print(text)
    if args.write_md:
        write_md(text, ROOT / "BENCHMARKS.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
