"""`store copy-to URL` (issue 18): a supervisor's local store moved into the team database in a real
PostgreSQL, checked record by record; what the supervisor sees is the same before and after."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sync_helpers import add_client

from app.cli import main
from app.services.profile import open_profile


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def unordered(value: Any) -> Any:
    """Lists of records (household members ...) compared by id: the engines may return them in
    another order where the model gives none."""
    if isinstance(value, dict):
        return {key: unordered(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [unordered(item) for item in value]
        if all(isinstance(item, dict) and "id" in item for item in items):
            return sorted(items, key=lambda item: str(item["id"]))
        return items
    return value


@pytest.fixture
def team_database(postgres: Any) -> Iterator[tuple[str, str]]:
    user, password, database = postgres.new_database()
    previous = os.environ.get("PGPASSWORD")
    os.environ["PGPASSWORD"] = password
    try:
        yield postgres.plain_url(user, database), database
    finally:
        if previous is None:
            os.environ.pop("PGPASSWORD", None)
        else:
            os.environ["PGPASSWORD"] = previous


def test_a_local_supervisor_store_moves_into_the_team_database(
    tmp_path: Path,
    passphrase_env: str,
    team_database: tuple[str, str],
    postgres: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    address, database = team_database
    sup = str(tmp_path / "sup")
    assert (
        run(
            capsys,
            "--data-dir",
            sup,
            "init",
            "--role",
            "supervisor",
            "--municipality",
            "Utrecht",
            "--name",
            "Sanne",
        )[0]
        == 0
    )
    assert run(capsys, "--data-dir", sup, "demo", "--clients", "40", "--seed", "5")[0] == 0
    code, before, _err = run(capsys, "--data-dir", sup, "list", "--json")
    clients = json.loads(before)["cliënten"]
    assert code == 0 and len(clients) == 40
    exports_before = {
        row["v_nummer"]: run(capsys, "--data-dir", sup, "export", "--client", row["v_nummer"], "--json")[1]
        for row in clients[:5]
    }

    code, out, err = run(capsys, "--data-dir", sup, "store", "copy-to", address)
    assert code == 0, err
    assert "gecontroleerd" in out and address in out
    settings = json.loads((tmp_path / "sup" / "profile.json").read_text(encoding="utf-8"))
    assert settings["database"] == address
    assert (tmp_path / "sup" / "wegwijs.db").exists()  # the local file stays as the fallback

    code, after, _err = run(capsys, "--data-dir", sup, "list", "--json")
    by_id = lambda rows: sorted(rows, key=lambda row: row["id"])  # noqa: E731 (ties in the caseload order)
    assert code == 0 and by_id(json.loads(after)["cliënten"]) == by_id(clients)
    for v_nummer, exported in exports_before.items():
        again = run(capsys, "--data-dir", sup, "export", "--client", v_nummer, "--json")[1]
        # The same record, field for field (the export's own time stamp aside).
        first, second = json.loads(exported), json.loads(again)
        first.pop("geëxporteerd_op", None), second.pop("geëxporteerd_op", None)
        # The history grew by the exports themselves (each is audited); what was there is kept.
        history_before, history_after = first.pop("geschiedenis", []), second.pop("geschiedenis", [])
        assert history_after[: len(history_before)] == history_before
        assert unordered(first) == unordered(second)

    # New work goes on in the team store (the numbered tables continue after the copied rows).
    profile = open_profile(tmp_path / "sup")
    add_client(profile, "9999999990", "Nieuw")
    profile.close()
    code, out, _err = run(capsys, "--data-dir", sup, "list", "--json")
    assert len(json.loads(out)["cliënten"]) == 41

    dump = postgres.dump(database)
    assert "wegwijs-verzegeld:1:" in dump
    code, _out, err = run(capsys, "--data-dir", sup, "store", "copy-to", address)
    assert code == 1 and "al met de teamdatabase" in err


def test_a_database_that_is_not_empty_is_refused_and_nothing_changes(
    tmp_path: Path, passphrase_env: str, team_database: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    address, _database = team_database
    other, sup = str(tmp_path / "ander"), str(tmp_path / "sup")
    assert (
        run(
            capsys,
            "--data-dir",
            other,
            "init",
            "--role",
            "supervisor",
            "--municipality",
            "Utrecht",
            "--name",
            "A",
            "--database",
            address,
        )[0]
        == 0
    )
    assert (
        run(
            capsys,
            "--data-dir",
            sup,
            "init",
            "--role",
            "supervisor",
            "--municipality",
            "Utrecht",
            "--name",
            "B",
        )[0]
        == 0
    )
    code, _out, err = run(capsys, "--data-dir", sup, "store", "copy-to", address)
    assert code == 1 and "al een Wegwijs-opslag" in err
    assert (
        "database" not in json.loads((tmp_path / "sup" / "profile.json").read_text(encoding="utf-8"))
        or not json.loads((tmp_path / "sup" / "profile.json").read_text(encoding="utf-8"))["database"]
    )
    km = str(tmp_path / "km")
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
            "K",
        )[0]
        == 0
    )
    code, _out, err = run(capsys, "--data-dir", km, "store", "copy-to", address)
    assert code == 1 and "Alleen de opslag van een supervisor" in err
