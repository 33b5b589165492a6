"""The yearly data calendar of the area office, as data (one CSV file per academic year).

The calendar of academic year 2556 (the seed: สพป.เชียงราย เขต 1) ships as
``obec_audit/data/calendar/2556.csv`` (UTF-8 with BOM, so Excel shows the Thai). One row per
step of the seed:

============  =========================================================================
column        meaning
============  =========================================================================
academic_year B.E. academic year (``2556``)
phase         phase key: ``start``, ``round1``, ``round2``, ``mobec``, ``bobec``,
              ``semester2``, ``endyear`` (see :data:`PHASES`)
phase_th/_en  the phase's label
section       ``start_of_year`` / ``semester2`` / ``end_of_year`` (the seed's three blocks)
section_th    the block's Thai heading
step          the seed's step number inside its block (1-7, 1-2, 1-2)
title_th/_en  what happens
start, end    the period, B.E. ``DD/MM/YYYY``
deadline      the date the step's work / signed reports are due (B.E.); empty = nothing due
census_date   "ข้อมูล ณ วันที่": the census date the step's data refer to (B.E.); may be empty
responsible   ``responsible_th`` (สพป. / โรงเรียน …), ``responsible_en``
detail_th     the seed's details; ``note``: remarks (e.g. where a value is not from the seed)
============  =========================================================================

Another year without code changes
---------------------------------
:func:`load_calendar` looks for ``<year>.csv`` first in a user folder (``calendar_dir=`` or
the environment variable ``OBEC_AUDIT_CALENDAR_DIR``), then in the package data. When there is
no file for that year, the calendar is **derived** from the nearest year that has a file (the
*template*; on a tie the later year) by shifting every date by whole years: same day and
month, year + (wanted - template) (29 February becomes 28 February). Years written in the Thai
texts are shifted the same way. The derived frame says so in ``derived_from``. A derived
calendar is only a first guess: dates move every year (recent years: round 1 as of 10 June,
semester 2 as of 10 November, the end-of-year census around **31 March**, which is what the
2556 file assumes too). :func:`write_calendar` writes it to a file an officer can correct in
Excel and drop into the user folder.

Dates
-----
Every function accepts ``datetime.date`` (also ``datetime``, ``pandas.Timestamp``, ISO
``YYYY-MM-DD`` text or B.E. ``DD/MM/YYYY`` text). What people see is B.E. ``DD/MM/YYYY``
(:func:`to_be`) or a Thai date (:func:`thai_date`). The academic year starts on 16 May
(``obec_audit.thaidate.academic_year``).

Overlaps and precedence
-----------------------
Periods overlap (start steps 2-3 and round 1 are all 10-25 June). :func:`phase_on` answers
with the open row of the *latest phase in* :data:`PHASES` *order* (``round1`` beats ``start``,
``bobec`` beats ``mobec``); within that phase, the open step that started last (then the
higher step). When nothing is open it returns the most recently ended row (``is_open`` False)
or ``None`` when nothing has ended yet (``recent=False``: always ``None``).

>>> import datetime as dt
>>> academic_year(dt.date(2013, 5, 16)), academic_year(dt.date(2013, 5, 15))
(2556, 2555)
>>> phase_on(dt.date(2013, 6, 20))['phase']
'round1'
>>> days_left(dt.date(2013, 6, 20))
5
>>> to_be(census_date_for('round1', 2556))
'10/06/2556'
>>> to_be(census_date_for('endyear', 2569))
'31/03/2570'
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path

import pandas as pd

from obec_audit.termtext import cells as _cells
from obec_audit.termtext import fit as _fit
from obec_audit.termtext import wrap
from obec_audit.thaidate import (
    BE_OFFSET,
    BE_YEAR_MIN,
    THAI_MONTHS,
    academic_year,
    academic_year_start,
    be_short,
    be_year,
    parse_date,
    thai_date,
)

__all__ = [
    "PHASES",
    "PHASE_TH",
    "ROUNDS",
    "CALENDAR_COLUMNS",
    "PACKAGE_CALENDAR_DIR",
    "ENV_VAR",
    "CalendarError",
    "academic_year",
    "academic_year_start",
    "to_be",
    "parse_date",
    "thai_date",
    "available_years",
    "load_calendar",
    "write_calendar",
    "phase_summary",
    "phase_on",
    "next_due",
    "days_left",
    "deadline_for",
    "current_round",
    "census_date_for",
    "calendar_table",
    "calendar_lines",
    "today_lines",
]

#: phase keys in calendar order; also the precedence order of :func:`phase_on` (later wins)
PHASES: tuple[str, ...] = ("start", "round1", "round2", "mobec", "bobec", "semester2", "endyear")
PHASE_TH: dict[str, str] = {
    "start": "ต้นปีการศึกษา: อบรมและบันทึกข้อมูล",
    "round1": "ตรวจสอบและรับรองข้อมูล ครั้งที่ 1",
    "round2": "ตรวจสอบและรับรองข้อมูล ครั้งที่ 2",
    "mobec": "ข้อมูลครุภัณฑ์ (M-OBEC)",
    "bobec": "ข้อมูลอาคารและสิ่งก่อสร้าง (B-OBEC)",
    "semester2": "ข้อมูลภาคเรียนที่ 2",
    "endyear": "ข้อมูลสิ้นปีการศึกษา",
}
#: the phases an officer verifies and certifies ("rounds"): every phase but ``start``
ROUNDS: tuple[str, ...] = PHASES[1:]

CALENDAR_COLUMNS: list[str] = [
    "academic_year", "phase", "phase_th", "phase_en", "section", "section_th", "step",
    "title_th", "title_en", "start", "end", "deadline", "census_date",
    "responsible_th", "responsible_en", "detail_th", "note",
]
DATE_COLUMNS: tuple[str, ...] = ("start", "end", "deadline", "census_date")
_TEXT_SHIFT_COLUMNS = ("phase_th", "section_th", "title_th", "title_en", "detail_th", "note")

PACKAGE_CALENDAR_DIR = Path(__file__).resolve().parent / "data" / "calendar"
ENV_VAR = "OBEC_AUDIT_CALENDAR_DIR"



class CalendarError(ValueError):
    """A calendar file that cannot be used (message in Thai and English)."""


# --------------------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------------------
def _date(value) -> dt.date:
    d = parse_date(value)
    if d is None:
        raise ValueError("ไม่ได้ระบุวันที่ (no date given)")
    return d


def to_be(value) -> str:
    """B.E. ``DD/MM/YYYY`` ('' for no date) of a date or typed date text.

    >>> import datetime as dt; to_be(dt.date(2013, 6, 25))
    '25/06/2556'
    """
    return be_short(parse_date(value))


def _thai_period(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return ""
    if start is None or end is None or start == end:
        return thai_date(start or end)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}-{end.day} {THAI_MONTHS[end.month - 1]} {be_year(end)}"
    if start.year == end.year:
        return f"{start.day} {THAI_MONTHS[start.month - 1]} - {thai_date(end)}"
    return f"{thai_date(start)} - {thai_date(end)}"


def _be_year(year) -> int:
    y = int(year)
    return y if y >= BE_YEAR_MIN else y + BE_OFFSET


def _shift_date(d: dt.date | None, years: int) -> dt.date | None:
    if d is None:
        return None
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


# --------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------
def _dirs(calendar_dir) -> list[Path]:
    dirs: list[Path] = []
    if calendar_dir is not None:
        dirs.append(Path(calendar_dir))
    env = os.environ.get(ENV_VAR)
    if env:
        dirs.append(Path(env))
    dirs.append(PACKAGE_CALENDAR_DIR)
    return dirs


def _year_files(calendar_dir=None) -> dict[int, Path]:
    """{B.E. year: file}; the user folder wins over the package data."""
    found: dict[int, Path] = {}
    for d in reversed(_dirs(calendar_dir)):
        if d.is_dir():
            for p in d.glob("*.csv"):
                if re.fullmatch(r"\d{4}", p.stem):
                    found[int(p.stem)] = p
    return found


def available_years(calendar_dir=None) -> list[int]:
    """B.E. years that have a calendar file (user folder or package data)."""
    return sorted(_year_files(calendar_dir))


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp874"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise CalendarError(f"อ่านไฟล์ปฏิทินไม่ได้ (ไม่ใช่ UTF-8 หรือ cp874): {path} (cannot decode)")


def _read_file(path: Path) -> pd.DataFrame:
    text = _read_text(path)
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    missing = [c for c in ("phase", "step", "start", "end") if c not in df.columns]
    if missing:
        raise CalendarError(
            f"ไฟล์ปฏิทิน {path.name} ไม่มีคอลัมน์ {', '.join(missing)} "
            f"(calendar file lacks columns {missing})"
        )
    df = df[[c for c in df.columns if not c.startswith("Unnamed")]]
    for c in df.columns:
        df[c] = df[c].astype(str).str.strip()
    df = df[(df != "").any(axis=1)]  # drop blank rows
    for c in CALENDAR_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df["phase"] = df["phase"].str.lower()
    bad = sorted(set(df["phase"]) - set(PHASES))
    if bad:
        raise CalendarError(
            f"ไฟล์ปฏิทิน {path.name}: ช่วงงาน (phase) ไม่รู้จัก {bad}; ใช้ได้: {', '.join(PHASES)} "
            f"(unknown phase keys)"
        )
    if (df["academic_year"] == "").any():
        df.loc[df["academic_year"] == "", "academic_year"] = path.stem
    return df.reset_index(drop=True)


def _finish(df: pd.DataFrame, source: str, derived_from: int | None) -> pd.DataFrame:
    """Parse dates into ``*_ce`` columns (``datetime.date``), normalise the B.E. text."""
    out = df[CALENDAR_COLUMNS].copy()
    for c in DATE_COLUMNS:
        parsed = []
        for i, v in enumerate(out[c].tolist()):
            try:
                parsed.append(parse_date(v))
            except ValueError as exc:
                raise CalendarError(
                    f"ปฏิทิน ({source}) แถวที่ {i + 2} คอลัมน์ {c}: {exc} (bad date in row {i + 2})"
                ) from None
        out[c + "_ce"] = pd.Series(parsed, index=out.index, dtype="object")
        out[c] = [to_be(d) for d in parsed]
    for i in out.index[out["start_ce"].isna() | out["end_ce"].isna()]:
        raise CalendarError(f"ปฏิทิน ({source}) แถวที่ {i + 2}: ไม่มีวันเริ่มหรือวันสิ้นสุด (no start/end)")
    swap = out["end_ce"] < out["start_ce"]
    if swap.any():
        i = out.index[swap][0]
        raise CalendarError(f"ปฏิทิน ({source}) แถวที่ {i + 2}: วันสิ้นสุดก่อนวันเริ่ม (end before start)")
    out["academic_year"] = out["academic_year"].astype(int)
    out["step"] = pd.to_numeric(out["step"], errors="coerce").astype("Int64")
    out["phase_order"] = out["phase"].map({p: i for i, p in enumerate(PHASES)}).astype(int)
    out["source"] = source
    out["derived_from"] = pd.array([derived_from] * len(out), dtype="Int64")
    return out.sort_values(["phase_order", "step", "start_ce"], kind="stable").reset_index(drop=True)


def _derive(template: pd.DataFrame, from_year: int, to_year: int) -> pd.DataFrame:
    shift = to_year - from_year
    df = template.copy()
    for c in DATE_COLUMNS:
        df[c] = [to_be(_shift_date(parse_date(v), shift)) for v in df[c]]
    df["academic_year"] = str(to_year)
    # years written in the texts move too (one pass, so 2556->2557 does not cascade)
    years = {str(y): str(y + shift) for y in range(from_year - 1, from_year + 3)}
    pat = re.compile(r"(?<!\d)(" + "|".join(years) + r")(?!\d)")
    for c in _TEXT_SHIFT_COLUMNS:
        df[c] = df[c].map(lambda s: pat.sub(lambda m: years[m[1]], s))
    note = f"derived from {from_year} (dates shifted by {shift:+d} years; check them)"
    df["note"] = df["note"].map(lambda s: f"{s}; {note}" if s else note)
    return df


def load_calendar(year_be: int, calendar_dir=None) -> pd.DataFrame:
    """The calendar of one academic year (B.E.; a C.E. year is converted), one row per step.

    Reads ``<year>.csv`` from ``calendar_dir``, ``$OBEC_AUDIT_CALENDAR_DIR`` or the package
    data (first found); otherwise derives it from the nearest year with a file (see the module
    docstring). Columns: :data:`CALENDAR_COLUMNS` (dates as B.E. text) plus ``start_ce``,
    ``end_ce``, ``deadline_ce``, ``census_date_ce`` (``datetime.date`` or ``None``),
    ``phase_order``, ``source`` (file path or ``derived:<year>``) and ``derived_from``.

    >>> cal = load_calendar(2569)
    >>> cal.loc[cal.phase == 'round1', 'deadline'].iloc[0], int(cal.derived_from.iloc[0])
    ('25/06/2569', 2556)
    """
    year = _be_year(year_be)
    files = _year_files(calendar_dir)
    key = ("calendar", year, tuple(sorted((y, str(p), *_stamp(p)) for y, p in files.items())))
    hit = _CACHE.get(key)
    if hit is None:
        hit = _load_uncached(year, files)
        if len(_CACHE) > 256:
            _CACHE.clear()
        _CACHE[key] = hit
    return hit.copy()


_CACHE: dict = {}


def _stamp(p: Path) -> tuple[int, int]:
    try:
        st = p.stat()
        return st.st_mtime_ns, st.st_size
    except OSError:
        return 0, 0


def _load_uncached(year: int, files: dict[int, Path]) -> pd.DataFrame:
    if year in files:
        df = _read_file(files[year])
        df = df[df["academic_year"].astype(str) == str(year)] if (df["academic_year"] != "").all() else df
        if df.empty:
            raise CalendarError(f"ไฟล์ปฏิทิน {files[year]} ไม่มีแถวของปี {year} (no rows for {year})")
        return _finish(df, str(files[year]), None)
    if not files:
        raise CalendarError("ไม่พบไฟล์ปฏิทินใดเลย (no calendar file at all)")
    template_year = min(files, key=lambda y: (abs(y - year), -y))
    template = _read_file(files[template_year])
    return _finish(_derive(template, template_year, year), f"derived:{template_year}", template_year)


def write_calendar(year_be: int, path=None, calendar_dir=None, overwrite: bool = False) -> Path:
    """Write the (loaded or derived) calendar of ``year_be`` as an editable CSV (UTF-8 with BOM).

    ``path`` may be a file or a folder (then ``<folder>/<year>.csv``); default: the user folder
    (``calendar_dir`` or ``$OBEC_AUDIT_CALENDAR_DIR``). An existing file is never replaced
    unless ``overwrite=True``. Returns the path written.
    """
    year = _be_year(year_be)
    if path is None:
        base = calendar_dir or os.environ.get(ENV_VAR)
        if not base:
            raise CalendarError(
                f"ระบุที่เก็บไฟล์ปฏิทิน (path= หรือตัวแปร {ENV_VAR}) (give a path or set {ENV_VAR})"
            )
        path = Path(base)
    path = Path(path)
    if path.is_dir() or path.suffix.lower() != ".csv":
        path = path / f"{year}.csv"
    if path.exists() and not overwrite:
        raise FileExistsError(f"มีไฟล์ {path} อยู่แล้ว จะไม่เขียนทับ (exists; pass overwrite=True)")
    cal = load_calendar(year, calendar_dir=calendar_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CALENDAR_COLUMNS)
    for row in cal[CALENDAR_COLUMNS].astype(str).itertuples(index=False):
        w.writerow(list(row))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
        f.write(buf.getvalue())
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return path


# --------------------------------------------------------------------------------------
# questions
# --------------------------------------------------------------------------------------
def _calendars_around(when: dt.date, calendar, calendar_dir, before: int = 1, after: int = 1):
    if calendar is not None:
        return calendar
    y = academic_year(when)
    frames = [load_calendar(y + k, calendar_dir) for k in range(-before, after + 1)]
    return pd.concat(frames, ignore_index=True)


def phase_summary(year_be: int | None = None, calendar=None, calendar_dir=None) -> pd.DataFrame:
    """One row per phase of a year: ``phase``, labels, ``start_ce`` (earliest step start),
    ``end_ce`` (latest end), ``deadline_ce`` (latest deadline), ``census_date_ce`` (first
    non-empty), plus B.E. text ``start``/``end``/``deadline``/``census_date``."""
    if calendar is None:
        files = _year_files(calendar_dir)
        key = ("summary", _be_year(year_be), tuple(sorted((y, str(p), *_stamp(p)) for y, p in files.items())))
        if key not in _CACHE:
            _CACHE[key] = _summary(load_calendar(year_be, calendar_dir))
        return _CACHE[key].copy()
    return _summary(calendar)


def _summary(cal: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (year, phase), g in cal.groupby(["academic_year", "phase"], sort=False):
        deadlines = [d for d in g["deadline_ce"] if d is not None]
        census = [d for d in g["census_date_ce"] if d is not None]
        rows.append(
            {
                "academic_year": int(year),
                "phase": phase,
                "phase_th": g["phase_th"].iloc[0] or PHASE_TH[phase],
                "phase_en": g["phase_en"].iloc[0],
                "start_ce": min(g["start_ce"]),
                "end_ce": max(g["end_ce"]),
                "deadline_ce": max(deadlines) if deadlines else None,
                "census_date_ce": census[0] if census else None,
                "phase_order": PHASES.index(phase),
            }
        )
    out = pd.DataFrame(rows)
    for c in DATE_COLUMNS:
        out[c] = out[c + "_ce"].map(to_be)
    return out.sort_values(["academic_year", "phase_order"]).reset_index(drop=True)


def phase_on(when, calendar=None, calendar_dir=None, recent: bool = True) -> pd.Series | None:
    """The calendar row open on ``when`` (start <= when <= end), with ``is_open`` True.

    Precedence when several rows are open: the latest phase in :data:`PHASES` order wins
    (``round1`` over ``start``); within it, the step that started last, then the higher step.
    Nothing open: the most recently ended row with ``is_open`` False (``recent=True``), or
    ``None`` (``recent=False``, or nothing ended yet).
    """
    d = _date(when)
    cal = _calendars_around(d, calendar, calendar_dir)
    open_ = cal[(cal["start_ce"] <= d) & (cal["end_ce"] >= d)]
    if len(open_):
        row = open_.sort_values(["phase_order", "start_ce", "step"], kind="stable").iloc[-1].copy()
        row["is_open"] = True
        return row
    if not recent:
        return None
    ended = cal[cal["end_ce"] < d]
    if ended.empty:
        return None
    row = ended.sort_values(["end_ce", "phase_order", "step"], kind="stable").iloc[-1].copy()
    row["is_open"] = False
    return row


def next_due(when, calendar=None, calendar_dir=None) -> pd.Series | None:
    """The calendar row with the next deadline on or after ``when`` (due today counts).

    Ties: the latest phase in :data:`PHASES` order, then the higher step. The row carries
    ``days_left`` (0 on the day itself). ``None`` only when a passed ``calendar`` has nothing due.
    """
    d = _date(when)
    cal = _calendars_around(d, calendar, calendar_dir, before=0, after=1)
    due = cal[cal["deadline_ce"].map(lambda x: x is not None and x >= d)]
    if due.empty:
        return None
    first = due[due["deadline_ce"] == min(due["deadline_ce"])]
    row = first.sort_values(["phase_order", "step"], kind="stable").iloc[-1].copy()
    row["days_left"] = (row["deadline_ce"] - d).days
    return row


def deadline_for(phase: str, year_be: int, calendar=None, calendar_dir=None) -> dt.date | None:
    """The phase's deadline (latest deadline of its steps) in academic year ``year_be``."""
    phase = _check_phase(phase)
    s = phase_summary(year_be, calendar=calendar, calendar_dir=calendar_dir)
    s = s[(s["phase"] == phase) & (s["academic_year"] == _be_year(year_be))]
    return None if s.empty else s["deadline_ce"].iloc[0]


def days_left(when, phase: str | None = None, calendar=None, calendar_dir=None) -> int | None:
    """Days from ``when`` to a deadline: the next deadline (``phase=None``), or the deadline of
    ``phase`` in the academic year of ``when`` (negative once it has passed: days overdue).

    >>> import datetime as dt; days_left(dt.date(2013, 6, 27), 'round1')
    -2
    """
    d = _date(when)
    if phase is None:
        row = next_due(d, calendar=calendar, calendar_dir=calendar_dir)
        return None if row is None else int(row["days_left"])
    dl = deadline_for(phase, academic_year(d), calendar=calendar, calendar_dir=calendar_dir)
    return None if dl is None else (dl - d).days


def current_round(when, calendar=None, calendar_dir=None) -> pd.Series | None:
    """The round (:data:`ROUNDS`: every phase but ``start``) an officer is in or next to.

    In: a round whose period holds ``when`` (precedence as :func:`phase_on`), ``status``
    ``'open'``. Otherwise the next round to start, ``status`` ``'upcoming'``. A phase-summary
    row (``phase``, ``phase_th``, ``start``, ``end``, ``deadline``, ``census_date`` in B.E. text
    and ``*_ce`` dates) plus ``status`` and ``days_left`` (to its deadline).

    >>> import datetime as dt; r = current_round(dt.date(2013, 8, 1)); (r['phase'], r['status'])
    ('mobec', 'upcoming')
    """
    d = _date(when)
    cal = _calendars_around(d, calendar, calendar_dir, before=1, after=1)
    s = phase_summary(calendar=cal)
    s = s[s["phase"].isin(ROUNDS)]
    open_ = s[(s["start_ce"] <= d) & (s["end_ce"] >= d)]
    if len(open_):
        # precedence as phase_on: the latest phase in PHASES order among open ones
        row = open_.sort_values(["phase_order"], kind="stable").iloc[-1].copy()
        row["status"] = "open"
    else:
        later = s[s["start_ce"] > d]
        if later.empty:
            return None
        row = later.sort_values(["start_ce", "phase_order"], kind="stable").iloc[0].copy()
        row["status"] = "upcoming"
    row["days_left"] = None if row["deadline_ce"] is None else (row["deadline_ce"] - d).days
    return row


def census_date_for(phase: str, year_be: int, calendar=None, calendar_dir=None) -> dt.date | None:
    """The census date ("ข้อมูล ณ วันที่") of ``phase`` in academic year ``year_be`` (B.E.;
    a C.E. year is converted); ``None`` when the calendar gives none (M-OBEC, B-OBEC in 2556)."""
    phase = _check_phase(phase)
    s = phase_summary(year_be, calendar=calendar, calendar_dir=calendar_dir)
    s = s[(s["phase"] == phase) & (s["academic_year"] == _be_year(year_be))]
    return None if s.empty else s["census_date_ce"].iloc[0]


def _check_phase(phase: str) -> str:
    p = str(phase).strip().lower()
    if p not in PHASES:
        raise ValueError(f"ไม่รู้จักช่วงงาน {phase!r}; ใช้ได้: {', '.join(PHASES)} (unknown phase)")
    return p


#: Thai column labels of :func:`calendar_table`
TABLE_LABELS_TH: dict[str, str] = {
    "phase_th": "ช่วงงาน",
    "step": "ขั้นที่",
    "title_th": "การดำเนินงาน",
    "period_th": "ระยะเวลา",
    "start": "วันเริ่ม",
    "end": "วันสิ้นสุด",
    "deadline": "กำหนดส่ง",
    "census_date": "ข้อมูล ณ วันที่",
    "responsible_th": "ผู้ดำเนินการ",
}


def calendar_table(year_be: int, calendar_dir=None, calendar=None) -> pd.DataFrame:
    """The calendar for display: Thai column labels, B.E. dates, in calendar order."""
    cal = calendar if calendar is not None else load_calendar(year_be, calendar_dir)
    out = cal.copy()
    out["period_th"] = [_thai_period(s, e) for s, e in zip(out["start_ce"], out["end_ce"])]
    out = out[list(TABLE_LABELS_TH)].rename(columns=TABLE_LABELS_TH)
    return out.reset_index(drop=True)



# --------------------------------------------------------------------------------------
# text for a terminal (``obec-audit calendar``): every line at most ``width`` characters
# --------------------------------------------------------------------------------------
def _period(start, end) -> str:
    a, b = to_be(start), to_be(end)
    return a if a == b else f"{a}-{b}"


def calendar_lines(year_be: int, details: bool = False, width: int = 100,
                   calendar_dir=None) -> list[str]:
    """The year's calendar as text lines of at most ``width`` characters: one row per phase
    (period, deadline, census date, B.E.); ``details``: then every step of every phase."""
    cal = load_calendar(year_be, calendar_dir)
    summ = phase_summary(calendar=cal)
    year = int(cal["academic_year"].iloc[0])
    head = f"ปฏิทินการจัดทำข้อมูล ปีการศึกษา {year}"
    if cal["derived_from"].notna().any():
        head += f" (คาดจากปฏิทินปี {int(cal['derived_from'].iloc[0])}: ตรวจวันที่อีกครั้ง)"
    out = wrap(head, width)
    cols = [("ช่วง", 9), ("ช่วงงาน", 0), ("ระยะเวลา", 21), ("กำหนดส่ง", 10), ("ข้อมูล ณ", 10)]
    fixed = sum(n for _, n in cols) + 2 * (len(cols) - 1)
    names = [str(x) for x in summ["phase_th"]]
    marks = max(len(x) - _cells(x) for x in names)  # padded by what shows, counted by len
    name_w = max(12, min(max(_cells(x) for x in names), width - fixed - marks))
    widths = [n or name_w for _, n in cols]

    def row(values) -> str:
        cells = [_fit(v, w) for v, w in zip(values, widths)]
        text = "  ".join(c + " " * (w - _cells(c)) for c, w in zip(cells, widths))
        return text.rstrip()

    out.append(row([c for c, _ in cols]))
    out.append(row(["-" * w for w in widths]))
    for r in summ.itertuples(index=False):
        out.append(row([r.phase, r.phase_th, _period(r.start_ce, r.end_ce), r.deadline,
                        r.census_date]))
    if not details:
        out += ["", *wrap("ทุกขั้นตอน: obec-audit calendar --details / every step: --details", width)]
        return out
    for phase, g in cal.groupby("phase", sort=False):
        out += ["", *wrap(f"{phase}: {g['phase_th'].iloc[0] or PHASE_TH[phase]}", width)]
        for r in g.itertuples(index=False):
            step = f"ขั้นที่ {r.step}  {_period(r.start_ce, r.end_ce)}"
            if r.deadline:
                step += f"  กำหนดส่ง {r.deadline}"
            if r.responsible_th:
                step += f"  ({r.responsible_th})"
            out += wrap(step, width, indent="  ")
            out += wrap(r.title_th, width, indent="      ")
            if r.detail_th:
                out += wrap(r.detail_th, width, indent="      ")
    return out


def today_lines(day, width: int = 100, calendar_dir=None) -> list[str]:
    """What is open on ``day`` and what is due next, as text lines."""
    d = _date(day)
    lines = [f"วันที่ {thai_date(d)}"]
    row = phase_on(d, calendar_dir=calendar_dir)
    if row is not None and bool(row.get("is_open", True)):
        lines.append(f"ช่วงที่เปิดอยู่: {row.get('phase_th') or row.get('phase')} (ถึง {row.get('end', '')})")
    elif row is not None:
        lines.append(f"ขณะนี้ไม่มีช่วงที่เปิดอยู่ ช่วงล่าสุด: {row.get('phase_th') or row.get('phase')} "
                     f"(สิ้นสุด {row.get('end', '')})")
    nxt = next_due(d, calendar_dir=calendar_dir)
    if nxt is not None:
        lines.append(f"กำหนดส่งถัดไป: {nxt.get('title_th', '')} {nxt.get('deadline', '')} "
                     f"(อีก {int(nxt['days_left'])} วัน)")
    return [x for line in lines for x in wrap(line, width)]
