"""The "pip" catalogs: every standard text of the document translated in every language."""

from __future__ import annotations

import json

import pytest
from babel.messages.pofile import read_po

from app.cli import main
from app.i18n.catalog_check import PIP_DOMAIN, check_catalog, check_catalogs
from app.i18n.languages import language_codes
from app.pdf import texts as T
from app.resources import translations_dir

TARGET_LANGUAGES = [code for code in language_codes() if code != "nl"]


def _key(message: T.Msg) -> tuple[str | None, str | tuple[str, str]]:
    if isinstance(message, T.Plural):
        return (None, (message.singular, message.plural))
    return message if isinstance(message, tuple) else (None, message)


def test_the_eight_languages_are_there() -> None:
    assert sorted(language_codes()) == sorted(["nl", "en", "ar", "ti", "fa", "fa_AF", "tr", "ku"])


def test_the_template_holds_every_text_the_document_uses() -> None:
    with (translations_dir() / "pip.pot").open("rb") as handle:
        template = read_po(handle)
    in_template = {(m.context, m.id) for m in template if m.id}
    not_extracted = [m for m in T.ALL_TEXTS if _key(m) not in in_template]
    assert not not_extracted, f"run pybabel extract (docs/pdf.md): {not_extracted}"


@pytest.mark.parametrize("code", TARGET_LANGUAGES)
def test_every_text_of_the_document_has_a_translation(code: str) -> None:
    with (translations_dir() / code / "LC_MESSAGES" / "pip.po").open("rb") as handle:
        catalog = read_po(handle)
    untranslated = []
    for message in T.ALL_TEXTS:
        context, msgid = _key(message)
        entry = catalog.get(msgid, context=context)
        forms = (
            [entry.string]
            if entry is not None and isinstance(entry.string, str)
            else list(entry.string or ())
            if entry
            else []
        )
        if not forms or not all(form.strip() for form in forms):
            untranslated.append(message)
    assert not untranslated, f"{code}: no translation for {untranslated}"


@pytest.mark.parametrize("code", TARGET_LANGUAGES)
def test_catalog_check_counts_translated_missing_and_unreviewed(code: str) -> None:
    status = check_catalog(PIP_DOMAIN, code)
    assert status.catalog_exists
    assert status.total == len(T.ALL_TEXTS)
    assert status.missing == []
    assert status.placeholder_errors == []
    assert status.translated == status.total
    # No interpreter has reviewed the first translations yet: all are marked fuzzy.
    assert len(status.not_reviewed) == status.total
    assert status.reviewed == 0


def test_placeholders_survive_translation() -> None:
    for code in TARGET_LANGUAGES:
        texts = T.DocumentTexts(code)
        out = texts(T.PAGE_OF, page=3, pages=7)
        assert "3" in out and "7" in out, (code, out)
        for n in (1, 2, 3, 11, 100):
            assert str(n) in texts(T.INTERVAL_MONTHS, n, months=n), (code, n)


def test_plural_forms_follow_the_number() -> None:
    english = T.DocumentTexts("en")
    assert english(T.HOURS, 1, hours=1) == "1 hour"
    assert english(T.HOURS, 64, hours=64) == "64 hours"
    assert T.DocumentTexts("nl")(T.WITHIN_MONTHS, 1, months=1) == "Te bereiken binnen 1 maand."
    assert T.DocumentTexts("ar")(T.HOURS, 5, hours=5) == "5 ساعات"


def test_catalog_check_reports_a_missing_translation(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "translations" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (tmp_path / "translations" / "pip.pot").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Leerroute"\nmsgstr ""\n\n#, python-brace-format\nmsgid "Pagina {page} van {pages}"\nmsgstr ""\n',
        encoding="utf-8",
    )
    (folder / "pip.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        '#, python-brace-format\nmsgid "Pagina {page} van {pages}"\nmsgstr "Page {page} of {total}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("WEGWIJS_RESOURCES", str(tmp_path))
    status = check_catalog(PIP_DOMAIN, "en")
    assert status.missing == ["Leerroute"]
    assert status.placeholder_errors == ["Pagina {page} van {pages}"]
    assert status.not_reviewed == []


def test_cli_catalog_check_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "check", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    pip = [c for c in document["catalogs"] if c["domain"] == "pip"]
    assert sorted(c["language"] for c in pip) == sorted(TARGET_LANGUAGES)
    assert all(c["missing_count"] == 0 and c["not_reviewed_count"] == c["total"] for c in pip)
    assert any(c["domain"] == "wegwijs" for c in document["catalogs"])


def test_cli_catalog_check_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "check"]) == 0
    out = capsys.readouterr().out
    assert "Tigrinya" in out and "niet gecontroleerd" in out
    assert len(check_catalogs().statuses) >= len(TARGET_LANGUAGES)
