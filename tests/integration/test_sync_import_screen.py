"""The supervisor's import screen with real widgets (offscreen), real profiles and real packages."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sync_helpers import Pair, add_client

from app.models.client import Client
from app.services.sync import PushService, SupervisorImportService
from app.ui.sync_import import SupervisorImportWidget
from app.ui.tasks import wait_for_all


def test_import_screen_shows_results_conflicts_and_arrivals(
    pair: Pair, qtbot: QtBot, artifacts_dir: Path
) -> None:
    client = add_client(pair.device, "7777777777", "Haddad")
    PushService.for_profile(pair.device).push(str(pair.target))
    SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
    # A conflict: the supervisor and the device both edit version 1.
    for profile, field, value in (
        (pair.supervisor, "given_names", "Amaal"),
        (pair.device, "birth_date", "1990"),
    ):
        with profile.store().session(actor="x") as session:
            record = session.get(Client, client.id)
            assert record is not None
            setattr(record, field, value)
    add_client(pair.device, "8888888888", "Tesfaye")
    PushService.for_profile(pair.device).push()
    (pair.target / "inbox" / "boodschappenlijst.txt").write_text("melk")

    widget = SupervisorImportWidget(pair.supervisor)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    with qtbot.waitSignal(widget.importFinished, timeout=20000) as finished:
        widget.import_paths([pair.target])
    summary = finished.args[0]
    assert sorted(o.status for o in summary.outcomes) == ["conflict", "refused"]
    outcomes = {widget.results.item(r, 1).text() for r in range(widget.results.rowCount())}
    assert outcomes == {"conflict", "geweigerd"}
    qtbot.waitUntil(lambda: widget.conflict_model.rowCount() == 1, timeout=5000)
    widget.tabs.setCurrentIndex(1)
    widget.conflicts_view.selectRow(0)
    qtbot.waitUntil(lambda: widget.differences.rowCount() == 2, timeout=5000)
    fields = {widget.differences.item(r, 0).text() for r in range(2)}
    assert fields == {"Voornamen", "Geboortedatum"}
    widget.grab().save(str(artifacts_dir / "sync_import_conflicts.png"))

    widget.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: widget.arrivals.rowCount() == 1, timeout=5000)
    karin = widget.arrivals.item(0, 0)
    assert karin.text() == "Karin" and karin.rowCount() == 6
    widget.grab().save(str(artifacts_dir / "sync_import_arrivals.png"))

    widget.tabs.setCurrentIndex(1)
    widget.conflicts_view.selectRow(0)
    widget.keep_incoming_button.click()
    qtbot.waitUntil(lambda: widget.conflict_model.rowCount() == 0, timeout=5000)
    wait_for_all()
    with pair.supervisor.store().session() as session:
        record = session.get(Client, client.id)
        assert record is not None and record.birth_date == "1990" and record.given_names == "Amal"
