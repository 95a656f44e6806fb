"""Small pure checks over a register, one module per area; ``crmbook.core.validate`` runs them.

Each check is ``check(ctx: Context) -> list[Issue]`` and must never raise on a cell's value.
"""

from __future__ import annotations

from collections.abc import Callable

from crmbook.core.checks import (
    amounts,
    contact,
    control,
    identity,
    injection,
    lists,
    numbers_bands,
    reading,
    references,
    registry,
    required,
    selections,
    spaces,
    timeline,
)
from crmbook.core.checks.base import Context, Fix, Issue, Severity

Check = Callable[[Context], list[Issue]]

#: Every check, in the order a reader would go through a customer's row.
CHECKS: tuple[Check, ...] = (
    injection.excel_errors,  # first: other checks' words about such a cell are dropped
    control.control_characters,  # before the others: its fix is the one that cleans the cell
    identity.customer_ids,
    required.required,
    identity.org_numbers,
    contact.postal_codes,
    contact.emails,
    contact.phones,
    numbers_bands.numbers,
    numbers_bands.bands,
    lists.list_values,
    registry.industry_codes,
    registry.org_forms,
    registry.turnover_years,
    references.dates,
    references.references,
    amounts.amounts,
    timeline.future_dates,
    timeline.responses_before_letters,
    selections.selections,
    injection.formulas,
    spaces.spaces,
    reading.read_notes,
)

__all__ = ["CHECKS", "Check", "Context", "Fix", "Issue", "Severity"]
