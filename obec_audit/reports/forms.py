"""The five forms of the seed's step 4 that the director signs (one sheet each)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from obec_audit.reports.layout import _line, _put_row, _setup
from obec_audit.reports.selections import _Pupils, _room_key, _strs
from obec_audit.schema import GRADE_LEVEL, GRADE_ORDER, GRADES, LEVELS
from obec_audit.thaidate import as_of_text

DEFAULT_AREA = "สพป.เชียงราย เขต 1"

SHEET_COUNTS = "1-จำนวนนักเรียน"
SHEET_DISADVANTAGE = "2-ด้อยโอกาส"
SHEET_BOARDING = "3-พักนอน"
SHEET_DISABILITY = "4-พิการ"
SHEET_IDS = "5-เลขประจำตัวไม่ถูกต้อง"
SHEET_FINDINGS = "ข้อผิดพลาด"
#: the pack's sheets, in order
SHEETS: tuple[str, ...] = (
    SHEET_COUNTS,
    SHEET_DISADVANTAGE,
    SHEET_BOARDING,
    SHEET_DISABILITY,
    SHEET_IDS,
    SHEET_FINDINGS,
)
SUMMARY_SHEETS: tuple[str, ...] = ("สรุปรายโรงเรียน", "สรุปตามรายการตรวจ", "ความครบถ้วน")

TITLES: dict[str, str] = {
    SHEET_COUNTS: "แบบรายงานที่ 1 จำนวนนักเรียนจำแนกตามชั้น เพศ และห้องเรียน",
    SHEET_DISADVANTAGE: "แบบรายงานที่ 2 รายชื่อนักเรียนด้อยโอกาส",
    SHEET_BOARDING: "แบบรายงานที่ 3 รายชื่อนักเรียนพักนอนประจำ",
    SHEET_DISABILITY: "แบบรายงานที่ 4 รายชื่อนักเรียนพิการ",
    SHEET_IDS: "แบบรายงานที่ 5 รายชื่อนักเรียนที่เลขประจำตัวประชาชนไม่ถูกต้อง (ติด G)",
    SHEET_FINDINGS: "รายการข้อผิดพลาดที่โรงเรียนต้องแก้ไขในระบบ DMC",
}
#: what an empty form says (one line; the form keeps its signature)
EMPTY_TEXTS: dict[str, str] = {
    SHEET_DISADVANTAGE: "ไม่มีนักเรียนด้อยโอกาส",
    SHEET_BOARDING: "ไม่มีนักเรียนพักนอนประจำ",
    SHEET_DISABILITY: "ไม่มีนักเรียนพิการ",
    SHEET_IDS: "ไม่มีนักเรียนที่เลขประจำตัวไม่ถูกต้องหรือใช้รหัส G",
}
#: the one sheet of a pack for a school none of whose data could be read
SHEET_NOTICE = "แจ้งส่งข้อมูลใหม่"

EMPTY_LIST_TEXT = "ไม่มีนักเรียนในรายการนี้"
NO_FINDINGS_TEXT = "ไม่พบข้อผิดพลาด"
SEX_UNKNOWN = "ไม่ระบุเพศ"
GRADE_UNKNOWN = "ไม่ระบุชั้น"
ROOM_UNKNOWN = "ไม่ระบุ"
GRAND_TOTAL = "รวมทั้งหมด"


# ------------------------------------------------------------------------------ sheets
@dataclass
class _Ctx:
    school_code: str
    school_name: str  # without the leading โรงเรียน
    area_name: str
    as_of: object


def _school_label(ctx: _Ctx) -> str:
    name = f"โรงเรียน{ctx.school_name}" if ctx.school_name else "โรงเรียน"
    return f"{name}  รหัสโรงเรียน {ctx.school_code}".strip()


def _page_header(ctx: _Ctx) -> str:
    """What every printed page carries at its top: the school, its code, the census date."""
    return f"{_school_label(ctx)}   {as_of_text(ctx.as_of)}"


def _form(book, ctx: _Ctx, sheet: str, widths: list[float], *, landscape: bool = False):
    """A new sheet of the pack, set up for printing before anything is laid out on it."""
    ws = book.sheet(sheet)
    _setup(ws, widths, landscape=landscape, header=_page_header(ctx),
           footer=f"รหัสโรงเรียน {ctx.school_code}")
    return ws


def _header_block(book, ws, ctx: _Ctx, title: str, ncols: int, note: str = "",
                  note_style: str = "note") -> int:
    """Rows 1–4: title, school, area and census date, note. Returns the next row (5)."""
    _line(book, ws, 1, title, "title", ncols)
    _line(book, ws, 2, _school_label(ctx), "sub", ncols)
    _line(book, ws, 3, f"{ctx.area_name}   {as_of_text(ctx.as_of)}".strip(), "sub", ncols)
    if note:
        _line(book, ws, 4, note, note_style, ncols)
    return 5


#: the signature block under every form (the director signs; the lines as Thai forms have them)
SIGNATURE_LINES = (
    "ขอรับรองว่าข้อมูลถูกต้อง",
    "ลงชื่อ ........................................",
    "(........................................)",
    "ผู้อำนวยการโรงเรียน{name}",
    "วันที่ ......./......./.........",
)


#: the height of the row signed on (the dotted line at its foot)
SIGN_ROW_PT = 36.0


def _signature(book, ws, ctx: _Ctx, row: int, widths: list[float]) -> int:
    """The director's signature block from ``row`` + 1, on one page; returns the row after."""
    n = len(widths)
    # centre the block over the right part of the page (at least ~50 width units)
    first = n
    while first > 1 and sum(widths[first - 1:]) < 50:
        first -= 1
    r = row + 1
    ws.heights[r + 1] = SIGN_ROW_PT  # room to sign above the dotted line
    ws.keep(row, len(SIGNATURE_LINES) + 1)
    for text in SIGNATURE_LINES:
        _line(book, ws, r, text.format(name=ctx.school_name or ""), "sign_b"
              if text.startswith("ลงชื่อ") else "sign", n, first_col=first)
        r += 1
    return r


def _empty(book, ws, row, ncols, text=EMPTY_LIST_TEXT) -> int:
    _line(book, ws, row, text, "empty", ncols)
    return row + 1


# ------------------------------------------------------------------------------ report 1
def _sheet_counts(book, ctx, p: _Pupils, dup_rows: int = 0) -> None:
    acc: dict[str, list] = {}
    rooms_acc: dict[tuple, list] = {}
    for g, s, r in zip(p.grade, p.sex, p.room):
        a = acc.get(g)
        if a is None:
            a = acc[g] = [0, 0, 0, 0, set()]
        k = 0 if s == "M" else 1 if s == "F" else 2
        a[k] += 1
        a[3] += 1
        if r and g:  # a classroom is a room of a known grade
            a[4].add(r)
        b = rooms_acc.get((g, r))
        if b is None:
            b = rooms_acc[(g, r)] = [0, 0, 0, 0]
        b[k] += 1
        b[3] += 1
    has_unknown_sex = any(a[2] for a in acc.values())
    known = [g for g in acc if g in GRADE_ORDER]
    levels_present = [lv for lv in LEVELS if any(GRADE_LEVEL[g] == lv for g in known)]
    if not levels_present:
        levels_present = ["อนุบาล", "ประถมศึกษา"]
    sex_heads = ["ชาย", "หญิง"] + ([SEX_UNKNOWN] if has_unknown_sex else [])
    ks = [0, 1, 2] if has_unknown_sex else [0, 1]
    widths = [26] + [14] * (len(sex_heads) + 1) + [16]
    ncols = len(widths)
    ws = _form(book, ctx, SHEET_COUNTS, widths)
    n_rooms = sum(len(a[4]) for a in acc.values())
    note = f"จำนวนนักเรียนทั้งหมด {p.n:,} คน  จำนวนห้องเรียน {n_rooms:,} ห้อง"
    row = _header_block(book, ws, ctx, TITLES[SHEET_COUNTS], ncols, note, "note_r")
    no_grade = acc.get("", [0, 0, 0, 0])[3]
    for text in (
        f"มีนักเรียนที่ไม่ระบุชั้น {no_grade:,} คน: นับรวมในจำนวนนักเรียน แต่ไม่นับเป็นห้องเรียน "
        "ให้บันทึกชั้นในระบบ DMC" if no_grade else "",
        f"มีแถวที่เลขประจำตัวซ้ำกันในโรงเรียน {dup_rows:,} แถว: จำนวนนี้นับทุกแถวตามแฟ้ม "
        "ให้ลบแถวที่ซ้ำในระบบ DMC (ดูแผ่นข้อผิดพลาด)" if dup_rows else "",
    ):
        if text:
            _line(book, ws, row, text, "warn", ncols)
            row += 1

    _line(book, ws, row, "ตอนที่ 1 จำนวนนักเรียนจำแนกตามชั้นและเพศ", "section", ncols)
    part1 = row
    row += 1
    _put_row(book, ws, row, ["ชั้น"] + sex_heads + ["รวม", "จำนวนห้องเรียน"], ["head"] * ncols)
    row += 1
    line_st = ["cell_c"] + ["num"] * (ncols - 1)

    def vals(a):
        return [a[k] for k in ks] + [a[3], len(a[4]) if isinstance(a[4], set) else a[4]]

    grand = [0, 0, 0, 0, 0]
    for lv in levels_present:
        sub = [0, 0, 0, 0, 0]
        for g in GRADES:
            if GRADE_LEVEL[g] != lv:
                continue
            a = acc.get(g, [0, 0, 0, 0, set()])
            v = [a[0], a[1], a[2], a[3], len(a[4])]
            sub = [x + y for x, y in zip(sub, v)]
            _put_row(book, ws, row, [g] + vals(v), line_st)
            row += 1
        _put_row(book, ws, row, [f"รวม {lv}"] + vals(sub), ["sub_l"] + ["sub_n"] * (ncols - 1))
        grand = [x + y for x, y in zip(grand, sub)]
        row += 1
    # unreadable grades (and, in principle, grades of a level not shown)
    order = {**GRADE_ORDER, "": len(GRADES) + 1}
    for g in sorted((g for g in acc if g not in GRADE_ORDER
                     or GRADE_LEVEL[g] not in levels_present),
                    key=lambda x: (order.get(x, len(GRADES)), x)):
        a = acc[g]
        v = [a[0], a[1], a[2], a[3], len(a[4])]
        _put_row(book, ws, row, [g or GRADE_UNKNOWN] + vals(v), line_st)
        grand = [x + y for x, y in zip(grand, v)]
        row += 1
    _put_row(book, ws, row, [GRAND_TOTAL] + vals(grand), ["tot_l"] + ["tot_n"] * (ncols - 1))
    ws.keep(part1, row - part1 + 1)  # part 1 is one small table: never split
    row += 2

    # part 2: grade × room, its header on every page it runs onto; only when it says more
    # than part 1 (a grade with several rooms, or a room not known)
    if p.n == 0:
        row = _empty(book, ws, row - 1, ncols)
    elif any(len(a[4]) > 1 for a in acc.values()) or any(not r for _, r in rooms_acc):
        _line(book, ws, row, "ตอนที่ 2 จำนวนนักเรียนจำแนกตามชั้นและห้องเรียน", "section", ncols)
        row += 1
        big = len(GRADES)
        keys = sorted(rooms_acc, key=lambda k: (GRADE_ORDER.get(k[0], big), k[0] == "", k[0],
                                                 k[1] == "", _room_key(k[1])))
        st = ["cell_c", "cell_c"] + ["num"] * (ncols - 2)
        tot = [0, 0, 0, 0]
        cols: list[list] = [[] for _ in range(ncols)]
        for g, r in keys:
            b = rooms_acc[(g, r)]
            tot = [x + y for x, y in zip(tot, b)]
            for c, v in zip(cols, [g or GRADE_UNKNOWN, r or ROOM_UNKNOWN] + [b[k] for k in ks]
                            + [b[3]]):
                c.append(v)
        row = ws.table(row, cols, st, widths, header=["ชั้น", "ห้อง"] + sex_heads + ["รวม"],
                       lead=1, last=([GRAND_TOTAL, f"{n_rooms:,} ห้อง"] + [tot[k] for k in ks]
                                     + [tot[3]], ["tot_l", "tot_l"] + ["tot_n"] * (ncols - 2)))
    _signature(book, ws, ctx, row, widths)


# ------------------------------------------------------------------------------ reports 2–5
def _list_sheet(book, ctx, sheet, p: _Pupils, pos: list[int], type_head: str | None,
                types: list[str] | None, *, extra_head: str | None = None,
                extra: list[str] | None = None, note_extra: str = "",
                type_order: list[str] | None = None, legend: dict[str, str] | None = None,
                warn: str = "") -> None:
    """A list of students: ลำดับ, เลขประจำตัวประชาชน, ชื่อ-นามสกุล, ชั้น, ห้อง, [extra], [type];
    then a count by type (ชาย/หญิง/รวม), the legend and the signature. An empty list is one
    line saying so ("ไม่มี…"), and the form keeps its signature."""
    heads = ["ลำดับ", "เลขประจำตัวประชาชน", "ชื่อ-นามสกุล", "ชั้น", "ห้อง"]
    widths = [7, 19, 31, 8, 7]
    styles = ["cell_cn", "cell_c", "cell", "cell_c", "cell_c"]
    if extra_head:
        heads.append(extra_head)
        widths.append(13)
        styles.append("cell_c")
    if type_head:
        heads.append(type_head)
        widths.append(30 if not extra_head else 24)
        styles.append("cell_w")
    ncols = len(heads)
    ws = _form(book, ctx, sheet, widths)
    n = len(pos)
    note = f"จำนวน {n:,} คน" + (f"  {note_extra}" if note_extra else "")
    row = _header_block(book, ws, ctx, TITLES[sheet], ncols, note, "note_r")
    if warn:
        _line(book, ws, row, warn, "warn", ncols)
        row += 1
    if n == 0:
        row = _empty(book, ws, row, ncols, EMPTY_TEXTS.get(sheet, EMPTY_LIST_TEXT))
    else:
        cols = [range(1, n + 1), [p.id_shown[i] for i in pos], [p.name[i] for i in pos],
                [p.grade_shown[i] for i in pos], [p.room[i] for i in pos]]
        if extra_head:
            cols.append([extra[i] for i in pos])
        if type_head:
            cols.append([types[i] for i in pos])
        row = ws.table(row, cols, styles, widths, header=heads)
        if type_head and types is not None:
            row = _type_counts(book, ws, row + 1, [types[i] for i in pos],
                               [p.sex[i] for i in pos], type_head, ncols, type_order)
    if legend:
        row += 1
        for k, text in legend.items():
            _line(book, ws, row, f"{k}: {text}", "note", ncols)
            row += 1
    _signature(book, ws, ctx, row, widths)


def _type_counts(book, ws, row, types: list[str], sex: list[str], head: str, ncols: int,
                 order: list[str] | None) -> int:
    """A small table under a list, kept on one page with its own header: ลำดับ, type
    (merged over the middle columns), ชาย, หญิง, รวม (the last three columns). Returns the
    next free row."""
    top = row
    _line(book, ws, row, f"สรุปจำนวนตาม{head}", "section", ncols)
    row += 1
    acc: dict[str, list[int]] = {}
    for t, s in zip(types, sex):
        a = acc.setdefault(t, [0, 0, 0])
        a[0] += s == "M"
        a[1] += s == "F"
        a[2] += 1
    rank = {k: i for i, k in enumerate(order or [])}
    keys = sorted(acc, key=lambda k: (rank.get(k, len(rank)), -acc[k][2], k))
    c_type, c_m = 2, max(3, ncols - 2)
    c_f, c_t = c_m + 1, c_m + 2

    def put_line(r, first, label, nums, lab_style, first_style, num_style):
        ws.put(r, 1, first, first_style)
        ws.put(r, c_type, label, lab_style)
        for c in range(c_type + 1, c_m):
            ws.put(r, c, None, lab_style)
        if c_m - 1 > c_type:
            ws.merge(r, c_type, r, c_m - 1)
        for c, v in zip((c_m, c_f, c_t), nums):
            ws.put(r, c, v, num_style)

    put_line(row, "ลำดับ", head, ["ชาย", "หญิง", "รวม"], "head", "head", "head")
    row += 1
    tot = [0, 0, 0]
    for i, k in enumerate(keys, start=1):
        a = acc[k]
        tot = [x + y for x, y in zip(tot, a)]
        put_line(row, i, k or "ไม่ระบุ", a, "cell", "cell_cn", "num")
        row += 1
    put_line(row, None, "รวม", tot, "tot_l", "tot_l", "tot_n")
    ws.keep(top, row - top + 1)
    return row + 1


# ------------------------------------------------------------------------------ notice
def _sheet_notice(book, ctx, findings: pd.DataFrame) -> None:
    """The pack of a school none of whose data could be read: what was wrong with each file
    and what to send again. Nothing to sign: there is nothing to certify."""
    widths = [8, 40, 52]
    ws = _form(book, ctx, SHEET_NOTICE, widths)
    row = _header_block(book, ws, ctx, "แจ้งโรงเรียนส่งแฟ้มรายชื่อนักเรียนใหม่", 3,
                        "อ่านข้อมูลนักเรียนของโรงเรียนจากแฟ้มที่ได้รับไม่ได้เลย "
                        "จึงยังทำแบบรายงานทั้ง 5 ให้ผู้อำนวยการลงนามไม่ได้", "warn")
    files = _strs(findings, "source_file")
    messages = _strs(findings, "message")
    seen: dict[str, str] = {}
    for f, m in zip(files, messages):
        seen.setdefault(f or "-", m)
    row += 1
    row = ws.table(row, [range(1, len(seen) + 1), list(seen), list(seen.values())],
                   ["cell_cn", "cell_w", "cell_w"], widths, header=["ลำดับ", "แฟ้ม", "ปัญหา"])
    row += 1
    for text in (
        "สิ่งที่ต้องทำ:",
        "1. ดาวน์โหลดรายชื่อนักเรียนของโรงเรียนจากระบบ DMC ใหม่ (แฟ้ม .xlsx ตามที่ระบบให้มา)",
        "2. ไม่ต้องเปิดแก้หรือบันทึกซ้ำด้วย Excel ก่อนส่ง เพราะ Excel อาจทำให้เลขประจำตัวเสีย",
        "3. ส่งแฟ้มให้เจ้าหน้าที่ สพป. เพื่อตรวจอีกครั้ง แล้วจึงจะได้แบบรายงานให้ผู้อำนวยการลงนาม",
    ):
        _line(book, ws, row, text, "note", 3)
        row += 1


def _clean_school_name(name) -> str:
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return ""
    s = str(name).strip()
    return re.sub(r"^โรงเรียน\s*", "", s)
