"""PDF copies of the packs and the summary (what offices send over LINE or e-mail and print),
made by LibreOffice: ``soffice --headless --convert-to pdf``, in batches, with a profile of
its own in a temporary folder (so a LibreOffice the officer has open is left alone)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

__all__ = ["find_soffice", "PdfUnavailable", "HOW_TO_GET_PDF", "to_pdf"]

#: what to do when LibreOffice is missing (Thai, then English)
HOW_TO_GET_PDF = (
    "ต้องติดตั้ง LibreOffice จึงจะทำแฟ้ม PDF ได้: Windows ดาวน์โหลดจาก "
    "https://www.libreoffice.org/download/ ; Debian/Ubuntu ใช้คำสั่ง "
    "sudo apt-get install libreoffice-calc-nogui / "
    "--pdf needs LibreOffice (soffice): install it from https://www.libreoffice.org/download/ "
    "or `apt-get install libreoffice-calc-nogui`, or run without --pdf"
)
#: files per soffice run: one start-up (~2 s) for many files, yet a hang loses little
BATCH = 25


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed (or failed); the message says what to do."""


def find_soffice() -> str | None:
    """The LibreOffice command on this machine, or None."""
    for name in ("soffice", "libreoffice"):
        exe = shutil.which(name)
        if exe:
            return exe
    for p in (r"C:\Program Files\LibreOffice\program\soffice.exe",
              r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
              "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if Path(p).exists():
            return p
    return None


def _batches(items: Sequence[Path], n: int) -> Iterable[Sequence[Path]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def to_pdf(paths: Iterable[Path], *, batch: int | None = None, timeout: float = 600,
           on_done: Callable[[int], None] | None = None) -> list[Path]:
    """Convert workbooks to PDF beside them (``x.xlsx`` → ``x.pdf``); returns the PDFs made,
    in the order given. ``on_done(n)`` after each batch of ``n`` files (a progress bar).
    Raises :class:`PdfUnavailable` without LibreOffice, or naming the files LibreOffice did
    not convert."""
    paths = [Path(p) for p in paths]
    if not paths:
        return []
    exe = find_soffice()
    if exe is None:
        raise PdfUnavailable(HOW_TO_GET_PDF)
    by_dir: dict[Path, list[Path]] = {}
    for p in paths:
        by_dir.setdefault(p.resolve().parent, []).append(p.resolve())
    with tempfile.TemporaryDirectory(prefix="obec-audit-lo-") as profile:
        env_arg = f"-env:UserInstallation={Path(profile).as_uri()}"
        for outdir, files in by_dir.items():
            for chunk in _batches(files, batch or BATCH):
                for p in chunk:  # a PDF left from an earlier round is not a result
                    p.with_suffix(".pdf").unlink(missing_ok=True)
                subprocess.run(
                    [exe, env_arg, "--headless", "--norestore", "--convert-to", "pdf",
                     "--outdir", str(outdir), *map(str, chunk)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout,
                    check=False)
                if on_done is not None:
                    on_done(len(chunk))
    pdfs = [p.with_suffix(".pdf") for p in paths]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise PdfUnavailable("LibreOffice ทำแฟ้ม PDF ไม่สำเร็จ / LibreOffice did not convert: "
                             + ", ".join(missing[:10]))
    return pdfs
