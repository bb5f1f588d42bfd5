"""Deterministic, plausible demo intakes in several states (a demo filler for app/services/demo.py)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from sqlalchemy.orm import Session

from app.domain.dates import InvalidDate, PartialDate
from app.domain.enums import Leerroute, Role
from app.domain.intake_rules import (
    DEFAULT_CESUUR,
)
from app.forms import (
    default_registry,
    is_empty,
)
from app.i18n import _
from app.models.client import Client
from app.models.intake import Intake, IntakeSession, IntakeStatus, InterpreterKind, Place
from app.services.demo_rows import DemoClient, DemoRows, age_on, display_name, write_for_session
from app.services.intake.advice import advice_from, conclude_record
from app.services.intake.records import IntakeRefused, IntakeSettings

_DEMO_JOBS = (
    "kapper",
    "lasser",
    "verpleegkundige",
    "boer",
    "leraar",
    "chauffeur",
    "kok",
    "naaister",
    "monteur",
)
_DEMO_AMBITIONS = (
    "Werken in de zorg en een eigen huis.",
    "Mijn diploma laten erkennen en als leraar werken.",
    "Een eigen kapperszaak beginnen.",
    "Goed Nederlands spreken met de school van mijn kinderen.",
    "Rijbewijs halen en als chauffeur werken.",
)
_ORIGINAL_SCRIPT_LANGUAGES = {"ar", "fa", "fa_AF", "ti"}


def fill_demo_intake(session: Session, client: Client, rng: random.Random, today: dt.date) -> None:
    """`demo_intake_rows` for a stored client, written on the session's transaction."""
    write_for_session(session, lambda rows: demo_intake_rows(rows, DemoClient.of(client), rng, today))


def demo_intake_rows(rows: DemoRows, demo: DemoClient, rng: random.Random, today: dt.date) -> None:
    """A plausible intake for an adult demo client, chosen by `rng`: none, just started, half done or
    concluded with a route. Deterministic for the same rng state (called by app/services/demo.py)."""
    client, case = demo.row, demo.case
    try:
        age = PartialDate.parse(client["birth_date"]).age_on(today)
    except InvalidDate:
        return
    roll = rng.random()
    housing = case["huisvestingsdatum"] if case is not None else None
    if housing is not None and (today - housing).days > 30:
        # Housed for a while: nearly everyone has had the brede intake by now (a PIP needs it).
        stage = 0 if roll < 0.05 else 1 if roll < 0.1 else 2 if roll < 0.2 else 3
    else:
        stage = 0 if roll < 0.3 else 1 if roll < 0.55 else 2 if roll < 0.8 else 3
    if age < 18 or stage == 0:
        return
    years = rng.choice([0, 2, 4, 6, 8, 9, 10, 12, 12, 14, 16])
    language = (client["languages"] or ["ar"])[0]
    a: dict[str, Any] = {
        "naam_latijns": display_name(client),
        "naam_origineel": client["name_original"] or "",
        "geboortedatum": client["birth_date"],
        "v_nummer": client["v_nummer"],
        "bsn": client["bsn"] or "",
        "doelgroep": client["target_group"],
        "woont_in_azc": case is None or case["huisvestingsdatum"] is None,
        "gezinssituatie": "alleen" if demo.members is None else rng.choice(["partner", "partner_kinderen"]),
        "huishoudleden": []
        if demo.members is None
        else [
            {
                "lid_naam": display_name(m),
                "lid_geboortedatum": m["birth_date"],
                "lid_in_nederland": True,
                "lid_relatie": "kind" if age_on(m, today) < 18 else "partner",
            }
            for m in demo.members
            if m["id"] != client["id"]
        ],
    }
    if case is not None and case["coa_location"] and a["woont_in_azc"]:
        a["coa_locatie"] = case["coa_location"]
    if stage >= 2:
        literacy = (
            "niet"
            if years < 4
            else "ander_schrift"
            if language in _ORIGINAL_SCRIPT_LANGUAGES and rng.random() < 0.5
            else "latijns"
        )
        level = (
            "geen"
            if years == 0
            else "basis"
            if years <= 6
            else "voortgezet"
            if years <= 12
            else rng.choice(["hoger", "universiteit"])
        )
        a |= {
            "jaren_onderwijs": str(years),
            "hoogste_opleiding": level,
            "gealfabetiseerd": literacy,
            "wil_studeren": age < 28 and years >= 10 and rng.random() < 0.6,
            "diplomas": [
                {
                    "diploma_naam": rng.choice(["Verpleegkunde", "Wiskunde", "Techniek", "Economie"]),
                    "diploma_land": client["nationality"] or "",
                    "diploma_jaar": str(today.year - rng.randint(3, 20)),
                    "diploma_gewaardeerd": rng.random() < 0.3,
                }
                for _ in range(rng.randint(1, 3) if years >= 12 else 0)
            ],
            "heeft_werkervaring": rng.random() < 0.7,
            "moedertaal": language,
            "niveau_nederlands": rng.choice(["geen", "a0", "a0", "a1", "a2"]),
            "documenttaal": language,
            "heeft_smartphone": rng.random() < 0.9,
            "digitale_vaardigheid": rng.randint(1, 5),
            "inkomen": ["bijstand"],
            "schulden": rng.random() < 0.15,
            "ambitie": rng.choice(_DEMO_AMBITIONS),
            "ervaren_gezondheid": rng.randint(2, 5),
            "psychische_klachten": rng.random() < 0.2,
        }
        if a["heeft_werkervaring"]:
            a["werkervaring"] = [
                {
                    "werk_beroep": rng.choice(_DEMO_JOBS),
                    "werk_land": client["nationality"] or "",
                    "werk_jaren": str(rng.randint(1, 15)),
                }
                for _ in range(rng.randint(1, 3))
            ]
        if client["target_group"] == "asiel":
            a["ontzorgen"] = "vaste_lasten"
    if stage >= 3:
        a["toets_afgenomen"] = rng.random() < 0.9
        if a["toets_afgenomen"]:
            a["toets_uitslag"] = "score" if rng.random() < 0.9 else "geen_uitslag"
            a["toets_datum"] = (today - dt.timedelta(days=rng.randint(20, 120))).isoformat()
            if a["toets_uitslag"] == "score":
                a["toets_score"] = str(max(0, min(40, int(rng.gauss(12 + years * 1.3, 6)))))
        if rng.random() < 0.2:
            a["andere_instrumenten"] = ["zrm"]
            a |= {
                f"zrm_{d}": rng.randint(2, 5)
                for d in ("financien", "dagbesteding", "huisvesting", "sociaal_netwerk")
            }
    definition = default_registry().latest()
    stamp = dt.datetime.combine(today, dt.time(9), dt.UTC).isoformat(timespec="seconds")
    answers = {
        k: {"value": v, "form_version": definition.version, "saved_at": stamp}
        for k, v in a.items()
        if not is_empty(v)
    }
    started = today - dt.timedelta(days=rng.randint(10, 60) * stage)
    intake = rows.add(
        Intake,
        id=uuid.UUID(int=rng.getrandbits(128), version=4),
        client_id=client["id"],
        form_id=definition.form_id,
        form_version=definition.version,
        started_on=started,
        status=IntakeStatus.OPEN.value,
        cesuur=DEFAULT_CESUUR,
        answers=answers,
        completed_sections=[s.id for s in definition.sections[: 2 + 5 * (stage - 1)]],
        advice_reasons=[],
    )
    interpreted = language not in ("nl", "en")
    for number in range(min(stage, 2)):
        place = rng.choice(
            [Place.AZC, Place.GEMEENTEHUIS, Place.TELEFOON] if a["woont_in_azc"] else list(Place)
        )
        rows.add(
            IntakeSession,
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            intake_id=intake["id"],
            held_on=started + dt.timedelta(days=14 * number),
            place=place.value,
            participants=[],
            interpreter_kind=(
                InterpreterKind.TOLK if rng.random() < 0.8 else InterpreterKind.SLEUTELPERSOON
            ).value
            if interpreted
            else InterpreterKind.NONE.value,
            interpreter_language=language if interpreted else None,
            interpreter_name=rng.choice(["A. Haddad", "S. Tesfay", "M. Rahimi", "L. Yilmaz"])
            if interpreted
            else None,
            interpreter_register=f"{rng.randint(10000, 99999)}" if interpreted else None,
        )
    if stage >= 2:
        intake["privacy_explained"], intake["privacy_explained_on"], intake["privacy_language"] = (
            True,
            started,
            language,
        )
        intake["privacy_interpreter_kind"] = (
            InterpreterKind.TOLK.value if interpreted else InterpreterKind.NONE.value
        )
    if stage == 3:
        _conclude(intake, client["birth_date"], rng, today)
    demo.intake = intake


def _conclude(row: dict[str, Any], birth_date: str, rng: random.Random, today: dt.date) -> None:
    """Conclude the intake by the real rules (on a record outside any session), as a klantmanager
    would; the row takes what the conclusion set."""
    intake = Intake(**row)
    settings = IntakeSettings()
    advice, facts = advice_from(intake, birth_date, settings, today)
    route, justification = advice.route or Leerroute.B1, ""
    if advice.route is None:
        justification = _("Gekozen in overleg met de inburgeraar.")
    elif advice.route is Leerroute.Z and rng.random() < 0.25:
        # As in cohort 2022: some municipalities chose the B1-route despite the test, with a reason.
        route = Leerroute.B1
        justification = _(
            "Werkervaring en motivatie wegen zwaarder dan de toetsuitslag; afschalen naar A2 kan."
        )
    try:
        conclude_record(
            intake,
            birth_date,
            route,
            justification,
            "demo",
            Role.KLANTMANAGER,
            settings,
            today,
            advice,
            facts,
        )
    except IntakeRefused:
        return  # stays open: demo data may show an intake that cannot be concluded yet
    row.update((key, getattr(intake, key)) for key in row)
