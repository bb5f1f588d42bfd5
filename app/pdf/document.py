"""What a PIP document shows: plain data, filled by the PIP service from its models.

No SQLAlchemy, no Qt: the PIP service maps its records onto these classes and hands them to
`app.pdf.render.render_pip`. Every string here is user-entered data (names, free texts) and is
printed literally; the standard texts of the document (headings, descriptions, rights) come from
the "pip" gettext domain in app/pdf/texts.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path

# The vocabularies are the domain's own (defined once); the PDF layer names the leerroute `Route`.
from app.domain.enums import Leerroute as Route
from app.domain.pip_lifecycle import ExamPart as ExamPart
from app.domain.pip_lifecycle import PipState as PipState
from app.domain.pip_plan import AgreementStatus as AgreementStatus
from app.domain.pip_plan import FixedCost as FixedCost
from app.domain.pip_plan import OntzorgenForm as OntzorgenForm


@dataclass(frozen=True)
class FreeText:
    """A text written in Dutch by the klantmanager, with its translation into the document language.

    Only a translation an interpreter has reviewed is printed; otherwise the Dutch text is printed on
    the translated side too, with a note in the target language that the translation follows.
    """

    dutch: str
    translation: str | None = None
    reviewed: bool = False

    @property
    def has_reviewed_translation(self) -> bool:
        return bool(self.reviewed and self.translation and self.translation.strip())

    @property
    def is_empty(self) -> bool:
        return not self.dutch.strip()


@dataclass(frozen=True)
class Municipality:
    name: str
    logo_path: Path | None = None  # PNG or JPEG; printed at the top left of every page


@dataclass(frozen=True)
class ClientInfo:
    family_name: str  # Latin script, as in the BRP / COA hand-over
    given_names: str  # Latin script
    v_nummer: str  # 10 digits
    birth_date: str  # 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (app.domain.dates.PartialDate as text)
    original_name: str | None = None  # full name in the original script, e.g. Arabic or Ethiopic
    bsn: str | None = None
    nationality: str | None = None  # ISO 3166 code as stored (COA hand-over), e.g. "SYR" or "SY"

    @property
    def latin_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    @property
    def distinct_original_name(self) -> str | None:
        """The original-script name, unless it only repeats the Latin name (Turkish, Kurmanji)."""
        original = (self.original_name or "").strip()
        if not original or original.casefold() == self.latin_name.casefold():
            return None
        return original


@dataclass(frozen=True)
class LeerrouteInfo:
    route: Route
    final_goal: FreeText  # e.g. "Taalniveau B1 op alle onderdelen en KNM"
    period_end: dt.date | None = None  # the date by which the goal must be reached
    period_months: int | None = None  # or the period as a number of months
    period_text: FreeText | None = None  # how the period is counted, when more than a date is needed
    advised_route: Route | None = None  # the route the leerbaarheidstoets pointed to
    justification: FreeText | None = None  # onderbouwing, required when route != advised_route
    duaal: FreeText | None = None  # for the B1-route: the (volunteer) work combined with the course


@dataclass(frozen=True)
class GuidanceInfo:
    """Begeleiding en ondersteuning, including maatschappelijke begeleiding (asylum statushouders)."""

    guidance: FreeText | None = None
    maatschappelijke_begeleiding: FreeText | None = None  # what and how long
    maatschappelijke_begeleiding_by: str | None = None  # who: a name such as VluchtelingenWerk
    childcare_needed: bool = False
    preconditions: tuple[FreeText, ...] = ()  # randvoorwaarden such as childcare


@dataclass(frozen=True)
class MapInfo:
    """Module Arbeidsmarkt en Participatie: mandatory for everyone, with a practical component."""

    intensity: FreeText | None = None
    practical_component: FreeText | None = None
    hours: int | None = None
    practical_hours: int | None = None


@dataclass(frozen=True)
class PvtInfo:
    """Participatieverklaringstraject: ends with signing the participation declaration."""

    intensity: FreeText | None = None
    planned_by: dt.date | None = None
    hours: int | None = None


@dataclass(frozen=True)
class OntzorgenInfo:
    """Only for asylum statushouders on social assistance (the first six months after housing)."""

    fixed_costs: tuple[FixedCost, ...]
    start: dt.date | None
    end: dt.date | None
    form: OntzorgenForm = OntzorgenForm.VASTE_LASTEN
    description: FreeText | None = None  # required for ANDERE_VORM; otherwise optional extra
    financial_training: FreeText | None = None


@dataclass(frozen=True)
class AfschalenInfo:
    applies: bool
    exam_parts: tuple[ExamPart, ...] = ()  # which parts go to A2
    until: dt.date | None = None
    months: int | None = None  # how long, when there is no end date
    explanation: FreeText | None = None


@dataclass(frozen=True)
class MonitoringInfo:
    description: FreeText | None = None  # how the municipality follows progress
    interval_weeks: int | None = None
    interval_months: int | None = None  # used when interval_weeks is None
    planned_meetings: tuple[dt.date, ...] = ()  # voortgangsgesprekken
    held_meetings: tuple[dt.date, ...] = ()  # held so far (issue 13); none on a replaced version


@dataclass(frozen=True)
class Agreement:
    what: FreeText
    who: str  # a name or a role: printed literally in both columns
    due: dt.date | None = None
    status: AgreementStatus = AgreementStatus.OPEN


@dataclass(frozen=True)
class Signatory:
    name: str
    signed_on: dt.date | None = None


@dataclass(frozen=True)
class InterpreterSignatory:
    name: str
    register_number: str | None = None  # Rbtv number; a sleutelpersoon may have none
    signed_on: dt.date | None = None


# Nationalities whose Arabic uses the Levantine (Syriac-derived) month names: كانون الثاني، شباط، آذار …
LEVANTINE = frozenset({"SY", "SYR", "LB", "LBN", "JO", "JOR", "PS", "PSE", "IQ", "IRQ"})


@dataclass(frozen=True)
class PrintSettings:
    """The municipality's choices for the translated column (profile options, see docs/pdf.md)."""

    western_digits: bool = False  # Persian and Dari print ۱۲۳ unless the municipality wants 0-9
    levantine_months: bool = False  # Arabic dates with Levantine month names for LEVANTINE clients
    levantine_nationalities: frozenset[str] = LEVANTINE


@dataclass(frozen=True)
class SigningInfo:
    """Issue 19 (app/pdf/signing.py): what an adopted PIP says about its digital signature.

    `signed`: the supervisor installation has the municipality's certificate and signs the file
    after rendering; otherwise the document says it is not digitally signed."""

    signed: bool
    municipality: str = ""
    certificate: str = ""  # the name in the signing certificate, shown in the signature block


@dataclass(frozen=True)
class PipDocument:
    """Everything one PIP PDF shows. Optional parts that are None are left out of the document,
    except where the law requires the part: then the document says it does not apply."""

    municipality: Municipality
    client: ClientInfo
    version: int
    state: PipState
    leerroute: LeerrouteInfo
    map: MapInfo
    pvt: PvtInfo
    klantmanager: Signatory
    is_asylum: bool = True  # asylum statushouder: ontzorgen and maatschappelijke begeleiding apply
    adopted_on: dt.date | None = None  # vastgesteld on
    printed_on: dt.date | None = None  # defaults to today when rendering
    guidance: GuidanceInfo = field(default_factory=GuidanceInfo)
    ontzorgen: OntzorgenInfo | None = None
    afschalen: AfschalenInfo = field(default_factory=lambda: AfschalenInfo(applies=False))
    monitoring: MonitoringInfo = field(default_factory=MonitoringInfo)
    taalschool: str | None = None  # name of the language school (a proper name, not translated)
    taalschool_note: FreeText | None = None
    agreements: tuple[Agreement, ...] = ()
    remarks: FreeText | None = None  # overige afspraken / opmerkingen
    settings: PrintSettings = field(default_factory=PrintSettings)
    interpreter: InterpreterSignatory | None = None
    client_signed_on: dt.date | None = None
    # A version not yet signed: the legally required parts still missing, as Dutch names (the law's
    # list, app/domain/pip_lifecycle.py missing_parts); the page marks them instead of leaving them out.
    missing_parts: tuple[str, ...] = ()
    # -- issue 19 (pdf-signing): what an adopted PIP says about its digital signature.
    signing: SigningInfo | None = None

    @property
    def is_adopted(self) -> bool:
        return self.state == PipState.VASTGESTELD

    def texts(self) -> Iterator[str]:
        """Every text the document holds (names, free texts, translations), for checks before printing."""
        return _texts(self)


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif is_dataclass(value) and not isinstance(value, type):
        for item in fields(value):
            yield from _texts(getattr(value, item.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _texts(item)
