"""Jinja filters for letters: amounts, numbers, percentages and dates the way a Norwegian or
English reader writes them.

Numbers use no-break spaces (U+00A0) between the thousands and after ``kr``, so a line never
breaks inside an amount.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from numbers import Real

from jinja2 import Undefined

NBSP = "\u00a0"

MONTHS = {
    "nb": (
        "januar", "februar", "mars", "april", "mai", "juni",
        "juli", "august", "september", "oktober", "november", "desember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip


class FilterError(ValueError):
    """A filter was given a value it cannot format (text to ``nok``, a number to ``date``)."""


def nok(value: object, lang: str = "nb", decimals: int = 0) -> str:
    """'kr 1 234 567' (nb) or 'NOK 1,234,567' (en); blank for a blank; FilterError for anything
    that is not a number (a field that is no amount, text typed in a number column)."""
    if _blank(value):
        return ""
    number = _number(value)
    if number is None:
        raise _refused("nok", value, lang, "a number", "et tall")
    text = f"{abs(number):,.{decimals}f}"
    if lang == "nb":
        text = text.replace(",", NBSP).replace(".", ",")
        return f"{'−' if number < 0 else ''}kr{NBSP}{text}"
    return f"{'-' if number < 0 else ''}NOK{NBSP}{text}"


def number(value: object, lang: str = "nb", decimals: int | None = None) -> str:
    """'1 185' and '7,5' (nb) or '1,185' and '7.5' (en); ``decimals`` fixes the decimals,
    otherwise whole numbers show none and others up to two (trailing zeros dropped)."""
    if _blank(value):
        return ""
    found = _number(value)
    if found is None:
        raise _refused("number", value, lang, "a number", "et tall")
    places = decimals if decimals is not None else (0 if float(found).is_integer() else 2)
    text = f"{abs(found):,.{places}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    minus = ("−" if lang == "nb" else "-") if round(found, places) < 0 else ""
    if lang == "nb":
        text = text.replace(",", NBSP).replace(".", ",")
    return minus + text


def percent(value: object, lang: str = "nb", decimals: int | None = None) -> str:
    """'7,5 %' (nb, with a no-break space as Norwegian writes it) or '7.5%' (en); the value
    is the percentage itself (7.5, as in the Profitability (%) column)."""
    if _blank(value):
        return ""
    if _number(value) is None:
        raise _refused("percent", value, lang, "a number", "et tall")
    shown = number(value, lang, decimals)
    return f"{shown}{NBSP}%" if lang == "nb" else f"{shown}%"


def date(value: object, lang: str = "nb", short: bool = False) -> str:
    """'22. november 2026' (nb) or '22 November 2026' (en); short: '22.11.2026' / '2026-11-22'."""
    if _blank(value):
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:  # a date typed as text the ISO way (2026-11-22) is still a date
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise _refused("date", value, lang, "a date", "en dato") from None
    if not isinstance(value, dt.date):
        raise _refused("date", value, lang, "a date", "en dato")
    if short:
        return value.strftime("%d.%m.%Y") if lang == "nb" else value.isoformat()
    month = MONTHS["nb" if lang == "nb" else "en"][value.month - 1]
    if lang == "nb":
        return f"{value.day}. {month} {value.year}"
    return f"{value.day} {month} {value.year}"


def _blank(value: object) -> bool:
    """None, NaN, empty text and a missing key (Jinja's Undefined) print as nothing."""
    if value is None or isinstance(value, Undefined):
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, Real) and value != value


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        return None
    return float(value)


def _refused(name: str, value: object, lang: str, en: str, nb: str) -> FilterError:
    shown = str(value) if len(str(value)) <= 60 else str(value)[:57] + "…"
    if lang == "nb":
        return FilterError(f"filteret {name} trenger {nb}, ikke «{shown}»")
    return FilterError(f"the {name} filter needs {en}, not “{shown}”")


def filters(lang: str) -> dict[str, Callable[..., str]]:
    """The filters of a letter environment, bound to the letter's language."""

    def nok_filter(value: object, decimals: int = 0) -> str:
        return nok(value, lang, decimals)

    def date_filter(value: object, short: bool = False) -> str:
        return date(value, lang, short)

    def number_filter(value: object, decimals: int | None = None) -> str:
        return number(value, lang, decimals)

    def percent_filter(value: object, decimals: int | None = None) -> str:
        return percent(value, lang, decimals)

    return {
        "nok": nok_filter,
        "date": date_filter,
        "number": number_filter,
        "tall": number_filter,
        "percent": percent_filter,
        "prosent": percent_filter,
    }
