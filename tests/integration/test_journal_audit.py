"""Every change to a client, household or case is journalled and audited in its own transaction.

The audit log says who did what to which record, and which fields: never the values.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from store_helpers import connect_with_key, copy_profile, load_profile, make_profile, store_key

from app.models.client import Case, Client, Household
from app.models.journal import AuditEntry, ChangeJournalEntry
from app.models.store import STORE_FILE, Store
from app.services.clients import client_detail, export_client
from app.services.profile import Profile

ACTOR = "km.jansen"
ROLE = "klantmanager"
SECRET_NAME = "Geheimenaam-Qx7"
SECRET_BSN = "123456782"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_profile(tmp_path_factory.mktemp("journal") / "profiel")


@pytest.fixture
def profile(template: Path, tmp_path: Path) -> Iterator[Profile]:
    profile = load_profile(copy_profile(template, tmp_path / "profiel"))
    yield profile
    profile.close()


@pytest.fixture
def store(profile: Profile) -> Store:
    return profile.store()


def add_family(store: Store) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    with store.session(actor=ACTOR, role=ROLE) as session:
        household = Household(label="COA-HH-9")
        client = Client(
            v_nummer="1234509876",
            family_name="Haddad",
            given_names="Rania",
            name_original="رانيا حداد",
            birth_date="1990-05",
            languages=["ar"],
            household=household,
        )
        case = Case(client=client, municipality="Utrecht", klantmanager=ACTOR, coa_location="AZC Utrecht")
        session.add_all([household, client, case])
        session.flush()
        return household.id, client.id, case.id


def journal(store: Store) -> list[tuple[str, uuid.UUID, str, int, int, str]]:
    with store.session() as session:
        return [
            (e.entity_type, e.entity_id, e.operation, e.version, e.base_version, e.actor)
            for e in session.scalars(select(ChangeJournalEntry).order_by(ChangeJournalEntry.id))
        ]


def audit(store: Store) -> list[tuple[str, uuid.UUID | None, str, str, str, str]]:
    with store.session() as session:
        return [
            (a.entity_type, a.entity_id, a.action, a.detail, a.actor, a.role)
            for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def raw_rows(store: Store, table: str) -> list[tuple[Any, ...]]:
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(f"SELECT * FROM {table}"))]


def test_insert_writes_journal_and_audit(store: Store) -> None:
    household_id, client_id, case_id = add_family(store)
    assert sorted(journal(store)) == sorted(
        [
            ("household", household_id, "insert", 1, 0, ACTOR),
            ("client", client_id, "insert", 1, 0, ACTOR),
            ("client_case", case_id, "insert", 1, 0, ACTOR),
        ]
    )
    assert sorted(audit(store), key=str) == sorted(
        [
            ("household", household_id, "aangemaakt", "", ACTOR, ROLE),
            ("client", client_id, "aangemaakt", "", ACTOR, ROLE),
            ("client_case", case_id, "aangemaakt", "", ACTOR, ROLE),
        ],
        key=str,
    )
    with store.session() as session:
        client = session.get(Client, client_id)
        assert client is not None and client.version == 1
        assert client.created_at.tzinfo is not None and client.created_at.utcoffset() == dt.timedelta(0)


def test_update_raises_the_version_and_names_only_the_fields(store: Store) -> None:
    _, client_id, case_id = add_family(store)
    with store.session(actor="km.de.vries", role=ROLE) as session:
        client = session.get(Client, client_id)
        assert client is not None
        client.family_name = SECRET_NAME
        client.bsn = SECRET_BSN
    with store.session(actor="km.de.vries", role=ROLE) as session:
        case = session.get(Case, case_id)
        assert case is not None
        case.huisvestingsdatum = dt.date(2026, 6, 1)
        case.coa_location = "AZC Assen"
    with store.session(actor="km.de.vries", role=ROLE) as session:
        client = session.get(Client, client_id)
        assert client is not None
        client.given_names = "Rania Amal"

    updates = [e for e in journal(store) if e[2] == "update"]
    assert updates == [
        ("client", client_id, "update", 2, 1, "km.de.vries"),
        ("client_case", case_id, "update", 2, 1, "km.de.vries"),
        ("client", client_id, "update", 3, 2, "km.de.vries"),
    ]
    changes = [(a[0], a[2], a[3]) for a in audit(store) if a[2] == "gewijzigd"]
    assert changes == [
        ("client", "gewijzigd", "bsn,family_name"),
        ("client_case", "gewijzigd", "coa_location,huisvestingsdatum"),
        ("client", "gewijzigd", "given_names"),
    ]
    with store.session() as session:
        client = session.get(Client, client_id)
        assert client is not None and client.version == 3 and client.updated_at >= client.created_at


def test_setting_the_same_value_writes_nothing(store: Store) -> None:
    _, client_id, _ = add_family(store)
    before = (journal(store), audit(store))
    with store.session(actor=ACTOR) as session:
        client = session.get(Client, client_id)
        assert client is not None
        client.family_name = "Haddad"
        client.languages = ["ar"]
    assert (journal(store), audit(store)) == before
    with store.session() as session:
        assert session.get(Client, client_id).version == 1  # type: ignore[union-attr]


def test_delete_writes_a_tombstone(store: Store) -> None:
    household_id, client_id, case_id = add_family(store)
    with store.session(actor=ACTOR, role=ROLE) as session:
        case = session.get(Case, case_id)
        session.delete(case)
    with store.session(actor=ACTOR, role=ROLE) as session:
        session.delete(session.get(Client, client_id))
        session.delete(session.get(Household, household_id))
    deletes = [e for e in journal(store) if e[2] == "delete"]
    assert deletes[0] == ("client_case", case_id, "delete", 2, 1, ACTOR)
    assert sorted(deletes[1:]) == sorted(
        [("client", client_id, "delete", 2, 1, ACTOR), ("household", household_id, "delete", 2, 1, ACTOR)]
    )
    removed = sorted((a[0], a[1]) for a in audit(store) if a[2] == "verwijderd")
    assert removed == sorted([("client_case", case_id), ("client", client_id), ("household", household_id)])
    for table in ("client", "client_case", "household"):
        assert raw_rows(store, table) == []


def test_rolled_back_session_leaves_neither_record_nor_journal(store: Store) -> None:
    add_family(store)
    before = {t: raw_rows(store, t) for t in ("client", "household", "change_journal", "audit_log")}

    with pytest.raises(RuntimeError, match="halverwege"), store.session(actor=ACTOR) as session:
        session.add(
            Client(v_nummer="5555555555", family_name="Tesfay", given_names="Mehari", birth_date="1985")
        )
        client = session.scalars(select(Client).where(Client.v_nummer == "1234509876")).one()
        client.family_name = SECRET_NAME
        session.flush()  # the journal rows are written here, inside the transaction
        assert session.scalars(select(ChangeJournalEntry)).all()
        raise RuntimeError("halverwege afgebroken")

    with pytest.raises(IntegrityError), store.session(actor=ACTOR) as session:
        session.add(Household(label="HH-nieuw"))
        session.add(Client(v_nummer="1234509876", family_name="Dubbel", given_names="X", birth_date="1990"))

    after = {t: raw_rows(store, t) for t in before}
    assert after == before


def test_journal_and_change_are_committed_together(profile: Profile, store: Store) -> None:
    """Another connection sees neither the change nor its journal entry until the commit, then both."""
    _, client_id, _ = add_family(store)
    observer = connect_with_key(profile.data_dir / STORE_FILE, store_key(profile.data_dir))

    def seen() -> tuple[str, int, int]:
        name = observer.execute("SELECT family_name FROM client").fetchone()[0]
        entries = observer.execute("SELECT count(*) FROM change_journal").fetchone()[0]
        audits = observer.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        return name, entries, audits

    try:
        assert seen() == ("Haddad", 3, 3)
        with store.session(actor=ACTOR) as session:
            client = session.get(Client, client_id)
            assert client is not None
            client.family_name = "Saleh"
            session.flush()
            assert seen() == ("Haddad", 3, 3)
        assert seen() == ("Saleh", 4, 4)
    finally:
        observer.close()


def test_audit_never_holds_values(store: Store) -> None:
    household_id, client_id, case_id = add_family(store)
    with store.session(actor=ACTOR, role=ROLE) as session:
        client = session.get(Client, client_id)
        assert client is not None
        client.family_name = SECRET_NAME
        client.bsn = SECRET_BSN
        client.name_original = "نام محرمانه"
        client.household = Household(label="HH-Geheim-Label")
    with store.session(actor=ACTOR, role=ROLE) as session:
        export_client(session, "1234509876")
        client_detail(session, client_id)
    with store.session(actor=ACTOR, role=ROLE) as session:
        client = session.get(Client, client_id)
        assert client is not None
        client.family_name = "Nogmaals-Anders"  # the old value must not surface either

    values = [
        SECRET_NAME,
        SECRET_BSN,
        "نام محرمانه",
        "HH-Geheim-Label",
        "Nogmaals-Anders",
        "Haddad",
        "1234509876",
    ]
    for table in ("audit_log", "change_journal"):
        rows = raw_rows(store, table)
        assert rows
        flat = " ".join(str(cell) for row in rows for cell in row)
        for value in values:
            assert value not in flat, f"{value!r} occurs in {table}"
    actions = [a[2] for a in audit(store)]
    assert "geëxporteerd" in actions and "ingezien" in actions
    for entry in audit(store):
        assert re.fullmatch(r"([a-z_]+(,[a-z_]+)*)?", entry[3]), entry[3]
