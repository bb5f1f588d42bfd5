"""Issue 16, fault 2: "PIP afdrukken" prints the PIP in force (the latest adopted, not withdrawn,
version) by default and a later draft only when chosen; the caseload names the PIP in force.
Real window, real store, real PDFs read back with pdftotext; driven by the keyboard."""

from __future__ import annotations

import datetime as dt
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from builders import MakeProfile
from pip_parts import COMPLETE_PARTS
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.domain.enums import Role, TargetGroup
from app.domain.pip_lifecycle import ChangeReason, PipAction
from app.models.client import Case, Client
from app.models.pip import TextPart
from app.services import clients as client_service
from app.services.caseload import CaseloadService
from app.services.pip import PipService, PipSettings, PrintOutcome, Signatures, text_key
from app.services.profile import Profile
from app.ui import tasks
from app.ui.main_window import MainWindow
from app.ui.print_pip import PrintController

TODAY = dt.date(2025, 6, 2)
GOAL_V1 = "Nederlands op B1 bij de taalschool"
GOAL_V2 = "Nederlands op B1 met een duaal traject"


@pytest.fixture
def profile(make_profile: MakeProfile) -> Iterator[Profile]:
    profile = make_profile()
    yield profile
    tasks.wait_for_all()  # before make_profile closes it


def client_with_adopted_v1_and_discussed_v2(profile: Profile) -> uuid.UUID:
    with profile.store().session() as session:
        client = Client(
            v_nummer="3456789012",
            family_name="Tesfay",
            given_names="Almaz",
            birth_date="1991-03-04",
            languages=["nl"],
            document_language="nl",
            target_group=TargetGroup.ASIEL.value,
        )
        session.add(client)
        session.flush()
        session.add(Case(client_id=client.id, municipality="Utrecht", huisvestingsdatum=dt.date(2025, 1, 20)))
        client_id = client.id
    service = PipService(profile.store(), "km.jansen", Role.SUPERVISOR, PipSettings())
    signed = Signatures(TODAY, TODAY, None)
    first = service.draft(client_id, TODAY)
    changes = {
        **COMPLETE_PARTS,
        "leerroute": "b1",
        "period_months": 36,
        text_key(TextPart.FINAL_GOAL): GOAL_V1,
    }
    service.save(first.version_id, changes, TODAY)
    for action in (PipAction.BESPREKEN, PipAction.ONDERTEKENEN):
        service.act(first.version_id, action, TODAY, signatures=signed)
    # Four-eyes: a colleague adopts what km.jansen drafted.
    PipService(profile.store(), "tl.devries", Role.SUPERVISOR, PipSettings()).act(
        first.version_id, PipAction.VASTSTELLEN, TODAY
    )
    second = service.new_version(client_id, ChangeReason.OVERIG, "Andere taalschool.", TODAY)
    service.save(second.version_id, {text_key(TextPart.FINAL_GOAL): GOAL_V2}, TODAY)
    service.act(second.version_id, PipAction.BESPREKEN, TODAY)
    return client_id


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def press(qtbot: QtBot, button: QPushButton) -> None:
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def test_the_pip_in_force_prints_by_default_and_the_draft_only_when_chosen(
    qtbot: QtBot, profile: Profile, tmp_path: Path
) -> None:
    client_id = client_with_adopted_v1_and_discussed_v2(profile)
    opened: list[QUrl] = []
    outcomes: list[PrintOutcome] = []
    holder: list[MainWindow] = []
    controller = PrintController(
        lambda: holder[0] if holder else None,
        folder=lambda _profile: tmp_path / "pdf",
        opener=opened.append,
    )
    controller.finished.connect(outcomes.append)
    window = MainWindow(profile, controller.actions())
    holder.append(window)
    qtbot.addWidget(window)
    window.show()
    with profile.store().session() as session:
        window.detail.show_detail(client_service.client_detail(session, client_id))
    print_button = window.findChild(QPushButton, "printPip")

    def choose(object_name: str | None) -> None:
        press(qtbot, print_button)
        qtbot.waitUntil(
            lambda: (
                controller.message_box is not None
                and controller.message_box.objectName() == "printChooseVersion"
            ),
            timeout=15000,
        )
        box = controller.message_box
        assert isinstance(box, QMessageBox)
        assert "Versie 1 is het geldende PIP" in box.text()
        default = box.findChild(QPushButton, "printVersionInForce")
        assert default is box.defaultButton()
        if object_name is None:
            qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter takes the default: the PIP in force
        else:
            press(qtbot, box.findChild(QPushButton, object_name))

    choose(None)
    qtbot.waitUntil(lambda: len(outcomes) == 1, timeout=30000)
    in_force = pdf_text(outcomes[0].paths[0])
    assert GOAL_V1 in in_force and GOAL_V2 not in in_force
    assert "CONCEPT" not in in_force.upper().replace("CONCEPTEN", "")

    controller.message_box = None
    choose("printVersion2")
    qtbot.waitUntil(lambda: len(outcomes) == 2, timeout=30000)
    draft = pdf_text(outcomes[1].paths[0])
    assert GOAL_V2 in draft and GOAL_V1 not in draft
    assert "CONCEPT" in draft.upper()

    controller.message_box = None
    choose("printCancel")
    qtbot.wait(100)
    assert len(outcomes) == 2 and not controller.busy


def test_the_caseload_names_the_pip_in_force_beside_the_draft(profile: Profile) -> None:
    client_id = client_with_adopted_v1_and_discussed_v2(profile)
    row = next(r for r in CaseloadService.for_profile(profile).rows(TODAY) if r.client_id == client_id)
    assert row.status == "PIP vastgesteld (versie 1); versie 2 besproken"


def test_no_choice_is_asked_while_the_pip_in_force_is_the_latest(qtbot: QtBot, profile: Profile) -> None:
    from app.services.pip import DocumentService

    client_id = client_with_adopted_v1_and_discussed_v2(profile)
    versions = DocumentService.for_profile(profile).versions(client_id)
    assert versions.in_force == 1
    assert [n for n, _state in versions.versions] == [1, 2]


# Issue 16, fault 8: without a PDF viewer (openUrl says False) printing says so and where the file is.
def test_no_viewer_is_said_with_the_folder(qtbot: QtBot, profile: Profile, tmp_path: Path) -> None:
    client_id = client_with_adopted_v1_and_discussed_v2(profile)
    tried: list[QUrl] = []

    def no_viewer(url: QUrl) -> bool:
        tried.append(url)
        return False  # what QDesktopServices.openUrl says when nothing can open the file

    holder: list[MainWindow] = []
    controller = PrintController(
        lambda: holder[0] if holder else None, folder=lambda _p: tmp_path / "pdf", opener=no_viewer
    )
    window = MainWindow(profile, controller.actions())
    holder.append(window)
    qtbot.addWidget(window)
    window.show()
    with profile.store().session() as session:
        window.detail.show_detail(client_service.client_detail(session, client_id))
    button = window.findChild(QPushButton, "printPip")
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controller.message_box is not None, timeout=15000)
    qtbot.keyClick(controller.message_box, Qt.Key.Key_Return)  # the PIP in force
    qtbot.waitUntil(
        lambda: controller.message_box is not None and controller.message_box.objectName() == "printNotice",
        timeout=30000,
    )
    box = controller.message_box
    assert isinstance(box, QMessageBox) and len(tried) == 1
    assert "geen programma" in box.text() and str(tmp_path / "pdf") in box.text()
    assert Path(tried[0].toLocalFile()).is_file()
