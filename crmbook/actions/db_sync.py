"""``crmbook db pull`` and ``crmbook db sync``: the workbook as a view of the shared register.

Pull fills the data sheets from the database (a department's customers or all) and records
what it fetched on the Sync sheet. Sync sends the workbook's edits back with a three-way merge
per field (crmbook.core.sync) inside one transaction that locks the customers it touches, then
pulls again; conflicts go to the Import sheet with keep/take, and nothing is overwritten until
a choice says so. If anything fails before the commit, the database is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from crmbook.actions import db_erasures as gone_
from crmbook.actions import late_columns
from crmbook.actions.import_sheet import same_source
from crmbook.actions.importing import plan_rows, planned_source, read_choices
from crmbook.book import layout
from crmbook.book.port import WorkbookPort
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.edits import AppendRows, Edit, EnsureSheet, ReplaceRows
from crmbook.core.i18n import say
from crmbook.core.merge import Plan
from crmbook.core.register import Register, SheetData
from crmbook.core.sync import Pulled, SyncPlan, plan_sync
from crmbook.db import erasures, store
from crmbook.db.connect import Db, shown_url
from crmbook.db.migrate import open_current
from crmbook.db.sends import Sent, send_rows
from crmbook.db.workbook import (
    Link,
    check_url_for_book,
    edited,
    link,
    pull_edits,
    pulled,
    settings_edits,
)
from crmbook.errors import RefusedError, UsageError


@dataclass
class SyncResult:
    """What a sync did: fields sent, rows added, conflicts settled and still open."""

    lang: str
    fields: int = 0
    sent: Sent = field(default_factory=Sent)
    settled: int = 0
    conflicts: int = 0
    customers: int = 0  # in the workbook after the pull
    erased: int = 0  # customers this workbook erased, now erased in the database
    dropped: int = 0  # customers the database erased, now gone from this workbook

    def summary(self) -> str:
        line = self._sent()
        if self.erased or self.dropped:
            line += " " + say(self.lang,
                "Erased in the database: {e}; erased from this workbook as the database did: "
                "{d}.", "Slettet i databasen: {e}; slettet fra arbeidsboka slik databasen har "
                "gjort: {d}.", e=self.erased, d=self.dropped)  # fmt: skip
        return line

    def _sent(self) -> str:
        return say(self.lang,
            "Sent {f} changed fields, {n} new customers, {p} purchases, {m} mailings ({r} "
            "responses); {c} conflicts open on the Import sheet. {k} customers in the workbook.",
            "Sendt {f} endrede felt, {n} nye kunder, {p} kjøp, {m} utsendelser ({r} svar); {c} "
            "konflikter åpne i arket Import. {k} kunder i arbeidsboka.",
            f=self.fields, n=self.sent.customers, p=self.sent.purchases, m=self.sent.mailings,
            r=self.sent.responses, c=self.conflicts, k=self.customers)  # fmt: skip


def _sides(port: WorkbookPort) -> tuple[Register, dict[str, SheetData]]:
    book = port.read()
    more = port.read([s.SETTINGS, s.SYNC, s.IMPORT, s.LOG], strict=False).sheets
    return book, more


def pull(port: WorkbookPort, url: str, department: str | None = None) -> SyncResult:
    """Fill the workbook from the database; refused while the workbook holds edits a sync
    has not sent, or customers that never came from a database (push those first)."""
    book, more = _sides(port)
    check_url_for_book(url, book.lang, layout.sheet_name(s.SETTINGS, book.lang))
    base = pulled(more.get(s.SYNC))
    mine, new = edited(book.frame(s.CUSTOMERS), base)
    if (mine or new) and not base:
        raise RefusedError(say(book.lang,
            "{sheet} already holds customers that did not come from a database; a pull would "
            "replace them. Load them first (crmbook db push BOOK URL), or pull into a new "
            "workbook (crmbook new).",
            "{sheet} har allerede kunder som ikke kom fra en database; en henting ville erstattet "
            "dem. Last dem inn først (crmbook db push BOK URL), eller hent til en ny arbeidsbok "
            "(crmbook new).", sheet=book.sheet_name(s.CUSTOMERS)))  # fmt: skip
    if new or plan_sync(mine, base, base, {}).send:
        raise RefusedError(
            say(
                book.lang,
                "the workbook holds edits not yet sent; run crmbook db sync first.",
                "arbeidsboka har endringer som ikke er sendt; kjør crmbook db sync først.",
            )
        )
    db = open_current(url)
    try:
        with db.transaction(snapshot=True):
            fresh = store.read(db, lang=book.lang, department=department)
            versions = store.versions(db, _ids(fresh))
            log_rows = erasures.log_rows(db, _with_log(book, more), shown_url(url))
    finally:
        db.close()
    have = {typed.text(v) for v in fresh.frame(s.SELECTIONS)["Selection"]}
    kept = [r for r in book.frame(s.SELECTIONS).to_dict("records")
            if typed.text(r.get("Selection")) not in have]  # fmt: skip
    book, headers = late_columns.placed(port, book, s.LATE[s.CUSTOMERS])
    synced, more_headers = late_columns.placed_sync(port, book, more.get(s.SYNC))
    edits = [*headers, *more_headers, *pull_edits(book, fresh, versions, synced=synced,
                                                   kept_selections=kept)]  # fmt: skip
    edits += settings_edits(more.get(s.SETTINGS), book.lang, Link(url, department))
    port.apply(edits + _log_edits(book.lang, log_rows))
    return SyncResult(book.lang, customers=len(fresh.frame(s.CUSTOMERS)))


def _ids(register: Register) -> list[int]:
    return [int(c) for c in register.frame(s.CUSTOMERS)["Customer ID"]]


def sync(port: WorkbookPort, before_commit: Callable[[], None] | None = None) -> SyncResult:
    """Send the workbook's edits and erasures, then pull; ``before_commit`` runs inside the
    transaction just before it commits (used to show that an interruption there changes
    nothing)."""
    book, more = _sides(port)
    found = link(more.get(s.SETTINGS), book.lang)
    if found.url is None:
        raise UsageError(say(book.lang,
            "this workbook has no Database setting; pull it first: crmbook db pull URL BOOK",
            "arbeidsboka har ingen Database-innstilling; hent den først: crmbook db pull URL BOK",
        ))  # fmt: skip
    port.check_writable()
    source = shown_url(found.url)
    base = pulled(more.get(s.SYNC))
    mine, new = edited(book.frame(s.CUSTOMERS), base)
    new, logged = _in_view(new, found.department), _with_log(book, more)
    db = open_current(found.url)
    try:
        with db.transaction():
            holds = {c for c in book.frame(s.CUSTOMERS)["Customer ID"].map(typed.integer) if c}
            deleted = gone_.carry(db, logged, holds, _book_source(book))
            current = _current(db, book.lang, list(base))
            plan, gone, sendable = _merge(db, mine, base, current, new, more, book.lang, source)
            rows = {c: e.row for c, e in mine.items() if c not in plan.gone}
            result = _send(db, book, plan, sendable, source, rows, gone, deleted.customers)
            if before_commit is not None:
                before_commit()
        with db.transaction(snapshot=True):
            fresh = store.read(db, lang=book.lang, department=found.department)
            versions = store.versions(db, _ids(fresh))
            log_rows = erasures.log_rows(db, logged, source)
    finally:
        db.close()
    book, headers = late_columns.placed(port, book, s.LATE[s.CUSTOMERS])
    synced, more_headers = late_columns.placed_sync(port, book, more.get(s.SYNC))
    more = {**more, s.SYNC: synced} if synced is not None else more
    fresh, versions, held = gone_.holding(fresh, book, gone, base, versions)
    edits = _after(book, fresh, versions, plan, base, source, more, gone, held)
    edits += gone_.derived_edits(port, book, gone.dropped)
    port.apply([*headers, *more_headers, *edits, *_log_edits(book.lang, log_rows)])
    result.customers = len(fresh.frame(s.CUSTOMERS))
    return result


def _merge(
    db: Db, mine: dict, base: dict, current: dict, new: list, more: dict, lang: str, source: str
) -> tuple[SyncPlan, gone_.Gone, list]:
    """The three-way merge and the erasures, with the staff's choices on the Import sheet."""
    matcher = erasures.matcher(db)
    plan = plan_sync(mine, base, current, {})
    gone, sendable = gone_.sort_out(plan, mine, base, new, matcher, {})
    choices = _choices(more.get(s.IMPORT), plan, gone, lang, source)
    if choices:
        plan = plan_sync(mine, base, current, choices)
        gone, sendable = gone_.sort_out(plan, mine, base, new, matcher, choices)
    return plan, gone, sendable


def _in_view(new: list[tuple[int, dict]], department: str | None) -> list[tuple[int, dict]]:
    """New customers with a blank Department get the workbook's, so they stay in its view."""
    if department is None:
        return new
    return [(row, rec if not typed.is_blank(rec.get("Department")) else
             {**rec, "Department": department}) for row, rec in new]  # fmt: skip


def _with_log(book: Register, more: Mapping[str, SheetData]) -> Register:
    log = more.get(s.LOG)
    return book if log is None else replace(book, sheets={**book.sheets, s.LOG: log})


def _book_source(book: Register) -> str | None:
    return Path(book.path).name if book.path else None


def _log_edits(lang: str, rows: list[list[object]]) -> list[Edit]:
    if not rows:
        return []
    return [EnsureSheet(s.LOG, layout.headers(s.LOG, lang)), AppendRows(s.LOG, rows)]


def _current(db: Db, lang: str, ids: list[int]) -> dict[int, Pulled]:
    """The pulled customers as the database holds them now, locked until the commit."""
    versions = store.versions(db, ids, lock=True)
    rows = store.customers(db, lang, list(versions))
    return {cid: Pulled(versions[cid], rec) for cid, rec in rows.items()}


def _send(
    db: Db, book: Register, plan: SyncPlan, new: list, source: str, rows: Mapping[int, int],
    gone: gone_.Gone, erased: int,
) -> SyncResult:  # fmt: skip
    lang = book.lang
    for cid, values in plan.send.items():
        store.update_customer(db, cid, values, lang, rows.get(cid))
    sent = send_rows(db, book, new, set(rows))
    result = SyncResult(lang, sum(map(len, plan.send.values())), sent,
                        plan.settled + gone.settled, len(plan.conflicts) + len(gone.conflicts),
                        erased=erased, dropped=len(gone.dropped))  # fmt: skip
    store.log(db, say(lang, "Sync", "Synk"), source, result.summary())
    return result


def _choices(
    sheet: SheetData | None, plan: SyncPlan, gone: gone_.Gone, lang: str, source: str
) -> dict:
    """The staff's keep/take on the Import sheet for the conflicts and erased customers found
    now, read as import reads them: for this database only, and only where the sheet still
    shows the values."""
    if sheet is None or not (plan.conflicts or gone.conflicts):
        return {}
    if not same_source(sheet.frame, source):
        return {}
    conflicts = Plan(lang, source, 0, changes=tuple(plan.conflicts))
    return {**read_choices(sheet.frame, conflicts)[0],
            **gone_.chosen(sheet.frame.to_dict("records"), gone.conflicts)}  # fmt: skip


def _after(
    book: Register, fresh: Register, versions: Mapping[int, int], plan: SyncPlan,
    base: Mapping[int, Pulled], source: str, more: Mapping[str, SheetData], gone: gone_.Gone,
    held: Mapping[int, Mapping[str, tuple[object, object]]],
) -> list[Edit]:  # fmt: skip
    """The pull after a sync, holding each open conflict's cell and base; the conflicts on the
    Import sheet (an import plan of another book there is left alone when there are none)."""
    held = {**{cid: {f: (v, base[cid].values.get(f)) for f, v in fields.items()}
               for cid, fields in plan.pending().items()}, **held}  # fmt: skip
    # A customer with an open conflict keeps the version it was pulled at, so the next sync
    # compares its fields with the database again and finds the conflict again.
    versions = {**versions, **{cid: base[cid].version for cid in held}}
    unsynced = [rec for _, rec in gone.waiting]
    edits = pull_edits(book, fresh, versions, held, synced=more.get(s.SYNC), unsynced=unsynced)
    sheet = more.get(s.IMPORT)
    ours = sheet is not None and planned_source(sheet.frame) == source
    open_ = bool(plan.conflicts or gone.conflicts)
    if not open_ and not ours:
        return edits
    conflict_plan = Plan(book.lang, source, 0, changes=tuple(plan.conflicts),
                         erased=tuple(gone.conflicts))  # fmt: skip
    rows = plan_rows(conflict_plan, _conflict_note(book.lang, open_))
    for row in rows[1:]:
        row[7] = None  # no default: an open conflict waits for a person's choice
    _name_erased(rows, gone, book.lang)
    headers = layout.headers(s.IMPORT, book.lang)
    return [*edits, EnsureSheet(s.IMPORT, headers), ReplaceRows(s.IMPORT, rows, header=headers)]


def _name_erased(rows: list[list[object]], gone: gone_.Gone, lang: str) -> None:
    """The erased customers' rows name the customer as the workbook holds them (it still
    does) and say what keep and take do in a sync."""
    items = {item.other_row: item for item in gone.conflicts}
    for row in rows[1:]:
        item = items.get(row[2]) if row[1] is None and row[4] is None else None  # type: ignore[arg-type]
        if item is not None:  # by customer, not row: rows move as erased customers leave
            row[1], row[2] = item.customer_id or None, None
            row[3] = typed.text(item.record.get("Company"))
            row[8] = gone_.note(lang)


def _conflict_note(lang: str, open_: bool) -> str:
    if not open_:
        return say(lang, "No open conflicts.", "Ingen åpne konflikter.")
    return say(lang,
        "This book = this workbook, Other book = the database. Set Choice to keep (send this "
        "workbook's value) or take (take the database's), then run crmbook db sync again.",
        "Denne boka = denne arbeidsboka, Den andre boka = databasen. Sett Valg til behold (send "
        "arbeidsbokas verdi) eller ta (ta databasens), og kjør crmbook db sync på nytt.",
    )  # fmt: skip
