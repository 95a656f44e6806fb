"""An Excel table with a totals row: not a customer, never written into, and still the table's
last row after rows are added (issue 12)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from openpyxl.styles import PatternFill

from crmbook.book.filebook import FileBook
from crmbook.book.reader import read_register
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows
from tests.adversarial import hostile
from tests.adversarial.snapshot import workbook_cells
from tests.office import CSV_ALL_SHEETS, convert, needs_office

TOTAL_ROW = hostile.CUSTOMERS + 2  # header, 30 customers, then the totals


def _number(ref: str) -> int:
    return int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def _row(cells: dict, row: int) -> dict:
    return {ref: v for ref, v in cells.items() if _number(ref) == row}


def _json(args: list[str]) -> dict:
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_the_totals_row_is_not_read_as_data(tmp_path: Path) -> None:
    book = hostile.build("totals-row", tmp_path / "t")
    plain = hostile.base(tmp_path / "p" / "plain.xlsx")
    customers = read_register(book).frame(s.CUSTOMERS)
    assert len(customers) == hostile.CUSTOMERS
    assert "Total" not in set(customers["Company"])
    assert len(read_register(book).frame(s.PURCHASES)) == len(
        read_register(plain).frame(s.PURCHASES)
    )
    select = ["select", "--selection", hostile.SELECTION, "--no-write"]
    assert _json([select[0], str(book), *select[1:]]) == _json([select[0], str(plain), *select[1:]])
    assert _json(["report", str(book), "--no-write"]) == _json(["report", str(plain), "--no-write"])


def test_validate_and_fix_leave_the_totals_row_alone(tmp_path: Path) -> None:
    book = hostile.build("totals-row", tmp_path)
    before = workbook_cells(book)
    result = CliRunner().invoke(main, ["validate", str(book), "--fix"])
    assert result.exit_code == 1, result.output
    after = workbook_cells(book)
    for sheet, row in (("Customers", TOTAL_ROW), ("Purchases", None)):
        row = row or max(map(_number, before[sheet]))
        assert _row(after[sheet], row) == _row(before[sheet], row)
    issues = _json(["validate", str(book), "--no-write"])["issues"]
    assert not [i for i in issues if i["sheet"] == "Customers" and i["row"] == TOTAL_ROW]


def test_appended_rows_go_above_the_totals_row_which_stays_intact(tmp_path: Path) -> None:
    book = hostile.build("totals-row", tmp_path)
    before = workbook_cells(book)["Purchases"]
    last = max(map(_number, before))
    totals = _row(before, last)
    rows = [[3, "2026-01-05", "Banquet", 1000, "a"], [4, "2026-01-06", "Banquet", 2000, "b"]]
    FileBook(book).apply([AppendRows(s.PURCHASES, rows)])
    after = workbook_cells(book)["Purchases"]
    assert after[f"A{last}"][0] == "3" and after[f"A{last + 1}"][0] == "4"
    moved = {ref.replace(str(last), str(last + 2)): v for ref, v in totals.items()}
    assert _row(after, last + 2) == moved
    assert moved[f"D{last + 2}"][1].startswith("SUBTOTAL(109,")
    with zipfile.ZipFile(book) as z:
        tables = [z.read(m).decode() for m in z.namelist() if m.startswith("xl/tables/")]
    table = next(t for t in tables if "tblPurchases" in t)
    assert f'ref="A1:E{last + 2}"' in table and 'totalsRowCount="1"' in table
    assert f'<autoFilter ref="A1:E{last + 1}"' in table
    assert len(read_register(book).frame(s.PURCHASES)) == last - 2 + 2


@needs_office
def test_libreoffice_shows_the_totals_row_last(tmp_path: Path) -> None:
    book = hostile.build("totals-row", tmp_path / "in")
    FileBook(book).apply([AppendRows(s.PURCHASES, [[3, None, "Banquet", 1000, "new row"]])])
    out = convert([book], CSV_ALL_SHEETS, tmp_path / "csv", profile=tmp_path / "profile")
    purchases = next(p for p in out if "Purchases" in p.name).read_text(encoding="utf-8")
    lines = [ln for ln in purchases.splitlines() if ln.strip(",")]
    assert "new row" in lines[-2] and "Total" in lines[-1]


def test_the_totals_row_moves_onto_a_row_that_only_had_formatting(tmp_path: Path) -> None:
    """Excel keeps row elements for formatted empty rows; the totals row merges into one."""
    book = hostile.build("totals-row", tmp_path)
    wb = openpyxl.load_workbook(book)
    ws = wb["Purchases"]
    last = ws.max_row
    ws.cell(last + 1, 8).fill = PatternFill("solid", fgColor="FFFFFF00")  # right of the table
    ws.cell(last + 1, 30, "stray")
    wb.save(book)
    FileBook(book).apply([AppendRows(s.PURCHASES, [[3, None, "Banquet", 1000, "new"]])])
    after = workbook_cells(book)["Purchases"]
    assert after[f"E{last}"] == ("new", "")
    assert after[f"D{last + 1}"][1].startswith("SUBTOTAL(109,")
    assert after[f"AD{last + 1}"] == ("stray", "")
    assert len(read_register(book).frame(s.PURCHASES)) == last - 1
