"""Segment selections: the Selections sheet's criteria computed over the register (SPEC §1).

``compute(register, "Konferansetilbud")`` gives the customers and the funnel; ``explain`` says
why one customer is in or out. Customers fields may be named by their header in either language
(``vocabulary``); derived field names and operators live in ``names``.
"""

from __future__ import annotations

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


def compute(register: Register, name: str) -> SelectionResult:
    """The customers of a saved selection (No-marketing customers removed) and its funnel."""
    return Engine(register).result(name)
