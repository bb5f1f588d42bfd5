"""After ReportLab: the PDF made archival and accessible with pikepdf, in one pass.

- ToUnicode maps completed so shaped text extracts as written (`unicode.fix_to_unicode`);
- the structure tree from the marked content the renderer recorded (`tagging.TagLog`): a Document
  with the title block, then per part a Sect holding the Dutch heading and paragraphs followed by
  a Div with the translation (its own /Lang); the logo a Figure with /Alt; ParentTree, StructParents
  and /Tabs /S on every page; `/MarkInfo`, the document /Lang, DisplayDocTitle;
- PDF/A-2b and PDF/UA-1 identification in XMP metadata (from the document information), and an
  sRGB output intent (the ICC profile made by Pillow's LittleCMS binding).

Anything that changes the file later (signing) must run after this step.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from app.pdf.tagging import Mark, TagLog
from app.pdf.unicode import fix_to_unicode

DOCUMENT_LANG = "nl-NL"


@cache
def srgb_profile() -> bytes:
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return profile.tobytes()


def finish(path: Path, tags: TagLog, *, translation_lang: str | None) -> None:
    """Rewrite `path` in place as tagged PDF/A-2b."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        fix_to_unicode(pdf)
        _structure(pdf, tags.marks, translation_lang)
        _archival(pdf)
        pdf.save(path, fix_metadata_version=False, deterministic_id=False)


def _element(pdf: pikepdf.Pdf, role: str, parent: Dictionary, lang: str | None = None) -> Dictionary:
    element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + role), P=parent, K=Array()))
    if lang:
        element.Lang = String(lang)
    parent.K.append(element)
    return element


def _structure(pdf: pikepdf.Pdf, marks: Iterable[Mark], translation_lang: str | None) -> None:
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array()))
    document = _element(pdf, "Document", root, DOCUMENT_LANG)
    pages = list(pdf.pages)
    parent_arrays: dict[int, list[Dictionary | None]] = {}
    by_part: dict[int, dict[int, list[Mark]]] = {}
    for mark in marks:
        by_part.setdefault(mark.part[0], {}).setdefault(mark.part[1], []).append(mark)
    elements: dict[int, Dictionary] = {}

    def add(mark: Mark, parent: Dictionary) -> None:
        element = elements.get(mark.element) if mark.element > 0 else None
        if element is None:
            element = _element(
                pdf, mark.role, parent, mark.lang if mark.lang != parent.get("/Lang") else None
            )
            if mark.alt:
                element.Alt = String(mark.alt)
            if mark.element > 0:
                elements[mark.element] = element
        page = pages[mark.page - 1]
        element.K.append(Dictionary(Type=Name.MCR, Pg=page.obj, MCID=mark.mcid))
        element.Pg = page.obj
        slots = parent_arrays.setdefault(mark.page - 1, [])
        slots.extend([None] * (mark.mcid + 1 - len(slots)))
        slots[mark.mcid] = element

    for part in sorted(by_part):
        columns = by_part[part]
        if part == 0:
            # The title block: Dutch then translated lines, in the order they were drawn.
            for mark in sorted((m for ms in columns.values() for m in ms), key=lambda m: (m.page, m.mcid)):
                add(mark, document)
            continue
        section = _element(pdf, "Sect", document)
        for mark in columns.get(0, []):
            add(mark, section)
        if 1 in columns:
            translated = _element(pdf, "Div", section, translation_lang)
            for mark in columns[1]:
                add(mark, translated)
    for element in elements.values():
        kids = list(element.K)
        if len(kids) == 1 and kids[0].Pg.objgen == element.Pg.objgen:
            element.K = kids[0].MCID  # one content item on the element's own page: the short form
    nums = Array()
    for index, page in enumerate(pages):
        page.obj.StructParents = index
        page.obj.Tabs = Name.S
        slots = parent_arrays.get(index, [])
        nums.append(index)
        nums.append(
            pdf.make_indirect(Array([slot if slot is not None else pikepdf.Null() for slot in slots]))
        )
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = len(pages)
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = String(DOCUMENT_LANG)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)


def _archival(pdf: pikepdf.Pdf) -> None:
    icc = pdf.make_stream(srgb_profile())
    icc.N = 3
    intent = Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFA1,
        OutputConditionIdentifier=String("sRGB IEC61966-2.1"),
        Info=String("sRGB IEC61966-2.1"),
        DestOutputProfile=icc,
    )
    pdf.Root.OutputIntents = Array([intent])
    if "/Trapped" in pdf.docinfo:
        del pdf.docinfo["/Trapped"]  # ReportLab's /False has no XMP form; PDF/A wants them equal
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta.load_from_docinfo(pdf.docinfo)
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["pdfuaid:part"] = "1"
        meta["dc:language"] = [DOCUMENT_LANG]
