"""Translating the texts of form definitions.

Form texts have their own gettext domain, "forms", because they are translated into every document
language (an interpreter reviews them), while the interface itself is only Dutch and English.
Extraction: `pybabel extract -F resources/forms/babel.cfg -o resources/translations/forms.pot resources/forms`
(the extractor is `app.forms.babel_extract.extract_form_definition`).
"""

from __future__ import annotations

from app.i18n import load_catalog, ui_language

FORMS_DOMAIN = "forms"


def form_text(msgid: str, language: str | None = None) -> str:
    """A definition text in the interface language (or another language); empty stays empty."""
    if not msgid:
        return ""
    return load_catalog(FORMS_DOMAIN, language or ui_language()).gettext(msgid)
