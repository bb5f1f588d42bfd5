"""Issue 14: the app locks itself after idle minutes and when the interpreter-mode window is closed;
only the klantmanager's passphrase brings the caseload back, and what was open stays closed."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import shiboken6
from builders import TEST_PASSPHRASE, add_client_with_case
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton
from pytestqt.qtbot import QtBot

from app.domain.enums import Role
from app.models.pip import Pip
from app.services.profile import Profile
from app.services.session_lock import LockService, UnlockRefused
from app.ui.intake import intake_action
from app.ui.lock import LockScreen
from app.ui.main_window import MainWindow
from app.ui.retention_notice import remind_retention
from app.ui.review import InterpreterModeWindow, interpreter_mode_action


def _window(qtbot: QtBot, profile: Profile) -> MainWindow:
    with profile.store().session() as session:
        client_id = add_client_with_case(session, "2345678901", klantmanager="km.jansen").id
    holder: list[MainWindow] = []
    actions = [
        intake_action(profile, lambda: holder[0] if holder else None),
        interpreter_mode_action(profile, lambda: holder[0].session_lock if holder else None),
    ]
    window = MainWindow(profile, actions)
    holder.append(window)
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    qtbot.waitUntil(lambda: window.select_client(str(client_id)), timeout=3000)
    return window


def _lock_screen() -> LockScreen:
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, LockScreen) and w.isVisible())


def _open(qtbot: QtBot, window: MainWindow, name: str) -> None:
    button = window.findChild(QPushButton, name)
    assert button is not None
    qtbot.waitUntil(button.isEnabled, timeout=3000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_idle_minutes_lock_and_the_passphrase_unlocks(
    qtbot: QtBot, profile: Profile, synchronous_tasks: None
) -> None:
    profile.settings.options["idle_lock_minutes"] = 1
    window = _window(qtbot, profile)
    lock = window.session_lock
    assert lock.idle_minutes == 1
    lock.start()
    _open(qtbot, window, "openIntake")
    intake = next(w for w in QApplication.topLevelWidgets() if type(w).__name__ == "IntakeScreen")

    lock.check_idle()  # just used: nothing happens
    assert window.isVisible() and not lock.is_locked
    lock._last_input = time.monotonic() - 61  # a minute without keyboard or mouse
    lock.check_idle()
    screen = _lock_screen()
    qtbot.addWidget(screen)
    assert lock.is_locked and not window.isVisible()
    assert window.model.rowCount() == 0
    qtbot.waitUntil(lambda: not shiboken6.isValid(intake), timeout=3000)  # closed, data dropped

    qtbot.keyClicks(screen.passphrase, "fout wachtwoord")
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    assert screen.isVisible() and "klopt niet" in screen.message.text()
    assert screen.passphrase.text() == "" and not window.isVisible()

    qtbot.keyClicks(screen.passphrase, TEST_PASSPHRASE)
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    assert not screen.isVisible() and window.isVisible() and not lock.is_locked
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=3000)  # loaded again
    assert not any(type(w).__name__ == "IntakeScreen" for w in QApplication.topLevelWidgets())
    lock.stop()


def test_no_idle_lock_when_the_setting_is_zero(
    qtbot: QtBot, profile: Profile, synchronous_tasks: None
) -> None:
    profile.settings.options["idle_lock_minutes"] = 0
    window = _window(qtbot, profile)
    window.session_lock._last_input = time.monotonic() - 10_000
    window.session_lock.check_idle()
    assert window.isVisible() and not window.session_lock.is_locked


def test_closing_interpreter_mode_locks_and_brings_nothing_back(
    qtbot: QtBot, profile: Profile, synchronous_tasks: None
) -> None:
    window = _window(qtbot, profile)
    _open(qtbot, window, "openIntake")
    _open(qtbot, window, "openInterpreterMode")
    mode = next(w for w in QApplication.topLevelWidgets() if isinstance(w, InterpreterModeWindow))
    qtbot.addWidget(mode)
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [mode]

    mode.close()  # the window's close button, as an interpreter might press it
    screen = _lock_screen()
    qtbot.addWidget(screen)
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert visible == [screen]  # no caseload, no intake (health section included), no interpreter mode
    # Ctrl+Shift+Q on the lock screen does nothing either.
    qtbot.keyClick(
        screen, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [screen]
    screen.passphrase.setText(TEST_PASSPHRASE)
    assert screen.try_unlock()
    assert window.isVisible()


def test_the_vault_passphrase_is_what_unlocks(profile: Profile) -> None:
    service = LockService.for_profile(profile)
    settings = service.settings()
    assert settings.asks_vault_passphrase and settings.unlock_passphrase_set and settings.idle_minutes == 10
    service.verify(TEST_PASSPHRASE)
    for wrong in ("", "correct horse battery stapl", TEST_PASSPHRASE + " "):
        try:
            service.verify(wrong)
        except UnlockRefused as error:
            assert "klopt niet" in str(error)
        else:
            raise AssertionError(f"{wrong!r} unlocked")


def test_a_supervisor_sees_the_retention_notice_once_a_month(
    qtbot: QtBot, make_profile: Any, synchronous_tasks: None
) -> None:
    supervisor = make_profile(role=Role.SUPERVISOR, folder="sup")
    with supervisor.store().session() as session:
        client = add_client_with_case(session, "1111111111")
        session.add(Pip(client_id=client.id, first_adopted_on=dt.date(2015, 1, 5), in_force_number=1))
    window = MainWindow(supervisor)
    qtbot.addWidget(window)
    remind_retention(window, supervisor)
    assert "retention --apply" in window.statusBar().currentMessage()
    window.statusBar().clearMessage()
    remind_retention(window, supervisor)  # the same month: no second notice
    assert window.statusBar().currentMessage() == ""


def test_the_idle_minutes_are_a_municipal_setting(qtbot: QtBot, profile: Profile) -> None:
    from app.ui.settings import SettingsDialog

    dialog = SettingsDialog(profile)
    qtbot.addWidget(dialog)
    assert (
        dialog.idle_lock.value() == 10 and dialog.retention.value() == 5 and dialog.backup_age.value() == 30
    )
    dialog.idle_lock.setValue(25)
    dialog.retention.setValue(7)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert profile.settings.options["idle_lock_minutes"] == 25
    assert LockService.for_profile(profile).settings().idle_minutes == 25
    assert profile.settings.options["retention_years"] == 7
