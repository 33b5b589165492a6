"""``classify_series`` decides IDs already in normal form from their digits: it must give
exactly what the step-by-step classification gives, on any text."""

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from obec_audit.ids import _classify_text, classify, classify_series, pin

ODD = ["1101700230708", "1101700230709", "9101700230705", "0000000000019", "0000000000000",
       "G644200000001", "g644200000001", "G64420000001", " 1101700230708", "1101700230708 ",
       "1-1017-00230-70-8", "", "  ", None, "0", "1.57013E+12", "１１０１７００２３０７０８",
       "1101700230708.0", "ไม่มี", "1101700230708\n", "๑๑๐๑๗๐๐๒๓๐๗๐๘", '="1101700230708"',
       "11017002307080", "G6442000000011", "X101700230708"]


def test_fast_path_equals_step_by_step_on_odd_values():
    s = pd.Series(ODD * 2, index=np.arange(7, 7 + 2 * len(ODD)) * 3)
    got = classify_series(s)
    pd.testing.assert_frame_equal(got, _classify_text(s))
    by = dict(zip(ODD, zip(got["id_type"], got["id_reason"])))
    assert by["1101700230708"] == ("pin", "")
    assert by["1101700230709"] == ("invalid", "checksum")
    assert by["9101700230705"] == ("invalid", "type")
    assert by["0000000000019"] == ("pin-0", "")
    assert by["G644200000001"] == ("gcode", "")
    assert by["11017002307080"] == ("invalid", "length")


def test_check_digit_agrees_with_stdnum_on_every_digit():
    base = "110170023070"
    ids = [base + str(d) for d in range(10)] + [f"{i:012d}"[:12] + str(d) for i in (0, 5, 987654321098)
                                               for d in range(10)]
    got = classify_series(pd.Series(ids))
    want = [("pin-0" if i[0] == "0" else "pin") if pin.is_valid(i) else "invalid" for i in ids]
    assert got["id_type"].tolist() == want


@given(st.lists(st.one_of(
    st.text(alphabet="0123456789G g-.๑๒๓E+\u00a0=\"'", max_size=16),
    st.from_regex(r"[0-9]{13}", fullmatch=True),
    st.from_regex(r"G[0-9]{12}", fullmatch=True),
    st.none()), max_size=30))
def test_fast_path_equals_step_by_step(values):
    s = pd.Series(values, dtype=object)
    pd.testing.assert_frame_equal(classify_series(s), _classify_text(s))


def test_one_value():
    assert classify("1101700230708") == ("1101700230708", "pin", "")
