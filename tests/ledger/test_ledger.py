import datetime as dt
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from pathlib import Path

import filelock
import pandas as pd
import pytest

from obec_audit.ledger import (
    CertificationLedger,
    DuplicateDecisions,
    LedgerLockError,
    LedgerWarning,
)

D = dt.date
TODAY = D(2013, 7, 1)
REPO = Path(__file__).resolve().parents[1]


def _members():
    return pd.DataFrame(
        {
            "national_id": ["1101700230708", "1101700230708"],
            "school_code": ["57010001", "57010002"],
            "source_file": ["a.xlsx", "b.xlsx"],
            "source_row": [5, 9],
        }
    )


def test_certification_round_trip_and_status(tmp_path):
    led = CertificationLedger(tmp_path)
    rec = led.mark_received("57010001", "round1", D(2013, 6, 24), "นางสาวสมศรี ใจดี", today=TODAY)
    assert rec["late"] == "no" and rec["received_on_be"] == "24/06/2556"
    led.mark_received("5701 0002", "round1", "27/06/2556", "นายสมชาย", note="ขาดรายงานที่ 3", today=TODAY)
    # a later session: a new object reads the same folder
    again = CertificationLedger(tmp_path)
    st = again.status("round1", ["57010001", "57010002", "57010003"], today=TODAY)
    assert st["status"].tolist() == ["certified", "late", "not-yet"]
    assert st["days_late"].tolist() == [0, 2, 6]
    assert st["overdue"].tolist() == [False, False, True]
    assert st.loc[1, "received_on_be"] == "27/06/2556" and st.loc[1, "note"] == "ขาดรายงานที่ 3"
    assert st.loc[0, "deadline_be"] == "25/06/2556"
    # before the deadline, not yet is not overdue
    early = again.status("round1", ["57010003"], today=D(2013, 6, 20))
    assert early["days_late"].tolist() == [0] and not early["overdue"].any()


def test_status_takes_a_schools_frame(tmp_path):
    led = CertificationLedger(tmp_path)
    led.mark_received("57010001", "round2", D(2013, 7, 3), "ก", today=TODAY.replace(day=5))
    schools = pd.DataFrame({"school_code": ["57010001", "57010002"], "school_name": ["บ้านก", "บ้านข"]})
    st = led.status("round2", schools, today=D(2013, 7, 10))
    assert st["school_name"].tolist() == ["บ้านก", "บ้านข"]
    assert st["status"].tolist() == ["certified", "not-yet"]


def test_unmark_is_a_new_record_history_kept(tmp_path):
    led = CertificationLedger(tmp_path)
    led.mark_received("57010001", "round1", D(2013, 6, 20), "ก", today=TODAY)
    led.unmark("57010001", "round1", "ก", note="บันทึกผิดโรงเรียน", today=TODAY)
    assert led.status("round1", ["57010001"], today=TODAY)["status"].tolist() == ["not-yet"]
    h = led.history()
    assert h["action"].tolist() == ["received", "unmarked"]
    assert h["seq"].tolist() == ["1", "2"]
    led.mark_received("57010001", "round1", D(2013, 6, 21), "ข", today=TODAY)
    assert len(led.history()) == 3
    assert led.status("round1", ["57010001"], today=TODAY)["received_by"].tolist() == ["ข"]


def test_file_is_excel_friendly_and_round_trips(tmp_path):
    led = CertificationLedger(tmp_path)
    led.mark_received("57010001", "round1", D(2013, 6, 20), "ก", note="บรรทัด1\nบรรทัด2, มีจุลภาค", today=TODAY)
    raw = led.path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw.decode("utf-8-sig").splitlines()[0]
    assert "รหัสโรงเรียน (school_code)" in header
    assert len(raw.decode("utf-8-sig").splitlines()) == 2  # one record = one line
    assert led.history()["note"].tolist() == ["บรรทัด1 บรรทัด2, มีจุลภาค"]
    # Excel re-saves the file as cp874 with the ISO date reformatted: nothing lost
    text = raw.decode("utf-8-sig").replace(",2013-06-20,", ",20/6/2013,")
    led.path.write_bytes(text.encode("cp874"))
    with pytest.warns(LedgerWarning, match="cp874"):
        h = CertificationLedger(tmp_path).history()
    assert h["received_on"].tolist() == ["2013-06-20"]
    assert h["school_code"].tolist() == ["57010001"]
    assert list(tmp_path.glob("certification.csv.corrupt-*"))
    # the next write stores everything back as UTF-8
    with pytest.warns(LedgerWarning):
        CertificationLedger(tmp_path).mark_received("57010002", "round1", D(2013, 6, 21), "ข", today=TODAY)
    assert led.path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(CertificationLedger(tmp_path).history()) == 2


def test_bare_english_or_thai_headers_are_accepted(tmp_path):
    led = CertificationLedger(tmp_path)
    led.mark_received("57010001", "round1", D(2013, 6, 20), "ก", today=TODAY)
    lines = led.path.read_text(encoding="utf-8-sig").splitlines()
    thai = ",".join(CertificationLedger.LABELS_TH[c] for c in CertificationLedger.COLUMNS)
    led.path.write_text("\n".join([thai] + lines[1:]) + "\n", encoding="utf-8-sig")
    assert CertificationLedger(tmp_path).history()["school_code"].tolist() == ["57010001"]


def test_mark_received_rejects_bad_input(tmp_path):
    led = CertificationLedger(tmp_path)
    with pytest.raises(ValueError):
        led.mark_received("5701", "round1", D(2013, 6, 20), "ก", today=TODAY)
    with pytest.raises(ValueError):
        led.mark_received("57010001", "round9", D(2013, 6, 20), "ก", today=TODAY)
    with pytest.raises(ValueError):
        led.mark_received("57010001", "round1", D(2013, 7, 2), "ก", today=TODAY)  # future
    with pytest.raises(ValueError):
        led.mark_received("57010001", "round1", D(2013, 6, 20), "  ", today=TODAY)
    assert not led.path.exists()


def test_decisions_survive_into_a_later_round(tmp_path):
    dec = DuplicateDecisions(tmp_path)
    dec.record("dup-id-area:1101700230708", "move-out", "เด็กอยู่โรงเรียน 57010001", "ครูเอ",
               members=_members(), check="dup-id-area", school_code="57010002", round="round1")
    dec.record("dup-person:abc", "ไม่ซ้ำ", "คนละคน (ฝาแฝด)", "ครูเอ", members=["G644200000001", "1101700230708"])
    # round 2: a new object, the same group ids
    later = DuplicateDecisions(tmp_path)
    got = later.for_groups(["dup-id-area:1101700230708", "dup-id-school:zzz", "dup-person:abc"])
    assert list(got.index) == ["dup-id-area:1101700230708", "dup-person:abc"]
    assert got["decision"].tolist() == ["move-out", "not-duplicate"]
    assert got.loc["dup-id-area:1101700230708", "member_rows"] == "a.xlsx#5;b.xlsx#9"
    assert got.loc["dup-id-area:1101700230708", "school_code"] == "57010002"
    assert later.get("dup-id-school:zzz") is None
    # a changed mind is a new record; the old stays
    later.record("dup-person:abc", "keep", "ตรวจสูติบัตรแล้ว", "ครูบี")
    assert later.get("dup-person:abc")["decision"] == "keep"
    assert later.history("dup-person:abc")["decision"].tolist() == ["not-duplicate", "keep"]
    # display masks the IDs unless asked
    shown = later.display()
    text = shown.to_string()
    assert "1101700230708" not in text and "1xxxxxxxxxxx8" in text
    assert "1101700230708" in later.display(masked=False).to_string()
    # the full IDs are in the (git-ignored) file, masked only for display
    assert later.current()["member_ids"].str.contains("1101700230708").any()


def test_decision_validation(tmp_path):
    dec = DuplicateDecisions(tmp_path)
    for bad in [dict(decision="delete"), dict(reason=""), dict(decided_by=" "), dict(group="")]:
        kw = dict(group="g1", decision="keep", reason="r", decided_by="x") | bad
        with pytest.raises(ValueError):
            dec.record(**kw)
    assert dec.current().empty


def test_corrupted_file_loses_no_good_record(tmp_path):
    dec = DuplicateDecisions(tmp_path)
    for i in range(5):
        dec.record(f"g{i}", "keep", f"เหตุผล {i}", "ครู")
    good = dec.path.read_bytes()
    # garbage in the middle, then a truncated last line
    lines = good.split(b"\r\n")
    lines.insert(3, b"\x00\xff\xfe garbage \x81\x82,,,")
    last = lines[-2]
    damaged = b"\r\n".join(lines[:-2]) + b"\r\n" + last[: len(last) // 2]
    dec.path.write_bytes(damaged)
    with pytest.warns(LedgerWarning, match="อ่านไม่ได้"):
        cur = DuplicateDecisions(tmp_path).current()
    assert cur["group"].tolist() == ["g0", "g1", "g2", "g3"]  # g4's line was cut
    backups = list(tmp_path.glob("duplicate_decisions.csv.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == damaged
    # writing after damage keeps every good record (and does not make a second backup)
    with pytest.warns(LedgerWarning):
        DuplicateDecisions(tmp_path).record("g9", "move-out", "ย้ายแล้ว", "ครู")
    cur = DuplicateDecisions(tmp_path).current()
    assert cur["group"].tolist() == ["g0", "g1", "g2", "g3", "g9"]
    assert len(list(tmp_path.glob("duplicate_decisions.csv.corrupt-*"))) == 1
    # the new file is clean again
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        DuplicateDecisions(tmp_path).current()


def test_concurrent_threads_lose_nothing(tmp_path):
    errors = []

    def writer(tag):
        try:
            d = DuplicateDecisions(tmp_path)
            for i in range(100):
                d.record(f"{tag}-{i}", "keep", "r", tag)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    ts = [threading.Thread(target=writer, args=(t,)) for t in ("a", "b")]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors
    h = DuplicateDecisions(tmp_path).history()
    assert len(h) == 200 and h["record_id"].is_unique
    assert sorted(h["seq"].astype(int)) == list(range(1, 201))
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_concurrent_processes_lose_nothing(tmp_path):
    script = textwrap.dedent(
        """
        import sys, datetime as dt
        sys.path.insert(0, sys.argv[3])
        from obec_audit.ledger import CertificationLedger
        led = CertificationLedger(sys.argv[1])
        base = int(sys.argv[2])
        for i in range(100):
            led.mark_received(f"{base + i:08d}", "round1", dt.date(2013, 6, 20), "p" + sys.argv[2],
                              today=dt.date(2013, 7, 1))
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path), str(base), str(REPO)])
        for base in (57010000, 57020000)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    cur = CertificationLedger(tmp_path).current()
    assert len(cur) == 200 and cur["school_code"].is_unique


def test_left_lock_file_does_not_block_and_live_lock_times_out(tmp_path):
    dec = DuplicateDecisions(tmp_path, lock_timeout=0.3)
    lock = tmp_path / ".duplicate_decisions.csv.lock"
    # a lock file left behind by a dead writer holds nothing: the next writer goes at once
    lock.write_text("someone\n", encoding="utf-8")
    t0 = time.monotonic()
    dec.record("g", "keep", "r", "x")
    assert time.monotonic() - t0 < 0.3
    # a live holder (another open file description, as another process would have) blocks
    with filelock.FileLock(lock, thread_local=False):
        with pytest.raises(LedgerLockError):
            dec.record("h", "keep", "r", "x")
    dec.record("h", "keep", "r", "x")
    assert dec.current()["group"].tolist() == ["g", "h"]
