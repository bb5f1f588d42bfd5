"""The supervisor's "Wacht op vaststelling" screen with real widgets (offscreen), real profiles and
packages imported from two klantmanagers' devices, driven by keyboard and mouse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from supervisor_helpers import TODAY, Team, device_id, make_team, push_and_import, signed_pip

from app.models.pip import PipVersion
from app.services.pip import PipService
from app.services.supervisor import SupervisorService, recipient_device_for
from app.ui.main_window import MainWindow
from app.ui.supervisor import AdoptionQueueWidget
from app.ui.tasks import wait_for_all

DAY = dt.timedelta(days=1)


@pytest.fixture
def team(tmp_path: Path, passphrase_env: str) -> Iterator[Team]:
    made = make_team(tmp_path)
    signed_pip(made.karin, "1000000001", "Haddad", TODAY - 84 * DAY, TODAY - 30 * DAY, TODAY - 20 * DAY)
    signed_pip(made.kees, "1000000002", "Tesfay", TODAY - 28 * DAY, TODAY - 10 * DAY, TODAY - 3 * DAY)
    with made.karin.store().session(actor="Karin") as session:
        version = session.scalars(select(PipVersion)).one()
        texts = dict(version.texts)
        texts["einddoel"] = {**texts["einddoel"], "lang": "ar", "translation": "اللغة الهولندية B1 والعمل"}
        version.texts = texts
    assert push_and_import(made) == ["imported", "imported"]
    yield made
    wait_for_all()
    made.close()


def shown(qtbot: QtBot, team: Team) -> AdoptionQueueWidget:
    widget = AdoptionQueueWidget(team.supervisor)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    widget.refresh()
    qtbot.waitUntil(lambda: widget.waiting_model.rowCount() == 2, timeout=10000)
    return widget


def choose_row(qtbot: QtBot, widget: AdoptionQueueWidget, view_row: int) -> None:
    view = widget.waiting_view if widget.lists.currentIndex() == 0 else widget.adopted_view
    view.setFocus()
    rect = view.visualRect(view.model().index(view_row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: widget.review is not None, timeout=10000)


def dialog(name: str) -> object:
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == name and widget.isVisible():
            return widget
    return None


def test_queue_oldest_first_in_words_side_by_side_and_adopt(
    qtbot: QtBot, team: Team, artifacts_dir: Path
) -> None:
    widget = shown(qtbot, team)
    model = widget.waiting_model
    assert [model.item(r, 0).text() for r in range(2)] == ["Rania Haddad", "Rania Tesfay"]
    assert model.item(0, 6).text() == "14 dagen te laat" and model.item(1, 6).text() == "nog 42 dagen"
    assert model.item(0, 2).text() == "Karin" and model.item(1, 2).text() == "Kees"
    assert "2 PIP('s) wachten op vaststelling, waarvan 1 te laat" in widget.summary.text()
    assert not widget.adopt_button.isEnabled()

    choose_row(qtbot, widget, 0)
    texts = widget.texts_model
    rows = {
        texts.item(r, 0).text(): (texts.item(r, 1).text(), texts.item(r, 2).text())
        for r in range(texts.rowCount())
    }
    assert rows["Einddoel"] == ("Nederlands op B1 en werk in de zorg", "اللغة الهولندية B1 والعمل")
    assert "Haddad" in widget.pane_title.text() and "opgesteld door Karin" in widget.pane_title.text()
    assert widget.adopt_button.isEnabled() and not widget.withdraw_button.isEnabled()
    widget.grab().save(str(artifacts_dir / "supervisor_queue.png"))

    # Vaststellen asks first, saying what follows; Escape changes nothing.
    qtbot.mouseClick(widget.adopt_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog("confirmStep") is not None, timeout=5000)
    box = dialog("confirmStep")
    assert isinstance(box, QMessageBox)
    assert "niet meer veranderen" in box.text()
    assert f"de dag erna, {(TODAY + DAY).strftime('%d-%m-%Y')}" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog("confirmStep") is None, timeout=5000)
    assert SupervisorService.for_profile(team.supervisor).adopted() == []

    # A decision taken earlier, typed the Dutch way: a day before the signatures is refused, two days ago is not.
    qtbot.keyClicks(widget.adopt_date, (TODAY - 30 * DAY).strftime("%d-%m-%Y"))
    qtbot.mouseClick(widget.adopt_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog("confirmStep") is not None, timeout=5000)
    qtbot.keyClick(dialog("confirmStep"), Qt.Key.Key_Return)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: "vóór de laatste handtekening" in widget.message.text(), timeout=10000)
    assert widget.waiting_model.rowCount() == 2
    widget.adopt_date.clear()
    qtbot.keyClicks(widget.adopt_date, (TODAY - 2 * DAY).strftime("%d-%m-%Y"))
    qtbot.mouseClick(widget.adopt_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog("confirmStep") is not None, timeout=5000)
    box = dialog("confirmStep")
    assert isinstance(box, QMessageBox)
    assert f"de dag erna, {(TODAY - DAY).strftime('%d-%m-%Y')}" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: widget.waiting_model.rowCount() == 1, timeout=10000)
    assert "vastgesteld op" in widget.message.text() and "12 dagen na de termijn" in widget.message.text()
    adopted = SupervisorService.for_profile(team.supervisor).adopted()
    assert [(a.v_nummer, a.adopted_on, a.adopted_by) for a in adopted] == [
        ("1000000001", TODAY - 2 * DAY, "Sam")
    ]

    # Withdraw it again from the "Vastgesteld" list, with a reason typed at the keyboard.
    widget.lists.setCurrentIndex(1)
    qtbot.waitUntil(lambda: widget.adopted_model.rowCount() == 1, timeout=5000)
    choose_row(qtbot, widget, 0)
    assert widget.withdraw_button.isEnabled() and not widget.adopt_button.isEnabled()
    qtbot.mouseClick(widget.withdraw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog("reasonDialog") is not None, timeout=5000)
    reason = dialog("reasonDialog")
    ok = reason.findChild(QPushButton, "reasonOk")  # type: ignore[attr-defined]
    assert not ok.isEnabled()  # no reason, no withdrawal
    qtbot.keyClicks(reason.text, "Vergissing bij het vaststellen.")  # type: ignore[attr-defined]
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: widget.adopted_model.rowCount() == 0, timeout=10000)
    assert "ingetrokken" in widget.message.text()


def test_send_back_and_reassign_from_the_queue(qtbot: QtBot, team: Team) -> None:
    widget = shown(qtbot, team)
    choose_row(qtbot, widget, 1)  # Kees's client
    qtbot.mouseClick(widget.send_back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog("reasonDialog") is not None, timeout=5000)
    reason = dialog("reasonDialog")
    qtbot.keyClicks(reason.text, "De afspraken met de taalschool ontbreken.")  # type: ignore[attr-defined]
    qtbot.mouseClick(reason.findChild(QPushButton, "reasonOk"), Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: widget.waiting_model.rowCount() == 1, timeout=10000)
    assert "teruggestuurd" in widget.message.text()
    with team.supervisor.store().session() as session:
        states = {v.created_by: v.state for v in session.scalars(select(PipVersion))}
    assert states == {"Karin": "ondertekend", "Kees": "concept"}

    choose_row(qtbot, widget, 0)  # Karin's client goes to Kees's device
    qtbot.mouseClick(widget.reassign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog("deviceDialog") is not None, timeout=5000)
    chooser = dialog("deviceDialog")
    assert chooser.choice.count() == 1 and chooser.choice.currentText().startswith("Kees")  # type: ignore[attr-defined]
    qtbot.keyClick(chooser.choice, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "toegewezen" in widget.message.text(), timeout=10000)
    qtbot.waitUntil(
        lambda: widget.waiting_model.rowCount() == 1 and widget.waiting_model.item(0, 2).text() == "Kees",
        timeout=10000,
    )
    with team.supervisor.store().session() as session:
        version = session.scalars(select(PipVersion).where(PipVersion.created_by == "Karin")).one()
        client_id = version.pip.client_id
        assert recipient_device_for(session, client_id) == device_id(team.kees)


def test_the_main_window_of_a_supervisor_has_the_queue(qtbot: QtBot, team: Team, artifacts_dir: Path) -> None:
    window = MainWindow(team.supervisor)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    tabs = window.tabs
    names = [tabs.tabText(i) for i in range(tabs.count())]
    assert names[2] == "Wacht op vaststelling"
    tabs.setCurrentIndex(2)
    screen = window.adoption_screen
    qtbot.waitUntil(lambda: screen.waiting_model.rowCount() == 2, timeout=10000)
    choose_row(qtbot, screen, 0)
    window.grab().save(str(artifacts_dir / "supervisor_window.png"))
    assert PipService is not None


def test_a_decision_in_the_window_leaves_for_the_device_by_itself(qtbot: QtBot, team: Team) -> None:
    """The way back without the command line: Vaststellen in the tab, and the decision package for
    Karin's device is on the target; her pull shows the PIP vastgesteld. Without a target the
    supervisor is told where to set it, and nothing is lost."""
    from app.domain.pip_lifecycle import PipState
    from app.services.sync import PullService, SyncTargetService

    window = MainWindow(team.supervisor)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    window.tabs.setCurrentIndex(2)
    screen = window.adoption_screen
    qtbot.waitUntil(lambda: screen.waiting_model.rowCount() == 2, timeout=10000)

    # No target yet: the package waits in the profile, and the status bar says what to do.
    choose_row(qtbot, screen, 1)  # Kees's client
    qtbot.mouseClick(screen.adopt_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog("confirmStep") is not None, timeout=5000)
    qtbot.keyClick(dialog("confirmStep"), Qt.Key.Key_Return)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: "geen synchronisatiedoel" in window.statusBar().currentMessage(), timeout=20000)

    SyncTargetService.for_profile(team.supervisor).configure(str(team.target))
    qtbot.waitUntil(lambda: screen.waiting_model.rowCount() == 1, timeout=10000)
    choose_row(qtbot, screen, 0)  # Karin's client
    qtbot.mouseClick(screen.adopt_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog("confirmStep") is not None, timeout=5000)
    qtbot.keyClick(dialog("confirmStep"), Qt.Key.Key_Return)  # type: ignore[arg-type]
    qtbot.waitUntil(
        lambda: "verstuurd naar de apparaten" in window.statusBar().currentMessage(), timeout=20000
    )
    wait_for_all()
    karin_inbox = team.target / "devices" / device_id(team.karin) / "inbox"
    kees_inbox = team.target / "devices" / device_id(team.kees) / "inbox"
    assert list(karin_inbox.glob("*.wgw")) and list(kees_inbox.glob("*.wgw"))  # the waiting one went too

    pulled = PullService.for_profile(team.karin).pull(str(team.target))
    assert pulled.count("applied") >= 1
    with team.karin.store().session() as session:
        states = set(session.scalars(select(PipVersion.state)))
    assert states == {PipState.VASTGESTELD.value}
