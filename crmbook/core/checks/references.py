"""Purchases and Mailings: real dates, and Customer IDs that point at a customer.

A purchase whose Customer ID matches no customer is lost to every selection on ``Purchased
product`` and to the report; a date typed as text sorts wrongly and is missed by
``Last purchase date``. Both are found here, at their cell.
"""

from __future__ import annotations

import datetime as dt
from itertools import repeat

import numpy as np
import pandas as pd

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.checks.base import Context, Issue, Severity, rows_where
from crmbook.core.checks.identity import valid_ids

DATE_FIELDS = ((s.PURCHASES, "Date"), (s.MAILINGS, "Date sent"), (s.MAILINGS, "Response date"))
REFERENCES = ((s.PURCHASES, "Customer ID"), (s.MAILINGS, "Customer ID"))


def _date_verdict(cell: object) -> Severity | None:
    """None for a real date (or blank); a warning for a date written as text; else an error."""
    if isinstance(cell, dt.date) or typed.is_blank(cell):
        return None
    if isinstance(cell, str) and typed.date(cell) is not None:
        return Severity.WARNING
    return Severity.ERROR


def dates(ctx: Context) -> list[Issue]:
    """Date columns hold dates; text that reads as a date is a warning, anything else an error."""
    out: list[Issue] = []
    for sheet, field in DATE_FIELDS:
        if not ctx.has(sheet, field):
            continue
        raw = ctx.raw(sheet, field)
        cells = raw.to_numpy(dtype=object)
        is_date = np.fromiter(map(isinstance, cells, repeat(dt.date)), bool, len(cells))
        for row, cell in raw[~is_date & ~pd.isna(cells)].items():
            severity = _date_verdict(cell)
            if severity is not None:
                out += ctx.issues(sheet, [int(row)], field, severity, _date_message(ctx, severity))
    return out


def _date_message(ctx: Context, severity: Severity) -> str:
    if severity is Severity.WARNING:
        return ctx.say(
            "A date stored as text: it sorts and filters wrongly. Retype it as a date, like "
            "24.11.2026.",
            "En dato lagret som tekst: den sorteres og filtreres feil. Skriv den inn på nytt "
            "som dato, som 24.11.2026.",
        )
    return ctx.say(
        "Not a date. Type a date, like 24.11.2026 (or 2026-11-24).",
        "Ikke en dato. Skriv en dato, som 24.11.2026.",
    )


def customer_ids_known(ctx: Context) -> pd.Index:
    """The valid Customer IDs of the Customers sheet (empty when it was not read)."""
    if not ctx.has(s.CUSTOMERS, "Customer ID"):
        return pd.Index([], dtype=float)
    ids = ctx.number(s.CUSTOMERS, "Customer ID")
    return pd.Index(ids[valid_ids(ids)].unique())


def references(ctx: Context) -> list[Issue]:
    """Purchases and Mailings name an existing customer; Mailing IDs are positive numbers."""
    known = customer_ids_known(ctx)
    out: list[Issue] = []
    for sheet, field in REFERENCES:
        if not ctx.has(sheet, field):
            continue
        given = ~ctx.column(sheet, field).blank
        ids = ctx.number(sheet, field)
        valid = valid_ids(ids)
        out += ctx.issues(sheet, rows_where(given & ~valid), field, Severity.ERROR, _bad_id(ctx))
        if ctx.has(s.CUSTOMERS, "Customer ID"):
            unknown = valid & ~ids.isin(known)
            message = {
                row: ctx.say(
                    "No customer has Customer ID {id}. Check the number on the Customers sheet.",
                    "Ingen kunde har kundenr {id}. Sjekk nummeret i arket Kunder.",
                    id=int(ids[row]),
                )
                for row in rows_where(unknown)
            }
            out += ctx.issues(sheet, list(message), field, Severity.ERROR, message)
    return out + _mailing_ids(ctx)


def _bad_id(ctx: Context) -> str:
    return ctx.say(
        "Not a Customer ID: type the customer's number from the Customers sheet.",
        "Ikke et kundenr: skriv kundens nummer fra arket Kunder.",
    )


def _mailing_ids(ctx: Context) -> list[Issue]:
    if not ctx.has(s.MAILINGS, "Mailing ID"):
        return []
    given = ~ctx.column(s.MAILINGS, "Mailing ID").blank
    bad = given & ~valid_ids(ctx.number(s.MAILINGS, "Mailing ID"))
    message = ctx.say(
        "A Mailing ID is a whole number above 0.", "Utsendelsesnr er et helt tall over 0."
    )
    return ctx.issues(s.MAILINGS, rows_where(bad), "Mailing ID", Severity.ERROR, message)
