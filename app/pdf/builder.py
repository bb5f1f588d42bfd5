"""The parts of the PIP, each as one row: the Dutch text beside its translation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Spacer, Table, TableStyle

from app.pdf import texts as T
from app.pdf.document import FreeText, PipDocument, PipState
from app.pdf.fonts import FontSet
from app.pdf.side import Side
from app.pdf.signing import signing_part
from app.pdf.style import ACCENT, BODY_SIZE, CONCEPT_RED, GREY, GUTTER, NOTE, RULE
from app.pdf.tagging import artifact
from app.pdf.textlayout import BidiParagraph, GlyphLog, Span


@dataclass(frozen=True)
class TranslationGap:
    """A free text printed in Dutch on the translated side, because no reviewed translation exists."""

    section: str  # the Dutch heading of the part
    label: str  # the Dutch label of the text within the part
    dutch: str


Item: TypeAlias = Flowable | list[Flowable]  # one row of a part: a paragraph, or a group kept side by side


class ContinuedHeading(Flowable):
    """A part's heading; drawn again at the top of a later page (a repeated table row), it says
    "(vervolg)" and is an artifact, since the structure tree already has the heading."""

    def __init__(self, first: BidiParagraph, continued: BidiParagraph) -> None:
        super().__init__()
        self.first = first
        self.continued = continued
        self.drawn = 0
        self.spaceAfter = first.spaceAfter

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = max(
            self.first.wrap(availWidth, availHeight)[1], self.continued.wrap(availWidth, availHeight)[1]
        )
        return self.width, self.height

    def draw(self) -> None:
        paragraph = self.first if self.drawn == 0 else self.continued
        self.drawn += 1
        _, height = paragraph.wrap(self.width, self.height)
        if paragraph is self.first:
            paragraph.drawOn(self.canv, 0, self.height - height)
        else:
            with artifact(self.canv, "Pagination"):
                paragraph.drawOn(self.canv, 0, self.height - height)


class WithLastLines(Flowable):
    """A paragraph and the short line after it (an agreement's who/when/status line): split over
    two pages, the line takes at least the paragraph's last line along, so it never stands alone
    at the top of a page."""

    def __init__(self, paragraph: BidiParagraph, line: BidiParagraph) -> None:
        super().__init__()
        self.paragraph, self.line = paragraph, line
        self.spaceBefore, self.spaceAfter = paragraph.spaceBefore, line.spaceAfter

    def _gap(self) -> float:
        return float(self.paragraph.spaceAfter + self.line.spaceBefore)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        upper = self.paragraph.wrap(availWidth, availHeight)[1]
        self.height = upper + self._gap() + self.line.wrap(availWidth, availHeight)[1]
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        upper = self.paragraph.height
        # Room for the paragraph but not the line: the paragraph's last line goes on with it.
        room = min(availHeight, upper - self.paragraph._line_height / 2)
        parts = self.paragraph.split(availWidth, room)
        if len(parts) != 2:
            return []  # too little room: all of it moves on
        rest = parts[1]
        assert isinstance(rest, BidiParagraph)
        return [parts[0], WithLastLines(rest, self.line)]

    def draw(self) -> None:
        line_height = self.line.wrap(self.width, self.height)[1]
        self.paragraph.wrap(self.width, self.height)
        self.paragraph.drawOn(self.canv, 0, line_height + self._gap())  # first: the reading order
        self.line.drawOn(self.canv, 0, 0)


def _flat(item: Item) -> list[Flowable]:
    return item if isinstance(item, list) else [item]


def _place(flowable: Flowable, part: int, column: int) -> None:
    """Tell a paragraph (or a heading's two paragraphs) which part and column it belongs to."""
    if isinstance(flowable, ContinuedHeading):
        _place(flowable.first, part, column)
        _place(flowable.continued, part, column)
    elif isinstance(flowable, WithLastLines):
        _place(flowable.paragraph, part, column)
        _place(flowable.line, part, column)
    elif isinstance(flowable, BidiParagraph):
        flowable.part = (part, column)


class Builder:
    def __init__(self, document: PipDocument, code: str, fonts: FontSet, log: GlyphLog, width: float) -> None:
        self.doc = document
        self.nl = Side("nl", fonts, log)
        nationality = document.client.nationality
        self.tr = Side(code, fonts, log, document.settings, nationality) if code != "nl" else None
        self.width = width
        self.gaps: list[TranslationGap] = []
        self.story: list[Flowable] = []
        self.part = 0  # 0 is the title block

    # -- helpers --------------------------------------------------------------------------------

    def sides(self) -> list[Side]:
        return [self.nl] if self.tr is None else [self.nl, self.tr]

    def section(self, heading: T.Msg, build: Callable[[Side], list[Item]]) -> None:
        """One part as a table: the headings in the first row (repeated, with "(vervolg)", on every
        page the part goes on to), then one row per item, so item 2 starts at the same height in
        Dutch and in the translation."""
        self.part += 1
        items = [build(side) for side in self.sides()]
        count = max(len(column) for column in items)
        rows: list[list[Flowable | list[Flowable]]] = [
            [
                ContinuedHeading(side.heading(heading), side.heading(heading, continued=True))
                for side in self.sides()
            ]
        ]
        for index in range(count):
            rows.append([column[index] if index < len(column) else [] for column in items])
        for row in rows:
            for column, cell in enumerate(row):
                for flowable in cell if isinstance(cell, list) else [cell]:
                    _place(flowable, self.part, column)
        if self.tr is None:
            widths = [self.width]
        else:
            widths = [(self.width - GUTTER) / 2] * 2
        # repeatRows=1: ReportLab never splits a table right after its repeated rows, so a heading
        # never stands alone at the foot of a page.
        table = Table(rows, colWidths=widths, splitByRow=0, splitInRow=1, repeatRows=1, hAlign="LEFT")
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONT", (0, 0), (-1, -1), "Wegwijs-Latn-Regular", BODY_SIZE),  # the default is Helvetica
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), 5),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 4),
            ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
        ]
        if self.tr is not None:
            style.append(("LEFTPADDING", (1, 0), (1, -1), GUTTER))
            table._argW = [widths[0], widths[1] + GUTTER]
        table.setStyle(TableStyle(style))
        self.story.append(table)

    def free(self, side: Side, text: FreeText | None, section: T.Msg, label: T.Msg | None) -> list[Item]:
        """A free text, as one item: Dutch on the Dutch side; the reviewed translation, or the Dutch
        with a note."""
        if text is None or text.is_empty:
            return []
        flow: list[Item] = []
        if label is not None:
            flow.append(side.para(side.label(label).rstrip(), bold=True, after=1))
        if side is self.nl:
            flow.append(side.para(text.dutch))
        elif text.has_reviewed_translation:
            assert text.translation is not None
            flow.append(side.para(side.f.keep_numbers(text.translation)))
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
        return [flow]

    # -- parts ----------------------------------------------------------------------------------

    def build(self) -> list[Flowable]:
        d = self.doc
        for side in self.sides():
            title = side.para(side.t(T.TITLE), size=15, bold=True, color=ACCENT, after=1)
            title.role = "H1"
            self.story.append(title)
        banner = T.WITHDRAWN_BANNER if d.state == PipState.INGETROKKEN else T.CONCEPT_BANNER
        if not d.is_adopted:
            for side in self.sides():
                self.story.append(side.para(side.t(banner), bold=True, color=CONCEPT_RED, after=1))
        if d.missing_parts and d.state != PipState.INGETROKKEN:
            # The law's parts still missing, named (in Dutch, the legal text) rather than left out.
            for side in self.sides():
                parts = "; ".join(side.f.ltr(part) for part in d.missing_parts)
                self.story.append(side.text(T.MISSING_PARTS, color=CONCEPT_RED, parts=parts))
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
        self.section(T.SIGNATURES, self.signatures)
        self.story += signing_part(self)  # issue 19: signed / not digitally signed (adopted only)
        return self.story

    def personal(self, side: Side) -> list[Item]:
        c = self.doc.client
        flow: list[Item] = [side.field(T.NAME, side.f.ltr(c.latin_name))]
        if c.distinct_original_name:
            flow.append(side.field(T.ORIGINAL_NAME, c.distinct_original_name))
        flow.append(side.field(T.V_NUMMER, side.f.ltr(c.v_nummer)))
        if c.bsn:
            flow.append(side.field(T.BSN, side.f.ltr(c.bsn)))
        flow.append(side.field(T.BIRTH_DATE, side.f.partial_date(c.birth_date)))
        flow.append(side.field(T.MUNICIPALITY, side.f.ltr(self.doc.municipality.name)))
        flow.append(side.field(T.KLANTMANAGER, side.f.ltr(self.doc.klantmanager.name)))
        return flow

    def leerroute(self, side: Side) -> list[Item]:
        route = self.doc.leerroute
        flow: list[Item] = [
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

    def guidance(self, side: Side) -> list[Item]:
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

    def map_part(self, side: Side) -> list[Item]:
        m = self.doc.map
        flow: list[Item] = [side.text(T.MAP_DESCRIPTION, color=GREY)]
        if m.hours:
            flow.append(side.field(T.INTENSITY, side.t(T.HOURS, m.hours, hours=side.f.number(m.hours))))
        flow += self.free(side, m.intensity, T.MAP, None if m.hours else T.INTENSITY)
        if m.practical_hours:
            hours = side.t(T.HOURS, m.practical_hours, hours=side.f.number(m.practical_hours))
            flow.append(side.field(T.PRACTICAL, hours))
        flow += self.free(side, m.practical_component, T.MAP, None if m.practical_hours else T.PRACTICAL)
        return flow

    def pvt(self, side: Side) -> list[Item]:
        p = self.doc.pvt
        flow: list[Item] = [side.text(T.PVT_DESCRIPTION, color=GREY)]
        if p.hours:
            flow.append(side.field(T.INTENSITY, side.t(T.HOURS, p.hours, hours=side.f.number(p.hours))))
        flow += self.free(side, p.intensity, T.PVT, None if p.hours else T.INTENSITY)
        if p.planned_by is not None:
            flow.append(side.text(T.FINISH_BY, date=side.f.date(p.planned_by)))
        return flow

    def ontzorgen(self, side: Side) -> list[Item]:
        o = self.doc.ontzorgen
        assert o is not None
        costs = side.f.join([side.t(T.FIXED_COST_NAMES[cost.value]) for cost in o.fixed_costs])
        flow: list[Item] = [side.text(T.ONTZORGEN_DESCRIPTION, color=GREY)]
        if costs:
            flow.append(side.field(T.FIXED_COSTS, costs))
        start = side.f.date(o.start) if o.start else side.t(T.UNKNOWN)
        end = side.f.date(o.end) if o.end else side.t(T.UNKNOWN)
        flow.append(side.text(T.FROM_TO, start=start, end=end))
        flow.append(side.field(T.FORM, side.t(T.ONTZORGEN_FORMS[o.form.value])))
        flow += self.free(side, o.description, T.ONTZORGEN, None)
        flow += self.free(side, o.financial_training, T.ONTZORGEN, T.FINANCIAL_TRAINING)
        return flow

    def afschalen(self, side: Side) -> list[Item]:
        a = self.doc.afschalen
        flow: list[Item] = [side.text(T.AFSCHALEN_DESCRIPTION, color=GREY)]
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

    def monitoring(self, side: Side) -> list[Item]:
        m = self.doc.monitoring
        flow: list[Item] = [side.text(T.MONITORING_DESCRIPTION, color=GREY)]
        flow += self.free(side, m.description, T.MONITORING, None)
        if m.interval_weeks:
            flow.append(side.count(T.INTERVAL, m.interval_weeks, "weeks"))
        elif m.interval_months:
            flow.append(side.count(T.INTERVAL_MONTHS, m.interval_months, "months"))
        if m.planned_meetings:
            dates = side.f.join([side.f.date(day) for day in m.planned_meetings])
            flow.append(side.field(T.PLANNED_MEETINGS, dates))
        if m.held_meetings:
            held = side.f.join([side.f.date(day) for day in m.held_meetings])
            flow.append(side.field(T.HELD_MEETINGS, held))
        return flow

    def taalschool(self, side: Side) -> list[Item]:
        flow: list[Item] = []
        if self.doc.taalschool:
            flow.append(side.para(side.f.ltr(self.doc.taalschool)))
        flow += self.free(side, self.doc.taalschool_note, T.TAALSCHOOL, None)
        return flow

    def agreements(self, side: Side) -> list[Item]:
        if not self.doc.agreements:
            return [side.text(T.NO_AGREEMENTS)]
        flow: list[Item] = []
        for number, agreement in enumerate(self.doc.agreements, start=1):
            # One item per agreement: its text and its who/when/status line stay together, and
            # start at the same height in both columns.
            group: list[Flowable] = [
                f for item in self.free(side, agreement.what, T.AGREEMENTS, None) for f in _flat(item)
            ]
            due = side.f.date(agreement.due) if agreement.due else side.t(T.UNKNOWN)
            status = side.t(T.AGREEMENT_STATUSES[agreement.status.value])
            status_line = side.para(
                [
                    Span(f"{side.f.number(number)}. {side.label(T.WHO)}", True),
                    Span(self.who(side, agreement.who) + "   "),
                    Span(side.label(T.WHEN), True),
                    Span(due + "   "),
                    Span(side.label(T.STATUS), True),
                    Span(status),
                ],
                color=GREY,
                after=5,
            )
            if group and isinstance(group[-1], BidiParagraph):
                group[-1] = WithLastLines(group[-1], status_line)
            else:
                group.append(status_line)
            flow.append(group)
        return flow

    def who(self, side: Side, who: str) -> str:
        """A known role in the side's language; any other name as typed, on the translated side
        marked untranslated and counted as a translation gap."""
        role = T.ROLES.get(who.strip().casefold())
        if role is not None:
            return side.f.ltr(side.t(role))
        if side is self.nl or not who.strip():
            return side.f.ltr(who)
        self.gaps.append(TranslationGap(self.nl.t(T.AGREEMENTS), self.nl.t(T.WHO), who))
        return f"{side.f.ltr(who)} {side.t(T.UNTRANSLATED)}"

    def objection(self, side: Side) -> list[Item]:
        municipality = side.f.ltr(self.doc.municipality.name)
        return [side.text(T.OBJECTION_TEXT, municipality=municipality), side.text(T.QUESTIONS)]

    def signatures(self, side: Side) -> list[Item]:
        """One item per signatory, side by side like every part: role, statement, name, date and a
        line to sign on; the rows keep the Dutch and translated blocks level."""
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
        items: list[Item] = []
        for role, name, signed_on, register, statement in blocks:
            cell: list[Flowable] = [side.para(side.t(role), bold=True, color=ACCENT, after=0.5)]
            if statement is not None:
                cell.append(side.para(side.t(statement), size=BODY_SIZE - 1, color=GREY, after=0.5))
            cell.append(side.para([Span(side.f.ltr(name), True)], after=1))
            if register is not None:
                cell.append(side.field(T.REGISTER_NUMBER, side.f.ltr(register) if register else ""))
            cell.append(side.field(T.DATE, side.f.date(signed_on) if signed_on else ""))
            cell.append(side.para(side.label(T.SIGNATURE).rstrip(), size=BODY_SIZE - 1, color=GREY, after=0))
            cell.append(
                HRFlowable(width="100%", thickness=0.8, color=black, spaceBefore=12 * mm, spaceAfter=4 * mm)
            )
            items.append(cell)
        return items
