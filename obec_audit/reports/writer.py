"""A round's reports: one pack per school (``reports/<school_code>.xlsx``), ``summary.xlsx``,
and (on request) their PDF copies."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from obec_audit.reports.errors import set_labels
from obec_audit.reports.pack import PACK_FINDING_EXTRA, PACK_STUDENT_COLUMNS, write_packs
from obec_audit.schema import FINDING_COLUMNS
from obec_audit.reports.pdf import to_pdf
from obec_audit.reports.summary import write_summary

if TYPE_CHECKING:  # round imports this module
    from obec_audit.round import RoundResult

__all__ = ["write_reports"]


def write_reports(
    result: RoundResult,
    out: Path,
    *,
    schools: pd.DataFrame | None = None,
    boarding: frozenset[str] | None = None,
    show_full_ids: bool = True,
    progress: bool = False,
    pdf: bool = False,
    meanwhile: Callable[[], object] | None = None,
) -> list[Path]:
    """One pack per school (``reports/<school_code>.xlsx``) and ``summary.xlsx``; with
    ``pdf``, also ``reports/<school_code>.pdf`` and ``summary.pdf`` (LibreOffice).
    ``meanwhile()``: more work for this process while the workers write the packs (after
    the summary; see ``write_packs``)."""
    names: dict[str, str] = {}
    if schools is not None and len(schools):
        names.update(dict(zip(schools["smis8"], schools["school_name"])))
    st = result.students
    if "school_name" in st:
        fromfile = st.dropna(subset=["school_code"]).drop_duplicates("school_code")
        for code, name in zip(fromfile["school_code"], fromfile["school_name"]):
            if isinstance(name, str) and name and code not in names:
                names[code] = name
    area_name = result.meta.get("area_name") or ""
    rdir = out / "reports"
    rdir.mkdir(parents=True, exist_ok=True)
    # a pack reads only some columns: they are cut once, before the frames are split by school
    keep = [c for c in st.columns if c == "school_code" or c in PACK_STUDENT_COLUMNS]
    by_school_st = dict(tuple(st[keep].groupby("school_code", sort=True, dropna=True)))
    # duplicate sets numbered once for the area: two schools see the same "ชุดที่ n"
    f = result.findings.assign(set_label=set_labels(result.findings))
    wanted = {*FINDING_COLUMNS, *PACK_FINDING_EXTRA}
    f_keep = f[[c for c in f.columns if c in wanted]]
    by_school_f = dict(tuple(f_keep.groupby("school_code", sort=True, dropna=True)))
    codes = sorted(set(by_school_st) | {c for c in by_school_f if isinstance(c, str) and c})
    empty_st = st[keep].iloc[0:0]
    packs = []
    for code in codes:
        safe = re.sub(r"[^0-9A-Za-z._-]", "_", str(code))
        packs.append(dict(
            path=rdir / f"{safe}.xlsx",
            school_code=code,
            school_name=names.get(code, ""),
            students=by_school_st.get(code, empty_st),
            findings=by_school_f.get(code, f_keep.iloc[0:0]),
            as_of=result.as_of,
            area_name=area_name,
            boarding_schools=boarding,
            show_full_ids=show_full_ids,
        ))
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(packs), file=sys.stderr, unit="โรงเรียน", desc="เขียนรายงาน", leave=False)

    def summary():
        _summary()
        if meanwhile is not None:
            meanwhile()

    def _summary():
        write_summary(
            out / "summary.xlsx",
            students=st,
            findings=f,
            completeness=result.completeness,
            school_completeness=result.school_completeness,
            schools=schools,
            as_of=result.as_of,
            area_name=area_name,
        )

    # the summary is written here while worker processes write the packs
    written = write_packs(packs, on_done=(lambda _p: bar.update(1)) if bar is not None else None,
                          meanwhile=summary)
    if bar is not None:
        bar.close()
    if pdf:
        files = [*written, out / "summary.xlsx"]
        bar = None
        if progress:
            from tqdm.auto import tqdm  # only with a progress bar (as for the packs above)

            bar = tqdm(total=len(files), file=sys.stderr, unit="แฟ้ม", desc="ทำ PDF",
                       leave=False)
        try:
            to_pdf(files, on_done=bar.update if bar is not None else None)
        finally:
            if bar is not None:
                bar.close()
    return written


