"""Student lists exported from DMC (layouts A and B, DOMAIN.md §3.1) and hand-made variants.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / 's.csv').write_text('รหัสโรงเรียน,เลขประจำตัวประชาชน,ชั้น,เพศ,ชื่อ,วันเกิด\\n'
...                              '57010001,1-1017-00230-70-8,ป.3,ช,สมชาย,10/06/2557\\n', encoding='utf-8')
>>> r = load_students(d)
>>> r.frame[['school_code', 'national_id', 'grade', 'sex']].iloc[0].tolist()
['57010001', '1101700230708', 'ป.3', 'M']
>>> r.frame['source_row'].tolist()
[2]
>>> str(r.frame['birth_date'].iloc[0].date())
'2014-06-10'
"""

from __future__ import annotations

import pandas as pd

from obec_audit.io.aliases import STUDENT_ALIASES
from obec_audit.io.readers import (
    person_columns,
    DatasetSpec,
    LoadResult,
    clean_columns,
    Progress,
    load_dataset,
    text_column,
)
from obec_audit.schema import REQUIRED_FIELDS, STUDENT_COLUMNS, STUDENT_DTYPES
from obec_audit.text import (
    clean_text,
    parse_be_date,
    parse_grade,
    parse_number,
    parse_sex,
)

__all__ = ["load_students", "STUDENT_SPEC", "finish_students", "STUDENT_FRAME_COLUMNS"]

#: the canonical frame's columns: schema.STUDENT_COLUMNS + id_reason
STUDENT_FRAME_COLUMNS: list[str] = STUDENT_COLUMNS + ["id_reason"]

_SOURCE = ["source_file", "source_row", "source_sheet", "layout"]
_PLAIN_TEXT = [
    "school_name", "first_name", "last_name", "blood_group", "religion", "race", "nationality",
    "disadvantage", "disability", "boarding", "house_no", "moo", "street", "subdistrict",
    "district", "province", "guardian_first_name", "guardian_last_name", "guardian_relation",
    "father_first_name", "father_last_name", "mother_first_name", "mother_last_name",
    "first_name_en", "last_name_en",
]


def _code_text(values: pd.Series) -> pd.Series:
    """Room numbers, student numbers: cleaned, a float's '.0' removed ('1.0' → '1')."""
    return clean_text(values).str.replace(r"^(\d+)\.0+$", r"\1", regex=True)


def finish_students(t: pd.DataFrame) -> pd.DataFrame:
    """Text frame (canonical names) → canonical student frame (vectorised)."""
    out: dict[str, pd.Series] = {}
    for c in _SOURCE:
        out[c] = t[c]
    out.update(person_columns(t))
    out["sex"] = parse_sex(text_column(t, "sex"))
    out["birth_date"] = parse_be_date(text_column(t, "birth_date"))
    out["grade"] = parse_grade(text_column(t, "grade"))
    out["room"] = _code_text(text_column(t, "room"))
    out["student_no"] = _code_text(text_column(t, "student_no"))
    out["weight"] = parse_number(text_column(t, "weight"))
    out["height"] = parse_number(text_column(t, "height"))
    out.update(clean_columns(t, _PLAIN_TEXT))
    out["national_id_raw"] = text_column(t, "national_id")
    for c in ("sex", "birth_date", "grade", "weight", "height"):
        out[f"{c}_raw"] = text_column(t, c)
    return pd.DataFrame(out, index=t.index)


STUDENT_SPEC = DatasetSpec(
    name="students",
    aliases=STUDENT_ALIASES,
    key_any=("national_id", "first_name", "last_name"),
    columns=STUDENT_FRAME_COLUMNS,
    finish=finish_students,
    required=REQUIRED_FIELDS,
    detect_layouts=True,
    school_from_name=True,
    header_hint_th="หัวตาราง (เช่น เลขประจำตัวประชาชน ชื่อ นามสกุล ชั้น)",
    row_kinds=True,
)


def load_students(paths, progress: Progress | None = None) -> LoadResult:
    """Load DMC student lists: a file, a folder (recursive) or a list of them.

    Returns ``LoadResult(frame, findings, files)``: ``frame`` has ``schema.STUDENT_COLUMNS``
    + ``id_reason``, one row per non-blank data row, in input order;
    ``frame.attrs['absent_columns']`` maps each file name to the ``REQUIRED_FIELDS`` it lacks.
    ``progress(done, total, file_name)`` is called after each file.
    """
    return load_dataset(paths, STUDENT_SPEC, progress, dtypes=STUDENT_DTYPES)
