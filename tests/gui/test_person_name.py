"""The klantmanager's own name (issue 19): an older profile without one is asked once at start-up,
by a question over the main window that does not hold the window up."""

from __future__ import annotations

import json

import pytest
from builders import MakeProfile
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.services.profile import Profile, open_profile
from app.ui.person_name import ask_person_name_once

QUESTION = "Uw naam komt als klantmanager in het PIP te staan. Hoe heet u?"


@pytest.fixture
def profile(make_profile: MakeProfile) -> Profile:
    profile = make_profile()
    return profile


def test_an_older_profile_is_asked_once_and_keeps_the_name(qtbot: QtBot, profile: Profile) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    assert profile.person_name == ""
    dialog = ask_person_name_once(profile, window)
    assert dialog is not None and dialog.isVisible() and dialog.labelText() == QUESTION
    assert window.isVisible()  # the question does not block: the window is there behind it
    dialog.setTextValue("  Fatima   El Amrani ")
    dialog.accept()
    assert profile.person_name == "Fatima El Amrani"
    saved = json.loads((profile.data_dir / "profile.json").read_text(encoding="utf-8"))
    assert saved["person_name"] == "Fatima El Amrani" and saved["user_name"] == "km.jansen"
    assert open_profile(profile.data_dir).person_name == "Fatima El Amrani"
    assert ask_person_name_once(profile, window) is None  # known now: not asked again


def test_cancelling_keeps_the_profile_without_a_name(qtbot: QtBot, profile: Profile) -> None:
    dialog = ask_person_name_once(profile)
    assert dialog is not None
    dialog.reject()
    assert profile.person_name == ""
    saved = json.loads((profile.data_dir / "profile.json").read_text(encoding="utf-8"))
    assert saved["person_name"] == ""
    again = ask_person_name_once(profile)  # asked again at the next start
    assert again is not None
    again.setTextValue("   ")
    again.accept()  # an empty answer is no name
    assert profile.person_name == ""
