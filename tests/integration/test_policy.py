"""The municipality's policy file (beleid.toml): a new profile takes it at first run, the settings it
fixes cannot be changed, and a bad file is refused with one Dutch sentence while Wegwijs goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_helpers import load_profile, one_dutch_refusal, run_wegwijs

from app.services.municipal_options import MunicipalOptionsService
from app.services.policy import POLICY_ENV, PolicyError, load_policy
from app.sync.keys import DeviceKeys


def supervisor_key_file(folder: Path, role: str = "supervisor") -> tuple[Path, str]:
    """A real public-key file as `wegwijs keys export-public` of a supervisor writes it."""
    keys = DeviceKeys.generate()
    path = folder / "supervisor-sleutel.json"
    path.write_bytes(keys.export_public(role, "Sanne de Vries", "Utrecht"))
    return path, keys.fingerprint


def write_policy(folder: Path, fingerprint: str, target: Path, extra: str = "") -> Path:
    path = folder / "beleid.toml"
    path.write_text(
        f"""# Wegwijs-beleid van de gemeente Utrecht
gemeente = "Utrecht"
synchronisatiedoel = "{target}"

[supervisor]
sleutelbestand = "supervisor-sleutel.json"
vingerafdruk = "{fingerprint}"

[opties]
klantmanager_may_adopt = false
progress_interval_months = 2

[standaard]
pdf_folder = "{folder / "pdf"}"
{extra}""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def policy_file(tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "beleid"
    folder.mkdir()
    _key, fingerprint = supervisor_key_file(folder)
    (tmp_path / "doel").mkdir()
    return write_policy(folder, fingerprint, tmp_path / "doel"), fingerprint


def test_init_takes_municipality_target_key_and_options_from_the_policy(
    policy_file: tuple[Path, str], tmp_path: Path
) -> None:
    path, fingerprint = policy_file
    profile_dir = tmp_path / "profiel"
    env = {POLICY_ENV: str(path)}
    done = run_wegwijs(profile_dir, "init", "--role", "klantmanager", env=env)
    assert done.returncode == 0, done.stderr
    assert fingerprint in done.stdout
    settings = json.loads((profile_dir / "profile.json").read_text(encoding="utf-8"))
    assert settings["municipality"] == "Utrecht"
    assert settings["options"]["progress_interval_months"] == 2
    assert settings["options"]["klantmanager_may_adopt"] is False
    assert settings["options"]["pdf_folder"] == str(path.parent / "pdf")
    status = json.loads(run_wegwijs(profile_dir, "sync", "status", "--json", env=env).stdout)
    assert status["target"] == str(tmp_path / "doel")
    assert status["supervisor_fingerprint"] == fingerprint


def test_fixed_settings_are_refused_on_the_command_line(
    policy_file: tuple[Path, str], tmp_path: Path
) -> None:
    path, _fingerprint = policy_file
    env = {POLICY_ENV: str(path)}
    refused = run_wegwijs(
        tmp_path / "p1", "init", "--role", "klantmanager", "--municipality", "Zwolle", env=env
    )
    message = one_dutch_refusal(refused)
    assert "vastgelegd door de gemeente" in message and str(path) in message
    assert not (tmp_path / "p1" / "profile.json").exists()

    profile_dir = tmp_path / "p2"
    assert run_wegwijs(profile_dir, "init", "--role", "klantmanager", env=env).returncode == 0
    other_key, _ = supervisor_key_file(tmp_path)
    assert "sleutel van de supervisor" in one_dutch_refusal(
        run_wegwijs(profile_dir, "keys", "trust-supervisor", str(other_key), env=env)
    )
    elsewhere = tmp_path / "ander-doel"
    elsewhere.mkdir()
    assert "synchronisatiedoel" in one_dutch_refusal(
        run_wegwijs(profile_dir, "sync", "push", "--target", str(elsewhere), env=env)
    )
    # Without the policy the same installation may change them again: the refusal came from the policy.
    done = run_wegwijs(
        profile_dir, "keys", "trust-supervisor", str(other_key), env={POLICY_ENV: str(tmp_path / "geen.toml")}
    )
    assert done.returncode == 0, done.stderr


def test_a_fixed_option_wins_over_the_profile_at_each_start(
    policy_file: tuple[Path, str], tmp_path: Path
) -> None:
    path, _fingerprint = policy_file
    profile_dir = tmp_path / "profiel"
    assert (
        run_wegwijs(profile_dir, "init", "--role", "klantmanager", env={POLICY_ENV: str(path)}).returncode
        == 0
    )
    settings_file = profile_dir / "profile.json"
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    settings["options"]["progress_interval_months"] = 6  # edited by hand behind the app's back
    settings_file.write_text(json.dumps(settings), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(POLICY_ENV, str(path))
        profile = load_profile(profile_dir)
        try:
            assert profile.settings.options["progress_interval_months"] == 2
            service = MunicipalOptionsService.for_profile(profile)
            state = service.current()
            assert state.get("progress_interval_months").fixed_reason is not None
            assert state.get("pdf_folder").fixed_reason is None  # a default, not fixed
            with pytest.raises(PolicyError, match="vastgelegd door de gemeente"):
                service.save({"progress_interval_months": 4})
            with pytest.raises(PolicyError, match="vastgelegd door de gemeente"):
                service.save({"klantmanager_may_adopt": True})
            service.save({"pdf_folder": str(tmp_path / "eigen-map")})
        finally:
            profile.close()
    saved = json.loads(settings_file.read_text(encoding="utf-8"))["options"]
    assert saved["pdf_folder"] == str(tmp_path / "eigen-map")
    assert saved["klantmanager_may_adopt"] is False


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda text, fp: text.replace('gemeente = "Utrecht"', 'gemeente = "Utrecht'), "geen geldige TOML"),
        (lambda text, fp: text.replace(fp, "00000 " + fp[6:]), "vingerafdruk past niet"),
        (lambda text, fp: "onbekend = 1\n" + text, "onbekende instelling onbekend"),
        (
            lambda text, fp: text.replace("progress_interval_months = 2", "progress_interval_months = 40"),
            "tussen 1 en 12",
        ),
        (
            lambda text, fp: text.replace("klantmanager_may_adopt = false", "klantmanager_may_adopt = 0"),
            "verkeerd soort",
        ),
        (lambda text, fp: text.replace("supervisor-sleutel.json", "weg.json"), "niet bruikbaar"),
    ],
    ids=["no-toml", "wrong-fingerprint", "unknown-setting", "out-of-range", "wrong-kind", "missing-key-file"],
)
def test_a_bad_policy_is_refused_and_init_goes_on_without_it(
    policy_file: tuple[Path, str], tmp_path: Path, change, expected: str
) -> None:
    path, fingerprint = policy_file
    path.write_text(change(path.read_text(encoding="utf-8"), fingerprint), encoding="utf-8")
    loaded = load_policy(path)
    assert loaded.policy is None
    assert loaded.problem is not None and expected in loaded.problem
    assert loaded.problem.startswith(f"Het beleidsbestand {path} is geweigerd")

    profile_dir = tmp_path / "profiel"
    # No municipality from the refused policy: it must be given, and the profile has none of its settings.
    done = run_wegwijs(
        profile_dir, "init", "--role", "klantmanager", "--municipality", "Zwolle", env={POLICY_ENV: str(path)}
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == loaded.problem
    settings = json.loads((profile_dir / "profile.json").read_text(encoding="utf-8"))
    assert settings["municipality"] == "Zwolle" and settings["options"] == {}
    status = json.loads(
        run_wegwijs(profile_dir, "sync", "status", "--json", env={POLICY_ENV: str(path)}).stdout
    )
    assert status["supervisor_fingerprint"] is None and status["target"] is None


def test_a_key_file_of_a_klantmanager_is_refused(tmp_path: Path) -> None:
    _key, fingerprint = supervisor_key_file(tmp_path, role="klantmanager")
    path = write_policy(tmp_path, fingerprint, tmp_path)
    loaded = load_policy(path)
    assert loaded.policy is None and loaded.problem and "niet van een supervisor" in loaded.problem


def test_no_policy_file_is_no_policy_and_init_still_needs_the_municipality(tmp_path: Path) -> None:
    assert load_policy(tmp_path / "beleid.toml").policy is None
    assert load_policy(tmp_path / "beleid.toml").problem is None
    done = run_wegwijs(
        tmp_path / "profiel", "init", "--role", "klantmanager", env={POLICY_ENV: str(tmp_path / "x")}
    )
    assert done.returncode == 2 and "--municipality" in done.stderr
