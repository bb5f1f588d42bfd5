"""The bundled fonts: which file draws which script, registered with ReportLab on first use.

resources/fonts/fonts.json maps an ISO 15924 script code to a regular and a bold font file and gives
the order of fallback fonts, so a language with a new script is added by data, not code.

A face is parsed and registered only when a document first needs it (a Dutch + Arabic PIP never
loads the Ethiopic or symbol fonts). Whether a name is registered is asked of ReportLab's registry
list, never with `pdfmetrics.getFont(name)`: for an unknown name that searches and parses every AFM
file on the Type 1 search path (about 0.03 s per call here).
"""

from __future__ import annotations

import json
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.i18n import _
from app.resources import resources_dir


class FontConfigError(RuntimeError):
    """fonts.json or a font file is missing or wrong; the message says which."""


@dataclass(frozen=True, eq=False)
class Face:
    name: str  # the name registered with ReportLab
    script: str
    bold: bool
    path: Path
    scale: float  # relative size, so Arabic and Latin look alike at one nominal size
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def ttf(self) -> TTFont:
        """The ReportLab font, parsed and registered the first time it is asked for."""
        return self._font

    @cached_property
    def _font(self) -> TTFont:
        with self._lock:
            if is_registered(self.name):
                font = pdfmetrics.getFont(self.name)
            else:
                try:
                    font = TTFont(self.name, str(self.path))
                except Exception as exc:  # ReportLab raises TTFError and plain errors alike
                    raise FontConfigError(
                        _("Lettertype {path} is onleesbaar: {error}.").format(path=self.path, error=exc)
                    ) from exc
                pdfmetrics.registerFont(font)
        assert isinstance(font, TTFont)
        return font

    @cached_property
    def coverage(self) -> frozenset[int]:
        """Code points the font's cmap maps to a glyph."""
        return frozenset(code for code, glyph in self.ttf.face.charToGlyph.items() if glyph)

    @property
    def loaded(self) -> bool:
        return "_font" in self.__dict__

    def covers(self, char: str) -> bool:
        return ord(char) in self.coverage


def is_registered(name: str) -> bool:
    """Whether ReportLab knows the font `name`, without its AFM search for unknown names."""
    return name in pdfmetrics.getRegisteredFontNames()


@dataclass(frozen=True)
class FontSet:
    faces: dict[tuple[str, bool], Face]
    fallback: tuple[str, ...]

    def primary(self, script: str, bold: bool = False) -> Face:
        face = self.faces.get((script, bold))
        if face is None:
            face = self.faces[(self.fallback[0], bold)]
        return face

    def chain(self, script: str, bold: bool = False) -> tuple[Face, ...]:
        """The main font for the script, then the fallbacks in the configured order."""
        first = self.primary(script, bold)
        rest = [self.faces[(s, bold)] for s in self.fallback if (s, bold) in self.faces]
        return (first, *[face for face in rest if face is not first])

    def all_faces(self) -> list[Face]:
        return list(self.faces.values())


_lock = threading.Lock()
_registered: FontSet | None = None


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def register_fonts() -> FontSet:
    """The bundled fonts (read from fonts.json once per process); each face registers with ReportLab
    on first use. Later calls return the same set at no cost."""
    global _registered
    if _registered is not None:
        return _registered
    with _lock:
        if _registered is None:
            _registered = _load_and_register(fonts_dir())
    return _registered


def _load_and_register(folder: Path) -> FontSet:
    config_path = folder / "fonts.json"
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FontConfigError(
            _("Het lettertypebestand {path} ontbreekt of is onleesbaar: {error}.").format(
                path=config_path, error=exc
            )
        ) from exc
    faces: dict[tuple[str, bool], Face] = {}
    for script, entry in config["scripts"].items():
        for bold, key in ((False, "regular"), (True, "bold")):
            path = folder / entry[key]
            if not path.is_file():
                raise FontConfigError(
                    _("Lettertype {path} ontbreekt; installeer Wegwijs opnieuw.").format(path=path)
                )
            name = f"Wegwijs-{script}-{'Bold' if bold else 'Regular'}"
            faces[(script, bold)] = Face(name, script, bold, path, float(entry.get("scale", 1.0)))
    fallback = tuple(s for s in config.get("fallback", []) if (s, False) in faces)
    if not fallback:
        fallback = tuple(dict.fromkeys(script for script, _ in faces))
    return FontSet(faces, fallback)


# Characters that take the font of the text around them when that font has them: spaces,
# punctuation, digits, joiners and combining marks belong to no script of their own.
_NEUTRAL_CATEGORIES = frozenset(
    {"Zs", "Po", "Ps", "Pe", "Pd", "Pi", "Pf", "Nd", "Mn", "Me", "Cf", "Sm", "Sc"}
)


def choose_face(char: str, chain: tuple[Face, ...], previous: Face | None) -> Face | None:
    """The face that draws `char`: the previous one for neutral characters it covers, else the first
    face of the chain that covers it; None when no bundled font has the character."""
    if previous is not None and unicodedata.category(char) in _NEUTRAL_CATEGORIES and previous.covers(char):
        return previous
    for face in chain:
        if face.covers(char):
            return face
    return None


# The text behind each private-use code this process gave a glyph, per font (PostScript name):
# `unicode.fix_to_unicode` writes it into the PDF's ToUnicode maps after ReportLab has written them.
WRITTEN: dict[str, dict[int, str]] = {}
_codes: dict[tuple[str, int, str], int] = {}
_next_code: dict[str, int] = {}
_PRIVATE_FIRST, _PRIVATE_LAST = 0xE000, 0xF8FF


def code_for(ttf: TTFont, gid: int, text: str, advance: float) -> int:
    """The code to draw glyph `gid` with, so that the PDF maps it back to `text`: the glyph's own
    character where that is the text (a plain letter), else a private-use code of this font with
    `text` recorded in WRITTEN (contextual forms, ligatures, a zero-width non-joiner drawn as an
    empty glyph). Call it under the shaping lock."""
    face = ttf.face
    own = face.glyphToChar.get(gid)
    if own and chr(own[0]) == text:
        return own[0]
    key = (ttf.fontName, gid, text)
    code = _codes.get(key)
    if code is None:
        code = _next_code.get(ttf.fontName, _PRIVATE_FIRST)
        while code in face.charToGlyph:
            code += 1
        _next_code[ttf.fontName] = code + 1
        if code > _PRIVATE_LAST:
            raise FontConfigError(
                _("Te veel verschillende tekens voor lettertype {font}.").format(font=ttf.fontName)
            )
        face.charToGlyph[code] = gid
        face.glyphToChar.setdefault(gid, []).append(code)
        face.charWidths[code] = advance
        _codes[key] = code
        WRITTEN.setdefault(_postscript_name(ttf), {})[code] = text
    return code


def _postscript_name(ttf: TTFont) -> str:
    name = ttf.face.name
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)
