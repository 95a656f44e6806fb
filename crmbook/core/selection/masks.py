"""One criterion applied to every customer at once: a boolean array, no loop over customers.

Blanks are explicit: a number or date compares only when present (a blank Employees is neither
"> 100" nor "<> 100"); a blank text or list value (bands too) equals nothing, so ``<> X``
includes it;
``<>`` on Purchased product / Offer received means "has not", so it includes customers with no
purchases or mailings at all. ``is blank`` on a Customers field never gets here: the engine
asks the raw cell (``Columns.blank``), so unreadable text is neither blank nor any value.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

import numpy as np

from crmbook.core.selection import keys
from crmbook.core.selection.columns import Coded, Column, Has
from crmbook.core.selection.criteria import Criterion, Domain
from crmbook.core.selection.names import Op

_COMPARE: dict[Op, Callable[[object, object], object]] = {
    Op.EQ: operator.eq,
    Op.GT: operator.gt,
    Op.GE: operator.ge,
    Op.LT: operator.lt,
    Op.LE: operator.le,
}


def criterion_mask(crit: Criterion, column: Column, ids: np.ndarray) -> np.ndarray:
    """Which customers meet one (non-Selection) criterion."""
    if isinstance(column, Has):
        return _has_mask(crit, column, ids)
    if isinstance(column, Coded):
        return _coded_mask(crit, column)
    if crit.op is Op.NE and crit.target.domain is Domain.BAND:
        return ~_value_mask(Op.EQ, column, crit.values)  # a band is a list value: blank is not X
    return _value_mask(crit.op, column, crit.values)


def _value_mask(op: Op, values: np.ndarray, wanted: tuple[object, ...]) -> np.ndarray:
    """Numbers, dates and band ranks: comparisons hold only where a value is present."""
    present = ~np.isnat(values) if values.dtype.kind == "M" else ~np.isnan(values)
    if op is Op.IS_BLANK:
        return ~present
    if op is Op.NOT_BLANK:
        return present
    if op is Op.NE:
        return present & (values != wanted[0])
    if op is Op.BETWEEN:
        return present & (values >= wanted[0]) & (values <= wanted[1])
    if op is Op.ONE_OF:
        return present & np.isin(values, np.array(wanted, dtype=values.dtype))
    return present & _COMPARE[op](values, wanted[0])  # type: ignore[operator]


def _coded_mask(crit: Criterion, column: Coded) -> np.ndarray:
    """Text and list values: decided once per distinct key, then spread to the customers."""
    if crit.op is Op.IS_BLANK:
        return column.codes < 0
    if crit.op is Op.NOT_BLANK:
        return column.codes >= 0
    if crit.op is Op.NE:
        return ~column.take(key_matches(column.keys, Op.EQ, crit.values, crit.target.domain))
    return column.take(key_matches(column.keys, crit.op, crit.values, crit.target.domain))


#: ``<>`` and ``is blank`` on Purchased product / Offer received: has *no* matching row.
HAS_NOT = frozenset({Op.NE, Op.IS_BLANK})


def _has_mask(crit: Criterion, column: Has, ids: np.ndarray) -> np.ndarray:
    """Has (or has not) a purchase / mailing whose value matches."""
    has = np.isin(ids, column.owners[has_rows(crit, column.values)])
    return ~has if crit.op in HAS_NOT else has


def has_rows(crit: Criterion, values: Coded) -> np.ndarray:
    """Which purchase / mailing rows match a criterion on them (for ``<>`` and ``is blank``:
    the rows whose presence keeps a customer out). The database's translation asks this too."""
    if crit.op in (Op.IS_BLANK, Op.NOT_BLANK):
        return values.codes >= 0
    op = Op.EQ if crit.op is Op.NE else crit.op
    domain = Domain.LIST if crit.target.list_name else Domain.TEXT
    return values.take(key_matches(values.keys, op, crit.values, domain))


def key_matches(
    found: np.ndarray, op: Op, wanted: tuple[object, ...], domain: Domain
) -> np.ndarray:
    """For each distinct key, whether it meets ``op`` with the wanted keys."""
    if op in (Op.CONTAINS, Op.STARTS_WITH):
        test = _textual(op, str(wanted[0]), listed=domain is not Domain.TEXT)
        return np.array([test(k) for k in found], dtype=bool)
    if op is Op.ONE_OF:
        return np.isin(found, np.array(wanted, dtype=object))
    if op is Op.BETWEEN:
        return np.array([wanted[0] <= k <= wanted[1] for k in found], dtype=bool)  # type: ignore[operator]
    compare = _COMPARE[op]
    return np.array([bool(compare(k, wanted[0])) for k in found], dtype=bool)


def _textual(op: Op, needle: str, *, listed: bool) -> Callable[[str], bool]:
    """``contains`` / ``starts with``; a list value matches in either language."""
    names = keys.spellings if listed else (lambda k: (k,))
    if op is Op.CONTAINS:
        return lambda key: any(needle in k for k in names(key))
    return lambda key: any(k.startswith(needle) for k in names(key))
