"""Issue 16, looked at once more as a klantmanager would: dates the Dutch way in the PIP editor and in
every reading of the intake, language names instead of codes in the conversations, caseload columns
as wide as their headers in English and reaching the window's edge, a calendar that is drawn."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from builders import add_client_with_case, draft_pip_with

from app.domain.intake_vocabulary import InterpreterKind, Place
from app.forms import default_registry
from app.forms.answers import format_answer
from app.i18n import set_ui_language
from app.services.intake import IntakeService, SessionInput
from app.services.profile import Profile
from app.ui.application import open_main_window
from app.ui.caseload import COL_NAME, COL_ROUTE
from app.ui.dates import CalendarButton
from app.ui.intake import IntakeScreen
from app.ui.pip import open_pip_editor
from app.ui.pip.fields import DateField, InvalidInput

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def dutch() -> None:
    set_ui_language("nl")


def test_the_pip_editor_takes_and_shows_dutch_dates(qtbot, profile: Profile, synchronous_tasks: None) -> None:
    with profile.store().session(actor="coa-import") as session:
        client_id: uuid.UUID = add_client_with_case(session, "1234567890").id
    draft_pip_with(profile, client_id, {"pvt_planned_by": dt.date(2026, 3, 1)}, TODAY)
    editor = open_pip_editor(profile, client_id)
    qtbot.addWidget(editor)
    editor.show()
    pvt = editor.findChild(DateField, "pipPvtDate")
    assert pvt.text() == "01-03-2026"
    for typed in ("25-7-2026", "25-07-2026", "2026-07-25"):
        pvt.setText(typed)
        assert pvt.value() == dt.date(2026, 7, 25)
    pvt.setText("31-02-2026")
    with pytest.raises(InvalidInput, match="DD-MM-JJJJ"):
        pvt.value()


def test_intake_answers_read_with_dutch_dates() -> None:
    definition = default_registry().latest()
    birth = definition.field("geboortedatum")
    assert birth is not None
    assert format_answer(birth, "1997-07-25") == "25-07-1997"
    assert format_answer(birth, "1997-07") == "07-1997"
    assert format_answer(birth, "1997") == "1997"
    assert format_answer(birth, "gisteren") == "gisteren"  # an invalid answer shows as typed


def test_conversations_name_the_language(qtbot, profile: Profile, synchronous_tasks: None) -> None:
    with profile.store().session(actor="coa-import") as session:
        client_id: uuid.UUID = add_client_with_case(session, "1234567890").id
    service = IntakeService.for_profile(profile)
    intake_id = service.open(client_id, TODAY).id
    service.add_session(
        intake_id, SessionInput(TODAY, Place.AZC, (), InterpreterKind.TOLK, "ar", "A. Haddad", "12345"), TODAY
    )
    screen = IntakeScreen(service, client_id)
    qtbot.addWidget(screen)
    screen.show()
    shown = screen.sessions_page.sessions.item(0).text()
    assert "(Arabisch)" in shown and "(ar)" not in shown


def test_caseload_columns_fit_their_headers_and_the_window(
    qtbot, profile: Profile, synchronous_tasks: None
) -> None:
    with profile.store().session(actor="coa-import") as session:
        add_client_with_case(session, "1234567890")
    window = open_main_window(profile)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    window.refresh()
    window.change_language("en")
    try:
        header = window.table.horizontalHeader()
        assert window.table.columnWidth(COL_ROUTE) >= header.sectionSizeHint(COL_ROUTE)  # "Learning route"
        shown = sum(
            window.table.columnWidth(c) for c in range(header.count()) if not window.table.isColumnHidden(c)
        )
        assert shown >= window.table.viewport().width() - 2
        assert window.table.columnWidth(COL_NAME) >= 180
    finally:
        window.change_language("nl")


def test_the_calendar_button_is_drawn_not_an_emoji(qtbot) -> None:
    from PySide6.QtWidgets import QLineEdit

    edit = QLineEdit()
    button = CalendarButton(edit)
    qtbot.addWidget(edit)
    assert button.text() == "" and not button.icon().isNull()


def test_the_settings_speak_dutch_and_show_their_paths(qtbot, profile: Profile) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from app.ui.settings import SettingsDialog

    dialog = SettingsDialog(profile)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = sorted(button.text() for button in dialog.findChild(QDialogButtonBox).buttons())
    assert texts == ["Annuleren", "Opslaan"]
    assert dialog.pdf_folder.width() >= 320 and dialog.logo.width() >= 320
