"""The life of a PIP version: concept → besproken → ondertekend → vastgesteld (→ ingetrokken).

Pure rules over plain values; the service applies them to stored versions. Every refusal is a
`PipRefused` whose message is one Dutch sentence saying what is wrong and what to do.

Versions: an adopted (vastgesteld) version is never changed again. A change makes a new version
with a reason; when that version is adopted, the previous one becomes "vervangen".
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.domain.deadlines import DEFAULT_SETTINGS, DeadlineSettings, switch_deadline
from app.domain.enums import Leerroute, Role
from app.domain.errors import WegwijsError
from app.domain.intake_rules import route_deviates_from_test
from app.domain.wording import has_words
from app.i18n import N_, _


class PipRefused(WegwijsError, ValueError):
    """A refused step; str(error) is the Dutch sentence to show."""


class PipState(enum.StrEnum):
    CONCEPT = "concept"
    BESPROKEN = "besproken"
    ONDERTEKEND = "ondertekend"
    VASTGESTELD = "vastgesteld"
    INGETROKKEN = "ingetrokken"
    # A later version was adopted; this one stays readable as history.
    VERVANGEN = "vervangen"


STATE_LABELS: dict[PipState, str] = {
    PipState.CONCEPT: N_("concept"),
    PipState.BESPROKEN: N_("besproken"),
    PipState.ONDERTEKEND: N_("ondertekend"),
    PipState.VASTGESTELD: N_("vastgesteld"),
    PipState.INGETROKKEN: N_("ingetrokken"),
    PipState.VERVANGEN: N_("vervangen"),
}


class PipAction(enum.StrEnum):
    BESPREKEN = "bespreken"
    ONDERTEKENEN = "ondertekenen"
    VASTSTELLEN = "vaststellen"
    INTREKKEN = "intrekken"
    # Back to concept to change something; signatures given so far lapse.
    HEROPENEN = "heropenen"


ACTION_LABELS: dict[PipAction, str] = {
    PipAction.BESPREKEN: N_("Besproken met inburgeraar"),
    PipAction.ONDERTEKENEN: N_("Ondertekend"),
    PipAction.VASTSTELLEN: N_("Vaststellen"),
    PipAction.INTREKKEN: N_("Intrekken"),
    PipAction.HEROPENEN: N_("Terug naar concept"),
}

_TRANSITIONS: dict[tuple[PipState, PipAction], PipState] = {
    (PipState.CONCEPT, PipAction.BESPREKEN): PipState.BESPROKEN,
    (PipState.BESPROKEN, PipAction.ONDERTEKENEN): PipState.ONDERTEKEND,
    (PipState.ONDERTEKEND, PipAction.VASTSTELLEN): PipState.VASTGESTELD,
    (PipState.VASTGESTELD, PipAction.INTREKKEN): PipState.INGETROKKEN,
    (PipState.BESPROKEN, PipAction.HEROPENEN): PipState.CONCEPT,
    (PipState.ONDERTEKEND, PipAction.HEROPENEN): PipState.CONCEPT,
}


class ChangeReason(enum.StrEnum):
    EERSTE = "eerste"  # the first PIP of a client
    SCHAKELEN = "schakelen"
    AFSCHALEN = "afschalen"
    VERHUIZING = "verhuizing"
    BEZWAAR = "bezwaar"  # an objection was upheld (gegrond)
    OVERIG = "overig"


REASON_LABELS: dict[ChangeReason, str] = {
    ChangeReason.EERSTE: N_("eerste PIP"),
    ChangeReason.SCHAKELEN: N_("schakelen naar een andere leerroute"),
    ChangeReason.AFSCHALEN: N_("afschalen naar A2"),
    ChangeReason.VERHUIZING: N_("verhuizing naar een andere gemeente"),
    ChangeReason.BEZWAAR: N_("bezwaar gegrond verklaard"),
    ChangeReason.OVERIG: N_("overige wijziging"),
}


class ExamPart(enum.StrEnum):
    LEZEN = "lezen"
    LUISTEREN = "luisteren"
    SCHRIJVEN = "schrijven"
    SPREKEN = "spreken"


ROUTE_LABELS: dict[Leerroute, str] = {
    Leerroute.B1: N_("B1-route"),
    Leerroute.ONDERWIJS: N_("onderwijsroute"),
    Leerroute.Z: N_("zelfredzaamheidsroute (Z-route)"),
}


# For narrow places such as the caseload column.
ROUTE_SHORT_LABELS: dict[Leerroute, str] = {
    Leerroute.B1: N_("B1-route"),
    Leerroute.ONDERWIJS: N_("onderwijsroute"),
    Leerroute.Z: N_("Z-route"),
}


def route_short_msgid(route: Leerroute | str | None) -> str:
    """The message id of `route_short_label` ("" without a route)."""
    if route is None or route == "":
        return ""
    return ROUTE_SHORT_LABELS[Leerroute(route)]


def route_short_label(route: Leerroute | str | None) -> str:
    msgid = route_short_msgid(route)
    return _(msgid) if msgid else ""


def route_label(route: Leerroute | str | None) -> str:
    if route is None or route == "":
        return _("geen")
    return _(ROUTE_LABELS[Leerroute(route)])


@dataclass(frozen=True)
class PipFacts:
    """What the transition rules look at in one version's content."""

    chosen_route: Leerroute | None = None
    advised_route: Leerroute | None = None
    onderbouwing: str = ""
    final_goal: str = ""
    period_months: int | None = None
    reason: ChangeReason = ChangeReason.EERSTE
    previous_route: Leerroute | None = None
    afschalen: bool = False
    afschalen_parts: frozenset[ExamPart] = field(default_factory=frozenset)
    interpreter_present: bool = False
    signed_by_client: bool = False
    signed_by_klantmanager: bool = False
    signed_by_interpreter: bool = False
    # DUO's leerbaarheidstoets result as the intake recorded it ("haalbaar", "niet_haalbaar", ...).
    test_outcome: str | None = None
    # The explanation of a new version (the REASON text): every schakelen needs one.
    change_explanation: str = ""
    parts: PlanParts | None = None

    @property
    def deviates_from_advice(self) -> bool:
        return (
            self.advised_route is not None
            and self.chosen_route is not None
            and (self.chosen_route != self.advised_route)
        )

    @property
    def deviates_from_test(self) -> bool:
        """The route goes against the test: B1 or onderwijs on "niet haalbaar", Z on "haalbaar"."""
        return route_deviates_from_test(self.chosen_route, self.test_outcome)


@dataclass(frozen=True)
class PlanParts:
    """The parts the law requires in a PIP (DOMAIN.md section 4), as filled in a version."""

    asylum: bool = True
    term_months: int = 36
    map_hours: int | None = None
    pvt_hours: int | None = None
    guidance: str = ""  # the guidance and support, or an explicit "geen"
    maatschappelijke_begeleiding: bool = False
    preconditions: str = ""  # childcare and other preconditions, or an explicit "geen"
    childcare_needed: bool = False
    ontzorgen: bool = False
    ontzorgen_form: str | None = None
    ontzorgen_text: str = ""
    afschalen: bool = False
    afschalen_months: int | None = None
    monitoring: str = ""
    progress_interval_months: int | None = None
    agreements: int = 0
    taalschool: str = ""


@dataclass(frozen=True)
class TransitionContext:
    actor_role: Role
    today: dt.date
    # Municipal setting: may a klantmanager adopt (vaststellen) a PIP themselves?
    klantmanager_may_adopt: bool = False
    # The first adoption of this client's PIPs (for the 18-month limit on schakelen).
    first_adoption: dt.date | None = None
    settings: DeadlineSettings = DEFAULT_SETTINGS
    # The vier-ogenprincipe: who acts, and who drafted the version ("" when unknown: not checked).
    actor: str = ""
    drafted_by: str = ""
    # Municipal choice, on by default: a supervisor may not adopt their own draft either.
    four_eyes: bool = True


def allowed_actions(state: PipState) -> list[PipAction]:
    return [action for (source, action) in _TRANSITIONS if source == state]


def readiness_problems(facts: PipFacts) -> list[str]:
    """Everything that keeps a concept from being discussed; each item one Dutch sentence."""
    problems: list[str] = []
    if facts.chosen_route is None:
        problems.append(_("Er is nog geen leerroute gekozen; kies een leerroute."))
    if not facts.final_goal.strip():
        problems.append(_("Het einddoel ontbreekt; vul het einddoel van de leerroute in."))
    if not facts.period_months or facts.period_months < 1:
        problems.append(_("De termijn om het einddoel te halen ontbreekt; vul het aantal maanden in."))
    if facts.deviates_from_advice and not has_words(facts.onderbouwing):
        problems.append(
            _(
                "De gekozen leerroute ({chosen}) wijkt af van het advies ({advice}); schrijf een "
                "onderbouwing voordat het PIP besproken wordt."
            ).format(chosen=route_label(facts.chosen_route), advice=route_label(facts.advised_route))
        )
    elif facts.deviates_from_test and not has_words(facts.onderbouwing):
        # Also when the advice itself went against the test (DOMAIN.md "More rules").
        problems.append(
            _(
                "De gekozen leerroute ({chosen}) wijkt af van de uitslag van de leerbaarheidstoets "
                "({outcome}); schrijf een onderbouwing voordat het PIP besproken wordt."
            ).format(
                chosen=route_label(facts.chosen_route), outcome=_(OUTCOME_LABELS[facts.test_outcome or ""])
            )
        )
    if facts.reason is ChangeReason.SCHAKELEN and not has_words(facts.onderbouwing):
        problems.append(
            _(
                "Schakelen naar een andere leerroute vraagt een onderbouwing; schrijf waarom de route verandert."
            )
        )
    problems.extend(_reason_problems(facts))
    return problems


OUTCOME_LABELS: dict[str, str] = {
    "haalbaar": N_("haalbaar"),
    "niet_haalbaar": N_("niet haalbaar"),
    "": N_("onbekend"),
}


def missing_parts(facts: PipFacts) -> list[str]:
    """The legally required parts (DOMAIN.md section 4) still missing, each as a short Dutch name."""
    return [name for _section, name in missing_parts_by_section(facts)]


# The parts of the plan as the PIP editor groups them (its section list marks each).
PLAN_SECTIONS = ("route", "support", "map_pvt", "ontzorgen", "afschalen", "progress")


def missing_parts_by_section(facts: PipFacts) -> list[tuple[str, str]]:
    """`missing_parts`, each with the part of the plan (PLAN_SECTIONS) it belongs to."""
    p = facts.parts or PlanParts()
    missing: list[tuple[str, str]] = []
    if facts.chosen_route is None:
        missing.append(("route", _("de leerroute")))
    if not facts.final_goal.strip():
        missing.append(("route", _("het einddoel")))
    # A number that cannot be a period or an intensity (0 months, -3 hours) counts as not filled in.
    if not facts.period_months or facts.period_months < 1:
        missing.append(("route", _("de periode om het einddoel te halen")))
    elif facts.period_months > p.term_months:
        missing.append(
            (
                "route",
                _(
                    "een periode die in de termijn past ({months} maanden is langer dan de termijn van {term})"
                ).format(months=facts.period_months, term=p.term_months),
            )
        )
    if p.map_hours is None or p.map_hours < 0:
        missing.append(("map_pvt", _("de intensiteit van de MAP")))
    if p.pvt_hours is None or p.pvt_hours < 0:
        missing.append(("map_pvt", _("de intensiteit van het PVT")))
    if not p.guidance.strip() and not p.maatschappelijke_begeleiding:
        missing.append(("support", _("de begeleiding (of uitdrukkelijk 'geen')")))
    if not p.preconditions.strip() and not p.childcare_needed:
        missing.append(("support", _("de randvoorwaarden (of uitdrukkelijk 'geen')")))
    if p.asylum and not ((p.ontzorgen and p.ontzorgen_form) or p.ontzorgen_text.strip()):
        missing.append(("ontzorgen", _("hoe en hoe lang ontzorgen geldt")))
    if p.afschalen and (not p.afschalen_months or p.afschalen_months < 1):
        missing.append(("afschalen", _("hoe lang afschalen geldt")))
    if not p.monitoring.strip():
        missing.append(("progress", _("hoe de voortgang wordt gevolgd")))
    if not p.progress_interval_months or p.progress_interval_months < 1:
        missing.append(("progress", _("het interval van de voortgangsgesprekken")))
    if p.agreements < 1:
        missing.append(("progress", _("ten minste één afspraak")))
    if not p.taalschool.strip():
        if facts.chosen_route is Leerroute.ONDERWIJS:
            missing.append(("progress", _("de onderwijsinstelling")))
        else:
            missing.append(("progress", _("de taalschool")))
    return missing


def missing_parts_message(missing: list[str]) -> str:
    """All missing parts at once, in one Dutch sentence."""
    return _("Het PIP is nog niet compleet; vul eerst aan: {parts}.").format(parts="; ".join(missing))


def signature_date_problems(
    dates: dict[str, dt.date | None], drafted_on: dt.date | None, today: dt.date
) -> list[str]:
    """Signature dates are not in the future and not before the version was drafted."""
    problems: list[str] = []
    for who, day in dates.items():
        if day is None:
            continue
        if day > today:
            problems.append(
                _(
                    "De handtekening van {who} ligt in de toekomst ({date}); kies de dag van ondertekenen."
                ).format(who=who, date=day.isoformat())
            )
        elif drafted_on is not None and day < drafted_on:
            problems.append(
                _(
                    "De handtekening van {who} ({date}) ligt vóór de dag dat deze versie is opgesteld ({drafted}); "
                    "kies de dag van ondertekenen."
                ).format(who=who, date=day.isoformat(), drafted=drafted_on.isoformat())
            )
    return problems


def _reason_problems(facts: PipFacts) -> list[str]:
    problems: list[str] = []
    if facts.reason is ChangeReason.SCHAKELEN and facts.chosen_route == facts.previous_route:
        problems.append(
            _("Bij schakelen verandert de leerroute; kies een andere leerroute of kies een andere reden.")
        )
    if facts.reason is ChangeReason.VERHUIZING and facts.chosen_route != facts.previous_route:
        problems.append(
            _("Bij een verhuizing blijft de leerroute ({route}); zet de leerroute terug.").format(
                route=route_label(facts.previous_route)
            )
        )
    if facts.reason is ChangeReason.AFSCHALEN:
        if facts.chosen_route is not Leerroute.B1:
            problems.append(
                _("Afschalen naar A2 kan alleen in de B1-route; kies de B1-route of een andere reden.")
            )
        if not facts.afschalen or not facts.afschalen_parts:
            problems.append(_("Kies bij afschalen de examenonderdelen die naar A2 gaan."))
    elif facts.afschalen and facts.chosen_route is not Leerroute.B1:
        problems.append(_("Afschalen kan alleen in de B1-route; zet afschalen uit of kies de B1-route."))
    return problems


def check_switch_allowed(first_adoption: dt.date | None, today: dt.date, settings: DeadlineSettings) -> None:
    if first_adoption is None:
        return
    last_day = switch_deadline(first_adoption, settings)
    if today > last_day:
        raise PipRefused(
            _(
                "Schakelen kan alleen binnen {months} maanden na de start van de inburgeringstermijn "
                "(uiterlijk {date}); kies een andere reden voor de nieuwe versie."
            ).format(months=settings.switch_months, date=last_day.isoformat())
        )


def check_transition(state: PipState, action: PipAction, facts: PipFacts, ctx: TransitionContext) -> PipState:
    """The state after `action`, or PipRefused with the reason in Dutch."""
    target = _TRANSITIONS.get((state, action))
    if target is None:
        raise PipRefused(_illegal_message(state, action))
    if action is PipAction.BESPREKEN:
        problems = readiness_problems(facts)
        if problems:
            raise PipRefused(problems[0])
    elif action is PipAction.ONDERTEKENEN:
        missing = missing_parts(facts)
        if missing:
            raise PipRefused(missing_parts_message(missing))
        if not facts.signed_by_client:
            raise PipRefused(
                _("De handtekening van de inburgeraar ontbreekt; laat de inburgeraar eerst tekenen.")
            )
        if not facts.signed_by_klantmanager:
            raise PipRefused(_("De handtekening van de klantmanager ontbreekt; teken eerst zelf."))
        if facts.interpreter_present and not facts.signed_by_interpreter:
            raise PipRefused(_("Er was een tolk bij het gesprek; laat ook de tolk tekenen."))
    elif action in (PipAction.VASTSTELLEN, PipAction.INTREKKEN):
        check_may_adopt(action, ctx)
        if action is PipAction.VASTSTELLEN:
            missing = missing_parts(facts)
            if missing:
                raise PipRefused(missing_parts_message(missing))
        if action is PipAction.VASTSTELLEN and facts.reason is ChangeReason.SCHAKELEN:
            check_switch_allowed(ctx.first_adoption, ctx.today, ctx.settings)
    return target


def check_may_adopt(action: PipAction, ctx: TransitionContext) -> None:
    """Who may adopt or withdraw at all (the role and the municipal setting), then four-eyes."""
    if ctx.actor_role is Role.SUPERVISOR or (
        ctx.actor_role is Role.KLANTMANAGER and ctx.klantmanager_may_adopt
    ):
        if action is PipAction.VASTSTELLEN:
            check_four_eyes(ctx)
        return
    if action is PipAction.VASTSTELLEN:
        raise PipRefused(
            _(
                "Alleen een supervisor mag een PIP vaststellen in deze gemeente; "
                "vraag de teamleider om het vast te stellen."
            )
        )
    raise PipRefused(_("Alleen wie een PIP mag vaststellen, mag het ook intrekken; vraag de teamleider."))


def check_four_eyes(ctx: TransitionContext) -> None:
    """The adopter is not who drafted the version: never for a klantmanager (even where the
    municipality lets klantmanagers adopt), and for a supervisor unless the municipality turned
    the vier-ogenprincipe off."""
    if not ctx.actor.strip() or not ctx.drafted_by.strip():
        return
    if ctx.actor.strip().casefold() != ctx.drafted_by.strip().casefold():
        return
    if ctx.actor_role is Role.SUPERVISOR and not ctx.four_eyes:
        return
    raise PipRefused(
        _(
            "U hebt deze versie zelf opgesteld en mag haar daarom niet vaststellen (vier-ogenprincipe); "
            "laat een collega of de teamleider het PIP vaststellen."
        )
    )


def _illegal_message(state: PipState, action: PipAction) -> str:
    if state is PipState.VASTGESTELD:
        return _(
            "Dit PIP is al vastgesteld en kan niet meer veranderen; maak een nieuwe versie met een reden."
        )
    if state in (PipState.INGETROKKEN, PipState.VERVANGEN):
        return _("Deze versie is {state} en blijft alleen ter inzage; maak een nieuwe versie.").format(
            state=_(STATE_LABELS[state])
        )
    return _("Een PIP met de status '{state}' kan niet '{action}'; stap voor stap: {path}.").format(
        state=_(STATE_LABELS[state]),
        action=_(ACTION_LABELS[action]).lower(),
        path=" → ".join(_(STATE_LABELS[s]) for s in _MAIN_PATH),
    )


_MAIN_PATH = (PipState.CONCEPT, PipState.BESPROKEN, PipState.ONDERTEKEND, PipState.VASTGESTELD)


def check_editable(state: PipState) -> None:
    """Only a concept may change; everything later is refused with what to do instead."""
    if state is PipState.CONCEPT:
        return
    if state in (PipState.BESPROKEN, PipState.ONDERTEKEND):
        raise PipRefused(
            _("Dit PIP is al {state}; zet het terug naar concept om iets te wijzigen.").format(
                state=_(STATE_LABELS[state])
            )
        )
    if state is PipState.VASTGESTELD:
        raise PipRefused(
            _("Een vastgesteld PIP kan niet meer worden gewijzigd; maak een nieuwe versie met een reden.")
        )
    raise PipRefused(
        _("Deze versie is {state} en blijft alleen ter inzage; maak een nieuwe versie.").format(
            state=_(STATE_LABELS[state])
        )
    )


def check_new_version(
    latest_state: PipState | None,
    reason: ChangeReason,
    today: dt.date,
    first_adoption: dt.date | None,
    settings: DeadlineSettings = DEFAULT_SETTINGS,
) -> None:
    """May a new version with this reason be started now?"""
    if latest_state is None:
        if reason is not ChangeReason.EERSTE:
            raise PipRefused(_("Deze cliënt heeft nog geen PIP; begin met een eerste PIP."))
        return
    if reason is ChangeReason.EERSTE:
        raise PipRefused(_("Deze cliënt heeft al een PIP; kies de reden van de nieuwe versie."))
    if latest_state not in (PipState.VASTGESTELD, PipState.INGETROKKEN):
        raise PipRefused(
            _("De laatste versie is nog {state}; maak die eerst af of werk daarin verder.").format(
                state=_(STATE_LABELS[latest_state])
            )
        )
    if reason is ChangeReason.SCHAKELEN:
        check_switch_allowed(first_adoption, today, settings)


def check_change_explanation(reason: ChangeReason, explanation: str) -> None:
    """Every schakelen is explained (an empty reason is refused)."""
    if reason is ChangeReason.SCHAKELEN and not has_words(explanation):
        raise PipRefused(
            _(
                "Schakelen vraagt een onderbouwing; schrijf waarom de leerroute verandert en probeer het opnieuw."
            )
        )


# Versions that never change again: adopted, and what became of an adopted version.
IMMUTABLE_STATES = frozenset({PipState.VASTGESTELD, PipState.INGETROKKEN, PipState.VERVANGEN})
# The states of the version still being worked on (the draft).
DRAFT_STATES = frozenset({PipState.CONCEPT, PipState.BESPROKEN, PipState.ONDERTEKEND})


def is_immutable(state: PipState | str) -> bool:
    return PipState(state) in IMMUTABLE_STATES


def pip_draft(versions: Iterable[tuple[int, PipState | str]]) -> int | None:
    """The number of the draft: the latest version still concept, besproken or ondertekend and newer
    than every adopted one (an older unfinished version left behind is no draft). None if none."""
    listed = [(number, PipState(state)) for number, state in versions]
    drafts = [number for number, state in listed if state in DRAFT_STATES]
    if not drafts:
        return None
    newest = max(drafts)
    settled = [number for number, state in listed if state in IMMUTABLE_STATES]
    return newest if not settled or newest > max(settled) else None


def pip_in_force(versions: Iterable[tuple[int, PipState | str]]) -> int | None:
    """The number of the version in force: the latest adopted one that was not withdrawn (a withdrawn
    or replaced version is never in force; a later draft does not change which one is). None if none."""
    adopted = [number for number, state in versions if PipState(state) is PipState.VASTGESTELD]
    return max(adopted) if adopted else None
