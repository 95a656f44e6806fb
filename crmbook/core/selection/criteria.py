"""The Selections sheet read into typed criteria: each row gives a criterion or a located problem.

One reading for every reader (the beancount pattern): ``crmbook validate`` turns each problem
into an Issue at its cell, ``crmbook select`` refuses on the first problem of the selection it
computes. So a row validate accepts is a row select computes, and both say a problem in the same
words. Select reads only the rows of the selections it computes, so one half-typed selection
does not stop staff from computing the others.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.i18n import say
from crmbook.core.register import Register
from crmbook.core.selection import names as n
from crmbook.core.selection.names import Op
from crmbook.core.selection.values import (
    Domain,
    Scope,
    Target,
    Unreadable,
    ValueReader,
    customer_target,
)
from crmbook.core.vocabulary import CUSTOMER_FIELDS, HEADERS_NB, norm
from crmbook.errors import UsageError

T = TypeVar("T")

__all__ = ["Criteria", "Criterion", "Domain", "Problem", "Row", "Scope", "SelectionError", "Target"]


class SelectionError(UsageError):
    """A selection that cannot be computed as written; the message names the cell to fix."""


DERIVED: dict[str, Target] = {
    n.PURCHASED_PRODUCT: Target(n.PURCHASED_PRODUCT, Domain.HAS, "product"),
    n.PURCHASES_TOTAL: Target(n.PURCHASES_TOTAL, Domain.NUMBER, scoped=True),
    n.NUMBER_OF_PURCHASES: Target(n.NUMBER_OF_PURCHASES, Domain.NUMBER, scoped=True),
    n.LAST_PURCHASE_DATE: Target(n.LAST_PURCHASE_DATE, Domain.DATE, scoped=True),
    n.OFFER_RECEIVED: Target(n.OFFER_RECEIVED, Domain.HAS),
    n.LAST_RESPONSE: Target(n.LAST_RESPONSE, Domain.LIST, "response"),
    n.RESPONSE_TO_OFFER: Target(n.RESPONSE_TO_OFFER, Domain.RESPONSE, "response"),
    n.SELECTION: Target(n.SELECTION, Domain.SELECTION),
}

_ORDER = {Op.GT, Op.GE, Op.LT, Op.LE, Op.BETWEEN}
_TEXTUAL = {Op.CONTAINS, Op.STARTS_WITH}
_ALL = frozenset(Op)
ALLOWED: dict[Domain, frozenset[Op]] = {
    Domain.NUMBER: _ALL - _TEXTUAL,
    Domain.DATE: _ALL - _TEXTUAL,
    Domain.BAND: _ALL - _TEXTUAL,
    Domain.TEXT: _ALL,
    Domain.COUNTRY: _ALL,
    Domain.LIST: _ALL - _ORDER,
    Domain.HAS: _ALL - _ORDER,
    Domain.RESPONSE: frozenset({Op.EQ, Op.NE, Op.ONE_OF}),
    Domain.SELECTION: frozenset({Op.EQ, Op.NE, Op.ONE_OF}),
}


@dataclass(frozen=True)
class Criterion:
    """One criterion row, read: values are already typed keys, numbers, dates or ranks."""

    selection: str
    group: int
    target: Target
    op: Op
    values: tuple[object, ...]
    text: str  # as typed, e.g. "Ansatte > 100"
    row: int  # Excel row on the Selections sheet
    scope: Scope | None = None  # which purchases count (Purchases total, Number of purchases …)


@dataclass(frozen=True)
class Problem:
    """Why a criterion row cannot be read: its cell (Excel row, English column) and a sentence
    in the workbook's language saying what to type instead."""

    row: int
    column: str
    message: str


@dataclass(frozen=True)
class Row:
    """A criterion row as written."""

    row: int
    selection: str | None
    group: object
    field: object
    operator: object
    value: object


class Criteria:
    """The Selections sheet: its named selections, and how to read their criteria."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self.lang = register.lang
        sheet = register.sheets[s.CUSTOMERS]
        written = {norm(h): f for f, h in sheet.headers.items()}
        self._fields = {**CUSTOMER_FIELDS, **written}
        headers = [HEADERS_NB[s.CUSTOMERS][f.name] for f in s.SHEET_FIELDS[s.CUSTOMERS]]
        headers += [f.name for f in s.SHEET_FIELDS[s.CUSTOMERS]]
        self._spellings = [*headers, *n.DERIVED_NB, *n.DERIVED_NB.values(), n.SELECTION]
        self.all_rows = self._rows()
        self.selections: dict[str, tuple[str, list[Row]]] = {}
        for row in self.all_rows:
            if row.selection is not None:
                entry = self.selections.setdefault(norm(row.selection), (row.selection, []))
                entry[1].append(row)

    def names(self) -> list[str]:
        """Names of the saved selections, in sheet order."""
        return [name for name, _ in self.selections.values()]

    def rows(self, name: str) -> tuple[str, list[Row]]:
        """A selection's name as written and its rows; an error listing the others if unknown."""
        found = self.selections.get(norm(name))
        if found is None:
            raise SelectionError(
                say(
                    self.lang,
                    "There is no selection '{name}' on the sheet {sheet}. Selections: {names}.",
                    "Det finnes ikke noe utvalg «{name}» på arket {sheet}. Utvalg: {names}.",
                    name=name,
                    sheet=self.register.sheet_name(s.SELECTIONS),
                    names=", ".join(self.names()) or "–",
                )
            )
        return found

    def _rows(self) -> list[Row]:
        frame = self.register.frame(s.SELECTIONS)
        out = []
        for row, rec in zip(frame.index, frame.to_dict("records"), strict=True):
            name = typed.text(rec.get("Selection"))
            if name is None and all(typed.is_blank(v) for v in rec.values()):
                continue
            cells = (rec.get(c) for c in ("Group", "Field", "Operator", "Value"))
            out.append(Row(int(row), name, *cells))
        return out

    @cached_property
    def _values(self) -> ValueReader:
        return ValueReader(self.register, set(self.selections), self.names())

    def read(self, row: Row) -> Criterion | Problem:
        """Read one row: a criterion, or the first problem (what ``select`` stops on)."""
        crit, problems = self._reading(row)
        return problems[0] if problems else crit  # type: ignore[return-value]

    def problems(self, row: Row) -> list[Problem]:
        """Every problem of a row (what ``validate`` lists): none when ``read`` gives a criterion.

        Name, group, field and operator are each checked on their own; whether the operator
        fits the field, and the value, only once both are known.
        """
        return self._reading(row)[1]

    def _reading(self, row: Row) -> tuple[Criterion | None, list[Problem]]:
        problems: list[Problem] = []

        def attempt(step: Callable[[], T]) -> T | None:
            try:
                return step()
            except Unreadable as bad:
                message = say(self.lang, bad.en, bad.nb, **bad.values)
                problems.append(Problem(row.row, bad.column, message))
                return None

        attempt(lambda: _named(row))
        group = attempt(lambda: _group(row))
        target = attempt(lambda: self._target(row))
        op = attempt(lambda: self._operator(row, target))
        field = typed.text(row.field)
        if target is None or op is None:
            return None, problems
        read = attempt(lambda: self._values.read(target, op, row.value, field))
        if problems or read is None or group is None or row.selection is None:
            return None, problems
        shown = (field, typed.text(row.operator), typed.text(row.value))
        text = " ".join(t for t in shown if t)
        values, scope = read
        return Criterion(row.selection, group, target, op, values, text, row.row, scope), []

    def _target(self, row: Row) -> Target:
        typed_field = typed.text(row.field)
        if typed_field is None:
            raise Unreadable(
                "Field", "The field is missing: choose one.", "Feltet mangler: velg et felt."
            )
        english = self._fields.get(norm(typed_field))
        if english is not None:
            return customer_target(s.field(s.CUSTOMERS, english))
        derived = n.derived_field(typed_field)
        if derived is not None:
            return DERIVED[derived]
        near = difflib.get_close_matches(typed_field, self._spellings, n=1, cutoff=0.6)
        raise Unreadable(
            "Field",
            "Unknown field '{f}'." + (" Did you mean '{near}'?" if near else ""),
            "Ukjent felt «{f}»." + (" Mente du «{near}»?" if near else ""),
            f=typed_field,
            near=near[0] if near else "",
        )

    def _operator(self, row: Row, target: Target | None) -> Op:
        typed_op = typed.text(row.operator)
        op = n.OPERATOR_BY_NORM.get(norm(typed_op)) if typed_op else None
        if op is None:
            raise Unreadable(
                "Operator",
                "Unknown operator '{op}'. Operators: {known}."
                if typed_op
                else "The operator is missing. Operators: {known}.",
                "Ukjent operator «{op}». Operatorer: {known}."
                if typed_op
                else "Operatoren mangler. Operatorer: {known}.",
                op=typed_op or "",
                known=", ".join(n.operator_name(o, self.lang) for o in Op),
            )
        if target is not None and op not in ALLOWED[target.domain]:
            ok = [n.operator_name(o, self.lang) for o in Op if o in ALLOWED[target.domain]]
            raise Unreadable(
                "Operator",
                "'{op}' cannot be used with the field {field}. Use one of: {ok}.",
                "«{op}» kan ikke brukes med feltet {field}. Bruk en av: {ok}.",
                op=typed_op,
                field=typed.text(row.field),
                ok=", ".join(ok),
            )
        return op

    def references(self) -> dict[str, dict[str, int]]:
        """Selection -> the selections its readable Selection criteria name -> first such row."""
        out: dict[str, dict[str, int]] = {}
        for row in self.all_rows:
            if row.selection is None or n.derived_field(row.field) != n.SELECTION:
                continue
            crit = self.read(row)
            if isinstance(crit, Criterion):
                named = out.setdefault(norm(row.selection), {})
                for value in crit.values:
                    named.setdefault(str(value), row.row)
        return out

    def circle_problems(self, starts: list[str] | None = None) -> list[Problem]:
        """A problem at each criterion that leads round a circle of selections, naming the chain
        from its own selection; only circles reachable from ``starts`` when given."""
        references = self.references()
        sheet = self.register.sheet_name(s.SELECTIONS)
        problems: dict[int, Problem] = {}
        for circle in find_circles(references, starts):
            for i, name in enumerate(circle[:-1]):
                row = references[name][circle[i + 1]]
                chain = [self.selections[k][0] for k in (*circle[i:-1], *circle[:i], name)]
                message = n.circle_message(self.lang, sheet, chain)
                problems.setdefault(row, Problem(row, "Value", message))
        return [problems[r] for r in sorted(problems)]

    def error(self, problem: Problem) -> SelectionError:
        """A problem as the error ``select`` stops on, naming its cell."""
        sheet = self.register.sheets[s.SELECTIONS]
        where = say(
            self.lang,
            "{sheet}, row {row}, column {col} ({header})",
            "{sheet}, rad {row}, kolonne {col} ({header})",
            sheet=sheet.name,
            row=problem.row,
            col=sheet.column(problem.column) or "?",
            header=sheet.headers.get(problem.column, problem.column),
        )
        return SelectionError(f"{where}: {problem.message}")


def _named(row: Row) -> None:
    if row.selection is None:
        raise Unreadable(
            "Selection",
            "The selection's name is missing: type the name of the selection this criterion "
            "belongs to.",
            "Utvalgets navn mangler: skriv navnet på utvalget kriteriet hører til.",
        )


def _group(row: Row) -> int:
    group = 1 if typed.is_blank(row.group) else typed.integer(row.group)
    if group is None:
        raise Unreadable(
            "Group",
            "The group must be a whole number, like 1 or 2.",
            "Gruppen må være et heltall, som 1 eller 2.",
        )
    return group


def find_circles(
    references: dict[str, dict[str, int]], starts: list[str] | None = None
) -> list[list[str]]:
    """Circles of selections referring to each other, as chains ``[a, b, …, a]``.

    Depth first along the references, keeping the selections being walked on a stack; a
    selection met again while still on the stack closes a circle. Iterative, so no sheet is too
    long for it. The one walk for validate (every selection) and select (the one computed).
    """
    circles: list[list[str]] = []
    done: set[str] = set()
    for start in references if starts is None else starts:
        if start in done:
            continue
        stack, walks = [start], [iter(references.get(start, {}))]
        while walks:
            name = next(walks[-1], None)
            if name is None:
                done.add(stack.pop())
                walks.pop()
            elif name in stack:
                circles.append([*stack[stack.index(name) :], name])
            elif name not in done:
                stack.append(name)
                walks.append(iter(references.get(name, {})))
    return circles
