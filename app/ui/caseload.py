"""The caseload: a table model over service rows, and a proxy that filters as you type."""

from __future__ import annotations

import unicodedata
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.domain.deadlines import DeadlineState
from app.i18n import N_, _
from app.services.caseload import CaseloadRow
from app.services.pip import CaseloadView, matches_view

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CLIENT_ID_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = [
    N_("V-nummer"),
    N_("Naam"),
    N_("Naam (oorspronkelijk schrift)"),
    N_("Geboortedatum"),
    N_("COA-locatie"),
    N_("Status"),
    N_("Leerroute"),
    N_("Volgende termijn"),
    N_("Dagen"),
]
(
    COL_V_NUMMER,
    COL_NAME,
    COL_ORIGINAL,
    COL_BIRTH,
    COL_LOCATION,
    COL_STATUS,
    COL_ROUTE,
    COL_DEADLINE,
    COL_DAYS,
) = range(len(COLUMNS))

# Marked by text and a symbol as well as colour, so nothing depends on seeing colour.
_STATE_MARK = {DeadlineState.TE_LAAT: "⚠ ", DeadlineState.BINNENKORT: "⏳ ", DeadlineState.OP_TIJD: ""}
_STATE_COLOUR = {DeadlineState.TE_LAAT: QColor("#fde2e1"), DeadlineState.BINNENKORT: QColor("#fff4d6")}

_Index = QModelIndex | QPersistentModelIndex


def search_key(text: str) -> str:
    """Case- and accent-insensitive: 'Şêrko' is found by 'serko', Arabic without its vowel marks."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class CaseloadModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[CaseloadRow] = []
        self._keys: list[str] = []

    def set_rows(self, rows: list[CaseloadRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._keys = [
            search_key(" ".join((r.name, r.name_original, r.v_nummer, r.coa_location))) for r in rows
        ]
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """One Python sort over precomputed keys: far cheaper than a proxy comparing through data()."""
        self.layoutAboutToBeChanged.emit()
        keys = [self._sort_value(row, column) for row in self._rows]
        new_order = sorted(
            range(len(self._rows)), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder
        )
        position = {old: new for new, old in enumerate(new_order)}
        self._rows = [self._rows[i] for i in new_order]
        self._keys = [self._keys[i] for i in new_order]
        previous = self.persistentIndexList()
        self.changePersistentIndexList(
            previous, [self.index(position[index.row()], index.column()) for index in previous]
        )
        self.layoutChanged.emit()

    def row_at(self, row: int) -> CaseloadRow:
        return self._rows[row]

    def search_key_at(self, row: int) -> str:
        return self._keys[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_value(row, column)
        if role == CLIENT_ID_ROLE:
            return str(row.client_id)
        deadline = row.next_deadline
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and deadline is not None
            and deadline.state in _STATE_COLOUR
        ):
            return QBrush(_STATE_COLOUR[deadline.state])
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_DAYS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and deadline is not None
            and column in (COL_DEADLINE, COL_DAYS)
        ):
            return f"{deadline.deadline.label}: {deadline.due.isoformat()} ({deadline.state_label})"
        return None

    @staticmethod
    def _display(row: CaseloadRow, column: int) -> str:
        deadline = row.next_deadline
        if column == COL_V_NUMMER:
            return row.v_nummer
        if column == COL_NAME:
            return row.name
        if column == COL_ORIGINAL:
            return row.name_original
        if column == COL_BIRTH:
            return row.birth_date
        if column == COL_LOCATION:
            return row.coa_location
        if column == COL_STATUS:
            return row.status
        if column == COL_ROUTE:
            return row.leerroute
        if column == COL_DEADLINE:
            if deadline is None:
                return ""
            return (
                f"{_STATE_MARK[deadline.state]}{deadline.deadline.label} {deadline.due.strftime('%d-%m-%Y')}"
            )
        if column == COL_DAYS:
            if deadline is None:
                return ""
            if deadline.days_left < 0:
                return _("{days} te laat").format(days=-deadline.days_left)
            return str(deadline.days_left)
        return ""

    @staticmethod
    def _sort_value(row: CaseloadRow, column: int) -> Any:
        deadline = row.next_deadline
        if column in (COL_DEADLINE, COL_DAYS):
            # Clients without a deadline sort after every dated one.
            return deadline.days_left if deadline is not None else 10**9
        return search_key(CaseloadModel._display(row, column))


class CaseloadFilter(QSortFilterProxyModel):
    """Filters on name (both scripts), V-nummer and COA location; the text is matched per word."""

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []
        # The caseload view (mijn cliënten, te laat, ...) and whose clients are "mine".
        self.view = CaseloadView.ALLE
        self.user = ""
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The source model sorts itself; this proxy only filters and keeps the source order.
        self.sort_column, self.sort_order = column, order
        model = self.sourceModel()
        if column >= 0 and isinstance(model, CaseloadModel):
            model.sort(column, order)

    def resort(self) -> None:
        self.sort(self.sort_column, self.sort_order)

    def set_search_text(self, text: str) -> None:
        words = search_key(text).split()
        if words == self._words:
            return
        self.beginFilterChange()
        self._words = words
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_view(self, view: CaseloadView, user: str) -> None:
        if (view, user) == (self.view, self.user):
            return
        self.beginFilterChange()
        self.view, self.user = view, user
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, CaseloadModel)
        if self.view is not CaseloadView.ALLE:
            row = model.row_at(source_row)
            if not matches_view(self.view, row.flags, row.klantmanager, self.user):
                return False
        if not self._words:
            return True
        key = model.search_key_at(source_row)
        return all(word in key for word in self._words)
