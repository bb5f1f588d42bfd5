"""Render installer/icons/wegwijs.svg to the PNG (Linux desktop entry) and ICO (Windows) the build uses."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

here = Path(__file__).resolve().parent / "icons"


def render(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(here / "wegwijs.svg")).render(painter)
    painter.end()
    return image


if __name__ == "__main__":
    app = QGuiApplication(sys.argv[:1] + ["-platform", "offscreen"])
    if not render(256).save(str(here / "wegwijs.png")):
        raise SystemExit("PNG niet geschreven")
    if not render(128).save(str(here / "wegwijs.ico"), "ICO"):
        raise SystemExit("ICO niet geschreven (Qt's qico-plugin ontbreekt)")
