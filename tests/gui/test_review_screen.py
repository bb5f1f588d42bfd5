"""The review screen and interpreter mode with real widgets on a real encrypted store, by keyboard.

The windows call their services through the one runner (app/ui/tasks.py); the tests swap its pools
for the synchronous one (`synchronous_tasks`), so a result is shown when the key press returns. The
last tests run on the real database worker."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from pathlib import Path

import shiboken6
from babel.messages.pofile import read_po
from builders import TEST_PASSPHRASE, add_client_with_case
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.domain.enums import Role, TargetGroup
from app.i18n.layers import clear_layers
from app.i18n.review_layer import ReviewStatus, custom_headers, po_bytes
from app.models.client import Client
from app.models.journal import AuditEntry
from app.models.pip import PipVersion
from app.services.pip.records import draft_pip, update_version
from app.services.profile import Profile, init_profile
from app.services.review import FREE_TEXT, TranslationReviewService
from app.services.review_exchange import apply_import, export_po, read_import
from app.ui.review import InterpreterModeWindow, ReviewScreen, ReviewWindow, import_standard_texts
from app.ui.review.exchange import ImportDialog

TODAY = dt.date(2025, 3, 3)
GOAL = "Nederlands op B1-niveau en daarna werk in de zorg"
GOAL_AR = "الهولندية بمستوى B1 ثم العمل في الرعاية"
GOAL_TI = "ሆላንድኛ ብደረጃ B1 ድሕሪኡ ኣብ ክንክን ስራሕ"
AGREEMENT = "Inschrijven bij de taalschool vóór {date}"


def add_client(
    profile: Profile, language: str, v_nummer: str, given: str, family: str, original: str
) -> uuid.UUID:
    with profile.store().session(actor="km.jansen") as session:
        client = add_client_with_case(
            session,
            v_nummer,
            family_name=family,
            given_names=given,
            name_original=original,
            language=language,
        )
        version = draft_pip(session, client.id, "km.jansen", TODAY)
        update_version(
            session,
            version.id,
            {
                "leerroute": "b1",
                "text.einddoel": GOAL,
                "text.monitoring": "Elke drie maanden een voortgangsgesprek op het gemeentehuis.",
                "agreements": [{"id": "1", "what": {"nl": AGREEMENT}, "who": given, "status": "open"}],
            },
        )
        return client.id


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type like a keyboard: ASCII key by key; Arabic and Ethiopic letters arrive as the input
    method's commit (QTest only knows ASCII keys)."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def stored_texts(profile: Profile) -> dict[str, object]:
    with profile.store().session() as session:
        version = session.scalars(select(PipVersion)).one()
        return {**version.texts, "afspraak-1": version.agreements[0]["what"]}


def choose(combo: object, data: str) -> None:
    index = combo.findData(data)  # type: ignore[attr-defined]
    assert index >= 0
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def test_keyboard_flow_in_interpreter_mode(
    qtbot: QtBot, profile: Profile, artifacts_dir: Path, synchronous_tasks: None
) -> None:
    client_id = add_client(profile, "ar", "2345678901", "Rania", "Haddad", "رانيا حداد")
    caseload = QWidget()  # another Wegwijs window: closed and deleted by interpreter mode
    caseload.setWindowTitle("caseload")
    caseload.show()

    window = InterpreterModeWindow(TranslationReviewService.for_profile(profile), client_id)
    qtbot.addWidget(window)
    window.resize(1200, 820)
    window.close_others()
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.waitUntil(lambda: not shiboken6.isValid(caseload), timeout=3000)  # closed, its data gone
    screen = window.review_screen
    assert screen.service.role is Role.INTERPRETER
    assert screen.client_label.text() == "Rania Haddad  ·  رانيا حداد"
    translation_rtl = screen.editors[0].layoutDirection()
    assert translation_rtl == Qt.LayoutDirection.RightToLeft

    # Who reviews, then only the PIP's free texts that still need work.
    screen.reviewer_name.setFocus()
    qtbot.keyClicks(screen.reviewer_name, "Samira Tolk")
    qtbot.keyClicks(screen.reviewer_register, "123456")
    choose(screen.kind_filter, FREE_TEXT)
    choose(screen.status_filter, ReviewStatus.NOT_TRANSLATED.value)
    assert [screen.items[i].part for i in screen.visible] == ["einddoel", "monitoring", "afspraak-1"]
    screen.table.setFocus()

    # Einddoel: F2, type the translation, Ctrl+Enter approves and moves on.
    qtbot.keyClick(screen.table, Qt.Key.Key_F2)
    assert not screen.editors[0].isReadOnly() and screen.editors[0].hasFocus()
    type_text(qtbot, screen.editors[0], GOAL_AR)
    qtbot.keyClick(screen.editors[0], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert screen.message.text() == ""
    assert screen.current_item() is not None and screen.current_item().part == "monitoring"  # type: ignore[union-attr]

    # Monitoring: skipped with Ctrl+PgDown.
    qtbot.keyClick(screen.table, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert screen.current_item().part == "afspraak-1"  # type: ignore[union-attr]

    # The agreement: a translation that drops {date} is refused inline, naming it; then fixed.
    qtbot.keyClick(screen.table, Qt.Key.Key_F2)
    type_text(qtbot, screen.editors[0], "التسجيل في مدرسة اللغة")
    qtbot.keyClick(screen.editors[0], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "{date}" in screen.message.text() and screen.current_item().part == "afspraak-1"  # type: ignore[union-attr]
    type_text(qtbot, screen.editors[0], " قبل {date}")
    qtbot.keyClick(screen.editors[0], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    texts = stored_texts(profile)
    goal = texts["einddoel"]
    assert goal["translation"] == GOAL_AR  # type: ignore[index]
    assert goal["review"]["by"] == "Samira Tolk" and goal["review"]["register"] == "123456"  # type: ignore[index]
    assert texts["afspraak-1"]["translation"] == "التسجيل في مدرسة اللغة قبل {date}"  # type: ignore[index]
    assert not texts["monitoring"].get("translation")  # type: ignore[attr-defined]

    # Search runs through both columns.
    choose(screen.status_filter, "alle")
    qtbot.keyClick(screen, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert screen.search.hasFocus()
    type_text(qtbot, screen.search, "الرعاية")
    assert [screen.items[i].part for i in screen.visible] == ["einddoel"]
    screen.search.clear()
    qtbot.keyClicks(screen.search, "voortgangsgesprek")
    assert "monitoring" in [screen.items[i].part for i in screen.visible]
    screen.search.clear()
    choose(screen.kind_filter, "alle")

    # A Latin-only translation for Arabic: stored, with a warning.
    choose(screen.status_filter, ReviewStatus.NOT_TRANSLATED.value)
    choose(screen.kind_filter, FREE_TEXT)
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_F2)
    qtbot.keyClicks(screen.editors[0], "Every three months")
    qtbot.keyClick(screen.editors[0], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Arabische schrift" in screen.message.text()
    assert stored_texts(profile)["monitoring"]["translation"] == "Every three months"  # type: ignore[index]

    choose(screen.status_filter, "alle")
    choose(screen.kind_filter, "alle")
    screen.table.setCurrentCell(0, 1)
    window.grab().save(str(artifacts_dir / "review_screen_ar.png"))

    # Leaving (Ctrl+Shift+Q) brings no closed window back (issue 14); both switches are audited.
    qtbot.keyClick(
        window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert not window.isVisible()
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    with profile.store().session() as session:
        actions = [a.action for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        approvals = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "vertaling_goedgekeurd")
        ).all()
    assert actions.count("tolkmodus_aan") == 1 and actions.count("tolkmodus_uit") == 1
    assert (
        actions.index("tolkmodus_aan")
        < actions.index("vertaling_goedgekeurd")
        < actions.index("tolkmodus_uit")
    )
    assert {a.detail for a in approvals} == {
        "onderdeel=einddoel;taal=ar;register=123456",
        "onderdeel=afspraak-1;taal=ar;register=123456",
        "onderdeel=monitoring;taal=ar;register=123456",
    }
    assert all(a.actor == "Samira Tolk (123456) via km.jansen" for a in approvals)


def test_interpreter_mode_shows_no_restricted_intake_texts(
    qtbot: QtBot, profile: Profile, synchronous_tasks: None
) -> None:
    client_id = add_client(profile, "ar", "2345678901", "Rania", "Haddad", "رانيا حداد")
    window = InterpreterModeWindow(TranslationReviewService.for_profile(profile), client_id)
    qtbot.addWidget(window)
    screen = window.review_screen
    contexts = {i.context for i in screen.items}
    assert not any("Gezondheid" in c or "Financiën" in c or "ZelfRedzaamheid" in c for c in contexts)
    assert any(c.startswith("Brede intake, Huisvesting") for c in contexts)
    labels = " ".join(label.text() for label in window.findChildren(QLabel))
    assert "2345678901" not in labels and "1990" not in labels  # the name only, no V-nummer or birth date
    window.leave()


def test_tigrinya_screen_and_standard_texts(
    qtbot: QtBot, profile: Profile, artifacts_dir: Path, synchronous_tasks: None
) -> None:
    client_id = add_client(profile, "ti", "3456789012", "Abeba", "Tesfay", "ኣበባ ተስፋይ")
    window = ReviewWindow(TranslationReviewService.for_profile(profile), client_id)
    qtbot.addWidget(window)
    window.resize(1200, 820)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    screen = window.review_screen
    assert screen.editors[0].layoutDirection() == Qt.LayoutDirection.LeftToRight
    qtbot.keyClicks(screen.reviewer_name, "Yonas")
    screen.key_person.setChecked(True)
    assert not screen.reviewer_register.isEnabled()
    choose(screen.kind_filter, FREE_TEXT)
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_F2)
    type_text(qtbot, screen.editors[0], GOAL_TI)
    qtbot.keyClick(screen.editors[0], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert stored_texts(profile)["einddoel"]["review"]["register"] == "sleutelpersoon"  # type: ignore[index]

    # A standard text of the PDF: a plural entry keeps every form.
    choose(screen.kind_filter, "standaardtekst")
    plural_row = next(r for r, i in enumerate(screen.visible) if screen.items[i].source_plural is not None)
    screen.table.setCurrentCell(plural_row, 1)
    assert len(screen.editors) == 2
    qtbot.keyClick(screen.table, Qt.Key.Key_F2)
    qtbot.keyClick(screen.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    approved = next(
        i for i in screen.items if i.source_plural is not None and i.status is ReviewStatus.REVIEWED
    )
    assert len(approved.translation) == 2
    choose(screen.kind_filter, "alle")
    screen.table.setCurrentCell(0, 1)
    window.grab().save(str(artifacts_dir / "review_screen_ti.png"))


def test_import_dialog_accepts_only_checked_changes(qtbot: QtBot, profile: Profile, tmp_path: Path) -> None:
    client_id = add_client(profile, "ar", "2345678901", "Rania", "Haddad", "رانيا حداد")
    service = TranslationReviewService.for_profile(profile)
    path = export_po(service, client_id, tmp_path)
    data = path.read_bytes()
    catalog = read_po(io.BytesIO(data))
    catalog.last_translator = "Samira Tolk (123456)"
    for message in catalog:
        if message.context == "einddoel":
            message.string, message.flags = GOAL_AR, set()
        if message.context == "monitoring":
            message.string = "كل ثلاثة أشهر محادثة"
    imported = read_import(service, client_id, po_bytes(catalog, custom_headers(data)))
    dialog = ImportDialog(imported)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    assert dialog.reviewer_name.text() == "Samira Tolk" and dialog.reviewer_register.text() == "123456"
    dialog.checks[1].setChecked(False)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert dialog.reviewer is not None
    assert apply_import(service, imported, dialog.reviewer, dialog.accepted_parts()) == 1
    texts = stored_texts(profile)
    assert texts["einddoel"]["translation"] == GOAL_AR  # type: ignore[index]
    assert not texts["monitoring"].get("translation")  # type: ignore[attr-defined]


def test_no_popups_when_the_window_opens_without_pip(
    qtbot: QtBot, profile: Profile, synchronous_tasks: None
) -> None:
    with profile.store().session(actor="km.jansen") as session:
        client = Client(
            v_nummer="4567890123",
            family_name="Karimi",
            given_names="Omid",
            birth_date="1988",
            document_language="fa",
            target_group=TargetGroup.ASIEL.value,
        )
        session.add(client)
        session.flush()
        client_id = client.id
    screen = ReviewScreen(TranslationReviewService.for_profile(profile), client_id)
    qtbot.addWidget(screen)
    assert all(i.kind != FREE_TEXT for i in screen.items)
    assert screen.review_set is not None and screen.review_set.is_rtl
    assert QApplication.activeModalWidget() is None


def test_standard_texts_travel_to_another_installation(
    qtbot: QtBot, profile: Profile, tmp_path: Path, passphrase_env: str, synchronous_tasks: None
) -> None:
    client_id = add_client(profile, "ar", "2345678901", "Rania", "Haddad", "رانيا حداد")
    window = ReviewWindow(TranslationReviewService.for_profile(profile), client_id)
    qtbot.addWidget(window)
    screen = window.review_screen
    screen.reviewer_name.setText("Samira Tolk")
    screen.reviewer_register.setText("123456")
    choose(screen.kind_filter, "standaardtekst")
    row = next(r for r, i in enumerate(screen.visible) if screen.items[i].source == "Afspraken")
    screen.table.setCurrentCell(row, 1)
    screen.edit()
    screen.editors[0].setPlainText("الاتفاقات المبرمة")
    screen.approve_and_next()
    exported = window.service.layer.export("pip", "ar", tmp_path / "pip_ar.po")
    assert exported == 1
    clear_layers()

    other = init_profile(tmp_path / "tweede", Role.SUPERVISOR, "Utrecht", "sup.de.vries")
    messages: list[str] = []
    try:
        import_standard_texts(other, path=tmp_path / "pip_ar.po", then=messages.append)
        assert messages == ["1 beoordeelde standaardtekst(en) in het Arabisch overgenomen."]
        from app.pdf import texts as T

        assert T.texts_for("ar")(T.AGREEMENTS) == "الاتفاقات المبرمة"
        broken = tmp_path / "kapot.po"
        broken.write_bytes((tmp_path / "pip_ar.po").read_bytes().replace(b'msgstr "', b"msgstr ", 2))
        import_standard_texts(other, path=broken, then=messages.append)
        assert len(messages) == 2 and "regel" in messages[1]
    finally:
        other.close()


def test_interpreter_mode_from_the_caseload_closes_caseload_and_intake_and_locks_on_leaving(
    qtbot: QtBot, profile: Profile, synchronous_tasks: None
) -> None:
    """Issue 14: the other windows are closed and their data dropped, not hidden; leaving (here the
    button; Ctrl+Shift+Q and closing the window do the same) locks the app until the passphrase."""
    from app.ui.intake import intake_action
    from app.ui.lock import LockScreen
    from app.ui.main_window import MainWindow
    from app.ui.review import interpreter_mode_action, review_client_action

    client_id = add_client(profile, "ar", "2345678901", "Rania", "Haddad", "رانيا حداد")
    holder: list[MainWindow] = []
    actions = [
        intake_action(profile, lambda: holder[0] if holder else None),
        review_client_action(profile, lambda: holder[0] if holder else None),
        interpreter_mode_action(profile, lambda: holder[0].session_lock if holder else None),
    ]
    window = MainWindow(profile, actions)
    holder.append(window)
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    qtbot.waitUntil(lambda: window.select_client(str(client_id)), timeout=3000)
    pane_button = window.findChild(QPushButton, "openIntake")
    assert pane_button is not None
    qtbot.waitUntil(pane_button.isEnabled, timeout=3000)
    qtbot.mouseClick(pane_button, Qt.MouseButton.LeftButton)
    intake = next(w for w in QApplication.topLevelWidgets() if type(w).__name__ == "IntakeScreen")
    assert intake.isVisible()

    mode_button = window.findChild(QPushButton, "openInterpreterMode")
    assert mode_button is not None
    qtbot.mouseClick(mode_button, Qt.MouseButton.LeftButton)
    mode = next(w for w in QApplication.topLevelWidgets() if isinstance(w, InterpreterModeWindow))
    qtbot.addWidget(mode)
    qtbot.waitUntil(lambda: not shiboken6.isValid(intake), timeout=3000)  # closed and deleted
    assert mode.isVisible() and not window.isVisible()
    assert window.model.rowCount() == 0 and window.selected_client_id() is None  # data dropped
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert visible == [mode]
    assert mode.review_screen.client_label.text().startswith("Rania Haddad")

    qtbot.mouseClick(mode.leave_button, Qt.MouseButton.LeftButton)
    lock = next(w for w in QApplication.topLevelWidgets() if isinstance(w, LockScreen) and w.isVisible())
    qtbot.addWidget(lock)
    assert not window.isVisible() and not mode.isVisible()
    assert not any(
        type(w).__name__ == "IntakeScreen" and w.isVisible() for w in QApplication.topLevelWidgets()
    )
    with profile.store().session() as session:
        actions_logged = [a.action for a in session.scalars(select(AuditEntry))]
    assert actions_logged.count("tolkmodus_aan") == 1 and actions_logged.count("tolkmodus_uit") == 1
    lock.passphrase.setText(TEST_PASSPHRASE)
    qtbot.mouseClick(lock.unlock_button, Qt.MouseButton.LeftButton)
    assert window.isVisible() and not lock.isVisible()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=3000)


def test_on_the_real_worker_an_approval_after_moving_on_keeps_the_place(
    qtbot: QtBot, profile: Profile
) -> None:
    """No synchronous pool: an approval that comes back after the klantmanager skipped to the next
    text updates the approved row, and the place and the editor stay where the klantmanager is."""
    from app.ui.tasks import wait_for_all

    client_id = add_client(profile, "ar", "2345678901", "Rania", "Haddad", "رانيا حداد")
    screen = ReviewScreen(TranslationReviewService.for_profile(profile), client_id)
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.review_set is not None, timeout=5000)
    screen.reviewer_name.setText("Samira Tolk")
    screen.reviewer_register.setText("123456")
    choose(screen.kind_filter, FREE_TEXT)
    assert screen.current_item().part == "einddoel"  # type: ignore[union-attr]
    screen.edit()
    screen.editors[0].setPlainText(GOAL_AR)
    screen.approve_and_next()  # queued on the worker; its result is delivered by the event loop
    screen.skip()  # ... after this
    assert screen.current_item().part == "monitoring"  # type: ignore[union-attr]
    screen.edit()
    screen.editors[0].setPlainText("half getypt")
    wait_for_all()
    qtbot.waitUntil(
        lambda: next(i for i in screen.items if i.part == "einddoel").status is ReviewStatus.REVIEWED,
        timeout=5000,
    )
    assert screen.current_item().part == "monitoring"  # type: ignore[union-attr]
    assert screen.editors[0].toPlainText() == "half getypt"
    assert stored_texts(profile)["einddoel"]["translation"] == GOAL_AR  # type: ignore[index]


def test_on_the_real_worker_leaving_before_the_switch_was_recorded_records_both(
    qtbot: QtBot, profile: Profile
) -> None:
    from app.ui.tasks import wait_for_all

    client_id = add_client(profile, "ar", "2345678901", "Rania", "Haddad", "رانيا حداد")
    window = InterpreterModeWindow(TranslationReviewService.for_profile(profile), client_id)
    qtbot.addWidget(window)
    window.leave()  # before the worker's answer was delivered: no texts were shown
    assert window.review_screen is None
    qtbot.waitUntil(lambda: window.interpreter_service is not None, timeout=5000)
    wait_for_all()
    assert window.review_screen is None
    with profile.store().session() as session:
        actions = [a.action for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions.count("tolkmodus_aan") == 1 and actions.count("tolkmodus_uit") == 1
    assert actions.index("tolkmodus_aan") < actions.index("tolkmodus_uit")


def test_the_window_exports_and_imports_on_the_worker(
    qtbot: QtBot, profile: Profile, tmp_path: Path, synchronous_tasks: None
) -> None:
    """The exchange buttons' work: the free texts for a remote interpreter, the reviewed standard
    texts out and back in, each said in the message line."""
    client_id = add_client(profile, "ar", "2345678901", "Rania", "Haddad", "رانيا حداد")
    window = ReviewWindow(TranslationReviewService.for_profile(profile), client_id)
    qtbot.addWidget(window)
    screen = window.review_screen
    window.export_for_interpreter(tmp_path)
    written = list(tmp_path.glob("*.po"))
    assert len(written) == 1 and screen.message.text() == f"Geschreven: {written[0]}"

    window.export_standard(tmp_path / "leeg")
    assert screen.message.text() == "Er zijn nog geen beoordeelde standaardteksten in deze taal."
    screen.reviewer_name.setText("Samira Tolk")
    screen.reviewer_register.setText("123456")
    choose(screen.kind_filter, "standaardtekst")
    row = next(r for r, i in enumerate(screen.visible) if screen.items[i].source == "Afspraken")
    screen.table.setCurrentCell(row, 1)
    screen.edit()
    screen.editors[0].setPlainText("الاتفاقات المبرمة")
    screen.approve_and_next()
    folder = tmp_path / "standaard"
    folder.mkdir()
    window.export_standard(folder)
    assert screen.message.text() == "Geschreven: pip_ar_beoordeeld.po."
    window.import_standard(folder / "pip_ar_beoordeeld.po")
    assert screen.message.text().startswith("0 beoordeelde standaardtekst(en) overgenomen.")

    window.import_standard(tmp_path / "bestaat-niet.po")  # a fault: said, not raised
    assert screen.message.text().startswith("Er ging iets mis")


def test_the_window_imports_a_returned_file_after_the_dialog(
    qtbot: QtBot, profile: Profile, tmp_path: Path, synchronous_tasks: None
) -> None:
    """Read on the worker, the changes shown in the dialog (on the GUI thread), the accepted ones
    stored on the worker; the screen then shows them."""
    from PySide6.QtCore import QTimer

    client_id = add_client(profile, "ar", "2345678901", "Rania", "Haddad", "رانيا حداد")
    window = ReviewWindow(TranslationReviewService.for_profile(profile), client_id)
    qtbot.addWidget(window)
    window.export_for_interpreter(tmp_path)
    (exported,) = tmp_path.glob("*.po")
    data = exported.read_bytes()
    catalog = read_po(io.BytesIO(data))
    catalog.last_translator = "Samira Tolk (123456)"
    for message in catalog:
        if message.context == "einddoel":
            message.string, message.flags = GOAL_AR, set()
    returned = tmp_path / "terug.po"
    returned.write_bytes(po_bytes(catalog, custom_headers(data)))

    def accept() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ImportDialog))
        assert dialog.table.rowCount() == 1
        dialog.accept_button.click()

    QTimer.singleShot(200, accept)
    window.import_from_interpreter(returned)
    assert window.review_screen.message.text() == "1 vertaling(en) overgenomen."
    assert stored_texts(profile)["einddoel"]["translation"] == GOAL_AR  # type: ignore[index]
    goal = next(i for i in window.review_screen.items if i.part == "einddoel")
    assert goal.status is ReviewStatus.REVIEWED
