"""What the hand-over carries so the new municipality can go on lawfully (issue 13): DUO's exemption,
an objection still pending against the old PIP, and the progress records of the term so far
(meeting, MAP, exam result). Two real profiles, the command line for the transfer and the import."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pdfminer.high_level import extract_text
from transfer_helpers import V_NUMMER, run, sides  # noqa: F401  (sides is the shared fixture)

from app.domain.decisions import ObjectionOutcome
from app.domain.progress import (
    ExamLevel,
    ExamOutcome,
    ExamSubject,
    HoursKind,
    MeetingOutcome,
    ModuleKind,
)
from app.models.client import Client
from app.models.pip import Pip, PipVersion
from app.services.client_records import find_client
from app.services.pip import PipService
from app.services.pip.progress import ProgressService
from app.services.profile import open_profile


def test_the_hand_over_carries_exemptions_objections_and_progress(
    sides: dict[str, Path],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    km, sup, root = sides["km"], str(sides["sup"]), sides["root"]
    today = dt.date.today()
    profile = open_profile(km)
    try:
        with profile.store().session() as session:
            client_id = find_client(session, V_NUMMER).id
        pips = PipService.for_profile(profile)
        pips.record_exemption(client_id, "agi", today - dt.timedelta(days=3), ["spreken"])
        pips.record_objection(client_id, today - dt.timedelta(days=10), today - dt.timedelta(days=2))
        progress = ProgressService.for_profile(profile)
        progress.record_meeting(client_id, today - dt.timedelta(days=7), MeetingOutcome.VOLGENS_PLAN)
        progress.record_module(client_id, ModuleKind.MAP, dt.date(2025, 3, 10), dt.date(2025, 6, 2))
        progress.record_exam(
            client_id, ExamSubject.LEZEN, ExamLevel.B1, dt.date(2025, 9, 1), ExamOutcome.BEHAALD
        )
    finally:
        profile.close()
    handover = root / "uit" / "verhuizing.wgw"
    code, _out, err = run(
        capsys, "--data-dir", str(km), "transfer", "--client", V_NUMMER,
        "--to-key", str(root / "sup.json"), "--out", str(handover),
    )  # fmt: skip
    assert code == 0, err
    summary = " ".join(extract_text(str(handover.with_suffix(".pdf"))).split())
    assert "Ontheffingen van DUO" in summary and "Lopende bezwaren en beroepen" in summary
    assert "1 gesprekken, 1 MAP/PVT, 1 examenuitslagen, 0 urenopgaven" in summary
    code, out, err = run(capsys, "--data-dir", sup, "import", str(handover))
    assert code == 0 and "geïmporteerd" in out, err

    new = open_profile(Path(sup))
    try:
        with new.store().session() as session:
            client = session.query(Client).filter(Client.v_nummer == V_NUMMER).one()
            pip = session.query(Pip).filter(Pip.client_id == client.id).one()
            assert [(e["kind"], e["parts"]) for e in pip.exemptions] == [("agi", ["spreken"])]
            (objection,) = pip.objections
            assert objection["outcome"] is None and objection["from_municipality"] == "Utrecht"
            assert [(m.held_on, m.outcome) for m in pip.meetings] == [
                (today - dt.timedelta(days=7), MeetingOutcome.VOLGENS_PLAN.value)
            ]
            assert [(m.module, m.completed_on) for m in pip.modules] == [("map", dt.date(2025, 6, 2))]
            assert [(e.part, e.outcome, e.attempt) for e in pip.exams] == [("lezen", "behaald", 1)]
        # The new municipality goes on with the objection: it decides it here.
        PipService.for_profile(new).decide_objection(client.id, 0, ObjectionOutcome.ONGEGROND, today, "")
        with new.store().session() as session:
            (objection,) = session.query(Pip).filter(Pip.client_id == client.id).one().objections
            assert objection["outcome"] == ObjectionOutcome.ONGEGROND.value
    finally:
        new.close()
    # The inzage export of the new case shows them too.
    code, out, _err = run(capsys, "--data-dir", sup, "export", "--client", V_NUMMER, "--json")
    assert code == 0 and "spreken" in out and json.loads(out)["zaak"]["verhuisd_van"] == "Utrecht"


def test_the_z_route_hours_go_along(sides: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    km, sup, root = sides["km"], str(sides["sup"]), sides["root"]
    z_client, start, end = "4400000002", dt.date(2025, 4, 1), dt.date(2025, 6, 30)
    profile = open_profile(km)
    try:
        with profile.store().session() as session:
            client_id = find_client(session, z_client).id
            pip = session.query(Pip).filter(Pip.client_id == client_id).one()
            pip.current_route = "z"
            session.query(PipVersion).filter(PipVersion.pip_id == pip.id).one().leerroute = "z"
        ProgressService.for_profile(profile).record_hours(client_id, HoursKind.LANGUAGE_KNM, start, end, 120)
    finally:
        profile.close()
    handover = root / "uit" / "z.wgw"
    code, _out, err = run(
        capsys, "--data-dir", str(km), "transfer", "--client", z_client,
        "--to-key", str(root / "sup.json"), "--out", str(handover),
    )  # fmt: skip
    assert code == 0, err
    assert run(capsys, "--data-dir", sup, "import", str(handover))[0] == 0
    new = open_profile(Path(sup))
    try:
        with new.store().session() as session:
            client = session.query(Client).filter(Client.v_nummer == z_client).one()
            pip = session.query(Pip).filter(Pip.client_id == client.id).one()
            assert pip.current_route == "z"
            assert [(h.kind, h.period_start, h.hours) for h in pip.hours] == [("language_knm", start, 120)]
    finally:
        new.close()
