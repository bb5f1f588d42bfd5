# ruff: noqa: F811  (pytest fixtures imported from test_sync_support)
"""Device and supervisor with real SQLCipher profiles and a folder target: push, import, receipts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from test_sync_support import Pair, add_client, pair  # noqa: F401

from app.models.client import Client
from app.models.journal import ChangeJournalEntry
from app.models.sync_state import ImportedPackage, OutboxPackage, RecordOrigin, SyncConflict
from app.services import sync
from app.sync.records import serialise


def test_push_import_receipt_round_trip(pair: Pair) -> None:
    client = add_client(pair.device, "1234567890", "Haddad")
    first = sync.push(pair.device, str(pair.target))
    assert first.ok and first.packaged == 1 and len(first.sent) == 1
    assert sync.sync_status(pair.device).pending_changes == 0
    summary = sync.import_paths(pair.supervisor, [pair.target])
    assert [o.status for o in summary.outcomes] == ["imported"]
    assert summary.outcomes[0].records == 3
    with pair.supervisor.store().session() as session:
        copy = session.get(Client, client.id)
        assert copy is not None
        with pair.device.store().session() as device_session:
            original = device_session.get(Client, client.id)
            assert original is not None
            assert serialise(copy) == serialise(original)
        origin = session.get(RecordOrigin, ("client", client.id))
        assert origin is not None and origin.device_id == sync.device_keys(pair.device).device_id
    # Receipts travel back; the next push marks the package delivered and empties the outbox.
    second = sync.push(pair.device)
    assert second.delivered == [1] and second.pending == 0
    assert not any((pair.device.data_dir / "outbox").iterdir())
    status = sync.sync_status(pair.device)
    assert status.undelivered_packages == 0 and status.last_receipt is not None


def test_reimport_is_a_duplicate_and_changes_nothing(pair: Pair) -> None:
    add_client(pair.device, "1234567890", "Haddad")
    sync.push(pair.device, str(pair.target))
    package = next((pair.target / "inbox").iterdir())
    kept = package.read_bytes()
    sync.import_paths(pair.supervisor, [package])
    with pair.supervisor.store().session() as session:
        before = [serialise(c) for c in session.scalars(select(Client))]
    copy = pair.target / "again.wgw"
    copy.write_bytes(kept)
    again = sync.import_paths(pair.supervisor, [copy])
    assert [o.status for o in again.outcomes] == ["duplicate"]
    with pair.supervisor.store().session() as session:
        assert [serialise(c) for c in session.scalars(select(Client))] == before
        assert session.scalar(select(func.count()).select_from(ImportedPackage)) == 1


def test_updates_travel_and_a_stale_edit_becomes_a_conflict(pair: Pair) -> None:
    client = add_client(pair.device, "1234567890", "Haddad")
    sync.push(pair.device, str(pair.target))
    sync.import_paths(pair.supervisor, [pair.target])
    with pair.device.store().session(actor="Karin") as session:
        record = session.get(Client, client.id)
        assert record is not None
        record.family_name = "Haddad-Khoury"
    sync.push(pair.device)
    result = sync.import_from_target(pair.supervisor, sync.target_transport(pair.device))
    assert [o.status for o in result.outcomes] == ["imported"]
    with pair.supervisor.store().session() as session:
        copy = session.get(Client, client.id)
        assert copy is not None and copy.family_name == "Haddad-Khoury" and copy.version == 2
    # The supervisor edits too; the device's next edit started from version 2: a conflict.
    with pair.supervisor.store().session(actor="Sam") as session:
        copy = session.get(Client, client.id)
        assert copy is not None
        copy.given_names = "Amaal"
    with pair.device.store().session(actor="Karin") as session:
        record = session.get(Client, client.id)
        assert record is not None
        record.birth_date = "1990-05-17"
    sync.push(pair.device)
    result = sync.import_from_target(pair.supervisor, sync.target_transport(pair.device))
    assert [o.status for o in result.outcomes] == ["conflict"]
    conflicts = sync.open_conflicts(pair.supervisor)
    assert len(conflicts) == 1
    fields = {d["field"]: (d["local"], d["incoming"]) for d in conflicts[0].differences}
    assert fields == {"given_names": ("Amaal", "Amal"), "birth_date": ("1990-05", "1990-05-17")}
    with pair.supervisor.store().session() as session:
        copy = session.get(Client, client.id)
        assert copy is not None and copy.given_names == "Amaal" and copy.birth_date == "1990-05"
        assert session.scalar(select(func.count()).select_from(SyncConflict)) == 1
    assert "Haddad-Khoury (1234567890)" in conflicts[0].label and conflicts[0].device_name == "Karin"
    sync.resolve_conflict(pair.supervisor, conflicts[0].id, sync.KEEP_INCOMING)
    assert sync.open_conflicts(pair.supervisor) == []
    with pair.supervisor.store().session() as session:
        copy = session.get(Client, client.id)
        assert copy is not None and (copy.given_names, copy.birth_date) == ("Amal", "1990-05-17")
        assert copy.version == 4  # the supervisor's 3, plus the resolution


def test_unreachable_target_keeps_everything_pending(pair: Pair, tmp_path: Path) -> None:
    add_client(pair.device, "1234567890", "Haddad")
    result = sync.push(pair.device, str(tmp_path / "stick-not-inserted"))
    assert not result.ok and result.error and "niet bereikbaar" in result.error
    assert result.pending == 1
    with pair.device.store().session() as session:
        assert session.scalar(select(func.count()).select_from(OutboxPackage)) == 1
        states = set(session.scalars(select(ChangeJournalEntry.sync_state)))
        assert states == {"packaged"}
    # A target that did not work is not kept; the next push names it again.
    assert sync.configured_target(pair.device) is None
    (tmp_path / "stick-not-inserted").mkdir()
    again = sync.push(pair.device, str(tmp_path / "stick-not-inserted"))
    assert again.ok and len(again.sent) == 1


def test_missing_package_at_target_is_sent_again(pair: Pair) -> None:
    add_client(pair.device, "1234567890", "Haddad")
    sync.push(pair.device, str(pair.target))
    for file in (pair.target / "inbox").iterdir():
        file.unlink()
    again = sync.push(pair.device)
    assert len(again.sent) == 1 and again.pending == 1


def test_same_v_nummer_from_two_devices_is_held_back_as_conflicts(pair: Pair) -> None:
    from test_sync_support import make_pair

    from app.models.client import Case, Household

    other = make_pair(pair.folder / "tweede")
    try:
        # A second klantmanager, registered with the same supervisor, has the same person.
        sync.export_public_keys(pair.supervisor, pair.folder / "sup-again.json")
        sync.trust_supervisor(other.device, pair.folder / "sup-again.json")
        sync.export_public_keys(other.device, pair.folder / "km2.json")
        sync.register_device(pair.supervisor, pair.folder / "km2.json")
        first = add_client(pair.device, "1234567890", "Haddad")
        second = add_client(other.device, "1234567890", "Hadad")
        sync.push(pair.device, str(pair.target))
        sync.push(other.device, str(pair.target))
        summary = sync.import_paths(pair.supervisor, [pair.target])
        outcomes = sorted((o.status, o.conflicts) for o in summary.outcomes)
        # A household label is not unique (migration 0005): only the client and its case wait.
        assert outcomes == [("conflict", 2), ("imported", 0)]
        with pair.supervisor.store().session() as session:
            # Packages are imported in name order: whichever came first is here, the other waits.
            kept = [c.id for c in session.scalars(select(Client))]
            assert len(kept) == 1 and kept[0] in {first.id, second.id}
            assert session.scalar(select(func.count()).select_from(Household)) == 2
            assert session.scalar(select(func.count()).select_from(Case)) == 1
        conflicts = {c.entity_type: c for c in sync.open_conflicts(pair.supervisor)}
        assert set(conflicts) == {"client", "client_case"}
        fields = {d["field"] for d in conflicts["client"].differences}
        assert {"id", "family_name"} <= fields
        # Both devices get their receipt: nothing is sent again and again.
        assert sync.push(other.device).pending == 0
        assert sync.push(pair.device).pending == 0
    finally:
        other.device.close()
        other.supervisor.close()


def test_deletions_travel_as_tombstones(pair: Pair) -> None:
    from app.models.client import Case

    client = add_client(pair.device, "1234567890", "Haddad")
    sync.push(pair.device, str(pair.target))
    sync.import_paths(pair.supervisor, [pair.target])
    with pair.device.store().session(actor="Karin") as session:
        case = session.scalars(select(Case).where(Case.client_id == client.id)).one()
        session.delete(case)
    sync.push(pair.device)
    summary = sync.import_paths(pair.supervisor, [pair.target])
    assert [(o.status, o.records) for o in summary.outcomes] == [("imported", 1)]
    with pair.supervisor.store().session() as session:
        assert session.scalars(select(Case)).all() == []
        assert session.get(Client, client.id) is not None


def test_a_new_supervisor_key_repackages_what_was_not_delivered(pair: Pair, tmp_path: Path) -> None:
    from test_sync_support import make_pair

    add_client(pair.device, "1234567890", "Haddad")
    sync.push(pair.device, str(pair.target))  # sealed for the old supervisor, not yet imported
    for file in (pair.target / "inbox").iterdir():
        file.unlink()
    other = make_pair(tmp_path / "opvolger")
    successor = other.supervisor
    try:
        sync.export_public_keys(successor, tmp_path / "opvolger.json")
        sync.trust_supervisor(pair.device, tmp_path / "opvolger.json")
        sync.export_public_keys(pair.device, tmp_path / "km-again.json")
        sync.register_device(successor, tmp_path / "km-again.json")
        assert sync.sync_status(pair.device).undelivered_packages == 0
        assert sync.sync_status(pair.device).pending_changes == 3
        result = sync.push(pair.device)
        assert result.packaged == 1 and len(result.sent) == 1
        summary = sync.import_paths(successor, [pair.target])
        assert [(o.status, o.records) for o in summary.outcomes] == [("imported", 3)]
    finally:
        other.device.close()
        successor.close()


def test_forged_or_mismatched_receipts_are_ignored(pair: Pair) -> None:
    from app.sync.keys import DeviceKeys
    from app.sync.receipts import make_receipt, receipt_name

    add_client(pair.device, "1234567890", "Haddad")
    sync.push(pair.device, str(pair.target))
    device_id = sync.device_keys(pair.device).device_id
    with pair.device.store().session() as session:
        package = session.scalars(select(OutboxPackage)).one()
        content_hash = package.content_hash
    receipts = pair.target / "receipts"
    # Signed by a stranger, and signed by the supervisor for other content: neither counts.
    forged = make_receipt(DeviceKeys.generate(), device_id, 1, content_hash, "imported", package.created_at)
    (receipts / receipt_name(device_id, 1)).write_bytes(forged)
    assert sync.push(pair.device).delivered == []
    wrong = make_receipt(
        sync.device_keys(pair.supervisor), device_id, 1, "0" * 64, "imported", package.created_at
    )
    (receipts / receipt_name(device_id, 1)).write_bytes(wrong)
    result = sync.push(pair.device)
    assert result.delivered == [] and result.pending == 1
    assert sync.sync_status(pair.device).last_receipt is None
