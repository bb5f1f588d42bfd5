"""Issue 13's rules through the services on a real SQLCipher store, with the reviewer's cases the
other tests do not contain: a route that goes against the test although the advice proposed it, a
year-only date of birth that the intake completes, a child who turns 18 during the intake, the duty
assessed on the melddatum, and the doelgroep corrected in the intake."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from builders import add_client_with_case
from pip_parts import COMPLETE_PARTS

from app.domain.deadlines import DeadlineKind, client_deadlines
from app.domain.enums import Benefit, Leerroute, Role, TargetGroup
from app.domain.pip_lifecycle import PipAction, PipRefused, PipState
from app.models.intake import InterpreterKind
from app.models.pip import PipVersion, TextPart
from app.models.store import Store
from app.pdf.render import render_pip
from app.services.caseload import caseload_rows, client_statuses
from app.services.clients import client_detail
from app.services.intake import IntakeRefused, IntakeService
from app.services.pip import DocumentService, PipService, text_key
from app.services.profile import Profile

REQUIRED = {
    "naam_latijns": "Rania Haddad",
    "v_nummer": "1234567890",
    "doelgroep": "asiel",
    "jaren_onderwijs": "12",
    "gealfabetiseerd": "latijns",
    "moedertaal": "Arabisch",
    "ambitie": "Verpleegkundige worden.",
    "toets_afgenomen": True,
    "toets_uitslag": "score",
}


def add_client(
    store: Store, birth_date: str, group: str = "asiel", housing: dt.date | None = None
) -> uuid.UUID:
    with store.session(actor="coa-import") as session:
        client = add_client_with_case(
            session, str(uuid.uuid4().int)[:10], birth_date=birth_date, target_group=group,
            huisvestingsdatum=housing,
        )  # fmt: skip
        return client.id


def open_intake(
    store: Store, profile: Profile, client_id: uuid.UUID, today: dt.date
) -> tuple[IntakeService, uuid.UUID]:
    service = IntakeService(store, profile.actor, Role.KLANTMANAGER)
    return service, service.open(client_id, today).id


def row_of(store: Store, client_id: uuid.UUID, today: dt.date):  # type: ignore[no-untyped-def]
    with store.session() as session:
        return next(r for r in caseload_rows(session, today) if r.client_id == client_id)


# Source: DOMAIN.md "More rules" (onderbouwing whenever the chosen route differs from the test
# result, not only from the advice); Wet inburgering 2021 art. 16 lid 2 (the PIP states the route).
@pytest.mark.parametrize(
    ("justification", "refused"),
    [
        ("", True),
        ("   ", True),
        ("\u200b", True),
        ("Twaalf jaar school en leest het Latijnse schrift.", False),
    ],
)
def test_intake_asks_onderbouwing_when_the_route_goes_against_the_test(
    profile: Profile, justification: str, refused: bool
) -> None:
    today = dt.date(2025, 6, 2)
    store = profile.store()
    service, intake_id = open_intake(store, profile, add_client(store, "1994-05-02"), today)
    for field_id, value in (REQUIRED | {"geboortedatum": "1994-05-02", "toets_score": "20",
                                        "toets_datum": "2025-05-01"}).items():  # fmt: skip
        service.save_answer(intake_id, field_id, value)
    service.record_consent(intake_id, today, "ar", InterpreterKind.SLEUTELPERSOON, "Buurvrouw")
    advice, facts = service.advice(intake_id, today)
    # The advice itself goes against "niet haalbaar" (schooled and literate): B1 as advised...
    assert advice.route is Leerroute.B1 and advice.deviates_from_test
    if refused:
        with pytest.raises(IntakeRefused, match="leerbaarheidstoets"):
            service.conclude(intake_id, Leerroute.B1, justification, today)
    else:
        done = service.conclude(intake_id, Leerroute.B1, justification, today)
        assert done.chosen_route == "b1"


# Source: Wet inburgering 2021 art. 3 lid 1 (18 years); DOMAIN.md "More rules" (a partly known birth
# date: say so and ask, never silently withhold) and "Groups".
def test_year_only_birth_date_is_uncertain_asks_and_the_intake_resolves_it(profile: Profile) -> None:
    today = dt.date(2025, 6, 2)
    store = profile.store()
    client_id = add_client(store, "2007", housing=dt.date(2025, 5, 1))
    row = row_of(store, client_id, today)
    assert row.obliged and "leeftijd onzeker" in row.status and row.next_deadline is not None
    with store.session() as session:
        detail = client_detail(session, client_id, today)
    assert detail.obliged and detail.deadlines
    assert any("deels bekend" in note for note in detail.deadline_notes)

    # The klantmanager asks and records the full date in the intake: the caseload follows it.
    service, intake_id = open_intake(store, profile, client_id, today)
    service.save_answer(intake_id, "geboortedatum", "2007-03-04")
    row = row_of(store, client_id, today)
    assert row.obliged and "onzeker" not in row.status
    # A date that makes the inburgeraar a minor today withdraws the duty, visibly.
    service.save_answer(intake_id, "geboortedatum", "2007-11-20")
    row = row_of(store, client_id, today)
    assert not row.obliged and row.next_deadline is None
    # An invalid or cleared answer keeps the last valid date.
    service.save_answer(intake_id, "geboortedatum", "2007-02-30")
    service.save_answer(intake_id, "geboortedatum", "")
    assert row_of(store, client_id, today).birth_date == "2007-11-20"


# Source: Wet inburgering 2021 art. 3 lid 1; DOMAIN.md "Tests" (a child turning 18 during the intake).
def test_a_child_turning_18_during_the_intake_gets_a_pip_from_the_birthday(profile: Profile) -> None:
    store = profile.store()
    client_id = add_client(store, "2007-09-10", housing=dt.date(2025, 8, 1))
    IntakeService(store, profile.actor, Role.KLANTMANAGER).open(client_id, dt.date(2025, 8, 20))
    km = PipService(store, "km", Role.KLANTMANAGER)
    assert not row_of(store, client_id, dt.date(2025, 9, 9)).obliged
    with pytest.raises(PipRefused, match="niet inburgeringsplichtig"):
        km.draft(client_id, dt.date(2025, 9, 9))
    assert row_of(store, client_id, dt.date(2025, 9, 10)).obliged
    assert km.draft(client_id, dt.date(2025, 9, 10)).number == 1


# Source: Wet inburgering 2021 art. 3 lid 1 with AOW art. 7a (dated table); DOMAIN.md "More rules":
# the duty is assessed from the day the residence right was made known.
def test_the_melddatum_from_the_intake_decides_the_aow_age(profile: Profile) -> None:
    today = dt.date(2025, 12, 1)
    store = profile.store()
    client_id = add_client(store, "1958-06-15", housing=dt.date(2025, 11, 1))  # AOW on 2025-06-15
    assert not row_of(store, client_id, today).obliged  # no melddatum: assessed today, past the AOW age
    service, intake_id = open_intake(store, profile, client_id, today)
    service.save_answer(intake_id, "datum_verblijf", "2025-06-14")  # the day before the AOW age
    assert row_of(store, client_id, today).obliged
    with store.session() as session:
        assert client_detail(session, client_id, today).deadlines
    service.save_answer(intake_id, "datum_verblijf", "2025-06-15")
    assert not row_of(store, client_id, today).obliged


# Source: DOMAIN.md "Groups" ("vallen onder de Richtlijn tijdelijke bescherming en zijn daardoor niet
# inburgeringsplichtig"); shared/CLI.md (doelgroep); issue 13 "Target groups" (the intake, the caseload).
@pytest.mark.parametrize(
    ("group", "obliged"),
    [
        (TargetGroup.TIJDELIJKE_BESCHERMING, False),
        (TargetGroup.GEZINSMIGRANT, True),
        (TargetGroup.OVERIGE_MIGRANT, True),
        (TargetGroup.ASIEL, True),
    ],
)
def test_the_doelgroep_from_the_intake_reaches_the_caseload_and_the_client(
    profile: Profile, group: TargetGroup, obliged: bool
) -> None:
    today = dt.date(2025, 6, 2)
    store = profile.store()
    client_id = add_client(store, "1990-01-01", housing=dt.date(2025, 5, 1))
    service, intake_id = open_intake(store, profile, client_id, today)
    service.save_answer(intake_id, "doelgroep", group.value)
    row = row_of(store, client_id, today)
    assert row.obliged is obliged
    with store.session() as session:
        detail = client_detail(session, client_id, today)
    assert detail.target_group == group.value
    if obliged:
        assert row.next_deadline is not None and detail.deadlines
    else:
        # Recorded, not obliged: no PIP deadline anywhere, and no PIP.
        assert row.next_deadline is None and "tijdelijke bescherming" in row.status
        assert not detail.obliged and detail.deadlines == []
        assert any("tijdelijke bescherming" in note for note in detail.deadline_notes)
        with pytest.raises(PipRefused, match="tijdelijke bescherming"):
            PipService(store, "km", Role.KLANTMANAGER).draft(client_id, today)


def test_client_detail_of_a_tijdelijke_bescherming_from_coa_has_no_pip_deadline(profile: Profile) -> None:
    """Source: DOMAIN.md "Groups"; the client detail agrees with the caseload (no PIP deadline)."""
    today = dt.date(2025, 6, 2)
    store = profile.store()
    client_id = add_client(store, "1990-01-01", TargetGroup.TIJDELIJKE_BESCHERMING.value, dt.date(2025, 5, 1))
    with store.session() as session:
        detail = client_detail(session, client_id, today)
    assert not detail.obliged and detail.deadlines == []


# Source: DOMAIN.md "More rules" (DUO's own uitslag, when known, is what counts; the cut-off is dated)
# and letter 32 824 nr. 380; the onderbouwing follows DUO's result, also when it arrives after drafting.
def test_duo_uitslag_decides_in_the_pip_even_when_it_arrives_after_drafting(profile: Profile) -> None:
    today = dt.date(2025, 6, 2)
    store = profile.store()
    client_id = add_client(store, "1994-05-02", housing=dt.date(2025, 5, 1))
    service, intake_id = open_intake(store, profile, client_id, today)
    # Score 29 on a 2022 test: 29 < 31 there, so "niet haalbaar" by the cut-off of that day.
    for field_id, value in (REQUIRED | {"toets_score": "29", "toets_datum": "2022-11-15"}).items():
        service.save_answer(intake_id, field_id, value)
    km = PipService(store, "km", Role.KLANTMANAGER)
    pip = km.draft(client_id, today)
    with store.session() as session:
        version = session.get(PipVersion, pip.version_id)
        assert version is not None and version.learnability_outcome == "niet_haalbaar"
    km.save(
        pip.version_id,
        {"leerroute": Leerroute.B1.value, text_key(TextPart.FINAL_GOAL): "B1 en werk", **COMPLETE_PARTS},
        today,
    )
    with pytest.raises(PipRefused, match="leerbaarheidstoets"):
        km.act(pip.version_id, PipAction.BESPREKEN, today)
    # DUO reports "haalbaar" after all: that counts, the recomputed result does not.
    service.save_answer(intake_id, "toets_duo_uitslag", "haalbaar")
    assert km.act(pip.version_id, PipAction.BESPREKEN, today).state is PipState.BESPROKEN
    with store.session() as session:
        version = session.get(PipVersion, pip.version_id)
        assert version is not None and version.learnability_outcome == "haalbaar"


def test_duo_niet_haalbaar_over_a_high_score_asks_onderbouwing_for_b1(profile: Profile) -> None:
    """Source: DOMAIN.md "More rules" (DUO's uitslag counts; onderbouwing when the route differs from it)."""
    today = dt.date(2025, 6, 2)
    store = profile.store()
    client_id = add_client(store, "1994-05-02", housing=dt.date(2025, 5, 1))
    service, intake_id = open_intake(store, profile, client_id, today)
    answers = REQUIRED | {
        "toets_score": "36",
        "toets_datum": "2024-02-29",
        "toets_duo_uitslag": "niet_haalbaar",
    }
    for field_id, value in answers.items():
        service.save_answer(intake_id, field_id, value)
    km = PipService(store, "km", Role.KLANTMANAGER)
    pip = km.draft(client_id, today)
    km.save(
        pip.version_id,
        {"leerroute": Leerroute.B1.value, text_key(TextPart.FINAL_GOAL): "B1 en werk", **COMPLETE_PARTS},
        today,
    )
    with pytest.raises(PipRefused, match="onderbouwing"):
        km.act(pip.version_id, PipAction.BESPREKEN, today)
    km.save(
        pip.version_id, {text_key(TextPart.ONDERBOUWING): "Twaalf jaar school; leest Latijns schrift."}, today
    )
    assert km.act(pip.version_id, PipAction.BESPREKEN, today).state is PipState.BESPROKEN


# Source: issue 13 ("the PDF of a concept marks what is missing instead of leaving it out silently");
# the parts are Wet inburgering 2021 art. 16 lid 2 / Besluit art. 2.7 (DOMAIN.md section 4).
@pytest.mark.parametrize("language", ["nl", "ar"])
def test_the_concept_pdf_names_the_missing_parts(profile: Profile, tmp_path: Path, language: str) -> None:
    import pymupdf

    today = dt.date(2025, 6, 2)
    store = profile.store()
    client_id = add_client(store, "1990-01-01", housing=dt.date(2025, 5, 1))
    km = PipService(store, "km", Role.KLANTMANAGER)
    pip = km.draft(client_id, today)
    km.save(pip.version_id, {"leerroute": "onderwijs", text_key(TextPart.FINAL_GOAL): "Mbo-diploma"}, today)
    prepared = DocumentService.for_profile(profile).prepare(client_id, language)
    assert prepared.document.missing_parts
    out = tmp_path / "concept.pdf"
    render_pip(prepared.document, language, out)
    with pymupdf.open(out) as pdf:
        text = " ".join("".join(page.get_text() for page in pdf).split())
    assert "Nog niet compleet; ontbreekt nog:" in text
    for part in ("de intensiteit van het PVT", "ten minste één afspraak", "de onderwijsinstelling"):
        assert part in text, part
    if language == "ar":
        assert "لا يزال ينقص" in text  # the translated side says it too


# Source: Wet inburgering 2021 art. 30 and DOMAIN.md "Ontzorgen", "More rules": ontzorgen for asylum
# statushouders on bijstand, six months from the benefit's first day; none on another income.
@pytest.mark.parametrize(
    ("group", "benefit", "start", "ontzorgen_end"),
    [
        (TargetGroup.ASIEL, None, None, dt.date(2025, 10, 31)),  # not recorded yet: from housing
        (TargetGroup.ASIEL, Benefit.BIJSTAND, dt.date(2025, 8, 31), dt.date(2026, 2, 28)),  # later start
        (TargetGroup.ASIEL, Benefit.ANDERS, None, None),  # own income: no ontzorgen, no date
        (TargetGroup.ASIEL, Benefit.GEEN, None, None),
        (TargetGroup.GEZINSMIGRANT, Benefit.BIJSTAND, dt.date(2025, 8, 31), None),
        (TargetGroup.OVERIGE_MIGRANT, None, None, None),
    ],
)
@pytest.mark.parametrize("with_pip", [False, True])
def test_the_ontzorgen_deadline_follows_group_and_benefit_in_caseload_and_detail(
    profile: Profile,
    group: TargetGroup,
    benefit: Benefit | None,
    start: dt.date | None,
    ontzorgen_end: dt.date | None,
    with_pip: bool,
) -> None:
    today = dt.date(2025, 6, 2)
    store = profile.store()
    client_id = add_client(store, "1990-01-01", group.value, housing=dt.date(2025, 5, 1))
    km = PipService(store, "km", Role.KLANTMANAGER)
    if benefit is not None:
        km.record_benefit(client_id, benefit, start)
    if with_pip:
        km.draft(client_id, today)
    with store.session() as session:
        detail = client_detail(session, client_id, today)
    ends = [d.due for d in detail.deadlines if d.kind is DeadlineKind.ONTZORGEN_END]
    assert ends == ([ontzorgen_end] if ontzorgen_end else [])
    # The caseload reads the same facts from plain columns (the PIP's own path when there is one).
    with store.session() as session:
        facts = client_statuses(session, [client_id]).get(client_id)
    if with_pip:
        assert facts is not None and facts.facts is not None
        in_caseload = {d.kind: d.due for d in client_deadlines(facts.facts)[0]}
        assert in_caseload.get(DeadlineKind.ONTZORGEN_END) == ontzorgen_end
        snapshot = km.current(client_id, today)
        assert snapshot is not None
        in_pip = [d.due for d in snapshot.deadlines if d.kind is DeadlineKind.ONTZORGEN_END]
        assert in_pip == ends


# Source: DOMAIN.md step 2 and 3 (the route follows the whole intake, health included); Besluit
# inburgering 2021 art. 2.3 (the brede intake covers health).
@pytest.mark.parametrize(
    ("field_id", "route"),
    [(None, Leerroute.B1), ("lichamelijke_beperking", Leerroute.Z), ("psychische_klachten", Leerroute.Z)],
)
def test_health_answers_of_the_intake_take_part_in_the_advice(
    profile: Profile, field_id: str | None, route: Leerroute
) -> None:
    today = dt.date(2025, 6, 2)
    store = profile.store()
    service, intake_id = open_intake(store, profile, add_client(store, "1994-05-02"), today)
    for key, value in (REQUIRED | {"toets_score": "20", "toets_datum": "2025-05-01"}).items():
        service.save_answer(intake_id, key, value)
    if field_id:
        service.save_answer(intake_id, field_id, True)
    advice, facts = service.advice(intake_id, today)
    assert facts.health_limits is bool(field_id)
    assert advice.route is route
    assert any("klachten" in reason for reason in advice.reasons) is bool(field_id)


def test_printing_assesses_the_aow_age_on_the_melddatum_like_drafting(
    profile: Profile, tmp_path: Path
) -> None:
    """Source: Wet inburgering 2021 art. 3 lid 1; DOMAIN.md "More rules" (the duty is assessed from the
    day the residence right was made known): a PIP drafted for someone who reached the AOW age only
    after the melddatum can also be printed, today and later."""
    store = profile.store()
    born = "1958-06-15"  # AOW age on 2025-06-15, long before the real today of this test run
    with store.session(actor="coa-import") as session:
        client = add_client_with_case(
            session, "5678901234", birth_date=born, huisvestingsdatum=dt.date(2025, 5, 1),
            melddatum=dt.date(2025, 6, 1),
        )  # fmt: skip
        client_id = client.id
    km = PipService(store, "km", Role.KLANTMANAGER)
    km.draft(client_id, dt.date(2025, 6, 2))
    outcome = DocumentService.for_profile(profile).print_documents(str(client_id), "nl", tmp_path)
    assert outcome.results
