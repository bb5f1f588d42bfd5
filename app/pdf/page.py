"""What every page carries: header (municipality, client, version), footer (page X of Y), CONCEPT."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.pdf import texts as T
from app.pdf.document import PipDocument, PipState
from app.pdf.textlayout import BidiParagraph, Span

if TYPE_CHECKING:
    from reportlab.platypus import BaseDocTemplate

    from app.pdf.render import _Side

GREY = HexColor("#5a5a5a")
RULE = HexColor("#b8c4d0")
WATERMARK = Color(0.75, 0.15, 0.12, alpha=0.13)
CONCEPT_RED = HexColor("#c0392b")


class PageDecorator:
    def __init__(self, document: PipDocument, nl: _Side, tr: _Side | None, width: float) -> None:
        from app.pdf.render import HEADER_HEIGHT, MARGIN, PAGE_HEIGHT, PAGE_WIDTH

        self.doc = document
        self.nl = nl
        self.tr = tr
        self.width = width
        self.margin = MARGIN
        self.page_width = PAGE_WIDTH
        self.page_height = PAGE_HEIGHT
        self.header_height = HEADER_HEIGHT
        self.printed_on = document.printed_on or dt.date.today()

    def _draw(self, canvas: Canvas, paragraph: BidiParagraph, x: float, top: float, width: float) -> float:
        _, height = paragraph.wrap(width, 1000)
        paragraph.drawOn(canvas, x, top - height)
        return top - height

    def _state(self, side: _Side) -> str:
        state = side.t(T.STATES[self.doc.state.value])
        return side.t(T.VERSION_STATE, version=side.f.number(self.doc.version), state=state)

    def header(self, canvas: Canvas, template: BaseDocTemplate) -> None:
        d = self.doc
        top = self.page_height - self.margin
        left = self.margin
        canvas.saveState()
        text_left = left
        logo = d.municipality.logo_path
        if logo is not None and logo.is_file():
            try:
                canvas.drawImage(
                    str(logo),
                    left,
                    top - 14 * mm,
                    width=14 * mm,
                    height=14 * mm,
                    preserveAspectRatio=True,
                    anchor="nw",
                    mask="auto",
                )
                text_left = left + 16 * mm
            except OSError:
                pass  # an unreadable logo must not stop the PIP; the name is printed anyway
        half = (self.width - (text_left - left)) / 2
        y = self._draw(
            canvas, self.nl.para(d.municipality.name, bold=True, size=10.5, after=0), text_left, top, half
        )
        adopted = T.ADOPTED_ON if d.adopted_on else None
        info = self._state(self.nl)
        if adopted is not None and d.adopted_on is not None:
            info += " · " + self.nl.t(adopted, date=self.nl.f.date(d.adopted_on))
        y = self._draw(canvas, self.nl.para(info, size=8.5, color=GREY, after=0), text_left, y, half)
        if self.tr is not None:
            tr_info = self._state(self.tr)
            if d.adopted_on is not None:
                tr_info += " · " + self.tr.t(T.ADOPTED_ON, date=self.tr.f.date(d.adopted_on))
            # Under the Dutch lines, flush with the column's left edge: the end of a right-to-left line.
            align = "end" if self.tr.rtl else "start"
            self._draw(
                canvas, self.tr.para(tr_info, size=8.5, color=GREY, after=0, align=align), text_left, y, half
            )
        # The client, top right: Latin name, original script, V-nummer.
        right_x = text_left + half
        client = d.client
        spans = [Span(client.latin_name, True)]
        y = self._draw(canvas, self.nl.para(spans, size=10.5, align="end", after=0), right_x, top, half)
        if client.distinct_original_name:
            script_side = self.tr if self.tr is not None else self.nl
            original = BidiParagraph(
                client.distinct_original_name,
                script=script_side.script,
                rtl=script_side.rtl,
                size=10.5,
                align="right",
                log=self.nl.log,
                fonts=self.nl.fonts,
            )
            y = self._draw(canvas, original, right_x, y, half)
        v_line = f"{self.nl.t(T.V_NUMMER)} {client.v_nummer}"
        self._draw(canvas, self.nl.para(v_line, size=8.5, color=GREY, align="end", after=0), right_x, y, half)
        line_y = top - self.header_height + 3 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.8)
        canvas.line(left, line_y, left + self.width, line_y)
        mark = self.mark
        if mark:
            # A plain mark in the header too: a faint watermark can vanish on a photocopy.
            canvas.setFillColor(CONCEPT_RED)
            canvas.setFont("Wegwijs-Latn-Bold", 11)
            canvas.drawCentredString(left + self.width / 2, top - 4 * mm, mark)
            self.watermark(canvas, mark)
        canvas.restoreState()

    @property
    def mark(self) -> str:
        """CONCEPT until the PIP is adopted; a withdrawn PIP says so instead."""
        if self.doc.state == PipState.VASTGESTELD:
            return ""
        return "INGETROKKEN" if self.doc.state == PipState.INGETROKKEN else "CONCEPT"

    def watermark(self, canvas: Canvas, mark: str) -> None:
        canvas.saveState()
        canvas.setFillColor(WATERMARK)
        size = 110 if len(mark) <= 8 else 80
        canvas.setFont("Wegwijs-Latn-Bold", size)
        canvas.translate(self.page_width / 2, self.page_height / 2)
        canvas.rotate(52)
        canvas.drawCentredString(0, -size / 3, mark)
        canvas.restoreState()

    def footer(self, canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        y = self.margin + 6 * mm
        half = self.width / 2
        printed = self.nl.t(T.PRINTED_ON, date=self.nl.f.date(self.printed_on))
        nl_text = f"{self.nl.t(T.PAGE_OF, page=number, pages=total)} · {printed}"
        nl = self.nl.para(nl_text, size=8, color=GREY, after=0, align="left")
        self._draw(canvas, nl, self.margin, y, half)
        if self.tr is not None:
            pages = self.tr.t(T.PAGE_OF, page=self.tr.f.number(number), pages=self.tr.f.number(total))
            printed = self.tr.t(T.PRINTED_ON, date=self.tr.f.date(self.printed_on))
            tr = self.tr.para(f"{pages} · {printed}", size=8, color=GREY, after=0, align="right")
            self._draw(canvas, tr, self.margin + half, y, half)
        canvas.setStrokeColor(RULE)
        canvas.line(self.margin, y + 1.5 * mm, self.margin + self.width, y + 1.5 * mm)
        canvas.restoreState()
