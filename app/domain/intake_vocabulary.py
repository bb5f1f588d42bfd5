"""The words of the brede intake's conversations: where a conversation took place, who interpreted.

Domain vocabulary, shared by the store (app/models/intake.py), the services and the GUI's choices.
"""

from __future__ import annotations

import enum

from app.i18n import N_


class IntakeStatus(enum.StrEnum):
    OPEN = "open"  # being filled in, over one or more conversations
    CONCLUDED = "afgerond"  # concluded by the klantmanager; answers are read-only


class Place(enum.StrEnum):
    AZC = "azc"
    GEMEENTEHUIS = "gemeentehuis"
    THUIS = "thuis"
    TELEFOON = "telefoon"
    VIDEO = "video"


PLACE_LABELS: dict[Place, str] = {
    Place.AZC: N_("AZC"),
    Place.GEMEENTEHUIS: N_("Gemeentehuis"),
    Place.THUIS: N_("Thuis (huisbezoek)"),
    Place.TELEFOON: N_("Telefoon"),
    Place.VIDEO: N_("Video"),
}


class InterpreterKind(enum.StrEnum):
    NONE = "geen"
    TOLK = "tolk"  # a registered interpreter: name and register number (Rbtv)
    SLEUTELPERSOON = "sleutelpersoon"  # a key person from the community, not registered


INTERPRETER_LABELS: dict[InterpreterKind, str] = {
    InterpreterKind.NONE: N_("Geen tolk"),
    InterpreterKind.TOLK: N_("Tolk"),
    InterpreterKind.SLEUTELPERSOON: N_("Sleutelpersoon"),
}
