"""The supervisor's view of what arrived (records per device) and the conflicts to decide."""

from __future__ import annotations

from app.models.store import StoreLike
from app.services.profile import Profile
from app.sync import conflicts
from app.sync.conflicts import Arrival, ConflictDecision, ConflictView


class ConflictService:
    """Arrivals and conflict decisions for a supervisor profile; each call one transaction."""

    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    @classmethod
    def for_profile(cls, profile: Profile) -> ConflictService:
        return cls(profile)

    @property
    def _store(self) -> StoreLike:
        return self._profile.store()

    def arrivals(self) -> list[Arrival]:
        """Every imported record with the device (klantmanager) it came from and when it arrived."""
        with self._store.session() as session:
            return conflicts.arrivals(session)

    def open_conflicts(self) -> list[ConflictView]:
        with self._store.session() as session:
            return conflicts.open_conflicts(session)

    def resolve(self, conflict_id: str, keep: ConflictDecision | str) -> None:
        """Close a conflict: keep the version here, or take the incoming one (as a new version)."""
        profile = self._profile
        with self._store.session(actor=profile.actor, role=profile.settings.role) as session:
            conflicts.resolve_conflict(session, conflict_id, keep)
