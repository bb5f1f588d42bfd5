"""What every PIP use case starts from: the store, who acts in which role, and the municipal
settings; one session per unit of work, with the actor and role the audit log records."""

from __future__ import annotations

from typing import Any, Self

from app.domain.enums import Role
from app.models.store import StoreLike
from app.services.pip.records import PipSettings
from app.services.profile import Profile


class PipWork:
    def __init__(self, store: StoreLike, actor: str, role: Role, settings: PipSettings | None = None) -> None:
        self.store = store
        self.actor = actor
        self.role = role
        self.settings = settings or PipSettings()

    @classmethod
    def for_profile(cls, profile: Profile) -> Self:
        """For the profile's user, role and municipal settings (who may adopt, deadlines)."""
        return cls(
            profile.store(),
            profile.actor,
            Role(profile.settings.role),
            PipSettings.from_options(profile.settings.options),
        )

    def _session(self) -> Any:
        return self.store.session(actor=self.actor, role=self.role.value)
