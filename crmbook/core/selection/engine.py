"""Compute a saved selection: criteria AND-ed within a group, groups OR-ed, reserved removed.

The engine reads the Selections sheet, builds each needed column once, and applies every
criterion to all customers as one boolean array; a criterion on another selection reuses that
selection's result. The first problem of the selection's rows (``Criteria.read``) — or a circle
of selections referring to each other — stops it with a message naming the cell.
Customers without a Customer ID cannot be written to, so they are left out with a funnel line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from crmbook.core.i18n import say
from crmbook.core.register import Register
from crmbook.core.selection import keys
from crmbook.core.selection.columns import Columns, coded, raw_column
from crmbook.core.selection.criteria import Criteria, Criterion, Domain, Problem, Row
from crmbook.core.selection.masks import criterion_mask
from crmbook.core.selection.names import Op
from crmbook.core.vocabulary import norm


@dataclass(frozen=True)
class FunnelStep:
    """How many customers remain after one step of the selection."""

    criterion: str
    remaining: int


@dataclass(frozen=True)
class SelectionResult:
    """The customers of a selection, in register order, and how the count came about."""

    selection: str  # the name as written on the Selections sheet
    rows: tuple[int, ...]  # Excel rows on the Customers sheet
    customer_ids: tuple[int, ...]  # customers without an ID are left out (funnel says so)
    funnel: tuple[FunnelStep, ...]
    groups: dict[int, int] = field(default_factory=dict)  # group -> customers meeting it

    @property
    def count(self) -> int:
        """Number of customers selected."""
        return len(self.rows)

    def to_json(self) -> dict[str, object]:
        """The ``select --json`` object of SPEC §2."""
        return {
            "selection": self.selection,
            "count": self.count,
            "customer_ids": list(self.customer_ids),
            "funnel": [{"criterion": f.criterion, "remaining": f.remaining} for f in self.funnel],
        }


Groups = dict[int, list[tuple[Criterion, np.ndarray]]]


class Engine:
    """Selections of one register; columns and selection results are computed once."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self.lang = register.lang
        self.criteria = Criteria(register)
        self.columns = Columns(register)
        self._groups: dict[str, Groups] = {}  # by selection name as written

    def names(self) -> list[str]:
        """The saved selections, in sheet order."""
        return self.criteria.names()

    def groups(self, name: str) -> tuple[str, Groups]:
        """A selection's name as written, and each group's criteria with their masks."""
        written, rows = self.criteria.rows(name)
        if written not in self._groups:
            check_selection(self.criteria, written)
            self._groups[written] = self._evaluate(rows)
        return written, self._groups[written]

    def matched(self, name: str) -> np.ndarray:
        """Customers meeting a selection's criteria (reserved customers not yet removed)."""
        _, groups = self.groups(name)
        return _any(_all(masks) for masks in _masks(groups).values())

    def _evaluate(self, rows: list[Row]) -> Groups:
        groups: Groups = {}
        for row in rows:
            crit = read_criterion(self.criteria, row)
            groups.setdefault(crit.group, []).append((crit, self._mask(crit)))
        return dict(sorted(groups.items()))

    def reserved(self) -> np.ndarray:
        """Customers reserved against marketing (``reserved_mask``)."""
        return reserved_mask(self.columns)

    def result(self, name: str) -> SelectionResult:
        """Compute a selection: its customers and its funnel."""
        written, groups = self.groups(name)
        matched = self.matched(name)
        allowed = matched & ~self.reserved()
        without_id = np.isnan(self.columns.ids)
        selected = allowed & ~without_id
        steps: dict[int, list[tuple[Criterion, int]]] = {}
        for number, criteria in groups.items():
            remaining = np.ones(len(self.columns.ids), dtype=bool)
            for crit, mask in criteria:
                remaining = remaining & mask
                steps.setdefault(number, []).append((crit, int(remaining.sum())))
        counts = Counts(len(matched), steps, int(matched.sum()), int(allowed.sum()),
                        int(selected.sum()), bool(without_id.any()))  # fmt: skip
        positions = np.flatnonzero(selected)
        return SelectionResult(
            selection=written,
            rows=tuple(self.columns.customers.index[positions].astype(int).tolist()),
            customer_ids=tuple(int(i) for i in self.columns.ids[positions].tolist()),
            funnel=funnel_steps(self.lang, counts),
            groups=counts.groups(),
        )

    def _mask(self, crit: Criterion) -> np.ndarray:
        if crit.target.domain is Domain.SELECTION:
            inside = _any(self.matched(str(v)) for v in crit.values)
            return ~inside if crit.op is Op.NE else inside
        if crit.target.domain is Domain.RESPONSE:
            pairs = crit.values  # (campaign key, response key)
            said = _any(self.columns.offer_response(c) == r for c, r in pairs)  # type: ignore[misc]
            return ~said if crit.op is Op.NE else said
        return column_mask(self.columns, crit)


@dataclass(frozen=True)
class Counts:
    """The numbers behind a funnel, however they were counted (arrays here, SQL in the
    database): all customers; per group, each criterion with the customers remaining after
    it; those meeting any group; left after the reservation; left after the Customer ID check."""

    total: int
    steps: dict[int, list[tuple[Criterion, int]]]
    matched: int
    allowed: int
    selected: int
    without_id: bool

    def groups(self) -> dict[int, int]:
        """Group -> customers meeting it (what remains after its last criterion)."""
        return {g: criteria[-1][1] for g, criteria in self.steps.items()}


def funnel_steps(lang: str, counts: Counts) -> tuple[FunnelStep, ...]:
    """The funnel's lines in the workbook's language: one wording for every way of counting."""
    funnel = [FunnelStep(say(lang, "Customers", "Kunder"), counts.total)]
    for number, criteria in counts.steps.items():
        for crit, remaining in criteria:
            label = crit.text
            if len(counts.steps) > 1:
                label = say(lang, "Group {g}: {c}", "Gruppe {g}: {c}", g=number, c=label)
            funnel.append(FunnelStep(label, remaining))
    if len(counts.steps) > 1:
        numbers = ", ".join(str(g) for g in counts.steps)
        label = say(lang, "Any of groups {g}", "Minst én av gruppene {g}", g=numbers)
        funnel.append(FunnelStep(label, counts.matched))
    funnel.append(FunnelStep(reserved_label(lang), counts.allowed))
    if counts.without_id:
        funnel.append(FunnelStep(without_id_label(lang), counts.selected))
    return tuple(funnel)


def check_selection(criteria: Criteria, written: str) -> None:
    """What stops a selection before its criteria are read: a row without a name (it could
    belong to this selection: always an error) or a circle of selections reached from it."""
    unnamed = [r for r in criteria.all_rows if r.selection is None]
    circles = criteria.circle_problems([norm(written)])
    first = [criteria.read(r) for r in unnamed[:1]] + circles[:1]
    if first:
        raise criteria.error(first[0])  # type: ignore[arg-type]


def read_criterion(criteria: Criteria, row: Row) -> Criterion:
    """A criterion row read, or the error naming its cell."""
    crit = criteria.read(row)
    if isinstance(crit, Problem):
        raise criteria.error(crit)
    return crit


def column_mask(columns: Columns, crit: Criterion) -> np.ndarray:
    """Which customers meet a criterion on a field (any but Selection and Response to offer).

    ``is blank`` / ``not blank`` on a Customers field look at the raw cell (``Columns.blank``).
    """
    if crit.op in (Op.IS_BLANK, Op.NOT_BLANK):
        blank = columns.blank(crit.target)
        if blank is not None:
            return blank if crit.op is Op.IS_BLANK else ~blank
    column = columns.get(crit.target, crit.scope)
    return criterion_mask(crit, column, columns.ids)


def reserved_mask(columns: Columns) -> np.ndarray:
    """Customers reserved against marketing: No marketing is anything but blank or No.

    An unreadable value counts as reserved: a reservation is a legal duty, so doubt excludes.
    """
    column = coded(raw_column(columns.customers, "No marketing"), keys.list_key)
    allowed = np.isin(column.keys, np.array(["no", "false"], dtype=object))
    return (column.codes >= 0) & ~column.take(allowed)


def reserved_label(lang: str) -> str:
    """The funnel's last line: reserved customers removed."""
    return say(
        lang,
        "Excluding No marketing = Yes",
        "Unntatt reservert mot markedsføring = Ja",
    )


def without_id_label(lang: str) -> str:
    """The funnel line after it, shown when some customers have no (readable) Customer ID."""
    return say(
        lang,
        "Without a Customer ID (run crmbook validate)",
        "Uten kundenr (kjør crmbook validate)",
    )


def _masks(groups: Groups) -> dict[int, list[np.ndarray]]:
    return {g: [m for _, m in criteria] for g, criteria in groups.items()}


def _all(masks: list[np.ndarray]) -> np.ndarray:
    return np.logical_and.reduce(masks)


def _any(masks: Iterable[np.ndarray]) -> np.ndarray:
    return np.logical_or.reduce(list(masks))
