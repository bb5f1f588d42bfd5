"""The supervisor's import screen: choose files or a folder, or watch the configured target.

Imports run on the single database worker through the task runner (app/ui/tasks.py): progress comes
back by signal and shows after the runner's delay, as in Anki; cancel is the runner's flag, which
the worker polls between packages. Below the
controls: the result per package, the open conflicts with their differences field by field, and
what arrived per klantmanager (read-only).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _
from app.services import sync as sync_service
from app.services.profile import Profile
from app.services.sync import ConflictDecision, ConflictService, SupervisorImportService
from app.ui import errors
from app.ui.sync_status import ask_sync_target
from app.ui.tasks import Task, run_in_background, runner

WATCH_INTERVAL_MS = 60_000

OUTCOME_WORDS = {
    "imported": N_("geïmporteerd"),
    "duplicate": N_("al eerder geïmporteerd"),
    "conflict": N_("conflict"),
    "refused": N_("geweigerd"),
}


def _table(headers: list[str]) -> tuple[QTableView, QStandardItemModel]:
    model = QStandardItemModel(0, len(headers))
    model.setHorizontalHeaderLabels(headers)
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    return view, model


def _item(value: Any) -> QStandardItem:
    item = QStandardItem("" if value is None else str(value))
    item.setEditable(False)
    return item


class SupervisorImportWidget(QWidget):
    """The import screen of the supervisor role."""

    importFinished = Signal(object)  # sync_service.ImportSummary

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.busy = False
        self._task: Task | None = None
        self.conflicts: list[sync_service.ConflictView] = []

        self.files_button = QPushButton(_("Pakketten kiezen…"))
        self.folder_button = QPushButton(_("Map kiezen…"))
        self.target_button = QPushButton(_("Importeren uit het synchronisatiedoel"))
        self.watch_box = QCheckBox(_("Het synchronisatiedoel in de gaten houden"))
        self.watch_box.setObjectName("watchTarget")
        self.watch_box.setAccessibleDescription(
            _(
                "Aangevinkt: Wegwijs kijkt elke paar minuten zelf of er nieuwe pakketten zijn en importeert ze."
            )
        )
        self.target_setting_button = QPushButton(_("Doel instellen…"))
        self.target_setting_button.clicked.connect(lambda: ask_sync_target(self, self.profile))
        self.files_button.clicked.connect(self._choose_files)
        self.folder_button.clicked.connect(self._choose_folder)
        self.target_button.clicked.connect(self.import_target)
        self.watch_box.toggled.connect(self._watch)
        buttons = QHBoxLayout()
        for widget in (
            self.files_button,
            self.folder_button,
            self.target_button,
            self.watch_box,
            self.target_setting_button,
        ):
            buttons.addWidget(widget)
        buttons.addStretch(1)

        self.progress = QProgressBar()
        self.progress.hide()
        self.cancel_button = QPushButton(_("Annuleren"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self._cancel_import)
        self.summary_label = QLabel("")
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        progress_row.addWidget(self.summary_label, 1)

        self.results_view, self.results = _table(
            [_("Pakket"), _("Uitkomst"), _("Apparaat"), _("Records"), _("Reden")]
        )
        self.conflicts_view, self.conflict_model = _table(
            [_("Soort"), _("Record"), _("Klantmanager"), _("Versie hier"), _("Binnengekomen versie")]
        )
        self.differences_view, self.differences = _table([_("Veld"), _("Hier"), _("Binnengekomen")])
        self.conflicts_view.selectionModel().currentRowChanged.connect(self._show_differences)
        for view, name, description in (
            (self.results_view, _("Resultaat van de import"),
             _("Per pakket: de uitkomst, het apparaat, het aantal records en waarom een pakket werd geweigerd.")),
            (self.conflicts_view, _("Conflicten"),
             _("Records die hier en op een apparaat allebei veranderd zijn; kies er een om de verschillen te zien.")),
            (self.differences_view, _("Verschillen van het gekozen conflict"),
             _("Per veld de waarde hier en de binnengekomen waarde; kies daarna welke versie blijft.")),
        ):  # fmt: skip
            view.setAccessibleName(name)
            view.setAccessibleDescription(description)
        self.keep_local_button = QPushButton(_("Versie hier houden"))
        self.keep_incoming_button = QPushButton(_("Binnengekomen versie overnemen"))
        self.keep_local_button.clicked.connect(lambda: self._resolve(ConflictDecision.KEEP_LOCAL))
        self.keep_incoming_button.clicked.connect(lambda: self._resolve(ConflictDecision.KEEP_INCOMING))
        conflict_page = QWidget()
        conflict_layout = QVBoxLayout(conflict_page)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.conflicts_view)
        splitter.addWidget(self.differences_view)
        conflict_layout.addWidget(splitter)
        resolve_row = QHBoxLayout()
        resolve_row.addStretch(1)
        resolve_row.addWidget(self.keep_local_button)
        resolve_row.addWidget(self.keep_incoming_button)
        conflict_layout.addLayout(resolve_row)

        self.arrivals = QStandardItemModel(0, 4)
        self.arrivals.setHorizontalHeaderLabels(
            [_("Klantmanager / record"), _("Soort"), _("Aangekomen"), _("Apparaat")]
        )
        self.arrivals_view = QTreeView()
        self.arrivals_view.setModel(self.arrivals)
        self.arrivals_view.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.arrivals_view.setAccessibleName(_("Binnengekomen per klantmanager"))
        self.arrivals_view.setAccessibleDescription(
            _(
                "Per klantmanager wat er binnenkwam, met soort, tijd en apparaat; pijl rechts klapt een klantmanager open."
            )
        )

        self.tabs = QTabWidget()
        self.tabs.addTab(self.results_view, _("Resultaat"))
        self.tabs.addTab(conflict_page, _("Conflicten"))
        self.tabs.addTab(self.arrivals_view, _("Binnengekomen per klantmanager"))

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addLayout(progress_row)
        layout.addWidget(self.tabs, 1)

        self._watch_timer = QTimer(self)
        self._watch_timer.setInterval(WATCH_INTERVAL_MS)
        self._watch_timer.timeout.connect(self.import_target)
        self.refresh_views()

    # -- starting imports ---------------------------------------------------------------------
    def _choose_files(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self, _("Synchronisatiepakketten kiezen"), "", _("Wegwijs-pakketten (*.wgw);;Alle bestanden (*)")
        )
        if files:
            self.import_paths([Path(f) for f in files])

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Map met synchronisatiepakketten kiezen"))
        if folder:
            self.import_paths([Path(folder)])

    def _watch(self, on: bool) -> None:
        if on:
            self._watch_timer.start()
            self.import_target()
        else:
            self._watch_timer.stop()

    def import_paths(self, paths: list[Path]) -> None:
        profile = self.profile
        self._start(
            lambda progress, cancelled: SupervisorImportService.for_profile(profile).import_paths(
                paths, progress, cancelled
            )
        )

    def import_target(self) -> None:
        profile = self.profile
        self._start(
            lambda progress, cancelled: SupervisorImportService.for_profile(profile).import_from_target(
                None, progress, cancelled
            )
        )

    def _start(self, work: Callable[[Callable[[int, int, Any], None], Callable[[], bool]], Any]) -> None:
        if self.busy:
            return
        self.busy = True
        self.results.removeRows(0, self.results.rowCount())
        self.summary_label.setText(_("Bezig met importeren…"))
        for button in (self.files_button, self.folder_button, self.target_button):
            button.setEnabled(False)
        self._task = runner.run_with_progress(
            "database",
            lambda progress: work(progress.step, progress.cancelled),
            self._done,
            owner=self,
            on_error=self._failed,
            on_step=self._progress,
            on_progress_due=self._reveal_progress,
        )

    def _cancel_import(self) -> None:
        if self._task is not None:
            self._task.cancel()

    # -- results ------------------------------------------------------------------------------
    def _reveal_progress(self) -> None:
        if self.busy:
            self.progress.show()
            self.cancel_button.show()

    def _progress(self, done: int, total: int, outcome: sync_service.ImportOutcome) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)
        self._add_result(outcome)

    def _add_result(self, outcome: sync_service.ImportOutcome) -> None:
        self.results.appendRow(
            [
                _item(outcome.name),
                _item(_(OUTCOME_WORDS.get(outcome.status, outcome.status))),
                _item(outcome.device_id or ""),
                _item(outcome.records if outcome.status != "refused" else ""),
                _item(outcome.message or ""),
            ]
        )

    def _finish(self) -> None:
        self.busy = False
        self._task = None
        self.progress.hide()
        self.cancel_button.hide()
        for button in (self.files_button, self.folder_button, self.target_button):
            button.setEnabled(True)

    def _done(self, summary: sync_service.ImportSummary) -> None:
        self._finish()
        if self.results.rowCount() != len(summary.outcomes):
            self.results.removeRows(0, self.results.rowCount())
            for outcome in summary.outcomes:
                self._add_result(outcome)
        self.results_view.resizeColumnsToContents()
        self.summary_label.setText(
            _(
                "{imported} geïmporteerd, {duplicate} dubbel, {conflict} met conflict, {refused} geweigerd."
            ).format(
                imported=summary.count("imported"),
                duplicate=summary.count("duplicate"),
                conflict=summary.count("conflict"),
                refused=summary.count("refused"),
            )
        )
        self.refresh_views()
        self.importFinished.emit(summary)

    def _failed(self, error: BaseException) -> None:
        self._finish()
        self.summary_label.setText(errors.message(error))

    # -- conflicts and arrivals ---------------------------------------------------------------
    def refresh_views(self) -> None:
        profile = self.profile

        def load() -> tuple[list[sync_service.ConflictView], list[sync_service.Arrival]]:
            return ConflictService.for_profile(profile).open_conflicts(), ConflictService.for_profile(
                profile
            ).arrivals()

        run_in_background("database", load, self._show_views, owner=self, on_error=self._failed)

    def _show_views(self, loaded: tuple[list[sync_service.ConflictView], list[sync_service.Arrival]]) -> None:
        conflicts, arrivals = loaded
        self.conflicts = conflicts
        self.conflict_model.removeRows(0, self.conflict_model.rowCount())
        for conflict in conflicts:
            incoming = str(conflict.incoming_version)
            if conflict.incoming_deleted:
                incoming += " " + _("(verwijderd)")
            self.conflict_model.appendRow(
                [
                    _item(sync_service.entity_label(conflict.entity_type)),
                    _item(conflict.label),
                    _item(conflict.device_name),
                    _item(conflict.local_version),
                    _item(incoming),
                ]
            )
        self.differences.removeRows(0, self.differences.rowCount())
        self.tabs.setTabText(1, _("Conflicten ({n})").format(n=len(conflicts)))
        self.arrivals.removeRows(0, self.arrivals.rowCount())
        groups: dict[str, QStandardItem] = {}
        for arrival in arrivals:
            key = arrival.device_name or arrival.device_id
            if key not in groups:
                groups[key] = _item(key)
                self.arrivals.appendRow([groups[key], _item(""), _item(""), _item(arrival.device_id)])
            local = arrival.arrived_at.astimezone().strftime("%d-%m-%Y %H:%M")
            groups[key].appendRow(
                [
                    _item(arrival.label),
                    _item(sync_service.entity_label(arrival.entity_type)),
                    _item(local),
                    _item(arrival.device_id),
                ]
            )
        self.arrivals_view.expandAll()
        for column in range(3):
            self.arrivals_view.resizeColumnToContents(column)
        self.conflicts_view.resizeColumnsToContents()

    def _show_differences(self, current: Any, _previous: Any) -> None:
        self.differences.removeRows(0, self.differences.rowCount())
        row = current.row()
        if not 0 <= row < len(self.conflicts):
            return
        for difference in self.conflicts[row].differences:
            self.differences.appendRow(
                [
                    _item(sync_service.field_label(difference.field)),
                    _item(difference.local),
                    _item(difference.incoming),
                ]
            )
        self.differences_view.resizeColumnToContents(0)
        width = max(
            200, (self.differences_view.viewport().width() - self.differences_view.columnWidth(0)) // 2
        )
        self.differences_view.setColumnWidth(1, width)
        refused = self.conflicts[row].keep_incoming_refused
        # An adopted PIP version never changes: only "keep the version here" is possible, and why.
        self.keep_incoming_button.setEnabled(refused is None)
        self.keep_incoming_button.setToolTip(refused or "")

    def _resolve(self, keep: str) -> None:
        row = self.conflicts_view.currentIndex().row()
        if not 0 <= row < len(self.conflicts):
            QMessageBox.information(self, _("Conflict oplossen"), _("Kies eerst een conflict in de lijst."))
            return
        profile, conflict_id = self.profile, self.conflicts[row].id
        run_in_background(
            "database",
            lambda: ConflictService.for_profile(profile).resolve(conflict_id, keep),
            lambda _result: self.refresh_views(),
            owner=self,
            on_error=self._failed,
        )
