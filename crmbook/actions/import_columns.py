"""The other book's own columns (those crmbook does not know), read from both workbooks' cells,
and the edits that add a taken one to this book (core/merge_columns.py decides the rest)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from crmbook.book import layout
from crmbook.book.port import WorkbookPort
from crmbook.core import typed
from crmbook.core.edits import Edit, SetCells
from crmbook.core.merge import Plan, Record
from crmbook.core.merge_columns import SHEETS, ExtraColumn, extra_columns
from crmbook.core.merge_rows import OTHER_ROW
from crmbook.core.register import Register
from crmbook.core.vocabulary import norm

EXTRA = "\x00extra "  # a record key for an extra column's value (never a field name)
Own = tuple[dict[str, dict[int, object]], dict[str, str], int]


def read_extra_columns(port: WorkbookPort, here: Register, other: Register) -> list[ExtraColumn]:
    """The other book's own columns on its Customers, Purchases and Mailings sheets, placed in
    this book (none when the other register was not read from a file)."""
    import python_calamine as calamine

    from crmbook.actions.importing import sheet_cells
    from crmbook.book import reader

    if other.path is None:
        return []
    names = {k: other.sheets[k].name for k in SHEETS if k in other.sheets}
    present = set(calamine.CalamineWorkbook.from_path(str(other.path)).sheet_names)
    names = {k: n for k, n in names.items() if n in present}
    grids = reader.sheet_rows(other.path, names.values())
    theirs = {k: own(k, grids[n])[0] for k, n in names.items()}
    here_grids = sheet_cells(port, here, [k for k in SHEETS if k in here.sheets])
    mine = {k: own(k, g) for k, g in here_grids.items()}
    return extra_columns(
        theirs,
        {k: m[0] for k, m in mine.items()},
        {k: m[1] for k, m in mine.items()},
        {k: m[2] for k, m in mine.items()},
    )


def own(sheet: str, grid: Sequence[Sequence[object]]) -> Own:
    """A sheet's columns crmbook does not know: header -> {Excel row: value}; normalised
    header -> column letter; and the index of the first column after the header. A header
    written twice gets its position ("Mobil (2)"), so neither column is lost."""
    header = list(grid[0]) if grid else []
    known = set(layout.match_headers(sheet, header).values())
    values: dict[str, dict[int, object]] = {}
    letters: dict[str, str] = {}
    for i, cell in enumerate(header):
        name = typed.text(cell)
        if i in known or name is None:
            continue
        n, base = 1, name
        while norm(name) in letters:
            n += 1
            name = f"{base} ({n})"
        letters[norm(name)] = layout.column_letter(i)
        values[name] = {r: row[i] for r, row in enumerate(grid[1:], 2) if i < len(row)}
    width = max((i + 1 for i, c in enumerate(header) if not typed.is_blank(c)), default=0)
    return values, letters, width


def column_edits(plan: Plan) -> list[Edit]:
    """For each taken column: its header (when this book lacks it) and the matched rows'
    values where this book's cell is blank."""
    edits: list[Edit] = []
    for col in plan.taken_columns():
        cells: dict[tuple[int, str], object] = {(1, col.letter): col.header} if col.new else {}
        fills, _ = col.fills(plan.rows.get(col.sheet, {}))
        cells |= {(row, col.letter): value for row, value in fills.items()}
        if cells:
            edits.append(SetCells(col.sheet, cells))
    return edits


def with_extras(
    plan: Plan, sheet: str, records: list[tuple[int, Record]]
) -> tuple[list[Record], dict[str, str]]:
    """Records to append, each with its taken columns' values (from its other book row), and
    those columns' letters to place them by."""
    taken = [c for c in plan.taken_columns() if c.sheet == sheet]
    letters: Mapping[str, str] = {EXTRA + c.header: c.letter for c in taken}
    out = [rec | {EXTRA + c.header: c.values.get(row) for c in taken} for row, rec in records]
    return out, dict(letters)


def other_row(record: Record) -> int:
    """The other book's row a carried purchase or mailing came from."""
    return int(record[OTHER_ROW])  # type: ignore[call-overload]
