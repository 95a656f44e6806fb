"""A small fake of the xlwings API subset that LiveBook and crmbook.excel use.

It is a stand-in for Excel, not Excel: it copies the habits that matter to crmbook — numbers
come back as floats, dates as date-times, blanks as None; text that looks like a number, a
boolean or a date is converted, and text starting with ``=``, ``+``, ``-`` or ``@`` is taken
as a formula, unless the text starts with an apostrophe; the used range starts at the first
used cell and counts coloured cells; a single-row or single-cell read is not a list of lists
unless ``options(ndim=2)`` asks for it. Only ``=HYPERLINK("#…","text")`` formulas (the text
may be a number) are known.
Charts keep what they were given (position, type, source range, title) and draw nothing; every
column is 48 points wide and every row 15 points high, as in a new workbook. Questions
(``app.alert`` with buttons other than "ok") take their answers from ``app.answers``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from crmbook.book import layout

_NUMBER = re.compile(r"\s*[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?%?\s*")
_DATE = re.compile(r"\s*\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?\s*")
_HYPERLINK = re.compile(r'=HYPERLINK\("#((?:[^"]|"")*)",(?:"((?:[^"]|"")*)"|(-?[0-9]+))\)')
COLUMN_POINTS, ROW_POINTS = 48.0, 15.0
#: More cells than this in one ``range.value`` is a read that hangs Excel (or runs out of memory).
MAX_HANDED_OVER = 5_000_000


class FormulaWritten(AssertionError):
    """The code under test gave Excel text that Excel would have taken as a formula."""


@dataclass
class Link:
    """A HYPERLINK formula: Excel shows ``text``."""

    location: str
    text: str | float


def stored(value: object) -> object:
    """What Excel keeps when ``range.value = value``."""
    if isinstance(value, str):
        if value.startswith("'"):
            return value[1:]
        found = _HYPERLINK.fullmatch(value)
        if found:
            location, text, number = found.groups()
            shown = float(number) if number else text.replace('""', '"')
            return Link(location.replace('""', '"'), shown)
        if _NUMBER.fullmatch(value):
            return float(value.strip().rstrip("%").replace(",", "."))
        if value[:1] in ("=", "+", "-", "@") and len(value) > 1:
            raise FormulaWritten(value)
        if value.upper() in ("TRUE", "FALSE"):
            return value.upper() == "TRUE"
        if _DATE.fullmatch(value):
            return dt.datetime(2000, 1, 1)  # Excel would read some date; any date shows the harm
        return value or None
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    raise TypeError(f"Excel cannot take {value!r}")


def shown(value: object) -> object:
    """What reading a cell gives back."""
    return value.text if isinstance(value, Link) else value


def _cell(ref: str) -> tuple[int, int]:
    found = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref.upper())
    assert found, ref
    return int(found.group(2)), layout.column_index(found.group(1)) + 1


class Range:
    def __init__(self, sheet: Sheet, r1: int, c1: int, r2: int, c2: int, ndim: int = 0) -> None:
        self.sheet, self.r1, self.c1, self.r2, self.c2, self._ndim = sheet, r1, c1, r2, c2, ndim

    row = property(lambda self: self.r1)
    column = property(lambda self: self.c1)
    last_cell = property(lambda self: Range(self.sheet, self.r2, self.c2, self.r2, self.c2))

    left = property(lambda self: (self.c1 - 1) * COLUMN_POINTS)
    top = property(lambda self: (self.r1 - 1) * ROW_POINTS)

    @property
    def address(self) -> str:
        corners = {(self.r1, self.c1), (self.r2, self.c2)}
        return ":".join(f"${layout.column_letter(c - 1)}${r}" for r, c in sorted(corners))

    def options(self, ndim: int = 0, err_to_str: bool = False) -> Range:
        return Range(self.sheet, self.r1, self.c1, self.r2, self.c2, ndim)

    def end(self, direction: str) -> Range:
        """Ctrl+Up from this cell: the next filled cell above (row 1 when there is none)."""
        assert direction == "up", direction
        row = self.r1 - 1
        while row > 1 and self.sheet.cells.get((row, self.c1)) is None:
            row -= 1
        return Range(self.sheet, max(row, 1), self.c1, max(row, 1), self.c1)

    def insert(self, shift: str) -> None:
        """Insert cells here, moving the cells below down; a table the rows go into grows."""
        assert shift == "down", shift
        count = self.r2 - self.r1 + 1
        for store in (self.sheet.cells, self.sheet.colors, self.sheet.formats):
            moved = {
                (r + count if r >= self.r1 and self.c1 <= c <= self.c2 else r, c): v
                for (r, c), v in store.items()
            }
            store.clear()
            store.update(moved)
        for table in self.sheet.tables:
            whole = table.range
            if whole.r1 < self.r1 <= whole.r2:
                table.range = Range(self.sheet, whole.r1, whole.c1, whole.r2 + count, whole.c2)

    @property
    def value(self) -> Any:
        cells = (self.r2 - self.r1 + 1) * (self.c2 - self.c1 + 1)
        assert cells <= MAX_HANDED_OVER, f"Excel would hand over {cells:,} cells and hang"
        grid = [
            [shown(self.sheet.cells.get((r, c))) for c in range(self.c1, self.c2 + 1)]
            for r in range(self.r1, self.r2 + 1)
        ]
        if self._ndim == 2:
            return grid
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        if len(grid) == 1:
            return grid[0]
        return [row[0] for row in grid] if self.c1 == self.c2 else grid

    @value.setter
    def value(self, value: Any) -> None:
        self.sheet.writes += 1
        if isinstance(value, list | tuple):
            rows = value if value and isinstance(value[0], list | tuple) else [value]
            for i, row in enumerate(rows):
                for j, v in enumerate(row):
                    self.sheet.put(self.r1 + i, self.c1 + j, stored(v))
            return
        for r in range(self.r1, self.r2 + 1):
            for c in range(self.c1, self.c2 + 1):
                self.sheet.put(r, c, stored(value))

    @property
    def color(self) -> tuple[int, int, int] | None:
        assert (self.r1, self.c1) == (self.r2, self.c2), "mixed colours read as None in Excel"
        return self.sheet.colors.get((self.r1, self.c1))

    @color.setter
    def color(self, rgb: tuple[int, int, int] | None) -> None:
        for r in range(self.r1, self.r2 + 1):
            for c in range(self.c1, self.c2 + 1):
                if rgb is None:
                    self.sheet.colors.pop((r, c), None)
                else:
                    self.sheet.colors[(r, c)] = tuple(rgb)

    def clear_contents(self) -> None:
        for r in range(self.r1, self.r2 + 1):
            for c in range(self.c1, self.c2 + 1):
                self.sheet.cells.pop((r, c), None)

    def _cells(self) -> list[tuple[int, int]]:
        return [(r, c) for r in range(self.r1, self.r2 + 1) for c in range(self.c1, self.c2 + 1)]

    def _set_format(self, name: str, value: object) -> None:
        for cell in self._cells():
            self.sheet.formats.setdefault(cell, {})[name] = value

    def clear_formats(self) -> None:
        for cell in self._cells():
            self.sheet.formats.pop(cell, None)
            self.sheet.colors.pop(cell, None)

    @property
    def font(self) -> Font:
        return Font(self)

    number_format = property(
        lambda self: self.sheet.formats.get((self.r1, self.c1), {}).get("number_format"),
        lambda self, value: self._set_format("number_format", value),
    )

    @property
    def column_width(self) -> float | None:
        return self.sheet.widths.get(self.c1)

    @column_width.setter
    def column_width(self, width: float) -> None:
        for c in range(self.c1, self.c2 + 1):
            self.sheet.widths[c] = width


class Font:
    """A range's font: what is set is kept per cell in ``Sheet.formats`` as 'font.bold' etc."""

    def __init__(self, cells: Range) -> None:
        object.__setattr__(self, "_cells", cells)

    def __setattr__(self, name: str, value: object) -> None:
        self._cells._set_format(f"font.{name}", value)

    def __getattr__(self, name: str) -> object:
        cells = object.__getattribute__(self, "_cells")
        return cells.sheet.formats.get((cells.r1, cells.c1), {}).get(f"font.{name}")


@dataclass
class Union:
    """A range of several areas ("A4:A9,C4:C9"): its address, and formats set on every area
    (Excel takes at most 255 characters of address)."""

    areas: list[Range]

    def __post_init__(self) -> None:
        assert len(self.address.replace("$", "")) <= 255, "Excel refuses an address this long"

    @property
    def address(self) -> str:
        return ",".join(area.address for area in self.areas)

    def __setattr__(self, name: str, value: object) -> None:
        if name == "areas":
            object.__setattr__(self, name, value)
            return
        for area in self.areas:
            setattr(area, name, value)

    @property
    def font(self) -> UnionFont:
        return UnionFont(self.areas)


class UnionFont:
    def __init__(self, areas: list[Range]) -> None:
        object.__setattr__(self, "_areas", areas)

    def __setattr__(self, name: str, value: object) -> None:
        for area in self._areas:
            setattr(area.font, name, value)


class Chart:
    """A chart object: xlwings' ``Chart`` properties that crmbook sets, and ``delete``."""

    def __init__(self, charts: Charts, name: str, box: tuple[float, float, float, float]) -> None:
        self._charts = charts
        self.name = name
        self.left, self.top, self.width, self.height = box
        self.chart_type = "column_clustered"
        self.source: Range | Union | None = None
        self._title: str | None = None
        self._plot_by = "rows"

    title = property(lambda self: self._title, lambda self, v: setattr(self, "_title", v))
    plot_by = property(lambda self: self._plot_by, lambda self, v: setattr(self, "_plot_by", v))

    def set_source_data(self, source: Range | Union) -> None:
        self.source = source

    def delete(self) -> None:
        self._charts.remove(self)


class Charts(list):
    """A sheet's charts, added with xlwings' positional ``add(left, top, width, height)``."""

    def add(
        self, left: float = 0, top: float = 0, width: float = 355, height: float = 211
    ) -> Chart:
        chart = Chart(self, f"Chart {len(self) + 1}", (left, top, width, height))
        self.append(chart)
        return chart

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return next(chart for chart in self if chart.name == key)
        return super().__getitem__(key)


@dataclass
class Table:
    range: Range
    show_totals: bool = False

    def resize(self, new: Range) -> None:
        self.range = new

    @property
    def totals_row_range(self) -> Range | None:
        if not self.show_totals:
            return None
        r = self.range
        return Range(r.sheet, r.r2, r.c1, r.r2, r.c2)


class Sheet:
    def __init__(self, name: str) -> None:
        self.name = name
        self.cells: dict[tuple[int, int], object] = {}
        self.colors: dict[tuple[int, int], tuple[int, ...]] = {}
        self.formats: dict[tuple[int, int], dict[str, object]] = {}
        self.widths: dict[int, float] = {}
        self.tables: list[Table] = []
        self.charts = Charts()
        self.visible = True
        self.writes = 0
        self.activations = 0

    def to_pdf(self, path: str) -> str:
        """Excel's PDF export of the sheet: here a small PDF-like file of its cells' texts."""
        texts = " ".join(str(self.cells[k]) for k in sorted(self.cells))
        Path(path).write_bytes(b"%PDF-1.4\n% fake Excel export\n" + texts.encode("utf-8"))
        return path

    def activate(self) -> None:
        """Excel shows the sheet (a hidden sheet cannot be activated)."""
        assert self.visible, f"Excel cannot activate the hidden sheet {self.name}"
        self.activations += 1

    def put(self, row: int, col: int, value: object) -> None:
        if value is None:
            self.cells.pop((row, col), None)
        else:
            self.cells[(row, col)] = value

    def range(self, first: Any, last: Any = None) -> Any:
        if isinstance(first, str) and "," in first:
            return Union([self.range(area) for area in first.split(",")])
        if isinstance(first, str):
            a, _, b = first.partition(":")
            first, last = _cell(a), _cell(b) if b else None
        last = last or first
        return Range(self, first[0], first[1], last[0], last[1])

    @property
    def used_range(self) -> Range:
        used = set(self.cells) | set(self.colors) | set(self.formats)  # as Excel counts it
        if not used:
            return Range(self, 1, 1, 1, 1)
        rows, cols = [r for r, _ in used], [c for _, c in used]
        return Range(self, min(rows), min(cols), max(rows), max(cols))

    def values(self) -> dict[str, object]:
        """Every non-empty cell as {"C5": value shown}."""
        return {f"{layout.column_letter(c - 1)}{r}": shown(v) for (r, c), v in self.cells.items()}


class Sheets(list):
    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            for sheet in self:
                if sheet.name.lower() == key.lower():
                    return sheet
            raise KeyError(key)
        return super().__getitem__(key)

    def add(self, name: str, after: Sheet | None = None) -> Sheet:
        sheet = Sheet(name)
        self.insert(self.index(after) + 1 if after is not None else 0, sheet)
        return sheet


class App:
    def __init__(self) -> None:
        self.screen_updating = True
        self.alerts: list[tuple[str, str | None, str | None]] = []
        self.statuses: list[Any] = []
        self.answers: list[str] = []
        self.questions: list[tuple[str, str]] = []

    @property
    def status_bar(self) -> Any:
        return self.statuses[-1] if self.statuses else False

    @status_bar.setter
    def status_bar(self, value: Any) -> None:
        self.statuses.append(value)

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok",
              mode: str | None = None, callback: str | None = None) -> str:  # fmt: skip
        if buttons != "ok":
            assert self.answers, f"a question nobody answered: {prompt}"
            self.questions.append((prompt, buttons))
            return self.answers.pop(0)
        self.alerts.append((prompt, title, mode))
        return "ok"


class Book:
    def __init__(self, fullname: Path) -> None:
        self.fullname = str(fullname)
        self.name = fullname.name
        self.app = App()
        self.sheets = Sheets()


def load(path: Path) -> Book:
    """A fake open book with the values, and tables, of an .xlsx file (as Excel would hold them)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    book = Book(path)
    for ws in wb.worksheets:
        sheet = Sheet(ws.title)
        for c in ws._cells.values():  # the cells there are: a stray one far away costs nothing
            if c.value is not None and c.value != "":
                sheet.put(c.row, c.column, _as_excel(c.value))
        for table in ws.tables.values():
            a, b = table.ref.split(":")
            totals = bool(table.totalsRowCount)
            sheet.tables.append(Table(sheet.range(_cell(a), _cell(b)), totals))
        book.sheets.append(sheet)
    return book


def _as_excel(value: object) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


class Module:
    """Stands in for the ``xlwings`` module: ``Book.caller()`` gives the fake book."""

    def __init__(self, book: Book) -> None:
        caller = book

        class _Book:
            @staticmethod
            def caller() -> Book:
                return caller

        self.Book = _Book
