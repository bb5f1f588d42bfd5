"""The issue's end-to-end test: a klantmanager and a supervisor profile, keys exchanged, an intake and
a PIP made while the WebDAV target is unreachable, pushed by itself once the server is up, imported,
equal field by field, receipts back and an empty outbox."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sync_helpers import WEBDAV_PASSWORD, WEBDAV_USER, Pair, WebDavServer, add_client

from app.models.base import Base
from app.services.profile import Profile
from app.services.sync import ConflictService, SupervisorImportService, SyncStatusService, SyncTargetService
from app.sync.records import serialise, synced_models
from app.sync.transport import WebDavTransport
from app.ui.sync_status import SyncController, SyncStatusWidget


def rows_by_table(profile: Profile) -> dict[str, dict[str, dict[str, object]]]:
    """Every synced record, serialised field by field, per table."""
    with profile.store().session() as session:
        return {
            table: {str(record.id): serialise(record) for record in session.scalars(select(model))}
            for table, model in synced_models().items()
        }


def make_intake_and_pip(profile: Profile) -> None:
    from app.models.client import Client
    from app.services.intake.demo import fill_demo_intake
    from app.services.intake.records import IntakeSettings, start_or_resume
    from app.services.pip.records import draft_pip

    client = add_client(profile, "6666666666", "Haddad")
    today = dt.date(2026, 11, 22)
    with profile.store().session(actor="Karin", role="klantmanager") as session:
        record = session.get(Client, client.id)
        assert record is not None
        fill_demo_intake(session, record, random.Random(7), today)
        start_or_resume(session, client.id, IntakeSettings(), today)
    with profile.store().session(actor="Karin", role="klantmanager") as session:
        draft_pip(session, client.id, "Karin", today)


def test_offline_changes_travel_when_the_target_comes_back(
    pair: Pair, tmp_path: Path, qtbot: QtBot, artifacts_dir: Path
) -> None:
    server = WebDavServer(tmp_path / "nextcloud")
    url = server.url.replace("http://", f"http://{WEBDAV_USER}:{WEBDAV_PASSWORD}@")
    SyncTargetService.for_profile(pair.device).configure(url)
    controller = SyncController(
        pair.device, interval_s=0.3, backoff_start_s=0.2, backoff_max_s=0.4, debounce_s=0.05
    )
    widget = SyncStatusWidget(controller)
    qtbot.addWidget(widget)
    controller.start()
    try:
        # Offline: the target does not answer; the intake and PIP are made and stay queued.
        make_intake_and_pip(pair.device)
        controller.changes_made()
        qtbot.waitUntil(lambda: controller.failures >= 2, timeout=10000)
        status = SyncStatusService.for_profile(pair.device).status()
        assert status.undelivered_packages >= 1 and status.last_push is None
        assert "offline" in widget.label.text()
        widget.show()
        widget.grab().save(str(artifacts_dir / "sync_status_offline.png"))
        tables = {table for table, rows in rows_by_table(pair.device).items() if rows}
        assert {"client", "intake", "pip", "pip_version"} <= tables

        # The server comes up: the controller pushes by itself.
        server.start()
        qtbot.waitUntil(
            lambda: controller.last_outcome is not None and controller.last_outcome.state == "pushed",
            timeout=15000,
        )
        assert any((server.root / "inbox").iterdir())

        summary = SupervisorImportService.for_profile(pair.supervisor).import_from_target(
            WebDavTransport(server.url, WEBDAV_USER, WEBDAV_PASSWORD)
        )
        assert summary.outcomes and {o.status for o in summary.outcomes} == {"imported"}
        device_rows = rows_by_table(pair.device)
        supervisor_rows = rows_by_table(pair.supervisor)
        for table in device_rows:
            assert supervisor_rows[table] == device_rows[table], table
        arrivals = ConflictService.for_profile(pair.supervisor).arrivals()
        assert {a.device_name for a in arrivals} == {"Karin"}

        # Receipts reach the device; the outbox empties.
        def delivered() -> bool:
            status = controller.status
            return status is not None and status.undelivered_packages == 0 and status.last_receipt is not None

        qtbot.waitUntil(delivered, timeout=15000)
        assert controller.status is not None and controller.status.pending_changes == 0
        assert list((pair.device.data_dir / "outbox").iterdir()) == []
        qtbot.waitUntil(lambda: "alles verstuurd" in widget.label.text(), timeout=5000)
        widget.grab().save(str(artifacts_dir / "sync_status_delivered.png"))
    finally:
        controller.stop()
        from app.ui.tasks import wait_for_all

        wait_for_all()
        server.stop()
    assert Base.metadata.tables  # the registry the generic sync works from
