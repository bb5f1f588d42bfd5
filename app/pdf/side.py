"""One column of the PIP document: Dutch, or the client's language, with its texts and formats."""

from __future__ import annotations

from reportlab.lib.colors import Color, black

from app.i18n.languages import get_language
from app.pdf import texts as T
from app.pdf.document import PrintSettings
from app.pdf.fonts import FontSet
from app.pdf.formatting import Formatter
from app.pdf.style import ACCENT, BODY_SIZE
from app.pdf.textlayout import BidiParagraph, GlyphLog, Span
from app.pdf.unreviewed import TrackedTexts


class Side:
    """One column of the document: Dutch, or the client's language."""

    def __init__(
        self,
        code: str,
        fonts: FontSet,
        log: GlyphLog,
        settings: PrintSettings | None = None,
        nationality: str | None = None,
    ) -> None:
        language = get_language(code)
        settings = settings or PrintSettings()
        self.code = code
        self.rtl = language.is_rtl
        self.script = language.script
        self.t = TrackedTexts(T.texts_for(code))  # issue 19: which fixed texts are still unchecked
        levantine = (
            settings.levantine_months and (nationality or "").upper() in settings.levantine_nationalities
        )
        self.f = Formatter(language, western_digits=settings.western_digits, levantine=levantine)
        self.fonts = fonts
        self.log = log
        self.hb_language = code.split("_")[0]
        # The language tag of the structure tree (BCP 47): None for Dutch, the document's language.
        self.lang = None if code == "nl" else code.replace("_", "-")

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
        paragraph = BidiParagraph(
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
        paragraph.lang = "nl-NL" if dutch else self.lang
        return paragraph

    def heading(self, message: T.Msg, *, continued: bool = False) -> BidiParagraph:
        text = self.t(message)
        if continued:
            text = self.t(T.CONTINUED, heading=text)
        paragraph = self.para(text, size=11, bold=True, color=ACCENT, after=3)
        paragraph.role = "H2"
        return paragraph

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
