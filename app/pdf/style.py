"""Page geometry, type sizes and colours of the PIP document, in one place.

`render.py` (the story), `builder.py` (the parts) and `page.py` (header and footer) all read these;
none of them imports another for a measurement.
"""

from __future__ import annotations

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 16 * mm
HEADER_MIN_HEIGHT = 27 * mm  # the header grows with long names (see page.PageDecorator.height)
FOOTER_HEIGHT = 16 * mm  # 4 mm of it: the unreviewed-translation notice above the rule (issue 19)
GUTTER = 7 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
BODY_SIZE = 9.0

GREY = HexColor("#5a5a5a")
ACCENT = HexColor("#1f4e79")
RULE = HexColor("#b8c4d0")
NOTE = HexColor("#8a4b00")
CONCEPT_RED = HexColor("#c0392b")
WATERMARK = Color(0.75, 0.15, 0.12, alpha=0.13)
