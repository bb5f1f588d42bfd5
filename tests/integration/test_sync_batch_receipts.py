"""Batch receipts (wegwijs-receipt version 2): one signed file per device per import batch. A device
says in its package headers that it reads them; one that does not (an older Wegwijs) gets one
version 1 receipt per package. Real profiles, real files, the supervisor's real keys."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sync_helpers import Pair, add_client

from app.models.sync_state import OutboxPackage
from app.services.sync import PushService, SupervisorImportService, SyncStatusService, device_keys
from app.sync.envelope import open_package, package_name, seal_package, split_package
from app.sync.importer import trusted_devices
from app.sync.keys import DeviceKeys
from app.sync.receipts import (
    Delivered,
    batch_receipt_name,
    make_batch_receipt,
    make_receipt,
    parse_receipt,
    parse_receipts,
    receipt_name,
)

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _push_three(pair: Pair) -> list[str]:
    for number in ("1234567890", "1234567891", "1234567892"):
        add_client(pair.device, number, "Haddad")
        PushService.for_profile(pair.device).package_changes()
    sent = PushService.for_profile(pair.device).push(str(pair.target)).sent
    assert len(sent) == 3
    return sent


def _hashes(pair: Pair) -> dict[int, str]:
    with pair.device.store().session() as session:
        return {p.sequence: p.content_hash for p in session.query(OutboxPackage)}


def _receipts(pair: Pair) -> list[Path]:
    return sorted((pair.target / "receipts").iterdir())


def test_the_device_announces_batch_receipts_and_reads_both_forms(pair: Pair) -> None:
    sent = _push_three(pair)
    header = split_package((pair.target / "inbox" / sent[0]).read_bytes()).header
    assert header.receipt_versions == (1, 2)
    device_id = device_keys(pair.device).device_id
    supervisor = device_keys(pair.supervisor)
    hashes = _hashes(pair)
    # Sequence 1 answered the old way, 2 and 3 by one batch receipt: the device takes both.
    (pair.target / "receipts" / receipt_name(device_id, 1)).write_bytes(
        make_receipt(supervisor, device_id, 1, hashes[1], "imported", NOW)
    )
    covered = [Delivered(n, hashes[n], "imported") for n in (2, 3)]
    batch = make_batch_receipt(supervisor, device_id, covered, NOW)
    (pair.target / "receipts" / batch_receipt_name(device_id, covered, batch)).write_bytes(batch)
    result = PushService.for_profile(pair.device).push()
    assert sorted(result.delivered) == [1, 2, 3] and result.pending == 0
    assert _receipts(pair) == []  # both kinds are cleared once taken
    assert SyncStatusService.for_profile(pair.device).status().undelivered_packages == 0


def test_an_import_answers_a_batch_with_one_receipt_and_a_resend_again(pair: Pair) -> None:
    _push_three(pair)
    summary = SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
    assert [o.status for o in summary.outcomes] == ["imported"] * 3
    written = _receipts(pair)
    assert len(written) == 1
    supervisor = device_keys(pair.supervisor).public()
    assert [(r.sequence, r.outcome) for r in parse_receipts(written[0].read_bytes(), supervisor)] == [
        (1, "imported"),
        (2, "imported"),
        (3, "imported"),
    ]
    # The receipt is lost before the device sees it: the device sends all three again, and the
    # resent duplicates are answered (again in one receipt) so it stops.
    written[0].unlink()
    assert len(PushService.for_profile(pair.device).push().sent) == 3
    again = SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
    assert [o.status for o in again.outcomes] == ["duplicate"] * 3
    assert len(_receipts(pair)) == 1
    assert sorted(PushService.for_profile(pair.device).push().delivered) == [1, 2, 3]
    assert SyncStatusService.for_profile(pair.device).status().undelivered_packages == 0


def test_a_device_that_does_not_announce_them_gets_one_receipt_per_package(pair: Pair) -> None:
    sent = _push_three(pair)
    keys, supervisor = device_keys(pair.device), device_keys(pair.supervisor)
    with pair.supervisor.store().session() as session:
        devices = trusted_devices(session)
    # The same packages as an older Wegwijs makes them: no `receipts` in the header.
    for name in sent:
        path = pair.target / "inbox" / name
        opened = open_package(path.read_bytes(), keys=supervisor, lookup_device=devices.get)
        payload = {k: v for k, v in opened.payload.items() if k not in ("device_id", "sequence")}
        old = seal_package(
            payload,
            keys=keys,
            recipient=supervisor.public(),
            sequence=opened.header.sequence,
            created_at=opened.header.created_at,
        )
        assert b'"receipts"' not in old[:400] and split_package(old).header.receipt_versions == ()
        path.write_bytes(old)
    summary = SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
    assert [o.status for o in summary.outcomes] == ["imported"] * 3
    names = [p.name for p in _receipts(pair)]
    assert names == [receipt_name(keys.device_id, n) for n in (1, 2, 3)]
    # Each is a version 1 receipt, which an older device's reader (v1 only) accepts.
    for path, number in zip(_receipts(pair), (1, 2, 3), strict=True):
        receipt = parse_receipt(path.read_bytes(), supervisor.public())
        assert receipt is not None and receipt.sequence == number


def test_a_tampered_or_forged_batch_receipt_is_refused(pair: Pair) -> None:
    _push_three(pair)
    SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
    [written] = _receipts(pair)
    genuine = written.read_bytes()
    # One byte of the signed message changed (an outcome, a sequence): the signature no longer holds.
    tampered = genuine.replace(b'"sequence":3', b'"sequence":4')
    assert tampered != genuine
    written.write_bytes(tampered)
    result = PushService.for_profile(pair.device).push()
    assert result.delivered == [] and result.pending == 3
    # Signed by a stranger's key: not the trusted supervisor.
    device_id = device_keys(pair.device).device_id
    hashes = _hashes(pair)
    covered = [Delivered(n, hashes[n], "imported") for n in (1, 2, 3)]
    written.write_bytes(make_batch_receipt(DeviceKeys.generate(), device_id, covered, NOW))
    assert PushService.for_profile(pair.device).push().delivered == []
    assert SyncStatusService.for_profile(pair.device).status().last_receipt is None
    # The genuine one still counts.
    written.write_bytes(genuine)
    assert sorted(PushService.for_profile(pair.device).push().delivered) == [1, 2, 3]


def test_a_refused_package_is_not_marked_delivered_by_its_batch_receipt(pair: Pair) -> None:
    sent = _push_three(pair)
    device_id = device_keys(pair.device).device_id
    hashes = _hashes(pair)
    # Package 2 is damaged on the way: one byte of its ciphertext flipped.
    damaged = pair.target / "inbox" / sent[1]
    data = bytearray(damaged.read_bytes())
    data[-100] ^= 0xFF
    damaged.write_bytes(bytes(data))
    summary = SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
    assert [o.status for o in summary.outcomes] == ["imported", "refused", "imported"]
    [written] = _receipts(pair)
    supervisor = device_keys(pair.supervisor)
    assert [r.sequence for r in parse_receipts(written.read_bytes(), supervisor.public())] == [1, 3]
    result = PushService.for_profile(pair.device).push()
    assert sorted(result.delivered) == [1, 3]
    assert result.sent == [package_name(device_id, 2)]  # sent again: it never arrived whole
    # A batch receipt naming sequence 2 with the content of another package (the damaged copy's
    # hash, or any other) does not mark it delivered either; its genuine entries still count.
    covered = [Delivered(2, "0" * 64, "imported"), Delivered(1, hashes[1], "imported")]
    batch = make_batch_receipt(supervisor, device_id, covered, NOW)
    (pair.target / "receipts" / batch_receipt_name(device_id, covered, batch)).write_bytes(batch)
    assert PushService.for_profile(pair.device).push().delivered == []
    with pair.device.store().session() as session:
        assert session.get(OutboxPackage, 2).delivered_at is None  # type: ignore[union-attr]
    again = SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
    assert [o.status for o in again.outcomes] == ["imported"]
    assert PushService.for_profile(pair.device).push().delivered == [2]
    assert SyncStatusService.for_profile(pair.device).status().undelivered_packages == 0
