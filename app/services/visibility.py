"""Who may see what: the form's visibility policy, applied by the services to every read (issue 14).

The form definition (resources/forms/) says which roles see each section and field: an interpreter
never sees the health and finance sections, the ZRM, or the BSN. Screens used to be the only place
that honoured it; now every read a service does is cut to the role of its unit of work
(`store.session(actor, role)` puts the role in `session.info`), so the intake view, the
right-of-access export, the PDF, the caseload and its search cannot hand out what the role may not
see, whichever screen or command asks.

- A form field is hidden to a role when any version of the form hides it (an answer given under an
  older version keeps the strictest rule).
- Record columns that hold the same facts outside the intake follow the form fields they come
  from (`RECORD_COLUMNS`): the BSN of the client, the benefit of the case, the PIP's ontzorgen
  (finance), and texts derived from the health answers (the route advice's reasons and the
  conversation notes, which may repeat them). The klantmanager's justification of the route is not
  among them: it is written for the PIP, which the interpreter translates.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from app.domain.enums import Role
from app.forms import default_registry
from app.i18n import N_

if TYPE_CHECKING:  # no SQLAlchemy at import: the start-up reads the stored caseload before it (issue 15)
    from sqlalchemy.orm import Session

# The health answers the route advice weighs; texts derived from them follow these fields.
_HEALTH = ("lichamelijke_beperking", "psychische_klachten")
_ONTZORGEN = ("ontzorgen",)
_INCOME = ("inkomen",)

# (table, column) -> the form fields whose roles it follows (visible only when all are visible).
RECORD_COLUMNS: dict[tuple[str, str], tuple[str, ...]] = {
    ("client", "bsn"): ("bsn",),
    ("client_case", "benefit"): _INCOME,
    ("client_case", "benefit_start"): _INCOME,
    ("intake", "advice_reasons"): _HEALTH,
    ("intake_session", "notes"): _HEALTH,
    ("progress_meeting", "note"): _HEALTH,  # a voortgangsgesprek's notes, like the intake's
    ("pip_version", "advice_explanation"): _HEALTH,
    ("pip_version", "ontzorgen"): _ONTZORGEN,
    ("pip_version", "ontzorgen_costs"): _ONTZORGEN,
    ("pip_version", "ontzorgen_start"): _ONTZORGEN,
    ("pip_version", "ontzorgen_end"): _ONTZORGEN,
    ("pip_version", "ontzorgen_form"): _ONTZORGEN,
}

# Said once in an export or a view that left something out.
LEFT_OUT_NOTE = N_(
    "Gegevens die deze rol niet mag zien (zoals gezondheid, financiën en het BSN) zijn weggelaten."
)


@dataclass(frozen=True)
class Visibility:
    """What one role may see of a client's records."""

    role: Role | None  # None: no role (system work such as erasure), sees everything
    hidden_fields: frozenset[str]

    @property
    def restricted(self) -> bool:
        return bool(self.hidden_fields)

    def sees_field(self, field_id: str) -> bool:
        return field_id not in self.hidden_fields

    def sees_column(self, table: str, column: str) -> bool:
        return all(self.sees_field(f) for f in RECORD_COLUMNS.get((table, column), ()))

    def visible_answers(self, answers: dict[str, object]) -> dict[str, object]:
        return {key: value for key, value in answers.items() if self.sees_field(key)}


@cache
def visibility_for(role: Role | str | None) -> Visibility:
    """The policy for a role, from every version of every form the registry holds."""
    if role is None or role == "":
        return Visibility(None, frozenset())
    try:
        known = Role(role)
    except ValueError:
        # A role the form does not know sees only what every role sees.
        known = None
    registry = default_registry()
    hidden: set[str] = set()
    for definition in registry.definitions():
        for section in definition.sections:
            for item in section.fields:
                if known is None:
                    if section.roles != frozenset(Role) or item.roles != frozenset(Role):
                        hidden.add(item.id)
                elif not (section.visible_to(known) and item.visible_to(known)):
                    hidden.add(item.id)
    return Visibility(known, frozenset(hidden))


def session_visibility(session: Session) -> Visibility:
    """The policy for the role of this unit of work (`Store.session(actor, role)`)."""
    return visibility_for(session.info.get("role") or None)
