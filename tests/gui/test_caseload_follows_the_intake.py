"""Issue 16, fault 3: a new conversation or the privacy statement in the intake window shows in the
caseload without F5, and the change is handed to sync at once. Driven by the keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import MakeProfile
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.domain.enums import TargetGroup
from app.i18n import set_ui_language
from app.models.client import Case, Client
from app.services.profile import Profile
from app.ui.application import open_main_window
from app.ui.caseload import COL_NAME, COL_STATUS
from app.ui.intake import IntakeScreen


@pytest.fixture
def profile(make_profile: MakeProfile) -> Profile:
    profile = make_profile(user_name="km1")
    with profile.store().session(profile.actor, profile.settings.role) as session:
        client = Client(
            v_nummer="4567890123",
            family_name="Yusuf",
            given_names="Amina",
            birth_date="1994-02-03",
            languages=["ar"],
            document_language="ar",
            target_group=TargetGroup.ASIEL.value,
        )
        session.add(client)
        session.flush()
        session.add(Case(client_id=client.id, municipality="Utrecht", huisvestingsdatum=dt.date(2025, 1, 20)))
    return profile


def press(qtbot, button: QPushButton) -> None:
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def test_a_new_conversation_and_the_privacy_statement_reach_the_caseload_and_sync(
    qtbot, profile: Profile, synchronous_tasks: None
) -> None:
    set_ui_language("nl")
    window = open_main_window(profile)
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    nudges: list[int] = []
    real_nudge = window.sync.changes_made
    window.sync.changes_made = lambda: (nudges.append(1), real_nudge())[1]  # type: ignore[method-assign]
    status = window.proxy.index(0, COL_STATUS)
    assert "intake" not in status.data()
    window.table.setFocus()
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.detail.title.text() == window.proxy.index(0, COL_NAME).data())
    press(qtbot, window.detail.findChild(QPushButton, "openIntake"))
    screen = window.findChild(IntakeScreen)
    assert isinstance(screen, IntakeScreen)
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.snapshot is not None, timeout=5000)
    page = screen.sessions_page
    page.date.clear()
    qtbot.keyClicks(page.date, "2025-05-12")
    press(qtbot, page.add_button)
    qtbot.waitUntil(lambda: len(screen.snapshot.sessions) == 1, timeout=5000)
    assert nudges, "the new conversation was not handed to sync"
    qtbot.waitUntil(lambda: window.proxy.index(0, COL_STATUS).data() == "intake loopt", timeout=5000)

    nudges.clear()
    press(qtbot, page.consent_button)
    qtbot.waitUntil(lambda: screen.snapshot.privacy_explained, timeout=5000)
    assert nudges, "the privacy statement was not handed to sync"
    screen.close()
