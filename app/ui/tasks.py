"""Background work: one QThreadPool per kind of work, results delivered on the GUI thread.

The database pool has a single thread, so store work is serialised as in Anki's task manager;
background code never touches widgets, it only returns values.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

_pools: dict[str, QThreadPool] = {}
# Tests set this to run tasks at once on the calling thread, which keeps them deterministic.
run_synchronously = False


def pool(kind: str) -> QThreadPool:
    if kind not in _pools:
        new = QThreadPool()
        new.setMaxThreadCount(1 if kind == "database" else 2)
        _pools[kind] = new
    return _pools[kind]


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self._work = work
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as error:  # delivered to the GUI thread, which decides what to show
            error.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._signals.failed.emit(error)
        else:
            self._signals.done.emit(result)


_alive: set[_Signals] = set()


def run_in_background(
    kind: str,
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> None:
    if run_synchronously:
        try:
            result = work()
        except BaseException as error:
            on_error(error)
        else:
            on_done(result)
        return
    signals = _Signals()
    _alive.add(signals)  # keep the QObject alive until its signal has been delivered

    def finished_ok(result: Any) -> None:
        _alive.discard(signals)
        on_done(result)

    def finished_error(error: BaseException) -> None:
        _alive.discard(signals)
        on_error(error)

    signals.done.connect(finished_ok)
    signals.failed.connect(finished_error)
    pool(kind).start(_Task(work, signals))


def wait_for_all(timeout_ms: int = 10000) -> None:
    for each in _pools.values():
        each.waitForDone(timeout_ms)
