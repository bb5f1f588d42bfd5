"""Marked content while drawing: which structure element each paragraph belongs to.

ReportLab writes no structure tree, so the renderer marks every body paragraph with a marked-content
id (MCID) as it draws it, marks header, footer and watermark as artifacts, and records here what
each MCID is (role, language, the part and column it belongs to). `pdfa.finish()` then turns these
records into the StructTreeRoot and ParentTree with pikepdf.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from reportlab.pdfgen.canvas import Canvas


@dataclass(frozen=True)
class Mark:
    """One marked-content sequence on one page."""

    page: int  # 1-based
    mcid: int
    role: str  # a standard structure type: H1, H2, P, Figure
    lang: str | None  # BCP 47 when it differs from the document's language (nl-NL)
    part: tuple[int, int]  # (part number, column): 0 is the title block; column 0 Dutch, 1 translation
    element: int  # the same number for the pieces of one paragraph split over pages
    alt: str | None = None


@dataclass
class TagLog:
    """What the canvas drew as marked content, in drawing order."""

    marks: list[Mark] = field(default_factory=list)
    _next_mcid: dict[int, int] = field(default_factory=dict)
    artifact_depth: int = 0

    def begin(
        self,
        canvas: Canvas,
        role: str,
        lang: str | None,
        part: tuple[int, int],
        element: int,
        alt: str | None = None,
    ) -> None:
        page = canvas.getPageNumber()
        mcid = self._next_mcid.get(page, 0)
        self._next_mcid[page] = mcid + 1
        self.marks.append(Mark(page, mcid, role, lang, part, element, alt))
        canvas._code.append(f"/{role} <</MCID {mcid}>> BDC")


def tag_log(canvas: Canvas) -> TagLog | None:
    """The canvas's log, or None where nothing is tagged (inside an artifact, or a plain canvas)."""
    log: TagLog | None = getattr(canvas, "_wegwijs_tags", None)
    if log is None or log.artifact_depth:
        return None
    return log


def end(canvas: Canvas) -> None:
    canvas._code.append("EMC")


@contextmanager
def artifact(canvas: Canvas, kind: str = "Layout") -> Iterator[None]:
    """Content that is not part of the text: header, footer, watermark, rules (PDF/UA 7.1)."""
    log: TagLog | None = getattr(canvas, "_wegwijs_tags", None)
    if log is not None and log.artifact_depth:
        yield
        return
    canvas._code.append(f"/Artifact <</Type /{kind}>> BDC")
    if log is not None:
        log.artifact_depth += 1
    try:
        yield
    finally:
        if log is not None:
            log.artifact_depth -= 1
        canvas._code.append("EMC")


@contextmanager
def figure(canvas: Canvas, alt: str) -> Iterator[None]:
    """An image with alternative text, as a Figure element of the title block."""
    log = tag_log(canvas)
    if log is None:
        yield
        return
    log.begin(canvas, "Figure", None, (0, 0), -1, alt)
    try:
        yield
    finally:
        end(canvas)
