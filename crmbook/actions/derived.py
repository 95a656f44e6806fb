"""What the derived sheets hold on one customer, for export and erase (GDPR).

The Report's top-customer tables name customers; they are found by their Customer ID column for
an export, and the Report is rebuilt through the report action from what is left after an
erase (clearing rows would leave its figures and charts wrong). An ID two customers share is
refused: export would merge them, erase clear both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

from crmbook.actions import report as report_action
from crmbook.book import layout
from crmbook.book.port import WorkbookPort
from crmbook.core import schema as s
from crmbook.core.checks.base import listing
from crmbook.core.edits import Edit
from crmbook.core.i18n import say
from crmbook.core.merge_privacy import report_record, report_rows
from crmbook.core.register import Register
from crmbook.errors import RefusedError


def refuse_shared_id(register: Register, customer_id: int, rows: Sequence[int]) -> None:
    """Refuse (exit 1) when more than one Customers row has the ID, naming the rows."""
    if len(rows) < 2:
        return
    raise RefusedError(
        say(
            register.lang,
            "Customer ID {id} is on {n} rows of the sheet '{sheet}' (rows {rows}): crmbook "
            "cannot tell which customer is meant, so nothing was exported or erased. Run "
            "crmbook validate, which marks the repeated ID; give each customer an ID of "
            "their own (or delete the copy), then run the command again.",
            "Kundenr {id} står på {n} rader i arket «{sheet}» (rad {rows}): crmbook kan "
            "ikke vite hvilken kunde som menes, så ingenting ble eksportert eller slettet. "
            "Kjør crmbook validate, som merker det gjentatte kundenummeret; gi hver kunde "
            "sitt eget kundenr (eller slett kopien), og kjør kommandoen på nytt.",
            id=customer_id,
            n=len(rows),
            sheet=register.sheet_name(s.CUSTOMERS),
            rows=listing(rows),
        )
    )


def report_grid(port: WorkbookPort, register: Register) -> tuple[str, list[list]] | None:
    """The Report sheet's name and cells from A1 (None when the workbook has no Report)."""
    import python_calamine as calamine

    from crmbook.book.live import LiveBook, sheet_rows

    if isinstance(port, LiveBook):
        name = layout.find_sheet(s.REPORT, [sh.name for sh in port.book.sheets])
        return None if name is None else (name, sheet_rows(port.book.sheets[name]))
    book = calamine.CalamineWorkbook.from_path(str(register.path))
    name = layout.find_sheet(s.REPORT, book.sheet_names)
    if name is None:
        return None
    return name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def report_export(port: WorkbookPort, register: Register, customer_id: int) -> dict[str, list]:
    """{Report sheet name: its rows naming the customer}, or {} when none does."""
    found = report_grid(port, register)
    if found is None:
        return {}
    name, grid = found
    headers = [layout.header(s.CUSTOMERS, "Customer ID", lang) for lang in layout.LANGS]
    mine = report_rows(grid, customer_id, headers)
    return {name: report_record(grid, mine)} if mine else {}


def report_rebuilt(
    port: WorkbookPort, register: Register, rows: Mapping[str, list[int]], today: dt.date
) -> list[Edit]:
    """The Report rebuilt without the customer's rows (no edits when there is no Report)."""
    if report_grid(port, register) is None:
        return []
    sheets = {key: replace(data, frame=data.frame.drop(index=rows.get(key, [])))
              for key, data in register.sheets.items()}  # fmt: skip
    after = replace(register, sheets=sheets)
    return report_action.report_edits(after, report_action.compute(after, today))
