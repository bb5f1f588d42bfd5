"""HarfBuzz shaping for ReportLab, with codes that map each glyph back to the text as written.

`shaper.shape()` turns a run of one font, level and language into a ReportLab `ShapedStr` whose
codes carry, through the fonts' ToUnicode maps (`fonts.code_for`, `unicode.py`), the letters each
glyph stands for; glyphs that cannot carry letters of their own are drawn as outlines
(`draw_outlines`). In right-to-left text a glyph that stands for several letters (lam-alef, a
letter with the zero-width non-joiner or a mark after it) carries only its first letter; the rest
goes on an invisible zero-advance carrier glyph (the font's empty ZWNJ glyph) drawn after it, just
left of its origin (`carriers`), because poppler lays a glyph's letters out left to right and so
returned "عالء" for "علاء".
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Sequence
from typing import Any

import uharfbuzz
from reportlab.lib.colors import Color
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

from app.pdf.fonts import Face, code_for

_FEATURES = {"kern": True, "liga": True}

# The shaped string, its width per point, missing characters, glyphs drawn as outlines, and per
# glyph index the codes of the carrier glyphs drawn before it (logical order).
_Shaped = tuple[ShapedStr, float, str, frozenset[int], dict[int, tuple[int, ...]]]
# How far left of its glyph's origin a carrier goes, in ems: poppler 22.12 keeps it in the word
# only within about 0.02 em (beyond that it puts a space before it).
CARRIER_STEP = 0.005


class Shaper:
    """HarfBuzz shaping with a cache: a PIP repeats many texts across eight languages."""

    def __init__(self) -> None:
        self._hb_fonts: dict[str, Any] = {}
        self._carrier_gids: dict[str, int | None] = {}
        self.carriers_enabled = True  # off only to compare renderings (tests)
        self._cache: dict[tuple[str, str, bool, str | None, bool], _Shaped] = {}
        self.lock = threading.RLock()

    def hb_font(self, face: Face) -> Any:
        hb_font = self._hb_fonts.get(face.name)
        if hb_font is None:
            hb_font = self._hb_fonts[face.name] = face.ttf.hbFont(12)
        return hb_font

    def carrier_gid(self, face: Face) -> int | None:
        """An empty glyph with no advance (the font's zero-width non-joiner or space) to carry a
        letter as text; None when the font has none, and then a glyph keeps all its letters."""
        if face.name not in self._carrier_gids:
            found = None
            hb_font = self.hb_font(face)
            for char in ("\u200c", "\u200b", "\u2060"):
                gid = face.ttf.face.charToGlyph.get(ord(char))
                if not gid or hb_font.get_glyph_h_advance(gid):
                    continue
                extents = hb_font.get_glyph_extents(gid)
                if extents is None or (extents.width == 0 and extents.height == 0):
                    found = gid
                    break
            self._carrier_gids[face.name] = found
        return self._carrier_gids[face.name]

    def shape(self, face: Face, text: str, rtl: bool, language: str | None) -> _Shaped:
        """The shaped string (glyphs as characters ReportLab can draw), its width per point of size,
        the characters the font had no glyph for, the glyphs to draw as outlines and the carrier
        codes per glyph (see the module's docstring)."""
        key = (face.name, text, rtl, language, self.carriers_enabled)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        ttf = face.ttf
        hb_font = self.hb_font(face)
        buf = uharfbuzz.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        buf.direction = "rtl" if rtl else "ltr"
        if language:
            buf.language = language
        buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
        uharfbuzz.shape(hb_font, buf, _FEATURES)
        chars: list[str] = []
        data: list[ShapeData] = []
        missing = ""
        total = 0.0
        char_widths = ttf.face.charWidths
        infos, positions = buf.glyph_infos, buf.glyph_positions
        written = _cluster_texts(text, [info.cluster for info in infos])
        carrier = self.carrier_gid(face) if rtl and self.carriers_enabled else None
        outlines = _merge_unadvanced(written, infos, positions, merge_marks=carrier is not None)
        carriers: dict[int, tuple[int, ...]] = {}
        for index, (info, pos, glyph_text) in enumerate(zip(infos, positions, written, strict=True)):
            gid = info.codepoint
            if gid == 0:
                missing += text[info.cluster]
            x_advance = ttf.pdfScale(pos.x_advance)
            if carrier is not None and len(glyph_text) > 1 and index not in outlines:
                # One carrier for all the rest: pdfminer starts a new line between two glyphs
                # without width.
                carriers[index] = (code_for(ttf, carrier, glyph_text[1:], 0.0),)
                glyph_text = glyph_text[0]
            # The code each glyph is drawn with maps back (ToUnicode) to the letters it stands
            # for, so a contextual form or a ligature extracts as the text as written.
            code = code_for(ttf, gid, glyph_text, x_advance)
            chars.append(chr(code))
            data.append(
                ShapeData(
                    info.cluster,
                    x_advance,
                    ttf.pdfScale(pos.y_advance),
                    ttf.pdfScale(pos.x_offset),
                    ttf.pdfScale(pos.y_offset),
                    char_widths.get(code, x_advance),
                )
            )
            total += x_advance
        shaped = ShapedStr("".join(chars), shapeData=data)
        result = (shaped, total / 1000.0, missing, outlines, carriers)
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[key] = result
        return result


def _merge_unadvanced(
    written: list[str], infos: Sequence[Any], positions: Sequence[Any], merge_marks: bool = False
) -> frozenset[int]:
    """Glyphs that stand for a letter but have no advance of their own (the second half of Noto
    Naskh's lam-alef, the empty glyph of a zero-width non-joiner): poppler reads such a glyph as
    a duplicate and splits the word there. Their letters go to the glyph before them in logical
    order, and they are drawn as outlines (same ink, no text). With `merge_marks` (right-to-left
    text with carriers) combining marks go the same way: poppler orders a mark by its position and
    so puts a shadda over the right half of a letter before that letter. Returns their indexes."""
    order = sorted(range(len(infos)), key=lambda i: infos[i].cluster)
    merged: set[int] = set()
    previous: int | None = None
    for index in order:
        text = written[index]
        if not text:
            merged.add(index)  # a second glyph of one letter: ink only, its letter is on the first
            continue
        zero = positions[index].x_advance == 0
        mark = unicodedata.category(text[0]).startswith("M")
        if zero and previous is not None and (merge_marks or not mark):
            written[previous] += text
            written[index] = ""
            merged.add(index)
            continue
        if written[index]:
            previous = index
    return frozenset(merged)


def _cluster_texts(text: str, clusters: list[int]) -> list[str]:
    """The characters each glyph stands for: its cluster's text for the first glyph of a cluster
    in logical order, nothing for the others (a mark drawn as a second glyph of its letter)."""
    starts = sorted(set(clusters))
    ends = {start: (starts[i + 1] if i + 1 < len(starts) else len(text)) for i, start in enumerate(starts)}
    order = sorted(range(len(clusters)), key=lambda i: clusters[i])  # stable: logical order
    written = [""] * len(clusters)
    seen: set[int] = set()
    for index in order:
        cluster = clusters[index]
        if cluster not in seen:
            seen.add(cluster)
            written[index] = text[cluster : ends[cluster]]
    return written


shaper = Shaper()


class _PathPen:
    """A fontTools-style pen that draws HarfBuzz's glyph outline into a ReportLab path."""

    def __init__(self, path: Any, x: float, y: float, scale: float) -> None:
        self.path, self.x, self.y, self.scale = path, x, y, scale
        self.current = (0.0, 0.0)

    def _at(self, point: tuple[float, float]) -> tuple[float, float]:
        return self.x + point[0] * self.scale, self.y + point[1] * self.scale

    def moveTo(self, point: tuple[float, float]) -> None:  # noqa: N802
        self.path.moveTo(*self._at(point))
        self.current = point

    def lineTo(self, point: tuple[float, float]) -> None:  # noqa: N802
        self.path.lineTo(*self._at(point))
        self.current = point

    def curveTo(self, *points: tuple[float, float]) -> None:  # noqa: N802
        c1, c2, end = points[-3:]
        self.path.curveTo(*self._at(c1), *self._at(c2), *self._at(end))
        self.current = end

    def qCurveTo(self, *points: tuple[float, float]) -> None:  # noqa: N802
        # Each quadratic segment as the cubic that draws the same curve; TrueType's implied
        # on-curve points lie halfway between two control points.
        controls, end = list(points[:-1]), points[-1]
        for index, (cx, cy) in enumerate(controls):
            if index == len(controls) - 1:
                target = end
            else:
                nx, ny = controls[index + 1]
                target = ((cx + nx) / 2, (cy + ny) / 2)
            sx, sy = self.current
            tx, ty = target
            c1 = (sx + 2 / 3 * (cx - sx), sy + 2 / 3 * (cy - sy))
            c2 = (tx + 2 / 3 * (cx - tx), ty + 2 / 3 * (cy - ty))
            self.curveTo(c1, c2, target)

    def closePath(self) -> None:  # noqa: N802
        self.path.close()


def draw_outlines(
    canvas: Any, glyphs: list[tuple[Face, float, float, float, ShapedStr]], color: Color
) -> None:
    """Glyphs drawn as filled outlines: the same ink as text, with no character to extract."""
    canvas.saveState()
    canvas.setFillColor(color)
    for face, size, x, y, glyph in glyphs:
        ttf = face.ttf
        gid = ttf.face.charToGlyph.get(ord(str(glyph)))
        if gid is None:
            continue
        path = canvas.beginPath()
        with shaper.lock:
            shaper.hb_font(face).draw_glyph_with_pen(gid, _PathPen(path, x, y, size / ttf.face.unitsPerEm))
        canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
