"""A whole brede intake by keyboard only: every input below is a key press sent to the focused widget."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from app.domain.enums import Role
from app.i18n import set_ui_language
from app.models.client import Case, Client
from app.models.intake import Intake
from app.services.intake import IntakeService
from app.services.profile import Profile
from app.ui.intake import IntakeScreen
from app.ui.intake.editors import FieldEditor, GroupEditor

TODAY = dt.date(2026, 11, 20)

# What to type per field; fields not named here are passed with Tab. Choices are picked by typing the
# start of their label, as a keyboard user does in a closed combo box.
PLAN: dict[str, Any] = {
    "naam_latijns": "Rania Haddad",
    "naam_origineel": "رانيا حداد",
    "geboortedatum": "1994-05",
    "v_nummer": "1234567890",
    "bsn": "111222333",
    "doelgroep": "Asiel",
    "woont_in_azc": "Ja",
    "coa_locatie": "AZC Utrecht",
    "gezinssituatie": "Met partner en",
    "huishoudleden": [["Omar Haddad", "Partner", "1990", "Ja"], ["Lina Haddad", "Kind", "2019-03", "Ja"]],
    "kinderopvang_nodig": "Ja",
    "ervaren_gezondheid": "4",
    "jaren_onderwijs": "14",
    "hoogste_opleiding": "Hoger",
    "gealfabetiseerd": "Kan lezen en schrijven in",
    "diplomas": [["Verpleegkunde", "Syrië", "2016", "Nee"]],
    "wil_studeren": "Nee",
    "moedertaal": "Arabisch",
    "andere_talen": ["en"],
    "niveau_nederlands": "A1",
    "digitale_vaardigheid": "3",
    "inkomen": ["bijstand"],
    "ambitie": "Als verpleegkundige werken 👩‍⚕️ في مستشفى",
    "toets_afgenomen": "Ja",
    "toets_uitslag": "Score",
    "toets_score": "33",
    "toets_datum": "2026-10-01",
}


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def owner(widget: QWidget | None) -> FieldEditor | None:
    """The top-level field editor around a widget (a group, not its sub-field)."""
    found = None
    while widget is not None:
        if isinstance(widget, FieldEditor):
            found = widget
        widget = widget.parentWidget()
    return found


class Keyboard:
    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(focused(), key, modifier)

    def type(self, text: str) -> None:
        if text.isascii():
            self.qtbot.keyClicks(focused(), text)
            return
        # Arabic letters and emoji come from a keyboard layout or input method as key events carrying text;
        # QTest only knows the Latin keys, so such events are sent as the platform would deliver them.
        for char in text:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(focused(), QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))

    def tab(self) -> None:
        self.key(Qt.Key.Key_Tab)

    def choose(self, label_start: str) -> None:
        """Pick in a closed combo box as a keyboard user does: type the first word (the box jumps to the
        first item starting with it; a space would open the list), then Down until the wanted item."""
        combo = focused()
        assert isinstance(combo, QComboBox)
        self.qtbot.keyClicks(combo, label_start.split(" ")[0])
        for _step in range(combo.count()):
            if combo.currentText().startswith(label_start):
                return
            self.qtbot.keyClick(combo, Qt.Key.Key_Down)
        raise AssertionError(f"no choice starts with {label_start!r}")


def fill_group(kb: Keyboard, rows: list[list[str]]) -> None:
    """Focus is on the group's add button: Space adds an entry and focuses its first sub-field."""
    for values in rows:
        kb.key(Qt.Key.Key_Space)
        for number, value in enumerate(values):
            widget = focused()
            if widget.metaObject().className() == "QComboBox":
                kb.choose(value)
            else:
                kb.type(value)
            if number < len(values) - 1:
                kb.tab()
        kb.tab()  # to the entry's remove button
        kb.tab()  # back to the add button


def fill_section(kb: Keyboard, screen: IntakeScreen) -> None:
    done: set[str] = set()
    for _step in range(200):
        widget = focused()
        if widget in (screen.previous_button, screen.next_button, screen.complete_button):
            return
        editor = owner(widget)
        field_id = editor.item.id if editor else None
        value = PLAN.get(field_id) if field_id else None
        if field_id and value is not None and (field_id not in done or isinstance(editor, GroupEditor)):
            if isinstance(editor, GroupEditor):
                if field_id not in done:
                    fill_group(kb, value)
                done.add(field_id)
            elif isinstance(value, list):  # multiple choice: Space on the wanted boxes
                option = widget.objectName().removeprefix(f"input_{field_id}_")
                if option in value:
                    kb.key(Qt.Key.Key_Space)
            elif widget.metaObject().className() == "QComboBox":
                kb.choose(value)
                done.add(field_id)
            else:
                kb.type(value)
                done.add(field_id)
        kb.tab()
    raise AssertionError("Tab never reached the end of the section")


def test_complete_intake_by_keyboard_only(
    qtbot, profile: Profile, synchronous_tasks: None, artifacts_dir: Path
) -> None:
    with profile.store().session(actor="coa-import") as session:
        client = Client(v_nummer="1234567890", family_name="Haddad", given_names="Rania", name_original="رانيا حداد",
                        birth_date="1994-05", languages=["ar"], target_group="asiel")  # fmt: skip
        session.add(client)
        session.flush()
        session.add(Case(client_id=client.id, municipality="Utrecht"))
        client_id: uuid.UUID = client.id
    set_ui_language("nl")
    screen = IntakeScreen(IntakeService(profile.store(), profile.actor, Role.KLANTMANAGER), client_id, TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.activateWindow()
    qtbot.waitActive(screen)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    kb = Keyboard(qtbot)

    # A new intake opens on the conversations page with the date field focused (today already filled).
    assert focused() is screen.sessions_page.date
    kb.tab()  # place: AZC is the first choice
    kb.tab()
    kb.type("VluchtelingenWerk")
    kb.tab()
    kb.choose("Tolk")
    kb.tab()
    kb.choose("Arab")
    kb.tab()
    kb.type("A. Haddad")
    kb.tab()
    kb.type("12345")
    kb.tab()
    assert focused() is screen.sessions_page.add_button
    kb.key(Qt.Key.Key_Space)
    assert screen.snapshot is not None and len(screen.snapshot.sessions) == 1
    assert focused() is screen.sessions_page.add_button
    kb.tab()  # consent: interpreter kind
    kb.choose("Tolk")
    kb.tab()
    kb.choose("Arab")
    kb.tab()
    kb.type("A. Haddad")
    kb.tab()
    kb.type("12345")
    kb.tab()
    assert focused() is screen.sessions_page.consent_button
    kb.key(Qt.Key.Key_Space)
    assert screen.snapshot.privacy_explained

    keys = [screen.nav.item(row).data(Qt.ItemDataRole.UserRole) for row in range(screen.nav.count())]
    sections = [key for key in keys if not key.startswith("__")]
    for _section in sections:
        kb.key(Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        key = screen.current_key()
        if key == "__afronden__":
            break
        fill_section(kb, screen)
        kb.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # mark the section complete
        assert key in screen.snapshot.completed_sections
    else:
        kb.key(Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert screen.current_key() == "__afronden__"
    page = screen.conclusion_page
    assert page.missing_title.text() == "Alles is klaar om af te ronden."
    assert "haalbaar (score 33 van 40, cesuur 28)" in page.test_result.text()
    assert focused() is page.route and page.route.currentData() == "b1"
    qtbot.wait(30)
    assert screen.grab().save(str(artifacts_dir / "intake_toetsenbord_afronden.png"))
    kb.tab()
    kb.tab()
    assert focused() is page.conclude_button
    kb.key(Qt.Key.Key_Space)
    # One question that says what follows (issue 16); Enter confirms, and only then it is concluded.
    box = page.confirmation
    assert box.isVisible() and "niet meer worden gewijzigd" in box.text() and "B1-route" in box.text()
    assert screen.snapshot.editable
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert not screen.snapshot.editable, page.message.text()

    with profile.store().session() as session:
        intake = session.get(Intake, screen.snapshot.id)
        assert intake is not None and intake.status == "afgerond" and intake.chosen_route == "b1"
        answers = {k: v["value"] for k, v in intake.answers.items()}
    assert answers["naam_origineel"] == "رانيا حداد"
    assert answers["huishoudleden"][1] == {"lid_naam": "Lina Haddad", "lid_relatie": "kind",
                                           "lid_geboortedatum": "2019-03", "lid_in_nederland": True}  # fmt: skip
    assert answers["diplomas"][0]["diploma_jaar"] == "2016"
    assert answers["andere_talen"] == ["en"] and answers["ervaren_gezondheid"] == 4
    assert answers["toets_score"] == "33" and answers["ambitie"].endswith("في مستشفى")
    assert len(intake.completed_sections) == len(sections) - 1  # every shown section (ZRM stays hidden)
