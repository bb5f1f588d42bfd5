"""The legal deadlines of the Wet inburgering 2021: pure functions over `datetime.date`.

How periods are counted (one rule for all of them, see docs/pip.md):

* A period "N after an event" starts on the day after the event and its last day is the day with the
  same day number N later. 10 weeks after housing on Monday 4 March is Monday 13 May.
* Months: the same day number N months later; when that month is shorter, the last day of that
  month. 31 August + 6 months = 28 February (29 February in a leap year); 29 February + 3 years
  = 28 February. Years are 12 months, so they follow the same rule.
* A deadline date is the last day on which the thing is still on time; the day after it is late.

No Qt, no database: the service gathers the dates, these functions decide.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from app.domain.wording import has_words
from app.i18n import N_, _


@dataclass(frozen=True)
class DeadlineSettings:
    """The legal values (defaults from DOMAIN.md); a municipality changes only the municipal ones."""

    pip_due_weeks: int = 10
    term_months: int = 36
    switch_months: int = 18
    ontzorgen_months: int = 6
    # Municipal choice: how often a voortgangsgesprek is held.
    progress_interval_months: int = 3
    # A deadline within this many days is "binnenkort".
    due_soon_days: int = 14
    # Municipal cap on all extensions of the term together (a supervisor decides each one).
    max_extension_months: int = 24


DEFAULT_SETTINGS = DeadlineSettings()


@functools.lru_cache(maxsize=1 << 14)  # the caseload asks it for the same days over and over
def add_months(day: dt.date, months: int) -> dt.date:
    """The same day number `months` later (or earlier); clamped to the last day of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def period_end(start: dt.date, months: int) -> dt.date:
    """Last day of a period of `months` that starts on (and includes) `start`: the day before the
    same day number `months` later; when that day does not exist (29-31 in a shorter month), the
    period ends on the last day of that month. Start 2025-03-01, 36 months: 2028-02-29; start
    2024-02-29, 36 months: 2027-02-28."""
    target = add_months(start, months)
    if target.day < start.day:  # clamped: the same day does not exist in that month
        return target
    return target - dt.timedelta(days=1)


@dataclass(frozen=True)
class TermExtension:
    """A registered extension of the inburgeringstermijn (verlenging)."""

    months: int = 0
    days: int = 0
    reason: str = ""


def pip_due_date(housing: dt.date | None, settings: DeadlineSettings = DEFAULT_SETTINGS) -> dt.date | None:
    """Last day to adopt the PIP: 10 weeks after housing in the municipality.

    None while the housing date is unknown (still in the AZC): the 10 weeks only start at housing;
    `why_no_pip_due_date` gives the sentence to show.
    """
    if housing is None:
        return None
    return housing + dt.timedelta(weeks=settings.pip_due_weeks)


def why_no_pip_due_date() -> str:
    return _(
        "Er is nog geen huisvestingsdatum bekend; de termijn van 10 weken voor het PIP begint "
        "pas bij huisvesting in de gemeente."
    )


def term_start(first_adoption: dt.date) -> dt.date:
    """The inburgeringstermijn starts on the day after the first PIP was adopted (vastgesteld)."""
    return first_adoption + dt.timedelta(days=1)


def term_end(
    first_adoption: dt.date,
    extensions: Iterable[TermExtension] = (),
    settings: DeadlineSettings = DEFAULT_SETTINGS,
) -> dt.date:
    """Last day of the term: start + 3 years - 1 day, plus every registered extension.

    Counted from the start (the day after the first adoption), not from the adoption itself, so
    adopted 2025-02-28 gives 2025-03-01 ... 2028-02-29 (DOMAIN.md "Deadlines"). Later PIP versions,
    objection and appeal do not move it; only extensions do. The months of all extensions are added
    in one step, so the order they were registered in cannot change the result.
    """
    extensions = tuple(extensions)
    months = settings.term_months + sum(ext.months for ext in extensions)
    days = sum(ext.days for ext in extensions)
    return period_end(term_start(first_adoption), months) + dt.timedelta(days=days)


def switch_deadline(first_adoption: dt.date, settings: DeadlineSettings = DEFAULT_SETTINGS) -> dt.date:
    """Last day to switch route (schakelen): 18 months counted from the start of the term (start +
    18 months - 1 day, the same count as the term itself)."""
    return period_end(term_start(first_adoption), settings.switch_months)


def extension_problems(
    months: int,
    days: int,
    reason: str,
    earlier: Iterable[TermExtension],
    settings: DeadlineSettings = DEFAULT_SETTINGS,
) -> list[str]:
    """Why an extension of the term cannot be registered (empty: it can). Every extension needs a
    reason, and all of them together stay within the municipality's cap (in months; days count as
    parts of a month of 30 days so a cap cannot be crept past in days)."""
    problems: list[str] = []
    if months < 0 or days < 0 or months + days == 0:
        problems.append(
            _("Een verlenging is een positief aantal maanden of dagen; vul de verlenging opnieuw in.")
        )
    if not has_words(reason):
        problems.append(_("Een verlenging heeft een reden nodig; schrijf waarom de termijn langer wordt."))
    earlier = tuple(earlier)
    total_months = months + sum(e.months for e in earlier)
    total_days = days + sum(e.days for e in earlier)
    if total_months * 30 + total_days > settings.max_extension_months * 30:
        problems.append(
            _(
                "Samen met eerdere verlengingen wordt de termijn meer dan {cap} maanden verlengd; "
                "dat staat de gemeente niet toe."
            ).format(cap=settings.max_extension_months)
        )
    return problems


def ontzorgen_applies_to(target_group: str, benefit: str | None) -> bool:
    """Ontzorgen is for asylum statushouders (nareizigers included) on bijstand (Wi2021 art. 30,
    DOMAIN.md "Ontzorgen"). While no benefit is recorded (in the AZC) it is still planned; once
    another benefit or own income is recorded it is not, and neither are its dates."""
    return target_group == "asiel" and benefit in (None, "", "bijstand")


def ontzorgen_start(housing: dt.date | None, benefit_start: dt.date | None) -> dt.date | None:
    """Ontzorgen starts on the first day of the bijstand benefit; before that is known, at housing
    (DOMAIN.md "More rules": a housing date or benefit start that arrives later moves the dates)."""
    return benefit_start or housing


def ontzorgen_end(start: dt.date | None, settings: DeadlineSettings = DEFAULT_SETTINGS) -> dt.date | None:
    """Last day of ontzorgen: six months from its first day (start + 6 months - 1 day; None if unknown)."""
    if start is None:
        return None
    return period_end(start, settings.ontzorgen_months)


def next_progress_meeting(
    last_meeting: dt.date | None,
    first_adoption: dt.date | None,
    settings: DeadlineSettings = DEFAULT_SETTINGS,
) -> dt.date | None:
    """The next voortgangsgesprek: the interval after the last one, or after adoption if none was held."""
    start = last_meeting or first_adoption
    if start is None:
        return None
    return add_months(start, settings.progress_interval_months)


class DeadlineKind(enum.StrEnum):
    PIP_DUE = "pip_vaststellen"
    TERM_END = "einde_termijn"
    SWITCH = "laatste_dag_schakelen"
    ONTZORGEN_END = "einde_ontzorgen"
    PROGRESS_MEETING = "voortgangsgesprek"


DEADLINE_LABELS: dict[DeadlineKind, str] = {
    DeadlineKind.PIP_DUE: N_("PIP vaststellen"),
    DeadlineKind.TERM_END: N_("Einde inburgeringstermijn"),
    DeadlineKind.SWITCH: N_("Laatste dag schakelen"),
    DeadlineKind.ONTZORGEN_END: N_("Einde ontzorgen"),
    DeadlineKind.PROGRESS_MEETING: N_("Voortgangsgesprek"),
}


class DeadlineState(enum.StrEnum):
    OP_TIJD = "op_tijd"
    BINNENKORT = "binnenkort"
    TE_LAAT = "te_laat"


STATE_LABELS: dict[DeadlineState, str] = {
    DeadlineState.OP_TIJD: N_("op tijd"),
    DeadlineState.BINNENKORT: N_("binnenkort"),
    DeadlineState.TE_LAAT: N_("te laat"),
}


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due: dt.date
    # Some dates simply pass (the last day to switch, the end of ontzorgen); they are never "te laat".
    can_be_late: bool = True

    @property
    def label(self) -> str:
        return _(DEADLINE_LABELS[self.kind])


@dataclass(frozen=True)
class DeadlineStatus:
    deadline: Deadline
    days_left: int
    state: DeadlineState

    @property
    def kind(self) -> DeadlineKind:
        return self.deadline.kind

    @property
    def due(self) -> dt.date:
        return self.deadline.due

    @property
    def state_label(self) -> str:
        return _(STATE_LABELS[self.state])


@dataclass(frozen=True)
class ClientDeadlineFacts:
    """What the deadlines of one client depend on; the service fills it from the store."""

    housing: dt.date | None = None
    first_adoption: dt.date | None = None
    # The current PIP is adopted (vastgesteld) and in force. False while only a concept exists, or
    # after the PIP was withdrawn.
    pip_in_force: bool = False
    asylum: bool = True
    extensions: Sequence[TermExtension] = field(default_factory=tuple)
    last_progress_meeting: dt.date | None = None
    # The interval the PIP in force sets (its monitoring part); None: the municipal setting.
    progress_interval_months: int | None = None
    # The leerroute was switched already; the last day to switch is then no longer worth watching.
    switched: bool = False
    # The first day of the bijstand benefit, when known (ontzorgen counts from it).
    benefit_start: dt.date | None = None
    # DUO's exemption (ontheffing, app/domain/decisions.py): the day the whole duty ended, and the
    # exam parts exempted one by one (the duty goes on for the others).
    exempted_on: dt.date | None = None
    exempt_parts: frozenset[str] = frozenset()


def why_no_duty_deadlines(exempted_on: dt.date) -> str:
    return _(
        "DUO heeft op {date} ontheffing van de hele inburgeringsplicht verleend; de termijnen van de "
        "plicht (PIP, einde termijn, schakelen, voortgangsgesprekken) vervallen."
    ).format(date=exempted_on.strftime("%d-%m-%Y"))


def client_deadlines(
    facts: ClientDeadlineFacts, settings: DeadlineSettings = DEFAULT_SETTINGS
) -> tuple[list[Deadline], list[str]]:
    """Every deadline that applies to the client, and for each missing one a Dutch reason."""
    deadlines: list[Deadline] = []
    notes: list[str] = []
    if facts.exempted_on is not None:
        # The duty ended: nothing of it can be late any more. Ontzorgen belongs to the benefit and
        # runs its six months (it never becomes "te laat").
        notes.append(why_no_duty_deadlines(facts.exempted_on))
    elif not facts.pip_in_force:
        due = pip_due_date(facts.housing, settings)
        if due is not None:
            deadlines.append(Deadline(DeadlineKind.PIP_DUE, due))
        elif facts.first_adoption is None:
            notes.append(why_no_pip_due_date())
    if facts.first_adoption is not None and facts.exempted_on is None:
        deadlines.append(
            Deadline(DeadlineKind.TERM_END, term_end(facts.first_adoption, facts.extensions, settings))
        )
        if not facts.switched:
            deadlines.append(
                Deadline(
                    DeadlineKind.SWITCH, switch_deadline(facts.first_adoption, settings), can_be_late=False
                )
            )
    if facts.pip_in_force and facts.exempted_on is None:
        interval = facts.progress_interval_months or settings.progress_interval_months
        meeting = next_progress_meeting(
            facts.last_progress_meeting,
            facts.first_adoption,
            replace(settings, progress_interval_months=interval),
        )
        if meeting is not None:
            deadlines.append(Deadline(DeadlineKind.PROGRESS_MEETING, meeting))
    if facts.asylum:
        end = ontzorgen_end(ontzorgen_start(facts.housing, facts.benefit_start), settings)
        if end is not None:
            deadlines.append(Deadline(DeadlineKind.ONTZORGEN_END, end, can_be_late=False))
    deadlines.sort(key=lambda d: d.due)
    return deadlines, notes


def deadline_status(
    deadline: Deadline, today: dt.date, settings: DeadlineSettings = DEFAULT_SETTINGS
) -> DeadlineStatus:
    days_left = (deadline.due - today).days
    if days_left < 0:
        state = DeadlineState.TE_LAAT
    elif days_left <= settings.due_soon_days:
        state = DeadlineState.BINNENKORT
    else:
        state = DeadlineState.OP_TIJD
    return DeadlineStatus(deadline, days_left, state)


def next_deadline(
    facts: ClientDeadlineFacts, today: dt.date, settings: DeadlineSettings = DEFAULT_SETTINGS
) -> DeadlineStatus | None:
    """The deadline that needs attention first: a missed one before anything still to come.

    Dates that simply pass (end of ontzorgen, last day to switch) drop out once passed.
    """
    deadlines, _notes = client_deadlines(facts, settings)
    candidates = [d for d in deadlines if d.can_be_late or d.due >= today]
    if not candidates:
        return None
    return deadline_status(min(candidates, key=lambda d: d.due), today, settings)
