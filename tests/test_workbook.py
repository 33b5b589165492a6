"""obec_audit.workbook: the notebooks' facade, on a tiny hand-made area and on the demo area."""

from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pandas as pd
import pytest

from obec_audit import workbook
from obec_audit.ids import pin
from obec_audit.io.aliases import LAYOUT_B_HEADERS
from obec_audit.workbook import open_round


def valid_id(prefix12: str) -> str:
    return prefix12 + pin.calc_check_digit(prefix12)


A = valid_id("110170023070")   # in two schools in round 1, fixed in round 2
B = valid_id("110170023071")   # twice in school 1 in both rounds
C = valid_id("110170023072")


def _row(code, nid, grade, sex, title, first, last, birth, w="25", h="125", room="1"):
    values = {
        "รหัสโรงเรียน": code, "ชื่อโรงเรียน": "โรงเรียนทดสอบ", "เลขประจำตัวประชาชน": nid,
        "ชั้น": grade, "ห้อง": room, "เลขประจำตัวนักเรียน": "1", "เพศ": sex, "คำนำหน้าชื่อ": title,
        "ชื่อ": first, "นามสกุล": last, "วันเกิด": birth, "น้ำหนัก": w, "ส่วนสูง": h,
        "กลุ่มเลือด": "O", "ศาสนา": "พุทธ", "เชื้อชาติ": "ไทย", "สัญชาติ": "ไทย",
        "ความด้อยโอกาส": "ไม่ด้อยโอกาส",
    }
    return [values.get(h, "") for h in LAYOUT_B_HEADERS]


def _write(folder, code, rows):
    folder.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(LAYOUT_B_HEADERS)
    for r in rows:
        ws.append(r)
    wb.save(folder / f"{code}.xlsx")


@pytest.fixture(scope="module")
def area(tmp_path_factory):
    """Two censuses of two schools: round 1 has an area duplicate (A), a school duplicate
    (B), a missing weight; round 2 fixed A and the weight, and has a new missing ID."""
    tmp_path = tmp_path_factory.mktemp("area")
    r1, r2 = tmp_path / "r1", tmp_path / "r2"
    s1_r1 = [
        _row("57010001", A, "ป.3", "ช", "เด็กชาย", "สมชาย", "ใจดี", "20/03/2560"),
        _row("57010001", B, "ป.2", "ญ", "เด็กหญิง", "มะลิ", "ขาว", "01/01/2561"),
        _row("57010001", B, "ป.2", "ญ", "เด็กหญิง", "มะลิ", "ขาว", "01/01/2561"),
        _row("57010001", C, "ป.1", "ช", "เด็กชาย", "ต่อ", "แสง", "01/01/2562", w="0"),
    ]
    s2_r1 = [
        _row("57010002", A, "ป.3", "ช", "เด็กชาย", "สมชาย", "ใจดี", "20/03/2560"),
        _row("57010002", valid_id("110170023073"), "ป.4", "ญ", "เด็กหญิง", "ดาว", "ฟ้า", "02/02/2559"),
    ]
    _write(r1, "57010001", s1_r1)
    _write(r1, "57010002", s2_r1)
    s1_r2 = [s1_r1[0], s1_r1[1], s1_r1[2],
             _row("57010001", C, "ป.1", "ช", "เด็กชาย", "ต่อ", "แสง", "01/01/2562", w="20")]
    s2_r2 = [_row("57010002", "", "ป.4", "ญ", "เด็กหญิง", "ดาว", "ฟ้า", "02/02/2559")]
    _write(r2, "57010001", s1_r2)
    _write(r2, "57010002", s2_r2)
    return tmp_path


def _open(area, phase, folder, **kw):
    return open_round(phase, area / folder, "10/06/2569", out_dir=area / "out" / phase,
                      ledger_dir=area / "ledger", today="2026-06-28", **kw)


@pytest.fixture(scope="module")
def loaded(area):
    """Round 1 and round 2 of the tiny area, read and checked once."""
    wb1 = _open(area, "round1", "r1")
    wb1.load()
    wb1.check()
    wb2 = _open(area, "round2", "r2")
    wb2.load()
    wb2.check()
    return wb1, wb2


def fresh(wb, tmp_path, **kw):
    """A copy of a loaded workbook with its own ledger folder."""
    return dataclasses.replace(wb, ledger_dir=tmp_path / "ledger", _cache=dict(wb._cache), **kw)


def test_open_round_real_paths(area):
    wb = _open(area, "round1", "r1")
    assert not wb.demo
    assert wb.as_of == dt.date(2026, 6, 10)
    assert wb.academic_year == 2569
    assert wb.deadline == dt.date(2026, 6, 25)
    assert wb.ledger_round == "round1"


def test_default_out_dir_for_real_data(area):
    wb = open_round("round1", area / "r1", "10/06/2569")
    assert wb.out_dir == workbook.project_root() / "data" / "rounds" / "round1-2026-06-10"
    wb = open_round("mobec", area / "r1", "10/10/2569")
    assert wb.out_dir.parent.name == "_phases"


def test_data_folders_come_from_the_notebooks_project(area, tmp_path, monkeypatch):
    """A notebook run from another clone writes into that clone's data/, not into the
    checkout the package is installed from."""
    clone = tmp_path / "clone"
    (clone / "notebooks").mkdir(parents=True)
    (clone / "pyproject.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(clone / "notebooks")
    monkeypatch.delenv("OBEC_AUDIT_LEDGER_DIR", raising=False)
    assert workbook.project_root() == clone.resolve()
    wb = open_round("round1", area / "r1", "10/06/2569")
    assert wb.out_dir == clone.resolve() / "data" / "rounds" / "round1-2026-06-10"
    assert wb.ledger_dir == clone.resolve() / "data" / "ledger"


def test_load_check_and_summary(loaded):
    wb, _ = loaded
    files = wb.files_table()
    assert "แถวที่อ่าน" in files.columns and "แถวที่นำเข้า" in files.columns
    assert int(files["แถวที่นำเข้า"].sum()) == 6
    counts = wb.counts_by_check()
    assert "รายการตรวจ" in counts.columns
    assert (wb.out_dir / "findings.csv").exists()
    found = pd.read_csv(wb.out_dir / "findings.csv", dtype=str, encoding="utf-8-sig")
    table = wb.summary_by_school(raw=True)
    assert found.loc[found["severity"] == "error", "school_code"].nunique() == int((table["errors"] > 0).sum())
    assert set(table["school_code"]) == {"57010001", "57010002"}
    assert int(table["students"].sum()) == 6
    assert wb.schools_with_open_errors() == 2
    assert len(found) == int(counts["ข้อค้นพบ"].sum())


def test_ids_masked_by_default(loaded, tmp_path):
    wb, _ = loaded
    text = wb.school_findings("57010001").to_string()
    assert A not in text and B not in text
    shown = fresh(wb, tmp_path, show_ids=True)
    assert B in shown.school_findings("57010001").to_string()


def test_duplicate_sets_and_members(loaded, tmp_path):
    wb = fresh(loaded[0], tmp_path)
    sets = wb.duplicate_sets()
    assert len(sets) == 2  # A across schools, B within school 1
    assert set(sets["ผลการพิจารณา"]) == {"ยังไม่พิจารณา"}
    group = sets["ชุดซ้ำ"].iloc[0]
    members = wb.duplicate_members(group)
    assert len(members) == 2
    assert A not in members.to_string() and B not in members.to_string()


def test_decision_through_widget_is_read_back_in_round2(loaded, tmp_path):
    wb1 = fresh(loaded[0], tmp_path, officer="นางสาวทดสอบ")
    w = wb1.duplicates_widget()
    f = wb1.result.findings
    b_group = f.loc[f["check"].eq("dup-id-school"), "group"].iloc[0]
    assert b_group in w.groups
    assert w.go_to(b_group)
    w.decision.value = "move-out"
    w.target.value = "57010001"
    w.reason.value = ""
    w.save_button.click()  # no reason: refused, nothing written
    assert "เหตุผล" in w.last_message
    assert wb1.decisions().get(b_group) is None
    w.reason.value = "บันทึกซ้ำสองแถว ให้ลบแถวที่เกิน"
    w.save_button.click()
    assert w.last_kind == "ok", w.last_message
    assert B not in w.table.value  # members side by side, IDs masked
    got = wb1.decisions().get(b_group)
    assert got["decision"] == "move-out" and got["decided_by"] == "นางสาวทดสอบ"
    # the file is an Excel-friendly CSV in the ledger folder
    assert (tmp_path / "ledger" / "duplicate_decisions.csv").exists()

    # round 2, a new workbook on the next export, same ledger folder: the decision is there
    wb2 = fresh(loaded[1], tmp_path)
    sets = wb2.duplicate_sets().set_index("ชุดซ้ำ")
    assert sets.loc[b_group, "ผลการพิจารณา"] == "ย้ายออก"
    assert sets.loc[b_group, "เหตุผล"] == "บันทึกซ้ำสองแถว ให้ลบแถวที่เกิน"
    w2 = wb2.duplicates_widget()
    assert w2.go_to(b_group)
    assert w2.decision.value == "move-out"
    # a second decision is appended, never overwriting the first
    wb2.record_decision(b_group, "keep", "ตรวจแล้วเป็นคนเดียวกัน แถวหนึ่งลบแล้ว")
    hist = wb2.decisions().history(b_group)
    assert list(hist["decision"]) == ["move-out", "keep"]
    assert len(wb2.decisions_table()) == 1


def test_compare_with_fixed_open_new(loaded):
    wb1, wb2 = loaded
    t = wb2.compare_with(wb1.out_dir, raw=True).set_index("school_code")
    f1, f2 = wb1.result.findings, wb2.result.findings
    # totals are consistent with the findings of both rounds
    assert int(t["fixed"].sum() + t["open"].sum()) == len(f1)
    assert int(t["open"].sum() + t["new"].sum()) == len(f2)
    # school 2: A's area duplicate fixed, a missing ID new
    assert t.loc["57010002", "fixed"] >= 1
    assert t.loc["57010002", "new"] >= 1
    # school 1: B's duplicate still open (two rows), the weight fixed
    assert t.loc["57010001", "open"] >= 2
    assert t.loc["57010001", "fixed"] >= 1
    det = wb2.compare_detail(wb1)
    assert {"แก้ไขแล้ว", "ยังไม่แก้ไข", "พบใหม่"} <= set(det["สถานะ"])
    # same answer from a Workbook, a folder, and a findings frame
    assert wb2.compare_with(wb1, raw=True).equals(wb2.compare_with(wb1.out_dir, raw=True))
    assert wb2.compare_with(f1, raw=True).equals(wb2.compare_with(wb1, raw=True))
    w = wb2.compare_widget(wb1)
    w._controls["school"].value = "57010002"
    w._controls["status"].value = "พบใหม่"
    assert wb2.compare_chart(wb1).to_dict()["data"]


def test_previous_round_finds_round1_folder(loaded, area, tmp_path):
    import shutil

    wb1, _ = loaded
    rounds = tmp_path / "rounds"
    shutil.copytree(wb1.out_dir, rounds / "round1-2026-06-10")
    wb2 = open_round("round2", area / "r2", "10/06/2569", out_dir=rounds / "round2-2026-06-10")
    assert wb2.previous_round() == rounds / "round1-2026-06-10"
    assert wb2.previous_round(wb1.out_dir) == wb1.out_dir
    with pytest.raises(FileNotFoundError):
        wb2.previous_round(area / "nowhere")


def test_certification_widget_and_status(loaded, tmp_path):
    wb = fresh(loaded[0], tmp_path, officer="นายรับ")
    form = wb.certification_widget()
    assert form.round.value == "round1"
    assert form.today() == dt.date(2026, 6, 28)
    assert form.save(school_code="57010001", received_on=dt.date(2026, 6, 24)) is not None
    assert "ตรงเวลา" in form.last_message
    wb.mark_received("57010002", "27/06/2569", "นายรับ")
    st = wb.certification_status(raw=True).set_index("school_code")
    assert st.loc["57010001", "status"] == "certified"
    assert st.loc["57010002", "status"] == "late"
    # every other school of the area: not received, past the deadline on 28 June
    others = st.drop(index=["57010001", "57010002"])
    assert len(others) == 102 and others["overdue"].all()
    # a date in the future is refused, with a Thai message, and nothing is written
    assert form.save(school_code="57010001", received_on=dt.date(2026, 7, 30)) is None
    assert "อนาคต" in form.last_message
    led = pd.read_csv(tmp_path / "ledger" / "certification.csv", dtype=str, encoding="utf-8-sig")
    assert len(led) == 2
    counts = wb.certification_counts().set_index("สถานะ")["โรงเรียน"]
    assert counts.sum() == 104
    assert wb.certification_chart().to_dict()["data"]


def test_simulate_receipts_refuses_real_data(loaded, tmp_path):
    with pytest.raises(RuntimeError):
        fresh(loaded[0], tmp_path).simulate_receipts()


def test_findings_widget_filters(loaded):
    wb, _ = loaded
    w = wb.findings_widget()
    assert w.apply(school="57010002", severities=["error"])
    f = wb.result.findings
    assert len(w.filtered) == int(((f["school_code"] == "57010002") & (f["severity"] == "error")).sum())
    assert A not in w.display_frame.to_string()


def test_write_reports_and_charts(loaded):
    wb, _ = loaded
    wb.write_reports()
    packs = sorted(p.stem for p in (wb.out_dir / "reports").glob("*.xlsx"))
    assert packs == ["57010001", "57010002"]
    assert (wb.out_dir / "summary.xlsx").exists()
    assert len(wb.report_files()) == 2
    for fig in (wb.findings_chart(), wb.completeness_chart(), wb.grade_sex_chart()):
        assert fig.to_dict()["data"]
    t = wb.grade_sex_table()
    assert int(t["total"].sum()) == 6
    ct = wb.completeness_table()
    assert wb.incomplete_schools() == int((ct["ช่องที่ว่าง"] > 0).sum()) == 1


def test_movements_with_previous(area, tmp_path):
    wb = open_round("semester2", area / "r2", "10/11/2569", previous_dir=area / "r1",
                    out_dir=tmp_path / "s2", ledger_dir=tmp_path / "ledger")
    wb.load()
    mv = wb.movements(raw=True)
    assert int(mv["cur"].sum()) == len(wb.result.students) == 5
    assert int(mv["prev"].sum()) == 6
    s = wb.movements_summary().set_index("การเปลี่ยนแปลง")["จำนวน (คน)"]
    # A was in both schools; now only in school 1: school 2's row is a removed duplicate
    assert int(s["ลบแถวซ้ำแล้ว"]) == 1
    assert int(s["หายไปโดยไม่มีหลักฐาน"]) == 0
    assert wb.grade_sex_table()["prev_total"].sum() == 6


@pytest.mark.slow
def test_open_round_defaults_to_the_demo_area():
    demo = workbook.demo_dir()
    wb = open_round("round1")
    assert wb.demo
    assert wb.inputs["inputs"] == demo / "students" / "2026-06-10"
    assert wb.out_dir == demo / "rounds" / "round1-2026-06-10"
    assert wb.ledger_dir == demo / "ledger"
    assert wb.today == dt.date(2026, 6, 28)
    eq = open_round("mobec")
    assert eq.inputs["mobec"].parent == demo / "mobec"
    assert eq.out_dir.parent == demo / "rounds" / "_phases"


def test_self_check_passes_then_fails_when_a_file_disagrees(loaded, tmp_path):
    import shutil

    wb = fresh(loaded[0], tmp_path)
    out = tmp_path / "out"
    shutil.copytree(wb.out_dir, out)
    wb = dataclasses.replace(wb, out_dir=out, _cache={})
    check = wb.self_check()
    assert check.ok, repr(check)
    whats = [w for w, *_ in check.lines]
    assert "โรงเรียนที่ยังมีข้อผิดพลาด" in whats and "แถวนักเรียนที่นำเข้า" in whats
    assert "ผ่านทุกข้อ" in repr(check) and "ผ่านทุกข้อ" in check._repr_html_()
    # a findings.csv that lost a row (an edit in Excel, a half-written file): the line fails
    f = pd.read_csv(out / "findings.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    f.iloc[1:].to_csv(out / "findings.csv", index=False, encoding="utf-8-sig")
    bad = wb.self_check()
    assert not bad.ok
    failed = [w for w, ok, *_ in bad.lines if not ok]
    assert "ข้อค้นพบทั้งหมด" in failed
    assert "✗ ไม่ผ่าน" in repr(bad)


def test_save_record_is_offline_masked_and_keeps_widgets_last_state(loaded, tmp_path):
    wb = fresh(loaded[0], tmp_path)
    wb._cache = {k: v for k, v in wb._cache.items() if k != "record"}
    wb.summary_by_school()
    wb.grade_sex_chart()
    ff = wb.findings_widget()
    ff.apply(school="57010001")
    wb.school_findings("57010001")
    wb.school_findings("57010001")  # the same table twice is recorded once
    wb.save_record(tmp_path / "record.html")
    page = (tmp_path / "record.html").read_text(encoding="utf-8")
    assert page.count("<section") == 4
    assert "<h2>สรุปรายโรงเรียน</h2>" in page and "<h2>ข้อค้นพบของโรงเรียน</h2>" in page
    assert '<svg class="obec-fig"' in page and "<script" not in page
    assert A not in page and B not in page and "1xxxxxxxxxxx" in page
    # the filter's last state: school 57010001 picked, its findings listed
    widget = page.split('class="obec-widget"')[1]
    assert "57010001" in widget and "57010002 " not in widget.split("<table")[0]


def test_tables_are_officer_tables(loaded):
    wb, _ = loaded
    t = wb.files_table()
    html = t._repr_html_()
    assert "dataframe" not in html and "&lt;NA&gt;" not in html and "<NA>" not in html
    assert "รูปแบบ" in t.columns and "ชีต" not in t.columns  # one sheet per file: no sheet column
    read = t[t["สถานะ"].eq("อ่านได้")]
    assert len(read) and set(read["รูปแบบ"]) <= {"DMC แบบ 39 คอลัมน์ (ดาวน์โหลดรายวัน)", "DMC แบบ 91 คอลัมน์"}
    assert "โฟลเดอร์" not in set(t["สถานะ"])  # folders are where files were found, not files
    empty = wb.decisions_table()
    assert len(empty) == 0 and "ยังไม่มีการบันทึก" in empty._repr_html_()
    long_ = workbook.officer_table(pd.DataFrame({"n": range(450)}))
    assert long_._repr_html_().count("<tr>") == 301 and "450" in long_._repr_html_()


def test_figures_label_every_school_and_colour_checks_apart(loaded):
    from obec_audit.charts import PALETTE
    from obec_audit.workbook import figures

    wb, _ = loaded
    comp = wb.completeness_chart().to_dict()
    assert [y.split()[0] for y in comp["data"][0]["y"]] == ["57010001", "57010002"] or \
        sorted(y.split()[0] for y in comp["data"][0]["y"]) == ["57010001", "57010002"]
    # 14 checks over 40 schools: one distinct colour per check, every school on the axis
    f = pd.DataFrame({"school_code": [f"5701{i:04d}" for i in range(40) for _ in range(14)],
                      "check": [f"c{j}" for _ in range(40) for j in range(14)], "severity": "error"})
    spec = figures.findings_figure(f, {}, {}, top=40).to_dict()
    colours = [t["marker"]["color"] for t in spec["data"]]
    assert len(colours) == 14 == len(set(colours))
    assert len(spec["data"][0]["y"]) == 40
    svg = figures.findings_figure(f, {}, {}, top=40).svg()
    assert all(f">5701{i:04d}<" in svg for i in range(40))
    assert all(f">c{j}<" in svg for j in range(14))  # every legend entry drawn
    assert len(set(PALETTE)) == 20


def test_palette_colours_are_far_apart():
    import itertools
    import math

    from obec_audit.charts import PALETTE

    def lab(h):
        rgb = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92 for c in rgb]
        x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
        y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
        f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z)]
        return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])

    worst = min(math.dist(lab(a), lab(b)) for a, b in itertools.combinations(PALETTE, 2))
    assert worst > 20  # CIE76: clearly different colours side by side


def test_grade_sex_title_compares_only_with_a_previous_round(loaded, area, tmp_path):
    wb, _ = loaded
    assert "เทียบกับรอบก่อน" not in wb.grade_sex_chart().title
    s2 = open_round("semester2", area / "r2", "10/11/2569", previous_dir=area / "r1",
                    out_dir=tmp_path / "s2", ledger_dir=tmp_path / "ledger")
    assert "เทียบกับรอบก่อน" in s2.grade_sex_chart().title


def test_simulated_receipts_go_to_their_own_ledger(tmp_path):
    demo_like = tmp_path / "demo"
    wb = dataclasses.replace(open_round("round1", tmp_path, "10/06/2569", ledger_dir=demo_like / "ledger",
                                        today="2026-06-28"), demo=True)
    wb.simulate_receipts(share=0.5)
    assert (demo_like / "ledger-simulated" / "certification.csv").exists()
    assert not (demo_like / "ledger" / "certification.csv").exists()
    assert "จำลอง" in wb.certification_chart().title
    assert "จำลอง" in wb.certification_status()._repr_html_()
    # a workbook on the same folders that did not simulate shows no receipt
    other = dataclasses.replace(wb, _cache={})
    assert not other.certification_status(raw=True)["status"].isin(["certified", "late"]).any()
