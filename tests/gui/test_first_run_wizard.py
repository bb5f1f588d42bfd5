"""Issue 16: the first run in the GUI, walked by keyboard: role, municipality and name, the key in a
passphrase file (no keyring here), the recovery sheet, the supervisor's key after its fingerprint was
compared, a folder target tested and kept. It ends with a profile that opens, as `wegwijs init` makes
it. Real profiles, a real vault, a real PDF and a real folder target."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWizard

from app.domain.enums import Role
from app.i18n import set_ui_language
from app.services.maintenance.recovery import RecoveryService
from app.services.policy import POLICY_ENV, load_policy
from app.services.profile import open_profile, profile_exists
from app.services.sync import SyncKeysService, SyncTargetService
from app.ui.first_run import FirstRunWizard
from app.ui.first_run.wizard import PAGE_ABOUT, PAGE_DONE, PAGE_KEY, PAGE_SHEET, PAGE_SUPERVISOR, PAGE_TARGET

PASSPHRASE = "zeven zonnige zeehonden"


def never_asked(_new: bool) -> str:
    raise AssertionError("the wizard's own passphrase is used")


@pytest.fixture
def supervisor_key(make_profile, tmp_path: Path) -> tuple[Path, str]:
    supervisor = make_profile(role=Role.SUPERVISOR, user_name="Sam de Supervisor", folder="sup")
    path = tmp_path / "supervisor.json"
    keys = SyncKeysService.for_profile(supervisor).export_public(path)
    return path, keys.fingerprint


@pytest.fixture
def wizard(qtbot, tmp_path: Path, passphrase_env: str, synchronous_tasks: None) -> FirstRunWizard:
    set_ui_language("nl")
    wizard = FirstRunWizard(tmp_path / "nieuw", None, never_asked)
    qtbot.addWidget(wizard)
    with qtbot.waitActive(wizard):
        wizard.show()
        wizard.activateWindow()
    return wizard


def type_into(qtbot, field, text: str) -> None:
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)


def enter(qtbot) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None, "nothing has keyboard focus"
    qtbot.keyClick(focused, Qt.Key.Key_Return)


def alt(qtbot, wizard: FirstRunWizard, letter: Qt.Key) -> None:
    qtbot.keyClick(wizard, letter, Qt.KeyboardModifier.AltModifier)
    qtbot.wait(250)  # a button's mnemonic clicks it with a short animation


def test_a_klantmanager_sets_up_wegwijs_by_keyboard(
    qtbot, wizard: FirstRunWizard, tmp_path: Path, supervisor_key: tuple[Path, str]
) -> None:
    key_file, fingerprint = supervisor_key
    # Who you are: Enter without a name stays on the page and says what is missing.
    assert wizard.currentId() == PAGE_ABOUT
    alt(qtbot, wizard, Qt.Key.Key_G)  # the label's mnemonic goes to the municipality
    assert QApplication.focusWidget() is wizard.about.municipality
    qtbot.keyClicks(wizard.about.municipality, "Utrecht")
    enter(qtbot)
    assert wizard.currentId() == PAGE_ABOUT
    assert "Vul uw naam in" in wizard.about.status.text()
    assert QApplication.focusWidget() is wizard.about.person_name  # the refusal puts you there
    qtbot.keyClicks(wizard.about.person_name, "Anna  de Vries")
    enter(qtbot)

    # Where the key lives: no keyring on this machine, so a passphrase file; two checks inline.
    assert wizard.currentId() == PAGE_KEY
    assert not wizard.key.keyring.isEnabled() and wizard.key.vault.isChecked()
    type_into(qtbot, wizard.key.passphrase, "kort")
    enter(qtbot)
    assert wizard.currentId() == PAGE_KEY and "minstens 8 tekens" in wizard.key.status.text()
    type_into(qtbot, wizard.key.passphrase, PASSPHRASE)
    type_into(qtbot, wizard.key.repeat, PASSPHRASE + "!")
    enter(qtbot)
    assert "niet gelijk" in wizard.key.status.text()
    assert not profile_exists(tmp_path / "nieuw")
    type_into(qtbot, wizard.key.repeat, PASSPHRASE)
    enter(qtbot)  # "Inrichten": the profile is made now
    assert wizard.currentId() == PAGE_SHEET
    assert profile_exists(tmp_path / "nieuw")
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()

    # The recovery sheet is required: "Volgende" stays off until it is made.
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    sheet = tmp_path / "herstelblad.pdf"
    type_into(qtbot, wizard.sheet.path, str(sheet))
    alt(qtbot, wizard, Qt.Key.Key_M)
    assert sheet.read_bytes().startswith(b"%PDF")
    assert sheet.stat().st_mode & 0o077 == 0
    assert str(sheet) in wizard.sheet.status.text()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.keyClick(wizard, Qt.Key.Key_Return)

    # The supervisor's key: its fingerprint shown in groups; not trusted before it was compared.
    assert wizard.currentId() == PAGE_SUPERVISOR
    type_into(qtbot, wizard.supervisor_key.path, str(key_file))
    enter(qtbot)
    assert wizard.currentId() == PAGE_SUPERVISOR
    shown = wizard.supervisor_key.fingerprint.text().split()
    assert shown == fingerprint.split() and len(shown) == 8
    assert "groep 1: " in wizard.supervisor_key.fingerprint.label.accessibleDescription()
    assert "Vergelijk eerst de vingerafdruk" in wizard.supervisor_key.status.text()
    alt(qtbot, wizard, Qt.Key.Key_D)  # "De supervisor ziet dezelfde getallen"
    assert wizard.supervisor_key.same.isChecked()
    qtbot.keyClick(wizard, Qt.Key.Key_Return)

    # The sync target: a folder that does not exist is said by the test; a real one is reachable.
    assert wizard.currentId() == PAGE_TARGET
    type_into(qtbot, wizard.target_page.address, str(tmp_path / "bestaat-niet"))
    alt(qtbot, wizard, Qt.Key.Key_S)
    assert "niet bereikbaar" in wizard.target_page.status.text()
    target = tmp_path / "sync"
    target.mkdir()
    type_into(qtbot, wizard.target_page.address, str(target))
    alt(qtbot, wizard, Qt.Key.Key_S)
    assert "bereikbaar" in wizard.target_page.status.text()
    assert "niet bereikbaar" not in wizard.target_page.status.text()
    enter(qtbot)

    assert wizard.currentId() == PAGE_DONE
    summary = wizard.done_page.summary.text()
    assert "Anna de Vries, klantmanager bij de gemeente Utrecht." in summary
    assert fingerprint in summary and str(target) in summary and str(sheet) in summary
    qtbot.keyClick(wizard, Qt.Key.Key_Return)
    assert wizard.result() == QWizard.DialogCode.Accepted
    wizard.created.profile.close()

    # A working profile: it opens with the passphrase, as init made it, with all that was set.
    profile = open_profile(tmp_path / "nieuw", lambda _new: PASSPHRASE)
    try:
        profile.store()
        assert profile.settings.person_name == "Anna de Vries"
        assert profile.settings.role == Role.KLANTMANAGER.value
        assert profile.settings.secret_backend == "vault"
        info = SyncKeysService.for_profile(profile).show()
        assert info.supervisor is not None and info.supervisor.fingerprint == fingerprint
        assert SyncTargetService.for_profile(profile).configured() == str(target)
        # The sheet's key really reopens the store (what the sheet is for).
        import re

        from pypdf import PdfReader

        text = "\n".join(page.extract_text() for page in PdfReader(sheet).pages)
        groups = re.findall(r"\b[A-Z2-7]{4}\b", text.split("Herstelsleutel", 1)[1])
        assert RecoveryService.for_profile(profile).recover("-".join(groups[:10])) is not None
        assert list((tmp_path / "nieuw").glob("**/*inrichting*")), "the automatic backup of init"
    finally:
        profile.close()


def test_cancelling_before_the_profile_is_made_leaves_nothing(
    qtbot, wizard: FirstRunWizard, tmp_path: Path
) -> None:
    type_into(qtbot, wizard.about.municipality, "Utrecht")
    type_into(qtbot, wizard.about.person_name, "Anna de Vries")
    enter(qtbot)
    assert wizard.currentId() == PAGE_KEY
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert wizard.result() == QWizard.DialogCode.Rejected
    assert wizard.created is None
    assert not (tmp_path / "nieuw").exists() or not profile_exists(tmp_path / "nieuw")


def test_a_supervisor_gets_his_own_key_file_to_hand_out(
    qtbot, wizard: FirstRunWizard, tmp_path: Path
) -> None:
    wizard.about.role.setFocus()
    qtbot.keyClick(wizard.about.role, Qt.Key.Key_Down)
    assert wizard.about.chosen_role() is Role.SUPERVISOR
    type_into(qtbot, wizard.about.municipality, "Utrecht")
    type_into(qtbot, wizard.about.person_name, "Sam de Supervisor")
    enter(qtbot)
    type_into(qtbot, wizard.key.passphrase, PASSPHRASE)
    type_into(qtbot, wizard.key.repeat, PASSPHRASE)
    enter(qtbot)
    type_into(qtbot, wizard.sheet.path, str(tmp_path / "blad.pdf"))
    alt(qtbot, wizard, Qt.Key.Key_M)
    qtbot.keyClick(wizard, Qt.Key.Key_Return)
    page = wizard.own_key
    assert wizard.currentPage() is page
    assert page.fingerprint.text().split() == wizard.created.fingerprint.split()
    out = tmp_path / "sleutel.json"
    type_into(qtbot, page.path, str(out))
    alt(qtbot, wizard, Qt.Key.Key_O)
    assert out.is_file() and str(out) in page.status.text()
    wizard.created.profile.close()


POLICY = """gemeente = "Utrecht"
synchronisatiedoel = "{target}"

[supervisor]
sleutelbestand = "supervisor.json"
vingerafdruk = "{fingerprint}"
"""


def test_what_the_municipality_set_is_shown_and_not_asked_again(
    qtbot, tmp_path: Path, passphrase_env: str, synchronous_tasks: None, supervisor_key: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    key_file, fingerprint = supervisor_key
    (tmp_path / "doel").mkdir()
    policy_path = tmp_path / "beleid.toml"
    policy_path.write_text(POLICY.format(target=tmp_path / "doel", fingerprint=fingerprint), encoding="utf-8")
    monkeypatch.setenv(POLICY_ENV, str(policy_path))
    loaded = load_policy()
    assert loaded.policy is not None, loaded.problem
    set_ui_language("nl")
    wizard = FirstRunWizard(tmp_path / "nieuw", loaded.policy, never_asked)
    qtbot.addWidget(wizard)
    with qtbot.waitActive(wizard):
        wizard.show()
        wizard.activateWindow()
    assert wizard.about.municipality.text() == "Utrecht" and not wizard.about.municipality.isEnabled()
    type_into(qtbot, wizard.about.person_name, "Anna de Vries")
    enter(qtbot)
    type_into(qtbot, wizard.key.passphrase, PASSPHRASE)
    type_into(qtbot, wizard.key.repeat, PASSPHRASE)
    enter(qtbot)
    type_into(qtbot, wizard.sheet.path, str(tmp_path / "blad.pdf"))
    alt(qtbot, wizard, Qt.Key.Key_M)
    qtbot.keyClick(wizard, Qt.Key.Key_Return)
    # The supervisor's key came with the policy: shown, trusted, nothing to choose.
    assert wizard.currentId() == PAGE_SUPERVISOR
    assert "al ingesteld" in wizard.supervisor_key.status.text()
    assert wizard.supervisor_key.fingerprint.text().split() == fingerprint.split()
    assert not wizard.supervisor_key.path.isEnabled()
    qtbot.keyClick(wizard, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_TARGET
    assert wizard.target_page.address.text() == str(tmp_path / "doel")
    qtbot.keyClick(wizard, Qt.Key.Key_Return)
    assert wizard.currentId() == PAGE_DONE
    assert fingerprint in wizard.done_page.summary.text()
    assert str(tmp_path / "doel") in wizard.done_page.summary.text()
    info = SyncKeysService.for_profile(wizard.created.profile).show()
    assert info.supervisor is not None and info.supervisor.fingerprint == fingerprint
    wizard.created.profile.close()
