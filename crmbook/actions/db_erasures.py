"""Erasures between a workbook and the shared database (docs/database.md, "Erasing").

A sync carries the workbook's erasures to the database: the customers this workbook erased
(``crmbook customer erase``: a tombstone on its Log) are deleted there with their purchases,
mailings and log lines, in the sync's one transaction, and every tombstone the workbook holds
is kept in the database. The other way, a customer the database erased comes out of a workbook
that still holds them unchanged; one the workbook edited since the pull (or typed in anew)
waits on the Import sheet as *Erased* with an empty Choice: keep sends it to the database again
as a new customer, take accepts the erasure. Nothing goes back, nor is lost, without a choice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field, replace

from crmbook.actions import derived
from crmbook.actions.import_sheet import ACTIONS
from crmbook.book.port import WorkbookPort
from crmbook.core import schema as s
from crmbook.core import tombstones as ts
from crmbook.core import typed
from crmbook.core.edits import Edit
from crmbook.core.i18n import say
from crmbook.core.merge import KEEP, TAKE, ChoiceKey, NewCustomer, parse_choice
from crmbook.core.merge_privacy import customer_rows, erase_edits
from crmbook.core.merge_values import comparable, shown
from crmbook.core.register import Register, SheetData
from crmbook.core.sync import FIELDS, Edited, Pulled, SyncPlan
from crmbook.core.vocabulary import norm
from crmbook.db import erasures, store
from crmbook.db.connect import Db, shown_url
from crmbook.db.migrate import open_current
from crmbook.errors import UsageError


def carry(db: Db, book: Register, holds: Set[int], source: str) -> erasures.Deleted:
    """Keep the workbook's keys and tombstones in the database, and delete the customers its
    own new erasures name (except any the workbook still holds: ``holds``)."""
    known = {t.ident for t in erasures.stones(db)}
    mine = [t for t in ts.own_stones(book) if t.ident not in known]
    secrets = {ts.key_id(k.secret): k.secret for k in ts.log_keys(book)}
    erasures.add(db, secrets.values(), ts.stones(book), source)
    return erasures.delete(db, erasures.matching(db, mine, secrets, holds))


@dataclass
class Gone:
    """Customers the database erased (or a tombstone names) that the workbook holds."""

    conflicts: list[NewCustomer] = field(default_factory=list)  # waiting for keep/take
    resend: list[tuple[int, dict]] = field(default_factory=list)  # keep: sent as new customers
    held: dict[int, Edited] = field(default_factory=dict)  # pulled, kept in the workbook for now
    waiting: list[tuple[int, dict]] = field(default_factory=list)  # new rows kept for now
    dropped: set[int] = field(default_factory=set)  # pulled IDs that leave the workbook
    settled: int = 0


def sort_out(
    plan: SyncPlan, mine: Mapping[int, Edited], base: Mapping[int, Pulled],
    new: Sequence[tuple[int, dict]], found: ts.Matcher, choices: Mapping[ChoiceKey, str],
) -> tuple[Gone, list[tuple[int, dict]]]:  # fmt: skip
    """The erased customers this workbook still holds, sorted by the staff's choices; and the
    new rows that may be sent (those no tombstone names, and those kept)."""
    gone = Gone()
    for cid in plan.gone:
        here = mine.get(cid)
        if here is None or not _edited(here, base[cid]):
            gone.dropped.add(cid)  # the erasure simply reaches this workbook
            continue
        stone = _stone(found, base[cid].values) or _stone(found, here.values)
        _decide(gone, NewCustomer(here.row, cid, dict(here.values), stone), choices, cid)
    sendable = []
    for row, rec in new:
        stone = _stone(found, rec)
        if stone is None:
            sendable.append((row, rec))
            continue
        cid = typed.integer(rec.get("Customer ID"))
        _decide(gone, NewCustomer(row, cid or 0, dict(rec), stone), choices, None)
    return gone, sendable + gone.resend


def _decide(gone: Gone, item: NewCustomer, choices: Mapping[ChoiceKey, str], cid: int | None
            ) -> None:  # fmt: skip
    choice = choices.get(item.key)
    if choice == KEEP:
        gone.resend.append((item.other_row, item.record))
    elif choice == TAKE and cid is not None:
        gone.dropped.add(cid)
    elif choice != TAKE:
        gone.conflicts.append(item)
        if cid is not None:
            gone.held[cid] = Edited(item.other_row, item.record)
        else:
            gone.waiting.append((item.other_row, item.record))
    gone.settled += choice in (KEEP, TAKE)


def _edited(here: Edited, base: Pulled) -> bool:
    return any(comparable(f, here.values.get(f.name)) != comparable(f, base.values.get(f.name))
               for f in FIELDS)  # fmt: skip


def _stone(found: ts.Matcher, rec: Mapping[str, object]) -> ts.Tombstone | None:
    return found.is_erased(rec.get("Org number"), rec.get("Company"), rec.get("Postal code"))


def holding(
    fresh: Register, book: Register, gone: Gone, base: Mapping[int, Pulled],
    versions: Mapping[int, int],
) -> tuple[Register, dict[int, int], dict[int, dict[str, tuple[object, object]]]]:  # fmt: skip
    """``fresh`` (the database after the sync) with the customers waiting for a choice put
    back, as the workbook holds them, with their purchases and mailings; the versions and the
    held cells (workbook value, base) that keep their Sync rows as pulled."""
    ids = set(gone.held) | {typed.integer(r.get("Customer ID")) for _, r in gone.waiting}
    ids.discard(None)
    rows = [e.row for e in gone.held.values()]  # the waiting new rows go last (pull_edits)
    sheets = dict(fresh.sheets)
    sheets[s.CUSTOMERS] = _plus(fresh, book, s.CUSTOMERS, book.frame(s.CUSTOMERS).loc[rows])
    for sheet in (s.PURCHASES, s.MAILINGS):
        theirs = book.frame(sheet)
        mine = theirs[theirs["Customer ID"].map(typed.integer).isin(ids)]
        sheets[sheet] = _plus(fresh, book, sheet, mine)
    held = {cid: {f.name: (e.values.get(f.name), base[cid].values.get(f.name)) for f in FIELDS}
            for cid, e in gone.held.items()}  # fmt: skip
    more = {cid: base[cid].version for cid in gone.held}
    return replace(fresh, sheets=sheets), {**versions, **more}, held


def _plus(fresh: Register, book: Register, sheet: str, rows: object) -> SheetData:
    import pandas as pd  # here only: the module reads records (.values) that are no frames

    data = fresh.sheets[sheet]
    if rows.empty:
        return data
    names = list(data.frame.columns)
    both = pd.concat([data.frame, rows.reindex(columns=names)], ignore_index=True)
    if sheet == s.CUSTOMERS:  # in Customer ID order, as a pull writes them
        both = both.loc[both["Customer ID"].map(typed.integer).sort_values(kind="stable").index]
    both.index = pd.RangeIndex(2, 2 + len(both))
    return replace(data, frame=both)


def chosen(
    sheet: Sequence[Mapping[str, object]], items: Sequence[NewCustomer]
) -> dict[ChoiceKey, str]:
    """The staff's keep/take on the Import sheet's Erased rows, by customer: the Customer ID,
    or for a new row without one its Company (rows move as erased customers leave the
    workbook, so a row number would not do); only while the row shows the erasure's date."""
    words = {norm(w) for w in ACTIONS["erased"]}
    out: dict[ChoiceKey, str] = {}
    for rec in sheet:
        choice = parse_choice(rec.get("Choice"))
        if choice is None or norm(rec.get("Action")) not in words:
            continue
        for item in items:
            day = shown(item.erased.date) if item.erased else None
            if _names(item, rec) and typed.text(rec.get("This book")) == day:
                out[item.key] = choice
    return out


def _names(item: NewCustomer, rec: Mapping[str, object]) -> bool:
    cid = typed.integer(rec.get("Customer ID"))
    if item.customer_id:
        return cid == item.customer_id
    return cid is None and norm(rec.get("Company")) == norm(item.record.get("Company"))


def derived_edits(
    port: WorkbookPort, book: Register, ids: Set[int], today: dt.date | None = None
) -> list[Edit]:
    """Blank the rows of the Recipients and Issues sheets that hold customers who left the
    workbook by an erasure (the data sheets are refilled by the pull), and rebuild the Report
    without them, as ``customer erase`` does: their name must not stay on it."""
    if not ids:
        return []
    more = port.read([s.RECIPIENTS, s.ISSUES], strict=False).sheets
    register = replace(book, sheets={**book.sheets, **more})
    rows: dict[str, set[int]] = {}
    for cid in ids:
        for sheet, found in customer_rows(register, cid).items():
            rows.setdefault(sheet, set()).update(found)
    shown_rows = {sheet: sorted(found) for sheet, found in rows.items()
                  if sheet in (s.RECIPIENTS, s.ISSUES)}  # fmt: skip
    data_rows = {sheet: sorted(found) for sheet, found in rows.items() if sheet in book.sheets}
    report = derived.report_rebuilt(port, book, data_rows, today or dt.date.today())
    return erase_edits(shown_rows) + report


def note(lang: str) -> str:
    """The Import sheet's note on an erased customer this workbook still holds."""
    return say(lang,
        "The database erased this customer (on the date shown); this workbook still holds them, "
        "with changes. Type take to accept the erasure (they leave this workbook), or keep to "
        "send them to the database again as a new customer; then sync again.",
        "Databasen har slettet denne kunden (på datoen som står); arbeidsboka har den "
        "fortsatt, med endringer. Skriv ta for å godta slettingen (kunden fjernes fra "
        "arbeidsboka), eller behold for å sende den til databasen igjen som ny kunde; synk så "
        "på nytt.")  # fmt: skip


@dataclass(frozen=True)
class Found:
    """The customer a database erasure is about, named for the confirmation."""

    customer_id: int
    company: str | None
    purchases: int
    mailings: int
    lang: str


def find(url: str, customer_id: int) -> Found:
    """The customer to erase and what goes with them; refused when there is none."""
    db = open_current(url)
    try:
        lang = store.register_lang(db)
        rows = db.rows("SELECT company FROM customers WHERE customer_id = ?", [customer_id])
        if not rows:
            raise UsageError(say(lang, "{url}: no customer has Customer ID {id}.",
                                 "{url}: ingen kunde har kundenr {id}.",
                                 url=shown_url(url), id=customer_id))  # fmt: skip
        count = [db.rows(f"SELECT COUNT(*) FROM {t} WHERE customer_id = ?", [customer_id])[0][0]
                 for t in ("purchases", "mailings")]  # fmt: skip
    finally:
        db.close()
    return Found(customer_id, typed.text(rows[0][0]), int(count[0]), int(count[1]), lang)


def erase_in(url: str, customer_id: int, today: dt.date) -> erasures.Deleted:
    """Erase one customer in the database, in one transaction, leaving a tombstone; logged
    (without personal data). A workbook that still holds them finds out at its next sync."""
    db = open_current(url)
    try:
        with db.transaction():
            db.lock_customers()
            deleted = erasures.erase(db, customer_id, today)
            if deleted.customers:
                lang = store.register_lang(db)
                store.log(db, ts.ERASED_EVENT[lang == "nb"], shown_url(url), say(lang,
                    "{p} purchases, {m} mailings, {l} log lines deleted with the customer.",
                    "{p} kjøp, {m} utsendelser, {l} logglinjer slettet med kunden.",
                    p=deleted.purchases, m=deleted.mailings, l=deleted.log))  # fmt: skip
    finally:
        db.close()
    return deleted
