"""Issue 16, accessibility: every input of every window has an accessible description (what a
screen reader says after the name: what to enter and in which form) that is not the name again,
read through Qt's accessibility API. Inputs are what a person types in, chooses or ticks: text
fields, spin boxes, combo boxes, check boxes and radio buttons, lists and tables, and the app's own
focusable fields (the scale); a push button's text is its name and says what it does.

Every window: the caseload (klantmanager and supervisor, every tab), every page of the intake, the
PIP editor, the "Ontheffing en bezwaar" dialog, the first-run wizard (every page), the municipal settings, the review screen and
interpreter mode, the supervisor's reason and device dialogs, the figures, the lock screen and the
unlock passphrase dialog. No exceptions."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from builders import MakeProfile, add_client_with_case, draft_pip_with
from open_windows import accessible_text, shown_intake, shown_pip_editor
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTextEdit,
    QWidget,
)

from app.domain.enums import Role
from app.forms import FieldType, default_registry
from app.forms.describe import describe_field
from app.i18n import set_ui_language
from app.services.demo import add_demo_clients
from app.services.profile import Profile
from app.services.review import TranslationReviewService
from app.services.session_lock import LockService
from app.services.supervisor import DeviceInfo
from app.ui.application import open_main_window
from app.ui.figures import open_figures
from app.ui.first_run import FirstRunWizard
from app.ui.lock import ChooseUnlockPassphrase, LockScreen
from app.ui.review import InterpreterModeWindow, ReviewWindow
from app.ui.settings import SettingsDialog
from app.ui.supervisor.dialogs import DeviceDialog, ReasonDialog

INPUTS = (
    QLineEdit,
    QAbstractSpinBox,
    QComboBox,
    QPlainTextEdit,
    QTextEdit,
    QCheckBox,
    QRadioButton,
    QAbstractItemView,
)


def is_input(widget: QWidget, root: QWidget) -> bool:
    """An input a person reaches; not the parts Qt builds inside one (a combo box's popup list, a
    table's header, the line edit of a spin box or combo box)."""
    if widget.objectName().startswith("qt_") or widget.window() is not root.window():
        return False
    if isinstance(widget, QHeaderView) or isinstance(
        widget.parentWidget(), QLineEdit | QComboBox | QAbstractSpinBox
    ):
        return False
    if isinstance(widget, INPUTS):
        return True
    # The app's own focusable fields (the intake's scale): not a button, but reached by Tab.
    own = type(widget).__module__.startswith("app.")
    return (
        own
        and not isinstance(widget, QAbstractButton)
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
    )


def undescribed(root: QWidget) -> list[str]:
    """Every input without a description, or whose description only repeats its name."""
    found = []
    for widget in root.findChildren(QWidget):
        if not is_input(widget, root):
            continue
        name = accessible_text(widget, QAccessible.Text.Name)
        description = accessible_text(widget, QAccessible.Text.Description)
        if not description or description.casefold() == name.casefold():
            found.append(f"{type(widget).__name__} {widget.objectName() or '?'} '{name}': '{description}'")
    return sorted(found)


def inputs_in(root: QWidget) -> int:
    return sum(is_input(w, root) for w in root.findChildren(QWidget))


@pytest.fixture(autouse=True)
def dutch() -> None:
    set_ui_language("nl")


def test_form_fields_are_described_from_their_definition_in_both_languages() -> None:
    definition = default_registry().latest()
    fields = [f for f in definition.fields()] + [s for f in definition.fields() for s in f.fields]
    for language in ("nl", "en"):
        set_ui_language(language)
        for item in fields:
            text = describe_field(item)
            assert text and text.casefold() != item.label.casefold(), item.id
    set_ui_language("nl")
    date = next(f for f in fields if f.type is FieldType.DATE and f.partial)
    assert "25-07-1997" in describe_field(date) and "deels bekende datum" in describe_field(date)
    required = next(f for f in fields if f.required)
    assert describe_field(required).startswith("Verplicht.")
    helped = next(f for f in fields if f.help)
    from app.forms import form_text

    assert form_text(helped.help) in describe_field(helped)
    set_ui_language("en")
    assert describe_field(date).startswith("Required.") or describe_field(date).startswith("May be left")
    assert "day-month-year" in describe_field(date)


def test_the_klantmanager_caseload_window(qtbot, profile: Profile, synchronous_tasks: None) -> None:
    with profile.store().session(actor="coa-import") as session:
        add_client_with_case(session, "1234567890")
    window = open_main_window(profile)
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    window.table.selectRow(0)
    assert inputs_in(window) >= 3
    assert undescribed(window) == []


def test_every_page_of_the_intake(qtbot, profile: Profile, synchronous_tasks: None) -> None:
    screen = shown_intake(qtbot, profile)
    for row in range(screen.nav.count()):
        screen.nav.setCurrentRow(row)  # pages are built when first shown
    # An entry of each group too: its fields are described like the others.
    from app.ui.intake.editors import GroupEditor

    for group in screen.findChildren(GroupEditor):
        group.add_entry(focus=False)
    assert inputs_in(screen) > 50
    assert undescribed(screen) == []


def test_a_problem_is_said_before_the_description_and_the_description_comes_back(
    qtbot, profile: Profile, synchronous_tasks: None
) -> None:
    from app.ui.intake.section_page import FieldRow

    screen = shown_intake(qtbot, profile)
    screen.jump_to("identiteit", "geboortedatum")
    row = next(r for r in screen.findChildren(FieldRow) if r.item.id == "geboortedatum")
    target = row.editor.focus_widget()
    row.show_problem("Dit is geen datum.")
    assert target.accessibleDescription().startswith("Fout: Dit is geen datum.")
    assert describe_field(row.item) in target.accessibleDescription()
    row.show_problem(None)
    assert target.accessibleDescription() == describe_field(row.item)


def test_the_pip_editor(qtbot, profile: Profile, synchronous_tasks: None) -> None:
    editor = shown_pip_editor(qtbot, profile)
    # An agreement's status is chosen in the table, a combo box per row.
    editor.agreements.set_value([{"id": "1", "what": {"nl": "Taalschool"}, "who": "", "status": "open"}])
    assert inputs_in(editor) > 30
    assert undescribed(editor) == []


def test_the_exemption_and_objection_dialog(qtbot, profile: Profile, synchronous_tasks: None) -> None:
    from open_windows import shown_term_records

    dialog = shown_term_records(qtbot, profile)
    assert inputs_in(dialog) >= 11  # two lists, two combo boxes, five check boxes, dates, a text
    assert undescribed(dialog) == []


def test_every_page_of_the_first_run_wizard_and_the_settings(qtbot, profile: Profile, tmp_path) -> None:
    wizard = FirstRunWizard(tmp_path / "nieuw", None, lambda _new: "")
    qtbot.addWidget(wizard)
    wizard.show()
    assert len(wizard.pageIds()) >= 4 and inputs_in(wizard) >= 8
    assert undescribed(wizard) == []
    settings = SettingsDialog(profile)
    qtbot.addWidget(settings)
    assert inputs_in(settings) == 7
    assert undescribed(settings) == []


def test_the_review_screen_and_interpreter_mode(qtbot, profile: Profile, synchronous_tasks: None) -> None:
    with profile.store().session(actor="coa-import") as session:
        client_id: uuid.UUID = add_client_with_case(session, "1234567890", language="ar").id
    draft_pip_with(profile, client_id, {"text.einddoel": "Werk in de zorg"}, dt.date.today())
    service = TranslationReviewService.for_profile(profile)
    for window in (ReviewWindow(service, client_id), InterpreterModeWindow(service, client_id)):
        qtbot.addWidget(window)
        window.show()
        assert inputs_in(window) >= 2
        assert undescribed(window) == []


def test_every_tab_of_the_supervisor_window_its_dialogs_and_the_figures(
    qtbot, make_profile: MakeProfile, synchronous_tasks: None
) -> None:
    supervisor = make_profile(role=Role.SUPERVISOR, user_name="sam")
    with supervisor.store().session(supervisor.actor, supervisor.settings.role) as session:
        add_demo_clients(session, 20, seed=3, municipality="Utrecht", klantmanager="karin")
    window = open_main_window(supervisor)
    qtbot.addWidget(window)
    window.show()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
    assert inputs_in(window) >= 6
    assert undescribed(window) == []
    reason = ReasonDialog(window, "Terugsturen", "Waarom?", "Terugsturen", lambda _reason: None)
    device = DeviceDialog(window, [DeviceInfo("b", "Laptop Piet", "1234 5678 9012")], "a", lambda _id: None)
    for dialog in (reason, device):
        assert inputs_in(dialog) == 1
        assert undescribed(dialog) == []
        dialog.reject()
    figures = open_figures(supervisor, window)
    for index in range(figures.tabs.count()):
        figures.tabs.setCurrentIndex(index)
    assert inputs_in(figures) >= 3
    assert undescribed(figures) == []


def test_the_lock_screen_and_the_unlock_passphrase(qtbot, profile: Profile) -> None:
    service = LockService.for_profile(profile)
    for window in (LockScreen(service), ChooseUnlockPassphrase(service)):
        qtbot.addWidget(window)
        assert inputs_in(window) >= 1
        assert undescribed(window) == []


def test_the_one_line_questions_the_sync_target_and_your_name(qtbot, profile: Profile) -> None:
    """The questions Wegwijs asks in a small dialog: the sync target (modal, answered from the event
    loop as a person would) and the klantmanager's own name."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog

    from app.ui.person_name import ask_person_name_once
    from app.ui.sync_status import ask_sync_target

    found: list[list[str]] = []

    def look_and_cancel() -> None:
        dialog = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, QInputDialog) and w.isVisible()
        )
        found.append(undescribed(dialog) if inputs_in(dialog) == 1 else ["no field"])
        dialog.reject()

    QTimer.singleShot(200, look_and_cancel)
    parent = QWidget()
    qtbot.addWidget(parent)
    ask_sync_target(parent, profile, current="")
    assert found == [[]]
    profile.settings.person_name = ""  # the question is asked only without a name
    dialog = ask_person_name_once(profile, parent)
    assert dialog is not None and inputs_in(dialog) == 1
    assert undescribed(dialog) == []
    dialog.reject()


def test_the_import_dialog_of_an_interpreters_file(qtbot, profile: Profile, tmp_path) -> None:
    import io

    from babel.messages.pofile import read_po

    from app.i18n.review_layer import custom_headers, po_bytes
    from app.services.review_exchange import export_po, read_import
    from app.ui.review.exchange import ImportDialog

    with profile.store().session(actor="coa-import") as session:
        client_id: uuid.UUID = add_client_with_case(session, "1234567890", language="ar").id
    draft_pip_with(profile, client_id, {"text.einddoel": "Werk in de zorg"}, dt.date.today())
    service = TranslationReviewService.for_profile(profile)
    data = export_po(service, client_id, tmp_path).read_bytes()
    catalog = read_po(io.BytesIO(data))
    for message in catalog:
        if message.context == "einddoel":
            message.string = "العمل في الرعاية"
    dialog = ImportDialog(read_import(service, client_id, po_bytes(catalog, custom_headers(data))))
    qtbot.addWidget(dialog)
    assert inputs_in(dialog) >= 2
    assert undescribed(dialog) == []
