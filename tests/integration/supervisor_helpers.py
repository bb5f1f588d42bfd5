"""Builders for the supervisor's tests: a team of two klantmanagers' devices and a supervisor with
real profiles and keys exchanged, PIPs drafted and signed on a device, pushed and imported."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from builders import add_client_with_case
from pip_parts import COMPLETE_PARTS
from profile_templates import TEMPLATES, opened

from app.domain.enums import Leerroute, Role
from app.domain.pip_lifecycle import PipAction
from app.models.pip import TextPart
from app.services.pip import PipService, PipSettings, Signatures, text_key
from app.services.profile import Profile, init_profile
from app.services.sync import PushService, SupervisorImportService, SyncKeysService, device_keys

TODAY = dt.date.today()


@dataclass
class Team:
    supervisor: Profile
    karin: Profile
    kees: Profile
    target: Path

    def close(self) -> None:
        for profile in (self.karin, self.kees, self.supervisor):
            profile.close()


def make_team(folder: Path, supervisor_name: str = "Sam") -> Team:
    """The team in `folder` (sup/, karin/, kees/, their public keys and share/), copied from this
    session's template of it where one can be used (tests/profile_templates.py)."""

    def build(template: Path) -> None:
        template.mkdir(mode=0o700)
        exchange_keys(template, supervisor_name).close()

    if TEMPLATES.copy(("team", supervisor_name), folder, build):
        profiles = (opened(folder / name) for name in ("sup", "karin", "kees"))
        return Team(*profiles, folder / "share")
    return exchange_keys(folder, supervisor_name)


def exchange_keys(folder: Path, supervisor_name: str) -> Team:
    supervisor = init_profile(folder / "sup", Role.SUPERVISOR, "Utrecht", supervisor_name)
    karin = init_profile(folder / "karin", Role.KLANTMANAGER, "Utrecht", "Karin")
    kees = init_profile(folder / "kees", Role.KLANTMANAGER, "Utrecht", "Kees")
    SyncKeysService.for_profile(supervisor).export_public(folder / "sup.json")
    for name, device in (("karin", karin), ("kees", kees)):
        SyncKeysService.for_profile(device).trust_supervisor(folder / "sup.json")
        SyncKeysService.for_profile(device).export_public(folder / f"{name}.json")
        SyncKeysService.for_profile(supervisor).register_device(folder / f"{name}.json")
    target = folder / "share"
    target.mkdir()
    return Team(supervisor, karin, kees, target)


def device_id(profile: Profile) -> str:
    return device_keys(profile).device_id


def signed_pip(
    device: Profile,
    v_nummer: str,
    family_name: str,
    housing: dt.date | None,
    drafted: dt.date,
    signed: dt.date,
) -> uuid.UUID:
    """A client on the device with a complete PIP, discussed and signed on `signed`; its id."""
    with device.store().session(actor="coa") as session:
        client_id = add_client_with_case(
            session, v_nummer, family_name=family_name, huisvestingsdatum=housing, klantmanager=device.actor
        ).id
    service = PipService(device.store(), device.actor, Role.KLANTMANAGER, PipSettings())
    pip = service.draft(client_id, drafted)
    service.save(
        pip.version_id,
        {
            "leerroute": Leerroute.B1.value,
            text_key(TextPart.FINAL_GOAL): "Nederlands op B1 en werk in de zorg",
            **COMPLETE_PARTS,
        },
        drafted,
    )
    service.act(pip.version_id, PipAction.BESPREKEN, signed)
    service.act(pip.version_id, PipAction.ONDERTEKENEN, signed, Signatures(signed, signed))
    return client_id


def push_and_import(team: Team, *devices: Profile) -> list[str]:
    """Push what the devices changed and import it at the supervisor; the outcomes."""
    for device in devices or (team.karin, team.kees):
        PushService.for_profile(device).push(str(team.target))
    summary = SupervisorImportService.for_profile(team.supervisor).import_paths([team.target])
    return [outcome.status for outcome in summary.outcomes]
