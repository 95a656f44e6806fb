"""Formulas in the data: text that begins with '=' is a warning (exported to CSV or pasted
elsewhere, it can run as a formula — CSV injection; crmbook itself always writes such text as
text), and a cell showing an Excel error (#REF!, #DIV/0!) is an error, whatever its column.
"""

from __future__ import annotations

from crmbook.core import schema as s
from crmbook.core.checks.base import Context, Issue, Severity

#: Cells where a leading '=' is meant: the Selections operator ``=``.
EXEMPT = frozenset({(s.SELECTIONS, "Operator")})


def formulas(ctx: Context) -> list[Issue]:
    """Every text cell of every data sheet that starts with '='."""
    message = ctx.say(
        "Starts with '=': when the data is exported, another program may run it as a formula. "
        "Remove the '=' unless it is meant.",
        "Begynner med '=': når dataene eksporteres, kan et annet program kjøre det som en "
        "formel. Fjern '=' hvis det ikke er meningen.",
    )
    out: list[Issue] = []
    for sheet, field, column in ctx.columns_read():
        if (sheet, field) in EXEMPT or not column.any_contains("="):
            continue
        rows = column.raw.index[column.is_str]
        starts = [r for r, v in zip(rows, column.strings, strict=True) if _starts(v)]
        out += ctx.issues(sheet, starts, field, Severity.WARNING, message)
    return out


def _starts(text: str) -> bool:
    return text.lstrip().startswith("=")


def excel_errors(ctx: Context) -> list[Issue]:
    """Every data cell that shows an Excel error: a broken formula, not a value."""
    out: list[Issue] = []
    for sheet, field, column in ctx.columns_read():
        raw = column.raw
        for row in raw.index[column.is_excel_error]:
            message = ctx.say(
                "The cell shows the Excel error {e}: its formula is broken. Correct the "
                "formula, or type the value itself.",
                "Cellen viser Excel-feilen {e}: formelen er ødelagt. Rett formelen, eller "
                "skriv inn selve verdien.",
                e=raw[row],
            )
            out += ctx.issues(sheet, [row], field, Severity.ERROR, message)
    return out
