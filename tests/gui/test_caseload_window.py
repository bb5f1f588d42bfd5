"""The caseload window over a real encrypted store with demo clients."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from builders import MakeProfile
from PySide6.QtCore import Qt

from app.domain.enums import Role
from app.i18n import set_ui_language
from app.services.caseload import caseload_rows
from app.services.demo import add_demo_clients
from app.services.profile import Profile, init_profile
from app.ui.application import open_main_window
from app.ui.caseload import CLIENT_ID_ROLE, COL_DAYS, COL_NAME, COL_V_NUMMER, search_key

CLIENTS = 120


@pytest.fixture
def profile(make_profile: MakeProfile) -> Profile:
    profile = make_profile(municipality="Voorbeeldstad", user_name="klantmanager1")
    with profile.store().session(profile.actor, profile.settings.role) as session:
        add_demo_clients(session, CLIENTS, seed=3, municipality="Voorbeeldstad", klantmanager="klantmanager1")
    return profile


@pytest.fixture
def window(qtbot, profile: Profile, synchronous_tasks: None):
    set_ui_language("nl")
    window = open_main_window(profile)
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    yield window
    set_ui_language("nl")


def _visible_v_nummers(window) -> set[str]:
    proxy = window.proxy
    return {proxy.index(row, COL_V_NUMMER).data() for row in range(proxy.rowCount())}


def test_window_lists_every_client_and_names_the_store(window, profile: Profile) -> None:
    assert window.model.rowCount() == CLIENTS
    assert window.proxy.rowCount() == CLIENTS
    assert "Wegwijs" in window.windowTitle()
    assert f"{profile.store_path.parent.name}/wegwijs.db" in window.store_label.text()
    assert window.store_label.toolTip() == str(profile.store_path)
    assert "versleuteld" in window.store_label.text()
    assert window.count_label.text() == f"{CLIENTS} cliënten"


def test_filter_as_you_type_on_name_in_both_scripts_v_nummer_and_location(qtbot, window, profile) -> None:
    with profile.store().session() as session:
        rows = caseload_rows(session)
    resets: list[int] = []
    window.model.modelReset.connect(lambda: resets.append(1))

    target = next(r for r in rows if r.name_original and r.name_original != r.name)
    original_word = target.name_original.split()[0]
    # QTest cannot type Arabic or Ethiopic keys; an input method inserts text like this.
    window.search.insert(original_word)
    expected = {
        r.v_nummer for r in rows if search_key(original_word) in search_key(r.name_original + " " + r.name)
    }
    qtbot.waitUntil(lambda: _visible_v_nummers(window) == expected, timeout=2000)
    assert target.v_nummer in _visible_v_nummers(window)

    window.search.clear()
    qtbot.keyClicks(window.search, target.v_nummer)
    qtbot.waitUntil(lambda: _visible_v_nummers(window) == {target.v_nummer}, timeout=2000)
    assert window.count_label.text() == f"1 van {CLIENTS} cliënten"

    window.search.clear()
    location = target.coa_location
    qtbot.keyClicks(window.search, location.lower())
    expected_location = {r.v_nummer for r in rows if r.coa_location == location}
    qtbot.waitUntil(lambda: _visible_v_nummers(window) == expected_location, timeout=2000)
    # Filtering never reloads the model: no reset per keystroke.
    assert resets == []


def test_accents_do_not_matter_when_searching(qtbot, window, profile) -> None:
    with profile.store().session() as session:
        rows = caseload_rows(session)
    accented = next((r for r in rows if any(c in r.name for c in "ŞşêîÇçÖöÜüı")), None)
    if accented is None:
        pytest.skip("the seed produced no name with diacritics")
    plain = search_key(accented.name)
    window.search.insert(plain)
    qtbot.waitUntil(lambda: accented.v_nummer in _visible_v_nummers(window), timeout=2000)


def test_sorted_by_days_left_and_by_name(window) -> None:
    proxy = window.proxy
    days = [proxy.index(row, COL_DAYS).data(Qt.ItemDataRole.UserRole + 1) for row in range(proxy.rowCount())]
    assert days == sorted(days)
    window.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
    names = [search_key(proxy.index(row, COL_NAME).data()) for row in range(proxy.rowCount())]
    assert names == sorted(names)


def test_selecting_a_client_fills_the_detail_pane(window, profile) -> None:
    window.table.selectRow(0)
    client_id = window.proxy.index(0, 0).data(CLIENT_ID_ROLE)
    v_nummer = window.proxy.index(0, COL_V_NUMMER).data()
    assert window.selected_client_id() == client_id
    assert window.detail.title.text() == window.proxy.index(0, COL_NAME).data()
    assert v_nummer in window.detail.facts.text()
    assert "Termijnen" in window.detail.facts.text()
    # Looking at special-category data is itself on record, without the data.
    from sqlalchemy import select

    from app.models.journal import ACTION_READ, AuditEntry

    with profile.store().session() as session:
        reads = session.scalars(
            select(AuditEntry).where(AuditEntry.action == ACTION_READ, AuditEntry.entity_type == "client")
        ).all()
    assert client_id in {str(entry.entity_id) for entry in reads}
    assert all(v_nummer not in entry.detail for entry in reads)


def test_overdue_rows_are_marked_with_text_not_only_colour(window) -> None:
    proxy = window.proxy
    overdue = [
        proxy.index(row, COL_DAYS).data()
        for row in range(proxy.rowCount())
        if (proxy.index(row, COL_DAYS).data(Qt.ItemDataRole.UserRole + 1) or 0) < 0
    ]
    assert overdue, "the demo data should contain overdue PIPs"
    assert all("te laat" in text for text in overdue)


def test_interface_switches_to_english_without_restart(window) -> None:
    window.change_language("en")
    header = window.model.headerData(COL_NAME, Qt.Orientation.Horizontal)
    assert header == "Name"
    assert window.file_menu.title() == "&File"
    assert window.count_label.text() == f"{CLIENTS} clients"
    window.change_language("nl")
    assert window.model.headerData(COL_NAME, Qt.Orientation.Horizontal) == "Naam"


def test_screenshot_of_the_caseload(window, artifacts_dir: Path) -> None:
    window.resize(1400, 800)
    window.table.selectRow(2)
    path = artifacts_dir / "caseload-window.png"
    assert window.grab().save(str(path))
    assert path.stat().st_size > 10_000


def test_today_is_used_for_days_left(window) -> None:
    row = window.model.row_at(0)
    if row.next_deadline is not None:
        assert row.next_deadline.days_left == (row.next_deadline.due - dt.date.today()).days


def test_klantmanager_window_shows_the_sync_status(window) -> None:
    assert window.sync.enabled
    assert not window.sync_widget.isHidden()
    assert window.import_screen is None


def test_supervisor_window_has_the_import_screen_beside_the_caseload(
    qtbot, tmp_path: Path, passphrase_env: str, synchronous_tasks: None
) -> None:
    supervisor = init_profile(
        tmp_path / "supervisor", Role.SUPERVISOR, "Voorbeeldstad", user_name="teamleider"
    )
    try:
        window = open_main_window(supervisor)
        qtbot.addWidget(window)
        window.show()
        window.refresh()
        assert window.import_screen is not None
        assert window.tabs.count() == 3
        assert window.tabs.tabText(1) == "Importeren"
        assert window.tabs.tabText(2) == "Wacht op vaststelling"
        assert not window.sync.enabled
        assert window.sync_widget.isHidden()
    finally:
        supervisor.close()


def test_deadline_phrases_say_late_passed_or_days_left() -> None:
    from app.domain.deadlines import Deadline, DeadlineKind, deadline_status
    from app.ui.client_detail import deadline_phrase

    today = dt.date(2026, 3, 1)
    late = deadline_status(Deadline(DeadlineKind.PIP_DUE, dt.date(2026, 2, 24)), today)
    passed = deadline_status(
        Deadline(DeadlineKind.ONTZORGEN_END, dt.date(2026, 2, 1), can_be_late=False), today
    )
    soon = deadline_status(Deadline(DeadlineKind.PIP_DUE, dt.date(2026, 3, 2)), today)
    later = deadline_status(Deadline(DeadlineKind.PIP_DUE, dt.date(2026, 6, 1)), today)
    assert deadline_phrase(late) == "5 dagen te laat"
    assert deadline_phrase(passed) == "verstreken"
    assert deadline_phrase(soon) == "binnenkort, nog 1 dag"
    assert deadline_phrase(later) == "nog 92 dagen"


def test_target_group_reads_as_words_in_the_interface_language() -> None:
    from app.ui.client_detail import target_group_label

    set_ui_language("nl")
    assert target_group_label("asiel") == "Asielstatushouder (of nareiziger)"
    set_ui_language("en")
    try:
        assert target_group_label("gezinsmigrant") != "Gezinsmigrant of overige migrant"
        assert target_group_label("asiel").lower().startswith("asylum")
    finally:
        set_ui_language("nl")
