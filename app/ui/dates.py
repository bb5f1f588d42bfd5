"""Dates in the interface: typed the Dutch way or as ISO, shown one way (25-07-1997, 07-1997, 1997),
with a calendar to pick from (the button, or Alt+Down in the field)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QToolButton, QWidget

from app.domain.dates import InvalidDate, PartialDate
from app.i18n import _

DATE_PLACEHOLDER = "DD-MM-JJJJ"


def show_date(value: dt.date | str | None) -> str:
    """A stored date (date, or 'YYYY[-MM[-DD]]') as the interface shows it; other text as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    try:
        return PartialDate.parse(value).dutch()
    except InvalidDate:
        return value


def typed_to_stored(text: str) -> str:
    """What was typed, as stored (ISO) when it is a date; otherwise as typed, to be flagged."""
    try:
        return str(PartialDate.parse_typed(text))
    except InvalidDate:
        return text


def placeholder(partial: bool) -> str:
    return _("DD-MM-JJJJ, MM-JJJJ of JJJJ") if partial else _("DD-MM-JJJJ")


def calendar_icon(ink: QColor, size: int = 16) -> QIcon:
    """A small calendar page: a frame, a bar on top and two rows of days."""
    pixmap = QPixmap(size * 2, size * 2)  # drawn at twice the size: sharp at 150 % too
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QPen(ink, 2))
    painter.drawRect(3, 5, 26, 24)
    painter.fillRect(3, 5, 27, 7, ink)
    for row in (16, 23):
        for column in (8, 15, 22):
            painter.fillRect(column, row, 3, 3, ink)
    painter.end()
    return QIcon(pixmap)


class CalendarButton(QToolButton):
    """A calendar beside a date field. Out of the tab order: in the field, Alt+Down opens it."""

    def __init__(self, edit: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = edit
        self.setObjectName(f"{edit.objectName()}Calendar")
        # Drawn, not the 📅 emoji: a computer without an emoji font showed an empty box.
        self.setIcon(calendar_icon(self.palette().color(QPalette.ColorRole.ButtonText)))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setToolTip(_("Kies een datum in de kalender (Alt+Omlaag)"))
        self.setAccessibleName(_("Kalender"))
        self.calendar = QCalendarWidget()
        self.calendar.setWindowFlags(Qt.WindowType.Popup)
        self.calendar.setObjectName("datePicker")
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.activated.connect(self._chosen)
        self.calendar.clicked.connect(self._chosen)
        self.clicked.connect(self.open_calendar)
        edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (
            watched is self.edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            self.open_calendar()
            return True
        return super().eventFilter(watched, event)

    def open_calendar(self) -> None:
        try:
            current = PartialDate.parse_typed(self.edit.text()).earliest()
        except InvalidDate:
            current = dt.date.today()
        self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        corner = self.edit.mapToGlobal(self.edit.rect().bottomLeft())
        self.calendar.move(corner)
        self.calendar.show()
        self.calendar.setFocus()

    def _chosen(self, date: QDate) -> None:
        self.calendar.hide()
        self.edit.setText(dt.date(date.year(), date.month(), date.day()).strftime("%d-%m-%Y"))
        self.edit.setFocus()
