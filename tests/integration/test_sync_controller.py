"""SyncController: backoff on an unreachable target, "Nu synchroniseren", roles."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sync_helpers import Pair, add_client

from app.services.sync import SyncTargetService
from app.ui.sync_status import NOT_CONFIGURED, UNREACHABLE, SyncController
from app.ui.tasks import wait_for_all


def test_not_configured_is_not_a_failure(pair: Pair, qtbot: QtBot) -> None:
    controller = SyncController(pair.device, backoff_max_s=30)
    with qtbot.waitSignal(controller.attemptFinished, timeout=10000) as finished:
        controller.start()
    assert finished.args[0].state == NOT_CONFIGURED and "doel" in finished.args[0].message
    assert controller.failures == 0
    assert 25_000 < controller.next_attempt_in_ms() <= 30_500
    controller.stop()
    wait_for_all()


def test_backoff_grows_and_sync_now_tries_at_once(pair: Pair, qtbot: QtBot, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    SyncTargetService.for_profile(pair.device).configure(str(stick))
    add_client(pair.device, "1234567890", "Haddad")
    controller = SyncController(pair.device, backoff_start_s=20, backoff_max_s=50)
    try:
        with qtbot.waitSignal(controller.attemptFinished, timeout=10000) as finished:
            controller.start()
        assert finished.args[0].state == UNREACHABLE and controller.failures == 1
        assert 15_000 < controller.next_attempt_in_ms() <= 20_500
        # The changes are sealed in the outbox even while offline.
        assert finished.args[0].status.undelivered_packages == 1
        with qtbot.waitSignal(controller.attemptFinished, timeout=10000):
            controller.attempt()
        assert controller.failures == 2 and 35_000 < controller.next_attempt_in_ms() <= 40_500
        with qtbot.waitSignal(controller.attemptFinished, timeout=10000):
            controller.attempt()
        assert controller.failures == 3 and 45_000 < controller.next_attempt_in_ms() <= 50_500  # capped
        stick.mkdir()
        with qtbot.waitSignal(controller.attemptFinished, timeout=10000) as finished:
            controller.sync_now()
        assert finished.args[0].state == "pushed" and controller.failures == 0
        assert len(list((stick / "inbox").iterdir())) == 1
    finally:
        controller.stop()
        wait_for_all()


def test_the_supervisor_does_not_push(pair: Pair, qtbot: QtBot) -> None:
    controller = SyncController(pair.supervisor)
    assert not controller.enabled
    controller.start()
    controller.sync_now()
    assert not controller.busy and controller.next_attempt_in_ms() == -1
