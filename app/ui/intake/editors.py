"""One editor widget per field type of a form definition.

Every editor hands back the answer exactly as typed (`raw()`), so an invalid answer is never lost:
numbers and dates are typed into line edits, not spin boxes that would refuse or round them.
Editors emit `edited` on every change (the screen debounces the autosave) and `left` on focus-out
(the screen saves at once).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.forms import Direction, Field, FieldType, entry_problems, form_text
from app.forms.answers import NATIONALITY
from app.forms.describe import describe_field
from app.i18n import _
from app.i18n.countries import countries
from app.ui.dates import CalendarButton, show_date, typed_to_stored
from app.ui.dates import placeholder as date_placeholder
from app.ui.intake.undo import is_undo_key

LONG_TEXT_HEIGHT = 84


def first_strong_direction(text: str) -> Qt.LayoutDirection | None:
    """The direction of the first letter with a strong direction (Unicode bidi class L, R or AL)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return Qt.LayoutDirection.RightToLeft
        if kind == "L":
            return Qt.LayoutDirection.LeftToRight
    return None


class FieldEditor(QWidget):
    """Base class: `raw()` / `set_raw()` and the `edited` / `left` signals."""

    edited = Signal()
    left = Signal()

    def __init__(self, item: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self._loading = False
        self.setObjectName(f"field_{item.id}")

    def raw(self) -> Any:
        raise NotImplementedError

    def set_raw(self, value: Any) -> None:
        self._loading = True
        try:
            self._set(value)
        finally:
            self._loading = False

    def _set(self, value: Any) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        return self

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)

    def _changed(self, *_args: object) -> None:
        if not self._loading:
            self.edited.emit()

    def _watch_focus(self, widget: QWidget) -> None:
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.FocusOut:
            self.left.emit()
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and is_undo_key(event)
        ):
            # Not the field's own undo: the window's (app/ui/intake/undo.py), the same everywhere.
            return True
        return super().eventFilter(watched, event)

    def set_accessible(self, name: str, description: str) -> None:
        target = self.focus_widget()
        target.setAccessibleName(name)
        target.setAccessibleDescription(description)


class TextEditor(FieldEditor):
    def __init__(self, item: Field, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.edit = QLineEdit()
        self.edit.setObjectName(f"input_{item.id}")
        self.calendar: CalendarButton | None = None
        if item.type is FieldType.DATE:
            self.edit.setPlaceholderText(date_placeholder(item.partial))
            self.edit.setMaximumWidth(220)
            self.calendar = CalendarButton(self.edit)
        elif item.type is FieldType.NUMBER:
            low = "" if item.minimum is None else f"{item.minimum:g}"
            high = "" if item.maximum is None else f"{item.maximum:g}"
            self.edit.setPlaceholderText(f"{low}–{high}" if low or high else "")
            self.edit.setMaximumWidth(160)
        if item.direction is Direction.RTL:
            self.edit.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        if self.calendar is not None:
            layout.addWidget(self.calendar)
        if item.type in (FieldType.DATE, FieldType.NUMBER):
            layout.addStretch(1)
        self.edit.textChanged.connect(self._text_changed)
        self._watch_focus(self.edit)

    def _text_changed(self, text: str) -> None:
        if self.item.direction is Direction.AUTO:
            # Names in Arabic script are typed right to left: the field follows the first letter typed.
            direction = first_strong_direction(text) or Qt.LayoutDirection.LeftToRight
            if self.edit.layoutDirection() != direction:
                self.edit.setLayoutDirection(direction)
        self._changed()

    def raw(self) -> Any:
        # A date typed the Dutch way is stored as ISO; anything else as typed, to be flagged.
        if self.item.type is FieldType.DATE:
            return typed_to_stored(self.edit.text())
        return self.edit.text()

    def _set(self, value: Any) -> None:
        if self.item.type is FieldType.DATE and isinstance(value, str):
            self.edit.setText(show_date(value))
            return
        self.edit.setText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class LongTextEditor(FieldEditor):
    def __init__(self, item: Field, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.edit = QPlainTextEdit()
        self.edit.setObjectName(f"input_{item.id}")
        self.edit.setTabChangesFocus(True)  # keyboard users leave the box with Tab
        self.edit.setFixedHeight(LONG_TEXT_HEIGHT)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.edit.textChanged.connect(self._text_changed)
        self._watch_focus(self.edit)

    def _text_changed(self) -> None:
        direction = first_strong_direction(self.edit.toPlainText()[:200]) or Qt.LayoutDirection.LeftToRight
        if self.edit.layoutDirection() != direction:
            self.edit.setLayoutDirection(direction)
        self._changed()

    def raw(self) -> Any:
        return self.edit.toPlainText()

    def _set(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class ComboEditor(FieldEditor):
    """Single choice and yes/no: a combo box with an empty first entry (typing a letter picks)."""

    def __init__(self, item: Field, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.combo = QComboBox()
        self.combo.setObjectName(f"input_{item.id}")
        self.combo.addItem(_("— kies —"), None)
        for label, value in self.choices():
            self.combo.addItem(label, value)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addStretch(1)
        self.combo.currentIndexChanged.connect(self._changed)
        self._watch_focus(self.combo)

    def choices(self) -> list[tuple[str, Any]]:
        if self.item.type is FieldType.YES_NO:
            return [(_("Ja"), True), (_("Nee"), False)]
        return [(form_text(option.label), option.value) for option in self.item.options]

    def raw(self) -> Any:
        return self.combo.currentData()

    def _set(self, value: Any) -> None:
        index = self.combo.findData(value) if value is not None else 0
        if index < 0:
            # A value the definition no longer offers stays visible instead of being dropped.
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)

    def focus_widget(self) -> QWidget:
        return self.combo


class CountryEditor(ComboEditor):
    """The nationality (issue 16): every country CLDR knows, named in the interface language and
    sorted by that name (typing the first letters picks), kept as the alpha-3 code the COA uses."""

    def __init__(self, item: Field, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.combo.setMaxVisibleItems(20)

    def choices(self) -> list[tuple[str, Any]]:
        return [(name, code) for code, name in countries()]


class MultiChoiceEditor(FieldEditor):
    COLUMNS = 2

    def __init__(self, item: Field, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[tuple[str, QCheckBox]] = []
        for number, option in enumerate(item.options):
            box = QCheckBox(form_text(option.label))
            box.setObjectName(f"input_{item.id}_{option.value}")
            box.toggled.connect(self._changed)
            self._watch_focus(box)
            grid.addWidget(box, number // self.COLUMNS, number % self.COLUMNS)
            self.boxes.append((option.value, box))

    def raw(self) -> Any:
        return [value for value, box in self.boxes if box.isChecked()]

    def _set(self, value: Any) -> None:
        chosen = {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()
        for option, box in self.boxes:
            box.setChecked(option in chosen)

    def focus_widget(self) -> QWidget:
        return self.boxes[0][1]

    def set_accessible(self, name: str, description: str) -> None:
        for _value, box in self.boxes:
            box.setAccessibleName(f"{name}: {box.text()}")
            box.setAccessibleDescription(description)


class ScaleEditor(FieldEditor):
    """A 1-5 scale: one focus stop; digits choose, arrows move, Backspace clears."""

    def __init__(self, item: Field, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.low = int(item.minimum or 1)
        self.high = int(item.maximum or 5)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if item.low_label:
            layout.addWidget(QLabel(form_text(item.low_label)))
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # so the choice can be cleared again
        self.buttons: dict[int, QToolButton] = {}
        for value in range(self.low, self.high + 1):
            button = QToolButton()
            button.setText(str(value))
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumWidth(34)
            button.setObjectName(f"input_{item.id}_{value}")
            self.group.addButton(button, value)
            layout.addWidget(button)
            self.buttons[value] = button
        if item.high_label:
            layout.addWidget(QLabel(form_text(item.high_label)))
        layout.addStretch(1)
        self.group.buttonClicked.connect(self._clicked)
        self._value: int | None = None
        self._watch_focus(self)
        self.setStyleSheet("QToolButton:checked { background: #1d5fa8; color: white; font-weight: 600; }")

    def _clicked(self, button: QAbstractButton) -> None:
        value = self.group.id(button)
        self._choose(None if value == self._value else value)

    def _choose(self, value: int | None) -> None:
        self._value = value
        for number, button in self.buttons.items():
            button.setChecked(number == value)
        self._changed()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        text = event.text()
        if text.isdigit() and self.low <= int(text) <= self.high:
            self._choose(int(text))
        elif event.key() in (Qt.Key.Key_Right, Qt.Key.Key_Up):
            self._choose(min(self.high, (self._value or self.low - 1) + 1))
        elif event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Down):
            self._choose(max(self.low, (self._value or self.low + 1) - 1))
        elif event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete, Qt.Key.Key_0):
            self._choose(None)
        else:
            super().keyPressEvent(event)

    def raw(self) -> Any:
        return self._value

    def _set(self, value: Any) -> None:
        self._value = value if isinstance(value, int) and not isinstance(value, bool) else None
        for number, button in self.buttons.items():
            button.setChecked(number == self._value)

    def focusInEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        self.setStyleSheet(self.styleSheet() + "ScaleEditor { border: 2px solid #1d5fa8; }")
        super().focusInEvent(event)

    def focusOutEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        self.setStyleSheet("QToolButton:checked { background: #1d5fa8; color: white; font-weight: 600; }")
        super().focusOutEvent(event)


def make_editor(item: Field, parent: QWidget | None = None) -> FieldEditor:
    kind = item.type
    if item.meaning == NATIONALITY and kind is FieldType.TEXT:
        return CountryEditor(item, parent)
    if kind in (FieldType.TEXT, FieldType.DATE, FieldType.NUMBER):
        return TextEditor(item, parent)
    if kind is FieldType.LONG_TEXT:
        return LongTextEditor(item, parent)
    if kind in (FieldType.CHOICE, FieldType.YES_NO):
        return ComboEditor(item, parent)
    if kind is FieldType.MULTI_CHOICE:
        return MultiChoiceEditor(item, parent)
    if kind is FieldType.SCALE:
        return ScaleEditor(item, parent)
    return GroupEditor(item, parent)


class _Entry:
    """One entry of a group: a row of sub-field editors, a remove button and a line for problems."""

    def __init__(self, group: GroupEditor) -> None:
        self.number = QLabel()
        self.number.setStyleSheet("font-weight: 600;")
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setObjectName(f"remove_{group.item.id}")
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.editors: dict[str, FieldEditor] = {}
        for sub in group.item.fields:
            editor = make_editor(sub)
            if sub.type is FieldType.LONG_TEXT:
                editor.setMinimumWidth(260)
            self.editors[sub.id] = editor

    def widgets(self) -> list[QWidget]:
        return [self.number, *self.editors.values(), self.remove, self.problem]

    def set_number(self, entry_label: str, number: int) -> None:
        self.number.setText(f"{number}.")
        self.number.setAccessibleName(f"{entry_label} {number}")
        self.remove.setAccessibleName(
            _("{entry} {number} verwijderen").format(entry=entry_label, number=number)
        )
        self.remove.setToolTip(self.remove.accessibleName())
        for editor in self.editors.values():
            label = form_text(editor.item.label)
            editor.set_accessible(f"{entry_label} {number}: {label}", describe_field(editor.item))

    def show_problems(self, problems: dict[str, str]) -> None:
        lines = [
            f"{form_text(e.item.label)}: {problems[sub_id]}"
            for sub_id, e in self.editors.items()
            if sub_id in problems
        ]
        self.problem.setText("  ".join(lines))
        self.problem.setVisible(bool(lines))


class GroupEditor(FieldEditor):
    """Repeating entries (diploma, work experience, household member) as compact rows of a grid:
    one line per entry keeps a household of twelve readable and quick to fill in by keyboard."""

    def __init__(self, item: Field, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.entries: list[_Entry] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.grid_host = QFrame()
        self.grid_host.setFrameShape(QFrame.Shape.StyledPanel)
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(6, 4, 6, 4)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(3)
        self.headers = [QLabel(form_text(sub.label) + (" *" if sub.required else "")) for sub in item.fields]
        for column, (sub, header) in enumerate(zip(item.fields, self.headers, strict=True), 1):
            header.setStyleSheet("color: #444444;")
            self.grid.addWidget(header, 0, column)
            if sub.type in (FieldType.TEXT, FieldType.LONG_TEXT):
                self.grid.setColumnStretch(column, 1)
        layout.addWidget(self.grid_host)
        self.add_button = QPushButton(_("+ {entry} toevoegen").format(entry=form_text(item.entry_label)))
        self.add_button.setObjectName(f"add_{item.id}")
        self.add_button.clicked.connect(lambda _checked=False: self.add_entry())
        self._watch_focus(self.add_button)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        layout.addLayout(row)
        self._relayout()

    def _relayout(self) -> None:
        for entry in self.entries:
            for widget in entry.widgets():
                self.grid.removeWidget(widget)
        columns = len(self.item.fields)
        for index, entry in enumerate(self.entries):
            row = 1 + 2 * index
            self.grid.addWidget(entry.number, row, 0)
            for column, editor in enumerate(entry.editors.values(), 1):
                self.grid.addWidget(editor, row, column)
            self.grid.addWidget(entry.remove, row, columns + 1)
            self.grid.addWidget(entry.problem, row + 1, 1, 1, columns)
            # Shown now rather than by the layout's queued show, so focus and Tab reach a new entry at once.
            for widget in (entry.number, *entry.editors.values(), entry.remove):
                widget.show()
        self.grid_host.setVisible(bool(self.entries))
        label = form_text(self.item.entry_label)
        for number, entry in enumerate(self.entries, 1):
            entry.set_number(label, number)
        chain = self.tab_chain()
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        if self.item.maximum is not None:
            self.add_button.setEnabled(len(self.entries) < self.item.maximum)

    def add_entry(self, focus: bool = True) -> _Entry:
        entry = _Entry(self)
        entry.remove.clicked.connect(lambda _checked=False, e=entry: self.remove_entry(e))
        for editor in entry.editors.values():
            editor.edited.connect(self._changed)
            editor.left.connect(self.left.emit)
        self.entries.append(entry)
        self._relayout()
        if focus and not self._loading:
            next(iter(entry.editors.values())).focus_widget().setFocus()
            self._changed()
        return entry

    def remove_entry(self, entry: _Entry) -> None:
        index = self.entries.index(entry)
        self.entries.remove(entry)
        for widget in entry.widgets():
            self.grid.removeWidget(widget)
            widget.setParent(None)
            widget.deleteLater()
        self._relayout()
        target = self.entries[min(index, len(self.entries) - 1)].remove if self.entries else self.add_button
        target.setFocus()
        self._changed()

    def show_entry_problems(self) -> None:
        for entry, values in zip(self.entries, self.raw(), strict=True):
            filled = any(v not in (None, "", []) for v in values.values())
            entry.show_problems(entry_problems(self.item, values) if filled else {})

    def raw(self) -> Any:
        return [{sub_id: editor.raw() for sub_id, editor in entry.editors.items()} for entry in self.entries]

    def _set(self, value: Any) -> None:
        for entry in list(self.entries):
            for widget in entry.widgets():
                self.grid.removeWidget(widget)
                widget.setParent(None)
                widget.deleteLater()
        self.entries = []
        # A damaged or foreign value (from a sync package, say) shows as an empty list, never a crash.
        for values in value if isinstance(value, list) else []:
            entry = self.add_entry(focus=False)
            for sub_id, editor in entry.editors.items():
                if isinstance(values, dict) and sub_id in values:
                    editor.set_raw(values[sub_id])
        self._relayout()
        self.show_entry_problems()

    def focus_widget(self) -> QWidget:
        if self.entries:
            return next(iter(self.entries[0].editors.values())).focus_widget()
        return self.add_button

    def set_accessible(self, name: str, description: str) -> None:
        self.add_button.setAccessibleName(self.add_button.text())
        self.add_button.setAccessibleDescription(f"{name}. {description}".strip(". "))

    def set_read_only(self, read_only: bool) -> None:
        self.add_button.setVisible(not read_only)
        for entry in self.entries:
            entry.remove.setVisible(not read_only)
            for editor in entry.editors.values():
                editor.set_read_only(read_only)

    def tab_chain(self) -> list[QWidget]:
        chain: list[QWidget] = []
        for entry in self.entries:
            for editor in entry.editors.values():
                chain.extend(focus_chain(editor))
            chain.append(entry.remove)
        chain.append(self.add_button)
        return chain


def focus_chain(editor: FieldEditor) -> list[QWidget]:
    """The widgets Tab visits inside one editor, in order."""
    if isinstance(editor, MultiChoiceEditor):
        return [box for _value, box in editor.boxes]
    if isinstance(editor, GroupEditor):
        return editor.tab_chain()
    return [editor.focus_widget()]
