"""Comparison keys: how a cell and a criterion's value are made comparable.

One key function per kind of field, used for both sides, so "Dårlig betaler" in a cell equals
"bad payer" typed in a criterion, and "100-499" equals "100–499".
"""

from __future__ import annotations

from crmbook.core import schema as s
from crmbook.core.typed import text
from crmbook.core.vocabulary import LIST_VALUES_NB, canonical_value, loose, norm

#: Lists whose values are ordered, so ``>`` and ``between`` mean something.
BANDS: dict[str, tuple[str, ...]] = {
    "employee_band": s.EMPLOYEE_BANDS,
    "turnover_band": s.TURNOVER_BANDS,
}


def text_key(value: object) -> str | None:
    """Case- and space-insensitive key of a cell as a person reads it; None when blank."""
    shown = text(value)
    if shown is None:
        return None
    return norm(shown) or None


def list_key(value: object) -> str | None:
    """Key of a list value typed in either language (its English canonical value's key)."""
    shown = text(value)
    if shown is None:
        return None
    return norm(canonical_value(shown) or shown) or None


#: Country: blank means Norway (SPEC §1), and these spellings are all Norway. The same set as
#: validation's postal-code check (``checks.contact``), so both agree on who is in Norway.
NORWAY = "norway"
NORWAY_SPELLINGS: tuple[str, ...] = ("norway", "norge", "noreg", "no", "nor")


def country_key(value: object) -> str:
    """Key of a Country cell or value: every spelling of Norway, and blank, is ``norway``."""
    key = text_key(value)
    return NORWAY if key is None or key in NORWAY_SPELLINGS else key


def in_norway(country: object) -> bool:
    """Whether a Country cell means Norway (blank included)."""
    return country_key(country) == NORWAY


def postal_code(code: object, country: object) -> str | None:
    """A postal code as shown: a Norwegian code Excel turned into a number gets its zeros back.

    The rule validation uses: Country blank or Norway, and the cell a whole number 0..999
    (150 -> '0150'). Text is shown as typed.
    """
    number = code if isinstance(code, int | float) and not isinstance(code, bool) else None
    if number is not None and 0 <= number <= 999 and number % 1 == 0 and in_norway(country):
        return f"{int(number):04d}"
    return text(code)


def band_key(value: object) -> str | None:
    """Key of a band as the source writes it: '≥500 M', '>500 M', '>=500' and '≥ 500 mill.'
    are one band; '-' and '–' are one dash (``vocabulary.loose``)."""
    key = text_key(value)
    return None if key is None else loose(key)


def band_ranks(list_name: str) -> dict[str, float]:
    """Band key -> its position in the ordered list."""
    return {band_key(b) or "": float(i) for i, b in enumerate(BANDS[list_name])}


_NB_KEYS: dict[str, str] = {norm(en): norm(nb) for en, nb in LIST_VALUES_NB.items()}


def spellings(key: str) -> tuple[str, ...]:
    """A list value's key in both languages (Norway: each spelling), for ``contains`` etc."""
    if key == NORWAY:
        return NORWAY_SPELLINGS
    nb = _NB_KEYS.get(key)
    return (key,) if nb is None or nb == key else (key, nb)
