"""The recovery sheet and `keys recover` (issue 14): a lost keyring entry or vault passphrase is not
lost data."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from store_helpers import copy_profile, load_profile, make_profile, one_dutch_refusal, run_wegwijs

from app.domain.enums import Role
from app.models.secrets import VAULT_FILE
from app.services.maintenance.recovery import RECOVERY_FILE, RecoveryError, RecoveryService
from app.services.profile import STORE_KEY_NAME, init_profile, open_profile
from app.services.sync import device_keys

NEW_PASSPHRASE = "een nieuw wachtwoord"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = make_profile(tmp_path_factory.mktemp("recovery") / "profiel")
    result = run_wegwijs(folder, "demo", "--clients", "4", "--seed", "2")
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def profile_dir(template: Path, tmp_path: Path) -> Path:
    return copy_profile(template, tmp_path / "profiel")


def key_from_sheet(pdf: Path) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    groups = re.findall(r"\b[A-Z2-7]{4}\b", text.split("Herstelsleutel", 1)[1])
    assert len(groups) >= 10, text
    return "-".join(groups[:10])


def test_the_sheet_shows_the_key_the_profile_and_what_to_do(
    profile_dir: Path, tmp_path: Path, artifacts_dir: Path
) -> None:
    sheet = tmp_path / "herstelblad.pdf"
    result = run_wegwijs(profile_dir, "keys", "recovery-sheet", "--out", str(sheet))
    assert result.returncode == 0, result.stderr
    assert sheet.stat().st_mode & 0o777 == 0o600
    assert (profile_dir / RECOVERY_FILE).stat().st_mode & 0o777 == 0o600
    text = PdfReader(sheet).pages[0].extract_text()
    profile = load_profile(profile_dir)
    for expected in ("Wegwijs herstelblad", "Testdorp", profile.settings.store_id, "wegwijs keys recover"):
        assert expected in text, expected
    assert re.search(r"\d{2}-\d{2}-\d{4}", text)
    key = key_from_sheet(sheet)
    # The key is only on the sheet: neither it nor the store key is in the profile in the clear.
    store_key = profile.secrets.get(STORE_KEY_NAME)
    assert store_key is not None
    wrapped = (profile_dir / RECOVERY_FILE).read_bytes()
    assert key.replace("-", "").encode() not in wrapped
    assert store_key.hex().encode() not in wrapped
    png = artifacts_dir / "recovery-sheet"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(sheet), str(png)], check=True)
    assert png.with_suffix(".png").stat().st_size > 1000


def test_a_lost_vault_passphrase_is_recovered_with_the_sheet(profile_dir: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "blad.pdf"
    assert run_wegwijs(profile_dir, "keys", "recovery-sheet", "--out", str(sheet)).returncode == 0
    before = run_wegwijs(profile_dir, "keys", "show").stdout
    assert "vingerafdruk" in before
    # The passphrase is forgotten: the vault is of no use any more.
    refusal = one_dutch_refusal(run_wegwijs(profile_dir, "list", passphrase="vergeten wachtwoord"))
    assert "onjuist" in refusal
    result = run_wegwijs(
        profile_dir,
        "keys",
        "recover",
        passphrase=NEW_PASSPHRASE,
        env={"WEGWIJS_RECOVERY_KEY": key_from_sheet(sheet).lower().replace("-", " ")},
    )
    assert result.returncode == 0, result.stderr
    assert list(profile_dir.glob(f"{VAULT_FILE}.*.voor-herstel")), "the old vault is kept aside"
    listing = run_wegwijs(profile_dir, "list", passphrase=NEW_PASSPHRASE)
    assert listing.returncode == 0, listing.stderr
    assert "4 cliënten." in listing.stdout
    # The device keys came back too: the same fingerprints, so the supervisor still knows this device.
    assert run_wegwijs(profile_dir, "keys", "show", passphrase=NEW_PASSPHRASE).stdout == before


def test_an_older_sheet_or_a_typo_is_refused_and_changes_nothing(profile_dir: Path, tmp_path: Path) -> None:
    profile = load_profile(profile_dir)
    service = RecoveryService.for_profile(profile)
    old = key_from_sheet(Path(service.write_sheet(tmp_path / "oud.pdf").path))
    new = key_from_sheet(Path(service.write_sheet(tmp_path / "nieuw.pdf").path))
    vault = (profile_dir / VAULT_FILE).read_bytes()
    with pytest.raises(RecoveryError, match="ouder herstelblad"):
        RecoveryService.for_profile(load_profile(profile_dir)).recover(old)
    typo = new[:5] + ("A" if new[5] != "A" else "C") + new[6:]
    with pytest.raises(RecoveryError, match="niet goed overgetikt"):
        RecoveryService.for_profile(load_profile(profile_dir)).recover(typo)
    assert (profile_dir / VAULT_FILE).read_bytes() == vault
    profile.close()


def test_without_a_key_and_without_a_terminal_recover_names_the_variable(
    profile_dir: Path, tmp_path: Path
) -> None:
    message = one_dutch_refusal(run_wegwijs(profile_dir, "keys", "recover"))
    assert "WEGWIJS_RECOVERY_KEY" in message


@pytest.mark.secret_service
def test_a_lost_keyring_entry_is_put_back_in_the_keyring(secret_service: str, tmp_path: Path) -> None:
    folder = tmp_path / "sleutelbos"
    profile = init_profile(folder, Role.KLANTMANAGER, "Testdorp", "km.test")
    assert profile.settings.secret_backend == "keyring"
    fingerprint = device_keys(profile).fingerprint
    sheet = RecoveryService.for_profile(profile).write_sheet(tmp_path / "blad.pdf")
    # A new Windows profile, a reinstalled laptop: the keyring entries are gone.
    for name in ("store-key", "sync-signing-key", "sync-encryption-key"):
        profile.secrets.delete(name)
    profile.close()
    with pytest.raises(Exception, match="ontbreekt"):
        open_profile(folder).store()
    result = RecoveryService.for_profile(open_profile(folder)).recover(key_from_sheet(Path(sheet.path)))
    assert result.secret_backend == "keyring"
    reopened = open_profile(folder)
    try:
        reopened.store()
        assert device_keys(reopened).fingerprint == fingerprint
    finally:
        reopened.close()
    assert not (folder / VAULT_FILE).exists()
