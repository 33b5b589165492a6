"""Helpers writing small hand-made files into tmp_path (imported by the io tests)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from obec_audit.io.aliases import LAYOUT_A_HEADERS, LAYOUT_B_HEADERS


def write_xlsx(path: Path, rows: list[list], sheet: str = "Sheet1", more: dict | None = None) -> Path:
    """rows: lists of cell values (None = empty cell), written from A1 down; ``more``:
    {sheet name: rows} for extra sheets."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for sheets in [{sheet: rows}, more or {}]:
        for name, rs in sheets.items():
            w = ws if name == sheet else wb.create_sheet(name)
            for i, r in enumerate(rs, start=1):
                for j, v in enumerate(r, start=1):
                    if v is not None:
                        w.cell(row=i, column=j, value=v)
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    text = "\r\n".join(",".join("" if v is None else str(v) for v in r) for r in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def layout_row(headers: list[str], values: dict, dup_values: dict | None = None) -> list:
    """A row in the column order of ``headers``: the first column of each header gets
    ``values[header]``; repeated headers get ``dup_values[header]``."""
    seen: set[str] = set()
    out = []
    for h in headers:
        if h in seen:
            out.append((dup_values or {}).get(h))
        else:
            out.append(values.get(h))
            seen.add(h)
    return out
