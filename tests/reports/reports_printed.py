"""Reading printed pages back: the text of each page and the boxes of its words (poppler's
``pdftotext``), to judge a PDF the way a person holding the paper would."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_PAGE = re.compile(r"<page .*?</page>", re.S)


def page_texts(pdf: Path) -> list[str]:
    """The text of every page, in reading order (``pdftotext -layout``)."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def page_words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """The words of every page with their boxes (x0, y0, x1, y1, text) in points."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [[(float(a), float(b), float(c), float(d), html.unescape(w))
             for a, b, c, d, w in _WORD.findall(p)] for p in _PAGE.findall(out)]


def overlaps(words, min_share: float = 0.3) -> list[tuple[str, str]]:
    """Pairs of words whose boxes overlap by more than ``min_share`` of the smaller box:
    text printed over other text, or text running past its cell (clipped text is still in
    the PDF, where the next cell's text is). Thai marks set as words of their own (boxes
    a few points wide) are left out."""
    boxes = [w for w in words if w[2] - w[0] >= 4 and w[3] - w[1] >= 4]
    boxes.sort(key=lambda w: w[1])
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if b[1] >= a[3]:
                break
            dx = min(a[2], b[2]) - max(a[0], b[0])
            dy = min(a[3], b[3]) - max(a[1], b[1])
            if dx <= 0 or dy <= 0:
                continue
            small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
            if dx * dy > min_share * small:
                found.append((a[4], b[4]))
    return found


_MARKS = re.compile(r"[\s\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


def plain(text: str) -> str:
    """``text`` without spaces and Thai marks above or below the line: what pdftotext
    reads back of Thai (marks come out of order or split off) compared reliably."""
    return _MARKS.sub("", text)


def require_printing() -> None:
    """Skip where LibreOffice or poppler is missing, except in CI (``.ci/run`` installs both:
    there a missing tool is a failure, not a silent skip)."""
    import os
    import shutil

    from obec_audit.reports.pdf import find_soffice

    why = ("LibreOffice not installed" if find_soffice() is None
           else "poppler-utils not installed" if shutil.which("pdftotext") is None else None)
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"printing tests cannot run in CI: {why}")
        pytest.skip(why)
