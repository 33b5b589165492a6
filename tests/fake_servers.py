"""Fake JupyterLab / Voila servers for the stop tests: a real process tree shaped like the
real one (a kernel in a session of its own, as jupyter_client starts them, and a helper in
the server's group), without starting Jupyter."""

from __future__ import annotations

from pathlib import Path

SERVER = r'''
import json, os, pathlib, signal, socket, subprocess, sys, time
sleeper = [sys.executable, "-c", "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(600)"]
kernel = subprocess.Popen(sleeper, start_new_session=True)   # like jupyter_client's kernels
helper = subprocess.Popen(sleeper)                              # same group as the server
sock = None
conf = [a.split("=", 1)[1] for a in sys.argv if a.startswith("--Voila.config_file_paths=")]
if conf:  # voila: listen on the configured port, report every page as built
    c = json.loads((pathlib.Path(conf[0]) / "voila.json").read_text(encoding="utf-8"))
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", int(c["Voila"]["port"])))
    sock.listen(5)
    ready = os.environ.get("OBEC_AUDIT_PREHEAT_DIR")
    if ready:
        for nb in pathlib.Path(sys.argv[1]).glob("*.ipynb"):
            (pathlib.Path(ready) / (nb.stem + ".ready")).touch()
out = pathlib.Path(os.environ["OBEC_TEST_PIDS"])
out.write_text(f"{os.getpid()} {kernel.pid} {helper.pid}", encoding="utf-8")
signal.signal(signal.SIGINT, signal.SIG_IGN)  # like Voila asking "Shutdown? (y/n)"
time.sleep(600)
'''


def install(root: Path) -> Path:
    """``root`` with fake ``jupyterlab`` and ``voila`` packages runnable with ``python -m``."""
    for name in ("jupyterlab", "voila"):
        pkg = root / name
        pkg.mkdir(parents=True, exist_ok=True)
        (pkg / "__init__.py").write_text("", encoding="utf-8")
        (pkg / "__main__.py").write_text(SERVER, encoding="utf-8")
    return root
