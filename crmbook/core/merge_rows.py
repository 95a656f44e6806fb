"""Purchases and mailings of the other book: which are already here, which are new, which differ.

A purchase is the same purchase when customer, date, product and amount agree. A mailing is the
same mailing when customer, campaign and date sent agree; its other values (the response above
all) are then compared: a value only the other book has is taken by default, two different
values are a change for the staff to choose (keep/take), like a customer's field. Every other
mailing of a customer that comes along is added with a new Mailing ID here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.merge_values import comparable, translate
from crmbook.core.register import Register
from crmbook.core.vocabulary import canonical_value

Record = dict[str, object]
Bad = Iterable[tuple[str, int]]
IdMap = Mapping[int, int | None]
#: The fields that say which mailing it is, and those compared once it is the same mailing.
MAILING_KEY = ("Customer ID", "Campaign", "Date sent")
MAILING_VALUES = ("Template", "Letter file", "Response", "Response date", "Note")
NO_RESPONSE = "No response"
#: A carried record's row in the other book (no column of this book: it is never written).
OTHER_ROW = "\x00other row"
Matched = dict[int, int]  # the other book's Excel row -> this book's, for rows both hold


def carried(
    here: Register, other: Register, sheet: str, bad: Bad, id_map: IdMap
) -> list[tuple[int, Record]]:
    """(other row, record) of a sheet of the other book whose customer comes along, in this
    book's words and with this book's Customer ID."""
    skip = {row for key, row in bad if key == sheet}
    fields = s.SHEET_FIELDS[sheet]
    out = []
    for row, rec in other.frame(sheet).to_dict("index").items():
        customer = id_map.get(typed.integer(rec.get("Customer ID")))
        if row in skip or customer is None:
            continue
        out.append((int(row), {f.name: translate(f, rec.get(f.name), here.lang) for f in fields}
                    | {"Customer ID": customer, OTHER_ROW: int(row)}))  # fmt: skip
    return out


def key_of(sheet: str, names: Iterable[str]) -> Callable[[Mapping[str, object]], tuple]:
    """A record's identity on ``sheet``: the named fields, each reduced to what it means."""
    fields = [s.field(sheet, n) for n in names]
    return lambda rec: tuple(comparable(f, rec.get(f.name)) for f in fields)


def purchases(
    here: Register, other: Register, bad: Bad, id_map: IdMap
) -> tuple[list[Record], Matched]:
    """Purchases of imported customers not already here (customer, date, product, amount),
    and the rows of those already here."""
    key = key_of(s.PURCHASES, ("Customer ID", "Date", "Product", "Amount (NOK)"))
    seen: dict[tuple, int] = {}
    for row, rec in here.frame(s.PURCHASES).to_dict("index").items():
        seen.setdefault(key(rec), int(row))
    out, matched = [], {}
    for other_row, rec in carried(here, other, s.PURCHASES, bad, id_map):
        if key(rec) in seen:
            matched[other_row] = seen[key(rec)]
        else:
            seen[key(rec)] = -1  # added by this import: a second one is the same purchase
            out.append(rec)
    return out, {o: h for o, h in matched.items() if h > 0}


def mailings(
    here: Register, other: Register, bad: Bad, id_map: IdMap, last: Iterable[int] = ()
) -> tuple[list[Record], list[tuple[int, int, str, object, object, bool]], Matched]:
    """New mailings (numbered from this book's highest Mailing ID; those of the customers in
    ``last`` numbered last), the differing values of mailings both books hold, as
    (here row, other row, field, here value, other value, taken by default), and the rows of
    the mailings both hold."""
    mine = here.frame(s.MAILINGS)
    key = key_of(s.MAILINGS, MAILING_KEY)
    whole = key_of(s.MAILINGS, [f.name for f in s.SHEET_FIELDS[s.MAILINGS][1:]])
    index: dict[tuple, int] = {}
    for row, rec in mine.to_dict("index").items():
        index.setdefault(key(rec), int(row))
    new: list[Record] = []
    seen: set[tuple] = set()
    diffs, matched = [], {}
    for other_row, rec in carried(here, other, s.MAILINGS, bad, id_map):
        at = index.get(key(rec))
        if at is not None:
            matched[other_row] = at
            diffs += [(at, other_row, *d) for d in differences(mine.loc[at], rec)]
        elif whole(rec) not in seen:  # the very same row twice in the other book adds one
            seen.add(whole(rec))
            new.append(rec)
    late = set(last)
    new.sort(key=lambda r: r["Customer ID"] in late)
    first = _max_id(mine["Mailing ID"]) + 1
    return [r | {"Mailing ID": n} for n, r in enumerate(new, start=first)], diffs, matched


def differences(mine: pd.Series, theirs: Record) -> list[tuple[str, object, object, bool]]:
    """(field, here, other, taken by default) for each value of a mailing the books disagree
    on: taken when this book has nothing there ("No response" counts as nothing)."""
    out = []
    for name in MAILING_VALUES:
        f = s.field(s.MAILINGS, name)
        other = comparable(f, theirs.get(name))
        here = comparable(f, mine.get(name))
        if other is None or other == here or (name == "Response" and other == NO_RESPONSE):
            continue
        empty = here is None or (name == "Response" and canonical_value(here) == NO_RESPONSE)
        out.append((name, mine.get(name), theirs.get(name), empty))
    return out


def _max_id(values: Iterable[object]) -> int:
    ids = [i for i in map(typed.integer, values) if i is not None and i > 0]
    return max(ids, default=0)
