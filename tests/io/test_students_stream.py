"""students.csv written part by part while an extract is read (``io.csvout.StudentsCsvStream``):
the bytes ``atomic_csv`` writes from the whole list, whatever happened while reading."""

from __future__ import annotations

import gzip

import pytest

from _oddfiles import csv_text, table
from obec_audit import round as rnd
from obec_audit.io import csvout as CO
from obec_audit.io import extract as X


@pytest.fixture
def small_arrow(monkeypatch):
    """The pyarrow path from 10 rows (50,000 in use), and a count of the parts streamed."""
    monkeypatch.setattr(CO, "ARROW_CSV_MIN_ROWS", 10)
    parts = _Parts()
    part = CO.arrow_csv_part

    def counted(df, fh, header, safe=frozenset()):
        parts.append(len(df))
        part(df, fh, header, safe)

    monkeypatch.setattr(CO, "arrow_csv_part", counted)
    atomic = CO.atomic_csv
    parts.rewritten = []  # files written from the whole list instead

    def recorded(df, path):
        parts.rewritten.append(path.name)
        atomic(df, path)

    monkeypatch.setattr(CO, "atomic_csv", recorded)
    return parts


class _Parts(list):
    pass


def _whole(frame, tmp_path):
    p = tmp_path / "whole.csv"
    CO.atomic_csv(CO.students_for_csv(frame), p)
    return p.read_bytes()


def _stream(paths, tmp_path, chunksize=7):
    out = tmp_path / "streamed.csv"
    s = CO.StudentsCsvStream(out)
    res = X.load_students_any(paths, chunksize=chunksize, sink=s)
    s.finish(res.frame).result(timeout=60)
    return res.frame, out.read_bytes()


def test_parts_written_as_read_are_the_whole_lists_bytes(tmp_path, small_arrow):
    a, b = tmp_path / "a.csv.gz", tmp_path / "b.csv.gz"
    a.write_bytes(gzip.compress(csv_text(table(30)).encode("utf-8")))
    b.write_bytes(gzip.compress(csv_text(table(25, school="57010002", start=40)).encode("utf-8")))
    frame, got = _stream([a, b], tmp_path)
    assert len(frame) == 55 and small_arrow == [30, 25]  # streamed, a part per block read
    assert small_arrow.rewritten == []
    assert got == _whole(frame, tmp_path)
    assert got.startswith("\ufeff".encode("utf-8")) and got.count("รหัสโรงเรียน".encode("utf-8")) == 0


def test_a_file_read_again_row_by_row_is_cut_back(tmp_path, small_arrow, monkeypatch):
    """A ragged row late in the file sends it to the row-by-row reader after parts of it
    were streamed: they are withdrawn and its rows follow as the reader gives them."""
    monkeypatch.setattr(X, "EXTRACT_MIN_BYTES", 10)  # plain .csv files read as extracts
    monkeypatch.setattr(X, "_CSV_BLOCK", 1024)  # parts of a few rows, before the ragged one
    monkeypatch.setattr(CO, "ARROW_CSV_MIN_ROWS", 2)
    rows = table(60)
    rows[55] = rows[55] + ["เกิน", "ช่อง"]  # more cells than the header: pyarrow stops there
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(csv_text(table(20, school="57010003", start=90)), encoding="utf-8")
    b.write_text(csv_text(rows), encoding="utf-8")
    frame, got = _stream([a, b], tmp_path)
    assert len(frame) == 80 and sum(small_arrow) > 80  # b's first parts were streamed, then cut
    assert small_arrow.rewritten == []  # the streamed file, cut back, is the one kept
    assert got == _whole(frame, tmp_path)


def test_a_short_list_is_written_from_the_whole_list(tmp_path, small_arrow):
    a = tmp_path / "a.csv.gz"
    a.write_bytes(gzip.compress(csv_text(table(8)).encode("utf-8")))
    frame, got = _stream([a], tmp_path)
    assert small_arrow == []  # under ARROW_CSV_MIN_ROWS: nothing streamed
    assert small_arrow.rewritten == ["streamed.csv"]
    assert got == _whole(frame, tmp_path)


def test_the_round_streams_an_extracts_students_csv(tmp_path, small_arrow, monkeypatch):
    a = tmp_path / "in" / "a.csv.gz"
    a.parent.mkdir()
    a.write_bytes(gzip.compress(csv_text(table(30)).encode("utf-8")))
    res = rnd.run_round([a], tmp_path / "out", as_of="2026-06-10", reports=False)
    assert small_arrow == [30] and "students.csv" not in small_arrow.rewritten
    assert (tmp_path / "out" / "students.csv").read_bytes() == _whole(res.students, tmp_path)
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.suffix != ".csv") == ["round.json"]


def test_a_round_failing_after_the_read_leaves_nothing_behind(tmp_path, small_arrow, monkeypatch):
    a = tmp_path / "in" / "a.csv.gz"
    a.parent.mkdir()
    a.write_bytes(gzip.compress(csv_text(table(30)).encode("utf-8")))

    def broken(*args, **kw):
        raise RuntimeError("check crashed")

    monkeypatch.setattr(rnd.registry, "run_checks", broken)
    with pytest.raises(RuntimeError, match="check crashed"):
        rnd.run_round([a], tmp_path / "out", as_of="2026-06-10", reports=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_formula_text_met_late_in_a_file_is_neutralised_as_in_the_whole_list(tmp_path, small_arrow, monkeypatch):
    """Columns whose distinct values hold no formula start are not looked at again when a
    part is written (``csvout.formula_free``); a column that has one in a later part only
    must still be neutralised there: the same bytes as ``atomic_csv`` of the whole list."""
    monkeypatch.setattr(X, "_CSV_BLOCK", 512)  # several parts
    rows = table(60)
    rows[50][6], rows[55][7], rows[58][3] = "=1+1", "@SUM(A1)", "-"  # first name, last name, room
    rows[57][2] = "+ป.1"  # a grade no rule reads: its raw copy keeps the text
    p = tmp_path / "f.csv.gz"
    p.write_bytes(gzip.compress(csv_text(rows).encode("utf-8")))
    frame, got = _stream([p], tmp_path, chunksize=40)  # parts of 10, then 40 rows or more
    assert len(small_arrow) >= 2 and len(frame) == 60 and small_arrow.rewritten == []
    assert got == _whole(frame, tmp_path)
    assert b',"=1+1"' not in got and b',"@SUM(A1)"' not in got and b',"+' not in got
    assert CO.formula_free(frame["first_name"].iloc[:40]) and not CO.formula_free(frame["first_name"])
