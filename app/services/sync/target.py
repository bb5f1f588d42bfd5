"""The sync target: a folder (USB stick, network share) or a WebDAV address, remembered per profile."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from app.i18n import _
from app.models.store import StoreLike
from app.services.profile import Profile
from app.services.sync.records import TARGET_PASSWORD_SECRET, TARGET_SETTING, TARGET_USER_SETTING
from app.sync.errors import SyncError
from app.sync.outbox import get_setting, set_setting
from app.sync.transport import Transport, make_transport


@dataclass(frozen=True)
class ParsedTarget:
    address: str  # a resolved folder path or an http(s) URL without credentials
    user: str | None = None
    password: str | None = None


def is_web_address(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def _without_credentials(url: str) -> ParsedTarget:
    parts = urlsplit(url)
    if not parts.username:
        return ParsedTarget(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    bare = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return ParsedTarget(bare, parts.username, parts.password)


def parse_target(target: str) -> ParsedTarget:
    """Check and normalise a target; an address with another scheme would silently become a folder."""
    if is_web_address(target):
        return _without_credentials(target)
    if "://" in target:
        scheme, rest = target.split("://", 1)
        shown = f"{scheme}://{rest.rsplit('@', 1)[-1]}"  # never repeat a password typed into it
        raise SyncError(
            _(
                "Het synchronisatiedoel {target} wordt niet ondersteund; geef een map op of een adres "
                "dat begint met http:// of https://."
            ).format(target=shown)
        )
    return ParsedTarget(str(Path(target).expanduser().resolve()))


def web_transport(url: str) -> Transport:
    """A WebDAV transport for an address given on the spot (an import), credentials from the URL."""
    given = _without_credentials(url)
    return make_transport(given.address, given.user, given.password)


class SyncTargetService:
    """Where this profile's packages travel; each call one short transaction."""

    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    @classmethod
    def for_profile(cls, profile: Profile) -> SyncTargetService:
        return cls(profile)

    @property
    def _store(self) -> StoreLike:
        return self._profile.store()

    def configure(self, target: str) -> str:
        """Remember the sync target (refused when the address is not a folder or http(s))."""
        return self.save(parse_target(target))

    def save(self, target: ParsedTarget) -> str:
        """Remember a checked target; a password in a WebDAV address goes to the secret store."""
        if target.password:
            self._profile.secrets.set(TARGET_PASSWORD_SECRET, target.password.encode("utf-8"))
        with self._store.session(actor=self._profile.actor) as session:
            set_setting(session, TARGET_SETTING, target.address)
            if target.user is not None:
                set_setting(session, TARGET_USER_SETTING, target.user)
        return target.address

    def test(self, target: ParsedTarget) -> str:
        """Reach a target before it is saved (the wizard's "Testen"): its folders are made where they
        are missing, as the first sync would; returns its description, raises the transport's sentence."""
        transport = make_transport(target.address, target.user, target.password)
        transport.prepare()
        return transport.description

    def configured(self) -> str | None:
        with self._store.session() as session:
            return get_setting(session, TARGET_SETTING)

    def transport(self, target: str | None = None) -> Transport:
        """The transport for a given target (not saved: see push) or for the configured one."""
        if target:
            given = parse_target(target)
            return make_transport(given.address, given.user, given.password)
        with self._store.session() as session:
            address = get_setting(session, TARGET_SETTING)
            user = get_setting(session, TARGET_USER_SETTING)
        if not address:
            raise SyncError(
                _(
                    "Er is nog geen synchronisatiedoel ingesteld; "
                    "geef een map of WebDAV-adres op met --target."
                )
            )
        password = self._profile.secrets.get(TARGET_PASSWORD_SECRET) if user else None
        return make_transport(address, user, password.decode("utf-8") if password else None)
