"""Why a sync package is refused, in one plain Dutch sentence per reason.

The reason codes are stable (they appear in `wegwijs import --json` and in the quarantine notes);
the sentences are translated where they are shown.
"""

from __future__ import annotations

from enum import StrEnum

from app.domain.errors import WegwijsError
from app.i18n import N_, _


class RefusalReason(StrEnum):
    EMPTY = "empty"
    NOT_A_PACKAGE = "not_a_package"
    UNKNOWN_FORMAT = "unknown_format"
    TRUNCATED = "truncated"
    TAMPERED = "tampered"
    UNKNOWN_DEVICE = "unknown_device"
    REVOKED_DEVICE = "revoked_device"
    WRONG_RECIPIENT = "wrong_recipient"
    REPLAYED = "replayed"
    OVERSIZE = "oversize"
    INVALID_PAYLOAD = "invalid_payload"
    MISSING_REFERENCE = "missing_reference"
    FROM_THE_FUTURE = "from_the_future"
    UNREADABLE = "unreadable"
    NOT_A_FILE = "not_a_file"
    BAD_NAME = "bad_name"
    UNEXPECTED = "unexpected"
    # A hand-over between municipalities (verhuizing, app/services/transfer).
    NOT_A_TRANSFER = "not_a_transfer"
    CLIENT_KNOWN = "client_known"


_MESSAGES: dict[RefusalReason, str] = {
    RefusalReason.EMPTY: N_("Het bestand is leeg; vraag de klantmanager opnieuw te synchroniseren."),
    RefusalReason.NOT_A_PACKAGE: N_(
        "Dit bestand is geen Wegwijs-synchronisatiepakket; het hoort niet in deze map."
    ),
    RefusalReason.UNKNOWN_FORMAT: N_(
        "Het pakket heeft een onbekende formaatversie; werk Wegwijs bij en importeer het opnieuw."
    ),
    RefusalReason.TRUNCATED: N_(
        "Het pakket is onvolledig (afgebroken overdracht); het apparaat stuurt het opnieuw."
    ),
    RefusalReason.TAMPERED: N_(
        "Het pakket is onderweg veranderd of beschadigd (handtekening klopt niet); het wordt niet gebruikt."
    ),
    RefusalReason.UNKNOWN_DEVICE: N_(
        "Het pakket komt van een onbekend apparaat; registreer eerst de sleutel van dat apparaat."
    ),
    RefusalReason.REVOKED_DEVICE: N_(
        "Het pakket komt van een ingetrokken apparaat; neem contact op met de beheerder."
    ),
    RefusalReason.WRONG_RECIPIENT: N_(
        "Het pakket is versleuteld voor een andere supervisor; laat het apparaat uw sleutel vertrouwen."
    ),
    RefusalReason.REPLAYED: N_(
        "Het volgnummer van dit pakket is al eerder gebruikt met andere inhoud; het wordt geweigerd."
    ),
    RefusalReason.OVERSIZE: N_(
        "De inhoud van het pakket is te groot om veilig uit te pakken; het wordt niet gebruikt."
    ),
    RefusalReason.INVALID_PAYLOAD: N_(
        "De inhoud van het pakket voldoet niet aan het verwachte schema; werk Wegwijs bij of "
        "vraag het apparaat opnieuw te synchroniseren."
    ),
    RefusalReason.MISSING_REFERENCE: N_(
        "Het pakket verwijst naar gegevens die hier (nog) niet zijn of botst met bestaande gegevens; "
        "importeer eerst de eerdere pakketten van dit apparaat."
    ),
    RefusalReason.FROM_THE_FUTURE: N_(
        "Het pakket is volgens zijn tijdstempel pas later gemaakt; zet de klok van het apparaat goed "
        "en laat het opnieuw synchroniseren."
    ),
    RefusalReason.UNREADABLE: N_(
        "Het bestand kan niet worden gelezen (geen leesrechten of een leesfout); controleer de "
        "rechten van de map en importeer opnieuw."
    ),
    RefusalReason.NOT_A_FILE: N_(
        "Dit is geen gewoon bestand (een map, snelkoppeling of apparaat); het wordt niet gelezen."
    ),
    RefusalReason.BAD_NAME: N_(
        "De bestandsnaam is ongeldig (een schuine streep of stuurteken); het bestand wordt niet gelezen."
    ),
    RefusalReason.UNEXPECTED: N_(
        "Het pakket kon door een onverwachte fout niet worden verwerkt; het staat in de quarantaine, "
        "meld het aan de beheerder."
    ),
    RefusalReason.NOT_A_TRANSFER: N_(
        "Dit bestand is geen verhuisoverdracht van een andere gemeente; vraag de oude gemeente het "
        "bestand van 'wegwijs transfer'."
    ),
    RefusalReason.CLIENT_KNOWN: N_(
        "Deze cliënt (V-nummer of BSN) staat hier al in de database; zoek de cliënt op in de lijst "
        "in plaats van de overdracht opnieuw te importeren."
    ),
}


def reason_message(reason: RefusalReason) -> str:
    return _(_MESSAGES[reason])


class SyncError(WegwijsError):
    """A sync step failed; the message is one Dutch sentence for the user."""


class PackageRefused(SyncError):
    """A package was refused; nothing of it was applied."""

    def __init__(self, reason: RefusalReason, detail: str = "") -> None:
        self.reason = reason
        # The detail is for administrators (logs, quarantine note), never personal data.
        self.detail = detail
        super().__init__(reason_message(reason))


class TransportError(SyncError):
    """The sync target could not be reached or refused an operation; the work stays pending."""


class TargetUnreachable(TransportError):
    """The target did not answer at all (as opposed to refusing an operation)."""


class FileTooLarge(TransportError):
    """A file on the target is larger than the caller accepts; it was not read."""

    def __init__(self, message: str, size: int | None = None) -> None:
        self.size = size
        super().__init__(message)


class UnusableFile(TransportError):
    """One entry of a target cannot be used (a link, a pipe, unreadable, a bad name); the others can."""

    def __init__(self, reason: RefusalReason, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(reason_message(reason))
