"""Fictional PIPs for demo clients, in every state, deterministic for a given random.Random.

Built directly in their final state as plain rows (app/services/demo_rows.py; no step-by-step
transitions) so that `wegwijs demo --clients 50000` stays fast; the states and dates still obey the
lifecycle rules. A further part of a PIP is one more `rows.add(Model, ...)` per record.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from sqlalchemy.orm import Session

from app.domain.deadlines import add_months, ontzorgen_end, switch_deadline
from app.domain.eligibility import is_obliged
from app.domain.enums import Leerroute, TargetGroup
from app.domain.pip_lifecycle import ChangeReason, PipState
from app.domain.pip_plan import FixedCost
from app.domain.progress import ExamOutcome, ExamSubject, HoursKind, MeetingOutcome, ModuleKind
from app.models.client import Client
from app.models.intake import IntakeStatus
from app.models.pip import Pip, PipVersion, TextPart
from app.models.progress import ExamResult, ModuleProgress, ProgressMeeting, RouteHours
from app.services.demo_rows import DemoClient, DemoRows, Row, write_for_session

_GOALS = {
    Leerroute.B1: [
        "Nederlands op niveau B1 voor lezen, luisteren, schrijven en spreken, en KNM.",
        "B1 halen en doorstromen naar betaald werk in de zorg.",
        "B1 en KNM, naast vrijwilligerswerk bij de voedselbank.",
    ],
    Leerroute.ONDERWIJS: [
        "Taalschakeltraject en daarna een mbo-4-opleiding tot verpleegkundige.",
        "Schakeltraject naar de hbo-opleiding werktuigbouwkunde.",
    ],
    Leerroute.Z: [
        "Zelfredzaam worden in het dagelijks leven: 800 uur taal en KNM en 800 uur participatie.",
        "Zelfstandig boodschappen doen, post lezen en afspraken bij de huisarts maken.",
    ],
}
_GUIDANCE = [
    "Wekelijks contact met de klantmanager in de eerste drie maanden.",
    "Hulp bij het vinden van vrijwilligerswerk via het Steunpunt Vrijwilligers.",
    "Begeleiding door een taalmaatje van de bibliotheek.",
]
_SCHOOLS = ["Taalschool De Brug", "ROC Midden Nederland", "Taalcentrum Oost", "Het Taalhuis"]
_AGREEMENTS = [
    ("Inschrijven bij de taalschool", "inburgeraar"),
    ("Aanvraag kinderopvang indienen", "klantmanager"),
    ("DigiD aanvragen", "inburgeraar"),
    ("Afspraak bij het Werkgeversservicepunt", "klantmanager"),
    ("Zwemles voor de kinderen regelen", "VluchtelingenWerk"),
]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _text(value: str) -> dict[str, Any]:
    return {"nl": value, "lang": None, "translation": ""}


def _version(
    rows: DemoRows,
    rng: random.Random,
    pip: Row,
    number: int,
    route: Leerroute,
    asylum: bool,
    housing: dt.date | None,
    actor: str,
    from_intake: tuple[Leerroute | None, int | None, str] | None = None,
) -> Row:
    """`from_intake`: the intake's advised route, test score and justification, when there is one."""
    if from_intake is not None:
        advised = from_intake[0] or route
    else:
        advised = route if rng.random() < 0.8 else rng.choice([r for r in Leerroute if r is not route])
    texts = {
        TextPart.FINAL_GOAL.value: _text(rng.choice(_GOALS[route])),
        TextPart.GUIDANCE.value: _text(rng.choice(_GUIDANCE)),
        TextPart.TAALSCHOOL.value: _text("Drie dagdelen per week les."),
    }
    if advised is not route:
        texts[TextPart.ONDERBOUWING.value] = _text(
            (from_intake[2] if from_intake and from_intake[2] else "")
            or "De route wijkt af van de toets: voldoende vooropleiding, werkervaring en een sterke motivatie."
        )
    agreements = [
        {
            "id": str(index + 1),
            "what": _text(what),
            "who": who,
            "by_when": None,
            "status": rng.choice(["open", "bezig", "gedaan"]),
        }
        for index, (what, who) in enumerate(rng.sample(_AGREEMENTS, rng.randint(1, 3)))
    ]
    return rows.add(
        PipVersion,
        id=_uuid(rng),
        pip_id=pip["id"],
        number=number,
        state=PipState.CONCEPT.value,
        reason=ChangeReason.EERSTE.value,
        created_by=actor,
        advised_route=advised.value,
        advice_explanation="",
        learnability_score=from_intake[1] if from_intake is not None else rng.randint(10, 40),
        leerroute=route.value,
        period_months=36,
        maatschappelijke_begeleiding=asylum,
        begeleiding_by="VluchtelingenWerk" if asylum else "",
        childcare_needed=rng.random() < 0.25,
        map_hours=64,
        map_practical_hours=rng.choice([None, 16, 24]),
        pvt_hours=rng.choice([None, 8, 12]),
        ontzorgen=asylum,
        ontzorgen_costs=[FixedCost.HUUR.value, FixedCost.ENERGIE.value, FixedCost.ZORGVERZEKERING.value]
        if asylum
        else [],
        ontzorgen_start=housing if asylum else None,
        ontzorgen_end=ontzorgen_end(housing) if asylum else None,
        ontzorgen_form="vaste_lasten" if asylum else None,
        afschalen=False,
        afschalen_parts=[],
        progress_interval_months=3,
        planned_meetings=[],
        taalschool=rng.choice(_SCHOOLS),
        texts=texts,
        agreements=agreements,
        interpreter_present=rng.random() < 0.6,
        interpreter_name="",
        interpreter_register="",
        adopted_by="",
        withdrawn_by="",
    )


def _sign(version: Row, day: dt.date) -> None:
    version["discussed_on"] = day
    version["signed_by_client_on"] = version["signed_by_klantmanager_on"] = day
    if version["interpreter_present"]:
        version["interpreter_name"] = "Tolk (demo)"
        version["signed_by_interpreter_on"] = day


def add_demo_pip(
    session: Session,
    client: Client,
    rng: random.Random,
    today: dt.date,
    state: PipState | None = None,
    actor: str = "demo",
    supervisor: str = "teamleider (demo)",
) -> Pip | None:
    """`demo_pip_row` for a stored client, written on the session's transaction; the PIP record."""
    made: list[Row | None] = []
    write_for_session(
        session,
        lambda rows: made.append(
            demo_pip_row(rows, DemoClient.of(client), rng, today, state, actor, supervisor)
        ),
    )
    return session.get(Pip, made[0]["id"]) if made[0] is not None else None


def demo_pip_row(
    rows: DemoRows,
    client: DemoClient,
    rng: random.Random,
    today: dt.date,
    state: PipState | None = None,
    actor: str = "demo",
    supervisor: str = "teamleider (demo)",
    route: Leerroute | None = None,
    from_intake: tuple[Leerroute | None, int | None, str] | None = None,
) -> Row | None:
    """A PIP for the client in `state` (or a state that fits their dates); None: no PIP (yet)."""
    case = client.case
    housing = case["huisvestingsdatum"] if case else None
    koppeldatum = case["koppeldatum"] if case and case["koppeldatum"] else today - dt.timedelta(days=60)
    asylum = client.row["target_group"] == TargetGroup.ASIEL.value
    if state is None:
        housed_days = (today - housing).days if housing else None
        roll = rng.random()
        if housed_days is None or housed_days < 0:
            # Still in the AZC: most have no PIP yet, some started one there.
            state = None if roll < 0.55 else PipState.CONCEPT if roll < 0.8 else PipState.VASTGESTELD
        elif housed_days < 30:
            state = None if roll < 0.4 else PipState.CONCEPT if roll < 0.85 else PipState.BESPROKEN
        else:
            options = [
                None,
                PipState.CONCEPT,
                PipState.BESPROKEN,
                PipState.ONDERTEKEND,
                PipState.VASTGESTELD,
                PipState.INGETROKKEN,
            ]
            state = rng.choices(options, [8, 12, 6, 6, 64, 4])[0]
    if state is None:
        return None
    if route is None:
        route = rng.choices(list(Leerroute), [68, 10, 22])[0]
    pip = rows.add(Pip, id=_uuid(rng), client_id=client.id, extensions=[], current_number=1)
    first = _version(rows, rng, pip, 1, route, asylum, housing, actor, from_intake)
    last = first
    if state in (PipState.BESPROKEN, PipState.ONDERTEKEND, PipState.VASTGESTELD, PipState.INGETROKKEN):
        first["state"] = PipState.BESPROKEN.value
        first["discussed_on"] = today - dt.timedelta(days=rng.randint(0, 10))
    if state in (PipState.ONDERTEKEND, PipState.VASTGESTELD, PipState.INGETROKKEN):
        first["state"] = PipState.ONDERTEKEND.value
        _sign(first, today - dt.timedelta(days=rng.randint(0, 5)))
    if state in (PipState.VASTGESTELD, PipState.INGETROKKEN):
        earliest = min(
            max(koppeldatum, (housing or koppeldatum) - dt.timedelta(days=60)), today - dt.timedelta(days=1)
        )
        if housing and housing <= today:
            adopted = housing + dt.timedelta(days=rng.randint(-30, 110))
        else:
            adopted = earliest + dt.timedelta(days=rng.randint(0, 40))  # adopted in the AZC
        adopted = max(min(adopted, today - dt.timedelta(days=1)), earliest)
        _sign(first, adopted)
        first["state"] = PipState.VASTGESTELD.value
        first["adopted_on"], first["adopted_by"] = adopted, supervisor
        pip["first_adopted_on"] = adopted
        pip["in_force_number"] = 1
        held = []
        day = add_months(adopted, 3)
        while day < today - dt.timedelta(days=rng.randint(0, 40)):
            held.append(min(day + dt.timedelta(days=rng.randint(-7, 10)), today))
            day = add_months(day, 3)
        _add_progress(rows, pip, route, asylum, adopted, held, today, actor)
        if state is PipState.INGETROKKEN:
            first["state"] = PipState.INGETROKKEN.value
            first["withdrawn_on"] = today - dt.timedelta(days=rng.randint(1, 20))
            first["withdrawn_by"] = supervisor
            pip["in_force_number"] = None
        elif rng.random() < 0.12 and (today - adopted).days > 200:
            last = _second_version(
                rows, rng, pip, first, route, adopted, today, asylum, housing, actor, supervisor
            )
    first["drafted_on"] = _drafted_on(rng, first, koppeldatum, today)
    pip["current_number"] = last["number"]
    pip["current_state"] = last["state"]
    pip["current_route"] = last["leerroute"]
    return pip


def _add_progress(
    rows: DemoRows,
    pip: Row,
    route: Leerroute,
    asylum: bool,
    adopted: dt.date,
    held: list[dt.date],
    today: dt.date,
    actor: str,
) -> None:
    """The progress records of an adopted demo PIP: the meetings held, the MAP and PVT as far as
    they got, exam results (B1-route) or hours (Z-route). Their own random numbers, from the PIP's
    id, so the other demo data stays as it was; added to the batch's rows like the rest."""
    rng = random.Random(pip["id"].int)
    outcomes = [o.value for o in MeetingOutcome if o is not MeetingOutcome.NIET_VERSCHENEN]
    for index, on in enumerate(held):
        next_on = held[index + 1] if index + 1 < len(held) else add_months(on, 3)
        rows.add(
            ProgressMeeting,
            pip_id=pip["id"],
            held_on=on,
            held_by=actor,
            outcome=rng.choice(outcomes),
            next_on=next_on,
            note=rng.choice(_MEETING_NOTES),
        )
    months = (today - adopted).days // 30
    for module, start_after, length in ((ModuleKind.MAP, 1, 8), (ModuleKind.PVT, 2, 4)):
        if months > start_after:
            started = add_months(adopted, start_after)
            done = add_months(started, length)
            rows.add(
                ModuleProgress,
                pip_id=pip["id"],
                module=module.value,
                started_on=started,
                completed_on=done if done < today else None,
                recorded_by=actor,
            )
    if route is Leerroute.Z:
        kinds = [HoursKind.LANGUAGE_KNM] + ([HoursKind.PARTICIPATION] if asylum else [])
        start = adopted + dt.timedelta(days=1)
        while add_months(start, 3) < today:
            end = add_months(start, 3) - dt.timedelta(days=1)
            for kind in kinds:
                rows.add(
                    RouteHours,
                    pip_id=pip["id"],
                    kind=kind.value,
                    period_start=start,
                    period_end=end,
                    hours=rng.randint(40, 80),
                    recorded_by=actor,
                )
            start = end + dt.timedelta(days=1)
    elif route is Leerroute.B1 and months > 18:
        for part in ExamSubject:
            attempt, on = 1, add_months(adopted, 18 + rng.randint(0, 4))
            while on < today and attempt <= 3:
                passed = rng.random() < 0.6
                rows.add(
                    ExamResult,
                    pip_id=pip["id"],
                    part=part.value,
                    level=None if part is ExamSubject.KNM else "B1",
                    attempt=attempt,
                    taken_on=on,
                    outcome=(ExamOutcome.BEHAALD if passed else ExamOutcome.NIET_BEHAALD).value,
                    recorded_by=actor,
                )
                if passed:
                    break
                attempt, on = attempt + 1, add_months(on, 3)


_MEETING_NOTES = [
    "",
    "Gaat goed naar de taalschool; huiswerk lukt.",
    "Kinderopvang nog niet geregeld; volgende keer bespreken.",
    "Vrijwilligerswerk bij de kringloop loopt goed.",
]


def _drafted_on(rng: random.Random, version: Row, earliest: dt.date, today: dt.date) -> dt.date:
    """A draft day some days before the version's first conversation or signature (never after it),
    not before `earliest` when there is room: the figures tell a PIP started in the AZC by it."""
    steps = [version[key] for key in ("discussed_on", "signed_by_client_on", "adopted_on") if version[key]]
    first_step = min(steps) if steps else today
    return min(first_step, max(earliest, first_step - dt.timedelta(days=rng.randint(3, 30))))


def _second_version(
    rows: DemoRows,
    rng: random.Random,
    pip: Row,
    first: Row,
    route: Leerroute,
    adopted: dt.date,
    today: dt.date,
    asylum: bool,
    housing: dt.date | None,
    actor: str,
    supervisor: str,
) -> Row:
    """A later version: a route switch within 18 months, or afschalen to A2 in the B1-route."""
    day = min(today - dt.timedelta(days=1), adopted + dt.timedelta(days=rng.randint(120, 400)))
    switch = route is not Leerroute.Z and day <= switch_deadline(adopted)
    if switch and route is Leerroute.B1 and rng.random() < 0.5:
        switch = False  # afschalen to A2 for some exam parts instead: the B1-route stays
    new_route = Leerroute.Z if switch else route
    second = _version(rows, rng, pip, 2, new_route, asylum, housing, actor)
    if switch:
        second["reason"] = ChangeReason.SCHAKELEN.value
        pip["switched"] = True
    else:
        second["reason"] = (ChangeReason.AFSCHALEN if route is Leerroute.B1 else ChangeReason.OVERIG).value
        if route is Leerroute.B1:
            second["afschalen"] = True
            second["afschalen_parts"] = rng.sample(
                ["lezen", "luisteren", "schrijven", "spreken"], rng.randint(1, 2)
            )
            second["afschalen_months"] = 12
    _sign(second, day)
    second["state"] = PipState.VASTGESTELD.value
    second["adopted_on"], second["adopted_by"] = day, supervisor
    second["drafted_on"] = _drafted_on(rng, second, adopted + dt.timedelta(days=1), today)
    first["state"] = PipState.VERVANGEN.value
    pip["in_force_number"] = 2
    return second


def demo_pip_rows(rows: DemoRows, client: DemoClient, rng: random.Random, today: dt.date) -> None:
    """The PIP's part of a demo client (app/services/demo.py): a PIP for obliged adults who concluded
    their intake, none for children."""
    if not is_obliged(client.row["birth_date"], today):
        return
    # A PIP follows the brede intake: only after a concluded intake, with the route chosen there
    # (the intake filler leaves its row on the client).
    intake = client.intake
    if intake is None or intake["status"] != IntakeStatus.CONCLUDED.value or not intake["chosen_route"]:
        return
    answers = intake["answers"] or {}
    score_text = str((answers.get("toets_score") or {}).get("value") or "")
    advice = (
        Leerroute(intake["advised_route"]) if intake["advised_route"] else None,
        int(score_text) if score_text.isdigit() else None,
        intake["route_justification"] or "",
    )
    demo_pip_row(rows, client, rng, today, route=Leerroute(intake["chosen_route"]), from_intake=advice)
