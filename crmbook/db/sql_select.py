"""``select`` on the database: a saved selection computed in SQL, so only the matching
customers (and the funnel's counts) leave the database, whatever the register's size.

A selection with a criterion SQL cannot compute exactly (``sql_criteria.IN_MEMORY``) is
computed by the engine on the columns it needs read into memory, as before. Both ways read one
snapshot of the database and give what the workbook gives: the same customers, the same funnel.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from crmbook.book import layout
from crmbook.core import schema as s
from crmbook.core.register import Register, SheetData
from crmbook.core.selection import Engine, SelectionResult
from crmbook.core.selection import names as n
from crmbook.core.selection.criteria import Criteria
from crmbook.core.selection.engine import Counts, funnel_steps
from crmbook.db import store
from crmbook.db.connect import Db, connect
from crmbook.db.migrate import require_current
from crmbook.db.narrow import needed
from crmbook.db.sql_criteria import Sql, Translator, Untranslatable
from crmbook.db.tables import column, from_db

#: The Customers fields the Recipients sheet shows (besides the Customer ID).
_KNOWN = {f.name for f in s.SHEET_FIELDS[s.CUSTOMERS]} - {"Customer ID"}
RECIPIENT_FIELDS = [f.name for f in s.SHEET_FIELDS[s.RECIPIENTS] if f.name in _KNOWN]


@dataclass(frozen=True)
class OnDb:
    """A selection computed on the database; ``register`` holds the selected customers at
    ``result.rows`` (with the Recipients fields when asked for); ``in_memory``: the field that
    kept the selection out of SQL, None when SQL computed it."""

    result: SelectionResult
    register: Register
    in_memory: str | None


def select(url: str, name: str, lang: str | None = None, *, recipients: bool = False) -> OnDb:
    """Compute a saved selection on the database at ``url``, in ``lang`` (default: the
    register's); ``recipients``: fetch the fields the Recipients sheet shows too."""
    db = connect(url)
    try:
        require_current(db)
        with db.transaction(snapshot=True):  # criteria, values and counts from one moment
            lang = lang or store.register_lang(db)
            rows = store.selections(db, lang)
            criteria = Criteria(store.read(db, lang, fields=_for_criteria(rows)))
            try:
                return in_sql(db, criteria, name, recipients=recipients)
            except Untranslatable as why:
                field = str(why)
            return _in_memory(db, lang, name, rows, recipients, field)
    finally:
        db.close()


def _for_criteria(rows: pd.DataFrame) -> dict[str, set[str]]:
    """What reading the criteria needs: no customers; campaigns only for Response to offer."""
    offers = any(n.derived_field(f) == n.RESPONSE_TO_OFFER for f in rows["Field"])
    return {s.CUSTOMERS: set(), s.PURCHASES: set(), s.MAILINGS: {"Campaign"} if offers else set()}


def _in_memory(
    db: Db, lang: str, name: str, rows: pd.DataFrame, recipients: bool, field: str
) -> OnDb:
    """The engine on the columns the saved selections read (all, when one is not known)."""
    fields = needed(rows)
    if fields is not None and recipients:
        fields[s.CUSTOMERS] |= set(RECIPIENT_FIELDS)
    register = store.read(db, lang, fields=fields)
    return OnDb(Engine(register).result(name), register, field)


def in_sql(db: Db, criteria: Criteria, name: str, *, recipients: bool = False) -> OnDb:
    """The selection computed by the database: one pass counts the funnel, one returns the
    selected customers."""
    translator = Translator(db, criteria)
    written, groups = translator.groups(name)
    conditions = [c for criteria_ in groups.values() for _, c in criteria_]
    flags = [f"CASE WHEN {c.text} THEN 1 ELSE 0 END AS f{i}" for i, c in enumerate(conditions)]
    reserved = translator.reserved()
    chosen = RECIPIENT_FIELDS if recipients else []
    fetched = [column(s.CUSTOMERS, s.field(s.CUSTOMERS, f)) for f in chosen]
    shown = [f"customers.{c} AS {c}" for c in fetched]
    inner = Sql(
        f"SELECT {', '.join(['customers.customer_id AS id', *shown, *flags])}, "
        f"CASE WHEN {reserved.text} THEN 1 ELSE 0 END AS r FROM customers",
        (*(v for c in conditions for v in c.params), *reserved.params),
    )
    steps, products = _steps(groups)
    matched = f"CASE WHEN {' + '.join(products)} > 0 THEN 1 ELSE 0 END"
    sums = [f"COALESCE(SUM({x}), 0)" for x in (*steps, matched, f"({matched}) * (1 - r)")]
    total, *counted = db.rows(f"SELECT COUNT(*), {', '.join(sums)} FROM ({inner.text}) t",
                              inner.params)[0]  # fmt: skip
    picked = db.rows(
        f"SELECT {', '.join(['id', *fetched])} FROM ({inner.text}) t "
        f"WHERE ({matched}) = 1 AND r = 0 ORDER BY id",
        inner.params,
    )
    counts = _counts(groups, int(total), [int(c) for c in counted])
    rows = tuple(range(2, 2 + len(picked)))
    result = SelectionResult(written, rows, tuple(p[0] for p in picked),
                             funnel_steps(criteria.lang, counts), counts.groups())  # fmt: skip
    return OnDb(result, _customers(criteria.lang, picked, chosen), None)


def _steps(groups: dict[int, list]) -> tuple[list[str], list[str]]:
    """Per criterion, the product of its group's flags so far (a customer still in the group
    after it); per group, the product of all its flags."""
    steps, products, i = [], [], 0
    for criteria in groups.values():
        running = []
        for _ in criteria:
            running.append(f"f{i}")
            steps.append(" * ".join(running))
            i += 1
        products.append(f"({' * '.join(running)})")
    return steps, products


def _counts(groups: dict[int, list], total: int, counted: list[int]) -> Counts:
    steps: dict[int, list] = {}
    i = 0
    for number, criteria in groups.items():
        for crit, _ in criteria:
            steps.setdefault(number, []).append((crit, counted[i]))
            i += 1
    matched, allowed = counted[i], counted[i + 1]
    return Counts(total, steps, matched, allowed, allowed, without_id=False)


def _customers(lang: str, picked: list[tuple], fields: list[str]) -> Register:
    """The selected customers as a register's Customers sheet (rows from 2), values shown in
    ``lang`` as a pulled workbook shows them."""
    if not fields:  # nothing to show: the customers are their IDs in the result
        picked = []
    data: dict[str, list[object]] = {"Customer ID": [p[0] for p in picked]}
    for i, name in enumerate(fields, start=1):
        field = s.field(s.CUSTOMERS, name)
        table = {v: from_db(field, v, lang) for v in {p[i] for p in picked} if v is not None}
        data[name] = [None if p[i] is None else table[p[i]] for p in picked]
    frame = pd.DataFrame(data, dtype=object, index=pd.RangeIndex(2, 2 + len(picked)))
    sheet = SheetData(s.CUSTOMERS, layout.sheet_name(s.CUSTOMERS, lang), frame, {})
    return Register(lang, {s.CUSTOMERS: sheet}, {}, {})
