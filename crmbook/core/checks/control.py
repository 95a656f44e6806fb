"""Control characters in a cell: a paste from Word leaves a vertical tab (U+000B) where it had a
line break, or U+0001 where it had a picture. Excel shows nothing, but a letter holding one
cannot be opened, nor can the combined print file, and XML readers refuse the data.

An error at each such cell, naming the characters; ``--fix`` removes them (Word's line and page
breaks become a space, or a line break in the free-text Notes/Note columns).
"""

from __future__ import annotations

from crmbook.core import textchars
from crmbook.core.checks.base import Column, Context, Issue, Severity
from crmbook.core.textchars import MULTILINE


def control_characters(ctx: Context) -> list[Issue]:
    """An error (with a fix) for each text cell holding a character XML forbids."""
    out: list[Issue] = []
    for sheet, field, column in ctx.columns_read():
        rows = _offending(column)
        if not rows:
            continue
        newlines = field in MULTILINE
        fixes = {r: textchars.cleaned(v, newlines=newlines).strip() or None
                 for r, v in rows.items()}  # fmt: skip
        messages = {r: _message(ctx, v, newlines) for r, v in rows.items()}
        out += ctx.issues(sheet, list(rows), field, Severity.ERROR, messages, fixes)
    return out


def _offending(column: Column) -> dict[int, str]:
    """Row -> text of the cells with a forbidden character (one search over the whole column
    first: a clean column costs one pass in C)."""
    if not textchars.has_forbidden(column.joined):
        return {}
    rows = column.raw.index[column.is_str]
    pairs = zip(rows, column.strings, strict=True)
    return {int(r): v for r, v in pairs if textchars.has_forbidden(v)}


def _message(ctx: Context, text: str, newlines: bool) -> str:
    chars = textchars.found(text)
    shown = ", ".join(textchars.described(c, ctx.lang) for c in chars)
    how = ""
    if "\x0b" in text or "\x0c" in text:
        how = (
            ctx.say(" (Word's line break stays a line break)", " (linjeskiftet fra Word beholdes)")
            if newlines
            else ctx.say(
                " (Word's line break becomes a space)", " (linjeskiftet fra Word blir et mellomrom)"
            )
        )
    if len(chars) > 1:
        return ctx.say(
            "Holds the invisible characters {c}, pasted from another program: a letter holding "
            "them cannot be opened. Retype the text, or run crmbook validate --fix to remove "
            "them{how}.",
            "Inneholder de usynlige tegnene {c}, limt inn fra et annet program: et brev med dem "
            "kan ikke åpnes. Skriv teksten på nytt, eller kjør crmbook validate --fix for å "
            "fjerne dem{how}.",
            c=shown,
            how=how,
        )
    return ctx.say(
        "Holds the invisible character {c}, pasted from another program: a letter holding it "
        "cannot be opened. Retype the text, or run crmbook validate --fix to remove it{how}.",
        "Inneholder det usynlige tegnet {c}, limt inn fra et annet program: et brev med det "
        "kan ikke åpnes. Skriv teksten på nytt, eller kjør crmbook validate --fix for å "
        "fjerne det{how}.",
        c=shown,
        how=how,
    )
