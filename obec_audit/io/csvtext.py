"""CSV and other delimited text, read so that nothing is lost without a word.

- the encoding: UTF-8 (BOM or not), UTF-16 (Excel's "Unicode Text", BOM or not), cp874;
  a UTF-8 file with a few damaged bytes stays UTF-8 (the damage is reported);
- NUL bytes are removed and their lines reported; fields of any length are read;
- **merged lines**: one unbalanced ``"`` makes a CSV parser swallow every following line into
  one field. A record spanning several physical lines whose width differs from the file's,
  or whose multi-line field holds a whole row's worth of separators, is split back into its
  physical lines (each parsed alone) and reported;
- rows wider than the file's usual width with text in the extra cells, a last line cut short,
  and over-long fields are reported as damaged rows (their cells are still read).

``read_text_table(data, name)`` → ``TextTable(rows, lines, encoding, delimiter, issues)``.

>>> t = read_text_table('a,b,c\\n1,"x,2,3\\n4,5,6\\n'.encode(), 'f.csv')
>>> t.rows, t.lines
([['a', 'b', 'c'], ['1', '"x', '2', '3'], ['4', '5', '6']], [1, 2, 3])
>>> [i.code for i in t.issues]
['rows-merged', 'row-damaged']
"""

from __future__ import annotations

import csv
import io
import sys
from collections import Counter
from dataclasses import dataclass, field

from obec_audit.io.sniff import text_encoding

__all__ = ["TextTable", "Issue", "read_text_table", "decode_text", "sniff_delimiter",
           "LONG_FIELD"]

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

#: a field longer than this is reported (no name, address or code is this long)
LONG_FIELD = 2000
_SCAN_ROWS = 20


@dataclass
class Issue:
    """One damage found: ``code`` (rows-merged / row-damaged), the first and last line,
    the value as read (shortened) and the Thai words for what happened."""

    code: str
    line: int
    last_line: int
    value: str
    what_th: str


@dataclass
class TextTable:
    rows: list[list[str]]
    lines: list[int]
    encoding: str
    delimiter: str
    issues: list[Issue] = field(default_factory=list)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text bytes: BOM (UTF-8/UTF-16), UTF-16 without BOM, UTF-8 strictly (or with a
    few damaged bytes), else cp874 (Thai Windows).

    >>> decode_text('ชื่อ'.encode('utf-8-sig'))
    ('ชื่อ', 'utf-8-sig')
    >>> decode_text('ชื่อ'.encode('cp874'))
    ('ชื่อ', 'cp874')
    >>> decode_text('ชื่อ\\tx'.encode('utf-16'))
    ('ชื่อ\\tx', 'utf-16')
    """
    enc = text_encoding(data[:65536])
    if enc and enc.startswith("utf-16"):
        text = data.decode(enc, errors="replace")
        return text.lstrip("\ufeff"), enc
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            return data.decode("utf-8-sig", errors="replace"), "utf-8-sig (บางอักขระเสียหาย)"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3:  # the last character cut off
            return data.decode("utf-8", errors="replace"), "utf-8"
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        thai = sum(1 for ch in text[:20000] if "\u0e00" <= ch <= "\u0e7f")
        if thai and bad <= max(3, len(text) // 200):
            return text, "utf-8 (บางอักขระเสียหาย)"
    try:
        return data.decode("cp874"), "cp874"
    except UnicodeDecodeError:
        return data.decode("cp874", errors="replace"), "cp874 (บางอักขระอ่านไม่ได้)"


def sniff_delimiter(text: str) -> str:
    """The separator used most on one of the first lines: comma, tab, semicolon or bar."""
    sample = text[:20000].splitlines()[:_SCAN_ROWS]
    best, best_n = ",", 0
    for d in (",", "\t", ";", "|"):
        n = max((line.count(d) for line in sample), default=0)
        if n > best_n:
            best, best_n = d, n
    return best


def _short(s: str, n: int = 80) -> str:
    s = s.replace("\r", " ").replace("\n", " ")
    return s if len(s) <= n else s[:n] + "…"


def _parse_line(line: str, delim: str) -> list[str]:
    """One physical line alone: with its quotes when they balance, else quotes kept as text."""
    body = line.rstrip("\r\n")
    if body.count('"') % 2 == 0:
        return next(csv.reader([body], delimiter=delim), [])
    return next(csv.reader([body], delimiter=delim, quoting=csv.QUOTE_NONE), [])


def read_text_table(data: bytes, name: str = "") -> TextTable:
    """Delimited text bytes → rows of fields with their line numbers, and the damage found."""
    text, encoding = decode_text(data)
    issues: list[Issue] = []
    if "\x00" in text:
        lines0 = io.StringIO(text, newline="").readlines()
        hit = [i + 1 for i, ln in enumerate(lines0) if "\x00" in ln]
        for ln in hit[:50]:
            issues.append(Issue("row-damaged", ln, ln, _short(lines0[ln - 1].replace("\x00", "␀")),
                                "มีอักขระ NUL (ข้อมูลเสีย) ปนอยู่ ได้ลบออกแล้วอ่านต่อ"))
        text = text.replace("\x00", "")
    delim = sniff_delimiter(text)
    physical = io.StringIO(text, newline="").readlines()
    reader = csv.reader(physical, delimiter=delim)
    records: list[list[str]] = []
    spans: list[tuple[int, int]] = []
    prev = 0
    for rec in reader:  # the parser's own loop (C); one append per record
        records.append(rec)
        spans.append((prev + 1, reader.line_num))
        prev = reader.line_num
    widths = Counter(len(r) for r in records if len(r) >= 2)
    width = widths.most_common(1)[0][0] if widths else 1
    rows: list[list[str]] = []
    lines: list[int] = []
    for rec, (a, b) in zip(records, spans):
        if b > a and _merged(rec, width, delim):
            parts = [_parse_line(physical[i - 1], delim) for i in range(a, b + 1)]
            rows.extend(parts)
            lines.extend(range(a, b + 1))
            issues.append(Issue(
                "rows-merged", a, b, _short(physical[a - 1]),
                f"เครื่องหมาย \" ที่ไม่มีคู่ทำให้ {b - a + 1} บรรทัดถูกอ่านรวมเป็นแถวเดียว "
                "ได้แยกกลับเป็นรายบรรทัดแล้ว (ลบหรือเติมเครื่องหมาย \" ให้ครบคู่)",
            ))
            continue
        rows.append(rec)
        lines.append(a)
    _flag_rows(rows, lines, width, text, issues)
    issues.sort(key=lambda i: i.line)
    return TextTable(rows, lines, encoding, delim, issues)


def _merged(rec: list[str], width: int, delim: str) -> bool:
    if len(rec) != width:
        return True
    return any(("\n" in f or "\r" in f) and f.count(delim) >= max(1, width - 1) for f in rec)


def _flag_rows(rows, lines, width, text, issues) -> None:
    """Rows wider than the file's width with text in the extra cells, a cut last line,
    over-long fields."""
    for k, rec in enumerate(rows):
        if len(rec) > width and width >= 2 and any(f.strip() for f in rec[width:]):
            issues.append(Issue("row-damaged", lines[k], lines[k], _short(",".join(rec)),
                                f"มี {len(rec)} ช่อง มากกว่าหัวตาราง ({width} ช่อง) ข้อมูลอาจเลื่อนคอลัมน์ "
                                "(มีเครื่องหมายคั่นปนอยู่ในข้อมูล)"))
        long = [f for f in rec if len(f) > LONG_FIELD]
        if long:
            issues.append(Issue("row-damaged", lines[k], lines[k], _short(long[0]),
                                f"มีช่องที่ยาวผิดปกติ ({len(long[0]):,} ตัวอักษร)"))
    if rows and text and not text.endswith(("\n", "\r")) and width >= 2 and 1 <= len(rows[-1]) < width:
        issues.append(Issue("row-damaged", lines[-1], lines[-1], _short(",".join(rows[-1])),
                            f"แถวสุดท้ายขาดหาย (มี {len(rows[-1])} จาก {width} ช่อง) แฟ้มอาจถูกตัด"))
