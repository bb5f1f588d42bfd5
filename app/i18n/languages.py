"""The language registry: the one place that knows each language's script and direction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from app.i18n import _
from app.resources import resources_dir


@dataclass(frozen=True)
class Language:
    code: str
    name_nl: str
    native_name: str
    script: str  # ISO 15924: Latn, Arab, Ethi
    direction: str  # "ltr" or "rtl"
    babel_locale: str
    name_en: str = ""  # the interface's English name (the interface speaks Dutch or English)

    def name_in(self, ui_code: str) -> str:
        """The language's name in the interface language."""
        return self.name_en if ui_code == "en" and self.name_en else self.name_nl

    @property
    def is_rtl(self) -> bool:
        return self.direction == "rtl"


class UnknownLanguage(KeyError):
    def __str__(self) -> str:
        return _("Onbekende taal '{code}'; bekende talen: {codes}.").format(
            code=self.args[0], codes=", ".join(language_codes())
        )


@cache
def _registry() -> dict[str, Language]:
    data = json.loads((resources_dir() / "languages.json").read_text(encoding="utf-8"))
    languages = {}
    for entry in data["languages"]:
        language = Language(
            code=entry["code"],
            name_nl=entry["name_nl"],
            native_name=entry["native_name"],
            script=entry["script"],
            direction=entry["direction"],
            babel_locale=entry["babel_locale"],
            name_en=entry.get("name_en", ""),
        )
        languages[language.code] = language
    return languages


def all_languages() -> list[Language]:
    return list(_registry().values())


def language_codes() -> list[str]:
    return list(_registry())


def get_language(code: str) -> Language:
    try:
        return _registry()[code]
    except KeyError:
        raise UnknownLanguage(code) from None


def is_known_language(code: str) -> bool:
    return code in _registry()


def is_rtl(code: str) -> bool:
    return get_language(code).is_rtl
