"""The caseload: one line per client, composed from what the intake and the PIP each know.

`client_statuses` asks the intake (app/services/intake) and the PIP (app/services/pip) for their typed
part and merges them by one rule, written out in `merge_status`: a client's PIP, once there is one,
says their status, route and deadline facts; before that the intake does; before that the case.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.caseload import CaseloadFlags, CaseloadRow, caseload_flags
from app.domain.deadlines import ClientDeadlineFacts, DeadlineStatus, next_deadline, ontzorgen_applies_to
from app.domain.eligibility import AGE_UNCERTAIN, age_uncertain, group_is_obliged, is_minor, is_obliged
from app.domain.enums import TargetGroup
from app.i18n import N_, _
from app.models.client import Case, Client
from app.models.store import StoreLike
from app.services.intake.export import IntakeCaseloadStatus
from app.services.intake.export import caseload_status as intake_caseload_status
from app.services.pip.caseload import PipCaseloadStatus
from app.services.pip.caseload import caseload_status as pip_caseload_status
from app.services.profile import Profile
from app.services.visibility import session_visibility

STATUS_IN_AZC = N_("in AZC")
STATUS_HOUSED = N_("gehuisvest")
STATUS_MINOR = N_("gezinslid (minderjarig)")
STATUS_NOT_OBLIGED = N_("niet inburgeringsplichtig (leeftijd)")
STATUS_TEMPORARY_PROTECTION = N_("tijdelijke bescherming (niet inburgeringsplichtig)")
STATUS_MOVED = N_("verhuisd naar {municipality} op {date}")


@dataclass(frozen=True)
class ClientStatus:
    """What the use cases know of a client beyond the case: shown in the caseload and the detail pane."""

    status: str | None = None  # None: nothing but the case (in AZC / gehuisvest)
    leerroute: str = ""  # short label
    pip_state: str | None = None  # the current PIP version's state; None: no PIP yet
    facts: ClientDeadlineFacts | None = None  # None: the deadlines follow from the case alone
    pip_in_force: int | None = None  # the number of the version in force (pip_in_force())


def merge_status(intake: IntakeCaseloadStatus | None, pip: PipCaseloadStatus | None) -> ClientStatus:
    """The precedence rule: the PIP follows the intake, so once a client has a PIP, the PIP's status,
    route and deadline facts are the ones that count (even a PIP without a route yet: its route says
    "none chosen"); without a PIP the intake's status and chosen route; without either, nothing."""
    if pip is not None:
        return ClientStatus(pip.status, pip.leerroute, pip.pip_state, pip.facts, pip.in_force)
    if intake is not None:
        return ClientStatus(intake.status, intake.leerroute)
    return ClientStatus()


def client_statuses(session: Session, client_ids: list[uuid.UUID]) -> dict[uuid.UUID, ClientStatus]:
    """Every client of `client_ids` that the intake or the PIP knows about, merged by `merge_status`."""
    intakes = intake_caseload_status(session, client_ids)
    pips = pip_caseload_status(session, client_ids)
    return {
        client_id: merge_status(intakes.get(client_id), pips.get(client_id))
        for client_id in intakes.keys() | pips.keys()
    }


def client_status(session: Session, client_id: uuid.UUID) -> ClientStatus:
    return client_statuses(session, [client_id]).get(client_id, ClientStatus())


def caseload_rows(session: Session, today: dt.date | None = None) -> list[CaseloadRow]:
    today = today or dt.date.today()
    query = select(
        Client.id,
        Client.v_nummer,
        Client.given_names,
        Client.family_name,
        Client.name_original,
        Client.birth_date,
        Client.target_group,
        Case.coa_location,
        Case.klantmanager,
        Case.huisvestingsdatum,
        Case.melddatum,
        Case.moved_to,
        Case.moved_on,
        Case.benefit,
        Case.benefit_start,
    ).join(Case, Case.client_id == Client.id, isouter=True)
    # On the connection: plain rows, without the ORM's row processing (10,000 rows at start-up, issue 15).
    session.flush()
    records = session.connection().execute(query).all()
    statuses = client_statuses(session, [r.id for r in records])
    # A role that may not see the ontzorgen (finance) gets no flag derived from it either.
    sees_ontzorgen = session_visibility(session).sees_column("pip_version", "ontzorgen")
    rows = []
    # Many clients share the same deadline facts (the same housing day, no PIP yet): each distinct
    # question is answered once per listing (20,000 clients, issue 18). The answers are frozen.
    deadlines: dict[ClientDeadlineFacts, DeadlineStatus | None] = {}
    flags_for: dict[tuple[Any, ...], CaseloadFlags] = {}
    nothing_known, no_exemption = ClientStatus(), ClientDeadlineFacts()
    for r in records:
        obliged = group_is_obliged(r.target_group) and is_obliged(r.birth_date, today, melddatum=r.melddatum)
        known = statuses.get(r.id, nothing_known)
        asylum = r.target_group == TargetGroup.ASIEL.value
        if r.moved_on is not None:
            # Verhuisd: the case is closed here; the new municipality keeps the deadlines.
            status = _(STATUS_MOVED).format(
                municipality=r.moved_to or "", date=r.moved_on.strftime("%d-%m-%Y")
            )
            deadline = None
        elif not obliged:
            if not group_is_obliged(r.target_group):
                status = _(STATUS_TEMPORARY_PROTECTION)
            elif is_minor(r.birth_date, today):
                status = _(STATUS_MINOR)
            else:
                status = _(STATUS_NOT_OBLIGED)
            deadline = None
        else:
            housed = r.huisvestingsdatum is not None and r.huisvestingsdatum <= today
            status = known.status or _(STATUS_HOUSED if housed else STATUS_IN_AZC)
            if age_uncertain(r.birth_date, today, r.melddatum):
                # The duty is kept, and the klantmanager is asked for the full birth date.
                status = f"{status} ({_(AGE_UNCERTAIN)})"
            facts = known.facts or ClientDeadlineFacts(
                housing=r.huisvestingsdatum,
                asylum=ontzorgen_applies_to(r.target_group, r.benefit),
                benefit_start=r.benefit_start,
            )
            if facts not in deadlines:
                deadlines[facts] = next_deadline(facts, today)
            deadline = deadlines[facts]
        exemption = known.facts or no_exemption
        rows.append(
            CaseloadRow(
                client_id=r.id,
                v_nummer=r.v_nummer,
                name=f"{r.given_names} {r.family_name}".strip(),
                name_original=r.name_original or "",
                birth_date=r.birth_date,
                coa_location=r.coa_location or "",
                klantmanager=r.klantmanager or "",
                housing_date=r.huisvestingsdatum,
                status=status,
                leerroute=known.leerroute,
                next_deadline=deadline,
                obliged=obliged,
                pip_state=known.pip_state,
                flags=CaseloadFlags()
                if r.moved_on is not None
                else _flags(
                    flags_for,
                    obliged=obliged,
                    housing=r.huisvestingsdatum,
                    asylum=asylum,
                    pip_in_force=known.pip_in_force,
                    next_deadline=deadline,
                    today=today,
                    sees_ontzorgen=sees_ontzorgen,
                    exempted=exemption.exempted_on is not None,
                    facts=known.facts if obliged else None,
                ),
                exempted_on=exemption.exempted_on,
                exempt_parts=tuple(sorted(exemption.exempt_parts)),
            )
        )
    return rows


def _flags(
    known: dict[tuple[Any, ...], CaseloadFlags], *, sees_ontzorgen: bool, **facts: Any
) -> CaseloadFlags:
    """`known`: the flags already worked out in this listing, by their facts (flags are frozen)."""
    key = (sees_ontzorgen, *facts.values())
    if key not in known:
        flags = caseload_flags(**facts)
        known[key] = flags if sees_ontzorgen else replace(flags, ontzorgen_ending=False)
    return known[key]


def caseload_row_json(row: CaseloadRow) -> dict[str, Any]:
    """One line of `wegwijs list --json` (the keys are the CLI contract, shared/CLI.md)."""
    deadline = row.next_deadline
    return {
        "id": str(row.client_id),
        "v_nummer": row.v_nummer,
        "naam": row.name,
        "naam_origineel": row.name_original,
        "geboortedatum": row.birth_date,
        "coa_locatie": row.coa_location,
        "klantmanager": row.klantmanager,
        "status": row.status,
        "leerroute": row.leerroute or None,
        "inburgeringsplichtig": row.obliged,
        "pip_status": row.pip_state,
        "markering": {
            "te_laat": row.flags.late,
            "binnenkort": row.flags.due_soon,
            "in_azc_zonder_pip": row.flags.azc_without_pip,
            "ontzorgen_loopt_af": row.flags.ontzorgen_ending,
            "voortgangsgesprek_te_laat": row.flags.meeting_late,
        },
        # DUO's exemption (ontheffing): null without one; the whole duty or only some exam parts.
        "ontheffing": None
        if row.exempted_on is None and not row.exempt_parts
        else {
            "hele_plicht": row.exempted_on is not None,
            "datum": row.exempted_on.isoformat() if row.exempted_on else None,
            "onderdelen": list(row.exempt_parts),
        },
        "volgende_termijn": None
        if deadline is None
        else {
            "soort": deadline.kind.value,
            "omschrijving": deadline.deadline.label,
            "datum": deadline.due.isoformat(),
            "dagen_over": deadline.days_left,
            "toestand": deadline.state.value,
        },
    }


class CaseloadService:
    """The caseload for one profile; each call one unit of work on the store."""

    def __init__(self, store: StoreLike, actor: str, role: str) -> None:
        self._store = store
        self._actor = actor
        self._role = role

    @classmethod
    def for_profile(cls, profile: Profile) -> CaseloadService:
        return cls(profile.store(), profile.actor, profile.settings.role)

    def rows(self, today: dt.date | None = None) -> list[CaseloadRow]:
        with self._store.session(self._actor, self._role) as session:
            return caseload_rows(session, today)
