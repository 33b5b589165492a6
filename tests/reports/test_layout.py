"""The layout engine (obec_audit.reports.layout): pages laid out by the sheet, text measured
against the cells that print it."""

from __future__ import annotations

import openpyxl

from obec_audit.reports.layout import (
    LINE_PT, ROW_PT, _Book, _fit_text, _setup, cell_pt, lines_needed, text_pt,
)

WIDTHS = [7, 19, 31, 8, 7, 30]
HEAD = ["ลำดับ", "เลขประจำตัวประชาชน", "ชื่อ-นามสกุล", "ชั้น", "ห้อง", "ประเภท"]


def _long_table(n=300, text="เด็กยากจน"):
    book = _Book()
    ws = book.sheet("s")
    _setup(ws, WIDTHS, header="โรงเรียนทดสอบ รหัสโรงเรียน 57010001")
    cols = [range(1, n + 1), ["1101700230708"] * n, ["เด็กชายทดสอบ ระบบ"] * n, ["ป.1"] * n,
            ["1"] * n, [text] * n]
    end = ws.table(3, cols, ["cell_cn", "cell_c", "cell", "cell_c", "cell_c", "cell_w"],
                   header=HEAD)
    return book, ws, end


def test_a_long_table_starts_every_page_with_its_header():
    _, ws, end = _long_table()
    assert len(ws.breaks) >= 5
    for b in sorted(ws.breaks):
        assert ws.cells[b][1] == ("ลำดับ", "head")  # the header again at the page's top
    # no page holds more than the page's height
    starts = [1, *sorted(ws.breaks), end]
    for a, b in zip(starts, starts[1:]):
        assert sum(ws.height(r) for r in range(a, b)) <= ws.page_pt()
    # 300 data rows and one header per page
    assert end - 3 == 300 + len(ws.breaks) + 1


def test_a_block_that_does_not_fit_moves_whole_to_the_next_page():
    _, ws, end = _long_table(n=40)
    used = ws.used(end)
    rows_left = int((ws.page_pt() - used) // ROW_PT)
    ws.keep(end, rows_left + 2)  # two rows more than the page has left
    assert end in ws.breaks
    ws2 = _long_table(n=40)[1]
    ws2.keep(end, 1)
    assert end not in ws2.breaks


def test_wrapped_text_gets_the_height_of_its_lines_and_long_text_wraps():
    long = "ชื่อนามสกุลและวันเกิดตรงกับนักเรียนอีกรายการที่ใช้เลขประจำตัวต่างกัน " * 3
    book, ws, _ = _long_table(n=3, text=long)
    k = lines_needed(long, 30)
    assert k >= 3 and text_pt(long) > cell_pt(30)
    assert ws.heights[4] >= k * LINE_PT  # row 3 is the header
    # a one-line style with a value wider than its cell wraps instead of running on
    ws2 = book.sheet("t")
    _setup(ws2, [10, 10])
    ws2.table(1, [["สั้น", "ชื่อโรงเรียนที่ยาวมากเกินกว่าช่องนี้จะแสดงได้ในบรรทัดเดียว"], ["a", "b"]],
              ["cell", "cell"])
    assert ws2.tables[1][2][0] == "cell_w" and ws2.tables[1][2][1] == "cell"
    assert ws2.heights[2] > ROW_PT


def test_page_header_and_footer_fit_their_room(tmp_path):
    book, ws, _ = _long_table(n=5)
    ws.footer = "โรงเรียน" + "ชื่อยาวมาก" * 20
    path = book.save(tmp_path / "x.xlsx")
    s = openpyxl.load_workbook(path)["s"]
    assert "57010001" in s.oddHeader.center.text
    left = s.oddFooter.left.text
    assert left.endswith("…") and text_pt(left, 12) <= (595 - 72) / 3
    assert "&P" in s.oddFooter.center.text
    assert _fit_text("สั้น", 100) == "สั้น"
    assert not s.print_title_rows  # no rows repeated by the printer
    assert len(s.row_breaks.brk) == len(ws.breaks)
