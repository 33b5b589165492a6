import datetime as dt

import pandas as pd
import pytest

from obec_audit import calendar as cal

D = dt.date

# (phase, step) -> (start, end, deadline, census) in B.E., straight from the seed (DOMAIN.md §2)
SEED = {
    ("start", 1): ("13/06/2556", "14/06/2556", "", "10/06/2556"),
    ("start", 2): ("10/06/2556", "25/06/2556", "25/06/2556", "10/06/2556"),
    ("start", 3): ("10/06/2556", "25/06/2556", "25/06/2556", "10/06/2556"),
    ("round1", 4): ("10/06/2556", "25/06/2556", "25/06/2556", "10/06/2556"),
    ("round2", 5): ("01/07/2556", "05/07/2556", "05/07/2556", "10/06/2556"),
    ("mobec", 6): ("10/10/2556", "10/10/2556", "10/10/2556", ""),
    ("bobec", 7): ("10/10/2556", "10/10/2556", "10/10/2556", ""),
    ("semester2", 1): ("10/11/2556", "20/11/2556", "20/11/2556", "10/11/2556"),
    ("semester2", 2): ("10/11/2556", "20/11/2556", "20/11/2556", "10/11/2556"),
    ("endyear", 1): ("01/04/2557", "15/04/2557", "15/04/2557", "31/03/2557"),
    ("endyear", 2): ("01/05/2557", "05/05/2557", "05/05/2557", "31/03/2557"),
}


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv(cal.ENV_VAR, raising=False)


def test_2556_file_has_every_seed_step():
    c = cal.load_calendar(2556)
    assert c["derived_from"].isna().all()
    got = {
        (r.phase, int(r.step)): (r.start, r.end, r.deadline, r.census_date)
        for r in c.itertuples()
    }
    assert got == SEED
    assert set(c["academic_year"]) == {2556}
    assert c.loc[c.phase == "round1", "responsible_th"].iloc[0] == "โรงเรียน/สพป."
    assert c.loc[(c.phase == "semester2") & (c.step == 1), "responsible_th"].iloc[0] == "โรงเรียน"
    assert (c["title_th"] != "").all() and (c["title_en"] != "").all()
    assert c.loc[c.phase == "round1", "deadline_ce"].iloc[0] == D(2013, 6, 25)


def test_file_is_utf8_with_bom():
    raw = (cal.PACKAGE_CALENDAR_DIR / "2556.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8-sig")


def test_academic_year():
    assert cal.academic_year(D(2013, 5, 16)) == 2556
    assert cal.academic_year(D(2013, 5, 15)) == 2555
    assert cal.academic_year(D(2014, 5, 5)) == 2556
    assert cal.academic_year("10/06/2556") == 2556
    assert cal.academic_year(pd.Timestamp("2026-06-10")) == 2569


def test_phase_on_precedence_round1_over_start():
    # 20 June: start steps 2-3 and round1 are all open; round1 (later phase) wins
    r = cal.phase_on(D(2013, 6, 20))
    assert r["phase"] == "round1" and r["is_open"]
    # 13 June: the workshop (start step 1) is open too; round1 still wins
    assert cal.phase_on(D(2013, 6, 13))["phase"] == "round1"
    # first day of the period
    assert cal.phase_on(D(2013, 6, 10))["phase"] == "round1"
    # 10 October: mobec and bobec both open: bobec (later in PHASES)
    assert cal.phase_on(D(2013, 10, 10))["phase"] == "bobec"
    assert cal.phase_on(D(2013, 11, 15))["phase"] == "semester2"
    assert cal.phase_on(D(2014, 5, 3))["phase"] == "endyear"


def test_phase_on_nothing_open_gives_most_recent_or_none():
    r = cal.phase_on(D(2013, 8, 1))
    assert r["phase"] == "round2" and not r["is_open"]
    assert cal.phase_on(D(2013, 8, 1), recent=False) is None
    one = cal.load_calendar(2556)
    assert cal.phase_on(D(2013, 6, 1), calendar=one) is None


def test_next_due_and_days_left():
    r = cal.next_due(D(2013, 6, 20))
    assert r["phase"] == "round1" and r["deadline"] == "25/06/2556" and r["days_left"] == 5
    assert cal.days_left(D(2013, 6, 20)) == 5
    assert cal.days_left(D(2013, 6, 25)) == 0  # due today still counts
    assert cal.next_due(D(2013, 6, 26))["phase"] == "round2"
    assert cal.days_left(D(2013, 6, 20), "round2") == 15
    assert cal.days_left(D(2013, 6, 27), "round1") == -2  # overdue
    # after the end-of-year deadline: next year's round 1 (derived 2557)
    nxt = cal.next_due(D(2014, 5, 10))
    assert nxt["phase"] == "round1" and nxt["deadline"] == "25/06/2557"


def test_current_round():
    r = cal.current_round(D(2013, 6, 20))
    assert (r["phase"], r["status"], r["days_left"]) == ("round1", "open", 5)
    r = cal.current_round(D(2013, 8, 1))
    assert (r["phase"], r["status"]) == ("mobec", "upcoming")
    r = cal.current_round(D(2013, 5, 20))  # before anything: round 1 next
    assert (r["phase"], r["status"]) == ("round1", "upcoming")


def test_census_date_for():
    assert cal.census_date_for("round1", 2556) == D(2013, 6, 10)
    assert cal.census_date_for("round2", 2556) == D(2013, 6, 10)
    assert cal.census_date_for("semester2", 2556) == D(2013, 11, 10)
    assert cal.census_date_for("endyear", 2556) == D(2014, 3, 31)
    assert cal.census_date_for("mobec", 2556) is None
    assert cal.census_date_for("round1", 2013) == D(2013, 6, 10)  # C.E. year accepted
    with pytest.raises(ValueError):
        cal.census_date_for("round9", 2556)


def test_derived_2569_shifts_by_13_years():
    c = cal.load_calendar(2569)
    assert set(c["derived_from"]) == {2556}
    base = cal.load_calendar(2556)
    for col in ("start_ce", "end_ce", "deadline_ce", "census_date_ce"):
        for a, b in zip(base[col], c[col]):
            assert (a is None and b is None) or b == a.replace(year=a.year + 13)
    assert c.loc[c.phase == "round1", "deadline"].iloc[0] == "25/06/2569"
    assert cal.census_date_for("endyear", 2569) == D(2027, 3, 31)
    assert cal.census_date_for("semester2", 2569) == D(2026, 11, 10)
    # years inside the texts move too
    assert "2569" in " ".join(c["detail_th"]) and "2556" not in " ".join(c["detail_th"])
    assert cal.phase_on(D(2026, 6, 20))["phase"] == "round1"


def test_user_folder_file_wins_and_write_calendar(tmp_path, monkeypatch):
    p = cal.write_calendar(2568, tmp_path)
    assert p == tmp_path / "2568.csv" and p.read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(FileExistsError):
        cal.write_calendar(2568, tmp_path)
    # the officer moves round 1's deadline; load_calendar picks the edited file up
    text = p.read_text(encoding="utf-8-sig").replace("25/06/2568", "27/06/2568")
    p.write_text(text, encoding="utf-8-sig")
    c = cal.load_calendar(2568, calendar_dir=tmp_path)
    assert c["derived_from"].isna().all()
    assert c.loc[c.phase == "round1", "deadline"].iloc[0] == "27/06/2568"
    # the same through the environment variable
    monkeypatch.setenv(cal.ENV_VAR, str(tmp_path))
    assert cal.days_left(D(2025, 6, 20), "round1") == 7
    assert 2568 in cal.available_years()
    # and it becomes the nearest template for 2570
    c70 = cal.load_calendar(2570)
    assert int(c70["derived_from"].iloc[0]) == 2568
    assert c70.loc[c70.phase == "round1", "deadline"].iloc[0] == "27/06/2570"


def test_cp874_file_and_excel_style_dates(tmp_path):
    p = cal.write_calendar(2560, tmp_path)
    text = p.read_text(encoding="utf-8-sig").replace("01/07/2560", "1/7/2560")
    p.write_bytes(text.encode("cp874", errors="replace"))
    c = cal.load_calendar(2560, calendar_dir=tmp_path)
    assert c.loc[c.phase == "round2", "start"].iloc[0] == "01/07/2560"
    assert c.loc[c.phase == "round1", "responsible_th"].iloc[0] == "โรงเรียน/สพป."


def test_bad_calendar_file_raises_thai_error(tmp_path):
    (tmp_path / "2561.csv").write_text(
        "academic_year,phase,step,start,end\n2561,round1,4,32/06/2561,25/06/2561\n",
        encoding="utf-8",
    )
    with pytest.raises(cal.CalendarError, match="แถวที่ 2"):
        cal.load_calendar(2561, calendar_dir=tmp_path)


def test_calendar_table_thai_labels():
    t = cal.calendar_table(2556)
    assert list(t.columns)[:4] == ["ช่วงงาน", "ขั้นที่", "การดำเนินงาน", "ระยะเวลา"]
    assert "10-25 มิถุนายน 2556" in set(t["ระยะเวลา"])
    assert "1-15 เมษายน 2557" in set(t["ระยะเวลา"])
    assert len(t) == 11


def test_date_helpers():
    assert cal.to_be(D(2013, 6, 25)) == "25/06/2556"
    assert cal.parse_date("25/06/2556") == D(2013, 6, 25)
    assert cal.thai_date(D(2013, 6, 25)) == "25 มิถุนายน 2556"
    with pytest.raises(ValueError):
        cal.parse_date("not a date")


# ---------------------------------------------------------------------- text for a terminal
def test_wrap_never_exceeds_the_width_nor_splits_a_vowel_from_its_consonant():
    import unicodedata

    from obec_audit.termtext import wrap

    text = "โรงเรียนตรวจสอบ/แก้ไขข้อมูลนักเรียนซ้ำซ้อน/ข้อมูลที่ผิดพลาด " * 6
    for width in (20, 37, 100):
        lines = wrap(text, width, indent="  ")
        assert all(len(x) <= width for x in lines)
        assert "".join(x.strip() for x in lines).replace(" ", "") == text.replace(" ", "")
        for x in lines[1:]:
            first = x.strip()[0]
            assert unicodedata.category(first) != "Mn" and first != "\u0e33"
        assert all(x.strip()[-1] not in "เแโใไ" for x in lines)


@pytest.mark.parametrize("width", [80, 100])
def test_calendar_lines_fit(width):
    from obec_audit.calendar import calendar_lines

    short = calendar_lines(2569, width=width)
    long = calendar_lines(2569, details=True, width=width)
    assert max(len(x) for x in short + long) <= width
    assert len(long) > len(short)
    assert sum(x.startswith(("start ", "round1 ", "semester2 ", "endyear ")) for x in short) == 4
