"""Child servers (JupyterLab, Voila) started and stopped with everything they start.

A server is started in its own process group (POSIX: a new session; Windows: a new process
group), so the terminal's Ctrl+C reaches only ``obec-audit``, which then stops the whole
group: SIGTERM to the group (Windows: CTRL_BREAK_EVENT), then SIGKILL (Windows: ``taskkill
/T /F``) after a grace period. Kernels that put themselves in a session of their own
(``jupyter_client`` does) are found by walking the process tree before the stop (Linux:
``/proc``) and stopped too. ``run`` turns SIGINT, SIGTERM and SIGHUP (Windows: SIGINT,
SIGBREAK) into that stop, so closing the terminal, ``kill`` or Ctrl+C leave nothing behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

__all__ = ["Stopped", "start", "stop", "run", "stop_signals", "descendants", "alive"]

WINDOWS = sys.platform == "win32"


class Stopped(BaseException):
    """Raised in the main thread by a stop signal while :func:`stop_signals` is active."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop_signal_numbers() -> list[int]:
    names = ("SIGINT", "SIGBREAK") if WINDOWS else ("SIGINT", "SIGTERM", "SIGHUP")
    return [getattr(signal, n) for n in names if hasattr(signal, n)]


@contextmanager
def stop_signals():
    """While inside, SIGINT/SIGTERM/SIGHUP raise :class:`Stopped` (main thread only)."""
    def handler(signum, frame):
        raise Stopped(signum)

    saved = {}
    try:
        for s in _stop_signal_numbers():
            try:
                saved[s] = signal.signal(s, handler)
            except (ValueError, OSError):  # not the main thread, or not settable
                pass
        yield
    finally:
        for s, h in saved.items():
            try:
                signal.signal(s, h)
            except (ValueError, OSError):
                pass


def start(argv, env=None, cwd=None, **kw) -> subprocess.Popen:
    """Start ``argv`` as the leader of a new process group."""
    if WINDOWS:
        kw["creationflags"] = kw.get("creationflags", 0) | subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        kw["start_new_session"] = True
    return subprocess.Popen(list(map(str, argv)), env=env, cwd=cwd, **kw)


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, grandchildren, …), whatever their group; Linux
    reads ``/proc``, elsewhere an empty list (the group stop still applies)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    parent: dict[int, int] = {}
    for d in proc.iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        # pid (comm) state ppid …: comm may hold spaces and parentheses
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1:
            parent[int(d.name)] = int(fields[1])
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        out += kids
        todo += kids
    return out


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        return state[state.rfind(")") + 2:].split()[0] != "Z"
    except OSError:
        return True


def _signal_all(proc: subprocess.Popen, pids: list[int], sig) -> None:
    """``sig`` to the group ``proc`` leads (if it does), to ``proc`` itself (started without
    :func:`start`, it leads no group) and to ``pids``."""
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError, OSError):
        pass
    if proc.poll() is None:
        pids = [proc.pid, *pids]
    for p in pids:
        try:
            os.kill(p, sig)
        except (ProcessLookupError, PermissionError, OSError):
            pass


def stop(proc: subprocess.Popen, timeout: float = 10.0) -> int:
    """Stop ``proc``, its process group and every process below it; its exit status."""
    if WINDOWS:  # pragma: no cover - exercised on Windows only
        if proc.poll() is None:
            try:
                proc.send_signal(signal.CTRL_BREAK_EVENT)
                proc.wait(timeout=timeout)
            except (OSError, subprocess.TimeoutExpired):
                pass
        subprocess.run(["taskkill", "/T", "/F", "/PID", str(proc.pid)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return proc.wait()
    below = descendants(proc.pid)
    _signal_all(proc, below, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    while time.monotonic() < deadline and any(alive(p) for p in below):
        time.sleep(0.1)
    rest = [p for p in below if alive(p)]
    if proc.poll() is None or rest:
        _signal_all(proc, rest + descendants(proc.pid), signal.SIGKILL)
    return proc.wait()


def run(argv, env=None, cwd=None, grace: float = 10.0) -> int:
    """Run a server until it ends or a stop signal arrives; then stop everything it started.
    The server's exit status, or 128 + the signal's number."""
    proc = start(argv, env=env, cwd=cwd)
    try:
        with stop_signals():
            try:
                return proc.wait()
            except (Stopped, KeyboardInterrupt) as exc:
                signum = getattr(exc, "signum", signal.SIGINT)
                print("กำลังปิด … / stopping …", file=sys.stderr, flush=True)
                stop(proc, timeout=grace)
                return 128 + int(signum)
    finally:
        if proc.poll() is None:
            stop(proc, timeout=grace)
