"""Issue 16, fault 5: after switching to English, the caseload's status column, the detail pane and
the language names are English too (texts made by the services are loaded again)."""

from __future__ import annotations

import pytest
from builders import MakeProfile
from PySide6.QtCore import Qt

from app.i18n import set_ui_language
from app.i18n.languages import all_languages
from app.services.demo import add_demo_clients
from app.services.profile import Profile
from app.ui.application import open_main_window
from app.ui.caseload import COL_STATUS
from app.ui.names import language_name

DUTCH_STATUS_WORDS = (
    "intake loopt",
    "intake afgerond",
    "gehuisvest",
    "besproken",
    "vastgesteld",
    "gezinslid",
)
DUTCH_DETAIL_WORDS = (
    "Geboortedatum",
    "Nationaliteit",
    "Termijnen",
    "Arabisch",
    "Tigrinya (",
    "Perzisch",
    "Turks",
)


@pytest.fixture
def profile(make_profile: MakeProfile) -> Profile:
    profile = make_profile(municipality="Voorbeeldstad", user_name="km1")
    with profile.store().session(profile.actor, profile.settings.role) as session:
        add_demo_clients(session, 40, seed=3, municipality="Voorbeeldstad", klantmanager="km1")
    return profile


def test_every_language_has_an_english_name() -> None:
    set_ui_language("en")
    try:
        names = {language.code: language_name(language.code) for language in all_languages()}
    finally:
        set_ui_language("nl")
    assert names["ar"] == "Arabic" and names["nl"] == "Dutch" and names["fa_AF"] == "Dari"
    assert all(name and name != language.name_nl or language.code in ("ti", "fa_AF")
               for language, name in zip(all_languages(), names.values(), strict=True))  # fmt: skip
    assert language_name("ar") == "Arabisch"


def test_the_status_column_and_the_detail_pane_follow_the_switch(
    qtbot, profile: Profile, synchronous_tasks: None
) -> None:
    set_ui_language("nl")
    window = open_main_window(profile)
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    statuses = {window.proxy.index(r, COL_STATUS).data() for r in range(window.proxy.rowCount())}
    assert any(word in s for s in statuses for word in DUTCH_STATUS_WORDS)
    window.table.setFocus()
    window.table.selectRow(0)
    try:
        window.change_language("en")
        qtbot.waitUntil(lambda: "Date of birth" in window.detail.facts.text(), timeout=5000)
        statuses = {window.proxy.index(r, COL_STATUS).data() for r in range(window.proxy.rowCount())}
        for status in statuses:
            assert not any(word in status for word in DUTCH_STATUS_WORDS), status
        facts = window.detail.facts.text()
        for word in DUTCH_DETAIL_WORDS:
            assert word not in facts, word
        assert window.model.headerData(COL_STATUS, Qt.Orientation.Horizontal) == "Status"
    finally:
        window.change_language("nl")
