"""The registry of checks: every check with its stable code, severity, phases and Thai text.

A check is a pure function ``func(data: CheckInput) -> pd.DataFrame`` returning a tidy
findings frame (``obec_audit.schema.FINDING_COLUMNS``). It is registered with::

    @register("id-missing", severity="error", dataset="students",
              phases=STUDENT_PHASES, title_th="ไม่มีเลขประจำตัว", description_th="...")
    def id_missing(data: CheckInput) -> pd.DataFrame:
        rows = data.students[data.students["id_type"].eq("missing")]
        return findings(rows, "id-missing", field="national_id", value=rows["national_id_raw"],
                        message="...")

``findings()`` builds the frame vectorised from the offending rows of a canonical frame, so
every check is a filter plus one call.

**One rule decides which checks run**: ``select(phase, inputs)``. A check declares the phases in
which it applies and the inputs it ``needs`` (fields of ``CheckInput``; by default its dataset's:
``students``; ``students`` + ``previous`` for reconciliation; ``staff``; ``mobec``; ``bobec``). It
runs when the round's phase is one of its phases and every input it needs was given (not None,
not empty), so a check never tests for missing inputs itself. A round is "load, run the phase's
checks, write": ``run_checks(data, phase)``, used by rounds, notebooks and tests alike.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from obec_audit.thaidate import academic_year_ce

from obec_audit.schema import FINDING_COLUMNS, SEVERITY_ORDER, empty_findings

#: the phases of the school year (keys of the calendar data, see ``obec_audit.calendar``)
PHASES: tuple[str, ...] = ("start", "round1", "round2", "mobec", "bobec", "semester2", "endyear")
#: phases that check the student list
STUDENT_PHASES: tuple[str, ...] = ("start", "round1", "round2", "semester2", "endyear")
#: phases that compare two censuses (need ``previous``)
RECONCILE_PHASES: tuple[str, ...] = ("round2", "semester2", "endyear")

DATASETS: tuple[str, ...] = ("files", "students", "staff", "mobec", "bobec", "reconcile")

#: the inputs (``CheckInput`` fields) a check of each dataset needs unless it says otherwise
DEFAULT_NEEDS: dict[str, tuple[str, ...]] = {
    "students": ("students",),
    "reconcile": ("students", "previous"),
    "staff": ("staff",),
    "mobec": ("mobec",),
    "bobec": ("bobec",),
}
#: the inputs a check may name in ``needs``
INPUTS: tuple[str, ...] = ("students", "previous", "discharges", "staff", "mobec",
                           "mobec_previous", "bobec", "class_counts", "boarding_schools", "schools",
                           "as_of")


@dataclass
class CheckInput:
    """Everything a check may look at. Checks must not modify it."""

    students: pd.DataFrame | None = None
    #: the census date (C.E.)
    as_of: dt.date | None = None
    #: SMIS-8 codes of the boarding-project schools (None: the list was not given)
    boarding_schools: frozenset[str] | None = None
    #: the previous census's canonical students (turns on reconciliation)
    previous: pd.DataFrame | None = None
    #: discharges (ย้ายออก/ออกกลางคัน/เสียชีวิต/จบการศึกษา) between the two censuses
    discharges: pd.DataFrame | None = None
    staff: pd.DataFrame | None = None
    mobec: pd.DataFrame | None = None
    #: last year's M-OBEC, for "big change" checks
    mobec_previous: pd.DataFrame | None = None
    bobec: pd.DataFrame | None = None
    #: EMIS class counts per school and grade (rooms opened)
    class_counts: pd.DataFrame | None = None
    #: the school registry (obec_audit.reference.schools())
    schools: pd.DataFrame | None = None
    #: free-form options (thresholds) a check may read, with defaults in the check
    options: dict = field(default_factory=dict)
    #: values derived from this input that several checks need (see ``cached``)
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    #: when a set: the names of the shared values asked for (``memo_name``), for tests
    _asked: set | None = field(default=None, init=False, repr=False, compare=False)
    #: one lock per shared value being computed: checks running side by side (``iter_checks``'
    #: lanes) wait for one computation instead of each making its own
    _locks: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    def cached(self, key, func: Callable[[], object]):
        """``func()``, computed once per input and shared by the checks that need it (parsed
        birth dates, duplicate-relevant IDs, normalised names, the empty-field masks …).
        The value must depend on this input only; checks never modify what they get back.

        >>> d = CheckInput()
        >>> d.cached("x", lambda: [1]) is d.cached("x", lambda: [2])
        True
        """
        if self._asked is not None:
            self._asked.add(memo_name(key))
        try:
            return self._memo[key]
        except KeyError:
            pass
        with self._lock:
            lock = self._locks.setdefault(key, threading.RLock())
        with lock:
            try:
                return self._memo[key]
            except KeyError:
                value = self._memo[key] = func()
                return value

    def forget(self, names: Iterable[str]) -> None:
        """Drop the shared values whose ``memo_name`` is in ``names`` (computed again if asked)."""
        names = set(names)
        for key in [k for k in list(self._memo) if memo_name(k) in names]:
            self._memo.pop(key, None)

    @property
    def academic_year_ce(self) -> int | None:
        """The C.E. year in which the academic year starts (it starts on 16 May)."""
        return academic_year_ce(self.as_of)


def memo_name(key) -> str:
    """A shared value's name: its key, or the key's first item (``("birth", as_of)``)."""
    return key if isinstance(key, str) else str(key[0])


@dataclass(frozen=True)
class Check:
    code: str
    severity: str
    dataset: str
    phases: tuple[str, ...]
    title_th: str
    description_th: str
    func: Callable[[CheckInput], pd.DataFrame]
    title_en: str = ""
    #: the ``CheckInput`` fields that must be given for the check to run
    needs: tuple[str, ...] = ("students",)
    #: names of the shared values (``CheckInput.cached``) it asks for: ``iter_checks`` drops
    #: one after the last check naming it
    memo: tuple[str, ...] = ()
    #: its cost against an ordinary check's (1): with lanes, heavier checks start first, so
    #: that a long one does not run alone at the end (``iter_checks``)
    weight: float = 1.0

    def runs_on(self, inputs: Iterable[str]) -> bool:
        return set(self.needs) <= set(inputs)

    def run(self, data: CheckInput) -> pd.DataFrame:
        """The check's findings; empty when an input it needs was not given."""
        if not self.runs_on(given_inputs(data)):
            return empty_findings()
        out = self.func(data)
        if out is None or len(out) == 0:
            return empty_findings()
        return out


REGISTRY: dict[str, Check] = {}


def register(
    code: str,
    *,
    severity: str,
    dataset: str,
    phases: Iterable[str],
    title_th: str,
    description_th: str,
    title_en: str = "",
    needs: Iterable[str] | None = None,
    memo: Iterable[str] = (),
    weight: float = 1.0,
) -> Callable[[Callable[[CheckInput], pd.DataFrame]], Callable[[CheckInput], pd.DataFrame]]:
    """Register a check function under a stable code. ``needs``: the ``CheckInput`` fields
    it reads that must be given (default: its dataset's, ``DEFAULT_NEEDS``). ``memo``: the
    names of the shared values it asks ``CheckInput.cached`` for (a test holds them true).
    ``weight``: its cost against an ordinary check's (``Check.weight``)."""
    if severity not in SEVERITY_ORDER:
        raise ValueError(f"unknown severity {severity!r}")
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}")
    phases = tuple(phases)
    bad = set(phases) - set(PHASES)
    if bad:
        raise ValueError(f"unknown phases {sorted(bad)}")
    needs = tuple(needs) if needs is not None else DEFAULT_NEEDS.get(dataset, ())
    if set(needs) - set(INPUTS):
        raise ValueError(f"unknown inputs {sorted(set(needs) - set(INPUTS))}")

    def deco(func):
        if code in REGISTRY and REGISTRY[code].func is not func:
            raise ValueError(f"check code {code!r} registered twice")
        REGISTRY[code] = Check(code, severity, dataset, phases, title_th, description_th, func,
                               title_en, needs, tuple(memo), float(weight))
        return func

    return deco


#: codes that are not produced by a check function but by the loaders / round runner
EXTERNAL_CODES: dict[str, dict] = {
    "file-unreadable": dict(
        severity="error",
        title_th="อ่านแฟ้มไม่ได้",
        description_th="แฟ้มเปิดไม่ได้ หรือไม่พบแถวหัวตารางที่รู้จัก",
        title_en="File could not be read",
    ),
    "file-skipped": dict(
        severity="info",
        title_th="แฟ้มที่ไม่ใช่รายชื่อ",
        description_th="แฟ้ม แผ่นงาน หรือโฟลเดอร์ที่ไม่ได้อ่านเพราะไม่ใช่รายชื่อ (คำชี้แจง สรุปที่ทำเอง) หรืออ่านแล้ว (แฟ้มซ้ำ)",
        title_en="Not a student list: not read",
    ),
    "rows-merged": dict(
        severity="warning",
        title_th="บรรทัดถูกอ่านรวมกัน",
        description_th="เครื่องหมาย \" ที่ไม่มีคู่ในแฟ้ม CSV ทำให้หลายบรรทัดรวมเป็นแถวเดียว ได้แยกกลับแล้ว ให้ตรวจแถวนั้น",
        title_en="CSV lines merged by an unbalanced quote (recovered)",
    ),
    "row-damaged": dict(
        severity="warning",
        title_th="แถวข้อมูลเสียหาย",
        description_th="แถวของแฟ้ม CSV ที่เสียหาย (อักขระ NUL ช่องเกินหัวตาราง ช่องยาวผิดปกติ แฟ้มถูกตัด) แถวอื่นอ่านได้ตามปกติ",
        title_en="Damaged row in a readable file",
    ),
}


def check_info() -> pd.DataFrame:
    """One row per known code: code, severity, dataset, phases, Thai title and description."""
    load_all()
    rows = [
        dict(code=c, severity=i["severity"], dataset="files", phases=",".join(PHASES),
             title_th=i["title_th"], title_en=i["title_en"], description_th=i["description_th"])
        for c, i in EXTERNAL_CODES.items()
    ]
    rows += [
        dict(code=k.code, severity=k.severity, dataset=k.dataset, phases=",".join(k.phases),
             title_th=k.title_th, title_en=k.title_en, description_th=k.description_th)
        for k in REGISTRY.values()
    ]
    return pd.DataFrame(rows)


def severity_of(code: str) -> str:
    load_all()
    if code in REGISTRY:
        return REGISTRY[code].severity
    return EXTERNAL_CODES.get(code, {}).get("severity", "error")


def title_of(code: str) -> str:
    load_all()
    if code in REGISTRY:
        return REGISTRY[code].title_th
    return EXTERNAL_CODES.get(code, {}).get("title_th", code)


def load_all() -> None:
    """Import every module that registers checks (idempotent)."""
    from obec_audit.checks import (  # noqa: F401  (importing registers; here to avoid a cycle)
        bobec, duplicates, endofyear, mobec, reconcile, staff, students,
    )


def given_inputs(data: CheckInput) -> set[str]:
    """The ``CheckInput`` fields that were given: not None, and not an empty table.

    >>> sorted(given_inputs(CheckInput(students=pd.DataFrame({"a": [1]}), previous=pd.DataFrame())))
    ['students']
    """
    have = set()
    for name in INPUTS:
        v = getattr(data, name)
        if v is None or (isinstance(v, pd.DataFrame) and len(v) == 0):
            continue
        have.add(name)
    return have


def select(phase: str | None = None, inputs: Iterable[str] | None = None) -> list[Check]:
    """The one rule for which checks run: those of ``phase`` (every phase when None) whose
    needed inputs are all among ``inputs`` (no filter when None), in registration order.

    >>> "id-missing" in {k.code for k in select("round1", {"students"})}
    True
    >>> "left-unexplained" in {k.code for k in select("semester2", {"students"})}
    False
    >>> "mobec-count" in {k.code for k in select("round1", {"students", "mobec"})}
    False
    """
    load_all()
    have = set(inputs) if inputs is not None else None
    return [
        k
        for k in REGISTRY.values()
        if (phase is None or phase in k.phases) and (have is None or k.runs_on(have))
    ]


def unused_inputs(phase: str, data: CheckInput) -> list[str]:
    """Inputs given for this round that no check of ``phase`` reads (e.g. M-OBEC files given in
    a student round): the caller says so instead of ignoring them silently."""
    have = given_inputs(data)
    used = {n for k in select(phase, have) for n in k.needs}
    optional = {"schools", "as_of", "students", "boarding_schools", "discharges", "mobec_previous",
                "class_counts"}
    return sorted(have - used - optional)


def run_checks(
    data: CheckInput,
    phase: str | None = None,
    codes: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
    *,
    sort: bool = True,
    keep: Iterable[str] | None = None,
    lanes: int | None = None,
    also: dict[str, Callable[[CheckInput], object]] | None = None,
) -> pd.DataFrame:
    """Run the checks ``select(phase, given_inputs(data))`` picks (only ``codes`` when given);
    one findings frame, most serious first, then school, file and row (``sort``). ``keep`` and
    ``lanes``: see ``iter_checks`` (None: every shared value is kept; ``check_lanes()``).
    ``also``: {name: func} of other work on the same input (the completeness tables), run in
    the lanes, taken when no check that can start is left; each result kept as
    ``data.cached(name)``."""
    wanted = set(codes) if codes is not None else None
    todo = [k for k in select(phase, given_inputs(data)) if wanted is None or k.code in wanted]
    extra = [_beside(name, func) for name, func in (also or {}).items()]
    if keep is not None:
        keep = (*keep, *(also or {}))
    parts = [found for _, found in iter_checks(data, todo + extra, progress=progress, keep=keep, lanes=lanes)]
    out = concat_findings(parts)
    return sort_findings(out) if sort else out


def _beside(name: str, func: Callable[[CheckInput], object]) -> Check:
    """Work that is not a check as a ``Check`` of no findings and no weight (taken last): its
    result kept as the shared value ``name``."""
    def run(data: CheckInput) -> None:
        data.cached(name, lambda: func(data))

    return Check(f"({name})", "info", "students", (), name, name, run, memo=(name,), weight=0.0)


#: checks run side by side (threads) in ``iter_checks``: pandas, numpy and pyarrow hand the
#: interpreter back while they work, so two lanes on two cores take ≈ 0.6 of one lane's time
#: (1 M students: 4.9 → 2.9 s, BENCHMARKS.md). ``OBEC_AUDIT_CHECK_LANES=1``: one at a time.
CHECK_LANES = 2
#: above this many students (a region, the nation) checks run one at a time: two checks'
#: working memory at once would take the national list past its 8 GB (BENCHMARKS.md)
LANES_MAX_ROWS = 3_000_000
#: below this many (an area) too: the checks take a fraction of a second and threads cost
#: more than they save (the demo area: +0.1 s)
LANES_MIN_ROWS = 100_000


def side_by_side(rows: int) -> bool:
    """Whether work on a list of ``rows`` students runs beside the checks and the checks
    beside each other (``LANES_MIN_ROWS`` … ``LANES_MAX_ROWS``): the lanes here, students.csv
    written during the checks in ``round``.

    >>> side_by_side(20_000), side_by_side(1_000_000), side_by_side(6_626_068)
    (False, True, False)
    """
    return LANES_MIN_ROWS <= rows <= LANES_MAX_ROWS


def check_lanes(rows: int | None = None) -> int:
    """How many checks run at once on a list of ``rows`` students: ``OBEC_AUDIT_CHECK_LANES``
    when set (1 to 8), else ``CHECK_LANES``, never more than the machine's cores, and one
    outside ``LANES_MIN_ROWS`` … ``LANES_MAX_ROWS``.

    >>> 1 <= check_lanes() <= 8, check_lanes(6_626_068), check_lanes(20_000)
    (True, 1, 1)
    """
    try:
        want = int(os.environ.get("OBEC_AUDIT_CHECK_LANES", CHECK_LANES))
    except ValueError:
        want = CHECK_LANES
    if rows is not None and not side_by_side(rows):
        return 1
    return max(1, min(want, 8, os.cpu_count() or 1))


def iter_checks(data: CheckInput, checks: list[Check], *, progress: Callable[[str], None] | None = None,
                keep: Iterable[str] | None = None, lanes: int | None = None) -> Iterator[tuple[Check, pd.DataFrame]]:
    """(check, its findings) for each of ``checks``, in the order given. ``lanes`` checks run
    at once on threads (default ``check_lanes(rows)``), taken as lanes free up (``_Lanes``:
    heaviest first, not one that would wait for a shared value being computed); what a
    check computes does not depend on what runs beside it (checks only read ``data``, and a
    shared value is computed once, ``CheckInput.cached``). With ``keep`` (names of shared
    values the caller still wants, e.g. ``("field_masks",)``): a shared value is dropped once
    every one of ``checks`` whose ``memo`` names it has finished, and the freed memory handed
    back to the system (``io.memory.release_memory``): on the national list the ID codes and
    name keys alone are ≈ 0.6 GB that the later checks would otherwise sit on."""
    checks = list(checks)
    users = Counter(name for k in checks for name in k.memo)
    kept = set(keep) if keep is not None else None
    guard = threading.Lock()

    def finished(k: Check) -> None:
        if kept is None:
            return
        with guard:
            done = []
            for name in k.memo:
                users[name] -= 1
                if users[name] == 0 and name not in kept:
                    done.append(name)
        if done:
            data.forget(done)
            from obec_audit.io.memory import release_memory

            release_memory()

    def run(k: Check) -> pd.DataFrame:
        try:
            return k.run(data)
        finally:
            finished(k)

    rows = len(data.students) if isinstance(data.students, pd.DataFrame) else None
    lanes = check_lanes(rows) if lanes is None else max(1, int(lanes))
    if lanes == 1 or len(checks) < 2:
        for k in checks:
            if progress:
                progress(k.code)
            yield k, run(k)
        return

    futures = [Future() for _ in checks]
    lane = _Lanes(data, checks, run, futures)
    threads = [threading.Thread(target=lane.work, daemon=True, name=f"check_{j}") for j in range(lanes)]
    for t in threads:
        t.start()
    try:
        for k, fut in zip(checks, futures):
            if progress:
                progress(k.code)
            yield k, fut.result()
    finally:
        lane.stop()
        for t in threads:
            t.join()


class _Lanes:
    """``iter_checks``' lanes: each takes the next check, heaviest first (``Check.weight``,
    then the order given), passing over one that would wait for a shared value a running
    check is still computing (it is taken when that value is there, or when nothing else is
    left)."""

    def __init__(self, data: CheckInput, checks: list[Check], run, futures: list[Future]):
        self.data, self.checks, self.run, self.futures = data, checks, run, futures
        self.pending = sorted(range(len(checks)), key=lambda i: -checks[i].weight)
        self.running: set[int] = set()
        self.lock = threading.Lock()
        self.stopped = False

    def _free(self, i: int) -> bool:
        busy = {m for j in self.running for m in self.checks[j].memo}
        there = {memo_name(k) for k in list(self.data._memo)}
        return not (set(self.checks[i].memo) & (busy - there))

    def _next(self) -> int | None:
        with self.lock:
            if self.stopped or not self.pending:
                return None
            i = next((i for i in self.pending if self._free(i)), self.pending[0])
            self.pending.remove(i)
            self.running.add(i)
            return i

    def work(self) -> None:
        while (i := self._next()) is not None:
            try:
                self.futures[i].set_result(self.run(self.checks[i]))
            except BaseException as exc:  # noqa: BLE001 - raised where the caller waits for it
                self.futures[i].set_exception(exc)
            finally:
                with self.lock:
                    self.running.discard(i)

    def stop(self) -> None:
        """Take no more checks (the caller stopped, or one failed)."""
        with self.lock:
            self.stopped = True
            for i in self.pending:
                self.futures[i].cancel()
            self.pending.clear()


def concat_findings(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if p is not None and len(p)]
    if not parts:
        return empty_findings()
    out = pd.concat([p.reindex(columns=FINDING_COLUMNS) for p in parts], ignore_index=True)
    return _coerce(out)


def sort_findings(df: pd.DataFrame) -> pd.DataFrame:
    if len(df) == 0:
        return df
    key = df["severity"].map(SEVERITY_ORDER).fillna(9)
    return (
        df.assign(_k=key)
        .sort_values(["_k", "school_code", "source_file", "source_row", "check"], kind="stable",
                     na_position="last")
        .drop(columns="_k")
        .reset_index(drop=True)
    )


#: the columns of a canonical frame that ``findings`` reads
SOURCE_COLUMNS: tuple[str, ...] = (
    "school_code", "source_file", "source_sheet", "source_row", "national_id", "title", "first_name",
    "last_name",
)


def offending(df: pd.DataFrame, mask, *columns: str) -> pd.DataFrame:
    """The rows of ``df`` where ``mask`` holds, with only the columns ``findings`` reads, the
    ``columns`` the check needs and their ``<column>_raw`` companions. (Selecting rows takes
    every column: on a 47-column student frame that cost more than most checks.)

    >>> df = pd.DataFrame({"school_code": ["1", "2"], "sex": ["M", "X"], "sex_raw": ["ช", "X"], "room": ["1", "2"]})
    >>> offending(df, df["sex"].eq("X"), "sex").to_dict("list")
    {'school_code': ['2'], 'sex': ['X'], 'sex_raw': ['X']}
    """
    want = [*SOURCE_COLUMNS]
    for c in columns:
        want += [c, f"{c}_raw"]
    cols = [c for c in dict.fromkeys(want) if c in df.columns]
    m = mask.to_numpy(dtype=bool, na_value=False) if isinstance(mask, pd.Series) else np.asarray(mask, bool)
    return df.iloc[np.flatnonzero(m), [df.columns.get_loc(c) for c in cols]]


def _is_text(s: pd.Series) -> bool:
    return isinstance(s.dtype, pd.StringDtype) and s.dtype.na_value is pd.NA


def _coerce(df: pd.DataFrame) -> pd.DataFrame:
    for c in FINDING_COLUMNS:
        if c == "source_row":
            if df[c].dtype != "Int64":
                df[c] = pd.to_numeric(df[c], errors="coerce").astype("Int64")
        elif not _is_text(df[c]):
            df[c] = df[c].astype("string")
    return df


def _as_series(x, index) -> pd.Series:
    if isinstance(x, pd.Series):
        return x.reindex(index) if not x.index.equals(index) else x
    return pd.Series(x, index=index, dtype="string" if isinstance(x, str) or x is None else "object")


def findings(
    rows: pd.DataFrame,
    check: str,
    *,
    message,
    field: str | None = "",
    value=None,
    group=None,
    severity: str | None = None,
    dataset: str | None = None,
) -> pd.DataFrame:
    """Build a findings frame from the offending rows of a canonical frame, vectorised.

    ``message``, ``value``, ``group`` and ``field`` may be scalars or Series aligned on
    ``rows.index``. ``value`` defaults to the ``<field>_raw`` column when there is one, else
    ``<field>`` (when ``field`` is one name). ``severity`` and ``dataset`` default to the
    registered check's.
    """
    if len(rows) == 0:
        return empty_findings()
    idx = rows.index
    sev = severity or severity_of(check)
    if dataset is None:
        dataset = REGISTRY[check].dataset if check in REGISTRY else "students"

    def col(name) -> pd.Series:
        if name not in rows.columns:
            return pd.Series(pd.NA, index=idx, dtype="string")
        c = rows[name]
        return c if _is_text(c) or name == "source_row" else c.astype("string")

    if value is None and isinstance(field, str) and field:
        value = col(f"{field}_raw") if f"{field}_raw" in rows.columns else col(field)
    name = None
    if "first_name" in rows.columns:
        name = (
            col("title").fillna("") + col("first_name").fillna("") + " " + col("last_name").fillna("")
        ).str.strip()
    const = lambda v: pd.Series(v, index=idx, dtype="string")  # noqa: E731
    out = pd.DataFrame(
        {
            "check": const(check),
            "severity": const(sev),
            "school_code": col("school_code"),
            "source_file": col("source_file"),
            "source_sheet": col("source_sheet"),
            "source_row": col("source_row"),
            "national_id": col("national_id"),
            "field": _as_series(field, idx) if isinstance(field, pd.Series) else const(field or ""),
            "value": _as_series(value, idx) if value is not None else const(pd.NA),
            "group": _as_series(group, idx) if group is not None else const(pd.NA),
            "message": _as_series(message, idx),
            "dataset": const(dataset),
            "student_name": name if name is not None else const(pd.NA),
        },
        index=idx,
    )
    return _coerce(out.reset_index(drop=True))
