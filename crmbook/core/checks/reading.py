"""What the reader noticed about the workbook itself: formulas Excel never calculated, a header
written twice, and Settings paths that only work on one PC.

These are warnings: the data may be fine, but what crmbook reads is not what the user sees (a
formula without a value reads as blank; the second 'Company' column is ignored), or a colleague
opening the shared workbook gets another folder. ``without_formula_fixes`` keeps every fix away
from formula cells: crmbook never writes over a formula.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import PurePosixPath, PureWindowsPath

from crmbook.core import schema as s
from crmbook.core.checks.base import Context, Issue, Severity
from crmbook.core.register import Register

#: Settings that name a file or folder (SPEC §1: relative to the workbook's folder).
PATH_SETTINGS = ("Template folder", "Output folder", "Logo file", "Signature file")


def read_notes(ctx: Context) -> list[Issue]:
    """A warning per formula without a cached value and per duplicate header."""
    out: list[Issue] = []
    for data in ctx.register.sheets.values():
        for note in data.notes:
            if note.kind == "formula-no-value":
                message = ctx.say(
                    "The cell holds a formula Excel has not calculated, so crmbook reads it as "
                    "blank. Open the workbook in Excel, recalculate and save it (or type the "
                    "value instead of the formula).",
                    "Cellen har en formel som Excel ikke har regnet ut, så crmbook leser den som "
                    "tom. Åpne arbeidsboka i Excel, regn ut på nytt og lagre (eller skriv inn "
                    "verdien i stedet for formelen).",
                )
                column = note.column
            elif note.kind == "duplicate-header":
                message = ctx.say(
                    "The header '{h}' is also in column {first}: crmbook reads column {first} "
                    "and ignores this one. Rename one of the two columns.",
                    "Overskriften «{h}» står også i kolonne {first}: crmbook leser kolonne "
                    "{first} og ser bort fra denne. Gi en av de to kolonnene et annet navn.",
                    h=data.headers.get(note.field, note.field),
                    first=note.column,
                )
                column = note.other
            else:
                continue
            header = data.headers.get(note.field, note.field)
            out.append(
                Issue(data.sheet, data.name, note.row, column, note.field, None,
                      Severity.WARNING, message, header=header)
            )  # fmt: skip
    return out + _absolute_paths(ctx)


def _absolute_paths(ctx: Context) -> list[Issue]:
    """Settings paths that point at one PC's folders (C:\\Users\\…, /home/…)."""
    out = []
    rows = ctx.register.setting_rows
    for name in PATH_SETTINGS:
        value = ctx.register.settings.get(name)
        if not is_absolute(value):
            continue
        message = ctx.say(
            "'{name}' is an absolute path: it works only where that folder exists, not for a "
            "colleague opening the shared workbook. Use a path relative to the workbook's "
            "folder (e.g. letter_templates).",
            "«{name}» er en absolutt sti: den virker bare der mappen finnes, ikke for en "
            "kollega som åpner den delte arbeidsboka. Bruk en sti relativt til arbeidsbokas "
            "mappe (f.eks. brevmaler).",
            name=name,
        )
        sheet, row = ctx.register.settings_sheet, rows.get(name, 1)
        out.append(Issue(s.SETTINGS, sheet, row, "B", name, value, Severity.WARNING, message))
    return out


def is_absolute(value: object) -> bool:
    """Whether a setting's value is a path from a drive or root (either OS's spelling)."""
    if not isinstance(value, str) or not value.strip():
        return False
    text = value.strip()
    return PureWindowsPath(text).is_absolute() or PurePosixPath(text).is_absolute()


def without_formula_fixes(issues: Iterable[Issue], register: Register) -> list[Issue]:
    """The issues with every fix on a formula cell taken away (a fix would overwrite it)."""
    formulas = {
        (data.sheet, note.row, note.field)
        for data in register.sheets.values()
        for note in data.notes
        if note.kind in ("formula", "formula-no-value")
    }
    if not formulas:
        return list(issues)
    out = []
    for issue in issues:
        if issue.fix is not None and (issue.key, issue.row, issue.field) in formulas:
            issue = replace(issue, fix=None)
        out.append(issue)
    return out
