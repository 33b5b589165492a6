import datetime as dt

import pandas as pd
import pytest
import traitlets

from obec_audit.ledger import CertificationLedger, DuplicateDecisions
from obec_audit.widgets import DuplicateReview, FindingsFilter, ReceiptForm, SchoolPicker

D = dt.date
TODAY = D(2013, 6, 27)
ID1 = "1101700230708"
ID2 = "3100600123457"

SCHOOLS = pd.DataFrame({"school_code": ["57010001", "57010002"], "school_name": ["บ้านดอย", "บ้านนา"]})


def findings():
    return pd.DataFrame({
        "check": ["dup-id-area", "dup-id-area", "id-checksum", "field-missing", "dup-id-school", "dup-id-school"],
        "severity": ["error", "error", "error", "error", "error", "error"],
        "school_code": ["57010001", "57010002", "57010001", "57010002", "57010002", "57010002"],
        "source_file": ["a.xlsx", "b.xlsx", "a.xlsx", "b.xlsx", "b.xlsx", "b.xlsx"],
        "source_row": pd.array([2, 3, 4, 5, 6, 7], dtype="Int64"),
        "national_id": [ID1, ID1, "1101700230709", ID2, ID2, ID2],
        "field": ["", "", "", "weight", "", ""],
        "value": ["", "", "1101700230709", "0", "", ""],
        "group": ["DA-aaa", "DA-aaa", "", "", "DS-57010002-bbb", "DS-57010002-bbb"],
        "message": ["ซ้ำ", "ซ้ำ", f"เลข 1101700230709 ผิด", "ไม่มีน้ำหนัก", "ซ้ำ", "ซ้ำ"],
        "student_name": ["ด.ช.ก ข", "ด.ช.ก ข", "ด.ญ.ค ง", "ด.ช.จ ฉ", "ด.ช.ช ซ", "ด.ช.ช ซ"],
    }).assign(severity=lambda d: d["severity"].where(d["check"] != "field-missing", "warning"))


def students():
    return pd.DataFrame({
        "source_file": ["a.xlsx", "b.xlsx", "b.xlsx", "b.xlsx"],
        "source_row": pd.array([2, 3, 6, 7], dtype="Int64"),
        "school_code": ["57010001", "57010002", "57010002", "57010002"],
        "national_id": [ID1, ID1, ID2, ID2],
        "title": ["เด็กชาย"] * 4,
        "first_name": ["กล้า", "กล้า", "ชาย", "ชาย"],
        "last_name": ["ขยัน", "ขยัน", "ซื่อ", "ซื่อ"],
        "birth_date": pd.to_datetime(["2006-03-20", "2006-03-20", "2007-01-02", "2007-01-02"]),
        "grade": ["ป.1", "ป.1", "อ.3", "อ.3"],
        "room": ["1", "2", "1", "1"],
    })


# ------------------------------------------------------------------ SchoolPicker
def test_school_picker_labels_and_callback():
    got = []
    p = SchoolPicker(SCHOOLS, on_change=got.append)
    assert [lbl for lbl, _ in p.dropdown.options] == ["57010001 บ้านดอย", "57010002 บ้านนา"]
    p.dropdown.value = "57010002"
    assert got == ["57010002"] and p.value == "57010002"
    assert not p.set("99999999") and "ไม่พบรหัสโรงเรียน" in p.last_message
    assert got == ["57010002"]


def test_school_picker_forged_messages_never_reach_the_callback():
    got = []
    p = SchoolPicker(SCHOOLS, on_change=got.append)
    with pytest.raises(traitlets.TraitError):
        p.dropdown.set_state({"index": 7})  # a forged front-end message: refused by the widget
    p._on_value({"new": "99999999", "old": "57010001", "name": "value"})  # and by our handler
    assert got == [] and "ไม่พบรหัสโรงเรียน" in p.last_message


# ------------------------------------------------------------------ FindingsFilter
def test_findings_filter_filters_and_masks():
    ff = FindingsFilter(findings(), schools=SCHOOLS)
    assert len(ff.filtered) == 6
    ff.school.dropdown.value = "57010001"
    assert set(ff.filtered["school_code"]) == {"57010001"} and len(ff.filtered) == 2
    ff.checks.value = ("id-checksum",)
    assert ff.filtered["check"].tolist() == ["id-checksum"]
    # IDs masked in the displayed table (also inside value and message), full in .filtered
    html = ff.output.outputs[0]["data"]["text/html"]
    assert "1101700230709" not in html and "1xxxxxxxxxxx9" in html
    assert ff.filtered["national_id"].tolist() == ["1101700230709"]
    # the notebook did not allow full IDs: a forged tick of the disabled box shows nothing more
    assert ff.show_full_id.disabled
    ff.show_full_id.value = True
    assert "1101700230709" not in ff.output.outputs[0]["data"]["text/html"]
    shown = FindingsFilter(findings(), schools=SCHOOLS, show_full_ids=True)
    shown.apply(checks=["id-checksum"])
    assert "1101700230709" in shown.output.outputs[0]["data"]["text/html"]
    ff.school.dropdown.value = ""
    ff.checks.value = ()
    ff.severity.value = ("warning",)
    assert ff.filtered["check"].tolist() == ["field-missing"]


def test_findings_filter_rejects_unknown_values():
    ff = FindingsFilter(findings())
    assert not ff.apply(school="12345678")
    assert not ff.apply(checks=["drop-table"])
    assert not ff.apply(severities=["fatal"])
    assert "ไม่" in ff.last_message
    assert len(ff.filtered) == 6
    assert ff.apply(checks=["dup-id-area", "dup-id-school"])
    assert len(ff.filtered) == 4


# ------------------------------------------------------------------ DuplicateReview
def test_duplicate_review_side_by_side_and_save(tmp_path):
    dec = DuplicateDecisions(tmp_path)
    saved = []
    rv = DuplicateReview(findings(), students(), dec, decided_by="ครูเอ", schools=SCHOOLS,
                         round="round1", academic_year=2556, on_saved=saved.append)
    assert rv.groups == ["DS-57010002-bbb", "DA-aaa"]  # within-school first
    assert rv.next() and rv.group == "DA-aaa"
    side = rv.side_by_side
    assert list(side.columns) == ["รายการที่ 1", "รายการที่ 2"]
    assert side.loc["โรงเรียน"].tolist() == ["57010001 บ้านดอย", "57010002 บ้านนา"]
    assert side.loc["ชื่อ-นามสกุล"].tolist() == ["เด็กชาย กล้า ขยัน"] * 2
    assert side.loc["วันเกิด"].tolist() == ["20/03/2549"] * 2
    assert side.loc["ชั้น"].tolist() == ["ป.1", "ป.1"]
    assert side.loc["เลขประจำตัวประชาชน"].tolist() == ["1xxxxxxxxxxx8"] * 2
    assert ID1 not in rv.table.value
    assert "ยังไม่ได้พิจารณา" in rv.existing.value
    # the officer decides: school 57010002 must move the child out
    rv.decision.value = "move-out"
    rv.target.value = "57010002"
    rv.reason.value = "เด็กเรียนอยู่ที่บ้านดอย"
    rv.save_button.click()
    assert rv.last_kind == "ok" and len(saved) == 1
    cur = DuplicateDecisions(tmp_path).get("DA-aaa")
    assert cur["decision"] == "move-out" and cur["school_code"] == "57010002"
    assert cur["member_ids"] == f"{ID1};{ID1}" and cur["round"] == "round1"
    assert "บันทึกไว้แล้ว" in rv.existing.value


def test_duplicate_review_shows_earlier_decision_in_a_later_round(tmp_path):
    DuplicateDecisions(tmp_path).record("DA-aaa", "not-duplicate", "คนละคน", "ครูบี", round="round1")
    rv = DuplicateReview(findings(), students(), DuplicateDecisions(tmp_path), round="round2")
    assert rv.go_to("DA-aaa")
    assert rv.decision.value == "not-duplicate" and rv.reason.value == "คนละคน"
    assert "ครูบี" in rv.existing.value and "round1" in rv.existing.value
    rv.previous()
    assert rv.group == "DS-57010002-bbb" and rv.decision.value is None


def test_duplicate_review_rejects_forged_or_incomplete_input(tmp_path):
    dec = DuplicateDecisions(tmp_path)
    rv = DuplicateReview(findings(), students(), dec, decided_by="ครูเอ")
    with pytest.raises(traitlets.TraitError):
        rv.decision.set_state({"index": 9})  # forged toggle index
    assert rv.save(decision="delete-everything", reason="x") is None
    assert "กรุณาเลือกผลการพิจารณา" in rv.last_message
    assert rv.save(decision="keep", reason="   ") is None  # no reason
    assert rv.save(decision="keep", reason="ok", decided_by="") is None
    assert rv.save(decision="keep", reason="ok", school_code="99999999") is None
    assert not rv.go(99) and not rv.go_to("DA-forged")
    assert not dec.path.exists()  # nothing written
    assert rv.save(decision="คงไว้", reason="มีสูติบัตร") is not None  # Thai label accepted
    assert dec.current()["decision"].tolist() == ["keep"]


# ------------------------------------------------------------------ ReceiptForm
def test_receipt_form_writes_the_ledger_and_shows_lateness(tmp_path):
    led = CertificationLedger(tmp_path)
    form = ReceiptForm(led, SCHOOLS, round="round1", year=2556, today=TODAY, received_by="สมศรี")
    form.school.dropdown.value = "57010002"
    form.date.value = D(2013, 6, 24)
    assert "ตรงเวลา" in form.preview.value and "25/06/2556" in form.preview.value
    form.date.value = D(2013, 6, 27)
    assert "ล่าช้า 2 วัน" in form.preview.value
    form.note.value = "ครบ 5 รายการ"
    form.save_button.click()
    assert form.last_kind == "warn" and "ล่าช้า 2 วัน" in form.last_message
    st = CertificationLedger(tmp_path).status("round1", SCHOOLS, today=TODAY)
    assert st["status"].tolist() == ["not-yet", "late"]
    assert st.loc[1, "received_by"] == "สมศรี" and st.loc[1, "note"] == "ครบ 5 รายการ"
    assert st.loc[1, "school_name"] == "บ้านนา"


def test_receipt_form_rejects_forged_values(tmp_path):
    led = CertificationLedger(tmp_path)
    form = ReceiptForm(led, SCHOOLS, round="round1", year=2556, today=TODAY, received_by="สมศรี")
    # a forged DatePicker message from the page: a date in the future
    form.date.set_state({"value": {"year": 2099, "month": 0, "date": 1}})
    assert form.date.value == D(2099, 1, 1)
    assert "อนาคต" in form.preview.value
    form.save_button.click()
    assert form.last_kind == "error" and "อนาคต" in form.last_message
    assert form.save(school_code="99999999", received_on=D(2013, 6, 20)) is None
    assert "ไม่พบรหัสโรงเรียน" in form.last_message
    assert form.save(round="round99", received_on=D(2013, 6, 20)) is None
    assert form.save(received_on=D(2012, 6, 20)) is None  # before the academic year
    assert form.save(received_on=D(2013, 6, 20), received_by="  ") is None
    assert form.save(received_on="not a date") is None
    assert not led.path.exists()  # nothing written
    assert form.save(received_on=D(2013, 6, 20)) is not None
    assert len(CertificationLedger(tmp_path).history()) == 1


def test_empty_findings_do_not_break_the_widgets(tmp_path):
    from obec_audit.schema import empty_findings

    ff = FindingsFilter(empty_findings())
    assert len(ff.filtered) == 0 and ff.last_kind != "error"
    rv = DuplicateReview(empty_findings(), None, DuplicateDecisions(tmp_path))
    assert rv.groups == [] and rv.save(decision="keep", reason="x", decided_by="y") is None
    assert not (tmp_path / "duplicate_decisions.csv").exists()


def test_findings_filter_masks_every_id_shape_in_what_it_reads():
    """12-digit IDs that lost their leading 0, 11-digit staff IDs, spaced IDs, G-codes: masked
    in the 'ค่าที่อ่านได้' column, the ID column and the messages."""
    f = findings().iloc[:4].copy()
    f["value"] = ["570149302491", "31006001234", "1 1017 00230 70 8", "G644200000001"]
    f["national_id"] = ["570149302491", "31006001234", "12345", "G644200000001"]
    f["message"] = [f"อ่านได้ {v}" for v in f["value"]]
    ff = FindingsFilter(f)
    html = ff.output.outputs[0]["data"]["text/html"]
    for raw in ("570149302491", "31006001234", "1 1017 00230 70 8", "1101700230708", "G644200000001",
                "644200000001", "12345"):
        assert raw not in html, raw
    assert "5xxxxxxxxxx1" in html and "Gxxxxxxxxxxx1" in html
    assert "ค่าที่อ่านได้" in html and "<NA>" not in html and "&lt;NA&gt;" not in html


def test_findings_filter_pages_300_rows():
    f = pd.concat([findings()] * 120, ignore_index=True)  # 720 rows
    ff = FindingsFilter(f)
    assert ff.pages == 3 and ff.page == 0
    assert ff.output.outputs[0]["data"]["text/html"].count("<tr>") == 301  # header + 300
    ff.next_page.click()
    ff.next_page.click()
    assert ff.page == 2 and ff.next_page.disabled
    assert ff.output.outputs[0]["data"]["text/html"].count("<tr>") == 121
    assert not ff.go_page(3) and ff.page == 2
    ff.apply(severities=["warning"])  # a new filter: back to page 1
    assert ff.page == 0 and ff.pages == 1
