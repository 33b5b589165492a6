"""The area's ``summary.xlsx`` for the supervisors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from obec_audit.reports.errors import _titles
from obec_audit.reports.forms import (
    DEFAULT_AREA, NO_FINDINGS_TEXT, SUMMARY_SHEETS, _clean_school_name, _empty,
)
from obec_audit.reports.layout import _Book, _col, _line, _put_row, _setup, _text
from obec_audit.schema import FIELD_LABEL_TH, FINDING_COLUMNS, SEVERITY_ORDER, SEVERITY_TH
from obec_audit.thaidate import as_of_text

# ------------------------------------------------------------------------------ summary
def _pct_column(df: pd.DataFrame) -> str | None:
    for c in ("percent_complete", "pct_complete", "percent", "complete_pct", "completeness"):
        if c in df.columns:
            return c
    for c in df.columns:
        if "pct" in str(c) or "percent" in str(c):
            return c
    return None


def _summary_setup(ws, widths, *, landscape, header_row, last_row, ncols, area="") -> None:
    _setup(ws, widths, landscape=landscape, title_rows=header_row, footer_left=area)
    ws.freeze = (header_row + 1, 4 if ncols > 4 else 1)
    if last_row > header_row:
        ws.autofilter = f"A{header_row}:{get_column_letter(ncols)}{last_row}"


def _summary_header(book, ws, title, ncols, as_of, area_name, note="") -> int:
    _line(book, ws, 1, title, "title", ncols)
    _line(book, ws, 2, area_name or "", "sub", ncols)
    _line(book, ws, 3, as_of_text(as_of), "sub", ncols)
    if note:
        _line(book, ws, 4, note, "note_r", ncols)
    return 5


def _school_table(students, findings, schools) -> pd.DataFrame:
    codes: dict[str, str] = {}
    if schools is not None and len(schools):
        code_col = "smis8" if "smis8" in schools.columns else "school_code"
        for c, n in zip(_text(schools[code_col]), _text(_col(schools, "school_name"))):
            if c:
                codes[c] = n
    st_code = _text(_col(students, "school_code"))
    st_name = _text(_col(students, "school_name"))
    first = pd.DataFrame({"c": st_code, "n": st_name})
    first = first[first["n"].ne("")].drop_duplicates("c")
    for c, n in zip(first["c"], first["n"]):
        if c and not codes.get(c):
            codes[c] = n
    for c in st_code.unique():
        if c:
            codes.setdefault(c, "")
    for c in _text(_col(findings, "school_code")).unique():
        if c:
            codes.setdefault(c, "")
    out = pd.DataFrame({"school_code": list(codes), "school_name": list(codes.values())})
    out["school_name"] = out["school_name"].map(_clean_school_name)
    return out.sort_values("school_code", kind="stable").reset_index(drop=True)


def write_summary(
    path,
    *,
    students: pd.DataFrame,
    findings: pd.DataFrame,
    completeness: pd.DataFrame | None = None,
    school_completeness: pd.DataFrame | None = None,
    schools: pd.DataFrame | None = None,
    as_of,
    area_name: str = DEFAULT_AREA,
) -> Path:
    """Write the area's ``summary.xlsx``: ``สรุปรายโรงเรียน`` (one row per school: students,
    findings by severity and by check code, percent complete; a totals row),
    ``สรุปตามรายการตรวจ`` (per check: title, severity, findings, schools affected) and
    ``ความครบถ้วน`` (percent complete per school × field)."""
    if findings is None:
        findings = pd.DataFrame(columns=FINDING_COLUMNS)
    if students is None:
        students = pd.DataFrame(columns=["school_code"])
    book = _Book()
    table = _school_table(students, findings, schools)
    f_code = _text(_col(findings, "school_code"))
    f_sev = _text(_col(findings, "severity"))
    f_check = _text(_col(findings, "check"))
    st_count = _text(_col(students, "school_code")).value_counts()

    sev_ct = pd.crosstab(f_code, f_sev) if len(findings) else pd.DataFrame()
    chk_ct = pd.crosstab(f_code, f_check) if len(findings) else pd.DataFrame()
    sev_rank = {c: SEVERITY_ORDER.get(s, 9) for c, s in zip(f_check, f_sev)}
    check_codes = sorted(chk_ct.columns, key=lambda c: (sev_rank.get(c, 9), c))
    titles = _titles(check_codes)

    pct_by_school: dict[str, float] = {}
    if school_completeness is not None and len(school_completeness):
        pc = _pct_column(school_completeness)
        if pc:
            pct_by_school = dict(zip(_text(school_completeness["school_code"]),
                                     pd.to_numeric(school_completeness[pc], errors="coerce")))
    elif completeness is not None and len(completeness) and {"rows", "missing"} <= set(
            completeness.columns):
        g = completeness.assign(school_code=_text(completeness["school_code"])).groupby(
            "school_code")[["rows", "missing"]].sum()
        pct = 100.0 * (1 - g["missing"] / g["rows"].where(g["rows"] > 0))
        pct_by_school = pct.to_dict()

    # ---- sheet 1: per school
    ws = book.sheet(SUMMARY_SHEETS[0])
    heads = ["ลำดับ", "รหัสโรงเรียน", "ชื่อโรงเรียน", "จำนวนนักเรียน",
             SEVERITY_TH["error"], SEVERITY_TH["warning"], SEVERITY_TH["info"]]
    widths = [6, 12, 30, 11, 11, 12, 12]
    head_styles = ["head"] * len(heads)
    for c in check_codes:
        heads.append(c)
        widths.append(5.5)
        head_styles.append("head_rot")
    heads.append("ร้อยละความครบถ้วน")
    widths.append(11)
    head_styles.append("head")
    ncols = len(heads)
    n_sch = len(table)
    note = (f"โรงเรียน {n_sch:,} แห่ง  นักเรียน {len(students):,} คน  "
            f"ข้อค้นพบ {len(findings):,} รายการ")
    row = _summary_header(book, ws, "สรุปผลการตรวจสอบข้อมูลนักเรียนรายโรงเรียน", ncols, as_of,
                          area_name, note)
    header_row = row
    _put_row(book, ws, row, heads, head_styles)
    if check_codes:
        ws.heights[row] = 110
    row += 1
    first_data = row
    styles = ["cell_c", "cell_c", "cell", "num", "num", "num", "num"] + ["num"] * len(
        check_codes) + ["pct"]
    totals = [0] * (ncols - 4)
    for i, rec in enumerate(table.itertuples(index=False), start=1):
        code = rec.school_code
        vals = [i, code, rec.school_name, int(st_count.get(code, 0))]
        for s in ("error", "warning", "info"):
            vals.append(int(sev_ct.loc[code, s]) if code in sev_ct.index and s in sev_ct.columns
                        else 0)
        for c in check_codes:
            vals.append(int(chk_ct.loc[code, c]) if code in chk_ct.index else 0)
        p = pct_by_school.get(code)
        vals.append(round(float(p), 1) if p is not None and p == p else None)
        for j in range(3, ncols - 1):
            totals[j - 3] += vals[j]
        # zero counts of checks shown as blanks keep the table readable
        vals = vals[:7] + [v if v else None for v in vals[7:ncols - 1]] + [vals[-1]]
        _put_row(book, ws, row, vals, styles)
        row += 1
    last = row - 1
    overall = None
    if school_completeness is not None and len(school_completeness) and {
            "cells", "missing_cells"} <= set(school_completeness.columns):
        cells = pd.to_numeric(school_completeness["cells"], errors="coerce").sum()
        miss = pd.to_numeric(school_completeness["missing_cells"], errors="coerce").sum()
        overall = round(100.0 * (1 - miss / cells), 1) if cells else None
    elif pct_by_school:
        vals_ = [v for v in pct_by_school.values() if v == v]
        overall = round(sum(vals_) / len(vals_), 1) if vals_ else None
    tot_vals = ["", "", "รวม"] + totals + [overall]
    _put_row(book, ws, row, tot_vals, ["tot_l", "tot_l", "tot_l"] + ["tot_n"] * (ncols - 4)
             + ["tot_p"])
    _summary_setup(ws, widths, landscape=True, header_row=header_row, last_row=last,
                   ncols=ncols, area=area_name)
    del first_data

    # ---- sheet 2: per check
    ws = book.sheet(SUMMARY_SHEETS[1])
    heads = ["ลำดับ", "รหัสตรวจ", "เรื่อง", "ระดับ", "จำนวนรายการ", "จำนวนโรงเรียน"]
    widths = [6, 20, 40, 13, 13, 13]
    ncols = len(heads)
    row = _summary_header(book, ws, "สรุปผลการตรวจสอบตามรายการตรวจ", ncols, as_of, area_name)
    header_row = row
    _put_row(book, ws, row, heads, ["head"] * ncols)
    row += 1
    if len(findings):
        per = pd.DataFrame({"check": f_check, "school": f_code, "sev": f_sev})
        g = per.groupby("check").agg(n=("check", "size"),
                                     schools=("school", lambda s: s[s.ne("")].nunique()),
                                     sev=("sev", "first"))
        g = g.loc[sorted(g.index, key=lambda c: (SEVERITY_ORDER.get(g.loc[c, "sev"], 9), c))]
        for i, (code, rec) in enumerate(g.iterrows(), start=1):
            _put_row(book, ws, row, [i, code, titles.get(code, code),
                                     SEVERITY_TH.get(rec["sev"], rec["sev"]), int(rec["n"]),
                                     int(rec["schools"])],
                     ["cell_c", "cell", "cell_w", "cell_c", "num", "num"])
            row += 1
        n_sch_any = int(f_code[f_code.ne("")].nunique())
        _put_row(book, ws, row, ["", "", "รวม", "", len(findings), n_sch_any],
                 ["tot_l"] * 4 + ["tot_n"] * 2)
        last = row - 1
    else:
        row = _empty(book, ws, row, ncols, NO_FINDINGS_TEXT)
        last = header_row
    _summary_setup(ws, widths, landscape=False, header_row=header_row, last_row=last,
                   ncols=ncols, area=area_name)

    # ---- sheet 3: completeness school × field
    ws = book.sheet(SUMMARY_SHEETS[2])
    if completeness is not None and len(completeness) and _pct_column(completeness):
        pc = _pct_column(completeness)
        cp = completeness.assign(school_code=_text(completeness["school_code"]),
                                 field=_text(completeness["field"]))
        piv = cp.pivot_table(index="school_code", columns="field", values=pc, aggfunc="first")
        fields = list(dict.fromkeys(cp["field"]))
        heads = ["ลำดับ", "รหัสโรงเรียน", "ชื่อโรงเรียน"] + [FIELD_LABEL_TH.get(x, x)
                                                               for x in fields] + ["รวม"]
        widths = [6, 12, 28] + [9] * len(fields) + [9]
        ncols = len(heads)
        row = _summary_header(book, ws, "ร้อยละความครบถ้วนของข้อมูลนักเรียนรายโรงเรียน", ncols,
                              as_of, area_name)
        header_row = row
        _put_row(book, ws, row, heads, ["head"] * ncols)
        row += 1
        names = dict(zip(table["school_code"], table["school_name"]))
        styles = ["cell_c", "cell_c", "cell"] + ["pct"] * (len(fields) + 1)
        for i, code in enumerate(piv.index, start=1):
            vals = [i, code, names.get(code, "")]
            for fld in fields:
                v = piv.loc[code, fld] if fld in piv.columns else None
                vals.append(round(float(v), 1) if v is not None and v == v else None)
            p = pct_by_school.get(code)
            vals.append(round(float(p), 1) if p is not None and p == p else None)
            _put_row(book, ws, row, vals, styles)
            row += 1
        last = row - 1
        _summary_setup(ws, widths, landscape=True, header_row=header_row, last_row=last,
                       ncols=ncols, area=area_name)
    else:
        widths = [6, 12, 30, 14]
        ncols = 4
        row = _summary_header(book, ws, "ร้อยละความครบถ้วนของข้อมูลนักเรียนรายโรงเรียน", ncols,
                              as_of, area_name)
        _empty(book, ws, row, ncols, "ไม่มีข้อมูลความครบถ้วน")
        _setup(ws, widths, title_rows=3)
    return book.save(path)

