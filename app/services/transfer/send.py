"""The old municipality's side of a verhuizing: close the case, write the hand-over and its summary.

The hand-over is the sync envelope (app/sync/envelope.py), encrypted for the new municipality's
supervisor key and signed by this installation, with this installation's public-key file in its
header (`sender_key`): the receiver never registered this device. It holds one client: the person,
the household's label, the case dates, the intakes with their answers, the PIP in force (and the
route of the latest version), the term's dates. The PIP in force stays this municipality's decision.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.domain.deadlines import TermExtension, term_end, term_start
from app.domain.enums import Role
from app.domain.errors import WegwijsError
from app.domain.pip_lifecycle import pip_in_force
from app.i18n import _
from app.models.intake import Intake, IntakeSession
from app.models.journal import record_audit
from app.models.pip import Pip, PipVersion, TextPart
from app.services.client_records import find_client, moved_sentence
from app.services.figures.export import write_private
from app.services.profile import Profile
from app.services.sync.keys import device_keys
from app.services.transfer.receive import TRANSFER_KIND
from app.sync.envelope import MAX_INTEGER, seal_package
from app.sync.errors import SyncError
from app.sync.keys import PublicKeys, read_public_keys
from app.sync.records import serialise

ACTION_MOVED = "verhuisd"
# Fields that name this store's rows: the receiver gives the records new ones.
_OWN_FIELDS = frozenset(
    {"id", "version", "created_at", "updated_at", "client_id", "household_id", "intake_id", "pip_id"}
)


class TransferRefused(WegwijsError):
    """A verhuizing that cannot be made; one Dutch sentence says why and what to do."""


@dataclass(frozen=True)
class TransferResult:
    handover: Path
    summary: Path
    municipality: str  # the new municipality, from its supervisor's key file
    fingerprint: str  # of the new municipality's supervisor key
    moved_on: dt.date


def _plain(record: Any) -> dict[str, Any]:
    return {k: v for k, v in serialise(record).items() if k not in _OWN_FIELDS}


def _pending(objection: dict[str, Any]) -> bool:
    """An objection not yet decided, or an appeal filed and not yet ruled on: the case goes on there."""
    undecided = objection.get("outcome") is None
    appeal = bool(objection.get("appeal_filed_on")) and not objection.get("appeal_ruled_on")
    return undecided or appeal


def handover_payload(session: Any, client: Any, to: str, on: dt.date, transfer_id: str) -> dict[str, Any]:
    """Everything the new municipality needs of one client, as plain JSON values."""
    case = client.case
    intakes = list(session.scalars(select(Intake).where(Intake.client_id == client.id)))
    pip = session.scalars(select(Pip).where(Pip.client_id == client.id)).first()
    versions: list[PipVersion] = list(pip.versions) if pip is not None else []
    in_force_number = pip_in_force((v.number, v.state) for v in versions)
    in_force = next((v for v in versions if v.number == in_force_number), None)
    latest = versions[-1] if versions else None
    route_source = in_force or latest
    term: dict[str, str] | None = None
    if pip is not None and pip.first_adopted_on is not None:
        extensions = [TermExtension(int(e.get("months", 0)), int(e.get("days", 0))) for e in pip.extensions]
        term = {
            "start": term_start(pip.first_adopted_on).isoformat(),
            "end": term_end(pip.first_adopted_on, extensions).isoformat(),
        }
    final_goal = (route_source.texts or {}).get(TextPart.FINAL_GOAL.value, {}) if route_source else {}
    return {
        "kind": TRANSFER_KIND,
        "transfer_id": transfer_id,
        "from_municipality": case.municipality if case is not None else "",
        "to_municipality": to,
        "moved_on": on.isoformat(),
        "client": _plain(client),
        "household": client.household.label if client.household is not None else None,
        "case": _plain(case) if case is not None else None,
        "intakes": [
            dict(
                _plain(intake),
                sessions=[
                    _plain(s)
                    for s in session.scalars(
                        select(IntakeSession).where(IntakeSession.intake_id == intake.id)
                    )
                ],
            )
            for intake in intakes
        ],
        "pip": None
        if pip is None
        else {
            "first_adopted_on": pip.first_adopted_on.isoformat() if pip.first_adopted_on else None,
            "extensions": pip.extensions,
            "switched": pip.switched,
            # DUO's exemptions hold everywhere; pending objections and appeals go on there; the progress
            # records (meetings, MAP/PVT, exams, Z-route hours) are what was done in the term so far.
            "exemptions": pip.exemptions,
            "objections": [o for o in pip.objections if _pending(o)],
            "meetings": [_plain(m) for m in pip.meetings],
            "modules": [_plain(m) for m in pip.modules],
            "exams": [_plain(e) for e in pip.exams],
            "hours": [_plain(h) for h in pip.hours],
            "in_force": _plain(in_force) if in_force is not None else None,
            "in_force_number": in_force_number,
            "route": {
                "leerroute": route_source.leerroute if route_source else None,
                "einddoel": final_goal,
                "advised_route": route_source.advised_route if route_source else None,
                "learnability_score": route_source.learnability_score if route_source else None,
                "learnability_outcome": route_source.learnability_outcome if route_source else None,
            },
        },
        "term": term,
    }


class TransferService:
    """Verhuizing for one profile: `transfer` closes the case and writes both files."""

    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    @classmethod
    def for_profile(cls, profile: Profile) -> TransferService:
        return cls(profile)

    def read_recipient(self, key_file: Path) -> PublicKeys:
        """The new municipality's supervisor key, checked: a supervisor of another municipality."""
        keys = read_public_keys(key_file)
        if keys.role != Role.SUPERVISOR.value:
            raise TransferRefused(
                _(
                    "Dit sleutelbestand is niet van een supervisor; vraag de supervisor van de nieuwe "
                    "gemeente om het bestand van 'wegwijs keys export-public'."
                )
            )
        own = self._profile.settings.municipality.strip().casefold()
        if not keys.municipality.strip():
            raise TransferRefused(
                _(
                    "Het sleutelbestand noemt geen gemeente; vraag de nieuwe gemeente het opnieuw te "
                    "exporteren met een Wegwijs-versie die de gemeente meeschrijft."
                )
            )
        if keys.municipality.strip().casefold() == own:
            raise TransferRefused(
                _(
                    "Dit sleutelbestand is van uw eigen gemeente; een verhuizing gaat naar de supervisor "
                    "van een andere gemeente."
                )
            )
        return keys

    def transfer(
        self, client_reference: str, key_file: Path, out: Path, today: dt.date | None = None
    ) -> TransferResult:
        if self._profile.role is Role.INTERPRETER:
            raise TransferRefused(_("Een tolk kan geen verhuizing vastleggen; vraag de klantmanager."))
        recipient = self.read_recipient(key_file)
        today = today or dt.date.today()
        out = out.expanduser().absolute()
        summary_path = out.with_suffix(".pdf")
        if summary_path == out:
            raise TransferRefused(
                _("Kies voor de overdracht een naam die niet op .pdf eindigt; de samenvatting krijgt die.")
            )
        keys = device_keys(self._profile)
        settings = self._profile.settings
        sender_key = keys.export_public(settings.role, settings.user_name, settings.municipality).decode(
            "utf-8"
        )
        transfer_id = str(uuid.uuid4())
        with self._profile.store().session(actor=self._profile.actor, role=settings.role) as session:
            client = find_client(session, client_reference)
            case = client.case
            if case is None:
                raise TransferRefused(
                    _("Deze cliënt heeft nog geen dossier bij de gemeente; er is niets over te dragen.")
                )
            if case.moved_on is not None:
                raise TransferRefused(moved_sentence(case.moved_to or "", case.moved_on))
            payload = handover_payload(session, client, recipient.municipality, today, transfer_id)
            data = seal_package(
                payload,
                keys=keys,
                recipient=recipient,
                # A hand-over is no step in this device's sync sequence: a random number names it.
                sequence=secrets.randbelow(MAX_INTEGER - 1) + 1,
                created_at=datetime.now(UTC),
                sender_key=sender_key,
            )
            from app.services.transfer.summary import summary_pdf

            pdf = summary_pdf(payload, recipient.fingerprint)
            try:
                write_private(out, data)
                write_private(summary_path, pdf)
            except OSError as error:
                raise SyncError(
                    _("De overdracht kon niet worden geschreven naar {path}; kies een andere map.").format(
                        path=out.parent
                    )
                ) from error
            # The files are there before the case is closed: a failed write leaves the case open.
            case.moved_to = recipient.municipality
            case.moved_on = today
            record_audit(
                session, ACTION_MOVED, "client", client.id, f"{recipient.municipality}:{transfer_id}"
            )
        return TransferResult(out, summary_path, recipient.municipality, recipient.fingerprint, today)
