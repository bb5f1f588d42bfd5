"""What the status bar and `sync status` show: waiting changes, last push and receipt, imports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.models.store import StoreLike
from app.models.sync_state import ImportedPackage, OutboxPackage, SyncConflict
from app.services.profile import Profile
from app.services.sync.records import LAST_PULL, TARGET_SETTING, trusted_supervisor
from app.sync.outbox import LAST_PUSH, LAST_RECEIPT, get_setting, pending_change_count


@dataclass(frozen=True)
class SyncStatus:
    role: str
    pending_changes: int
    undelivered_packages: int
    last_push: dt.datetime | None
    last_receipt: dt.datetime | None
    target: str | None
    supervisor_fingerprint: str | None
    imported_packages: int = 0
    open_conflicts: int = 0
    # Changed records not yet acknowledged: still in the journal or in a package without receipt.
    unacknowledged_records: int = 0
    # The last time this device fetched the supervisor's decisions (the way back).
    last_pull: dt.datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "pending_changes": self.pending_changes,
            "pending_packages": self.undelivered_packages,
            "unacknowledged_records": self.unacknowledged_records,
            "last_push": self.last_push.isoformat() if self.last_push else None,
            "last_receipt": self.last_receipt.isoformat() if self.last_receipt else None,
            "last_pull": self.last_pull.isoformat() if self.last_pull else None,
            "target": self.target,
            "supervisor_fingerprint": self.supervisor_fingerprint,
            "imported_packages": self.imported_packages,
            "open_conflicts": self.open_conflicts,
        }


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


class SyncStatusService:
    """The sync state of one profile, read in one transaction."""

    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    @classmethod
    def for_profile(cls, profile: Profile) -> SyncStatusService:
        return cls(profile)

    @property
    def _store(self) -> StoreLike:
        return self._profile.store()

    def status(self) -> SyncStatus:
        with self._store.session() as session:
            supervisor = trusted_supervisor(session)
            pending = pending_change_count(session)
            in_outbox = int(
                session.scalar(
                    select(func.coalesce(func.sum(OutboxPackage.record_count), 0)).where(
                        OutboxPackage.delivered_at.is_(None)
                    )
                )
                or 0
            )
            return SyncStatus(
                role=self._profile.settings.role,
                pending_changes=pending,
                unacknowledged_records=pending + in_outbox,
                undelivered_packages=int(
                    session.scalar(select(func.count()).where(OutboxPackage.delivered_at.is_(None))) or 0
                ),
                last_push=_time(get_setting(session, LAST_PUSH)),
                last_receipt=_time(get_setting(session, LAST_RECEIPT)),
                last_pull=_time(get_setting(session, LAST_PULL)),
                target=get_setting(session, TARGET_SETTING),
                supervisor_fingerprint=supervisor.fingerprint if supervisor else None,
                imported_packages=int(session.scalar(select(func.count()).select_from(ImportedPackage)) or 0),
                open_conflicts=int(
                    session.scalar(select(func.count()).where(SyncConflict.resolved_at.is_(None))) or 0
                ),
            )
