"""Text that comes back as written: the ToUnicode maps of the fonts, completed after ReportLab.

ReportLab writes a ToUnicode map per font subset that maps each code to the character it was
drawn with. For glyphs that have no character of their own (Arabic contextual forms, lam-alef,
an empty glyph for the zero-width non-joiner) the renderer drew private-use codes
(`fonts.code_for`); this step replaces those entries by the letters each glyph stands for, so
pdfminer, MuPDF and poppler extract the names exactly, with no presentation forms and no
private-use code points. Right-to-left runs are drawn glyph by glyph in logical order
(`textlayout.BidiParagraph.draw`), which is the order these tools read them in.
"""

from __future__ import annotations

import re

import pikepdf

from app.pdf.fonts import WRITTEN

_BFCHAR = re.compile(rb"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4})>")


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-be").hex().upper().encode("ascii")


def fix_to_unicode(pdf: pikepdf.Pdf) -> int:
    """Rewrite the private-use entries of every ToUnicode map; returns how many fonts changed."""
    changed = 0
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", pikepdf.Dictionary()).get("/Font", pikepdf.Dictionary())
        for _, font in fonts.items():
            if font.objgen in seen or "/ToUnicode" not in font:
                continue
            seen.add(font.objgen)
            base = str(font.get("/BaseFont", ""))
            table = WRITTEN.get(base.lstrip("/").split("+", 1)[-1])
            if not table:
                continue
            stream = font.ToUnicode
            data = stream.read_bytes()

            def replace(match: re.Match[bytes], table: dict[int, str] = table) -> bytes:
                text = table.get(int(match.group(2), 16))
                if text is None:
                    return match.group(0)
                # Never drawn as text (textlayout draws such glyphs as outlines); a zero-width
                # space only keeps the map valid.
                return b"<" + match.group(1) + b"> <" + _utf16(text or "\u200b") + b">"

            new = _BFCHAR.sub(replace, data)
            if new != data:
                stream.write(new)
                changed += 1
    return changed
