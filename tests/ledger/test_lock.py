"""A writer killed mid-append (kill -9: a kernel restart, a laptop losing power) neither blocks
the next writer nor loses anything recorded."""

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from obec_audit.ledger import CertificationLedger

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2013, 7, 1)

# records 20 receipts, then starts a 21st whose atomic replace stops half-way (the temporary
# file half written) with the lock held, says "ready" and waits to be killed
WRITER = textwrap.dedent(
    """
    import sys, time, datetime as dt
    sys.path.insert(0, sys.argv[2])
    from obec_audit.ledger import CertificationLedger
    from obec_audit.ledger import store

    led = CertificationLedger(sys.argv[1])
    base = int(sys.argv[3])
    for i in range(20):
        led.mark_received(f"{base + i:08d}", "round1", dt.date(2013, 6, 20), "killed",
                          today=dt.date(2013, 7, 1))

    def stuck(self, data):
        tmp = self.path.with_name(f".{self.path.name}.deadbeef.tmp")
        with open(tmp, "wb") as fh:
            fh.write(data[: len(data) // 2])
            fh.flush()
        print("ready", flush=True)
        time.sleep(600)

    store.Store._replace = stuck
    led.mark_received(f"{base + 20:08d}", "round1", dt.date(2013, 6, 20), "killed",
                      today=dt.date(2013, 7, 1))
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kill -9 is POSIX")
def test_writer_killed_mid_append_blocks_nobody_and_loses_nothing(tmp_path):
    for round_no, base in enumerate((57010000, 57020000, 57030000), start=1):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), str(REPO), str(base)],
            stdout=subprocess.PIPE, text=True,
        )
        try:
            assert proc.stdout.readline().strip() == "ready"
            assert list(tmp_path.glob(".certification.csv.*.tmp"))  # killed mid-write
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        # the next writer proceeds at once (the old lock waited 30 s, then failed)
        led = CertificationLedger(tmp_path, lock_timeout=5)
        t0 = time.monotonic()
        led.mark_received(f"{base + 99:08d}", "round1", dt.date(2013, 6, 21), "next",
                          today=TODAY)
        assert time.monotonic() - t0 < 1.0
        cur = led.current()
        # every receipt recorded before the kill is there, the interrupted one is not
        expected = {f"{b + i:08d}" for b in (57010000, 57020000, 57030000)[:round_no]
                    for i in [*range(20), 99]}
        assert set(cur["school_code"]) == expected
        assert cur["record_id"].is_unique
        assert f"{base + 20:08d}" not in set(cur["school_code"])
        # the dead writer's half-written temporary file was cleared under the lock
        assert not list(tmp_path.glob(".certification.csv.*.tmp"))
    assert len(CertificationLedger(tmp_path).history()) == 3 * 21


def test_threads_sharing_one_ledger_object_lose_nothing(tmp_path):
    import threading

    from obec_audit.ledger import DuplicateDecisions

    dec = DuplicateDecisions(tmp_path)  # one object, one lock object, two threads
    errors = []

    def writer(tag):
        try:
            for i in range(60):
                dec.record(f"{tag}-{i}", "keep", "r", tag)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    ts = [threading.Thread(target=writer, args=(t,)) for t in ("a", "b")]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors
    h = DuplicateDecisions(tmp_path).history()
    assert len(h) == 120 and sorted(h["seq"].astype(int)) == list(range(1, 121))
