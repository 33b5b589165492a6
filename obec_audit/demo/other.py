"""The demo area's other datasets: discharge records, EMIS class counts, staff (per-person lists,
and for some schools the EMIS counts page instead), M-OBEC equipment (this year and last) and
B-OBEC buildings, each with its seeded errors. Some pages name their school only by the
10-digit ministry code or OBEC-6 code (file name or title row), and some lack columns, as the
public EMIS pages do (one ``*-incomplete`` note per file × column)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from obec_audit import reference
from obec_audit.demo import people, writers
from obec_audit.demo.render import be_text
from obec_audit.schema import GRADES

EMIS_GRADE = {g: (g.replace("อ.", "อบ.") if g.startswith("อ.") else g) for g in GRADES}


def _err(rows: list, **kw) -> None:
    base = {"dataset": "", "phase": "", "round": "", "previous": "", "census": "", "source_file": "",
            "source_row": None, "school_code": "", "check": "", "field": "", "group": "",
            "national_id": "", "note": ""}
    base.update(kw)
    rows.append(base)


# ------------------------------------------------------------------------------ discharges
def write_discharges(d: pd.DataFrame, census, folder: Path, names: dict) -> pd.DataFrame:
    folder.mkdir(parents=True, exist_ok=True)
    fname = f"discharges_{census.key}.xlsx"
    head = ["รหัสโรงเรียน", "ชื่อโรงเรียน", "เลขประจำตัวประชาชน", "คำนำหน้าชื่อ", "ชื่อ", "นามสกุล", "ชั้น",
            "สาเหตุการจำหน่าย", "วันที่จำหน่าย"]
    rows = [[r.school_code, names[r.school_code], r.national_id, r.title, r.first_name, r.last_name, r.grade,
             r.reason, be_text(r.discharge_date)] for r in d.itertuples()]
    (folder / fname).write_bytes(writers.xlsx_bytes([head] + rows, "จำหน่าย"))
    d = d.copy()
    d["source_file"] = fname
    d["source_row"] = np.arange(2, len(d) + 2)
    d["discharge_date"] = [x.isoformat() for x in d["discharge_date"]]
    return d


# ------------------------------------------------------------------------------ class counts
def write_class_counts(T: pd.DataFrame, census, folder: Path, schools: pd.DataFrame, gaps: dict,
                       rooms_prev: dict) -> tuple[pd.DataFrame, dict]:
    """EMIS counts by grade from the census's rows; rooms kept from before for emptied grades."""
    folder.mkdir(parents=True, exist_ok=True)
    fname = f"class_counts_{census.key}.csv"
    rows = [["รหัสโรงเรียน", "ชั้น", "ชาย", "หญิง", "รวม", "ห้องเรียน"]]
    recs = []
    g = T[T["grade"].ne("")]
    cnt = g.groupby(["school_code", "grade", "sex"]).size()
    rooms = g.groupby(["school_code", "grade"])["room"].nunique()
    present = set(T["school_code"])
    rooms_now = {}
    for _, s in schools.iterrows():
        code = s["smis8"]
        if code not in present:
            continue
        for gr in s["grades"]:
            m = int(cnt.get((code, gr, "M"), 0))
            f = int(cnt.get((code, gr, "F"), 0))
            tot = int(((g["school_code"] == code) & (g["grade"] == gr)).sum()) if (m + f) == 0 else m + f
            rm = int(rooms.get((code, gr), 0))
            if tot == 0:
                rm = rooms_prev.get((code, gr), 0)
            rooms_now[(code, gr)] = rm if tot else rooms_prev.get((code, gr), 0)
            rows.append([code, EMIS_GRADE[gr], m, f, tot, rm])
            recs.append({"school_code": code, "grade": gr, "total": tot, "rooms": rm, "source_row": len(rows)})
    (folder / fname).write_bytes(writers.csv_bytes(rows, "utf-8-sig"))
    R = pd.DataFrame(recs)
    R["source_file"] = fname
    return R, rooms_now


# ------------------------------------------------------------------------------ staff
STAFF_HEAD = ["รหัสโรงเรียน", "ชื่อโรงเรียน", "เลขประจำตัวประชาชน", "คำนำหน้าชื่อ", "ชื่อ", "นามสกุล", "เพศ",
              "ตำแหน่ง", "วิทยฐานะ", "ระดับ", "วันเกิด", "วิชาเอก"]
SUBJECTS = ["ภาษาไทย", "คณิตศาสตร์", "วิทยาศาสตร์", "สังคมศึกษา", "ภาษาอังกฤษ", "ปฐมวัย", "พลศึกษา",
            "ศิลปศึกษา", "คอมพิวเตอร์", "การประถมศึกษา", "ดนตรี"]


def write_staff(rng, counts: pd.Series, schools: pd.DataFrame, folder: Path, census_key: str,
                taken: set, names_sampler, errors: list) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    codes = list(schools["smis8"])
    names = dict(zip(schools["smis8"], schools["school_name"]))
    no_dir = codes[int(rng.integers(0, len(codes)))]
    big = [c for c in codes if counts.get(c, 0) >= 400 and c != no_dir]
    ratio_bad = big[0] if big else codes[1]
    bad_id_schools = list(rng.choice([c for c in codes if c not in (no_dir, ratio_bad)], 3, replace=False))
    code_schools = list(rng.choice([c for c in codes if c not in (no_dir, ratio_bad)], 3, replace=False))
    dup_pair = list(rng.choice([c for c in codes if c not in (no_dir, ratio_bad)], 2, replace=False))
    per_school = {}
    for code in codes:
        n = int(counts.get(code, 0))
        teach = max(2, int(round(n / rng.uniform(15, 22))))
        if code == ratio_bad:
            teach = 3
        rows = []
        pos = ["ผู้อำนวยการโรงเรียน"] if code != no_dir else []
        pos += ["รองผู้อำนวยการโรงเรียน"] * (1 if n > 600 else 0) + (["รองผู้อำนวยการโรงเรียน"] if n > 1200 else [])
        k = teach - len(pos)
        pos += list(rng.choice(["ครู", "ครู", "ครู", "ครู", "ครูผู้ช่วย", "พนักงานราชการ"], max(1, k)))
        pos += list(rng.choice(["ลูกจ้างชั่วคราว", "ลูกจ้างประจำ"], int(rng.integers(1, 3 + n // 300)), p=[0.8, 0.2]))
        m = len(pos)
        sex = np.where(rng.random(m) < 0.35, "M", "F")
        first = names_sampler.first(rng, sex)
        last = names_sampler.family(rng, m)
        ids = people.make_pins(rng, np.where(rng.random(m) < 0.5, 3, 1), np.array(["5701"] * m), taken)
        for i, p in enumerate(pos):
            if p in ("ผู้อำนวยการโรงเรียน", "รองผู้อำนวยการโรงเรียน"):
                st = str(rng.choice(["ชำนาญการ", "ชำนาญการพิเศษ", "ชำนาญการพิเศษ", "เชี่ยวชาญ"]))
                lv = {"ชำนาญการ": "คศ.2", "ชำนาญการพิเศษ": "คศ.3", "เชี่ยวชาญ": "คศ.4"}[st]
            elif p == "ครู":
                st = str(rng.choice(["-", "ชำนาญการ", "ชำนาญการพิเศษ"], p=[0.35, 0.35, 0.30]))
                lv = {"-": "คศ.1", "ชำนาญการ": "คศ.2", "ชำนาญการพิเศษ": "คศ.3"}[st]
            elif p == "ครูผู้ช่วย":
                st, lv = "-", "ครูผู้ช่วย"
            else:
                st, lv = "-", "-"
            age = int(rng.integers(24, 59)) if p not in ("ผู้อำนวยการโรงเรียน",) else int(rng.integers(42, 60))
            bd = dt.date(2026 - age, int(rng.integers(1, 13)), int(rng.integers(1, 29)))
            title = "นาย" if sex[i] == "M" else str(rng.choice(["นาง", "นางสาว"]))
            subj = str(rng.choice(SUBJECTS)) if p in ("ครู", "ครูผู้ช่วย", "พนักงานราชการ") else (
                "บริหารการศึกษา" if "อำนวยการ" in p else "-")
            rows.append([code, names[code], ids[i], title, first[i], last[i], "ชาย" if sex[i] == "M" else "หญิง",
                         p, st, lv, be_text(bd), subj])
        per_school[code] = rows
    fname = lambda c: f"staff_{c}_{census_key}.xlsx"  # noqa: E731
    # seeded errors
    for c in bad_id_schools:
        r = per_school[c][-1 if len(per_school[c]) > 2 else 0]
        r[2] = people.break_check_digit(r[2], rng) if rng.random() < 0.5 else r[2][:-2]
        _err(errors, dataset="staff", phase="round1", round=census_key, census=census_key, source_file=fname(c),
             source_row=len(per_school[c]) + 1 if r is per_school[c][-1] else 2, school_code=c, check="staff-id",
             field="national_id", national_id=r[2])
    for i, c in enumerate(code_schools):
        rows = per_school[c]
        j = next((k for k, r in enumerate(rows) if r[7] in ("ครู", "ลูกจ้างชั่วคราว")), 0)
        if i == 0:
            rows[j][7] = "ครูอัตราจ้าง"
            fld = "position"
        elif i == 1:
            rows[j][8] = "ชำนาญงาน"
            fld = "academic_standing"
        else:
            rows[j][7], rows[j][8], rows[j][9] = "ลูกจ้างชั่วคราว", "ชำนาญการพิเศษ", "คศ.3"
            fld = "academic_standing"
        _err(errors, dataset="staff", phase="round1", round=census_key, census=census_key, source_file=fname(c),
             source_row=j + 2, school_code=c, check="staff-code", field=fld, national_id=rows[j][2])
    a, b = dup_pair
    src = per_school[a][-1] if per_school[a][-1][7].startswith("ครู") else per_school[a][1 if len(per_school[a]) > 1 else 0]
    copy = list(src)
    copy[0], copy[1] = b, names[b]
    per_school[b].append(copy)
    ia = per_school[a].index(src) + 2
    for c, r in ((a, ia), (b, len(per_school[b]) + 1)):
        _err(errors, dataset="staff", phase="round1", round=census_key, census=census_key, source_file=fname(c),
             source_row=r, school_code=c, check="staff-dup", field="national_id", group=f"staff-dup:{src[2]}",
             national_id=src[2])
    _err(errors, dataset="staff", phase="round1", round=census_key, census=census_key, source_file=fname(no_dir),
         school_code=no_dir, check="staff-no-director")
    _err(errors, dataset="staff", phase="round1", round=census_key, census=census_key, source_file=fname(ratio_bad),
         school_code=ratio_bad, check="staff-ratio", note=f"{int(counts.get(ratio_bad, 0))} students, 3 teachers")
    busy = {no_dir, ratio_bad, *bad_id_schools, *code_schools, *dup_pair}
    free = [c for c in codes if c not in busy]
    pages = [str(c) for c in rng.permutation(free)[:10]] if free else []
    id10 = dict(zip(schools["smis8"], schools.get("school_id10", schools["smis8"])))
    for k, c in enumerate(pages):
        write_staff_counts(c, per_school[c], folder, census_key, k, id10.get(c, c), names[c], errors)
    left = [c for c in free if c not in pages]
    if left:  # a per-person list without the วิทยฐานะ column: one note, no error per row
        c = left[0]
        head = [h for h in STAFF_HEAD if h != "วิทยฐานะ"]
        per_school[c] = [r[:8] + r[9:] for r in per_school[c]]
        (folder / fname(c)).write_bytes(writers.xlsx_bytes([head] + per_school[c], "บุคลากร"))
        _err(errors, dataset="staff", phase="round1", round=census_key, census=census_key, source_file=fname(c),
             school_code=c, check="staff-incomplete", field="academic_standing")
    for c in codes:
        if c in pages or (left and c == left[0]):
            continue
        (folder / fname(c)).write_bytes(writers.xlsx_bytes([STAFF_HEAD] + per_school[c], "บุคลากร"))


#: the EMIS staff counts page's rows (``reference/emis_staff_example_*.csv``)
COUNT_TEMPLATE: list[tuple[str, str, str]] = (
    [("1. ผู้อำนวยการโรงเรียน", st, lv) for st, lv in (("-", "คศ.1"), ("ชำนาญการ", "คศ.2"),
     ("ชำนาญการพิเศษ", "คศ.3"), ("เชี่ยวชาญ", "คศ.4"), ("เชี่ยวชาญพิเศษ", "คศ.5"))]
    + [("2. รองผู้อำนวยการโรงเรียน", st, lv) for st, lv in (("-", "คศ.1"), ("ชำนาญการ", "คศ.2"),
       ("ชำนาญการพิเศษ", "คศ.3"), ("เชี่ยวชาญ", "คศ.4"))]
    + [("3. ครู", st, lv) for st, lv in (("-", "คศ.1"), ("ชำนาญการ", "คศ.2"), ("ชำนาญการพิเศษ", "คศ.3"),
       ("เชี่ยวชาญ", "คศ.4"), ("เชี่ยวชาญพิเศษ", "คศ.5"))]
    + [("4. ครูผู้ช่วย", "-", "ครูผู้ช่วย"), ("5. ลูกจ้างประจำ", "-", "-"), ("6. พนักงานราชการ", "-", "-"),
       ("7. ลูกจ้างชั่วคราว", "-", "-")]
)


def write_staff_counts(code: str, people_rows: list, folder: Path, census_key: str, k: int, id10: str,
                       name: str, errors: list) -> None:
    """The school's staff as the EMIS counts page (position × standing × level × sex). Page ``k``
    of the chosen schools gets a seeded fault: 0 total ≠ ชาย + หญิง, 1 no director, 2 a standing
    impossible for the position, 3 no ระดับ column, 4 another wrong total; the pages after them
    are clean, named by the ministry code (5), with the code in a title row (6)."""
    n: dict[tuple, list[int]] = {}
    for r in people_rows:
        key = (r[7], r[8], r[9])
        n.setdefault(key, [0, 0])[0 if r[6] == "ชาย" else 1] += 1
    rows = []
    for pos, st, lv in COUNT_TEMPLATE:
        m, f = n.pop((pos.split(". ", 1)[1], st, lv), [0, 0])
        rows.append([pos, st, lv, m, f, m + f])
    for (pos, st, lv), (m, f) in n.items():  # anything outside the template (none expected)
        rows.append([pos, st, lv, m, f, m + f])
    head = ["ตำแหน่ง", "วิทยฐานะ", "ระดับ", "ชาย", "หญิง", "รวม"]
    title: list[list] = []
    fname = f"staff_counts_{code}_{census_key}.csv"
    fault = None
    if k in (0, 4):
        i = next(j for j, r in enumerate(rows) if r[5] > 0 and j >= 9)
        rows[i][5] += 1 if k == 0 else -1
        fault = ("staff-total", i, "total")
    elif k == 1:
        for r in rows[:5]:
            r[3] = r[4] = r[5] = 0
        fault = ("staff-no-director", None, "")
    elif k == 2:
        i = 17  # 7. ลูกจ้างชั่วคราว
        rows[i][1] = "ชำนาญการ"
        if rows[i][5] == 0:
            rows[i][4], rows[i][5] = 1, 1
        fault = ("staff-code", i, "academic_standing")
    elif k == 3:
        head = head[:2] + head[3:]
        rows = [r[:2] + r[3:] for r in rows]
        fault = ("staff-incomplete", None, "level")
    elif k == 5:
        fname = f"emis_staff_{id10}.csv"
    elif k == 6:
        title = [[f"ข้อมูลบุคลากร โรงเรียน{name} รหัสโรงเรียน {id10}"]]
        fname = f"emis_staff_page_{census_key}_{k}.csv"
    (folder / fname).write_bytes(writers.csv_bytes(title + [head] + rows, "utf-8-sig"))
    if fault:
        check, i, fld = fault
        _err(errors, dataset="staff", phase="round1", round=census_key, census=census_key, source_file=fname,
             source_row=None if i is None else i + 2 + len(title), school_code=code, check=check, field=fld)


# ------------------------------------------------------------------------------ M-OBEC
MOBEC_HEAD = ["รหัสโรงเรียน", "รหัส", "รายการ", "รายการ(cm.)", "จำนวนที่ใช้ได้", "จำนวนรอซ่อม", "จำนวนรอจำหน่าย"]


def write_mobec(rng, by_level: pd.DataFrame, schools: pd.DataFrame, root: Path, year_be: int, errors: list) -> None:
    items = reference.mobec_items()
    codes = list(schools["smis8"])
    cur_dir = root / str(year_be)
    prev_dir = root / str(year_be - 1)
    cur_dir.mkdir(parents=True, exist_ok=True)
    prev_dir.mkdir(parents=True, exist_ok=True)
    pick = list(rng.permutation([c for c in codes]))
    missing_s, count_s, few_s, change_s = pick[0:2], pick[2:6], pick[6:8], pick[8:11]
    # a page without จำนวนรอจำหน่าย (one note); a page named by the ministry code, no school column
    no_disposal, by_id10 = pick[11:12], pick[12:13]
    id10 = dict(zip(schools["smis8"], schools.get("school_id10", schools["smis8"])))
    for code in codes:
        kg, pr, se = (int(by_level.at[code, x]) if code in by_level.index else 0 for x in ("k", "p", "s"))
        n = kg + pr + se
        base = {}
        for it in items["code"]:
            if it == "11001":
                v = int(round(kg * rng.uniform(0.95, 1.2)))
            elif it == "22001":
                v = int(round(pr * rng.uniform(0.95, 1.2)))
            elif it == "22002":
                v = int(round(se * rng.uniform(0.95, 1.2)))
            elif it in ("22033", "21007"):
                v = int(max(2, n // 25 + rng.integers(0, 4)))
            elif it in ("24005",):
                v = int(n // 8)
            elif it.startswith("25"):
                v = int(rng.random() < 0.3)
            else:
                v = int(rng.poisson(1.5 if n < 200 else 4))
            base[it] = v
        prev = dict(base)
        cur = dict(base)
        for it in ("11001", "22001", "22002"):
            prev[it] = int(round(base[it] * rng.uniform(0.93, 1.0)))
        rows_cur = []
        for _, r in items.iterrows():
            u = cur[r["code"]]
            rows_cur.append([code, r["code"], r["category"], r["item"], u, int(u > 5 and rng.random() < 0.2),
                             int(u > 8 and rng.random() < 0.1)])
        rows_prev = [[code, r["code"], r["category"], r["item"], prev[r["code"]], 0, 0] for _, r in items.iterrows()]
        fname = f"mobec_{code}_{year_be}.xlsx"
        if code in missing_s:
            drop = sorted(rng.choice(len(rows_cur), 3, replace=False), reverse=True)
            miss = [rows_cur[i][1] for i in drop]
            for i in drop:
                rows_cur.pop(i)
            _err(errors, dataset="mobec", phase="mobec", round=str(year_be), census=str(year_be), source_file=fname,
                 school_code=code, check="mobec-missing-item", field="item_code", note=" ".join(sorted(miss)))
        if code in count_s:
            i = int(rng.integers(3, len(rows_cur)))
            col = int(rng.choice([4, 5]))
            rows_cur[i][col] = float(rng.choice([-1.0, -3.0, 2.5, 1.5]))
            if isinstance(rows_cur[i][col], float) and rows_cur[i][col].is_integer():
                rows_cur[i][col] = int(rows_cur[i][col])
            _err(errors, dataset="mobec", phase="mobec", round=str(year_be), census=str(year_be), source_file=fname,
                 source_row=i + 2, school_code=code, check="mobec-count",
                 field={4: "usable", 5: "repair"}[col], note=str(rows_cur[i][col]))
        if code in few_s:
            it = "22001" if pr else "11001"
            i = next(k for k, r in enumerate(rows_cur) if r[1] == it)
            rows_cur[i][4] = max(1, int((pr if it == "22001" else kg) * 0.15))
            _err(errors, dataset="mobec", phase="mobec", round=str(year_be), census=str(year_be), source_file=fname,
                 source_row=i + 2, school_code=code, check="mobec-implausible", field="usable", note=it)
            # the same row also changes a lot from last year
            if prev[it] >= 10:
                _err(errors, dataset="mobec", phase="mobec", round=str(year_be), census=str(year_be),
                     source_file=fname, source_row=i + 2, school_code=code, check="mobec-change",
                     field="usable", note=it)
        if code in change_s:
            i = next(k for k, r in enumerate(rows_cur) if r[1] == "22033")
            rows_cur[i][4] = int(prev["22033"] * 10 + 20)
            _err(errors, dataset="mobec", phase="mobec", round=str(year_be), census=str(year_be), source_file=fname,
                 source_row=i + 2, school_code=code, check="mobec-change", field="usable", note="22033")
        head = MOBEC_HEAD
        if code in no_disposal:
            head, rows_cur = MOBEC_HEAD[:-1], [r[:-1] for r in rows_cur]
            _err(errors, dataset="mobec", phase="mobec", round=str(year_be), census=str(year_be), source_file=fname,
                 school_code=code, check="mobec-incomplete", field="disposal")
        elif code in by_id10:
            fname = f"mobec_{id10[code]}_{year_be}.xlsx"
            head, rows_cur = MOBEC_HEAD[1:], [r[1:] for r in rows_cur]
        (cur_dir / fname).write_bytes(writers.xlsx_bytes([head] + rows_cur, "ครุภัณฑ์"))
        (prev_dir / f"mobec_{code}_{year_be - 1}.xlsx").write_bytes(
            writers.xlsx_bytes([MOBEC_HEAD] + rows_prev, "ครุภัณฑ์"))


# ------------------------------------------------------------------------------ B-OBEC
BOBEC_HEAD = ["รหัสโรงเรียน", "ชื่อโรงเรียน", "ลำดับ", "ประเภท", "แบบ", "จำนวนห้องตามแบบ", "จำนวนห้องที่มีจริง",
              "ห้องพิเศษ", "ปีที่สร้าง", "งบประมาณ", "แหล่งงบประมาณ", "สภาพ", "รูปถ่าย"]
CLASS_DESIGNS = [("สปช.105/29", 4), ("ป.1ข", 3), ("017", 4), ("สปช.102/26", 2), ("แบบ 216 ล", 6), ("พิเศษ 4 ชั้น", 16)]
OTHER_BUILDINGS = [("อาคารอเนกประสงค์/โรงอาหาร/โรงฝึกงาน/หอประชุม", "สปช.203/26", 1),
                   ("อาคารอเนกประสงค์/โรงอาหาร/โรงฝึกงาน/หอประชุม", "หลังคาคลุมลานอเนกประสงค์", 1),
                   ("บ้านพักครู", "องค์การฯ", 1), ("ส้วม", "สปช.601/26", 4), ("ส้วม", "อื่น อื่น", 4),
                   ("สนามกีฬา", "สนามฟุตบอล แบบ ฟ.3", 0), ("ถังเก็บน้ำ", "ฝ.33", 0), ("รั้ว", "รั้วคอนกรีต", 0)]


def write_bobec(rng, classes: pd.Series, schools: pd.DataFrame, root: Path, year_be: int, errors: list) -> None:
    folder = root / str(year_be)
    folder.mkdir(parents=True, exist_ok=True)
    codes = list(schools["smis8"])
    names = dict(zip(schools["smis8"], schools["school_name"]))
    pick = list(rng.permutation(codes))
    seeds = {"bobec-year": pick[0:4], "bobec-condition": pick[4:7], "bobec-rooms": pick[7:10],
             "bobec-classrooms": pick[10:12], "bobec-photo": pick[12:15]}
    # EMIS's public list (ประเภท, แบบ, ปีที่สร้าง only, named by the ministry code): one note per
    # missing column; a full page whose school is named only in a title row (OBEC-6 code)
    emis_page, titled = pick[15:16], pick[16:17]
    reg = schools.set_index("smis8")
    for code in codes:
        need = int(classes.get(code, 8)) + 1
        rows = []
        built = 0
        designs = [d for d in CLASS_DESIGNS if d[1] <= 6] if need < 20 else CLASS_DESIGNS
        while built < need:
            d, rooms = designs[int(rng.integers(0, len(designs)))]
            rows.append(["อาคารเรียน", d, rooms, rooms, 0])
            built += rooms
        if code in seeds["bobec-classrooms"]:
            # fewer classrooms than classes: keep about half
            rows = rows[: max(1, len(rows) // 2)]
            while sum(r[3] for r in rows) >= need - 2 and rows[-1][3] > 1:
                rows[-1][3] -= 1
        for cat, d, rm in OTHER_BUILDINGS:
            if rng.random() < 0.75:
                rows.append([cat, d, rm, rm, 0])
        out = []
        for i, (cat, d, drm, arm, sp) in enumerate(rows, start=1):
            cond = str(rng.choice(["ดี", "พอใช้", "ทรุดโทรม"], p=[0.5, 0.4, 0.1]))
            photos = int(rng.integers(1, 4)) if cond == "ทรุดโทรม" else int(rng.integers(0, 3))
            year = int(rng.integers(2505, year_be))
            budget = int(rng.integers(2, 60)) * 50000
            out.append([code, names[code], i, cat, d, drm, arm, sp, year, budget,
                        str(rng.choice(["งบประมาณ สพฐ.", "งบประมาณ สพฐ.", "เงินบริจาค", "องค์การบริหารส่วนตำบล"])),
                        cond, photos])
        fname = f"bobec_{code}_{year_be}.xlsx"

        def e(check, j, fld):
            _err(errors, dataset="bobec", phase="bobec", round=str(year_be), census=str(year_be), source_file=fname,
                 source_row=(j + 2) if j is not None else None, school_code=code, check=check, field=fld)

        others = [j for j, r in enumerate(out) if r[3] != "อาคารเรียน"] or list(range(len(out)))
        if code in seeds["bobec-year"]:
            j = int(rng.choice(others))
            out[j][8] = rng.choice([year_be + 12, 1998, "ไม่ทราบ", 2405])
            e("bobec-year", j, "year_built")
        if code in seeds["bobec-condition"]:
            j = int(rng.choice(others))
            out[j][11] = str(rng.choice(["ชำรุด", "ดีมาก", "ใช้การไม่ได้"]))
            e("bobec-condition", j, "condition")
        if code in seeds["bobec-rooms"]:
            j = next(k for k, r in enumerate(out) if r[3] == "อาคารเรียน")
            out[j][6] = out[j][5] + int(rng.integers(1, 4))
            e("bobec-rooms", j, "actual_rooms")
        if code in seeds["bobec-photo"]:
            j = int(rng.choice(others))
            out[j][11], out[j][12] = "ทรุดโทรม", 0
            e("bobec-photo", j, "photos")
        if code in seeds["bobec-classrooms"]:
            e("bobec-classrooms", None, "")
        if code in emis_page:
            fname = f"bobec_buildings_{reg.at[code, 'school_id10'] if 'school_id10' in reg else code}.csv"
            page = [["ประเภท", "แบบ", "ปีที่สร้าง"]] + [[r[3], r[4], r[8]] for r in out]
            (folder / fname).write_bytes(writers.csv_bytes(page, "utf-8"))
            for fld in ("condition", "design_rooms", "actual_rooms", "photos"):
                _err(errors, dataset="bobec", phase="bobec", round=str(year_be), census=str(year_be),
                     source_file=fname, school_code=code, check="bobec-incomplete", field=fld)
            continue
        if code in titled:
            obec6 = reg.at[code, "obec6"] if "obec6" in reg else code
            title = [[f"ข้อมูลอาคารสิ่งก่อสร้าง โรงเรียน{names[code]} รหัส {obec6}"]]
            (folder / f"bobec_page_{year_be}.xlsx").write_bytes(
                writers.xlsx_bytes(title + [BOBEC_HEAD[1:]] + [r[1:] for r in out], "สิ่งก่อสร้าง"))
            continue
        (folder / fname).write_bytes(writers.xlsx_bytes([BOBEC_HEAD] + out, "สิ่งก่อสร้าง"))
