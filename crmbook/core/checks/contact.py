"""How a customer is reached: email, phone and the Norwegian postal code.

Library validators are exact but cost ~20 µs a value, too slow for 100,000 rows. So each check
first accepts the common, plainly valid forms with one vectorised regular expression (built so it
accepts nothing the library would reject) and asks the library only about the rest, once per
distinct value.
"""

from __future__ import annotations

import functools
import re

import email_validator
import numpy as np
import pandas as pd
import phonenumbers

from crmbook.core import schema as s
from crmbook.core.checks.base import (
    Context,
    Issue,
    Severity,
    duplicates,
    each,
    listing,
    map_unique,
    matches,
    rows_where,
    translated,
)

_EMAIL = "Email"
_PHONE = "Phone"
_POSTAL = "Postal code"
_COUNTRY = "Country"
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*")
_SEPARATORS = str.maketrans("", "", " \t\u00a0\u202f-./()")
_FOUR = re.compile(r"[0-9]{4}")
_SHORT = re.compile(r"[0-9]{1,3}")
_NORWAY = frozenset({"norway", "norge", "noreg", "no", "nor"})


@functools.cache
def email_problem(address: str) -> str | None:
    """Why email-validator (no DNS look-up) rejects an address, or None when it is valid."""
    try:
        email_validator.validate_email(address, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        return str(exc)
    return None


#: Plain ASCII host names that email-validator always accepts; the rest (IDNA, special-use
#: names) are asked of email-validator, once per domain.
_LABELS = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
_TLD = r"[a-z]{2,63}"
_PLAIN_DOMAIN = re.compile(_LABELS + _TLD, re.IGNORECASE)
_SPECIAL_USE = frozenset(email_validator.SPECIAL_USE_DOMAIN_NAMES)
#: What ``plain_email`` accepts of a lower-cased ASCII address of at most 254 characters, as one
#: pattern (no IGNORECASE: ``re`` folds case slowly), run from C over a whole column.
_PLAIN_LOWER = re.compile(
    r"(?=[^@]{1,64}@)"  # a local part of 1 to 64 characters
    + _LOCAL.pattern
    + r"@(?![^@]*xn--)"  # no IDNA label in the domain
    + _LABELS
    + r"(?!(?:"
    + "|".join(sorted(re.escape(d) for d in _SPECIAL_USE if "." not in d))
    + r")\Z)"  # not a special-use top-level name
    + _TLD
)


@functools.cache
def _domain_ok(domain: str) -> bool:
    plain = (
        len(domain) <= 253
        and _PLAIN_DOMAIN.fullmatch(domain) is not None
        and "xn--" not in domain.lower()
        and domain.rsplit(".", 1)[-1].lower() not in _SPECIAL_USE
    )
    return plain or email_problem(f"a@{domain}") is None


def plain_email(address: str) -> bool:
    """An ASCII dot-atom local part and a domain email-validator accepts (asked once a domain)."""
    local, at, domain = address.rpartition("@")
    if not at or len(address) > 254 or not 0 < len(local) <= 64 or not domain:
        return False
    return _LOCAL.fullmatch(local) is not None and _domain_ok(domain)


def plain_emails(text: pd.Series) -> pd.Series:
    """``plain_email`` over a text column (False where blank): ASCII addresses by one pattern
    over their lower case, run from C (a third of the time), only the others one by one."""
    cells = text.to_numpy(dtype=object)
    given = cells.astype(bool)  # text columns hold None (never "") for blanks
    values = cells[given]
    n = len(values)
    fast = np.fromiter(map(str.isascii, values), bool, n)
    fast &= np.fromiter(map(len, values), np.int64, n) <= 254
    fast &= np.fromiter(map(_PLAIN_LOWER.fullmatch, map(str.lower, values)), bool, n)
    rest = np.flatnonzero(~fast)
    fast[rest] = [plain_email(v) for v in values[rest]]
    out = np.zeros(len(cells), dtype=bool)
    out[given] = fast
    return pd.Series(out, index=text.index)


def emails(ctx: Context) -> list[Issue]:
    """Email: valid syntax (email-validator, no DNS); the same address twice is a warning."""
    if not ctx.has(s.CUSTOMERS, _EMAIL):
        return []
    text = ctx.text(s.CUSTOMERS, _EMAIL)
    fast = plain_emails(text)
    rows = rows_where(text.notna() & ~fast)
    problems = {row: email_problem(str(text[row])) for row in rows}
    bad = [row for row in rows if problems[row] is not None]
    messages = {
        row: ctx.say(
            "Not a valid email address ({why}). Correct it or clear the cell.",
            "Ikke en gyldig e-postadresse: se etter @, punktum og skrivefeil, eller tøm cellen.",
            why=str(problems[row]).rstrip("."),
        )
        for row in bad
    }
    out = ctx.issues(s.CUSTOMERS, bad, _EMAIL, Severity.ERROR, messages)
    valid = text.notna() & ~text.index.isin(bad)
    others = duplicates(each(text.where(valid, None), str.casefold))
    dup = {
        row: ctx.say(
            "The same email is already in row {rows}. Is the customer in the register twice?",
            "Samme e-post står allerede i rad {rows}. Står kunden to ganger i registeret?",
            rows=listing(rest),
        )
        for row, rest in others.items()
    }
    return out + ctx.issues(s.CUSTOMERS, sorted(others), _EMAIL, Severity.WARNING, dup)


@functools.cache
def _norway_pattern() -> re.Pattern[str]:
    """Every 8-digit Norwegian number type in phonenumbers' own metadata, as one pattern, after
    an optional +47 or 0047."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region("NO")
    kinds = ("fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost")
    kinds += ("personal_number", "voip", "pager", "uan", "voicemail")
    patterns = [
        d.national_number_pattern
        for d in (getattr(meta, k) for k in kinds)
        if d is not None and d.national_number_pattern and 8 in (d.possible_length or ())
    ]
    return re.compile(r"(?:\+47|0047)?(?=\d{8}\Z)(?:" + "|".join(patterns) + ")")


@functools.cache
def phone_valid(text: str) -> bool:
    """phonenumbers' verdict; a number without a country code is read as Norwegian."""
    try:
        number = phonenumbers.parse(text, "NO")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def norwegian_phone(text: str) -> bool:
    """An 8-digit Norwegian number (optionally +47/0047, spaces, dashes) valid by the metadata."""
    return _norway_pattern().fullmatch(text.translate(_SEPARATORS)) is not None


def fast_phones(text: pd.Series) -> pd.Series:
    """Which cells hold a plainly valid Norwegian number (the rest ask phonenumbers).

    ``norwegian_phone`` over the whole column: the separators go in one ``translate`` over all
    numbers, and the pattern runs from C, with no Python call per number.
    """
    cells = text.to_numpy(dtype=object)
    given = cells.astype(bool)  # text columns hold None (never "") for blanks
    compact = translated(list(cells[given]), _SEPARATORS)
    out = np.zeros(len(cells), dtype=bool)
    out[given] = np.fromiter(map(_norway_pattern().fullmatch, compact), bool, len(compact))
    return pd.Series(out, index=text.index)


def phones(ctx: Context) -> list[Issue]:
    """Phone: a valid number (phonenumbers), Norwegian when written without a country code."""
    if not ctx.has(s.CUSTOMERS, _PHONE):
        return []
    text = ctx.text(s.CUSTOMERS, _PHONE)
    rows = rows_where(text.notna() & ~fast_phones(text))
    bad = [row for row in rows if not phone_valid(str(text[row]))]
    message = ctx.say(
        "Not a valid phone number. Norwegian numbers have 8 digits, like 22 33 44 55; write "
        "other countries' numbers with + and the country code.",
        "Ikke et gyldig telefonnummer. Norske numre har 8 siffer, som 22 33 44 55; skriv "
        "utenlandske numre med + og landkode.",
    )
    return ctx.issues(s.CUSTOMERS, bad, _PHONE, Severity.ERROR, message)


def in_norway(ctx: Context) -> pd.Series:
    """Customers whose Country is blank, Norway or Norge (SPEC §1: blank = Norway)."""
    index = ctx.register.frame(s.CUSTOMERS).index
    if not ctx.has(s.CUSTOMERS, _COUNTRY):
        return pd.Series(True, index=index)
    country = ctx.text(s.CUSTOMERS, _COUNTRY)
    named = map_unique(country, lambda v: "".join(str(v).split()).casefold() in _NORWAY)
    return country.isna() | named.fillna(False).astype(bool)


def postal_codes(ctx: Context) -> list[Issue]:
    """Postal code: 4 digits in Norway; a number that lost its leading zero says which code."""
    if not ctx.has(s.CUSTOMERS, _POSTAL):
        return []
    text = ctx.text(s.CUSTOMERS, _POSTAL)
    column = ctx.column(s.CUSTOMERS, _POSTAL)
    numeric = pd.Series(column.is_num, index=text.index)
    number = pd.Series(np.nan, index=text.index)
    number[numeric] = column.cells[column.is_num].astype(float)
    norway = in_norway(ctx)
    stripped = norway & numeric & (number >= 0) & (number <= 999) & (number % 1 == 0)
    four = matches(text, _FOUR.fullmatch)
    # Only the few cells that are not 4 digits can be 1 to 3 digits: a second pass over them.
    short = norway & ~numeric & matches(text.where(~four, None), _SHORT.fullmatch)
    other = norway & text.notna() & ~four & ~stripped & ~short
    fixes: dict[int, object] = {r: f"{int(number[r]):04d}" for r in rows_where(stripped)}
    guesses = {r: str(text[r]).zfill(4) for r in rows_where(short)}
    messages = {r: _postal_message(ctx, str(code), dropped=True) for r, code in fixes.items()}
    messages |= {r: _postal_message(ctx, code, dropped=False) for r, code in guesses.items()}
    out = ctx.issues(s.CUSTOMERS, sorted(messages), _POSTAL, Severity.ERROR, messages, fixes)
    wrong = ctx.say(
        "A Norwegian postal code is 4 digits, like 0150. Correct it, or fill in Country when "
        "the address is abroad.",
        "Et norsk postnummer er 4 siffer, som 0150. Rett det, eller fyll inn Land når "
        "adressen er i utlandet.",
    )
    return out + ctx.issues(s.CUSTOMERS, rows_where(other), _POSTAL, Severity.ERROR, wrong)


def _postal_message(ctx: Context, code: str, *, dropped: bool) -> str:
    """What to type: ``dropped`` when Excel turned the code into a number (only then --fix)."""
    if not dropped:
        return ctx.say(
            "Norwegian postal codes have 4 digits: did you mean {code}?",
            "Norske postnumre har 4 siffer: mente du {code}?",
            code=code,
        )
    return ctx.say(
        "Excel dropped the leading zero: the postal code is {code}. Format the column as Text "
        "and type {code} (crmbook validate --fix does it).",
        "Excel har fjernet nullen foran: postnummeret er {code}. Formater kolonnen som tekst og "
        "skriv {code} (crmbook validate --fix gjør det).",
        code=code,
    )
