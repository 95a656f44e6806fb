"""A sheet part whose stored CRC does not match its bytes (a copy cut or changed on its way):
the marks' quick path reads it with ISA-L, not zipfile, and must still notice, refuse with a
message and change nothing, leaving no temporary file behind."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from crmbook.book.filebook import FileBook
from crmbook.core import schema as s
from crmbook.core.edits import ClearMarks, MarkCells
from crmbook.errors import BookReadError
from crmbook.zipraw import ZipWriter, read_members
from tests.writer.books import register

SHEET = "xl/worksheets/sheet1.xml"  # Customers


def _wrong_crc(book: Path) -> Path:
    members = [replace(m, crc=m.crc ^ 1) if m.name == SHEET else m for m in read_members(book)]
    with book.open("wb") as out:
        writer = ZipWriter(out)
        for member in members:
            writer.add(member)
        writer.close()
    return book


@pytest.mark.parametrize("edits", [[MarkCells(s.CUSTOMERS, [(3, "B")])], [ClearMarks(s.CUSTOMERS)]])
def test_marks_on_a_damaged_sheet_are_refused_and_nothing_changes(tmp_path: Path, edits) -> None:
    book = _wrong_crc(register(tmp_path / "crmbook.xlsx", "en", customers=5))
    FileBook(book).apply([MarkCells(s.MAILINGS, [(2, "A")])])  # a marked style to clear exists
    before = sorted(p.name for p in tmp_path.iterdir()), book.read_bytes()
    with pytest.raises(BookReadError, match=r"crmbook\.xlsx"):
        FileBook(book).apply(edits)
    assert (sorted(p.name for p in tmp_path.iterdir()), book.read_bytes()) == before
