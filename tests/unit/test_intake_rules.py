"""The cesuur and the route advice (pure rules)."""

from __future__ import annotations

import pytest

from app.domain.enums import Leerroute
from app.domain.intake_rules import (
    IntakeFacts,
    LearnabilityOutcome,
    Literacy,
    RouteSettings,
    advise_route,
    learnability_outcome,
)

H, N, G = LearnabilityOutcome.HAALBAAR, LearnabilityOutcome.NIET_HAALBAAR, LearnabilityOutcome.GEEN_UITSLAG


@pytest.mark.parametrize(
    ("score", "cesuur", "expected"),
    [(28, 28, H), (27, 28, N), (40, 28, H), (0, 28, N), (30, 31, N), (31, 31, H)],
)
def test_cesuur(score: int, cesuur: int, expected: LearnabilityOutcome) -> None:
    assert learnability_outcome(True, score, cesuur=cesuur) is expected


def test_no_result_and_not_taken_and_bad_values() -> None:
    assert learnability_outcome(True, None, no_result=True) is G
    assert learnability_outcome(False, 35) is LearnabilityOutcome.NIET_AFGENOMEN
    with pytest.raises(ValueError, match="tussen 0 en 40"):
        learnability_outcome(True, 41)
    with pytest.raises(ValueError, match="cesuur"):
        learnability_outcome(True, 20, cesuur=50)


def test_haalbaar_gives_b1_with_reason() -> None:
    advice = advise_route(IntakeFacts(outcome=H, score=33, age=40, school_years=12, literacy=Literacy.LATIN))
    assert advice.route is Leerroute.B1 and not advice.deviates_from_test
    assert "score 33 van 40, cesuur 28" in advice.explanation


def test_young_schooled_wanting_to_study_gives_onderwijsroute() -> None:
    facts = IntakeFacts(outcome=H, score=36, age=22, education_level="voortgezet", wants_study=True)
    assert advise_route(facts).route is Leerroute.ONDERWIJS
    older = IntakeFacts(outcome=H, score=36, age=35, education_level="voortgezet", wants_study=True)
    assert advise_route(older).route is Leerroute.B1
    assert advise_route(facts, RouteSettings(onderwijs_max_age=20)).route is Leerroute.B1


def test_niet_haalbaar_with_schooling_deviates_to_b1_and_says_so() -> None:
    facts = IntakeFacts(outcome=N, score=24, age=30, school_years=12, literacy=Literacy.LATIN)
    advice = advise_route(facts)
    assert advice.route is Leerroute.B1 and advice.deviates_from_test
    assert "onderbouwing" in advice.explanation


def test_niet_haalbaar_little_schooling_gives_z() -> None:
    facts = IntakeFacts(outcome=N, score=12, age=50, school_years=2, literacy=Literacy.NONE)
    advice = advise_route(facts)
    assert advice.route is Leerroute.Z and "Z-route" in advice.explanation


def test_no_result_decides_on_the_rest_or_asks_for_more() -> None:
    assert advise_route(IntakeFacts(outcome=G)).route is None
    assert advise_route(IntakeFacts(outcome=G, literacy=Literacy.NONE)).route is Leerroute.Z
    assert (
        advise_route(IntakeFacts(outcome=G, school_years=11, literacy=Literacy.LATIN, age=40)).route
        is Leerroute.B1
    )
