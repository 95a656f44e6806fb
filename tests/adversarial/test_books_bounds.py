"""A stray cell far away: reads stop at the real data, appends go right below it, and a sheet
that is truly full refuses with a message (issue 12)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from crmbook.book import layout, reader
from crmbook.book.filebook import BookWriteError, FileBook
from crmbook.book.reader import read_register
from crmbook.book.xlsx import bounds
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows
from crmbook.errors import BookReadError
from tests.adversarial import hostile
from tests.adversarial.snapshot import workbook_cells

#: Mailings rows in the demo register of hostile.SEED.
MAILINGS = 9
ROW = [900, "Vår 2026", 3, "Firma 3 AS", "tilbud.docx", None, "brev.docx"]


def _table_ref(book: Path, name: str) -> str:
    with zipfile.ZipFile(book) as z:
        for member in z.namelist():
            if member.startswith("xl/tables/") and f'name="{name}"' in z.read(member).decode():
                xml = z.read(member).decode()
                return xml.split(' ref="', 1)[1].split('"', 1)[0]
    raise AssertionError(f"no table {name}")


def test_rows_are_appended_under_the_real_data_not_under_a_stray_cell(tmp_path: Path) -> None:
    book = hostile.build("stray-last-row", tmp_path)
    last = int(read_register(book).frame(s.MAILINGS).index.max())
    FileBook(book).apply([AppendRows(s.MAILINGS, [ROW, ROW])])
    cells = workbook_cells(book)["Mailings"]
    assert cells[f"A{last + 1}"][0] == "900" and cells[f"A{last + 2}"][0] == "900"
    assert not [ref for ref in cells if ref.endswith("1048577")]
    assert cells["Z1048576"] == ("x", ""), "the stray cell stays where the user left it"
    assert _table_ref(book, "tblMailings") == f"A1:J{last + 2}"
    assert list(read_register(book).frame(s.MAILINGS).index[-2:]) == [last + 1, last + 2]


def test_a_stray_value_in_the_last_cell_is_read_without_a_dense_grid(tmp_path: Path) -> None:
    book = hostile.build("stray-last-cell", tmp_path)
    crmbook = Path(sys.executable).parent / "crmbook"
    done = subprocess.run(
        [str(crmbook), "validate", str(book), "--no-write", "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr[-2000:]  # the demo has errors; no abort
    assert json.loads(done.stdout)["errors"] > 0
    assert len(read_register(book).frame(s.CUSTOMERS)) == hostile.CUSTOMERS


def test_sheet_rows_reads_every_column_but_only_as_far_as_the_headers(tmp_path: Path) -> None:
    book = hostile.build("stray-last-cell", tmp_path)
    rows = reader.sheet_rows(book, ["Customers"])["Customers"]
    assert len(rows) == hostile.CUSTOMERS + 1
    assert len(rows[0]) == len(s.SHEET_FIELDS[s.CUSTOMERS])


def test_a_large_sheet_is_judged_by_its_declared_dimension(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts over the scan limit are not inflated before reading: their <dimension> decides."""
    book = hostile.build("stray-last-row", tmp_path)
    monkeypatch.setattr(bounds, "_SCAN_BYTES", 0)
    with zipfile.ZipFile(book) as z:
        sparse = [p for p in z.namelist() if p.startswith("xl/worksheets/sheet")
                  and bounds.is_sparse(z, p)]  # fmt: skip
    assert len(sparse) == 1
    assert len(read_register(book).frame(s.MAILINGS)) == MAILINGS


def test_a_sheet_with_data_in_the_last_row_refuses_to_append(tmp_path: Path) -> None:
    book = hostile.base(tmp_path / "full.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["Mailings"].cell(1_048_576, 1, 999)
    wb.save(book)
    before = book.read_bytes()
    with pytest.raises(BookWriteError, match=r"row 1048577.*no room.*1,048,576"):
        FileBook(book).apply([AppendRows(s.MAILINGS, [ROW])])
    assert book.read_bytes() == before


def test_a_trimmed_sheet_still_too_large_is_refused_with_where_its_data_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = hostile.build("stray-last-cell", tmp_path)
    monkeypatch.setattr(bounds, "MAX_READ_CELLS", 100)
    last = layout.column_letter(len(s.SHEET_FIELDS[s.CUSTOMERS]) - 1)
    with pytest.raises(
        BookReadError, match=rf"'Customers' has data down to row 31 .* column {last}:"
    ):
        read_register(book)
