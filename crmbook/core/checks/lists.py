"""List columns hold a value of their list (the Lists sheet, in the workbook's language).

A value outside the list is invisible to a selection on that list (``Remark <> Bad payer`` lets a
"bad payor" through), so it is an error. A harmless variant — other case, surrounding spaces,
'-' for '–', a band as the source writes it ('>500 M' for '≥500 M'), or the same value in the
other language — still matches, and is a warning naming the value to write, which ``--fix``
writes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.checks.base import Context, Issue, Severity
from crmbook.core.vocabulary import canonical_value, loose, value

#: Lists users extend themselves on the Lists sheet (SPEC §1: "editable").
EDITABLE = frozenset({"industry", "product"})


def allowed_values(ctx: Context, list_name: str) -> list[str]:
    """The values of a list as the workbook's Lists sheet has them (defaults when absent)."""
    values = ctx.register.lists.get(list_name)
    return list(values) if values else [value(v, ctx.lang) for v in s.LISTS_EN[list_name]]


def match(cell: object, allowed: list[str], lang: str) -> tuple[bool, str | None]:
    """(exact, the list value meant): exact match, a harmless variant, or (False, None)."""
    if isinstance(cell, str) and cell in allowed:
        return True, cell
    text = typed.text(cell)
    if text is None:
        return True, None
    by_key = {loose(a): a for a in allowed}
    if loose(text) in by_key:
        return False, by_key[loose(text)]
    english = canonical_value(text)
    if english is not None and loose(value(english, lang)) in by_key:
        return False, by_key[loose(value(english, lang))]
    return False, None


def list_fields() -> Iterator[tuple[str, s.Field]]:
    """Every list column of the data sheets."""
    for sheet in s.DATA_SHEETS:
        for f in s.SHEET_FIELDS[sheet]:
            if f.kind is s.Kind.LIST and f.list_name:
                yield sheet, f


def list_values(ctx: Context) -> list[Issue]:
    """Every list column: values from the list; variants are warnings with the value to write."""
    out: list[Issue] = []
    for sheet, f in list_fields():
        if ctx.has(sheet, f.name):
            out += _list_column(ctx, sheet, f)
    return out


def _list_column(ctx: Context, sheet: str, f: s.Field) -> list[Issue]:
    raw = ctx.raw(sheet, f.name)
    allowed = allowed_values(ctx, f.list_name or "")
    verdicts = {cell: match(cell, allowed, ctx.lang) for cell in pd.unique(raw.dropna())}
    wrong = {cell: meant for cell, (exact, meant) in verdicts.items() if not exact}
    if not wrong:
        return []
    out: list[Issue] = []
    for row, cell in raw[raw.isin(list(wrong))].items():
        meant = wrong[cell]
        if meant is None:
            message = _not_in_list(ctx, cell, allowed, f)
            out += ctx.issues(sheet, [int(row)], f.name, Severity.ERROR, message)
            continue
        message = ctx.say(
            "Write it as '{v}', exactly as in the list.",
            "Skriv «{v}», nøyaktig som i lista.",
            v=meant,
        )
        out += ctx.issues(sheet, [int(row)], f.name, Severity.WARNING, message, {int(row): meant})
    return out


def _not_in_list(ctx: Context, cell: object, allowed: list[str], f: s.Field) -> str:
    message = ctx.say(
        "'{v}' is not in the list. Choose one of: {values}",
        "«{v}» står ikke i lista. Velg en av: {values}",
        v=typed.text(cell),
        values=", ".join(allowed),
    )
    if f.list_name in EDITABLE:
        message += ctx.say(
            " (or add it to the Lists sheet).", " (eller legg den til i arket Lister)."
        )
    else:
        message += "."
    return message
