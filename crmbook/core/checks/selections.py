"""The Selections sheet: every criterion names a real field and operator, with a fitting value.

A typo in a selection ('Ansate > 100', 'Employees > hundred') would otherwise surface only as
letters sent to the wrong customers, so it is caught here, before letters. Only the selection
vocabulary (``selection.names``: derived fields, operator spellings) is shared with the engine,
not the engine itself, so every bad criterion is reported, not just the first that stops a run.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

import pandas as pd

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.checks.base import Context, Issue, Severity
from crmbook.core.checks.lists import allowed_values, match
from crmbook.core.selection import names
from crmbook.core.selection.names import Op
from crmbook.core.vocabulary import norm

#: Derived fields (SPEC §1) and how their values are read; "selection" names another selection.
DERIVED: dict[str, tuple[s.Kind | str, str | None]] = {
    names.PURCHASED_PRODUCT: (s.Kind.LIST, "product"),
    names.PURCHASES_TOTAL: (s.Kind.NUMBER, None),
    names.LAST_PURCHASE_DATE: (s.Kind.DATE, None),
    names.OFFER_RECEIVED: (s.Kind.TEXT, None),
    names.LAST_RESPONSE: (s.Kind.LIST, "response"),
    names.SELECTION: ("selection", None),
}
NO_VALUE = frozenset({Op.IS_BLANK, Op.NOT_BLANK})
FREE_TEXT = frozenset({Op.CONTAINS, Op.STARTS_WITH})
SPLIT = frozenset({Op.BETWEEN, Op.ONE_OF})
_NUMERIC = frozenset({s.Kind.NUMBER, s.Kind.INTEGER, s.Kind.ID})


def field_names(ctx: Context) -> dict[str, str]:
    """Matching key -> English Customers field, for every header a criterion may use."""
    found = {norm(f.name): f.name for f in s.SHEET_FIELDS[s.CUSTOMERS]}
    data = ctx.data(s.CUSTOMERS)
    if data is not None:
        found.update({norm(h): f for f, h in data.headers.items()})
    found.update({norm(k): v for k, v in ctx.field_aliases.items()})
    return found


def _headers(ctx: Context) -> dict[str, str]:
    """English Customers field -> its header in the workbook's language."""
    data = ctx.data(s.CUSTOMERS)
    headers = data.headers if data is not None else {}
    if ctx.lang == "nb":
        nb = {v: k for k, v in ctx.field_aliases.items()}
        headers = {**nb, **headers}
    return headers


def shown_field(ctx: Context, field: str) -> str:
    """A Customers or derived field's name in the workbook's language ('Ansatte', 'Utvalg')."""
    if field in DERIVED:
        return names.derived_name(field, ctx.lang)
    return _headers(ctx).get(field, field)


def shown_fields(ctx: Context) -> list[str]:
    """The field names to suggest, in the workbook's language."""
    headers = _headers(ctx)
    fields = [headers.get(f.name, f.name) for f in s.SHEET_FIELDS[s.CUSTOMERS]]
    return fields + [names.derived_name(d, ctx.lang) for d in DERIVED]


def field_kind(name: str) -> tuple[s.Kind | str, str | None]:
    """(kind, list name) of a Customers or derived field."""
    if name in DERIVED:
        return DERIVED[name]
    f = s.field(s.CUSTOMERS, name)
    return f.kind, f.list_name


def selections(ctx: Context) -> list[Issue]:
    """Field, operator and value of every criterion on the Selections sheet."""
    if not all(ctx.has(s.SELECTIONS, c) for c in ("Field", "Operator", "Value")):
        return []
    frame = ctx.register.frame(s.SELECTIONS)
    fields = field_names(ctx)
    own = frame["Selection"]
    selection_names = {norm(typed.text(v)) for v in own.dropna()}
    references: dict[str, dict[str, int]] = {}  # selection -> selection it names -> first row
    out: list[Issue] = []
    given, ops, values = frame["Field"], frame["Operator"], frame["Value"]
    for row in frame.index:
        field_text = typed.text(given[row])
        op_text = typed.text(ops[row])
        field = None
        if field_text:
            field = fields.get(norm(field_text)) or names.derived_field(field_text)
        op = names.OPERATOR_BY_NORM.get(norm(op_text)) if op_text else None
        if field_text and field is None:
            out += _unknown(ctx, row, "Field", field_text, shown_fields(ctx))
        if op_text and op is None:
            shown = [names.operator_name(o, ctx.lang) for o in Op]
            out += _unknown(ctx, row, "Operator", op_text, shown)
        if field and op:
            check = _ValueCheck(ctx, field, op, selection_names, typed.text(own[row]))
            out += check(row, values[row])
        if field == names.SELECTION and op and op not in NO_VALUE and typed.text(own[row]):
            named = references.setdefault(norm(typed.text(own[row])), {})
            for part in _parts(values[row], op):
                if norm(part) in selection_names:
                    named.setdefault(norm(part), row)
    return out + _circles(ctx, references, own)


def _parts(value: object, op: Op) -> list[str]:
    """The texts a criterion's value names ('a;b' split for 'between' and 'one of')."""
    text = typed.text(value)
    if text is None:
        return []
    return [p for p in (text.split(";") if op in SPLIT else [text]) if p.strip()]


def find_circles(references: dict[str, dict[str, int]]) -> list[list[str]]:
    """Circles of selections referring to each other, as chains ``[a, b, …, a]``.

    The same walk as ``crmbook select`` (``selection.engine``): depth first along the
    references, keeping the selections being walked on a stack; a selection met again while
    still on the stack closes a circle. Iterative, so no sheet is too long for it.
    """
    circles: list[list[str]] = []
    done: set[str] = set()
    for start in references:
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


def _circles(ctx: Context, references: dict[str, dict[str, int]], own: pd.Series) -> list[Issue]:
    """An error at each selection's criterion that leads round a circle, naming the chain from
    that selection (a selection naming itself is its value check's error)."""
    written = {norm(typed.text(v)): typed.text(v) for v in own.dropna()[::-1]}  # first spelling
    messages: dict[int, str] = {}
    for circle in find_circles(references):
        for i, name in enumerate(circle[:-1]):
            row = references[name][circle[i + 1]]
            chain = [*circle[i:-1], *circle[:i], name]
            shown = [str(written.get(n, n)) for n in chain]
            sheet = ctx.register.sheet_name(s.SELECTIONS)
            messages.setdefault(row, names.circle_message(ctx.register.lang, sheet, shown))
    return ctx.issues(s.SELECTIONS, sorted(messages), "Value", Severity.ERROR, messages)


def _unknown(ctx: Context, row: int, column: str, text: str, known: list[str]) -> list[Issue]:
    close = difflib.get_close_matches(text, known, n=1, cutoff=0.6)
    message = ctx.say(
        "Unknown {what} '{v}'. Use one of: {known}.",
        "Ukjent {what} «{v}». Bruk en av: {known}.",
        what=ctx.say("field", "felt") if column == "Field" else ctx.say("operator", "operator"),
        v=text,
        known=", ".join(known),
    )
    if close:
        message = ctx.say("Did you mean '{c}'? ", "Mente du «{c}»? ", c=close[0]) + message
    return ctx.issues(s.SELECTIONS, [row], column, Severity.ERROR, message)


class _ValueCheck:
    """Whether a criterion's value fits its field and operator."""

    def __init__(self, ctx: Context, field: str, op: Op, selections: set[str], own: str | None):
        self.ctx, self.field, self.op = ctx, field, op
        self.kind, self.list_name = field_kind(field)
        self.selections = selections - {norm(own)} if own else selections

    def __call__(self, row: int, value: object) -> list[Issue]:
        text = typed.text(value)
        if self.op in NO_VALUE:
            return []
        if text is None:
            why = self.ctx.say("'{op}' needs a value.", "«{op}» trenger en verdi.", op=self.op)
            return self.ctx.issues(s.SELECTIONS, [row], "Value", Severity.ERROR, why)
        parts = text.split(";") if self.op in SPLIT else [value]
        message = self._problem(parts)
        if message is None:
            return []
        return self.ctx.issues(s.SELECTIONS, [row], "Value", Severity.ERROR, message)

    def _problem(self, parts: list[object]) -> str | None:
        say = self.ctx.say
        if self.op is Op.BETWEEN and (len(parts) != 2 or not all(typed.text(p) for p in parts)):
            return say(
                "'between' needs two values separated by ';', like 10;49.",
                "«mellom» trenger to verdier skilt med ';', som 10;49.",
            )
        if self.op in FREE_TEXT:
            return None
        fits, hint = self._fits()
        bad = [typed.text(p) for p in parts if not fits(p)]
        if not bad:
            return None
        return say(
            "'{v}' does not fit {field}: {hint}",
            "«{v}» passer ikke til {field}: {hint}",
            v=bad[0],
            field=shown_field(self.ctx, self.field),
            hint=hint,
        )

    def _fits(self) -> tuple[Callable[[object], bool], str]:
        """A test for one value, and what the field expects."""
        say = self.ctx.say
        if self.kind in _NUMERIC:
            return (lambda v: typed.number(v) is not None), say("type a number.", "skriv et tall.")
        if self.kind is s.Kind.DATE:
            return (lambda v: typed.date(v) is not None), say(
                "type a date, like 24.11.2026.", "skriv en dato, som 24.11.2026."
            )
        if self.kind is s.Kind.LIST and self.list_name:
            allowed = allowed_values(self.ctx, self.list_name)
            hint = say("choose one of: {v}.", "velg en av: {v}.", v=", ".join(allowed))
            return (lambda v: match(v, allowed, self.ctx.lang)[1] is not None), hint
        if self.kind == "selection":
            hint = say(
                "name another selection on this sheet.", "skriv navnet på et annet utvalg i arket."
            )
            return (lambda v: norm(typed.text(v)) in self.selections), hint
        return (lambda v: True), ""
