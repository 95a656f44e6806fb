"""The ribbon's reads of an open workbook: a stray cell far away and a totals row, as in file
mode (issue 12). Limitation: against the fake of xlwings (tests/addin/fakexl.py), not Excel."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmbook.book.live import LiveBook
from crmbook.book.reader import read_register
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows
from tests.addin import fakexl
from tests.adversarial import hostile


def _same_read(book: Path) -> None:
    live = LiveBook(fakexl.load(book)).read()
    closed = read_register(book)
    for sheet in s.DATA_SHEETS:
        assert live.frame(sheet).shape == closed.frame(sheet).shape, sheet
        first = live.frame(sheet).columns[0]
        assert live.frame(sheet)[first].tolist() == closed.frame(sheet)[first].tolist(), sheet


@pytest.mark.parametrize("name", ["stray-last-row", "stray-last-cell", "stray-far-right"])
def test_a_stray_cell_far_away_costs_the_live_read_nothing(tmp_path: Path, name: str) -> None:
    _same_read(hostile.build(name, tmp_path))


def test_the_live_read_skips_a_totals_row_as_the_file_read_does(tmp_path: Path) -> None:
    book = hostile.build("totals-row", tmp_path)
    customers = LiveBook(fakexl.load(book)).read().frame(s.CUSTOMERS)
    assert len(customers) == hostile.CUSTOMERS
    assert "Total" not in set(customers["Company"].dropna())
    _same_read(book)


def test_live_appends_go_above_the_totals_row_which_stays_last_in_its_table(
    tmp_path: Path,
) -> None:
    book = fakexl.load(hostile.build("totals-row", tmp_path))
    sheet = next(sh for sh in book.sheets if sh.tables and sh.name in ("Purchases", "Kjøp"))
    table = sheet.tables[0]
    totals_row = table.range.r2
    totals = {c: v for (r, c), v in sheet.cells.items() if r == totals_row}
    rows = [[3, None, "Banquet", 1000, "a"], [4, None, "Banquet", 2000, "b"]]
    LiveBook(book).apply([AppendRows(s.PURCHASES, rows)])
    assert sheet.cells[(totals_row, 5)] == "a" and sheet.cells[(totals_row + 1, 5)] == "b"
    assert {c: v for (r, c), v in sheet.cells.items() if r == totals_row + 2} == totals
    assert table.range.r2 == totals_row + 2 and table.show_totals
    purchases = LiveBook(book).read().frame(s.PURCHASES)
    assert purchases.iloc[-2:, -1].tolist() == ["a", "b"]
