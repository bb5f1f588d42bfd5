"""The COA hand-over list on a real encrypted store: every good row in, every bad row explained.

One template profile (Argon2id vault, SQLCipher store) is made per module and copied per test.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zlib
from collections.abc import Iterator
from pathlib import Path

import keyring.core
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.domain.enums import Role
from app.models.client import Client, Household
from app.models.journal import AuditEntry, ChangeJournalEntry
from app.models.store import Store
from app.services.coa_import import (
    MAX_NAME_LENGTH,
    CoaFileError,
    ImportReport,
    RowOutcome,
    import_coa_data,
    import_coa_file,
)
from app.services.profile import init_profile, open_profile

TODAY = dt.date(2026, 11, 20)
PASSPHRASE = "correct horse battery staple"
MUNICIPALITY = "Testdorp"
KLANTMANAGER = "km.test"
COLUMNS = [
    "v_nummer",
    "achternaam",
    "voornamen",
    "naam_origineel",
    "geboortedatum",
    "nationaliteit",
    "taal",
    "bsn",
    "huishouden",
    "coa_locatie",
    "koppeldatum",
    "huisvestingsdatum",
    "doelgroep",
]
COUNTED_TABLES = ("client", "client_case", "household", "change_journal", "audit_log")


def give_passphrase(_new: bool) -> str:
    return PASSPHRASE


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("coa") / "profiel"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
        keyring.core.init_backend()
        try:
            profile = init_profile(folder, Role.KLANTMANAGER, MUNICIPALITY, KLANTMANAGER, give_passphrase)
            assert profile.settings.secret_backend == "vault"
            profile.close()
        finally:
            patch.undo()
            keyring.core.init_backend()
    return folder


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Iterator[Store]:
    folder = tmp_path / "profiel"
    shutil.copytree(template, folder)
    profile = open_profile(folder, give_passphrase)
    yield profile.store()
    profile.close()


_serial = iter(range(10**6))


def row(**values: str) -> dict[str, str]:
    """A good row with a fresh V-nummer; keyword arguments change or add columns."""
    number = next(_serial)
    good = {
        "v_nummer": f"{7000000000 + number:010d}",
        "achternaam": "Haddad",
        "voornamen": "Rania",
        "naam_origineel": "رانيا حداد",
        "geboortedatum": "1990-05-12",
        "nationaliteit": "SYR",
        "taal": "ar",
        "bsn": "",
        "huishouden": "",
        "coa_locatie": "AZC Utrecht",
        "koppeldatum": "2026-01-15",
        "huisvestingsdatum": "",
        "doelgroep": "asiel",
    }
    good.update(values)
    return good


def csv_bytes(rows: list[dict[str, str]], separator: str = ";", columns: list[str] | None = None) -> bytes:
    columns = columns or COLUMNS
    lines = [separator.join(columns)]
    for values in rows:
        cells = []
        for column in columns:
            cell = values.get(column, "")
            if separator in cell or '"' in cell:
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        lines.append(separator.join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def run_import(store: Store, data: bytes) -> ImportReport:
    with store.session(actor=KLANTMANAGER, role="klantmanager") as session:
        return import_coa_data(session, data, MUNICIPALITY, KLANTMANAGER, today=TODAY)


def counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as connection:
        return {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in COUNTED_TABLES}


def by_line(report: ImportReport) -> dict[int, RowOutcome]:
    lines = [outcome.line for outcome in report.outcomes]
    assert len(lines) == len(set(lines)), f"a line is reported twice: {lines}"
    return {outcome.line: outcome for outcome in report.outcomes}


def client(session: Session, v_nummer: str) -> Client:
    found = session.scalars(select(Client).where(Client.v_nummer == v_nummer)).one_or_none()
    assert found is not None, v_nummer
    return found


def v_nummers(store: Store) -> set[str]:
    with store.session() as session:
        return set(session.scalars(select(Client.v_nummer)))


# -- reading the file ------------------------------------------------------------------------------
@pytest.mark.parametrize("separator", [";", ","])
def test_separator_is_detected(store: Store, separator: str) -> None:
    rows = [
        row(coa_locatie="AZC Ter Apel, unit 3; gebouw B"),  # quoted: holds both separators
        row(
            achternaam="Tesfay", voornamen="Mehari", naam_origineel="መሓሪ ተስፋይ", taal="ti", nationaliteit="ERI"
        ),
    ]
    report = run_import(store, csv_bytes(rows, separator))
    assert [(o.line, o.result) for o in report.outcomes] == [(2, "toegevoegd"), (3, "toegevoegd")]
    with store.session() as session:
        first = client(session, rows[0]["v_nummer"])
        assert (first.family_name, first.given_names, first.name_original) == (
            "Haddad",
            "Rania",
            "رانيا حداد",
        )
        assert first.birth_date == "1990-05-12"
        assert first.nationality == "SYR" and first.languages == ["ar"] and first.document_language == "ar"
        assert first.case is not None
        assert first.case.coa_location == "AZC Ter Apel, unit 3; gebouw B"
        assert first.case.koppeldatum == dt.date(2026, 1, 15)
        assert first.case.municipality == MUNICIPALITY and first.case.klantmanager == KLANTMANAGER
        assert client(session, rows[1]["v_nummer"]).name_original == "መሓሪ ተስፋይ"


def test_same_list_with_the_other_separator_changes_nothing(store: Store) -> None:
    rows = [row(), row(huishouden="HH-1"), row(huishouden="HH-1", geboortedatum="1985")]
    assert run_import(store, csv_bytes(rows, ";")).count("toegevoegd") == 3
    again = run_import(store, csv_bytes(rows, ","))
    assert [o.result for o in again.outcomes] == ["ongewijzigd"] * 3


@pytest.mark.parametrize("separator", [";", ","])
def test_byte_order_mark(store: Store, separator: str) -> None:
    good = row()
    report = run_import(store, b"\xef\xbb\xbf" + csv_bytes([good], separator))
    assert [(o.line, o.result) for o in report.outcomes] == [(2, "toegevoegd")]
    assert v_nummers(store) == {good["v_nummer"]}


def test_windows_line_ends_and_blank_lines_keep_line_numbers(store: Store) -> None:
    good, bad = row(), row(bsn="123456789")
    data = csv_bytes([good, bad]).replace(b"\n", b"\r\n")
    lines = data.split(b"\r\n")
    data = b"\r\n".join([lines[0], lines[1], b"", b";;;", lines[2], b""])
    report = run_import(store, data)
    assert [(o.line, o.result) for o in report.outcomes] == [(2, "toegevoegd"), (5, "geweigerd")]


def test_wrong_separator_names_the_missing_columns_and_imports_nothing(store: Store) -> None:
    before = counts(store)
    with pytest.raises(CoaFileError) as refused:
        run_import(store, csv_bytes([row(), row()], "\t"))
    message = str(refused.value)
    for column in ("v_nummer", "achternaam", "voornamen", "geboortedatum"):
        assert column in message
    assert "niets ingelezen" in message
    assert not re.search(r"[.!?] [A-Z]", message), "one sentence"
    assert counts(store) == before


def test_missing_required_column_imports_nothing(store: Store) -> None:
    before = counts(store)
    columns = [c for c in COLUMNS if c != "geboortedatum"]
    with pytest.raises(CoaFileError) as refused:
        run_import(store, csv_bytes([row(), row()], columns=columns))
    message = str(refused.value)
    assert "geboortedatum" in message
    assert "v_nummer" not in message and "achternaam" not in message
    assert counts(store) == before


def test_unknown_columns_are_ignored_and_header_case_is_free(store: Store) -> None:
    good = row()
    columns = ["V_Nummer", " Achternaam ", "VOORNAMEN", "geboortedatum", "opmerking"]
    data = csv_bytes(
        [{"V_Nummer": good["v_nummer"], " Achternaam ": "Haddad", "VOORNAMEN": "Rania", "geboortedatum": "1990",
          "opmerking": "<b>niet importeren</b>"}],
        columns=columns,
    )  # fmt: skip
    report = run_import(store, data)
    assert [o.result for o in report.outcomes] == ["toegevoegd"]


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (
            b"v_nummer;achternaam;voornamen;geboortedatum\n7100000001;Haddad;Rania;1990\n7100000002;M\xfcller;Jan;1980\n",
            3,
        ),
        (b"v_nummer;achternaam;voornamen;geboortedatum\xff\n", 1),
        (b"v_nummer;achternaam;voornamen;geboortedatum\n\n\n7100000003;Haddad;Rania;1990\xe2\x82\n", 4),
    ],
    ids=["latin-1 in row 3", "header", "cut-off sequence on line 4"],
)
def test_invalid_utf8_is_one_clear_error_with_the_line(store: Store, data: bytes, line: int) -> None:
    before = counts(store)
    with pytest.raises(CoaFileError, match=rf"geen UTF-8-tekst \(regel {line}\)"):
        run_import(store, data)
    assert counts(store) == before


def test_empty_file_and_header_only(store: Store) -> None:
    with pytest.raises(CoaFileError, match="leeg"):
        run_import(store, b"")
    with pytest.raises(CoaFileError, match="leeg"):
        run_import(store, b"\xef\xbb\xbf \n")
    report = run_import(store, csv_bytes([]))
    assert report.outcomes == []
    assert counts(store)["client"] == 0


def test_missing_file(store: Store, tmp_path: Path) -> None:
    with store.session() as session, pytest.raises(CoaFileError, match="bestaat niet"):
        import_coa_file(session, tmp_path / "bestaat-niet.csv", MUNICIPALITY, KLANTMANAGER)


# -- the rows -------------------------------------------------------------------------------------
LONG = "A" * 500
GOOD_ROWS = {
    "plain": row(),
    "year only": row(geboortedatum="1990"),
    "year and month": row(geboortedatum="1985-03"),
    "born this year": row(geboortedatum="2026"),
    "oldest allowed": row(geboortedatum="1900-01-01"),
    "bsn with spaces": row(bsn="1112 22 333"),
    "valid bsn": row(bsn="123456782"),
    "ZWNJ in original": row(achternaam="Rahimizadeh", naam_origineel="فرید رحیمی\u200cزاده", taal="fa"),
    "ZWJ in original": row(naam_origineel="رانيا\u200dحداد"),
    "RLM in original": row(naam_origineel="\u200fرانيا حداد"),
    "Latin diacritics": row(achternaam="Müller-Ağaoğlu", voornamen="Nguyễn Thị"),
    "apostrophe": row(achternaam="O'Neill", voornamen="Ana-María"),
    "200 characters": row(achternaam="B" * MAX_NAME_LENGTH),
    "gezinsmigrant": row(doelgroep="gezinsmigrant", taal="ku"),
    "spaced v_nummer": row(v_nummer="71 0000 0042"),
    "lower-case country": row(nationaliteit="afg"),
    "housed": row(huisvestingsdatum="2026-06-01"),
    "other ISO language": row(taal="so"),
}
BAD_ROWS = {
    "short v_nummer": (row(v_nummer="12345"), "V-nummer '12345' is geen 10 cijfers"),
    "long v_nummer": (row(v_nummer="12345678901"), "geen 10 cijfers"),
    "letter in v_nummer": (row(v_nummer="V123456789"), "geen 10 cijfers"),
    "Arabic-Indic v_nummer": (row(v_nummer="١٢٣٤٥٦٧٨٩٠"), "geen 10 cijfers"),
    "no v_nummer": (row(v_nummer=""), "V-nummer ontbreekt"),
    "bsn elfproef": (row(bsn="123456789"), "BSN '123456789' voldoet niet aan de elfproef"),
    "bsn zeros": (row(bsn="000000000"), "elfproef"),
    "bsn eight digits": (row(bsn="12345678"), "elfproef"),
    "30 February": (row(geboortedatum="2023-02-30"), "geboortedatum: Dag 30 bestaat niet"),
    "month 13": (row(geboortedatum="1990-13"), "geboortedatum: Maand 13"),
    "Dutch date order": (row(geboortedatum="12-05-1990"), "geboortedatum"),
    "no birth date": (row(geboortedatum=""), "geboortedatum ontbreekt"),
    "born in the future": (row(geboortedatum="2027-01-01"), "toekomst"),
    "born next month": (row(geboortedatum="2026-12"), "toekomst"),
    "born before 1900": (row(geboortedatum="1899-12-31"), "voor 1900"),
    "impossible koppeldatum": (row(koppeldatum="2023-02-30"), "koppeldatum"),
    "partial huisvestingsdatum": (row(huisvestingsdatum="2026-05"), "huisvestingsdatum"),
    "less-than": (row(achternaam="<script>"), "'<'"),
    "ampersand": (row(achternaam="Haddad & Zonen"), "'&'"),
    "angle in original": (row(naam_origineel="رانيا <b>"), "'<'"),
    "RLM in Latin": (row(voornamen="Rania\u200f"), "U+200F"),
    "ZWJ in Latin": (row(achternaam="Had\u200ddad"), "U+200D"),
    "ZWNJ in Latin": (row(achternaam="Had\u200cdad"), "U+200C"),
    "emoji in Latin": (row(achternaam="Haddad😀"), "U+1F600"),
    "emoji in original": (row(naam_origineel="رانيا 👍"), "U+1F44D"),
    "emoji family (ZWJ)": (row(naam_origineel="👨\u200d👩\u200d👧"), "naam_origineel"),
    "Arabic in Latin": (row(achternaam="حداد"), "Latijns schrift"),
    "500 Latin": (row(achternaam=LONG), "te lang (500 tekens; maximaal 200)"),
    "500 original": (row(naam_origineel="ر" * 500), "naam_origineel is te lang (500 tekens"),
    "500 given names": (row(voornamen="Rania " * 83 + "Am"), "voornamen is te lang (500 tekens"),
    "no family name": (row(achternaam=""), "achternaam ontbreekt"),
    "country name": (row(nationaliteit="Syrië"), "nationaliteit"),
    "language name": (row(taal="Arabisch"), "taal"),
    "target group": (row(doelgroep="vluchteling"), "doelgroep"),
    "control character": (row(coa_locatie="AZC\u0007Assen"), "stuurtekens"),
}


def test_every_good_row_in_every_bad_row_explained(store: Store) -> None:
    cases: list[tuple[str, dict[str, str], str | None]] = [(n, r, None) for n, r in GOOD_ROWS.items()]
    cases += [(n, r, reason) for n, (r, reason) in BAD_ROWS.items()]
    # Interleave, so a refused row between good ones is seen not to disturb its neighbours.
    cases.sort(key=lambda case: zlib.crc32(case[0].encode()))
    report = run_import(store, csv_bytes([r for _, r, _ in cases]))
    outcomes = by_line(report)
    assert sorted(outcomes) == list(range(2, len(cases) + 2)), "every row must be reported"
    for line, (name, values, reason) in enumerate(cases, start=2):
        outcome = outcomes[line]
        if reason is None:
            assert outcome.result == "toegevoegd", (name, outcome)
            assert outcome.reason == ""
        else:
            assert outcome.result == "geweigerd", (name, outcome)
            assert reason in outcome.reason, (name, outcome.reason)
            assert outcome.v_nummer == values["v_nummer"].strip()
    assert report.count("toegevoegd") == len(GOOD_ROWS)
    assert report.count("geweigerd") == len(BAD_ROWS)
    assert (
        report.summary()
        == f"{len(GOOD_ROWS)} toegevoegd, 0 bijgewerkt, 0 ongewijzigd, {len(BAD_ROWS)} geweigerd."
    )

    # Nothing of a refused row is stored; every good row is, with a case each.
    assert counts(store)["client"] == len(GOOD_ROWS)
    assert counts(store)["client_case"] == len(GOOD_ROWS)
    stored = v_nummers(store)
    assert stored == {"".join(r["v_nummer"].split()) for r in GOOD_ROWS.values()}
    with store.session() as session:
        assert client(session, GOOD_ROWS["year only"]["v_nummer"]).birth_date == "1990"
        assert client(session, GOOD_ROWS["year and month"]["v_nummer"]).birth_date == "1985-03"
        assert client(session, GOOD_ROWS["bsn with spaces"]["v_nummer"]).bsn == "111222333"
        assert client(session, "7100000042").family_name == "Haddad"
        assert client(session, GOOD_ROWS["lower-case country"]["v_nummer"]).nationality == "AFG"
        for name in ("ZWNJ in original", "ZWJ in original", "RLM in original"):
            values = GOOD_ROWS[name]
            assert client(session, values["v_nummer"]).name_original == values["naam_origineel"], name
        assert client(session, GOOD_ROWS["200 characters"]["v_nummer"]).family_name == "B" * MAX_NAME_LENGTH
        assert client(session, GOOD_ROWS["gezinsmigrant"]["v_nummer"]).target_group == "gezinsmigrant"
        other = client(session, GOOD_ROWS["other ISO language"]["v_nummer"])
        assert other.languages == ["so"] and other.document_language is None


def test_row_with_more_fields_than_the_header(store: Store) -> None:
    good = row()
    data = csv_bytes([good]) + b"7200000001;Haddad;Rania;;1990;;;;;;;;asiel;extra\n"
    report = run_import(store, data)
    outcomes = by_line(report)
    assert outcomes[2].result == "toegevoegd"
    assert outcomes[3].result == "geweigerd" and "meer velden" in outcomes[3].reason
    assert v_nummers(store) == {good["v_nummer"]}


def test_duplicate_v_nummers_in_one_file_are_all_refused(store: Store) -> None:
    twin = row(v_nummer="7300000001")
    rows = [
        twin,
        row(v_nummer="73 0000 0001", voornamen="Amal"),  # the same number, typed with spaces
        row(),
        row(v_nummer="7300000001", achternaam="Tesfay"),
        row(v_nummer="7300000002"),
        row(v_nummer="7300000002"),
    ]
    report = run_import(store, csv_bytes(rows))
    outcomes = by_line(report)
    assert outcomes[4].result == "toegevoegd"
    expected_others = {2: "3, 5", 3: "2, 5", 5: "2, 3", 6: "7", 7: "6"}
    for line, others in expected_others.items():
        assert outcomes[line].result == "geweigerd", outcomes[line]
        assert f"V-nummer komt ook voor op regel {others};" in outcomes[line].reason
    assert v_nummers(store) == {rows[2]["v_nummer"]}
    assert counts(store)["client_case"] == 1


# -- nothing half-written -------------------------------------------------------------------------
def test_row_refused_by_the_database_leaves_nothing_behind(store: Store) -> None:
    owner = row(bsn="111222333", huishouden="HH-bestaand")
    run_import(store, csv_bytes([owner]))
    before = counts(store)

    thief = row(bsn="111 222 333", huishouden="HH-nieuw", huisvestingsdatum="2026-06-01")
    report = run_import(store, csv_bytes([thief]))
    assert [o.result for o in report.outcomes] == ["geweigerd"]
    assert "BSN 111222333 hoort al bij een andere cliënt" in report.outcomes[0].reason
    assert counts(store) == before, "no client, case, household, journal or audit row may be left"

    # A later row in the same file that does fit gets the household, alone.
    member = row(huishouden="HH-nieuw")
    report = run_import(store, csv_bytes([thief, member]))
    assert [o.result for o in report.outcomes] == ["geweigerd", "toegevoegd"]
    with store.session() as session:
        household = session.scalars(select(Household).where(Household.label == "HH-nieuw")).one()
        assert [m.v_nummer for m in household.members] == [member["v_nummer"]]
        assert (
            session.scalar(
                select(func.count()).select_from(Client).where(Client.v_nummer == thief["v_nummer"])
            )
            == 0
        )


def test_update_refused_by_the_database_leaves_the_client_as_it_was(store: Store) -> None:
    first, second = row(bsn="111222333"), row(bsn="123456782", achternaam="Tesfay")
    run_import(store, csv_bytes([first, second]))
    before = counts(store)
    # The second client's row now claims the first one's BSN and a new name.
    changed = dict(second, bsn="111222333", achternaam="Anders", coa_locatie="AZC Assen")
    report = run_import(store, csv_bytes([changed]))
    assert [o.result for o in report.outcomes] == ["geweigerd"]
    assert counts(store) == before
    with store.session() as session:
        kept = client(session, second["v_nummer"])
        assert (kept.bsn, kept.family_name, kept.version) == ("123456782", "Tesfay", 1)
        assert kept.case is not None and (kept.case.coa_location, kept.case.version) == ("AZC Utrecht", 1)


def test_importing_the_same_list_twice_changes_nothing(store: Store) -> None:
    rows = [
        row(huishouden="HH-A", bsn="111222333", nationaliteit="syr"),
        row(huishouden="HH-A", geboortedatum="2015", naam_origineel="رانيا\u200cحداد"),
        row(geboortedatum="1979-11", huisvestingsdatum="2026-06-01", taal="", nationaliteit=""),
        row(v_nummer="71-0000-0099", achternaam="Ağaoğlu"),
        row(bsn="123456789"),  # refused both times
    ]
    first = run_import(store, csv_bytes(rows))
    assert [o.result for o in first.outcomes] == ["toegevoegd"] * 4 + ["geweigerd"]
    before = counts(store)
    with store.session() as session:
        versions = {c.v_nummer: c.version for c in session.scalars(select(Client))}

    second = run_import(store, csv_bytes(rows))
    assert [o.result for o in second.outcomes] == ["ongewijzigd"] * 4 + ["geweigerd"]
    assert second.summary() == "0 toegevoegd, 0 bijgewerkt, 4 ongewijzigd, 1 geweigerd."
    assert counts(store) == before, "a second import of the same list must write nothing"
    with store.session() as session:
        assert {c.v_nummer: c.version for c in session.scalars(select(Client))} == versions


def test_known_v_nummer_updates_that_client(store: Store) -> None:
    original = row(bsn="111222333", huishouden="HH-U", coa_locatie="AZC Utrecht")
    run_import(store, csv_bytes([original]))
    with store.session() as session:
        before = client(session, original["v_nummer"])
        client_id, case_id = before.id, before.case.id  # type: ignore[union-attr]
    journal_before = counts(store)["change_journal"]

    # A later list: new surname and location; BSN and language left empty, which keeps what is stored.
    update = dict(original, achternaam="Haddad-Saleh", coa_locatie="AZC Assen", bsn="", taal="")
    report = run_import(store, csv_bytes([update]))
    assert [(o.line, o.result, o.v_nummer) for o in report.outcomes] == [
        (2, "bijgewerkt", original["v_nummer"])
    ]

    with store.session() as session:
        after = client(session, original["v_nummer"])
        assert after.id == client_id
        assert (after.family_name, after.version) == ("Haddad-Saleh", 2)
        assert after.bsn == "111222333" and after.languages == ["ar"]
        assert after.case is not None and after.case.id == case_id
        assert (after.case.coa_location, after.case.version) == ("AZC Assen", 2)
        entries = session.scalars(
            select(ChangeJournalEntry)
            .where(ChangeJournalEntry.id > journal_before)
            .order_by(ChangeJournalEntry.id)
        ).all()
        assert sorted((e.entity_type, e.operation, e.base_version, e.version) for e in entries) == [
            ("client", "update", 1, 2),
            ("client_case", "update", 1, 2),
        ]
        assert all(e.entity_id in {client_id, case_id} and e.actor == KLANTMANAGER for e in entries)
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == client_id)).all()
        assert [(a.action, a.detail) for a in audit] == [("aangemaakt", ""), ("gewijzigd", "family_name")]
        assert all("Haddad-Saleh" not in a.detail for a in audit)
    assert counts(store)["client"] == 1 and counts(store)["client_case"] == 1


def test_rows_with_the_same_household_form_one_household(store: Store) -> None:
    parents = [row(huishouden="COA-77", achternaam="Haile"), row(huishouden="COA-77", achternaam="Haile")]
    child = row(huishouden="COA-77", achternaam="Haile", geboortedatum="2016")
    loner, other = row(), row(huishouden="COA-78")
    report = run_import(store, csv_bytes([parents[0], loner, parents[1], other, child]))
    assert report.count("toegevoegd") == 5
    assert counts(store)["household"] == 2
    # A later list names the household by a member it already has: the newborn joins it. A label
    # alone names a household within one list only (see the two-lists test).
    later = row(huishouden="COA-77", achternaam="Haile", geboortedatum="2026-02")
    run_import(store, csv_bytes([later, parents[0]]))
    assert counts(store)["household"] == 2
    with store.session() as session:
        household = session.scalars(select(Household).where(Household.label == "COA-77")).one()
        assert sorted(m.v_nummer for m in household.members) == sorted(
            r["v_nummer"] for r in [*parents, child, later]
        )
        assert client(session, loner["v_nummer"]).household is None
        assert client(session, other["v_nummer"]).household.label == "COA-78"  # type: ignore[union-attr]


def test_refused_rows_leave_no_trace_in_journal_or_audit(store: Store) -> None:
    good = row(huishouden="HH-J")
    report = run_import(
        store, csv_bytes([row(bsn="123456789", huishouden="HH-X"), good, row(geboortedatum="2023-02-30")])
    )
    assert [o.result for o in report.outcomes] == ["geweigerd", "toegevoegd", "geweigerd"]
    with store.session() as session:
        journal = session.scalars(select(ChangeJournalEntry)).all()
        assert sorted(e.entity_type for e in journal) == ["client", "client_case", "household"]
        assert all((e.operation, e.version, e.base_version) == ("insert", 1, 0) for e in journal)
        ids = {e.entity_id for e in journal}
        audit = session.scalars(select(AuditEntry)).all()
        assert {a.entity_id for a in audit} == ids and {a.action for a in audit} == {"aangemaakt"}
        assert session.scalar(select(func.count()).select_from(Household)) == 1


def test_duplicate_refused_for_another_reason_still_counts(store: Store) -> None:
    # Which of the two lines is right is for the list's owner to say, whatever else is wrong with one.
    first, second = row(v_nummer="7300000011"), row(v_nummer="7300000011", geboortedatum="2023-02-30")
    report = run_import(store, csv_bytes([first, second, row()]))
    outcomes = by_line(report)
    assert outcomes[2].result == "geweigerd"
    assert "V-nummer komt ook voor op regel 3;" in outcomes[2].reason
    assert outcomes[3].result == "geweigerd" and "geboortedatum" in outcomes[3].reason
    assert outcomes[4].result == "toegevoegd"
    assert "7300000011" not in v_nummers(store)


def test_the_same_household_label_in_two_lists_makes_two_households(store) -> None:
    first = "v_nummer;achternaam;voornamen;geboortedatum;huishouden\n2000000001;Ahmadi;Ali;1980;1\n2000000002;Ahmadi;Sara;1984;1\n"
    second = "v_nummer;achternaam;voornamen;geboortedatum;huishouden\n2000000003;Tesfay;Kidane;1990;1\n"
    with store.session(actor="test") as session:
        import_coa_data(session, first.encode(), "Utrecht", "km")
    with store.session(actor="test") as session:
        import_coa_data(session, second.encode(), "Utrecht", "km")
    with store.session(actor="test") as session:
        again = import_coa_data(session, first.encode(), "Utrecht", "km")
    assert [o.result for o in again.outcomes] == ["ongewijzigd", "ongewijzigd"]
    with store.session() as session:
        clients = {c.given_names: c for c in session.scalars(select(Client))}
        assert clients["Ali"].household_id == clients["Sara"].household_id
        assert clients["Kidane"].household_id not in (None, clients["Ali"].household_id)
        assert session.scalar(select(func.count(Household.id))) == 2


def test_a_column_twice_in_the_header_imports_nothing(store) -> None:
    data = "v_nummer;v_nummer;achternaam;voornamen;geboortedatum\n1234567890;1234567891;A;B;1980\n"
    with (
        store.session(actor="test") as session,
        pytest.raises(CoaFileError, match="v_nummer staan twee keer"),
    ):
        import_coa_data(session, data.encode(), "Utrecht", "km")
    with store.session() as session:
        assert session.scalar(select(func.count(Client.id))) == 0


def test_one_huge_cell_refuses_only_its_row(store) -> None:
    huge = "x" * 200_000
    data = (
        "v_nummer;achternaam;voornamen;geboortedatum;coa_locatie\n"
        f"1234567890;Haddad;Rania;1990;{huge}\n"
        "1234567891;Haddad;Omar;1988;AZC Gilze\n"
    )
    with store.session(actor="test") as session:
        report = import_coa_data(session, data.encode(), "Utrecht", "km")
    assert [(o.line, o.result) for o in report.outcomes] == [(2, "geweigerd"), (3, "toegevoegd")]
    assert "te lang" in report.outcomes[0].reason


def test_a_row_with_a_multiline_cell_is_reported_where_it_starts(store) -> None:
    data = (
        "v_nummer;achternaam;voornamen;geboortedatum;coa_locatie\n"
        '12345;Haddad;Rania;1990;"AZC\nGilze"\n'
        "1234567891;Haddad;Omar;1988;AZC Gilze\n"
    )
    with store.session(actor="test") as session:
        report = import_coa_data(session, data.encode(), "Utrecht", "km")
    assert [(o.line, o.result) for o in report.outcomes] == [(2, "geweigerd"), (4, "toegevoegd")]


def test_unreadable_files_are_refused_in_dutch(store, tmp_path) -> None:
    from app.services.coa_import import import_coa_file

    with store.session(actor="test") as session:
        with pytest.raises(CoaFileError, match="bestaat niet"):
            import_coa_file(session, tmp_path / "weg.csv", "Utrecht", "km")
        with pytest.raises(CoaFileError, match="is een map"):
            import_coa_file(session, tmp_path, "Utrecht", "km")


# Source: DOMAIN.md "Groups" and shared/CLI.md (the doelgroep column): asiel (with nareizigers),
# gezinsmigrant, overige_migrant, tijdelijke_bescherming (recorded, not obliged: no PIP deadline).
@pytest.mark.parametrize(
    ("doelgroep", "stored", "obliged"),
    [
        ("", "asiel", True),
        ("asiel", "asiel", True),
        ("Gezinsmigrant", "gezinsmigrant", True),
        ("overige_migrant", "overige_migrant", True),
        ("tijdelijke_bescherming", "tijdelijke_bescherming", False),
        # Issue 13 review: as typed in a spreadsheet, and nareizigers under asiel (shared/CLI.md).
        ("Tijdelijke bescherming", "tijdelijke_bescherming", False),
        ("overige-migrant", "overige_migrant", True),
        ("nareiziger", "asiel", True),
        (" Asiel ", "asiel", True),
    ],
)
def test_every_target_group_is_imported_and_counted(
    store: Store, doelgroep: str, stored: str, obliged: bool
) -> None:
    from app.services.caseload import caseload_rows

    given = row(doelgroep=doelgroep, huisvestingsdatum="2026-11-02")
    report = run_import(store, csv_bytes([given]))
    assert report.count("toegevoegd") == 1, report.outcomes
    with store.session() as session:
        assert client(session, given["v_nummer"]).target_group == stored
        (line,) = caseload_rows(session, TODAY)
    assert line.obliged is obliged
    if obliged:
        assert line.next_deadline is not None  # the 10 weeks for the PIP run from housing
    else:
        assert line.next_deadline is None and "tijdelijke bescherming" in line.status
