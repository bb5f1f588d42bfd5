"""The use case "PIP documents for a client" on a real store with real PDFs (app/services/pip/printing.py)."""

from __future__ import annotations

import datetime as dt
import subprocess
import unicodedata
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from builders import add_client_with_case, draft_pip_with, set_translation
from sqlalchemy import select

from app.domain.errors import WegwijsError
from app.models.client import Client
from app.models.intake import Intake, IntakeStatus
from app.models.journal import AuditEntry
from app.models.pip import REVIEW_APPROVED, REVIEW_NOT_REVIEWED, TextPart
from app.pdf import document as doc
from app.pdf.render import render_pip
from app.services.pip import DocumentService, text_key
from app.services.pip.printing import ACTION_PRINT, pending_translations
from app.services.profile import Profile

TODAY = dt.date(2025, 6, 2)


def add_client(profile: Profile, v_nummer: str, *, intake: bool = False) -> uuid.UUID:
    with profile.store().session() as session:
        client = add_client_with_case(session, v_nummer, klantmanager="km.jansen")
        if intake:
            session.add(
                Intake(
                    client_id=client.id,
                    form_id="brede_intake",
                    form_version=1,
                    status=IntakeStatus.CONCLUDED.value,
                    started_on=dt.date(2024, 12, 2),
                    concluded_on=dt.date(2025, 2, 10),
                    cesuur=28,
                    answers={"kinderopvang_nodig": {"value": True, "form_version": 1}},
                    advised_route="z",
                    advice_reasons=["De leerbaarheidstoets is niet haalbaar: score 24 van 40."],
                )
            )
        return client.id


def add_pip(profile: Profile, client_id: uuid.UUID, reviewed: bool = True) -> uuid.UUID:
    version_id = draft_pip_with(
        profile,
        client_id,
        {
            "leerroute": "b1",
            text_key(TextPart.FINAL_GOAL): "Nederlands op B1 en werk in de zorg",
            text_key(TextPart.REMARKS): "Wil graag verpleegkundige worden",
            "map_hours": 80,
            "map_practical_hours": 24,
            "pvt_hours": 12,
            "period_months": 30,
            "childcare_needed": True,
            "afschalen": True,
            "afschalen_parts": ["schrijven"],
            "afschalen_months": 6,
            "progress_interval_months": 4,
        },
        TODAY,
    )
    status = REVIEW_APPROVED if reviewed else REVIEW_NOT_REVIEWED
    set_translation(profile, version_id, "einddoel", "ar", "اللغة الهولندية بمستوى B1", status)
    return version_id


def service_for(profile: Profile) -> DocumentService:
    return DocumentService.for_profile(profile)


def pdf_text(path: Path) -> str:
    """The text of a PDF, with Arabic presentation forms folded back to letters (NFKC)."""
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", raw)


def test_pip_document_passes_numbers_so_standard_texts_are_translated(
    profile: Profile, tmp_path: Path
) -> None:
    client_id = add_client(profile, "2345678901")
    add_pip(profile, client_id)
    document = DocumentService.for_profile(profile).prepare(client_id, "nl").document
    assert document.map.hours == 80 and document.map.practical_hours == 24 and document.map.intensity is None
    assert document.pvt.hours == 12
    assert document.leerroute.period_months == 30 and document.leerroute.period_text is None
    assert document.afschalen.months == 6 and document.afschalen.until is None  # a concept: no end date
    assert document.monitoring.interval_months == 4 and document.monitoring.interval_weeks is None
    assert document.guidance.childcare_needed and document.guidance.preconditions == ()
    assert document.guidance.maatschappelijke_begeleiding_by == "VluchtelingenWerk"
    text = pdf_text(render_pip(document, "en", tmp_path / "en.pdf").path)
    # The standard texts with the numbers in them, in English: not Dutch sentences made by the service.
    assert "80 hours" in text and "24 hours" in text and "12 hours" in text
    assert "30 months" in text and "6 months" in text and "4 months" in text
    assert "Kinderopvang is nodig om de route te kunnen volgen." in text  # the Dutch column
    assert "80 uur" in text and "Nog in te vullen" not in text


def test_one_language_and_all_with_audit_without_personal_data(profile: Profile, tmp_path: Path) -> None:
    client_id = add_client(profile, "2345678901")
    add_pip(profile, client_id)
    service = service_for(profile)
    job = service.prepare("2345678901", "client")
    assert job.languages == ("ar",) and job.has_pip and not job.document.is_adopted
    # The reviewed Arabic goal counts; the remark has no translation: it is the one pending text.
    pending = job.pending_translations
    assert [(p.section, p.dutch, p.languages) for p in pending] == [
        ("Opmerkingen", "Wil graag verpleegkundige worden", ("ar",))
    ]
    outcome = service.print_documents(str(client_id), "client", tmp_path / "een")
    assert [p.name for p in outcome.paths] == [f"PIP_2345678901_v1_ar_{dt.date.today().isoformat()}.pdf"]
    assert [g.dutch for g in outcome.gaps["ar"]] == [p.dutch for p in pending]  # the renderer agrees
    assert "الهولندية" in pdf_text(outcome.paths[0])

    progress: list[tuple[int, int, str]] = []
    everything = service.print_documents(
        "2345678901", "all", tmp_path / "nieuw" / "alle", progress=lambda *step: progress.append(step)
    )
    assert [r.language for r in everything.results] == ["nl", "en", "ar", "ti", "fa", "fa_AF", "tr", "ku"]
    assert progress[0] == (1, 8, "nl") and progress[-1] == (8, 8, "ku")
    # The Arabic translation is the client's; English gets the Dutch text and the note instead.
    english = pdf_text(everything.results[1].path)
    assert "الهولندية" not in english and "The translation of this text will follow." in english
    all_pending = service.prepare("2345678901", "all").pending_translations
    assert {g.dutch for g in everything.gaps["en"]} == {p.dutch for p in all_pending if "en" in p.languages}
    with profile.store().session() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == ACTION_PRINT)).all()
    assert [e.detail for e in entries] == [
        "pip v1 concept; talen ar",
        "pip v1 concept; talen nl,en,ar,ti,fa,fa_AF,tr,ku",
    ]
    assert all(e.entity_id == client_id and e.actor == "km.jansen" for e in entries)


def test_concept_for_a_client_without_pip_uses_the_intake(profile: Profile, tmp_path: Path) -> None:
    client_id = add_client(profile, "3456789012", intake=True)
    service = service_for(profile)
    job = service.prepare(client_id, "ar")
    assert not job.has_pip and job.document.state is doc.PipState.CONCEPT
    assert job.document.leerroute.route is doc.Route.Z  # the intake's advice
    assert job.document.guidance.childcare_needed
    assert job.document.ontzorgen is not None and job.document.ontzorgen.start == dt.date(2025, 1, 20)
    outcome = service.render(job, tmp_path)
    text = pdf_text(outcome.paths[0])
    assert "CONCEPT" in text and "3456789012" in text and "score 24 van 40" in text
    assert "Z-route" in text


def test_concept_without_intake_says_the_route_is_provisional(profile: Profile, tmp_path: Path) -> None:
    add_client(profile, "4567890123")
    outcome = service_for(profile).print_documents("4567890123", "nl", tmp_path)
    text = pdf_text(outcome.paths[0])
    assert "CONCEPT" in text and "voorlopig" in text


def test_cancel_stops_between_languages(profile: Profile, tmp_path: Path) -> None:
    add_client(profile, "5678901234")
    service = service_for(profile)
    job = service.prepare("5678901234", "all")
    done: list[str] = []
    outcome = service.render(
        job, tmp_path, progress=lambda _n, _total, code: done.append(code), cancelled=lambda: len(done) >= 2
    )
    # Two languages were done; a cancelled set is not kept (issue 19): nothing, not even a temporary file.
    assert done == ["nl", "en"]
    assert outcome.cancelled and outcome.paths == [] and list(tmp_path.glob("*pdf*")) == []


def test_refusals(profile: Profile, tmp_path: Path) -> None:
    add_client(profile, "6789012345")
    service = service_for(profile)
    with pytest.raises(WegwijsError, match="geen cliënt"):
        service.prepare("0000000000", "ar")
    with pytest.raises(WegwijsError, match="Taal 'xx' is onbekend"):
        service.prepare("6789012345", "xx")


def test_pending_translations_skip_dutch_and_reviewed(profile: Profile) -> None:
    goal = doc.FreeText("Doel", "الهدف", reviewed=True)
    draft = doc.FreeText("Concepttekst", "ترجمة", reviewed=False)
    document = doc.PipDocument(
        municipality=doc.Municipality("Utrecht"),
        client=doc.ClientInfo("Haddad", "Rania", "2345678901", "1990"),
        version=1,
        state=doc.PipState.CONCEPT,
        leerroute=doc.LeerrouteInfo(route=doc.Route.B1, final_goal=goal),
        map=doc.MapInfo(),
        pvt=doc.PvtInfo(),
        klantmanager=doc.Signatory("km"),
        remarks=draft,
    )
    assert pending_translations(document, ["nl"], "ar") == []
    pending = pending_translations(document, ["nl", "ar", "en"], "ar")
    assert [(p.dutch, p.languages) for p in pending] == [("Doel", ("en",)), ("Concepttekst", ("ar", "en"))]


def test_a_character_no_font_has_is_refused_and_no_pdf_is_written(profile: Profile, tmp_path: Path) -> None:
    from app.pdf.sample import sample_document
    from app.services.pip import PrintJob, UnprintableCharacters
    from app.services.pip.printing import render_job

    client_id = add_client(profile, "6677889900")
    with profile.store().session() as session:
        session.get(Client, client_id).given_names = "Rania 😀"
    folder = tmp_path / "out"
    with pytest.raises(UnprintableCharacters) as refused:
        service_for(profile).print_documents("6677889900", "all", folder)
    message = str(refused.value)
    assert "U+1F600" in message and "pas de tekst aan" in message
    assert not folder.exists() or not list(folder.iterdir())
    # Rendering refuses such a job too, before the first language: no half set of PDFs.
    document = sample_document("ar")
    document = replace(document, remarks=doc.FreeText("Afspraak 中 geregeld"))
    job = PrintJob(client_id, document, ("nl", "ar"), "ar", True)
    with pytest.raises(WegwijsError, match="U\\+4E2D"):
        render_job(job, folder)
    assert not folder.exists() or not list(folder.iterdir())


def test_a_free_text_who_is_a_pending_translation_and_a_known_role_is_not(profile: Profile) -> None:
    document = doc.PipDocument(
        municipality=doc.Municipality("Utrecht"),
        client=doc.ClientInfo("Haddad", "Rania", "2345678901", "1990"),
        version=1,
        state=doc.PipState.CONCEPT,
        leerroute=doc.LeerrouteInfo(
            route=doc.Route.B1, final_goal=doc.FreeText("Doel", "الهدف", reviewed=True)
        ),
        map=doc.MapInfo(),
        pvt=doc.PvtInfo(),
        klantmanager=doc.Signatory("km"),
        agreements=(
            doc.Agreement(doc.FreeText("Taalles volgen", "متابعة دروس اللغة", reviewed=True), "Inburgeraar"),
            doc.Agreement(doc.FreeText("Werkplek zoeken", "البحث عن عمل", reviewed=True), "buurvrouw Fatima"),
        ),
    )
    pending = pending_translations(document, ["nl", "ar"], "ar")
    assert [(p.section, p.label, p.dutch, p.languages) for p in pending] == [
        ("Afspraken", "Wie", "buurvrouw Fatima", ("ar",))
    ]


@pytest.mark.parametrize(("western", "expect_native"), [(False, True), (True, False)])
def test_the_municipality_chooses_the_digits_of_the_persian_column(
    profile: Profile, tmp_path: Path, western: bool, expect_native: bool
) -> None:
    profile.settings.options["pdf_westerse_cijfers"] = western
    profile.save_settings()
    client_id = add_client(profile, "2345678901")
    add_pip(profile, client_id)
    job = DocumentService.for_profile(profile).prepare(client_id, "fa")
    assert job.document.settings.western_digits is western
    text = pdf_text(render_pip(job.document_for("fa"), "fa", tmp_path / "fa.pdf").path)
    persian_digits = set("۰۱۲۳۴۵۶۷۸۹")
    assert bool(persian_digits & set(text)) is expect_native
    assert "80" in text  # the Dutch column keeps 0-9 either way
