"""The supervisor's decisions on a client's PIP: adopt (vaststellen), send back, withdraw.

Each takes the caller's session and applies the lifecycle (app/domain/pip_lifecycle.py, through
`apply_action`) and the decision rules (app/domain/adoption.py); each is recorded in
`supervisor_decision` (for the device) and in the audit log (codes and numbers, no personal data).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.adoption import (
    DecisionKind,
    adoption_due,
    check_adoption_date,
    check_reason,
    days_over,
    term_starts,
)
from app.domain.enums import Role
from app.domain.pip_lifecycle import (
    STATE_LABELS,
    PipAction,
    PipRefused,
    PipState,
    TransitionContext,
    check_may_adopt,
    pip_in_force,
)
from app.i18n import _
from app.models.client import Case
from app.models.journal import record_audit
from app.models.pip import Pip, PipVersion
from app.models.supervisor import SupervisorDecision
from app.services.client_records import find_client, refuse_if_moved
from app.services.pip.records import PipSettings, apply_action, get_pip, latest_version
from app.services.supervisor.assignment import recipient_device_for


@dataclass(frozen=True)
class DecisionOutcome:
    """What a decision did, for the CLI's line and the GUI's message."""

    client_id: uuid.UUID
    kind: DecisionKind
    version: int
    decided_on: dt.date
    state: PipState
    term_start: dt.date | None = None  # an adoption: the term starts the next day (first adoption)
    days_over_deadline: int = 0
    device_id: str | None = None


def _pip_of(session: Session, reference: str) -> tuple[uuid.UUID, Pip]:
    client = find_client(session, reference)
    refuse_if_moved(session, client.id)  # the new municipality decides on a moved client
    # Several supervisor workstations on one team database (issue 18): the PIP's row stays locked for
    # the rest of this unit of work, and it and its versions are read again after the lock, so two
    # supervisors cannot decide on one PIP at once (the second sees the first's decision). SQLite
    # leaves FOR UPDATE out: a local store has one workstation.
    session.execute(
        select(Pip.id)
        .where(Pip.client_id == client.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    session.execute(
        select(PipVersion)
        .join(Pip, PipVersion.pip_id == Pip.id)
        .where(Pip.client_id == client.id)
        .execution_options(populate_existing=True)
    )
    session.execute(select(Pip).where(Pip.client_id == client.id).execution_options(populate_existing=True))
    pip = get_pip(session, client.id)
    if pip is None or not pip.versions:
        raise PipRefused(_("Deze cliënt heeft nog geen PIP; er is niets om over te beslissen."))
    return client.id, pip


def _signed_version(pip: Pip, what: str) -> PipVersion:
    version = latest_version(pip)
    state = PipState(version.state)
    if state is PipState.ONDERTEKEND:
        return version
    if state is PipState.VASTGESTELD:
        raise PipRefused(
            _("Versie {number} van dit PIP is al vastgesteld; er wacht niets op {what}.").format(
                number=version.number, what=what
            )
        )
    raise PipRefused(
        _(
            "Versie {number} van dit PIP is {state} en nog niet ondertekend; alleen een ondertekend PIP "
            "kan {what} worden. Wacht tot de klantmanager het laat ondertekenen."
        ).format(number=version.number, state=_(STATE_LABELS[state]), what=what)
    )


def _record(
    session: Session,
    client_id: uuid.UUID,
    version: PipVersion,
    kind: DecisionKind,
    on: dt.date,
    actor: str,
    late: int = 0,
    reason: str = "",
) -> str | None:
    device = recipient_device_for(session, client_id)
    session.add(
        SupervisorDecision(
            client_id=client_id,
            pip_version_id=version.id,
            version_number=version.number,
            kind=kind.value,
            decided_on=on,
            decided_by=actor,
            device_id=device or "",
            days_over_deadline=late,
            reason=reason,
        )
    )
    # Codes, dates and numbers only: the reason is the supervisor's free text and stays out.
    detail = f"versie:{version.number};datum:{on.isoformat()}"
    if late:
        detail += f";dagen_te_laat:{late}"
    record_audit(session, kind.value, "pip_version", version.id, detail)
    session.flush()
    return device


def adopt(
    session: Session,
    reference: str,
    actor: str,
    role: Role,
    settings: PipSettings,
    today: dt.date,
    on: dt.date | None = None,
) -> DecisionOutcome:
    """Adopt the client's signed version, on `on` (a decision taken earlier) or today."""
    # Who may adopt at all, before anything else is looked at.
    check_may_adopt(
        PipAction.VASTSTELLEN,
        TransitionContext(
            actor_role=role, today=today, klantmanager_may_adopt=settings.klantmanager_may_adopt
        ),
    )
    client_id, pip = _pip_of(session, reference)
    version = _signed_version(pip, _("vastgesteld"))
    day = on or today
    check_adoption_date(
        day,
        today,
        (version.signed_by_client_on, version.signed_by_klantmanager_on, version.signed_by_interpreter_on),
    )
    housing = session.scalar(select(Case.huisvestingsdatum).where(Case.client_id == client_id))
    late = days_over(adoption_due(housing, settings.deadlines), day)
    # Four-eyes, the missing parts and the 18 months of schakelen are the lifecycle's own checks.
    apply_action(session, version.id, PipAction.VASTSTELLEN, actor, role, day, settings)
    device = _record(session, client_id, version, DecisionKind.VASTGESTELD, day, actor, late)
    first = pip.first_adopted_on
    return DecisionOutcome(
        client_id,
        DecisionKind.VASTGESTELD,
        version.number,
        day,
        PipState.VASTGESTELD,
        term_starts(first) if first else None,
        late,
        device,
    )


def send_back(
    session: Session, reference: str, actor: str, role: Role, reason: str, today: dt.date
) -> DecisionOutcome:
    """Back to the klantmanager with a reason: the signed version returns to concept (the only state
    that can change), and the signatures given lapse, as "terug naar concept" does on the device."""
    text = check_reason(reason, _("het terugsturen"))
    client_id, pip = _pip_of(session, reference)
    version = _signed_version(pip, _("teruggestuurd"))
    state = apply_action(session, version.id, PipAction.HEROPENEN, actor, role, today)
    device = _record(session, client_id, version, DecisionKind.TERUGGESTUURD, today, actor, reason=text)
    return DecisionOutcome(
        client_id, DecisionKind.TERUGGESTUURD, version.number, today, state, device_id=device
    )


def withdraw(
    session: Session,
    reference: str,
    actor: str,
    role: Role,
    settings: PipSettings,
    reason: str,
    today: dt.date,
) -> DecisionOutcome:
    """Withdraw (intrekken) the version in force, with a reason; no version is in force afterwards."""
    text = check_reason(reason, _("het intrekken"))
    client_id, pip = _pip_of(session, reference)
    number = pip_in_force((v.number, v.state) for v in pip.versions)
    if number is None:
        raise PipRefused(_("Deze cliënt heeft geen vastgesteld PIP dat geldt; er is niets om in te trekken."))
    version = next(v for v in pip.versions if v.number == number)
    state = apply_action(session, version.id, PipAction.INTREKKEN, actor, role, today, settings)
    device = _record(session, client_id, version, DecisionKind.INGETROKKEN, today, actor, reason=text)
    return DecisionOutcome(
        client_id, DecisionKind.INGETROKKEN, version.number, today, state, device_id=device
    )
