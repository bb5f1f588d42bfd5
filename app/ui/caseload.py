"""The caseload: a table model over service rows, and a proxy that filters as you type."""

from __future__ import annotations

import bisect
import functools
import unicodedata
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.domain.deadlines import DeadlineState
from app.i18n import N_, _, ngettext
from app.services.caseload_row import CaseloadRow
from app.services.caseload_views import CaseloadView, matches_view
from app.ui.dates import show_date

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

_STATE_BRUSH = {state: QBrush(colour) for state, colour in _STATE_COLOUR.items()}
_RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# Plain ints: a view asks several roles per visible cell, and comparing enums costs more.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_ROLES_ANSWERED = frozenset(
    {_DISPLAY, _BACKGROUND, _ALIGNMENT, _TOOLTIP, _ACCESSIBLE, int(SORT_ROLE), int(CLIENT_ID_ROLE)}
)

_CELL_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren

_Index = QModelIndex | QPersistentModelIndex


def search_key(text: str) -> str:
    """Case- and accent-insensitive: 'Şêrko' is found by 'serko', Arabic without its vowel marks."""
    if text.isascii():  # nothing to decompose, and casefold() is lower(): the same key, faster
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1 << 16)
def _folded(part: str) -> str:
    return search_key(part)


class CaseloadModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[CaseloadRow] = []
        self._keys: list[str] = []

    def set_rows(self, rows: list[CaseloadRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        # Folded per part and joined by spaces (a space ends any combining sequence, so this is the
        # key of the joined text); names and locations repeat, so each distinct part is folded once.
        self._keys = [
            f"{_folded(r.name)} {_folded(r.name_original)} {_folded(r.v_nummer)} {_folded(r.coa_location)}"
            for r in rows
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

    def search_keys(self) -> list[str]:
        """The folded search text of every row, in row order (computed once per fill)."""
        return self._keys

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
        return self.data_at(index.row(), index.column(), role)

    def data_at(self, row_number: int, column: int, role: int) -> Any:
        """data() by row and column: the filter calls this without making a source index per cell."""
        if role not in _ROLES_ANSWERED:
            return None  # most of what a view asks per cell (font, colour, check state, ...)
        row = self._rows[row_number]
        if role == _DISPLAY:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_value(row, column)
        if role == CLIENT_ID_ROLE:
            return str(row.client_id)
        deadline = row.next_deadline
        if role == _BACKGROUND:
            return _STATE_BRUSH.get(deadline.state) if deadline is not None else None
        if role == _ALIGNMENT:
            return _RIGHT_ALIGNED if column == COL_DAYS else None
        if role == _ACCESSIBLE:
            # A screen reader says the state in words, not the sign (⚠, ⏳) or the colour.
            if deadline is None or column not in (COL_DEADLINE, COL_DAYS):
                return None
            return f"{deadline.state_label}: {self._display(row, column).lstrip('⚠⏳ ')}"
        if deadline is not None and column in (COL_DEADLINE, COL_DAYS):  # the tooltip
            return f"{deadline.deadline.label}: {show_date(deadline.due)} ({deadline.state_label})"
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
            return show_date(row.birth_date)
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
                # "12 dagen te laat", never a bare or negative number (issue 16).
                return ngettext("{n} dag te laat", "{n} dagen te laat", -deadline.days_left).format(
                    n=-deadline.days_left
                )
            return ngettext("{n} dag", "{n} dagen", deadline.days_left).format(n=deadline.days_left)
        return ""

    @staticmethod
    def _sort_value(row: CaseloadRow, column: int) -> Any:
        deadline = row.next_deadline
        if column in (COL_DEADLINE, COL_DAYS):
            # Clients without a deadline sort after every dated one.
            return deadline.days_left if deadline is not None else 10**9
        return search_key(CaseloadModel._display(row, column))


class CaseloadFilter(QAbstractProxyModel):
    """Filters on name (both scripts), V-nummer and COA location; the text is matched per word.

    The proxy holds the list of accepted source rows (ascending, so in the source's sorted order)
    and the view asks it for rows by position: no Python callback per row per keystroke as in
    QSortFilterProxyModel. A text that only grows narrows the previous matches instead of scanning
    everything again, and the folded search text of each row is computed once, by the model.
    """

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []
        # The caseload view (mijn cliënten, te laat, ...) and whose clients are "mine".
        self.view = CaseloadView.ALLE
        self.user = ""
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._in_view: list[int] = []  # source rows that the view lets through
        self._accepted: list[int] = []  # of those, the rows that match every word
        self._held: list[tuple[QModelIndex, QPersistentModelIndex]] = []
        self._model = CaseloadModel()  # until setSourceModel

    # -- the source -----------------------------------------------------------------------------
    def setSourceModel(self, model: QAbstractItemModel) -> None:
        assert isinstance(model, CaseloadModel)
        self.beginResetModel()
        self._model = model
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.layoutAboutToBeChanged.connect(self._source_layout_about_to_change)
        model.layoutChanged.connect(self._source_layout_changed)
        model.dataChanged.connect(self._source_data_changed)
        model.headerDataChanged.connect(self.headerDataChanged)
        self._recompute_view()
        self.endResetModel()

    def _source(self) -> CaseloadModel:
        return self._model

    def _source_reset(self) -> None:
        self._recompute_view()
        self.endResetModel()

    def _source_layout_about_to_change(self) -> None:
        # The source sorts itself: remember where our persistent indexes point in it.
        self.layoutAboutToBeChanged.emit()
        self._held = [(index, QPersistentModelIndex(self.mapToSource(index))) for index in self._persistent()]

    def _source_layout_changed(self) -> None:
        self._recompute_view()
        held, self._held = self._held, []
        self.changePersistentIndexList(
            [proxy for proxy, _source in held],
            [self.mapFromSource(source) for _proxy, source in held],
        )
        self.layoutChanged.emit()

    def _source_data_changed(
        self, _top_left: QModelIndex, _bottom_right: QModelIndex, roles: Any = ()
    ) -> None:
        if self._accepted:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._accepted) - 1, self.columnCount() - 1), roles
            )

    def _persistent(self) -> list[QModelIndex]:
        return list(self.persistentIndexList())

    # -- filtering ------------------------------------------------------------------------------
    def _recompute_view(self) -> None:
        model = self._source()
        rows = range(model.rowCount())
        if self.view is CaseloadView.ALLE:
            self._in_view = list(rows)
        else:
            self._in_view = [
                i
                for i in rows
                if matches_view(self.view, model.row_at(i).flags, model.row_at(i).klantmanager, self.user)
            ]
        self._accepted = self._matching(self._in_view, self._words)

    def _matching(self, candidates: list[int], words: list[str]) -> list[int]:
        keys = self._source().search_keys()
        accepted = candidates
        for word in words:
            accepted = [i for i in accepted if word in keys[i]]
        return accepted

    def _change_accepted(self, accepted: list[int]) -> None:
        """Hand the view the new rows; selected rows that still match stay selected."""
        if accepted == self._accepted:
            return
        self.layoutAboutToBeChanged.emit()  # first: the selection model makes its persistent indexes here
        persistent = self._persistent()
        old = self._accepted
        self._accepted = accepted
        targets = []
        for index in persistent:
            source_row = old[index.row()] if 0 <= index.row() < len(old) else -1
            position = bisect.bisect_left(accepted, source_row)
            found = position < len(accepted) and accepted[position] == source_row
            targets.append(self.index(position, index.column()) if found else QModelIndex())
        self.changePersistentIndexList(persistent, targets)
        self.layoutChanged.emit()

    def set_search_text(self, text: str) -> None:
        words = search_key(text).split()
        if words == self._words:
            return
        previous, self._words = self._words, words
        # Every earlier word inside a new one: only the earlier matches can still match.
        narrowing = all(any(old in new for new in words) for old in previous)
        self._change_accepted(self._matching(self._accepted if narrowing else self._in_view, words))

    def set_view(self, view: CaseloadView, user: str) -> None:
        if (view, user) == (self.view, self.user):
            return
        self.view, self.user = view, user
        accepted = self._accepted
        self._recompute_view()
        self._accepted, accepted = accepted, self._accepted
        self._change_accepted(accepted)

    # -- sorting: the source model sorts itself; this proxy keeps the source order ----------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        if column >= 0:
            self._source().sort(column, order)

    def resort(self) -> None:
        self.sort(self.sort_column, self.sort_order)

    # -- the proxy model ------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._accepted)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._accepted) and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, _child: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def mapToSource(self, proxy_index: _Index) -> QModelIndex:
        if not proxy_index.isValid() or proxy_index.row() >= len(self._accepted):
            return QModelIndex()
        return self._source().index(self._accepted[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: _Index) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        position = bisect.bisect_left(self._accepted, source_index.row())
        if position < len(self._accepted) and self._accepted[position] == source_index.row():
            return self.index(position, source_index.column())
        return QModelIndex()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not 0 <= row < len(self._accepted):
            return None
        return self._model.data_at(self._accepted[row], index.column(), role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return self._source().headerData(section, orientation, role)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        # What the source says for every cell, without a source index per cell.
        return _CELL_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags
