"""The stored caseload in the supervisor's team store (PostgreSQL, issue 18): the listing equals the
computation, the plain psycopg reader gives the same lines, and the PostgreSQL triggers drop a
client's stored line on a raw write, as the importer and the decisions write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from team_helpers import init_supervisor
from team_helpers import team_database as new_team_database

from app.domain.enums import Role
from app.services.caseload import CaseloadRow, caseload_rows, computed_caseload_rows
from app.services.caseload_state import read_stored_caseload
from app.services.clients import ClientService
from app.services.profile import Profile, open_profile

TODAY = dt.date.today()
SUPERVISOR = ("tl.devries", Role.SUPERVISOR.value)


@pytest.fixture
def team_profile(
    tmp_path: Path, passphrase_env: str, postgres: Any, capsys: pytest.CaptureFixture[str]
) -> Iterator[Profile]:
    with new_team_database(postgres) as (address, _password, _url):
        assert init_supervisor(capsys, tmp_path / "sup", address)[0] == 0
        profile = open_profile(tmp_path / "sup")
        try:
            yield profile
        finally:
            profile.close()


# PostgreSQL gives the clients of a query without ORDER BY in any order (the caseload screen sorts
# them itself): the listings are compared in the order of their ids.
def _by_id(rows: list[CaseloadRow]) -> list[CaseloadRow]:
    return sorted(rows, key=lambda row: row.client_id)


def _computed(profile: Profile, today: dt.date = TODAY) -> list[CaseloadRow]:
    with profile.store().session(*SUPERVISOR) as session:
        return _by_id(computed_caseload_rows(session, today))


def _listed(profile: Profile, today: dt.date = TODAY) -> list[CaseloadRow]:
    with profile.store().session(*SUPERVISOR) as session:
        return _by_id(caseload_rows(session, today))


def _plain(profile: Profile, today: dt.date = TODAY) -> list[CaseloadRow] | None:
    with profile.store().engine.connect() as connection:
        rows = read_stored_caseload(connection.connection.driver_connection, today, sees_ontzorgen=True)
    return None if rows is None else _by_id(rows)


def test_the_team_stores_listing_is_the_computed_one_and_follows_raw_writes(team_profile: Profile) -> None:
    ClientService.for_profile(team_profile).add_demo(150, seed=3)
    reference = _computed(team_profile)
    assert _plain(team_profile) is None
    assert _listed(team_profile) == reference
    assert _plain(team_profile) == reference
    for offset in (0, 30, 200, 500):
        day = TODAY + dt.timedelta(days=offset)
        assert _listed(team_profile, day) == _computed(team_profile, day), day
    assert _listed(team_profile) == reference
    with_pip = next(row for row in reference if row.pip_state is not None)
    with team_profile.store().engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE pip_version SET state = state WHERE pip_id IN (SELECT id FROM pip WHERE client_id = :c)"
            ),
            {"c": with_pip.client_id},
        )
        connection.execute(
            text("UPDATE client_case SET moved_to = 'Zeist', moved_on = :on WHERE client_id = :c"),
            {"on": TODAY, "c": reference[0].client_id},
        )
    assert _plain(team_profile) is None
    after = _listed(team_profile)
    assert after == _computed(team_profile)
    assert next(row for row in after if row.client_id == reference[0].client_id).status.startswith("verhuisd")
    assert _plain(team_profile) == after


def test_the_team_stores_lines_ahead_are_the_computed_ones_and_follow_raw_writes(
    team_profile: Profile,
) -> None:
    from app.services.caseload_ahead import HORIZON_DAYS, CaseloadAheadService

    ClientService.for_profile(team_profile).add_demo(150, seed=3)
    _listed(team_profile)
    ahead = CaseloadAheadService(team_profile.store(), *SUPERVISOR)
    assert ahead.fill(TODAY) > 0
    assert ahead.fill(TODAY) == 0
    for offset in range(1, HORIZON_DAYS + 1):
        day = TODAY + dt.timedelta(days=offset)
        assert _plain(team_profile, day) == _computed(team_profile, day), day  # read from the lines ahead

    def lines_ahead(client_id: object) -> int:
        with team_profile.store().engine.connect() as connection:
            query = text("SELECT count(*) FROM caseload_ahead WHERE client_id = :c")
            return int(connection.execute(query, {"c": client_id}).scalar_one())

    with team_profile.store().engine.connect() as connection:
        chosen = connection.execute(
            text(
                "SELECT a.client_id FROM caseload_ahead a JOIN pip p ON p.client_id = a.client_id"
                " ORDER BY a.client_id LIMIT 1"
            )
        ).scalar_one()
    for write in (
        "UPDATE pip_version SET state = state WHERE pip_id IN (SELECT id FROM pip WHERE client_id = :c)",
        "UPDATE client_case SET coa_location = coa_location WHERE client_id = :c",
        "UPDATE client SET nationality = nationality WHERE id = :c",
    ):
        _listed(team_profile)
        ahead.fill(TODAY)
        assert lines_ahead(chosen) > 0, write
        with team_profile.store().engine.begin() as connection:
            connection.execute(text(write), {"c": chosen})
        assert lines_ahead(chosen) == 0, write
        day = TODAY + dt.timedelta(days=HORIZON_DAYS)
        assert _listed(team_profile, day) == _computed(team_profile, day), write
    # The next day's listing takes the lines ahead as its stored lines.
    _listed(team_profile)
    ahead.fill(TODAY)
    tomorrow = TODAY + dt.timedelta(days=1)
    assert _listed(team_profile, tomorrow) == _computed(team_profile, tomorrow)
    assert _plain(team_profile, tomorrow) == _computed(team_profile, tomorrow)
