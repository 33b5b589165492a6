"""The area's ``summary.xlsx``, for the area director (ผอ.เขต) and group heads: Thai headings
and check titles (codes only in a column that is not printed), rows as high as their text,
headers at the top of every printed page, and the same school count as the command line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from obec_audit.reports.errors import _titles
from obec_audit.reports.forms import (
    DEFAULT_AREA, NO_FINDINGS_TEXT, SUMMARY_SHEETS, _clean_school_name, _empty,
)
from obec_audit.reports.layout import _Book, _col, _line, _setup, _text
from obec_audit.schema import FIELD_LABEL_TH, FINDING_COLUMNS, SEVERITY_ORDER, SEVERITY_TH
from obec_audit.thaidate import as_of_text

NO_DATA_TEXT = "ไม่มีข้อมูลที่อ่านได้"
#: between the checks listed for a school ("title n; title n")
CHECK_SEP = "; "


def _pct_column(df: pd.DataFrame) -> str | None:
    for c in ("percent_complete", "pct_complete", "percent", "complete_pct", "completeness"):
        if c in df.columns:
            return c
    for c in df.columns:
        if "pct" in str(c) or "percent" in str(c):
            return c
    return None


def _sheet(book, title: str, widths, *, landscape: bool, area_name: str, as_of,
           print_cols: int | None = None):
    ws = book.sheet(title)
    _setup(ws, widths, landscape=landscape, header=f"{area_name}   {as_of_text(as_of)}",
           footer=area_name)
    ws.print_cols = print_cols
    return ws


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
    findings by severity, percent complete, and each check found with its count, most
    serious first, by Thai title; a totals row), ``สรุปตามรายการตรวจ`` (per check: Thai title,
    severity, findings, schools affected) and ``ความครบถ้วน`` (percent complete per school ×
    field)."""
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
    sev_rank = {c: SEVERITY_ORDER.get(s, 9) for c, s in zip(f_check, f_sev)}
    titles = _titles(set(f_check))
    per = pd.DataFrame({"school": f_code, "check": f_check, "sev": f_sev})
    by_sc = per.groupby(["school", "check"], sort=False).agg(n=("check", "size"),
                                                            sev=("sev", "first")).reset_index()
    sev_ct = pd.crosstab(f_code, f_sev) if len(findings) else pd.DataFrame()

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
    heads = ["ลำดับ", "รหัสโรงเรียน", "ชื่อโรงเรียน", "จำนวนนักเรียน",
             SEVERITY_TH["error"], SEVERITY_TH["warning"], SEVERITY_TH["info"],
             "ร้อยละความครบถ้วน", "เรื่องที่พบ (จำนวนรายการ)"]
    widths = [6, 11, 24, 10, 10, 10, 10, 10, 66]
    ncols = len(heads)
    ws = _sheet(book, SUMMARY_SHEETS[0], widths, landscape=True, area_name=area_name,
                as_of=as_of)
    codes = table["school_code"].tolist()
    n_st = [int(st_count.get(c, 0)) for c in codes]
    with_data = sum(1 for x in n_st if x)
    no_data = len(codes) - with_data
    note = (f"โรงเรียนที่อ่านข้อมูลได้ {with_data:,} แห่ง  นักเรียน {len(students):,} คน  "
            f"ข้อค้นพบ {len(findings):,} รายการ"
            + (f"  (ไม่มีข้อมูลที่อ่านได้ {no_data:,} แห่ง)" if no_data else ""))
    row = _summary_header(book, ws, "สรุปผลการตรวจสอบข้อมูลนักเรียนรายโรงเรียน", ncols, as_of,
                          area_name, note)
    top: dict[str, str] = {}
    if len(by_sc):
        ranked = by_sc.assign(r=by_sc["check"].map(lambda c: sev_rank.get(c, 9))).sort_values(
            ["school", "r", "n"], ascending=[True, True, False], kind="stable")
        for code, grp in ranked.groupby("school", sort=False):
            top[code] = CHECK_SEP.join(f"{titles.get(c, c)} {n:,}"
                                       for c, n in zip(grp["check"], grp["n"]))
    sev_cols = {s: [int(sev_ct.loc[c, s]) if c in sev_ct.index and s in sev_ct.columns else 0
                    for c in codes] for s in ("error", "warning", "info")}
    pcts = []
    for c in codes:
        p = pct_by_school.get(c)
        pcts.append(round(float(p), 1) if p is not None and p == p else None)
    remark = [top.get(c, "") if n else (NO_DATA_TEXT + (CHECK_SEP + top[c] if top.get(c) else ""))
              for c, n in zip(codes, n_st)]
    overall = None
    if school_completeness is not None and len(school_completeness) and {
            "cells", "missing_cells"} <= set(school_completeness.columns):
        cells = pd.to_numeric(school_completeness["cells"], errors="coerce").sum()
        miss = pd.to_numeric(school_completeness["missing_cells"], errors="coerce").sum()
        overall = round(100.0 * (1 - miss / cells), 1) if cells else None
    elif pct_by_school:
        vals_ = [v for v in pct_by_school.values() if v == v]
        overall = round(sum(vals_) / len(vals_), 1) if vals_ else None
    cols = [range(1, len(codes) + 1), codes, table["school_name"].tolist(), n_st,
            sev_cols["error"], sev_cols["warning"], sev_cols["info"], pcts, remark]
    styles = ["cell_c", "cell_c", "cell", "num", "num", "num", "num", "pct", "cell_w"]
    total = ["", "", "รวม", sum(n_st), sum(sev_cols["error"]), sum(sev_cols["warning"]),
             sum(sev_cols["info"]), overall, ""]
    ws.table(row, cols, styles, widths, header=heads,
             last=(total, ["tot_l"] * 3 + ["tot_n"] * 4 + ["tot_p", "tot_l"]))
    ws.freeze = (row + 1, 4)

    # ---- sheet 2: per check (the code only as a reference, not printed)
    heads = ["ลำดับ", "เรื่อง", "ระดับ", "จำนวนรายการ", "จำนวนโรงเรียน", "รหัสตรวจ"]
    widths = [6, 44, 13, 13, 13, 18]
    ws = _sheet(book, SUMMARY_SHEETS[1], widths, landscape=False, area_name=area_name,
                as_of=as_of, print_cols=5)
    row = _summary_header(book, ws, "สรุปผลการตรวจสอบตามรายการตรวจ", 5, as_of, area_name)
    if len(findings):
        g = per.groupby("check").agg(n=("check", "size"),
                                     schools=("school", lambda s: s[s.ne("")].nunique()),
                                     sev=("sev", "first"))
        g = g.loc[sorted(g.index, key=lambda c: (SEVERITY_ORDER.get(g.loc[c, "sev"], 9), c))]
        n_sch_any = int(f_code[f_code.ne("")].nunique())
        ws.table(row, [range(1, len(g) + 1), [titles.get(c, c) for c in g.index],
                       [SEVERITY_TH.get(s, s) for s in g["sev"]], g["n"].astype(int).tolist(),
                       g["schools"].astype(int).tolist(), list(g.index)],
                 ["cell_c", "cell_w", "cell_c", "num", "num", "cell"], widths, header=heads,
                 last=(["", "รวม", "", len(findings), n_sch_any, ""],
                       ["tot_l"] * 3 + ["tot_n"] * 2 + ["tot_l"]))
    else:
        _empty(book, ws, row, 5, NO_FINDINGS_TEXT)

    # ---- sheet 3: completeness school × field
    names = dict(zip(table["school_code"], table["school_name"]))
    if completeness is not None and len(completeness) and _pct_column(completeness):
        pc = _pct_column(completeness)
        cp = completeness.assign(school_code=_text(completeness["school_code"]),
                                 field=_text(completeness["field"]))
        piv = cp.pivot_table(index="school_code", columns="field", values=pc, aggfunc="first")
        fields = list(dict.fromkeys(cp["field"]))
        heads = ["ลำดับ", "รหัสโรงเรียน", "ชื่อโรงเรียน"] + [FIELD_LABEL_TH.get(x, x)
                                                               for x in fields] + ["รวม"]
        widths = [6, 12, 26] + [9] * len(fields) + [9]
        ws = _sheet(book, SUMMARY_SHEETS[2], widths, landscape=True, area_name=area_name,
                    as_of=as_of)
        row = _summary_header(book, ws, "ร้อยละความครบถ้วนของข้อมูลนักเรียนรายโรงเรียน",
                              len(heads), as_of, area_name)
        idx = list(piv.index)
        cols = [range(1, len(idx) + 1), idx, [names.get(c, "") for c in idx]]
        for fld in fields:
            v = piv[fld] if fld in piv.columns else pd.Series(index=piv.index, dtype=float)
            cols.append([round(float(x), 1) if x == x else None for x in v.tolist()])
        cols.append([round(float(pct_by_school[c]), 1) if pct_by_school.get(c) is not None
                     and pct_by_school[c] == pct_by_school[c] else None for c in idx])
        ws.table(row, cols, ["cell_c", "cell_c", "cell"] + ["pct"] * (len(fields) + 1), widths,
                 header=heads)
    else:
        widths = [6, 12, 30, 14]
        ws = _sheet(book, SUMMARY_SHEETS[2], widths, landscape=False, area_name=area_name,
                    as_of=as_of)
        row = _summary_header(book, ws, "ร้อยละความครบถ้วนของข้อมูลนักเรียนรายโรงเรียน", 4,
                              as_of, area_name)
        _empty(book, ws, row, 4, "ไม่มีข้อมูลความครบถ้วน")

    return book.save(path)
