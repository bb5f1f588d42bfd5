"""Builders for the sync tests: two real profiles and a folder target (the `pair` fixture in
conftest.py makes one), clients, snapshots and a real WebDAV server."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from profile_templates import TEMPLATES, opened

from app.domain.enums import Role
from app.models.base import Base
from app.models.client import Case, Client, Household
from app.services.profile import Profile, init_profile
from app.services.sync import PushService, SyncKeysService


@dataclass
class Pair:
    device: Profile
    supervisor: Profile
    target: Path
    folder: Path


def make_pair(folder: Path) -> Pair:
    """The pair in `folder` (km/, sup/, their public keys and share/), copied from this session's
    template of it where one can be used (tests/profile_templates.py)."""
    if TEMPLATES.copy(("pair",), folder, build_pair):
        return Pair(opened(folder / "km"), opened(folder / "sup"), folder / "share", folder)
    return exchange_keys(folder)


def build_pair(folder: Path) -> None:
    folder.mkdir(mode=0o700)
    made = exchange_keys(folder)
    made.device.close()
    made.supervisor.close()


def exchange_keys(folder: Path) -> Pair:
    device = init_profile(folder / "km", Role.KLANTMANAGER, "Utrecht", "Karin")
    supervisor = init_profile(folder / "sup", Role.SUPERVISOR, "Utrecht", "Sam")
    SyncKeysService.for_profile(supervisor).export_public(folder / "sup.json")
    SyncKeysService.for_profile(device).export_public(folder / "km.json")
    SyncKeysService.for_profile(device).trust_supervisor(folder / "sup.json")
    SyncKeysService.for_profile(supervisor).register_device(folder / "km.json")
    target = folder / "share"
    target.mkdir()
    return Pair(device, supervisor, target, folder)


def add_client(profile: Profile, v_nummer: str, name: str, label: str | None = None) -> Client:
    with profile.store().session(actor="Karin") as session:
        household = Household(label=label or f"hh-{v_nummer}")
        client = Client(
            v_nummer=v_nummer,
            family_name=name,
            given_names="Amal",
            name_original="أمل",
            birth_date="1990-05",
            languages=["ar", "nl"],
            household=household,
        )
        session.add_all([household, client])
        session.flush()
        session.add(Case(client_id=client.id, municipality="Utrecht", koppeldatum=dt.date(2026, 3, 1)))
    return client


def snapshot(profile: Profile) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: 'exactly as before' means this is equal."""
    with profile.store().session() as session:
        return {
            table.name: sorted((tuple(row) for row in session.execute(table.select())), key=repr)
            for table in Base.metadata.sorted_tables
        }


WEBDAV_USER = "karin"
WEBDAV_PASSWORD = "geheim-wachtwoord"

# Runs in a child process, so the test can let the server die for real (mid-upload) and restart it.
_WEBDAV_SERVER = r"""
import os, sys
from cheroot import wsgi
from wsgidav.wsgidav_app import WsgiDAVApp

root, port, die_after, user, password = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
app = WsgiDAVApp({
    "provider_mapping": {"/dav": root},
    "http_authenticator": {"domain_controller": None, "accept_basic": True, "accept_digest": False,
                           "default_to_digest": False},
    "simple_dc": {"user_mapping": {"*": {user: {"password": password}}}},
    "verbose": 0,
    "logging": {"enable_loggers": []},
})

def dying(environ, start_response):
    # Read part of an upload into the inbox, then vanish without answering: a server going away.
    if die_after >= 0 and environ["REQUEST_METHOD"] == "PUT" and "/inbox/" in environ["PATH_INFO"]:
        environ["wsgi.input"].read(die_after)
        os._exit(3)
    return app(environ, start_response)

server = wsgi.Server(("127.0.0.1", port), dying, numthreads=4)
server.start()
"""


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class WebDavServer:
    """A real wsgidav + cheroot WebDAV server on loopback, in a child process."""

    def __init__(self, root: Path, port: int | None = None) -> None:
        self.root = root
        self.port = port or free_port()
        self.process: Any = None
        self.returncode: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/dav/"

    def start(self, die_after_bytes: int = -1) -> WebDavServer:
        import socket
        import subprocess
        import sys
        import time

        self.root.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _WEBDAV_SERVER,
                str(self.root),
                str(self.port),
                str(die_after_bytes),
                WEBDAV_USER,
                WEBDAV_PASSWORD,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("the WebDAV server did not start") from None
                time.sleep(0.05)
        raise RuntimeError("the WebDAV server did not start in time")

    def wait_exit(self, timeout: float = 10.0) -> int | None:
        """For a server expected to go away by itself: its exit status once it has."""
        if self.process is not None:
            self.returncode = self.process.wait(timeout=timeout)
            self.process = None
        return self.returncode

    def stop(self) -> None:
        if self.process is not None:
            self.returncode = self.process.poll()
            if self.returncode is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except Exception:
                    self.process.kill()
                    self.process.wait()
            self.process = None


def pushed_package(pair: Pair) -> bytes:
    """The device's pending changes pushed as one package: its bytes, the inbox emptied again."""
    result = PushService.for_profile(pair.device).push(str(pair.target))
    assert result.packaged == 1
    data = (pair.target / "inbox" / max(result.sent)).read_bytes()
    for path in (pair.target / "inbox").iterdir():
        path.unlink()
    return data
