"""The fixed vocabularies inside a PIP plan, defined once for the store, the services and the PDF.

The PIP's states (`PipState`) and the exam parts (`ExamPart`) live with the lifecycle rules in
app/domain/pip_lifecycle.py; the leerroute is `app.domain.enums.Leerroute`.
"""

from __future__ import annotations

import enum

from app.i18n import N_


class FixedCost(enum.StrEnum):
    """Vaste lasten that the municipality pays from the benefit during ontzorgen."""

    HUUR = "huur"
    ENERGIE = "energie"  # gas and electricity
    WATER = "water"
    ZORGVERZEKERING = "zorgverzekering"
    GEMEENTELIJKE_BELASTINGEN = "gemeentelijke_belastingen"
    OVERIG = "overig"


FIXED_COST_LABELS: dict[FixedCost, str] = {
    FixedCost.HUUR: N_("huur"),
    FixedCost.ENERGIE: N_("gas en licht"),
    FixedCost.WATER: N_("water"),
    FixedCost.ZORGVERZEKERING: N_("zorgverzekering"),
    FixedCost.GEMEENTELIJKE_BELASTINGEN: N_("gemeentelijke belastingen"),
    FixedCost.OVERIG: N_("overige vaste lasten"),
}


class OntzorgenForm(enum.StrEnum):
    VASTE_LASTEN = "vaste_lasten"  # the standard: fixed costs paid out of the benefit
    BUDGETBEHEER = "budgetbeheer"  # the municipality goes further: full budget management
    ANDERE_VORM = "andere_vorm"  # since 2023: a form that suits the person better, described in words


ONTZORGEN_FORM_LABELS: dict[OntzorgenForm, str] = {
    OntzorgenForm.VASTE_LASTEN: N_("vaste lasten inhouden op de uitkering"),
    OntzorgenForm.BUDGETBEHEER: N_("volledig budgetbeheer"),
    OntzorgenForm.ANDERE_VORM: N_("andere vorm (zie toelichting)"),
}


class AgreementStatus(enum.StrEnum):
    OPEN = "open"
    BEZIG = "bezig"
    GEDAAN = "gedaan"
    VERVALLEN = "vervallen"


AGREEMENT_STATUS_LABELS: dict[AgreementStatus, str] = {
    AgreementStatus.OPEN: N_("open"),
    AgreementStatus.BEZIG: N_("bezig"),
    AgreementStatus.GEDAAN: N_("gedaan"),
    AgreementStatus.VERVALLEN: N_("vervallen"),
}
