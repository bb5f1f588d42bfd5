"""How complete and how reviewed each gettext catalog is, per domain and language.

`translated` counts entries with a translation, reviewed or not; `not_reviewed` lists those still
marked fuzzy (gettext's flag for "no interpreter has checked this"); `missing` lists the template's
texts without any translation. Placeholder errors ({date} lost or renamed) are listed apart, because
such a translation cannot be used as it is.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from app.i18n import UI_DOMAIN
from app.i18n.languages import language_codes
from app.resources import translations_dir

PIP_DOMAIN = "pip"
FORMS_DOMAIN = "forms"
DOMAINS = (UI_DOMAIN, FORMS_DOMAIN, PIP_DOMAIN)
SOURCE_LANGUAGE = "nl"
_PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}|%\(\w+\)[sd]|%[sd]")


@dataclass(frozen=True)
class CatalogStatus:
    domain: str
    language: str
    total: int  # texts in the template
    translated: int  # with a translation, reviewed or not
    missing: list[str] = field(default_factory=list)
    not_reviewed: list[str] = field(default_factory=list)
    placeholder_errors: list[str] = field(default_factory=list)
    catalog_exists: bool = True

    @property
    def reviewed(self) -> int:
        return self.translated - len(self.not_reviewed)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.placeholder_errors

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["reviewed"] = self.reviewed
        data["missing_count"] = len(self.missing)
        data["not_reviewed_count"] = len(self.not_reviewed)
        return data


@dataclass(frozen=True)
class CatalogReport:
    statuses: list[CatalogStatus]

    def get(self, domain: str, language: str) -> CatalogStatus:
        for status in self.statuses:
            if status.domain == domain and status.language == language:
                return status
        raise KeyError((domain, language))

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_language": SOURCE_LANGUAGE,
            "catalogs": [status.to_dict() for status in self.statuses],
        }


def message_key(message: Message) -> str:
    """A readable name for an entry: the msgid, with its context in brackets when it has one."""
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return f"[{message.context}] {msgid}" if message.context else msgid


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _placeholders(text: str) -> list[str]:
    return sorted(
        match.group(0) if match.group(1) is None else match.group(1) for match in _PLACEHOLDER.finditer(text)
    )


def _strings(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def languages_for(domain: str) -> list[str]:
    """Every domain is checked in all eight languages: the interface and the intake form are used
    in Dutch and English, but interpreters read their texts in the client's language too."""
    return [code for code in language_codes() if code != SOURCE_LANGUAGE]


def check_catalog(domain: str, language: str) -> CatalogStatus:
    folder = translations_dir()
    template_path = folder / f"{domain}.pot"
    po_path = folder / language / "LC_MESSAGES" / f"{domain}.po"
    template = _read(template_path) if template_path.exists() else None
    catalog = _read(po_path, locale=language.replace("-", "_")) if po_path.exists() else None
    source = template if template is not None else catalog
    if source is None:
        return CatalogStatus(domain, language, 0, 0, catalog_exists=False)
    missing: list[str] = []
    not_reviewed: list[str] = []
    placeholder_errors: list[str] = []
    translated = 0
    total = 0
    for entry in source:
        if not entry.id:
            continue  # the header
        total += 1
        found = catalog.get(entry.id, context=entry.context) if catalog is not None else None
        strings = _strings(found.string) if found is not None else []
        if found is None or not strings or not all(s.strip() for s in strings):
            missing.append(message_key(entry))
            continue
        translated += 1
        if found.fuzzy:
            not_reviewed.append(message_key(entry))
        # Each form must name the placeholders of the singular or of the plural source text.
        allowed = [_placeholders(source) for source in _strings(entry.id)]
        if any(_placeholders(text) not in allowed for text in strings):
            placeholder_errors.append(message_key(entry))
    return CatalogStatus(
        domain, language, total, translated, missing, not_reviewed, placeholder_errors, catalog is not None
    )


def check_catalogs(domains: tuple[str, ...] = DOMAINS) -> CatalogReport:
    statuses = [check_catalog(domain, code) for domain in domains for code in languages_for(domain)]
    return CatalogReport(statuses)
