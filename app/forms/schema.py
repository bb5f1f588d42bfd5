"""The shape of a form definition: sections (leefgebieden) holding typed fields.

These are plain frozen values built by `app.forms.loader`; nothing here reads files or the store.
Every human text (title, label, help, option label) is a Dutch gettext msgid; it is translated where
it is shown, through `app.forms.texts.form_text`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.domain.enums import Role


class FieldType(enum.StrEnum):
    TEXT = "text"  # short text, one line
    LONG_TEXT = "long_text"  # several lines
    CHOICE = "choice"  # exactly one option
    MULTI_CHOICE = "multi_choice"  # any number of options
    DATE = "date"  # 'YYYY-MM-DD'; with partial = true also 'YYYY-MM' or 'YYYY'
    NUMBER = "number"  # whole or decimal number within min/max
    YES_NO = "yes_no"
    SCALE = "scale"  # 1-5 (min/max may narrow it)
    GROUP = "group"  # repeating entries of sub-fields: diploma, work experience, household member


class ConditionOp(enum.StrEnum):
    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    IN = "in"  # the answer is one of the listed values
    CONTAINS = "contains"  # a multiple-choice answer includes the value
    ANSWERED = "answered"  # true: any answer given; false: no answer
    AT_LEAST = "at_least"  # number >= value
    AT_MOST = "at_most"  # number <= value


class Check(enum.StrEnum):
    BSN = "bsn"
    V_NUMMER = "v_nummer"


class Direction(enum.StrEnum):
    LTR = "ltr"
    RTL = "rtl"
    AUTO = "auto"  # follows the first strong character typed (names in Arabic or Latin script)


@dataclass(frozen=True)
class Option:
    value: str
    label: str  # msgid


@dataclass(frozen=True)
class Condition:
    field_id: str
    op: ConditionOp
    value: Any = None


@dataclass(frozen=True)
class Field:
    id: str
    type: FieldType
    label: str  # msgid
    help: str = ""  # msgid; guidance for the klantmanager
    required: bool = False
    options: tuple[Option, ...] = ()
    minimum: float | None = None  # number, scale; for groups the minimum number of entries
    maximum: float | None = None
    integer: bool = True  # number: whole numbers only
    min_length: int | None = None
    max_length: int | None = None
    check: Check | None = None
    partial: bool = False  # date: day or month may be unknown
    not_future: bool = False  # date
    min_year: int | None = None  # date
    direction: Direction = Direction.LTR
    meaning: str | None = None  # a stable tag the route advice reads (e.g. "learnability.score")
    conditions: tuple[Condition, ...] = ()  # all must hold for the field to be shown
    fields: tuple[Field, ...] = ()  # group sub-fields
    entry_label: str = ""  # group: msgid naming one entry ("Diploma")
    low_label: str = ""  # scale: msgid for the lowest value
    high_label: str = ""  # scale: msgid for the highest value
    roles: frozenset[Role] = frozenset(Role)  # who may see this field (within a visible section)

    def visible_to(self, role: Role) -> bool:
        return role in self.roles

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def subfield(self, field_id: str) -> Field | None:
        return next((f for f in self.fields if f.id == field_id), None)


@dataclass(frozen=True)
class Section:
    id: str
    title: str  # msgid
    help: str = ""
    roles: frozenset[Role] = frozenset(Role)  # who may see it; the interpreter never sees health/finance
    conditions: tuple[Condition, ...] = ()
    fields: tuple[Field, ...] = ()

    def visible_to(self, role: Role) -> bool:
        return role in self.roles


@dataclass(frozen=True)
class FormDefinition:
    form_id: str
    version: int
    title: str  # msgid
    sections: tuple[Section, ...]
    source: Path | None = None
    _index: dict[str, tuple[Section, Field]] = field(default_factory=dict, compare=False, repr=False)
    # The first top-level field per meaning (the advice asks some 13 meanings per intake, issue 15).
    _meanings: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for section in self.sections:
            for item in section.fields:
                self._index[item.id] = (section, item)
                if item.meaning is not None:
                    self._meanings.setdefault(item.meaning, item)

    def field(self, field_id: str) -> Field | None:
        """A top-level field by id (sub-fields of groups are reached through their group)."""
        hit = self._index.get(field_id)
        return hit[1] if hit else None

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def section_of(self, field_id: str) -> Section | None:
        hit = self._index.get(field_id)
        return hit[0] if hit else None

    def fields(self) -> Iterator[Field]:
        for section in self.sections:
            yield from section.fields

    def field_with_meaning(self, meaning: str) -> Field | None:
        return self._meanings.get(meaning)

    def sections_for(self, role: Role) -> tuple[Section, ...]:
        """The sections a role may see, each with only the fields that role may see."""
        visible = []
        for section in self.sections:
            if not section.visible_to(role):
                continue
            fields = tuple(f for f in section.fields if f.visible_to(role))
            visible.append(section if len(fields) == len(section.fields) else replace(section, fields=fields))
        return tuple(visible)

    def hidden_field_ids(self, role: Role) -> set[str]:
        """Every top-level field a role may not see: in a hidden section, or hidden itself."""
        return {
            f.id for s in self.sections for f in s.fields if not (s.visible_to(role) and f.visible_to(role))
        }
