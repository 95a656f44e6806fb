"""Spaces before or after text: invisible, but they make 'Oslo ' and 'Oslo' two cities.

A warning at each such cell, once; ``--fix`` removes the spaces. Text, email, phone, org number
and postal code cells are checked. List cells are not: their own warning ("Write it as …")
already names the value without the spaces. Number and date cells typed as text are not either:
their warning already says to retype them as a number or date.
"""

from __future__ import annotations

from crmbook.core import schema as s
from crmbook.core.checks.base import Column, Context, Issue, Severity

KINDS = frozenset({s.Kind.TEXT, s.Kind.EMAIL, s.Kind.PHONE, s.Kind.ORGNR, s.Kind.POSTAL})


def spaces(ctx: Context) -> list[Issue]:
    """A warning (with a fix) for each text cell with spaces before or after the text."""
    message = ctx.say(
        "Spaces before or after the text; crmbook validate --fix removes them.",
        "Mellomrom foran eller bak teksten; crmbook validate --fix fjerner dem.",
    )
    out: list[Issue] = []
    for sheet in s.DATA_SHEETS:
        for f in s.SHEET_FIELDS[sheet]:
            if f.kind in KINDS and ctx.has(sheet, f.name):
                fixes = _trimmed(ctx.column(sheet, f.name))
                out += ctx.issues(sheet, list(fixes), f.name, Severity.WARNING, message, fixes)
    return out


def _trimmed(column: Column) -> dict[int, object]:
    """Row -> trimmed text (None when only spaces) for text cells that have surrounding spaces."""
    if not column.edge_space:
        return {}
    rows = column.raw.index[column.is_str]
    pairs = zip(rows, column.strings, strict=True)
    return {int(r): v.strip() or None for r, v in pairs if v != v.strip()}
