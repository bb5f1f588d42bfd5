"""The PIP state machine: transitions, adoption rights, the route-deviation rule, version reasons."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.domain.enums import Leerroute, Role
from app.domain.pip_lifecycle import (
    ChangeReason,
    ExamPart,
    PipAction,
    PipFacts,
    PipRefused,
    PipState,
    PlanParts,
    TransitionContext,
    allowed_actions,
    check_change_explanation,
    check_editable,
    check_new_version,
    check_transition,
    missing_parts,
    readiness_problems,
    signature_date_problems,
)

TODAY = dt.date(2025, 6, 1)
KM = TransitionContext(actor_role=Role.KLANTMANAGER, today=TODAY)
KM_MAY_ADOPT = TransitionContext(actor_role=Role.KLANTMANAGER, today=TODAY, klantmanager_may_adopt=True)
SUPERVISOR = TransitionContext(actor_role=Role.SUPERVISOR, today=TODAY)
# Every part DOMAIN.md section 4 requires, filled.
PARTS = PlanParts(
    asylum=True,
    map_hours=64,
    pvt_hours=12,
    guidance="Maatschappelijke begeleiding door VluchtelingenWerk",
    preconditions="geen",
    ontzorgen=True,
    ontzorgen_form="vaste_lasten",
    monitoring="Elke drie maanden een gesprek",
    progress_interval_months=3,
    agreements=1,
    taalschool="Taalhuis",
)
READY = PipFacts(
    chosen_route=Leerroute.B1,
    advised_route=Leerroute.B1,
    final_goal="Nederlands op B1 en werk in de zorg",
    period_months=36,
    signed_by_client=True,
    signed_by_klantmanager=True,
    parts=PARTS,
)


def test_happy_path_to_adopted_and_withdrawn() -> None:
    state = PipState.CONCEPT
    state = check_transition(state, PipAction.BESPREKEN, READY, KM)
    assert state is PipState.BESPROKEN
    state = check_transition(state, PipAction.ONDERTEKENEN, READY, KM)
    assert state is PipState.ONDERTEKEND
    state = check_transition(state, PipAction.VASTSTELLEN, READY, SUPERVISOR)
    assert state is PipState.VASTGESTELD
    assert check_transition(state, PipAction.INTREKKEN, READY, SUPERVISOR) is PipState.INGETROKKEN


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (PipState.CONCEPT, PipAction.ONDERTEKENEN),
        (PipState.CONCEPT, PipAction.VASTSTELLEN),
        (PipState.CONCEPT, PipAction.INTREKKEN),
        (PipState.CONCEPT, PipAction.HEROPENEN),
        (PipState.BESPROKEN, PipAction.VASTSTELLEN),
        (PipState.BESPROKEN, PipAction.BESPREKEN),
        (PipState.ONDERTEKEND, PipAction.INTREKKEN),
        (PipState.VASTGESTELD, PipAction.HEROPENEN),
        (PipState.VASTGESTELD, PipAction.BESPREKEN),
        (PipState.INGETROKKEN, PipAction.VASTSTELLEN),
        (PipState.VERVANGEN, PipAction.INTREKKEN),
    ],
)
def test_illegal_transitions_are_refused_in_dutch(state: PipState, action: PipAction) -> None:
    with pytest.raises(PipRefused) as refused:
        check_transition(state, action, READY, SUPERVISOR)
    message = str(refused.value)
    assert message.endswith(".") and ";" in message  # what is wrong; what to do
    assert action not in allowed_actions(state)


def test_reopen_goes_back_to_concept() -> None:
    assert check_transition(PipState.BESPROKEN, PipAction.HEROPENEN, READY, KM) is PipState.CONCEPT
    assert check_transition(PipState.ONDERTEKEND, PipAction.HEROPENEN, READY, KM) is PipState.CONCEPT


def test_adoption_needs_supervisor_unless_municipality_allows() -> None:
    with pytest.raises(PipRefused, match="supervisor"):
        check_transition(PipState.ONDERTEKEND, PipAction.VASTSTELLEN, READY, KM)
    assert check_transition(PipState.ONDERTEKEND, PipAction.VASTSTELLEN, READY, KM_MAY_ADOPT) is (
        PipState.VASTGESTELD
    )
    interpreter = TransitionContext(actor_role=Role.INTERPRETER, today=TODAY, klantmanager_may_adopt=True)
    with pytest.raises(PipRefused):
        check_transition(PipState.ONDERTEKEND, PipAction.VASTSTELLEN, READY, interpreter)
    with pytest.raises(PipRefused):
        check_transition(PipState.VASTGESTELD, PipAction.INTREKKEN, READY, KM)


@pytest.mark.parametrize(
    ("facts", "fragment"),
    [
        (PipFacts(), "leerroute"),
        (PipFacts(chosen_route=Leerroute.Z, period_months=36), "einddoel"),
        (PipFacts(chosen_route=Leerroute.Z, final_goal="x"), "termijn"),
    ],
)
def test_concept_must_be_complete_before_discussion(facts: PipFacts, fragment: str) -> None:
    with pytest.raises(PipRefused, match=fragment):
        check_transition(PipState.CONCEPT, PipAction.BESPREKEN, facts, KM)


def test_deviation_from_advice_needs_onderbouwing() -> None:
    deviating = PipFacts(
        chosen_route=Leerroute.B1, advised_route=Leerroute.Z, final_goal="B1", period_months=36
    )
    assert deviating.deviates_from_advice
    with pytest.raises(PipRefused, match="onderbouwing") as refused:
        check_transition(PipState.CONCEPT, PipAction.BESPREKEN, deviating, KM)
    assert "B1-route" in str(refused.value) and "Z-route" in str(refused.value)
    blank = PipFacts(**{**deviating.__dict__, "onderbouwing": "   "})
    with pytest.raises(PipRefused):
        check_transition(PipState.CONCEPT, PipAction.BESPREKEN, blank, KM)
    justified = PipFacts(**{**deviating.__dict__, "onderbouwing": "Werkervaring en motivatie; NOA positief."})
    assert check_transition(PipState.CONCEPT, PipAction.BESPREKEN, justified, KM) is PipState.BESPROKEN


def test_no_advice_means_no_deviation() -> None:
    facts = PipFacts(chosen_route=Leerroute.ONDERWIJS, final_goal="mbo 4", period_months=36)
    assert not facts.deviates_from_advice
    assert readiness_problems(facts) == []


def test_signatures_including_interpreter() -> None:
    unsigned = PipFacts(**{**READY.__dict__, "signed_by_client": False})
    with pytest.raises(PipRefused, match="inburgeraar"):
        check_transition(PipState.BESPROKEN, PipAction.ONDERTEKENEN, unsigned, KM)
    with_interpreter = PipFacts(**{**READY.__dict__, "interpreter_present": True})
    with pytest.raises(PipRefused, match="tolk"):
        check_transition(PipState.BESPROKEN, PipAction.ONDERTEKENEN, with_interpreter, KM)
    signed = PipFacts(**{**with_interpreter.__dict__, "signed_by_interpreter": True})
    assert check_transition(PipState.BESPROKEN, PipAction.ONDERTEKENEN, signed, KM) is PipState.ONDERTEKEND


@pytest.mark.parametrize(
    ("state", "fragment"),
    [
        (PipState.BESPROKEN, "terug naar concept"),
        (PipState.ONDERTEKEND, "terug naar concept"),
        (PipState.VASTGESTELD, "nieuwe versie"),
        (PipState.INGETROKKEN, "nieuwe versie"),
        (PipState.VERVANGEN, "nieuwe versie"),
    ],
)
def test_only_concept_is_editable(state: PipState, fragment: str) -> None:
    check_editable(PipState.CONCEPT)
    with pytest.raises(PipRefused, match=fragment):
        check_editable(state)


def test_new_version_rules() -> None:
    check_new_version(None, ChangeReason.EERSTE, TODAY, None)
    with pytest.raises(PipRefused, match="nog geen PIP"):
        check_new_version(None, ChangeReason.OVERIG, TODAY, None)
    with pytest.raises(PipRefused, match="al een PIP"):
        check_new_version(PipState.VASTGESTELD, ChangeReason.EERSTE, TODAY, dt.date(2025, 1, 1))
    with pytest.raises(PipRefused, match="nog concept"):
        check_new_version(PipState.CONCEPT, ChangeReason.OVERIG, TODAY, dt.date(2025, 1, 1))
    check_new_version(PipState.INGETROKKEN, ChangeReason.OVERIG, TODAY, dt.date(2025, 1, 1))


@pytest.mark.parametrize(
    ("first_adoption", "today", "allowed"),
    [
        (dt.date(2024, 3, 1), dt.date(2025, 9, 1), True),  # last day of the 18 months
        (dt.date(2024, 3, 1), dt.date(2025, 9, 2), False),
        (dt.date(2023, 8, 31), dt.date(2025, 2, 28), True),
        (dt.date(2023, 8, 31), dt.date(2025, 3, 1), False),
    ],
)
def test_switching_only_within_18_months(first_adoption: dt.date, today: dt.date, allowed: bool) -> None:
    if allowed:
        check_new_version(PipState.VASTGESTELD, ChangeReason.SCHAKELEN, today, first_adoption)
        return
    with pytest.raises(PipRefused, match="18 maanden") as refused:
        check_new_version(PipState.VASTGESTELD, ChangeReason.SCHAKELEN, today, first_adoption)
    assert "andere reden" in str(refused.value)
    # Other reasons stay possible after the 18 months.
    check_new_version(PipState.VASTGESTELD, ChangeReason.AFSCHALEN, today, first_adoption)


def test_switch_adopted_too_late_is_refused() -> None:
    facts = PipFacts(**{**READY.__dict__, "reason": ChangeReason.SCHAKELEN, "previous_route": Leerroute.Z})
    late = TransitionContext(
        actor_role=Role.SUPERVISOR, today=dt.date(2025, 9, 2), first_adoption=dt.date(2024, 3, 1)
    )
    with pytest.raises(PipRefused, match="18 maanden"):
        check_transition(PipState.ONDERTEKEND, PipAction.VASTSTELLEN, facts, late)


@pytest.mark.parametrize(
    ("facts", "fragment"),
    [
        (
            PipFacts(**{**READY.__dict__, "reason": ChangeReason.SCHAKELEN, "previous_route": Leerroute.B1}),
            "verandert",
        ),
        (
            PipFacts(**{**READY.__dict__, "reason": ChangeReason.VERHUIZING, "previous_route": Leerroute.Z}),
            "verhuizing",
        ),
        (
            PipFacts(**{**READY.__dict__, "reason": ChangeReason.AFSCHALEN, "previous_route": Leerroute.B1}),
            "examenonderdelen",
        ),
        (
            PipFacts(
                **{
                    **READY.__dict__,
                    "chosen_route": Leerroute.Z,
                    "advised_route": Leerroute.Z,
                    "reason": ChangeReason.AFSCHALEN,
                    "afschalen": True,
                    "afschalen_parts": frozenset({ExamPart.SCHRIJVEN}),
                }
            ),
            "alleen in de B1-route",
        ),
    ],
)
def test_reason_specific_rules(facts: PipFacts, fragment: str) -> None:
    with pytest.raises(PipRefused, match=fragment):
        check_transition(PipState.CONCEPT, PipAction.BESPREKEN, facts, KM)


def test_verhuizing_keeping_route_and_valid_afschalen_pass() -> None:
    moving = PipFacts(**{**READY.__dict__, "reason": ChangeReason.VERHUIZING, "previous_route": Leerroute.B1})
    assert check_transition(PipState.CONCEPT, PipAction.BESPREKEN, moving, KM) is PipState.BESPROKEN
    afschalen = PipFacts(
        **{
            **READY.__dict__,
            "reason": ChangeReason.AFSCHALEN,
            "previous_route": Leerroute.B1,
            "afschalen": True,
            "afschalen_parts": frozenset({ExamPart.SCHRIJVEN, ExamPart.SPREKEN}),
        }
    )
    assert check_transition(PipState.CONCEPT, PipAction.BESPREKEN, afschalen, KM) is PipState.BESPROKEN


# Source: DOMAIN.md "More rules" (onderbouwing whenever the route differs from the test result,
# and for every schakelen) and issue 13 (test "niet haalbaar", advice B1, B1 chosen).
@pytest.mark.parametrize(
    ("test", "advice", "chosen", "reason", "onderbouwing", "asked"),
    [
        ("niet_haalbaar", Leerroute.B1, Leerroute.B1, ChangeReason.EERSTE, "", True),  # the case
        ("niet_haalbaar", Leerroute.B1, Leerroute.B1, ChangeReason.EERSTE, "12 jaar school", False),
        ("niet_haalbaar", Leerroute.Z, Leerroute.ONDERWIJS, ChangeReason.EERSTE, "", True),
        ("haalbaar", Leerroute.B1, Leerroute.Z, ChangeReason.EERSTE, "", True),
        ("haalbaar", Leerroute.B1, Leerroute.B1, ChangeReason.EERSTE, "", False),
        ("niet_haalbaar", Leerroute.Z, Leerroute.Z, ChangeReason.EERSTE, "", False),
        ("geen_uitslag", Leerroute.B1, Leerroute.B1, ChangeReason.EERSTE, "", False),
        # Schakelen always needs one, even to the route the test pointed at.
        ("niet_haalbaar", Leerroute.Z, Leerroute.Z, ChangeReason.SCHAKELEN, "", True),
        ("niet_haalbaar", Leerroute.Z, Leerroute.Z, ChangeReason.SCHAKELEN, "   ", True),
        ("niet_haalbaar", Leerroute.Z, Leerroute.Z, ChangeReason.SCHAKELEN, "B1 te hoog", False),
    ],
)
def test_onderbouwing_against_the_test_and_for_schakelen(
    test: str, advice: Leerroute, chosen: Leerroute, reason: ChangeReason, onderbouwing: str, asked: bool
) -> None:
    previous = Leerroute.B1 if reason is ChangeReason.SCHAKELEN else None
    facts = dataclasses.replace(
        READY,
        test_outcome=test,
        advised_route=advice,
        chosen_route=chosen,
        reason=reason,
        previous_route=previous,
        onderbouwing=onderbouwing,
    )
    problems = readiness_problems(facts)
    assert any("onderbouwing" in p for p in problems) is asked


def test_an_empty_schakelen_explanation_is_refused() -> None:
    """Source: DOMAIN.md "More rules" (KIS monitor: "er moet onderbouwing voor zijn")."""
    with pytest.raises(PipRefused, match="onderbouwing"):
        check_change_explanation(ChangeReason.SCHAKELEN, "  ")
    check_change_explanation(ChangeReason.SCHAKELEN, "B1 blijkt te hoog gegrepen")
    check_change_explanation(ChangeReason.VERHUIZING, "")


# Source: DOMAIN.md section 4 (what a PIP legally records); issue 13 ("60 months on a 36-month term").
@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"map_hours": None}, "MAP"),
        ({"pvt_hours": None}, "PVT"),
        ({"guidance": ""}, "begeleiding"),
        ({"preconditions": ""}, "randvoorwaarden"),
        ({"ontzorgen": False, "ontzorgen_form": None}, "ontzorgen"),
        ({"afschalen": True}, "afschalen"),
        ({"monitoring": ""}, "voortgang"),
        ({"progress_interval_months": None}, "interval"),
        ({"agreements": 0}, "afspraak"),
        ({"taalschool": ""}, "taalschool"),
    ],
)
def test_each_required_part_is_named(change: dict[str, object], named: str) -> None:
    facts = dataclasses.replace(READY, parts=dataclasses.replace(PARTS, **change))  # type: ignore[arg-type]
    missing = missing_parts(facts)
    assert len(missing) == 1 and named in missing[0]
    with pytest.raises(PipRefused, match=named):
        check_transition(PipState.BESPROKEN, PipAction.ONDERTEKENEN, facts, KM)
    with pytest.raises(PipRefused, match=named):
        check_transition(PipState.ONDERTEKEND, PipAction.VASTSTELLEN, facts, SUPERVISOR)


def test_all_missing_parts_at_once_and_what_depends_on_route_and_group() -> None:
    empty = PipFacts(
        chosen_route=Leerroute.ONDERWIJS, final_goal="mbo 4", period_months=60, parts=PlanParts()
    )
    missing = missing_parts(empty)
    assert any("60 maanden" in m and "36" in m for m in missing)  # the period must fit the term
    assert any("onderwijsinstelling" in m for m in missing) and not any("taalschool" in m for m in missing)
    assert any("ontzorgen" in m for m in missing)
    with pytest.raises(PipRefused) as refused:
        check_transition(PipState.BESPROKEN, PipAction.ONDERTEKENEN, empty, KM)
    assert all(m in str(refused.value) for m in missing)  # one message, every part
    # A gezinsmigrant has no ontzorgen part; an extended term fits a longer period.
    other = dataclasses.replace(empty, parts=PlanParts(asylum=False, term_months=60))
    assert not any("ontzorgen" in m or "60 maanden" in m for m in missing_parts(other))


# Source: issue 13 ("signature dates are not in the future and not before the version was drafted").
@pytest.mark.parametrize(
    ("signed", "drafted", "today", "ok"),
    [
        (dt.date(2025, 3, 3), dt.date(2025, 3, 1), dt.date(2025, 3, 3), True),
        (dt.date(2025, 3, 1), dt.date(2025, 3, 1), dt.date(2025, 3, 3), True),  # the same day
        (dt.date(2025, 3, 4), dt.date(2025, 3, 1), dt.date(2025, 3, 3), False),  # in the future
        (dt.date(2025, 2, 28), dt.date(2025, 3, 1), dt.date(2025, 3, 3), False),  # before drafting
        (dt.date(2024, 2, 29), dt.date(2024, 2, 29), dt.date(2024, 2, 29), True),
        (dt.date(2025, 1, 1), dt.date(2024, 12, 31), dt.date(2025, 1, 1), True),
    ],
)
def test_signature_dates(signed: dt.date, drafted: dt.date, today: dt.date, ok: bool) -> None:
    problems = signature_date_problems({"de inburgeraar": signed, "de tolk": None}, drafted, today)
    assert (problems == []) is ok
