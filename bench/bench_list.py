"""`wegwijs list --json` over 10,000 clients, against a raw query printing the same rows.

Wegwijs: the whole `wegwijs --data-dir D list --json` process, stdout to a pipe.
Baseline: a process that unlocks the same profile (the same passphrase vault), runs one raw
sqlcipher3 query over client, case, intake and PIP state, and prints the same number of rows as a
JSON document of the same shape (id, V-nummer, names, birth date, location, klantmanager, status).
Whole processes alternate A B A B; medians of wall clock and CPU time, and the ratio.

    .venv/bin/python bench/bench_list.py [--clients 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    PASSPHRASE,
    PYTHON,
    WEGWIJS,
    alternate,
    bench_environment,
    loadavg,
    make_profile,
    median,
    other_tree,
    report,
    run_process,
    work_folder,
)

RAW = """
SELECT c.id, c.v_nummer, c.given_names, c.family_name, c.name_original, c.birth_date,
       k.coa_location, k.klantmanager, k.huisvestingsdatum,
       (SELECT p.current_state FROM pip p WHERE p.client_id = c.id) AS pip_state
FROM client c LEFT JOIN client_case k ON k.client_id = c.id
ORDER BY k.huisvestingsdatum, c.family_name
"""


def run_baseline(data_dir: Path) -> None:
    from app.services.profile import open_profile

    profile = open_profile(data_dir, lambda _new: PASSPHRASE)
    connection = profile.store().engine.raw_connection()
    rows = connection.cursor().execute(RAW).fetchall()
    document = {
        "cliënten": [
            {
                "id": str(r[0]),
                "v_nummer": r[1],
                "naam": f"{r[2]} {r[3]}".strip(),
                "naam_origineel": r[4],
                "geboortedatum": r[5],
                "coa_locatie": r[6],
                "klantmanager": r[7],
                "huisvesting": r[8],
                "pip_status": r[9],
            }
            for r in rows
        ]
    }
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
    connection.close()
    profile.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--before", type=Path, help="another checkout (the starting commit), measured alongside"
    )
    args = parser.parse_args()
    if args.baseline:
        run_baseline(args.baseline)
        return 0
    data_dir = make_profile(work_folder(), args.clients)
    environment = bench_environment()
    cpu: dict[str, list[float]] = {"a": [], "b": [], "before": []}
    wall_before: list[float] = []
    counts: dict[str, int] = {}

    def measure(key: str, command: list[str], env: dict[str, str] = environment) -> float:
        run = run_process(command, env)
        cpu[key].append(run.cpu_seconds)
        counts[key] = len(json.loads(run.stdout)["cliënten"])
        return run.seconds

    listing = [*WEGWIJS, "--data-dir", str(data_dir), "list", "--json"]

    def ours_then_before() -> float:
        seconds = measure("a", listing)
        if args.before:
            wall_before.append(measure("before", listing, other_tree(environment, args.before)))
        return seconds

    print(f"load average before: {loadavg()}")
    ours, raw = alternate(
        args.rounds,
        ours_then_before,
        lambda: measure("b", [PYTHON, __file__, "--baseline", str(data_dir)]),
    )
    print(f"load average after: {loadavg()}")
    assert counts["a"] == counts["b"] == args.clients, counts
    print(f"wegwijs (s): {sorted(ours)}; raw: {sorted(raw)}")
    report(f"`list --json`, {args.clients:,} clients", median(ours), median(raw), "s", "≤ 2× raw")
    report("the same, CPU time", median(cpu["a"]), median(cpu["b"]), "s", "≤ 2× raw")
    if args.before:
        report("before, wall", median(wall_before), median(raw), "s", "")
        report("before, CPU time", median(cpu["before"]), median(cpu["b"]), "s", "")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
