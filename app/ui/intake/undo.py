"""Undo and redo of the answers typed in one intake window (issue 16), until the window closes.

Every edit of a field is one step; edits of the same field in a row are one step (typing a word is
undone as a whole, not letter by letter). Undoing goes to the field, puts the earlier answer back and
saves it like any edit (autosave), so what is on screen is what is stored. The fields' own undo
(a line edit's Ctrl+Z) is switched off in app/ui/intake/editors.py, so Ctrl+Z means the same thing
everywhere in the window. Conversations, the privacy statement and "Intake afronden" are not undone:
they are recorded steps, not typing.
"""

from __future__ import annotations

import copy
import weakref
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QUndoCommand, QUndoStack

if TYPE_CHECKING:
    from app.ui.intake.screen import IntakeScreen

_MERGE_ID = 16
# The same keys on every platform (Qt's StandardKey differs per platform theme).
UNDO_KEYS = ("Ctrl+Z",)
REDO_KEYS = ("Ctrl+Shift+Z", "Ctrl+Y")


def is_undo_key(event: QKeyEvent) -> bool:
    pressed = QKeySequence(event.keyCombination())
    return any(pressed.matches(QKeySequence(keys)) == QKeySequence.SequenceMatch.ExactMatch
               for keys in UNDO_KEYS + REDO_KEYS)  # fmt: skip


class _AnswerEdit(QUndoCommand):
    def __init__(self, owner: AnswerUndo, field_id: str, before: Any, after: Any) -> None:
        super().__init__(field_id)
        self.owner = owner
        self.field_id = field_id
        self.before = before
        self.after = after
        self._done = True  # pushed after the edit happened: the first redo() has nothing to do

    def id(self) -> int:
        return _MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt naming)
        if not isinstance(other, _AnswerEdit) or other.field_id != self.field_id:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self.owner.put(self.field_id, self.after)

    def undo(self) -> None:
        self.owner.put(self.field_id, self.before)


class AnswerUndo(QObject):
    def __init__(self, screen: IntakeScreen) -> None:
        super().__init__(screen)
        # Weak: the shortcuts' slots keep this object alive, and it must not keep a closed window's
        # wrapper alive in turn.
        self._screen = weakref.ref(screen)
        self.stack = QUndoStack(self)
        self._replaying = False
        for keys, slot in [(keys, self.undo) for keys in UNDO_KEYS] + [
            (keys, self.redo) for keys in REDO_KEYS
        ]:
            shortcut = QShortcut(QKeySequence(keys), screen)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def record(self, field_id: str, before: Any, after: Any) -> None:
        """An edit the person made (not one this class put back)."""
        if self._replaying or before == after:
            return
        self.stack.push(_AnswerEdit(self, field_id, copy.deepcopy(before), copy.deepcopy(after)))

    def undo(self) -> None:
        if self._editable():
            self.stack.undo()

    def redo(self) -> None:
        if self._editable():
            self.stack.redo()

    def _alive(self) -> IntakeScreen | None:
        screen = self._screen()
        return screen if screen is not None and shiboken6.isValid(screen) else None

    def _editable(self) -> bool:
        screen = self._alive()
        return screen is not None and screen.snapshot is not None and screen.snapshot.editable

    def put(self, field_id: str, value: Any) -> None:
        """Show the field and give it `value`, saved as an edit (without recording it again)."""
        screen = self._alive()
        if screen is None or screen.snapshot is None:
            return
        section = screen.snapshot.definition.section_of(field_id)
        if section is None:
            return
        screen.jump_to(section.id, field_id)
        editor = screen.editor(field_id)
        if editor is None:
            return
        self._replaying = True
        try:
            editor.set_raw(copy.deepcopy(value))
            screen.field_edited(field_id)
        finally:
            self._replaying = False
