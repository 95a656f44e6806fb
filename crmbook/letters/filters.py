"""Jinja filters for letters: amounts and dates the way a Norwegian or English reader writes them.

Numbers use no-break spaces (U+00A0) between the thousands and after ``kr``, so a line never
breaks inside an amount.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

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


def nok(value: object, lang: str = "nb", decimals: int = 0) -> str:
    """'kr 1 234 567' (nb) or 'NOK 1,234,567' (en); blank for a blank or non-number."""
    number = _number(value)
    if number is None:
        return ""
    text = f"{abs(number):,.{decimals}f}"
    if lang == "nb":
        text = text.replace(",", NBSP).replace(".", ",")
        return f"{'−' if number < 0 else ''}kr{NBSP}{text}"
    return f"{'-' if number < 0 else ''}NOK{NBSP}{text}"


def date(value: object, lang: str = "nb", short: bool = False) -> str:
    """'22. november 2026' (nb) or '22 November 2026' (en); short: '22.11.2026' / '2026-11-22'."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return "" if value is None else str(value)
    if short:
        return value.strftime("%d.%m.%Y") if lang == "nb" else value.isoformat()
    month = MONTHS["nb" if lang == "nb" else "en"][value.month - 1]
    if lang == "nb":
        return f"{value.day}. {month} {value.year}"
    return f"{value.day} {month} {value.year}"


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return None if value != value else float(value)  # NaN is blank


def filters(lang: str) -> dict[str, Callable[..., str]]:
    """The filters of a letter environment, bound to the letter's language."""

    def nok_filter(value: object, decimals: int = 0) -> str:
        return nok(value, lang, decimals)

    def date_filter(value: object, short: bool = False) -> str:
        return date(value, lang, short)

    return {"nok": nok_filter, "date": date_filter}
