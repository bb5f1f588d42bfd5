"""The stored caseload (table caseload_state, migration 0013): listing it gives, field by field, what
the computation gives, for demo data of every kind, after every kind of write, over two years of
days, and for a role that may not see the ontzorgen; and it is read without SQLAlchemy."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import uuid

import pytest
from builders import adopted_pip, draft_pip_with
from sqlalchemy import select, text

from app.domain.enums import Role, TargetGroup
from app.models.caseload_state import CaseloadState
from app.models.client import Client
from app.services.caseload import CaseloadRow, caseload_rows, computed_caseload_rows
from app.services.caseload_state import read_stored_caseload
from app.services.clients import ClientService
from app.services.intake import IntakeService
from app.services.maintenance.erase import ErasureService
from app.services.pip import PipService, PipSettings
from app.services.profile import Profile

TODAY = dt.date.today()
KM = ("km.jansen", Role.KLANTMANAGER.value)


def computed(profile: Profile, today: dt.date = TODAY, who: tuple[str, str] = KM) -> list[CaseloadRow]:
    with profile.store().session(*who) as session:
        return computed_caseload_rows(session, today)


def listed(profile: Profile, today: dt.date = TODAY, who: tuple[str, str] = KM) -> list[CaseloadRow]:
    with profile.store().session(*who) as session:
        return caseload_rows(session, today)


def read_plain(
    profile: Profile, today: dt.date = TODAY, sees_ontzorgen: bool = True
) -> list[CaseloadRow] | None:
    """The stored caseload as the start-up reads it: on the DB-API connection."""
    with profile.store().engine.connect() as connection:
        return read_stored_caseload(
            connection.connection.driver_connection, today, sees_ontzorgen=sees_ontzorgen
        )


def stored_count(profile: Profile) -> int:
    with profile.store().session() as session:
        return len(session.scalars(select(CaseloadState.client_id)).all())


def assert_listing_is_the_computation(profile: Profile, today: dt.date = TODAY) -> None:
    reference = computed(profile, today)
    assert listed(profile, today) == reference  # recomputes what is missing, and stores it
    assert read_plain(profile, today) == reference  # now all of it is stored
    assert listed(profile, today) == reference


@pytest.fixture
def demo(profile: Profile) -> Profile:
    """Several hundred demo clients (no intake, intake, PIP concept/signed/adopted, in the AZC,
    housed, minors, partly known birth dates), and besides them exemptions, moved clients,
    temporary protection and a birth year that makes the age uncertain."""
    ClientService.for_profile(profile).add_demo(320, seed=11)
    rows = computed(profile)
    in_force = [r.client_id for r in rows if r.pip_state == "vastgesteld"]
    assert len(in_force) >= 4
    pips = PipService(profile.store(), "km.jansen", Role.KLANTMANAGER, PipSettings())
    pips.record_exemption(in_force[0], "overig", TODAY - dt.timedelta(days=3), [], TODAY)
    pips.record_exemption(in_force[1], "agi", TODAY - dt.timedelta(days=3), ["lezen", "knm"], TODAY)
    others = [r.client_id for r in rows if r.pip_state is None]
    with profile.store().engine.begin() as connection:  # raw writers, as the importer and demo rows are
        for client_id in others[:3]:
            connection.execute(
                text("UPDATE client_case SET moved_to = 'Amersfoort', moved_on = :on WHERE client_id = :id"),
                {"on": TODAY - dt.timedelta(days=10), "id": client_id.hex},
            )
        connection.execute(
            text("UPDATE client SET target_group = :group WHERE id = :id"),
            {"group": TargetGroup.TIJDELIJKE_BESCHERMING.value, "id": others[3].hex},
        )
        connection.execute(
            text("UPDATE client SET birth_date = :year WHERE id = :id"),
            {"year": str(TODAY.year - 18), "id": others[4].hex},
        )
    return profile


def test_the_stored_listing_is_the_computed_one_for_every_kind_of_client(demo: Profile) -> None:
    reference = computed(demo)
    statuses = " ".join(row.status for row in reference)
    for shown in ("verhuisd naar Amersfoort", "tijdelijke bescherming", "leeftijd onzeker", "ontheffing (DUO)",
                  "ontheffing voor lezen, KNM", "gezinslid (minderjarig)", "PIP vastgesteld", "in AZC"):  # fmt: skip
        assert shown in statuses, shown
    assert read_plain(demo) is None  # nothing stored yet: the caller takes the full path
    assert listed(demo) == reference
    assert stored_count(demo) == len(reference)
    again = read_plain(demo)
    assert again == reference
    assert [json.dumps(row.obliged) for row in again] == [json.dumps(row.obliged) for row in reference]


def test_every_kind_of_write_leaves_the_listing_right(demo: Profile) -> None:
    assert_listing_is_the_computation(demo)
    rows = computed(demo)
    # Clients of whom only the case is known (no intake, no PIP).
    without_pip = [r.client_id for r in rows if r.status in ("gehuisvest", "in AZC")]
    # Intake: opening one, then an answer (the autosave leaves the stored line alone: only the
    # intake's status and route are shown).
    intakes = IntakeService.for_profile(demo)
    snap = intakes.open(without_pip[0], TODAY)
    assert_listing_is_the_computation(demo)
    before = stored_count(demo)
    intakes.save_answer(snap.id, "naam_latijns", "Rania Haddad")
    assert stored_count(demo) == before
    assert_listing_is_the_computation(demo)
    # PIP: a concept, then an adopted one, a progress meeting, an exemption, an objection.
    draft_pip_with(demo, without_pip[1], {"leerroute": "z"}, TODAY)
    assert_listing_is_the_computation(demo)
    adopted_pip(demo, without_pip[2], TODAY - dt.timedelta(days=120))
    assert_listing_is_the_computation(demo)
    pips = PipService(demo.store(), "km.jansen", Role.KLANTMANAGER, PipSettings())
    pips.record_meeting(without_pip[2], TODAY - dt.timedelta(days=5), today=TODAY)
    assert_listing_is_the_computation(demo)
    pips.record_exemption(without_pip[2], "agi", TODAY - dt.timedelta(days=1), ["spreken"], TODAY)
    assert_listing_is_the_computation(demo)
    pips.record_objection(without_pip[2], TODAY - dt.timedelta(days=2), TODAY - dt.timedelta(days=1), TODAY)
    assert_listing_is_the_computation(demo)
    # The case (new housing day), a new client, and an erasure.
    with demo.store().engine.begin() as connection:
        connection.execute(
            text("UPDATE client_case SET huisvestingsdatum = :on WHERE client_id = :id"),
            {"on": TODAY - dt.timedelta(days=30), "id": without_pip[3].hex},
        )
    assert_listing_is_the_computation(demo)
    ClientService.for_profile(demo).add_demo(3, seed=12)
    assert_listing_is_the_computation(demo)
    v_nummer = next(r.v_nummer for r in rows if r.client_id == without_pip[4])
    ErasureService.for_profile(demo).erase(v_nummer, "bewaartermijn verstreken")
    assert_listing_is_the_computation(demo)
    assert without_pip[4] not in {row.client_id for row in listed(demo)}


# Each table the listing reads from, and a raw write to it that changes nothing the caseload shows
# (so only the trigger can tell): the client's stored line must be gone after it.
RAW_WRITES = (
    "UPDATE client SET nationality = nationality WHERE id = :client",
    "UPDATE client_case SET coa_location = coa_location WHERE client_id = :client",
    "UPDATE intake SET status = status WHERE client_id = :client",
    "UPDATE pip SET switched = switched WHERE client_id = :client",
    "UPDATE pip_version SET state = state WHERE pip_id IN (SELECT id FROM pip WHERE client_id = :client)",
    "INSERT INTO progress_meeting (id, version, created_at, updated_at, pip_id, held_on, held_by, note)"
    " SELECT :meeting, 1, '2025-01-01 10:00:00', '2025-01-01 10:00:00', id, :on, 'km', '' FROM pip"
    " WHERE client_id = :client",
    "DELETE FROM progress_meeting WHERE id = :meeting",
)


def test_a_raw_write_to_any_table_the_listing_reads_drops_the_clients_stored_line(demo: Profile) -> None:
    rows = computed(demo)
    with_both = [r.client_id for r in rows if r.pip_state is not None]
    assert_listing_is_the_computation(demo)
    client_id = with_both[0]
    meeting = uuid.uuid4().hex
    for write in RAW_WRITES:
        assert read_plain(demo) is not None, write
        with demo.store().engine.begin() as connection:
            connection.execute(text(write), {"client": client_id.hex, "meeting": meeting, "on": TODAY})
        with demo.store().session() as session:
            gone = session.get(CaseloadState, client_id) is None
        assert gone, write
        assert read_plain(demo) is None
        assert_listing_is_the_computation(demo)


def test_over_two_years_of_days_the_stored_listing_is_the_computed_one(profile: Profile) -> None:
    ClientService.for_profile(profile).add_demo(120, seed=5)
    recomputed_days = 0
    for offset in range(0, 801):
        day = TODAY + dt.timedelta(days=offset)
        recomputed_days += read_plain(profile, day) is None
        assert listed(profile, day) == computed(profile, day), day
    # The lines stay right for days on end: most days list from what is stored.
    assert recomputed_days < 400


def test_a_role_that_may_not_see_the_ontzorgen_sees_no_flag_derived_from_it(demo: Profile) -> None:
    interpreter = ("tolk", Role.INTERPRETER.value)
    # Stored while the interpreter listed: the klantmanager still gets the flag, the interpreter never.
    as_interpreter = listed(demo, who=interpreter)
    assert as_interpreter == computed(demo, who=interpreter)
    assert not any(row.flags.ontzorgen_ending for row in as_interpreter)
    as_klantmanager = listed(demo)
    assert as_klantmanager == computed(demo)
    assert any(row.flags.ontzorgen_ending for row in as_klantmanager)
    hidden = read_plain(demo, sees_ontzorgen=False)
    assert hidden is not None and not any(row.flags.ontzorgen_ending for row in hidden)
    assert read_plain(demo, sees_ontzorgen=True) == as_klantmanager


def test_the_stored_caseload_is_the_same_in_every_language(demo: Profile) -> None:
    from app.i18n import set_ui_language

    listed(demo)
    try:
        set_ui_language("en")
        english = computed(demo)
        assert read_plain(demo) == english
        assert any("AZC" in row.status for row in english)
    finally:
        set_ui_language("nl")
    assert read_plain(demo) == computed(demo)


def test_the_stored_caseload_is_read_without_sqlalchemy() -> None:
    probe = (
        "import sys, app.services.caseload_state as state; "
        "assert state.role_sees_ontzorgen('klantmanager') and not state.role_sees_ontzorgen('interpreter'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_clients_sort_the_same_and_names_stay_uuids(demo: Profile) -> None:
    listed(demo)
    stored = read_plain(demo)
    assert stored is not None
    assert all(isinstance(row.client_id, uuid.UUID) for row in stored)
    with demo.store().session() as session:
        ids = set(session.scalars(select(Client.id)).all())
    assert {row.client_id for row in stored} == ids
