"""Checks on translations an interpreter writes or sends back.

- Placeholders: a translation that drops or renames `%(name)s`, `{date}` or `%s` would break the
  sentence it is used in, so it is refused with a message naming the placeholder.
- Script: a translation in the wrong script for its language (Latin letters only, for Arabic) is
  probably pasted in the wrong field; that is a warning, never a block (a name may be all Latin).
- `.po` files: a strict line check before Babel reads them, because Babel skips many malformed lines
  silently; every error names its line, and nothing is read from a file with an error.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from app.domain.errors import WegwijsError
from app.i18n import N_, _
from app.i18n.languages import get_language, is_known_language

# %(name)s / %(n)d, {date} / {0} / {date:%d-%m}, and bare %s / %d / %i; "%%", "{{" and "}}" are literal.
_PLACEHOLDER = re.compile(r"%%|\{\{|\}\}|%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{[^{}]*\}")


class PlaceholderError(WegwijsError):
    """The translation lost or renamed a placeholder; it cannot be used."""


class PoSyntaxError(WegwijsError):
    """A `.po` file that cannot be read; `line` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def placeholders(text: str) -> Counter[str]:
    """The placeholders of a text, by how they are written ({date} and {date:%d} both count as {date})."""
    found: Counter[str] = Counter()
    for match in _PLACEHOLDER.finditer(text):
        token = match.group(0)
        if token in ("%%", "{{", "}}"):
            continue
        if token.startswith("{"):
            name = re.split(r"[:!]", token[1:-1], maxsplit=1)[0]
            token = "{" + name + "}"
        found[token] += 1
    return found


def placeholder_problem(sources: Sequence[str], translation: str) -> str | None:
    """One Dutch sentence when `translation` does not use exactly the placeholders of one of the
    source forms (singular or plural); None when it is fine. An empty translation is not checked."""
    if not translation.strip():
        return None
    wanted = [placeholders(source) for source in sources if source]
    have = placeholders(translation)
    if not wanted or have in wanted:
        return None
    reference = wanted[-1] if len(wanted) > 1 and set(have) & set(wanted[-1]) else wanted[0]
    missing = sorted((reference - have).keys())
    extra = sorted((have - reference).keys())
    if missing and extra:
        return _(
            "De vertaling gebruikt {extra} in plaats van {missing}; neem de plaatshouder {missing} precies "
            "zo over uit de Nederlandse tekst."
        ).format(extra=", ".join(extra), missing=", ".join(missing))
    if missing:
        return _(
            "De vertaling mist de plaatshouder {missing}; neem die precies zo over uit de Nederlandse tekst."
        ).format(missing=", ".join(missing))
    return _(
        "De vertaling bevat de plaatshouder {extra}, die niet in de Nederlandse tekst staat; haal die weg "
        "of gebruik de plaatshouders van de Nederlandse tekst."
    ).format(extra=", ".join(extra))


def check_placeholders(sources: Sequence[str], translations: Sequence[str]) -> None:
    """Refuse (PlaceholderError) when any form of the translation breaks a placeholder."""
    for translation in translations:
        problem = placeholder_problem(sources, translation)
        if problem:
            raise PlaceholderError(problem)


_SCRIPT_PREFIX = {"Latn": ("LATIN",), "Arab": ("ARABIC",), "Ethi": ("ETHIOPIC",)}
_SCRIPT_NAMES = {"Latn": N_("Latijnse"), "Arab": N_("Arabische"), "Ethi": N_("Ethiopische (Ge'ez)")}


def _letter_scripts(text: str) -> Counter[str]:
    scripts: Counter[str] = Counter()
    # Placeholders are Latin by nature and say nothing about the translation's script.
    for char in _PLACEHOLDER.sub(" ", text):
        if not unicodedata.category(char).startswith("L"):
            continue
        name = unicodedata.name(char, "")
        scripts[name.split(" ", 1)[0] if name else "?"] += 1
    return scripts


def script_warning(text: str, language: str) -> str | None:
    """A Dutch warning when the text has letters but none in the language's script (the registry's)."""
    if not is_known_language(language):
        return None
    script = get_language(language).script
    prefixes = _SCRIPT_PREFIX.get(script)
    letters = _letter_scripts(text)
    if prefixes is None or not letters:
        return None
    if any(letters[prefix] for prefix in prefixes):
        return None
    return _(
        "Let op: deze vertaling bevat geen letters in het {script} schrift van {language}; controleer of de "
        "tekst in de goede taal staat."
    ).format(
        script=_(_SCRIPT_NAMES[script]) if script in _SCRIPT_NAMES else script,
        language=get_language(language).name_nl,
    )


# -- reading .po files strictly ---------------------------------------------------------------------

_QUOTED = r'"(?:[^"\\]|\\["\\abfnrtv0-7xu])*"'
_KEYWORD_LINE = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+" + _QUOTED + r"\s*$")
_CONTINUATION = re.compile(r"^\s*" + _QUOTED + r"\s*$")


def _syntax_error(line: int, what: str) -> PoSyntaxError:
    return PoSyntaxError(
        _("Het .po-bestand is beschadigd op regel {line} ({what}); er is niets veranderd.").format(
            line=line, what=what
        ),
        line,
    )


def check_po_syntax(data: bytes) -> str:
    """The file's text when every line is a comment, a keyword with a quoted string, or a quoted
    continuation; otherwise PoSyntaxError naming the first bad line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _syntax_error(data[: error.start].count(b"\n") + 1, _("geen UTF-8-tekst")) from None
    previous = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            previous = "" if not line else previous
            continue
        if _KEYWORD_LINE.match(line):
            previous = line.split(None, 1)[0]
            continue
        if _CONTINUATION.match(line) and previous:
            continue
        if line.startswith(("msgid", "msgstr", "msgctxt")) or line.startswith('"'):
            raise _syntax_error(number, _("een tekst zonder correcte aanhalingstekens"))
        raise _syntax_error(number, _("een onbekend sleutelwoord"))
    return text


def read_po_strictly(data: bytes) -> Catalog:
    """A catalog from the bytes of a `.po` file, or PoSyntaxError with the line number."""
    text = check_po_syntax(data)
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except PoFileError as error:
        # Babel counts lines from 0.
        line = int(getattr(error, "lineno", 0)) + 1
        raise _syntax_error(line, _("een tekst zonder vertaling of een dubbele regel")) from None
    if not text.strip():
        raise _syntax_error(1, _("het bestand is leeg"))
    return catalog
