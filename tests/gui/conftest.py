"""Fixtures for GUI tests: background tasks run synchronously, so a test sees their results at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def synchronous_tasks() -> Iterator[None]:
    """The runner's pools swapped for one that runs each task at once on the GUI thread (as Picard's
    test case does); the real thread pools come back afterwards."""
    from app.ui.tasks import SynchronousPool, runner

    runner.use_pools(SynchronousPool())
    yield
    runner.use_pools(None)


@pytest.fixture(autouse=True)
def own_window_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Remembered window geometry (QSettings) goes to a folder of this test, never the user's."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield
