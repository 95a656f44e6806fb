"""Rows read with the texts of a repeating column shared: the very values python-calamine's
``to_python`` gives, in the same places, with one string object per distinct text."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import python_calamine as calamine

from crmbook.book import reader
from crmbook.book.reader import read_register, shared_rows
from crmbook.core import schema as s
from tests.writer.books import register


def sheet(path: Path, name: str) -> calamine.CalamineSheet:
    return calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name)


@pytest.mark.parametrize("batch", [1, 3, 4096])  # 4096: the first batch sees the repeats
def test_rows_equal_calamine_and_repeated_texts_are_one_object(tmp_path: Path, batch) -> None:
    path = register(tmp_path / "crmbook.xlsx", "en", customers=40)
    wb = openpyxl.load_workbook(path)
    ws = wb["Customers"]
    for row in range(2, 42):
        ws.cell(row, 10, "Oslo" if row % 3 else "Bergen")
        ws.cell(row, 11, f"unique {row}")
    wb.save(path)
    rows = shared_rows(sheet(path, "Customers"), batch, whole=0)
    assert rows == sheet(path, "Customers").to_python(skip_empty_area=False)
    if batch == 4096:
        oslo = {id(r[9]) for r in rows[1:] if r[9] == "Oslo"}
        assert len(oslo) == 1, "one object for every 'Oslo'"


def test_a_register_above_the_whole_sheet_size_shares_its_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = register(tmp_path / "crmbook.xlsx", "en", customers=40)
    wb = openpyxl.load_workbook(path)
    for row in range(2, 42):
        wb["Customers"].cell(row, 10, "Oslo" if row % 3 else "Bergen")
    wb.save(path)
    monkeypatch.setattr(reader, "WHOLE_CELLS", 0)
    frame = read_register(path, [s.CUSTOMERS]).frame(s.CUSTOMERS)
    assert len({id(v) for v in frame["City"] if v == "Oslo"}) == 1


def test_a_small_sheet_is_taken_whole(tmp_path: Path) -> None:
    path = register(tmp_path / "crmbook.xlsx", "en", customers=40)
    whole = sheet(path, "Customers")
    assert shared_rows(whole) == whole.to_python(skip_empty_area=False)


def test_a_sheet_starting_right_of_column_a_is_read_from_a1(tmp_path: Path) -> None:
    path = tmp_path / "offset.xlsx"
    wb = openpyxl.Workbook()
    wb.active["C3"] = "x"
    wb.active["D5"] = 2
    wb.save(path)
    rows = shared_rows(sheet(path, "Sheet"))
    assert rows == sheet(path, "Sheet").to_python(skip_empty_area=False)
    assert rows[2][2] == "x" and rows[4][3] == 2.0
