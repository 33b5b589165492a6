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
    assert err[-1].startswith("[nothing-readable]") and "DMC" in err[-1]  # one line says why


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


# ------------------------------------------------------------------ mistakes: exit 2, a code
def _code(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert err, "no message"
    return err[-1].split("]")[0].lstrip("[")


@pytest.fixture()
def staged(area, tmp_path):
    """The area in a folder named by its B.E. census date, plus other inputs."""
    dated = tmp_path / "real" / "2569-06-10"
    dated.parent.mkdir()
    area.rename(dated)
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    (tmp_path / "no_codes.csv").write_text("smis8,name\n", encoding="utf-8")
    other = tmp_path / "2569-11-10"
    other.mkdir()
    (other / "a.csv").write_text("x", encoding="utf-8")
    return dated


MISTAKES = [
    (["INPUT_MISSING"], "input-missing"),
    (["--staff", "{t}/nope"], "input-missing"),
    (["--previous", "{t}/nope"], "input-missing"),
    (["--discharges", "{t}/nope.xlsx"], "input-missing"),
    (["--mobec", "{t}/nope"], "input-missing"),
    (["--bobec", "{t}/nope"], "input-missing"),
    (["--class-counts", "{t}/nope"], "input-missing"),
    (["--previous", "{t}/empty"], "input-empty"),
    (["--boarding-schools", "{t}/nope.csv"], "input-missing"),
    (["--boarding-schools", "{t}/empty"], "input-not-file"),
    (["--boarding-schools", "{t}/no_codes.csv"], "boarding-empty"),
    (["--out", "{t}/afile"], "out-is-file"),
    (["--out", "{t}/afile/sub"], "out-is-file"),
    (["--out", "/proc/obec-audit-x"], "out-unwritable"),
    (["--out", "{t}/real/2569-06-10/out"], "out-overlaps-input"),
    (["--out", "{t}/notes"], "out-not-empty"),
    (["--as-of", "31/02/2569"], "as-of-invalid"),
    (["--as-of", "yesterday"], "as-of-invalid"),
    (["--as-of", "10/06/2596"], "as-of-future"),
    (["{t}/2569-11-10"], "as-of-ambiguous"),
]


@pytest.mark.parametrize("extra,code", MISTAKES, ids=[c + "-" + a[0] for a, c in MISTAKES])
def test_every_mistake_stops_before_any_work(staged, tmp_path, capsys, monkeypatch, extra, code):
    import obec_audit.round as round_mod

    def no_work(*a, **k):
        raise AssertionError("work started")

    monkeypatch.setattr(round_mod, "run_round", no_work)
    t = str(tmp_path)
    argv = ["check", str(staged), "--out", str(tmp_path / "out"), "--quiet"]
    if extra == ["INPUT_MISSING"]:
        argv[1] = t + "/nope"
    elif extra[0].startswith("{t}"):
        argv.insert(2, extra[0].format(t=t))
    else:
        argv += [e.format(t=t) for e in extra]
    assert main(argv) == 2
    assert _code(capsys) == code


def test_calendar_mistakes(capsys):
    assert main(["calendar", "--date", "31/02/2569"]) == 2
    assert _code(capsys) == "date-invalid"
    assert main(["calendar", "--year", "12"]) == 2
    assert _code(capsys) == "year-invalid"


def test_dashboards_mistakes(tmp_path, capsys):
    assert main(["dashboards", "--rounds", str(tmp_path / "nope"), "--no-browser"]) == 2
    assert _code(capsys) == "input-missing"
    assert main(["dashboards", "--rounds", str(tmp_path), "--no-browser"]) == 2
    assert _code(capsys) == "rounds-missing"
    assert main(["dashboards", "--port", "70000", "--no-browser"]) == 2
    assert _code(capsys) == "port-invalid"
    assert main(["dashboards", "--ip", "999.1.1.1", "--no-browser"]) == 2
    assert _code(capsys) == "ip-invalid"


def test_calendar_into_a_closed_pipe_is_quiet():
    proc = subprocess.Popen([sys.executable, "-m", "obec_audit", "calendar", "--details"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # like `| head` that has already gone
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=120) == 0
    assert err == ""


def _cells(line: str) -> int:
    import unicodedata

    return sum(1 for c in line if unicodedata.category(c) != "Mn")


@pytest.mark.parametrize("extra", [[], ["--details"], ["--year", "2556", "--details"]])
def test_calendar_fits_100_columns(capsys, extra):
    assert main(["calendar", "--date", "20/06/2569", *extra]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 10
    assert max(len(x) for x in lines) <= 100
    assert max(_cells(x) for x in lines) <= 100
    text = "\n".join(lines)
    for phase in ("round1", "semester2", "endyear"):
        assert phase in text
    if extra:
        assert "ขั้นที่ 4" in text  # round 1's step of the seed


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    from obec_audit import __version__

    assert __version__ in capsys.readouterr().out


# ------------------------------------------------------------------ the census date, said
def _first_line(capsys) -> str:
    return capsys.readouterr().out.splitlines()[0]


def test_as_of_from_a_be_folder_name(staged, tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["check", str(staged), "--out", str(out), "--no-reports", "--quiet"]) == 0
    line = _first_line(capsys)
    assert "2026-06-10" in line and "round1" in line and "2569-06-10" in line
    assert json.loads((out / "round.json").read_text(encoding="utf-8"))["as_of"] == "2026-06-10"


def test_as_of_from_the_calendar_is_said(area, tmp_path, capsys, monkeypatch):
    import datetime as dt

    from obec_audit import options

    monkeypatch.setattr(options, "today", lambda: dt.date(2026, 12, 2))
    out = tmp_path / "o"
    assert main(["check", str(area), "--out", str(out), "--no-reports", "--quiet"]) == 0
    line = _first_line(capsys)
    assert "2026-11-10" in line and "semester2" in line and "calendar" in line
    assert json.loads((out / "round.json").read_text(encoding="utf-8"))["as_of"] == "2026-11-10"


def test_ce_year_where_be_is_expected_is_accepted_and_said(area, tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["check", str(area), "--out", str(out), "--as-of", "10/06/2026",
                 "--no-reports", "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "C.E." in text.splitlines()[1]
    assert json.loads((out / "round.json").read_text(encoding="utf-8"))["as_of"] == "2026-06-10"


def test_semester2_without_previous_is_warned(area, tmp_path, capsys):
    assert main(["check", str(area), "--out", str(tmp_path / "o"), "--as-of", "10/11/2569",
                 "--phase", "semester2", "--no-reports", "--quiet"]) == 0
    assert "[previous-missing]" in capsys.readouterr().err


# ------------------------------------------------------------------ rounds never mix
def test_an_earlier_round_is_replaced_as_a_whole(area, tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["check", str(area), "--out", str(out), "--as-of", "10/06/2569", "--quiet"]) == 0
    assert (out / "reports" / "57010001.xlsx").exists() and (out / "summary.xlsx").exists()
    (out / "notes.txt").write_text("officer's own note", encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(area), "--out", str(out), "--as-of", "10/11/2569",
                 "--phase", "semester2", "--no-reports", "--quiet"]) == 0
    said = capsys.readouterr().out
    assert "replaced" in said and "round1" in said
    assert not (out / "reports").exists() and not (out / "summary.xlsx").exists()
    meta = json.loads((out / "round.json").read_text(encoding="utf-8"))
    assert meta["phase"] == "semester2" and meta["replaced"]["phase"] == "round1"
    assert (out / "notes.txt").read_text(encoding="utf-8") == "officer's own note"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_demo_mistakes(tmp_path, capsys):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    assert main(["demo", "--out", str(tmp_path / "afile")]) == 2
    assert _code(capsys) == "out-is-file"
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_text("x", encoding="utf-8")
    assert main(["demo", "--out", str(tmp_path / "mine")]) == 2
    assert _code(capsys) == "out-not-empty"
    assert (tmp_path / "mine" / "thesis.docx").exists()


def test_demo_default_seed_is_the_notebooks_seed():
    from obec_audit.cli import build_parser
    from obec_audit.demo import DEFAULT_SEED

    assert DEFAULT_SEED == 5701
    assert build_parser().parse_args(["demo"]).seed == DEFAULT_SEED


def test_argparse_mistakes_carry_a_code(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "x", "--out", "y", "--phase", "bogus"])
    assert exc.value.code == 2
    assert _code(capsys) == "usage"
