"""Issue 19 end to end on the command line: `keys import-signing-cert`, signed `pdf` output, new
private files on every print, and the klantmanager's own name instead of the login."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import re
import stat
import subprocess
import unicodedata
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from signing_helpers import PASSWORD, make_ca, make_signing_cert, write_p12
from store_helpers import one_dutch_refusal, run_wegwijs

PASSWORD_ENV = "WEGWIJS_SIGNING_CERT_PASSWORD"
TODAY = dt.date.today().isoformat()


def pdf_text(path: Path) -> str:
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", raw)


def pdfsig(path: Path) -> str:
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    return result.stdout + result.stderr


def clients_with_status(folder: Path, status: str) -> list[str]:
    listing = run_wegwijs(folder, "list", "--json")
    assert listing.returncode == 0, listing.stderr
    return [row["v_nummer"] for row in json.loads(listing.stdout)["cliënten"] if row["status"] == status]


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("certificaten")
    ca = make_ca()
    now = dt.datetime.now(dt.UTC)
    key, cert = make_signing_cert(ca)
    old_key, old_cert = make_signing_cert(
        ca, not_before=now - dt.timedelta(days=800), not_after=now - dt.timedelta(days=30)
    )
    return {
        "good": write_p12(folder / "gemeente.p12", key, cert, [ca[1]]),
        "no_key": write_p12(folder / "zonder-sleutel.p12", None, cert, [ca[1]]),
        "expired": write_p12(folder / "verlopen.p12", old_key, old_cert, [ca[1]]),
        "key_der": _write_key_der(folder / "sleutel.der", key),
    }


def _write_key_der(path: Path, key: object) -> Path:
    data = key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def supervisor(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("supervisor") / "profiel"
    init = run_wegwijs(
        folder, "init", "--role", "supervisor", "--municipality", "Testdorp", "--name", "Sanne de Vries"
    )
    assert init.returncode == 0, init.stderr
    demo = run_wegwijs(folder, "demo", "--clients", "12", "--seed", "3")
    assert demo.returncode == 0, demo.stderr
    return folder


def test_import_signing_cert_refusals(supervisor: Path, certificates: dict[str, Path]) -> None:
    good = str(certificates["good"])
    wrong = one_dutch_refusal(
        run_wegwijs(supervisor, "keys", "import-signing-cert", good, env={PASSWORD_ENV: "fout"})
    )
    assert "wachtwoord van het certificaatbestand is onjuist" in wrong
    no_key = one_dutch_refusal(
        run_wegwijs(
            supervisor,
            "keys",
            "import-signing-cert",
            str(certificates["no_key"]),
            env={PASSWORD_ENV: PASSWORD},
        )
    )
    assert "geen persoonlijke (private) sleutel" in no_key
    expired = one_dutch_refusal(
        run_wegwijs(
            supervisor,
            "keys",
            "import-signing-cert",
            str(certificates["expired"]),
            env={PASSWORD_ENV: PASSWORD},
        )
    )
    assert "verlopen" in expired
    # No password in the environment and no terminal to ask it at: said, not hung.
    asked = one_dutch_refusal(run_wegwijs(supervisor, "keys", "import-signing-cert", good))
    assert PASSWORD_ENV in asked
    missing = one_dutch_refusal(
        run_wegwijs(
            supervisor, "keys", "import-signing-cert", "/bestaat/niet.p12", env={PASSWORD_ENV: PASSWORD}
        )
    )
    assert "kan niet worden gelezen" in missing
    usage = run_wegwijs(supervisor, "keys", "import-signing-cert")
    assert usage.returncode == 2
    # Nothing was kept by the refusals: an adopted PIP still prints unsigned.
    assert "signing_certificate" not in json.loads((supervisor / "profile.json").read_text())["options"]


def test_a_klantmanager_installation_does_not_sign(tmp_path: Path, certificates: dict[str, Path]) -> None:
    folder = tmp_path / "km"
    assert run_wegwijs(folder, "init", "--role", "klantmanager", "--municipality", "Testdorp").returncode == 0
    refused = one_dutch_refusal(
        run_wegwijs(
            folder, "keys", "import-signing-cert", str(certificates["good"]), env={PASSWORD_ENV: PASSWORD}
        )
    )
    assert "supervisor" in refused


def test_adopted_pips_are_signed_after_the_import(
    supervisor: Path, certificates: dict[str, Path], tmp_path: Path
) -> None:
    adopted = clients_with_status(supervisor, "PIP vastgesteld")[0]
    signed_concept = clients_with_status(supervisor, "PIP ondertekend")[0]

    # Before the import: the adopted PIP says it is not digitally signed, and is not.
    before = run_wegwijs(supervisor, "pdf", "--client", adopted, "--lang", "tr", "--out", str(tmp_path / "a"))
    assert before.returncode == 0, before.stderr
    (unsigned,) = [Path(line) for line in before.stdout.splitlines()]
    assert "Dit document is niet digitaal ondertekend." in pdf_text(unsigned)
    assert "Bu belge dijital olarak imzalanmamıştır." in pdf_text(unsigned)
    assert "does not contain any signatures" in pdfsig(unsigned)

    result = run_wegwijs(
        supervisor, "keys", "import-signing-cert", str(certificates["good"]), env={PASSWORD_ENV: PASSWORD}
    )
    assert result.returncode == 0, result.stderr
    assert "Gemeente Testdorp" in result.stdout and re.search(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", result.stdout)

    # The private key is nowhere in plain text in the profile folder (it is in the sealed vault).
    key = certificates["key_der"].read_bytes()
    for path in supervisor.rglob("*"):
        if path.is_file():
            assert key not in path.read_bytes(), path
            assert key[40:80] not in path.read_bytes(), path

    out = tmp_path / "b"
    after = run_wegwijs(supervisor, "pdf", "--client", adopted, "--lang", "all", "--out", str(out))
    assert after.returncode == 0, after.stderr
    paths = [Path(line) for line in after.stdout.splitlines()]
    assert len(paths) == 8
    for path in paths:
        report = pdfsig(path)
        assert "Signature is Valid." in report and "Total document signed" in report, (path, report)
    text = " ".join(pdf_text(paths[0]).split())
    assert "Digitaal ondertekend namens de gemeente Testdorp" in text and "Vastgesteld op" in text

    # A PIP that is signed by the client but not yet adopted is a concept: never signed.
    concept = run_wegwijs(supervisor, "pdf", "--client", signed_concept, "--lang", "nl", "--out", str(out))
    assert concept.returncode == 0, concept.stderr
    (concept_path,) = [Path(line) for line in concept.stdout.splitlines()]
    assert "does not contain any signatures" in pdfsig(concept_path)
    assert "digitaal ondertekend" not in pdf_text(concept_path)


def test_every_print_is_a_new_private_file(supervisor: Path, tmp_path: Path) -> None:
    client = clients_with_status(supervisor, "PIP vastgesteld")[0]
    out = tmp_path / "nieuw" / "afdrukken"
    names = []
    for _ in range(3):
        result = run_wegwijs(supervisor, "pdf", "--client", client, "--lang", "nl", "--out", str(out))
        assert result.returncode == 0, result.stderr
        (path,) = [Path(line) for line in result.stdout.splitlines()]
        names.append(path.name)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    base = f"PIP_{client}_v"
    assert all(name.startswith(base) for name in names)
    assert names[0].endswith(f"_nl_{TODAY}.pdf")
    assert names[1].endswith(f"_nl_{TODAY} (2).pdf") and names[2].endswith(f"_nl_{TODAY} (3).pdf")
    assert sorted(p.name for p in out.iterdir()) == sorted(names)  # no temporary file left
    # The folders this made are private; a folder the user chose and made is left as it was.
    assert stat.S_IMODE(out.stat().st_mode) == 0o700 and stat.S_IMODE(out.parent.stat().st_mode) == 0o700
    chosen = tmp_path / "gekozen"
    chosen.mkdir(mode=0o755)
    os.chmod(chosen, 0o755)
    result = run_wegwijs(supervisor, "pdf", "--client", client, "--lang", "nl", "--out", str(chosen))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(chosen.stat().st_mode) == 0o755
    assert stat.S_IMODE(Path(result.stdout.strip()).stat().st_mode) == 0o600


def test_the_klantmanager_is_named_by_the_profile_never_by_the_login(tmp_path: Path) -> None:
    named = tmp_path / "met-naam"
    init = run_wegwijs(
        named, "init", "--role", "klantmanager", "--municipality", "Testdorp", "--name", "  Anna   de Vries "
    )
    assert init.returncode == 0, init.stderr
    assert run_wegwijs(named, "demo", "--clients", "4", "--seed", "5").returncode == 0
    client = clients_with_status(named, "PIP vastgesteld") or clients_with_status(named, "PIP ondertekend")
    result = run_wegwijs(named, "pdf", "--client", client[0], "--lang", "nl", "--out", str(tmp_path / "a"))
    assert result.returncode == 0, result.stderr
    text = pdf_text(Path(result.stdout.strip()))
    assert "Klantmanager: Anna de Vries" in text

    # A profile without a name (made by a script, no terminal to ask at) prints no login either.
    unnamed = tmp_path / "zonder-naam"
    assert (
        run_wegwijs(unnamed, "init", "--role", "klantmanager", "--municipality", "Testdorp").returncode == 0
    )
    settings = json.loads((unnamed / "profile.json").read_text())
    assert settings["person_name"] == "" and settings["user_name"] == getpass.getuser()
    assert run_wegwijs(unnamed, "demo", "--clients", "4", "--seed", "5").returncode == 0
    client = clients_with_status(unnamed, "PIP vastgesteld") or clients_with_status(
        unnamed, "PIP ondertekend"
    )
    result = run_wegwijs(unnamed, "pdf", "--client", client[0], "--lang", "nl", "--out", str(tmp_path / "b"))
    assert result.returncode == 0, result.stderr
    text = pdf_text(Path(result.stdout.strip()))
    (klantmanager,) = [line for line in text.splitlines() if line.startswith("Klantmanager:")]
    assert klantmanager.strip() == "Klantmanager:"  # left empty, to be written by hand
    assert re.search(rf"\b{re.escape(getpass.getuser())}\b", text) is None
