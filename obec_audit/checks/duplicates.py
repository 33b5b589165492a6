"""Duplicate students: the same ID twice in a school (``dup-id-school``), the same ID in two
schools (``dup-id-area``), and the same child under different IDs (``dup-person``).

All three are hash/sort based (no all-pairs comparison), so they scale to the national list.

``dup-person``
    1. Names are normalised (``obec_audit.thainames``: NFKC, honorific inside the name field,
       spacing, mark order, doubled marks) and keyed with a Thai soundex (lk82), once per
       distinct name.
    2. Blocking: two passes over rows with a sane birth date and both names, each keyed on
       the exact birth date + one name's full soundex + the first character of the other
       name's soundex (pass A: first name, pass B: surname). A child whose first name *or*
       surname is spelt differently still meets its twin record in one pass.
    3. Scoring (rapidfuzz ``fuzz.ratio`` on the normalised names): a pair is the same child when
       first-name ratio ≥ 85 *and* surname ratio ≥ 85 (``options['dup_person_min_ratio']``),
       the two IDs differ (same ID is ``dup-id-*``'s), and the recorded sexes agree unless the
       first names are identical. Twins (same surname and birth date, different first names)
       fall out because their first names score below 85.
    4. Every member of a connected set of pairs shares ``group`` (``DP-<birth date>-<hash>``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from obec_audit.checks.registry import STUDENT_PHASES, CheckInput, findings, offending, register
from obec_audit.schema import empty_findings
from obec_audit.thainames import NameKeys, name_keys

MIN_BIRTH = pd.Timestamp("1950-01-01")


def _text(s: pd.Series) -> pd.Series:
    return s.astype("string").fillna("")


def _dup_ids(df: pd.DataFrame) -> pd.Series:
    """The IDs that take part in ID duplicate checks: present (invalid ones too), but not the
    Excel scientific-notation wrecks (``11017E+12``): those are many different children whose
    digits are lost, and ``id-format`` already reports them. '' elsewhere."""
    nid = _text(df["national_id"])
    drop = nid.eq("")
    if "id_type" in df.columns:
        drop |= df["id_type"].astype("string").eq("missing").fillna(False)
    has_e = nid.str.contains("E", regex=False).fillna(False).astype(bool)
    if has_e.any():
        sci = nid[has_e].str.contains(r"\dE[+\-]?\d", regex=True).fillna(False).astype(bool)
        drop |= sci.reindex(nid.index, fill_value=False)
    return nid.where(~drop.astype(bool), "")


def _id_school_codes(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    """Integer codes of the duplicate-relevant ID (-1 when none) and of the school."""
    nid = _dup_ids(df)
    icode, _ = pd.factorize(nid.where(nid.ne(""), None), use_na_sentinel=True)
    scode, _ = pd.factorize(_school(df), use_na_sentinel=False)
    return icode.astype(np.int64), scode.astype(np.int64), nid


def _id_codes(data: CheckInput | None, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, pd.Series]:
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
)
def dup_id_school(data: CheckInput) -> pd.DataFrame:
    df = data.students
    if df is None or len(df) == 0 or "national_id" not in df.columns:
        return empty_findings()
    icode, scode, nid = _id_codes(data, df)
    school = _school(df)
    present = icode >= 0
    key = icode * (scode.max() + 1) + scode
    mask = present & pd.Series(key).duplicated(keep=False).to_numpy()
    rows = offending(df, mask, "national_id")
    if rows.empty:
        return empty_findings()
    _, inv, cnt = np.unique(key[mask], return_inverse=True, return_counts=True)
    n = pd.Series(cnt[inv], index=rows.index).astype(str)
    group = "DS-" + school[mask] + "-" + _hash_hex(nid[mask])
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
)
def dup_id_area(data: CheckInput) -> pd.DataFrame:
    df = data.students
    if df is None or len(df) == 0 or "national_id" not in df.columns:
        return empty_findings()
    icode, scode, nid = _id_codes(data, df)
    school = _school(df)
    present = icode >= 0
    # an ID is in more than one school when its smallest and largest school codes differ
    # (two scatter passes; no sort or hash of (ID, school) pairs)
    k = max(int(icode.max()) + 1, 1)
    lo = np.full(k, np.iinfo(np.int64).max, dtype=np.int64)
    hi = np.full(k, -1, dtype=np.int64)
    np.minimum.at(lo, icode[present], scode[present])
    np.maximum.at(hi, icode[present], scode[present])
    multi = lo != hi
    mask = present & multi[np.where(present, icode, 0)]
    rows = offending(df, mask, "national_id")
    if rows.empty:
        return empty_findings()
    group = "DA-" + _hash_hex(nid[mask])
    schools = _joined_by(nid[mask], school[mask])
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


def _name_keys(data: CheckInput | None, df: pd.DataFrame, col: str, with_keys: bool) -> NameKeys:
    if data is None:
        return name_keys(df[col], with_keys=with_keys)
    nk = data.cached(("name_keys", col), lambda: name_keys(df[col], with_keys=with_keys))
    if with_keys:
        nk.keys()
    return nk


#: up to this many pairs of rows sharing a birth date, every such pair is scored and only
#: the few that score high get a soundex key (an area: ~50,000 pairs); above it (province,
#: nation) every distinct name gets its key and the soundex blocks are built first.
DIRECT_PAIRS = 500_000


def _first_chars(keys: np.ndarray) -> np.ndarray:
    return np.asarray([k[:1] for k in keys], dtype=object)


def person_pairs(
    students: pd.DataFrame,
    min_ratio: float = 85.0,
    *,
    data: CheckInput | None = None,
    direct: bool | None = None,
) -> pd.DataFrame:
    """Candidate same-child pairs (positions ``i`` < ``j`` into ``students``), with the
    first-name and surname ratios. Exposed for tests and the duplicate review notebook.
    ``data``: the ``CheckInput`` holding ``students``, to share its cached name codes and IDs.

    The pairs are those that share a birth date, fall in one of the two soundex blocks (see
    the module's docstring), score ≥ ``min_ratio`` on both names, have different IDs and do
    not contradict each other's sex. Two equivalent orders of work (``direct``; by default
    chosen from the number of same-birth-date pairs, ``DIRECT_PAIRS``): score every
    same-birth-date pair first and key only the survivors (small inputs: few names need a
    soundex key), or key every name and score only the block pairs (large inputs). Per row
    everything is an integer code; Python strings are touched once per distinct name and
    once per scored pair."""
    df = students
    cols = ["i", "j", "first_ratio", "last_ratio"]
    empty = pd.DataFrame({c: pd.Series(dtype="float64" if "ratio" in c else "int64") for c in cols})
    if df is None or len(df) < 2 or not {"first_name", "last_name", "birth_date"} <= set(df.columns):
        return empty
    bd = pd.to_datetime(df["birth_date"], errors="coerce")
    bd_ok = (bd.notna() & (bd >= MIN_BIRTH)).to_numpy(bool)
    days = np.where(bd_ok, bd.to_numpy().astype("datetime64[D]").astype(np.int64), 0)
    if direct is None:  # an upper bound of the same-birth-date pairs
        named = bd_ok & df["first_name"].notna().to_numpy(bool) & df["last_name"].notna().to_numpy(bool)
        d = days[named]
        cnt = np.bincount(d - d.min()).astype(np.int64) if len(d) else np.zeros(0, np.int64)  # O(n), no sort
        direct = int((cnt * (cnt - 1) // 2).sum()) <= DIRECT_PAIRS
    first = _name_keys(data, df, "first_name", with_keys=not direct)
    last = _name_keys(data, df, "last_name", with_keys=not direct)
    ok = bd_ok & (first.code >= 0) & (last.code >= 0)
    if ok.sum() < 2:
        return empty
    pos = np.flatnonzero(ok)
    day = pd.factorize(days[ok])[0].astype(np.int64)
    if direct:
        pr = _block_pairs(day, pos)
    else:
        fk, fu = pd.factorize(first.keys())  # soundex code per distinct name ('' included)
        lk, lu = pd.factorize(last.keys())
        sf, sl = fk[first.code[pos]], lk[last.code[pos]]
        f1 = pd.factorize(_first_chars(fu))[0][sf]
        l1 = pd.factorize(_first_chars(lu))[0][sl]
        pr = pd.concat([_block_pairs(_combine(day, sf, l1), pos), _block_pairs(_combine(day, sl, f1), pos)],
                       ignore_index=True).drop_duplicates()
    if pr.empty:
        return empty
    i = pr["pos_l"].to_numpy(np.int64)
    j = pr["pos_r"].to_numpy(np.int64)
    # different IDs (the same non-empty ID is dup-id-*'s)
    icode = _id_codes(data, df)[0]
    same_id = (icode[i] == icode[j]) & (icode[i] >= 0)
    i, j = i[~same_id], j[~same_id]
    if len(i) == 0:
        return empty
    fi, fj, li, lj = first.code[i], first.code[j], last.code[i], last.code[j]
    fr = cpdist(list(first.names[fi]), list(first.names[fj]), scorer=fuzz.ratio, workers=1).astype(float)
    lr = cpdist(list(last.names[li]), list(last.names[lj]), scorer=fuzz.ratio, workers=1).astype(float)
    keep = (fr >= min_ratio) & (lr >= min_ratio)
    # recorded sexes must agree unless the first names are identical
    if "sex" in df.columns:
        sx, _ = pd.factorize(_text(df["sex"]).where(_text(df["sex"]).ne(""), None), use_na_sentinel=True)
        conflict = (sx[i] >= 0) & (sx[j] >= 0) & (sx[i] != sx[j]) & (fi != fj)
        keep &= ~conflict
    if direct and keep.any():  # the soundex blocks, on the survivors only
        k = np.flatnonzero(keep)
        a, b = first.keys(fi[k]), first.keys(fj[k])
        c, d = last.keys(li[k]), last.keys(lj[k])
        block = ((a == b) & (_first_chars(c) == _first_chars(d))) | ((c == d) & (_first_chars(a) == _first_chars(b)))
        keep[k[~block]] = False
    return pd.DataFrame({"i": i[keep], "j": j[keep], "first_ratio": fr[keep], "last_ratio": lr[keep]})


@register(
    "dup-person",
    severity="warning",
    dataset="students",
    phases=STUDENT_PHASES,
    title_th="อาจเป็นนักเรียนคนเดียวกันแต่ใช้เลขประจำตัวต่างกัน",
    description_th="ชื่อ นามสกุล และวันเกิดตรงกัน (รวมถึงชื่อที่สะกดต่างกันเล็กน้อย มีคำนำหน้าในช่องชื่อ "
    "หรือลำดับวรรณยุกต์/สระต่างกัน) แต่เลขประจำตัวต่างกัน เช่น รหัส G ที่โรงเรียนหนึ่งและเลข 13 หลัก"
    "ที่อีกโรงเรียนหนึ่ง (ไม่รวมฝาแฝด)",
    title_en="Probably the same child under different IDs",
)
def dup_person(data: CheckInput) -> pd.DataFrame:
    df = data.students
    if df is None or len(df) < 2:
        return empty_findings()
    min_ratio = float((data.options or {}).get("dup_person_min_ratio", 85))
    pairs = person_pairs(df, min_ratio, data=data)
    if pairs.empty:
        return empty_findings()
    nodes, lab = _components(pairs["i"].to_numpy(), pairs["j"].to_numpy())
    rows = df.iloc[nodes]
    idx = rows.index
    bd = pd.to_datetime(rows["birth_date"], errors="coerce").dt.strftime("%Y%m%d")
    nl = pd.Series(_name_keys(data, df, "last_name", False).row_names(nodes), index=idx, dtype=object)
    nf = pd.Series(_name_keys(data, df, "first_name", False).row_names(nodes), index=idx, dtype=object)
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
