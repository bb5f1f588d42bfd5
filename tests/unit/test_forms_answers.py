"""Bad answers are kept as typed and flagged with one Dutch sentence; conditions and progress."""

from __future__ import annotations

import datetime as dt

import pytest

from app.forms import (
    SectionState,
    check_answer,
    default_registry,
    entry_problems,
    field_visible,
    missing_required,
    section_progress,
)
from app.forms.schema import Field

TODAY = dt.date(2026, 11, 22)
D = default_registry().latest()


def field(field_id: str) -> Field:
    found = D.field(field_id)
    assert found is not None
    return found


def test_control_characters_are_flagged_not_swallowed() -> None:
    result = check_answer(field("naam_latijns"), "Amina\x00 Yusuf\x1b", TODAY)
    assert result.value is None and "stuurtekens" in (result.problem or "")
    # Newlines and tabs are fine in long text; a CRLF from a Windows paste too.
    assert check_answer(field("ambitie"), "Werk\r\nin de zorg\tvinden", TODAY).ok


def test_ten_thousand_characters() -> None:
    result = check_answer(field("ambitie"), "x" * 10_000, TODAY)
    assert result.problem == "De tekst is 10000 tekens; maximaal 4000 past. Kort hem in."
    assert check_answer(field("ambitie"), "x" * 4000, TODAY).ok


def test_emoji_and_mixed_directions_are_accepted_as_typed() -> None:
    mixed = "محمد Mohammed \u200f(V-nummer 1234567890)\u200e 🙂"
    result = check_answer(field("naam_origineel"), mixed, TODAY)
    assert result.ok and result.value == mixed
    assert check_answer(field("ambitie"), "Ik wil kok worden 👩‍🍳 في مطعم", TODAY).ok


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("2027-01-01", "in de toekomst"),
        ("1899-12-31", "vóór 1900"),
        ("1899", "vóór 1900"),
        ("2001-02-30", "Dag 30 bestaat niet"),
        ("12-03-1990", "geen datum"),
    ],
)
def test_bad_birth_dates(raw: str, problem: str) -> None:
    result = check_answer(field("geboortedatum"), raw, TODAY)
    assert result.value is None and problem in (result.problem or "")


def test_partly_known_birth_dates() -> None:
    assert check_answer(field("geboortedatum"), "1990", TODAY).value == "1990"
    assert check_answer(field("geboortedatum"), "1990-07", TODAY).value == "1990-07"
    assert check_answer(field("geboortedatum"), " 1990-07-04 ", TODAY).value == "1990-07-04"
    # The learnability test date must be complete.
    assert "volledige datum" in (check_answer(field("toets_datum"), "2025-03", TODAY).problem or "")


def test_bsn_elfproef_and_v_nummer() -> None:
    assert check_answer(field("bsn"), "111222333", TODAY).value == "111222333"
    assert check_answer(field("bsn"), "111.222.333", TODAY).value == "111222333"
    assert "elfproef" in (check_answer(field("bsn"), "111222334", TODAY).problem or "")
    assert "elfproef" in (check_answer(field("bsn"), "000000000", TODAY).problem or "")
    assert check_answer(field("v_nummer"), "12345 67890", TODAY).value == "1234567890"
    assert "10 cijfers" in (check_answer(field("v_nummer"), "123456789", TODAY).problem or "")


def test_numbers_and_ranges() -> None:
    score = field("toets_score")
    assert check_answer(score, "28", TODAY).value == 28
    assert check_answer(score, "41", TODAY).problem == "Kies een getal van 0 tot en met 40."
    assert check_answer(score, "-1", TODAY).problem == "Kies een getal van 0 tot en met 40."
    assert check_answer(score, "27,5", TODAY).problem == "Typ een heel getal."
    assert check_answer(score, "veertig", TODAY).problem == "Typ een getal, zoals 12."
    assert check_answer(score, "nan", TODAY).problem == "Typ een getal, zoals 12."
    assert check_answer(field("reisafstand_km"), "12,5", TODAY).value == 12.5
    assert (
        check_answer(field("digitale_vaardigheid"), 6, TODAY).problem == "Kies een getal van 1 tot en met 5."
    )


def test_choices() -> None:
    assert check_answer(field("doelgroep"), "asiel", TODAY).ok
    assert not check_answer(field("doelgroep"), "oekraine", TODAY).ok
    assert check_answer(field("inkomen"), ["werk", "bijstand"], TODAY).value == ["bijstand", "werk"]
    assert not check_answer(field("inkomen"), ["loterij"], TODAY).ok
    assert not check_answer(field("schulden"), "ja", TODAY).ok


def test_group_entries_report_entry_number_and_field() -> None:
    diplomas = field("diplomas")
    good = [{"diploma_naam": "Verpleegkunde", "diploma_jaar": "2012"}]
    assert check_answer(diplomas, good, TODAY).ok
    bad = good + [{"diploma_naam": "", "diploma_jaar": "1850"}]
    result = check_answer(diplomas, bad, TODAY)
    assert result.problem == "Diploma 2, Opleiding: Dit is verplicht."
    assert entry_problems(diplomas, bad[1], TODAY) == {
        "diploma_naam": "Dit is verplicht.",
        "diploma_jaar": "Kies een getal van 1940 tot en met 2100.",
    }


def test_conditions_show_and_hide_fields_and_sections() -> None:
    answers: dict[str, object] = {"toets_afgenomen": True, "toets_uitslag": "score"}
    assert field_visible(D, field("toets_score"), answers)
    answers["toets_uitslag"] = "geen_uitslag"
    assert not field_visible(D, field("toets_score"), answers)
    # A chain: score hidden when the test was not taken, even if an old answer "score" is still stored.
    assert not field_visible(D, field("toets_score"), {"toets_afgenomen": False, "toets_uitslag": "score"})
    zrm = D.section("zrm")
    assert zrm is not None
    assert not field_visible(D, zrm.fields[0], {})
    assert field_visible(D, zrm.fields[0], {"andere_instrumenten": ["noa", "zrm"]})
    assert field_visible(D, field("reisafstand_km"), {"belemmeringen": ["reisafstand"]})


def test_progress_states_and_missing_required() -> None:
    section = D.section("leerbaarheid")
    assert section is not None
    assert section_progress(D, section, {}, False, TODAY).state is SectionState.NOT_STARTED
    answers: dict[str, object] = {"toets_afgenomen": True}
    assert section_progress(D, section, answers, False, TODAY).state is SectionState.IN_PROGRESS
    assert section_progress(D, section, answers, True, TODAY).state is SectionState.HAS_PROBLEMS
    answers |= {"toets_uitslag": "score", "toets_score": "45"}
    assert section_progress(D, section, answers, False, TODAY).state is SectionState.HAS_PROBLEMS
    answers["toets_score"] = "31"
    assert section_progress(D, section, answers, True, TODAY).state is SectionState.COMPLETE
    missing = [m.field_id for m in missing_required(D, answers)]
    assert missing[:3] == ["naam_latijns", "geboortedatum", "v_nummer"]
    assert "toets_score" not in missing and "ambitie" in missing
