"""The store's health as the profile and the `check` command see it: the checks of integrity.py, and
the newest good backup (backup.py) to name when the store is damaged.

Apart from integrity.py because the backups use those checks themselves.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from app.services.maintenance.backup import BackupService
from app.services.maintenance.integrity import (
    IntegrityReport,
    check_file,
    check_store,
    damaged_store_error,
)

if TYPE_CHECKING:
    from app.models.store import Store
    from app.services.profile import Profile


class IntegrityService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    @classmethod
    def for_profile(cls, profile: Profile) -> IntegrityService:
        return cls(profile)

    def check(self) -> tuple[IntegrityReport, str | None]:
        """The store's report and, when it is damaged, the newest backup that passes the same checks."""
        report = check_file(self._profile.store_path, self._profile.store_key())
        if report.ok:
            return report, None
        last = BackupService.for_profile(self._profile).last_good()
        return report, last.path if last else None


def check_after_unclean_shutdown(profile: Profile, store: Store) -> None:
    """The store was left open by a process that ended without closing it: check before use."""
    report = check_store(store)
    if report.ok:
        store.forget_unclean_markers()
        return
    with contextlib.suppress(Exception):
        store.close()
    last = BackupService.for_profile(profile).last_good()
    raise damaged_store_error(store.path, last.path if last else None)
