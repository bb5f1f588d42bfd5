"""Must not get slower (issue 15): the intake's autosave and pushing pending changes.

Each round runs one whole process per checkout: this one and, with `--before DIR`, the commit the
speed work started from (the journal's rows are written differently now, and both paths write
journal rows). A process makes a fresh profile pair (klantmanager and supervisor, keys exchanged,
a folder target), 100 clients, then measures the CPU and wall time of 200 autosaves (one answer
each, its own transaction, as the intake screen does) and of one push of 100 changed clients.

    .venv/bin/python bench/bench_autosave_push.py [--rounds 3] [--before DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

# Appended, not prepended: the measured process takes `app` from the checkout on its PYTHONPATH.
sys.path.append(str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    PYTHON,
    bench_environment,
    loadavg,
    median,
    other_tree,
    parse_value,
    run_process,
    work_folder,
)

CLIENTS = 100
SAVES = 200


def measure_here() -> None:
    """Runs inside the measured process (the checkout on PYTHONPATH)."""
    from app.domain.enums import Role
    from app.models.client import Case, Client
    from app.services.intake import IntakeService
    from app.services.profile import init_profile
    from app.services.sync import PushService, SyncKeysService, SyncTargetService

    with tempfile.TemporaryDirectory(dir=work_folder()) as name:
        folder = Path(name)
        device = init_profile(folder / "km", Role.KLANTMANAGER, "Utrecht", "Karin")
        supervisor = init_profile(folder / "sup", Role.SUPERVISOR, "Utrecht", "Sam")
        SyncKeysService.for_profile(supervisor).export_public(folder / "sup.json")
        SyncKeysService.for_profile(device).export_public(folder / "km.json")
        SyncKeysService.for_profile(device).trust_supervisor(folder / "sup.json")
        SyncKeysService.for_profile(supervisor).register_device(folder / "km.json")
        (folder / "share").mkdir()
        SyncTargetService.for_profile(device).configure(str(folder / "share"))
        with device.store().session(actor="bench") as session:
            for index in range(CLIENTS):
                client = Client(
                    v_nummer=f"{index + 1:010d}",
                    family_name=f"Haddad{index}",
                    given_names="Amal",
                    birth_date="1990-05-01",
                    languages=["ar"],
                )
                session.add(client)
                session.flush()
                session.add(Case(client_id=client.id, municipality="Utrecht", coa_location="AZC Utrecht"))
            first = session.query(Client).order_by(Client.v_nummer).first()
            assert first is not None
            first_id = first.id
        assert PushService.for_profile(device).push().ok  # the new clients out, receipts in

        intake = IntakeService.for_profile(device)
        intake_id = intake.open(first_id).id
        wall, cpu = time.perf_counter(), time.process_time()
        for number in range(SAVES):
            intake.save_answer(intake_id, "ambitie", f"versie {number}: werken in de zorg")
        print(f"autosave_ms={(time.perf_counter() - wall) / SAVES * 1000:.3f}")
        print(f"autosave_cpu_ms={(time.process_time() - cpu) / SAVES * 1000:.3f}")

        with device.store().session(actor="bench") as session:
            for client in session.query(Client).order_by(Client.v_nummer).limit(CLIENTS):
                client.given_names = f"{client.given_names} gewijzigd"
        wall, cpu = time.perf_counter(), time.process_time()
        pushed = PushService.for_profile(device).push()
        print(f"push_ms={(time.perf_counter() - wall) * 1000:.1f}")
        print(f"push_cpu_ms={(time.process_time() - cpu) * 1000:.1f}")
        assert pushed.ok and len(pushed.sent) == 1, pushed
        device.close()
        supervisor.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--before", type=Path, help="another checkout (the starting commit), measured alongside"
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure_here()
        return 0
    trees = {"now": bench_environment()}
    if args.before:
        trees["before"] = other_tree(trees["now"], args.before)
    keys = ("autosave_ms", "autosave_cpu_ms", "push_ms", "push_cpu_ms")
    values: dict[str, dict[str, list[float]]] = {tree: {key: [] for key in keys} for tree in trees}
    print(f"load average before: {loadavg()}")
    for _ in range(args.rounds):
        for tree, environment in trees.items():
            run = run_process([PYTHON, str(Path(__file__).resolve()), "--measure"], environment)
            for key in keys:
                values[tree][key].append(parse_value(run.stdout, key))
    print(f"load average after: {loadavg()}")
    print("| measure | " + " | ".join(trees) + (" | now / before |" if "before" in trees else " |"))
    for key in keys:
        figures = [median(values[tree][key]) for tree in trees]
        ratio = f" | {figures[0] / figures[1]:.2f}×" if len(figures) == 2 else ""
        print(f"| {key} | " + " | ".join(f"{figure:.2f}" for figure in figures) + ratio + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
