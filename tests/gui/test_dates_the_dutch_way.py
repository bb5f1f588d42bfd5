"""Issue 16: dates typed the Dutch way (25-7-1997) or as ISO, partly known dates, a calendar by
keyboard (Alt+Down, Enter), shown one way (25-07-1997). Real intake window over a real store."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import MakeProfile
from PySide6.QtCore import Qt

from app.i18n import set_ui_language
from app.models.client import Case, Client
from app.services.intake import IntakeService
from app.services.profile import Profile
from app.ui.dates import show_date
from app.ui.intake import IntakeScreen

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def profile(make_profile: MakeProfile) -> Profile:
    profile = make_profile()
    return profile


def open_screen(qtbot, profile: Profile) -> IntakeScreen:
    with profile.store().session(actor="coa-import") as session:
        client = Client(v_nummer="1234567890", family_name="Haddad", given_names="Rania",
                        birth_date="1994-05", languages=["ar"], target_group="asiel")  # fmt: skip
        session.add(client)
        session.flush()
        session.add(Case(client_id=client.id, municipality="Utrecht"))
        client_id = client.id
    screen = IntakeScreen(IntakeService.for_profile(profile), client_id, TODAY)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.snapshot is not None, timeout=5000)
    return screen


def test_shown_one_way() -> None:
    assert show_date("1997-07-25") == "25-07-1997"
    assert show_date("1997-07") == "07-1997"
    assert show_date(dt.date(2025, 1, 2)) == "02-01-2025"
    assert show_date("onbekend") == "onbekend"


def test_typed_the_dutch_way_stored_as_iso_and_shown_dutch(
    qtbot, profile: Profile, synchronous_tasks: None
) -> None:
    set_ui_language("nl")
    screen = open_screen(qtbot, profile)
    screen.jump_to(screen.snapshot.definition.section_of("geboortedatum").id, "geboortedatum")
    birth = screen.editor("geboortedatum")
    assert birth is not None
    edit = birth.focus_widget()
    assert edit.text() == "05-1994"  # a partly known date from the COA list, shown the Dutch way
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "25-7-1994")
    screen.flush()
    qtbot.waitUntil(lambda: screen.saved_answers.get("geboortedatum") == "1994-07-25", timeout=5000)
    assert (
        IntakeService.for_profile(profile).reload(screen.snapshot.id).answers["geboortedatum"] == "1994-07-25"
    )

    # The calendar by keyboard: Alt+Down opens it on the typed date, Enter takes the chosen day.
    qtbot.keyClick(edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = birth.calendar.calendar
    assert calendar.isVisible() and calendar.selectedDate().toString("yyyy-MM-dd") == "1994-07-25"
    qtbot.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Right)
    qtbot.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Return)
    assert not calendar.isVisible()
    assert edit.text() == "26-07-1994"


def test_a_conversation_date_typed_the_dutch_way(qtbot, profile: Profile, synchronous_tasks: None) -> None:
    set_ui_language("nl")
    screen = open_screen(qtbot, profile)
    page = screen.sessions_page
    assert page.date.text() == "20-11-2026"  # today, shown the Dutch way
    page.date.selectAll()
    qtbot.keyClicks(page.date, "3-11-2026")
    page.add_button.setFocus()
    qtbot.keyClick(page.add_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(screen.snapshot.sessions) == 1, timeout=5000)
    assert screen.snapshot.sessions[0].held_on == dt.date(2026, 11, 3)
    assert page.sessions.item(0).text().startswith("03-11-2026")
