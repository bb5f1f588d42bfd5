"""A private PostgreSQL server for the tests: Debian's own binaries, a fresh cluster in a temporary
folder, run as a user who is not root, listening on loopback only, SCRAM passwords for every
connection (pg_hba: scram-sha-256 for local and host). No mock: the real server the team store
(issue 18) runs on.

Test modules use the `postgres` fixture of tests/integration/conftest.py; this module is the helper
behind it (not a test module: it holds no tests).
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ADMIN = "wegwijs_beheer"
MINIMUM_MAJOR = 15


def server_binaries() -> Path | None:
    """The newest /usr/lib/postgresql/N/bin with N >= 15 that has initdb, or None."""
    root = Path("/usr/lib/postgresql")
    found = []
    for folder in root.glob("*/bin") if root.is_dir() else []:
        try:
            major = int(folder.parent.name)
        except ValueError:
            continue
        if major >= MINIMUM_MAJOR and (folder / "initdb").is_file():
            found.append((major, folder))
    return max(found)[1] if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    admin_password: str
    folder: Path

    def admin_url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{ADMIN}:{self.admin_password}@{self.host}:{self.port}/{database}"

    def url(self, user: str, password: str, database: str) -> str:
        return f"postgresql+psycopg://{user}:{password}@{self.host}:{self.port}/{database}"

    def plain_url(self, user: str, database: str) -> str:
        """A libpq URL without password (the password comes from PGPASSWORD, .pgpass or the keyring)."""
        return f"postgresql://{user}@{self.host}:{self.port}/{database}"

    def execute(self, *statements: str, database: str = "postgres") -> None:
        import psycopg

        dsn = (
            f"host={self.host} port={self.port} dbname={database} user={ADMIN} password={self.admin_password}"
        )
        with psycopg.connect(dsn, autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement.encode())

    def dump(self, database: str) -> str:
        """What the database administrator's `pg_dump` of `database` holds, as text."""
        binaries = server_binaries()
        assert binaries is not None
        result = subprocess.run(
            [str(binaries / "pg_dump"), "-h", self.host, "-p", str(self.port), "-U", ADMIN, database],
            check=True,
            capture_output=True,
            env={"PGPASSWORD": self.admin_password, "PATH": "/usr/bin:/bin"},
        )
        return result.stdout.decode("utf-8")

    def new_database(self, name: str | None = None) -> tuple[str, str, str]:
        """A new database owned by a new login role with a random password: (user, password, database)."""
        name = name or f"wegwijs_{secrets.token_hex(4)}"
        password = secrets.token_urlsafe(18)
        self.execute(
            f"CREATE ROLE {name} LOGIN PASSWORD '{password}'",
            f"CREATE DATABASE {name} OWNER {name} ENCODING 'UTF8' TEMPLATE template0",
        )
        return name, password, name


def _run_as(user: str | None) -> dict[str, Any]:
    if user is None:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


@contextmanager
def running_server(base: Path) -> Iterator[PostgresServer]:
    """Start a cluster in `base` (made private), yield it, stop it and remove it."""
    binaries = server_binaries()
    if binaries is None:
        raise RuntimeError("PostgreSQL 15 of nieuwer ontbreekt; scripts/setup.sh installeert het")
    # PostgreSQL refuses to run as root: as root the cluster belongs to the 'postgres' user.
    user = "postgres" if os.geteuid() == 0 else None
    base.mkdir(parents=True, exist_ok=True)
    data, sockets = base / "data", base / "sockets"
    sockets.mkdir(exist_ok=True)
    password = secrets.token_urlsafe(18)
    password_file = base / "beheerwachtwoord"
    password_file.write_text(password + "\n", encoding="utf-8")
    if user is not None:
        entry = pwd.getpwnam(user)
        for path in (base, sockets, password_file):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    os.chmod(base, 0o700)
    os.chmod(password_file, 0o600)
    as_user = _run_as(user)
    environment = {"PATH": f"{binaries}:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    subprocess.run(
        [
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-U",
            ADMIN,
            "--pwfile",
            str(password_file),
            "--auth",
            "scram-sha-256",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
        ],
        check=True,
        capture_output=True,
        env=environment,
        **as_user,
    )
    password_file.unlink()
    port = _free_port()
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=60 -c password_encryption=scram-sha-256"
    )
    subprocess.run(
        [
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(base / "server.log"),
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
        env=environment,
        **as_user,
    )
    try:
        yield PostgresServer("127.0.0.1", port, password, base)
    finally:
        subprocess.run(
            [str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            env=environment,
            **as_user,
        )
        shutil.rmtree(base, ignore_errors=True)
