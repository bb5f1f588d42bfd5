"""Issue 13, "Exemption (ontheffing)" and "Objection and appeal" in the GUI: the klantmanager opens
"Ontheffing en bezwaar" for the client chosen in the caseload (button or Ctrl+B), sees the last day
of the objection window (Awb 6:7/6:8 with the Algemene termijnenwet) and "te laat" as the dates are
typed, registers the objection, its decision, the appeal and the ruling, and DUO's exemption; each
through the PIP service, with its Dutch refusal shown in the dialog. Real Qt, a real store."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from builders import add_client_with_case, adopted_pip
from PySide6.QtWidgets import QApplication, QPushButton

from app.i18n import set_ui_language
from app.services.profile import Profile
from app.ui.application import open_main_window
from app.ui.main_window import MainWindow
from app.ui.pip.term_records import TermRecordsDialog

ADOPTED = dt.date(2025, 3, 7)  # six weeks later: Goede Vrijdag; the window ends Tuesday 22 April


@pytest.fixture
def dialog(qtbot, profile: Profile, synchronous_tasks: None) -> TermRecordsDialog:
    set_ui_language("nl")
    with profile.store().session(actor="coa-import") as session:
        add_client_with_case(session, "2345678901", family_name="Yusuf", given_names="Amina")
        client_id: uuid.UUID = add_client_with_case(session, "1234567890", family_name="Haddad").id
    adopted_pip(profile, client_id, ADOPTED)
    window = open_main_window(profile)
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    model = window.table.model()
    row = next(
        r
        for r in range(model.rowCount())
        if any("Haddad" in str(model.index(r, c).data()) for c in range(model.columnCount()))
    )
    window.table.selectRow(row)
    qtbot.waitUntil(lambda: window.detail.client_id is not None)
    assert window.detail.client_id == str(client_id)
    button = window.detail.findChild(QPushButton, "openTermRecords")
    assert button is not None and button.isEnabled() and "Ctrl+B" in button.toolTip()
    menu = next(a for a in window.detail.menu_actions if a.objectName() == "openTermRecordsAction")
    assert menu.shortcut().toString() == "Ctrl+B"
    menu.trigger()
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, TermRecordsDialog) and w.isVisible()]
    assert len(found) == 1 and found[0].client_id == client_id
    qtbot.addWidget(found[0])
    return found[0]


def click(button: QPushButton) -> None:
    assert button.isEnabled(), button.objectName()
    button.click()


def test_objection_decision_appeal_and_ruling(dialog: TermRecordsDialog, artifacts_dir: Path) -> None:
    assert "Haddad" in dialog.heading.text()
    dialog.made_known.setText("07-03-2025")
    assert "22-04-2025" in dialog.window_hint.text() and "te laat" not in dialog.window_hint.text()
    dialog.received.setText("23-04-2025")
    assert "te laat" in dialog.window_hint.text()
    assert "22-04-2025" in dialog.received.accessibleDescription()  # a screen reader hears it too
    click(dialog.objection_button)
    assert dialog.message.text() == "" and dialog.objection_list.count() == 1
    line = dialog.objection_list.item(0).text()
    assert "termijn tot en met 22-04-2025 — te laat" in line and "nog geen beslissing" in line
    assert not dialog.appeal_button.isEnabled() and not dialog.ruling_button.isEnabled()

    dialog.step_outcome.setCurrentIndex(dialog.step_outcome.findData("ongegrond"))
    dialog.step_date.setText("02-06-2025")
    click(dialog.decide_button)
    assert "beslissing: ongegrond op 02-06-2025" in dialog.objection_list.item(0).text()
    assert not dialog.decide_button.isEnabled()
    dialog.step_date.setText("14-07-2025")
    click(dialog.appeal_button)
    assert "beroep ingesteld op 14-07-2025; nog geen uitspraak" in dialog.objection_list.item(0).text()
    assert not dialog.appeal_button.isEnabled()  # one appeal per decision

    dialog.step_date.setText("13-07-2025")  # before the appeal: refused, in Dutch, in the dialog
    click(dialog.ruling_button)
    assert "vóór de datum van het beroep" in dialog.message.text()
    assert dialog.step_date.text() == "13-07-2025"  # kept, to be corrected
    dialog.step_date.setText("31-12-2025")
    click(dialog.ruling_button)
    assert dialog.message.text() == ""
    assert "uitspraak: ongegrond op 31-12-2025" in dialog.objection_list.item(0).text()
    assert not dialog.ruling_button.isEnabled()
    dialog.grab().save(str(artifacts_dir / "term_records_dialog.png"))


def test_exemption_of_one_part_and_of_the_whole_duty(qtbot, dialog: TermRecordsDialog) -> None:
    assert dialog.exemption_list.item(0).text() == "Nog geen ontheffing vastgelegd."
    dialog.exemption_date.setText("31-12-2099")
    click(dialog.exemption_button)
    assert "toekomst" in dialog.message.text()
    dialog.exemption_kind.setCurrentIndex(dialog.exemption_kind.findData("agi"))
    dialog.exemption_date.setText("29-02-2024")
    dialog.exemption_parts.boxes["spreken"].setChecked(True)
    click(dialog.exemption_button)
    assert dialog.message.text() == ""
    assert dialog.exemption_list.item(0).text() == (
        "29-02-2024 · ontheffing na aantoonbare inspanningen (AGI) · onderdelen: spreken"
    )
    assert dialog.exemption_date.text() == "" and dialog.exemption_parts.value() == []
    dialog.exemption_kind.setCurrentIndex(dialog.exemption_kind.findData("leerbaarheid"))
    dialog.exemption_date.setText("02-01-2025")
    click(dialog.exemption_button)
    assert dialog.exemption_list.count() == 2
    assert (
        "ontheffing via de leerbaarheidstoets · de hele inburgeringsplicht"
        in dialog.exemption_list.item(1).text()
    )
    # The caseload behind it follows: the whole duty ended, so its status says so and nothing is late.
    window = dialog.parentWidget()
    assert isinstance(window, MainWindow)
    model = window.table.model()

    def shown() -> list[str]:
        return [
            str(model.index(r, c).data()) for r in range(model.rowCount()) for c in range(model.columnCount())
        ]

    qtbot.waitUntil(lambda: "ontheffing (DUO)" in shown(), timeout=5000)
    qtbot.waitUntil(
        lambda: "ontheffing van de hele inburgeringsplicht" in window.detail.facts.text(), timeout=5000
    )


def test_the_dialog_in_english(qtbot, profile: Profile, synchronous_tasks: None, artifacts_dir: Path) -> None:
    from builders import klantmanager_pips

    from app.services.pip import PipService
    from app.ui.pip.term_records import open_term_records

    with profile.store().session(actor="coa-import") as session:
        client_id: uuid.UUID = add_client_with_case(session, "1234567890", family_name="Haddad").id
    adopted_pip(profile, client_id, ADOPTED)
    klantmanager_pips(profile).record_objection(client_id, ADOPTED, dt.date(2025, 4, 23), dt.date(2025, 5, 1))
    set_ui_language("en")
    try:
        dialog = open_term_records(PipService.for_profile(profile), client_id)
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "Exemption and objection of Rania Haddad — Wegwijs"
        line = dialog.objection_list.item(0).text()
        assert line.startswith("Objection 1 against version 1: made known 07-03-2025") and "— late" in line
        assert dialog.exemption_button.text() == "Record exemption"
        dialog.grab().save(str(artifacts_dir / "term_records_dialog_en.png"))
    finally:
        set_ui_language("nl")
