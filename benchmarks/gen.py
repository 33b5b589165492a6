"""Synthetic DMC student extracts for the benchmarks, generated fast with numpy + pyarrow.

``python benchmarks/gen.py --rows 120000 --out benchmarks/_work/province.csv``

One row per student, many schools and areas per file, grouped by school as DMC's provincial
extracts are. The columns are DMC layout B's 39 Thai headers (``--naming thai``, the default)
or the canonical English names (``--naming canonical``: the layout-B columns the loaders know,
renamed; the rest keep their Thai header). Formats: ``.csv``, ``.csv.gz``, ``.parquet``.

Realism that makes the checks do real work (rates per student):

- schools: ``rows × 29,449 / 6,626,068`` schools (≈ 225 students each, log-normal sizes),
  ≈ 160 schools per area code;
- names from pythainlp's corpora (Zipf popularity); surnames compounded from the family-name
  corpus so there are about one distinct surname per six students (national: ≈ 1.1 M),
  siblings share them;
- IDs: 13-digit with a correct check digit (types 1, 2, 3, 0, 6, 7, 8), 2 % G-codes, 0.3 %
  wrong check digits, 0.1 % lost leading zero (12 digits), 0.05 % Excel scientific notation,
  0.05 % missing, 0.2 % written with dashes;
- duplicates: 0.05 % of students also appear in a second school under the same ID
  (``dup-id-area``), 0.02 % twice in their own school (``dup-id-school``), 0.03 % appear in a
  second school under a G-code with the first name typed differently (honorific inside the
  field, a space, another mark order) (``dup-person``); national: ≈ 3,300 / 1,300 / 2,000;
- errors: weight or height 0 (0.5 % each), sex contradicting the title (0.1 %), unreadable
  birth dates (0.05 %), religion blank (0.1 %), odd disadvantage labels (0.05 %).

Everything is indices into small pools of strings until the last moment; a file is written
block by block (``block`` rows at a time), so generating the national extract needs about
1 GB of memory.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from obec_audit.io.aliases import LAYOUT_B_HEADERS, STUDENT_ALIASES  # noqa: E402
from obec_audit.io.readers import build_lookup, header_key  # noqa: E402

NATIONAL_STUDENTS = 6_626_068
NATIONAL_SCHOOLS = 29_449
SCHOOLS_PER_AREA = 160

GRADES = ["อ.1", "อ.2", "อ.3"] + [f"ป.{i}" for i in range(1, 7)] + [f"ม.{i}" for i in range(1, 7)]
#: typical completed age at 16 May
TYPICAL = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]
GRADE_WEIGHTS = np.array([3, 6, 6, 9, 9, 9, 9, 9, 9, 7, 7, 7, 3, 3, 3], dtype=float)

PROVINCES = [
    "เชียงราย", "เชียงใหม่", "น่าน", "พะเยา", "แพร่", "ลำปาง", "ลำพูน", "แม่ฮ่องสอน", "ขอนแก่น",
    "อุดรธานี", "นครราชสีมา", "บุรีรัมย์", "สุรินทร์", "ศรีสะเกษ", "อุบลราชธานี", "ร้อยเอ็ด", "กาฬสินธุ์",
    "สกลนคร", "นครพนม", "มุกดาหาร", "ชัยภูมิ", "เลย", "หนองคาย", "สงขลา", "ปัตตานี", "ยะลา", "นราธิวาส",
    "นครศรีธรรมราช", "สุราษฎร์ธานี", "ชุมพร", "ตรัง", "พัทลุง", "กระบี่", "ภูเก็ต", "ชลบุรี", "ระยอง",
    "จันทบุรี", "ตราด", "สระแก้ว", "ปราจีนบุรี", "นครนายก", "ฉะเชิงเทรา", "สมุทรปราการ", "นนทบุรี",
    "ปทุมธานี", "อยุธยา", "สระบุรี", "ลพบุรี", "สิงห์บุรี", "อ่างทอง", "ชัยนาท", "อุทัยธานี", "นครสวรรค์",
    "พิจิตร", "พิษณุโลก", "สุโขทัย", "อุตรดิตถ์", "ตาก", "กำแพงเพชร", "เพชรบูรณ์", "กาญจนบุรี",
    "ราชบุรี", "สุพรรณบุรี", "นครปฐม", "สมุทรสาคร", "สมุทรสงคราม", "เพชรบุรี", "ประจวบคีรีขันธ์",
]
OCCUPATIONS = ["เกษตรกร", "รับจ้างทั่วไป", "ค้าขาย", "รับราชการ", "ธุรกิจส่วนตัว", "ไม่ได้ประกอบอาชีพ"]
RELATIONS = ["บิดา", "มารดา", "ปู่", "ย่า", "ตา", "ยาย", "ลุง", "ป้า"]
DISADV = ["ไม่ด้อยโอกาส", "เด็กยากจน", "ชนกลุ่มน้อย", "เด็กถูกทอดทิ้ง", "กำพร้า", "ผลกระทบจากเอดส์"]
DISADV_W = np.array([48.0, 49.0, 1.5, 0.5, 0.7, 0.3])


def _ratios(n: int) -> dict[str, int]:
    """How many of each seeded problem for ``n`` students."""
    r = lambda x: int(round(n * x))  # noqa: E731
    return dict(dup_area=r(0.0005), dup_school=r(0.0002), dup_person=r(0.0003))


def _check_digit(d12: np.ndarray) -> np.ndarray:
    w = np.arange(13, 1, -1)
    return ((11 - (d12.astype(np.int64) @ w) % 11) % 10).astype(np.uint8)


def _zipf(rng, n, offset):
    rank = rng.permutation(n).astype(float)
    w = 1.0 / (rank + offset)
    return w / w.sum()


def _pools(rng, n_surnames: int):
    from obec_audit.demo.people import name_pools

    p = name_pools()
    male, female, family = (np.asarray(p[k], dtype=object) for k in ("M", "F", "family"))
    # compound surnames: family name + a syllable-ish tail of another family name
    tails = np.unique(np.array([f[-3:] for f in family if len(f) >= 5], dtype=object))
    k = max(0, n_surnames - len(family))
    a = rng.integers(0, len(family), k)
    b = rng.integers(0, len(tails), k)
    compound = np.array([family[i] + tails[j] for i, j in zip(a, b)], dtype=object)
    surnames = np.unique(np.concatenate([family, compound]))
    return male, female, surnames


def _dict(indices: np.ndarray, pool) -> pa.Array:
    """Decoded string array of ``pool[indices]`` (built in C++ by pyarrow)."""
    pool = pa.array(list(pool), type=pa.string())
    return pc.take(pool, pa.array(np.asarray(indices, dtype=np.int64)))


class Population:
    """The whole extract as index arrays (cheap), rendered to strings block by block."""

    def __init__(self, n: int, seed: int = 1, year_be: int = 2569):
        t0 = time.perf_counter()
        rng = np.random.default_rng(seed)
        self.n, self.rng, self.year_be = n, rng, year_be
        year = year_be - 543
        n_schools = max(1, round(n * NATIONAL_SCHOOLS / NATIONAL_STUDENTS))
        size = rng.lognormal(0.0, 0.7, n_schools)
        size = size / size.sum() * n
        bounds = np.floor(np.cumsum(size)).astype(np.int64)
        bounds[-1] = n
        school = np.searchsorted(bounds, np.arange(n), side="right")
        self.school = school.astype(np.int32)
        self.n_schools = n_schools
        area = 1001 + np.arange(n_schools) // SCHOOLS_PER_AREA
        self.school_codes = np.array(
            [f"{a:04d}{(i % SCHOOLS_PER_AREA) + 1:04d}" for i, a in enumerate(area)], dtype=object)
        self.school_names = np.array([f"โรงเรียนบ้านตัวอย่าง{i + 1}" for i in range(n_schools)],
                                     dtype=object)
        self.school_prov = rng.integers(0, len(PROVINCES), n_schools)

        self.grade = rng.choice(len(GRADES), n, p=GRADE_WEIGHTS / GRADE_WEIGHTS.sum()).astype(np.int8)
        self.sex = rng.integers(0, 2, n).astype(np.int8)  # 0 M, 1 F
        # birth date: typical age at 16 May + 0..1 year (+ a few late starters)
        typical = np.asarray(TYPICAL)[self.grade]
        late = (rng.random(n) < 0.03) * rng.integers(1, 3, n)
        ref = np.datetime64(f"{year}-05-16")
        days = rng.integers(0, 365, n)
        birth = ref - ((typical + late) * 365.25).astype("timedelta64[D]") - days.astype("timedelta64[D]")
        self.birth = birth.astype("datetime64[D]").astype(np.int32)

        male, female, surnames = _pools(rng, max(10_000, n // 6))
        self.first_pool = np.concatenate([male, female])
        self.n_male = len(male)
        wm = _zipf(rng, len(male), 40.0)
        wf = _zipf(rng, len(female), 40.0)
        first = np.where(self.sex == 0, rng.choice(len(male), n, p=wm),
                         len(male) + rng.choice(len(female), n, p=wf))
        self.first = first.astype(np.int32)
        self.surname_pool = surnames
        self.last = rng.choice(len(surnames), n, p=_zipf(rng, len(surnames), 2000.0)).astype(np.int32)
        self.father = rng.choice(len(male), n, p=wm).astype(np.int32)
        self.mother = (len(male) + rng.choice(len(female), n, p=wf)).astype(np.int32)

        # IDs as 13 ASCII bytes per row
        types = rng.choice(np.array([1, 2, 3, 0, 6, 7, 8]), n,
                           p=[0.86, 0.04, 0.01, 0.04, 0.02, 0.02, 0.01])
        d = rng.integers(0, 10, (n, 13)).astype(np.uint8)
        d[:, 0] = types
        d[:, 12] = _check_digit(d[:, :12])
        self.gcode = rng.random(n) < 0.02
        g = np.flatnonzero(self.gcode)
        d[g, 12] = d[g, 11]
        self.ids = d + 48
        self.ids[g, 0] = ord("G")
        self.ids[g, 1:3] = np.frombuffer(b"64", np.uint8)
        u = rng.random(n)
        self.bad_cd = (~self.gcode) & (u < 0.003)
        self.ids[self.bad_cd, 12] = (self.ids[self.bad_cd, 12] - 48 + 1) % 10 + 48
        self.lost_zero = (~self.gcode) & (u >= 0.003) & (u < 0.004)
        self.sci = (~self.gcode) & (u >= 0.004) & (u < 0.0045)
        self.missing = (u >= 0.0045) & (u < 0.005)
        self.dashed = (~self.gcode) & (u >= 0.005) & (u < 0.007)

        e = rng.random((6, n))
        self.w0, self.h0 = e[0] < 0.005, e[1] < 0.005
        self.sex_flip = e[2] < 0.001
        self.bad_date = e[3] < 0.0005
        self.no_religion = e[4] < 0.001
        self.odd_disadv = e[5] < 0.0005
        self.first_variant = np.full(n, -1, dtype=np.int32)  # index into self.variants
        self.variants: list[str] = []
        self._duplicates(rng)
        self.seconds = time.perf_counter() - t0

    def _duplicates(self, rng) -> None:
        from obec_audit.demo.people import name_variant

        n = self.n
        cnt = _ratios(n)
        clean = ~(self.gcode | self.bad_cd | self.lost_zero | self.sci | self.missing | self.dashed)
        cand = np.flatnonzero(clean)
        k = cnt["dup_area"] + cnt["dup_school"] + cnt["dup_person"]
        if k == 0 or len(cand) < 2 * k:
            self.counts = {key: 0 for key in cnt}
            return
        pick = rng.choice(cand, 2 * k, replace=False)
        src, dst = pick[:k], pick[k:]
        a, s = cnt["dup_area"], cnt["dup_school"]
        # same school: move the destination row into the source's school
        ds = dst[a:a + s]
        self.school[ds] = self.school[src[a:a + s]]
        # the destination row becomes the same child
        for arr in (self.grade, self.sex, self.birth, self.first, self.last, self.father, self.mother):
            arr[dst] = arr[src]
        self.ids[dst] = self.ids[src]
        # same child under a G-code in another school, first name typed differently
        dp_src, dp = src[a + s:], dst[a + s:]
        self.gcode[dp] = True
        self.ids[dp, 0] = ord("G")
        self.ids[dp, 1:3] = np.frombuffer(b"64", np.uint8)
        kinds = ("honorific", "spacing", "tone", "same")
        for j, (i_src, i_dst) in enumerate(zip(dp_src, dp)):
            kind = kinds[j % 4]
            if kind == "same":
                continue
            name = self.first_pool[self.first[i_src]]
            self.first_variant[i_dst] = len(self.variants)
            self.variants.append(name_variant(name, "M" if self.sex[i_src] == 0 else "F", kind))
        # keep the file grouped by school: the moved same-school rows sit where they were
        self.counts = {"dup_area_rows": int(2 * a), "dup_school_rows": int(2 * s),
                       "dup_person_pairs": int(cnt["dup_person"])}

    # ------------------------------------------------------------------ rendering
    def block(self, lo: int, hi: int, naming: str = "thai") -> pa.Table:
        """Rows ``lo:hi`` as a table of strings with layout B's 39 columns."""
        rng = np.random.default_rng((self.n, lo))
        m = hi - lo
        sl = slice(lo, hi)
        school = self.school[sl]
        grade = self.grade[sl]
        sex = self.sex[sl].copy()
        age = np.asarray(TYPICAL)[grade] + 0

        ids_bytes = np.ascontiguousarray(self.ids[sl]).view("S13").ravel()
        ids = pa.array(ids_bytes, type=pa.binary(13)).cast(pa.string())
        lz, sci, miss, dash = (x[sl] for x in (self.lost_zero, self.sci, self.missing, self.dashed))
        ids = pc.if_else(pa.array(lz), pc.utf8_slice_codeunits(ids, 1), ids)
        sci_txt = pc.binary_join_element_wise(pc.utf8_slice_codeunits(ids, 0, 1), ".",
                                              pc.utf8_slice_codeunits(ids, 1, 5), "E+12", "")
        ids = pc.if_else(pa.array(sci), sci_txt, ids)
        dash_txt = pc.binary_join_element_wise(
            pc.utf8_slice_codeunits(ids, 0, 1), pc.utf8_slice_codeunits(ids, 1, 5),
            pc.utf8_slice_codeunits(ids, 5, 10), pc.utf8_slice_codeunits(ids, 10, 12),
            pc.utf8_slice_codeunits(ids, 12, 13), "-")
        ids = pc.if_else(pa.array(dash), dash_txt, ids)
        ids = pc.if_else(pa.array(miss), pa.scalar(None, pa.string()), ids)

        # titles from sex and age; a few contradict the recorded sex
        adult = age >= 15
        title_idx = np.where(sex == 0, np.where(adult, 1, 0), np.where(adult, 3, 2))
        sex_rec = np.where(self.sex_flip[sl], 1 - sex, sex)
        title_pool = ["เด็กชาย", "นาย", "เด็กหญิง", "นางสาว"]

        # birth dates as B.E. DD/MM/YYYY, a few unreadable
        b = self.birth[sl]
        uniq, inv = np.unique(b, return_inverse=True)
        dates = uniq.astype("datetime64[D]").astype(object)
        date_pool = [f"{x.day:02d}/{x.month:02d}/{x.year + 543}" for x in dates] + ["31/02/2560"]
        di = np.where(self.bad_date[sl], len(date_pool) - 1, inv)

        first_pool = list(self.first_pool) + list(self.variants)
        fi = np.where(self.first_variant[sl] >= 0, len(self.first_pool) + self.first_variant[sl],
                      self.first[sl])
        last = _dict(self.last[sl], self.surname_pool)

        h = np.clip(np.round(95 + 6.0 * (age - 3) + rng.normal(0, 6, m)), 70, 190).astype(int)
        w = np.clip(np.round((13 + 2.8 * (age - 3) + rng.normal(0, 3, m)) * 2) / 2, 9, 95)
        h_txt = np.where(self.h0[sl], "0", h.astype(str))
        w_txt = np.where(self.w0[sl], "0", np.char.mod("%g", w))

        prov = self.school_prov[school]
        cols: dict[str, pa.Array] = {
            "รหัสโรงเรียน": _dict(school, self.school_codes),
            "ชื่อโรงเรียน": _dict(school, self.school_names),
            "เลขประจำตัวประชาชน": ids,
            "ชั้น": _dict(grade, GRADES),
            "ห้อง": _dict(rng.integers(0, 3, m), ["1", "2", "3"]),
            "เลขประจำตัวนักเรียน": pa.array(10000 + np.arange(lo, hi) % 90000).cast(pa.string()),
            "เพศ": _dict(sex_rec, ["ช", "ญ"]),
            "คำนำหน้าชื่อ": _dict(title_idx, title_pool),
            "ชื่อ": _dict(fi, first_pool),
            "นามสกุล": last,
            "วันเกิด": _dict(di, date_pool),
            "อายุ(ปี)": pa.array(age).cast(pa.string()),
            "น้ำหนัก": pa.array(w_txt.astype(object), type=pa.string()),
            "ส่วนสูง": pa.array(h_txt.astype(object), type=pa.string()),
            "กลุ่มเลือด": _dict(rng.choice(5, m, p=[0.3, 0.3, 0.07, 0.3, 0.03]),
                                ["A", "B", "AB", "O", "ไม่ทราบ"]),
            "ศาสนา": _dict(np.where(self.no_religion[sl], 3, rng.choice(3, m, p=[0.93, 0.05, 0.02])),
                          ["พุทธ", "อิสลาม", "คริสต์", ""]),
            "เชื้อชาติ": _dict(rng.choice(3, m, p=[0.96, 0.02, 0.02]), ["ไทย", "พม่า", "ลาว"]),
            "สัญชาติ": _dict(rng.choice(3, m, p=[0.96, 0.02, 0.02]), ["ไทย", "พม่า", "ลาว"]),
            "บ้านเลขที่": pa.array(rng.integers(1, 400, m)).cast(pa.string()),
            "หมู่": pa.array(rng.integers(1, 16, m)).cast(pa.string()),
            "ถนน/ซอย": _dict(rng.integers(0, 2, m), ["-", "ซอย 1"]),
            "ตำบล": _dict(school % 997, [f"ตำบลที่{i}" for i in range(997)]),
            "อำเภอ": _dict(school % 101, [f"อำเภอที่{i}" for i in range(101)]),
            "จังหวัด": _dict(prov, PROVINCES),
            "ชื่อผู้ปกครอง": _dict(self.father[sl], self.first_pool),
            "นามสกุลผู้ปกครอง": last,
            "อาชีพของผู้ปกครอง": _dict(rng.integers(0, len(OCCUPATIONS), m), OCCUPATIONS),
            "ความเกี่ยวข้องของผู้ปกครองกับนักเรียน": _dict(rng.integers(0, len(RELATIONS), m), RELATIONS),
            "ชื่อบิดา": _dict(self.father[sl], self.first_pool),
            "นามสกุลบิดา": last,
            "อาชีพของบิดา": _dict(rng.integers(0, len(OCCUPATIONS), m), OCCUPATIONS),
            "ชื่อมารดา": _dict(self.mother[sl], self.first_pool),
            "นามสกุลมารดา": last,
            "อาชีพของมารดา": _dict(rng.integers(0, len(OCCUPATIONS), m), OCCUPATIONS),
            "ความด้อยโอกาส": _dict(np.where(self.odd_disadv[sl], len(DISADV),
                                            rng.choice(len(DISADV), m, p=DISADV_W / DISADV_W.sum())),
                                   DISADV + ["ยากจนมาก"]),
            "ยังไม่สามารถจำหน่ายได้ (3.1.8)": _dict(np.zeros(m, dtype=int), [""]),
            "เป็นลูกเสือ/เนตรนารี": _dict(rng.integers(0, 2, m), ["ใช่", "ไม่ใช่"]),
            "เป็นยุวกาชาด": _dict(rng.integers(0, 2, m), ["ใช่", "ไม่ใช่"]),
            "ทักษะการว่ายน้ำ": _dict(rng.integers(0, 2, m), ["ว่ายน้ำเป็น", "ว่ายน้ำไม่เป็น"]),
        }
        assert list(cols) == list(LAYOUT_B_HEADERS), "layout B headers changed"
        if naming == "canonical":
            lookup = build_lookup(STUDENT_ALIASES)
            cols = {lookup.get(header_key(k), k): v for k, v in cols.items()}
        return pa.table(cols)


def write_extract(out: str | Path, rows: int, *, seed: int = 1, naming: str = "thai",
                  block: int = 500_000, year_be: int = 2569) -> dict:
    """Generate ``rows`` students into ``out`` (.csv, .csv.gz or .parquet). Returns a manifest
    (also written next to the file as ``<name>.json``)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    pop = Population(rows, seed=seed, year_be=year_be)
    name = out.name.lower()
    tmp = out.with_name(out.name + ".tmp")
    writer = None
    sink = None
    try:
        for lo in range(0, rows, block):
            t = pop.block(lo, min(rows, lo + block), naming)
            if writer is None:
                if name.endswith(".parquet"):
                    import pyarrow.parquet as pq

                    writer = pq.ParquetWriter(tmp, t.schema, compression="zstd")
                else:
                    import pyarrow.csv as pacsv

                    sink = pa.CompressedOutputStream(str(tmp), "gzip") if name.endswith(".gz") \
                        else pa.OSFile(str(tmp), "wb")
                    writer = pacsv.CSVWriter(sink, t.schema)
            writer.write_table(t)
    finally:
        if writer is not None:
            writer.close()
        if sink is not None:
            sink.close()
    tmp.replace(out)
    manifest = {
        "file": out.name, "rows": rows, "schools": pop.n_schools, "seed": seed, "naming": naming,
        "bytes": out.stat().st_size, "gcodes": int(pop.gcode.sum()), **pop.counts,
        "seconds": round(time.perf_counter() - t0, 2),
    }
    out.with_name(out.name + ".json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                                 encoding="utf-8")
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--out", required=True, help=".csv, .csv.gz or .parquet")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--naming", choices=("thai", "canonical"), default="thai")
    args = ap.parse_args(argv)
    print(json.dumps(write_extract(args.out, args.rows, seed=args.seed, naming=args.naming),
                     ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
