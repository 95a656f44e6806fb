"""``--fix`` trims spaces around text: invisible, but they make 'Oslo ' and 'Oslo' two cities.

Only plain text, email and phone columns: list, org number and postal code cells get their own,
more specific fix from their checks.
"""

from __future__ import annotations

from crmbook.core import schema as s
from crmbook.core.checks.base import Column, Context, Issue, Severity

KINDS = frozenset({s.Kind.TEXT, s.Kind.EMAIL, s.Kind.PHONE})


def spaces(ctx: Context) -> list[Issue]:
    """Fix-only notes for text cells with spaces before or after the text."""
    message = ctx.say("Spaces around the text removed.", "Mellomrom foran og bak teksten fjernet.")
    out: list[Issue] = []
    for sheet in s.DATA_SHEETS:
        for f in s.SHEET_FIELDS[sheet]:
            if f.kind in KINDS and ctx.has(sheet, f.name):
                fixes = _trimmed(ctx.column(sheet, f.name))
                out += ctx.issues(sheet, list(fixes), f.name, Severity.FIXED, message, fixes)
    return out


def _trimmed(column: Column) -> dict[int, object]:
    """Row -> trimmed text (None when only spaces) for text cells that have surrounding spaces."""
    if not column.edge_space:
        return {}
    rows = column.raw.index[column.is_str]
    pairs = zip(rows, column.strings, strict=True)
    return {int(r): v.strip() or None for r, v in pairs if v != v.strip()}
