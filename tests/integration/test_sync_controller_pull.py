"""The GUI pulls by itself, as it pushes: once the supervisor has adopted and pushed, the device's
SyncController brings the adoption in without anybody asking, and says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot
from way_back_helpers import (
    ADOPTED,
    import_all,
    klantmanager,
    make_team,
    push,
    signed_pip,
    supervisor,
    supervisor_push,
)

from app.domain.pip_lifecycle import PipAction, PipState
from app.services.sync import SyncTargetService
from app.ui.sync_status import SyncController


def test_the_controller_pulls_the_adoption_by_itself(tmp_path: Path, make_profile: Any, qtbot: QtBot) -> None:
    share = tmp_path / "share"
    share.mkdir()
    team = make_team(tmp_path, str(share), make_profile)
    client_id, version_id = signed_pip(team.km1, "1234567890")
    push(team, team.km1)
    import_all(team)
    supervisor(team.sup).act(version_id, PipAction.VASTSTELLEN, ADOPTED)
    supervisor_push(team)

    SyncTargetService.for_profile(team.km1).configure(str(share))
    controller = SyncController(
        team.km1, interval_s=30, backoff_start_s=0.2, backoff_max_s=0.4, debounce_s=0.05
    )
    applied: list[int] = []
    controller.decisionsApplied.connect(applied.append)
    controller.start()
    try:
        qtbot.waitUntil(lambda: applied == [1], timeout=15000)
    finally:
        controller.stop()
        from app.ui.tasks import wait_for_all

        wait_for_all()
    assert controller.last_outcome is not None and controller.last_outcome.state == "pushed"
    shown = klantmanager(team.km1).current(client_id, ADOPTED)
    assert shown is not None and shown.state is PipState.VASTGESTELD
