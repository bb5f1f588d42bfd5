"""Issue 16, the caseload by keyboard: Down from the search field into the results, Enter opens the
selected client, a "binnen twee weken" view, days in words ("12 dagen te laat"), Dutch dates."""

from __future__ import annotations

import re

import pytest
from builders import MakeProfile
from PySide6.QtCore import Qt

from app.i18n import set_ui_language
from app.services.demo import add_demo_clients
from app.services.pip import CaseloadView
from app.services.profile import Profile
from app.ui.caseload import CLIENT_ID_ROLE, COL_BIRTH, COL_DAYS, SORT_ROLE
from app.ui.client_detail import ClientAction
from app.ui.main_window import MainWindow


@pytest.fixture
def profile(make_profile: MakeProfile) -> Profile:
    profile = make_profile(municipality="Voorbeeldstad", user_name="km1")
    with profile.store().session(profile.actor, profile.settings.role) as session:
        add_demo_clients(session, 80, seed=3, municipality="Voorbeeldstad", klantmanager="km1")
    return profile


def test_down_enter_views_and_days_in_words(qtbot, profile: Profile, synchronous_tasks: None) -> None:
    set_ui_language("nl")
    opened: list[str] = []
    window = MainWindow(profile, [ClientAction(lambda: "Brede intake", opened.append, "openIntake")])
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    proxy = window.proxy
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.focusWidget() is window.table and window.selected_client_id() == proxy.index(0, 0).data(
        CLIENT_ID_ROLE
    )
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    second = proxy.index(1, 0).data(CLIENT_ID_ROLE)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert opened == [second]

    days = [proxy.index(r, COL_DAYS) for r in range(proxy.rowCount())]
    late = [i.data() for i in days if (i.data(SORT_ROLE) or 0) < 0 and i.data(SORT_ROLE) != 10**9]
    assert late and all(re.fullmatch(r"\d+ dagen? te laat", text) for text in late), late[:3]
    assert not any(i.data().startswith("-") for i in days if i.data())
    soon = [i.data() for i in days if 0 <= (i.data(SORT_ROLE) or -1) < 10**9]
    assert all(re.fullmatch(r"\d+ dagen?", text) for text in soon), soon[:3]
    births = {proxy.index(r, COL_BIRTH).data() for r in range(proxy.rowCount())}
    assert all(re.fullmatch(r"(\d\d-){0,2}\d{4}", b) for b in births if b), sorted(births)[:5]

    window.view_bar.set_view(CaseloadView.BINNEN_TWEE_WEKEN)
    qtbot.waitUntil(lambda: proxy.rowCount() < window.model.rowCount(), timeout=3000)
    flags = [window.model.row_at(r).flags for r in range(window.model.rowCount())]
    assert proxy.rowCount() == sum(1 for f in flags if f.due_soon)
    assert window.view_bar.combo.currentText() == "Binnen twee weken"
