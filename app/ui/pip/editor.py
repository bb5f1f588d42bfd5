"""The PIP editor: every part of the plan, advice beside choice, autosave, undo/redo, transitions.

The editor never touches the store: it calls `PipService` and shows the snapshot it gets back.
Saving runs on the GUI thread on purpose: one save is one small transaction (milliseconds), and
keeping saves, undo and transitions in one order is worth more than a background thread here.
Refusals (illegal steps, missing onderbouwing, a date typed wrong) appear inline, never as a dialog.
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
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
from app.domain.errors import WegwijsError
from app.domain.pip_lifecycle import (
    ACTION_LABELS,
    REASON_LABELS,
    STATE_LABELS,
    ChangeReason,
    PipAction,
    route_label,
)
from app.i18n import _
from app.services.pip import PipService, PipSnapshot, Signatures, TextPart, text_key
from app.services.signing import unreviewed_fixed_texts
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
from app.ui.pip.sections import PipFormSections

AUTOSAVE_MS = 400
_MARK = {DeadlineState.TE_LAAT: "⚠", DeadlineState.BINNENKORT: "⏳", DeadlineState.OP_TIJD: "✓"}


class SetValueCommand(QUndoCommand):
    """One change of one field; consecutive typing in the same text merges into one step."""

    def __init__(self, editor: PipEditor, binding: Binding, old: Any, new: Any) -> None:
        super().__init__(_("wijziging"))
        self.editor = editor
        self.binding = binding
        self.old = old
        self.new = new
        self._first = True

    def id(self) -> int:
        return 1 if self.binding.merges else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt naming)
        if not isinstance(other, SetValueCommand) or other.binding.key != self.binding.key:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.editor.apply_value(self.binding, self.new, show=not self._first)
        self._first = False

    def undo(self) -> None:
        self.editor.apply_value(self.binding, self.old, show=True)


class PipEditor(PipFormSections, QWidget):
    """Edit one client's current PIP version; older versions open read-only."""

    saved = Signal()
    state_changed = Signal(str)

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
        self.undo_stack = QUndoStack(self)
        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.flush)
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
        self._build_route()
        self._build_support()
        self._build_map_pvt()
        self._build_ontzorgen_afschalen()
        self._build_monitoring()
        self._build_signing()
        self.history_label = hint_label()
        self.history_label.setObjectName("pipHistory")
        history_box = QGroupBox(_("Versies en wijzigingen"))
        QVBoxLayout(history_box).addWidget(self.history_label)
        self.form.addWidget(history_box)
        self.form.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
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
    def load(self) -> None:
        try:
            self.show_snapshot(self.service.open_or_draft(self.client_id, self.today()))
        except WegwijsError as error:
            self.show_message(str(error))

    def show_snapshot(self, snap: PipSnapshot, reset_undo: bool = True) -> None:
        self.snapshot = snap
        self.values = dict(snap.values)
        for key, binding in self.bindings.items():
            binding.show(snap.values.get(key))
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
        held = sorted(m.on.isoformat() for m in snap.meetings if m.on is not None)
        self.meetings_label.setText(", ".join(held) if held else _("nog geen"))
        can_record = snap.first_adopted_on is not None
        self.meeting_date.setEnabled(can_record)
        self.meeting_button.setEnabled(can_record)
        self.banner.setText(self._banner_text(snap, is_latest))
        self.banner.setVisible(bool(self.banner.text()))
        for widget in self.findChildren(QLineEdit) + self.findChildren(QPlainTextEdit):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self._refresh_history()

    def _banner_text(self, snap: PipSnapshot, is_latest: bool) -> str:
        if not is_latest:
            return _("Dit is een oudere versie; die blijft alleen ter inzage.")
        if snap.state.value in ("besproken", "ondertekend"):
            text = _(
                "Dit PIP is {state}; wijzigen kan na 'Terug naar concept' (handtekeningen vervallen dan)."
            ).format(state=snap.state_label)
            # Issue 19: whoever adopts sees that the translated fixed texts are not checked yet.
            if unreviewed_fixed_texts(snap.document_language):
                text += " " + _(
                    "Let op: de vaste teksten in {language} zijn nog niet door een tolk gecontroleerd; "
                    "het PIP vermeldt dat op elke pagina."
                ).format(language=self._language_name())
            return text
        if snap.state.value == "vastgesteld":
            return _("Vastgesteld op {date} door {who}; wijzigen kan alleen met een nieuwe versie.").format(
                date=snap.adopted_on.isoformat() if snap.adopted_on else "?", who=snap.adopted_by
            )
        if snap.state.value in ("ingetrokken", "vervangen"):
            return _("Deze versie is {state}; maak zo nodig een nieuwe versie.").format(
                state=snap.state_label
            )
        return ""

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
        try:
            history = self.service.history(self.client_id)
        except WegwijsError:
            return
        lines = []
        for entry in history[-12:]:
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
        if binding.key == "interpreter_present":
            self.sign_interpreter.setVisible(bool(value))
        self._autosave.start()

    def flush(self) -> bool:
        """Save what is pending now; False when the store refused it (the message says why)."""
        self._autosave.stop()
        if not self.pending or self.snapshot is None:
            return True
        changes, self.pending = self.pending, {}
        try:
            snap = self.service.save(self.snapshot.version_id, changes, self.today())
        except WegwijsError as error:
            self.show_message(str(error))
            return False
        self.snapshot = snap
        self.show_message("")
        self.save_label.setText(_("Opgeslagen om {time}").format(time=dt.datetime.now().strftime("%H:%M:%S")))
        self._show_problems(snap.problems)
        self._refresh_deviation()
        language = self._language_name()
        for part, note in self.notes.items():
            note.setText(translation_note(dict(snap.translations.get(part.value) or {}), language))
        self.saved.emit()
        return True

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

    def do_action(self, action: PipAction) -> bool:
        if self.snapshot is None or not self.flush():
            return False
        today = self.today()
        signatures = None
        if action is PipAction.ONDERTEKENEN:
            signatures = Signatures(
                client_on=today if self.sign_client.isChecked() else None,
                klantmanager_on=today if self.sign_km.isChecked() else None,
                interpreter_on=today if self.sign_interpreter.isChecked() else None,
            )
        try:
            snap = self.service.act(self.snapshot.version_id, action, today, signatures)
        except WegwijsError as error:
            self.show_message(str(error))
            return False
        self.show_message("")
        self.show_snapshot(snap)
        self.state_changed.emit(snap.state.value)
        return True

    def _record_meeting(self) -> None:
        try:
            day = self.meeting_date.value()
        except InvalidInput as error:
            self.show_message(str(error))
            return
        if day is None:
            self.show_message(_("Vul de datum van het voortgangsgesprek in; gebruik JJJJ-MM-DD."))
            return
        self.record_meeting(day)

    def record_meeting(self, day: dt.date, note: str = "") -> bool:
        if self.snapshot is None or not self.flush():
            return False
        number = self.snapshot.number
        try:
            self.service.record_meeting(self.client_id, day, note, self.today())
            snap = self.service.version(self.client_id, number, self.today())
        except WegwijsError as error:
            self.show_message(str(error))
            return False
        self.meeting_date.clear()
        self.show_message("")
        self.show_snapshot(snap, reset_undo=False)
        self.state_changed.emit(snap.state.value)
        return True

    def _new_version_clicked(self) -> None:
        self.new_version(ChangeReason(self.reason_combo.currentData()))

    def new_version(self, reason: ChangeReason, explanation: str = "") -> bool:
        try:
            snap = self.service.new_version(self.client_id, reason, explanation, self.today())
        except WegwijsError as error:
            self.show_message(str(error))
            return False
        self.show_message("")
        self.show_snapshot(snap)
        self.state_changed.emit(snap.state.value)
        return True

    def _show_version(self, index: int) -> None:
        number = self.version_combo.itemData(index)
        if number is None or not self.flush():
            return
        try:
            self.show_snapshot(self.service.version(self.client_id, int(number), self.today()))
        except WegwijsError as error:
            self.show_message(str(error))

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt naming)
        self.flush()
        super().closeEvent(event)
