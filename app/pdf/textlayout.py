"""Mixed-script, mixed-direction paragraphs: bidi levels, font fallback, HarfBuzz shaping, lines.

ReportLab's own Paragraph shapes word by word but orders words right-to-left only through `rlbidi`,
which is not on PyPI; so this module does the layout of every text in the PIP document itself,
with well-kept libraries for the hard parts:

1. the Unicode Bidirectional Algorithm (UAX #9) of python-bidi resolves an embedding level for each
   character, with the base direction forced by the language (an Arabic text that starts with a
   Latin name is still right-to-left);
2. each character gets the first bundled font that has it (fonts.json order), so Latin names,
   digits, V-nummers and "B1" inside Arabic or Ethiopic text are drawn by the Latin font;
3. runs of one level and one font are shaped by HarfBuzz (uharfbuzz) in their own direction, which
   joins Arabic letters and mirrors brackets;
4. lines are broken at spaces on the logical text, then each line is put in visual order with
   python-bidi's reordering rules (L1, L2).

Text is never parsed as markup: `<font color="red">A&B</font>` is drawn as those characters.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bidi import algorithm as uba
from reportlab.lib.colors import Color, black
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr
from reportlab.platypus.flowables import Flowable

from app.pdf import tagging
from app.pdf.fonts import Face, FontSet, choose_face, register_fonts
from app.pdf.shaping import CARRIER_STEP, draw_outlines, shaper

_RTL_TYPES = frozenset({"R", "AL", "RLE", "RLO", "RLI"})
# Directional formatting characters: they steer the bidi algorithm and are not drawn.
_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LTR_START, LTR_END = "\u202a", "\u202c"  # LRE ... PDF: keeps '1994-03' or 'V 123' intact in RTL text
# Spaces a line never breaks at: they keep '4 mei 2026' together (Formatter.date).
_NO_BREAK = frozenset("\u00a0\u2007\u202f")


def _breaks(text: str) -> bool:
    """A run of spaces a line may break at."""
    return text.isspace() and not any(ch in _NO_BREAK for ch in text)


def ltr(text: str) -> str:
    """Embed a number, date or Latin name left-to-right inside right-to-left text.

    Without it the bidi algorithm rightly treats '1994-03' after Arabic letters as two Arabic-context
    numbers around a separator and shows '03-1994'."""
    return f"{LTR_START}{text}{LTR_END}"


@dataclass
class GlyphLog:
    """What one rendering drew: the characters per font, and characters no bundled font has."""

    used: dict[str, set[str]] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)

    def record(self, face: Face, text: str) -> None:
        self.used.setdefault(face.name, set()).update(text)


@dataclass(frozen=True)
class Span:
    """A stretch of text in one weight; a paragraph is one or more spans."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class _Piece:
    start: int  # logical index of the first character in the sub-paragraph
    end: int
    level: int
    face: Face
    size: float  # point size after the face's scale
    shaped: ShapedStr
    width: float
    is_space: bool
    text: str  # the logical text of the piece, as written
    outlines: frozenset[int] = frozenset()  # glyphs drawn as outlines, not text (see shaping.py)
    carriers: dict[int, tuple[int, ...]] = field(default_factory=dict)  # letters before a glyph


@dataclass(frozen=True)
class _Line:
    pieces: tuple[_Piece, ...]  # visual order, left to right
    width: float


_elements = itertools.count(1)  # structure element numbers: the pieces of a split paragraph share one
_block_cache: dict[tuple[Any, ...], tuple[list[_Piece], list[dict[str, Any]], int, GlyphLog]] = {}


def _clean(text: str) -> str:
    """Tabs become spaces; other control characters cannot be printed and are left out, and so are the
    emoji/text presentation selectors (a PDF of text fonts draws "✔️" as the text-style "✔")."""
    text = text.replace("\t", " ").replace("\u00ad", "").replace("\ufe0e", "").replace("\ufe0f", "")
    # Arabic presentation forms (a name pasted from an old system: "ﻻ") become the letters they
    # show; HarfBuzz draws the same shapes, and the PDF's text is the letters, in logical order.
    text = _PRESENTATION_FORMS.sub(lambda found: unicodedata.normalize("NFKC", found.group(0)), text)
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")


_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefc]")


def uncovered(texts: Iterable[str], fonts: FontSet | None = None) -> set[str]:
    """The characters of `texts` that no bundled font has, in regular or in bold: they would print as
    empty boxes (emoji, CJK). Checked before a document is written, so none is ever half made."""
    fonts = fonts or register_fonts()
    weights = [[face for face in fonts.all_faces() if face.bold == bold] for bold in (False, True)]
    found: set[str] = set()
    for text in texts:
        for ch in set(_clean(text)) - found:
            if ch == "\n" or ch in _CONTROLS:
                continue
            if any(not any(face.covers(ch) for face in faces) for faces in weights):
                found.add(ch)
    return found


def _levels(text: str, rtl_base: bool) -> tuple[list[dict[str, Any]], int]:
    """Embedding levels per character (UAX #9 rules P-I), by python-bidi."""
    base = 1 if rtl_base else 0
    storage = uba.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = "R" if rtl_base else "L"
    if not rtl_base and not any(unicodedata.bidirectional(ch) in _RTL_TYPES for ch in text):
        chars = [{"ch": ch, "level": 0, "type": "L", "orig": unicodedata.bidirectional(ch)} for ch in text]
        return chars, base
    uba.get_embedding_levels(text, storage)
    for index, entry in enumerate(storage["chars"]):
        entry["idx"] = index
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    # Rule X9 drops embedding controls and boundary neutrals (such as the zero-width non-joiner in
    # Persian words) from the sequence; they take the level of the character before them.
    resolved: list[dict[str, Any]] = []
    kept = iter(storage["chars"])
    upcoming = next(kept, None)
    for index, ch in enumerate(text):
        if upcoming is not None and upcoming["idx"] == index:
            resolved.append(upcoming)
            upcoming = next(kept, None)
        else:
            level = resolved[-1]["level"] if resolved else base
            resolved.append({"ch": ch, "level": level, "type": "BN", "orig": "BN", "idx": index})
    return resolved, base


def _visual_order(line: list[_Piece], chars: list[dict[str, Any]], base: int) -> list[_Piece]:
    """Reorder the pieces of one line with python-bidi's rules L1 and L2."""
    if base == 0 and all(p.level == 0 for p in line):
        return line
    owner: dict[int, int] = {}
    sub: list[dict[str, Any]] = []
    for number, piece in enumerate(line):
        for index in range(piece.start, piece.end):
            entry = dict(chars[index])
            entry["idx"] = index
            owner[index] = number
            sub.append(entry)
    storage = uba.get_empty_storage()
    storage["base_level"] = base
    storage["chars"] = sub
    uba.reorder_resolved_levels(storage, False)
    # A piece has one level, so its characters stay together: the first one found places it.
    seen = dict.fromkeys(owner[entry["idx"]] for entry in storage["chars"])
    return [line[number] for number in seen]


class BidiParagraph(Flowable):
    """A paragraph of plain (never marked-up) text in any of the bundled scripts and directions."""

    def __init__(
        self,
        content: str | Sequence[Span],
        *,
        script: str,
        rtl: bool,
        size: float = 9.5,
        leading: float = 1.45,
        align: str = "start",
        color: Color = black,
        language: str | None = None,
        log: GlyphLog | None = None,
        space_before: float = 0.0,
        space_after: float = 0.0,
        fonts: FontSet | None = None,
    ) -> None:
        super().__init__()
        spans = [Span(content)] if isinstance(content, str) else list(content)
        self.spans = [Span(_clean(span.text), span.bold) for span in spans]
        self.script = script
        self.rtl = rtl
        self.size = size
        self.leading_factor = leading
        self.align = align
        self.color = color
        self.language = language
        self.log = log
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.fonts = fonts or register_fonts()
        # Its place in the structure tree (see tagging.py): the builder sets role, lang and part.
        self.role = "P"
        self.lang: str | None = None
        self.part = (0, 0)
        self.element = next(_elements)
        self._lines: list[_Line] = []
        self._line_height = size * leading
        self._laid_out_for: float | None = None
        self._fixed = False  # a part made by split(): its lines are final
        # Shaping does not depend on the width; tables ask for several widths, so both are kept.
        self._blocks: list[tuple[str, list[_Piece], list[dict[str, Any]], int]] | None = None
        self._layouts: dict[float, tuple[list[_Line], float]] = {}

    # -- layout ---------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)

    @property
    def lines(self) -> tuple[_Line, ...]:
        """The laid-out lines (after `wrap`), top to bottom; each has its pieces in visual order,
        left to right, and its width."""
        return tuple(self._lines)

    def _pieces(self, text: str, bold_at: list[bool]) -> tuple[list[_Piece], list[dict[str, Any]], int]:
        chars, base = _levels(text, self.rtl)
        pieces: list[_Piece] = []
        start = 0
        previous: Face | None = None
        faces: list[Face] = []
        chains = {bold: self.fonts.chain(self.script, bold) for bold in (False, True)}
        for index, ch in enumerate(text):
            chain = chains[bold_at[index]]
            if ch in _CONTROLS:
                faces.append(previous or chain[0])  # invisible: never shaped nor drawn
                continue
            face = choose_face(ch, chain, previous if previous and previous.bold == bold_at[index] else None)
            if face is None:
                if self.log is not None:
                    self.log.missing.add(ch)
                face = chain[0]
            faces.append(face)
            previous = face
        for index in range(1, len(text) + 1):
            boundary = index == len(text)
            if not boundary:
                space_change = _breaks(text[index]) != _breaks(text[index - 1])
                control_change = (text[index] in _CONTROLS) != (text[index - 1] in _CONTROLS)
                boundary = (
                    space_change
                    or control_change
                    or faces[index] is not faces[start]
                    or chars[index]["level"] != chars[start]["level"]
                )
            if boundary:
                pieces.append(self._make_piece(text, start, index, chars[start]["level"], faces[start]))
                start = index
        return pieces, chars, base

    def _make_piece(self, text: str, start: int, end: int, level: int, face: Face) -> _Piece:
        segment = text[start:end]
        size = self.size * face.scale
        if segment[0] in _CONTROLS:
            return _Piece(start, end, level, face, size, ShapedStr("", shapeData=[]), 0.0, False, segment)
        with shaper.lock:
            shaped, unit_width, missing, outlines, carriers = shaper.shape(
                face, segment, level % 2 == 1, self.language
            )
        if self.log is not None:
            self.log.record(face, segment)
            self.log.missing.update(missing)
        width = unit_width * size
        return _Piece(
            start, end, level, face, size, shaped, width, _breaks(segment), segment, outlines, carriers
        )

    def _break_long(self, text: str, piece: _Piece, max_width: float) -> list[_Piece]:
        """Split a word wider than the column (a long e-mail address) at character boundaries."""
        length = piece.end - piece.start
        per_char = max(piece.width / max(length, 1), 0.1)
        step = max(int(max_width / per_char) - 1, 1)
        parts = []
        for begin in range(piece.start, piece.end, step):
            parts.append(self._make_piece(text, begin, min(begin + step, piece.end), piece.level, piece.face))
        return parts

    def _shaped_blocks(self) -> list[tuple[str, list[_Piece], list[dict[str, Any]], int]]:
        if self._blocks is None:
            blocks: list[tuple[str, list[_Piece], list[dict[str, Any]], int]] = []
            offset = 0
            bold_at = [span.bold for span in self.spans for _ in span.text]
            for block in self.text.split("\n"):
                block_bold = bold_at[offset : offset + len(block)]
                offset += len(block) + 1
                if not block:
                    blocks.append((block, [], [], 0))
                    continue
                key = (
                    block,
                    tuple(block_bold),
                    self.script,
                    self.rtl,
                    self.size,
                    self.language,
                    id(self.fonts),
                    shaper.carriers_enabled,
                )
                hit = _block_cache.get(key)
                if hit is None:
                    # Shaped pieces are immutable: the same text (a heading, a standard text) in the
                    # next document or language reuses them.
                    own_log, self.log = self.log, GlyphLog()
                    try:
                        pieces, chars, base = self._pieces(block, block_bold)
                    finally:
                        block_log, self.log = self.log, own_log
                    hit = (pieces, chars, base, block_log)
                    if len(_block_cache) > 20_000:
                        _block_cache.clear()
                    _block_cache[key] = hit
                pieces, chars, base, block_log = hit
                if self.log is not None:
                    for name, used in block_log.used.items():
                        self.log.used.setdefault(name, set()).update(used)
                    self.log.missing.update(block_log.missing)
                blocks.append((block, pieces, chars, base))
            self._blocks = blocks
        return self._blocks

    def _layout(self, width: float) -> None:
        cached = self._layouts.get(width)
        if cached is not None:
            self._lines, self._line_height = cached
            return
        lines: list[_Line] = []
        max_scale = 1.0
        for block, pieces, chars, base in self._shaped_blocks():
            if not block:
                lines.append(_Line((), 0.0))
                continue
            max_scale = max([max_scale, *[p.face.scale for p in pieces]])
            current: list[_Piece] = []
            current_width = 0.0
            pending: list[_Piece] = []  # spaces waiting for the next word
            words: list[list[_Piece]] = []
            word: list[_Piece] = []
            for piece in pieces:
                if piece.is_space:
                    if word:
                        words.append(word)
                        word = []
                    words.append([piece])
                else:
                    word.append(piece)
            if word:
                words.append(word)
            for group in words:
                if group[0].is_space:
                    if current:
                        pending.extend(group)
                    continue
                group_width = sum(p.width for p in group)
                space_width = sum(p.width for p in pending)
                if current and current_width + space_width + group_width > width:
                    lines.append(self._finish(current, chars, base))
                    current, current_width, pending = [], 0.0, []
                    space_width = 0.0
                if group_width > width and not current:
                    split: list[_Piece] = []
                    for piece in group:
                        split.extend(
                            self._break_long(block, piece, width) if piece.width > width else [piece]
                        )
                    for piece in split:
                        if current and current_width + piece.width > width:
                            lines.append(self._finish(current, chars, base))
                            current, current_width = [], 0.0
                        current.append(piece)
                        current_width += piece.width
                    continue
                current.extend(pending)
                current.extend(group)
                current_width += space_width + group_width
                pending = []
            if current:
                lines.append(self._finish(current, chars, base))
        self._lines = lines
        self._line_height = self.size * self.leading_factor * max_scale
        self._layouts[width] = (lines, self._line_height)

    def _finish(self, pieces: list[_Piece], chars: list[dict[str, Any]], base: int) -> _Line:
        ordered = _visual_order(pieces, chars, base)
        return _Line(tuple(ordered), sum(p.width for p in ordered))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._laid_out_for != availWidth and not self._fixed:
            self._layout(availWidth)
            self._laid_out_for = availWidth
        self.width = availWidth
        self.height = len(self._lines) * self._line_height
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        fits = int(availHeight // self._line_height)
        if fits >= len(self._lines) or fits < min(2, len(self._lines)):
            # Nothing to split off, or a single line left alone at the foot of the page: ReportLab
            # moves the whole paragraph on.
            return []
        first, rest = self._copy(self._lines[:fits]), self._copy(self._lines[fits:])
        first.spaceAfter = 0
        rest.spaceBefore = 0
        return [first, rest]

    def _copy(self, lines: list[_Line]) -> BidiParagraph:
        clone = BidiParagraph.__new__(BidiParagraph)
        clone.__dict__.update(self.__dict__)
        clone._lines = lines
        clone._fixed = True
        return clone

    # -- drawing --------------------------------------------------------------------------------

    def draw(self) -> None:
        canvas = self.canv
        align = self.align
        if align == "start":
            align = "right" if self.rtl else "left"
        elif align == "end":
            align = "left" if self.rtl else "right"
        log = tagging.tag_log(canvas)
        if log is not None:
            log.begin(canvas, self.role, self.lang, self.part, self.element)
        y = self.height
        for line in self._lines:
            y -= self._line_height
            baseline = y + self._line_height * 0.3
            if align == "right":
                x = self.width - line.width
            elif align == "center":
                x = (self.width - line.width) / 2
            else:
                x = 0.0
            text = canvas.beginText()
            text.setFillColor(self.color)
            outlined: list[tuple[Face, float, float, float, ShapedStr]] = []
            for face, size, start_x, shaped, pieces in self._runs(line, x):
                text.setFont(face.name, size)
                if any(piece.level % 2 or piece.outlines for piece in pieces):
                    # Glyph by glyph in logical order, each at its place: extraction tools read
                    # the drawing order, so a right-to-left name comes back as it was written.
                    for glyph_x, rise, glyph, outline in _logical_glyphs(pieces, start_x, size):
                        if outline:
                            outlined.append((face, size, glyph_x, baseline + rise, glyph))
                            continue
                        text.setTextOrigin(glyph_x, baseline + rise)
                        text.textOut(glyph)
                else:
                    text.setTextOrigin(start_x, baseline)
                    text.textOut(shaped)
            canvas.drawText(text)
            if outlined:
                draw_outlines(canvas, outlined, self.color)
        if log is not None:
            tagging.end(canvas)

    @staticmethod
    def _runs(line: _Line, x: float) -> list[tuple[Face, float, float, ShapedStr, list[_Piece]]]:
        """Neighbouring pieces in one font drawn as one string: fewer text operators, same glyphs
        and positions, because each piece's advances are in its shape data."""
        runs: list[tuple[Face, float, float, ShapedStr, list[_Piece]]] = []
        for piece in line.pieces:
            if piece.shaped:
                last = runs[-1] if runs else None
                if last is not None and last[0] is piece.face and last[1] == piece.size and last[2] <= x:
                    runs[-1] = (last[0], last[1], last[2], last[3] + piece.shaped, [*last[4], piece])
                else:
                    runs.append((piece.face, piece.size, x, piece.shaped, [piece]))
            elif runs and piece.width == 0:
                pass  # an invisible control character: the run goes on
            else:
                runs.append((piece.face, -1.0, x, ShapedStr("", shapeData=[]), []))  # breaks the run
            x += piece.width
        return [run for run in runs if run[1] > 0 and run[3]]


def _logical_glyphs(
    pieces: list[_Piece], x: float, size: float
) -> list[tuple[float, float, ShapedStr, bool]]:
    """The glyphs of a run (pieces in visual order) with their x, rise and whether to draw them as
    an outline, in logical order. The HarfBuzz offsets go into the position (ReportLab's text
    object cannot start with a rise)."""
    placed: list[tuple[int, float, float, float, ShapedStr, bool]] = []
    for piece in pieces:
        data = piece.shaped.__shapeData__
        for index, (char, shape) in enumerate(zip(piece.shaped, data, strict=True)):
            # HarfBuzz reverses the clusters of a right-to-left piece, not the glyphs inside one:
            # the index keeps a letter's glyphs (base, then marks) in their order.
            glyph = ShapedStr(char, shapeData=[shape._replace(x_offset=0, y_offset=0)])
            glyph_x = x + shape.x_offset * size / 1000.0
            rise = shape.y_offset * size / 1000.0
            outline = index in piece.outlines
            advance = shape.x_advance * size / 1000.0
            cluster = piece.start + shape.cluster
            placed.append((cluster, index, glyph_x, rise, glyph, outline))
            codes = piece.carriers.get(index, ())
            for number, code in enumerate(codes, start=1):
                # Just left of the glyph's origin, where its next letter is (see shaping.py).
                carrier = ShapedStr(chr(code), shapeData=[ShapeData(shape.cluster, 0.0, 0.0, 0.0, 0.0, 0.0)])
                carrier_x = glyph_x - number * CARRIER_STEP * size
                placed.append((cluster, index + number / (len(codes) + 1), carrier_x, rise, carrier, False))
            x += advance
    placed.sort(key=lambda item: (item[0], item[1]))
    return [(gx, rise, glyph, outline) for _, _, gx, rise, glyph, outline in placed]
