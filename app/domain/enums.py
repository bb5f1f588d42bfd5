"""The fixed vocabularies of the Wet inburgering 2021 and of the app's roles."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    KLANTMANAGER = "klantmanager"
    SUPERVISOR = "supervisor"
    INTERPRETER = "interpreter"


class TargetGroup(enum.StrEnum):
    """Doelgroep: asylum statushouders get ontzorgen and maatschappelijke begeleiding."""

    ASIEL = "asiel"
    GEZINSMIGRANT = "gezinsmigrant"


class Leerroute(enum.StrEnum):
    B1 = "b1"
    ONDERWIJS = "onderwijs"
    Z = "z"


class Benefit(enum.StrEnum):
    """The client's benefit, as far as ontzorgen is concerned (DOMAIN.md "Ontzorgen")."""

    BIJSTAND = "bijstand"
    GEEN = "geen"
    ANDERS = "anders"  # another benefit or own income: no ontzorgen
