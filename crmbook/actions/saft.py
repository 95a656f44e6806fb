"""The SAF-T import: customers and sales invoices from the accounting system, in two steps.

As ``crmbook import`` (crmbook/actions/importing.py, whose plan sheet and choices this
reuses): a dry run writes the plan to the Import sheet and lists the file's sales accounts on
the Product mapping sheet; staff set keep/take and a product per account; ``apply`` reads the
file again, recomputes the plan and carries it out in one write. Invoice lines already in
Purchases (by the ``SAF-T <InvoiceNo>/<line>`` Note) are never added twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from crmbook.actions import import_sheet, importing
from crmbook.book import layout
from crmbook.book.port import WorkbookPort
from crmbook.book.saft_file import Progress, SaftFileError, read_saft
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.edits import AppendRows, Edit, EnsureSheet, ReplaceRows, SetCells
from crmbook.core.i18n import say
from crmbook.core.other_book import FIRST_ROW
from crmbook.core.register import Register, SheetData
from crmbook.core.saft import (
    SaftFile,
    SaftLine,
    SaftPlan,
    plan_saft,
    read_mapping,
    unknown_customers,
)
from crmbook.errors import RefusedError

if TYPE_CHECKING:
    from crmbook.actions.enrich import EnrichResult

IMPORT, MAP = s.IMPORT, s.PRODUCT_MAP


@dataclass(frozen=True)
class SaftResult:
    """What a SAF-T import planned or did."""

    saft: SaftPlan
    applied: bool
    stale: int = 0

    @property
    def lang(self) -> str:
        return self.saft.plan.lang

    def summary(self) -> str:
        """The customers' line (as ``crmbook import``) and the invoice lines' line."""
        lang = self.saft.plan.lang
        first = importing.ImportResult(self.saft.plan, self.applied).summary()
        return first + " " + say(lang,
            "Invoice lines in the file: {lines}; {purchases} to add, {before} imported before, "
            "{skipped} skipped, {no_customer} wait for their customer, {no_product} for a "
            "product.",
            "Fakturalinjer i fila: {lines}; {purchases} legges til, {before} importert før, "
            "{skipped} hoppet over, {no_customer} venter på kunden, {no_product} på et "
            "produkt.", **self.saft.counts())  # fmt: skip


def import_saft(
    book: Path, file: Path, *, apply: bool = False, today: dt.date | None = None,
    progress: Progress | None = None,
) -> SaftResult:  # fmt: skip
    """File mode: plan (or with ``apply`` carry out) the import of a SAF-T file into ``book``."""
    from crmbook.book.filebook import FileBook

    port = FileBook(book)
    with port.writing():  # one writer at a time, from this read to the write
        return run(port, Path(file), apply=apply, today=today, progress=progress)


def run(
    port: WorkbookPort, file: Path, *, apply: bool = False, today: dt.date | None = None,
    progress: Progress | None = None,
) -> SaftResult:  # fmt: skip
    """Dry run: write the plan and the new accounts. ``apply``: carry the plan out as chosen."""
    here = port.read()
    saft = read_saft(file, here.lang, progress)
    _refuse_unknown(saft, here.lang)
    extra = port.read([IMPORT, MAP, s.LOG], strict=False).sheets
    if s.LOG in extra:  # its tombstones: an erased customer is not added again from the books
        here = replace(here, sheets={**here.sheets, s.LOG: extra[s.LOG]})
    mapping_frame = extra[MAP].frame if MAP in extra else None
    mapping, bad = read_mapping(mapping_frame, here.lists.get("product", []))
    planned = plan_saft(here, saft, mapping)
    edits = _mapping_edits(planned, extra, here.lang)
    if not apply:
        headers = layout.headers(IMPORT, here.lang)
        rows = _rows(planned, saft, bad)
        port.apply([EnsureSheet(IMPORT, headers), ReplaceRows(IMPORT, rows, header=headers),
                    *edits])  # fmt: skip
        return SaftResult(planned, applied=False)
    _refuse_unmapped(planned, bad, here.lang)
    sheet = extra.get(IMPORT)
    frame = sheet.frame if sheet is not None else pd.DataFrame(columns=["Action"])
    choices, stale = import_sheet.read_choices(frame, planned.plan)
    planned = replace(planned, plan=replace(planned.plan, choices=choices))
    result = SaftResult(planned, applied=True, stale=stale)
    edits += _apply_edits(here, result, today or dt.date.today())
    if sheet is not None and importing.planned_source(frame) == saft.name:
        edits.append(applied_note(sheet, result, today or dt.date.today()))
    port.apply(edits)
    return result


def _apply_edits(here: Register, result: SaftResult, day: dt.date) -> list[Edit]:
    plan = result.saft.plan
    event = say(plan.lang, "SAF-T import", "SAF-T-import")
    return importing.apply_logged(here, plan, day, event, result.summary())


def applied_note(sheet: SheetData, result: SaftResult | EnrichResult, day: dt.date) -> SetCells:
    """The Import sheet's Source row says the plan on it was carried out."""
    words = {layout.norm(w) for w in import_sheet.ACTIONS["source"]}
    actions = sheet.frame["Action"].items()
    row = next(int(r) for r, v in actions if layout.norm(v or "") in words)
    note = say(result.lang, "Applied {d}: {s}", "Utført {d}: {s}",
               d=day.isoformat(), s=result.summary())  # fmt: skip
    return SetCells(IMPORT, {(row, sheet.columns["Note"]): note})


def _refuse_unknown(saft: SaftFile, lang: str) -> None:
    """An invoice whose customer is not in the file's customer list refuses the whole file."""
    unknown = unknown_customers(saft)
    if not unknown:
        return
    listed = ", ".join(
        say(lang, "invoice {no} (line {n}, customer {c})", "faktura {no} (linje {n}, kunde {c})",
            no=x.invoice, n=x.line, c=x.customer_id or "?")
        for x in unknown[:5])  # fmt: skip
    more = len(unknown) - 5
    raise SaftFileError(say(lang,
        "{f}: {k} invoices name a customer that is not in MasterFiles/Customers: {list}{more}. "
        "Export the file again with every customer; nothing was imported.",
        "{f}: {k} fakturaer har en kunde som ikke står i MasterFiles/Customers: {list}{more}. "
        "Eksporter fila på nytt med alle kunder; ingenting ble importert.",
        f=saft.name, k=len(unknown), list=listed,
        more=say(lang, " and {m} more", " og {m} til", m=more) if more > 0 else ""))  # fmt: skip


def _refuse_unmapped(planned: SaftPlan, bad: list[int], lang: str) -> None:
    """Apply only once every account with lines to import has a product (or skip)."""
    if not planned.unmapped and not bad:
        return
    sheet = layout.sheet_name(MAP, lang)
    if bad:
        raise RefusedError(say(lang,
            "the Product on the sheet '{sheet}' is not on the product list in row {rows}. Pick "
            "a product from the list (or write skip), then run --apply again; nothing was "
            "imported.",
            "Produkt i arket «{sheet}» står ikke i produktlista i rad {rows}. Velg et produkt "
            "fra lista (eller skriv hopp over), og kjør --apply på nytt; ingenting ble "
            "importert.", sheet=sheet, rows=", ".join(map(str, bad))))  # fmt: skip
    raise RefusedError(say(lang,
        "accounts {accounts} have invoice lines but no Product on the sheet '{sheet}'. Fill in "
        "a product for each (or write skip), then run --apply again; nothing was imported.",
        "kontoene {accounts} har fakturalinjer men mangler Produkt i arket «{sheet}». Fyll inn "
        "et produkt for hver (eller skriv hopp over), og kjør --apply på nytt; ingenting ble "
        "importert.", accounts=", ".join(planned.unmapped), sheet=sheet))  # fmt: skip


def _mapping_edits(planned: SaftPlan, sheets: dict, lang: str) -> list[Edit]:
    """The file's accounts not yet on the Product mapping sheet, added with a blank Product."""
    if not planned.new_accounts:
        return []
    headers = layout.headers(MAP, lang)
    found = sheets[MAP].columns if MAP in sheets else {}  # empty when the sheet is absent
    columns = found or {f.name: layout.column_letter(i) for i, f in enumerate(s.SHEET_FIELDS[MAP])}
    rows = [importing.placed({"Account": a, "Account name": d}, columns)
            for a, d in planned.new_accounts]  # fmt: skip
    return [EnsureSheet(MAP, headers), AppendRows(MAP, rows)]


def _rows(planned: SaftPlan, saft: SaftFile, bad: list[int]) -> list[list[object]]:
    """The Import sheet: import's plan rows (the Note names the accounting CustomerID), then the
    invoice lines that wait for a customer or a product."""
    lang = planned.plan.lang
    rows = import_sheet.plan_rows(planned.plan, "")
    rows[0][8] = SaftResult(planned, applied=False).summary()
    for row in rows[1:]:  # Other row stays the key of a Choice; the accounting ID goes beside
        if isinstance(row[2], int) and 0 <= row[2] - FIRST_ROW < len(saft.customers):
            known = saft.customers[row[2] - FIRST_ROW].customer_id
            ours = say(lang, "Customer {k} in the books.", "Kunde {k} i regnskapet.", k=known)
            row[8] = f"{row[8]} {ours}".strip() if row[8] else ours
    names = {c.customer_id: typed.text(c.record.get("Company")) for c in saft.customers}
    waiting: dict[tuple[str, str], list[SaftLine]] = defaultdict(list)
    for line, why in planned.waiting:
        waiting[(why, line.customer_id if why == "customer" else line.account)].append(line)
    rejected = import_sheet.label("rejected", lang)
    for (why, key), lines in waiting.items():
        invoices = ", ".join(dict.fromkeys(x.invoice for x in lines[:5]))
        if why == "customer":
            note = say(lang,
                "{n} invoice lines (invoices {inv}) wait: the customer is not matched (see above); "
                "they are imported by a later run once it is.",
                "{n} fakturalinjer (faktura {inv}) venter: kunden er ikke koblet (se over); de "
                "importeres ved en senere kjøring når den er det.",
                n=len(lines), inv=invoices)  # fmt: skip
            rows.append([rejected, None, key, names.get(key), None, None, None, None, note])
        else:
            note = say(lang,
                "{n} invoice lines on account {a} ({d}) have no product: fill in Product on the "
                "sheet '{sheet}', then run again.",
                "{n} fakturalinjer på konto {a} ({d}) mangler produkt: fyll inn Produkt i arket "
                "«{sheet}», og kjør på nytt.", n=len(lines), a=key,
                d=saft.accounts.get(key) or "?", sheet=layout.sheet_name(MAP, lang))  # fmt: skip
            field = layout.header(MAP, "Product", lang)
            rows.append([rejected, None, None, None, field, None, key, None, note])
    for row in bad:
        rows.append([rejected, None, None, None, layout.header(MAP, "Product", lang), None,
                     None, None, say(lang, "{sheet} row {r}: the Product is not on the list.",
                     "{sheet} rad {r}: Produkt står ikke i lista.",
                     sheet=layout.sheet_name(MAP, lang), r=row)])  # fmt: skip
    return rows
