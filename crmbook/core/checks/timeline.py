"""Dates the source rules out: purchases and responses after today, answers before the letter.

A purchase typed as 2052 instead of 2025 counts in every "since 2024" selection and in the
report; a response dated before its letter went out is a mistyped date, and it decides which
response is the latest (``core.responses``). ``Context.today`` says what today is, so tests can
fix it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from crmbook.core import schema as s
from crmbook.core import vectors
from crmbook.core.checks.base import Context, Issue, Severity


def _shown(day: object) -> str:
    """A date as staff type it: 24.11.2026."""
    return (
        pd.Timestamp(day).strftime("%d.%m.%Y")
        if isinstance(day, dt.date | np.datetime64 | pd.Timestamp)
        else str(day)
    )


def _days(ctx: Context, sheet: str, field: str) -> pd.Series | None:
    """A date column as datetime64 (NaT for blank or unreadable), or None when absent."""
    if not ctx.has(sheet, field):
        return None
    return pd.Series(vectors.dates(ctx.raw(sheet, field)), index=ctx.raw(sheet, field).index)


def _may_be_after(ctx: Context, sheet: str, field: str) -> bool:
    """A fast pre-check: False when every cell is a date cell on or before today (the usual
    case: one C-level ``max`` instead of converting 200,000 dates)."""
    if not ctx.has(sheet, field):
        return False
    column = ctx.column(sheet, field)
    if column.is_str.any() or column.is_num.any():  # text or serial numbers: the full reading
        return True
    cells = column.cells[~column.na]
    try:
        return bool(len(cells)) and max(cells) > ctx.today
    except TypeError:  # dates mixed with times of day (or other objects): the full reading
        return True


def future_dates(ctx: Context) -> list[Issue]:
    """Purchases after today (a warning: a booking may be dated ahead) and responses after
    today (an error: nobody has answered yet)."""
    today = np.datetime64(ctx.today, "s")
    out: list[Issue] = []
    rules = (
        (s.PURCHASES, "Date", Severity.WARNING),
        (s.MAILINGS, "Response date", Severity.ERROR),
    )
    for sheet, field, severity in rules:
        days = _days(ctx, sheet, field) if _may_be_after(ctx, sheet, field) else None
        if days is None:
            continue
        later = days[days.to_numpy() > today]
        messages = {
            int(row): ctx.say(
                "Dated {d}, after today ({t}): is the year right? Correct the date.",
                "Datert {d}, etter i dag ({t}): er året riktig? Rett datoen.",
                d=_shown(day),
                t=_shown(ctx.today),
            )
            for row, day in later.items()
        }
        out += ctx.issues(sheet, list(messages), field, severity, messages)
    return out


def responses_before_letters(ctx: Context) -> list[Issue]:
    """A response dated before its letter was sent (same Mailings row) is a mistyped date."""
    answered = _days(ctx, s.MAILINGS, "Response date")
    sent = _days(ctx, s.MAILINGS, "Date sent")
    if answered is None or sent is None:
        return []
    early = answered[answered.to_numpy() < sent.to_numpy()]  # NaT compares False
    messages = {
        int(row): ctx.say(
            "The response is dated {r}, before the letter was sent ({d}). Correct one of the "
            "dates.",
            "Svaret er datert {r}, før brevet ble sendt ({d}). Rett en av datoene.",
            r=_shown(day),
            d=_shown(sent[row]),
        )
        for row, day in early.items()
    }
    return ctx.issues(s.MAILINGS, list(messages), "Response date", Severity.ERROR, messages)
