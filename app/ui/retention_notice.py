"""A supervisor's monthly reminder of clients past the retention period (issue 14): one line in the
status bar, once a month (the month is remembered in QSettings, per profile: two profiles on one
computer each get their own reminder), nothing for a klantmanager."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

from app.domain.enums import Role
from app.services.maintenance.retention import RetentionReminder, RetentionService
from app.services.profile import Profile
from app.ui.fit import SETTINGS_APPLICATION, SETTINGS_ORGANISATION
from app.ui.tasks import run_in_background

SETTING = "retention/reminded_month"
SHOWN_MS = 60_000


def remind_retention(window: QMainWindow, profile: Profile) -> None:
    if profile.role is not Role.SUPERVISOR:
        return
    settings = QSettings(SETTINGS_ORGANISATION, SETTINGS_APPLICATION)
    key = f"{SETTING}/{profile.settings.store_id}"
    last = settings.value(key, None)
    last_month = last if isinstance(last, str) else None

    def find() -> RetentionReminder | None:
        return RetentionService.for_profile(profile).reminder(last_month)

    def show(notice: RetentionReminder | None) -> None:
        if notice is None:
            return
        window.statusBar().showMessage(notice.text, SHOWN_MS)
        settings.setValue(key, notice.month)

    # A failure to count is no reason to disturb the supervisor: the command line says it in full.
    run_in_background("database", find, show, owner=window, on_error=lambda _error: None)
