"""Who a customer is: the Customer ID that purchases and mailings point at, and the org number.

A duplicate key makes purchases land on the wrong customer and a selection count a company
twice, so both keys must be unique. Blank Customer IDs are the one thing crmbook always fills
in itself (SPEC §1): the next free number, said in a note.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError
from stdnum.no import orgnr

from crmbook.core import schema as s
from crmbook.core.checks.base import (
    Context,
    Issue,
    Severity,
    duplicates,
    each,
    listing,
    matches,
    rows_where,
    translated,
)

_ID = "Customer ID"
_ORGNR = "Org number"
_MAX_ID = 1e15  # beyond this Excel cannot hold every whole number exactly
_WEIGHTS = np.array([3, 2, 7, 6, 5, 4, 3, 2])
_NINE = re.compile(r"[0-9]{9}")  # 9 ASCII digits (str.isdigit would take other scripts' too)
_SPACE = re.compile(r"\s")  # what str.split() splits on
#: Every character ``str.split()`` splits on but the line feed (``translated`` joins by it).
_NO_SPACE = str.maketrans(
    "", "", "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != "\n")
)


def valid_ids(ids: pd.Series) -> pd.Series:
    """Which parsed IDs (floats) are whole numbers from 1 up."""
    return ids.notna() & (ids % 1 == 0) & (ids >= 1) & (ids < _MAX_ID)


def customer_ids(ctx: Context) -> list[Issue]:
    """Customer ID: a positive whole number, unique; blanks get the next free number."""
    if not ctx.has(s.CUSTOMERS, _ID):
        return []
    blank = ctx.column(s.CUSTOMERS, _ID).blank
    ids = ctx.number(s.CUSTOMERS, _ID)
    valid = valid_ids(ids)
    bad = ctx.say(
        "A Customer ID is a whole number above 0. Correct it, or clear the cell and crmbook "
        "gives the customer the next free number.",
        "Kundenr er et helt tall over 0. Rett det, eller tøm cellen så gir crmbook kunden "
        "neste ledige nummer.",
    )
    out = ctx.issues(s.CUSTOMERS, rows_where(~blank & ~valid), _ID, Severity.ERROR, bad)
    others = duplicates(ids.where(valid))
    messages = {
        row: ctx.say(
            "Customer ID {id} is already used in row {rows}. Give one of them another number "
            "(purchases and mailings follow the number).",
            "Kundenr {id} brukes allerede i rad {rows}. Gi en av dem et annet nummer (kjøp og "
            "utsendelser følger nummeret).",
            id=int(ids[row]),
            rows=listing(rest),
        )
        for row, rest in others.items()
    }
    out += ctx.issues(s.CUSTOMERS, sorted(others), _ID, Severity.ERROR, messages)
    blanks = rows_where(blank)
    return out + (_assign_ids(ctx, blanks, highest_id(ctx)) if blanks else [])


def highest_id(ctx: Context) -> int:
    """The highest Customer ID in use on Customers, Purchases or Mailings (0 when none).

    A purchase or mailing whose ID matches no customer still "uses" its number: a new customer
    given it would take over that customer's purchases and mailings.
    """
    highest = 0.0
    for sheet in (s.CUSTOMERS, s.PURCHASES, s.MAILINGS):
        if ctx.has(sheet, _ID):
            ids = ctx.number(sheet, _ID)
            used = ids[valid_ids(ids)]
            if not used.empty:
                highest = max(highest, float(used.max()))
    return int(highest)


def _assign_ids(ctx: Context, blanks: list[int], highest: int) -> list[Issue]:
    """Notes (with always-made fixes) giving blank Customer IDs the numbers after the highest."""
    fixes: dict[int, object] = {row: highest + 1 + i for i, row in enumerate(blanks)}
    messages = {
        row: ctx.done(
            ("Customer ID was blank: crmbook gave the customer number {id}.",
             "Kundenr var tomt: crmbook ga kunden nummer {id}."),
            ("Customer ID is blank: crmbook would give the customer number {id}.",
             "Kundenr er tomt: kunden ville fått nummer {id}."),
            id=fixes[row],
        )
        for row in blanks
    }  # fmt: skip
    return ctx.issues(s.CUSTOMERS, blanks, _ID, Severity.FIXED, messages, fixes, always=True)


def without_spaces(text: pd.Series) -> pd.Series:
    """Each org number with its spaces removed ("974 760 673" -> "974760673").

    Most registers write the 9 digits together: one search over all numbers finds that, and
    spares a split and join per number.
    """
    joined = "".join(text.dropna())
    if _SPACE.search(joined) is None:
        return text
    if "\n" in joined:  # a number with a line break: one by one
        return each(text, lambda v: "".join(v.split()))
    cells = text.to_numpy(dtype=object)
    given = cells.astype(bool)  # text columns hold None (never "") for blanks
    out = np.full(len(cells), None, dtype=object)
    out[given] = translated(list(cells[given]), _NO_SPACE)  # one translate over them all
    return pd.Series(out, index=text.index, dtype=object)


def mod11_valid(numbers: pd.Series) -> pd.Series:
    """MOD11 check of 9-digit strings, vectorised (same rule as ``stdnum.no.orgnr``)."""
    if numbers.empty:
        return pd.Series(dtype=bool, index=numbers.index)
    digits = np.frombuffer("".join(numbers).encode("ascii"), dtype=np.uint8).reshape(-1, 9) - 48
    check = (11 - (digits[:, :8].astype(np.int64) @ _WEIGHTS) % 11) % 11
    return pd.Series((check != 10) & (check == digits[:, 8]), index=numbers.index)


def org_numbers(ctx: Context) -> list[Issue]:
    """Org number: 9 digits (spaces allowed), MOD11 check digit, unique in the register."""
    if not ctx.has(s.CUSTOMERS, _ORGNR):
        return []
    text = ctx.text(s.CUSTOMERS, _ORGNR)
    compact = without_spaces(text)
    nine = matches(compact, _NINE.fullmatch)
    valid = pd.Series(False, index=text.index)
    valid[nine] = mod11_valid(compact[nine])
    wrong = rows_where(text.notna() & ~valid)
    messages = {row: _orgnr_message(ctx, str(compact[row])) for row in wrong}
    out = ctx.issues(s.CUSTOMERS, wrong, _ORGNR, Severity.ERROR, messages)
    others = duplicates(compact.where(valid))
    dup_messages = {
        row: ctx.say(
            "Org number {nr} is already in row {rows}: is the company in the register twice? "
            "Merge the rows, or correct the number.",
            "Org.nr {nr} står allerede i rad {rows}: står firmaet to ganger i registeret? Slå "
            "sammen radene, eller rett nummeret.",
            nr=compact[row],
            rows=listing(rest),
        )
        for row, rest in others.items()
    }
    out += ctx.issues(s.CUSTOMERS, sorted(others), _ORGNR, Severity.ERROR, dup_messages)
    return out + _format_orgnr(ctx, valid, compact)


def _orgnr_message(ctx: Context, number: str) -> str:
    """Why python-stdnum rejects an org number, as what to do about it."""
    try:
        orgnr.validate(number)
    except InvalidChecksum:
        return ctx.say(
            "The check digit does not match: a digit is mistyped. Look the company up at "
            "brreg.no and copy the number.",
            "Kontrollsifferet stemmer ikke: et siffer er feilskrevet. Slå opp firmaet på "
            "brreg.no og kopier nummeret.",
        )
    except InvalidLength:
        return ctx.say(
            "An org number has 9 digits; this one has {n}. Look the company up at brreg.no.",
            "Et org.nr har 9 siffer; dette har {n}. Slå opp firmaet på brreg.no.",
            n=sum(ch.isdigit() for ch in number),
        )
    except ValidationError:
        pass
    return ctx.say(
        "An org number is 9 digits, like 974 760 673 (spaces are fine). Remove other signs.",
        "Et org.nr er 9 siffer, som 974 760 673 (mellomrom går fint). Fjern andre tegn.",
    )


def _format_orgnr(ctx: Context, valid: pd.Series, compact: pd.Series) -> list[Issue]:
    """--fix: a valid org number stored as a number is written as text of its 9 digits
    ("974760673"), so it keeps its digits whatever Excel does with numbers. Text is left as
    typed, inner spaces included ("974 760 673"); surrounding spaces are the spaces check's."""
    column = ctx.column(s.CUSTOMERS, _ORGNR)
    numeric = pd.Series(column.is_num, index=compact.index)
    rows = rows_where(valid & numeric)
    fixes: dict[int, object] = {row: str(compact[row]) for row in rows}
    message = ctx.done(
        ("Org number stored as text, so Excel keeps its 9 digits.",
         "Org.nr lagret som tekst, så Excel beholder de 9 sifrene."),
        ("Org number would be stored as text, so Excel keeps its 9 digits.",
         "Org.nr ville blitt lagret som tekst, så Excel beholder de 9 sifrene."),
    )  # fmt: skip
    return ctx.issues(s.CUSTOMERS, rows, _ORGNR, Severity.FIXED, message, fixes)
