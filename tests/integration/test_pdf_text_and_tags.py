"""Text that comes back as written, a tagged PDF/A-2b, and a layout without overlaps.

Each PDF is read by three independent extractors (pdfminer.six, MuPDF through pymupdf, poppler's
pdftotext), checked by the `pdfua` PDF/UA-1 checker, and its PDF/A requirements are read with
pikepdf (veraPDF does not install from the registries here, see docs/pdf.md).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import pikepdf
import pymupdf
import pytest
from pdfminer.high_level import extract_text as pdfminer_text
from PIL import Image, ImageChops, ImageFilter

from app.pdf.document import Agreement, FreeText, Municipality
from app.pdf.render import render_pip
from app.pdf.sample import sample_document
from app.pdf.shaping import shaper

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
_FORBIDDEN = re.compile("[\ufb50-\ufdff\ufe70-\ufeff\ue000-\uf8ff]")

# A name per script, with the hard cases: lam-alef (علاء, بلال, سلامة), a zero-width non-joiner
# (مهدی‌زاده), Ethiopic, Turkish and Kurmanji letters.
NAMES = {
    "ar": "أمل حداد الهاشمي",
    "fa": "زهرا مهدی‌زاده",
    "fa_AF": "محمد نصیر رحیمی",
    "ti": "ኣማኑኤል ተስፋይ",
    "tr": "Şükrü Yılmaz Öztürk",
    "ku": "Rojîn Xelîl Şêx",
}


def readers(pdf: Path) -> dict[str, str]:
    poppler = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    with pymupdf.open(pdf) as doc:
        mupdf = "".join(page.get_text() for page in doc)
    texts = {"poppler": poppler.stdout.decode("utf-8"), "mupdf": mupdf, "pdfminer": pdfminer_text(str(pdf))}
    return {tool: _CONTROLS.sub("", text) for tool, text in texts.items()}


def _document(code: str, name: str | None = None):  # type: ignore[no-untyped-def]
    document = sample_document(code)
    original = name or NAMES[code]
    return replace(document, client=replace(document.client, original_name=original))


# The hard cases of issue 19, per language with an Arabic-script side (ku: Sorani in a Kurmanji
# document): lam-alef as two glyphs (علاء, بلال, سلامة), the zero-width non-joiner (می‌خواهم),
# a shadda inside a word, and a lam-alef pasted as a presentation form (ﻻ), which prints as the
# letters it stands for.
HARD_NAMES = {
    "ar": ["علاء بلال سلامة", "محمّد سلام", "ﻻمع خليل"],
    "fa": ["زهرا می‌خواهم", "علاء بلال سلامة"],
    "fa_AF": ["می‌خواهم سلامة", "زهرا لاله"],
    "ku": ["شیلان ڕەسوڵ", "لاوەند می‌خواهم"],
}


@pytest.mark.parametrize(
    ("code", "name"), [(code, name) for code, names in HARD_NAMES.items() for name in names]
)
def test_lam_alef_zwnj_and_marks_come_back_from_every_extractor(code: str, name: str, tmp_path: Path) -> None:
    result = render_pip(_document(code, name), code, tmp_path / "hard.pdf")
    written = unicodedata.normalize("NFKC", name)  # ﻻ is the two letters لا
    for tool, text in readers(result.path).items():
        assert written in text, f"{tool} lost {written!r}"
        assert not _FORBIDDEN.findall(text), f"{tool}: presentation forms or private use"


def _pixels(pdf: Path, folder: Path) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(folder / "page")], check=True)
    return [Image.open(path).convert("L") for path in sorted(folder.glob("page-*.png"))]


def _outside(a: Image.Image, b: Image.Image, tolerance: int = 96) -> int:
    """How many pixels of `a` are darker or lighter than every pixel around the same place in `b`."""
    darkest, lightest = b.filter(ImageFilter.MinFilter(3)), b.filter(ImageFilter.MaxFilter(3))
    darker = ImageChops.subtract(darkest, a).point(lambda v: 255 if v > tolerance else 0)
    lighter = ImageChops.subtract(a, lightest).point(lambda v: 255 if v > tolerance else 0)
    return sum(ImageChops.lighter(darker, lighter).histogram()[1:])


def test_the_letter_carriers_leave_the_page_as_it_looks(tmp_path: Path) -> None:
    """The carriers that give poppler one letter per glyph are invisible: the pages look the
    same as without them (rendered by poppler, pixel by pixel)."""
    document = _document("ar", "علاء بلال سلامة محمّد ﻻمع")
    with_carriers = render_pip(document, "ar", tmp_path / "with.pdf")
    shaper.carriers_enabled = False
    try:
        without = render_pip(document, "ar", tmp_path / "without.pdf")
    finally:
        shaper.carriers_enabled = True
    assert with_carriers.path.read_bytes() != without.path.read_bytes()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    pages_a, pages_b = _pixels(with_carriers.path, tmp_path / "a"), _pixels(without.path, tmp_path / "b")
    assert len(pages_a) == len(pages_b)
    for number, (a, b) in enumerate(zip(pages_a, pages_b, strict=True), start=1):
        changed = sum(ImageChops.difference(a, b).histogram()[1:])
        assert changed < a.width * a.height / 1000, f"page {number}: {changed} pixels differ"
        # A mark drawn as its outline instead of as a glyph is anti-aliased a little differently:
        # a pixel here and there differs from the other rendering's neighbourhood (1 pixel, 96
        # grey levels); a visible glyph or a moved letter would be dozens.
        assert _outside(a, b) + _outside(b, a) <= 4, f"page {number} looks different"
    assert "علاء بلال سلامة" not in readers(without.path)["poppler"]  # what the carriers repair


@pytest.mark.parametrize("code", sorted(NAMES))
def test_names_come_back_exactly_from_every_extractor(code: str, tmp_path: Path) -> None:
    result = render_pip(_document(code), code, tmp_path / f"{code}.pdf")
    for tool, text in readers(result.path).items():
        assert NAMES[code] in text, f"{tool} lost the {code} name"
        assert not _FORBIDDEN.findall(text), f"{tool}: presentation forms or private use in {code}"


def test_latin_names_and_reviewed_arabic_text_come_back(tmp_path: Path) -> None:
    document = _document("ar")
    result = render_pip(document, "ar", tmp_path / "ar.pdf")
    reviewed = document.leerroute.final_goal.translation
    assert reviewed is not None
    for tool, text in readers(result.path).items():
        assert document.client.latin_name in text, tool
        assert "1234567890" in text, tool
        # A whole sentence with Latin inside Arabic: every Arabic word as written.
        for word in reviewed.replace("،", " ").replace(".", " ").split():
            assert word in text, f"{tool}: {word!r}"


def test_zwnj_is_kept_and_search_finds_zahra_in_the_persian_pdf(tmp_path: Path) -> None:
    result = render_pip(sample_document("fa"), "fa", tmp_path / "fa.pdf")
    with pymupdf.open(result.path) as doc:
        hits = [rect for page in doc for rect in page.search_for("زهرا")]
    assert hits, "search for زهرا finds nothing"
    persian = render_pip(_document("fa"), "fa", tmp_path / "zwnj.pdf")
    for tool, text in readers(persian.path).items():
        assert "مهدی\u200cزاده" in text, tool


def _logo(tmp_path: Path) -> Path:
    path = tmp_path / "logo.png"
    Image.new("RGB", (64, 64), (31, 78, 121)).save(path)
    return path


def _struct_elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found: list[pikepdf.Dictionary] = []
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                found.append(kid)
                stack.append(kid)
    return found


@pytest.mark.parametrize("code", ["ar", "fa", "fa_AF", "ti", "tr", "ku"])
def test_tagged_pdf_a_with_languages_logo_alt_and_artifacts(code: str, tmp_path: Path) -> None:
    document = sample_document(code)
    document = replace(document, municipality=Municipality("Gemeente Wegwijs-aan-Zee", _logo(tmp_path)))
    result = render_pip(document, code, tmp_path / f"{code}.pdf")
    with pikepdf.open(result.path) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "nl-NL"
        elements = _struct_elements(pdf)
        roles = [str(e.S) for e in elements]
        assert roles.count("/Sect") >= 10 and "/H1" in roles and "/H2" in roles and "/P" in roles
        langs = {str(e.Lang) for e in elements if "/Lang" in e}
        assert code.replace("_", "-") in langs
        # Reading order: in each part the Dutch heading comes before the translated Div.
        for sect in (e for e in elements if e.S == "/Sect"):
            kids = list(sect.K)
            assert (
                kids[0].S == "/H2" and kids[-1].S == "/Div" and str(kids[-1].Lang) == code.replace("_", "-")
            )
        figures = [e for e in elements if e.S == "/Figure"]
        assert len(figures) == 1 and "Wegwijs-aan-Zee" in str(figures[0].Alt)
        # Every page: StructParents into the ParentTree, watermark and header as artifacts.
        for page in pdf.pages:
            assert "/StructParents" in page.obj
            content = page.obj.Contents.read_bytes() if isinstance(page.obj.Contents, pikepdf.Stream) else b""
            content = content or b"".join(c.read_bytes() for c in page.obj.Contents)
            watermark = content.index(b" 110 Tf")
            assert content.rfind(b"/Artifact", 0, watermark) > content.rfind(b"EMC", 0, watermark)
        # PDF/A-2b: XMP identification, sRGB output intent, every font embedded.
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"].startswith("Persoonlijk Plan")
        [intent] = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
        assert b"sRGB" in intent.DestOutputProfile.read_bytes()[:200] or intent.OutputConditionIdentifier
        for page in pdf.pages:
            for _, font in page.obj.Resources.Font.items():
                assert "/FontFile2" in font.FontDescriptor, str(font.BaseFont)


def test_pdfua_checker_finds_nothing(tmp_path: Path) -> None:
    paths = [
        str(render_pip(sample_document(code), code, tmp_path / f"{code}.pdf").path) for code in ("ar", "ti")
    ]
    checker = Path(sys.executable).with_name("pdfua")
    run = subprocess.run([str(checker), "check", *paths], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "PASS" in run.stdout
    assert "[skip" not in run.stdout  # every implemented rule ran


def _spans(pdf: Path) -> list[list[tuple[pymupdf.Rect, str]]]:
    pages = []
    with pymupdf.open(pdf) as doc:
        for page in doc:
            spans = []
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        if span["text"].strip() and span["size"] < 50:  # the watermark lies under all
                            spans.append((pymupdf.Rect(span["bbox"]), span["text"]))
            pages.append(spans)
    return pages


@pytest.mark.parametrize("code", ["ar", "fa", "fa_AF", "ti", "tr", "ku"])
def test_nothing_overlaps_with_names_of_200_characters(code: str, tmp_path: Path) -> None:
    unit = NAMES[code] + " "
    long_name = (unit * (200 // len(unit) + 1))[:200].strip()
    document = _document(code, long_name)
    document = replace(
        document, client=replace(document.client, given_names=("Alaa Bilal Salama " * 12)[:180].strip())
    )
    result = render_pip(document, code, tmp_path / "long.pdf")
    for number, spans in enumerate(_spans(result.path), start=1):
        for i, (a, text_a) in enumerate(spans):
            for b, text_b in spans[i + 1 :]:
                overlap = a & b
                # MuPDF's span boxes reach the font's ascent and descent, which for Noto Naskh
                # exceed the line spacing: boxes of neighbouring lines may touch by up to 3 pt.
                assert overlap.is_empty or overlap.height < 3 or overlap.width < 3, (
                    f"page {number}: {text_a!r} overlaps {text_b!r}"
                )


def test_items_line_up_and_continued_parts_repeat_their_heading(tmp_path: Path) -> None:
    document = sample_document("ar")
    texts = [
        f"Afspraak {n}: " + "Een lange afspraak die over meerdere regels loopt. " * 6 for n in (1, 2, 3, 4)
    ]
    agreements = tuple(Agreement(FreeText(text), "klantmanager") for text in texts)
    document = replace(document, agreements=agreements * 2)
    result = render_pip(document, "ar", tmp_path / "items.pdf")
    pages = _spans(result.path)
    middle = 297.6  # half of A4's width in points
    for marker in ("Afspraak 2:", "Afspraak 4:"):
        found = [
            (number, rect)
            for number, spans in enumerate(pages)
            for rect, text in spans
            if text.startswith(marker)
        ]
        left = [(n, r) for n, r in found if r.x0 < middle]
        right = [(n, r) for n, r in found if r.x0 >= middle]
        assert left and right
        assert left[0][0] == right[0][0], f"{marker}: Dutch and translation on different pages"
        assert abs(left[0][1].y0 - right[0][1].y0) < 2.5, f"{marker} starts at different heights"
    text = readers(result.path)["poppler"]
    assert "Afspraken (vervolg)" in text
    # The known role is translated on the Arabic side.
    assert "مدير الملف" in text


@pytest.mark.parametrize("words", [19, 33, 89])
def test_an_agreements_status_line_never_stands_alone_at_the_top_of_a_page(
    words: int, tmp_path: Path
) -> None:
    """Lengths that used to leave "4. Wie: … Status: …" alone under "Afspraken (vervolg)", and a
    "(vervolg)" heading halfway down the page the part started on (ReportLab split the table
    between rows first, then the rest again on the same page)."""
    text = " ".join(["afspraak"] * words)
    agreements = tuple(Agreement(FreeText(f"{n}: {text}"), "klantmanager") for n in range(1, 9))
    document = replace(sample_document("ar"), agreements=agreements)
    result = render_pip(document, "ar", tmp_path / "status.pdf")
    middle = 297.6
    with pymupdf.open(result.path) as doc:
        for number, page in enumerate(doc, start=1):
            lines = sorted(
                (line["bbox"][1], "".join(span["text"] for span in line["spans"]).strip())
                for block in page.get_text("dict")["blocks"]
                for line in block.get("lines", [])
                if line["bbox"][0] < middle and line["bbox"][1] > 90
            )
            body = [text for _, text in lines if text and "Pagina" not in text]
            # A part goes on at the top of the next page, never lower down on the same page.
            assert not any(text.startswith("Afspraken (vervolg)") for text in body[1:]), f"page {number}"
            if body and body[0].startswith("Afspraken (vervolg)"):
                assert "Wie:" not in body[1], f"page {number}: {body[1]!r} alone at the top"
