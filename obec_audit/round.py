"""A verification round: load → run the phase's checks → write the contract's files.

``run_round`` is what ``obec-audit check``, the officers' notebooks and the demo rounds the
dashboards read all call. It never stops on a bad file: unreadable files are findings.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, wait
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from obec_audit import outdir, workers
from obec_audit.thaidate import parse_date
from obec_audit.checks import registry
from obec_audit.checks.registry import CheckInput
from obec_audit.io.csvout import StudentsCsvStream, atomic_csv as _atomic_csv, students_for_csv
from obec_audit.reports.writer import write_reports
from obec_audit.schema import FINDING_COLUMNS

PathLike = str | os.PathLike

class NothingReadable(RuntimeError):
    """No student row could be read from any input."""

    def __init__(self, message_th: str, message_en: str):
        super().__init__(f"{message_th} / {message_en}")
        self.message_th = message_th
        self.message_en = message_en


@dataclass
class RoundResult:
    phase: str
    as_of: dt.date
    out_dir: Path | None
    students: pd.DataFrame
    findings: pd.DataFrame
    completeness: pd.DataFrame
    school_completeness: pd.DataFrame
    files: pd.DataFrame
    movements: pd.DataFrame | None = None
    #: the other canonical frames of the round, as loaded: previous, discharges, staff, mobec,
    #: mobec_previous, bobec, class_counts (only those given)
    data: dict[str, pd.DataFrame] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    # ---- convenience for notebooks and tests
    def errors_by_school(self) -> pd.Series:
        f = self.findings
        return f[f["severity"].eq("error")].groupby("school_code").size().sort_values(ascending=False)

    def schools_with_open_errors(self) -> int:
        return int(self.findings.loc[self.findings["severity"].eq("error"), "school_code"].dropna().nunique())

    def counts_by_check(self) -> pd.DataFrame:
        f = self.findings
        if len(f) == 0:
            return pd.DataFrame(columns=["check", "severity", "findings", "schools"])
        return (
            f.groupby(["check", "severity"], dropna=False)
            .agg(findings=("check", "size"), schools=("school_code", "nunique"))
            .reset_index()
            .sort_values("findings", ascending=False)
            .reset_index(drop=True)
        )


# ---------------------------------------------------------------------------------- dates
def default_as_of(today: dt.date | None = None) -> tuple[dt.date, str | None]:
    """The census date of the round the calendar says is current, else today.

    An open round gives its census date; between rounds, the census date of the round that
    last opened (never a census still in the future); without a calendar, today.
    """
    today = today or dt.date.today()
    try:
        from obec_audit import calendar

        for row in (calendar.current_round(today), calendar.phase_on(today)):
            if row is None:
                continue
            if "status" in row and row.get("status") != "open":
                continue
            cd = row.get("census_date_ce")
            if isinstance(cd, dt.date) and cd <= today:
                return cd, row.get("phase")
    except Exception:  # calendar not available: fall back to today
        pass
    return today, None


_NAME_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def as_of_from_folders(inputs) -> dict[dt.date, str]:
    """The dates the inputs' folder names hold (``2569-06-10`` B.E. or ``2026-06-10`` C.E.;
    a file: its folder), as {date: folder name}; one entry when they agree.

    >>> as_of_from_folders(["data/real/2569-06-10", "x/2026-06-10/a.xlsx", "june"])
    {datetime.date(2026, 6, 10): '2569-06-10'}
    """
    from obec_audit.thaidate import DateError, arabic_digits

    found: dict[dt.date, str] = {}
    for p in _as_paths(inputs):
        folder = p if p.is_dir() or not p.suffix else p.parent
        m = _NAME_DATE.search(arabic_digits(folder.name))
        try:
            d = parse_date(m.group(0)) if m else None
        except DateError:
            d = None
        if d is not None:
            found.setdefault(d, folder.name)
    return found


def phase_for(as_of: dt.date, has_previous: bool) -> str:
    """A sensible phase when none is given: by the month of the census date."""
    try:
        from obec_audit import calendar

        row = calendar.phase_on(as_of)
        if row is not None and row.get("phase") in registry.PHASES:
            ph = row.get("phase")
            if ph in ("start", "mobec", "bobec"):
                return "round1"
            return ph
    except Exception:
        pass
    if as_of.month in (6,):
        return "round1"
    if as_of.month == 7:
        return "round2"
    if as_of.month in (3, 4, 5):
        return "endyear"
    return "semester2" if has_previous or as_of.month in (10, 11, 12) else "round1"


# ---------------------------------------------------------------------------------- run
def _progress_printer(enabled: bool):
    """A tqdm bar on stderr when enabled; returns (callback, close)."""
    if not enabled:
        return None, lambda: None
    try:
        from tqdm.auto import tqdm
    except Exception:  # pragma: no cover
        return None, lambda: None
    state: dict = {}

    def cb(done: int, total: int, name: str = ""):
        bar = state.get("bar")
        if bar is None or bar.total != total:
            if bar is not None:
                bar.close()
            bar = state["bar"] = tqdm(total=total, file=sys.stderr, unit="แฟ้ม", leave=False,
                                      desc="อ่านแฟ้ม")
        bar.n = done
        bar.set_postfix_str(str(name)[-30:], refresh=False)
        bar.refresh()

    def close():
        if state.get("bar") is not None:
            state["bar"].close()

    return cb, close


def read_school_list(path: PathLike | None) -> frozenset[str] | None:
    """Boarding-project schools: a text or CSV file of codes, one per line (a header and
    other columns allowed: the first 8-digit number of each line is the code)."""
    if path is None:
        return None
    from obec_audit.io.readers import decode_text
    from obec_audit.thaidate import THAI_DIGITS

    text = decode_text(Path(path).read_bytes())[0].translate(THAI_DIGITS)
    codes = re.findall(r"(?<!\d)(\d{8})(?!\d)", text)
    return frozenset(codes)


def _as_paths(x) -> list[Path]:
    if x is None:
        return []
    if isinstance(x, (str, os.PathLike)):
        return [Path(x)]
    return [Path(p) for p in x]


@workers.during  # one pool of worker processes reads the files and writes the packs
def run_round(
    inputs: PathLike | Sequence[PathLike],
    out: PathLike | None = None,
    *,
    as_of: str | dt.date | None = None,
    phase: str | None = None,
    previous: PathLike | Sequence[PathLike] | None = None,
    discharges: PathLike | Sequence[PathLike] | None = None,
    boarding_schools: PathLike | Iterable[str] | None = None,
    staff: PathLike | Sequence[PathLike] | None = None,
    mobec: PathLike | Sequence[PathLike] | None = None,
    mobec_previous: PathLike | Sequence[PathLike] | None = None,
    bobec: PathLike | Sequence[PathLike] | None = None,
    class_counts: PathLike | Sequence[PathLike] | None = None,
    reports: bool = True,
    area_code: str | None = None,
    area_name: str | None = None,
    progress: bool | Callable[[str], None] = False,
    show_full_ids: bool = True,
    strict: bool = True,
    pdf: bool = False,
) -> RoundResult:
    """Run one verification round and (when ``out`` is given) write the contract's files.

    ``strict``: raise ``NothingReadable`` when no student row could be read.
    ``pdf``: also write PDF copies of the packs and the summary (LibreOffice).
    """
    from obec_audit import reference
    from obec_audit.io.extract import load_students_any, split_inputs

    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    named = as_of_from_folders(inputs) if as_of is None else {}  # the folder's date first
    as_of_date = (parse_date(as_of) if as_of is not None
                  else next(iter(named)) if len(named) == 1 else default_as_of()[0])
    bar_cb, bar_close = _progress_printer(progress is True)
    say = progress if callable(progress) else (lambda msg: None)

    # ---- load
    others = [(name, paths, loader) for name, paths, loader in (
        ("previous", previous, "load_students_any"),
        ("discharges", discharges, "load_discharges"),
        ("staff", staff, "load_staff"),
        ("mobec", mobec, "load_mobec"),
        ("mobec_previous", mobec_previous, "load_mobec"),
        ("bobec", bobec, "load_bobec"),
        ("class_counts", class_counts, "load_class_counts"),
    ) if paths]
    # the other datasets load in the round's worker processes while the students load here
    ahead = _load_ahead(others)
    extracts, downloads = split_inputs(_as_paths(inputs))
    imports = _imports_meanwhile(extracts, downloads, others)
    say("อ่านแฟ้มรายชื่อนักเรียน")
    with contextlib.ExitStack() as stack:
        staging = earlier = stream = None
        if out is not None:
            # an earlier round in ``out`` is replaced as a whole (outdir), never mixed with
            # this one. students.csv depends on the list only: an extract's is written as it
            # is read (``StudentsCsvStream``), a list of DMC downloads' while the checks run
            earlier = outdir.previous_round(Path(out))
            staging = stack.enter_context(outdir.replacing(Path(out)))
            if extracts:
                stream = StudentsCsvStream(staging / "students.csv")
                stack.callback(stream.close)  # before the folder is kept or removed
        # DMC downloads go through the Excel path; large CSV/Parquet extracts are read in chunks
        res = load_students_any(_as_paths(inputs), progress=bar_cb, sink=stream)
        students, load_findings, files = res.frame, res.findings, res.files
        prev_frame = None
        prev_findings = []
        if previous:
            say("อ่านแฟ้มรอบก่อน")
            pres = _loaded(ahead, "previous", "load_students_any", previous, bar_cb)
            prev_frame = pres.frame
            prev_findings.append(pres.findings)
        extra: dict = {}
        for name, paths, loader in others:
            if name != "previous":
                say(f"อ่านแฟ้ม {name}")
                r = _loaded(ahead, name, loader, paths, bar_cb)
                extra[name] = r.frame
                prev_findings.append(r.findings)
                files = pd.concat([files, r.files.assign(dataset=name)], ignore_index=True)
        bar_close()
        timings["read"] = time.perf_counter() - t0

        if strict and len(students) == 0:
            raise NothingReadable(*_nothing_readable(res.files))

        if isinstance(boarding_schools, (str, os.PathLike)):
            boarding = read_school_list(boarding_schools)
        elif boarding_schools is None:
            boarding = None
        else:
            boarding = frozenset(str(c) for c in boarding_schools)

        area = area_code or _guess_area(students) or reference.DEMO_AREA_CODE
        schools = reference.schools(area)
        if len(schools) == 0:
            schools = reference.schools(None)
        ph = phase or phase_for(as_of_date, prev_frame is not None)

        early = None
        if out is not None:
            if stream is not None:
                early = stream.finish(students)
            elif registry.side_by_side(len(students)):  # else with the other files
                early = _students_csv_meanwhile(students, staging)
            stack.callback(_settled, early)  # before the folder is kept or removed
        # ---- check
        if imports is not None:
            imports.join()
        registry.load_all()  # importing the check modules is start-up, not checking
        t1 = time.perf_counter()
        data = CheckInput(
            students=students,
            as_of=as_of_date,
            boarding_schools=boarding,
            previous=prev_frame,
            schools=schools,
            **extra,
        )
        # shared values no later check needs are dropped as the checks go (the national list)
        # the completeness tables in the lanes too: taken when a lane has no check left
        check_findings = registry.run_checks(data, ph, sort=False, keep=("field_masks",),
                                             also={"completeness": _completeness})
        unused = registry.unused_inputs(ph, data)
        for name in unused:
            say(f"แฟ้ม {name} ไม่ได้ตรวจในช่วง {ph} (ใช้ --phase ให้ตรงกับข้อมูล) / "
                f"{name} inputs are not checked in phase {ph}")
        findings = registry.sort_findings(
            registry.concat_findings([load_findings, *prev_findings, check_findings])
        )
        comp, scomp = data.cached("completeness", lambda: _completeness(data))
        movements = None
        if prev_frame is not None:
            try:
                from obec_audit.checks.reconcile import reconcile

                movements = reconcile(prev_frame, students, extra.get("discharges"))
            except Exception as exc:  # keep the round going; say so in the meta
                movements = None
                say(f"จัดกลุ่มการย้ายไม่สำเร็จ: {exc}")
        timings["check"] = time.perf_counter() - t1

        meta = {
            "phase": ph,
            "as_of": as_of_date.isoformat(),
            "area_code": area,
            "area_name": area_name or (schools["area_name"].iloc[0] if len(schools) else ""),
            "generated_at": dt.datetime.now().replace(microsecond=0).isoformat(),
            "inputs": [str(p) for p in _as_paths(inputs)],
            "previous": [str(p) for p in _as_paths(previous)],
            #: inputs given that no check of this phase reads (said, never silently ignored)
            "unused_inputs": unused,
            "counts": {
                "files": int(len(files)),
                "students": int(len(students)),
                "schools": int(students["school_code"].nunique()) if len(students) else 0,
                "findings": int(len(findings)),
                "errors": int(findings["severity"].eq("error").sum()),
                "warnings": int(findings["severity"].eq("warning").sum()),
                "schools_with_errors": int(
                    findings.loc[findings["severity"].eq("error"), "school_code"].dropna().nunique()
                ),
            },
        }
        result = RoundResult(
            phase=ph,
            as_of=as_of_date,
            out_dir=Path(out) if out is not None else None,
            students=students,
            findings=findings,
            completeness=comp,
            school_completeness=scomp,
            files=files,
            movements=movements,
            data={**({"previous": prev_frame} if prev_frame is not None else {}), **extra},
            timings=timings,
            meta=meta,
        )
        if out is not None:
            t2 = time.perf_counter()
            if earlier is not None:
                result.meta["replaced"] = {k: earlier.get(k) for k in ("phase", "as_of", "generated_at")}
            write_outputs(result, staging, reports=reports, schools=schools, boarding=boarding,
                          show_full_ids=show_full_ids, progress=progress is True, pdf=pdf,
                          students_csv=early)
            timings["write"] = time.perf_counter() - t2
    timings["total"] = time.perf_counter() - t0
    return result


def _completeness(data: CheckInput) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The completeness tables of ``data.students`` (per student, per school), with the
    empty-field masks ``field-missing`` shares."""
    from obec_audit.completeness import completeness, field_masks, school_completeness

    students = data.students
    comp = completeness(students, masks=data.cached("field_masks", lambda: field_masks(students)))
    return comp, school_completeness(students, per=comp)


def _load(loader: str, paths: list[Path]):
    """``obec_io.<loader>(paths)`` in a worker process (top-level, so it pickles)."""
    return _load_here(loader, paths, None)


def _load_ahead(others: list) -> dict:
    """{dataset: future} of ``others`` (name, paths, loader) loading in the round's pool."""
    pool = workers.pool() if others else None
    if pool is None:
        return {}
    try:
        return {name: pool.submit(_load, loader, _as_paths(paths)) for name, paths, loader in others}
    except Exception:  # noqa: BLE001 - no workers: everything loads here
        return {}


def _loaded(ahead: dict, name: str, loader: str, paths, progress):
    """The dataset ``name`` as loaded ahead, or loaded here (no pool, or a worker died)."""
    fut = ahead.get(name)
    if fut is not None:
        try:
            return fut.result()
        except Exception:  # noqa: BLE001 - loaded here instead, as without workers
            pass
    return _load_here(loader, _as_paths(paths), progress)


def _load_here(loader: str, paths: list[Path], progress):
    from obec_audit import io as obec_io
    from obec_audit.io.extract import load_students_any

    fn = load_students_any if loader == "load_students_any" else getattr(obec_io, loader)
    return fn(paths, progress=progress)


def _imports_meanwhile(extracts: list[Path], downloads: list[Path], others) -> "threading.Thread | None":
    """The check modules imported on a thread while the extracts' first part is parsed (the
    main thread only waits for it then): ≈ 0.2 s off a round on an extract. Only when the
    round reads nothing but extracts: DMC downloads and the other datasets may be read in
    worker processes, and a process forked while a thread imports inherits a held lock."""
    if others or downloads or not extracts:
        return None
    import threading

    t = threading.Thread(target=registry.load_all, daemon=True, name="check-imports")
    t.start()
    return t


def _guess_area(students: pd.DataFrame) -> str | None:
    """The area (first 4 digits) most rows' 8-digit school codes start with, the smallest on a
    tie; the codes are matched once per distinct code, not per row."""
    if len(students) == 0 or "school_code" not in students:
        return None
    counts = students["school_code"].value_counts(dropna=True)
    codes = counts.index.astype(str)
    ok = codes.str.fullmatch(r"\d{8}")
    if not ok.any():
        return None
    per = counts[ok].groupby(codes[ok].str[:4]).sum()
    return str(per[per == per.max()].index.min())


def _nothing_readable(files: pd.DataFrame, most: int = 20) -> tuple[str, str]:
    """The exit message when no student row was read: every file met, with its reason."""
    f = files[files["kind"].astype("string").ne("dir").fillna(True)] if "kind" in files else files
    th, en = [], []
    txt = lambda v: v if isinstance(v, str) else ""  # noqa: E731
    for r in f.head(most).itertuples(index=False):  # at most ``most`` lines, not a table loop
        sheet = f" [{txt(r.source_sheet)}]" if txt(getattr(r, "source_sheet", "")) else ""
        th.append(f"{r.source_file}{sheet}: {txt(r.message_th) or txt(r.status)}")
        en.append(f"{r.source_file}{sheet}: {txt(getattr(r, 'reason_en', '')) or txt(r.status)}")
    more = len(f) - len(th)
    tail_th = f" และอีก {more} แฟ้ม" if more > 0 else ""
    tail_en = f" and {more} more" if more > 0 else ""
    if not th:
        return ("อ่านข้อมูลนักเรียนไม่ได้เลยสักแถว: ไม่พบแฟ้มใดในที่ที่ระบุ",
                "no student row could be read: no file was found in the inputs")
    return ("อ่านข้อมูลนักเรียนไม่ได้เลยสักแถว: " + " | ".join(th) + tail_th,
            "no student row could be read from the inputs: " + " | ".join(en) + tail_en)


# ---------------------------------------------------------------------------------- write
def _students_csv_meanwhile(students: pd.DataFrame, folder: Path) -> Future:
    """students.csv written on a thread while the checks run (it depends on the list only).
    pyarrow's CSV writer and the checks' pandas, numpy and pyarrow work hand the interpreter
    back, so the two share the cores (1 M students: ≈ 1.3 s of writing hidden)."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(1, thread_name_prefix="students-csv")
    try:
        return pool.submit(lambda: _atomic_csv(students_for_csv(students), folder / "students.csv"))
    finally:
        pool.shutdown(wait=False)


def _settled(fut: Future | None) -> None:
    """Wait for ``fut`` to end (its error, if any, is ``write_outputs``' to raise)."""
    if fut is not None:
        wait([fut])


def write_outputs(
    result: RoundResult,
    out: Path,
    *,
    reports: bool = True,
    schools: pd.DataFrame | None = None,
    boarding: frozenset[str] | None = None,
    show_full_ids: bool = True,
    progress: bool = False,
    pdf: bool = False,
    students_csv: Future | None = None,
) -> None:
    """The contract's files for ``result`` in ``out``. ``students_csv``: students.csv is
    already being written into ``out`` by this future (``run_round``); waited for here."""
    out.mkdir(parents=True, exist_ok=True)

    def csv_files() -> None:
        _atomic_csv(result.findings.reindex(columns=FINDING_COLUMNS), out / "findings.csv")
        if students_csv is not None:
            students_csv.result()  # its error, if any, is raised here
        else:
            _atomic_csv(students_for_csv(result.students), out / "students.csv")
        _atomic_csv(result.completeness, out / "completeness.csv")
        _atomic_csv(result.school_completeness, out / "school_completeness.csv")
        _atomic_csv(result.files, out / "files.csv")
        if result.movements is not None:
            _atomic_csv(result.movements, out / "movements.csv")

    if reports:  # the CSV files are written here while the round's workers write the packs
        write_reports(result, out, schools=schools, boarding=boarding, show_full_ids=show_full_ids,
                      progress=progress, pdf=pdf, meanwhile=csv_files)
    else:
        csv_files()
    tmp = out / "round.json.tmp"
    tmp.write_text(json.dumps(result.meta, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, out / "round.json")
