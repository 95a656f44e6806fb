"""Cell values seen the way a merge needs them: matching keys, comparison, translation.

Two departments type the same fact differently ("974 760 673" and "974760673", "Fjord AS" and
"FJORD A/S", "Kunde" and "Customer"); a merge that compared raw cells would call every one of
them a change. These functions say when two cells mean the same thing, and turn a value from a
book in the other language into this book's words.
"""

from __future__ import annotations

import datetime as dt
import re

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.vocabulary import canonical_value
from crmbook.core.vocabulary import value as in_lang

_LEGAL_FORM = re.compile(r"\ba\s*[/.]\s*s\b\.?")  # "A/S", "A.S." -> "as"
_LEGAL_WORDS = {"as", "asa"}
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


def org_key(value: object) -> str | None:
    """An org number as digits only ('974 760 673' and '974760673' are one number)."""
    text = typed.text(value)
    digits = "".join(ch for ch in text or "" if ch.isdigit())
    return digits or None


def name_key(value: object) -> str | None:
    """A company name without case, spaces, punctuation or an AS/ASA legal form."""
    text = typed.text(value)
    if text is None:
        return None
    words = _WORD.findall(_LEGAL_FORM.sub("as", text.casefold()))
    while len(words) > 1 and words[-1] in _LEGAL_WORDS:
        words.pop()
    while len(words) > 1 and words[0] in _LEGAL_WORDS:
        words.pop(0)
    return "".join(words) or None


def postal_key(value: object) -> str | None:
    """A postal code without spaces; the leading zeros Excel drops from '0150' put back."""
    text = typed.text(value)
    if text is None:
        return None
    compact = _SPACES.sub("", text)
    return compact.zfill(4) if compact.isdigit() and len(compact) < 4 else compact


def comparable(field: s.Field, value: object) -> object:
    """A value reduced to what it means, so equal meanings compare equal (None when blank)."""
    if typed.is_blank(value):
        return None
    kind = field.kind
    if kind is s.Kind.ORGNR:
        return org_key(value)
    if kind is s.Kind.POSTAL:
        return postal_key(value)
    if kind in (s.Kind.NUMBER, s.Kind.INTEGER, s.Kind.ID):
        number = typed.number(value)
        return round(number, 6) if number is not None else _text_key(value)
    if kind is s.Kind.DATE:
        return typed.date(value) or _text_key(value)
    if kind is s.Kind.LIST:
        return canonical_value(value) or _text_key(value)
    if kind is s.Kind.PHONE:
        digits = "".join(ch for ch in typed.text(value) or "" if ch.isdigit())
        return digits[-8:] if digits.startswith(("47", "0047")) and len(digits) > 8 else digits
    return _text_key(value)


def _text_key(value: object) -> str | None:
    text = typed.text(value)
    return _SPACES.sub(" ", text).casefold() if text else None


def translate(field: s.Field, value: object, lang: str) -> object:
    """A raw value of another book as this book writes it: list values in ``lang``, numbers
    as numbers and dates as dates when they read as such; anything else unchanged."""
    if typed.is_blank(value):
        return None
    kind = field.kind
    if kind is s.Kind.LIST:
        english = canonical_value(value)
        return in_lang(english, lang) if english else typed.text(value)
    if kind in (s.Kind.NUMBER, s.Kind.INTEGER):
        number = typed.number(value)
        if number is None:
            return value
        return int(number) if kind is s.Kind.INTEGER and number == int(number) else number
    if kind is s.Kind.DATE:
        return typed.date(value) or value
    if kind in (s.Kind.ORGNR, s.Kind.POSTAL, s.Kind.PHONE, s.Kind.TEXT, s.Kind.EMAIL):
        return typed.text(value)
    return value


def shown(value: object) -> str | None:
    """A value as text for the Import sheet ('' never: blank is None)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return typed.text(value)
