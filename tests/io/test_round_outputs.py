"""What the round writes from odd inputs: CSVs safe to open in Excel, sheets named in
findings.csv, every path in files.csv, and a "nothing readable" exit naming each file."""

from __future__ import annotations

import pandas as pd
import pytest

from _iofiles import write_xlsx
from _oddfiles import HEADER, csv_text, students, table
from obec_audit.cli import main
from obec_audit.io.csvsafe import neutralise
from obec_audit.round import NothingReadable, run_round


def _read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_formula_text_is_neutralised_ids_and_numbers_are_not(tmp_path):
    rows = table(6)
    rows[1][6] = '=HYPERLINK("http://x.example","คลิก")'
    rows[2][7] = "=cmd|' /C calc'!A0"
    rows[3][7] = "@SUM(A1)"
    rows[4][6] = "+ชื่อ"
    d = tmp_path / "in"
    d.mkdir()
    (d / "57010001.csv").write_text(csv_text(rows), encoding="utf-8")
    out = tmp_path / "out"
    res = run_round(d, out, as_of="2026-06-10", reports=False)
    st = _read(out / "students.csv")
    assert st["first_name"].iloc[0] == "'" + rows[1][6]
    assert st["last_name"].iloc[1] == "'" + rows[2][7]
    assert st["last_name"].iloc[2] == "'@SUM(A1)" and st["first_name"].iloc[3] == "'+ชื่อ"
    assert st["national_id"].tolist() == res.students["national_id"].tolist()  # IDs unchanged
    for name in ("students.csv", "findings.csv", "files.csv", "completeness.csv"):
        df = _read(out / name)
        for c in df.columns:
            bad = (df[c].str.match(r"^[=+@\t\r]") | df[c].str.match(r"^-[^0-9-]")) & ~df[c].str.fullmatch(r'="[0-9]*"')
            assert not bad.any(), (name, c, df.loc[bad, c].tolist())
    # in memory the values stay as read
    assert res.students["first_name"].iloc[0] == rows[1][6]


def test_neutralise_keeps_numbers_and_lone_dash():
    df = pd.DataFrame({"a": pd.Series(["-5", "-", "-1.5", "=1+1", "-x", '="1101700230708"', '="1"&A1'],
                                      dtype="string"),
                       "w": [-5.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    out = neutralise(df)
    assert out["a"].tolist() == ["-5", "-", "-1.5", "'=1+1", "'-x", '="1101700230708"', '\'="1"&A1']
    assert out["w"].tolist() == df["w"].tolist()


def test_source_sheet_in_students_and_findings(tmp_path):
    bad = students(2, start=4)
    bad[0][1] = "123"  # id-format on sheet ป.2
    write_xlsx(tmp_path / "57010001.xlsx", [HEADER, *students(4)], sheet="ป.1",
               more={"ป.2": [HEADER, *bad], "คำชี้แจง": [["กรอกให้ครบ"]]})
    out = tmp_path / "out"
    run_round(tmp_path / "57010001.xlsx", out, as_of="2026-06-10", reports=False)
    st = _read(out / "students.csv")
    assert st["source_sheet"].tolist() == ["ป.1"] * 4 + ["ป.2"] * 2
    f = _read(out / "findings.csv")
    assert "source_sheet" in f.columns
    assert f.loc[f["check"].eq("id-format"), "source_sheet"].tolist() == ["ป.2"]
    assert f.loc[f["check"].eq("file-skipped"), "source_sheet"].tolist() == ["คำชี้แจง"]
    assert not f["check"].eq("file-unreadable").any()


def test_files_csv_lists_every_path_and_console_count_matches(tmp_path, capsys):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.csv").write_text(csv_text(table(3)), encoding="utf-8")
    (d / "sub" / "b.csv").write_text(csv_text(table(3, school="57010002", start=10)), encoding="utf-8")
    (d / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    (d / "sub" / "loop").symlink_to(d, target_is_directory=True)
    out = tmp_path / "out"
    assert main(["check", str(d), "--out", str(out), "--as-of", "2026-06-10", "--no-reports", "--quiet"]) == 0
    files = _read(out / "files.csv")
    assert {"a.csv", "b.csv", "notes.pdf", "loop", "sub", "in"} <= set(files["source_file"])
    line = [x for x in capsys.readouterr().out.splitlines() if x.startswith("ตรวจรอบ")][0]
    assert f"{len(files)} แฟ้ม" in line
    f = _read(out / "findings.csv")
    assert set(f.loc[f["check"].eq("file-skipped"), "source_file"]) == {"notes.pdf", "loop"}


def test_nothing_readable_names_each_file_and_reason(tmp_path, capsys):
    (tmp_path / "a.xlsx").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "b.csv").write_bytes(b"")
    write_xlsx(tmp_path / "c.xlsx", [["ระดับชั้น", "ชาย"], ["ป.1", 3]])
    with pytest.raises(NothingReadable) as exc:
        run_round(tmp_path, tmp_path / "out", as_of="2026-06-10", reports=False)
    for name in ("a.xlsx", "b.csv", "c.xlsx"):
        assert name in exc.value.message_th and name in exc.value.message_en
    assert "PDF" in exc.value.message_th
    assert main(["check", str(tmp_path), "--out", str(tmp_path.parent / f"{tmp_path.name}-o"), "--quiet"]) == 2
    assert "a.xlsx" in capsys.readouterr().err


def test_students_csv_is_written_while_the_checks_run(tmp_path, monkeypatch):
    """students.csv depends on the list only: it is in the round's folder before the checks
    end, with the content ``students_for_csv`` gives."""
    import time

    from obec_audit import round as rnd

    d = tmp_path / "in"
    d.mkdir()
    (d / "57010001.csv").write_text(csv_text(table(8)), encoding="utf-8")
    out = tmp_path / "out"
    monkeypatch.setattr(rnd.registry, "LANES_MIN_ROWS", 1)  # an area's list is written with the rest
    seen = {}
    run_checks = rnd.registry.run_checks

    def checks_waiting_for_the_file(*a, **kw):
        until = time.monotonic() + 20
        while time.monotonic() < until and not list(tmp_path.glob(".out.new-*/students.csv")):
            time.sleep(0.01)
        seen["during"] = bool(list(tmp_path.glob(".out.new-*/students.csv")))
        return run_checks(*a, **kw)

    monkeypatch.setattr(rnd.registry, "run_checks", checks_waiting_for_the_file)
    res = run_round(d, out, as_of="2026-06-10", reports=False)
    assert seen["during"]
    want = rnd.students_for_csv(res.students)
    got = _read(out / "students.csv")
    assert list(got.columns) == list(want.columns) and len(got) == len(want) == 8


def test_a_list_past_lanes_max_rows_writes_students_csv_after_the_checks(tmp_path, monkeypatch):
    from obec_audit import round as rnd

    d = tmp_path / "in"
    d.mkdir()
    (d / "57010001.csv").write_text(csv_text(table(8)), encoding="utf-8")
    monkeypatch.setattr(rnd.registry, "LANES_MAX_ROWS", 3)
    seen = {}
    run_checks = rnd.registry.run_checks

    def checks(*a, **kw):
        seen["during"] = bool(list(tmp_path.glob(".out.new-*/students.csv")))
        return run_checks(*a, **kw)

    monkeypatch.setattr(rnd.registry, "run_checks", checks)
    res = run_round(d, tmp_path / "out", as_of="2026-06-10", reports=False)
    assert seen == {"during": False}
    assert len(_read(tmp_path / "out" / "students.csv")) == len(res.students) == 8


def test_a_failed_students_csv_fails_the_round_and_keeps_the_earlier_one(tmp_path, monkeypatch):
    from obec_audit import round as rnd

    d = tmp_path / "in"
    d.mkdir()
    (d / "57010001.csv").write_text(csv_text(table(5)), encoding="utf-8")
    out = tmp_path / "out"
    run_round(d, out, as_of="2026-06-10", reports=False)
    before = (out / "students.csv").read_bytes()

    def full_disk(students):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rnd, "students_for_csv", full_disk)
    with pytest.raises(OSError):
        run_round(d, out, as_of="2026-06-11", reports=False)
    assert (out / "students.csv").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]  # no half-written folder
