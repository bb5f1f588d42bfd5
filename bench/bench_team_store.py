"""The supervisor's team store in PostgreSQL (issue 18) against the local SQLite supervisor store.

1. Import of 1,000 packages (one new client with household and case each, bench/bench_import.py's
   packages): `SupervisorImportService.import_paths` on a fresh copy of a SQLite supervisor profile
   (A) and on a fresh team database, cloned from a template database, with a team-store profile
   holding the same supervisor keys (B), whole processes alternating A B A B; the medians and the
   PostgreSQL rate as a share of the SQLite rate (target: at least 50 %).
2. A supervisor caseload of 20,000 clients in the team database: `CaseloadService.rows()` (what the
   caseload window and `wegwijs list` read) in-process, and the whole `wegwijs list --json` process;
   target: listed in at most 1 s.

The PostgreSQL server is the test suite's own (tests/integration/postgres_server.py): Debian's binaries,
a private cluster on loopback, SCRAM. It is started for this run and removed afterwards; the caseload
of 20,000 is built in it once per run (demo clients through the services, then copied by `store copy-to`).

    .venv/bin/python bench/bench_team_store.py [--packages 1000] [--rounds 3] [--clients 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "integration"))

from bench.harness import (  # noqa: E402
    PASSPHRASE,
    PYTHON,
    WEGWIJS,
    alternate,
    bench_environment,
    loadavg,
    make_profile,
    median,
    parse_value,
    run_process,
    work_folder,
)

TARGET_SHARE = 0.5
TARGET_LIST_SECONDS = 1.0
TEMPLATE = "wegwijs_bench_vorm"


def _open(data_dir: Path) -> Any:
    from app.services.profile import open_profile

    return open_profile(data_dir, lambda _new: PASSPHRASE)


def prepare_team_profile(folder: Path, address: str) -> Path:
    """A team-store supervisor profile on the template database, with the SQLite supervisor's keys
    (the packages are sealed to them) and the klantmanager's device registered."""
    from app.domain.enums import Role
    from app.services import sync
    from app.services.profile import init_profile
    from app.sync.keys import ENCRYPTION_SECRET, SIGNING_SECRET

    team = folder / "sup-pg"
    shutil.rmtree(team, ignore_errors=True)
    profile = init_profile(team, Role.SUPERVISOR, "Benchstad", "Sam", database=address)
    local = _open(folder / "sup")
    for name in (SIGNING_SECRET, ENCRYPTION_SECRET):
        value = local.secrets.get(name)
        assert value is not None
        profile.secrets.set(name, value)
    local.close()
    sync.SyncKeysService.for_profile(profile).register_device(folder / "km.json")
    profile.close()
    return team


def _round_profile(team: Path, scratch: Path, address: str) -> Path:
    copy = scratch / "sup-pg"
    shutil.copytree(team, copy)
    settings = json.loads((copy / "profile.json").read_text(encoding="utf-8"))
    settings["database"] = address
    (copy / "profile.json").write_text(json.dumps(settings), encoding="utf-8")
    return copy


def run_import(folder: Path, engine: str, address: str) -> None:
    """One measured import of every package in a fresh store (a copy, or a cloned database)."""
    from app.services import sync

    with tempfile.TemporaryDirectory(dir=folder.parent) as scratch_name:
        scratch = Path(scratch_name)
        shutil.copytree(folder / "share", scratch / "share")
        if engine == "sqlite":
            shutil.copytree(folder / "sup", scratch / "sup")
            data_dir = scratch / "sup"
        else:
            data_dir = _round_profile(folder / "sup-pg", scratch, address)
        profile = _open(data_dir)
        profile.store()
        started, cpu = time.perf_counter(), time.process_time()
        summary = sync.SupervisorImportService.for_profile(profile).import_paths([scratch / "share"])
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        imported = summary.count("imported")
        assert imported == len(summary.outcomes) > 0, [o for o in summary.outcomes if o.status != "imported"][
            :3
        ]
        profile.close()
    print(f"packages={imported}")
    print(f"rate={imported / seconds:.1f}")
    print(f"cpu_rate={imported / cpu:.1f}")


def run_list_service(data_dir: Path) -> None:
    """The caseload rows from the team database, timed in-process (after the store is open)."""
    from app.services.caseload import CaseloadService

    profile = _open(data_dir)
    profile.store()
    service = CaseloadService.for_profile(profile)
    started, cpu = time.perf_counter(), time.process_time()
    rows = service.rows()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    profile.close()
    print(f"rows={len(rows)}")
    print(f"seconds={seconds:.4f}")
    print(f"cpu={cpu:.4f}")


def build_caseload(server: Any, user: str, clients: int, environment: dict[str, str]) -> Path:
    """A team-store supervisor profile whose database holds `clients` demo clients: made with
    `demo` in a local supervisor profile (kept between runs) and moved by `store copy-to`."""
    local = make_profile(work_folder(), clients, role="supervisor", environment=environment)
    database = "wegwijs_bench_caseload"
    server.execute(f"CREATE DATABASE {database} OWNER {user} ENCODING 'UTF8' TEMPLATE template0")
    scratch = Path(tempfile.mkdtemp(dir=work_folder(), prefix="team-caseload-"))
    copy = scratch / "sup"
    shutil.copytree(local, copy)
    address = server.plain_url(user, database)
    run_process([*WEGWIJS, "--data-dir", str(copy), "store", "copy-to", address], environment)
    return copy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=20000)
    parser.add_argument("--caseload-only", action="store_true", help="skip the import comparison")
    parser.add_argument("--role", choices=["import", "list"], help=argparse.SUPPRESS)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--address", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "import":
        run_import(args.folder, args.engine, args.address)
        return 0
    if args.role == "list":
        run_list_service(args.folder)
        return 0

    from postgres_server import running_server

    environment = bench_environment()
    folder = work_folder() / f"import-{args.packages}"
    run_process(
        [
            PYTHON,
            str(ROOT / "bench" / "bench_import.py"),
            "--packages",
            str(args.packages),
            "--folder",
            str(folder),
            "--role",
            "prepare",
        ],
        environment,
    )
    base = Path("/tmp") / f"wegwijs-bench-pg-{os.getpid()}"
    with running_server(base) as server:
        user, password, _db = server.new_database(TEMPLATE)
        environment = {**environment, "PGPASSWORD": password}
        os.environ["PGPASSWORD"] = password
        os.environ["WEGWIJS_PASSPHRASE"] = PASSPHRASE
        os.environ["PYTHON_KEYRING_BACKEND"] = environment["PYTHON_KEYRING_BACKEND"]
        prepare_team_profile(folder, server.plain_url(user, TEMPLATE))
        script = [PYTHON, __file__, "--folder", str(folder), "--role", "import", "--engine"]
        rounds = iter(range(10_000))
        cpu: dict[str, list[float]] = {"sqlite": [], "postgresql": []}

        def measure(engine: str) -> float:
            address = ""
            if engine == "postgresql":
                name = f"wegwijs_bench_{next(rounds)}"
                server.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} OWNER {user}")
                address = server.plain_url(user, name)
            out = run_process([*script, engine, "--address", address], environment).stdout
            cpu[engine].append(parse_value(out, "cpu_rate"))
            return parse_value(out, "rate")

        import_ok = True
        print(f"load average before: {loadavg()}")
        if not args.caseload_only:
            pg, lite = alternate(args.rounds, lambda: measure("postgresql"), lambda: measure("sqlite"))
            print(f"load average after the imports: {loadavg()}")
            print(f"packages/s, PostgreSQL: {sorted(pg)}; SQLite: {sorted(lite)}")
            print(f"per CPU second, PostgreSQL: {sorted(cpu['postgresql'])}; SQLite: {sorted(cpu['sqlite'])}")
            for label, a, b in (("wall clock", pg, lite), ("CPU time", cpu["postgresql"], cpu["sqlite"])):
                share = median(a) / median(b)
                print(
                    f"| supervisor imports {args.packages:,} packages into PostgreSQL ({label}) | {median(a):.0f} "
                    f"packages/s | SQLite supervisor store: {median(b):.0f}/s | {share:.0%} of SQLite | "
                    f"≥ {TARGET_SHARE:.0%} |"
                )
            import_ok = median(pg) / median(lite) >= TARGET_SHARE

        caseload = build_caseload(server, user, args.clients, environment)
        local = make_profile(work_folder(), args.clients, role="supervisor", environment=environment)
        times: dict[str, list[float]] = {"pg": [], "pg_cpu": [], "lite": [], "lite_cpu": [], "process": []}

        def rows_from(data_dir: Path, name: str) -> float:
            out = run_process(
                [PYTHON, __file__, "--folder", str(data_dir), "--role", "list"], environment
            ).stdout
            assert int(parse_value(out, "rows")) == args.clients, out[:200]
            times[f"{name}_cpu"].append(parse_value(out, "cpu"))
            times[name].append(parse_value(out, "seconds"))
            return times[name][-1]

        alternate(args.rounds, lambda: rows_from(caseload, "pg"), lambda: rows_from(local, "lite"))
        for _ in range(args.rounds):
            whole = run_process([*WEGWIJS, "--data-dir", str(caseload), "list", "--json"], environment)
            assert len(json.loads(whole.stdout)["cliënten"]) == args.clients
            times["process"].append(whole.seconds)
        print(f"load average after the caseload: {loadavg()}")
        print(f"rows() seconds, PostgreSQL: {sorted(times['pg'])}; SQLite: {sorted(times['lite'])}")
        print(
            f"rows() CPU seconds, PostgreSQL: {sorted(times['pg_cpu'])}; SQLite: {sorted(times['lite_cpu'])}"
        )
        print(f"whole `list --json` on PostgreSQL, seconds: {sorted(times['process'])}")
        for label, a, b in (("wall clock", "pg", "lite"), ("CPU time", "pg_cpu", "lite_cpu")):
            print(
                f"| caseload of {args.clients:,} clients, CaseloadService.rows() ({label}) | PostgreSQL "
                f"{median(times[a]):.3f} s | SQLite {median(times[b]):.3f} s | "
                f"{median(times[a]) / median(times[b]):.2f}× | ≤ {TARGET_LIST_SECONDS:.0f} s |"
            )
        print(
            f"| whole `wegwijs list --json` process on PostgreSQL, {args.clients:,} clients | "
            f"{median(times['process']):.3f} s | | | ≤ {TARGET_LIST_SECONDS:.0f} s |"
        )
        list_ok = median(times["pg"]) <= TARGET_LIST_SECONDS
        shutil.rmtree(caseload.parent, ignore_errors=True)
    print("OK" if import_ok and list_ok else "NOT YET AT TARGET")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
