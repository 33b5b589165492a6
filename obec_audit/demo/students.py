"""The synthetic student population of the demo area and its four censuses.

State of a census = the enrolment records (one per person and school, plus the extra records of
seeded duplicates) and the *active incidents* (seeded errors: field changes on records, extra
records, tags naming the findings they deserve). A census frame is built from the clean records
by applying the incidents, so an incident can persist to the next census, be fixed, or new ones
can appear.

Censuses (C.E. folder names): round 1 ``<Y>-06-10``, round 2 ``<Y>-07-05`` (the same 10 June
census after the schools fixed about 60 % of round 1's errors), semester 2 ``<Y>-11-10`` and
the end of the year ``<Y+1>-03-31`` (Y = the B.E. academic year − 543).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from obec_audit import reference
from obec_audit.demo import people
from obec_audit.schema import DISABILITY_TYPES, DISADVANTAGE_TYPES, GRADES

GRADE_IDX = {g: i for i, g in enumerate(GRADES)}

DISTRICTS = {
    "เมืองเชียงราย": ["เวียง", "รอบเวียง", "บ้านดู่", "นางแล", "แม่ข้าวต้ม", "แม่ยาว", "สันทราย",
                      "แม่กรณ์", "ห้วยชมภู", "ห้วยสัก", "ริมกก", "ดอยลาน", "ป่าอ้อดอนชัย", "ท่าสาย",
                      "ดอยฮาง", "ท่าสุด"],
    "เวียงชัย": ["เวียงชัย", "ผางาม", "เวียงเหนือ", "ดอนศิลา", "เมืองชุม"],
    "เวียงเชียงรุ้ง": ["ทุ่งก่อ", "ดงมหาวัน", "ป่าซาง"],
}
OFFICE_OF_DISTRICT = {"เมืองเชียงราย": "5701", "เวียงชัย": "5702", "เวียงเชียงรุ้ง": "5717"}
HILL_WORDS = ("ดอย", "ห้วย", "ปาง", "ผา", "จะคือ", "แม่ยาว", "แม่มอญ", "ป่าก๊อ", "รวมมิตร", "จะต๋อเบอ",
              "แคววัวดำ", "ถ้ำ", "หมากเอียก", "โป่ง", "แม่ข้าวต้ม", "ขี้เหล็ก", "ป่าบง")
HILL_RACES = ["อาข่า", "ลาหู่", "ม้ง", "เมี่ยน", "ลีซู", "กะเหรี่ยง", "ลัวะ", "ไทใหญ่"]
HILL_RACE_P = [0.30, 0.22, 0.12, 0.08, 0.10, 0.06, 0.04, 0.08]
OCCUPATIONS = ["รับจ้างทั่วไป", "เกษตรกร", "ค้าขาย", "รับราชการ", "ธุรกิจส่วนตัว", "ไม่ได้ประกอบอาชีพ"]
OCC_P = [0.45, 0.33, 0.1, 0.04, 0.05, 0.03]
BOARDING_PROJECT = ["(โครงการพักนอนประจำ)บ้านพักนักเรียน/หอนอน", "(โครงการพักนอนประจำ)บ้านพักครู",
                    "(โครงการพักนอนประจำ)พักรวมกับชุมชน/อื่นๆ"]
BOARDING_HOME = ["อาศัยอยู่กับบิดามารดา", "อาศัยอยู่กับญาติ", "อาศัยอยู่กับครู", "อาศัยอยู่กับพระ",
                 "องค์กรการกุศล"]

# medians (cm) by whole year of age 3..15, and BMI medians
_H_M = np.array([96.1, 103.3, 110.0, 116.0, 121.7, 127.3, 132.6, 137.8, 143.1, 149.1, 156.0, 163.2, 169.0]) - 2
_H_F = np.array([95.1, 102.7, 109.4, 115.1, 120.8, 126.6, 132.5, 138.6, 145.0, 151.2, 156.4, 159.8, 161.7]) - 2
_BMI = np.array([16.0, 15.7, 15.3, 15.3, 15.5, 15.7, 16.0, 16.4, 16.9, 17.5, 18.2, 18.9, 19.5])
_AGES = np.arange(3, 16, dtype=float)


@dataclass
class Census:
    key: str  # folder name, C.E. ISO (round 2: its export date)
    phase: str
    as_of: dt.date
    index: int


def censuses(year_be: int) -> list[Census]:
    y = year_be - 543
    return [
        Census(dt.date(y, 6, 10).isoformat(), "round1", dt.date(y, 6, 10), 0),
        Census(dt.date(y, 7, 5).isoformat(), "round2", dt.date(y, 6, 10), 1),
        Census(dt.date(y, 11, 10).isoformat(), "semester2", dt.date(y, 11, 10), 2),
        Census(dt.date(y + 1, 3, 31).isoformat(), "endyear", dt.date(y + 1, 3, 31), 3),
    ]


def age_years(birth: pd.Series, on: dt.date) -> np.ndarray:
    """Age in years (fractional) at ``on``."""
    b = pd.to_datetime(birth)
    return ((pd.Timestamp(on) - b).dt.days / 365.25).to_numpy(dtype=float)


def full_years(birth: pd.Series, on: dt.date) -> np.ndarray:
    b = pd.to_datetime(birth)
    yrs = on.year - b.dt.year
    before = (b.dt.month > on.month) | ((b.dt.month == on.month) & (b.dt.day > on.day))
    return (yrs - before.astype(int)).to_numpy()


def body(sex: np.ndarray, age: np.ndarray, hz: np.ndarray, bz: np.ndarray):
    """Height (cm, 0.5 steps) and weight (kg, 1 decimal) for sex, age and personal z's."""
    a = np.clip(age, 3, 15)
    hm = np.where(sex == "M", np.interp(a, _AGES, _H_M), np.interp(a, _AGES, _H_F))
    h = hm * (1 + 0.042 * hz)
    bmi = np.interp(a, _AGES, _BMI) * np.exp(0.09 * bz)
    w = bmi * (h / 100) ** 2
    return np.round(h * 2) / 2, np.round(w, 1)


# ------------------------------------------------------------------------------ schools
def school_table(rng: np.random.Generator, total: int = 20000) -> pd.DataFrame:
    s = reference.schools().copy()
    s = s.sort_values("smis8").reset_index(drop=True)
    name = s["school_name"]
    n = len(s)
    size = np.zeros(n)
    big = {"อนุบาลเชียงราย": 1950, "อนุบาลเมืองเชียงราย": 1450, "อนุบาลเวียงชัย": 900,
           "อนุบาลดงมหาวัน": 820}
    for i, nm in enumerate(name):
        lt = s.at[i, "level_type"]
        base = nm.split("(")[0]
        if base in big:
            size[i] = big[base]
        elif nm.startswith("อนุบาล"):
            size[i] = rng.uniform(320, 650)
        elif lt == "อนุบาล-มัธยมศึกษาตอนต้น" or lt == "ประถมศึกษา-มัธยมศึกษาตอนต้น":
            size[i] = np.exp(rng.normal(np.log(200), 0.35))
        elif lt == "ประถมศึกษา":
            size[i] = rng.uniform(35, 90)
        else:
            size[i] = np.exp(rng.normal(np.log(82), 0.45))
    s["hill"] = [any(w in nm for w in HILL_WORDS) and not nm.startswith("อนุบาล") for nm in name]
    fixed = np.array([nm.split("(")[0] in big for nm in name])
    rest = total - size[fixed].sum()
    size[~fixed] *= rest / size[~fixed].sum()
    ng = np.array([len(reference.grades_offered(lt)) for lt in s["level_type"]])
    size = np.maximum(size, np.maximum(38, 3 * ng))
    s["size"] = np.round(size).astype(int)
    s["hill_share"] = np.where(s["hill"], rng.uniform(0.35, 0.85, n),
                               np.where(name.str.startswith("อนุบาล"), rng.uniform(0.01, 0.05, n),
                                        rng.uniform(0.04, 0.22, n)))
    code = s["smis8"].astype(int)
    s["district"] = np.where(code >= 57010123, "เวียงเชียงรุ้ง",
                             np.where((code >= 57010106) & (code <= 57010122), "เวียงชัย", "เมืองเชียงราย"))
    s.loc[code >= 57010135, "district"] = "เมืองเชียงราย"
    s["grades"] = [reference.grades_offered(lt) for lt in s["level_type"]]
    return s


# ------------------------------------------------------------------------------ people
PERSON_COLS = ["pid", "sex", "first", "last", "birth", "kind", "nid", "hill", "race", "religion",
               "nationality", "blood", "hz", "bz", "disadvantage", "disability", "boarding_pref",
               "house_no", "moo", "subdistrict", "district", "father_first", "mother_first",
               "mother_last", "guardian", "father_occ", "mother_occ", "phone", "travel",
               "distance", "siblings"]


class Population:
    """People and their current enrolment, with the ID registries that keep IDs unique."""

    def __init__(self, rng: np.random.Generator, year_be: int, schools: pd.DataFrame):
        self.rng = rng
        self.year_be = year_be
        self.ay_ce = year_be - 543
        self.schools = schools.set_index("smis8", drop=False)
        self.names = people.NameSampler(rng)
        self.taken_ids: set[str] = set()
        self.persons = pd.DataFrame(columns=PERSON_COLS)
        self.next_pid = 0
        self.next_rid = 0
        self.next_no: dict[str, int] = {}
        self.boarding_schools: set[str] = set()
        self.reserved: set[int] = set()  # pids kept free of incidents and events
        self.room_counts: dict[tuple[str, str], int] = {}
        self.twin_pids: set[int] = set()

    # ------------------------------------------------------------------ new people
    def new_people(self, school: np.ndarray, grade: np.ndarray, offset_years: np.ndarray | None = None
                   ) -> pd.DataFrame:
        rng = self.rng
        n = len(school)
        sch = self.schools.loc[school]
        hill = rng.random(n) < sch["hill_share"].to_numpy()
        sex = np.where(rng.random(n) < 0.51, "M", "F")
        k = np.array([GRADE_IDX[g] for g in grade])
        by = self.ay_ce - 4 - k
        if offset_years is None:
            u = rng.random(n)
            offset_years = np.where(u < 0.03, 1, np.where((u > 0.995) & (k >= 4), -1, 0))
        by = by - offset_years
        doy = rng.integers(0, 365, n)
        birth = pd.Series((np.asarray(by - 1970).astype("datetime64[Y]").astype("datetime64[D]")
                           + doy.astype("timedelta64[D]")).astype("datetime64[ns]"))
        # 29 February cannot be stored as an Excel date whose year is B.E. (2559 is no leap year)
        leap = (birth.dt.month == 2) & (birth.dt.day == 29)
        birth = birth.where(~leap, birth - pd.Timedelta(days=1))
        # person type of the ID
        u = rng.random(n)
        kind = np.where(hill,
                        np.select([u < 0.66, u < 0.84, u < 0.935, u < 0.9675], ["1", "0", "G", "6"], "7"),
                        np.select([u < 0.994, u < 0.997, u < 0.9985], ["1", "0", "G"], "7"))
        district = sch["district"].to_numpy()
        home_off = np.array([OFFICE_OF_DISTRICT[d] for d in district])
        other = rng.choice(people.OFFICES_HOME + people.OFFICES_OTHER, n)
        office = np.where(rng.random(n) < 0.8, home_off, other)
        office = np.where(kind == "1", office, np.where(rng.random(n) < 0.7, home_off, "5799"))
        nid = np.empty(n, dtype=object)
        pin_mask = kind != "G"
        nid[pin_mask] = people.make_pins(rng, kind[pin_mask].astype(int), office[pin_mask], self.taken_ids)
        nid[~pin_mask] = people.make_gcodes(rng, int((~pin_mask).sum()), self.taken_ids)
        foreign = np.isin(kind, ["6", "7", "G"]) & (rng.random(n) < 0.5)
        race = np.where(hill, rng.choice(HILL_RACES, n, p=HILL_RACE_P), "ไทย")
        race = np.where(foreign, rng.choice(["ไทใหญ่", "พม่า"], n), race)
        nationality = np.where(foreign, "เมียนมา", "ไทย")
        r = rng.random(n)
        religion = np.where(hill, np.select([r < 0.46, r < 0.95], ["คริสต์", "พุทธ"], "อื่นๆ"),
                            np.select([r < 0.985, r < 0.995], ["พุทธ", "คริสต์"], "อิสลาม"))
        blood = rng.choice(["A", "B", "O", "AB", "ไม่ทราบ"], n, p=[0.21, 0.31, 0.36, 0.07, 0.05])
        dis_p = np.where(hill, 0.82, 0.42)
        disadv = np.where(rng.random(n) < dis_p,
                          np.where(rng.random(n) < 0.99, "เด็กยากจน",
                                   rng.choice(["ชนกลุ่มน้อย", "กำพร้า", "เด็กถูกทอดทิ้ง", "ผลกระทบจากเอดส์"], n)),
                          "ไม่ด้อยโอกาส")
        dpw = np.array([0.05, 0.05, 0.14, 0.06, 0.55, 0.04, 0.03, 0.05, 0.03])
        disab = np.where(rng.random(n) < 0.015, rng.choice(DISABILITY_TYPES, n, p=dpw / dpw.sum()), "ไม่พิการ")
        first = self.names.first(rng, sex)
        last = self.names.family(rng, n)
        subd = np.empty(n, dtype=object)
        for d, opts in DISTRICTS.items():
            m = district == d
            subd[m] = rng.choice(opts, int(m.sum()))
        df = pd.DataFrame({
            "pid": np.arange(self.next_pid, self.next_pid + n),
            "sex": sex, "first": first, "last": last, "birth": birth, "kind": kind, "nid": nid,
            "hill": hill, "race": race, "religion": religion, "nationality": nationality,
            "blood": blood,
            "hz": np.clip(rng.normal(0, 0.9, n), -2.0, 2.0),
            "bz": np.clip(rng.normal(0, 1.0, n), -1.8, 2.0),
            "disadvantage": disadv, "disability": disab,
            "boarding_pref": rng.random(n),
            "house_no": [f"{a}" if b > 0.3 else f"{a}/{c}" for a, b, c in
                         zip(rng.integers(1, 250, n), rng.random(n), rng.integers(1, 9, n))],
            "moo": rng.integers(1, 21, n).astype(str),
            "subdistrict": subd, "district": district,
            "father_first": self.names.first(rng, np.full(n, "M")),
            "mother_first": self.names.first(rng, np.full(n, "F")),
            "mother_last": np.where(rng.random(n) < 0.7, last, self.names.family(rng, n)),
            "guardian": rng.choice(["บิดา", "มารดา", "ปู่", "ย่า", "ตา", "ยาย", "ลุง", "ป้า"], n,
                                   p=[0.35, 0.40, 0.05, 0.05, 0.05, 0.06, 0.02, 0.02]),
            "father_occ": rng.choice(OCCUPATIONS, n, p=OCC_P),
            "mother_occ": rng.choice(OCCUPATIONS, n, p=OCC_P),
            "phone": [f"0{a}{b:08d}" for a, b in zip(rng.choice([6, 8, 9], n), rng.integers(0, 10**8, n))],
            "travel": rng.choice(["เดินเท้า", "พาหนะไม่เสียค่าโดยสาร", "พาหนะเสียค่าโดยสาร", "จักรยานยืมเรียน"],
                                 n, p=[0.35, 0.35, 0.27, 0.03]),
            "distance": rng.integers(100, 6000, n),
            "siblings": rng.integers(0, 4, n),
        })
        for c in df.columns:
            if c not in ("pid", "birth", "hz", "bz", "boarding_pref", "hill", "distance", "siblings"):
                df[c] = df[c].to_numpy(dtype=object)
        df = df.astype({c: object for c in df.columns if df[c].dtype != object and c not in
                        ("pid", "birth", "hz", "bz", "boarding_pref", "hill", "distance", "siblings")})
        self.next_pid += n
        self.persons = pd.concat([self.persons, df], ignore_index=True) if len(self.persons) else df
        return df

    def new_enrolment(self, pids: np.ndarray, school: np.ndarray, grade: np.ndarray) -> pd.DataFrame:
        n = len(pids)
        rooms = []
        nos = []
        for s, g in zip(school, grade):
            nrooms = self.rooms_of(s, g)
            rooms.append(str(int(self.rng.integers(1, nrooms + 1))))
            k = self.next_no.get(s, 1000)
            self.next_no[s] = k + 1
            nos.append(f"{k:05d}")
        pref = self.persons.set_index("pid").loc[pids, "boarding_pref"].to_numpy()
        boarding = self.boarding_value(school, pref)
        df = pd.DataFrame({"rid": np.arange(self.next_rid, self.next_rid + n), "pid": pids,
                           "school": np.asarray(school, dtype=object), "grade": np.asarray(grade, dtype=object),
                           "room": np.asarray(rooms, dtype=object), "student_no": np.asarray(nos, dtype=object),
                           "boarding": np.asarray(boarding, dtype=object)})
        df = df.astype({c: object for c in ("school", "grade", "room", "student_no", "boarding")})
        self.next_rid += n
        return df

    def rooms_of(self, school: str, grade: str) -> int:
        return self.room_counts.get((school, grade), 1)

    def boarding_value(self, school: np.ndarray, pref: np.ndarray) -> np.ndarray:
        out = np.empty(len(school), dtype=object)
        inb = np.array([s in self.boarding_schools for s in school], dtype=bool)
        home = np.select([pref < 0.86, pref < 0.975, pref < 0.985, pref < 0.993],
                         BOARDING_HOME[:4], BOARDING_HOME[4])
        proj = np.select([pref < 0.18, pref < 0.26], BOARDING_PROJECT[:2], BOARDING_PROJECT[2])
        out[:] = np.where(inb & (pref < 0.32), proj, home)
        # in a project school, the other children live at home
        out[inb & (pref >= 0.32)] = np.where(pref[inb & (pref >= 0.32)] < 0.9, BOARDING_HOME[0], BOARDING_HOME[1])
        return out

    # ------------------------------------------------------------------ uniqueness helpers
    def fix_name_birth_collisions(self, pids: np.ndarray, allowed: set[frozenset] | None = None) -> None:
        """No two people share (last name, birth date) unless they are twins: move the birth date
        of newcomers by a few days within the same year (keeps the age band)."""
        P = self.persons
        for _ in range(20):
            key = P["last"].astype(str) + "|" + P["birth"].dt.strftime("%Y-%m-%d")
            dup = key.duplicated(keep="first") & P["pid"].isin(pids) & ~P["pid"].isin(self.twin_pids)
            if not dup.any():
                break
            idx = np.flatnonzero(dup.to_numpy())
            b = P.loc[idx, "birth"]
            shift = self.rng.integers(1, 25, len(idx))
            nb = b - pd.to_timedelta(shift, unit="D")
            nb = nb.where(nb.dt.year == b.dt.year, b + pd.to_timedelta(shift, unit="D"))
            P.loc[idx, "birth"] = nb.to_numpy()
        self.persons = P


def base_sizes(rng: np.random.Generator, n: int, grades: list[str], min_per: int = 2) -> np.ndarray:
    """Students per grade: about equal, kindergarten and lower-secondary a little smaller."""
    w = np.array([0.8 if g.startswith("อ.") else (0.85 if g.startswith("ม.") else 1.0) for g in grades])
    w = w * rng.uniform(0.8, 1.2, len(grades))
    counts = rng.multinomial(max(n - min_per * len(grades), 0), w / w.sum()) + min_per
    return counts
