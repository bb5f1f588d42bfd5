"""The `wegwijs` command line as support and scripts use it (contract: shared/CLI.md)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from store_helpers import (
    copy_profile,
    load_profile,
    make_profile,
    one_dutch_refusal,
    run_side_by_side,
    run_wegwijs,
    snapshot,
)

from app import __version__
from app.models.client import Client
from app.models.journal import AuditEntry
from app.models.store import STORE_FILE

COA_HEADER = "v_nummer;achternaam;voornamen;naam_origineel;geboortedatum;bsn;huishouden;coa_locatie"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_profile(tmp_path_factory.mktemp("cli") / "profiel")


@pytest.fixture(scope="module")
def demo_profile(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A profile with 50 demo clients (seed 7), shared by the read-only tests of this module."""
    folder = copy_profile(template, tmp_path_factory.mktemp("cli-demo") / "profiel")
    result = run_wegwijs(folder, "demo", "--clients", "50", "--seed", "7")
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def profile_dir(template: Path, tmp_path: Path) -> Path:
    return copy_profile(template, tmp_path / "profiel")


def list_json(folder: Path) -> dict[str, Any]:
    result = run_wegwijs(folder, "list", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    document = json.loads(result.stdout)  # the whole of stdout is one JSON document
    assert isinstance(document, dict)
    return document


def test_version() -> None:
    result = run_wegwijs(None, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wegwijs {__version__}"


def test_wrong_usage_exits_2(profile_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "leeg"
    before = snapshot(profile_dir)
    cases = {
        "unknown option": (empty, ["--bogus"]),
        "unknown list option": (empty, ["list", "--nope"]),
        "demo without --clients": (empty, ["demo"]),
        "unknown role": (empty, ["init", "--role", "baas", "--municipality", "X"]),
        "export without --client": (empty, ["export"]),
        "no number of clients": (profile_dir, ["demo", "--clients", "x"]),
        "zero clients": (profile_dir, ["demo", "--clients", "0"]),
    }
    results = run_side_by_side(*cases.values())
    for name, result in zip(cases, results, strict=True):
        assert result.returncode == 2, (name, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, name
        assert result.stdout == "", name
    for result in results[:-1]:
        assert "onjuist gebruik" in result.stderr
    assert "--clients" in results[-1].stderr
    assert not empty.exists(), "wrong usage must not create anything"
    assert snapshot(profile_dir) == before


def test_init_then_init_again(tmp_path: Path) -> None:
    folder = tmp_path / "nieuw"
    created = run_wegwijs(folder, "init", "--role", "klantmanager", "--municipality", "Utrecht")
    assert created.returncode == 0, created.stderr
    assert "ingericht" in created.stdout
    # backups/: the automatic backup made right after init (issue 14)
    assert sorted(p.name for p in folder.iterdir()) == [
        "backups",
        "profile.json",
        "secrets.vault",
        STORE_FILE,
    ]
    settings = json.loads((folder / "profile.json").read_text(encoding="utf-8"))
    assert (settings["role"], settings["municipality"], settings["secret_backend"]) == (
        "klantmanager",
        "Utrecht",
        "vault",
    )
    before = snapshot(folder)

    again = run_wegwijs(folder, "init", "--role", "supervisor", "--municipality", "Amersfoort")
    assert "al ingericht" in one_dutch_refusal(again)
    assert snapshot(folder) == before, "a refused init must change nothing"

    listed = run_wegwijs(folder, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["cliënten"] == []


def test_init_refusals_leave_a_folder_that_can_still_be_set_up(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    no_passphrase, short, blank = (
        run_wegwijs(folder, "init", "--role", "klantmanager", "--municipality", "Utrecht", passphrase=None),
        run_wegwijs(folder, "init", "--role", "klantmanager", "--municipality", "Utrecht", passphrase="kort"),
        run_wegwijs(tmp_path / "q", "init", "--role", "klantmanager", "--municipality", "  "),
    )
    assert "WEGWIJS_PASSPHRASE" in one_dutch_refusal(no_passphrase)
    assert "minstens 8 tekens" in one_dutch_refusal(short)
    assert "gemeente" in one_dutch_refusal(blank)
    assert not (folder / "profile.json").exists() and not (folder / STORE_FILE).exists()
    assert not (tmp_path / "q" / "profile.json").exists()
    retry = run_wegwijs(folder, "init", "--role", "supervisor", "--municipality", "Utrecht")
    assert retry.returncode == 0, retry.stderr


def test_init_refuses_a_folder_with_a_stray_database(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / STORE_FILE).write_bytes(b"\0" * 4096)
    result = run_wegwijs(folder, "init", "--role", "klantmanager", "--municipality", "Utrecht")
    assert "database zonder profiel" in one_dutch_refusal(result)
    assert (folder / STORE_FILE).read_bytes() == b"\0" * 4096


def test_commands_on_a_folder_without_profile(tmp_path: Path) -> None:
    for result in run_side_by_side(
        (tmp_path / "niets", ["list"]), (tmp_path / "niets", ["export", "--client", "x"])
    ):
        assert "geen Wegwijs-profiel" in one_dutch_refusal(result)
    assert not (tmp_path / "niets").exists()


def test_data_dir_from_the_environment(demo_profile: Path) -> None:
    result = run_wegwijs(None, "list", "--json", env={"WEGWIJS_DATA_DIR": str(demo_profile)})
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["cliënten"]) == 50


def test_demo_is_deterministic_per_seed(demo_profile: Path, template: Path, tmp_path: Path) -> None:
    same = copy_profile(template, tmp_path / "zelfde")
    other = copy_profile(template, tmp_path / "ander")
    results = run_side_by_side(
        (same, ["demo", "--clients", "50", "--seed", "7"]),
        (other, ["demo", "--clients", "50", "--seed", "8"]),
    )
    for result in results:
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("50 fictieve cliënten toegevoegd in ")
    first, second, third = (list_json(folder)["cliënten"] for folder in (demo_profile, same, other))

    def people(rows: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
        return sorted((r["v_nummer"], r["naam"], r["naam_origineel"], r["geboortedatum"]) for r in rows)

    assert len(first) == len(second) == 50
    assert people(first) == people(second)
    assert len({r["v_nummer"] for r in first}) == 50
    assert sorted(first, key=lambda r: r["id"]) == sorted(second, key=lambda r: r["id"])
    assert people(third) != people(first), "another seed must give other clients"

    # The same seed again on a store that has its clients already: 50 more, no clashing ids.
    repeated = run_wegwijs(same, "demo", "--clients", "50", "--seed", "7")
    assert repeated.returncode == 0, repeated.stderr
    profile = load_profile(same)
    try:
        with profile.store().session() as session:
            stored = session.scalars(select(Client.v_nummer)).all()
    finally:
        profile.close()
    assert len(stored) == len(set(stored)) == 100


def test_list_json(demo_profile: Path) -> None:
    rows = list_json(demo_profile)["cliënten"]
    assert len(rows) == 50
    today = dt.date.today()
    with_deadline = 0
    for row in rows:
        assert len(row["v_nummer"]) == 10 and row["v_nummer"].isdigit()
        uuid.UUID(row["id"])
        assert isinstance(row["status"], str) and row["status"]
        assert isinstance(row["naam"], str) and row["naam"]
        deadline = row["volgende_termijn"]
        if deadline is None:
            continue
        with_deadline += 1
        due = dt.date.fromisoformat(deadline["datum"])
        assert deadline["dagen_over"] == (due - today).days
        assert isinstance(deadline["toestand"], str) and deadline["toestand"]
        assert deadline["omschrijving"]
    assert with_deadline > 0, "demo data should have clients with a deadline"
    assert {r["status"] for r in rows} >= {"in AZC", "gehuisvest"}
    assert len({r["volgende_termijn"]["toestand"] for r in rows if r["volgende_termijn"]}) >= 2


def test_list_text(demo_profile: Path) -> None:
    result = run_wegwijs(demo_profile, "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "50 cliënten."
    assert len(lines) == 51


def household_member(folder: Path) -> dict[str, str]:
    """A client with a case at a COA location and at least one other member in the household."""
    profile = load_profile(folder)
    try:
        with profile.store().session() as session:
            for client in session.scalars(select(Client).order_by(Client.v_nummer)):
                household, case = client.household, client.case
                if household and len(household.members) > 1 and case and case.coa_location:
                    return {
                        "id": str(client.id),
                        "v_nummer": client.v_nummer,
                        "naam": client.display_name,
                        "geboortedatum": client.birth_date,
                        "coa_locatie": case.coa_location,
                        "huishouden": household.label,
                    }
    finally:
        profile.close()
    raise AssertionError("the demo data has no household with more than one member")


def test_export_by_id_and_by_v_nummer(demo_profile: Path, tmp_path: Path) -> None:
    folder = copy_profile(demo_profile, tmp_path / "profiel")
    target = household_member(folder)

    by_id = run_wegwijs(folder, "export", "--client", target["id"], "--json")
    assert by_id.returncode == 0, by_id.stderr
    assert by_id.stderr == ""
    document = json.loads(by_id.stdout)
    client = document["cliënt"]
    assert (client["id"], client["v_nummer"]) == (target["id"], target["v_nummer"])
    assert f"{client['voornamen']} {client['achternaam']}" == target["naam"]
    assert client["geboortedatum"] == target["geboortedatum"]
    assert document["zaak"]["coa_locatie"] == target["coa_locatie"]
    assert document["zaak"]["gemeente"] == "Testdorp"
    household = document["huishouden"]
    assert household["kenmerk"] == target["huishouden"]
    assert household["leden"], "the other members of the household belong in the export"
    assert all(member["naam"] and member["geboortedatum"] for member in household["leden"])
    assert target["id"] not in [member["id"] for member in household["leden"]]
    history = document["geschiedenis"]
    assert {"aangemaakt"} <= {entry["handeling"] for entry in history}
    assert all(set(entry) >= {"tijdstip", "door", "handeling", "soort", "velden"} for entry in history)

    by_v_nummer = run_wegwijs(folder, "export", "--client", target["v_nummer"], "--json")
    assert by_v_nummer.returncode == 0, by_v_nummer.stderr
    second = json.loads(by_v_nummer.stdout)
    assert second["cliënt"] == document["cliënt"]
    # The first export is itself in the history now.
    exports = [e for e in second["geschiedenis"] if e["handeling"] == "geëxporteerd"]
    assert len(exports) == 1 and exports[0]["door"] == "km.test"

    profile = load_profile(folder)
    try:
        with profile.store().session() as session:
            audit = session.scalars(
                select(AuditEntry).where(
                    AuditEntry.action == "geëxporteerd", AuditEntry.entity_id == uuid.UUID(target["id"])
                )
            ).all()
            assert len(audit) == 2
            assert all(entry.detail == "" for entry in audit)
    finally:
        profile.close()

    readable = run_wegwijs(folder, "export", "--client", target["v_nummer"])
    assert readable.returncode == 0, readable.stderr
    assert target["v_nummer"] in readable.stdout and "geschiedenis:" in readable.stdout


@pytest.mark.parametrize("reference", ["0000000000", str(uuid.UUID(int=5, version=4)), "niet-bestaand"])
def test_export_of_an_unknown_client(demo_profile: Path, reference: str) -> None:
    before = snapshot(demo_profile)
    result = run_wegwijs(demo_profile, "export", "--client", reference, "--json")
    message = one_dutch_refusal(result)
    assert message.startswith("Er is geen cliënt met id of V-nummer") and reference in message
    assert snapshot(demo_profile) == before


def write_coa(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([COA_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_import_coa_reports_every_row(profile_dir: Path, tmp_path: Path) -> None:
    coa = write_coa(
        tmp_path / "lijst.csv",
        "7400000001;Haddad;Rania;رانيا حداد;1990;111222333;HH-1;AZC Utrecht",
        "7400000002;Haddad;Omar;عمر حداد;2016-04;;HH-1;AZC Utrecht",
        "7400000003;Tesfay;Mehari;;1985-13;;;AZC Assen",
        "7400000004;Rahimi;Farid;فرید رحیمی;1979;123456789;;",
    )
    result = run_wegwijs(profile_dir, "import-coa", str(coa))
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "regel 2: toegevoegd (V-nummer 7400000001)"
    assert lines[1] == "regel 3: toegevoegd (V-nummer 7400000002)"
    assert lines[2].startswith("regel 4: geweigerd (V-nummer 7400000003): geboortedatum")
    assert lines[3].startswith("regel 5: geweigerd (V-nummer 7400000004): BSN '123456789'")
    assert lines[4] == "Samenvatting: 2 toegevoegd, 0 bijgewerkt, 0 ongewijzigd, 2 geweigerd."
    assert len(lines) == 5
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "geweigerd" in message and "Traceback" not in message

    listed = {r["v_nummer"] for r in list_json(profile_dir)["cliënten"]}
    assert listed == {"7400000001", "7400000002"}

    # Corrected list: the refused rows come in, the others are unchanged; exit 0, nothing on stderr.
    fixed = write_coa(
        tmp_path / "lijst-2.csv",
        "7400000001;Haddad;Rania;رانيا حداد;1990;111222333;HH-1;AZC Utrecht",
        "7400000002;Haddad;Omar;عمر حداد;2016-04;;HH-1;AZC Utrecht",
        "7400000003;Tesfay;Mehari;;1985-12;;;AZC Assen",
        "7400000004;Rahimi;Farid;فرید رحیمی;1979;123456782;;",
    )
    again = run_wegwijs(profile_dir, "import-coa", str(fixed))
    assert again.returncode == 0, again.stderr
    assert again.stderr == ""
    assert again.stdout.splitlines() == [
        "regel 2: ongewijzigd (V-nummer 7400000001)",
        "regel 3: ongewijzigd (V-nummer 7400000002)",
        "regel 4: toegevoegd (V-nummer 7400000003)",
        "regel 5: toegevoegd (V-nummer 7400000004)",
        "Samenvatting: 2 toegevoegd, 0 bijgewerkt, 2 ongewijzigd, 0 geweigerd.",
    ]


def test_import_coa_file_refusals(profile_dir: Path, tmp_path: Path) -> None:
    tabbed = tmp_path / "tab.csv"
    tabbed.write_text(COA_HEADER.replace(";", "\t") + "\n7400000001\tHaddad\tRania\t\t1990\t\t\t\n")
    not_utf8 = tmp_path / "latin1.csv"
    not_utf8.write_bytes((COA_HEADER + "\n7400000001;Müller;Jan;;1990;;;\n").encode("latin-1"))
    before = snapshot(profile_dir)
    results = run_side_by_side(
        (profile_dir, ["import-coa", str(tabbed)]),
        (profile_dir, ["import-coa", str(not_utf8)]),
        (profile_dir, ["import-coa", str(tmp_path / "bestaat-niet.csv")]),
    )
    messages = [one_dutch_refusal(result) for result in results]
    assert "v_nummer" in messages[0] and "niets ingelezen" in messages[0]
    assert "UTF-8" in messages[1] and "regel 2" in messages[1]
    assert "bestaat niet" in messages[2]
    assert snapshot(profile_dir) == before


def test_usage_errors_and_help_are_dutch(wegwijs_command) -> None:
    import subprocess

    unknown = subprocess.run([*wegwijs_command, "list", "--bla"], capture_output=True, text=True)
    assert unknown.returncode == 2
    assert "onbekende argumenten: --bla" in unknown.stderr
    bad_choice = subprocess.run(
        [*wegwijs_command, "init", "--role", "x", "--municipality", "y"], capture_output=True, text=True
    )
    assert bad_choice.returncode == 2
    assert "ongeldige keuze" in bad_choice.stderr
    helped = subprocess.run([*wegwijs_command, "--help"], capture_output=True, text=True)
    assert helped.returncode == 0
    assert helped.stdout.startswith("gebruik: wegwijs")
    assert "opties" in helped.stdout and "options:" not in helped.stdout


def test_gui_without_a_screen_says_so_in_dutch(wegwijs_command, tmp_path: Path) -> None:
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    result = subprocess.run(
        [*wegwijs_command, "--data-dir", str(tmp_path / "p")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert "geen beeldscherm" in result.stderr


def test_a_full_disk_on_output_is_one_dutch_sentence(wegwijs_command, tmp_path: Path) -> None:
    import os
    import subprocess

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    env = dict(
        os.environ,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        WEGWIJS_PASSPHRASE="volle-schijf-1",
    )
    folder = tmp_path / "p"
    subprocess.run(
        [
            *wegwijs_command,
            "--data-dir",
            str(folder),
            "init",
            "--role",
            "klantmanager",
            "--municipality",
            "X",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [*wegwijs_command, "--data-dir", str(folder), "demo", "--clients", "3"],
        env=env,
        check=True,
        capture_output=True,
    )
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [*wegwijs_command, "--data-dir", str(folder), "list", "--json"],
            env=env,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "De schijf is vol" in result.stderr
