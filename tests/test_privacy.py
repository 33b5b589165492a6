"""obec_audit.privacy: one masking style for every identifier shape an officer's screen can
show."""

import pandas as pd
import pytest

from obec_audit.privacy import mask_frame, mask_ids, mask_text


@pytest.mark.parametrize("raw, shown", [
    ("1101700230708", "1xxxxxxxxxxx8"),
    ("1-1017-00230-70-8", "1xxxxxxxxxxx8"),
    ("1 1017 00230 70 8", "1xxxxxxxxxxx8"),
    ("570149302491", "5xxxxxxxxxx1"),      # a 13-digit ID that lost its leading 0
    ("31006001234", "3xxxxxxxxx4"),        # an 11-digit staff ID
    ("123456789", "1xxxxxxx9"),            # any run of 9 digits
    ("G644200000001", "Gxxxxxxxxxxx1"),
    ("๑๑๐๑๗๐๐๒๓๐๗๐๘", "๑xxxxxxxxxxx๘"),   # Thai digits
])
def test_every_id_shape_masked_in_one_style(raw, shown):
    assert mask_text(raw) == shown
    assert mask_text(f"ค่า {raw} ผิด") == f"ค่า {shown} ผิด"


@pytest.mark.parametrize("kept", ["57010001", "10/06/2569", "2026-06-10", "ห้อง 2", "12,345", "1.5"])
def test_short_numbers_dates_and_school_codes_kept(kept):
    assert mask_text(kept) == kept


def test_id_columns_mask_even_garbled_values_and_frames_mask_every_text_column():
    assert mask_ids(pd.Series(["12345", "1101700230708"])).tolist() == ["1xxx5", "1xxxxxxxxxxx8"]
    df = pd.DataFrame({"national_id": ["12345"], "ค่าที่อ่านได้": ["570149302491"],
                       "ชื่อ": ["ด.ช. ก 1101700230708"], "n": [3]})
    out = mask_frame(df)
    assert out.to_dict("records") == [{"national_id": "1xxx5", "ค่าที่อ่านได้": "5xxxxxxxxxx1",
                                       "ชื่อ": "ด.ช. ก 1xxxxxxxxxxx8", "n": 3}]
    assert mask_frame(df, show_ids=True).equals(df)
