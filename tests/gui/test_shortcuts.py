"""Issue 16: a shortcut for every action of the caseload window, shown in the menus and in the
buttons' tooltips, each used once; the client actions act on the selected row by keyboard alone."""

from __future__ import annotations

import pytest
from builders import add_client_with_case
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QPushButton

from app.i18n import set_ui_language
from app.services.pip import CaseloadView
from app.services.profile import Profile
from app.ui.application import open_main_window
from app.ui.intake import IntakeScreen
from app.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, profile: Profile, synchronous_tasks: None) -> MainWindow:
    set_ui_language("nl")
    with profile.store().session(actor="coa-import") as session:
        add_client_with_case(session, "1234567890", family_name="Haddad")
        add_client_with_case(session, "2345678901", family_name="Yusuf", given_names="Amina")
    window = open_main_window(profile)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.refresh()
    return window


def menu_actions(menu: QMenu) -> list[QAction]:
    found = []
    for action in menu.actions():
        if action.menu() is not None:
            found += menu_actions(action.menu())
        elif not action.isSeparator():
            found.append(action)
    return found


def test_every_menu_action_has_its_own_shortcut(window: MainWindow) -> None:
    actions = [a for top in window.menuBar().actions() for a in menu_actions(top.menu())]
    assert len(actions) >= 18
    missing = [a.text() for a in actions if a.shortcut().isEmpty()]
    assert missing == []
    keys = [a.shortcut().toString() for a in actions]
    assert len(keys) == len(set(keys)), keys
    client_menu = next(top.menu() for top in window.menuBar().actions() if top.text() == "&Cliënt")
    assert [a.shortcut().toString() for a in client_menu.actions()][:2] == ["Ctrl+I", "Ctrl+O"]


def test_the_buttons_name_their_shortcut(window: MainWindow, qtbot) -> None:
    window.table.setFocus()
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.detail.client_id is not None)
    tips = {b.objectName(): b.toolTip() for b in window.detail.findChildren(QPushButton)}
    assert tips["openIntake"] == "Brede intake (Ctrl+I)"
    assert tips["printPip"] == "PIP afdrukken (Ctrl+P)"
    assert "(Ctrl+Shift+S)" in window.sync_widget.button.toolTip()
    assert window.search.toolTip() == "Zoeken (Ctrl+F)"


def test_the_client_actions_by_keyboard_act_on_the_selected_row(window: MainWindow, qtbot) -> None:
    intake_action = window.detail.menu_actions[0]
    assert not intake_action.isEnabled()  # nothing selected: nothing to open
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.detail.client_id is not None)
    chosen = window.selected_client_id()
    assert intake_action.isEnabled()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    screen = window.findChild(IntakeScreen)
    assert isinstance(screen, IntakeScreen)
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.snapshot is not None)
    assert str(screen.client_id) == str(chosen)
    screen.close()

    # Ctrl+3: the "Te laat" view; Ctrl+1 all clients again.
    window.activateWindow()
    qtbot.keyClick(window.table, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.view_bar.view is CaseloadView.TE_LAAT
    qtbot.keyClick(window.table, QKeySequence("Ctrl+1")[0].key(), Qt.KeyboardModifier.ControlModifier)
    assert window.view_bar.view is CaseloadView.ALLE


def test_late_and_soon_are_said_in_words_not_only_colour(window: MainWindow) -> None:
    from app.ui.caseload import COL_DAYS, COL_DEADLINE

    for row in range(window.proxy.rowCount()):
        for column in (COL_DEADLINE, COL_DAYS):
            index = window.proxy.index(row, column)
            if not index.data():
                continue
            spoken = index.data(Qt.ItemDataRole.AccessibleTextRole)
            assert spoken and spoken.split(":")[0] in ("te laat", "binnenkort", "op tijd"), spoken
            assert "⚠" not in spoken and "⏳" not in spoken
            tip = index.data(Qt.ItemDataRole.ToolTipRole)
            assert "-20" not in tip.split(":")[1][:6]  # the date the Dutch way, not ISO
