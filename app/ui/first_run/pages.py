"""The first pages of the first-run wizard: who you are, where the key lives (the profile is made on
leaving that page), and the recovery sheet."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import Role
from app.i18n import _
from app.services.first_run import NewProfile, set_up_profile
from app.services.maintenance.recovery import RecoveryService, RecoverySheet
from app.services.profile import BACKEND_KEYRING, BACKEND_VAULT, keyring_available
from app.ui.first_run.common import StepPage

MIN_PASSPHRASE = 8
MAX_NAME = 200


def _described(widget: QWidget, name: str, description: str = "") -> QWidget:
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
        widget.setToolTip(description)
    return widget


def _buddy(text: str, field: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(field)
    return label


class AboutYouPage(StepPage):
    def __init__(self, fixed_municipality: str | None, fixed_reason: str) -> None:
        super().__init__(
            _("Welkom bij Wegwijs"),
            _(
                "Wegwijs wordt op deze computer ingericht. Dat duurt een paar minuten; u kunt daarna meteen aan de slag."
            ),
        )
        self.role = QComboBox()
        self.role.setObjectName("firstRunRole")
        self.role.addItem(_("Klantmanager"), Role.KLANTMANAGER.value)
        self.role.addItem(_("Supervisor"), Role.SUPERVISOR.value)
        _described(
            self.role, _("Rol"), _("Klantmanager: u voert intakes en PIP's; supervisor: u ontvangt ze.")
        )
        self.municipality = QLineEdit()
        self.municipality.setObjectName("firstRunMunicipality")
        _described(self.municipality, _("Gemeente"), _("De gemeente waarvoor u werkt"))
        self.person_name = QLineEdit()
        self.person_name.setObjectName("firstRunName")
        self.person_name.setMaxLength(MAX_NAME)
        _described(
            self.person_name,
            _("Uw naam"),
            _("Uw eigen naam, zoals die als klantmanager in het PIP komt te staan"),
        )
        layout = QFormLayout(self)
        layout.addRow(_buddy(_("&Rol"), self.role), self.role)
        layout.addRow(_buddy(_("&Gemeente"), self.municipality), self.municipality)
        if fixed_municipality is not None:
            self.municipality.setText(fixed_municipality)
            self.municipality.setEnabled(False)
            note = QLabel(fixed_reason)
            note.setWordWrap(True)
            layout.addRow(note)
        layout.addRow(_buddy(_("Uw &naam"), self.person_name), self.person_name)
        layout.addRow(self.status)

    def validatePage(self) -> bool:  # noqa: N802 (Qt naming)
        if not self.municipality.text().strip():
            self.municipality.setFocus()
            return self.problem(_("Vul de naam van de gemeente in."))
        if not " ".join(self.person_name.text().split()):
            self.person_name.setFocus()
            return self.problem(_("Vul uw naam in; die staat als klantmanager in het PIP."))
        self.say("")
        return True

    def chosen_role(self) -> Role:
        return Role(self.role.currentData())


class KeyPage(StepPage):
    """Where the store key lives; leaving this page makes the profile (the wizard's commit page)."""

    def __init__(self) -> None:
        super().__init__(
            _("Waar de sleutel staat"),
            _(
                "Uw gegevens staan versleuteld op deze computer. De sleutel daarvan bewaart Wegwijs in de "
                "sleutelbos van het besturingssysteem, of in een bestand dat met uw wachtwoord is versleuteld."
            ),
        )
        self.setCommitPage(True)
        has_keyring = keyring_available()
        self.keyring = QRadioButton(_("In de &sleutelbos van het besturingssysteem (aanbevolen)"))
        self.keyring.setObjectName("firstRunKeyring")
        self.vault = QRadioButton(_("In een sleutel&bestand met een wachtwoord"))
        self.vault.setObjectName("firstRunVault")
        self.keyring.setAccessibleDescription(
            _("Wegwijs start zonder wachtwoord; de sleutel staat in de beveiligde opslag van uw account.")
        )
        self.vault.setAccessibleDescription(
            _(
                "U typt bij elke start een wachtwoord; kies dit als er geen sleutelbos is of uw gemeente het vraagt."
            )
        )
        group = QButtonGroup(self)
        group.addButton(self.keyring)
        group.addButton(self.vault)
        self.keyring.setEnabled(has_keyring)
        (self.keyring if has_keyring else self.vault).setChecked(True)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("firstRunPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        _described(
            self.passphrase,
            _("Wachtwoord"),
            _("Minstens {n} tekens; u typt het bij elke start van Wegwijs.").format(n=MIN_PASSPHRASE),
        )
        self.repeat = QLineEdit()
        self.repeat.setObjectName("firstRunRepeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        _described(
            self.repeat, _("Wachtwoord herhalen"), _("Typ hetzelfde wachtwoord nog eens, ter controle.")
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.keyring)
        if not has_keyring:
            note = QLabel(_("Op deze computer is geen sleutelbos van het besturingssysteem beschikbaar."))
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.vault)
        form = QFormLayout()
        form.addRow(_buddy(_("&Wachtwoord"), self.passphrase), self.passphrase)
        form.addRow(_buddy(_("Wachtwoord &herhalen"), self.repeat), self.repeat)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.vault.toggled.connect(self._show_passphrase)
        self._show_passphrase(self.vault.isChecked())

    def _show_passphrase(self, vault: bool) -> None:
        self.passphrase.setEnabled(vault)
        self.repeat.setEnabled(vault)

    def backend(self) -> str:
        return BACKEND_VAULT if self.vault.isChecked() else BACKEND_KEYRING

    def validatePage(self) -> bool:  # noqa: N802 (Qt naming)
        return self.validate_with(self._create)

    def _create(self) -> bool:
        wizard = self.first_run()
        if wizard.created is not None:
            return True
        backend = self.backend()
        passphrase = self.passphrase.text()
        if backend == BACKEND_VAULT:
            if len(passphrase) < MIN_PASSPHRASE:
                self.passphrase.setFocus()
                return self.problem(
                    _("Kies een wachtwoord van minstens {n} tekens.").format(n=MIN_PASSPHRASE)
                )
            if passphrase != self.repeat.text():
                self.repeat.setFocus()
                return self.problem(_("De twee wachtwoorden zijn niet gelijk; typ het wachtwoord opnieuw."))
        about = wizard.about
        role = about.chosen_role()
        municipality = about.municipality.text().strip()
        name = " ".join(about.person_name.text().split())
        provider = wizard.passphrase_provider(passphrase)
        data_dir, policy = wizard.data_dir, wizard.policy

        def work() -> NewProfile:
            return set_up_profile(
                data_dir,
                role,
                municipality,
                person_name=name,
                passphrase_provider=provider,
                policy=policy,
                secret_backend=backend,
            )

        self.run_step(_("Wegwijs wordt ingericht…"), work, wizard.profile_made, advance=True)
        return wizard.created is not None


def default_sheet_path(folder: Path | None = None) -> Path:
    """A new file in the user's documents: Wegwijs-herstelblad.pdf, or -2, -3 … beside an older one."""
    base = folder or platformdirs.user_documents_path()
    candidate = base / "Wegwijs-herstelblad.pdf"
    number = 2
    while candidate.exists():
        candidate = base / f"Wegwijs-herstelblad-{number}.pdf"
        number += 1
    return candidate


class RecoveryPage(StepPage):
    def __init__(self) -> None:
        super().__init__(
            _("Herstelblad"),
            _(
                "Met het herstelblad opent u uw gegevens weer als de sleutel verloren gaat (een nieuwe "
                "computer, een vergeten wachtwoord). Maak het blad, druk het af en bewaar het op een veilige "
                "plek; gooi het bestand daarna weg."
            ),
        )
        self.path = QLineEdit()
        self.path.setObjectName("firstRunSheetPath")
        _described(self.path, _("Bestand voor het herstelblad"), _("Een nieuw PDF-bestand"))
        self.browse = QPushButton(_("&Kiezen…"))
        _described(self.browse, _("Plek voor het herstelblad kiezen"))
        self.browse.clicked.connect(self._choose)
        self.make = QPushButton(_("Herstelblad &maken"))
        self.make.setObjectName("firstRunMakeSheet")
        _described(self.make, _("Herstelblad maken"), _("Schrijft het herstelblad als PDF"))
        self.make.clicked.connect(self._make)
        self.open = QPushButton(_("Blad &openen"))
        self.open.setObjectName("firstRunOpenSheet")
        _described(self.open, _("Herstelblad openen om af te drukken"))
        self.open.clicked.connect(self._open)
        self.open.hide()
        self.sheet: RecoverySheet | None = None
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.path, 1)
        box.addWidget(self.browse)
        layout = QFormLayout(self)
        layout.addRow(_buddy(_("&Bestand"), self.path), row)
        buttons = QWidget()
        line = QHBoxLayout(buttons)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.make)
        line.addWidget(self.open)
        line.addStretch(1)
        layout.addRow(buttons)
        layout.addRow(self.status)

    def initializePage(self) -> None:  # noqa: N802 (Qt naming)
        if not self.path.text():
            self.path.setText(str(default_sheet_path()))
        self.make.setFocus()

    def _choose(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Herstelblad opslaan"), self.path.text(), _("PDF-bestanden (*.pdf)")
        )
        if chosen:
            self.path.setText(chosen)

    def _make(self) -> None:
        wizard = self.first_run()
        if wizard.created is None or not self.path.text().strip():
            self.problem(_("Kies eerst een bestand voor het herstelblad."))
            return
        profile = wizard.created.profile
        out = Path(self.path.text().strip()).expanduser()

        def work() -> RecoverySheet:
            return RecoveryService.for_profile(profile).write_sheet(out)

        self.run_step(_("Het herstelblad wordt gemaakt…"), work, self._made, advance=False)

    def _made(self, sheet: RecoverySheet) -> None:
        self.sheet = sheet
        self.first_run().sheet_path = sheet.path
        self.say(
            _(
                "Het herstelblad staat in {path}: druk het af, bewaar het op een veilige plek en gooi het "
                "bestand daarna weg."
            ).format(path=sheet.path)
        )
        self.make.setText(_("Nieuw herstelblad &maken"))
        # A new sheet replaces this one and needs a file of its own.
        self.path.setText(str(default_sheet_path(Path(sheet.path).parent)))
        self.open.show()
        self.open.setFocus()

    def _open(self) -> None:
        if self.sheet is not None and not QDesktopServices.openUrl(QUrl.fromLocalFile(self.sheet.path)):
            self.problem(
                _("Er is geen programma om PDF's te openen; open {path} zelf om het af te drukken.").format(
                    path=self.sheet.path
                )
            )

    def isComplete(self) -> bool:  # noqa: N802 (Qt naming)
        return self.sheet is not None and super().isComplete()

    def validatePage(self) -> bool:  # noqa: N802 (Qt naming)
        if self.sheet is None:
            return self.problem(
                _(
                    "Maak eerst het herstelblad; zonder dat blad zijn uw gegevens verloren als de sleutel verloren gaat."
                )
            )
        return True
