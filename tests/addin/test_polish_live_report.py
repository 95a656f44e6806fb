"""The Report button in Excel gives the Report the same look as the command line: styled title,
section bands, table headers, number formats and fitted columns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crmbook.actions import report
from crmbook.book import live
from crmbook.book.builder import create
from tests.addin import fakexl

TODAY = dt.date(2026, 11, 24)
ACCENT, LIGHT = (0x1F, 0x4E, 0x79), (0xDD, 0xEB, 0xF7)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return create(tmp_path_factory.mktemp("live") / "b.xlsx", demo=60, templates=False)


def _row_of(sheet: fakexl.Sheet, text: str) -> int:
    return next(r for (r, c), v in sheet.cells.items() if c == 1 and v == text)


def test_the_live_report_has_the_report_look(demo: Path) -> None:
    book = fakexl.load(demo)
    report.run(live.LiveBook(book), TODAY)
    sheet = book.sheets["Rapport"]
    title = sheet.range("A1")
    assert title.font.bold and title.font.size == 16 and title.font.color == ACCENT
    heading = _row_of(sheet, "Nøkkeltall")
    assert sheet.range((heading, 1)).color == ACCENT == sheet.range((heading, 5)).color
    assert sheet.range((heading, 1)).font.color == (255, 255, 255)
    header = _row_of(sheet, "Produkt")
    assert sheet.range((header, 2)).color == LIGHT and sheet.range((header, 2)).font.bold
    total = _row_of(sheet, "Kjøp totalt (NOK)")
    assert sheet.range((total, 2)).number_format == "#,##0"
    assert sheet.range((header + 1, 1)).font.bold is None  # the data under the header is plain
    assert all(9 <= sheet.widths[c] <= 32 for c in range(1, 10))


def test_a_rerun_leaves_no_look_of_the_last_run_behind(demo: Path) -> None:
    book = fakexl.load(demo)
    port = live.LiveBook(book)
    report.run(port, TODAY)
    sheet = book.sheets["Rapport"]
    first = dict(sheet.formats)
    sheet.range((300, 1)).font.bold = True  # a format below the report, e.g. an older one
    report.run(port, TODAY)
    assert sheet.formats == first
