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

        start = time.perf_counter()
        rows = CaseloadService.for_profile(profile).rows()
        print(f"caseload rows loaded ({len(rows)}): {time.perf_counter() - start:.3f} s")

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


if __name__ == "__main__":
    main()
