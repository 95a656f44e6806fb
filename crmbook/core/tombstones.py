"""Erasure tombstones: what stops an erased customer from coming back with the next merge.

``customer erase`` leaves a row on the Log sheet that holds no personal data: keyed hashes
(HMAC-SHA256) of the customer's org number and of their company name with postal code, each
normalised as the import matches them, and the date. The key is a random secret on the Log
sheet itself ("Erasure key"), created by the first erasure. A plain hash would not do: there are
only a billion 9-digit org numbers, so an unkeyed hash is reversed by trying them all. The key
travels with the workbook, so a tombstone protects against re-adding the customer (import,
enrich, SAF-T), not against someone who holds the workbook and wants to test a guess.

Any code that adds customers from elsewhere asks ``erased(here, other).is_erased(...)``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.merge_values import name_key, org_key, postal_key
from crmbook.core.register import Register
from crmbook.core.vocabulary import norm

#: Log Event words, English and bokmål.
KEY_EVENT = ("Erasure key", "Slettenøkkel")
ERASED_EVENT = ("Customer erased", "Kunde slettet")
MARK = "tombstone"  # the first word of a tombstone's Details
BLANK = "-"


def new_key() -> str:
    """A fresh random secret (256 bits, hex) for a workbook's tombstones."""
    return secrets.token_hex(32)


def key_id(key: str) -> str:
    """A short public name of a key, so a tombstone says which key made it."""
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def _digest(key: str, kind: str, value: str | None) -> str | None:
    if value is None:
        return None
    return hmac.new(key.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _name(name: object, postal_code: object) -> str | None:
    company = name_key(name)
    return None if company is None else f"{company}|{postal_key(postal_code) or ''}"


@dataclass(frozen=True)
class Tombstone:
    """One erased customer: the key's name, the two keyed hashes (None when blank), the date."""

    key: str
    org: str | None
    name: str | None
    date: dt.date | None = None

    def details(self) -> str:
        """The Log row's Details text."""
        return f"{MARK} {self.key} org={self.org or BLANK} name={self.name or BLANK}"

    @property
    def ident(self) -> tuple[str, str | None, str | None]:
        return (self.key, self.org, self.name)


def tombstone(key: str, org_number: object, name: object, postal_code: object,
              date: dt.date | None = None) -> Tombstone:  # fmt: skip
    """The tombstone of a customer, made with ``key``."""
    org = _digest(key, "org", org_key(org_number))
    return Tombstone(key_id(key), org, _digest(key, "name", _name(name, postal_code)), date)


def parse(details: object, date: dt.date | None = None) -> Tombstone | None:
    """A tombstone from a Log row's Details (None when it is none)."""
    words = (typed.text(details) or "").split()
    if len(words) != 4 or words[0] != MARK:
        return None
    parts = dict(w.split("=", 1) for w in words[2:] if "=" in w)
    org, name = parts.get("org"), parts.get("name")
    if org is None or name is None:
        return None
    return Tombstone(words[1], None if org == BLANK else org, None if name == BLANK else name, date)


@dataclass(frozen=True)
class LogKey:
    """An erasure key found on a Log sheet; ``own`` when this workbook made it (no Source)."""

    secret: str
    own: bool
    row: int


@dataclass
class Matcher:
    """The tombstones of one or more registers, with the keys that made them."""

    keys: dict[str, str] = field(default_factory=dict)  # key id -> secret
    stones: list[Tombstone] = field(default_factory=list)

    def is_erased(self, org_number: object, name: object, postal_code: object) -> Tombstone | None:
        """The tombstone this customer matches, or None. The org number decides when both
        have one; else the company name (without case, punctuation, AS) with postal code."""
        for stone in self.stones:
            secret = self.keys.get(stone.key)
            if secret is None:
                continue
            mine = tombstone(secret, org_number, name, postal_code)
            if stone.org and mine.org:
                if stone.org == mine.org:
                    return stone
                continue
            if stone.name and stone.name == mine.name:
                return stone
        return None

    def __bool__(self) -> bool:
        return bool(self.stones)


def log_keys(register: Register) -> list[LogKey]:
    """The erasure keys on the register's Log sheet, in row order."""
    out = []
    for row, rec in _log(register):
        secret = typed.text(rec.get("Details"))
        if _is(rec, KEY_EVENT) and secret:
            out.append(LogKey(secret, typed.is_blank(rec.get("Source")), row))
    return out


def own_key(register: Register) -> str | None:
    """This workbook's own key (the first one it made), or None before any erasure."""
    return next((k.secret for k in log_keys(register) if k.own), None)


def stones(register: Register) -> list[Tombstone]:
    """Every tombstone on the register's Log sheet, also those carried from other registers."""
    out = []
    for _row, rec in _log(register):
        found = parse(rec.get("Details"), typed.date(rec.get("Date")))
        if found is not None and _is(rec, ERASED_EVENT):
            out.append(found)
    return out


def own_stones(register: Register) -> list[Tombstone]:
    """The tombstones of erasures made in this workbook (no Source), not those carried in from
    another register: a sync sends these to the database as erasures to carry out."""
    out = []
    for _row, rec in _log(register):
        found = parse(rec.get("Details"), typed.date(rec.get("Date")))
        if found is not None and _is(rec, ERASED_EVENT) and typed.is_blank(rec.get("Source")):
            out.append(found)
    return out


def erased(*registers: Register) -> Matcher:
    """One matcher over the tombstones of all these registers (read with their Log sheet)."""
    matcher = Matcher()
    for register in registers:
        matcher.keys.update({key_id(k.secret): k.secret for k in log_keys(register)})
        matcher.stones += stones(register)
    return matcher


def _is(rec: dict, words: Iterable[str]) -> bool:
    return norm(rec.get("Event")) in {norm(w) for w in words}


def _log(register: Register) -> Iterator[tuple[int, dict]]:
    data = register.sheets.get(s.LOG)
    if data is None or "Details" not in data.frame.columns:
        return iter(())
    return ((int(r), rec) for r, rec in data.frame.to_dict("index").items())
