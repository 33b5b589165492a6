"""Write a census's student files (layouts A and B; .xlsx, .xls, .csv; the pitfalls of
DOMAIN.md §3.1) and return the ground truth of every data row written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from obec_audit.demo import writers
from obec_audit.demo.students import full_years
from obec_audit.ids import classify_series
from obec_audit.io.aliases import LAYOUT_A_HEADERS, LAYOUT_B_HEADERS
from obec_audit.schema import GRADE_LEVEL
from obec_audit.thaidate import thai_date

THAI_DIG = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
ABBR = {"เด็กชาย": "ด.ช.", "เด็กหญิง": "ด.ญ.", "นางสาว": "น.ส.", "นาย": "นาย"}


def grade_text(g: str, style: str) -> str:
    if not g:
        return ""
    pre, num = g.split(".")
    if style == "long":
        return {"อ": "อนุบาล ", "ป": "ประถมศึกษาปีที่ ", "ม": "มัธยมศึกษาปีที่ "}[pre] + num
    if style == "emis" and pre == "อ":
        return f"อบ.{num}"
    return g


def be_text(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year + 543}"


def be_cell(d: dt.date) -> dt.date:
    return dt.date(d.year + 543, d.month, d.day)


def header_variant(headers: list[str], variant: int, encoding: str | None) -> list[str]:
    h = list(headers)
    if variant == 1:
        rep = {"อายุ(ปี)": "อายุ (ปี)", "ชื่อ (อังกฤษ)": "ชื่อ(อังกฤษ)", "เลขประจำตัวประชาชน": "เลขประจำตัวประชาชน ",
               "วันเกิด": " วันเกิด", "น้ำหนัก": "น้ำหนัก "}
    else:
        zw = "" if encoding == "cp874" else "\u200b"
        rep = {"นามสกุล": f"นาม{zw}สกุล", "ส่วนสูง": "ส่วน สูง", "เลขประจำตัวนักเรียน": "เลขประจำตัว นักเรียน",
               "คำนำหน้าชื่อ": "คำนำหน้า ชื่อ"}
    seen = set()
    out = []
    for x in h:
        if x in rep and x not in seen:
            out.append(rep[x])
            seen.add(x)
        else:
            out.append(x)
    return out


def id_cell(nid: str, mode: str, rng: np.random.Generator):
    """(cell value written, text the loader reads)."""
    if nid in ("", "-"):
        return nid, nid
    digits = nid.isdigit()
    if mode == "numeric" and digits:
        return int(nid), str(int(nid))
    if mode == "float" and digits:
        s = f"{int(nid)}.0"
        return s, s
    if mode == "sci" and digits:
        s = f"{int(nid):.4E}"
        return s, s
    if mode == "dash" and len(nid) == 13 and digits:
        s = f"{nid[0]}-{nid[1:5]}-{nid[5:10]}-{nid[10:12]}-{nid[12]}"
        return s, s
    if mode == "thai":
        s = nid.translate(THAI_DIG)
        return s, s
    if mode == "guard":
        s = f'="{nid}"'
        return s, s
    if mode == "mixed" and len(nid) == 13 and digits:
        u = rng.random()
        if u < 0.08:
            s = f"{nid[0]}-{nid[1:5]}-{nid[5:10]}-{nid[10:12]}-{nid[12]}"
            return s, s
        if u < 0.14:
            s = f"{nid[0]} {nid[1:5]} {nid[5:10]} {nid[10:12]} {nid[12]}"
            return s, s
        if u < 0.18:
            s = nid.translate(THAI_DIG)
            return s, s
    return nid, nid


ID_TRAP = {"numeric": "id-numeric-cell", "float": "id-float", "dash": "id-dashes", "thai": "id-thai-digits",
           "guard": "id-excel-guard"}


def _rows_for(F: pd.DataFrame, sp, census, names: dict, rng) -> tuple[list, list]:
    """Data rows (cell lists) and per-row truth dicts for one school's records."""
    layout = sp.layout
    asof = census.as_of
    out_rows, truth = [], []
    birth_ok = F["birth"].map(lambda b: isinstance(b, dt.date))
    bdates = pd.Series([b if isinstance(b, dt.date) else dt.date(2000, 1, 1) for b in F["birth"]], index=F.index)
    ages = full_years(pd.to_datetime(bdates), asof)
    bd_list = list(bdates)
    for r, age, bok, bdi in zip(F.to_dict("records"), ages, birth_ok, bd_list):
        rid = r["rid"]
        cell, raw = id_cell(str(r["nid"]), sp.id_mode, rng)
        trap = None
        if sp.id_mode == "numeric" and isinstance(cell, int):
            trap = "id-numeric-cell"
        elif isinstance(cell, str) and cell != str(r["nid"]):
            trap = {"float": "id-float", "dash": "id-dashes", "thai": "id-thai-digits", "guard": "id-excel-guard",
                    "mixed": "id-dashes" if cell[:1] not in "๐๑๒๓๔๕๖๗๘๙" else "id-thai-digits"}.get(sp.id_mode)
        b = r["birth"]
        if isinstance(b, dt.date):
            bcell = be_cell(b) if sp.date_mode == "cell" else be_text(b)
            btruth = b.isoformat()
        else:
            bcell = str(b)
            btruth = ""
        sex = r["sex"]
        if layout == "A":
            sex_txt = {"M": "ชาย", "F": "หญิง"}.get(sex, "")
        else:
            sex_txt = {"M": "ช", "F": "ญ"}.get(sex, "")
        title = r["title"]
        title_txt = ABBR.get(title, title) if sp.title_style == "abbr" else title
        g = r["grade"]
        w, h = r["weight"], r["height"]
        w = "" if w == "" else float(w)
        h = "" if h == "" else float(h)
        if layout == "B":
            w = 0 if w in ("", 0.0) else w
            h = 0 if h in ("", 0.0) else h
        age_txt = int(age) if bok else ""
        room = r["room"]
        room_cell = int(room) if (sp.fmt != "csv" and str(room).isdigit()) else room
        disadv = r["disadvantage"]
        common = {
            "รหัสโรงเรียน": r["school"], "ชื่อโรงเรียน": names[r["school"]], "เลขประจำตัวประชาชน": cell,
            "ชั้น": grade_text(g, sp.grade_style), "ห้อง": room_cell, "เพศ": sex_txt, "คำนำหน้าชื่อ": title_txt,
            "ชื่อ": r["first"], "นามสกุล": r["last"], "วันเกิด": bcell, "อายุ(ปี)": age_txt,
            "น้ำหนัก": w, "ส่วนสูง": h, "ศาสนา": r["religion"], "เชื้อชาติ": r["race"],
            "สัญชาติ": r["nationality"], "ความด้อยโอกาส": disadv,
        }
        guardian = r["guardian"]
        g_first = r["father_first"] if guardian == "บิดา" else (r["mother_first"] if guardian == "มารดา" else r["mother_first"])
        g_last = r["last"] if guardian != "มารดา" else r["mother_last"]
        if layout == "B":
            d = dict(common)
            d.update({"เลขประจำตัวนักเรียน": r["student_no"], "กลุ่มเลือด": r["blood"],
                      "บ้านเลขที่": r["house_no"], "หมู่": r["moo"], "ถนน/ซอย": "-", "ตำบล": r["subdistrict"],
                      "อำเภอ": r["district"], "จังหวัด": "เชียงราย", "ชื่อผู้ปกครอง": g_first,
                      "นามสกุลผู้ปกครอง": g_last, "อาชีพของผู้ปกครอง": r["father_occ"],
                      "ความเกี่ยวข้องของผู้ปกครองกับนักเรียน": guardian, "ชื่อบิดา": r["father_first"],
                      "นามสกุลบิดา": r["last"], "อาชีพของบิดา": r["father_occ"], "ชื่อมารดา": r["mother_first"],
                      "นามสกุลมารดา": r["mother_last"], "อาชีพของมารดา": r["mother_occ"],
                      "ยังไม่สามารถจำหน่ายได้ (3.1.8)": "", "เป็นลูกเสือ/เนตรนารี": "เป็น" if age_txt != "" and age_txt >= 8 else "ไม่เป็น",
                      "เป็นยุวกาชาด": "ไม่เป็น", "ทักษะการว่ายน้ำ": "ว่ายน้ำเป็น" if r["distance"] % 3 else "ว่ายน้ำไม่เป็น"})
            row = [d.get(hh, "") for hh in LAYOUT_B_HEADERS]
        else:
            d = dict(common)
            months = ((asof.year - bdi.year) * 12 + asof.month - bdi.month) % 12 if bok else ""
            lvl = GRADE_LEVEL.get(g, "")
            d.update({"รหัสนักเรียน": r["student_no"], "อายุ(เดือน)": months, "หมู่โลหิต": r["blood"],
                      "จำนวนพี่ชาย": int(r["siblings"] % 2), "จำนวนน้องชาย": int(r["siblings"] // 2),
                      "จำนวนพี่สาว": 0, "จำนวนน้องสาว": int(r["siblings"] % 3 == 1), "เป็นบุตรคนที่": int(r["siblings"] % 2) + 1,
                      "สถานภาพสมรสของบิดามารดา": "อยู่ด้วยกัน" if r["distance"] % 5 else "แยกกันอยู่",
                      "ชื่อบิดา": r["father_first"], "นามสกุลบิดา": r["last"], "คำนำหน้าชื่อบิดา": "นาย",
                      "รายได้ต่อเดือนของบิดา": int(3000 + (r["distance"] * 7) % 9000), "หมายเลขโทรศัพท์ของบิดา": r["phone"],
                      "ชื่อมารดา": r["mother_first"], "นามสกุลมารดา": r["mother_last"], "คำนำหน้าชื่อมารดา": "นาง",
                      "รายได้ต่อเดือนของมารดา": int(2500 + (r["distance"] * 11) % 8000),
                      "ความเกี่ยวข้องของผู้ปกครองกับนักเรียน": guardian, "ชื่อผู้ปกครอง": g_first,
                      "นามสกุลผู้ปกครอง": g_last, "คำนำหน้าชื่อผู้ปกครอง": "นาง" if guardian != "บิดา" else "นาย",
                      "หมายเลขโทรศัพท์ของผู้ปกครอง": r["phone"],
                      "การพักนอนประจำ": r["boarding"], "ความพิการ": r["disability"],
                      "ขาดแคลนเครื่องแบบ": "ขาดแคลน" if disadv != "ไม่ด้อยโอกาส" and r["distance"] % 2 else "ไม่ขาดแคลน",
                      "ขาดแคลนเครื่องเขียน": "ไม่ขาดแคลน", "ขาดแคลนแบบเรียน": "ไม่ขาดแคลน",
                      "ขาดแคลนอาหารกลางวัน": "ขาดแคลน" if disadv != "ไม่ด้อยโอกาส" else "ไม่ขาดแคลน",
                      "ระยะทางจากบ้านถึงโรงเรียน (ถนนลูกรัง)": int(r["distance"] // 3),
                      "ระยะทางจากบ้านถึงโรงเรียน (ถนนลาดยาง)": int(r["distance"] - r["distance"] // 3),
                      "ระยะทางจากบ้านถึงโรงเรียน (ทางน้ำ)": 0, "ระยะเวลาจากบ้านถึงโรงเรียน": int(5 + r["distance"] // 200),
                      "ลักษณะการเดินทางมาโรงเรียน": r["travel"], "อาชีพบิดา": r["father_occ"],
                      "อาชีพมารดา": r["mother_occ"], "อาชีพผู้ปกครอง": r["mother_occ"], "ประเภทนักเรียน": "ปกติ",
                      "GPAX": "" if lvl == "อนุบาล" else round(2.0 + (r["distance"] % 200) / 100, 2),
                      "GPA": "", "จังหวัดที่เกิด": "เชียงราย", "เป็นบุตร/ธิดาลำดับที่": int(r["siblings"] % 2) + 1,
                      "จำนวนพี่น้องที่ศึกษาอยู่": int(r["siblings"] % 3), "รหัสโรงเรียนห้องสาขา": "",
                      "ชื่อโรงเรียนห้องสาขา": ""})
            for a in ("ทะเบียนบ้าน", "ที่อยู่ปัจจุบัน"):
                d.update({f"รหัสประจำบ้าน ({a})": f"5701{(r['distance'] * 97) % 10**7:07d}",
                          f"เลขที่บ้าน ({a})": r["house_no"], f"หมู่ ({a})": r["moo"], f"ถนน ({a})": "-",
                          f"ตำบล ({a})": r["subdistrict"], f"อำเภอ ({a})": r["district"], f"จังหวัด ({a})": "เชียงราย",
                          f"รหัสไปรษณีย์ ({a})": "57000" if r["district"] == "เมืองเชียงราย" else "57210",
                          f"หมายเลขโทรศัพท์ ({a})": r["phone"]})
            row = [d.get(hh, "") for hh in LAYOUT_A_HEADERS]
        if sp.fmt == "csv":
            row = ["" if v is None else (v if isinstance(v, str) else (str(v) if not isinstance(v, float) else
                                                                       (str(int(v)) if v.is_integer() else str(v))))
                   for v in row]
        out_rows.append(row)
        truth.append({"rid": rid, "pid": r["pid"], "school_code": r["school"], "raw_id": raw,
                      "birth_date": btruth, "sex": sex if sex in ("M", "F") else "",
                      "grade": g or "", "title": title or "", "first_name": str(r["first"]).strip(),
                      "last_name": str(r["last"]).strip(), "room": str(room), "id_trap": trap,
                      "date_cell": sp.date_mode == "cell" and bok})
    return out_rows, truth


def write_census(F: pd.DataFrame, census, specs: dict, names: dict, folder: Path,
                 unreadable: dict, rng: np.random.Generator, year_be: int) -> pd.DataFrame:
    """Write one census's student files into ``folder``; the truth of every data row."""
    folder.mkdir(parents=True, exist_ok=True)
    F = F.rename_axis(None)
    order = F.assign(_g=F["grade"].map(lambda g: {x: i for i, x in enumerate(
        ["อ.1", "อ.2", "อ.3"] + [f"ป.{i}" for i in range(1, 7)] + [f"ม.{i}" for i in range(1, 7)])}.get(g, 99)))
    order = order.assign(_room=order["room"].map(lambda x: int(x) if str(x).isdigit() else 99))
    order = order.sort_values(["school", "_g", "_room", "student_no", "rid"], kind="stable")
    groups: dict[str, list[str]] = {}
    for code, sp in specs.items():
        groups.setdefault(sp.group or code, []).append(code)
    truth_all = []
    files_meta = []
    be = year_be
    date_th = thai_date(census.as_of)
    for key in sorted(groups):
        codes = groups[key]
        sp = specs[codes[0]]
        stem = ("studentInSchoolList" if sp.layout == "A" else "student_list") + f"_{key}_{census.key}"
        ext = sp.fmt
        if sp.id_mode == "sci" and census.index != 0:
            from dataclasses import replace
            sp = replace(sp, id_mode="text")
        fname = f"{stem}.{ext}"
        if census.index == 0 and codes[0] in unreadable:
            kind = unreadable[codes[0]]
            fname = f"{stem}.{'xlsx' if kind == 'bytes' else 'csv'}"
            data = rng.integers(0, 256, 4096, dtype=np.uint8).tobytes() if kind == "bytes" else b""
            (folder / fname).write_bytes(data)
            files_meta.append({"census": census.key, "source_file": fname, "status": "unreadable",
                               "school_code": codes[0]})
            continue
        sub = order[order["school"].isin(codes)]
        rows, truth = _rows_for(sub, sp, census, names, rng)
        headers = LAYOUT_A_HEADERS if sp.layout == "A" else LAYOUT_B_HEADERS
        if sp.header_variant:
            headers = header_variant(headers, sp.header_variant, sp.encoding if sp.fmt == "csv" else None)
        pre = []
        if sp.title_rows:
            nm = names[codes[0]] if len(codes) == 1 else "หลายโรงเรียน"
            pre.append([f"รายชื่อนักเรียน โรงเรียน{nm}"] + [""] * 3)
            if sp.title_rows == 2:
                pre.append([f"ข้อมูล ณ วันที่ {date_th} ปีการศึกษา {be}"] + [""] * 3)
        allrows = pre + [headers] + rows
        first = len(pre) + 2
        if sp.fmt == "xlsx":
            (folder / fname).write_bytes(writers.xlsx_bytes(allrows, "Sheet1"))
        elif sp.fmt == "xls":
            (folder / fname).write_bytes(writers.xls_bytes(allrows, "Sheet1"))
        else:
            (folder / fname).write_bytes(writers.csv_bytes(allrows, sp.encoding))
        for i, t in enumerate(truth):
            t.update({"census": census.key, "source_file": fname, "source_sheet": "" if ext == "csv" else "Sheet1",
                      "source_row": first + i, "layout": sp.layout, "format": ext})
        truth_all += truth
        files_meta.append({"census": census.key, "source_file": fname, "status": "ok",
                           "school_code": ",".join(codes), "layout": sp.layout, "format": ext,
                           "encoding": sp.encoding if ext == "csv" else "", "id_mode": sp.id_mode,
                           "date_mode": sp.date_mode, "title_rows": sp.title_rows,
                           "header_variant": sp.header_variant, "rows": len(truth)})
    T = pd.DataFrame(truth_all)
    c = classify_series(T["raw_id"].astype(object))
    T["national_id"] = c["national_id"].astype(object).fillna("").to_numpy()
    T["id_type"] = c["id_type"].astype(object).to_numpy()
    T["id_reason"] = c["id_reason"].astype(object).to_numpy()
    return T, files_meta
