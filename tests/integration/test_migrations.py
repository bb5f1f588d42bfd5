"""Store upgrades: every record of a first-revision store survives; a failed upgrade is undone."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from store_helpers import connect_with_key, sha256

import app.models.store as store_module
from app.models.client import Case, Client, Household
from app.models.journal import AuditEntry, ChangeJournalEntry
from app.models.store import STORE_FILE, Store, StoreError, head_revisions, key_check_value

FIRST_REVISION = "0001_foundation"
FOUNDATION_TABLES = ("household", "client", "client_case", "change_journal", "audit_log")
STAMP = "2025-03-01 08:30:00.000000"

HOUSEHOLDS = [
    {"id": uuid.UUID(int=1, version=4), "label": "COA-HH-0001"},
    {"id": uuid.UUID(int=2, version=4), "label": "Gezin Haile & Tesfay <test>"},
]
CLIENTS: list[dict[str, Any]] = [
    {
        "id": uuid.UUID(int=11, version=4),
        "v_nummer": "1000000001",
        "bsn": "111222333",
        "family_name": "Haddad",
        "given_names": "Rania",
        "name_original": "رانيا حداد",
        "birth_date": "1990",
        "nationality": "SYR",
        "languages": ["ar", "nl"],
        "document_language": "ar",
        "target_group": "asiel",
        "household_id": HOUSEHOLDS[0]["id"],
        "version": 3,
    },
    {
        "id": uuid.UUID(int=12, version=4),
        "v_nummer": "1000000002",
        "bsn": None,
        "family_name": "Rahimi",
        "given_names": "Farid",
        # Persian with a zero-width non-joiner, which must survive untouched.
        "name_original": "فرید رحیمی\u200cزاده",
        "birth_date": "1985-03",
        "nationality": "AFG",
        "languages": ["fa_AF"],
        "document_language": None,
        "target_group": "gezinsmigrant",
        "household_id": HOUSEHOLDS[1]["id"],
        "version": 1,
    },
    {
        "id": uuid.UUID(int=13, version=4),
        "v_nummer": "1000000003",
        "bsn": "123456782",
        "family_name": "Tesfay",
        "given_names": "Mehari Yonas",
        "name_original": "መሓሪ ተስፋይ",
        "birth_date": "1979-11-30",
        "nationality": "ERI",
        "languages": ["ti", "en", "nl"],
        "document_language": "ti",
        "target_group": "asiel",
        "household_id": HOUSEHOLDS[1]["id"],
        "version": 2,
    },
    {
        "id": uuid.UUID(int=14, version=4),
        "v_nummer": "1000000004",
        "bsn": None,
        "family_name": "O'Neill-Jansen",
        "given_names": "Ana",
        "name_original": None,
        "birth_date": "2001-01-01",
        "nationality": None,
        "languages": [],
        "document_language": None,
        "target_group": "asiel",
        "household_id": None,
        "version": 1,
    },
]
CASES: list[dict[str, Any]] = [
    {
        "id": uuid.UUID(int=21, version=4),
        "client_id": CLIENTS[0]["id"],
        "municipality": "Utrecht",
        "klantmanager": "km.jansen",
        "coa_location": "AZC Utrecht",
        "koppeldatum": dt.date(2025, 1, 15),
        "huisvestingsdatum": dt.date(2025, 6, 1),
        "melddatum": dt.date(2024, 12, 31),
    },
    {
        "id": uuid.UUID(int=22, version=4),
        "client_id": CLIENTS[1]["id"],
        "municipality": "Utrecht",
        "klantmanager": None,
        "coa_location": None,
        "koppeldatum": None,
        "huisvestingsdatum": None,
        "melddatum": None,
    },
    {
        "id": uuid.UUID(int=23, version=4),
        "client_id": CLIENTS[2]["id"],
        "municipality": "Súdwest-Fryslân",
        "klantmanager": "km.de.vries",
        "coa_location": "AZC Ter Apel",
        "koppeldatum": dt.date(2024, 2, 29),
        "huisvestingsdatum": None,
        "melddatum": None,
    },
]


def _sql_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return value.hex  # SQLAlchemy's Uuid type on SQLite: 32 hex digits
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value)
    return value


def _insert(connection: Any, table: str, row: dict[str, Any]) -> None:
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    connection.exec_driver_sql(
        f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(_sql_value(v) for v in row.values())
    )


def make_first_revision_store(path: Path, key: bytes) -> None:
    """A store at 0001_foundation, filled with plain SQL as that version of Wegwijs would have."""
    store = Store(path, key)
    store.upgrade_to(FIRST_REVISION)
    assert store.current_revisions() == {FIRST_REVISION}
    with store.engine.begin() as connection:
        for household in HOUSEHOLDS:
            _insert(
                connection, "household", {**household, "version": 1, "created_at": STAMP, "updated_at": STAMP}
            )
        for client in CLIENTS:
            _insert(connection, "client", {**client, "created_at": STAMP, "updated_at": STAMP})
        for case in CASES:
            _insert(
                connection, "client_case", {**case, "version": 1, "created_at": STAMP, "updated_at": STAMP}
            )
        for number, client in enumerate(CLIENTS):
            _insert(
                connection,
                "change_journal",
                {
                    "entity_type": "client",
                    "entity_id": client["id"],
                    "operation": "insert",
                    "version": 1,
                    "base_version": 0,
                    "changed_at": STAMP,
                    "actor": "km.jansen",
                    "sync_state": "pending" if number % 2 else "sent",
                },
            )
            _insert(
                connection,
                "audit_log",
                {
                    "at": STAMP,
                    "actor": "km.jansen",
                    "role": "klantmanager",
                    "action": "aangemaakt",
                    "entity_type": "client",
                    "entity_id": client["id"],
                    "detail": "",
                },
            )
    store.checkpoint()
    store.close()


def raw_tables(path: Path, key: bytes) -> dict[str, list[dict[str, Any]]]:
    """Every row of the foundation tables, column by column, as stored."""
    connection = connect_with_key(path, key)
    try:
        tables = {}
        for table in FOUNDATION_TABLES:
            cursor = connection.execute(f"SELECT * FROM {table} ORDER BY rowid")
            names = [d[0] for d in cursor.description]
            tables[table] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        return tables
    finally:
        connection.close()


@pytest.fixture
def old_store(tmp_path: Path) -> tuple[Path, bytes]:
    key = os.urandom(32)
    path = tmp_path / STORE_FILE
    make_first_revision_store(path, key)
    return path, key


def test_upgrade_keeps_every_record(old_store: tuple[Path, bytes]) -> None:
    path, key = old_store
    heads = head_revisions()
    assert heads != {FIRST_REVISION}, "there is nothing to upgrade: this test needs a later revision"
    before_tables = raw_tables(path, key)
    before_hash = sha256(path)
    assert [len(before_tables[t]) for t in FOUNDATION_TABLES] == [2, 4, 3, 4, 4]

    store = Store.open(path, key, key_check_value(key))
    try:
        assert store.current_revisions() == heads
        backup = path.with_name(f"{STORE_FILE}.voor-{FIRST_REVISION}.bak")
        assert backup.exists(), sorted(p.name for p in path.parent.iterdir())
        assert sha256(backup) == before_hash, "the backup must be the store as it was before the upgrade"

        # Raw: every column the first revision had still holds the same value (later revisions may add).
        after_tables = raw_tables(path, key)
        for table in FOUNDATION_TABLES:
            assert len(after_tables[table]) == len(before_tables[table]), table
            for old, new in zip(before_tables[table], after_tables[table], strict=True):
                assert {name: new[name] for name in old} == old, table

        # Through the models: the values come back as the types the app uses.
        with store.session() as session:
            for expected in CLIENTS:
                client = session.get(Client, expected["id"])
                assert client is not None, expected["v_nummer"]
                for name, value in expected.items():
                    assert getattr(client, name) == value, (expected["v_nummer"], name)
                assert client.created_at == dt.datetime(2025, 3, 1, 8, 30, tzinfo=dt.UTC)
            for expected in CASES:
                case = session.get(Case, expected["id"])
                assert case is not None
                for name, value in expected.items():
                    assert getattr(case, name) == value, (expected["id"], name)
            for expected in HOUSEHOLDS:
                household = session.get(Household, expected["id"])
                assert household is not None and household.label == expected["label"]
            members = session.get(Household, HOUSEHOLDS[1]["id"]).members  # type: ignore[union-attr]
            assert sorted(m.v_nummer for m in members) == ["1000000002", "1000000003"]
            sync_states = session.scalars(
                select(ChangeJournalEntry.sync_state).order_by(ChangeJournalEntry.id)
            )
            assert list(sync_states) == ["sent", "pending", "sent", "pending"]
            assert session.query(AuditEntry).count() == 4

        # The upgraded store works: a change is journalled with the version continuing.
        with store.session(actor="km.jansen") as session:
            client = session.get(Client, CLIENTS[0]["id"])
            assert client is not None
            client.given_names = "Rania Amal"
        with store.session() as session:
            assert session.get(Client, CLIENTS[0]["id"]).version == 4  # type: ignore[union-attr]
            last = session.scalars(select(ChangeJournalEntry).order_by(ChangeJournalEntry.id.desc())).first()
            assert last is not None and (last.operation, last.version, last.base_version) == ("update", 4, 3)
        assert store.integrity_ok()
    finally:
        store.close()

    # Opening again: already current, so no new backup and nothing else touched.
    store = Store.open(path, key, key_check_value(key))
    store.close()
    assert sorted(p.name for p in path.parent.glob("*.bak")) == [f"{STORE_FILE}.voor-{FIRST_REVISION}.bak"]


def test_failed_upgrade_restores_the_backup(
    old_store: tuple[Path, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, key = old_store
    before = sha256(path)
    migrations = tmp_path / "migrations"
    shutil.copytree(store_module.MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    heads = tuple(sorted(head_revisions()))
    (migrations / "versions" / "9999_breaks.py").write_text(
        f'''"""A revision that fails halfway."""
from alembic import op

revision = "9999_breaks"
down_revision = {heads!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE TABLE half_done (id INTEGER)")
    op.execute("UPDATE client SET family_name = 'KAPOT'")
    raise RuntimeError("migration fails on purpose")


def downgrade() -> None:
    pass
''',
        encoding="utf-8",
    )
    monkeypatch.setattr(store_module, "MIGRATIONS_DIR", migrations)
    assert head_revisions() == {"9999_breaks"}

    with pytest.raises(StoreError, match="reservekopie") as refused:
        Store.open(path, key, key_check_value(key))
    assert f"{STORE_FILE}.voor-{FIRST_REVISION}.bak" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert not re.search(r"[.!?] [A-Z]", str(refused.value)), "one sentence"
    assert sha256(path) == before, "the store must be byte-for-byte the store before the upgrade"
    assert not path.with_name(STORE_FILE + "-wal").exists()
    assert not path.with_name(STORE_FILE + "-shm").exists()

    # With the real migrations the restored store opens and upgrades normally.
    monkeypatch.undo()
    store = Store.open(path, key, key_check_value(key))
    try:
        assert store.current_revisions() == head_revisions()
        with store.session() as session:
            names = sorted(session.scalars(select(Client.family_name)))
            assert names == sorted(c["family_name"] for c in CLIENTS)
        with store.engine.connect() as connection:
            tables = {r[0] for r in connection.exec_driver_sql("SELECT name FROM sqlite_master")}
        assert "half_done" not in tables
    finally:
        store.close()


@pytest.mark.parametrize("how", ["replaced", "added"])
def test_store_from_a_newer_version_is_refused(tmp_path: Path, how: str) -> None:
    key = os.urandom(32)
    path = tmp_path / STORE_FILE
    Store.create(path, key).close()
    connection = connect_with_key(path, key)
    if how == "replaced":
        connection.execute("DELETE FROM alembic_version")
    connection.execute("INSERT INTO alembic_version VALUES ('9999_toekomst')")
    connection.commit()
    connection.close()
    before = sha256(path)
    files = sorted(p.name for p in tmp_path.iterdir())

    with pytest.raises(StoreError, match="nieuwere versie van Wegwijs"):
        Store.open(path, key, key_check_value(key))
    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files, "no backup, no journal files left behind"


def test_new_store_is_at_the_heads(tmp_path: Path) -> None:
    key = os.urandom(32)
    store = Store.create(tmp_path / STORE_FILE, key)
    try:
        assert store.current_revisions() == head_revisions()
    finally:
        store.close()
    assert not list(tmp_path.glob("*.bak")), "a new store needs no backup"
    with pytest.raises(StoreError, match="Er staat al een database"):
        Store.create(tmp_path / STORE_FILE, key)


def test_upgrade_while_another_program_writes_is_refused(
    old_store: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No backup taken behind a writer's back, nothing restored from under it: 'in gebruik'."""
    path, key = old_store
    before = sha256(path)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_SECONDS", 0.2)
    writer = connect_with_key(path, key, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO audit_log (at, actor, role, action, entity_type, detail) "
            "VALUES ('2025-03-02 09:00:00.000000', 'ander', 'klantmanager', 'ingezien', 'client', '')"
        )
        with pytest.raises(StoreError, match="in gebruik"):
            Store.open(path, key, key_check_value(key))
        assert not list(path.parent.glob("*.bak")), "no backup without the other program's changes"
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert sha256(path) != before  # the other program's commit landed (checkpointed on close)
    monkeypatch.undo()
    store = Store.open(path, key, key_check_value(key))
    try:
        assert store.current_revisions() == head_revisions()
        with store.session() as session:
            assert session.query(AuditEntry).filter(AuditEntry.actor == "ander").count() == 1
    finally:
        store.close()
