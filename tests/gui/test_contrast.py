"""Issue 16, accessibility: enough contrast, measured with WCAG 2.1's relative luminance and contrast
ratio (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio): 4.5:1 for normal text, 3:1 for large
text (18 pt, or 14 pt bold) and for the parts of a chart. The colours are read from what the app
shows: the caseload model's BackgroundRole/ForegroundRole of a late, a due-soon and an on-time row,
the selection, the intake's section markers, the supervisor's late deadlines, every widget with a
style sheet in the main windows (as Qt applied it to the widget's palette), the colours inside the
intake's overview, and the figures' bars. And the demo caseload is not one colour: every state
shows, none on nearly every row."""

from __future__ import annotations

from collections import Counter

import pytest
from builders import MakeProfile
from open_windows import shown_intake, shown_pip_editor
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.deadlines import DeadlineState
from app.domain.enums import Role
from app.i18n import set_ui_language
from app.services.demo import add_demo_clients
from app.services.profile import Profile
from app.ui.application import open_main_window
from app.ui.caseload import COL_DAYS
from app.ui.figures import BAD, GOOD, NEUTRAL
from app.ui.intake.states import OVERVIEW_KEY

NORMAL, LARGE = 4.5, 3.0


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_formula_gives_the_known_ratios() -> None:
    assert contrast(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)
    assert contrast(QColor("#767676"), QColor("white")) == pytest.approx(4.54, abs=0.01)


def colour(value: object, fallback: QColor) -> QColor:
    if isinstance(value, QBrush):
        return value.color()
    if isinstance(value, QColor):
        return value
    return fallback


def is_large(widget: QWidget) -> bool:
    font = widget.font()
    points = font.pointSizeF()
    return points >= 18 or (points >= 14 and font.bold()) or (points >= 14 and font.weight() >= 600)


def styled_pairs(root: QWidget) -> list[tuple[str, float, float]]:
    """(widget, ratio, needed) for every widget with its own style sheet, as Qt applied it."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.styleSheet():
            continue
        widget.ensurePolished()
        palette = widget.palette()
        ratio = contrast(palette.color(widget.foregroundRole()), palette.color(widget.backgroundRole()))
        found.append(
            (f"{type(widget).__name__} {widget.objectName()}", ratio, LARGE if is_large(widget) else NORMAL)
        )
    return found


@pytest.fixture(autouse=True)
def dutch() -> None:
    set_ui_language("nl")


@pytest.fixture
def demo_window(qtbot, make_profile: MakeProfile, synchronous_tasks: None):  # type: ignore[no-untyped-def]
    profile = make_profile(user_name="klantmanager1")
    with profile.store().session(profile.actor, profile.settings.role) as session:
        add_demo_clients(session, 60, seed=3, municipality="Voorbeeldstad", klantmanager="klantmanager1")
    window = open_main_window(profile)
    qtbot.addWidget(window)
    window.show()
    window.refresh()
    return window


def rows_by_state(window) -> dict[DeadlineState | None, list[int]]:  # type: ignore[no-untyped-def]
    found: dict[DeadlineState | None, list[int]] = {}
    for row in range(window.model.rowCount()):
        deadline = window.model.row_at(row).next_deadline
        found.setdefault(deadline.state if deadline else None, []).append(row)
    return found


def test_late_soon_and_on_time_rows_and_the_selection_have_enough_contrast(demo_window) -> None:
    window = demo_window
    palette = window.table.palette()
    states = rows_by_state(window)
    assert {DeadlineState.TE_LAAT, DeadlineState.BINNENKORT, DeadlineState.OP_TIJD} <= states.keys()
    backgrounds = {}
    for state in (DeadlineState.TE_LAAT, DeadlineState.BINNENKORT, DeadlineState.OP_TIJD):
        index = window.model.index(states[state][0], COL_DAYS)
        back = colour(
            window.model.data(index, Qt.ItemDataRole.BackgroundRole), palette.color(QPalette.ColorRole.Base)
        )
        fore = colour(
            window.model.data(index, Qt.ItemDataRole.ForegroundRole), palette.color(QPalette.ColorRole.Text)
        )
        assert contrast(fore, back) >= NORMAL, (state, fore.name(), back.name())
        backgrounds[state] = back
    # The three states look different (the words and marks say it too).
    assert len({c.name() for c in backgrounds.values()}) == 3
    alternate = palette.color(QPalette.ColorRole.AlternateBase)
    assert contrast(palette.color(QPalette.ColorRole.Text), alternate) >= NORMAL
    selected = contrast(
        palette.color(QPalette.ColorRole.HighlightedText), palette.color(QPalette.ColorRole.Highlight)
    )
    assert selected >= NORMAL, palette.color(QPalette.ColorRole.Highlight).name()


def test_the_demo_caseload_is_not_one_colour(demo_window) -> None:
    counts = Counter({state: len(rows) for state, rows in rows_by_state(demo_window).items()})
    total = sum(counts.values())
    assert (
        counts[DeadlineState.TE_LAAT] and counts[DeadlineState.BINNENKORT] and counts[DeadlineState.OP_TIJD]
    )
    assert max(counts.values()) <= 0.6 * total, counts


def test_the_caseload_window_and_its_style_sheets(demo_window) -> None:
    demo_window.table.selectRow(0)
    assert [p for p in styled_pairs(demo_window) if p[1] < p[2]] == []


def test_the_intake_markers_its_style_sheets_and_its_overview(
    qtbot, profile: Profile, synchronous_tasks: None
) -> None:
    screen = shown_intake(qtbot, profile)
    base = screen.nav.palette().color(QPalette.ColorRole.Base)
    for row in range(screen.nav.count()):
        screen.nav.setCurrentRow(row)
        item = screen.nav.item(row)
        fore = colour(
            item.data(Qt.ItemDataRole.ForegroundRole), screen.nav.palette().color(QPalette.ColorRole.Text)
        )
        assert contrast(fore, base) >= NORMAL, (item.text(), fore.name())
    assert [p for p in styled_pairs(screen) if p[1] < p[2]] == []
    screen.show_key(OVERVIEW_KEY)
    document = screen.overview_page.text.document()
    background = screen.overview_page.text.palette().color(QPalette.ColorRole.Base)
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            brush = fragment.charFormat().foreground()
            if brush.style() != Qt.BrushStyle.NoBrush:
                assert contrast(brush.color(), background) >= NORMAL, (fragment.text(), brush.color().name())
            fragments += 1
        block = block.next()


def test_the_supervisor_screens(qtbot, make_profile: MakeProfile, synchronous_tasks: None) -> None:
    from app.ui.supervisor.queue_screen import LATE_BRUSH

    supervisor = make_profile(role=Role.SUPERVISOR, user_name="sam")
    with supervisor.store().session(supervisor.actor, supervisor.settings.role) as session:
        add_demo_clients(session, 20, seed=3, municipality="Utrecht", klantmanager="karin")
    window = open_main_window(supervisor)
    qtbot.addWidget(window)
    window.show()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
    assert [p for p in styled_pairs(window) if p[1] < p[2]] == []
    queue = window.adoption_screen.waiting_view
    assert contrast(LATE_BRUSH.color(), queue.palette().color(QPalette.ColorRole.Base)) >= NORMAL


def test_the_pip_editor(qtbot, profile: Profile, synchronous_tasks: None) -> None:
    editor = shown_pip_editor(qtbot, profile)
    assert len(styled_pairs(editor)) >= 5
    assert [p for p in styled_pairs(editor) if p[1] < p[2]] == []


def test_the_figures_bars_stand_out_from_the_chart() -> None:
    white = QColor("white")
    for bar in (GOOD, BAD, NEUTRAL):
        assert contrast(bar, white) >= LARGE, bar.name()


def test_the_checked_scale_value() -> None:
    """The scale's chosen value: white on blue (its style sheet's :checked rule, as rendered)."""
    from app.forms import default_registry
    from app.forms.schema import FieldType
    from app.ui.intake.editors import ScaleEditor

    item = next(f for f in default_registry().latest().fields() if f.type is FieldType.SCALE)
    editor = ScaleEditor(item)
    editor.set_raw(3)
    editor.show()
    QApplication.processEvents()
    image = editor.buttons[3].grab().toImage()
    pixels = Counter(
        image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())
    )
    background = QColor(pixels.most_common(1)[0][0])
    strongest = max(contrast(QColor(name), background) for name in pixels)
    assert strongest >= NORMAL, background.name()
    editor.close()
