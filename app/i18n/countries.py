"""Country and language names from CLDR (through Babel), in the interface language.

Nationalities are kept as ISO 3166 alpha-3 codes, as the COA hand-over gives them (SYR, ERI, AFG);
CLDR names territories by their alpha-2 code, and its territory aliases map the alpha-3 codes onto
those. Only territories that have an alpha-3 code count as countries (no "Europa", no "Wereld").
"""

from __future__ import annotations

import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from app.i18n import ui_language

# Withdrawn ISO codes CLDR still maps onto a current country: read, never offered in the list.
WITHDRAWN = frozenset({"BUR", "DDR", "FXX", "TMP", "YMD", "ZAR"})


@cache
def _alpha3() -> dict[str, str]:
    """alpha-3 -> alpha-2 for the current countries CLDR names."""
    names = Locale("en").territories
    mapping = {}
    for code, replacement in get_global("territory_aliases").items():
        if len(code) == 3 and code.isalpha() and len(replacement) == 1 and replacement[0] in names:
            mapping[code] = replacement[0]
    return mapping


@cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Locale("nl")


def _sort_key(name: str) -> str:
    """Accents and case do not change the order (Émiraten beside Egypte, not after Zweden)."""
    plain = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()


def is_country_code(code: str) -> bool:
    return code.upper() in _alpha3()


def country_name(code: str, language: str | None = None) -> str | None:
    """The country's name in `language` (default: the interface language); None for an unknown code."""
    alpha2 = _alpha3().get(code.upper())
    if alpha2 is None:
        return None
    return _locale(language or ui_language()).territories.get(alpha2)


@cache
def _countries(language: str) -> tuple[tuple[str, str], ...]:
    territories = _locale(language).territories
    pairs = [
        (code, territories.get(alpha2, code)) for code, alpha2 in _alpha3().items() if code not in WITHDRAWN
    ]
    return tuple(sorted(pairs, key=lambda pair: _sort_key(pair[1])))


def countries(language: str | None = None) -> tuple[tuple[str, str], ...]:
    """Every country as (alpha-3 code, name in `language`), sorted by name."""
    return _countries(language or ui_language())


def language_name(code: str, language: str | None = None) -> str | None:
    """A language's name in `language` (default: the interface language), as CLDR names it."""
    name = _locale(language or ui_language()).languages.get(code)
    return name or None
