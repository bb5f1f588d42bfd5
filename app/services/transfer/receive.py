"""The new municipality's side of a verhuizing: `wegwijs import` finds a hand-over among the packages
(its header names its sender) and makes a NEW case of it.

- Registration here is the day of the import: the 10 weeks for the PIP count from it (it is the
  case's huisvestingsdatum here, so `pip_due_date` applies unchanged).
- The term does not move: the first adoption (and extensions) of the old municipality are kept.
- The route is kept in a concept PIP v1 (reason "verhuizing"): the old municipality's adopted PIP is
  its decision, not one in force here.
- A second import of the same hand-over is a duplicate; a client already known here (V-nummer or
  BSN) is refused, as is anything that is not a hand-over for this supervisor.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.pip_lifecycle import ChangeReason, PipState
from app.i18n import _
from app.models.base import SyncedAggregate, utcnow
from app.models.client import Case, Client, Household
from app.models.intake import Intake, IntakeSession
from app.models.journal import record_audit
from app.models.pip import Pip, PipVersion, TextPart
from app.models.progress import ExamResult, ModuleProgress, ProgressMeeting, RouteHours
from app.sync.envelope import PackageHeader, names_a_sender, open_self_signed, split_package
from app.sync.errors import PackageRefused, RefusalReason
from app.sync.keys import DeviceKeys
from app.sync.records import RecordError, deserialise, to_json_value

TRANSFER_KIND = "wegwijs-verhuizing"
ACTION_RECEIVED = "verhuisd"
OUTCOME_IMPORTED = "imported"
OUTCOME_DUPLICATE = "duplicate"


@dataclass(frozen=True)
class TransferOutcome:
    status: str  # imported or duplicate
    device_id: str
    sequence: int
    records: int
    from_municipality: str
    sender_fingerprint: str
    client_id: uuid.UUID | None


def transfer_header(data: bytes) -> PackageHeader | None:
    """The header when `data` is a hand-over (it names its sender); None for anything else."""
    try:
        header = split_package(data).header
    except PackageRefused:
        return None
    return header if header.sender_key else None


def is_transfer(data: bytes) -> bool:
    return names_a_sender(data) and transfer_header(data) is not None


def _new(cls: type[SyncedAggregate], data: Any, **own: Any) -> Any:
    """A new record of `cls` from a hand-over's plain fields, with this store's id and links."""
    if not isinstance(data, dict):
        raise PackageRefused(RefusalReason.INVALID_PAYLOAD, f"{cls.__name__}: not an object")
    now = to_json_value(utcnow())
    fields = dict(data, id=str(uuid.uuid4()), version=1, created_at=now, updated_at=now)
    fields.update({key: to_json_value(value) for key, value in own.items()})
    try:
        return cls(**deserialise(cls, fields))
    except RecordError as error:
        raise PackageRefused(RefusalReason.INVALID_PAYLOAD, f"{cls.__name__}: {error}") from error


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError) as error:
        raise PackageRefused(RefusalReason.INVALID_PAYLOAD, "date") from error


def _household(session: Session, label: Any, from_municipality: str) -> Household | None:
    """Members who move together come in one household: the label of a household already brought
    from the same municipality is reused."""
    if not isinstance(label, str) or not label:
        return None
    known = session.scalars(
        select(Household)
        .join(Client, Client.household_id == Household.id)
        .join(Case, Case.client_id == Client.id)
        .where(Household.label == label, Case.moved_from == from_municipality)
    ).first()
    if known is not None:
        return known
    household = Household(label=label)
    session.add(household)
    return household


def _entries(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise PackageRefused(RefusalReason.INVALID_PAYLOAD, "pip entries")
    return [dict(entry) for entry in value]


_PROGRESS_MODELS: dict[str, type[SyncedAggregate]] = {
    "meetings": ProgressMeeting,
    "modules": ModuleProgress,
    "exams": ExamResult,
    "hours": RouteHours,
}


def _progress(pip_id: uuid.UUID, pip: dict[str, Any]) -> list[Any]:
    """The progress records of the term so far, on the new PIP (they count in the same term)."""
    records = []
    for key, model in _PROGRESS_MODELS.items():
        items = pip.get(key) or []
        if not isinstance(items, list):
            raise PackageRefused(RefusalReason.INVALID_PAYLOAD, key)
        records += [_new(model, item, pip_id=pip_id) for item in items]
    return records


def _concept_pip(
    client_id: uuid.UUID, pip: dict[str, Any], actor: str, today: dt.date, from_municipality: str
) -> list[Any]:
    route = pip.get("route") or {}
    texts = {}
    in_force = pip.get("in_force") or {}
    for part in (TextPart.FINAL_GOAL, TextPart.ONDERBOUWING):
        entry = (
            route.get("einddoel")
            if part is TextPart.FINAL_GOAL
            else (in_force.get("texts") or {}).get(part.value)
        )
        if isinstance(entry, dict) and entry.get("nl"):
            texts[part.value] = {"nl": str(entry["nl"])}
    leerroute = route.get("leerroute")
    record = Pip(
        client_id=client_id,
        first_adopted_on=_date(pip.get("first_adopted_on")),
        extensions=list(pip.get("extensions") or []),
        switched=bool(pip.get("switched")),
        exemptions=_entries(pip.get("exemptions")),
        # Each objection keeps the old municipality's name: its version number is one of hers.
        objections=[dict(o, from_municipality=from_municipality) for o in _entries(pip.get("objections"))],
        current_number=1,
        current_state=PipState.CONCEPT.value,
        current_route=leerroute,
        in_force_number=None,
    )
    version = PipVersion(
        pip=record,
        number=1,
        state=PipState.CONCEPT.value,
        reason=ChangeReason.VERHUIZING.value,
        created_by=actor,
        drafted_on=today,
        leerroute=leerroute,
        advised_route=route.get("advised_route"),
        learnability_score=route.get("learnability_score"),
        learnability_outcome=route.get("learnability_outcome"),
        period_months=in_force.get("period_months"),
        texts=texts,
    )
    return [record, version]


def _refuse_unless_transfer(payload: dict[str, Any]) -> None:
    if payload.get("kind") != TRANSFER_KIND or not isinstance(payload.get("transfer_id"), str):
        raise PackageRefused(RefusalReason.NOT_A_TRANSFER, "kind")
    if not isinstance(payload.get("client"), dict):
        raise PackageRefused(RefusalReason.INVALID_PAYLOAD, "client")


def import_transfer(
    session: Session, data: bytes, keys: DeviceKeys, municipality: str, actor: str, today: dt.date
) -> TransferOutcome:
    """Open one hand-over and make its new case in `session`; raises PackageRefused with the reason."""
    opened, sender = open_self_signed(data, keys=keys)
    payload = opened.payload
    _refuse_unless_transfer(payload)
    header = opened.header
    transfer_id = payload["transfer_id"][:64]
    from_municipality = str(payload.get("from_municipality") or sender.municipality)[:200]

    def outcome(status: str, records: int, client_id: uuid.UUID | None) -> TransferOutcome:
        return TransferOutcome(
            status,
            header.device_id,
            header.sequence,
            records,
            from_municipality,
            sender.fingerprint,
            client_id,
        )

    known = session.scalars(select(Case).where(Case.transfer_id == transfer_id)).first()
    if known is not None:
        return outcome(OUTCOME_DUPLICATE, 0, known.client_id)
    person = payload["client"]
    same = [Client.v_nummer == str(person.get("v_nummer"))]
    if person.get("bsn"):
        same.append(Client.bsn == str(person["bsn"]))
    if session.scalars(select(Client.id).where(or_(*same))).first() is not None:
        raise PackageRefused(RefusalReason.CLIENT_KNOWN, "v_nummer or bsn")
    household = _household(session, payload.get("household"), from_municipality)
    client = _new(Client, person, household_id=None)
    client.household = household
    session.add(client)
    session.flush()
    old_case = payload.get("case") or {}
    case = Case(
        client_id=client.id,
        municipality=municipality,
        coa_location=old_case.get("coa_location"),
        koppeldatum=_date(old_case.get("koppeldatum")),
        # Registration here: the 10 weeks for the new PIP count from the day of the import.
        huisvestingsdatum=today,
        melddatum=_date(old_case.get("melddatum")),
        moved_from=from_municipality,
        transfer_id=transfer_id,
    )
    records: list[Any] = [case]
    for intake_data in payload.get("intakes") or []:
        if not isinstance(intake_data, dict):
            raise PackageRefused(RefusalReason.INVALID_PAYLOAD, "intake")
        sessions = intake_data.get("sessions") or []
        intake = _new(Intake, {k: v for k, v in intake_data.items() if k != "sessions"}, client_id=client.id)
        records.append(intake)
        session.add(intake)
        session.flush()
        records += [_new(IntakeSession, s, intake_id=intake.id) for s in sessions]
    if isinstance(payload.get("pip"), dict):
        new_pip = _concept_pip(client.id, payload["pip"], actor, today, from_municipality)
        records += new_pip
        session.add_all(records)
        session.flush()
        records += _progress(new_pip[0].id, payload["pip"])
    session.add_all(records)
    session.flush()
    record_audit(session, ACTION_RECEIVED, "client", client.id, f"van:{from_municipality}")
    return outcome(OUTCOME_IMPORTED, len(records) + 1, client.id)


def receive_transfer(
    store: Any, data: bytes, keys: DeviceKeys, municipality: str, actor: str, today: dt.date | None = None
) -> TransferOutcome | PackageRefused:
    """One hand-over in its own unit of work: imported, a duplicate, or refused with the reason
    (nothing of a refused one is written)."""
    try:
        with store.session(actor=actor, role="supervisor") as session:
            return import_transfer(session, data, keys, municipality, actor, today or dt.date.today())
    except PackageRefused as refusal:
        return refusal


def transfer_note(outcome: TransferOutcome) -> str:
    return _("verhuizing uit {municipality}; vingerafdruk afzender {fingerprint}").format(
        municipality=outcome.from_municipality, fingerprint=outcome.sender_fingerprint
    )
