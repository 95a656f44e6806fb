"""Text that begins with '=' is a warning: exported to CSV or pasted elsewhere, it can run as a
formula (CSV injection). crmbook itself always writes such text as text (``core.edits``).
"""

from __future__ import annotations

from crmbook.core import schema as s
from crmbook.core.checks.base import Context, Issue, Severity, rows_where

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
    for sheet in s.DATA_SHEETS:
        data = ctx.data(sheet)
        if data is None:
            continue
        for field in data.frame.columns:
            if (sheet, field) in EXEMPT or not ctx.has(sheet, field):
                continue
            starts = ctx.text(sheet, field).str.startswith("=")
            out += ctx.issues(sheet, rows_where(starts), field, Severity.WARNING, message)
    return out
