"""Packages from one device that arrive out of order (USB sticks, single files) are no conflict."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from sqlalchemy import func, select
from sync_helpers import Pair, add_client, make_pair

from app.models.client import Client
from app.models.sync_state import SyncConflict
from app.services.sync import (
    ConflictService,
    PushService,
    SupervisorImportService,
    SyncKeysService,
    device_keys,
)
from app.sync.envelope import open_package, package_name, seal_package
from app.sync.importer import device_lookup


def _rename(pair: Pair, client_id: object, name: str) -> None:
    with pair.device.store().session(actor="Karin") as session:
        record = session.get(Client, client_id)
        assert record is not None
        record.family_name = name


def _take(pair: Pair, sequence: int, folder: Path) -> Path:
    """Copy a pushed package aside, as if it travelled on its own stick."""
    name = package_name(device_keys(pair.device).device_id, sequence)
    folder.mkdir(exist_ok=True)
    return Path(shutil.copy(pair.target / "inbox" / name, folder / name))


def test_an_older_package_arriving_after_a_newer_one_is_superseded(pair: Pair, tmp_path: Path) -> None:
    client = add_client(pair.device, "1234567890", "Haddad")
    PushService.for_profile(pair.device).push(str(pair.target))
    SupervisorImportService.for_profile(pair.supervisor).import_paths(
        [pair.target]
    )  # sequence 1: the client at version 1
    _rename(pair, client.id, "Haddad-Khoury")
    PushService.for_profile(pair.device).push()
    older = _take(pair, 2, tmp_path / "stick-a")
    _rename(pair, client.id, "Khoury")
    PushService.for_profile(pair.device).push()
    newer = _take(pair, 3, tmp_path / "stick-b")

    first = SupervisorImportService.for_profile(pair.supervisor).import_paths([newer])
    assert [(o.status, o.conflicts) for o in first.outcomes] == [("imported", 0)]
    late = SupervisorImportService.for_profile(pair.supervisor).import_paths([older])
    assert [(o.status, o.conflicts, o.superseded) for o in late.outcomes] == [("duplicate", 0, 1)]
    assert ConflictService.for_profile(pair.supervisor).open_conflicts() == []
    with pair.supervisor.store().session() as session:
        copy = session.get(Client, client.id)
        assert copy is not None and (copy.family_name, copy.version) == ("Khoury", 3)
        assert session.scalar(select(func.count()).select_from(SyncConflict)) == 0
    # The late package still gets its receipt, so the device stops sending it.
    assert [p.name for p in (tmp_path / "stick-a" / "receipts").iterdir()] == [
        older.name.removesuffix(".wgw") + ".receipt"
    ]


def test_a_concurrent_edit_from_another_device_still_conflicts(pair: Pair, tmp_path: Path) -> None:
    client = add_client(pair.device, "1234567890", "Haddad")
    PushService.for_profile(pair.device).push(str(pair.target))
    SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
    _rename(pair, client.id, "Haddad-Khoury")
    PushService.for_profile(pair.device).push()
    edit = _take(pair, 2, tmp_path / "stick-a")
    _rename(pair, client.id, "Khoury")
    PushService.for_profile(pair.device).push()
    newer = _take(pair, 3, tmp_path / "stick-b")
    SupervisorImportService.for_profile(pair.supervisor).import_paths([newer])

    # A second registered device sends the same record, edited from version 1 as well.
    other = make_pair(tmp_path / "tweede")
    try:
        SyncKeysService.for_profile(other.device).export_public(tmp_path / "km2.json")
        SyncKeysService.for_profile(pair.supervisor).register_device(tmp_path / "km2.json")
        supervisor_keys = device_keys(pair.supervisor)
        with pair.supervisor.store().session() as session:
            payload = open_package(
                edit.read_bytes(), keys=supervisor_keys, lookup_device=device_lookup(session)
            ).payload
        records = [r for r in payload["records"] if r["table"] == "client"]
        records[0]["data"]["family_name"] = "Hadad"
        data = seal_package(
            {"schema": 1, "records": records},
            keys=device_keys(other.device),
            recipient=supervisor_keys.public(),
            sequence=1,
            created_at=dt.datetime.now(dt.UTC),
        )
        concurrent = tmp_path / "other.wgw"
        concurrent.write_bytes(data)
        result = SupervisorImportService.for_profile(pair.supervisor).import_paths([concurrent])
        assert [(o.status, o.conflicts) for o in result.outcomes] == [("conflict", 1)]
        with pair.supervisor.store().session() as session:
            copy = session.get(Client, client.id)
            assert copy is not None and copy.family_name == "Khoury"
    finally:
        other.device.close()
        other.supervisor.close()
