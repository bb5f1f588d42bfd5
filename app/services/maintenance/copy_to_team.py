"""`store copy-to URL` (issue 18): the supervisor's local SQLCipher store copied into a new team
database in PostgreSQL, checked record by record, after which this profile works on the team store.

The copy runs in one PostgreSQL transaction: the tables are made by the same Alembic history
(`TeamStore.create`), every row of every table is written in foreign-key order, the counters of the
tables with a number as key are set past the highest copied one, and then every row is read back
and compared with the original, field by field (the special categories through their seal, so the
comparison also proves the team key opens them). Only when all agree does the profile switch; a
difference or a failure leaves the team database empty again and the profile as it was. The local
file stays where it is, untouched: it is the fallback until the team database has its own backups.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import nacl.utils
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.domain.enums import Role
from app.domain.errors import WegwijsError
from app.i18n import _
from app.models.base import Base
from app.models.caseload_state import DERIVED_TABLES
from app.models.journal import record_audit
from app.models.store import KEY_BYTES, Store
from app.models.team_store import TeamStore, check_database_url, redacted
from app.services.profile import TEAM_KEY_NAME, Profile

BATCH = 500
ACTION_COPIED = "naar teamdatabase"  # an audit code, as the others in app/models/journal.py


class CopyRefused(WegwijsError):
    """The store cannot be copied (wrong role, already a team store, a difference after copying)."""


@dataclass(frozen=True)
class CopyReport:
    address: str
    tables: int
    rows: int
    per_table: tuple[tuple[str, int], ...]


def _rows(connection: Connection, table: Any) -> list[dict[str, Any]]:
    order = [column for column in table.primary_key.columns] or list(table.columns)
    return [dict(row._mapping) for row in connection.execute(select(table).order_by(*order))]


def _reset_counters(connection: Connection) -> None:
    """Integer keys the database numbers itself (audit log, journal ...): go on after the copy."""
    for table in Base.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].autoincrement is False:
            continue
        column = keys[0]
        if column.type.python_type is not int:
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": column.name},
        ).scalar()
        if sequence:
            connection.execute(
                text(
                    f'SELECT setval(:sequence, COALESCE((SELECT max("{column.name}") FROM "{table.name}"), 0) + 1, false)'
                ),
                {"sequence": sequence},
            )


def _copied_tables() -> list[Any]:
    """Every table but the stored caseload: a copy of what the records say, which the team store
    works out again on its first listing (its triggers would drop copied lines anyway)."""
    return [table for table in Base.metadata.sorted_tables if table.name not in DERIVED_TABLES]


def _copy(source: Engine, target: Connection) -> list[tuple[str, int]]:
    copied = []
    with source.connect() as reading:
        for table in _copied_tables():
            rows = _rows(reading, table)
            for start in range(0, len(rows), BATCH):
                target.execute(table.insert(), rows[start : start + BATCH])
            copied.append((table.name, len(rows)))
    _reset_counters(target)
    return copied


def _compare(source: Engine, target: Connection) -> None:
    with source.connect() as reading:
        for table in _copied_tables():
            original, copy = _rows(reading, table), _rows(target, table)
            if len(original) != len(copy):
                raise CopyRefused(
                    _(
                        "Na het kopiëren telt de tabel {table} {copied} records in plaats van {expected}; er is "
                        "niets overgezet en het profiel werkt nog met de eigen database."
                    ).format(table=table.name, copied=len(copy), expected=len(original))
                )
            for before, after in zip(original, copy, strict=True):
                different = [name for name in before if _normal(before[name]) != _normal(after.get(name))]
                if different:
                    raise CopyRefused(
                        _(
                            "Na het kopiëren wijkt een record van de tabel {table} af (veld {field}); er is niets "
                            "overgezet en het profiel werkt nog met de eigen database."
                        ).format(table=table.name, field=different[0])
                    )


def _normal(value: Any) -> Any:
    """Times compare as moments in UTC, whichever way the engine hands them back."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


class TeamCopyService:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    @classmethod
    def for_profile(cls, profile: Profile) -> TeamCopyService:
        return cls(profile)

    def copy_to(self, address: str, password: str | None = None) -> CopyReport:
        profile = self.profile
        if profile.role is not Role.SUPERVISOR:
            raise CopyRefused(
                _(
                    "Alleen de opslag van een supervisor kan naar een teamdatabase; een klantmanager werkt op de laptop."
                )
            )
        if profile.uses_team_store:
            raise CopyRefused(
                _("Dit profiel werkt al met de teamdatabase {address}; er is niets gekopieerd.").format(
                    address=profile.settings.database
                )
            )
        check_database_url(address)
        local = profile.store()
        if not isinstance(local, Store):  # pragma: no cover - uses_team_store said otherwise
            raise CopyRefused(_("Dit profiel heeft geen eigen database om te kopiëren."))
        team_key = nacl.utils.random(KEY_BYTES)
        team = TeamStore.create(address, team_key, password)
        try:
            try:
                with team.engine.begin() as target:
                    copied = _copy(local.engine, target)
                    _compare(local.engine, target)
                    with Session(bind=target) as session:
                        session.info.update(actor=profile.actor, role=profile.role.value)
                        record_audit(
                            session, ACTION_COPIED, "opslag", None, f"{sum(n for _t, n in copied)} records"
                        )
                        session.flush()
            except BaseException:
                _empty_again(team)
                raise
            profile.secrets.set(TEAM_KEY_NAME, team_key)
            profile.settings.database = redacted(address)
            profile.save_settings()
        finally:
            team.close()
        profile.close()  # the next use opens the team store
        return CopyReport(
            redacted(address), len(copied), sum(count for _name, count in copied), tuple(copied)
        )


def _empty_again(team: TeamStore) -> None:
    """A failed copy leaves an empty database behind, so it can be tried again."""
    with team.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(text(f'DROP TABLE IF EXISTS "{table.name}" CASCADE'))
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
