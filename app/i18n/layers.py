"""Reviewed corrections laid over the shipped catalogs.

An interpreter's approved corrections of standard texts live in the profile (app/i18n/review_layer.py
reads and writes them); the shipped catalogs in resources/ stay as they are. `load_catalog` returns a
`LayeredTranslations` per domain and language, which asks the active layer first on every call: so a
catalog object that was cached before a correction was approved (the PDF caches its texts per
language) still prints the correction. Standard library only: app/i18n/__init__.py imports this.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# (msgctxt or None, msgid): the forms (one for a plain text, every plural form for a plural one)
LayerKey = tuple[str | None, str]


def _germanic_plural(n: int) -> int:
    return 0 if n == 1 else 1


@dataclass(frozen=True)
class LayerEntries:
    """The reviewed translations of one domain in one language."""

    strings: Mapping[LayerKey, tuple[str, ...]] = field(default_factory=dict)
    plural: Callable[[int], int] = _germanic_plural

    def lookup(self, context: str | None, msgid: str) -> tuple[str, ...] | None:
        found = self.strings.get((context, msgid))
        return found if found and all(found) else None


_layers: dict[tuple[str, str], LayerEntries] = {}


def set_layer(domain: str, language: str, entries: LayerEntries | None) -> None:
    """Make `entries` the reviewed layer of (domain, language); None removes it."""
    if entries is None or not entries.strings:
        _layers.pop((domain, language), None)
    else:
        _layers[(domain, language)] = entries


def clear_layers() -> None:
    _layers.clear()


def active_layer(domain: str, language: str) -> LayerEntries | None:
    """The reviewed layer of (domain, language), if any: the PDF asks it which fixed texts are checked."""
    return _layers.get((domain, language))


class LayeredTranslations(gettext.NullTranslations):
    """A shipped catalog with the profile's reviewed layer in front of it."""

    def __init__(self, domain: str, language: str, base: gettext.NullTranslations) -> None:
        super().__init__()
        self.domain = domain
        self.language = language
        self.base = base

    def _hit(self, context: str | None, msgid: str) -> tuple[LayerEntries, tuple[str, ...]] | None:
        layer = _layers.get((self.domain, self.language))
        if layer is None:
            return None
        found = layer.lookup(context, msgid)
        return (layer, found) if found else None

    @staticmethod
    def _form(layer: LayerEntries, forms: tuple[str, ...], n: int) -> str:
        index = layer.plural(n)
        return forms[index] if 0 <= index < len(forms) else forms[-1]

    def gettext(self, message: str) -> str:
        hit = self._hit(None, message)
        return hit[1][0] if hit else self.base.gettext(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        hit = self._hit(None, msgid1)
        return self._form(*hit, n) if hit else self.base.ngettext(msgid1, msgid2, n)

    def pgettext(self, context: str, message: str) -> str:
        hit = self._hit(context, message)
        return hit[1][0] if hit else self.base.pgettext(context, message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        hit = self._hit(context, msgid1)
        return self._form(*hit, n) if hit else self.base.npgettext(context, msgid1, msgid2, n)

    def info(self) -> dict[str, str]:
        return self.base.info()

    def charset(self) -> str | None:
        return self.base.charset()
