"""The import's single entries and devices: links never followed, WebDAV names with %5C, packages
from the future, revoked devices (CLI), records of another device's client, 64-bit integers, and a
bounded quarantine without doubles. Real profiles, real folder and WebDAV targets."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from hostile_helpers import renumbered, sealed, template_payload
from sqlalchemy import func, select
from store_helpers import UNPRIVILEGED_UID, can_drop_privileges, run_wegwijs
from sync_helpers import WEBDAV_PASSWORD, WEBDAV_USER, Pair, WebDavServer, make_pair

from app.cli import main
from app.models.client import Client
from app.models.sync_state import SyncConflict
from app.services.sync import SupervisorImportService, SyncKeysService, device_keys
from app.services.sync.quarantine import NOTE_SUFFIX, Quarantine
from app.services.sync.records import quarantine_dir
from app.sync.errors import RefusalReason
from app.sync.keys import DeviceKeys

SECRET = b"[keyring]\nstore-key = 0123456789abcdef\n"


def _target(folder: Path) -> Path:
    (folder / "inbox").mkdir(parents=True)
    (folder / "receipts").mkdir()
    return folder


def _import(pair: Pair, *paths: Path | str) -> dict[str, object]:
    summary = SupervisorImportService.for_profile(pair.supervisor).import_paths(list(paths))
    return {o.name: o for o in summary.outcomes}


def _names(pair: Pair) -> set[str]:
    with pair.supervisor.store().session() as session:
        return set(session.scalars(select(Client.v_nummer)))


def test_a_link_in_the_inbox_is_refused_and_never_followed(pair: Pair, tmp_path: Path) -> None:
    template = template_payload(pair)
    secret = tmp_path / "keyring.cfg"
    secret.write_bytes(SECRET)
    os.chmod(secret, 0o600)
    target = _target(tmp_path / "share2")
    (target / "inbox" / "0-sleutels.wgw").symlink_to(secret)
    (target / "inbox" / "a\\b.wgw").write_bytes(sealed(pair, renumbered(template, "7000000001")[0], 500))
    outcomes = _import(pair, target)
    link = outcomes["0-sleutels.wgw"]
    assert (link.status, link.reason) == ("refused", "not_a_file")  # type: ignore[attr-defined]
    assert not Path(link.quarantined).exists()  # type: ignore[attr-defined]  # the note only
    assert outcomes["a\\b.wgw"].status == "imported"  # type: ignore[attr-defined]  # only a name
    assert "7000000001" in _names(pair)
    assert not (target / "inbox" / "0-sleutels.wgw").is_symlink()  # the link went, not the file
    assert secret.read_bytes() == SECRET
    assert all(SECRET not in p.read_bytes() for p in quarantine_dir(pair.supervisor).iterdir())


def test_a_webdav_name_with_a_backslash_is_refused_and_the_rest_imports(pair: Pair, tmp_path: Path) -> None:
    template = template_payload(pair)
    root = tmp_path / "webdav-root"
    server = WebDavServer(root).start()
    try:
        (root / "inbox").mkdir(parents=True)
        (root / "receipts").mkdir()
        (root / "inbox" / "a\\b.wgw").write_bytes(sealed(pair, renumbered(template, "7000000002")[0], 600))
        (root / "inbox" / "c.wgw").write_bytes(sealed(pair, renumbered(template, "7000000003")[0], 601))
        url = server.url.replace("http://", f"http://{WEBDAV_USER}:{WEBDAV_PASSWORD}@")
        outcomes = _import(pair, url)
    finally:
        server.stop()
    bad = outcomes["a\\b.wgw"]
    assert (bad.status, bad.reason) == ("refused", "bad_name")  # type: ignore[attr-defined]
    assert outcomes["c.wgw"].status == "imported"  # type: ignore[attr-defined]
    assert _names(pair) >= {"7000000003"} and "7000000002" not in _names(pair)
    assert sorted(os.listdir(root / "inbox")) == []  # removed by the server's own name for it


def test_a_package_from_the_future_is_refused_and_a_slow_clock_is_fine(pair: Pair, tmp_path: Path) -> None:
    template = template_payload(pair)
    folder = tmp_path / "stick"
    folder.mkdir()
    now = dt.datetime.now(dt.UTC)
    (folder / "later.wgw").write_bytes(
        sealed(pair, renumbered(template, "7000000004")[0], 700, now + dt.timedelta(days=2))
    )
    (folder / "soon.wgw").write_bytes(
        sealed(pair, renumbered(template, "7000000005")[0], 701, now + dt.timedelta(hours=1))
    )
    outcomes = _import(pair, folder)
    assert (outcomes["later.wgw"].status, outcomes["later.wgw"].reason) == ("refused", "from_the_future")  # type: ignore[attr-defined]
    assert outcomes["soon.wgw"].status == "imported"  # type: ignore[attr-defined]
    assert "7000000004" not in _names(pair)


def test_integers_beyond_64_bits_are_refused(pair: Pair, tmp_path: Path) -> None:
    template = template_payload(pair)
    folder = tmp_path / "stick"
    folder.mkdir()
    payload, _client = renumbered(template, "7000000006")
    next(r for r in payload["records"] if r["table"] == "client")["version"] = 2**63
    (folder / "groot-getal.wgw").write_bytes(sealed(pair, payload, 800))
    (folder / "groot-volgnummer.wgw").write_bytes(sealed(pair, renumbered(template, "7000000007")[0], 2**64))
    outcomes = _import(pair, folder)
    assert outcomes["groot-getal.wgw"].reason == "invalid_payload"  # type: ignore[attr-defined]
    assert outcomes["groot-volgnummer.wgw"].reason == "tampered"  # type: ignore[attr-defined]
    assert not {"7000000006", "7000000007"} & _names(pair)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_revoke_device_is_final(pair: Pair, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = template_payload(pair)
    supervisor = str(pair.supervisor.data_dir)
    fingerprint = device_keys(pair.device).fingerprint
    code, out, err = run(capsys, "--data-dir", supervisor, "keys", "revoke-device", fingerprint)
    assert code == 0 and "ingetrokken" in out and err == ""
    folder = tmp_path / "stick"
    folder.mkdir()
    (folder / "na.wgw").write_bytes(sealed(pair, renumbered(template, "7000000008")[0], 900))
    assert _import(pair, folder)["na.wgw"].reason == RefusalReason.REVOKED_DEVICE.value  # type: ignore[attr-defined]
    # Registering the same key again does not undo it: refused in one Dutch sentence.
    code, out, err = run(
        capsys, "--data-dir", supervisor, "keys", "register-device", str(tmp_path / "km.json")
    )
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1 and "ingetrokken" in err
    (folder / "na.wgw").write_bytes(sealed(pair, renumbered(template, "7000000009")[0], 901))
    assert _import(pair, folder)["na.wgw"].reason == "revoked_device"  # type: ignore[attr-defined]
    # The digits run together name the device too; an unknown one is refused, a usage error is 2.
    code, _out, _err = run(
        capsys, "--data-dir", supervisor, "keys", "revoke-device", fingerprint.replace(" ", "")
    )
    assert code == 0
    code, out, err = run(capsys, "--data-dir", supervisor, "keys", "revoke-device", "12345 67890")
    assert code == 1 and out == "" and "vingerafdruk" in err
    with pytest.raises(SystemExit) as usage:
        main(["--data-dir", supervisor, "keys", "revoke-device"])
    assert usage.value.code == 2


def test_a_device_changes_only_the_records_of_its_own_clients(pair: Pair, tmp_path: Path) -> None:
    template = template_payload(pair)
    payload, client_id = renumbered(template, "7000000010")
    folder = tmp_path / "stick"
    folder.mkdir()
    (folder / "eerst.wgw").write_bytes(sealed(pair, payload, 1000))
    assert _import(pair, folder)["eerst.wgw"].status == "imported"  # type: ignore[attr-defined]
    other = make_pair(tmp_path / "tweede")
    try:
        SyncKeysService.for_profile(other.device).export_public(tmp_path / "km2.json")
        SyncKeysService.for_profile(pair.supervisor).register_device(tmp_path / "km2.json")
        second: DeviceKeys = device_keys(other.device)
        # A proper edit of the current version, but from a device the client is not assigned to.
        client = next(r for r in payload["records"] if r["table"] == "client")
        edit = dict(client, version=client["version"] + 1, base_version=client["version"])
        edit["data"] = dict(client["data"], family_name="Overgenomen", version=client["version"] + 1)
        foreign = renumbered(template, "7000000011")[0]  # and a client of its own
        from app.sync.envelope import seal_package

        data = seal_package(
            {"schema": 1, "records": [edit, *foreign["records"]]},
            keys=second,
            recipient=device_keys(pair.supervisor).public(),
            sequence=1,
            created_at=dt.datetime.now(dt.UTC),
        )
        (folder / "tweede.wgw").write_bytes(data)
        outcome = _import(pair, folder / "tweede.wgw")["tweede.wgw"]
    finally:
        other.device.close()
        other.supervisor.close()
    assert (outcome.status, outcome.conflicts) == ("conflict", 1)  # type: ignore[attr-defined]
    with pair.supervisor.store().session() as session:
        kept = session.get(Client, client_id)
        assert kept is not None and kept.family_name != "Overgenomen"
        assert session.scalar(select(func.count()).select_from(SyncConflict)) == 1
    assert "7000000011" in _names(pair)


def test_the_quarantine_keeps_one_copy_and_stays_within_its_bounds(pair: Pair, tmp_path: Path) -> None:
    pair.supervisor.settings.options.update({"quarantine_days": 1, "quarantine_mb": 1})
    quarantine = Quarantine(pair.supervisor)
    first = quarantine.keep("a.wgw", b"x" * 1000, RefusalReason.NOT_A_PACKAGE, "")
    again = quarantine.keep("b.wgw", b"x" * 1000, RefusalReason.NOT_A_PACKAGE, "")
    assert first == again  # the same bytes under another name: one copy
    big = quarantine.keep("c.wgw", b"y" * (2 * 1024 * 1024), RefusalReason.NOT_A_PACKAGE, "")
    assert not big.exists() and Path(str(big) + NOTE_SUFFIX).is_file()  # over the bound: the note only
    old = time.time() - 3 * 86400
    for path in quarantine.folder.iterdir():
        if path.name.startswith(first.name):
            os.utime(path, (old, old))
    quarantine.keep("d.wgw", b"z" * 600_000, RefusalReason.NOT_A_PACKAGE, "")
    quarantine.keep("e.wgw", b"w" * 600_000, RefusalReason.NOT_A_PACKAGE, "")
    removed = quarantine.prune()
    left = sorted(p.name for p in quarantine.folder.iterdir())
    assert removed >= 2 and not first.exists()  # too old; then the oldest until it fits 1 MB
    assert sum((quarantine.folder / n).stat().st_size for n in left) <= 1024 * 1024
    assert any(name.endswith("-e.wgw") for name in left)


def test_the_quarantine_bounds_are_municipal_options(pair: Pair, tmp_path: Path) -> None:
    from app.services.policy import load_policy

    policy_file = tmp_path / "beleid.toml"
    policy_file.write_text("[opties]\nquarantine_days = 7\nquarantine_mb = 5\n", encoding="utf-8")
    loaded = load_policy(policy_file)
    assert loaded.problem is None and loaded.policy is not None
    pair.supervisor.settings.options.update(loaded.policy.fixed_options)
    limits = Quarantine(pair.supervisor).limits
    assert (limits.max_age_seconds, limits.max_bytes) == (7 * 86400, 5 * 1024 * 1024)
    policy_file.write_text("[opties]\nquarantine_days = 0\n", encoding="utf-8")
    assert load_policy(policy_file).problem  # out of range: the policy is refused as a whole


def test_a_file_the_supervisor_cannot_read_is_refused_and_the_rest_imports(
    pair: Pair, tmp_path: Path, passphrase_env: str
) -> None:
    """As root every file is readable: the import runs as an unprivileged user (setpriv)."""
    import json
    import shutil
    import tempfile

    if not can_drop_privileges():
        pytest.skip("needs root and setpriv: as root, permission bits do not stop a read")
    template = template_payload(pair)
    good = sealed(pair, renumbered(template, "7000000012")[0], 1100)
    parent = Path(tempfile.mkdtemp(prefix="wegwijs-onleesbaar-"))
    try:
        parent.chmod(0o755)
        pair.supervisor.store().checkpoint()
        profile = Path(shutil.copytree(pair.supervisor.data_dir, parent / "sup"))
        share = _target(parent / "share")
        (share / "inbox" / "1-goed.wgw").write_bytes(good)
        for path in [profile, *profile.rglob("*"), share, *share.rglob("*")]:
            os.chown(path, UNPRIVILEGED_UID, UNPRIVILEGED_UID, follow_symlinks=False)
        closed = share / "inbox" / "0-geheim.wgw"
        closed.write_bytes(good[:100])  # root's, 0600: the unprivileged supervisor cannot read it
        closed.chmod(0o600)
        result = run_wegwijs(
            profile,
            "import",
            str(share),
            "--json",
            as_user=UNPRIVILEGED_UID,
            passphrase=passphrase_env,
        )
        assert result.returncode == 1, result.stderr
        outcomes = {p["name"]: p for p in json.loads(result.stdout)["packages"]}
        assert (outcomes["0-geheim.wgw"]["status"], outcomes["0-geheim.wgw"]["reason"]) == (
            "refused",
            "unreadable",
        )
        assert outcomes["1-goed.wgw"]["status"] == "imported"
        assert closed.exists()  # nothing was read, so nothing is taken away
        assert sorted(os.listdir(share / "inbox")) == ["0-geheim.wgw"]
    finally:
        shutil.rmtree(parent, ignore_errors=True)
