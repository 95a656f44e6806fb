"""LibreOffice, an independent reader, opens what the surgical writer made and sees its data."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from crmbook.book.filebook import FileBook
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows, EnsureSheet, Link, MarkCells, ReplaceRows
from tests.office import CSV_ALL_SHEETS, convert, needs_office
from tests.writer.books import add_x14_validation, register

pytestmark = [pytest.mark.libreoffice, needs_office]


def test_libreoffice_opens_a_written_workbook(tmp_path: Path) -> None:
    book = register(tmp_path / "crmbook.xlsx", "nb")
    add_x14_validation(book)
    FileBook(book).apply(
        [
            AppendRows(s.MAILINGS, [[3, "=Høst", 3, "Bø & Co", "t.docx", dt.date(2025, 9, 1)]]),
            EnsureSheet(s.ISSUES),
            ReplaceRows(s.ISSUES, [["Kunder", 2, Link("B2", "'Kunder'!B2")]]),
            EnsureSheet(s.REPORT, ["Nøkkeltall", "Verdi"]),
            ReplaceRows(s.REPORT, [["Kunder", 3]]),
            MarkCells(s.CUSTOMERS, [(2, "B")]),
        ]
    )
    out = convert([book], CSV_ALL_SHEETS, tmp_path / "csv", profile=tmp_path / "profile")
    sheets = {p.stem.removeprefix("crmbook-"): _read(p) for p in out}
    assert {"Kunder", "Utsendelser", "Kontroll", "Rapport"} <= set(sheets)
    # the CSV filter writes dates in its own (US) format, as it does for openpyxl's rows above
    assert sheets["Utsendelser"][3][:6] == ["3", "=Høst", "3", "Bø & Co", "t.docx", "09/01/2025"]
    assert sheets["Kontroll"][1][:3] == ["Kunder", "2", "B2"]
    assert sheets["Rapport"] == [["Nøkkeltall", "Verdi"], ["Kunder", "3"]]
    assert sheets["Kunder"][1][1] == "Firma 1 AS"


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [row for row in csv.reader(f) if any(row)]
