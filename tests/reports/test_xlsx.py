"""The fast xlsx writer (obec_audit.reports.xlsx) against openpyxl's, on the same layouts."""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree as ET

import pandas as pd
import pytest

from obec_audit.reports import layout, write_school_pack, write_summary
from obec_audit.reports.layout import _Book, _setup
from obec_audit.reports.xlsx import describe
from reports_frames import AS_OF, SCHOOL, make_findings, make_students  # noqa: E402


def _both(book: _Book, tmp_path):
    a = book.save(tmp_path / "openpyxl.xlsx", engine="openpyxl")
    b = book.save(tmp_path / "fast.xlsx", engine="fast")
    return describe(a), describe(b), b


def _capture(monkeypatch) -> list:
    """The layouts the report functions save (their books), kept for a second writing."""
    books = []
    save = _Book.save

    def keep(self, path, engine=None):
        books.append(self)
        return save(self, path, engine)

    monkeypatch.setattr(_Book, "save", keep)
    return books


def _awkward_findings() -> pd.DataFrame:
    f = make_findings()
    f.loc[0, "value"] = '="1101700230708"'  # looks like a formula: stays text
    f.loc[1, "value"] = "#N/A"  # an Excel error code: stays text
    f.loc[2, "value"] = "  a < b & c > d \"q\" 'x'\r\nnew line  "  # escaping, spaces kept
    f.loc[3, "value"] = "ab\x01c\x1f"  # control characters cannot go into XML
    f.loc[4, "source_row"] = pd.NA
    return f


def test_pack_same_as_openpyxl(tmp_path, monkeypatch):
    books = _capture(monkeypatch)
    write_school_pack(tmp_path / "p.xlsx", school_code=SCHOOL, school_name="บ้าน & ทดสอบ",
                      students=make_students(), findings=_awkward_findings(), as_of=AS_OF,
                      boarding_schools={"57010002"})
    a, b, path = _both(books[0], tmp_path)
    assert a == b
    cells = b["ข้อผิดพลาด"]["cells"]
    assert any(v == '="1101700230708"' and t == "s" for v, t, _ in cells.values())
    assert any(isinstance(v, str) and "a < b & c > d \"q\" 'x'\r\nnew line" in v
               for v, _, _ in cells.values())
    assert not any(isinstance(v, str) and "\x01" in v for v, _, _ in cells.values())
    assert b["1-จำนวนนักเรียน"]["header_footer"][0][1][0].count("&&") == 1  # '&' as '&&'
    with zipfile.ZipFile(path) as z:  # every part is well-formed XML
        for name in z.namelist():
            ET.fromstring(z.read(name))


def test_long_list_with_page_breaks_same_as_openpyxl(tmp_path, monkeypatch):
    st = pd.concat([make_students()] * 40, ignore_index=True)  # several printed pages
    books = _capture(monkeypatch)
    write_school_pack(tmp_path / "p.xlsx", school_code=SCHOOL, school_name="บ้านทดสอบ",
                      students=st, findings=make_findings(), as_of=AS_OF)
    a, b, _ = _both(books[0], tmp_path)
    assert a == b
    assert any(b[s]["breaks"] for s in b["sheets"])  # the breaks were compared


def test_notice_and_summary_same_as_openpyxl(tmp_path, monkeypatch):
    books = _capture(monkeypatch)
    write_school_pack(tmp_path / "n.xlsx", school_code=SCHOOL, school_name="x",
                      students=make_students().iloc[0:0], findings=make_findings(), as_of=AS_OF)
    write_summary(tmp_path / "s.xlsx", students=make_students(), findings=make_findings(),
                  as_of=AS_OF, area_name="สพป.ทดสอบ เขต 1")
    for book in list(books):  # (saving again adds to books)
        a, b, _ = _both(book, tmp_path)
        assert a == b
    assert describe(tmp_path / "s.xlsx")["สรุปรายโรงเรียน"]["view"][2] is not None  # frozen


def test_freeze_filter_numbers_and_booleans(tmp_path):
    book = _Book()
    for title, freeze in (("rows", (3, 1)), ("cols", (1, 3)), ("both", (4, 2))):
        ws = book.sheet(title)
        _setup(ws, [10, 12, 14], header="หัว", footer="ท้าย")
        ws.table(1, [[1, 2.5, float("nan"), None, True], ["a", "", " b", "c", "d"],
                     [10**12, -3, 0.1, 7, False]], ["num", "cell", "pct"], header=["x", "y", "z"])
        ws.freeze = freeze
        ws.autofilter = "A1:C6"
        ws.print_cols = 2
    a, b, _ = _both(book, tmp_path)
    assert a == b
    assert b["both"]["view"][2] == "B4" and b["cols"]["view"][2] == "C1"
    assert b["rows"]["cells"]["A2"][:2] == (1, "n") and b["rows"]["cells"]["A6"][:2] == (True, "b")


def test_unknown_engine(tmp_path):
    with pytest.raises(ValueError):
        _Book().save(tmp_path / "x.xlsx", engine="nope")


def test_styles_part_holds_every_style():
    from obec_audit.reports.xlsx import _template

    _, _, sid = _template()
    assert set(sid) == set(layout._STYLE_SPECS)
    # styles of equal look share one cell format, different looks never do
    by_id: dict = {}
    for key, i in sid.items():
        by_id.setdefault(i, set()).add(layout._STYLE_SPECS[key])
    assert all(len(specs) == 1 for specs in by_id.values())
