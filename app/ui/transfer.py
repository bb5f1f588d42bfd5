""" "Verhuizen…" in the detail pane (issue 13, docs/verhuizing.md): the klantmanager picks the new
municipality's supervisor key file and where the hand-over goes, confirms once (the case closes
here), and the same service as `wegwijs transfer` writes the hand-over and its PDF summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import WegwijsError
from app.i18n import _
from app.services.profile import Profile
from app.services.transfer.send import TransferResult, TransferService
from app.ui import errors
from app.ui.client_detail import ClientAction
from app.ui.confirm import confirm
from app.ui.tasks import run_in_background


def _path_row(field: QLineEdit, choose: Callable[[], None], button_name: str) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(field, 1)
    button = QPushButton(_("Kiezen…"))
    button.setObjectName(button_name)
    button.setAccessibleName(_("Bestand kiezen"))
    button.setAccessibleDescription(_("Opent een venster om het bestand te kiezen."))
    button.clicked.connect(choose)
    row.addWidget(button)
    return row


class TransferDialog(QDialog):
    """One client's verhuizing; `on_done` runs after the case was closed (the caseload refreshes)."""

    def __init__(
        self,
        profile: Profile,
        client_id: str,
        parent: QWidget | None = None,
        on_done: Callable[[], object] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("transferDialog")
        self.setWindowTitle(_("Verhuizen naar een andere gemeente"))
        self.service = TransferService.for_profile(profile)
        self.client_id = client_id
        self.on_done = on_done
        self.confirmation: QMessageBox | None = None
        self.written: TransferResult | None = None

        self.key_field = QLineEdit()
        self.key_field.setObjectName("transferKeyFile")
        self.key_field.setAccessibleName(_("Sleutelbestand van de nieuwe gemeente"))
        self.key_field.setAccessibleDescription(
            _("Het bestand van 'wegwijs keys export-public' van de supervisor van de nieuwe gemeente.")
        )
        self.out_field = QLineEdit()
        self.out_field.setObjectName("transferOutFile")
        self.out_field.setAccessibleName(_("Overdrachtsbestand"))
        self.out_field.setAccessibleDescription(
            _("Waar de versleutelde overdracht komt; de PDF-samenvatting komt ernaast met dezelfde naam.")
        )
        self.status = QLabel()
        self.status.setObjectName("transferStatus")
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow(
            _("Sleutelbestand nieuwe gemeente"),
            _path_row(self.key_field, self.choose_key, "chooseTransferKey"),
        )
        form.addRow(
            _("Overdracht opslaan als"), _path_row(self.out_field, self.choose_out, "chooseTransferOut")
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.go = buttons.addButton(_("Verhuizen"), QDialogButtonBox.ButtonRole.ActionRole)
        self.go.setObjectName("transferGo")
        self.go.clicked.connect(self.ask)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        explanation = QLabel(
            _(
                "Het dossier wordt hier gesloten; de nieuwe gemeente maakt binnen 10 weken een nieuw PIP "
                "met dezelfde leerroute. De inburgeringstermijn verschuift niet."
            )
        )
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def choose_key(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Sleutelbestand van de nieuwe gemeente"), str(Path.home())
        )
        if name:
            self.key_field.setText(name)

    def choose_out(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Overdracht opslaan als"), str(Path.home() / "verhuizing.wgw")
        )
        if name:
            self.out_field.setText(name)

    def ask(self) -> None:
        key, out = self.key_field.text().strip(), self.out_field.text().strip()
        if not key or not out:
            self.status.setText(
                _("Kies eerst het sleutelbestand van de nieuwe gemeente en waar de overdracht komt.")
            )
            return
        try:
            recipient = self.service.read_recipient(Path(key))
        except WegwijsError as refused:
            self.status.setText(str(refused))
            return
        text = _(
            "De cliënt verhuist naar {municipality}. Vergelijk de vingerafdruk van de supervisor daar: "
            "{fingerprint}. Het dossier wordt hier gesloten en kan daarna niet meer worden gewijzigd."
        ).format(municipality=recipient.municipality, fingerprint=recipient.fingerprint)
        self.confirmation = confirm(
            self, _("Verhuizen"), text, _("Verhuizen"), lambda: self.run(Path(key), Path(out))
        )

    def run(self, key: Path, out: Path) -> None:
        self.go.setEnabled(False)
        run_in_background(
            "database",
            lambda: self.service.transfer(self.client_id, key, out),
            self.show_written,
            owner=self,
            on_error=self.failed,
        )

    def show_written(self, result: TransferResult) -> None:
        self.written = result
        self.status.setText(
            _("Verhuisd naar {municipality}. Overdracht: {handover}. Samenvatting: {summary}.").format(
                municipality=result.municipality, handover=result.handover, summary=result.summary
            )
        )
        self.on_done()

    def failed(self, error: BaseException) -> None:
        self.go.setEnabled(True)
        if isinstance(error, WegwijsError):
            self.status.setText(str(error))
        else:
            errors.report(self, error)


def transfer_action(
    profile: Profile,
    parent: Callable[[], QWidget | None] = lambda: None,
    on_change: Callable[[], object] = lambda: None,
) -> ClientAction:
    """The "Verhuizen…" button of the detail pane."""

    def open_dialog(client_id: str) -> None:
        dialog = TransferDialog(profile, client_id, parent(), on_change)
        dialog.setModal(True)
        dialog.show()

    return ClientAction(label=lambda: _("Verhuizen…"), open=open_dialog, object_name="openTransfer")
