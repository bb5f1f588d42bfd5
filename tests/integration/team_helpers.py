"""Builders for the team-store tests (issue 18): a new team database on the suite's PostgreSQL, the
command line run in-process, supervisor workstations that join through `keys admit-supervisor` and
`keys join-team`, and klantmanagers with packages for them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sync_helpers import add_client

from app.cli import main
from app.services.profile import open_profile


@contextmanager
def team_database(postgres: Any) -> Iterator[tuple[str, str, str]]:
    """(libpq address without password, password, SQLAlchemy URL with password) of a new database;
    PGPASSWORD set as libpq's convention asks, and put back afterwards."""
    user, password, database = postgres.new_database()
    previous = os.environ.get("PGPASSWORD")
    os.environ["PGPASSWORD"] = password
    try:
        yield postgres.plain_url(user, database), password, postgres.url(user, password, database)
    finally:
        if previous is None:
            os.environ.pop("PGPASSWORD", None)
        else:
            os.environ["PGPASSWORD"] = previous


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ok(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run a command that must succeed; its stdout."""
    code, out, err = run(capsys, *argv)
    assert code == 0, (argv, err)
    return out


def init_supervisor(
    capsys: pytest.CaptureFixture[str], folder: Path, address: str, name: str = "Sanne de Vries"
) -> tuple[int, str, str]:
    return run(
        capsys,
        "--data-dir",
        str(folder),
        "init",
        "--role",
        "supervisor",
        "--municipality",
        "Utrecht",
        "--name",
        name,
        "--database",
        address,
    )


def join_workstation(
    capsys: pytest.CaptureFixture[str], admitting: Path, new: Path, address: str, name: str = "Ruud Bakker"
) -> str:
    """A new supervisor workstation on the same team database, admitted by `admitting`; the output
    of its `keys join-team`."""
    code, out, err = init_supervisor(capsys, new, address, name)
    assert code == 0 and "join-team" in out, err
    public = new.parent / f"{new.name}-publiek.json"
    sealed = new.parent / f"{new.name}-teamsleutels.json"
    ok(capsys, "--data-dir", str(new), "keys", "export-public", "--out", str(public))
    ok(capsys, "--data-dir", str(admitting), "keys", "admit-supervisor", str(public), "--out", str(sealed))
    return ok(capsys, "--data-dir", str(new), "keys", "join-team", str(sealed))


def klantmanager_packages(
    capsys: pytest.CaptureFixture[str],
    folder: Path,
    supervisor_key: Path,
    register_with: Path,
    name: str,
    first_digit: int,
    clients: int,
) -> list[Path]:
    """A klantmanager who trusts the team's key, registered by a supervisor, with `clients` new
    clients pushed to a folder of its own; the package files, in their stream's order."""
    share = folder.parent / f"{folder.name}-doel"
    share.mkdir()
    km = str(folder)
    ok(
        capsys,
        "--data-dir",
        km,
        "init",
        "--role",
        "klantmanager",
        "--municipality",
        "Utrecht",
        "--name",
        name,
    )
    ok(capsys, "--data-dir", km, "keys", "trust-supervisor", str(supervisor_key))
    public = folder.parent / f"{folder.name}.json"
    ok(capsys, "--data-dir", km, "keys", "export-public", "--out", str(public))
    ok(capsys, "--data-dir", str(register_with), "keys", "register-device", str(public))
    profile = open_profile(folder)
    for index in range(clients):
        add_client(profile, f"{first_digit}{index:09d}", f"Naam{index}")
    profile.close()
    ok(capsys, "--data-dir", km, "sync", "push", "--target", str(share))
    return sorted((share / "inbox").glob("*.wgw"))
