"""Input widgets of the PIP editor, each bound to one key of a PIP snapshot's `values`.

A binding knows how to read its widget, how to show a value without emitting a change, and which
signal says the user changed it. The editor turns those changes into undo commands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import parse_full_date
from app.i18n import _
from app.ui.dates import show_date


class InvalidInput(ValueError):
    """What the user typed cannot be saved yet; the message says why (Dutch)."""


@dataclass
class Binding:
    key: str
    widget: QWidget
    read: Callable[[], Any]
    show: Callable[[Any], None]
    # Typing in a text merges into one undo step; a click or a choice is a step of its own.
    merges: bool = False


def _blocked(widget: QObject, apply: Callable[[], None]) -> None:
    blocker = QSignalBlocker(widget)
    try:
        apply()
    finally:
        blocker.unblock()


def line_binding(key: str, widget: QLineEdit) -> Binding:
    return Binding(
        key, widget, widget.text, lambda v: _blocked(widget, lambda: widget.setText(v or "")), True
    )


def text_binding(key: str, widget: QPlainTextEdit) -> Binding:
    def show(value: Any) -> None:
        if widget.toPlainText() != (value or ""):
            _blocked(widget, lambda: widget.setPlainText(value or ""))

    return Binding(key, widget, widget.toPlainText, show, True)


def check_binding(key: str, widget: QCheckBox) -> Binding:
    return Binding(
        key, widget, widget.isChecked, lambda v: _blocked(widget, lambda: widget.setChecked(bool(v)))
    )


def optional_spin(maximum: int, suffix: str = "") -> QSpinBox:
    """0 shows as "—" and means not filled in."""
    spin = QSpinBox()
    spin.setRange(0, maximum)
    spin.setSpecialValueText("—")
    spin.setSuffix(suffix)
    return spin


def spin_binding(key: str, widget: QSpinBox) -> Binding:
    return Binding(
        key,
        widget,
        lambda: widget.value() or None,
        lambda v: _blocked(widget, lambda: widget.setValue(int(v or 0))),
    )


def choice_combo(options: Sequence[tuple[str | None, str]]) -> QComboBox:
    combo = QComboBox()
    for value, label in options:
        combo.addItem(label, value)
    return combo


def combo_binding(key: str, widget: QComboBox) -> Binding:
    def show(value: Any) -> None:
        index = widget.findData(value)
        _blocked(widget, lambda: widget.setCurrentIndex(max(index, 0)))

    return Binding(key, widget, lambda: widget.currentData(), show)


def _typed_date(text: str) -> dt.date:
    """A complete date typed the Dutch way (25-07-2025, 25-7-2025) or as ISO (issue 16)."""
    return parse_full_date(text, typed=True)


class DateField(QLineEdit):
    """A date typed as DD-MM-JJJJ (or ISO); empty means unknown. Invalid text stays as typed and is
    flagged."""

    def __init__(self) -> None:
        super().__init__()
        self.setPlaceholderText(_("DD-MM-JJJJ"))
        self.setMaximumWidth(130)

    def value(self) -> dt.date | None:
        text = self.text().strip()
        if not text:
            return None
        try:
            return _typed_date(text)
        except ValueError as error:
            raise InvalidInput(
                _("'{text}' is geen datum; typ de datum als DD-MM-JJJJ, bijvoorbeeld 25-07-2025.").format(
                    text=text
                )
            ) from error


def date_binding(key: str, widget: DateField) -> Binding:
    return Binding(
        key,
        widget,
        widget.value,
        lambda v: _blocked(widget, lambda: widget.setText(show_date(v) if v else "")),
        True,
    )


class DateListField(QLineEdit):
    """Several dates, separated by commas: the planned voortgangsgesprekken."""

    def __init__(self) -> None:
        super().__init__()
        self.setPlaceholderText(_("DD-MM-JJJJ, DD-MM-JJJJ, …"))

    def value(self) -> list[str]:
        dates = []
        for part in self.text().replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                dates.append(_typed_date(part).isoformat())
            except ValueError as error:
                raise InvalidInput(
                    _("'{text}' is geen datum; typ de data als DD-MM-JJJJ, gescheiden door komma's.").format(
                        text=part
                    )
                ) from error
        return sorted(dates)


def date_list_binding(key: str, widget: DateListField) -> Binding:
    return Binding(
        key,
        widget,
        widget.value,
        lambda v: _blocked(widget, lambda: widget.setText(", ".join(show_date(d) for d in v or []))),
        True,
    )


class MultiChoice(QWidget):
    """A row of check boxes for a list of option values."""

    changed = Signal()

    def __init__(self, options: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for value, label in options:
            box = QCheckBox(label)
            box.setObjectName(f"choice_{value}")
            box.toggled.connect(lambda _on: self.changed.emit())
            layout.addWidget(box)
            self.boxes[value] = box
        layout.addStretch(1)

    def value(self) -> list[str]:
        return [value for value, box in self.boxes.items() if box.isChecked()]

    def set_value(self, values: Sequence[str]) -> None:
        def apply() -> None:
            for value, box in self.boxes.items():
                box.setChecked(value in values)

        # Blocking this widget is enough: the boxes only reach the outside through `changed`.
        _blocked(self, apply)


def multi_binding(key: str, widget: MultiChoice) -> Binding:
    return Binding(key, widget, widget.value, lambda v: widget.set_value(v or []))


AGREEMENT_COLUMNS = ("what", "who", "by_when", "status")


class AgreementsTable(QWidget):
    """Afspraken: what, who, by when, status. The Dutch "what" keeps its translation entry."""

    changed = Signal()

    def __init__(self, statuses: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._statuses = statuses
        self._rows: list[dict[str, Any]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("pipAgreements")
        self.table.setAccessibleName(_("Afspraken"))
        self.table.setAccessibleDescription(
            _("Per afspraak: wat, wie, uiterlijk wanneer en de status; F2 of typen begint met bewerken.")
        )
        self.table.setHorizontalHeaderLabels([_("Wat"), _("Wie"), _("Uiterlijk"), _("Status")])
        header_item = self.table.horizontalHeaderItem(2)
        if header_item is not None:
            header_item.setToolTip(_("Datum als DD-MM-JJJJ"))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 170), (2, 110), (3, 110)):
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(130)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        buttons = QHBoxLayout()
        self.add_button = QPushButton(_("Afspraak toevoegen"))
        self.add_button.setObjectName("pipAddAgreement")
        self.remove_button = QPushButton(_("Afspraak verwijderen"))
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def _status_combo(self, value: str) -> QComboBox:
        combo = choice_combo(list(self._statuses))
        combo.setCurrentIndex(max(combo.findData(value), 0))
        combo.setAccessibleName(_("Status van de afspraak"))
        combo.setAccessibleDescription(_("Kies open, gedaan of vervallen met de pijltjestoetsen."))
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        return combo

    def _add(self) -> None:
        self._rows = self.value()
        self._rows.append(
            {"id": str(len(self._rows) + 1), "what": {"nl": ""}, "who": "", "by_when": None, "status": "open"}
        )
        self.set_value(self._rows)
        self.changed.emit()
        self.table.setCurrentCell(len(self._rows) - 1, 0)

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        rows = self.value()
        del rows[row]
        self.set_value(rows)
        self.changed.emit()

    def value(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for index in range(self.table.rowCount()):
            base: dict[str, Any] = (
                dict(self._rows[index]) if index < len(self._rows) else {"id": str(index + 1)}
            )
            what = dict(base.get("what") or {})
            what["nl"] = self._cell(index, 0)
            when_text = self._cell(index, 2).strip()
            if when_text:
                try:
                    when: str | None = _typed_date(when_text).isoformat()
                except ValueError as error:
                    raise InvalidInput(
                        _("Afspraak {row}: '{text}' is geen datum; typ de datum als DD-MM-JJJJ.").format(
                            row=index + 1, text=when_text
                        )
                    ) from error
            else:
                when = None
            combo = self.table.cellWidget(index, 3)
            status = combo.currentData() if isinstance(combo, QComboBox) else "open"
            rows.append(
                {**base, "what": what, "who": self._cell(index, 1), "by_when": when, "status": status}
            )
        return rows

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item else ""

    def set_value(self, rows: Sequence[dict[str, Any]]) -> None:
        self._rows = [dict(r) for r in rows]

        def apply() -> None:
            self.table.setRowCount(len(rows))
            for index, row in enumerate(rows):
                what = (row.get("what") or {}).get("nl", "")
                shown_when = show_date(row.get("by_when") or None)
                for column, text in enumerate((what, row.get("who", ""), shown_when)):
                    self.table.setItem(index, column, QTableWidgetItem(str(text)))
                combo = self._status_combo(str(row.get("status", "open")))
                self.table.setCellWidget(index, 3, combo)

        _blocked(self.table, apply)

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 (Qt naming)
        triggers = (
            QAbstractItemView.EditTrigger.NoEditTriggers
            if read_only
            else QAbstractItemView.EditTrigger.AllEditTriggers
        )
        self.table.setEditTriggers(triggers)
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)
        for index in range(self.table.rowCount()):
            widget = self.table.cellWidget(index, 3)
            if widget is not None:
                widget.setEnabled(not read_only)


def agreements_binding(key: str, widget: AgreementsTable) -> Binding:
    return Binding(key, widget, widget.value, lambda v: widget.set_value(v or []), True)


def translation_note(entry: dict[str, Any] | None, language_name: str | None) -> str:
    """A short line under a Dutch text saying where its translation stands."""
    if not language_name:
        return _("Geen documenttaal bekend; de vertaling volgt als die is gekozen.")
    entry = entry or {}
    if not entry.get("translation"):
        return _("Vertaling ({language}): nog niet vertaald.").format(language=language_name)
    status = (entry.get("review") or {}).get("status", "niet_beoordeeld")
    if status == "goedgekeurd":
        return _("Vertaling ({language}): beoordeeld door de tolk.").format(language=language_name)
    if status == "verouderd":
        return _(
            "Vertaling ({language}): de Nederlandse tekst is veranderd; de tolk moet opnieuw kijken."
        ).format(language=language_name)
    return _("Vertaling ({language}): nog niet beoordeeld door de tolk.").format(language=language_name)


def hint_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555; font-size: 9pt;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
