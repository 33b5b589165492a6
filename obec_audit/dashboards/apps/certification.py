"""Certification progress against the calendar, and who to chase."""

from __future__ import annotations

from obec_audit import dashboard_data as dd
from obec_audit.dashboards.apps.base import ALL, DashboardApp, csv_link, esc, kpi, pct, show, valid_choice


# ---------------------------------------------------------------------------- certification
class CertificationApp(DashboardApp):
    name = "certification"
    title = "ความก้าวหน้าการรับรองข้อมูล"

    def __init__(self, root=None):
        super().__init__(root)
        W = self.W
        wide = {"description_width": "initial"}
        self.f_district = W.Dropdown(description="อำเภอ", style=wide, layout=W.Layout(width="260px"))
        self.f_status = W.Dropdown(description="สถานะ", style=wide, layout=W.Layout(width="300px"))
        self.chase = W.HTML()
        self.download = W.HTML()
        self.chase_frame = None
        self._muted = False
        for w in (self.f_district, self.f_status):
            w.observe(self._on_filter, names="value")

    def render(self, rd):
        from obec_audit import charts

        W = self.W
        summary, chase = dd.certification(rd, self.today)
        self.summary, self.chase_frame = summary, chase
        self.body.children = [
            W.HTML(self.phase_html(summary)),
            W.HTML('<div class="obec-kpis">' + "".join([
                kpi("schools", "โรงเรียนทั้งหมด", summary["n_schools"]),
                kpi("certified", dd.STATUS_TH["certified"], summary["n_certified"], cls="obec-green"),
                kpi("late", dd.STATUS_TH["late"], summary["n_late"]),
                kpi("overdue", dd.STATUS_TH["overdue"], summary["n_overdue"],
                    cls="obec-red" if summary["n_overdue"] else ""),
                kpi("not-yet", dd.STATUS_TH["not_yet"], summary["n_not_yet"], cls="obec-amber"),
                kpi("chase", "โรงเรียนที่ต้องติดตาม", len(chase)),
            ]) + "</div>"),
            self.figure_out(charts.certification_donut(summary, as_dict=True), "520px"),
            W.HTML("<h3>โรงเรียนที่ต้องติดตาม</h3><div class='obec-sub'>เรียงจากเกินกำหนดก่อน "
                   "แล้วตามจำนวนข้อผิดพลาด</div>"),
            W.HBox([self.f_district, self.f_status]),
            self.chase, self.download,
        ]
        self._muted = True
        try:
            d = sorted(x for x in chase["district"].unique() if x)
            self.f_district.options = [("ทั้งหมด", ALL)] + [(x, x) for x in d]
            self.f_district.value = ALL
            self.f_status.options = [("ทั้งหมด", ALL)] + [
                (dd.STATUS_TH[s], s) for s in dd.CHASE_STATUSES if s in set(chase["status"])]
            self.f_status.value = ALL
        finally:
            self._muted = False
        self.refresh()
        self.mark_ready(1)

    def phase_html(self, s: dict) -> str:
        def left(days):
            if days is None:
                return "–", ""
            if days < 0:
                return f"{-days:,}", "วันที่เลยกำหนดมาแล้ว"
            return f"{days:,}", "วันที่เหลือ"

        n1, l1 = left(s["days_left"])
        cal_txt = ""
        if s.get("calendar_phase"):
            st = "กำลังดำเนินการ" if s.get("calendar_status") == "open" else "ช่วงถัดไป"
            n2, l2 = left(s.get("calendar_days_left"))
            cal_txt = (f'<div><div class="obec-sub">ตามปฏิทินวันนี้ ({esc(st)})</div>'
                       f'<div><b>{esc(s["calendar_phase_th"])}</b></div>'
                       f'<div>กำหนดส่ง {esc(s["calendar_deadline_th"] or "–")}</div>'
                       f'<div class="obec-big" id="obec-calendar-days">{esc(n2)}</div>'
                       f'<div class="obec-sub">{esc(l2)}</div></div>')
        cls = "obec-red" if (s["days_left"] or 0) < 0 else ""
        return (
            '<div class="obec-phase">'
            f'<div><div class="obec-sub">รอบที่กำลังรับรอง</div><div><b>{esc(s["phase_th"])}</b></div>'
            f'<div>กำหนดส่งเอกสารรับรอง <span id="obec-deadline">{esc(s["deadline_th"] or "–")}</span></div>'
            f'<div class="obec-big {cls}" id="obec-days-left" data-value="{esc(s["days_left"])}">{esc(n1)}</div>'
            f'<div class="obec-sub">{esc(l1)} (วันนี้ {esc(s["today_th"])})</div></div>'
            f"{cal_txt}</div>"
        )

    def _on_filter(self, change):
        if self._muted or self.chase_frame is None:
            return
        self.safe(self.refresh)

    def refresh(self):
        c = self.chase_frame
        district = valid_choice(self.f_district.value, set(c["district"]), ALL)
        status = valid_choice(self.f_status.value, set(dd.CHASE_STATUSES), ALL)
        f = c
        if district != ALL:
            f = f[f["district"].eq(district)]
        if status != ALL:
            f = f[f["status"].eq(status)]
        head = "".join(f"<th>{h}</th>" for h in ["#", "รหัส", "โรงเรียน", "อำเภอ", "นักเรียน",
                                                  "ความครบถ้วน", "ข้อผิดพลาด", "สถานะ", "เกินกำหนด (วัน)"])
        rows = []
        for i, r in enumerate(f.itertuples(index=False), 1):
            band = dd.completeness_band(r.percent_complete)
            rows.append(
                f'<tr data-school="{esc(r.school_code)}"><td class="num">{i}</td><td>{esc(r.school_code)}</td>'
                f"<td>{esc(r.school_name)}</td><td>{esc(r.district or '–')}</td>"
                f'<td class="num">{int(r.students):,}</td>'
                f'<td class="band-{band}">{esc(pct(r.percent_complete))}</td>'
                f'<td class="num">{int(r.errors):,}</td>'
                f'<td class="st-{esc(r.status)}">{esc(r.status_th)}</td>'
                f'<td class="num">{int(r.days_late) if r.status == "overdue" else ""}</td></tr>')
        body = "".join(rows) or '<tr><td colspan="9">ส่งรับรองครบทุกโรงเรียนแล้ว</td></tr>'
        self.chase.value = (
            f'<div class="obec-sub">ต้องติดตาม <span id="obec-chase-count" data-value="{len(f)}">'
            f"{len(f):,}</span> โรงเรียน</div><div class='obec-table-wrap'>"
            f'<table class="obec-table" id="obec-chase-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")
        info = self.current
        stamp = info.as_of.isoformat() if info and info.as_of else "round"
        out = f.drop(columns=["status"]).rename(columns={
            "school_code": "รหัสโรงเรียน", "school_name": "ชื่อโรงเรียน", "district": "อำเภอ",
            "students": "จำนวนนักเรียน", "percent_complete": "ความครบถ้วน (%)",
            "errors": "ข้อผิดพลาด", "status_th": "สถานะ", "days_late": "เกินกำหนด (วัน)"})
        self.download.value = csv_link(out, f"chase_{stamp}.csv", "ดาวน์โหลดรายชื่อโรงเรียนที่ต้องติดตาม (CSV)")
        if self.renders:
            self.mark_ready(1)




def certification_dashboard(root=None) -> None:
    """Certification progress against the calendar, and who to chase."""
    show(CertificationApp, root)

