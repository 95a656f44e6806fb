"""SAF-T Financial data as the register sees it, and the plan for importing it.

Pure: the parser (``crmbook.book.saft_file``) gives a ``SaftFile``; this module matches its
customers with import's rules (by way of ``plan_import``, so an accounting system is just
another department's book), turns its sales invoice lines into Purchases rows through the
Product mapping sheet, and leaves out every line imported before: a line's key is its invoice
number and line number, kept in the Purchases row's Note as ``SAF-T <InvoiceNo>/<line>``.
Norwegian SAF-T sales lines carry no cost or margin (only amounts), so profitability stays
what the staff type.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace

import pandas as pd

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.merge import Plan, Record, plan_import
from crmbook.core.merge_match import keys, match
from crmbook.core.merge_rows import OTHER_ROW
from crmbook.core.other_book import FIRST_ROW, other_book
from crmbook.core.register import Register
from crmbook.core.vocabulary import norm

NOTE_PREFIX = "SAF-T "
#: A Product on the Product mapping sheet that leaves the account's lines out.
SKIP_WORDS = frozenset(norm(w) for w in ("skip", "hopp over"))


@dataclass(frozen=True)
class SaftCustomer:
    """One MasterFiles/Customers/Customer: its accounting ID and the register fields it fills."""

    customer_id: str
    line: int  # line in the XML file
    record: Record  # English Customers field -> value


@dataclass(frozen=True)
class SaftLine:
    """One line of a sales invoice, with what a Purchases row needs."""

    invoice: str
    number: str  # LineNumber, else the line's position in its invoice
    line: int  # line in the XML file
    customer_id: str  # the accounting system's CustomerID
    date: dt.date
    account: str
    amount: float  # NOK; a debit line (credit note) is negative

    @property
    def key(self) -> str:
        return f"{self.invoice}/{self.number}"


@dataclass(frozen=True)
class SaftFile:
    """What the import uses of one SAF-T file."""

    name: str
    customers: tuple[SaftCustomer, ...]
    lines: tuple[SaftLine, ...]
    accounts: dict[str, str] = field(default_factory=dict)  # AccountID -> description


@dataclass(frozen=True)
class Mapping:
    """The Product mapping sheet: account -> product (None: blank; SKIP: leave out)."""

    products: dict[str, str | None]
    rows: dict[str, int]  # account -> Excel row


SKIP = "\0skip"


@dataclass(frozen=True)
class SaftPlan:
    """The customers' plan (new, changes, ...) with the purchases to add; and what waits."""

    plan: Plan
    lines: int  # invoice lines in the file
    before: int  # lines imported by an earlier run
    skipped: int  # lines of accounts mapped to skip
    waiting: tuple[tuple[SaftLine, str], ...]  # (line, "customer" | "product")
    unmapped: tuple[str, ...]  # accounts with lines still lacking a product
    new_accounts: tuple[tuple[str, str | None], ...]  # accounts to add to the mapping sheet

    def counts(self) -> dict[str, int]:
        waits = Counter(why for _, why in self.waiting)
        return {"lines": self.lines, "purchases": len(self.plan.purchases),
                "before": self.before, "skipped": self.skipped,
                "no_customer": waits["customer"], "no_product": waits["product"]}  # fmt: skip


def plan_saft(here: Register, saft: SaftFile, mapping: Mapping) -> SaftPlan:
    """The import plan: customers as ``plan_import`` sees them, purchases from the lines."""
    other = other_book(here, [c.record for c in saft.customers])
    plan = plan_import(here, other, saft.name)
    ids = _customer_ids(here, other, plan, saft)
    done = imported_keys(here)
    purchases: list[Record] = []
    waiting: list[tuple[SaftLine, str]] = []
    before = skipped = 0
    for line in saft.lines:
        if line.key in done:
            before += 1
            continue
        product = mapping.products.get(line.account)
        if product == SKIP:
            skipped += 1
        elif ids.get(line.customer_id) is None:
            waiting.append((line, "customer"))
        elif product is None:
            waiting.append((line, "product"))
        else:
            purchases.append(_purchase(line, ids[line.customer_id], product))
    unmapped = sorted({w.account for w, why in waiting if why == "product"})
    new_accounts = tuple((a, saft.accounts.get(a)) for a in _accounts(saft)
                         if a not in mapping.rows)  # fmt: skip
    return SaftPlan(replace(plan, purchases=tuple(purchases)), len(saft.lines), before,
                    skipped, tuple(waiting), tuple(unmapped), new_accounts)  # fmt: skip


def _accounts(saft: SaftFile) -> list[str]:
    """The accounts of the file's sales lines, in order of first use."""
    return list(dict.fromkeys(line.account for line in saft.lines))


def _purchase(line: SaftLine, customer_id: int, product: str) -> Record:
    """A Purchases row of an invoice line (from no row of another book: OTHER_ROW 0)."""
    return {"Customer ID": customer_id, "Date": line.date, "Product": product,
            "Amount (NOK)": round(line.amount, 2), "Note": NOTE_PREFIX + line.key,
            OTHER_ROW: 0}  # fmt: skip


def _customer_ids(
    here: Register, other: Register, plan: Plan, saft: SaftFile
) -> dict[str, int | None]:
    """Accounting CustomerID -> this book's Customer ID (None: ambiguous, or new but rejected).

    A customer rejected for an error of its own (an accounting system may hold no address)
    still carries its invoices to the customer it matches here; only adding it needs it valid.
    """
    rows = {n.other_row: n.customer_id for n in plan.new}
    mine = here.frame(s.CUSTOMERS)
    for row, found in match(keys(mine), keys(other.frame(s.CUSTOMERS))).items():
        if found.row is not None:
            rows[row] = typed.integer(mine.loc[found.row, "Customer ID"])
    return {c.customer_id: rows.get(i + FIRST_ROW) for i, c in enumerate(saft.customers)}


def imported_keys(here: Register) -> set[str]:
    """Invoice line keys of the Purchases rows an earlier SAF-T import added."""
    notes = (typed.text(v) for v in here.frame(s.PURCHASES)["Note"])
    return {n.removeprefix(NOTE_PREFIX) for n in notes if n and n.startswith(NOTE_PREFIX)}


def read_mapping(frame: pd.DataFrame | None, products: list[str]) -> tuple[Mapping, list[int]]:
    """The Product mapping sheet read against the product list; and the rows whose Product
    is neither on the list, nor blank, nor skip (hopp over)."""
    if frame is None:
        return Mapping({}, {}), []
    allowed = {norm(p): p for p in products}
    out: dict[str, str | None] = {}
    rows: dict[str, int] = {}
    bad = []
    for row, rec in frame.to_dict("index").items():
        account = typed.text(rec.get("Account"))
        if account is None or account in rows:
            continue
        rows[account] = int(row)
        product = typed.text(rec.get("Product"))
        if product is None:
            out[account] = None
        elif norm(product) in SKIP_WORDS:
            out[account] = SKIP
        elif norm(product) in allowed:
            out[account] = allowed[norm(product)]
        else:
            out[account] = None
            bad.append(int(row))
    return Mapping(out, rows), bad


def unknown_customers(saft: SaftFile) -> list[SaftLine]:
    """The first line of each invoice whose CustomerID is not among the file's customers."""
    known = {c.customer_id for c in saft.customers}
    seen: dict[str, SaftLine] = {}
    for line in saft.lines:
        if line.customer_id not in known and line.invoice not in seen:
            seen[line.invoice] = line
    return list(seen.values())
