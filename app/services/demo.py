"""Fictional demo clients: households, partly-known birth dates, in the AZC and housed, every
deadline state. Deterministic for a given seed on an empty store."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from app.domain.enums import TargetGroup
from app.models.client import Case, Client, Household
from app.resources import resources_dir
from app.services.demo_rows import DemoClient, DemoRows, Row
from app.services.intake.demo import demo_intake_rows
from app.services.pip.demo import demo_pip_rows

ADULT_AGE_RANGE = (18, 62)
# Clients are written in batches of about this many (whole households) as plain rows: memory holds
# one batch at a time and each table gets one INSERT per batch (issue 15).
BATCH_CLIENTS = 500
# Each use case fills its part, in the order of the work: the PIP follows the brede intake (only a
# concluded intake gets a PIP, with the route chosen there), so the intake goes first.
# The names seed each part's generator: they stay as they were, so a seed gives the same data.
_FILLERS = (("fill_demo_intake", demo_intake_rows), ("demo_filler", demo_pip_rows))


@dataclass(frozen=True)
class DemoReport:
    clients: int
    households: int


@cache
def _names() -> dict[str, Any]:
    return json.loads((resources_dir() / "demo" / "names.json").read_text(encoding="utf-8"))


def _valid_bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        total = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True))
        last = total % 11
        if last <= 9:
            return "".join(map(str, digits)) + str(last)


def _birth_date(rng: random.Random, today: dt.date, age: int) -> str:
    year = today.year - age - 1
    roll = rng.random()
    if roll < 0.15:
        return f"{year:04d}"  # only the year is known
    if roll < 0.25:
        return f"{year:04d}-01-01"  # 1 January by convention
    if roll < 0.30:
        return f"{year:04d}-{rng.randint(1, 12):02d}"
    return (dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))).isoformat()


def _deterministic_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def add_demo_clients(
    session: Session,
    count: int,
    seed: int,
    municipality: str,
    klantmanager: str,
    today: dt.date | None = None,
) -> DemoReport:
    today = today or dt.date.today()
    rng = random.Random(seed)
    names = _names()
    groups = names["groups"]
    weights = [group["weight"] for group in groups]
    used_v_nummers = set(session.scalars(select(Client.v_nummer)))
    used_bsns = set(session.scalars(select(Client.bsn).where(Client.bsn.is_not(None))))
    used_labels = set(session.scalars(select(Household.label)))
    # A seed used before on this store draws the same ids again; skip those as with V-nummers.
    used_ids = set(session.scalars(select(Client.id))) | set(session.scalars(select(Case.id)))
    used_ids |= set(session.scalars(select(Household.id)))
    made = 0
    batch: list[DemoClient] = []
    households = 0
    session.flush()  # the caller's pending records go first; the demo rows go in beside them
    rows = DemoRows.for_session(session)

    def v_nummer() -> str:
        while True:
            value = f"{rng.randint(10**9, 10**10 - 1)}"
            if value not in used_v_nummers:
                used_v_nummers.add(value)
                return value

    def new_id() -> uuid.UUID:
        while True:
            value = _deterministic_uuid(rng)
            if value not in used_ids:
                used_ids.add(value)
                return value

    def bsn() -> str:
        while True:
            value = _valid_bsn(rng)
            if value not in used_bsns:
                used_bsns.add(value)
                return value

    # The demo's rows are new clients' records: no stored caseload line can be theirs yet (issue 15).
    with caseload_triggers_held_off(session.connection()):
        while made < count:
            group = rng.choices(groups, weights)[0]
            family_latin, family_original = rng.choice(group["family"])
            size = min(count - made, rng.choice([1, 1, 1, 2, 2, 3, 4, 5, 6]))
            label = f"DEMO-{seed}-{made + 1:06d}"
            household_id = None
            members: list[Row] | None = None
            if size > 1 and label not in used_labels:
                household_id = rows.add(Household, id=new_id(), label=label)["id"]
                members = []
                used_labels.add(label)
                households += 1
            # The case dates are shared by the household: they travel and are housed together.
            koppeldatum = today - dt.timedelta(days=rng.randint(5, 400))
            roll = rng.random()
            if roll < 0.30:
                housing = None  # still in the AZC
            elif roll < 0.40:
                housing = today + dt.timedelta(days=rng.randint(3, 60))  # expected housing
            else:
                housing = min(today, koppeldatum + dt.timedelta(days=rng.randint(14, 120)))
            location = rng.choice(names["coa_locations"])
            target = TargetGroup.GEZINSMIGRANT.value if rng.random() < 0.08 else TargetGroup.ASIEL.value
            for member in range(size):
                female = rng.random() < 0.5
                given_latin, given_original = rng.choice(group["given_female" if female else "given_male"])
                age = rng.randint(*ADULT_AGE_RANGE) if member < 2 else rng.randint(0, 17)
                original = None
                if given_original != given_latin or family_original != family_latin:
                    # Arabic-script names are written given name first as well.
                    original = f"{given_original} {family_original}"
                housed = housing is not None and housing <= today
                client = rows.add(
                    Client,
                    id=new_id(),
                    v_nummer=v_nummer(),
                    bsn=bsn() if housed and rng.random() < 0.9 else None,
                    family_name=family_latin,
                    given_names=given_latin,
                    name_original=original,
                    birth_date=_birth_date(rng, today, age),
                    nationality=group["nationality"],
                    languages=[group["language"], "en"] if rng.random() < 0.2 else [group["language"]],
                    document_language=group["language"],
                    target_group=target,
                    household_id=household_id,
                )
                case = rows.add(
                    Case,
                    id=new_id(),
                    client_id=client["id"],
                    municipality=municipality,
                    klantmanager=klantmanager,
                    coa_location=location,
                    koppeldatum=koppeldatum,
                    huisvestingsdatum=housing,
                    melddatum=koppeldatum - dt.timedelta(days=rng.randint(1, 30)),
                )
                if members is not None:
                    members.append(client)
                batch.append(DemoClient(client, case, members))
                made += 1
            if len(batch) >= BATCH_CLIENTS or made >= count:
                _fill_batch(session, rows, batch, seed, today)
                batch = []
    return DemoReport(clients=made, households=households)


def _fill_batch(session: Session, rows: DemoRows, batch: list[DemoClient], seed: int, today: dt.date) -> None:
    """Write a batch of new clients (whole households), then let each use case fill its part, one
    INSERT per table. The same records as filling all clients at once: each client's parts come from
    its own generator, and a household never spans two batches. Nothing stays in the session."""
    connection = session.connection()
    rows.write(connection)
    for name, fill in _FILLERS:
        for client in batch:
            # One generator per client and part: deterministic for the seed, and the records a part
            # makes never reuse ids when the same seed is added to a store a second time.
            fill(rows, client, random.Random(f"{seed}:{client.id}:{name}"), today)
        rows.write(connection)


# The caseload triggers of migration 0013 (app/models/migrations/versions/0013_caseload_state.py).
_CASELOAD_TRIGGERS = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'caseload_stale%'"
)


@contextmanager
def caseload_triggers_held_off(connection: Connection) -> Iterator[None]:
    """SQLite: the caseload triggers are dropped for the block and created again after it, all on the
    caller's transaction (SQLite's DDL is transactional: no other connection ever sees the store
    without them, and a rollback brings them back). Only for writers of new clients' records: those
    clients have no stored line for a trigger to delete (a line belongs to one client and is computed
    from that client's records alone). Elsewhere (PostgreSQL), or outside a transaction, the
    triggers stay and fire."""
    if connection.dialect.name != "sqlite":
        yield
        return
    # A write first, so the driver has begun the transaction before the DDL (it begins one only for
    # a write); the write changes nothing.
    connection.exec_driver_sql("DELETE FROM caseload_state WHERE 0")
    driver = connection.connection.driver_connection
    triggers = connection.exec_driver_sql(_CASELOAD_TRIGGERS).all()
    if not getattr(driver, "in_transaction", False) or not triggers:
        yield
        return
    for name, _sql in triggers:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    try:
        yield
    except BaseException:
        # The caller rolls back, which restores them; should its transaction be gone already
        # (SQLite rolls back by itself on some errors), they are there and this changes nothing.
        with suppress(Exception):
            for _name, sql in triggers:
                connection.exec_driver_sql(sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))
        raise
    for _name, sql in triggers:
        connection.exec_driver_sql(sql)
