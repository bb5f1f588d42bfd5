"""The stored caseload (table caseload_state, migration 0013): read on a plain DB-API connection,
and the days a computed line stays right.

No SQLAlchemy here: the start-up (issue 15) reads the caseload with the sqlcipher3 connection (or,
on the supervisor's team store, a psycopg one) before the ORM is imported. `read_stored_caseload`
gives the whole caseload, or None when any client's stored line is missing or not right for `today`
and no line ahead (table caseload_ahead, migration 0014, app/services/caseload_ahead.py) is right
for it either; the caller then takes `app.services.caseload.caseload_rows`, which recomputes exactly
those lines with the one computation and stores them. A line ahead is the same computation asked
for the day its client's line turns, stored the day before or earlier, so the first start of a day
finds most of the day's turned lines ready.

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
from app.domain.eligibility import DEFAULT_MINIMUM_AGE, aow_date, birth_range
from app.domain.progress import next_meeting_due
from app.i18n import _
from app.services.caseload_row import ONTZORGEN_ENDING_DAYS, CaseloadFlags, CaseloadRow, Msg

# The bits of the stored `flags` (app/models/caseload_state.py says the same).
OBLIGED, LATE, DUE_SOON, AZC_WITHOUT_PIP, ONTZORGEN_ENDING, MEETING_LATE = 1, 2, 4, 8, 16, 32
COLUMNS = (
    "client_id", "position", "valid_from", "valid_until", "v_nummer", "name", "name_original", "birth_date",
    "coa_location", "klantmanager", "housing_date", "status", "leerroute", "pip_state", "flags", "deadline",
    "exemption",
)  # fmt: skip
# One table read: every stored line, marked 1 where it is not right for the day.
_LISTING = (
    "SELECT client_id, CASE WHEN valid_from > {today} OR valid_until < {today} THEN 1 ELSE 0 END, v_nummer, name,"
    " name_original, birth_date, coa_location, klantmanager, housing_date, status, leerroute, pip_state, flags,"
    " deadline, exemption, position FROM caseload_state ORDER BY position"
)
# Every client has a stored line when the two counts agree (a stored line belongs to a client).
_COUNTS = "SELECT (SELECT count(*) FROM client), (SELECT count(*) FROM caseload_state)"
_MISSING = (
    "SELECT c.id, {position} FROM client c WHERE NOT EXISTS"
    " (SELECT 1 FROM caseload_state s WHERE s.client_id = c.id)"
)
# The lines ahead (migration 0014) right for the day: the same columns as _LISTING, none stale.
_AHEAD = (
    "SELECT client_id, 0, v_nummer, name, name_original, birth_date, coa_location, klantmanager, housing_date,"
    " status, leerroute, pip_state, flags, deadline, exemption, position FROM caseload_ahead"
    " WHERE valid_from <= {today} AND (valid_until IS NULL OR valid_until >= {today})"
)
_DAY = dt.timedelta(days=1)


def is_postgresql(dbapi_connection: Any) -> bool:
    return type(dbapi_connection).__module__.startswith("psycopg")


def read_stored_caseload(
    dbapi_connection: Any, today: dt.date, *, sees_ontzorgen: bool = False
) -> list[CaseloadRow] | None:
    """The caseload as stored, or None when any line is missing or not right for `today` and has no
    line ahead that is right for it.

    `dbapi_connection`: an open sqlcipher3 (SQLite) or psycopg connection to the store.
    `sees_ontzorgen`: the role may see the ontzorgen (`role_sees_ontzorgen(role)`, the same answer as
    `session_visibility(session).sees_column("pip_version", "ontzorgen")`); without it no line is
    flagged "ontzorgen loopt af" (the default: hide)."""
    lines = stored_lines(dbapi_connection, today, sees_ontzorgen=sees_ontzorgen, give_up_on_stale=True)
    if lines is None or any(isinstance(line, uuid.UUID) for line in lines):
        return None
    return lines  # type: ignore[return-value]


def role_sees_ontzorgen(role: str | None) -> bool:
    """Whether `role` may see the ontzorgen, without SQLAlchemy (app/services/visibility.py)."""
    from app.services.visibility import visibility_for

    return visibility_for(role or None).sees_column("pip_version", "ontzorgen")


def stored_lines(
    dbapi_connection: Any, today: dt.date, *, sees_ontzorgen: bool, give_up_on_stale: bool = False
) -> list[CaseloadRow | uuid.UUID] | None:
    """Every client in the caseload's order: their stored line (or the line ahead right for `today`
    where the stored one is not), or their id where it must be recomputed (missing, or not right for
    `today`, with no line ahead for it). `give_up_on_stale`: None at the first such line."""
    postgres = is_postgresql(dbapi_connection)
    day = {"today": today} if postgres else {"today": today.isoformat()}
    mark = "%(today)s" if postgres else ":today"
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(_LISTING.format(today=mark), day)
        records = cursor.fetchall()
        cursor.execute(_COUNTS)
        clients, stored = cursor.fetchone()
        missing: list[tuple[Any, int]] = []
        if clients != stored:
            cursor.execute(_MISSING.format(position="0" if postgres else "c.rowid"))
            missing = cursor.fetchall()
        ahead: dict[Any, tuple[Any, ...]] = {}
        if missing or any(record[1] for record in records):
            # A line that turned (or was set aside) since it was stored: the line ahead computed for
            # its turn, when there is one, is today's line (migration 0014).
            cursor.execute(_AHEAD.format(today=mark), day)
            ahead = {record[0]: record for record in cursor.fetchall()}
    finally:
        cursor.close()
    if ahead:
        records = [ahead.get(record[0], record) if record[1] else record for record in records]
    moved_in = [ahead[client_id] for client_id, _position in missing if client_id in ahead]
    missing = [(client_id, position) for client_id, position in missing if client_id not in ahead]
    if give_up_on_stale and missing:
        return None
    records += moved_in
    as_id = _same if postgres else _uuid_from_hex
    # Many lines share their texts, dates, deadline and flags: each is made once per reading.
    dates: dict[Any, dt.date | None] = {None: None}
    texts: dict[str, str] = {}
    routes: dict[str, str] = {"": ""}
    deadlines: dict[str | None, DeadlineStatus | None] = {None: None}
    flags_for: dict[int, tuple[bool, CaseloadFlags]] = {}
    exemptions: dict[str | None, tuple[dt.date | None, tuple[str, ...]]] = {None: (None, ())}
    lines: list[CaseloadRow | uuid.UUID] = []
    append, new_row, set_fields = lines.append, object.__new__, object.__setattr__
    for (
        client_id, stale, v_nummer, name, name_original, birth_date, coa, klantmanager, housing,
        status, leerroute, pip_state, flags, deadline, exemption, _position,
    ) in records:  # fmt: skip
        if stale:
            if give_up_on_stale:
                return None
            append(as_id(client_id))
            continue
        if housing not in dates:
            dates[housing] = _as_date(housing)
        if status not in texts:
            texts[status] = Msg.from_json(status).render()
        if leerroute not in routes:
            routes[leerroute] = _(leerroute)
        if deadline not in deadlines:
            deadlines[deadline] = _deadline_from(deadline, today)
        if flags not in flags_for:
            flags_for[flags] = _flags_from(flags, sees_ontzorgen)
        if exemption not in exemptions:
            exemptions[exemption] = _exemption_from(exemption)
        obliged, shown = flags_for[flags]
        exempted_on, exempt_parts = exemptions[exemption]
        # The row's fields in CaseloadRow's order, set at once (a frozen dataclass's __init__ sets
        # them one by one: a third of the reading, issue 15).
        line = new_row(CaseloadRow)
        set_fields(line, "__dict__", {
            "client_id": as_id(client_id), "v_nummer": v_nummer, "name": name, "name_original": name_original,
            "birth_date": birth_date, "coa_location": coa, "klantmanager": klantmanager,
            "housing_date": dates[housing], "status": texts[status], "leerroute": routes[leerroute],
            "next_deadline": deadlines[deadline], "obliged": obliged, "pip_state": pip_state, "flags": shown,
            "exempted_on": exempted_on, "exempt_parts": exempt_parts,
        })  # fmt: skip
        append(line)
    if missing or moved_in:
        # In the computed caseload's order (SQLite: the clients' rowids; PostgreSQL has none).
        placed = [(record[-1], line) for record, line in zip(records, lines, strict=True)]
        placed += [(position, as_id(client_id)) for client_id, position in missing]
        placed.sort(key=lambda pair: pair[0])
        lines = [line for _position, line in placed]
    return lines


def _same(value: uuid.UUID) -> uuid.UUID:
    return value  # psycopg gives a uuid.UUID


def _uuid_from_hex(value: str) -> uuid.UUID:
    """uuid.UUID(hex=value) for the 32 hex digits SQLAlchemy stores on SQLite, without the parsing
    of every form UUID() accepts (10,000 per listing): what UUID.__init__ itself sets."""
    made = object.__new__(uuid.UUID)
    object.__setattr__(made, "int", int(value, 16))
    object.__setattr__(made, "is_safe", uuid.SafeUUID.unknown)
    return made


def _as_date(value: Any) -> dt.date | None:
    """SQLite gives dates as ISO text, psycopg as dates."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def pack_deadline(deadline: DeadlineStatus | None) -> str | None:
    if deadline is None:
        return None
    return f"{deadline.kind.value} {deadline.due.isoformat()} {int(deadline.deadline.can_be_late)}"


def _deadline_from(packed: str, today: dt.date) -> DeadlineStatus:
    kind, due, can_be_late = packed.split(" ")
    return deadline_status(
        Deadline(DeadlineKind(kind), dt.date.fromisoformat(due), can_be_late == "1"), today
    )


def pack_flags(obliged: bool, flags: CaseloadFlags) -> int:
    return (
        OBLIGED * obliged
        | LATE * flags.late
        | DUE_SOON * flags.due_soon
        | AZC_WITHOUT_PIP * flags.azc_without_pip
        | ONTZORGEN_ENDING * flags.ontzorgen_ending
        | MEETING_LATE * flags.meeting_late
    )


def _flags_from(packed: int, sees_ontzorgen: bool) -> tuple[bool, CaseloadFlags]:
    return bool(packed & OBLIGED), CaseloadFlags(
        late=bool(packed & LATE),
        due_soon=bool(packed & DUE_SOON),
        azc_without_pip=bool(packed & AZC_WITHOUT_PIP),
        ontzorgen_ending=sees_ontzorgen and bool(packed & ONTZORGEN_ENDING),
        meeting_late=bool(packed & MEETING_LATE),
    )


def pack_exemption(exempted_on: dt.date | None, parts: tuple[str, ...]) -> str | None:
    if exempted_on is None and not parts:
        return None
    return json.dumps([exempted_on.isoformat() if exempted_on else None, list(parts)])


def _exemption_from(packed: str) -> tuple[dt.date | None, tuple[str, ...]]:
    on, parts = json.loads(packed)
    return (dt.date.fromisoformat(on) if on else None), tuple(parts)


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
        readings = birth_range(birth_date)  # None: unreadable, counted as obliged whatever the date
        turns = tuple(
            turn
            for born in set(readings or ())
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
