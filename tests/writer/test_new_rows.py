"""Rows written where the sheet had none are built as XML text (the fast path); the sheet they
give is byte for byte the one the cell-by-cell path gives, whatever the values and formats."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from crmbook.book.filebook import BookWriteError, FileBook
from crmbook.book.xlsx.sheet import Worksheet
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows, Edit, Link, ReplaceRows
from tests.writer.books import register

ROWS = [
    [1, "Firma & Co <AS>", " leading space", "two\nlines", "tab\there", "cr\r\nlf"],
    [2.5, dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 12, 30), True, False, None],
    [None, None, None, None, None, None],
    [],
    [Link("Firma 1 AS", "'Customers'!B2"), "_x000B_ literal", "\x0b control", 10**15, -0.1],
    [None, "after a blank row", None, "", 0, "ÆØÅ æøå – “quotes” 😀"],
] * 3


EDITS = [ReplaceRows(s.ISSUES, ROWS, first_row=2), AppendRows(s.MAILINGS, ROWS)]


def written(
    tmp_path: Path, name: str, edit: Edit, *, fast: bool, monkeypatch: pytest.MonkeyPatch
) -> bytes:
    path = register(tmp_path / name, "en", customers=2)
    wb = openpyxl.load_workbook(path)
    ws = wb["Issues"]
    ws["B2"] = "kept format"
    ws["B2"].fill = PatternFill("solid", fgColor="FF00B050")
    ws["C2"].number_format = "0.00"
    ws.column_dimensions["D"].number_format = "@"
    wb.save(path)
    built: list[int] = []
    add_row_xml = Worksheet.add_row_xml
    with monkeypatch.context() as patch:
        if not fast:  # every row "exists": the cell-by-cell path
            patch.setattr(Worksheet, "has_row", lambda self, number: True)
        patch.setattr(
            Worksheet,
            "add_row_xml",
            lambda self, number, *rest: built.append(number) or add_row_xml(self, number, *rest),
        )
        FileBook(path).apply([edit])
    assert bool(built) is fast
    with zipfile.ZipFile(path) as z:
        return b"".join(z.read(n) for n in sorted(z.namelist()) if n.startswith("xl/worksheets/"))


@pytest.mark.parametrize("edit", EDITS, ids=["replace", "append"])
def test_new_rows_as_text_equal_the_cell_by_cell_rows(
    tmp_path: Path, edit: Edit, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = written(tmp_path, "fast.xlsx", edit, fast=True, monkeypatch=monkeypatch)
    slow = written(tmp_path, "slow.xlsx", edit, fast=False, monkeypatch=monkeypatch)
    assert b"Firma &amp; Co &lt;AS&gt;" in fast
    assert fast == slow


def test_a_bad_value_in_a_new_row_names_its_cell(tmp_path: Path) -> None:
    path = register(tmp_path / "crmbook.xlsx", "en", customers=2)
    with pytest.raises(BookWriteError, match="row 40, column C"):
        FileBook(path).apply([ReplaceRows(s.ISSUES, [["ok", "ok", "\ufffe"]], first_row=40)])


def test_new_rows_stay_text_until_an_edit_reaches_them(tmp_path: Path) -> None:
    """14,000 Recipients rows parsed into elements and written back cost 0.6 s: a new row is
    kept as its text, and parsed only when a later edit of the same write reaches it."""
    from crmbook.book.xlsx.package import Package
    from crmbook.book.xlsx.styles import Styles
    from crmbook.book.xlsx.writer import SheetWriter

    path = register(tmp_path / "crmbook.xlsx", "en", customers=2)
    pkg = Package(path)
    try:
        writer = SheetWriter(pkg, "xl/worksheets/sheet3.xml", Styles(pkg, "xl/styles.xml"),
                             date1904=False)  # fmt: skip
        writer.replace_rows(2, [["a", 1], ["b", 2], ["c", 3]])
        assert not any(writer.sheet.row_parsed(n) for n in (2, 3, 4))
        row = b'<row r="3"><c r="A3" t="inlineStr"><is><t>b</t></is></c><c r="B3"><v>2</v></c>'
        assert writer.sheet.row_bytes(3) == row + b"</row>"
        writer.write_cell(3, 1, "changed")
        assert writer.sheet.row_parsed(3) and not writer.sheet.row_parsed(4)
        writer.finish()
        xml = b"".join(writer.sheet.chunks())
    finally:
        pkg.close()
    assert b"<t>changed</t>" in xml and b"<v>3</v>" in xml and b"<v>2</v>" not in xml
