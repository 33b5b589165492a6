"""The command line's named inputs, checked before any work is done.

Every mistake a person can make on the command line (a mistyped path, ``--out`` naming a
file, a date that does not exist) stops the run at once with exit status 2 and one line,
Thai then English, that carries a stable message code in brackets, e.g.
``[input-missing] ไม่พบ … / --staff: not found: …``. Tests assert the code, not the wording.

Codes: ``input-missing``, ``input-empty``, ``input-not-file``, ``boarding-empty``,
``out-is-file``, ``out-unwritable``, ``out-not-empty``, ``out-overlaps-input``,
``as-of-invalid``, ``as-of-future``, ``as-of-ambiguous``, ``date-invalid``, ``year-invalid``, ``rounds-missing``,
``port-invalid``, ``ip-invalid``; warnings (the run goes on): ``input-unused``, ``previous-missing``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from obec_audit.thaidate import (
    DateError,
    arabic_digits,
    be_short,
    be_year,
    date_era,
    parse_date,
    thai_date,
)

__all__ = [
    "OptionError",
    "INPUT_OPTIONS",
    "AsOf",
    "check_inputs",
    "check_file",
    "read_boarding_schools",
    "check_out",
    "resolve_as_of",
    "parse_user_date",
    "check_year",
    "check_port",
    "check_ip",
    "unused_options",
    "today",
]

#: option name (``argparse`` dest) → what it names, in Thai
INPUT_OPTIONS: dict[str, str] = {
    "previous": "แฟ้มรอบก่อน",
    "discharges": "แฟ้มนักเรียนที่จำหน่าย",
    "staff": "แฟ้มบุคลากร",
    "mobec": "แฟ้มครุภัณฑ์ M-OBEC",
    "mobec_previous": "แฟ้มครุภัณฑ์ปีก่อน",
    "bobec": "แฟ้มอาคาร B-OBEC",
    "class_counts": "แฟ้มจำนวนห้องเรียน EMIS",
}

#: files a folder given as input may hold (what the loaders read)
_READABLE = (".xlsx", ".xlsm", ".xls", ".csv", ".ods", ".txt", ".html", ".htm", ".zip",
             ".parquet", ".pq", ".gz")


class OptionError(Exception):
    """A mistake on the command line: ``code`` (stable), Thai and English text."""

    def __init__(self, code: str, th: str, en: str):
        super().__init__(f"[{code}] {th} / {en}")
        self.code = code
        self.th = th
        self.en = en

    @property
    def line(self) -> str:
        return str(self)


def flag(dest: str) -> str:
    """``mobec_previous`` → ``--mobec-previous``."""
    return "--" + dest.replace("_", "-")


def today() -> dt.date:
    """Today (a function so tests can fix the day)."""
    return dt.date.today()


# ------------------------------------------------------------------------------ inputs
def check_inputs(paths, option: str | None = None) -> list[Path]:
    """Every path exists; a folder holds at least one file the loaders can read.

    ``option``: the argparse dest (``staff``), or None for the positional INPUTs.
    """
    what = flag(option) if option else "INPUT"
    out = []
    for p in paths or []:
        path = Path(p).expanduser()
        if not path.exists():
            raise OptionError(
                "input-missing",
                f"ไม่พบ {p} ({what}): ตรวจชื่อแฟ้มหรือโฟลเดอร์อีกครั้ง",
                f"{what}: not found: {p}",
            )
        if path.is_dir() and not any(
            f.is_file() and f.name.lower().endswith(_READABLE) and not f.name.startswith(("~$", "."))
            for f in path.rglob("*")
        ):
            raise OptionError(
                "input-empty",
                f"โฟลเดอร์ {p} ({what}) ไม่มีแฟ้ม .xlsx .xls .csv ให้อ่าน",
                f"{what}: folder {p} holds no .xlsx/.xls/.csv file",
            )
        out.append(path)
    return out


def check_file(path, option: str) -> Path:
    """A single file (not a folder) that exists."""
    p = Path(path).expanduser()
    if not p.exists():
        raise OptionError("input-missing", f"ไม่พบแฟ้ม {path} ({flag(option)})",
                          f"{flag(option)}: not found: {path}")
    if not p.is_file():
        raise OptionError("input-not-file", f"{path} ({flag(option)}) ไม่ใช่แฟ้ม",
                          f"{flag(option)}: {path} is not a file")
    return p


def read_boarding_schools(path) -> frozenset[str]:
    """The boarding-project school codes of ``--boarding-schools`` (at least one)."""
    # the round's own reader, so what is checked here is what the round will use
    from obec_audit.round import read_school_list

    p = check_file(path, "boarding_schools")
    try:
        codes = read_school_list(p)
    except OSError as exc:
        raise OptionError("input-missing", f"อ่านแฟ้ม {path} ไม่ได้ ({exc.strerror})",
                          f"--boarding-schools: cannot read {path}: {exc.strerror}") from None
    if not codes:
        raise OptionError(
            "boarding-empty",
            f"แฟ้ม {path} ไม่มีรหัสโรงเรียน 8 หลักเลย (หนึ่งรหัสต่อบรรทัด)",
            f"--boarding-schools: no 8-digit school code in {path} (one per line)",
        )
    return codes


# --------------------------------------------------------------------------------- out
def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def check_out(out, inputs=(), *, allow_foreign: bool = False) -> Path:
    """``--out`` can take a round: not a file, writable beside it (the round is written to a
    hidden folder there, then moved into place), not overlapping an input, and either new,
    empty, or an earlier round's folder (which is replaced as a whole)."""
    from obec_audit import outdir

    o = Path(out).expanduser()
    if o.exists() and not o.is_dir():
        raise OptionError("out-is-file", f"--out {out} เป็นแฟ้ม ไม่ใช่โฟลเดอร์: ตั้งชื่อโฟลเดอร์ใหม่",
                          f"--out {out} is a file, not a folder")
    anc = o.absolute()
    while not anc.exists():
        anc = anc.parent
    if not anc.is_dir():
        raise OptionError("out-is-file", f"--out {out}: {anc} เป็นแฟ้ม ไม่ใช่โฟลเดอร์",
                          f"--out {out}: {anc} is a file, not a folder")
    real = o.resolve()
    for p in inputs:
        rp = Path(p).expanduser().resolve()
        if _inside(real, rp) or _inside(rp, real):
            raise OptionError(
                "out-overlaps-input",
                f"--out {out} ซ้อนกับแฟ้มที่ตรวจ {p}: เลือกโฟลเดอร์ผลแยกต่างหาก",
                f"--out {out} overlaps the input {p}: choose a separate folder",
            )
    try:
        probe = tempfile.mkdtemp(prefix=".obec-write-test-", dir=anc)
        os.rmdir(probe)
    except OSError as exc:
        raise OptionError(
            "out-unwritable",
            f"เขียนผลลงใน {out} ไม่ได้ ({exc.strerror or exc}): เลือกโฟลเดอร์อื่น",
            f"--out {out}: cannot write there ({exc.strerror or exc})",
        ) from None
    if not allow_foreign and o.is_dir() and outdir.foreign_entries(o) and outdir.previous_round(o) is None:
        raise OptionError(
            "out-not-empty",
            f"โฟลเดอร์ {out} มีแฟ้มอื่นอยู่และไม่ใช่ผลการตรวจรอบก่อน: เลือกโฟลเดอร์ว่างหรือโฟลเดอร์ใหม่",
            f"--out {out} holds other files and is not an earlier round's folder: "
            "choose a new or empty folder",
        )
    return o


# ------------------------------------------------------------------------------ dates
def parse_user_date(text: str, option: str = "--as-of", code: str = "as-of-invalid"):
    """(date, note) from what a person typed; ``note`` says how a C.E. year in the B.E. form
    (``10/06/2026``) or a B.E. year in the ISO form was read ('' otherwise)."""
    try:
        d = parse_date(text)
    except DateError as exc:
        raise OptionError(code, f"{option}: {exc}".split(" / ")[0], f"{option}: {exc}".split(" / ")[-1]) from None
    if d is None:
        raise OptionError(code, f"{option} ว่างอยู่: ใส่วันที่ เช่น 10/06/2569",
                          f"{option} is empty: give a date, e.g. 10/06/2569")
    iso = bool(re.match(r"\s*\d{4}-", arabic_digits(text)))
    era = date_era(text)
    note = ""
    if era == "CE" and not iso:
        note = (f"ปี {d.year} ใน {text!r} เป็น ค.ศ. จึงใช้ พ.ศ. {be_year(d)} / "
                f"the year {d.year} in {text!r} was read as C.E.")
    elif era == "BE" and iso:
        note = f"ปี {be_year(d)} ใน {text!r} เป็น พ.ศ. / the year in {text!r} was read as B.E."
    return d, note


@dataclass
class AsOf:
    """The census date and phase a round uses, and why (the first line of ``check``)."""

    date: dt.date
    phase: str
    date_source: str  # 'option', 'folder', 'calendar', 'today'
    phase_source: str  # 'option', 'calendar'
    why_th: str
    why_en: str
    note: str = ""

    @property
    def line(self) -> str:
        from obec_audit.calendar import PHASE_TH

        head = (f"ข้อมูล ณ วันที่ {thai_date(self.date)} ({be_short(self.date)}) "
                f"ช่วง {self.phase} ({PHASE_TH.get(self.phase, self.phase)}): {self.why_th}")
        return f"{head} / as of {self.date.isoformat()}, phase {self.phase}: {self.why_en}"


def resolve_as_of(as_of: str | None, inputs, phase: str | None, has_previous: bool,
                  when: dt.date | None = None) -> AsOf:
    """``--as-of`` if given; else the date in the input folders' names (all the same); else
    the census date of the calendar's current round (else today). The phase: ``--phase``,
    else the calendar's phase for that date."""
    from obec_audit.round import as_of_from_folders, default_as_of, phase_for

    note = ""
    if as_of:
        d, note = parse_user_date(as_of)
        if d > (when or today()) + dt.timedelta(days=366):
            raise OptionError(
                "as-of-future",
                f"--as-of {as_of} ({thai_date(d)}) อยู่ในอนาคตเกิน 1 ปี: ตรวจปี พ.ศ. อีกครั้ง",
                f"--as-of {as_of} ({d.isoformat()}) is more than a year ahead: check the year",
            )
        src, th, en = "option", f"วันที่จาก --as-of {as_of}", f"date from --as-of {as_of}"
    else:
        found = as_of_from_folders(inputs)  # the one rule, shared with run_round
        if len(found) > 1:
            names = ", ".join(sorted(found.values()))
            raise OptionError(
                "as-of-ambiguous",
                f"ชื่อโฟลเดอร์ให้วันที่ต่างกัน ({names}): ระบุ --as-of",
                f"the input folders name different dates ({names}): give --as-of",
            )
        if found:
            d, name = next(iter(found.items()))
            src, th, en = ("folder", f"วันที่จากชื่อโฟลเดอร์ {name}",
                           f"date from the folder name {name}")
        else:
            d, cal_phase = default_as_of(when or today())
            if cal_phase:
                src = "calendar"
                th = (f"ไม่ได้ระบุ --as-of และชื่อโฟลเดอร์ไม่ใช่วันที่ จึงใช้วันที่ของรอบ {cal_phase} "
                      "ตามปฏิทิน (ถ้าไม่ใช่ ให้ระบุ --as-of)")
                en = (f"no --as-of and no date in the folder name: the calendar's current round "
                      f"{cal_phase} (give --as-of if that is wrong)")
            else:
                src = "today"
                th = "ไม่ได้ระบุ --as-of: ใช้วันนี้ (ถ้าไม่ใช่ ให้ระบุ --as-of)"
                en = "no --as-of: today (give --as-of if that is wrong)"
    if phase:
        ph, psrc = phase, "option"
        th, en = th + "; ช่วงจาก --phase", en + "; phase from --phase"
    else:
        ph, psrc = phase_for(d, has_previous), "calendar"
        th, en = th + "; ช่วงตามปฏิทินของวันที่นี้", en + "; phase from the calendar"
    return AsOf(d, ph, src, psrc, th, en, note)


def check_year(year: int | None) -> int | None:
    """An academic year the calendar can hold: B.E. 2500–2700 or C.E. 1957–2157."""
    if year is None:
        return None
    if 2500 <= year <= 2700 or 1957 <= year <= 2157:
        return year
    raise OptionError("year-invalid", f"ปีการศึกษา {year} ไม่ถูกต้อง: ใช้ พ.ศ. เช่น 2569",
                      f"--year {year} is not an academic year: use B.E., e.g. 2569")


def check_port(port: int) -> int:
    if not 1 <= int(port) <= 65535:
        raise OptionError("port-invalid", f"พอร์ต {port} ไม่ถูกต้อง (1–65535)",
                          f"--port {port} must be 1-65535")
    return int(port)


def check_ip(ip: str) -> str:
    """An address to listen on: ``localhost`` or an IP address (``0.0.0.0``: every network)."""
    import ipaddress

    ip = (ip or "").strip()
    if ip == "localhost":
        return ip
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        raise OptionError("ip-invalid", f"ที่อยู่ {ip!r} ไม่ถูกต้อง: ใช้ 127.0.0.1 หรือ 0.0.0.0",
                          f"--ip {ip!r} is not an address: use 127.0.0.1 or 0.0.0.0") from None
    return ip


def unused_options(phase: str, given: list[str]) -> list[str]:
    """The option dests among ``given`` that no check of ``phase`` reads."""
    from obec_audit.checks import registry

    have = {"students", "as_of", "schools", *given}
    used = {n for k in registry.select(phase, have) for n in k.needs}
    return [g for g in given if g not in used and g not in ("discharges", "mobec_previous",
                                                            "class_counts", "boarding_schools")]
