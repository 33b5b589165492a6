"""Fixtures for the dashboard tests: fake round folders shaped like ``obec-audit check --out``.

``build_rounds(root, ...)`` writes three rounds side by side (round 1, round 2, semester 2)
with students.csv (names and valid 13-digit IDs, so the privacy tests have something to
catch), findings.csv (with ``national_id`` / ``student_name`` / ``value`` filled, as the real
runner writes them), completeness.csv, school_completeness.csv and round.json. Everything is
seeded, so counts are reproducible.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from obec_audit import reference
from obec_audit.schema import REQUIRED_FIELDS

SYLLABLES = [
    "กิต", "ติ", "พัฒ", "ณัฐ", "วุฒิ", "ธนา", "กร", "ภัท", "รา", "ศิริ", "วรร", "ณ", "ปิยะ",
    "นุช", "สุ", "ชาติ", "อภิ", "ญา", "จิร", "ประ", "ภา", "เกียร", "ศักดิ์", "ชัย", "มงคล",
]
DISTRICTS = ["เมืองเชียงราย", "เวียงชัย", "เวียงเชียงรุ้ง", "ดอยหลวง", "แม่ลาว"]
ROUNDS = [
    ("round1-2026-06-10", "round1", "2026-06-10"),
    ("round2-2026-07-05", "round2", "2026-07-05"),
    ("semester2-2026-11-10", "semester2", "2026-11-10"),
]


def _pin(rng: np.random.Generator, first: str = "1") -> str:
    body = first + "".join(str(d) for d in rng.integers(0, 10, 11))
    total = sum(int(c) * (13 - i) for i, c in enumerate(body))
    return body + str((11 - total % 11) % 10)


def _name(rng: np.random.Generator, k: int) -> str:
    return "".join(rng.choice(SYLLABLES, size=k))


def build_round(folder: Path, schools: pd.DataFrame, phase: str, as_of: str, seed: int,
                per_school: int = 40, error_rate: float = 0.05) -> dict:
    """Write one round folder; return the ground truth counts."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for si, sch in enumerate(schools.itertuples()):
        n = int(per_school + rng.integers(-per_school // 3, per_school // 3 + 1))
        if si == len(schools) - 1:
            n = 0  # one school of the area sent nothing
        district = DISTRICTS[si % len(DISTRICTS)]
        for r in range(n):
            sex = "M" if rng.random() < 0.5 else "F"
            grade = rng.choice(["อ.2", "อ.3", "ป.1", "ป.2", "ป.3", "ป.4", "ป.5", "ป.6"])
            rows.append({
                "source_file": f"{sch.smis8}.xlsx", "source_row": r + 2,
                "school_code": sch.smis8, "national_id": _pin(rng), "id_type": "pin",
                "title": "เด็กชาย" if sex == "M" else "เด็กหญิง",
                "first_name": _name(rng, 3), "last_name": _name(rng, 4),
                "sex": sex, "birth_date": "2016-05-01", "grade": grade, "room": "1",
                "weight": "25", "height": "120", "religion": "พุทธ", "nationality": "ไทย",
                "race": "ไทย",
                "district": district if rng.random() < 0.9 else DISTRICTS[(si + 1) % 5],
            })
    st = pd.DataFrame(rows)
    findings = []

    def add(idx, check, severity, field="", group=""):
        for i in np.atleast_1d(idx):
            s = st.loc[i]
            findings.append({
                "check": check, "severity": severity, "school_code": s.school_code,
                "source_file": s.source_file, "source_row": s.source_row,
                "national_id": s.national_id, "field": field, "value": s.national_id,
                "group": group, "message": "ทดสอบ", "dataset": "students",
                "student_name": f"{s.title}{s.first_name} {s.last_name}",
            })

    n = len(st)
    pick = lambda k: rng.choice(n, size=k, replace=False)  # noqa: E731
    k = max(1, int(n * error_rate))
    bad = pick(k)
    st.loc[bad, "id_type"] = "invalid"
    st.loc[bad, "national_id"] = st.loc[bad, "national_id"].str[:12] + "0"
    add(bad, "id-checksum", "error", "national_id")
    g = pick(max(1, k // 2))
    st.loc[g, "id_type"] = "gcode"
    add(g, "id-gcode", "warning", "national_id")
    for j, (a, b) in enumerate(zip(pick(k // 2), pick(k // 2))):
        if a == b:
            continue
        st.loc[b, "national_id"] = st.loc[a, "national_id"]
        check = "dup-id-school" if st.loc[a, "school_code"] == st.loc[b, "school_code"] else "dup-id-area"
        add([a, b], check, "error", "national_id", group=f"{check}-{j}")
    for f in ["weight", "height", "room", "religion"]:
        miss = pick(k)
        st.loc[miss, f] = ""
        add(miss, "field-missing", "error", f)
    add(pick(max(1, k // 3)), "age-grade", "warning", "birth_date")
    st.to_csv(folder / "students.csv", index=False, encoding="utf-8-sig")
    fd = pd.DataFrame(findings, columns=[
        "check", "severity", "school_code", "source_file", "source_row", "national_id",
        "field", "value", "group", "message", "dataset", "student_name"])
    fd.to_csv(folder / "findings.csv", index=False, encoding="utf-8-sig")

    comp = []
    for code, grp in st.groupby("school_code"):
        for f in REQUIRED_FIELDS:
            missing = int(grp[f].eq("").sum())
            comp.append({"school_code": code, "field": f, "rows": len(grp), "missing": missing,
                         "percent_complete": round(100 * (len(grp) - missing) / len(grp), 2)})
    comp = pd.DataFrame(comp)
    comp.to_csv(folder / "completeness.csv", index=False, encoding="utf-8-sig")
    sc = comp.groupby("school_code").agg(students=("rows", "first"), cells=("rows", "sum"),
                                         missing_cells=("missing", "sum")).reset_index()
    sc["percent_complete"] = (100 * (sc.cells - sc.missing_cells) / sc.cells).round(2)
    sc["fields_complete"] = comp.assign(ok=comp.missing.eq(0)).groupby("school_code").ok.sum().values
    sc.to_csv(folder / "school_completeness.csv", index=False, encoding="utf-8-sig")
    meta = {"phase": phase, "as_of": as_of, "area_code": "5701", "area_name": "สพป.เชียงราย เขต 1",
            "generated_at": dt.datetime.fromisoformat(as_of + "T09:00:00").isoformat(),
            "inputs": ["students/"], "counts": {"students": int(n), "findings": len(fd)}}
    (folder / "round.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return {"students": n, "findings": len(fd),
            "schools_with_errors": fd[fd.severity.eq("error")].school_code.nunique()}


def build_rounds(root: Path, n_schools: int | None = 12, per_school: int = 40, seed: int = 1) -> Path:
    """Three rounds of the demo area (``n_schools`` first schools of area 5701; None = all)."""
    schools = reference.schools("5701")
    if n_schools is not None:
        schools = schools.head(n_schools)
    for i, (name, phase, as_of) in enumerate(ROUNDS):
        build_round(root / name, schools, phase, as_of, seed=seed + i, per_school=per_school,
                    error_rate=0.06 - 0.02 * i)
    return root


@pytest.fixture(scope="session")
def rounds_root(tmp_path_factory) -> Path:
    return build_rounds(tmp_path_factory.mktemp("rounds"))


@pytest.fixture(scope="session")
def area_rounds_root(tmp_path_factory) -> Path:
    """All 104 schools of the area, ~120 students each: demo-sized, for timing."""
    return build_rounds(tmp_path_factory.mktemp("area_rounds"), n_schools=None, per_school=120)
