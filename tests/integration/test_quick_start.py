"""Issue 15: the GUI paints the stored caseload before Qt, SQLAlchemy and the services load.

`app.services.quick_start.prepare` runs in a fresh process here, as it does at the start: the lines
it gives are the caseload the services compute, nothing heavy is loaded by it, and every case it
cannot answer by reading alone (a line out of date, an unclean shutdown, a passphrase to ask, a
supervisor, a wrong key) goes the usual way, with the file left as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys

import pytest
from builders import MakeProfile

from app.domain.enums import Role
from app.services.caseload import CaseloadService
from app.services.caseload_ahead import CaseloadAheadService
from app.services.clients import ClientService
from app.services.demo import add_demo_clients
from app.services.profile import PASSPHRASE_VARIABLE, Profile

PREPARE = """
import json, os, sys
from pathlib import Path
from app.services.quick_start import prepare

def no_question(new):
    # As the GUI's: the passphrase of the environment, and no dialog (there is no Qt yet).
    if os.environ.get("WEGWIJS_PASSPHRASE"):
        return os.environ["WEGWIJS_PASSPHRASE"]
    raise AssertionError("prepare() must not ask for a passphrase")

import datetime as dt
day = dt.date.fromisoformat(sys.argv[2]) if len(sys.argv) > 2 else None  # another day than today
quick = prepare(Path(sys.argv[1]), no_question, day)
heavy = ("sqlalchemy", "alembic", "PySide6", "reportlab", "psycopg", "babel")
loaded = sorted(
    name for name in sys.modules
    if name.split(".")[0] in heavy or name.startswith(("app.services.sync", "app.ui", "app.forms"))
)
rows = None if quick is None else [
    [str(row.client_id), row.status, row.leerroute, None if row.next_deadline is None else row.next_deadline.due.isoformat(),
     None if row.next_deadline is None else row.next_deadline.days_left, row.flags.late, row.flags.due_soon]
    for row in quick.rows
]
print(json.dumps({"rows": rows, "loaded": loaded}))
"""


def prepare_in_a_new_process(profile: Profile, *day: str, **environment: str) -> dict[str, object]:
    env = dict(os.environ, **environment)
    done = subprocess.run(
        [sys.executable, "-c", PREPARE, str(profile.data_dir), *day],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def computed(profile: Profile, today: dt.date | None = None) -> list[list[object]]:
    return [
        [
            str(row.client_id),
            row.status,
            row.leerroute,
            None if row.next_deadline is None else row.next_deadline.due.isoformat(),
            None if row.next_deadline is None else row.next_deadline.days_left,
            row.flags.late,
            row.flags.due_soon,
        ]
        for row in CaseloadService.for_profile(profile).rows(today)
    ]


@pytest.fixture
def profile(make_profile: MakeProfile) -> Profile:
    profile = make_profile(municipality="Voorbeeldstad", user_name="km1")
    with profile.store().session(profile.actor, profile.settings.role) as session:
        add_demo_clients(session, 40, seed=21, municipality="Voorbeeldstad", klantmanager="km1")
    return profile


def test_the_first_paint_is_the_computed_caseload_and_loads_nothing_heavy(profile: Profile) -> None:
    expected = computed(profile)  # the listing stores every line it computes
    profile.close()
    first = prepare_in_a_new_process(profile)
    assert sorted(first["rows"]) == sorted(expected)  # type: ignore[arg-type]
    # The first start of a version reads the form once (who may see the ontzorgen); later ones not.
    result = prepare_in_a_new_process(profile)
    assert result["loaded"] == []
    assert result["rows"] == first["rows"]


def test_lines_out_of_date_are_recomputed_before_the_first_paint(profile: Profile) -> None:
    computed(profile)
    ClientService.for_profile(profile).add_demo(1, seed=99)  # a write after the last listing
    profile.close()
    result = prepare_in_a_new_process(profile)
    # The store opened through SQLAlchemy for the one line; the services of the window did not load.
    assert "sqlalchemy" in result["loaded"]  # type: ignore[operator]
    assert not [
        name for name in result["loaded"] if name.startswith(("app.services.sync", "app.ui", "PySide6"))
    ]  # type: ignore[union-attr]
    expected = computed(profile)
    assert len(expected) == 41
    assert sorted(result["rows"]) == sorted(expected)  # type: ignore[arg-type]
    profile.close()
    # Stored now: the next start reads them as they are.
    assert not [
        name for name in prepare_in_a_new_process(profile)["loaded"] if not name.startswith("app.forms")
    ]  # type: ignore[union-attr]


def test_an_unclean_shutdown_a_passphrase_to_ask_or_a_wrong_key_go_the_usual_way(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed(profile)
    profile.close()
    store = profile.store_path
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    # A process that had the store open and died leaves its marker behind, unlocked.
    marker = store.with_name(f"{store.name}.open-999999")
    marker.write_bytes(b"")
    assert prepare_in_a_new_process(profile)["rows"] is None
    marker.unlink()
    # No passphrase in the environment: the dialog asks it, after Qt.
    environment = {key: value for key, value in os.environ.items() if key != PASSPHRASE_VARIABLE}
    done = subprocess.run(
        [sys.executable, "-c", PREPARE, str(profile.data_dir)],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"] is None
    # A wrong passphrase: refused later by the usual start, in its message box; nothing written.
    assert prepare_in_a_new_process(profile, **{PASSPHRASE_VARIABLE: "een ander wachtwoord"})["rows"] is None
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before


def test_a_supervisor_starts_the_usual_way(make_profile: MakeProfile) -> None:
    supervisor = make_profile(role=Role.SUPERVISOR, municipality="Voorbeeldstad", user_name="sup1")
    computed(supervisor)
    supervisor.close()
    assert prepare_in_a_new_process(supervisor)["rows"] is None


def test_the_first_paint_speaks_the_language_of_the_profile(profile: Profile) -> None:
    from app.i18n import set_ui_language

    dutch = computed(profile)
    profile.settings.ui_language = "en"
    profile.save_settings()
    set_ui_language("en")
    try:
        english = computed(profile)
    finally:
        set_ui_language("nl")
    assert [row[1] for row in english] != [row[1] for row in dutch]
    profile.close()
    assert sorted(prepare_in_a_new_process(profile)["rows"]) == sorted(english)  # type: ignore[arg-type]


def test_the_first_start_of_a_day_paints_from_the_lines_ahead(profile: Profile) -> None:
    """A morning after yesterday's use: yesterday's listing and its lines ahead are stored, some
    lines turned overnight, and the start reads today's lines without SQLAlchemy."""
    today = dt.date.today()
    with profile.store().engine.begin() as connection:  # at least one line turns the day after tomorrow
        connection.exec_driver_sql(
            "UPDATE client_case SET huisvestingsdatum = ? WHERE rowid = (SELECT min(rowid) FROM client_case)",
            ((today + dt.timedelta(days=2)).isoformat(),),
        )
    computed(profile)
    assert CaseloadAheadService.for_profile(profile).fill() > 0
    with profile.store().engine.connect() as connection:
        # The first day on which a stored line is no longer right: its line ahead must be taken.
        turn = connection.exec_driver_sql("SELECT min(valid_until) FROM caseload_state").scalar_one()
    morning = dt.date.fromisoformat(turn) + dt.timedelta(days=1)
    assert morning <= today + dt.timedelta(days=10)
    profile.close()
    prepare_in_a_new_process(profile)  # the form is read once per version (who sees the ontzorgen)
    result = prepare_in_a_new_process(profile, morning.isoformat())
    assert result["loaded"] == []
    expected = computed(profile, morning)
    profile.close()
    assert sorted(result["rows"]) == sorted(expected)  # type: ignore[arg-type]
    # After a long absence the lines ahead are over: the start recomputes before the paint, as before.
    later = prepare_in_a_new_process(profile, (today + dt.timedelta(days=400)).isoformat())
    assert "sqlalchemy" in later["loaded"]  # type: ignore[operator]
