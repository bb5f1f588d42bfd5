"""An import no single entry can stop: whatever lies in the inbox beside the genuine packages (odd
names, links, pipes, folders, garbage, JSON nested 200,000 deep, a sequence of 2**63), every genuine
package imports, every hostile entry is refused with its reason and quarantined, nothing of a refused
package is applied, and no secret is copied through a link. Real profiles, real folder target."""

from __future__ import annotations

import itertools
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from hostile_helpers import deeply_nested, renumbered, sealed, template_payload
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sync_helpers import Pair

from app.models.client import Client
from app.models.sync_state import ImportedPackage
from app.services.sync import SupervisorImportService
from app.services.sync.records import quarantine_dir

SECRET = b"store-key: 0123456789abcdef; private keys here"
_numbers = itertools.count(1)
_sequences = itertools.count(1000)

# Names a share may hold: spaces, backslashes, accents, Arabic, dashes first; never a dot first
# (temporary uploads, skipped by design), never a slash or NUL (no file system allows them).
names = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 _-\\'é؟ت") + ["\u200f"]), min_size=1, max_size=24
).filter(lambda n: not n.startswith(".") and n.strip() == n and n not in ("receipts",))

KINDS = (
    "genuine",
    "garbage",
    "empty",
    "truncated",
    "link",
    "pipe",
    "folder",
    "deep",
    "huge_sequence",
    "orphan",
)
entries = st.lists(st.tuples(st.sampled_from(KINDS), names), min_size=1, max_size=7)


def _client_count(pair: Pair) -> int:
    with pair.supervisor.store().session() as session:
        return int(session.scalar(select(func.count()).select_from(Client)) or 0)


def _clients(pair: Pair, ids: list[Any]) -> set[Any]:
    with pair.supervisor.store().session() as session:
        return set(session.scalars(select(Client.id).where(Client.id.in_(ids))))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=entries)
def test_hostile_entries_never_stop_the_genuine_packages(pair: Pair, tmp_path: Path, entries: list) -> None:
    template = getattr(pair, "_template", None) or template_payload(pair)
    pair._template = template  # type: ignore[attr-defined]  # one real package per test, reused
    secret = tmp_path / "keyring.cfg"
    secret.write_bytes(SECRET)
    target = Path(tempfile.mkdtemp(dir=tmp_path))
    inbox = target / "inbox"
    inbox.mkdir()
    (target / "receipts").mkdir()
    genuine: dict[str, Any] = {}
    hostile: dict[str, Any] = {}  # name -> the client id a refused package must not leave behind
    used: set[str] = set()
    for kind, name in entries:
        name = f"{next(_numbers):03d}-{name}"  # unique per example, still hostile
        used.add(name)
        path = inbox / name
        number = f"{7000000000 + next(_numbers)}"
        payload, client_id = renumbered(template, number)
        if kind == "genuine":
            path.write_bytes(sealed(pair, payload, next(_sequences)))
            genuine[name] = client_id
        elif kind == "garbage":
            path.write_bytes(os.urandom(300))
            hostile[name] = None
        elif kind == "empty":
            path.write_bytes(b"")
            hostile[name] = None
        elif kind == "truncated":
            data = sealed(pair, payload, next(_sequences))
            path.write_bytes(data[: len(data) // 2])
            hostile[name] = client_id
        elif kind == "link":
            path.symlink_to(secret)
            hostile[name] = None
        elif kind == "pipe":
            os.mkfifo(path)
            hostile[name] = None
        elif kind == "folder":
            path.mkdir()  # not an entry at all: left alone
        elif kind == "deep":
            path.write_bytes(deeply_nested(pair, next(_sequences)))
            hostile[name] = None
        elif kind == "huge_sequence":
            path.write_bytes(sealed(pair, payload, 2**63))
            hostile[name] = client_id
        elif kind == "orphan":  # the client's household left out: the client cannot go in alone
            payload["records"] = [r for r in payload["records"] if r["table"] != "household"]
            path.write_bytes(sealed(pair, payload, next(_sequences)))
            hostile[name] = client_id
    packages_before = _imported(pair)

    summary = SupervisorImportService.for_profile(pair.supervisor).import_paths([target])

    outcomes = {o.name: o for o in summary.outcomes}
    assert set(outcomes) == set(genuine) | set(hostile)
    for name in genuine:
        assert outcomes[name].status == "imported", (name, outcomes[name])
    assert _clients(pair, list(genuine.values())) == set(genuine.values())
    for name in hostile:
        outcome = outcomes[name]
        assert outcome.status == "refused" and outcome.reason and outcome.message, (name, outcome)
        assert outcome.quarantined and Path(outcome.quarantined + ".reden.txt").is_file(), name
    # Nothing of a refused package was applied: no client of it, no package row beyond the genuine.
    assert not _clients(pair, [c for c in hostile.values() if c is not None])
    assert _imported(pair) - packages_before == len(genuine)
    # The inbox is empty but for folders; the secret was never copied, everything kept is private.
    assert all((inbox / name).is_dir() for name in os.listdir(inbox))
    assert secret.read_bytes() == SECRET
    quarantine = quarantine_dir(pair.supervisor)
    if hostile:
        assert stat.S_IMODE(quarantine.stat().st_mode) == 0o700
    for kept in quarantine.iterdir() if quarantine.exists() else []:
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600, kept
        assert kept.read_bytes() != SECRET, kept


def _imported(pair: Pair) -> int:
    with pair.supervisor.store().session() as session:
        return int(session.scalar(select(func.count()).select_from(ImportedPackage)) or 0)
