"""Thai personal names reduced to a matching key, for finding the same child under two IDs.

What schools type into DMC varies in ways that do not change the name:

- Unicode forms: NFKC (``ำ`` and ``ํา``, full-width Latin letters);
- an honorific typed into the name field: ``ด.ช.สมชาย``, ``เด็กชายสมชาย``, ``นายสมชาย``,
  ``น.ส. สมศรี``;
- spaces, zero-width characters, dots and dashes;
- the order of stacked marks: Thai keyboards let a typist enter the tone mark before the
  vowel above or below (``ก่ิ`` for ``กิ่``), or the tone after ``ำ`` (``นำ้`` for ``น้ำ``);
  these look identical on screen but are different strings. Runs of combining marks are
  sorted into one canonical order (vowel, phinthu, tone, thanthakhat, nikhahit);
- the same mark typed twice (``ก่่``), and ``เเ`` (two sara e) typed for ``แ``.

``normalize_name`` answers for one name, ``normalize_names`` for a Series (the work is done
once per distinct name, which matters: names repeat a lot). ``phonetic_keys`` gives a Thai
soundex key (pythainlp, ``lk82`` by default) per name, again once per distinct value.

>>> normalize_name('ด.ช.สมชาย')
'สมชาย'
>>> normalize_name('เด็กหญิง  สม ศรี')
'สมศรี'
>>> normalize_name('ก่ิ่งแก้ว') == normalize_name('กิ่งแก้ว')
True
>>> normalize_name('นำ้ฝน') == normalize_name('น้ำฝน')
True
>>> normalize_name('เเก้ว') == normalize_name('แก้ว')
True
>>> normalize_name('นายิกา')  # not the honorific นาย: a name cannot start with a vowel mark
'นายิกา'
>>> normalize_name(None)
''
"""

from __future__ import annotations

import functools
import multiprocessing as mp
import os
import re
import unicodedata

import numpy as np
import pandas as pd

__all__ = [
    "normalize_name",
    "normalize_names",
    "strip_honorific",
    "phonetic_key",
    "phonetic_keys",
    "normalize_names_array",
    "phonetic_keys_array",
    "HONORIFICS",
]

#: honorifics / titles that schools type into the first-name field (regex alternatives,
#: longest first so นางสาว wins over นาง)
HONORIFICS: list[str] = [
    r"เด็กชาย",
    r"เด็กหญิง",
    r"ด\.\s*ช\.?",
    r"ดช\.",
    r"ด\.\s*ญ\.?",
    r"ดญ\.",
    r"นางสาว",
    r"น\.\s*ส\.?",
    r"นส\.",
    r"สามเณร",
    r"ส\.\s*ณ\.?",
    r"นาย",
    r"นาง",
    r"master\.?",
    r"miss\.?",
    r"mrs\.?",
    r"mr\.?",
    r"ms\.?",
]
_HONORIFIC_RE = re.compile(r"^\s*(?:" + "|".join(HONORIFICS) + r")\s*", re.IGNORECASE)
#: what may start a name: a Thai consonant, a leading vowel (เ แ โ ใ ไ) or a Latin letter
_NAME_START = re.compile(r"[\u0e01-\u0e2e\u0e40-\u0e44A-Za-z]")

#: Thai combining marks and their canonical rank inside one stack
_MARK_RANK: dict[str, int] = {
    "\u0e31": 0,  # mai han-akat
    "\u0e34": 0,
    "\u0e35": 0,
    "\u0e36": 0,
    "\u0e37": 0,  # sara i, ii, ue, uee
    "\u0e38": 0,
    "\u0e39": 0,  # sara u, uu
    "\u0e47": 0,  # maitaikhu
    "\u0e3a": 1,  # phinthu
    "\u0e48": 2,
    "\u0e49": 2,
    "\u0e4a": 2,
    "\u0e4b": 2,  # tone marks
    "\u0e4c": 3,  # thanthakhat
    "\u0e4d": 4,  # nikhahit (the circle of ำ)
    "\u0e4e": 5,  # yamakkan
}
_MARK_RUN = re.compile("[" + "".join(_MARK_RANK) + "]{2,}")
_TONE_AFTER_AM = re.compile("\u0e4d\u0e32([\u0e48-\u0e4b]+)")
_NOT_LETTER = re.compile(r"[^\u0e01-\u0e4eA-Za-z]")


def strip_honorific(name: str) -> str:
    """Remove one honorific typed at the start of a name field (``ด.ช.สมชาย`` → ``สมชาย``).

    The honorific is only removed when what is left still looks like a name (starts with a
    consonant, a leading vowel or a Latin letter, and has at least two characters).

    >>> strip_honorific('นางสาว สมศรี')
    'สมศรี'
    >>> strip_honorific('Mr. John')
    'John'
    >>> strip_honorific('นาง')
    'นาง'
    """
    if not name:
        return ""
    m = _HONORIFIC_RE.match(name)
    if not m:
        return name.strip()
    rest = name[m.end():].strip()
    if len(rest) >= 2 and _NAME_START.match(rest):
        return rest
    return name.strip()


def _sort_marks(m: re.Match) -> str:
    run = sorted(m.group(0), key=lambda c: (_MARK_RANK[c], c))
    out = []
    for c in run:  # a mark typed twice counts once
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def normalize_name(name) -> str:
    """The matching key of one name: see the module's docstring. ``''`` for a missing name."""
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return ""
    s = unicodedata.normalize("NFKC", str(name))
    s = s.replace("\u200b", "").replace("\u200c", "").replace("\u200d", "").replace("\ufeff", "")
    s = re.sub(r"\s+", " ", s).strip()
    s = strip_honorific(s)
    s = _NOT_LETTER.sub("", s)
    s = s.replace("\u0e40\u0e40", "\u0e41")  # เเ typed for แ
    s = _TONE_AFTER_AM.sub(lambda m: m.group(1) + "\u0e4d\u0e32", s)  # นำ้ → น้ำ
    s = _MARK_RUN.sub(_sort_marks, s)
    s = s.replace("\u0e4d\u0e32", "\u0e33")  # ํา → ำ
    return s.lower()


#: distinct values from which the per-name work is shared among processes (national lists
#: hold about a million distinct surnames; normalising and soundexing one costs ~80 µs)
PARALLEL_MIN = 100_000


def _apply_list(func, values: list) -> list:
    return [func(v) for v in values]


def _map_list(func, values: list) -> list:
    """``[func(v) for v in values]``, shared among the CPU cores when the list is long and
    the platform can fork (Linux); serial otherwise or if the pool fails."""
    n_cpu = os.cpu_count() or 1
    if len(values) < PARALLEL_MIN or n_cpu < 2 or "fork" not in mp.get_all_start_methods():
        return _apply_list(func, values)
    try:
        from concurrent.futures import ProcessPoolExecutor

        step = -(-len(values) // (n_cpu * 4))
        chunks = [values[i:i + step] for i in range(0, len(values), step)]
        with ProcessPoolExecutor(max_workers=n_cpu, mp_context=mp.get_context("fork")) as ex:
            parts = list(ex.map(_apply_list, [func] * len(chunks), chunks))
        return [x for part in parts for x in part]
    except Exception:  # noqa: BLE001 - no pool (sandbox, pickling): do it here
        return _apply_list(func, values)


def _map_unique_array(values, func) -> np.ndarray:
    """``func`` applied once per distinct value; an object array aligned on ``values``."""
    if isinstance(values, pd.Series):  # pyarrow-backed strings factorise without Python objects
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        uniques = list(pd.Series(uniques).astype(object))
    else:
        codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
        uniques = list(uniques)
    mapped = _map_list(func, uniques) + [func(None)]  # last slot for the NA sentinel (-1)
    return np.asarray(mapped, dtype=object)[codes]


def _map_unique(values: pd.Series, func) -> pd.Series:
    return pd.Series(_map_unique_array(values, func), index=values.index, dtype="string")


def normalize_names(values: pd.Series) -> pd.Series:
    """``normalize_name`` over a Series, computed once per distinct value ('' for missing).

    >>> normalize_names(pd.Series(['ด.ญ.สมศรี', None, 'สมศรี'])).tolist()
    ['สมศรี', '', 'สมศรี']
    """
    return _map_unique(values, normalize_name)


def phonetic_key(name: str, engine: str = "lk82") -> str:
    """A Thai soundex key of an (already normalised) name; '' when there is none.

    >>> phonetic_key('ศรีสุข') == phonetic_key('สีสุก')
    True
    """
    if not name:
        return ""
    from pythainlp.soundex import soundex

    try:
        return soundex(name, engine=engine) or ""
    except Exception:  # non-Thai text, odd characters: no key, the row just blocks on ''
        return ""


def normalize_names_array(values) -> np.ndarray:
    """``normalize_names`` as a plain object array (no Series building: faster on big lists)."""
    return _map_unique_array(values, normalize_name)


def phonetic_keys_array(names, engine: str = "lk82") -> np.ndarray:
    """``phonetic_keys`` as a plain object array."""
    from pythainlp.soundex import soundex  # noqa: F401  (import once, not per name)

    return _map_unique_array(names, functools.partial(_phonetic_or_empty, engine=engine))


def _phonetic_or_empty(x, engine: str = "lk82") -> str:
    return phonetic_key(x, engine) if x else ""


def phonetic_keys(names: pd.Series, engine: str = "lk82") -> pd.Series:
    """``phonetic_key`` over a Series of normalised names, once per distinct value."""
    return _map_unique(names, functools.partial(_phonetic_or_empty, engine=engine))
