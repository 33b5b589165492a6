"""`obec-audit check` end to end on small hand-made files (CONTRACT.md)."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from obec_audit.cli import main
from obec_audit.ids import pin
from obec_audit.io.aliases import LAYOUT_B_HEADERS
from obec_audit.schema import FINDING_COLUMNS


def valid_id(prefix12: str) -> str:
    return prefix12 + pin.calc_check_digit(prefix12)


def _row(code, nid, grade, room, sex, title, first, last, birth, w="25", h="125"):
    values = {
        "รหัสโรงเรียน": code,
        "ชื่อโรงเรียน": "โรงเรียนทดสอบ",
        "เลขประจำตัวประชาชน": nid,
        "ชั้น": grade,
        "ห้อง": room,
        "เลขประจำตัวนักเรียน": "1",
        "เพศ": sex,
        "คำนำหน้าชื่อ": title,
        "ชื่อ": first,
        "นามสกุล": last,
        "วันเกิด": birth,
        "น้ำหนัก": w,
        "ส่วนสูง": h,
        "กลุ่มเลือด": "O",
        "ศาสนา": "พุทธ",
        "เชื้อชาติ": "ไทย",
        "สัญชาติ": "ไทย",
        "ความด้อยโอกาส": "ไม่ด้อยโอกาส",
    }
    return [values.get(h, "") for h in LAYOUT_B_HEADERS]


@pytest.fixture()
def area(tmp_path):
    folder = tmp_path / "dmc"
    folder.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["รายชื่อนักเรียน ปีการศึกษา 2569"])  # a title row above the header
    ws.append(LAYOUT_B_HEADERS)
    good = valid_id("110170023070")
    ws.append(_row("57010001", good, "ป.3", "1", "ช", "เด็กชาย", "สมชาย", "ใจดี", "20/03/2560"))
    ws.append(_row("57010001", good, "ป.3", "1", "ญ", "เด็กหญิง", "สมหญิง", "ใจดี", "21/04/2560"))
    ws.append(_row("57010001", "G644200000001", "ป.1", "1", "ช", "เด็กชาย", "ต่อ", "แสง", "01/01/2562"))
    ws.append(_row("57010001", "", "ป.2", "1", "ญ", "เด็กชาย", "มะลิ", "ขาว", "01/01/2561", w="0"))
    wb.save(folder / "57010001.xlsx")
    (folder / "broken.xlsx").write_bytes(b"\x00\x01not an excel file" * 10)
    return folder


def test_check_writes_contract_files(area, tmp_path):
    out = tmp_path / "out"
    rc = main(["check", str(area), "--out", str(out), "--as-of", "10/06/2569", "--quiet"])
    assert rc == 0
    for name in ("findings.csv", "students.csv", "completeness.csv", "summary.xlsx", "round.json"):
        assert (out / name).exists(), name
    assert (out / "reports" / "57010001.xlsx").exists()

    students = pd.read_csv(out / "students.csv", dtype=str, encoding="utf-8-sig")
    assert len(students) == 4  # exactly one row per data row read
    assert students["source_row"].tolist() == ["3", "4", "5", "6"]  # title row counted
    assert students.loc[0, "birth_date"] == "2017-03-20"
    assert students.loc[0, "sex"] == "M" and students.loc[1, "sex"] == "F"

    findings = pd.read_csv(out / "findings.csv", dtype=str, encoding="utf-8-sig")
    assert list(findings.columns[: len(FINDING_COLUMNS)]) == FINDING_COLUMNS
    got = set(zip(findings["check"], findings["source_row"].fillna("")))
    assert ("dup-id-school", "3") in got and ("dup-id-school", "4") in got
    assert ("id-gcode", "5") in got
    assert ("id-missing", "6") in got
    assert ("sex-title", "6") in got
    assert ("field-missing", "6") in got  # weight 0
    assert any(c == "file-unreadable" for c, _ in got)
    dup = findings[findings["check"].eq("dup-id-school")]
    assert dup["group"].nunique() == 1

    meta = json.loads((out / "round.json").read_text(encoding="utf-8"))
    assert meta["as_of"] == "2026-06-10"


def test_check_no_reports(area, tmp_path):
    out = tmp_path / "out"
    assert main(["check", str(area), "--out", str(out), "--as-of", "2026-06-10",
                 "--no-reports", "--quiet"]) == 0
    assert (out / "findings.csv").exists()
    assert not (out / "reports").exists()
    assert not (out / "summary.xlsx").exists()


def test_check_nothing_readable_exits_nonzero(tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"garbage" * 100)
    rc = main(["check", str(bad), "--out", str(tmp_path / "o"), "--quiet"])
    assert rc != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "DMC" in err[0]


def test_python_dash_m_runs(area, tmp_path):
    out = tmp_path / "o2"
    proc = subprocess.run(
        [sys.executable, "-m", "obec_audit", "check", str(area), "--out", str(out),
         "--as-of", "10/06/2569", "--no-reports", "--quiet"],
        capture_output=True, text=True, encoding="utf-8",
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / "findings.csv").exists()


def test_bad_date_is_reported(area, tmp_path, capsys):
    rc = main(["check", str(area), "--out", str(tmp_path / "o3"), "--as-of", "31/31/2569"])
    assert rc == 2


def test_lab_dry_run_prepares_demo_and_builds_the_command(capsys):
    assert main(["lab", "--dry-run", "--no-browser"]) == 0
    out = capsys.readouterr().out
    assert "jupyterlab" in out and "00_workshop_tour.ipynb" in out


def test_checks_lists_every_contract_code(capsys):
    assert main(["checks"]) == 0
    out = capsys.readouterr().out
    for code in ("file-unreadable", "id-missing", "dup-person", "left-unexplained", "moved-school"):
        assert code in out
