"""A second supervisor workstation joins the team database (issue 18): `keys admit-supervisor` seals
the team's keys to its public key file, `keys join-team` takes them; refusals in Dutch; the recovery
sheet of a team-store supervisor brings back the team key. Real PostgreSQL, real command line."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sync_helpers import add_client
from team_helpers import init_supervisor, join_workstation, ok, run, team_database

from app.services.intake import IntakeService
from app.services.profile import TEAM_KEY_NAME, open_profile
from app.sync.keys import ENCRYPTION_SECRET, SIGNING_SECRET

HEALTH_ANSWER = "Slaapt slecht sinds de vlucht, gesprekken bij de huisarts"


def fingerprint_of(capsys: pytest.CaptureFixture[str], folder: Path) -> str:
    out = ok(capsys, "--data-dir", str(folder), "keys", "show")
    found = re.search(r"vingerafdruk: ([\d ]+)", out)
    assert found, out
    return found.group(1).strip()


def test_a_second_workstation_joins_and_reads_the_sealed_answers(
    tmp_path: Path, passphrase_env: str, postgres: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    with team_database(postgres) as (address, _password, _url):
        first, second = tmp_path / "sanne", tmp_path / "ruud"
        assert init_supervisor(capsys, first, address)[0] == 0
        profile = open_profile(first)
        client = add_client(profile, "1234567890", "Haddad")
        intakes = IntakeService.for_profile(profile)
        intake = intakes.open(client.id)
        intakes.save_answer(intake.id, "gezondheid_toelichting", HEALTH_ANSWER)
        team_key = profile.secrets.get(TEAM_KEY_NAME)
        profile.close()
        assert team_key is not None

        # The new workstation is set up on the same database, but has no team keys yet.
        code, out, err = init_supervisor(capsys, second, address, "Ruud Bakker")
        assert code == 0, err
        assert "keys join-team" in out and "admit-supervisor" in out
        code, _out, err = run(capsys, "--data-dir", str(second), "list")
        assert code == 1 and "nog niet aangesloten" in err and "join-team" in err
        own_fingerprint = ok(
            capsys, "--data-dir", str(second), "keys", "export-public", "--out", str(tmp_path / "ruud.json")
        )
        sealed = tmp_path / "teamsleutels-ruud.json"
        out = ok(
            capsys,
            "--data-dir",
            str(first),
            "keys",
            "admit-supervisor",
            str(tmp_path / "ruud.json"),
            "--out",
            str(sealed),
        )
        team_fingerprint = fingerprint_of(capsys, first)
        assert team_fingerprint in out
        assert sealed.stat().st_mode & 0o777 == 0o600
        # Never in the clear: neither the team key nor the supervisor's private keys are in the file.
        text = sealed.read_text(encoding="utf-8")
        founder = open_profile(first)
        private = [founder.secrets.get(SIGNING_SECRET), founder.secrets.get(ENCRYPTION_SECRET), team_key]
        founder.close()
        for secret in private:
            assert secret is not None
            assert base64.b64encode(secret).decode() not in text and secret.hex() not in text

        out = ok(capsys, "--data-dir", str(second), "keys", "join-team", str(sealed))
        assert "aangesloten" in out and "Sanne de Vries" in out and team_fingerprint in out
        assert team_fingerprint not in own_fingerprint
        # It is now the team's supervisor: the key klantmanagers trust, and the sealed answers read back.
        assert fingerprint_of(capsys, second) == team_fingerprint
        out = ok(capsys, "--data-dir", str(second), "export", "--client", "1234567890", "--json")
        assert HEALTH_ANSWER in out
        # The same file again changes nothing.
        out = ok(capsys, "--data-dir", str(second), "keys", "join-team", str(sealed))
        assert "al aangesloten" in out


def test_wrong_recipient_tampered_other_files_and_other_teams_are_refused(
    tmp_path: Path, passphrase_env: str, postgres: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    with team_database(postgres) as (address, _password, _url):
        first, second, third = tmp_path / "sanne", tmp_path / "ruud", tmp_path / "ilse"
        assert init_supervisor(capsys, first, address)[0] == 0
        for folder in (second, third):
            assert init_supervisor(capsys, folder, address, folder.name)[0] == 0
            ok(
                capsys,
                "--data-dir",
                str(folder),
                "keys",
                "export-public",
                "--out",
                str(tmp_path / f"{folder.name}.json"),
            )
        for_ruud = tmp_path / "voor-ruud.json"
        ok(
            capsys,
            "--data-dir",
            str(first),
            "keys",
            "admit-supervisor",
            str(tmp_path / "ruud.json"),
            "--out",
            str(for_ruud),
        )

        # A workstation that has not joined cannot admit anyone.
        code, _out, err = run(
            capsys,
            "--data-dir",
            str(third),
            "keys",
            "admit-supervisor",
            str(tmp_path / "ruud.json"),
            "--out",
            str(tmp_path / "x.json"),
        )
        assert code == 1 and "nog niet aangesloten" in err
        # Ruud's file read by Ilse: not for her.
        code, _out, err = run(capsys, "--data-dir", str(third), "keys", "join-team", str(for_ruud))
        assert code == 1 and "andere werkplek" in err and "Traceback" not in err
        # One character changed in the sealed part: the signature no longer holds.
        document = json.loads(for_ruud.read_text(encoding="utf-8"))
        sealed = document["sealed"]
        document["sealed"] = ("A" if sealed[10] != "A" else "B").join((sealed[:10], sealed[11:]))
        changed = tmp_path / "veranderd.json"
        changed.write_text(json.dumps(document), encoding="utf-8")
        code, _out, err = run(capsys, "--data-dir", str(second), "keys", "join-team", str(changed))
        assert code == 1 and "handtekening klopt niet" in err
        # A public key file is not a team-keys file.
        code, _out, err = run(
            capsys, "--data-dir", str(second), "keys", "join-team", str(tmp_path / "ilse.json")
        )
        assert code == 1 and "geen bestand met teamsleutels" in err
        # A klantmanager's key file is not admitted.
        ok(
            capsys,
            "--data-dir",
            str(tmp_path / "km"),
            "init",
            "--role",
            "klantmanager",
            "--municipality",
            "Utrecht",
            "--name",
            "K",
        )
        ok(
            capsys,
            "--data-dir",
            str(tmp_path / "km"),
            "keys",
            "export-public",
            "--out",
            str(tmp_path / "km.json"),
        )
        code, _out, err = run(
            capsys,
            "--data-dir",
            str(first),
            "keys",
            "admit-supervisor",
            str(tmp_path / "km.json"),
            "--out",
            str(tmp_path / "km-team.json"),
        )
        assert code == 1 and "niet van een supervisorwerkplek" in err
        assert not (tmp_path / "km-team.json").exists()
        # Nothing of the refused attempts reached Ruud: he joins with the right file.
        ok(capsys, "--data-dir", str(second), "keys", "join-team", str(for_ruud))

        # Another team (another database) admits Ruud's earlier key: he is in a team already.
        with team_database(postgres) as (other_address, _p, _u):
            other = tmp_path / "ander-team"
            assert init_supervisor(capsys, other, other_address, "Anders")[0] == 0
            from_other = tmp_path / "van-ander-team.json"
            ok(
                capsys,
                "--data-dir",
                str(other),
                "keys",
                "admit-supervisor",
                str(tmp_path / "ruud.json"),
                "--out",
                str(from_other),
            )
            code, _out, err = run(capsys, "--data-dir", str(second), "keys", "join-team", str(from_other))
            assert code == 1 and "al aangesloten met andere teamsleutels" in err
            # And a workstation of this database does not take the other team's keys.
            code, _out, err = run(capsys, "--data-dir", str(third), "keys", "join-team", str(from_other))
            assert code == 1 and "andere werkplek" in err


def test_the_recovery_sheet_brings_back_the_team_key(
    tmp_path: Path, passphrase_env: str, postgres: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    with team_database(postgres) as (address, _password, _url):
        first, second = tmp_path / "sanne", tmp_path / "ruud"
        assert init_supervisor(capsys, first, address)[0] == 0
        profile = open_profile(first)
        add_client(profile, "1234567890", "Haddad")
        profile.close()
        join_workstation(capsys, first, second, address)
        sheet = tmp_path / "herstelblad.pdf"
        ok(capsys, "--data-dir", str(second), "keys", "recovery-sheet", "--out", str(sheet))
        text = PdfReader(sheet).pages[0].extract_text()
        assert "Teamdatabase" in text and "teamsleutel" in text
        groups = re.findall(r"\b[A-Z2-7]{4}\b", text.split("Herstelsleutel", 1)[1])
        recovery_key = "-".join(groups[:10])
        fingerprint = fingerprint_of(capsys, second)
        # The team key is lost from this workstation's vault.
        profile = open_profile(second)
        profile.secrets.delete(TEAM_KEY_NAME)
        profile.close()
        code, _out, err = run(capsys, "--data-dir", str(second), "list")
        assert code == 1 and "teamsleutel ontbreekt" in err and "keys recover" in err
        import os

        os.environ["WEGWIJS_RECOVERY_KEY"] = recovery_key
        try:
            ok(capsys, "--data-dir", str(second), "keys", "recover")
        finally:
            del os.environ["WEGWIJS_RECOVERY_KEY"]
        out = ok(capsys, "--data-dir", str(second), "list", "--json")
        assert [row["v_nummer"] for row in json.loads(out)["cliënten"]] == ["1234567890"]
        assert fingerprint_of(capsys, second) == fingerprint


def test_the_policy_files_supervisor_key_decides_which_team_is_joined(
    tmp_path: Path,
    passphrase_env: str,
    postgres: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with team_database(postgres) as (address, _password, _url):
        first, second = tmp_path / "sanne", tmp_path / "ruud"
        assert init_supervisor(capsys, first, address)[0] == 0
        assert init_supervisor(capsys, second, address, "Ruud Bakker")[0] == 0
        ok(capsys, "--data-dir", str(second), "keys", "export-public", "--out", str(tmp_path / "ruud.json"))
        sealed = tmp_path / "teamsleutels.json"
        ok(
            capsys,
            "--data-dir",
            str(first),
            "keys",
            "admit-supervisor",
            str(tmp_path / "ruud.json"),
            "--out",
            str(sealed),
        )
        # The municipality's policy names another supervisor key (another team's workstation).
        other = tmp_path / "ander"
        with team_database(postgres) as (other_address, _p, _u):
            assert init_supervisor(capsys, other, other_address, "Anders")[0] == 0
            fingerprints = {"fout": fingerprint_of(capsys, other)}
        fingerprints["goed"] = fingerprint_of(capsys, first)
        policy_folder = tmp_path / "beleid"
        policy_folder.mkdir()
        for folder, name in ((other, "fout"), (first, "goed")):
            ok(
                capsys,
                "--data-dir",
                str(folder),
                "keys",
                "export-public",
                "--out",
                str(policy_folder / f"{name}.json"),
            )
            (policy_folder / f"{name}.toml").write_text(
                f'gemeente = "Utrecht"\n\n[supervisor]\nsleutelbestand = "{name}.json"\n'
                f'vingerafdruk = "{fingerprints[name]}"\n',
                encoding="utf-8",
            )
        monkeypatch.setenv("WEGWIJS_POLICY_FILE", str(policy_folder / "fout.toml"))
        code, _out, err = run(capsys, "--data-dir", str(second), "keys", "join-team", str(sealed))
        assert code == 1 and "beleidsbestand" in err
        monkeypatch.setenv("WEGWIJS_POLICY_FILE", str(policy_folder / "goed.toml"))
        out = ok(capsys, "--data-dir", str(second), "keys", "join-team", str(sealed))
        assert "aangesloten" in out
