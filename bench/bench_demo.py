"""`wegwijs demo --clients 50000`: wall clock, CPU time and peak memory of the whole process.

There is no baseline for this row; the targets are absolute (≤ 60 s, ≤ 500 MB). Each round makes a
fresh profile with `wegwijs init`, then times `demo` alone.

    .venv/bin/python bench/bench_demo.py [--clients 50000] [--rounds 1] [--before DIR]

With `--before DIR` each round also times the checkout in DIR (the commit the work started from).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    WEGWIJS,
    bench_environment,
    loadavg,
    median,
    other_tree,
    run_process,
    work_folder,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--before", type=Path, help="another checkout (the starting commit), timed alongside")
    args = parser.parse_args()
    trees = {"now": bench_environment()}
    if args.before:
        trees["before"] = other_tree(trees["now"], args.before)
    figures: dict[str, tuple[list[float], list[float], list[float]]] = {tree: ([], [], []) for tree in trees}
    print(f"load average before: {loadavg()}")
    for _ in range(args.rounds):
        for tree, environment in trees.items():
            wall, cpu, memory = figures[tree]
            _one_round(args.clients, environment, wall, cpu, memory)
    print(f"load average after: {loadavg()}")
    for tree, (wall, cpu, memory) in figures.items():
        print(
            f"| `demo --clients {args.clients}` ({tree}) | {median(wall):.1f} s wall, {median(cpu):.1f} s CPU, "
            f"{median(memory):.0f} MiB peak | — | — | ≤ 60 s, ≤ 500 MB |"
        )
    return 0


def _one_round(
    clients: int, environment: dict[str, str], wall: list[float], cpu: list[float], memory: list[float]
) -> None:
    """A fresh profile made by `wegwijs init`, then `demo` alone timed."""
    with tempfile.TemporaryDirectory(dir=work_folder()) as folder:
        data_dir = Path(folder) / "profiel"
        init = ["init", "--role", "klantmanager", "--municipality", "Benchstad"]
        run_process([*WEGWIJS, "--data-dir", str(data_dir), *init], environment)
        demo = ["demo", "--clients", str(clients)]
        run = run_process([*WEGWIJS, "--data-dir", str(data_dir), *demo], environment)
        wall.append(run.seconds)
        cpu.append(run.cpu_seconds)
        memory.append(run.max_rss_mib)


if __name__ == "__main__":
    raise SystemExit(main())
