"""Private by default (issue 14): after a full work cycle through the command line (init, demo, pdf,
backup, recovery sheet, push) every folder the app made is 0700 and every file 0600, nothing in the
profile is a symlink, and no temporary file was left in the shared temporary folder."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from store_helpers import load_profile, make_profile, run_wegwijs


def modes(folder: Path) -> dict[str, int]:
    found = {}
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            path = Path(root) / name
            found[str(path.relative_to(folder))] = path.lstat().st_mode
    return found


def ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.returncode == 0, result.stderr
    return str(result.stdout)


def test_every_file_of_a_work_cycle_is_private(tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o755)  # the surroundings are not private; what the app makes must be
    km, supervisor, share, pdfs = (tmp_path / name for name in ("km", "supervisor", "share", "pdf"))
    share.mkdir(mode=0o755)
    # The shared temporary folder, as TMPDIR tells every program: the app must leave nothing there.
    shared_temp = tmp_path / "gedeelde-tmp"
    shared_temp.mkdir(mode=0o777)
    environment = {"TMPDIR": str(shared_temp)}

    def run(folder: Path, *args: str) -> str:
        return ok(run_wegwijs(folder, *args, env=environment))

    run(km, "init", "--role", "klantmanager", "--municipality", "Testdorp")
    run(supervisor, "init", "--role", "supervisor", "--municipality", "Testdorp")
    run(supervisor, "keys", "export-public", "--out", str(tmp_path / "supervisor.json"))
    run(km, "keys", "trust-supervisor", str(tmp_path / "supervisor.json"))
    run(km, "demo", "--clients", "3", "--seed", "4")
    client = json.loads(run(km, "list", "--json"))["cliënten"][0]["v_nummer"]
    written = run(km, "pdf", "--client", client, "--lang", "nl", "--out", str(pdfs))
    run(km, "backup")
    run(km, "keys", "recovery-sheet", "--out", str(km / "herstelblad.pdf"))
    run(km, "sync", "push", "--target", str(share))

    found = modes(km)
    kinds = {name.split("/")[0] for name in found}
    for expected in ("wegwijs.db", "profile.json", "secrets.vault", "backups", "outbox", "recovery.json"):
        assert expected in kinds, (expected, sorted(found))
    assert any(name.startswith("outbox/") for name in found), "push wrote a package to the outbox"
    assert any(name.startswith("backups/") for name in found)
    wrong = {
        name: oct(stat.S_IMODE(mode))
        for name, mode in found.items()
        if stat.S_ISLNK(mode)
        or (stat.S_ISDIR(mode) and stat.S_IMODE(mode) != 0o700)
        or (stat.S_ISREG(mode) and stat.S_IMODE(mode) != 0o600)
    }
    assert wrong == {}, wrong
    assert stat.S_IMODE(km.stat().st_mode) == 0o700
    pdf_paths = [Path(line) for line in written.splitlines() if line.endswith(".pdf")]
    assert pdf_paths
    for path in pdf_paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(pdfs.stat().st_mode) == 0o700
    assert list(shared_temp.iterdir()) == []


def test_a_profile_made_by_an_older_version_is_made_private_when_it_opens(tmp_path: Path) -> None:
    folder = make_profile(tmp_path / "oud")
    (folder / "outbox").mkdir()
    (folder / "outbox" / "pakket.wgw").write_bytes(b"x")
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (tmp_path / "elders.txt").write_text("niet van het profiel")
    (folder / "koppeling").symlink_to(tmp_path / "elders.txt")
    os.chmod(tmp_path / "elders.txt", 0o644)

    load_profile(folder).close()
    found = modes(folder)
    for name, mode in found.items():
        if stat.S_ISLNK(mode):
            continue
        assert stat.S_IMODE(mode) == (0o700 if stat.S_ISDIR(mode) else 0o600), name
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    # A symlink is not followed: what it points to outside the profile is left alone.
    assert stat.S_IMODE((tmp_path / "elders.txt").stat().st_mode) == 0o644
