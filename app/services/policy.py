"""The municipality's machine-wide policy file (beleid.toml), written by IT, read with tomllib.

It names the municipality, the sync target, the supervisor's public-key file with its fingerprint,
and municipal options. A new profile takes all of it at first run (`wegwijs init` and the GUI's first
run), so a klantmanager never exchanges keys by hand. What the policy sets under `[opties]` (and the
municipality, the sync target and the supervisor key) is fixed: the app refuses to change it, and
each start applies the fixed options again. `[standaard]` gives defaults a user may change.

A file that does not parse, names an unknown setting, or whose key file does not match its
fingerprint is refused as a whole with one Dutch sentence; the app then starts without a policy.
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain.enums import Role
from app.domain.errors import WegwijsError
from app.i18n import _
from app.sync.keys import PublicKeys, read_public_keys

POLICY_ENV = "WEGWIJS_POLICY_FILE"
POLICY_NAME = "beleid.toml"
_MAX_POLICY_BYTES = 256 * 1024

# Settings outside the options that a policy can fix.
MUNICIPALITY = "municipality"
SYNC_TARGET = "sync_target"
SUPERVISOR_KEY = "supervisor_key"

# The municipal options a policy may set (ProfileSettings.options), with their type and range.
OPTION_TYPES: dict[str, type] = {
    "klantmanager_may_adopt": bool,
    # The vier-ogenprincipe for supervisors (on by default; a policy may turn it off).
    "vier_ogen": bool,
    "progress_interval_months": int,
    "due_soon_days": int,
    "pdf_folder": str,
    "municipality_logo": str,
    "leerbaarheid_cesuur": int,
    "onderwijsroute_max_leeftijd": int,
    # Issue 14: privacy. Minutes without input before the app locks (0: never), the years a client's
    # data is kept after the integration duty ended, the days the app's own copies are kept.
    "idle_lock_minutes": int,
    "retention_years": int,
    "backup_max_age_days": int,
    # The translated column of the PIP (docs/pdf.md): 0-9 instead of ۱۲۳ for Persian and Dari, and
    # the Levantine month names for Arabic-reading clients from Syria, Lebanon, Jordan, Palestine, Iraq.
    "pdf_westerse_cijfers": bool,
    "pdf_levantijnse_maanden": bool,
    # The supervisor's import quarantine (app/services/sync/quarantine.py): days kept, megabytes in all.
    "quarantine_days": int,
    "quarantine_mb": int,
}
_INT_RANGES = {
    "idle_lock_minutes": (0, 240),
    "retention_years": (1, 30),
    "backup_max_age_days": (1, 3650),
    "progress_interval_months": (1, 12),
    "due_soon_days": (1, 90),
    "leerbaarheid_cesuur": (0, 100),
    "onderwijsroute_max_leeftijd": (16, 67),
    "quarantine_days": (1, 3650),
    "quarantine_mb": (1, 100_000),
}
INT_RANGES = _INT_RANGES  # the same bounds for the settings dialog (app/services/municipal_options.py)
_TOP_LEVEL = {"gemeente", "synchronisatiedoel", "supervisor", "opties", "standaard"}


class PolicyError(WegwijsError):
    """A policy file refused, or a change the policy does not allow."""


def policy_path() -> Path:
    """WEGWIJS_POLICY_FILE (for tests and odd set-ups), else the machine-wide place per platform."""
    override = os.environ.get(POLICY_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Wegwijs" / POLICY_NAME
    return Path("/etc/wegwijs") / POLICY_NAME


@dataclass(frozen=True)
class Policy:
    path: Path
    municipality: str | None = None
    sync_target: str | None = None
    supervisor: PublicKeys | None = None
    supervisor_key_file: Path | None = None
    fixed_options: Mapping[str, Any] = field(default_factory=dict)
    default_options: Mapping[str, Any] = field(default_factory=dict)

    def fixes(self, setting: str) -> bool:
        if setting == MUNICIPALITY:
            return self.municipality is not None
        if setting == SYNC_TARGET:
            return self.sync_target is not None
        if setting == SUPERVISOR_KEY:
            return self.supervisor is not None
        return setting in self.fixed_options

    def reason(self) -> str:
        """Why a setting cannot be changed: shown greyed in the GUI, and in a CLI refusal."""
        return _("Vastgelegd door de gemeente in het beleidsbestand {path}.").format(path=self.path)


@dataclass(frozen=True)
class PolicyLoad:
    """The policy in force (None without one) and, for a refused file, the Dutch sentence why."""

    policy: Policy | None
    problem: str | None = None


def load_policy(path: Path | None = None) -> PolicyLoad:
    """Read and check the policy file; never raises: a refused file is reported, not fatal."""
    path = path or policy_path()
    try:
        if not path.is_file():
            return PolicyLoad(None)
        return PolicyLoad(_parse(path))
    except PolicyError as error:
        return PolicyLoad(None, str(error))
    except OSError:
        return PolicyLoad(
            None,
            _("Het beleidsbestand {path} kan niet worden gelezen; Wegwijs start zonder beleid.").format(
                path=path
            ),
        )


def current_policy() -> Policy | None:
    return load_policy().policy


def refuse_policy(path: Path, what: str) -> PolicyError:
    return PolicyError(
        _(
            "Het beleidsbestand {path} is geweigerd: {what}; Wegwijs start zonder dit beleid, laat de beheerder het bestand herstellen."
        ).format(path=path, what=what)
    )


def _parse(path: Path) -> Policy:
    with path.open("rb") as handle:
        data = handle.read(_MAX_POLICY_BYTES + 1)
    if len(data) > _MAX_POLICY_BYTES:
        raise refuse_policy(path, _("het is te groot"))
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise refuse_policy(path, _("het is geen UTF-8")) from error
    except tomllib.TOMLDecodeError as error:
        raise refuse_policy(path, _("het is geen geldige TOML ({detail})").format(detail=error)) from error
    unknown = sorted(set(raw) - _TOP_LEVEL)
    if unknown:
        raise refuse_policy(path, _("onbekende instelling {name}").format(name=", ".join(unknown)))
    municipality = _text(path, raw, "gemeente")
    target = _text(path, raw, "synchronisatiedoel")
    supervisor, key_file = _supervisor(path, raw.get("supervisor"))
    fixed = _options(path, raw.get("opties", {}), "opties")
    defaults = _options(path, raw.get("standaard", {}), "standaard")
    return Policy(path, municipality, target, supervisor, key_file, fixed, defaults)


def _text(path: Path, raw: Mapping[str, Any], name: str) -> str | None:
    if name not in raw:
        return None
    value = raw[name]
    if not isinstance(value, str) or not value.strip():
        raise refuse_policy(path, _("{name} moet een niet-lege tekst zijn").format(name=name))
    return value.strip()


def _supervisor(path: Path, section: Any) -> tuple[PublicKeys | None, Path | None]:
    if section is None:
        return None, None
    if not isinstance(section, dict) or set(section) != {"sleutelbestand", "vingerafdruk"}:
        raise refuse_policy(path, _("[supervisor] moet precies sleutelbestand en vingerafdruk noemen"))
    key_file, expected = section["sleutelbestand"], section["vingerafdruk"]
    if not isinstance(key_file, str) or not isinstance(expected, str):
        raise refuse_policy(path, _("sleutelbestand en vingerafdruk moeten tekst zijn"))
    key_path = Path(key_file)
    if not key_path.is_absolute():
        key_path = path.parent / key_path  # next to the policy file, as IT deploys them together
    try:
        keys = read_public_keys(key_path)
    except WegwijsError as error:
        raise refuse_policy(
            path, _("het sleutelbestand van de supervisor is niet bruikbaar ({detail})").format(detail=error)
        ) from error
    if keys.role != Role.SUPERVISOR.value:
        raise refuse_policy(
            path, _("het sleutelbestand {key} is niet van een supervisor").format(key=key_path)
        )
    if " ".join(expected.split()) != keys.fingerprint:
        raise refuse_policy(
            path,
            _("de vingerafdruk past niet bij het sleutelbestand {key} (dat heeft {actual})").format(
                key=key_path, actual=keys.fingerprint
            ),
        )
    return keys, key_path


def _options(path: Path, section: Any, name: str) -> dict[str, Any]:
    if not isinstance(section, dict):
        raise refuse_policy(path, _("[{name}] moet een tabel zijn").format(name=name))
    checked: dict[str, Any] = {}
    for key, value in section.items():
        kind = OPTION_TYPES.get(key)
        if kind is None:
            raise refuse_policy(path, _("onbekende optie {name}").format(name=f"{name}.{key}"))
        # bool is a subclass of int: 'true' is no number of months.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise refuse_policy(
                path, _("optie {name} heeft een verkeerd soort waarde").format(name=f"{name}.{key}")
            )
        bounds = _INT_RANGES.get(key)
        if bounds is not None and isinstance(value, int) and not bounds[0] <= value <= bounds[1]:
            low, high = bounds
            raise refuse_policy(
                path,
                _("optie {name} moet tussen {low} en {high} liggen").format(
                    name=f"{name}.{key}", low=low, high=high
                ),
            )
        checked[key] = value
    return checked


def refuse_if_fixed(setting: str, new_value: object = None, policy: Policy | None = None) -> None:
    """Raise PolicyError when the policy fixes `setting` (to another value than `new_value`)."""
    policy = policy if policy is not None else current_policy()
    if policy is None or not policy.fixes(setting):
        return
    if setting == MUNICIPALITY and new_value is not None and str(new_value).strip() == policy.municipality:
        return
    if setting == SYNC_TARGET and new_value is not None and str(new_value).strip() == policy.sync_target:
        return
    raise PolicyError(
        _(
            "Deze instelling ({setting}) is vastgelegd door de gemeente in {path} en kan in Wegwijs niet worden gewijzigd; vraag de beheerder om een ander beleid."
        ).format(setting=setting_label(setting), path=policy.path)
    )


def setting_label(setting: str) -> str:
    labels = {
        MUNICIPALITY: _("gemeente"),
        SYNC_TARGET: _("synchronisatiedoel"),
        SUPERVISOR_KEY: _("sleutel van de supervisor"),
        "klantmanager_may_adopt": _("klantmanager mag vaststellen"),
        "progress_interval_months": _("termijn voortgangsgesprek"),
        "pdf_folder": _("map voor PDF's"),
        "municipality_logo": _("logo van de gemeente"),
        "idle_lock_minutes": _("vergrendelen na minuten zonder gebruik"),
        "retention_years": _("bewaartermijn na de inburgeringsplicht"),
        "backup_max_age_days": _("bewaartermijn van reservekopieën"),
        "pdf_westerse_cijfers": _("westerse cijfers in het Perzisch en Dari"),
        "pdf_levantijnse_maanden": _("Levantijnse maandnamen in het Arabisch"),
    }
    return labels.get(setting, setting)


def enforce_fixed_options(options: dict[str, Any], policy: Policy | None) -> None:
    """Each start: the options the policy fixes win over what the profile holds (not saved)."""
    if policy is not None:
        options.update(policy.fixed_options)


def municipality_for_new_profile(given: str | None, policy: Policy | None) -> str | None:
    """The municipality a new profile gets: the policy's, or the one given if the policy names none.

    None when neither names one (the caller says what is missing); refused when they differ."""
    if policy is not None and policy.municipality is not None:
        if given is not None and given.strip() and given.strip() != policy.municipality:
            refuse_if_fixed(MUNICIPALITY, given, policy)
        return policy.municipality
    return given


EDITABLE_OPTIONS = (
    "klantmanager_may_adopt",
    "progress_interval_months",
    "pdf_folder",
    "municipality_logo",
    "idle_lock_minutes",
    "retention_years",
    "backup_max_age_days",
)
OPTION_DEFAULTS: dict[str, Any] = {
    "klantmanager_may_adopt": False,
    "progress_interval_months": 3,
    "pdf_folder": "",
    "municipality_logo": "",
    # Issue 14 (docs/beheer.md): lock after 10 idle minutes; keep a client's data 5 years after the
    # duty ended (the municipality's own selectielijst may say otherwise); backups and other copies
    # the app made 30 days (app/services/maintenance/backup.py).
    "idle_lock_minutes": 10,
    "retention_years": 5,
    "backup_max_age_days": 30,
}


def option_value(options: dict[str, Any], name: str) -> Any:
    """A municipal option of a profile, or its default."""
    value = options.get(name)
    return OPTION_DEFAULTS[name] if value is None else value
