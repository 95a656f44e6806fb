"""Validation marks: a light red fill on problem cells, cleared exactly, user fills untouched."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Border, PatternFill, Side

from crmbook.book.filebook import FileBook
from crmbook.book.xlsx.styles import MARK_COLOR
from crmbook.core import schema as s
from crmbook.core.edits import ClearMarks, MarkCells
from tests.writer.books import register

USER_RED = PatternFill("solid", fgColor=MARK_COLOR)  # the user picked the very same colour


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = register(tmp_path / "crmbook.xlsx", "en", customers=4)
    wb = openpyxl.load_workbook(path)
    ws = wb["Customers"]
    ws["O2"] = 1_500_000
    ws["O2"].number_format = "#,##0"
    ws["O2"].border = Border(left=Side(style="thick"))
    ws["B3"].fill = PatternFill("solid", fgColor="FF00B050")
    ws["B4"].fill = USER_RED
    wb.save(path)
    return path


def formats(path: Path) -> dict[str, tuple[str, str | None, str | None]]:
    ws = openpyxl.load_workbook(path)["Customers"]
    found = {}
    for ref in ("O2", "B2", "B3", "B4", "C5", "Z9"):
        cell = ws[ref]
        found[ref] = (cell.number_format, cell.fill.fill_type, cell.fill.fgColor.rgb)
    return found


def sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml")


def test_marks_fill_cells_and_keep_their_format(book: Path) -> None:
    FileBook(book).apply([MarkCells(s.CUSTOMERS, [(2, "O"), (3, "B"), (9, "Z")])])
    ws = openpyxl.load_workbook(book)["Customers"]
    for ref in ("O2", "B3", "Z9"):
        assert ws[ref].fill.fill_type == "solid"
        assert ws[ref].fill.fgColor.rgb == MARK_COLOR
    assert ws["O2"].number_format == "#,##0"
    assert ws["O2"].border.left.style == "thick"
    assert ws["O2"].value == 1_500_000


def test_clearing_restores_exactly_and_leaves_user_fills(book: Path) -> None:
    original = formats(book)
    before = sheet_xml(book)
    run = FileBook(book)
    run.apply([MarkCells(s.CUSTOMERS, [(2, "O"), (3, "B"), (2, "B"), (5, "C")])])
    run.apply([MarkCells(s.CUSTOMERS, [(2, "O")])])  # marking twice is harmless
    run.apply([ClearMarks(s.CUSTOMERS)])
    assert formats(book) == original
    assert formats(book)["B4"][2] == MARK_COLOR, "the user's own red fill stays"
    assert sheet_xml(book).count(b' s="') == before.count(b' s="')


def test_marks_and_clearing_in_one_apply(book: Path) -> None:
    original = formats(book)
    FileBook(book).apply(
        [MarkCells(s.CUSTOMERS, [(3, "B")]), ClearMarks(s.CUSTOMERS), MarkCells(s.CUSTOMERS, [])]
    )
    assert formats(book) == original


def test_clearing_a_sheet_without_marks_leaves_its_part_byte_identical(book: Path) -> None:
    FileBook(book).apply([MarkCells(s.CUSTOMERS, [(2, "O")])])  # marks exist in the workbook
    before = sheet_xml(book)
    with zipfile.ZipFile(book) as z:
        mailings = z.read("xl/worksheets/sheet2.xml")
    FileBook(book).apply([ClearMarks(s.MAILINGS), ClearMarks(s.CUSTOMERS)])
    with zipfile.ZipFile(book) as z:
        assert z.read("xl/worksheets/sheet2.xml") == mailings, "no marks there: not rewritten"
    assert sheet_xml(book) != before, "the marked sheet was cleared"


def test_formats_are_compared_once_each_however_many_cells_are_marked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marking and clearing 3,000 cells asks about their few formats, not about every cell: a
    register with thousands of issues once spent 14 s comparing formats."""
    from crmbook.book.xlsx import styles

    path = register(tmp_path / "crmbook.xlsx", "en", customers=1000)
    cells = [(row, col) for row in range(2, 1002) for col in "BCD"]
    calls = {"n": 0}
    compare = styles._key

    def counted(*args: object) -> bytes:
        calls["n"] += 1
        return compare(*args)

    monkeypatch.setattr(styles, "_key", counted)
    FileBook(path, keep_backups=0).apply([MarkCells(s.CUSTOMERS, cells)])
    FileBook(path, keep_backups=0).apply([ClearMarks(s.CUSTOMERS)])
    assert calls["n"] < 500
    ws = openpyxl.load_workbook(path)["Customers"]
    assert all(ws[f"{col}{row}"].fill.fill_type is None for row, col in cells)
