"""Start to a filled, painted caseload of 10,000 clients, and the memory at that point.

Wegwijs: `wegwijs --exit-when-ready` (prints ready_ms, the milliseconds since its process started).
Baseline: a bare PySide6 QMainWindow with a QTableView, shown and painted, measured the same way.
Whole processes alternate A B A B; the medians and their ratio are printed.

    .venv/bin/python bench/bench_startup.py [--clients 10000] [--rounds 7]

Set QT_QPA_PLATFORM=xcb and DISPLAY to measure on a real X server instead of offscreen.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    PYTHON,
    WEGWIJS,
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

BARE = """
import os, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

def age_ms():
    started = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
    return round((float(Path("/proc/uptime").read_text().split()[0]) - started) * 1000)

app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1280, 760)
window.setCentralWidget(QTableView())
window.show()
window.repaint()
app.processEvents()
print(f"ready_ms={age_ms()}", flush=True)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    data_dir = make_profile(work_folder(), args.clients)
    environment = bench_environment()
    memory: dict[str, list[float]] = {"a": [], "b": []}
    cpu: dict[str, list[float]] = {"a": [], "b": []}

    def wegwijs() -> float:
        run = run_process([*WEGWIJS, "--data-dir", str(data_dir), "--exit-when-ready"], environment)
        memory["a"].append(run.max_rss_mib)
        cpu["a"].append(run.cpu_seconds)
        return parse_value(run.stdout, "ready_ms") / 1000

    def bare() -> float:
        run = run_process([PYTHON, "-c", BARE], environment)
        memory["b"].append(run.max_rss_mib)
        cpu["b"].append(run.cpu_seconds)
        return parse_value(run.stdout, "ready_ms") / 1000

    print(f"load average before: {loadavg()}")
    ours, baseline = alternate(args.rounds, wegwijs, bare)
    print(f"load average after: {loadavg()}")
    print(f"wegwijs ready (s): {sorted(ours)}")
    print(f"bare window (s): {sorted(baseline)}")
    report(
        f"start to a filled, painted caseload of {args.clients:,} clients",
        median(ours),
        median(baseline),
        "s",
        "≤ 4×",
    )
    report("the same, CPU time of the whole process", median(cpu["a"]), median(cpu["b"]), "s", "")
    a_mem, b_mem = median(memory["a"]), median(memory["b"])
    print(
        f"| memory at that point (peak RSS) | {a_mem:.0f} MiB | {b_mem:.0f} MiB | +{a_mem - b_mem:.0f} MiB | ≤ bare + 120 MiB |"
    )
    ok = median(ours) <= 4 * median(baseline) and a_mem <= b_mem + 120
    print("OK" if ok else "NOT YET AT TARGET")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
