"""Issue 13, progress as records on real stores: the klantmanager records meetings, the MAP and
PVT, exam results and Z-route hours through ProgressService; the caseload flags a meeting overdue
by the PIP's interval (view and `wegwijs list --json`), the export carries the records, erasure
deletes them, and they travel to the supervisor in the client's package."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from builders import draft_pip_with
from sqlalchemy import select
from sync_helpers import Pair, add_client

from app.cli import main
from app.domain.enums import Role
from app.domain.pip_lifecycle import PipRefused, PipState
from app.domain.progress import ExamLevel, ExamOutcome, ExamSubject, HoursKind, MeetingOutcome, ModuleKind
from app.models.journal import AuditEntry
from app.models.pip import Pip
from app.models.progress import ExamResult, ModuleProgress, ProgressMeeting, RouteHours
from app.pdf.render import render_pip
from app.services.caseload import CaseloadService
from app.services.clients import ClientService
from app.services.maintenance.erase import ErasureService
from app.services.pip import CaseloadView, DocumentService, PipService, matches_view
from app.services.pip.progress import ProgressService
from app.services.profile import Profile
from app.services.sync import PushService, SupervisorImportService

ADOPTED = dt.date(2026, 1, 5)
TODAY = dt.date(2026, 6, 15)


def adopted_client(profile: Profile, v_nummer: str, route: str = "b1", interval: int = 3) -> uuid.UUID:
    """A client whose first PIP was adopted on ADOPTED (set directly: the lifecycle is tested elsewhere)."""
    client = add_client(profile, v_nummer, "Haddad")
    draft_pip_with(profile, client.id, {"leerroute": route, "progress_interval_months": interval}, ADOPTED)
    with profile.store().session(actor="Sam", role="supervisor") as session:
        pip = session.scalars(select(Pip).where(Pip.client_id == client.id)).one()
        version = pip.versions[0]
        version.state, version.adopted_on, version.adopted_by = PipState.VASTGESTELD.value, ADOPTED, "Sam"
        pip.first_adopted_on, pip.in_force_number = ADOPTED, 1
        pip.current_state, pip.current_route = PipState.VASTGESTELD.value, route
    return client.id


def test_records_refusals_and_the_audit_trail(profile: Profile) -> None:
    client_id = adopted_client(profile, "1300000001")
    service = ProgressService(profile.store(), "km.jansen", Role.KLANTMANAGER)
    snap = service.current(client_id, TODAY)
    assert snap.adopted and snap.meeting_overdue and snap.next_meeting_due == dt.date(2026, 4, 5)
    snap = service.record_meeting(
        client_id,
        dt.date(2026, 6, 1),
        MeetingOutcome.EXTRA_STEUN,
        dt.date(2026, 9, 1),
        "Wil meer lesuren",
        TODAY,
    )
    assert not snap.meeting_overdue and snap.next_meeting_due == dt.date(2026, 9, 1)
    assert [(m.held_on, m.held_by, m.outcome, m.note) for m in snap.meetings] == [
        (dt.date(2026, 6, 1), "km.jansen", MeetingOutcome.EXTRA_STEUN, "Wil meer lesuren")
    ]
    service.record_module(client_id, ModuleKind.MAP, dt.date(2026, 2, 1), None, TODAY)
    snap = service.record_module(client_id, ModuleKind.MAP, dt.date(2026, 2, 1), dt.date(2026, 5, 30), TODAY)
    assert [(m.module, m.completed_on) for m in snap.modules] == [(ModuleKind.MAP, dt.date(2026, 5, 30))]
    service.record_exam(
        client_id, ExamSubject.LEZEN, ExamLevel.B1, dt.date(2026, 3, 2), ExamOutcome.NIET_BEHAALD, today=TODAY
    )
    snap = service.record_exam(
        client_id, ExamSubject.LEZEN, ExamLevel.B1, dt.date(2026, 5, 4), ExamOutcome.BEHAALD, today=TODAY
    )
    assert [(e.subject, e.attempt, e.outcome) for e in snap.exams] == [
        (ExamSubject.LEZEN, 1, ExamOutcome.NIET_BEHAALD),
        (ExamSubject.LEZEN, 2, ExamOutcome.BEHAALD),
    ]
    refusals = [
        lambda: service.record_meeting(client_id, dt.date(2026, 7, 1), today=TODAY),
        lambda: service.record_module(
            client_id, ModuleKind.PVT, dt.date(2026, 5, 1), dt.date(2026, 4, 1), TODAY
        ),
        lambda: service.record_exam(
            client_id, ExamSubject.SPREKEN, ExamLevel.B1, dt.date(2026, 5, 4), ExamOutcome.BEHAALD, 2, TODAY
        ),
        lambda: service.record_exam(
            client_id,
            ExamSubject.SPREKEN,
            ExamLevel.A2,
            dt.date(2026, 5, 4),
            ExamOutcome.BEHAALD,
            today=TODAY,
        ),
        lambda: service.record_hours(
            client_id, HoursKind.LANGUAGE_KNM, dt.date(2026, 3, 1), dt.date(2026, 3, 31), 40, TODAY
        ),
    ]
    for refused in refusals:
        with pytest.raises(PipRefused) as error:
            refused()
        assert str(error.value).endswith(".") and "Error" not in str(error.value)
    history = PipService(profile.store(), "km.jansen", Role.KLANTMANAGER).history(client_id)
    recorded = [
        (h.actor, h.fields)
        for h in history
        if h.fields in ("voortgangsgesprek", "MAP of PVT", "examenuitslag")
    ]
    assert recorded == [
        ("km.jansen", "voortgangsgesprek"),
        ("km.jansen", "MAP of PVT"),
        ("km.jansen", "MAP of PVT"),
        ("km.jansen", "examenuitslag"),
        ("km.jansen", "examenuitslag"),
    ]
    interpreter = ProgressService(profile.store(), "tolk", Role.INTERPRETER)
    with pytest.raises(PipRefused, match="tolk"):
        interpreter.record_meeting(client_id, dt.date(2026, 6, 2), today=TODAY)
    # The notes may repeat health matters: a role that may not see those sees the meeting without them.
    assert [m.note for m in interpreter.current(client_id, TODAY).meetings] == [""]
    with profile.store().session() as session:
        audited = {
            (e.entity_type, e.actor)
            for e in session.scalars(
                select(AuditEntry).where(
                    AuditEntry.entity_type.in_(["progress_meeting", "module_progress", "exam_result"])
                )
            )
        }
        assert audited == {
            ("progress_meeting", "km.jansen"),
            ("module_progress", "km.jansen"),
            ("exam_result", "km.jansen"),
        }


def test_z_route_hours_run_against_800_and_the_term(profile: Profile) -> None:
    client_id = adopted_client(profile, "1300000002", route="z")
    service = ProgressService(profile.store(), "km.jansen", Role.KLANTMANAGER)
    service.record_hours(
        client_id, HoursKind.LANGUAGE_KNM, dt.date(2026, 1, 6), dt.date(2026, 3, 31), 120, TODAY
    )
    snap = service.record_hours(
        client_id, HoursKind.LANGUAGE_KNM, dt.date(2026, 4, 1), dt.date(2026, 5, 31), 90, TODAY
    )
    language = snap.hours[0]
    assert (language.kind, language.hours, language.remaining) == (HoursKind.LANGUAGE_KNM, 210, 590)
    assert (
        language.expected_by_now is not None and 100 < language.expected_by_now < 150 and not language.behind
    )
    with pytest.raises(PipRefused, match="groter zijn dan nul"):
        service.record_hours(
            client_id, HoursKind.LANGUAGE_KNM, dt.date(2026, 4, 1), dt.date(2026, 5, 31), -3, TODAY
        )
    with pytest.raises(PipRefused, match="geen examen"):
        service.record_exam(
            client_id, ExamSubject.KNM, None, dt.date(2026, 5, 4), ExamOutcome.BEHAALD, today=TODAY
        )


def test_the_caseload_flags_an_overdue_meeting_in_the_view_and_the_json(
    profile: Profile, capsys: Any
) -> None:
    late = adopted_client(profile, "1300000003")
    on_time = adopted_client(profile, "1300000004")
    monthly = adopted_client(profile, "1300000005", interval=1)
    service = ProgressService(profile.store(), "km.jansen", Role.KLANTMANAGER)
    service.record_meeting(on_time, dt.date(2026, 5, 1), today=TODAY)
    service.record_meeting(monthly, dt.date(2026, 5, 1), today=TODAY)  # the PIP's one month has passed
    rows = {r.client_id: r for r in CaseloadService.for_profile(profile).rows(TODAY)}
    assert rows[late].flags.meeting_late and rows[monthly].flags.meeting_late
    assert not rows[on_time].flags.meeting_late
    shown = [c for c, r in rows.items() if matches_view(CaseloadView.GESPREK_TE_LAAT, r.flags, "", "")]
    assert sorted(shown) == sorted([late, monthly])
    code = main(["--data-dir", str(profile.data_dir), "list", "--json"])
    assert code == 0
    listed = json.loads(capsys.readouterr().out)
    lines = listed["cliënten"]
    by_number = {line["v_nummer"]: line for line in lines}
    # The real today is months after TODAY: every one of them is overdue by then.
    assert by_number["1300000003"]["markering"]["voortgangsgesprek_te_laat"] is True
    assert "voortgangsgesprek_te_laat" in listed["aantallen"]


def test_export_and_erasure_cover_the_records(profile: Profile) -> None:
    client_id = adopted_client(profile, "1300000006")
    service = ProgressService(profile.store(), "km.jansen", Role.KLANTMANAGER)
    service.record_meeting(
        client_id, dt.date(2026, 6, 1), MeetingOutcome.VOLGENS_PLAN, None, "Gaat goed", TODAY
    )
    service.record_module(client_id, ModuleKind.PVT, dt.date(2026, 3, 1), None, TODAY)
    service.record_exam(
        client_id, ExamSubject.KNM, None, dt.date(2026, 4, 1), ExamOutcome.BEHAALD, today=TODAY
    )
    exported = ClientService.for_profile(profile).export("1300000006")["pip"]
    assert exported["voortgangsgesprekken"][0]["notitie"] == "Gaat goed"
    assert exported["modules"][0]["module"] == "pvt" and exported["examens"][0]["onderdeel"] == "knm"
    ErasureService.for_profile(profile).erase("1300000006", "verzoek AVG")
    with profile.store().session() as session:
        for model in (ProgressMeeting, ModuleProgress, ExamResult, RouteHours):
            assert session.scalars(select(model)).all() == []


def test_the_records_travel_to_the_supervisor(pair: Pair) -> None:
    client_id = adopted_client(pair.device, "1300000007")
    service = ProgressService(pair.device.store(), "Karin", Role.KLANTMANAGER)
    service.record_meeting(
        client_id,
        dt.date(2026, 6, 1),
        MeetingOutcome.PIP_AANPASSEN,
        dt.date(2026, 8, 1),
        "Schakelen bespreken",
        TODAY,
    )
    service.record_exam(
        client_id,
        ExamSubject.SPREKEN,
        ExamLevel.B1,
        dt.date(2026, 5, 4),
        ExamOutcome.NIET_BEHAALD,
        today=TODAY,
    )
    PushService.for_profile(pair.device).push(str(pair.target))
    report = SupervisorImportService.for_profile(pair.supervisor).import_paths([pair.target])
    assert [o.status for o in report.outcomes] == ["imported"]
    with pair.supervisor.store().session() as session:
        pip = session.scalars(select(Pip).where(Pip.client_id == client_id)).one()
        assert [(m.held_on, m.outcome, m.note) for m in pip.meetings] == [
            (dt.date(2026, 6, 1), "pip_aanpassen", "Schakelen bespreken")
        ]
        assert [(e.part, e.attempt) for e in pip.exams] == [("spreken", 1)]


def test_the_pip_pdf_names_the_meetings_held_beside_the_interval(profile: Profile, tmp_path: Path) -> None:
    """The PDF's progress part (Wet inburgering 2021: how progress is followed): the interval, the
    planned meetings and, on the version in force, the meetings held so far."""
    client_id = adopted_client(profile, "1300000008", interval=4)
    ProgressService(profile.store(), "km.jansen", Role.KLANTMANAGER).record_meeting(
        client_id, dt.date(2026, 3, 2), MeetingOutcome.VOLGENS_PLAN, today=TODAY
    )
    document = DocumentService.for_profile(profile).prepare(client_id, "nl").document
    assert document.monitoring.interval_months == 4
    assert document.monitoring.held_meetings == (dt.date(2026, 3, 2),)
    path = render_pip(document, "en", tmp_path / "en.pdf").path
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Gehouden voortgangsgesprekken" in text and "Progress meetings held" in text
    assert "2 maart 2026" in text and "2 March 2026" in text
