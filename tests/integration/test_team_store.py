"""The supervisor's team store in PostgreSQL (issue 18), through the real command line, on a real
server started by the tests (tests/integration/postgres_server.py): set-up, the address rules, the
password conventions, and klantmanagers' packages imported into it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sync_helpers import add_client
from team_helpers import init_supervisor, join_workstation, run
from team_helpers import team_database as new_team_database

from app.services.intake import IntakeService
from app.services.profile import open_profile

HEALTH_ANSWER = "Heeft chronische rugpijn na een val in het kamp"


@pytest.fixture
def team_database(postgres: Any) -> Iterator[tuple[str, str, str]]:
    """(libpq address without password, password, SQLAlchemy URL with password) of a new database."""
    with new_team_database(postgres) as made:
        yield made


def test_a_supervisor_keeps_the_store_in_postgresql(
    tmp_path: Path,
    passphrase_env: str,
    team_database: tuple[str, str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    address, password, url = team_database
    code, out, err = init_supervisor(capsys, tmp_path / "sup", address)
    assert code == 0, err
    assert "teamdatabase" in out and address in out
    settings = json.loads((tmp_path / "sup" / "profile.json").read_text(encoding="utf-8"))
    assert settings["database"] == address
    assert password not in (tmp_path / "sup" / "profile.json").read_text(encoding="utf-8")
    assert not (tmp_path / "sup" / "wegwijs.db").exists()  # no local store beside it
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "sup"), "list", "--json")
    assert code == 0 and json.loads(out)["cliënten"] == [], err
    # The tables, and the audit log, are in the database itself.
    engine = create_engine(url)
    with engine.connect() as connection:
        tables = set(
            connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname='public'")).scalars()
        )
    engine.dispose()
    assert {"client", "pip_version", "audit_log", "change_journal", "alembic_version"} <= tables


def test_the_address_rules_refuse_in_dutch(
    tmp_path: Path,
    passphrase_env: str,
    team_database: tuple[str, str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    address, password, _url = team_database
    with_password = address.replace("@", f":{password}@", 1)
    code, _out, err = init_supervisor(capsys, tmp_path / "a", with_password)
    assert code == 1 and "wachtwoord niet in het adres" in err
    assert password not in err
    assert not (tmp_path / "a" / "profile.json").exists()

    code, _out, err = init_supervisor(
        capsys, tmp_path / "b", "postgresql://sup@db.gemeente.example:5432/wegwijs"
    )
    assert code == 1 and "sslmode=verify-full" in err
    code, _out, err = init_supervisor(capsys, tmp_path / "c", "mysql://sup@127.0.0.1/wegwijs")
    assert code == 1 and "postgresql://" in err

    code, _out, err = run(
        capsys,
        "--data-dir",
        str(tmp_path / "d"),
        "init",
        "--role",
        "klantmanager",
        "--municipality",
        "Utrecht",
        "--name",
        "K",
        "--database",
        address,
    )
    assert code == 1 and "Alleen een supervisor" in err

    os.environ["PGPASSWORD"] = "niet-het-wachtwoord"
    code, _out, err = init_supervisor(capsys, tmp_path / "e", address)
    assert code == 1 and "weigert de aanmelding" in err and "Traceback" not in err

    closed = address.rsplit(":", 1)[0] + ":1/" + address.rsplit("/", 1)[1]
    code, _out, err = init_supervisor(capsys, tmp_path / "f", closed)
    assert code == 1 and "niet bereikbaar" in err


def test_a_second_init_on_the_same_database_waits_to_join_and_reaches_nothing(
    tmp_path: Path,
    passphrase_env: str,
    team_database: tuple[str, str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`init --database` on a database that holds a team store makes no second store: the profile
    waits for the team's keys (`keys join-team`, tests/integration/test_team_join.py)."""
    address, _password, _url = team_database
    assert init_supervisor(capsys, tmp_path / "een", address)[0] == 0
    code, out, err = init_supervisor(capsys, tmp_path / "twee", address)
    assert code == 0 and "al een Wegwijs-opslag" in out and "join-team" in out, err
    code, _out, err = run(capsys, "--data-dir", str(tmp_path / "twee"), "list")
    assert code == 1 and "nog niet aangesloten" in err


def test_clients_written_through_the_services_land_in_postgresql(
    tmp_path: Path,
    passphrase_env: str,
    team_database: tuple[str, str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    address, _password, url = team_database
    assert init_supervisor(capsys, tmp_path / "sup", address)[0] == 0
    profile = open_profile(tmp_path / "sup")
    add_client(profile, "1234567890", "Haddad")
    profile.close()
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "sup"), "list", "--json")
    assert code == 0, err
    rows = json.loads(out)["cliënten"]
    assert [row["v_nummer"] for row in rows] == ["1234567890"]
    code, out, err = run(
        capsys, "--data-dir", str(tmp_path / "sup"), "export", "--client", "1234567890", "--json"
    )
    assert code == 0 and "Haddad" in out, err
    engine = create_engine(url)
    with engine.connect() as connection:
        actions = set(connection.execute(text("SELECT action FROM audit_log")).scalars())
    engine.dispose()
    assert "aangemaakt" in actions and "geëxporteerd" in actions


def test_a_klantmanagers_packages_import_into_postgresql_once(
    tmp_path: Path,
    passphrase_env: str,
    team_database: tuple[str, str, str],
    capsys: pytest.CaptureFixture[str],
    postgres: Any,
) -> None:
    address, _password, _url = team_database
    database_name = address.rsplit("/", 1)[1]
    km, sup, share = str(tmp_path / "km"), str(tmp_path / "sup"), tmp_path / "doel"
    share.mkdir()
    assert (
        run(
            capsys,
            "--data-dir",
            km,
            "init",
            "--role",
            "klantmanager",
            "--municipality",
            "Utrecht",
            "--name",
            "Karin",
        )[0]
        == 0
    )
    assert init_supervisor(capsys, Path(sup), address)[0] == 0
    assert (
        run(capsys, "--data-dir", sup, "keys", "export-public", "--out", str(tmp_path / "sup.json"))[0] == 0
    )
    assert run(capsys, "--data-dir", km, "keys", "trust-supervisor", str(tmp_path / "sup.json"))[0] == 0
    assert run(capsys, "--data-dir", km, "keys", "export-public", "--out", str(tmp_path / "km.json"))[0] == 0
    assert run(capsys, "--data-dir", sup, "keys", "register-device", str(tmp_path / "km.json"))[0] == 0
    profile = open_profile(Path(km))
    haddad = add_client(profile, "1234567890", "Haddad")
    add_client(profile, "2345678901", "Rahimi")
    intakes = IntakeService.for_profile(profile)
    intake = intakes.open(haddad.id)
    intakes.save_answer(intake.id, "lichamelijke_beperking", True)
    intakes.save_answer(intake.id, "gezondheid_toelichting", HEALTH_ANSWER)
    profile.close()
    assert run(capsys, "--data-dir", km, "sync", "push", "--target", str(share))[0] == 0
    packages = sorted((share / "inbox").glob("*.wgw"))
    assert packages
    copies = tmp_path / "kopie"
    copies.mkdir()
    for package in packages:
        (copies / package.name).write_bytes(package.read_bytes())
    code, out, err = run(capsys, "--data-dir", sup, "import", str(share), "--json")
    assert code == 0, err
    assert {line["status"] for line in json.loads(out)["packages"]} == {"imported"}
    # The same packages again (loose copies): duplicates, nothing applied twice.
    code, out, err = run(
        capsys, "--data-dir", sup, "import", *map(str, sorted(copies.glob("*.wgw"))), "--json"
    )
    assert code == 0, err
    assert {line["status"] for line in json.loads(out)["packages"]} == {"duplicate"}
    code, out, _err = run(capsys, "--data-dir", sup, "list", "--json")
    assert sorted(row["v_nummer"] for row in json.loads(out)["cliënten"]) == ["1234567890", "2345678901"]
    # The supervisor reads the health answer back through the services ...
    code, out, err = run(capsys, "--data-dir", sup, "export", "--client", "1234567890", "--json")
    assert code == 0 and HEALTH_ANSWER in out, err
    # ... but the database administrator's pg_dump holds it sealed: names searchable, health not.
    dump = postgres.dump(database_name)
    assert "Haddad" in dump and "1234567890" in dump
    assert HEALTH_ANSWER not in dump and "rugpijn" not in dump
    assert "wegwijs-verzegeld:1:" in dump


def test_two_workstations_import_the_same_packages_at_once_and_each_applies_once(
    tmp_path: Path,
    passphrase_env: str,
    team_database: tuple[str, str, str],
    capsys: pytest.CaptureFixture[str],
    wegwijs_command: list[str],
) -> None:
    """Two klantmanagers with 200 clients each; two supervisor workstations on one database (the
    second joined through admit-supervisor and join-team) import all packages at the same time, the two streams in opposite order: 400 clients, every package applied exactly once,
    the rest reported as duplicates; importing again changes nothing."""
    import shutil
    import subprocess

    address, _password, url = team_database
    sup = tmp_path / "sup"
    assert init_supervisor(capsys, sup, address)[0] == 0
    assert (
        run(capsys, "--data-dir", str(sup), "keys", "export-public", "--out", str(tmp_path / "sup.json"))[0]
        == 0
    )
    loose: list[Path] = []
    for number, municipality_user in enumerate(("Karin", "Youssef")):
        km, share = str(tmp_path / f"km{number}"), tmp_path / f"doel{number}"
        share.mkdir()
        assert (
            run(
                capsys,
                "--data-dir",
                km,
                "init",
                "--role",
                "klantmanager",
                "--municipality",
                "Utrecht",
                "--name",
                municipality_user,
            )[0]
            == 0
        )
        assert run(capsys, "--data-dir", km, "keys", "trust-supervisor", str(tmp_path / "sup.json"))[0] == 0
        assert (
            run(
                capsys, "--data-dir", km, "keys", "export-public", "--out", str(tmp_path / f"km{number}.json")
            )[0]
            == 0
        )
        assert (
            run(
                capsys, "--data-dir", str(sup), "keys", "register-device", str(tmp_path / f"km{number}.json")
            )[0]
            == 0
        )
        profile = open_profile(Path(km))
        for index in range(200):
            add_client(profile, f"{number + 1}{index:09d}", f"Naam{index}")
        profile.close()
        assert run(capsys, "--data-dir", km, "sync", "push", "--target", str(share))[0] == 0
        loose += sorted((share / "inbox").glob("*.wgw"))
    # The second workstation joins: the team's keys sealed to it by the first.
    second = tmp_path / "sup2"
    join_workstation(capsys, sup, second, address)
    folders = []
    for name in ("a", "b"):
        folder = tmp_path / f"pakketten-{name}"
        folder.mkdir()
        for package in loose:
            shutil.copy(package, folder / package.name)
        folders.append(folder)
    environment = dict(os.environ)
    a_files = [str(p) for p in sorted(folders[0].glob("*.wgw"))]
    # B takes the second klantmanager's stream first; within a stream the order stays (a later
    # package may need an earlier one, and would rightly wait as 'missing_reference').
    names = [package.name for package in loose]
    half = len([p for p in loose if p.parent == loose[0].parent])
    b_files = [str(folders[1] / name) for name in names[half:] + names[:half]]
    processes = [
        subprocess.Popen(
            [*wegwijs_command, "--data-dir", str(folder), "import", *files, "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
        )
        for folder, files in ((sup, a_files), (second, b_files))
    ]
    outcomes: list[str] = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode()
        outcomes += [line["status"] for line in json.loads(out)["packages"]]
    assert outcomes.count("imported") == len(loose)
    assert outcomes.count("duplicate") == len(loose)
    engine = create_engine(url)
    with engine.connect() as connection:
        clients = connection.execute(text("SELECT count(*), count(DISTINCT v_nummer) FROM client")).one()
        applied = connection.execute(
            text("SELECT count(*), count(DISTINCT (device_id, sequence)) FROM sync_imported")
        ).one()
    engine.dispose()
    assert tuple(clients) == (400, 400)
    assert tuple(applied) == (len(loose), len(loose))
    code, out, err = run(capsys, "--data-dir", str(sup), "import", *a_files, "--json")
    assert code == 0 and {line["status"] for line in json.loads(out)["packages"]} == {"duplicate"}, err


def test_two_supervisors_adopting_one_pip_at_once_one_wins_and_the_other_is_told(
    tmp_path: Path,
    passphrase_env: str,
    team_database: tuple[str, str, str],
    capsys: pytest.CaptureFixture[str],
    wegwijs_command: list[str],
) -> None:
    """The PIP's row is locked per decision in the team store: of two `adopt` processes on two
    workstations at the same moment exactly one adopts; the other hears it is adopted already."""
    import datetime as dt
    import subprocess

    from supervisor_helpers import signed_pip

    from app.services.sync import PushService

    address, _password, _url = team_database
    sup, km, share = tmp_path / "sup", str(tmp_path / "km"), tmp_path / "doel"
    share.mkdir()
    assert init_supervisor(capsys, sup, address)[0] == 0
    assert (
        run(
            capsys,
            "--data-dir",
            km,
            "init",
            "--role",
            "klantmanager",
            "--municipality",
            "Utrecht",
            "--name",
            "Karin",
        )[0]
        == 0
    )
    assert (
        run(capsys, "--data-dir", str(sup), "keys", "export-public", "--out", str(tmp_path / "sup.json"))[0]
        == 0
    )
    assert run(capsys, "--data-dir", km, "keys", "trust-supervisor", str(tmp_path / "sup.json"))[0] == 0
    assert run(capsys, "--data-dir", km, "keys", "export-public", "--out", str(tmp_path / "km.json"))[0] == 0
    assert run(capsys, "--data-dir", str(sup), "keys", "register-device", str(tmp_path / "km.json"))[0] == 0
    today = dt.date.today()
    device = open_profile(Path(km))
    signed_pip(
        device,
        "1000000001",
        "Haddad",
        today - dt.timedelta(days=40),
        today - dt.timedelta(days=20),
        today - dt.timedelta(days=10),
    )
    PushService.for_profile(device).push(str(share))
    device.close()
    code, out, err = run(capsys, "--data-dir", str(sup), "import", str(share), "--json")
    assert code == 0, err
    second = tmp_path / "sup2"
    join_workstation(capsys, sup, second, address)
    processes = [
        subprocess.Popen(
            [*wegwijs_command, "--data-dir", str(folder), "adopt", "--client", "1000000001"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(os.environ),
        )
        for folder in (sup, second)
    ]
    results = [
        (process.wait(timeout=300), process.stderr.read().decode() if process.stderr else "")
        for process in processes
    ]
    codes = sorted(code for code, _err in results)
    assert codes == [0, 1], results
    refused = next(err for code, err in results if code == 1)
    assert "al vastgesteld" in refused and "Traceback" not in refused
    code, out, _err = run(capsys, "--data-dir", str(sup), "review", "list", "--json")
    assert code == 0


def test_an_erasure_reaches_the_team_database(
    tmp_path: Path,
    passphrase_env: str,
    team_database: tuple[str, str, str],
    capsys: pytest.CaptureFixture[str],
    postgres: Any,
) -> None:
    """`erase` on the supervisor's team store removes the person from PostgreSQL; pg_dump no longer
    holds the name, and the audit log keeps that it happened."""
    address, _password, url = team_database
    database_name = address.rsplit("/", 1)[1]
    sup = tmp_path / "sup"
    assert init_supervisor(capsys, sup, address)[0] == 0
    profile = open_profile(sup)
    add_client(profile, "1234567890", "Haddad")
    add_client(profile, "2345678901", "Rahimi")
    profile.close()
    code, out, err = run(
        capsys, "--data-dir", str(sup), "erase", "--client", "1234567890", "--reason", "verzoek AVG"
    )
    assert code == 0, err
    code, out, _err = run(capsys, "--data-dir", str(sup), "list", "--json")
    assert [row["v_nummer"] for row in json.loads(out)["cliënten"]] == ["2345678901"]
    dump = postgres.dump(database_name)
    assert "Haddad" not in dump and "1234567890" not in dump and "Rahimi" in dump
    engine = create_engine(url)
    with engine.connect() as connection:
        actions = set(connection.execute(text("SELECT action FROM audit_log")).scalars())
    engine.dispose()
    assert "gewist" in actions


def test_the_local_file_tools_say_the_team_database_is_the_administrators(
    tmp_path: Path,
    passphrase_env: str,
    team_database: tuple[str, str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    address, _password, _url = team_database
    sup = str(tmp_path / "sup")
    assert init_supervisor(capsys, Path(sup), address)[0] == 0
    for command in (
        ["backup"],
        ["check"],
        ["restore", str(tmp_path / "kopie.wgwbak")],
    ):
        code, _out, err = run(capsys, "--data-dir", sup, *command)
        assert code == 1, (command, err)
        assert "teamdatabase" in err and "pg_dump" in err and "Traceback" not in err, (command, err)
    assert not (tmp_path / "sup" / "backups").exists() or not any((tmp_path / "sup" / "backups").iterdir())
