"""Caseload views and counts: mijn cliënten, te laat, in AZC zonder PIP, ontzorgen loopt af."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.deadlines import Deadline, DeadlineKind, DeadlineState, DeadlineStatus
from app.services.pip import CaseloadFlags, CaseloadView, caseload_flags, count_flags, matches_view

TODAY = dt.date(2025, 6, 2)


def status(state: DeadlineState) -> DeadlineStatus:
    days = {DeadlineState.TE_LAAT: -3, DeadlineState.BINNENKORT: 5, DeadlineState.OP_TIJD: 40}[state]
    return DeadlineStatus(Deadline(DeadlineKind.PIP_DUE, TODAY + dt.timedelta(days=days)), days, state)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        # In the AZC, no PIP in force: counted (a concept alone counts too); a version in force: not.
        ({"housing": None, "pip_in_force": None}, CaseloadFlags(azc_without_pip=True)),
        ({"housing": None, "pip_in_force": None}, CaseloadFlags(azc_without_pip=True)),
        ({"housing": None, "pip_in_force": 1}, CaseloadFlags()),
        # Housing ahead still means in the AZC.
        (
            {"housing": TODAY + dt.timedelta(days=10), "pip_in_force": None},
            CaseloadFlags(azc_without_pip=True),
        ),
        # Housed 2024-12-10: ontzorgen ends 2025-06-09 (six months, that day included), 7 days away.
        (
            {
                "housing": dt.date(2024, 12, 10),
                "pip_in_force": None,
                "next_deadline": status(DeadlineState.TE_LAAT),
            },
            CaseloadFlags(late=True, ontzorgen_ending=True),
        ),
        # Not for gezinsmigranten.
        ({"housing": dt.date(2024, 12, 10), "pip_in_force": 1, "asylum": False}, CaseloadFlags()),
        # Ontzorgen ended yesterday: no longer "loopt af".
        ({"housing": dt.date(2024, 12, 1), "pip_in_force": 1}, CaseloadFlags()),
        # Exactly 30 days left counts; 31 does not.
        ({"housing": dt.date(2025, 1, 3), "pip_in_force": 1}, CaseloadFlags(ontzorgen_ending=True)),
        ({"housing": dt.date(2025, 1, 4), "pip_in_force": 1}, CaseloadFlags()),
        (
            {
                "housing": dt.date(2025, 4, 1),
                "pip_in_force": None,
                "next_deadline": status(DeadlineState.BINNENKORT),
            },
            CaseloadFlags(due_soon=True),
        ),
        # Children and people past the AOW age: never flagged.
        ({"housing": None, "pip_in_force": None, "obliged": False}, CaseloadFlags()),
    ],
)
def test_flags(kwargs: dict[str, object], expected: CaseloadFlags) -> None:
    arguments: dict[str, object] = {"obliged": True, "asylum": True, "next_deadline": None, "today": TODAY}
    arguments.update(kwargs)
    assert caseload_flags(**arguments) == expected  # type: ignore[arg-type]


def test_views_and_counts() -> None:
    late = CaseloadFlags(late=True)
    azc = CaseloadFlags(azc_without_pip=True, due_soon=True)
    assert matches_view(CaseloadView.TE_LAAT, late, "", "km") and not matches_view(
        CaseloadView.TE_LAAT, azc, "", "km"
    )
    assert matches_view(CaseloadView.AZC_ZONDER_PIP, azc, "", "km")
    assert matches_view(CaseloadView.MIJN, late, "KM.Jansen", "km.jansen")
    assert not matches_view(CaseloadView.MIJN, late, "", "km.jansen")
    assert matches_view(CaseloadView.ALLE, CaseloadFlags(), "x", "y")
    counts = count_flags([late, azc, late, CaseloadFlags(ontzorgen_ending=True)])
    assert (counts.late, counts.due_soon, counts.azc_without_pip, counts.ontzorgen_ending) == (2, 1, 1, 1)
    assert counts.summary().startswith("⚠ 2 te laat · ⏳ 1 binnen twee weken")


def test_the_summary_counts_late_progress_meetings_too() -> None:
    counts = count_flags(
        [CaseloadFlags(meeting_late=True), CaseloadFlags(meeting_late=True), CaseloadFlags()]
    )
    assert counts.summary().endswith("· 2 voortgangsgesprek te laat")
    assert count_flags([]).summary().endswith("· 0 voortgangsgesprek te laat")
