"""One school's report pack, and many packs written in parallel processes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pandas as pd

from obec_audit.reports.errors import _sheet_findings
from obec_audit.reports.forms import (
    DEFAULT_AREA, SHEET_BOARDING, SHEET_DISABILITY, SHEET_DISADVANTAGE, SHEET_IDS, _Ctx,
    _clean_school_name, _list_sheet, _sheet_counts, _sheet_notice,
)
from obec_audit.reports.layout import _Book
from obec_audit.reports.selections import (
    ID_REASON_ADVICE, ID_REASON_ORDER, _id_reason, _is_boarding, _is_disabled,
    _is_disadvantaged, _Pupils, _strs,
)
from obec_audit.schema import BOARDING_MARK, FINDING_COLUMNS
from obec_audit.thaidate import be_short_series


def _dup_rows(p: _Pupils) -> int:
    """Rows of the school whose 13-digit ID or G-code an earlier row already has."""
    seen: set[str] = set()
    n = 0
    for x, t in zip(p.nid, p.id_type):
        if x and t in ("pin", "pin-0", "gcode"):
            if x in seen:
                n += 1
            seen.add(x)
    return n


def write_school_pack(
    path,
    *,
    school_code: str,
    school_name: str,
    students: pd.DataFrame,
    findings: pd.DataFrame,
    as_of,
    area_name: str = DEFAULT_AREA,
    boarding_schools=None,
    show_full_ids: bool = True,
) -> Path:
    """Write one school's report pack (six sheets, see the module docstring) to ``path``.
    A school none of whose rows could be read (no students, findings only) gets a one-sheet
    notice of what to send again instead, with nothing to sign.

    ``students``: the school's canonical students; ``findings``: the school's findings;
    ``as_of``: the census date (C.E. date); ``boarding_schools``: SMIS codes of the
    boarding-project schools (None: unknown), used to warn on report 3;
    ``show_full_ids=False`` masks every ID (and any long digit run in values and messages).
    """
    ctx = _Ctx(str(school_code or ""), _clean_school_name(school_name), area_name or "", as_of)
    if students is None:
        students = pd.DataFrame(columns=["grade", "sex", "room"])
    if findings is None:
        findings = pd.DataFrame(columns=FINDING_COLUMNS)
    book = _Book()
    if len(students) == 0 and len(findings) > 0:
        _sheet_notice(book, ctx, findings)
        return book.save(path)
    p = _Pupils(students, show_full_ids)
    _sheet_counts(book, ctx, p, dup_rows=_dup_rows(p))

    # 2 disadvantaged
    kind = _strs(students, "disadvantage")
    _list_sheet(book, ctx, SHEET_DISADVANTAGE, p, p.select([_is_disadvantaged(v) for v in kind]),
                "ประเภทความด้อยโอกาส", kind)

    # 3 boarding
    kind = _strs(students, "boarding")
    pos = p.select([_is_boarding(v) for v in kind])
    warn = note_extra = ""
    if boarding_schools is not None:
        if ctx.school_code in {str(x) for x in boarding_schools}:
            note_extra = "(โรงเรียนอยู่ในโครงการพักนอนประจำ)"
        elif pos:
            warn = ("โรงเรียนไม่อยู่ในโครงการพักนอนประจำ: นักเรียนในรายการนี้ต้องแก้ไขข้อมูล"
                    "การพักนอนในระบบ DMC")
    shown = [v.replace(f"({BOARDING_MARK})", "").strip() or v for v in kind]
    _list_sheet(book, ctx, SHEET_BOARDING, p, pos, "ลักษณะการพักนอน", shown,
                note_extra=note_extra, warn=warn)

    # 4 disabled
    kind = _strs(students, "disability")
    _list_sheet(book, ctx, SHEET_DISABILITY, p, p.select([_is_disabled(v) for v in kind]),
                "ประเภทความพิการ", kind)

    # 5 invalid IDs
    reason = [_id_reason(t, r, n, w) for t, r, n, w in zip(p.id_type, _strs(students, "id_reason"),
                                                          p.nid, p.nid_raw)]
    pos = p.select([bool(r) for r in reason])
    present = {reason[i] for i in pos}
    legend = {k: ID_REASON_ADVICE[k] for k in ID_REASON_ORDER if k in present}
    birth = [""] * p.n
    if pos and "birth_date" in students.columns:
        for i, b in zip(pos, be_short_series(students["birth_date"].iloc[pos]).tolist()):
            birth[i] = b
    _list_sheet(book, ctx, SHEET_IDS, p, pos, "ปัญหา", reason, extra_head="วันเกิด",
                extra=birth, type_order=ID_REASON_ORDER, legend=legend)

    _sheet_findings(book, ctx, findings, show_full_ids)
    return book.save(path)


# ------------------------------------------------------------------------------ many packs
#: the students' columns a pack reads (write_packs sends only these to its workers)
PACK_STUDENT_COLUMNS: tuple[str, ...] = (
    "national_id", "national_id_raw", "id_type", "id_reason", "title", "first_name",
    "last_name", "sex", "birth_date", "grade", "grade_raw", "room", "student_no",
    "disadvantage", "disability", "boarding",
)
#: the findings' columns a pack reads beyond the contract's
PACK_FINDING_EXTRA: tuple[str, ...] = ("student_name", "set_label")
#: fewer packs than this are written in this process (starting workers costs more)
PARALLEL_MIN_PACKS = 12


def _pack_columns(pack: dict) -> dict:
    """``pack`` with its frames cut to the columns a pack reads (less to pickle)."""
    out = dict(pack)
    st = out.get("students")
    if isinstance(st, pd.DataFrame):
        keep = [c for c in st.columns if c in PACK_STUDENT_COLUMNS]
        if len(keep) < len(st.columns):
            out["students"] = st[keep]
    f = out.get("findings")
    if isinstance(f, pd.DataFrame):
        wanted = {*FINDING_COLUMNS, *PACK_FINDING_EXTRA}
        keep = [c for c in f.columns if c in wanted]
        if len(keep) < len(f.columns):
            out["findings"] = f[keep]
    return out


def _write_pack_task(pack: dict) -> str:
    """A worker's job: one pack (top-level, so Windows' spawn can pickle it)."""
    return str(write_school_pack(**pack))


def _pack_size(pack: dict) -> int:
    return sum(len(x) for x in (pack.get("students"), pack.get("findings"))
               if isinstance(x, pd.DataFrame))


def _workers(processes: int | None) -> int:
    if processes is not None:
        return max(1, int(processes))
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def write_packs(
    packs: Iterable[Mapping],
    processes: int | None = None,
    *,
    on_done: Callable[[Path], None] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> list[Path]:
    """Write many school packs, in parallel processes when it pays.

    ``packs``: one mapping per school holding :func:`write_school_pack`'s arguments
    (``path``, ``school_code``, ``school_name``, ``students`` and ``findings`` (that school's
    rows only), ``as_of``, optionally ``area_name``, ``boarding_schools``,
    ``show_full_ids``); everything in it must pickle. ``processes``: worker processes
    (None: the CPUs this process may use; 1: no workers). Fewer than
    ``PARALLEL_MIN_PACKS`` packs, or one worker, are written here, one after the other.
    ``on_done(path)`` is called in this process as each pack is written (a progress bar).
    ``meanwhile()`` is run once in this process while the workers write (after the packs
    when there are none); its error is raised after the packs are written.

    Returns the paths in the order of ``packs``. A pack that fails raises ``RuntimeError``
    naming the school (chained to the error; the packs already under way finish first); if
    the worker processes cannot be started or die, the packs not yet written are written
    here instead.
    """
    packs = [dict(p) for p in packs]
    done: list[Path | None] = [None] * len(packs)
    failed: BaseException | None = None
    workers = min(_workers(processes), len(packs))

    def finish(i: int, path) -> None:
        done[i] = Path(path)
        if on_done is not None:
            on_done(done[i])

    if workers > 1 and len(packs) >= PARALLEL_MIN_PACKS:
        from concurrent.futures import ProcessPoolExecutor, as_completed, wait
        from concurrent.futures.process import BrokenProcessPool
        from contextlib import nullcontext

        from obec_audit import workers as round_workers

        # inside a round, its pool (started when the files were read); else one of our own
        shared = round_workers.pool() if processes is None else None
        try:
            own = lambda: ProcessPoolExecutor(  # noqa: E731
                max_workers=workers, initializer=round_workers.init_worker)
            with nullcontext(shared) if shared is not None else own() as pool:
                # the biggest schools first, so no worker is left with one at the end
                order = sorted(range(len(packs)), key=lambda i: -_pack_size(packs[i]))
                futures = {pool.submit(_write_pack_task, _pack_columns(packs[i])): i
                           for i in order}
                if meanwhile is not None:
                    task, meanwhile = meanwhile, None
                    try:
                        task()
                    except BaseException as exc:  # noqa: BLE001 - raised after the packs
                        failed = exc
                # then this process writes the smallest packs no worker has started yet
                for fut in reversed(list(futures)):
                    if not fut.cancel():
                        break  # (started in order: the earlier ones are under way too)
                    i = futures.pop(fut)
                    try:
                        path = write_school_pack(**packs[i])
                    except Exception as exc:
                        for other in futures:
                            other.cancel()
                        wait(futures)
                        raise _PackError(packs[i], exc) from exc
                    finish(i, path)
                for fut in as_completed(futures):
                    i = futures[fut]
                    try:
                        finish(i, fut.result())
                    except BrokenProcessPool:
                        raise
                    except Exception as exc:
                        for other in futures:  # the packs under way finish first
                            other.cancel()
                        wait(futures)
                        raise _PackError(packs[i], exc) from exc
        except (BrokenProcessPool, OSError, NotImplementedError, ImportError):
            pass  # no workers here (or they died): what is left is written below
    for i, pack in enumerate(packs):
        if done[i] is None:
            try:
                path = write_school_pack(**pack)
            except Exception as exc:
                raise _PackError(pack, exc) from exc
            finish(i, path)
    if meanwhile is not None:
        meanwhile()
    if failed is not None:
        raise failed
    return [p for p in done if p is not None]


class _PackError(RuntimeError):
    """A pack of :func:`write_packs` failed; the message names the school."""

    def __init__(self, pack: Mapping, exc: BaseException):
        super().__init__(f"school pack {pack.get('school_code', '')}: "
                         f"{type(exc).__name__}: {exc}")


