"""The packs and the summary as they print: the demo area's round 1 through the ``--pdf``
path (LibreOffice), read back page by page with poppler. Each test is one of issue 12's
defects, judged on the paper a director signs or a supervisor reads."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from obec_audit.reports.pdf import to_pdf
from obec_audit.round import run_round

from reports_printed import overlaps, page_texts, page_words, plain, require_printing


#: a check code as the registry spells them (id-format, dup-id-area, file-unreadable …)
CODE = re.compile(r"\b(?:id|dup|field|sex|age|birthdate|body|boarding|file|left|moved|staff|"
                  r"mobec|bobec|class|grade|room)-[a-z]+(?:-[a-z]+)*\b")
#: a row of a list of students: number, then an ID (or what is shown instead), then a name
LIST_ROW = re.compile(r"^\s*\d+\s+(?:\d{13}|G\d{12}|อ่านเลขไม่ได้|-|\S*x{5,}\S*)\s+\S")
LIST_HEAD = re.compile(r"ลำดับ\s+เลขประจำตัวประชาชน\s+ชื่อ-นามสกุล")
#: a row of report 1's part 2 (grade, room, numbers) and of the errors sheet
ROOM_ROW = re.compile(r"^\s*(?:อ|ป|ม)\.\d\s+\S+\s+\d+\s+\d+\s+\d+\s*$")
ERROR_ROW = re.compile(r"^\s*\d+\s+(?:ข้อผิดพลาด|ควรตรวจสอบ|แจ้งเพื่อทราบ)\s")


@pytest.fixture(scope="module")
def printed(tmp_path_factory, demo_census):
    """Round 1 of the demo, and the schools the issue names printed to PDF as ``--pdf``
    prints them: the smallest and largest school, the one with most findings, one whose
    file could not be read, and the summary. (All 104 packs take minutes: ``--pdf`` on a
    whole area is tested in test_pdf.py on a few schools.)"""
    require_printing()
    out = tmp_path_factory.mktemp("round1")
    res = run_round(demo_census, out, as_of="10/06/2569",
                    boarding_schools=demo_census.parents[1] / "boarding_schools.csv")
    n = res.students["school_code"].value_counts()
    f = res.findings
    unreadable = f.loc[f["check"].eq("file-unreadable"), "school_code"].dropna()
    picks = {
        "smallest": n.index[-1],
        "largest": n.index[0],
        "most_findings": f["school_code"].value_counts().index[0],
        "unreadable": unreadable[~unreadable.isin(n.index)].iloc[0],
        # the longest name: the footer overlapped itself for long names (defect 5)
        "longest_name": res.students.assign(k=res.students["school_name"].astype("string")
                                            .str.len()).sort_values("k")["school_code"].iloc[-1],
    }
    to_pdf([*(out / "reports" / f"{c}.xlsx" for c in picks.values()), out / "summary.xlsx"])
    return res, out, picks


def pages(out: Path, code: str) -> list[str]:
    return page_texts(out / "reports" / f"{code}.pdf")


@pytest.mark.parametrize("which", ["smallest", "largest", "most_findings", "longest_name"])
def test_every_page_carries_the_school_and_a_header_fitting_its_rows(printed, which):
    _, out, picks = printed
    code = picks[which]
    for i, text in enumerate(pages(out, code), start=1):
        where = f"{code} page {i}"
        assert code in text, where
        lines = text.splitlines()
        heads = [j for j, x in enumerate(lines) if LIST_HEAD.search(x)]
        rows = [j for j, x in enumerate(lines) if LIST_ROW.match(x)]
        # a list's rows stand under the list's header on the same page …
        if rows:
            assert heads and heads[0] < rows[0], where
        # … and a list's header stands above list rows, never above another table (defect 1)
        for h in heads:
            assert any(r > h for r in rows), where
        room_rows = [j for j, x in enumerate(lines) if ROOM_ROW.match(x)]
        if room_rows:  # report 1: its column headers on every page (defect 6)
            assert any(j < room_rows[0] and "ชาย" in x and "หญิง" in x
                       for j, x in enumerate(lines)), where
        err_rows = [j for j, x in enumerate(lines) if ERROR_ROW.match(x)]
        if err_rows:
            assert any(j < err_rows[0] and "สิ่งที่ต้องแก้ไข" in x for j, x in enumerate(lines)), where


@pytest.mark.parametrize("which", ["smallest", "largest", "most_findings", "longest_name",
                                   "summary"])
def test_no_text_runs_past_its_cell_or_over_other_text(printed, which):
    """Clipped text (defect 7, summary rows of defect 8) and overlapping footers (defect 5)
    leave words whose boxes overlap: the PDF keeps the clipped words where the next cell's
    text is."""
    _, out, picks = printed
    pdf = out / "summary.pdf" if which == "summary" else out / "reports" / f"{picks[which]}.pdf"
    for i, words in enumerate(page_words(pdf), start=1):
        assert not overlaps(words), (pdf.name, i, overlaps(words)[:3])


@pytest.mark.parametrize("which", ["smallest", "largest", "most_findings", "summary"])
def test_no_english_check_code_where_people_read(printed, which):
    _, out, picks = printed
    texts = (page_texts(out / "summary.pdf") if which == "summary"
             else pages(out, picks[which]))
    for i, text in enumerate(texts, start=1):
        assert not CODE.search(text), (which, i, CODE.search(text).group(0))
        assert not re.search(r"\b(?:DA|DS|DP)-[0-9a-f]{6,}", text), (which, i)  # set hashes


def test_smallest_pack_prints_on_at_most_six_pages(printed):
    _, out, picks = printed
    assert len(pages(out, picks["smallest"])) <= 6


def test_excel_damage_is_one_instruction_per_file(printed):
    """Defect 2: IDs Excel turned into 1.5702E+12 are one row with what to do, and the
    garbled value is never printed as an ID."""
    res, out, picks = printed
    code = picks["most_findings"]
    f = res.findings[res.findings["school_code"].eq(code)]
    damaged = f["value"].astype("string").str.fullmatch(r"\d+(\.\d+)?E\+\d+").fillna(False)
    assert damaged.sum() >= 10  # the demo's damaged file
    per_file = f[damaged].groupby("source_file").size()
    ws = openpyxl.load_workbook(out / "reports" / f"{code}.xlsx")["ข้อผิดพลาด"]
    rows = [r for r in ws.iter_rows(values_only=True) if r[-1] == "id-format"]
    assert len(rows) == len(per_file)  # one row per damaged file …
    assert all("ดาวน์โหลดรายชื่อนักเรียนจาก DMC ใหม่" in r[8] for r in rows)  # … saying what to do
    text = "\n".join(pages(out, code))
    for n in per_file:
        assert plain(f"{n:,} คน") in plain(text)
    assert not re.search(r"^\s*\d+\s+\d+E\+\d+", text, re.M)  # no list row led by 15702E+12


def test_unreadable_school_gets_a_notice_without_signature(printed):
    """Defect 3: nothing read, nothing to certify."""
    _, out, picks = printed
    text = plain("\n".join(pages(out, picks["unreadable"])))
    assert plain("แจ้งโรงเรียนส่งแฟ้มรายชื่อนักเรียนใหม่") in text and "DMC" in text
    assert plain("ขอรับรอง") not in text and plain("ลงชื่อ") not in text


def test_rooms_are_classrooms_of_known_grades(printed):
    """Defect 4: the room count of report 1 is the number of (grade, room) pairs."""
    res, out, picks = printed
    code = picks["largest"]
    st = res.students[res.students["school_code"].eq(code)]
    known = st[st["grade"].notna() & st["room"].notna()]
    rooms = len(known[["grade", "room"]].drop_duplicates())
    assert plain(f"จำนวนห้องเรียน {rooms:,} ห้อง") in plain(pages(out, code)[0])


def test_summary_counts_schools_as_the_command_line_does(printed):
    """Defect 8: the school count on the summary is the round's."""
    res, out, _ = printed
    first = page_texts(out / "summary.pdf")[0]
    assert plain(f"โรงเรียนที่อ่านข้อมูลได้ {res.meta['counts']['schools']:,} แห่ง") in plain(first)


def test_footer_and_header_on_every_page(printed):
    _, out, picks = printed
    for code in (picks["largest"], picks["most_findings"]):
        texts = pages(out, code)
        for i, text in enumerate(texts, start=1):
            assert plain(f"หน้า {i} จาก {len(texts)}") in plain(text)
            assert plain("ข้อมูล ณ วันที่ 10 มิถุนายน 2569") in plain(text)
