"""The detail pane beside the caseload: who the client is, the household, the dates that count."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.domain.deadlines import DeadlineState, DeadlineStatus
from app.forms.texts import form_text
from app.i18n import N_, _, ngettext
from app.i18n.countries import country_name
from app.i18n.languages import get_language, is_known_language
from app.services.clients import ClientDetail
from app.ui.dates import show_date
from app.ui.names import language_name
from app.ui.shortcuts import CLIENT_ACTION_SHORTCUTS, with_shortcut

BUTTON_COLUMNS = 2


@dataclass
class ClientAction:
    """A button in the detail pane that opens a screen for the selected client (intake, PIP, ...)."""

    label: Callable[[], str]
    open: Callable[[str], None]
    object_name: str
    # Only for a client with integration duty (the PIP and its printing): disabled for a minor
    # household member or someone over the AOW age, as the services refuse them.
    needs_integration_duty: bool = False


def _e(text: str) -> str:
    return html.escape(text)


# The intake form's own wording of the two target groups, translated with the form catalog.
_TARGET_GROUP_TEXTS = {
    "asiel": "Asielstatushouder (of nareiziger)",
    "gezinsmigrant": "Gezinsmigrant of overige migrant",
}


def target_group_label(value: str) -> str:
    text = _TARGET_GROUP_TEXTS.get(value)
    return form_text(text) if text else value


def deadline_phrase(status: DeadlineStatus) -> str:
    """'nog 12 dagen', '5 dagen te laat', or 'verstreken' for dates that simply pass."""
    days = status.days_left
    if days >= 0:
        text = ngettext("nog {n} dag", "nog {n} dagen", days).format(n=days)
        return f"{status.state_label}, {text}" if status.state is DeadlineState.BINNENKORT else text
    if not status.deadline.can_be_late:
        return _("verstreken")
    return ngettext("{n} dag te laat", "{n} dagen te laat", -days).format(n=-days)


DETAIL_DESCRIPTION = N_(
    "De gegevens en termijnen van de cliënt die in de lijst gekozen is; pijltjestoetsen scrollen, "
    "Tab gaat naar de knoppen."
)


class ClientDetailPane(QScrollArea):
    def __init__(self, actions: list[ClientAction] | None = None) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setMinimumWidth(320)
        self.setObjectName("clientDetail")
        self.setAccessibleName(_("Gegevens van de gekozen cliënt"))  # in the tab order: it scrolls
        self.setAccessibleDescription(_(DETAIL_DESCRIPTION))
        body = QWidget()
        layout = QVBoxLayout(body)
        self.title = QLabel()
        self.title.setObjectName("clientTitle")
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.original = QLabel()
        self.original.setObjectName("clientOriginalName")
        self.original.setStyleSheet("font-size: 15pt;")
        self.facts = QLabel()
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.title)
        layout.addWidget(self.original)
        # A grid, not a row: six actions must fit a narrow pane on a laptop screen.
        self.buttons = QGridLayout()
        self._actions = actions or []
        self._action_buttons: list[tuple[QPushButton, ClientAction]] = []
        self.menu_actions: list[QAction] = []  # the main window's "Cliënt" menu
        for action in self._actions:
            button = QPushButton(action.label())
            button.setObjectName(action.object_name)
            button.setEnabled(False)
            button.clicked.connect(lambda _checked=False, a=action: self._open(a))
            menu_action = QAction(action.label(), self)
            menu_action.setObjectName(f"{action.object_name}Action")
            menu_action.setShortcut(QKeySequence(CLIENT_ACTION_SHORTCUTS.get(action.object_name, "")))
            menu_action.setEnabled(False)
            menu_action.triggered.connect(lambda _checked=False, a=action: self._open(a))
            button.setProperty("menuAction", menu_action)
            self.menu_actions.append(menu_action)
            index = len(self._action_buttons)
            self.buttons.addWidget(button, index // BUTTON_COLUMNS, index % BUTTON_COLUMNS)
            self._action_buttons.append((button, action))
        layout.addLayout(self.buttons)
        layout.addWidget(self.facts, 1)
        self.setWidget(body)
        self._client_id: str | None = None
        self.show_empty()
        for button, _action in self._action_buttons:
            self._tooltip(button, "")

    def _open(self, action: ClientAction) -> None:
        if self._client_id is not None:
            action.open(self._client_id)

    def retranslate(self) -> None:
        self.setAccessibleName(_("Gegevens van de gekozen cliënt"))
        self.setAccessibleDescription(_(DETAIL_DESCRIPTION))
        for button, action in self._action_buttons:
            button.setText(action.label())
            menu_action = button.property("menuAction")
            menu_action.setText(action.label())
            self._tooltip(button, "")
        if self._client_id is None:
            self.show_empty()

    def show_empty(self) -> None:
        self._client_id = None
        self.title.setText(_("Geen cliënt gekozen"))
        self.title.setAccessibleName(_("Naam van de gekozen cliënt"))
        self.original.clear()
        self.facts.setText(_("Kies een cliënt in de lijst om de gegevens en termijnen te zien."))
        self._enable_all(False)

    def _enable_all(self, enabled: bool) -> None:
        for button, _action in self._action_buttons:
            button.setEnabled(enabled)
            button.property("menuAction").setEnabled(enabled)

    def _tooltip(self, button: QPushButton, reason: str) -> None:
        menu_action = button.property("menuAction")
        text = with_shortcut(button.text(), menu_action.shortcut())
        button.setToolTip(f"{text}: {reason}" if reason else text)

    def show_loading(self) -> None:
        """A new row was chosen: nothing of the previous client stays, no button acts until it loaded."""
        self._client_id = None
        self.title.setText(_("Cliënt laden…"))
        self.original.clear()
        self.facts.clear()
        self._enable_all(False)

    @property
    def client_id(self) -> str | None:
        """The client the pane and its buttons belong to, or None while nothing (or a load) shows."""
        return self._client_id

    def show_detail(self, detail: ClientDetail) -> None:
        self._client_id = str(detail.client_id)
        for button, action in self._action_buttons:
            allowed = detail.obliged or not action.needs_integration_duty
            button.setEnabled(allowed)
            button.property("menuAction").setEnabled(allowed)
            self._tooltip(button, "" if allowed else _("geen inburgeringsplicht"))
        self.title.setText(detail.name)
        self.original.setText(detail.name_original)
        # The registry decides direction; an Arabic-script name reads from the right.
        language = detail.document_language
        rtl = is_known_language(language) and get_language(language).is_rtl
        self.original.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        )
        self.original.setAlignment(Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
        self.original.setVisible(bool(detail.name_original))
        language_names = ", ".join(language_name(code) for code in detail.languages)
        rows = [
            (_("V-nummer"), detail.v_nummer),
            (_("BSN"), detail.bsn or _("nog niet bekend")),
            (_("Geboortedatum"), show_date(detail.birth_date)),
            (_("Nationaliteit"), country_name(detail.nationality) or detail.nationality),
            (_("Talen"), language_names),
            (_("Doelgroep"), target_group_label(detail.target_group)),
            (_("COA-locatie"), detail.coa_location),
            (_("Koppeldatum"), detail.koppeldatum.strftime("%d-%m-%Y") if detail.koppeldatum else "—"),
            (
                _("Huisvestingsdatum"),
                detail.huisvestingsdatum.strftime("%d-%m-%Y")
                if detail.huisvestingsdatum
                else _("nog in AZC"),
            ),
            (_("Klantmanager"), detail.klantmanager),
        ]
        parts = ["<table cellspacing='4'>"]
        parts += [f"<tr><td><b>{_e(label)}</b></td><td>{_e(value)}</td></tr>" for label, value in rows]
        parts.append("</table>")
        deadlines_heading = _("Termijnen")
        parts.append(f"<h3>{_e(deadlines_heading)}</h3><ul>")
        for status in detail.deadlines:
            parts.append(
                f"<li>{_e(status.deadline.label)}: {status.due.strftime('%d-%m-%Y')} "
                f"({_e(deadline_phrase(status))})</li>"
            )
        parts += [f"<li><i>{_e(note)}</i></li>" for note in detail.deadline_notes]
        parts.append("</ul>")
        if detail.household_members:
            parts.append(f"<h3>{_e(_('Huishouden'))} ({_e(detail.household_label)})</h3><ul>")
            for member in detail.household_members:
                suffix = "" if member.obliged else f" — {_e(_('geen inburgeringsplicht'))}"
                parts.append(f"<li>{_e(member.name)} ({_e(show_date(member.birth_date))}){suffix}</li>")
            parts.append("</ul>")
        self.facts.setText("".join(parts))
