"""apply_packages in groups: a batch with more records than one group holds goes in group after group
in the batch's order, a package touching a record of an earlier package of the batch waits its turn,
and the times written on the fast path are stored exactly as SQLAlchemy's own statement stores them."""

from __future__ import annotations

import datetime as dt
import gc
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sync_helpers import Pair, add_client, pushed_package

from app.models.base import Base
from app.models.client import Client
from app.models.journal import AuditEntry
from app.models.sync_state import ImportedPackage, RecordOrigin
from app.services import sync
from app.services.sync import PushService
from app.sync.apply_writes import insert_many
from app.sync.importer import OUTCOME_IMPORTED, ApplyResult, apply_packages, trusted_devices

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("limit", [1, 4, 7, 4000])
def test_groups_keep_the_batch_order_and_every_package_goes_in(pair: Pair, limit: int) -> None:
    first = add_client(pair.device, "1111111111", "Haddad")
    packages = [pushed_package(pair)]
    for number, name in (("2222222222", "Tesfaye"), ("3333333333", "Ahmadi")):
        add_client(pair.device, number, name)
        packages.append(pushed_package(pair))
    with pair.device.store().session(actor="test") as session:
        client = session.get(Client, first.id)
        assert client is not None
        client.family_name = "Haddad-Nasser"
    packages.append(pushed_package(pair))  # the first client again, changed: after the first package
    add_client(pair.device, "4444444444", "Yonas")
    packages.append(pushed_package(pair))
    keys = sync.device_keys(pair.supervisor)
    with pair.supervisor.store().session() as session:
        devices = trusted_devices(session)

    results = apply_packages(
        pair.supervisor.store(), packages, keys, now=NOW, lookup_device=devices.get, together_records=limit
    )

    assert [r.outcome if isinstance(r, ApplyResult) else r for r in results] == [OUTCOME_IMPORTED] * 5
    with pair.supervisor.store().session() as session:
        names = dict(session.execute(select(Client.v_nummer, Client.family_name)).all())
        assert names == {
            "1111111111": "Haddad-Nasser",
            "2222222222": "Tesfaye",
            "3333333333": "Ahmadi",
            "4444444444": "Yonas",
        }
        changed = session.get(Client, first.id)
        assert changed is not None and changed.version == 2
        origin = session.scalar(select(RecordOrigin.version).where(RecordOrigin.entity_id == first.id))
        assert origin == 2
        assert session.scalar(select(func.count()).select_from(ImportedPackage)) == 5
        audited = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.entity_id == first.id)
        )
        assert audited == 2  # created, then changed


TIMES = [
    datetime(2026, 12, 4, 12, 0, tzinfo=UTC),
    datetime(2026, 12, 4, 12, 0, 0, 1, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 59, 59, 999999, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    datetime(2026, 10, 25, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    datetime(2001, 1, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5, minutes=-30))),
    datetime(1000, 1, 1, 0, 0, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
]


def test_times_on_the_fast_path_are_stored_as_sqlalchemy_stores_them(pair: Pair) -> None:
    table = Base.metadata.tables[AuditEntry.__tablename__]

    def row(at: datetime, marker: str) -> dict[str, object]:
        return {
            "at": at, "actor": "test", "role": "supervisor", "action": marker,
            "entity_type": "client", "entity_id": uuid.uuid4(), "detail": "",
        }  # fmt: skip

    with pair.supervisor.store().session() as session:
        connection = session.connection()
        insert_many(connection, table.name, [row(at, "fast") for at in TIMES])
        connection.execute(insert(table), [row(at, "core") for at in TIMES])
        stored = connection.exec_driver_sql(
            "SELECT action, at FROM audit_log WHERE action IN ('fast', 'core') ORDER BY id"
        ).all()
        session.rollback()
    fast = [at for action, at in stored if action == "fast"]
    core = [at for action, at in stored if action == "core"]
    assert len(fast) == len(TIMES) and fast == core
    assert all(isinstance(text, str) for text in fast)


def test_a_time_without_a_zone_is_refused_on_the_fast_path_too(pair: Pair) -> None:
    table = Base.metadata.tables[AuditEntry.__tablename__]
    naive = {
        "at": datetime(2026, 12, 4, 12, 0), "actor": "test", "role": "supervisor", "action": "x",
        "entity_type": "client", "entity_id": uuid.uuid4(), "detail": "",
    }  # fmt: skip
    with pair.supervisor.store().session() as session:
        with pytest.raises(ValueError, match="tijdzone"):
            insert_many(session.connection(), table.name, [naive])
        session.rollback()


def test_a_batch_is_applied_without_the_cycle_collector_and_it_is_back_on_after(pair: Pair) -> None:
    # app/collector.py: a batch allocates some hundred thousand short-lived objects; the collector's
    # passes over them were a tenth of the import. Paused while packages are opened, on again after,
    # also when a package of the batch is refused (an exception inside the batch).
    add_client(pair.device, "1111111111", "Haddad")
    packages = [pushed_package(pair), b"WWP-kapot", b""]
    keys = sync.device_keys(pair.supervisor)
    with pair.supervisor.store().session() as session:
        devices = trusted_devices(session)
    collector_on_while_opening: list[bool] = []

    def lookup(device_id: str) -> Any:
        collector_on_while_opening.append(gc.isenabled())
        return devices.get(device_id)

    assert gc.isenabled()
    results = apply_packages(pair.supervisor.store(), packages, keys, now=NOW, lookup_device=lookup)

    assert isinstance(results[0], ApplyResult) and results[0].outcome == OUTCOME_IMPORTED
    assert [type(r).__name__ for r in results[1:]] == ["PackageRefused", "PackageRefused"]
    assert collector_on_while_opening == [False]  # the one package that got as far as its device
    assert gc.isenabled()


def test_the_import_service_leaves_the_cycle_collector_on(pair: Pair) -> None:
    add_client(pair.device, "1111111111", "Haddad")
    PushService.for_profile(pair.device).push(str(pair.target))
    (pair.target / "inbox" / "kapot.wwp").write_bytes(b"WWP-kapot")
    on_during_progress: list[bool] = []

    summary = sync.SupervisorImportService.for_profile(pair.supervisor).import_paths(
        [pair.target], progress=lambda done, total, outcome: on_during_progress.append(gc.isenabled())
    )

    assert sorted(o.status for o in summary.outcomes) == ["imported", "refused"]
    assert on_during_progress == [True, True]  # the window's progress is told with the collector on
    assert gc.isenabled()
