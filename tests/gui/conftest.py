"""Fixtures for GUI tests: background tasks run synchronously, so a test sees their results at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def synchronous_tasks() -> Iterator[None]:
    from app.ui import tasks

    tasks.run_synchronously = True
    yield
    tasks.run_synchronously = False
