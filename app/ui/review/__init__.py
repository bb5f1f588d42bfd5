"""Interpreter review windows: the klantmanager's review window and interpreter mode.

- `open_review(profile, client_id)`: the review screen with the exchange for a remote interpreter
  (export / import of the PIP's free texts) and of the reviewed standard texts.
- `open_interpreter_mode(profile, client_id, lock)`: the laptop goes into interpreter mode. Every
  other Wegwijs window is closed and its data dropped (an open intake saves and closes; the caseload
  is emptied and hidden), the interpreter sees the client's name and the texts to review, as the
  interpreter role: never a restricted intake section. Entering and leaving are recorded in the
  audit log. Leaving (the button, Ctrl+Shift+Q) and closing the window both lock the app
  (app/ui/lock.py): only the klantmanager's passphrase brings the caseload back (issue 14).
- `review_client_action` / `interpreter_mode_action`: buttons for the caseload's detail pane
  (app.ui.client_detail.ClientAction), to be listed in app.ui.application.client_actions().
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import Role
from app.domain.errors import WegwijsError
from app.i18n import _
from app.i18n.review_layer import language_label
from app.services.profile import Profile
from app.services.review import STANDARD_DOMAINS, TranslationReviewService, activate_reviewed_layer
from app.ui.client_detail import ClientAction
from app.ui.lock import SessionLock, close_other_windows, ensure_unlock_passphrase
from app.ui.review.exchange import export_for_interpreter, import_from_interpreter
from app.ui.review.screen import ReviewScreen

__all__ = [
    "InterpreterModeWindow",
    "ReviewScreen",
    "ReviewWindow",
    "import_standard_texts",
    "interpreter_mode_action",
    "open_interpreter_mode",
    "open_review",
    "review_client_action",
]

_open_windows: list[QWidget] = []


def _keep(window: QWidget) -> None:
    _open_windows.append(window)
    window.destroyed.connect(lambda *_a: _open_windows.remove(window) if window in _open_windows else None)


class ReviewWindow(QWidget):
    """The klantmanager's review window: the screen plus the exchange buttons."""

    def __init__(
        self, service: TranslationReviewService, client_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.client_id = client_id
        self.setWindowTitle(_("Vertalingen beoordelen — Wegwijs"))
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.export_button = QPushButton(_("Teksten exporteren voor de tolk (.po)"))
        self.export_button.setObjectName("reviewExport")
        self.import_button = QPushButton(_("Vertaling van de tolk importeren"))
        self.import_button.setObjectName("reviewImport")
        self.export_standard_button = QPushButton(_("Standaardteksten exporteren"))
        self.export_standard_button.setObjectName("reviewExportStandard")
        self.import_standard_button = QPushButton(_("Standaardteksten importeren"))
        self.import_standard_button.setObjectName("reviewImportStandard")
        for button in (
            self.export_button,
            self.import_button,
            self.export_standard_button,
            self.import_standard_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.review_screen = ReviewScreen(service, client_id)
        layout.addWidget(self.review_screen, 1)
        self.export_button.clicked.connect(self._export)
        self.import_button.clicked.connect(lambda: self._import())
        self.export_standard_button.clicked.connect(self._export_standard)
        self.import_standard_button.clicked.connect(lambda: self.import_standard())

    def _export(self) -> None:
        try:
            path = export_for_interpreter(self.service, self.client_id, self)
        except WegwijsError as error:
            self.review_screen.show_message(str(error), error=True)
            return
        if path is not None:
            self.review_screen.show_message(_("Geschreven: {path}").format(path=path))

    def _import(self, path: Path | None = None) -> None:
        try:
            count = import_from_interpreter(self.service, self.client_id, self, path)
        except WegwijsError as error:
            self.review_screen.show_message(str(error), error=True)
            return
        if count is not None:
            self.review_screen.reload()
            self.review_screen.show_message(_("{count} vertaling(en) overgenomen.").format(count=count))

    def _export_standard(self) -> None:
        language = self.review_screen.review_set.language if self.review_screen.review_set else None
        if not language or language == "nl":
            self.review_screen.show_message(_("Voor deze cliënt is geen documenttaal gekozen."), error=True)
            return
        folder = QFileDialog.getExistingDirectory(self, _("Map voor de beoordeelde standaardteksten"))
        if not folder:
            return
        written = []
        for domain in STANDARD_DOMAINS:
            target = Path(folder) / f"{domain}_{language}_beoordeeld.po"
            if self.service.layer.export(domain, language, target):
                written.append(target.name)
        self.review_screen.show_message(
            _("Geschreven: {files}.").format(files=", ".join(written))
            if written
            else _("Er zijn nog geen beoordeelde standaardteksten in deze taal.")
        )

    def import_standard(self, path: Path | None = None) -> int | None:
        """A layer file distributed by a supervisor: checked whole, then stored."""
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self, _("Beoordeelde standaardteksten"), "", _("Vertaalbestanden (*.po)")
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            imported = self.service.layer.read_import(path.read_bytes())
            count = self.service.layer.apply(imported)
        except WegwijsError as error:
            self.review_screen.show_message(str(error), error=True)
            return None
        self.review_screen.reload()
        message = _("{count} beoordeelde standaardtekst(en) overgenomen.").format(count=count)
        self.review_screen.show_message(
            " ".join([message, *imported.warnings]), warning=bool(imported.warnings)
        )
        return count


class InterpreterModeWindow(QWidget):
    """Interpreter mode on the klantmanager's laptop: only this window is visible while it lasts."""

    left = Signal()

    def __init__(
        self, service: TranslationReviewService, client_id: uuid.UUID, lock: SessionLock | None = None
    ) -> None:
        super().__init__()
        self.client_id = client_id
        self.lock = lock
        self.base_service = service
        self.interpreter_service = service.enter_interpreter_mode(client_id)  # audited
        self._active = True
        self.setWindowTitle(_("Tolkmodus — Wegwijs"))
        self.setObjectName("interpreterMode")
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        banner = QLabel(_("Tolkmodus: u ziet alleen de teksten om te beoordelen."))
        banner.setObjectName("interpreterBanner")
        banner.setStyleSheet("background: #fff4ce; padding: 6px; font-weight: 600;")
        self.leave_button = QPushButton(_("Tolkmodus verlaten (Ctrl+Shift+Q)"))
        self.leave_button.setObjectName("interpreterLeave")
        self.leave_button.clicked.connect(self.leave)
        bar.addWidget(banner, 1)
        bar.addWidget(self.leave_button)
        layout.addLayout(bar)
        self.review_screen = ReviewScreen(self.interpreter_service, client_id)
        layout.addWidget(self.review_screen, 1)
        shortcut = QShortcut(QKeySequence("Ctrl+Shift+Q"), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self.leave)
        self._hidden: list[QWidget] = []

    def close_others(self) -> None:
        """Close every other Wegwijs window and drop its data (issue 14: hiding them let Ctrl+Shift+Q
        bring the health section back); the caseload window is emptied and hidden."""
        if self.lock is not None:
            close_other_windows(keep=(self, self.lock.window))
            self.lock.drop_window_data()
        else:
            close_other_windows(keep=(self,))

    def leave(self) -> None:
        """End interpreter mode: the app locks, the klantmanager's passphrase opens it again."""
        if not self._active:
            return
        self._active = False
        try:
            self.base_service.leave_interpreter_mode(self.client_id)  # audited
        finally:
            if self.lock is not None:
                self.lock.lock()  # the lock screen shows before this window goes
            self.left.emit()
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        self.leave()
        super().closeEvent(event)


def review_service_for(profile: Profile, role: Role | None = None) -> TranslationReviewService:
    return TranslationReviewService.for_profile(profile, role)


def open_review(profile: Profile, client_id: str | uuid.UUID, parent: QWidget | None = None) -> ReviewWindow:
    window = ReviewWindow(review_service_for(profile), uuid.UUID(str(client_id)))
    if parent is not None:
        window.setParent(parent, window.windowFlags() | Qt.WindowType.Window)
    window.resize(1150, 800)
    _keep(window)
    window.show()
    return window


def open_interpreter_mode(
    profile: Profile, client_id: str | uuid.UUID, lock: SessionLock | None = None
) -> InterpreterModeWindow | None:
    if not ensure_unlock_passphrase(profile):
        return None  # without a way to unlock, interpreter mode would lock the klantmanager out
    window = InterpreterModeWindow(review_service_for(profile), uuid.UUID(str(client_id)), lock)
    window.resize(1150, 800)
    window.close_others()
    _keep(window)
    window.show()
    return window


def review_client_action(
    profile: Profile, parent: Callable[[], QWidget | None] = lambda: None
) -> ClientAction:
    """A "Vertalingen" button for the detail pane: review, export and import for this client."""
    return ClientAction(
        label=lambda: _("Vertalingen"),
        open=lambda client_id: _open_or_report(lambda: open_review(profile, client_id, parent())),
        object_name="openReview",
    )


def interpreter_mode_action(
    profile: Profile, lock: Callable[[], SessionLock | None] = lambda: None
) -> ClientAction:
    """A "Tolkmodus" button for the detail pane; `lock` gives the caseload window's SessionLock."""
    return ClientAction(
        label=lambda: _("Tolkmodus"),
        open=lambda client_id: _open_or_report(lambda: open_interpreter_mode(profile, client_id, lock())),
        object_name="openInterpreterMode",
    )


def import_standard_texts(profile: Profile, parent: QWidget | None = None, path: Path | None = None) -> str:
    """For a menu action (e.g. the supervisor's "Standaardteksten importeren"): read a distributed
    layer file, store it and return one Dutch sentence saying what happened ("" when cancelled)."""
    if path is None:
        chosen, _filter = QFileDialog.getOpenFileName(
            parent, _("Beoordeelde standaardteksten"), "", _("Vertaalbestanden (*.po)")
        )
        if not chosen:
            return ""
        path = Path(chosen)
    layer = activate_reviewed_layer(profile)
    try:
        imported = layer.read_import(path.read_bytes())
        count = layer.apply(imported)
    except WegwijsError as error:
        return str(error)
    return _("{count} beoordeelde standaardtekst(en) in het {language} overgenomen.").format(
        count=count, language=language_label(imported.language)
    )


def _open_or_report(opener: Callable[[], QWidget | None]) -> None:
    try:
        opener()
    except WegwijsError as error:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(None, "Wegwijs", str(error))
