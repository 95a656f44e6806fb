"""Cells that must be filled in: a customer's name, and an address for anyone who gets letters.

A letter to a customer without an address cannot be posted, and a purchase without a date or an
amount makes the report lie; the message says what to fill in, or how to opt the customer out.
"""

from __future__ import annotations

import pandas as pd

from crmbook.core import schema as s
from crmbook.core.checks.base import Context, Issue, Severity, map_unique, rows_where
from crmbook.core.vocabulary import canonical_value

#: Customers fields a letter needs (SPEC §1: "required for letters").
LETTER_FIELDS = ("Address", "Postal code", "City")


def gets_letters(ctx: Context) -> pd.Series:
    """Customers that letters may go to: No marketing is not Yes (in either language)."""
    index = ctx.register.frame(s.CUSTOMERS).index
    if not ctx.has(s.CUSTOMERS, "No marketing"):
        return pd.Series(True, index=index)
    text = ctx.text(s.CUSTOMERS, "No marketing")
    return map_unique(text, canonical_value) != "Yes"


def required(ctx: Context) -> list[Issue]:
    """Required fields of every data sheet, and the letter fields of customers who get letters."""
    out: list[Issue] = []
    message = ctx.say("Required: fill it in.", "Må fylles ut.")
    for sheet in s.DATA_SHEETS:
        if sheet == s.SELECTIONS:  # its rows are read, and reported, by checks.selections
            continue
        for f in s.SHEET_FIELDS[sheet]:
            if f.required and ctx.has(sheet, f.name):
                blank = ctx.column(sheet, f.name).blank
                out += ctx.issues(sheet, rows_where(blank), f.name, Severity.ERROR, message)
    if ctx.data(s.CUSTOMERS) is None:
        return out
    letters = gets_letters(ctx)
    message = ctx.say(
        "Needed for letters: fill it in (or set No marketing to Yes if the customer must not "
        "get letters).",
        "Trengs for brev: fyll det inn (eller sett Reservert mot markedsføring til Ja hvis "
        "kunden ikke skal ha brev).",
    )
    for name in LETTER_FIELDS:
        if ctx.has(s.CUSTOMERS, name):
            blank = ctx.column(s.CUSTOMERS, name).blank & letters
            out += ctx.issues(s.CUSTOMERS, rows_where(blank), name, Severity.ERROR, message)
    return out
