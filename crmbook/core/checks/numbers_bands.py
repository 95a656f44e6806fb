"""Numbers and the bands derived from them.

A selection like ``Employees > 100`` silently misses a customer whose head count is text or
negative, and a report sums the wrong turnover; so every number column is checked for being a
number at all, for its sign and (for counts) for being whole. A band that disagrees with its
number makes two selections of "the same" customers differ, so that is an error too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.checks.base import Context, Issue, Severity, map_unique, rows_where
from crmbook.core.checks.lists import loose


@dataclass(frozen=True)
class NumberRule:
    """What a number column must hold."""

    sheet: str
    field: str
    whole: bool = False
    minimum: float | None = None


NUMBER_RULES = (
    NumberRule(s.CUSTOMERS, "Turnover (NOK)", minimum=0),
    NumberRule(s.CUSTOMERS, "Profitability (%)"),
    NumberRule(s.CUSTOMERS, "Employees", whole=True, minimum=0),
    NumberRule(s.CUSTOMERS, "Turnover year", whole=True, minimum=1900),
)


def numbers(ctx: Context) -> list[Issue]:
    """Every number column: a number (not text), ≥ its minimum, whole where it counts things."""
    out: list[Issue] = []
    for rule in NUMBER_RULES:
        if ctx.has(rule.sheet, rule.field):
            out += _number_column(ctx, rule)
    return out


def _number_column(ctx: Context, rule: NumberRule) -> list[Issue]:
    sheet, field = rule.sheet, rule.field
    value = ctx.number(sheet, field)
    given = ~ctx.column(sheet, field).blank
    text = pd.Series(ctx.column(sheet, field).is_str, index=value.index)
    say = ctx.say
    problems = [
        (
            given & value.isna(),
            Severity.ERROR,
            say("Not a number. Type the number only, without words or units.",
                "Ikke et tall. Skriv bare tallet, uten ord eller enheter."),
        ),
        (
            given & value.notna() & text,
            Severity.WARNING,
            say("A number stored as text: Excel will not count or sum it. Retype it as a number.",
                "Et tall lagret som tekst: Excel teller og summerer det ikke. Skriv det inn på "
                "nytt som tall."),
        ),
    ]  # fmt: skip
    if rule.minimum is not None:
        message = say("Cannot be below {m}.", "Kan ikke være under {m}.", m=int(rule.minimum))
        problems.append((value.notna() & (value < rule.minimum), Severity.ERROR, message))
    if rule.whole:
        message = say("Must be a whole number.", "Må være et helt tall.")
        problems.append((value.notna() & (value % 1 != 0), Severity.ERROR, message))
    out: list[Issue] = []
    for mask, severity, message in problems:
        out += ctx.issues(sheet, rows_where(mask), field, severity, message)
    return out


@dataclass(frozen=True)
class BandRule:
    """A band column and the number it is derived from."""

    band: str
    number: str
    bands: tuple[str, ...]
    bounds: tuple[int, ...]
    whole: bool


BAND_RULES = (
    BandRule("Turnover band", "Turnover (NOK)", s.TURNOVER_BANDS, s.TURNOVER_BAND_BOUNDS, False),
    BandRule("Employee band", "Employees", s.EMPLOYEE_BANDS, s.EMPLOYEE_BAND_BOUNDS, True),
)


def expected_bands(values: pd.Series, bands: tuple[str, ...], bounds: tuple[int, ...]) -> pd.Series:
    """The band of each number, vectorised (``schema.band_for``); NA below the first bound."""
    where = np.searchsorted(np.asarray(bounds, dtype=float), values.to_numpy(float), "right") - 1
    names = np.asarray((None, *bands), dtype=object)[where + 1]
    return pd.Series(names, index=values.index, dtype="str").mask(values.isna())


def bands(ctx: Context) -> list[Issue]:
    """A band must agree with its number; --fix fills a blank band from the number."""
    out: list[Issue] = []
    for rule in BAND_RULES:
        if ctx.has(s.CUSTOMERS, rule.band) and ctx.has(s.CUSTOMERS, rule.number):
            out += _band_column(ctx, rule)
    return out


def _band_column(ctx: Context, rule: BandRule) -> list[Issue]:
    value = ctx.number(s.CUSTOMERS, rule.number)
    usable = value.where((value >= 0) & ((value % 1 == 0) | (not rule.whole)))
    expected = expected_bands(usable, rule.bands, rule.bounds)
    band = ctx.text(s.CUSTOMERS, rule.band)
    canonical = map_unique(band, _canonical_band(rule.bands))
    clash = usable.notna() & canonical.notna() & (canonical != expected).fillna(True)
    messages = {
        row: _clash_message(ctx, band[row], expected[row], ctx.raw(s.CUSTOMERS, rule.number)[row])
        for row in rows_where(clash)
    }
    out = ctx.issues(s.CUSTOMERS, list(messages), rule.band, Severity.ERROR, messages)
    # Only from a real number: text like ' 120 ' is reported (stored as text), not guessed from.
    number = pd.Series(ctx.column(s.CUSTOMERS, rule.number).is_num, index=value.index)
    fill = rows_where(band.isna() & expected.notna() & number)
    allowed = _by_norm(ctx.register.lists.get(_list_name(rule), list(rule.bands)))
    fixes: dict[int, object] = {r: allowed.get(loose(expected[r]), expected[r]) for r in fill}
    message = ctx.done(
        ("Band filled in from the number.", "Klassen er fylt inn ut fra tallet."),
        ("Band would be filled in from the number.", "Klassen ville blitt fylt inn ut fra tallet."),
    )
    return out + ctx.issues(s.CUSTOMERS, fill, rule.band, Severity.FIXED, message, fixes)


def _clash_message(ctx: Context, band: object, expected: object, number: object) -> str:
    if pd.isna(expected):
        return ctx.say(
            "The band says {band} but the number ({n}) has no band. Clear the band or correct "
            "the number.",
            "Klassen sier {band}, men tallet ({n}) hører ikke til noen klasse. Tøm klassen "
            "eller rett tallet.",
            band=band,
            n=typed.text(number),
        )
    return ctx.say(
        "The band says {band} but the number ({n}) is in {expected}. Correct one of them, or "
        "clear the band and let crmbook fill it in (validate --fix).",
        "Klassen sier {band}, men tallet ({n}) hører til {expected}. Rett en av dem, eller tøm "
        "klassen og la crmbook fylle den inn (validate --fix).",
        band=band,
        n=typed.text(number),
        expected=expected,
    )


def _list_name(rule: BandRule) -> str:
    return s.field(s.CUSTOMERS, rule.band).list_name or ""


def _by_norm(values: list[str]) -> dict[str, str]:
    return {loose(v): v for v in values}


def _canonical_band(names: tuple[str, ...]) -> Callable[[object], object]:
    """Map a typed band to its canonical name (variants like '10-49' included), else None."""
    known = _by_norm(list(names))
    return lambda v: known.get(loose(v)) if isinstance(v, str) else None
