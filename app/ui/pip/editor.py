"""The PIP editor: every part of the plan, advice beside choice, autosave, undo/redo, transitions.

The editor never touches the store: it calls `PipService` on the database worker of the one runner
(app/ui/tasks.py, owner = this window) and shows the snapshot it gets back on the GUI thread. The
worker runs its queue in order, so a save queued before a step is stored before it; a step waits for
the save before it to succeed (`flush(then=...)`). A result for a closed window is dropped, and one
that a later load or step replaced is not shown. Refusals (illegal steps, missing onderbouwing, a
date typed wrong) and faults appear inline through app/ui/errors.py, never as a dialog; closing
waits for the queued saves.
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.deadlines import DeadlineState
from app.domain.enums import Leerroute
from app.domain.pip_lifecycle import (
    ACTION_LABELS,
    REASON_LABELS,
    STATE_LABELS,
    ChangeReason,
    PipAction,
    PipState,
    route_label,
)
from app.i18n import _
from app.services.pip import HistoryEntry, PipService, PipSnapshot, Signatures, TextPart, text_key
from app.ui import errors
from app.ui.client_detail import deadline_phrase
from app.ui.confirm import confirm
from app.ui.dates import show_date
from app.ui.names import language_name
from app.ui.pip.fields import (
    AgreementsTable,
    Binding,
    InvalidInput,
    hint_label,
    translation_note,
)
from app.ui.pip.section_list import PipSectionList
from app.ui.pip.sections import PipFormSections
from app.ui.pip.shown import Shown, banner_text, read_shown
from app.ui.pip.undo import SetValueCommand
from app.ui.tasks import Task, run_in_background

AUTOSAVE_MS = 400
_MARK = {DeadlineState.TE_LAAT: "⚠", DeadlineState.BINNENKORT: "⏳", DeadlineState.OP_TIJD: "✓"}


class PipEditor(PipFormSections, QWidget):
    """Edit one client's current PIP version; older versions open read-only."""

    saved = Signal()
    state_changed = Signal(str)
    loaded = Signal()  # the first snapshot is shown (or the load was refused: see `message`)

    def __init__(
        self,
        service: PipService,
        client_id: uuid.UUID,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pipEditor")
        self.service = service
        self.client_id = client_id
        self.today = today
        self.snapshot: PipSnapshot | None = None
        self.bindings: dict[str, Binding] = {}
        self.values: dict[str, Any] = {}
        self.pending: dict[str, Any] = {}
        self.notes: dict[TextPart, QLabel] = {}
        self.history: list[HistoryEntry] = []
        self.unreviewed = 0
        self.undo_stack = QUndoStack(self)
        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(lambda: self.flush())
        self._saves: list[Task] = []  # queued saves, waited for on closing
        self._request = 0  # the newest load or step; an older one's result is not shown
        self._steps_running = 0
        self.setWindowTitle(_("PIP — Wegwijs"))
        self._build()
        self.load()

    # -- building ------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        header = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("pipTitle")
        self.title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.state_label = QLabel()
        self.state_label.setObjectName("pipState")
        self.state_label.setStyleSheet("padding: 2px 8px; border-radius: 4px; background: #e7eef8;")
        self.version_combo = QComboBox()
        self.version_combo.setObjectName("pipVersions")
        self.version_combo.setAccessibleName(_("Versie"))
        self.version_combo.setAccessibleDescription(
            _("Welke versie van het PIP u ziet, met haar stand; een oudere versie is alleen te lezen.")
        )
        self.version_combo.activated.connect(self._show_version)
        self.version_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        header.addWidget(self.title, 1)
        header.addWidget(self.state_label)
        header.addWidget(self.version_combo)
        outer.addLayout(header)
        self.deadline_label = QLabel()
        self.deadline_label.setObjectName("pipDeadlines")
        self.deadline_label.setWordWrap(True)
        outer.addWidget(self.deadline_label)
        self.message = QLabel()
        self.message.setObjectName("pipMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a4000f; font-weight: 600;")
        self.message.setAccessibleName(_("Melding"))
        self.problems = QLabel()
        self.problems.setObjectName("pipProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #7a4b00;")
        self.banner = QLabel()
        self.banner.setObjectName("pipBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #eef3e8; padding: 4px 8px; border-radius: 4px;")
        outer.addWidget(self.banner)
        outer.addWidget(self.message)
        outer.addWidget(self.problems)
        # Read-only texts must look read-only, not just refuse keys.
        self.setStyleSheet(
            'QPlainTextEdit[readOnly="true"], QLineEdit[readOnly="true"] { background: #f1f1f1; color: #333; }'
        )

        body = QWidget()
        self.form = QVBoxLayout(body)
        self.part_boxes = []
        self._build_route()
        self._build_support()
        self._build_map_pvt()
        self._build_ontzorgen_afschalen()
        self._build_monitoring()
        self._build_signing()
        self.progress_panel.recorded.connect(self._progress_recorded)
        self.history_label = hint_label()
        self.history_label.setObjectName("pipHistory")
        history_box = QGroupBox(_("Versies en wijzigingen"))
        QVBoxLayout(history_box).addWidget(self.history_label)
        self.form.addWidget(history_box)
        self.form.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.section_list = PipSectionList()
        for part, box in self.part_boxes:
            self.section_list.add_part(part, box)
        self.section_list.scroll_area = scroll
        middle = QHBoxLayout()
        middle.addWidget(self.section_list)
        middle.addWidget(scroll, 1)
        outer.addLayout(middle, 1)
        outer.addLayout(self._build_actions())
        self.show_message("")

    def _build_actions(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.undo_button = QPushButton(_("Ongedaan maken"))
        self.undo_button.setObjectName("pipUndo")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button = QPushButton(_("Opnieuw"))
        self.redo_button.setObjectName("pipRedo")
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self, self.undo_stack.undo)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Redo), self, self.undo_stack.redo)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.redo_button)
        self.save_label = QLabel()
        self.save_label.setObjectName("pipSaveState")
        bar.addWidget(self.save_label, 1)
        self.action_buttons: dict[PipAction, QPushButton] = {}
        for action in PipAction:
            button = QPushButton(_(ACTION_LABELS[action]))
            button.setObjectName(f"pipAction_{action.value}")
            button.clicked.connect(lambda _checked=False, a=action: self.ask_action(a))
            self.action_buttons[action] = button
            bar.addWidget(button)
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("pipNewVersionReason")
        self.reason_combo.setAccessibleName(_("Reden nieuwe versie"))
        reason_help = _("Waarom er een nieuwe versie komt; kies de reden en daarna Nieuwe versie.")
        self.reason_combo.setAccessibleDescription(reason_help)
        for reason in (
            ChangeReason.SCHAKELEN,
            ChangeReason.AFSCHALEN,
            ChangeReason.VERHUIZING,
            ChangeReason.OVERIG,
        ):
            self.reason_combo.addItem(_(REASON_LABELS[reason]), reason.value)
        self.new_version_button = QPushButton(_("Nieuwe versie"))
        self.new_version_button.setObjectName("pipNewVersion")
        self.new_version_button.clicked.connect(self._new_version_clicked)
        bar.addWidget(self.reason_combo)
        bar.addWidget(self.new_version_button)
        return bar

    # -- loading and showing -------------------------------------------------------------------
    def load(self) -> Task:
        """Open (or draft) the client's PIP on the worker; `loaded` follows on the GUI thread."""
        service, client_id, today = self.service, self.client_id, self.today()
        return self._step(
            lambda: service.open_or_draft(client_id, today),
            then=lambda _snap: self.loaded.emit(),
            on_failed=lambda: self.loaded.emit(),
        )

    def _step(
        self,
        work: Callable[[], PipSnapshot],
        then: Callable[[PipSnapshot], object] | None = None,
        reset_undo: bool = True,
        on_failed: Callable[[], object] | None = None,
    ) -> Task:
        """Run `work` (a load or a step that returns the snapshot to show) on the database worker;
        show its result only if no later load or step was asked for meanwhile."""
        self._request += 1
        request = self._request
        service = self.service
        self._steps_running += 1
        self._enable_steps()

        def done(shown: Shown) -> None:
            self._step_ended()
            if request == self._request:  # else a later load or step shows its own result
                self.show_message("")
                if shown.history is not None:
                    self.history = shown.history
                self.unreviewed = shown.unreviewed
                self.show_snapshot(shown.snapshot, reset_undo)
            if then is not None:
                then(shown.snapshot)

        def failed(error: BaseException) -> None:
            self._step_ended()
            self._failed(error)
            if on_failed is not None:
                on_failed()

        return run_in_background(
            "database", lambda: read_shown(service, work()), done, owner=self, on_error=failed
        )

    def _step_ended(self) -> None:
        self._steps_running -= 1
        self._enable_steps()

    def _enable_steps(self) -> None:
        """No second step while one runs (a double click would ask twice)."""
        idle = self._steps_running == 0
        for button in (*self.action_buttons.values(), self.new_version_button):
            button.setEnabled(idle)

    def _failed(self, error: BaseException) -> None:
        """A refusal's own sentence, or the apology with the log's place (the runner logged it)."""
        self.show_message(errors.message(error))

    def show_snapshot(self, snap: PipSnapshot, reset_undo: bool = True) -> None:
        same_version = self.snapshot is not None and self.snapshot.version_id == snap.version_id
        # Progress changes with the PIP in force, not with every autosave of a text.
        progress_due = not same_version or self.snapshot is None or self.snapshot.state is not snap.state
        self.snapshot = snap
        if progress_due:
            self.progress_panel.refresh()
        self.values = dict(snap.values)
        for key, binding in self.bindings.items():
            binding.show(snap.values.get(key))
        if same_version:
            # Typed while the step ran: still on screen and still to be saved.
            for key, value in self.pending.items():
                if key in self.bindings:
                    self.values[key] = value
                    self.bindings[key].show(value)
        else:
            self.pending = {}
        if reset_undo:
            self.undo_stack.clear()
        self._refresh_labels()

    def _language_name(self) -> str | None:
        code = self.snapshot.document_language if self.snapshot else None
        if not code:
            return None
        return language_name(code)

    def _refresh_labels(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        self.title.setText(
            _("PIP van {name} — versie {number}").format(name=snap.client_name, number=snap.number)
        )
        self.setWindowTitle(_("PIP van {name} — Wegwijs").format(name=snap.client_name))
        self.state_label.setText(snap.state_label)
        self.version_combo.blockSignals(True)
        self.version_combo.clear()
        for summary in snap.versions:
            self.version_combo.addItem(
                _("Versie {number}: {state}").format(
                    number=summary.number, state=_(STATE_LABELS[summary.state])
                ),
                summary.number,
            )
        self.version_combo.setCurrentIndex(max(self.version_combo.findData(snap.number), 0))
        self.version_combo.blockSignals(False)
        self.advice_route.setText(
            _("Advies: {route}").format(route=route_label(snap.advised_route))
            + (
                ""
                if snap.learnability_score is None
                else "  " + _("(leerbaarheidstoets: {score} van 40)").format(score=snap.learnability_score)
            )
        )
        self.advice_text.setText(
            snap.advice_explanation or _("Er is (nog) geen advies uit een afgeronde intake.")
        )
        self._refresh_deviation()
        self._refresh_deadlines()
        editable = snap.editable
        for binding in self.bindings.values():
            widget = binding.widget
            if isinstance(widget, QLineEdit | QPlainTextEdit | AgreementsTable):
                widget.setReadOnly(not editable)
            else:
                widget.setEnabled(editable)
        if self.ontzorgen_box is not None:
            self.ontzorgen_box.setVisible(snap.asylum)
        for form, widget in self.asylum_only_rows:
            form.setRowVisible(widget, snap.asylum)
        self._show_route_fields()
        self.section_list.mark(snap.missing, snap.state in (PipState.CONCEPT, PipState.BESPROKEN))
        language = self._language_name()
        for part, note in self.notes.items():
            note.setText(translation_note(dict(snap.translations.get(part.value) or {}), language))
        latest = max(s.number for s in snap.versions) if snap.versions else snap.number
        is_latest = snap.number == latest
        for action, button in self.action_buttons.items():
            button.setVisible(is_latest and action in snap.actions)
        can_sign = is_latest and PipAction.ONDERTEKENEN in snap.actions
        for box in (self.sign_client, self.sign_km, self.sign_interpreter):
            box.setEnabled(can_sign)
        self.sign_interpreter.setVisible(bool(snap.values.get("interpreter_present")))
        self.new_version_button.setVisible(is_latest and snap.state.value in ("vastgesteld", "ingetrokken"))
        self.reason_combo.setVisible(self.new_version_button.isVisible())
        self._show_problems(snap.problems)
        self._enable_steps()
        self.banner.setText(banner_text(snap, is_latest, self.unreviewed, self._language_name()))
        self.banner.setVisible(bool(self.banner.text()))
        for widget in self.findChildren(QLineEdit) + self.findChildren(QPlainTextEdit):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self._refresh_history()

    def _show_route_fields(self) -> None:
        """Fields that belong to one route only: Duaal for B1 (a text typed before stays stored)."""
        form, widget = self.duaal_row
        form.setRowVisible(
            widget,
            self.values.get("leerroute") in (Leerroute.B1.value, None)
            or bool(str(self.values.get(text_key(TextPart.DUAAL)) or "").strip()),
        )

    def _refresh_deviation(self) -> None:
        snap = self.snapshot
        chosen = self.values.get("leerroute")
        if snap and snap.advised_route and chosen and chosen != snap.advised_route.value:
            if str(self.values.get(text_key(TextPart.ONDERBOUWING)) or "").strip():
                text = _("De keuze wijkt af van het advies ({advice}); de onderbouwing staat hieronder.")
            else:
                text = _("De keuze wijkt af van het advies ({advice}); een onderbouwing is verplicht.")
            self.deviation_hint.setText(text.format(advice=route_label(snap.advised_route)))
        else:
            self.deviation_hint.setText("")
        self.deviation_hint.setVisible(bool(self.deviation_hint.text()))

    def _refresh_deadlines(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        parts = []
        for status in snap.deadlines:
            if not status.deadline.can_be_late and status.days_left < 0:
                continue
            # "12 dagen te laat", never "-12 dagen" (issue 16); dates shown the Dutch way.
            parts.append(
                f"{_MARK[status.state]} {html.escape(status.deadline.label)}: {show_date(status.due)} ({html.escape(deadline_phrase(status))})"
            )
        parts.extend(html.escape(note) for note in snap.deadline_notes)
        self.deadline_label.setText("   ".join(parts))

    def _refresh_history(self) -> None:
        lines = []
        for entry in self.history[-12:]:
            where = _("versie {n}").format(n=entry.version_number) if entry.version_number else _("PIP")
            lines.append(
                f"{entry.at:%Y-%m-%d %H:%M}  {entry.actor}  {entry.action} {where}"
                + (f": {entry.fields}" if entry.fields else "")
            )
        self.history_label.setText("\n".join(lines))

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _show_problems(self, problems: list[str]) -> None:
        self.problems.setText("\n".join("• " + p for p in problems))
        self.problems.setVisible(bool(problems))

    # -- editing -------------------------------------------------------------------------------
    def _user_changed(self, binding: Binding) -> None:
        try:
            new = binding.read()
        except InvalidInput as error:
            self.show_message(str(error))
            return
        old = self.values.get(binding.key)
        if new == old or (new in ("", None) and old in ("", None)):
            return
        self.undo_stack.push(SetValueCommand(self, binding, old, new))

    def apply_value(self, binding: Binding, value: Any, show: bool) -> None:
        if show:
            binding.show(value)
        self.values[binding.key] = value
        self.pending[binding.key] = value
        self.save_label.setText(_("Niet opgeslagen wijzigingen…"))
        if binding.key == "leerroute":
            self._refresh_deviation()
            self._show_route_fields()
        if binding.key == "interpreter_present":
            self.sign_interpreter.setVisible(bool(value))
        self._autosave.start()

    def flush(self, then: Callable[[], object] | None = None) -> Task | None:
        """Queue what is pending on the database worker; `then` runs once it is stored (at once when
        nothing is pending), not when the store refused it (the message says why)."""
        self._autosave.stop()
        self._saves = [task for task in self._saves if not task.delivered]
        if self.snapshot is None:
            return None
        if not self.pending:
            if then is not None:
                then()
            return None
        changes, self.pending = self.pending, {}
        service, version_id, today = self.service, self.snapshot.version_id, self.today()
        task = run_in_background(
            "database",
            lambda: service.save(version_id, changes, today),
            lambda snap: self._saved(snap, then),
            owner=self,
            on_error=self._failed,
        )
        self._saves.append(task)
        return task

    def _saved(self, snap: PipSnapshot, then: Callable[[], object] | None) -> None:
        if self.snapshot is None or self.snapshot.version_id != snap.version_id:
            # Another version is shown now: the save is stored all the same, and a step asked
            # for the version that was shown goes with it.
            self.saved.emit()
            return
        self.snapshot = snap
        self.show_message("")
        if not self.pending:  # else typed while this save ran: still "Niet opgeslagen wijzigingen…"
            self.save_label.setText(
                _("Opgeslagen om {time}").format(time=dt.datetime.now().strftime("%H:%M:%S"))
            )
        self._show_problems(snap.problems)
        self._refresh_deviation()
        language = self._language_name()
        for part, note in self.notes.items():
            note.setText(translation_note(dict(snap.translations.get(part.value) or {}), language))
        self.saved.emit()
        if then is not None:
            then()

    def wait_for_saves(self, timeout_ms: int = 10_000) -> bool:
        """Queue what is pending and wait until every queued save came back (closing needs this)."""
        self.flush()
        return all(task.wait(timeout_ms) for task in list(self._saves))

    # -- transitions and versions --------------------------------------------------------------
    def ask_action(self, action: PipAction) -> None:
        """Adopting and withdrawing cannot be undone: say what follows and ask once."""
        consequences = {
            PipAction.VASTSTELLEN: _(
                "Na het vaststellen is deze versie het geldende PIP en kan ze niet meer veranderen; een "
                "wijziging wordt een nieuwe versie met een reden. Nu vaststellen?"
            ),
            PipAction.INTREKKEN: _(
                "Na het intrekken geldt deze versie niet meer en is er geen geldend PIP tot een nieuwe "
                "versie is vastgesteld. Nu intrekken?"
            ),
        }
        if action not in consequences:
            self.do_action(action)
            return
        label = _(ACTION_LABELS[action])
        self.confirmation = confirm(self, label, consequences[action], label, lambda: self.do_action(action))

    def do_action(self, action: PipAction) -> None:
        """Save what is pending, then take the step; the result (or refusal) shows when it is back."""
        if self.snapshot is None:
            return
        service, version_id, today = self.service, self.snapshot.version_id, self.today()
        signatures = None
        if action is PipAction.ONDERTEKENEN:
            signatures = Signatures(
                client_on=today if self.sign_client.isChecked() else None,
                klantmanager_on=today if self.sign_km.isChecked() else None,
                interpreter_on=today if self.sign_interpreter.isChecked() else None,
            )
        self.flush(
            then=lambda: self._step(
                lambda: service.act(version_id, action, today, signatures), then=self._state_changed
            )
        )

    def _state_changed(self, snap: PipSnapshot) -> None:
        self.state_changed.emit(snap.state.value)

    def _progress_recorded(self) -> None:
        """A meeting counts the next one from it: show this version's deadlines again."""
        if self.snapshot is not None:
            service, client_id, number, today = (
                self.service,
                self.client_id,
                self.snapshot.number,
                self.today(),
            )
            self._step(lambda: service.version(client_id, number, today), reset_undo=False)

    def _new_version_clicked(self) -> None:
        self.new_version(ChangeReason(self.reason_combo.currentData()))

    def new_version(self, reason: ChangeReason, explanation: str = "") -> Task:
        service, client_id, today = self.service, self.client_id, self.today()
        return self._step(
            lambda: service.new_version(client_id, reason, explanation, today), then=self._state_changed
        )

    def _show_version(self, index: int) -> None:
        number = self.version_combo.itemData(index)
        if number is None:
            return
        service, client_id, today = self.service, self.client_id, self.today()
        self.flush(then=lambda: self._step(lambda: service.version(client_id, int(number), today)))

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt naming)
        # The save must be on disk when the window is gone: wait for the queued ones.
        self.wait_for_saves()
        super().closeEvent(event)
