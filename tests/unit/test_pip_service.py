"""The PIP service on a real SQLCipher store: drafting, immutability, versions, history, caseload."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from builders import add_client_with_case
from pip_parts import COMPLETE_PARTS
from sqlalchemy import select

from app.domain.deadlines import DeadlineKind, DeadlineState
from app.domain.decisions import ObjectionOutcome
from app.domain.enums import Benefit, Leerroute, Role, TargetGroup
from app.domain.pip_lifecycle import ChangeReason, PipAction, PipRefused, PipState
from app.models.client import Case, Client
from app.models.journal import ChangeJournalEntry
from app.models.pip import PipVersion, TextPart
from app.models.store import Store
from app.services.pip import PipService, PipSettings, Signatures, text_key
from app.services.pip.caseload import caseload_status
from app.services.pip.decisions import register_extension
from app.services.pip.progress import add_meeting
from app.services.profile import Profile

TODAY = dt.date(2025, 3, 3)


def add_client(
    store: Store, housing: dt.date | None = dt.date(2025, 1, 6), group: TargetGroup = TargetGroup.ASIEL
) -> uuid.UUID:
    with store.session(actor="coa-import") as session:
        client = add_client_with_case(
            session, str(uuid.uuid4().int)[:10], birth_date="1990", target_group=group.value,
            huisvestingsdatum=housing,
        )  # fmt: skip
        return client.id


def complete(service: PipService, version_id: uuid.UUID) -> None:
    service.save(
        version_id,
        {
            "leerroute": Leerroute.B1.value,
            text_key(TextPart.FINAL_GOAL): "Nederlands op B1 en betaald werk als verpleegkundige",
            **COMPLETE_PARTS,
        },
        TODAY,
    )


def to_adopted(km: PipService, supervisor: PipService, version_id: uuid.UUID, day: dt.date = TODAY) -> None:
    km.act(version_id, PipAction.BESPREKEN, day)
    km.act(version_id, PipAction.ONDERTEKENEN, day, Signatures(day, day))
    supervisor.act(version_id, PipAction.VASTSTELLEN, day)


def test_draft_is_prefilled_for_asylum(profile: Profile) -> None:
    client_id = add_client(profile.store())
    service = PipService(profile.store(), "km.jansen", Role.KLANTMANAGER)
    pip = service.draft(client_id, TODAY)
    assert pip.state is PipState.CONCEPT and pip.number == 1
    assert pip.values["ontzorgen"] is True
    assert pip.values["ontzorgen_costs"] == ["huur", "energie", "water", "zorgverzekering"]
    assert pip.values["ontzorgen_start"] == dt.date(2025, 1, 6)
    assert pip.values["ontzorgen_end"] == dt.date(2025, 7, 5)  # six months from the first day
    assert pip.values["maatschappelijke_begeleiding"] is True
    assert pip.values["period_months"] == 36
    kinds = [d.kind for d in pip.deadlines]
    assert DeadlineKind.PIP_DUE in kinds
    with pytest.raises(PipRefused, match="al een PIP"):
        service.draft(client_id, TODAY)


def test_gezinsmigrant_gets_no_ontzorgen(profile: Profile) -> None:
    client_id = add_client(profile.store(), group=TargetGroup.GEZINSMIGRANT)
    pip = PipService(profile.store(), "km", Role.KLANTMANAGER).draft(client_id, TODAY)
    assert pip.values["ontzorgen"] is False and pip.values["maatschappelijke_begeleiding"] is False


def test_lifecycle_and_immutability_in_the_store(profile: Profile) -> None:
    store = profile.store()
    client_id = add_client(store)
    km = PipService(store, "km.jansen", Role.KLANTMANAGER)
    supervisor = PipService(store, "tl.devries", Role.SUPERVISOR)
    pip = km.draft(client_id, TODAY)
    with pytest.raises(PipRefused, match="leerroute"):
        km.act(pip.version_id, PipAction.BESPREKEN, TODAY)
    complete(km, pip.version_id)
    km.act(pip.version_id, PipAction.BESPREKEN, TODAY)
    with pytest.raises(PipRefused, match="terug naar concept"):
        km.save(pip.version_id, {"map_hours": 80})
    with pytest.raises(PipRefused, match="inburgeraar"):
        km.act(pip.version_id, PipAction.ONDERTEKENEN, TODAY, Signatures(klantmanager_on=TODAY))
    after = km.act(pip.version_id, PipAction.ONDERTEKENEN, TODAY, Signatures(TODAY, TODAY))
    assert after.state is PipState.ONDERTEKEND
    with pytest.raises(PipRefused, match="supervisor"):
        km.act(pip.version_id, PipAction.VASTSTELLEN, TODAY)
    adopted = supervisor.act(pip.version_id, PipAction.VASTSTELLEN, TODAY)
    assert adopted.state is PipState.VASTGESTELD and adopted.adopted_by == "tl.devries"
    assert adopted.first_adopted_on == TODAY
    for change in ({"map_hours": 10}, {text_key(TextPart.FINAL_GOAL): "iets anders"}):
        with pytest.raises(PipRefused, match="nieuwe versie"):
            km.save(pip.version_id, change)
    with store.session() as session:
        stored = session.get(PipVersion, pip.version_id)
        assert stored is not None and stored.map_hours == 64
        journal = session.query(ChangeJournalEntry).filter_by(entity_type="pip_version").count()
        assert journal >= 5  # insert, edits, each transition: sync sees every step
    assert {d.kind for d in adopted.deadlines} >= {DeadlineKind.TERM_END, DeadlineKind.SWITCH}


def test_klantmanager_adopts_where_municipality_allows(profile: Profile) -> None:
    store = profile.store()
    client_id = add_client(store)
    km = PipService(store, "km", Role.KLANTMANAGER, PipSettings(klantmanager_may_adopt=True))
    colleague = PipService(store, "km.collega", Role.KLANTMANAGER, PipSettings(klantmanager_may_adopt=True))
    pip = km.draft(client_id, TODAY)
    complete(km, pip.version_id)
    # Four-eyes: even where klantmanagers may adopt, never their own draft.
    with pytest.raises(PipRefused, match="vier-ogenprincipe"):
        to_adopted(km, km, pip.version_id)
    colleague.act(pip.version_id, PipAction.VASTSTELLEN, TODAY)
    assert km.current(client_id, TODAY).state is PipState.VASTGESTELD  # type: ignore[union-attr]


def test_versions_reasons_and_history(profile: Profile) -> None:
    store = profile.store()
    client_id = add_client(store)
    km = PipService(store, "km.jansen", Role.KLANTMANAGER)
    supervisor = PipService(store, "tl.devries", Role.SUPERVISOR)
    first = km.draft(client_id, TODAY)
    complete(km, first.version_id)
    to_adopted(km, supervisor, first.version_id)

    # Schakelen from B1 to Z within the 18 months.
    switch_day = dt.date(2026, 1, 5)
    second = km.new_version(client_id, ChangeReason.SCHAKELEN, "B1 blijkt te hoog gegrepen", switch_day)
    assert second.number == 2 and second.state is PipState.CONCEPT
    assert second.values["leerroute"] == "b1" and second.previous_route is Leerroute.B1
    with pytest.raises(PipRefused, match="verandert"):
        km.act(second.version_id, PipAction.BESPREKEN, switch_day)
    km.save(second.version_id, {"leerroute": "z"}, switch_day)
    with pytest.raises(PipRefused, match="onderbouwing"):  # every schakelen is justified
        km.act(second.version_id, PipAction.BESPREKEN, switch_day)
    km.save(second.version_id, {text_key(TextPart.ONDERBOUWING): "Leert langzaam; Z past beter."}, switch_day)
    to_adopted(km, supervisor, second.version_id, switch_day)
    old = km.version(client_id, 1, switch_day)
    assert old.state is PipState.VERVANGEN
    current = km.current(client_id, switch_day)
    assert current is not None and current.state is PipState.VASTGESTELD
    # The term still counts from the first adoption; the switch deadline is gone after switching.
    assert current.first_adopted_on == TODAY
    assert DeadlineKind.SWITCH not in {d.kind for d in current.deadlines}

    # After 18 months switching is refused with the last day named; other reasons still work.
    late = dt.date(2026, 9, 4)
    with pytest.raises(PipRefused, match="2026-09-03"):
        km.new_version(client_id, ChangeReason.SCHAKELEN, "", late)
    third = km.new_version(client_id, ChangeReason.VERHUIZING, "Verhuisd naar Amersfoort", late)
    km.save(third.version_id, {"leerroute": "b1"}, late)
    with pytest.raises(PipRefused, match="verhuizing"):
        km.act(third.version_id, PipAction.BESPREKEN, late)

    history = km.history(client_id)
    actors = {(h.actor, h.version_number) for h in history}
    assert ("km.jansen", 1) in actors and ("tl.devries", 2) in actors
    assert any("leerroute" in h.fields for h in history if h.version_number == 2)


def test_deviation_needs_onderbouwing_in_the_store(profile: Profile) -> None:
    store = profile.store()
    client_id = add_client(store)
    km = PipService(store, "km", Role.KLANTMANAGER)
    pip = km.draft(client_id, TODAY)
    with store.session() as session:
        version = session.get(PipVersion, pip.version_id)
        assert version is not None
        version.advised_route = Leerroute.Z.value
    complete(km, pip.version_id)
    snap = km.current(client_id, TODAY)
    assert snap is not None and snap.advised_route is Leerroute.Z and snap.values["leerroute"] != "z"
    assert any("onderbouwing" in p for p in snap.problems)
    with pytest.raises(PipRefused, match="onderbouwing"):
        km.act(pip.version_id, PipAction.BESPREKEN, TODAY)
    km.save(pip.version_id, {text_key(TextPart.ONDERBOUWING): "Acht jaar onderwijs, leest Latijns schrift."})
    assert km.act(pip.version_id, PipAction.BESPREKEN, TODAY).state is PipState.BESPROKEN


def test_changed_dutch_text_marks_translation_stale(profile: Profile) -> None:
    store = profile.store()
    client_id = add_client(store)
    km = PipService(store, "km", Role.KLANTMANAGER)
    pip = km.draft(client_id, TODAY)
    km.save(pip.version_id, {text_key(TextPart.FINAL_GOAL): "Werk in de zorg"})
    with store.session() as session:
        version = session.get(PipVersion, pip.version_id)
        assert version is not None
        texts = dict(version.texts)
        texts["einddoel"] = {**texts["einddoel"], "lang": "ar", "translation": "العمل في الرعاية",
                             "review": {"status": "niet_beoordeeld"}}  # fmt: skip
        version.texts = texts
    snap = km.save(pip.version_id, {text_key(TextPart.FINAL_GOAL): "Werk in de techniek"})
    entry = snap.translations[TextPart.FINAL_GOAL.value]
    assert entry["translation"] == "العمل في الرعاية" and entry["review"]["status"] == "verouderd"


def test_caseload_status_and_deadlines(profile: Profile) -> None:
    store = profile.store()
    late_client = add_client(store, housing=dt.date(2024, 11, 1))
    azc_client = add_client(store, housing=None)
    km = PipService(store, "km", Role.KLANTMANAGER, PipSettings(klantmanager_may_adopt=True))
    colleague = PipService(store, "km.collega", Role.KLANTMANAGER, PipSettings(klantmanager_may_adopt=True))
    km.draft(late_client, TODAY)
    adopted = km.draft(azc_client, dt.date(2024, 11, 20))
    complete(km, adopted.version_id)
    to_adopted(km, colleague, adopted.version_id, dt.date(2024, 12, 2))  # adopted in the AZC
    with store.session() as session:
        status = caseload_status(session, [late_client, azc_client])
        add_meeting(session, azc_client, dt.date(2025, 2, 20), "km", TODAY)
        register_extension(session, azc_client, 6, 0, "ziekte", "km", TODAY)
    assert status[late_client].status == "PIP concept"
    assert status[azc_client].leerroute == "B1-route"
    late = km.next_deadline(late_client, TODAY)
    assert late is not None and late.kind is DeadlineKind.PIP_DUE and late.state is DeadlineState.TE_LAAT
    nxt = km.next_deadline(azc_client, TODAY)
    assert nxt is not None and nxt.kind is DeadlineKind.PROGRESS_MEETING and nxt.due == dt.date(2025, 5, 20)
    snap = km.current(azc_client, TODAY)
    assert snap is not None
    term = [d for d in snap.deadlines if d.kind is DeadlineKind.TERM_END][0]
    assert term.due == dt.date(2028, 6, 2)  # 2 Dec 2024 + 36 + 6 months


def add_concluded_intake(store: Store, client_id: uuid.UUID) -> None:
    from app.models.intake import Intake, IntakeStatus

    with store.session(actor="km") as session:
        session.add(
            Intake(
                client_id=client_id,
                form_id="brede_intake",
                form_version=1,
                status=IntakeStatus.CONCLUDED.value,
                started_on=dt.date(2025, 1, 10),
                concluded_on=dt.date(2025, 2, 1),
                cesuur=28,
                answers={
                    "toets_score": {"value": 22, "form_version": 1},
                    "kinderopvang_nodig": {"value": True, "form_version": 1},
                    "ontzorgen": {"value": "budgetbeheer", "form_version": 1},
                },
                advised_route="z",
                advice_reasons=["De leerbaarheidstoets is niet haalbaar: score 22 van 40, cesuur 28."],
                chosen_route="b1",
                route_justification="Twaalf jaar onderwijs en werkt al als vrijwilliger.",
            )
        )


def test_draft_from_a_concluded_intake(profile: Profile) -> None:
    store = profile.store()
    client_id = add_client(store)
    add_concluded_intake(store, client_id)
    pip = PipService(store, "km", Role.KLANTMANAGER).draft(client_id, TODAY)
    assert pip.advised_route is Leerroute.Z and pip.values["leerroute"] == "b1"
    assert pip.learnability_score == 22 and "niet haalbaar" in pip.advice_explanation
    assert pip.values[text_key(TextPart.ONDERBOUWING)].startswith("Twaalf jaar")
    assert pip.values["childcare_needed"] is True and pip.values["ontzorgen_form"] == "budgetbeheer"
    assert not any("onderbouwing" in p for p in pip.problems)


def test_no_pip_for_children_and_interpreters_change_nothing(profile: Profile) -> None:
    store = profile.store()
    with store.session(actor="coa-import") as session:
        child = Client(
            v_nummer="9999999999",
            family_name="Haddad",
            given_names="Sami",
            birth_date=str(TODAY.year - 9),
            languages=["ar"],
            target_group="asiel",
        )
        session.add(child)
        session.flush()
        child_id = child.id
    km = PipService(store, "km", Role.KLANTMANAGER)
    with pytest.raises(PipRefused, match="niet inburgeringsplichtig"):
        km.draft(child_id, TODAY)
    adult = add_client(store)
    pip = km.draft(adult, TODAY)
    interpreter = PipService(store, "tolk", Role.INTERPRETER)
    assert interpreter.current(adult, TODAY) is not None  # reading is allowed
    with pytest.raises(PipRefused, match="tolk"):
        interpreter.save(pip.version_id, {"map_hours": 1}, TODAY)
    with pytest.raises(PipRefused, match="tolk"):
        interpreter.act(pip.version_id, PipAction.BESPREKEN, TODAY)


def test_signatures_in_the_future_or_before_drafting_are_refused(profile: Profile) -> None:
    """Source: issue 13 ("signature dates are not in the future and not before the version was drafted")."""
    store = profile.store()
    client_id = add_client(store)
    km = PipService(store, "km.jansen", Role.KLANTMANAGER)
    first = km.draft(client_id, TODAY)
    complete(km, first.version_id)
    km.act(first.version_id, PipAction.BESPREKEN, TODAY)
    tomorrow, before = TODAY + dt.timedelta(days=1), TODAY - dt.timedelta(days=1)
    for signatures in (Signatures(tomorrow, TODAY), Signatures(TODAY, before)):
        with pytest.raises(PipRefused, match="kies de dag van ondertekenen"):
            km.act(first.version_id, PipAction.ONDERTEKENEN, TODAY, signatures)
        assert km.current(client_id, TODAY).state is PipState.BESPROKEN  # type: ignore[union-attr]
    assert km.act(first.version_id, PipAction.ONDERTEKENEN, TODAY, Signatures(TODAY, TODAY)).state is (
        PipState.ONDERTEKEND
    )


# Source: issue 13 ("extensions need a reason, are decided by a supervisor, are capped by a setting,
# and show in the history").
@pytest.mark.parametrize(
    ("role", "months", "reason", "refusal"),
    [
        (Role.KLANTMANAGER, 6, "ziekte", "supervisor"),
        (Role.SUPERVISOR, 6, "  ", "reden"),
        (Role.SUPERVISOR, 13, "ziekte", "12 maanden"),  # above the cap of 12 months
        (Role.SUPERVISOR, 6, "ziekte", None),
    ],
)
def test_extensions(profile: Profile, role: Role, months: int, reason: str, refusal: str | None) -> None:
    store = profile.store()
    client_id = add_client(store)
    km = PipService(store, "km.jansen", Role.KLANTMANAGER)
    supervisor = PipService(store, "tl.devries", Role.SUPERVISOR, PipSettings())
    first = km.draft(client_id, TODAY)
    complete(km, first.version_id)
    to_adopted(km, supervisor, first.version_id)
    from app.domain.deadlines import DeadlineSettings

    capped = PipSettings(deadlines=DeadlineSettings(max_extension_months=12))
    acting = PipService(store, "tl.devries" if role is Role.SUPERVISOR else "km.jansen", role, capped)
    if refusal:
        with pytest.raises(PipRefused, match=refusal):
            acting.register_extension(client_id, months, 0, reason, TODAY)
        return
    snap = acting.register_extension(client_id, months, 0, reason, TODAY)
    assert snap.extensions[-1].by == "tl.devries" and snap.extensions[-1].reason == "ziekte"
    assert snap.extensions[-1].months == 6 and snap.extensions[-1].registered_on == TODAY
    term = [d for d in snap.deadlines if d.kind is DeadlineKind.TERM_END][0]
    assert term.due == dt.date(2028, 9, 3)  # 2025-03-04 + 42 months - 1 day
    with pytest.raises(PipRefused, match="12 maanden"):
        acting.register_extension(client_id, 7, 0, "nog eens", TODAY)  # 6 + 7 > 12
    assert any("verlengingen" in h.fields for h in acting.history(client_id))


# Source: DOMAIN.md "Ontzorgen", "Groups" and "More rules" (ontzorgen for asylum statushouders on
# bijstand, from the benefit's first day for six months; none for gezinsmigranten and overige migranten).
@pytest.mark.parametrize(
    ("group", "benefit", "field", "refused"),
    [
        (TargetGroup.GEZINSMIGRANT, None, "ontzorgen", True),
        (TargetGroup.GEZINSMIGRANT, None, "maatschappelijke_begeleiding", True),
        (TargetGroup.ASIEL, Benefit.ANDERS, "ontzorgen", True),
        (TargetGroup.ASIEL, Benefit.BIJSTAND, "ontzorgen", False),
        (TargetGroup.ASIEL, None, "ontzorgen", False),  # in the AZC: not yet known, still planned
        (TargetGroup.ASIEL, Benefit.ANDERS, "maatschappelijke_begeleiding", False),
    ],
)
def test_ontzorgen_and_begeleiding_by_group(
    profile: Profile, group: TargetGroup, benefit: Benefit | None, field: str, refused: bool
) -> None:
    store = profile.store()
    client_id = add_client(store, group=group)
    km = PipService(store, "km", Role.KLANTMANAGER)
    if benefit is not None:
        km.record_benefit(client_id, benefit, dt.date(2025, 1, 6) if benefit is Benefit.BIJSTAND else None)
    pip = km.draft(client_id, TODAY)
    if refused:
        with pytest.raises(PipRefused, match="asiel"):
            km.save(pip.version_id, {field: True}, TODAY)
        assert km.current(client_id, TODAY).values[field] is False  # type: ignore[union-attr]
    else:
        assert km.save(pip.version_id, {field: True}, TODAY).values[field] is True


def test_ontzorgen_dates_follow_a_later_housing_or_benefit_start(profile: Profile) -> None:
    """Source: issue 13 (today the dates freeze at draft time and stay empty for a PIP drafted in the AZC)."""
    store = profile.store()
    client_id = add_client(store, housing=None)
    km = PipService(store, "km", Role.KLANTMANAGER)
    drafted = km.draft(client_id, TODAY)
    assert drafted.values["ontzorgen"] is True
    assert drafted.values["ontzorgen_start"] is None and drafted.values["ontzorgen_end"] is None
    with store.session(actor="coa-import") as session:
        session.scalars(select(Case).where(Case.client_id == client_id)).one().huisvestingsdatum = dt.date(
            2025, 8, 31
        )
    housed = km.current(client_id, TODAY)
    assert housed is not None
    assert (housed.values["ontzorgen_start"], housed.values["ontzorgen_end"]) == (
        dt.date(2025, 8, 31),
        dt.date(2026, 2, 28),
    )
    on_benefit = km.record_benefit(client_id, Benefit.BIJSTAND, dt.date(2025, 9, 15))
    assert on_benefit is not None
    assert (on_benefit.values["ontzorgen_start"], on_benefit.values["ontzorgen_end"]) == (
        dt.date(2025, 9, 15),
        dt.date(2026, 3, 14),
    )
    with pytest.raises(PipRefused, match="eerste dag"):
        km.record_benefit(client_id, Benefit.BIJSTAND, None)


def test_exemption_objection_and_appeal(profile: Profile) -> None:
    """Source: DOMAIN.md "The PIP in force, and who decides" (bezwaar within 6 weeks of the day after
    it was made known; gegrond → a new version; neither moves the term) and "More rules" (ontheffing)."""
    store = profile.store()
    client_id = add_client(store)
    km = PipService(store, "km.jansen", Role.KLANTMANAGER)
    supervisor = PipService(store, "tl.devries", Role.SUPERVISOR)
    first = km.draft(client_id, TODAY)
    with pytest.raises(PipRefused, match="geldt"):  # only against an adopted PIP
        km.record_objection(client_id, TODAY, TODAY, TODAY)
    complete(km, first.version_id)
    to_adopted(km, supervisor, first.version_id)
    term_before = [d.due for d in km.current(client_id, TODAY).deadlines if d.kind is DeadlineKind.TERM_END]  # type: ignore[union-attr]

    later = dt.date(2025, 5, 1)
    on_time = km.record_objection(client_id, TODAY, dt.date(2025, 4, 14), later)
    late = km.record_objection(client_id, TODAY, dt.date(2025, 4, 15), later)
    assert [o.late for o in late.objections] == [False, True] and on_time.objections[0].version == 1
    assert on_time.objections[0].outcome is None and on_time.objections[0].received_on == dt.date(2025, 4, 14)
    km.decide_objection(client_id, 1, ObjectionOutcome.ONGEGROND, later, today=later)
    with pytest.raises(PipRefused, match="al beslist"):
        km.decide_objection(client_id, 1, ObjectionOutcome.GEGROND, later, "x", today=later)
    with pytest.raises(PipRefused, match="verandert"):
        km.decide_objection(client_id, 0, ObjectionOutcome.GEGROND, later, "", today=later)
    upheld = km.decide_objection(client_id, 0, ObjectionOutcome.GEGROND, later, "Meer uren PVT.", today=later)
    assert upheld.number == 2 and upheld.reason is ChangeReason.BEZWAAR and upheld.state is PipState.CONCEPT
    appealed = km.record_appeal(client_id, 1, dt.date(2025, 5, 20), today=dt.date(2025, 5, 20))
    assert appealed.objections[1].appeal_filed_on == dt.date(2025, 5, 20)
    assert appealed.objections[1].outcome is ObjectionOutcome.ONGEGROND
    assert appealed.first_adopted_on == TODAY
    assert [d.due for d in appealed.deadlines if d.kind is DeadlineKind.TERM_END] == term_before

    exempt = km.record_exemption(client_id, "agi", later, ["spreken"], later)
    assert exempt.exemptions[0].parts == ("spreken",) and exempt.exemptions[0].decided_on == later
    with store.session() as session:
        assert "ontheffing voor spreken" in caseload_status(session, [client_id])[client_id].status
    km.record_exemption(client_id, "leerbaarheid", later, [], later)
    with store.session() as session:
        assert caseload_status(session, [client_id])[client_id].status == "ontheffing (DUO)"
    assert any("bezwaar en beroep" in h.fields for h in km.history(client_id))
