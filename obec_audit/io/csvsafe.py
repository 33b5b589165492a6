"""CSV files officers open in Excel, safe to open (OWASP "CSV injection"): a text cell that
begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading ``'`` so Excel
shows it as text instead of running it. Plain numbers (``-5``, ``+1.5e3``), IDs and dates are
never changed; a lone ``-`` (DMC's "none") and Excel's own text guard around an ID
(``="1101700230708"``, a constant, not a call) stay as read.

>>> import pandas as pd
>>> df = pd.DataFrame({"v": ['=HYPERLINK("http://x")', "-5", "-", "@SUM(A1)", "สมชาย", "", "\\tx", "+1.5e3"],
...                    "n": [1, 2, 3, 4, 5, 6, 7, 8]})
>>> neutralise(df)["v"].tolist()
['\\'=HYPERLINK("http://x")', '-5', '-', "'@SUM(A1)", 'สมชาย', '', "'\\tx", '+1.5e3']
"""

from __future__ import annotations

import pandas as pd

__all__ = ["neutralise", "neutralise_series", "DANGEROUS_START"]

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = r"[+\-]?(?:[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+\-]?[0-9]+)?"


def neutralise_series(s: pd.Series) -> pd.Series:
    """Text values starting with a formula character get a leading ``'`` (numbers and a lone
    ``-`` excepted); other values and non-text columns are returned unchanged."""
    if not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object):
        return s
    txt = s.astype("string")
    risky = txt.str.startswith(DANGEROUS_START).fillna(False).astype(bool)
    if not risky.any():
        return s
    risky &= ~txt.str.fullmatch(_NUMBER).fillna(False).astype(bool)
    risky &= ~txt.str.fullmatch(r"-+").fillna(False).astype(bool)
    risky &= ~txt.str.fullmatch(r'="[0-9A-Za-z๐-๙\- ]*"').fillna(False).astype(bool)
    if not risky.any():
        return s
    out = s.astype(object).copy()
    out[risky] = "'" + txt[risky]
    return out.astype(s.dtype) if isinstance(s.dtype, pd.StringDtype) else out


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text columns are safe to open in Excel (``neutralise_series``)."""
    cols = {c: neutralise_series(df[c]) for c in df.columns}
    if all(cols[c] is df[c] for c in df.columns):
        return df
    return pd.DataFrame(cols, index=df.index)
