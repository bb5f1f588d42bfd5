"""Colours the whole app shares. The style's own selection blue with white text is 3.7:1 under
Fusion, below WCAG's 4.5:1 for text (tests/gui/test_contrast.py measures it): a darker blue."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

SELECTION = QColor("#1d5fa8")  # the blue the intake's markers and scale use; white on it is 6.4:1
SELECTED_TEXT = QColor("#ffffff")


def use_readable_selection() -> None:
    """Selected rows and text in every window: dark enough blue under white text, also when the
    window is not active (Fusion greys an inactive selection out otherwise)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    palette = app.palette()
    if palette.color(QPalette.ColorRole.Highlight) == SELECTION:
        return
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Highlight, SELECTION)
        palette.setColor(group, QPalette.ColorRole.HighlightedText, SELECTED_TEXT)
    app.setPalette(palette)
