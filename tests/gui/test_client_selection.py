"""Issue 16, fault 1: the detail pane and its buttons always belong to the selected row, also while
the detail of a newly chosen client is still loading (a deliberately slow load on the real pools)."""

from __future__ import annotations

import threading
import time

import pytest
from builders import MakeProfile
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.i18n import set_ui_language
from app.services.clients import ClientService
from app.services.demo import add_demo_clients
from app.services.profile import Profile
from app.ui.caseload import CLIENT_ID_ROLE, COL_NAME
from app.ui.client_detail import ClientAction
from app.ui.main_window import MainWindow
from app.ui.tasks import wait_for_all

SLOW_S = 0.6


@pytest.fixture
def profile(make_profile: MakeProfile) -> Profile:
    profile = make_profile(municipality="Voorbeeldstad", user_name="km1")
    with profile.store().session(profile.actor, profile.settings.role) as session:
        add_demo_clients(session, 6, seed=5, municipality="Voorbeeldstad", klantmanager="km1")
    return profile


@pytest.fixture
def slow_detail(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The real detail load, made to take SLOW_S seconds once `slow` is set."""
    slow = threading.Event()
    real = ClientService.detail

    def detail(self, client_id, today=None):  # type: ignore[no-untyped-def]
        if slow.is_set():
            time.sleep(SLOW_S)
        return real(self, client_id, today)

    monkeypatch.setattr(ClientService, "detail", detail)
    return slow


def test_a_new_selection_clears_and_disables_at_once_and_acts_on_its_own_client(
    qtbot, profile: Profile, slow_detail: threading.Event
) -> None:
    set_ui_language("nl")
    opened: list[str] = []
    action = ClientAction(label=lambda: "Brede intake", open=opened.append, object_name="openIntake")
    window = MainWindow(profile, [action])
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 6, timeout=5000)
    button = window.detail.findChild(QPushButton, "openIntake")
    first_id = window.proxy.index(0, 0).data(CLIENT_ID_ROLE)
    second_id = window.proxy.index(1, 0).data(CLIENT_ID_ROLE)
    first_name = window.proxy.index(0, COL_NAME).data()
    second_name = window.proxy.index(1, COL_NAME).data()

    window.table.setFocus()
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.detail.title.text() == first_name, timeout=5000)
    assert button.isEnabled()

    slow_detail.set()
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window.selected_client_id() == second_id
    # Before the slow load returns: nothing of the first client, and no button to act with.
    assert window.detail.client_id is None
    assert not button.isEnabled()
    assert first_name not in window.detail.title.text()
    assert first_name not in window.detail.facts.text()
    button.click()  # a click on the disabled button does nothing
    assert opened == []

    qtbot.waitUntil(lambda: window.detail.title.text() == second_name, timeout=5000)
    assert button.isEnabled() and window.detail.client_id == second_id
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert opened == [second_id]
    assert first_id not in opened
    wait_for_all()


def test_a_late_load_of_a_client_left_behind_does_not_fill_the_pane(
    qtbot, profile: Profile, slow_detail: threading.Event
) -> None:
    set_ui_language("nl")
    window = MainWindow(profile, [])
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 6, timeout=5000)
    slow_detail.set()
    window.table.setFocus()
    window.table.selectRow(0)
    slow_detail.clear()
    # The second load is fast and returns first; the first one's late result must not replace it.
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    second_name = window.proxy.index(1, COL_NAME).data()
    qtbot.waitUntil(lambda: window.detail.title.text() == second_name, timeout=5000)
    assert wait_for_all()
    qtbot.wait(50)
    assert window.detail.title.text() == second_name
    assert window.detail.client_id == window.selected_client_id()
