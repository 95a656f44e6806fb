"""A saved selection's criteria as SQL conditions on the customers table, so the database
returns only the customers a selection picks (``crmbook select URL``).

The parsed criteria (``core.selection.criteria``) are translated, never the sheet's text: one
parser. Numbers, counts and dates compare in SQL as they are stored. A criterion on a text-like
value (text, list values in either language, bands however spelled, Country where blank means
Norway, products, campaigns) is decided once per *distinct* stored value by the selection
engine's own functions — the same key rules, hence the same results — and the database then
filters by the stored values that match. Values always travel as parameters.

What has no exact SQL form raises ``Untranslatable``: the caller computes that selection with
the engine on the register read into memory (docs/database.md lists which criteria).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmbook.book import layout
from crmbook.core import schema as s
from crmbook.core.register import Register, SheetData
from crmbook.core.selection import names as n
from crmbook.core.selection.columns import Columns
from crmbook.core.selection.criteria import Criteria, Criterion, Domain, Scope
from crmbook.core.selection.engine import (
    check_selection,
    column_mask,
    read_criterion,
    reserved_mask,
)
from crmbook.core.selection.masks import HAS_NOT, has_rows
from crmbook.core.selection.names import Op
from crmbook.db.connect import Db
from crmbook.db.tables import TABLES, column, from_db

#: Criteria computed by the engine in memory instead: the latest response follows the rule of
#: ``core.responses`` (dates, then rows), which is kept in one place.
IN_MEMORY = frozenset({n.LAST_RESPONSE, n.RESPONSE_TO_OFFER})
#: A sum of k amounts whose absolute values add up to a is off by less than k * a * 2**-53 in
#: either engine (pandas' compensated sum, SQL's plain one): farther from a criterion's value,
#: both decide alike.
ROUNDING = 2.0**-50
#: Above this many values, a list goes as one parameter (an array; JSON on SQLite).
SHORT_LIST = 200
#: Derived fields read from another table: its table, the column, its sheet and field.
MANY = {n.PURCHASED_PRODUCT: ("purchases", "product", s.PURCHASES, "Product"),
        n.OFFER_RECEIVED: ("mailings", "campaign", s.MAILINGS, "Campaign")}  # fmt: skip
_COMPARE = {Op.EQ: "=", Op.NE: "<>", Op.GT: ">", Op.GE: ">=", Op.LT: "<", Op.LE: "<="}


class Untranslatable(Exception):  # internal: never shown to users
    """A criterion without an exact SQL form (its field named): compute in memory instead."""


@dataclass(frozen=True)
class Sql:
    """A piece of SQL and its parameters, in the order of their ``?``."""

    text: str
    params: tuple[object, ...] = ()


FALSE = Sql("FALSE")


def both(parts: Sequence[Sql], word: str) -> Sql:
    """The parts joined by AND or OR (each in parentheses)."""
    if len(parts) == 1:
        return parts[0]
    text = f" {word} ".join(f"({p.text})" for p in parts)
    return Sql(text, tuple(v for p in parts for v in p.params))


def sure(part: Sql) -> Sql:
    """True or false, never NULL, so NOT and the flags' sums behave."""
    return Sql(f"COALESCE(({part.text}), FALSE)", part.params)


def negate(part: Sql) -> Sql:
    return Sql(f"NOT ({part.text})", part.params)


Groups = dict[int, list[tuple[Criterion, Sql]]]


class Translator:
    """Criteria of one register in one database transaction, translated to SQL."""

    def __init__(self, db: Db, criteria: Criteria) -> None:
        self.db = db
        self.criteria = criteria
        self.lang = criteria.lang
        self._groups: dict[str, Groups] = {}
        self._distinct: dict[tuple[str, str], list[object]] = {}

    def groups(self, name: str) -> tuple[str, Groups]:
        """A selection's name as written and each group's criteria with their conditions, read
        and checked in the engine's order (so a broken sheet stops with the same message)."""
        written, rows = self.criteria.rows(name)
        if written not in self._groups:
            check_selection(self.criteria, written)
            groups: Groups = {}
            for row in rows:
                crit = read_criterion(self.criteria, row)
                groups.setdefault(crit.group, []).append((crit, self.criterion(crit)))
            self._groups[written] = dict(sorted(groups.items()))
        return written, self._groups[written]

    def matched(self, name: str) -> Sql:
        """Customers meeting a selection's criteria: its groups OR-ed, each group AND-ed."""
        _, groups = self.groups(name)
        return both([both([c for _, c in g], "AND") for g in groups.values()], "OR")

    def criterion(self, crit: Criterion) -> Sql:
        """One criterion's condition on a customers row (true or false, never NULL)."""
        target = crit.target
        if target.name in IN_MEMORY or target.domain is Domain.RESPONSE:
            raise Untranslatable(target.name)
        if target.domain is Domain.SELECTION:
            names = crit.values  # noqa: PD011 - a tuple of selection keys, not pandas
            inside = both([self.matched(str(v)) for v in names], "OR")
            return negate(inside) if crit.op is Op.NE else inside
        if target.name in MANY:
            return self._has(crit)
        if target.name == n.NUMBER_OF_PURCHASES:
            return compare(self._figure("COUNT(*)", crit.scope), crit)
        if target.name == n.PURCHASES_TOTAL:
            return self._total(crit)
        if target.name == n.LAST_PURCHASE_DATE:
            return compare(self._figure("MAX(p.purchase_date)", crit.scope), crit)
        name = column(s.CUSTOMERS, s.field(s.CUSTOMERS, target.name))
        if target.domain is Domain.NUMBER:
            return compare(Sql(f"customers.{name}"), crit)
        decided = column_mask(Columns(self._values(s.CUSTOMERS, target.name)), crit)
        return self.among(f"customers.{name}", self.distinct("customers", name), decided)

    def reserved(self) -> Sql:
        """Customers reserved against marketing, by the engine's own rule."""
        decided = reserved_mask(Columns(self._values(s.CUSTOMERS, "No marketing")))
        return self.among("customers.no_marketing", self.distinct("customers", "no_marketing"),
                          decided)  # fmt: skip

    def _has(self, crit: Criterion) -> Sql:
        """Has (or has not) a purchase / mailing whose value matches."""
        table, name, sheet, field = MANY[crit.target.name]
        many = Columns(self._values(sheet, field)).get(crit.target)
        rows = has_rows(crit, many.values)  # type: ignore[union-attr]
        match = self.among(f"x.{name}", self.distinct(table, name), rows)
        exists = Sql(f"EXISTS (SELECT 1 FROM {table} x WHERE x.customer_id = "
                     f"customers.customer_id AND {match.text})", match.params)  # fmt: skip
        return negate(exists) if crit.op in HAS_NOT else exists

    def _figure(self, aggregate: str, scope: Scope | None) -> Sql:
        """A purchase figure of each customer over the purchases in scope."""
        where = both([Sql("p.customer_id = customers.customer_id"), *self._scope(scope)], "AND")
        return Sql(f"(SELECT {aggregate} FROM purchases p WHERE {where.text})", where.params)

    def _scope(self, scope: Scope | None) -> list[Sql]:
        """Conditions on a purchase ``p`` that keep the purchases a figure counts."""
        scope, parts = scope or Scope(), []
        if scope.products:
            kept = Columns(self._values(s.PURCHASES, "Product")).in_scope(Scope(scope.products))
            parts.append(self.among("p.product", self.distinct("purchases", "product"), kept))
        if scope.start is not None:
            parts.append(Sql("p.purchase_date >= ?", (day(scope.start),)))
        if scope.end is not None:
            parts.append(Sql("p.purchase_date <= ?", (day(scope.end),)))
        return parts

    def _total(self, crit: Criterion) -> Sql:
        """Purchases total. Each engine adds the amounts in its own order, so a sum's last digit
        can differ; where some customer's total lies within that rounding of a value the
        criterion names, the two could decide differently, and the engine computes it."""
        given = crit.values  # noqa: PD011 - a tuple of numbers, not pandas
        wanted = [float(v) for v in given]  # type: ignore[arg-type]
        if wanted:
            where = both(self._scope(crit.scope) or [Sql("TRUE")], "AND")
            near = both([Sql("ABS(s - ?) <= a * k * ?", (v, ROUNDING)) for v in wanted], "OR")
            sums = (f"SELECT SUM(p.amount_nok) AS s, SUM(ABS(p.amount_nok)) AS a, COUNT(*) AS k "
                    f"FROM purchases p WHERE {where.text} GROUP BY p.customer_id")  # fmt: skip
            params = (*where.params, *near.params)
            if self.db.rows(f"SELECT 1 FROM ({sums}) t WHERE {near.text} LIMIT 1", params):
                raise Untranslatable(n.PURCHASES_TOTAL)
        return compare(self._figure("COALESCE(SUM(p.amount_nok), 0)", crit.scope), crit)

    def distinct(self, table: str, name: str) -> list[object]:
        """The distinct stored values of a column, and None (blank) last."""
        key = (table, name)
        if key not in self._distinct:
            found = self.db.rows(f"SELECT DISTINCT {name} FROM {table} WHERE {name} IS NOT NULL")
            self._distinct[key] = [*(v for (v,) in found), None]
        return self._distinct[key]

    def _values(self, sheet: str, field: str) -> Register:
        """A register whose sheet has one row per distinct stored value of a field, shown as
        the register shows it, so the engine decides each value as it does for a customer."""
        table, name = TABLES[sheet], column(sheet, s.field(sheet, field))
        stored = self.distinct(table, name)
        shown = [from_db(s.field(sheet, field), v, self.lang) for v in stored]
        ids = np.arange(1, len(stored) + 1, dtype=float)
        return _register(self.lang, sheet, {"Customer ID": ids, field: shown})

    def among(self, name: str, stored: list[object], decided: np.ndarray) -> Sql:
        """The rows whose stored value the engine decided for (the shorter list is sent)."""
        hits = [v for v, ok in zip(stored, decided, strict=True) if ok and v is not None]
        misses = [v for v, ok in zip(stored, decided, strict=True) if not ok and v is not None]
        blank = bool(decided[-1])  # None is last
        if len(hits) <= len(misses):
            found = self._in(name, hits)
            return sure(both([found, Sql(f"{name} IS NULL")], "OR")) if blank else sure(found)
        if not misses:
            return Sql("TRUE") if blank else Sql(f"{name} IS NOT NULL")
        outside = negate(self._in(name, misses))
        if blank:
            return sure(both([Sql(f"{name} IS NULL"), outside], "OR"))
        return sure(both([Sql(f"{name} IS NOT NULL"), outside], "AND"))

    def _in(self, name: str, values: list[object]) -> Sql:
        if not values:
            return FALSE
        if len(values) <= SHORT_LIST:
            return Sql(f"{name} IN ({', '.join('?' * len(values))})", tuple(values))
        if self.db.engine == "postgresql":
            return Sql(f"{name} = ANY(?)", (list(values),))
        return Sql(f"{name} IN (SELECT value FROM json_each(?))", (json.dumps(values),))


def compare(value: Sql, crit: Criterion) -> Sql:
    """A number, count or date against the criterion: a blank (NULL) meets nothing but
    ``is blank`` — as the engine's arrays, where a comparison holds only where a value is."""
    given = crit.values  # noqa: PD011 - a tuple, not pandas
    op, wanted = crit.op, tuple(_param(v) for v in given)
    if op is Op.IS_BLANK:
        return Sql(f"{value.text} IS NULL", value.params)
    if op is Op.NOT_BLANK:
        return Sql(f"{value.text} IS NOT NULL", value.params)
    if op is Op.BETWEEN:
        return sure(Sql(f"{value.text} BETWEEN ? AND ?", (*value.params, *wanted)))
    if op is Op.ONE_OF:
        marks = ", ".join("?" * len(wanted))
        return sure(Sql(f"{value.text} IN ({marks})", (*value.params, *wanted)))
    return sure(Sql(f"{value.text} {_COMPARE[op]} ?", (*value.params, wanted[0])))


def day(value: np.datetime64) -> object:
    """A criterion's date (seconds) as a date parameter."""
    return value.astype("datetime64[D]").item()


def _param(value: object) -> object:
    return day(value) if isinstance(value, np.datetime64) else value


def _register(lang: str, sheet: str, columns: dict[str, Iterable[object]]) -> Register:
    """A register holding only ``columns`` on ``sheet`` (the other sheets empty)."""
    sheets = {}
    for name in (s.CUSTOMERS, s.PURCHASES, s.MAILINGS):
        data = columns if name == sheet else {"Customer ID": []}
        frame = pd.DataFrame({k: list(v) for k, v in data.items()}, dtype=object)
        frame.index = pd.RangeIndex(2, 2 + len(frame))
        sheets[name] = SheetData(name, layout.sheet_name(name, lang), frame, {})
    return Register(lang, sheets, {}, {})
