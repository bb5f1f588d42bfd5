"""The remote interpreter's `.po` file: export, import with acceptance, and every refusal."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from builders import add_client_with_case
from pip_parts import COMPLETE_PARTS
from sqlalchemy import select

from app.domain.enums import Role
from app.domain.pip_lifecycle import ChangeReason, PipAction
from app.i18n.po_checks import PlaceholderError, PoSyntaxError
from app.i18n.review_layer import Reviewer, ReviewStatus, custom_headers, po_bytes
from app.models.journal import AuditEntry
from app.models.pip import PipVersion
from app.services.pip import Signatures
from app.services.pip.records import apply_action, draft_pip, new_version, update_version
from app.services.profile import Profile
from app.services.review import ReviewError, TranslationReviewService
from app.services.review_exchange import apply_import, export_po, read_import

TODAY = dt.date(2025, 3, 3)
TOLK = Reviewer("Yonas Tolk", "654321")
GOAL = "Nederlands op B1-niveau en werk in de zorg"
GOAL_TI = "ደረጃ B1 ሆላንድኛን ኣብ ክንክን ስራሕን"
MEETINGS = "Elke drie maanden een gesprek met {klantmanager}."


def add_client(profile: Profile, v_nummer: str, language: str = "ti") -> uuid.UUID:
    with profile.store().session(actor="km.jansen") as session:
        client = add_client_with_case(
            session, v_nummer, family_name="Tesfay", given_names="Abeba", name_original="ኣበባ ተስፋይ",
            birth_date="1992", language=language,
        )  # fmt: skip
        version = draft_pip(session, client.id, "km.jansen", TODAY)
        update_version(
            session, version.id, {"leerroute": "b1", "text.einddoel": GOAL, "text.monitoring": MEETINGS}
        )
        return client.id


def reviews(profile: Profile) -> TranslationReviewService:
    return TranslationReviewService.for_profile(profile)


def texts_of(profile: Profile, client_id: uuid.UUID) -> dict[str, object]:
    with profile.store().session() as session:
        versions = session.scalars(select(PipVersion)).all()
        version = max((v for v in versions if v.pip.client_id == client_id), key=lambda v: v.number)
        return dict(version.texts)


def translate(path: Path, replacements: dict[str, str], keep_fuzzy: frozenset[str] = frozenset()) -> bytes:
    """What a translation tool does: fill msgstr and clear the fuzzy flag (a reviewed entry)."""
    data = path.read_bytes()
    catalog = read_po(io.BytesIO(data))
    for message in catalog:
        if message.context in replacements:
            message.string = replacements[message.context]
            if message.context not in keep_fuzzy:
                message.flags.discard("fuzzy")
    return po_bytes(catalog, custom_headers(data))


def test_export_has_context_language_identifier_and_no_personal_data(
    profile: Profile, tmp_path: Path
) -> None:
    client_id = add_client(profile, "2345678901")
    path = export_po(reviews(profile), client_id, tmp_path)
    data = path.read_text(encoding="utf-8")
    catalog = read_po(path.open("rb"))
    assert str(catalog.locale) == "ti"
    assert '"Language: ti\\n"' in data and '"X-Wegwijs-Language: ti\\n"' in data
    assert '"X-Wegwijs-Pip-Version: 1\\n"' in data and '"X-Wegwijs-Pip: ' in data
    entries = {m.context: m for m in catalog if m.id}
    assert set(entries) == {"einddoel", "monitoring"}
    assert entries["einddoel"].id == GOAL and entries["einddoel"].fuzzy
    assert entries["einddoel"].auto_comments == ["PIP: Einddoel"]
    for personal in ("Tesfay", "Abeba", "ኣበባ", "2345678901", "1992"):
        assert personal not in data and personal not in path.name
    with profile.store().session() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "vertaling_geexporteerd")).one()
    assert audit.detail == "taal=ti;versie=1"


def test_import_shows_changes_and_stores_only_accepted_ones(profile: Profile, tmp_path: Path) -> None:
    client_id = add_client(profile, "2345678901")
    service = reviews(profile)
    path = export_po(service, client_id, tmp_path)
    meetings_ti = "ኣብ ነፍሲ ወከፍ ሰለስተ ወርሒ ምስ {klantmanager} ዝርርብ።"
    returned = translate(
        path, {"einddoel": GOAL_TI, "monitoring": meetings_ti}, keep_fuzzy=frozenset({"monitoring"})
    )
    imported = read_import(service, client_id, returned)
    assert imported.warnings == [] and imported.changed_source == []
    changes = {c.part: c for c in imported.changes}
    assert changes["einddoel"].new == GOAL_TI and changes["einddoel"].approved
    assert changes["monitoring"].new == meetings_ti and not changes["monitoring"].approved
    assert changes["einddoel"].old == ""
    # Nothing stored before acceptance.
    assert not texts_of(profile, client_id)["einddoel"].get("translation")  # type: ignore[attr-defined]

    assert apply_import(service, imported, TOLK, accepted=["einddoel"]) == 1
    states = {i.part: i.status for i in service.review_set(client_id, domains=()).items}
    assert states == {"einddoel": ReviewStatus.REVIEWED, "monitoring": ReviewStatus.NOT_TRANSLATED}
    entry = texts_of(profile, client_id)["einddoel"]
    assert entry["review"]["by"] == "Yonas Tolk" and entry["review"]["register"] == "654321"  # type: ignore[index]

    assert apply_import(service, read_import(service, client_id, returned), TOLK) == 1
    states = {i.part: i.status for i in service.review_set(client_id, domains=()).items}
    assert states["monitoring"] is ReviewStatus.NOT_REVIEWED
    with profile.store().session() as session:
        audits = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "vertaling_geimporteerd")
        ).all()
    assert [a.detail for a in audits] == [
        "taal=ti;versie=1;onderdelen=einddoel;goedgekeurd=1;register=654321",
        "taal=ti;versie=1;onderdelen=monitoring;goedgekeurd=0;register=654321",
    ]
    assert all(a.actor == "Yonas Tolk (654321) via km.jansen" for a in audits)


def test_refusals_change_nothing(profile: Profile, tmp_path: Path) -> None:
    client_id = add_client(profile, "2345678901")
    other_id = add_client(profile, "3456789012")
    service = reviews(profile)
    mine = export_po(service, client_id, tmp_path / "mine.po")
    theirs = export_po(service, other_id, tmp_path / "theirs.po")
    before = texts_of(profile, client_id)

    with pytest.raises(ReviewError, match="ander"):
        read_import(service, client_id, translate(theirs, {"einddoel": GOAL_TI}))

    # Another language than the client's document language.
    other_language = translate(mine, {"einddoel": GOAL_TI}).replace(
        b"X-Wegwijs-Language: ti", b"X-Wegwijs-Language: ar"
    )
    with pytest.raises(ReviewError, match="Arabisch.*Tigrinya"):
        read_import(service, client_id, other_language)

    # A broken placeholder names it.
    with pytest.raises(PlaceholderError, match=r"\{klantmanager\}"):
        read_import(service, client_id, translate(mine, {"monitoring": "ኣብ ነፍሲ ወከፍ ሰለስተ ወርሒ"}))

    # A malformed file: the line number, and nothing changes.
    lines = translate(mine, {"einddoel": GOAL_TI}).decode().splitlines()
    bad_line = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and "ደረጃ" in line)
    lines[bad_line] = lines[bad_line].replace('msgstr "', "msgstr ")
    with pytest.raises(PoSyntaxError, match=f"regel {bad_line + 1}") as error:
        read_import(service, client_id, ("\n".join(lines) + "\n").encode())
    assert error.value.line == bad_line + 1
    with pytest.raises(PoSyntaxError, match="regel 3"):
        read_import(service, client_id, b'msgid ""\nmsgstr ""\ngarbage here\n')
    with pytest.raises(PoSyntaxError, match="UTF-8"):
        read_import(service, client_id, b'msgid ""\nmsgstr "\xff"\n')
    with pytest.raises(ReviewError, match="geen vertaalbestand"):
        read_import(service, client_id, b'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\n')
    assert texts_of(profile, client_id) == before

    # An older version: after the PIP moved on, the old file is refused with both numbers.
    with profile.store().session(actor="km.jansen") as session:
        version = session.scalars(select(PipVersion).where(PipVersion.number == 1)).all()
        version_id = next(v.id for v in version if v.pip.client_id == client_id)
        update_version(
            session, version_id, {"text.onderbouwing": "Kan B1 halen.", "period_months": 36, **COMPLETE_PARTS}
        )
        sign = Signatures(TODAY, TODAY, None)
        for action in (PipAction.BESPREKEN, PipAction.ONDERTEKENEN, PipAction.VASTSTELLEN):
            apply_action(session, version_id, action, "sup", Role.SUPERVISOR, TODAY, signatures=sign)
        new_version(
            session, client_id, ChangeReason.OVERIG, "km.jansen", TODAY, explanation="Nieuwe taalschool."
        )
    with pytest.raises(ReviewError, match="versie 1 van het PIP, maar versie 2"):
        read_import(service, client_id, translate(mine, {"einddoel": GOAL_TI}))


def test_a_changed_dutch_text_is_not_imported(profile: Profile, tmp_path: Path) -> None:
    client_id = add_client(profile, "2345678901")
    service = reviews(profile)
    path = export_po(service, client_id, tmp_path)
    with profile.store().session(actor="km.jansen") as session:
        version = session.scalars(select(PipVersion)).one()
        update_version(session, version.id, {"text.einddoel": GOAL + " (ouderenzorg)"})
    imported = read_import(service, client_id, translate(path, {"einddoel": GOAL_TI}))
    assert imported.changes == [] and imported.changed_source == ["PIP: Einddoel"]


def test_gnu_gettext_accepts_the_files(profile: Profile, tmp_path: Path) -> None:
    """The files are for ordinary translation tools: GNU msgfmt checks them strictly (header, format
    flags, plural forms)."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext (Debian package 'gettext') is not installed")
    client_id = add_client(profile, "2345678901", language="ar")
    service = reviews(profile)
    pip_file = export_po(service, client_id, tmp_path)
    review_set = service.review_set(client_id)
    plural = next(i for i in review_set.items if i.source_plural is not None)
    service.approve(review_set, plural, plural.translation, TOLK)
    layer_file = tmp_path / "pip_ar.po"
    service.layer.export("pip", "ar", layer_file)
    for path in (pip_file, layer_file):
        result = subprocess.run(
            [msgfmt, "--check", "-o", os.devnull, str(path)], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
