"""`wegwijs pdf --client ID --lang CODE|all --out DIR` against a real profile (contract: shared/CLI.md).

The profile is made with `wegwijs init` and filled with `wegwijs demo` and `wegwijs import-coa`; one
imported client gets a PIP through the PIP service, the other has none and gets a concept.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import unicodedata
from pathlib import Path

import pytest
from store_helpers import load_profile, one_dutch_refusal, run_wegwijs, vault_environment

from app.domain.enums import Role
from app.models.pip import TextPart
from app.services.client_records import find_client
from app.services.pip import PipService, PipSettings, text_key

WITH_PIP = "2345678901"
WITHOUT_PIP = "3456789012"
MINOR = "4567890123"
COA = (
    "v_nummer;achternaam;voornamen;naam_origineel;geboortedatum;taal\n"
    f"{WITH_PIP};Haddad;Rania;رانيا حداد;1990-05;ar\n"
    f"{WITHOUT_PIP};Tesfay;Yonas;ዮናስ ተስፋይ;1988;ti\n"
    f"{MINOR};Haddad;Sami;سامي حداد;{dt.date.today().year - 10}-04;ar\n"
)
ALL = ["nl", "en", "ar", "ti", "fa", "fa_AF", "tr", "ku"]


@pytest.fixture(scope="module")
def profile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pdf-cli") / "profiel"
    init = run_wegwijs(folder, "init", "--role", "klantmanager", "--municipality", "Testdorp")
    assert init.returncode == 0, init.stderr
    demo = run_wegwijs(folder, "demo", "--clients", "4", "--seed", "11")
    assert demo.returncode == 0, demo.stderr
    coa = folder.parent / "coa.csv"
    coa.write_text(COA, encoding="utf-8")
    imported = run_wegwijs(folder, "import-coa", str(coa))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    with vault_environment():
        profile = load_profile(folder)
        try:
            with profile.store().session() as session:
                client_id = find_client(session, WITH_PIP).id
            service = PipService(profile.store(), "km.test", Role.KLANTMANAGER, PipSettings())
            today = dt.date.today()
            pip = service.draft(client_id, today)
            service.save(
                pip.version_id,
                {"leerroute": "b1", text_key(TextPart.FINAL_GOAL): "Nederlands op B1 en werk in de zorg"},
                today,
            )
        finally:
            profile.close()
    return folder


def pdf_name(v_nummer: str, code: str, version: int = 1, copy: int = 1) -> str:
    """Every print is a new file: the date, and ` (2)` and on when printed again the same day."""
    suffix = f" ({copy})" if copy > 1 else ""
    return f"PIP_{v_nummer}_v{version}_{code}_{dt.date.today().isoformat()}{suffix}.pdf"


def pdf_text(path: Path) -> str:
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", raw)


def test_one_language(profile_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "nieuw" / "map"  # created when missing
    result = run_wegwijs(profile_dir, "pdf", "--client", WITH_PIP, "--lang", "ar", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    paths = [Path(line) for line in result.stdout.splitlines()]
    assert paths == [out / pdf_name(WITH_PIP, "ar")] and paths[0].is_file()
    text = pdf_text(paths[0])
    assert WITH_PIP in text and "Rania Haddad" in text and "Nederlands op B1 en werk in de zorg" in text
    assert "حداد" in text  # the original-script name


def test_all_eight_languages(profile_dir: Path, tmp_path: Path) -> None:
    result = run_wegwijs(profile_dir, "pdf", "--client", WITH_PIP, "--lang", "all", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    paths = [Path(line) for line in result.stdout.splitlines()]
    assert paths == [tmp_path / pdf_name(WITH_PIP, code) for code in ALL]
    assert sorted(tmp_path.glob("*.pdf")) == sorted(paths)
    assert all(path.stat().st_size > 10_000 for path in paths)


def test_client_without_pip_gets_a_concept(profile_dir: Path, tmp_path: Path) -> None:
    result = run_wegwijs(profile_dir, "pdf", "--client", WITHOUT_PIP, "--lang", "ti", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    (path,) = [Path(line) for line in result.stdout.splitlines()]
    text = pdf_text(path)
    assert "CONCEPT" in text and WITHOUT_PIP in text and "ዮናስ" in text
    assert "Concept: dit plan is nog niet vastgesteld." in text


def test_demo_client_by_internal_id(profile_dir: Path, tmp_path: Path) -> None:
    listing = run_wegwijs(profile_dir, "list", "--json")
    demo = [
        row
        for row in json.loads(listing.stdout)["cliënten"]
        if row["v_nummer"] not in {WITH_PIP, WITHOUT_PIP, MINOR} and row["inburgeringsplichtig"]
    ]
    client_id = demo[0]["id"]
    result = run_wegwijs(profile_dir, "pdf", "--client", client_id, "--lang", "nl", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    (path,) = [Path(line) for line in result.stdout.splitlines()]
    assert path.name.startswith(f"PIP_{demo[0]['v_nummer']}_v")
    assert path.name.endswith(f"_nl_{dt.date.today().isoformat()}.pdf")
    assert demo[0]["v_nummer"] in pdf_text(path)


def test_refusals(profile_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "niet-gemaakt"
    unknown_client = run_wegwijs(
        profile_dir, "pdf", "--client", "0000000000", "--lang", "ar", "--out", str(out)
    )
    assert "geen cliënt" in one_dutch_refusal(unknown_client)
    unknown_language = run_wegwijs(
        profile_dir, "pdf", "--client", WITH_PIP, "--lang", "xx", "--out", str(out)
    )
    assert "Taal 'xx' is onbekend" in one_dutch_refusal(unknown_language)
    assert not out.exists()
    a_file = tmp_path / "bestand.txt"
    a_file.write_text("geen map", encoding="utf-8")
    not_a_folder = run_wegwijs(profile_dir, "pdf", "--client", WITH_PIP, "--lang", "nl", "--out", str(a_file))
    assert "kies een andere map" in one_dutch_refusal(not_a_folder)
    usage = run_wegwijs(profile_dir, "pdf", "--client", WITH_PIP, "--out", str(out))
    assert usage.returncode == 2


def test_no_pdf_for_a_client_without_integration_duty(profile_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "minderjarig"
    minor = run_wegwijs(profile_dir, "pdf", "--client", MINOR, "--lang", "all", "--out", str(out))
    assert minor.returncode == 1
    assert "niet inburgeringsplichtig" in one_dutch_refusal(minor)
    assert minor.stdout == "" and not out.exists()
