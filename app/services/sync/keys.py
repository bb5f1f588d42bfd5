"""Device keys and trust: this installation's keys, the supervisor a device trusts, the devices a
supervisor registered (and revoked)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.domain.enums import Role
from app.i18n import _
from app.models.base import utcnow
from app.models.store import StoreLike
from app.models.sync_state import PEER_DEVICE, PEER_SUPERVISOR, SyncPeer
from app.services.profile import Profile
from app.services.sync.records import outbox_dir, peer_keys, save_peer, trusted_supervisor
from app.sync.envelope import recipient_id
from app.sync.errors import SyncError
from app.sync.keys import DeviceKeys, PublicKeys, read_public_keys, write_public_keys
from app.sync.outbox import requeue_for_new_recipient


def device_keys(profile: Profile) -> DeviceKeys:
    """This installation's keys; created on first use (wegwijs init calls this too)."""
    return DeviceKeys.load_or_create(profile.secrets)


@dataclass(frozen=True)
class KeyInfo:
    device_id: str
    fingerprint: str
    role: str
    supervisor: PublicKeys | None
    devices: tuple[tuple[PublicKeys, bool], ...]  # (keys, revoked)


class SyncKeysService:
    """Keys and trust for one profile; each call one short transaction."""

    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    @classmethod
    def for_profile(cls, profile: Profile) -> SyncKeysService:
        return cls(profile)

    @property
    def _store(self) -> StoreLike:
        return self._profile.store()

    def _writer(self) -> tuple[str, str]:
        return self._profile.actor, self._profile.settings.role

    def show(self) -> KeyInfo:
        keys = device_keys(self._profile)
        with self._store.session() as session:
            supervisor = trusted_supervisor(session)
            devices = tuple(
                (peer_keys(peer), peer.revoked_at is not None)
                for peer in session.scalars(select(SyncPeer).where(SyncPeer.kind == PEER_DEVICE))
            )
        return KeyInfo(keys.device_id, keys.fingerprint, self._profile.settings.role, supervisor, devices)

    def export_public(self, path: Path) -> PublicKeys:
        keys = device_keys(self._profile)
        settings = self._profile.settings
        try:
            write_public_keys(path, keys, settings.role, settings.user_name, settings.municipality)
        except OSError as error:
            raise SyncError(
                _("Het sleutelbestand kon niet worden geschreven naar {path}; kies een andere plek.").format(
                    path=path
                )
            ) from error
        return keys.public(settings.role, settings.user_name, settings.municipality)

    def read_supervisor_key(self, path: Path) -> PublicKeys:
        """The supervisor's key file read and checked, not yet trusted: its fingerprint is compared
        aloud first (the first-run wizard)."""
        if self._profile.role is not Role.KLANTMANAGER:
            raise SyncError(_("Alleen een klantmanager-installatie vertrouwt een supervisorsleutel."))
        keys = read_public_keys(path)
        if keys.role != Role.SUPERVISOR.value:
            raise SyncError(
                _("Dit sleutelbestand is niet van een supervisor; vraag de supervisor om zijn bestand.")
            )
        if keys.device_id == device_keys(self._profile).device_id:
            raise SyncError(
                _("Dit is de sleutel van deze installatie zelf; kies het bestand van de supervisor.")
            )
        return keys

    def trust_supervisor(self, path: Path) -> PublicKeys:
        keys = self.read_supervisor_key(path)
        actor, role = self._writer()
        with self._store.session(actor=actor, role=role) as session:
            save_peer(session, keys, PEER_SUPERVISOR)
        # Its own unit of work, as before: the trust stands even when a stale outbox file is stuck.
        with self._store.session(actor=actor, role=role) as session:
            requeue_for_new_recipient(session, recipient_id(keys.public_key), outbox_dir(self._profile))
        return keys

    def register_device(self, path: Path) -> PublicKeys:
        if self._profile.role is not Role.SUPERVISOR:
            raise SyncError(_("Alleen een supervisor-installatie registreert apparaten."))
        keys = read_public_keys(path)
        if keys.role != Role.KLANTMANAGER.value:
            raise SyncError(
                _(
                    "Dit sleutelbestand is niet van een klantmanager-apparaat; "
                    "vraag het apparaat om zijn bestand."
                )
            )
        actor, role = self._writer()
        with self._store.session(actor=actor, role=role) as session:
            known = session.get(SyncPeer, keys.device_id)
            if known is not None and known.kind == PEER_DEVICE and known.revoked_at is not None:
                # Registering the same key again never undoes a revocation: the device needs new keys.
                raise SyncError(
                    _(
                        "Dit apparaat is ingetrokken en kan niet opnieuw worden geregistreerd; laat de "
                        "klantmanager nieuwe sleutels maken (een nieuwe installatie) en registreer die."
                    )
                )
            save_peer(session, keys, PEER_DEVICE)
        return keys

    def revoke_device(self, device: str) -> PublicKeys:
        """Refuse every later package of a device, named by its fingerprint (as `keys show` prints
        it, spaces optional) or its device code. Final: registering the key again is refused."""
        if self._profile.role is not Role.SUPERVISOR:
            raise SyncError(_("Alleen een supervisor-installatie trekt apparaten in."))
        wanted = "".join(device.split())
        actor, role = self._writer()
        with self._store.session(actor=actor, role=role) as session:
            peers = session.scalars(select(SyncPeer).where(SyncPeer.kind == PEER_DEVICE)).all()
            matches = [p for p in peers if wanted in (p.device_id, "".join(p.fingerprint.split()))]
            if not wanted or not matches:
                raise SyncError(
                    _(
                        "Er is hier geen apparaat met deze vingerafdruk geregistreerd; kijk met "
                        "'wegwijs keys show' welke apparaten er zijn."
                    )
                )
            peer = matches[0]
            if peer.revoked_at is None:
                peer.revoked_at = utcnow()
            return peer_keys(peer)
