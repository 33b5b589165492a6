"""Command line: ``obec-audit check | demo | lab | dashboards | calendar | checks``.

``obec-audit check`` follows CONTRACT.md exactly; the rest serve officers and trainers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path


def _utf8_streams() -> None:
    """Thai on a Windows console (cp874/cp1252) must not crash a round."""
    for s in (sys.stdout, sys.stderr):
        try:
            s.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[attr-defined]
        except Exception:
            pass


def repo_root() -> Path | None:
    """The project folder when running from a clone (it has pyproject.toml and notebooks/)."""
    here = Path(__file__).resolve().parent.parent
    if (here / "pyproject.toml").exists() and (here / "notebooks").is_dir():
        return here
    cwd = Path.cwd()
    for p in (cwd, *cwd.parents):
        if (p / "pyproject.toml").exists() and (p / "notebooks").is_dir():
            return p
    return None


# ---------------------------------------------------------------------------------- check
def cmd_check(args: argparse.Namespace) -> int:
    from obec_audit.round import NothingReadable, run_round
    from obec_audit.thaidate import parse_date as parse_as_of

    try:
        as_of = parse_as_of(args.as_of) if args.as_of else None
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    missing = [p for p in args.inputs if not Path(p).exists()]
    if missing and len(missing) == len(args.inputs):
        print(
            f"ไม่พบแฟ้มหรือโฟลเดอร์: {', '.join(missing)} / input not found: {', '.join(missing)}",
            file=sys.stderr,
        )
        return 2
    for p in missing:
        print(f"คำเตือน: ไม่พบ {p} (ข้ามไป) / warning: {p} not found, skipped", file=sys.stderr)
    inputs = [p for p in args.inputs if Path(p).exists()]
    try:
        res = run_round(
            inputs,
            args.out,
            as_of=as_of,
            phase=args.phase,
            previous=args.previous,
            discharges=args.discharges,
            boarding_schools=args.boarding_schools,
            staff=args.staff,
            mobec=args.mobec,
            mobec_previous=args.mobec_previous,
            bobec=args.bobec,
            class_counts=args.class_counts,
            reports=not args.no_reports,
            progress=not args.quiet,
            show_full_ids=not args.mask_ids,
        )
    except NothingReadable as exc:
        print(f"{exc.message_th} / {exc.message_en}", file=sys.stderr)
        return 2
    c = res.meta["counts"]
    from obec_audit.thaidate import thai_date

    print(
        f"ตรวจรอบ {res.phase} ข้อมูล ณ วันที่ {thai_date(res.as_of)}: "
        f"{c['students']:,} แถว {c['schools']} โรงเรียน {c['files']} แฟ้ม — "
        f"ข้อผิดพลาด {c['errors']:,} ควรตรวจสอบ {c['warnings']:,} "
        f"(โรงเรียนที่ยังมีข้อผิดพลาด {c['schools_with_errors']})"
    )
    print(f"ผลอยู่ที่ {Path(args.out).resolve()} (findings.csv, students.csv, completeness.csv"
          + ("" if args.no_reports else ", reports/, summary.xlsx") + ")")
    if not args.quiet:
        t = res.timings
        print(
            f"time: read {t.get('read', 0):.1f}s, check {t.get('check', 0):.1f}s, "
            f"write {t.get('write', 0):.1f}s, total {t.get('total', 0):.1f}s",
            file=sys.stderr,
        )
    return 0


# ---------------------------------------------------------------------------------- demo
def cmd_demo(args: argparse.Namespace) -> int:
    import time

    from obec_audit.demo import generate

    t0 = time.perf_counter()
    bar = None
    try:
        from tqdm.auto import tqdm

        bar = tqdm(total=1, file=sys.stderr, desc="สร้างเขตตัวอย่าง", leave=False)

        def progress(done, total, label=""):
            bar.total = total
            bar.n = done
            bar.set_postfix_str(str(label)[-30:], refresh=False)
            bar.refresh()

    except Exception:  # pragma: no cover
        progress = None
    out = generate(Path(args.out), seed=args.seed, year=args.year, progress=progress)
    if bar is not None:
        bar.close()
    print(f"เขตตัวอย่างอยู่ที่ {Path(out).resolve()} ({time.perf_counter() - t0:.1f} s)")
    return 0


# ---------------------------------------------------------------------------------- lab
def cmd_lab(args: argparse.Namespace) -> int:
    from obec_audit.demo import ensure_demo

    print("เตรียมเขตตัวอย่าง (ครั้งแรกใช้เวลาไม่ถึงหนึ่งนาที) / preparing the demo area …", flush=True)
    ensure_demo()
    root = repo_root()
    nb_dir = root / "notebooks" if root else Path.cwd()
    target = "00_workshop_tour.ipynb"
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={nb_dir}"]
    if (nb_dir / target).exists():
        cmd.append(str(nb_dir / target))
    if args.no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and workshop VMs run as root
        cmd.append("--allow-root")
    print("เปิด JupyterLab: " + " ".join(cmd), flush=True)
    if args.dry_run:
        return 0
    return subprocess.call(cmd)


# ---------------------------------------------------------------------------------- dashboards
def cmd_dashboards(args: argparse.Namespace) -> int:
    from obec_audit import dashboards

    return int(
        dashboards.serve(
            round_dir=args.rounds,
            port=args.port,
            ip=args.ip,
            open_browser=not args.no_browser,
        )
        or 0
    )


# ---------------------------------------------------------------------------------- calendar
def cmd_calendar(args: argparse.Namespace) -> int:
    from obec_audit import calendar
    from obec_audit.thaidate import parse_date as parse_as_of
    from obec_audit.thaidate import thai_date

    day = parse_as_of(args.date) if args.date else dt.date.today()
    year = args.year or calendar.academic_year(day)
    table = calendar.calendar_table(year)
    print(table.to_string(index=False))
    row = calendar.phase_on(day)
    print()
    print(f"วันนี้ {thai_date(day)}")
    if row is not None and bool(row.get("is_open", True)):
        print(f"ช่วงที่เปิดอยู่: {row.get('phase_th', row.get('phase'))} (ถึง {row.get('end', '')})")
    elif row is not None:
        print(f"ขณะนี้ไม่มีช่วงที่เปิดอยู่ ช่วงล่าสุด: {row.get('phase_th', row.get('phase'))} "
              f"(สิ้นสุด {row.get('end', '')})")
    nxt = calendar.next_due(day)
    if nxt is not None:
        print(f"กำหนดส่งถัดไป: {nxt.get('title_th', '')} — อีก {calendar.days_left(day)} วัน")
    return 0


def cmd_checks(args: argparse.Namespace) -> int:
    from obec_audit.checks.registry import check_info

    info = check_info()
    print(info[["code", "severity", "dataset", "title_th"]].to_string(index=False))
    return 0


# ---------------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="obec-audit",
        description="ตรวจสอบข้อมูลนักเรียน DMC ของ สพป. / audit DMC data of a primary service area",
    )
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="ตรวจข้อมูลหนึ่งรอบ / run a verification round")
    c.add_argument("inputs", nargs="+", metavar="INPUT", help="แฟ้มหรือโฟลเดอร์ที่ดาวน์โหลดจาก DMC")
    c.add_argument("--out", required=True, help="โฟลเดอร์สำหรับผลการตรวจ")
    c.add_argument("--as-of", help="วันที่ของข้อมูล วว/ดด/ปปปป พ.ศ. หรือ YYYY-MM-DD")
    c.add_argument("--previous", nargs="+", metavar="INPUT", help="แฟ้มของรอบก่อน (เปิดการเทียบรอบ)")
    c.add_argument("--boarding-schools", metavar="FILE", help="รายชื่อรหัสโรงเรียนโครงการพักนอน")
    c.add_argument("--staff", nargs="+", metavar="INPUT", help="แฟ้มข้อมูลบุคลากร")
    c.add_argument("--discharges", nargs="+", metavar="INPUT", help="แฟ้มรายชื่อนักเรียนที่จำหน่าย")
    c.add_argument("--mobec", nargs="+", metavar="INPUT", help="แฟ้มครุภัณฑ์ M-OBEC")
    c.add_argument("--mobec-previous", nargs="+", metavar="INPUT", help="แฟ้มครุภัณฑ์ปีก่อน")
    c.add_argument("--bobec", nargs="+", metavar="INPUT", help="แฟ้มอาคาร B-OBEC")
    c.add_argument("--class-counts", nargs="+", metavar="INPUT", help="แฟ้มจำนวนนักเรียน/ห้องเรียน EMIS")
    c.add_argument("--phase", choices=["start", "round1", "round2", "semester2", "endyear",
                                       "mobec", "bobec"], help="ช่วงของปฏิทิน (ค่าปริยาย: ตามวันที่)")
    c.add_argument("--no-reports", action="store_true", help="ไม่ต้องเขียนรายงานรายโรงเรียน")
    c.add_argument("--mask-ids", action="store_true", help="ปิดเลขประจำตัวบางส่วนในรายงาน")
    c.add_argument("--quiet", action="store_true", help="ไม่แสดงแถบความคืบหน้า")
    c.set_defaults(func=cmd_check)

    d = sub.add_parser("demo", help="สร้างเขตตัวอย่าง / write the synthetic demo area")
    d.add_argument("--out", required=True)
    d.add_argument("--seed", type=int, default=5701)  # obec_audit.demo.DEFAULT_SEED: the notebooks' and dashboards' area
    d.add_argument("--year", type=int, default=2569, help="ปีการศึกษา พ.ศ.")
    d.set_defaults(func=cmd_demo)

    lab = sub.add_parser("lab", help="เปิดสมุดงานใน JupyterLab บนเขตตัวอย่าง / open the workbook")
    lab.add_argument("--no-browser", action="store_true")
    lab.add_argument("--dry-run", action="store_true", help=argparse.SUPPRESS)
    lab.set_defaults(func=cmd_lab)

    db = sub.add_parser("dashboards", help="เปิดแดชบอร์ดสำหรับผู้บริหาร (Voila)")
    db.add_argument("--rounds", help="โฟลเดอร์ผลการตรวจ (ค่าปริยาย: รอบล่าสุด หรือเขตตัวอย่าง)")
    db.add_argument("--port", type=int, default=8866)
    db.add_argument("--ip", default="127.0.0.1",
                    help="127.0.0.1 (เครื่องนี้เท่านั้น); 0.0.0.0 ให้เครื่องอื่นเปิดได้โดยใช้ token")
    db.add_argument("--no-browser", action="store_true")
    db.set_defaults(func=cmd_dashboards)

    cal = sub.add_parser("calendar", help="ปฏิทินการจัดทำข้อมูล / the data calendar")
    cal.add_argument("--date", help="วันที่ (ค่าปริยาย: วันนี้)")
    cal.add_argument("--year", type=int, help="ปีการศึกษา พ.ศ.")
    cal.set_defaults(func=cmd_calendar)

    ck = sub.add_parser("checks", help="รายการตรวจทั้งหมด / list the checks")
    ck.set_defaults(func=cmd_checks)
    return p


def main(argv: list[str] | None = None) -> int:
    _utf8_streams()
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
