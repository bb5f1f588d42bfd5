"""Issue 16, fault 6: the "Afronden" checklist names every condition finishing checks, the privacy
statement and a justification for a deviating route included, as they change. Driven by keyboard."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from builders import MakeProfile
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.i18n import set_ui_language
from app.models.client import Case, Client
from app.services.intake import IntakeService
from app.services.profile import Profile
from app.ui.intake import IntakeScreen
from app.ui.intake.states import CONCLUSION_KEY, SESSIONS_KEY

TODAY = dt.date(2026, 11, 20)
REQUIRED = {
    "naam_latijns": "Rania Haddad",
    "geboortedatum": "1994-05-02",
    "v_nummer": "1234567890",
    "doelgroep": "asiel",
    "jaren_onderwijs": "12",
    "gealfabetiseerd": "latijns",
    "moedertaal": "Arabisch",
    "ambitie": "Verpleegkundige worden.",
    "toets_afgenomen": True,
    "toets_uitslag": "score",
    "toets_score": "31",
}


@pytest.fixture
def profile(make_profile: MakeProfile) -> Profile:
    profile = make_profile()
    return profile


def client_with_answers(profile: Profile) -> uuid.UUID:
    with profile.store().session(actor="coa-import") as session:
        client = Client(
            v_nummer="1234567890", family_name="Haddad", given_names="Rania", birth_date="1994-05-02",
            languages=["ar"], target_group="asiel",
        )  # fmt: skip
        session.add(client)
        session.flush()
        session.add(Case(client_id=client.id, municipality="Utrecht"))
        client_id = client.id
    service = IntakeService.for_profile(profile)
    intake = service.open(client_id, TODAY)
    for field_id, value in REQUIRED.items():
        service.save_answer(intake.id, field_id, value)
    return client_id


def checklist(screen: IntakeScreen) -> list[str]:
    page = screen.conclusion_page
    return [page.missing.item(i).text() for i in range(page.missing.count())]


def test_the_checklist_lists_the_privacy_statement_and_a_needed_justification(
    qtbot, profile: Profile, synchronous_tasks: None
) -> None:
    set_ui_language("nl")
    screen = IntakeScreen(IntakeService.for_profile(profile), client_with_answers(profile), TODAY)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.snapshot is not None, timeout=5000)
    screen.show_key(CONCLUSION_KEY)
    page = screen.conclusion_page
    qtbot.waitUntil(lambda: page.route.currentData() == "b1", timeout=5000)  # the advice
    items = checklist(screen)
    assert any("privacyverklaring" in text for text in items), items
    assert not any("onderbouwing" in text for text in items)
    assert page.missing_title.text() == "Nog 1 punt voordat u kunt afronden (Enter springt naar het veld):"

    # Choosing another route than advised adds the justification at once, before any click.
    page.route.setFocus()
    qtbot.keyClick(page.route, Qt.Key.Key_End)
    assert page.route.currentData() != "b1"
    assert any("onderbouwing" in text for text in checklist(screen))
    page.justification.setFocus()
    qtbot.keyClicks(page.justification, "Werkervaring weegt zwaarder.")
    assert not any("onderbouwing" in text for text in checklist(screen))

    # Enter on the privacy line goes to the page where it is recorded.
    page.missing.setFocus()
    page.missing.setCurrentRow(0)
    qtbot.keyClick(page.missing, Qt.Key.Key_Return)
    assert screen.current_key() == SESSIONS_KEY
    QApplication.processEvents()

    # Recorded: the line is gone and the list says all is ready.
    qtbot.keyClick(screen.sessions_page.consent_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: screen.snapshot.privacy_explained, timeout=5000)
    screen.show_key(CONCLUSION_KEY)
    qtbot.waitUntil(lambda: not checklist(screen), timeout=5000)
    assert page.missing_title.text() == "Alles is klaar om af te ronden."
