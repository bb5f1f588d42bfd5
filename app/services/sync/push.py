"""The device side (klantmanager): pending changes become sealed packages in the outbox, which travel
to the target until a receipt signed by the trusted supervisor names them."""

from __future__ import annotations

from sqlalchemy import func, select

from app.domain.enums import Role
from app.i18n import _
from app.models.base import utcnow
from app.models.store import StoreLike
from app.models.sync_state import OutboxPackage
from app.services.profile import Profile
from app.services.sync.keys import device_keys
from app.services.sync.pull import check_restore
from app.services.sync.records import outbox_dir, trusted_supervisor
from app.services.sync.target import SyncTargetService, parse_target
from app.sync.errors import SyncError, TransportError
from app.sync.outbox import (
    LAST_PUSH,
    PushResult,
    collect_receipts,
    package_pending,
    send_undelivered,
    set_setting,
)
from app.sync.transport import Transport


class PushService:
    """Packaging and pushing for a klantmanager profile; each step its own short transaction."""

    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        # Said once, by the first push after a restore (app/sync/restore_guard.py).
        self.restore_notice: str | None = None

    @classmethod
    def for_profile(cls, profile: Profile) -> PushService:
        return cls(profile)

    @property
    def _store(self) -> StoreLike:
        return self._profile.store()

    def package_changes(self) -> int:
        """Write pending changes into outbox packages (works offline); returns how many packages."""
        profile = self._profile
        keys = device_keys(profile)
        notice = check_restore(profile)
        if notice is not None:
            self.restore_notice = notice.message()
        with self._store.session(actor=profile.actor, role=profile.settings.role) as session:
            supervisor = trusted_supervisor(session)
            if supervisor is None:
                raise SyncError(
                    _(
                        "Er is nog geen supervisor vertrouwd; importeer eerst zijn sleutel met "
                        "'keys trust-supervisor'."
                    )
                )
            return len(package_pending(session, keys, supervisor, outbox_dir(profile)))

    def push(self, target: str | None = None, transport: Transport | None = None) -> PushResult:
        """Package pending changes, read receipts, send what the target lacks. Never loses a change.

        A target that cannot be reached is not an error for the outbox: the packages stay and the
        result says why (result.error); the next push sends them.
        """
        profile = self._profile
        if profile.role is not Role.KLANTMANAGER:
            raise SyncError(_("Alleen een klantmanager-installatie verstuurt wijzigingen."))
        given = parse_target(target) if target else None  # refuse a bad address before anything else
        packaged = self.package_changes()
        targets = SyncTargetService.for_profile(profile)
        transport = transport or targets.transport(target)
        keys = device_keys(profile)
        outbox = outbox_dir(profile)
        delivered: list[int] = []
        sent: list[str] = []
        error: str | None = None
        try:
            transport.prepare()
            if given is not None:
                # Only a target that answered replaces the configured one: a typo must not lose it.
                # One that answers and then breaks off (server gone mid-upload) is kept for the retry.
                targets.save(given)
            with self._store.session(actor=profile.actor) as session:
                supervisor = trusted_supervisor(session)
                assert supervisor is not None
                delivered = collect_receipts(session, transport, keys, supervisor, outbox)
            with self._store.session(actor=profile.actor) as session:
                sent = send_undelivered(session, transport, outbox)
                set_setting(session, LAST_PUSH, utcnow().isoformat())
        except TransportError as refusal:
            error = str(refusal)
        with self._store.session() as session:
            pending = int(
                session.scalar(select(func.count()).where(OutboxPackage.delivered_at.is_(None))) or 0
            )
        return PushResult(packaged, sent, delivered, pending, error)
