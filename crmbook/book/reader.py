"""Read a register workbook into raw frames, fast, with python-calamine (DESIGN decision 5)."""

from __future__ import annotations

import contextlib
import gc
import io
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd
import python_calamine as calamine

from crmbook.book import guard, layout, prefetch
from crmbook.book.sheetfacts import SheetFacts, sheet_facts, sparse_sheets
from crmbook.book.xlsx import bounds, workbook
from crmbook.book.xlsx.package import Package
from crmbook.core import schema as s
from crmbook.core.i18n import say
from crmbook.core.register import ExcelError, ReadNote, Register, SheetData
from crmbook.errors import BookReadError


class RowSource(Protocol):
    """Where a register's cells come from: a closed file (calamine) or a live Excel book."""

    def rows(self, sheet_name: str) -> list[list[object]]:
        """Every row of a sheet from A1, blanks as '' (python-calamine's shape)."""
        ...


def read_register(
    path: str | Path,
    sheets: Iterable[str] = s.DATA_SHEETS,
    *,
    strict: bool = True,
) -> Register:
    """Read the data sheets, the Lists and the Settings of a register workbook file.

    ``strict`` makes a missing data sheet or header an error naming it; a lenient read (for
    importing older registers) gives empty columns instead.
    """
    path = Path(path)
    book = _open(path)
    try:
        return read_book(
            _CalamineRows(book, path), list(book.sheet_names), path, sheets, strict=strict
        )
    finally:
        prefetch.finished(path)


def sheet_rows(path: str | Path, sheet_names: Iterable[str]) -> dict[str, list[list[object]]]:
    """Every cell of these sheets from A1 (python-calamine's shape), read as far as the real data
    reaches: a stray value at XFD1048576 costs nothing. Totals rows read as blank."""
    path = Path(path)
    source = _CalamineRows(_open(path), path)
    return {name: source.rows(name) for name in sheet_names}


def read_book(
    source: RowSource,
    names: Sequence[str],
    path: Path,
    sheets: Iterable[str] = s.DATA_SHEETS,
    *,
    strict: bool = True,
) -> Register:
    """The register from any row source whose sheets are ``names`` (``path`` names it in errors)."""
    lang = layout.detect_lang(names)
    with _collector_paused():
        data = {key: read_sheet(source, names, key, lang, path, strict=strict) for key in sheets}
    settings, setting_rows, settings_sheet = _read_settings(source, names)
    return Register(
        lang=lang,
        sheets=data,
        lists=_read_lists(source, names),
        settings=settings,
        path=path,
        setting_rows=setting_rows,
        settings_sheet=settings_sheet,
    )


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the rows are built: they hold no cycles, and each
    full collection walked every row list made so far (0.6 s of a 100,000-customer read)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _CalamineRows:
    """A closed workbook's rows through python-calamine, with Excel's error cells shown, totals
    rows left out, and a sheet with a stray cell far away read only as far as its real data."""

    def __init__(self, book: calamine.CalamineWorkbook, path: Path) -> None:
        self._book = book
        self._path = path
        self._facts: dict[str, SheetFacts] = {}
        self._sparse: set[str] | None = None

    def rows(self, sheet_name: str) -> list[list[object]]:
        sheet = prefetch.take(self._path, sheet_name)
        if sheet is not None:
            rows = shared_rows(sheet)
            del sheet  # calamine's copy of the cells goes before the next sheet is parsed
            prefetch.release(self._path, sheet_name)
            facts = prefetch.facts(self._path, sheet_name) or sheet_facts(self._path, sheet_name)
        else:
            # The facts scan inflates the sheet's XML again: zlib releases the GIL, so it runs
            # beside calamine's own parse instead of after it.
            with ThreadPoolExecutor(max_workers=1) as pool:
                scan = pool.submit(sheet_facts, self._path, sheet_name)
                rows = self._read(sheet_name)
                facts = scan.result()
        self._facts[sheet_name] = facts
        for (row, col), text in facts.errors.items():
            if row <= len(rows) and col < len(rows[row - 1]):
                rows[row - 1][col] = ExcelError(text)
        for row in facts.totals:
            if 1 < row <= len(rows):
                rows[row - 1] = [""] * len(rows[row - 1])
        return rows

    def facts(self, sheet_name: str) -> SheetFacts:
        """The facts of a sheet already read by ``rows``."""
        return self._facts.get(sheet_name, SheetFacts())

    def _read(self, sheet_name: str) -> list[list[object]]:
        if self._sparse is None:
            self._sparse = sparse_sheets(self._path)
        if sheet_name in self._sparse:
            return _trimmed_rows(sheet_name, self._path)
        return shared_rows(self._book.get_sheet_by_name(sheet_name))


#: A sheet of at most this many cells is taken whole (``to_python``, 2.5× faster): sharing its
#: texts would save little memory. 10,000 customers are below it; 100,000 are not.
WHOLE_CELLS = 1_000_000


def shared_rows(
    sheet: calamine.CalamineSheet, batch: int = 4096, whole: int | None = None
) -> list[list[object]]:
    """Every row of a sheet (``to_python``'s shape), equal texts of a column as one object.

    python-calamine makes a new string per cell, and a register repeats its list values
    (Status, Industry, bands, City) on every row: the rows are taken a batch at a time and
    the texts of each column that repeats in the first batch are shared, so the copies are
    freed at once (100,000 customers: 70 MB less at the peak of the read). A sheet of at most
    ``whole`` cells (default ``WHOLE_CELLS``) is taken whole.
    """
    small = sheet.height * sheet.width <= (WHOLE_CELLS if whole is None else whole)
    if small or sheet.start != (0, 0):  # iter_rows starts at the first column with a value
        return sheet.to_python(skip_empty_area=False)
    rows: list[list[object]] = []
    repeated: list[tuple[int, dict[str, str]]] = []
    source = sheet.iter_rows()
    while chunk := list(islice(source, batch)):
        if not rows:
            memos = [_memo(column) for column in zip(*chunk, strict=False)]
            repeated = [(j, memo) for j, memo in enumerate(memos) if memo is not None]
        for row in chunk:
            for j, memo in repeated:
                value = row[j] if j < len(row) else None
                if value.__class__ is str:
                    row[j] = memo.setdefault(value, value)
        rows.extend(chunk)
    return rows


def _memo(column: tuple[object, ...]) -> dict[str, str] | None:
    """A memo for a column whose texts repeat (fewer distinct texts than a quarter of cells)."""
    texts = {v for v in column if v.__class__ is str}
    return {} if len(texts) * 4 < len(column) else None


def _trimmed_rows(sheet_name: str, path: Path) -> list[list[object]]:
    """A sheet read from a copy of the workbook holding only its real data (see ``bounds``)."""
    pkg = Package(path)
    try:
        return _trimmed(pkg, workbook.sheets(pkg)[sheet_name], sheet_name, path)
    finally:
        pkg.close()


def _trimmed(pkg: Package, part: str, sheet_name: str, path: Path) -> list[list[object]]:
    data, last_row, last_col = bounds.trim(pkg.read(part))
    if last_row * (last_col + 1) > bounds.MAX_READ_CELLS:
        raise BookReadError(
            say(
                layout.detect_lang(workbook.sheets(pkg)),
                "{path}: sheet '{sheet}' has data down to row {row:,} and across to column "
                "{col}: too much to read. Delete the rows and columns below and to the right of "
                "your data (select them, right-click, Delete) and save.",
                "{path}: arket «{sheet}» har data ned til rad {row:,} og bort til kolonne {col}: "
                "for mye til å lese. Slett radene og kolonnene under og til høyre for dataene "
                "(merk dem, høyreklikk, Slett) og lagre.",
                path=path.name,
                sheet=sheet_name,
                row=last_row,
                col=layout.column_letter(last_col),
            )
        )
    pkg.stream(part, lambda: [data])
    copy = io.BytesIO()
    pkg.save(copy)
    copy.seek(0)
    book = calamine.CalamineWorkbook.from_filelike(copy)
    return book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)


def _open(path: Path) -> calamine.CalamineWorkbook:
    if not path.exists():
        raise BookReadError(
            f"{path}: no such file. Check the name, or create it with `crmbook new`."
        )
    guard.check_file(path)
    try:
        return calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for broken files
        raise BookReadError(f"{path}: cannot be read as a workbook ({exc}).") from exc


def read_sheet(
    source: RowSource,
    names: Sequence[str],
    sheet: str,
    lang: str,
    path: Path,
    *,
    strict: bool = True,
) -> SheetData:
    """One data sheet as a raw frame indexed by Excel row number."""
    fields = [f.name for f in s.SHEET_FIELDS[sheet]]
    name = layout.find_sheet(sheet, names)
    if name is None:
        if strict:
            raise _missing_sheet(path, layout.sheet_name(sheet, lang), lang)
        frame = pd.DataFrame({f: pd.Series(dtype=object) for f in fields})
        return SheetData(sheet, layout.sheet_name(sheet, lang), frame, {})
    rows = source.rows(name)
    header = rows[0] if rows else []
    positions = layout.match_headers(sheet, header)
    missing = [layout.header(sheet, f, lang) for f in fields
               if f not in positions and s.required_header(sheet, f)]  # fmt: skip
    if missing and strict:
        raise _missing_headers(path, name, missing, lang)
    del rows[:1]  # the body is left, for _frame to empty as it goes
    frame = _frame(rows, positions, fields)
    columns = {f: layout.column_letter(i) for f, i in positions.items()}
    headers = {f: str(header[i]) for f, i in positions.items()}
    notes = _duplicate_headers(sheet, header, positions) + _formulas(source, name, positions)
    return SheetData(sheet, name, frame, columns, headers, tuple(notes))


def _duplicate_headers(
    sheet: str, header: list[object], positions: dict[str, int]
) -> list[ReadNote]:
    """A known header written twice: the first column is read, the other ignored."""
    notes = []
    for i, cell in enumerate(header):
        if cell is None or cell == "":
            continue
        for name in layout.match_headers(sheet, [cell]):
            if positions.get(name, i) != i:
                first = layout.column_letter(positions[name])
                notes.append(ReadNote("duplicate-header", 1, name, first, layout.column_letter(i)))
    return notes


def _formulas(source: RowSource, name: str, positions: dict[str, int]) -> list[ReadNote]:
    """The formula cells of the known columns (read from the file; a live Excel calculates)."""
    facts = source.facts(name) if isinstance(source, _CalamineRows) else SheetFacts()
    fields = {i: f for f, i in positions.items()}
    return [
        ReadNote("formula" if cached else "formula-no-value", row, fields[col],
                 layout.column_letter(col))
        for (row, col), cached in sorted(facts.formulas.items())
        if row > 1 and col in fields and row not in facts.totals
    ]  # fmt: skip


def _missing_sheet(path: Path, sheet: str, lang: str) -> BookReadError:
    return BookReadError(
        say(
            lang,
            "{path}: the sheet '{sheet}' is missing. Add it back (copy it from a workbook "
            "made by `crmbook new`) or restore a backup.",
            "{path}: arket «{sheet}» mangler. Legg det inn igjen (kopier det fra en "
            "arbeidsbok laget med `crmbook new`) eller hent fram en sikkerhetskopi.",
            path=path.name,
            sheet=sheet,
        )
    )


def _missing_headers(path: Path, sheet: str, headers: list[str], lang: str) -> BookReadError:
    return BookReadError(
        say(
            lang,
            "{path}: sheet '{sheet}' has no column {headers} in row 1. Add the header back "
            "(any order, any case).",
            "{path}: arket «{sheet}» mangler kolonnen {headers} i rad 1. Legg overskriften "
            "inn igjen (rekkefølge og store/små bokstaver spiller ingen rolle).",
            path=path.name,
            sheet=sheet,
            headers=", ".join(f"'{h}'" for h in headers),
        )
    )


def _frame(body: list[list[object]], positions: dict[str, int], fields: list[str]) -> pd.DataFrame:
    """Raw values of the known columns; '' becomes None; fully empty rows are dropped.

    ``body`` is emptied as soon as its values are in an array: at 100,000 customers the row
    lists (~35 MB) would otherwise live on beside two copies of the grid."""
    n = len(body)
    if n == 0:
        return pd.DataFrame({f: pd.Series(dtype=object) for f in fields})
    grid = np.empty((n, len(fields)), dtype=object)
    widths = {len(r) for r in body}
    if len(widths) == 1:  # calamine's rows are all as wide: one C-level copy, then the columns
        full = np.empty((n, widths.pop()), dtype=object)
        full[:] = body
        body.clear()
        for j, f in enumerate(fields):
            if (i := positions.get(f)) is not None and i < full.shape[1]:
                grid[:, j] = full[:, i]
        del full
    else:  # a live Excel's rows may differ in length
        for j, f in enumerate(fields):
            if (i := positions.get(f)) is not None:
                grid[:, j] = [r[i] if i < len(r) else "" for r in body]
        body.clear()
    grid[grid == ""] = None
    keep = ~np.all(grid == None, axis=1)  # noqa: E711 - elementwise comparison on object array
    numbers = np.arange(2, n + 2)
    if not keep.all():
        grid, numbers = grid[keep], numbers[keep]
    index = pd.Index(numbers, name="row")
    return pd.DataFrame(grid, index=index, columns=fields, dtype=object, copy=False)


def _read_lists(source: RowSource, names: Sequence[str]) -> dict[str, list[str]]:
    """Allowed values per list from the Lists sheet; the defaults for lists it lacks."""
    lists = {key: list(values) for key, values in s.LISTS_EN.items()}
    name = layout.find_sheet(s.LISTS, names)
    if name is None:
        return lists
    rows = source.rows(name)
    if not rows:
        return lists
    titles = {layout.norm(t): key for key, pair in layout.LIST_TITLES.items() for t in pair}
    for i, title in enumerate(rows[0]):
        key = titles.get(layout.norm(title)) if title not in (None, "") else None
        if key is None:
            continue
        values = [str(r[i]).strip() for r in rows[1:] if i < len(r) and str(r[i]).strip()]
        if values:
            lists[key] = values
    return lists


def _read_settings(
    source: RowSource, names: Sequence[str]
) -> tuple[dict[str, object], dict[str, int], str]:
    """English setting name -> value (and -> Excel row), for the rows of the Settings sheet in
    either language; also the sheet's visible name."""
    name = layout.find_sheet(s.SETTINGS, names)
    if name is None:
        return {}, {}, s.SETTINGS
    labels = {}
    for setting in s.SETTING_NAMES:
        labels[layout.norm(setting)] = setting
        labels[layout.norm(layout.setting_label(setting, "nb"))] = setting
    settings: dict[str, object] = {}
    rows: dict[str, int] = {}
    for number, row in enumerate(source.rows(name)[1:], start=2):
        if len(row) < 2 or row[0] in (None, ""):
            continue
        key = labels.get(layout.norm(row[0]))
        if key is not None:
            settings[key] = None if row[1] == "" else row[1]
            rows[key] = number
    return settings, rows, name
