"""The COA hand-over list (CSV, see CLI.md): every good row imported, every bad row explained.

All rows are checked before anything is written; the good rows are then written in one
transaction, each in a savepoint, so a row the store refuses never leaves half a client behind.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.dates import InvalidDate, PartialDate, parse_full_date
from app.domain.enums import TargetGroup
from app.domain.errors import WegwijsError
from app.domain.identifiers import is_valid_bsn, is_valid_v_nummer, normalise_identifier
from app.i18n import N_, _
from app.i18n.languages import is_known_language
from app.models.client import Case, Client, Household
from app.services.client_records import moved_sentence

REQUIRED_COLUMNS = ("v_nummer", "achternaam", "voornamen", "geboortedatum")
MAX_NAME_LENGTH = 200
MAX_FIELD_LENGTH = 200
OLDEST_BIRTH_YEAR = 1900
# What one list may hold: far more than any COA hand-over, and a bound on memory (see read_rows_from).
MAX_ROWS = 20_000
MAX_LINE_BYTES = 1024 * 1024
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")
_COUNTRY_CODE = re.compile(r"[A-Z]{3}")
# Joiners and direction marks are part of writing Persian and Arabic names correctly.
_ALLOWED_FORMAT_CHARACTERS = {"\u200c", "\u200d", "\u200e", "\u200f"}
_NAME_PUNCTUATION = set(" -'’.")


class CoaFileError(WegwijsError):
    """The whole file cannot be read (not a row): nothing was imported."""


# The result codes are Dutch words (they appear in tests and scripts); shown, they are translated.
RESULT_WORDS = {
    "toegevoegd": N_("toegevoegd"),
    "bijgewerkt": N_("bijgewerkt"),
    "ongewijzigd": N_("ongewijzigd"),
    "geweigerd": N_("geweigerd"),
}


@dataclass
class RowOutcome:
    line: int
    v_nummer: str
    result: str  # toegevoegd / bijgewerkt / ongewijzigd / geweigerd
    reason: str = ""

    @property
    def result_word(self) -> str:
        """The result in the interface language."""
        return _(RESULT_WORDS.get(self.result, self.result))


@dataclass
class ImportReport:
    outcomes: list[RowOutcome] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.result == result)

    @property
    def refused(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.result == "geweigerd"]

    def summary(self) -> str:
        return _(
            "{added} toegevoegd, {updated} bijgewerkt, {unchanged} ongewijzigd, {refused} geweigerd."
        ).format(
            added=self.count("toegevoegd"),
            updated=self.count("bijgewerkt"),
            unchanged=self.count("ongewijzigd"),
            refused=self.count("geweigerd"),
        )


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]


class RowRefused(Exception):
    pass


def _character_name(character: str) -> str:
    name = unicodedata.name(character, "") or _("onbekend teken")
    return f"'{character}' (U+{ord(character):04X} {name})"


def _check_text(label: str, value: str, *, latin_only: bool, required: bool) -> str | None:
    value = unicodedata.normalize("NFC", value.strip())
    if not value:
        if required:
            raise RowRefused(_("{label} ontbreekt.").format(label=label))
        return None
    if len(value) > MAX_NAME_LENGTH:
        raise RowRefused(
            _("{label} is te lang ({count} tekens; maximaal {maximum}).").format(
                label=label, count=len(value), maximum=MAX_NAME_LENGTH
            )
        )
    for character in value:
        category = unicodedata.category(character)
        if category.startswith(("L", "M")):
            if latin_only and category.startswith("L") and "LATIN" not in unicodedata.name(character, ""):
                raise RowRefused(
                    _(
                        "{label} moet in Latijns schrift staan, maar bevat {character}; zet de "
                        "oorspronkelijke schrijfwijze in naam_origineel."
                    ).format(label=label, character=_character_name(character))
                )
            continue
        if character in _NAME_PUNCTUATION:
            continue
        if not latin_only and character in _ALLOWED_FORMAT_CHARACTERS:
            continue
        raise RowRefused(
            _("{label} bevat het teken {character}, dat in een naam niet kan.").format(
                label=label, character=_character_name(character)
            )
        )
    return value


def _check_plain(label: str, value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if len(value) > MAX_FIELD_LENGTH:
        raise RowRefused(
            _("{label} is te lang ({count} tekens; maximaal {maximum}).").format(
                label=label, count=len(value), maximum=MAX_FIELD_LENGTH
            )
        )
    if any(unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co"} for c in value):
        raise RowRefused(_("{label} bevat onzichtbare stuurtekens.").format(label=label))
    return value


def _date(label: str, value: str, today: dt.date) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return parse_full_date(value)
    except InvalidDate as error:
        raise RowRefused(f"{label}: {error}") from None


def check_row(raw: dict[str, str], today: dt.date) -> dict[str, Any]:
    """One row's values, checked and normalised; raises RowRefused with a Dutch reason."""

    def get(column: str) -> str:
        return (raw.get(column) or "").strip()

    v_nummer = normalise_identifier(get("v_nummer"))
    if not v_nummer:
        raise RowRefused(_("V-nummer ontbreekt."))
    if not is_valid_v_nummer(v_nummer):
        raise RowRefused(_("V-nummer '{value}' is geen 10 cijfers.").format(value=get("v_nummer")))
    values: dict[str, Any] = {"v_nummer": v_nummer}
    values["family_name"] = _check_text("achternaam", get("achternaam"), latin_only=True, required=True)
    values["given_names"] = _check_text("voornamen", get("voornamen"), latin_only=True, required=True)
    values["name_original"] = _check_text(
        "naam_origineel", get("naam_origineel"), latin_only=False, required=False
    )
    birth_text = get("geboortedatum")
    if not birth_text:
        raise RowRefused(_("geboortedatum ontbreekt."))
    try:
        birth = PartialDate.parse(birth_text)
    except InvalidDate as error:
        raise RowRefused(_("geboortedatum: {error}").format(error=error)) from None
    if birth.earliest() > today:
        raise RowRefused(_("geboortedatum {birth} ligt in de toekomst.").format(birth=birth))
    if birth.year < OLDEST_BIRTH_YEAR:
        raise RowRefused(
            _("geboortedatum {birth} ligt voor {year}; controleer het jaar.").format(
                birth=birth, year=OLDEST_BIRTH_YEAR
            )
        )
    values["birth_date"] = str(birth)
    nationality = get("nationaliteit").upper()
    if nationality and not _COUNTRY_CODE.fullmatch(nationality):
        raise RowRefused(
            _("nationaliteit '{value}' is geen landcode van drie letters (zoals SYR).").format(
                value=get("nationaliteit")
            )
        )
    values["nationality"] = nationality or None
    language = get("taal")
    if language and not _LANGUAGE_CODE.fullmatch(language):
        raise RowRefused(
            _("taal '{language}' is geen taalcode (zoals ar, ti of fa_AF).").format(language=language)
        )
    values["languages"] = [language] if language else []
    values["document_language"] = language if language and is_known_language(language) else None
    bsn = normalise_identifier(get("bsn"))
    if bsn and not is_valid_bsn(bsn):
        raise RowRefused(_("BSN '{value}' voldoet niet aan de elfproef.").format(value=get("bsn")))
    values["bsn"] = bsn or None
    values["household"] = _check_plain("huishouden", get("huishouden"))
    values["coa_location"] = _check_plain("coa_locatie", get("coa_locatie"))
    values["koppeldatum"] = _date("koppeldatum", get("koppeldatum"), today)
    values["huisvestingsdatum"] = _date("huisvestingsdatum", get("huisvestingsdatum"), today)
    # "tijdelijke bescherming" or "overige-migrant" as typed in a spreadsheet; a nareiziger is asiel.
    typed = get("doelgroep").strip().lower().replace(" ", "_").replace("-", "_")
    target = _TARGET_ALIASES.get(typed, typed) or TargetGroup.ASIEL.value
    if target not in {t.value for t in TargetGroup}:
        raise RowRefused(
            _(
                "doelgroep '{value}' is onbekend; gebruik asiel, gezinsmigrant, overige_migrant "
                "of tijdelijke_bescherming."
            ).format(value=get("doelgroep"))
        )
    values["target_group"] = target
    return values


# DOMAIN.md "Groups": asylum statushouders including the family who joined them (nareizigers).
_TARGET_ALIASES = {"nareiziger": TargetGroup.ASIEL.value, "nareizigers": TargetGroup.ASIEL.value}


def _physical_lines(stream: BinaryIO, overlong: set[int], state: dict[str, int]) -> Iterator[str]:
    """The file's lines, decoded one by one (so a bad byte is reported with its line), each at most
    MAX_LINE_BYTES: the rest of a longer line is skipped unread into memory and the line is noted in
    `overlong` (its record is refused), so no line, however long, is ever held whole."""
    number = 0
    while True:
        chunk = stream.readline(MAX_LINE_BYTES + 1)
        if not chunk:
            return
        number += 1
        state["lines"] = number
        if len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n"):
            overlong.add(number)
            while chunk and not chunk.endswith(b"\n"):
                chunk = stream.readline(MAX_LINE_BYTES)
            yield "\n"
            continue
        if number == 1 and chunk.startswith(codecs.BOM_UTF8):
            chunk = chunk[len(codecs.BOM_UTF8) :]
        try:
            yield chunk.decode("utf-8")
        except UnicodeDecodeError:
            raise CoaFileError(
                _("Het bestand is geen UTF-8-tekst (regel {line}); sla de lijst op als CSV in UTF-8.").format(
                    line=number
                )
            ) from None


def read_rows(data: bytes) -> tuple[list[ParsedRow], list[RowOutcome]]:
    """Decode, detect the separator, check the header; rows with their line numbers."""
    return read_rows_from(io.BytesIO(data))


def read_rows_from(stream: BinaryIO) -> tuple[list[ParsedRow], list[RowOutcome]]:
    """Like read_rows, from a file read as it goes: memory stays bounded by MAX_ROWS rows of at most
    MAX_LINE_BYTES each, whatever the file holds (a 60 MB line, a million rows)."""
    overlong: set[int] = set()
    state = {"lines": 0}
    lines = _physical_lines(stream, overlong, state)
    header_line = next(lines, "")
    if not header_line.strip() or 1 in overlong:
        # Blank lines before anything else: empty when nothing else follows.
        for rest in lines:
            if rest.strip():
                break
        else:
            if 1 not in overlong:
                raise CoaFileError(_("Het bestand is leeg; er is niets ingelezen."))
    separator = ";" if header_line.count(";") >= header_line.count(",") else ","
    # A cell up to a whole line is one bad row at worst, never a broken file.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_BYTES + 1))
    header_cells = next(csv.reader([header_line], delimiter=separator), [])
    header = [name.strip().lower() for name in header_cells]
    doubled = sorted({name for name in header if name and header.count(name) > 1})
    if doubled:
        raise CoaFileError(
            _(
                "De kolom(men) {columns} staan twee keer in de kopregel, zodat niet vast te stellen is "
                "welke waarde geldt; er is niets ingelezen."
            ).format(columns=", ".join(doubled))
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise CoaFileError(
            _(
                "De kopregel mist de kolom(men) {columns} (het scheidingsteken moet ; of , zijn); er is "
                "niets ingelezen."
            ).format(columns=", ".join(missing))
        )
    reader = csv.reader(lines, delimiter=separator)
    rows: list[ParsedRow] = []
    problems: list[RowOutcome] = []
    try:
        # A quoted cell may span lines: a row is reported at the line where it starts.
        next_start = 2
        for cells in reader:
            line, next_start = next_start, state["lines"] + 1
            if any(start in overlong for start in range(line, next_start)):
                problems.append(
                    RowOutcome(
                        line,
                        "",
                        "geweigerd",
                        _("de regel is te lang (meer dan {maximum} bytes); controleer de lijst.").format(
                            maximum=MAX_LINE_BYTES
                        ),
                    )
                )
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                problems.append(
                    RowOutcome(line, "", "geweigerd", _("de regel heeft meer velden dan de kopregel."))
                )
                continue
            if len(rows) + len(problems) >= MAX_ROWS:
                raise CoaFileError(
                    _(
                        "De lijst heeft meer dan {maximum} rijen; splits hem in delen van hoogstens "
                        "{maximum} rijen en lees die een voor een in (er is niets ingelezen)."
                    ).format(maximum=MAX_ROWS)
                )
            values = dict(zip(header, cells, strict=False))
            rows.append(ParsedRow(line, {name: values.get(name, "") for name in header}))
    except csv.Error:
        raise CoaFileError(
            _(
                "Het bestand is geen geldige CSV vanaf regel {line} (bijvoorbeeld een "
                "aanhalingsteken dat niet wordt gesloten); er is niets ingelezen."
            ).format(line=state["lines"])
        ) from None
    return rows, problems


def import_coa_file(session: Session, path: Path, municipality: str, klantmanager: str) -> ImportReport:
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise CoaFileError(
            _("Het bestand {path} bestaat niet; controleer de naam en de map.").format(path=path)
        ) from None
    except IsADirectoryError:
        raise CoaFileError(
            _("{path} is een map en geen bestand; geef het CSV-bestand zelf op.").format(path=path)
        ) from None
    except PermissionError:
        raise CoaFileError(
            _("U hebt geen leesrechten op {path}; vraag de beheerder om toegang.").format(path=path)
        ) from None
    except OSError:
        raise CoaFileError(
            _("Het bestand {path} is niet te lezen; kopieer het naar een lokale map.").format(path=path)
        ) from None
    with stream:
        try:
            return import_coa_stream(session, stream, municipality, klantmanager)
        except OSError:
            raise CoaFileError(
                _("Het bestand {path} is niet te lezen; kopieer het naar een lokale map.").format(path=path)
            ) from None


def import_coa_data(
    session: Session, data: bytes, municipality: str, klantmanager: str, today: dt.date | None = None
) -> ImportReport:
    return import_coa_stream(session, io.BytesIO(data), municipality, klantmanager, today)


def import_coa_stream(
    session: Session, stream: BinaryIO, municipality: str, klantmanager: str, today: dt.date | None = None
) -> ImportReport:
    today = today or dt.date.today()
    rows, problems = read_rows_from(stream)
    report = ImportReport(outcomes=list(problems))
    checked: list[tuple[int, dict[str, Any]]] = []
    for row in rows:
        try:
            checked.append((row.line, check_row(row.values, today)))
        except RowRefused as refusal:
            report.outcomes.append(
                RowOutcome(row.line, row.values.get("v_nummer", "").strip(), "geweigerd", str(refusal))
            )
    # Rows refused for another reason count too: which line is right is for the list's owner to say.
    lines_per_v_nummer: dict[str, list[int]] = {}
    for row in rows:
        number = normalise_identifier(row.values.get("v_nummer", "").strip())
        lines_per_v_nummer.setdefault(number, []).append(row.line)
    households = _households_already_known(session, checked)
    for line, values in checked:
        lines = lines_per_v_nummer[values["v_nummer"]]
        if len(lines) > 1:
            others = ", ".join(str(n) for n in lines if n != line)
            report.outcomes.append(
                RowOutcome(
                    line,
                    values["v_nummer"],
                    "geweigerd",
                    _(
                        "V-nummer komt ook voor op regel {lines}; corrigeer de lijst en lees die opnieuw in."
                    ).format(lines=others),
                )
            )
            continue
        report.outcomes.append(_apply_row(session, line, values, municipality, klantmanager, households))
    report.outcomes.sort(key=lambda outcome: outcome.line)
    return report


def _households_already_known(
    session: Session, rows: list[tuple[int, dict[str, Any]]]
) -> dict[str, Household]:
    """A label names a household within one list only; a list read again finds the households its
    known clients already belong to, so importing it twice changes nothing."""
    known: dict[str, Household] = {}
    for _line, values in rows:
        label = values["household"]
        if not label or label in known:
            continue
        client = session.scalars(select(Client).where(Client.v_nummer == values["v_nummer"])).first()
        if client is not None and client.household is not None and client.household.label == label:
            known[label] = client.household
    return known


def _differs(record: object, changes: dict[str, Any]) -> bool:
    return any(getattr(record, name) != value for name, value in changes.items())


def _assign(record: object, changes: dict[str, Any]) -> bool:
    changed = False
    for name, value in changes.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed = True
    return changed


def _apply_row(
    session: Session,
    line: int,
    values: dict[str, Any],
    municipality: str,
    klantmanager: str,
    households: dict[str, Household],
) -> RowOutcome:
    savepoint = session.begin_nested()
    label = values["household"]
    new_household = False
    try:
        client = session.scalars(select(Client).where(Client.v_nummer == values["v_nummer"])).first()
        household = None
        if label:
            household = households.get(label)
            if household is None:
                household = Household(label=label)
                session.add(household)
                new_household = True
        client_fields = {
            "family_name": values["family_name"],
            "given_names": values["given_names"],
            "birth_date": values["birth_date"],
            "target_group": values["target_group"],
        }
        # Optional columns only overwrite what is stored when the list actually gives a value.
        for name in ("name_original", "nationality", "bsn", "document_language"):
            if values[name] is not None:
                client_fields[name] = values[name]
        if values["languages"]:
            client_fields["languages"] = values["languages"]
        if household is not None:
            client_fields["household"] = household
        case_fields = {
            name: values[name]
            for name in ("coa_location", "koppeldatum", "huisvestingsdatum")
            if values[name] is not None
        }
        if client is None:
            client = Client(v_nummer=values["v_nummer"], **client_fields)
            client.languages = client_fields.get("languages", [])
            session.add(client)
            session.add(
                Case(client=client, municipality=municipality, klantmanager=klantmanager, **case_fields)
            )
            result = "toegevoegd"
        elif client.case is not None and client.case.moved_on is not None:
            # The case is closed (verhuizing): the list may still name the person, but changes no more.
            if _differs(client, client_fields) or _differs(client.case, case_fields):
                savepoint.rollback()
                reason = moved_sentence(client.case.moved_to or "", client.case.moved_on)
                return RowOutcome(line, values["v_nummer"], "geweigerd", reason)
            result = "ongewijzigd"
        else:
            changed = _assign(client, client_fields)
            case = client.case
            if case is None:
                session.add(
                    Case(client=client, municipality=municipality, klantmanager=klantmanager, **case_fields)
                )
                changed = True
            else:
                changed = _assign(case, case_fields) or changed
            result = "bijgewerkt" if changed else "ongewijzigd"
        session.flush()
        savepoint.commit()
        if new_household and household is not None:
            households[label] = household
        return RowOutcome(line, values["v_nummer"], result)
    except IntegrityError as error:
        savepoint.rollback()
        if "bsn" in str(error.orig).lower():
            reason = _("BSN {bsn} hoort al bij een andere cliënt; controleer de lijst.").format(
                bsn=values["bsn"]
            )
        else:
            reason = _("de gegevens botsen met een andere cliënt in de database; controleer de lijst.")
        return RowOutcome(line, values["v_nummer"], "geweigerd", reason)
