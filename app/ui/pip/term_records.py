"""The "Ontheffing en bezwaar" dialog (issue 13): what DUO's exemptions and the objections against the
PIP in force are, and registering them: an exemption, an objection (with the last day of its window
and "te laat" when it came in later), the decision on it, the appeal and the court's ruling.

Every registration goes through the PIP service on the database worker (app/services/pip/decisions.py
applies the rules); a refusal's Dutch sentence shows in the dialog. It acts on the client it was
opened for, which its title names.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.decisions import (
    EXEMPTION_LABELS,
    EXEMPTION_PART_LABELS,
    EXEMPTION_PARTS,
    ObjectionOutcome,
    objection_deadline,
)
from app.i18n import _
from app.services.pip import ObjectionEntry, PipService, PipSnapshot
from app.services.profile import Profile
from app.ui import errors
from app.ui.client_detail import ClientAction
from app.ui.fit import fit_to_screen
from app.ui.pip.fields import DateField, InvalidInput, MultiChoice, hint_label
from app.ui.pip.term_records_texts import (
    OUTCOME_LABELS,
    day,
    describe,
    exemption_line,
    objection_line,
)
from app.ui.tasks import Task, run_in_background


def _named(widget: QWidget, object_name: str, name: str, description: str) -> QWidget:
    widget.setObjectName(object_name)
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)
    return widget


class TermRecordsDialog(QDialog):
    """Exemptions and objections of one client; `changed` after every registration that took."""

    changed = Signal()

    def __init__(
        self,
        service: PipService,
        client_id: uuid.UUID,
        parent: QWidget | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.service, self.client_id, self.today = service, client_id, today
        self.snapshot: PipSnapshot | None = None
        self._running = 0
        self.setObjectName("termRecordsDialog")
        self.setWindowTitle(_("Ontheffing en bezwaar — Wegwijs"))
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("termRecordsHeading")
        self.heading.setStyleSheet("font-size: 13pt; font-weight: 600;")
        layout.addWidget(self.heading)
        self.message = QLabel()
        self.message.setObjectName("termRecordsMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a4000f; font-weight: 600;")
        self.message.setAccessibleName(_("Melding"))
        self.message.setVisible(False)
        layout.addWidget(self.message)
        layout.addWidget(self._build_exemptions())
        layout.addWidget(self._build_objections(), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Sluiten"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, "term_records", 860, 680)
        self.load()

    # -- building ------------------------------------------------------------------------------
    def _build_exemptions(self) -> QGroupBox:
        box = QGroupBox(_("Ontheffing (besluit van DUO)"))
        form = QFormLayout(box)
        self.exemption_list = QListWidget()
        _named(self.exemption_list, "exemptionList", _("Vastgelegde ontheffingen"), describe("exemptionList"))
        self.exemption_list.setMaximumHeight(80)
        form.addRow(_("Vastgelegd"), self.exemption_list)
        self.exemption_kind = QComboBox()
        for kind, label in EXEMPTION_LABELS.items():
            self.exemption_kind.addItem(_(label), kind.value)
        _named(self.exemption_kind, "exemptionKind", _("Soort ontheffing"), describe("exemptionKind"))
        form.addRow(_("Soort"), self.exemption_kind)
        self.exemption_date = DateField()
        _named(self.exemption_date, "exemptionDate", _("Datum besluit DUO"), describe("exemptionDate"))
        form.addRow(_("Datum besluit"), self.exemption_date)
        self.exemption_parts = MultiChoice([(p, _(EXEMPTION_PART_LABELS[p])) for p in EXEMPTION_PARTS])
        self.exemption_parts.setObjectName("exemptionParts")
        for part, check in self.exemption_parts.boxes.items():
            check.setAccessibleName(_("Ontheffing voor {part}").format(part=_(EXEMPTION_PART_LABELS[part])))
            check.setAccessibleDescription(describe("exemptionPart"))
        form.addRow(_("Onderdelen (geen: hele plicht)"), self.exemption_parts)
        self.exemption_button = QPushButton(_("Ontheffing vastleggen"))
        self.exemption_button.setObjectName("recordExemption")
        self.exemption_button.clicked.connect(self.record_exemption)
        row = QHBoxLayout()
        row.addWidget(self.exemption_button)
        row.addStretch(1)
        form.addRow("", row)
        return box

    def _build_objections(self) -> QGroupBox:
        box = QGroupBox(_("Bezwaar en beroep tegen het geldende PIP"))
        layout = QVBoxLayout(box)
        self.objection_list = QListWidget()
        self.objection_list.setWordWrap(True)
        _named(self.objection_list, "objectionList", _("Bezwaren"), describe("objectionList"))
        self.objection_list.currentRowChanged.connect(lambda _row: self._enable())
        layout.addWidget(self.objection_list, 1)

        new = QFormLayout()
        dates = QHBoxLayout()
        self.made_known = DateField()
        _named(self.made_known, "objectionMadeKnown", _("PIP bekendgemaakt op"), describe("madeKnown"))
        self.received = DateField()
        _named(self.received, "objectionReceived", _("Bezwaar ontvangen op"), describe("received"))
        for field, text in ((self.made_known, _("Bekendgemaakt op")), (self.received, _("Ontvangen op"))):
            label = QLabel(text)
            label.setBuddy(field)
            dates.addWidget(label)
            dates.addWidget(field)
        self.objection_button = QPushButton(_("Bezwaar vastleggen"))
        self.objection_button.setObjectName("recordObjection")
        self.objection_button.clicked.connect(self.record_objection)
        dates.addWidget(self.objection_button)
        dates.addStretch(1)
        new.addRow(_("Nieuw bezwaar"), dates)
        self.window_hint = hint_label()
        self.window_hint.setObjectName("objectionWindow")
        new.addRow("", self.window_hint)
        for field in (self.made_known, self.received):
            field.textChanged.connect(self._show_window)
        layout.addLayout(new)

        step = QFormLayout()
        row = QHBoxLayout()
        self.step_outcome = QComboBox()
        for outcome, outcome_label in OUTCOME_LABELS.items():
            self.step_outcome.addItem(_(outcome_label), outcome.value)
        _named(self.step_outcome, "stepOutcome", _("Uitkomst"), describe("stepOutcome"))
        self.step_date = DateField()
        _named(self.step_date, "stepDate", _("Datum"), describe("stepDate"))
        row.addWidget(self.step_outcome)
        row.addWidget(self.step_date)
        row.addStretch(1)
        step.addRow(_("Uitkomst en datum"), row)
        self.step_explanation = QPlainTextEdit()
        self.step_explanation.setTabChangesFocus(True)
        self.step_explanation.setMaximumHeight(60)
        _named(
            self.step_explanation,
            "stepExplanation",
            _("Wat verandert er in het PIP"),
            describe("stepExplanation"),
        )
        step.addRow(_("Bij gegrond: wat verandert"), self.step_explanation)
        buttons = QHBoxLayout()
        self.decide_button = QPushButton(_("Beslissing op bezwaar vastleggen"))
        self.decide_button.setObjectName("decideObjection")
        self.decide_button.clicked.connect(self.decide_objection)
        self.appeal_button = QPushButton(_("Beroep vastleggen"))
        self.appeal_button.setObjectName("recordAppeal")
        self.appeal_button.clicked.connect(self.record_appeal)
        self.ruling_button = QPushButton(_("Uitspraak vastleggen"))
        self.ruling_button.setObjectName("recordRuling")
        self.ruling_button.clicked.connect(self.record_ruling)
        for button in (self.decide_button, self.appeal_button, self.ruling_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        step.addRow(_("Gekozen bezwaar"), buttons)
        layout.addLayout(step)
        return box

    # -- showing -------------------------------------------------------------------------------
    def load(self) -> Task:
        service, client_id, today = self.service, self.client_id, self.today()
        return self._run(lambda: service.current(client_id, today), changed=False)

    def show_snapshot(self, snap: PipSnapshot | None) -> None:
        self.snapshot = snap
        if snap is None:
            self.heading.setText(_("Deze cliënt heeft nog geen PIP"))
            self.show_message(_("Een ontheffing en een bezwaar horen bij het PIP; maak eerst een PIP."))
        else:
            self.heading.setText(_("Ontheffing en bezwaar van {name}").format(name=snap.client_name))
            self.setWindowTitle(_("Ontheffing en bezwaar van {name} — Wegwijs").format(name=snap.client_name))
        self.exemption_list.clear()
        for exemption in snap.exemptions if snap else ():
            self.exemption_list.addItem(exemption_line(exemption))
        if not self.exemption_list.count():
            self.exemption_list.addItem(_("Nog geen ontheffing vastgelegd."))
        current = self.objection_list.currentRow()
        self.objection_list.clear()
        for number, objection in enumerate(snap.objections if snap else (), start=1):
            self.objection_list.addItem(objection_line(number, objection))
        if self.objection_list.count():
            self.objection_list.setCurrentRow(min(max(current, 0), self.objection_list.count() - 1))
        self._enable()

    def selected_objection(self) -> ObjectionEntry | None:
        row = self.objection_list.currentRow()
        objections = self.snapshot.objections if self.snapshot else ()
        return objections[row] if 0 <= row < len(objections) else None

    def _enable(self) -> None:
        idle = self._running == 0 and self.snapshot is not None
        chosen = self.selected_objection()
        self.exemption_button.setEnabled(idle)
        self.objection_button.setEnabled(idle)
        self.decide_button.setEnabled(idle and chosen is not None and chosen.outcome is None)
        appealable = chosen is not None and chosen.outcome is not None and chosen.appeal_filed_on is None
        self.appeal_button.setEnabled(idle and appealable)
        self.ruling_button.setEnabled(idle and chosen is not None and chosen.appeal_pending)

    def _show_window(self) -> None:
        """The last day to object, as soon as the day it was made known is typed; "te laat" when
        the day it came in is later (Awb 6:7/6:8 and the Algemene termijnenwet). A screen reader
        hears it with the field of the day received."""
        try:
            known, received = self.made_known.value(), self.received.value()
        except InvalidInput:
            known = received = None
        text = ""
        if known is not None:
            end = objection_deadline(known)
            text = _(
                "De bezwaartermijn loopt tot en met {end} (zes weken vanaf de dag na bekendmaking; valt het "
                "einde op een weekend of feestdag, dan de eerstvolgende werkdag)."
            ).format(end=day(end))
            if received is not None and received > end:
                text += " " + _("Ontvangen na de termijn: dit bezwaar wordt als te laat gemarkeerd.")
        self.window_hint.setText(text)
        self.received.setAccessibleDescription(" ".join(filter(None, (describe("received"), text))))

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- registering ---------------------------------------------------------------------------
    def _run(
        self,
        work: Callable[[], PipSnapshot | None],
        changed: bool = True,
        then: Callable[[], object] | None = None,
    ) -> Task:
        """`work` on the database worker; its snapshot shown, then `then` (clearing what was typed:
        after a refusal the fields keep it, to be corrected)."""
        self._running += 1
        self._enable()

        def done(snap: PipSnapshot | None) -> None:
            self._running -= 1
            self.show_message("")
            self.show_snapshot(snap)
            if then is not None:
                then()
            if changed:
                self.changed.emit()

        def failed(error: BaseException) -> None:
            self._running -= 1
            self._enable()
            self.show_message(errors.message(error))

        return run_in_background("database", work, done, owner=self, on_error=failed)

    def _date(self, field: DateField, missing: str) -> dt.date | None:
        try:
            value = field.value()
        except InvalidInput as error:
            self.show_message(str(error))
            return None
        if value is None:
            self.show_message(missing)
        return value

    def record_exemption(self) -> None:
        decided = self._date(
            self.exemption_date, _("Vul de datum van het besluit van DUO in, als DD-MM-JJJJ.")
        )
        if decided is None:
            return
        kind, parts = str(self.exemption_kind.currentData()), self.exemption_parts.value()
        service, client_id, today = self.service, self.client_id, self.today()

        def recorded() -> None:
            self.exemption_date.clear()
            self.exemption_parts.set_value([])

        self._run(lambda: service.record_exemption(client_id, kind, decided, parts, today), then=recorded)

    def record_objection(self) -> None:
        known = self._date(
            self.made_known, _("Vul de dag in waarop het PIP bekend is gemaakt, als DD-MM-JJJJ.")
        )
        received = known and self._date(
            self.received, _("Vul de dag in waarop het bezwaar binnenkwam, als DD-MM-JJJJ.")
        )
        if known is None or not received:
            return
        service, client_id, today = self.service, self.client_id, self.today()

        def recorded() -> None:
            self.made_known.clear()
            self.received.clear()
            self.objection_list.setCurrentRow(self.objection_list.count() - 1)  # the new one

        self._run(lambda: service.record_objection(client_id, known, received, today), then=recorded)

    def decide_objection(self) -> None:
        self._outcome_step(self.service.decide_objection, _("Vul de datum van de beslissing op bezwaar in."))

    def record_ruling(self) -> None:
        self._outcome_step(self.service.record_appeal_ruling, _("Vul de datum van de uitspraak in."))

    def _outcome_step(self, method: Callable[..., PipSnapshot], missing: str) -> None:
        index = self.objection_list.currentRow()
        on = self._date(self.step_date, missing)
        if on is None or index < 0:
            return
        outcome = ObjectionOutcome(self.step_outcome.currentData())
        explanation = self.step_explanation.toPlainText().strip()
        client_id, today = self.client_id, self.today()
        self._run(
            lambda: method(client_id, index, outcome, on, explanation, today=today), then=self._clear_step
        )

    def record_appeal(self) -> None:
        index = self.objection_list.currentRow()
        filed = self._date(self.step_date, _("Vul de datum in waarop het beroep is ingesteld."))
        if filed is None or index < 0:
            return
        service, client_id, today = self.service, self.client_id, self.today()
        self._run(lambda: service.record_appeal(client_id, index, filed, today=today), then=self._clear_step)

    def _clear_step(self) -> None:
        self.step_date.clear()
        self.step_explanation.clear()


_open_dialogs: list[TermRecordsDialog] = []


def open_term_records(
    service: PipService,
    client_id: str | uuid.UUID,
    parent: QWidget | None = None,
    on_change: Callable[[], None] | None = None,
    today: Callable[[], dt.date] = dt.date.today,
) -> TermRecordsDialog:
    """Open the dialog for the client (one per client: a second request raises the open one)."""
    wanted = uuid.UUID(str(client_id))
    for dialog in list(_open_dialogs):
        if dialog.client_id == wanted and dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog
    dialog = TermRecordsDialog(service, wanted, parent, today)
    dialog.setWindowFlag(Qt.WindowType.Window)
    if parent is not None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_change is not None:
        dialog.changed.connect(on_change)
    _open_dialogs.append(dialog)
    dialog.destroyed.connect(lambda *_args: _open_dialogs.remove(dialog) if dialog in _open_dialogs else None)
    dialog.show()
    return dialog


def term_records_action(
    profile: Profile,
    parent: Callable[[], QWidget | None] = lambda: None,
    on_change: Callable[[], None] | None = None,
) -> ClientAction:
    """An "Ontheffing en bezwaar" button for the detail pane, acting on the client shown there."""

    def open_for(client_id: str) -> None:
        open_term_records(PipService.for_profile(profile), client_id, parent(), on_change)

    return ClientAction(
        label=lambda: _("Ontheffing en bezwaar"),
        open=open_for,
        object_name="openTermRecords",
        needs_integration_duty=True,
    )
