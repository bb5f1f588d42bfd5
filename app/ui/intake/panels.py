"""The two pages around the form: conversations with consent, and concluding with the route advice."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import InvalidDate, parse_full_date
from app.domain.enums import Leerroute
from app.domain.intake_rules import LearnabilityOutcome, RouteAdvice, outcome_label
from app.domain.intake_vocabulary import INTERPRETER_LABELS, PLACE_LABELS, InterpreterKind, Place
from app.domain.pip_lifecycle import route_label
from app.forms import form_text, missing_required
from app.forms.progress import invalid_answers
from app.i18n import _, ngettext
from app.i18n.languages import all_languages
from app.services.intake import IntakeSnapshot, ReadableSection, SessionInput
from app.services.intake.records import Missing
from app.ui.confirm import confirm
from app.ui.dates import CalendarButton, show_date
from app.ui.dates import placeholder as date_placeholder
from app.ui.intake.states import CONCLUSION_KEY, SESSIONS_KEY
from app.ui.names import language_name

JUSTIFICATION_FIELD = "onderbouwing"  # the conclusion page's own field, not a form question

ERROR_STYLE = "color: #b00020;"


def _label(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


class InterpreterFields:
    """Kind, language, name and register number of an interpreter, shared by both forms."""

    def __init__(self, prefix: str) -> None:
        self.kind = QComboBox()
        self.kind.setObjectName(f"{prefix}InterpreterKind")
        for kind in InterpreterKind:
            self.kind.addItem(_(INTERPRETER_LABELS[kind]), kind.value)
        self.language = QComboBox()
        self.language.setObjectName(f"{prefix}Language")
        for language in all_languages():
            self.language.addItem(f"{language_name(language.code)} ({language.native_name})", language.code)
        self.name = QLineEdit()
        self.name.setObjectName(f"{prefix}InterpreterName")
        self.register = QLineEdit()
        self.register.setObjectName(f"{prefix}InterpreterRegister")
        self.register.setPlaceholderText(_("Rbtv-nummer"))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def add_rows(self, form: QFormLayout, with_language: bool = True) -> None:
        form.addRow(_("Tolk"), self.kind)
        if with_language:
            form.addRow(_("Taal"), self.language)
        form.addRow(_("Naam tolk of sleutelpersoon"), self.name)
        form.addRow(_("Registratienummer tolk"), self.register)
        for widget, name in ((self.kind, _("Tolk")), (self.language, _("Taal")), (self.name, _("Naam tolk of sleutelpersoon")),
                             (self.register, _("Registratienummer tolk"))):  # fmt: skip
            widget.setAccessibleName(name)
        self.kind.setAccessibleDescription(
            _(
                "Kies geen tolk, een tolk uit het register of een sleutelpersoon; de velden hieronder volgen de keuze."
            )
        )
        self.language.setAccessibleDescription(
            _("De taal waarin is getolkt; typ de eerste letters van de taal om te kiezen.")
        )
        self.name.setAccessibleDescription(
            _("Voor- en achternaam van de tolk of sleutelpersoon, op één regel.")
        )
        self.register.setAccessibleDescription(
            _("Alleen bij een tolk: het nummer in het Register beëdigde tolken en vertalers (Rbtv).")
        )

    def widgets(self) -> list[QWidget]:
        return [self.kind, self.language, self.name, self.register]

    def _kind_changed(self) -> None:
        kind = InterpreterKind(self.kind.currentData())
        self.name.setEnabled(kind is not InterpreterKind.NONE)
        self.register.setEnabled(kind is InterpreterKind.TOLK)

    def values(self) -> tuple[InterpreterKind, str | None, str | None, str | None]:
        kind = InterpreterKind(self.kind.currentData())
        if kind is InterpreterKind.NONE:
            return kind, None, None, None
        register = self.register.text().strip() if kind is InterpreterKind.TOLK else None
        return kind, self.language.currentData(), self.name.text().strip(), register


class SessionsPage(QWidget):
    """The conversations of this intake, adding one, and recording the privacy consent."""

    add_requested = Signal(object)  # SessionInput
    consent_requested = Signal(object)  # (date, language, kind, name, register)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("sessionsPage")
        layout = QVBoxLayout(self)
        title = _label(_("Gesprekken en privacy"))
        title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        layout.addWidget(title)
        self.sessions = QListWidget()
        self.sessions.setObjectName("sessionList")
        self.sessions.setAccessibleName(_("Gehouden gesprekken"))
        self.sessions.setAccessibleDescription(
            _("De gesprekken van deze intake, het nieuwste bovenaan; alleen om te lezen.")
        )
        self.sessions.setMaximumHeight(130)
        layout.addWidget(self.sessions)

        box = QGroupBox(_("Gesprek toevoegen"))
        form = QFormLayout(box)
        self.date = QLineEdit()
        self.date.setObjectName("sessionDate")
        self.date.setPlaceholderText(date_placeholder(False))
        self.date_calendar = CalendarButton(self.date)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date)
        date_row.addWidget(self.date_calendar)
        self.place = QComboBox()
        self.place.setObjectName("sessionPlace")
        for place in Place:
            self.place.addItem(_(PLACE_LABELS[place]), place.value)
        self.participants = QLineEdit()
        self.participants.setObjectName("sessionParticipants")
        self.participants.setPlaceholderText(
            _("bijvoorbeeld VluchtelingenWerk, COA; gescheiden door komma's")
        )
        date_label = QLabel(_("&Datum"))
        date_label.setBuddy(self.date)
        form.addRow(date_label, date_row)
        form.addRow(_("&Plaats"), self.place)
        form.addRow(_("Andere &deelnemers"), self.participants)
        self.date.setAccessibleName(_("Datum van het gesprek"))
        self.place.setAccessibleName(_("Plaats van het gesprek"))
        self.participants.setAccessibleName(_("Andere deelnemers"))
        self.date.setAccessibleDescription(
            _("Datum als dag-maand-jaar, bijvoorbeeld 25-07-2025; Alt+Omlaag opent de kalender.")
        )
        self.place.setAccessibleDescription(_("Waar het gesprek was; kies met de pijltjestoetsen."))
        self.participants.setAccessibleDescription(
            _(
                "Wie er verder bij was, gescheiden door komma's, bijvoorbeeld VluchtelingenWerk, COA; mag leeg blijven."
            )
        )
        self.interpreter = InterpreterFields("session")
        self.interpreter.add_rows(form)
        self.add_button = QPushButton(_("Gesprek &toevoegen"))
        self.add_button.setObjectName("addSession")
        self.add_button.clicked.connect(self._add)
        form.addRow(self.add_button)
        layout.addWidget(box)

        consent = QGroupBox(_("Privacyverklaring"))
        consent_form = QFormLayout(consent)
        self.consent_state = _label("", "consentState")
        consent_form.addRow(self.consent_state)
        self.consent_interpreter = InterpreterFields("consent")
        self.consent_interpreter.add_rows(consent_form)
        self.consent_button = QPushButton(_("Privacyverklaring is &uitgelegd"))
        self.consent_button.setObjectName("recordConsent")
        self.consent_button.clicked.connect(self._consent)
        consent_form.addRow(self.consent_button)
        layout.addWidget(consent)
        self.message = _label("", "sessionsMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.today = dt.date.today()
        self._shown_sessions: int | None = None  # how many conversations the list showed last
        chain: list[QWidget] = [self.date, self.place, self.participants, *self.interpreter.widgets(), self.add_button,
                                *self.consent_interpreter.widgets(), self.consent_button]  # fmt: skip
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def first_focus(self) -> QWidget:
        return self.date

    def clear_form(self) -> None:
        """Empty "Gesprek toevoegen" after a conversation was added (today's date again)."""
        self.date.setText(show_date(self.today))
        self.place.setCurrentIndex(0)
        self.participants.clear()
        self.interpreter.kind.setCurrentIndex(0)
        self.interpreter.name.clear()
        self.interpreter.register.clear()
        self.show_message("")  # focus stays on "Gesprek toevoegen": Tab goes on to the privacy statement

    def show_snapshot(self, snap: IntakeSnapshot, today: dt.date) -> None:
        self.today = today
        if self._shown_sessions is not None and len(snap.sessions) > self._shown_sessions:
            self.clear_form()  # the conversation was added: the form is ready for the next one
        self._shown_sessions = len(snap.sessions)
        if not self.date.text():
            self.date.setText(show_date(today))
        self.sessions.clear()
        for s in snap.sessions:
            who = ""
            if s.interpreter_kind is not InterpreterKind.NONE:
                who = _(", {kind}: {name} ({language})").format(
                    kind=_(INTERPRETER_LABELS[s.interpreter_kind]).lower(), name=s.interpreter_name or "",
                    language=language_name(s.interpreter_language) if s.interpreter_language else "",
                ) + (f", {s.interpreter_register}" if s.interpreter_register else "")  # fmt: skip
            others = f" — {', '.join(s.participants)}" if s.participants else ""
            self.sessions.addItem(f"{show_date(s.held_on)} · {_(PLACE_LABELS[s.place])}{who}{others}")
        if not snap.sessions:
            self.sessions.addItem(_("Nog geen gesprekken vastgelegd."))
        if snap.privacy_explained:
            self.consent_state.setText(
                _("Uitgelegd in het {language}, {kind}{name}.").format(
                    language=language_name(snap.privacy_language) if snap.privacy_language else "?",
                    kind=_(INTERPRETER_LABELS[snap.privacy_interpreter_kind]).lower(),
                    name=f" {snap.privacy_interpreter_name}" if snap.privacy_interpreter_name else "",
                )  # fmt: skip
            )
        else:
            self.consent_state.setText(_("Nog niet vastgelegd dat de privacyverklaring is uitgelegd."))
        for widget in (self.add_button, self.consent_button):
            widget.setEnabled(snap.editable)

    def _add(self) -> None:
        try:
            held_on = parse_full_date(self.date.text(), typed=True)
        except InvalidDate as error:
            self.show_message(str(error))
            return
        kind, language, name, register = self.interpreter.values()
        participants = tuple(p.strip() for p in self.participants.text().split(",") if p.strip())
        self.add_requested.emit(
            SessionInput(
                held_on, Place(self.place.currentData()), participants, kind, language, name, register
            )
        )

    def _consent(self) -> None:
        kind, _language, name, register = self.consent_interpreter.values()
        self.consent_requested.emit(
            (self.today, self.consent_interpreter.language.currentData(), kind, name, register)
        )

    def show_message(self, text: str) -> None:
        self.message.setText(text)


class ConclusionPage(QWidget):
    """What is missing, the learnability result, the route advice and the klantmanager's choice."""

    jump_requested = Signal(str, str)  # section id, field id
    conclude_requested = Signal(object, str)  # Leerroute, justification

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("conclusionPage")
        layout = QVBoxLayout(self)
        title = _label(_("Afronden en leerroute"))
        title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        layout.addWidget(title)
        self.missing_title = _label("", "missingTitle")
        layout.addWidget(self.missing_title)
        self.missing = QListWidget()
        self.missing.setObjectName("missingList")
        self.missing.setAccessibleName(_("Ontbrekende of onjuiste antwoorden; Enter springt naar het veld"))
        self.missing.setAccessibleDescription(
            _(
                "Wat nog ontbreekt of niet klopt voordat de intake kan worden afgerond; kies een regel en druk Enter."
            )
        )
        self.missing.setMaximumHeight(160)
        self.missing.itemActivated.connect(self._jump)
        layout.addWidget(self.missing)
        self.test_result = _label("", "learnabilityResult")
        layout.addWidget(self.test_result)
        advice_box = QGroupBox(_("Advies leerroute"))
        advice_layout = QVBoxLayout(advice_box)
        self.advice = _label("", "routeAdvice")
        self.advice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        advice_layout.addWidget(self.advice)
        layout.addWidget(advice_box)
        form = QFormLayout()
        self.route = QComboBox()
        self.route.setObjectName("chosenRoute")
        for route in Leerroute:
            self.route.addItem(route_label(route), route.value)
        self.route.setAccessibleName(_("Gekozen leerroute"))
        self.route.setAccessibleDescription(
            _(
                "De leerroute die u kiest; het advies staat erboven. Wijkt u af, dan is een onderbouwing nodig."
            )
        )
        self.justification = QPlainTextEdit()
        self.justification.setObjectName("routeJustification")
        self.justification.setTabChangesFocus(True)
        self.justification.setFixedHeight(80)
        self.justification.setAccessibleName(_("Onderbouwing bij afwijken van het advies"))
        self.justification.setAccessibleDescription(
            _(
                "Vrije tekst: waarom u afwijkt van het advies; nodig als de gekozen leerroute anders is. Tab gaat verder."
            )
        )
        form.addRow(_("Gekozen &leerroute"), self.route)
        form.addRow(_("&Onderbouwing"), self.justification)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.conclude_button = QPushButton(_("Intake &afronden"))
        self.conclude_button.setObjectName("concludeIntake")
        self.conclude_button.clicked.connect(self._conclude)
        row.addWidget(self.conclude_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = _label("", "conclusionMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._route_touched = False
        self.route.activated.connect(lambda _i: setattr(self, "_route_touched", True))
        self._checks: list[tuple[str, tuple[str, str]]] = []
        self._advised: Leerroute | None = None
        self._editable = False
        self.route.currentIndexChanged.connect(lambda _i: self._update_checklist())
        self.justification.textChanged.connect(self._update_checklist)
        chain: list[QWidget] = [self.missing, self.route, self.justification, self.conclude_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def first_focus(self) -> QWidget:
        return self.missing if self.missing.isVisible() and self.missing.count() else self.route

    def show_state(
        self, snap: IntakeSnapshot, missing: list[Missing], problems: list[tuple[str, str, str]], advice: RouteAdvice,
        outcome_text: str,
    ) -> None:  # fmt: skip
        # Every condition that finishing checks, in the order the service checks them (issue 16,
        # fault 6): the answers, the privacy statement, and a justification when the choice deviates.
        self._checks = [
            (_("Ontbreekt: {label}").format(label=form_text(item.label)), (item.section_id, item.field_id))
            for item in missing
        ]
        self._checks += [(text, (section_id, field_id)) for section_id, field_id, text in problems]
        if snap.editable and not snap.privacy_explained:
            self._checks.append(
                (
                    _("Ontbreekt: de privacyverklaring is nog niet als uitgelegd vastgelegd"),
                    (SESSIONS_KEY, ""),
                )
            )
        self._advised = advice.route
        self._editable = snap.editable
        self.test_result.setText(outcome_text)
        route = route_label(advice.route) if advice.route else _("nog geen advies")
        self.advice.setText(f"<b>{route}</b><br>" + "<br>".join(advice.reasons))
        if snap.chosen_route:
            self.route.setCurrentIndex(self.route.findData(snap.chosen_route))
            self.justification.setPlainText(snap.route_justification or "")
        elif advice.route and not self._route_touched:
            self.route.setCurrentIndex(self.route.findData(advice.route.value))
        for widget in (self.route, self.justification, self.conclude_button):
            widget.setEnabled(snap.editable)
        self._update_checklist()
        if not snap.editable:
            self.message.setStyleSheet("color: #1b5e20;")
            self.message.setText(
                _("Afgerond op {date}; gekozen: {route}.").format(
                    date=show_date(snap.concluded_on) if snap.concluded_on else "?",
                    route=route_label(snap.chosen_route),
                )
            )

    def _needs_justification(self) -> bool:
        chosen = self.route.currentData()
        return (
            self._editable
            and self._advised is not None
            and chosen != self._advised.value
            and not self.justification.toPlainText().strip()
        )

    def _update_checklist(self) -> None:
        """The list follows the route choice and the justification as they change, before clicking."""
        checks = list(self._checks)
        if self._needs_justification():
            checks.append(
                (
                    _("Ontbreekt: een onderbouwing, omdat de gekozen leerroute afwijkt van het advies"),
                    (CONCLUSION_KEY, JUSTIFICATION_FIELD),
                )
            )
        self.missing.clear()
        for text, target in checks:
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, target)
            self.missing.addItem(entry)
        count = len(checks)
        self.missing_title.setText(
            _("Alles is klaar om af te ronden.") if not count
            else ngettext(
                "Nog {count} punt voordat u kunt afronden (Enter springt naar het veld):",
                "Nog {count} punten voordat u kunt afronden (Enter springt naar het veld):",
                count,
            ).format(count=count)
        )  # fmt: skip
        self.missing.setVisible(bool(count))

    def _jump(self, item: QListWidgetItem) -> None:
        section_id, field_id = item.data(Qt.ItemDataRole.UserRole)
        if section_id == CONCLUSION_KEY:
            self.justification.setFocus()
            return
        self.jump_requested.emit(section_id, field_id)

    def _conclude(self) -> None:
        route, justification = Leerroute(self.route.currentData()), self.justification.toPlainText()
        self.confirmation = confirm(
            self,
            _("Intake afronden"),
            _(
                "Na het afronden kan de intake niet meer worden gewijzigd. De gekozen leerroute ({route}) "
                "gaat naar het PIP. Intake nu afronden?"
            ).format(route=route_label(route)),
            _("Intake afronden"),
            lambda: self.conclude_requested.emit(route, justification),
        )

    def show_message(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)


def conclusion_checks(
    snap: IntakeSnapshot, answers: dict[str, Any], keys: list[str], today: dt.date
) -> tuple[list[Missing], list[tuple[str, str, str]]]:
    """What the "Afronden" checklist lists from the answers on screen: the required answers that are
    missing, and (section, field, sentence) for every answer that does not pass its check."""
    if not snap.editable:
        return [], []
    definition = snap.definition
    problems = []
    for field_id, problem in invalid_answers(definition, answers, today):
        item = definition.field(field_id)
        section = definition.section_of(field_id)
        if item is not None and section is not None and section.id in keys:
            problems.append((section.id, field_id, f"{form_text(item.label)}: {problem}"))
    return missing_required(definition, answers, snap.role), problems


def outcome_text(outcome: LearnabilityOutcome, score: int | None, cesuur: int) -> str:
    """'Leerbaarheidstoets: haalbaar (score 31 van 40, cesuur 28).'"""
    label = outcome_label(outcome)
    if score is None:
        return _("Leerbaarheidstoets: {result} (cesuur {cesuur}).").format(result=label, cesuur=cesuur)
    return _("Leerbaarheidstoets: {result} (score {score} van 40, cesuur {cesuur}).").format(
        result=label, score=score, cesuur=cesuur
    )


class OverviewPage(QWidget):
    """Every answer in reading form, also those to questions a later form version removed."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("overviewPage")
        layout = QVBoxLayout(self)
        title = _label(_("Overzicht van de antwoorden"))
        title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        layout.addWidget(title)
        self.text = QTextBrowser()
        self.text.setObjectName("overviewText")
        self.text.setAccessibleName(_("Overzicht van alle antwoorden"))
        self.text.setAccessibleDescription(
            _(
                "Alle antwoorden per sectie om te lezen, ook die van vragen die niet meer in het formulier staan."
            )
        )
        self.text.setOpenLinks(False)
        layout.addWidget(self.text, 1)

    def first_focus(self) -> QWidget:
        return self.text

    def show_sections(self, sections: list[ReadableSection]) -> None:
        parts = []
        for section in sections:
            parts.append(
                f"<h3>{html.escape(section.title)}</h3><table cellspacing='0' cellpadding='3' width='98%'>"
            )
            for answer in section.answers:
                text = html.escape(answer.text).replace("\n", "<br>")
                if answer.problem:
                    text += f"<br><span style='color:#b00020'>{html.escape(answer.problem)}</span>"
                version = _("versie {version}").format(version=answer.form_version)
                parts.append(
                    f"<tr><td width='35%' valign='top'><b>{html.escape(answer.label)}</b></td>"
                    f"<td valign='top'>{text}</td><td width='70' valign='top' style='color:#595959'>{version}</td></tr>"
                )
            parts.append("</table>")
        if not sections:
            no_answers = _("Er zijn nog geen antwoorden.")
            parts.append(f"<p>{html.escape(no_answers)}</p>")
        self.text.setHtml("".join(parts))
