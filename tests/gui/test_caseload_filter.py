"""The caseload filter: the same rows as a plain scan, narrowing included, and the selection kept."""

from __future__ import annotations

import random
import uuid

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QTableView

from app.services.caseload import CaseloadRow
from app.services.pip import CaseloadView, matches_view
from app.ui.caseload import CLIENT_ID_ROLE, COL_NAME, COL_V_NUMMER, CaseloadFilter, CaseloadModel, search_key

NAMES = ["Şêrko Ahmadi", "Mohammed Haddad", "Amal Ḥaddād", "Yonas Tesfay", "Zahra Mohammadi", "Élodie Kaya"]
ORIGINAL = ["شێرکۆ", "محمد حداد", "أمل حدّاد", "ዮናስ ተስፋይ", "زهرا محمدی", ""]
LOCATIONS = ["AZC Ter Apel", "AZC Utrecht", "AZC Budel", ""]


def _rows(count: int, seed: int = 7) -> list[CaseloadRow]:
    chance = random.Random(seed)
    rows = []
    for index in range(count):
        pick = chance.randrange(len(NAMES))
        rows.append(
            CaseloadRow(
                client_id=uuid.UUID(int=index + 1),
                v_nummer=f"{chance.randrange(10**10):010d}",
                name=f"{NAMES[pick]} {index}",
                name_original=ORIGINAL[pick],
                birth_date="1990",
                coa_location=chance.choice(LOCATIONS),
                klantmanager=chance.choice(["karin", "sam", ""]),
                housing_date=None,
                status="",
                leerroute="",
                next_deadline=None,
                obliged=True,
            )
        )
    return rows


@pytest.fixture
def caseload(qtbot) -> tuple[CaseloadModel, CaseloadFilter, QTableView, list[CaseloadRow]]:
    model, proxy, table = CaseloadModel(), CaseloadFilter(), QTableView()
    qtbot.addWidget(table)
    proxy.setSourceModel(model)
    table.setModel(proxy)
    rows = _rows(400)
    model.set_rows(rows)
    proxy.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    table.show()
    return model, proxy, table, rows


def _shown(proxy: CaseloadFilter) -> list[str]:
    return [proxy.index(row, 0).data(CLIENT_ID_ROLE) for row in range(proxy.rowCount())]


def _expected(
    model: CaseloadModel, text: str, view: CaseloadView = CaseloadView.ALLE, user: str = ""
) -> list[str]:
    """A plain scan of the source in its sorted order: what the filter must show."""
    words = search_key(text).split()
    found = []
    for row in range(model.rowCount()):
        record = model.row_at(row)
        key = search_key(" ".join((record.name, record.name_original, record.v_nummer, record.coa_location)))
        if matches_view(view, record.flags, record.klantmanager, user) and all(w in key for w in words):
            found.append(str(record.client_id))
    return found


def test_typing_deleting_and_retyping_shows_what_a_plain_scan_shows(caseload) -> None:
    model, proxy, _table, _rows_ = caseload
    for text in [
        "m",
        "mo",
        "moh",
        "moham",
        "mohammed",
        "mohamme",
        "mo",
        "",
        "h",
        "ha",
        "had",
        "haddad 1",
        "haddad 12",
        "12 haddad",
        "ter",
        "ter apel",
        "terapel",
        "شێر",
        "حد",
        "serko",
        "élo",
        "ELODIE",
    ]:
        proxy.set_search_text(text)
        assert _shown(proxy) == _expected(model, text), text
    assert proxy.rowCount() > 0


def test_view_and_text_together_and_after_a_new_sort(caseload) -> None:
    model, proxy, _table, _rows_ = caseload
    proxy.set_view(CaseloadView.MIJN, "Karin")
    proxy.set_search_text("ha")
    assert _shown(proxy) == _expected(model, "ha", CaseloadView.MIJN, "Karin")
    proxy.sort(COL_V_NUMMER, Qt.SortOrder.DescendingOrder)
    assert _shown(proxy) == _expected(model, "ha", CaseloadView.MIJN, "Karin")
    proxy.set_view(CaseloadView.ALLE, "Karin")
    assert _shown(proxy) == _expected(model, "ha")
    # A new fill (a refresh) keeps the words and the view.
    model.set_rows(_rows(150, seed=3))
    proxy.resort()
    assert _shown(proxy) == _expected(model, "ha")


def test_the_selected_client_stays_selected_while_it_still_matches(caseload) -> None:
    model, proxy, table, _rows_ = caseload
    proxy.set_search_text("haddad")
    target_row = proxy.rowCount() - 1
    target = proxy.index(target_row, 0).data(CLIENT_ID_ROLE)
    table.selectionModel().select(
        proxy.index(target_row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    record = next(
        model.row_at(r) for r in range(model.rowCount()) if str(model.row_at(r).client_id) == target
    )
    number = record.name.rsplit(" ", 1)[1]
    proxy.set_search_text(f"haddad {number}")
    selected = table.selectionModel().selectedRows()
    assert [index.data(CLIENT_ID_ROLE) for index in selected] == [target]
    proxy.sort(COL_V_NUMMER, Qt.SortOrder.AscendingOrder)
    assert [index.data(CLIENT_ID_ROLE) for index in table.selectionModel().selectedRows()] == [target]
    proxy.set_search_text("tesfay")
    assert table.selectionModel().selectedRows() == []


def test_the_view_reads_its_rows_and_header_through_the_filter(caseload) -> None:
    model, proxy, table, _rows_ = caseload
    proxy.set_search_text("yonas")
    assert proxy.rowCount() == len(_expected(model, "yonas")) > 0
    assert table.model().headerData(COL_NAME, Qt.Orientation.Horizontal) == model.headerData(
        COL_NAME, Qt.Orientation.Horizontal
    )
    for row in range(proxy.rowCount()):
        assert "Yonas" in proxy.index(row, COL_NAME).data()
        source = proxy.mapToSource(proxy.index(row, COL_NAME))
        assert proxy.mapFromSource(source).row() == row
    assert not proxy.index(proxy.rowCount(), 0).isValid()
