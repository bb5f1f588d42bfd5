"""The supervisor's commands: `review list` (what waits) and `adopt` (vaststellen), shared/CLI.md."""

from __future__ import annotations

import argparse
import datetime as dt

from app.commands import print_json, profile_from_args
from app.i18n import _
from app.services.supervisor import ReviewQueue, SupervisorService, queue_json


def _day(text: str) -> dt.date:
    """A day as YYYY-MM-DD or DD-MM-YYYY."""
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(_("'{text}' is geen datum; schrijf JJJJ-MM-DD").format(text=text))


def register(subparsers: argparse._SubParsersAction) -> None:
    review = subparsers.add_parser(
        "review", help=_("wat op de supervisor wacht: vast te stellen PIP's, conflicten")
    )
    review_commands = review.add_subparsers(dest="review_command", metavar="OPDRACHT", required=True)
    listing = review_commands.add_parser(
        "list", help=_("ondertekende PIP's en conflicten per klantmanager, oudste eerst, met de termijn")
    )
    listing.add_argument("--json", action="store_true", help=_("één JSON-document op stdout"))
    listing.set_defaults(handler=run_review_list)

    adopt = subparsers.add_parser("adopt", help=_("het ondertekende PIP van een cliënt vaststellen"))
    adopt.add_argument("--client", required=True, metavar="ID", help=_("intern id of V-nummer"))
    adopt.add_argument(
        "--on",
        type=_day,
        default=None,
        metavar="DATUM",
        help=_("de dag van een eerder genomen besluit (niet in de toekomst, niet vóór de handtekeningen)"),
    )
    adopt.set_defaults(handler=run_adopt)


def run_review_list(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        service = SupervisorService.for_profile(profile)
        queue = service.queue()
    finally:
        profile.close()
    if args.json:
        print_json(queue_json(queue))
    else:
        print(format_queue(queue))
    return 0


def format_queue(queue: ReviewQueue) -> str:
    if not queue.pips and not queue.conflicts:
        return _("Er wacht niets op de supervisor: geen ondertekende PIP's en geen conflicten.")
    lines = [
        _("Wacht op vaststelling: {pips} PIP('s); conflicten: {conflicts}.").format(
            pips=len(queue.pips), conflicts=len(queue.conflicts)
        )
    ]
    for group in queue.per_klantmanager:
        lines.append("")
        lines.append(_("Klantmanager {name}:").format(name=group.klantmanager or _("onbekend")))
        for pip in group.pips:
            signed = pip.signed_on.isoformat() if pip.signed_on else "-"
            due = pip.due.isoformat() if pip.due else "-"
            lines.append(
                "  "
                + _(
                    "{v_nummer}  {name}  versie {number}, ondertekend {signed}; termijn {due}: {left}"
                ).format(
                    v_nummer=pip.v_nummer,
                    name=pip.name,
                    number=pip.number,
                    signed=signed,
                    due=due,
                    left=pip.days_left_text,
                )
            )
        for conflict in group.conflicts:
            line = _("conflict: {label} ({kind})").format(label=conflict.label, kind=conflict.entity_type)
            if conflict.keep_incoming_refused:
                line += " - " + _("alleen de versie hier kan blijven (vastgesteld)")
            lines.append("  " + line)
    return "\n".join(lines)


def run_adopt(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    try:
        outcome = SupervisorService.for_profile(profile).adopt(args.client, on=args.on)
    finally:
        profile.close()
    message = _("Het PIP (versie {number}) is vastgesteld op {date}.").format(
        number=outcome.version, date=outcome.decided_on.isoformat()
    )
    if outcome.term_start is not None:
        message += " " + _("De inburgeringstermijn begint op {date}.").format(
            date=outcome.term_start.isoformat()
        )
    if outcome.days_over_deadline:
        message += " " + _("Dat is {days} dagen na de termijn van 10 weken; dit is zo vastgelegd.").format(
            days=outcome.days_over_deadline
        )
    print(message)
    return 0
