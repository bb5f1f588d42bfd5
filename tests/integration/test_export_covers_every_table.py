"""Issue 14: the right-of-access export covers every table that holds a person's data.

The test walks Base.metadata, not a list of its own: every table is either named below as holding
nothing about a person (with the reason), or the builder gives the client rows in it and each of
those rows, with every text, date and id it holds, must be in `wegwijs export`. A new table (or a new
column) that the export forgets makes this fail; so does a new table the builder does not fill: add a
row for it here and its section to the export (app/services/clients.py).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from builders import add_client_with_case, draft_pip_with, set_translation
from sqlalchemy import select

from app.models.base import Base
from app.models.client import Household
from app.models.intake import Intake, IntakeSession, IntakeStatus
from app.models.pip import Pip, TextPart
from app.models.progress import ExamResult, ModuleProgress, ProgressMeeting, RouteHours
from app.models.supervisor import ClientAssignment, SupervisorDecision
from app.models.sync_state import SyncConflict
from app.services.clients import ClientService
from app.services.pip import text_key
from app.services.profile import Profile

TODAY = dt.date(2025, 6, 2)

# Tables that hold nothing about a person beyond what the export already shows, and why.
NOT_ABOUT_A_PERSON = {
    "change_journal": "which record changed when, for sync: the same facts as the audit log, which is exported",
    "sync_setting": "the device's own sync state (sequence numbers, target, times)",
    "sync_peer": "the keys of the supervisor and the devices",
    "sync_outbox": "which packages were written; their contents are the records themselves",
    "sync_imported": "which packages were imported, by device and number",
    "sync_record_origin": "from which device a record came: ids and versions only",
    "caseload_state": "what the caseload shows, worked out again from the records above (which are exported)",
    "caseload_ahead": "what the caseload will show on days ahead, worked out from the same records",
}


def _fill(profile: Profile) -> uuid.UUID:
    """A client with something in every table that can hold their data."""
    with profile.store().session(actor="km.jansen", role="klantmanager") as session:
        household = Household(label="COA-huishouden 77")
        session.add(household)
        session.flush()
        client = add_client_with_case(session, "2345678901", klantmanager="km.jansen", coa_location="AZC Zeist",
                                      koppeldatum=dt.date(2024, 11, 1), melddatum=dt.date(2024, 10, 1),
                                      benefit="bijstand", benefit_start=dt.date(2025, 1, 6))  # fmt: skip
        client.bsn = "111222333"
        client.nationality = "SYR"
        client.household_id = household.id
        intake = Intake(client_id=client.id, form_id="brede_intake", form_version=1,
                        status=IntakeStatus.CONCLUDED.value, started_on=dt.date(2024, 12, 2),
                        concluded_on=dt.date(2025, 2, 10), concluded_by="km.jansen", cesuur=28,
                        answers={"gezondheid_toelichting": {"value": "Rugklachten sinds de reis",
                                                            "form_version": 1, "saved_at": "2025-01-01T10:00:00"}},
                        completed_sections=["identiteit"], last_field_id="gezondheid_toelichting",
                        privacy_explained=True, privacy_explained_on=dt.date(2024, 12, 2), privacy_language="ar",
                        privacy_interpreter_kind="tolk", privacy_interpreter_name="Samir Tolk",
                        privacy_interpreter_register="RBTV-12345", advised_route="b1",
                        advice_reasons=["De leerbaarheidstoets is haalbaar."], chosen_route="b1",
                        route_justification="Past bij haar opleiding")  # fmt: skip
        session.add(intake)
        session.flush()
        session.add(IntakeSession(intake_id=intake.id, held_on=dt.date(2024, 12, 2), place="azc",
                                  participants=["inburgeraar", "tolk"], interpreter_kind="tolk",
                                  interpreter_language="ar", interpreter_name="Samir Tolk",
                                  interpreter_register="RBTV-12345", notes="Gesprek over de kinderen"))  # fmt: skip
        client_id = client.id
    version_id = draft_pip_with(profile, client_id, {"leerroute": "b1", "period_months": 30,
                                                     text_key(TextPart.REMARKS): "Wil verpleegkundige worden",
                                                     "taalschool": "Taalschool Utrecht"}, TODAY)  # fmt: skip
    set_translation(profile, version_id, "opmerkingen", "ar", "تريد أن تصبح ممرضة")
    with profile.store().session(actor="km.jansen", role="klantmanager") as session:
        pip = session.scalars(select(Pip).where(Pip.client_id == client_id)).one()
        pip.extensions = [{"months": 6, "days": 0, "reason": "ziekte van een kind", "on": "2025-05-01"}]
        pip.objections = [{"version": 1, "made_known_on": "2025-03-01", "received_on": "2025-03-20",
                           "outcome": None, "by": "km.jansen"}]  # fmt: skip
        session.add(ProgressMeeting(pip_id=pip.id, held_on=dt.date(2025, 4, 2), held_by="km.jansen",
                                    outcome="extra_steun", next_on=dt.date(2025, 7, 2),
                                    note="Wil meer lesuren"))  # fmt: skip
        session.add(ModuleProgress(pip_id=pip.id, module="map", started_on=dt.date(2025, 3, 3),
                                   completed_on=dt.date(2025, 5, 30), recorded_by="km.jansen"))  # fmt: skip
        session.add(ExamResult(pip_id=pip.id, part="lezen", level="B1", attempt=1, taken_on=dt.date(2025, 5, 12),
                               outcome="niet_behaald", recorded_by="km.jansen"))  # fmt: skip
        session.add(RouteHours(pip_id=pip.id, kind="language_knm", period_start=dt.date(2025, 3, 1),
                               period_end=dt.date(2025, 3, 31), hours=48, recorded_by="km.jansen"))  # fmt: skip
        session.add(SyncConflict(entity_type="client", entity_id=client_id, device_id="device-1", sequence=3,
                                 local_version=2, incoming_version=3, incoming_base_version=1,
                                 local_data={"family_name": "Haddad"}, incoming_data={"family_name": "Hadad"},
                                 differences=[{"field": "family_name", "local": "Haddad", "incoming": "Hadad"}]))  # fmt: skip
        session.add(ClientAssignment(client_id=client_id, device_id="device-2", assigned_by="Sam Supervisor"))
        session.add(SupervisorDecision(client_id=client_id, pip_version_id=version_id, version_number=1,
                                       kind="teruggestuurd", decided_on=dt.date(2025, 5, 20), decided_by="Sam Supervisor",
                                       device_id="device-1", days_over_deadline=3,
                                       reason="De randvoorwaarden ontbreken nog"))  # fmt: skip
    return client_id


def _rows_of_the_person(profile: Profile, client_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    """Every row that points at the person, found through the id columns of every table (to a fixed
    point: the client, what refers to it, what refers to that, and what the client refers to)."""
    with profile.store().session() as session:
        tables = {
            t.name: [dict(r._mapping) for r in session.execute(t.select())]
            for t in Base.metadata.sorted_tables
        }
    ids = {client_id}
    found: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str, int]] = set()
    while True:
        before = len(seen)
        for name, rows in tables.items():
            for index, row in enumerate(rows):
                uuids = {v for v in row.values() if isinstance(v, uuid.UUID)}
                if (name, index) in seen or not uuids & ids:
                    continue
                seen.add((name, index))
                found.setdefault(name, []).append(row)
                if isinstance(row.get("id"), uuid.UUID):
                    ids.add(row["id"])
                if name == "client":
                    ids |= uuids  # the household the client belongs to
        if len(seen) == before:
            break
    return found


def _texts(value: Any) -> list[str]:
    """What of a stored value must be readable in the export: texts, dates and ids (not numbers or
    flags, which are too short to find without their context)."""
    if isinstance(value, str):
        return [value] if len(value.strip()) >= 3 else []
    if isinstance(value, uuid.UUID):
        return [str(value)]
    if isinstance(value, dt.datetime):
        return [value.date().isoformat()]
    if isinstance(value, dt.date):
        return [value.isoformat()]
    if isinstance(value, dict):
        return [text for v in value.values() for text in _texts(v)]
    if isinstance(value, list):
        return [text for v in value for text in _texts(v)]
    return []


def test_the_export_carries_every_row_and_value_of_the_person(profile: Profile) -> None:
    client_id = _fill(profile)
    rows = _rows_of_the_person(profile, client_id)  # before the export, which audits itself
    document = ClientService.for_profile(profile).export("2345678901")
    exported = json.dumps(document, ensure_ascii=False, default=str)
    forgotten = []
    for table in Base.metadata.sorted_tables:
        if table.name in NOT_ABOUT_A_PERSON:
            continue
        if not rows.get(table.name):
            forgotten.append(f"{table.name}: no row in this test; fill it in _fill and export it")
            continue
        for row in rows[table.name]:
            for column, value in row.items():
                for text in _texts(value):
                    if text not in exported:
                        forgotten.append(f"{table.name}.{column}: {text!r}")
    assert not forgotten, "the right-of-access export forgets:\n" + "\n".join(sorted(set(forgotten)))
