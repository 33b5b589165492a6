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
from collections.abc import Callable

from obec_audit.io.readers import (
    DatasetSpec,
    LoadResult,
    Progress,
    clean_columns,
    id_columns,
    load_dataset,
    school_code_series,
    text_column,
)
from obec_audit.schema import REQUIRED_FIELDS, STUDENT_COLUMNS, STUDENT_DTYPES
from obec_audit.text import (
    canon_title,
    clean_text,
    parse_be_date,
    parse_grade,
    parse_number,
    parse_sex,
)

__all__ = ["load_students", "STUDENT_SPEC", "finish_students", "STUDENT_FRAME_COLUMNS", "COLUMN_RULES",
           "PLAIN_TEXT", "RAW_COLUMNS"]

#: the canonical frame's columns: schema.STUDENT_COLUMNS + id_reason
STUDENT_FRAME_COLUMNS: list[str] = STUDENT_COLUMNS + ["id_reason"]

_SOURCE = ["source_file", "source_row", "source_sheet", "layout"]
#: text columns kept as ``clean_text`` gives them (cleaned together: their values repeat)
PLAIN_TEXT = [
    "school_name", "first_name", "last_name", "blood_group", "religion", "race", "nationality",
    "disadvantage", "disability", "boarding", "house_no", "moo", "street", "subdistrict",
    "district", "province", "guardian_first_name", "guardian_last_name", "guardian_relation",
    "father_first_name", "father_last_name", "mother_first_name", "mother_last_name",
    "first_name_en", "last_name_en",
]
_PLAIN_TEXT = PLAIN_TEXT
#: inputs also kept as read, in ``<name>_raw``
RAW_COLUMNS = ["national_id", "sex", "birth_date", "grade", "weight", "height"]


def _code_text(values: pd.Series) -> pd.Series:
    """Room numbers, student numbers: cleaned, a float's '.0' removed ('1.0' → '1')."""
    return clean_text(values).str.replace(r"^(\d+)\.0+$", r"\1", regex=True)


def _one(name: str, func: Callable[[pd.Series], pd.Series]):
    return lambda s: {name: func(s)}


#: input column → its parsed output columns. Every rule maps each value on its own (the same
#: text gives the same result wherever it stands), so ``io.extract`` may run a rule on a
#: column's distinct values only and gather the results back.
COLUMN_RULES: list[tuple[str, Callable[[pd.Series], dict[str, pd.Series]]]] = [
    ("school_code", _one("school_code", school_code_series)),
    ("national_id", id_columns),
    ("title", _one("title", canon_title)),
    ("sex", _one("sex", parse_sex)),
    ("birth_date", _one("birth_date", parse_be_date)),
    ("grade", _one("grade", parse_grade)),
    ("room", _one("room", _code_text)),
    ("student_no", _one("student_no", _code_text)),
    ("weight", _one("weight", parse_number)),
    ("height", _one("height", parse_number)),
]


def finish_students(t: pd.DataFrame) -> pd.DataFrame:
    """Text frame (canonical names) → canonical student frame (vectorised): ``COLUMN_RULES``,
    ``PLAIN_TEXT`` cleaned, ``RAW_COLUMNS`` kept as read."""
    out: dict[str, pd.Series] = {}
    for c in _SOURCE:
        out[c] = t[c]
    for src, rule in COLUMN_RULES:
        out.update(rule(text_column(t, src)))
    out.update(clean_columns(t, PLAIN_TEXT))
    for c in RAW_COLUMNS:
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
