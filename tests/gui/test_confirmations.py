"""Issue 16: "Vaststellen" and "Intrekken" in the PIP editor say what follows and ask once; Escape
changes nothing, Enter takes the step. Real editor over a real store, driven by the keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import MakeProfile
from pip_parts import COMPLETE_PARTS
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.domain.enums import Role, TargetGroup
from app.domain.pip_lifecycle import PipAction, PipState
from app.models.client import Case, Client
from app.models.pip import TextPart
from app.services.pip import PipService, PipSettings, Signatures, text_key
from app.services.profile import Profile
from app.ui.pip.editor import PipEditor

TODAY = dt.date(2025, 6, 2)


@pytest.fixture
def profile(make_profile: MakeProfile) -> Profile:
    profile = make_profile(role=Role.SUPERVISOR, user_name="sup")
    return profile


def test_adopt_and_withdraw_ask_once_and_say_what_follows(
    qtbot, profile: Profile, synchronous_tasks: None
) -> None:
    with profile.store().session() as session:
        client = Client(v_nummer="3456789012", family_name="Tesfay", given_names="Almaz",
                        birth_date="1991-03-04", languages=["nl"], document_language="nl",
                        target_group=TargetGroup.ASIEL.value)  # fmt: skip
        session.add(client)
        session.flush()
        session.add(Case(client_id=client.id, municipality="Utrecht", huisvestingsdatum=dt.date(2025, 1, 20)))
        client_id = client.id
    service = PipService(profile.store(), "sup", Role.SUPERVISOR, PipSettings())
    # Drafted and signed by the klantmanager: four-eyes lets "sup" adopt it.
    drafter = PipService(profile.store(), "km.jansen", Role.KLANTMANAGER, PipSettings())
    pip = drafter.draft(client_id, TODAY)
    drafter.save(
        pip.version_id, {**COMPLETE_PARTS, "leerroute": "b1", text_key(TextPart.FINAL_GOAL): "B1"}, TODAY
    )
    drafter.act(pip.version_id, PipAction.BESPREKEN, TODAY)
    drafter.act(pip.version_id, PipAction.ONDERTEKENEN, TODAY, Signatures(TODAY, TODAY, None))

    editor = PipEditor(service, client_id, today=lambda: TODAY)
    qtbot.addWidget(editor)
    editor.show()
    adopt = editor.findChild(QPushButton, "pipAction_vaststellen")
    assert adopt.isVisible()
    adopt.setFocus()
    qtbot.keyClick(adopt, Qt.Key.Key_Space)
    box = editor.confirmation
    assert box.isVisible() and "geldende PIP" in box.text() and "niet meer veranderen" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert editor.snapshot.state is PipState.ONDERTEKEND  # Escape: nothing happened

    qtbot.keyClick(adopt, Qt.Key.Key_Space)
    qtbot.keyClick(editor.confirmation, Qt.Key.Key_Return)
    assert editor.snapshot.state is PipState.VASTGESTELD

    withdraw = editor.findChild(QPushButton, "pipAction_intrekken")
    withdraw.setFocus()
    qtbot.keyClick(withdraw, Qt.Key.Key_Space)
    assert "geen geldend PIP" in editor.confirmation.text()
    qtbot.keyClick(editor.confirmation, Qt.Key.Key_Return)
    assert editor.snapshot.state is PipState.INGETROKKEN
