"""The lines ahead (issue 15, the first start of a day; table caseload_ahead, migration 0014).

A stored caseload line is right from `valid_from` through `valid_until`, the day before one of its
date rules could turn (app/services/caseload_state.py). With 10,000 clients some 80–100 lines turn
each day, so without more the day's first start would recompute them through SQLAlchemy before the
first paint. For every client whose line turns within `HORIZON_DAYS`, the line that will be right
from that turn on is computed now, by the one computation asked for that later day
(`computed_lines(session, turn, ...)`), and stored as a line ahead; then the one after it, up to the
horizon (a weekend or a short leave is covered). The start-up reader takes, for a line not right
today, the line ahead that is right today (`stored_lines`); the listing with SQLAlchemy makes it the
stored line (`promote_lines_ahead`, app/services/caseload.py).

A line ahead is as current as the stored line: the triggers that delete a client's stored line on
any write to what it is computed from delete its lines ahead in the same statement (migration 0014),
and lines ahead are computed and stored while writers are held off (`hold_off_writers`), as stored
lines are. The GUI fills them after the window is complete, one day's turns per task on the
database worker (app/ui/application.py), so a klantmanager's own work is never queued behind more
than one step.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models.caseload_state import CaseloadAhead, CaseloadState
from app.models.store import StoreLike
from app.services.caseload import computed_lines, hold_off_writers, store_lines
from app.services.profile import Profile

# How far ahead lines are kept: a long weekend, or a short leave, still starts from stored lines.
HORIZON_DAYS = 10
_DAY = dt.timedelta(days=1)


def lines_ahead_due(
    session: Session, today: dt.date, days: int = HORIZON_DAYS
) -> dict[dt.date, list[uuid.UUID]]:
    """Per day: the clients whose latest stored line (the line right today, or the last line ahead
    after it) ends before `today + days`, so the line from the day after is still to be computed.
    A client whose stored line is not right today is left to the listing."""
    state, ahead = CaseloadState, CaseloadAhead
    latest: dict[uuid.UUID, tuple[dt.date, dt.date | None]] = {}
    current = select(state.client_id, state.valid_from, state.valid_until).where(
        state.valid_from <= today, or_(state.valid_until.is_(None), state.valid_until >= today)
    )
    for client_id, valid_from, valid_until in session.execute(current):
        latest[client_id] = (valid_from, valid_until)
    for client_id, valid_from, valid_until in session.execute(
        select(ahead.client_id, ahead.valid_from, ahead.valid_until).where(ahead.valid_from > today)
    ):
        if client_id in latest and valid_from > latest[client_id][0]:
            latest[client_id] = (valid_from, valid_until)
    end = today + dt.timedelta(days=days)
    due: dict[dt.date, list[uuid.UUID]] = defaultdict(list)
    for client_id, (_valid_from, valid_until) in latest.items():
        if valid_until is not None and valid_until < end:
            due[valid_until + _DAY].append(client_id)
    return dict(due)


def fill_lines_ahead_step(session: Session, today: dt.date, days: int = HORIZON_DAYS) -> int:
    """One step: the lines ahead from the earliest day still to be computed, for every client whose
    line turns that day. Returns how many were stored (0: the horizon is filled)."""
    hold_off_writers(session, today)  # and the lines ahead right today become the stored lines
    due = lines_ahead_due(session, today, days)
    if not due:
        return 0
    day = min(due)
    lines = computed_lines(session, day, due[day])
    store_lines(session, lines, day, table="caseload_ahead")
    return len(lines)


class CaseloadAheadService:
    """The lines ahead for one profile; each step one unit of work on the store."""

    def __init__(self, store: StoreLike, actor: str, role: str) -> None:
        self._store = store
        self._actor = actor
        self._role = role

    @classmethod
    def for_profile(cls, profile: Profile) -> CaseloadAheadService:
        return cls(profile.store(), profile.actor, profile.settings.role)

    def fill_step(self, today: dt.date | None = None, days: int = HORIZON_DAYS) -> int:
        with self._store.session(self._actor, self._role) as session:
            return fill_lines_ahead_step(session, today or dt.date.today(), days)

    def fill(self, today: dt.date | None = None, days: int = HORIZON_DAYS) -> int:
        """Every step until the horizon is filled (the command line and tests; the GUI queues the
        steps one by one). Returns how many lines ahead were stored."""
        stored = 0
        for _step in range(4 * days + 4):  # each step moves some client's line at least a day on
            done = self.fill_step(today, days)
            if not done:
                break
            stored += done
        return stored
