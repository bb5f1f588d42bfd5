"""The caseload, the detail pane and the export compose the intake and the PIP by explicit calls
(app/services/caseload.py, app/services/clients.py): the PIP's status wins by a written rule, not by
an order of registration."""

from __future__ import annotations

import datetime as dt
import uuid

from builders import add_client_with_case

from app.domain.deadlines import ClientDeadlineFacts
from app.services.caseload import CaseloadService, ClientStatus, merge_status
from app.services.clients import ClientService
from app.services.intake import IntakeCaseloadStatus, IntakeService
from app.services.pip import PipCaseloadStatus, PipService
from app.services.profile import Profile

TODAY = dt.date(2025, 3, 3)


def add_client(profile: Profile, v_nummer: str) -> uuid.UUID:
    with profile.store().session(actor="coa-import") as session:
        client = add_client_with_case(
            session, v_nummer, name_original=None, birth_date="1990", huisvestingsdatum=dt.date(2025, 1, 6)
        )
        return client.id


def test_merge_rule_the_pip_wins_then_the_intake_then_nothing() -> None:
    intake = IntakeCaseloadStatus("intake afgerond", "Z-route")
    facts = ClientDeadlineFacts(housing=dt.date(2025, 1, 6))
    pip = PipCaseloadStatus("PIP concept", "concept", "", facts)
    # A PIP without a route yet still says the route: none chosen, not the intake's.
    assert merge_status(intake, pip) == ClientStatus("PIP concept", "", "concept", facts)
    assert merge_status(None, pip) == ClientStatus("PIP concept", "", "concept", facts)
    assert merge_status(intake, None) == ClientStatus("intake afgerond", "Z-route", None, None)
    assert merge_status(None, None) == ClientStatus()


def test_caseload_and_export_ask_the_intake_and_the_pip(profile: Profile) -> None:
    only_intake = add_client(profile, "1234567890")
    both = add_client(profile, "2345678901")
    neither = add_client(profile, "3456789012")
    intakes = IntakeService.for_profile(profile)
    intakes.open(only_intake, TODAY)
    intakes.open(both, TODAY)
    PipService.for_profile(profile).draft(both, TODAY)

    rows = {row.client_id: row for row in CaseloadService.for_profile(profile).rows(TODAY)}
    assert (rows[only_intake].status, rows[only_intake].pip_state) == ("intake loopt", None)
    assert (rows[both].status, rows[both].pip_state) == ("PIP concept", "concept")
    assert (rows[neither].status, rows[neither].pip_state) == ("gehuisvest", None)
    assert rows[both].flags.azc_without_pip is False  # housed: the AZC flag is not about them

    clients = ClientService.for_profile(profile)
    export = clients.export("2345678901")
    assert [intake["status"] for intake in export["intakes"]] == ["open"]
    assert export["pip"] is not None and [v["state"] for v in export["pip"]["versies"]] == ["concept"]
    nothing = clients.export("3456789012")
    assert nothing["intakes"] == [] and nothing["pip"] is None
    # The detail pane takes its deadlines from the same merged status: the PIP's term facts.
    detail = clients.detail(both, TODAY)
    assert detail.obliged and detail.deadlines
