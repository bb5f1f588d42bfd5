"""The lines ahead (table caseload_ahead, migration 0014): after the lines for the days ahead are
filled, the start-up reader gives, on each of those days and without recomputing anything, exactly
the caseload the computation gives for that day (deadlines entering "binnenkort" and passing, turning
18, ontzorgen ending, the housing day, a voortgangsgesprek becoming overdue); any write drops the
client's lines ahead with its stored line; after a long absence the start recomputes as before."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from builders import adopted_pip
from sqlalchemy import func, select, text

from app.domain.enums import Role
from app.models.caseload_state import CaseloadAhead, CaseloadState
from app.services.caseload import CaseloadRow, caseload_rows, computed_caseload_rows
from app.services.caseload_ahead import HORIZON_DAYS, CaseloadAheadService
from app.services.caseload_state import read_stored_caseload
from app.services.clients import ClientService
from app.services.intake import IntakeService
from app.services.pip import PipService, PipSettings
from app.services.profile import Profile

TODAY = dt.date.today()
KM = ("km.jansen", Role.KLANTMANAGER.value)
DAY = dt.timedelta(days=1)


def computed(profile: Profile, today: dt.date) -> list[CaseloadRow]:
    with profile.store().session(*KM) as session:
        return computed_caseload_rows(session, today)


def listed(profile: Profile, today: dt.date) -> list[CaseloadRow]:
    with profile.store().session(*KM) as session:
        return caseload_rows(session, today)


def read_plain(profile: Profile, today: dt.date) -> list[CaseloadRow] | None:
    with profile.store().engine.connect() as connection:
        return read_stored_caseload(connection.connection.driver_connection, today, sees_ontzorgen=True)


def fill(profile: Profile, today: dt.date, days: int = HORIZON_DAYS) -> int:
    return CaseloadAheadService(profile.store(), *KM).fill(today, days)


def ahead_of(profile: Profile, client_id: uuid.UUID | None = None) -> int:
    query = select(func.count()).select_from(CaseloadAhead)
    if client_id is not None:
        query = query.where(CaseloadAhead.client_id == client_id)
    with profile.store().session() as session:
        return int(session.scalar(query) or 0)


def turned_on(profile: Profile, day: dt.date) -> int:
    """How many stored lines (caseload_state) are not right on `day`: the reader needs lines ahead."""
    with profile.store().session() as session:
        return int(session.scalar(select(func.count()).where(CaseloadState.valid_until < day)) or 0)


def kinds_of_turn(before: list[CaseloadRow], after: list[CaseloadRow], day: dt.date) -> set[str]:
    earlier = {row.client_id: row for row in before}
    kinds = set()
    for row in after:
        was = earlier[row.client_id]
        if row.flags.due_soon and not was.flags.due_soon:
            kinds.add("binnenkort")
        if row.flags.late and not was.flags.late:
            kinds.add("te laat")
        if row.obliged and not was.obliged and was.status == "gezinslid (minderjarig)":
            kinds.add("18 geworden")
        if row.flags.ontzorgen_ending != was.flags.ontzorgen_ending:
            kinds.add("ontzorgen")
        if row.housing_date == day and row.status != was.status:
            kinds.add("huisvesting")
        if row.flags.meeting_late and not was.flags.meeting_late:
            kinds.add("gesprek te laat")
    return kinds


def eighteen_in(days: int) -> str:
    born = TODAY + dt.timedelta(days=days)
    try:
        return born.replace(year=born.year - 18).isoformat()
    except ValueError:  # 29 February
        return (born + DAY).replace(year=born.year - 18).isoformat()


# Per demo profile: the client turning 18, the one housed soon, the one whose meeting falls due.
CHOSEN: dict[Path, list[uuid.UUID]] = {}


@pytest.fixture
def demo(profile: Profile) -> Profile:
    """Demo clients, and besides them one who turns 18 in four days, one housed in three days and
    one whose voortgangsgesprek becomes overdue within the horizon."""
    ClientService.for_profile(profile).add_demo(320, seed=11)
    rows = computed(profile, TODAY)
    without_pip = [r.client_id for r in rows if r.status in ("in AZC", "gehuisvest") and r.obliged]
    with profile.store().engine.begin() as connection:
        connection.execute(
            text("UPDATE client SET birth_date = :born WHERE id = :id"),
            {"born": eighteen_in(4), "id": without_pip[0].hex},
        )
        connection.execute(
            text("UPDATE client_case SET huisvestingsdatum = :on WHERE client_id = :id"),
            {"on": TODAY + 3 * DAY, "id": without_pip[1].hex},
        )
    adopted_pip(profile, without_pip[2], TODAY - dt.timedelta(days=86))
    CHOSEN[profile.data_dir] = without_pip[:3]
    return profile


def test_each_day_of_the_horizon_reads_the_computed_caseload_from_stored_lines(demo: Profile) -> None:
    listed(demo, TODAY)
    assert ahead_of(demo) == 0
    assert fill(demo, TODAY) > 0
    assert fill(demo, TODAY) == 0  # filled: a second fill finds nothing to do
    kinds: set[str] = set()
    previous = computed(demo, TODAY)
    used_ahead = 0
    for offset in range(1, HORIZON_DAYS + 1):
        day = TODAY + offset * DAY
        reference = computed(demo, day)
        used_ahead += turned_on(demo, day) > 0
        assert read_plain(demo, day) == reference, day  # no line to recompute: the quick start
        kinds |= kinds_of_turn(previous, reference, day)
        previous = reference
    assert used_ahead >= HORIZON_DAYS - 1
    assert {"18 geworden", "huisvesting", "gesprek te laat"} <= kinds, kinds
    # Past the horizon some lines have no line ahead: the start takes the slow way, as before.
    beyond = TODAY + (HORIZON_DAYS + 30) * DAY
    assert read_plain(demo, beyond) is None
    assert listed(demo, beyond) == computed(demo, beyond)


def test_over_half_a_year_every_kind_of_turn_is_read_from_lines_ahead(demo: Profile) -> None:
    days = 200
    listed(demo, TODAY)
    fill(demo, TODAY, days)
    kinds: set[str] = set()
    previous = computed(demo, TODAY)
    for offset in range(1, days + 1):
        day = TODAY + offset * DAY
        reference = computed(demo, day)
        assert read_plain(demo, day) == reference, day
        kinds |= kinds_of_turn(previous, reference, day)
        previous = reference
    assert kinds == {"binnenkort", "te laat", "18 geworden", "ontzorgen", "huisvesting", "gesprek te laat"}


def test_the_next_days_fill_takes_the_lines_ahead_as_stored_lines_and_moves_the_horizon(
    demo: Profile,
) -> None:
    listed(demo, TODAY)
    fill(demo, TODAY)
    with demo.store().session() as session:
        first_turn = session.scalar(select(func.min(CaseloadState.valid_until)))
    assert first_turn is not None
    morning = first_turn + DAY  # the first day on which some stored line is no longer right
    reference = computed(demo, morning)
    assert turned_on(demo, morning) > 0
    before = ahead_of(demo)
    assert listed(demo, morning) == reference  # from the lines ahead: nothing to compute
    assert fill(demo, morning) > 0  # the lines ahead of that morning became its stored lines
    assert turned_on(demo, morning) == 0
    with demo.store().session() as session:
        assert session.scalar(select(func.min(CaseloadAhead.valid_from))) > morning
    assert ahead_of(demo) != before
    for offset in range(0, HORIZON_DAYS + 1):
        day = morning + offset * DAY
        assert read_plain(demo, day) == computed(demo, day), day


# A raw write to each table the listing reads, changing nothing the caseload shows (so only the
# trigger can tell): the client's lines ahead must be gone after it, with its stored line.
RAW_WRITES = (
    "UPDATE client SET nationality = nationality WHERE id = :client",
    "UPDATE client_case SET coa_location = coa_location WHERE client_id = :client",
    "UPDATE intake SET status = status WHERE client_id = :client",
    "UPDATE pip SET switched = switched WHERE client_id = :client",
    "UPDATE pip_version SET state = state WHERE pip_id IN (SELECT id FROM pip WHERE client_id = :client)",
    "INSERT INTO progress_meeting (id, version, created_at, updated_at, pip_id, held_on, held_by, note)"
    " SELECT :meeting, 1, '2025-01-01 10:00:00', '2025-01-01 10:00:00', id, :on, 'km', '' FROM pip"
    " WHERE client_id = :client",
    "DELETE FROM progress_meeting WHERE id = :meeting",
)


def test_a_write_drops_the_clients_lines_ahead(demo: Profile) -> None:
    listed(demo, TODAY)
    fill(demo, TODAY)
    with demo.store().session() as session:
        ahead = set(session.scalars(select(CaseloadAhead.client_id)).all())
    with_pip = [
        r.client_id for r in computed(demo, TODAY) if r.pip_state is not None and r.client_id in ahead
    ]
    client_id = with_pip[0]
    meeting = uuid.uuid4().hex
    for write in RAW_WRITES:
        listed(demo, TODAY)
        fill(demo, TODAY)
        # (After a meeting held today the line may not turn within the horizon: nothing ahead to drop.)
        assert ahead_of(demo, client_id) > 0 or write.startswith("DELETE FROM progress_meeting"), write
        with demo.store().engine.begin() as connection:
            connection.execute(text(write), {"client": client_id.hex, "meeting": meeting, "on": TODAY})
        assert ahead_of(demo, client_id) == 0, write
        for offset in (1, 5, HORIZON_DAYS):
            day = TODAY + offset * DAY
            assert listed(demo, day) == computed(demo, day), (write, day)
    # Through the services: a housing day, an intake, a meeting, an exemption (each a change today).
    _eighteen, turns_soon, meeting_due = CHOSEN[demo.data_dir]
    listed(demo, TODAY)
    fill(demo, TODAY)
    assert ahead_of(demo, turns_soon) > 0 and ahead_of(demo, meeting_due) > 0
    IntakeService.for_profile(demo).open(turns_soon, TODAY)
    pips = PipService(demo.store(), *KM[:1], Role.KLANTMANAGER, PipSettings())
    pips.record_meeting(meeting_due, TODAY, today=TODAY)
    assert ahead_of(demo, turns_soon) == 0 and ahead_of(demo, meeting_due) == 0
    for offset in range(0, HORIZON_DAYS + 1):
        day = TODAY + offset * DAY
        assert listed(demo, day) == computed(demo, day), day
    assert not next(
        r for r in computed(demo, TODAY + 8 * DAY) if r.client_id == meeting_due
    ).flags.meeting_late
