"""Fewer cycle collections during bulk work: a PDF made, a batch of packages imported.

Laying out and signing one PIP allocates about a million small objects (shaped glyphs, tuples,
PDF objects); importing a batch of packages some hundred thousand (opened payloads, checked records,
rows). Nearly all are freed by reference counting as soon as they are used, yet Python's cycle
collector still walks the young ones every 700 allocations and now and then the whole heap (about
0.02 s with the store's models loaded): for a print process about 200 passes, 0.04 s of 0.8 s; for
an import a tenth of its CPU time (issue 15). `collections_paused()` turns it off for such a piece
of work and back on after (nested and from several threads alike); the little cyclic garbage the
work leaves is collected at the next pass after it. Every layer may use it (docs/architecture.md).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collections_paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
