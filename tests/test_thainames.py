"""Thai name normalisation for duplicate matching."""

from __future__ import annotations

import pandas as pd
import pytest

from obec_audit.thainames import normalize_name, normalize_names, phonetic_key, phonetic_keys, strip_honorific


@pytest.mark.parametrize(
    "raw",
    ["ด.ช.สมชาย", "ด.ช. สมชาย", "ดช.สมชาย", "เด็กชายสมชาย", "เด็กชาย สมชาย", "นายสมชาย", "  สม ชาย ",
     "สมชาย\u200b", "Mr.สมชาย", "สามเณรสมชาย", "ส.ณ.สมชาย"],
)
def test_honorifics_and_spacing(raw):
    assert normalize_name(raw) == "สมชาย"


@pytest.mark.parametrize(
    "a,b",
    [
        ("กิ่งแก้ว", "ก่ิงแก้ว"),  # tone typed before the vowel above
        ("\u0e1b\u0e35\u0e48", "\u0e1b\u0e48\u0e35"),  # ปี่: mai ek before sara ii
        ("จุ้ย", "จุ้ย"),  # tone before the vowel below
        ("น้ำฝน", "นำ้ฝน"),  # tone after sara am
        ("น้ำฝน", "นํ้าฝน"),  # nikhahit + tone + aa
        ("คำแสง", "คําแสง"),  # ำ vs ํา
        ("แก้ว", "เเก้ว"),  # เเ typed for แ
        ("ก้อย", "ก้้อย"),  # tone typed twice
        ("ศักดิ์", "ศักดิ์์"),
        ("สมศรี", "สมศรี."),
    ],
)
def test_variants_collapse(a, b):
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize("name", ["นางนวล", "นายิกา", "นาวิน", "นาง", "นาย", "เด็ก", "นิด"])
def test_names_that_look_like_honorifics_survive(name):
    n = normalize_name(name)
    assert n  # never emptied
    assert n == normalize_name(name)  # deterministic


def test_different_names_stay_different():
    assert normalize_name("สมชาย") != normalize_name("สมชาญ")
    assert normalize_name("กิ่ง") != normalize_name("กิ้ง")  # a different tone is a different name


def test_missing():
    assert normalize_name(None) == ""
    assert normalize_name(pd.NA) == ""
    assert normalize_name(float("nan")) == ""
    assert strip_honorific("") == ""


def test_series_once_per_distinct_value():
    s = pd.Series(["ด.ญ.สมศรี", None, "สมศรี", "เด็กหญิงสมศรี", pd.NA], dtype="string")
    out = normalize_names(s)
    assert out.tolist() == ["สมศรี", "", "สมศรี", "สมศรี", ""]
    assert out.index.equals(s.index)


def test_phonetic_keys():
    assert phonetic_key("") == ""
    assert phonetic_key("ศรีสุข") == phonetic_key("สีสุก")
    keys = phonetic_keys(pd.Series(["สมชาย", "", "สมชาย", "john"]))
    assert keys[0] == keys[2] and keys[0]
    assert keys[1] == ""


def test_vectorised_normalisation_equals_normalize_name():
    """``normalize_name_list`` (pyarrow + fallback) gives exactly ``normalize_name``'s key,
    on names built from every awkward piece: honorifics, marks in any order and doubled,
    tone after ำ, เเ, spaces of every kind, zero-width characters, Latin, digits."""
    import random

    from obec_audit.thainames import _MARK_RANK, normalize_name_list

    pieces = ["ด.ช.", "ด.ญ.", "ดช.", "เด็กชาย", "เด็กหญิง", "นาย", "นาง", "นางสาว", "น.ส. ", "Mr.", "MISS ",
              "master", "นายิกา", "ส.ณ.", "สามเณร", " ", "  ", "\u200b", "\ufeff", "\u00a0", "\u3000", "\t",
              "\x85", ".", "-", "เเ", "ำ", "ํา", "นำ้", "ก", "ข", "ส", "ม", "ช", "า", "ย", "เ", "แ", "ไ",
              "abc", "ABC", "1", "๑", "ＡＢ", *_MARK_RANK]
    rng = random.Random(7)
    names = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 7))) for _ in range(20_000)]
    names += ["ด.ช.สมชาย", "ก่ิ่งแก้ว", "นำ้ฝน", "เเก้ว", "นายิกา", "", None, "สม ศรี"]
    assert normalize_name_list(names) == [normalize_name(n) for n in names]


# ----------------------------------------------------------------------------- spelling key
@pytest.mark.parametrize(
    "a,b",
    [("ก้อย", "ก๊อย"), ("อ้อย", "ออย"), ("สุชล", "สูชล"), ("ปิยะ", "ปิยา"), ("ภัทรา", "พัทรา"), ("สุข", "สุก"),
     ("ชาญ", "ชาน"), ("วงศ์", "วงค์"), ("ศรีสุข", "สีสุก"), ("ธนศักดิ์", "ธนสัก"), ("เพ็ญ", "เพญ"),
     ("ด.ญ.มณู", "มนู"), ("นำ้ฝน", "น้ำฝน")],
)
def test_spelling_key_forgives_one_character_variants(a, b):
    from obec_audit.thainames import spelling_key

    assert spelling_key(a) == spelling_key(b)


@pytest.mark.parametrize("a,b", [("สมชาย", "สมชาญ"), ("วิชัย", "วิชิต"), ("มด", "บด"), ("นก", "นป"), ("กัน", "กาน"),
                                 ("ยุ้ย", "วุ้ย")])
def test_spelling_key_keeps_different_sounds_apart(a, b):
    from obec_audit.thainames import spelling_key

    assert spelling_key(a) != spelling_key(b)


def test_spelling_key_list_equals_python_on_every_corpus_name():
    from obec_audit.demo.people import name_pools
    from obec_audit.thainames import spelling_key, spelling_key_list

    names = [n for pool in name_pools().values() for n in pool] + ["เด็กหญิง ก่ิงแก้ว", "ศรีสุข", ""]
    norm = [normalize_name(n) for n in names]
    assert spelling_key_list(norm) == [spelling_key(n) for n in names]


def test_spelling_key_list_equals_python_on_random_thai_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from obec_audit.thainames import spelling_key, spelling_key_list

    thai = st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E4E), max_size=12)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(thai | st.sampled_from(["สริ", "ศรี", "สรริ", "ดิ์", "ศักดิ์", " ", "ด.ช."]), max_size=8))
    def check(names):
        norm = [normalize_name(n) for n in names]
        assert spelling_key_list(norm) == [spelling_key(n) for n in names]

    check()


def test_spelling_key_array_equals_python_on_any_text():
    """The byte-level letter table and last-letter step against Python's ``str`` steps, on any
    text (Latin, 4-byte characters, the whole Thai block, nulls) and on sliced arrays."""
    import pyarrow as pa
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from obec_audit.thainames import _key_of_normalised, spelling_key_array

    thai = st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F)
    # codec="utf-8": any text a file can hold (a lone surrogate cannot be encoded, so never read)
    text = st.text(alphabet=thai | st.characters(codec="utf-8") | st.sampled_from("กขฃศษสรีิ์่้aé😀"), max_size=10)

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.none() | text | st.sampled_from(["สริ", "ศรี", "สุข", "ชาญ", "ดิ์", "กa", "ข😀"]), max_size=10),
           st.integers(0, 3))
    def check(names, cut):
        want = [None if n is None else _key_of_normalised(n) for n in names]
        assert spelling_key_array(names).to_pylist() == want
        arr = pa.array(names, type=pa.string()).slice(min(cut, len(names)))  # an offset into the buffers
        assert spelling_key_array(arr).to_pylist() == want[min(cut, len(names)):]
        big = pa.array(names, type=pa.large_string())
        assert spelling_key_array(big).to_pylist() == want

    check()


def test_arrow_normalisation_equals_normalize_name_on_any_text():
    """NFKC is applied in Python only where ``_RE2_NOT_NFKC`` says it may change the text:
    on any text (every Thai mark in any order, compatibility characters, 4-byte characters)
    the result is ``normalize_name``'s; ``name_keys`` on a pyarrow column agrees too."""
    import unicodedata

    from hypothesis import given, settings
    from hypothesis import strategies as st

    import pyarrow as pa
    import pyarrow.compute as pc

    from obec_audit.thainames import _MARK_RANK, _RE2_NOT_NFKC, name_keys, normalize_name_list

    thai = st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F)
    odd = st.sampled_from(["ำ", "ํา", "ﬁ", "Ａ", "①", "\u00a0", "\u3000", "ด.ช.", "นาย", "é", "é", "😀", *_MARK_RANK])
    text = st.lists(thai | odd | st.characters(codec="utf-8"), max_size=8).map("".join)

    @settings(max_examples=500, deadline=None)
    @given(st.lists(st.none() | text, max_size=10))
    def check(names):
        want = [normalize_name(n) for n in names]
        assert normalize_name_list(names) == want
        keys = name_keys(pd.Series(names, dtype="string"))
        got = [keys.names[c] if c >= 0 else "" for c in keys.code]
        assert got == want
        vals = [n for n in names if n is not None]  # the pattern's promise: no match → NFKC-stable
        hit = pc.match_substring_regex(pa.array(vals, type=pa.string()), _RE2_NOT_NFKC).to_pylist()
        assert all(h or unicodedata.normalize("NFKC", n) == n for n, h in zip(vals, hit))

    check()
