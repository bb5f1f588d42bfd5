"""Issue 14, retention: `wegwijs retention` lists the clients whose data is kept longer than the
municipal period after the duty ended, `--apply` erases them (a running objection stops only that
one), and a supervisor is reminded once a month."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import select
from sync_helpers import add_client

from app.cli import main
from app.domain.enums import Role
from app.domain.retention import duty_end, retention_ends
from app.models.client import Client
from app.models.pip import Pip
from app.services.maintenance.retention import RetentionService
from app.services.profile import Profile

OBJECTION = {"version": 1, "made_known_on": "2016-01-01", "received_on": "2016-01-10", "late": False,
             "outcome": None, "decided_on": None, "appeal_filed_on": None}  # fmt: skip


def with_pip(profile: Profile, v_nummer: str, adopted: dt.date | None, **columns: Any) -> uuid.UUID:
    client = add_client(profile, v_nummer, f"Naam{v_nummer[-2:]}")
    with profile.store().session() as session:
        session.add(Pip(client_id=client.id, first_adopted_on=adopted, in_force_number=1 if adopted else None,
                        **columns))  # fmt: skip
    return client.id


def test_duty_end_and_retention_dates() -> None:
    assert duty_end(None) is None
    assert duty_end(dt.date(2020, 2, 28)) == dt.date(2023, 2, 28)  # term: 2020-02-29 .. 2023-02-28
    exempt = [{"kind": "medisch", "decided_on": "2021-06-01", "parts": []}]
    assert duty_end(dt.date(2020, 2, 28), (), exempt) == dt.date(2021, 6, 1)
    assert retention_ends(dt.date(2023, 2, 28), 5) == dt.date(2028, 2, 28)


def test_retention_lists_then_erases_what_is_past_the_period(make_profile: Any, capsys: Any) -> None:
    profile = make_profile()
    old = with_pip(profile, "1111111111", dt.date(2015, 1, 5))
    with_pip(profile, "2222222222", dt.date(2024, 1, 5))  # duty runs until 2027: kept
    blocked = with_pip(profile, "3333333333", dt.date(2015, 3, 1), objections=[OBJECTION])
    add_client(profile, "4444444444", "ZonderPip")  # the duty never ran: not counted
    data_dir = str(profile.data_dir)

    assert main(["--data-dir", data_dir, "retention", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["bewaartermijn_jaren"] == 5
    assert [(c["v_nummer"], c["geblokkeerd"]) for c in listed["cliënten"]] == [
        ("1111111111", None),
        ("3333333333", "bezwaar of beroep loopt"),
    ]
    assert listed["cliënten"][0]["einde_inburgeringsplicht"] == "2018-01-05"
    with profile.store().session() as session:  # listing changes nothing
        assert len(session.scalars(select(Client)).all()) == 4

    assert main(["--data-dir", data_dir, "retention", "--apply"]) == 1
    captured = capsys.readouterr()
    assert "1111111111" in captured.out and "gewist" in captured.out
    assert captured.err.count("\n") == 1 and "niet worden gewist" in captured.err
    with profile.store().session() as session:
        left = {c.v_nummer for c in session.scalars(select(Client))}
        assert left == {"2222222222", "3333333333", "4444444444"}
        assert session.get(Client, old) is None and session.get(Client, blocked) is not None


def test_a_setting_changes_the_period(make_profile: Any) -> None:
    profile = make_profile()
    with_pip(profile, "1111111111", dt.date(2018, 1, 5))  # duty ended 2021-01-05, kept until 2026-01-05
    today = dt.date(2026, 12, 1)
    assert [line.v_nummer for line in RetentionService.for_profile(profile).due(today)] == ["1111111111"]
    profile.settings.options["retention_years"] = 10
    assert RetentionService.for_profile(profile).due(today) == []


def test_a_supervisor_is_reminded_once_a_month(make_profile: Any) -> None:
    supervisor = make_profile(role=Role.SUPERVISOR, folder="sup")
    with_pip(supervisor, "1111111111", dt.date(2015, 1, 5))
    service = RetentionService.for_profile(supervisor)
    today = dt.date(2026, 12, 2)
    notice = service.reminder(None, today)
    assert notice is not None and notice.month == "2026-12" and notice.count == 1
    assert "retention --apply" in notice.text
    assert service.reminder("2026-12", today) is None  # reminded this month already
    assert service.reminder("2026-11", today) is not None
    klantmanager = make_profile(folder="km")
    with_pip(klantmanager, "1111111111", dt.date(2015, 1, 5))
    assert RetentionService.for_profile(klantmanager).reminder(None, today) is None


def test_a_pending_appeal_blocks_retention_until_its_ruling(make_profile: Any) -> None:
    """Issue 13: an appeal runs until the court's ruling is recorded; until then the file is needed."""
    profile = make_profile()
    appealed = {
        **OBJECTION,
        "outcome": "ongegrond",
        "decided_on": "2016-02-29",
        "appeal_filed_on": "2016-03-31",
    }
    with_pip(profile, "1111111111", dt.date(2015, 1, 5), objections=[appealed])
    ruled = {**appealed, "appeal_ruled_on": "2016-12-31", "appeal_outcome": "ongegrond"}
    with_pip(profile, "2222222222", dt.date(2015, 1, 5), objections=[ruled])
    service = RetentionService.for_profile(profile)
    assert [(line.v_nummer, bool(line.blocked)) for line in service.due()] == [
        ("1111111111", True),
        ("2222222222", False),
    ]
    outcome = service.apply()
    assert [line.v_nummer for line, _reason in outcome.refused] == ["1111111111"]
    assert len(outcome.erased) == 1
