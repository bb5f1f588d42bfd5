"""Issue 14, erasure (AVG): `wegwijs erase` removes every record of the person on a real store, the
tombstones travel with the next push and the supervisor's import erases the same; the audit log keeps
that it happened without personal data; a running objection stops it, in Dutch."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest
from builders import draft_pip_with
from sqlalchemy import select
from sync_helpers import Pair, add_client, snapshot

from app.cli import main
from app.models.client import Case
from app.models.intake import Intake, IntakeSession, IntakeStatus
from app.models.journal import AuditEntry
from app.models.pip import Pip
from app.models.sync_state import SyncConflict
from app.services.maintenance.erase import ACTION_ERASE, ErasureRefused, ErasureService
from app.services.pdf_files import pdf_folder_of
from app.services.profile import Profile
from app.services.sync import PushService, SupervisorImportService

TODAY = dt.date(2026, 11, 22)
V_NUMMER = "6666666666"
SURNAME = "Haddadi"
NOTES = "Vertelde over haar broer in Aleppo"  # followed by the surname: each client has their own


def make_person(profile: Profile, v_nummer: str = V_NUMMER, surname: str = SURNAME) -> uuid.UUID:
    """A client with a household of one, a case, a concluded intake with a conversation, a PIP."""
    client = add_client(profile, v_nummer, surname)
    with profile.store().session(actor="Karin", role="klantmanager") as session:
        intake = Intake(client_id=client.id, form_id="brede_intake", form_version=1,
                        status=IntakeStatus.CONCLUDED.value, started_on=dt.date(2026, 9, 1),
                        concluded_on=dt.date(2026, 10, 1), cesuur=28, advised_route="b1", chosen_route="b1",
                        answers={"gezondheid_toelichting": {"value": f"Rugklachten {surname}", "form_version": 1}},
                        privacy_explained=True)  # fmt: skip
        session.add(intake)
        session.flush()
        session.add(IntakeSession(intake_id=intake.id, held_on=dt.date(2026, 9, 1), place="azc",
                                  participants=["inburgeraar"], interpreter_kind="geen",
                                  notes=f"{NOTES} ({surname})"))  # fmt: skip
    draft_pip_with(profile, client.id, {"leerroute": "b1", "period_months": 30}, TODAY)
    return client.id


def everything_stored(profile: Profile) -> str:
    return repr(snapshot(profile))


def print_pdf(profile: Profile, v_nummer: str) -> Path:
    folder = pdf_folder_of(profile.data_dir, profile.settings.options)
    folder.mkdir(exist_ok=True)
    path = folder / f"PIP_{v_nummer}_v1_ar_2026-11-22.pdf"
    path.write_bytes(b"%PDF-1.7 stand-in for a printed PIP")
    return path


def test_erase_removes_every_record_and_keeps_only_an_audit_entry(make_profile: Any, capsys: Any) -> None:
    profile = make_profile()
    make_person(profile)
    other = make_person(profile, "7777777777", "Tesfaye")
    printed = print_pdf(profile, V_NUMMER)
    kept_print = print_pdf(profile, "7777777777")
    before = everything_stored(profile)
    assert SURNAME in before and V_NUMMER in before and NOTES in before

    code = main(
        ["--data-dir", str(profile.data_dir), "erase", "--client", V_NUMMER, "--reason", "verzoek AVG"]
    )
    assert code == 0, capsys.readouterr().err
    assert "gewist" in capsys.readouterr().out

    after = everything_stored(profile)
    for personal in (SURNAME, V_NUMMER, f"{NOTES} ({SURNAME})", f"Rugklachten {SURNAME}", f"hh-{V_NUMMER}"):
        assert personal not in after
    assert "Tesfaye" in after and "7777777777" in after  # the other client is untouched
    assert not printed.exists() and kept_print.exists()
    with profile.store().session() as session:
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == ACTION_ERASE)).all()
        assert entry.actor == profile.actor and entry.role == "klantmanager"
        assert entry.detail == "reden: verzoek AVG; 7 records"
        assert session.get(Pip, other) is None  # (a Pip is keyed by its own id, not the client's)
        assert len(session.scalars(select(Pip)).all()) == 1


def test_erase_is_refused_while_an_objection_runs_and_when_the_reason_names_the_person(
    make_profile: Any, capsys: Any
) -> None:
    profile = make_profile()
    client_id = make_person(profile)
    with profile.store().session() as session:
        pip = session.scalars(select(Pip).where(Pip.client_id == client_id)).one()
        pip.objections = [{"version": 1, "made_known_on": "2026-10-01", "received_on": "2026-10-20",
                           "late": False, "outcome": None, "decided_on": None, "appeal_filed_on": None}]  # fmt: skip
    before = everything_stored(profile)
    code = main(
        ["--data-dir", str(profile.data_dir), "erase", "--client", V_NUMMER, "--reason", "verzoek AVG"]
    )
    err = capsys.readouterr().err
    assert code == 1 and "bezwaar of beroep" in err and err.count("\n") == 1
    assert everything_stored(profile) == before

    with profile.store().session() as session:
        pip = session.scalars(select(Pip).where(Pip.client_id == client_id)).one()
        pip.objections = [{**pip.objections[0], "outcome": "ongegrond", "decided_on": "2026-11-01"}]
    service = ErasureService.for_profile(profile)
    with pytest.raises(ErasureRefused, match="noemt de cliënt"):
        service.erase(V_NUMMER, f"verzoek van {SURNAME}")
    with pytest.raises(ErasureRefused, match="--reason"):
        service.erase(V_NUMMER, "   ")
    assert service.erase(V_NUMMER, "verzoek AVG").records == 7


def test_the_erasure_travels_to_the_supervisor_and_erases_the_same(pair: Pair) -> None:
    client_id = make_person(pair.device)
    make_person(pair.device, "7777777777", "Tesfaye")
    PushService.for_profile(pair.device).push(str(pair.target))
    first = SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
    assert [o.status for o in first.outcomes] == ["imported"]
    assert SURNAME in everything_stored(pair.supervisor) and NOTES in everything_stored(pair.supervisor)
    # A conflict about one of the person's records on the supervisor: it holds their data too.
    with pair.supervisor.store().session() as session:
        session.add(SyncConflict(entity_type="client", entity_id=client_id, device_id="x", sequence=1,
                                 local_version=1, incoming_version=2, incoming_base_version=1,
                                 local_data={"family_name": SURNAME}, incoming_data={"family_name": SURNAME},
                                 differences=[]))  # fmt: skip
        # And a newer version of the case here than the device edited from (as a supervisor's change).
        case = session.scalars(select(Case).where(Case.client_id == client_id)).one()
        case.coa_location = "AZC Budel"

    report = ErasureService.for_profile(pair.device).erase(V_NUMMER, "verzoek AVG")
    assert report.records == 7 and report.household_removed
    PushService.for_profile(pair.device).push()
    second = SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
    assert [(o.status, o.records) for o in second.outcomes] == [("imported", 7)]

    on_supervisor = everything_stored(pair.supervisor)
    for personal in (SURNAME, V_NUMMER, f"{NOTES} ({SURNAME})", f"Rugklachten {SURNAME}", f"hh-{V_NUMMER}"):
        assert personal not in on_supervisor, personal
    assert "Tesfaye" in on_supervisor and "AZC Budel" not in on_supervisor
    with pair.supervisor.store().session() as session:
        conflicts = session.scalars(select(SyncConflict)).all()
        assert all(SURNAME not in repr(c.local_data) + repr(c.incoming_data) for c in conflicts)
