"""The main dashboard: every school's completeness, open errors and certification."""

from __future__ import annotations

from obec_audit import dashboard_data as dd
from obec_audit.dashboards.apps.base import ALL, DashboardApp, clean_search, csv_link, esc, kpi, pct, show, valid_choice


# ---------------------------------------------------------------------------- completeness
SORTS = {
    "percent_complete": "ความครบถ้วน",
    "errors": "ข้อผิดพลาด",
    "students": "จำนวนนักเรียน",
    "school_name": "ชื่อโรงเรียน",
    "school_code": "รหัสโรงเรียน",
    "status": "สถานะการรับรอง",
}
TABLE_COLS_TH = {
    "school_code": "รหัส", "school_name": "โรงเรียน", "district": "อำเภอ", "size": "ขนาด",
    "students": "นักเรียน", "percent_complete": "ความครบถ้วน", "fields": "ช่องที่ครบ",
    "errors": "ข้อผิดพลาด", "top": "ประเภทที่พบมาก", "status_th": "การรับรอง",
}


class CompletenessApp(DashboardApp):
    name = "completeness"
    title = "ความครบถ้วนของข้อมูลรายโรงเรียน"

    def __init__(self, root=None):
        super().__init__(root)
        W = self.W
        wide = {"description_width": "initial"}
        self.f_district = W.Dropdown(description="อำเภอ", style=wide, layout=W.Layout(width="230px"))
        self.f_size = W.Dropdown(description="ขนาด", style=wide, layout=W.Layout(width="300px"))
        self.f_level = W.Dropdown(description="ระดับ", style=wide, layout=W.Layout(width="300px"))
        self.f_status = W.Dropdown(description="การรับรอง", style=wide, layout=W.Layout(width="260px"))
        self.f_band = W.Dropdown(description="ความครบถ้วน", style=wide, layout=W.Layout(width="250px"))
        self.f_search = W.Text(description="ค้นหา", placeholder="ชื่อหรือรหัสโรงเรียน",
                               continuous_update=False, style=wide, layout=W.Layout(width="260px"))
        self.f_sort = W.Dropdown(options=[(v, k) for k, v in SORTS.items()],
                                 value="percent_complete", description="เรียงตาม", style=wide,
                                 layout=W.Layout(width="230px"))
        self.f_desc = W.ToggleButtons(options=[("น้อยไปมาก", "asc"), ("มากไปน้อย", "desc")],
                                      value="asc", style={"button_width": "90px"})
        self.school_pick = W.Dropdown(description="ดูรายละเอียดโรงเรียน", style=wide,
                                      layout=W.Layout(width="520px"))
        self.filters = W.VBox([
            W.HBox([self.f_district, self.f_size, self.f_level], layout=W.Layout(flex_flow="row wrap")),
            W.HBox([self.f_status, self.f_band, self.f_search], layout=W.Layout(flex_flow="row wrap")),
            W.HBox([self.f_sort, self.f_desc]),
        ])
        self.kpis = W.HTML()
        self.table = W.HTML()
        self.download = W.HTML()
        self.charts_top = W.HBox()
        self.heatmap = W.HTML()
        self.detail = W.VBox()
        self.t = None
        for w in (self.f_district, self.f_size, self.f_level, self.f_status, self.f_band,
                  self.f_search, self.f_sort, self.f_desc):
            w.observe(self._on_filter, names="value")
        self.school_pick.observe(self._on_school, names="value")
        self._muted = False
        self._detail_figs = 0

    # -- options
    def _set_options(self, t):
        self._muted = True
        try:
            districts = sorted(x for x in t["district"].unique() if x)
            self.f_district.options = [("ทั้งหมด", ALL)] + [(d, d) for d in districts]
            self.f_district.value = ALL
            sizes = [b[0] for b in dd.SIZE_BANDS if b[0] in set(t["size"])]
            self.f_size.options = [("ทั้งหมด", ALL)] + [(s, s) for s in sizes]
            self.f_size.value = ALL
            levels = sorted(x for x in t["level_type"].unique() if x)
            self.f_level.options = [("ทั้งหมด", ALL)] + [(x, x) for x in levels]
            self.f_level.value = ALL
            self.f_status.options = [("ทั้งหมด", ALL)] + [
                (v, k) for k, v in dd.STATUS_TH.items() if k in set(t["status"])]
            self.f_status.value = ALL
            self.f_band.options = [("ทั้งหมด", ALL)] + [(v, k) for k, v in dd.BAND_TH.items()]
            self.f_band.value = ALL
        finally:
            self._muted = False

    def filters_state(self) -> dict:
        """The filters as validated values (a forged value becomes 'all')."""
        t = self.t
        return {
            "district": valid_choice(self.f_district.value, set(t["district"]), ALL),
            "size": valid_choice(self.f_size.value, set(t["size"]), ALL),
            "level": valid_choice(self.f_level.value, set(t["level_type"]), ALL),
            "status": valid_choice(self.f_status.value, set(dd.STATUS_TH), ALL),
            "band": valid_choice(self.f_band.value, set(dd.BAND_TH), ALL),
            "search": clean_search(self.f_search.value),
            "sort": valid_choice(self.f_sort.value, set(SORTS), "percent_complete"),
            "desc": valid_choice(self.f_desc.value, {"asc", "desc"}, "asc") == "desc",
        }

    def filtered(self, state: dict | None = None):
        t = self.t
        s = state or self.filters_state()
        m = t["school_code"].notna()
        if s["district"] != ALL:
            m &= t["district"].eq(s["district"])
        if s["size"] != ALL:
            m &= t["size"].eq(s["size"])
        if s["level"] != ALL:
            m &= t["level_type"].eq(s["level"])
        if s["status"] != ALL:
            m &= t["status"].eq(s["status"])
        if s["band"] != ALL:
            m &= t["band"].eq(s["band"])
        if s["search"]:
            q = s["search"]
            m &= (t["school_name"].str.contains(q, regex=False, case=False)
                  | t["school_code"].str.contains(q, regex=False))
        f = t[m]
        key = s["sort"]
        order = [key, "school_code"] if key != "school_code" else [key]
        return f.sort_values(order, ascending=not s["desc"], na_position="first", kind="stable")

    # -- rendering
    def render(self, rd):
        W = self.W
        from obec_audit import charts

        status = dd.certification_status(rd, self.today)
        self.t = dd.school_table(rd, status)
        h = dd.headline(rd)
        self._set_options(self.t)
        n_cert = int(self.t["status"].isin(["certified", "late"]).sum())
        pc = h["percent_complete"]
        band = dd.completeness_band(pc)
        self.kpis.value = '<div class="obec-kpis">' + "".join([
            kpi("schools", "โรงเรียนทั้งหมด", h["schools"],
                note=f"มีข้อมูล {h['schools_with_data']:,} โรงเรียน"),
            kpi("students", "นักเรียนทั้งหมด", h["students"], note="คน"),
            kpi("complete", "ความครบถ้วนภาพรวม", pc, text=pct(pc), cls=f"obec-{band}"),
            kpi("schools-with-errors", "โรงเรียนที่ยังมีข้อผิดพลาด", h["schools_with_errors"],
                note=f"ข้อผิดพลาดรวม {h['errors']:,} รายการ",
                cls="obec-red" if h["schools_with_errors"] else "obec-green"),
            kpi("certified", "ส่งรับรองแล้ว", n_cert, text=f"{n_cert:,} / {len(self.t):,}",
                note="โรงเรียน"),
        ]) + "</div>"
        legend = ('<div class="obec-legend">สีความครบถ้วน: '
                  f'<span style="background:{charts.BAND_COLORS["red"]};color:white">ต่ำกว่า 90%</span>'
                  f'<span style="background:{charts.BAND_COLORS["amber"]}">90–99.9%</span>'
                  f'<span style="background:{charts.BAND_COLORS["green"]};color:white">ครบ 100%</span>'
                  '</div>')
        self.n_figures = 0
        self.charts_top.children = [
            self.figure_out(charts.band_summary(self.t, as_dict=True), "45%"),
            self.figure_out(charts.errors_by_check(self.t, as_dict=True), "55%"),
        ]
        self.body.children = [
            self.kpis, self.charts_top, W.HTML("<h3>โรงเรียนทั้งหมดในเขต</h3>" + legend),
            self.filters, self.table, self.download, self.heatmap,
            W.HTML("<h3>รายละเอียดรายโรงเรียน</h3>"), self.school_pick, self.detail,
            W.HTML('<div class="obec-sub">ตัวเลขทั้งหมดเป็นข้อมูลสรุปรายโรงเรียน '
                   'ไม่มีชื่อหรือเลขประจำตัวนักเรียน รายชื่อที่ต้องแก้ไขอยู่ในรายงานของแต่ละโรงเรียน</div>'),
        ]
        self.refresh()
        self.mark_ready(2 + 1 + self._detail_figs)

    def _on_filter(self, change):
        if self._muted or self.t is None:
            return
        self.safe(self.refresh)

    def _on_school(self, change):
        if self._muted or self.t is None:
            return
        self.safe(self.render_detail)

    def refresh(self):
        from obec_audit import charts

        state = self.filters_state()
        f = self.filtered(state)
        self.table.value = self.table_html(f)
        info = self.current
        stamp = info.as_of.isoformat() if info and info.as_of else "round"
        self.download.value = csv_link(self.export_frame(f), f"completeness_{stamp}.csv",
                                        "ดาวน์โหลดตารางนี้ (CSV สำหรับ Excel)")
        self.heatmap.value = charts.to_svg(charts.field_heatmap(f, as_dict=True), 1300)
        self._muted = True
        try:
            opts = [(f"{n} ({c})", c) for n, c in zip(f["school_name"], f["school_code"])]
            self.school_pick.options = opts or [("–", "")]
            with_data = f.loc[f["students"] > 0, "school_code"]
            self.school_pick.value = (with_data.iloc[0] if len(with_data)
                                      else (opts[0][1] if opts else ""))
        finally:
            self._muted = False
        self.render_detail()
        if self.renders:
            self.mark_ready(2 + 1 + self._detail_figs)

    def render_detail(self):
        from obec_audit import charts

        t = self.t
        code = valid_choice(self.school_pick.value, set(t["school_code"]), None)
        if code is None:
            self._detail_figs = 0
            self.detail.children = [self.W.HTML('<div class="obec-msg">ไม่มีโรงเรียนตามตัวกรอง</div>')]
            return
        row = t[t["school_code"].eq(code)].iloc[0]
        errs = {c[4:]: int(row[c]) for c in t.columns if c.startswith("err_") and row[c] > 0}
        items = "".join(f"<li>{esc(dd.check_label(k))}: {v:,} รายการ</li>"
                        for k, v in sorted(errs.items(), key=lambda kv: -kv[1]))
        info = (f'<div><b>{esc(row["school_name"])}</b> ({esc(code)}) · {esc(row["district"] or "–")} · '
                f'{esc(row["size"])} · นักเรียน {int(row["students"]):,} คน · '
                f'ความครบถ้วน {esc(pct(row["percent_complete"]))} · '
                f'การรับรอง: {esc(row["status_th"])}</div>'
                f'<div>ข้อผิดพลาดที่ยังเปิดอยู่ {int(row["errors"]):,} รายการ'
                + (f"<ul>{items}</ul>" if items else " ") + "</div>")
        kids = [self.W.HTML(info)]
        self._detail_figs = 0
        if row["students"] > 0:
            kids.append(self.figure_out(charts.school_fields(row, as_dict=True)))
            self._detail_figs = 1
        self.detail.children = kids

    def export_frame(self, f):
        cols = ["school_code", "school_name", "district", "level_type", "size", "students",
                "percent_complete", "fields_complete", "fields_total", "errors", "warnings",
                "status_th"] + [c for c in f.columns if c.startswith("pct_") or c.startswith("err_")]
        out = f[cols].copy()
        ren = {"school_code": "รหัสโรงเรียน", "school_name": "ชื่อโรงเรียน", "district": "อำเภอ",
               "level_type": "ระดับที่เปิดสอน", "size": "ขนาดโรงเรียน", "students": "จำนวนนักเรียน",
               "percent_complete": "ความครบถ้วน (%)", "fields_complete": "ช่องที่ครบ",
               "fields_total": "ช่องทั้งหมด", "errors": "ข้อผิดพลาด", "warnings": "ควรตรวจสอบ",
               "status_th": "การรับรอง"}
        from obec_audit.charts import field_label

        for c in cols:
            if c.startswith("pct_"):
                ren[c] = f"ครบถ้วน: {field_label(c[4:])} (%)"
            elif c.startswith("err_"):
                ren[c] = f"ข้อผิดพลาด: {dd.check_label(c[4:])}"
        return out.rename(columns=ren)

    def table_html(self, f) -> str:
        err_cols = [c for c in f.columns if c.startswith("err_")]
        head = "".join(f"<th>{esc(v)}</th>" for v in ["#", *TABLE_COLS_TH.values()])
        rows = []
        for i, rd in enumerate(f.to_dict("records"), 1):
            top = sorted(((rd[c], c[4:]) for c in err_cols if rd[c] > 0), reverse=True)[:2]
            top_txt = " · ".join(f"{dd.check_label(k)} {v:,}" for v, k in top)
            band = rd["band"]
            rows.append(
                f'<tr data-school="{esc(rd["school_code"])}">'
                f'<td class="num">{i}</td><td>{esc(rd["school_code"])}</td>'
                f'<td>{esc(rd["school_name"])}</td><td>{esc(rd["district"] or "–")}</td>'
                f'<td class="nowrap">{esc(rd["size"].split(" (")[0])}</td>'
                f'<td class="num">{int(rd["students"]):,}</td>'
                f'<td class="band-{band}">{esc(pct(rd["percent_complete"]))}</td>'
                f'<td class="num">{int(rd["fields_complete"])}/{int(rd["fields_total"])}</td>'
                f'<td class="num">{int(rd["errors"]):,}</td><td>{esc(top_txt)}</td>'
                f'<td class="nowrap st-{esc(rd["status"])}">{esc(rd["status_th"])}</td></tr>'
            )
        body = "".join(rows) or '<tr><td colspan="11">ไม่มีโรงเรียนตามตัวกรอง</td></tr>'
        return (f'<div class="obec-sub">แสดง <span id="obec-table-count" data-value="{len(f)}">'
                f'{len(f):,}</span> จาก {len(self.t):,} โรงเรียน</div>'
                f'<div class="obec-table-wrap"><table class="obec-table" id="obec-school-table">'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")




def completeness_dashboard(root=None) -> None:
    """The main dashboard: every school's completeness, open errors and certification."""
    show(CompletenessApp, root)

