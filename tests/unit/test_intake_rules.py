"""The cesuur and the route advice (pure rules)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.domain.enums import Leerroute
from app.domain.intake_rules import (
    IntakeFacts,
    LearnabilityOutcome,
    Literacy,
    RouteSettings,
    advise_route,
    cesuur_on,
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


# Source: letter 32 824 nr. 380 ("van 31 ... naar 28"), dated in resources/law/leerbaarheidstoets_cesuur.json.
@pytest.mark.parametrize(
    ("test_date", "cesuur"),
    [
        (dt.date(2022, 12, 31), 31),
        (dt.date(2023, 1, 1), 28),
        (dt.date(2024, 2, 29), 28),
        (None, 28),  # no test date: today's norm
    ],
)
def test_cesuur_is_national_and_dated(test_date: dt.date | None, cesuur: int) -> None:
    assert cesuur_on(test_date) == cesuur


# Source: issue 13 ("a recomputed result never overrides DUO's").
@pytest.mark.parametrize(
    ("score", "duo", "expected"),
    [
        (35, "niet_haalbaar", LearnabilityOutcome.NIET_HAALBAAR),
        (10, "haalbaar", LearnabilityOutcome.HAALBAAR),
        (35, None, LearnabilityOutcome.HAALBAAR),
    ],
)
def test_duo_uitslag_wins(score: int, duo: str | None, expected: LearnabilityOutcome) -> None:
    assert learnability_outcome(True, score, cesuur=28, duo_outcome=duo) is expected


# Source: issue 13 ("health limits collected in the intake take part in the route advice").
@pytest.mark.parametrize(
    ("facts", "healthy_route", "limited_route"),
    [
        # Niet haalbaar but schooled and literate: B1 is worth considering, not with health limits.
        (
            IntakeFacts(LearnabilityOutcome.NIET_HAALBAAR, 20, 30, 12, None, Literacy.LATIN),
            Leerroute.B1,
            Leerroute.Z,
        ),
        # No test, little further schooling: B1 when healthy, Z with health limits.
        (IntakeFacts(school_years=8, literacy=Literacy.LATIN, age=40), Leerroute.B1, Leerroute.Z),
        # Young, schooled and wanting to study: onderwijs, but not advised with health limits.
        (
            IntakeFacts(LearnabilityOutcome.HAALBAAR, 35, 22, 12, "hoger", Literacy.LATIN, True),
            Leerroute.ONDERWIJS,
            Leerroute.B1,
        ),
    ],
)
def test_health_limits_weigh_in_the_advice(
    facts: IntakeFacts, healthy_route: Leerroute, limited_route: Leerroute
) -> None:
    assert advise_route(facts).route is healthy_route
    limited = advise_route(dataclasses.replace(facts, health_limits=True))
    assert limited.route is limited_route
    assert "klachten" in limited.explanation
