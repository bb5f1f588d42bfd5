"""Filter-as-you-type in the caseload: one keystroke, repaint included, at 50,000 and 10,000 clients.

Wegwijs: the caseload's own model and filter (app/ui/caseload.py) under a shown QTableView of the
window's size; per keystroke `set_search_text` and a synchronous repaint of the table.
Baseline: the same match as SQL on the store: per keystroke one query over name, original name,
V-nummer and COA location (`lower(...) LIKE '%word%'` per word), all matching ids fetched, through
the store's own SQLCipher connection.
Whole processes alternate A B A B; each prints its median per keystroke over the typed names.

    .venv/bin/python bench/bench_filter.py [--clients 50000 10000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    PASSPHRASE,
    PYTHON,
    alternate,
    bench_environment,
    loadavg,
    make_profile,
    median,
    parse_value,
    report,
    run_process,
    work_folder,
)

# Typed letter by letter, as a klantmanager does: a name, a V-nummer prefix, a location.
TYPED = ("mohammed", "ahmadi", "10023", "azc ter apel")
TARGET_RATIO_10K = 2.0
TARGET_MS_50K = 30.0


def keystrokes() -> list[str]:
    """Each word typed into an emptied box, one letter at a time."""
    return [word[:n] for word in TYPED for n in range(1, len(word) + 1)]


def caseload_of(profile: Any) -> list[Any]:
    """The caseload rows through the service (the older layout of the code is measured too)."""
    try:
        from app.services.caseload import CaseloadService
    except ImportError:  # before app/services/caseload.py existed
        from app.services.use_cases import install_use_cases

        from app.services.clients import caseload_rows

        install_use_cases()
        with profile.store().session(profile.actor, profile.settings.role) as session:
            return caseload_rows(session)
    return CaseloadService.for_profile(profile).rows()


def run_wegwijs(data_dir: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QTableView

    from app.services.profile import open_profile
    from app.ui.caseload import COL_DAYS, CaseloadFilter, CaseloadModel

    app = QApplication([])
    profile = open_profile(data_dir, lambda _new: PASSPHRASE)
    rows = caseload_of(profile)
    model, proxy, table = CaseloadModel(), CaseloadFilter(), QTableView()
    proxy.setSourceModel(model)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(COL_DAYS, Qt.SortOrder.AscendingOrder)
    # As in the main window: no row numbers, fixed row height, the window's table size.
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    table.resize(1000, 700)
    table.show()
    model.set_rows(rows)
    proxy.resort()
    table.viewport().repaint()
    app.processEvents()
    timings, cpu = [], []
    for text in keystrokes():
        started, cpu_started = time.perf_counter(), time.process_time()
        proxy.set_search_text(text)
        table.viewport().repaint()
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    print(f"cpu_ms={statistics.median(cpu) * 1000:.2f}")
    print(f"rows={len(rows)}")
    print(f"max_ms={max(timings) * 1000:.2f}")
    print(f"ms={statistics.median(timings) * 1000:.2f}")
    profile.close()


SQL = """
SELECT c.id FROM client c LEFT JOIN client_case k ON k.client_id = c.id
WHERE {conditions}
"""
HAYSTACK = (
    "lower(coalesce(c.given_names, '') || ' ' || coalesce(c.family_name, '') || ' ' || "
    "coalesce(c.name_original, '') || ' ' || c.v_nummer || ' ' || coalesce(k.coa_location, ''))"
)


def run_baseline(data_dir: Path) -> None:
    from app.services.profile import open_profile

    profile = open_profile(data_dir, lambda _new: PASSPHRASE)
    connection = profile.store().engine.raw_connection()
    cursor = connection.cursor()
    timings, cpu = [], []
    found = 0
    for text in keystrokes():
        words = text.lower().split()
        conditions = " AND ".join(f"{HAYSTACK} LIKE ?" for _ in words)
        started, cpu_started = time.perf_counter(), time.process_time()
        found = len(cursor.execute(SQL.format(conditions=conditions), [f"%{w}%" for w in words]).fetchall())
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    print(f"cpu_ms={statistics.median(cpu) * 1000:.2f}")
    print(f"found={found}")
    print(f"ms={statistics.median(timings) * 1000:.2f}")
    connection.close()
    profile.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[50_000, 10_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--role", choices=["wegwijs", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "wegwijs":
        run_wegwijs(args.data_dir)
        return 0
    if args.role == "baseline":
        run_baseline(args.data_dir)
        return 0
    environment = bench_environment()
    ok = True
    print(f"load average before: {loadavg()}")
    for clients in args.clients:
        data_dir = make_profile(work_folder(), clients)
        script = [PYTHON, __file__, "--data-dir", str(data_dir), "--role"]
        cpu: dict[str, list[float]] = {"wegwijs": [], "baseline": []}

        def measure(role: str, script: list[str] = script, cpu: dict[str, list[float]] = cpu) -> float:
            out = run_process([*script, role], environment).stdout
            cpu[role].append(parse_value(out, "cpu_ms"))
            return parse_value(out, "ms")

        ours, baseline = alternate(args.rounds, lambda: measure("wegwijs"), lambda: measure("baseline"))
        print(f"{clients} clients, wegwijs ms per keystroke: {sorted(ours)}; SQL: {sorted(baseline)}")
        print(f"CPU ms, wegwijs: {sorted(cpu['wegwijs'])}; SQL: {sorted(cpu['baseline'])}")
        target = f"≤ {TARGET_MS_50K:.0f} ms" if clients >= 50_000 else f"≤ {TARGET_RATIO_10K:.0f}× SQL"
        measure_name = f"filter one keystroke, {clients:,} clients, repaint included"
        report(measure_name, median(ours), median(baseline), "ms", target)
        report(f"{measure_name} (CPU time)", median(cpu["wegwijs"]), median(cpu["baseline"]), "ms", target)
        if clients >= 50_000:
            ok = ok and median(ours) <= TARGET_MS_50K
        else:
            ok = ok and median(ours) <= TARGET_RATIO_10K * median(baseline)
    print(f"load average after: {loadavg()}")
    print("OK" if ok else "NOT YET AT TARGET")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
