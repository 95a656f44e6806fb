"""The workbook port on a workbook open in Excel, through xlwings (DESIGN decision 3).

Reads take each sheet in one bulk ``range.value`` call and hand the rows, in python-calamine's
shape, to the file reader's own code, so both ports build the same Register. Writes are bulk
too: one ``range.value`` per block of rows; Excel does the saving.

Choices a user can see:

* Text is written with a leading apostrophe, Excel's "this is text" prefix: without it Excel
  turns ``=…`` into a formula and ``0150`` or ``1-9`` into a number or a date. The apostrophe
  is not part of the value (it shows only in the formula bar).
* Links (``edits.Link``) become ``HYPERLINK`` formulas, so a whole sheet is still one write.
* Charts (``edits.ReplaceCharts``) are native Excel charts on the sheet's own cells, named like
  the file writer's, so either port replaces the other's and leaves the user's (live_charts).
* Problem marks are the file writer's fill colour. The cells marked are remembered on a hidden
  sheet, ``crmbook.marks``, so that clearing needs no scan of the sheet; clearing removes the
  fill from those cells that still have the mark colour (a cell's own fill under a mark is not
  restored). Marks made by the command line are cleared by the command line.

Edits are checked (every value convertible) before the first cell is written; after that, a
failure can leave part of the edits done, as Excel has no transaction a program can use.
xlwings itself is never imported here: the port works on the objects it is given.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from crmbook.book import layout, live_charts, live_format, reader
from crmbook.core import schema as s
from crmbook.core.edits import (
    AppendRows,
    ClearMarks,
    ClearRows,
    Edit,
    EnsureSheet,
    Link,
    MarkCells,
    ReplaceCharts,
    ReplaceRows,
    SetCells,
    Styled,
)
from crmbook.core.i18n import say
from crmbook.core.register import ExcelError, Register
from crmbook.errors import BookReadError, CrmbookError

MARK_RGB = (0xFF, 0xC7, 0xCE)  # the file writer's MARK_COLOR, FFC7CE
MARKS_SHEET = "crmbook.marks"
MAX_TEXT = 32767  # characters Excel holds in one cell


class LiveWriteError(CrmbookError, ValueError):
    """A value Excel cannot hold; nothing was written."""

    exit_code = 1


class LiveBook:
    """A register open in Excel, given as an xlwings ``Book`` (from ``xw.Book.caller()``).

    ``progress`` receives short texts for Excel's status bar.
    """

    def __init__(self, book: Any, progress: Callable[[str], None] | None = None) -> None:
        self.book = book
        self._progress = progress or (lambda _text: None)

    def _names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def read(self, sheets: Iterable[str] = s.DATA_SHEETS, *, strict: bool = True) -> Register:
        """The register's data sheets, lists and settings, read with the file reader's code."""
        names = self._names()
        lang = layout.detect_lang(names)
        self._progress(say(lang, "Reading the workbook…", "Leser arbeidsboka…"))
        return reader.read_book(
            _Rows(self.book), names, Path(self.book.fullname), sheets, strict=strict
        )

    def check_writable(self) -> None:
        """Nothing to check: Excel holds the open workbook and saves it itself."""

    def apply(self, edits: Sequence[Edit]) -> None:
        """Carry out the edits in order, every value checked before the first write."""
        if not edits:
            return
        names = self._names()
        lang = layout.detect_lang(names)
        ready = [_converted(edit) for edit in edits]
        looks = [
            e if isinstance(e, ReplaceRows) and live_format.has_roles(e.rows) else None
            for e in edits
        ]
        self._progress(say(lang, "Writing to the workbook…", "Skriver til arbeidsboka…"))
        app = self.book.app
        app.screen_updating = False
        try:
            writer = _Writer(self.book, lang)
            for edit, styled in zip(ready, looks, strict=True):
                writer.run(edit)
                if styled is not None:  # the Report: its look, after its values
                    sheet = writer.sheet(styled.sheet)
                    live_format.format_rows(sheet, styled.first_row, styled.rows)
        finally:
            app.screen_updating = True


class _Rows:
    """The live book's sheets as rows, in the shape the file reader takes."""

    def __init__(self, book: Any) -> None:
        self._book = book

    def rows(self, sheet_name: str) -> list[list[object]]:
        return sheet_rows(self._book.sheets[sheet_name])


def sheet_rows(sheet: Any) -> list[list[object]]:
    """Every row from A1 as far as the real data reaches, as python-calamine gives them.

    Blanks become "", a date-time at midnight becomes a date (calamine reads a date cell as a
    date; Excel hands every date over as a date-time), and a table's totals row reads as blank,
    as in file mode. A used range too large to hand over (a stray value at XFD1048576) is cut
    to the file reader's bounds: the columns up to the last header, the rows up to the last
    one with a value under a header.
    """
    last = sheet.used_range.last_cell
    height, width = last.row, last.column
    if height * width > _DENSE_CELLS:
        height, width = _real_extent(sheet, height, width)
    values = sheet.range((1, 1), (height, width)).options(ndim=2, err_to_str=True).value
    rows = [[_as_read(v) for v in row] for row in values]
    for row in _totals_rows(sheet):
        if 1 < row <= len(rows):
            rows[row - 1] = [""] * len(rows[row - 1])
    return rows


#: A used range up to this many cells is read whole (100,000 rows × 40 columns).
_DENSE_CELLS = 4_000_000


def _real_extent(sheet: Any, height: int, width: int) -> tuple[int, int]:
    """(rows, columns) of the data under the headers: one read of row 1, two calls a header."""
    heads = sheet.range((1, 1), (1, width)).options(ndim=2).value[0]
    named = [c for c, head in enumerate(heads, start=1) if head not in (None, "")]
    if not named:
        return 1, 1
    bottom = 1
    for col in named:
        cell = sheet.range((height, col))
        bottom = max(bottom, height if cell.value not in (None, "") else cell.end("up").row)
    return bottom, named[-1]


def _totals_rows(sheet: Any) -> list[int]:
    """The rows of the sheet's tables that are totals rows (Table Design > Total Row)."""
    found = []
    for table in sheet.tables:
        if table.show_totals and table.totals_row_range is not None:
            found.append(table.totals_row_range.row)
    return found


#: What Excel shows for a broken formula; with ``err_to_str`` xlwings gives these as text.
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
     "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)  # fmt: skip


def _as_read(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value in EXCEL_ERRORS:
        return ExcelError(value)  # as the file reader gives it, so both ports validate alike
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def excel_value(value: object) -> object:
    """A value as it must be given to Excel so that it is stored as that value (module doc)."""
    if isinstance(value, Styled):  # the look is applied separately (_format_styled)
        value = value.value
    if value is None or isinstance(value, bool | dt.date):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)  # numpy's integers too, which the Excel bridges cannot pass
    if isinstance(value, numbers.Real | Decimal):
        if not math.isfinite(float(value)):
            raise LiveWriteError(f"{value} is not a number Excel can hold; nothing was written.")
        return float(value)
    if isinstance(value, Link):
        target = value.location.replace('"', '""')
        text = value.text
        shown = str(text) if isinstance(text, int) else '"' + text.replace('"', '""') + '"'
        return f'=HYPERLINK("#{target}",{shown})'
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise LiveWriteError(
                f"A text of {len(value)} characters does not fit in a cell (Excel holds "
                f"{MAX_TEXT}); nothing was written."
            )
        return f"'{value}" if value else None
    raise LiveWriteError(f"{value!r} cannot be written to a cell; nothing was written.")


def _rows(rows: Sequence[Sequence[object]]) -> list[list[object]]:
    """Rows as a rectangle of Excel values (short rows padded with blanks)."""
    width = max((len(r) for r in rows), default=0)
    return [[excel_value(v) for v in r] + [None] * (width - len(r)) for r in rows]


def _converted(edit: Edit) -> Edit:
    """The edit with every value in Excel's form; raises before anything is written."""
    if isinstance(edit, ReplaceRows):
        header = _rows([edit.header])[0] if edit.header is not None else None
        return ReplaceRows(edit.sheet, _rows(edit.rows), edit.first_row, header)
    if isinstance(edit, AppendRows):
        return AppendRows(edit.sheet, _rows(edit.rows))
    if isinstance(edit, SetCells):
        return SetCells(edit.sheet, {cell: excel_value(v) for cell, v in edit.cells.items()})
    if isinstance(edit, EnsureSheet):
        return EnsureSheet(edit.sheet, _rows([edit.headers])[0])
    return edit


class _Writer:
    """Edits carried out on the live book, one at a time (values already converted)."""

    def __init__(self, book: Any, lang: str) -> None:
        self._book = book
        self._lang = lang

    def run(self, edit: Edit) -> None:
        if isinstance(edit, EnsureSheet):
            self._ensure(edit)
        elif isinstance(edit, ReplaceRows):
            self._replace(edit)
        elif isinstance(edit, AppendRows):
            self._append(edit)
        elif isinstance(edit, SetCells):
            sheet = self._sheet(edit.sheet)
            for (row, letters), value in edit.cells.items():
                sheet.range((row, layout.column_index(letters) + 1)).value = value
        elif isinstance(edit, ClearRows):
            sheet = self._sheet(edit.sheet)
            width = sheet.used_range.last_cell.column
            for row in edit.rows:
                sheet.range((row, 1), (row, width)).clear_contents()
        elif isinstance(edit, MarkCells):
            _Marks(self._book).mark(edit.sheet, self._sheet(edit.sheet), edit.cells)
        elif isinstance(edit, ClearMarks):
            _Marks(self._book).clear(edit.sheet, self._sheet(edit.sheet))
        elif isinstance(edit, ReplaceCharts):
            live_charts.replace_charts(self._sheet(edit.sheet), edit.charts)

    def _ensure(self, edit: EnsureSheet) -> None:
        names = [sheet.name for sheet in self._book.sheets]
        if layout.find_sheet(edit.sheet, names) is not None:
            return
        last = self._book.sheets[len(names) - 1]
        sheet = self._book.sheets.add(layout.sheet_name(edit.sheet, self._lang), after=last)
        if edit.headers:
            _write(sheet, 1, [edit.headers])

    def _append(self, edit: AppendRows) -> None:
        """Rows below the last one with a value; above a table's totals row, which stays last."""
        sheet = self._sheet(edit.sheet)
        rows = sheet_rows(sheet)
        first = max(_last_value_row(rows), 1) + 1
        last = first + len(edit.rows) - 1
        if edit.rows and any(row >= first for row in _totals_rows(sheet)):
            sheet.range((first, 1), (last, len(rows[0]))).insert("down")
        _write(sheet, first, edit.rows)
        _fit_tables(sheet, last)

    def _replace(self, edit: ReplaceRows) -> None:
        sheet = self._sheet(edit.sheet)
        if edit.header is not None:
            _write(sheet, 1, [edit.header])
        last = sheet.used_range.last_cell
        if last.row >= edit.first_row:
            sheet.range((edit.first_row, 1), (last.row, last.column)).clear_contents()
        _write(sheet, edit.first_row, edit.rows)
        _fit_tables(sheet, edit.first_row + len(edit.rows) - 1)

    def sheet(self, key: str) -> Any:
        """The live sheet of an English sheet key."""
        return self._sheet(key)

    def _sheet(self, key: str) -> Any:
        name = layout.find_sheet(key, [sheet.name for sheet in self._book.sheets])
        if name is None:
            raise BookReadError(
                say(
                    self._lang,
                    "The sheet '{sheet}' is missing. Add it back (copy it from a workbook made "
                    "by `crmbook new`).",
                    "Arket «{sheet}» mangler. Legg det inn igjen (kopier det fra en arbeidsbok "
                    "laget med `crmbook new`).",
                    sheet=layout.sheet_name(key, self._lang),
                )
            )
        return self._book.sheets[name]


def _write(sheet: Any, first_row: int, rows: Sequence[Sequence[object]]) -> None:
    """One bulk write of a rectangle of rows, from column A of ``first_row``."""
    if rows and rows[0]:
        sheet.range((first_row, 1)).value = [list(r) for r in rows]


def _last_value_row(rows: Sequence[Sequence[object]]) -> int:
    """The last row holding a value (formatted but empty rows, and totals rows, do not count)."""
    for i in range(len(rows) - 1, -1, -1):
        if any(v != "" for v in rows[i]):
            return i + 1
    return 0


def _fit_tables(sheet: Any, last_row: int) -> None:
    """Each table's body ends at ``last_row`` (at least one body row), its totals row under it,
    as the file does."""
    for table in sheet.tables:
        whole = table.range
        end = max(last_row, whole.row + 1) + (1 if table.show_totals else 0)
        table.resize(sheet.range((whole.row, whole.column), (end, whole.last_cell.column)))


class _Marks:
    """Problem fills, and the hidden sheet that remembers which cells have them."""

    def __init__(self, book: Any) -> None:
        self._book = book

    def _store(self) -> Any:
        names = [sheet.name for sheet in self._book.sheets]
        if MARKS_SHEET in names:
            return self._book.sheets[MARKS_SHEET]
        store = self._book.sheets.add(MARKS_SHEET, after=self._book.sheets[len(names) - 1])
        store.visible = False
        return store

    def _remembered(self, store: Any) -> list[list[str]]:
        return [[str(r[0]), str(r[1])] for r in sheet_rows(store) if r[0] != "" and len(r) > 1]

    def mark(self, key: str, sheet: Any, cells: Sequence[tuple[int, str]]) -> None:
        store = self._store()
        for row, letters in cells:
            sheet.range(f"{letters}{row}").color = MARK_RGB
        start = len(self._remembered(store)) + 1
        _write(store, start, _rows([[key, f"{letters}{row}"] for row, letters in cells]))

    def clear(self, key: str, sheet: Any) -> None:
        store = self._store()
        kept = []
        for entry in self._remembered(store):
            if entry[0] != key:
                kept.append(entry)
            elif tuple(sheet.range(entry[1]).color or ()) == MARK_RGB:
                sheet.range(entry[1]).color = None
        store.used_range.clear_contents()
        _write(store, 1, _rows(kept))
