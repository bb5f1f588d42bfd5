"""Table-driven tests of the deadline engine (app/domain/deadlines.py)."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.deadlines import (
    ClientDeadlineFacts,
    DeadlineKind,
    DeadlineSettings,
    DeadlineState,
    TermExtension,
    add_months,
    client_deadlines,
    next_deadline,
    next_progress_meeting,
    ontzorgen_end,
    ontzorgen_start,
    pip_due_date,
    switch_deadline,
    term_end,
    term_start,
    why_no_pip_due_date,
)

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 1, 15), 1, D(2024, 2, 15)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year: clamp to 29 February
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2023, 8, 31), 6, D(2024, 2, 29)),
        (D(2024, 3, 31), 1, D(2024, 4, 30)),
        (D(2024, 2, 29), 36, D(2027, 2, 28)),  # leap day + 3 years
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2024, 12, 31), 2, D(2025, 2, 28)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
        (D(2024, 5, 10), 0, D(2024, 5, 10)),
    ],
)
def test_add_months(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("housing", "expected"),
    [
        (D(2024, 3, 4), D(2024, 5, 13)),
        (D(2024, 12, 20), D(2025, 2, 28)),
        (D(2024, 2, 29), D(2024, 5, 9)),
        (D(2023, 12, 31), D(2024, 3, 10)),
        (None, None),  # still in the AZC: no PIP-due date
    ],
)
def test_pip_due(housing: dt.date | None, expected: dt.date | None) -> None:
    assert pip_due_date(housing) == expected


def test_unknown_housing_says_why() -> None:
    deadlines, notes = client_deadlines(ClientDeadlineFacts(housing=None))
    assert deadlines == []
    assert notes == [why_no_pip_due_date()]
    assert "huisvestingsdatum" in notes[0]


# Source: DOMAIN.md "Deadlines": start = the day after the FIRST adoption, last day = start + 3
# years - 1 day ("adopted 2025-02-28 -> term 2025-03-01 ... 2028-02-29"); schakelen 18 months
# counted from the start of the term, the same way.
@pytest.mark.parametrize(
    ("adopted", "extensions", "start", "end", "switch"),
    [
        (D(2025, 2, 28), (), D(2025, 3, 1), D(2028, 2, 29), D(2026, 8, 31)),  # DOMAIN.md's example
        (D(2024, 3, 1), (), D(2024, 3, 2), D(2027, 3, 1), D(2025, 9, 1)),
        (D(2024, 2, 29), (), D(2024, 3, 1), D(2027, 2, 28), D(2025, 8, 31)),
        # Start on 29 February: 29 February 2027 does not exist, the term ends on 28 February.
        (D(2024, 2, 28), (), D(2024, 2, 29), D(2027, 2, 28), D(2025, 8, 28)),
        (D(2028, 2, 29), (), D(2028, 3, 1), D(2031, 2, 28), D(2029, 8, 31)),
        (D(2023, 8, 31), (), D(2023, 9, 1), D(2026, 8, 31), D(2025, 2, 28)),
        (D(2022, 8, 31), (), D(2022, 9, 1), D(2025, 8, 31), D(2024, 2, 29)),
        # 31 December: the term starts on New Year's Day and ends on 31 December.
        (D(2024, 12, 31), (), D(2025, 1, 1), D(2027, 12, 31), D(2026, 6, 30)),
        (D(2023, 12, 31), (), D(2024, 1, 1), D(2026, 12, 31), D(2025, 6, 30)),
        (D(2024, 3, 1), (TermExtension(months=6),), D(2024, 3, 2), D(2027, 9, 1), D(2025, 9, 1)),
        (
            D(2024, 3, 1),
            (TermExtension(months=3), TermExtension(days=10)),
            D(2024, 3, 2),
            D(2027, 6, 11),
            D(2025, 9, 1),
        ),
        # Extensions added in one step: 31 Aug + 36 + 1 months is 30 Sept, whatever their order.
        (D(2023, 8, 31), (TermExtension(months=1),), D(2023, 9, 1), D(2026, 9, 30), D(2025, 2, 28)),
    ],
)
def test_term_and_switch(
    adopted: dt.date,
    extensions: tuple[TermExtension, ...],
    start: dt.date,
    end: dt.date,
    switch: dt.date,
) -> None:
    assert term_start(adopted) == start
    assert term_end(adopted, extensions) == end
    assert switch_deadline(adopted) == switch


# Source: DOMAIN.md "More rules" (ontzorgen from the first day of the benefit, for six months) and
# "Deadlines" (the first 6 months from housing while no benefit start is known).
@pytest.mark.parametrize(
    ("housing", "expected"),
    [
        (D(2024, 3, 1), D(2024, 8, 31)),
        (D(2024, 8, 31), D(2025, 2, 28)),
        (D(2023, 8, 31), D(2024, 2, 29)),
        (D(2024, 2, 29), D(2024, 8, 28)),
        (D(2024, 12, 31), D(2025, 6, 30)),
        (None, None),
    ],
)
def test_ontzorgen_end(housing: dt.date | None, expected: dt.date | None) -> None:
    assert ontzorgen_end(housing) == expected


@pytest.mark.parametrize(
    ("housing", "benefit", "start"),
    [
        (D(2025, 1, 6), None, D(2025, 1, 6)),
        (D(2025, 1, 6), D(2025, 2, 1), D(2025, 2, 1)),  # the benefit started later: the dates move
        (None, None, None),  # drafted in the AZC: no dates yet
        (None, D(2025, 3, 1), D(2025, 3, 1)),
    ],
)
def test_ontzorgen_starts_with_the_benefit(
    housing: dt.date | None, benefit: dt.date | None, start: dt.date | None
) -> None:
    assert ontzorgen_start(housing, benefit) == start


@pytest.mark.parametrize(
    ("last", "adopted", "interval", "expected"),
    [
        (D(2024, 5, 31), D(2024, 1, 10), 3, D(2024, 8, 31)),
        (D(2024, 11, 30), D(2024, 1, 10), 3, D(2025, 2, 28)),
        (None, D(2024, 1, 10), 3, D(2024, 4, 10)),
        (None, D(2024, 1, 10), 6, D(2024, 7, 10)),
        (None, None, 3, None),
    ],
)
def test_next_progress_meeting(
    last: dt.date | None, adopted: dt.date | None, interval: int, expected: dt.date | None
) -> None:
    settings = DeadlineSettings(progress_interval_months=interval)
    assert next_progress_meeting(last, adopted, settings) == expected


TODAY = D(2025, 1, 15)


@pytest.mark.parametrize(
    ("facts", "kind", "due", "days_left", "state"),
    [
        # In the AZC, not housed, no PIP: nothing to count yet.
        (ClientDeadlineFacts(), None, None, None, None),
        # Housed 1 Nov 2024, no PIP: due 10 Jan 2025, five days late.
        (
            ClientDeadlineFacts(housing=D(2024, 11, 1)),
            DeadlineKind.PIP_DUE,
            D(2025, 1, 10),
            -5,
            DeadlineState.TE_LAAT,
        ),
        # Housed 20 Nov 2024: due 29 Jan, 14 days left is still "binnenkort".
        (
            ClientDeadlineFacts(housing=D(2024, 11, 20)),
            DeadlineKind.PIP_DUE,
            D(2025, 1, 29),
            14,
            DeadlineState.BINNENKORT,
        ),
        # Housed 21 Nov 2024: 15 days left is "op tijd".
        (
            ClientDeadlineFacts(housing=D(2024, 11, 21), asylum=False),
            DeadlineKind.PIP_DUE,
            D(2025, 1, 30),
            15,
            DeadlineState.OP_TIJD,
        ),
        # Adopted in the AZC in December, not housed yet: the first voortgangsgesprek is next.
        (
            ClientDeadlineFacts(first_adoption=D(2024, 12, 10), pip_in_force=True),
            DeadlineKind.PROGRESS_MEETING,
            D(2025, 3, 10),
            54,
            DeadlineState.OP_TIJD,
        ),
        # Adopted in the AZC, housed since: ontzorgen ends first.
        (
            ClientDeadlineFacts(
                housing=D(2024, 8, 1),
                first_adoption=D(2024, 7, 1),
                pip_in_force=True,
                last_progress_meeting=D(2024, 12, 1),
            ),
            DeadlineKind.ONTZORGEN_END,
            D(2025, 1, 31),  # six months from 1 August, that day included
            16,
            DeadlineState.OP_TIJD,
        ),
        # Ontzorgen ended already: it drops out; a missed voortgangsgesprek is late.
        (
            ClientDeadlineFacts(
                housing=D(2024, 1, 1),
                first_adoption=D(2024, 2, 1),
                pip_in_force=True,
                last_progress_meeting=D(2024, 10, 1),
            ),
            DeadlineKind.PROGRESS_MEETING,
            D(2025, 1, 1),
            -14,
            DeadlineState.TE_LAAT,
        ),
        # Withdrawn PIP after housing long ago: a PIP is due again and overdue.
        (
            ClientDeadlineFacts(housing=D(2024, 1, 1), first_adoption=D(2024, 2, 1), asylum=False),
            DeadlineKind.PIP_DUE,
            D(2024, 3, 11),
            -310,
            DeadlineState.TE_LAAT,
        ),
    ],
)
def test_next_deadline(
    facts: ClientDeadlineFacts,
    kind: DeadlineKind | None,
    due: dt.date | None,
    days_left: int | None,
    state: DeadlineState | None,
) -> None:
    status = next_deadline(facts, TODAY)
    if kind is None:
        assert status is None
        return
    assert status is not None
    assert (status.kind, status.due, status.days_left, status.state) == (kind, due, days_left, state)
    assert status.state_label in {"op tijd", "binnenkort", "te laat"}


def test_gezinsmigrant_has_no_ontzorgen() -> None:
    facts = ClientDeadlineFacts(housing=D(2024, 11, 1), asylum=False)
    kinds = {d.kind for d in client_deadlines(facts)[0]}
    assert DeadlineKind.ONTZORGEN_END not in kinds


def test_switch_deadline_disappears_after_switching() -> None:
    base = ClientDeadlineFacts(first_adoption=D(2024, 3, 1), pip_in_force=True)
    assert DeadlineKind.SWITCH in {d.kind for d in client_deadlines(base)[0]}
    switched = ClientDeadlineFacts(first_adoption=D(2024, 3, 1), pip_in_force=True, switched=True)
    assert DeadlineKind.SWITCH not in {d.kind for d in client_deadlines(switched)[0]}


def test_due_soon_window_is_a_setting() -> None:
    facts = ClientDeadlineFacts(housing=D(2024, 11, 25))
    assert next_deadline(facts, TODAY).state is DeadlineState.OP_TIJD  # type: ignore[union-attr]
    wide = DeadlineSettings(due_soon_days=30)
    assert next_deadline(facts, TODAY, wide).state is DeadlineState.BINNENKORT  # type: ignore[union-attr]


@given(
    st.dates(min_value=D(1950, 1, 1), max_value=D(2100, 12, 31)), st.integers(min_value=-240, max_value=240)
)
def test_add_months_properties(start: dt.date, months: int) -> None:
    result = add_months(start, months)
    # The month moves by exactly `months`; the day stays, or is the last day of a shorter month.
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(start.day, last)
    # Going back lands on the same day unless the day was clamped on the way.
    if result.day == start.day:
        assert add_months(result, -months) == start


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)))
def test_term_is_three_years_and_switch_lies_inside(adopted: dt.date) -> None:
    start, end, switch = term_start(adopted), term_end(adopted), switch_deadline(adopted)
    assert start < switch < end
    # Three years of 365 or 366 days, give or take the clamped leap day.
    assert 1094 <= (end - adopted).days <= 1097
