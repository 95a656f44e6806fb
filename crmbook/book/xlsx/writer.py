"""Write Python values into one worksheet the way Excel would: formats kept, tables grown.

A cell that already exists keeps its format; a new cell takes the format of the cell above it in
the same column (as an Excel table does when it grows), the header row excepted. Dates get a date
format and plain numbers lose one, so every value reads back as the type it was written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from lxml import etree

from crmbook.book.xlsx import markpatch, rowbatch, rowclear, tables
from crmbook.book.xlsx.cells import CellValueError, Kind, encode
from crmbook.book.xlsx.package import Package
from crmbook.book.xlsx.printing import ensure_print_setup
from crmbook.book.xlsx.roles import SPANNING
from crmbook.book.xlsx.rowxml import row_xml
from crmbook.book.xlsx.sheet import MAX_COLUMNS, MAX_ROW, Worksheet, cell_ref, split_ref
from crmbook.book.xlsx.styles import Styles

HEADER_ROW = 1
_FULL = (
    "the sheet has no room: Excel shows no row below 1,048,576. Delete stray values near "
    "the bottom of the sheet, or move old rows to another workbook, and run the command again"
)
_FORMULA = (
    "the cell holds a formula, and crmbook never overwrites a formula. Replace the formula "
    "with its value in Excel (or clear it) if crmbook should write there"
)
#: Values that are certainly not links (a Protocol check is slow; most cells are plain).
_PLAIN = (str, int, float, dt.date, type(None))


@runtime_checkable
class LinkLike(Protocol):
    """A value shown as ``text`` that links to ``location`` in the workbook ("'Kunder'!C5")."""

    text: str | int
    location: str


@runtime_checkable
class StyledLike(Protocol):
    """A value with a role on a formatted sheet (``crmbook.core.edits.Styled``)."""

    value: object
    role: str


def _conforms(value: object, protocol: type) -> bool:
    """``isinstance(value, protocol)`` for the data protocols here, by looking up their
    attributes as that check does: typing's own check costs tens of microseconds a value (20,000
    Issues rows, each with a link, spent seconds on it)."""
    return all(hasattr(value, name) for name in protocol.__annotations__)


class CellError(CellValueError):
    """A value that cannot be written, with the cell it was meant for."""

    def __init__(self, row: int, col: int, reason: str) -> None:
        super().__init__(f"{cell_ref(row, col)}: {reason}")
        self.row, self.col, self.reason = row, col, reason


class SheetWriter:
    """Value-level edits of one worksheet part; call ``finish`` once after the last edit."""

    def __init__(
        self,
        pkg: Package,
        part: str,
        styles: Styles,
        *,
        date1904: bool,
        data: bytes | None = None,
    ) -> None:
        """``data``: the part's bytes when the caller has already read them."""
        self._pkg = pkg
        self._part = part
        self._styles = styles
        self._date1904 = date1904
        self.sheet = Worksheet(pkg.read(part) if data is None else data)
        self._headers: dict[int, str] = {}
        self._links = _Links(self.sheet)
        #: Whether an edit changed the sheet; an untouched sheet is copied as it was.
        self.touched = False
        self._lifted: list[etree._Element] = []
        self._totals_checked = False
        self._column_styles: dict[int, int] = {}
        pkg.stream(part, self.sheet.chunks)

    def last_row(self) -> int:
        """The last row of real data; appended rows go below it.

        Real data is a value under a header in row 1: a stray cell far to the right (Z1048576)
        is not, and a table's totals row is lifted out here and put back below the new rows by
        ``finish``, so it stays the table's last row.
        """
        self._lift_totals()
        return self.sheet.last_data_row(self._extent())

    def write_row(self, row: int, values: Sequence[object]) -> None:
        """Write values from column A; cells to the right of them are left alone."""
        for col, value in enumerate(values):
            self.write_cell(row, col, value)

    def write_header(self, headers: Sequence[str]) -> None:
        """Rewrite row 1 (a table's column names follow it)."""
        self.write_row(HEADER_ROW, headers)
        self._headers = {i: str(h) for i, h in enumerate(headers) if h is not None}

    def replace_rows(self, first_row: int, rows: Iterable[Sequence[object]]) -> None:
        """Rows from ``first_row`` down become ``rows``; every cell below is cleared.

        Styled rows (a formatted sheet such as the Report) replace the cells' formats as well,
        and the columns are fitted to them."""
        self.touched = True
        self._lift_totals()
        self.sheet.unmerge_from(first_row)
        rows = list(rows)
        if any(_conforms(v, StyledLike) for r in rows for v in r if not isinstance(v, _PLAIN)):
            for number in self.sheet.rows():
                if number >= first_row:
                    self.sheet.drop_cells_right_of(number, -1)
            fit_columns(self.sheet, rows)
            ensure_print_setup(self.sheet)
        last = self._write_rows(first_row, rows, clear=True)
        self._clear_from(max(last + 1, first_row))

    def append_rows(self, first_row: int, rows: Iterable[Sequence[object]]) -> None:
        """``write_row`` for each of ``rows``, from ``first_row`` down."""
        self._write_rows(first_row, rows, clear=False)

    def _write_rows(self, first_row: int, rows: Iterable[Sequence[object]], *, clear: bool) -> int:
        """Write rows (``clear``: an existing row loses its cells right of the values); rows the
        sheet did not have are built as XML text. The last row number written."""
        rows = list(rows)
        if self._batch(first_row, rows, clear=clear):
            return first_row + len(rows) - 1
        row = first_row - 1
        above: dict[int, int] | None = None  # formats of the row above, when written here
        self._column_styles = {}
        for row, values in enumerate(rows, start=first_row):
            if self.sheet.has_row(row):
                if clear:
                    self.clear_row(row, keep=len(values))
                self.write_row(row, values)
                above = None
            else:
                above = self._new_row(row, values, above)
        return row

    def _batch(self, first_row: int, rows: list[Sequence[object]], *, clear: bool) -> bool:
        """Plain rows written as XML text a column at a time (``rowbatch``); False when they
        need the cell-by-cell path (links, rows that are not plain, no room left)."""
        last = first_row + len(rows) - 1
        if first_row <= HEADER_ROW or last > MAX_ROW - len(self._lifted):
            return False
        if self._links.reach(first_row):
            return False
        if not clear and any(self.sheet.has_row(n) for n in range(first_row, last + 1)):
            return False
        built = rowbatch.build(
            self.sheet, self._styles.for_value, first_row, rows, date1904=self._date1904
        )
        if built is None:
            return False
        for row in built:
            if row.existed:
                self.sheet.replace_row_xml(row.number, row.columns, row.xml)
            else:
                self.sheet.add_row_xml(row.number, row.columns, row.xml)
        self.touched = self.touched or any(rows)
        return True

    def _new_row(
        self, row: int, values: Sequence[object], above: dict[int, int] | None
    ) -> dict[int, int]:
        """``write_row`` on a row that does not exist yet, as one piece of XML; the formats it
        gives its cells (``above``: those of the row above, None to look them up)."""
        if values and row > MAX_ROW - len(self._lifted):
            raise CellError(row, 0, _FULL)
        cells, formats = [], {}
        for col, value in enumerate(values):
            role = None
            if not isinstance(value, _PLAIN) and _conforms(value, StyledLike):
                value, role = value.value, value.role
            link = (
                None if isinstance(value, _PLAIN) else value if _conforms(value, LinkLike) else None
            )
            try:
                cell = encode(link.text if link else value, date1904=self._date1904)
            except CellValueError as exc:
                raise CellError(row, col, str(exc)) from exc
            if role is not None:
                style = self._styles.role(role)
            else:
                style = self._styles.for_value(self._new_cell_style(row, col, above), cell.kind)
            if style or cell.kind is not Kind.BLANK:
                cells.append((col, style, cell))
                formats[col] = style
            self._links.set(cell_ref(row, col), link.location if link else None, cell.text)
        self.touched = self.touched or bool(values)
        if cells:
            xml = row_xml(self.sheet.row_prefix, row, cells)
            self.sheet.add_row_xml(row, [col for col, _, _ in cells], xml)
        return formats

    def _new_cell_style(self, row: int, col: int, above: dict[int, int] | None) -> int:
        """``_inherited_style`` of a cell in a new row, from the formats of the row above."""
        if above is None:
            return self._inherited_style(row, col)
        if row - 1 > HEADER_ROW and col in above:
            return above[col]
        if col not in self._column_styles:  # <cols> does not change while rows are written
            self._column_styles[col] = self.sheet.column_style(col)
        return self._column_styles[col]

    def write_cell(self, row: int, col: int, value: object) -> None:
        """One cell: its format kept (or inherited from above), its value replaced."""
        if row > MAX_ROW - len(self._lifted):  # lifted totals rows go back below
            raise CellError(row, col, _FULL)
        if self.sheet.has_formula(row, col):
            raise CellError(row, col, _FORMULA)
        role = None
        if not isinstance(value, _PLAIN) and _conforms(value, StyledLike):
            value, role = value.value, value.role
        link = None if isinstance(value, _PLAIN) else value if _conforms(value, LinkLike) else None
        try:
            cell = encode(link.text if link else value, date1904=self._date1904)
        except CellValueError as exc:
            raise CellError(row, col, str(exc)) from exc
        self.touched = True
        if row == HEADER_ROW and cell.text:  # a table's column name follows its header cell
            self._headers[col] = cell.text
        if role is not None:
            self.sheet.put(row, col, cell, self._styles.role(role))
        else:
            style = self.sheet.style(row, col)
            if style is None:
                style = self._inherited_style(row, col)
            self.sheet.put(row, col, cell, self._styles.for_value(style, cell.kind))
        self._links.set(cell_ref(row, col), link.location if link else None, cell.text)

    def clear_row(self, row: int, keep: int = 0) -> None:
        """Clear the values of a row's cells from column ``keep`` on (formats stay)."""
        for col, element in self.sheet.row_cells(row).items():
            if col >= keep:
                self.touched = True
                self.sheet.put(row, col, encode(None), int(element.get("s", "0")))
                self._links.set(cell_ref(row, col), None, "")

    def mark(self, cells: Iterable[tuple[int, int]]) -> None:
        """Give cells the problem fill, keeping the rest of their format."""
        self.touched = markpatch.mark(self.sheet, self._styles, list(cells)) or self.touched

    def clear_marks(self) -> None:
        """Restore every marked cell on the sheet to its own format."""
        self.touched = markpatch.clear_marks(self.sheet, self._styles) or self.touched

    def finish(self) -> None:
        """Put lifted totals rows back under the data; bring the dimension and tables up to date."""
        last = self.sheet.last_data_row(self._extent())
        for offset, element in enumerate(self._lifted, start=1):
            self.sheet.insert_row(last + offset, element)
        last += len(self._lifted)
        self._lifted = []
        self.sheet.update_dimension()
        self._links.finish()
        tables.resize(self._pkg, self._part, last, self._headers)

    def _extent(self) -> int:
        return self.sheet.header_extent(MAX_COLUMNS)

    def _lift_totals(self) -> None:
        """Take the tables' totals rows out while rows are added (once per write)."""
        if self._totals_checked:
            return
        self._totals_checked = True
        for row in sorted(tables.totals_rows(self._pkg, self._part)):
            if row in self.sheet.rows():
                self._lifted.append(self.sheet.remove_row(row))
                self.touched = True

    def _clear_from(self, first: int) -> None:
        """Clear every row from ``first`` down, and drop those left empty: plain rows as text
        (``rowclear``), the others cell by cell."""
        ordinary = []
        for number in [n for n in self.sheet.rows() if n >= first]:
            raw = None if self.sheet.row_prefix else self.sheet.raw_row(number)
            done = None if raw is None else rowclear.cleared(number, raw)
            if done is None:
                self.clear_row(number)
                ordinary.append(number)
                continue
            for col in done.had:
                self._links.set(cell_ref(number, col), None, "")
            if done.xml is None:
                self.sheet.drop_row(number)
            else:
                self.sheet.replace_row_xml(number, done.kept, done.xml)
        self.sheet.drop_empty_rows(ordinary)

    def _inherited_style(self, row: int, col: int) -> int:
        if row - 1 > HEADER_ROW:
            above = self.sheet.style(row - 1, col)
            if above is not None:
                return above
        return self.sheet.column_style(col)


class _Links:
    """The sheet's <hyperlinks>: internal links set and removed with their cells' values."""

    def __init__(self, sheet: Worksheet) -> None:
        self._sheet = sheet
        self._element = sheet.root.find(sheet.tag("hyperlinks"))
        self._by_ref = {}
        for link in () if self._element is None else self._element:
            self._by_ref.setdefault(_top_left(link.get("ref", "")), link)

    def set(self, ref: str, location: str | None, display: str) -> None:
        old = self._by_ref.pop(ref, None)
        if old is not None:
            old.getparent().remove(old)
        if location is None:
            return
        if self._element is None:
            self._element = self._sheet.child("hyperlinks")
        attrs = {"ref": ref, "location": location, "display": display}
        link = etree.SubElement(self._element, self._sheet.tag("hyperlink"), attrs)
        self._by_ref[ref] = link

    def reach(self, first_row: int) -> bool:
        """Whether a link starts in ``first_row`` or below."""
        return any(_ref_row(ref) >= first_row for ref in self._by_ref)

    def finish(self) -> None:
        """An empty <hyperlinks> is invalid: drop it."""
        if self._element is not None and len(self._element) == 0:
            self._sheet.root.remove(self._element)
            self._element = None


def fit_widths(rows: Sequence[Sequence[object]]) -> dict[int, float]:
    """Column (0-based) -> width in characters that fits the styled cells, headings and notes
    aside (they span the row), between 9 and 32."""
    widths: dict[int, float] = {}
    for values in rows:
        for col, value in enumerate(values):
            if _conforms(value, StyledLike) and value.role not in SPANNING:
                widths[col] = max(widths.get(col, 0), _shown_width(value.value, value.role))
    last = max(widths, default=-1)
    return {col: min(max(widths.get(col, 0) + 2, 9), 32) for col in range(last + 1)}


def fit_columns(sheet: Worksheet, rows: Sequence[Sequence[object]]) -> None:
    """The sheet's <cols> set to the widths that fit the styled cells."""
    widths = fit_widths(rows)
    if not widths:
        return
    cols = sheet.child("cols")
    for old in list(cols):
        cols.remove(old)
    for col, width in widths.items():
        spec = cols.makeelement(sheet.tag("col"), min=str(col + 1), max=str(col + 1))
        spec.set("width", f"{width:g}")
        spec.set("customWidth", "1")
        cols.append(spec)


def _shown_width(value: object, role: str) -> float:
    """About how many characters a value takes as Excel shows it in its role."""
    if value is None:
        return 0
    if isinstance(value, float | int) and not isinstance(value, bool):
        text = f"{value:,.0f}" if role in ("nok", "int") else f"{value:,.1f}"
        return len(text)
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    if role == "header":  # headers wrap: the longest word must fit
        return max([min(len(text), 14), *(len(w) for w in text.split())])
    return len(text)


def _ref_row(ref: str) -> int:
    try:
        return split_ref(ref)[0]
    except ValueError:
        return MAX_ROW  # a reference crmbook cannot read: leave its rows to the general path


def _top_left(ref: str) -> str:
    start = ref.partition(":")[0]
    try:
        return cell_ref(*split_ref(start))
    except ValueError:
        return start
