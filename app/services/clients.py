"""Clients: finding one, the caseload overview, and the export for the right of access."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.deadlines import (
    ClientDeadlineFacts,
    DeadlineStatus,
    client_deadlines,
    deadline_status,
    next_deadline,
)
from app.domain.eligibility import is_minor, is_obliged
from app.domain.enums import TargetGroup
from app.domain.errors import WegwijsError
from app.i18n import N_, _
from app.models.client import Case, Client, Household
from app.models.journal import ACTION_EXPORT, ACTION_READ, AuditEntry, record_audit
from app.services.pip_view import CaseloadFlags, caseload_flags

STATUS_IN_AZC = N_("in AZC")
STATUS_HOUSED = N_("gehuisvest")
STATUS_MINOR = N_("gezinslid (minderjarig)")
STATUS_NOT_OBLIGED = N_("niet inburgeringsplichtig (leeftijd)")


class ClientNotFound(WegwijsError):
    pass


@dataclass(frozen=True)
class CaseloadRow:
    """One line of the caseload: what the klantmanager scans, nothing they must click for."""

    client_id: uuid.UUID
    v_nummer: str
    name: str
    name_original: str
    birth_date: str
    coa_location: str
    klantmanager: str
    housing_date: dt.date | None
    status: str
    leerroute: str
    next_deadline: DeadlineStatus | None
    obliged: bool
    # The PIP's state (None: no PIP yet) and what the caseload views filter on (app/services/pip_view.py).
    pip_state: str | None = None
    flags: CaseloadFlags = field(default_factory=CaseloadFlags)


def find_client(session: Session, reference: str) -> Client:
    """A client by internal id or by V-nummer, as `--client` accepts."""
    reference = reference.strip()
    conditions = [Client.v_nummer == reference]
    try:
        conditions.append(Client.id == uuid.UUID(reference))
    except ValueError:
        pass
    client = session.scalars(select(Client).where(or_(*conditions))).first()
    if client is None:
        raise ClientNotFound(
            f"Er is geen cliënt met id of V-nummer '{reference}'; controleer het nummer met 'wegwijs list'."
        )
    return client


# Later use cases (intake, PIP) add what they know about a client's status and route here.
StatusProvider = Callable[[Session, list[uuid.UUID]], dict[uuid.UUID, dict[str, Any]]]
_status_providers: list[StatusProvider] = []


def register_status_provider(provider: StatusProvider) -> None:
    _status_providers.append(provider)


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
    ).join(Case, Case.client_id == Client.id, isouter=True)
    records = session.execute(query).all()
    extra: dict[uuid.UUID, dict[str, Any]] = {}
    for provider in _status_providers:
        for client_id, values in provider(session, [r.id for r in records]).items():
            extra.setdefault(client_id, {}).update(values)
    rows = []
    for r in records:
        obliged = is_obliged(r.birth_date, today)
        known = extra.get(r.id, {})
        if not obliged:
            status = _(STATUS_MINOR) if is_minor(r.birth_date, today) else _(STATUS_NOT_OBLIGED)
            deadline = None
        else:
            housed = r.huisvestingsdatum is not None and r.huisvestingsdatum <= today
            status = known.get("status") or _(STATUS_HOUSED if housed else STATUS_IN_AZC)
            facts = known.get("facts") or ClientDeadlineFacts(
                housing=r.huisvestingsdatum, asylum=r.target_group == TargetGroup.ASIEL.value
            )
            deadline = next_deadline(facts, today)
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
                leerroute=known.get("leerroute", ""),
                next_deadline=deadline,
                obliged=obliged,
                pip_state=known.get("pip_state"),
                flags=caseload_flags(
                    obliged=obliged,
                    housing=r.huisvestingsdatum,
                    asylum=r.target_group == TargetGroup.ASIEL.value,
                    pip_state=known.get("pip_state"),
                    next_deadline=deadline,
                    today=today,
                ),
            )
        )
    return rows


def caseload_row_json(row: CaseloadRow) -> dict[str, Any]:
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


# Later use cases add their part of the right-of-access export here: (key, function).
ExportSection = Callable[[Session, Client], Any]
_export_sections: list[tuple[str, ExportSection]] = []


def register_export_section(key: str, section: ExportSection) -> None:
    _export_sections.append((key, section))


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def export_client(session: Session, reference: str) -> dict[str, Any]:
    """Everything stored about one client (AVG right of access); the export itself is audited."""
    client = find_client(session, reference)
    household: Household | None = client.household
    case: Case | None = client.case
    history = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_id.in_([client.id] + ([case.id] if case else [])))
        .order_by(AuditEntry.id)
    ).all()
    export: dict[str, Any] = {
        "cliënt": {
            "id": str(client.id),
            "versie": client.version,
            "v_nummer": client.v_nummer,
            "bsn": client.bsn,
            "achternaam": client.family_name,
            "voornamen": client.given_names,
            "naam_origineel": client.name_original,
            "geboortedatum": client.birth_date,
            "nationaliteit": client.nationality,
            "talen": list(client.languages),
            "documenttaal": client.document_language,
            "doelgroep": client.target_group,
            "aangemaakt": _iso(client.created_at),
            "gewijzigd": _iso(client.updated_at),
        },
        "huishouden": None
        if household is None
        else {
            "id": str(household.id),
            "kenmerk": household.label,
            "leden": [
                {"id": str(m.id), "naam": m.display_name, "geboortedatum": m.birth_date}
                for m in household.members
                if m.id != client.id
            ],
        },
        "zaak": None
        if case is None
        else {
            "id": str(case.id),
            "versie": case.version,
            "gemeente": case.municipality,
            "klantmanager": case.klantmanager,
            "coa_locatie": case.coa_location,
            "koppeldatum": _iso(case.koppeldatum),
            "huisvestingsdatum": _iso(case.huisvestingsdatum),
            "melddatum": _iso(case.melddatum),
        },
        "geschiedenis": [
            {
                "tijdstip": _iso(entry.at),
                "door": entry.actor,
                "rol": entry.role,
                "handeling": entry.action,
                "soort": entry.entity_type,
                "velden": entry.detail,
            }
            for entry in history
        ],
    }
    for key, section in _export_sections:
        export[key] = section(session, client)
    record_audit(session, ACTION_EXPORT, "client", client.id)
    return export


@dataclass(frozen=True)
class HouseholdMember:
    name: str
    birth_date: str
    obliged: bool


@dataclass(frozen=True)
class ClientDetail:
    """What the detail pane shows of one client."""

    client_id: uuid.UUID
    name: str
    name_original: str
    v_nummer: str
    bsn: str
    birth_date: str
    nationality: str
    languages: list[str]
    document_language: str
    target_group: str
    household_label: str
    household_members: list[HouseholdMember]
    municipality: str
    klantmanager: str
    coa_location: str
    koppeldatum: dt.date | None
    huisvestingsdatum: dt.date | None
    deadlines: list[DeadlineStatus]
    deadline_notes: list[str]
    obliged: bool = True  # integration duty by age: without it, no PIP (nor its printing)


def client_detail(session: Session, client_id: uuid.UUID, today: dt.date | None = None) -> ClientDetail:
    today = today or dt.date.today()
    client = session.get(Client, client_id)
    if client is None:
        raise ClientNotFound("Deze cliënt bestaat niet meer in de database; ververs de lijst.")
    case = client.case
    members = []
    if client.household is not None:
        members = [
            HouseholdMember(
                m.display_name,
                m.birth_date,
                is_obliged(m.birth_date, today),
            )
            for m in sorted(client.household.members, key=lambda m: m.birth_date)
            if m.id != client.id
        ]
    known: dict[str, Any] = {}
    for provider in _status_providers:
        known.update(provider(session, [client.id]).get(client.id, {}))
    facts = known.get("facts") or ClientDeadlineFacts(
        housing=case.huisvestingsdatum if case else None,
        asylum=client.target_group == TargetGroup.ASIEL.value,
    )
    deadlines, notes = client_deadlines(facts)
    obliged = is_obliged(client.birth_date, today)
    if not obliged:
        deadlines, notes = [], [_("Geen inburgeringsplicht op grond van de leeftijd; geen eigen termijnen.")]
    record_audit(session, ACTION_READ, "client", client.id)
    return ClientDetail(
        client_id=client.id,
        name=client.display_name,
        name_original=client.name_original or "",
        v_nummer=client.v_nummer,
        bsn=client.bsn or "",
        birth_date=client.birth_date,
        nationality=client.nationality or "",
        languages=list(client.languages),
        document_language=client.document_language or "",
        target_group=client.target_group,
        household_label=client.household.label if client.household else "",
        household_members=members,
        municipality=case.municipality if case else "",
        klantmanager=(case.klantmanager or "") if case else "",
        coa_location=(case.coa_location or "") if case else "",
        koppeldatum=case.koppeldatum if case else None,
        huisvestingsdatum=case.huisvestingsdatum if case else None,
        deadlines=[deadline_status(d, today) for d in deadlines],
        deadline_notes=notes,
        obliged=obliged,
    )
