"""The pack's errors sheet (``ข้อผิดพลาด``): every finding of the school, most serious first,
in words a school reads: the check's Thai title (its code only in a column that is not
printed), duplicate sets numbered ("ชุดที่ 3"), and a problem of a whole file (IDs Excel turned
into ``1.5702E+12``) stated once for the file with what to do, not once per row."""

from __future__ import annotations

import re

import pandas as pd

from obec_audit.checks.registry import load_all, title_of
from obec_audit.privacy import mask_text
from obec_audit.reports.forms import (
    NO_FINDINGS_TEXT, SHEET_FINDINGS, TITLES, _empty, _form, _header_block, _signature,
)
from obec_audit.reports.layout import _line
from obec_audit.reports.selections import _masked, _strs, excel_damaged
from obec_audit.schema import FIELD_LABEL_TH, SEVERITY_ORDER, SEVERITY_TH
from obec_audit.thaidate import be_short

__all__ = ["set_labels", "file_level", "FILE_DAMAGED_MESSAGE"]

#: (head, width, style); the last column (the check's code, for officers) is not printed
_FINDING_HEADS = [
    ("ลำดับ", 5, "cell_cn"),
    ("ระดับ", 10, "cell_c"),
    ("เรื่อง", 22, "cell_w"),
    ("แถว", 10, "cell_c"),
    ("เลขประจำตัว", 17, "cell_c"),
    ("ชื่อ-นามสกุล", 22, "cell_w"),
    ("ช่อง", 11, "cell_w"),
    ("ค่าที่พบ", 14, "cell_w"),
    ("สิ่งที่ต้องแก้ไข", 50, "cell_w"),
    ("รหัสตรวจ (อ้างอิง)", 18, "cell"),
]
_PRINTED = len(_FINDING_HEADS) - 1

#: what a file whose IDs Excel damaged needs (one row for the file)
FILE_DAMAGED_MESSAGE = (
    "เลขประจำตัว {n:,} แถวของแฟ้มนี้ถูก Excel แปลงเป็นรูปแบบวิทยาศาสตร์ (เช่น {example}) "
    "ตัวเลขหายไปแล้ว แก้ทีละแถวไม่ได้: ให้ดาวน์โหลดรายชื่อนักเรียนจาก DMC ใหม่ "
    "และส่งโดยไม่เปิดแก้หรือบันทึกด้วย Excel")
#: an internal duplicate-set key quoted in a message ("กลุ่ม DA-95c6581d0f")
_GROUP_IN_TEXT = re.compile(r"กลุ่ม\s*[A-Z]{2}-[0-9A-Za-z\-]+")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00:00)?$")


def _titles(codes) -> dict[str, str]:
    load_all()
    out = {}
    for c in codes:
        try:
            out[c] = title_of(c)
        except KeyError:  # a code no check registers (e.g. a later version's)
            out[c] = c
    return out


def set_labels(findings: pd.DataFrame) -> pd.Series:
    """Per finding, its duplicate set numbered for people ("ชุดที่ 3"; '' outside a set):
    sets numbered in order of check, then first appearance.

    >>> f = pd.DataFrame({'check': ['dup-id-area'] * 3, 'group': ['DA-b', 'DA-a', 'DA-b']})
    >>> set_labels(f).tolist()
    ['ชุดที่ 1', 'ชุดที่ 2', 'ชุดที่ 1']
    """
    if "group" not in findings.columns or len(findings) == 0:
        return pd.Series("", index=findings.index, dtype=object)
    g = findings["group"].astype("string").fillna("").str.strip()
    order = pd.DataFrame({"check": findings.get("check", pd.Series("", index=findings.index))
                          .astype("string").fillna(""), "g": g})
    keyed = order[order["g"].ne("")].drop_duplicates("g")
    rank = {k: i for i, k in enumerate(keyed.sort_values("check", kind="stable")["g"], start=1)}
    return g.map(lambda x: f"ชุดที่ {rank[x]}" if x in rank else "").astype(object)


def file_level(check: list[str], value: list[str]) -> list[bool]:
    """Which findings belong to a problem of their whole file: IDs in scientific notation."""
    return [c == "id-format" and excel_damaged(v) for c, v in zip(check, value)]


def _ranges(rows: list[int]) -> str:
    """Row numbers as ranges: [2, 3, 4, 7] → '2–4, 7'."""
    rows = sorted(set(rows))
    out, i = [], 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1] == rows[j] + 1:
            j += 1
        out.append(str(rows[i]) if i == j else f"{rows[i]}–{rows[j]}")
        i = j + 1
    return ", ".join(out)


def _rows_of(values: list) -> list:
    out = []
    for x in values:
        try:
            out.append(int(x) if x is not None and x is not pd.NA and x == x else None)
        except (TypeError, ValueError):
            out.append(None)
    return out


def _shown_value(v: str) -> str:
    m = _ISO_DATE.match(v)
    if m:
        try:
            return be_short(pd.Timestamp(v).date())
        except (ValueError, TypeError):
            return v
    return v


def _sheet_findings(book, ctx, findings: pd.DataFrame, show_full_ids: bool) -> None:
    f = findings
    widths = [w for _, w, _ in _FINDING_HEADS]
    ncols = _PRINTED
    ws = _form(book, ctx, SHEET_FINDINGS, widths, landscape=True)
    ws.print_cols = ncols
    sev = _strs(f, "severity")
    note = "  ".join(f"{SEVERITY_TH[s]} {sev.count(s):,} รายการ" for s in SEVERITY_TH)
    row = _header_block(book, ws, ctx, TITLES[SHEET_FINDINGS], ncols, note, "note_r")
    if len(f) == 0:
        row = _empty(book, ws, row, ncols, NO_FINDINGS_TEXT)
        _signature(book, ws, ctx, row, widths[:ncols])
        return
    check = _strs(f, "check")
    sfile = _strs(f, "source_file")
    srow = _rows_of(f["source_row"].tolist() if "source_row" in f.columns else [None] * len(f))
    ids = _strs(f, "national_id")
    value = _strs(f, "value")
    message = _strs(f, "message")
    name = _strs(f, "student_name")
    field = _strs(f, "field")
    sets = (_strs(f, "set_label") if "set_label" in f.columns
            else set_labels(f).tolist())
    message = [_GROUP_IN_TEXT.sub(s, m) if s else m for m, s in zip(message, sets)]
    # what Excel damaged is judged on the values as read, before any masking
    whole = file_level(check, value)
    id_damaged = [bool(x) and excel_damaged(x) for x in ids]
    if not show_full_ids:
        ids = _masked(ids)
        value = mask_text(pd.Series(value, dtype="string")).fillna("").tolist()
        message = mask_text(pd.Series(message, dtype="string")).fillna("").tolist()
    titles = _titles(set(check))
    files = list(dict.fromkeys(x for x in sfile if x))
    fileno = {x: i for i, x in enumerate(files, start=1)}

    def where(fl: str, rows: str) -> str:
        if len(files) > 1 and fl:
            return f"แฟ้ม {fileno[fl]} แถว {rows}" if rows else f"แฟ้ม {fileno[fl]}"
        return rows

    # one row per file for a problem of the whole file, then every other finding
    lines: list[tuple] = []
    by_file: dict[tuple, list[int]] = {}
    for i, w in enumerate(whole):
        if w:
            by_file.setdefault((sfile[i], check[i]), []).append(i)
    for (fl, c), idx in by_file.items():
        i0 = idx[0]
        rows = [srow[i] for i in idx if srow[i] is not None]
        lines.append((SEVERITY_ORDER.get(sev[i0], 9), -1, fl, 0, [
            SEVERITY_TH.get(sev[i0], sev[i0]), titles.get(c, c), where(fl, _ranges(rows)),
            "-", f"{len(idx):,} คน", FIELD_LABEL_TH.get(field[i0], field[i0]),
            value[i0], FILE_DAMAGED_MESSAGE.format(n=len(idx), example=value[i0]), c]))
    for i in range(len(f)):
        if whole[i]:
            continue
        shown = "" if id_damaged[i] else ids[i]
        lines.append((SEVERITY_ORDER.get(sev[i], 9), 0 if check[i] != "file-unreadable" else -1,
                      check[i] + sfile[i], srow[i] or 0, [
            SEVERITY_TH.get(sev[i], sev[i]), titles.get(check[i], check[i]),
            where(sfile[i], "" if srow[i] is None else str(srow[i])), shown, name[i],
            FIELD_LABEL_TH.get(field[i], field[i]),
            "" if value[i] == ids[i] else _shown_value(value[i]),  # the ID is beside it
            (f"[{sets[i]}] " if sets[i] and sets[i] not in message[i] else "") + message[i],
            check[i]]))
    lines.sort(key=lambda x: x[:4])
    if len(files) > 1:
        for k, fl in enumerate(files, start=1):
            _line(book, ws, row, f"แฟ้ม {k}: {fl}", "note", ncols)
            row += 1
    elif files:
        _line(book, ws, row, f"แฟ้มที่ตรวจ: {files[0]}", "note", ncols)
        row += 1
    ws.freeze = (row + 1, 1)  # on screen, the header stays above the rows
    cols = [range(1, len(lines) + 1)] + [[x[4][j] for x in lines]
                                         for j in range(len(_FINDING_HEADS) - 1)]
    row = ws.table(row, cols, [s for _, _, s in _FINDING_HEADS], widths,
                   header=[h for h, _, _ in _FINDING_HEADS])
    _signature(book, ws, ctx, row, widths[:ncols])
