"""A second supervisor workstation joins the team database (issue 18): `keys admit-supervisor` on a
workstation that has the team's keys, `keys join-team` on the new one (docs/beheer.md).

Which key the new workstation trusts, and why: the file is signed with the team's supervisor key,
the one the klantmanagers' devices trust. The team database records that key's public half and a
check value of the team key (`sync_setting`, written by the first admission); `join-team` takes the
keys only when the signer is that key and the team key fits the check, and prints the fingerprint
to compare aloud with a supervisor (as klantmanagers do); where the municipality's policy file names
the supervisor key, only that key's team is joined. The database administrator could change
that record, but cannot read or forge the sealed file; a forged team shows another fingerprint.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.enums import Role
from app.i18n import _
from app.models.journal import record_audit
from app.models.sync_state import SyncSetting
from app.models.team_store import (
    TEAM_KEY_CHECK_SETTING,
    TEAM_SUPERVISOR_SETTING,
    TeamStore,
    team_key_check,
)
from app.services.maintenance.privacy import create_private_file
from app.services.policy import current_policy
from app.services.profile import TEAM_KEY_NAME, Profile
from app.services.sync.keys import device_keys
from app.sync.errors import SyncError
from app.sync.keys import DeviceKeys, PublicKeys, read_public_keys
from app.sync.team_keys import MAX_TEAM_KEYS_FILE, open_team_keys, seal_team_keys

# This workstation's own key pair from before it joined: a second look at the same file still opens.
JOIN_SIGNING_SECRET = "aansluit-ondertekensleutel"
JOIN_ENCRYPTION_SECRET = "aansluit-versleutelsleutel"


@dataclass(frozen=True)
class Admission:
    path: str
    recipient: PublicKeys
    team_fingerprint: str


@dataclass(frozen=True)
class Joined:
    team_fingerprint: str
    admitted_by: str
    already: bool  # this workstation had exactly these keys already


def _team_record(session: Session) -> tuple[str | None, str | None]:
    supervisor = session.get(SyncSetting, TEAM_SUPERVISOR_SETTING)
    check = session.get(SyncSetting, TEAM_KEY_CHECK_SETTING)
    fingerprint = json.loads(supervisor.value).get("fingerprint") if supervisor else None
    return fingerprint, check.value if check else None


def _only_team_supervisor(profile: Profile) -> None:
    if profile.role is not Role.SUPERVISOR or not profile.uses_team_store:
        raise SyncError(
            _(
                "Alleen een supervisorwerkplek met een teamdatabase (init --database) werkt met teamsleutels; "
                "deze installatie heeft een eigen database."
            )
        )


class TeamKeysService:
    """Admitting and joining; each call its own short transaction on the team database."""

    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    @classmethod
    def for_profile(cls, profile: Profile) -> TeamKeysService:
        return cls(profile)

    def admit(self, public_key_file: Path, out: Path) -> Admission:
        """Seal the team's keys to another supervisor workstation's public key file."""
        profile = self._profile
        _only_team_supervisor(profile)
        team_key = profile.team_key()
        keys = device_keys(profile)
        recipient = read_public_keys(public_key_file)
        if recipient.role != Role.SUPERVISOR.value:
            raise SyncError(
                _(
                    "Dit sleutelbestand is niet van een supervisorwerkplek; vraag de nieuwe supervisor om het "
                    "bestand van 'wegwijs keys export-public' op zijn werkplek."
                )
            )
        if recipient.public_key == bytes(keys.public_key):
            raise SyncError(
                _("Dit is de sleutel van het team zelf; kies het sleutelbestand van de nieuwe werkplek.")
            )
        settings = profile.settings
        team = keys.public(Role.SUPERVISOR.value, settings.user_name, settings.municipality)
        with profile.store().session(actor=profile.actor, role=settings.role) as session:
            fingerprint, check = _team_record(session)
            if fingerprint is None:
                # The first admission records the team: its supervisor key and the team key's check.
                record = {"fingerprint": team.fingerprint, "device_id": team.device_id}
                session.add(SyncSetting(name=TEAM_SUPERVISOR_SETTING, value=json.dumps(record)))
            elif fingerprint != team.fingerprint:
                raise SyncError(
                    _(
                        "De teamdatabase noemt een andere supervisorsleutel dan die van deze werkplek; deze werkplek "
                        "kan niemand toelaten: neem contact op met de beheerder."
                    )
                )
            if check is None:
                session.add(SyncSetting(name=TEAM_KEY_CHECK_SETTING, value=team_key_check(team_key)))
            elif check != team_key_check(team_key):
                raise SyncError(
                    _(
                        "De teamsleutel van deze werkplek past niet bij de teamdatabase; neem contact op met de beheerder."
                    )
                )
            record_audit(session, "toegelaten", "supervisorwerkplek", None, recipient.fingerprint)
            data = seal_team_keys(keys, team, team_key, recipient)
            out = out.expanduser().absolute()
            try:
                handle = create_private_file(out)  # 0600, never through a symlink, never over a file
            except FileExistsError as error:
                raise SyncError(
                    _("{path} bestaat al; kies een nieuwe bestandsnaam voor de teamsleutels.").format(
                        path=out
                    )
                ) from error
            except OSError as error:
                raise SyncError(
                    _(
                        "De teamsleutels konden niet worden geschreven naar {path}; kies een andere plek."
                    ).format(path=out)
                ) from error
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
        return Admission(str(out), recipient, team.fingerprint)

    def join(self, path: Path) -> Joined:
        """Take the team's keys from a file an admitting supervisor sealed to this workstation."""
        profile = self._profile
        _only_team_supervisor(profile)
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_TEAM_KEYS_FILE + 1)
        except OSError as error:
            raise SyncError(
                _("Het bestand {path} kan niet worden gelezen; controleer de naam.").format(path=path)
            ) from error
        secrets = profile.secrets
        own = [device_keys(profile)]
        earlier = (secrets.get(JOIN_SIGNING_SECRET), secrets.get(JOIN_ENCRYPTION_SECRET))
        if earlier[0] is not None and earlier[1] is not None:
            from nacl.public import PrivateKey
            from nacl.signing import SigningKey

            own.append(DeviceKeys(SigningKey(earlier[0]), PrivateKey(earlier[1])))
        team = open_team_keys(data, own)
        fingerprint = team.supervisor_keys.fingerprint
        policy = current_policy()
        if (
            policy is not None
            and policy.supervisor is not None
            and policy.supervisor.fingerprint != fingerprint
        ):
            # The municipality's policy file names the team's supervisor key: nothing else is taken.
            raise SyncError(
                _(
                    "Deze teamsleutels zijn niet van de supervisorsleutel die het beleidsbestand van de gemeente "
                    "noemt; er is niets overgenomen: neem contact op met de beheerder."
                )
            )
        current_team_key = secrets.get(TEAM_KEY_NAME)
        if current_team_key is not None:
            if current_team_key == team.team_key and own[0].fingerprint == fingerprint:
                return Joined(fingerprint, team.admitted_by.name, already=True)
            raise SyncError(
                _(
                    "Deze werkplek is al aangesloten met andere teamsleutels; er is niets veranderd. Gebruik voor "
                    "een ander team een nieuw profiel (een andere gegevensmap)."
                )
            )
        store = TeamStore(profile.settings.database, None, profile.database_password())
        try:
            with store.session() as session:
                recorded, check = _team_record(session)
        finally:
            store.close()
        if recorded != fingerprint or check != team_key_check(team.team_key):
            raise SyncError(
                _(
                    "Deze teamsleutels horen niet bij de teamdatabase van deze werkplek (een ander team, of de "
                    "database noemt een andere supervisorsleutel); er is niets overgenomen."
                )
            )
        secrets.set(JOIN_SIGNING_SECRET, bytes(own[0].signing_key))
        secrets.set(JOIN_ENCRYPTION_SECRET, bytes(own[0].private_key))
        team.supervisor_keys.save(secrets)
        secrets.set(TEAM_KEY_NAME, team.team_key)
        profile.settings.key_check = team_key_check(team.team_key)
        profile.save_settings()
        with profile.store().session(actor=profile.actor, role=profile.settings.role) as session:
            record_audit(session, "aangesloten", "supervisorwerkplek", None, fingerprint)
        return Joined(fingerprint, team.admitted_by.name, already=False)
