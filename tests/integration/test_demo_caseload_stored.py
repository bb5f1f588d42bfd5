"""`wegwijs demo` stores the caseload's lines as the listing computes them, so the first start after a
demo reads them instead of computing every line through SQLAlchemy (issue 15); and the stored lines
are kept honest afterwards as before (the caseload triggers are in force again after the demo)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from store_helpers import (
    PASSPHRASE,
    cli_environment,
    connect_with_key,
    load_profile,
    make_profile,
    run_wegwijs,
    store_key,
)

from app.models.store import STORE_FILE
from app.services.caseload import CaseloadService, computed_caseload_rows
from app.services.caseload_state import read_stored_caseload
from app.services.clients import ClientService
from app.services.demo import caseload_triggers_held_off

# The start's own first step (app/services/quick_start.py) in a fresh process: what it paints, and
# whether it had to open the store through SQLAlchemy for that.
PREPARE = """
import json, os, sys
from pathlib import Path
from app.services.quick_start import prepare

quick = prepare(Path(sys.argv[1]), lambda new: os.environ["WEGWIJS_PASSPHRASE"])
loaded = sorted(name for name in sys.modules if name.split(".")[0] == "sqlalchemy")
rows = None if quick is None else [str(row.client_id) for row in quick.rows]
print(json.dumps({"rows": rows, "sqlalchemy": bool(loaded)}))
"""


def first_start(folder: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PREPARE, str(folder)],
        env=dict(os.environ, **cli_environment(PASSPHRASE)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def stored(folder: Path, today: dt.date) -> list[object] | None:
    connection = connect_with_key(folder / STORE_FILE, store_key(folder))
    try:
        return read_stored_caseload(connection, today, sees_ontzorgen=True)  # type: ignore[return-value]
    finally:
        connection.close()


def computed(folder: Path, today: dt.date) -> list[object]:
    profile = load_profile(folder)
    try:
        with profile.store().session(profile.actor, profile.settings.role) as session:
            return list(computed_caseload_rows(session, today))
    finally:
        profile.close()


def test_the_first_start_after_a_demo_reads_the_stored_lines(tmp_path: Path) -> None:
    folder = make_profile(tmp_path / "profiel")
    result = run_wegwijs(folder, "demo", "--clients", "60", "--seed", "4")
    assert result.returncode == 0, result.stderr
    today = dt.date.today()
    lines = stored(folder, today)
    assert lines is not None, "the demo left caseload lines to compute"
    assert lines == computed(folder, today)
    start = first_start(folder)
    assert start["sqlalchemy"] is False
    assert start["rows"] == [str(line.client_id) for line in lines]  # type: ignore[attr-defined]
    assert len(lines) == 60


def test_a_demo_into_a_profile_with_data_keeps_its_lines_right_and_the_triggers_in_force(
    tmp_path: Path,
) -> None:
    folder = make_profile(tmp_path / "profiel")
    assert run_wegwijs(folder, "demo", "--clients", "30", "--seed", "4").returncode == 0
    today = dt.date.today()
    before = stored(folder, today)
    assert before is not None
    # A second demo (another seed) beside them: the new clients' lines are stored, the old ones stay.
    assert run_wegwijs(folder, "demo", "--clients", "25", "--seed", "5").returncode == 0
    after = stored(folder, today)
    assert after is not None and len(after) == 55
    assert after[:30] == before
    assert after == computed(folder, today)
    # The triggers keep the lines honest again: a raw write to a demo client drops its line.
    profile = load_profile(folder)
    try:
        newest = after[-1].client_id  # type: ignore[attr-defined]
        with profile.store().engine.begin() as connection:
            connection.execute(
                text("UPDATE client SET nationality = nationality WHERE id = :id"), {"id": newest.hex}
            )
        assert stored(folder, today) is None
        assert CaseloadService.for_profile(profile).rows(today) == computed(folder, today)
    finally:
        profile.close()
    assert stored(folder, today) is not None


TRIGGERS = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"


def test_the_triggers_are_held_off_only_inside_the_demos_transaction(tmp_path: Path) -> None:
    folder = make_profile(tmp_path / "profiel")
    assert run_wegwijs(folder, "demo", "--clients", "20", "--seed", "4").returncode == 0
    profile = load_profile(folder)
    try:
        store = profile.store()
        with store.engine.connect() as connection:
            triggers = connection.exec_driver_sql(TRIGGERS).all()
        assert len([name for name, _sql in triggers if name.startswith("caseload_stale_")]) == 18
        with (
            pytest.raises(RuntimeError),
            store.session(profile.actor, profile.settings.role) as session,
            caseload_triggers_held_off(session.connection()),
        ):
            inside = session.connection().exec_driver_sql(TRIGGERS).all()
            assert not [name for name, _sql in inside if name.startswith("caseload_stale_")]
            raise RuntimeError("a demo that fails half way")
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql(TRIGGERS).all() == triggers
        # The same after a demo that succeeds (more demo clients in the same profile).
        ClientService.for_profile(profile).add_demo(5, seed=9)
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql(TRIGGERS).all() == triggers
    finally:
        profile.close()
