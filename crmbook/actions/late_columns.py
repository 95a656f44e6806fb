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
from crmbook.core.register import Register

C = s.CUSTOMERS


def missing(here: Register, fields: Iterable[str]) -> list[str]:
    """The late columns among ``fields`` that this workbook's Customers sheet lacks, in the
    schema's order."""
    wanted, have = set(fields), here.sheets[C].columns
    return [f.name for f in s.SHEET_FIELDS[C]
            if f.name in s.LATE[C] and f.name in wanted and f.name not in have]  # fmt: skip


def placed(
    port: WorkbookPort, here: Register, fields: Iterable[str], taken: Iterable[str] = ()
) -> tuple[Register, list[Edit]]:
    """``here`` with the missing late columns among ``fields`` given letters after the
    Customers sheet's last header (and after the ``taken`` letters, new columns an import
    adds there), and the edit that writes their headers."""
    names = missing(here, fields)
    if not names:
        return here, []
    width = max([header_width(port, here), *(layout.column_index(x) + 1 for x in taken)])
    letters = {name: layout.column_letter(width + i) for i, name in enumerate(names)}
    sheet = here.sheets[C]
    headers = {name: layout.header(C, name, here.lang) for name in names}
    sheet = replace(sheet, columns={**sheet.columns, **letters},
                    headers={**sheet.headers, **headers})  # fmt: skip
    cells = {(1, letters[name]): headers[name] for name in names}
    return replace(here, sheets={**here.sheets, C: sheet}), [SetCells(C, cells)]


def header_width(port: WorkbookPort, here: Register) -> int:
    """How many columns the Customers sheet's header row reaches (the user's own included)."""
    from crmbook.actions.importing import sheet_cells

    rows = sheet_cells(port, here, [C])[C]
    header = rows[0] if rows else []
    return max((i + 1 for i, cell in enumerate(header) if not typed.is_blank(cell)), default=0)


def for_plan(port: WorkbookPort, here: Register, plan: Plan) -> tuple[Register, list[Edit]]:
    """``placed`` for the Customers fields an import plan writes a value to, as chosen."""
    fields = {name for new in plan.added() for name, value in new.record.items()
              if not typed.is_blank(value)}  # fmt: skip
    fields |= {c.field for c in plan.taken() if c.sheet == C}
    taken = [c.letter for c in plan.taken_columns() if c.sheet == C and c.new]
    return placed(port, here, fields, taken)
