"""Which customer of another department's book is which customer here.

The order of evidence (docs/import.md): the org number (digits only) identifies a company;
else the Customer ID, but only when both books are copies of one register (see
``same_origin``), because two departments number their customers independently; else the
company name (without case, spaces, punctuation or AS/ASA) and the postal code. When the
evidence points at more than one customer, or at one customer claimed twice, or at a customer
whose org number differs, nothing is guessed: the row is listed as ambiguous.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from crmbook.core import typed
from crmbook.core.merge_values import name_key, org_key, postal_key

#: Share of customers matched by org number that must keep their Customer ID in both books
#: for the books to count as copies of one register, and how many such customers it takes.
ORIGIN_AGREEMENT = 0.9
ORIGIN_MIN_PAIRS = 2


class How(StrEnum):
    """What matched a customer (or why it could not be matched)."""

    ORG = "org number"
    ID = "Customer ID"
    NAME = "company name and postal code"
    MANY = "several customers"  # the evidence fits more than one customer here
    TWICE = "claimed twice"  # another row of the other book matches the same customer
    CONFLICT = "org numbers differ"  # same name and postal code, different org numbers


AMBIGUOUS = (How.MANY, How.TWICE, How.CONFLICT)


@dataclass(frozen=True)
class Keys:
    """The identifying values of one customer row, normalised."""

    org: str | None
    cid: int | None
    name: str | None
    postal: str | None


@dataclass(frozen=True)
class Found:
    """The customer(s) here that one row of the other book points at, and by what."""

    rows: tuple[int, ...]  # Excel rows on this book's Customers sheet
    how: How

    @property
    def row(self) -> int | None:
        """The matched row, or None when ambiguous."""
        return self.rows[0] if self.how not in AMBIGUOUS and len(self.rows) == 1 else None


def keys(customers: pd.DataFrame) -> dict[int, Keys]:
    """Keys of every row of a raw Customers frame, by Excel row."""
    return {
        int(row): Keys(
            org_key(rec.get("Org number")),
            typed.integer(rec.get("Customer ID")),
            name_key(rec.get("Company")),
            postal_key(rec.get("Postal code")),
        )
        for row, rec in zip(customers.index, customers.to_dict("records"), strict=True)
    }


class _Index:
    """This book's customers looked up by each key."""

    def __init__(self, here: Mapping[int, Keys]) -> None:
        self.keys = here
        self.org: dict[str, list[int]] = defaultdict(list)
        self.cid: dict[int, list[int]] = defaultdict(list)
        self.name: dict[tuple[str, str | None], list[int]] = defaultdict(list)
        for row, k in here.items():
            if k.org:
                self.org[k.org].append(row)
            if k.cid is not None:
                self.cid[k.cid].append(row)
            if k.name:
                self.name[(k.name, k.postal)].append(row)

    def fits(self, row: int, other: Keys) -> bool:
        """False when both rows have org numbers and they differ: two companies."""
        mine = self.keys[row].org
        return not (mine and other.org and mine != other.org)


def same_origin(here: Mapping[int, Keys], other: Mapping[int, Keys]) -> bool:
    """Whether the two books are copies of one register, so their Customer IDs agree.

    Judged from the customers both books identify by org number: at least ORIGIN_MIN_PAIRS of
    them, and nearly all (ORIGIN_AGREEMENT) with the same Customer ID in both books.
    """
    ids_by_org = {k.org: k.cid for k in here.values() if k.org}
    pairs = [(ids_by_org[k.org], k.cid) for k in other.values() if k.org in ids_by_org]
    if len(pairs) < ORIGIN_MIN_PAIRS:
        return False
    agree = sum(1 for a, b in pairs if a is not None and a == b)
    return agree >= ORIGIN_AGREEMENT * len(pairs)


def _find(other: Keys, index: _Index, origin: bool) -> Found | None:
    """The evidence for one row, strongest first; None when nothing matches (a new customer)."""
    if other.org and index.org.get(other.org):
        rows = index.org[other.org]
        return Found(tuple(rows), How.ORG if len(rows) == 1 else How.MANY)
    if origin and other.cid is not None:
        rows = [r for r in index.cid.get(other.cid, []) if index.fits(r, other)]
        if rows:
            return Found(tuple(rows), How.ID if len(rows) == 1 else How.MANY)
    rows = index.name.get((other.name, other.postal), []) if other.name else []
    if not rows:
        return None
    if not all(index.fits(r, other) for r in rows):
        return Found(tuple(rows), How.CONFLICT)
    return Found(tuple(rows), How.NAME if len(rows) == 1 else How.MANY)


def match(here: Mapping[int, Keys], other: Mapping[int, Keys]) -> dict[int, Found]:
    """Other book's row -> what it matches here (rows absent from the result are new)."""
    index = _Index(here)
    origin = same_origin(here, other)
    found = {row: f for row, k in other.items() if (f := _find(k, index, origin)) is not None}
    claims = Counter(f.row for f in found.values() if f.row is not None)
    for row, f in found.items():
        if f.row is not None and claims[f.row] > 1:
            found[row] = Found(f.rows, How.TWICE)
    return found
