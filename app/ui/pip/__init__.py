"""The PIP editor package: open it for a client, or add its button to the caseload's detail pane."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.i18n import _
from app.services.pip import PipService
from app.services.profile import Profile
from app.ui.client_detail import ClientAction
from app.ui.fit import fit_to_screen
from app.ui.pip.editor import PipEditor

__all__ = ["PipEditor", "open_pip_editor", "pip_client_action", "pip_service_for"]

_open_windows: list[PipEditor] = []


def pip_service_for(profile: Profile) -> PipService:
    """The PIP service for the profile's user, role and municipal settings."""
    return PipService.for_profile(profile)


def open_pip_editor(
    profile: Profile,
    client_id: str | uuid.UUID,
    parent: QWidget | None = None,
    today: Callable[[], dt.date] = dt.date.today,
    on_change: Callable[[], None] | None = None,
) -> PipEditor:
    """Open (or draft) the client's PIP in its own window; `on_change` runs after saves and steps.

    The window shows at once and fills when the PIP is loaded on the database worker (its title
    then names the client). A client whose PIP is already open gets that window back, so two
    windows never edit one PIP.
    """
    wanted = uuid.UUID(str(client_id))
    for open_editor in list(_open_windows):
        if open_editor.client_id == wanted and open_editor.isVisible():
            open_editor.raise_()
            open_editor.activateWindow()
            return open_editor
    editor = PipEditor(pip_service_for(profile), wanted, today=today)
    if parent is not None:
        editor.setParent(parent, editor.windowFlags())
        # Closed windows are freed; tests (no parent) keep theirs to inspect after closing.
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    fit_to_screen(editor, "pip", 1100, 700)
    if on_change is not None:
        editor.saved.connect(on_change)
        editor.state_changed.connect(lambda _state: on_change())
    _open_windows.append(editor)
    editor.destroyed.connect(lambda *_args: _open_windows.remove(editor) if editor in _open_windows else None)
    editor.show()
    return editor


def pip_client_action(
    profile: Profile,
    parent: Callable[[], QWidget | None] = lambda: None,
    on_change: Callable[[], None] | None = None,
) -> ClientAction:
    """A "PIP" button for the detail pane (app.ui.client_detail.ClientAction)."""

    def open_for(client_id: str) -> None:
        open_pip_editor(profile, client_id, parent(), on_change=on_change)

    return ClientAction(
        label=lambda: _("PIP openen"), open=open_for, object_name="openPip", needs_integration_duty=True
    )
