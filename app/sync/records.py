"""Records to and from JSON, generic over every SyncedAggregate registered in Base.metadata.

Nothing here names a table: the intake, PIP and translation models travel as soon as they are
SyncedAggregate subclasses. Values are converted by their column type, and every incoming value is
checked against it, so a package can never put a wrong type or an unknown field into the store.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import enum
import math
import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.sql.schema import Column
from sqlalchemy.types import TypeDecorator, TypeEngine

import app.models.tables  # noqa: F401  (registers every table)
from app.models.base import Base, SyncedAggregate

# The store's integers are signed 64-bit: a larger number could never be stored (OverflowError).
MAX_INTEGER = 2**63 - 1
# No field needs more nesting than this; a deeper value is refused before it is stored.
MAX_JSON_DEPTH = 32


class RecordError(ValueError):
    """An incoming record does not fit the local schema (details for administrators, not users)."""


@dataclass(frozen=True)
class Field:
    key: str
    column: Column[Any]
    python_type: type | None


@cache
def synced_models() -> dict[str, type[SyncedAggregate]]:
    """Table name -> model class of every SyncedAggregate known to Base."""
    models: dict[str, type[SyncedAggregate]] = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        table = getattr(cls, "__tablename__", None)
        if issubclass(cls, SyncedAggregate) and isinstance(table, str):
            models[table] = cls
    return models


def table_order() -> dict[str, int]:
    """Position of each table in foreign-key order (parents first)."""
    return {table.name: index for index, table in enumerate(Base.metadata.sorted_tables)}


def _python_type(column_type: TypeEngine[Any]) -> type | None:
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    try:
        return column_type.python_type
    except NotImplementedError:
        return None


_FIELDS: dict[str, tuple[Field, ...]] = {}


def fields_of(cls: type[SyncedAggregate]) -> tuple[Field, ...]:
    key = f"{cls.__module__}.{cls.__qualname__}"
    if key not in _FIELDS:
        _FIELDS[key] = _collect_fields(cls)
    return _FIELDS[key]


def _collect_fields(cls: type[SyncedAggregate]) -> tuple[Field, ...]:
    # The mapper's columns by attribute key, in the order of its column attributes: known without
    # configuring every mapper's relationships (`column_attrs` does that first, 40 ms of an import
    # process that needs no relationship, issue 15).
    result: list[Field] = []
    for key, column in inspect(cls).columns.items():
        if not isinstance(column, Column):
            continue
        result.append(Field(key, column, _python_type(column.type)))
    return tuple(result)


def to_json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    raise TypeError(f"cannot serialise {type(value).__name__}")


def serialise(record: SyncedAggregate) -> dict[str, Any]:
    return {f.key: to_json_value(getattr(record, f.key)) for f in fields_of(type(record))}


def _from_json_value(field: Field, value: Any) -> Any:
    if value is None:
        if not field.column.nullable:
            raise RecordError(f"{field.key}: required")
        return None
    kind = field.python_type
    try:
        if kind is None or kind in (dict, list):
            check_json_bounds(value)
            return value
        if kind is uuid.UUID:
            return uuid.UUID(_text(value))
        if kind is dt.datetime:
            moment = dt.datetime.fromisoformat(_text(value))
            if isinstance(field.column.type, TypeDecorator) and moment.tzinfo is None:
                raise RecordError(f"{field.key}: time without zone")
            return moment
        if kind is dt.date:
            return dt.date.fromisoformat(_text(value))
        if kind is bool:
            if not isinstance(value, bool):
                raise RecordError(f"{field.key}: not a boolean")
            return value
        if kind is int:
            if not isinstance(value, int) or isinstance(value, bool):
                raise RecordError(f"{field.key}: not an integer")
            if not -MAX_INTEGER <= value <= MAX_INTEGER:
                raise RecordError(f"{field.key}: out of range")
            return value
        if kind is float:
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise RecordError(f"{field.key}: not a number")
            number = float(value)  # OverflowError for a huge integer: caught below
            if not math.isfinite(number):
                raise RecordError(f"{field.key}: not finite")
            return number
        if kind is decimal.Decimal:
            return decimal.Decimal(_text(value))
        if kind is bytes:
            return base64.b64decode(_text(value), validate=True)
        if kind is str:
            text = _text(value)
            length = getattr(field.column.type, "length", None)
            if length is not None and len(text) > length:
                raise RecordError(f"{field.key}: longer than {length}")
            return text
        if issubclass(kind, enum.Enum):
            return kind(value)
    except RecordError:
        raise
    except (ValueError, TypeError, OverflowError, decimal.InvalidOperation) as error:
        raise RecordError(f"{field.key}: {error}") from error
    return value


def check_json_bounds(value: Any, max_depth: int = MAX_JSON_DEPTH) -> None:
    """A JSON value nested at most `max_depth` deep, with integers the store can hold and finite
    numbers; walked with a list, so no depth can exhaust the stack. Raises RecordError."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            if (
                isinstance(item, int)
                and not isinstance(item, bool)
                and not -MAX_INTEGER <= item <= MAX_INTEGER
            ):
                raise RecordError("integer out of range")
            if isinstance(item, float) and not math.isfinite(item):
                raise RecordError("number out of range")
            continue
        if depth > max_depth:
            raise RecordError("nested too deep")
        stack.extend((child, depth + 1) for child in children)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise RecordError("not text")
    return value


def deserialise(cls: type[SyncedAggregate], data: Any) -> dict[str, Any]:
    """Attribute values for `cls` from a package record; refuses unknown or missing fields."""
    if not isinstance(data, dict):
        raise RecordError("record data is not an object")
    known, fields = _field_plan(cls)
    if not data.keys() <= known:
        raise RecordError(f"unknown fields: {sorted(set(data) - known)}")
    values: dict[str, Any] = {}
    get = data.get
    for key, field, nullable, kind, length in fields:
        value = get(key, _ABSENT)
        # The common values answered here exactly as `_from_json_value` would; anything else (and
        # every refusal, with its message) goes through it.
        if value is _ABSENT:
            if not nullable:
                raise RecordError(f"{key}: missing")
            values[key] = None  # a device on an older version does not know a newer optional field
            continue
        value_type = type(value)
        if value_type is kind:
            if kind is str:
                if length is None or len(value) <= length:
                    values[key] = value
                    continue
            elif kind is int and -MAX_INTEGER <= value <= MAX_INTEGER:
                values[key] = value
                continue
        elif value is None:
            if nullable:
                values[key] = None
                continue
        elif kind is uuid.UUID and value_type is str and len(value) == 36:
            try:
                values[key] = uuid.UUID(value)
                continue
            except ValueError:
                pass
        values[key] = _from_json_value(field, value)
    return values


_ABSENT = object()
_Plan = tuple[frozenset[str], tuple[tuple[str, Field, bool, type | None, int | None], ...]]
_PLANS: dict[type, _Plan] = {}


def _field_plan(cls: type[SyncedAggregate]) -> _Plan:
    """The field names and (name, field, nullable, type, length) of a model, worked out once (the
    schema is fixed)."""
    plan = _PLANS.get(cls)
    if plan is None:
        fields = fields_of(cls)
        plan = (
            frozenset(f.key for f in fields),
            tuple(
                (f.key, f, bool(f.column.nullable), f.python_type, getattr(f.column.type, "length", None))
                for f in fields
            ),
        )
        _PLANS[cls] = plan
    return plan


def differences(local: dict[str, Any], incoming: dict[str, Any]) -> list[dict[str, Any]]:
    """Field-by-field differences between two serialised records (bookkeeping fields left out)."""
    skip = {"version", "updated_at", "created_at"}
    keys = list(local) + [k for k in incoming if k not in local]
    return [
        {"field": key, "local": local.get(key), "incoming": incoming.get(key)}
        for key in keys
        if key not in skip and local.get(key) != incoming.get(key)
    ]
