"""Text laid out for a terminal, Thai included: widths, cutting and wrapping.

Thai vowels above and below a consonant and tone marks are combining characters: they take no
terminal cell, but they are characters (``len``). Lines are wrapped so that both measures stay
within the width, and never cut between a consonant and its marks or after a leading vowel.
"""

from __future__ import annotations

import unicodedata

__all__ = ["cells", "fit", "wrap"]

_LEADING_VOWELS = "เแโใไ"


def _cut(text: str, width: int) -> int:
    """Where to cut a word longer than ``width``: never before a combining mark (Thai vowels
    above/below, tone marks) nor after a leading vowel."""
    i = width
    while i > 1 and (unicodedata.category(text[i]) == "Mn" or text[i] == "\u0e33"
                     or text[i - 1] in _LEADING_VOWELS):
        i -= 1
    return i


def wrap(text: str, width: int = 100, indent: str = "") -> list[str]:
    """Lines of at most ``width`` characters (combining marks counted), broken at spaces,
    else inside a word (Thai has no spaces between words) at a character boundary.

    >>> wrap("ก" * 5 + " " + "ข" * 5, 8)
    ['กกกกก', 'ขขขขข']
    >>> [len(x) for x in wrap("ตรวจสอบ" * 5, 10)]
    [10, 10, 10, 5]
    """
    lines: list[str] = []
    room = width - len(indent)
    cur = ""
    for word in str(text).split():
        while len(word) > room:
            if cur:
                lines.append(indent + cur)
                cur = ""
            k = _cut(word, room)
            lines.append(indent + word[:k])
            word = word[k:]
        if not cur:
            cur = word
        elif len(cur) + 1 + len(word) <= room:
            cur += " " + word
        else:
            lines.append(indent + cur)
            cur = word
    if cur or not lines:
        lines.append(indent + cur)
    return lines


def cells(text: str) -> int:
    """Terminal cells a text takes: combining marks (Thai vowels above/below) take none."""
    return sum(1 for c in text if unicodedata.category(c) != "Mn")


def fit(text: str, n: int) -> str:
    text = str(text)
    if cells(text) <= n:
        return text
    while cells(text) > n - 1:
        text = text[:-1]
    return text + "…"


