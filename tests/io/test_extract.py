"""The large-extract path (obec_audit.io.extract) gives the Excel path's rows and findings."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from _iofiles import write_xlsx  # noqa: E402

from obec_audit.checks.registry import CheckInput, run_checks  # noqa: E402
from obec_audit.io import load_students  # noqa: E402
from obec_audit.io import extract as X  # noqa: E402
from obec_audit.io.aliases import LAYOUT_B_HEADERS, STUDENT_ALIASES  # noqa: E402
from obec_audit.io.readers import build_lookup, header_key  # noqa: E402

AS_OF = dt.date(2026, 6, 10)
SCHOOLS = ["57010001", "57010002", "57010003", "57010004"]
FIRST_M = ["สมชาย", "ก้องภพ", "ธนากร", "วีรพงษ์", "ณัฐวุฒิ", "กิตติศักดิ์", "พีรพัฒน์", "อนุชา"]
FIRST_F = ["สมศรี", "กิ่งแก้ว", "น้ำฝน", "ปวีณา", "สุนิสา", "อรทัย", "พิมพ์ชนก", "ศิริพร"]
LAST = ["ใจดี", "ศรีสุข", "แก้วมณี", "ทองคำ", "บุญมา", "สุขสวัสดิ์", "วงศ์ใหญ่", "คำแสน", "ปัญญาดี",
        "มั่นคง", "อินทร์แก้ว", "จันทร์เพ็ญ", "ศรีวงศ์", "บุญเรือง", "พรหมมา", "ชัยมงคล"]


def _pin(rng) -> str:
    d = [1] + list(rng.integers(0, 10, 11))
    cd = (11 - sum(x * (13 - i) for i, x in enumerate(d)) % 11) % 10
    return "".join(map(str, d)) + str(cd)


def _student(rng, school: str, k: int) -> dict:
    sex = "ช" if k % 2 == 0 else "ญ"
    grade = int(rng.integers(1, 7))
    year = 2569 - 6 - grade  # B.E.
    first = (FIRST_M if sex == "ช" else FIRST_F)[int(rng.integers(0, 8))]
    last = LAST[int(rng.integers(0, len(LAST)))] + LAST[int(rng.integers(0, len(LAST)))]
    parents = last if k % 4 else "ใจดี"  # mostly the child's surname (``distinct.Column.repeating``)
    return {
        "รหัสโรงเรียน": school, "ชื่อโรงเรียน": f"โรงเรียนบ้าน{school[-2:]}",
        "เลขประจำตัวประชาชน": _pin(rng), "ชั้น": f"ป.{grade}", "ห้อง": str(1 + k % 2),
        "เลขประจำตัวนักเรียน": str(1000 + k), "เพศ": sex,
        "คำนำหน้าชื่อ": "เด็กชาย" if sex == "ช" else "เด็กหญิง", "ชื่อ": first,
        "นามสกุล": last,
        "วันเกิด": f"{int(rng.integers(1, 29)):02d}/{int(rng.integers(1, 13)):02d}/{year}",
        "อายุ(ปี)": str(6 + grade), "น้ำหนัก": str(20 + grade * 3), "ส่วนสูง": str(110 + grade * 5),
        "กลุ่มเลือด": "O", "ศาสนา": "พุทธ", "เชื้อชาติ": "ไทย", "สัญชาติ": "ไทย", "บ้านเลขที่": str(k),
        "หมู่": "3", "ถนน/ซอย": "-", "ตำบล": "ตำบลหนึ่ง", "อำเภอ": "อำเภอสอง", "จังหวัด": "เชียงราย",
        "ชื่อผู้ปกครอง": "สมหมาย", "นามสกุลผู้ปกครอง": parents, "อาชีพของผู้ปกครอง": "เกษตรกร",
        "ความเกี่ยวข้องของผู้ปกครองกับนักเรียน": "บิดา", "ชื่อบิดา": "สมหมาย", "นามสกุลบิดา": parents,
        "อาชีพของบิดา": "เกษตรกร", "ชื่อมารดา": "สมใจ", "นามสกุลมารดา": " " if k == 5 else parents,
        "อาชีพของมารดา": "ค้าขาย",
        "ความด้อยโอกาส": "เด็กยากจน" if k % 3 else "ไม่ด้อยโอกาส",
    }


def make_students(n_per_school: int = 80, seed: int = 7) -> dict[str, list[dict]]:
    """Layout-B rows per school, with seeded errors and duplicates."""
    rng = np.random.default_rng(seed)
    by_school = {s: [_student(rng, s, i) for i in range(n_per_school)] for s in SCHOOLS}
    a, b, c, d = (by_school[s] for s in SCHOOLS)
    a[1]["เลขประจำตัวประชาชน"] = ""  # id-missing
    a[2]["เลขประจำตัวประชาชน"] = a[2]["เลขประจำตัวประชาชน"][:12] + "0" if \
        a[2]["เลขประจำตัวประชาชน"][12] != "0" else a[2]["เลขประจำตัวประชาชน"][:12] + "1"  # checksum
    a[3]["เลขประจำตัวประชาชน"] = a[3]["เลขประจำตัวประชาชน"][1:]  # 12 digits
    a[4]["เลขประจำตัวประชาชน"] = "1.1017E+12"  # Excel scientific notation
    a[5]["เลขประจำตัวประชาชน"] = "G644200000001"  # id-gcode
    a[6]["เลขประจำตัวประชาชน"] = "-".join([a[6]["เลขประจำตัวประชาชน"][:1], a[6]["เลขประจำตัวประชาชน"][1:]])
    a[7]["น้ำหนัก"] = "0"  # field-missing weight
    a[8]["ส่วนสูง"] = ""  # field-missing height
    a[9]["เพศ"] = "ญ" if a[9]["เพศ"] == "ช" else "ช"  # sex-title
    a[10]["วันเกิด"] = "31/02/2560"  # birthdate-invalid
    a[11]["ชั้น"] = "ป.9"  # field-code grade
    a[12]["ศาสนา"] = "  "  # whitespace only: field-missing religion
    a[13]["ความด้อยโอกาส"] = "ยากจนมาก"  # field-code disadvantage
    a[14]["วันเกิด"] = "๐๕/๐๓/๒๕๕๕"  # Thai digits, age-grade for a low grade
    a[15]["ชั้น"] = "ป.1"
    a[15]["วันเกิด"] = "01/01/2550"  # age-grade (too old)
    a[16]["น้ำหนัก"] = "250"  # body-implausible
    a[17]["ชื่อ"] = "ด.ช.ธนากร"  # honorific inside the name
    b[0] = dict(b[1])  # dup-id-school
    b[2] = {**a[20], "รหัสโรงเรียน": b[2]["รหัสโรงเรียน"], "ชื่อโรงเรียน": b[2]["ชื่อโรงเรียน"]}  # dup-id-area
    c[3] = {**a[21], "รหัสโรงเรียน": c[3]["รหัสโรงเรียน"], "ชื่อโรงเรียน": c[3]["ชื่อโรงเรียน"],
            "เลขประจำตัวประชาชน": "G644200000777",
            "ชื่อ": ("ด.ช." if a[21]["เพศ"] == "ช" else "ด.ญ.") + a[21]["ชื่อ"]}  # dup-person
    d[4] = {**a[22], "รหัสโรงเรียน": d[4]["รหัสโรงเรียน"], "ชื่อโรงเรียน": d[4]["ชื่อโรงเรียน"],
            "เลขประจำตัวประชาชน": "G644200000778"}  # dup-person, same spelling
    d[5] = {**d[6], "ชื่อ": "พิมพ์ชนก" if d[6]["ชื่อ"] != "พิมพ์ชนก" else "ศิริพร",
            "เลขประจำตัวประชาชน": _pin(rng), "เพศ": d[6]["เพศ"]}  # twin: not a duplicate
    d[7]["เลขประจำตัวประชาชน"] = "'" + d[7]["เลขประจำตัวประชาชน"]  # text guard
    return by_school


def _rows(records: list[dict]) -> list[list]:
    return [[r.get(h) if r.get(h) != "" else None for h in LAYOUT_B_HEADERS] for r in records]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    root = tmp_path_factory.mktemp("extract")
    by_school = make_students()
    xdir = root / "xlsx"
    xdir.mkdir()
    for i, (school, recs) in enumerate(by_school.items()):
        rows = [list(LAYOUT_B_HEADERS)] + _rows(recs)
        if i == 0:  # a title row above the header, and a blank row in the data
            rows = [["รายชื่อนักเรียน ปีการศึกษา 2569"], []] + rows[:30] + [[]] + rows[30:]
        write_xlsx(xdir / f"students_{school}.xlsx", rows)
    everyone = [r for recs in by_school.values() for r in recs]
    # one CSV for everything: UTF-8 with BOM, CRLF, a blank line and an all-empty row
    lines = [",".join(f'"{h}"' for h in LAYOUT_B_HEADERS)]
    for k, r in enumerate(everyone):
        lines.append(",".join('"' + (r.get(h) or "").replace('"', '""') + '"' for h in LAYOUT_B_HEADERS))
        if k == 40:
            lines.append("")
        if k == 90:
            lines.append("," * (len(LAYOUT_B_HEADERS) - 1))
    csv_path = root / "extract.csv"
    csv_path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    # one Parquet file with the canonical English names
    lookup = build_lookup(STUDENT_ALIASES)
    cols = {}
    for h in LAYOUT_B_HEADERS:
        name = lookup.get(header_key(h), h)
        cols[name] = pa.array([(r.get(h) or None) for r in everyone], type=pa.string())
    pq_path = root / "extract.parquet"
    pq.write_table(pa.table(cols), pq_path)
    return dict(xlsx=xdir, csv=csv_path, parquet=pq_path, n=len(everyone))


KEY = ["check", "school_code", "national_id", "field", "value"]


def _findings(students: pd.DataFrame) -> pd.DataFrame:
    f = run_checks(CheckInput(students=students, as_of=AS_OF), phase="round1")
    return f[KEY].astype("string").fillna("").sort_values(KEY).reset_index(drop=True)


def test_extract_findings_equal_excel_findings(dataset):
    excel = load_students(dataset["xlsx"])
    assert len(excel.frame) == dataset["n"]
    expected = _findings(excel.frame)
    codes = set(expected["check"])
    for code in ("id-missing", "id-checksum", "id-format", "id-gcode", "dup-id-school", "dup-id-area",
                 "dup-person", "field-missing", "sex-title", "birthdate-invalid", "field-code",
                 "age-grade", "body-implausible"):
        assert code in codes, code
    for kind in ("csv", "parquet"):
        res = X.load_extract(dataset[kind], chunksize=97)  # several chunks
        assert len(res.frame) == dataset["n"], kind
        assert len(res.findings) == 0
        pd.testing.assert_frame_equal(_findings(res.frame), expected, obj=kind)


def test_extract_frame_equals_excel_path_on_the_same_csv(dataset):
    ref = load_students(dataset["csv"])
    got = X.load_extract(dataset["csv"], chunksize=50)
    pd.testing.assert_frame_equal(got.frame, ref.frame)
    assert got.frame.attrs["absent_columns"] == ref.frame.attrs["absent_columns"]
    fr, rf = got.files.iloc[0], ref.files.iloc[0]
    for c in ("rows_read", "rows_loaded", "rows_blank", "layout", "header_row", "status"):
        assert fr[c] == rf[c], c
    # line numbers: the blank line and the all-empty row are counted
    assert got.frame["source_row"].iloc[41] == 44


def test_parquet_rows_and_whole_chunk_reference(dataset, monkeypatch):
    res = X.load_extract(dataset["parquet"])
    assert res.frame["source_row"].tolist() == list(range(2, dataset["n"] + 2))
    assert res.files["layout"].iloc[0] == "other"  # canonical English names: not a DMC layout
    monkeypatch.setattr(X, "_canonical", X._canonical_whole)
    whole = X.load_extract(dataset["parquet"])
    pd.testing.assert_frame_equal(res.frame, whole.frame)


def test_numeric_parquet_columns_read_as_text(tmp_path):
    p = tmp_path / "n.parquet"
    pq.write_table(pa.table({"school_code": pa.array([57010001, 57010002]),
                             "national_id": pa.array([1101700230708.0, None]),
                             "first_name": ["สมชาย", "สมศรี"], "weight": [25.5, 0.0]}), p)
    f = X.load_extract(p).frame
    assert f["school_code"].tolist() == ["57010001", "57010002"]
    assert f["national_id"].tolist()[0] == "1101700230708"
    assert f["id_type"].tolist() == ["pin", "missing"]
    assert f["weight"].tolist() == [25.5, 0.0]


def test_bad_files_become_findings(tmp_path):
    (tmp_path / "empty.parquet").write_bytes(b"")
    (tmp_path / "junk.parquet").write_bytes(b"not parquet at all")
    nohead = tmp_path / "nohead.csv.gz"
    import gzip

    nohead.write_bytes(gzip.compress("a,b,c\n1,2,3\n".encode()))
    res = X.load_extract([tmp_path / "empty.parquet", tmp_path / "junk.parquet", nohead])
    assert len(res.frame) == 0
    assert res.findings["check"].tolist() == ["file-unreadable"] * 3
    assert res.files["status"].tolist() == ["unreadable", "unreadable", "no-header"]


def test_ragged_csv_falls_back_to_excel_path(tmp_path, monkeypatch):
    p = tmp_path / "ragged.csv"
    p.write_text("รหัสโรงเรียน,เลขประจำตัวประชาชน,ชื่อ,นามสกุล\n57010001,1101700230708,สมชาย,ใจดี,extra\n"
                 "57010001,,สมศรี\n", encoding="utf-8")
    res = X.load_extract(p)
    assert res.frame["first_name"].tolist() == ["สมชาย", "สมศรี"]


def test_routing(tmp_path, dataset, monkeypatch):
    assert X.is_extract(dataset["parquet"])
    assert not X.is_extract(dataset["csv"])  # small: the Excel path reads it
    assert not X.is_extract(dataset["xlsx"])
    monkeypatch.setattr(X, "EXTRACT_MIN_BYTES", 10)
    assert X.is_extract(dataset["csv"])
    ex, other = X.split_inputs([dataset["xlsx"], dataset["csv"]])
    assert ex == [dataset["csv"]] and len(other) == 4
    both = X.load_students_any([dataset["xlsx"], dataset["parquet"]])
    assert len(both.frame) == 2 * dataset["n"]
    assert list(both.files["source_file"])[-1] == "extract.parquet"
    plain = X.load_students_any(dataset["xlsx"])
    pd.testing.assert_frame_equal(plain.frame, load_students(dataset["xlsx"]).frame)


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_blank_lines_counted_and_rows_keep_their_line_numbers(tmp_path, eol):
    """Empty lines anywhere after the header (several in a row, across chunks, at the end)
    are counted blank and every record keeps the line it sits on; the Excel path agrees."""
    import random

    rnd = random.Random(11)
    recs = [r for school in make_students(30, seed=3).values() for r in school]
    head = ",".join(recs[0])
    lines, want_lines, blanks = [head], [], 0
    for r in recs:
        for _ in range(rnd.choice([0, 0, 0, 1, 2])):
            lines.append("")
            blanks += 1
        lines.append(",".join(r.values()))
        want_lines.append(len(lines))  # 1-based line of this record
    lines += ["", ""]
    blanks += 2
    f = tmp_path / "blank.csv"
    f.write_bytes((eol.join(lines) + eol).encode("utf-8"))
    got = X.load_extract(f, chunksize=7)
    row = got.files.iloc[0]
    assert (int(row["rows_blank"]), int(row["rows_loaded"]), int(row["rows_read"])) == (
        blanks, len(recs), blanks + len(recs))
    assert got.frame["source_row"].tolist() == want_lines
    assert got.frame["source_row"].tolist() == load_students(f).frame["source_row"].tolist()


def test_parquet_dictionaries_across_row_groups(tmp_path, monkeypatch):
    """Text columns read with Parquet's dictionaries (one per row group, different values,
    whitespace-only and empty cells, an all-empty row) give the whole-chunk reference."""
    rows = [make_students(40, seed=s) for s in (1, 2)]
    recs = [r for d in rows for school in d.values() for r in school]
    recs[3]["ศาสนา"], recs[4]["ชื่อ"], recs[5]["ชั้น"] = "  ", "", " ป.2 "
    recs[20] = {k: "" for k in recs[20]}  # all empty: counted blank, not loaded
    names = {h: canon for h in recs[0] for canon in [build_lookup(STUDENT_ALIASES).get(header_key(h))] if canon}
    table = pa.table({names.get(h, h): [r[h] or None for r in recs] for h in recs[0]})
    p = tmp_path / "rg.parquet"
    pq.write_table(table, p, row_group_size=61)
    got = X.load_extract(p, chunksize=23)
    assert pa.types.is_dictionary(pq.ParquetFile(p, read_dictionary=["religion"]).schema_arrow.field("religion").type)
    assert int(got.files["rows_blank"].iloc[0]) == 1 and len(got.frame) == len(recs) - 1
    assert got.frame["religion"].isna().iloc[3] and got.frame["grade"].iloc[5] == "ป.2"
    monkeypatch.setattr(X, "_canonical", X._canonical_whole)
    pd.testing.assert_frame_equal(got.frame, X.load_extract(p, chunksize=23).frame)


def test_prefetch_keeps_order_and_raises_where_read():
    assert list(X._prefetch(iter(range(50)))) == list(range(50))

    def broken():
        yield 1
        raise pa.ArrowInvalid("ragged")

    got = []
    with pytest.raises(pa.ArrowInvalid):
        for x in X._prefetch(broken()):
            got.append(x)
    assert got == [1]


def test_empty_text_columns_share_one_block_of_nulls(tmp_path):
    """A column the file lacks (or never fills) costs no per-row offsets: every chunk's empty
    column is the same shared block; values and dtype are those of an all-<NA> column."""
    rows = 150_000  # more than one shared block, and two chunks
    t = pa.table({"school_code": pa.array(["57010001"] * rows),
                  "national_id": pa.array([f"{i:013d}" for i in range(rows)]),
                  "first_name": pa.array(["สมชาย"] * rows),
                  "room": pa.array([None] * rows, type=pa.string())})  # present, never filled
    pq.write_table(t, tmp_path / "x.parquet", row_group_size=40_000)
    f = X.load_extract(tmp_path / "x.parquet", chunksize=100_000).frame
    assert len(f) == rows
    for c in ("room", "first_name_en", "disability", "father_last_name"):
        s = f[c]
        assert s.dtype == pd.StringDtype("pyarrow") and s.isna().all(), c
        arr = s.array._pa_array
        sizes = {b.address for ch in arr.chunks for b in ch.buffers() if b is not None}
        assert len(sizes) <= 3, c  # the shared block's buffers, not one set per chunk
    assert f["first_name"].eq("สมชาย").all()


def test_release_memory_and_lean_pool(monkeypatch):
    X.release_memory()  # nothing to assert but that it never fails
    before = pa.default_memory_pool().backend_name
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", before)
    X.use_lean_pool()  # a pool chosen by the environment is kept
    assert pa.default_memory_pool().backend_name == before


def test_bad_utf8_past_the_head_is_not_loaded_as_text(tmp_path, monkeypatch):
    """The CSV reader leaves UTF-8 unchecked; the distinct values are checked, so a bad byte
    deep in the file sends it to the row-by-row path, as a parse error did: every row kept."""
    monkeypatch.setattr(X, "_HEAD_BYTES", 4096)
    recs = [r for school in make_students(30, seed=4).values() for r in school]
    text = ",".join(recs[0]) + "\n" + "".join(",".join(r.values()) + "\n" for r in recs)
    data = text.encode("utf-8")
    at = data.rfind(b",", 0, len(data) - 200) + 1  # a cell near the end, far past the head
    f = tmp_path / "bad.csv"
    f.write_bytes(data[:at] + b"\xff\xfe" + data[at:])
    got = X.load_extract(f)
    assert len(got.frame) == len(recs)
    pd.testing.assert_frame_equal(got.frame, load_students(f).frame)
    for c in got.frame.columns:  # nothing invalid reached the frame
        if isinstance(got.frame[c].dtype, pd.StringDtype):
            got.frame[c].array._pa_array.validate(full=True)


def test_text_columns_are_one_piece_after_many_chunks(dataset):
    """Rows taken from a column in pieces cost a copy of the whole column (pyarrow): every
    text column the file filled is one array, whatever the chunks and blocks it was read in,
    but those no check reads (``LEFT_IN_PIECES``); the constant columns stay one shared block
    repeated."""
    f = X.load_extract(dataset["csv"], chunksize=7).frame
    pieces = {c: f[c].array._pa_array.num_chunks for c in f.columns
              if isinstance(f[c].dtype, pd.StringDtype)}
    from obec_audit.io.distinct import LEFT_IN_PIECES, one_piece, source_series

    filled = [c for c in pieces if f[c].notna().any() and c not in ("source_file", "source_sheet", "layout")]
    joined = [c for c in filled if c not in LEFT_IN_PIECES]
    assert len(joined) > 15 and all(pieces[c] == 1 for c in joined), pieces
    whole = X.load_extract(dataset["csv"], chunksize=10**6).frame
    pd.testing.assert_frame_equal(f, whole)
    const = one_piece(pd.DataFrame({"source_file": source_series("a.csv", 200_000)}))
    assert const["source_file"].array._pa_array.num_chunks > 1  # left as the shared block
    two = pa.chunked_array([pa.array(["1", "2"], pa.large_string()), pa.array(["3"], pa.large_string())])
    both = one_piece(pd.DataFrame({c: pd.Series(pd.arrays.ArrowStringArray(two)) for c in ("house_no", "first_name")}))
    assert "house_no" in LEFT_IN_PIECES  # no check reads it: left in its pieces
    assert [both[c].array._pa_array.num_chunks for c in ("house_no", "first_name")] == [2, 1]


@pytest.mark.parametrize("with_key", [True, False])
def test_nonblank_rows_against_a_cell_by_cell_reference(with_key):
    """``distinct.nonblank`` settles rows by the key column first; any cell that is not empty or
    whitespace makes a row non-blank, whatever column it is in."""
    from obec_audit.io.distinct import nonblank

    rng = np.random.default_rng(3)
    cells = np.array([None, "", " ", "\t ", "a", "ก", " x "], dtype=object)
    for _ in range(30):
        n = int(rng.integers(1, 40))
        cols = {f"c{j}": list(cells[rng.integers(0, len(cells), n)]) for j in range(4)}
        if rng.random() < 0.3:  # rows with nothing in the key column
            cols["c0"] = [None if rng.random() < 0.7 else v for v in cols["c0"]]
        t = pa.table({k: pa.array(v, type=pa.large_string()) for k, v in cols.items()})
        want = [any(v is not None and v.strip() != "" for v in row) for row in zip(*cols.values())]
        assert nonblank(t, "c0" if with_key else None).tolist() == want


def test_rebatch_gives_a_short_first_part_then_whole_chunks():
    batches = [pa.record_batch({"a": list(range(k, k + 10))}) for k in range(0, 100, 10)]
    sizes = [t.num_rows for t in X._rebatch(iter(batches), 40, first=10)]
    assert sizes == [10, 40, 40, 10]
    assert [t.num_rows for t in X._rebatch(iter(batches), 40)] == [40, 40, 20]
    joined = pa.concat_tables(list(X._rebatch(iter(batches), 40, first=10)))
    assert joined.column("a").to_pylist() == list(range(100))
