"""The one-page PDF summary of a hand-over, in Dutch, for the new municipality's file (printed or
mailed beside the encrypted hand-over, which holds the data itself). ReportLab with the bundled
Noto Sans (app/pdf/fonts.py), so accented names print."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from xml.sax.saxutils import escape

from app.domain.pip_lifecycle import route_label
from app.i18n import _
from app.pdf.fonts import register_fonts


def _day(value: Any) -> str:
    if not value:
        return _("onbekend")
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d-%m-%Y")
    except ValueError:
        return str(value)  # a partly known date of birth stays as it is


def summary_lines(payload: dict[str, Any], fingerprint: str) -> list[tuple[str, str]]:
    person = payload.get("client") or {}
    case = payload.get("case") or {}
    pip = payload.get("pip") or {}
    route = pip.get("route") or {}
    term = payload.get("term") or {}
    goal = (route.get("einddoel") or {}).get("nl", "")
    in_force = pip.get("in_force_number")
    return [
        (_("Naam"), f"{person.get('given_names', '')} {person.get('family_name', '')}".strip()),
        (_("V-nummer"), str(person.get("v_nummer", ""))),
        (_("Geboortedatum"), _day(person.get("birth_date"))),
        (_("Van gemeente"), str(payload.get("from_municipality", ""))),
        (_("Naar gemeente"), str(payload.get("to_municipality", ""))),
        (_("Verhuisd op"), _day(payload.get("moved_on"))),
        (_("Huisvesting in de oude gemeente"), _day(case.get("huisvestingsdatum"))),
        (
            _("Leerroute"),
            route_label(route.get("leerroute")) if route.get("leerroute") else _("nog niet gekozen"),
        ),
        (_("Einddoel"), goal or _("niet ingevuld")),
        (
            _("PIP van de oude gemeente"),
            _("versie {n} vastgesteld").format(n=in_force) if in_force else _("geen vastgesteld PIP"),
        ),
        (
            _("Inburgeringstermijn"),
            f"{_day(term.get('start'))} – {_day(term.get('end'))}" if term else _("nog niet begonnen"),
        ),
        (_("Intakes meegegeven"), str(len(payload.get("intakes") or []))),
        (_("Ontheffingen van DUO"), str(len(pip.get("exemptions") or []))),
        (_("Lopende bezwaren en beroepen"), str(len(pip.get("objections") or []))),
        (
            _("Voortgang meegegeven"),
            _(
                "{meetings} gesprekken, {modules} MAP/PVT, {exams} examenuitslagen, {hours} urenopgaven"
            ).format(
                meetings=len(pip.get("meetings") or []),
                modules=len(pip.get("modules") or []),
                exams=len(pip.get("exams") or []),
                hours=len(pip.get("hours") or []),
            ),
        ),
        (_("Vingerafdruk sleutel ontvanger"), fingerprint),
    ]


def summary_pdf(payload: dict[str, Any], fingerprint: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    fonts = register_fonts()
    regular, bold = fonts.primary("Latn").ttf.fontName, fonts.primary("Latn", bold=True).ttf.fontName
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13)
    label = ParagraphStyle("label", parent=body, fontName=bold)
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=15, leading=19)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Overdracht bij verhuizing"),
        lang="nl-NL",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    rows = [
        [Paragraph(escape(name), label), Paragraph(escape(value), body)]
        for name, value in summary_lines(payload, fingerprint)
    ]
    note = _(
        "De gegevens staan versleuteld in het overdrachtsbestand; de supervisor van de nieuwe gemeente "
        "importeert het met 'wegwijs import'. De nieuwe gemeente stelt binnen 10 weken na inschrijving een "
        "nieuw PIP vast; de leerroute blijft, de inburgeringstermijn verschuift niet."
    )
    document.build(
        [
            Paragraph(escape(_("Overdracht bij verhuizing")), title),
            Spacer(1, 6 * mm),
            Table(rows, colWidths=[60 * mm, 110 * mm], style=[("VALIGN", (0, 0), (-1, -1), "TOP")]),
            Spacer(1, 6 * mm),
            Paragraph(escape(note), body),
        ]
    )
    return buffer.getvalue()
