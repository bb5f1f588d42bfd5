"""Names shown in the interface language: document languages (resources/languages.json)."""

from __future__ import annotations

from app.i18n import ui_language
from app.i18n.languages import get_language, is_known_language


def language_name(code: str) -> str:
    """'Arabisch' in Dutch, 'Arabic' in English; an unknown code as it is."""
    return get_language(code).name_in(ui_language()) if is_known_language(code) else code
