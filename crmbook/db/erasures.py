"""Erasure in the database: a customer's rows deleted, a tombstone kept (GDPR right to erasure).

The tombstones are those of a workbook's Log sheet (crmbook.core.tombstones): keyed hashes of
the org number and of the company name with postal code, no personal data. The database keeps
them with the keys that made them, so a push of another department's old workbook or a sync of
a workbook that still holds the customer does not add them again unnoticed, and a pull carries
them into the workbook's Log so that ``import`` there respects them too. Callers hold the
transaction; every statement is parameterised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, replace

import pandas as pd

from crmbook.book import layout
from crmbook.core import schema as s
from crmbook.core import tombstones as ts
from crmbook.core import typed
from crmbook.core.merge_values import org_key
from crmbook.core.register import Register, SheetData
from crmbook.db import store
from crmbook.db.connect import Db

UP_TO = "crmbook.erased_up_to"  # settings row: the highest Customer ID ever erased


@dataclass(frozen=True)
class Deleted:
    """The rows an erasure deleted."""

    customers: int = 0
    purchases: int = 0
    mailings: int = 0
    log: int = 0

    def __add__(self, other: Deleted) -> Deleted:
        return Deleted(self.customers + other.customers, self.purchases + other.purchases,
                       self.mailings + other.mailings, self.log + other.log)  # fmt: skip


def keys(db: Db) -> dict[str, str]:
    """Key id -> secret of every erasure key the database holds."""
    return dict(db.rows("SELECT key_id, secret FROM erasure_keys ORDER BY key_id"))


def stones(db: Db) -> list[ts.Tombstone]:
    rows = db.rows("SELECT key_id, org_hash, name_hash, erased_on FROM tombstones "
                   "ORDER BY tombstone_id")  # fmt: skip
    return [ts.Tombstone(k, o, n, typed.date(d)) for k, o, n, d in rows]


def matcher(db: Db) -> ts.Matcher:
    """The database's tombstones, ready to ask whether a customer was erased."""
    return ts.Matcher(keys(db), stones(db))


def with_log(register: Register, db: Db) -> Register:
    """The register with a Log sheet holding the database's keys and tombstones, as a
    workbook's Log would: so ``plan_import`` (push) treats the database's erasures as its own."""
    rows = [[None, ts.KEY_EVENT[0], None, secret] for secret in keys(db).values()]
    rows += [[t.date, ts.ERASED_EVENT[0], None, t.details()] for t in stones(db)]
    names = [f.name for f in s.SHEET_FIELDS[s.LOG]]
    frame = pd.DataFrame(rows, columns=names, index=pd.RangeIndex(2, 2 + len(rows)), dtype=object)
    lang = register.lang
    sheet = SheetData(s.LOG, layout.sheet_name(s.LOG, lang), frame,
                      {n: layout.column_letter(i) for i, n in enumerate(names)})  # fmt: skip
    return replace(register, sheets={**register.sheets, s.LOG: sheet})


def add(db: Db, secrets: Iterable[str], stones_: Iterable[ts.Tombstone], source: str | None) -> int:
    """Store keys and tombstones the database lacks (``source``: where they came from); how
    many tombstones were new."""
    secrets, stones_ = list(secrets), list(stones_)
    if not (secrets or stones_):
        return 0
    if db.engine == "postgresql":  # two syncs carrying the same erasure: one after the other
        db.execute("LOCK TABLE tombstones IN SHARE ROW EXCLUSIVE MODE")
    have_keys = set(keys(db))
    new_keys = {ts.key_id(k): k for k in secrets if ts.key_id(k) not in have_keys}
    db.many("INSERT INTO erasure_keys (key_id, secret, source, added_at) VALUES (?, ?, ?, ?)",
            [[i, k, source, store.now()] for i, k in new_keys.items()])  # fmt: skip
    known = {t.ident for t in stones(db)}
    fresh = list({t.ident: t for t in stones_ if t.ident not in known}.values())
    first = store.next_id(db, "tombstones", "tombstone_id")
    db.many("INSERT INTO tombstones (tombstone_id, key_id, org_hash, name_hash, erased_on, source,"
            " added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [[first + n, t.key, t.org, t.name, t.date, source, store.now()]
             for n, t in enumerate(fresh)])  # fmt: skip
    return len(fresh)


def own_key(db: Db) -> str:
    """The database's own erasure key (made by its first erasure)."""
    rows = db.rows("SELECT secret FROM erasure_keys WHERE source IS NULL ORDER BY added_at")
    if rows:
        return rows[0][0]
    secret = ts.new_key()
    db.execute("INSERT INTO erasure_keys (key_id, secret, source, added_at) VALUES (?, ?, ?, ?)",
               [ts.key_id(secret), secret, None, store.now()])  # fmt: skip
    return secret


def identity(db: Db, customer_id: int) -> tuple[str | None, str | None, str | None] | None:
    """(org number, company, postal code) of a customer, or None when there is none."""
    rows = db.rows("SELECT org_number, company, postal_code FROM customers WHERE customer_id = ?"
                   + db.for_update, [customer_id])  # fmt: skip
    return rows[0] if rows else None


def erase(db: Db, customer_id: int, today: dt.date) -> Deleted:
    """Delete one customer with their purchases, mailings and the log lines naming them, and
    leave a tombstone made with the database's own key (nothing deleted: no such customer)."""
    found = identity(db, customer_id)
    if found is None:
        return Deleted()
    stone = ts.tombstone(own_key(db), *found, date=today)
    add(db, [], [stone], None)
    return delete(db, {customer_id: found})


def delete(db: Db, found: dict[int, tuple]) -> Deleted:
    """Delete these customers (ID -> org number, company, postal code) and their rows."""
    if not found:
        return Deleted()
    ids = sorted(found)
    marks = ",".join("?" * len(ids))
    counts = [db.execute(f"DELETE FROM {t} WHERE customer_id IN ({marks})", ids).rowcount
              for t in ("purchases", "mailings", "customers")]  # fmt: skip
    logged = sum(_delete_log(db, org, company) for org, company, _ in found.values())
    up_to = max([erased_up_to(db), *ids])
    db.execute("UPDATE settings SET value = ? WHERE name = ?", [str(up_to), UP_TO])
    return Deleted(counts[2], counts[0], counts[1], logged)


def _delete_log(db: Db, org: object, company: object) -> int:
    """Delete the log lines that name the customer (their company name or org number)."""
    words = [w for w in (typed.text(company), org_key(org)) if w and len(w) >= 3]
    return sum(db.execute("DELETE FROM log WHERE details LIKE ?", [f"%{w}%"]).rowcount
               for w in words)  # fmt: skip


def erased_up_to(db: Db) -> int:
    rows = db.rows("SELECT value FROM settings WHERE name = ?", [UP_TO])
    return (typed.integer(rows[0][0]) or 0) if rows else 0


def first_free_id(db: Db) -> int:
    """The next Customer ID: past every customer there is and every one ever erased."""
    return max(store.next_id(db, "customers", "customer_id"), erased_up_to(db) + 1)


def matching(db: Db, stones_: Sequence[ts.Tombstone], secrets: dict[str, str],
             spare: Set[int]) -> dict[int, tuple]:  # fmt: skip
    """The database's customers (ID -> org number, company, postal code) that these
    tombstones name, except those in ``spare``."""
    if not stones_:
        return {}
    found = ts.Matcher(secrets, list(stones_))
    rows = db.rows("SELECT customer_id, org_number, company, postal_code FROM customers")
    return {int(cid): (org, name, postal) for cid, org, name, postal in rows
            if int(cid) not in spare and found.is_erased(org, name, postal)}  # fmt: skip


def log_rows(db: Db, book: Register, source: str) -> list[list[object]]:
    """The database's keys and tombstones the workbook's Log lacks, as Log rows (Source: the
    database), so the workbook's own import respects the erasures too."""
    lang_nb = book.lang == "nb"
    have_keys = {ts.key_id(k.secret) for k in ts.log_keys(book)}
    have = {t.ident for t in ts.stones(book)}
    today = dt.date.today()
    rows: list[list[object]] = [
        [today, ts.KEY_EVENT[lang_nb], source, secret]
        for kid, secret in keys(db).items()
        if kid not in have_keys
    ]
    rows += [[t.date, ts.ERASED_EVENT[lang_nb], source, t.details()]
             for t in stones(db) if t.ident not in have]  # fmt: skip
    return rows
