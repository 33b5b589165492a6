"""Files parsed ahead in worker processes (io.gather inside obec_audit.workers.shared) give
the same load as parsing them here, odd and broken files included."""

from __future__ import annotations

import pandas as pd
import pytest

from _iofiles import write_csv, write_xlsx  # noqa: E402 (tests/io on the path: conftest)
from _oddfiles import csv_text, table, zip_bytes  # noqa: E402
from obec_audit import workers
from obec_audit.io import gather as gather_mod
from obec_audit.io.students import load_students


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for i in range(6):
        write_xlsx(d / f"s{i}.xlsx", table(5, school=f"5701000{i}", start=10 * i))
    write_csv(d / "c.csv", table(4, school="57010007", start=80))
    (d / "copy.csv").write_bytes((d / "c.csv").read_bytes())  # same bytes: read once
    (d / "empty.csv").write_bytes(b"")
    (d / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (d / "scan.pdf").write_bytes(b"%PDF-1.4 a scan")
    (d / "a.zip").write_bytes(zip_bytes({"z.csv": csv_text(table(3, school="57010009", start=90))
                                         .encode("utf-8")}))
    return d


def _load(folder):
    r = load_students([folder])
    return r.frame.drop(columns=["_path"], errors="ignore"), r.findings, r.files


def test_parsed_ahead_same_as_here(folder, monkeypatch):
    by_worker = []  # per file met: parsed by a worker?
    take = gather_mod._Ahead.take

    def spy(self, e):
        res = take(self, e)
        by_worker.append(res is not None)
        return res

    monkeypatch.setattr(gather_mod._Ahead, "take", spy)
    here = _load(folder)
    assert not any(by_worker)  # outside a round: no workers
    by_worker.clear()
    monkeypatch.setattr(gather_mod, "PARALLEL_MIN_FILES", 2)
    with workers.shared(2):
        assert workers.pool() is not None
        ahead = _load(folder)
    # 12 files and the zip's member met once; files no worker had started yet when they
    # were needed were parsed here (and the member always is)
    assert len(by_worker) == 13 and any(by_worker)
    for a, b in zip(here, ahead):
        pd.testing.assert_frame_equal(a, b)
    frame, findings, files = ahead
    assert len(frame) == 6 * 5 + 4 + 3
    assert set(files["status"]) >= {"duplicate", "unreadable", "skipped", "archive"}
    assert findings["check"].eq("file-unreadable").sum() == 2  # empty.csv, broken.xlsx


def test_parse_in_worker_results(folder):
    digest, kind, sheets = gather_mod._parse(folder / "s0.xlsx", "s0.xlsx", True)
    assert kind == "xlsx" and len(digest) == 20 and sheets[0].cells.shape[0] == 6
    assert gather_mod._parse(folder / "empty.csv", "empty.csv", True)[2][:2] == ("error", "empty")
    assert gather_mod._parse(folder / "broken.xlsx", "broken.xlsx", True)[1:] == ("zip", None)
    assert gather_mod._parse(folder / "a.zip", "a.zip", False)[1:] == ("zip", None)
    assert gather_mod._parse(folder / "gone.csv", "gone.csv", True)[0] is None  # read here


def test_parse_in_worker_converts(folder):
    # the worker turns the sheets into columns (readers._sheets_to_text): what it returns is
    # what this process would have made of the same sheets
    import functools

    from obec_audit.io.readers import _sheets_to_text
    from obec_audit.io.students import STUDENT_SPEC

    convert = functools.partial(_sheets_to_text, STUDENT_SPEC)
    _, _, texts = gather_mod._parse(folder / "s1.xlsx", "s1.xlsx", True, convert)
    _, _, sheets = gather_mod._parse(folder / "s1.xlsx", "s1.xlsx", True)
    here = convert(sheets, "s1.xlsx")
    assert len(texts) == len(here) == 1
    (t, row, found), (t2, row2, _) = texts[0], here[0]
    assert row == row2 and row["status"] == "ok" and row["rows_loaded"] == 5
    assert list(t) == list(t2) and all((t[k] == t2[k]).all() for k in t)
    assert list(t["source_row"]) == [2, 3, 4, 5, 6] and set(t["school_code"]) == {"57010001"}
    # a file that does not parse is still the ReadError's reasons, not converted
    assert gather_mod._parse(folder / "empty.csv", "empty.csv", True, convert)[2][:2] == ("error", "empty")


def test_one_cpu_no_pool():
    with workers.shared(1):
        assert workers.pool() is None


def test_round_loads_the_other_datasets_in_workers(tmp_path, monkeypatch):
    from obec_audit import round as round_mod

    now, prev = tmp_path / "now", tmp_path / "prev"
    now.mkdir()
    prev.mkdir()
    for i in range(3):
        write_csv(now / f"n{i}.csv", table(4, school=f"5701000{i}", start=10 * i))
        write_csv(prev / f"p{i}.csv", table(5, school=f"5701000{i}", start=10 * i))
    ahead_sizes = []
    load_ahead = round_mod._load_ahead

    def spy(others):
        got = load_ahead(others)
        ahead_sizes.append(len(got))
        return got

    monkeypatch.setattr(round_mod, "_load_ahead", spy)

    def run():
        r = round_mod.run_round(now, previous=prev, as_of="2026-11-10", phase="semester2")
        return r.students, r.findings, r.data["previous"], r.files

    serial_cpus = monkeypatch.context()
    with serial_cpus as m:
        m.setattr(workers, "cpus", lambda: 1)
        here = run()
    parallel = run()
    assert ahead_sizes == [0, 1]  # no pool, then the previous census loaded in a worker
    for a, b in zip(here, parallel):
        pd.testing.assert_frame_equal(a, b)
    assert len(parallel[2]) == 15


def test_waiting_for_a_worker_parses_the_last_files_here(folder, monkeypatch):
    # while the worker is still on a file, this process parses the files no worker has been
    # given yet (from the end); every file is still given back once, in input order
    from concurrent.futures import Future

    from obec_audit.io.walk import walk

    real = gather_mod._parse
    here = []

    class Slow(Future):  # a worker's future: running, done after being asked twice
        def __init__(self, args):
            super().__init__()
            self.args, self.asked = args, 0
            self.set_running_or_notify_cancel()

        def done(self):
            self.asked += 1
            if self.asked > 2 and not super().done():
                self.set_result(real(*self.args))
            return super().done()

        def result(self, timeout=None):
            if not super().done():
                self.set_result(real(*self.args))
            return super().result()

    class Pool:
        _max_workers = 1

        def submit(self, fn, *args):
            return Slow(args)

    monkeypatch.setattr(workers, "pool", lambda: Pool())
    monkeypatch.setattr(gather_mod, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(gather_mod, "_parse", lambda *a: here.append(a[1]) or real(*a))
    entries = [e for e in walk([folder]) if e.kind == "file" and not e.status]
    ahead = gather_mod._Ahead(entries)
    got = [ahead.take(e) for e in entries]
    assert here and entries[-1].name in here  # the last file was parsed here, while waiting
    for e, res in zip(entries, got):
        want = real(e.path, e.name, e.suffix in gather_mod.DATA_SUFFIXES or e.explicit)
        want = want if want[0] is not None else None
        if res is None or want is None:
            assert res is None and (want is None or want[2] is None)  # read here again by _one
            continue
        assert res[:2] == want[:2] and type(res[2]) is type(want[2])
    assert not ahead.here and not ahead.futures
