"""The Selections sheet: every criterion row can be read, and no selections form a circle.

A typo in a selection ('Ansate > 100', 'Employees > hundred') would otherwise surface only as
letters sent to the wrong customers, so it is caught here, before letters. The rows are read by
the very parser ``crmbook select`` uses (``selection.criteria``): each problem it finds is an
Issue at its cell, in its words, so validate accepts exactly the rows select computes.
"""

from __future__ import annotations

from crmbook.core import schema as s
from crmbook.core.checks.base import Context, Issue, Severity
from crmbook.core.selection.criteria import Criteria


def selections(ctx: Context) -> list[Issue]:
    """Every criterion row of every selection, and circles of selections naming each other."""
    needed = (s.CUSTOMERS, s.SELECTIONS)
    if any(ctx.data(sheet) is None for sheet in needed):
        return []
    criteria = Criteria(ctx.register)
    problems = [p for row in criteria.all_rows for p in criteria.problems(row)]
    problems += criteria.circle_problems()
    out: list[Issue] = []
    for p in problems:
        out += ctx.issues(s.SELECTIONS, [p.row], p.column, Severity.ERROR, p.message)
    return out
