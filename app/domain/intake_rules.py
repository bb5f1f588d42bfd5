"""Rules of the brede intake: the leerbaarheidstoets cesuur and the route advice.

Pure functions over plain values (no store, no form definition), so the PIP can reuse
`advise_route` with the same facts. The advice is a proposal with reasons in plain Dutch; the
klantmanager decides, and a decision that differs from the advice needs an onderbouwing (PIP rules).

Why these rules: the route follows the whole intake, not only the test (DOMAIN.md step 3). In cohort
2022 22% of the B1-route had *niet haalbaar*; municipalities deviated on other grounds such as
schooling and literacy. The onderwijsroute is mainly for young people who can study.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
from dataclasses import dataclass, field

from app.domain.enums import Leerroute
from app.i18n import _
from app.resources import resources_dir

DEFAULT_CESUUR = 28  # since 2023 (it was 31); the dated table below decides per test date
MAX_SCORE = 40


@functools.cache
def _cesuur_periods() -> tuple[tuple[dt.date, int], ...]:
    path = resources_dir() / "law" / "leerbaarheidstoets_cesuur.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(sorted((dt.date.fromisoformat(p["from"]), int(p["cesuur"])) for p in data["periods"]))


def cesuur_on(test_date: dt.date | None) -> int:
    """The national cut-off on the day the test was taken (resources/law/leerbaarheidstoets_cesuur.json,
    source: letter 32 824 nr. 380): 31 before the 2023 change, 28 after. Unknown date: the current one."""
    periods = _cesuur_periods()
    if test_date is None:
        return periods[-1][1]
    applicable = [cesuur for start, cesuur in periods if start <= test_date]
    return applicable[-1] if applicable else periods[0][1]


class LearnabilityOutcome(enum.StrEnum):
    HAALBAAR = "haalbaar"
    NIET_HAALBAAR = "niet_haalbaar"
    GEEN_UITSLAG = "geen_uitslag"  # the test was taken but gave no result
    NIET_AFGENOMEN = "niet_afgenomen"  # no test (yet)


def learnability_outcome(
    taken: bool | None,
    score: int | None,
    no_result: bool = False,
    cesuur: int = DEFAULT_CESUUR,
    duo_outcome: str | None = None,
) -> LearnabilityOutcome:
    """DUO's own uitslag when known (a recomputed result never overrides it); otherwise haalbaar at
    a score of at least the cesuur (out of 40), niet haalbaar below it."""
    if taken and duo_outcome in (LearnabilityOutcome.HAALBAAR.value, LearnabilityOutcome.NIET_HAALBAAR.value):
        return LearnabilityOutcome(duo_outcome)
    if not 0 <= cesuur <= MAX_SCORE:
        raise ValueError(_("De cesuur moet tussen 0 en 40 liggen; pas de instelling aan."))
    if not taken:
        return LearnabilityOutcome.NIET_AFGENOMEN
    if no_result or score is None:
        return LearnabilityOutcome.GEEN_UITSLAG
    if not 0 <= score <= MAX_SCORE:
        raise ValueError(_("Een score van de leerbaarheidstoets ligt tussen 0 en 40."))
    return LearnabilityOutcome.HAALBAAR if score >= cesuur else LearnabilityOutcome.NIET_HAALBAAR


def route_deviates_from_test(route: Leerroute | str | None, outcome: str | None) -> bool:
    """The route goes against the test result: B1 or onderwijs on "niet haalbaar", Z on "haalbaar".
    Such a choice needs an onderbouwing, also when the advice itself went against the test."""
    if not route:
        return False
    chosen = Leerroute(route)
    if outcome == LearnabilityOutcome.NIET_HAALBAAR.value:
        return chosen in (Leerroute.B1, Leerroute.ONDERWIJS)
    if outcome == LearnabilityOutcome.HAALBAAR.value:
        return chosen is Leerroute.Z
    return False


def outcome_label(outcome: LearnabilityOutcome) -> str:
    return {
        LearnabilityOutcome.HAALBAAR: _("haalbaar"),
        LearnabilityOutcome.NIET_HAALBAAR: _("niet haalbaar"),
        LearnabilityOutcome.GEEN_UITSLAG: _("geen uitslag"),
        LearnabilityOutcome.NIET_AFGENOMEN: _("niet afgenomen"),
    }[outcome]


class Literacy(enum.StrEnum):
    LATIN = "latijns"  # reads and writes the Latin script
    OTHER_SCRIPT = "ander_schrift"  # literate, not in the Latin script
    NONE = "niet"


@dataclass(frozen=True)
class RouteSettings:
    """Municipal choices behind the advice; the defaults follow common practice."""

    cesuur: int = DEFAULT_CESUUR
    onderwijs_max_age: int = 27  # the onderwijsroute is advised up to and including this age
    min_school_years_b1: int = 8  # enough schooling to reach B1 despite a low test score
    max_school_years_z: int = 4  # this little schooling without literacy points to the Z-route


@dataclass(frozen=True)
class IntakeFacts:
    """What the route advice looks at; None means not (yet) known."""

    outcome: LearnabilityOutcome = LearnabilityOutcome.NIET_AFGENOMEN
    score: int | None = None
    age: int | None = None
    school_years: int | None = None
    education_level: str | None = (
        None  # the form's option value: geen, basis, voortgezet, beroeps, hoger, universiteit
    )
    literacy: Literacy | None = None
    wants_study: bool | None = None
    dutch_level: str | None = None  # geen, a0, a1, a2, b1
    health_limits: bool = False
    # The cut-off that applied on the test date (None: the settings' value).
    cesuur: int | None = None


@dataclass(frozen=True)
class RouteAdvice:
    route: Leerroute | None  # None: too little known to propose a route
    reasons: tuple[str, ...] = field(default_factory=tuple)  # plain Dutch, in the order they weighed
    deviates_from_test: bool = False  # the advice goes against haalbaar / niet haalbaar

    @property
    def explanation(self) -> str:
        return " ".join(self.reasons)


_HIGHER_EDUCATION = {"voortgezet", "beroeps", "hoger", "universiteit"}


def advise_route(facts: IntakeFacts, settings: RouteSettings | None = None) -> RouteAdvice:
    """Propose a leerroute from the test result and the rest of the intake, and say why."""
    s = settings or RouteSettings()
    if facts.cesuur is not None:
        s = RouteSettings(facts.cesuur, s.onderwijs_max_age, s.min_school_years_b1, s.max_school_years_z)
    reasons: list[str] = []
    outcome = facts.outcome
    if facts.health_limits:
        reasons.append(
            _(
                "Er zijn lichamelijke of psychische klachten die het leren beïnvloeden; dat weegt mee "
                "in het advies en in de intensiteit van het traject."
            )
        )
    if outcome is LearnabilityOutcome.HAALBAAR:
        reasons.append(
            _("De leerbaarheidstoets is haalbaar: score {score} van 40, cesuur {cesuur}.").format(
                score=facts.score, cesuur=s.cesuur
            )
        )
    elif outcome is LearnabilityOutcome.NIET_HAALBAAR:
        text = _("De leerbaarheidstoets is niet haalbaar: score {score} van 40, cesuur {cesuur}.")
        reasons.append(text.format(score=facts.score, cesuur=s.cesuur))
    elif outcome is LearnabilityOutcome.GEEN_UITSLAG:
        reasons.append(
            _("De leerbaarheidstoets gaf geen uitslag; het advies steunt op de rest van de intake.")
        )
    else:
        reasons.append(
            _("De leerbaarheidstoets is nog niet afgenomen; het advies steunt op de rest van de intake.")
        )

    young = facts.age is not None and facts.age <= s.onderwijs_max_age
    schooled = facts.education_level in _HIGHER_EDUCATION or (facts.school_years or 0) >= 10
    if (
        outcome is LearnabilityOutcome.HAALBAAR
        and young
        and schooled
        and facts.wants_study
        and not facts.health_limits
    ):
        text = _("Jong ({age} jaar), met vooropleiding en de wens om te studeren: de onderwijsroute past.")
        reasons.append(text.format(age=facts.age))
        return RouteAdvice(Leerroute.ONDERWIJS, tuple(reasons))

    little_school = facts.school_years is not None and facts.school_years <= s.max_school_years_z
    illiterate = facts.literacy is Literacy.NONE
    enough_school = facts.school_years is not None and facts.school_years >= s.min_school_years_b1
    literate_latin = facts.literacy is Literacy.LATIN
    dutch_started = facts.dutch_level in {"a1", "a2", "b1"}

    if outcome is LearnabilityOutcome.HAALBAAR:
        if illiterate and little_school:
            reasons.append(_("Let op: weinig onderwijs en (nog) niet geletterd; bespreek of B1 reëel is."))
        reasons.append(
            _("B1 lijkt binnen de termijn bereikbaar: de B1-route, duaal met (vrijwilligers)werk.")
        )
        return RouteAdvice(Leerroute.B1, tuple(reasons))

    if outcome is LearnabilityOutcome.NIET_HAALBAAR:
        # Health limits remove the ground for going above a "niet haalbaar" test.
        if enough_school and (literate_latin or dutch_started) and not facts.health_limits:
            reasons.append(
                _(
                    "Toch {years} jaar onderwijs en {skill}: de B1-route is te overwegen, met afschalen naar A2 "
                    "als B1 niet lukt. Dit wijkt af van de toets en vraagt een schriftelijke onderbouwing."
                ).format(
                    years=facts.school_years,
                    skill=_("geletterd in het Latijnse schrift")
                    if literate_latin
                    else _("al begonnen met Nederlands"),
                )
            )
            return RouteAdvice(Leerroute.B1, tuple(reasons), deviates_from_test=True)
        reasons.append(_("B1 en de onderwijsroute lijken buiten bereik: de zelfredzaamheidsroute (Z-route)."))
        return RouteAdvice(Leerroute.Z, tuple(reasons))

    # No test result: decide on the rest of the intake, if enough is known.
    if facts.school_years is None and facts.literacy is None:
        reasons.append(_("Vul eerst opleiding en lezen en schrijven in; dan volgt een advies."))
        return RouteAdvice(None, tuple(reasons))
    if illiterate or little_school:
        reasons.append(_("Weinig onderwijs of (nog) niet geletterd: de zelfredzaamheidsroute (Z-route)."))
        return RouteAdvice(Leerroute.Z, tuple(reasons))
    if facts.health_limits and not schooled:
        reasons.append(_("Met deze klachten en zonder vervolgonderwijs lijkt B1 buiten bereik: de Z-route."))
        return RouteAdvice(Leerroute.Z, tuple(reasons))
    if young and schooled and facts.wants_study and not facts.health_limits:
        reasons.append(_("Jong, met vooropleiding en de wens om te studeren: de onderwijsroute past."))
        return RouteAdvice(Leerroute.ONDERWIJS, tuple(reasons))
    reasons.append(_("Voldoende onderwijs en geletterd: de B1-route, duaal met (vrijwilligers)werk."))
    return RouteAdvice(Leerroute.B1, tuple(reasons))
