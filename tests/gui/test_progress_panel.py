"""Issue 13: the PIP editor's progress panel on a real adopted PIP (real store, Qt under Xvfb):
an exam result recorded with the mouse shows with its attempt number, a wrong date is refused in
Dutch on the editor's message line, and the Z-route shows hours instead of exams."""

from __future__ import annotations

import datetime as dt
import uuid

from builders import add_client_with_case, draft_pip_with
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.domain.pip_lifecycle import PipState
from app.models.pip import Pip
from app.services.profile import Profile
from app.ui.pip import PipEditor, open_pip_editor

ADOPTED = dt.date(2026, 1, 5)
TODAY = dt.date(2026, 6, 15)


def adopted_pip(profile: Profile, v_nummer: str, route: str) -> uuid.UUID:
    """A first PIP adopted on ADOPTED (set directly: the lifecycle has its own tests)."""
    with profile.store().session(actor="km.jansen") as session:
        client_id = add_client_with_case(session, v_nummer, koppeldatum=dt.date(2025, 11, 1)).id
    draft_pip_with(profile, client_id, {"leerroute": route, "progress_interval_months": 3}, ADOPTED)
    with profile.store().session(actor="tl", role="supervisor") as session:
        pip = session.scalars(select(Pip).where(Pip.client_id == client_id)).one()
        version = pip.versions[0]
        version.state, version.adopted_on, version.adopted_by = PipState.VASTGESTELD.value, ADOPTED, "tl"
        pip.first_adopted_on, pip.in_force_number = ADOPTED, 1
        pip.current_state, pip.current_route = PipState.VASTGESTELD.value, route
    return client_id


def click(qtbot: QtBot, editor: PipEditor, name: str) -> None:
    button = editor.findChild(QPushButton, name)
    assert isinstance(button, QPushButton) and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_an_exam_result_is_recorded_with_its_attempt(
    qtbot: QtBot, profile: Profile, synchronous_tasks: None
) -> None:
    client_id = adopted_pip(profile, "1300000201", "b1")
    editor = open_pip_editor(profile, client_id, today=lambda: TODAY)
    qtbot.addWidget(editor)
    panel = editor.progress_panel
    assert "te laat" in panel.summary.text() and "05-04-2026" in panel.summary.text()
    assert panel.hours_button.isHidden() and not panel.exam_button.isHidden()  # B1-route: exams, no hours
    qtbot.keyClicks(panel.exam_date, "01-07-2026")
    click(qtbot, editor, "pipRecordExam")
    assert "toekomst" in editor.message.text()
    panel.exam_date.clear()
    qtbot.keyClicks(panel.exam_date, "02-03-2026")
    panel.exam_outcome.setCurrentIndex(panel.exam_outcome.findData("niet_behaald"))
    click(qtbot, editor, "pipRecordExam")
    qtbot.keyClicks(panel.exam_date, "04-05-2026")
    panel.exam_outcome.setCurrentIndex(panel.exam_outcome.findData("behaald"))
    click(qtbot, editor, "pipRecordExam")
    assert editor.message.text() == ""
    assert panel.exams_label.text().splitlines() == [
        "lezen B1 poging 1 (02-03-2026): niet behaald",
        "lezen B1 poging 2 (04-05-2026): behaald",
    ]
    editor.close()


def test_the_z_route_counts_hours(qtbot: QtBot, profile: Profile, synchronous_tasks: None) -> None:
    client_id = adopted_pip(profile, "1300000202", "z")
    editor = open_pip_editor(profile, client_id, today=lambda: TODAY)
    qtbot.addWidget(editor)
    editor.show()
    panel = editor.progress_panel
    assert panel.hours_button.isVisible() and not panel.exam_button.isVisible()
    qtbot.keyClicks(panel.hours_from, "06-01-2026")
    qtbot.keyClicks(panel.hours_to, "31-03-2026")
    panel.hours_count.setValue(120)
    click(qtbot, editor, "pipRecordHours")
    assert editor.message.text() == ""
    assert panel.hours_label.text().splitlines()[0] == "taal en KNM: 120 van 800 uur"
    editor.close()
