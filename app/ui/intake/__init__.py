"""The brede intake screen.

For the main window: `open_intake(profile, client_id)` opens (or raises) the intake of one client in
its own window; `intake_action(parent_getter)` is the detail pane's "Brede intake" button
(app/ui/client_detail.py ClientAction).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.i18n import _
from app.services.intake import IntakeService
from app.services.profile import Profile
from app.ui.client_detail import ClientAction
from app.ui.intake.screen import IntakeScreen

__all__ = ["IntakeScreen", "intake_action", "open_intake"]

_open_screens: dict[uuid.UUID, IntakeScreen] = {}


def intake_service(profile: Profile) -> IntakeService:
    return IntakeService.for_profile(profile)


def open_intake(
    profile: Profile,
    client_id: str | uuid.UUID,
    parent: QWidget | None = None,
    today: dt.date | None = None,
    on_change: Callable[[], None] | None = None,
) -> IntakeScreen:
    """Show the intake of a client in its own window; one window per client (a second call raises it)."""
    key = client_id if isinstance(client_id, uuid.UUID) else uuid.UUID(str(client_id))
    screen = _open_screens.get(key)
    if screen is None or not screen.isVisible():
        screen = IntakeScreen(intake_service(profile), key, today)
        screen.setParent(parent, Qt.WindowType.Window)
        screen.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        screen.destroyed.connect(lambda _obj=None, k=key: _open_screens.pop(k, None))
        if on_change is not None:
            screen.saved.connect(on_change)
            screen.changed.connect(on_change)
        _open_screens[key] = screen
    screen.show()
    screen.raise_()
    screen.activateWindow()
    return screen


def intake_action(
    profile: Profile,
    parent: Callable[[], QWidget | None] = lambda: None,
    on_change: Callable[[], None] | None = None,
) -> ClientAction:
    """The detail pane's button that opens the selected client's intake; `on_change` runs after saves."""

    def open_for(client_id: str) -> None:
        open_intake(profile, client_id, parent(), on_change=on_change)

    return ClientAction(label=lambda: _("Brede &intake"), open=open_for, object_name="openIntake")
