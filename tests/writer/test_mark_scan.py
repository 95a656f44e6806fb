"""The quick search for marked cells finds exactly the rows the full attribute scan found, and a
sheet with no marked cell is neither parsed nor rewritten by clearing marks."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from crmbook.book.filebook import FileBook
from crmbook.book.xlsx.rowstore import RowStore, style_hits
from crmbook.core import schema as s
from crmbook.core.edits import ClearMarks, MarkCells
from tests.writer.books import register

_EVERY_STYLE = re.compile(rb'\ss="(\d+)"')  # the former scan: every s= read and compared

SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>"
    b'<row r="1"><c r="A1" s="1"/><c r="B1" s="12"/></row>'
    b'<row r="2"><c r="A2"\ts="2"/><c r="B2" s="21"/></row>'
    b'<row r="3" s="3" customFormat="1"><c r="A3" cs="2"/></row>'
    b'<row r="4"><c r="A4"\ns="02"/></row>'
    b'<row r="5"><c r="A5" s="0"/><c r="B5" s="120"/></row>'
    b'<row r="7"><c r="A7" s="1"/></row>'
    b"</sheetData></worksheet>"
)


def former_rows(data: bytes, styles: set[int]) -> list[int]:
    store = RowStore(data)
    found = set()
    for match in _EVERY_STYLE.finditer(data):
        if int(match.group(1)) in styles:
            found.add(max(n for n in store.order if store._spans[n][0] <= match.start()))
    return sorted(found)


def test_quick_search_finds_the_rows_the_full_scan_found() -> None:
    for styles in ({1}, {2}, {12}, {0}, {3}, {2, 21}, {1, 12, 120}, {7}, {0, 1, 2, 3}):
        assert RowStore(SHEET).rows_with_styles(styles) == former_rows(SHEET, styles), styles


def test_quick_search_needs_a_space_before_the_attribute() -> None:
    assert [SHEET[at + 1 : at + 7] for at in style_hits(SHEET, {2})] == [b's="2"/', b's="02"']


def test_no_styles_no_hits() -> None:
    assert list(style_hits(SHEET, set())) == []


def test_clearing_marks_leaves_a_sheet_without_marks_as_it_was(tmp_path: Path) -> None:
    path = register(tmp_path / "crmbook.xlsx", "en", customers=4)
    FileBook(path).apply([MarkCells(s.CUSTOMERS, [(2, "B")])])
    with zipfile.ZipFile(path) as z:
        before = {i.filename: (i.CRC, i.compress_size) for i in z.infolist()}
    FileBook(path).apply([ClearMarks(s.MAILINGS), ClearMarks(s.CUSTOMERS)])
    with zipfile.ZipFile(path) as z:
        after = {i.filename: (i.CRC, i.compress_size) for i in z.infolist()}
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed == {"xl/worksheets/sheet1.xml"}
