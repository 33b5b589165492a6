"""The test suite's scan for IDs shown in full on a page or in a notebook's outputs."""

from __future__ import annotations

import re

from obec_audit.privacy import ID_IN_TEXT, mask_text

#: an SVG's geometry (long runs of coordinates are no ID)
SVG_GEOMETRY = re.compile(r'\s(?:viewBox|points|d|x|y|x1|x2|y1|y2|cx|cy|r|width|height|transform)="[^"]*"')
#: a UUID (a widget's or a figure's id): its groups can all be digits by chance, as in
#: ``5a1c9f3e-2081-4796-8901-0a1b2c3d4e5f``, which the ID pattern would otherwise read as an ID
UUID = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}(?![0-9A-Za-z])")


def unmasked(text: str) -> list[str]:
    """What the one masking rule would still mask (``4e07`` in a widget's id is no ID)."""
    text = UUID.sub(" ", SVG_GEOMETRY.sub(" ", text))
    found = (m.group(0) for m in ID_IN_TEXT.finditer(text))
    return [f for f in found if mask_text(f) != f]
