"""``crmbook letters URL``: the letters step run on the shared register (docs/database.md).

A workbook port over the database, so the letters action runs unchanged: it reads the
register (customers with their purchases and mailings, selections, settings) from one moment
of the database, and its one write — the Mailings rows of the letters made — becomes one
transaction that logs them in the database. Nothing else a letters run writes into a workbook
(the Recipients sheet) exists in the database. Before any letter is made, ``check_writable``
asks the database whether this role may log mailings: a read-only role is refused then, not
after the letters are on disk. A run stopped between writing the letters and logging them is
completed by the next run of the campaign, from the manifest beside the letters, as on a
workbook; a letter logged already (the same customer and campaign) is never logged twice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.edits import AppendRows, Edit
from crmbook.core.i18n import say
from crmbook.core.merge_values import comparable
from crmbook.core.register import Register
from crmbook.db import store
from crmbook.db.connect import Db, shown_url, sqlite_path
from crmbook.db.migrate import open_current
from crmbook.errors import RefusedError

MAILING = [f.name for f in s.SHEET_FIELDS[s.MAILINGS]]


class DbSending:
    """The register in a database as the letters step's workbook port; it logs mailings."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._register: Register | None = None

    @property
    def place(self) -> Path:
        """Stands for the workbook's path: its folder (the one the command runs in) locates
        relative Settings paths and the letters' recorded paths; its name keeps this
        database's staging folders apart from a workbook's."""
        name = "".join(c if c.isalnum() else "-" for c in shown_url(self.url).split("/")[-1])
        return Path.cwd() / f"database-{name}"

    def read(self, sheets: Iterable[str] = s.DATA_SHEETS, *, strict: bool = True) -> Register:
        if self._register is None:
            db = open_current(self.url)
            try:
                with db.transaction(snapshot=True):
                    self._register = store.read(db)
            finally:
                db.close()
        return self._register

    @contextlib.contextmanager
    def writing(self, enabled: bool = True) -> Iterator[DbSending]:
        """No workbook to lock: each write is one transaction of its own."""
        yield self

    def check_writable(self) -> None:
        """Refuse now, before any letter is made, when this role may not log mailings."""
        db = open_current(self.url)
        try:
            lang = store.register_lang(db)
            if not _may_log(db):
                raise RefusedError(say(lang,
                    "{url}: this database role may read the register but not log mailings, so "
                    "no letter was made. Run letters as a role with INSERT on the mailings "
                    "table (docs/database.md, Roles), or make a preview (--preview).",
                    "{url}: denne databaserollen kan lese registeret, men ikke føre "
                    "utsendelser, så ingen brev ble laget. Kjør letters som en rolle med "
                    "INSERT på tabellen mailings (docs/database.md, Roller), eller lag en "
                    "forhåndsvisning (--preview).", url=shown_url(self.url)))  # fmt: skip
        finally:
            db.close()

    def apply(self, edits: Sequence[Edit]) -> None:
        """Log the Mailings rows of the edits in one transaction (other sheets: none here)."""
        rows = [list(r) for e in edits if isinstance(e, AppendRows) and e.sheet == s.MAILINGS
                for r in e.rows]  # fmt: skip
        if not rows:
            return
        db = open_current(self.url)
        try:
            with db.transaction():
                log(db, rows, self.read().lang)
        finally:
            db.close()
        self._register = None  # read again: "already got the campaign" must see them


def _may_log(db: Db) -> bool:
    if db.engine == "postgresql":
        sql = ("SELECT has_table_privilege('mailings', 'INSERT') AND NOT pg_is_in_recovery() "
               "AND current_setting('transaction_read_only') = 'off'")  # fmt: skip
        return bool(db.rows(sql)[0][0])
    path = sqlite_path(db.url)
    if not (path.is_file() and _writable(path)):
        return False
    try:
        with db.transaction():  # takes SQLite's write lock, and gives it back
            pass
    except Exception:
        return False
    return True


def _writable(path: Path) -> bool:
    import os

    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def log(db: Db, rows: Sequence[Sequence[object]], lang: str) -> int:
    """Insert the mailings (Mailings sheet rows) the database does not have yet — the same
    customer and campaign — numbered after its highest Mailing ID; how many were new. A
    customer erased since the letters were made is not logged."""
    if db.engine == "postgresql":  # Mailing IDs: one run at a time hands them out
        db.execute("LOCK TABLE mailings IN SHARE ROW EXCLUSIVE MODE")
    records = [dict(zip(MAILING, row, strict=False)) for row in rows]
    ids = sorted({typed.integer(r["Customer ID"]) or 0 for r in records})
    marks = ",".join("?" * len(ids))
    where = f"WHERE customer_id IN ({marks})"
    known = {int(c) for (c,) in db.rows(f"SELECT customer_id FROM customers {where}", ids)}
    campaign = s.field(s.MAILINGS, "Campaign")
    sent = db.rows(f"SELECT customer_id, campaign FROM mailings {where}", ids)
    have = {(int(c), comparable(campaign, n)) for c, n in sent}
    first, new = store.next_id(db, "mailings", "mailing_id"), []
    for rec in records:
        key = (typed.integer(rec["Customer ID"]) or 0, comparable(campaign, rec["Campaign"]))
        if key[0] in known and key not in have:
            have.add(key)
            new.append({**rec, "Mailing ID": first + len(new)})
    store.insert(db, s.MAILINGS, new, lang)
    return len(new)
