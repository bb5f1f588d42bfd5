"""The use case "PIP documents for a client": which document, which languages, render, audit.

The GUI ("PIP afdrukken", "Alle acht talen") and `wegwijs pdf` both go through `DocumentService`:

1. `prepare(client, spec)` (store work): the client's current PIP as a `PipDocument`, or, for a
   client without a PIP yet, a concept from what is known so far (client, case, intake advice);
   the languages, Dutch first; and the free texts that have no reviewed translation, so the GUI can
   warn before printing.
2. `render(job, folder, progress=, cancelled=)` (no store work): one PDF per language. ReportLab's
   font registry is process-wide and `app.pdf.render` holds a lock around it, so this runs on one
   worker thread, never the GUI thread.
3. `record(job, outcome)` (store work): an audit entry "afgedrukt" without personal data.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from app.domain.eligibility import check_obliged
from app.domain.errors import WegwijsError
from app.domain.pip_lifecycle import PipState, pip_in_force
from app.i18n import _
from app.i18n.languages import is_known_language
from app.models.client import Client
from app.models.journal import record_audit
from app.models.pip import Pip, PipVersion
from app.models.store import StoreLike
from app.pdf import document as doc
from app.pdf import texts as T
from app.services import pdf_files
from app.services.client_records import find_client
from app.services.pip.document import concept_document, version_document
from app.services.pip.records import (
    get_pip,
    latest_version,
)
from app.services.profile import Profile
from app.services.visibility import session_visibility

if TYPE_CHECKING:
    from app.pdf.render import RenderResult, TranslationGap
    from app.services.signing import SigningService

# ReportLab, HarfBuzz, pikepdf and the signing stack load when a PIP is printed, not when the GUI or
# the command line starts (issue 15): the functions below import them where they are used.

ACTION_PRINT = "afgedrukt"  # audit action code (app.models.journal keeps codes, never free text)
LOGO_OPTION = "municipality_logo"  # profile option: path of the municipality's logo (PNG or JPEG)

ProgressCallback = Callable[[int, int, str], None]
CancelledCallback = Callable[[], bool]
Signer = Callable[[Path], None]  # signs one finished PDF in place


class FolderError(WegwijsError):
    """The output folder cannot be made or written."""


class UnprintableCharacters(WegwijsError):
    """A text has characters no bundled font has (emoji, CJK): they would print as empty boxes."""

    def __init__(self, characters: set[str]) -> None:
        self.characters = frozenset(characters)
        named = ", ".join(_character_name(ch) for ch in sorted(characters))
        super().__init__(
            _(
                "Het PIP kan niet worden gemaakt, want de tekens {characters} staan in geen lettertype van "
                "het PIP en zouden als lege vakjes worden afgedrukt; pas de tekst aan en vervang of "
                "verwijder ze."
            ).format(characters=named)
        )


def _character_name(ch: str) -> str:
    code = f"U+{ord(ch):04X}"
    # An invisible character (a joiner, a combining mark) is named by its code point only.
    return code if unicodedata.category(ch)[0] in "CMZ" else f"{code} ({ch})"


def check_printable(document: doc.PipDocument) -> None:
    """Refuse a document with characters no bundled font has, before anything is written."""
    from app.pdf.textlayout import uncovered

    missing = uncovered(document.texts())
    if missing:
        raise UnprintableCharacters(missing)


@dataclass(frozen=True)
class PendingTranslation:
    """A free text that will print in Dutch on the translated side, in these languages."""

    section: str  # Dutch heading of the part of the plan
    label: str  # Dutch label within the part, or ""
    dutch: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class PrintJob:
    """Everything rendering needs, read from the store; plain data, safe to pass between threads."""

    client_id: uuid.UUID
    document: doc.PipDocument
    languages: tuple[str, ...]  # Dutch first
    client_language: str | None  # the client's document language, whose reviewed translations count
    has_pip: bool  # False: a concept made from what is known so far

    @property
    def pending_translations(self) -> list[PendingTranslation]:
        return pending_translations(self.document, self.languages, self.client_language)

    @property
    def unreviewed_fixed_texts(self) -> dict[str, int]:
        """Issue 19: per language, how many of the document's fixed texts print as a first
        translation no interpreter has checked (the PDF says so on every page; warn first)."""
        from app.pdf.unreviewed import unreviewed_texts

        counts = {code: len(unreviewed_texts(code)) for code in self.languages if code != "nl"}
        return {code: n for code, n in counts.items() if n}

    @property
    def is_signed(self) -> bool:
        return bool(self.document.signing is not None and self.document.signing.signed)

    def document_for(self, language: str) -> doc.PipDocument:
        """The document as printed in `language`: the stored translations belong to the client's
        document language only, so another language gets the Dutch text with the 'follows' note."""
        if language == self.client_language:
            return self.document
        return _without_translations(self.document)


@dataclass(frozen=True)
class PrintOutcome:
    folder: Path
    results: tuple[RenderResult, ...]
    cancelled: bool  # stopped before every language was written

    @property
    def paths(self) -> list[Path]:
        return [result.path for result in self.results]

    @property
    def gaps(self) -> dict[str, list[TranslationGap]]:
        return {result.language: result.gaps for result in self.results if result.gaps}


class DocumentService:
    def __init__(
        self,
        store: StoreLike,
        actor: str,
        role: str,
        municipality: str,
        logo_path: Path | None = None,
        signing: SigningService | None = None,
        person_names: dict[str, str] | None = None,
        print_settings: doc.PrintSettings | None = None,
    ) -> None:
        self.store = store
        self.actor = actor
        self.role = role
        self.municipality = municipality
        self.logo_path = logo_path
        self.signing = signing  # issue 19: signs adopted PIPs when it has a certificate
        self.person_names = person_names or {}  # issue 19: login -> the person's name (profile)
        self.print_settings = print_settings or doc.PrintSettings()  # the municipality's choices

    @classmethod
    def for_profile(cls, profile: Profile) -> DocumentService:
        from app.services.signing import SigningService

        logo = profile.settings.options.get(LOGO_OPTION)
        logo_path = Path(logo) if isinstance(logo, str) and logo and Path(logo).is_file() else None
        return cls(
            profile.store(),
            profile.actor,
            profile.settings.role,
            profile.settings.municipality,
            logo_path,
            SigningService.for_profile(profile),
            {profile.actor: profile.person_name},
            print_settings_from(profile.settings.options),
        )

    # -- 1. reading (store) -------------------------------------------------------------------------

    def prepare(self, client: str | uuid.UUID, spec: str, version: int | None = None) -> PrintJob:
        """`spec`: a language code, "all" (every document language) or "client" (the client's own).
        `version`: the version number to print; by default the PIP in force, else the latest draft.

        Refuses an unknown client or language with one Dutch sentence (WegwijsError)."""
        from app.pdf.render import document_languages

        if spec not in ("all", "client"):
            document_languages(spec)  # refuse an unknown code before touching the store
        with self.store.session(self.actor, self.role) as session:
            record = find_client(session, str(client))
            job = build_job(session, record, spec, self.municipality, self.logo_path, version)
        return self._finish_job(job)

    def _finish_job(self, job: PrintJob) -> PrintJob:
        """Issue 19: the klantmanager's own name, never a login; and for an adopted PIP whether it
        is signed (an expired or missing certificate is refused here, before anything is written)."""
        document = replace(job.document, settings=self.print_settings)
        name = document.klantmanager.name
        if name in self.person_names:
            document = replace(
                document, klantmanager=replace(document.klantmanager, name=self.person_names[name])
            )
        if document.is_adopted:
            signed = self.signing is not None and self.signing.can_sign
            certificate = ""
            if signed and self.signing is not None:
                certificate = self.signing.material().subject  # refuses a missing or expired one now
            info = doc.SigningInfo(signed, document.municipality.name, certificate)
            document = replace(document, signing=info)
        return replace(job, document=document)

    def versions(self, client: str | uuid.UUID) -> PrintableVersions:
        """Which versions can be printed, and which is in force (the default)."""
        with self.store.session(self.actor, self.role) as session:
            record = find_client(session, str(client))
            pip = get_pip(session, record.id)
            if pip is None:
                return PrintableVersions((), None)
            numbers = tuple(
                (v.number, PipState(v.state)) for v in sorted(pip.versions, key=lambda v: v.number)
            )
            return PrintableVersions(numbers, pip_in_force(numbers))

    # -- 2. rendering (one worker thread) -----------------------------------------------------------

    def render(
        self,
        job: PrintJob,
        folder: Path | str,
        progress: ProgressCallback | None = None,
        cancelled: CancelledCallback | None = None,
    ) -> PrintOutcome:
        return render_job(job, folder, progress, cancelled, self._signer(job))

    def _signer(self, job: PrintJob) -> Signer | None:
        """Issue 19: the last step for an adopted PIP on an installation that signs; never a concept."""
        if not job.is_signed or not job.document.is_adopted or self.signing is None:
            return None
        material = self.signing.material()
        municipality = job.document.municipality.name

        def sign(path: Path) -> None:
            from app.pdf.signing import sign_pdf

            sign_pdf(path, path, material, municipality)

        return sign

    # -- 3. audit (store) ---------------------------------------------------------------------------

    def record(self, job: PrintJob, outcome: PrintOutcome) -> None:
        if not outcome.results:
            return
        with self.store.session(self.actor, self.role) as session:
            record_audit(session, ACTION_PRINT, "client", job.client_id, audit_detail(job, outcome))

    def print_documents(
        self,
        client: str | uuid.UUID,
        spec: str,
        folder: Path | str,
        progress: ProgressCallback | None = None,
        cancelled: CancelledCallback | None = None,
    ) -> PrintOutcome:
        """All three steps in the calling thread (the command line)."""
        job = self.prepare(client, spec)
        outcome = self.render(job, folder, progress, cancelled)
        self.record(job, outcome)
        return outcome


def build_job(
    session: Session,
    client: Client,
    spec: str,
    municipality: str,
    logo_path: Path | None = None,
    version_number: int | None = None,
) -> PrintJob:
    from app.pdf.render import document_languages

    # The same rule as drafting a PIP: no document for a minor household member or someone over the
    # AOW age.
    # AOW age assessed on the day the residence right was made known, as when drafting.
    check_obliged(
        client.birth_date,
        dt.date.today(),
        melddatum=client.case.melddatum if client.case else None,
        target_group=client.target_group,
    )
    language = client.document_language
    if spec == "client":
        # A client whose language has no document catalog yet gets the Dutch document.
        codes = document_languages(language if language and is_known_language(language) else "nl")
    else:
        codes = document_languages(spec)
    # One load, one check: the version found here is the one the document is made from.
    pip = get_pip(session, client.id)
    version = _chosen_version(pip, version_number) if pip is not None else None
    has_route = version is not None and bool(version.leerroute or version.advised_route)
    if pip is not None and version is not None and has_route:
        document = version_document(client, pip, version, municipality, logo_path)
    else:
        document = concept_document(session, client, municipality, logo_path)
        if version is not None:
            document = replace(document, version=version.number)
    seen = session_visibility(session)  # only what the role of this unit of work may see
    if not seen.sees_column("client", "bsn"):
        document = replace(document, client=replace(document.client, bsn=None))
    if not seen.sees_column("pip_version", "ontzorgen"):
        document = replace(document, ontzorgen=None)
    check_printable(document)
    return PrintJob(client.id, document, tuple(codes), language, has_route)


@dataclass(frozen=True)
class PrintableVersions:
    versions: tuple[tuple[int, PipState], ...]  # (number, state), oldest first
    in_force: int | None  # the number printed by default


def _chosen_version(pip: Pip, number: int | None) -> PipVersion:
    """The version asked for; by default the PIP in force (the legal state), else the latest draft."""
    if number is None:
        number = pip_in_force((v.number, v.state) for v in pip.versions)
    if number is None:
        return latest_version(pip)
    for version in pip.versions:
        if version.number == number:
            return version
    raise WegwijsError(
        _("Dit PIP heeft geen versie {number}; kies een bestaande versie.").format(number=number)
    )


def render_job(
    job: PrintJob,
    folder: Path | str,
    progress: ProgressCallback | None = None,
    cancelled: CancelledCallback | None = None,
    sign: Signer | None = None,
) -> PrintOutcome:
    """One PDF per language into `folder` (created if missing, private); stops between languages when
    `cancelled()` says so. Each language gets its own document (see `PrintJob.document_for`).

    Issue 19 (app/services/pdf_files.py): each file gets a new name, is written atomically and only
    when the whole set is done; a cancelled set writes nothing. `sign` signs each finished file
    (adopted PIPs on a supervisor installation with a certificate) as the very last step."""
    from app.pdf.render import render_pip

    target = Path(folder)
    results: list[RenderResult] = []
    stopped = False
    check_printable(job.document)
    today = dt.date.today()
    try:
        pdf_files.make_folder(target)
        with pdf_files.staged(target) as temporaries:
            for index, code in enumerate(job.languages):
                if cancelled is not None and cancelled():
                    stopped = True
                    break
                document = job.document_for(code)
                temporaries.append(pdf_files.temporary_pdf(target))
                results.append(render_pip(document, code, temporaries[-1]))
                if results[-1].glyphs.missing:
                    # A standard text the check above cannot see: no PDF with empty boxes stays behind.
                    raise UnprintableCharacters(results[-1].glyphs.missing)
                if sign is not None:
                    sign(temporaries[-1])
                if progress is not None:
                    progress(index + 1, len(job.languages), code)
            if stopped:
                results = []
            else:
                results = _publish(job, target, results, today)
    except OSError as error:
        raise FolderError(
            _("In de map {folder} kan geen PDF worden geschreven; kies een andere map.").format(folder=target)
        ) from error
    return PrintOutcome(target, tuple(results), stopped)


def _publish(job: PrintJob, target: Path, results: list[RenderResult], today: dt.date) -> list[RenderResult]:
    """Give every finished file of the set its name; on a failure, none of the set stays."""
    published: list[RenderResult] = []
    try:
        for result in results:
            base = pdf_files.base_name(
                job.document.client.v_nummer, job.document.version, result.language, today
            )
            published.append(replace(result, path=pdf_files.publish(result.path, target, base)))
    except BaseException:
        for result in published:
            result.path.unlink(missing_ok=True)
        raise
    return published


def audit_detail(job: PrintJob, outcome: PrintOutcome) -> str:
    """Languages, version, state and counts: never a name, a path (it has the V-nummer) or a text."""
    languages = ",".join(result.language for result in outcome.results)
    detail = f"pip v{job.document.version} {job.document.state.value}; talen {languages}"
    if not job.has_pip:
        detail += "; concept zonder PIP"
    if job.is_signed and outcome.results:
        detail += "; digitaal ondertekend"
    if outcome.cancelled:
        detail += "; afgebroken"
    return detail


def print_settings_from(options: Mapping[str, object]) -> doc.PrintSettings:
    """The municipal options of the profile (or the policy) that change the translated column."""
    return doc.PrintSettings(
        western_digits=bool(options.get("pdf_westerse_cijfers", False)),
        levantine_months=bool(options.get("pdf_levantijnse_maanden", False)),
    )


# -- free texts without a reviewed translation --------------------------------------------------------

_Entry = tuple[str, str, doc.FreeText | None]


def _entries(document: doc.PipDocument) -> list[_Entry]:
    """The free texts in the order the PDF prints them, with the Dutch heading and label."""
    route, guidance, d = document.leerroute, document.guidance, document
    found: list[_Entry] = [
        (T.LEERROUTE, T.JUSTIFICATION, route.justification),
        (T.LEERROUTE, T.FINAL_GOAL, route.final_goal),
        (T.LEERROUTE, T.PERIOD, route.period_text),
        (T.LEERROUTE, T.DUAAL, route.duaal),
        (T.GUIDANCE, "", guidance.guidance),
    ]
    if d.is_asylum:
        found.append((T.GUIDANCE, T.MAATSCHAPPELIJKE_BEGELEIDING, guidance.maatschappelijke_begeleiding))
    found += [(T.GUIDANCE, T.PRECONDITIONS, item) for item in guidance.preconditions]
    found += [(T.MAP, T.INTENSITY, d.map.intensity), (T.MAP, T.PRACTICAL, d.map.practical_component)]
    found.append((T.PVT, T.INTENSITY, d.pvt.intensity))
    if d.is_asylum and d.ontzorgen is not None:
        found.append((T.ONTZORGEN, "", d.ontzorgen.description))
        found.append((T.ONTZORGEN, T.FINANCIAL_TRAINING, d.ontzorgen.financial_training))
    if d.afschalen.applies:
        found.append((T.AFSCHALEN, "", d.afschalen.explanation))
    found.append((T.MONITORING, "", d.monitoring.description))
    found.append((T.TAALSCHOOL, "", d.taalschool_note))
    for agreement in d.agreements:
        found.append((T.AGREEMENTS, T.WHAT, agreement.what))
        who = agreement.who.strip()
        if who and who.casefold() not in T.ROLES:  # a known role is translated; a name or free text is not
            found.append((T.AGREEMENTS, T.WHO, doc.FreeText(who)))
    found.append((T.REMARKS, "", d.remarks))
    return found


def pending_translations(
    document: doc.PipDocument, languages: Iterable[str], client_language: str | None
) -> list[PendingTranslation]:
    """Free texts that will print in Dutch with a 'translation follows' note, per text the languages.

    Only the client's document language can have a reviewed translation; Dutch needs none."""
    targets = [code for code in languages if code != "nl"]
    pending = []
    for section, label, text in _entries(document):
        if text is None or text.is_empty:
            continue
        missing = tuple(
            code for code in targets if code != client_language or not text.has_reviewed_translation
        )
        if missing:
            pending.append(PendingTranslation(section, label, text.dutch, missing))
    return pending


def _without_translations(value: Any) -> Any:
    if isinstance(value, doc.FreeText):
        return doc.FreeText(value.dutch)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _without_translations(getattr(value, f.name)) for f in fields(value) if f.init}
        return replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_without_translations(item) for item in value)
    return value


__all__ = [
    "ACTION_PRINT",
    "DocumentService",
    "PendingTranslation",
    "PrintJob",
    "PrintOutcome",
    "UnprintableCharacters",
    "build_job",
    "check_printable",
    "concept_document",
    "pending_translations",
    "render_job",
]
