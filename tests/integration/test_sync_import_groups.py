"""apply_packages in groups: a batch with more records than one group holds goes in group after group
in the batch's order, a package touching a record of an earlier package of the batch waits its turn,
and the times written on the fast path are stored exactly as SQLAlchemy's own statement stores them."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert, select
from sync_helpers import Pair, add_client, pushed_package

from app.models.base import Base
from app.models.client import Client
from app.models.journal import AuditEntry
from app.models.sync_state import ImportedPackage, RecordOrigin
from app.services import sync
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
