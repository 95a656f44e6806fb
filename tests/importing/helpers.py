"""Pairs of real registers for import tests: copies, small openpyxl edits, calamine reads."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from crmbook.actions.validate import check
from crmbook.book import layout
from crmbook.book.reader import read_register
from crmbook.core import schema as s
from crmbook.core import typed


def copy(source: Path, folder: Path, name: str | None = None) -> Path:
    """A copy of a built register (with its templates folder) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (name or source.name)
    shutil.copyfile(source, target)
    templates = source.parent / "letter_templates"
    if templates.is_dir() and not (folder / templates.name).exists():
        shutil.copytree(templates, folder / templates.name)
    return target


def rows(book: Path, sheet: str) -> list[list[object]]:
    """The sheet's cells as python-calamine reads them (sheet by English key)."""
    wb = CalamineWorkbook.from_path(str(book))
    name = layout.find_sheet(sheet, wb.sheet_names)
    assert name is not None, f"{book.name} has no sheet {sheet}"
    return wb.get_sheet_by_name(name).to_python()


def customers(book: Path) -> dict[int, dict[str, object]]:
    """Customers by Customer ID, English fields, raw values."""
    frame = read_register(book, strict=False).frame(s.CUSTOMERS)
    return {typed.integer(r["Customer ID"]): r for r in frame.to_dict("records")}


def clean_rows(book: Path) -> list[int]:
    """Excel rows of Customers without any validation issue."""
    register = read_register(book)
    bad = {i.row for i in check(register).issues if i.key == s.CUSTOMERS}
    return [int(r) for r in register.frame(s.CUSTOMERS).index if r not in bad]


def edit(book: Path, sheet: str, cells: Mapping[tuple[int, str], object]) -> None:
    """Set cells by (Excel row, English field) with openpyxl, as a colleague would in Excel."""
    wb = load_workbook(book)
    ws = wb[layout.find_sheet(sheet, wb.sheetnames)]
    header = [c.value for c in ws[1]]
    positions = layout.match_headers(sheet, header)
    for (row, field), value in cells.items():
        ws.cell(row, positions[field] + 1, value)
    wb.save(book)
