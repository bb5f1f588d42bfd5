"""The way back, device side: verify a decision package against the trusted supervisor key and apply
it in one transaction, or refuse it whole with a reason (the store then stays exactly as it was).

Rules for each record the supervisor sends:

- it must be a record this device has (`unknown_record` otherwise), unless it is part of a client
  reassigned to this device (`whole`), which may be new here;
- an adopted version here never changes again except to be withdrawn (`adopted_changed`), and the
  PIP's term start never moves once set: the lifecycle rules hold on the device too;
- a version not newer than the one here is already applied (nothing written);
- when this device changed the record since the version the supervisor edited from, the
  supervisor's decision wins (it decides, the device proposes) and the device's own version is
  kept in `sync_conflict` (resolved as `supervisor`) for inspection; its pending journal entries
  for that record are settled, since the supervisor got (or will get) the package that carried
  them, where it is a conflict kept for inspection too.

A release (a client reassigned to another device) drops the client's records here when nothing of
them waits to be sent; otherwise it waits until the next pull after their receipts.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.domain.pip_lifecycle import PipState
from app.i18n import N_, _
from app.models.base import SyncedAggregate, utcnow
from app.models.journal import ACTION_CREATE, ACTION_UPDATE, AuditEntry, ChangeJournalEntry
from app.models.sync_state import (
    JOURNAL_PACKAGED,
    JOURNAL_PENDING,
    ImportedPackage,
    OutboxPackage,
    SyncConflict,
)
from app.sync.decisions import DECISION_KIND, client_records, preload
from app.sync.envelope import OpenedPackage, PackageHeader, TrustedDevice, open_package, split_package
from app.sync.errors import PackageRefused, RefusalReason, SyncError
from app.sync.importer import IncomingRecord, validate_payload
from app.sync.keys import DeviceKeys, PublicKeys
from app.sync.records import differences, serialise

ACTION_DECIDED = "beslissing_supervisor"
RESOLVED_BY_SUPERVISOR = "supervisor"
WATERMARK = "supervisor_watermark"


class DecisionReason(StrEnum):
    EMPTY = "empty"
    NOT_A_PACKAGE = "not_a_package"
    UNKNOWN_FORMAT = "unknown_format"
    TRUNCATED = "truncated"
    TAMPERED = "tampered"
    UNTRUSTED_SENDER = "untrusted_sender"
    WRONG_DEVICE = "wrong_device"
    REPLAYED = "replayed"
    OVERSIZE = "oversize"
    INVALID_PAYLOAD = "invalid_payload"
    UNKNOWN_RECORD = "unknown_record"
    ADOPTED_CHANGED = "adopted_changed"


_MESSAGES: dict[DecisionReason, str] = {
    DecisionReason.EMPTY: N_("Het pakket van de supervisor is leeg; het wordt opnieuw verstuurd."),
    DecisionReason.NOT_A_PACKAGE: N_(
        "Dit bestand is geen Wegwijs-pakket van de supervisor; het hoort niet in deze map."
    ),
    DecisionReason.UNKNOWN_FORMAT: N_(
        "Het pakket van de supervisor heeft een onbekende formaatversie; werk Wegwijs bij."
    ),
    DecisionReason.TRUNCATED: N_(
        "Het pakket van de supervisor is onvolledig (afgebroken overdracht); het wordt opnieuw verstuurd."
    ),
    DecisionReason.TAMPERED: N_(
        "Het pakket van de supervisor is onderweg veranderd of beschadigd (handtekening klopt niet); "
        "het wordt niet gebruikt."
    ),
    DecisionReason.UNTRUSTED_SENDER: N_(
        "Het pakket is niet ondertekend door de supervisor die deze laptop vertrouwt; het wordt niet gebruikt."
    ),
    DecisionReason.WRONG_DEVICE: N_(
        "Het pakket van de supervisor is bestemd voor een ander apparaat; het wordt niet gebruikt."
    ),
    DecisionReason.REPLAYED: N_(
        "Het volgnummer van dit pakket van de supervisor is al gebruikt met andere inhoud; het wordt geweigerd."
    ),
    DecisionReason.OVERSIZE: N_(
        "De inhoud van het pakket van de supervisor is te groot om veilig uit te pakken; het wordt niet gebruikt."
    ),
    DecisionReason.INVALID_PAYLOAD: N_(
        "De inhoud van het pakket van de supervisor past niet bij deze versie van Wegwijs; werk Wegwijs bij."
    ),
    DecisionReason.UNKNOWN_RECORD: N_(
        "Het pakket van de supervisor noemt een cliënt of record dat niet op deze laptop staat; "
        "het wordt niet gebruikt: vraag de supervisor of de cliënt aan u is toegewezen."
    ),
    DecisionReason.ADOPTED_CHANGED: N_(
        "Het pakket van de supervisor zou een vastgesteld PIP wijzigen; dat kan niet, het wordt niet gebruikt."
    ),
}

_FROM_ENVELOPE = {
    RefusalReason.EMPTY: DecisionReason.EMPTY,
    RefusalReason.NOT_A_PACKAGE: DecisionReason.NOT_A_PACKAGE,
    RefusalReason.UNKNOWN_FORMAT: DecisionReason.UNKNOWN_FORMAT,
    RefusalReason.TRUNCATED: DecisionReason.TRUNCATED,
    RefusalReason.TAMPERED: DecisionReason.TAMPERED,
    RefusalReason.UNKNOWN_DEVICE: DecisionReason.UNTRUSTED_SENDER,
    RefusalReason.REVOKED_DEVICE: DecisionReason.UNTRUSTED_SENDER,
    RefusalReason.WRONG_RECIPIENT: DecisionReason.WRONG_DEVICE,
    RefusalReason.REPLAYED: DecisionReason.REPLAYED,
    RefusalReason.OVERSIZE: DecisionReason.OVERSIZE,
    RefusalReason.INVALID_PAYLOAD: DecisionReason.INVALID_PAYLOAD,
    RefusalReason.MISSING_REFERENCE: DecisionReason.UNKNOWN_RECORD,
}


def decision_message(reason: DecisionReason) -> str:
    return _(_MESSAGES[reason])


class DecisionRefused(SyncError):
    """A decision package was refused; nothing of it was applied."""

    def __init__(self, reason: DecisionReason, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail  # for the quarantine note: codes and counts, never personal data
        super().__init__(decision_message(reason))


@dataclass(frozen=True)
class DecisionResult:
    outcome: str  # applied / duplicate
    sequence: int
    content_hash: str
    records: int = 0
    kept: int = 0  # this device's own versions kept aside because the supervisor decided
    released: int = 0
    catalogs: list[dict[str, Any]] = field(default_factory=list)
    watermark: int = 0
    waiting: list[str] = field(default_factory=list)  # released clients with changes still to send


def header_of(data: bytes) -> PackageHeader | None:
    """The readable header, for the receipt of a refused package (None when even that is broken)."""
    try:
        return split_package(data).header
    except PackageRefused:
        return None


def open_decision(data: bytes, keys: DeviceKeys, supervisor: PublicKeys | None) -> OpenedPackage:
    def lookup(device_id: str) -> TrustedDevice | None:
        if supervisor is None or device_id != supervisor.device_id:
            return None
        return TrustedDevice(supervisor)

    try:
        opened = open_package(data, keys=keys, lookup_device=lookup)
    except PackageRefused as refusal:
        raise DecisionRefused(_FROM_ENVELOPE[refusal.reason], refusal.detail) from refusal
    payload = opened.payload
    if payload.get("kind") != DECISION_KIND:
        raise DecisionRefused(DecisionReason.INVALID_PAYLOAD, "not a decision package")
    if payload.get("recipient_device") != keys.device_id:
        raise DecisionRefused(DecisionReason.WRONG_DEVICE, "payload names another device")
    return opened


def _check_lifecycle(local: SyncedAggregate, record: IncomingRecord) -> None:
    """An adopted version never changes except to be withdrawn; the term start never moves."""
    table = record.table
    if record.deleted:
        if table in ("pip", "pip_version"):
            raise DecisionRefused(DecisionReason.ADOPTED_CHANGED, f"{table} deleted")
        return
    if table == "pip_version" and getattr(local, "state", None) in (
        PipState.VASTGESTELD.value,
        PipState.INGETROKKEN.value,
    ):
        new_state = record.values.get("state")
        allowed = {PipState.VASTGESTELD.value, PipState.INGETROKKEN.value}
        if local.state == PipState.INGETROKKEN.value:  # type: ignore[attr-defined]
            allowed = {PipState.INGETROKKEN.value}
        keep = {"withdrawn_on", "withdrawn_by", "state", "version", "updated_at"}
        changed = {
            name
            for name, value in record.values.items()
            if name not in keep and getattr(local, name) != value
        }
        if new_state not in allowed or changed:
            raise DecisionRefused(DecisionReason.ADOPTED_CHANGED, f"fields {sorted(changed)}")
    if table == "pip":
        before = getattr(local, "first_adopted_on", None)
        if before is not None and record.values.get("first_adopted_on") != before:
            raise DecisionRefused(DecisionReason.ADOPTED_CHANGED, "term start moved")


def _audit(
    audit: list[dict[str, Any]], action: str, record: IncomingRecord, supervisor: str, now: dt.datetime
) -> None:
    audit.append(
        {
            "at": now,
            "actor": "synchronisatie",
            "role": "klantmanager",
            "action": action,
            "entity_type": record.table,
            "entity_id": record.id,
            "detail": f"{ACTION_DECIDED}:{supervisor}",
        }
    )


def _pending_ids(
    session: Session, keys: set[tuple[str, uuid.UUID]]
) -> dict[tuple[str, uuid.UUID], list[int]]:
    found: dict[tuple[str, uuid.UUID], list[int]] = {}
    ids = list({key[1] for key in keys})
    for start in range(0, len(ids), 900):
        for entry_id, table, entity_id in session.execute(
            select(ChangeJournalEntry.id, ChangeJournalEntry.entity_type, ChangeJournalEntry.entity_id).where(
                ChangeJournalEntry.sync_state == JOURNAL_PENDING,
                ChangeJournalEntry.entity_id.in_(ids[start : start + 900]),
            )
        ):
            found.setdefault((table, entity_id), []).append(entry_id)
    return found


def _marked(payload: dict[str, Any], flag: str) -> set[tuple[str, uuid.UUID]]:
    """Records marked `whole` (a client reassigned to this device) or `resync` (everything again
    after a restore); both may be new here."""
    return {
        (str(item["table"]), uuid.UUID(str(item["id"])))
        for item in payload.get("records", [])
        if isinstance(item, dict) and item.get(flag) is True
    }


def _apply_records(
    session: Session,
    records: list[IncomingRecord],
    whole: set[tuple[str, uuid.UUID]],
    resync: set[tuple[str, uuid.UUID]],
    header: PackageHeader,
    now: dt.datetime,
) -> tuple[int, int]:
    applied = kept = 0
    loaded = preload(session, [(r.table, r.id) for r in records])
    audit: list[dict[str, Any]] = []
    locals_: dict[tuple[str, uuid.UUID], SyncedAggregate | None] = {
        (r.table, r.id): session.get(r.model, r.id) for r in records
    }
    pending = _pending_ids(session, {key for key, value in locals_.items() if value is not None})
    for record in records:
        key = (record.table, record.id)
        local = locals_[key]
        if local is None:
            if record.deleted:
                continue
            if key not in whole and key not in resync:
                raise DecisionRefused(DecisionReason.UNKNOWN_RECORD, f"{record.table} not here")
            session.add(record.model(**record.values))
            _audit(audit, ACTION_CREATE, record, header.device_id, now)
            applied += 1
            continue
        if local.version >= record.version and (
            record.deleted or not differences(serialise(local), record.raw)
        ):
            continue  # already here
        if key in resync and key in pending:
            continue  # changed here since, and not sent yet: this device's version goes to the supervisor
        _check_lifecycle(local, record)
        if key in pending:
            # This device's own change that has not left yet: kept here for inspection, and settled,
            # because the supervisor decided. (A change already sent is at the supervisor's.)
            local_data = serialise(local)
            session.add(
                SyncConflict(
                    entity_type=record.table,
                    entity_id=record.id,
                    device_id=header.device_id,
                    sequence=header.sequence,
                    local_version=local.version,
                    incoming_version=record.version,
                    incoming_base_version=record.base_version,
                    incoming_deleted=int(record.deleted),
                    local_data=local_data,
                    incoming_data=record.raw,
                    differences=differences(local_data, record.raw) if not record.deleted else [],
                    detected_at=now,
                    resolved_at=now,
                    resolution=RESOLVED_BY_SUPERVISOR,
                )
            )
            session.execute(
                update(ChangeJournalEntry)
                .where(ChangeJournalEntry.id.in_(pending[key]))
                .values(sync_state=JOURNAL_PACKAGED)
            )
            kept += 1
        if record.deleted:
            session.delete(local)
        else:
            # Never lower a version here: what this device sends next must stay newer than what it
            # sent before (the supervisor drops a version it already had from this device).
            version = (
                max(record.version, local.version + 1) if local.version >= record.version else record.version
            )
            for name, value in record.values.items():
                if getattr(local, name) != value:  # only what changed goes into the UPDATE
                    setattr(local, name, value)
            local.version = version
        _audit(audit, ACTION_UPDATE, record, header.device_id, now)
        applied += 1
    if audit:
        session.execute(insert(AuditEntry), audit)
    del loaded
    return applied, kept


def release_clients(session: Session, client_ids: list[str]) -> tuple[int, list[str]]:
    """Drop released clients whose changes have all been delivered; the others wait."""
    dropped = 0
    waiting: list[str] = []
    undelivered = [
        set(p.journal_ids or [])
        for p in session.scalars(select(OutboxPackage).where(OutboxPackage.delivered_at.is_(None)))
    ]
    busy_journal: list[int] = sorted(set().union(*undelivered)) if undelivered else []
    for text in client_ids:
        client_id = uuid.UUID(text)
        records = client_records(session, client_id)
        ids = [record.id for record in records]
        pending = session.scalar(
            select(ChangeJournalEntry.id).where(
                ChangeJournalEntry.entity_id.in_(ids),
                (ChangeJournalEntry.sync_state == JOURNAL_PENDING) | ChangeJournalEntry.id.in_(busy_journal),
            )
        )
        if pending is not None:
            waiting.append(text)
            continue
        if not records:
            continue
        # Children first; the household stays (other members may live in it).
        for record in reversed(records):
            if record.__tablename__ != "household":  # type: ignore[attr-defined]
                session.delete(record)
        dropped += 1
    return dropped, waiting


def apply_decision(
    session: Session,
    data: bytes,
    keys: DeviceKeys,
    supervisor: PublicKeys | None,
    now: dt.datetime | None = None,
) -> DecisionResult:
    """Verify and apply one decision package in the caller's transaction (the caller commits, or
    rolls back on DecisionRefused). The journal is off: the supervisor's changes do not go back."""
    now = now or utcnow()
    opened = open_decision(data, keys, supervisor)
    header = opened.header
    previous = session.scalar(
        select(ImportedPackage).where(
            ImportedPackage.device_id == header.device_id, ImportedPackage.sequence == header.sequence
        )
    )
    if previous is not None:
        if previous.content_hash != header.content_hash:
            raise DecisionRefused(DecisionReason.REPLAYED, f"sequence {header.sequence}")
        return DecisionResult("duplicate", header.sequence, header.content_hash, previous.record_count)
    try:
        records = validate_payload(opened.payload)
    except PackageRefused as refusal:
        raise DecisionRefused(DecisionReason.INVALID_PAYLOAD, refusal.detail) from refusal
    payload = opened.payload
    releases = payload.get("release", [])
    catalogs = payload.get("catalogs", [])
    watermark = payload.get("watermark", 0)
    if (
        not isinstance(releases, list)
        or not all(isinstance(text, str) for text in releases)
        or not isinstance(catalogs, list)
        or not isinstance(watermark, int)
    ):
        raise DecisionRefused(DecisionReason.INVALID_PAYLOAD, "release, catalogs or watermark")
    try:
        for text in releases:
            uuid.UUID(text)
    except ValueError as error:
        raise DecisionRefused(DecisionReason.INVALID_PAYLOAD, "release id") from error
    session.info["journal"] = False
    try:
        with session.no_autoflush:
            applied, kept = _apply_records(
                session, records, _marked(payload, "whole"), _marked(payload, "resync"), header, now
            )
        session.flush()
        dropped, waiting = release_clients(session, releases)
        session.flush()
    finally:
        session.info["journal"] = True
    session.add(
        ImportedPackage(
            device_id=header.device_id,
            sequence=header.sequence,
            content_hash=header.content_hash,
            created_at=header.created_at,
            imported_at=now,
            outcome="applied",
            record_count=len(records),
            conflict_count=kept,
        )
    )
    return DecisionResult(
        "applied", header.sequence, header.content_hash, applied, kept, dropped, catalogs, watermark, waiting
    )
