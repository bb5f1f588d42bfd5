"""A one-line question (QInputDialog) whose field a screen reader describes too: the static
QInputDialog.getText leaves the field without a description (issue 16)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QWidget


def text_question(
    parent: QWidget | None,
    title: str,
    label: str,
    description: str,
    value: str = "",
    echo: QLineEdit.EchoMode = QLineEdit.EchoMode.Normal,
) -> QInputDialog:
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)  # this builds the dialog's field
    dialog.setTextEchoMode(echo)
    dialog.setTextValue(value)
    field = dialog.findChild(QLineEdit)
    if field is not None:
        field.setAccessibleDescription(description)
    return dialog


def ask_text(
    parent: QWidget | None,
    title: str,
    label: str,
    description: str,
    value: str = "",
    echo: QLineEdit.EchoMode = QLineEdit.EchoMode.Normal,
) -> tuple[str, bool]:
    """As QInputDialog.getText: the text and whether it was confirmed."""
    dialog = text_question(parent, title, label, description, value, echo)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    return dialog.textValue(), accepted
