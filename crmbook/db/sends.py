"""Rows a sync adds to the database: new customers, purchases and mailings, new selections.

Purchases and mailings are kept, never deleted, as on the workbook: a purchase is new when no
purchase of that customer has its date, product and amount; a mailing when the customer has no
mailing of that campaign (a known one gets the Response, Response date and Note the workbook
filled in where the database has none). New customers get the next free Customer IDs, under
the lock of the sync's transaction; one whose org number the database already has is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.i18n import say
from crmbook.core.merge_values import comparable, org_key
from crmbook.core.register import Register
from crmbook.db import erasures, store
from crmbook.db.connect import Db
from crmbook.db.tables import column, to_db
from crmbook.errors import RefusedError

RESPONSE_FIELDS = ("Response", "Response date", "Note")


@dataclass
class Sent:
    customers: int = 0
    purchases: int = 0
    mailings: int = 0
    responses: int = 0
    selections: int = 0


def send_rows(db: Db, book: Register, new: Sequence[tuple[int, dict]], pulled: Set[int]) -> Sent:
    """Add the new customers (rows without a Customer ID, or with one the workbook did not
    pull: typed here or given by ``validate --fix``), then the purchases and mailings of the
    pulled and the new customers (renumbered to the new IDs); rows of any other Customer ID
    are not sent, so they cannot land on another department's customer."""
    ids = _customers(db, book, new)
    known = {cid: cid for cid in pulled} | ids
    sent = Sent(customers=len(new))
    sent.purchases = _purchases(db, book, known)
    sent.mailings, sent.responses = _mailings(db, book, known)
    sent.selections = new_selections(db, book)
    return sent


def _customers(db: Db, book: Register, new: Sequence[tuple[int, dict]]) -> dict[int, int]:
    """Insert the new customers; the workbook's Customer ID -> the new one, where it had one."""
    if not new:
        return {}
    db.lock_customers()
    first = erasures.first_free_id(db)
    records, ids = [], {}
    for n, (row, rec) in enumerate(new):
        _check_new(db, book, row, rec)
        records.append({**rec, "Customer ID": first + n})
        local = typed.integer(rec.get("Customer ID"))
        if local is not None:
            ids[local] = first + n
    store.insert(db, s.CUSTOMERS, records, book.lang, rows=[row for row, _ in new])
    return ids


def _check_new(db: Db, book: Register, row: int, rec: dict) -> None:
    where = f"{book.sheet_name(s.CUSTOMERS)}!{row}: "
    if typed.is_blank(rec.get("Company")):
        raise RefusedError(where + say(book.lang,
            "a new customer needs a Company; fill it in (or clear the row), then sync again. "
            "Nothing was sent.", "en ny kunde må ha Firma; fyll det inn (eller tøm raden), og "
            "synk på nytt. Ingenting ble sendt."))  # fmt: skip
    org = org_key(rec.get("Org number"))
    hit = db.rows("SELECT customer_id FROM customers WHERE org_number = ?", [org]) if org else []
    if hit:
        raise RefusedError(where + say(book.lang,
            "the database already has org number {org} as Customer ID {id}; edit that customer "
            "instead (pull the department that has it), then sync again. Nothing was sent.",
            "databasen har allerede org.nr {org} som kundenr {id}; rediger den kunden i stedet "
            "(hent avdelingen som har den), og synk på nytt. Ingenting ble sendt.",
            org=org, id=hit[0][0]))  # fmt: skip


def _keyed(db: Db, sheet: str, names: Sequence[str], ids: Sequence[int]) -> dict[tuple, tuple]:
    """(comparable key fields) -> (row key, every field) of the database's rows of ``sheet``
    for these customers."""
    fields = [s.field(sheet, n) for n in names]
    cols = ", ".join(column(sheet, f) for f in s.SHEET_FIELDS[sheet])
    key = "purchase_id" if sheet == s.PURCHASES else "mailing_id"
    table = "purchases" if sheet == s.PURCHASES else "mailings"
    out = {}
    for chunk in [list(ids[i : i + 500]) for i in range(0, len(ids), 500)]:
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT {key}, {cols} FROM {table} WHERE customer_id IN ({marks})"
        for row in db.rows(sql, chunk):
            rec = dict(zip([f.name for f in s.SHEET_FIELDS[sheet]], row[1:], strict=True))
            out[tuple(comparable(f, rec[f.name]) for f in fields)] = (row[0], rec)
    return out


def _theirs(book: Register, sheet: str, known: Mapping[int, int]) -> list[tuple[int, dict]]:
    """The sheet's rows of known customers, with the database's Customer ID."""
    out = []
    for row, rec in book.frame(sheet).to_dict("index").items():
        cid = known.get(typed.integer(rec.get("Customer ID")))  # type: ignore[arg-type]
        if cid is not None:
            out.append((int(row), {**rec, "Customer ID": cid}))
    return out


def _purchases(db: Db, book: Register, known: Mapping[int, int]) -> int:
    names = ("Customer ID", "Date", "Product", "Amount (NOK)")
    fields = [s.field(s.PURCHASES, n) for n in names]
    rows = _theirs(book, s.PURCHASES, known)
    ids = sorted({typed.integer(rec["Customer ID"]) or 0 for _, rec in rows})
    have = set(_keyed(db, s.PURCHASES, names, ids))
    new = []
    for row, rec in rows:
        key = tuple(comparable(f, rec.get(f.name)) for f in fields)
        if key not in have:
            have.add(key)
            new.append((row, rec))
    store.insert(db, s.PURCHASES, [r for _, r in new], book.lang, key="purchase_id",
                 rows=[row for row, _ in new])  # fmt: skip
    return len(new)


def _mailings(db: Db, book: Register, known: Mapping[int, int]) -> tuple[int, int]:
    names = ("Customer ID", "Campaign")
    fields = [s.field(s.MAILINGS, n) for n in names]
    rows = _theirs(book, s.MAILINGS, known)
    ids = sorted({typed.integer(rec["Customer ID"]) or 0 for _, rec in rows})
    have = _keyed(db, s.MAILINGS, names, ids)
    new, answered = [], 0
    first = store.next_id(db, "mailings", "mailing_id")
    for row, rec in rows:
        key = tuple(comparable(f, rec.get(f.name)) for f in fields)
        if key in have:
            answered += _response(db, book, row, rec, *have[key])
            continue
        have[key] = (first + len(new), rec)
        new.append((row, {**rec, "Mailing ID": first + len(new)}))
    store.insert(db, s.MAILINGS, [r for _, r in new], book.lang, rows=[row for row, _ in new])
    return len(new), answered


def _response(db: Db, book: Register, row: int, rec: dict, mailing_id: int, now: dict) -> int:
    """Fill the database's blank Response fields of a mailing from the workbook; 1 if any."""
    fill = {n: rec.get(n) for n in RESPONSE_FIELDS
            if now.get(n) is None and not typed.is_blank(rec.get(n))}  # fmt: skip
    if not fill:
        return 0
    fields = [s.field(s.MAILINGS, n) for n in fill]
    sets = ", ".join(f"{column(s.MAILINGS, f)} = ?" for f in fields)
    values = [to_db(f, fill[f.name], book.lang, store.where(s.MAILINGS, row, f.name,
              book.lang)) for f in fields]  # fmt: skip
    db.execute(f"UPDATE mailings SET {sets} WHERE mailing_id = ?", [*values, mailing_id])
    return 1


def new_selections(db: Db, book: Register) -> int:
    """The workbook's selections whose names the database lacks; how many rows were added."""
    have = {typed.text(n) for (n,) in db.rows("SELECT DISTINCT selection FROM selections")}
    frame = book.frame(s.SELECTIONS)
    new = [
        (int(row), rec)
        for row, rec in frame.to_dict("index").items()
        if typed.text(rec.get("Selection")) and typed.text(rec.get("Selection")) not in have
    ]
    store.insert(db, s.SELECTIONS, [rec for _, rec in new], book.lang, key="position",
                 rows=[row for row, _ in new])  # fmt: skip
    return len(new)
