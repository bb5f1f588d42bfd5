"""The fixed vocabularies of the Wet inburgering 2021 and of the app's roles."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    KLANTMANAGER = "klantmanager"
    SUPERVISOR = "supervisor"
    INTERPRETER = "interpreter"


class TargetGroup(enum.StrEnum):
    """Doelgroep (DOMAIN.md "Groups"): asylum statushouders (with nareizigers) get ontzorgen and
    maatschappelijke begeleiding; gezinsmigranten and overige migranten get intake, PIP, MAP, PVT
    and progress conversations without those; people under temporary protection are recorded but
    not obliged to integrate."""

    ASIEL = "asiel"
    GEZINSMIGRANT = "gezinsmigrant"
    OVERIGE_MIGRANT = "overige_migrant"
    TIJDELIJKE_BESCHERMING = "tijdelijke_bescherming"


# "vallen onder de Richtlijn tijdelijke bescherming en zijn daardoor niet inburgeringsplichtig".
NOT_OBLIGED_GROUPS = frozenset({TargetGroup.TIJDELIJKE_BESCHERMING.value})


class Leerroute(enum.StrEnum):
    B1 = "b1"
    ONDERWIJS = "onderwijs"
    Z = "z"


class Benefit(enum.StrEnum):
    """The client's benefit, as far as ontzorgen is concerned (DOMAIN.md "Ontzorgen")."""

    BIJSTAND = "bijstand"
    GEEN = "geen"
    ANDERS = "anders"  # another benefit or own income: no ontzorgen
