"""Per-school completeness (completeness.csv) and the shared emptiness rule."""

from __future__ import annotations

import importlib.util
import pathlib

import numpy as np
import pandas as pd
import pytest

from obec_audit.completeness import COMPLETENESS_FIELDS, completeness, field_empty, school_completeness

_spec = importlib.util.spec_from_file_location(
    "_student_factory", pathlib.Path(__file__).parent / "checks" / "conftest.py"
)
_factory = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_factory)
make_students = _factory._make_students


@pytest.fixture
def frame():
    return make_students(
        [
            {"school_code": "57010001", "source_file": "a.xlsx"},
            {"school_code": "57010001", "source_file": "a.xlsx", "weight": 0.0, "national_id": ""},
            {"school_code": "57010001", "source_file": "a.xlsx", "sex": None, "sex_raw": "x"},  # unparsed ≠ missing
            {"school_code": "57010001", "source_file": "a.xlsx", "room": "-", "height": np.nan},
            {"school_code": "57010002", "source_file": "b.csv", "race": None, "religion": None},
            {"school_code": "57010002", "source_file": "b.csv", "race": None, "religion": None,
             "birth_date": None, "birth_date_raw": None},
        ],
        absent_columns={"b.csv": ["race"]},
    )


def test_completeness_rows(frame):
    c = completeness(frame)
    assert list(c.columns[:2]) == ["school_code", "field"]
    assert {"rows", "missing", "percent_complete"} <= set(c.columns)
    assert len(c) == 2 * len(COMPLETENESS_FIELDS)
    c = c.set_index(["school_code", "field"])
    assert c.loc[("57010001", "weight"), ["rows", "missing"]].tolist() == [4, 1]
    assert c.loc[("57010001", "weight"), "percent_complete"] == 75.0
    assert c.loc[("57010001", "national_id"), "missing"] == 1
    assert c.loc[("57010001", "sex"), "missing"] == 0
    assert c.loc[("57010001", "room"), "missing"] == 1
    assert c.loc[("57010001", "height"), "missing"] == 1
    assert c.loc[("57010001", "grade"), "percent_complete"] == 100.0
    # race is not in b.csv's layout: not applicable, not missing
    assert c.loc[("57010002", "race"), ["rows", "missing"]].tolist() == [0, 0]
    assert pd.isna(c.loc[("57010002", "race"), "percent_complete"])
    assert c.loc[("57010002", "religion"), ["rows", "missing"]].tolist() == [2, 2]
    assert c.loc[("57010002", "religion"), "percent_complete"] == 0.0
    assert c.loc[("57010002", "birth_date"), "percent_complete"] == 50.0


def test_percent_one_decimal():
    df = make_students([{"room": None}, {}, {}])
    c = completeness(df).set_index("field")
    assert c.loc["room", "percent_complete"] == 66.7


def test_school_completeness(frame):
    s = school_completeness(frame).set_index("school_code")
    n = len(COMPLETENESS_FIELDS)
    assert s.loc["57010001", "students"] == 4
    assert s.loc["57010001", "cells"] == 4 * n
    assert s.loc["57010001", "missing_cells"] == 4
    assert s.loc["57010001", "fields_complete"] == n - 4
    assert s.loc["57010001", "percent_complete"] == round(100 * (4 * n - 4) / (4 * n), 1)
    assert s.loc["57010002", "cells"] == 2 * (n - 1)  # race not applicable
    assert s.loc["57010002", "missing_cells"] == 3
    assert s.loc["57010002", "fields_complete"] == (n - 1) - 2


def test_empty_rule_shared_with_field_missing(frame):
    assert field_empty(frame, "weight").tolist() == [False, True, False, False, False, False]
    assert field_empty(frame, "sex").tolist() == [False] * 6


def test_empty_input():
    df = make_students([{}]).iloc[0:0]
    assert completeness(df).empty
    assert school_completeness(df).empty


def test_blank_by_first_byte_equals_strip_on_any_text():
    """``_blank`` settles most values from their first UTF-8 byte; it must agree with
    stripping every value (any text, whitespace of every kind, nulls, sliced and chunked
    arrays)."""
    import pyarrow as pa
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from obec_audit.completeness import _blank, _blank_unique

    pieces = st.sampled_from([" ", "\t", "\n", "\x1c", "\x1f", "\xa0", "\u3000", "\u200b", "\ufeff", "-", "--",
                              "ก", "สม", "ำ", "a", "0", "é", "😀", "\x00"])
    text = st.lists(pieces, max_size=5).map("".join) | st.text(max_size=6)

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.none() | text, max_size=12), st.integers(0, 3), st.integers(1, 3))
    def check(values, cut, parts):
        want = _blank_unique(pd.Series(values, dtype="string"))
        s = pd.Series(values, dtype="string")
        assert _blank(s).tolist() == want.tolist()
        cut = min(cut, len(values))
        assert _blank(s.iloc[cut:]).tolist() == want.tolist()[cut:]  # an offset into the buffers
        step = max(1, len(values) // parts)
        chunked = pa.chunked_array([pa.array(values[i:i + step], type=pa.large_string())
                                    for i in range(0, len(values), step)] or [pa.array([], pa.large_string())])
        s2 = pd.Series(pd.arrays.ArrowStringArray(chunked))
        assert _blank(s2).tolist() == want.tolist()

    check()


@pytest.mark.parametrize("chunks", [[["a", None, "b", "a"]], [], [[None, None]], [["x", None], ["y", "x"], []]])
def test_factorize_text_equals_pandas(chunks):
    import pyarrow as pa

    from obec_audit.completeness import factorize_text

    arr = pa.chunked_array([pa.array(c, pa.large_string()) for c in chunks], type=pa.large_string())
    s = pd.Series(pd.arrays.ArrowStringArray(arr))
    codes, uniques = factorize_text(s)
    want_codes, want = pd.factorize(s, use_na_sentinel=True)
    assert codes.tolist() == want_codes.tolist()
    pd.testing.assert_series_equal(uniques, pd.Series(want, dtype="string"))
