"""Loading and checking form definitions: the default brede intake and broken definitions."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.enums import Role
from app.forms import (
    DefinitionError,
    FieldType,
    check_answer,
    default_registry,
    field_visible,
    load_registry,
    parse_definition,
)
from app.forms.answers import format_answer
from app.forms.babel_extract import extract_form_definition
from app.forms.loader import forms_dir

MINIMAL = """
[form]
id = "proef"
version = 1
title = "Proef"

[[sections]]
id = "een"
title = "Een"

[[sections.fields]]
id = "a"
type = "yes_no"
label = "A"
"""


def broken(extra: str) -> str:
    return MINIMAL + extra


def test_default_definition_covers_every_topic_of_step_2() -> None:
    definition = default_registry().latest()
    assert definition.form_id == "brede_intake" and definition.version >= 1
    ids = [s.id for s in definition.sections]
    for topic in ("identiteit", "huishouden", "huisvesting", "gezondheid", "opleiding", "werk", "talen",
                  "digitaal", "financien", "netwerk", "participatie", "ambities", "praktisch", "leerbaarheid",
                  "zrm"):  # fmt: skip
        assert topic in ids
    kinds = {f.type for f in definition.fields()}
    assert kinds == set(FieldType)  # every field type is used, so the screen renders all of them
    score = definition.field_with_meaning("learnability.score")
    assert score is not None and (score.minimum, score.maximum) == (0, 40)
    zrm = definition.section("zrm")
    assert zrm is not None and len(zrm.fields) == 13
    assert all(f.type is FieldType.SCALE and (f.minimum, f.maximum) == (1, 5) for f in zrm.fields)


def test_interpreter_never_sees_health_or_finance() -> None:
    definition = default_registry().latest()
    visible = {s.id for s in definition.sections_for(Role.INTERPRETER)}
    assert "gezondheid" not in visible and "financien" not in visible and "zrm" not in visible
    assert "identiteit" in visible
    assert {s.id for s in definition.sections_for(Role.KLANTMANAGER)} >= {"gezondheid", "financien"}


@pytest.mark.parametrize(
    ("extra", "where", "problem"),
    [
        (
            '[[sections.fields]]\nid = "b"\ntype = "slider"\nlabel = "B"\n',
            "veld 'b'",
            "onbekend type 'slider'",
        ),
        (
            '[[sections.fields]]\nid = "a"\ntype = "text"\nlabel = "Nog een A"\n',
            "veld 'a'",
            "komt dubbel voor",
        ),
        (
            '[[sections.fields]]\nid = "b"\ntype = "text"\nlabel = "B"\nshow_if = { field = "zz", equals = true }\n',
            "veld 'b'",
            "veld 'zz', maar dat veld bestaat niet",
        ),
        (
            '[[sections.fields]]\nid = "b"\ntype = "yes_no"\nlabel = "B"\nshow_if = { field = "c", equals = true }\n'
            '[[sections.fields]]\nid = "c"\ntype = "yes_no"\nlabel = "C"\nshow_if = { field = "b", equals = true }\n',
            "veld '",
            "kring",
        ),
        (
            '[[sections.fields]]\nid = "b"\ntype = "yes_no"\nlabel = "B"\nshow_if = { field = "b", equals = true }\n',
            "veld 'b'",
            "kring (b → b)",
        ),
        (
            '[[sections.fields]]\nid = "b"\ntype = "choice"\nlabel = "B"\noptions = [{ value = "x", label = "X" }]\n'
            '[[sections.fields]]\nid = "c"\ntype = "yes_no"\nlabel = "C"\nshow_if = { field = "b", equals = "y" }\n',
            "veld 'c'",
            "optie 'y'",
        ),
        ('[[sections.fields]]\nid = "b"\ntype = "choice"\nlabel = "B"\n', "veld 'b'", "options nodig"),
        (
            '[[sections.fields]]\nid = "b"\ntype = "text"\nlabel = "B"\nshow_if = { field = "a", equals = "ja" }\n',
            "veld 'b'",
            "vergelijk met true of false",
        ),
        (
            '[[sections.fields]]\nid = "n"\ntype = "number"\nlabel = "N"\n'
            '[[sections.fields]]\nid = "b"\ntype = "text"\nlabel = "B"\nshow_if = { field = "n", at_least = "5" }\n',
            "veld 'b'",
            "at_least heeft een getal nodig",
        ),
        (
            '[[sections.fields]]\nid = "b"\ntype = "number"\nlabel = "B"\nmin = 5\nmax = 1\n',
            "veld 'b'",
            "min is groter",
        ),
        (
            '[[sections.fields]]\nid = "b"\ntype = "text"\nlabel = "B"\ncheck = "iban"\n',
            "veld 'b'",
            "controle 'iban'",
        ),
        (
            '[[sections.fields]]\nid = "b"\ntype = "text"\nlabel = "B"\ncolour = "red"\n',
            "veld 'b'",
            "sleutel 'colour'",
        ),
        (
            '[[sections.fields]]\nid = "B-1"\ntype = "text"\nlabel = "B"\n',
            "sectie 'een'",
            "id 'B-1' is ongeldig",
        ),
        ('[[sections.fields]]\nid = "b"\ntype = "text"\n', "veld 'b'", "label ontbreekt"),
        (
            '[[sections]]\nid = "twee"\ntitle = "Twee"\nroles = ["tolk"]\n[[sections.fields]]\nid = "b"\ntype = "text"\n'
            'label = "B"\n',
            "sectie 'twee'",
            "onbekende rol 'tolk'",
        ),  # fmt: skip
        (
            '[[sections.fields]]\nid = "g"\ntype = "group"\nlabel = "G"\nentry_label = "G"\n',
            "veld 'g'",
            "velden nodig",
        ),
    ],
)
def test_broken_definition_gives_one_clear_error(extra: str, where: str, problem: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(broken(extra), "proef.toml")
    message = str(caught.value)
    assert message.startswith("Formulierdefinitie proef.toml, ")
    assert where in message and problem in message
    assert "\n" not in message


def test_section_condition_on_its_own_field_is_a_cycle() -> None:
    text = MINIMAL.replace('title = "Een"', 'title = "Een"\nshow_if = { field = "a", equals = true }')
    with pytest.raises(DefinitionError, match="kring"):
        parse_definition(text, "proef.toml")


def test_not_toml_and_missing_form_table() -> None:
    with pytest.raises(DefinitionError, match="geen geldige TOML"):
        parse_definition("[form\n", "kapot.toml")
    with pytest.raises(DefinitionError, match=r"\[form\]"):
        parse_definition('[[sections]]\nid = "x"\n', "kapot.toml")


def test_group_sub_field_condition_must_name_a_sibling() -> None:
    text = broken(
        '[[sections.fields]]\nid = "g"\ntype = "group"\nlabel = "G"\nentry_label = "G"\n'
        '  [[sections.fields.fields]]\n  id = "s"\n  type = "text"\n  label = "S"\n'
        '  show_if = { field = "a", equals = true }\n'
    )
    with pytest.raises(DefinitionError, match="veld 's'"):
        parse_definition(text, "proef.toml")


def test_registry_keeps_every_version_and_removed_fields(tmp_path: Path) -> None:
    (tmp_path / "proef.v1.toml").write_text(
        MINIMAL + '[[sections.fields]]\nid = "oud"\ntype = "text"\nlabel = "Oud veld"\n', encoding="utf-8"
    )
    (tmp_path / "proef.v2.toml").write_text(MINIMAL.replace("version = 1", "version = 2"), encoding="utf-8")
    registry = load_registry(tmp_path)
    assert registry.versions("proef") == [1, 2]
    assert registry.latest("proef").field("oud") is None
    old = registry.get("proef", 1)
    assert old is not None and old.field("oud") is not None
    removed = registry.field_in_any_version("proef", "oud")
    assert removed is not None and removed.label == "Oud veld"


def test_registry_refuses_the_same_version_twice(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "b.toml").write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(DefinitionError, match="versie 1 van 'proef' staat ook in a.toml"):
        load_registry(tmp_path)


def test_non_utf8_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "latin1.toml").write_bytes(MINIMAL.replace("Proef", "Pr\xf6ef").encode("latin-1"))
    with pytest.raises(DefinitionError, match="latin1.toml: het bestand is geen UTF-8"):
        load_registry(tmp_path)


def test_babel_extractor_finds_every_human_text() -> None:
    path = forms_dir() / "brede_intake.v1.toml"
    messages = [
        m for _line, _func, m, _comments in extract_form_definition(io.BytesIO(path.read_bytes()), [], [], {})
    ]
    definition = default_registry().latest()
    expected = {definition.title}
    for section in definition.sections:
        expected |= {section.title, section.help}
        for item in section.fields:
            for f in (item, *item.fields):
                expected |= {f.label, f.help, f.entry_label, f.low_label, f.high_label}
                expected |= {o.label for o in f.options}
    expected.discard("")
    assert expected <= set(messages)


def test_babel_cli_extracts_with_the_mapping(tmp_path: Path) -> None:
    from babel.messages.frontend import CommandLineInterface

    out = tmp_path / "forms.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(forms_dir() / "babel.cfg"), "-o", str(out), str(forms_dir())]
    )
    text = out.read_text(encoding="utf-8")
    assert 'msgid "Leerbaarheidstoets afgenomen"' in text and 'msgid "ZRM: Justitie"' in text


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
))  # fmt: skip
@settings(max_examples=150, deadline=None)
def test_any_stored_value_is_checked_without_crashing(value: object) -> None:
    """Whatever a damaged store or a sync package holds, checking and showing it never raises."""
    definition = default_registry().latest()
    for item in definition.fields():
        result = check_answer(item, value)
        assert result.problem is None or isinstance(result.problem, str)
        assert isinstance(format_answer(item, value), str)
    assert isinstance(
        field_visible(definition, definition.fields().__next__(), {"toets_afgenomen": value}), bool
    )


def test_a_field_can_be_hidden_from_a_role_within_a_visible_section() -> None:
    definition = parse_definition(
        MINIMAL
        + '\n[[sections.fields]]\nid = "geheim"\ntype = "text"\nlabel = "Geheim"\nroles = ["klantmanager"]\n',
        "proef.toml",
    )
    interpreter = definition.sections_for(Role.INTERPRETER)
    assert [f.id for f in interpreter[0].fields] == ["a"]
    assert [f.id for f in definition.sections_for(Role.KLANTMANAGER)[0].fields] == ["a", "geheim"]
    assert definition.hidden_field_ids(Role.INTERPRETER) == {"geheim"}
    with pytest.raises(DefinitionError, match="onbekende rol 'tolk'"):
        parse_definition(MINIMAL.replace('label = "A"', 'label = "A"\nroles = ["tolk"]'), "proef.toml")


def test_the_default_form_keeps_the_bsn_from_the_interpreter() -> None:
    definition = default_registry().latest()
    identity = next(s for s in definition.sections_for(Role.INTERPRETER) if s.id == "identiteit")
    assert "bsn" not in {f.id for f in identity.fields}
    assert "bsn" in definition.hidden_field_ids(Role.INTERPRETER)
