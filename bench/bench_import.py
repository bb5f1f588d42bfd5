"""The supervisor imports 1,000 packages (one new client with household and case each).

Wegwijs: `import_paths` of the sync service on a fresh copy of the supervisor's profile, in its
own process (packages per second over the import alone).
Baseline: the same packages, each verified (Ed25519) and opened (SealedBox, zlib, JSON) with PyNaCl
directly, and the same record rows inserted with plain sqlcipher3 INSERT statements into a fresh
copy of the same store, in one transaction.
A third figure, "apply only", runs the same bytes through `apply_packages` without the files
(no receipts written, no inbox emptied): the same work the raw baseline does.
Whole processes alternate A B A B; the medians and the ratio (Wegwijs / raw rate) are printed.
The device's packages say that it reads batch receipts (docs/sync.md), so the import writes one
receipt per device per batch (256 packages); the raw baseline writes none (it has no receipts at all).

    .venv/bin/python bench/bench_import.py [--packages 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    PASSPHRASE,
    PYTHON,
    alternate,
    bench_environment,
    loadavg,
    median,
    parse_value,
    run_process,
    work_folder,
)

TARGET_SHARE = 0.5


def _open(data_dir: Path) -> Any:
    from app.services.profile import open_profile

    return open_profile(data_dir, lambda _new: PASSPHRASE)


def prepare(folder: Path, packages: int) -> Path:
    """A klantmanager device, a supervisor, and `packages` pushed packages in a folder target."""
    done = folder / "ready"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    from app.domain.enums import Role
    from app.models.client import Case, Client, Household
    from app.services import sync
    from app.services.profile import init_profile

    device = init_profile(folder / "km", Role.KLANTMANAGER, "Benchstad", "Karin")
    supervisor = init_profile(folder / "sup", Role.SUPERVISOR, "Benchstad", "Sam")
    sync.SyncKeysService.for_profile(supervisor).export_public(folder / "sup.json")
    sync.SyncKeysService.for_profile(device).export_public(folder / "km.json")
    sync.SyncKeysService.for_profile(device).trust_supervisor(folder / "sup.json")
    sync.SyncKeysService.for_profile(supervisor).register_device(folder / "km.json")
    sync.device_keys(supervisor)
    target = folder / "share"
    target.mkdir()
    sync.SyncTargetService.for_profile(device).configure(str(target))
    for index in range(1, packages + 1):
        with device.store().session(actor="bench") as session:
            household = Household(label=f"huishouden-{index}")
            client = Client(
                v_nummer=f"{index:010d}",
                family_name=f"Haddad{index}",
                given_names="Amal",
                name_original="أمل حداد",
                birth_date="1990-05",
                languages=["ar", "nl"],
                household=household,
            )
            session.add_all([household, client])
            session.flush()
            session.add(Case(client_id=client.id, municipality="Benchstad", coa_location="AZC Benchstad"))
        sync.PushService.for_profile(device).package_changes()
    result = sync.PushService.for_profile(device).push()
    assert result.ok and len(result.sent) == packages, result
    device.close()
    supervisor.close()
    done.write_text("ok")
    return folder


def _fresh_copy(folder: Path, scratch: Path) -> tuple[Path, Path]:
    shutil.copytree(folder / "sup", scratch / "sup")
    shutil.copytree(folder / "share", scratch / "share")
    return scratch / "sup", scratch / "share"


def run_wegwijs(folder: Path) -> None:
    from app.services import sync

    with tempfile.TemporaryDirectory(dir=folder.parent) as scratch_name:
        sup, share = _fresh_copy(folder, Path(scratch_name))
        profile = _open(sup)
        profile.store()
        started, cpu = time.perf_counter(), time.process_time()
        summary = sync.SupervisorImportService.for_profile(profile).import_paths([share])
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        imported = summary.count("imported")
        receipts = len(list((share / "receipts").iterdir()))
        assert imported == len(summary.outcomes) > 0, [o for o in summary.outcomes if o.status != "imported"][
            :3
        ]
        profile.close()
    print(f"packages={imported}")
    print(f"receipt_files={receipts}")
    print(f"rate={imported / seconds:.1f}")
    print(f"cpu_rate={imported / cpu:.1f}")


def run_apply(folder: Path) -> None:
    """Wegwijs without the files: the same packages' bytes through `apply_packages` in the service's batches
    (verify, open, validate, apply, commit), no receipts, no inbox to empty: the same work as raw."""
    from app.services import sync
    from app.services.sync.supervisor_import import BATCH_PACKAGES
    from app.sync.importer import ApplyResult, apply_packages, trusted_devices

    with tempfile.TemporaryDirectory(dir=folder.parent) as scratch_name:
        sup, share = _fresh_copy(folder, Path(scratch_name))
        profile = _open(sup)
        keys = sync.device_keys(profile)
        store = profile.store()
        with store.session() as session:
            devices = trusted_devices(session)
        files = sorted(p for p in (share / "inbox").iterdir() if p.is_file())
        started, cpu = time.perf_counter(), time.process_time()
        imported = 0
        for start in range(0, len(files), BATCH_PACKAGES):
            blobs = [path.read_bytes() for path in files[start : start + BATCH_PACKAGES]]
            results = apply_packages(store, blobs, keys, lookup_device=devices.get)
            imported += sum(1 for r in results if isinstance(r, ApplyResult) and r.outcome == "imported")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert imported == len(files), imported
        profile.close()
    print(f"packages={imported}")
    print(f"rate={imported / seconds:.1f}")
    print(f"cpu_rate={imported / cpu:.1f}")


def run_baseline(folder: Path) -> None:
    from nacl.public import SealedBox
    from nacl.signing import VerifyKey

    from app.services import sync
    from app.sync.envelope import split_package
    from app.sync.records import table_order

    with tempfile.TemporaryDirectory(dir=folder.parent) as scratch_name:
        sup, share = _fresh_copy(folder, Path(scratch_name))
        profile = _open(sup)
        keys = sync.device_keys(profile)
        connection = profile.store().engine.raw_connection()
        cursor = connection.cursor()
        verify_keys = {
            device_id: VerifyKey(bytes(key))
            for device_id, key in cursor.execute("SELECT device_id, verify_key FROM sync_peer").fetchall()
        }
        order = table_order()
        files = sorted(p for p in (share / "inbox").iterdir() if p.is_file())
        box = SealedBox(keys.private_key)
        started, cpu = time.perf_counter(), time.process_time()
        cursor.execute("BEGIN")
        for path in files:
            split = split_package(path.read_bytes())  # the framing: lengths and slices
            verify_keys[split.header.device_id].verify(split.signed, split.signature)
            payload = json.loads(zlib.decompress(box.decrypt(split.ciphertext)))
            for record in sorted(payload["records"], key=lambda r: order.get(r["table"], 0)):
                data = record["data"]
                columns = ", ".join(f'"{name}"' for name in data)
                marks = ", ".join("?" for _ in data)
                values = [json.dumps(v) if isinstance(v, list | dict) else v for v in data.values()]
                cursor.execute(f'INSERT INTO "{record["table"]}" ({columns}) VALUES ({marks})', values)
        cursor.execute("COMMIT")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        connection.close()
        profile.close()
    print(f"packages={len(files)}")
    print(f"rate={len(files) / seconds:.1f}")
    print(f"cpu_rate={len(files) / cpu:.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--role", choices=["prepare", "wegwijs", "apply", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "prepare":
        prepare(args.folder, args.packages)
        return 0
    if args.role == "wegwijs":
        run_wegwijs(args.folder)
        return 0
    if args.role == "baseline":
        run_baseline(args.folder)
        return 0
    if args.role == "apply":
        run_apply(args.folder)
        return 0
    environment = bench_environment()
    # Packages made before batch receipts (an older bench folder) would get one receipt each.
    folder = work_folder() / f"import-{args.packages}-batch-receipts"
    script = [PYTHON, __file__, "--packages", str(args.packages), "--folder", str(folder), "--role"]
    run_process([*script, "prepare"], environment)
    print(f"load average before: {loadavg()}")
    cpu: dict[str, list[float]] = {"wegwijs": [], "apply": [], "baseline": []}
    wall: dict[str, list[float]] = {"wegwijs": [], "apply": [], "baseline": []}

    receipt_files: list[float] = []

    def measure(role: str) -> float:
        out = run_process([*script, role], environment).stdout
        cpu[role].append(parse_value(out, "cpu_rate"))
        if role == "wegwijs":
            receipt_files.append(parse_value(out, "receipt_files"))
        wall[role].append(parse_value(out, "rate"))
        return wall[role][-1]

    def wegwijs_then_apply() -> float:
        measure("apply")  # A' A B: the apply-only figure shares the round
        return measure("wegwijs")

    ours, raw = alternate(args.rounds, wegwijs_then_apply, lambda: measure("baseline"))
    print(f"load average after: {loadavg()}")
    print(f"receipt files written per import: {sorted(int(n) for n in receipt_files)}")
    print(f"wegwijs packages/s: {sorted(ours)}; apply only: {sorted(wall['apply'])}; raw: {sorted(raw)}")
    print(
        f"per CPU second, wegwijs: {sorted(cpu['wegwijs'])}; apply only: {sorted(cpu['apply'])}; "
        f"raw: {sorted(cpu['baseline'])}"
    )
    rows = (
        ("wall clock", ours, raw),
        ("CPU time", cpu["wegwijs"], cpu["baseline"]),
        ("apply only, no files, wall clock", wall["apply"], raw),
        ("apply only, no files, CPU time", cpu["apply"], cpu["baseline"]),
    )
    for label, a, b in rows:
        share = median(a) / median(b)
        print(
            f"| supervisor imports {args.packages:,} packages ({label}) | {median(a):.0f} packages/s | "
            f"raw verify/open + inserts: {median(b):.0f}/s | {share:.0%} of raw | ≥ {TARGET_SHARE:.0%} of raw |"
        )
    share = median(ours) / median(raw)
    print("OK" if share >= TARGET_SHARE else "NOT YET AT TARGET")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
