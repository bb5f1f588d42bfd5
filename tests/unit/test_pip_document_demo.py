"""The PIP as a PDF document, demo PIPs in every state, and the PIP part of the right-of-access export."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from pathlib import Path

import pytest
from builders import MakeProfile, add_client_with_case
from sqlalchemy import select

from app.domain.deadlines import DeadlineState
from app.domain.enums import Role
from app.domain.pip_lifecycle import PipAction, PipState
from app.models.client import Case, Client
from app.models.pip import REVIEW_APPROVED, PipVersion, TextPart
from app.pdf import document as doc
from app.services.pip import DocumentService, PipService, PipSettings, Signatures, text_key
from app.services.pip.demo import add_demo_pip
from app.services.pip.service import export_pip
from app.services.profile import Profile, init_profile

TODAY = dt.date(2025, 6, 2)


@pytest.fixture
def profile(make_profile: MakeProfile) -> Profile:
    return make_profile(Role.SUPERVISOR, user_name="tl")


def add_client(profile: Profile, v_nummer: str, housing: dt.date | None) -> uuid.UUID:
    with profile.store().session() as session:
        client = add_client_with_case(
            session, v_nummer, family_name="Tesfay", given_names="Yonas", name_original="ዮናስ ተስፋይ",
            birth_date="1988", language="ti", huisvestingsdatum=housing, klantmanager="km.jansen",
            koppeldatum=dt.date(2024, 9, 1),
        )  # fmt: skip
        return client.id


def test_document_of_an_adopted_pip(profile: Profile, tmp_path: Path) -> None:
    store = profile.store()
    client_id = add_client(profile, "3456789012", dt.date(2025, 2, 3))
    service = PipService(store, "tl", Role.SUPERVISOR, PipSettings())
    pip = service.draft(client_id, TODAY)
    agreements = [
        {
            "id": "1",
            "what": {"nl": "Inschrijven bij de taalschool"},
            "who": "inburgeraar",
            "by_when": "2025-07-01",
            "status": "open",
        }
    ]
    service.save(
        pip.version_id,
        {
            "leerroute": "z",
            text_key(TextPart.FINAL_GOAL): "Zelfredzaam in het dagelijks leven",
            "childcare_needed": True,
            "interpreter_present": True,
            "interpreter_name": "A. Ghebre",
            "interpreter_register": "12345",
            "agreements": agreements,
            "planned_meetings": ["2025-09-01", "2025-12-01"],
            "pvt_hours": 12,
            "taalschool": "Taalhuis Utrecht",
            text_key(TextPart.MONITORING): "Elke drie maanden een voortgangsgesprek.",
        },
        TODAY,
    )
    with store.session() as session:
        version = session.get(PipVersion, pip.version_id)
        assert version is not None
        texts = dict(version.texts)
        texts["einddoel"] = {**texts["einddoel"], "lang": "ti", "translation": "ናይ ዕለት ዕለት ህይወት",
                             "review": {"status": REVIEW_APPROVED, "by": "A. Ghebre"}}  # fmt: skip
        version.texts = texts
    service.act(pip.version_id, PipAction.BESPREKEN, TODAY)
    service.act(pip.version_id, PipAction.ONDERTEKENEN, TODAY, Signatures(TODAY, TODAY, TODAY))
    # Four-eyes: a colleague adopts what "tl" drafted.
    PipService(store, "tl.collega", Role.SUPERVISOR, PipSettings()).act(
        pip.version_id, PipAction.VASTSTELLEN, TODAY
    )
    document = DocumentService.for_profile(profile).prepare(client_id, "nl").document
    assert document.state is doc.PipState.VASTGESTELD and document.adopted_on == TODAY
    assert document.missing_parts == ()  # complete, and an adopted version marks nothing
    assert document.leerroute.route is doc.Route.Z
    assert document.leerroute.final_goal.has_reviewed_translation
    assert document.leerroute.period_end == dt.date(2028, 6, 2)
    assert document.ontzorgen is not None and doc.FixedCost.HUUR in document.ontzorgen.fixed_costs
    assert document.ontzorgen.end == dt.date(2025, 8, 2)  # housed 3 February: six months, that day included
    assert document.interpreter is not None and document.interpreter.register_number == "12345"
    assert document.agreements[0].due == dt.date(2025, 7, 1)
    assert document.monitoring.planned_meetings == (dt.date(2025, 9, 1), dt.date(2025, 12, 1))
    assert document.guidance.childcare_needed and not document.guidance.preconditions
    assert document.klantmanager.name == "km.jansen"

    from app.pdf.render import render_pip

    result = render_pip(document, "ti", tmp_path / "pip-ti.pdf")
    assert result.path.exists() and result.pages >= 1


def test_document_is_a_concept_without_pip_or_route(profile: Profile) -> None:
    client_id = add_client(profile, "4567890123", None)
    documents = DocumentService.for_profile(profile)
    job = documents.prepare(client_id, "nl")
    assert not job.has_pip and job.document.state is doc.PipState.CONCEPT and job.document.version == 1
    PipService(profile.store(), "tl", Role.SUPERVISOR).draft(client_id, TODAY)  # no intake: no route yet
    job = documents.prepare(client_id, "nl")
    assert not job.has_pip and job.document.state is doc.PipState.CONCEPT
    assert job.document.leerroute.route is doc.Route.B1  # the provisional route, said to be provisional


@pytest.mark.parametrize("state", list(PipState)[:5])
def test_demo_pip_in_every_state(profile: Profile, state: PipState) -> None:
    client_id = add_client(profile, f"56789012{list(PipState).index(state):02d}", dt.date(2024, 10, 1))
    with profile.store().session(actor="demo") as session:
        client = session.get(Client, client_id)
        assert client is not None
        add_demo_pip(session, client, random.Random(7), TODAY, state)
    service = PipService(profile.store(), "tl", Role.SUPERVISOR)
    snap = service.current(client_id, TODAY)
    assert snap is not None and snap.state is state
    if state in (PipState.VASTGESTELD, PipState.INGETROKKEN):
        assert snap.first_adopted_on is not None and snap.first_adopted_on < TODAY


def test_demo_spread_is_deterministic_and_covers_deadline_states(profile: Profile, tmp_path: Path) -> None:
    def build(target: Profile, seed: int) -> list[tuple[str, int | None]]:
        rng = random.Random(seed)
        out = []
        with target.store().session(actor="demo") as session:
            for index in range(60):
                housing = None if index % 4 == 0 else TODAY - dt.timedelta(days=rng.randint(1, 500))
                client = Client(
                    v_nummer=f"{seed}{index:09d}"[:10],
                    family_name="Demo",
                    given_names=str(index),
                    birth_date="1990",
                    languages=["ar"],
                    target_group="asiel",
                )
                session.add(client)
                session.add(Case(client=client, municipality="Utrecht", huisvestingsdatum=housing))
                session.flush()
                pip = add_demo_pip(session, client, rng, TODAY)
                out.append((pip.current_state, pip.current_number) if pip else ("geen", None))
        return out

    first = build(profile, 1)
    other = init_profile(tmp_path / "tweede", Role.SUPERVISOR, "Utrecht", "tl")
    try:
        assert build(other, 1) == first
    finally:
        other.close()
    assert {state for state, _n in first} >= {"geen", "concept", "vastgesteld"}
    with profile.store().session() as session:
        from app.services.pip.caseload import caseload_status

        ids = list(session.scalars(select(Client.id)))
        statuses = caseload_status(session, ids)
    from app.domain.deadlines import next_deadline

    states = {
        status.state
        for values in statuses.values()
        if (status := next_deadline(values.facts, TODAY)) is not None
    }
    assert DeadlineState.TE_LAAT in states and DeadlineState.OP_TIJD in states


def test_export_contains_every_version(profile: Profile) -> None:
    client_id = add_client(profile, "6789012345", dt.date(2024, 10, 1))
    with profile.store().session(actor="demo") as session:
        client = session.get(Client, client_id)
        assert client is not None
        add_demo_pip(session, client, random.Random(3), TODAY, PipState.VASTGESTELD)
    service = PipService(profile.store(), "tl", Role.SUPERVISOR)
    from app.domain.pip_lifecycle import ChangeReason

    service.new_version(client_id, ChangeReason.OVERIG, "Nieuwe taalschool", TODAY)
    with profile.store().session() as session:
        client = session.get(Client, client_id)
        assert client is not None
        exported = export_pip(session, client)
    assert exported is not None and [v["number"] for v in exported["versies"]] == [1, 2]
    assert exported["versies"][1]["texts"]["reden"]["nl"] == "Nieuwe taalschool"


def test_a_concept_document_names_what_is_missing(profile: Profile) -> None:
    """Source: issue 13 ("the PDF of a concept marks what is missing instead of leaving it out
    silently"); the parts are DOMAIN.md section 4's. The document model carries them to the page."""
    client_id = add_client(profile, "4567890123", dt.date(2025, 2, 3))
    service = PipService(profile.store(), "tl", Role.SUPERVISOR, PipSettings())
    pip = service.draft(client_id, TODAY)
    service.save(pip.version_id, {"leerroute": "b1", text_key(TextPart.FINAL_GOAL): "B1"}, TODAY)
    concept = DocumentService.for_profile(profile).prepare(client_id, "nl").document
    missing = " ".join(concept.missing_parts)
    for part in ("PVT", "voortgang", "afspraak", "taalschool"):
        assert part in missing
    assert "MAP" not in missing and "leerroute" not in missing  # filled by the draft and above
    assert any(part in list(concept.texts()) for part in concept.missing_parts)
