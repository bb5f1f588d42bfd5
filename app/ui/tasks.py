"""Background work: the one runner every screen uses.

The runner owns what each screen used to do itself:
- the pools: one per kind of work, with fixed sizes (`POOL_SIZES`); the database pool has a single
  thread, so store work is serialised as in Anki's task manager, and the pdf pool too (ReportLab's
  font registry is global and rendering holds a lock);
- the delay before a progress indicator (`PROGRESS_DELAY_MS`, as Anki's `progress.py`): a task asks
  for it with `on_progress_due`, which fires only when the work is still running by then;
- the cancel flag: the worker gets a `TaskProgress` and polls `cancelled()` between steps;
- delivery on the GUI thread by signal, and only while the owner (the window or object that asked)
  still exists: a window closed before its load returned gets nothing (`shiboken6.isValid`);
- errors: every failure is logged (app/ui/errors.py; tracebacks to the log, never personal data) and
  handed to the task's `on_error`, or shown by the error reporter when there is none.

Background code never touches widgets, it only returns values. Tests swap the pools for
`SynchronousPool()` with `runner.use_pools(...)`, as Picard's test case does: work then runs at once
on the calling thread and its result is there when the call returns.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from app.ui import errors

PROGRESS_DELAY_MS = 600
POOL_SIZES: Mapping[str, int] = {"database": 1, "pdf": 1, "network": 2}
KINDS = tuple(POOL_SIZES)

log = logging.getLogger(__name__)


class Pool(Protocol):
    """What the runner needs of a pool: QThreadPool has it, and so has `SynchronousPool`."""

    def start(self, runnable: QRunnable) -> None: ...

    def waitForDone(self, msecs: int = -1) -> bool: ...  # noqa: N802 (Qt naming)


class SynchronousPool:
    """Runs each task at once on the calling thread: for tests, which then see results at once."""

    def start(self, runnable: QRunnable) -> None:
        runnable.run()

    def waitForDone(self, msecs: int = -1) -> bool:  # noqa: N802 (Qt naming)
        return True


def thread_pools() -> dict[str, Pool]:
    pools: dict[str, Pool] = {}
    for kind, size in POOL_SIZES.items():
        pool = QThreadPool()
        pool.setMaxThreadCount(size)
        pools[kind] = pool
    return pools


class TaskProgress:
    """The worker's side of a task: report steps and poll the cancel flag. Safe from any thread."""

    def __init__(self, task: Task) -> None:
        self._task = task

    def step(self, done: int, total: int, detail: Any = None) -> None:
        self._task.stepped.emit(done, total, detail)

    def cancelled(self) -> bool:
        return self._task.is_cancelled()


class Task(QObject):
    """One piece of background work as the GUI sees it: progress, cancel, waiting, the result."""

    stepped = Signal(int, int, object)  # emitted by the worker; delivered on the GUI thread
    _finished = Signal()

    def __init__(
        self,
        runner: Runner,
        owner: QObject | None,
        on_done: Callable[[Any], object],
        on_error: Callable[[BaseException], object] | None,
    ) -> None:
        super().__init__()
        self._runner = runner
        self._owner = owner
        self._on_done = on_done
        self._on_error = on_error
        self._cancel = threading.Event()
        self._ended = threading.Event()
        self._delivered = False
        self._result: Any = None
        self._error: BaseException | None = None
        self._progress_timer: QTimer | None = None
        self._on_step: Callable[[int, int, Any], object] | None = None
        # Slots of this object (it lives on the GUI thread): emitted by the worker, run on the GUI thread.
        self._finished.connect(self.deliver)
        self.stepped.connect(self._step)

    # -- the GUI's side ---------------------------------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        return not self._ended.is_set()

    @property
    def delivered(self) -> bool:
        """The result or error has been handed over (or dropped for a closed owner)."""
        return self._delivered

    def owner_alive(self) -> bool:
        return self._owner is None or shiboken6.isValid(self._owner)

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Block until the work ended and deliver its result now (for closing a window); False on
        timeout. The queued delivery that follows later is then skipped."""
        if not self._ended.wait(timeout_ms / 1000):
            return False
        self.deliver()
        return True

    def deliver(self) -> None:
        """On the GUI thread, once: hand the result or the error to the owner, if it still exists."""
        if self._delivered or not self._ended.is_set():
            return
        self._delivered = True
        self._stop_progress_timer()
        self._runner._forget_later(self)
        error = self._error
        if error is not None:
            errors.log_failure(error)
        if not self.owner_alive():
            log.debug("result dropped: the window that asked for it is closed")
            return
        if error is None:
            self._on_done(self._result)
        elif self._on_error is not None:
            self._on_error(error)
        else:
            errors.report(self._owner, error)

    def _step(self, done: int, total: int, detail: Any) -> None:
        if self._on_step is not None and not self._delivered and self.owner_alive():
            self._on_step(done, total, detail)

    # -- the progress indicator's delay ----------------------------------------------------------
    def _start_progress_timer(self, delay_ms: int, due: Callable[[], None]) -> None:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(delay_ms)

        def fire() -> None:
            if self.running and not self._delivered and self.owner_alive():
                due()

        timer.timeout.connect(fire)
        self._progress_timer = timer
        timer.start()

    def _stop_progress_timer(self) -> None:
        if self._progress_timer is not None:
            self._progress_timer.stop()

    # -- the worker's side ------------------------------------------------------------------------
    def _run(self, work: Callable[[TaskProgress], Any]) -> None:
        try:
            self._result = work(TaskProgress(self))
        except BaseException as error:  # delivered to the GUI thread, which decides what to show
            self._error = error
        self._ended.set()
        self._finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task, work: Callable[[TaskProgress], Any]) -> None:
        super().__init__()
        self._task = task
        self._work = work

    def run(self) -> None:
        self._task._run(self._work)


class Runner:
    """Starts background work on the pool of its kind and delivers results on the GUI thread."""

    def __init__(self, pools: Mapping[str, Pool] | None = None) -> None:
        self._pools: dict[str, Pool] | None = dict(pools) if pools is not None else None
        self._tasks: set[Task] = set()  # kept alive until delivered

    def pool(self, kind: str) -> Pool:
        if kind not in POOL_SIZES:
            raise ValueError(f"unknown kind of background work: {kind}")
        if self._pools is None:
            self._pools = thread_pools()
        return self._pools[kind]

    def use_pools(self, pools: Pool | Mapping[str, Pool] | None) -> None:
        """Swap the pools (tests: `SynchronousPool()` for every kind); None goes back to threads."""
        self.wait_for_all()
        if pools is None:
            self._pools = None
        elif isinstance(pools, Mapping):
            self._pools = dict(pools)
        else:
            self._pools = dict.fromkeys(POOL_SIZES, pools)

    def run(
        self,
        kind: str,
        work: Callable[[], Any],
        on_done: Callable[[Any], object],
        *,
        owner: QObject | None,
        on_error: Callable[[BaseException], object] | None = None,
    ) -> Task:
        """Run `work()` on the `kind` pool; `on_done(result)` or `on_error(error)` follow on the GUI
        thread while `owner` exists (None: a task that belongs to no window)."""
        return self.run_with_progress(kind, lambda _progress: work(), on_done, owner=owner, on_error=on_error)

    def run_with_progress(
        self,
        kind: str,
        work: Callable[[TaskProgress], Any],
        on_done: Callable[[Any], object],
        *,
        owner: QObject | None,
        on_error: Callable[[BaseException], object] | None = None,
        on_step: Callable[[int, int, Any], object] | None = None,
        on_progress_due: Callable[[], None] | None = None,
        progress_delay_ms: int = PROGRESS_DELAY_MS,
    ) -> Task:
        """As `run`, for work that reports steps and polls `progress.cancelled()`. `on_progress_due`
        runs once after `progress_delay_ms` if the work has not ended: show the dialog then."""
        task = Task(self, owner, on_done, on_error)
        task._on_step = on_step
        self._tasks.add(task)
        if on_progress_due is not None:
            task._start_progress_timer(progress_delay_ms, on_progress_due)
        self.pool(kind).start(_Runnable(task, work))
        return task

    def _forget_later(self, task: Task) -> None:
        # Not now: this runs inside the task's own slot, and dropping the last reference there
        # would delete the QObject while Qt still delivers to it.
        QTimer.singleShot(0, lambda: self._tasks.discard(task))

    def wait_for_all(self, timeout_ms: int = 10_000) -> bool:
        """Block until every pool is idle (closing the main window, tests); True when they are."""
        if self._pools is None:
            return True
        return all(pool.waitForDone(timeout_ms) for pool in self._pools.values())


runner = Runner()


def run_in_background(
    kind: str,
    work: Callable[[], Any],
    on_done: Callable[[Any], object],
    *,
    owner: QObject | None,
    on_error: Callable[[BaseException], object] | None = None,
) -> Task:
    """`runner.run(...)`: the short form the screens use."""
    return runner.run(kind, work, on_done, owner=owner, on_error=on_error)


def wait_for_all(timeout_ms: int = 10_000) -> bool:
    return runner.wait_for_all(timeout_ms)
