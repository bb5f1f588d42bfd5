"""Printing the PIP from the caseload: "PIP afdrukken" (the client's language beside Dutch), "Alle
acht talen" and "Andere taal…" (a language picked), as buttons of the detail pane
(`print_actions(window)`); afterwards "Map openen" in the status bar (app/ui/print_choices.py).

The work goes through app/services/pip/printing.py in three steps, none on the GUI thread: reading the
document (database pool), rendering (the single "pdf" worker: ReportLab's font registry is global and
the renderer holds a lock) and the audit entry (database pool). Before rendering, free texts without a
reviewed translation are listed and the klantmanager may continue; a progress dialog appears after
the task runner's delay (app/ui/tasks.py) and its cancel sets the runner's flag, which the renderer
polls between languages. The result opens in the system viewer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractButton,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from app.domain.errors import WegwijsError
from app.domain.pip_lifecycle import STATE_LABELS
from app.i18n import _, ngettext
from app.services.pip import DocumentService, PendingTranslation, PrintableVersions, PrintJob, PrintOutcome
from app.services.profile import Profile
from app.ui import errors, tasks
from app.ui.client_detail import ClientAction
from app.ui.names import language_name
from app.ui.print_choices import language_question, offer_open_folder

SHOW_AFTER_MS = tasks.PROGRESS_DELAY_MS  # a single PIP is usually ready before this: no dialog flashes up
PDF_FOLDER_OPTION = "pdf_folder"  # profile option; default: the "afdrukken" folder in the profile
MAX_LISTED_TEXTS = 12
SPEC_CLIENT = "client"
SPEC_ALL = "all"


WindowRef = QWidget | Callable[[], QWidget | None]
Opener = Callable[[QUrl], Any]


def default_folder(profile: Profile) -> Path:
    """Where PDFs go: the profile's setting, or a folder inside the profile (it holds personal data)."""
    configured = profile.settings.options.get(PDF_FOLDER_OPTION)
    return Path(configured) if isinstance(configured, str) and configured else profile.data_dir / "afdrukken"


class PrintController(QObject):
    """Runs one print job at a time for the window's profile."""

    finished = Signal(object)  # PrintOutcome, after the audit entry; also when cancelled
    failed = Signal(str)

    def __init__(
        self,
        window: WindowRef,
        *,
        folder: Callable[[Profile], Path] = default_folder,
        opener: Opener = QDesktopServices.openUrl,
        show_after_ms: int = SHOW_AFTER_MS,
    ) -> None:
        super().__init__()
        self._window_ref = window
        self._folder = folder
        self._opener = opener
        self._show_after_ms = show_after_ms
        self.busy = False
        self.message_box: QMessageBox | None = None  # the last question or notice shown (for tests too)
        self.progress_dialog: QProgressDialog | None = None
        self.progress_shown = False
        self._task: tasks.Task | None = None
        self.language_question: QInputDialog | None = None

    # -- the detail pane's buttons ------------------------------------------------------------------

    def actions(self) -> list[ClientAction]:
        return [
            ClientAction(
                label=lambda: _("PIP afdrukken"),
                open=lambda client_id: self.start(client_id, SPEC_CLIENT),
                object_name="printPip",
                needs_integration_duty=True,
            ),
            ClientAction(
                label=lambda: _("Alle acht talen"),
                open=lambda client_id: self.start(client_id, SPEC_ALL),
                object_name="printPipAllLanguages",
                needs_integration_duty=True,
            ),
            ClientAction(
                label=lambda: _("Andere taal…"),
                open=self.ask_language,
                object_name="printPipOtherLanguage",
                needs_integration_duty=True,
            ),
        ]

    def ask_language(self, client_id: str) -> None:
        """Dutch beside a language the klantmanager picks (the client reads another than the one
        recorded, or a family member does); the acting client is the one selected when asked."""
        question = language_question(self.window(), lambda code: self.start(client_id, code))
        self.language_question = question
        question.open()

    # -- step 1: read the document ------------------------------------------------------------------

    def window(self) -> QWidget | None:
        if isinstance(self._window_ref, QWidget):
            return self._window_ref
        return self._window_ref()

    def _owner(self) -> QObject:
        """Results go to the window while it exists (its dialogs are children of it)."""
        return self.window() or self

    def _profile(self) -> Profile:
        window = self.window()
        profile = getattr(window, "profile", None)
        if not isinstance(profile, Profile):
            raise WegwijsError(_("Er is geen geopend profiel; start Wegwijs opnieuw."))
        return profile

    def start(self, client_id: str, spec: str) -> None:
        if self.busy:
            self._notice(_("Er wordt al een PIP gemaakt; wacht tot dat klaar is."))
            return
        try:
            profile = self._profile()
            service = DocumentService.for_profile(profile)
            folder = self._folder(profile)
        except WegwijsError as error:
            self._notice(errors.message(error), warning=True)
            return
        self.busy = True
        tasks.run_in_background(
            "database",
            lambda: service.versions(client_id),
            lambda versions: self._choose_version(service, client_id, spec, folder, versions),
            owner=self._owner(),
            on_error=self._failed,
        )

    def _choose_version(
        self, service: DocumentService, client_id: str, spec: str, folder: Path, versions: PrintableVersions
    ) -> None:
        """The PIP in force prints by default; a later draft only when the klantmanager chooses it."""
        in_force = versions.in_force
        drafts = [(n, state) for n, state in versions.versions if in_force is not None and n > in_force]
        if not drafts:
            self._prepare(service, client_id, spec, folder, None)
            return
        box = QMessageBox(self.window())
        box.setObjectName("printChooseVersion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("PIP afdrukken"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            _("Versie {number} is het geldende PIP (vastgesteld). Welke versie wilt u afdrukken?").format(
                number=in_force
            )
        )
        choices: dict[QAbstractButton, int] = {}
        current = box.addButton(
            _("Versie {number} (geldend)").format(number=in_force), QMessageBox.ButtonRole.AcceptRole
        )
        current.setObjectName("printVersionInForce")
        choices[current] = int(in_force or 0)
        for number, state in drafts:
            button = box.addButton(
                _("Versie {number} ({state}, als concept)").format(
                    number=number, state=_(STATE_LABELS[state])
                ),
                QMessageBox.ButtonRole.AcceptRole,
            )
            button.setObjectName(f"printVersion{number}")
            choices[button] = number
        stop = box.addButton(_("Annuleren"), QMessageBox.ButtonRole.RejectRole)
        stop.setObjectName("printCancel")
        box.setDefaultButton(current)
        box.setEscapeButton(stop)

        def answered(_result: int) -> None:
            number = choices.get(box.clickedButton()) if box.clickedButton() is not None else None
            if number is None:
                self.busy = False
                return
            self._prepare(service, client_id, spec, folder, number)

        box.finished.connect(answered)
        self.message_box = box
        box.open()

    def _prepare(
        self, service: DocumentService, client_id: str, spec: str, folder: Path, version: int | None
    ) -> None:
        tasks.run_in_background(
            "database",
            lambda: service.prepare(client_id, spec, version),
            lambda job: self._prepared(service, job, folder),
            owner=self._owner(),
            on_error=self._failed,
        )

    def _prepared(self, service: DocumentService, job: PrintJob, folder: Path) -> None:
        pending = job.pending_translations
        unreviewed = job.unreviewed_fixed_texts  # issue 19: first translations nobody checked
        if not pending and not unreviewed:
            self._render(service, job, folder)
            return
        box = QMessageBox(self.window())
        box.setObjectName("printGapWarning")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("PIP afdrukken"))
        box.setTextFormat(Qt.TextFormat.PlainText)  # the texts are user text: never markup
        box.setText(
            "\n\n".join(t for t in (gap_warning_text(pending), unreviewed_warning_text(unreviewed)) if t)
        )
        go = box.addButton(_("Toch afdrukken"), QMessageBox.ButtonRole.AcceptRole)
        go.setObjectName("printAnyway")
        stop = box.addButton(_("Annuleren"), QMessageBox.ButtonRole.RejectRole)
        stop.setObjectName("printCancel")
        box.setDefaultButton(go)
        box.setEscapeButton(stop)

        def answered(_result: int) -> None:
            if box.clickedButton() is go:
                self._render(service, job, folder)
            else:
                self.busy = False

        box.finished.connect(answered)
        self.message_box = box
        box.open()

    # -- step 2: render on the pdf worker -----------------------------------------------------------

    def _render(self, service: DocumentService, job: PrintJob, folder: Path) -> None:
        total = len(job.languages)
        dialog = QProgressDialog(
            ngettext("Het PIP wordt gemaakt…", "Het PIP wordt gemaakt in {n} talen…", total).format(n=total),
            _("Annuleren"),
            0,
            total,
            self.window(),
        )
        dialog.setObjectName("printProgress")
        dialog.setMinimumWidth(380)
        dialog.setWindowTitle(_("PIP afdrukken"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        dialog.setMinimumDuration(2**30)  # shown by the runner's delay, not by QProgressDialog's estimate
        dialog.setValue(0)
        dialog.canceled.connect(self._cancel_requested)
        self.progress_dialog = dialog
        self.progress_shown = False
        self._task = tasks.runner.run_with_progress(
            "pdf",
            lambda progress: service.render(
                job, folder, progress=progress.step, cancelled=progress.cancelled
            ),
            lambda outcome: self._rendered(service, job, outcome),
            owner=self._owner(),
            on_error=self._failed,
            on_step=self._step,
            on_progress_due=self._show_progress,
            progress_delay_ms=self._show_after_ms,
        )

    def _show_progress(self) -> None:
        dialog = self.progress_dialog
        if dialog is not None and self.busy:
            dialog.show()
            self.progress_shown = True

    def _step(self, done: int, total: int, code: str) -> None:
        dialog = self.progress_dialog
        if dialog is None:
            return
        dialog.setValue(done)
        if self._task is not None and not self._task.is_cancelled():
            name = language_name(code)
            dialog.setLabelText(
                _("Klaar: {done} van {total} ({language}).").format(done=done, total=total, language=name)
            )

    def _cancel_requested(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self.progress_dialog is not None:
            self.progress_dialog.setLabelText(_("Stoppen na de taal die nu wordt gemaakt…"))

    # -- step 3: audit, then show ---------------------------------------------------------------------

    def _rendered(self, service: DocumentService, job: PrintJob, outcome: PrintOutcome) -> None:
        self._close_progress()
        tasks.run_in_background(
            "database",
            lambda: service.record(job, outcome),
            lambda _none: self._done(job, outcome),
            owner=self._owner(),
            on_error=self._failed,
        )

    def _done(self, job: PrintJob, outcome: PrintOutcome) -> None:
        self.busy = False
        window = self.window()
        written = len(outcome.paths)
        if outcome.cancelled:
            # Issue 19: a set is written whole or not at all (app/services/pdf_files.py).
            self._notice(
                _(
                    "Gestopt: er is geen PDF opgeslagen, ook niet voor de talen die al klaar waren; "
                    "eerder gemaakte PDF's in {folder} zijn niet veranderd."
                ).format(folder=outcome.folder)
            )
        elif written == 1:
            self._open(outcome.paths[0], outcome.folder)
        elif written > 1:
            self._open(outcome.folder, outcome.folder)
        if isinstance(window, QMainWindow) and written:
            window.statusBar().showMessage(saved_message(outcome), 30000)
            offer_open_folder(window, outcome.folder, self._opener)
        self.finished.emit(outcome)

    def _open(self, path: Path, folder: Path) -> None:
        """The system viewer; without one (openUrl says False) the klantmanager hears where the file is."""
        if self._opener(QUrl.fromLocalFile(str(path))) is False:
            self._notice(
                _(
                    "Er is geen programma gevonden dat PDF's of mappen opent. Het PIP is opgeslagen in "
                    "{folder}; open het daar met een PDF-lezer."
                ).format(folder=folder),
                warning=True,
            )

    # -- errors and notices ---------------------------------------------------------------------------

    def _failed(self, error: BaseException) -> None:
        """The runner logged the error; the notice says it as the one error reporter words it."""
        self.busy = False
        self._close_progress()
        message = errors.message(error)
        self._notice(message, warning=True)
        self.failed.emit(message)

    def _close_progress(self) -> None:
        self._task = None
        if self.progress_dialog is not None:
            self.progress_dialog.hide()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _notice(self, text: str, warning: bool = False) -> None:
        box = QMessageBox(self.window())
        box.setObjectName("printNotice")
        box.setIcon(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information)
        box.setWindowTitle(_("PIP afdrukken"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        box.open()


def gap_warning_text(pending: list[PendingTranslation]) -> str:
    """The warning before printing: which free texts print in Dutch, in which languages."""
    codes: list[str] = []
    for item in pending:
        codes += [code for code in item.languages if code not in codes]
    languages = ", ".join(language_name(code) for code in codes)
    lines = [
        ngettext(
            "Deze tekst heeft nog geen door een tolk gecontroleerde vertaling in {languages}:",
            "Deze {n} teksten hebben nog geen door een tolk gecontroleerde vertaling in {languages}:",
            len(pending),
        ).format(n=len(pending), languages=languages),
        "",
    ]
    for item in pending[:MAX_LISTED_TEXTS]:
        where = f"{item.section} – {item.label}" if item.label else item.section
        text = " ".join(item.dutch.split())
        lines.append(f"• {where}: {text[:90] + '…' if len(text) > 90 else text}")
    if len(pending) > MAX_LISTED_TEXTS:
        lines.append(_("• en nog {n} andere").format(n=len(pending) - MAX_LISTED_TEXTS))
    lines += [
        "",
        ngettext(
            "Deze tekst wordt in het Nederlands afgedrukt, met de opmerking dat de vertaling volgt. "
            "U kunt toch afdrukken of eerst de vertaling laten controleren.",
            "Deze teksten worden in het Nederlands afgedrukt, met de opmerking dat de vertaling volgt. "
            "U kunt toch afdrukken of eerst de vertalingen laten controleren.",
            len(pending),
        ),
    ]
    return "\n".join(lines)


def unreviewed_warning_text(counts: dict[str, int]) -> str:
    """Issue 19: the languages whose fixed texts are first translations no interpreter checked."""
    if not counts:
        return ""
    languages = ", ".join(language_name(code) for code in counts)
    return _(
        "De vaste teksten van het PIP in {languages} zijn een eerste vertaling die nog geen tolk heeft "
        "gecontroleerd. Het PIP zegt dat op elke pagina, in die taal en in het Nederlands. Laat de "
        "standaardteksten controleren om die melding weg te krijgen."
    ).format(languages=languages)


def saved_message(outcome: PrintOutcome) -> str:
    """Issue 19: where the new file(s) are; every print is a new file, never an overwrite."""
    if len(outcome.paths) == 1:
        return _("PDF opgeslagen als {path}").format(path=outcome.paths[0])
    return ngettext(
        "{n} PDF opgeslagen in {folder}", "{n} PDF's opgeslagen in {folder}", len(outcome.paths)
    ).format(n=len(outcome.paths), folder=outcome.folder)


def print_actions(window: WindowRef, **options: Any) -> list[ClientAction]:
    """The detail pane's print buttons ("PIP afdrukken", "Alle acht talen", "Andere taal…") for
    `window` (a widget with a `profile`, or a function returning it, for when the buttons exist before
    the window)."""
    return PrintController(window, **options).actions()


__all__ = [
    "PrintController",
    "default_folder",
    "gap_warning_text",
    "print_actions",
    "saved_message",
    "unreviewed_warning_text",
]
