"""What a page holds: the staff / M-OBEC / B-OBEC checks judge only the columns a file has.

A loaded frame carries ``attrs["absent_columns"]`` (file name → canonical columns it lacks).
``lacks(df, col)`` marks the rows whose file lacks ``col`` (a check leaves them out), and
``incomplete_notes`` turns the absences into one note per file × missing column (what the
page lacks and what the school should fill in), plus one per file whose school could not be
identified (``school_code`` empty on its rows).
"""

from __future__ import annotations

import pandas as pd

from obec_audit.checks._common import col_str
from obec_audit.checks.registry import findings
from obec_audit.schema import empty_findings

__all__ = ["absent_of", "lacks", "incomplete_notes"]


def absent_of(df: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """file name → the canonical columns it lacks (empty without ``attrs``)."""
    return dict(df.attrs.get("absent_columns") or {})


def lacks(df: pd.DataFrame, *columns: str) -> pd.Series:
    """True for the rows whose file lacks any of ``columns``. Without ``attrs`` (a hand-made
    frame), a column the frame itself does not have, nor as ``<column>_raw``, counts as lacking
    everywhere."""
    if any(c not in df.columns and f"{c}_raw" not in df.columns for c in columns):
        return pd.Series(True, index=df.index)
    absent = absent_of(df)
    files = {f for f, cols in absent.items() if set(cols) & set(columns)}
    if not files:
        return pd.Series(False, index=df.index)
    return col_str(df, "source_file").isin(files).fillna(False).astype(bool)


def _file_school(df: pd.DataFrame) -> dict[str, str]:
    t = pd.DataFrame({"f": col_str(df, "source_file"), "s": col_str(df, "school_code")}).dropna()
    if len(t) == 0:
        return {}
    return t.groupby("f")["s"].agg(lambda x: x.value_counts().index[0]).to_dict()


def incomplete_notes(df: pd.DataFrame, code: str, labels: dict[str, tuple[str, str]],
                     page_th: str) -> pd.DataFrame:
    """One finding per file × column of ``labels`` the file lacks, and per file with rows of
    unknown school. ``labels``: column → (its Thai header, what goes unchecked without it)."""
    absent = absent_of(df)
    schools = _file_school(df)
    recs = []
    for f, cols in absent.items():
        for c in labels:
            if c in cols:
                head, unchecked = labels[c]
                recs.append((f, c, f"ไม่มีคอลัมน์ {head}",
                             f"หน้า{page_th} แฟ้ม {f} ไม่มีคอลัมน์ '{head}' จึงยังตรวจ{unchecked}ไม่ได้: "
                             f"โรงเรียนกรอก{head}ให้ครบทุกแถวในระบบ แล้วส่งหน้าที่มีคอลัมน์นี้มาใหม่"))
    unknown = col_str(df, "school_code").isna()
    for f in pd.unique(col_str(df, "source_file")[unknown].dropna()):
        recs.append((f, "school_code", "ไม่ระบุโรงเรียน",
                     f"แฟ้ม {f} ไม่ระบุว่าเป็นของโรงเรียนใด (ไม่มีคอลัมน์รหัสโรงเรียน และชื่อแฟ้มหรือหัวเรื่อง"
                     "ไม่มีรหัสโรงเรียน): ตั้งชื่อแฟ้มด้วยรหัสโรงเรียน 8 หลัก (SMIS) หรือ 10 หลัก "
                     "หรือเพิ่มคอลัมน์ รหัสโรงเรียน แล้วส่งใหม่"))
    if not recs:
        return empty_findings()
    t = pd.DataFrame(recs, columns=["source_file", "field", "value", "message"])
    rows = pd.DataFrame({
        "school_code": t["source_file"].map(schools).astype("string"),
        "source_file": t["source_file"].astype("string"),
        "source_row": pd.array([pd.NA] * len(t), dtype="Int64"),
    })
    return findings(rows, code, field=t["field"].astype("string"), value=t["value"].astype("string"),
                    message=t["message"].astype("string"))
