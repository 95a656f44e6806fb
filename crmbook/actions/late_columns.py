"""Customers columns added to crmbook after workbooks were in use (schema.LATE), placed in an
older workbook when a command first writes a value to them.

A workbook without them works with every command (they read as blank). When an import, an
enrichment or a database pull has a value for one, its header is written after the sheet's last
column (after the user's own columns too, so nothing moves), and the value beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from crmbook.book import layout
from crmbook.book.port import WorkbookPort
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.edits import Edit, SetCells
from crmbook.core.merge import Plan
from crmbook.core.register import Register, SheetData

C = s.CUSTOMERS


def missing(here: Register, fields: Iterable[str], sheet: str = C) -> list[str]:
    """The late columns among ``fields`` that this workbook's sheet (Customers, or Sync)
    lacks, in the schema's order."""
    wanted, have = set(fields), here.sheets[sheet].columns
    return [f.name for f in s.SHEET_FIELDS[sheet]
            if f.name in s.LATE[sheet] and f.name in wanted and f.name not in have]  # fmt: skip


def placed(
    port: WorkbookPort, here: Register, fields: Iterable[str], taken: Iterable[str] = (),
    sheet: str = C,
) -> tuple[Register, list[Edit]]:  # fmt: skip
    """``here`` with the missing late columns among ``fields`` given letters after the
    sheet's last header (and after the ``taken`` letters, new columns an import adds there),
    and the edit that writes their headers."""
    names = missing(here, fields, sheet)
    if not names:
        return here, []
    width = max([header_width(port, here, sheet), *(layout.column_index(x) + 1 for x in taken)])
    letters = {name: layout.column_letter(width + i) for i, name in enumerate(names)}
    data = here.sheets[sheet]
    headers = {name: layout.header(sheet, name, here.lang) for name in names}
    data = replace(data, columns={**data.columns, **letters},
                   headers={**data.headers, **headers})  # fmt: skip
    cells = {(1, letters[name]): headers[name] for name in names}
    return replace(here, sheets={**here.sheets, sheet: data}), [SetCells(sheet, cells)]


def placed_sync(
    port: WorkbookPort, here: Register, synced: SheetData | None
) -> tuple[SheetData | None, list[Edit]]:
    """The Sync sheet of a pulled workbook with the late columns placed (the base of a sync
    must hold every field the Customers sheet does); untouched when there is none yet."""
    if synced is None or not synced.columns:
        return synced, []
    both = replace(here, sheets={**here.sheets, s.SYNC: synced})
    both, edits = placed(port, both, s.LATE[s.SYNC], sheet=s.SYNC)
    return both.sheets[s.SYNC], edits


def header_width(port: WorkbookPort, here: Register, sheet: str = C) -> int:
    """How many columns a sheet's header row reaches (the user's own included)."""
    from crmbook.actions.importing import sheet_cells

    rows = sheet_cells(port, here, [sheet])[sheet]
    header = rows[0] if rows else []
    return max((i + 1 for i, cell in enumerate(header) if not typed.is_blank(cell)), default=0)


def for_plan(port: WorkbookPort, here: Register, plan: Plan) -> tuple[Register, list[Edit]]:
    """``placed`` for the Customers fields an import plan writes a value to, as chosen."""
    fields = {name for new in plan.added() for name, value in new.record.items()
              if not typed.is_blank(value)}  # fmt: skip
    fields |= {c.field for c in plan.taken() if c.sheet == C}
    taken = [c.letter for c in plan.taken_columns() if c.sheet == C and c.new]
    return placed(port, here, fields, taken)
