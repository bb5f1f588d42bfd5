"""The way back: decisions for 1,000 adoptions pushed by the supervisor and pulled by a device.

Prepared once (kept in the bench folder): a klantmanager device with 1,000 clients, each with a
signed PIP version 1, pushed and imported by the supervisor; then the supervisor adopts all 1,000
(the adoption's record changes written with the ORM in one transaction, so the journal has exactly
what PipService's VASTSTELLEN writes: the version's state, date and adopter, the PIP's term start
and copy of the state). Each round, in its own process on fresh copies of both profiles and the
folder target: `DecisionPushService.push` (package per device, send) and then `PullService.pull`
on the device (verify, apply in one transaction per package, receipts). Absolute target, no
baseline: the two together under 5 s.

    .venv/bin/python bench/bench_decisions.py [--adoptions 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    PASSPHRASE,
    PYTHON,
    bench_environment,
    loadavg,
    median,
    parse_value,
    run_process,
    work_folder,
)

TARGET_SECONDS = 5.0
ADOPTED = dt.date(2026, 11, 16)


def _open(data_dir: Path) -> Any:
    from app.services.profile import open_profile

    return open_profile(data_dir, lambda _new: PASSPHRASE)


def prepare(folder: Path, adoptions: int) -> None:
    done = folder / "ready"
    if done.exists():
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    from app.domain.enums import Role
    from app.domain.pip_lifecycle import PipState
    from app.models.client import Case, Client
    from app.models.pip import Pip, PipVersion
    from app.services.profile import init_profile
    from app.services.sync import PushService, SupervisorImportService, SyncKeysService

    device = init_profile(folder / "km", Role.KLANTMANAGER, "Benchstad", "Karin")
    supervisor = init_profile(folder / "sup", Role.SUPERVISOR, "Benchstad", "Sam")
    SyncKeysService.for_profile(supervisor).export_public(folder / "sup.json")
    SyncKeysService.for_profile(device).export_public(folder / "km.json")
    SyncKeysService.for_profile(device).trust_supervisor(folder / "sup.json")
    SyncKeysService.for_profile(supervisor).register_device(folder / "km.json")
    share = folder / "share"
    share.mkdir()
    signed = dt.date(2026, 11, 9)
    with device.store().session(actor="Karin", role="klantmanager") as session:
        for index in range(1, adoptions + 1):
            client = Client(
                v_nummer=f"{index:010d}",
                family_name=f"Haddad{index}",
                given_names="Amal",
                birth_date="1990-05",
                languages=["ar"],
            )
            session.add(client)
            session.flush()
            session.add(Case(client_id=client.id, municipality="Benchstad"))
            pip = Pip(client_id=client.id, current_state=PipState.ONDERTEKEND.value, current_route="b1")
            session.add(pip)
            session.flush()
            session.add(
                PipVersion(
                    pip_id=pip.id,
                    number=1,
                    state=PipState.ONDERTEKEND.value,
                    leerroute="b1",
                    created_by="Karin",
                    signed_by_client_on=signed,
                    signed_by_klantmanager_on=signed,
                )
            )
    result = PushService.for_profile(device).push(str(share))
    assert result.ok, result.error
    summary = SupervisorImportService.for_profile(supervisor).import_paths([str(share)])
    assert {o.status for o in summary.outcomes} == {"imported"}, summary.outcomes[:3]
    with supervisor.store().session(actor="Sam", role="supervisor") as session:
        for version in session.query(PipVersion):
            version.state = PipState.VASTGESTELD.value
            version.adopted_on = ADOPTED
            version.adopted_by = "Sam"
            version.pip.first_adopted_on = ADOPTED
            version.pip.current_state = PipState.VASTGESTELD.value
            version.pip.in_force_number = 1
    device.close()
    supervisor.close()
    done.write_text("ok")


def run_wegwijs(folder: Path, adoptions: int) -> None:
    from app.domain.pip_lifecycle import PipState
    from app.models.pip import PipVersion
    from app.services.sync import DecisionPushService, PullService

    with tempfile.TemporaryDirectory(dir=folder.parent) as scratch_name:
        scratch = Path(scratch_name)
        for name in ("km", "sup", "share"):
            shutil.copytree(folder / name, scratch / name)
        supervisor, device = _open(scratch / "sup"), _open(scratch / "km")
        supervisor.store()
        device.store()
        share = str(scratch / "share")
        started, cpu = time.perf_counter(), time.process_time()
        pushed = DecisionPushService.for_profile(supervisor).push(share)
        push_seconds = time.perf_counter() - started
        pulled = PullService.for_profile(device).pull(share)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert pushed.error is None and pulled.error is None, (pushed.error, pulled.error)
        assert pulled.count("applied") == len(pulled.packages) > 0
        with device.store().session() as session:
            adopted = session.query(PipVersion).filter(PipVersion.state == PipState.VASTGESTELD.value).count()
        assert adopted == adoptions, adopted
        supervisor.close()
        device.close()
    print(f"packages={pushed.packaged}")
    print(f"push_seconds={push_seconds:.3f}")
    print(f"pull_seconds={seconds - push_seconds:.3f}")
    print(f"seconds={seconds:.3f}")
    print(f"cpu_seconds={cpu:.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adoptions", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--role", choices=["prepare", "wegwijs"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "prepare":
        prepare(args.folder, args.adoptions)
        return 0
    if args.role == "wegwijs":
        run_wegwijs(args.folder, args.adoptions)
        return 0
    environment = bench_environment()
    folder = work_folder() / f"decisions-{args.adoptions}"
    script = [PYTHON, __file__, "--adoptions", str(args.adoptions), "--folder", str(folder), "--role"]
    run_process([*script, "prepare"], environment)
    print(f"load average before: {loadavg()}")
    runs = [run_process([*script, "wegwijs"], environment).stdout for _ in range(args.rounds)]
    print(f"load average after: {loadavg()}")
    values = {
        name: [parse_value(out, name) for out in runs]
        for name in ("seconds", "cpu_seconds", "push_seconds", "pull_seconds", "packages")
    }
    total = median(values["seconds"])
    print(f"runs (wall s): {sorted(values['seconds'])}; CPU s: {sorted(values['cpu_seconds'])}")
    print(
        f"| decisions for {args.adoptions:,} adoptions: supervisor push + device pull "
        f"({int(values['packages'][0])} packages, folder target) | {total:.2f} s wall "
        f"(push {median(values['push_seconds']):.2f} s, pull {median(values['pull_seconds']):.2f} s; "
        f"CPU {median(values['cpu_seconds']):.2f} s) | < {TARGET_SECONDS:.0f} s |"
    )
    print("OK" if total < TARGET_SECONDS else "NOT YET AT TARGET")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
