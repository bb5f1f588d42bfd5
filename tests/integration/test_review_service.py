"""Interpreter review on a real encrypted store: approving free texts, outdated translations, the PDF,
the audit log, the interpreter's view (no restricted intake texts) and the reviewed layer."""

from __future__ import annotations

import datetime as dt
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pip_parts import COMPLETE_PARTS
from review_helpers import GOAL, GOAL_AR, TODAY, TOLK, add_client_with_pip, item
from sqlalchemy import select

from app.domain.enums import Role
from app.forms.registry import default_registry
from app.i18n.layers import clear_layers
from app.i18n.po_checks import PlaceholderError
from app.i18n.review_layer import Reviewer, ReviewLayer, ReviewStatus
from app.models.journal import AuditEntry
from app.pdf import texts as T
from app.pdf.render import render_pip
from app.services.pip import DocumentService
from app.services.pip.records import update_version
from app.services.profile import Profile
from app.services.review import (
    AUDIT_APPROVED,
    AUDIT_MODE_OFF,
    AUDIT_MODE_ON,
    FREE_TEXT,
    STANDARD_TEXT,
    ReviewError,
    TranslationReviewService,
    form_texts_for,
    section_texts,
)

NOW = dt.datetime(2025, 3, 3, 10, 30, tzinfo=dt.UTC)


def service(profile: Profile, role: Role = Role.KLANTMANAGER) -> TranslationReviewService:
    result = TranslationReviewService.for_profile(profile, role)
    result.now = lambda: NOW
    return result


def audit(profile: Profile, action: str) -> list[AuditEntry]:
    with profile.store().session() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def pdf_text(path: Path) -> str:
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", raw)


def test_free_texts_and_their_states(profile: Profile) -> None:
    client_id = add_client_with_pip(profile)
    review_set = service(profile).review_set(client_id)
    assert review_set.client_name == "Rania Haddad" and review_set.language == "ar" and review_set.is_rtl
    free = [i for i in review_set.items if i.kind == FREE_TEXT]
    assert [i.part for i in free] == ["einddoel", "monitoring", "afspraak-1"]
    assert all(i.status is ReviewStatus.NOT_TRANSLATED for i in free)
    assert item(review_set, "pip:einddoel").context == "PIP: Einddoel"
    standard = [i for i in review_set.items if i.kind == STANDARD_TEXT]
    assert any(i.source == T.PAGE_OF for i in standard)


def test_approval_records_interpreter_and_the_pdf_prints_it_until_the_dutch_changes(
    profile: Profile, tmp_path: Path
) -> None:
    client_id = add_client_with_pip(profile)
    reviews = service(profile, Role.INTERPRETER)
    review_set = reviews.review_set(client_id)
    updated, warnings = reviews.approve(review_set, item(review_set, "pip:einddoel"), (GOAL_AR,), TOLK)
    assert warnings == [] and updated.status is ReviewStatus.REVIEWED
    assert "Samira Tolk (123456)" in updated.reviewed_by

    again = reviews.review_set(client_id)
    assert item(again, "pip:einddoel").status is ReviewStatus.REVIEWED
    document = DocumentService.for_profile(profile).prepare(client_id, "nl").document
    with profile.store().session() as session:
        from app.models.pip import PipVersion

        version = session.scalars(select(PipVersion)).one()
        review = version.texts["einddoel"]["review"]
    assert review["by"] == "Samira Tolk" and review["register"] == "123456"
    assert review["language"] == "ar" and review["at"] == "2025-03-03T10:30:00+00:00"
    assert document.leerroute.final_goal.reviewed and document.leerroute.final_goal.translation == GOAL_AR

    # Who approved what: the interpreter (via the klantmanager's laptop), the part and the language.
    entries = audit(profile, AUDIT_APPROVED)
    assert len(entries) == 1
    assert entries[0].actor == "Samira Tolk (123456) via km.jansen"
    assert entries[0].detail == "onderdeel=einddoel;taal=ar;register=123456"
    assert "Haddad" not in entries[0].detail and GOAL not in entries[0].detail

    approved_pdf = render_pip(document, "ar", tmp_path / "approved.pdf")
    assert not any(gap.dutch == GOAL for gap in approved_pdf.gaps)
    text = pdf_text(approved_pdf.path)
    assert "B1" in text and unicodedata.normalize("NFKC", "المسنين") in text

    # The Dutch text changes: the translation is outdated and the PDF prints Dutch with the note.
    with profile.store().session(actor="km.jansen") as session:
        version = session.scalars(select(PipVersion)).one()
        update_version(session, version.id, {"text.einddoel": GOAL + " (ouderenzorg)"})
    assert item(reviews.review_set(client_id), "pip:einddoel").status is ReviewStatus.OUTDATED
    document = DocumentService.for_profile(profile).prepare(client_id, "nl").document
    assert not document.leerroute.final_goal.reviewed
    outdated_pdf = render_pip(document, "ar", tmp_path / "outdated.pdf")
    assert any(gap.dutch.startswith(GOAL) for gap in outdated_pdf.gaps)
    outdated_text = pdf_text(outdated_pdf.path)
    # The Dutch text in both columns, and the outdated Arabic translation nowhere.
    assert outdated_text.count("(ouderenzorg)") == 2
    assert unicodedata.normalize("NFKC", "المسنين") not in outdated_text


def test_an_agreement_edited_in_its_table_makes_the_approval_outdated(profile: Profile) -> None:
    client_id = add_client_with_pip(profile)
    reviews = service(profile)
    review_set = reviews.review_set(client_id)
    reviews.approve(review_set, item(review_set, "pip:afspraak-1"), ("التسجيل في مدرسة اللغة",), TOLK)
    from app.models.pip import PipVersion

    with profile.store().session(actor="km.jansen") as session:
        version = session.scalars(select(PipVersion)).one()
        rows = [dict(version.agreements[0])]
        rows[0]["what"] = {**rows[0]["what"], "nl": "Inschrijven bij de taalschool vóór 1 april"}
        update_version(session, version.id, {"agreements": rows})
    assert item(reviews.review_set(client_id), "pip:afspraak-1").status is ReviewStatus.OUTDATED
    document = DocumentService.for_profile(profile).prepare(client_id, "nl").document
    assert not document.agreements[0].what.reviewed


def test_refusals_and_warnings(profile: Profile) -> None:
    client_id = add_client_with_pip(profile)
    reviews = service(profile)
    review_set = reviews.review_set(client_id)
    goal = item(review_set, "pip:einddoel")
    with pytest.raises(ReviewError, match="lege vertaling"):
        reviews.approve(review_set, goal, ("  ",), TOLK)
    with pytest.raises(Exception, match="registratienummer"):
        Reviewer("Samira", "")
    assert Reviewer("Abeba", "sleutelpersoon").label() == "Abeba (sleutelpersoon)"
    # Latin letters only for Arabic: stored, with a warning.
    _updated, warnings = reviews.approve(review_set, goal, ("Dutch at B1 level",), TOLK)
    assert len(warnings) == 1 and "Arabische schrift" in warnings[0]
    # A standard text that loses a placeholder is refused, naming it; nothing is stored.
    page = next(i for i in review_set.items if i.source == T.PAGE_OF)
    with pytest.raises(PlaceholderError, match=r"\{pages\}"):
        reviews.approve(review_set, page, ("الصفحة {page}",), TOLK)
    with pytest.raises(PlaceholderError, match=r"\{paginas\}.*\{pages\}"):
        reviews.approve(review_set, page, ("الصفحة {page} من {paginas}",), TOLK)
    assert not ReviewLayer(profile.data_dir).path("pip", "ar").exists()


def test_interpreter_never_sees_restricted_intake_texts(profile: Profile) -> None:
    client_id = add_client_with_pip(profile)
    definition = default_registry().latest()
    restricted = [s for s in definition.sections if not s.visible_to(Role.INTERPRETER)]
    assert {s.id for s in restricted} >= {"gezondheid", "financien"}
    interpreter = {msgid for _where, msgid in form_texts_for(Role.INTERPRETER)}
    klantmanager = {msgid for _where, msgid in form_texts_for(Role.KLANTMANAGER)}
    # Texts that appear only in restricted sections (a word such as "Gezondheid" may also be an
    # option elsewhere, which the interpreter does see).
    only_restricted = {t for s in restricted for t in section_texts(s) if t} - interpreter
    health = "Psychische klachten (bijvoorbeeld slaapproblemen, trauma, somberheid)"
    assert health in only_restricted and "Inkomen van partner of referent" in only_restricted
    assert only_restricted <= klantmanager

    as_interpreter = service(profile).enter_interpreter_mode(client_id)
    assert as_interpreter.role is Role.INTERPRETER
    items = as_interpreter.review_set(client_id).items
    sources = {i.source for i in items}
    form_sources = {i.source for i in items if i.standard is not None and i.standard.domain == "forms"}
    assert not only_restricted & form_sources
    # Another domain may share a word with a restricted section ("Ontzorgen" is a PIP heading),
    # never a question or help text.
    assert {t for t in only_restricted & sources if len(t.split()) > 1} == set()
    assert "Huisvesting" in sources  # a section the interpreter does see
    # The klantmanager's own review does include them: the filter is the form's, not a list here.
    assert health in {i.source for i in service(profile).review_set(client_id).items}
    service(profile).leave_interpreter_mode(client_id)
    on, off = audit(profile, AUDIT_MODE_ON), audit(profile, AUDIT_MODE_OFF)
    assert len(on) == 1 and len(off) == 1 and on[0].detail == "taal=ar" and on[0].actor == "km.jansen"
    assert on[0].entity_id == client_id


def test_reviewed_layer_takes_effect_and_travels(profile: Profile, tmp_path: Path) -> None:
    client_id = add_client_with_pip(profile)
    reviews = service(profile)
    review_set = reviews.review_set(client_id)
    page = next(i for i in review_set.items if i.source == T.PAGE_OF)
    corrected = "صفحة {page} من أصل {pages}"
    reviews.approve(review_set, page, (corrected,), TOLK)
    assert T.texts_for("ar")(T.PAGE_OF, page=1, pages=3) == "صفحة 1 من أصل 3"
    plural = next(i for i in review_set.items if i.source_plural is not None and i.kind == STANDARD_TEXT)
    forms = tuple(f + " ✓" for f in plural.translation)
    reviews.approve(review_set, plural, forms, TOLK)
    again = reviews.review_set(client_id)
    assert next(i for i in again.items if i.key == page.key).status is ReviewStatus.REVIEWED
    assert next(i for i in again.items if i.key == plural.key).translation == forms
    entries = audit(profile, "standaardtekst_goedgekeurd")
    assert len(entries) == 2 and "register=123456" in entries[0].detail

    # Exported for the central catalogs, imported on another installation: plural forms kept.
    exported = tmp_path / "pip_ar.po"
    assert ReviewLayer(profile.data_dir).export("pip", "ar", exported) == 2
    clear_layers()
    other = ReviewLayer(tmp_path / "andere_installatie")
    imported = other.read_import(exported.read_bytes())
    assert imported.domain == "pip" and imported.language == "ar" and len(imported.changes) == 2
    assert T.texts_for("ar")(T.PAGE_OF, page=1, pages=3) != "صفحة 1 من أصل 3"
    assert other.apply(imported) == 2
    assert T.texts_for("ar")(T.PAGE_OF, page=1, pages=3) == "صفحة 1 من أصل 3"
    texts = {t.msgid: t for t in other.standard_texts("pip", "ar")}
    assert texts[plural.source].reviewed == forms and len(forms) == 6
    assert "Samira Tolk (123456)" in texts[T.PAGE_OF].reviewed_by

    # A distributed file with a broken placeholder is refused whole.
    broken = exported.read_bytes().replace("من أصل {pages}".encode(), "من أصل {paginas}".encode())
    with pytest.raises(PlaceholderError, match=r"\{paginas\}"):
        other.read_import(broken)


def test_an_adopted_version_keeps_its_translations(profile: Profile) -> None:
    from app.domain.pip_lifecycle import PipAction, PipRefused
    from app.models.pip import PipVersion
    from app.services.pip import Signatures
    from app.services.pip.records import apply_action

    client_id = add_client_with_pip(profile)
    reviews = service(profile)
    with profile.store().session(actor="km.jansen") as session:
        version = session.scalars(select(PipVersion)).one()
        update_version(session, version.id, {"text.onderbouwing": "Kan B1 halen.", **COMPLETE_PARTS})
        sign = Signatures(TODAY, TODAY, None)
        for action in (PipAction.BESPREKEN, PipAction.ONDERTEKENEN, PipAction.VASTSTELLEN):
            apply_action(session, version.id, action, "sup", Role.SUPERVISOR, TODAY, signatures=sign)
    review_set = reviews.review_set(client_id)
    assert not review_set.version_editable
    with pytest.raises(PipRefused, match="vastgesteld"):
        reviews.approve(review_set, item(review_set, "pip:einddoel"), (GOAL_AR,), TOLK)
    # Standard texts belong to no PIP: still reviewable.
    page = next(i for i in review_set.items if i.source == T.PAGE_OF)
    updated, _warnings = reviews.approve(review_set, page, ("صفحة {page} من {pages}",), TOLK)
    assert updated.status is ReviewStatus.REVIEWED
