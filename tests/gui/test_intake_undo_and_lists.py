"""Issue 16, the intake: Ctrl+Z / Ctrl+Shift+Z over the answers until the window closes; the
nationality chosen from CLDR's country list in the interface language; nationality and mother tongue
pre-filled from the case; the conversation form cleared after "Gesprek toevoegen"; a loading state
instead of a blank window. Real store, real Qt, by keyboard."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from builders import add_client_with_case
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from app.domain.enums import Role
from app.i18n import set_ui_language
from app.services.intake import IntakeService, readable_intake
from app.services.profile import Profile
from app.ui.intake import IntakeScreen
from app.ui.intake.editors import CountryEditor
from app.ui.intake.states import SESSIONS_KEY
from app.ui.tasks import wait_for_all

TODAY = dt.date(2026, 11, 20)
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def client_id(profile: Profile) -> uuid.UUID:
    with profile.store().session(actor="coa-import") as session:
        client = add_client_with_case(session, "1234567890", language="ti")
        client.nationality = "ERI"  # as the COA hand-over gives it
        return client.id


@pytest.fixture(autouse=True)
def dutch() -> None:
    set_ui_language("nl")
    yield
    set_ui_language("nl")


def open_screen(qtbot, profile: Profile, client_id: uuid.UUID) -> IntakeScreen:
    screen = IntakeScreen(IntakeService(profile.store(), profile.actor, Role.KLANTMANAGER), client_id, TODAY)
    qtbot.addWidget(screen)
    with qtbot.waitActive(screen):
        screen.show()
        screen.activateWindow()
    return screen


def focused():
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def stored(profile: Profile, screen: IntakeScreen) -> dict:
    assert screen.snapshot is not None
    screen.save_and_wait()
    return IntakeService(profile.store(), profile.actor, Role.KLANTMANAGER).reload(screen.snapshot.id).answers


def test_nationality_and_language_come_from_the_case_and_the_list_is_cldr(
    qtbot, profile: Profile, client_id: uuid.UUID, synchronous_tasks: None
) -> None:
    screen = open_screen(qtbot, profile, client_id)
    answers = stored(profile, screen)
    assert answers["nationaliteit"] == "ERI" and answers["moedertaal"] == "Tigrinya"
    assert answers["documenttaal"] == "ti"
    screen.jump_to("identiteit", "nationaliteit")
    editor = screen.editor("nationaliteit")
    assert isinstance(editor, CountryEditor)
    assert editor.combo.currentText() == "Eritrea"
    names = [editor.combo.itemText(i) for i in range(1, editor.combo.count())]
    assert len(names) > 240 and "Syrië" in names and "Afghanistan" in names
    assert names.index("Afghanistan") < names.index("Eritrea") < names.index("Syrië")
    assert QApplication.focusWidget() is editor.combo
    # Picked by typing its name in the closed list, as a keyboard user does; kept as the COA's code.
    qtbot.keyClicks(editor.combo, "Syri")
    assert editor.combo.currentText() == "Syrië"
    assert stored(profile, screen)["nationaliteit"] == "SYR"
    # The overview (and the export) say the country's name, not its code.
    service = IntakeService(profile.store(), profile.actor, Role.KLANTMANAGER)
    shown = {a.label: a.text for s in readable_intake(service.reload(screen.snapshot.id)) for a in s.answers}
    assert shown["Nationaliteit"] == "Syrië"


def test_the_country_list_speaks_the_interface_language(
    qtbot, profile: Profile, client_id: uuid.UUID, synchronous_tasks: None
) -> None:
    set_ui_language("en")
    screen = open_screen(qtbot, profile, client_id)
    screen.jump_to("identiteit", "nationaliteit")
    editor = screen.editor("nationaliteit")
    assert isinstance(editor, CountryEditor)
    assert editor.combo.currentText() == "Eritrea"
    names = [editor.combo.itemText(i) for i in range(1, editor.combo.count())]
    assert "Syria" in names and "Germany" in names and "Duitsland" not in names


def test_ctrl_z_undoes_the_answers_until_the_window_closes(
    qtbot, profile: Profile, client_id: uuid.UUID, synchronous_tasks: None
) -> None:
    screen = open_screen(qtbot, profile, client_id)
    screen.jump_to("identiteit", "nationaliteit")
    combo = screen.editor("nationaliteit").focus_widget()
    assert isinstance(combo, QComboBox)
    qtbot.keyClicks(combo, "Syri")
    screen.jump_to("talen", "moedertaal")
    line = screen.editor("moedertaal").focus_widget()
    assert isinstance(line, QLineEdit) and line.text() == "Tigrinya"
    qtbot.keyClick(line, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(line, "Arabisch")  # one step, not eight: typing a word is undone as a whole
    assert stored(profile, screen)["moedertaal"] == "Arabisch"

    qtbot.keyClick(line, Qt.Key.Key_Z, CTRL)  # the window's undo, not the line edit's own
    assert line.text() == "Tigrinya"
    assert stored(profile, screen)["moedertaal"] == "Tigrinya"
    qtbot.keyClick(focused(), Qt.Key.Key_Z, CTRL)  # the step before: another section
    assert screen.current_key() == "identiteit"
    assert QApplication.focusWidget() is combo and combo.currentText() == "Eritrea"
    assert stored(profile, screen)["nationaliteit"] == "ERI"

    qtbot.keyClick(focused(), Qt.Key.Key_Z, CTRL | SHIFT)  # and redone
    assert combo.currentText() == "Syrië" and stored(profile, screen)["nationaliteit"] == "SYR"
    qtbot.keyClick(focused(), Qt.Key.Key_Z, CTRL | SHIFT)
    assert screen.current_key() == "talen" and line.text() == "Arabisch"
    assert stored(profile, screen)["moedertaal"] == "Arabisch"


def test_the_conversation_form_is_cleared_after_adding(
    qtbot, profile: Profile, client_id: uuid.UUID, synchronous_tasks: None
) -> None:
    screen = open_screen(qtbot, profile, client_id)
    screen.show_key(SESSIONS_KEY)
    page = screen.sessions_page
    page.date.setFocus()
    qtbot.keyClick(page.date, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(page.date, "18-11-2026")
    page.participants.setFocus()
    qtbot.keyClicks(page.participants, "COA, VluchtelingenWerk")
    page.add_button.setFocus()
    qtbot.keyClick(page.add_button, Qt.Key.Key_Space)
    assert screen.snapshot is not None and len(screen.snapshot.sessions) == 1
    assert screen.snapshot.sessions[0].participants == ("COA", "VluchtelingenWerk")
    assert page.participants.text() == "" and page.date.text() == "20-11-2026"
    assert "18-11-2026" in page.sessions.item(0).text()


def test_a_loading_state_instead_of_a_blank_window(qtbot, profile: Profile, client_id: uuid.UUID) -> None:
    screen = open_screen(qtbot, profile, client_id)  # real worker threads: the load is still on its way
    if screen.snapshot is None:
        assert screen.stack.currentWidget() is screen.loading
        assert screen.loading.isVisible() and screen.loading.text() == "De intake wordt geladen…"
    qtbot.waitUntil(lambda: screen.snapshot is not None, timeout=10000)
    assert screen.stack.currentWidget() is not screen.loading
    screen.close()
    wait_for_all()

    missing = open_screen(qtbot, profile, uuid.uuid4())
    qtbot.waitUntil(lambda: "niet worden geladen" in missing.loading.text(), timeout=10000)
    assert "bestaat niet" in missing.loading.text()
    assert missing.stack.currentWidget() is missing.loading
