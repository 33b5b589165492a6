"""Property: however a CSV is damaged (quotes, NULs, separators, encodings, truncation), the
load never raises and accounts for every record: rows in = student + blank + header/non-student
rows, and (when no line break was added or removed) every physical line is one record."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import assume, example, given
from hypothesis import strategies as st

from _oddfiles import csv_text, table
from obec_audit.io.students import load_students

BASE = csv_text(table(15))

damage = st.lists(
    st.tuples(
        st.sampled_from(['"', '"', "\x00", ",", ";", "\t", "\r\n", "''", '="', "\ufeff"]),
        st.integers(min_value=0, max_value=len(BASE)),
    ),
    min_size=1,
    max_size=6,
)


def _apply(text: str, edits) -> str:
    for ch, pos in sorted(edits, key=lambda e: -e[1]):
        pos = min(pos, len(text))
        text = text[:pos] + ch + text[pos:]
    return text


def _check(data: bytes, lines: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "s.csv"
        p.write_bytes(data)
        res = load_students(p)  # never raises
        f = res.files
        assert len(f) == 1
        r = f.iloc[0]
        parts = r["rows_loaded"] + r["rows_blank"] + r["rows_skipped"] + r["rows_header"] + r["rows_non_student"]
        assert r["rows_total"] == parts
        assert int(r["rows_loaded"]) == len(res.frame)
        if r["status"] == "ok":
            assert r["rows_read"] == r["rows_loaded"] + r["rows_blank"] + r["rows_non_student"]
            # no silent loss: no student record swallowed another line
            assert res.frame["first_name"].fillna("").str.count("\n").sum() == 0
            assert r["rows_total"] == lines  # every physical line is one record
        else:
            assert len(res.findings) >= 1


@given(edits=damage, encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp874", "utf-16"]),
       cut=st.one_of(st.none(), st.integers(min_value=0, max_value=len(BASE))))
@example(edits=[("\x00", 987)], encoding="utf-8", cut=None)  # a NUL between CR and LF (found in CI)
def test_damaged_csv_rows_are_accounted(edits, encoding, cut):
    text = _apply(BASE, edits)
    if cut is not None:
        text = text[:cut]
    data = text.encode(encoding, errors="replace")
    # the reader removes NUL bytes (and reports their lines) before it splits lines, so a NUL
    # between CR and LF leaves one line break, not two
    _check(data, len(io.StringIO(text.replace("\x00", ""), newline="").readlines()))


@given(pos=st.integers(min_value=len(BASE.split("\r\n")[0]) + 2, max_value=len(BASE) - 3))
def test_one_stray_quote_loses_no_student(pos):
    assume(BASE[pos - 1] != "\r")  # not between CR and LF: that would make a new line
    text = BASE[:pos] + '"' + BASE[pos:]
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "s.csv"
        p.write_text(text, encoding="utf-8")
        res = load_students(p)
        assert len(res.frame) == 15
        assert res.frame["source_row"].tolist() == list(range(2, 17))
