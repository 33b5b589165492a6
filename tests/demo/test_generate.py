"""The demo area generator: size, determinism, every code seeded, truth rows = file rows."""

from __future__ import annotations

import csv
import hashlib
import io
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from stdnum.th import pin as stdnum_pin

from obec_audit.demo import generate
from obec_audit.io.readers import decode_text

CONTRACT_CODES = ["file-unreadable", "id-missing", "id-format", "id-checksum", "id-gcode", "dup-id-school",
                  "dup-id-area", "dup-person", "field-missing", "field-code", "sex-title", "age-grade",
                  "birthdate-invalid", "body-implausible", "boarding-school", "left-unexplained", "moved-school"]
EXTRA_CODES = ["id-changed", "dead-reappears", "grade-down", "dup-persisting", "top-grade-empty",
               "class-no-students", "count-drop", "graduate-discharged", "staff-id", "staff-dup",
               "staff-no-director", "staff-code", "staff-ratio", "mobec-missing-item", "mobec-count",
               "mobec-implausible", "mobec-change", "bobec-year", "bobec-condition", "bobec-rooms",
               "bobec-classrooms", "bobec-photo", "staff-total", "staff-incomplete", "mobec-incomplete",
               "bobec-incomplete"]
#: per-row student codes: at least this many in round 1 so that recall is measurable
ROW_CODES_R1 = ["id-missing", "id-format", "id-checksum", "id-gcode", "field-missing", "field-code",
                "sex-title", "age-grade", "birthdate-invalid", "body-implausible", "boarding-school"]


@pytest.fixture(scope="session")
def area(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "area"
    t0 = time.perf_counter()
    generate(out, seed=5701, year=2569)
    print(f"\ndemo area generated in {time.perf_counter() - t0:.1f} s")
    return out


def _read(area: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(area / "ground_truth" / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(tmp_path):
    a = generate(tmp_path / "a", seed=7, schools=12)
    b = generate(tmp_path / "b", seed=7, schools=12)
    da, db = _digest(a), _digest(b)
    assert da == db
    assert any(k.endswith(".xlsx") for k in da)


def test_size_and_schools(area):
    s = _read(area, "students_truth.csv")
    r1 = s[s["census"] == "2026-06-10"]
    assert 18000 <= len(r1) <= 22000
    r2 = s[s["census"] == "2026-07-05"]
    assert r2["school_code"].nunique() == 104  # round 1 lacks the unreadable files' schools
    assert {"2026-06-10", "2026-07-05", "2026-11-10", "2027-03-31"} == set(s["census"])


def test_every_code_seeded(area):
    e = _read(area, "errors.csv")
    counts = e["check"].value_counts()
    for code in CONTRACT_CODES + EXTRA_CODES:
        assert counts.get(code, 0) >= 1, code
    r1 = e[e["round"] == "2026-06-10"]["check"].value_counts()
    for code in ROW_CODES_R1:
        assert r1.get(code, 0) >= 15, (code, r1.get(code, 0))
    for code in ("dup-id-school", "dup-id-area", "dup-person"):
        assert r1.get(code, 0) >= 16, code
    for code in ("left-unexplained", "moved-school", "id-changed", "grade-down"):
        assert counts.get(code, 0) >= 15, code


def test_duplicate_groups_have_two_members(area):
    e = _read(area, "errors.csv")
    d = e[e["check"].isin(["dup-id-school", "dup-id-area", "dup-person"])]
    sizes = d.groupby(["round", "check", "group"]).size()
    assert (sizes >= 2).all()


def _data_rows(path: Path, header_row: int) -> int:
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path, read_only=True)
        n = sum(1 for row in wb.worksheets[0].iter_rows(values_only=True) if any(v not in (None, "") for v in row))
        wb.close()
        return n - header_row
    text = decode_text(path.read_bytes())[0]
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    return len(rows) - header_row


def test_truth_rows_equal_file_rows(area):
    s = _read(area, "students_truth.csv")
    files = _read(area, "files.csv")
    ok = files[(files["status"] == "ok") & files["format"].isin(["xlsx", "csv"])]
    per_file = s.groupby(["census", "source_file"]).size()
    for f in ok.itertuples():
        n = _data_rows(area / "students" / f.census / f.source_file, int(f.title_rows) + 1)
        assert n == per_file[(f.census, f.source_file)], f.source_file
    # the first data row sits right under the header
    first = s.groupby(["census", "source_file"])["source_row"].apply(lambda x: x.astype(int).min())
    tr = ok.set_index(["census", "source_file"])["title_rows"].astype(int)
    assert (first.reindex(tr.index) == tr + 2).all()


def test_clean_type1_ids_have_valid_check_digits(area):
    s = _read(area, "students_truth.csv")
    e = _read(area, "errors.csv")
    bad = set(zip(e["census"], e["source_file"], e["source_row"]))
    key = list(zip(s["census"], s["source_file"], s["source_row"]))
    clean = s[[k not in bad for k in key]]
    t1 = clean[clean["national_id"].str.match(r"^[1-8]\d{12}$")]
    assert len(t1) > 15000
    assert t1["national_id"].map(stdnum_pin.is_valid).all()
    assert clean["id_type"].isin(["pin", "pin-0"]).all()


def test_traps(area):
    t = _read(area, "traps.csv")
    kinds = set(t["trap"])
    for k in ("twin", "common-name", "pin-0", "type-6", "type-7", "be-date-cell", "id-numeric-cell",
              "id-dashes", "id-thai-digits", "id-excel-guard", "id-float"):
        assert k in kinds, k
    s = _read(area, "students_truth.csv")
    tw = t[t["trap"] == "twin"].merge(s, on=["census", "source_file", "source_row"])
    g = tw.groupby(["census", "group"])
    assert (g["last_name"].nunique() == 1).all() and (g["birth_date"].nunique() == 1).all()
    assert (g["first_name"].nunique() == 2).all()
    # no twin / common-name row is also an error row (except what its ID itself deserves:
    # a G-coded twin has id-gcode, a type-0 ID in a numeric-cell file lost its zero)
    e = _read(area, "errors.csv")
    e = e[(e["dataset"] == "students") & ~e["check"].str.startswith("id-")]
    both = t[t["trap"].isin(["twin", "common-name"])].merge(e, on=["census", "source_file", "source_row"])
    assert both.empty


def test_layout_mix(area):
    f = _read(area, "files.csv")
    r1 = f[f["census"] == "2026-06-10"]
    assert {"xlsx", "csv"} <= set(r1["format"])
    assert {"A", "B"} <= set(r1["layout"])
    assert {"utf-8-sig", "utf-8", "cp874"} <= set(r1["encoding"])
    assert (r1["status"] == "unreadable").sum() == 2
    assert (area / "README.txt").read_text(encoding="utf-8").startswith("เขตพื้นที่ตัวอย่าง")
