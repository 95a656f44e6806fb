"""Changes an action wants made to a workbook, as plain values.

Actions compute a list of edits; a workbook port (the surgical file writer, or the live Excel
adapter) carries them out. Sheets are named by their English key (``schema.CUSTOMERS``…) and the
port finds the sheet's visible name in the workbook's language; cells are (Excel row, column
letter). Values are None (blank), str, int, float, bool, datetime.date/datetime, or a ``Link``.
Text is always written as text, never as a formula, whatever it begins with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    """A cell showing ``text`` (a row number may stay a number) that jumps to ``location`` in the
    same workbook ("'Kunder'!C5")."""

    text: str | int
    location: str


#: Roles a ``Styled`` cell may have (the file writer's formats: crmbook/book/xlsx/roles.py).
ROLES = ("title", "heading", "header", "number header", "text", "key", "note", "nok", "int", "pct",
         "date")  # fmt: skip


@dataclass(frozen=True)
class Styled:
    """A value with its role on a formatted sheet (the Report): a title, a section heading, a
    table's header, an amount in NOK… The port gives each role one look. A sheet written with
    styled rows gets exactly those formats (nothing inherited from earlier runs) and columns
    fitted to the tables."""

    value: object
    role: str


@dataclass(frozen=True)
class ReplaceRows:
    """Replace every row from ``first_row`` down with ``rows`` (the rest of the sheet is cleared).

    ``header`` (optional) rewrites row 1. A table on the sheet is resized to the new rows.
    """

    sheet: str
    rows: Sequence[Sequence[object]]
    first_row: int = 2
    header: Sequence[str] | None = None


@dataclass(frozen=True)
class AppendRows:
    """Add rows under the last non-empty row; a table on the sheet grows to include them."""

    sheet: str
    rows: Sequence[Sequence[object]]


@dataclass(frozen=True)
class SetCells:
    """Overwrite single cells, keeping their formatting: {(row, "C"): value}."""

    sheet: str
    cells: Mapping[tuple[int, str], object]


@dataclass(frozen=True)
class ClearRows:
    """Blank every cell of these rows, every column (also ones crmbook does not know), formats
    kept; the rows stay where they are, so no other row moves."""

    sheet: str
    rows: Sequence[int]


@dataclass(frozen=True)
class MarkCells:
    """Fill cells with the crmbook problem colour (validation marks), keeping their values."""

    sheet: str
    cells: Sequence[tuple[int, str]]


@dataclass(frozen=True)
class ClearMarks:
    """Remove every crmbook problem fill from a sheet, restoring the cells' own formatting."""

    sheet: str


@dataclass(frozen=True)
class EnsureSheet:
    """Add the sheet (with ``headers`` in row 1) when the workbook lacks it; no-op otherwise."""

    sheet: str
    headers: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class Chart:
    """A native Excel chart whose data are ranges of its own sheet ("B5:B9"), so it follows the
    figures when they change. ``kind`` "column" draws vertical bars, "bar" horizontal ones."""

    title: str
    categories: str  # the category labels, e.g. "A5:A9"
    series: Sequence[tuple[str, str]]  # (series name, values range), e.g. ("2025", "C5:C9")
    anchor: str  # top-left cell, e.g. "J4"
    width_cm: float = 16.0
    height_cm: float = 7.5
    kind: str = "column"


@dataclass(frozen=True)
class ReplaceCharts:
    """Replace the charts crmbook put on the sheet last time with ``charts`` (none: remove them).

    Charts and pictures the user added to the sheet stay.
    """

    sheet: str
    charts: Sequence[Chart]


Edit = (
    ReplaceRows
    | AppendRows
    | SetCells
    | ClearRows
    | MarkCells
    | ClearMarks
    | EnsureSheet
    | ReplaceCharts
)
