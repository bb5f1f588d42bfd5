"""'Verhuizen…' in the detail pane (issue 13), under real Qt: the klantmanager picks the new
municipality's key file and the output file, confirms once (the fingerprint and the municipality are
in the question), and the dialog says where the hand-over and its PDF are; the case is then closed."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from builders import MakeProfile, add_client_with_case
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app.domain.enums import Role
from app.services.caseload import CaseloadService
from app.services.client_records import CaseClosed
from app.services.intake import IntakeService
from app.services.sync import SyncKeysService
from app.ui.application import client_actions
from app.ui.transfer import TransferDialog


def test_verhuizen_asks_once_and_shows_where_the_files_are(
    qtbot, make_profile: MakeProfile, tmp_path: Path, synchronous_tasks: None
) -> None:
    profile = make_profile()
    supervisor = make_profile(role=Role.SUPERVISOR, municipality="Amersfoort", user_name="sup", folder="sup")
    key = SyncKeysService.for_profile(supervisor).export_public(tmp_path / "amersfoort.json")
    with profile.store().session(actor="km.jansen", role="klantmanager") as session:
        client_id = add_client_with_case(session, "4400000021", huisvestingsdatum=dt.date(2026, 9, 1)).id
    assert "openTransfer" in [action.object_name for action in client_actions(profile, [])]

    dialog = TransferDialog(profile, str(client_id))
    qtbot.addWidget(dialog)
    dialog.show()
    for field in dialog.findChildren(QLineEdit):
        name, description = field.accessibleName(), field.accessibleDescription()
        assert name and description and name != description
    dialog.key_field.setText(str(tmp_path / "amersfoort.json"))
    out = tmp_path / "verhuizing.wgw"
    dialog.out_field.setText(str(out))
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    box = dialog.confirmation
    assert box is not None and box.isVisible()
    assert "Amersfoort" in box.text() and key.fingerprint in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Return)

    assert dialog.written is not None
    assert str(out) in dialog.status.text() and str(out.with_suffix(".pdf")) in dialog.status.text()
    for path in (out, out.with_suffix(".pdf")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    (row,) = CaseloadService.for_profile(profile).rows()
    assert row.status.startswith("verhuisd naar Amersfoort") and row.next_deadline is None

    assert not dialog.go.isEnabled()  # done: the case is closed
    with pytest.raises(CaseClosed):  # no intake is started for a closed case
        IntakeService.for_profile(profile).open(client_id)

    # A new dialog for the same client: refused in the dialog's own words, nothing new written.
    again = TransferDialog(profile, str(client_id))
    qtbot.addWidget(again)
    again.show()
    again.key_field.setText(str(tmp_path / "amersfoort.json"))
    again.out_field.setText(str(tmp_path / "nog.wgw"))
    qtbot.mouseClick(again.go, Qt.MouseButton.LeftButton)
    assert again.confirmation is not None
    qtbot.keyClick(again.confirmation, Qt.Key.Key_Return)
    assert "verhuisd naar Amersfoort" in again.status.text() and not (tmp_path / "nog.wgw").exists()
    assert again.go.isEnabled()
