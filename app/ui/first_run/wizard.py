"""The first-run wizard: a new profile without the command line (issue 16).

Pages: who you are (role, municipality, your name) -> where the key lives (the keyring or a file
with a passphrase; leaving this page makes the profile, as `wegwijs init` does, through
app/services/first_run.py) -> the recovery sheet (required) -> the supervisor's key with its
fingerprint compared aloud (a supervisor: his own key file to hand out) -> the sync target with a
folder picker or a WebDAV address and a test -> what was set up. Everything after the profile can
be skipped and done later from the window (the sync status offers the key and the target).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget, QWizard

from app.domain.enums import Role
from app.i18n import _
from app.services.first_run import NewProfile
from app.services.municipal_options import PolicyApplied
from app.services.policy import Policy
from app.services.profile import BACKEND_KEYRING, PassphraseProvider, Profile
from app.ui.first_run.pages import AboutYouPage, KeyPage, RecoveryPage
from app.ui.first_run.sync_pages import DonePage, OwnKeyPage, SupervisorKeyPage, TargetPage
from app.ui.fit import fit_to_screen

PAGE_ABOUT, PAGE_KEY, PAGE_SHEET, PAGE_SUPERVISOR, PAGE_OWN_KEY, PAGE_TARGET, PAGE_DONE = range(7)


class OnceThenAsk:
    """The passphrase typed in the wizard for the new vault; should it be asked again in this
    session, the usual prompt asks (the typed one is not kept longer than needed)."""

    def __init__(self, passphrase: str, fallback: PassphraseProvider) -> None:
        self._passphrase: str | None = passphrase
        self._fallback = fallback

    def __call__(self, new: bool) -> str:
        if self._passphrase is not None:
            value, self._passphrase = self._passphrase, None
            return value
        return self._fallback(new)


class FirstRunWizard(QWizard):
    def __init__(
        self,
        data_dir: Path,
        policy: Policy | None,
        fallback_passphrase: PassphraseProvider,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunWizard")
        self.setWindowTitle(_("Wegwijs inrichten"))
        self.data_dir = data_dir
        self.policy = policy
        self._fallback = fallback_passphrase
        self.created: NewProfile | None = None
        self.sheet_path: str | None = None
        self.supervisor_fingerprint: str | None = None
        self.target: str | None = None
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for button, text in (
            (QWizard.WizardButton.BackButton, _("< &Terug")),
            (QWizard.WizardButton.NextButton, _("&Volgende >")),
            (QWizard.WizardButton.CommitButton, _("&Inrichten")),
            (QWizard.WizardButton.FinishButton, _("&Wegwijs openen")),
            (QWizard.WizardButton.CancelButton, _("Annuleren")),
        ):
            self.setButtonText(button, text)
        fixed = policy.municipality if policy is not None else None
        self.about = AboutYouPage(fixed, policy.reason() if policy is not None else "")
        self.key = KeyPage()
        self.sheet = RecoveryPage()
        self.supervisor_key = SupervisorKeyPage()
        self.own_key = OwnKeyPage()
        self.target_page = TargetPage()
        self.done_page = DonePage()
        for number, page in (
            (PAGE_ABOUT, self.about),
            (PAGE_KEY, self.key),
            (PAGE_SHEET, self.sheet),
            (PAGE_SUPERVISOR, self.supervisor_key),
            (PAGE_OWN_KEY, self.own_key),
            (PAGE_TARGET, self.target_page),
            (PAGE_DONE, self.done_page),
        ):
            self.setPage(number, page)
        self.setStartId(PAGE_ABOUT)
        fit_to_screen(self, "first_run", 760, 560)

    def nextId(self) -> int:  # noqa: N802 (Qt naming)
        current = self.currentId()
        if current == PAGE_SHEET:
            return PAGE_SUPERVISOR if self.about.chosen_role() is Role.KLANTMANAGER else PAGE_OWN_KEY
        if current in (PAGE_SUPERVISOR, PAGE_OWN_KEY):
            return PAGE_TARGET
        if current == PAGE_DONE:
            return -1
        return current + 1

    def passphrase_provider(self, passphrase: str) -> PassphraseProvider:
        return OnceThenAsk(passphrase, self._fallback)

    def profile_made(self, made: NewProfile) -> None:
        self.created = made
        # The profile exists now: cancelling would leave it half set up, so what remains is skippable
        # and closing opens Wegwijs with it.
        self.setOption(QWizard.WizardOption.NoCancelButton, True)

    def profile(self) -> Profile:
        assert self.created is not None
        return self.created.profile

    def policy_applied(self) -> PolicyApplied | None:
        return self.created.policy_applied if self.created is not None else None

    def own_fingerprint(self) -> str:
        return self.created.fingerprint if self.created is not None else ""

    def summary_lines(self) -> list[str]:
        made = self.created
        if made is None:
            return []
        settings = made.profile.settings
        role = _("klantmanager") if settings.role == Role.KLANTMANAGER.value else _("supervisor")
        lines = [
            _("{name}, {role} bij de gemeente {municipality}.").format(
                name=settings.person_name, role=role, municipality=settings.municipality
            ),
            _("De sleutel staat in de sleutelbos van het besturingssysteem.")
            if settings.secret_backend == BACKEND_KEYRING
            else _("De sleutel staat in een sleutelbestand met uw wachtwoord."),
        ]
        if self.sheet_path:
            lines.append(
                _("Herstelblad: {path} (afdrukken en het bestand weggooien).").format(path=self.sheet_path)
            )
        if settings.role == Role.KLANTMANAGER.value:
            fingerprint = self.supervisor_fingerprint or self.supervisor_key.trusted
            lines.append(
                _("De supervisor wordt vertrouwd (vingerafdruk {fingerprint}).").format(
                    fingerprint=fingerprint
                )
                if fingerprint
                else _("Nog geen supervisorsleutel: kies die later onderin het venster.")
            )
        target = self.target or self.target_page.saved
        lines.append(
            _("Synchronisatiedoel: {target}.").format(target=target)
            if target
            else _("Nog geen synchronisatiedoel: stel het later in onderin het venster.")
        )
        return lines

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        # Escape after the profile exists would only close the wizard: Wegwijs then opens anyway.
        if event.key() == Qt.Key.Key_Escape and self.created is not None:
            event.ignore()
            return
        super().keyPressEvent(event)


def run_first_run(
    data_dir: Path, policy: Policy | None, fallback_passphrase: PassphraseProvider
) -> Profile | None:
    """Show the wizard; the new profile (also when closed after it was made), or None when cancelled
    before anything was made."""
    wizard = FirstRunWizard(data_dir, policy, fallback_passphrase)
    wizard.exec()
    return wizard.created.profile if wizard.created is not None else None
