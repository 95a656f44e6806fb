"""Segment selections: the Selections sheet's criteria computed over the register (SPEC §1).

``compute(register, "Konferansetilbud")`` gives the customers and the funnel; ``explain`` says
why one customer is in or out. ``aliases`` maps further spellings of Customers headers (the
workbook layout's bokmål headers) to English field names; derived field names live in ``names``.
"""

from __future__ import annotations

from collections.abc import Mapping

from crmbook.core.register import Register
from crmbook.core.selection.criteria import SelectionError
from crmbook.core.selection.engine import Engine, FunnelStep, SelectionResult
from crmbook.core.selection.explain import Explanation, GroupVerdict, explain

__all__ = [
    "Engine",
    "Explanation",
    "FunnelStep",
    "GroupVerdict",
    "SelectionError",
    "SelectionResult",
    "compute",
    "explain",
]


def compute(
    register: Register, name: str, aliases: Mapping[str, str] | None = None
) -> SelectionResult:
    """The customers of a saved selection (No-marketing customers removed) and its funnel."""
    return Engine(register, aliases).result(name)
