"""DUO's exemptions and objection/appeal against a PIP (DOMAIN.md "The PIP in force, and who decides"
and "More rules"; Awb art. 6:7 and 6:8: six weeks from the day after the decision was made known)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.decisions import exempt_parts, objection_deadline, objection_is_late
from app.domain.pip_lifecycle import PipRefused

D = dt.date


@pytest.mark.parametrize(
    ("made_known", "last_day"),
    [
        (D(2025, 3, 3), D(2025, 4, 14)),
        (D(2024, 12, 31), D(2025, 2, 11)),  # over New Year
        (D(2024, 1, 18), D(2024, 2, 29)),  # onto a leap day
        (D(2023, 1, 18), D(2023, 3, 1)),
    ],
)
def test_objection_window(made_known: dt.date, last_day: dt.date) -> None:
    assert objection_deadline(made_known) == last_day
    assert not objection_is_late(made_known, last_day)
    assert objection_is_late(made_known, last_day + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("exemptions", "on", "whole", "parts"),
    [
        ([], D(2025, 1, 1), False, frozenset()),
        ([{"decided_on": "2025-01-01", "parts": ["spreken"]}], D(2025, 1, 1), False, frozenset({"spreken"})),
        ([{"decided_on": "2025-01-02", "parts": ["spreken"]}], D(2025, 1, 1), False, frozenset()),  # not yet
        ([{"decided_on": "2024-02-29", "parts": []}], D(2025, 1, 1), True, frozenset()),  # the whole duty
        (
            [{"decided_on": "2024-06-01", "parts": ["lezen", "luisteren", "schrijven"]},
             {"decided_on": "2024-07-01", "parts": ["spreken", "knm"]}],
            D(2025, 1, 1),
            True,  # every part exempted ends the duty
            frozenset({"lezen", "luisteren", "schrijven", "spreken", "knm"}),
        ),
    ],
)  # fmt: skip
def test_exempt_parts(
    exemptions: list[dict[str, object]], on: dt.date, whole: bool, parts: frozenset[str]
) -> None:
    assert exempt_parts(exemptions, on) == (whole, parts)


def test_refusals_are_dutch() -> None:
    from app.domain.decisions import check_exemption, check_objection_dates

    with pytest.raises(PipRefused, match="soort ontheffing"):
        check_exemption("vrijstelling", D(2025, 1, 1), [], D(2025, 1, 2))
    with pytest.raises(PipRefused, match="toekomst"):
        check_exemption("agi", D(2025, 1, 3), [], D(2025, 1, 2))
    with pytest.raises(PipRefused, match="KNM"):
        check_exemption("agi", D(2025, 1, 1), ["rekenen"], D(2025, 1, 2))
    with pytest.raises(PipRefused, match="vóór"):
        check_objection_dates(D(2025, 1, 10), D(2025, 1, 9), D(2025, 2, 1))


@pytest.mark.parametrize(
    ("exemptions", "ended_on"),
    [
        ([], None),
        ([{"decided_on": "2025-06-01", "parts": ["spreken"]}], None),  # one part: the duty goes on
        ([{"decided_on": "2024-02-29", "parts": []}], D(2024, 2, 29)),  # the whole duty, on a leap day
        (
            [{"decided_on": "2024-12-31", "parts": ["lezen", "luisteren", "schrijven"]},
             {"decided_on": "2025-01-02", "parts": ["spreken", "knm"]}],
            D(2025, 1, 2),  # the last part completes the set: the duty ends that day
        ),
        (
            [{"decided_on": "2025-03-01", "parts": []}, {"decided_on": "2024-12-31", "parts": ["knm"]}],
            D(2025, 3, 1),
        ),
    ],
)  # fmt: skip
def test_duty_exempted_on(exemptions: list[dict[str, object]], ended_on: dt.date | None) -> None:
    """DOMAIN.md "More rules": an exemption ends (part of) the duty, recorded with its date."""
    from app.domain.decisions import duty_exempted_on

    assert duty_exempted_on(exemptions) == ended_on


def test_appeal_and_ruling_refusals() -> None:
    """Awb 8:1 (beroep against the decision on objection) and one ruling ending it."""
    from app.domain.decisions import check_appeal, check_appeal_ruling, remedy_pending

    undecided = {"received_on": "2025-01-10", "outcome": None, "decided_on": None}
    decided = {**undecided, "outcome": "ongegrond", "decided_on": "2025-02-28"}
    appealed = {**decided, "appeal_filed_on": "2025-03-31"}
    ruled = {**appealed, "appeal_ruled_on": "2025-12-31", "appeal_outcome": "ongegrond"}
    assert [remedy_pending(e) for e in (undecided, decided, appealed, ruled)] == [True, False, True, False]
    with pytest.raises(PipRefused, match="eerst die beslissing"):
        check_appeal(undecided, D(2025, 3, 1), D(2025, 3, 1))
    with pytest.raises(PipRefused, match="vóór de beslissing"):
        check_appeal(decided, D(2025, 2, 27), D(2025, 3, 1))
    check_appeal(decided, D(2025, 2, 28), D(2025, 2, 28))
    with pytest.raises(PipRefused, match="al beroep ingesteld"):
        check_appeal(appealed, D(2025, 4, 1), D(2025, 4, 1))
    with pytest.raises(PipRefused, match="geen beroep"):
        check_appeal_ruling(decided, D(2025, 4, 1), D(2025, 4, 1))
    with pytest.raises(PipRefused, match="vóór de datum van het beroep"):
        check_appeal_ruling(appealed, D(2025, 3, 30), D(2025, 4, 1))
    with pytest.raises(PipRefused, match="toekomst"):
        check_appeal_ruling(appealed, D(2025, 4, 2), D(2025, 4, 1))
    check_appeal_ruling(appealed, D(2025, 3, 31), D(2025, 3, 31))  # the same day is allowed
    with pytest.raises(PipRefused, match="al vastgelegd"):
        check_appeal_ruling(ruled, D(2026, 1, 5), D(2026, 1, 5))


@pytest.mark.parametrize(
    ("facts", "kinds", "source"),
    [
        (
            {"housing": D(2024, 1, 1), "exempted_on": D(2024, 12, 31)},
            {"einde_ontzorgen"},
            "whole duty exempted before any PIP: no PIP-due date (and so no late flag)",
        ),
        (
            {"housing": D(2024, 1, 1), "first_adoption": D(2024, 2, 29), "pip_in_force": True,
             "exempted_on": D(2025, 1, 1)},
            {"einde_ontzorgen"},
            "whole duty exempted after adoption: term end, switch and meetings end too",
        ),
        (
            {"housing": D(2024, 1, 1), "first_adoption": D(2024, 2, 29), "pip_in_force": True,
             "exempt_parts": frozenset({"spreken"})},
            {"einde_termijn", "laatste_dag_schakelen", "voortgangsgesprek", "einde_ontzorgen"},
            "one part exempted: the duty and its deadlines go on",
        ),
    ],
)  # fmt: skip
def test_an_exemption_ends_the_deadlines_of_the_duty(
    facts: dict[str, object], kinds: set[str], source: str
) -> None:
    """DOMAIN.md "More rules" (an exemption ends (part of) the duty) and "Deadlines"."""
    from app.domain.deadlines import ClientDeadlineFacts, client_deadlines, next_deadline

    client = ClientDeadlineFacts(**facts)  # type: ignore[arg-type]
    deadlines, notes = client_deadlines(client)
    assert {d.kind.value for d in deadlines} == kinds, source
    if client.exempted_on is not None:
        assert notes and "ontheffing van de hele inburgeringsplicht" in notes[0]
        # Years later nothing is "te laat": ontzorgen simply passed.
        assert next_deadline(client, D(2030, 1, 1)) is None
