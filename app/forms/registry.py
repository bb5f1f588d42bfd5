"""All versions of all form definitions, so an intake is always shown with the version it was filled in.

A municipality that changes the form adds a new file (brede_intake.v2.toml) with a higher version and
keeps the old file: intakes filled with version 1 are still rendered and printed with version 1, and a
field that no longer exists in the newest version keeps its label (`label_for`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from app.forms.loader import DefinitionError, forms_dir, load_definition
from app.forms.schema import Field, FormDefinition
from app.i18n import _

DEFAULT_FORM_ID = "brede_intake"


class FormRegistry:
    def __init__(self, definitions: list[FormDefinition]) -> None:
        self._by_key: dict[tuple[str, int], FormDefinition] = {}
        for definition in definitions:
            key = (definition.form_id, definition.version)
            if key in self._by_key:
                first = self._by_key[key].source
                raise DefinitionError(
                    definition.source.name if definition.source else "?",
                    "[form]",
                    _("versie {version} van '{id}' staat ook in {other}.").format(
                        version=definition.version, id=definition.form_id, other=first.name if first else "?"
                    ),
                )
            self._by_key[key] = definition

    def definitions(self) -> list[FormDefinition]:
        """Every version of every form, in (form, version) order."""
        return [self._by_key[key] for key in sorted(self._by_key)]

    def versions(self, form_id: str) -> list[int]:
        return sorted(v for f, v in self._by_key if f == form_id)

    def latest(self, form_id: str = DEFAULT_FORM_ID) -> FormDefinition:
        versions = self.versions(form_id)
        if not versions:
            raise LookupError(_("Er is geen formulierdefinitie '{id}'.").format(id=form_id))
        return self._by_key[(form_id, versions[-1])]

    def get(self, form_id: str, version: int) -> FormDefinition | None:
        return self._by_key.get((form_id, version))

    def field_in_any_version(self, form_id: str, field_id: str) -> Field | None:
        """The newest definition of a field, also one removed from later versions (for history)."""
        for version in reversed(self.versions(form_id)):
            found = self._by_key[(form_id, version)].field(field_id)
            if found is not None:
                return found
        return None


def load_registry(folder: Path) -> FormRegistry:
    """Every *.toml below folder; the first broken file stops the load with its DefinitionError."""
    return FormRegistry([load_definition(path) for path in sorted(folder.glob("*.toml"))])


@cache
def default_registry() -> FormRegistry:
    return load_registry(forms_dir())
