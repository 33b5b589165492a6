"""ipywidgets for the officers' notebooks. The logic lives in plain methods, so it is testable
without a kernel: setting a widget's ``.value`` fires its observers synchronously, and
``Button.click()`` fires its handlers.

- :class:`SchoolPicker`: a dropdown of schools labelled ``รหัส ชื่อโรงเรียน``;
- :class:`FindingsFilter`: findings by school, check codes, severity; IDs masked by default;
- :class:`DuplicateReview`: one duplicate set at a time, members side by side, record a
  decision (:class:`obec_audit.ledger.DuplicateDecisions`);
- :class:`ReceiptForm`: "mark received" for a school's signed reports
  (:class:`obec_audit.ledger.CertificationLedger`), on time / late against the calendar.

Every value a handler receives is validated again (a page can send forged widget messages):
unknown school codes, decisions outside the list, future dates, empty names are refused with a
Thai message shown in the widget (``.message``; the text also in ``.last_message``), never an
exception. Each class shows itself in a notebook (``.widget`` is the container).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Callable, Iterable

import ipywidgets as W
import pandas as pd

from obec_audit import calendar as cal
from obec_audit.ledger import DECISION_TH, DECISIONS, CertificationLedger, DuplicateDecisions, LedgerError
from obec_audit.privacy import mask_frame, mask_text
from obec_audit.schema import FIELD_LABEL_TH, SEVERITIES, SEVERITY_ORDER, SEVERITY_TH
from obec_audit.thaidate import academic_year, academic_year_start, be_short, parse_date
from obec_audit.workbook.display import table_html

__all__ = ["SchoolPicker", "FindingsFilter", "DuplicateReview", "ReceiptForm", "schools_frame"]

SHOW_FULL_ID = "แสดงเลขประจำตัวเต็ม"
_COLORS = {"ok": "#1a9850", "error": "#d73027", "info": "#4575b4", "warn": "#f46d43"}


# ---------------------------------------------------------------- helpers
def schools_frame(schools) -> pd.DataFrame:
    """``school_code``, ``school_name`` from a frame (``school_code``/``smis8``/``รหัสโรงเรียน``
    and ``school_name``/``ชื่อโรงเรียน``), a dict {code: name}, or codes."""
    if schools is None:
        return pd.DataFrame({"school_code": pd.Series(dtype=str), "school_name": pd.Series(dtype=str)})
    if isinstance(schools, pd.DataFrame):
        code_col = next((c for c in ("school_code", "smis8", "รหัสโรงเรียน") if c in schools), None)
        if code_col is None:
            raise ValueError("ตารางโรงเรียนไม่มีคอลัมน์ school_code (no school_code column)")
        name_col = next((c for c in ("school_name", "ชื่อโรงเรียน") if c in schools), None)
        df = pd.DataFrame({
            "school_code": schools[code_col].astype(str).str.strip().values,
            "school_name": (schools[name_col].fillna("").astype(str).str.strip().values
                            if name_col else ""),
        })
    elif isinstance(schools, dict):
        df = pd.DataFrame({"school_code": [str(k).strip() for k in schools],
                           "school_name": ["" if v is None else str(v) for v in schools.values()]})
    else:
        df = pd.DataFrame({"school_code": [str(s).strip() for s in schools]})
        df["school_name"] = ""
    df = df[df["school_code"].ne("") & df["school_code"].ne("nan") & df["school_code"].ne("<NA>")]
    return df.drop_duplicates("school_code").sort_values("school_code").reset_index(drop=True)


def _label(code: str, name: str) -> str:
    return f"{code} {name}".strip()


def _html_message(text: str, kind: str) -> str:
    return f'<span style="color:{_COLORS.get(kind, "#333")}">{html.escape(text)}</span>'


def _side_html(df: pd.DataFrame) -> str:
    """A side-by-side table: the row labels as its first column."""
    return table_html(df.rename_axis("ข้อมูล").reset_index(), note=" ")


def _set_output(out: W.Output, html_text: str, plain: str) -> None:
    """Put a table into an Output widget without a kernel (works in plain Python too)."""
    out.outputs = ({"output_type": "display_data", "metadata": {},
                    "data": {"text/html": html_text, "text/plain": plain}},)


def _is_blank(v) -> bool:
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


class _Base:
    """Message area, display hooks."""

    widget: W.Widget

    def _init_message(self) -> None:
        self.message = W.HTML(value="")
        self.last_message = ""
        self.last_kind = ""

    def _say(self, text: str, kind: str = "info") -> None:
        self.last_message, self.last_kind = text, kind
        self.message.value = _html_message(text, kind) if text else ""

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _ipython_display_(self):  # pragma: no cover - notebook only
        from IPython.display import display  # IPython is there only inside a kernel

        display(self.widget)


# ---------------------------------------------------------------- SchoolPicker
class SchoolPicker(_Base):
    """A dropdown of schools (``'57010001 บ้านดอย'``); ``on_change(code)`` is called with a
    validated school code (``''`` for "all schools" when ``include_all``)."""

    ALL_LABEL = "ทุกโรงเรียน"

    def __init__(self, schools, on_change: Callable[[str], None] | None = None, value: str | None = None,
                 description: str = "โรงเรียน", include_all: bool = False) -> None:
        self.schools = schools_frame(schools)
        self.names = dict(zip(self.schools["school_code"], self.schools["school_name"]))
        self.include_all = include_all
        self._callbacks: list[Callable[[str], None]] = [on_change] if on_change else []
        options = [(_label(c, n), c) for c, n in self.names.items()]
        if include_all:
            options = [(self.ALL_LABEL, "")] + options
        start = value if value in {v for _, v in options} else (options[0][1] if options else None)
        self.dropdown = W.Dropdown(options=options, value=start, description=description,
                                   layout=W.Layout(width="min(100%, 32rem)"))
        self._init_message()
        self.widget = W.VBox([self.dropdown, self.message])
        self.dropdown.observe(self._on_value, names="value")

    @property
    def codes(self) -> set[str]:
        return set(self.names)

    @property
    def value(self) -> str | None:
        v = self.dropdown.value
        return v if self.valid(v) else None

    def valid(self, code) -> bool:
        return isinstance(code, str) and (code in self.names or (self.include_all and code == ""))

    def observe(self, callback: Callable[[str], None]) -> None:
        self._callbacks.append(callback)

    def set(self, code: str) -> bool:
        """Select ``code``; ``False`` (and a Thai message) when it is not a known school."""
        code = str(code).strip() if code is not None else ""
        if not self.valid(code):
            self._say(f"ไม่พบรหัสโรงเรียน {code!r} ในรายชื่อ", "error")
            return False
        self.dropdown.value = code
        return True

    def _on_value(self, change) -> None:
        code = change.get("new")
        if not self.valid(code):
            self._say(f"ไม่พบรหัสโรงเรียน {code!r} ในรายชื่อ", "error")
            return
        self._say("")
        for cb in self._callbacks:
            try:
                cb(code)
            except Exception as exc:  # a callback's failure is shown, not raised into the page
                self._say(f"เกิดข้อผิดพลาด: {exc}", "error")


# ---------------------------------------------------------------- FindingsFilter
#: what to fix first (the message), then where (file, row) and what was read
_FINDING_DISPLAY = ["school_code", "check", "severity", "message", "source_file", "source_row",
                    "student_name", "national_id", "field", "value"]
_FINDING_LABELS = {
    "school_code": "รหัสโรงเรียน", "check": "รหัสการตรวจ", "severity": "ระดับ",
    "source_file": "ไฟล์", "source_row": "แถว", "national_id": "เลขประจำตัวประชาชน",
    "field": "ช่องข้อมูล", "value": "ค่าที่อ่านได้", "student_name": "ชื่อนักเรียน",
    "message": "รายละเอียด", "group": "ชุด", "check_th": "รายการตรวจ",
}


class FindingsFilter(_Base):
    """Filter a findings frame by school, check codes (multi-select) and severity; the table
    shows ``max_rows`` rows a page (ก่อนหน้า / ถัดไป).

    ``.filtered``: the selected rows (full data, for code); ``.display_frame``: what the table
    shows (Thai labels, every value masked by ``obec_audit.privacy`` unless the notebook
    allows full IDs (``show_full_ids=True``) and the 'แสดงเลขประจำตัวเต็ม' box is ticked);
    ``.output``: the table. Empty check / severity selections mean "all".
    """

    def __init__(self, findings: pd.DataFrame, schools=None, max_rows: int = 300,
                 show_full_ids: bool = False, titles: dict | None = None) -> None:
        self.findings = findings.reset_index(drop=True)
        self.max_rows = max(1, int(max_rows))
        self.titles = titles or {}
        self.allow_full_ids = bool(show_full_ids)
        self.page = 0
        present = schools_frame(self.findings["school_code"].dropna().astype(str).unique())
        if schools is not None:
            names = dict(zip(*schools_frame(schools)[["school_code", "school_name"]].T.values))
            present["school_name"] = present["school_code"].map(names).fillna("")
        self.school = SchoolPicker(present, include_all=True, value="")
        counts = self.findings["check"].value_counts()
        self.check_codes = sorted(counts.index.astype(str))
        self.checks = W.SelectMultiple(
            options=[(f"{self.titles.get(c, c)} ({counts[c]:,})", c) for c in self.check_codes],
            value=(), description="การตรวจ", rows=min(8, max(len(self.check_codes), 1)),
            layout=W.Layout(width="min(100%, 40rem)"))
        sev_present = [s for s in SEVERITIES if s in set(self.findings["severity"].astype(str))]
        self.severity = W.SelectMultiple(
            options=[(SEVERITY_TH[s], s) for s in sev_present], value=(), description="ระดับ",
            rows=max(len(sev_present), 1))
        # full IDs only where the notebook allows them (SHOW_IDS = True): a forged message
        # ticking a disabled box shows nothing more
        self.show_full_id = W.Checkbox(value=self.allow_full_ids, description=SHOW_FULL_ID,
                                       disabled=not self.allow_full_ids)
        self.prev_page = W.Button(description="หน้าก่อนหน้า", icon="arrow-left")
        self.next_page = W.Button(description="หน้าถัดไป", icon="arrow-right")
        self.page_label = W.HTML()
        self.output = W.Output()
        self.count = W.HTML()
        self._init_message()
        self.filtered = self.findings
        self.display_frame = pd.DataFrame()
        self.widget = W.VBox([
            W.HBox([self.school.widget, self.severity]), self.checks, self.show_full_id,
            self.count, self.message, W.HBox([self.prev_page, self.page_label, self.next_page]),
            self.output,
        ])
        self.school.observe(lambda _code: self.refresh())
        for w in (self.checks, self.severity, self.show_full_id):
            w.observe(lambda _change: self.refresh(), names="value")
        self.prev_page.on_click(lambda _b: self.go_page(self.page - 1))
        self.next_page.on_click(lambda _b: self.go_page(self.page + 1))
        self.refresh()

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.display_frame) // self.max_rows))

    def _selection(self):
        school = self.school.dropdown.value
        checks = tuple(self.checks.value)
        sevs = tuple(self.severity.value)
        return school, checks, sevs

    def apply(self, school: str | None = None, checks: Iterable[str] | None = None,
              severities: Iterable[str] | None = None) -> bool:
        """Set the filters from code; ``False`` with a Thai message on an unknown value."""
        if school is not None and not self.school.valid(school):
            self._say(f"ไม่พบรหัสโรงเรียน {school!r}", "error")
            return False
        checks = tuple(checks) if checks is not None else None
        if checks is not None and not set(checks) <= set(self.check_codes):
            self._say(f"ไม่รู้จักรหัสการตรวจ {sorted(set(checks) - set(self.check_codes))}", "error")
            return False
        sev_opts = {v for _, v in self.severity.options}
        severities = tuple(severities) if severities is not None else None
        if severities is not None and not set(severities) <= sev_opts:
            self._say(f"ไม่รู้จักระดับ {sorted(set(severities) - sev_opts)}", "error")
            return False
        with self.checks.hold_trait_notifications(), self.severity.hold_trait_notifications():
            if checks is not None:
                self.checks.value = checks
            if severities is not None:
                self.severity.value = severities
        if school is not None:
            self.school.dropdown.value = school
        self.refresh()
        return True

    def refresh(self) -> None:
        """Filter again (back to the first page)."""
        try:
            school, checks, sevs = self._selection()
            if not self.school.valid(school) or not set(checks) <= set(self.check_codes) or \
                    not set(sevs) <= set(SEVERITIES):
                self._say("ค่าตัวกรองไม่ถูกต้อง จึงไม่กรอง", "error")
                return
            f = self.findings
            mask = pd.Series(True, index=f.index)
            if school:
                mask &= f["school_code"].astype(str).eq(school)
            if checks:
                mask &= f["check"].astype(str).isin(checks)
            if sevs:
                mask &= f["severity"].astype(str).isin(sevs)
            sel = f[mask]
            order = sel["severity"].map(SEVERITY_ORDER).fillna(9)
            self.filtered = sel.assign(_o=order).sort_values(
                ["_o", "school_code", "check"], kind="stable").drop(columns="_o")
            self.display_frame = self._display(self.filtered)
            self.count.value = html.escape(f"พบ {len(self.filtered):,} รายการ")
            self._say("")
            self.go_page(0)
        except Exception as exc:  # never raise into the page
            self._say(f"แสดงตารางไม่ได้: {exc}", "error")

    def go_page(self, page: int) -> bool:
        """Show page ``page`` (0-based) of the filtered findings."""
        try:
            page = int(page)
        except (TypeError, ValueError):
            return False
        if not 0 <= page < self.pages:
            return False
        self.page = page
        lo = page * self.max_rows
        shown = self.display_frame.iloc[lo:lo + self.max_rows]
        self.page_label.value = html.escape(
            f"หน้า {page + 1:,} / {self.pages:,} (แถว {lo + 1 if len(shown) else 0:,}–{lo + len(shown):,})")
        self.prev_page.disabled = page == 0
        self.next_page.disabled = page >= self.pages - 1
        _set_output(self.output, table_html(shown, page_rows=self.max_rows, empty="ไม่พบรายการตามตัวกรอง"),
                    f"{len(self.filtered)} findings")
        return True

    def _display(self, f: pd.DataFrame) -> pd.DataFrame:
        cols = [c for c in _FINDING_DISPLAY if c in f.columns]
        v = f[cols].copy()
        if "check" in v:  # the Thai title in place of the code
            v.insert(v.columns.get_loc("check") + 1, "check_th",
                     v["check"].map(lambda c: self.titles.get(c, c)))
            v = v.drop(columns="check")
        if "severity" in v:
            v["severity"] = v["severity"].map(SEVERITY_TH).fillna(v["severity"])
        if "field" in v:
            v["field"] = v["field"].map(lambda x: FIELD_LABEL_TH.get(x, x) if isinstance(x, str) else x)
        full = self.allow_full_ids and bool(self.show_full_id.value)
        v = mask_frame(v, show_ids=full)
        return v.rename(columns=_FINDING_LABELS).reset_index(drop=True)


# ---------------------------------------------------------------- DuplicateReview
_MEMBER_ROWS = [
    ("school", "โรงเรียน"), ("source_file", "ไฟล์"), ("source_row", "แถว"),
    ("national_id", "เลขประจำตัวประชาชน"), ("name", "ชื่อ-นามสกุล"), ("birth_date", "วันเกิด"),
    ("grade", "ชั้น"), ("room", "ห้อง"),
]
_DUP_ORDER = {"dup-id-school": 0, "dup-id-area": 1, "dup-person": 2}


class DuplicateReview(_Base):
    """One duplicate set at a time, its members side by side; record keep / ย้ายออก / ไม่ซ้ำ
    with a reason (``DuplicateDecisions.record``). Shows the decision recorded earlier (also in
    an earlier round, when the group id is the same)."""

    def __init__(self, findings: pd.DataFrame, students: pd.DataFrame | None,
                 decisions: DuplicateDecisions, decided_by: str = "", schools=None,
                 round: str = "", academic_year: int | None = None,
                 on_saved: Callable[[dict], None] | None = None, show_full_ids: bool = False,
                 titles: dict | None = None) -> None:
        self.titles = titles or {}
        f = findings[findings["check"].astype(str).str.startswith("dup-")]
        f = f[f["group"].notna() & f["group"].astype(str).str.strip().ne("")]
        self.findings = f.reset_index(drop=True)
        self.students = students
        self.decisions = decisions
        self.round = round
        self.academic_year = academic_year
        self.on_saved = on_saved
        self.names = (dict(zip(*schools_frame(schools)[["school_code", "school_name"]].T.values))
                      if schools is not None else {})
        first = self.findings.groupby("group", sort=False)["check"].first()
        order = sorted(first.index, key=lambda g: (_DUP_ORDER.get(first[g], 9), str(g)))
        self.groups: list[str] = [str(g) for g in order]
        self.checks: dict[str, str] = {str(g): str(first[g]) for g in order}
        self.index = 0

        self.position = W.HTML()
        self.table = W.HTML()
        self.existing = W.HTML()
        self.decision = W.ToggleButtons(
            options=[(DECISION_TH[d], d) for d in DECISIONS], value=None, description="ผลการพิจารณา")
        self.target = W.Dropdown(options=[("ไม่ระบุ", "")], value="", description="โรงเรียนที่ต้องดำเนินการ",
                                 style={"description_width": "initial"})
        self.reason = W.Textarea(placeholder="เหตุผล เช่น เด็กย้ายไปเรียนที่โรงเรียน … แล้ว", description="เหตุผล")
        self.decided_by = W.Text(value=decided_by, description="ผู้พิจารณา")
        self.save_button = W.Button(description="บันทึก", button_style="primary", icon="save")
        self.prev_button = W.Button(description="ก่อนหน้า", icon="arrow-left")
        self.next_button = W.Button(description="ถัดไป", icon="arrow-right")
        self.allow_full_ids = bool(show_full_ids)
        self.show_full_id = W.Checkbox(value=self.allow_full_ids, description=SHOW_FULL_ID,
                                       disabled=not self.allow_full_ids)
        self._init_message()
        self.widget = W.VBox([
            W.HBox([self.prev_button, self.position, self.next_button, self.show_full_id]),
            self.table, self.existing, self.decision, self.target, self.reason, self.decided_by,
            self.save_button, self.message,
        ])
        self.save_button.on_click(lambda _b: self.save())
        self.prev_button.on_click(lambda _b: self.previous())
        self.next_button.on_click(lambda _b: self.next())
        self.show_full_id.observe(lambda _c: self._render(), names="value")
        self.go(0)

    # -- data ------------------------------------------------------------------------------
    @property
    def group(self) -> str | None:
        return self.groups[self.index] if self.groups else None

    def members(self, group: str | None = None) -> pd.DataFrame:
        """The members of a group (one row each): school, file, row, national_id (full), name,
        birth date (B.E.), grade, room."""
        g = self.group if group is None else group
        m = self.findings[self.findings["group"].astype(str) == str(g)].copy()
        m["source_row"] = pd.to_numeric(m["source_row"], errors="coerce").astype("Int64")
        m = m.drop_duplicates(["source_file", "source_row"]) if "source_file" in m else m
        out = pd.DataFrame({
            "school_code": m["school_code"].astype(str).values,
            "source_file": m.get("source_file", pd.Series([""] * len(m))).astype(str).values,
            "source_row": m["source_row"].values,
            "national_id": m.get("national_id", pd.Series([""] * len(m))).astype("string").fillna("").values,
            "name": m.get("student_name", pd.Series([""] * len(m))).astype("string").fillna("").values,
            "birth_date": "", "grade": "", "room": "",
        })
        st = self.students
        if st is not None and len(st) and {"source_file", "source_row"} <= set(st.columns):
            s = st.copy()
            s["source_row"] = pd.to_numeric(s["source_row"], errors="coerce").astype("Int64")
            s = s.drop_duplicates(["source_file", "source_row"])
            keep = [c for c in ("source_file", "source_row", "title", "first_name", "last_name",
                                "birth_date", "grade", "room") if c in s.columns]
            j = out[["source_file", "source_row"]].merge(s[keep], how="left", on=["source_file", "source_row"])
            parts = [j[c].astype("string").fillna("") for c in ("title", "first_name", "last_name") if c in j]
            if parts:
                full = parts[0]
                for p in parts[1:]:
                    full = full.str.cat(p, sep=" ")
                full = full.str.replace(r"\s+", " ", regex=True).str.strip()
                out["name"] = full.where(full.ne(""), out["name"]).values
            if "birth_date" in j:
                out["birth_date"] = [be_short(d) if not _is_blank(d) else "" for d in j["birth_date"]]
            for c in ("grade", "room"):
                if c in j:
                    out[c] = j[c].astype("string").fillna("").values
        out["school"] = [_label(c, self.names.get(c, "")) for c in out["school_code"]]
        return out

    # -- navigation --------------------------------------------------------------------------
    def go(self, i: int) -> bool:
        if not self.groups:
            self.position.value = "ไม่มีชุดข้อมูลซ้ำ"
            self.table.value = ""
            self.existing.value = ""
            return False
        try:
            i = int(i)
        except (TypeError, ValueError):
            self._say("ลำดับชุดไม่ถูกต้อง", "error")
            return False
        if not 0 <= i < len(self.groups):
            self._say("ไม่มีชุดลำดับนี้", "error")
            return False
        self.index = i
        self._say("")
        self._load_existing()
        self._render()
        return True

    def go_to(self, group: str) -> bool:
        if group not in self.groups:
            self._say(f"ไม่พบชุดซ้ำ {mask_text(str(group))}", "error")
            return False
        return self.go(self.groups.index(group))

    def next(self) -> bool:
        return self.go(self.index + 1) if self.index + 1 < len(self.groups) else False

    def previous(self) -> bool:
        return self.go(self.index - 1) if self.index > 0 else False

    def _load_existing(self) -> None:
        g = self.group
        m = self.members()
        schools = list(dict.fromkeys(m["school_code"]))
        self.target.options = [("ไม่ระบุ", "")] + [(self.names.get(c, "") and _label(c, self.names[c]) or c, c)
                                                  for c in schools]
        self.target.value = ""
        try:
            rec = self.decisions.get(g)
        except LedgerError as exc:
            rec = None
            self._say(f"อ่านบันทึกการพิจารณาไม่ได้: {exc}", "error")
        self.current_decision = rec
        if rec:
            self.decision.value = rec["decision"] if rec["decision"] in DECISIONS else None
            self.reason.value = rec.get("reason", "")
            if rec.get("school_code") in schools:
                self.target.value = rec["school_code"]
            when = rec.get("decided_at_be", "")
            self.existing.value = _html_message(
                f"บันทึกไว้แล้ว: {DECISION_TH.get(rec['decision'], rec['decision'])} "
                f"โดย {rec.get('decided_by', '')} เมื่อ {when}"
                + (f" (รอบ {rec['round']})" if rec.get("round") else ""), "info")
        else:
            self.decision.value = None
            self.reason.value = ""
            self.existing.value = _html_message("ยังไม่ได้พิจารณา", "warn")

    def _render(self) -> None:
        if not self.groups:
            return
        g = self.group
        m = self.members()
        full = self.allow_full_ids and bool(self.show_full_id.value)
        if not full:
            m = mask_frame(m)
        side = pd.DataFrame(
            {f"รายการที่ {i + 1}": [m.iloc[i][k] for k, _ in _MEMBER_ROWS] for i in range(len(m))},
            index=[label for _, label in _MEMBER_ROWS])
        shown_group = g if full else mask_text(g)
        self.position.value = html.escape(
            f"ชุดที่ {self.index + 1} / {len(self.groups)} · {self.titles.get(self.checks[g], self.checks[g])}"
            f" · {shown_group}")
        self.table.value = _side_html(side)
        self.side_by_side = side

    # -- saving ------------------------------------------------------------------------------
    def save(self, decision=None, reason=None, decided_by=None, school_code=None) -> dict | None:
        """Record the decision on the current group (arguments default to the widgets' values).
        Returns the record, or ``None`` with a Thai message when something is not valid."""
        g = self.group
        if g is None or g not in self.checks:
            self._say("ไม่มีชุดซ้ำให้บันทึก", "error")
            return None
        decision = self.decision.value if decision is None else decision
        reason = self.reason.value if reason is None else reason
        decided_by = self.decided_by.value if decided_by is None else decided_by
        school_code = self.target.value if school_code is None else school_code
        if decision not in DECISIONS and decision not in DECISION_TH.values():
            self._say("กรุณาเลือกผลการพิจารณา: คงไว้ / ย้ายออก / ไม่ซ้ำ", "error")
            return None
        if not isinstance(reason, str) or not reason.strip():
            self._say("กรุณาระบุเหตุผล", "error")
            return None
        if len(reason) > 2000:
            self._say("เหตุผลยาวเกิน 2,000 ตัวอักษร", "error")
            return None
        if not isinstance(decided_by, str) or not decided_by.strip() or len(decided_by) > 200:
            self._say("กรุณาระบุชื่อผู้พิจารณา", "error")
            return None
        members = self.members(g)
        if school_code not in ("", None) and school_code not in set(members["school_code"]):
            self._say(f"โรงเรียน {school_code!r} ไม่อยู่ในชุดนี้", "error")
            return None
        m = self.findings[self.findings["group"].astype(str) == g]
        try:
            rec = self.decisions.record(
                g, decision, reason, decided_by, members=m, check=self.checks[g],
                school_code=school_code or "", round=self.round, academic_year=self.academic_year)
        except (ValueError, LedgerError) as exc:
            self._say(f"บันทึกไม่ได้: {exc}", "error")
            return None
        self._load_existing()
        self._say(f"บันทึกแล้ว: {DECISION_TH[rec['decision']]}", "ok")
        if self.on_saved:
            try:
                self.on_saved(rec)
            except Exception as exc:
                self._say(f"บันทึกแล้ว แต่การแจ้งต่อผิดพลาด: {exc}", "warn")
        return rec


# ---------------------------------------------------------------- ReceiptForm
class ReceiptForm(_Base):
    """'Mark received': a school's director-signed reports arrived on a date, received by
    someone. Shows on time / late against the calendar's deadline before and after saving."""

    EARLIEST = dt.date(2000, 1, 1)

    def __init__(self, ledger: CertificationLedger, schools, round: str = "round1",
                 year: int | None = None, today=None, received_by: str = "",
                 on_saved: Callable[[dict], None] | None = None) -> None:
        self.ledger = ledger
        self.year = year
        self._today = today
        self.on_saved = on_saved
        self.school = SchoolPicker(schools)
        rounds = [(cal.PHASE_TH[r], r) for r in cal.ROUNDS]
        self.round = W.Dropdown(options=rounds, value=round if round in cal.ROUNDS else "round1",
                                description="รอบ", layout=W.Layout(width="min(100%, 32rem)"))
        self.date = W.DatePicker(value=self.today(), description="วันที่รับ")
        self.received_by = W.Text(value=received_by, description="ผู้รับ")
        self.note = W.Textarea(placeholder="หมายเหตุ เช่น ครบ 5 รายการ", description="หมายเหตุ")
        self.save_button = W.Button(description="บันทึกการรับเอกสาร", button_style="primary", icon="check",
                                    layout=W.Layout(width="16rem"))
        self.preview = W.HTML()
        self._init_message()
        self.widget = W.VBox([self.school.widget, self.round, self.date, self.received_by, self.note,
                              self.preview, self.save_button, self.message])
        self.school.observe(lambda _c: self.update_preview())
        for w in (self.round, self.date):
            w.observe(lambda _c: self.update_preview(), names="value")
        self.save_button.on_click(lambda _b: self.save())
        self.update_preview()

    def today(self) -> dt.date:
        t = self._today() if callable(self._today) else self._today
        return parse_date(t) if t is not None else dt.date.today()

    def _check_date(self, d) -> tuple[dt.date | None, str]:
        if d is None:
            return None, "กรุณาเลือกวันที่รับเอกสาร"
        if isinstance(d, dt.datetime):
            d = d.date()
        if not isinstance(d, dt.date):
            try:
                d = parse_date(d)
            except ValueError:
                return None, "วันที่ไม่ถูกต้อง"
            if d is None:
                return None, "กรุณาเลือกวันที่รับเอกสาร"
        if d > self.today():
            return None, f"วันที่รับ {be_short(d)} อยู่ในอนาคต"
        if d < self.EARLIEST:
            return None, f"วันที่รับ {be_short(d)} เก่าเกินไป"
        if self.year is not None and d < academic_year_start(self.year):
            return None, f"วันที่รับ {be_short(d)} อยู่ก่อนเริ่มปีการศึกษา {self.year}"
        return d, ""

    def _deadline(self, rnd: str, d: dt.date) -> dt.date | None:
        year = self.year if self.year is not None else academic_year(d)
        try:
            return self.ledger.deadline(rnd, year)
        except Exception:
            return None

    def update_preview(self) -> None:
        try:
            rnd = self.round.value
            d, err = self._check_date(self.date.value)
            if rnd not in cal.ROUNDS or d is None:
                self.preview.value = _html_message(err or "เลือกรอบและวันที่", "warn")
                return
            dl = self._deadline(rnd, d)
            if dl is None:
                self.preview.value = _html_message("ปฏิทินไม่มีกำหนดส่งของรอบนี้", "info")
                return
            late = (d - dl).days
            text = f"กำหนดส่ง {be_short(dl)}: " + ("ตรงเวลา" if late <= 0 else f"ล่าช้า {late} วัน")
            self.preview.value = _html_message(text, "ok" if late <= 0 else "warn")
        except Exception as exc:  # pragma: no cover - defensive
            self.preview.value = _html_message(f"คำนวณกำหนดส่งไม่ได้: {exc}", "error")

    def save(self, school_code=None, received_on=None, received_by=None, note=None,
             round=None) -> dict | None:
        """Record the receipt (arguments default to the widgets' values). Returns the ledger
        record, or ``None`` with a Thai message when something is not valid."""
        code = self.school.dropdown.value if school_code is None else school_code
        rnd = self.round.value if round is None else round
        day = self.date.value if received_on is None else received_on
        who = self.received_by.value if received_by is None else received_by
        note = self.note.value if note is None else note
        if not isinstance(code, str) or not self.school.valid(code) or code == "":
            self._say(f"ไม่พบรหัสโรงเรียน {code!r} ในรายชื่อ", "error")
            return None
        if rnd not in cal.ROUNDS:
            self._say(f"ไม่รู้จักรอบ {rnd!r}", "error")
            return None
        d, err = self._check_date(day)
        if d is None:
            self._say(err, "error")
            return None
        if not isinstance(who, str) or not who.strip():
            self._say("กรุณาระบุชื่อผู้รับเอกสาร", "error")
            return None
        if len(who) > 200:
            self._say("ชื่อผู้รับยาวเกินไป", "error")
            return None
        if not isinstance(note, str):
            note = ""
        try:
            rec = self.ledger.mark_received(
                code, rnd, d, who, note[:2000], year=self.year,
                school_name=self.school.names.get(code, ""), today=self.today())
        except (ValueError, LedgerError) as exc:
            self._say(f"บันทึกไม่ได้: {exc}", "error")
            return None
        self.last_record = rec
        status = "ล่าช้า " + rec["days_late"] + " วัน" if rec.get("late") == "yes" else "ตรงเวลา"
        self._say(f"บันทึกแล้ว: {_label(code, self.school.names.get(code, ''))} "
                  f"รับเมื่อ {rec['received_on_be']} ({status})", "ok" if rec.get("late") != "yes" else "warn")
        if self.on_saved:
            try:
                self.on_saved(rec)
            except Exception as exc:
                self._say(f"บันทึกแล้ว แต่การแจ้งต่อผิดพลาด: {exc}", "warn")
        return rec
