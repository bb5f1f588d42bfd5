"""Issue 16: windows fit a laptop screen (the intake's pages scroll instead of pushing the window
past 1366×728), the caseload keeps its deadline and days columns at 1280 px while lesser columns give
way, and each window's geometry is remembered (QSettings, per window)."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import MakeProfile

from app.i18n import set_ui_language
from app.models.client import Case, Client
from app.services.intake import IntakeService
from app.services.profile import Profile
from app.ui.caseload import COL_DAYS, COL_DEADLINE, COL_NAME, COL_ORIGINAL, COL_STATUS
from app.ui.intake import IntakeScreen
from app.ui.intake.states import CONCLUSION_KEY, SESSIONS_KEY
from app.ui.main_window import MainWindow


@pytest.fixture
def profile(make_profile: MakeProfile) -> Profile:
    profile = make_profile(user_name="km1")
    with profile.store().session(actor="coa-import") as session:
        client = Client(v_nummer="1234567890", family_name="Haddad", given_names="Rania",
                        birth_date="1994-05", languages=["ar"], target_group="asiel")  # fmt: skip
        session.add(client)
        session.flush()
        session.add(Case(client_id=client.id, municipality="Utrecht"))
    return profile


def test_the_intake_fits_1366_by_728(qtbot, profile: Profile, synchronous_tasks: None) -> None:
    set_ui_language("nl")
    with profile.store().session() as session:
        client_id = session.query(Client).one().id
    screen = IntakeScreen(IntakeService.for_profile(profile), client_id, dt.date(2026, 11, 20))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.snapshot is not None, timeout=5000)
    for key in (SESSIONS_KEY, CONCLUSION_KEY):
        screen.show_key(key)
        minimum = screen.minimumSizeHint().expandedTo(screen.minimumSize())
        assert minimum.width() <= 1280 and minimum.height() <= 693, (key, minimum)


def test_deadline_and_days_stay_visible_at_1280_and_geometry_is_remembered(
    qtbot, profile: Profile, synchronous_tasks: None
) -> None:
    set_ui_language("nl")
    window = MainWindow(profile, [])
    qtbot.addWidget(window)
    window.show()
    window.resize(1280, 700)
    qtbot.wait(50)
    window.fit_columns()
    for column in (COL_NAME, COL_STATUS, COL_DEADLINE, COL_DAYS):
        assert not window.table.isColumnHidden(column)
    assert window.table.isColumnHidden(COL_ORIGINAL)  # a lesser column gave way
    window.resize(2400, 900)
    qtbot.wait(50)
    window.fit_columns()
    assert not window.table.isColumnHidden(COL_ORIGINAL)  # room again: it comes back

    window.resize(760, 560)  # within the offscreen screen (800×600): a bigger one is bounded
    window.close()
    again = MainWindow(profile, [])
    qtbot.addWidget(again)
    assert again.height() == 560  # remembered (the width is bounded by the window's minimum and the screen)
    screen = again.screen().availableGeometry()
    big = MainWindow(profile, [])
    qtbot.addWidget(big)
    assert big.width() <= screen.width() and big.height() <= screen.height()
