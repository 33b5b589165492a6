"""Students by grade and sex against the last round; duplicates and invalid IDs."""

from __future__ import annotations

from obec_audit import dashboard_data as dd
from obec_audit.dashboards.apps.base import DashboardApp, esc, kpi, show


# ---------------------------------------------------------------------------- area overview
class OverviewApp(DashboardApp):
    name = "overview"
    title = "ภาพรวมเขตพื้นที่"

    def render(self, rd):
        from obec_audit import charts

        W = self.W
        info = rd.info
        prev_info = self.previous(info)
        prev = dd.load_round(prev_info) if prev_info else None
        cmp_ = dd.grade_sex_compare(rd, prev)
        h = dd.headline(rd)
        upto = self.rounds[: self.round_keys.index(info.key) + 1]
        trend = dd.id_quality_trend(upto)
        cur_row = trend.iloc[-1]
        kp = [
            kpi("schools", "โรงเรียนทั้งหมด", h["schools"]),
            kpi("students", "นักเรียนทั้งหมด", h["students"], note="คน"),
        ]
        if prev is not None:
            change = h["students"] - len(prev.students)
            kp.append(kpi("students-change", "เปลี่ยนแปลงจากรอบก่อน", change,
                          text=f"{change:+,}", note=f"รอบก่อน {len(prev.students):,} คน"))
        kp += [
            kpi("male", "ชาย", int(cmp_["male"].sum())),
            kpi("female", "หญิง", int(cmp_["female"].sum())),
            kpi("duplicates", "นักเรียนในชุดเลขซ้ำ",
                int(cur_row["dup_school"] + cur_row["dup_area"]),
                note=f"อาจเป็นคนเดียวกัน {int(cur_row['dup_person']):,} คน"),
            kpi("invalid-ids", "เลขประจำตัวไม่ถูกต้อง/ไม่มี", int(cur_row["invalid_id"]),
                note=f"ใช้รหัส G {int(cur_row['gcode']):,} คน"),
        ]
        prev_label = dd.thai_date(prev_info.as_of) if prev_info else ""
        figs = [self.figure_out(charts.grade_sex_bars(cmp_, dd.thai_date(info.as_of), prev_label, as_dict=True))]
        children = [W.HTML('<div class="obec-kpis">' + "".join(kp) + "</div>"), figs[0],
                    W.HTML(self.grade_table(cmp_))]
        if len(trend) >= 1:
            figs.append(self.figure_out(charts.id_quality_lines(trend, as_dict=True)))
            children += [figs[-1], W.HTML(self.trend_table(trend))]
        children.append(W.HTML('<div class="obec-sub">นับเป็นจำนวนนักเรียน (แถวข้อมูล) ที่อยู่ในแต่ละกรณี '
                               'ข้อมูลสรุประดับเขต ไม่มีชื่อหรือเลขประจำตัว</div>'))
        self.body.children = children
        self.mark_ready(len(figs))

    def grade_table(self, c) -> str:
        has_prev = "prev_total" in c.columns
        head = ["ชั้น", "ชาย", "หญิง", "รวม"] + (["รวมรอบก่อน", "เปลี่ยนแปลง"] if has_prev else [])
        rows = []
        for r in c.itertuples(index=False):
            cells = [r.grade, f"{r.male:,}", f"{r.female:,}", f"{r.total:,}"]
            if has_prev:
                cells += [f"{r.prev_total:,}", f"{r.change:+,}"]
            rows.append("<tr>" + "".join(
                f'<td class="{"num" if j else ""}">{esc(x)}</td>' for j, x in enumerate(cells)) + "</tr>")
        tot = [("รวม", c["male"].sum(), c["female"].sum(), c["total"].sum())]
        cells = ["รวมทั้งหมด", f"{int(c['male'].sum()):,}", f"{int(c['female'].sum()):,}",
                 f'<span id="obec-grade-total" data-value="{int(c["total"].sum())}">{int(c["total"].sum()):,}</span>']
        if has_prev:
            cells += [f"{int(c['prev_total'].sum()):,}", f"{int(c['change'].sum()):+,}"]
        rows.append("<tr><th>" + "</th><th>".join(cells) + "</th></tr>")
        del tot
        return ('<h3>นักเรียนแยกชั้นและเพศ</h3><table class="obec-table" id="obec-grade-table" style="width:auto">'
                "<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead><tbody>"
                + "".join(rows) + "</tbody></table>")

    def trend_table(self, t) -> str:
        cols = list(dd.ID_TREND_TH)
        head = "".join(f"<th>{esc(x)}</th>" for x in ["ข้อมูล ณ วันที่", "นักเรียน",
                                                     *dd.ID_TREND_TH.values(), "ชุดที่ซ้ำ"])
        rows = "".join(
            "<tr><td>" + esc(r["as_of_th"]) + "</td>" + f'<td class="num">{int(r["students"]):,}</td>'
            + "".join(f'<td class="num">{int(r[c]):,}</td>' for c in cols)
            + f'<td class="num">{int(r["dup_sets"]):,}</td></tr>'
            for _, r in t.iterrows())
        return ('<h3>เลขซ้ำและเลขประจำตัวไม่ถูกต้องตามรอบ (จำนวนนักเรียน)</h3>'
                '<table class="obec-table" id="obec-trend-table" style="width:auto">'
                f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")




def overview_dashboard(root=None) -> None:
    """Students by grade and sex against the last round; duplicates and invalid IDs."""
    show(OverviewApp, root)
