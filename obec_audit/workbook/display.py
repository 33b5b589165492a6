"""What an officer reads: tables with Thai headers, no index, no ``<NA>``, wrapped text and
long lists cut to a page; small HTML boxes. Every value passes through
``obec_audit.privacy.mask_frame`` before it is shown (unless the notebook sets
``SHOW_IDS = True``).

A table is an :class:`OfficerTable`: a ``pandas.DataFrame`` (code and tests index it as usual)
whose notebook display is the officer's HTML table.

>>> t = officer_table(pd.DataFrame({"national_id": ["1101700230708"], "source_row": [pd.NA]}))
>>> list(t.columns), t.iloc[0, 0]
(['เลขประจำตัวประชาชน', 'แถวที่'], '1xxxxxxxxxxx8')
>>> "&lt;NA&gt;" in t._repr_html_() or "<NA>" in t._repr_html_()
False
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html

import pandas as pd
import tqdm.auto as tqdm_auto

from obec_audit.checks.registry import check_info
from obec_audit.privacy import mask_frame, mask_text
from obec_audit.schema import FIELD_LABEL_TH
from obec_audit.thaidate import thai_date

__all__ = [
    "LABELS_TH", "MOVEMENT_LABELS_TH", "LAYOUT_TH", "thai_labels", "mask_frame", "OfficerTable",
    "officer_table", "table_html", "HtmlBlock", "box", "date_th", "check_titles", "PAGE_ROWS",
    "bars_that_stay",
]

#: rows of a table shown at once (the rest: the findings filter's pages, or the CSV files)
PAGE_ROWS = 300

#: Thai labels of the columns the workbook shows (machine name → label)
LABELS_TH: dict[str, str] = {
    **FIELD_LABEL_TH,
    # findings
    "check": "รหัสการตรวจ", "check_th": "รายการตรวจ", "severity": "ระดับ", "severity_th": "ระดับ",
    "source_file": "แฟ้ม", "source_row": "แถวที่", "source_sheet": "ชีต", "field": "ช่องข้อมูล",
    "field_th": "ช่องข้อมูล", "value": "ค่าที่พบ", "group": "ชุดซ้ำ", "message": "สิ่งที่ต้องแก้ไข",
    "dataset": "ชุดข้อมูล", "student_name": "ชื่อ-นามสกุล",
    # files
    "path": "ที่อยู่แฟ้ม", "layout": "รูปแบบ", "header_row": "แถวหัวตาราง", "rows_read": "แถวที่อ่าน",
    "rows_loaded": "แถวที่นำเข้า", "rows_blank": "แถวว่าง", "rows_skipped": "แถวที่ข้าม",
    "rows_header": "หัวตารางซ้ำ", "rows_non_student": "แถวรวม/ลายเซ็น",
    "encoding": "รหัสอักขระ", "status": "สถานะ", "status_th": "สถานะ", "message_th": "หมายเหตุ",
    # per school
    "students": "นักเรียน", "findings": "ข้อค้นพบ", "schools": "โรงเรียน", "errors": "ข้อผิดพลาด",
    "warnings": "ควรตรวจสอบ", "infos": "แจ้งเพื่อทราบ", "percent_complete": "ครบถ้วน (%)",
    "fields_complete": "ช่องที่ครบ", "cells": "ช่องที่ต้องกรอก", "missing_cells": "ช่องที่ว่าง",
    "rows": "แถว", "missing": "ว่าง",
    # comparison
    "fixed": "แก้ไขแล้ว", "open": "ยังไม่แก้ไข", "new": "พบใหม่", "before": "รอบก่อน",
    "after": "รอบนี้", "value_before": "ค่ารอบก่อน", "value_after": "ค่ารอบนี้",
    # certification
    "received_on_be": "วันที่รับเอกสาร", "received_by": "ผู้รับ", "deadline_be": "กำหนดส่ง",
    "days_late": "ช้า (วัน)", "overdue": "เกินกำหนด", "note": "หมายเหตุ",
    # duplicate decisions
    "decision_th": "ผลการพิจารณา", "reason": "เหตุผล", "decided_by": "ผู้พิจารณา",
    "decided_at_be": "วันที่พิจารณา", "members": "สมาชิก", "in_schools": "โรงเรียนที่เกี่ยวข้อง",
    "decided": "พิจารณาแล้ว",
}

MOVEMENT_LABELS_TH = {
    "prev": "รอบก่อน (คน)", "cur": "รอบนี้ (คน)",
    "moved_out_area": "ย้ายไปโรงเรียนอื่นในเขต", "moved_in_area": "ย้ายมาจากโรงเรียนอื่นในเขต",
    "left_moved": "ย้ายออก (มีหลักฐานจำหน่าย)", "left_dropout": "ออกกลางคัน", "left_died": "เสียชีวิต",
    "left_graduated": "จบการศึกษา", "left_unexplained": "หายไปโดยไม่มีหลักฐาน",
    "new": "นักเรียนใหม่", "id_changed": "เปลี่ยนรหัส G เป็นเลข 13 หลัก",
    "dup_removed": "ลบแถวซ้ำแล้ว", "dup_added": "แถวซ้ำเพิ่มขึ้น",
    "prev_school": "โรงเรียนรอบก่อน", "cur_school": "โรงเรียนรอบนี้", "prev_grade": "ชั้นรอบก่อน",
    "cur_grade": "ชั้นรอบนี้", "discharge_reason": "เหตุจำหน่าย", "prev_file": "แฟ้มรอบก่อน",
    "prev_row": "แถวรอบก่อน",
}

#: the loaders' layout codes in words
LAYOUT_TH = {
    "A": "DMC แบบ 91 คอลัมน์", "B": "DMC แบบ 39 คอลัมน์ (ดาวน์โหลดรายวัน)",
    "other": "หัวตารางแบบอื่น", "extract": "แฟ้มข้อมูลขนาดใหญ่", "": "",
}

_CSS = (  # !important: JupyterLab's and nbconvert's own table rules right-align every cell
    "<style>.obec-table{max-height:34rem;overflow:auto;margin:4px 0;border:1px solid #ddd}"
    ".obec-table table{border-collapse:collapse!important;font-size:15px;table-layout:auto!important;"
    "font-family:'TH Sarabun New',Sarabun,Loma,Garuda,Tahoma,'Noto Sans Thai',sans-serif}"
    ".obec-table th{position:sticky;top:0;background:#eef3f6!important;text-align:left!important;"
    "padding:4px 8px!important;border-bottom:2px solid #9bb;white-space:nowrap!important;max-width:none!important}"
    ".obec-table td{padding:3px 8px!important;border-bottom:1px solid #eee;text-align:left!important;"
    "vertical-align:top!important;white-space:nowrap!important;word-break:keep-all!important;"
    "max-width:none!important}"
    ".obec-table td.num{text-align:right!important}"
    ".obec-table td.long{white-space:normal!important;min-width:26em;max-width:40em!important}"
    ".obec-note{color:#555;font-size:14px;margin:2px 0 8px}</style>"
)


def thai_labels(df: pd.DataFrame, extra: dict[str, str] | None = None) -> pd.DataFrame:
    """Rename known columns to their Thai labels (unknown ones stay)."""
    labels = {**LABELS_TH, **(extra or {})}
    return df.rename(columns={c: labels[c] for c in df.columns if c in labels})


def _cell(v) -> str:
    if v is None:
        return ""
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(v, bool):
        return "ใช่" if v else ""
    if isinstance(v, float):
        return f"{v:,.0f}" if v.is_integer() else f"{v:,.1f}"
    if isinstance(v, int) or hasattr(v, "dtype") and getattr(v.dtype, "kind", "") in "iu":
        return f"{int(v):,}"
    if isinstance(v, (dt.date, pd.Timestamp)):
        return thai_date(v)
    return str(v)


def table_html(df: pd.DataFrame, page_rows: int = PAGE_ROWS, note: str = "",
               empty: str = "ไม่มีรายการ") -> str:
    """The officer's HTML table of ``df`` (values shown as they are: mask first)."""
    if df is None or len(df) == 0:
        return f'<div class="obec-note">{html.escape(empty)}</div>'
    shown = df.head(page_rows)
    num = [pd.api.types.is_numeric_dtype(shown[c].dtype) and not pd.api.types.is_bool_dtype(shown[c].dtype)
           for c in shown.columns]
    cells = [[_cell(v) for v in shown.iloc[:, j]] for j in range(shown.shape[1])]
    long_ = [max((len(s) for s in col), default=0) > 60 for col in cells]
    cls = ['num' if n else ('long' if lg else '') for n, lg in zip(num, long_)]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    rows = []
    for i in range(len(shown)):
        tds = "".join(f'<td class="{k}">{html.escape(col[i])}</td>' if k else f"<td>{html.escape(col[i])}</td>"
                      for k, col in zip(cls, cells))
        rows.append(f"<tr>{tds}</tr>")
    parts = [_CSS, f'<div class="obec-table"><table><thead><tr>{head}</tr></thead><tbody>',
             "".join(rows), "</tbody></table></div>"]
    lines = []
    if len(df) > len(shown):
        lines.append(f"แสดง {len(shown):,} แถวแรกจาก {len(df):,} แถว (ดูทั้งหมดได้ในเครื่องมือกรองหรือแฟ้ม CSV ของรอบ)")
    elif not note:
        lines.append(f"{len(df):,} แถว")
    if note:
        lines.append(note)
    parts.append(f'<div class="obec-note">{html.escape(" · ".join(lines))}</div>')
    return "".join(parts)


class OfficerTable(pd.DataFrame):
    """A DataFrame shown in a notebook as the officer's table (:func:`table_html`)."""

    _metadata = ["note", "empty_text"]

    @property
    def _constructor(self):
        return OfficerTable

    def _repr_html_(self) -> str:
        return table_html(pd.DataFrame(self), note=getattr(self, "note", "") or "",
                          empty=getattr(self, "empty_text", None) or "ไม่มีรายการ")


def officer_table(df: pd.DataFrame, show_ids: bool = False, extra_labels: dict | None = None,
                  note: str = "", empty: str = "ไม่มีรายการ") -> OfficerTable:
    """Mask (unless ``show_ids``), put Thai headers, drop the index: what an officer reads."""
    v = mask_frame(df, show_ids) if df is not None else pd.DataFrame()
    v = thai_labels(v, extra_labels).reset_index(drop=True)
    t = OfficerTable(v)
    t.note, t.empty_text = note, empty
    return t


class HtmlBlock:
    """A block of HTML shown as it is (JupyterLab, Voila, exported HTML)."""

    def __init__(self, body: str, text: str = "") -> None:
        self.body, self.text = body, text

    def _repr_html_(self) -> str:
        return self.body

    def __repr__(self) -> str:
        return self.text or html.unescape(self.body)


def box(title: str, lines: list[str], colour: str = "#1f6f8b") -> HtmlBlock:
    """A titled box of lines (lines may hold simple HTML; identifiers in them are masked)."""
    items = "".join(f"<li>{mask_text(ln)}</li>" for ln in lines)
    body = (f'<div style="border-left:6px solid {colour};padding:6px 12px;margin:6px 0;'
            f'background:#f7fbfc;font-size:15px"><b>{html.escape(title)}</b>'
            f'<ul style="margin:4px 0">{items}</ul></div>')
    return HtmlBlock(body, title + "\n" + "\n".join(html.unescape(mask_text(ln)) for ln in lines))


def date_th(d) -> str:
    """``10 มิถุนายน 2569``, or ``-`` for no date."""
    if d is None or (not isinstance(d, dt.date) and pd.isna(d)):
        return "-"
    return thai_date(d)


def check_titles() -> dict[str, str]:
    """Check code → Thai title (the registry's)."""
    info = check_info()
    return dict(zip(info["code"], info["title_th"]))


@contextlib.contextmanager
def bars_that_stay():
    """tqdm bars that stay on the page when done (``leave=True``): in Voila a notebook bar
    closed with ``leave=False`` leaves "Error displaying widget: model not found" behind."""
    orig = tqdm_auto.tqdm

    def keep(*args, **kwargs):
        kwargs["leave"] = True
        return orig(*args, **kwargs)

    tqdm_auto.tqdm = keep
    try:
        yield
    finally:
        tqdm_auto.tqdm = orig
