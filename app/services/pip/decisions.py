"""What is recorded about a PIP after it was drafted: progress meetings, term extensions, the benefit
that starts ontzorgen, and DUO's exemptions, objection and appeal (the rules: app/domain/decisions.py).

Session-level helpers of the PIP use case, like records.py, which they build on.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.orm import Session

from app.domain.deadlines import (
    DEFAULT_SETTINGS,
    DeadlineSettings,
    TermExtension,
    extension_problems,
)
from app.domain.decisions import (
    ObjectionOutcome,
    check_appeal,
    check_appeal_ruling,
    check_exemption,
    check_objection_dates,
    objection_is_late,
)
from app.domain.enums import Benefit, Role
from app.domain.pip_lifecycle import ChangeReason, PipRefused, pip_in_force
from app.i18n import _
from app.models.journal import record_audit
from app.models.pip import Pip, PipVersion
from app.services.pip.records import (
    PipSettings,
    get_pip,
    load_client,
    new_version,
)


def register_extension(
    session: Session,
    client_id: uuid.UUID,
    months: int,
    days: int,
    reason: str,
    actor: str,
    on: dt.date,
    role: Role = Role.SUPERVISOR,
    settings: DeadlineSettings = DEFAULT_SETTINGS,
) -> None:
    """A supervisor's decision to extend the term: with a reason, within the municipal cap; the
    entry (who, when, why) stays on the PIP and its change shows in the history."""
    if role is not Role.SUPERVISOR:
        raise PipRefused(
            _("Een verlenging van de inburgeringstermijn beslist de supervisor; vraag de teamleider.")
        )
    pip = get_pip(session, client_id)
    if pip is None or pip.first_adopted_on is None:
        raise PipRefused(
            _("De inburgeringstermijn begint pas na het vaststellen van het PIP; stel eerst het PIP vast.")
        )
    earlier = [TermExtension(int(e.get("months", 0)), int(e.get("days", 0))) for e in pip.extensions]
    problems = extension_problems(months, days, reason, earlier, settings)
    if problems:
        raise PipRefused(" ".join(problems))
    entry = {
        "months": months,
        "days": days,
        "reason": reason.strip(),
        "registered_on": on.isoformat(),
        "by": actor,
    }
    pip.extensions = [*pip.extensions, entry]
    session.flush()


def record_benefit(session: Session, client_id: uuid.UUID, benefit: Benefit, start: dt.date | None) -> None:
    """The client's benefit and its first day (ontzorgen counts from it)."""
    client = load_client(session, client_id)
    if client.case is None:
        raise PipRefused(_("Deze cliënt heeft nog geen dossier bij de gemeente; koppel eerst de cliënt."))
    if benefit is Benefit.BIJSTAND and start is None:
        raise PipRefused(_("Vul de eerste dag van de bijstandsuitkering in."))
    client.case.benefit = benefit.value
    client.case.benefit_start = start if benefit is Benefit.BIJSTAND else None
    session.flush()


# -- DUO's exemptions, objection and appeal (app/domain/decisions.py) ---------------------------

# Audit action codes (app/models/journal.py keeps codes, never values): each registration says what
# was registered, by whom and when; the journal's own "gewijzigd" line names the changed field.
ACTION_EXEMPTION = "ontheffing vastgelegd"
ACTION_OBJECTION = "bezwaar vastgelegd"
ACTION_OBJECTION_DECIDED = "beslissing op bezwaar"
ACTION_APPEAL = "beroep vastgelegd"
ACTION_APPEAL_RULING = "uitspraak beroep vastgelegd"


def record_exemption(
    session: Session,
    client_id: uuid.UUID,
    kind: str,
    decided_on: dt.date,
    parts: list[str],
    actor: str,
    today: dt.date,
) -> None:
    check_exemption(kind, decided_on, parts, today)
    pip = get_pip(session, client_id)
    if pip is None:
        raise PipRefused(_("Deze cliënt heeft nog geen PIP; een ontheffing hoort bij het PIP."))
    entry = {"kind": kind, "decided_on": decided_on.isoformat(), "parts": sorted(set(parts)), "by": actor}
    pip.exemptions = [*pip.exemptions, entry]
    session.flush()
    record_audit(session, ACTION_EXEMPTION, "pip", pip.id)


def record_objection(
    session: Session,
    client_id: uuid.UUID,
    made_known_on: dt.date,
    received_on: dt.date,
    actor: str,
    today: dt.date,
) -> None:
    """An objection against the PIP in force; a late one is registered and flagged."""
    check_objection_dates(made_known_on, received_on, today)
    pip = get_pip(session, client_id)
    in_force = pip_in_force((v.number, v.state) for v in pip.versions) if pip is not None else None
    if pip is None or in_force is None:
        raise PipRefused(_("Bezwaar kan alleen tegen een vastgesteld PIP; er is geen PIP dat geldt."))
    entry = {
        "version": in_force,
        "made_known_on": made_known_on.isoformat(),
        "received_on": received_on.isoformat(),
        "late": objection_is_late(made_known_on, received_on),
        "outcome": None,
        "decided_on": None,
        "appeal_filed_on": None,
        "appeal_ruled_on": None,
        "appeal_outcome": None,
        "by": actor,
    }
    pip.objections = [*pip.objections, entry]
    session.flush()
    record_audit(session, ACTION_OBJECTION, "pip", pip.id)


def _objection(pip: Pip | None, index: int) -> dict[str, Any]:
    if pip is None or not 0 <= index < len(pip.objections):
        raise PipRefused(_("Dit bezwaar bestaat niet; kies een bezwaar uit de lijst."))
    return dict(pip.objections[index])


def decide_objection(
    session: Session,
    client_id: uuid.UUID,
    index: int,
    outcome: ObjectionOutcome,
    decided_on: dt.date,
    explanation: str,
    actor: str,
    today: dt.date,
    settings: PipSettings | None = None,
) -> PipVersion | None:
    """Ongegrond, or gegrond: then a new concept version follows. The term never moves."""
    pip = get_pip(session, client_id)
    entry = _objection(pip, index)
    assert pip is not None
    if entry.get("outcome"):
        raise PipRefused(_("Over dit bezwaar is al beslist; registreer zo nodig een beroep."))
    if decided_on > today or decided_on < dt.date.fromisoformat(entry["received_on"]):
        raise PipRefused(_("De beslisdatum ligt in de toekomst of vóór de ontvangst van het bezwaar."))
    if outcome is ObjectionOutcome.GEGROND and not explanation.strip():
        raise PipRefused(_("Schrijf bij een gegrond bezwaar wat er in het PIP verandert."))
    entry.update(outcome=outcome.value, decided_on=decided_on.isoformat())
    _store_objection(session, pip, index, entry, ACTION_OBJECTION_DECIDED)
    if outcome is ObjectionOutcome.GEGROND:
        return new_version(session, client_id, ChangeReason.BEZWAAR, actor, today, settings, explanation)
    return None


def _store_objection(session: Session, pip: Pip, index: int, entry: dict[str, Any], action: str) -> None:
    objections = list(pip.objections)
    objections[index] = entry
    pip.objections = objections
    session.flush()
    record_audit(session, action, "pip", pip.id)


def record_appeal(
    session: Session, client_id: uuid.UUID, index: int, filed_on: dt.date, today: dt.date
) -> None:
    """An appeal (beroep) against the decision on objection: one per decision; it runs (and erasing
    waits) until the court's ruling is recorded."""
    pip = get_pip(session, client_id)
    entry = _objection(pip, index)
    assert pip is not None
    check_appeal(entry, filed_on, today)
    entry["appeal_filed_on"] = filed_on.isoformat()
    _store_objection(session, pip, index, entry, ACTION_APPEAL)


def record_appeal_ruling(
    session: Session,
    client_id: uuid.UUID,
    index: int,
    outcome: ObjectionOutcome,
    ruled_on: dt.date,
    explanation: str,
    actor: str,
    today: dt.date,
    settings: PipSettings | None = None,
) -> PipVersion | None:
    """The court's ruling (uitspraak) ends the appeal. Gegrond: the PIP must change, so a new concept
    version follows, as after an upheld objection. The term never moves."""
    pip = get_pip(session, client_id)
    entry = _objection(pip, index)
    assert pip is not None
    check_appeal_ruling(entry, ruled_on, today)
    if outcome is ObjectionOutcome.GEGROND and not explanation.strip():
        raise PipRefused(
            _("Schrijf bij een gegrond beroep wat er volgens de uitspraak in het PIP verandert.")
        )
    entry.update(appeal_ruled_on=ruled_on.isoformat(), appeal_outcome=outcome.value)
    _store_objection(session, pip, index, entry, ACTION_APPEAL_RULING)
    if outcome is ObjectionOutcome.GEGROND:
        return new_version(session, client_id, ChangeReason.BEZWAAR, actor, today, settings, explanation)
    return None
