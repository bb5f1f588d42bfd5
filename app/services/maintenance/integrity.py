"""Integrity checks: SQLCipher's page HMACs, SQLite's own structure check and the foreign keys.

Run by `wegwijs check`, on every backup before it is kept or restored, and by itself when the store
is opened after an unclean shutdown (a process that had it open ended without closing it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3.dbapi2 as sqlcipher

from app.i18n import _
from app.models.store import StoreError, storage_error

if TYPE_CHECKING:
    from app.models.store import Store

# Enough to say what is wrong; a badly damaged file would otherwise list every page.
MAX_PROBLEMS = 20
_FIRST_PAGE = re.compile(r"\bpage 1\b")


@dataclass(frozen=True)
class IntegrityReport:
    path: str
    cipher_problems: tuple[str, ...]
    structure_problems: tuple[str, ...]
    foreign_key_problems: tuple[str, ...]
    readable: bool
    """False when the key does not open the file at all (wrong key, or page 1 damaged)."""

    @property
    def ok(self) -> bool:
        return self.readable and not (
            self.cipher_problems or self.structure_problems or self.foreign_key_problems
        )

    def to_json(self) -> dict[str, object]:
        return {
            "bestand": self.path,
            "in_orde": self.ok,
            "leesbaar": self.readable,
            "sqlcipher": list(self.cipher_problems),
            "sqlite": list(self.structure_problems),
            "verwijzingen": list(self.foreign_key_problems),
        }


def connect(path: Path, key: bytes) -> sqlcipher.Connection:
    connection = sqlcipher.connect(str(path), check_same_thread=False)
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    connection.execute("PRAGMA temp_store = MEMORY")
    return connection


def _rows(connection: sqlcipher.Connection, pragma: str) -> list[str]:
    return [
        " ".join(str(value) for value in row) for row in connection.execute(pragma).fetchmany(MAX_PROBLEMS)
    ]


def check_connection(connection: sqlcipher.Connection, path: Path) -> IntegrityReport:
    """The three checks on an open, keyed connection (the live store's or a file's)."""
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as error:
        if (storage := storage_error(error, path.parent)) is not None:
            raise storage from error
        # The schema did not read: a wrong key fails every page's HMAC, page 1 first; with page 1
        # sound the key is right and the schema's own pages are damaged (a larger schema spans
        # several pages, so a damaged page in the middle of the file can be one of them).
        try:
            cipher = _rows(connection, "PRAGMA cipher_integrity_check")
        except sqlcipher.DatabaseError:
            cipher = []
        if not cipher or any(_FIRST_PAGE.search(row) for row in cipher):
            return IntegrityReport(str(path), (), (), (), readable=False)
        return IntegrityReport(str(path), tuple(cipher), (str(error),), (), readable=True)
    cipher = _rows(connection, "PRAGMA cipher_integrity_check")
    try:
        structure = [row for row in _rows(connection, "PRAGMA integrity_check") if row != "ok"]
    except sqlcipher.DatabaseError as error:  # a page that does not decrypt stops SQLite's own check
        structure = [str(error)]
    try:
        foreign = _rows(connection, "PRAGMA foreign_key_check")
    except sqlcipher.DatabaseError as error:
        foreign = [str(error)]
    return IntegrityReport(str(path), tuple(cipher), tuple(structure), tuple(foreign), readable=True)


def check_file(path: Path, key: bytes) -> IntegrityReport:
    """Check a closed store or a backup file without changing it."""
    connection = connect(path, key)
    try:
        return check_connection(connection, path)
    finally:
        connection.close()


def check_store(store: Store) -> IntegrityReport:
    """Check the open store through its own engine (consistent with what the app sees)."""
    raw = store.engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        return check_connection(driver, store.path)
    finally:
        raw.close()


def damaged_store_error(path: Path, last_good: str | None) -> StoreError:
    if last_good:
        return StoreError(
            _(
                "De database {path} is beschadigd en wordt niet geopend; de laatste goede reservekopie is "
                "{backup}: zet die terug met 'wegwijs restore {backup}' (de huidige database blijft bewaard)."
            ).format(path=path, backup=last_good)
        )
    return StoreError(
        _(
            "De database {path} is beschadigd en wordt niet geopend, en er is geen goede reservekopie in het "
            "profiel; neem contact op met de beheerder."
        ).format(path=path)
    )
