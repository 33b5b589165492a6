"""A meeting room: 10 supervisors open the SAME dashboard within 30 s (issue 16).

    python benchmarks/meeting_room.py [--pool-size 2] [--dashboard completeness]
        [--supervisors 10] [--every 3] [--scenario staggered|burst|both] [--client browser|ws]
        [--json FILE]

For each scenario: start the dashboards server exactly as ``obec-audit dashboards
--pool-size completeness=10`` does (``obec_audit.dashboards.voila_command``; default: one
kernel per supervisor for the dashboard they open, the others at the server's default 2) on
the demo area's rounds, 127.0.0.1 only, wait until every preheated kernel of the pool has
built its page, then the supervisors open the same dashboard: "staggered" one every ``--every`` s (10 × 3 s: within
30 s), "burst" all at once. One chromium process (Debian's) with one browser context per
supervisor (its own profile: cookies, cache, websocket), driven by Playwright's async API:
on 2 cores, one browser process costs less than ten. The supervisors keep their pages open
until the last one is rendered (the kernels stay in use, as in a meeting).

Timed per supervisor: navigation → fully rendered (the ``#obec-ready`` marker present AND
every figure it announces drawn, as ``benchmarks/dashboards.py`` and the browser test). The
memory of the server and its kernels (``tree_memory``: RSS and PSS summed over the process
tree from /proc; the browser is not counted) is sampled every 0.5 s: at ready (the pool
full), the peak, and at the end (pages in use + the refilled pool). Prints a table per
scenario, the medians, the load average, and JSON (``--json``). Bounded: every page has
``--page-timeout`` s, every scenario ``--timeout`` s, then the server is stopped with its
kernels.

The browsers run on the same 2 cores as the server: a burst of 10 pages drawn at once costs
the browser side ≈ 10 × 1.5–3 s of CPU that, in a real meeting, the supervisors' own laptops
pay: the burst measured here is the worst case.
"""

from __future__ import annotations

import argparse
import asyncio
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
        "--disable-component-update", "--no-first-run", "--disable-sync",
        "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
        "--disable-backgrounding-occluded-windows"]
NAMES = [Path(n).stem for n in D.NOTEBOOKS]
TARGET_S = 5.0


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _load() -> float:
    return os.getloadavg()[0]


TICK = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> tuple[float, str]:
    """CPU seconds (user + system) of one process, and its command line."""
    stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    f = stat[stat.rfind(")") + 2:].split()
    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    return (int(f[11]) + int(f[12])) / TICK, cmd


def cpu_split(server_pid: int) -> dict:
    """CPU seconds so far: the Voila server, its kernels, the browser (chromium), and the
    whole machine (/proc/stat: every process, ours and the other work)."""
    from obec_audit import children

    out = {"server": 0.0, "kernels": 0.0, "browser": 0.0}
    tree = set(children.descendants(server_pid))
    for p in [os.getpid(), *children.descendants(os.getpid())]:
        try:
            sec, cmd = _cpu(p)
        except (OSError, ValueError, IndexError):
            continue
        if p == server_pid:
            out["server"] += sec
        elif p in tree:
            out["kernels"] += sec
        elif "chrom" in cmd:
            out["browser"] += sec
    line = Path("/proc/stat").read_text(encoding="ascii").splitlines()[0].split()[1:]
    busy = sum(int(x) for i, x in enumerate(line[:8]) if i not in (3, 4))  # not idle, iowait
    out["machine"] = busy / TICK
    return out


def wait_idle(pid: int, limit: float = 60.0, below: float = 0.15) -> float:
    """Wait until the server and its kernels use less than ``below`` of a core over 2 s
    (the pool's builds are over); seconds waited."""
    t0 = time.perf_counter()
    last = cpu_split(pid)
    while time.perf_counter() - t0 < limit:
        time.sleep(2.0)
        now = cpu_split(pid)
        if (now["server"] + now["kernels"] - last["server"] - last["kernels"]) / 2.0 < below:
            break
        last = now
    return time.perf_counter() - t0


async def supervisor(browser, port: int, name: str, i: int, delay: float, t_start: float,
                     page_timeout: float, pages: list) -> dict:
    """One supervisor: waits ``delay`` s, opens the dashboard in a context of its own."""
    await asyncio.sleep(delay)
    row = {"supervisor": i + 1, "at": round(time.perf_counter() - t_start, 2), "load": _load()}
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await ctx.new_page()
    page.set_default_timeout(page_timeout * 1000)
    pages.append(ctx)
    t0 = time.perf_counter()
    try:
        await page.goto(f"http://127.0.0.1:{port}/voila/render/{name}.ipynb",
                        wait_until="commit")
        row["html"] = round(time.perf_counter() - t0, 2)
        await page.wait_for_selector("#obec-ready", state="attached")
        row["ready"] = round(time.perf_counter() - t0, 2)
        n = int(await page.get_attribute("#obec-ready", "data-figures") or 0)
        await page.wait_for_function(
            f"document.querySelectorAll('svg.obec-fig').length >= {n}")
        row["full"] = round(time.perf_counter() - t0, 2)
        row["figures"] = n
        row["empty"] = await page.get_attribute("#obec-ready", "data-empty") == "1"
    except Exception as exc:  # noqa: BLE001 - a timed-out page is a result, not a crash
        row["full"] = None
        row["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    return row


def _msg(session: str, msg_type: str, content: dict, channel: str = "shell",
         metadata: dict | None = None) -> str:
    import uuid

    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session,
                   "username": "supervisor", "date": "", "version": "5.3"},
        "parent_header": {}, "metadata": metadata or {}, "content": content, "channel": channel,
        "buffers": []})


async def ws_supervisor(port: int, name: str, i: int, delay: float, t_start: float,
                        page_timeout: float, conns: list) -> dict:
    """One supervisor speaking Voila's protocol instead of drawing the page: GET the page
    (Voila streams it while the kernel runs the notebook), connect to its kernel's websocket
    as the page's widget manager does (ipywidgets 8: a ``jupyter.widget.control`` comm,
    ``request_states``) and wait for every widget's state; "fully rendered" = the states
    hold the ready marker and as many ``obec-fig`` figures as it announces. What a browser
    then spends drawing (≈ 1.5–3 s of CPU a page, on the supervisor's own laptop) is not in
    this time: the browser mode measures it."""
    import re
    import uuid

    from tornado.httpclient import AsyncHTTPClient
    from tornado.websocket import websocket_connect

    await asyncio.sleep(delay)
    row = {"supervisor": i + 1, "at": round(time.perf_counter() - t_start, 2), "load": _load()}
    t0 = time.perf_counter()

    async def run():
        resp = await AsyncHTTPClient().fetch(
            f"http://127.0.0.1:{port}/voila/render/{name}.ipynb", request_timeout=page_timeout)
        row["html"] = round(time.perf_counter() - t0, 2)
        kid = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', resp.body.decode("utf-8")).group(1)
        session = uuid.uuid4().hex
        conn = await websocket_connect(
            f"ws://127.0.0.1:{port}/api/kernels/{kid}/channels?session_id={session}")
        conns.append(conn)
        comm = uuid.uuid4().hex
        await conn.write_message(_msg(session, "comm_open", {
            "comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
            metadata={"version": "1.0.0"}))  # the widget control protocol
        await conn.write_message(_msg(session, "comm_msg", {
            "comm_id": comm, "data": {"method": "request_states"}}))
        while True:
            raw = await conn.read_message()
            if raw is None:
                raise RuntimeError("the kernel's websocket closed")
            if isinstance(raw, bytes):  # a binary frame: widget buffers, not states
                continue
            m = json.loads(raw)
            data = m.get("content", {}).get("data", {})
            if m.get("msg_type") == "comm_msg" and data.get("method") == "update_states":
                return data["states"]

    try:
        states = await asyncio.wait_for(run(), page_timeout)
        html = " ".join(str(st.get("state", {}).get("value", "")) for st in states.values())
        m = re.search(r'id="obec-ready"[^>]*data-figures="(\d+)"', html)
        n = int(m.group(1)) if m else -1
        drawn = html.count('class="obec-fig')
        if m is None or drawn < n:
            raise RuntimeError(f"incomplete page: marker {m is not None}, {drawn}/{n} figures")
        row["ready"] = row["full"] = round(time.perf_counter() - t0, 2)
        row["figures"] = n
        row["widgets"] = len(states)
    except Exception as exc:  # noqa: BLE001 - a timed-out page is a result, not a crash
        row["full"] = None
        row["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"
    return row


async def sample_memory(pid: int, stop: asyncio.Event, out: dict) -> None:
    while not stop.is_set():
        m = D.tree_memory(pid)
        if m["total_pss"] > out.get("peak", {}).get("total_pss", 0):
            out["peak"] = m
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except asyncio.TimeoutError:
            pass


async def _measured(args, pid: int, open_pages) -> tuple[list, dict]:
    """Run ``open_pages(t_start)`` (the supervisors) with the tree's memory sampled and its CPU
    split measured; the pages stay open ``args.settle`` s after the last one (the meeting's
    memory while the pool refills)."""
    mem: dict = {}
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(pid, stop, mem))
    t_start = time.perf_counter()
    cpu0 = cpu_split(pid)
    rows = await open_pages(t_start)
    cpu1 = cpu_split(pid)
    mem["cpu_meeting"] = {k: round(cpu1[k] - cpu0[k], 1) for k in cpu0}
    mem["cpu_meeting"]["wall"] = round(time.perf_counter() - t_start, 1)
    await asyncio.sleep(args.settle)
    mem["end"] = D.tree_memory(pid)
    stop.set()
    await sampler
    return rows, mem


async def meeting(args, port: int, pid: int, delays: list[float]) -> tuple[list, dict]:
    if args.client == "ws":
        conns: list = []
        result = await _measured(args, pid, lambda t_start: asyncio.gather(*[
            ws_supervisor(port, args.dashboard, i, d, t_start, args.page_timeout, conns)
            for i, d in enumerate(delays)]))
        for c in conns:
            c.close()
        return result
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        contexts: list = []
        result = await _measured(args, pid, lambda t_start: asyncio.gather(*[
            supervisor(browser, port, args.dashboard, i, d, t_start, args.page_timeout, contexts)
            for i, d in enumerate(delays)]))
        for ctx in contexts:
            await ctx.close()
        await browser.close()
    return result


def run_scenario(args, scenario: str, rounds: Path, log_dir: Path) -> dict:
    n = args.supervisors
    delays = [0.0] * n if scenario == "burst" else [i * args.every for i in range(n)]
    port = _free_port()
    cmd = D.voila_command(rounds, port=port, pool_size=args.pool_size)
    if args.template:  # an experiment: another Voila template than the shipped "obec"
        conf_file = cmd.config_dir / "voila.json"
        conf = json.loads(conf_file.read_text(encoding="utf-8"))
        conf["VoilaConfiguration"]["template"] = args.template
        conf_file.write_text(json.dumps(conf), encoding="utf-8")
    log = log_dir / f"voila-{scenario}.log"
    t0 = time.perf_counter()
    with open(log, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen(cmd.argv, env=cmd.env, stdout=fh, stderr=subprocess.STDOUT)
    try:
        if not D._wait_until_up(port, proc, timeout=180):
            raise RuntimeError(f"server did not start: {log.read_text(encoding='utf-8')[-2000:]}")
        if not D.wait_preheated(cmd, proc, timeout=args.timeout, per_dashboard=None):
            raise RuntimeError(f"the pool did not fill: {D.built_pages(cmd)}")
        t_ready = time.perf_counter() - t0
        idle = wait_idle(proc.pid)  # the pool's builds are over
        at_ready = D.tree_memory(proc.pid)
        print(f"\n== {scenario} ({args.client}): {n} supervisors open {args.dashboard}"
              f" ({'all at once' if scenario == 'burst' else f'one every {args.every:g} s'});"
              f" pools {cmd.pools}, full {t_ready:.1f} s after start, idle {idle:.0f} s"
              f" later;"
              f" load {_load():.2f}", flush=True)
        rows, mem = asyncio.run(asyncio.wait_for(
            meeting(args, port, proc.pid, delays), args.timeout))
    finally:
        D.stop(proc, cmd)
    cpu = mem.pop("cpu_meeting")
    mem["ready"] = at_ready
    print(f"{'#':>3s} {'at s':>6s} {'html s':>7s} {'ready s':>8s} {'full s':>7s} {'load':>5s}")
    for r in rows:
        full = f"{r['full']:7.2f}" if r.get("full") is not None else "  TIMEOUT"
        print(f"{r['supervisor']:3d} {r['at']:6.2f} {r.get('html', float('nan')):7.2f}"
              f" {r.get('ready', float('nan')):8.2f} {full} {r['load']:5.2f}"
              + (f"  {r['error']}" if "error" in r else ""))
    fulls = [r["full"] for r in rows if r.get("full") is not None]
    res = {
        "scenario": scenario, "client": args.client, "dashboard": args.dashboard,
        "supervisors": n,
        "every": 0 if scenario == "burst" else args.every, "pool_size": cmd.pools,
        "pool_full_after_s": round(t_ready, 1), "rows": rows,
        "median_s": round(statistics.median(fulls), 2) if fulls else None,
        "max_s": max(fulls) if len(fulls) == n else None,
        "within_target": sum(1 for x in fulls if x <= TARGET_S),
        "memory_mb": {k: _mem_summary(v) for k, v in mem.items()},
        "cpu_s": cpu, "load_before": round(rows[0]["load"], 2),
    }
    print(f"median {res['median_s']} s, max {res['max_s']} s;"
          f" {res['within_target']}/{n} within {TARGET_S:g} s")
    print(f"CPU during the meeting ({cpu['wall']} s wall, {2 * cpu['wall']:.0f} core-s"
          f" available): server {cpu['server']} s, kernels {cpu['kernels']} s, browser"
          f" {cpu['browser']} s; the whole machine {cpu['machine']} s (other work:"
          f" {cpu['machine'] - cpu['server'] - cpu['kernels'] - cpu['browser']:.1f} s)")
    for k in ("ready", "peak", "end"):
        m = res["memory_mb"].get(k)
        if m:
            print(f"memory {k:5s}: {m['kernels']} kernels, {m['kernel_pss_median']:.0f} MB PSS"
                  f" ({m['kernel_rss_median']:.0f} MB RSS) each; server {m['server_rss']:.0f} MB;"
                  f" total {m['total_pss']:.0f} MB PSS ({m['total_rss']:.0f} MB RSS summed)")
    return res


def _mem_summary(m: dict) -> dict:
    k = m["kernels_pss"]
    return {"kernels": len(k),
            "kernel_pss_median": statistics.median(k) if k else 0.0,
            "kernel_rss_median": statistics.median(m["kernels_rss"]) if k else 0.0,
            "server_rss": m["server_rss"], "total_pss": m["total_pss"],
            "total_rss": m["total_rss"]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pool-size", type=D.parse_pool_size, default=None,
                    help="preheated kernels per dashboard, as obec-audit dashboards --pool-size:"
                    " N or completeness=N (default: DASHBOARD=SUPERVISORS, the meeting's"
                    " setup; 2 is the server's default)")
    ap.add_argument("--dashboard", default="completeness", choices=NAMES)
    ap.add_argument("--supervisors", type=int, default=10)
    ap.add_argument("--every", type=float, default=3.0,
                    help="seconds between two supervisors (staggered; default 3)")
    ap.add_argument("--scenario", default="both", choices=["staggered", "burst", "both"])
    ap.add_argument("--client", default="browser", choices=["browser", "ws"],
                    help="browser: chromium draws each page (default); ws: Voila's websocket"
                    " protocol, the server's side only (no drawing)")
    ap.add_argument("--rounds", help="rounds folder (default: the demo area's)")
    ap.add_argument("--settle", type=float, default=10.0,
                    help="seconds the pages stay open after the last render (default 10)")
    ap.add_argument("--page-timeout", type=float, default=60.0)
    ap.add_argument("--timeout", type=float, default=300.0,
                    help="hard limit per scenario, seconds (default 300)")
    ap.add_argument("--json", help="write the results as JSON here")
    ap.add_argument("--template", help="override the Voila template (e.g. classic; an experiment)")
    ap.add_argument("--log-dir", help="keep Voila's logs here (default: a temporary folder)")
    args = ap.parse_args(argv)

    if args.pool_size is None:  # one preheated kernel per supervisor for the meeting's page
        args.pool_size = {args.dashboard: min(args.supervisors, D.MAX_POOL_SIZE)}
    rounds = Path(args.rounds) if args.rounds else dd.rounds_root(None).path
    if rounds is None:
        print("no rounds", file=sys.stderr)
        return 2
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"machine: {platform.node()} {os.cpu_count()} cores, python"
          f" {platform.python_version()}; rounds {rounds}\nuptime: {uptime}")
    scenarios = ["staggered", "burst"] if args.scenario == "both" else [args.scenario]
    results = []
    with tempfile.TemporaryDirectory(prefix="obec-meeting-") as logs:
        if args.log_dir:
            logs = args.log_dir
            Path(logs).mkdir(parents=True, exist_ok=True)
        for sc in scenarios:
            results.append(run_scenario(args, sc, rounds, Path(logs)))
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"\nuptime: {uptime}")
    doc = {"machine": platform.node(), "cores": os.cpu_count(), "results": results}
    print(json.dumps([{k: v for k, v in r.items() if k != "rows"} for r in results],
                     ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=1, ensure_ascii=False),
                                   encoding="utf-8")
    ok = all(r["within_target"] == r["supervisors"] for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
