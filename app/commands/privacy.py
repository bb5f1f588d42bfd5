"""AVG commands: erase (one client, everywhere it was synced) and retention (list or erase the
clients past the retention period)."""

from __future__ import annotations

import argparse
import sys

from app.commands import print_json, profile_from_args
from app.i18n import _, ngettext
from app.services.maintenance.erase import ErasureService
from app.services.maintenance.retention import RetentionService, line_json


def register(subparsers: argparse._SubParsersAction) -> None:
    erase = subparsers.add_parser(
        "erase", help=_("de gegevens van één cliënt wissen, ook bij de supervisor (AVG)")
    )
    erase.add_argument("--client", required=True, metavar="ID")
    erase.add_argument("--reason", required=True, metavar="TEKST")
    erase.set_defaults(handler=run_erase)

    retention = subparsers.add_parser(
        "retention", help=_("cliënten na de bewaartermijn tonen of wissen (AVG)")
    )
    retention.add_argument("--apply", action="store_true")
    retention.add_argument("--json", action="store_true")
    retention.set_defaults(handler=run_retention)


def run_erase(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        report = ErasureService.for_profile(profile).erase(args.client, args.reason)
    finally:
        profile.close()
    print(
        _(
            "De gegevens van de cliënt zijn gewist ({records} records); het wissen gaat met de volgende "
            "synchronisatie mee naar de supervisor."
        ).format(records=report.records)
    )
    if report.documents:
        print(
            ngettext(
                "{n} afgedrukt PIP verwijderd.", "{n} afgedrukte PIP's verwijderd.", len(report.documents)
            ).format(n=len(report.documents))
        )
    return 0


def run_retention(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        service = RetentionService.for_profile(profile)
        lines = service.due()
        outcome = service.apply() if args.apply else None
    finally:
        profile.close()
    refused = {line.client_id: reason for line, reason in outcome.refused} if outcome else {}
    erased = {report.client_id for report in outcome.erased} if outcome else set()
    if args.json:
        print_json(
            {
                "bewaartermijn_jaren": service.years,
                "cliënten": [
                    {
                        **line_json(line),
                        **(
                            {"gewist": line.client_id in erased, "geweigerd": refused.get(line.client_id)}
                            if outcome
                            else {}
                        ),
                    }
                    for line in lines
                ],
            }
        )
    else:
        for line in lines:
            state = ""
            if outcome:
                state = _("gewist") if line.client_id in erased else refused.get(line.client_id, "")
            elif line.blocked:
                state = line.blocked
            print(
                _("{v_nummer}  plicht geëindigd {ended}, bewaren tot {until}  {state}").format(
                    v_nummer=line.v_nummer, ended=line.duty_ended.isoformat(), until=line.kept_until.isoformat(),
                    state=state,
                ).rstrip()
            )  # fmt: skip
        print(
            ngettext(
                "{n} cliënt voorbij de bewaartermijn van {years} jaar.",
                "{n} cliënten voorbij de bewaartermijn van {years} jaar.",
                len(lines),
            ).format(n=len(lines), years=service.years)
        )
    if refused:
        print(
            _("{count} cliënt(en) konden niet worden gewist (reden hierboven); de andere wel.").format(
                count=len(refused)
            ),
            file=sys.stderr,
        )
        return 1
    return 0
