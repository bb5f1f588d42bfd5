"""Start to a filled, painted caseload of 10,000 clients, and the memory at that point.

Wegwijs: `wegwijs --exit-when-ready` (prints ready_ms, the milliseconds since its process started),
with the passphrase vault (no OS keyring: Argon2id at libsodium's MODERATE limits, about 0.5 s and
256 MiB by design), with a keyring (bench/bench_keyring.py, the desktop case), with a keyring on a
morning (yesterday's listing and its lines ahead stored, some lines turned overnight), and with a
keyring after a long absence (100 stored lines dropped before each start: recomputed before the paint).
Baseline: a bare PySide6 QMainWindow with a QTableView, shown and painted, measured the same way.
Whole processes alternate A A' B A A' B; the medians and their ratios are printed. Memory: the
resident set when ready_ms is printed ("at that point", read from /proc), and the peak (wait4).

    .venv/bin/python bench/bench_startup.py [--clients 10000] [--rounds 7]

Set QT_QPA_PLATFORM=xcb and DISPLAY to measure on a real X server instead of offscreen.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_keyring import keyring_file  # noqa: E402
from bench.harness import (  # noqa: E402
    KEYRING_BACKEND,
    PYTHON,
    WEGWIJS,
    bench_environment,
    loadavg,
    make_profile,
    median,
    other_tree,
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
import time; time.sleep(0.3)  # the benchmark reads the memory now (Wegwijs closes its window meanwhile)
"""


MORNING_LINES = 100

# Yesterday's use: the stored lines as listed yesterday, and the lines ahead the window filled after
# it (app/services/caseload_ahead.py). Today some of yesterday's lines have turned.
YESTERDAY = """
import datetime as dt, sys
from pathlib import Path
from app.services.caseload import caseload_rows
from app.services.caseload_ahead import CaseloadAheadService
from app.services.profile import open_profile

profile = open_profile(Path(sys.argv[1]))
today = dt.date.today()
yesterday = today - dt.timedelta(days=1)
store = profile.store()
with store.engine.begin() as connection:
    connection.exec_driver_sql("DELETE FROM caseload_ahead")
    connection.exec_driver_sql("DELETE FROM caseload_state")
with store.session(profile.actor, profile.settings.role) as session:
    caseload_rows(session, yesterday)
ahead = CaseloadAheadService.for_profile(profile).fill(yesterday)
with store.engine.connect() as connection:
    turned = connection.exec_driver_sql(
        "SELECT count(*) FROM caseload_state WHERE valid_until < ?", (today.isoformat(),)
    ).scalar_one()
print(f"yesterday's use: {ahead} lines ahead stored; {turned} stored lines turned overnight")
profile.close()
"""


def as_after_yesterdays_use(data_dir: Path, environment: dict[str, str]) -> Path:
    """A copy of the keyring profile, as it is the morning after a day's use (kept between runs)."""
    import shutil
    import subprocess

    morning = data_dir.with_name(data_dir.name + "-morning")
    if morning.exists():
        shutil.rmtree(morning)
    shutil.copytree(data_dir, morning)
    done = subprocess.run(
        [PYTHON, "-c", YESTERDAY, str(morning)], env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    print(done.stdout.strip())
    return morning


def drop_stored_lines(data_dir: Path, count: int) -> None:
    """Forget `count` stored caseload lines, as a day's turns and the day's first start would find."""
    import base64
    import json

    import sqlcipher3.dbapi2 as sqlcipher

    settings = json.loads((data_dir / "profile.json").read_text(encoding="utf-8"))
    entries = json.loads(keyring_file().read_text(encoding="utf-8"))
    key = base64.b64decode(entries[f"wegwijs\0{settings['store_id']}/store-key"])
    connection = sqlcipher.connect(str(data_dir / "wegwijs.db"))
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    with connection:
        connection.execute(
            "DELETE FROM caseload_state WHERE client_id IN"
            " (SELECT client_id FROM caseload_state ORDER BY random() LIMIT ?)",
            (count,),
        )
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--before", type=Path, help="another checkout (the starting commit), measured alongside"
    )
    args = parser.parse_args()
    environments = {
        "vault": bench_environment(),
        "keyring": bench_environment(PYTHON_KEYRING_BACKEND=KEYRING_BACKEND),
    }
    data_dirs = {
        name: make_profile(work_folder(), args.clients, environment=environment)
        for name, environment in environments.items()
    }
    # A morning: since yesterday's listing some lines turned (a deadline came near, a day passed);
    # yesterday's window stored the lines ahead, so the start reads today's lines (a copy of the
    # keyring profile as after yesterday's use). After a long absence (past the lines ahead) the
    # start recomputes the turned lines before the first paint (app/services/quick_start.py): here
    # MORNING_LINES stored lines are dropped before each such start, on the keyring profile.
    environments["keyring, a morning"] = environments["keyring"]
    data_dirs["keyring, a morning"] = as_after_yesterdays_use(data_dirs["keyring"], environments["keyring"])
    environments["keyring, long absence"] = environments["keyring"]
    data_dirs["keyring, long absence"] = data_dirs["keyring"]
    if args.before:
        for name in ("vault", "keyring"):
            environments[f"{name} before"] = other_tree(environments[name], args.before)
            data_dirs[f"{name} before"] = data_dirs[name]
    names = [*environments, "bare"]
    ready: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    resident: dict[str, list[float]] = {name: [] for name in names}
    peak: dict[str, list[float]] = {name: [] for name in names}

    def measure(name: str, command: list[str], environment: dict[str, str]) -> float:
        run = run_process(command, environment, sample_at="ready_ms=")
        seconds = parse_value(run.stdout, "ready_ms") / 1000
        ready[name].append(seconds)
        cpu[name].append(run.ready_cpu_seconds)
        resident[name].append(run.ready_rss_mib)
        peak[name].append(run.max_rss_mib)
        return seconds

    def wegwijs(name: str) -> float:
        if name.endswith("long absence"):
            drop_stored_lines(data_dirs[name], MORNING_LINES)
        command = [*WEGWIJS, "--data-dir", str(data_dirs[name]), "--exit-when-ready"]
        return measure(name, command, environments[name])

    print(f"load average before: {loadavg()}")
    for _ in range(args.rounds):
        for name in environments:
            wegwijs(name)
        measure("bare", [PYTHON, "-c", BARE], environments["vault"])
    print(f"load average after: {loadavg()}")
    for name, values in ready.items():
        print(f"{name} ready (s): {sorted(values)}")
    bare = median(ready["bare"])
    labels = [
        (
            name,
            name.replace("vault", "passphrase vault")
            .replace("a morning", "a morning, from the lines ahead")
            .replace("long absence", f"after a long absence, {MORNING_LINES} lines to recompute"),
        )
        for name in environments
    ]
    for name, label in labels:
        report(
            f"start to a filled, painted caseload of {args.clients:,} clients ({label})",
            median(ready[name]),
            bare,
            "s",
            "≤ 4×",
        )
        report(
            f"the same, CPU time up to that point ({label})",
            median(cpu[name]),
            median(cpu["bare"]),
            "s",
            "",
        )
    bare_rss, bare_peak = median(resident["bare"]), median(peak["bare"])
    for name, label in labels:
        ours = median(resident[name])
        print(
            f"| memory at that point ({label}, resident) | {ours:.0f} MiB | {bare_rss:.0f} MiB "
            f"| +{ours - bare_rss:.0f} MiB | ≤ bare + 120 MiB |"
        )
        ours_peak = median(peak[name])
        print(
            f"| the same, peak before that point ({label}) | {ours_peak:.0f} MiB | {bare_peak:.0f} MiB "
            f"| +{ours_peak - bare_peak:.0f} MiB | |"
        )
    for name in environments:
        ok = median(ready[name]) <= 4 * bare and median(resident[name]) <= bare_rss + 120
        print(f"{name}: {'OK' if ok else 'NOT YET AT TARGET'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
