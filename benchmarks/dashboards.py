"""Render times of the supervisors' dashboards in a real browser (Debian's chromium).

    python benchmarks/dashboards.py [--runs 3] [--rounds DIR] [--no-preheat] [--template lab]

For each run: start the dashboards server exactly as ``obec-audit dashboards`` does
(``obec_audit.dashboards.voila_command``), wait until it says ready (with preheating: until
every dashboard's kernel has built its page, ``wait_preheated``), then open each dashboard
in a fresh browser profile ("first": the first page of that dashboard after the server
started; the dashboard opened first rotates from run to run). Then, once the kernel pool
has refilled, open each dashboard twice more in one browser profile ("repeat": the HTTP
cache is warm, as for a supervisor who comes back). A render is timed from navigation to
fully rendered: the ``#obec-ready`` marker present AND all its figures drawn (as many
``svg.obec-fig`` as the marker's ``data-figures``), as the browser test does.

Prints one line per render and the medians per dashboard, with the load average (the
figures mean little without it: 2 cores shared with other work slow everything).
Default rounds: the demo area's (``data/demo/rounds``, generated on first use).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from obec_audit import dashboard_data as dd  # noqa: E402
from obec_audit import dashboards as D  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
NAMES = [Path(n).stem for n in D.NOTEBOOKS]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render(context, port: int, name: str, timeout_ms: int = 180_000) -> dict:
    """Open one dashboard in ``context``; seconds to the ready marker and to all figures."""
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    t0 = time.perf_counter()
    page.goto(f"http://127.0.0.1:{port}/voila/render/{name}.ipynb", wait_until="commit")
    page.wait_for_selector("#obec-ready", state="attached")
    t_ready = time.perf_counter() - t0
    n = int(page.get_attribute("#obec-ready", "data-figures") or 0)
    page.wait_for_function(
        f"document.querySelectorAll('svg.obec-fig').length >= {n}")
    t_full = time.perf_counter() - t0
    page.close()
    return {"ready": t_ready, "full": t_full, "figures": n, "load": os.getloadavg()[0]}


def one_run(args, run: int, rounds: Path, log_dir: Path) -> list[dict]:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    cmd = D.voila_command(rounds, port=port, preheat=False if args.no_preheat else None)
    if args.template:
        conf_file = cmd.config_dir / "voila.json"
        conf = json.loads(conf_file.read_text(encoding="utf-8"))
        conf["VoilaConfiguration"]["template"] = args.template
        conf_file.write_text(json.dumps(conf), encoding="utf-8")
    rows = []
    t0 = time.perf_counter()
    with open(log_dir / f"voila-{run}.log", "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd.argv, env=cmd.env, stdout=log, stderr=subprocess.STDOUT)
    try:
        if not D._wait_until_up(port, proc, timeout=180):
            raise RuntimeError(f"server did not start, see {log_dir}")
        t_up = time.perf_counter() - t0
        if not D.wait_preheated(cmd, proc, timeout=300):
            raise RuntimeError("preheated kernels did not report")
        t_ready = time.perf_counter() - t0
        print(f"run {run}: server up {t_up:.1f} s, ready (pages built) {t_ready:.1f} s"
              f" (load {os.getloadavg()[0]:.2f})", flush=True)
        order = NAMES[run % len(NAMES):] + NAMES[: run % len(NAMES)]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for i, name in enumerate(order):
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                r = render(ctx, port, name)
                ctx.close()
                r.update(run=run, dashboard=name, kind="first", opened=i + 1)
                rows.append(r)
                print(f"  first  {name:14s} #{i + 1}: ready {r['ready']:5.2f} s, all"
                      f" {r['figures']} figures {r['full']:5.2f} s (load {r['load']:.2f})",
                      flush=True)
            # let the pool refill (fill_delay + kernel start + build) before coming back
            time.sleep(args.settle)
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            for rep in range(2):
                for name in order:
                    r = render(ctx, port, name)
                    r.update(run=run, dashboard=name, kind="repeat", opened=rep)
                    rows.append(r)
                    print(f"  repeat {name:14s}   : ready {r['ready']:5.2f} s, all"
                          f" {r['figures']} figures {r['full']:5.2f} s (load {r['load']:.2f})",
                          flush=True)
                time.sleep(args.settle)
            ctx.close()
            browser.close()
    finally:
        D.stop(proc, cmd)
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="server starts (default 3)")
    ap.add_argument("--rounds", help="rounds folder (default: the demo area's)")
    ap.add_argument("--no-preheat", action="store_true", help="a kernel per page request")
    ap.add_argument("--template", help="override the Voila template (e.g. lab, classic)")
    ap.add_argument("--settle", type=float, default=15.0,
                    help="seconds to wait for the kernel pool to refill (default 15)")
    ap.add_argument("--json", help="write every render as JSON here")
    args = ap.parse_args(argv)

    rounds = Path(args.rounds) if args.rounds else dd.rounds_root(None).path
    if rounds is None:
        print("no rounds", file=sys.stderr)
        return 2
    print(f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores,"
          f" python {platform.python_version()}; rounds {rounds}")
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"preheat: {'off' if args.no_preheat else 'voila.json'}; template:"
          f" {args.template or 'voila.json'}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="obec-bench-") as logs:
        for run in range(args.runs):
            rows += one_run(args, run, rounds, Path(logs))
    print("\nmedians (s, navigation → ready marker and every figure drawn):")
    print(f"{'dashboard':14s} {'first':>7s} {'repeat':>7s}   first renders")
    for name in NAMES:
        first = [r["full"] for r in rows if r["dashboard"] == name and r["kind"] == "first"]
        rep = [r["full"] for r in rows if r["dashboard"] == name and r["kind"] == "repeat"]
        print(f"{name:14s} {statistics.median(first):7.2f} {statistics.median(rep):7.2f}"
              f"   {', '.join(f'{x:.2f}' for x in first)}")
    opened_first = [r["full"] for r in rows if r["kind"] == "first" and r["opened"] == 1]
    print(f"the first dashboard opened after each start: median"
          f" {statistics.median(opened_first):.2f} s ({', '.join(f'{x:.2f}' for x in opened_first)})")
    loads = [r["load"] for r in rows]
    print(f"load average during the renders: {min(loads):.2f} … {max(loads):.2f}")
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
