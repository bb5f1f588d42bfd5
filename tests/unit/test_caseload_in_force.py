"""The caseload asks pip_in_force(): a concept version 2 over an adopted version 1 is not "in the AZC
without a PIP", and the deadlines keep following the version in force."""

from __future__ import annotations

import datetime as dt

from builders import add_client_with_case, klantmanager_pips
from pip_parts import COMPLETE_PARTS

from app.domain.deadlines import DeadlineKind
from app.domain.enums import Leerroute, Role
from app.domain.pip_lifecycle import ChangeReason, PipAction
from app.models.pip import TextPart
from app.services.caseload import CaseloadService
from app.services.pip import PipService, PipSettings, Signatures, text_key
from app.services.profile import Profile

TODAY = dt.date(2025, 3, 3)


def test_a_draft_over_the_version_in_force_is_not_without_pip(profile: Profile) -> None:
    with profile.store().session(actor="coa") as session:
        in_azc = add_client_with_case(session, "1000000001", huisvestingsdatum=None).id
        other = add_client_with_case(session, "1000000002", huisvestingsdatum=None).id
    km = klantmanager_pips(profile)
    supervisor = PipService(profile.store(), "tl.devries", Role.SUPERVISOR, PipSettings())
    first = km.draft(in_azc, TODAY)
    km.save(
        first.version_id,
        {"leerroute": Leerroute.B1.value, text_key(TextPart.FINAL_GOAL): "B1 en werk", **COMPLETE_PARTS},
        TODAY,
    )
    km.act(first.version_id, PipAction.BESPREKEN, TODAY)
    km.act(first.version_id, PipAction.ONDERTEKENEN, TODAY, Signatures(TODAY, TODAY))
    supervisor.act(first.version_id, PipAction.VASTSTELLEN, TODAY)
    km.new_version(in_azc, ChangeReason.OVERIG, "Andere taalschool.", TODAY)
    km.draft(other, TODAY)  # only a concept: still without a PIP in force

    rows = {r.client_id: r for r in CaseloadService.for_profile(profile).rows(TODAY)}
    assert rows[in_azc].pip_state == "concept"
    assert rows[in_azc].status == "PIP vastgesteld (versie 1); versie 2 concept"
    assert not rows[in_azc].flags.azc_without_pip
    assert rows[other].flags.azc_without_pip
    # The deadlines follow the version in force: the next one is a progress meeting, no PIP due.
    deadline = rows[in_azc].next_deadline
    assert deadline is not None and deadline.kind is DeadlineKind.PROGRESS_MEETING

    # Withdrawn: nothing in force any more, so the client counts as without a PIP again.
    supervisor_settings = PipService(profile.store(), "tl.devries", Role.SUPERVISOR, PipSettings())
    supervisor_settings.act(first.version_id, PipAction.INTREKKEN, TODAY)
    rows = {r.client_id: r for r in CaseloadService.for_profile(profile).rows(TODAY)}
    assert rows[in_azc].flags.azc_without_pip
