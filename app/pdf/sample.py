"""A fictional, complete PIP for tests, the benchmark and previews; no real person."""

from __future__ import annotations

import datetime as dt

from app.pdf.document import (
    AfschalenInfo,
    Agreement,
    AgreementStatus,
    ClientInfo,
    ExamPart,
    FixedCost,
    FreeText,
    GuidanceInfo,
    InterpreterSignatory,
    LeerrouteInfo,
    MapInfo,
    MonitoringInfo,
    Municipality,
    OntzorgenForm,
    OntzorgenInfo,
    PipDocument,
    PipState,
    PvtInfo,
    Route,
    Signatory,
)

# Per document language: a client whose name is written in that language's script.
SAMPLE_CLIENTS = {
    "ar": ("Haddad", "Amal", "أمل حداد"),
    "fa": ("Ahmadi", "Zahra", "زهرا احمدی"),
    "fa_AF": ("Rahimi", "Mohammad Nasir", "محمد نصیر رحیمی"),
    "ti": ("Tesfay", "Amanuel", "ኣማኑኤል ተስፋይ"),
    "tr": ("Yılmaz", "Şükrü", "Şükrü Yılmaz"),
    "ku": ("Xelîl", "Rojîn", "Rojîn Xelîl"),
    "en": ("Okafor", "Grace", None),
    "nl": ("Haddad", "Amal", "أمل حداد"),
}

REVIEWED_GOAL = {
    "ar": "المستوى B1 في جميع أجزاء الامتحان، و KNM.",
    "fa": "سطح B1 در همه بخش‌های امتحان، و KNM.",
    "fa_AF": "سطح B1 در تمام بخش‌های امتحان، و KNM.",
    "ti": "ደረጃ B1 ኣብ ኩሉ ክፍልታት ፈተና፣ ከምኡ'ውን KNM።",
    "tr": "Sınavın tüm bölümlerinde B1 seviyesi ve KNM.",
    "ku": "Asta B1 di hemû beşên îmtîhanê de, û KNM.",
    "en": "Level B1 in all parts of the exam, and KNM.",
}


def sample_document(
    language: str = "ar",
    *,
    state: PipState = PipState.CONCEPT,
    family_name: str | None = None,
    birth_date: str = "1994-03",
) -> PipDocument:
    family, given, original = SAMPLE_CLIENTS.get(language, SAMPLE_CLIENTS["en"])
    adopted = dt.date(2026, 5, 4) if state == PipState.VASTGESTELD else None
    return PipDocument(
        municipality=Municipality("Gemeente Wegwijs-aan-Zee"),
        client=ClientInfo(
            family_name=family_name if family_name is not None else family,
            given_names=given,
            v_nummer="1234567890",
            birth_date=birth_date,
            original_name=original,
            bsn="111222333",
        ),
        version=2,
        state=state,
        adopted_on=adopted,
        leerroute=LeerrouteInfo(
            route=Route.B1,
            final_goal=FreeText(
                "Taalniveau B1 op alle examenonderdelen, en KNM.",
                REVIEWED_GOAL.get(language),
                reviewed=language in REVIEWED_GOAL,
            ),
            period_end=dt.date(2029, 5, 4),
            advised_route=Route.B1,
            duaal=FreeText("Twee dagdelen per week vrijwilligerswerk bij de voedselbank."),
        ),
        guidance=GuidanceInfo(
            guidance=FreeText("Taalcoach via de bibliotheek; hulp bij het vinden van een huisarts."),
            maatschappelijke_begeleiding=FreeText("Twaalf maanden, met een vast contactpersoon."),
            maatschappelijke_begeleiding_by="VluchtelingenWerk",
            childcare_needed=True,
            preconditions=(FreeText("Kinderopvang voor de jongste dochter op dinsdag en donderdag."),),
        ),
        map=MapInfo(
            intensity=FreeText("In de eerste twaalf maanden."),
            hours=64,
            practical_hours=24,
            practical_component=FreeText("Acht weken meelopen bij een zorginstelling."),
        ),
        pvt=PvtInfo(
            intensity=FreeText("Groepsbijeenkomsten in het eerste halfjaar."),
            planned_by=dt.date(2026, 11, 30),
            hours=1,
        ),
        ontzorgen=OntzorgenInfo(
            fixed_costs=(FixedCost.HUUR, FixedCost.ENERGIE, FixedCost.WATER, FixedCost.ZORGVERZEKERING),
            start=dt.date(2026, 3, 1),
            end=dt.date(2026, 8, 31),
            form=OntzorgenForm.VASTE_LASTEN,
            financial_training=FreeText("Cursus 'Rondkomen in Nederland' bij het wijkcentrum."),
        ),
        afschalen=AfschalenInfo(applies=True, exam_parts=(ExamPart.SCHRIJVEN,), until=dt.date(2027, 9, 1)),
        monitoring=MonitoringInfo(
            description=FreeText("Gesprek met klantmanager en taalschool samen."),
            interval_weeks=8,
            planned_meetings=(dt.date(2026, 7, 6), dt.date(2026, 9, 1)),
        ),
        taalschool="Taalcentrum Noord",
        agreements=(
            Agreement(
                FreeText("Aanmelden bij de taalschool"), "Amal", dt.date(2026, 5, 18), AgreementStatus.GEDAAN
            ),
            Agreement(
                FreeText("Kinderopvang regelen"), "klantmanager", dt.date(2026, 6, 1), AgreementStatus.BEZIG
            ),
        ),
        klantmanager=Signatory("Sanne de Vries"),
        interpreter=InterpreterSignatory("Yonas Haile", "RBTV-20417"),
    )
