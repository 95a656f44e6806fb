"""A criterion's Value cell read for its field and operator: typed values, and which purchases
count.

Most fields take one value, or ``a;b`` for ``between`` and ``a;b;c`` for ``one of``. Two kinds
of derived field take more, each part recognised by what it is, so a row reads like the question:

- purchase figures (Purchases total, Number of purchases, Last purchase date): after the
  figure, products and a period narrow the purchases that count —
  ``Purchases total (NOK) > 50 000; Conference; since 2024``;
- Response to offer: ``campaign: response`` — ``Response to offer = Vinter 2025: Positive``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

import numpy as np

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.register import Register
from crmbook.core.selection import keys
from crmbook.core.selection.names import PERIOD_WORDS, Op, Period
from crmbook.core.vocabulary import norm
from crmbook.core.vocabulary import value as list_value


class Domain(StrEnum):
    """How a field's values compare."""

    NUMBER = "number"
    DATE = "date"
    TEXT = "text"
    LIST = "list"
    COUNTRY = "country"  # text, but blank and every spelling of Norway are Norway
    BAND = "band"  # an ordered list: Employee band, Turnover band
    HAS = "has"  # one of many per customer: products bought, campaigns received
    RESPONSE = "response"  # the latest response to one campaign: "campaign: response"
    SELECTION = "selection"


@dataclass(frozen=True)
class Target:
    """What a criterion's Field names: a Customers field, a derived field or a selection."""

    name: str  # English field name
    domain: Domain
    list_name: str | None = None
    scoped: bool = False  # a purchase figure: the Value may name products and a period


@dataclass(frozen=True)
class Scope:
    """The purchases a purchase figure counts: some products (none = all), within a period."""

    products: tuple[str, ...] = ()  # product list keys
    start: np.datetime64 | None = None  # first day counted
    end: np.datetime64 | None = None  # last day counted


class Unreadable(Exception):  # internal: ``criteria`` turns it into a Problem value
    """A cell of a criterion row that cannot be read, and what to say (both languages)."""

    def __init__(self, column: str, en: str, nb: str, **values: object) -> None:
        super().__init__(en)
        self.column, self.en, self.nb, self.values = column, en, nb, values


COUNTRY = "Country"
NO_VALUE = frozenset({Op.IS_BLANK, Op.NOT_BLANK})
TEXTUAL = frozenset({Op.CONTAINS, Op.STARTS_WITH})
_YEAR = re.compile(r"^\d{4}$")


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


def parts(raw: object) -> list[object]:
    """The ';'-separated values of a cell, blanks dropped (a number or date cell is one)."""
    found = [p.strip() for p in raw.split(";")] if isinstance(raw, str) else [raw]
    return [p for p in found if not typed.is_blank(p)]


class ValueReader:
    """Reads Value cells against the register's lists, selections and campaigns."""

    def __init__(self, register: Register, selections: set[str], names: list[str]) -> None:
        self.register = register
        self.selections = selections  # matching keys of the saved selections
        self.names = names  # the saved selections as written, for messages

    def read(
        self, target: Target, op: Op, raw: object, field: str | None
    ) -> tuple[tuple[object, ...], Scope | None]:
        """The typed values and (purchase figures) the purchases that count."""
        if op in NO_VALUE:
            return (), None
        split = op in (Op.BETWEEN, Op.ONE_OF) or target.scoped
        given = parts(raw) if split else [] if typed.is_blank(raw) else [raw]
        scope = None
        if target.scoped:
            given, scope = self._scope(given)
        wanted = {Op.BETWEEN: 2}.get(op, 1)
        if not given or (op is not Op.ONE_OF and len(given) != wanted):
            raise _value_count(op, target)
        read = [self._one(target, op, p, field) for p in given]
        return (tuple(sorted(read)) if op is Op.BETWEEN else tuple(read)), scope  # type: ignore[type-var]

    def _one(self, target: Target, op: Op, raw: object, field: str | None) -> object:
        got = self._convert(target, op, raw)
        if got is None:
            need_en, need_nb = self._needs(target)
            raise Unreadable(
                "Value",
                "'{v}' cannot be read for the field {field}: {need}.",
                "«{v}» kan ikke leses for feltet {field}: {need}.",
                v=typed.text(raw),
                field=field,
                need=need_nb if self.register.lang == "nb" else need_en,
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
        if domain is Domain.RESPONSE:
            return self._response(raw)
        if domain is Domain.COUNTRY and op not in TEXTUAL:
            return keys.country_key(raw)
        if op in TEXTUAL or target.list_name is None:
            return keys.text_key(raw)
        key = keys.list_key(raw)
        return key if key in self._list_keys(target.list_name) else None

    def _list_keys(self, list_name: str) -> set[str | None]:
        written = self.register.lists.get(list_name, [])
        return {keys.list_key(v) for v in (*written, *s.LISTS_EN[list_name])}

    @cached_property
    def campaigns(self) -> dict[str, str]:
        """Campaign key -> the campaign as first written on the Mailings sheet."""
        found: dict[str, str] = {}
        mailings = self.register.sheets.get(s.MAILINGS)
        cells = mailings.frame.get("Campaign", []) if mailings is not None else []
        for cell in cells:
            key = keys.text_key(cell)
            if key is not None:
                found.setdefault(key, str(typed.text(cell)))
        return found

    def _response(self, raw: object) -> tuple[str, str] | None:
        """``campaign: response`` as (campaign key, response key); the campaign must be known."""
        text = typed.text(raw) or ""
        campaign, colon, response = text.rpartition(":")
        if not colon or not campaign.strip():
            return None
        key = keys.text_key(campaign)
        answer = keys.list_key(response)
        if answer not in self._list_keys("response"):
            return None
        if key not in self.campaigns:
            raise Unreadable(
                "Value",
                "No mailing on the sheet {sheet} has the campaign '{c}'. Campaigns: {known}.",
                "Ingen utsendelse på arket {sheet} har kampanjen «{c}». Kampanjer: {known}.",
                sheet=self.register.sheet_name(s.MAILINGS),
                c=campaign.strip(),
                known=", ".join(self.campaigns.values()) or "–",
            )
        return str(key), str(answer)

    def _scope(self, given: list[object]) -> tuple[list[object], Scope]:
        """Split a purchase figure's parts: products and periods narrow; the rest is the figure."""
        products = self._list_keys("product")
        rest, chosen = [], []
        start: dt.date | None = None
        end: dt.date | None = None
        for part in given:
            period = _period(part)
            if period is not None:
                low, high = period
                start = low if start is None or (low and low > start) else start
                end = high if end is None or (high and high < end) else end
            elif keys.list_key(part) in products and not isinstance(part, int | float):
                chosen.append(str(keys.list_key(part)))
            else:
                rest.append(part)
        return rest, Scope(tuple(sorted(set(chosen))), _seconds(start), _seconds(end))

    def _needs(self, target: Target) -> tuple[str, str]:
        lang = self.register.lang
        if target.domain is Domain.NUMBER:
            need = ("a number, e.g. 100, 1 000 or 1,5", "et tall, f.eks. 100, 1 000 eller 1,5")
        elif target.domain is Domain.DATE:
            need = (
                "a date, e.g. 2026-11-24 or 24.11.2026",
                "en dato, f.eks. 2026-11-24 eller 24.11.2026",
            )
        elif target.domain is Domain.SELECTION:
            names = ", ".join(self.names)
            return f"another selection: {names}", f"et annet utvalg: {names}"
        elif target.domain is Domain.RESPONSE:
            answers = ", ".join(list_value(v, lang) for v in s.LISTS_EN["response"])
            return (
                f"a campaign and a response, e.g. Vinter 2025: Positive (responses: {answers})",
                f"en kampanje og et svar, f.eks. Vinter 2025: Positiv (svar: {answers})",
            )
        else:
            allowed = self.register.lists.get(target.list_name or "") or [
                list_value(v, lang) for v in s.LISTS_EN[target.list_name or ""]
            ]
            shown = ", ".join(map(str, allowed))
            return f"one of {shown}", f"en av {shown}"
        if target.scoped:
            return (
                need[0] + "; then products and a period if you like, e.g. 50 000; Conference; "
                "since 2024",
                need[1] + "; så eventuelt produkter og en periode, f.eks. 50 000; Konferanse; "
                "fra 2024",
            )
        return need


def _seconds(day: dt.date | None) -> np.datetime64 | None:
    return None if day is None else np.datetime64(day, "s")


def _period(part: object) -> tuple[dt.date | None, dt.date | None] | None:
    """A period part ('since 2024', 'fra 01.03.2025', 'i 2025') as (first, last) day, or None
    when the part is no period; a period word with an unreadable date is an error."""
    if not isinstance(part, str) or " " not in part.strip():
        return None
    word, when = part.strip().split(None, 1)
    period = PERIOD_WORDS.get(word.casefold())
    if period is None:
        return None
    when = when.strip()
    if _YEAR.match(when) and int(when) >= 1:
        first, last = dt.date(int(when), 1, 1), dt.date(int(when), 12, 31)
    else:
        day = None if _YEAR.match(when) else typed.date(when)
        if day is None:
            raise Unreadable(
                "Value",
                "'{p}' is not a period: write a word and a date or a year, e.g. since 2024, "
                "from 01.03.2025, to 31.12.2025 or in 2025.",
                "«{p}» er ingen periode: skriv et ord og en dato eller et år, f.eks. fra 2024, "
                "fra 01.03.2025, til 31.12.2025 eller i 2025.",
                p=part.strip(),
            )
        first = last = day
    if period is Period.FROM:
        return first, None
    if period is Period.TO:
        return None, last
    return first, last


def _value_count(op: Op, target: Target) -> Unreadable:
    """The Value holds no value, or not as many as the operator takes."""
    if op is Op.BETWEEN:
        return Unreadable(
            "Value",
            "'between' needs two values separated by ';', e.g. 10;50.",
            "«mellom» trenger to verdier skilt med ';', f.eks. 10;50.",
        )
    if op is Op.ONE_OF:
        return Unreadable(
            "Value",
            "'one of' needs values separated by ';', e.g. Conference;Banquet.",
            "«en av» trenger verdier skilt med ';', f.eks. Konferanse;Bankett.",
        )
    if target.scoped:
        return Unreadable(
            "Value",
            "Type one figure, then products and a period if you like, e.g. 50 000; Conference; "
            "since 2024.",
            "Skriv ett tall, så eventuelt produkter og en periode, f.eks. 50 000; Konferanse; "
            "fra 2024.",
        )
    return Unreadable("Value", "A value is needed.", "En verdi mangler.")
