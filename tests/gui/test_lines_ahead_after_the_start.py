"""Issue 15, the first start of a day: once the window is there, the lines for the days ahead are
computed on the database worker, one day's turns per task (app/ui/application.py), until the
horizon is filled; the next morning's start then reads today's lines as stored."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import MakeProfile
from sqlalchemy import text

from app.services.caseload import CaseloadService
from app.services.caseload_ahead import CaseloadAheadService, lines_ahead_due
from app.services.caseload_state import read_stored_caseload
from app.services.demo import add_demo_clients
from app.services.profile import Profile
from app.ui.application import fill_lines_ahead
from app.ui.main_window import MainWindow
from app.ui.tasks import wait_for_all

TODAY = dt.date.today()


@pytest.fixture
def profile(make_profile: MakeProfile) -> Profile:
    profile = make_profile(municipality="Voorbeeldstad", user_name="km1")
    with profile.store().session(profile.actor, profile.settings.role) as session:
        add_demo_clients(session, 40, seed=21, municipality="Voorbeeldstad", klantmanager="km1")
    with profile.store().engine.begin() as connection:  # two clients' lines turn within the horizon
        connection.execute(
            text("UPDATE client_case SET huisvestingsdatum = :on WHERE rowid IN (1, 2)"),
            {"on": TODAY + dt.timedelta(days=2)},
        )
    return profile


def lines_ahead(profile: Profile) -> int:
    with profile.store().engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM caseload_ahead")).scalar_one())


def still_due(profile: Profile) -> bool:
    with profile.store().session(profile.actor, profile.settings.role) as session:
        return bool(lines_ahead_due(session, TODAY))


def test_the_window_fills_the_lines_ahead_in_the_background(qtbot, profile: Profile) -> None:
    rows = CaseloadService.for_profile(profile).rows()
    window = MainWindow(profile, complete=False)
    qtbot.addWidget(window)
    window.show_rows(rows)
    window.show()
    assert lines_ahead(profile) == 0
    fill_lines_ahead(profile, window)
    qtbot.waitUntil(lambda: lines_ahead(profile) > 0, timeout=10000)
    qtbot.waitUntil(lambda: not still_due(profile), timeout=20000)  # step after step, to the horizon
    assert wait_for_all()
    assert CaseloadAheadService.for_profile(profile).fill_step() == 0
    morning = TODAY + dt.timedelta(days=2)
    with profile.store().engine.connect() as connection:
        stored = read_stored_caseload(connection.connection.driver_connection, morning, sees_ontzorgen=True)
    with profile.store().session(profile.actor, profile.settings.role) as session:
        from app.services.caseload import computed_caseload_rows

        assert stored == computed_caseload_rows(session, morning)
    window.close()
    wait_for_all()
