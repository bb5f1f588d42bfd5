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
