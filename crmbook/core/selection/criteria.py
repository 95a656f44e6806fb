"""The Selections sheet read into typed criteria, with errors that name the cell to fix.

Only the rows of the selections being computed are interpreted, so one half-typed selection
does not stop staff from computing the others.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.i18n import say
from crmbook.core.register import Register
from crmbook.core.selection import keys
from crmbook.core.selection import names as n
from crmbook.core.selection.names import Op
from crmbook.core.vocabulary import norm
from crmbook.core.vocabulary import value as list_value
from crmbook.errors import UsageError


class SelectionError(UsageError):
    """A selection that cannot be computed as written; the message names the cell to fix."""


class Domain(StrEnum):
    """How a field's values compare."""

    NUMBER = "number"
    DATE = "date"
    TEXT = "text"
    LIST = "list"
    COUNTRY = "country"  # text, but blank and every spelling of Norway are Norway
    BAND = "band"  # an ordered list: Employee band, Turnover band
    HAS = "has"  # one of many per customer: products bought, campaigns received
    SELECTION = "selection"


@dataclass(frozen=True)
class Target:
    """What a criterion's Field names: a Customers field, a derived field or a selection."""

    name: str  # English field name
    domain: Domain
    list_name: str | None = None


DERIVED: dict[str, Target] = {
    n.PURCHASED_PRODUCT: Target(n.PURCHASED_PRODUCT, Domain.HAS, "product"),
    n.PURCHASES_TOTAL: Target(n.PURCHASES_TOTAL, Domain.NUMBER),
    n.LAST_PURCHASE_DATE: Target(n.LAST_PURCHASE_DATE, Domain.DATE),
    n.OFFER_RECEIVED: Target(n.OFFER_RECEIVED, Domain.HAS),
    n.LAST_RESPONSE: Target(n.LAST_RESPONSE, Domain.LIST, "response"),
    n.SELECTION: Target(n.SELECTION, Domain.SELECTION),
}

COUNTRY = "Country"

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
    Domain.SELECTION: frozenset({Op.EQ, Op.NE, Op.ONE_OF}),
}


def customer_target(f: s.Field) -> Target:
    """The comparison domain of a Customers field, from its kind."""
    if f.name == COUNTRY:
        return Target(f.name, Domain.COUNTRY)
    if f.kind in (s.Kind.NUMBER, s.Kind.INTEGER, s.Kind.ID):
        return Target(f.name, Domain.NUMBER)
    if f.kind is s.Kind.DATE:
        return Target(f.name, Domain.DATE)
    if f.kind is s.Kind.LIST:
        domain = Domain.BAND if f.list_name in keys.BANDS else Domain.LIST
        return Target(f.name, domain, f.list_name)
    return Target(f.name, Domain.TEXT)


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


@dataclass(frozen=True)
class Row:
    """A criterion row before it is read."""

    row: int
    selection: str
    group: int | None  # None: not a whole number (an error once the selection is computed)
    field: object
    operator: object
    value: object


class Criteria:
    """The Selections sheet: its named selections, and how to read their criteria."""

    def __init__(self, register: Register, aliases: Mapping[str, str] | None = None) -> None:
        self.register = register
        self.lang = register.lang
        sheet = register.sheets[s.CUSTOMERS]
        spellings = {f.name: f.name for f in s.SHEET_FIELDS[s.CUSTOMERS]}
        spellings |= {h: f for f, h in sheet.headers.items()} | dict(aliases or {})
        self._fields = {norm(k): v for k, v in spellings.items()}
        self._spellings = [*spellings, *n.DERIVED_NB, *n.DERIVED_NB.values(), n.SELECTION]
        self.selections: dict[str, tuple[str, list[Row]]] = {}
        for row in self._rows():
            self.selections.setdefault(norm(row.selection), (row.selection, []))[1].append(row)

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
            if name is None:
                if any(not typed.is_blank(v) for v in rec.values()):
                    raise self.error(
                        row,
                        "Selection",
                        "the selection's name is missing",
                        "utvalgets navn mangler",
                    )
                continue
            group = rec.get("Group")
            number = 1 if typed.is_blank(group) else typed.integer(group)
            out.append(
                Row(int(row), name, number, rec.get("Field"), rec.get("Operator"), rec.get("Value"))
            )
        return out

    def criterion(self, row: Row) -> Criterion:
        """Read one row: group, field, operator and value, each checked against the others."""
        if row.group is None:
            raise self.error(
                row.row, "Group", "the group must be a whole number", "gruppen må være et heltall"
            )
        target = self._target(row)
        op = self._operator(row, target)
        values = self._values(row, target, op)
        shown = (typed.text(row.field), typed.text(row.operator), typed.text(row.value))
        text = " ".join(t for t in shown if t)
        return Criterion(row.selection, row.group, target, op, values, text, row.row)

    def _target(self, row: Row) -> Target:
        typed_field = typed.text(row.field)
        if typed_field is None:
            raise self.error(row.row, "Field", "the field is missing", "feltet mangler")
        english = self._fields.get(norm(typed_field))
        if english is not None:
            return customer_target(s.field(s.CUSTOMERS, english))
        derived = n.derived_field(typed_field)
        if derived is not None:
            return DERIVED[derived]
        near = difflib.get_close_matches(typed_field, self._spellings, n=1, cutoff=0.6)
        hint_en = f" Did you mean '{near[0]}'?" if near else ""
        hint_nb = f" Mente du «{near[0]}»?" if near else ""
        raise self.error(
            row.row,
            "Field",
            f"unknown field '{typed_field}'.{hint_en}",
            f"ukjent felt «{typed_field}».{hint_nb}",
        )

    def _operator(self, row: Row, target: Target) -> Op:
        typed_op = typed.text(row.operator)
        op = n.OPERATOR_BY_NORM.get(norm(typed_op)) if typed_op else None
        if op is None:
            known = ", ".join(n.operator_name(o, self.lang) for o in Op)
            raise self.error(
                row.row,
                "Operator",
                f"unknown operator '{typed_op or ''}'. Operators: {known}",
                f"ukjent operator «{typed_op or ''}». Operatorer: {known}",
            )
        if op not in ALLOWED[target.domain]:
            ok = ", ".join(n.operator_name(o, self.lang) for o in Op if o in ALLOWED[target.domain])
            field = typed.text(row.field)
            raise self.error(
                row.row,
                "Operator",
                f"'{typed_op}' cannot be used with the field {field}. Use one of: {ok}",
                f"«{typed_op}» kan ikke brukes med feltet {field}. Bruk en av: {ok}",
            )
        return op

    def _values(self, row: Row, target: Target, op: Op) -> tuple[object, ...]:
        if op in (Op.IS_BLANK, Op.NOT_BLANK):
            return ()
        parts = _parts(row.value) if op in (Op.BETWEEN, Op.ONE_OF) else [row.value]
        parts = [p for p in parts if not typed.is_blank(p)]
        if not parts or (op is Op.BETWEEN and len(parts) != 2):
            en, nb = _VALUE_NEEDED.get(op, _VALUE_NEEDED[Op.EQ])
            raise self.error(row.row, "Value", en, nb)
        read = [self._value(row, target, op, p) for p in parts]
        return tuple(sorted(read)) if op is Op.BETWEEN else tuple(read)  # type: ignore[type-var]

    def _value(self, row: Row, target: Target, op: Op, raw: object) -> object:
        """One value read for its field; an error saying what the field needs otherwise."""
        got = self._convert(target, op, raw)
        if got is None:
            shown = typed.text(raw)
            need_en, need_nb = self._needs(target)
            raise self.error(
                row.row,
                "Value",
                f"'{shown}' cannot be read for the field {typed.text(row.field)}: {need_en}",
                f"«{shown}» kan ikke leses for feltet {typed.text(row.field)}: {need_nb}",
            )
        return got

    def _convert(self, target: Target, op: Op, raw: object) -> object:
        domain = target.domain
        if domain is Domain.NUMBER:
            return typed.number(raw)
        if domain is Domain.DATE:
            day = typed.date(raw)
            return None if day is None else np.datetime64(day, "s")
        if domain is Domain.BAND and target.list_name is not None:
            return keys.band_ranks(target.list_name).get(keys.band_key(raw) or "")
        if domain is Domain.SELECTION:
            key = norm(raw)
            return key if key in self.selections else None
        if domain is Domain.COUNTRY and op not in _TEXTUAL:
            return keys.country_key(raw)
        if op in _TEXTUAL or target.list_name is None:
            return keys.text_key(raw)
        key = keys.list_key(raw)
        return key if key in self._list_keys(target.list_name) else None

    def _list_keys(self, list_name: str) -> set[str | None]:
        written = self.register.lists.get(list_name, [])
        return {keys.list_key(v) for v in (*written, *s.LISTS_EN[list_name])}

    def _needs(self, target: Target) -> tuple[str, str]:
        if target.domain is Domain.NUMBER:
            return "a number, e.g. 100, 1 000 or 1,5", "et tall, f.eks. 100, 1 000 eller 1,5"
        if target.domain is Domain.DATE:
            return (
                "a date, e.g. 2026-11-24 or 24.11.2026",
                "en dato, f.eks. 2026-11-24 eller 24.11.2026",
            )
        if target.domain is Domain.SELECTION:
            return (
                f"a selection: {', '.join(self.names())}",
                f"et utvalg: {', '.join(self.names())}",
            )
        allowed = self.register.lists.get(target.list_name or "") or [
            list_value(v, self.lang) for v in s.LISTS_EN[target.list_name or ""]
        ]
        return f"one of {', '.join(map(str, allowed))}", f"en av {', '.join(map(str, allowed))}"

    def error(self, row: int, column: str, en: str, nb: str) -> SelectionError:
        """An error located at a cell of the Selections sheet, in the workbook's language."""
        sheet = self.register.sheets[s.SELECTIONS]
        letter = sheet.column(column) or "?"
        header = sheet.headers.get(column, column)
        where = say(
            self.lang,
            "{sheet}, row {row}, column {col} ({header})",
            "{sheet}, rad {row}, kolonne {col} ({header})",
            sheet=sheet.name,
            row=row,
            col=letter,
            header=header,
        )
        return SelectionError(f"{where}: {nb if self.lang == 'nb' else en}")


_VALUE_NEEDED: dict[Op, tuple[str, str]] = {
    Op.EQ: ("a value is needed", "en verdi mangler"),
    Op.BETWEEN: (
        "'between' needs two values separated by ';', e.g. 10;50",
        "«mellom» trenger to verdier skilt med ';', f.eks. 10;50",
    ),
    Op.ONE_OF: (
        "'one of' needs values separated by ';', e.g. Conference;Banquet",
        "«en av» trenger verdier skilt med ';', f.eks. Konferanse;Bankett",
    ),
}


def _parts(raw: object) -> list[object]:
    """The ';'-separated values of a cell (a number or date cell is one value)."""
    return [p.strip() for p in raw.split(";")] if isinstance(raw, str) else [raw]
