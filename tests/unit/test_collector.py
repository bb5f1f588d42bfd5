"""The cycle collector is paused during bulk work (a PDF, an import batch) and comes back as it was
(app/collector.py)."""

from __future__ import annotations

import gc
import threading

from app.collector import collections_paused


def test_the_collector_is_off_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with collections_paused():
        assert not gc.isenabled()
        with collections_paused():  # nested: still off, and the outer one turns it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_someone_turned_off_stays_off() -> None:
    gc.disable()
    try:
        with collections_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_two_threads_share_the_pause() -> None:
    inside = threading.Event()
    leave = threading.Event()

    def other() -> None:
        with collections_paused():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    assert inside.wait(5)
    with collections_paused():
        pass
    assert not gc.isenabled()  # the other thread's build is still running
    leave.set()
    thread.join(5)
    assert gc.isenabled()
