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
