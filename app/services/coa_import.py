"""The COA hand-over list (CSV, see CLI.md): every good row imported, every bad row explained.

All rows are checked before anything is written; the good rows are then written in one
transaction, each in a savepoint, so a row the store refuses never leaves half a client behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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

REQUIRED_COLUMNS = ("v_nummer", "achternaam", "voornamen", "geboortedatum")
MAX_NAME_LENGTH = 200
MAX_FIELD_LENGTH = 200
OLDEST_BIRTH_YEAR = 1900
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
    target = get("doelgroep").lower() or TargetGroup.ASIEL.value
    if target not in {t.value for t in TargetGroup}:
        raise RowRefused(
            _(
                "doelgroep '{value}' is onbekend; gebruik asiel, gezinsmigrant, overige_migrant "
                "of tijdelijke_bescherming."
            ).format(value=get("doelgroep"))
        )
    values["target_group"] = target
    return values


def read_rows(data: bytes) -> tuple[list[ParsedRow], list[RowOutcome]]:
    """Decode, detect the separator, check the header; rows with their line numbers."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CoaFileError(
            _("Het bestand is geen UTF-8-tekst (regel {line}); sla de lijst op als CSV in UTF-8.").format(
                line=line
            )
        ) from None
    if not text.strip():
        raise CoaFileError(_("Het bestand is leeg; er is niets ingelezen."))
    header_line = text.splitlines()[0]
    separator = ";" if header_line.count(";") >= header_line.count(",") else ","
    # A single over-long cell must be refused as one bad row, not break the whole file.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=separator)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    reader.fieldnames = header
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
    rows: list[ParsedRow] = []
    problems: list[RowOutcome] = []
    try:
        # A quoted cell may span lines: a row is reported at the line where it starts.
        next_start = reader.line_num + 1
        for record in reader:
            line = next_start
            next_start = reader.line_num + 1
            if None in record:
                problems.append(
                    RowOutcome(line, "", "geweigerd", _("de regel heeft meer velden dan de kopregel."))
                )
                continue
            if not any((value or "").strip() for value in record.values()):
                continue
            rows.append(ParsedRow(line, {k: v or "" for k, v in record.items()}))
    except csv.Error:
        raise CoaFileError(
            _(
                "Het bestand is geen geldige CSV vanaf regel {line} (bijvoorbeeld een "
                "aanhalingsteken dat niet wordt gesloten); er is niets ingelezen."
            ).format(line=reader.line_num)
        ) from None
    return rows, problems


def import_coa_file(session: Session, path: Path, municipality: str, klantmanager: str) -> ImportReport:
    try:
        data = path.read_bytes()
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
    return import_coa_data(session, data, municipality, klantmanager)


def import_coa_data(
    session: Session, data: bytes, municipality: str, klantmanager: str, today: dt.date | None = None
) -> ImportReport:
    today = today or dt.date.today()
    rows, problems = read_rows(data)
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
