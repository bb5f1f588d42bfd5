"""The printable recovery sheet (one A4 page, ReportLab): the key in groups, the profile, what to do."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.i18n import _

MARGIN = 20 * mm


def _wrap(canvas: Canvas, text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if canvas.stringWidth(candidate, font, size) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def render_sheet(
    recovery_key: str,
    *,
    municipality: str,
    user_name: str,
    device_name: str,
    role: str,
    store_id: str,
    day: dt.date,
    team_database: str = "",
) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(_("Wegwijs herstelblad"))
    canvas.setAuthor("Wegwijs")
    width, height = A4
    text_width = width - 2 * MARGIN
    y = height - MARGIN

    canvas.setFont("Helvetica-Bold", 20)
    canvas.drawString(MARGIN, y - 20, _("Wegwijs herstelblad"))
    y -= 44
    canvas.setFont("Helvetica", 11)
    facts = [
        (_("Gemeente"), municipality),
        (_("Gebruiker"), user_name),
        (_("Computer"), device_name),
        (_("Rol"), role),
        (_("Profiel"), store_id),
        (_("Gemaakt op"), day.strftime("%d-%m-%Y")),
    ]
    if team_database:
        facts.insert(5, (_("Teamdatabase"), team_database))
    for label, value in facts:
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(MARGIN, y, f"{label}:")
        canvas.setFont("Helvetica", 11)
        canvas.drawString(MARGIN + 32 * mm, y, value)
        y -= 16

    y -= 14
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(MARGIN, y, _("Herstelsleutel"))
    y -= 12
    groups = recovery_key.split("-")
    box_height = 2 * 30 + 16
    canvas.setLineWidth(1.2)
    canvas.rect(MARGIN, y - box_height, text_width, box_height)
    canvas.setFont("Courier-Bold", 22)
    for row in range(2):
        line = "  ".join(groups[row * 5 : row * 5 + 5])
        canvas.drawCentredString(width / 2, y - 32 - row * 30, line)
    y -= box_height + 22

    canvas.setFont("Helvetica", 11)
    paragraphs = [
        _(
            "Met deze sleutel opent u de versleutelde Wegwijs-database opnieuw als de sleutel in de sleutelbos "
            "verloren is (een nieuw Windows-profiel, een opnieuw geïnstalleerde laptop) of het wachtwoord "
            "vergeten is."
        ),
        _(
            "Wat te doen: zet de profielmap van Wegwijs terug, start 'wegwijs keys recover' en tik de "
            "herstelsleutel over (hoofdletters of kleine letters, met of zonder streepjes). Wegwijs opent de "
            "database en zet de sleutel weer in de sleutelbos."
        ),
        _(
            "Bewaar dit blad op papier op een veilige plek (een afgesloten kast of kluis), niet bij de laptop. "
            "Wie dit blad en de profielmap heeft, kan de gegevens lezen. Gooi het PDF-bestand weg nadat u het "
            "hebt afgedrukt."
        ),
        _("Een nieuw herstelblad maakt dit blad ongeldig; vernietig dan dit blad."),
    ]
    if team_database:
        # Issue 18: this workstation's store is the team database; the sheet holds the team's keys.
        paragraphs.insert(
            1,
            _(
                "Deze werkplek werkt met de teamdatabase hierboven. Het blad zet ook de teamsleutel (waarmee de "
                "gezondheids- en andere bijzondere gegevens in die database verzegeld zijn) en de "
                "supervisorsleutels van het team terug; 'wegwijs keys recover' controleert dat de teamsleutel "
                "bij de teamdatabase past."
            ),
        )
    for paragraph in paragraphs:
        for line in _wrap(canvas, paragraph, "Helvetica", 11, text_width):
            canvas.drawString(MARGIN, y, line)
            y -= 15
        y -= 8
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
