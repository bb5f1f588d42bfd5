"""The PIP editor with real widgets on a real SQLCipher store: from a completed intake to "ondertekend".

The editor calls its service through the one runner (app/ui/tasks.py); these tests swap its pools
for the synchronous one (`synchronous_tasks`), so each step's result is shown when the click returns.
The last test runs the editor on the real database worker."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from builders import add_client_with_case
from pip_parts import COMPLETE_PARTS
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
)
from pytestqt.qtbot import QtBot

from app.domain.enums import Role, TargetGroup
from app.domain.pip_lifecycle import ChangeReason, PipAction, PipState
from app.models.client import Case, Client
from app.models.intake import Intake, IntakeStatus
from app.models.store import Store
from app.services.pip import PipService
from app.services.profile import Profile
from app.ui.pip import PipEditor, open_pip_editor

TODAY = dt.date(2025, 3, 3)


def client_with_concluded_intake(store: Store) -> uuid.UUID:
    with store.session(actor="km.jansen") as session:
        client = add_client_with_case(session, "2345678901", languages=["ar", "en"])
        session.add(
            Intake(
                client_id=client.id,
                form_id="brede_intake",
                form_version=1,
                status=IntakeStatus.CONCLUDED.value,
                started_on=dt.date(2024, 12, 2),
                concluded_on=dt.date(2025, 2, 10),
                cesuur=28,
                answers={"toets_score": {"value": 24, "form_version": 1}},
                advised_route="z",
                advice_reasons=[
                    "De leerbaarheidstoets is niet haalbaar: score 24 van 40, cesuur 28.",
                    "B1 en de onderwijsroute lijken buiten bereik: de zelfredzaamheidsroute (Z-route).",
                ],
                chosen_route="b1",
            )
        )
        return client.id


def find(editor: PipEditor, kind: type, name: str) -> object:
    widget = editor.findChild(kind, name)
    assert widget is not None, name
    return widget


def type_into(qtbot: QtBot, editor: PipEditor, name: str, text: str) -> None:
    edit = find(editor, QPlainTextEdit, name)
    assert isinstance(edit, QPlainTextEdit)
    edit.setFocus()
    qtbot.keyClicks(edit, text)


def click(qtbot: QtBot, editor: PipEditor, name: str) -> None:
    button = find(editor, QPushButton, name)
    assert isinstance(button, QPushButton) and button.isVisible(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def message(editor: PipEditor) -> str:
    return editor.message.text()


def test_draft_from_intake_to_ondertekend(
    qtbot: QtBot, profile: Profile, artifacts_dir: Path, synchronous_tasks: None
) -> None:
    store = profile.store()
    client_id = client_with_concluded_intake(store)
    # The parts this test is not about (PVT, taalschool, afspraken...) are filled beforehand.
    drafted = PipService(store, "km", Role.KLANTMANAGER).draft(client_id, TODAY)
    PipService(store, "km", Role.KLANTMANAGER).save(drafted.version_id, COMPLETE_PARTS, TODAY)
    editor = open_pip_editor(profile, client_id, today=lambda: TODAY)
    qtbot.addWidget(editor)
    editor.resize(1150, 900)

    # Advice and choice side by side; the deviation is flagged before anything is typed.
    assert "Z-route" in editor.advice_route.text() and "24 van 40" in editor.advice_route.text()
    route = find(editor, QComboBox, "pipRoute")
    assert isinstance(route, QComboBox) and route.currentData() == "b1"
    assert "onderbouwing is verplicht" in editor.deviation_hint.text()
    assert editor.findChild(QLabel, "pipDeadlines").text().count("PIP vaststellen") == 1  # type: ignore[union-attr]

    # Refused steps are explained inline, one at a time.
    click(qtbot, editor, "pipAction_bespreken")
    assert "einddoel" in message(editor)
    type_into(qtbot, editor, "pipText_einddoel", "Nederlands op B1 en werk in de zorg")
    click(qtbot, editor, "pipAction_bespreken")
    assert "onderbouwing" in message(editor) and "Z-route" in message(editor)

    # Undo and redo of typing, then autosave.
    type_into(qtbot, editor, "pipText_onderbouwing", "Twaalf jaar onderwijs; leest het Latijnse schrift.")
    onderbouwing = find(editor, QPlainTextEdit, "pipText_onderbouwing")
    assert isinstance(onderbouwing, QPlainTextEdit)
    editor.undo_stack.undo()
    assert onderbouwing.toPlainText() == ""
    editor.undo_stack.redo()
    assert onderbouwing.toPlainText().startswith("Twaalf jaar")
    hours = find(editor, QSpinBox, "pipMapHours")
    assert isinstance(hours, QSpinBox) and hours.value() == 64
    hours.setValue(80)
    qtbot.waitUntil(lambda: editor.save_label.text().startswith("Opgeslagen"), timeout=3000)
    saved = PipService(store, "controle", Role.KLANTMANAGER).current(client_id, TODAY)
    assert saved is not None and saved.values["map_hours"] == 80
    assert saved.values["text.onderbouwing"].startswith("Twaalf jaar")

    editor.grab().save(str(artifacts_dir / "pip_editor_concept.png"))
    click(qtbot, editor, "pipAction_bespreken")
    assert message(editor) == ""
    assert editor.snapshot is not None and editor.snapshot.state is PipState.BESPROKEN
    assert onderbouwing.isReadOnly()

    # Signing needs both signatures (no interpreter present here).
    click(qtbot, editor, "pipAction_ondertekenen")
    assert "inburgeraar" in message(editor)
    for name in ("pipSignedClient", "pipSignedKlantmanager"):
        box = find(editor, QCheckBox, name)
        assert isinstance(box, QCheckBox)
        box.setChecked(True)
    click(qtbot, editor, "pipAction_ondertekenen")
    assert editor.snapshot.state is PipState.ONDERTEKEND
    assert editor.state_label.text() == "ondertekend"

    # A klantmanager may not adopt in this municipality: the step is not offered at all.
    adopt = find(editor, QPushButton, "pipAction_vaststellen")
    assert isinstance(adopt, QPushButton) and not adopt.isVisibleTo(editor)
    assert PipService(store, "km", Role.KLANTMANAGER).current(client_id, TODAY).actions == [  # type: ignore[union-attr]
        PipAction.HEROPENEN
    ]
    assert PipService(store, "sup", Role.SUPERVISOR).current(client_id, TODAY).actions == [  # type: ignore[union-attr]
        PipAction.VASTSTELLEN,
        PipAction.HEROPENEN,
    ]
    assert PipService(store, "km", Role.SUPERVISOR).current(client_id, TODAY).actions == [  # type: ignore[union-attr]
        PipAction.HEROPENEN  # four-eyes: not who drafted it
    ]
    editor.grab().save(str(artifacts_dir / "pip_editor_ondertekend.png"))
    scroll = editor.findChild(QScrollArea)
    assert isinstance(scroll, QScrollArea) and scroll.widget() is not None
    assert "gewijzigd versie 1: handtekening inburgeraar, handtekening klantmanager, status" in (
        editor.history_label.text()
    )
    QApplication.processEvents()  # let the layout catch up with the texts before grabbing
    body = scroll.widget()
    body.resize(body.width(), body.sizeHint().height())
    body.grab().save(str(artifacts_dir / "pip_editor_full_form.png"))
    stored = PipService(store, "controle", Role.KLANTMANAGER).current(client_id, TODAY)
    assert stored is not None and stored.state is PipState.ONDERTEKEND
    assert stored.signed_by_client_on == TODAY
    editor.close()


def test_adopted_version_is_read_only_and_new_version_refused_late(
    qtbot: QtBot, profile: Profile, synchronous_tasks: None
) -> None:
    store = profile.store()
    client_id = client_with_concluded_intake(store)
    supervisor = PipService(store, "tl", Role.SUPERVISOR)
    first = supervisor.draft(client_id, TODAY)
    supervisor.save(
        first.version_id,
        {"text.einddoel": "B1", "text.onderbouwing": "Werkervaring als verpleegkundige.", **COMPLETE_PARTS},
        TODAY,
    )
    from app.domain.pip_lifecycle import PipAction
    from app.services.pip import Signatures

    supervisor.act(first.version_id, PipAction.BESPREKEN, TODAY)
    supervisor.act(first.version_id, PipAction.ONDERTEKENEN, TODAY, Signatures(TODAY, TODAY))
    # Four-eyes: a colleague adopts what "tl" drafted.
    PipService(store, "tl.collega", Role.SUPERVISOR).act(first.version_id, PipAction.VASTSTELLEN, TODAY)

    late = dt.date(2026, 9, 10)
    editor = open_pip_editor(profile, client_id, today=lambda: late)
    qtbot.addWidget(editor)
    goal = find(editor, QPlainTextEdit, "pipText_einddoel")
    assert isinstance(goal, QPlainTextEdit) and goal.isReadOnly()
    assert editor.new_version_button.isVisible()

    # A held voortgangsgesprek is recorded on the adopted PIP without a new version.
    date_field = editor.progress_panel.meeting_date
    qtbot.keyClicks(date_field, "2026-12-01")
    click(qtbot, editor, "pipRecordMeeting")
    assert "toekomst" in message(editor)
    date_field.clear()
    qtbot.keyClicks(date_field, "2026-09-01")
    click(qtbot, editor, "pipRecordMeeting")
    assert message(editor) == "" and editor.progress_panel.meetings_label.text() == "01-09-2026"
    assert "Voortgangsgesprek: 01-12-2026" in editor.deadline_label.text()
    assert "-" not in editor.deadline_label.text().split("(")[1][:2]  # never "-12 dagen"
    editor.new_version(ChangeReason.SCHAKELEN)
    assert "18 maanden" in message(editor)
    assert editor.snapshot is not None and editor.snapshot.number == 1
    editor.new_version(ChangeReason.AFSCHALEN, "Schrijven blijft moeilijk")
    assert message(editor) == ""
    assert editor.snapshot is not None and editor.snapshot.number == 2
    assert not goal.isReadOnly()
    versions = find(editor, QComboBox, "pipVersions")
    assert isinstance(versions, QComboBox) and versions.count() == 2
    editor.close()


def test_prefill_from_an_intake_concluded_by_the_intake_service(
    qtbot: QtBot, profile: Profile, synchronous_tasks: None
) -> None:
    """The intake engineer's own code concludes the intake (its demo filler), the PIP reads it."""
    import random

    from sqlalchemy import select

    from app.services.intake.demo import fill_demo_intake

    store = profile.store()
    concluded: tuple[uuid.UUID, str] | None = None
    for seed in range(30):
        with store.session(actor="km.jansen") as session:
            client = Client(
                v_nummer=f"77777777{seed:02d}",
                family_name="Haddad",
                given_names="Rania",
                birth_date="1990-05",
                languages=["ar"],
                document_language="ar",
                target_group=TargetGroup.ASIEL.value,
            )
            session.add(client)
            session.add(Case(client=client, municipality="Utrecht", huisvestingsdatum=dt.date(2025, 1, 20)))
            session.flush()
            fill_demo_intake(session, client, random.Random(seed), TODAY)
            session.flush()
            intake = session.scalars(select(Intake).where(Intake.client_id == client.id)).first()
            if intake is not None and intake.status == IntakeStatus.CONCLUDED.value and intake.advised_route:
                concluded = (client.id, intake.advised_route)
                break
    assert concluded is not None, "the intake demo filler concluded no intake in 30 tries"
    client_id, advised = concluded
    editor = open_pip_editor(profile, client_id, today=lambda: TODAY)
    qtbot.addWidget(editor)
    assert editor.snapshot is not None and editor.snapshot.advised_route is not None
    assert editor.snapshot.advised_route.value == advised
    assert editor.advice_text.text().strip() != ""
    route = find(editor, QComboBox, "pipRoute")
    assert isinstance(route, QComboBox) and route.currentData() == advised

    # Choosing another route than advised asks for an onderbouwing; undo restores the advice.
    other = next(route.itemData(i) for i in range(1, route.count()) if route.itemData(i) != advised)
    route.setCurrentIndex(route.findData(other))
    assert "onderbouwing is verplicht" in editor.deviation_hint.text()
    type_into(qtbot, editor, "pipText_einddoel", "Einddoel")
    click(qtbot, editor, "pipAction_bespreken")
    assert "onderbouwing" in message(editor)
    editor.undo_stack.undo()  # the typing
    editor.undo_stack.undo()  # the route
    assert route.currentData() == advised and editor.deviation_hint.text() == ""
    editor.flush()
    assert editor.save_label.text().startswith("Opgeslagen") and message(editor) == ""
    saved = PipService(store, "controle", Role.KLANTMANAGER).current(client_id, TODAY)
    assert saved is not None and saved.values["leerroute"] == advised
    editor.close()


def test_gezinsmigrant_sees_no_ontzorgen_or_maatschappelijke_begeleiding(
    qtbot: QtBot, profile: Profile, synchronous_tasks: None
) -> None:
    with profile.store().session(actor="km") as session:
        client = Client(
            v_nummer="8888888888",
            family_name="Yılmaz",
            given_names="Ayşe",
            birth_date="1994-03-02",
            languages=["tr"],
            document_language="tr",
            target_group=TargetGroup.GEZINSMIGRANT.value,
        )
        session.add(client)
        session.add(Case(client=client, municipality="Utrecht", huisvestingsdatum=dt.date(2025, 2, 1)))
        session.flush()
        client_id = client.id
    editor = open_pip_editor(profile, client_id, today=lambda: TODAY)
    qtbot.addWidget(editor)
    check = find(editor, QCheckBox, "pipMaatschappelijk")
    ontzorgen = find(editor, QCheckBox, "pipOntzorgen")
    assert isinstance(check, QCheckBox) and isinstance(ontzorgen, QCheckBox)
    assert not check.isVisibleTo(editor) and not ontzorgen.isVisibleTo(editor)
    assert "Turks" in editor.notes[next(iter(editor.notes))].text()
    editor.close()


def test_opening_the_same_pip_twice_returns_the_open_window(
    qtbot: QtBot, profile: Profile, synchronous_tasks: None
) -> None:
    client_id = client_with_concluded_intake(profile.store())
    first = open_pip_editor(profile, client_id, today=lambda: TODAY)
    qtbot.addWidget(first)
    assert open_pip_editor(profile, client_id, today=lambda: TODAY) is first
    assert "Rania Haddad" in first.windowTitle()
    first.close()
    second = open_pip_editor(profile, client_id, today=lambda: TODAY)
    qtbot.addWidget(second)
    assert second is not first
    second.close()


def test_on_the_real_database_worker_closing_waits_for_the_save(qtbot: QtBot, profile: Profile) -> None:
    """No synchronous pool: the window fills when the load comes back, and what was typed just
    before closing is on disk when the window is gone."""
    client_id = client_with_concluded_intake(profile.store())
    editor = open_pip_editor(profile, client_id, today=lambda: TODAY)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.snapshot is not None, timeout=5000)
    assert "Rania Haddad" in editor.windowTitle()
    type_into(qtbot, editor, "pipText_einddoel", "Werk in de zorg")
    assert editor.pending  # the autosave's delay has not passed yet
    editor.close()
    saved = PipService(profile.store(), "controle", Role.KLANTMANAGER).current(client_id, TODAY)
    assert saved is not None and saved.values["text.einddoel"] == "Werk in de zorg"


def test_duaal_is_offered_only_in_the_b1_route(
    qtbot: QtBot, profile: Profile, synchronous_tasks: None
) -> None:
    client_id = client_with_concluded_intake(profile.store())
    editor = open_pip_editor(profile, client_id, today=lambda: TODAY)
    qtbot.addWidget(editor)
    duaal = find(editor, QPlainTextEdit, "pipText_duaal")
    route = find(editor, QComboBox, "pipRoute")
    assert isinstance(duaal, QPlainTextEdit) and isinstance(route, QComboBox)
    assert route.currentData() == "b1" and duaal.isVisibleTo(editor)  # the intake chose B1
    route.setCurrentIndex(route.findData("z"))
    assert not duaal.isVisibleTo(editor)
    route.setCurrentIndex(route.findData("b1"))
    assert duaal.isVisibleTo(editor)
    type_into(qtbot, editor, "pipText_duaal", "Taalles en werk bij de bakker")
    route.setCurrentIndex(route.findData("onderwijs"))
    assert duaal.isVisibleTo(editor)  # what was typed is not hidden away
    editor.close()


def test_the_interpreter_of_the_intake_is_prefilled(
    qtbot: QtBot, profile: Profile, synchronous_tasks: None
) -> None:
    """The latest intake conversation with an interpreter gives the PIP's "Tolk aanwezig", name and
    register number; a later conversation without one does not erase it."""
    from PySide6.QtWidgets import QLineEdit

    from app.models.intake import IntakeSession

    client_id = client_with_concluded_intake(profile.store())
    with profile.store().session(actor="km.jansen") as session:
        intake = session.query(Intake).filter_by(client_id=client_id).one()
        session.add_all(
            [
                IntakeSession(intake=intake, held_on=dt.date(2024, 12, 2), place="azc", interpreter_kind="tolk",
                              interpreter_language="ar", interpreter_name="Samira Tolk", interpreter_register="111111"),
                IntakeSession(intake=intake, held_on=dt.date(2025, 1, 14), place="azc", interpreter_kind="tolk",
                              interpreter_language="ar", interpreter_name="Youssef Tolk", interpreter_register="222222"),
                IntakeSession(intake=intake, held_on=dt.date(2025, 2, 10), place="gemeente", interpreter_kind="geen"),
            ]
        )  # fmt: skip
    editor = open_pip_editor(profile, client_id, today=lambda: TODAY)
    qtbot.addWidget(editor)
    present = find(editor, QCheckBox, "pipInterpreterPresent")
    name = find(editor, QLineEdit, "pipInterpreterName")
    register = find(editor, QLineEdit, "pipInterpreterRegister")
    assert isinstance(present, QCheckBox) and isinstance(name, QLineEdit) and isinstance(register, QLineEdit)
    assert present.isChecked()
    assert name.text() == "Youssef Tolk" and register.text() == "222222"
    assert find(editor, QCheckBox, "pipSignedInterpreter").isVisibleTo(editor)  # type: ignore[attr-defined]
    editor.close()


def test_the_section_list_marks_what_is_missing_in_words(
    qtbot: QtBot, profile: Profile, synchronous_tasks: None
) -> None:
    from PySide6.QtWidgets import QListWidget

    client_id = client_with_concluded_intake(profile.store())
    editor = open_pip_editor(profile, client_id, today=lambda: TODAY)
    qtbot.addWidget(editor)
    editor.resize(1200, 700)
    editor.show()
    parts = find(editor, QListWidget, "pipSections")
    assert isinstance(parts, QListWidget)

    def texts() -> dict[str, tuple[str, str]]:
        shown = {}
        for row in range(parts.count()):
            item = parts.item(row)
            if not item.isHidden():
                shown[item.data(Qt.ItemDataRole.UserRole)] = (item.text(), item.toolTip())
        return shown

    fresh = texts()
    assert fresh["progress"][0].startswith("•") and "de taalschool" in fresh["progress"][1]
    assert fresh["map_pvt"][0].startswith("•") and "PVT" in fresh["map_pvt"][1]
    assert "ontzorgen" in fresh  # an asylum statushouder's PIP has the part
    # Filled in (through the service, as another session would): every part is complete.
    drafted = PipService(profile.store(), "km", Role.KLANTMANAGER).current(client_id, TODAY)
    assert drafted is not None
    from app.services.pip import TextPart, text_key

    complete = {**COMPLETE_PARTS, text_key(TextPart.FINAL_GOAL): "Nederlands op B1 en werk in de zorg"}
    PipService(profile.store(), "km", Role.KLANTMANAGER).save(drafted.version_id, complete, TODAY)
    editor.close()
    editor = open_pip_editor(profile, client_id, today=lambda: TODAY)
    qtbot.addWidget(editor)
    editor.resize(1200, 700)
    editor.show()
    parts = find(editor, QListWidget, "pipSections")
    assert isinstance(parts, QListWidget)
    done = texts()
    assert all(text.startswith("✓") for key, (text, _tip) in done.items() if key != "signing"), done
    # Choosing a part brings it into view.
    scroll = editor.findChild(QScrollArea)
    assert isinstance(scroll, QScrollArea)
    parts.setCurrentRow(parts.count() - 1)
    QApplication.processEvents()
    assert scroll.verticalScrollBar().value() > 0
    editor.close()
