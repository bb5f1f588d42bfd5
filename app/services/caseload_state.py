"""The stored caseload (table caseload_state, migration 0013): read on a plain DB-API connection,
and the days a computed line stays right.

No SQLAlchemy here: the start-up (issue 15) reads the caseload with the sqlcipher3 connection (or,
on the supervisor's team store, a psycopg one) before the ORM is imported. `read_stored_caseload`
gives the whole caseload, or None when any client's stored line is missing or not right for `today`;
the caller then takes `app.services.caseload.caseload_rows`, which recomputes exactly those lines
with the one computation and stores them.

What the stored line holds does not depend on the language (message ids, translated here) nor on the
role (the ontzorgen flag is stored and only shown to a role that may see the ontzorgen). What depends
on the date is right from `valid_from` through `valid_until`: `valid_until` is the day before the
first day on which any date rule of the line could turn (`stored_line_valid_until`); the days left
to the deadline are counted here, on the day of reading.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from app.domain.dates import InvalidDate, PartialDate
from app.domain.deadlines import (
    DEFAULT_SETTINGS,
    ClientDeadlineFacts,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    add_months,
    client_deadlines,
    deadline_status,
    ontzorgen_end,
)
from app.domain.eligibility import DEFAULT_MINIMUM_AGE, aow_date
from app.domain.progress import next_meeting_due
from app.i18n import _
from app.services.caseload_row import ONTZORGEN_ENDING_DAYS, CaseloadFlags, CaseloadRow, Msg

# The listing, in the columns' order below; the clients in the same order as the computed caseload.
_LISTING = (
    "SELECT c.id, c.v_nummer, c.given_names, c.family_name, c.name_original, c.birth_date,"
    " k.coa_location, k.klantmanager, k.huisvestingsdatum,"
    " CASE WHEN s.client_id IS NULL OR s.valid_from > {today} OR s.valid_until < {today} THEN 1 ELSE 0 END,"
    " s.status, s.leerroute, s.pip_state, s.obliged, s.deadline_kind, s.deadline_due, s.deadline_can_be_late,"
    " s.late, s.due_soon, s.azc_without_pip, s.ontzorgen_ending, s.meeting_late, s.exempted_on, s.exempt_parts"
    " FROM client c LEFT JOIN client_case k ON k.client_id = c.id"
    " LEFT JOIN caseload_state s ON s.client_id = c.id"
)
_DAY = dt.timedelta(days=1)


def read_stored_caseload(
    dbapi_connection: Any, today: dt.date, *, sees_ontzorgen: bool = False
) -> list[CaseloadRow] | None:
    """The caseload as stored, or None when any line is missing or not right for `today`.

    `dbapi_connection`: an open sqlcipher3 (SQLite) or psycopg connection to the store.
    `sees_ontzorgen`: the role may see the ontzorgen (`session_visibility(...).sees_column("pip_version",
    "ontzorgen")`); without it no line is flagged "ontzorgen loopt af" (the default: hide)."""
    lines = stored_lines(dbapi_connection, today, sees_ontzorgen=sees_ontzorgen)
    if any(isinstance(line, uuid.UUID) for line in lines):
        return None
    return lines  # type: ignore[return-value]


def stored_lines(
    dbapi_connection: Any, today: dt.date, *, sees_ontzorgen: bool
) -> list[CaseloadRow | uuid.UUID]:
    """Every client in the caseload's order: their stored line, or their id where it must be recomputed."""
    postgres = type(dbapi_connection).__module__.startswith("psycopg")
    cursor = dbapi_connection.cursor()
    try:
        if postgres:
            cursor.execute(_LISTING.format(today="%(today)s"), {"today": today})
        else:
            cursor.execute(_LISTING.format(today=":today"), {"today": today.isoformat()})
        records = cursor.fetchall()
    finally:
        cursor.close()
    # Many lines share their texts, dates, deadline and flags: each is made once per reading.
    dates: dict[Any, dt.date | None] = {None: None}
    texts: dict[str, str] = {}
    routes: dict[str, str] = {"": ""}
    deadlines: dict[tuple[Any, ...], DeadlineStatus | None] = {}
    flags_for: dict[tuple[Any, ...], CaseloadFlags] = {}
    parts_for: dict[str, tuple[str, ...]] = {}
    as_id = (lambda value: value) if postgres else (lambda value: uuid.UUID(hex=value))
    lines: list[CaseloadRow | uuid.UUID] = []
    append = lines.append
    for (
        client_id, v_nummer, given, family, original, birth_date, coa, klantmanager, housing,
        stale, status, leerroute, pip_state, obliged, kind, due, can_be_late,
        late, due_soon, azc, ontzorgen, meeting, exempted_on, exempt_parts,
    ) in records:  # fmt: skip
        if stale:
            append(as_id(client_id))
            continue
        if housing not in dates:
            dates[housing] = _as_date(housing)
        if exempted_on not in dates:
            dates[exempted_on] = _as_date(exempted_on)
        if status not in texts:
            texts[status] = Msg.from_json(status).render()
        if leerroute not in routes:
            routes[leerroute] = _(leerroute)
        deadline_key = (kind, due, can_be_late)
        if deadline_key not in deadlines:
            deadlines[deadline_key] = (
                None
                if kind is None
                else deadline_status(Deadline(DeadlineKind(kind), _as_date(due), bool(can_be_late)), today)  # type: ignore[arg-type]
            )
        flag_key = (late, due_soon, azc, ontzorgen, meeting)
        if flag_key not in flags_for:
            flags_for[flag_key] = CaseloadFlags(
                bool(late), bool(due_soon), bool(azc), bool(ontzorgen) and sees_ontzorgen, bool(meeting)
            )
        if exempt_parts not in parts_for:
            parts_for[exempt_parts] = tuple(json.loads(exempt_parts))
        append(
            CaseloadRow(
                as_id(client_id),
                v_nummer,
                f"{given} {family}".strip(),
                original or "",
                birth_date,
                coa or "",
                klantmanager or "",
                dates[housing],
                texts[status],
                routes[leerroute],
                deadlines[deadline_key],
                bool(obliged),
                pip_state,
                flags_for[flag_key],
                dates[exempted_on],
                parts_for[exempt_parts],
            )
        )
    return lines


def _as_date(value: Any) -> dt.date | None:
    """SQLite gives dates as ISO text, psycopg as dates."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def stored_line_valid_until(
    *,
    birth_date: str,
    housing: dt.date | None,
    deadline_facts: ClientDeadlineFacts,
    ontzorgen_asylum: bool,
    meeting_facts: ClientDeadlineFacts | None,
    today: dt.date,
) -> dt.date | None:
    """The last day on which a line computed for `today` is still what the caseload shows (None: no end).

    Conservative: every day on which a date rule of the line could turn is collected from the same
    domain functions the computation asks (a turn that changes nothing only costs a recomputation):
    turning adult or reaching the AOW age (both ends of a partly known birth date), the housing day
    (housed; in AZC), each deadline entering "binnenkort" and passing, ontzorgen's last month
    starting and ending, and the voortgangsgesprek becoming overdue."""
    turns = [*_age_turns(birth_date), *_deadline_turns(deadline_facts)]
    if housing is not None:
        turns.append(housing)
    if ontzorgen_asylum:
        end = ontzorgen_end(housing)
        if end is not None:
            turns += [end - dt.timedelta(days=ONTZORGEN_ENDING_DAYS), end + _DAY]
    if meeting_facts is not None and meeting_facts.pip_in_force:
        due = next_meeting_due(
            meeting_facts.last_progress_meeting,
            meeting_facts.first_adoption,
            meeting_facts.progress_interval_months or DEFAULT_SETTINGS.progress_interval_months,
        )
        if due is not None:
            turns.append(due + _DAY)
    later = [turn for turn in turns if turn > today]
    return min(later) - _DAY if later else None


_age_cache: dict[str, tuple[dt.date, ...]] = {}
_deadline_cache: dict[ClientDeadlineFacts, tuple[dt.date, ...]] = {}


def _age_turns(birth_date: str) -> tuple[dt.date, ...]:
    if birth_date not in _age_cache:
        try:
            partial = PartialDate.parse(birth_date)
        except InvalidDate:
            turns: tuple[dt.date, ...] = ()  # counted as obliged whatever the date
        else:
            turns = tuple(
                turn
                for born in {partial.earliest(), partial.latest()}
                for turn in (add_months(born, DEFAULT_MINIMUM_AGE * 12), aow_date(born))
            )
        if len(_age_cache) > 1 << 16:
            _age_cache.clear()
        _age_cache[birth_date] = turns
    return _age_cache[birth_date]


def _deadline_turns(facts: ClientDeadlineFacts) -> tuple[dt.date, ...]:
    if facts not in _deadline_cache:
        soon = dt.timedelta(days=DEFAULT_SETTINGS.due_soon_days)
        deadlines, _notes = client_deadlines(facts)
        if len(_deadline_cache) > 1 << 16:
            _deadline_cache.clear()
        _deadline_cache[facts] = tuple(t for d in deadlines for t in (d.due - soon, d.due + _DAY))
    return _deadline_cache[facts]
