"""Sync speed: importing 1,000 packages (target < 10 s) and pushing 100 pending changes (< 2 s).

Run from the repository root with the venv active:  python bench/bench_sync.py
Uses real SQLCipher profiles in a temporary folder, the passphrase vault (no keyring needed), a
folder target and a WebDAV target (wsgidav + cheroot on loopback, in this process).
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
os.environ.setdefault("WEGWIJS_PASSPHRASE", "benchmark-wachtwoord")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.domain.enums import Role  # noqa: E402
from app.models.client import Case, Client, Household  # noqa: E402
from app.services.profile import Profile, init_profile  # noqa: E402
from app.services.sync import (  # noqa: E402
    PushService,
    SupervisorImportService,
    SyncKeysService,
    SyncTargetService,
)

PACKAGES = 1000
CHANGES = 100


def add_client(profile: Profile, index: int) -> None:
    with profile.store().session(actor="bench") as session:
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
        session.add(Case(client_id=client.id, municipality="Utrecht", coa_location="AZC Utrecht"))


def webdav_server(root: Path) -> tuple[str, object]:
    from cheroot import wsgi
    from wsgidav.wsgidav_app import WsgiDAVApp

    root.mkdir()
    app = WsgiDAVApp(
        {
            "provider_mapping": {"/dav": str(root)},
            "simple_dc": {"user_mapping": {"*": True}},
            "verbose": 0,
            "logging": {"enable_loggers": []},
        }
    )
    server = wsgi.Server(("127.0.0.1", 0), app, numthreads=4)
    server.prepare()
    threading.Thread(target=server.serve, daemon=True).start()
    port = server.bind_addr[1]
    return f"http://127.0.0.1:{port}/dav/", server


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="wegwijs-bench-") as folder_name:
        folder = Path(folder_name)
        device = init_profile(folder / "km", Role.KLANTMANAGER, "Utrecht", "Karin")
        supervisor = init_profile(folder / "sup", Role.SUPERVISOR, "Utrecht", "Sam")
        SyncKeysService.for_profile(supervisor).export_public(folder / "sup.json")
        SyncKeysService.for_profile(device).export_public(folder / "km.json")
        SyncKeysService.for_profile(device).trust_supervisor(folder / "sup.json")
        SyncKeysService.for_profile(supervisor).register_device(folder / "km.json")
        target = folder / "share"
        target.mkdir()
        SyncTargetService.for_profile(device).configure(str(target))

        print(f"Preparing {PACKAGES} packages (one new client with household and case each)…")
        for index in range(PACKAGES):
            add_client(device, index + 1)
            PushService.for_profile(device).package_changes()
        result = PushService.for_profile(device).push()
        assert result.ok and len(result.sent) == PACKAGES, result

        start, cpu_start = time.perf_counter(), time.process_time()
        summary = SupervisorImportService.for_profile(supervisor).import_paths([target])
        import_seconds = time.perf_counter() - start
        import_cpu = time.process_time() - cpu_start
        assert summary.count("imported") == PACKAGES, [o for o in summary.outcomes if o.status != "imported"][
            :3
        ]
        print(
            f"import of {PACKAGES} packages ({PACKAGES * 3} records): {import_seconds:.2f} s "
            f"({import_seconds / PACKAGES * 1000:.1f} ms per package, {import_cpu:.2f} s CPU; target < 10 s)"
        )

        results = {"import_1000": import_seconds}
        for label, target_text in (("folder", str(target)), ("webdav", None)):
            server = None
            if target_text is None:
                target_text, server = webdav_server(folder / "webdav")
            PushService.for_profile(device).push(target_text)  # receipts in, outbox empty, target remembered
            with device.store().session(actor="bench") as session:
                clients = session.query(Client).order_by(Client.v_nummer).limit(CHANGES).all()
                for client in clients:
                    client.given_names = f"{client.given_names} {label}"
            start = time.perf_counter()
            pushed = PushService.for_profile(device).push()
            seconds = time.perf_counter() - start
            assert pushed.ok and pushed.packaged == 1 and len(pushed.sent) == 1, pushed
            print(f"push of {CHANGES} pending changes to a {label} target: {seconds:.3f} s (target < 2 s)")
            results[f"push_{label}"] = seconds
            if server is not None:
                server.stop()  # type: ignore[attr-defined]
        device.close()
        supervisor.close()
    ok = results["import_1000"] < 10 and all(v < 2 for k, v in results.items() if k.startswith("push"))
    print("OK" if ok else "TOO SLOW")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
