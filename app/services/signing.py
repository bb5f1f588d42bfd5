"""The use case "the municipality's signing certificate": import it once, sign adopted PIPs with it.

`wegwijs keys import-signing-cert FILE.p12` (supervisor side) calls `SigningService.import_certificate`.
The key material goes to the profile's secret store (the OS keyring, or the passphrase vault of
app/models/secrets.py, like the store key), never to a plain file; the profile's settings keep only
what may be shown: the certificate's name, fingerprint and end date. `DocumentService` asks
`SigningService.material()` when it prints an adopted PIP, and app/pdf/signing.py signs the file.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.enums import Role
from app.i18n import _
from app.i18n.languages import is_known_language
from app.services.profile import Profile

if TYPE_CHECKING:
    from app.pdf.signing import SigningCertError as SigningCertError
    from app.pdf.signing import SigningMaterial

# The signing stack (cryptography, ReportLab's flowables) and the translation catalogs load when a
# certificate is imported or a PIP is signed, not when the PIP editor or the command line starts
# (issue 15): each function imports what it uses.

SIGNING_SECRET = "signing-certificate"  # name in the secret store (keyring or vault)
SIGNING_OPTION = "signing_certificate"  # profile option: the public summary, no secret
PASSWORD_ENV = "WEGWIJS_SIGNING_CERT_PASSWORD"  # the .p12 password for scripts (else the prompt)
MAX_FILE_BYTES = 1_000_000  # a PKCS#12 file is a few kilobytes; refuse anything far larger


@dataclass(frozen=True)
class SigningCertificate:
    """What the installation shows about its signing certificate."""

    subject: str
    organisation: str
    fingerprint: str
    not_after: dt.datetime

    def to_json(self) -> dict[str, str]:
        return {
            "subject": self.subject,
            "organisation": self.organisation,
            "fingerprint": self.fingerprint,
            "not_after": self.not_after.isoformat(),
        }


def _summary(material: SigningMaterial) -> SigningCertificate:
    return SigningCertificate(
        material.subject, material.organisation, material.fingerprint, material.not_after
    )


class SigningService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._material: SigningMaterial | None = None
        self._lock = threading.Lock()

    @classmethod
    def for_profile(cls, profile: Profile) -> SigningService:
        return cls(profile)

    @property
    def municipality(self) -> str:
        return self._profile.settings.municipality

    def import_certificate(
        self, path: Path | str, password: str, now: dt.datetime | None = None
    ) -> SigningCertificate:
        """Check and keep the municipality's certificate; refuses with one Dutch sentence."""
        from app.pdf.signing import SigningCertError, load_pkcs12

        if self._profile.role != Role.SUPERVISOR:
            raise SigningCertError(
                _(
                    "Alleen een supervisor-installatie ondertekent vastgestelde PIP's; importeer het "
                    "certificaat op de installatie van de supervisor."
                )
            )
        source = Path(path)
        try:
            if source.stat().st_size > MAX_FILE_BYTES:
                raise SigningCertError(
                    _(
                        "Het bestand {path} is te groot voor een certificaatbestand; kies het .p12-bestand."
                    ).format(path=source)
                )
            data = source.read_bytes()
        except OSError as error:
            raise SigningCertError(
                _("Het bestand {path} kan niet worden gelezen; controleer de naam en de rechten.").format(
                    path=source
                )
            ) from error
        material = load_pkcs12(data, password, now)
        self._profile.secrets.set(SIGNING_SECRET, material.to_bytes())
        summary = _summary(material)
        self._profile.settings.options[SIGNING_OPTION] = summary.to_json()
        self._profile.save_settings()
        with self._lock:
            self._material = material
        return summary

    def current(self) -> SigningCertificate | None:
        """The imported certificate's public summary (no secret is read)."""
        raw = self._profile.settings.options.get(SIGNING_OPTION)
        if not isinstance(raw, dict):
            return None
        try:
            return SigningCertificate(
                str(raw["subject"]),
                str(raw.get("organisation", "")),
                str(raw["fingerprint"]),
                dt.datetime.fromisoformat(str(raw["not_after"])),
            )
        except (KeyError, ValueError):
            return None

    @property
    def can_sign(self) -> bool:
        """This installation signs adopted PIPs: a supervisor with an imported certificate."""
        return self._profile.role == Role.SUPERVISOR and self.current() is not None

    def material(self, now: dt.datetime | None = None) -> SigningMaterial:
        """The key material, checked for validity now; refuses when missing or expired."""
        from app.pdf.signing import SigningCertError, material_from_bytes

        with self._lock:
            if self._material is None:
                data = self._profile.secrets.get(SIGNING_SECRET) if self.can_sign else None
                if data is None:
                    raise SigningCertError(
                        _(
                            "Het ondertekeningscertificaat ontbreekt in de sleutelopslag; importeer het opnieuw "
                            "met 'wegwijs keys import-signing-cert'."
                        )
                    )
                self._material = material_from_bytes(data)
            material = self._material
        material.check_valid(now)
        return material


def unreviewed_fixed_texts(language: str | None) -> int:
    """How many fixed texts of the PIP print in `language` as a translation no interpreter checked:
    the supervisor sees it before adopting (the PDF says it on every page)."""
    from app.pdf.unreviewed import unreviewed_texts

    if not language or language == "nl" or not is_known_language(language):
        return 0
    return len(unreviewed_texts(language))


__all__ = ["PASSWORD_ENV", "SigningCertificate", "SigningService", "unreviewed_fixed_texts"]


def __getattr__(name: str) -> Any:
    """`SigningCertError` is the refusal the command line catches; it lives with the signing stack
    and is loaded only when asked for (the rest of this module does not need it at import)."""
    if name == "SigningCertError":
        from app.pdf.signing import SigningCertError

        return SigningCertError
    raise AttributeError(name)
