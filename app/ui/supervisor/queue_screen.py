"""The supervisor's "Wacht op vaststelling": signed PIPs oldest first with their 10-week deadline in
words ("12 dagen te laat", not only colour), the chosen PIP side by side (Dutch and translation, as
the device sent it) with the intake summary the supervisor may see, and the decisions: Vaststellen,
Terugsturen, Intrekken, Toewijzen aan ander apparaat.

Store work runs on the database worker (app/ui/tasks.py); the pane is cleared and its buttons
disabled as soon as another row is chosen, and they act on the pane's own client only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import InvalidDate, parse_full_date
from app.i18n import _
from app.i18n.languages import is_known_language, is_rtl
from app.services.profile import Profile
from app.services.supervisor import (
    AdoptedPip,
    DecisionOutcome,
    DeviceInfo,
    PipReview,
    ReviewQueue,
    SupervisorService,
    WaitingPip,
)
from app.ui import errors
from app.ui.confirm import confirm
from app.ui.dates import CalendarButton
from app.ui.supervisor.dialogs import DeviceDialog, ReasonDialog
from app.ui.tasks import run_in_background

LATE_BRUSH = QBrush(QColor("#b00020"))


def _item(value: Any, data: Any = None) -> QStandardItem:
    item = QStandardItem("" if value is None else str(value))
    item.setEditable(False)
    if data is not None:
        item.setData(data, Qt.ItemDataRole.UserRole)
    return item


def _table(headers: list[str], name: str) -> tuple[QTableView, QStandardItemModel]:
    model = QStandardItemModel(0, len(headers))
    model.setHorizontalHeaderLabels(headers)
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    view.setWordWrap(True)
    return view, model


def _day(value: Any) -> str:
    return value.strftime("%d-%m-%Y") if value is not None else "-"


class AdoptionQueueWidget(QWidget):
    """What waits for the supervisor, and the decisions on it."""

    decided = Signal(object)  # DecisionOutcome or DeviceInfo: the caseload may refresh

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adoptionQueue")
        self.profile = profile
        self.waiting: list[WaitingPip] = []
        self.adopted: list[AdoptedPip] = []
        self.devices: list[DeviceInfo] = []
        self.review: PipReview | None = None
        self._pane_client: uuid.UUID | None = None

        self.summary = QLabel("")
        self.summary.setObjectName("queueSummary")
        self.message = QLabel("")
        self.message.setObjectName("queueMessage")
        self.message.setWordWrap(True)
        self.refresh_button = QPushButton(_("&Verversen"))
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)

        self.waiting_view, self.waiting_model = _table(
            [
                _("Naam"),
                _("V-nummer"),
                _("Klantmanager"),
                _("Versie"),
                _("Ondertekend"),
                _("Termijn"),
                _("Nog"),
            ],
            "waitingTable",
        )
        self.waiting_view.setAccessibleName(_("Wacht op vaststelling"))
        self.waiting_view.setAccessibleDescription(
            _(
                "Ondertekende PIP's die op uw besluit wachten, de krapste termijn eerst; kies er een om het te lezen."
            )
        )
        self.adopted_view, self.adopted_model = _table(
            [_("Naam"), _("V-nummer"), _("Versie"), _("Vastgesteld op"), _("Door")], "adoptedTable"
        )
        self.adopted_view.setAccessibleName(_("Vastgestelde PIP's"))
        self.adopted_view.setAccessibleDescription(
            _("PIP's die al zijn vastgesteld, met datum en door wie; kies er een om het in te trekken.")
        )
        self.lists = QTabWidget()
        self.lists.setObjectName("queueLists")
        self.lists.addTab(self.waiting_view, _("Wacht op vaststelling"))
        self.lists.addTab(self.adopted_view, _("Vastgesteld"))
        self.lists.currentChanged.connect(lambda _index: self._choose())
        self.waiting_view.selectionModel().currentRowChanged.connect(lambda *_a: self._choose())
        self.adopted_view.selectionModel().currentRowChanged.connect(lambda *_a: self._choose())

        self.pane_title = QLabel("")
        self.pane_title.setObjectName("paneTitle")
        self.pane_title.setWordWrap(True)
        self.pane_title.setMinimumHeight(3 * self.pane_title.fontMetrics().lineSpacing() + 6)
        self.pane_title.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.texts_view, self.texts_model = _table(
            [_("Onderdeel"), _("Nederlands"), _("Vertaling")], "sideBySide"
        )
        self.texts_view.setAccessibleName(_("Het PIP: Nederlands naast de vertaling"))
        self.texts_view.setAccessibleDescription(
            _("Per onderdeel van het gekozen PIP de Nederlandse tekst en de vertaling; alleen om te lezen.")
        )
        header = self.texts_view.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.texts_view.setColumnWidth(0, 170)
        self.intake_text = QPlainTextEdit()
        self.intake_text.setObjectName("intakeSummary")
        self.intake_text.setReadOnly(True)
        self.intake_text.setAccessibleName(_("Samenvatting van de intake"))
        self.intake_text.setAccessibleDescription(
            _("De uitkomst van de brede intake van de gekozen cliënt; alleen om te lezen.")
        )
        pane = QWidget()
        pane_layout = QVBoxLayout(pane)
        pane_layout.setContentsMargins(0, 0, 0, 0)
        pane_layout.addWidget(self.pane_title)
        pane_split = QSplitter(Qt.Orientation.Vertical)
        pane_split.addWidget(self.texts_view)
        pane_split.addWidget(self.intake_text)
        pane_split.setStretchFactor(0, 3)
        pane_split.setStretchFactor(1, 2)
        pane_layout.addWidget(pane_split, 1)

        self.adopt_button = QPushButton(_("Vast&stellen"))
        self.adopt_button.setObjectName("adoptButton")
        self.send_back_button = QPushButton(_("&Terugsturen…"))
        self.send_back_button.setObjectName("sendBackButton")
        self.withdraw_button = QPushButton(_("&Intrekken…"))
        self.withdraw_button.setObjectName("withdrawButton")
        self.reassign_button = QPushButton(_("Toewijzen aan &ander apparaat…"))
        self.reassign_button.setObjectName("reassignButton")
        self.adopt_button.clicked.connect(self.ask_adopt)
        self.send_back_button.clicked.connect(self.ask_send_back)
        self.withdraw_button.clicked.connect(self.ask_withdraw)
        self.reassign_button.clicked.connect(self.ask_reassign)
        # A decision taken earlier (a meeting, a signed paper) is recorded on its own day; empty: today.
        self.adopt_date = QLineEdit()
        self.adopt_date.setObjectName("adoptDate")
        self.adopt_date.setPlaceholderText(_("DD-MM-JJJJ (leeg: vandaag)"))
        self.adopt_date.setAccessibleName(_("Datum van het besluit"))
        self.adopt_date.setAccessibleDescription(
            _(
                "Datum als dag-maand-jaar, bijvoorbeeld 25-07-2025; leeg is vandaag. Alt+Omlaag opent de kalender."
            )
        )
        self.adopt_date.setMaximumWidth(230)  # the whole hint shows: "DD-MM-JJJJ (leeg: vandaag)"
        date_label = QLabel(_("Besluit genomen &op:"))
        date_label.setBuddy(self.adopt_date)
        buttons = QHBoxLayout()
        buttons.addWidget(date_label)
        buttons.addWidget(self.adopt_date)
        buttons.addWidget(CalendarButton(self.adopt_date, self))
        for button in (self.adopt_button, self.send_back_button, self.withdraw_button, self.reassign_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.lists)
        split.addWidget(pane)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([660, 640])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self._clear_pane()

    # -- loading --------------------------------------------------------------------------------
    def _service(self) -> SupervisorService:
        return SupervisorService.for_profile(self.profile)

    def refresh(self) -> None:
        profile = self.profile

        def load() -> tuple[ReviewQueue, list[AdoptedPip], list[DeviceInfo]]:
            service = SupervisorService.for_profile(profile)
            return service.queue(), service.adopted(), service.devices()

        run_in_background("database", load, self._show, owner=self, on_error=self._failed)

    def _show(self, loaded: tuple[ReviewQueue, list[AdoptedPip], list[DeviceInfo]]) -> None:
        queue, adopted, devices = loaded
        self.waiting, self.adopted, self.devices = list(queue.pips), adopted, devices
        self.waiting_model.removeRows(0, self.waiting_model.rowCount())
        for pip in self.waiting:
            row = [
                _item(pip.name, str(pip.client_id)),
                _item(pip.v_nummer),
                _item(pip.klantmanager),
                _item(pip.number),
                _item(_day(pip.signed_on)),
                _item(_day(pip.due)),
                _item(pip.days_left_text),
            ]
            if pip.late:
                row[6].setForeground(LATE_BRUSH)  # the words say it; the colour only repeats it
            self.waiting_model.appendRow(row)
        self.adopted_model.removeRows(0, self.adopted_model.rowCount())
        for done in adopted:
            self.adopted_model.appendRow(
                [
                    _item(done.name, str(done.client_id)),
                    _item(done.v_nummer),
                    _item(done.number),
                    _item(_day(done.adopted_on)),
                    _item(done.adopted_by),
                ]
            )
        late = sum(1 for p in self.waiting if p.late)
        self.summary.setText(
            _(
                "{waiting} PIP('s) wachten op vaststelling, waarvan {late} te laat; {conflicts} conflict(en) op te lossen (tab Importeren)."
            ).format(waiting=len(self.waiting), late=late, conflicts=len(queue.conflicts))
        )
        self.lists.setTabText(0, _("Wacht op vaststelling ({n})").format(n=len(self.waiting)))
        self.lists.setTabText(1, _("Vastgesteld ({n})").format(n=len(adopted)))
        for view in (self.waiting_view, self.adopted_view):
            view.resizeColumnsToContents()
        self._clear_pane()
        self._choose()

    def _failed(self, error: BaseException) -> None:
        self.message.setText(errors.message(error))

    # -- the pane of the chosen client ---------------------------------------------------------
    def _chosen(self) -> tuple[uuid.UUID, str] | None:
        """The chosen row's client id and V-nummer in the list on view."""
        waiting = self.lists.currentIndex() == 0
        view, model = (
            (self.waiting_view, self.waiting_model) if waiting else (self.adopted_view, self.adopted_model)
        )
        index: QModelIndex = view.currentIndex()
        if not index.isValid():
            return None
        client = model.item(index.row(), 0).data(Qt.ItemDataRole.UserRole)
        return uuid.UUID(client), model.item(index.row(), 1).text()

    def _clear_pane(self) -> None:
        self.review = None
        self._pane_client = None
        self.pane_title.setText(_("Kies een PIP in de lijst om het te lezen."))
        self.texts_model.removeRows(0, self.texts_model.rowCount())
        self.intake_text.setPlainText("")
        for button in (self.adopt_button, self.send_back_button, self.withdraw_button, self.reassign_button):
            button.setEnabled(False)

    def _choose(self) -> None:
        self._clear_pane()
        chosen = self._chosen()
        if chosen is None:
            return
        client_id, _v = chosen
        self._pane_client = client_id
        profile = self.profile
        run_in_background(
            "database",
            lambda: SupervisorService.for_profile(profile).review(client_id),
            lambda review: self._show_review(client_id, review),
            owner=self,
            on_error=self._failed,
        )

    def _show_review(self, client_id: uuid.UUID, review: PipReview | None) -> None:
        if client_id != self._pane_client or review is None:
            return  # another row was chosen meanwhile
        self.review = review
        signatures = ", ".join(f"{who} {_day(day)}" for who, day in review.signatures if day is not None)
        self.pane_title.setText(
            _(
                "{name} ({v_nummer}): versie {number}, {state}; {route}; opgesteld door {by}; getekend: {signed}"
            ).format(
                name=review.client_name,
                v_nummer=review.v_nummer,
                number=review.number,
                state=review.state_label,
                route=review.route,
                by=review.drafted_by or "-",
                signed=signatures or "-",
            )
        )
        for text in review.texts:
            translated = _item(text.translation or _("(geen vertaling meegestuurd)"))
            if (
                text.translation
                and text.language
                and is_known_language(text.language)
                and is_rtl(text.language)
            ):
                # Arabic script reads from the right: aligned there, names and numbers kept intact.
                translated.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.texts_model.appendRow([_item(text.label), _item(text.dutch), translated])
        self.texts_view.resizeRowsToContents()
        lines: list[str] = []
        for section in review.intake:
            lines.append(section.title)
            lines.extend(f"  {answer.label}: {answer.text}" for answer in section.answers)
        self.intake_text.setPlainText("\n".join(lines) or _("Er is geen intake meegestuurd."))
        waiting = self.lists.currentIndex() == 0
        self.adopt_button.setEnabled(waiting)
        self.send_back_button.setEnabled(waiting)
        self.withdraw_button.setEnabled(not waiting)
        self.reassign_button.setEnabled(True)

    # -- decisions -------------------------------------------------------------------------------
    def _decide(self, work: Any, done_text: Any) -> None:
        self.message.setText("")

        def done(outcome: Any) -> None:
            self.message.setText(done_text(outcome))
            self.decided.emit(outcome)
            self.refresh()

        run_in_background("database", work, done, owner=self, on_error=self._failed)

    def ask_adopt(self) -> None:
        chosen = self._chosen()
        if chosen is None or self.review is None:
            return
        _client, v_nummer = chosen
        typed = self.adopt_date.text().strip()
        try:
            on = parse_full_date(typed, typed=True) if typed else None
        except InvalidDate as error:
            self.message.setText(str(error))
            self.adopt_date.setFocus()
            return
        day = on or dt.date.today()
        profile = self.profile
        confirm(
            self,
            _("PIP vaststellen"),
            _(
                "Het PIP van {name} (versie {number}) vaststellen op {day}? Daarna kan deze versie niet meer "
                "veranderen; een wijziging wordt een nieuwe versie. Is dit het eerste vastgestelde PIP, "
                "dan begint de inburgeringstermijn de dag erna, {next_day}."
            ).format(
                name=self.review.client_name,
                number=self.review.number,
                day=_day(day),
                next_day=_day(day + dt.timedelta(days=1)),
            ),
            _("Vaststellen"),
            lambda: self._decide(
                lambda: SupervisorService.for_profile(profile).adopt(v_nummer, on=on), self._adopted_text
            ),
        )

    @staticmethod
    def _adopted_text(outcome: DecisionOutcome) -> str:
        text = _("Versie {number} is vastgesteld op {date}.").format(
            number=outcome.version, date=_day(outcome.decided_on)
        )
        if outcome.term_start is not None:
            text += " " + _("De inburgeringstermijn begint op {date}.").format(date=_day(outcome.term_start))
        if outcome.days_over_deadline:
            text += " " + _("Dat is {days} dagen na de termijn van 10 weken.").format(
                days=outcome.days_over_deadline
            )
        return text

    def ask_send_back(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        _client, v_nummer = chosen
        profile = self.profile
        ReasonDialog(
            self,
            _("Terugsturen naar de klantmanager"),
            _(
                "Waarom gaat het PIP terug? De klantmanager leest dit. Het PIP wordt weer concept en de "
                "handtekeningen vervallen; na aanpassen wordt het opnieuw besproken en ondertekend."
            ),
            _("Terugsturen"),
            lambda reason: self._decide(
                lambda: SupervisorService.for_profile(profile).send_back(v_nummer, reason),
                lambda outcome: _("Versie {number} is teruggestuurd naar de klantmanager.").format(
                    number=outcome.version
                ),
            ),
        )

    def ask_withdraw(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        _client, v_nummer = chosen
        profile = self.profile
        ReasonDialog(
            self,
            _("PIP intrekken"),
            _(
                "Waarom wordt het vastgestelde PIP ingetrokken? Daarna geldt er geen PIP meer voor deze "
                "cliënt tot een nieuwe versie is vastgesteld; de start van de termijn verandert niet."
            ),
            _("Intrekken"),
            lambda reason: self._decide(
                lambda: SupervisorService.for_profile(profile).withdraw(v_nummer, reason),
                lambda outcome: _("Versie {number} is ingetrokken.").format(number=outcome.version),
            ),
        )

    def ask_reassign(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        client_id, v_nummer = chosen
        current = next((p.device_id for p in self.waiting if p.client_id == client_id), "")
        profile = self.profile
        DeviceDialog(
            self,
            self.devices,
            current,
            lambda device_id: self._decide(
                lambda: SupervisorService.for_profile(profile).reassign(v_nummer, device_id),
                lambda device: _("De cliënt is toegewezen aan het apparaat van {name}.").format(
                    name=device.name or device.device_id
                ),
            ),
        )
