"""A battery of odd and damaged inputs (issue 11), each built here: for every case the load does
not crash, gives the expected finding codes, loads the expected students, and accounts for
every record (rows in = student rows + blank + header/non-student rows)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from _iofiles import write_xlsx
from _oddfiles import (
    HEADER, csv_text, html_table, ods_bytes, pid, students, table, xls_bytes, xml2003, zip_bytes,
)
from obec_audit.io.students import load_students

N = 12
T = table(N)


def _w(p: Path, data) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


def _xlsx_bytes(tmp: Path, rows, **kw) -> bytes:
    return write_xlsx(tmp / "_tmp.xlsx", rows, **kw).read_bytes()


def c_clean_csv(d):
    _w(d / "a.csv", csv_text(T))


def c_cp874(d):
    _w(d / "a.csv", csv_text(T).encode("cp874"))


def c_bom(d):
    _w(d / "a.csv", csv_text(T).encode("utf-8-sig"))


def c_utf16_txt(d):  # Excel "Unicode Text"
    _w(d / "a.txt", csv_text(T, "\t").encode("utf-16"))


def c_utf16_named_xls(d):
    _w(d / "a.xls", csv_text(T, "\t").encode("utf-16"))


def c_utf16le_no_bom(d):
    _w(d / "a.txt", csv_text(T, "\t").encode("utf-16-le"))


def c_semicolon(d):
    _w(d / "a.csv", csv_text(T, ";"))


def c_cr_only(d):
    _w(d / "a.csv", csv_text(T, eol="\r"))


def c_unbalanced_quote(d):
    rows = [r[:] for r in T]
    rows[3][6] = "###"
    _w(d / "a.csv", csv_text(rows).replace("###", '"สมศรี'))


def c_two_stray_quotes(d):
    rows = [r[:] for r in T]
    rows[2][6], rows[9][7] = "###", "%%%"
    _w(d / "a.csv", csv_text(rows).replace("###", '"สมศรี').replace("%%%", 'ใจ"'))


def c_nul_byte(d):
    text = csv_text(T)
    i = text.index(T[5][6])
    _w(d / "a.csv", (text[:i] + "\x00" + text[i:]).encode("utf-8"))


def c_long_field(d):
    rows = [r[:] for r in T]
    rows[4][7] = "ก" * 200_000
    _w(d / "a.csv", csv_text(rows))


def c_extra_separator(d):
    rows = [r[:] for r in T]
    rows[6] = rows[6][:6] + ["สม", "ชาย"] + rows[6][6:]  # a comma typed inside a name
    _w(d / "a.csv", csv_text(rows))


def c_truncated(d):
    text = csv_text(T)
    _w(d / "a.csv", text[: len(text) - 25])


def c_blank_lines(d):
    rows = T[:4] + [[], ["", "", ""]] + T[4:] + [[]]
    _w(d / "a.csv", csv_text(rows))


def c_xlsx_named_xls(d):
    _w(d / "a.xls", _xlsx_bytes(d.parent, T))


def c_csv_named_xlsx(d):
    _w(d / "a.xlsx", csv_text(T))


def c_html_named_xls(d):
    _w(d / "a.xls", html_table(T))


def c_html_two_tables(d):
    _w(d / "a.xls", html_table(T, before='<table><tr><td>รายชื่อนักเรียน โรงเรียนบ้านทดสอบ</td></tr></table>'))


def c_xml2003(d):
    _w(d / "a.xls", xml2003(T))


def c_ods(d):
    _w(d / "a.ods", ods_bytes({"Sheet1": T}))


def c_ods_named_xlsx(d):
    _w(d / "a.xlsx", ods_bytes({"Sheet1": T}))


def c_biff_xls(d):
    d.mkdir(parents=True, exist_ok=True)
    xls_bytes(T, d / "a.xls")


def c_biff_named_xlsx(d):
    d.mkdir(parents=True, exist_ok=True)
    xls_bytes(T, d / "b.xls").rename(d / "a.xlsx")


def c_zip_of_exports(d):
    _w(d / "exports.zip", zip_bytes({"s1/57010001.csv": csv_text(T).encode(),
                                     "57010002.xlsx": _xlsx_bytes(d.parent, table(N, school="57010002", start=50))}))


def c_zip_in_zip(d):
    inner = zip_bytes({"57010001.csv": csv_text(T).encode()})
    _w(d / "outer.zip", zip_bytes({"inner.zip": inner}))


def c_zip_with_readme(d):
    _w(d / "exports.zip", zip_bytes({"a.csv": csv_text(T).encode(), "อ่านก่อน.txt": "ส่งภายใน 25 มิ.ย.".encode()}))


def c_zip_corrupt(d):
    _w(d / "a.csv", csv_text(T))
    _w(d / "exports.zip", b"PK\x03\x04" + os.urandom(300))


def c_symlink_loop(d):
    _w(d / "sub" / "a.csv", csv_text(T))
    (d / "sub" / "back").symlink_to(d, target_is_directory=True)


def c_symlinked_folder(d):
    real = d.parent / "elsewhere"
    _w(real / "a.csv", csv_text(T))
    d.mkdir(parents=True, exist_ok=True)
    (d / "link").symlink_to(real, target_is_directory=True)


def c_broken_link(d):
    _w(d / "a.csv", csv_text(T))
    (d / "gone.xlsx").symlink_to(d / "nowhere.xlsx")


def c_linked_file(d):
    _w(d / "a.csv", csv_text(T))
    (d / "copy.csv").symlink_to(d / "a.csv")


def c_duplicate_bytes(d):
    _w(d / "a.csv", csv_text(T))
    _w(d / "a (1).csv", csv_text(T))


def c_footer_signature(d):
    rows = T + [[], ["รวมทั้งสิ้น 12 คน"], [None, None, None, None, None, None, "ลงชื่อ..............................."],
                [None, None, None, None, None, None, "(นายสมศักดิ์ ใจดี)"],
                [None, None, None, None, None, None, "ผู้อำนวยการโรงเรียนบ้านทดสอบ"]]
    d.mkdir(parents=True, exist_ok=True)
    write_xlsx(d / "a.xlsx", rows)


def c_footer_in_csv(d):
    _w(d / "a.csv", csv_text(T + [["รวม", "", "", "", "", "", "", "", ""], ["", "", "", "", "", "", "12 คน", "", ""]]))


def c_repeated_header(d):
    rows = [["รายชื่อนักเรียน โรงเรียนบ้านทดสอบ"], *T[:7], ["หน้า 2"], HEADER, *T[7:]]
    _w(d / "a.csv", csv_text(rows))


def c_sheet_per_class(d):
    d.mkdir(parents=True, exist_ok=True)
    write_xlsx(d / "a.xlsx", [HEADER, *students(4)], sheet="ป.1",
               more={"ป.2": [HEADER, *students(4, start=4)], "ป.3": [HEADER, *students(4, start=8)]})


def c_instructions_sheet_first(d):
    d.mkdir(parents=True, exist_ok=True)
    write_xlsx(d / "a.xlsx", [["คำชี้แจง"], ["1. กรอกข้อมูลให้ครบทุกช่อง"], ["2. ส่งภายในวันที่ 25"]],
               sheet="คำชี้แจง", more={"ข้อมูล": T})


def c_summary_sheet(d):
    d.mkdir(parents=True, exist_ok=True)
    write_xlsx(d / "a.xlsx", T, sheet="รายชื่อ",
               more={"สรุป": [["ระดับชั้น", "ชาย", "หญิง", "รวม"], ["ป.1", 1, 1, 2], ["รวมทั้งสิ้น", 6, 6, 12]]})


def c_no_list_anywhere(d):
    d.mkdir(parents=True, exist_ok=True)
    write_xlsx(d / "a.xlsx", [["ระดับชั้น", "ชาย", "หญิง"], ["ป.1", 1, 1]])


def c_pdf_named_xlsx(d):
    _w(d / "a.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")


def c_pdf_in_folder(d):
    _w(d / "a.csv", csv_text(T))
    _w(d / "หนังสือนำส่ง.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n")


def c_image_in_folder(d):
    _w(d / "a.csv", csv_text(T))
    _w(d / "photo.jpg", b"\xff\xd8\xff\xe0" + os.urandom(200))


def c_docx_in_folder(d):
    _w(d / "a.csv", csv_text(T))
    _w(d / "memo.docx", zip_bytes({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}))


def c_encrypted(d):
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le")
    _w(d / "a.xlsx", body + b"\x00" * 600)


def c_random_xls(d):
    _w(d / "a.xls", os.urandom(3000).replace(b"\xd0", b"\x01"))


def c_zero_bytes(d):
    _w(d / "a.xlsx", b"")


def c_lock_file(d):
    _w(d / "a.csv", csv_text(T))
    _w(d / "~$a.xlsx", b"lock")


def c_injection(d):
    rows = [r[:] for r in T]
    rows[1][6] = '=HYPERLINK("http://x.example","คลิก")'
    rows[2][7] = "=cmd|' /C calc'!A0"
    _w(d / "a.csv", csv_text(rows))


def c_scientific_id(d):
    rows = [r[:] for r in T]
    rows[2][1] = "1.57013E+12"
    _w(d / "a.csv", csv_text(rows))


def c_title_rows_above(d):
    _w(d / "a.csv", csv_text([["แบบรายงานข้อมูลนักเรียน"], ["ข้อมูล ณ วันที่ 10 มิถุนายน 2569"], [], *T]))


def c_mixed_good_and_bad(d):
    _w(d / "good.csv", csv_text(T))
    _w(d / "bad.xlsx", os.urandom(500))
    _w(d / "page.xls", "<html><body><p>session expired</p></body></html>")


def c_html_no_table(d):
    _w(d / "a.xls", "<html><body><p>เข้าสู่ระบบใหม่</p></body></html>")


#: case → (builder, finding codes expected (exactly, as a set), students loaded)
CASES = {
    "clean-csv": (c_clean_csv, set(), N),
    "cp874": (c_cp874, set(), N),
    "utf8-bom": (c_bom, set(), N),
    "utf16-unicode-text": (c_utf16_txt, set(), N),
    "utf16-named-xls": (c_utf16_named_xls, set(), N),
    "utf16le-no-bom": (c_utf16le_no_bom, set(), N),
    "semicolon": (c_semicolon, set(), N),
    "cr-only-lines": (c_cr_only, set(), N),
    "unbalanced-quote": (c_unbalanced_quote, {"rows-merged"}, N),
    "two-stray-quotes": (c_two_stray_quotes, {"rows-merged"}, N),
    "nul-byte": (c_nul_byte, {"row-damaged"}, N),
    "over-long-field": (c_long_field, {"row-damaged"}, N),
    "extra-separator": (c_extra_separator, {"row-damaged"}, N),
    "truncated": (c_truncated, {"row-damaged"}, N),
    "blank-lines": (c_blank_lines, set(), N),
    "xlsx-named-xls": (c_xlsx_named_xls, set(), N),
    "csv-named-xlsx": (c_csv_named_xlsx, set(), N),
    "html-named-xls": (c_html_named_xls, set(), N),
    "html-two-tables": (c_html_two_tables, {"file-skipped"}, N),
    "xml2003-named-xls": (c_xml2003, set(), N),
    "ods": (c_ods, set(), N),
    "ods-named-xlsx": (c_ods_named_xlsx, set(), N),
    "biff-xls": (c_biff_xls, set(), N),
    "biff-named-xlsx": (c_biff_named_xlsx, set(), N),
    "zip-of-exports": (c_zip_of_exports, set(), 2 * N),
    "zip-in-zip": (c_zip_in_zip, set(), N),
    "zip-with-readme": (c_zip_with_readme, {"file-skipped"}, N),
    "zip-corrupt": (c_zip_corrupt, {"file-unreadable"}, N),
    "symlink-loop": (c_symlink_loop, {"file-skipped"}, N),
    "symlinked-folder": (c_symlinked_folder, set(), N),
    "broken-link": (c_broken_link, {"file-unreadable"}, N),
    "duplicate-bytes": (c_duplicate_bytes, {"file-skipped"}, N),
    "linked-file": (c_linked_file, {"file-skipped"}, N),
    "footer-signature-xlsx": (c_footer_signature, set(), N),
    "footer-csv": (c_footer_in_csv, set(), N),
    "repeated-header": (c_repeated_header, set(), N),
    "sheet-per-class": (c_sheet_per_class, set(), N),
    "instructions-sheet": (c_instructions_sheet_first, {"file-skipped"}, N),
    "summary-sheet": (c_summary_sheet, {"file-skipped"}, N),
    "no-list-anywhere": (c_no_list_anywhere, {"file-unreadable"}, 0),
    "pdf-named-xlsx": (c_pdf_named_xlsx, {"file-unreadable"}, 0),
    "pdf-in-folder": (c_pdf_in_folder, {"file-skipped"}, N),
    "image-in-folder": (c_image_in_folder, {"file-skipped"}, N),
    "docx-in-folder": (c_docx_in_folder, {"file-skipped"}, N),
    "encrypted": (c_encrypted, {"file-unreadable"}, 0),
    "random-bytes-xls": (c_random_xls, {"file-unreadable"}, 0),
    "zero-bytes": (c_zero_bytes, {"file-unreadable"}, 0),
    "lock-file": (c_lock_file, set(), N),
    "csv-injection": (c_injection, set(), N),
    "scientific-id": (c_scientific_id, set(), N),
    "title-rows-above": (c_title_rows_above, set(), N),
    "mixed-good-and-bad": (c_mixed_good_and_bad, {"file-unreadable"}, N),
    "html-without-table": (c_html_no_table, {"file-unreadable"}, 0),
}


def _accounting_holds(res) -> None:
    f = res.files
    parts = f["rows_loaded"] + f["rows_blank"] + f["rows_skipped"] + f["rows_header"] + f["rows_non_student"]
    assert (f["rows_total"] == parts).all(), f.to_string()
    under = f["rows_loaded"] + f["rows_blank"] + f["rows_skipped"] + f["rows_non_student"]
    ok = f["status"].eq("ok")
    assert (f.loc[ok, "rows_read"] == under[ok]).all()
    assert int(f["rows_loaded"].sum()) == len(res.frame)


@pytest.mark.parametrize("case", list(CASES))
def test_battery(tmp_path, case):
    build, codes, n = CASES[case]
    d = tmp_path / "in"
    build(d)
    res = load_students(d)
    assert set(res.findings["check"]) == codes, res.findings[["check", "source_file", "message"]].to_string()
    assert len(res.frame) == n, res.files.to_string()
    _accounting_holds(res)
    # every file met is listed; every file not read has a finding (ignored system files excepted)
    not_read = res.files[~res.files["status"].isin(["ok", "folder", "archive", "ignored", "empty"])]
    named = set(res.findings["source_file"])
    assert set(not_read["source_file"]) <= named
    if n:
        assert res.frame["national_id"].notna().all()


def test_battery_has_at_least_40_cases():
    assert len(CASES) >= 40


def test_merged_lines_are_recovered_with_their_line_numbers(tmp_path):
    c_unbalanced_quote(tmp_path)
    res = load_students(tmp_path / "a.csv")
    assert res.frame["source_row"].tolist() == list(range(2, N + 2))
    m = res.findings[res.findings["check"].eq("rows-merged")].iloc[0]
    assert (m["source_file"], int(m["source_row"])) == ("a.csv", 4)
    assert m["severity"] == "warning" and '"สมศรี' in m["value"]
    assert res.frame["first_name"].str.len().max() < 50  # nothing swallowed


def test_non_student_rows_are_listed_in_files(tmp_path):
    c_footer_signature(tmp_path)
    f = load_students(tmp_path / "a.xlsx").files.iloc[0]
    assert (f["rows_non_student"], f["rows_blank"], f["rows_total"]) == (4, 1, N + 6)
    assert "15:footer" in f["non_student_rows"] and "16:signature" in f["non_student_rows"]


def test_sheets_flow_to_source_sheet(tmp_path):
    c_sheet_per_class(tmp_path)
    res = load_students(tmp_path / "a.xlsx")
    assert res.frame["source_sheet"].tolist() == ["ป.1"] * 4 + ["ป.2"] * 4 + ["ป.3"] * 4
    assert res.frame["national_id"].tolist() == [pid(k + 1) for k in range(N)]


def test_zip_members_are_named_after_their_archive(tmp_path):
    c_zip_of_exports(tmp_path)
    res = load_students(tmp_path)
    assert sorted(set(res.frame["source_file"])) == ["exports.zip:57010001.csv", "exports.zip:57010002.xlsx"]
    assert set(res.frame["school_code"]) == {"57010001", "57010002"}


def test_scientific_id_reported_as_read(tmp_path):
    c_scientific_id(tmp_path)
    res = load_students(tmp_path / "a.csv")
    assert res.frame["national_id"].iloc[1] == "1.57013E+12"
    assert res.frame["id_type"].iloc[1] == "invalid"


def test_unreadable_folder_is_a_finding(tmp_path, monkeypatch):
    _w(tmp_path / "ok" / "a.csv", csv_text(T))
    (tmp_path / "locked").mkdir()
    real = Path.iterdir

    def iterdir(self):
        if self.name == "locked":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    res = load_students(tmp_path)
    assert len(res.frame) == N
    f = res.findings
    assert f[["check", "source_file"]].values.tolist() == [["file-unreadable", "locked"]]
    assert res.files.set_index("source_file").loc["locked", "status"] == "unreadable"


def test_unreadable_message_says_what_the_file_is(tmp_path):
    c_pdf_named_xlsx(tmp_path)
    msg = load_students(tmp_path / "a.xlsx").findings["message"].iloc[0]
    assert "PDF" in msg


def test_row_findings_name_the_school_of_the_rows(tmp_path):
    c_nul_byte(tmp_path)  # a.csv: no school code in the name
    res = load_students(tmp_path / "a.csv")
    assert res.findings["school_code"].tolist() == ["57010001"]
