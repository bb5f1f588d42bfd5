"""What reached the supervisor and the conflicts to decide: records per device, open conflicts, decisions."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.pip_lifecycle import is_immutable, pip_in_force
from app.i18n import N_, _
from app.models.base import utcnow
from app.models.client import Client
from app.models.pip import Pip, PipVersion
from app.models.sync_state import RecordOrigin, SyncConflict, SyncPeer
from app.sync.errors import SyncError
from app.sync.lifecycle import PIP, PIP_VERSION, keep_incoming_refusal, protected_pip_values
from app.sync.records import deserialise, serialise, synced_models

ENTITY_LABELS = {
    "client": N_("Cliënt"),
    "household": N_("Huishouden"),
    "client_case": N_("Dossier"),
    "intake": N_("Intake"),
    "intake_session": N_("Intakegesprek"),
    "pip": N_("PIP"),
    "pip_version": N_("PIP-versie"),
}


FIELD_LABELS = {
    "id": N_("Intern nummer"),
    "v_nummer": N_("V-nummer"),
    "bsn": N_("BSN"),
    "family_name": N_("Achternaam"),
    "given_names": N_("Voornamen"),
    "name_original": N_("Naam in oorspronkelijk schrift"),
    "birth_date": N_("Geboortedatum"),
    "nationality": N_("Nationaliteit"),
    "languages": N_("Talen"),
    "document_language": N_("Taal van documenten"),
    "target_group": N_("Doelgroep"),
    "household_id": N_("Huishouden"),
    "label": N_("Huishouden"),
    "municipality": N_("Gemeente"),
    "klantmanager": N_("Klantmanager"),
    "coa_location": N_("COA-locatie"),
    "koppeldatum": N_("Koppeldatum"),
    "huisvestingsdatum": N_("Huisvestingsdatum"),
    "melddatum": N_("Melddatum"),
}


def field_label(name: str) -> str:
    """A readable name for a field in the differences table; unknown fields show their own name."""
    label = FIELD_LABELS.get(name)
    return _(label) if label else name


def entity_label(entity_type: str) -> str:
    label = ENTITY_LABELS.get(entity_type)
    return _(label) if label else entity_type


@dataclass(frozen=True)
class Arrival:
    entity_type: str
    entity_id: str
    label: str
    device_id: str
    device_name: str
    arrived_at: dt.datetime
    version: int


def _record_label(session: Any, entity_type: str, entity_id: Any) -> str:
    """A readable name for a record: its client's name and V-nummer where there is one."""
    model = synced_models().get(entity_type)
    record = session.get(model, entity_id) if model is not None else None
    if record is None:
        return str(entity_id)[:8]
    client = record if isinstance(record, Client) else None
    if client is None and getattr(record, "client_id", None) is not None:
        client = session.get(Client, record.client_id)
    if client is None and getattr(record, "pip", None) is not None:
        client = session.get(Client, record.pip.client_id)
    if client is not None:
        return f"{client.display_name} ({client.v_nummer})"
    return str(getattr(record, "label", None) or str(entity_id)[:8])


def arrivals(session: Session) -> list[Arrival]:
    """Every imported record with the device (klantmanager) it came from and when it arrived."""
    names = {peer.device_id: peer.name for peer in session.scalars(select(SyncPeer))}
    return [
        Arrival(
            o.entity_type,
            str(o.entity_id),
            _record_label(session, o.entity_type, o.entity_id),
            o.device_id,
            names.get(o.device_id, ""),
            o.arrived_at,
            o.version,
        )
        for o in session.scalars(
            select(RecordOrigin).order_by(RecordOrigin.device_id, RecordOrigin.arrived_at)
        )
    ]


@dataclass(frozen=True)
class FieldDifference:
    """One field that differs between the record here and the incoming one (serialised values)."""

    field: str
    local: Any
    incoming: Any


@dataclass(frozen=True)
class ConflictView:
    id: str
    entity_type: str
    label: str
    device_name: str
    local_version: int
    incoming_version: int
    incoming_deleted: bool
    detected_at: dt.datetime
    differences: tuple[FieldDifference, ...]
    # Why the incoming version cannot be kept (an adopted PIP version never changes), in Dutch;
    # None when either side may be kept.
    keep_incoming_refused: str | None = None
    device_id: str = ""


def _differences(raw: Any) -> tuple[FieldDifference, ...]:
    return tuple(
        FieldDifference(str(item.get("field", "")), item.get("local"), item.get("incoming"))
        for item in raw or []
        if isinstance(item, dict)
    )


def _refusal(session: Session, conflict: SyncConflict) -> str | None:
    model = synced_models().get(conflict.entity_type)
    record = session.get(model, conflict.entity_id) if model is not None else None
    local = serialise(record) if record is not None else None
    incoming = None if conflict.incoming_deleted else dict(conflict.incoming_data)
    return keep_incoming_refusal(conflict.entity_type, local, incoming)


def open_conflicts(session: Session) -> list[ConflictView]:
    names = {peer.device_id: peer.name for peer in session.scalars(select(SyncPeer))}
    return [
        ConflictView(
            str(c.id),
            c.entity_type,
            _record_label(session, c.entity_type, c.entity_id),
            names.get(c.device_id, c.device_id),
            c.local_version,
            c.incoming_version,
            bool(c.incoming_deleted),
            c.detected_at,
            _differences(c.differences),
            _refusal(session, c),
            c.device_id,
        )
        for c in session.scalars(
            select(SyncConflict).where(SyncConflict.resolved_at.is_(None)).order_by(SyncConflict.detected_at)
        )
    ]


class ConflictDecision(StrEnum):
    """The supervisor's decision on a conflict; the value is stored in `sync_conflict.resolution`."""

    KEEP_LOCAL = "local"
    KEEP_INCOMING = "incoming"


def resolve_conflict(session: Session, conflict_id: str, keep: ConflictDecision | str) -> None:
    """Close a conflict: keep the version here, or take the incoming one (as a new version).

    The PIP's lifecycle holds here too: an adopted version is never replaced (the refusal says
    so, and the conflict stays open with both versions kept for inspection), a PIP record taken
    keeps the term start that is here, and the PIP's copies of its versions' state follow them."""
    try:
        decision = ConflictDecision(keep)
    except ValueError:
        raise SyncError(_("Kies welke versie blijft: de versie hier of de binnengekomen versie.")) from None
    try:
        key = uuid.UUID(str(conflict_id))
    except ValueError:
        key = None
    conflict = session.get(SyncConflict, key) if key is not None else None
    if conflict is None or conflict.resolved_at is not None:
        raise SyncError(_("Dit conflict bestaat niet of is al opgelost; vernieuw de lijst."))
    if decision is ConflictDecision.KEEP_INCOMING:
        refusal = _refusal(session, conflict)
        if refusal is not None:
            raise SyncError(refusal)
        _take_incoming(session, conflict)
    conflict.resolved_at = utcnow()
    conflict.resolution = decision.value


def _take_incoming(session: Session, conflict: SyncConflict) -> None:
    model = synced_models()[conflict.entity_type]
    record = session.get(model, conflict.entity_id)
    if conflict.incoming_deleted:
        if record is not None:
            session.delete(record)
        return
    values = deserialise(model, conflict.incoming_data)
    values.pop("version", None)
    if isinstance(record, Pip):
        current = {name: getattr(record, name) for name in values}
        protected_pip_values(serialise(record), values, current)
    if record is None:
        record = model(**values)
        session.add(record)
    else:
        for name, value in values.items():
            setattr(record, name, value)
    session.flush()
    if conflict.entity_type == PIP_VERSION and isinstance(record, PipVersion):
        pip = session.get(Pip, record.pip_id)
        if pip is not None:
            reconcile_pip(pip)
    elif conflict.entity_type == PIP and isinstance(record, Pip):
        reconcile_pip(record)


def reconcile_pip(pip: Pip) -> None:
    """The PIP record's copies follow its versions as they are here: the version in force
    (pip_in_force()), the current version, and the first adoption when none was recorded yet
    (a date already recorded never moves)."""
    states = [(v.number, v.state) for v in pip.versions]
    if not states:
        return
    in_force = pip_in_force(states)
    if pip.in_force_number != in_force:
        pip.in_force_number = in_force
    current = max(pip.versions, key=lambda v: v.number)
    for name, value in (
        ("current_number", current.number),
        ("current_state", current.state),
        ("current_route", current.leerroute),
    ):
        if getattr(pip, name) != value:
            setattr(pip, name, value)
    if pip.first_adopted_on is None:
        adopted = [v.adopted_on for v in pip.versions if v.adopted_on and is_immutable(v.state)]
        if adopted:
            pip.first_adopted_on = min(adopted)
