"""Reading and checking form definitions (TOML files in resources/forms/).

A municipality adapts the intake by editing a definition file. A mistake in that file must never
reach a klantmanager as a half-working form, so everything is checked on load and the first problem
is reported as one Dutch sentence naming the file, the field and the problem (`DefinitionError`).
The file format is described in docs/intake.md.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.domain.enums import Role
from app.forms.schema import (
    Check,
    Condition,
    ConditionOp,
    Direction,
    Field,
    FieldType,
    FormDefinition,
    Option,
    Section,
)
from app.i18n import _
from app.resources import resources_dir

_ID = re.compile(r"[a-z][a-z0-9_]{0,62}")
_FORM_KEYS = {"id", "version", "title"}
_SECTION_KEYS = {"id", "title", "help", "roles", "show_if", "fields"}
_FIELD_KEYS = {
    "id",
    "roles",
    "type",
    "label",
    "help",
    "required",
    "options",
    "min",
    "max",
    "integer",
    "min_length",
    "max_length",
    "check",
    "partial",
    "not_future",
    "min_year",
    "direction",
    "meaning",
    "show_if",
    "fields",
    "entry_label",
    "low_label",
    "high_label",
}
_VALUE_TYPES = {FieldType.CHOICE, FieldType.MULTI_CHOICE}


class DefinitionError(ValueError):
    """A form definition that cannot be used; str() is one Dutch sentence."""

    def __init__(self, source: str, where: str, problem: str) -> None:
        self.source = source
        self.where = where
        self.problem = problem
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.where:
            return _("Formulierdefinitie {file}, {where}: {problem}").format(
                file=self.source, where=self.where, problem=self.problem
            )
        return _("Formulierdefinitie {file}: {problem}").format(file=self.source, problem=self.problem)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.ids: dict[str, str] = {}  # every id (sections, fields, sub-fields) -> where it was defined

    def fail(self, where: str, problem: str) -> DefinitionError:
        return DefinitionError(self.source, where, problem)

    def parse(self, data: Mapping[str, Any]) -> FormDefinition:
        form = data.get("form")
        if not isinstance(form, dict):
            raise self.fail("", _("de tabel [form] met id, version en title ontbreekt."))
        self._unknown_keys(form, _FORM_KEYS, "[form]")
        form_id = self._identifier(form.get("id"), "[form]")
        version = form.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise self.fail("[form]", _("version moet een heel getal vanaf 1 zijn."))
        title = self._text(form, "title", "[form]", required=True)
        raw_sections = data.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            raise self.fail("", _("er staan geen secties ([[sections]]) in."))
        sections = tuple(self._section(raw, index) for index, raw in enumerate(raw_sections, 1))
        definition = FormDefinition(form_id, version, title, sections)
        _check_references(definition, self)
        return definition

    def _unknown_keys(self, raw: Mapping[str, Any], allowed: set[str], where: str) -> None:
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise self.fail(where, _("onbekende sleutel '{key}'.").format(key=unknown[0]))

    def _identifier(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise self.fail(
                where,
                _(
                    "id '{id}' is ongeldig; gebruik kleine letters, cijfers en _, beginnend met een letter."
                ).format(id=value),
            )
        return value

    def _register(self, identifier: str, where: str) -> None:
        if identifier in self.ids:
            raise self.fail(
                where,
                _("id '{id}' komt dubbel voor (ook bij {other}).").format(
                    id=identifier, other=self.ids[identifier]
                ),
            )
        self.ids[identifier] = where

    def _text(self, raw: Mapping[str, Any], key: str, where: str, required: bool = False) -> str:
        value = raw.get(key, "")
        if not isinstance(value, str):
            raise self.fail(where, _("{key} moet tekst zijn.").format(key=key))
        if required and not value.strip():
            raise self.fail(where, _("{key} ontbreekt.").format(key=key))
        return value

    def _section(self, raw: Any, index: int) -> Section:
        where = _("sectie {number}").format(number=index)
        if not isinstance(raw, dict):
            raise self.fail(where, _("een sectie moet een tabel zijn."))
        section_id = self._identifier(raw.get("id"), where)
        where = _("sectie '{id}'").format(id=section_id)
        self._unknown_keys(raw, _SECTION_KEYS, where)
        self._register(section_id, where)
        roles = self._roles(raw, where)
        raw_fields = raw.get("fields", [])
        if not isinstance(raw_fields, list) or not raw_fields:
            raise self.fail(where, _("de sectie heeft geen velden."))
        fields = tuple(self._field(item, where, inside_group=False) for item in raw_fields)
        return Section(
            id=section_id,
            title=self._text(raw, "title", where, required=True),
            help=self._text(raw, "help", where),
            roles=roles,
            conditions=self._conditions(raw.get("show_if"), where),
            fields=fields,
        )

    def _roles(self, raw: dict[str, Any], where: str) -> frozenset[Role]:
        """Who may see a section or a field; everyone when the definition does not say."""
        roles_raw = raw.get("roles", [role.value for role in Role])
        if not isinstance(roles_raw, list) or not roles_raw:
            raise self.fail(where, _("roles moet een lijst van rollen zijn."))
        roles = set()
        for name in roles_raw:
            try:
                roles.add(Role(name))
            except ValueError:
                raise self.fail(
                    where,
                    _("onbekende rol '{role}'; kies uit {roles}.").format(
                        role=name, roles=", ".join(r.value for r in Role)
                    ),
                ) from None
        return frozenset(roles)

    def _field(self, raw: Any, parent: str, inside_group: bool) -> Field:
        if not isinstance(raw, dict):
            raise self.fail(parent, _("een veld moet een tabel zijn."))
        field_id = self._identifier(raw.get("id"), parent)
        where = _("veld '{id}'").format(id=field_id)
        self._unknown_keys(raw, _FIELD_KEYS, where)
        self._register(field_id, where)
        try:
            kind = FieldType(str(raw.get("type")))
        except ValueError:
            raise self.fail(
                where,
                _("onbekend type '{type}'; kies uit {types}.").format(
                    type=raw.get("type"), types=", ".join(t.value for t in FieldType)
                ),
            ) from None
        if inside_group and kind is FieldType.GROUP:
            raise self.fail(where, _("een herhaalgroep kan geen herhaalgroep bevatten."))
        options = self._options(raw.get("options"), kind, where)
        minimum, maximum = self._number(raw, "min", where), self._number(raw, "max", where)
        if kind is FieldType.SCALE:
            minimum = 1 if minimum is None else minimum
            maximum = 5 if maximum is None else maximum
        if minimum is not None and maximum is not None and minimum > maximum:
            raise self.fail(where, _("min is groter dan max."))
        check = raw.get("check")
        if check is not None:
            try:
                check = Check(check)
            except ValueError:
                raise self.fail(
                    where, _("onbekende controle '{check}'; kies bsn of v_nummer.").format(check=check)
                ) from None
        try:
            direction = Direction(raw.get("direction", "ltr"))
        except ValueError:
            raise self.fail(where, _("direction moet ltr, rtl of auto zijn.")) from None
        sub_fields: tuple[Field, ...] = ()
        if kind is FieldType.GROUP:
            raw_sub = raw.get("fields")
            if not isinstance(raw_sub, list) or not raw_sub:
                raise self.fail(where, _("een herhaalgroep heeft velden nodig."))
            sub_fields = tuple(self._field(item, where, inside_group=True) for item in raw_sub)
        elif "fields" in raw:
            raise self.fail(where, _("alleen een herhaalgroep (type group) heeft velden."))
        for flag in ("required", "integer", "partial", "not_future"):
            if flag in raw and not isinstance(raw[flag], bool):
                raise self.fail(where, _("{key} moet true of false zijn.").format(key=flag))
        meaning = raw.get("meaning")
        if meaning is not None and not isinstance(meaning, str):
            raise self.fail(where, _("meaning moet tekst zijn."))
        return Field(
            id=field_id,
            roles=self._roles(raw, where),
            type=kind,
            label=self._text(raw, "label", where, required=True),
            help=self._text(raw, "help", where),
            required=bool(raw.get("required", False)),
            options=options,
            minimum=minimum,
            maximum=maximum,
            integer=bool(raw.get("integer", True)),
            min_length=self._count(raw, "min_length", where),
            max_length=self._count(raw, "max_length", where),
            check=check,
            partial=bool(raw.get("partial", False)),
            not_future=bool(raw.get("not_future", False)),
            min_year=self._count(raw, "min_year", where),
            direction=direction,
            meaning=meaning,
            conditions=self._conditions(raw.get("show_if"), where),
            fields=sub_fields,
            entry_label=self._text(raw, "entry_label", where, required=kind is FieldType.GROUP),
            low_label=self._text(raw, "low_label", where),
            high_label=self._text(raw, "high_label", where),
        )

    def _options(self, raw: Any, kind: FieldType, where: str) -> tuple[Option, ...]:
        if kind not in _VALUE_TYPES:
            if raw is not None:
                raise self.fail(where, _("alleen een keuzeveld heeft options."))
            return ()
        if not isinstance(raw, list) or not raw:
            raise self.fail(where, _("een keuzeveld heeft options nodig."))
        options: list[Option] = []
        for item in raw:
            if not isinstance(item, dict) or not isinstance(item.get("value"), str) or not item.get("label"):
                raise self.fail(where, _("elke optie heeft value en label nodig."))
            if any(o.value == item["value"] for o in options):
                raise self.fail(where, _("optie '{value}' komt dubbel voor.").format(value=item["value"]))
            options.append(Option(item["value"], str(item["label"])))
        return tuple(options)

    def _number(self, raw: Mapping[str, Any], key: str, where: str) -> float | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(where, _("{key} moet een getal zijn.").format(key=key))
        return value

    def _count(self, raw: Mapping[str, Any], key: str, where: str) -> int | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(where, _("{key} moet een heel getal vanaf 0 zijn.").format(key=key))
        return value

    def _conditions(self, raw: Any, where: str) -> tuple[Condition, ...]:
        if raw is None:
            return ()
        items = raw if isinstance(raw, list) else [raw]
        conditions = []
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("field"), str):
                raise self.fail(where, _("show_if heeft een veld (field) en een voorwaarde nodig."))
            ops = [key for key in item if key != "field"]
            if len(ops) != 1 or ops[0] not in {op.value for op in ConditionOp}:
                raise self.fail(
                    where,
                    _("show_if heeft precies één voorwaarde nodig uit {ops}.").format(
                        ops=", ".join(op.value for op in ConditionOp)
                    ),
                )
            op = ConditionOp(ops[0])
            if op is ConditionOp.IN and not isinstance(item[ops[0]], list):
                raise self.fail(where, _("show_if met in heeft een lijst van waarden nodig."))
            conditions.append(Condition(item["field"], op, item[ops[0]]))
        return tuple(conditions)


def _check_references(definition: FormDefinition, parser: _Parser) -> None:
    """Conditions must name an existing field that can be seen from where they are used, without cycles."""
    top_level = {f.id: f for f in definition.fields()}
    # Dependency graph over section and field ids: visibility of a node depends on these fields.
    graph: dict[str, set[str]] = {}
    for section in definition.sections:
        graph[section.id] = set()
        for condition in section.conditions:
            _check_target(condition, top_level, {}, parser, _("sectie '{id}'").format(id=section.id))
            graph[section.id].add(condition.field_id)
        for item in section.fields:
            graph[item.id] = {section.id}
            where = _("veld '{id}'").format(id=item.id)
            for condition in item.conditions:
                _check_target(condition, top_level, {}, parser, where)
                graph[item.id].add(condition.field_id)
            siblings = {sub.id: sub for sub in item.fields}
            for sub in item.fields:
                graph[sub.id] = {item.id}
                for condition in sub.conditions:
                    # Sub-fields only look at their own entry: a condition names a sibling sub-field.
                    _check_target(condition, {}, siblings, parser, _("veld '{id}'").format(id=sub.id))
                    graph[sub.id].add(condition.field_id)
    _check_cycles(graph, parser)


def _check_target(
    condition: Condition, top_level: dict[str, Field], siblings: dict[str, Field], parser: _Parser, where: str
) -> None:
    target = siblings.get(condition.field_id) or top_level.get(condition.field_id)
    if target is None:
        raise parser.fail(
            where,
            _(
                "de voorwaarde noemt veld '{id}', maar dat veld bestaat niet (of zit in een herhaalgroep)."
            ).format(id=condition.field_id),
        )
    if target.type is FieldType.GROUP:
        raise parser.fail(where, _("een voorwaarde kan niet naar een herhaalgroep verwijzen."))
    value = condition.value
    values = value if condition.op is ConditionOp.IN else [value]
    if target.type in _VALUE_TYPES and condition.op in {
        ConditionOp.EQUALS,
        ConditionOp.NOT_EQUALS,
        ConditionOp.IN,
        ConditionOp.CONTAINS,
    }:
        for v in values:
            if target.option(v) is None:
                raise parser.fail(
                    where,
                    _("de voorwaarde noemt optie '{value}', maar veld '{id}' heeft die optie niet.").format(
                        value=v, id=target.id
                    ),
                )
    if condition.op is ConditionOp.CONTAINS and target.type is not FieldType.MULTI_CHOICE:
        raise parser.fail(where, _("contains werkt alleen met een meerkeuzeveld (multi_choice)."))
    if condition.op in (ConditionOp.AT_LEAST, ConditionOp.AT_MOST) and (
        isinstance(value, bool) or not isinstance(value, int | float)
    ):
        raise parser.fail(where, _("{op} heeft een getal nodig.").format(op=condition.op.value))
    if condition.op is ConditionOp.ANSWERED and not isinstance(value, bool):
        raise parser.fail(where, _("answered moet true of false zijn."))
    comparing = condition.op in (ConditionOp.EQUALS, ConditionOp.NOT_EQUALS)
    if target.type is FieldType.YES_NO and comparing and not isinstance(value, bool):
        raise parser.fail(
            where, _("veld '{id}' is ja/nee: vergelijk met true of false.").format(id=target.id)
        )


def _check_cycles(graph: dict[str, set[str]], parser: _Parser) -> None:
    visiting: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> None:
        if node in done:
            return
        if node in visiting:
            cycle = visiting[visiting.index(node) :] + [node]
            raise parser.fail(
                _("veld '{id}'").format(id=node),
                _("de voorwaarden vormen een kring ({cycle}).").format(cycle=" → ".join(cycle)),
            )
        visiting.append(node)
        for dependency in sorted(graph.get(node, ())):
            visit(dependency)
        visiting.pop()
        done.add(node)

    for node in graph:
        visit(node)


def parse_definition(text: str, source: str = "<tekst>") -> FormDefinition:
    """A definition from TOML text; raises DefinitionError."""
    parser = _Parser(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise parser.fail("", _("geen geldige TOML ({detail}).").format(detail=error)) from None
    return parser.parse(data)


def load_definition(path: Path) -> FormDefinition:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DefinitionError(path.name, "", _("het bestand is geen UTF-8-tekst.")) from None
    except OSError as error:
        raise DefinitionError(
            path.name, "", _("het bestand kan niet worden gelezen ({detail}).").format(detail=error.strerror)
        ) from None
    definition = parse_definition(text, path.name)
    return FormDefinition(definition.form_id, definition.version, definition.title, definition.sections, path)


def forms_dir() -> Path:
    return resources_dir() / "forms"
