"""Duplicate students: the same ID twice in a school (``dup-id-school``), the same ID in two
schools (``dup-id-area``), and the same child under different IDs (``dup-person``).

All three are hash/sort based (no all-pairs comparison), so they scale to the national list.

``dup-person``: points of evidence, not one similarity threshold (``PERSON_WEIGHTS``)
    1. Names are normalised (``obec_audit.thainames``: NFKC, honorific inside the name field,
       spacing, mark order, doubled marks) and given a spelling key
       (``thainames.spelling_key``: tone marks, vowel length, consonants of one sound, silent
       letters), once per distinct name.
    2. Candidates share a birth date and have different IDs. An area scores all of them; a
       province or the nation only those sharing one name's spelling key (no other pair can
       reach the threshold).
    3. Each pair gets points for each name (exact, same key, one edit apart, other), the
       birth date, the kinds of the two IDs (a 13-digit ID and a G-code: +; two different
       valid 13-digit IDs: −, twins have their own), another school, the grade and the sex;
       ``PERSON_THRESHOLD`` points (``options['dup_person_min_score']``) make a finding. A
       name's length plays no part: a one-character variant of a 3-letter name counts as
       much as one of a 12-letter name. Recall and precision on labelled pairs:
       ``obec_audit.demo.pairs``.
    4. Every member of a connected set of pairs shares ``group`` (``DP-<birth date>-<hash>``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cpdist

from obec_audit.checks._common import map_codes, per_value, unique_values
from obec_audit.checks.registry import STUDENT_PHASES, CheckInput, findings, offending, register
from obec_audit.schema import GRADE_ORDER, empty_findings
from obec_audit.thainames import NameKeys, name_keys, spelling_key_array

MIN_BIRTH = pd.Timestamp("1950-01-01")


def _text(s: pd.Series) -> pd.Series:
    return s.astype("string").fillna("")


def _dup_ids(df: pd.DataFrame) -> pd.Series:
    """The IDs that take part in ID duplicate checks: present (invalid ones too), but not the
    Excel scientific-notation wrecks (``11017E+12``): those are many different children whose
    digits are lost, and ``id-format`` already reports them. '' elsewhere."""
    nid = _text(df["national_id"])
    a = pa.array(nid)
    drop = pc.equal(a, "").to_numpy(zero_copy_only=False)
    if "id_type" in df.columns:
        drop |= pc.fill_null(pc.equal(pa.array(df["id_type"].astype("string")), "missing"), False).to_numpy(
            zero_copy_only=False)
    has_e = pc.match_substring(a, "E").to_numpy(zero_copy_only=False)
    if has_e.any():
        sci = nid[has_e].str.contains(r"\dE[+\-]?\d", regex=True).fillna(False).to_numpy(bool)
        drop[np.flatnonzero(has_e)[sci]] = True
    if not drop.any():
        return nid
    out = pc.if_else(pa.array(drop), pa.scalar("", type=a.type), a)
    return pd.Series(pd.arrays.ArrowStringArray(out), index=nid.index, name=nid.name)


def _int_values(values: pd.Series, width: int) -> np.ndarray:
    """An integer per text value, equal exactly when the texts are equal (-1 for missing or
    ''). Values of exactly ``width`` ASCII digits (13-digit IDs, 8-digit school codes: nearly
    all) are read as integers by pyarrow instead of hashing strings; the others are
    factorised as text and numbered from ``10**width``."""
    a = pa.array(values.astype("string"))
    if isinstance(a, pa.ChunkedArray):
        a = a.combine_chunks()
    n = len(a)
    num = pc.and_(pc.equal(pc.binary_length(a), width), pc.ascii_is_decimal(a)).fill_null(False)
    is_num = num.to_numpy(zero_copy_only=False)
    val = np.full(n, -1, dtype=np.int64)
    val[is_num] = pc.cast(a.filter(num), pa.int64()).to_numpy()
    rest = ~is_num & pc.fill_null(pc.not_equal(a, ""), False).to_numpy(zero_copy_only=False)
    if rest.any():
        rc = pd.factorize(a.filter(pa.array(rest)).to_numpy(zero_copy_only=False))[0]
        val[rest] = 10**width + rc.astype(np.int64)
    return val


def _int_codes(values: pd.Series, width: int) -> np.ndarray:
    """``_int_values`` numbered 0, 1, … (-1 stays -1)."""
    val = _int_values(values, width)
    codes = np.full(len(val), -1, dtype=np.int64)
    has = val >= 0
    codes[has] = pd.factorize(val[has])[0]
    return codes


def _id_school_codes(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, pd.Series, np.ndarray]:
    """Per row: the duplicate-relevant ID and the school as integers (``_int_values``: -1 when
    none), the ID text (``_dup_ids``) and whether another row has the same ID (the only rows
    the ID checks need to look at further)."""
    nid = _dup_ids(df)
    ival = _int_values(nid, 13)
    sval = _int_values(_school(df), 8)  # '' (-1) counts as a school of its own
    shared = (ival >= 0) & pd.Series(ival).duplicated(keep=False).to_numpy()
    return ival, sval, nid, shared


def _id_codes(data: CheckInput | None, df: pd.DataFrame):
    """``_id_school_codes``, computed once per ``CheckInput`` (three checks need it)."""
    if data is None:
        return _id_school_codes(df)
    return data.cached("id_school_codes", lambda: _id_school_codes(df))


def _hash_hex(values: pd.Series, n: int = 10) -> pd.Series:
    """A stable short hex hash of each value (vectorised: pandas' hash with its fixed key)."""
    h = pd.util.hash_pandas_object(values.astype("string").fillna(""), index=False).to_numpy(np.uint64)
    codes, uniques = pd.factorize(h)
    hexes = np.array([format(int(u), "016x")[:n] for u in uniques], dtype=object)
    return pd.Series(hexes[codes], index=values.index, dtype="string")


def _school(df: pd.DataFrame) -> pd.Series:
    if "school_code" in df.columns:
        return _text(df["school_code"]).str.strip()
    return pd.Series("", index=df.index, dtype="string")


def _joined_by(keys: pd.Series, values: pd.Series) -> pd.Series:
    """For each row, the sorted distinct ``values`` of the rows sharing its key, joined."""
    pairs = pd.DataFrame({"k": keys, "v": values}).drop_duplicates().sort_values(["k", "v"])
    joined = pairs.groupby("k", sort=False)["v"].agg(", ".join)
    return keys.map(joined).astype("string")


@register(
    "dup-id-school",
    severity="error",
    dataset="students",
    phases=STUDENT_PHASES,
    title_th="เลขประจำตัวซ้ำในโรงเรียนเดียวกัน",
    description_th="เลขประจำตัวเดียวกันปรากฏมากกว่าหนึ่งแถวในโรงเรียนเดียวกัน",
    title_en="Same ID twice in one school",
    memo=("id_school_codes",),
)
def dup_id_school(data: CheckInput) -> pd.DataFrame:
    df = data.students
    ival, sval, nid, shared = _id_codes(data, df)
    sub = np.flatnonzero(shared)
    pair = pd.DataFrame({"i": ival[sub], "s": sval[sub]})
    dup = pair.duplicated(keep=False).to_numpy()
    mask = np.zeros(len(df), dtype=bool)
    mask[sub[dup]] = True
    rows = offending(df, mask, "national_id")
    if rows.empty:
        return empty_findings()
    school = _school(rows)
    cnt = pair[dup].groupby(["i", "s"], sort=False)["i"].transform("size").to_numpy()
    n = pd.Series(cnt, index=rows.index).astype(str)
    group = "DS-" + school + "-" + _hash_hex(nid[mask])
    msg = (
        "เลขประจำตัวนี้ซ้ำกัน " + n + " แถวในโรงเรียนเดียวกัน (กลุ่ม " + group + "): "
        "กรุณาลบรายการที่ซ้ำให้เหลือแถวเดียว หรือแก้เลขประจำตัวของแถวที่ผิดให้ตรงกับหลักฐาน"
    )
    return findings(rows, "dup-id-school", field="national_id", value=rows["national_id"],
                    group=group, message=msg)


@register(
    "dup-id-area",
    severity="error",
    dataset="students",
    phases=STUDENT_PHASES,
    title_th="เลขประจำตัวซ้ำกับโรงเรียนอื่น",
    description_th="เลขประจำตัวเดียวกันปรากฏในมากกว่าหนึ่งโรงเรียนของเขตพื้นที่",
    title_en="Same ID in more than one school",
    memo=("id_school_codes",),
)
def dup_id_area(data: CheckInput) -> pd.DataFrame:
    df = data.students
    ival, sval, nid, shared = _id_codes(data, df)
    # among the rows whose ID another row has: an ID is in more than one school when its
    # smallest and largest school values differ (two scatter passes)
    sub = np.flatnonzero(shared)
    icode = pd.factorize(ival[sub])[0]
    k = max(int(icode.max(initial=-1)) + 1, 1)
    lo = np.full(k, np.iinfo(np.int64).max, dtype=np.int64)
    hi = np.full(k, np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(lo, icode, sval[sub])
    np.maximum.at(hi, icode, sval[sub])
    mask = np.zeros(len(df), dtype=bool)
    mask[sub[(lo != hi)[icode]]] = True
    rows = offending(df, mask, "national_id")
    if rows.empty:
        return empty_findings()
    group = "DA-" + _hash_hex(nid[mask])
    schools = _joined_by(nid[mask], _school(rows))
    msg = (
        "เลขประจำตัวนี้ปรากฏในหลายโรงเรียน (" + schools + "; กลุ่ม " + group + "): "
        "หากนักเรียนไม่ได้เรียนอยู่ที่โรงเรียนนี้จริงให้จำหน่ายออก "
        "หากเรียนอยู่จริงให้ส่งหลักฐานยืนยันตัวตนต่อเขตพื้นที่"
    )
    return findings(rows, "dup-id-area", field="national_id", value=rows["national_id"],
                    group=group, message=msg)


# ----------------------------------------------------------------------------- dup-person
def _components(u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Connected components of an edge list (vectorised min-label propagation with pointer
    jumping). Returns (nodes, label per node)."""
    nodes, inv = np.unique(np.concatenate([u, v]), return_inverse=True)
    a, b = inv[: len(u)], inv[len(u):]
    lab = np.arange(len(nodes))
    while True:
        m = np.minimum(lab[a], lab[b])
        new = lab.copy()
        np.minimum.at(new, a, m)
        np.minimum.at(new, b, m)
        while True:  # pointer jumping
            nxt = new[new]
            if np.array_equal(nxt, new):
                break
            new = nxt
        if np.array_equal(new, lab):
            return nodes, lab
        lab = new


def _block_pairs(key: np.ndarray, pos: np.ndarray) -> pd.DataFrame:
    """All pairs (``pos_l`` < ``pos_r``) of positions sharing an integer block key."""
    order = np.argsort(key)  # any order within a key: the pairs are made by a merge below
    ks = key[order]
    head = np.r_[True, ks[1:] != ks[:-1]]
    size = np.diff(np.r_[np.flatnonzero(head), len(ks)])
    shared = np.repeat(size >= 2, size)  # rows whose key another row has too
    blk = pd.DataFrame({"k": ks[shared], "pos": pos[order][shared]})
    if blk.empty:
        return pd.DataFrame({"pos_l": pd.Series(dtype="int64"), "pos_r": pd.Series(dtype="int64")})
    m = blk.merge(blk, on="k", suffixes=("_l", "_r"))
    return m.loc[m["pos_l"] < m["pos_r"], ["pos_l", "pos_r"]]


def _combine(*codes: np.ndarray) -> np.ndarray:
    """One int64 key per row from several non-negative integer codes (group numbers when the
    product of their ranges would overflow)."""
    key = np.zeros(len(codes[0]), dtype=np.int64)
    span = 1
    for c in codes:
        r = int(c.max()) + 1 if len(c) else 1
        if span * r >= 2**62:
            return pd.DataFrame({i: c for i, c in enumerate(codes)}).groupby(
                list(range(len(codes))), sort=False).ngroup().to_numpy(np.int64)
        key = key * r + c
        span *= r
    return key


def _name_keys(data: CheckInput | None, df: pd.DataFrame, col: str) -> NameKeys:
    if data is None:
        return name_keys(df[col])
    return data.cached(("name_keys", col), lambda: name_keys(df[col]))


def _spelling(data: CheckInput | None, nk: NameKeys, col: str) -> tuple[np.ndarray, np.ndarray]:
    """(spelling-key code per distinct normalised name, the distinct keys)."""
    def compute():
        names = nk.names_arrow if nk.names_arrow is not None else list(nk.names)
        enc = spelling_key_array(names).fill_null("").dictionary_encode()
        codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        return codes, np.asarray(enc.dictionary.to_pylist(), dtype=object)

    return compute() if data is None else data.cached(("spelling_keys", col), compute)


#: up to this many pairs of rows sharing a birth date (an area: ~50,000), every such pair is
#: scored; above it (province, nation) only the pairs sharing a birth date and one name's
#: spelling key are (the same pairs pass: see ``PERSON_WEIGHTS``)
DIRECT_PAIRS = 500_000

#: points of evidence that two records with one birth date are one child (``dup-person``); a
#: pair is reported from ``PERSON_THRESHOLD`` points. Names: equal after ``normalize_name``
#: (exact), equal ``spelling_key`` (a tone mark, a vowel's length, a consonant of the same
#: sound), keys one edit apart (near: a different letter — twins' first names often are), or
#: other. Two different valid 13-digit IDs are strong evidence of two children (twins).
#: No pair whose names share neither spelling key can reach the threshold, which is what
#: lets large inputs block on (birth date, one name's key) without losing a pair.
PERSON_WEIGHTS: dict[str, float] = {
    "first_exact": 4.0, "first_key": 4.0, "first_near": 1.0, "first_other": -4.0,
    "last_exact": 3.0, "last_key": 3.0, "last_near": 1.5, "last_other": -3.0,
    "birth_date": 2.0,
    "pin_and_other": 1.0,  # a valid 13-digit ID and a G-code / invalid / no ID
    "two_pins": -2.5,  # two different valid 13-digit IDs
    "other_school": 0.5,
    "same_grade": 0.5, "grade_far": -1.0,  # grades two or more apart
    "sex_conflict": -4.0,
}
PERSON_THRESHOLD = 7.0
_VALID_PIN = ("pin", "pin-0")


def _name_points(codes_i, codes_j, kcode, keys, w: dict, which: str) -> np.ndarray:
    """Points of one name for pairs of rows (normalised-name codes of each side)."""
    exact = codes_i == codes_j
    ki, kj = kcode[codes_i], kcode[codes_j]
    same_key = ki == kj
    pts = np.where(exact, w[f"{which}_exact"], np.where(same_key, w[f"{which}_key"], w[f"{which}_other"]))
    other = np.flatnonzero(~same_key)
    if len(other):
        d = cpdist(list(keys[ki[other]]), list(keys[kj[other]]), scorer=Levenshtein.distance,
                   score_cutoff=2, workers=1)
        pts[other[d <= 1]] = w[f"{which}_near"]
    return pts.astype(float)


def _codes_of(data: CheckInput | None, df: pd.DataFrame, col: str) -> np.ndarray:
    """Codes of a text column, equal when the texts are; -1 for missing or ''."""
    if col not in df.columns:
        return np.full(len(df), -1, dtype=np.int64)
    if col == "school_code":
        return _int_values(df[col], 8)
    codes, u = unique_values(None, df, col)
    blank = np.append(u.fillna("").eq("").to_numpy(bool), True)  # last: the NA code (-1)
    return np.where(blank[codes], -1, codes).astype(np.int64)


def person_pairs(
    students: pd.DataFrame,
    threshold: float = PERSON_THRESHOLD,
    *,
    weights: dict | None = None,
    data: CheckInput | None = None,
    direct: bool | None = None,
) -> pd.DataFrame:
    """Same-child pairs (positions ``i`` < ``j`` into ``students``) with their ``score``
    (``PERSON_WEIGHTS`` points, ≥ ``threshold``). Exposed for tests, the pair measurement
    (``obec_audit.demo.pairs``) and the duplicate review notebook. ``data``: the
    ``CheckInput`` holding ``students``, to share its cached name codes and IDs.

    Candidates share a birth date and have different IDs (the same ID is ``dup-id-*``'s).
    Two equivalent orders of work (``direct``; by default chosen from the number of
    same-birth-date pairs, ``DIRECT_PAIRS``): score every same-birth-date pair, or only
    those that also share one name's spelling key. Per row everything is an integer code;
    Python strings are touched once per distinct name and once per pair whose keys differ."""
    df = students
    w = {**PERSON_WEIGHTS, **(weights or {})}
    empty = pd.DataFrame({"i": pd.Series(dtype="int64"), "j": pd.Series(dtype="int64"),
                          "score": pd.Series(dtype="float64")})
    if len(df) < 2 or not {"first_name", "last_name", "birth_date"} <= set(df.columns):
        return empty
    bd = pd.to_datetime(df["birth_date"], errors="coerce")
    bd_ok = (bd.notna() & (bd >= MIN_BIRTH)).to_numpy(bool)
    days = np.where(bd_ok, bd.to_numpy().astype("datetime64[D]").astype(np.int64), 0)
    first = _name_keys(data, df, "first_name")
    last = _name_keys(data, df, "last_name")
    ok = bd_ok & (first.code >= 0) & (last.code >= 0)
    if ok.sum() < 2:
        return empty
    pos = np.flatnonzero(ok)
    day = days[ok] - days[ok].min()  # non-negative day numbers (a few ten thousand at most)
    if direct is None:
        cnt = np.bincount(day).astype(np.int64)
        direct = int((cnt * (cnt - 1) // 2).sum()) <= DIRECT_PAIRS
    fkc, fkeys = _spelling(data, first, "first_name")
    lkc, lkeys = _spelling(data, last, "last_name")
    if direct:
        pr = _block_pairs(day, pos)
    else:
        sf, sl = fkc[first.code[pos]], lkc[last.code[pos]]
        pr = pd.concat([_block_pairs(_combine(day, sf), pos), _block_pairs(_combine(day, sl), pos)],
                       ignore_index=True).drop_duplicates()
    if pr.empty:
        return empty
    i = pr["pos_l"].to_numpy(np.int64)
    j = pr["pos_r"].to_numpy(np.int64)
    icode = _id_codes(data, df)[0]
    diff_id = ~((icode[i] == icode[j]) & (icode[i] >= 0))
    i, j = i[diff_id], j[diff_id]
    if len(i) == 0:
        return empty
    score = w["birth_date"] + _name_points(first.code[i], first.code[j], fkc, fkeys, w, "first")
    score += _name_points(last.code[i], last.code[j], lkc, lkeys, w, "last")
    if "id_type" in df.columns:
        valid = per_value(None, df, "id_type", lambda u: u.isin(_VALID_PIN).fillna(False).to_numpy(bool),
                          False).astype(bool)
        score += np.where(valid[i] & valid[j], w["two_pins"], np.where(valid[i] != valid[j], w["pin_and_other"], 0.0))
    sc = _codes_of(data, df, "school_code")
    score += np.where((sc[i] >= 0) & (sc[j] >= 0) & (sc[i] != sc[j]), w["other_school"], 0.0)
    if "grade" in df.columns:
        g = map_codes(df["grade"], GRADE_ORDER)
        gap = np.abs(g[i] - g[j])
        score += np.where(gap == 0, w["same_grade"], np.where(gap >= 2, w["grade_far"], 0.0))
    sx = _codes_of(data, df, "sex")
    score += np.where((sx[i] >= 0) & (sx[j] >= 0) & (sx[i] != sx[j]), w["sex_conflict"], 0.0)
    keep = score >= threshold
    return pd.DataFrame({"i": i[keep], "j": j[keep], "score": score[keep]})


@register(
    "dup-person",
    severity="warning",
    dataset="students",
    phases=STUDENT_PHASES,
    title_th="อาจเป็นนักเรียนคนเดียวกันแต่ใช้เลขประจำตัวต่างกัน",
    description_th="วันเกิดตรงกัน ชื่อและนามสกุลตรงกันหรือสะกดต่างกันเล็กน้อย (วรรณยุกต์ สระสั้นยาว พยัญชนะเสียงเดียวกัน "
    "คำนำหน้าในช่องชื่อ) แต่เลขประจำตัวต่างกัน เช่น รหัส G ที่โรงเรียนหนึ่งและเลข 13 หลักที่อีกโรงเรียนหนึ่ง "
    "(ชั่งน้ำหนักหลักฐานทุกอย่าง: ฝาแฝดที่มีเลข 13 หลักของตนเองไม่นับ)",
    title_en="Probably the same child under different IDs",
    memo=("id_school_codes", "name_keys", "spelling_keys"),
    weight=8.0,  # 1 M students: 1.7 s of CPU against 0.05–0.4 s for the others (BENCHMARKS.md)
)
def dup_person(data: CheckInput) -> pd.DataFrame:
    df = data.students
    threshold = float((data.options or {}).get("dup_person_min_score", PERSON_THRESHOLD))
    pairs = person_pairs(df, threshold, data=data)
    if pairs.empty:
        return empty_findings()
    nodes, lab = _components(pairs["i"].to_numpy(), pairs["j"].to_numpy())
    rows = df.iloc[nodes]
    idx = rows.index
    bd = pd.to_datetime(rows["birth_date"], errors="coerce").dt.strftime("%Y%m%d")
    nl = pd.Series(_name_keys(data, df, "last_name").row_names(nodes), index=idx, dtype=object)
    nf = pd.Series(_name_keys(data, df, "first_name").row_names(nodes), index=idx, dtype=object)
    comp = pd.Series(lab, index=idx)
    # stable group id: birth date + hash of the component's smallest normalised name
    rep = (nl + "|" + nf).groupby(comp.to_numpy()).transform("min")
    group = "DP-" + bd.astype("string") + "-" + _hash_hex(rep, 8)
    school = _school(rows)
    idtxt = _text(rows["national_id"]).where(_text(rows["national_id"]).ne(""), "ไม่มีเลข")
    member = school + ":" + idtxt
    members = _joined_by(group, member)
    n = group.map(group.value_counts()).astype(str)
    msg = (
        "ชื่อ นามสกุล และวันเกิดตรงกับนักเรียนอีกรายการที่ใช้เลขประจำตัวต่างกัน (รวม " + n + " รายการ: "
        + members + "; กลุ่ม " + group + ") อาจเป็นคนเดียวกัน: หากนักเรียนไม่ได้เรียนอยู่ที่โรงเรียนนี้จริง"
        "ให้จำหน่ายออก หากเรียนอยู่จริงให้ส่งหลักฐานยืนยันตัวตน และใช้เลข 13 หลักแทนรหัส G เมื่อมี"
    )
    out = findings(rows, "dup-person", field="national_id", value=rows["national_id"], group=group,
                   message=msg)
    return out
