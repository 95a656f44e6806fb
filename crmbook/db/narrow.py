"""Which columns a selection reads, so ``select URL`` fetches only those from the database.

The selection engine itself runs unchanged on the register read (the same results as on a
workbook); this only leaves out what no saved selection can look at. A Field the saved
selections name that is not recognised here means: read everything.
"""

from __future__ import annotations

import pandas as pd

from crmbook.book import layout
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.selection import names as n

#: Always read: the key, the name and the reservation every selection applies.
ALWAYS = {"Customer ID", "Company", "No marketing"}
FROM_PURCHASES = {n.PURCHASED_PRODUCT, n.PURCHASES_TOTAL, n.LAST_PURCHASE_DATE,
                  n.NUMBER_OF_PURCHASES}  # fmt: skip
FROM_MAILINGS = {n.OFFER_RECEIVED, n.LAST_RESPONSE, n.RESPONSE_TO_OFFER}


def needed(selections: pd.DataFrame) -> dict[str, set[str]] | None:
    """Per sheet, the fields the saved selections read (a sheet absent: read it whole), or
    None when one of their Fields is not recognised (then everything is read)."""
    customer = {layout.norm(layout.header(s.CUSTOMERS, f.name, lang)): f.name
                for f in s.SHEET_FIELDS[s.CUSTOMERS] for lang in layout.LANGS}  # fmt: skip
    references = {layout.norm(n.SELECTION), layout.norm(n.SELECTION_NB)}
    want: dict[str, set[str]] = {s.CUSTOMERS: set(ALWAYS), s.PURCHASES: set(), s.MAILINGS: set()}
    for value in selections["Field"]:
        if typed.is_blank(value):
            continue
        key, derived = layout.norm(value), n.derived_field(value)
        if key in customer:
            want[s.CUSTOMERS].add(customer[key])
        elif derived in FROM_PURCHASES:
            want[s.PURCHASES] = {f.name for f in s.SHEET_FIELDS[s.PURCHASES]}
        elif derived in FROM_MAILINGS:
            want[s.MAILINGS] = {f.name for f in s.SHEET_FIELDS[s.MAILINGS]}
        elif key not in references:
            return None
    return want
