"""A supervisor's import into the team database killed with SIGKILL in the middle (issue 18): what
the server holds afterwards is whole packages only, and importing again completes the rest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from team_helpers import init_supervisor, ok, team_database

from app.models.client import Case, Client, Household
from app.services.profile import open_profile
from app.services.sync import PushService

PACKAGES = 640  # ten batches of 64: the kill lands between the first commit and the last


def one_package_per_client(folder: Path, count: int) -> None:
    profile = open_profile(folder)
    for index in range(count):
        with profile.store().session(actor="Karin") as session:
            household = Household(label=f"hh-{index}")
            client = Client(
                v_nummer=f"3{index:09d}",
                family_name=f"Naam{index}",
                given_names="Amal",
                birth_date="1990-05",
                household=household,
            )
            session.add_all([household, client])
            session.flush()
            session.add(Case(client_id=client.id, municipality="Utrecht"))
        PushService.for_profile(profile).package_changes()
    profile.close()


def state(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        counts = {
            name: connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
            for name in ("client", "household", "client_case", "sync_imported")
        }
        # A record whose package is not recorded as imported would be half of something.
        counts["orphans"] = connection.execute(
            text(
                "SELECT count(*) FROM sync_record_origin o WHERE NOT EXISTS (SELECT 1 FROM sync_imported i "
                "WHERE i.device_id = o.device_id AND i.sequence = o.sequence)"
            )
        ).scalar_one()
        counts["distinct_v"] = connection.execute(
            text("SELECT count(DISTINCT v_nummer) FROM client")
        ).scalar_one()
    engine.dispose()
    return counts


def test_a_killed_import_leaves_whole_packages_and_a_second_import_completes(
    tmp_path: Path,
    passphrase_env: str,
    postgres: Any,
    capsys: pytest.CaptureFixture[str],
    wegwijs_command: list[str],
) -> None:
    with team_database(postgres) as (address, _password, url):
        sup, km, share = tmp_path / "sup", tmp_path / "km", tmp_path / "doel"
        share.mkdir()
        assert init_supervisor(capsys, sup, address)[0] == 0
        ok(capsys, "--data-dir", str(sup), "keys", "export-public", "--out", str(tmp_path / "sup.json"))
        ok(
            capsys,
            "--data-dir",
            str(km),
            "init",
            "--role",
            "klantmanager",
            "--municipality",
            "Utrecht",
            "--name",
            "Karin",
        )
        ok(capsys, "--data-dir", str(km), "keys", "trust-supervisor", str(tmp_path / "sup.json"))
        ok(capsys, "--data-dir", str(km), "keys", "export-public", "--out", str(tmp_path / "km.json"))
        ok(capsys, "--data-dir", str(sup), "keys", "register-device", str(tmp_path / "km.json"))
        one_package_per_client(km, PACKAGES)
        ok(capsys, "--data-dir", str(km), "sync", "push", "--target", str(share))
        files = sorted(str(p) for p in (share / "inbox").glob("*.wgw"))
        assert len(files) == PACKAGES

        process = subprocess.Popen(
            [*wegwijs_command, "--data-dir", str(sup), "import", *files, "--json"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ),
        )
        deadline = time.monotonic() + 300
        while state(url)["sync_imported"] == 0 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert process.returncode == -signal.SIGKILL
        after_kill = state(url)
        assert 0 < after_kill["sync_imported"] < PACKAGES, "the kill should land in the middle"
        # Whole packages only: each imported package brought its client, household and case.
        applied = after_kill["sync_imported"]
        assert after_kill["client"] == after_kill["household"] == after_kill["client_case"] == applied
        assert after_kill["orphans"] == 0

        out = ok(capsys, "--data-dir", str(sup), "import", *files, "--json")
        outcomes = [line["status"] for line in json.loads(out)["packages"]]
        assert outcomes.count("duplicate") == applied
        assert outcomes.count("imported") == PACKAGES - applied
        final = state(url)
        assert final["client"] == final["distinct_v"] == final["sync_imported"] == PACKAGES
        assert final["orphans"] == 0
