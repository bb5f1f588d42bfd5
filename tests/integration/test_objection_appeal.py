"""Issue 13, "Objection and appeal" and "Exemption (ontheffing)", on a real SQLCipher store through
the PIP service: an objection's window and late flag (Awb 6:7/6:8, Algemene termijnenwet art. 1),
its decision, one appeal (Awb 8:1) and the court's ruling that ends it; erasure and retention wait
while an appeal is pending (AVG art. 17 lid 3 sub e: data needed for a legal claim); each
registration leaves its audit entry; DUO's exemption of the whole duty ends its deadlines in the
caseload and in `wegwijs list --json`, an exemption of one part ends only that part."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from builders import add_client_with_case, adopted_pip, draft_pip_with, klantmanager_pips
from sqlalchemy import select

from app.cli import main
from app.domain.deadlines import DeadlineKind
from app.domain.decisions import ObjectionOutcome
from app.domain.pip_lifecycle import PipRefused, PipState
from app.models.journal import AuditEntry
from app.services.caseload import CaseloadService
from app.services.maintenance.erase import ErasureRefused, ErasureService
from app.services.pip.decisions import (
    ACTION_APPEAL,
    ACTION_APPEAL_RULING,
    ACTION_EXEMPTION,
    ACTION_OBJECTION,
    ACTION_OBJECTION_DECIDED,
)
from app.services.profile import Profile

ADOPTED = dt.date(2025, 3, 7)  # a Friday: six weeks later is Goede Vrijdag 2025


def add_client(profile: Profile, v_nummer: str) -> uuid.UUID:
    with profile.store().session(actor="coa-import") as session:
        return add_client_with_case(session, v_nummer).id  # housed 20 January 2025


def adopted_client(profile: Profile, v_nummer: str = "5555555555") -> uuid.UUID:
    client_id = add_client(profile, v_nummer)
    adopted_pip(profile, client_id, ADOPTED)
    return client_id


def test_objection_window_decision_appeal_and_ruling(profile: Profile) -> None:
    client_id = adopted_client(profile)
    km = klantmanager_pips(profile)
    term = [d.due for d in km.current(client_id, ADOPTED).deadlines if d.kind is DeadlineKind.TERM_END]  # type: ignore[union-attr]
    # Six weeks end on Goede Vrijdag 18 April 2025; with the weekend and Tweede Paasdag the last day
    # is Tuesday 22 April (Atw art. 1 and 3).
    on_time = km.record_objection(client_id, ADOPTED, dt.date(2025, 4, 22), dt.date(2025, 5, 1))
    late = km.record_objection(client_id, ADOPTED, dt.date(2025, 4, 23), dt.date(2025, 5, 1))
    assert [(o.window_end, o.late) for o in late.objections] == [
        (dt.date(2025, 4, 22), False),
        (dt.date(2025, 4, 22), True),
    ]
    assert on_time.objections[0].outcome is None

    km.decide_objection(
        client_id, 0, ObjectionOutcome.ONGEGROND, dt.date(2025, 6, 2), today=dt.date(2025, 6, 2)
    )
    with pytest.raises(PipRefused, match="vóór de beslissing"):
        km.record_appeal(client_id, 0, dt.date(2025, 6, 1), today=dt.date(2025, 7, 1))
    appealed = km.record_appeal(client_id, 0, dt.date(2025, 7, 14), today=dt.date(2025, 7, 14))
    assert appealed.objections[0].appeal_pending
    with pytest.raises(PipRefused, match="al beroep ingesteld"):
        km.record_appeal(client_id, 0, dt.date(2025, 7, 15), today=dt.date(2025, 7, 15))
    with pytest.raises(PipRefused, match="vóór de datum van het beroep"):
        km.record_appeal_ruling(
            client_id, 0, ObjectionOutcome.ONGEGROND, dt.date(2025, 7, 13), today=dt.date(2025, 8, 1)
        )
    with pytest.raises(PipRefused, match="geen beroep"):
        km.record_appeal_ruling(
            client_id, 1, ObjectionOutcome.ONGEGROND, dt.date(2025, 8, 1), today=dt.date(2025, 8, 1)
        )
    with pytest.raises(PipRefused, match="gegrond beroep"):
        km.record_appeal_ruling(
            client_id, 0, ObjectionOutcome.GEGROND, dt.date(2025, 12, 31), today=dt.date(2025, 12, 31)
        )
    ruled = km.record_appeal_ruling(
        client_id,
        0,
        ObjectionOutcome.GEGROND,
        dt.date(2025, 12, 31),
        "Meer uren PVT.",
        today=dt.date(2025, 12, 31),
    )
    entry = ruled.objections[0]
    assert (entry.appeal_ruled_on, entry.appeal_outcome, entry.appeal_pending) == (
        dt.date(2025, 12, 31), ObjectionOutcome.GEGROND, False,
    )  # fmt: skip
    # Gegrond: a new concept version follows; the term stays where the first adoption put it.
    assert (ruled.number, ruled.state) == (2, PipState.CONCEPT)
    assert [d.due for d in ruled.deadlines if d.kind is DeadlineKind.TERM_END] == term
    with pytest.raises(PipRefused, match="al vastgelegd"):
        km.record_appeal_ruling(
            client_id, 0, ObjectionOutcome.ONGEGROND, dt.date(2026, 1, 5), today=dt.date(2026, 1, 5)
        )

    with profile.store().session() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == ACTION_APPEAL)).all()
    assert [a for a in actions if a in {ACTION_OBJECTION, ACTION_OBJECTION_DECIDED, ACTION_APPEAL,
                                        ACTION_APPEAL_RULING}] == [
        ACTION_OBJECTION, ACTION_OBJECTION, ACTION_OBJECTION_DECIDED, ACTION_APPEAL, ACTION_APPEAL_RULING,
    ]  # fmt: skip
    # Who and in which role, never a value.
    assert [(e.actor, e.role, e.entity_type, e.detail) for e in entries] == [
        ("km.jansen", "klantmanager", "pip", "")
    ]
    assert any(h.action == ACTION_APPEAL_RULING for h in km.history(client_id))


def test_erasure_waits_for_the_ruling_of_a_pending_appeal(profile: Profile, capsys: Any) -> None:
    client_id = adopted_client(profile)
    km = klantmanager_pips(profile)
    km.record_objection(client_id, ADOPTED, dt.date(2025, 4, 1), dt.date(2025, 4, 1))
    km.decide_objection(
        client_id, 0, ObjectionOutcome.ONGEGROND, dt.date(2025, 5, 1), today=dt.date(2025, 5, 1)
    )
    km.record_appeal(client_id, 0, dt.date(2025, 6, 10), today=dt.date(2025, 6, 10))
    service = ErasureService.for_profile(profile)
    with pytest.raises(ErasureRefused, match="bezwaar of beroep"):
        service.erase("5555555555", "verzoek AVG")
    code = main(
        ["--data-dir", str(profile.data_dir), "erase", "--client", "5555555555", "--reason", "verzoek AVG"]
    )
    err = capsys.readouterr().err
    assert code == 1 and "beroep" in err and err.count("\n") == 1
    km.record_appeal_ruling(
        client_id, 0, ObjectionOutcome.ONGEGROND, dt.date(2026, 2, 27), today=dt.date(2026, 2, 27)
    )
    assert service.erase("5555555555", "verzoek AVG").records > 0


def caseload_json(profile: Profile, capsys: Any) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["--data-dir", str(profile.data_dir), "list", "--json"]) == 0
    return {c["v_nummer"]: c for c in json.loads(capsys.readouterr().out)["cliënten"]}


def test_an_exemption_ends_the_duty_or_one_part_in_the_caseload(profile: Profile, capsys: Any) -> None:
    """DOMAIN.md "More rules": an exemption ends (part of) the duty, recorded with its date."""
    today = dt.date.today()
    whole = add_client(profile, "1111111111")
    part = add_client(profile, "2222222222")
    km = klantmanager_pips(profile)
    # Housed long ago, only a concept PIP: the ten weeks have passed, the PIP is late.
    for client_id in (whole, part):
        draft_pip_with(profile, client_id, {}, today)
    before = caseload_json(profile, capsys)
    assert before["1111111111"]["markering"]["te_laat"] and before["1111111111"]["ontheffing"] is None

    with pytest.raises(PipRefused, match="KNM"):
        km.record_exemption(whole, "agi", today, ["rekenen"], today)
    km.record_exemption(whole, "leerbaarheid", today, [], today)
    km.record_exemption(part, "agi", today, ["spreken"], today)
    after = caseload_json(profile, capsys)
    exempt, one_part = after["1111111111"], after["2222222222"]
    assert exempt["status"] == "ontheffing (DUO)"
    assert exempt["ontheffing"] == {"hele_plicht": True, "datum": today.isoformat(), "onderdelen": []}
    assert not exempt["markering"]["te_laat"] and not exempt["markering"]["in_azc_zonder_pip"]
    assert exempt["volgende_termijn"] is None or exempt["volgende_termijn"]["soort"] == "einde_ontzorgen"
    assert "ontheffing voor spreken" in one_part["status"]
    assert one_part["ontheffing"] == {"hele_plicht": False, "datum": None, "onderdelen": ["spreken"]}
    assert one_part["markering"]["te_laat"]  # the duty goes on: the PIP is still late

    rows = {r.v_nummer: r for r in CaseloadService.for_profile(profile).rows(today)}
    assert rows["1111111111"].exempted_on == today and rows["2222222222"].exempt_parts == ("spreken",)
    with profile.store().session() as session:
        assert (
            len(session.scalars(select(AuditEntry).where(AuditEntry.action == ACTION_EXEMPTION)).all()) == 2
        )
