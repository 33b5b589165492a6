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
once per distinct name, which matters: names repeat a lot). ``spelling_key`` (and its
vectorised ``spelling_key_list``) forgives the one-character variants of one spoken name — a tone
mark, a vowel's length, a consonant of the same sound, a silent letter — and keeps consonants of
different sounds apart; ``dup-person`` matches on it. ``phonetic_keys`` gives a Thai soundex key
(pythainlp, ``lk82`` by default) per name, once per distinct value.

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
import importlib
import multiprocessing as mp
import os
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: the package (``pythainlp.soundex`` as an attribute is also the name of a function)
_pythainlp_soundex = importlib.import_module("pythainlp.soundex")

__all__ = [
    "normalize_name",
    "normalize_names",
    "strip_honorific",
    "phonetic_key",
    "phonetic_keys",
    "normalize_names_array",
    "normalize_name_list",
    "normalize_name_arrow",
    "name_keys",
    "spelling_key",
    "spelling_key_list",
    "spelling_key_array",
    "NameKeys",
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


# ------------------------------------------------------------------------------ vectorised
# The same key as ``normalize_name`` for many names at once, in pyarrow's C++ kernels
# (RE2 regular expressions). Names needing one of the rare steps — an honorific typed in
# the field, a run of marks out of canonical order or doubled, a tone typed after ำ — are
# detected with patterns that match at least every name the Python step would change, and
# those names go through ``normalize_name`` itself; so the result is exactly
# ``normalize_name``'s (tested on every name of the demo area and of a national extract).
_NOT_LL = r"[^\pL\pM]"  # anything that is neither a letter nor a mark (all Python ``\s`` included)
_RE2_ZERO_WIDTH = "[\u200b\u200c\u200d\ufeff]"
_RE2_HONORIFIC = (
    "^" + _NOT_LL + "*(?i:" + "|".join(h.replace(r"\s", _NOT_LL) for h in HONORIFICS) + ")"
)
_RE2_NOT_LETTER = r"[^\x{0e01}-\x{0e4e}A-Za-z]"
#: two adjacent marks that ``_sort_marks`` would reorder or merge
_RE2_MARK_PAIR = "|".join(
    a + b
    for a in _MARK_RANK
    for b in _MARK_RANK
    if (_MARK_RANK[a], a) >= (_MARK_RANK[b], b)
)
_RE2_TONE_AFTER_AM = "\u0e4d\u0e32[\u0e48-\u0e4b]"


def _nfkc_stable_pattern() -> str:
    """An RE2 pattern matching every string Python's NFKC might change, built from Python's
    own ``unicodedata``: a character outside ASCII and the Thai block, a Thai character
    with a compatibility decomposition (ำ), or two adjacent marks out of canonical order.
    (No composition involves ASCII or Thai characters.) Strings it does not match are
    their own NFKC form."""
    thai = [chr(c) for c in range(0x0E00, 0x0E80)]
    stable = [c for c in thai if unicodedata.normalize("NFKC", c) == c]
    unstable = [c for c in thai if c not in stable]
    marks = [c for c in stable if unicodedata.combining(c)]
    pairs = [x + y for x in marks for y in marks if unicodedata.combining(x) > unicodedata.combining(y)]
    alts = [r"[^\x{00}-\x{7f}\x{0e00}-\x{0e7f}]"]
    alts += ["[" + "".join(unstable) + "]"] if unstable else []
    alts += pairs
    return "|".join(alts)


_RE2_NOT_NFKC = _nfkc_stable_pattern()


def _replace_where(a, mask: np.ndarray, func):
    """``a`` (pyarrow strings) with ``func(value)`` in place of the values where ``mask``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not mask.any():
        return a
    m = pa.array(mask)
    new = [func(v) for v in a.filter(m).to_pylist()]
    return pc.replace_with_mask(a, m, pa.array(new, type=a.type))


def normalize_name_arrow(values):
    """``normalize_name`` of every value of a pyarrow string array ('' for missing), as a
    pyarrow string array. NFKC in Python only for the values it may change
    (``_RE2_NOT_NFKC``); the rest in pyarrow's kernels (see above)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    if len(arr) == 0:
        return arr
    orig = arr
    nf = pc.match_substring_regex(arr, _RE2_NOT_NFKC).fill_null(False).to_numpy(zero_copy_only=False)
    arr = _replace_where(arr, nf, lambda v: unicodedata.normalize("NFKC", v))
    arr = pc.replace_substring_regex(arr, _RE2_ZERO_WIDTH, "")
    slow = pc.match_substring_regex(arr, _RE2_HONORIFIC)
    t = pc.replace_substring_regex(arr, _RE2_NOT_LETTER, "")
    t = pc.replace_substring(t, "\u0e40\u0e40", "\u0e41")
    slow = pc.or_(slow, pc.match_substring_regex(t, _RE2_MARK_PAIR))
    slow = pc.or_(slow, pc.match_substring_regex(t, _RE2_TONE_AFTER_AM))
    t = pc.utf8_lower(pc.replace_substring(t, "\u0e4d\u0e32", "\u0e33")).fill_null("")
    slow = slow.fill_null(False).to_numpy(zero_copy_only=False)
    if slow.any():  # the rare steps: ``normalize_name`` itself, on the value as given
        m = pa.array(slow)
        new = [normalize_name(v) for v in orig.filter(m).to_pylist()]
        t = pc.replace_with_mask(t, m, pa.array(new, type=t.type))
    return t


def normalize_name_list(values) -> list[str]:
    """``[normalize_name(v) for v in values]``, vectorised (see above); '' for missing.

    >>> normalize_name_list(['ด.ช.สมชาย', None, 'ก่ิ่งแก้ว', 'สมศรี'])
    ['สมชาย', '', 'กิ่งแก้ว', 'สมศรี']
    """
    import pyarrow as pa

    vals = [v if isinstance(v, str) else None for v in values]
    if not vals:
        return []
    return normalize_name_arrow(pa.array(vals, type=pa.string())).to_pylist()


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
    codes, uniques = _factorize(values)
    mapped = _map_list(func, uniques) + [func(None)]  # last slot for the NA sentinel (-1)
    return np.asarray(mapped, dtype=object)[codes]


def _map_unique(values: pd.Series, func) -> pd.Series:
    return pd.Series(_map_unique_array(values, func), index=values.index, dtype="string")


def normalize_names(values: pd.Series) -> pd.Series:
    """``normalize_name`` over a Series, computed once per distinct value ('' for missing).

    >>> normalize_names(pd.Series(['ด.ญ.สมศรี', None, 'สมศรี'])).tolist()
    ['สมศรี', '', 'สมศรี']
    """
    return pd.Series(normalize_names_array(values), index=values.index, dtype="string")


@functools.lru_cache(maxsize=None)
def _soundex_func(engine: str):
    """The pythainlp soundex function of an engine, looked up once (``soundex(name, engine)``
    resolves the engine on every call, a third of the cost on a million names)."""
    func = getattr(_pythainlp_soundex, engine, None)
    if engine in ("lk82", "udom83") and callable(func):  # no length parameter to pass on
        return func
    return functools.partial(_pythainlp_soundex.soundex, engine=engine)


def phonetic_key(name: str, engine: str = "lk82") -> str:
    """A Thai soundex key of an (already normalised) name; '' when there is none.

    >>> phonetic_key('ศรีสุข') == phonetic_key('สีสุก')
    True
    """
    if not name:
        return ""
    try:
        return _soundex_func(engine)(name) or ""
    except Exception:  # non-Thai text, odd characters: no key, the row just blocks on ''
        return ""


def normalize_names_array(values) -> np.ndarray:
    """``normalize_names`` as a plain object array (no Series building: faster on big lists)."""
    codes, uniques = _factorize(values)
    mapped = normalize_name_list(uniques) + [""]  # last slot for the NA sentinel (-1)
    return np.asarray(mapped, dtype=object)[codes]


def _factorize(values) -> tuple[np.ndarray, list]:
    """Codes (-1 for missing) and the distinct values as a list of Python objects."""
    if isinstance(values, pd.Series):  # pyarrow-backed strings factorise without Python objects
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        return codes, list(pd.Series(uniques).astype(object))
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    return codes, list(uniques)


def _phonetic_or_empty(x, engine: str = "lk82") -> str:
    return phonetic_key(x, engine) if x else ""


def phonetic_keys(names: pd.Series, engine: str = "lk82") -> pd.Series:
    """``phonetic_key`` over a Series of normalised names, once per distinct value."""
    return _map_unique(names, functools.partial(_phonetic_or_empty, engine=engine))


# ------------------------------------------------------------------------------ coded form
@dataclass
class NameKeys:
    """A name column in coded form, for matching millions of rows without a Python string
    per row: ``names[code[r]]`` is row ``r``'s normalised name (``code`` -1: missing, or
    empty after normalisation). Soundex keys are computed on demand, once per distinct
    normalised name (``keys``)."""

    code: np.ndarray  # int64 per row
    names: np.ndarray  # distinct normalised names (object)
    engine: str = "lk82"
    _keys: np.ndarray | None = field(default=None, repr=False)
    _done: np.ndarray | None = field(default=None, repr=False)
    #: ``names`` as a pyarrow string array, when ``name_keys`` had it (for ``spelling_key_array``)
    names_arrow: object = field(default=None, repr=False)

    def row_names(self, rows: np.ndarray) -> np.ndarray:
        """Normalised names of the rows at ``rows`` (positions), '' when none."""
        ext = np.append(self.names, "").astype(object)
        c = self.code[rows]
        return ext[np.where(c >= 0, c, len(self.names))]

    def keys(self, which: np.ndarray | None = None) -> np.ndarray:
        """Soundex keys ('' when none) of the distinct names ``which`` (indices into
        ``names``; all when None), computing only those not computed yet."""
        n = len(self.names)
        if self._keys is None:
            self._keys = np.full(n, "", dtype=object)
            self._done = np.zeros(n, dtype=bool)
        want = np.arange(n) if which is None else np.asarray(which, dtype=np.int64)
        todo = np.unique(want[~self._done[want]]) if len(want) else want
        if len(todo):
            vals = _map_list(functools.partial(_phonetic_or_empty, engine=self.engine),
                             list(self.names[todo]))
            self._keys[todo] = np.asarray(vals, dtype=object)
            self._done[todo] = True
        return self._keys[want]


def name_keys(values, engine: str = "lk82", with_keys: bool = False) -> NameKeys:
    """Normalise a name column once per distinct value (vectorised, ``normalize_name_arrow``),
    in coded form (``NameKeys``). ``with_keys``: also compute every soundex key now.

    >>> k = name_keys(pd.Series(['ด.ช.สมชาย', None, 'สมชาย', 'สมศรี']))
    >>> k.code.tolist(), k.names.tolist()
    ([0, -1, 0, 1], ['สมชาย', 'สมศรี'])
    >>> k.keys(k.code[:1])[0] == phonetic_key('สมชาย')
    True
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        enc = pc.dictionary_encode(pa.array(values))  # row codes and distinct values, no Python strings
        if isinstance(enc, pa.ChunkedArray):
            enc = enc.unify_dictionaries().combine_chunks() if enc.num_chunks != 1 else enc.chunk(0)
        codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        uniques = enc.dictionary
    else:
        codes, ulist = _factorize(values)
        uniques = pa.array([v if isinstance(v, str) else None for v in ulist], type=pa.string())
    norm = pc.dictionary_encode(normalize_name_arrow(uniques)) if len(uniques) else None
    if norm is None:
        ncode, names = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
        arrow = pa.array([], type=pa.string())
    else:
        ncode = norm.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        arrow = norm.dictionary
        names = np.asarray(arrow.to_pylist(), dtype=object)
    empty = np.flatnonzero(names == "")  # '' is no name
    if len(empty):
        e = int(empty[0])
        ncode = np.where(ncode == e, -1, np.where(ncode > e, ncode - 1, ncode))
        names = np.delete(names, e)
        arrow = pa.concat_arrays([arrow.slice(0, e), arrow.slice(e + 1)])
    out = NameKeys(code=np.append(ncode, -1)[np.where(codes >= 0, codes, len(ncode))].astype(np.int64),
                   names=names, engine=engine, names_arrow=arrow)
    if with_keys:
        out.keys()
    return out


# ------------------------------------------------------------------------------ spelling key
# A key that forgives the one-character variants of one spoken name, whatever its length:
# tone marks and maitaikhu dropped; a silent letter (with ์) dropped; long and short vowels
# merged (ี ิ, ู ุ, ื ึ, า ะ); consonants of one sound merged (ศ ษ ส, ท ธ ถ ฐ ฑ ฒ, พ ภ ผ, …); the
# last consonant by its final sound (สุข/สุก, ชาญ/ชาน); the silent ร of ศรี. Consonants of different sounds stay
# apart (สมชาย/สมชาญ: twins' names).
_KEY_TONES = "[\u0e47-\u0e4b]"
_KEY_SILENT = "[\u0e01-\u0e2e][\u0e34-\u0e39]?\u0e4c"
#: the silent ร of ศรี/สรี (→ สี), after the sounds are merged
_KEY_SILENT_R = ("สร\u0e34", "ส\u0e34")
_KEY_VOWELS = {"\u0e35": "\u0e34", "\u0e39": "\u0e38", "\u0e37": "\u0e36", "\u0e30": "\u0e32"}
_KEY_SOUNDS = {
    "ค": "ขฃฅฆ", "ช": "ฌ", "ส": "ซศษ", "ท": "ฐฑฒถธ", "ด": "ฎ", "ต": "ฏ", "น": "ณ", "พ": "ผภ",
    "ฟ": "ฝ", "ล": "ฬ", "ห": "ฮ",
}
#: final sounds of the last consonant (after ``_KEY_SOUNDS``): /k/, /t/, /p/, /n/
_KEY_FINALS = {"ก": "ค", "ด": "จชสตท", "บ": "ปพฟ", "น": "ญรล"}
_KEY_TABLE = str.maketrans(
    {**_KEY_VOWELS, **{c: rep for rep, cs in _KEY_SOUNDS.items() for c in cs}}
)
_KEY_FINAL_OF = {c: rep for rep, cs in _KEY_FINALS.items() for c in cs}


def spelling_key(name) -> str:
    """The spelling key of one name (``normalize_name`` first). '' for a missing name.

    >>> spelling_key('ศรีสุข') == spelling_key('สีสุก')
    True
    >>> [spelling_key(a) == spelling_key(b) for a, b in [('สุข', 'สุก'), ('ก้อย', 'ก๊อย'),
    ...     ('วงศ์', 'วงค์'), ('ปิยะ', 'ปิยา'), ('ภัทรา', 'พัทรา'), ('ชาญ', 'ชาน'), ('สมชาย', 'สมชาญ')]]
    [True, True, True, True, True, True, False]
    """
    return _key_of_normalised(normalize_name(name))


def _key_of_normalised(s: str) -> str:
    """``spelling_key``'s steps after ``normalize_name`` (the reference ``spelling_key_array``
    is tested against on any text)."""
    s = re.sub(_KEY_SILENT, "", s)
    s = re.sub(_KEY_TONES, "", s).translate(_KEY_TABLE)
    s = s.replace(*_KEY_SILENT_R)
    if s and s[-1] in _KEY_FINAL_OF:
        s = s[:-1] + _KEY_FINAL_OF[s[-1]]
    return s


#: ``_KEY_TABLE`` as a lookup table over the Thai block (U+0E00 + 0 … 127), for ``_translate_thai``
_KEY_LUT = np.arange(128, dtype=np.uint8)
for _src, _dst in _KEY_TABLE.items():
    _KEY_LUT[_src - 0x0E00] = ord(_dst) - 0x0E00
#: the final sounds (``_KEY_FINAL_OF``) as a table of the same kind, for the last letter only
_KEY_FINAL_LUT = np.arange(128, dtype=np.uint8)
for _src, _dst in _KEY_FINAL_OF.items():
    _KEY_FINAL_LUT[ord(_src) - 0x0E00] = ord(_dst) - 0x0E00


def _translate_thai(a, lut: np.ndarray, last_only: bool = False):
    """A table from Thai-block characters to Thai-block characters (``lut``: U+0E00 + i →
    U+0E00 + lut[i]) applied to a pyarrow string array (``last_only``: to each string's last
    character), on the UTF-8 bytes: every character of U+0E00–U+0E7F is the three bytes
    E0 B8/B9 xx, so a letter is swapped in place and no offset moves."""
    import pyarrow as pa

    if isinstance(a, pa.ChunkedArray):
        a = a.combine_chunks()
    validity, offsets, data = a.buffers()[:3]
    if data is None or len(a) == 0:
        return a
    b = np.frombuffer(data, dtype=np.uint8).copy()
    if last_only:
        off = np.frombuffer(offsets, dtype=np.int64 if a.type == pa.large_string() else np.int32)
        off = off[a.offset: a.offset + len(a) + 1].astype(np.int64)
        end = off[1:]
        at = end[(end - off[:-1]) >= 3] - 3  # the last character, if it is 3 bytes long
        at = at[b[at] == 0xE0]
    else:
        at = np.flatnonzero(b[: max(len(b) - 2, 0)] == 0xE0)  # E0 is never a continuation byte
    at = at[(b[at + 1] & 0xFE) == 0xB8]
    new = lut[((b[at + 1] & 1) << 6) | (b[at + 2] & 0x3F)]
    b[at + 1] = 0xB8 | (new >> 6)
    b[at + 2] = 0x80 | (new & 0x3F)
    return pa.Array.from_buffers(a.type, len(a), [validity, offsets, pa.py_buffer(b)],
                                 a.null_count, a.offset)


def spelling_key_array(names):
    """``spelling_key`` of already normalised names as a pyarrow string array (nulls for
    missing): pyarrow's C++ kernels, and the letter table applied to the UTF-8 bytes.

    >>> spelling_key_array(['สุข', 'ภัทรา', '', None]).to_pylist()
    ['สุก', 'พัทรา', '', None]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    a = names if isinstance(names, (pa.Array, pa.ChunkedArray)) else pa.array(
        [v if isinstance(v, str) else None for v in names], type=pa.string())
    if isinstance(a, pa.ChunkedArray):
        a = a.combine_chunks()
    a = pc.replace_substring_regex(a, _KEY_SILENT, "")
    a = pc.replace_substring_regex(a, _KEY_TONES, "")
    a = _translate_thai(a, _KEY_LUT)
    a = pc.replace_substring(a, *_KEY_SILENT_R)
    return _translate_thai(a, _KEY_FINAL_LUT, last_only=True)


def spelling_key_list(names) -> list[str]:
    """``spelling_key`` of already normalised names, vectorised (``spelling_key_array``).

    >>> spelling_key_list(['สุข', 'ภัทรา', '', None])
    ['สุก', 'พัทรา', '', '']
    """
    vals = list(names)
    if not vals:
        return []
    return spelling_key_array(vals).fill_null("").to_pylist()
