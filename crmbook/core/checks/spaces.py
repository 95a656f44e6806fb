"""``--fix`` trims spaces around text: invisible, but they make 'Oslo ' and 'Oslo' two cities.

Only plain text, email and phone columns: list, org number and postal code cells get their own,
more specific fix from their checks.
"""

from __future__ import annotations

import pandas as pd

from crmbook.core import schema as s
from crmbook.core.checks.base import Context, Issue, Severity, is_str

KINDS = frozenset({s.Kind.TEXT, s.Kind.EMAIL, s.Kind.PHONE})


def spaces(ctx: Context) -> list[Issue]:
    """Fix-only notes for text cells with spaces before or after the text."""
    message = ctx.say("Spaces around the text removed.", "Mellomrom foran og bak teksten fjernet.")
    out: list[Issue] = []
    for sheet in s.DATA_SHEETS:
        for f in s.SHEET_FIELDS[sheet]:
            if f.kind in KINDS and ctx.has(sheet, f.name):
                fixes = _trimmed(ctx.raw(sheet, f.name))
                out += ctx.issues(sheet, list(fixes), f.name, Severity.FIXED, message, fixes)
    return out


def _trimmed(raw: pd.Series) -> dict[int, object]:
    """Row -> trimmed text (None when only spaces) for text cells that have surrounding spaces."""
    text = raw[is_str(raw)].astype(str)
    stripped = text.str.strip()
    changed = stripped[text != stripped]
    return {int(row): (value or None) for row, value in changed.items()}
