"""The locked app (issue 14): after interpreter mode and after idle minutes.

Locking closes every other Wegwijs window and drops what it held (an intake saves on closing as it
always does; a window of its own is deleted), empties the caseload window and hides it, and shows
the lock screen: only the klantmanager's passphrase (app/services/session_lock.py says which) brings
the caseload back, loaded again from the store. Closing the lock screen ends Wegwijs.

`SessionLock` also watches the keyboard and mouse of the whole application: after the municipal
setting `idle_lock_minutes` without input it locks by itself (0: never).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import WegwijsError
from app.i18n import _
from app.services.profile import Profile
from app.services.session_lock import LockService

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class LockScreen(QWidget):
    """The one window while Wegwijs is locked: the passphrase, or quit."""

    unlocked = Signal()

    def __init__(self, service: LockService) -> None:
        super().__init__()
        self.service = service
        self._done = False
        self.setObjectName("lockScreen")
        self.setWindowTitle(_("Wegwijs is vergrendeld"))
        layout = QVBoxLayout(self)
        settings = service.settings()
        intro = QLabel(
            _("Wegwijs is vergrendeld. Typ het wachtwoord van deze installatie om verder te werken.")
            if settings.asks_vault_passphrase
            else _("Wegwijs is vergrendeld. Typ uw ontgrendelwachtwoord om verder te werken.")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("lockPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Wachtwoord"))
        self.passphrase.setAccessibleDescription(_("Het wachtwoord wordt niet getoond; Enter ontgrendelt."))
        self.passphrase.returnPressed.connect(self.try_unlock)
        layout.addWidget(self.passphrase)
        self.message = QLabel()
        self.message.setObjectName("lockMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        bar = QHBoxLayout()
        self.unlock_button = QPushButton(_("Ontgrendelen"))
        self.unlock_button.setObjectName("lockUnlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.quit_button = QPushButton(_("Wegwijs afsluiten"))
        self.quit_button.setObjectName("lockQuit")
        self.quit_button.clicked.connect(self.close)
        bar.addStretch(1)
        bar.addWidget(self.quit_button)
        bar.addWidget(self.unlock_button)
        layout.addLayout(bar)
        self.resize(460, 180)

    def try_unlock(self) -> bool:
        typed = self.passphrase.text()
        self.passphrase.clear()  # never kept in the widget
        try:
            self.service.verify(typed)
        except WegwijsError as error:
            self.message.setText(str(error))
            return False
        self._done = True
        self.unlocked.emit()
        self.close()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        if not self._done:
            # Closed without the passphrase: Wegwijs ends (the caseload window closes with its backup).
            app = QApplication.instance()
            if isinstance(app, QApplication):
                QTimer.singleShot(0, app.quit)
        super().closeEvent(event)


class SessionLock(QObject):
    """Locks the app for one main window: on request, and after idle minutes."""

    locked = Signal()

    def __init__(
        self,
        profile: Profile,
        window: QWidget,
        drop_data: Callable[[], None],
        restore: Callable[[], None],
        check_every_ms: int = 15_000,
    ) -> None:
        super().__init__(window)
        self.service = LockService.for_profile(profile)
        self.window = window
        self._drop_data = drop_data
        self._restore = restore
        self.screen: LockScreen | None = None
        self._last_input = time.monotonic()
        self.idle_minutes = self.service.settings().idle_minutes
        self._timer = QTimer(self, interval=check_every_ms)
        self._timer.timeout.connect(self.check_idle)

    def start(self) -> None:
        """Watch for input (the caseload window calls this once it shows)."""
        app = QApplication.instance()
        if app is not None and self.idle_minutes > 0:
            app.installEventFilter(self)
            self._timer.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()

    @property
    def is_locked(self) -> bool:
        return self.screen is not None and shiboken6.isValid(self.screen) and self.screen.isVisible()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() in _INPUT_EVENTS:
            self._last_input = time.monotonic()
        return False

    def idle_seconds(self) -> float:
        return time.monotonic() - self._last_input

    def check_idle(self) -> None:
        if self.idle_minutes > 0 and not self.is_locked and self.idle_seconds() >= self.idle_minutes * 60:
            self.lock()

    def lock(self) -> LockScreen:
        """Close and drop every other window, empty and hide the caseload, show the lock screen."""
        if self.is_locked and self.screen is not None:
            return self.screen
        screen = LockScreen(self.service)
        screen.unlocked.connect(self._unlocked)
        self.screen = screen
        screen.show()  # first, so closing the others never leaves Wegwijs without a window
        close_other_windows(keep=(self.window, screen))
        self.drop_window_data()
        self.locked.emit()
        return screen

    def drop_window_data(self) -> None:
        """The caseload window forgets what it showed and hides (interpreter mode, locking)."""
        self._drop_data()
        self.window.hide()

    def _unlocked(self) -> None:
        self._last_input = time.monotonic()
        self.window.show()
        self._restore()


def close_other_windows(keep: tuple[QWidget, ...]) -> None:
    """Close every other Wegwijs window; a window of its own (no parent) is deleted with its data."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    for widget in list(app.topLevelWidgets()):
        if widget in keep or not shiboken6.isValid(widget) or not widget.isWindow():
            continue
        if widget.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            continue
        if isinstance(widget, QDialog):
            widget.reject()  # its caller's exec() returns as cancelled
            continue
        widget.close()
        if widget.parent() is None:
            widget.deleteLater()


class ChooseUnlockPassphrase(QDialog):
    """Once, for a profile whose keys are in the OS keyring: the passphrase that unlocks the app."""

    def __init__(self, service: LockService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle(_("Ontgrendelwachtwoord kiezen"))
        layout = QFormLayout(self)
        intro = QLabel(
            _(
                "Kies een wachtwoord waarmee u Wegwijs ontgrendelt na de tolkmodus of als het een tijd niet "
                "gebruikt is (minstens 8 tekens). Een tolk mag het niet kennen."
            )
        )
        intro.setWordWrap(True)
        layout.addRow(intro)
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setAccessibleName(_("Wachtwoord"))
        self.first.setAccessibleDescription(_("Minstens 8 tekens; een tolk mag het niet kennen."))
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setAccessibleName(_("Herhaal het wachtwoord"))
        self.second.setAccessibleDescription(_("Typ hetzelfde wachtwoord nog eens, ter controle."))
        layout.addRow(_("Wachtwoord"), self.first)
        layout.addRow(_("Herhaal het wachtwoord"), self.second)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._choose)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def _choose(self) -> None:
        try:
            self.service.choose_unlock_passphrase(self.first.text(), self.second.text())
        except WegwijsError as error:
            self.message.setText(str(error))
            return
        self.accept()


def ensure_unlock_passphrase(profile: Profile, parent: QWidget | None = None) -> bool:
    """True when the app can be unlocked (vault passphrase, or an unlock passphrase chosen now)."""
    service = LockService.for_profile(profile)
    if service.settings().unlock_passphrase_set:
        return True
    return ChooseUnlockPassphrase(service, parent).exec() == QDialog.DialogCode.Accepted
