"""The supervisor's figures screen: opened from the main window's menu, tables and charts show the
service's figures for the team or one klantmanager, a period narrows them, a bad date is said in
Dutch, and the charts go to PNG and the tables to XLSX/CSV, written privately."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import openpyxl
import pytest
from builders import MakeProfile
from PySide6.QtCharts import QAbstractBarSeries
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from app.domain.enums import Role
from app.services.demo import add_demo_clients
from app.services.figures import FiguresService, Period
from app.services.profile import Profile
from app.ui.dates import show_date
from app.ui.figures import FiguresWindow
from app.ui.main_window import MainWindow


@pytest.fixture
def supervisor(make_profile: MakeProfile) -> Profile:
    profile = make_profile(role=Role.SUPERVISOR, user_name="sam")
    with profile.store().session(profile.actor, profile.settings.role) as session:
        add_demo_clients(session, 150, seed=3, municipality="Utrecht", klantmanager="karin")
        add_demo_clients(session, 150, seed=2, municipality="Utrecht", klantmanager="piet")
    return profile


def _open(qtbot: QtBot, profile: Profile) -> tuple[MainWindow, FiguresWindow]:
    main = MainWindow(profile)
    qtbot.addWidget(main)
    assert main.figures_action is not None
    main.figures_action.trigger()
    window = main.findChild(FiguresWindow)
    assert window is not None and window.isVisible()
    return main, window


def _column(window: FiguresWindow, key: str, column: int) -> list[str]:
    table = window.pages[key].table
    return [table.item(row, column).text() for row in range(table.rowCount())]


def _bars(window: FiguresWindow, key: str) -> dict[str, list[float]]:
    chart = window.pages[key].chart_view.chart()
    (series,) = chart.series()
    assert isinstance(series, QAbstractBarSeries)
    return {bars.label(): [bars.at(i) for i in range(bars.count())] for bars in series.barSets()}


def test_the_screen_shows_the_team_and_each_klantmanager(
    qtbot: QtBot, supervisor: Profile, synchronous_tasks: None
) -> None:
    _main, window = _open(qtbot, supervisor)
    report = FiguresService.for_profile(supervisor).figures()
    assert window.report == report
    assert [window.group_box.itemText(i) for i in range(window.group_box.count())] == [
        "team",
        "karin",
        "piet",
    ]
    team = report.team
    assert _column(window, "leerroute_toets", 0) == ["B1-route", "onderwijsroute", "Z-route"]
    assert _column(window, "leerroute_toets", 1) == [str(row.haalbaar) for row in team.route_test]
    assert _column(window, "leerroute_toets", 4) == [str(row.total) for row in team.route_test]
    assert _bars(window, "leerroute_toets") == {
        "haalbaar": [float(row.haalbaar) for row in team.route_test],
        "niet haalbaar": [float(row.niet_haalbaar) for row in team.route_test],
        "geen uitslag": [float(row.geen_uitslag) for row in team.route_test],
    }
    months = _column(window, "binnen_tien_weken", 0)
    # Shown the Dutch way, as every date: "03-2026" (the export keeps ISO).
    assert months == [show_date(m.month) for m in team.ten_weeks_by_month] + ["totaal"]
    assert _bars(window, "binnen_tien_weken")["te laat"] == [
        float(m.counts.late) for m in team.ten_weeks_by_month
    ]
    assert "AZC" in " ".join(_column(window, "aandelen", 0))

    window.group_box.setCurrentIndex(2)
    piet = report.per_klantmanager[1]
    assert piet.klantmanager == "piet" and piet.clients < team.clients
    assert _column(window, "leerroute_toets", 4) == [str(row.total) for row in piet.route_test]
    assert _column(window, "aandelen", 1)[1] == str(piet.azc_without_pip.part)


def test_a_period_narrows_the_figures_and_a_bad_date_is_said_in_dutch(
    qtbot: QtBot, supervisor: Profile, synchronous_tasks: None
) -> None:
    _main, window = _open(qtbot, supervisor)
    everyone = window.report
    assert everyone is not None
    start = dt.date.today() - dt.timedelta(days=120)
    window.from_edit.setText(start.strftime("%d-%m-%Y"))
    window.refresh_button.click()
    assert window.report is not None and window.report.period == Period(start, None)
    assert window.report == FiguresService.for_profile(supervisor).figures(Period(start, None))
    assert 0 < window.report.team.clients < everyone.team.clients
    assert "koppeldatum" in window.status.text()
    shown = window.report
    window.to_edit.setText("31-02-2026")
    window.refresh_button.click()
    assert "geen datum" in window.status.text()
    assert window.report is shown  # nothing lost: the last figures stay on screen


def test_charts_go_to_png_and_tables_to_xlsx_privately(
    qtbot: QtBot, supervisor: Profile, synchronous_tasks: None, tmp_path: Path
) -> None:
    _main, window = _open(qtbot, supervisor)
    window.resize(1100, 720)
    window.export_charts(tmp_path)
    pictures = sorted(tmp_path.glob("*.png"))
    assert [p.name.split("-team-")[0] for p in pictures] == [
        "teamcijfers-aandelen", "teamcijfers-binnen-tien-weken", "teamcijfers-leerroute-toets"]  # fmt: skip
    for picture in pictures:
        assert picture.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        image = QImage(str(picture))
        assert image.width() > 300 and image.height() > 150
        assert stat.S_IMODE(picture.stat().st_mode) == 0o600
    book_path = tmp_path / "cijfers.xlsx"
    window.export_tables(book_path)
    assert stat.S_IMODE(book_path.stat().st_mode) == 0o600
    book = openpyxl.load_workbook(book_path)
    rows = list(book["Leerroute en toets"].iter_rows(min_row=2, values_only=True))
    assert window.report is not None
    assert [r[5] for r in rows if r[0] == "team"] == [row.total for row in window.report.team.route_test]
    assert "geschreven" in window.status.text()


def test_a_klantmanager_has_no_figures_menu(qtbot: QtBot, make_profile: MakeProfile) -> None:
    main = MainWindow(make_profile())
    qtbot.addWidget(main)
    assert main.figures_action is None
    assert main.findChild(FiguresWindow) is None


def test_the_menu_opens_one_figures_window_and_computes_again(
    qtbot: QtBot, supervisor: Profile, synchronous_tasks: None
) -> None:
    main, window = _open(qtbot, supervisor)
    first = window.report
    window.close()
    with supervisor.store().session(supervisor.actor, supervisor.settings.role) as session:
        add_demo_clients(session, 20, seed=9, municipality="Utrecht", klantmanager="karin")
    assert main.figures_action is not None
    main.figures_action.trigger()
    assert main.findChildren(FiguresWindow) == [window] and window.isVisible()
    assert first is not None and window.report is not None
    assert window.report.team.clients > first.team.clients
