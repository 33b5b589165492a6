"""Labelled record pairs for measuring ``dup-person`` (synthetic children, real Thai names).

Each labelled pair is two student rows with their own birth date (so pairs never meet each
other), and a kind:

- the same child under two IDs (``same=True``): the second record's first name or surname
  with a one-character variant a school types — ``tone`` (another or no tone mark),
  ``vowel`` (a long vowel for a short one), ``homophone`` (a consonant of the same sound),
  ``surname`` (a homophone or silent-letter variant of the surname), ``honorific`` (ด.ช. in
  the field), ``mark-order`` (tone typed before the vowel), ``exact``; short names (≤ 4
  letters) and long ones (≥ 8) alike; IDs a 13-digit ID and a G-code, or two valid 13-digit
  IDs (one mistyped), mostly in two schools;
- two children (``same=False``): ``twins`` (same surname, birth date, school, grade, each
  with a valid 13-digit ID or both G-coded, first names one consonant apart or unrelated),
  ``siblings`` (same surname and school, born years apart), ``same-birthday`` (unrelated
  children born on one day, same school).

``measure(pairs, findings)`` counts recall (same-child pairs reported in one group) and
precision (reported labelled pairs that are the same child), overall and per kind.

>>> ps = build_pairs(n=4, seed=1)
>>> len(ps.frame) == 2 * len(ps.labels), sorted(ps.labels["kind"].unique())[:3]
(True, ['exact', 'homophone', 'honorific'])
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from obec_audit.demo.people import make_gcodes, make_pins, name_pools, tone_variant

SAME_KINDS = ("tone", "vowel", "homophone", "surname", "honorific", "mark-order", "exact")
OTHER_KINDS = ("twins", "siblings", "same-birthday")

_TONES = "\u0e48\u0e49\u0e4a\u0e4b"
#: a long vowel for a short one and back
_VOWEL_SWAP = {"\u0e34": "\u0e35", "\u0e35": "\u0e34", "\u0e38": "\u0e39", "\u0e39": "\u0e38",
               "\u0e36": "\u0e37", "\u0e37": "\u0e36", "\u0e30": "\u0e32"}
#: consonants of the same sound
_HOMOPHONE = {"ส": "ศ", "ศ": "ส", "ษ": "ส", "ท": "ธ", "ธ": "ท", "พ": "ภ", "ภ": "พ", "น": "ณ", "ณ": "น",
              "ถ": "ฐ", "ฐ": "ถ", "ต": "ฏ", "ด": "ฎ", "ข": "ฃ", "ค": "ฆ", "ฆ": "ค", "ช": "ฌ", "ฟ": "ฝ"}
#: consonants of different sounds, at the start of a syllable and at its end (twins' names)
_OTHER_SOUND = {"ม": "น", "น": "ม", "ก": "ป", "ป": "ก", "ด": "บ", "บ": "ด", "ย": "ว", "ว": "ย",
                "ช": "ค", "ค": "ช", "ง": "ม"}


@dataclass
class PairSet:
    frame: pd.DataFrame  # canonical student rows; row 2k and 2k+1 make pair k
    labels: pd.DataFrame  # pair, row_a, row_b (source_row), kind, same, name_len, ids


def _silent(name: str, k: int) -> bool:
    """The letter at ``k`` is silenced by ์ (right after it, or after one vowel mark)."""
    return "\u0e4c" in name[k + 1:k + 3] and (name[k + 1:k + 2] == "\u0e4c" or "\u0e34" <= name[k + 1] <= "\u0e39")


def _swap_one(name: str, table: dict, rng: np.random.Generator, audible: bool = False) -> str | None:
    pos = [k for k, c in enumerate(name) if c in table and not (audible and _silent(name, k))]
    if not pos:
        return None
    k = int(rng.choice(pos))
    return name[:k] + table[name[k]] + name[k + 1:]


def _tone(name: str, rng: np.random.Generator) -> str | None:
    pos = [k for k, c in enumerate(name) if c in _TONES]
    if not pos:
        return None
    k = int(rng.choice(pos))
    other = [t for t in _TONES[:2] if t != name[k]]
    return name[:k] + (str(rng.choice(other)) if rng.random() < 0.7 else "") + name[k + 1:]


def _variant(kind: str, first: str, last: str, sex: str, rng) -> tuple[str, str] | None:
    if kind == "tone":
        v = _tone(first, rng)
        return None if v is None else (v, last)
    if kind == "vowel":
        v = _swap_one(first, _VOWEL_SWAP, rng)
        return None if v is None else (v, last)
    if kind == "homophone":
        v = _swap_one(first, _HOMOPHONE, rng)
        return None if v is None else (v, last)
    if kind == "surname":
        v = _swap_one(last, _HOMOPHONE, rng) or _tone(last, rng) or _swap_one(last, _VOWEL_SWAP, rng)
        return None if v is None else (first, v)
    if kind == "honorific":
        return ("ด.ช." if sex == "M" else "ด.ญ.") + first, last
    if kind == "mark-order":
        v = tone_variant(first)
        return None if v is None else (v, last)
    return first, last  # exact


def build_pairs(n: int = 60, seed: int = 0) -> PairSet:
    """``n`` pairs of each kind and name-length class (short ≤ 4 letters, long ≥ 8 letters)
    where the kind applies to the name drawn."""
    rng = np.random.default_rng(seed)
    pools = name_pools()
    by_len = {
        sx: {"short": [x for x in pools[sx] if len(x) <= 4], "long": [x for x in pools[sx] if len(x) >= 8]}
        for sx in ("M", "F")
    }
    family = list(pools["family"])
    rows: list[dict] = []
    labels: list[dict] = []
    taken: set[str] = set()
    day0 = dt.date(2012, 1, 1)

    def ids(kind: str) -> tuple[str, str, str, str]:
        p = make_pins(rng, np.array([1, 1]), np.array(["5701", "5701"]), taken)
        g = make_gcodes(rng, 1, taken)[0]
        if kind == "pin-gcode":
            return p[0], "pin", g, "gcode"
        if kind == "gcodes":
            return g, "gcode", make_gcodes(rng, 1, taken)[0], "gcode"
        return p[0], "pin", p[1], "pin"

    def add(kind, same, a, b, length, id_kind):
        start = len(rows) + 2
        for r in (a, b):
            rows.append({**r, "source_row": len(rows) + 2})
        labels.append({"pair": len(labels), "row_a": start, "row_b": start + 1, "kind": kind, "same": same,
                       "name_len": length, "ids": id_kind})

    def person(first, last, sex, birth, school, grade, nid, itype):
        return {"school_code": school, "national_id": nid, "id_type": itype,
                "title": "เด็กชาย" if sex == "M" else "เด็กหญิง", "first_name": first, "last_name": last,
                "sex": sex, "birth_date": birth, "grade": grade, "room": "1"}

    grades = ["ป.1", "ป.2", "ป.3", "ป.4", "ป.5", "ป.6"]
    for kind in SAME_KINDS + OTHER_KINDS:
        for length in ("short", "long"):
            made = tries = 0
            while made < n and tries < 50 * n:
                tries += 1
                sex = "M" if rng.random() < 0.5 else "F"
                first = str(rng.choice(by_len[sex][length]))
                last = str(rng.choice(family))
                birth = day0 + dt.timedelta(days=len(labels))
                g = int(rng.integers(0, 6))
                s1, s2 = f"570100{rng.integers(1, 99):02d}", f"570101{rng.integers(0, 36):02d}"
                if kind in SAME_KINDS:
                    v = _variant(kind, first, last, sex, rng)
                    if v is None:
                        continue
                    id_kind = "pin-gcode" if made % 3 else "two-pins"
                    a_id, a_t, b_id, b_t = ids(id_kind)
                    school_b = s1 if made % 5 == 0 else s2  # now and then both in one school
                    a = person(first, last, sex, birth, s1, grades[g], a_id, a_t)
                    b = person(v[0], v[1], sex, birth, school_b, grades[g], b_id, b_t)
                    add(kind, True, a, b, length, id_kind)
                elif kind == "twins":
                    sex_b = sex if rng.random() < 0.6 else ("F" if sex == "M" else "M")
                    other = _swap_one(first, _OTHER_SOUND, rng, audible=True) if made % 2 == 0 else None
                    if other is None or sex_b != sex:
                        other = str(rng.choice(by_len[sex_b][length]))
                    if other == first:
                        continue
                    id_kind = "gcodes" if made % 4 == 3 else "two-pins"
                    a_id, a_t, b_id, b_t = ids(id_kind)
                    a = person(first, last, sex, birth, s1, grades[g], a_id, a_t)
                    b = person(other, last, sex_b, birth, s1, grades[g], b_id, b_t)
                    add(kind, False, a, b, length, id_kind)
                elif kind == "siblings":
                    sex_b = "M" if rng.random() < 0.5 else "F"
                    other = str(rng.choice(by_len[sex_b][length]))
                    id_kind = "two-pins" if made % 2 else "pin-gcode"
                    a_id, a_t, b_id, b_t = ids(id_kind)
                    older = birth - dt.timedelta(days=int(rng.integers(365, 6 * 365)))
                    a = person(first, last, sex, birth, s1, grades[g], a_id, a_t)
                    b = person(other, last, sex_b, older, s1, grades[min(g + 2, 5)], b_id, b_t)
                    add(kind, False, a, b, length, id_kind)
                else:  # same-birthday, unrelated
                    sex_b = "M" if rng.random() < 0.5 else "F"
                    other = str(rng.choice(by_len[sex_b][length]))
                    id_kind = "pin-gcode" if made % 2 else "two-pins"
                    a_id, a_t, b_id, b_t = ids(id_kind)
                    a = person(first, last, sex, birth, s1, grades[g], a_id, a_t)
                    b = person(other, str(rng.choice(family)), sex_b, birth, s1, grades[g], b_id, b_t)
                    add(kind, False, a, b, length, id_kind)
                made += 1
    frame = pd.DataFrame(rows)
    frame.insert(0, "source_file", "pairs.csv")
    frame.insert(1, "source_sheet", "")
    frame["birth_date"] = pd.to_datetime(frame["birth_date"])
    for c in frame.columns:
        if c not in ("source_row", "birth_date"):
            frame[c] = frame[c].astype("string")
    frame["source_row"] = frame["source_row"].astype("Int64")
    return PairSet(frame=frame, labels=pd.DataFrame(labels))


def reported_pairs(findings: pd.DataFrame) -> set[tuple[int, int]]:
    """(row, row) pairs of ``source_row`` that one ``dup-person`` group joins."""
    f = findings[findings["check"].eq("dup-person")]
    out: set[tuple[int, int]] = set()
    for _, g in f.groupby("group"):
        r = sorted(int(x) for x in g["source_row"])
        out |= {(a, b) for k, a in enumerate(r) for b in r[k + 1:]}
    return out


def measure(pairs: PairSet, findings: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    """({recall, precision, stray}, per-kind table) of ``dup-person`` findings on ``pairs``.
    ``stray``: reported pairs that are not labelled pairs at all (counted as false)."""
    got = reported_pairs(findings)
    lab = pairs.labels.copy()
    lab["reported"] = [(a, b) in got for a, b in zip(lab["row_a"], lab["row_b"])]
    labelled = set(zip(lab["row_a"], lab["row_b"]))
    stray = len(got - labelled)
    tp = int((lab["reported"] & lab["same"]).sum())
    fp = int((lab["reported"] & ~lab["same"]).sum()) + stray
    recall = tp / max(int(lab["same"].sum()), 1)
    precision = tp / max(tp + fp, 1)
    table = lab.groupby(["kind", "name_len", "ids"], sort=False).agg(
        pairs=("pair", "size"), same=("same", "first"), reported=("reported", "sum")).reset_index()
    return {"recall": recall, "precision": precision, "stray": stray}, table
