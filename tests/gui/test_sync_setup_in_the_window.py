"""Issue 16, fault 7: the sync status says why nothing travels (no supervisor key trusted, no target)
in the window itself, with a button that fixes it; "Nu synchroniseren" without a target says so and
asks for one; the target dialog shows the current value. Real profiles and a real folder target."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QLineEdit

from app.domain.enums import Role
from app.i18n import set_ui_language
from app.services.profile import Profile, init_profile
from app.services.sync import SyncKeysService, SyncTargetService
from app.ui.sync_status import SyncController, SyncStatusWidget
from app.ui.tasks import wait_for_all


@pytest.fixture
def device(tmp_path: Path, passphrase_env: str) -> Profile:
    device = init_profile(tmp_path / "km", Role.KLANTMANAGER, "Utrecht", "Karin")
    supervisor = init_profile(tmp_path / "sup", Role.SUPERVISOR, "Utrecht", "Sam")
    SyncKeysService.for_profile(supervisor).export_public(tmp_path / "sup.json")
    supervisor.close()
    yield device
    device.close()


def answer_input_dialog(qtbot, seen: list[str], text: str) -> None:
    """QInputDialog.getText is modal: answer it from the event loop, recording what it showed."""

    def answer() -> None:
        dialog = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, QInputDialog) and w.isVisible()
        )
        seen.append(dialog.labelText())
        seen.append(dialog.textValue())
        line = dialog.findChild(QLineEdit)
        line.selectAll()
        qtbot.keyClicks(line, text)
        qtbot.keyClick(line, Qt.Key.Key_Return)

    QTimer.singleShot(200, answer)


def test_the_reason_is_shown_and_fixed_in_the_window(qtbot, device: Profile, tmp_path: Path) -> None:
    set_ui_language("nl")
    controller = SyncController(device, interval_s=60, debounce_s=0.05)
    widget = SyncStatusWidget(controller)
    qtbot.addWidget(widget)
    widget.show()
    controller.attempt()
    qtbot.waitUntil(lambda: controller.last_outcome is not None, timeout=10000)
    assert "geen supervisorsleutel vertrouwd" in widget.label.text()
    assert "offline" not in widget.label.text()
    assert widget.fix_button.isVisible() and widget.fix_button.text() == "Supervisorsleutel kiezen…"

    # "Nu synchroniseren" opens the way to fix it: the supervisor's key file.
    widget.button.setFocus()
    qtbot.keyClick(widget.button, Qt.Key.Key_Space)
    dialog = widget.message_box
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    dialog.fileSelected.emit(str(tmp_path / "sup.json"))
    dialog.close()
    qtbot.waitUntil(lambda: "geen synchronisatiedoel" in widget.label.text(), timeout=10000)
    assert widget.fix_button.text() == "Synchronisatiedoel instellen…"

    # Without a target, "Nu synchroniseren" asks for one; the dialog says nothing is set yet.
    seen: list[str] = []
    share = tmp_path / "share"
    share.mkdir()
    answer_input_dialog(qtbot, seen, str(share))
    qtbot.keyClick(widget.button, Qt.Key.Key_Space)
    assert "nog geen synchronisatiedoel" in seen[0] and seen[1] == ""
    qtbot.waitUntil(
        lambda: SyncTargetService.for_profile(device).configured() == str(share.resolve()), timeout=10000
    )
    qtbot.waitUntil(lambda: not widget.fix_button.isVisible(), timeout=10000)
    assert "niet gesynchroniseerd" not in widget.label.text()

    # The target dialog shows the current value.
    seen.clear()
    answer_input_dialog(qtbot, seen, str(share))
    from app.ui.sync_status import ask_sync_target

    ask_sync_target(widget, device)
    assert str(share.resolve()) in seen[0] and seen[1] == str(share.resolve())
    controller.stop()
    wait_for_all()
