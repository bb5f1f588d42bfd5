"""The PIP editor's list of its parts, as the intake has one: each part with a marker that says in
words whether something the law requires is still missing there (issue 16), and a click or Enter
that brings the part into view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QListWidget, QListWidgetItem, QScrollArea

from app.i18n import _, ngettext

DONE = "✓"
OPEN = "•"


class PipSectionList(QListWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("pipSections")
        self.setAccessibleName(_("Onderdelen van het PIP"))
        self.setAccessibleDescription(
            _("Pijltjestoetsen kiezen een onderdeel; het formulier gaat ernaartoe.")
        )
        self.setMaximumWidth(230)
        # Long part names wrap instead of hiding behind a sideways scroll bar.
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.parts: list[tuple[str, QGroupBox]] = []
        self.scroll_area: QScrollArea | None = None
        self.currentRowChanged.connect(self._go)

    def add_part(self, key: str, box: QGroupBox) -> None:
        self.parts.append((key, box))
        item = QListWidgetItem(box.title())
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.addItem(item)

    def mark(self, missing: tuple[tuple[str, str], ...], checked: bool) -> None:
        """`missing`: (part, what) pairs from the snapshot; `checked`: whether the completeness applies
        (a concept or a discussed version; an adopted one is complete by law)."""
        for row, (key, box) in enumerate(self.parts):
            item = self.item(row)
            if item is None:
                continue
            lacking = [what for part, what in missing if part == key]
            if checked and lacking:
                item.setText(f"{OPEN} {box.title()}")
                tip = ngettext(
                    "Nog in te vullen: {parts}", "Nog in te vullen ({count}): {parts}", len(lacking)
                ).format(count=len(lacking), parts="; ".join(lacking))
            else:
                item.setText(f"{DONE} {box.title()}" if checked and key != "signing" else box.title())
                tip = _("Compleet") if checked and key != "signing" else ""
            item.setToolTip(tip)
            # A screen reader hears the state in words, not the marker.
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{box.title()}: {tip}" if tip else box.title())
            item.setHidden(box.isHidden())  # ontzorgen is not part of a gezinsmigrant's PIP

    def _go(self, row: int) -> None:
        if self.scroll_area is not None and 0 <= row < len(self.parts):
            self.scroll_area.ensureWidgetVisible(self.parts[row][1], 0, 0)
