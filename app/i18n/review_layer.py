"""The reviewed layer of standard texts: an interpreter's approved corrections, kept in the profile.

The shipped catalogs (resources/translations/) are never edited by the app. An approved standard
text is written to `<profile>/reviewed_translations/<lang>/<domain>.po` (only reviewed entries, each
with who approved it as a translator comment) and laid over the shipped catalog through
app/i18n/layers.py, so the interface and the PDF use it at once. The same file format is the export
for the central catalogs and the import on other installations (a supervisor distributes it).
Standard texts hold no personal data, so the layer is a plain file beside the encrypted store.
"""

from __future__ import annotations

import datetime as dt
import enum
import gettext
import io
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from app.domain.errors import WegwijsError
from app.i18n import N_, _
from app.i18n.languages import get_language, is_known_language
from app.i18n.layers import LayerEntries, LayerKey, set_layer
from app.i18n.po_checks import check_placeholders, read_po_strictly, script_warning
from app.resources import translations_dir

LAYER_FOLDER = "reviewed_translations"
DOMAIN_HEADER = "X-Wegwijs-Domain"
KIND_HEADER = "X-Wegwijs-Kind"
LAYER_KIND = "standaardteksten"
SLEUTELPERSOON = "sleutelpersoon"


class ReviewStatus(enum.StrEnum):
    """Where a translation stands; the review screen filters on these."""

    NOT_TRANSLATED = "niet_vertaald"
    NOT_REVIEWED = "niet_beoordeeld"
    REVIEWED = "beoordeeld"
    OUTDATED = "verouderd"


STATUS_LABELS = {
    ReviewStatus.NOT_TRANSLATED: N_("niet vertaald"),
    ReviewStatus.NOT_REVIEWED: N_("niet beoordeeld"),
    ReviewStatus.REVIEWED: N_("beoordeeld"),
    ReviewStatus.OUTDATED: N_("verouderd"),
}


class LayerError(WegwijsError):
    pass


@dataclass(frozen=True)
class Reviewer:
    """Who approves: an interpreter with a register number (Rbtv), or a key person of the community."""

    name: str
    register: str  # the register number, or SLEUTELPERSOON

    def __post_init__(self) -> None:
        if not self.name.strip() or not self.register.strip():
            raise LayerError(
                _(
                    "Vul de naam en het registratienummer van de tolk in (of kies 'sleutelpersoon') "
                    "voordat u goedkeurt."
                )
            )

    def label(self) -> str:
        return f"{self.name.strip()} ({self.register.strip()})"


@dataclass(frozen=True)
class StandardText:
    """One standard text in one language: the shipped translation and the reviewed layer's."""

    domain: str
    language: str
    context: str | None
    msgid: str
    msgid_plural: str | None
    shipped: tuple[str, ...]
    shipped_fuzzy: bool
    reviewed: tuple[str, ...] | None = None
    reviewed_by: str = ""
    outdated: bool = False  # the shipped entry was carried over from an older Dutch text

    @property
    def key(self) -> LayerKey:
        return (self.context, self.msgid)

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.msgid, self.msgid_plural) if self.msgid_plural else (self.msgid,)

    @property
    def translation(self) -> tuple[str, ...]:
        return self.reviewed if self.reviewed else self.shipped

    @property
    def status(self) -> ReviewStatus:
        if self.reviewed:
            return ReviewStatus.REVIEWED
        if not self.shipped or not all(s.strip() for s in self.shipped):
            return ReviewStatus.NOT_TRANSLATED
        if self.outdated:
            return ReviewStatus.OUTDATED
        return ReviewStatus.NOT_REVIEWED if self.shipped_fuzzy else ReviewStatus.REVIEWED


@dataclass(frozen=True)
class LayerChange:
    context: str | None
    msgid: str
    old: tuple[str, ...]
    new: tuple[str, ...]
    reviewed_by: str


@dataclass(frozen=True)
class LayerImport:
    """A distributed layer file, read and checked; nothing is stored until `ReviewLayer.apply`."""

    domain: str
    language: str
    changes: list[LayerChange] = field(default_factory=list)
    unknown: int = 0  # entries whose Dutch text this installation does not have
    warnings: list[str] = field(default_factory=list)


def _strings(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _plural_function(language: str) -> Callable[[int], int]:
    catalog = Catalog(locale=language)
    return gettext.c2py(catalog.plural_expr)


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".layer-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def po_bytes(catalog: Catalog, headers: dict[str, str]) -> bytes:
    """Babel's writer, plus our own `X-Wegwijs-*` headers (Babel keeps only the standard ones)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False)
    text = buffer.getvalue().decode("utf-8")
    extra = "".join(f'"{name}: {value}\\n"\n' for name, value in headers.items())
    marker = '"Generated-By:'
    position = text.find(marker)
    if position < 0:
        raise AssertionError("Babel wrote no Generated-By header")
    text = text[:position] + extra + text[position:]
    return text.encode("utf-8")


def custom_headers(data: bytes) -> dict[str, str]:
    """Our `X-Wegwijs-*` headers from a `.po` file's header entry."""
    headers: dict[str, str] = {}
    for line in data.decode("utf-8", errors="replace").splitlines():
        line = line.strip()
        if line.startswith('"X-Wegwijs-') and line.endswith('\\n"'):
            name, _sep, value = line[1:-3].partition(":")
            headers[name.strip()] = value.strip()
        if line.startswith("msgid") and line != 'msgid ""':
            break
    return headers


class ReviewLayer:
    """The reviewed layer of one profile folder."""

    def __init__(self, profile_dir: Path) -> None:
        self.folder = profile_dir / LAYER_FOLDER

    def path(self, domain: str, language: str) -> Path:
        return self.folder / language / f"{domain}.po"

    def catalog(self, domain: str, language: str) -> Catalog:
        path = self.path(domain, language)
        return _read(path) if path.exists() else Catalog(locale=language, domain=domain)

    def activate(self) -> None:
        """Lay every reviewed catalog of this profile over the shipped ones (call once the profile is open)."""
        if not self.folder.is_dir():
            return
        for path in sorted(self.folder.glob("*/*.po")):
            language, domain = path.parent.name, path.stem
            if is_known_language(language):
                self._activate(domain, language, _read(path))

    def _activate(self, domain: str, language: str, catalog: Catalog) -> None:
        strings: dict[LayerKey, tuple[str, ...]] = {}
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            forms = _strings(message.string)
            if forms and all(forms):
                strings[(message.context, msgid)] = forms
        set_layer(domain, language, LayerEntries(strings, _plural_function(language)))

    # -- the texts -------------------------------------------------------------------------------

    def standard_texts(
        self,
        domain: str,
        language: str,
        include: Callable[[str | None, str], bool] | None = None,
        extra_sources: Iterable[tuple[str | None, str]] = (),
    ) -> list[StandardText]:
        """Every text of the domain's template (or `extra_sources` when it has none) in `language`."""
        shipped_path = translations_dir() / language / "LC_MESSAGES" / f"{domain}.po"
        template_path = translations_dir() / f"{domain}.pot"
        shipped = _read(shipped_path) if shipped_path.exists() else None
        layer = self.catalog(domain, language)
        sources: list[tuple[str | None, str, str | None]] = []
        if template_path.exists():
            for message in _read(template_path):
                if message.id:
                    ids = _strings(message.id)
                    sources.append((message.context, ids[0], ids[1] if len(ids) > 1 else None))
        seen = {(context, msgid) for context, msgid, _plural in sources}
        for context, msgid in extra_sources:
            if (context, msgid) not in seen:
                seen.add((context, msgid))
                sources.append((context, msgid, None))
        texts = []
        for context, msgid, plural in sources:
            if include is not None and not include(context, msgid):
                continue
            found = shipped.get(msgid, context=context) if shipped is not None else None
            reviewed = layer.get(msgid, context=context)
            texts.append(
                StandardText(
                    domain=domain,
                    language=language,
                    context=context,
                    msgid=msgid,
                    msgid_plural=plural,
                    shipped=_strings(found.string) if found is not None else (),
                    shipped_fuzzy=bool(found is not None and found.fuzzy),
                    reviewed=_strings(reviewed.string) if reviewed is not None else None,
                    reviewed_by=" ".join(reviewed.user_comments) if reviewed is not None else "",
                    outdated=bool(found is not None and found.previous_id),
                )
            )
        return texts

    def approve(
        self, text: StandardText, forms: tuple[str, ...], reviewer: Reviewer, now: dt.datetime
    ) -> list[str]:
        """Store an approved (possibly corrected) translation; returns warnings (wrong script).

        A broken placeholder is refused (PlaceholderError) and nothing is stored."""
        forms = tuple(form.strip() for form in forms)
        if not forms or not all(forms):
            raise LayerError(_("Een lege vertaling kan niet worden goedgekeurd; vul eerst de vertaling in."))
        check_placeholders(text.sources, forms)
        catalog = self.catalog(text.domain, text.language)
        msgid: str | tuple[str, str] = (text.msgid, text.msgid_plural) if text.msgid_plural else text.msgid
        string: str | tuple[str, ...] = forms if text.msgid_plural else forms[0]
        comment = f"{reviewer.label()}, {now.astimezone(dt.UTC).isoformat(timespec='seconds')}"
        catalog.delete(text.msgid, context=text.context)
        catalog.add(msgid, string, context=text.context, user_comments=[comment])
        self._save(text.domain, text.language, catalog)
        return [w for w in (script_warning(form, text.language) for form in forms) if w]

    def _save(self, domain: str, language: str, catalog: Catalog) -> None:
        data = self._file_bytes(domain, language, catalog)
        write_atomically(self.path(domain, language), data)
        self._activate(domain, language, catalog)

    def _file_bytes(self, domain: str, language: str, catalog: Catalog) -> bytes:
        catalog.locale = language  # Babel parses the code
        catalog.project = "Wegwijs"
        catalog.version = domain
        catalog.fuzzy = False
        return po_bytes(catalog, {DOMAIN_HEADER: domain, KIND_HEADER: LAYER_KIND})

    # -- exchange --------------------------------------------------------------------------------

    def export(self, domain: str, language: str, target: Path) -> int:
        """Write the reviewed entries of (domain, language) as a `.po` for the central catalogs."""
        catalog = self.catalog(domain, language)
        count = sum(1 for message in catalog if message.id)
        write_atomically(target, self._file_bytes(domain, language, catalog))
        return count

    def read_import(self, data: bytes) -> LayerImport:
        """Read and check a distributed layer file; refuses the whole file on any error."""
        catalog = read_po_strictly(data)
        headers = custom_headers(data)
        domain = headers.get(DOMAIN_HEADER, "")
        language = str(catalog.locale_identifier or "") if catalog.locale else ""
        if headers.get(KIND_HEADER) != LAYER_KIND or not domain:
            raise LayerError(
                _(
                    "Dit bestand is geen export van beoordeelde standaardteksten uit Wegwijs; kies het "
                    ".po-bestand dat Wegwijs bij 'Standaardteksten exporteren' maakte."
                )
            )
        if not is_known_language(language):
            raise LayerError(
                _(
                    "Het bestand noemt de taal '{language}', die Wegwijs niet kent; er is niets veranderd."
                ).format(language=language)
            )
        known = {(t.context, t.msgid): t for t in self.standard_texts(domain, language)}
        changes: list[LayerChange] = []
        warnings: list[str] = []
        unknown = 0
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            msgid = _strings(message.id)[0]
            text = known.get((message.context, msgid))
            forms = _strings(message.string)
            if text is None:
                unknown += 1
                continue
            if not forms or not all(forms):
                continue
            check_placeholders(text.sources, forms)
            warnings.extend(w for w in (script_warning(f, language) for f in forms) if w)
            if forms != text.reviewed:
                by = " ".join(message.user_comments)
                changes.append(LayerChange(message.context, msgid, text.translation, forms, by))
        return LayerImport(domain, language, changes, unknown, warnings)

    def apply(self, imported: LayerImport, accepted: Iterable[LayerKey] | None = None) -> int:
        """Store the accepted changes of an import (all when `accepted` is None); returns how many."""
        wanted = None if accepted is None else set(accepted)
        catalog = self.catalog(imported.domain, imported.language)
        templates = {(t.context, t.msgid): t for t in self.standard_texts(imported.domain, imported.language)}
        count = 0
        for change in imported.changes:
            if wanted is not None and (change.context, change.msgid) not in wanted:
                continue
            text = templates[(change.context, change.msgid)]
            msgid: str | tuple[str, str] = (
                (text.msgid, text.msgid_plural) if text.msgid_plural else text.msgid
            )
            string: str | tuple[str, ...] = change.new if text.msgid_plural else change.new[0]
            catalog.delete(change.msgid, context=change.context)
            comments = [change.reviewed_by] if change.reviewed_by else []
            catalog.add(msgid, string, context=change.context, user_comments=comments)
            count += 1
        if count:
            self._save(imported.domain, imported.language, catalog)
        return count


def language_label(code: str) -> str:
    return get_language(code).name_nl if is_known_language(code) else code
