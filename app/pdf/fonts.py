"""The bundled fonts: which file draws which script, registered with ReportLab once per process.

resources/fonts/fonts.json maps an ISO 15924 script code to a regular and a bold font file and gives
the order of fallback fonts, so a language with a new script is added by data, not code.
"""

from __future__ import annotations

import json
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.resources import resources_dir


class FontConfigError(RuntimeError):
    """fonts.json or a font file is missing or wrong; the message says which."""


@dataclass(frozen=True)
class Face:
    name: str  # the name registered with ReportLab
    script: str
    bold: bool
    path: Path
    scale: float  # relative size, so Arabic and Latin look alike at one nominal size
    coverage: frozenset[int]  # code points the font's cmap maps to a glyph

    def covers(self, char: str) -> bool:
        return ord(char) in self.coverage


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
    """Register every bundled font with ReportLab; later calls return the same set at no cost."""
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
            f"Het lettertypebestand {config_path} ontbreekt of is onleesbaar: {exc}."
        ) from exc
    faces: dict[tuple[str, bool], Face] = {}
    for script, entry in config["scripts"].items():
        for bold, key in ((False, "regular"), (True, "bold")):
            path = folder / entry[key]
            if not path.is_file():
                raise FontConfigError(f"Lettertype {path} ontbreekt; installeer Wegwijs opnieuw.")
            name = f"Wegwijs-{script}-{'Bold' if bold else 'Regular'}"
            try:
                ttf = pdfmetrics.getFont(name)
            except KeyError:
                ttf = TTFont(name, str(path))
                pdfmetrics.registerFont(ttf)
            assert isinstance(ttf, TTFont)
            coverage = frozenset(code for code, glyph in ttf.face.charToGlyph.items() if glyph)
            faces[(script, bold)] = Face(name, script, bold, path, float(entry.get("scale", 1.0)), coverage)
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
