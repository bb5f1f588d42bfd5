"""The bar above the caseload: the views (mijn cliënten, te laat, ...) and the counts that matter.

The counts are words and numbers with a symbol, never colour alone. The main window puts this bar
above its table and calls `set_counts` after each refresh; the caseload filter asks `view`.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from app.i18n import _
from app.services.caseload_views import CASELOAD_VIEW_LABELS, CaseloadCounts, CaseloadView


class CaseloadViewBar(QWidget):
    view_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.combo = QComboBox()
        self.combo.setObjectName("caseloadView")
        for view in CaseloadView:
            self.combo.addItem("", view.value)
        self.combo.currentIndexChanged.connect(lambda _i: self.view_changed.emit(self.view.value))
        self.label.setBuddy(self.combo)
        self.counts = QLabel()
        self.counts.setObjectName("caseloadCounts")
        self.counts.setStyleSheet("font-weight: 600;")
        layout.addWidget(self.label)
        layout.addWidget(self.combo)
        layout.addSpacing(16)
        layout.addWidget(self.counts, 1)
        self._last = CaseloadCounts()
        self.retranslate()

    @property
    def view(self) -> CaseloadView:
        return CaseloadView(self.combo.currentData() or CaseloadView.ALLE.value)

    def set_view(self, view: CaseloadView) -> None:
        self.combo.setCurrentIndex(max(self.combo.findData(view.value), 0))

    def set_counts(self, counts: CaseloadCounts) -> None:
        self._last = counts
        self.counts.setText(counts.summary())
        self.counts.setAccessibleName(counts.summary())

    def retranslate(self) -> None:
        self.label.setText(_("&Weergave:"))
        self.combo.setAccessibleName(_("Weergave van de caseload"))
        for index in range(self.combo.count()):
            self.combo.setItemText(index, _(CASELOAD_VIEW_LABELS[CaseloadView(self.combo.itemData(index))]))
        self.set_counts(self._last)
