"""What every page carries: header (municipality, client, version), footer (page X of Y), CONCEPT.

The header is laid out once per document and is as tall as its longest column: a client name of 200
characters wraps onto more lines and pushes the body down instead of running over the rule. Header,
footer and watermark repeat on every page, so they are marked as artifacts for assistive technology
(`tagging.artifact`); the logo on page 1 is a figure with alternative text.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate

from app.pdf import texts as T
from app.pdf.document import PipDocument, PipState
from app.pdf.side import Side
from app.pdf.style import (
    CONCEPT_RED,
    GREY,
    HEADER_MIN_HEIGHT,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    WATERMARK,
)
from app.pdf.tagging import artifact, figure
from app.pdf.textlayout import BidiParagraph, Span
from app.pdf.unreviewed import unreviewed_notice

LOGO_SIZE = 14 * mm
# Alternative text of the logo, in the document's language (Dutch); not a catalog text, because the
# structure tree's language for the header is Dutch in every edition.
LOGO_ALT = "Logo van {municipality}"
_RULE_GAP = 3 * mm  # between the lowest header line and the rule, and the rule and the body


class PageDecorator:
    def __init__(self, document: PipDocument, nl: Side, tr: Side | None, width: float) -> None:
        self.doc = document
        self.nl = nl
        self.tr = tr
        self.width = width
        self.printed_on = document.printed_on or dt.date.today()
        logo = document.municipality.logo_path
        self.logo = logo if logo is not None and logo.is_file() else None
        self.text_left = MARGIN + (LOGO_SIZE + 2 * mm if self.logo is not None else 0)
        self.half = (width - (self.text_left - MARGIN)) / 2
        self.left, self.right = self._columns()
        self._heights = [sum(p.wrap(self.half, 10_000)[1] for p in col) for col in (self.left, self.right)]

    def _state(self, side: Side) -> str:
        state = side.t(T.STATES[self.doc.state.value])
        text = side.t(T.VERSION_STATE, version=side.f.number(self.doc.version), state=state)
        if self.doc.adopted_on is not None:
            text += " · " + side.t(T.ADOPTED_ON, date=side.f.date(self.doc.adopted_on))
        return text

    def _columns(self) -> tuple[list[BidiParagraph], list[BidiParagraph]]:
        d = self.doc
        left = [
            self.nl.para(d.municipality.name, bold=True, size=10.5, after=0),
            self.nl.para(self._state(self.nl), size=8.5, color=GREY, after=0),
        ]
        if self.tr is not None:
            # Under the Dutch lines, flush with the column's left edge: the end of a right-to-left line.
            align = "end" if self.tr.rtl else "start"
            left.append(self.tr.para(self._state(self.tr), size=8.5, color=GREY, after=0, align=align))
        if self.mark:
            # A plain mark in the header too: a faint watermark can vanish on a photocopy.
            left.append(self.nl.para(self.mark, bold=True, size=10, color=CONCEPT_RED, after=0))
        client = d.client
        right = [self.nl.para([Span(client.latin_name, True)], size=10.5, align="end", after=0)]
        if client.distinct_original_name:
            side = self.tr if self.tr is not None else self.nl
            right.append(
                BidiParagraph(
                    client.distinct_original_name,
                    script=side.script,
                    rtl=side.rtl,
                    size=10.5,
                    align="right",
                    language=side.hb_language,
                    log=self.nl.log,
                    fonts=self.nl.fonts,
                )
            )
        v_line = f"{self.nl.t(T.V_NUMMER)} {client.v_nummer}"
        right.append(self.nl.para(v_line, size=8.5, color=GREY, align="end", after=0))
        return left, right

    def height(self) -> float:
        """From the top margin to the top of the body: the taller column, the rule and a gap."""
        content = max(*self._heights, LOGO_SIZE if self.logo is not None else 0.0)
        return max(HEADER_MIN_HEIGHT, content + 2 * _RULE_GAP)

    @property
    def mark(self) -> str:
        """CONCEPT until the PIP is adopted; a withdrawn PIP says so instead."""
        if self.doc.state == PipState.VASTGESTELD:
            return ""
        return "INGETROKKEN" if self.doc.state == PipState.INGETROKKEN else "CONCEPT"

    def header(self, canvas: Canvas, template: BaseDocTemplate) -> None:
        top = PAGE_HEIGHT - MARGIN
        canvas.saveState()
        if self.logo is not None:
            alt = LOGO_ALT.format(municipality=self.doc.municipality.name)
            try:
                # Alternative text on the first page; a repeat of it is decoration.
                with figure(canvas, alt) if canvas.getPageNumber() == 1 else artifact(canvas):
                    canvas.drawImage(
                        str(self.logo),
                        MARGIN,
                        top - LOGO_SIZE,
                        width=LOGO_SIZE,
                        height=LOGO_SIZE,
                        preserveAspectRatio=True,
                        anchor="nw",
                        mask="auto",
                    )
            except OSError:
                pass  # an unreadable logo must not stop the PIP; the name is printed anyway
        with artifact(canvas, "Pagination"):
            for x, column in ((self.text_left, self.left), (self.text_left + self.half, self.right)):
                y = top
                for paragraph in column:
                    _, h = paragraph.wrap(self.half, 10_000)
                    paragraph.drawOn(canvas, x, y - h)
                    y -= h
            line_y = top - self.height() + _RULE_GAP
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.8)
            canvas.line(MARGIN, line_y, MARGIN + self.width, line_y)
        if self.mark:
            self.watermark(canvas, self.mark)
        canvas.restoreState()

    def watermark(self, canvas: Canvas, mark: str) -> None:
        with artifact(canvas, "Background"):
            canvas.saveState()
            canvas.setFillColor(WATERMARK)
            size = 110 if len(mark) <= 8 else 80
            canvas.setFont("Wegwijs-Latn-Bold", size)
            canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canvas.rotate(52)
            canvas.drawCentredString(0, -size / 3, mark)
            canvas.restoreState()

    def footer(self, canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        y = MARGIN + 6 * mm
        half = self.width / 2
        printed = self.nl.t(T.PRINTED_ON, date=self.nl.f.date(self.printed_on))
        nl_text = f"{self.nl.t(T.PAGE_OF, page=number, pages=total)} · {printed}"
        with artifact(canvas, "Pagination"):
            nl = self.nl.para(nl_text, size=8, color=GREY, after=0, align="left")
            _, h = nl.wrap(half, 1000)
            nl.drawOn(canvas, MARGIN, y - h)
            if self.tr is not None:
                pages = self.tr.t(T.PAGE_OF, page=self.tr.f.number(number), pages=self.tr.f.number(total))
                printed = self.tr.t(T.PRINTED_ON, date=self.tr.f.date(self.printed_on))
                tr = self.tr.para(f"{pages} · {printed}", size=8, color=GREY, after=0, align="right")
                _, h = tr.wrap(half, 1000)
                tr.drawOn(canvas, MARGIN + half, y - h)
            canvas.setStrokeColor(RULE)
            canvas.line(MARGIN, y + 1.5 * mm, MARGIN + self.width, y + 1.5 * mm)
            if self.tr is not None:
                # Issue 19 (app/pdf/unreviewed.py): fixed texts no interpreter has checked yet.
                unreviewed_notice(canvas, self.nl, self.tr, MARGIN, self.width, y + 2.5 * mm)
        canvas.restoreState()
