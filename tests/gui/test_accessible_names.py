"""Issue 16, accessibility: every input of the main windows has an accessible name (what a screen
reader says), walked over all widgets through Qt's accessibility API, so a label's buddy counts and a
button's text counts, but a bare field does not. The caseload window, every page of the intake, the
first-run wizard, the municipal settings and the "Ontheffing en bezwaar" dialog."""

from __future__ import annotations

import pytest
from builders import add_client_with_case
from open_windows import accessible_text, shown_intake, shown_pip_editor
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTextEdit,
    QWidget,
)

from app.i18n import set_ui_language
from app.services.profile import Profile
from app.ui.application import open_main_window
from app.ui.first_run import FirstRunWizard
from app.ui.settings import SettingsDialog

INPUTS = (
    QLineEdit,
    QAbstractSpinBox,
    QComboBox,
    QPlainTextEdit,
    QTextEdit,
    QAbstractButton,
    QAbstractItemView,
)


def is_input(widget: QWidget, root: QWidget) -> bool:
    """An input a person reaches; not the parts Qt builds inside one (a combo box's popup list, a
    table's header, a line edit's clear button, the line edit of a spin box) nor a scroll bar."""
    if not isinstance(widget, INPUTS) or isinstance(widget, QScrollBar | QHeaderView):
        return False
    if widget.objectName().startswith("qt_") or widget.window() is not root.window():
        return False
    parent = widget.parentWidget()
    return not isinstance(parent, QLineEdit | QComboBox | QAbstractSpinBox)


def accessible_name(widget: QWidget) -> str:
    return accessible_text(widget, QAccessible.Text.Name)


def nameless(root: QWidget) -> list[str]:
    return sorted(
        f"{type(w).__name__} {w.objectName() or '(zonder objectName)'} in {type(w.parentWidget()).__name__}"
        for w in root.findChildren(QWidget)
        if is_input(w, root) and not accessible_name(w)
    )


@pytest.fixture(autouse=True)
def dutch() -> None:
    set_ui_language("nl")


def test_the_caseload_window(qtbot, profile: Profile, synchronous_tasks: None) -> None:
    with profile.store().session(actor="coa-import") as session:
        add_client_with_case(session, "1234567890")
    window = open_main_window(profile)
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    window.table.selectRow(0)
    assert nameless(window) == []
    # What the keyboard does there is said too.
    assert all(w.accessibleDescription() for w in (window.search, window.table, window.view_bar.combo))


def test_every_page_of_the_intake(qtbot, profile: Profile, synchronous_tasks: None) -> None:
    screen = shown_intake(qtbot, profile)
    for row in range(screen.nav.count()):
        screen.nav.setCurrentRow(row)  # pages are built when first shown
    assert nameless(screen) == []


def test_the_first_run_wizard_and_the_settings(qtbot, profile: Profile, tmp_path) -> None:
    wizard = FirstRunWizard(tmp_path / "nieuw", None, lambda _new: "")
    qtbot.addWidget(wizard)
    wizard.show()
    assert nameless(wizard) == []
    settings = SettingsDialog(profile)
    qtbot.addWidget(settings)
    assert nameless(settings) == []


def test_the_pip_editor(qtbot, profile: Profile, synchronous_tasks: None) -> None:
    editor = shown_pip_editor(qtbot, profile)
    assert nameless(editor) == []


def test_the_exemption_and_objection_dialog(qtbot, profile: Profile, synchronous_tasks: None) -> None:
    from open_windows import shown_term_records

    assert nameless(shown_term_records(qtbot, profile)) == []


def test_the_caseload_window_tabs_in_reading_order(qtbot, profile: Profile, synchronous_tasks: None) -> None:
    with profile.store().session(actor="coa-import") as session:
        add_client_with_case(session, "1234567890")
    window = open_main_window(profile)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.refresh()
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.detail.client_id is not None)
    window.search.setFocus()
    order = []
    for _step in range(6):
        widget = QApplication.focusWidget()
        order.append(widget.objectName())
        assert accessible_name(widget), widget
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    # Search, view, the list, the client's details, then the client's buttons.
    assert order == [
        "caseloadSearch",
        "caseloadView",
        "caseloadTable",
        "clientDetail",
        "openIntake",
        "openPip",
    ]
