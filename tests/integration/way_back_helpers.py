"""Builders for the way-back tests: a team of three real profiles (two klantmanagers and a supervisor)
with keys exchanged, a signed PIP on a device, and the push -> import -> decide -> push -> pull steps."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from builders import add_client_with_case
from pip_parts import COMPLETE_PARTS

from app.domain.enums import Leerroute, Role
from app.domain.pip_lifecycle import PipAction
from app.models.pip import TextPart
from app.services.pip import PipService, Signatures, text_key
from app.services.profile import Profile
from app.services.sync import (
    DecisionPushService,
    PullResult,
    PullService,
    PushService,
    SupervisorImportService,
    SyncKeysService,
)

DRAFTED = dt.date(2026, 11, 2)
SIGNED = dt.date(2026, 11, 9)
ADOPTED = dt.date(2026, 11, 16)


@dataclass
class Team:
    km1: Profile
    km2: Profile
    sup: Profile
    target: str  # a folder path or a WebDAV address with credentials
    folder: Path


def make_team(folder: Path, target: str, make: Callable[..., Profile]) -> Team:
    """`make` is the shared `make_profile` fixture (it closes the profiles afterwards)."""
    km1 = make(Role.KLANTMANAGER, "Utrecht", "Karin", "km1")
    km2 = make(Role.KLANTMANAGER, "Utrecht", "Kees", "km2")
    sup = make(Role.SUPERVISOR, "Utrecht", "Sam", "sup")
    SyncKeysService.for_profile(sup).export_public(folder / "sup.json")
    for name, device in (("km1", km1), ("km2", km2)):
        SyncKeysService.for_profile(device).export_public(folder / f"{name}.json")
        SyncKeysService.for_profile(device).trust_supervisor(folder / "sup.json")
        SyncKeysService.for_profile(sup).register_device(folder / f"{name}.json")
    return Team(km1, km2, sup, target, folder)


def klantmanager(profile: Profile) -> PipService:
    return PipService(profile.store(), profile.actor, Role.KLANTMANAGER)


def supervisor(profile: Profile) -> PipService:
    return PipService(profile.store(), profile.actor, Role.SUPERVISOR)


def signed_pip(profile: Profile, v_nummer: str) -> tuple[uuid.UUID, uuid.UUID]:
    """A client with a complete, discussed and signed PIP version 1; (client id, version id)."""
    with profile.store().session(actor=profile.actor) as session:
        client_id = add_client_with_case(session, v_nummer, huisvestingsdatum=dt.date(2026, 10, 1)).id
    service = klantmanager(profile)
    draft = service.draft(client_id, DRAFTED)
    values = {
        "leerroute": Leerroute.B1.value,
        text_key(TextPart.FINAL_GOAL): "Nederlands op B1 en betaald werk",
        **COMPLETE_PARTS,
    }
    service.save(draft.version_id, values, DRAFTED)
    service.act(draft.version_id, PipAction.BESPREKEN, SIGNED)
    service.act(draft.version_id, PipAction.ONDERTEKENEN, SIGNED, Signatures(SIGNED, SIGNED))
    return client_id, draft.version_id


def push(team: Team, device: Profile) -> None:
    result = PushService.for_profile(device).push(team.target)
    assert result.ok, result.error


def import_all(team: Team) -> None:
    SupervisorImportService.for_profile(team.sup).import_paths([team.target])


def supervisor_push(team: Team) -> None:
    result = DecisionPushService.for_profile(team.sup).push(team.target)
    assert result.error is None, result.error


def pull(team: Team, device: Profile) -> PullResult:
    result = PullService.for_profile(device).pull(team.target)
    assert result.error is None, result.error
    return result
