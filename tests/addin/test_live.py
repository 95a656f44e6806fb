"""The live port against a fake of xlwings (tests/addin/fakexl.py), compared with the file port.

Limitation: this is a fake of the xlwings calls LiveBook makes, with Excel's habits that matter
copied in; real Excel is covered by the manual checklist (docs/excel-checklist.md).
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from crmbook.book import layout, live, live_charts
from crmbook.book.filebook import FileBook
from crmbook.book.reader import read_register
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core.edits import (
    AppendRows,
    Chart,
    ClearMarks,
    ClearRows,
    EnsureSheet,
    Link,
    MarkCells,
    ReplaceCharts,
    ReplaceRows,
    SetCells,
)
from tests.addin import fakexl


@pytest.fixture(scope="module", params=["nb", "en"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp(f"demo-{request.param}") / "register.xlsx"
    args = ["new", str(path), "--lang", request.param, "--demo", "40", "--seed", "3"]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    return path


def copy(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(path, folder / path.name))


def file_values(path: Path, sheet: str) -> dict[str, object]:
    """Non-empty cells of a sheet of a file, as the fake holds them (floats, date-times)."""
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    return {
        c.coordinate: fakexl._as_excel(c.value)
        for row in ws.iter_rows()
        for c in row
        if c.value not in (None, "")
    }


def test_live_read_gives_the_same_register_as_the_file_reader(demo: Path) -> None:
    from_file = read_register(demo, s.DATA_SHEETS)
    from_excel = live.LiveBook(fakexl.load(demo)).read(s.DATA_SHEETS)
    assert (from_excel.lang, from_excel.lists, from_excel.settings) == (
        from_file.lang,
        from_file.lists,
        from_file.settings,
    )
    for key, sheet in from_file.sheets.items():
        other = from_excel.sheets[key]
        assert (other.name, other.columns, other.headers) == (
            sheet.name,
            sheet.columns,
            sheet.headers,
        )
        pd.testing.assert_frame_equal(other.frame, sheet.frame)


def test_used_range_not_starting_at_a1_still_reads_from_a1() -> None:
    book = fakexl.Book(Path("b.xlsx"))
    sheet = book.sheets.add("Customers")
    sheet.put(3, 2, "x")
    assert sheet.used_range.row == 3
    assert live.sheet_rows(sheet) == [["", ""], ["", ""], ["", "x"]]


EDITS = [
    EnsureSheet(s.REPORT, ["Campaign", "Letters"]),
    ReplaceRows(s.REPORT, [["Spring", 12], ["=1+1", "0150"], ["-5 kr", "@home"]]),
    SetCells(s.CUSTOMERS, {(2, "B"): "New name", (3, "I"): "0150", (4, "O"): 1234.5}),
    AppendRows(s.PURCHASES, [[1, dt.date(2026, 11, 22), "Conference", 5000, "1-9"]]),
    ReplaceRows(s.ISSUES, [["Customers", 2, "B", Link("Customers!B2", "'Kunder'!B2")]]),
    ClearRows(s.CUSTOMERS, [5, 6]),
]


def test_edits_leave_the_same_values_as_the_file_port(demo: Path, tmp_path: Path) -> None:
    on_file = copy(demo, tmp_path / "file")
    FileBook(on_file).apply(EDITS)
    book = fakexl.load(demo)
    live.LiveBook(book).apply(EDITS)  # the fake raises if text would have become a formula
    for sheet in book.sheets:
        if sheet.name != live.MARKS_SHEET:
            assert sheet.values() == file_values(on_file, sheet.name), sheet.name


def test_text_is_written_as_text_whatever_it_looks_like() -> None:
    book = fakexl.Book(Path("b.xlsx"))
    sheet = book.sheets.add("Report")
    texts = ["=SUM(A1)", "+47 22 00 00 00", "-5", "@x", "0150", "TRUE", "1-9", "22.11.2026"]
    live.LiveBook(book).apply([ReplaceRows(s.REPORT, [[t] for t in texts], first_row=1)])
    assert [sheet.cells[(r, 1)] for r in range(1, len(texts) + 1)] == texts


def test_numbers_of_any_kind_reach_excel_as_plain_numbers() -> None:
    values = [np.int64(7), np.float64(2.5), Decimal("1.25"), 3, True]
    converted = [live.excel_value(v) for v in values]
    assert converted == [7, 2.5, 1.25, 3, True]
    assert [type(v) for v in converted] == [int, float, float, int, bool]


def test_a_value_excel_cannot_hold_stops_before_any_write() -> None:
    book = fakexl.Book(Path("b.xlsx"))
    sheet = book.sheets.add("Report")
    edits = [SetCells(s.REPORT, {(2, "A"): "ok"}), SetCells(s.REPORT, {(3, "A"): "x" * 40_000})]
    with pytest.raises(live.LiveWriteError):
        live.LiveBook(book).apply(edits)
    assert sheet.writes == 0


def test_tables_follow_the_rows(demo: Path) -> None:
    book = fakexl.load(demo)
    port = live.LiveBook(book)
    sheet = book.sheets[port.read().sheet_name(s.PURCHASES)]
    table = sheet.tables[0]
    before = table.range.last_cell.row
    port.apply([AppendRows(s.PURCHASES, [[1, dt.date(2026, 1, 2), "Banquet", 10]] * 3)])
    assert table.range.last_cell.row == before + 3
    port.apply([ReplaceRows(s.PURCHASES, [])])
    assert (table.range.row, table.range.last_cell.row) == (1, 2)


def test_clear_rows_blanks_the_rows_whole_used_width() -> None:
    book = fakexl.Book(Path("b.xlsx"))
    sheet = book.sheets.add("Kunder")
    for row in (1, 2, 3):
        sheet.put(row, 1, f"a{row}")
        sheet.put(row, 30, f"user's own {row}")  # a column far right that crmbook does not know
    sheet.range("B2").color = (0, 128, 0)
    live.LiveBook(book).apply([ClearRows(s.CUSTOMERS, [2])])
    assert sheet.values() == {"A1": "a1", "AD1": "user's own 1", "A3": "a3", "AD3": "user's own 3"}
    assert sheet.colors == {(2, 2): (0, 128, 0)}, "formats stay"


def test_marks_are_remembered_and_cleared(demo: Path) -> None:
    book = fakexl.load(demo)
    port = live.LiveBook(book)
    customers = book.sheets[port.read().sheet_name(s.CUSTOMERS)]
    customers.range("D2").color = (0, 128, 0)  # the user's own fill, never marked
    port.apply([MarkCells(s.CUSTOMERS, [(2, "B"), (3, "C")])])
    assert customers.colors == {(2, 4): (0, 128, 0), (2, 2): live.MARK_RGB, (3, 3): live.MARK_RGB}
    assert book.sheets[live.MARKS_SHEET].visible is False
    customers.range("C3").color = (255, 255, 0)  # the user re-coloured a marked cell
    port.apply([ClearMarks(s.CUSTOMERS)])
    assert customers.colors == {(2, 4): (0, 128, 0), (3, 3): (255, 255, 0)}
    assert book.sheets[live.MARKS_SHEET].values() == {}


def test_status_bar_shows_progress_in_the_workbook_language(demo: Path) -> None:
    seen: list[str] = []
    port = live.LiveBook(fakexl.load(demo), seen.append)
    lang = port.read().lang
    port.apply([SetCells(s.CUSTOMERS, {(2, "X"): "note"})])
    assert seen == (
        ["Leser arbeidsboka…", "Skriver til arbeidsboka…"]
        if lang == "nb"
        else ["Reading the workbook…", "Writing to the workbook…"]
    )


TODAY = dt.date(2026, 11, 24)


def report_sheet(book: fakexl.Book) -> fakexl.Sheet:
    return book.sheets[layout.find_sheet(s.REPORT, [sheet.name for sheet in book.sheets])]


def crmbook_charts(sheet: fakexl.Sheet) -> list[fakexl.Chart]:
    return [c for c in sheet.charts if c.name.startswith("crmbook chart")]


def test_report_charts_are_replaced_and_the_users_chart_stays(demo: Path) -> None:
    from crmbook.actions import report

    book = fakexl.load(demo)
    port = live.LiveBook(book)
    report.run(port, TODAY)
    sheet = report_sheet(book)
    mine = sheet.charts.add(600, 10, 300, 200)
    mine.name = "Budget"
    report.run(port, TODAY)
    assert [c.name for c in sheet.charts] == [
        "Budget",
        *(f"crmbook chart {n}" for n in range(1, 7)),
    ]
    first, second = crmbook_charts(sheet)[:2]
    assert first.left == 0 and second.left == 4 * fakexl.COLUMN_POINTS  # anchored at A and E
    assert first.top == second.top > 0
    assert (round(first.width), round(first.height)) == (354, 213)  # 12.5 × 7.5 cm
    assert {c.chart_type for c in (first, second)} == {"column_clustered"}
    assert {c.plot_by for c in (first, second)} == {"columns"}
    assert first.title and second.title and first.title != second.title


def test_a_chart_is_drawn_from_its_columns_with_the_header_row(demo: Path) -> None:
    from crmbook.actions import report

    book = fakexl.load(demo)
    port = live.LiveBook(book)
    report.run(port, TODAY)
    sheet = report_sheet(book)
    _, campaigns = crmbook_charts(sheet)[:2]
    areas = campaigns.source.areas  # categories, then one area per series
    assert len(areas) == 3 and {a.c1 == a.c2 for a in areas} == {True}
    headers = [sheet.cells[(a.r1, a.c1)] for a in areas]
    assert headers[1:] in (
        ["Response rate (%)", "Positive rate (%)"],
        ["Svarprosent (%)", "Andel positive (%)"],
    )
    assert all(isinstance(sheet.cells[(a.r2, a.c1)], float) for a in areas[1:])


def test_a_bar_chart_and_no_charts() -> None:
    book = fakexl.Book(Path("b.xlsx"))
    sheet = book.sheets.add("Report")
    chart = Chart("Top", "A5:A9", [("2026", "C5:C9")], "B3", kind="bar")
    live.LiveBook(book).apply([ReplaceCharts(s.REPORT, [chart])])
    (made,) = sheet.charts
    assert (made.chart_type, made.source.address) == ("bar_clustered", "$A$4:$A$9,$C$4:$C$9")
    assert (made.left, made.top) == (fakexl.COLUMN_POINTS, 2 * fakexl.ROW_POINTS)
    live.LiveBook(book).apply([ReplaceCharts(s.REPORT, [])])
    assert list(sheet.charts) == []


class _WindowsChart:
    """An older xlwings' chart (no ``title`` or ``plot_by``) with pywin32's ``api``."""

    def __init__(self) -> None:
        self.name, self.chart_type, self.source = "Chart 1", "", None
        self.com = SimpleNamespace(HasTitle=False, ChartTitle=SimpleNamespace(Text=""), PlotBy=1)
        self.api = (None, self.com)

    def set_source_data(self, source: object) -> None:
        self.source = source


class _MacChart(_WindowsChart):
    """An older xlwings' chart on macOS: ``api`` is an AppleScript reference, not COM."""

    @property  # type: ignore[override]
    def api(self) -> object:
        raise AttributeError("no COM here")

    @api.setter
    def api(self, _value: object) -> None:
        pass


@pytest.mark.parametrize("kind", [_WindowsChart, _MacChart])
def test_title_and_series_by_column_through_the_api_or_not_at_all(kind: type) -> None:
    sheet = fakexl.Sheet("Report")
    made = kind()
    sheet.charts.add = lambda *box: made  # type: ignore[method-assign]
    live_charts.add_chart(sheet, Chart("Sales", "A5:A9", [("2026", "C5:C9")], "A3"), "crmbook 1")
    assert made.name == "crmbook 1" and made.source.address == "$A$4:$A$9,$C$4:$C$9"
    if kind is _WindowsChart:
        assert (made.com.HasTitle, made.com.ChartTitle.Text, made.com.PlotBy) == (True, "Sales", 2)


def test_live_and_file_charts_share_a_name() -> None:
    from crmbook.book.xlsx import charts

    assert live_charts.is_crmbooks(f"{charts.NAME} 2")
    assert not live_charts.is_crmbooks("crmbook charts of mine")


def test_excel_error_cells_are_read_as_errors_like_the_file_reader_does() -> None:
    from crmbook.core.register import ExcelError

    book = fakexl.Book(Path("b.xlsx"))
    sheet = book.sheets.add("Customers")
    sheet.put(1, 1, "#DIV/0!")  # what xlwings gives for an error cell with err_to_str=True
    sheet.put(1, 2, "#hashtag")
    (row,) = live.sheet_rows(sheet)
    assert isinstance(row[0], ExcelError) and row[0] == "#DIV/0!"
    assert not isinstance(row[1], ExcelError)
