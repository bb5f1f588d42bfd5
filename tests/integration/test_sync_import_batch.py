"""apply_packages: a batch in one transaction, each package in its own savepoint and still all or
nothing; a refused package leaves nothing behind and the others go in."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sync_helpers import Pair, add_client, pushed_package

from app.models.client import Case, Client, Household
from app.models.journal import AuditEntry
from app.models.sync_state import ImportedPackage, RecordOrigin
from app.services import sync
from app.sync.envelope import open_package, seal_package
from app.sync.errors import PackageRefused, RefusalReason
from app.sync.importer import (
    OUTCOME_DUPLICATE,
    OUTCOME_IMPORTED,
    ApplyResult,
    apply_packages,
    trusted_devices,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _count(pair: Pair, model: type) -> int:
    with pair.supervisor.store().session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_batch_applies_the_good_packages_and_leaves_nothing_of_a_refused_one(pair: Pair) -> None:
    add_client(pair.device, "1111111111", "Haddad")
    first = pushed_package(pair)
    add_client(pair.device, "2222222222", "Tesfaye")
    second = pushed_package(pair)
    add_client(pair.device, "3333333333", "Ahmadi")
    third = pushed_package(pair)
    supervisor_keys = sync.device_keys(pair.supervisor)
    device_keys = sync.device_keys(pair.device)
    with pair.supervisor.store().session() as session:
        devices = trusted_devices(session)
    # The third client without its household: the client's reference has nothing to point at.
    payload = open_package(third, keys=supervisor_keys, lookup_device=devices.get).payload
    payload["records"] = [r for r in payload["records"] if r["table"] != "household"]
    payload["sequence"] = 90
    orphan = seal_package(
        payload, keys=device_keys, recipient=supervisor_keys.public(), sequence=90, created_at=NOW
    )
    flipped = bytearray(second)
    flipped[len(flipped) // 2] ^= 0x10

    results = apply_packages(
        pair.supervisor.store(),
        [first, bytes(flipped), orphan, second, first],
        supervisor_keys,
        now=NOW,
        lookup_device=devices.get,
    )

    kinds = [r.outcome if isinstance(r, ApplyResult) else r.reason for r in results]
    assert kinds == [
        OUTCOME_IMPORTED,
        RefusalReason.TAMPERED,
        RefusalReason.MISSING_REFERENCE,
        OUTCOME_IMPORTED,
        OUTCOME_DUPLICATE,
    ]
    assert all(isinstance(r, PackageRefused) for r in results[1:3])
    with pair.supervisor.store().session() as session:
        assert sorted(session.scalars(select(Client.v_nummer))) == ["1111111111", "2222222222"]
        assert session.scalar(select(func.count()).select_from(Household)) == 2
        assert session.scalar(select(func.count()).select_from(Case)) == 2
        # Nothing of the refused orphan: no package row, no origin, no audit line.
        assert sorted(session.scalars(select(ImportedPackage.sequence))) == sorted(
            r.sequence for r in results if isinstance(r, ApplyResult) and r.outcome == OUTCOME_IMPORTED
        )
        assert 90 not in set(session.scalars(select(ImportedPackage.sequence)))
        origins = session.scalar(select(func.count()).select_from(RecordOrigin))
        audited = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.actor == "synchronisatie")
        )
    assert origins == audited == 6  # household, client and case of two clients

    # The orphan with its household comes in later as the real package of that change.
    (again,) = apply_packages(pair.supervisor.store(), [third], supervisor_keys, lookup_device=devices.get)
    assert isinstance(again, ApplyResult) and again.outcome == OUTCOME_IMPORTED
    assert _count(pair, Client) == 3
