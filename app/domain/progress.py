"""Progress during the term as records (DOMAIN.md "More rules: Progress", "Z-route"; the deadline
table's "voortgangsgesprek" row): voortgangsgesprekken with their outcome and next date, the MAP and
the PVT with a start and a completion, exam results per part and attempt, and the Z-route's hours as
running totals against 800 hours and the term. Pure rules: every refusal is one Dutch sentence.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.domain.deadlines import add_months
from app.domain.enums import Leerroute
from app.i18n import N_, _

# DOMAIN.md "Z-route": at least 800 hours of language and KNM, and for asylum statushouders at
# least 800 hours of participation on top.
Z_ROUTE_TARGET_HOURS = 800
# No single registration is plausibly larger: a typo (8000 for 80) is refused, not counted.
MAX_HOURS_PER_ENTRY = 800


class MeetingOutcome(enum.StrEnum):
    VOLGENS_PLAN = "volgens_plan"
    EXTRA_STEUN = "extra_steun"
    PIP_AANPASSEN = "pip_aanpassen"
    NIET_VERSCHENEN = "niet_verschenen"


MEETING_OUTCOME_LABELS: dict[MeetingOutcome, str] = {
    MeetingOutcome.VOLGENS_PLAN: N_("verloopt volgens plan"),
    MeetingOutcome.EXTRA_STEUN: N_("extra ondersteuning nodig"),
    MeetingOutcome.PIP_AANPASSEN: N_("PIP aanpassen (nieuwe versie)"),
    MeetingOutcome.NIET_VERSCHENEN: N_("inburgeraar niet verschenen"),
}


class ModuleKind(enum.StrEnum):
    MAP = "map"
    PVT = "pvt"


MODULE_LABELS: dict[ModuleKind, str] = {
    ModuleKind.MAP: N_("Module Arbeidsmarkt en Participatie (MAP)"),
    ModuleKind.PVT: N_("Participatieverklaringstraject (PVT)"),
}


class ExamSubject(enum.StrEnum):
    """The exam parts of DOMAIN.md "Progress": four language skills and KNM."""

    LEZEN = "lezen"
    LUISTEREN = "luisteren"
    SCHRIJVEN = "schrijven"
    SPREKEN = "spreken"
    KNM = "knm"


EXAM_SUBJECT_LABELS: dict[ExamSubject, str] = {
    ExamSubject.LEZEN: N_("lezen"),
    ExamSubject.LUISTEREN: N_("luisteren"),
    ExamSubject.SCHRIJVEN: N_("schrijven"),
    ExamSubject.SPREKEN: N_("spreken"),
    ExamSubject.KNM: N_("KNM"),
}


class ExamLevel(enum.StrEnum):
    B1 = "B1"
    A2 = "A2"


class ExamOutcome(enum.StrEnum):
    BEHAALD = "behaald"
    NIET_BEHAALD = "niet_behaald"


EXAM_OUTCOME_LABELS: dict[ExamOutcome, str] = {
    ExamOutcome.BEHAALD: N_("behaald"),
    ExamOutcome.NIET_BEHAALD: N_("niet behaald"),
}


class HoursKind(enum.StrEnum):
    LANGUAGE_KNM = "language_knm"
    PARTICIPATION = "participation"


HOURS_LABELS: dict[HoursKind, str] = {
    HoursKind.LANGUAGE_KNM: N_("taal en KNM"),
    HoursKind.PARTICIPATION: N_("participatie"),
}


# -- voortgangsgesprekken --------------------------------------------------------------------------


def next_meeting_due(
    last_meeting: dt.date | None, first_adoption: dt.date | None, interval_months: int
) -> dt.date | None:
    """The day the next voortgangsgesprek is due: the PIP's interval after the last one, or after
    the first adoption when none was held (DOMAIN.md deadline table: counted from the last
    conversation)."""
    start = last_meeting or first_adoption
    if start is None or interval_months <= 0:
        return None
    return add_months(start, interval_months)


def meeting_overdue(
    last_meeting: dt.date | None, first_adoption: dt.date | None, interval_months: int, today: dt.date
) -> bool:
    """ "Voortgangsgesprek te laat": the due day has passed without a meeting."""
    due = next_meeting_due(last_meeting, first_adoption, interval_months)
    return due is not None and due < today


def meeting_problems(
    on: dt.date, next_on: dt.date | None, first_adoption: dt.date | None, today: dt.date
) -> list[str]:
    problems: list[str] = []
    if first_adoption is None:
        problems.append(_("Een voortgangsgesprek hoort bij een vastgesteld PIP; stel eerst het PIP vast."))
    if on > today:
        problems.append(
            _(
                "Een voortgangsgesprek in de toekomst kan niet als gehouden gelden; kies de datum van het gesprek."
            )
        )
    elif first_adoption is not None and on < first_adoption:
        problems.append(
            _("Het gesprek ligt voor de vaststelling van het PIP; kies een datum op of na {day}.").format(
                day=first_adoption.strftime("%d-%m-%Y")
            )
        )
    if next_on is not None and next_on <= on:
        problems.append(_("Het volgende gesprek moet na dit gesprek liggen; kies een latere datum."))
    return problems


# -- MAP and PVT -----------------------------------------------------------------------------------


def module_problems(started_on: dt.date | None, completed_on: dt.date | None, today: dt.date) -> list[str]:
    problems: list[str] = []
    if started_on is not None and started_on > today:
        problems.append(_("De startdatum ligt in de toekomst; vul die in als de module begonnen is."))
    if completed_on is not None:
        if completed_on > today:
            problems.append(_("De afrondingsdatum ligt in de toekomst; vul die in als de module af is."))
        if started_on is None:
            problems.append(
                _("Een module kan pas afgerond zijn als ze begonnen is; vul eerst de startdatum in.")
            )
        elif completed_on < started_on:
            problems.append(_("De module is afgerond voordat ze begon; controleer de data."))
    return problems


# -- exams -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExamAttempt:
    subject: ExamSubject
    attempt: int
    taken_on: dt.date
    outcome: ExamOutcome
    level: ExamLevel | None = None


def next_attempt(earlier: Iterable[ExamAttempt], subject: ExamSubject) -> int:
    """Attempts are numbered per exam part, from 1."""
    return 1 + max((a.attempt for a in earlier if a.subject is subject), default=0)


def exam_problems(
    new: ExamAttempt,
    earlier: Sequence[ExamAttempt],
    route: Leerroute | None,
    afgeschaald: Iterable[str],
    today: dt.date,
) -> list[str]:
    """Refusals for a new exam result; `afgeschaald` are the parts the PIP in force lowers to A2."""
    problems: list[str] = []
    subject_label = _(EXAM_SUBJECT_LABELS[new.subject])
    if route is Leerroute.Z:
        # DOMAIN.md "Z-route": progress is counted in hours, there is no exam.
        problems.append(_("De Z-route kent geen examen; registreer de uren taal en KNM in plaats daarvan."))
        return problems
    if new.taken_on > today:
        problems.append(_("Een examen in de toekomst heeft nog geen uitslag; kies de datum van het examen."))
    if new.subject is ExamSubject.KNM:
        if new.level is not None:
            problems.append(_("KNM heeft geen taalniveau; laat het niveau leeg."))
    elif new.level is None:
        problems.append(_("Kies het niveau van het examen voor {part}: B1 of A2.").format(part=subject_label))
    elif new.level is ExamLevel.A2 and new.subject.value not in set(afgeschaald):
        # DOMAIN.md "The law, step by step" 3: afschalen to A2 is decided per exam part in the PIP.
        problems.append(
            _(
                "Voor {part} is niet afgeschaald naar A2 in het geldende PIP; kies B1 of leg het afschalen vast."
            ).format(part=subject_label)
        )
    same = [a for a in earlier if a.subject is new.subject]
    expected = next_attempt(same, new.subject)
    if new.attempt != expected:
        problems.append(
            _("Dit is poging {expected} voor {part}, niet poging {attempt}; pas het nummer aan.").format(
                expected=expected, part=subject_label, attempt=new.attempt
            )
        )
    if any(a.outcome is ExamOutcome.BEHAALD and a.level in (new.level, ExamLevel.B1) for a in same):
        problems.append(
            _("{part} is al behaald; een nieuwe poging is niet nodig.").format(part=subject_label)
        )
    last = max((a.taken_on for a in same), default=None)
    if last is not None and new.taken_on < last:
        problems.append(
            _("Deze poging ligt voor de vorige poging voor {part} ({day}); controleer de datum.").format(
                part=subject_label, day=last.strftime("%d-%m-%Y")
            )
        )
    return problems


def failed_attempts(attempts: Iterable[ExamAttempt], subject: ExamSubject) -> int:
    """Failed attempts of one part: what DUO's exemption for demonstrable efforts looks at."""
    return sum(1 for a in attempts if a.subject is subject and a.outcome is ExamOutcome.NIET_BEHAALD)


# -- the Z-route's hours ---------------------------------------------------------------------------


def hours_problems(
    kind: HoursKind,
    hours: int,
    period_start: dt.date,
    period_end: dt.date,
    route: Leerroute | None,
    asylum: bool,
    today: dt.date,
) -> list[str]:
    problems: list[str] = []
    if route is not Leerroute.Z:
        problems.append(_("Uren worden alleen in de Z-route geteld; de leerroute van dit PIP is een andere."))
    if kind is HoursKind.PARTICIPATION and not asylum:
        # DOMAIN.md "Z-route": the 800 hours of participation are for asylum statushouders.
        problems.append(_("Participatie-uren horen alleen bij asielstatushouders in de Z-route."))
    if hours <= 0:
        problems.append(_("Het aantal uren moet groter zijn dan nul; vul de gevolgde uren in."))
    elif hours > MAX_HOURS_PER_ENTRY:
        problems.append(
            _("{hours} uur in één periode is te veel; vul de uren per maand of per blok in.").format(
                hours=hours
            )
        )
    if period_end < period_start:
        problems.append(_("De periode eindigt voordat ze begint; controleer de data."))
    if period_end > today:
        problems.append(_("De periode loopt nog; registreer de uren als de periode voorbij is."))
    return problems


@dataclass(frozen=True)
class HoursTotal:
    kind: HoursKind
    hours: int
    target: int
    # What is expected by today if the hours are spread over the term (None: no term yet).
    expected_by_now: int | None

    @property
    def remaining(self) -> int:
        return max(0, self.target - self.hours)

    @property
    def reached(self) -> bool:
        return self.hours >= self.target

    @property
    def behind(self) -> bool:
        return self.expected_by_now is not None and self.hours < self.expected_by_now


def hours_totals(
    entries: Iterable[tuple[HoursKind, int]],
    asylum: bool,
    term_start: dt.date | None,
    term_end: dt.date | None,
    today: dt.date,
) -> tuple[HoursTotal, ...]:
    """Running totals per kind against 800 hours, and what the term asks by today."""
    sums = {kind: 0 for kind in HoursKind}
    for kind, hours in entries:
        sums[kind] += hours
    kinds = [HoursKind.LANGUAGE_KNM] + ([HoursKind.PARTICIPATION] if asylum else [])
    expected: int | None = None
    if term_start is not None and term_end is not None and term_end > term_start:
        length = (term_end - term_start).days + 1
        elapsed = min(max((today - term_start).days + 1, 0), length)
        expected = Z_ROUTE_TARGET_HOURS * elapsed // length
    return tuple(HoursTotal(kind, sums[kind], Z_ROUTE_TARGET_HOURS, expected) for kind in kinds)
