"""Privacy-safe aggregates for the supervisors' dashboards (DOMAIN.md §1).

Supervisors see **per-school aggregates only**: no names, no IDs, no student rows. This is
enforced by construction and checked at the exit:

- round files are read with an allow-list of columns (``_STUDENT_COLS``, ``_FINDING_COLS``):
  ``national_id``, names, ``value``, ``message`` and ``student_name`` are never even loaded;
- every public function that returns a frame passes it through ``assert_aggregate_safe``
  (no identifying column, no 13-digit number, no G-code), so a future change that leaks a
  field fails loudly instead of showing it.

The round root the dashboards read (``rounds_root()``):

1. the environment variable ``OBEC_AUDIT_ROUNDS`` (set by ``obec_audit.dashboards.serve``);
2. else the officer's ``data/rounds/`` (next to the package in a checkout, or under the
   current folder) if it holds at least one round;
3. else the demo area's rounds (``obec_audit.round.ensure_demo_rounds()``).

A "round folder" holds ``findings.csv`` (and normally ``round.json``); rounds are ordered by
``round.json``'s ``as_of`` then ``generated_at`` (folder name when those are missing).
The folder given may also be one round itself: it is then the only round.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from obec_audit.schema import GRADE_ORDER, GRADES, REQUIRED_FIELDS, FIELD_LABEL_TH

__all__ = [
    "ROUNDS_ENV", "LEDGER_ENV", "TODAY_ENV", "RoundInfo", "RoundData", "RootChoice",
    "rounds_root", "list_rounds", "ledger_folder", "certification_status", "CHASE_STATUSES", "load_round", "today", "headline", "school_table",
    "field_completeness", "errors_by_check", "certification", "grade_sex", "grade_sex_compare",
    "id_quality_trend", "assert_aggregate_safe", "PrivacyError", "thai_date", "size_band",
    "completeness_band", "CHECK_TH", "STATUS_TH", "PHASE_TH", "SIZE_BANDS",
]

ROUNDS_ENV = "OBEC_AUDIT_ROUNDS"
LEDGER_ENV = "OBEC_AUDIT_LEDGER_DIR"  # the same variable as obec_audit.ledger
#: pretend today is this ISO date (demos, tests, training on last year's data)
TODAY_ENV = "OBEC_AUDIT_TODAY"

# ---------------------------------------------------------------------------- labels (Thai)
CHECK_TH: dict[str, str] = {
    "file-unreadable": "อ่านแฟ้มไม่ได้",
    "id-missing": "ไม่มีเลขประจำตัว",
    "id-format": "เลขประจำตัวผิดรูปแบบ",
    "id-checksum": "เลขประจำตัวหลักสุดท้ายไม่ถูกต้อง",
    "id-gcode": "ใช้รหัส G",
    "dup-id-school": "เลขซ้ำในโรงเรียน",
    "dup-id-area": "เลขซ้ำต่างโรงเรียน",
    "dup-person": "อาจเป็นคนเดียวกัน",
    "field-missing": "ข้อมูลไม่ครบ",
    "field-code": "รหัสข้อมูลไม่ถูกต้อง",
    "sex-title": "คำนำหน้าไม่ตรงเพศ",
    "age-grade": "อายุไม่เหมาะกับชั้น",
    "birthdate-invalid": "วันเกิดไม่ถูกต้อง",
    "body-implausible": "น้ำหนัก/ส่วนสูงผิดปกติ",
    "boarding-school": "พักนอนนอกโครงการ",
    "left-unexplained": "หายไปโดยไม่จำหน่าย",
    "moved-school": "ย้ายโรงเรียน",
    "id-changed": "เปลี่ยนจากรหัส G",
    "dead-reappears": "เสียชีวิตแล้วยังมีชื่อ",
    "grade-down": "ชั้นลดลง",
    "dup-persisting": "ซ้ำต่อเนื่อง",
    "top-grade-empty": "ชั้นสูงสุดไม่มีนักเรียน",
    "class-no-students": "มีห้องแต่ไม่มีนักเรียน",
    "count-drop": "จำนวนลดลงมาก",
    "graduate-discharged": "จำหน่ายจบก่อนกำหนด",
}
#: certification status of a school for a round (ledger: signed reports received)
STATUS_TH: dict[str, str] = {
    "certified": "ส่งแล้ว (ตรงเวลา)",
    "late": "ส่งแล้ว (ล่าช้า)",
    "overdue": "ยังไม่ส่ง (เกินกำหนด)",
    "not_yet": "ยังไม่ส่ง",
    "unknown": "ไม่มีข้อมูลการรับรอง",
}
#: statuses still to chase
CHASE_STATUSES = ("overdue", "not_yet", "unknown")
PHASE_TH: dict[str, str] = {
    "start": "ต้นปีการศึกษา",
    "round1": "ตรวจสอบและรับรองข้อมูล ครั้งที่ 1",
    "round2": "ตรวจสอบและรับรองข้อมูล ครั้งที่ 2",
    "mobec": "ข้อมูลครุภัณฑ์ (M-OBEC)",
    "bobec": "ข้อมูลอาคาร (B-OBEC)",
    "semester2": "ข้อมูลภาคเรียนที่ 2",
    "endyear": "ข้อมูลสิ้นปีการศึกษา",
}
#: OBEC's school size classes by number of students
SIZE_BANDS: list[tuple[str, int, float]] = [
    ("ขนาดเล็ก (ไม่เกิน 120 คน)", 0, 120),
    ("ขนาดกลาง (121–600 คน)", 121, 600),
    ("ขนาดใหญ่ (601–1,500 คน)", 601, 1500),
    ("ขนาดใหญ่พิเศษ (1,501 คนขึ้นไป)", 1501, np.inf),
]
NO_DATA_TH = "ไม่มีข้อมูล"
BAND_TH = {"red": "ต่ำกว่า 90%", "amber": "90–99.9%", "green": "ครบ 100%", "none": NO_DATA_TH}

_TH_MONTHS_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.",
                   "ต.ค.", "พ.ย.", "ธ.ค.")


def thai_date(value, abbr: bool = True) -> str:
    """B.E. date text: ``10 มิ.ย. 2569`` (``abbr=False``: ``10 มิถุนายน 2569``); '' when empty.

    >>> thai_date(dt.date(2026, 6, 10))
    '10 มิ.ย. 2569'
    >>> thai_date(None)
    ''
    """
    d = _to_date(value)
    if d is None:
        return ""
    if not abbr:
        try:
            from obec_audit.thaidate import thai_date as full

            return full(d)
        except Exception:  # pragma: no cover - module missing
            pass
    return f"{d.day} {_TH_MONTHS_ABBR[d.month - 1]} {d.year + 543}"


def _to_date(value) -> dt.date | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    return None if pd.isna(ts) else ts.date()


def size_band(students) -> str:
    """OBEC size class of a school by its number of students.

    >>> size_band(45), size_band(121), size_band(2000)
    ('ขนาดเล็ก (ไม่เกิน 120 คน)', 'ขนาดกลาง (121–600 คน)', 'ขนาดใหญ่พิเศษ (1,501 คนขึ้นไป)')
    """
    n = 0 if students is None or pd.isna(students) else int(students)
    for label, lo, hi in SIZE_BANDS:
        if lo <= n <= hi:
            return label
    return SIZE_BANDS[0][0]


def completeness_band(pct) -> str:
    """``red`` below 90 %, ``amber`` 90 to under 100, ``green`` at 100, ``none`` without data.

    >>> [completeness_band(x) for x in (89.9, 90, 99.95, 100, None)]
    ['red', 'amber', 'amber', 'green', 'none']
    """
    if pct is None or pd.isna(pct):
        return "none"
    pct = float(pct)
    if pct >= 100:
        return "green"
    return "amber" if pct >= 90 else "red"


# ---------------------------------------------------------------------------- privacy guard
class PrivacyError(AssertionError):
    """An aggregate about to reach a supervisor holds personal data."""


FORBIDDEN_COLUMNS = frozenset({
    "national_id", "national_id_raw", "student_name", "first_name", "last_name", "title",
    "first_name_en", "last_name_en", "value", "message", "source_row", "birth_date",
    "birth_date_raw", "guardian_first_name", "guardian_last_name", "father_first_name",
    "father_last_name", "mother_first_name", "mother_last_name", "house_no", "student_no",
})
#: 13 digits, possibly with separators (1-1017-00230-70-8), or a G-code
ID_PATTERN = re.compile(r"(?<!\d)\d(?:[ -]?\d){12}(?!\d)|G\d{12}(?!\d)")


def assert_aggregate_safe(df: pd.DataFrame | pd.Series | dict | None, what: str = "") -> None:
    """Raise ``PrivacyError`` if ``df`` has an identifying column or any 13-digit number."""
    if df is None:
        return
    if isinstance(df, dict):
        df = pd.Series({str(k): v for k, v in df.items()}, dtype="object")
    if isinstance(df, pd.Series):
        df = df.to_frame()
    bad = FORBIDDEN_COLUMNS.intersection(map(str, df.columns))
    if bad:
        raise PrivacyError(f"{what}: identifying columns {sorted(bad)}")
    texts = [str(c) for c in df.columns] + [str(i) for i in df.index[:0]]
    for col in df.columns:
        s = df[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            texts.extend(s.dropna().astype(str).tolist())
    blob = "|".join(texts)
    if ID_PATTERN.search(blob):
        raise PrivacyError(f"{what}: a 13-digit number or G-code in the output")


def _safe(df, what):
    assert_aggregate_safe(df, what)
    return df


# ---------------------------------------------------------------------------- rounds
@dataclass(frozen=True)
class RoundInfo:
    path: Path
    key: str
    phase: str
    as_of: dt.date | None
    area_code: str
    area_name: str
    generated_at: str

    @property
    def label(self) -> str:
        """Thai label: ``ตรวจสอบและรับรองข้อมูล ครั้งที่ 1 (ข้อมูล ณ 10 มิ.ย. 2569)``."""
        name = PHASE_TH.get(self.phase, self.phase or self.key)
        return f"{name} (ข้อมูล ณ {thai_date(self.as_of)})" if self.as_of else name

    @property
    def sort_key(self):
        return (self.as_of or dt.date.min, self.generated_at, self.key)


@dataclass(frozen=True)
class RootChoice:
    path: Path | None
    source: str  # env / officer / demo / none
    message_th: str = ""


def is_round_dir(p: Path) -> bool:
    return (p / "findings.csv").is_file() or (p / "round.json").is_file()


def _has_rounds(p: Path) -> bool:
    if not p.is_dir():
        return False
    if is_round_dir(p):
        return True
    return any(is_round_dir(c) for c in p.iterdir() if c.is_dir())


def _officer_rounds_candidates() -> list[Path]:
    here = Path(__file__).resolve().parent.parent
    cwd = Path.cwd()
    out = []
    for base in (here, cwd, cwd.parent):
        p = base / "data" / "rounds"
        if p not in out:
            out.append(p)
    return out


def rounds_root(explicit: str | os.PathLike | None = None, *, demo: bool = True) -> RootChoice:
    """Which rounds folder the dashboards read (module docstring). Never raises."""
    if explicit is not None:
        p = Path(explicit).expanduser()
        if _has_rounds(p):
            return RootChoice(p.resolve(), "explicit")
        return RootChoice(None, "none", f"ไม่พบผลการตรวจในโฟลเดอร์ {p.name}")
    env = os.environ.get(ROUNDS_ENV, "").strip()
    if env:
        p = Path(env).expanduser()
        if _has_rounds(p):
            return RootChoice(p.resolve(), "env")
        return RootChoice(None, "none", f"ไม่พบผลการตรวจในโฟลเดอร์ที่กำหนด ({p.name})")
    for p in _officer_rounds_candidates():
        if _has_rounds(p):
            return RootChoice(p.resolve(), "officer")
    if demo:
        try:
            from obec_audit.round import ensure_demo_rounds  # lazily: heavy, and may not exist
        except Exception:
            return RootChoice(None, "none", "ยังไม่มีผลการตรวจ และยังสร้างข้อมูลเขตตัวอย่างไม่ได้")
        try:
            p = Path(ensure_demo_rounds())
        except Exception:
            return RootChoice(None, "none", "สร้างข้อมูลเขตตัวอย่างไม่สำเร็จ")
        if _has_rounds(p):
            return RootChoice(p.resolve(), "demo", "ข้อมูลเขตตัวอย่าง (สังเคราะห์) ไม่ใช่ข้อมูลจริง")
    return RootChoice(None, "none", "ยังไม่มีผลการตรวจ")


def _read_meta(p: Path) -> dict:
    try:
        return json.loads((p / "round.json").read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return {}


def _round_info(p: Path) -> RoundInfo:
    meta = _read_meta(p)
    as_of = _to_date(meta.get("as_of"))
    phase = str(meta.get("phase") or "")
    if not phase or as_of is None:  # fall back on the folder name: <phase>-<YYYY-MM-DD>
        m = re.match(r"^([a-z0-9]+)[-_](\d{4}-\d{2}-\d{2})$", p.name)
        if m:
            phase = phase or m.group(1)
            as_of = as_of or _to_date(m.group(2))
    return RoundInfo(
        path=p, key=p.name, phase=phase, as_of=as_of,
        area_code=str(meta.get("area_code") or ""), area_name=str(meta.get("area_name") or ""),
        generated_at=str(meta.get("generated_at") or ""),
    )


def list_rounds(root: str | os.PathLike | None) -> list[RoundInfo]:
    """The rounds under ``root`` (or ``root`` itself if it is one), oldest first."""
    if root is None:
        return []
    root = Path(root)
    if not root.is_dir():
        return []
    if is_round_dir(root):
        return [_round_info(root)]
    rounds = [_round_info(c) for c in root.iterdir() if c.is_dir() and is_round_dir(c)]
    return sorted(rounds, key=lambda r: r.sort_key)


# ---------------------------------------------------------------------------- loading
#: the only student columns ever read (no ID, no name, no birth date)
_STUDENT_COLS = ("school_code", "school_name", "id_type", "sex", "grade", "district")
#: the only finding columns ever read (no ID, value, message or name)
_FINDING_COLS = ("check", "severity", "school_code", "field", "group", "dataset")


@dataclass
class RoundData:
    info: RoundInfo
    students: pd.DataFrame  # school_code, school_name, id_type, sex, grade, district
    findings: pd.DataFrame  # check, severity, school_code, field, group, dataset
    completeness: pd.DataFrame  # school_code, field, rows, missing
    school_completeness: pd.DataFrame  # school_code, students, cells, missing_cells
    schools: pd.DataFrame = field(default_factory=pd.DataFrame)  # the area's registry


def _read_csv(path: Path, cols) -> pd.DataFrame:
    if not path.is_file():
        return pd.DataFrame({c: pd.Series(dtype="string") for c in cols})
    wanted = set(cols)
    try:
        df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False,
                         usecols=lambda c: c in wanted, engine="c")
    except (ValueError, pd.errors.EmptyDataError, UnicodeDecodeError):
        return pd.DataFrame({c: pd.Series(dtype="string") for c in cols})
    for c in cols:
        if c not in df.columns:
            df[c] = ""
    return df[list(cols)]


@lru_cache(maxsize=16)
def _load_cached(path: str, stamp: tuple) -> RoundData:
    p = Path(path)
    info = _round_info(p)
    students = _read_csv(p / "students.csv", _STUDENT_COLS)
    findings = _read_csv(p / "findings.csv", _FINDING_COLS)
    comp = _read_csv(p / "completeness.csv", ("school_code", "field", "rows", "missing"))
    for c in ("rows", "missing"):
        comp[c] = pd.to_numeric(comp[c], errors="coerce").fillna(0).astype("int64")
    sc = _read_csv(p / "school_completeness.csv",
                   ("school_code", "students", "cells", "missing_cells"))
    for c in ("students", "cells", "missing_cells"):
        sc[c] = pd.to_numeric(sc[c], errors="coerce").fillna(0).astype("int64")
    schools = _area_schools(info.area_code, students)
    return RoundData(info, students, findings, comp, sc, schools)


_ROUND_FILES = ("round.json", "students.csv", "findings.csv", "completeness.csv",
                "school_completeness.csv")


def round_stamp(path: str | os.PathLike) -> tuple:
    """(file, modification time) of the files a round is read from (0 when absent)."""
    p = Path(path)
    out = []
    for n in _ROUND_FILES:
        try:
            out.append((n, (p / n).stat().st_mtime_ns))
        except OSError:
            out.append((n, 0))
    return tuple(out)


def load_round(r: RoundInfo | str | os.PathLike) -> RoundData:
    """Read one round folder (only the allow-listed columns); cached on the files' mtimes."""
    p = Path(r.path if isinstance(r, RoundInfo) else r).resolve()
    return _load_cached(str(p), round_stamp(p))


def _area_schools(area_code: str, students: pd.DataFrame) -> pd.DataFrame:
    """The area's registry (smis8 → school_name, level_type) plus schools seen in the data."""
    try:
        from obec_audit import reference

        reg = reference.schools(area_code or None) if area_code else pd.DataFrame()
    except Exception:
        reg = pd.DataFrame()
    reg = reg.reindex(columns=["smis8", "school_name", "level_type"]).rename(
        columns={"smis8": "school_code"})
    if not area_code and len(students):
        # no area in round.json: registry rows for the schools present
        try:
            from obec_audit import reference

            allreg = reference.schools(None).rename(columns={"smis8": "school_code"})
            reg = allreg[allreg["school_code"].isin(students["school_code"].unique())][
                ["school_code", "school_name", "level_type"]]
        except Exception:
            pass
    seen = students.loc[students["school_code"].ne(""), ["school_code", "school_name"]]
    seen = seen.drop_duplicates("school_code")
    extra = seen[~seen["school_code"].isin(reg["school_code"])]
    out = pd.concat([reg, extra.assign(level_type="")], ignore_index=True)
    out["school_name"] = out["school_name"].fillna("").astype(str)
    out.loc[out["school_name"].eq(""), "school_name"] = "โรงเรียน " + out["school_code"]
    out["level_type"] = out["level_type"].fillna("").astype(str)
    return out.drop_duplicates("school_code").reset_index(drop=True)


def today() -> dt.date:
    """Today, or ``OBEC_AUDIT_TODAY`` (ISO) when set."""
    d = _to_date(os.environ.get(TODAY_ENV) or None)
    return d or dt.date.today()


# ---------------------------------------------------------------------------- aggregates
def _error_findings(rd: RoundData) -> pd.DataFrame:
    f = rd.findings
    return f[f["severity"].eq("error")]


def headline(rd: RoundData) -> dict:
    """The area's figures: schools, schools with data, students, schools with open errors,
    errors, warnings, overall percent complete."""
    err = _error_findings(rd)
    sc = rd.school_completeness
    cells, miss = int(sc["cells"].sum()), int(sc["missing_cells"].sum())
    codes = set(rd.schools["school_code"])
    out = {
        "schools": len(codes),
        "schools_with_data": int(rd.students.loc[rd.students["school_code"].ne(""),
                                                 "school_code"].nunique()),
        "students": int(len(rd.students)),
        "schools_with_errors": int(err.loc[err["school_code"].ne(""), "school_code"].nunique()),
        "errors": int(len(err)),
        "warnings": int(rd.findings["severity"].eq("warning").sum()),
        "percent_complete": round(100.0 * (cells - miss) / cells, 1) if cells else None,
    }
    return _safe(out, "headline")


def _majority_district(students: pd.DataFrame) -> pd.Series:
    st = students[students["district"].ne("") & students["school_code"].ne("")]
    if st.empty:
        return pd.Series(dtype="object")
    counts = st.groupby(["school_code", "district"]).size().reset_index(name="n")
    counts = counts.sort_values(["school_code", "n", "district"], ascending=[True, False, True])
    return counts.drop_duplicates("school_code").set_index("school_code")["district"]


def field_completeness(rd: RoundData) -> pd.DataFrame:
    """Wide: one row per school, one column ``pct_<field>`` per required field (percent
    complete, NaN when the field applies to no row of the school)."""
    c = rd.completeness
    c = c[c["field"].isin(["national_id", *REQUIRED_FIELDS])]
    if c.empty:
        return _safe(pd.DataFrame(index=pd.Index([], name="school_code")), "field_completeness")
    g = c.groupby(["school_code", "field"])[["rows", "missing"]].sum()
    pct = (100.0 * (g["rows"] - g["missing"]) / g["rows"].replace(0, np.nan)).round(1)
    wide = pct.unstack("field")
    order = [f for f in ["national_id", *REQUIRED_FIELDS] if f in wide.columns]
    wide = wide[order]
    wide.columns = [f"pct_{f}" for f in order]
    return _safe(wide, "field_completeness")


def errors_by_check(rd: RoundData, severity: str = "error") -> pd.DataFrame:
    """Wide: one row per school, one column per check code: number of findings."""
    f = rd.findings
    f = f[f["severity"].eq(severity) & f["school_code"].ne("")]
    if f.empty:
        return _safe(pd.DataFrame(index=pd.Index([], name="school_code")), "errors_by_check")
    wide = f.groupby(["school_code", "check"]).size().unstack("check", fill_value=0)
    return _safe(wide.astype("int64"), "errors_by_check")


def school_table(rd: RoundData, status: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per school of the area: the main dashboard's table.

    Columns: school_code, school_name, level_type, district, students, size, percent_complete,
    band, fields_complete, fields_total, errors, warnings, err_<check>…, pct_<field>…, status,
    status_th. ``status``: a frame school_code → status (certified/late/not_yet/unknown);
    default: ``certification_status(rd)``.
    """
    t = rd.schools[["school_code", "school_name", "level_type"]].copy()
    t["district"] = t["school_code"].map(_majority_district(rd.students)).fillna("")
    counts = rd.students.loc[rd.students["school_code"].ne(""), "school_code"].value_counts()
    t["students"] = t["school_code"].map(counts).fillna(0).astype("int64")
    t["size"] = t["students"].map(size_band)
    sc = rd.school_completeness.set_index("school_code")
    cells = t["school_code"].map(sc["cells"]).fillna(0)
    miss = t["school_code"].map(sc["missing_cells"]).fillna(0)
    t["percent_complete"] = (100.0 * (cells - miss) / cells.replace(0, np.nan)).round(1)
    t["band"] = t["percent_complete"].map(completeness_band)
    fc = field_completeness(rd)
    if len(fc.columns):
        full = fc.ge(100).sum(axis=1)
        total = fc.notna().sum(axis=1)
        t["fields_complete"] = t["school_code"].map(full).fillna(0).astype("int64")
        t["fields_total"] = t["school_code"].map(total).fillna(0).astype("int64")
    else:
        t["fields_complete"] = 0
        t["fields_total"] = 0
    eb = errors_by_check(rd)
    t["errors"] = t["school_code"].map(eb.sum(axis=1) if len(eb.columns) else {}).fillna(0).astype("int64")
    warn = rd.findings[rd.findings["severity"].eq("warning")]["school_code"].value_counts()
    t["warnings"] = t["school_code"].map(warn).fillna(0).astype("int64")
    for check in eb.columns:
        t[f"err_{check}"] = t["school_code"].map(eb[check]).fillna(0).astype("int64")
    for f in fc.columns:
        t[f] = t["school_code"].map(fc[f])
    if status is None:
        status = certification_status(rd)
    st = status.set_index("school_code")["status"] if len(status) else pd.Series(dtype=object)
    t["status"] = t["school_code"].map(st).fillna("unknown")
    if "days_late" in status.columns and len(status):
        t["days_late"] = t["school_code"].map(status.set_index("school_code")["days_late"]) \
            .fillna(0).astype("int64")
    else:
        t["days_late"] = 0
    t["status_th"] = t["status"].map(STATUS_TH).fillna(STATUS_TH["unknown"])
    t = t.sort_values(["percent_complete", "school_code"], na_position="first").reset_index(drop=True)
    return _safe(t, "school_table")


# ---------------------------------------------------------------------------- certification
def ledger_folder(rd: RoundData | None = None) -> Path | None:
    """Where the certification ledger is: ``$OBEC_AUDIT_LEDGER_DIR``; else a ``ledger``
    folder beside the rounds folder (the demo area's, or an officer's ``data/ledger``); else
    the ledger's own default (``obec_audit.ledger.default_ledger_dir()``)."""
    env = os.environ.get(LEDGER_ENV, "").strip()
    if env:
        return Path(env)
    if rd is not None:
        root = rd.info.path.parent
        for c in (root.parent / "ledger", root / "ledger"):
            if c.is_dir():
                return c
    try:
        from obec_audit.ledger import default_ledger_dir

        return default_ledger_dir()
    except Exception:
        return None


def certification_status(rd: RoundData, today_: dt.date | None = None) -> pd.DataFrame:
    """school_code → status for the round's phase, from ``obec_audit.ledger``:
    ``certified`` (signed reports received on time), ``late`` (received after the deadline),
    ``overdue`` (not received, deadline passed), ``not_yet`` (not received, still time),
    ``unknown`` (no ledger module, or it failed). Only the status and days late are kept
    (the ledger also holds who received the papers: not for the dashboards)."""
    codes = rd.schools["school_code"].tolist()
    base = pd.DataFrame({"school_code": codes, "status": "unknown", "days_late": 0})
    if not rd.info.phase or rd.info.as_of is None:
        return base
    try:
        from obec_audit import calendar as cal
        from obec_audit import ledger as _ledger  # lazily: optional
    except Exception:
        return base
    try:
        led = _ledger.CertificationLedger(ledger_folder(rd))
        year = cal.academic_year(rd.info.as_of)
        dl = _deadline(rd.info.phase, year)
        res = led.status(rd.info.phase, codes, today=today_ or today(), year=year,
                         **({"deadline": dl} if dl is not None else {}))
    except Exception:
        return base
    if res is None or len(res) == 0 or "status" not in res.columns:
        return base
    st = res["status"].astype(str).str.replace("-", "_")
    if "overdue" in res.columns:
        st = st.where(~(st.eq("not_yet") & res["overdue"].astype(bool)), "overdue")
    st = st.where(st.isin(STATUS_TH.keys()), "unknown")
    m = dict(zip(res["school_code"].astype(str), st))
    days = dict(zip(res["school_code"].astype(str),
                    pd.to_numeric(res.get("days_late", 0), errors="coerce").fillna(0).astype(int)))
    base["status"] = base["school_code"].map(m).fillna("unknown")
    base["days_late"] = base["school_code"].map(days).fillna(0).astype("int64")
    return base


_FALLBACK_DEADLINE = {"round1": (6, 25), "round2": (7, 5), "semester2": (11, 20),
                      "endyear": (5, 5), "start": (6, 25), "mobec": (10, 10), "bobec": (10, 10)}


@lru_cache(maxsize=32)
def _deadline(phase: str, year_be: int) -> dt.date | None:
    """The calendar's deadline of a phase (cached: reading the calendar is not free)."""
    from obec_audit import calendar as cal

    return _to_date(cal.deadline_for(phase, year_be))


@lru_cache(maxsize=8)
def _current_round(day: dt.date):
    from obec_audit import calendar as cal

    row = cal.current_round(day)
    if row is None:
        return None
    return (str(row.get("phase") or "") or None, _to_date(row.get("deadline_ce")),
            str(row.get("status") or "") or None)


def phase_deadline(rd: RoundData, today_: dt.date) -> dict:
    """The round's phase, its deadline and days left (``obec_audit.calendar`` when present,
    else the usual dates), plus the calendar's current round on ``today_``."""
    phase, deadline = rd.info.phase, None
    cur_phase = cur_deadline = cur_status = None
    try:
        from obec_audit import calendar as cal  # lazily: optional
    except Exception:
        cal = None
    if cal is not None:
        if rd.info.as_of is not None and phase:
            try:
                deadline = _deadline(phase, cal.academic_year(rd.info.as_of))
            except Exception:
                deadline = None
        try:
            row = _current_round(today_)
            if row is not None:
                cur_phase, cur_deadline, cur_status = row
        except Exception:
            pass
    if deadline is None and rd.info.as_of is not None and phase in _FALLBACK_DEADLINE:
        m, d = _FALLBACK_DEADLINE[phase]
        y = rd.info.as_of.year + (1 if phase == "endyear" and rd.info.as_of.month > 5 else 0)
        deadline = dt.date(y, m, d)
    days_left = (deadline - today_).days if deadline else None
    return {
        "phase": phase, "phase_th": PHASE_TH.get(phase, phase), "deadline": deadline,
        "deadline_th": thai_date(deadline), "days_left": days_left,
        "calendar_phase": cur_phase,
        "calendar_phase_th": PHASE_TH.get(cur_phase, cur_phase or ""),
        "calendar_status": cur_status,
        "calendar_deadline": cur_deadline,
        "calendar_deadline_th": thai_date(cur_deadline),
        "calendar_days_left": (cur_deadline - today_).days if cur_deadline else None,
        "today": today_,
        "today_th": thai_date(today_),
    }


def _parse_any_date(v) -> dt.date | None:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, (dt.date, pd.Timestamp)):
        return _to_date(v)
    s = str(v).strip()
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s)
    if m:
        d, mo, y = map(int, m.groups())
        if y > 2400:
            y -= 543
        try:
            return dt.date(y, mo, d)
        except ValueError:
            return None
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return None


def certification(rd: RoundData, today_: dt.date | None = None,
                  table: pd.DataFrame | None = None) -> tuple[dict, pd.DataFrame]:
    """(summary, chase list). Summary: phase, deadline, days left, counts by status. The
    chase list: schools not certified (late first, then most errors), aggregates only."""
    today_ = today_ or today()
    t = table if table is not None else school_table(rd, certification_status(rd, today_))
    summary = phase_deadline(rd, today_)
    counts = t["status"].value_counts()
    for s in STATUS_TH:
        summary[f"n_{s}"] = int(counts.get(s, 0))
    summary["n_schools"] = int(len(t))
    chase = t[t["status"].isin(CHASE_STATUSES)].copy()
    chase["_o"] = chase["status"].map({s: i for i, s in enumerate(CHASE_STATUSES)})
    chase = chase.sort_values(["_o", "errors", "percent_complete", "school_code"],
                              ascending=[True, False, True, True])
    cols = ["school_code", "school_name", "district", "students", "percent_complete", "errors",
            "status", "status_th", "days_late"]
    chase = chase[cols].reset_index(drop=True)
    return _safe(summary, "certification"), _safe(chase, "chase list")


# ---------------------------------------------------------------------------- area overview
def grade_sex(rd: RoundData) -> pd.DataFrame:
    """Students by grade × sex (long: grade, sex, sex_th, students), grades in order."""
    st = rd.students
    st = st[st["grade"].isin(GRADES)]
    g = st.assign(sex=st["sex"].where(st["sex"].isin(["M", "F"]), "?")).groupby(
        ["grade", "sex"]).size().reset_index(name="students")
    g["sex_th"] = g["sex"].map({"M": "ชาย", "F": "หญิง"}).fillna("ไม่ระบุ")
    g["_o"] = g["grade"].map(GRADE_ORDER)
    g = g.sort_values(["_o", "sex"]).drop(columns="_o").reset_index(drop=True)
    return _safe(g, "grade_sex")


def grade_sex_compare(current: RoundData, previous: RoundData | None) -> pd.DataFrame:
    """Wide: one row per grade: male/female/total this round and the previous one, change."""
    def wide(rd):
        if rd is None:
            return pd.DataFrame(columns=["M", "F"])
        g = grade_sex(rd).pivot_table(index="grade", columns="sex", values="students",
                                      aggfunc="sum", fill_value=0)
        return g.reindex(columns=["M", "F"], fill_value=0)

    cur, prev = wide(current), wide(previous)
    grades = sorted(set(cur.index) | set(prev.index), key=lambda g: GRADE_ORDER.get(g, 99))
    out = pd.DataFrame({"grade": grades})
    out["male"] = out["grade"].map(cur["M"]).fillna(0).astype("int64")
    out["female"] = out["grade"].map(cur["F"]).fillna(0).astype("int64")
    out["total"] = out["male"] + out["female"]
    if previous is not None:
        out["prev_male"] = out["grade"].map(prev["M"]).fillna(0).astype("int64")
        out["prev_female"] = out["grade"].map(prev["F"]).fillna(0).astype("int64")
        out["prev_total"] = out["prev_male"] + out["prev_female"]
        out["change"] = out["total"] - out["prev_total"]
    return _safe(out, "grade_sex_compare")


ID_TREND_CHECKS = {
    "dup_school": ["dup-id-school"],
    "dup_area": ["dup-id-area"],
    "dup_person": ["dup-person"],
    "invalid_id": ["id-missing", "id-format", "id-checksum"],
    "gcode": ["id-gcode"],
}
ID_TREND_TH = {
    "dup_school": "เลขซ้ำในโรงเรียน", "dup_area": "เลขซ้ำต่างโรงเรียน",
    "dup_person": "อาจเป็นคนเดียวกัน", "invalid_id": "เลขประจำตัวไม่ถูกต้อง/ไม่มี",
    "gcode": "ใช้รหัส G",
}


def id_quality_trend(rounds: list[RoundInfo]) -> pd.DataFrame:
    """One row per round (oldest first): students involved in duplicates (per kind), invalid
    or missing IDs, G-codes; and the number of duplicate sets."""
    rows = []
    for r in rounds:
        rd = load_round(r)
        f = rd.findings
        row = {"round": r.key, "label": r.label, "as_of_th": thai_date(r.as_of),
               "students": len(rd.students)}
        for k, checks in ID_TREND_CHECKS.items():
            row[k] = int(f["check"].isin(checks).sum())
        dups = f[f["check"].isin(["dup-id-school", "dup-id-area", "dup-person"])]
        row["dup_sets"] = int(dups.loc[dups["group"].ne(""), "group"].nunique())
        rows.append(row)
    cols = ["round", "label", "as_of_th", "students", *ID_TREND_CHECKS, "dup_sets"]
    return _safe(pd.DataFrame(rows, columns=cols), "id_quality_trend")


def field_label(field_name: str) -> str:
    return FIELD_LABEL_TH.get(field_name, field_name)


def check_label(code: str) -> str:
    return CHECK_TH.get(code, code)
