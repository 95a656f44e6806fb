"""The live port against a fake of xlwings (tests/addin/fakexl.py), compared with the file port.

Limitation: this is a fake of the xlwings calls LiveBook makes, with Excel's habits that matter
copied in; real Excel is covered by the manual checklist (docs/excel-checklist.md).
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from crmbook.book import live
from crmbook.book.filebook import FileBook
from crmbook.book.reader import read_register
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core.edits import (
    AppendRows,
    ClearMarks,
    EnsureSheet,
    Link,
    MarkCells,
    ReplaceRows,
    SetCells,
)
from tests.addin import fakexl


@pytest.fixture(scope="module", params=["nb", "en"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp(f"demo-{request.param}") / "register.xlsx"
    args = ["new", str(path), "--lang", request.param, "--demo", "40", "--seed", "3"]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    return path


def copy(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(path, folder / path.name))


def file_values(path: Path, sheet: str) -> dict[str, object]:
    """Non-empty cells of a sheet of a file, as the fake holds them (floats, date-times)."""
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    return {
        c.coordinate: fakexl._as_excel(c.value)
        for row in ws.iter_rows()
        for c in row
        if c.value not in (None, "")
    }


def test_live_read_gives_the_same_register_as_the_file_reader(demo: Path) -> None:
    from_file = read_register(demo, s.DATA_SHEETS)
    from_excel = live.LiveBook(fakexl.load(demo)).read(s.DATA_SHEETS)
    assert (from_excel.lang, from_excel.lists, from_excel.settings) == (
        from_file.lang,
        from_file.lists,
        from_file.settings,
    )
    for key, sheet in from_file.sheets.items():
        other = from_excel.sheets[key]
        assert (other.name, other.columns, other.headers) == (
            sheet.name,
            sheet.columns,
            sheet.headers,
        )
        pd.testing.assert_frame_equal(other.frame, sheet.frame)


def test_used_range_not_starting_at_a1_still_reads_from_a1() -> None:
    book = fakexl.Book(Path("b.xlsx"))
    sheet = book.sheets.add("Customers")
    sheet.put(3, 2, "x")
    assert sheet.used_range.row == 3
    assert live.sheet_rows(sheet) == [["", ""], ["", ""], ["", "x"]]


EDITS = [
    EnsureSheet(s.REPORT, ["Campaign", "Letters"]),
    ReplaceRows(s.REPORT, [["Spring", 12], ["=1+1", "0150"], ["-5 kr", "@home"]]),
    SetCells(s.CUSTOMERS, {(2, "B"): "New name", (3, "I"): "0150", (4, "O"): 1234.5}),
    AppendRows(s.PURCHASES, [[1, dt.date(2026, 11, 22), "Conference", 5000, "1-9"]]),
    ReplaceRows(s.ISSUES, [["Customers", 2, "B", Link("Customers!B2", "'Kunder'!B2")]]),
]


def test_edits_leave_the_same_values_as_the_file_port(demo: Path, tmp_path: Path) -> None:
    on_file = copy(demo, tmp_path / "file")
    FileBook(on_file).apply(EDITS)
    book = fakexl.load(demo)
    live.LiveBook(book).apply(EDITS)  # the fake raises if text would have become a formula
    for sheet in book.sheets:
        if sheet.name != live.MARKS_SHEET:
            assert sheet.values() == file_values(on_file, sheet.name), sheet.name


def test_text_is_written_as_text_whatever_it_looks_like() -> None:
    book = fakexl.Book(Path("b.xlsx"))
    sheet = book.sheets.add("Report")
    texts = ["=SUM(A1)", "+47 22 00 00 00", "-5", "@x", "0150", "TRUE", "1-9", "22.11.2026"]
    live.LiveBook(book).apply([ReplaceRows(s.REPORT, [[t] for t in texts], first_row=1)])
    assert [sheet.cells[(r, 1)] for r in range(1, len(texts) + 1)] == texts


def test_numbers_of_any_kind_reach_excel_as_plain_numbers() -> None:
    values = [np.int64(7), np.float64(2.5), Decimal("1.25"), 3, True]
    converted = [live.excel_value(v) for v in values]
    assert converted == [7, 2.5, 1.25, 3, True]
    assert [type(v) for v in converted] == [int, float, float, int, bool]


def test_a_value_excel_cannot_hold_stops_before_any_write() -> None:
    book = fakexl.Book(Path("b.xlsx"))
    sheet = book.sheets.add("Report")
    edits = [SetCells(s.REPORT, {(2, "A"): "ok"}), SetCells(s.REPORT, {(3, "A"): "x" * 40_000})]
    with pytest.raises(live.LiveWriteError):
        live.LiveBook(book).apply(edits)
    assert sheet.writes == 0


def test_tables_follow_the_rows(demo: Path) -> None:
    book = fakexl.load(demo)
    port = live.LiveBook(book)
    sheet = book.sheets[port.read().sheet_name(s.PURCHASES)]
    table = sheet.tables[0]
    before = table.range.last_cell.row
    port.apply([AppendRows(s.PURCHASES, [[1, dt.date(2026, 1, 2), "Banquet", 10]] * 3)])
    assert table.range.last_cell.row == before + 3
    port.apply([ReplaceRows(s.PURCHASES, [])])
    assert (table.range.row, table.range.last_cell.row) == (1, 2)


def test_marks_are_remembered_and_cleared(demo: Path) -> None:
    book = fakexl.load(demo)
    port = live.LiveBook(book)
    customers = book.sheets[port.read().sheet_name(s.CUSTOMERS)]
    customers.range("D2").color = (0, 128, 0)  # the user's own fill, never marked
    port.apply([MarkCells(s.CUSTOMERS, [(2, "B"), (3, "C")])])
    assert customers.colors == {(2, 4): (0, 128, 0), (2, 2): live.MARK_RGB, (3, 3): live.MARK_RGB}
    assert book.sheets[live.MARKS_SHEET].visible is False
    customers.range("C3").color = (255, 255, 0)  # the user re-coloured a marked cell
    port.apply([ClearMarks(s.CUSTOMERS)])
    assert customers.colors == {(2, 4): (0, 128, 0), (3, 3): (255, 255, 0)}
    assert book.sheets[live.MARKS_SHEET].values() == {}


def test_status_bar_shows_progress_in_the_workbook_language(demo: Path) -> None:
    seen: list[str] = []
    port = live.LiveBook(fakexl.load(demo), seen.append)
    lang = port.read().lang
    port.apply([SetCells(s.CUSTOMERS, {(2, "X"): "note"})])
    assert seen == (
        ["Leser arbeidsboka…", "Skriver til arbeidsboka…"]
        if lang == "nb"
        else ["Reading the workbook…", "Writing to the workbook…"]
    )
