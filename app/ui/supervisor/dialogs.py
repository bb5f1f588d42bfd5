"""The small questions of the supervisor's screen: a reason (send back, withdraw) and another device.

Window-modal and non-blocking (open()), like app/ui/confirm.py, so keyboard and tests drive them
alike; the answer goes to `then` only when the user confirms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.supervisor import DeviceInfo


class ReasonDialog(QDialog):
    """Asks the reason the klantmanager will read; OK stays off while it is empty."""

    def __init__(
        self, parent: QWidget, title: str, question: str, yes: str, then: Callable[[str], object]
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        label = QLabel(question)
        label.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("reasonText")
        self.text.setAccessibleName(_("Reden"))
        self.text.setAccessibleDescription(
            _("Vrije tekst die de klantmanager leest; zonder reden gaat het niet. Tab gaat naar de knoppen.")
        )
        self.text.setTabChangesFocus(True)
        label.setBuddy(self.text)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(yes, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("reasonOk")
        self.ok.setEnabled(False)
        self.text.textChanged.connect(lambda: self.ok.setEnabled(bool(self.text.toPlainText().strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.text)
        layout.addWidget(self.buttons)
        self.accepted.connect(lambda: then(self.text.toPlainText().strip()))
        self.resize(480, 240)
        self.open()
        self.text.setFocus()


class DeviceDialog(QDialog):
    """Choose the registered device a client moves to."""

    def __init__(
        self, parent: QWidget, devices: Sequence[DeviceInfo], current: str, then: Callable[[str], object]
    ) -> None:
        super().__init__(parent)
        self.setObjectName("deviceDialog")
        self.setWindowTitle(_("Toewijzen aan een ander apparaat"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        label = QLabel(
            _(
                "Kies het apparaat van de klantmanager die deze cliënt overneemt. De beslissingen van de "
                "supervisor gaan voortaan naar dat apparaat."
            )
        )
        label.setWordWrap(True)
        self.choice = QComboBox()
        self.choice.setObjectName("deviceChoice")
        self.choice.setAccessibleName(_("Apparaat"))
        self.choice.setAccessibleDescription(
            _(
                "Het apparaat van de klantmanager die de cliënt overneemt, met het begin van zijn vingerafdruk."
            )
        )
        for device in devices:
            if device.device_id != current:
                self.choice.addItem(
                    f"{device.name or device.device_id} ({device.fingerprint[:11]})", device.device_id
                )
        label.setBuddy(self.choice)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(_("Toewijzen"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("deviceOk")
        self.ok.setEnabled(self.choice.count() > 0)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        if self.choice.count() == 0:
            layout.addWidget(
                QLabel(_("Er is geen ander geregistreerd apparaat; registreer eerst een apparaat."))
            )
        layout.addWidget(self.choice)
        layout.addWidget(buttons)
        self.accepted.connect(lambda: then(str(self.choice.currentData())))
        self.open()
        self.choice.setFocus()
