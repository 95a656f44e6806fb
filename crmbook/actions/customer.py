"""One customer at a time: the customer a selected row holds, and the GDPR export as a file.

The ribbon's "why not selected?", "export customer" and "erase customer" act on the customer
in the row the user selected, on any sheet with a Customer ID column (Customers, Purchases,
Mailings, Recipients, Import); the command line names the customer by ID. Both write the
export with ``export_file``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from crmbook.actions.importing import customer_register, export_customer
from crmbook.book.port import WorkbookPort
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.filenames import fit_name
from crmbook.core.i18n import say
from crmbook.core.register import Register
from crmbook.errors import RefusedError, UsageError


@dataclass(frozen=True)
class Picked:
    """The customer on a selected row, named as people know them."""

    customer_id: int
    company: str | None
    lang: str

    def __str__(self) -> str:
        return f"{self.customer_id} {self.company}" if self.company else str(self.customer_id)


def on_row(register: Register, sheet: str, row: int) -> Picked:
    """The customer whose Customer ID is on Excel row ``row`` of the sheet named ``sheet``."""
    lang = register.lang
    data = next((d for d in register.sheets.values() if d.name == sheet), None)
    id_header = say(lang, "Customer ID", "Kundenr")
    if data is None or "Customer ID" not in data.frame.columns:
        raise UsageError(
            say(
                lang,
                "The sheet '{sheet}' has no {id} column: select a cell in a customer's row on "
                "the sheet '{customers}' (or another sheet with {id}), then press the button "
                "again.",
                "Arket «{sheet}» har ingen kolonne {id}: merk en celle i en kundes rad på arket "
                "«{customers}» (eller et annet ark med {id}), og trykk knappen igjen.",
                sheet=sheet,
                id=id_header,
                customers=register.sheet_name(s.CUSTOMERS),
            )
        )
    found = typed.integer(data.frame["Customer ID"].get(row)) if row in data.frame.index else None
    if found is None:
        raise UsageError(
            say(
                lang,
                "Row {row} of the sheet '{sheet}' holds no {id}: select a cell in a customer's "
                "row, then press the button again.",
                "Rad {row} på arket «{sheet}» har ikke noe {id}: merk en celle i en kundes rad, "
                "og trykk knappen igjen.",
                row=row,
                sheet=sheet,
                id=id_header,
            )
        )
    return Picked(found, _company(register, found), lang)


def _company(register: Register, customer_id: int) -> str | None:
    customers = register.frame(s.CUSTOMERS)
    if "Company" not in customers.columns:
        return None
    mine = customers[customers["Customer ID"].map(typed.integer) == customer_id]
    return typed.text(mine["Company"].iloc[0]) if len(mine) else None


def picked(port: WorkbookPort, sheet: str, row: int) -> Picked:
    """The customer on a row of a workbook (every sheet that may hold a Customer ID is read)."""
    return on_row(customer_register(port), sheet, row)


def export_file(
    port: WorkbookPort, book: Path, customer_id: int, today: dt.date, out: Path | None = None
) -> Path:
    """Write everything ``book`` holds on the customer to a JSON file (right of access); by
    default beside the workbook, as ``<book>-customer-<id>.json``."""
    data = export_customer(port, customer_id)
    data = {"register": book.name, "exported": today.isoformat(), **data}
    target = out or book.with_name(fit_name("", book.stem, f"-customer-{customer_id}.json"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise RefusedError(
            f"{target}: cannot write the export ({exc.strerror or exc}); nothing was written. "
            "Make the folder writable, or (on the command line) give another file with --out."
        ) from exc
    return target
