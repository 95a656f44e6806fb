"""Purchase amounts: numbers, not text — and text with one reading is converted by ``--fix``.

Amounts pasted from invoices arrive as text ('12 000 kr', 'kr 1 500,-'); Excel does not sum
them, so the report in Excel and a pivot table lie. When the text has exactly one reading it is
an error that ``--fix`` corrects; '1.500' (one and a half, or fifteen hundred?) needs a person.
"""

from __future__ import annotations

import re

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.checks.base import Context, Issue, Severity

AMOUNT = (s.PURCHASES, "Amount (NOK)")
#: One separator followed by exactly three digits: a thousands separator or a decimal point.
_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}[.,]\d{3}$")
_NOISE = re.compile(r"[\s\u00a0\u202f]+|kr|,-$|nok", re.IGNORECASE)


def reading(text: str) -> float | int | None:
    """The one number a text amount means ('12 000 kr' -> 12000), or None when it has none or
    more than one ('1.500')."""
    number = typed.number(text)
    compact = _NOISE.sub("", text)
    if number is None or _AMBIGUOUS.match(compact):
        return None
    return int(number) if number.is_integer() else number


def amounts(ctx: Context) -> list[Issue]:
    """Every Amount (NOK) cell is a number: text is an error, fixed when its reading is unique."""
    sheet, field = AMOUNT
    if not ctx.has(sheet, field):
        return []
    column = ctx.column(sheet, field)
    given = ~column.blank.to_numpy()
    wrong = given & (~column.is_num | column.number.isna().to_numpy())  # infinity is no amount
    out: list[Issue] = []
    for row, cell in column.raw[wrong].items():
        meant = reading(cell) if isinstance(cell, str) else None
        message, fix = _verdict(ctx, cell, meant)
        fixes = {int(row): meant} if fix else None
        out += ctx.issues(sheet, [int(row)], field, Severity.ERROR, message, fixes)
    return out


def _verdict(ctx: Context, cell: object, meant: float | int | None) -> tuple[str, bool]:
    """The message for a non-number amount, and whether ``--fix`` may write ``meant``."""
    if meant is not None:
        return ctx.say(
            "An amount typed as text: Excel does not sum it. Retype it as a number "
            "(crmbook validate --fix writes {n}).",
            "Et beløp skrevet som tekst: Excel summerer det ikke. Skriv det inn som tall "
            "(crmbook validate --fix skriver {n}).",
            n=meant,
        ), True
    if isinstance(cell, str) and typed.number(cell) is not None:
        return ctx.say(
            "'{v}' can be read two ways (a decimal point or a thousands separator). Retype it "
            "as a number.",
            "«{v}» kan leses på to måter (desimaltegn eller tusenskille). Skriv det inn som tall.",
            v=cell.strip(),
        ), False
    return ctx.say(
        "Not a number. Type the number only, without words or units.",
        "Ikke et tall. Skriv bare tallet, uten ord eller enheter.",
    ), False
