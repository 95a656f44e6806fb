"""The select action: compute a saved selection and show it on the Recipients sheet.

``run(port, Request(name))`` is the whole action for a front end (the CLI's ``crmbook select``,
the Excel ribbon's "Compute selection"): read, compute, write, and a result that says what
happened in the workbook's language. The letters step uses ``compute`` and ``recipients_edits``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crmbook.book import layout
from crmbook.book.port import WorkbookPort
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.edits import Edit, EnsureSheet, ReplaceRows
from crmbook.core.i18n import plural, say
from crmbook.core.register import Register
from crmbook.core.selection import Engine, Explanation, SelectionResult, keys
from crmbook.core.selection import explain as explain_in

#: Columns of the funnel, to the right of the Recipients (K stays empty as a gap).
FUNNEL_GAP = 1


@dataclass(frozen=True)
class Request:
    """What to compute: a saved selection's name; ``write`` false computes without writing."""

    selection: str
    write: bool = True


@dataclass(frozen=True)
class Selected:
    """A computed selection, in the workbook's language, and whether Recipients was written."""

    lang: str
    result: SelectionResult
    written: bool
    recipients_sheet: str  # the Recipients sheet's visible name (Mottakere)

    def message(self) -> str:
        """One line for a message box or the terminal: how many, and where they are."""
        line = say(
            self.lang,
            "{n} in '{sel}'.",
            "{n} i «{sel}».",
            n=plural(self.lang, self.result.count, ("customer", "customers"), ("kunde", "kunder")),
            sel=self.result.selection,
        )
        if not self.written:
            return line
        sheet = self.recipients_sheet
        if self.result.count == 1:
            return line + say(
                self.lang, " It is on the {s} sheet.", " Kunden står på arket {s}.", s=sheet
            )
        return line + say(
            self.lang, " They are on the {s} sheet.", " De står på arket {s}.", s=sheet
        )


def run(port: WorkbookPort, request: Request) -> Selected:
    """Read the register, compute the selection and (unless ``write`` is off) fill Recipients."""
    register = port.read()
    result = compute(register, request.selection)
    if request.write:
        port.apply(recipients_edits(register, result))
    sheet = layout.sheet_name(s.RECIPIENTS, register.lang)
    return Selected(register.lang, result, request.write, sheet)


def engine(register: Register) -> Engine:
    """An engine for several selections of one register (columns are built once)."""
    return Engine(register)


def compute(register: Register, name: str) -> SelectionResult:
    """The customers of a saved selection, No-marketing customers removed, and its funnel."""
    return engine(register).result(name)


def explain(register: Register, name: str, customer_id: int) -> Explanation:
    """Why a customer is in a selection or which criteria keep them out."""
    return explain_in(engine(register), name, customer_id)


def recipients_edits(
    register: Register, result: SelectionResult, letters: Mapping[int, str] | None = None
) -> list[Edit]:
    """The Recipients sheet for a result: recipients in A..J, the funnel in L:M beside them.

    ``letters`` (customer id -> letter file or the reason there is none) fills the Letter column
    when the letters step writes the sheet, so staff see who got a letter.
    """
    lang = register.lang
    headers = layout.headers(s.RECIPIENTS, lang)
    funnel_header = [
        say(lang, "Funnel: {name}", "Trakt: {name}", name=result.selection),
        say(lang, "Remaining", "Igjen"),
    ]
    people = recipient_rows(register, result, letters or {})
    funnel = [[step.criterion, step.remaining] for step in result.funnel]
    gap = [None] * FUNNEL_GAP
    blank = [None] * len(headers)
    rows = [
        [*(people[i] if i < len(people) else blank), *gap, *(funnel[i] if i < len(funnel) else ())]
        for i in range(max(len(people), len(funnel)))
    ]
    return [
        EnsureSheet(s.RECIPIENTS, headers),
        ReplaceRows(s.RECIPIENTS, rows, header=[*headers, *gap, *funnel_header]),
    ]


def recipient_rows(
    register: Register, result: SelectionResult, letters: Mapping[int, str]
) -> list[list[object]]:
    """One row per selected customer with the Recipients fields and their letter, if any.

    A Norwegian postal code Excel turned into a number is shown with its zeros (150 -> 0150).
    """
    customers = register.frame(s.CUSTOMERS).loc[list(result.rows)]
    fields = [f.name for f in s.SHEET_FIELDS[s.RECIPIENTS]]
    columns: list[Sequence[object]] = []
    countries = customers.get("Country", [None] * len(customers))
    for name in fields:
        if name == "Customer ID":
            columns.append(result.customer_ids)
        elif name == "Letter":
            columns.append([letters.get(c) for c in result.customer_ids])
        elif name == "Postal code" and name in customers.columns:
            codes = zip(customers[name], countries, strict=True)
            columns.append([keys.postal_code(code, country) for code, country in codes])
        elif name in customers.columns:
            columns.append([typed.text(v) for v in customers[name]])
        else:
            columns.append([None] * len(customers))
    return [list(row) for row in zip(*columns, strict=True)]
