"""Export and erase with two customers under one Customer ID (refused, naming the rows), and
the derived sheets: erase rebuilds the Report without the customer, export includes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmbook.actions import report as report_action
from crmbook.actions.importing import erase_customer, export_customer
from crmbook.book.filebook import FileBook
from crmbook.core import schema as s
from crmbook.core.merge_privacy import report_record, report_rows
from crmbook.errors import RefusedError
from tests.importing.helpers import copy, customers, edit, rows

TODAY = __import__("datetime").date(2026, 11, 22)


def _top_customer(book: Path) -> tuple[int, str]:
    """The first customer of the Report's top-20 table (Company, Customer ID)."""
    _, figures = report_action.run(FileBook(book), TODAY)
    top = figures.top_total.iloc[0]
    return int(top["Customer ID"]), str(top["Company"])


def test_export_and_erase_refuse_an_id_two_customers_share(built: dict, tmp_path: Path) -> None:
    book = copy(built["nb"], tmp_path)
    assert customers(book)[3] is not None  # on row 4
    edit(book, s.CUSTOMERS, {(9, "Customer ID"): 3})
    before = book.read_bytes()
    for action in (export_customer, erase_customer):
        with pytest.raises(RefusedError) as caught:
            action(FileBook(book), 3)
        message = str(caught.value)
        assert "Kundenr 3 står på 2 rader i arket «Kunder» (rad 4 & 9)" in message
        assert "crmbook validate" in message and "ingenting ble eksportert eller slettet" in message
    assert book.read_bytes() == before


def test_erase_rebuilds_the_report_without_the_customer(built: dict, tmp_path: Path) -> None:
    book = copy(built["nb"], tmp_path)
    cid, company = _top_customer(book)
    assert any(company in map(str, r) for r in rows(book, s.REPORT))
    erased = erase_customer(FileBook(book), cid, today=TODAY)
    assert erased.report
    report = rows(book, s.REPORT)
    assert not any(company in map(str, r) for r in report)
    assert cid not in customers(book)
    assert len(report) > 20  # rebuilt, not emptied: the other customers' figures remain


def test_export_includes_the_report_rows_naming_the_customer(built: dict, tmp_path: Path) -> None:
    book = copy(built["nb"], tmp_path)
    cid, company = _top_customer(book)
    data = export_customer(FileBook(book), cid)
    mine = data["sheets"]["Rapport"]
    assert mine and all(r["Firma"] == company and r["Kundenr"] == cid for r in mine)


def test_report_rows_are_found_by_the_customer_id_column() -> None:
    grid = [
        ["Rapport"],
        ["Kunder", 7.0],  # a figure, not a table row
        [],
        ["Firma", "Kundenr", "Kjøp (NOK)"],
        ["Fjord AS", 7.0, 1000.0],
        ["Fjord AS", 8.0, 7.0],  # another Fjord AS; 7 is a figure here
        [None, None],
        ["Bransje", "Kunder"],
        ["Hotell", 7.0],
    ]
    assert report_rows(grid, 7, ["Customer ID", "Kundenr"]) == [5]
    assert report_record(grid, [5]) == [
        {"row": 5, "Firma": "Fjord AS", "Kundenr": 7, "Kjøp (NOK)": 1000}
    ]
