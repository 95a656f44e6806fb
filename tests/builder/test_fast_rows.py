"""The builder's records written as XML rows (crmbook.book.builder_rows) make the same workbook
as writing every value as an openpyxl cell, the way the builder did before (90 s for 100k)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell import Cell

from crmbook.book import builder, layout
from crmbook.core import schema as s
from crmbook.core.demo import generate


def build_both(tmp_path: Path, lang: str, rows: builder.Rows) -> tuple[Path, Path]:
    """The register built the fast way and the reference way (each value an openpyxl cell)."""
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    builder.save(*builder.build_workbook(lang, rows), path=fast)
    wb, sheets = builder.build_workbook(lang, rows)
    for sheet in sheets:
        for row, record in enumerate(sheet.records, start=2):
            for col, f in enumerate(sheet.fields, start=1):
                value = builder.cell_value(f, record.get(f.name), lang)
                if value is not None:
                    builder._put(sheet.ws, row, col, value, sheet.formats[col - 1])
    builder.save(wb, path=slow)
    return fast, slow


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every cell's value, type, number format, font, fill, quote prefix and alignment."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: [describe(c) for row in ws.iter_rows() for c in row] for ws in wb}


def describe(c: Cell) -> tuple[object, ...]:
    return (c.coordinate, c.value, c.data_type, c.number_format, c.font.b, c.fill.fgColor.rgb,
            c.quotePrefix, c.alignment.horizontal, c.alignment.wrap_text)  # fmt: skip


@pytest.mark.parametrize(("lang", "n"), [("nb", 1500), ("en", 400)])
def test_demo_same_cells_and_same_sheet_parts(tmp_path: Path, lang: str, n: int) -> None:
    fast, slow = build_both(tmp_path, lang, generate(n, seed=3, lang=lang).rows())
    assert cells(fast) == cells(slow)
    fast_parts, slow_parts = parts(fast), parts(slow)
    assert fast_parts.keys() == slow_parts.keys()
    # Only the numbering of the number formats in styles.xml may differ (registration order).
    for name in fast_parts.keys() - {"xl/styles.xml"}:
        assert fast_parts[name] == slow_parts[name], name


def test_awkward_values_written_as_openpyxl_writes_them(tmp_path: Path) -> None:
    """Text that looks like a formula or an error, padded and empty text, markup characters,
    booleans, floats, non-ASCII and a date in a text column."""
    awkward = [
        {"Customer ID": 1, "Company": "=SUM(A1:A2)", "Notes": "#N/A", "City": "  Ålesund "},
        {"Customer ID": 2, "Company": "A & B <Holding>", "Notes": "", "Employees": 12.5},
        {"Customer ID": 3, "Company": True, "Notes": dt.date(2026, 3, 1), "Remark": "Bad payer"},
        {"Customer ID": 4.0, "Company": "Ærlig Ødegård AS", "Postal code": "0150"},
    ]
    fast, slow = build_both(tmp_path, "nb", {s.CUSTOMERS: awkward})
    assert cells(fast) == cells(slow)
    ws = openpyxl.load_workbook(fast)["Kunder"]
    assert ws["B2"].value == "=SUM(A1:A2)" and ws["B2"].data_type == "s" and ws["B2"].quotePrefix
    assert ws["B3"].value == "A & B <Holding>" and ws["J2"].value == "  Ålesund "
    assert ws["X2"].data_type == "e" and ws["I5"].number_format == "@"
    assert ws.max_row == 5


def test_dimension_covers_the_records(tmp_path: Path) -> None:
    path = builder.create(tmp_path / "demo.xlsx", lang="en", demo=50, templates=False)
    ws = openpyxl.load_workbook(path, read_only=True)["Customers"]
    last = layout.column_letter(len(s.SHEET_FIELDS[s.CUSTOMERS]) - 1)
    assert ws.calculate_dimension() == f"A1:{last}51"
