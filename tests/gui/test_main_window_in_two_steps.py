"""Issue 15: the start paints the caseload first and builds the rest of the window after it
(`MainWindow(..., complete=False)`, then `complete()`). Until then nothing can act on a client; once
complete, the client chosen meanwhile is the one the pane and its buttons show."""

from __future__ import annotations

import pytest
from builders import MakeProfile
from PySide6.QtWidgets import QPushButton

from app.i18n import set_ui_language
from app.services.caseload import CaseloadService
from app.services.demo import add_demo_clients
from app.services.profile import Profile
from app.ui.caseload import CLIENT_ID_ROLE, COL_NAME, COL_V_NUMMER
from app.ui.client_detail import ClientAction
from app.ui.main_window import MainWindow
from app.ui.tasks import wait_for_all


@pytest.fixture
def profile(make_profile: MakeProfile) -> Profile:
    profile = make_profile(municipality="Voorbeeldstad", user_name="km1")
    with profile.store().session(profile.actor, profile.settings.role) as session:
        add_demo_clients(session, 5, seed=8, municipality="Voorbeeldstad", klantmanager="km1")
    return profile


def test_the_caseload_shows_before_the_rest_and_the_rest_acts_on_the_row_chosen_meanwhile(
    qtbot, profile: Profile
) -> None:
    set_ui_language("nl")
    rows = CaseloadService.for_profile(profile).rows()
    window = MainWindow(profile, complete=False)
    qtbot.addWidget(window)
    window.show_rows(rows)
    window.show()
    assert window.proxy.rowCount() == 5
    assert window.count_label.text() == "5 cliënten"
    assert "Voorbeeldstad" in window.windowTitle()
    # Nothing to act with yet: the menus' titles are there (nothing moves later), greyed and empty.
    titles = ["&Bestand", "&Cliënt", "&Beeld", "&Help"]
    assert [action.text() for action in window.menuBar().actions()] == titles
    assert not any(action.isEnabled() for action in window.menuBar().actions())
    assert not any(action.menu().actions() for action in window.menuBar().actions())
    assert window.findChildren(QPushButton, "openIntake") == []

    window.table.selectRow(2)
    chosen = window.proxy.index(2, 0).data(CLIENT_ID_ROLE)
    chosen_name = window.proxy.index(2, COL_NAME).data()
    opened: list[str] = []
    window.complete(
        [ClientAction(label=lambda: "Brede intake", open=opened.append, object_name="openIntake")]
    )

    assert [action.text() for action in window.menuBar().actions()] == titles
    assert all(action.isEnabled() and action.menu().actions() for action in window.menuBar().actions())
    qtbot.waitUntil(lambda: window.detail.title.text() == chosen_name, timeout=5000)
    button = window.detail.findChild(QPushButton, "openIntake")
    qtbot.waitUntil(button.isEnabled, timeout=5000)
    button.click()
    assert opened == [chosen]
    # The views and the filter work on the rows painted first, and a refresh keeps the choice.
    window.search.setText(window.proxy.index(2, COL_V_NUMMER).data())
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1, timeout=3000)
    assert window.proxy.index(0, 0).data(CLIENT_ID_ROLE) == chosen
    window.refresh()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Caseload geladen.", timeout=5000)
    assert window.selected_client_id() == chosen
    window.close()
    wait_for_all()


def test_closing_before_the_rest_is_built_stops_cleanly(qtbot, profile: Profile) -> None:
    window = MainWindow(profile, complete=False)
    qtbot.addWidget(window)
    window.show_rows(CaseloadService.for_profile(profile).rows())
    window.show()
    window.changes_made()  # a save elsewhere cannot happen yet, and must not fail if it did
    window.drop_data()
    assert window.proxy.rowCount() == 0
    assert window.close()
