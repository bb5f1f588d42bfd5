"""A client's current PIP as the PDF layer's plain `PipDocument` (app/pdf/document.py).

Only a translation the interpreter approved (review status REVIEW_APPROVED) counts as reviewed; the
PDF prints the Dutch text on the translated side otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.domain.deadlines import DEFAULT_SETTINGS as _DEADLINES
from app.domain.deadlines import add_months, ontzorgen_end, ontzorgen_start, term_start
from app.domain.deadlines import period_end as last_day_of_period
from app.domain.enums import TargetGroup
from app.domain.pip_lifecycle import PipRefused, PipState, missing_parts
from app.i18n import _
from app.models.client import Client
from app.models.pip import REVIEW_APPROVED, Pip, PipVersion, TextPart
from app.pdf import document as doc
from app.services.pip.records import (
    DEFAULT_BEGELEIDING_BY,
    DEFAULT_PERIOD_MONTHS,
    intake_prefill,
    ontzorgen_applies,
    ontzorgen_dates,
    pip_facts,
)


def _free_text(entry: Mapping[str, Any] | None, language: str | None) -> doc.FreeText:
    entry = entry or {}
    translation = entry.get("translation") or None
    # A translation into another language than the client's document language is not theirs.
    if translation and entry.get("lang") not in (None, language):
        translation = None
    review = entry.get("review") or {}
    # Approved counts only for the Dutch text that was approved (review "source"): an agreement edited
    # in its table, or a change that arrived by sync, leaves the old approval outdated (verouderd).
    dutch = entry.get("nl")
    reviewed = review.get("status") == REVIEW_APPROVED and review.get("source", dutch) == dutch
    return doc.FreeText(str(entry.get("nl", "")), translation, bool(translation and reviewed))


def _optional(version: PipVersion, part: TextPart, language: str | None) -> doc.FreeText | None:
    text = _free_text(version.texts.get(part.value), language)
    return None if text.is_empty else text


def _route(value: str | None) -> doc.Route | None:
    return doc.Route(value) if value else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


# A replaced version is never the latest; should one be printed, it prints as a concept, not as in force.
_STATES = {state.value: state for state in doc.PipState if state is not doc.PipState.VERVANGEN}
_FORMS = {"vaste_lasten": doc.OntzorgenForm.VASTE_LASTEN, "budgetbeheer": doc.OntzorgenForm.BUDGETBEHEER}


def _client_info(client: Client) -> doc.ClientInfo:
    """The client's part of every PIP document, concept or adopted."""
    return doc.ClientInfo(
        family_name=client.family_name,
        given_names=client.given_names,
        v_nummer=client.v_nummer,
        birth_date=client.birth_date,
        original_name=client.name_original,
        bsn=client.bsn,
        nationality=client.nationality,
    )


def _municipality(client: Client, municipality: str | None, logo_path: Any) -> doc.Municipality:
    case = client.case
    return doc.Municipality(municipality or (case.municipality if case else ""), logo_path)


def version_document(
    client: Client,
    pip: Pip,
    version: PipVersion,
    municipality: str | None = None,
    logo_path: Any = None,
    today: dt.date | None = None,
) -> doc.PipDocument:
    """One loaded PIP version as a document (app/services/pip/printing.py loads and checks it once);
    a version without a route is printed as a concept instead, so this refusal is a last guard."""
    today = today or dt.date.today()
    lang = client.document_language
    texts = version.texts
    route = _route(version.leerroute) or _route(version.advised_route)
    if route is None:
        raise PipRefused(_("Er is nog geen leerroute gekozen; kies eerst een leerroute in het PIP."))
    case = client.case
    period_end = None
    if pip.first_adopted_on is not None and version.period_months:
        # The same count as the term: from the day after the first adoption, that day included.
        period_end = last_day_of_period(term_start(pip.first_adopted_on), version.period_months)
    # Numbers go to the document as numbers: its standard texts ("{hours} uur", "binnen {months}
    # maanden", childcare) are then translated, where a sentence made here would stay Dutch.
    preconditions = []
    extra = _optional(version, TextPart.PRECONDITIONS, lang)
    if extra:
        preconditions.append(extra)
    begeleiding = _optional(version, TextPart.MAATSCHAPPELIJKE_BEGELEIDING, lang)
    begeleiding_by = None
    if version.maatschappelijke_begeleiding:
        municipality_name = municipality or (case.municipality if case else "")
        begeleiding_by = version.begeleiding_by or municipality_name or None
    ontzorgen = None
    if version.ontzorgen:
        dates = ontzorgen_dates(version, client.case)
        ontzorgen = doc.OntzorgenInfo(
            fixed_costs=tuple(doc.FixedCost(c) for c in version.ontzorgen_costs),
            start=dates[0],
            end=dates[1],
            form=_FORMS.get(version.ontzorgen_form or "", doc.OntzorgenForm.ANDERE_VORM)
            if version.ontzorgen_form
            else doc.OntzorgenForm.VASTE_LASTEN,
            description=_optional(version, TextPart.ONTZORGEN, lang),
            financial_training=_optional(version, TextPart.FINANCIAL_TRAINING, lang),
        )
    afschalen_months = version.afschalen_months if version.afschalen else None
    afschalen = doc.AfschalenInfo(
        applies=version.afschalen,
        exam_parts=tuple(doc.ExamPart(p) for p in version.afschalen_parts),
        # An end date only once adopted; a concept states the period itself.
        until=add_months(version.adopted_on, afschalen_months)
        if version.adopted_on and afschalen_months
        else None,
        months=afschalen_months if not version.adopted_on else None,
        explanation=_optional(version, TextPart.AFSCHALEN, lang),
    )
    interval = version.progress_interval_months
    agreements = tuple(
        doc.Agreement(
            what=_free_text(a.get("what"), lang),
            who=str(a.get("who", "")),
            due=_date(a.get("by_when")),
            status=doc.AgreementStatus(a.get("status", "open")),
        )
        for a in version.agreements
        if (a.get("what") or {}).get("nl", "").strip()
    )
    interpreter = None
    if version.interpreter_present:
        interpreter = doc.InterpreterSignatory(
            version.interpreter_name or _("tolk"),
            version.interpreter_register or None,
            version.signed_by_interpreter_on,
        )
    return doc.PipDocument(
        municipality=_municipality(client, municipality, logo_path),
        client=_client_info(client),
        version=version.number,
        state=_STATES.get(version.state, doc.PipState.CONCEPT),
        leerroute=doc.LeerrouteInfo(
            route=route,
            final_goal=_free_text(texts.get(TextPart.FINAL_GOAL.value), lang),
            period_end=period_end,
            period_months=version.period_months if period_end is None else None,
            advised_route=_route(version.advised_route),
            justification=_optional(version, TextPart.ONDERBOUWING, lang),
            duaal=_optional(version, TextPart.DUAAL, lang),
        ),
        map=doc.MapInfo(
            _optional(version, TextPart.MAP, lang),
            _optional(version, TextPart.MAP_PRACTICAL, lang),
            hours=version.map_hours,
            practical_hours=version.map_practical_hours,
        ),
        pvt=doc.PvtInfo(
            _optional(version, TextPart.PVT, lang), version.pvt_planned_by, hours=version.pvt_hours
        ),
        klantmanager=doc.Signatory(
            (case.klantmanager if case and case.klantmanager else version.created_by),
            version.signed_by_klantmanager_on,
        ),
        is_asylum=client.target_group == "asiel",
        adopted_on=version.adopted_on,
        printed_on=today,
        guidance=doc.GuidanceInfo(
            guidance=_optional(version, TextPart.GUIDANCE, lang),
            maatschappelijke_begeleiding=begeleiding,
            maatschappelijke_begeleiding_by=begeleiding_by,
            childcare_needed=version.childcare_needed,
            preconditions=tuple(preconditions),
        ),
        ontzorgen=ontzorgen,
        afschalen=afschalen,
        monitoring=doc.MonitoringInfo(
            description=_optional(version, TextPart.MONITORING, lang),
            interval_months=interval or None,
            planned_meetings=tuple(dt.date.fromisoformat(d) for d in version.planned_meetings),
            # The meetings held so far, on the version that is or becomes the plan (concept to
            # adopted); a replaced or withdrawn version shows its plan only.
            held_meetings=tuple(m.held_on for m in version.pip.meetings if m.held_on <= today)
            if version.state not in ("vervangen", "ingetrokken")
            else (),
        ),
        taalschool=version.taalschool or None,
        taalschool_note=_optional(version, TextPart.TAALSCHOOL, lang),
        agreements=agreements,
        remarks=_optional(version, TextPart.REMARKS, lang),
        interpreter=interpreter,
        client_signed_on=version.signed_by_client_on,
        missing_parts=_missing_parts(version, client),
    )


DEFAULT_TERM_MONTHS = _DEADLINES.term_months


def _missing_parts(version: PipVersion, client: Client) -> tuple[str, ...]:
    """What a version still lacks before it can be signed (a concept or a discussed version)."""
    if version.state not in (PipState.CONCEPT.value, PipState.BESPROKEN.value):
        return ()
    term = DEFAULT_TERM_MONTHS + sum(int(e.get("months", 0)) for e in version.pip.extensions)
    return tuple(missing_parts(pip_facts(version, ontzorgen_applies(client), term)))


def concept_document(
    session: Session, client: Client, municipality: str, logo_path: Path | None = None
) -> doc.PipDocument:
    """A concept PIP from what is known before the klantmanager drafts one: the client, the case and
    the intake's route advice. It states nothing the municipality has not decided: the route is the
    intake's choice or advice, and without an intake the standard B1-route, said to be provisional."""
    case = client.case
    intake = intake_prefill(session, client.id)
    asylum = client.target_group == TargetGroup.ASIEL.value
    chosen = intake.chosen_route or intake.advised_route if intake else None
    route = doc.Route(chosen.value) if chosen else doc.Route.B1
    if intake is not None and intake.explanation:
        goal = _("Advies uit de brede intake: {advice}").format(advice=intake.explanation)
    elif chosen is None:
        goal = _("De leerroute wordt gekozen na de brede intake; de B1-route staat hier voorlopig.")
    else:
        goal = ""
    housing = case.huisvestingsdatum if case else None
    ontzorgen = None
    if asylum and (intake is None or intake.ontzorgen_form != "niet"):
        form = intake.ontzorgen_form if intake and intake.ontzorgen_form else "vaste_lasten"
        ontzorgen = doc.OntzorgenInfo(
            fixed_costs=(
                doc.FixedCost.HUUR,
                doc.FixedCost.ENERGIE,
                doc.FixedCost.WATER,
                doc.FixedCost.ZORGVERZEKERING,
            ),
            start=ontzorgen_start(housing, case.benefit_start if case else None),
            end=ontzorgen_end(ontzorgen_start(housing, case.benefit_start if case else None)),
            form=_ontzorgen_form(form),
        )
    begeleiding = asylum and (intake is None or intake.begeleiding is not False)
    justification = intake.justification if intake else ""
    return doc.PipDocument(
        municipality=_municipality(client, municipality, logo_path),
        client=_client_info(client),
        version=1,
        state=doc.PipState.CONCEPT,
        leerroute=doc.LeerrouteInfo(
            route=route,
            final_goal=doc.FreeText(goal),
            period_months=DEFAULT_PERIOD_MONTHS,
            advised_route=doc.Route(intake.advised_route.value) if intake and intake.advised_route else None,
            justification=doc.FreeText(justification) if justification else None,
        ),
        map=doc.MapInfo(),
        pvt=doc.PvtInfo(),
        klantmanager=doc.Signatory(case.klantmanager if case and case.klantmanager else ""),
        is_asylum=asylum,
        guidance=doc.GuidanceInfo(
            maatschappelijke_begeleiding_by=DEFAULT_BEGELEIDING_BY if begeleiding else None,
            childcare_needed=bool(intake and intake.childcare_needed),
        ),
        ontzorgen=ontzorgen,
    )


def _ontzorgen_form(value: str) -> doc.OntzorgenForm:
    try:
        return doc.OntzorgenForm(value)
    except ValueError:
        return doc.OntzorgenForm.VASTE_LASTEN
