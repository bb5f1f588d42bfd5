"""The klantmanager's own name (issue 19): an older profile without one is asked once at start-up."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot

from app.domain.enums import Role
from app.services.profile import Profile, init_profile, open_profile
from app.ui.person_name import ask_person_name_once


@pytest.fixture
def profile(tmp_path: Path, passphrase_env: str) -> Iterator[Profile]:
    profile = init_profile(tmp_path / "profiel", Role.KLANTMANAGER, "Utrecht", "km.jansen")
    yield profile
    profile.close()


def answer_dialog(qtbot: QtBot, answer: Callable[[QInputDialog], None], seen: list[str]) -> None:
    """Answer the next input dialog as a person would, once it is open."""

    def act() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QInputDialog) and w.isVisible()]
        if not dialogs:
            QTimer.singleShot(20, act)
            return
        seen.append(dialogs[0].labelText())
        answer(dialogs[0])

    QTimer.singleShot(0, act)


def test_an_older_profile_is_asked_once_and_keeps_the_name(qtbot: QtBot, profile: Profile) -> None:
    assert profile.person_name == ""
    seen: list[str] = []

    def type_name(dialog: QInputDialog) -> None:
        dialog.setTextValue("  Fatima   El Amrani ")
        dialog.accept()

    answer_dialog(qtbot, type_name, seen)
    assert ask_person_name_once(profile)
    assert seen == ["Uw naam komt als klantmanager in het PIP te staan. Hoe heet u?"]
    assert profile.person_name == "Fatima El Amrani"
    saved = json.loads((profile.data_dir / "profile.json").read_text(encoding="utf-8"))
    assert saved["person_name"] == "Fatima El Amrani" and saved["user_name"] == "km.jansen"
    assert open_profile(profile.data_dir).person_name == "Fatima El Amrani"
    # Known now: not asked again (no dialog opens; a dialog would block this call).
    assert ask_person_name_once(profile)
    assert seen == ["Uw naam komt als klantmanager in het PIP te staan. Hoe heet u?"]


def test_cancelling_keeps_the_profile_without_a_name(qtbot: QtBot, profile: Profile) -> None:
    seen: list[str] = []
    answer_dialog(qtbot, lambda dialog: dialog.reject(), seen)
    assert not ask_person_name_once(profile)
    assert len(seen) == 1 and profile.person_name == ""
    saved = json.loads((profile.data_dir / "profile.json").read_text(encoding="utf-8"))
    assert saved["person_name"] == ""
