"""The rules of issue 13 ("Rules to put right"), checked again with cases the other tests do not
contain: the reviewer's own kind of cases (29 February, 31 December, leap and non-leap years,
whitespace as a reason, a dated national cut-off, year-only birth dates). Every table names its
legal source; the pure rules are asked directly, without a store."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.adoption import check_reason
from app.domain.deadlines import (
    ClientDeadlineFacts,
    DeadlineKind,
    DeadlineSettings,
    TermExtension,
    client_deadlines,
    extension_problems,
    ontzorgen_end,
    ontzorgen_start,
    switch_deadline,
    term_end,
    term_start,
)
from app.domain.eligibility import Duty, aow_date, duty_on, is_obliged
from app.domain.enums import Leerroute
from app.domain.intake_rules import (
    IntakeFacts,
    LearnabilityOutcome,
    Literacy,
    advise_route,
    cesuur_on,
    learnability_outcome,
)
from app.domain.pip_lifecycle import (
    ChangeReason,
    PipFacts,
    PipRefused,
    PlanParts,
    check_change_explanation,
    missing_parts,
    missing_parts_message,
    readiness_problems,
    signature_date_problems,
)

D = dt.date


# -- Term end: Wet inburgering 2021 art. 7 lid 1 (three years from the day after the first adoption,
# art. 6); DOMAIN.md "Deadlines": start + 3 years - 1 day ------------------------------------------


@pytest.mark.parametrize(
    ("adopted", "start", "last_day"),
    [
        (D(2025, 2, 28), D(2025, 3, 1), D(2028, 2, 29)),  # the issue's own case: ends on a leap day
        (D(2024, 2, 28), D(2024, 2, 29), D(2027, 2, 28)),  # starts on a leap day, ends in a non-leap year
        (D(2024, 2, 29), D(2024, 3, 1), D(2027, 2, 28)),  # adopted on a leap day
        (D(2026, 2, 28), D(2026, 3, 1), D(2029, 2, 28)),  # non-leap to non-leap
        (D(2029, 2, 28), D(2029, 3, 1), D(2032, 2, 29)),  # non-leap to leap
        (D(2023, 12, 31), D(2024, 1, 1), D(2026, 12, 31)),  # adopted on 31 December
        (D(2024, 12, 31), D(2025, 1, 1), D(2027, 12, 31)),  # 31 December in a leap year
        (D(2026, 12, 30), D(2026, 12, 31), D(2029, 12, 30)),  # starts on 31 December
        (D(2025, 1, 31), D(2025, 2, 1), D(2028, 1, 31)),
        (D(2027, 8, 30), D(2027, 8, 31), D(2030, 8, 30)),
    ],
)
def test_term_runs_from_the_day_after_the_first_adoption(adopted: D, start: D, last_day: D) -> None:
    assert term_start(adopted) == start
    assert term_end(adopted) == last_day
    # Exactly three years of days: the day after the last day is the same date three years on.
    assert (last_day + dt.timedelta(days=1)).replace(year=start.year) == start or start == D(2024, 2, 29)


@pytest.mark.parametrize(
    ("adopted", "extensions", "last_day"),
    [
        (D(2025, 2, 28), [TermExtension(2, 0, "ziekte")], D(2028, 4, 30)),
        (D(2025, 2, 28), [TermExtension(0, 1, "ziekte")], D(2028, 3, 1)),
        # Order of registration does not matter (months together, then days).
        (D(2024, 11, 30), [TermExtension(3, 0, "a"), TermExtension(0, 10, "b")], D(2028, 3, 10)),
        (D(2024, 11, 30), [TermExtension(0, 10, "b"), TermExtension(3, 0, "a")], D(2028, 3, 10)),
        (D(2023, 12, 31), [TermExtension(12, 0, "zwangerschap")], D(2027, 12, 31)),
    ],
)
def test_extensions_move_only_the_term_end(adopted: D, extensions: list[TermExtension], last_day: D) -> None:
    assert term_end(adopted, extensions) == last_day


@pytest.mark.parametrize(
    ("adopted", "last_switch_day"),
    [
        (D(2025, 2, 28), D(2026, 8, 31)),  # start 1 March + 18 months - 1 day
        (D(2024, 8, 30), D(2026, 2, 28)),  # start 31 August: February has no 31st
        (D(2026, 8, 30), D(2028, 2, 29)),  # ... and in a leap year the 29th
        (D(2023, 12, 31), D(2025, 6, 30)),
    ],
)
def test_switch_deadline_is_18_months_from_the_term_start(adopted: D, last_switch_day: D) -> None:
    """Wet inburgering 2021 art. 8 (wijziging leerroute), DOMAIN.md "Deadlines": 18 months from the start."""
    assert switch_deadline(adopted) == last_switch_day


# -- Extensions: Wet inburgering 2021 art. 7 lid 2 (verlenging, by the college: a supervisor's
# decision) and the municipality's cap (DOMAIN.md "Deadlines": "extensions exist") ----------------

CAP_12 = DeadlineSettings(max_extension_months=12)


@pytest.mark.parametrize(
    ("months", "days", "reason", "earlier", "settings", "refused_because"),
    [
        (3, 0, "", [], CAP_12, "reden"),
        (3, 0, "   \t\n", [], CAP_12, "reden"),  # whitespace is no reason
        (3, 0, "\u200b\u00a0", [], CAP_12, "reden"),  # nor invisible characters
        (3, 0, "...", [], CAP_12, "reden"),  # nor punctuation alone
        (13, 0, "ziekte", [], CAP_12, "12 maanden"),  # one extension over the cap
        (12, 1, "ziekte", [], CAP_12, "12 maanden"),  # a day over the cap
        (0, 361, "ziekte", [], CAP_12, "12 maanden"),  # over the cap in days only
        (5, 0, "ziekte", [TermExtension(8, 0, "eerder")], CAP_12, "12 maanden"),  # together over
        (0, 0, "ziekte", [], CAP_12, "positief"),
        (-1, 0, "ziekte", [], CAP_12, "positief"),
    ],
)
def test_an_extension_is_refused(
    months: int,
    days: int,
    reason: str,
    earlier: list[TermExtension],
    settings: DeadlineSettings,
    refused_because: str,
) -> None:
    problems = extension_problems(months, days, reason, earlier, settings)
    assert problems and any(refused_because in p for p in problems), problems


@pytest.mark.parametrize(
    ("months", "days", "earlier"),
    [(12, 0, []), (0, 360, []), (4, 0, [TermExtension(8, 0, "eerder")]), (1, 15, [])],
)
def test_an_extension_within_the_cap_with_a_reason_is_allowed(
    months: int, days: int, earlier: list[TermExtension]
) -> None:
    assert extension_problems(months, days, "Langdurig ziek geweest (verklaring arts)", earlier, CAP_12) == []


@pytest.mark.parametrize("reason", ["", "  ", "\u200b", "-"])
def test_a_send_back_or_withdrawal_without_words_is_refused(reason: str) -> None:
    """Awb art. 3:46 (a decision carries its reasons): a blank or invisible reason is refused."""
    with pytest.raises(PipRefused):
        check_reason(reason, "terugsturen")


# -- Onderbouwing: Wet inburgering 2021 art. 16 lid 2 / Besluit art. 2.7 (the PIP states why);
# DOMAIN.md "More rules": whenever the chosen route differs from the test result, and every schakelen

B1, Z, OW = Leerroute.B1, Leerroute.Z, Leerroute.ONDERWIJS


def _route_facts(chosen: Leerroute, advised: Leerroute | None, test: str | None, why: str = "") -> PipFacts:
    return PipFacts(
        chosen_route=chosen,
        advised_route=advised,
        test_outcome=test,
        onderbouwing=why,
        final_goal="B1 en werk",
        period_months=36,
    )


def _asks_onderbouwing(facts: PipFacts) -> bool:
    return any("onderbouwing" in p for p in readiness_problems(facts))


@pytest.mark.parametrize(
    ("chosen", "advised", "test", "why", "asked"),
    [
        (B1, B1, "niet_haalbaar", "", True),  # the case: advice itself went against the test
        (B1, B1, "niet_haalbaar", "   ", True),
        (B1, B1, "niet_haalbaar", "\u200b", True),
        (OW, Z, "niet_haalbaar", "", True),
        (OW, OW, "niet_haalbaar", "", True),
        (Z, B1, "haalbaar", "", True),
        (Z, Z, "haalbaar", "", True),  # Z on "haalbaar" goes against the test, even as advised
        (B1, Z, "geen_uitslag", "", True),  # against the advice
        (B1, None, "niet_haalbaar", "", True),  # no advice at all: the test still counts
        (B1, B1, "niet_haalbaar", "8 jaar school, leest Latijns schrift", False),
        (B1, B1, "haalbaar", "", False),
        (Z, Z, "niet_haalbaar", "", False),
        (B1, B1, "geen_uitslag", "", False),
        (B1, B1, None, "", False),
    ],
)
def test_onderbouwing_when_the_route_differs_from_the_test_or_the_advice(
    chosen: Leerroute, advised: Leerroute | None, test: str | None, why: str, asked: bool
) -> None:
    assert _asks_onderbouwing(_route_facts(chosen, advised, test, why)) is asked


@pytest.mark.parametrize("why", ["", " ", "\n\t", "\u200b\u200b", "\u00a0"])
def test_every_schakelen_needs_a_written_reason(why: str) -> None:
    """DOMAIN.md "More rules" (KIS monitor: "er moet onderbouwing voor zijn"); Wi2021 art. 8."""
    facts = PipFacts(
        chosen_route=Z,
        advised_route=Z,
        previous_route=B1,
        reason=ChangeReason.SCHAKELEN,
        onderbouwing=why,
        final_goal="Z",
        period_months=24,
    )
    assert _asks_onderbouwing(facts)
    with pytest.raises(PipRefused):
        check_change_explanation(ChangeReason.SCHAKELEN, why)


def test_a_written_schakelen_reason_passes() -> None:
    check_change_explanation(ChangeReason.SCHAKELEN, "B1 bleek na een jaar niet haalbaar (toetsen lezen 2x)")


# -- Leerbaarheidstoets: Besluit inburgering 2021 art. 2.4 (DUO's test); letter 32 824 nr. 380: the
# cesuur lowered from 31 to 28; DOMAIN.md "More rules": national, dated, DUO's uitslag counts ---------


@pytest.mark.parametrize(
    ("test_date", "cesuur"),
    [
        (D(2021, 1, 1), 31),
        (D(2022, 12, 31), 31),  # the last day before the change
        (D(2023, 1, 1), 28),  # the first day after it
        (D(2024, 2, 29), 28),
        (D(2020, 6, 1), 31),  # before the first row: the oldest norm, not the newest
    ],
)
def test_the_cesuur_depends_on_the_test_date(test_date: D, cesuur: int) -> None:
    assert cesuur_on(test_date) == cesuur


@pytest.mark.parametrize(
    ("score", "test_date", "duo", "outcome"),
    [
        (30, D(2022, 12, 31), None, LearnabilityOutcome.NIET_HAALBAAR),  # 30 < 31 before the change
        (30, D(2023, 1, 1), None, LearnabilityOutcome.HAALBAAR),  # 30 >= 28 after it
        (28, D(2022, 6, 1), None, LearnabilityOutcome.NIET_HAALBAAR),
        (31, D(2022, 6, 1), None, LearnabilityOutcome.HAALBAAR),
        (27, D(2023, 3, 1), None, LearnabilityOutcome.NIET_HAALBAAR),
        # DUO's uitslag is never overridden by a recomputation, either way.
        (35, D(2023, 3, 1), "niet_haalbaar", LearnabilityOutcome.NIET_HAALBAAR),
        (20, D(2022, 3, 1), "haalbaar", LearnabilityOutcome.HAALBAAR),
        (29, D(2022, 3, 1), "haalbaar", LearnabilityOutcome.HAALBAAR),  # old cesuur says no; DUO says yes
    ],
)
def test_outcome_from_the_dated_cesuur_and_duo(
    score: int, test_date: D, duo: str | None, outcome: LearnabilityOutcome
) -> None:
    assert learnability_outcome(True, score, False, cesuur_on(test_date), duo) is outcome


# -- Completeness before signing and adoption: Wet inburgering 2021 art. 16 lid 2, Besluit
# inburgering 2021 art. 2.7 (contents of the PIP); DOMAIN.md section 4 -----------------------------


def _complete_parts(**overrides: object) -> PlanParts:
    base: dict[str, object] = {
        "asylum": True,
        "term_months": 36,
        "map_hours": 64,
        "pvt_hours": 12,
        "guidance": "VluchtelingenWerk",
        "preconditions": "geen",
        "ontzorgen_text": "Vaste lasten zes maanden",
        "monitoring": "Gesprek elk kwartaal",
        "progress_interval_months": 3,
        "agreements": 1,
        "taalschool": "Taalhuis",
    }
    base.update(overrides)
    return PlanParts(**base)  # type: ignore[arg-type]


def _plan(
    route: Leerroute | None = B1, months: int | None = 36, goal: str = "B1", **parts: object
) -> PipFacts:
    return PipFacts(chosen_route=route, final_goal=goal, period_months=months, parts=_complete_parts(**parts))


@pytest.mark.parametrize(
    ("facts", "named"),
    [
        (_plan(months=60), "60 maanden"),  # the case: 60 months on a 36-month term
        (_plan(months=37), "37 maanden"),
        (_plan(months=None), "de periode"),
        (_plan(months=0), "de periode"),
        (_plan(months=-12), "de periode"),
        (_plan(map_hours=-1), "MAP"),
        (_plan(pvt_hours=-8), "PVT"),
        (_plan(progress_interval_months=-3), "interval"),
        (_plan(afschalen=True, afschalen_months=-6), "afschalen"),
        (_plan(route=None), "de leerroute"),
        (_plan(goal="   "), "het einddoel"),
        (_plan(map_hours=None), "MAP"),
        (_plan(pvt_hours=None), "PVT"),
        (_plan(guidance=""), "begeleiding"),
        (_plan(preconditions=" "), "randvoorwaarden"),
        (_plan(ontzorgen_text=""), "ontzorgen"),
        (_plan(afschalen=True, afschalen_months=None), "afschalen"),
        (_plan(monitoring=""), "voortgang"),
        (_plan(progress_interval_months=None), "interval"),
        (_plan(agreements=0), "afspraak"),
        (_plan(route=B1, taalschool=""), "de taalschool"),
        (_plan(route=Z, taalschool=" "), "de taalschool"),
        (_plan(route=OW, taalschool=""), "de onderwijsinstelling"),
    ],
)
def test_each_missing_part_is_named(facts: PipFacts, named: str) -> None:
    missing = missing_parts(facts)
    assert len(missing) == 1, missing
    assert named in missing[0]


def test_a_complete_plan_misses_nothing_and_geen_counts_as_an_answer() -> None:
    assert missing_parts(_plan()) == []
    # "geen" is an explicit answer for guidance and preconditions (DOMAIN.md section 4).
    assert missing_parts(_plan(guidance="geen", preconditions="geen")) == []
    # A 60-month period fits a term that was extended to 60 months.
    assert missing_parts(_plan(months=60, term_months=60)) == []
    # Not asylum: no ontzorgen part is asked (Wi2021 art. 30: ontzorgen is for asylum statushouders).
    assert missing_parts(_plan(asylum=False, ontzorgen_text="")) == []


def test_all_missing_parts_are_named_at_once_in_one_dutch_sentence() -> None:
    facts = PipFacts(chosen_route=OW, final_goal="", period_months=60, parts=PlanParts(asylum=True))
    missing = missing_parts(facts)
    message = missing_parts_message(missing)
    for word in (
        "einddoel",
        "60 maanden",
        "MAP",
        "PVT",
        "begeleiding",
        "randvoorwaarden",
        "ontzorgen",
        "voortgang",
        "interval",
        "afspraak",
        "onderwijsinstelling",
    ):
        assert word in message, word
    assert message.count(".") == 1 and message.endswith(".")
    assert message.startswith("Het PIP is nog niet compleet")


# -- Signature dates: Awb art. 3:40 (a decision takes effect once made known), DOMAIN.md step 5 ----

DRAFTED = D(2025, 2, 28)
TODAY = D(2025, 3, 3)


@pytest.mark.parametrize(
    ("signed", "problem"),
    [
        (D(2025, 3, 4), "toekomst"),  # tomorrow
        (D(2026, 3, 3), "toekomst"),
        (D(2025, 2, 27), "vóór"),  # the day before drafting
        (D(2024, 2, 29), "vóór"),
        (DRAFTED, None),  # the day of drafting itself
        (TODAY, None),  # today
        (D(2025, 3, 1), None),
    ],
)
def test_signature_dates(signed: D, problem: str | None) -> None:
    problems = signature_date_problems({"de inburgeraar": signed}, DRAFTED, TODAY)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problem in problems[0]


def test_every_wrong_signature_is_named() -> None:
    problems = signature_date_problems(
        {"de inburgeraar": D(2025, 3, 9), "de klantmanager": D(2025, 1, 1), "de tolk": TODAY}, DRAFTED, TODAY
    )
    assert len(problems) == 2
    assert "inburgeraar" in problems[0] and "klantmanager" in problems[1]


# -- Ontzorgen: Wet inburgering 2021 art. 30 (asylum statushouders on bijstand, six months from the
# first benefit), DOMAIN.md "Ontzorgen" and "More rules": a later housing or benefit date moves it ---


@pytest.mark.parametrize(
    ("housing", "benefit", "start", "last_day"),
    [
        (None, None, None, None),  # drafted in the AZC: no dates yet, none invented
        (D(2025, 8, 31), None, D(2025, 8, 31), D(2026, 2, 28)),  # housing on 31 August
        (D(2023, 8, 31), None, D(2023, 8, 31), D(2024, 2, 29)),  # ... into a leap February
        (D(2025, 8, 31), D(2025, 9, 15), D(2025, 9, 15), D(2026, 3, 14)),  # the benefit starts later
        (None, D(2025, 12, 31), D(2025, 12, 31), D(2026, 6, 30)),
        (D(2024, 2, 29), None, D(2024, 2, 29), D(2024, 8, 28)),
    ],
)
def test_ontzorgen_dates_follow_housing_and_benefit(
    housing: D | None, benefit: D | None, start: D | None, last_day: D | None
) -> None:
    assert ontzorgen_start(housing, benefit) == start
    assert ontzorgen_end(start) == last_day


def test_ontzorgen_deadline_only_for_asylum() -> None:
    """Wi2021 art. 30: no ontzorgen deadline for a gezinsmigrant with the same dates."""
    for asylum, expected in ((True, True), (False, False)):
        facts = ClientDeadlineFacts(housing=D(2025, 1, 6), benefit_start=D(2025, 2, 1), asylum=asylum)
        kinds = {d.kind for d in client_deadlines(facts)[0]}
        assert (DeadlineKind.ONTZORGEN_END in kinds) is expected


# -- Health limits take part in the route advice (DOMAIN.md step 2 and 3: the route follows the whole
# intake; Besluit inburgering 2021 art. 2.3: the brede intake covers health) -------------------------


@pytest.mark.parametrize(
    ("facts", "healthy_route", "limited_route"),
    [
        # Niet haalbaar but schooled and literate: B1 is worth trying, unless health limits learning.
        (
            IntakeFacts(LearnabilityOutcome.NIET_HAALBAAR, 25, 35, 12, "voortgezet", Literacy.LATIN),
            Leerroute.B1,
            Leerroute.Z,
        ),
        # Haalbaar, young, schooled, wants to study: the onderwijsroute, but not with health limits.
        (
            IntakeFacts(LearnabilityOutcome.HAALBAAR, 33, 22, 12, "voortgezet", Literacy.LATIN, True),
            Leerroute.ONDERWIJS,
            Leerroute.B1,
        ),
        # No test: little schooling beyond basic school and health limits point to Z.
        (
            IntakeFacts(LearnabilityOutcome.NIET_AFGENOMEN, None, 40, 6, "basis", Literacy.LATIN),
            Leerroute.B1,
            Leerroute.Z,
        ),
    ],
)
def test_health_limits_change_the_route_advice(
    facts: IntakeFacts, healthy_route: Leerroute, limited_route: Leerroute
) -> None:
    healthy = advise_route(facts)
    limited = advise_route(IntakeFacts(**{**facts.__dict__, "health_limits": True}))
    assert healthy.route is healthy_route
    assert limited.route is limited_route
    assert any("klachten" in reason for reason in limited.reasons)


# -- Ages: Wet inburgering 2021 art. 3 lid 1 (18 up to the pensioengerechtigde leeftijd of the AOW,
# art. 7a AOW, dated by date of birth), assessed on the day the residence right was made known ------


@pytest.mark.parametrize(
    ("born", "aow_day"),
    [
        (D(1947, 12, 31), D(2012, 12, 31)),  # 65
        (D(1948, 1, 1), D(2013, 2, 1)),  # 65 + 1 month
        (D(1952, 12, 31), D(2018, 12, 31)),  # 66
        (D(1957, 2, 28), D(2023, 12, 28)),  # 66 + 10 months
        (D(1957, 3, 1), D(2024, 3, 1)),  # 67
        (D(1960, 12, 31), D(2027, 12, 31)),  # 67
        (D(1961, 1, 1), D(2028, 4, 1)),  # 67 + 3 months
        (D(1961, 11, 30), D(2029, 2, 28)),  # 67 + 3 months, clamped to February
        (D(1964, 11, 29), D(2032, 2, 29)),  # ... and to a leap day
    ],
)
def test_aow_age_is_dated_data_by_date_of_birth(born: D, aow_day: D) -> None:
    assert aow_date(born) == aow_day


@pytest.mark.parametrize(
    ("birth", "today", "melddatum", "duty"),
    [
        # AOW 67 + 3 months: on 2028-06-01 a born-1961-05-10 is not yet at the AOW age (a fixed 67 would say so).
        ("1961-05-10", D(2028, 6, 1), D(2028, 6, 1), Duty.OBLIGED),
        ("1961-05-10", D(2028, 8, 10), D(2028, 8, 10), Duty.AOW),
        # Assessed on the melddatum: reaching the AOW age later does not end the duty.
        ("1958-06-15", D(2026, 12, 2), D(2025, 6, 14), Duty.OBLIGED),
        ("1958-06-15", D(2026, 12, 2), D(2025, 6, 15), Duty.AOW),
        # Without a melddatum, today counts.
        ("1958-06-15", D(2026, 12, 2), None, Duty.AOW),
        # A child turning 18 during the intake: obliged from the birthday on.
        ("2007-09-10", D(2025, 9, 9), D(2024, 3, 1), Duty.MINOR),
        ("2007-09-10", D(2025, 9, 10), D(2024, 3, 1), Duty.OBLIGED),
        ("2006-12-31", D(2024, 12, 30), None, Duty.MINOR),
        ("2006-12-31", D(2024, 12, 31), None, Duty.OBLIGED),
        # Year only: "2007" is uncertain during 2025, never the youngest age silently.
        ("2007", D(2025, 6, 1), None, Duty.UNCERTAIN),
        ("2007", D(2025, 1, 1), None, Duty.UNCERTAIN),
        ("2007", D(2024, 12, 31), None, Duty.MINOR),
        ("2007", D(2025, 12, 31), None, Duty.OBLIGED),
        ("2007-12", D(2025, 12, 15), None, Duty.UNCERTAIN),
        ("2007-12", D(2025, 11, 30), None, Duty.MINOR),
        # Year only around the AOW age, on the melddatum.
        ("1958", D(2025, 6, 1), D(2025, 6, 1), Duty.UNCERTAIN),
        ("1958", D(2026, 6, 1), D(2026, 1, 1), Duty.AOW),
        # Unreadable: obliged, the klantmanager decides.
        ("onbekend", D(2025, 6, 1), None, Duty.OBLIGED),
    ],
)
def test_duty_by_age(birth: str, today: D, melddatum: D | None, duty: Duty) -> None:
    assert duty_on(birth, today, melddatum) is duty
    # Uncertain keeps the duty (never silently withheld).
    assert is_obliged(birth, today, melddatum=melddatum) is (duty in (Duty.OBLIGED, Duty.UNCERTAIN))
