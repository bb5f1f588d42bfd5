"""Real PIP PDFs in all eight languages, read back with poppler and pypdf, and page 1 as PNG."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from babel.dates import format_date, format_skeleton
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from app.i18n.languages import get_language, language_codes
from app.pdf.document import FreeText, PipState
from app.pdf.fonts import register_fonts
from app.pdf.render import render_languages, render_pip
from app.pdf.sample import sample_document
from app.pdf.texts import TRANSLATION_FOLLOWS, UNTRANSLATED, WHO, DocumentTexts

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")


def extract(pdf: Path) -> str:
    """The text as poppler reads it, with Arabic presentation forms folded back to letters."""
    raw = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout
    return _BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", raw.decode("utf-8")))


def words_present(text: str, phrase: str) -> bool:
    folded = unicodedata.normalize("NFKC", phrase)
    return all(word in text for word in folded.split())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, artifacts_dir: Path) -> dict[str, tuple[Path, object]]:
    register_fonts()
    out = tmp_path_factory.mktemp("pip")
    results = {}
    for code in language_codes():
        result = render_pip(sample_document(code), code, out)
        results[code] = (result.path, result)
        png = artifacts_dir / f"pip_{code}_page1"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(result.path), str(png)],
            check=True,
        )
    return results


@pytest.mark.parametrize("code", ["nl", "en", "ar", "ti", "fa", "fa_AF", "tr", "ku"])
def test_names_v_nummer_route_and_dates_are_in_the_pdf(code: str, rendered: dict) -> None:
    path, result = rendered[code]
    document = sample_document(code)
    text = extract(path)
    client = document.client
    assert client.latin_name in text
    if client.original_name:
        assert words_present(text, client.original_name), client.original_name
    assert "1234567890" in text
    assert "B1" in text
    assert "maart 1994" in text  # the partly known birth date, Dutch side
    assert "4 mei 2029" in text  # the period end, Dutch side
    assert f"Pagina 1 van {result.pages}" in text
    if code != "nl":
        locale = get_language(code).babel_locale
        assert words_present(text, format_skeleton("yMMMM", dt.date(1994, 3, 1), locale=locale))
        assert words_present(text, format_date(dt.date(2029, 5, 4), "long", locale=locale))
        if get_language(code).script != "Arab":  # Arabic ligatures do not always extract letter by letter
            assert DocumentTexts(code)("Leerroute") in text
    assert (Path(__file__).parents[2] / "artifacts" / f"pip_{code}_page1.png").stat().st_size > 10_000


@pytest.mark.parametrize("code", ["nl", "en", "ar", "ti", "fa", "fa_AF", "tr", "ku"])
def test_every_character_drawn_is_covered_by_its_font(code: str, rendered: dict) -> None:
    path, result = rendered[code]
    assert result.glyphs.missing == set()
    files = {face.name: face.path for face in register_fonts().all_faces()}
    for name, chars in result.glyphs.used.items():
        cmap = TTFont(files[name], lazy=True).getBestCmap()
        uncovered = sorted(ch for ch in chars if ord(ch) not in cmap and not ch.isspace())
        assert not uncovered, (name, uncovered)
    # Only the bundled fonts are embedded and drawn with; ReportLab's unused Helvetica entry aside.
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    for row in rows:
        if row[0] != "Helvetica":
            assert "Noto" in row[0] and row[-5] == "yes", row
    reader = PdfReader(path)
    for page in reader.pages:
        helvetica = [
            key for key, font in page["/Resources"]["/Font"].items() if font["/BaseFont"] == "/Helvetica"
        ]
        content = page.get_contents().get_data().decode("latin-1")
        assert not any(f"{key} " in content for key in helvetica)


def test_metadata_title_author_language(rendered: dict) -> None:
    path, _ = rendered["ar"]
    reader = PdfReader(path)
    assert "Amal Haddad" in reader.metadata.title
    assert reader.metadata.author == "Gemeente Wegwijs-aan-Zee"
    assert reader.trailer["/Root"]["/Lang"] == "nl-NL"
    assert "Arabisch" in reader.metadata.subject


def test_concept_mark_until_adopted(tmp_path: Path) -> None:
    concept = render_pip(sample_document("en"), "en", tmp_path / "concept.pdf")
    adopted = render_pip(sample_document("en", state=PipState.VASTGESTELD), "en", tmp_path / "adopted.pdf")
    assert "CONCEPT" in extract(concept.path)
    assert "Draft: this plan has not been adopted yet." in extract(concept.path)
    text = extract(adopted.path)
    assert "CONCEPT" not in text and "Draft:" not in text
    assert "Vastgesteld op 4 mei 2026" in text and "Adopted on 4 May 2026" in text


def test_rendering_leaves_the_cycle_collector_on(tmp_path: Path) -> None:
    import gc

    render_pip(sample_document("ar"), "ar", tmp_path / "ar.pdf")
    assert gc.isenabled()  # paused while laying out only (app/collector.py)


def test_user_markup_prints_literally(tmp_path: Path) -> None:
    name = '<font color="red">A&B</font>'
    document = sample_document("ar", family_name=name)
    document = replace(document, remarks=FreeText("<b>vet?</b> &amp; <para>"))
    result = render_pip(document, "ar", tmp_path / "escape.pdf")
    text = extract(result.path)
    assert f"Amal {name}" in text
    assert "<b>vet?</b> &amp; <para>" in text


def test_missing_translation_is_shown_and_returned(tmp_path: Path) -> None:
    document = sample_document("en")
    result = render_pip(document, "en", tmp_path / "gaps.pdf")
    text = extract(result.path)
    note = DocumentTexts("en")(TRANSLATION_FOLLOWS)
    gap_texts = [gap.dutch for gap in result.gaps]
    assert "Acht weken meelopen bij een zorginstelling." in gap_texts
    # Free texts get the note; a "Wie" that is no known role is marked untranslated instead.
    who = DocumentTexts("nl")(WHO)
    assert text.count(note) == len([gap for gap in result.gaps if gap.label != who])
    untranslated = DocumentTexts("en")(UNTRANSLATED)
    assert text.count(untranslated) == len([gap for gap in result.gaps if gap.label == who]) > 0
    # The reviewed translation is printed instead of a note.
    assert "Level B1 in all parts of the exam, and KNM." in text
    assert "Taalniveau B1 op alle examenonderdelen, en KNM." not in gap_texts
    dutch_only = render_pip(document, "nl", tmp_path / "nl.pdf")
    assert dutch_only.gaps == []


def test_render_languages_reports_progress_and_can_be_cancelled(tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    results = render_languages(
        sample_document("ti"),
        ["ti", "ar", "tr"],
        tmp_path,
        progress=lambda i, n, c: seen.append((i, n, c)),
        cancelled=lambda: len(seen) >= 2,
    )
    assert [r.language for r in results] == ["ti", "ar"]
    assert seen == [(1, 3, "ti"), (2, 3, "ar")]
    assert all(r.path.exists() and r.path.parent == tmp_path for r in results)


@pytest.mark.parametrize("code", ["ar", "ti"])
def test_a_free_text_longer_than_a_page_flows_on(tmp_path: Path, code: str) -> None:
    long_text = " ".join(f"Zin {n} van een heel lange toelichting op de afspraken." for n in range(400))
    document = replace(sample_document(code), remarks=FreeText(long_text, long_text, reviewed=True))
    result = render_pip(document, code, tmp_path / "long.pdf")
    assert result.pages >= 8
    text = extract(result.path)
    assert "Zin 399 van een heel lange" in text


def test_prepare_loads_everything_for_the_first_print(tmp_path: Path) -> None:
    from app.pdf.render import prepare

    prepare(["ar", "ti"])
    result = render_pip(sample_document("ti"), "ti", tmp_path)
    assert result.path.name == "PIP_1234567890_v2_ti.pdf"


def test_a_withdrawn_pip_is_marked_withdrawn_not_concept(tmp_path: Path) -> None:
    result = render_pip(sample_document("tr", state=PipState.INGETROKKEN), "tr", tmp_path / "withdrawn.pdf")
    text = extract(result.path)
    assert "INGETROKKEN" in text and "CONCEPT" not in text
    assert "Ingetrokken: dit plan geldt niet meer." in text
    assert "Geri çekildi: bu plan artık geçerli değil." in text


def test_document_languages_for_the_command_line_and_the_gui() -> None:
    from app.pdf.render import DocumentLanguageError, document_languages

    assert document_languages("all") == ["nl", "en", "ar", "ti", "fa", "fa_AF", "tr", "ku"]
    assert document_languages("fa_AF") == ["fa_AF"]
    assert document_languages("client", "ti") == ["ti"]
    assert document_languages("client", None) == ["nl"]
    with pytest.raises(DocumentLanguageError, match="onbekend"):
        document_languages("xx")


def test_municipality_logo_is_drawn(tmp_path: Path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (64, 64), (31, 78, 121)).save(logo)
    document = sample_document("en")
    document = replace(document, municipality=replace(document.municipality, logo_path=logo))
    result = render_pip(document, "en", tmp_path / "logo.pdf")
    page = PdfReader(result.path).pages[0]
    images = [x for x in page["/Resources"]["/XObject"].values() if x.get_object()["/Subtype"] == "/Image"]
    assert images


@pytest.mark.parametrize("code", ["nl", "fa"])
def test_symbols_a_klantmanager_types_are_drawn_by_a_bundled_font(tmp_path: Path, code: str) -> None:
    symbols = "Doel → werk ≥ 20 uur ✓ ✔️ ≤ € 25 × 2"
    document = replace(sample_document(code), remarks=FreeText(symbols, symbols, reviewed=True))
    result = render_pip(document, code, tmp_path / "symbols.pdf")
    assert result.glyphs.missing == set()
    files = {face.name: face.path for face in register_fonts().all_faces()}
    drawn = set().union(*result.glyphs.used.values())
    assert set("→≥✓✔≤€×") <= drawn
    for name, chars in result.glyphs.used.items():
        cmap = TTFont(files[name], lazy=True).getBestCmap()
        uncovered = sorted(ch for ch in chars if ord(ch) not in cmap and not ch.isspace())
        assert not uncovered, (name, uncovered)
    text = extract(result.path)
    assert all(ch in text for ch in "→≥✓✔≤€")
