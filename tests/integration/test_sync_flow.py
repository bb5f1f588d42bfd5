"""Device and supervisor with real SQLCipher profiles and a folder target: push, import, receipts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sync_helpers import Pair, add_client

from app.models.client import Client
from app.models.journal import ChangeJournalEntry
from app.models.sync_state import ImportedPackage, OutboxPackage, RecordOrigin, SyncConflict
from app.services.sync import (
    ConflictDecision,
    ConflictService,
    PushService,
    SupervisorImportService,
    SyncError,
    SyncKeysService,
    SyncStatusService,
    SyncTargetService,
    device_keys,
)
from app.sync.records import serialise


def test_push_import_receipt_round_trip(pair: Pair) -> None:
    client = add_client(pair.device, "1234567890", "Haddad")
    first = PushService.for_profile(pair.device).push(str(pair.target))
    assert first.ok and first.packaged == 1 and len(first.sent) == 1
    assert SyncStatusService.for_profile(pair.device).status().pending_changes == 0
    summary = SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
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
        assert origin is not None and origin.device_id == device_keys(pair.device).device_id
    # Receipts travel back; the next push marks the package delivered and empties the outbox.
    second = PushService.for_profile(pair.device).push()
    assert second.delivered == [1] and second.pending == 0
    assert not any((pair.device.data_dir / "outbox").iterdir())
    status = SyncStatusService.for_profile(pair.device).status()
    assert status.undelivered_packages == 0 and status.last_receipt is not None


def test_reimport_is_a_duplicate_and_changes_nothing(pair: Pair) -> None:
    add_client(pair.device, "1234567890", "Haddad")
    PushService.for_profile(pair.device).push(str(pair.target))
    package = next((pair.target / "inbox").iterdir())
    kept = package.read_bytes()
    SupervisorImportService.for_profile(pair.supervisor).import_paths([package])
    with pair.supervisor.store().session() as session:
        before = [serialise(c) for c in session.scalars(select(Client))]
    copy = pair.target / "again.wgw"
    copy.write_bytes(kept)
    again = SupervisorImportService.for_profile(pair.supervisor).import_paths([copy])
    assert [o.status for o in again.outcomes] == ["duplicate"]
    with pair.supervisor.store().session() as session:
        assert [serialise(c) for c in session.scalars(select(Client))] == before
        assert session.scalar(select(func.count()).select_from(ImportedPackage)) == 1


def test_updates_travel_and_a_stale_edit_becomes_a_conflict(pair: Pair) -> None:
    client = add_client(pair.device, "1234567890", "Haddad")
    PushService.for_profile(pair.device).push(str(pair.target))
    SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
    with pair.device.store().session(actor="Karin") as session:
        record = session.get(Client, client.id)
        assert record is not None
        record.family_name = "Haddad-Khoury"
    PushService.for_profile(pair.device).push()
    result = SupervisorImportService.for_profile(pair.supervisor).import_from_target(
        SyncTargetService.for_profile(pair.device).transport()
    )
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
    PushService.for_profile(pair.device).push()
    result = SupervisorImportService.for_profile(pair.supervisor).import_from_target(
        SyncTargetService.for_profile(pair.device).transport()
    )
    assert [o.status for o in result.outcomes] == ["conflict"]
    conflicts = ConflictService.for_profile(pair.supervisor).open_conflicts()
    assert len(conflicts) == 1
    fields = {d.field: (d.local, d.incoming) for d in conflicts[0].differences}
    assert fields == {"given_names": ("Amaal", "Amal"), "birth_date": ("1990-05", "1990-05-17")}
    with pair.supervisor.store().session() as session:
        copy = session.get(Client, client.id)
        assert copy is not None and copy.given_names == "Amaal" and copy.birth_date == "1990-05"
        assert session.scalar(select(func.count()).select_from(SyncConflict)) == 1
    assert "Haddad-Khoury (1234567890)" in conflicts[0].label and conflicts[0].device_name == "Karin"
    decisions = ConflictService.for_profile(pair.supervisor)
    with pytest.raises(SyncError, match="Kies welke versie blijft"):
        decisions.resolve(conflicts[0].id, "both")
    assert len(decisions.open_conflicts()) == 1  # a refused decision changes nothing
    decisions.resolve(conflicts[0].id, ConflictDecision.KEEP_INCOMING)
    assert decisions.open_conflicts() == []
    with pytest.raises(SyncError, match="al opgelost"):
        decisions.resolve(conflicts[0].id, ConflictDecision.KEEP_LOCAL)
    with pair.supervisor.store().session() as session:
        resolution = session.scalar(select(SyncConflict.resolution))
        assert resolution == "incoming"  # the stored value stays the same word as before the enum
    with pair.supervisor.store().session() as session:
        copy = session.get(Client, client.id)
        assert copy is not None and (copy.given_names, copy.birth_date) == ("Amal", "1990-05-17")
        assert copy.version == 4  # the supervisor's 3, plus the resolution


def test_unreachable_target_keeps_everything_pending(pair: Pair, tmp_path: Path) -> None:
    add_client(pair.device, "1234567890", "Haddad")
    result = PushService.for_profile(pair.device).push(str(tmp_path / "stick-not-inserted"))
    assert not result.ok and result.error and "niet bereikbaar" in result.error
    assert result.pending == 1
    with pair.device.store().session() as session:
        assert session.scalar(select(func.count()).select_from(OutboxPackage)) == 1
        states = set(session.scalars(select(ChangeJournalEntry.sync_state)))
        assert states == {"packaged"}
    # A target that did not work is not kept; the next push names it again.
    assert SyncTargetService.for_profile(pair.device).configured() is None
    (tmp_path / "stick-not-inserted").mkdir()
    again = PushService.for_profile(pair.device).push(str(tmp_path / "stick-not-inserted"))
    assert again.ok and len(again.sent) == 1


def test_missing_package_at_target_is_sent_again(pair: Pair) -> None:
    add_client(pair.device, "1234567890", "Haddad")
    PushService.for_profile(pair.device).push(str(pair.target))
    for file in (pair.target / "inbox").iterdir():
        file.unlink()
    again = PushService.for_profile(pair.device).push()
    assert len(again.sent) == 1 and again.pending == 1


def test_same_v_nummer_from_two_devices_is_held_back_as_conflicts(pair: Pair) -> None:
    from sync_helpers import make_pair

    from app.models.client import Case, Household

    other = make_pair(pair.folder / "tweede")
    try:
        # A second klantmanager, registered with the same supervisor, has the same person.
        SyncKeysService.for_profile(pair.supervisor).export_public(pair.folder / "sup-again.json")
        SyncKeysService.for_profile(other.device).trust_supervisor(pair.folder / "sup-again.json")
        SyncKeysService.for_profile(other.device).export_public(pair.folder / "km2.json")
        SyncKeysService.for_profile(pair.supervisor).register_device(pair.folder / "km2.json")
        first = add_client(pair.device, "1234567890", "Haddad")
        second = add_client(other.device, "1234567890", "Hadad")
        PushService.for_profile(pair.device).push(str(pair.target))
        PushService.for_profile(other.device).push(str(pair.target))
        summary = SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
        outcomes = sorted((o.status, o.conflicts) for o in summary.outcomes)
        # A household label is not unique (migration 0005): only the client and its case wait.
        assert outcomes == [("conflict", 2), ("imported", 0)]
        with pair.supervisor.store().session() as session:
            # Packages are imported in name order: whichever came first is here, the other waits.
            kept = [c.id for c in session.scalars(select(Client))]
            assert len(kept) == 1 and kept[0] in {first.id, second.id}
            assert session.scalar(select(func.count()).select_from(Household)) == 2
            assert session.scalar(select(func.count()).select_from(Case)) == 1
        conflicts = {c.entity_type: c for c in ConflictService.for_profile(pair.supervisor).open_conflicts()}
        assert set(conflicts) == {"client", "client_case"}
        fields = {d.field for d in conflicts["client"].differences}
        assert {"id", "family_name"} <= fields
        # Both devices get their receipt: nothing is sent again and again.
        assert PushService.for_profile(other.device).push().pending == 0
        assert PushService.for_profile(pair.device).push().pending == 0
    finally:
        other.device.close()
        other.supervisor.close()


def test_deletions_travel_as_tombstones(pair: Pair) -> None:
    from app.models.client import Case

    client = add_client(pair.device, "1234567890", "Haddad")
    PushService.for_profile(pair.device).push(str(pair.target))
    SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
    with pair.device.store().session(actor="Karin") as session:
        case = session.scalars(select(Case).where(Case.client_id == client.id)).one()
        session.delete(case)
    PushService.for_profile(pair.device).push()
    summary = SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
    assert [(o.status, o.records) for o in summary.outcomes] == [("imported", 1)]
    with pair.supervisor.store().session() as session:
        assert session.scalars(select(Case)).all() == []
        assert session.get(Client, client.id) is not None


def test_a_new_supervisor_key_repackages_what_was_not_delivered(pair: Pair, tmp_path: Path) -> None:
    from sync_helpers import make_pair

    add_client(pair.device, "1234567890", "Haddad")
    PushService.for_profile(pair.device).push(
        str(pair.target)
    )  # sealed for the old supervisor, not yet imported
    for file in (pair.target / "inbox").iterdir():
        file.unlink()
    other = make_pair(tmp_path / "opvolger")
    successor = other.supervisor
    try:
        SyncKeysService.for_profile(successor).export_public(tmp_path / "opvolger.json")
        SyncKeysService.for_profile(pair.device).trust_supervisor(tmp_path / "opvolger.json")
        SyncKeysService.for_profile(pair.device).export_public(tmp_path / "km-again.json")
        SyncKeysService.for_profile(successor).register_device(tmp_path / "km-again.json")
        assert SyncStatusService.for_profile(pair.device).status().undelivered_packages == 0
        assert SyncStatusService.for_profile(pair.device).status().pending_changes == 3
        result = PushService.for_profile(pair.device).push()
        assert result.packaged == 1 and len(result.sent) == 1
        summary = SupervisorImportService.for_profile(successor).import_paths([pair.target])
        assert [(o.status, o.records) for o in summary.outcomes] == [("imported", 3)]
    finally:
        other.device.close()
        successor.close()


def test_forged_or_mismatched_receipts_are_ignored(pair: Pair) -> None:
    from app.sync.keys import DeviceKeys
    from app.sync.receipts import make_receipt, receipt_name

    add_client(pair.device, "1234567890", "Haddad")
    PushService.for_profile(pair.device).push(str(pair.target))
    device_id = device_keys(pair.device).device_id
    with pair.device.store().session() as session:
        package = session.scalars(select(OutboxPackage)).one()
        content_hash = package.content_hash
    receipts = pair.target / "receipts"
    # Signed by a stranger, and signed by the supervisor for other content: neither counts.
    forged = make_receipt(DeviceKeys.generate(), device_id, 1, content_hash, "imported", package.created_at)
    (receipts / receipt_name(device_id, 1)).write_bytes(forged)
    assert PushService.for_profile(pair.device).push().delivered == []
    wrong = make_receipt(device_keys(pair.supervisor), device_id, 1, "0" * 64, "imported", package.created_at)
    (receipts / receipt_name(device_id, 1)).write_bytes(wrong)
    result = PushService.for_profile(pair.device).push()
    assert result.delivered == [] and result.pending == 1
    assert SyncStatusService.for_profile(pair.device).status().last_receipt is None


def test_a_batch_is_committed_durably_before_its_receipts_and_the_inbox_emptied(pair: Pair) -> None:
    from sqlalchemy import event

    for number in ("1234567890", "1234567891", "1234567892"):
        add_client(pair.device, number, "Haddad")
        PushService.for_profile(pair.device).package_changes()
    assert len(PushService.for_profile(pair.device).push(str(pair.target)).sent) == 3
    store = pair.supervisor.store()
    seen: list[tuple[int, int, int]] = []

    def at_commit(connection) -> None:  # type: ignore[no-untyped-def]
        level = connection.exec_driver_sql("PRAGMA synchronous").scalar()
        inbox = len(list((pair.target / "inbox").iterdir()))
        seen.append((level, inbox, len(list((pair.target / "receipts").iterdir()))))

    event.listen(store.engine, "commit", at_commit)
    try:
        summary = SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
    finally:
        event.remove(store.engine, "commit", at_commit)
    assert [o.status for o in summary.outcomes] == ["imported"] * 3
    # The batch's commit syncs the log (FULL) while the packages are still in the inbox, unreceipted.
    assert (2, 3, 0) in seen
    # The device announces batch receipts in its packages (docs/sync.md): one receipt for the batch.
    from app.sync.receipts import parse_receipts

    written = list((pair.target / "receipts").iterdir())
    assert [
        p.name.startswith(f"{device_keys(pair.device).device_id}-0000000001-0000000003-") for p in written
    ] == [True]
    supervisor_keys = device_keys(pair.supervisor).public()
    assert [r.sequence for r in parse_receipts(written[0].read_bytes(), supervisor_keys)] == [1, 2, 3]
    assert list((pair.target / "inbox").iterdir()) == []
    with store.engine.connect() as connection:  # the store's other commits stay NORMAL
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1
    assert PushService.for_profile(pair.device).push(str(pair.target)).ok
    assert SyncStatusService.for_profile(pair.device).status().undelivered_packages == 0
