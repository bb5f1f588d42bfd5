"""A device that still runs Wegwijs from before issue 13 sends its voortgangsgesprekken as the list
`progress_meetings` on the PIP record. The supervisor's import turns each entry into the same
`progress_meeting` record that migration 0011_progress_records makes of it (app/sync/legacy.py):
imported once, a later package with the list grown by one adds only the new meeting, no conflict."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from typing import Any

from hostile_helpers import sealed
from sqlalchemy import select
from sync_helpers import Pair, add_client

from app.models.pip import Pip
from app.models.progress import ProgressMeeting, legacy_meeting_id
from app.models.sync_state import SyncConflict
from app.services.sync import PushService, SupervisorImportService, device_keys
from app.sync.envelope import open_package
from app.sync.importer import device_lookup

OLD_LIST = [
    {"date": "2026-04-01", "by": "Karin", "note": "Gaat goed."},
    {"date": "2026-07-02", "by": "Karin", "note": ""},
]


def _pushed_payload(pair: Pair) -> dict[str, Any]:
    result = PushService.for_profile(pair.device).push(str(pair.target))
    path = pair.target / "inbox" / max(result.sent)
    data = path.read_bytes()
    path.unlink()
    with pair.supervisor.store().session() as session:
        opened = open_package(data, keys=device_keys(pair.supervisor), lookup_device=device_lookup(session))
    return opened.payload


def _as_old_device(payload: dict[str, Any], meetings: list[dict[str, str]], version: int) -> dict[str, Any]:
    old = copy.deepcopy(payload)
    for record in old["records"]:
        if record["table"] == "pip":
            record["data"]["progress_meetings"] = meetings
            record["version"] = record["data"]["version"] = version
            record["base_version"] = version - 1
    return old


def _import(pair: Pair, name: str, data: bytes) -> list[str]:
    (pair.target / "inbox" / name).write_bytes(data)
    report = SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
    return [o.status for o in report.outcomes]


def test_an_old_devices_meeting_list_becomes_records(pair: Pair) -> None:
    client = add_client(pair.device, "1300000100", "Haddad")
    with pair.device.store().session(actor="Karin") as session:
        session.add(
            Pip(client_id=client.id, extensions=[], current_number=1, first_adopted_on=dt.date(2026, 1, 5))
        )
    payload = _pushed_payload(pair)
    pip_id = uuid.UUID(next(r["id"] for r in payload["records"] if r["table"] == "pip"))

    assert _import(pair, "oud-1.wgw", sealed(pair, _as_old_device(payload, OLD_LIST, 1), 50)) == ["imported"]
    grown = [*OLD_LIST, {"date": "2026-10-05", "by": "Karin", "note": "Examen lezen gepland."}]
    assert _import(pair, "oud-2.wgw", sealed(pair, _as_old_device(payload, grown, 2), 51)) == ["imported"]

    with pair.supervisor.store().session() as session:
        meetings = session.scalars(select(ProgressMeeting).order_by(ProgressMeeting.held_on)).all()
        assert [(str(m.held_on), m.held_by, m.note) for m in meetings] == [
            ("2026-04-01", "Karin", "Gaat goed."),
            ("2026-07-02", "Karin", ""),
            ("2026-10-05", "Karin", "Examen lezen gepland."),
        ]
        assert meetings[0].id == legacy_meeting_id(pip_id, 0, "2026-04-01")
        assert all(m.pip_id == pip_id for m in meetings)
        assert session.scalars(select(SyncConflict)).all() == []
