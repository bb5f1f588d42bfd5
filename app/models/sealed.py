"""Columns with special categories of personal data, sealed by the application in the team store.

The local store is SQLCipher: the whole file is encrypted, so these columns are stored as they are.
In the supervisor's team store in PostgreSQL (issue 18) the database administrator can read every
table; there the values of these columns are sealed with the team key (libsodium SecretBox, through
PyNaCl) before they leave the process, and opened after they are read. What is sealed:

- intake answers (health, finances, family, everything the brede intake asks) and the route's
  justification, conversation notes;
- the PIP's free texts and their translations, agreements, progress meetings, extensions,
  exemptions and objections (their reasons are free text);
- a sync conflict's two versions and their differences (they are copies of such records).

What stays readable, so the caseload can be searched and sorted in the database: names, V-nummer,
BSN, dates, states, routes, deadlines and who did what (the audit log holds field names, never values).

The key travels with the engine: `TeamStore` puts it on its dialect (`TEAM_KEY_ATTRIBUTE`); an engine
of PostgreSQL without one refuses to write these columns rather than write them in plain text.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import nacl.exceptions
import nacl.secret
from sqlalchemy import JSON, Text, case, cast, func, literal, or_, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator

from app.domain.errors import WegwijsError
from app.i18n import _

TEAM_KEY_ATTRIBUTE = "wegwijs_team_key"
_PREFIX = "wegwijs-verzegeld:1:"


class TeamKeyMissing(WegwijsError):
    """The team store was reached without its team key."""


def _box(dialect: Dialect) -> nacl.secret.SecretBox | None:
    if dialect.name != "postgresql":
        return None  # SQLCipher encrypts the whole local file
    key = getattr(dialect, TEAM_KEY_ATTRIBUTE, None)
    if key is None:
        raise TeamKeyMissing(
            _(
                "De teamsleutel ontbreekt op deze werkplek, en zonder die sleutel gaan er geen gegevens naar de "
                "teamdatabase; neem contact op met de beheerder."
            )
        )
    return nacl.secret.SecretBox(key)


def seal(box: nacl.secret.SecretBox, plain: str) -> str:
    return _PREFIX + base64.b64encode(bytes(box.encrypt(plain.encode("utf-8")))).decode("ascii")


def unseal(box: nacl.secret.SecretBox, stored: str) -> str:
    try:
        return box.decrypt(base64.b64decode(stored[len(_PREFIX) :])).decode("utf-8")
    except (nacl.exceptions.CryptoError, ValueError) as error:
        raise TeamKeyMissing(
            _(
                "Gegevens in de teamdatabase zijn met een andere teamsleutel verzegeld (of beschadigd); neem "
                "contact op met de beheerder."
            )
        ) from error


def is_sealed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(_PREFIX)


class SealedJSON(TypeDecorator[Any]):
    """JSON; in the team store a JSON string holding the sealed document."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        box = _box(dialect)
        if box is None or value is None:
            return value
        return seal(box, json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if not is_sealed(value):
            return value
        box = _box(dialect)
        return value if box is None else json.loads(unseal(box, value))


# A sealed plain text of one or two bytes, as the JSON string the column holds: SecretBox adds the
# same nonce and tag to every plain text, so only `[]` (or `{}`) is sealed this short.
_SHORTEST_SEALED = len(
    json.dumps(
        _PREFIX
        + base64.b64encode(
            bytes(nacl.secret.SecretBox.NONCE_SIZE + nacl.secret.SecretBox.MACBYTES + 2)
        ).decode()
    )
)


def unless_empty_list(column: Any) -> ColumnElement[Any]:
    """A list column of SealedJSON, NULL where it holds the empty list, decided in the database: the
    caseload opens only the sealed lists that hold something (most PIPs have no extension)."""
    text = cast(column, Text)
    empty = or_(
        text == "[]",
        (func.substr(text, 1, len(_PREFIX) + 1) == literal('"' + _PREFIX))
        & (func.length(text) <= _SHORTEST_SEALED),
    )
    return type_coerce(case((empty, None), else_=column), SealedJSON)


class SealedText(TypeDecorator[str]):
    """Text; in the team store the sealed text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        box = _box(dialect)
        if box is None or value is None:
            return value
        return seal(box, value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or not is_sealed(value):
            return value
        box = _box(dialect)
        return value if box is None else unseal(box, value)
