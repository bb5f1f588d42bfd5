"""The caseload's views (mijn cliënten, te laat, ...), the flags they filter on, and their counts.

No SQLAlchemy and no store here: the start of the GUI paints the stored caseload with these before
the services load (issue 15, app/services/quick_start.py). app/services/pip/caseload.py computes a
client's flags with `caseload_flags` and re-exports this module's names.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.deadlines import (
    DEFAULT_SETTINGS,
    ClientDeadlineFacts,
    DeadlineSettings,
    DeadlineState,
    DeadlineStatus,
    ontzorgen_end,
)
from app.domain.progress import meeting_overdue
from app.i18n import N_, _
from app.services.caseload_row import ONTZORGEN_ENDING_DAYS, CaseloadFlags

# -- caseload views and counts -------------------------------------------------------------------


class CaseloadView(enum.StrEnum):
    ALLE = "alle"
    MIJN = "mijn"
    TE_LAAT = "te_laat"
    BINNEN_TWEE_WEKEN = "binnen_twee_weken"
    AZC_ZONDER_PIP = "azc_zonder_pip"
    ONTZORGEN_LOOPT_AF = "ontzorgen_loopt_af"
    GESPREK_TE_LAAT = "voortgangsgesprek_te_laat"


CASELOAD_VIEW_LABELS: dict[CaseloadView, str] = {
    CaseloadView.ALLE: N_("Alle cliënten"),
    CaseloadView.MIJN: N_("Mijn cliënten"),
    CaseloadView.TE_LAAT: N_("Te laat"),
    CaseloadView.BINNEN_TWEE_WEKEN: N_("Binnen twee weken"),
    CaseloadView.AZC_ZONDER_PIP: N_("In AZC zonder PIP"),
    CaseloadView.ONTZORGEN_LOOPT_AF: N_("Ontzorgen loopt af"),
    CaseloadView.GESPREK_TE_LAAT: N_("Voortgangsgesprek te laat"),
}


def caseload_flags(
    *,
    obliged: bool,
    housing: dt.date | None,
    asylum: bool,
    pip_in_force: int | None,
    next_deadline: DeadlineStatus | None,
    today: dt.date,
    settings: DeadlineSettings = DEFAULT_SETTINGS,
    exempted: bool = False,
    facts: ClientDeadlineFacts | None = None,
) -> CaseloadFlags:
    """`exempted`: DUO exempted the whole duty, so no PIP is missing any more (its deadlines are
    gone already, app/domain/deadlines.py); ontzorgen still ends as it would."""
    if not obliged:
        return CaseloadFlags()
    state = next_deadline.state if next_deadline else None
    end = ontzorgen_end(housing, settings) if asylum else None
    return CaseloadFlags(
        late=state is DeadlineState.TE_LAAT,
        due_soon=state is DeadlineState.BINNENKORT,
        # No PIP in force (pip_in_force()): a concept, or a new draft over an adopted version, is
        # not "without a PIP" when an adopted version is still in force; a draft alone is.
        azc_without_pip=(housing is None or housing > today) and pip_in_force is None and not exempted,
        ontzorgen_ending=end is not None and 0 <= (end - today).days <= ONTZORGEN_ENDING_DAYS,
        meeting_late=facts is not None
        and facts.pip_in_force
        and meeting_overdue(
            facts.last_progress_meeting,
            facts.first_adoption,
            facts.progress_interval_months or settings.progress_interval_months,
            today,
        ),
    )


def matches_view(view: CaseloadView, flags: CaseloadFlags, klantmanager: str, user: str) -> bool:
    if view is CaseloadView.MIJN:
        return bool(klantmanager) and klantmanager.casefold() == user.casefold()
    if view is CaseloadView.TE_LAAT:
        return flags.late
    if view is CaseloadView.BINNEN_TWEE_WEKEN:
        return flags.due_soon
    if view is CaseloadView.AZC_ZONDER_PIP:
        return flags.azc_without_pip
    if view is CaseloadView.ONTZORGEN_LOOPT_AF:
        return flags.ontzorgen_ending
    if view is CaseloadView.GESPREK_TE_LAAT:
        return flags.meeting_late
    return True


@dataclass(frozen=True)
class CaseloadCounts:
    late: int = 0
    due_soon: int = 0
    azc_without_pip: int = 0
    ontzorgen_ending: int = 0
    meeting_late: int = 0

    def summary(self) -> str:
        """The line at the top of the caseload, in words and numbers (not only colour)."""
        return _(
            "⚠ {late} te laat · ⏳ {soon} binnen twee weken · {azc} in AZC zonder PIP · {ontz} ontzorgen loopt af"
            " · {meeting} voortgangsgesprek te laat"
        ).format(
            late=self.late,
            soon=self.due_soon,
            azc=self.azc_without_pip,
            ontz=self.ontzorgen_ending,
            meeting=self.meeting_late,
        )


def counts_json(counts: CaseloadCounts) -> dict[str, int]:
    """The counts for `wegwijs list --json`."""
    return {
        "te_laat": counts.late,
        "binnen_twee_weken": counts.due_soon,
        "in_azc_zonder_pip": counts.azc_without_pip,
        "ontzorgen_loopt_af": counts.ontzorgen_ending,
        "voortgangsgesprek_te_laat": counts.meeting_late,
    }


def count_flags(flags: Iterable[CaseloadFlags]) -> CaseloadCounts:
    late = soon = azc = ontz = meeting = 0
    for f in flags:
        late += f.late
        soon += f.due_soon
        azc += f.azc_without_pip
        ontz += f.ontzorgen_ending
        meeting += f.meeting_late
    return CaseloadCounts(late, soon, azc, ontz, meeting)
