"""The standard texts of the PIP document, in Dutch; translated through the "pip" gettext domain.

Only this module is extracted into resources/translations/pip.pot (see docs/pdf.md), so the "pip"
catalogs hold exactly the texts of the document. `C_` marks a text with a context (pgettext) where a
Dutch word is ambiguous on its own.
"""

from __future__ import annotations

import gettext
import re
from functools import cache
from typing import NamedTuple

from app.i18n import N_, load_catalog

PIP_DOMAIN = "pip"


class Plural(NamedTuple):
    """A text that depends on a number: translated with ngettext (pybabel -k P_:1,2)."""

    singular: str
    plural: str


Msg = str | tuple[str, str] | Plural  # a msgid, (context, msgid), or a plural pair


def C_(context: str, message: str) -> tuple[str, str]:
    """Mark a text with a context for extraction (pybabel -k C_:1c,2)."""
    return (context, message)


def P_(singular: str, plural: str) -> Plural:
    """Mark a text with a number for extraction (pybabel -k P_:1,2); both forms name the same
    placeholders, so every form of every language can be checked."""
    return Plural(singular, plural)


TITLE = N_("Persoonlijk Plan Inburgering en Participatie")
VERSION_STATE = N_("Versie {version}, {state}")
ADOPTED_ON = N_("Vastgesteld op {date}")
PRINTED_ON = N_("Gemaakt op {date}")
PAGE_OF = N_("Pagina {page} van {pages}")
CONCEPT_BANNER = N_("Concept: dit plan is nog niet vastgesteld.")
WITHDRAWN_BANNER = N_("Ingetrokken: dit plan geldt niet meer.")
# A concept names the legally required parts it still lacks (issue 13), never leaves them out silently.
MISSING_PARTS = N_("Nog niet compleet; ontbreekt nog: {parts}.")
LEGAL_LANGUAGE = N_(
    "Dit plan staat in het Nederlands en in uw eigen taal. Als de teksten verschillen, geldt de "
    "Nederlandse tekst."
)
TRANSLATION_FOLLOWS = N_("De vertaling van deze tekst volgt.")
UNKNOWN = N_("onbekend")
CONTINUED = N_("{heading} (vervolg)")
NOT_APPLICABLE = N_("Niet van toepassing.")

STATES = {
    "concept": C_("pip-status", "concept"),
    "besproken": C_("pip-status", "besproken"),
    "ondertekend": C_("pip-status", "ondertekend"),
    "vastgesteld": C_("pip-status", "vastgesteld"),
    "ingetrokken": C_("pip-status", "ingetrokken"),
}

PERSONAL = N_("Persoonlijke gegevens")
NAME = N_("Naam")
ORIGINAL_NAME = N_("Naam in eigen schrift")
V_NUMMER = N_("V-nummer")
BSN = N_("BSN")
BIRTH_DATE = N_("Geboortedatum")
MUNICIPALITY = N_("Gemeente")
KLANTMANAGER = N_("Klantmanager")

LEERROUTE = N_("Leerroute")
ROUTES = {
    "b1": C_("leerroute", "B1-route"),
    "onderwijs": C_("leerroute", "Onderwijsroute"),
    "z": C_("leerroute", "Zelfredzaamheidsroute (Z-route)"),
}
ROUTE_DESCRIPTIONS = {
    "b1": N_(
        "In de B1-route leert u Nederlands op taalniveau B1: lezen, luisteren, schrijven en spreken. "
        "U leert ook over de Nederlandse samenleving (KNM). U combineert de taalles vanaf het begin "
        "met (vrijwilligers)werk."
    ),
    "onderwijs": N_(
        "In de onderwijsroute volgt u een taalschakeltraject. Daarna kunt u een opleiding volgen "
        "op het mbo, hbo of de universiteit en een Nederlands diploma halen."
    ),
    "z": N_(
        "In de zelfredzaamheidsroute leert u zo goed mogelijk Nederlands, zodat u zich zelfstandig "
        "kunt redden. U krijgt minstens 800 uur taalles en les over de Nederlandse samenleving, en "
        "als asielstatushouder ook minstens 800 uur participatie."
    ),
}
CHOSEN_ROUTE = N_("Gekozen route")
ADVISED_ROUTE = N_("Advies uit de leerbaarheidstoets")
JUSTIFICATION = N_("Onderbouwing van de keuze")
FINAL_GOAL = N_("Einddoel")
REACH_BY = N_("Te bereiken vóór {date}")
PERIOD = N_("Periode")
WITHIN_MONTHS = P_("Te bereiken binnen {months} maand.", "Te bereiken binnen {months} maanden.")
DUAAL = N_("Combinatie met (vrijwilligers)werk")

GUIDANCE = N_("Begeleiding en ondersteuning")
MAATSCHAPPELIJKE_BEGELEIDING = N_("Maatschappelijke begeleiding")
MB_DESCRIPTION = N_(
    "Maatschappelijke begeleiding helpt u in de eerste tijd met praktische zaken, zoals wonen, zorg, "
    "school en geldzaken."
)
PROVIDED_BY = N_("Uitgevoerd door")
PRECONDITIONS = N_("Randvoorwaarden")
CHILDCARE_NEEDED = N_("Kinderopvang is nodig om de route te kunnen volgen.")
PRECONDITIONS_DESCRIPTION = N_("Wat nodig is om de route te kunnen volgen, zoals kinderopvang.")

MAP = N_("Module Arbeidsmarkt en Participatie (MAP)")
MAP_DESCRIPTION = N_(
    "De MAP is verplicht voor iedereen. U leert hoe werk en de arbeidsmarkt in Nederland werken en "
    "u doet ervaring op in de praktijk."
)
INTENSITY = N_("Intensiteit")
PRACTICAL = N_("Praktijkdeel")
HOURS = P_("{hours} uur", "{hours} uur")

PVT = N_("Participatieverklaringstraject (PVT)")
PVT_DESCRIPTION = N_(
    "In het PVT leert u over de kernwaarden van de Nederlandse samenleving, zoals vrijheid, "
    "gelijkwaardigheid en solidariteit. U sluit af met het ondertekenen van de participatieverklaring."
)
FINISH_BY = N_("Afronden vóór {date}")

ONTZORGEN = N_("Ontzorgen")
ONTZORGEN_DESCRIPTION = N_(
    "De eerste zes maanden nadat u in de gemeente bent gaan wonen, betaalt de gemeente uw vaste "
    "lasten uit uw uitkering. U krijgt de rest van het geld zelf. Zo begint u zonder schulden."
)
FIXED_COSTS = N_("Vaste lasten")
FIXED_COST_NAMES = {
    "huur": C_("vaste-last", "huur"),
    "energie": C_("vaste-last", "gas en elektriciteit"),
    "water": C_("vaste-last", "water"),
    "zorgverzekering": C_("vaste-last", "zorgverzekering"),
    "gemeentelijke_belastingen": C_("vaste-last", "gemeentelijke belastingen"),
    "overig": C_("vaste-last", "overige vaste lasten"),
}
FROM_TO = N_("Van {start} tot en met {end}")
FORM = N_("Vorm")
ONTZORGEN_FORMS = {
    "vaste_lasten": N_("De gemeente betaalt de vaste lasten uit de uitkering."),
    "budgetbeheer": N_("Volledig budgetbeheer door de gemeente."),
    "andere_vorm": N_("Een andere vorm, zoals hieronder beschreven."),
}
FINANCIAL_TRAINING = N_("Training financiële zelfredzaamheid")

AFSCHALEN = N_("Afschalen")
AFSCHALEN_DESCRIPTION = N_(
    "Als taalniveau B1 voor een examenonderdeel niet haalbaar blijkt, kan de gemeente dat onderdeel "
    "afschalen naar taalniveau A2."
)
AFSCHALEN_NONE = N_("Afschalen is nu niet van toepassing.")
AFSCHALEN_PARTS = N_("Afschalen naar A2 voor: {parts}")
UNTIL = N_("Tot {date}")
FOR_MONTHS = P_("Voor {months} maand.", "Voor {months} maanden.")
EXAM_PARTS = {
    "lezen": C_("examenonderdeel", "lezen"),
    "luisteren": C_("examenonderdeel", "luisteren"),
    "schrijven": C_("examenonderdeel", "schrijven"),
    "spreken": C_("examenonderdeel", "spreken"),
}

MONITORING = N_("Voortgang en voortgangsgesprekken")
MONITORING_DESCRIPTION = N_(
    "De gemeente volgt hoe het met u en uw inburgering gaat. Uw klantmanager voert daarvoor "
    "regelmatig een voortgangsgesprek met u."
)
INTERVAL = P_("Een gesprek ongeveer elke {weeks} week.", "Een gesprek ongeveer elke {weeks} weken.")
INTERVAL_MONTHS = P_(
    "Een gesprek ongeveer elke {months} maand.", "Een gesprek ongeveer elke {months} maanden."
)
PLANNED_MEETINGS = N_("Geplande voortgangsgesprekken")
HELD_MEETINGS = N_("Gehouden voortgangsgesprekken")

TAALSCHOOL = N_("Taalschool")

AGREEMENTS = N_("Afspraken")
WHAT = N_("Wat")
WHO = N_("Wie")
WHEN = N_("Wanneer")
STATUS = N_("Status")
NO_AGREEMENTS = N_("Er zijn nog geen afspraken vastgelegd.")
# The known roles in an agreement's "Wie"; any other text is printed as typed, marked untranslated.
ROLES = {
    "inburgeraar": C_("rol", "inburgeraar"),
    "klantmanager": C_("rol", "klantmanager"),
    "gemeente": C_("rol", "gemeente"),
    "vluchtelingenwerk": C_("rol", "VluchtelingenWerk"),
}
UNTRANSLATED = N_("(niet vertaald)")
AGREEMENT_STATUSES = {
    "open": C_("afspraak-status", "open"),
    "bezig": C_("afspraak-status", "bezig"),
    "gedaan": C_("afspraak-status", "gedaan"),
    "vervallen": C_("afspraak-status", "vervallen"),
}

REMARKS = N_("Opmerkingen")

OBJECTION = N_("Bezwaar en beroep")
OBJECTION_TEXT = N_(
    "Dit plan is een besluit van de gemeente. Bent u het niet eens met dit besluit? Dan kunt u "
    "binnen 6 weken na de datum van dit besluit bezwaar maken. Stuur een brief aan het college van "
    "burgemeester en wethouders van {municipality}. Schrijf in de brief waarom u het niet eens bent en "
    "zet uw handtekening eronder. Bent u het daarna nog steeds niet eens? Dan kunt u in beroep gaan "
    "bij de rechtbank."
)
QUESTIONS = N_("Heeft u vragen? Neem dan contact op met uw klantmanager.")

SIGNATURES = N_("Ondertekening")
CLIENT_ROLE = N_("Inburgeraar")
KLANTMANAGER_ROLE = N_("Klantmanager namens de gemeente")
INTERPRETER_ROLE = N_("Tolk")
CLIENT_STATEMENT = N_("Ik heb dit plan besproken en ik begrijp wat erin staat.")
INTERPRETER_STATEMENT = N_("Ik heb dit plan voor de inburgeraar vertaald.")
REGISTER_NUMBER = N_("Registratienummer (Rbtv)")
DATE = N_("Datum")
SIGNATURE = N_("Handtekening")

# -- issue 19 (pdf-signing): the digital signature of an adopted PIP (app/pdf/signing.py) and the
# notice on pages whose translated side uses fixed texts no interpreter has checked yet.
DIGITALLY_SIGNED = N_(
    "Dit besluit is digitaal ondertekend door de gemeente {municipality}. Met een PDF-lezer kunt u "
    "controleren dat het niet is veranderd."
)
NOT_DIGITALLY_SIGNED = N_("Dit document is niet digitaal ondertekend.")
SIGNED_BY = N_("Digitaal ondertekend namens de gemeente {municipality}")
SIGNED_CERTIFICATE = N_("Certificaat: {name}")
SIGNED_REASON = N_("Vaststelling van het Persoonlijk Plan Inburgering en Participatie")
UNREVIEWED_NOTICE = N_("De vaste teksten in deze vertaling zijn nog niet door een tolk gecontroleerd.")

# Every text above, for the catalog check and the test that each has a translation.
ALL_TEXTS: tuple[Msg, ...] = (
    tuple(
        value
        for name, value in list(globals().items())
        if name.isupper() and isinstance(value, str | tuple) and name not in {"PIP_DOMAIN"}
    )
    + tuple(
        value
        for table in (STATES, ROUTES, ROUTE_DESCRIPTIONS, FIXED_COST_NAMES, ONTZORGEN_FORMS, EXAM_PARTS)
        for value in table.values()
    )
    + tuple(AGREEMENT_STATUSES.values())
    + tuple(ROLES.values())
)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


class DocumentTexts:
    """The standard texts in one language; Dutch ("nl") returns the source texts."""

    def __init__(self, code: str) -> None:
        self.code = code
        self._catalog: gettext.NullTranslations = load_catalog(PIP_DOMAIN, code)

    def __call__(self, message: Msg, count: int | None = None, /, **values: object) -> str:
        """The text in this language; `count` chooses the plural form, `values` fill the placeholders."""
        if isinstance(message, Plural):
            n = 1 if count is None else count
            source = message.singular if n == 1 else message.plural
            translated = self._catalog.ngettext(message.singular, message.plural, n)
        elif isinstance(message, tuple):
            context, source = message
            translated = self._catalog.pgettext(context, source)
        else:
            source = message
            translated = self._catalog.gettext(source)
        if not values:
            return translated
        try:
            return translated.format(**values)
        except (KeyError, IndexError, ValueError):
            # A translation with a broken placeholder must not stop the document: use the Dutch.
            return source.format(**values)


@cache
def texts_for(code: str) -> DocumentTexts:
    return DocumentTexts(code)
