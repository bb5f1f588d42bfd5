"""`wegwijs demo --clients 50000`: wall clock, CPU time and peak memory of the whole process.

There is no baseline for this row; the targets are absolute (≤ 60 s, ≤ 500 MB). Each round makes a
fresh profile with `wegwijs init`, then times `demo` alone.

    .venv/bin/python bench/bench_demo.py [--clients 50000] [--rounds 1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import WEGWIJS, bench_environment, loadavg, median, run_process, work_folder  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    environment = bench_environment()
    wall, cpu, memory = [], [], []
    print(f"load average before: {loadavg()}")
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory(dir=work_folder()) as folder:
            data_dir = Path(folder) / "profiel"
            run_process(
                [
                    *WEGWIJS,
                    "--data-dir",
                    str(data_dir),
                    "init",
                    "--role",
                    "klantmanager",
                    "--municipality",
                    "Benchstad",
                ],
                environment,
            )
            run = run_process(
                [*WEGWIJS, "--data-dir", str(data_dir), "demo", "--clients", str(args.clients)], environment
            )
            wall.append(run.seconds)
            cpu.append(run.cpu_seconds)
            memory.append(run.max_rss_mib)
    print(f"load average after: {loadavg()}")
    print(
        f"| `demo --clients {args.clients}` | {median(wall):.1f} s wall, {median(cpu):.1f} s CPU, "
        f"{median(memory):.0f} MiB peak | — | — | ≤ 60 s, ≤ 500 MB |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
