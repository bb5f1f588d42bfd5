"""The municipal options of a profile and what the policy file (app/services/policy.py) does to them.

`apply_to_new_profile` gives a new profile what the policy sets (options, sync target, supervisor key);
`MunicipalOptionsService` reads and changes the options, refusing what the policy fixes. Apart from
policy.py so that reading the policy needs neither the profile nor sync (the profile asks the policy
at every start).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.enums import Role
from app.i18n import _
from app.services.policy import (
    EDITABLE_OPTIONS,
    INT_RANGES,
    OPTION_DEFAULTS,
    OPTION_TYPES,
    Policy,
    PolicyError,
    PolicyLoad,
    load_policy,
    refuse_if_fixed,
    refuse_policy,
    setting_label,
)
from app.services.profile import Profile
from app.services.sync import SyncKeysService, SyncTargetService


@dataclass(frozen=True)
class PolicyApplied:
    """What a new profile took from the policy."""

    path: Path
    options: tuple[str, ...]
    sync_target: str | None
    supervisor_fingerprint: str | None


def apply_to_new_profile(profile: Profile, policy: Policy) -> PolicyApplied:
    """First run: the options, the sync target and (klantmanager) the supervisor key."""
    options = {**policy.default_options, **policy.fixed_options}
    profile.settings.options.update(options)
    profile.save_settings()
    if policy.sync_target:
        SyncTargetService.for_profile(profile).configure(policy.sync_target)
    fingerprint = None
    key_file = policy.supervisor_key_file
    if policy.supervisor is not None and key_file is not None and profile.role is Role.KLANTMANAGER:
        trusted = SyncKeysService.for_profile(profile).trust_supervisor(key_file)
        if trusted.fingerprint != policy.supervisor.fingerprint:  # the file changed since it was checked
            raise refuse_policy(policy.path, _("het sleutelbestand van de supervisor is intussen veranderd"))
        fingerprint = trusted.fingerprint
    return PolicyApplied(policy.path, tuple(sorted(options)), policy.sync_target, fingerprint)


def describe_applied(applied: PolicyApplied) -> list[str]:
    """Dutch lines for `wegwijs init`: what the new profile took from the policy file."""
    lines = [_("Het beleid van de gemeente uit {path} is toegepast.").format(path=applied.path)]
    if applied.options:
        lines.append(_("Opties uit het beleid: {names}.").format(names=", ".join(applied.options)))
    if applied.sync_target:
        lines.append(_("Synchronisatiedoel: {target}.").format(target=applied.sync_target))
    if applied.supervisor_fingerprint:
        lines.append(
            _("De supervisor wordt vertrouwd; vingerafdruk {fingerprint}.").format(
                fingerprint=applied.supervisor_fingerprint
            )
        )
    return lines


# -- the municipal options of a profile (the settings dialog) -------------------------------------


@dataclass(frozen=True)
class OptionState:
    name: str
    value: Any
    fixed_reason: str | None  # None: the user may change it


@dataclass(frozen=True)
class MunicipalOptions:
    options: tuple[OptionState, ...]
    policy_problem: str | None

    def get(self, name: str) -> OptionState:
        return next(option for option in self.options if option.name == name)


class MunicipalOptionsService:
    """Read and change the municipal options in profile.json, refusing what the policy fixes."""

    def __init__(self, profile: Profile, policy_file: Path | None = None) -> None:
        self._profile = profile
        self._policy_file = policy_file

    @classmethod
    def for_profile(cls, profile: Profile) -> MunicipalOptionsService:
        return cls(profile)

    def _load(self) -> PolicyLoad:
        return load_policy(self._policy_file)

    def current(self) -> MunicipalOptions:
        loaded = self._load()
        options = self._profile.settings.options
        states = []
        for name in EDITABLE_OPTIONS:
            fixed = loaded.policy is not None and loaded.policy.fixes(name)
            value = loaded.policy.fixed_options[name] if fixed and loaded.policy else options.get(name)
            states.append(
                OptionState(
                    name,
                    OPTION_DEFAULTS[name] if value is None else value,
                    loaded.policy.reason() if fixed and loaded.policy else None,
                )
            )
        return MunicipalOptions(tuple(states), loaded.problem)

    def save(self, changes: Mapping[str, Any]) -> MunicipalOptions:
        """Store the changed options; refused as a whole when one of them is fixed or of a wrong kind."""
        policy = self._load().policy
        current = self._profile.settings.options
        for name, value in changes.items():
            if name not in EDITABLE_OPTIONS:
                raise PolicyError(_("De optie {name} bestaat niet.").format(name=name))
            kind = OPTION_TYPES[name]
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise PolicyError(
                    _("De waarde van {name} is van het verkeerde soort.").format(name=setting_label(name))
                )
            bounds = INT_RANGES.get(name)
            if bounds is not None and isinstance(value, int) and not bounds[0] <= value <= bounds[1]:
                raise PolicyError(
                    _("{name} moet tussen {low} en {high} liggen.").format(
                        name=setting_label(name), low=bounds[0], high=bounds[1]
                    )
                )
            if policy is not None and value != current.get(name, OPTION_DEFAULTS[name]):
                refuse_if_fixed(name, policy=policy)
        for name, value in changes.items():
            if value in ("", None):
                current.pop(name, None)  # empty: the app's own default
            else:
                current[name] = value
        self._profile.save_settings()
        return self.current()
