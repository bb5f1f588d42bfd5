"""Benchmark: demo data for 10,000 clients, loading the caseload, and filter-as-you-type.

Run: .venv/bin/python bench/bench_caseload.py [--clients N]
Prints one line per measurement; the figures are reported in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
os.environ.setdefault("WEGWIJS_PASSPHRASE", "benchmark-wachtwoord")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=10_000)
    args = parser.parse_args()

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from app.domain.enums import Role
    from app.services.caseload import CaseloadService
    from app.services.clients import ClientService
    from app.services.profile import init_profile
    from app.ui.caseload import COL_DAYS, COL_NAME, CaseloadFilter, CaseloadModel

    app = QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        profile = init_profile(Path(folder) / "profiel", Role.KLANTMANAGER, "Benchstad", user_name="bench")
        start = time.perf_counter()
        ClientService.for_profile(profile).add_demo(args.clients, seed=1)
        print(f"demo --clients {args.clients}: {time.perf_counter() - start:.2f} s")

        start, cpu = time.perf_counter(), time.process_time()
        rows = CaseloadService.for_profile(profile).rows()
        print(
            f"caseload rows loaded ({len(rows)}): {time.perf_counter() - start:.3f} s, "
            f"CPU {time.process_time() - cpu:.3f} s (first listing)"
        )
        _stored_listing(profile, len(rows))

        model = CaseloadModel()
        proxy = CaseloadFilter()
        proxy.setSourceModel(model)
        start = time.perf_counter()
        model.set_rows(rows)
        print(f"model filled: {time.perf_counter() - start:.3f} s")

        start = time.perf_counter()
        proxy.sort(COL_DAYS, Qt.SortOrder.AscendingOrder)
        print(f"sort by days left: {time.perf_counter() - start:.3f} s")
        start = time.perf_counter()
        proxy.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
        print(f"sort by name: {time.perf_counter() - start:.3f} s")

        # A klantmanager types a name letter by letter; each keystroke is one filter pass.
        timings = []
        typed = ""
        for letter in "mohammed":
            typed += letter
            start = time.perf_counter()
            proxy.set_search_text(typed)
            timings.append(time.perf_counter() - start)
        print(
            f"filter per keystroke over {len(rows)} rows: median {statistics.median(timings) * 1000:.1f} ms, "
            f"max {max(timings) * 1000:.1f} ms ({proxy.rowCount()} shown)"
        )
        profile.close()
    del app


def _stored_listing(profile: object, count: int) -> None:
    """Listing again: from the stored caseload where the code has one (migration 0013), the whole
    service call and the plain DB-API reading the start-up uses; medians of five."""
    import datetime as dt

    from app.services.caseload import CaseloadService

    service = CaseloadService.for_profile(profile)  # type: ignore[arg-type]
    walls, cpus = [], []
    for _ in range(5):
        start, cpu = time.perf_counter(), time.process_time()
        rows = service.rows()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    assert len(rows) == count
    print(
        f"caseload rows listed again ({count}): median {statistics.median(walls):.3f} s, "
        f"CPU {statistics.median(cpus):.3f} s"
    )
    try:
        from app.services.caseload_state import read_stored_caseload
    except ImportError:
        return  # the code before the stored caseload
    engine = profile.store().engine  # type: ignore[attr-defined]
    walls, cpus = [], []
    for _ in range(5):
        with engine.connect() as connection:
            start, cpu = time.perf_counter(), time.process_time()
            stored = read_stored_caseload(connection.connection.driver_connection, dt.date.today())
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
    assert stored is not None and len(stored) == count
    print(
        f"read_stored_caseload on the DB-API connection ({count}): median {statistics.median(walls):.3f} s, "
        f"CPU {statistics.median(cpus):.3f} s"
    )


if __name__ == "__main__":
    main()
