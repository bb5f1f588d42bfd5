"""Store records and profile folders the sync use cases share (internal to app/services/sync/)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.base import utcnow
from app.models.sync_state import PEER_DEVICE, PEER_SUPERVISOR, SyncPeer
from app.services.profile import Profile
from app.sync.keys import PublicKeys

OUTBOX_DIR = "outbox"
QUARANTINE_DIR = "quarantine"
RECEIPTS_DIR = "receipts"
TARGET_SETTING = "target"
LAST_PULL = "last_pull_at"  # the device last fetched the supervisor's decisions (pull.py)
TARGET_USER_SETTING = "target_user"
TARGET_PASSWORD_SECRET = "sync-target-password"


def outbox_dir(profile: Profile) -> Path:
    return profile.data_dir / OUTBOX_DIR


def quarantine_dir(profile: Profile) -> Path:
    return profile.data_dir / QUARANTINE_DIR


def receipts_dir(profile: Profile) -> Path:
    """The supervisor's own copy of every receipt it wrote (a read-only medium gets none)."""
    return profile.data_dir / RECEIPTS_DIR


def peer_keys(peer: SyncPeer) -> PublicKeys:
    return PublicKeys(peer.verify_key, peer.public_key, peer.role, peer.name, peer.municipality)


def trusted_supervisor(session: Session) -> PublicKeys | None:
    peer = session.scalar(
        select(SyncPeer)
        .where(SyncPeer.kind == PEER_SUPERVISOR, SyncPeer.revoked_at.is_(None))
        .order_by(SyncPeer.registered_at.desc())
        .limit(1)
    )
    return None if peer is None else peer_keys(peer)


def save_peer(session: Session, keys: PublicKeys, kind: str) -> None:
    if kind == PEER_SUPERVISOR:
        # One supervisor at a time: trusting a new one retires the previous key.
        for old in session.scalars(select(SyncPeer).where(SyncPeer.kind == PEER_SUPERVISOR)):
            if old.device_id != keys.device_id and old.revoked_at is None:
                old.revoked_at = utcnow()
    peer = session.get(SyncPeer, keys.device_id)
    if peer is None:
        peer = SyncPeer(device_id=keys.device_id, kind=kind)
        session.add(peer)
    peer.kind = kind
    peer.role, peer.name, peer.municipality = keys.role, keys.name, keys.municipality
    peer.verify_key, peer.public_key, peer.fingerprint = (
        keys.verify_key,
        keys.public_key,
        keys.fingerprint,
    )
    peer.registered_at = utcnow()
    if kind != PEER_DEVICE:
        # Trusting a supervisor again takes it back; a revoked device stays revoked (its key may be lost).
        peer.revoked_at = None
