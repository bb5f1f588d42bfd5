"""The windows the accessibility and contrast tests walk, opened the same way for each: a new client
with a case, its intake screen, its PIP editor with a draft, or its "Ontheffing en bezwaar" dialog,
shown."""

from __future__ import annotations

import datetime as dt
import uuid

from builders import add_client_with_case, draft_pip_with
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

from app.services.intake import IntakeService
from app.services.profile import Profile
from app.ui.intake import IntakeScreen
from app.ui.pip import open_pip_editor


def new_client(profile: Profile) -> uuid.UUID:
    with profile.store().session(actor="coa-import") as session:
        return add_client_with_case(session, "1234567890").id


def shown_intake(qtbot, profile: Profile) -> IntakeScreen:
    screen = IntakeScreen(IntakeService.for_profile(profile), new_client(profile))
    qtbot.addWidget(screen)
    screen.show()
    return screen


def shown_pip_editor(qtbot, profile: Profile) -> QWidget:
    client_id = new_client(profile)
    draft_pip_with(profile, client_id, {}, dt.date.today())
    editor = open_pip_editor(profile, client_id)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def accessible_text(widget: QWidget, text: QAccessible.Text) -> str:
    """What a screen reader gets through Qt's accessibility API (a label's buddy counts)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(text).strip() if interface is not None else ""


def shown_term_records(qtbot, profile: Profile) -> QWidget:
    from app.services.pip import PipService
    from app.ui.pip.term_records import open_term_records

    client_id = new_client(profile)
    draft_pip_with(profile, client_id, {}, dt.date.today())
    dialog = open_term_records(PipService.for_profile(profile), client_id)
    qtbot.addWidget(dialog)
    return dialog
