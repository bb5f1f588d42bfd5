"""Printing the PIP from the caseload window: real widgets, a real SQLCipher store, real PDFs.

The system viewer is replaced by a recorder (nothing launches); everything else is the real thing,
including the pdf worker thread for "Alle acht talen".
"""

from __future__ import annotations

import datetime as dt
import subprocess
import unicodedata
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from builders import add_client_with_case, draft_pip_with, set_translation
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QInputDialog, QMessageBox, QProgressBar, QPushButton
from pytestqt.qtbot import QtBot

from app.domain.enums import TargetGroup
from app.i18n.layers import clear_layers
from app.i18n.review_layer import DOMAIN_HEADER, KIND_HEADER, LAYER_KIND, ReviewLayer, po_bytes
from app.models.client import Client
from app.models.pip import REVIEW_APPROVED, TextPart
from app.resources import translations_dir
from app.services import clients as client_service
from app.services.pip import PrintOutcome, text_key
from app.services.profile import Profile
from app.ui import tasks
from app.ui.main_window import MainWindow
from app.ui.print_choices import OPEN_FOLDER_BUTTON
from app.ui.print_pip import PrintController, print_actions

TODAY = dt.date(2025, 6, 2)
V_NUMMER = "2345678901"
ALL = ["nl", "en", "ar", "ti", "fa", "fa_AF", "tr", "ku"]


def pdf_name(code: str) -> str:
    return f"PIP_{V_NUMMER}_v1_{code}_{dt.date.today().isoformat()}.pdf"


@pytest.fixture
def profile(profile: Profile) -> Iterator[Profile]:
    """The default profile (tests/conftest.py); print jobs end before it closes."""
    yield profile
    tasks.wait_for_all()


def add_client_with_pip(profile: Profile, remark: str | None = None) -> uuid.UUID:
    """An Arabic-speaking client whose PIP's final goal has an approved translation."""
    with profile.store().session() as session:
        client_id = add_client_with_case(session, V_NUMMER).id
    changes: dict[str, object] = {"leerroute": "b1", text_key(TextPart.FINAL_GOAL): "Nederlands op B1"}
    if remark is not None:
        changes[text_key(TextPart.REMARKS)] = remark
    version_id = draft_pip_with(profile, client_id, changes, TODAY)
    set_translation(profile, version_id, "einddoel", "ar", "اللغة الهولندية بمستوى B1", REVIEW_APPROVED)
    return client_id


class Harness:
    """The real main window with the two print buttons, a recording opener and a PDF folder."""

    def __init__(self, qtbot: QtBot, profile: Profile, folder: Path, show_after_ms: int = 600) -> None:
        self.opened: list[QUrl] = []
        self.folder = folder
        holder: list[MainWindow] = []
        self.controller = PrintController(
            lambda: holder[0] if holder else None,
            folder=lambda _profile: folder,
            opener=self.opened.append,
            show_after_ms=show_after_ms,
        )
        self.outcomes: list[PrintOutcome] = []
        self.controller.finished.connect(self.outcomes.append)
        self.window = MainWindow(profile, self.controller.actions())
        holder.append(self.window)
        qtbot.addWidget(self.window)
        self.window.show()
        self.qtbot = qtbot

    def select(self, profile: Profile, client_id: uuid.UUID) -> None:
        with profile.store().session() as session:
            detail = client_service.client_detail(session, client_id)
        self.window.detail.show_detail(detail)

    def click(self, object_name: str) -> None:
        button = self.window.findChild(QPushButton, object_name)
        assert isinstance(button, QPushButton) and button.isEnabled(), object_name
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def answer_gap_warning(self, button_name: str, screenshot: Path | None = None) -> str:
        self.qtbot.waitUntil(lambda: self.controller.message_box is not None, timeout=15000)
        box = self.controller.message_box
        assert isinstance(box, QMessageBox) and box.objectName() == "printGapWarning"
        text = box.text()
        if screenshot is not None:
            box.grab().save(str(screenshot))
        button = box.findChild(QPushButton, button_name)
        assert isinstance(button, QPushButton)
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        return text


def pdf_text(path: Path) -> str:
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", raw)


def test_print_actions_are_three_buttons(profile: Profile) -> None:
    actions = print_actions(lambda: None)
    assert [(a.label(), a.object_name) for a in actions] == [
        ("PIP afdrukken", "printPip"),
        ("Alle acht talen", "printPipAllLanguages"),
        ("Andere taal…", "printPipOtherLanguage"),
    ]


@pytest.fixture
def reviewed_arabic(profile: Profile) -> Iterator[None]:
    """Every fixed Arabic text of the PIP approved by an interpreter (the reviewed layer)."""
    with (translations_dir() / "ar" / "LC_MESSAGES" / "pip.po").open("rb") as handle:
        shipped = read_po(handle)
    catalog = Catalog(locale="ar", domain="pip")
    for message in shipped:
        if message.id and message.string:
            catalog.add(message.id, message.string, context=message.context, user_comments=["Tolk (12345)"])
    layer = ReviewLayer(profile.data_dir)
    layer.path("pip", "ar").parent.mkdir(parents=True, exist_ok=True)
    layer.path("pip", "ar").write_bytes(po_bytes(catalog, {DOMAIN_HEADER: "pip", KIND_HEADER: LAYER_KIND}))
    layer.activate()
    yield
    clear_layers()


def test_print_one_language_opens_the_pdf(
    qtbot: QtBot, profile: Profile, tmp_path: Path, synchronous_tasks: None, reviewed_arabic: None
) -> None:
    client_id = add_client_with_pip(profile)
    harness = Harness(qtbot, profile, tmp_path / "pdf")
    harness.select(profile, client_id)
    with qtbot.waitSignal(harness.controller.finished, timeout=30000) as finished:
        harness.click("printPip")
    outcome = finished.args[0]
    assert isinstance(outcome, PrintOutcome) and not outcome.cancelled
    path = tmp_path / "pdf" / pdf_name("ar")
    assert outcome.paths == [path] and path.is_file()
    assert harness.opened == [QUrl.fromLocalFile(str(path))]
    # Every free text and every fixed text has a reviewed translation: no warning, no notice.
    assert harness.controller.message_box is None
    assert not harness.controller.progress_shown  # a quick single PDF does not flash a dialog
    text = pdf_text(path)
    assert V_NUMMER in text and "الهولندية" in text
    assert "nog niet door een tolk gecontroleerd" not in text
    assert not harness.controller.busy
    # The status bar says where the new file is, and offers its folder.
    assert harness.window.statusBar().currentMessage() == f"PDF opgeslagen als {path}"
    harness.click(OPEN_FOLDER_BUTTON)
    assert harness.opened[-1] == QUrl.fromLocalFile(str(tmp_path / "pdf"))


def test_another_language_is_chosen_for_the_selected_client(
    qtbot: QtBot, profile: Profile, tmp_path: Path, synchronous_tasks: None, reviewed_arabic: None
) -> None:
    """The client's case says Arabic; the klantmanager prints Dutch beside Persian instead."""
    client_id = add_client_with_pip(profile)
    harness = Harness(qtbot, profile, tmp_path / "pdf")
    harness.select(profile, client_id)
    assert harness.window.findChild(QPushButton, OPEN_FOLDER_BUTTON) is None  # nothing printed yet
    harness.click("printPipOtherLanguage")
    question = harness.controller.language_question
    assert isinstance(question, QInputDialog) and question.isVisible()
    assert question.comboBoxItems()[0] != "Nederlands" and "Perzisch (Farsi)" in question.comboBoxItems()
    with qtbot.waitSignal(harness.controller.finished, timeout=30000) as finished:
        question.setTextValue("Perzisch (Farsi)")
        question.accept()
        harness.answer_gap_warning("printAnyway")  # the free text has no Persian translation
    path = tmp_path / "pdf" / pdf_name("fa")
    assert finished.args[0].paths == [path] and path.is_file()
    assert V_NUMMER in pdf_text(path)
    assert harness.window.findChild(QPushButton, OPEN_FOLDER_BUTTON).isVisible()


def test_a_closed_language_question_prints_nothing(
    qtbot: QtBot, profile: Profile, tmp_path: Path, synchronous_tasks: None
) -> None:
    client_id = add_client_with_pip(profile)
    harness = Harness(qtbot, profile, tmp_path / "pdf")
    harness.select(profile, client_id)
    harness.click("printPipOtherLanguage")
    question = harness.controller.language_question
    assert question is not None
    question.reject()
    qtbot.wait(200)
    assert harness.outcomes == [] and not harness.controller.busy
    assert not (tmp_path / "pdf").exists() or list((tmp_path / "pdf").iterdir()) == []


def test_unreviewed_fixed_texts_are_warned_and_declared(
    qtbot: QtBot, profile: Profile, tmp_path: Path, synchronous_tasks: None
) -> None:
    client_id = add_client_with_pip(profile)
    harness = Harness(qtbot, profile, tmp_path / "pdf")
    harness.select(profile, client_id)
    with qtbot.waitSignal(harness.controller.finished, timeout=30000) as finished:
        harness.click("printPip")
        text = harness.answer_gap_warning("printAnyway")
    # The free texts are reviewed; the shipped Arabic catalog is a first translation (fuzzy).
    assert "Opmerkingen" not in text
    assert "vaste teksten van het PIP in Arabisch zijn een eerste vertaling" in text
    (path,) = finished.args[0].paths
    pages = pdf_text(path).split("\f")[:-1]
    assert len(pages) >= 2
    for page in pages:  # on every page, in Dutch and in Arabic
        assert "De vaste teksten in deze vertaling zijn nog niet door een tolk gecontroleerd." in page
        assert "لم يراجع مترجم" in page  # Arabic extracts in parts until issue 19's ActualText


def test_gap_warning_lists_the_texts_and_may_be_declined(
    qtbot: QtBot, profile: Profile, tmp_path: Path, synchronous_tasks: None
) -> None:
    remark = 'Wil <b>verpleegkundige</b> worden & "zorg"'
    client_id = add_client_with_pip(profile, remark=remark)
    harness = Harness(qtbot, profile, tmp_path / "pdf")
    harness.select(profile, client_id)

    harness.click("printPip")
    text = harness.answer_gap_warning("printCancel")
    assert "Arabisch" in text and f"Opmerkingen: {remark}" in text  # literally, never as markup
    assert "Nederlands op B1" not in text  # reviewed: not listed
    assert harness.controller.message_box is not None
    assert harness.controller.message_box.textFormat() == Qt.TextFormat.PlainText
    assert not (tmp_path / "pdf").exists() and harness.opened == [] and not harness.controller.busy

    harness.controller.message_box = None
    with qtbot.waitSignal(harness.controller.finished, timeout=30000):
        harness.click("printPip")
        harness.answer_gap_warning("printAnyway")
    assert [p.name for p in (tmp_path / "pdf").iterdir()] == [pdf_name("ar")]
    # Printed in Dutch in both columns (with the note in Arabic), and literally.
    assert pdf_text(tmp_path / "pdf" / pdf_name("ar")).count("<b>verpleegkundige</b>") == 2
    assert len(harness.opened) == 1


def test_all_eight_languages_with_progress_off_the_gui_thread(
    qtbot: QtBot, profile: Profile, tmp_path: Path, artifacts_dir: Path
) -> None:
    client_id = add_client_with_pip(profile)
    # A shorter delay than the default 600 ms, so a fast run still shows the dialog for the screenshot.
    harness = Harness(qtbot, profile, tmp_path / "alle", show_after_ms=150)
    harness.select(profile, client_id)
    harness.click("printPipAllLanguages")
    # Other languages than Arabic have no reviewed translation of the goal: warned first.
    text = harness.answer_gap_warning("printAnyway", artifacts_dir / "print_pip_gap_warning.png")
    gaps, fixed = text.split("De vaste teksten van het PIP in ")
    assert "Einddoel: Nederlands op B1" in gaps and "Engels" in gaps and "Arabisch" not in gaps
    assert fixed.startswith("Engels, Arabisch, Tigrinya")  # every shipped catalog is still unchecked
    values: list[int] = []
    qtbot.waitUntil(lambda: harness.controller.progress_dialog is not None, timeout=15000)
    dialog = harness.controller.progress_dialog
    assert dialog is not None
    bar = dialog.findChild(QProgressBar)
    assert isinstance(bar, QProgressBar)
    bar.valueChanged.connect(values.append)
    # The dialog appears after the delay while the pdf worker renders: the GUI thread is free.
    qtbot.waitUntil(lambda: harness.controller.progress_shown, timeout=15000)
    assert dialog.isVisible() and dialog.maximum() == 8
    dialog.grab().save(str(artifacts_dir / "print_pip_progress.png"))
    qtbot.waitUntil(lambda: bool(harness.outcomes), timeout=60000)
    outcome = harness.outcomes[0]
    assert [r.language for r in outcome.results] == ALL
    assert sorted(p.name for p in (tmp_path / "alle").iterdir()) == sorted(pdf_name(c) for c in ALL)
    assert values and values[-1] == 8 and len(set(values)) > 1  # progress arrived step by step
    assert harness.opened == [QUrl.fromLocalFile(str(tmp_path / "alle"))]  # the folder, not eight viewers
    assert harness.controller.progress_dialog is None


def test_cancel_after_the_first_language_stops(qtbot: QtBot, profile: Profile, tmp_path: Path) -> None:
    client_id = add_client_with_pip(profile)
    harness = Harness(qtbot, profile, tmp_path / "gestopt", show_after_ms=0)
    harness.select(profile, client_id)
    harness.click("printPipAllLanguages")
    harness.answer_gap_warning("printAnyway")
    qtbot.waitUntil(
        lambda: (
            harness.controller.progress_dialog is not None and harness.controller.progress_dialog.value() >= 1
        ),
        timeout=30000,
    )
    dialog = harness.controller.progress_dialog
    assert dialog is not None and dialog.isVisible()
    cancel = dialog.findChild(QPushButton)
    assert isinstance(cancel, QPushButton) and cancel.text() == "Annuleren"
    with qtbot.waitSignal(harness.controller.finished, timeout=60000) as finished:
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    outcome = finished.args[0]
    # A cancelled set leaves nothing (issue 19): no half set beside the files of an earlier print.
    assert outcome.cancelled and outcome.paths == []
    assert list((tmp_path / "gestopt").iterdir()) == []
    assert harness.opened == []
    notice = harness.controller.message_box
    assert notice is not None and notice.text().startswith("Gestopt: er is geen PDF opgeslagen")


def test_print_buttons_are_disabled_for_a_minor(qtbot: QtBot, profile: Profile, tmp_path: Path) -> None:
    adult_id = add_client_with_pip(profile)
    with profile.store().session() as session:
        minor = Client(
            v_nummer="5678901234",
            family_name="Haddad",
            given_names="Sami",
            birth_date=f"{dt.date.today().year - 10}-04",
            languages=["ar"],
            document_language="ar",
            target_group=TargetGroup.ASIEL.value,
        )
        session.add(minor)
        session.flush()
        minor_id = minor.id
    harness = Harness(qtbot, profile, tmp_path / "pdf")
    buttons = [harness.window.findChild(QPushButton, name) for name in ("printPip", "printPipAllLanguages")]
    harness.select(profile, minor_id)
    assert all(isinstance(b, QPushButton) and not b.isEnabled() for b in buttons)
    assert all(b.toolTip().endswith(": geen inburgeringsplicht") for b in buttons)
    harness.select(profile, adult_id)
    # Enabled again, the tooltip names only the shortcut.
    assert [b.toolTip() for b in buttons if b.isEnabled()] == [
        "PIP afdrukken (Ctrl+P)",
        "Alle acht talen (Ctrl+Shift+P)",
    ]
