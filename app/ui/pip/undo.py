"""Undo and redo in the PIP editor: one change of one field is one step on its QUndoStack."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from app.i18n import _
from app.ui.pip.fields import Binding


class ValueTarget(Protocol):
    """What a step changes: the editor's `apply_value` (shows, remembers and queues the save)."""

    def apply_value(self, binding: Binding, value: Any, show: bool) -> None: ...


class SetValueCommand(QUndoCommand):
    """One change of one field; consecutive typing in the same text merges into one step."""

    def __init__(self, editor: ValueTarget, binding: Binding, old: Any, new: Any) -> None:
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
