"""Clients: the detail pane, the right-of-access export, demo clients and the COA import.

`ClientService` is what the GUI and the CLI call; the caseload itself is app/services/caseload.py.
The detail and the export compose the use cases explicitly: the status from the caseload's merge
rule, the export's sections from the intake and the PIP, each named where it is asked for.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.deadlines import (
    ClientDeadlineFacts,
    DeadlineStatus,
    client_deadlines,
    deadline_status,
    ontzorgen_applies_to,
)
from app.domain.eligibility import (
    AGE_UNCERTAIN_QUESTION,
    NOT_OBLIGED_GROUP_REFUSAL,
    age_uncertain,
    group_is_obliged,
    is_obliged,
)
from app.i18n import N_, _
from app.models.client import Case, Household
from app.models.journal import ACTION_EXPORT, ACTION_READ, AuditEntry, record_audit
from app.models.store import StoreLike
from app.models.sync_state import SyncConflict
from app.services.caseload import caseload_rows, client_status
from app.services.client_records import (
    ClientNotFound,
    client_record_ids,
    find_client,
    get_client,
    moved_sentence,
)
from app.services.coa_import import ImportReport, import_coa_file
from app.services.demo import DemoReport, add_demo_clients
from app.services.intake.export import export_intakes
from app.services.pip.service import export_pip
from app.services.profile import Profile
from app.services.supervisor.export import export_supervisor
from app.services.visibility import LEFT_OUT_NOTE, Visibility, session_visibility

__all__ = ["ClientDetail", "ClientNotFound", "ClientService", "HouseholdMember"]

NO_DUTY_NOTE = N_("Geen inburgeringsplicht op grond van de leeftijd; geen eigen termijnen.")


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def export_client(session: Session, reference: str) -> dict[str, Any]:
    """Everything stored about one client (AVG right of access); the export itself is audited."""
    client = find_client(session, reference)
    household: Household | None = client.household
    case: Case | None = client.case
    seen = session_visibility(session)
    history = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_id.in_(client_record_ids(session, client)))
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
            "uitkering": case.benefit,
            "uitkering_vanaf": _iso(case.benefit_start),
            "verhuisd_naar": case.moved_to,
            "verhuisd_op": _iso(case.moved_on),
            "verhuisd_van": case.moved_from,
        },
        "geschiedenis": [
            {
                "tijdstip": _iso(entry.at),
                "door": entry.actor,
                "rol": entry.role,
                "handeling": entry.action,
                "soort": entry.entity_type,
                "velden": _visible_field_names(seen, entry.entity_type, entry.detail),
            }
            for entry in history
        ],
    }
    # The use cases' own sections, each asked explicitly (intake, then PIP, as the law's order).
    export["intakes"] = export_intakes(session, client)
    export["pip"] = export_pip(session, client)
    export["conflicten"] = export_conflicts(session, client_record_ids(session, client))
    export["supervisor"] = export_supervisor(session, client)
    if seen.restricted:
        # Only what this role may see (app/services/visibility.py), and a sentence saying so.
        if not seen.sees_column("client", "bsn"):
            del export["cliënt"]["bsn"]
        if export["zaak"] is not None and not seen.sees_column("client_case", "benefit"):
            del export["zaak"]["uitkering"], export["zaak"]["uitkering_vanaf"]
        export["weggelaten"] = _(LEFT_OUT_NOTE)
    record_audit(session, ACTION_EXPORT, "client", client.id)
    return export


def _visible_field_names(seen: Visibility, table: str, detail: str) -> str:
    """The audit log names changed columns; a role does not learn which hidden ones were changed."""
    if not seen.restricted or entry_is_free_text(detail):
        return detail
    return ",".join(name for name in detail.split(",") if seen.sees_column(table, name))


def entry_is_free_text(detail: str) -> bool:
    return " " in detail or ":" in detail


def export_conflicts(session: Session, record_ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    """The supervisor's conflicts about the client's records: both versions are personal data too.
    A role that may not see everything gets only that a conflict exists, not its contents."""
    seen = session_visibility(session)
    conflicts = session.scalars(
        select(SyncConflict).where(SyncConflict.entity_id.in_(record_ids)).order_by(SyncConflict.detected_at)
    ).all()
    return [
        {
            "id": str(c.id),
            "soort": c.entity_type,
            "record": str(c.entity_id),
            "apparaat": c.device_id,
            "gevonden": _iso(c.detected_at),
            "opgelost": _iso(c.resolved_at),
            "besluit": c.resolution,
            **({} if seen.restricted else {"hier": c.local_data, "binnengekomen": c.incoming_data}),
        }
        for c in conflicts
    ]


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
    client = get_client(session, client_id)
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
    facts = client_status(session, client.id).facts or ClientDeadlineFacts(
        housing=case.huisvestingsdatum if case else None,
        asylum=ontzorgen_applies_to(client.target_group, case.benefit if case else None),
        benefit_start=case.benefit_start if case else None,
    )
    deadlines, notes = client_deadlines(facts)
    melddatum = case.melddatum if case else None
    # The same duty as the caseload: the group, and the age on the day the residence right was known.
    obliged = group_is_obliged(client.target_group) and is_obliged(
        client.birth_date, today, melddatum=melddatum
    )
    if not group_is_obliged(client.target_group):
        deadlines, notes = [], [_(NOT_OBLIGED_GROUP_REFUSAL)]
    elif not obliged:
        deadlines, notes = [], [_(NO_DUTY_NOTE)]
    elif age_uncertain(client.birth_date, today, melddatum):
        # The duty is kept, and the klantmanager is asked for the full date of birth.
        notes = [*notes, _(AGE_UNCERTAIN_QUESTION)]
    if case is not None and case.moved_on is not None:
        # Verhuisd: the case is closed here, the new municipality keeps the deadlines.
        deadlines, notes = [], [moved_sentence(case.moved_to or "", case.moved_on)]
    record_audit(session, ACTION_READ, "client", client.id)
    seen = session_visibility(session)
    return ClientDetail(
        client_id=client.id,
        name=client.display_name,
        name_original=client.name_original or "",
        v_nummer=client.v_nummer,
        bsn=(client.bsn or "") if seen.sees_column("client", "bsn") else "",
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


class ClientService:
    """The client use cases for one profile; each call one unit of work on the store."""

    def __init__(self, store: StoreLike, actor: str, role: str, municipality: str) -> None:
        self._store = store
        self._actor = actor
        self._role = role
        self._municipality = municipality

    @classmethod
    def for_profile(cls, profile: Profile) -> ClientService:
        return cls(profile.store(), profile.actor, profile.settings.role, profile.settings.municipality)

    def detail(self, client_id: uuid.UUID, today: dt.date | None = None) -> ClientDetail:
        """What the detail pane shows; reading it is audited."""
        with self._store.session(self._actor, self._role) as session:
            return client_detail(session, client_id, today)

    def export(self, reference: str) -> dict[str, Any]:
        """Everything stored about one client as a JSON document (AVG right of access); audited."""
        with self._store.session(self._actor, self._role) as session:
            return export_client(session, reference)

    def add_demo(self, count: int, seed: int, *, store_caseload: bool = False) -> DemoReport:
        """`store_caseload`: also work out and store the caseload's lines in the same transaction
        (the listing's own computation), so the first start after `wegwijs demo` reads them."""
        with self._store.session(self._actor, self._role) as session:
            report = add_demo_clients(session, count, seed, self._municipality, self._actor)
            if store_caseload:
                caseload_rows(session)
            return report

    def import_coa(self, path: Path) -> ImportReport:
        """A COA hand-over list (CSV); each line stands or falls alone."""
        with self._store.session(self._actor, self._role) as session:
            return import_coa_file(session, path, self._municipality, self._actor)
