"""LibreOffice, an independent program, opens the built registers and sees what Excel would:
every sheet, the headers, the dropdowns and the list values behind them."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from crmbook.book import builder, layout
from crmbook.core import schema as s
from tests.office import convert, needs_office

pytestmark = [pytest.mark.libreoffice, needs_office]

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
T = f"{{{NS['table']}}}"
MAX_ROWS = 40  # enough for headers, lists and the first demo rows


Cell = tuple[str, str | None]  # (text, name of its content validation)


def _cells(row: etree._Element) -> list[Cell]:
    values: list[Cell] = []
    for cell in row:
        if cell.tag not in (f"{T}table-cell", f"{T}covered-table-cell"):
            continue
        text = "\n".join("".join(p.itertext()) for p in cell.findall("text:p", NS))
        repeat = min(int(cell.get(f"{T}number-columns-repeated", "1")), 64)
        values += [(text, cell.get(f"{T}content-validation-name"))] * repeat
    return values


def _grids(content: etree._Element) -> dict[str, list[list[Cell]]]:
    """Sheet name -> its first rows of cells."""
    grids = {}
    for table in content.iter(f"{T}table"):
        rows: list[list[Cell]] = []
        for row in table.iter(f"{T}table-row"):
            repeat = int(row.get(f"{T}number-rows-repeated", "1"))
            rows += [_cells(row)] * min(repeat, MAX_ROWS - len(rows))
            if len(rows) >= MAX_ROWS:
                break
        grids[table.get(f"{T}name")] = rows
    return grids


def _column(grid: list[list[Cell]], letter: str, first: int, last: int) -> list[str]:
    i = layout.column_index(letter)
    return [grid[r - 1][i][0] for r in range(first, last + 1)]


@pytest.fixture(scope="module")
def opened(books: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every built register converted to .ods by one soffice call."""
    out = tmp_path_factory.mktemp("ods")
    convert(list(books.values()), "ods", out / "files", profile=out / "profile")
    return {name: out / "files" / f"{path.stem}.ods" for name, path in books.items()}


@pytest.mark.parametrize("name", ["nb", "en", "demo-nb"])
def test_libreoffice_sees_sheets_headers_dropdowns_and_lists(
    opened: dict[str, Path], name: str
) -> None:
    lang = name[-2:]
    content = etree.fromstring(zipfile.ZipFile(opened[name]).read("content.xml"))
    grids = _grids(content)
    assert list(grids) == [layout.sheet_name(sheet, lang) for sheet in builder.SHEET_ORDER]
    for sheet in (s.CUSTOMERS, s.PURCHASES, s.MAILINGS, s.SELECTIONS, s.RECIPIENTS, s.ISSUES):
        headers = layout.headers(sheet, lang)
        row1 = grids[layout.sheet_name(sheet, lang)][0]
        assert [text for text, _ in row1[: len(headers)]] == headers

    ranges = {
        r.get(f"{T}name"): r.get(f"{T}cell-range-address") for r in content.iter(f"{T}named-range")
    }
    lists = grids[layout.sheet_name(s.LISTS, lang)]
    for key, (_title, values) in builder.list_columns(lang).items():
        address = ranges[layout.range_name(key)]  # e.g. $Lister.$A$2:.$A$3
        letter, first, last = re.fullmatch(r"\$.+\.\$(\w+)\$(\d+):\.\$\w+\$(\d+)", address).groups()
        assert _column(lists, letter, int(first), int(last)) == values

    conditions = {
        v.get(f"{T}name"): v.get(f"{T}condition") for v in content.iter(f"{T}content-validation")
    }
    row2 = grids[layout.sheet_name(s.CUSTOMERS, lang)][1]
    for i, f in enumerate(s.SHEET_FIELDS[s.CUSTOMERS]):
        if f.list_name:
            wanted = f"of:cell-content-is-in-list({layout.range_name(f.list_name)})"
            assert conditions[row2[i][1]] == wanted, f.name
