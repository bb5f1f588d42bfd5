"""The remote interpreter: the free texts of one PIP version as a gettext `.po` file, and back.

The file is what ordinary translation tools (Poedit, Lokalize, Weblate) open: one entry per free
text, `msgctxt` = where the text appears (the PIP part, or "afspraak-N"), the Dutch text as msgid,
the current translation as msgstr, marked fuzzy unless an interpreter approved it. The header names
the client's language (`Language`) and identifies the PIP, the version and the language
(`X-Wegwijs-Pip`, `X-Wegwijs-Pip-Version`, `X-Wegwijs-Language`). It holds no name, no V-nummer and
nothing from the intake: only the texts the client will read anyway.

Importing checks that the file belongs to this PIP, this (current) version and this language,
refuses anything else with one Dutch sentence, and returns the changes for the klantmanager to
accept; only accepted changes are stored. A malformed file is refused with its line number.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from app.i18n import _
from app.i18n.languages import get_language
from app.i18n.po_checks import PlaceholderError, check_placeholders, read_po_strictly, script_warning
from app.i18n.review_layer import Reviewer, ReviewStatus, custom_headers, po_bytes, write_atomically
from app.models.journal import record_audit
from app.models.pip import REVIEW_APPROVED, REVIEW_NOT_REVIEWED
from app.services.review import (
    FREE_TEXT,
    ReviewError,
    ReviewSet,
    TranslationReviewService,
    context_label,
)

KIND_HEADER = "X-Wegwijs-Kind"
PIP_KIND = "pip-vrije-teksten"
PIP_HEADER = "X-Wegwijs-Pip"
VERSION_HEADER = "X-Wegwijs-Pip-Version"
LANGUAGE_HEADER = "X-Wegwijs-Language"
AUDIT_EXPORTED = "vertaling_geexporteerd"
AUDIT_IMPORTED = "vertaling_geimporteerd"


@dataclass(frozen=True)
class TextChange:
    part: str
    context: str
    dutch: str
    old: str
    new: str
    approved: bool  # the interpreter left the entry without the fuzzy flag


@dataclass(frozen=True)
class PipImport:
    """A checked file from a remote interpreter; nothing is stored until `apply_import`."""

    review_set: ReviewSet
    last_translator: str
    changes: list[TextChange] = field(default_factory=list)
    changed_source: list[str] = field(default_factory=list)  # parts whose Dutch text changed since export
    unknown: list[str] = field(default_factory=list)  # contexts this version does not have
    warnings: list[str] = field(default_factory=list)


def export_filename(review_set: ReviewSet) -> str:
    # No name or V-nummer in a file that leaves the laptop: the PIP's id identifies it.
    assert review_set.pip_id is not None
    return f"PIP_{str(review_set.pip_id)[:8]}_v{review_set.version_number}_{review_set.language}.po"


def _require_pip(review_set: ReviewSet) -> tuple[uuid.UUID, int, str]:
    if review_set.pip_id is None or review_set.version_number is None:
        raise ReviewError(_("Deze cliënt heeft nog geen PIP; maak eerst een concept-PIP."))
    if not review_set.language or review_set.language == "nl":
        raise ReviewError(
            _("Voor deze cliënt is geen documenttaal gekozen; kies eerst de documenttaal bij de cliënt.")
        )
    return review_set.pip_id, review_set.version_number, review_set.language


def export_po(service: TranslationReviewService, client_id: uuid.UUID, target: Path) -> Path:
    """Write the free texts of the client's current PIP version; `target` is a file or a folder."""
    review_set = service.review_set(client_id, domains=())
    pip_id, number, language = _require_pip(review_set)
    catalog = Catalog(locale=language, project="Wegwijs PIP", version=str(number), fuzzy=False)
    for item in review_set.items:
        if item.kind != FREE_TEXT or item.part is None:
            continue
        flags = [] if item.status is ReviewStatus.REVIEWED else ["fuzzy"]
        catalog.add(
            item.source,
            item.translation[0],
            context=item.part,
            auto_comments=[item.context],
            flags=flags,
        )
    headers = {
        KIND_HEADER: PIP_KIND,
        PIP_HEADER: str(pip_id),
        VERSION_HEADER: str(number),
        LANGUAGE_HEADER: language,
    }
    path = target / export_filename(review_set) if target.is_dir() else target
    write_atomically(path, po_bytes(catalog, headers))
    with service.store.session(actor=service.actor) as session:
        record_audit(
            session, AUDIT_EXPORTED, "pip_version", review_set.version_id, f"taal={language};versie={number}"
        )
    return path


def read_import(service: TranslationReviewService, client_id: uuid.UUID, data: bytes) -> PipImport:
    """Check a returned file against the client's current PIP version; refuses with one sentence."""
    catalog = read_po_strictly(data)
    headers = custom_headers(data)
    review_set = service.review_set(client_id, domains=())
    pip_id, number, language = _require_pip(review_set)
    if headers.get(KIND_HEADER) != PIP_KIND or PIP_HEADER not in headers:
        raise ReviewError(
            _(
                "Dit bestand is geen vertaalbestand van een PIP uit Wegwijs; kies het .po-bestand dat Wegwijs "
                "bij 'Teksten exporteren' maakte."
            )
        )
    if headers[PIP_HEADER] != str(pip_id):
        raise ReviewError(_("Dit bestand hoort bij het PIP van een andere cliënt; er is niets veranderd."))
    try:
        file_version = int(headers.get(VERSION_HEADER, ""))
    except ValueError:
        file_version = -1
    if file_version < number:
        raise ReviewError(
            _(
                "Dit bestand hoort bij versie {old} van het PIP, maar versie {current} is nu de geldende; "
                "exporteer de teksten opnieuw en stuur die naar de tolk."
            ).format(old=file_version if file_version > 0 else "?", current=number)
        )
    if file_version > number:
        raise ReviewError(
            _(
                "Dit bestand noemt versie {old} van het PIP, die hier niet bestaat; er is niets veranderd."
            ).format(old=file_version)
        )
    file_language = headers.get(LANGUAGE_HEADER) or str(catalog.locale_identifier or "")
    if file_language != language:
        raise ReviewError(
            _(
                "Dit bestand is een vertaling in het {file}, maar de documenttaal van deze cliënt is {language}; "
                "er is niets veranderd."
            ).format(file=_language_name(file_language), language=get_language(language).name_nl)
        )
    if not review_set.version_editable:
        raise ReviewError(
            _(
                "Deze PIP-versie is vastgesteld en verandert niet meer; maak een nieuwe versie om vertalingen "
                "toe te voegen."
            )
        )
    items = {item.part: item for item in review_set.items if item.kind == FREE_TEXT and item.part}
    changes: list[TextChange] = []
    changed_source: list[str] = []
    unknown: list[str] = []
    warnings: list[str] = []
    for message in catalog:
        if not message.id or not message.context:
            continue
        item = items.get(message.context)
        if item is None:
            unknown.append(message.context)
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        new = message.string if isinstance(message.string, str) else (message.string or ("",))[0]
        new = (new or "").strip()
        if msgid != item.source:
            changed_source.append(item.context)
            continue
        if not new:
            continue
        try:
            check_placeholders(item.sources, (new,))
        except PlaceholderError as error:  # name the text it belongs to
            raise PlaceholderError(f"{item.context}: {error}") from None
        approved = not message.fuzzy
        old = item.translation[0]
        unchanged_state = approved == (item.status is ReviewStatus.REVIEWED)
        if new == old and unchanged_state:
            continue
        warning = script_warning(new, language)
        if warning:
            warnings.append(f"{item.context}: {warning}")
        changes.append(TextChange(item.part or "", item.context, item.source, old, new, approved))
    translator = _last_translator(catalog)
    return PipImport(review_set, translator, changes, changed_source, unknown, warnings)


def _language_name(code: str) -> str:
    try:
        return get_language(code).name_nl
    except KeyError:
        return code or "?"


def _last_translator(catalog: Catalog) -> str:
    value = str(catalog.last_translator or "")
    return "" if value.startswith("FULL NAME") else value.split("<", 1)[0].strip()


def apply_import(
    service: TranslationReviewService,
    imported: PipImport,
    reviewer: Reviewer,
    accepted: Iterable[str] | None = None,
) -> int:
    """Store the accepted changes (all when `accepted` is None); an entry the interpreter left
    without the fuzzy flag is approved in `reviewer`'s name, the others are stored as not reviewed."""
    wanted = None if accepted is None else set(accepted)
    chosen = [c for c in imported.changes if wanted is None or c.part in wanted]
    if not chosen:
        return 0
    review_set = imported.review_set
    language = review_set.language or ""
    stamp = service.now().astimezone(dt.UTC).isoformat(timespec="seconds")
    with service.store.session(actor=f"{reviewer.label()} via {service.actor}"[:200]) as session:
        version = TranslationReviewService._editable_version(session, review_set)
        for change in chosen:
            entry = TranslationReviewService._entry_for_update(version, change.part)
            if str(entry.get("nl", "")) != change.dutch:
                raise ReviewError(
                    _(
                        "De Nederlandse tekst van '{part}' is intussen veranderd; er is niets veranderd."
                    ).format(part=change.context)
                )
            review: dict[str, str] = {"status": REVIEW_NOT_REVIEWED}
            if change.approved:
                review = {
                    "status": REVIEW_APPROVED,
                    "by": reviewer.name.strip(),
                    "register": reviewer.register.strip(),
                    "language": language,
                    "at": stamp,
                    "source": change.dutch,
                }
            TranslationReviewService._store_entry(
                version, change.part, {**entry, "lang": language, "translation": change.new, "review": review}
            )
        approved = sum(1 for c in chosen if c.approved)
        detail = (
            f"taal={language};versie={review_set.version_number};onderdelen={','.join(c.part for c in chosen)};"
            f"goedgekeurd={approved};register={reviewer.register.strip()}"
        )
        record_audit(session, AUDIT_IMPORTED, "pip_version", version.id, detail)
    return len(chosen)


class InterpreterExchangeService:
    """The exchange with a remote interpreter as the GUI calls it, built on the review service of the
    window (`TranslationReviewService.for_profile`): each method one unit of work (reading the
    texts, storing the accepted changes, both audited), plain results back."""

    def __init__(self, reviews: TranslationReviewService) -> None:
        self.reviews = reviews

    def export(self, client_id: uuid.UUID, target: Path) -> Path:
        """Write the PIP's free texts as a `.po` file in (or as) `target`; returns its path."""
        return export_po(self.reviews, client_id, target)

    def read(self, client_id: uuid.UUID, data: bytes) -> PipImport:
        """Check a returned file against this client's PIP; nothing is stored yet."""
        return read_import(self.reviews, client_id, data)

    def apply(self, imported: PipImport, reviewer: Reviewer, accepted: Iterable[str] | None = None) -> int:
        """Store the accepted changes in `reviewer`'s name; returns how many."""
        return apply_import(self.reviews, imported, reviewer, accepted)


__all__ = [
    "InterpreterExchangeService",
    "PipImport",
    "TextChange",
    "apply_import",
    "context_label",
    "export_filename",
    "export_po",
    "read_import",
]
