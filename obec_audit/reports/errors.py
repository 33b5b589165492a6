"""The pack's errors sheet (``ข้อผิดพลาด``): every finding of the school, most serious first."""

from __future__ import annotations

import pandas as pd

from obec_audit.privacy import mask_text
from obec_audit.reports.forms import (
    NO_FINDINGS_TEXT, SHEET_FINDINGS, TITLES, _empty, _footer, _header_block, _signature,
)
from obec_audit.reports.layout import _put_row, _setup
from obec_audit.reports.selections import _masked, _strs
from obec_audit.schema import FIELD_LABEL_TH, SEVERITY_ORDER, SEVERITY_TH

# ------------------------------------------------------------------------------ findings
_FINDING_HEADS = [
    ("ลำดับ", 6, "cell_cn"),
    ("ระดับ", 11, "cell_c"),
    ("รหัสตรวจ", 14, "cell"),
    ("เรื่อง", 18, "cell_w"),
    ("แฟ้ม", 15, "cell_w"),
    ("แถว", 6, "int"),
    ("เลขประจำตัว", 16, "cell_c"),
    ("ชื่อ-นามสกุล", 21, "cell_w"),
    ("ช่อง", 14, "cell_w"),
    ("ค่าที่พบ", 15, "cell_w"),
    ("สิ่งที่ต้องแก้ไข", 44, "cell_w"),
]


def _titles(codes) -> dict[str, str]:
    from obec_audit.checks.registry import title_of

    out = {}
    for c in codes:
        try:
            out[c] = title_of(c)
        except Exception:  # a check module that fails to import must not stop the packs
            out[c] = c
    return out


def _rows_of(values: list) -> list:
    out = []
    for x in values:
        try:
            out.append(int(x) if x is not None and x is not pd.NA and x == x else None)
        except (TypeError, ValueError):
            out.append(None)
    return out


def _sheet_findings(book, ctx, findings: pd.DataFrame, show_full_ids: bool) -> None:
    ws = book.sheet(SHEET_FINDINGS)
    f = findings
    widths = [w for _, w, _ in _FINDING_HEADS]
    ncols = len(widths)
    sev = _strs(f, "severity")
    note = "  ".join(f"{SEVERITY_TH[s]} {sev.count(s):,} รายการ" for s in SEVERITY_TH)
    row = _header_block(book, ws, ctx, TITLES[SHEET_FINDINGS], ncols, note, "note_r")
    header_row = None
    if len(f) == 0:
        row = _empty(book, ws, row, ncols, NO_FINDINGS_TEXT)
    else:
        header_row = row
        _put_row(book, ws, row, [h for h, _, _ in _FINDING_HEADS], ["head"] * ncols)
        row += 1
        check = _strs(f, "check")
        sfile = _strs(f, "source_file")
        srow = _rows_of(f["source_row"].tolist() if "source_row" in f.columns else [None] * len(f))
        order = sorted(range(len(f)), key=lambda i: (SEVERITY_ORDER.get(sev[i], 9), check[i],
                                                     sfile[i], srow[i] is None, srow[i] or 0))
        titles = _titles(set(check))
        ids = _strs(f, "national_id")
        value = _strs(f, "value")
        message = _strs(f, "message")
        if not show_full_ids:
            ids = _masked(ids)
            value = mask_text(pd.Series(value, dtype="string")).fillna("").tolist()
            message = mask_text(pd.Series(message, dtype="string")).fillna("").tolist()
        name = _strs(f, "student_name")
        field = _strs(f, "field")
        fl = FIELD_LABEL_TH
        cols = [
            range(1, len(f) + 1),
            [SEVERITY_TH.get(sev[i], sev[i]) for i in order],
            [check[i] for i in order],
            [titles.get(check[i], check[i]) for i in order],
            [sfile[i] for i in order],
            [srow[i] for i in order],
            [ids[i] for i in order],
            [name[i] for i in order],
            [fl.get(field[i], field[i]) for i in order],
            [value[i] for i in order],
            [message[i] for i in order],
        ]
        row = ws.table(row, cols, [s for _, _, s in _FINDING_HEADS], widths)
    _signature(book, ws, ctx, row, widths)
    _setup(ws, widths, landscape=True, title_rows=header_row or 4, footer_left=_footer(ctx))
    if header_row:
        ws.freeze = (header_row + 1, 1)


