"""Interpreter review: the texts a client reads in their own language, checked by an interpreter.

Two kinds of text are reviewed, side by side with their Dutch source:

- the free texts of the client's current PIP version (`PipVersion.texts` and the agreements), whose
  approval records the interpreter (name and register number, or "sleutelpersoon"), the language,
  the time and the Dutch text that was approved; when that Dutch text changes afterwards the
  translation is outdated (`verouderd`) and the PDF prints the Dutch text with a note;
- the standard texts of the catalogs ("pip", and the intake form's texts in "forms"), whose approved
  corrections go to the profile's reviewed layer (app/i18n/review_layer.py).

An interpreter sees only what the form definition lets the interpreter role see: never a text of
the intake's health, finance or other restricted sections, and never an intake answer. Switching
the laptop to interpreter mode and back is recorded in the audit log. The exchange with a remote
interpreter (`.po` files) is in app/services/review_exchange.py.
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.domain.enums import Role
from app.domain.errors import WegwijsError
from app.domain.pip_lifecycle import PipState, check_editable
from app.forms.registry import default_registry
from app.forms.schema import Field, FormDefinition, Section
from app.forms.texts import FORMS_DOMAIN
from app.i18n import _
from app.i18n.languages import get_language, is_known_language
from app.i18n.po_checks import check_placeholders, script_warning
from app.i18n.review_layer import Reviewer, ReviewLayer, ReviewStatus, StandardText
from app.models.client import Client
from app.models.journal import record_audit
from app.models.pip import (
    REVIEW_APPROVED,
    REVIEW_NOT_REVIEWED,
    REVIEW_STALE,
    TEXT_PART_LABELS,
    PipVersion,
    TextPart,
)
from app.models.store import Store
from app.services.client_records import refuse_if_moved
from app.services.pip.records import get_pip, latest_version, load_version

PIP_DOMAIN = "pip"
STANDARD_DOMAINS = (PIP_DOMAIN, FORMS_DOMAIN)
AGREEMENT_PREFIX = "afspraak-"
FREE_TEXT = "vrije_tekst"
STANDARD_TEXT = "standaardtekst"

# Audit actions (codes only; the detail holds codes and field names, never a text or a client's name).
AUDIT_MODE_ON = "tolkmodus_aan"
AUDIT_MODE_OFF = "tolkmodus_uit"
AUDIT_APPROVED = "vertaling_goedgekeurd"
AUDIT_STANDARD_APPROVED = "standaardtekst_goedgekeurd"


class ReviewError(WegwijsError):
    pass


# -- the state of one free text -------------------------------------------------------------------


def free_text_status(entry: Mapping[str, Any] | None, language: str | None) -> ReviewStatus:
    """Where a PIP free text's translation into `language` stands.

    Approved counts only while the Dutch text is the one that was approved: a text changed in a way
    that did not mark it (an agreement edited in its table, a change arriving by sync) is outdated too."""
    entry = entry or {}
    translation = str(entry.get("translation") or "")
    if not translation.strip() or (language and entry.get("lang") not in (None, language)):
        return ReviewStatus.NOT_TRANSLATED
    review = entry.get("review") or {}
    status = review.get("status", REVIEW_NOT_REVIEWED)
    if status == REVIEW_STALE:
        return ReviewStatus.OUTDATED
    if status == REVIEW_APPROVED:
        approved_source = review.get("source")
        if approved_source is not None and approved_source != entry.get("nl", ""):
            return ReviewStatus.OUTDATED
        return ReviewStatus.REVIEWED
    return ReviewStatus.NOT_REVIEWED


def free_text_entries(version: PipVersion) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """(key, where it appears, entry) for every free text of the version with Dutch text, in the
    order of the document; agreements are keyed by their position ("afspraak-1")."""
    for part in TextPart:
        entry = version.texts.get(part.value)
        if entry and str(entry.get("nl", "")).strip():
            yield part.value, _(TEXT_PART_LABELS[part]), entry
    for index, agreement in enumerate(version.agreements, 1):
        what = agreement.get("what") or {}
        if str(what.get("nl", "")).strip():
            yield f"{AGREEMENT_PREFIX}{index}", _("Afspraak {number}").format(number=index), what


def context_label(key: str) -> str:
    if key.startswith(AGREEMENT_PREFIX):
        return _("Afspraak {number}").format(number=key[len(AGREEMENT_PREFIX) :])
    try:
        return _(TEXT_PART_LABELS[TextPart(key)])
    except ValueError:
        return key


# -- what the screen shows --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewItem:
    """One text on the review screen."""

    key: str  # "pip:<part>" for a free text, "<domain>:<context>\x04<msgid>" for a standard text
    kind: str  # FREE_TEXT or STANDARD_TEXT
    context: str  # where the text appears, for the reviewer
    source: str  # the Dutch text
    source_plural: str | None
    translation: tuple[str, ...]
    status: ReviewStatus
    reviewed_by: str = ""
    part: str | None = None  # the free text's key in the version
    standard: StandardText | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source, self.source_plural) if self.source_plural else (self.source,)


@dataclass(frozen=True)
class ReviewSet:
    """The texts to review for one client: only their name and texts, nothing from the intake."""

    client_id: uuid.UUID
    client_name: str
    client_original_name: str
    language: str | None
    pip_id: uuid.UUID | None
    version_id: uuid.UUID | None
    version_number: int | None
    version_editable: bool
    items: list[ReviewItem] = field(default_factory=list)

    @property
    def is_rtl(self) -> bool:
        return bool(self.language and is_known_language(self.language) and get_language(self.language).is_rtl)

    def counts(self) -> dict[ReviewStatus, int]:
        counts = dict.fromkeys(ReviewStatus, 0)
        for item in self.items:
            counts[item.status] += 1
        return counts


def _field_texts(item: Field) -> Iterator[str]:
    yield from (item.label, item.help, item.entry_label, item.low_label, item.high_label)
    for option in item.options:
        yield option.label
    for sub in item.fields:
        yield from _field_texts(sub)


def section_texts(section: Section) -> Iterator[str]:
    """Every text of one form section a reader sees: title, help, and each field's texts."""
    yield section.title
    yield section.help
    for item in section.fields:
        yield from _field_texts(item)


def form_texts_for(role: Role, definition: FormDefinition | None = None) -> list[tuple[str, str]]:
    """(where, msgid) of every form text the role may see: the sections the form definition shows
    to that role. A text that appears only in a restricted section (health, finance) is left out."""
    definition = definition or default_registry().latest()
    found: dict[str, str] = {definition.title: _("Brede intake")}
    for section in definition.sections_for(role):
        where = _("Brede intake, {section}").format(section=section.title)
        for text in section_texts(section):
            if text and text not in found:
                found[text] = where
    return [(where, msgid) for msgid, where in found.items()]


def standard_item(text: StandardText, where: str) -> ReviewItem:
    return ReviewItem(
        key=f"{text.domain}:{text.context or ''}\x04{text.msgid}",
        kind=STANDARD_TEXT,
        context=where,
        source=text.msgid,
        source_plural=text.msgid_plural,
        translation=text.translation,
        status=text.status,
        reviewed_by=text.reviewed_by,
        standard=text,
    )


def _reviewed_by(entry: Mapping[str, Any]) -> str:
    review = entry.get("review") or {}
    if review.get("status") != REVIEW_APPROVED:
        return ""
    who = str(review.get("by", ""))
    register = str(review.get("register", ""))
    return f"{who} ({register}), {readable_time(str(review.get('at', '')))}" if register else who


def readable_time(stamp: str) -> str:
    """An ISO timestamp (UTC) as the reviewer reads it: day-month-year hours:minutes, local time."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d-%m-%Y %H:%M")


# -- the use case --------------------------------------------------------------------------------------


def activate_reviewed_layer(profile: Any) -> ReviewLayer:
    """Lay the profile's reviewed standard texts over the shipped catalogs, for the interface and
    the PDF; call once after opening a profile (GUI and command line)."""
    layer = ReviewLayer(Path(profile.data_dir))
    layer.activate()
    return layer


class TranslationReviewService:
    """The review use cases for one profile, user and role (the GUI passes Role.INTERPRETER in
    interpreter mode, whatever the profile's own role)."""

    def __init__(
        self,
        store: Store,
        layer: ReviewLayer,
        actor: str,
        role: Role,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.store = store
        self.layer = layer
        self.actor = actor
        self.role = role
        self.now = now

    @classmethod
    def for_profile(cls, profile: Any, role: Role | None = None) -> TranslationReviewService:
        """For an open app.services.profile.Profile; activates the profile's reviewed layer."""
        layer = activate_reviewed_layer(profile)
        return cls(profile.store(), layer, profile.actor, role or Role(profile.settings.role))

    def as_role(self, role: Role) -> TranslationReviewService:
        return TranslationReviewService(self.store, self.layer, self.actor, role, self.now)

    # -- interpreter mode ---------------------------------------------------------------------

    def enter_interpreter_mode(self, client_id: uuid.UUID) -> TranslationReviewService:
        """Record the switch and return the service as the interpreter sees it."""
        with self.store.session(actor=self.actor) as session:
            client = self._client(session, client_id)
            record_audit(
                session, AUDIT_MODE_ON, "client", client.id, f"taal={client.document_language or '-'}"
            )
        return self.as_role(Role.INTERPRETER)

    def leave_interpreter_mode(self, client_id: uuid.UUID) -> None:
        with self.store.session(actor=self.actor) as session:
            client = self._client(session, client_id)
            record_audit(
                session, AUDIT_MODE_OFF, "client", client.id, f"taal={client.document_language or '-'}"
            )

    # -- reading ------------------------------------------------------------------------------

    @staticmethod
    def _client(session: Session, client_id: uuid.UUID) -> Client:
        client = session.get(Client, client_id)
        if client is None:
            raise ReviewError(_("Deze cliënt bestaat niet (meer); kies een cliënt in de caseload."))
        return client

    def review_set(self, client_id: uuid.UUID, domains: Iterable[str] = STANDARD_DOMAINS) -> ReviewSet:
        """The client's name and the texts to review in their document language."""
        with self.store.session(actor=self.actor) as session:
            client = self._client(session, client_id)
            language = client.document_language
            name = f"{client.given_names} {client.family_name}".strip()
            pip = get_pip(session, client.id)
            version = latest_version(pip) if pip is not None else None
            items: list[ReviewItem] = []
            if version is not None:
                for key, where, entry in free_text_entries(version):
                    translation = str(entry.get("translation") or "")
                    status = free_text_status(entry, language)
                    items.append(
                        ReviewItem(
                            key=f"pip:{key}",
                            kind=FREE_TEXT,
                            context=_("PIP: {part}").format(part=where),
                            source=str(entry.get("nl", "")),
                            source_plural=None,
                            translation=(translation,)
                            if status is not ReviewStatus.NOT_TRANSLATED
                            else ("",),
                            status=status,
                            reviewed_by=_reviewed_by(entry),
                            part=key,
                        )
                    )
            result = ReviewSet(
                client_id=client.id,
                client_name=name,
                client_original_name=client.name_original or "",
                language=language,
                pip_id=pip.id if pip is not None else None,
                version_id=version.id if version is not None else None,
                version_number=version.number if version is not None else None,
                version_editable=version is not None and _translatable(version),
            )
        if language and is_known_language(language) and language != "nl":
            items.extend(self.standard_items(language, domains))
        return replace(result, items=items)

    def standard_items(self, language: str, domains: Iterable[str] = STANDARD_DOMAINS) -> list[ReviewItem]:
        items: list[ReviewItem] = []
        for domain in domains:
            if domain == FORMS_DOMAIN:
                items.extend(self._form_items(language))
                continue
            label = _("PIP-document (standaardtekst)") if domain == PIP_DOMAIN else _("Wegwijs")
            for text in self.layer.standard_texts(domain, language):
                items.append(standard_item(text, label))
        return items

    def _form_items(self, language: str) -> list[ReviewItem]:
        """The intake form's texts, only those of sections the role may see (forms has no template:
        the form definition itself is the source)."""
        where = {msgid: place for place, msgid in form_texts_for(self.role)}

        def include(context: str | None, msgid: str) -> bool:
            return context is None and msgid in where

        texts = self.layer.standard_texts(
            FORMS_DOMAIN, language, include=include, extra_sources=[(None, msgid) for msgid in where]
        )
        return [standard_item(text, where[text.msgid]) for text in texts]

    # -- approving ------------------------------------------------------------------------------

    def approve(
        self, review_set: ReviewSet, item: ReviewItem, forms: tuple[str, ...], reviewer: Reviewer
    ) -> tuple[ReviewItem, list[str]]:
        """Approve the (possibly corrected) translation; returns the updated item and warnings.

        A broken placeholder or an empty translation is refused and nothing changes; a text in
        the wrong script is stored with a warning."""
        forms = tuple(form.strip() for form in forms)
        if not forms or not all(forms):
            raise ReviewError(_("Een lege vertaling kan niet worden goedgekeurd; vul eerst de vertaling in."))
        language = review_set.language
        if not language or not is_known_language(language):
            raise ReviewError(
                _("Voor deze cliënt is geen documenttaal gekozen; kies eerst de documenttaal bij de cliënt.")
            )
        check_placeholders(item.sources, forms)
        warnings = [w for w in (script_warning(form, language) for form in forms) if w]
        if item.kind == STANDARD_TEXT:
            return self._approve_standard(item, forms, reviewer, warnings)
        return self._approve_free_text(review_set, item, forms[0], reviewer, warnings)

    def _approve_standard(
        self, item: ReviewItem, forms: tuple[str, ...], reviewer: Reviewer, warnings: list[str]
    ) -> tuple[ReviewItem, list[str]]:
        assert item.standard is not None
        text = item.standard
        self.layer.approve(text, forms, reviewer, self.now())
        with self.store.session(actor=self._actor(reviewer)) as session:
            detail = f"domein={text.domain};taal={text.language};register={reviewer.register};tekst={text.msgid[:80]}"
            record_audit(session, AUDIT_STANDARD_APPROVED, "catalogus", None, detail)
        updated = replace(text, reviewed=forms, reviewed_by=reviewer.label())
        return replace(
            item,
            translation=forms,
            status=ReviewStatus.REVIEWED,
            standard=updated,
            reviewed_by=reviewer.label(),
        ), warnings

    def _actor(self, reviewer: Reviewer) -> str:
        # Who approved, and on whose laptop: both belong in the log.
        return f"{reviewer.label()} via {self.actor}"[:200]

    def _approve_free_text(
        self,
        review_set: ReviewSet,
        item: ReviewItem,
        translation: str,
        reviewer: Reviewer,
        warnings: list[str],
    ) -> tuple[ReviewItem, list[str]]:
        if review_set.version_id is None or item.part is None:
            raise ReviewError(_("Deze cliënt heeft nog geen PIP; maak eerst een concept-PIP."))
        language = review_set.language or ""
        stamp = self.now().astimezone(dt.UTC).isoformat(timespec="seconds")
        with self.store.session(actor=self._actor(reviewer)) as session:
            version = self._editable_version(session, review_set)
            entry = self._entry_for_update(version, item.part)
            if str(entry.get("nl", "")) != item.source:
                raise ReviewError(
                    _(
                        "De Nederlandse tekst is intussen veranderd; open de teksten opnieuw en beoordeel de "
                        "nieuwe tekst."
                    )
                )
            review = {
                "status": REVIEW_APPROVED,
                "by": reviewer.name.strip(),
                "register": reviewer.register.strip(),
                "language": language,
                "at": stamp,
                "source": item.source,
            }
            self._store_entry(
                version, item.part, {**entry, "lang": language, "translation": translation, "review": review}
            )
            detail = f"onderdeel={item.part};taal={language};register={reviewer.register.strip()}"
            record_audit(session, AUDIT_APPROVED, "pip_version", version.id, detail)
        updated = replace(
            item,
            translation=(translation,),
            status=ReviewStatus.REVIEWED,
            reviewed_by=f"{reviewer.label()}, {readable_time(stamp)}",
        )
        return updated, warnings

    # -- storing free texts (shared with the exchange) -------------------------------------------

    @staticmethod
    def _editable_version(session: Session, review_set: ReviewSet) -> PipVersion:
        assert review_set.version_id is not None
        version = load_version(session, review_set.version_id)
        refuse_if_moved(session, version.pip.client_id)  # a closed case's texts stay as they were
        if not _translatable(version):
            check_editable(PipState(version.state))
        pip = version.pip
        if latest_version(pip).id != version.id:
            raise ReviewError(
                _(
                    "Er is intussen een nieuwere versie van dit PIP; open de teksten opnieuw en beoordeel die versie."
                )
            )
        return version

    @staticmethod
    def _entry_for_update(version: PipVersion, part: str) -> dict[str, Any]:
        if part.startswith(AGREEMENT_PREFIX):
            index = int(part[len(AGREEMENT_PREFIX) :]) - 1
            if not 0 <= index < len(version.agreements):
                raise ReviewError(_("Deze afspraak bestaat niet meer; open de teksten opnieuw."))
            return dict(version.agreements[index].get("what") or {})
        return dict(version.texts.get(part) or {})

    @staticmethod
    def _store_entry(version: PipVersion, part: str, entry: dict[str, Any]) -> None:
        # JSON columns are replaced as a whole, so the journal (and sync) see the change.
        if part.startswith(AGREEMENT_PREFIX):
            index = int(part[len(AGREEMENT_PREFIX) :]) - 1
            agreements = copy.deepcopy(version.agreements)
            agreements[index] = {**agreements[index], "what": entry}
            version.agreements = agreements
        else:
            texts = copy.deepcopy(version.texts)
            texts[part] = entry
            version.texts = texts


def _translatable(version: PipVersion) -> bool:
    """An adopted (or replaced, withdrawn) version is immutable, translations included."""
    return PipState(version.state) not in (PipState.VASTGESTELD, PipState.VERVANGEN, PipState.INGETROKKEN)
