"""The select action: compute a saved selection and show it on the Recipients sheet.

Called by the CLI (``crmbook select``), the Excel ribbon ("Beregn utvalg") and the letters step,
all through a workbook port; the Norwegian spellings of the Customers headers come from the
layout here, so the core engine stays free of the workbook's words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from crmbook.book import layout
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.edits import Edit, EnsureSheet, ReplaceRows
from crmbook.core.i18n import say
from crmbook.core.register import Register
from crmbook.core.selection import Engine, Explanation, SelectionResult, keys
from crmbook.core.selection import explain as explain_in

#: Columns of the funnel, to the right of the Recipients (K stays empty as a gap).
FUNNEL_GAP = 1


def aliases() -> dict[str, str]:
    """Bokmål Customers headers -> English field names, for the Field column of Selections."""
    return {nb: en for en, nb in layout.HEADERS_NB[s.CUSTOMERS].items()}


def engine(register: Register) -> Engine:
    """An engine for several selections of one register (columns are built once)."""
    return Engine(register, aliases())


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
