"""Translation functions for every user-visible string. Dutch is the source language.

Import `_`, `N_`, `ngettext` and `pgettext` from here explicitly. Catalogs live in
resources/translations/<lang>/LC_MESSAGES/<domain>.po; a compiled .mo is used when it is current,
otherwise Babel compiles the .po in memory, so a fresh checkout works without a build step.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n.layers import LayeredTranslations
from app.resources import translations_dir

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

UI_DOMAIN = "wegwijs"
UI_LANGUAGES = ("nl", "en")

_current: gettext.NullTranslations = gettext.NullTranslations()
_current_code = "nl"
_listeners: list[Callable[[str], None]] = []


@cache
def load_catalog(domain: str, language: str) -> gettext.NullTranslations:
    """The catalog of one domain in one language; a missing catalog falls back to the source.

    Reviewed corrections from the profile (app/i18n/layers.py) come first, also after this is cached."""
    if language == "nl":
        return gettext.NullTranslations()
    return LayeredTranslations(domain, language, _load_shipped(domain, language))


def _load_shipped(domain: str, language: str) -> gettext.NullTranslations:
    folder = translations_dir() / language / "LC_MESSAGES"
    po_path = folder / f"{domain}.po"
    mo_path = folder / f"{domain}.mo"
    if mo_path.exists() and (not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime):
        with mo_path.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if po_path.exists():
        return gettext.GNUTranslations(io.BytesIO(_compile_in_memory(po_path)))
    return gettext.NullTranslations()


def _compile_in_memory(po_path: Path) -> bytes:
    from babel.messages.mofile import write_mo

    catalog = shipped_po(po_path)
    buffer = io.BytesIO()
    # Unreviewed (fuzzy) entries are still better than Dutch for a reader of the target language.
    write_mo(buffer, catalog, use_fuzzy=True)
    return buffer.getvalue()


def shipped_po(po_path: Path) -> Catalog:
    """A shipped .po file as Babel reads it, once per version of the file: compiling it in memory
    (above) and finding the PIP's unchecked texts (app/pdf/unreviewed.py) read the same file in
    one process. Read only: callers must not change it."""
    return _parsed_po(po_path, po_path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _parsed_po(po_path: Path, mtime_ns: int) -> Catalog:
    from babel.messages.pofile import read_po

    with po_path.open("rb") as handle:
        return read_po(handle)


def set_ui_language(code: str) -> None:
    """Switch the interface language; listeners (open windows) re-translate themselves."""
    global _current, _current_code
    if code not in UI_LANGUAGES:
        code = "nl"
    _current = load_catalog(UI_DOMAIN, code)
    _current_code = code
    for listener in list(_listeners):
        listener(code)


def ui_language() -> str:
    return _current_code


def on_ui_language_changed(listener: Callable[[str], None]) -> Callable[[], None]:
    """Call `listener` after each switch; returns the function that stops it (call it on close)."""
    _listeners.append(listener)

    def remove() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return remove


def _(message: str) -> str:
    return _current.gettext(message)


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _current.pgettext(context, message)
