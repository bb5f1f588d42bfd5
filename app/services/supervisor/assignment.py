"""Which registered device a client belongs to: the supervisor's assignment, or where the records
came from. Decision packages (supervisor -> device) are addressed with `recipient_device_for`."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.adoption import DecisionKind
from app.domain.errors import WegwijsError
from app.i18n import _
from app.models.journal import record_audit
from app.models.supervisor import ClientAssignment, SupervisorDecision
from app.models.sync_state import PEER_DEVICE, RecordOrigin, SyncPeer
from app.services.client_records import find_client, refuse_if_moved
from app.sync.decisions import reassign_client

ACTION_ASSIGNED = "toegewezen"


class SupervisorRefused(WegwijsError):
    """A supervisor step refused; str(error) is the Dutch sentence."""


@dataclass(frozen=True)
class DeviceInfo:
    device_id: str
    name: str
    fingerprint: str


def registered_devices(session: Session) -> list[DeviceInfo]:
    """The klantmanagers' devices registered here and not revoked, by name."""
    peers = session.scalars(
        select(SyncPeer).where(SyncPeer.kind == PEER_DEVICE, SyncPeer.revoked_at.is_(None))
    ).all()
    return sorted(
        (DeviceInfo(p.device_id, p.name, p.fingerprint) for p in peers), key=lambda d: (d.name, d.device_id)
    )


def recipient_device_for(session: Session, client_id: uuid.UUID) -> str | None:
    """The device a client's decisions go to: the one the supervisor assigned the client to, else the
    device the client's records came from (RecordOrigin); None when neither is known."""
    assigned = session.get(ClientAssignment, client_id)
    if assigned is not None:
        return assigned.device_id
    origin = session.get(RecordOrigin, ("client", client_id))
    if origin is not None:
        return origin.device_id
    return None


def device_names(session: Session) -> dict[str, str]:
    return {peer.device_id: peer.name for peer in session.scalars(select(SyncPeer))}


def reassign(session: Session, reference: str, device_id: str, actor: str, today: dt.date) -> DeviceInfo:
    """Assign a client to another registered device; recorded as a decision and audited."""
    client = find_client(session, reference)
    refuse_if_moved(session, client.id)  # a closed case is nobody's work any more
    devices = {d.device_id: d for d in registered_devices(session)}
    device = devices.get(device_id.strip())
    if device is None:
        raise SupervisorRefused(
            _(
                "Dat apparaat is hier niet geregistreerd (of ingetrokken); registreer eerst de sleutel van "
                "het apparaat met 'wegwijs keys register-device'."
            )
        )
    if recipient_device_for(session, client.id) == device.device_id:
        raise SupervisorRefused(
            _("Deze cliënt hoort al bij het apparaat van {name}; kies een ander apparaat.").format(
                name=device.name or device.device_id
            )
        )
    # The way back (app/sync/decisions.py): the next push gives the new device the whole record and
    # the old one a release; the records' origin moves now, so the old device's late edits conflict.
    reassign_client(session, client.id, device.device_id)
    assignment = session.get(ClientAssignment, client.id)
    if assignment is None:
        session.add(ClientAssignment(client_id=client.id, device_id=device.device_id, assigned_by=actor))
    else:
        assignment.device_id = device.device_id
        assignment.assigned_by = actor
        assignment.assigned_at = dt.datetime.now(dt.UTC)
    session.add(
        SupervisorDecision(
            client_id=client.id,
            kind=DecisionKind.TOEGEWEZEN.value,
            decided_on=today,
            decided_by=actor,
            device_id=device.device_id,
        )
    )
    # The device id is no personal data; the client's name is never in the audit detail.
    record_audit(session, ACTION_ASSIGNED, "client", client.id, f"apparaat:{device.device_id}")
    session.flush()
    return device
