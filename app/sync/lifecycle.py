"""The PIP's lifecycle rules that sync applies on the supervisor's side (import and conflicts).

An adopted version never changes: an incoming record that would change one (or delete it) is kept
aside as a conflict, and a conflict decision can never put it over the version here. The only
steps an adopted version still takes are its own: replaced by a later adopted version, or
withdrawn. The term starts the day after the first adoption and never moves: an incoming PIP
record with another first adoption date is kept aside too, and taking it keeps the date here.

Records are compared in their serialised form (app/sync/records.py: ISO dates, plain values).
"""

from __future__ import annotations

from typing import Any

from app.domain.pip_lifecycle import PipState, is_immutable
from app.i18n import _

PIP_VERSION = "pip_version"
PIP = "pip"
_BOOKKEEPING = frozenset({"version", "updated_at", "created_at"})
# What an adopted version may still change, and into which states.
_OWN_STEP_FIELDS = frozenset({"state", "withdrawn_on", "withdrawn_by"})
_OWN_STEPS = {PipState.VASTGESTELD.value: {PipState.VERVANGEN.value, PipState.INGETROKKEN.value}}
# The PIP record's copies of what its versions say; after a decision they follow the versions here.
DERIVED_PIP_FIELDS = frozenset({"current_number", "current_state", "current_route", "in_force_number"})


def _changed(local: dict[str, Any], incoming: dict[str, Any]) -> set[str]:
    keys = (set(local) | set(incoming)) - _BOOKKEEPING
    return {key for key in keys if local.get(key) != incoming.get(key)}


def adopted_change_problem(table: str, local: dict[str, Any], incoming: dict[str, Any] | None) -> str | None:
    """Why an incoming record (None: a deletion) may not replace `local`, in Dutch; None if it may."""
    if table == PIP_VERSION:
        state = local.get("state")
        if not isinstance(state, str) or not is_immutable(state):
            return None
        if incoming is None:
            return _(
                "Deze PIP-versie is vastgesteld en blijft bewaard; de verwijdering van het apparaat wordt "
                "niet overgenomen maar ter inzage bewaard."
            )
        changed = _changed(local, incoming)
        if not changed:
            return None
        step = incoming.get("state") in _OWN_STEPS.get(state, set())
        if step and changed <= _OWN_STEP_FIELDS:
            return None
        return _(
            "Deze PIP-versie is vastgesteld en kan niet meer veranderen; de binnengekomen wijziging wordt "
            "niet overgenomen maar ter inzage bewaard. Houd de versie hier; een wijziging wordt een nieuwe "
            "versie op het apparaat."
        )
    if table == PIP:
        first = local.get("first_adopted_on")
        if first is None:
            return None
        if incoming is None:
            return _(
                "Dit PIP heeft een vastgestelde versie en blijft bewaard; de verwijdering van het apparaat "
                "wordt niet overgenomen maar ter inzage bewaard."
            )
        if incoming.get("first_adopted_on") != first:
            return _(
                "De binnengekomen gegevens zouden de start van de inburgeringstermijn verplaatsen; die start "
                "(de dag na de eerste vaststelling) verandert nooit en blijft zoals hier."
            )
    return None


def keep_incoming_refusal(
    table: str, local: dict[str, Any] | None, incoming: dict[str, Any] | None
) -> str | None:
    """Why "keep incoming" cannot be chosen for this conflict, in Dutch; None if it can.

    For the PIP record itself the incoming version can be taken: the term start and the copies of
    the versions' state stay as they are here (see `protected_pip_values`)."""
    if local is None or table != PIP_VERSION:
        if local is not None and table == PIP and incoming is None and local.get("first_adopted_on"):
            return adopted_change_problem(table, local, None)
        return None
    return adopted_change_problem(table, local, incoming)


def protected_pip_values(local: dict[str, Any], values: dict[str, Any], current: dict[str, Any]) -> None:
    """Taking an incoming PIP record keeps the first adoption (the term start) that is here; `current`
    holds the record's values here as Python values, `values` the incoming ones (changed in place)."""
    if local.get("first_adopted_on") is not None:
        values["first_adopted_on"] = current["first_adopted_on"]
    if current.get("switched"):
        values["switched"] = True
    for name in DERIVED_PIP_FIELDS:
        values[name] = current[name]
