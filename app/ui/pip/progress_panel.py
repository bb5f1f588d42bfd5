"""The PIP editor's progress panel (issue 13): voortgangsgesprekken with outcome and next date, the
MAP and PVT started and completed, exam results per part and attempt, and the Z-route's hours as
running totals against 800 hours and the term.

Progress belongs to the whole term, not to one version: it is recorded on the PIP in force, also
when that version is adopted and read-only. The panel calls `ProgressService` on the database
worker (app/ui/tasks.py) like the editor does, shows refusals through the editor's message line,
and tells the editor (`recorded`) so the deadlines above are counted again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.domain.progress import (
    EXAM_OUTCOME_LABELS,
    EXAM_SUBJECT_LABELS,
    HOURS_LABELS,
    MEETING_OUTCOME_LABELS,
    MODULE_LABELS,
    ExamLevel,
    ExamOutcome,
    ExamSubject,
    HoursKind,
    MeetingOutcome,
    ModuleKind,
)
from app.i18n import _
from app.services.pip.progress import ProgressService, ProgressSnapshot
from app.ui import errors
from app.ui.dates import show_date
from app.ui.pip.descriptions import date_form
from app.ui.pip.fields import DateField, InvalidInput, hint_label
from app.ui.tasks import Task, run_in_background


def _named(widget: QWidget, object_name: str, name: str, description: str) -> QWidget:
    widget.setObjectName(object_name)
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)
    return widget


def _date(object_name: str, name: str, purpose: str) -> DateField:
    field = DateField()
    _named(field, object_name, name, f"{purpose} {date_form()}")
    return field


def _combo(object_name: str, name: str, description: str, items: list[tuple[str, str | None]]) -> QComboBox:
    combo = QComboBox()
    for label, value in items:
        combo.addItem(label, value)
    _named(combo, object_name, name, description)
    return combo


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


class ProgressPanel(QGroupBox):
    """Progress records of one client; `show_message` is the editor's message line."""

    recorded = Signal()

    def __init__(
        self,
        service: ProgressService,
        client_id: Any,
        today: Callable[[], dt.date],
        show_message: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Voortgang tijdens de termijn"), parent)
        self.setObjectName("pipProgress")
        self.service, self.client_id, self.today, self.show_message = service, client_id, today, show_message
        self.snapshot: ProgressSnapshot | None = None
        self.buttons: list[QPushButton] = []
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.summary = hint_label()
        self.summary.setObjectName("pipProgressSummary")
        form.addRow(_("Volgend gesprek"), self.summary)
        self.meetings_label = hint_label()
        self.meetings_label.setObjectName("pipMeetings")
        form.addRow(_("Gehouden gesprekken"), self.meetings_label)
        self._build_meeting(form)
        self._build_modules(form)
        self._build_exams(form)
        self._build_hours(form)
        self._enable(False)

    # -- building ------------------------------------------------------------------------------
    def _button(self, text: str, object_name: str, clicked: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(object_name)
        button.clicked.connect(clicked)
        self.buttons.append(button)
        return button

    def _build_meeting(self, form: QFormLayout) -> None:
        self.meeting_date = _date(
            "pipMeetingDate",
            _("Datum gehouden voortgangsgesprek"),
            _("Legt een gehouden gesprek vast, ook bij een vastgesteld PIP."),
        )
        self.meeting_outcome = _combo(
            "pipMeetingOutcome",
            _("Uitkomst van het gesprek"),
            _("Wat het gesprek opleverde; kies met de pijltjestoetsen."),
            [("—", None)] + [(_(label), o.value) for o, label in MEETING_OUTCOME_LABELS.items()],
        )
        self.meeting_next = _date(
            "pipMeetingNext",
            _("Datum volgend gesprek"),
            _("Wanneer het volgende gesprek is afgesproken; leeg: na het interval uit het PIP."),
        )
        self.meeting_note = QLineEdit()
        _named(
            self.meeting_note,
            "pipMeetingNote",
            _("Notitie bij het gesprek"),
            _("Korte notitie over het gesprek, vrije tekst; wordt versleuteld bewaard."),
        )
        form.addRow(_("Voortgangsgesprek gehouden op"), _row(self.meeting_date, self.meeting_outcome))
        form.addRow(_("Volgend gesprek op"), _row(self.meeting_next))
        form.addRow(_("Notitie"), self.meeting_note)
        form.addRow("", _row(self._button(_("Gesprek vastleggen"), "pipRecordMeeting", self._record_meeting)))

    def _build_modules(self, form: QFormLayout) -> None:
        self.modules_label = hint_label()
        self.modules_label.setObjectName("pipModules")
        form.addRow(_("MAP en PVT"), self.modules_label)
        self.module_kind = _combo(
            "pipModuleKind",
            _("Module"),
            _("De MAP of het PVT; kies met de pijltjestoetsen."),
            [(_(label), m.value) for m, label in MODULE_LABELS.items()],
        )
        self.module_started = _date("pipModuleStarted", _("Module gestart op"), _("Wanneer de module begon."))
        self.module_completed = _date(
            "pipModuleCompleted",
            _("Module afgerond op"),
            _("Wanneer de module af was; leeg als ze nog loopt."),
        )
        form.addRow(_("Module"), _row(self.module_kind, self.module_started, self.module_completed))
        form.addRow("", _row(self._button(_("Module vastleggen"), "pipRecordModule", self._record_module)))

    def _build_exams(self, form: QFormLayout) -> None:
        self.exams_label = hint_label()
        self.exams_label.setObjectName("pipExams")
        self.exam_row_label = QLabel(_("Examen"))
        form.addRow(_("Examenuitslagen"), self.exams_label)
        self.exam_part = _combo(
            "pipExamPart",
            _("Examenonderdeel"),
            _("Lezen, luisteren, schrijven, spreken of KNM; kies met de pijltjestoetsen."),
            [(_(label), s.value) for s, label in EXAM_SUBJECT_LABELS.items()],
        )
        self.exam_level = _combo(
            "pipExamLevel",
            _("Niveau van het examen"),
            _("B1, of A2 als het PIP dit onderdeel afschaalt; leeg voor KNM."),
            [("B1", ExamLevel.B1.value), ("A2", ExamLevel.A2.value), ("—", None)],
        )
        self.exam_date = _date(
            "pipExamDate", _("Datum van het examen"), _("Wanneer het examen werd afgenomen.")
        )
        self.exam_outcome = _combo(
            "pipExamOutcome",
            _("Uitslag van het examen"),
            _("Behaald of niet behaald; de poging wordt per onderdeel geteld."),
            [(_(label), o.value) for o, label in EXAM_OUTCOME_LABELS.items()],
        )
        self.exam_widgets = QWidget()
        self.exam_widgets.setLayout(_row(self.exam_part, self.exam_level, self.exam_date, self.exam_outcome))
        form.addRow(self.exam_row_label, self.exam_widgets)
        self.exam_button = self._button(_("Uitslag vastleggen"), "pipRecordExam", self._record_exam)
        form.addRow("", _row(self.exam_button))

    def _build_hours(self, form: QFormLayout) -> None:
        self.hours_label = hint_label()
        self.hours_label.setObjectName("pipHours")
        form.addRow(_("Uren Z-route"), self.hours_label)
        self.hours_kind = _combo(
            "pipHoursKind",
            _("Soort uren"),
            _("Taal en KNM, of participatie (alleen asielstatushouders); kies met de pijltjestoetsen."),
            [(_(label), k.value) for k, label in HOURS_LABELS.items()],
        )
        self.hours_from = _date("pipHoursFrom", _("Uren vanaf"), _("De eerste dag van de periode."))
        self.hours_to = _date("pipHoursTo", _("Uren tot en met"), _("De laatste dag van de periode."))
        self.hours_count = QSpinBox()
        self.hours_count.setRange(0, 800)
        self.hours_count.setSuffix(_(" uur"))
        _named(
            self.hours_count,
            "pipHoursCount",
            _("Aantal uren"),
            _("De gevolgde uren in de periode, als heel getal van 1 tot en met 800."),
        )
        self.hours_widgets = QWidget()
        self.hours_widgets.setLayout(_row(self.hours_kind, self.hours_from, self.hours_to, self.hours_count))
        form.addRow(_("Uren"), self.hours_widgets)
        self.hours_button = self._button(_("Uren vastleggen"), "pipRecordHours", self._record_hours)
        form.addRow("", _row(self.hours_button))

    # -- showing ---------------------------------------------------------------------------------
    def refresh(self) -> Task:
        service, client_id, today = self.service, self.client_id, self.today()
        return run_in_background(
            "database", lambda: service.current(client_id, today), self.show_progress, owner=self,
            on_error=lambda error: self.show_message(errors.message(error)),
        )  # fmt: skip

    def show_progress(self, snap: ProgressSnapshot) -> None:
        self.snapshot = snap
        if not snap.adopted:
            self.summary.setText(_("Voortgang wordt vastgelegd zodra het PIP is vastgesteld."))
        elif snap.next_meeting_due is not None:
            due = show_date(snap.next_meeting_due)
            self.summary.setText(
                _("⚠ te laat: het gesprek had op {due} moeten zijn (elke {months} maanden).").format(
                    due=due, months=snap.interval_months
                )
                if snap.meeting_overdue
                else _("uiterlijk {due} (elke {months} maanden)").format(due=due, months=snap.interval_months)
            )
        self.meetings_label.setText(
            "\n".join(
                " — ".join(
                    part
                    for part in (
                        show_date(m.held_on),
                        _(MEETING_OUTCOME_LABELS[m.outcome]) if m.outcome else "",
                        _("volgende {day}").format(day=show_date(m.next_on)) if m.next_on else "",
                        m.note,
                    )
                    if part
                )
                for m in snap.meetings
            )
            or _("nog geen")
        )
        self.modules_label.setText(
            "\n".join(
                _("{module}: gestart {started}, {state}").format(
                    module=_(MODULE_LABELS[m.module]),
                    started=show_date(m.started_on) or "—",
                    state=_("afgerond {day}").format(day=show_date(m.completed_on))
                    if m.completed_on
                    else _("loopt nog"),
                )
                for m in snap.modules
            )
            or _("nog niet gestart")
        )
        self.exams_label.setText(
            "\n".join(
                _("{part} poging {attempt} ({day}): {outcome}").format(
                    part=_(EXAM_SUBJECT_LABELS[e.subject]) + (f" {e.level.value}" if e.level else ""),
                    attempt=e.attempt,
                    day=show_date(e.taken_on),
                    outcome=_(EXAM_OUTCOME_LABELS[e.outcome]),
                )
                for e in snap.exams
            )
            or _("nog geen")
        )
        z_route = snap.route == "z"
        self.hours_label.setText(
            "\n".join(
                _("{kind}: {hours} van {target} uur{behind}").format(
                    kind=_(HOURS_LABELS[t.kind]),
                    hours=t.hours,
                    target=t.target,
                    behind=_(" (achter: {expected} verwacht)").format(expected=t.expected_by_now)
                    if t.behind
                    else "",
                )
                for t in snap.hours
            )
            if z_route
            else _("alleen in de Z-route")
        )
        for widget in (self.hours_widgets, self.hours_button):
            widget.setVisible(z_route)
        for widget in (self.exam_widgets, self.exam_button, self.exam_row_label):
            widget.setVisible(not z_route)
        self._enable(snap.adopted)

    def _enable(self, adopted: bool) -> None:
        for button in self.buttons:
            button.setEnabled(adopted)
        self.meeting_date.setEnabled(adopted)

    # -- recording -------------------------------------------------------------------------------
    def _run(self, work: Callable[[], ProgressSnapshot], clear: tuple[QLineEdit, ...]) -> None:
        def done(snap: ProgressSnapshot) -> None:
            self.show_message("")
            for field in clear:
                field.clear()
            self.show_progress(snap)
            self.recorded.emit()

        run_in_background(
            "database",
            work,
            done,
            owner=self,
            on_error=lambda error: self.show_message(errors.message(error)),
        )

    def _dates(self, *fields: DateField) -> list[dt.date | None] | None:
        try:
            return [field.value() for field in fields]
        except InvalidInput as error:
            self.show_message(str(error))
            return None

    def _record_meeting(self) -> None:
        dates = self._dates(self.meeting_date, self.meeting_next)
        if dates is None:
            return
        on, next_on = dates
        if on is None:
            self.show_message(_("Vul de datum van het voortgangsgesprek in; gebruik DD-MM-JJJJ."))
            return
        outcome = self.meeting_outcome.currentData()
        service, client_id, today, note = self.service, self.client_id, self.today(), self.meeting_note.text()
        self._run(
            lambda: service.record_meeting(
                client_id, on, MeetingOutcome(outcome) if outcome else None, next_on, note, today
            ),
            (self.meeting_date, self.meeting_next, self.meeting_note),
        )

    def _record_module(self) -> None:
        dates = self._dates(self.module_started, self.module_completed)
        if dates is None:
            return
        module = ModuleKind(self.module_kind.currentData())
        service, client_id, today = self.service, self.client_id, self.today()
        self._run(lambda: service.record_module(client_id, module, dates[0], dates[1], today), ())

    def _record_exam(self) -> None:
        dates = self._dates(self.exam_date)
        if dates is None:
            return
        if dates[0] is None:
            self.show_message(_("Vul de datum van het examen in; gebruik DD-MM-JJJJ."))
            return
        taken_on = dates[0]
        part = ExamSubject(self.exam_part.currentData())
        level_value = self.exam_level.currentData()
        level = ExamLevel(level_value) if level_value and part is not ExamSubject.KNM else None
        outcome = ExamOutcome(self.exam_outcome.currentData())
        service, client_id, today = self.service, self.client_id, self.today()
        self._run(
            lambda: service.record_exam(client_id, part, level, taken_on, outcome, today=today),
            (self.exam_date,),
        )

    def _record_hours(self) -> None:
        dates = self._dates(self.hours_from, self.hours_to)
        if dates is None:
            return
        start, end = dates
        if start is None or end is None:
            self.show_message(_("Vul de eerste en de laatste dag van de periode in; gebruik DD-MM-JJJJ."))
            return
        kind = HoursKind(self.hours_kind.currentData())
        hours = self.hours_count.value()
        service, client_id, today = self.service, self.client_id, self.today()
        self._run(
            lambda: service.record_hours(client_id, kind, start, end, hours, today),
            (self.hours_from, self.hours_to),
        )
