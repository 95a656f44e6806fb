"""Sheets written by other programs: one quirk each, built by patching a sheet's XML."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import python_calamine as calamine

from crmbook.book.filebook import FileBook
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows, ClearMarks, MarkCells, SetCells
from tests.writer.books import patch_member, register

MAILINGS = "xl/worksheets/sheet2.xml"


def no_row_or_cell_numbers(xml: str) -> str:
    """Some generators leave out r= on rows and cells (it is optional)."""
    return re.sub(r'(<(?:row|c)\b[^>]*?) r="[A-Z]*\d+"', r"\1", xml)


def comment_in_sheet_data(xml: str) -> str:
    return xml.replace("<sheetData>", "<sheetData><!-- made by hand -->")


def prefixed_namespace(xml: str) -> str:
    """The main namespace under a prefix (x:row, x:c), as the Open XML SDK can write it."""
    xml = re.sub(r"<(/?)([A-Za-z]\w*)(?=[\s>/])", r"<\1x:\2", xml.split("?>", 1)[-1])
    return xml.replace('xmlns="http', 'xmlns:x="http', 1)


def pretty_printed(xml: str) -> str:
    return xml.replace("<row", "\n    <row").replace("<c ", "\n      <c ")


@pytest.mark.parametrize(
    "quirk", [no_row_or_cell_numbers, comment_in_sheet_data, prefixed_namespace, pretty_printed]
)
def test_edits_work_on_sheets_from_other_programs(
    tmp_path: Path, quirk: Callable[[str], str]
) -> None:
    book = register(tmp_path / "crmbook.xlsx", "en")
    patch_member(book, MAILINGS, quirk)
    FileBook(book).apply(
        [
            AppendRows(s.MAILINGS, [[3, "Autumn"]]),
            SetCells(s.MAILINGS, {(2, "B"): "Spring"}),
            MarkCells(s.MAILINGS, [(3, "B")]),
            ClearMarks(s.MAILINGS),
        ]
    )
    got = calamine.CalamineWorkbook.from_path(str(book)).get_sheet_by_name("Mailings").to_python()
    assert [r[:2] for r in got] == [
        ["Mailing ID", "Campaign"],
        [1.0, "Spring"],
        [2.0, "Vår 2025"],
        [3.0, "Autumn"],
    ]
    with zipfile.ZipFile(book) as z:
        assert 'ref="A1:J4"' in z.read("xl/tables/table1.xml").decode()
