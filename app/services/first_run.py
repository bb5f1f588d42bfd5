"""First run: a new profile with everything `wegwijs init` gives it, for the command line and the GUI's
first-run wizard alike (app/ui/first_run/).

The steps are those of `init`: the profile with its store key (app/services/profile.py), the device's
keys, what the municipality's policy file sets, and the automatic backup "inrichting". The recovery
sheet, the supervisor's key and the sync target come after, through their own services
(RecoveryService, SyncKeysService, SyncTargetService).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.domain.enums import Role
from app.services.maintenance.backup import REASON_INIT, BackupService
from app.services.municipal_options import PolicyApplied, apply_to_new_profile
from app.services.policy import Policy
from app.services.profile import PassphraseProvider, Profile, init_profile
from app.services.sync import device_keys


@dataclass(frozen=True)
class NewProfile:
    profile: Profile
    policy_applied: PolicyApplied | None
    fingerprint: str  # this installation's own, in eight groups of five


def set_up_profile(
    data_dir: Path,
    role: Role,
    municipality: str,
    *,
    person_name: str | None,
    passphrase_provider: PassphraseProvider,
    policy: Policy | None,
    secret_backend: str | None = None,
    backup: bool = True,
    database: str | None = None,
) -> NewProfile:
    """The profile, its keys and the policy's settings. A refusal before the profile exists leaves
    nothing; one from the policy afterwards (its key file changed) leaves the profile, as `init` does."""
    profile = init_profile(
        data_dir,
        role,
        municipality,
        passphrase_provider=passphrase_provider,
        person_name=person_name,
        secret_backend=secret_backend,
        database=database,
    )
    keys = device_keys(profile)  # the signing and encryption keys exist from the first run on
    applied = apply_to_new_profile(profile, policy) if policy is not None else None
    if backup and not profile.uses_team_store:  # the team database's backups are the DBA's
        BackupService.for_profile(profile).automatic(REASON_INIT)
    return NewProfile(profile, applied, keys.fingerprint)
