"""``crmbook db init`` and ``crmbook db push``: create the shared register, load a workbook.

Push is import (docs/import.md) with the database as "this book": the same matching rules, the
same plan on the workbook's Import sheet (This book = the database, Other book = the workbook;
take sends the workbook's value), the same keep/take choices read back by ``--apply``. The
apply is one transaction; the plan is recomputed inside it, under a lock, so what is applied is
what the database holds at that moment.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from crmbook.actions.importing import ImportResult, plan_edits, read_choices
from crmbook.book.port import WorkbookPort
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.i18n import say
from crmbook.core.merge import NewCustomer, Plan, plan_import
from crmbook.core.register import Register
from crmbook.db import erasures, store
from crmbook.db.connect import Db, connect, shown_url
from crmbook.db.migrate import require_current, upgrade
from crmbook.db.sends import new_selections


def init(url: str) -> list[str]:
    """Create (or upgrade) the register's tables; the migrations applied."""
    db = connect(url)
    try:
        return upgrade(db)
    finally:
        db.close()


def push(port: WorkbookPort, url: str, *, apply: bool = False) -> ImportResult:
    """Plan loading the workbook into the database (on its Import sheet); ``apply``: do it."""
    book = port.read()
    log = port.read([s.LOG], strict=False).sheets
    db = connect(url)
    try:
        require_current(db)
        with db.transaction():
            db.lock_customers()
            here = erasures.with_log(store.read(db, lang=book.lang), db)
            other = replace(book, sheets={**book.sheets, **log})
            plan = _past_erased(plan_import(here, other, shown_url(url)), db)
            if not apply:
                port.apply(_plan_edits(plan))
                return ImportResult(plan, applied=False)
            result = _apply(db, port, book, plan)
    finally:
        db.close()
    return result


def _past_erased(plan: Plan, db: Db) -> Plan:
    """New customers numbered past every Customer ID ever erased, so an ID that a stale
    workbook still holds for an erased customer never names another one."""
    top = store.next_id(db, "customers", "customer_id") - 1
    shift = erasures.erased_up_to(db) - top
    if shift <= 0:
        return plan

    def moved(rec: dict) -> dict:
        cid = typed.integer(rec.get("Customer ID"))
        return {**rec, "Customer ID": cid + shift} if cid is not None and cid > top else rec

    def renumbered(new: NewCustomer) -> NewCustomer:
        return replace(new, customer_id=new.customer_id + shift, record=moved(new.record))

    return replace(plan, new=tuple(map(renumbered, plan.new)),
                   erased=tuple(map(renumbered, plan.erased)),
                   purchases=tuple(map(moved, plan.purchases)),
                   mailings=tuple(map(moved, plan.mailings)))  # fmt: skip


def _plan_edits(plan: Plan) -> list:
    edits = plan_edits(plan)
    rows = edits[-1].rows  # the Source row says which side is which
    rows[0][8] = say(plan.lang,
        "This book = the database, Other book = this workbook; take sends the workbook's "
        "value. {s}", "Denne boka = databasen, Den andre boka = denne arbeidsboka; ta sender "
        "arbeidsbokas verdi. {s}", s=rows[0][8])  # fmt: skip
    return edits


def _apply(db: Db, port: WorkbookPort, book: Register, plan: Plan) -> ImportResult:
    sheet = port.read([s.IMPORT], strict=False).sheets.get(s.IMPORT)
    frame = sheet.frame if sheet is not None else pd.DataFrame(columns=["Action"])
    choices, stale = read_choices(frame, plan)
    plan = replace(plan, choices=choices)
    lang = book.lang
    added = plan.added()
    store.insert(db, s.CUSTOMERS, [n.record for n in added], lang,
                 rows=[n.other_row for n in added])  # fmt: skip
    for change in plan.taken():
        store.update_customer(db, int(change.customer_id or 0), {change.field: change.other},
                              lang, change.other_row)  # fmt: skip
    store.insert(db, s.PURCHASES, plan.to_add(plan.purchases), lang, key="purchase_id")
    store.insert(db, s.MAILINGS, plan.to_add(plan.mailings), lang)
    new_selections(db, book)
    erasures.add(db, plan.keys, plan.tombstones, _name(book))
    _settings(db, book)
    result = ImportResult(plan, applied=True, stale=stale)
    store.log(db, say(lang, "Push", "Lasting"), plan.source, result.summary())
    return result


def _name(book: Register) -> str | None:
    return Path(book.path).name if book.path else None


def _settings(db: Db, book: Register) -> None:
    """The workbook's settings (sender, folders…) and language, where the database has none."""
    have = {n for (n,) in db.rows("SELECT name FROM settings")}
    values = {**{k: v for k, v in book.settings.items() if not typed.is_blank(v)},
              store.LANG_SETTING: book.lang}  # fmt: skip
    db.many("INSERT INTO settings (name, value) VALUES (?, ?)",
            [[k, str(v)] for k, v in values.items() if k not in have])  # fmt: skip
