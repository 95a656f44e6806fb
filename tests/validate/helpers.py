"""Short ways to ask what validation found, so each test reads as the user's sheet and verdict."""

from __future__ import annotations

from crmbook.core.checks import Issue, Severity
from crmbook.core.register import Register
from crmbook.core.validate import Validation, validate

E, W, F = Severity.ERROR, Severity.WARNING, Severity.FIXED


def run(register: Register, *, fix: bool = False) -> Validation:
    return validate(register, fix=fix)


def found(register: Register, field: str | None = None, *, fix: bool = False) -> set[tuple]:
    """{(row, field, severity)} of the issues (of one field when given)."""
    return {
        (i.row, i.field, i.severity)
        for i in run(register, fix=fix).issues
        if field is None or i.field == field
    }


def at(register: Register, row: int, field: str, *, fix: bool = False) -> list[Issue]:
    """The issues of one cell."""
    return [i for i in run(register, fix=fix).issues if i.row == row and i.field == field]


def fixes(register: Register) -> dict[tuple[int, str], object]:
    """{(row, field): new value} of the --fix run."""
    return {(i.row, i.field): i.fix.value for i in run(register, fix=True).fixed if i.fix}
