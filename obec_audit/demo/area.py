"""Build the demo area's student censuses: base population, seeded incidents, movements between
censuses, discharge records. Rendering to files is ``obec_audit.demo.render``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from obec_audit.demo import people
from obec_audit.demo.errors import Incident, apply_incidents
from obec_audit.demo.students import (GRADE_IDX, BOARDING_PROJECT, Census, Population, base_sizes,
                                      body, censuses, full_years, age_years, school_table)
from obec_audit.schema import GRADES

# seeded incidents in round 1 (per-row student codes): kind → count
R1_COUNTS = {
    "id-missing": 18, "id-format": 10, "id-checksum": 14, "id-checksum-0": 4,
    "field-missing": 34, "field-code": 20, "sex-title": 18, "age-grade": 18,
    "birthdate-invalid": 18, "body-implausible": 18, "boarding-school": 16,
    "dup-id-school": 9, "dup-id-area": 10, "dup-person": 10,
}
MISSING_FIELDS = ["grade", "room", "sex", "title", "first_name", "last_name", "birth_date", "weight",
                  "weight", "height", "height", "religion", "nationality", "race"]
FIELD_COL = {"grade": "grade", "room": "room", "sex": "sex", "title": "title", "first_name": "first",
             "last_name": "last", "birth_date": "birth", "weight": "weight", "height": "height",
             "religion": "religion", "nationality": "nationality", "race": "race",
             "blood_group": "blood", "disadvantage": "disadvantage", "disability": "disability",
             "boarding": "boarding"}
BAD_CODES = {
    "religion": ["ไม่นับถือศาสนา", "ผี", "บรรพบุรุษ"],
    "blood_group": ["C", "OA", "ABO"],
    "disadvantage": ["ยากไร้", "ครอบครัวแตกแยก", "ด้อยโอกาสทางเศรษฐกิจ"],
    "disability": ["สายตาสั้น", "ป่วยเรื้อรัง", "พิการขา"],
}


@dataclass
class Spec:
    school: str
    fmt: str = "xlsx"  # xlsx / csv / xls
    layout: str = "B"
    id_mode: str = "text"
    date_mode: str = "text"  # text / cell (layout A xlsx: real date cells with a B.E. year)
    title_rows: int = 0
    header_variant: int = 0
    encoding: str = "utf-8-sig"
    grade_style: str = "short"
    title_style: str = "full"
    group: str | None = None


@dataclass
class Area:
    year_be: int
    schools: pd.DataFrame
    specs: dict
    pop: Population
    cens: list[Census]
    frames: dict = field(default_factory=dict)  # census key → entered frame (index rid)
    tags: dict = field(default_factory=dict)  # census key → list of (rid, check, field, group)
    discharges: dict = field(default_factory=dict)  # census key → DataFrame
    traps: dict = field(default_factory=dict)  # census key → list of (rid, trap, group)
    boarding: list = field(default_factory=list)
    unreadable: dict = field(default_factory=dict)  # school → 'bytes' / 'empty' (round 1)
    class_gap: dict = field(default_factory=dict)  # school → grade emptied before the end of year
    top_empty: list = field(default_factory=list)
    drop_school: str = ""
    events: dict = field(default_factory=dict)  # census key → {event: count}


# ------------------------------------------------------------------------------ helpers
def materialise(pop: Population, enrol: pd.DataFrame, census: Census) -> pd.DataFrame:
    """Clean entered values of enrolment rows at a census (index: rid)."""
    P = pop.persons.set_index("pid")
    df = enrol.join(P, on="pid")
    age = full_years(df["birth"], census.as_of)
    sex = df["sex"].to_numpy()
    df["title"] = np.where(sex == "M", np.where(age < 15, "เด็กชาย", "นาย"),
                           np.where(age < 15, "เด็กหญิง", "นางสาว"))
    h, w = body(sex, age_years(df["birth"], census.as_of), df["hz"].to_numpy(float), df["bz"].to_numpy(float))
    df["height"] = h
    df["weight"] = w
    df["birth"] = [d.date() for d in df["birth"]]
    df = df.set_index("rid", drop=False)
    for c in ("height", "weight", "birth", "sex", "grade", "room", "title", "first", "last", "nid",
              "religion", "race", "nationality", "blood", "disadvantage", "disability", "boarding"):
        df[c] = df[c].astype(object)
    return df


def _choose(rng, pool: np.ndarray, n: int) -> np.ndarray:
    n = max(0, min(int(n), len(pool)))
    return rng.choice(pool, n, replace=False) if n else np.array([], dtype=pool.dtype)


class Builder:
    def __init__(self, seed: int, year_be: int, n_schools: int | None = None, total: int = 20000):
        self.rng = np.random.default_rng(seed)
        self.year_be = year_be
        sch = school_table(self.rng, total)
        if n_schools is not None:
            keep = list(range(0, len(sch), max(1, len(sch) // n_schools)))[:n_schools]
            sch = sch.iloc[keep].reset_index(drop=True)
            sch["size"] = (sch["size"] * (total / 104 * len(sch)) / sch["size"].sum()).clip(lower=38).round().astype(int)
        self.sch = sch
        self.pop = Population(self.rng, year_be, sch)
        self.cens = censuses(year_be)
        self.incidents: list[Incident] = []
        self.busy: set[int] = set()  # pids involved in incidents / traps / dups

    # ------------------------------------------------------------------ schools and specs
    def plan_schools(self) -> dict:
        rng = self.rng
        s = self.sch
        codes = list(s["smis8"])
        small = [c for c, n in zip(codes, s["size"]) if n < 110]
        big = [c for c, n in zip(codes, s["size"]) if n >= 110]
        ext = list(s.loc[s["level_type"].str.contains("มัธยม") & s["hill"], "smis8"]) or \
            list(s.loc[s["level_type"].str.contains("มัธยม"), "smis8"])
        boarding = list(_choose(rng, np.array(ext), min(6, max(1, len(ext)))))
        self.pop.boarding_schools = set(boarding)
        specs = {c: Spec(c) for c in codes}
        branch = [c for c, n in zip(codes, s["school_name"]) if "สาขา" in n]
        self.drop_school = branch[0] if branch else codes[-1]
        free = [c for c in codes if c not in boarding]
        rng.shuffle(free)
        for c in boarding:
            specs[c].layout = "A"
        # layout A elsewhere (incl. schools that get boarding errors)
        a_more = free[: max(2, int(0.24 * len(codes)))]
        for c in a_more:
            specs[c].layout = "A"
        self.board_err_schools = [c for c in a_more if c not in boarding][:4]
        rest = [c for c in free if c not in a_more]
        smalls = [c for c in rest if c in small]
        # CSV schools
        n_csv = max(3, int(0.14 * len(codes)))
        csv_s = smalls[:n_csv] if len(smalls) >= n_csv else rest[:n_csv]
        encs = ["utf-8-sig", "utf-8", "cp874", "cp874", "utf-8-sig", "utf-8-sig", "cp874", "utf-8"]
        modes = ["guard", "float", "sci", "dash", "thai", "text", "text", "mixed"]
        for i, c in enumerate(csv_s):
            specs[c].fmt = "csv"
            specs[c].encoding = encs[i % len(encs)]
            specs[c].id_mode = modes[i] if i < len(modes) else "text"
            if specs[c].id_mode == "sci":
                specs[c].encoding = "cp874"
        # a couple of CSVs in layout A
        for c in [c for c in a_more if c not in self.board_err_schools][:3]:
            specs[c].fmt = "csv"
            specs[c].encoding = "utf-8-sig"
        rest2 = [c for c in rest if c not in csv_s]
        smalls2 = [c for c in rest2 if c in small]
        xls_s = smalls2[:3] if len(codes) > 20 else smalls2[:1]
        for c in xls_s:
            specs[c].fmt = "xls"
        rest3 = [c for c in rest2 if c not in xls_s]
        group = [c for c in rest3 if c in small][:4] if len(codes) > 20 else []
        for c in group:
            specs[c].group = "group"
        rest4 = [c for c in rest3 if c not in group]
        # numeric ID cells in xlsx: prefer hill schools (type-0 IDs lose their zero)
        hill = set(s.loc[s["hill"], "smis8"])
        xl = [c for c in codes if specs[c].fmt == "xlsx" and specs[c].group is None and c not in boarding]
        num = [c for c in xl if c in hill][:4] + [c for c in xl if c not in hill][:4]
        for c in num:
            specs[c].id_mode = "numeric"
        for c in [c for c in rest4 if c not in num][:3]:
            specs[c].id_mode = "mixed"
        # layout A xlsx: half with real date cells (B.E. year)
        for c in codes:
            sp = specs[c]
            if sp.layout == "A":
                sp.grade_style = "long"
                if sp.fmt == "xlsx" and rng.random() < 0.55:
                    sp.date_mode = "cell"
            elif rng.random() < 0.15:
                sp.grade_style = "emis"
            if rng.random() < 0.2:
                sp.title_style = "abbr"
        for c in _choose(rng, np.array([c for c in codes if specs[c].group is None]), 7):
            specs[c].title_rows = int(rng.integers(1, 3))
        for c in _choose(rng, np.array(codes), 12):
            specs[c].header_variant = int(rng.integers(1, 3))
        # round 1 unreadable files: a layout B xlsx (random bytes) and a CSV (empty)
        cand_x = [c for c in codes if specs[c].fmt == "xlsx" and specs[c].layout == "B"
                  and specs[c].group is None and specs[c].id_mode == "text" and c != self.drop_school]
        cand_c = [c for c in codes if specs[c].fmt == "csv" and specs[c].id_mode == "text"
                  and c != self.drop_school]
        self.unreadable = {}
        if cand_x:
            self.unreadable[cand_x[-1]] = "bytes"
        if cand_c:
            self.unreadable[cand_c[-1]] = "empty"
        self.specs = specs
        self.boarding = boarding
        return specs

    # ------------------------------------------------------------------ base population
    def base(self) -> pd.DataFrame:
        rng = self.rng
        pop = self.pop
        s = self.sch
        codes = list(s["smis8"])
        # special schools: count-drop (a branch school), class gaps, top grade emptied
        s.loc[s["smis8"] == self.drop_school, "size"] = max(70, int(s.loc[s["smis8"] == self.drop_school, "size"].iloc[0]))
        smalls = [c for c, n, lt in zip(codes, s["size"], s["level_type"])
                  if 60 <= n < 160 and lt == "อนุบาล-ประถมศึกษา" and c != self.drop_school
                  and c not in self.unreadable and c not in self.boarding]
        rng.shuffle(smalls)
        self.top_empty = smalls[:2] if len(codes) > 20 else smalls[:1]
        gap_cand = [c for c in codes if c not in self.top_empty and c != self.drop_school
                    and c not in self.unreadable and c not in self.boarding
                    and 40 <= int(s.loc[s["smis8"] == c, "size"].iloc[0]) < 250]
        rng.shuffle(gap_cand)
        self.class_gap = {}
        for c in gap_cand[: (8 if len(codes) > 20 else 2)]:
            grades = s.loc[s["smis8"] == c, "grades"].iloc[0]
            self.class_gap[c] = grades[int(rng.integers(1, len(grades) - 1))]
        schools, grades = [], []
        for _, row in s.iterrows():
            gl = row["grades"]
            cnt = base_sizes(rng, int(row["size"]), gl)
            if row["smis8"] in self.class_gap:
                cnt[gl.index(self.class_gap[row["smis8"]])] = 2
            if row["smis8"] in self.top_empty:
                cnt[-1] = min(cnt[-1], max(4, int(0.12 * cnt.sum())))
            for g, k in zip(gl, cnt):
                schools += [row["smis8"]] * int(k)
                grades += [g] * int(k)
                pop.room_counts[(row["smis8"], g)] = max(1, int(np.ceil(k / 38)))
        schools = np.array(schools, dtype=object)
        grades = np.array(grades, dtype=object)
        P = pop.new_people(schools, grades)
        enrol = pop.new_enrolment(P["pid"].to_numpy(), schools, grades)
        # rooms: spread evenly within big grades
        enrol = enrol.sort_values(["school", "grade", "rid"])
        nro = np.array([pop.rooms_of(a, b) for a, b in zip(enrol["school"], enrol["grade"])])
        enrol["room"] = ((enrol.groupby(["school", "grade"]).cumcount().to_numpy() % nro) + 1).astype(str).astype(object)
        enrol = enrol.sort_values("rid")
        # class-gap pupils are reserved: they leave (with records) before the end of year
        gap = enrol[[self.class_gap.get(sc) == g for sc, g in zip(enrol["school"], enrol["grade"])]]
        pop.reserved |= set(gap["pid"])
        self.busy |= set(gap["pid"])
        # twins
        tw = self.make_twins(enrol, 36 if len(codes) > 20 else 6)
        enrol = pd.concat([enrol, tw], ignore_index=True)
        pop.fix_name_birth_collisions(pop.persons["pid"].to_numpy())
        self.common_names(enrol, 20 if len(codes) > 20 else 4)
        return enrol

    def make_twins(self, enrol: pd.DataFrame, n: int) -> pd.DataFrame:
        rng = self.rng
        pop = self.pop
        cand = enrol[~enrol["pid"].isin(self.busy) & ~enrol["school"].isin(list(self.unreadable))]
        base = cand.loc[_choose(rng, cand.index.to_numpy(), n)]
        P = pop.persons.set_index("pid")
        src = P.loc[base["pid"]]
        sex = np.where(rng.random(n) < 0.5, src["sex"].to_numpy(), np.where(src["sex"].to_numpy() == "M", "F", "M"))
        newp = pop.new_people(base["school"].to_numpy(), base["grade"].to_numpy(), np.zeros(len(base), int))
        idx = pop.persons.index[pop.persons["pid"].isin(newp["pid"])]
        pop.persons.loc[idx, "sex"] = sex
        first = pop.names.first(rng, sex)
        # different first names, not sharing the first two letters
        for i, f in enumerate(first):
            while f[:2] == src["first"].iloc[i][:2]:
                f = pop.names.first(rng, np.array([sex[i]]))[0]
            first[i] = f
        for col in ("last", "birth", "hill", "race", "religion", "nationality", "disadvantage",
                    "house_no", "moo", "subdistrict", "district", "father_first", "mother_first",
                    "mother_last", "guardian", "father_occ", "mother_occ", "phone", "travel", "distance"):
            pop.persons.loc[idx, col] = src[col].to_numpy()
        pop.persons.loc[idx, "first"] = first
        # a twin's ID: same type as the sibling's (a G-code sibling gets a G-code too)
        tw = pop.new_enrolment(newp["pid"].to_numpy(), base["school"].to_numpy(), base["grade"].to_numpy())
        tw["room"] = base["room"].to_numpy()
        pop.twin_pids |= set(newp["pid"]) | set(base["pid"])
        self.busy |= set(newp["pid"]) | set(base["pid"])
        self.twins = list(zip(base["pid"], newp["pid"]))
        return tw

    def common_names(self, enrol: pd.DataFrame, n: int) -> None:
        """Pairs with the same first and last name in different schools, different birth dates."""
        rng = self.rng
        P = self.pop.persons
        cand = enrol[~enrol["pid"].isin(self.busy) & ~enrol["school"].isin(list(self.unreadable))]
        pick = cand.loc[_choose(rng, cand.index.to_numpy(), 2 * n)]
        a, b = pick.iloc[:n], pick.iloc[n:]
        self.common = []
        for (_, ra), (_, rb) in zip(a.iterrows(), b.iterrows()):
            if ra["school"] == rb["school"]:
                continue
            ia = P.index[P["pid"] == ra["pid"]][0]
            ib = P.index[P["pid"] == rb["pid"]][0]
            if P.at[ia, "birth"] == P.at[ib, "birth"]:
                continue
            P.at[ib, "sex"] = P.at[ia, "sex"]
            P.at[ib, "first"] = P.at[ia, "first"]
            P.at[ib, "last"] = P.at[ia, "last"]
            self.common.append((ra["pid"], rb["pid"]))
            self.busy |= {ra["pid"], rb["pid"]}
        self.pop.persons = P
        self.pop.fix_name_birth_collisions(np.array([p for _, p in self.common]))

    # ------------------------------------------------------------------ incidents
    def eligible(self, F: pd.DataFrame, census: Census, layout_a: bool | None = None,
                 new_only: set | None = None) -> pd.DataFrame:
        ok = ~F["pid"].isin(self.busy) & F["kind"].ne("G") & ~F["pid"].isin(self.pop.reserved)
        ok &= ~F.duplicated("pid", keep=False)
        if census.index == 0:
            ok &= ~F["school"].isin(list(self.unreadable))
        if layout_a is not None:
            isa = F["school"].isin([c for c, sp in self.specs.items() if sp.layout == "A"])
            ok &= isa if layout_a else ~isa
        if new_only is not None:
            ok &= F["pid"].isin(new_only)
        return F[ok]

    def seed_incidents(self, F: pd.DataFrame, census: Census, scale: float, id_pool: set | None = None) -> None:
        rng = self.rng
        C = {k: max(1, int(round(v * scale))) for k, v in R1_COUNTS.items()}
        if scale < 0.2:
            C = {k: (v if rng.random() < 0.6 else 0) for k, v in C.items()}
        k0 = census.index
        offered = dict(zip(self.sch["smis8"], self.sch["grades"]))

        def take(n, **kw):
            E = self.eligible(F, census, **kw)
            rows = E.loc[_choose(rng, E.index.to_numpy(), n)]
            self.busy |= set(rows["pid"])
            return rows

        def add(kind, rid, pid, mods, tags, group="", id_related=False):
            self.incidents.append(Incident(kind, mods=mods, tags=tags, group=group, pids={pid},
                                           since=k0, id_related=id_related))

        idp = {"new_only": id_pool} if id_pool is not None else {}
        for rid, r in take(C["id-missing"], **idp).iterrows():
            add("id-missing", rid, r["pid"], [(rid, "nid", rng.choice(["", "", "-"]))], [], id_related=True)
        for rid, r in take(C["id-format"], **idp).iterrows():
            nid = r["nid"]
            v = rng.choice([nid[:-1], nid + str(rng.integers(0, 10)), nid[:6] + "O" + nid[7:], nid[:10]])
            add("id-format", rid, r["pid"], [(rid, "nid", str(v))], [], id_related=True)
        for rid, r in take(C["id-checksum"], **idp).iterrows():
            add("id-checksum", rid, r["pid"], [(rid, "nid", people.break_check_digit(r["nid"], rng))], [],
                id_related=True)
        E0 = self.eligible(F, census, **idp)
        E0 = E0[E0["kind"].eq("0") & E0["school"].isin([c for c, sp in self.specs.items() if sp.id_mode in ("text", "guard", "dash", "thai", "mixed")])]
        for rid, r in E0.loc[_choose(rng, E0.index.to_numpy(), C["id-checksum-0"])].iterrows():
            self.busy.add(r["pid"])
            add("id-checksum", rid, r["pid"], [(rid, "nid", people.break_check_digit(r["nid"], rng))], [],
                id_related=True)
        # field-missing
        fields = [MISSING_FIELDS[i % len(MISSING_FIELDS)] for i in rng.permutation(C["field-missing"])]
        for (rid, r), fld in zip(take(len(fields)).iterrows(), fields):
            val = 0.0 if fld in ("weight", "height") else ""
            add("field-missing", rid, r["pid"], [(rid, FIELD_COL[fld], val)], [(rid, "field-missing", fld)])
        # field-code
        fl = ["religion", "blood_group", "disadvantage"]
        nA = min(C["field-code"], max(1, C["field-code"] // 5)) if C["field-code"] else 0
        for rid, r in take(C["field-code"] - nA).iterrows():
            fld = fl[int(rng.integers(0, 3))]
            add("field-code", rid, r["pid"], [(rid, FIELD_COL[fld], str(rng.choice(BAD_CODES[fld])))],
                [(rid, "field-code", fld)])
        for rid, r in take(nA, layout_a=True).iterrows():
            add("field-code", rid, r["pid"], [(rid, "disability", str(rng.choice(BAD_CODES["disability"])))],
                [(rid, "field-code", "disability")])
        # sex-title
        for rid, r in take(C["sex-title"]).iterrows():
            opp = {"เด็กชาย": "เด็กหญิง", "เด็กหญิง": "เด็กชาย", "นาย": "นางสาว", "นางสาว": "นาย"}[r["title"]]
            add("sex-title", rid, r["pid"], [(rid, "title", opp)], [(rid, "sex-title", "title")])
        # age-grade: a grade far from the age
        for rid, r in take(3 * C["age-grade"]).iterrows():
            if C["age-grade"] <= 0:
                self.busy.discard(r["pid"])
                continue
            gl = offered[r["school"]]
            k = GRADE_IDX[r["grade"]]
            far = [g for g in gl if abs(GRADE_IDX[g] - k) >= 5]
            if not far:
                self.busy.discard(r["pid"])
                continue
            g = str(rng.choice(far))
            add("age-grade", rid, r["pid"], [(rid, "grade", g)], [(rid, "age-grade", "grade")])
            C["age-grade"] -= 1
        # birthdate-invalid
        asof = census.as_of
        for i, (rid, r) in enumerate(take(C["birthdate-invalid"]).iterrows()):
            b = r["birth"]
            if i % 3 == 0:
                y = b.year + 543
                v = str(rng.choice([f"31/02/{y}", f"{b.day:02d}/13/{y}", "ไม่ทราบ", f"{y}", f"{b.day:02d}/{b.month:02d}/"]))
            elif i % 3 == 1:
                v = dt.date(asof.year + int(rng.integers(3, 12)), b.month, min(b.day, 28))
            else:
                v = asof + dt.timedelta(days=int(rng.integers(5, 60)))
            add("birthdate-invalid", rid, r["pid"], [(rid, "birth", v)], [(rid, "birthdate-invalid", "birth_date")])
        # body-implausible
        for i, (rid, r) in enumerate(take(C["body-implausible"]).iterrows()):
            k = GRADE_IDX[r["grade"]]
            opts = [("height", 300.0), ("weight", 250.0), ("height", 15.5), ("weight", 180.0)]
            if k >= 6:
                opts += [("height", 40.0), ("weight", 3.0)]
            fld, v = opts[i % len(opts)]
            add("body-implausible", rid, r["pid"], [(rid, fld, v)], [(rid, "body-implausible", fld)])
        # boarding-school (layout A schools outside the project)
        E = self.eligible(F, census, layout_a=True)
        E = E[E["school"].isin(self.board_err_schools)]
        for rid, r in E.loc[_choose(rng, E.index.to_numpy(), C["boarding-school"])].iterrows():
            self.busy.add(r["pid"])
            add("boarding-school", rid, r["pid"], [(rid, "boarding", str(rng.choice(BOARDING_PROJECT)))],
                [(rid, "boarding-school", "boarding")])
        # duplicates: extra records
        for rid, r in take(C["dup-id-school"]).iterrows():
            rec = self.pop.new_enrolment(np.array([r["pid"]]), np.array([r["school"]]), np.array([r["grade"]]))
            rec["room"] = r["room"]
            self.incidents.append(Incident("dup-id-school", adds=rec, pids={r["pid"]}, since=k0,
                                           group=f"dup-id-school:{r['nid']}"))
        for rid, r in take(C["dup-id-area"]).iterrows():
            other = [c for c, gl in offered.items() if r["grade"] in gl and c != r["school"]
                     and not (k0 == 0 and c in self.unreadable)]
            sc = str(rng.choice(other))
            rec = self.pop.new_enrolment(np.array([r["pid"]]), np.array([sc]), np.array([r["grade"]]))
            self.incidents.append(Incident("dup-id-area", adds=rec, pids={r["pid"]}, since=k0,
                                           group=f"dup-id-area:{r['nid']}"))
        for i, (rid, r) in enumerate(take(C["dup-person"]).iterrows()):
            other = [c for c, gl in offered.items() if r["grade"] in gl and c != r["school"]
                     and not (k0 == 0 and c in self.unreadable) and self.specs[c].id_mode != "sci"]
            sc = str(rng.choice(other))
            rec = self.pop.new_enrolment(np.array([r["pid"]]), np.array([sc]), np.array([r["grade"]]))
            nrid = int(rec["rid"].iloc[0])
            g = people.make_gcodes(rng, 1, self.pop.taken_ids)[0]
            kind = ["honorific", "spacing", "tone"][i % 3]
            fn = people.name_variant(r["first"], r["sex"], kind)
            grp = f"dup-person:{r['nid']}"
            self.incidents.append(Incident(
                "dup-person", adds=rec, pids={r["pid"]}, since=k0, group=grp,
                mods=[(nrid, "nid", g), (nrid, "first", fn)],
                tags=[(rid, "dup-person", ""), (nrid, "dup-person", "")]))

    def census_frame(self, enrol: pd.DataFrame, census: Census, active: list[Incident]):
        adds = [i.adds for i in active if i.adds is not None]
        allrec = pd.concat([enrol] + adds, ignore_index=True) if adds else enrol
        F = materialise(self.pop, allrec, census)
        F, tags = apply_incidents(F, active)
        return F, tags


# ------------------------------------------------------------------------------ movements
DISCHARGE_COLS = ["school_code", "national_id", "title", "first_name", "last_name", "grade",
                  "reason", "discharge_date", "pid"]


class Runner(Builder):
    def discharge_rows(self, rows: pd.DataFrame, reason: str, census: Census, prev: Census,
                       date_hi: dt.date | None = None) -> pd.DataFrame:
        P = self.pop.persons.set_index("pid")
        p = P.loc[rows["pid"]]
        lo = prev.as_of if prev.index != 1 else self.cens[1].as_of + dt.timedelta(days=25)
        hi = date_hi or (census.as_of - dt.timedelta(days=2))
        span = max(1, (hi - lo).days)
        dates = [lo + dt.timedelta(days=int(d)) for d in self.rng.integers(1, span, len(rows))]
        age = full_years(p["birth"], census.as_of)
        sex = p["sex"].to_numpy()
        title = np.where(sex == "M", np.where(age < 15, "เด็กชาย", "นาย"), np.where(age < 15, "เด็กหญิง", "นางสาว"))
        return pd.DataFrame({"school_code": rows["school"].to_numpy(), "national_id": p["nid"].to_numpy(),
                             "title": title, "first_name": p["first"].to_numpy(), "last_name": p["last"].to_numpy(),
                             "grade": rows["grade"].to_numpy(), "reason": reason, "discharge_date": dates,
                             "pid": rows["pid"].to_numpy()})

    def free_rows(self, enrol: pd.DataFrame, kinds=("1",)) -> pd.DataFrame:
        P = self.pop.persons.set_index("pid")
        kind = enrol["pid"].map(P["kind"])
        ok = (~enrol["pid"].isin(self.busy) & ~enrol["pid"].isin(self.pop.reserved) & kind.isin(kinds)
              & ~enrol["pid"].duplicated(keep=False) & ~enrol["school"].isin(list(self.unreadable)))
        return enrol[ok]

    def movements(self, enrol: pd.DataFrame, census: Census, prev: Census, rates: dict) -> tuple:
        rng = self.rng
        n = len(enrol)
        offered = dict(zip(self.sch["smis8"], self.sch["grades"]))
        dis = []
        ev = {}

        def pick(k, kinds=("1",), pool=None):
            E = self.free_rows(enrol if pool is None else pool, kinds)
            rows = E.loc[_choose(rng, E.index.to_numpy(), k)]
            self.busy |= set(rows["pid"])
            return rows

        # leaving the area
        for key, reason in (("left_record", "ย้ายออก"), ("dropout", "ออกกลางคัน"), ("died", "เสียชีวิต")):
            k = int(round(rates[key] * n)) if rates[key] < 1 else int(rates[key])
            rows = pick(k)
            dis.append(self.discharge_rows(rows, reason, census, prev))
            enrol = enrol.drop(rows.index)
            ev[key] = len(rows)
        rows = pick(int(rates["left_unexplained"]))
        enrol = enrol.drop(rows.index)
        ev["left_unexplained"] = len(rows)
        # dead but still listed
        rows = pick(int(rates["dead_reappears"]))
        dis.append(self.discharge_rows(rows, "เสียชีวิต", census, prev))
        ev["dead_reappears"] = len(rows)
        # moves inside the area
        k = int(round(rates["moved"] * n))
        rows = pick(k)
        targets = []
        by_grade = {g: [c for c, gl in offered.items() if g in gl and c not in self.unreadable] for g in GRADES}
        for sc0, g0 in zip(rows["school"], rows["grade"]):
            other = [c for c in by_grade[g0] if c != sc0]
            targets.append(str(other[int(rng.integers(0, len(other)))]))
        rec = rows[rng.random(len(rows)) < 0.8]
        dis.append(self.discharge_rows(rec, "ย้ายออก", census, prev))
        enrol = enrol.drop(rows.index)
        if len(rows):
            enrol = pd.concat([enrol, self.pop.new_enrolment(rows["pid"].to_numpy(), np.array(targets, dtype=object),
                                                             rows["grade"].to_numpy())], ignore_index=True)
        ev["moved"] = len(rows)
        # G-code → 13-digit ID
        rows = pick(int(rates["id_changed"]), kinds=("G",))
        P = self.pop.persons
        for _, r in rows.iterrows():
            safe = self.specs[r["school"]].id_mode in ("text", "guard", "dash", "thai", "mixed")
            t = "0" if (safe and rng.random() < 0.6) else "7"
            nid = people.make_pins(rng, np.array([int(t)]), np.array(["5701"]), self.pop.taken_ids)[0]
            i = P.index[P["pid"] == r["pid"]][0]
            P.at[i, "nid"] = nid
            P.at[i, "kind"] = t
        ev["id_changed"] = len(rows)
        # grade down (this census only)
        E = self.free_rows(enrol)
        Pk = self.pop.persons.set_index("pid")
        by = Pk.loc[E["pid"], "birth"].dt.year.to_numpy()
        nominal = self.pop.ay_ce - 4 - np.array([GRADE_IDX[g] for g in E["grade"]])
        low = np.array([g != offered[s][0] for s, g in zip(E["school"], E["grade"])])
        E = E[(by == nominal) & low]
        rows = E.loc[_choose(rng, E.index.to_numpy(), int(rates["grade_down"]))]
        self.busy |= set(rows["pid"])
        for _, r in rows.iterrows():
            g = GRADES[GRADE_IDX[r["grade"]] - 1]
            self.incidents.append(Incident("grade-down", mods=[(int(r["rid"]), "grade", g)], pids={r["pid"]},
                                           since=census.index))
        ev["grade_down"] = len(rows)
        # newcomers
        k = int(round(rates["new"] * n))
        w = enrol["school"].value_counts()
        w = w[~w.index.isin(list(self.unreadable))]
        sc = rng.choice(w.index.to_numpy(), k, p=(w / w.sum()).to_numpy())
        gr = np.array([str(rng.choice(offered[s])) for s in sc], dtype=object)
        newp = self.pop.new_people(sc.astype(object), gr)
        self.pop.fix_name_birth_collisions(newp["pid"].to_numpy())
        enrol = pd.concat([enrol, self.pop.new_enrolment(newp["pid"].to_numpy(), sc.astype(object), gr)],
                          ignore_index=True)
        ev["new"] = k
        return enrol, dis, ev, set(newp["pid"])

    def end_of_year(self, enrol: pd.DataFrame, census: Census, prev: Census) -> tuple:
        rng = self.rng
        dis = []
        offered = dict(zip(self.sch["smis8"], self.sch["grades"]))
        # graduates discharged by hand before the census
        for s in self.top_empty:
            top = offered[s][-1]
            rows = enrol[(enrol["school"] == s) & (enrol["grade"] == top)]
            self.busy |= set(rows["pid"])
            dis.append(self.discharge_rows(rows, "จบการศึกษา", census, prev, census.as_of - dt.timedelta(days=5)))
            enrol = enrol.drop(rows.index)
        # a grade emptied (its pupils moved away with records) while EMIS still counts a room
        for s, g in self.class_gap.items():
            rows = enrol[(enrol["school"] == s) & (enrol["grade"] == g)]
            dis.append(self.discharge_rows(rows, "ย้ายออก", census, prev))
            enrol = enrol.drop(rows.index)
        # a branch school sending 45 % of its pupils to another school
        rows = self.free_rows(enrol[enrol["school"] == self.drop_school], kinds=("1", "0", "6", "7"))
        rows = rows.loc[_choose(rng, rows.index.to_numpy(), int(0.45 * (enrol["school"] == self.drop_school).sum()))]
        self.busy |= set(rows["pid"])
        targets = []
        main = [c for c, n in zip(self.sch["smis8"], self.sch["school_name"]) if n == "บ้านรวมมิตร"]
        for _, r in rows.iterrows():
            opts = [c for c, gl in offered.items() if r["grade"] in gl and c != r["school"] and c not in self.unreadable]
            targets.append(main[0] if main and r["grade"] in offered[main[0]] else str(rng.choice(opts)))
        dis.append(self.discharge_rows(rows, "ย้ายออก", census, prev))
        enrol = enrol.drop(rows.index)
        if len(rows):
            enrol = pd.concat([enrol, self.pop.new_enrolment(rows["pid"].to_numpy(), np.array(targets, dtype=object),
                                                             rows["grade"].to_numpy())], ignore_index=True)
        return enrol, dis, len(rows)

    # ------------------------------------------------------------------ the year
    def run(self, progress=None) -> Area:
        rng = self.rng
        self.plan_schools()
        enrol = self.base()
        area = Area(self.year_be, self.sch, self.specs, self.pop, self.cens, boarding=self.boarding,
                    unreadable=self.unreadable, class_gap=self.class_gap, top_empty=self.top_empty,
                    drop_school=self.drop_school)
        c1, c2, c3, c4 = self.cens
        # round 1
        F, _ = self.census_frame(enrol, c1, [])
        self.seed_incidents(F, c1, 1.0)
        active = list(self.incidents)
        area.frames[c1.key], area.tags[c1.key] = self.census_frame(enrol, c1, active)
        area.discharges[c1.key] = pd.DataFrame(columns=DISCHARGE_COLS)
        # round 2: about 60 % fixed, a few new
        keep = rng.random(len(active)) < 0.4
        active = [i for i, k in zip(active, keep) if k]
        n0 = len(self.incidents)
        F, _ = self.census_frame(enrol, c2, active)
        self.seed_incidents(F, c2, 0.12)
        active += self.incidents[n0:]
        area.frames[c2.key], area.tags[c2.key] = self.census_frame(enrol, c2, active)
        area.discharges[c2.key] = pd.DataFrame(columns=DISCHARGE_COLS)
        rates3 = dict(left_record=0.01, dropout=8, died=3, left_unexplained=16, dead_reappears=10,
                      moved=0.015, id_changed=15, grade_down=14, new=0.01)
        rates4 = dict(left_record=0.006, dropout=6, died=2, left_unexplained=15, dead_reappears=6,
                      moved=0.01, id_changed=10, grade_down=12, new=0.005)
        small = len(self.sch) < 30
        if small:
            rates3 = {k: (v if v < 1 else max(2, v // 4)) for k, v in rates3.items()}
            rates4 = {k: (v if v < 1 else max(2, v // 4)) for k, v in rates4.items()}
        for cur, prev, rates in ((c3, c2, rates3), (c4, c3, rates4)):
            # incidents: grade-down lasts one census; others persist with 60 %
            active = [i for i in active if i.kind != "grade-down" and rng.random() < 0.6]
            enrol, dis, ev, newp = self.movements(enrol, cur, prev, rates)
            if cur.phase == "endyear":
                enrol, dis2, nmoved = self.end_of_year(enrol, cur, prev)
                dis += dis2
                ev["branch_moved"] = nmoved
            n0 = len(self.incidents)
            active += [i for i in self.incidents if i.kind == "grade-down" and i.since == cur.index]
            F, _ = self.census_frame(enrol, cur, active)
            self.seed_incidents(F, cur, 0.5, id_pool=newp)
            active += [i for i in self.incidents[n0:] if i.kind != "grade-down"]
            area.frames[cur.key], area.tags[cur.key] = self.census_frame(enrol, cur, active)
            d = pd.concat([x for x in dis if len(x)], ignore_index=True) if any(len(x) for x in dis) \
                else pd.DataFrame(columns=DISCHARGE_COLS)
            area.discharges[cur.key] = d.sort_values(["school_code", "discharge_date"], kind="stable").reset_index(drop=True)
            area.events[cur.key] = ev
            if progress:
                progress(cur.key)
        area.twins = self.twins
        area.common = self.common
        return area
