"""Windows that fit the screen a klantmanager has (1366×768 with a taskbar, 1920×1080 at 150 %):
pages that scroll instead of pushing the window past the screen, sizes bounded by the available
screen, and each window's geometry remembered (QSettings) under its own key."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QFrame, QScrollArea, QSizePolicy, QStackedWidget, QWidget

SETTINGS_ORGANISATION = "Wegwijs"
SETTINGS_APPLICATION = "Wegwijs"


def scrolling(widget: QWidget, object_name: str) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setObjectName(object_name)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(widget)
    return scroll


def size_by_current_page(stack: QStackedWidget) -> None:
    """A stack as large as its current page only (Qt's takes the largest page): a page that scrolls
    itself then does not also get the outer scroll bar a tall page next to it needs."""

    def follow(_index: int) -> None:
        current = stack.currentWidget()
        for index in range(stack.count()):
            page = stack.widget(index)
            if page is None:
                continue
            policy = QSizePolicy.Policy.Preferred if page is current else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
            page.updateGeometry()
        stack.updateGeometry()

    stack.currentChanged.connect(follow)


def _settings() -> QSettings:
    return QSettings(SETTINGS_ORGANISATION, SETTINGS_APPLICATION)


def fit_to_screen(window: QWidget, key: str, width: int, height: int) -> None:
    """The remembered geometry of `key`, else `width`×`height`; never larger than the screen."""
    saved = _settings().value(f"geometry/{key}")
    if isinstance(saved, QByteArray) and not saved.isEmpty() and window.restoreGeometry(saved):
        pass
    else:
        window.resize(width, height)
    screen = window.screen()
    if screen is None:
        return
    available = screen.availableGeometry()
    window.resize(min(window.width(), available.width()), min(window.height(), available.height()))


def remember_geometry(window: QWidget, key: str) -> None:
    _settings().setValue(f"geometry/{key}", window.saveGeometry())
