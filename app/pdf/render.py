"""The bilingual PIP PDF: each part in Dutch (the legal text) beside the client's language.

Entry points: `render_pip` (one language) and `render_languages` (several, with progress and
cancel, for "alle acht talen"). Both return what the GUI must warn about before printing: the free
texts whose reviewed translation is still missing.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.colors import Color, HexColor, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.domain.errors import WegwijsError
from app.i18n.languages import get_language, is_known_language, language_codes
from app.pdf import texts as T
from app.pdf.document import FreeText, PipDocument, PipState
from app.pdf.fonts import FontSet, register_fonts
from app.pdf.formatting import Formatter
from app.pdf.textlayout import BidiParagraph, GlyphLog, Span

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 16 * mm
HEADER_HEIGHT = 27 * mm
FOOTER_HEIGHT = 12 * mm
GUTTER = 7 * mm
BODY_SIZE = 9.0
GREY = HexColor("#5a5a5a")
ACCENT = HexColor("#1f4e79")
RULE = HexColor("#b8c4d0")
NOTE = HexColor("#8a4b00")
CONCEPT_RED = HexColor("#c0392b")

_render_lock = threading.Lock()  # ReportLab's font registry and subsets are process-wide


@dataclass(frozen=True)
class TranslationGap:
    """A free text printed in Dutch on the translated side, because no reviewed translation exists."""

    section: str  # the Dutch heading of the part
    label: str  # the Dutch label of the text within the part
    dutch: str


@dataclass
class RenderResult:
    path: Path
    language: str
    pages: int
    gaps: list[TranslationGap]
    glyphs: GlyphLog = field(default_factory=GlyphLog)


def pip_filename(document: PipDocument, language: str) -> str:
    return f"PIP_{document.client.v_nummer}_v{document.version}_{language}.pdf"


class _Side:
    """One column of the document: Dutch, or the client's language."""

    def __init__(self, code: str, fonts: FontSet, log: GlyphLog) -> None:
        language = get_language(code)
        self.code = code
        self.rtl = language.is_rtl
        self.script = language.script
        self.t = T.texts_for(code)
        self.f = Formatter(language)
        self.fonts = fonts
        self.log = log
        self.hb_language = code.split("_")[0]

    def para(
        self,
        content: str | list[Span],
        *,
        size: float = BODY_SIZE,
        color: Color = black,
        bold: bool = False,
        after: float = 2.5,
        latin_source: bool = False,
        align: str = "start",
    ) -> BidiParagraph:
        if isinstance(content, str):
            content = [Span(content, bold)]
        dutch = latin_source and self.code != "nl"
        return BidiParagraph(
            content,
            script="Latn" if dutch else self.script,
            rtl=False if dutch else self.rtl,
            size=size,
            color=color,
            align=align,
            language=None if dutch else self.hb_language,
            log=self.log,
            space_after=after,
            fonts=self.fonts,
        )

    def heading(self, message: T.Msg) -> BidiParagraph:
        return self.para(self.t(message), size=11, bold=True, color=ACCENT, after=3)

    def field(self, label: T.Msg, value: str) -> BidiParagraph:
        return self.para([Span(self.label(label), True), Span(value)])

    def label(self, label: T.Msg) -> str:
        # In right-to-left text a right-to-left mark keeps the colon with a label that ends in Latin
        # letters or brackets, such as "رقم V" or "(BSN)", instead of with the value after it.
        return self.t(label) + (":\u200f " if self.rtl else ": ")

    def text(self, message: T.Msg, color: Color = black, **values: object) -> BidiParagraph:
        return self.para(self.t(message, **values), color=color)

    def count(self, message: T.Plural, n: int, placeholder: str) -> BidiParagraph:
        """A sentence with a number, in the plural form the language needs for it."""
        values: dict[str, object] = {placeholder: self.f.number(n)}
        return self.para(self.t(message, n, **values))


class _Builder:
    def __init__(self, document: PipDocument, code: str, fonts: FontSet, log: GlyphLog, width: float) -> None:
        self.doc = document
        self.nl = _Side("nl", fonts, log)
        self.tr = _Side(code, fonts, log) if code != "nl" else None
        self.width = width
        self.gaps: list[TranslationGap] = []
        self.story: list[Flowable] = []

    # -- helpers --------------------------------------------------------------------------------

    def sides(self) -> list[_Side]:
        return [self.nl] if self.tr is None else [self.nl, self.tr]

    def section(self, heading: T.Msg, build: Callable[[_Side], list[Flowable]]) -> None:
        columns = [[side.heading(heading), *build(side)] for side in self.sides()]
        if self.tr is None:
            widths = [self.width]
        else:
            widths = [(self.width - GUTTER) / 2] * 2
        table = Table([columns], colWidths=widths, splitInRow=1, hAlign="LEFT")
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONT", (0, 0), (-1, -1), "Wegwijs-Latn-Regular", BODY_SIZE),  # the default is Helvetica
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
        ]
        if self.tr is not None:
            style.append(("LEFTPADDING", (1, 0), (1, 0), GUTTER))
            table._argW = [widths[0], widths[1] + GUTTER]
        table.setStyle(TableStyle(style))
        self.story.append(table)

    def free(self, side: _Side, text: FreeText | None, section: T.Msg, label: T.Msg | None) -> list[Flowable]:
        """A free text: Dutch on the Dutch side; the reviewed translation, or the Dutch with a note."""
        if text is None or text.is_empty:
            return []
        flow: list[Flowable] = []
        if label is not None:
            flow.append(side.para(side.label(label).rstrip(), bold=True, after=1))
        if side is self.nl:
            flow.append(side.para(text.dutch))
        elif text.has_reviewed_translation:
            assert text.translation is not None
            flow.append(side.para(text.translation))
        else:
            flow.append(side.para(text.dutch, latin_source=True, after=1))
            flow.append(side.para(side.t(T.TRANSLATION_FOLLOWS), size=BODY_SIZE - 1, color=NOTE))
            self.gaps.append(
                TranslationGap(
                    self.nl.t(section if isinstance(section, str) else section[1]),
                    label if isinstance(label, str) else (label[1] if label else ""),
                    text.dutch,
                )
            )
        return flow

    # -- parts ----------------------------------------------------------------------------------

    def build(self) -> list[Flowable]:
        d = self.doc
        for side in self.sides():
            self.story.append(side.para(side.t(T.TITLE), size=15, bold=True, color=ACCENT, after=1))
        banner = T.WITHDRAWN_BANNER if d.state == PipState.INGETROKKEN else T.CONCEPT_BANNER
        if not d.is_adopted:
            for side in self.sides():
                self.story.append(side.para(side.t(banner), bold=True, color=CONCEPT_RED, after=1))
        if self.tr is not None:
            self.story.append(self.tr.para(self.tr.t(T.LEGAL_LANGUAGE), size=BODY_SIZE - 0.5, color=GREY))
        self.story.append(Spacer(1, 3 * mm))
        self.section(T.PERSONAL, self.personal)
        self.section(T.LEERROUTE, self.leerroute)
        self.section(T.GUIDANCE, self.guidance)
        self.section(T.MAP, self.map_part)
        self.section(T.PVT, self.pvt)
        if d.is_asylum and d.ontzorgen is not None:
            self.section(T.ONTZORGEN, self.ontzorgen)
        self.section(T.AFSCHALEN, self.afschalen)
        self.section(T.MONITORING, self.monitoring)
        if d.taalschool or d.taalschool_note:
            self.section(T.TAALSCHOOL, self.taalschool)
        self.section(T.AGREEMENTS, self.agreements)
        if d.remarks is not None and not d.remarks.is_empty:
            self.section(T.REMARKS, lambda side: self.free(side, d.remarks, T.REMARKS, None))
        self.section(T.OBJECTION, self.objection)
        self.signatures()
        return self.story

    def personal(self, side: _Side) -> list[Flowable]:
        c = self.doc.client
        flow: list[Flowable] = [side.field(T.NAME, side.f.ltr(c.latin_name))]
        if c.distinct_original_name:
            flow.append(side.field(T.ORIGINAL_NAME, c.distinct_original_name))
        flow.append(side.field(T.V_NUMMER, side.f.ltr(c.v_nummer)))
        if c.bsn:
            flow.append(side.field(T.BSN, side.f.ltr(c.bsn)))
        flow.append(side.field(T.BIRTH_DATE, side.f.partial_date(c.birth_date)))
        flow.append(side.field(T.MUNICIPALITY, side.f.ltr(self.doc.municipality.name)))
        flow.append(side.field(T.KLANTMANAGER, side.f.ltr(self.doc.klantmanager.name)))
        return flow

    def leerroute(self, side: _Side) -> list[Flowable]:
        route = self.doc.leerroute
        flow: list[Flowable] = [
            side.field(T.CHOSEN_ROUTE, side.t(T.ROUTES[route.route.value])),
            side.text(T.ROUTE_DESCRIPTIONS[route.route.value], color=GREY),
        ]
        if route.advised_route is not None:
            flow.append(side.field(T.ADVISED_ROUTE, side.t(T.ROUTES[route.advised_route.value])))
        flow += self.free(side, route.justification, T.LEERROUTE, T.JUSTIFICATION)
        flow += self.free(side, route.final_goal, T.LEERROUTE, T.FINAL_GOAL)
        if route.period_end is not None:
            flow.append(side.text(T.REACH_BY, date=side.f.date(route.period_end)))
        elif route.period_months:
            flow.append(side.count(T.WITHIN_MONTHS, route.period_months, "months"))
        flow += self.free(side, route.period_text, T.LEERROUTE, T.PERIOD)
        flow += self.free(side, route.duaal, T.LEERROUTE, T.DUAAL)
        return flow

    def guidance(self, side: _Side) -> list[Flowable]:
        g = self.doc.guidance
        flow = self.free(side, g.guidance, T.GUIDANCE, None)
        if self.doc.is_asylum and (
            g.maatschappelijke_begeleiding is not None or g.maatschappelijke_begeleiding_by
        ):
            flow.append(side.para(side.t(T.MAATSCHAPPELIJKE_BEGELEIDING), bold=True, after=1))
            flow.append(side.text(T.MB_DESCRIPTION, color=GREY))
            if g.maatschappelijke_begeleiding_by:
                flow.append(side.field(T.PROVIDED_BY, side.f.ltr(g.maatschappelijke_begeleiding_by)))
            flow += self.free(side, g.maatschappelijke_begeleiding, T.GUIDANCE, None)
        if g.preconditions or g.childcare_needed:
            flow.append(side.para(side.t(T.PRECONDITIONS), bold=True, after=1))
            flow.append(side.text(T.PRECONDITIONS_DESCRIPTION, color=GREY))
            if g.childcare_needed:
                flow.append(side.text(T.CHILDCARE_NEEDED))
            for item in g.preconditions:
                flow += self.free(side, item, T.GUIDANCE, None)
        if not flow:
            flow.append(side.text(T.NOT_APPLICABLE))
        return flow

    def map_part(self, side: _Side) -> list[Flowable]:
        m = self.doc.map
        flow: list[Flowable] = [side.text(T.MAP_DESCRIPTION, color=GREY)]
        if m.hours:
            flow.append(side.field(T.INTENSITY, side.t(T.HOURS, m.hours, hours=side.f.number(m.hours))))
        flow += self.free(side, m.intensity, T.MAP, None if m.hours else T.INTENSITY)
        if m.practical_hours:
            hours = side.t(T.HOURS, m.practical_hours, hours=side.f.number(m.practical_hours))
            flow.append(side.field(T.PRACTICAL, hours))
        flow += self.free(side, m.practical_component, T.MAP, None if m.practical_hours else T.PRACTICAL)
        return flow

    def pvt(self, side: _Side) -> list[Flowable]:
        p = self.doc.pvt
        flow: list[Flowable] = [side.text(T.PVT_DESCRIPTION, color=GREY)]
        if p.hours:
            flow.append(side.field(T.INTENSITY, side.t(T.HOURS, p.hours, hours=side.f.number(p.hours))))
        flow += self.free(side, p.intensity, T.PVT, None if p.hours else T.INTENSITY)
        if p.planned_by is not None:
            flow.append(side.text(T.FINISH_BY, date=side.f.date(p.planned_by)))
        return flow

    def ontzorgen(self, side: _Side) -> list[Flowable]:
        o = self.doc.ontzorgen
        assert o is not None
        costs = side.f.join([side.t(T.FIXED_COST_NAMES[cost.value]) for cost in o.fixed_costs])
        flow: list[Flowable] = [side.text(T.ONTZORGEN_DESCRIPTION, color=GREY)]
        if costs:
            flow.append(side.field(T.FIXED_COSTS, costs))
        start = side.f.date(o.start) if o.start else side.t(T.UNKNOWN)
        end = side.f.date(o.end) if o.end else side.t(T.UNKNOWN)
        flow.append(side.text(T.FROM_TO, start=start, end=end))
        flow.append(side.field(T.FORM, side.t(T.ONTZORGEN_FORMS[o.form.value])))
        flow += self.free(side, o.description, T.ONTZORGEN, None)
        flow += self.free(side, o.financial_training, T.ONTZORGEN, T.FINANCIAL_TRAINING)
        return flow

    def afschalen(self, side: _Side) -> list[Flowable]:
        a = self.doc.afschalen
        flow: list[Flowable] = [side.text(T.AFSCHALEN_DESCRIPTION, color=GREY)]
        if not a.applies:
            flow.append(side.text(T.AFSCHALEN_NONE))
            return flow
        parts = side.f.join([side.t(T.EXAM_PARTS[part.value]) for part in a.exam_parts])
        flow.append(side.text(T.AFSCHALEN_PARTS, parts=parts or side.t(T.UNKNOWN)))
        if a.until is not None:
            flow.append(side.text(T.UNTIL, date=side.f.date(a.until)))
        elif a.months:
            flow.append(side.count(T.FOR_MONTHS, a.months, "months"))
        flow += self.free(side, a.explanation, T.AFSCHALEN, None)
        return flow

    def monitoring(self, side: _Side) -> list[Flowable]:
        m = self.doc.monitoring
        flow: list[Flowable] = [side.text(T.MONITORING_DESCRIPTION, color=GREY)]
        flow += self.free(side, m.description, T.MONITORING, None)
        if m.interval_weeks:
            flow.append(side.count(T.INTERVAL, m.interval_weeks, "weeks"))
        elif m.interval_months:
            flow.append(side.count(T.INTERVAL_MONTHS, m.interval_months, "months"))
        if m.planned_meetings:
            dates = side.f.join([side.f.date(day) for day in m.planned_meetings])
            flow.append(side.field(T.PLANNED_MEETINGS, dates))
        return flow

    def taalschool(self, side: _Side) -> list[Flowable]:
        flow: list[Flowable] = []
        if self.doc.taalschool:
            flow.append(side.para(side.f.ltr(self.doc.taalschool)))
        flow += self.free(side, self.doc.taalschool_note, T.TAALSCHOOL, None)
        return flow

    def agreements(self, side: _Side) -> list[Flowable]:
        if not self.doc.agreements:
            return [side.text(T.NO_AGREEMENTS)]
        flow: list[Flowable] = []
        for number, agreement in enumerate(self.doc.agreements, start=1):
            flow += self.free(side, agreement.what, T.AGREEMENTS, None)
            due = side.f.date(agreement.due) if agreement.due else side.t(T.UNKNOWN)
            status = side.t(T.AGREEMENT_STATUSES[agreement.status.value])
            flow.append(
                side.para(
                    [
                        Span(f"{side.f.number(number)}. {side.label(T.WHO)}", True),
                        Span(side.f.ltr(agreement.who) + "   "),
                        Span(side.label(T.WHEN), True),
                        Span(due + "   "),
                        Span(side.label(T.STATUS), True),
                        Span(status),
                    ],
                    color=GREY,
                    after=5,
                )
            )
        return flow

    def objection(self, side: _Side) -> list[Flowable]:
        municipality = side.f.ltr(self.doc.municipality.name)
        return [side.text(T.OBJECTION_TEXT, municipality=municipality), side.text(T.QUESTIONS)]

    def signatures(self) -> None:
        d = self.doc
        blocks: list[tuple[T.Msg, str, dt.date | None, str | None, T.Msg | None]] = [
            (T.CLIENT_ROLE, d.client.latin_name, d.client_signed_on, None, T.CLIENT_STATEMENT),
            (T.KLANTMANAGER_ROLE, d.klantmanager.name, d.klantmanager.signed_on, None, None),
        ]
        if d.interpreter is not None:
            blocks.append(
                (
                    T.INTERPRETER_ROLE,
                    d.interpreter.name,
                    d.interpreter.signed_on,
                    d.interpreter.register_number or "",
                    T.INTERPRETER_STATEMENT,
                )
            )
        cells: list[list[Flowable]] = []
        for role, name, signed_on, register, statement in blocks:
            cell: list[Flowable] = []
            for side in self.sides():
                cell.append(side.para(side.t(role), bold=True, color=ACCENT, after=0.5))
            if statement is not None:
                for side in self.sides():
                    cell.append(side.para(side.t(statement), size=BODY_SIZE - 1, color=GREY, after=0.5))
            cell.append(self.nl.para(name, after=1, bold=True))
            if register is not None:
                for side in self.sides():
                    cell.append(side.field(T.REGISTER_NUMBER, side.f.ltr(register) if register else ""))
            for side in self.sides():
                value = side.f.date(signed_on) if signed_on else ""
                cell.append(side.field(T.DATE, value))
            cells.append(cell)
        width = (self.width - GUTTER * (len(cells) - 1)) / len(cells)
        headings: list[Flowable] = [side.heading(T.SIGNATURES) for side in self.sides()]
        # The signature lines go in a row of their own, so they line up whatever is above them.
        lines: list[list[Flowable]] = []
        for _ in cells:
            line: list[Flowable] = [
                side.para(side.label(T.SIGNATURE).rstrip(), size=BODY_SIZE - 1, color=GREY, after=0)
                for side in self.sides()
            ]
            line.append(
                HRFlowable(width="100%", thickness=0.8, color=black, spaceBefore=14 * mm, spaceAfter=0)
            )
            lines.append(line)
        table = Table([cells, lines], colWidths=[width + (GUTTER if i else 0) for i in range(len(cells))])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONT", (0, 0), (-1, -1), "Wegwijs-Latn-Regular", BODY_SIZE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("LEFTPADDING", (1, 0), (-1, -1), GUTTER),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        self.story.append(KeepTogether([Spacer(1, 3 * mm), *headings, table]))


class _NumberedCanvas(Canvas):
    """Keeps each page until the end, so every footer can say 'page X of Y'."""

    footer: Callable[[Canvas, int, int], None] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            if self.footer is not None:
                self.footer(self, number, total)
            super().showPage()
        super().save()


class DocumentLanguageError(WegwijsError):
    """An unknown document language was asked for."""


def document_languages(spec: str, client_language: str | None = None) -> list[str]:
    """The languages for `--lang CODE|all` (and the GUI's two print actions): "all" gives every
    language of the registry, Dutch first; "client" the client's own language (Dutch when unknown)."""
    spec = spec.strip()
    if spec == "all":
        codes = language_codes()
        return ["nl", *[code for code in codes if code != "nl"]] if "nl" in codes else codes
    if spec == "client":
        spec = client_language or "nl"
    if not is_known_language(spec):
        known = ", ".join(language_codes())
        raise DocumentLanguageError(f"Taal '{spec}' is onbekend; kies een van {known} of 'all'.")
    return [spec]


def prepare(languages: Iterable[str]) -> None:
    """Load what the first PIP would otherwise load: fonts, HarfBuzz faces, the "pip" catalogs and
    Babel's locale data. Call it on the PDF worker at start-up so the first print is as fast as the rest."""
    fonts = register_fonts()
    with _render_lock:
        for face in fonts.all_faces():
            font = pdfmetrics.getFont(face.name)
            assert isinstance(font, TTFont)
            _ = font.hbFace
    for code in ["nl", *languages]:
        language = get_language(code)
        T.texts_for(code)
        Formatter(language).date(dt.date.today())


def render_pip(document: PipDocument, language: str, out: Path | str) -> RenderResult:
    """Write the bilingual PIP (Dutch beside `language`; Dutch only for "nl") to `out`.

    `out` is a file path, or an existing folder in which `pip_filename()` is used."""
    target = Path(out)
    if target.is_dir():
        target = target / pip_filename(document, language)
    get_language(language)  # refuses an unknown code with a Dutch message
    fonts = register_fonts()
    log = GlyphLog()
    with _render_lock:
        pages = _build(document, language, target, fonts, log)
    builder_gaps = pages[1]
    return RenderResult(target, language, pages[0], builder_gaps, log)


def render_languages(
    document: PipDocument,
    languages: Iterable[str],
    out_dir: Path | str,
    *,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[RenderResult]:
    """Render one PDF per language into `out_dir`; stops between languages when `cancelled()`."""
    codes = list(languages)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    for index, code in enumerate(codes):
        if cancelled is not None and cancelled():
            break
        results.append(render_pip(document, code, folder / pip_filename(document, code)))
        if progress is not None:
            progress(index + 1, len(codes), code)
    return results


def _build(
    document: PipDocument, code: str, target: Path, fonts: FontSet, log: GlyphLog
) -> tuple[int, list[TranslationGap]]:
    from app.pdf.page import PageDecorator

    frame_width = PAGE_WIDTH - 2 * MARGIN
    builder = _Builder(document, code, fonts, log, frame_width)
    story = builder.build()
    decorator = PageDecorator(document, builder.nl, builder.tr, frame_width)
    language = get_language(code)
    title = f"{builder.nl.t(T.TITLE)} - {document.client.latin_name} - versie {document.version}"
    template = BaseDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_HEIGHT,
        bottomMargin=MARGIN + FOOTER_HEIGHT,
        title=title,
        author=document.municipality.name,
        subject=f"PIP, Nederlands en {language.name_nl}" if code != "nl" else "PIP",
        creator="Wegwijs",
        keywords=["PIP", "nl", code],
        lang="nl-NL",
        initialFontName="Wegwijs-Latn-Regular",  # else every page names Helvetica, unused and not embedded
    )
    frame = Frame(
        MARGIN,
        MARGIN + FOOTER_HEIGHT,
        frame_width,
        PAGE_HEIGHT - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    template.addPageTemplates([PageTemplate(id="pip", frames=[frame], onPage=decorator.header)])
    page_count = [0]

    def footer(canvas: Canvas, number: int, total: int) -> None:
        page_count[0] = total
        decorator.footer(canvas, number, total)

    canvas_class = type("PipCanvas", (_NumberedCanvas,), {"footer": staticmethod(footer)})
    template.build(story, canvasmaker=canvas_class)
    return page_count[0], builder.gaps


__all__ = [
    "DocumentLanguageError",
    "PipState",
    "RenderResult",
    "TranslationGap",
    "document_languages",
    "pip_filename",
    "prepare",
    "render_languages",
    "render_pip",
]
