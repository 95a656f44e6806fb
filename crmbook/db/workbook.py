"""The workbook's side of a database link: the Settings rows that name the database, the Sync
sheet (what the last pull fetched: the base of the next sync's three-way merge), and the edits
that fill the data sheets from the database.

The Sync sheet (one name in both languages) is the workbook's own record, one row per pulled
customer: its Customer ID, its row version and every field as pulled. It travels with the
workbook (a copy e-mailed or moved still syncs correctly) and staff leave it alone; a pull
rewrites it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from crmbook.book import layout
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.edits import AppendRows, Edit, EnsureSheet, ReplaceRows, SetCells
from crmbook.core.i18n import say
from crmbook.core.register import Register, SheetData
from crmbook.core.sync import Edited, Pulled
from crmbook.db.connect import has_password, is_url
from crmbook.errors import RefusedError

DEPARTMENT_SETTING = "Database department"
LABELS = {s.DATABASE_SETTING: ("Database", "Database"),
          DEPARTMENT_SETTING: ("Database department", "Databaseavdeling")}  # fmt: skip
DATA = (s.CUSTOMERS, s.PURCHASES, s.MAILINGS, s.SELECTIONS)


@dataclass(frozen=True)
class Link:
    """The database a workbook was pulled from (None: never pulled), and the department."""

    url: str | None
    department: str | None


def _setting_rows(settings: SheetData | None) -> dict[str, int]:
    """Our setting -> its row on the Settings sheet."""
    if settings is None:
        return {}
    words = {layout.norm(w): key for key, pair in LABELS.items() for w in pair}
    rows = {}
    for row, label in settings.frame["Setting"].items():
        key = words.get(layout.norm(label or ""))
        if key is not None and key not in rows:
            rows[key] = int(row)
    return rows


def link(settings: SheetData | None, lang: str) -> Link:
    """The workbook's database link, from its Settings sheet; a URL with a password in the
    cell is refused (a workbook is copied and e-mailed: it must never carry a password)."""
    if settings is None:
        return Link(None, None)
    rows = _setting_rows(settings)
    found = {k: typed.text(settings.frame.loc[r, "Value"]) for k, r in rows.items()}
    url = found.get(s.DATABASE_SETTING)
    if url is not None:
        check_url_for_book(url, lang, settings.name)
    return Link(url, found.get(DEPARTMENT_SETTING))


def check_url_for_book(url: str, lang: str, sheet: str) -> None:
    """Refuse a URL that may not be kept in a workbook cell."""
    if not is_url(url):
        raise RefusedError(say(lang,
            "{sheet}: the Database setting is not a database URL; write it as "
            "postgresql://USER@HOST/DATABASE or sqlite:///FILE.db.",
            "{sheet}: innstillingen Database er ikke en database-URL; skriv den som "
            "postgresql://BRUKER@VERT/DATABASE eller sqlite:///FIL.db.", sheet=sheet))  # fmt: skip
    if has_password(url):
        raise RefusedError(say(lang,
            "{sheet}: the Database URL holds a password; a workbook is copied and e-mailed, so "
            "it never may. Remove the password from the URL and give it in PGPASSWORD or the "
            "file .pgpass (docs/database.md).",
            "{sheet}: database-URL-en inneholder et passord; en arbeidsbok kopieres og sendes "
            "på e-post, så det får den aldri. Fjern passordet fra URL-en og oppgi det i "
            "PGPASSWORD eller fila .pgpass (docs/database.md).", sheet=sheet))  # fmt: skip


def settings_edits(settings: SheetData | None, lang: str, new: Link) -> list[Edit]:
    """Write the link into the Settings sheet: the rows there updated, missing rows added."""
    if settings is None:
        return []
    rows = _setting_rows(settings)
    value = settings.columns.get("Value", "B")
    cells: dict[tuple[int, str], object] = {}
    added: list[list[object]] = []
    for key, text in ((s.DATABASE_SETTING, new.url), (DEPARTMENT_SETTING, new.department)):
        if key in rows:
            cells[(rows[key], value)] = text
        elif text is not None:
            added.append([LABELS[key][lang == "nb"], text])
    edits: list[Edit] = [SetCells(s.SETTINGS, cells)] if cells else []
    return edits + ([AppendRows(s.SETTINGS, added)] if added else [])


def edited(
    customers: pd.DataFrame, pulled: Mapping[int, Pulled]
) -> tuple[dict[int, Edited], list[tuple[int, dict]]]:
    """The Customers sheet: the pulled customers by Customer ID, and the new rows (no
    Customer ID, or one that was not pulled) with their rows."""
    known: dict[int, Edited] = {}
    new = []
    for row, rec in customers.to_dict("index").items():
        cid = typed.integer(rec.get("Customer ID"))
        if cid is None or cid not in pulled or cid in known:
            new.append((int(row), rec))
        else:
            known[cid] = Edited(int(row), rec)
    return known, new


def pulled(sync: SheetData | None) -> dict[int, Pulled]:
    """The Sync sheet: Customer ID -> the version and values pulled last."""
    if sync is None:
        return {}
    out = {}
    for rec in sync.frame.to_dict("records"):
        cid, version = typed.integer(rec.get("Customer ID")), typed.integer(rec.get("Version"))
        if cid is not None and version is not None:
            out[cid] = Pulled(version, rec)
    return out


def pull_edits(
    book: Register, fresh: Register, versions: Mapping[int, int],
    held: Mapping[int, Mapping[str, tuple[object, object]]] | None = None,
    synced: SheetData | None = None, kept_selections: Sequence[Mapping[str, object]] = (),
    unsynced: Sequence[Mapping[str, object]] = (),
) -> list[Edit]:  # fmt: skip
    """The data sheets filled from ``fresh`` (the database), placed at the book's columns, and
    the Sync sheet (``synced``: as it is now). ``held``: ID -> field -> (cell, base) for open
    conflicts, whose cell keeps the workbook's value and whose base stays as pulled before, so
    the conflict stays open. ``kept_selections``: the workbook's own selections the database
    does not have; ``unsynced``: the workbook's new customers not sent yet (they go last on
    Customers, with no Sync row). A sheet whose rows are the same customers in the same order
    gets only its changed cells (fast, and the user's own columns stay beside their customer)."""
    held = held or {}
    customers = fresh.frame(s.CUSTOMERS).to_dict("records")
    cells = [{**rec, **{f: v[0] for f, v in held.get(int(rec["Customer ID"]), {}).items()}}
             for rec in customers] + [dict(r) for r in unsynced]  # fmt: skip
    base = [{**rec, "Version": versions[int(rec["Customer ID"])],
             **{f: v[1] for f, v in held.get(int(rec["Customer ID"]), {}).items()}}
            for rec in customers]  # fmt: skip
    data = {
        s.CUSTOMERS: (cells, book.sheets[s.CUSTOMERS]),
        s.PURCHASES: (fresh.frame(s.PURCHASES).to_dict("records"), book.sheets[s.PURCHASES]),
        s.MAILINGS: (fresh.frame(s.MAILINGS).to_dict("records"), book.sheets[s.MAILINGS]),
        s.SELECTIONS: ([*fresh.frame(s.SELECTIONS).to_dict("records"), *kept_selections],
                       book.sheets[s.SELECTIONS]),
    }  # fmt: skip
    edits: list[Edit] = []
    for sheet, (records, now) in data.items():
        edits += _refreshed(sheet, records, now)
    headers = layout.headers(s.SYNC, book.lang)
    if synced is None or not synced.columns:  # no Sync sheet yet (or one without headers)
        names = [f.name for f in s.SHEET_FIELDS[s.SYNC]]
        columns = {name: layout.column_letter(i) for i, name in enumerate(names)}
        rows = [_placed(r, columns) for r in base]
        return [*edits, EnsureSheet(s.SYNC, headers), ReplaceRows(s.SYNC, rows, header=headers)]
    return edits + _refreshed(s.SYNC, base, synced)


def _refreshed(sheet: str, records: Sequence[Mapping[str, object]], now: SheetData) -> list[Edit]:
    """The sheet made to hold ``records``: only the cells that differ when the sheet holds the
    same rows in the same order (by Customer ID where the sheet has one), else every row."""
    frame, columns = now.frame, now.columns
    key = "Customer ID" if sheet in (s.CUSTOMERS, s.SYNC) else None
    same_rows = len(frame) == len(records)
    if same_rows and key is not None:
        here = [typed.integer(v) for v in frame[key]]
        same_rows = here == [typed.integer(r[key]) for r in records]
    if not same_rows:
        return [ReplaceRows(sheet, [_placed(r, columns) for r in records])]
    cells: dict[tuple[int, str], object] = {}
    for row, old, new in zip(frame.index, frame.to_dict("records"), records, strict=True):
        for name, letter in columns.items():
            if not _same(old.get(name), new.get(name)):
                cells[(int(row), letter)] = None if typed.is_blank(new.get(name)) else new[name]
    return [SetCells(sheet, cells)] if cells else []


def _same(old: object, new: object) -> bool:
    """Whether a cell already shows the value (blank = blank; a date = the same day)."""
    if typed.is_blank(old) or typed.is_blank(new):
        return typed.is_blank(old) and typed.is_blank(new)
    if isinstance(old, dt.date) or isinstance(new, dt.date):
        dates = isinstance(old, dt.date) and isinstance(new, dt.date)
        return dates and old.isoformat()[:10] == new.isoformat()[:10]  # type: ignore[union-attr]
    numbers = isinstance(old, int | float) and isinstance(new, int | float)
    return (numbers or type(old) is type(new)) and old == new


def _placed(record: Mapping[str, object], columns: Mapping[str, str]) -> list[object]:
    index = {name: layout.column_index(letter) for name, letter in columns.items()}
    row: list[object] = [None] * (max(index.values(), default=-1) + 1)
    for name, value in record.items():
        if name in index:
            row[index[name]] = None if typed.is_blank(value) else value
    return row
