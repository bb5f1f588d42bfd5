"""Progress as records (app/domain/progress.py), each row naming its source: DOMAIN.md "More rules"
(Progress, Z-route), the deadline table's "voortgangsgesprek" row (counted from the last
conversation, at the interval the municipality and the PIP set) and step 3 (afschalen to A2 per
exam part)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.enums import Leerroute
from app.domain.progress import (
    Z_ROUTE_TARGET_HOURS,
    ExamAttempt,
    ExamLevel,
    ExamOutcome,
    ExamSubject,
    HoursKind,
    exam_problems,
    failed_attempts,
    hours_problems,
    hours_totals,
    meeting_overdue,
    meeting_problems,
    module_problems,
    next_attempt,
    next_meeting_due,
)

D = dt.date
TODAY = D(2026, 6, 15)


@pytest.mark.parametrize(
    ("source", "last", "adopted", "interval", "due", "overdue"),
    [
        ("deadline table: from adoption when none held", None, D(2026, 1, 10), 3, D(2026, 4, 10), True),
        (
            "deadline table: from the last conversation",
            D(2026, 4, 1),
            D(2026, 1, 10),
            3,
            D(2026, 7, 1),
            False,
        ),
        ("the PIP's own interval counts", D(2026, 4, 1), D(2026, 1, 10), 2, D(2026, 6, 1), True),
        ("due today is not late yet", D(2026, 3, 15), D(2026, 1, 10), 3, D(2026, 6, 15), False),
        ("clamped to a shorter month", D(2025, 11, 30), D(2025, 8, 1), 3, D(2026, 2, 28), True),
        ("no adopted PIP: nothing due", None, None, 3, None, False),
    ],
)
def test_meeting_due_and_overdue(
    source: str,
    last: dt.date | None,
    adopted: dt.date | None,
    interval: int,
    due: dt.date | None,
    overdue: bool,
) -> None:
    assert next_meeting_due(last, adopted, interval) == due, source
    assert meeting_overdue(last, adopted, interval, TODAY) is overdue, source


@pytest.mark.parametrize(
    ("source", "on", "next_on", "adopted", "refusal"),
    [
        ("a meeting belongs to an adopted PIP", D(2026, 6, 1), None, None, "vastgesteld PIP"),
        ("not in the future", D(2026, 6, 16), None, D(2026, 1, 1), "toekomst"),
        ("not before the adoption", D(2025, 12, 31), None, D(2026, 1, 1), "voor de vaststelling"),
        ("the next one comes after it", D(2026, 6, 1), D(2026, 6, 1), D(2026, 1, 1), "na dit gesprek"),
    ],
)
def test_meeting_refusals(
    source: str, on: dt.date, next_on: dt.date | None, adopted: dt.date | None, refusal: str
) -> None:
    problems = meeting_problems(on, next_on, adopted, TODAY)
    assert any(refusal in p for p in problems), (source, problems)


def test_a_good_meeting_is_accepted() -> None:
    assert meeting_problems(D(2026, 6, 1), D(2026, 9, 1), D(2026, 1, 1), TODAY) == []


@pytest.mark.parametrize(
    ("source", "started", "completed", "refusal"),
    [
        ("MAP/PVT have a start and a completion: completed needs a start", None, D(2026, 5, 1), "begonnen"),
        ("completed before started", D(2026, 5, 1), D(2026, 4, 1), "afgerond voordat"),
        ("no start in the future", D(2026, 7, 1), None, "startdatum ligt in de toekomst"),
        ("no completion in the future", D(2026, 1, 1), D(2026, 7, 1), "afrondingsdatum ligt in de toekomst"),
        ("a start alone is fine", D(2026, 1, 1), None, None),
        ("start and completion on one day", D(2026, 1, 1), D(2026, 1, 1), None),
    ],
)
def test_module_dates(
    source: str, started: dt.date | None, completed: dt.date | None, refusal: str | None
) -> None:
    problems = module_problems(started, completed, TODAY)
    if refusal is None:
        assert problems == [], source
    else:
        assert any(refusal in p for p in problems), (source, problems)


def _attempt(
    part: ExamSubject, number: int, on: dt.date, outcome: ExamOutcome, level: ExamLevel | None = ExamLevel.B1
) -> ExamAttempt:
    return ExamAttempt(part, number, on, outcome, None if part is ExamSubject.KNM else level)


FAILED_LEZEN = _attempt(ExamSubject.LEZEN, 1, D(2026, 2, 1), ExamOutcome.NIET_BEHAALD)


@pytest.mark.parametrize(
    ("source", "new", "earlier", "route", "afgeschaald", "refusal"),
    [
        (
            "attempts per part, from 1",
            _attempt(ExamSubject.LEZEN, 1, D(2026, 3, 1), ExamOutcome.BEHAALD),
            [],
            Leerroute.B1,
            [],
            None,
        ),
        (
            "the next attempt of the part",
            _attempt(ExamSubject.LEZEN, 2, D(2026, 3, 1), ExamOutcome.BEHAALD),
            [FAILED_LEZEN],
            Leerroute.B1,
            [],
            None,
        ),
        (
            "another part starts at 1",
            _attempt(ExamSubject.SPREKEN, 1, D(2026, 3, 1), ExamOutcome.BEHAALD),
            [FAILED_LEZEN],
            Leerroute.B1,
            [],
            None,
        ),
        (
            "attempt out of order",
            _attempt(ExamSubject.LEZEN, 3, D(2026, 3, 1), ExamOutcome.BEHAALD),
            [FAILED_LEZEN],
            Leerroute.B1,
            [],
            "poging 2",
        ),
        (
            "attempt before the previous one",
            _attempt(ExamSubject.LEZEN, 2, D(2026, 1, 1), ExamOutcome.BEHAALD),
            [FAILED_LEZEN],
            Leerroute.B1,
            [],
            "voor de vorige poging",
        ),
        (
            "no result in the future",
            _attempt(ExamSubject.LEZEN, 1, D(2026, 7, 1), ExamOutcome.BEHAALD),
            [],
            Leerroute.B1,
            [],
            "toekomst",
        ),
        (
            "Z-route: counted in hours, no exam",
            _attempt(ExamSubject.LEZEN, 1, D(2026, 3, 1), ExamOutcome.BEHAALD),
            [],
            Leerroute.Z,
            [],
            "geen examen",
        ),
        (
            "A2 only where the PIP lowers the part (afschalen)",
            _attempt(ExamSubject.LEZEN, 1, D(2026, 3, 1), ExamOutcome.BEHAALD, ExamLevel.A2),
            [],
            Leerroute.B1,
            ["spreken"],
            "niet afgeschaald",
        ),
        (
            "A2 for a lowered part",
            _attempt(ExamSubject.LEZEN, 1, D(2026, 3, 1), ExamOutcome.BEHAALD, ExamLevel.A2),
            [],
            Leerroute.B1,
            ["lezen"],
            None,
        ),
        (
            "a language part needs its level",
            _attempt(ExamSubject.LEZEN, 1, D(2026, 3, 1), ExamOutcome.BEHAALD, None),
            [],
            Leerroute.B1,
            [],
            "B1 of A2",
        ),
        (
            "KNM has no language level",
            ExamAttempt(ExamSubject.KNM, 1, D(2026, 3, 1), ExamOutcome.BEHAALD, ExamLevel.B1),
            [],
            Leerroute.B1,
            [],
            "geen taalniveau",
        ),
        (
            "a passed part needs no new attempt",
            _attempt(ExamSubject.LEZEN, 2, D(2026, 3, 1), ExamOutcome.BEHAALD),
            [_attempt(ExamSubject.LEZEN, 1, D(2026, 2, 1), ExamOutcome.BEHAALD)],
            Leerroute.B1,
            [],
            "al behaald",
        ),
    ],
)
def test_exam_results(
    source: str,
    new: ExamAttempt,
    earlier: list[ExamAttempt],
    route: Leerroute,
    afgeschaald: list[str],
    refusal: str | None,
) -> None:
    problems = exam_problems(new, earlier, route, afgeschaald, TODAY)
    if refusal is None:
        assert problems == [], (source, problems)
    else:
        assert any(refusal in p for p in problems), (source, problems)


def test_attempts_are_numbered_and_counted_per_part() -> None:
    """DOMAIN.md "Exemption": DUO looks at the failed attempts per part."""
    attempts = [FAILED_LEZEN, _attempt(ExamSubject.LEZEN, 2, D(2026, 4, 1), ExamOutcome.NIET_BEHAALD)]
    assert next_attempt(attempts, ExamSubject.LEZEN) == 3
    assert next_attempt(attempts, ExamSubject.KNM) == 1
    assert failed_attempts(attempts, ExamSubject.LEZEN) == 2


@pytest.mark.parametrize(
    ("source", "kind", "hours", "start", "end", "route", "asylum", "refusal"),
    [
        (
            "Z-route: language and KNM",
            HoursKind.LANGUAGE_KNM,
            60,
            D(2026, 3, 1),
            D(2026, 5, 31),
            Leerroute.Z,
            False,
            None,
        ),
        (
            "Z-route: participation for asylum",
            HoursKind.PARTICIPATION,
            60,
            D(2026, 3, 1),
            D(2026, 5, 31),
            Leerroute.Z,
            True,
            None,
        ),
        (
            "participation only for asylum statushouders",
            HoursKind.PARTICIPATION,
            60,
            D(2026, 3, 1),
            D(2026, 5, 31),
            Leerroute.Z,
            False,
            "asielstatushouders",
        ),
        (
            "hours only in the Z-route",
            HoursKind.LANGUAGE_KNM,
            60,
            D(2026, 3, 1),
            D(2026, 5, 31),
            Leerroute.B1,
            True,
            "alleen in de Z-route",
        ),
        (
            "no negative hours",
            HoursKind.LANGUAGE_KNM,
            -5,
            D(2026, 3, 1),
            D(2026, 5, 31),
            Leerroute.Z,
            True,
            "groter zijn dan nul",
        ),
        (
            "no zero hours",
            HoursKind.LANGUAGE_KNM,
            0,
            D(2026, 3, 1),
            D(2026, 5, 31),
            Leerroute.Z,
            True,
            "groter zijn dan nul",
        ),
        (
            "a period that ends before it starts",
            HoursKind.LANGUAGE_KNM,
            10,
            D(2026, 3, 1),
            D(2026, 2, 1),
            Leerroute.Z,
            True,
            "eindigt voordat",
        ),
        (
            "no period in the future",
            HoursKind.LANGUAGE_KNM,
            10,
            D(2026, 6, 1),
            D(2026, 6, 30),
            Leerroute.Z,
            True,
            "loopt nog",
        ),
    ],
)
def test_hours_refusals(
    source: str,
    kind: HoursKind,
    hours: int,
    start: dt.date,
    end: dt.date,
    route: Leerroute,
    asylum: bool,
    refusal: str | None,
) -> None:
    problems = hours_problems(kind, hours, start, end, route, asylum, TODAY)
    if refusal is None:
        assert problems == [], (source, problems)
    else:
        assert any(refusal in p for p in problems), (source, problems)


def test_running_totals_against_800_hours_and_the_term() -> None:
    """DOMAIN.md "Z-route": 800 hours of language and KNM, 800 of participation for asylum."""
    entries = [(HoursKind.LANGUAGE_KNM, 300), (HoursKind.LANGUAGE_KNM, 150), (HoursKind.PARTICIPATION, 100)]
    term_start, term_end = D(2025, 3, 1), D(2028, 2, 29)
    totals = hours_totals(entries, True, term_start, term_end, D(2026, 9, 1))
    language, participation = totals
    assert (language.kind, language.hours, language.target, language.remaining) == (
        HoursKind.LANGUAGE_KNM,
        450,
        Z_ROUTE_TARGET_HOURS,
        350,
    )
    assert participation.hours == 100 and participation.remaining == 700
    # Half the term (18 of 36 months) has passed: about 400 hours are expected by now.
    assert language.expected_by_now is not None and 395 <= language.expected_by_now <= 405
    assert not language.behind and participation.behind
    only_language = hours_totals(entries, False, term_start, term_end, D(2026, 9, 1))
    assert [t.kind for t in only_language] == [HoursKind.LANGUAGE_KNM]
    done = hours_totals([(HoursKind.LANGUAGE_KNM, 820)], False, None, None, TODAY)[0]
    assert done.reached and done.remaining == 0 and done.expected_by_now is None and not done.behind
