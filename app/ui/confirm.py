"""One question before an irreversible legal step ("Intake afronden", "Vaststellen", "Intrekken"),
saying what follows. Window-modal and non-blocking (open()), so keyboard and tests drive it alike."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget, title: str, text: str, yes: str, then: Callable[[], object]) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("confirmStep")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    go.setObjectName("confirmYes")
    stop = box.addButton(QMessageBox.StandardButton.Cancel)
    stop.setObjectName("confirmNo")
    box.setDefaultButton(go)
    box.setEscapeButton(stop)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.finished.connect(lambda _result: then() if box.clickedButton() is go else None)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
