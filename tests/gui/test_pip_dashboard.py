"""The caseload as a dashboard: PIP status, leerroute, next deadline, views and counts (real store)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from builders import MakeProfile
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.domain.deadlines import DeadlineState
from app.i18n import set_ui_language
from app.models.client import Case
from app.services.caseload import caseload_rows
from app.services.demo import add_demo_clients
from app.services.pip import CaseloadView, count_flags, matches_view
from app.services.profile import Profile
from app.ui.application import open_main_window
from app.ui.caseload import COL_DAYS, COL_DEADLINE, COL_ROUTE, COL_STATUS
from app.ui.main_window import MainWindow

CLIENTS = 160


@pytest.fixture
def profile(make_profile: MakeProfile) -> Profile:
    profile = make_profile(municipality="Voorbeeldstad")
    with profile.store().session(profile.actor, profile.settings.role) as session:
        add_demo_clients(session, CLIENTS, seed=11, municipality="Voorbeeldstad", klantmanager="km.jansen")
        session.flush()
        # A colleague's clients share the store (a supervisor's view, or a shared laptop).
        for index, case in enumerate(session.scalars(select(Case).order_by(Case.id))):
            if index % 3 == 0:
                case.klantmanager = "km.collega"
    return profile


@pytest.fixture
def window(qtbot: QtBot, profile: Profile, synchronous_tasks: None) -> Iterator[MainWindow]:
    set_ui_language("nl")
    window = open_main_window(profile)
    qtbot.addWidget(window)
    window.resize(1500, 820)
    window.show()
    window.refresh()
    yield window
    set_ui_language("nl")


def shown_rows(window: MainWindow) -> list[int]:
    return [window.proxy.mapToSource(window.proxy.index(r, 0)).row() for r in range(window.proxy.rowCount())]


def test_dashboard_views_counts_and_screenshot(
    qtbot: QtBot, window: MainWindow, profile: Profile, artifacts_dir: Path
) -> None:
    today = dt.date.today()
    with profile.store().session() as session:
        rows = caseload_rows(session, today)
    counts = count_flags(r.flags for r in rows)
    # The demo spreads clients over every deadline state, with PIPs in several states.
    assert counts.late > 0 and counts.azc_without_pip > 0
    assert any(r.status.startswith("PIP vastgesteld") for r in rows)
    assert any(r.status == "PIP concept" for r in rows)
    assert any(r.leerroute == "B1-route" for r in rows)
    assert window.view_bar.counts.text() == counts.summary()
    assert f"{counts.late} te laat" in window.view_bar.counts.text()

    # Overdue rows say so in words and a symbol, not only in colour.
    model = window.model
    late_rows = [i for i in range(model.rowCount()) if model.row_at(i).flags.late]
    assert late_rows
    first = late_rows[0]
    assert model.index(first, COL_DEADLINE).data().startswith("⚠")
    assert "te laat" in model.index(first, COL_DAYS).data()
    assert model.index(first, COL_STATUS).data() and model.index(first, COL_ROUTE).data() is not None

    window.grab().save(str(artifacts_dir / "pip_dashboard_all.png"))
    for view in CaseloadView:
        window.view_bar.set_view(view)
        QApplication.processEvents()
        visible = shown_rows(window)
        expected = [
            i
            for i in range(model.rowCount())
            if matches_view(view, model.row_at(i).flags, model.row_at(i).klantmanager, "km.jansen")
        ]
        assert sorted(visible) == sorted(expected), view
        if view is not CaseloadView.ALLE:
            assert 0 < len(visible) < model.rowCount(), view
        if view is CaseloadView.TE_LAAT:
            assert all(
                model.row_at(i).next_deadline is not None
                and model.row_at(i).next_deadline.state is DeadlineState.TE_LAAT  # type: ignore[union-attr]
                for i in visible
            )
            assert window.count_label.text() == f"{len(visible)} van {CLIENTS} cliënten"
            window.grab().save(str(artifacts_dir / "pip_dashboard_te_laat.png"))
        if view is CaseloadView.MIJN:
            assert all(model.row_at(i).klantmanager == "km.jansen" for i in visible)

    # The view and the search filter combine.
    window.view_bar.set_view(CaseloadView.AZC_ZONDER_PIP)
    name = model.row_at(shown_rows(window)[0]).name.split()[0]
    in_view = len(shown_rows(window))
    expected = [
        i
        for i in shown_rows(window)
        if name.casefold() in model.row_at(i).name.casefold() and model.row_at(i).flags.azc_without_pip
    ]
    window.search.setText(name)  # applied after the typing delay
    qtbot.waitUntil(lambda: sorted(shown_rows(window)) == sorted(expected), timeout=3000)
    assert 0 < len(expected) <= in_view
    assert window.count_label.text().startswith(f"{len(expected)} van {CLIENTS}")


def test_list_json_shows_the_same(profile: Profile, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    profile.close()
    assert main(["--data-dir", str(profile.data_dir), "list", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    clients = document["cliënten"]
    assert len(clients) == CLIENTS
    counts = document["aantallen"]
    assert counts["te_laat"] == sum(1 for c in clients if c["markering"]["te_laat"])
    assert counts["in_azc_zonder_pip"] == sum(1 for c in clients if c["markering"]["in_azc_zonder_pip"])
    with_pip = [c for c in clients if c["pip_status"]]
    assert with_pip and all(c["leerroute"] for c in with_pip)
    late = [c for c in clients if c["markering"]["te_laat"]]
    assert late and all(c["volgende_termijn"]["toestand"] == "te_laat" for c in late)


def test_open_pip_from_the_caseload_and_see_the_status_change(
    qtbot: QtBot, window: MainWindow, profile: Profile
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    from app.ui.pip import PipEditor

    model = window.model
    target = next(
        model.row_at(i)
        for i in range(model.rowCount())
        if model.row_at(i).obliged and model.row_at(i).pip_state is None
    )
    assert window.select_client(str(target.client_id))
    button = window.findChild(QPushButton, "openPip")
    assert isinstance(button, QPushButton)
    qtbot.waitUntil(button.isEnabled, timeout=3000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    editors = [e for e in window.findChildren(PipEditor) if e.isVisible()]
    assert len(editors) == 1 and editors[0].client_id == target.client_id
    editor = editors[0]
    assert editor.snapshot is not None and editor.snapshot.state.value == "concept"
    editor.close()  # freed with the window (WA_DeleteOnClose)
    window.refresh()
    row = next(
        model.row_at(i) for i in range(model.rowCount()) if model.row_at(i).client_id == target.client_id
    )
    assert row.status == "PIP concept" and row.pip_state == "concept"
