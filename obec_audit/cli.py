"""Command line: ``obec-audit check | demo | lab | dashboards | calendar | checks``.

``obec-audit check`` follows CONTRACT.md exactly; the rest serve officers and trainers.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from obec_audit import __version__
from obec_audit import options as O
from obec_audit.demo import DEFAULT_SEED


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
def _check_options(args: argparse.Namespace) -> tuple[O.AsOf, dict]:
    """Every named input checked before any work (``OptionError``: exit 2)."""
    if args.pdf:  # --pdf needs the packs and LibreOffice: said before any work
        from obec_audit.reports.pdf import HOW_TO_GET_PDF, find_soffice  # only when asked for

        if args.no_reports:
            raise O.OptionError("pdf-no-reports", "--pdf ใช้กับ --no-reports ไม่ได้ (PDF ทำจากรายงาน)",
                                "--pdf needs the reports: drop --no-reports")
        if find_soffice() is None:
            th, _, en = HOW_TO_GET_PDF.partition(" / ")
            raise O.OptionError("pdf-no-libreoffice", th, en)
    inputs = O.check_inputs(args.inputs)
    named: dict = {}
    for dest in O.INPUT_OPTIONS:
        paths = getattr(args, dest)
        if paths:
            named[dest] = O.check_inputs(paths, dest)
    boarding = O.read_boarding_schools(args.boarding_schools) if args.boarding_schools else None
    O.check_out(args.out, [*inputs, *(p for ps in named.values() for p in ps)])
    as_of = O.resolve_as_of(args.as_of, inputs, args.phase, bool(named.get("previous")))
    return as_of, {"inputs": inputs, "boarding_schools": boarding, **named}


def cmd_check(args: argparse.Namespace) -> int:
    from obec_audit.round import NothingReadable, run_round
    from obec_audit.thaidate import thai_date

    as_of, kw = _check_options(args)
    print(as_of.line, flush=True)
    if as_of.note:
        print(as_of.note, flush=True)
    for dest in O.unused_options(as_of.phase, [d for d in O.INPUT_OPTIONS if kw.get(d)]):
        _say("input-unused", f"{O.flag(dest)} ไม่ได้ใช้ในช่วง {as_of.phase} (ระบุ --phase ให้ตรงกับข้อมูล)",
             f"{O.flag(dest)} is not checked in phase {as_of.phase} (set --phase to match the data)")
    if as_of.phase in ("semester2", "endyear") and not kw.get("previous"):
        _say("previous-missing", f"ช่วง {as_of.phase} แต่ไม่ได้ระบุ --previous: จะไม่เทียบกับรอบก่อน",
             f"phase {as_of.phase} without --previous: no reconciliation with the previous census")
    try:
        res = run_round(
            kw.pop("inputs"),
            args.out,
            as_of=as_of.date,
            phase=as_of.phase,
            **kw,
            reports=not args.no_reports,
            progress=not args.quiet,
            show_full_ids=not args.mask_ids,
            pdf=args.pdf,
        )
    except NothingReadable as exc:
        print(f"[nothing-readable] {exc.message_th} / {exc.message_en}", file=sys.stderr)
        return 2
    c = res.meta["counts"]
    print(
        f"ตรวจรอบ {res.phase} ข้อมูล ณ วันที่ {thai_date(res.as_of)}: "
        f"{c['students']:,} แถว {c['schools']} โรงเรียน {c['files']} แฟ้ม — "
        f"ข้อผิดพลาด {c['errors']:,} ควรตรวจสอบ {c['warnings']:,} "
        f"(โรงเรียนที่ยังมีข้อผิดพลาด {c['schools_with_errors']})"
    )
    old = res.meta.get("replaced")
    if old is not None:
        when = thai_date(old.get("as_of")) if old.get("as_of") else "?"
        print(f"แทนที่ผลการตรวจเดิมใน {args.out} (รอบ {old.get('phase') or '?'} ข้อมูล ณ {when}) "
              f"ทั้งโฟลเดอร์ / replaced the earlier round's outputs in {args.out} "
              f"({old.get('phase') or '?'}, as of {old.get('as_of') or '?'})")
    print(f"ผลอยู่ที่ {Path(args.out).resolve()} (findings.csv, students.csv, completeness.csv"
          + ("" if args.no_reports else ", reports/, summary.xlsx")
          + (", PDF" if args.pdf else "") + ")")
    if not args.quiet:
        t = res.timings
        print(
            f"time: read {t.get('read', 0):.1f}s, check {t.get('check', 0):.1f}s, "
            f"write {t.get('write', 0):.1f}s, total {t.get('total', 0):.1f}s",
            file=sys.stderr,
        )
    return 0


def _say(code: str, th: str, en: str) -> None:
    """A warning line on stderr: the run goes on."""
    print(f"[{code}] คำเตือน: {th} / warning: {en}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------- demo
def cmd_demo(args: argparse.Namespace) -> int:
    import time

    from obec_audit.demo import STAMP, default_demo_path, ensure_demo, generate

    out = Path(args.out) if args.out else default_demo_path()
    O.check_out(out, allow_foreign=True)
    O.check_year(args.year)
    t0 = time.perf_counter()
    if (out / STAMP).is_file():  # a demo area already: kept when made with this seed and year
        ensure_demo(out, seed=args.seed, year=args.year)
        print(f"เขตตัวอย่างอยู่ที่ {out.resolve()} (seed {args.seed}) / demo area ready "
              f"({time.perf_counter() - t0:.1f} s)")
        return 0
    bar = None
    try:
        from tqdm.auto import tqdm

        bar = tqdm(total=1, file=sys.stderr, desc="สร้างเขตตัวอย่าง", leave=False)

        def progress(done, total, label=""):
            bar.total = total
            bar.n = done
            bar.set_postfix_str(str(label)[-30:], refresh=False)
            bar.refresh()

    except ImportError:  # pragma: no cover
        progress = None
    try:
        out = generate(out, seed=args.seed, year=args.year, progress=progress)
    except FileExistsError:
        raise O.OptionError(
            "out-not-empty",
            f"โฟลเดอร์ {out} มีแฟ้มอื่นอยู่และไม่ใช่เขตตัวอย่าง: เลือกโฟลเดอร์ว่าง",
            f"--out {out} holds other files and is not a demo area: choose an empty folder",
        ) from None
    finally:
        if bar is not None:
            bar.close()
    print(f"เขตตัวอย่างอยู่ที่ {Path(out).resolve()} (seed {args.seed}, "
          f"{time.perf_counter() - t0:.1f} s)")
    return 0


# ---------------------------------------------------------------------------------- lab
def cmd_lab(args: argparse.Namespace) -> int:
    from obec_audit import children
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
    print("ปิดด้วย Ctrl+C (ปิด JupyterLab และเคอร์เนลทั้งหมด) / stop with Ctrl+C", flush=True)
    return children.run(cmd)


# ---------------------------------------------------------------------------------- dashboards
def cmd_dashboards(args: argparse.Namespace) -> int:
    from obec_audit import dashboard_data as dd
    from obec_audit import dashboards

    O.check_port(args.port)
    O.check_ip(args.ip)
    pool_size = None
    if args.pool_size is not None:
        try:
            pool_size = dashboards.parse_pool_size(args.pool_size)
        except ValueError as exc:
            raise O.OptionError("pool-size-invalid", f"--pool-size {args.pool_size} ไม่ถูกต้อง"
                                f" (0–{dashboards.MAX_POOL_SIZE} หรือ completeness=10)",
                                f"--pool-size: {exc}")
    if args.rounds is not None:
        if not Path(args.rounds).expanduser().exists():
            raise O.OptionError("input-missing", f"ไม่พบโฟลเดอร์ {args.rounds} (--rounds)",
                                f"--rounds: not found: {args.rounds}")
        if dd.rounds_root(args.rounds).path is None:
            raise O.OptionError(
                "rounds-missing",
                f"ไม่พบผลการตรวจ (findings.csv) ใน {args.rounds}: ใช้โฟลเดอร์ --out ของ obec-audit check",
                f"--rounds: no round folders with findings.csv in {args.rounds}",
            )
    return int(
        dashboards.serve(
            round_dir=args.rounds,
            port=args.port,
            ip=args.ip,
            open_browser=not args.no_browser,
            pool_size=pool_size,
        )
        or 0
    )


# ---------------------------------------------------------------------------------- calendar
def cmd_calendar(args: argparse.Namespace) -> int:
    from obec_audit import calendar
    from obec_audit.termtext import wrap

    if args.date:
        day, note = O.parse_user_date(args.date, "--date", "date-invalid")
    else:
        day, note = O.today(), ""
    year = O.check_year(args.year) or calendar.academic_year(day)
    width = max(60, int(args.width))
    lines = calendar.calendar_lines(year, details=args.details, width=width)
    lines += [""] + calendar.today_lines(day, width=width)
    if note:
        lines += wrap(note, width)
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    return 0


def cmd_checks(args: argparse.Namespace) -> int:
    from obec_audit.checks.registry import check_info

    info = check_info()
    print(info[["code", "severity", "dataset", "title_th"]].to_string(index=False))
    return 0


# ---------------------------------------------------------------------------------- parser
class _Parser(argparse.ArgumentParser):
    """argparse with its mistakes said as every other mistake: ``[usage] Thai / English``."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"[usage] ตัวเลือกไม่ถูกต้อง ดู --help: {message} / {self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="obec-audit",
        description="ตรวจสอบข้อมูลนักเรียน DMC ของ สพป. / audit DMC data of a primary service area",
    )
    p.add_argument("--version", action="version", version=f"obec-audit {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="ตรวจข้อมูลหนึ่งรอบ / run a verification round")
    c.add_argument("inputs", nargs="+", metavar="INPUT", help="แฟ้มหรือโฟลเดอร์ที่ดาวน์โหลดจาก DMC")
    c.add_argument("--out", required=True, help="โฟลเดอร์สำหรับผลการตรวจ")
    c.add_argument("--as-of", help="วันที่ของข้อมูล วว/ดด/ปปปป พ.ศ. หรือ YYYY-MM-DD "
                   "(ค่าปริยาย: วันที่ในชื่อโฟลเดอร์ เช่น 2569-06-10 หรือรอบปัจจุบันตามปฏิทิน)")
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
    c.add_argument("--pdf", action="store_true",
                   help="ทำแฟ้ม PDF ของรายงานและสรุปด้วย (ต้องมี LibreOffice)")
    c.add_argument("--mask-ids", action="store_true", help="ปิดเลขประจำตัวบางส่วนในรายงาน")
    c.add_argument("--quiet", action="store_true", help="ไม่แสดงแถบความคืบหน้า")
    c.set_defaults(func=cmd_check)

    d = sub.add_parser("demo", help="สร้างเขตตัวอย่าง / write the synthetic demo area")
    d.add_argument("--out", help="โฟลเดอร์ (ค่าปริยาย: data/demo) / folder (default: data/demo)")
    d.add_argument("--seed", type=int, default=DEFAULT_SEED,
                   help=f"ค่าปริยาย {DEFAULT_SEED}: เขตเดียวกับสมุดงานและแดชบอร์ด")
    d.add_argument("--year", type=int, default=2569, help="ปีการศึกษา พ.ศ.")
    d.set_defaults(func=cmd_demo)

    lab = sub.add_parser("lab", help="เปิดสมุดงานใน JupyterLab บนเขตตัวอย่าง / open the workbook")
    lab.add_argument("--no-browser", action="store_true")
    lab.add_argument("--dry-run", action="store_true", help=argparse.SUPPRESS)
    lab.set_defaults(func=cmd_lab)

    db = sub.add_parser("dashboards", help="เปิดแดชบอร์ดสำหรับผู้บริหาร (Voila)")
    db.add_argument("--rounds", help="โฟลเดอร์ผลการตรวจ: --out ของ check หรือโฟลเดอร์ที่รวมหลายรอบ "
                    "(ค่าปริยาย: data/rounds หรือเขตตัวอย่าง)")
    db.add_argument("--port", type=int, default=8866)
    db.add_argument("--ip", default="127.0.0.1",
                    help="127.0.0.1 (เครื่องนี้เท่านั้น); 0.0.0.0 ให้เครื่องอื่นเปิดได้โดยใช้ token")
    db.add_argument("--pool-size", metavar="N",
                    help="จำนวนหน้าที่เตรียมไว้ล่วงหน้าต่อแดชบอร์ด (ค่าปริยาย 2; ประชุมที่ทุกคนเปิดพร้อมกัน"
                    " ให้เท่ากับจำนวนคน เช่น 10 หรือเฉพาะแดชบอร์ดที่จะเปิด เช่น completeness=10;"
                    " ใช้หน่วยความจำราว 130 MB ต่อหน้า; 0 = สร้างเมื่อเปิด)")
    db.add_argument("--no-browser", action="store_true")
    db.set_defaults(func=cmd_dashboards)

    cal = sub.add_parser("calendar", help="ปฏิทินการจัดทำข้อมูล / the data calendar")
    cal.add_argument("--date", help="วันที่ (ค่าปริยาย: วันนี้)")
    cal.add_argument("--year", type=int, help="ปีการศึกษา พ.ศ.")
    cal.add_argument("--details", action="store_true",
                     help="แสดงทุกขั้นตอนของแต่ละช่วง / every step of every phase")
    cal.add_argument("--width", type=int, default=100, help=argparse.SUPPRESS)
    cal.set_defaults(func=cmd_calendar)

    ck = sub.add_parser("checks", help="รายการตรวจทั้งหมด / list the checks")
    ck.set_defaults(func=cmd_checks)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run a command; a person's mistake ends with exit 2 and one bilingual line, never a
    traceback."""
    _utf8_streams()
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except O.OptionError as exc:
        print(exc.line, file=sys.stderr)
        return 2
    except BrokenPipeError:  # ``obec-audit calendar | head``: the reader has gone, quietly
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except KeyboardInterrupt:
        print("หยุดแล้ว / stopped", file=sys.stderr)
        return 130
    except OSError as exc:  # disk full, permission denied, a file locked by Excel
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"[os-error] ทำงานต่อไม่ได้{where}: {exc.strerror or exc} / "
              f"cannot go on{where}: {exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
