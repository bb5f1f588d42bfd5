"""The bilingual PIP PDF: each part in Dutch (the legal text) beside the client's language.

Entry points: `render_pip` (one language) and `render_languages` (several, with progress and
cancel, for "alle acht talen"). Both return what the GUI must warn about before printing: the free
texts whose reviewed translation is still missing. The parts are built in `builder.py`, header and
footer in `page.py`; after ReportLab has written the file, `tagging.py` adds the structure tree,
the PDF/A metadata and the output intent (every later step, such as signing, runs after it).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from app.collector import collections_paused
from app.domain.errors import WegwijsError
from app.i18n import _
from app.i18n.languages import get_language, is_known_language, language_codes
from app.pdf import texts as T
from app.pdf.builder import Builder, TranslationGap
from app.pdf.document import PipDocument, PipState
from app.pdf.fonts import FontSet, register_fonts
from app.pdf.formatting import Formatter
from app.pdf.page import PageDecorator
from app.pdf.pdfa import finish
from app.pdf.style import FOOTER_HEIGHT, FRAME_WIDTH, MARGIN, PAGE_HEIGHT, PAGE_WIDTH
from app.pdf.tagging import TagLog
from app.pdf.textlayout import GlyphLog

_render_lock = threading.Lock()  # ReportLab's font registry and subsets are process-wide


@dataclass
class RenderResult:
    path: Path
    language: str
    pages: int
    gaps: list[TranslationGap]
    glyphs: GlyphLog = field(default_factory=GlyphLog)


def pip_filename(document: PipDocument, language: str) -> str:
    return f"PIP_{document.client.v_nummer}_v{document.version}_{language}.pdf"


class _NumberedCanvas(Canvas):
    """Keeps each page until the end, so every footer can say 'page X of Y'."""

    footer: Callable[[Canvas, int, int], None] | None = None
    tags: TagLog | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._wegwijs_tags = self.tags  # read by tagging.tag_log while drawing

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
        raise DocumentLanguageError(
            _("Taal '{spec}' is onbekend; kies een van {known} of 'all'.").format(spec=spec, known=known)
        )
    return [spec]


def prepare(languages: Iterable[str]) -> None:
    """Load what the first PIP would otherwise load: fonts, HarfBuzz faces, the "pip" catalogs and
    Babel's locale data. Call it on the PDF worker at start-up so the first print is as fast as the rest."""
    fonts = register_fonts()
    with _render_lock:
        for face in fonts.all_faces():
            _ = face.ttf.hbFace
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
    with _render_lock, collections_paused():
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
    builder = Builder(document, code, fonts, log, FRAME_WIDTH)
    story = builder.build()
    decorator = PageDecorator(document, builder.nl, builder.tr, FRAME_WIDTH)
    header_height = decorator.height()  # grows with long names: the body starts below it
    language = get_language(code)
    title = f"{builder.nl.t(T.TITLE)} - {document.client.latin_name} - versie {document.version}"
    for bold in (False, True):
        _ = fonts.primary("Latn", bold).ttf  # named by table styles and the watermark
    template = BaseDocTemplate(
        str(target),
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + header_height,
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
        FRAME_WIDTH,
        PAGE_HEIGHT - 2 * MARGIN - header_height - FOOTER_HEIGHT,
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

    tags = TagLog()
    canvas_class = type("PipCanvas", (_NumberedCanvas,), {"footer": staticmethod(footer), "tags": tags})
    template.build(story, canvasmaker=canvas_class)
    finish(target, tags, translation_lang=builder.tr.lang if builder.tr is not None else None)
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
