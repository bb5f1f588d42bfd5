"""The settings dialog for the municipal options, reachable from the main window's menu: what the
policy file fixes is greyed with the reason, the rest is saved in profile.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import MakeProfile
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.i18n import set_ui_language
from app.services.municipal_options import apply_to_new_profile
from app.services.policy import POLICY_ENV, load_policy
from app.services.profile import Profile, open_profile
from app.sync.keys import DeviceKeys
from app.ui.application import open_main_window
from app.ui.settings import SettingsDialog

POLICY = """gemeente = "Utrecht"
synchronisatiedoel = "{target}"

[supervisor]
sleutelbestand = "supervisor.json"
vingerafdruk = "{fingerprint}"

[opties]
klantmanager_may_adopt = true
progress_interval_months = 2
"""


def click_save(qtbot, dialog: SettingsDialog) -> None:
    """Press the dialog's "Opslaan" button, as the klantmanager does."""
    buttons = dialog.findChild(QDialogButtonBox)
    assert isinstance(buttons, QDialogButtonBox)
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


@pytest.fixture
def policy_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    keys = DeviceKeys.generate()
    (tmp_path / "supervisor.json").write_bytes(keys.export_public("supervisor", "Sanne", "Utrecht"))
    (tmp_path / "doel").mkdir()
    path = tmp_path / "beleid.toml"
    path.write_text(POLICY.format(target=tmp_path / "doel", fingerprint=keys.fingerprint), encoding="utf-8")
    monkeypatch.setenv(POLICY_ENV, str(path))
    return path


@pytest.fixture
def profile(make_profile: MakeProfile, policy_file: Path):
    loaded = load_policy()
    assert loaded.policy is not None, loaded.problem
    created = make_profile(user_name="km1")
    apply_to_new_profile(created, loaded.policy)
    created.close()
    opened = open_profile(created.data_dir)  # as the app opens it after the first run
    yield opened
    opened.close()


def test_fixed_options_are_greyed_with_the_reason_and_the_rest_is_saved(
    qtbot, profile: Profile, policy_file: Path, tmp_path: Path, artifacts_dir: Path
) -> None:
    set_ui_language("nl")
    dialog = SettingsDialog(profile)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.may_adopt.isEnabled() and dialog.may_adopt.isChecked()
    assert not dialog.interval.isEnabled() and dialog.interval.value() == 2
    assert str(policy_file) in dialog.interval.toolTip()
    assert dialog.pdf_folder.isEnabled() and dialog.logo.isEnabled()
    assert dialog.fixed_note.isVisibleTo(dialog) and str(policy_file) in dialog.fixed_note.text()
    dialog.grab().save(str(artifacts_dir / "settings-dialog.png"))

    dialog.pdf_folder.setText(str(tmp_path / "pdf"))
    click_save(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    options = json.loads((profile.data_dir / "profile.json").read_text(encoding="utf-8"))["options"]
    assert options["pdf_folder"] == str(tmp_path / "pdf")
    assert options["progress_interval_months"] == 2


def test_without_a_policy_every_option_can_be_changed(
    qtbot, profile: Profile, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(POLICY_ENV, str(tmp_path / "geen-beleid.toml"))
    dialog = SettingsDialog(profile)
    qtbot.addWidget(dialog)
    assert dialog.interval.isEnabled() and dialog.may_adopt.isEnabled()
    assert not dialog.fixed_note.isVisibleTo(dialog)
    dialog.interval.setValue(4)
    dialog.may_adopt.setChecked(False)
    click_save(qtbot, dialog)
    options = json.loads((profile.data_dir / "profile.json").read_text(encoding="utf-8"))["options"]
    assert options["progress_interval_months"] == 4 and options["klantmanager_may_adopt"] is False


def test_the_main_window_menu_opens_settings_and_greys_the_fixed_sync_target(
    qtbot, profile: Profile, synchronous_tasks: None, policy_file: Path
) -> None:
    window = open_main_window(profile)
    qtbot.addWidget(window)
    window.show()
    assert window.settings_action in window.file_menu.actions()
    assert window.settings_action.text() == "&Instellingen van de gemeente…"
    assert not window.sync_target_action.isEnabled()
    assert str(policy_file) in window.sync_target_action.toolTip()

    seen: list[SettingsDialog] = []

    def close_the_dialog() -> None:
        dialogs = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, SettingsDialog) and w.isVisible()
        ]
        seen.extend(dialogs)
        for dialog in dialogs:
            dialog.reject()

    QTimer.singleShot(200, close_the_dialog)
    window.settings_action.trigger()  # modal: returns when the timer has closed the dialog
    assert len(seen) == 1, "the menu entry opened no settings dialog"
