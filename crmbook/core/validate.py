"""Validation: run every check over a register, and say what to write back (beancount style).

``validate`` returns one sorted list of issues; the CLI's output, its exit code, ``--json``, the
Issues sheet and the cell marks all come from that one list. ``edits`` turns it into the changes
a workbook port carries out, so the file and the live Excel adapter write the same thing.

``--fix`` changes only what has exactly one reading (see ``docs/validate.md``): surrounding
spaces, list values in their canonical spelling, a blank band from its number, the leading zero
Excel dropped from a Norwegian postal code, an org number as 9 digits. Blank Customer IDs are
always filled in (SPEC §1). Each change is a "Fixed" note in place of the issue it resolves.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from crmbook.core import schema as s
from crmbook.core import textchars
from crmbook.core.checks import CHECKS, Context, Issue, Severity
from crmbook.core.checks.reading import without_formula_fixes
from crmbook.core.edits import (
    ClearMarks,
    Edit,
    EnsureSheet,
    Link,
    MarkCells,
    ReplaceRows,
    SetCells,
)
from crmbook.core.i18n import say
from crmbook.core.register import ExcelError, Register
from crmbook.core.vocabulary import value as in_lang

_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.FIXED: 2}
_MAX_SHOWN = 1000  # characters of a value shown on the Issues sheet


@dataclass(frozen=True)
class Validation:
    """The issues found in one register, sorted by sheet, row and column."""

    lang: str
    issues: tuple[Issue, ...]
    written: bool = True  # False under --no-write: the Fixed notes say what *would* change

    def count(self, severity: Severity) -> int:
        """How many issues have this severity."""
        return sum(1 for i in self.issues if i.severity is severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    @property
    def fixed(self) -> tuple[Issue, ...]:
        """The notes of cells crmbook changes (``--fix``, new Customer IDs)."""
        return tuple(i for i in self.issues if i.severity is Severity.FIXED)

    @property
    def rows(self) -> int:
        """Distinct rows (over all sheets) with an error or a warning."""
        return len({(i.key, i.row) for i in self.issues if i.severity is not Severity.FIXED})

    def to_json(self) -> dict[str, object]:
        """SPEC §2: ``{"errors", "warnings", "issues": [...]}``; ``issues`` holds only errors and
        warnings, the Fixed notes (same shape) are under ``"fixed"``."""
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "issues": [i.as_json() for i in self.issues if i.severity is not Severity.FIXED],
            "fixed": [i.as_json() for i in self.fixed],
        }

    def summary(self) -> str:
        """'7 errors and 3 warnings in 9 rows' (and the fixes), in the workbook's language."""
        return summary_line(
            self.lang, self.errors, self.warnings, self.rows, len(self.fixed), written=self.written
        )


def validate(
    register: Register,
    *,
    fix: bool = False,
    write: bool = True,
    today: dt.date | None = None,
) -> Validation:
    """Every issue in the register; with ``fix``, safe fixes replace the issues they resolve.

    ``write`` false (``--no-write``): the Fixed notes say what would be changed. ``today``
    (default: the computer's date) decides which dates lie in the future.
    """
    ctx = Context(register, write=write, today=today)
    found = without_formula_fixes([issue for check in CHECKS for issue in check(ctx)], register)
    resolved = resolve(_one_word_on_errors(found), fix=fix, lang=register.lang, write=write)
    return Validation(register.lang, tuple(sorted(resolved, key=sort_key)), write)


def _one_word_on_errors(issues: list[Issue]) -> list[Issue]:
    """A cell showing an Excel error gets that message only ("not a number" would mislead)."""
    broken = {(i.key, i.row, i.field) for i in issues if isinstance(i.value, ExcelError)}
    if not broken:
        return issues
    first: set[tuple[str, int, str]] = set()
    out = []
    for issue in issues:
        cell = (issue.key, issue.row, issue.field)
        if cell in broken:
            if cell in first:
                continue
            first.add(cell)
        out.append(issue)
    return out


def resolve(issues: Iterable[Issue], *, fix: bool, lang: str, write: bool = True) -> list[Issue]:
    """Apply fixes: one per cell (the first check's wins), as Fixed notes; drop unused ones."""
    out: list[Issue] = []
    fixed: set[tuple[str, int, str]] = set()
    for issue in issues:
        cell = (issue.key, issue.row, issue.field)
        applies = issue.fix is not None and (fix or issue.fix.always)
        if applies and cell not in fixed:
            fixed.add(cell)
            out.append(_as_fixed(issue, lang, write=write))
        elif issue.severity is not Severity.FIXED and not applies:
            out.append(issue)
    return out


def _as_fixed(issue: Issue, lang: str, *, write: bool = True) -> Issue:
    """An issue resolved by its fix, as a note saying what the cell now holds (or would)."""
    if issue.severity is Severity.FIXED or issue.fix is None:
        return issue
    value = issue.fix.value
    if value is None:  # a cell of only spaces
        en, nb = ("Emptied.", "Tømt.") if write else ("Would be emptied.", "Ville blitt tømt.")
    elif write:
        en, nb = "Changed to '{v}'.", "Endret til «{v}»."
    else:
        en, nb = "Would be changed to '{v}'.", "Ville blitt endret til «{v}»."
    message = say(lang, en, nb, v=value)
    return replace(issue, severity=Severity.FIXED, message=message)


def sort_key(issue: Issue) -> tuple[int, int, int, str, int, str]:
    """Sheets in workbook order, then row, column, severity."""
    sheet = s.DATA_SHEETS.index(issue.key) if issue.key in s.DATA_SHEETS else len(s.DATA_SHEETS)
    column = issue.column or "~"
    return (sheet, issue.row, len(column), column, _ORDER[issue.severity], issue.message)


def summary_line(
    lang: str, errors: int, warnings: int, rows: int, fixed: int = 0, *, written: bool = True
) -> str:
    """The one-line result a user reads first, singular and plural in both languages."""
    if errors == 0 and warnings == 0:
        line = say(lang, "No errors or warnings.", "Ingen feil eller advarsler.")
    else:
        line = say(
            lang,
            "{e} {errors} and {w} {warnings} in {r} {rows}.",
            "{e} feil og {w} {warnings} i {r} {rows}.",
            e=errors,
            w=warnings,
            r=rows,
            errors="error" if errors == 1 else "errors",
            warnings=_plural(lang, warnings, ("warning", "warnings"), ("advarsel", "advarsler")),
            rows=_plural(lang, rows, ("row", "rows"), ("rad", "rader")),
        )
    if fixed:
        cells = _plural(lang, fixed, ("cell", "cells"), ("celle", "celler"))
        if written:
            line += say(lang, " {n} {cells} fixed.", " {n} {cells} rettet.", n=fixed, cells=cells)
        else:
            line += say(
                lang,
                " {n} {cells} would be fixed (run without --no-write).",
                " {n} {cells} ville blitt rettet (kjør uten --no-write).",
                n=fixed,
                cells=cells,
            )
    return line


def _plural(lang: str, n: int, en: tuple[str, str], nb: tuple[str, str]) -> str:
    words = nb if lang == "nb" else en
    return words[0] if n == 1 else words[1]


def edits(validation: Validation, register: Register, issues_header: Sequence[str]) -> list[Edit]:
    """What to write: the fixes, fresh marks on the offending cells, and the Issues sheet.

    ``issues_header`` is the Issues sheet's header row in the workbook's language (the front
    end knows the layout; the core does not).
    """
    out: list[Edit] = [EnsureSheet(s.ISSUES, tuple(issues_header))]
    for sheet in s.DATA_SHEETS:
        if sheet not in register.sheets:
            continue
        cells = {(i.row, i.column): i.fix.value for i in validation.fixed
                 if i.key == sheet and i.column and i.fix is not None}  # fmt: skip
        if cells:
            out.append(SetCells(sheet, cells))
        out.append(ClearMarks(sheet))
        marks = sorted({(i.row, i.column) for i in validation.issues if i.key == sheet
                        and i.column and i.severity is not Severity.FIXED})  # fmt: skip
        if marks:
            out.append(MarkCells(sheet, marks))
    rows = [issue_row(i, register, validation.lang) for i in validation.issues]
    out.append(ReplaceRows(s.ISSUES, rows, header=tuple(issues_header)))
    return out


def issue_row(issue: Issue, register: Register, lang: str) -> list[object]:
    """One row of the Issues sheet: Sheet, Row (a link to the cell), Column, Field, Value,
    Severity, Message — in the workbook's language."""
    target = f"'{issue.sheet.replace(chr(39), chr(39) * 2)}'!{issue.column or 'A'}{issue.row}"
    return [
        issue.sheet,
        Link(issue.row, target),
        issue.column,
        issue.header or issue.field,
        shown(issue.value),
        in_lang(str(issue.severity), lang)
        if issue.severity is not Severity.FIXED
        else say(lang, "Fixed", "Rettet"),
        issue.message,
    ]


def severity_label(severity: Severity, lang: str) -> str:
    """A severity as the Issues sheet and the CLI write it: Feil, Advarsel, Rettet."""
    if severity is Severity.FIXED:
        return say(lang, "Fixed", "Rettet")
    return in_lang(str(severity), lang)


def shown(value: object) -> object:
    """A cell value as the Issues sheet can hold it: finite numbers, text of sane length, no
    character XML forbids."""
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else str(value)
    if isinstance(value, str):  # a character XML forbids is shown as �, where the fix is
        value = textchars.marked(value)
        return value[:_MAX_SHOWN] + "…" if len(value) > _MAX_SHOWN else value
    if value is None or isinstance(value, str | int | float | bool | dt.date):
        return value
    return str(value)  # a time of day, a duration …: shown as text, never refused
