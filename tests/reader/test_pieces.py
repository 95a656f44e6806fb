"""The error and formula scan reads a sheet a piece at a time: same cells found, little memory."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from crmbook.book.sheetfacts import sheet_facts
from crmbook.book.xlsx.errors import error_cells
from crmbook.book.xlsx.formulas import formula_cells
from crmbook.book.xlsx.pieces import cell_pieces
from tests.writer.books import register

CELLS = (
    b'<c r="A{n}" s="1"><v>{n}</v></c>',
    b'<c r="B{n}" t="e"><v>#DIV/0!</v></c>',
    b'<c r="C{n}"><f>SUM(A1:A2)</f><v>3</v></c>',
    b'<c r="D{n}"><f>NOW()</f></c>',
    b'<x:c r="E{n}" t="inlineStr"><x:is><x:t>tekst</x:t></x:is></x:c>',
    b'<c r="F{n}" s="2"/>',
)


def sheet(kinds: list[int]) -> bytes:
    rows = b"".join(
        b'<row r="%d">' % n + CELLS[k].replace(b"{n}", str(n).encode()) + b"</row>"
        for n, k in enumerate(kinds, start=1)
    )
    return b"<worksheet><sheetData>" + rows + b"</sheetData></worksheet>"


def zipped(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "sheet.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("sheet.xml", data)
    return path


@settings(max_examples=40, deadline=None)
@given(kinds=st.lists(st.integers(0, len(CELLS) - 1), max_size=60), size=st.integers(1, 90))
def test_pieces_join_to_the_sheet_and_find_the_same_cells(
    tmp_path_factory, kinds: list[int], size: int
) -> None:
    data = sheet(kinds)
    with zipfile.ZipFile(zipped(tmp_path_factory.mktemp("p"), data)) as zf:
        pieces = list(cell_pieces(zf, "sheet.xml", size))
    assert b"".join(pieces) == data
    errors, formulas = {}, {}
    for piece in pieces:
        errors.update(error_cells(piece))
        formulas.update(formula_cells(piece))
    assert errors == error_cells(data)
    assert formulas == formula_cells(data)


def test_the_scan_never_holds_a_large_sheet_whole(tmp_path: Path) -> None:
    path = register(tmp_path / "big.xlsx", "en", customers=40_000)
    with zipfile.ZipFile(path) as z:
        size = z.getinfo("xl/worksheets/sheet1.xml").file_size
    assert size > 8_000_000
    tracemalloc.start()
    try:
        facts = sheet_facts(path, "Customers")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert facts.errors == {} and facts.formulas == {}
    assert peak < 7_000_000, f"peak {peak:,} bytes for a sheet of {size:,}"
