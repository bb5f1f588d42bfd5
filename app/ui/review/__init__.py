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

Every service call (reading, approving, exporting, importing, the audit of entering and leaving)
runs on the database worker of the one runner (app/ui/tasks.py) with the window as its owner; the
file dialogs stay on the GUI thread. Refusals and faults are said through app/ui/errors.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import Role
from app.domain.errors import WegwijsError
from app.i18n import _
from app.i18n.review_layer import LayerImport, language_label
from app.services.profile import Profile
from app.services.review import STANDARD_DOMAINS, TranslationReviewService, activate_reviewed_layer
from app.services.review_exchange import InterpreterExchangeService, PipImport
from app.ui import errors
from app.ui.client_detail import ClientAction
from app.ui.lock import SessionLock, close_other_windows, ensure_unlock_passphrase
from app.ui.review.exchange import ask_which_changes, choose_folder, choose_po_file
from app.ui.review.screen import ReviewScreen
from app.ui.tasks import Task, run_in_background

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
        self.exchange = InterpreterExchangeService(service)
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
        self.export_button.clicked.connect(lambda: self.export_for_interpreter())
        self.import_button.clicked.connect(lambda: self.import_from_interpreter())
        self.export_standard_button.clicked.connect(lambda: self.export_standard())
        self.import_standard_button.clicked.connect(lambda: self.import_standard())

    def _run(self, work: Callable[[], object], done: Callable[..., object]) -> Task:
        return run_in_background("database", work, done, owner=self, on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        self.review_screen.show_message(errors.message(error), error=True)

    def export_for_interpreter(self, folder: Path | None = None) -> Task | None:
        """Write the PIP's free texts as a `.po` file for a remote interpreter (None: cancelled)."""
        folder = folder or choose_folder(self, _("Map voor het vertaalbestand"))
        if folder is None:
            return None
        exchange, client_id = self.exchange, self.client_id
        return self._run(
            lambda: exchange.export(client_id, folder),
            lambda path: self.review_screen.show_message(_("Geschreven: {path}").format(path=path)),
        )

    def import_from_interpreter(self, path: Path | None = None) -> Task | None:
        """Read a returned file, show its changes, store the accepted ones (None: cancelled)."""
        path = path or choose_po_file(self, _("Vertaalbestand van de tolk"))
        if path is None:
            return None
        exchange, client_id = self.exchange, self.client_id
        return self._run(lambda: exchange.read(client_id, path.read_bytes()), self._ask_and_apply)

    def _ask_and_apply(self, imported: PipImport) -> None:
        answer = ask_which_changes(imported, self)
        if answer is None:
            return
        reviewer, accepted = answer
        exchange = self.exchange

        def applied(count: int) -> None:
            self.review_screen.reload()
            self.review_screen.show_message(_("{count} vertaling(en) overgenomen.").format(count=count))

        self._run(lambda: exchange.apply(imported, reviewer, accepted), applied)

    def export_standard(self, folder: Path | None = None) -> Task | None:
        review_set = self.review_screen.review_set
        language = review_set.language if review_set else None
        if not language or language == "nl":
            self.review_screen.show_message(_("Voor deze cliënt is geen documenttaal gekozen."), error=True)
            return None
        folder = folder or choose_folder(self, _("Map voor de beoordeelde standaardteksten"))
        if folder is None:
            return None
        layer = self.service.layer

        def work() -> list[str]:
            written = []
            for domain in STANDARD_DOMAINS:
                target = folder / f"{domain}_{language}_beoordeeld.po"
                if layer.export(domain, language, target):
                    written.append(target.name)
            return written

        def done(written: list[str]) -> None:
            self.review_screen.show_message(
                _("Geschreven: {files}.").format(files=", ".join(written))
                if written
                else _("Er zijn nog geen beoordeelde standaardteksten in deze taal.")
            )

        return self._run(work, done)

    def import_standard(self, path: Path | None = None) -> Task | None:
        """A layer file distributed by a supervisor: checked whole, then stored (None: cancelled)."""
        path = path or choose_po_file(self, _("Beoordeelde standaardteksten"))
        if path is None:
            return None
        layer = self.service.layer

        def work() -> tuple[LayerImport, int]:
            imported = layer.read_import(path.read_bytes())
            return imported, layer.apply(imported)

        def done(result: tuple[LayerImport, int]) -> None:
            imported, count = result
            self.review_screen.reload()
            message = _("{count} beoordeelde standaardtekst(en) overgenomen.").format(count=count)
            self.review_screen.show_message(
                " ".join([message, *imported.warnings]), warning=bool(imported.warnings)
            )

        return self._run(work, done)


class InterpreterModeWindow(QWidget):
    """Interpreter mode on the klantmanager's laptop: only this window is visible while it lasts.

    Entering is recorded on the database worker first; the texts show once it is (an interpreter
    never sees anything before the switch is in the audit log)."""

    left = Signal()

    def __init__(
        self, service: TranslationReviewService, client_id: uuid.UUID, lock: SessionLock | None = None
    ) -> None:
        super().__init__()
        self.client_id = client_id
        self.lock = lock
        self.base_service = service
        self.interpreter_service: TranslationReviewService | None = None
        self.review_screen: ReviewScreen | None = None
        self._active = False  # entering is recorded
        self._left = False
        self.setWindowTitle(_("Tolkmodus — Wegwijs"))
        self.setObjectName("interpreterMode")
        self._layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        banner = QLabel(_("Tolkmodus: u ziet alleen de teksten om te beoordelen."))
        banner.setObjectName("interpreterBanner")
        banner.setStyleSheet("background: #fff4ce; padding: 6px; font-weight: 600;")
        self.leave_button = QPushButton(_("Tolkmodus verlaten (Ctrl+Shift+Q)"))
        self.leave_button.setObjectName("interpreterLeave")
        self.leave_button.clicked.connect(self.leave)
        bar.addWidget(banner, 1)
        bar.addWidget(self.leave_button)
        self._layout.addLayout(bar)
        shortcut = QShortcut(QKeySequence("Ctrl+Shift+Q"), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self.leave)
        run_in_background(
            "database",
            lambda: service.enter_interpreter_mode(client_id),
            self._entered,
            owner=self,
            on_error=self._not_entered,
        )

    def _entered(self, interpreter_service: TranslationReviewService) -> None:
        """Audited: now the interpreter may see the texts."""
        self._active = True
        self.interpreter_service = interpreter_service
        if self._left:  # left before the switch was recorded: record leaving too, show nothing
            self._record_leaving()
            return
        self.review_screen = ReviewScreen(interpreter_service, self.client_id)
        self._layout.addWidget(self.review_screen, 1)

    def _not_entered(self, error: BaseException) -> None:
        """The switch could not be recorded: nothing is shown, the other windows come back."""
        errors.report(None, error)
        self.leave()

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
        if self._left:
            return
        self._left = True
        if self._active:
            self._record_leaving()
        if self.lock is not None:
            self.lock.lock()  # the lock screen shows before this window goes
        self.left.emit()
        self.close()

    def _record_leaving(self) -> None:
        # Queued behind the approvals and recorded even when this window is gone by then; a
        # failure is reported without a window (owner None).
        service, client_id = self.base_service, self.client_id
        run_in_background(
            "database", lambda: service.leave_interpreter_mode(client_id), lambda _none: None, owner=None
        )

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


def import_standard_texts(
    profile: Profile,
    parent: QWidget | None = None,
    path: Path | None = None,
    then: Callable[[str], object] = lambda _message: None,
) -> Task | None:
    """For a menu action (e.g. the supervisor's "Standaardteksten importeren"): read a distributed
    layer file and store it on the database worker; `then` gets one Dutch sentence saying what
    happened, or why nothing was (None: cancelled)."""
    path = path or choose_po_file(parent, _("Beoordeelde standaardteksten"))
    if path is None:
        return None

    def work() -> str:
        layer = activate_reviewed_layer(profile)
        imported = layer.read_import(path.read_bytes())
        count = layer.apply(imported)
        return _("{count} beoordeelde standaardtekst(en) in het {language} overgenomen.").format(
            count=count, language=language_label(imported.language)
        )

    return run_in_background(
        "database", work, then, owner=parent, on_error=lambda error: then(errors.message(error))
    )


def _open_or_report(opener: Callable[[], QWidget | None]) -> None:
    try:
        opener()
    except WegwijsError as error:
        errors.report_caught(None, error)
