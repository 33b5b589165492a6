"""Synthetic people for the demo area: Thai names from PyThaiNLP's bundled corpora and
identifiers (13-digit IDs of every person type with correct check digits, G-codes).

Everything draws from a ``numpy.random.Generator`` so a seed gives the same people.

>>> import numpy as np
>>> ids = make_pins(np.random.default_rng(1), np.array([1, 0, 7]), np.array(['5701', '5702', '5717']))
>>> [len(i) for i in ids], ids[1][0]
([13, 13, 13], '0')
>>> all(check_digit(i[:12]) == i[12] for i in ids)
True
>>> name_variant('สมชาย', 'M', 'honorific')
'ด.ช.สมชาย'
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

_WEIGHTS = np.arange(13, 1, -1)

#: registration offices (digits 2-5 of the ID) of Chiang Rai's districts and municipalities
OFFICES_HOME = ["5701", "5701", "5701", "5799", "5702", "5717"]
OFFICES_OTHER = ["5703", "5704", "5705", "5707", "5709", "5710", "5711", "5712", "5713",
                 "5715", "5716", "5718", "5098", "1099"]


def check_digit(first12: str) -> str:
    s = sum(int(d) * w for d, w in zip(first12, range(13, 1, -1)))
    return str((11 - s % 11) % 10)


def _check_digits(d12: np.ndarray) -> np.ndarray:
    total = d12.astype(np.int64) @ _WEIGHTS
    return (11 - total % 11) % 10


def make_pins(rng: np.random.Generator, types: np.ndarray, offices: np.ndarray,
              taken: set[str] | None = None) -> list[str]:
    """13-digit IDs with valid check digits: person type, office (4 digits), 7 random digits."""
    n = len(types)
    taken = taken if taken is not None else set()
    out: list[str] = [""] * n
    todo = np.arange(n)
    while len(todo):
        d = np.zeros((len(todo), 12), dtype=np.int64)
        d[:, 0] = np.asarray(types)[todo]
        off = np.array([[int(c) for c in o] for o in np.asarray(offices)[todo]], dtype=np.int64)
        d[:, 1:5] = off
        d[:, 5:12] = rng.integers(0, 10, size=(len(todo), 7))
        cd = _check_digits(d)
        again = []
        for k, i in enumerate(todo):
            s = "".join(map(str, d[k])) + str(cd[k])
            if s in taken:
                again.append(i)
            else:
                taken.add(s)
                out[i] = s
        todo = np.array(again, dtype=np.int64)
    return out


def make_gcodes(rng: np.random.Generator, n: int, taken: set[str] | None = None,
                province: str = "57") -> list[str]:
    """G-codes: ``G`` + B.E. year (61-69) + province + 8-digit running number."""
    taken = taken if taken is not None else set()
    out = []
    while len(out) < n:
        yy = int(rng.integers(61, 70))
        run = int(rng.integers(1, 30000))
        g = f"G{yy:02d}{province}{run:08d}"
        if g not in taken:
            taken.add(g)
            out.append(g)
    return out


def break_check_digit(pin: str, rng: np.random.Generator) -> str:
    """The same ID with one middle digit changed so that the check digit fails."""
    while True:
        pos = int(rng.integers(5, 12))
        new = str((int(pin[pos]) + int(rng.integers(1, 10))) % 10)
        cand = pin[:pos] + new + pin[pos + 1:]
        if check_digit(cand[:12]) != cand[12]:
            return cand


def _ok_name(s: str) -> bool:
    if not (2 <= len(s) <= 14):
        return False
    if not all("\u0e01" <= ch <= "\u0e4e" for ch in s):
        return False
    try:
        s.encode("cp874")
    except UnicodeEncodeError:  # pragma: no cover
        return False
    return True


@lru_cache(maxsize=1)
def name_pools() -> dict[str, np.ndarray]:
    """Sorted, filtered name lists (corpora are sets: sorting makes them seed-stable)."""
    from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names

    male = sorted(n.strip() for n in thai_male_names() if _ok_name(n.strip()))
    female = sorted(n.strip() for n in thai_female_names() if _ok_name(n.strip()))
    family = sorted(n.strip() for n in thai_family_names() if _ok_name(n.strip()))
    return {"M": np.array(male, dtype=object), "F": np.array(female, dtype=object),
            "family": np.array(family, dtype=object)}


def zipf_weights(rng: np.random.Generator, n: int, s: float = 1.0, offset: float = 30.0) -> np.ndarray:
    """Popularity weights over a random permutation of a pool: a few names are common."""
    rank = rng.permutation(n).astype(float)
    w = 1.0 / np.power(rank + offset, s)
    return w / w.sum()


class NameSampler:
    """Draw first names by sex and family names with realistic popularity."""

    def __init__(self, rng: np.random.Generator):
        p = name_pools()
        self.pools = p
        self.w = {k: zipf_weights(rng, len(v), s=1.0, offset=40.0 if k != "family" else 400.0)
                  for k, v in p.items()}

    def first(self, rng: np.random.Generator, sex: np.ndarray) -> np.ndarray:
        out = np.empty(len(sex), dtype=object)
        for sx in ("M", "F"):
            m = sex == sx
            out[m] = rng.choice(self.pools[sx], size=int(m.sum()), p=self.w[sx])
        return out

    def family(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.choice(self.pools["family"], size=n, p=self.w["family"])


_TONES = "\u0e48\u0e49\u0e4a\u0e4b"
_UPPER = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47"


def tone_variant(name: str) -> str | None:
    """The same name typed in another character order (tone mark before the upper vowel, or
    SARA AM split into NIKHAHIT + SARA AA around the tone mark); None if it has neither."""
    for i in range(len(name) - 1):
        if name[i] in _UPPER and name[i + 1] in _TONES:
            return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    if "\u0e33" in name:
        i = name.index("\u0e33")
        if i > 0 and name[i - 1] in _TONES:
            return name[:i - 1] + "\u0e4d" + name[i - 1] + "\u0e32" + name[i + 1:]
        return name[:i] + "\u0e4d\u0e32" + name[i + 1:]
    return None


def name_variant(first: str, sex: str, kind: str) -> str:
    """The first name as a second school typed it: ``honorific`` (title inside the field),
    ``spacing`` (a space inside) or ``tone`` (character-order variant)."""
    if kind == "honorific":
        return ("ด.ช." if sex == "M" else "ด.ญ.") + first
    if kind == "tone":
        v = tone_variant(first)
        if v is not None:
            return v
    # spacing: a space after the first syllable-ish cut, or a double space at the end
    cut = max(1, len(first) // 2)
    while cut < len(first) and (first[cut] in _UPPER + _TONES + "\u0e30\u0e32\u0e33\u0e38\u0e39\u0e3a\u0e4c\u0e4d\u0e45"):
        cut += 1
    if cut >= len(first):
        return first + " "
    return first[:cut] + " " + first[cut:]
