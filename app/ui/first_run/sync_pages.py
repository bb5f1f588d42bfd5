"""The later pages of the first-run wizard: the supervisor's key (its fingerprint compared aloud), or
for a supervisor the key file to hand out; the sync target with a test; and what was set up."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.i18n import _
from app.services.sync import PublicKeys, SyncKeysService, SyncTargetService
from app.services.sync.target import ParsedTarget, is_web_address, parse_target
from app.ui.first_run.common import FingerprintView, StepPage
from app.ui.first_run.pages import _buddy, _described, default_sheet_path


def _with_button(field: QLineEdit, button: QPushButton) -> QWidget:
    row = QWidget()
    box = QHBoxLayout(row)
    box.setContentsMargins(0, 0, 0, 0)
    box.addWidget(field, 1)
    box.addWidget(button)
    return row


class SupervisorKeyPage(StepPage):
    """Klantmanager: the supervisor's key file, trusted only after its fingerprint was compared."""

    def __init__(self) -> None:
        super().__init__(
            _("De sleutel van uw supervisor"),
            _(
                "Uw wijzigingen gaan versleuteld naar de supervisor. Kies het sleutelbestand dat de supervisor "
                "u gaf, bel de supervisor en lees de vingerafdruk voor: de supervisor ziet dezelfde getallen "
                "bij zich. U kunt dit ook later doen."
            ),
        )
        self.path = QLineEdit()
        self.path.setObjectName("firstRunSupervisorKey")
        _described(self.path, _("Sleutelbestand van de supervisor"), _("Het .json-bestand van de supervisor"))
        self.path.editingFinished.connect(self._read_if_changed)
        self.browse = QPushButton(_("&Bladeren…"))
        _described(self.browse, _("Sleutelbestand van de supervisor kiezen"))
        self.browse.clicked.connect(self._choose)
        self.fingerprint = FingerprintView()
        self.fingerprint.setObjectName("firstRunSupervisorFingerprint")
        self.who = QLabel()
        self.who.setWordWrap(True)
        self.same = QCheckBox(_("De supervisor ziet &dezelfde getallen"))
        self.same.setObjectName("firstRunSameFingerprint")
        _described(
            self.same,
            _("Vingerafdruk vergeleken"),
            _("Vink dit pas aan als de supervisor alle acht groepen hetzelfde heeft"),
        )
        self.same.hide()
        self.keys: PublicKeys | None = None
        self._read_path = ""
        self.trusted: str | None = None
        layout = QFormLayout(self)
        layout.addRow(_buddy(_("&Sleutelbestand"), self.path), _with_button(self.path, self.browse))
        layout.addRow(self.who)
        layout.addRow(self.fingerprint)
        layout.addRow(self.same)
        layout.addRow(self.status)

    def initializePage(self) -> None:  # noqa: N802 (Qt naming)
        applied = self.first_run().policy_applied()
        if applied is not None and applied.supervisor_fingerprint:
            self.trusted = applied.supervisor_fingerprint
            self.fingerprint.show_fingerprint(applied.supervisor_fingerprint)
            self.say(_("De gemeente heeft de sleutel van de supervisor al ingesteld."))
            self.path.setEnabled(False)
            self.browse.setEnabled(False)

    def _choose(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("Sleutelbestand van de supervisor kiezen"),
            self.path.text(),
            _("Sleutelbestanden (*.json)"),
        )
        if chosen:
            self.path.setText(chosen)
            self._read_if_changed()

    def _read_if_changed(self) -> None:
        text = self.path.text().strip()
        if text and text != self._read_path and not self.is_busy():
            self._read(text)

    def _read(self, text: str) -> None:
        profile = self.first_run().profile()
        self._read_path = text
        self.keys = None
        self.same.setChecked(False)

        def work() -> PublicKeys:
            return SyncKeysService.for_profile(profile).read_supervisor_key(Path(text).expanduser())

        def failed_or_read(keys: PublicKeys) -> None:
            self.keys = keys
            self.fingerprint.show_fingerprint(keys.fingerprint)
            self.who.setText(
                _("Sleutel van {name} ({municipality}). Lees de supervisor deze vingerafdruk voor:").format(
                    name=keys.name or _("de supervisor"), municipality=keys.municipality or "?"
                )
            )
            self.same.show()
            self.say("")
            self.same.setFocus()

        self.run_step(_("Het sleutelbestand wordt gelezen…"), work, failed_or_read, advance=False)

    def validatePage(self) -> bool:  # noqa: N802 (Qt naming)
        return self.validate_with(self._trust)

    def _trust(self) -> bool:
        text = self.path.text().strip()
        if self.trusted is not None or not text:
            return True  # set by the policy, or later (the sync status in the window offers it)
        if self.keys is None or text != self._read_path:
            self._read(text)
            return False
        if not self.same.isChecked():
            self.same.setFocus()
            return self.problem(
                _(
                    "Vergelijk eerst de vingerafdruk met de supervisor en vink aan dat die hetzelfde is; zijn "
                    "de getallen anders, gebruik dit bestand dan niet."
                )
            )
        profile = self.first_run().profile()
        path = Path(text).expanduser()

        def work() -> str:
            return SyncKeysService.for_profile(profile).trust_supervisor(path).fingerprint

        def trusted(fingerprint: str) -> None:
            self.trusted = fingerprint
            self.first_run().supervisor_fingerprint = fingerprint

        self.run_step(_("De sleutel van de supervisor wordt vertrouwd…"), work, trusted, advance=True)
        return self.trusted is not None


class OwnKeyPage(StepPage):
    """Supervisor: this installation's key file for the klantmanagers, with its fingerprint."""

    def __init__(self) -> None:
        super().__init__(
            _("Uw sleutelbestand voor de klantmanagers"),
            _(
                "Elke klantmanager vertrouwt uw sleutel. Sla het sleutelbestand op en geef het de klantmanagers; "
                "lees hun aan de telefoon deze vingerafdruk voor. U kunt dit ook later doen."
            ),
        )
        self.fingerprint = FingerprintView()
        self.fingerprint.setObjectName("firstRunOwnFingerprint")
        self.path = QLineEdit()
        self.path.setObjectName("firstRunOwnKeyPath")
        _described(
            self.path,
            _("Bestand voor uw sleutel"),
            _("Waar het sleutelbestand (.json) komt, als volledig pad; met Opslaan kiest u de plek."),
        )
        self.save = QPushButton(_("&Opslaan"))
        _described(self.save, _("Sleutelbestand opslaan"))
        self.save.clicked.connect(self._save)
        layout = QFormLayout(self)
        layout.addRow(self.fingerprint)
        layout.addRow(_buddy(_("&Bestand"), self.path), _with_button(self.path, self.save))
        layout.addRow(self.status)

    def initializePage(self) -> None:  # noqa: N802 (Qt naming)
        wizard = self.first_run()
        self.fingerprint.show_fingerprint(wizard.own_fingerprint())
        if not self.path.text():
            folder = default_sheet_path().parent
            self.path.setText(str(folder / "Wegwijs-supervisorsleutel.json"))

    def _save(self) -> None:
        profile = self.first_run().profile()
        out = Path(self.path.text().strip()).expanduser()

        def work() -> str:
            SyncKeysService.for_profile(profile).export_public(out)
            return str(out)

        self.run_step(
            _("Het sleutelbestand wordt opgeslagen…"),
            work,
            lambda path: self.say(_("Uw sleutelbestand staat in {path}.").format(path=path)),
            advance=False,
        )


class TargetPage(StepPage):
    """The sync target: a folder (with a picker) or a WebDAV address, tested before it is kept."""

    def __init__(self) -> None:
        super().__init__(
            _("Synchronisatie"),
            _(
                "Wijzigingen reizen versleuteld via een map (een netwerkmap of USB-stick) of een WebDAV-adres "
                "van de gemeente. Kies het doel en test het. U kunt dit ook later doen."
            ),
        )
        self.address = QLineEdit()
        self.address.setObjectName("firstRunTarget")
        self.address.setPlaceholderText(_("een map, of https://server/remote.php/dav/files/naam/wegwijs/"))
        _described(self.address, _("Synchronisatiedoel"), _("Een map of een WebDAV-adres (https://…)"))
        self.address.textChanged.connect(self._address_changed)
        self.browse = QPushButton(_("Map &kiezen…"))
        _described(self.browse, _("Map voor de synchronisatie kiezen"))
        self.browse.clicked.connect(self._choose)
        self.user = QLineEdit()
        self.user.setObjectName("firstRunTargetUser")
        _described(
            self.user,
            _("Gebruikersnaam voor WebDAV"),
            _("Alleen bij een WebDAV-adres: uw gebruikersnaam op die server; bij een map leeg laten."),
        )
        self.password = QLineEdit()
        self.password.setObjectName("firstRunTargetPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        _described(
            self.password,
            _("Wachtwoord voor WebDAV"),
            _("Alleen bij een WebDAV-adres: het (app-)wachtwoord voor die server; bij een map leeg laten."),
        )
        self.test = QPushButton(_("Doel te&sten"))
        self.test.setObjectName("firstRunTest")
        _described(self.test, _("Synchronisatiedoel testen"), _("Probeert het doel te bereiken"))
        self.test.clicked.connect(self._test)
        self.saved: str | None = None
        self.tested: str | None = None
        layout = QFormLayout(self)
        layout.addRow(_buddy(_("&Doel"), self.address), _with_button(self.address, self.browse))
        layout.addRow(_buddy(_("Gebruikers&naam"), self.user), self.user)
        layout.addRow(_buddy(_("Wacht&woord"), self.password), self.password)
        test_row = QWidget()
        line = QHBoxLayout(test_row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.test)
        line.addStretch(1)
        layout.addRow(test_row)
        layout.addRow(self.status)
        self._address_changed("")

    def initializePage(self) -> None:  # noqa: N802 (Qt naming)
        applied = self.first_run().policy_applied()
        if applied is not None and applied.sync_target and not self.address.text():
            self.address.setText(applied.sync_target)
            self.saved = applied.sync_target
            self.say(_("De gemeente heeft het synchronisatiedoel al ingesteld."))

    def _address_changed(self, text: str) -> None:
        web = is_web_address(text.strip())
        self.user.setEnabled(web)
        self.password.setEnabled(web)
        self.tested = None
        if self.saved is not None and text.strip() != self.saved:
            self.saved = None

    def _choose(self) -> None:
        current = self.address.text().strip()
        chosen = QFileDialog.getExistingDirectory(
            self, _("Map voor de synchronisatie"), "" if is_web_address(current) else current
        )
        if chosen:
            self.address.setText(chosen)

    def _target(self) -> ParsedTarget:
        given = parse_target(self.address.text().strip())
        user = self.user.text().strip()
        if is_web_address(given.address) and user:
            return ParsedTarget(given.address, user, self.password.text())
        return given

    def _test(self) -> None:
        if not self.address.text().strip():
            self.problem(_("Vul eerst een map of WebDAV-adres in."))
            return
        profile = self.first_run().profile()
        try:
            target = self._target()
        except Exception as error:  # parse_target's refusal is said on the page
            from app.ui import errors

            self.problem(errors.message(error))
            return

        def work() -> str:
            return SyncTargetService.for_profile(profile).test(target)

        def reached(description: str) -> None:
            self.tested = description
            self.say(_("Het doel {target} is bereikbaar.").format(target=description))

        self.run_step(_("Het doel wordt getest…"), work, reached, advance=False)

    def validatePage(self) -> bool:  # noqa: N802 (Qt naming)
        return self.validate_with(self._save)

    def _save(self) -> bool:
        if not self.address.text().strip() or self.saved is not None:
            return True  # later: the sync status in the window offers it
        profile = self.first_run().profile()
        try:
            target = self._target()
        except Exception as error:
            from app.ui import errors

            return self.problem(errors.message(error))

        def work() -> str:
            return SyncTargetService.for_profile(profile).save(target)

        def saved(address: str) -> None:
            self.saved = address
            self.first_run().target = address

        self.run_step(_("Het doel wordt bewaard…"), work, saved, advance=True)
        return self.saved is not None


class DonePage(StepPage):
    def __init__(self) -> None:
        super().__init__(_("Klaar"), _("Wegwijs is ingericht. Dit is wat er is ingesteld:"))
        self.summary = QLabel()
        self.summary.setObjectName("firstRunSummary")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(_("Samenvatting"))
        layout = QFormLayout(self)
        layout.addRow(self.summary)

    def initializePage(self) -> None:  # noqa: N802 (Qt naming)
        wizard = self.first_run()
        self.summary.setText("\n".join(wizard.summary_lines()))
        self.summary.setAccessibleDescription(self.summary.text())
